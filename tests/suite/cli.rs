//! The command line as CLI.md describes it: the JSON document's keys, the table,
//! `new`, `presets`, exit codes.

use std::io::Write;
use std::process::{Command, Output};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stockpile-planner"))
}

use crate::common::spec_example_path as example;

fn run(args: &[&str]) -> Output {
    binary().args(args).output().expect("the binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let output = run(args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("valid JSON on stdout")
}

#[test]
fn recommend_json_has_the_documented_keys() {
    let file = example("full-format.ron");
    let doc = json(&[
        "recommend",
        file.to_str().expect("utf-8 path"),
        "--json",
        "--paths",
        "1000",
    ]);
    assert_eq!(doc["format"], "stockpile-planner/recommendation/1");
    assert_eq!(doc["project"], "Magnet motor plant: 2027 plan");
    assert_eq!(doc["start"], "2026-12");
    assert_eq!(doc["horizon_months"], 36);
    assert_eq!(doc["paths"], 1000);
    assert_eq!(doc["seed"], 20261122);
    assert!(doc["service_level"].is_null(), "Auto gives null");
    assert_eq!(doc["currency"], "USD");
    let materials = doc["materials"].as_array().expect("materials");
    assert_eq!(materials.len(), 2);
    let keys = [
        "id",
        "name",
        "service_level",
        "mean_monthly_demand_kg",
        "safety_stock_kg",
        "strategic_buffer_kg",
        "strategic_buffer_ci95_kg",
        "recommended_stock_kg",
        "days_of_cover",
        "share_of_annual_consumption",
        "on_hand_kg",
        "gap_kg",
        "stockout_probability_at_on_hand",
        "expected_shortfall_kg_at_on_hand",
        "holding_cost_per_year",
        "by_scenario",
        "target_by_month",
    ];
    for material in materials {
        for key in keys {
            assert!(material.get(key).is_some(), "material key {key} missing");
        }
        let level = material["service_level"].as_f64().expect("level");
        assert!((0.5..=0.999).contains(&level));
        assert_eq!(
            material["target_by_month"]
                .as_array()
                .expect("months")
                .len(),
            36
        );
        assert_eq!(material["target_by_month"][0]["month"], "2026-12");
        assert_eq!(material["target_by_month"][35]["month"], "2029-11");
        let ci = material["strategic_buffer_ci95_kg"].as_array().expect("ci");
        assert_eq!(ci.len(), 2);
        let recommended = material["recommended_stock_kg"].as_f64().expect("number");
        let sum = material["safety_stock_kg"].as_f64().expect("number")
            + material["strategic_buffer_kg"].as_f64().expect("number");
        assert_eq!(recommended, sum);
        let scenarios = material["by_scenario"].as_array().expect("scenarios");
        let ids: Vec<&str> = scenarios
            .iter()
            .map(|s| s["id"].as_str().expect("id"))
            .collect();
        assert_eq!(ids, ["renewed", "lapse", "outages"]);
        let weights: f64 = scenarios
            .iter()
            .map(|s| s["probability"].as_f64().expect("p"))
            .sum();
        assert!((weights - 1.0).abs() < 1e-12);
        for scenario in scenarios {
            for key in [
                "id",
                "probability",
                "strategic_buffer_kg",
                "recommended_stock_kg",
                "stockout_probability_at_on_hand",
                "run_out_month_median",
                "run_out_month_p10",
            ] {
                assert!(scenario.get(key).is_some(), "scenario key {key} missing");
            }
            let median = &scenario["run_out_month_median"];
            assert!(median.is_null() || median.as_str().is_some_and(|m| m.len() == 7));
        }
    }
    // The renewed scenario has no event: never runs out.
    assert!(materials[0]["by_scenario"][0]["run_out_month_median"].is_null());
}

#[test]
fn overrides_change_the_run() {
    let file = example("check3-weighted-scenarios.ron");
    let path = file.to_str().expect("utf-8 path");
    let doc = json(&["recommend", path, "--json"]);
    assert_eq!(doc["service_level"], 0.95);
    assert_eq!(doc["materials"][0]["strategic_buffer_kg"], 540.0);
    let doc = json(&[
        "recommend",
        path,
        "--json",
        "--service-level",
        "0.6",
        "--seed",
        "9",
        "--paths",
        "200",
    ]);
    assert_eq!(doc["service_level"], 0.6);
    assert_eq!(doc["seed"], 9);
    assert_eq!(doc["paths"], 200);
    assert_eq!(doc["materials"][0]["strategic_buffer_kg"], 0.0);
    let doc = json(&["recommend", path, "--json", "--service-level", "auto"]);
    assert!(doc["service_level"].is_null());
}

#[test]
fn days_of_cover_is_null_without_demand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(example("check1-full-cut.ron")).expect("read");
    let idle = dir.path().join("idle.ron");
    std::fs::write(
        &idle,
        text.replace("units_per_month: 100.0", "units_per_month: 0.0"),
    )
    .expect("write");
    let output = run(&["recommend", idle.to_str().expect("utf-8"), "--json"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(": warning: "),
        "the zero demand is warned of: {stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert!(doc["materials"][0]["days_of_cover"].is_null());
    assert!(doc["materials"][0]["share_of_annual_consumption"].is_null());
}

#[test]
fn readable_table_rounds_with_units() {
    let file = example("full-format.ron");
    let output = run(&["recommend", file.to_str().expect("utf-8"), "--paths", "500"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("NdPr oxide"), "{text}");
    assert!(text.contains("days"), "{text}");
    assert!(text.contains("Truce lapses, licensing returns"), "{text}");
}

#[test]
fn check_summarises_or_fails_with_exit_2() {
    let output = run(&["check", example("full-format.ron").to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let output = run(&["check", "/nonexistent/plan.ron"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("/nonexistent/plan.ron: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn new_writes_a_preset_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("plan.ron");
    let out_text = out.to_str().expect("utf-8");
    let listing = run(&["presets"]);
    assert!(listing.status.success());
    let names: Vec<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect();
    assert!(names.len() >= 5, "{names:?}");
    let output = run(&["new", "--preset", &names[0], "--out", out_text]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read(&out).expect("written");
    assert!(run(&["check", out_text]).status.success());
    let again = run(&["new", "--preset", &names[0], "--out", out_text]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read(&out).expect("still there"), written);
    let unknown = run(&[
        "new",
        "--preset",
        "no-such",
        "--out",
        dir.path().join("x.ron").to_str().expect("utf-8"),
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no preset"));
}

#[test]
fn bad_flags_exit_2_with_one_line() {
    let file = example("check1-full-cut.ron");
    let path = file.to_str().expect("utf-8");
    for args in [
        vec!["recommend", path, "--paths", "5"],
        vec!["recommend", path, "--service-level", "2"],
        vec!["recommend", path, "--bogus"],
        vec!["chart", path, "--out", "x.svg", "--kind", "pie"],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn reports_and_charts_refuse_unknown_extensions_with_exit_2() {
    let file = example("check1-full-cut.ron");
    let path = file.to_str().expect("utf-8");
    let dir = tempfile::tempdir().expect("temp dir");
    for (command, out) in [("report", "plan.docx"), ("chart", "chart.gif")] {
        let target = dir.path().join(out);
        let output = run(&[command, path, "--out", target.to_str().expect("utf-8")]);
        assert_eq!(output.status.code(), Some(2), "{command} {out}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!target.exists());
    }
}

#[cfg(unix)]
#[test]
fn written_files_are_readable_by_colleagues() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("plan.ron");
    let output = run(&[
        "new",
        "--preset",
        "ev-motor-line",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success());
    let mode = std::fs::metadata(&out)
        .expect("written")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o644);
}

#[test]
fn recommend_json_has_the_format_2_keys() {
    let file = example("format2/full-format.ron");
    let doc = json(&[
        "recommend",
        file.to_str().expect("utf-8 path"),
        "--json",
        "--paths",
        "1000",
    ]);
    assert_eq!(doc["rebuild_after_disruption"], true);
    for material in doc["materials"].as_array().expect("materials") {
        assert!(material["open_ended"].is_boolean());
        let plan = &material["buildup"];
        for key in [
            "cost",
            "cost_at_todays_price",
            "value_of_buying_ahead",
            "reaches_recommendation_month",
            "target_met_month",
            "kg_bought",
            "gap_cost_at_todays_price",
            "run_out_probability_following_plan",
            "run_out_month_median_following_plan",
        ] {
            assert!(plan.get(key).is_some(), "buildup key {key} missing");
        }
        assert_eq!(
            plan["target_met_month"],
            plan["reaches_recommendation_month"]
        );
        for scenario in material["by_scenario"].as_array().expect("scenarios") {
            for key in [
                "shortfall_in_last_month_kg",
                "run_out_probability_following_plan",
            ] {
                assert!(scenario.get(key).is_some(), "scenario key {key} missing");
            }
        }
    }
    // The lapse's military refusals last the whole horizon. NdPr's alternative,
    // qualified ahead from month 9, covers the actuator's 40.5 kg a month by the end;
    // dysprosium has no alternative and stays short by 0.98 x 150 x 0.02 kg a month.
    let (ndpr, dy) = (&doc["materials"][0], &doc["materials"][1]);
    assert_eq!(ndpr["open_ended"], false);
    assert_eq!(ndpr["by_scenario"][1]["shortfall_in_last_month_kg"], 0.0);
    assert_eq!(dy["open_ended"], true);
    let short = dy["by_scenario"][1]["shortfall_in_last_month_kg"]
        .as_f64()
        .expect("a number");
    assert!((short - 0.98 * 150.0 * 0.02).abs() < 1e-9, "{short}");
}

#[test]
fn recommend_spends_a_budget() {
    let file = example("format2/check8-budget.ron");
    let path = file.to_str().expect("utf-8 path");
    let doc = json(&["recommend", path, "--json", "--budget", "6000"]);
    let budget = &doc["budget"];
    assert_eq!(budget["amount"], 6000.0);
    assert_eq!(budget["spent"], 6000.0);
    assert_eq!(budget["marginal_value"], 5.0);
    assert_eq!(budget["marginal_material"], "dear_b");
    assert_eq!(budget["materials"][0]["id"], "cheap_a");
    assert_eq!(budget["materials"][0]["kg"], 540.0);
    assert_eq!(budget["materials"][1]["kg"], 30.0);
    assert_eq!(budget["materials"][1]["expected_shortfall_kg_after"], 510.0);
    // Without --budget there is no budget object.
    assert!(json(&["recommend", path, "--json"]).get("budget").is_none());
    let table = run(&["recommend", path, "--budget", "6000"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Budget of"), "{text}");
    let bad = run(&["recommend", path, "--budget", "-5"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn check_warns_when_saved_results_differ() {
    // The saved figures of the format-2 reference file are made up (FORMAT.md).
    let file = example("format2/full-format.ron");
    let output = run(&["check", file.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains(": warning: "), "{stderr}");
    for id in ["ndpr_oxide", "dy"] {
        assert!(warnings[0].contains(id), "{id} not named: {stderr}");
    }
    assert!(
        warnings[0].contains("13,310.2 kg") || warnings[0].contains("13.3 t"),
        "{stderr}"
    );
    // Every other example gives no warning at all.
    for name in [
        "check1-full-cut.ron",
        "full-format.ron",
        "format2/check6-rebuild.ron",
        "format2/check9-spare-capacity.ron",
    ] {
        let output = run(&["check", example(name).to_str().expect("utf-8 path")]);
        assert_eq!(output.status.code(), Some(0));
        assert!(
            output.stderr.is_empty(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Whether `python3` can import numpy: the numpy model's test needs both, and CI need
/// not have them.
fn numpy_is_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The numpy model of `bench/numpy_model.py` (issue 18's yardstick) gives MODEL.md's
/// exact figures by itself (`--check`), and `bench --numpy` shows it computing the
/// same recommended stocks as the engine on the exact checks' files. Without python3
/// or numpy the test says it was skipped.
#[test]
fn numpy_model_gives_the_engines_exact_figures() {
    if !numpy_is_installed() {
        // Written to stderr directly, not with `eprintln!`, which the test harness
        // captures and shows only for a failing test: a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED cli::numpy_model_gives_the_engines_exact_figures: python3 with numpy is not installed"
        );
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/numpy_model.py");
    let output = Command::new("python3")
        .args([script, "--check"])
        .output()
        .unwrap_or_else(|err| panic!("{err}"));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}");
    assert!(
        report.contains("every check gives MODEL.md's figure"),
        "{report}"
    );
    assert!(!report.contains("FAIL"), "{report}");

    for name in [
        "check1-full-cut.ron",
        "check2-cut-with-licence-delay.ron",
        "check3-weighted-scenarios.ron",
        "format2/check6-rebuild.ron",
        "format2/check7-prequalified.ron",
        "format2/check9-spare-capacity.ron",
    ] {
        let file = example(name);
        let file = file.to_str().expect("utf-8 path");
        let engine = json(&["recommend", file, "--json"]);
        let output = run(&["bench", file, "--numpy", "--runs", "1"]);
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let materials = engine["materials"].as_array().expect("materials");
        for material in materials {
            let id = material["id"].as_str().expect("id");
            let kg = material["recommended_stock_kg"].as_f64().expect("kg");
            // Both sides print their figure to the gram; on these checks they are equal.
            let expected = format!("    {id}: engine {kg:.3} kg, numpy {kg:.3} kg, +0.000 kg");
            assert!(
                printed.lines().any(|line| line.starts_with(&expected)),
                "{name}: expected `{expected}` in\n{printed}"
            );
        }
    }
}
