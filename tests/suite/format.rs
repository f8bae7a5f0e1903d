//! The project file (FORMAT.md): every example loads, saving is stable and complete.

use std::path::PathBuf;

use stockpile_planner::project::*;

/// Every conformance example: version 1 in `examples/`, version 2 in `examples/format2/`.
fn examples() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples");
    let mut files: Vec<PathBuf> = [root.clone(), root.join("format2")]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(dir)
                .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
                .filter_map(|entry| entry.ok().map(|e| e.path()))
        })
        .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 11, "the conformance examples are missing");
    files
}

fn example_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/spec/examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn load(path: &std::path::Path) -> Loaded {
    load_file(path).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn every_example_loads_without_warnings() {
    for path in examples() {
        let loaded = load(&path);
        assert!(
            loaded.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.warnings
        );
    }
}

#[test]
fn load_save_load_is_equal_and_saving_is_stable() {
    for path in examples() {
        let project = load(&path).project;
        let text = to_ron_string(&project).expect("serialise");
        let again = load_bytes(text.as_bytes(), "saved").unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(project, again.project, "{}", path.display());
        assert_eq!(text, to_ron_string(&again.project).expect("serialise"));
    }
}

#[test]
fn saving_writes_every_field_in_reference_order_with_struct_names() {
    let project = load(
        &examples()
            .into_iter()
            .find(|p| p.ends_with("check1-full-cut.ron"))
            .expect("check1"),
    )
    .project;
    let text = to_ron_string(&project).expect("serialise");
    let order = [
        "Project(",
        "format_version: 2",
        "name:",
        "description:",
        "start: \"2026-01\"",
        "horizon_months: 24",
        "currency: \"USD\"",
        "service_level: Fixed(0.95)",
        "paths: 10000",
        "seed: 42",
        "shortage_cost_per_kg: None",
        "rebuild_after_disruption: false",
        "materials:",
        "Material(",
        "id: \"ndpr_oxide\"",
        "price_per_kg: 75.0",
        "carrying_cost_per_year: 0.2",
        "on_hand_kg: 0.0",
        "exposed_share: 0.9",
        "lead_time_days:",
        "lead_time_sd_days:",
        "max_purchase_kg_per_month: None",
        "direct_kg_per_month:",
        "alternatives: []",
        "notes: \"\"",
        "products:",
        "Product(",
        "units_per_month: 100.0",
        "growth_per_year:",
        "demand_cv:",
        "end_use: Civil",
        "margin_per_unit:",
        "bill_of_materials: {",
        "notes: \"\"",
        "scenarios:",
        "Scenario(",
        "probability: 1.0",
        "description: \"\"",
        "notes: \"\"",
        "events:",
        "Once(",
        "materials: All",
        "end_uses: All",
        "start: Fixed(\"2026-04\")",
        "duration_months: Fixed(6.0)",
        "supply_cut: Fixed(1.0)",
        "licence_delay_days: Fixed(0.0)",
        "price_multiplier: 1.0",
        "probability: 1.0",
        "saved_results: None",
    ];
    let mut at = 0;
    for token in order {
        match text[at..].find(token) {
            Some(offset) => at += offset + token.len(),
            None => panic!("`{token}` missing or out of order in:\n{text}"),
        }
    }
    let mut with_cap = project.clone();
    with_cap.materials[0].max_purchase_kg_per_month = Some(800.0);
    assert!(
        to_ron_string(&with_cap)
            .expect("serialise")
            .contains("max_purchase_kg_per_month: Some(800.0)")
    );
}

#[test]
fn save_file_round_trips_through_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("plan.ron");
    for path in examples() {
        let project = load(&path).project;
        save_file(&project, &target).expect("save");
        assert_eq!(load(&target).project, project);
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() != "plan.ron")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn optional_fields_accept_some_bare_and_none() {
    let base = example_text("check1-full-cut.ron");
    for (value, expected) in [
        ("Some(250.0)", Some(250.0)),
        ("250", Some(250.0)),
        ("None", None),
    ] {
        let text = base.replace(
            "exposed_share: 0.9)",
            &format!("exposed_share: 0.9, max_purchase_kg_per_month: {value})"),
        );
        let loaded =
            load_bytes(text.as_bytes(), "t").unwrap_or_else(|err| panic!("{value}: {err}"));
        assert_eq!(
            loaded.project.materials[0].max_purchase_kg_per_month,
            expected
        );
    }
}

#[test]
fn errors_name_the_place() {
    let base = example_text("check1-full-cut.ron");
    let unknown = base.replace("exposed_share: 0.9", "exposed_share: 0.9, colour: 3");
    let err = load_bytes(unknown.as_bytes(), "plan.ron").expect_err("unknown field");
    let line = err.to_string();
    assert!(line.starts_with("plan.ron:10:"), "{line}");
    assert!(line.contains("colour"), "{line}");

    let newer = base.replace("format_version: 1", "format_version: 3");
    let err = load_bytes(newer.as_bytes(), "plan.ron").expect_err("newer");
    assert!(err.to_string().contains("newer"), "{err}");

    let invalid = base
        .replace("exposed_share: 0.9", "exposed_share: 1.5")
        .replace("units_per_month: 100.0", "units_per_month: -1.0");
    let err = load_bytes(invalid.as_bytes(), "plan.ron").expect_err("invalid");
    assert_eq!(err.diagnostics.len(), 2, "{err}");
    assert!(
        err.diagnostics[0].to_string().starts_with("plan.ron:10:"),
        "{err}"
    );
    assert!(
        err.diagnostics[0].message.contains("exposed_share"),
        "{err}"
    );
    assert!(
        err.diagnostics[1].to_string().starts_with("plan.ron:13:"),
        "{err}"
    );

    let wrong_name = base.replace("Material(id", "Materail(id");
    let err = load_bytes(wrong_name.as_bytes(), "plan.ron").expect_err("struct name");
    assert!(err.to_string().contains("Materail"), "{err}");
}

#[test]
fn bom_and_crlf_and_unicode_load() {
    let base = example_text("check1-full-cut.ron");
    let text = format!(
        "\u{feff}{}",
        base.replace('\n', "\r\n")
            .replace("NdPr oxide", "氧化镨钕 — NdPr")
    );
    let loaded = load_bytes(text.as_bytes(), "t").unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(loaded.project.materials[0].name, "氧化镨钕 — NdPr");
}

#[test]
fn recurring_events_refuse_once_fields() {
    let text = example_text("full-format.ron");
    let bad = text.replace(
        "mean_duration_months: 2.0,",
        "mean_duration_months: 2.0, probability: 0.5,",
    );
    assert_ne!(bad, text);
    let err = load_bytes(bad.as_bytes(), "plan.ron").expect_err("probability on Recurring");
    assert!(err.to_string().contains("probability"), "{err}");
}

#[test]
fn zero_demand_is_warned_of() {
    let text = example_text("check1-full-cut.ron");
    let idle = text.replace("units_per_month: 100.0", "units_per_month: 0.0");
    let loaded = load_bytes(idle.as_bytes(), "plan.ron").expect("valid");
    assert_eq!(loaded.warnings.len(), 1);
    assert!(
        loaded.warnings[0]
            .to_string()
            .contains("warning: material \"ndpr_oxide\""),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn validation_names_each_field_by_its_typed_path_in_plain_words() {
    let mut project = stockpile_planner::reference::reference_plant();
    project.materials[1].on_hand_kg = -5.0;
    project.materials[0].exposed_share = 1.5;
    project.products[0].bill_of_materials.0[0].1 = -1.0;
    let validation = validate(&project);
    let on_hand = FieldPath::material(1).field("on_hand_kg");
    assert_eq!(
        validation.error_at(&on_hand),
        Some("on hand cannot be negative")
    );
    assert_eq!(
        validation.error_at(&FieldPath::material(0).field("exposed_share")),
        Some("exposed share must be between 0% and 100%")
    );
    let entry_id = project.products[0].bill_of_materials.0[0].0.clone();
    let entry = FieldPath::product(0)
        .field("bill_of_materials")
        .field(&entry_id);
    assert!(validation.error_at(&entry).is_some(), "{validation:?}");
    // The file-oriented message keeps naming the place for the command line.
    let issue = validation
        .errors()
        .find(|issue| issue.path == on_hand)
        .unwrap_or_else(|| panic!("an issue at {on_hand}"));
    assert!(
        issue.message.contains("on_hand_kg: -5 is negative"),
        "{}",
        issue.message
    );
    // An item's problems are inside it, and only its own.
    assert!(validation.has_error_under(&FieldPath::material(1)));
    assert!(validation.has_error_under(&FieldPath::product(0)));
    assert!(!validation.has_error_under(&FieldPath::material(2)));
    assert!(!validation.has_error_under(&FieldPath::scenario(0)));
}
