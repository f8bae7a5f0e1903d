//! UI tests of the desktop app, driven by labels through AccessKit (egui_kittest),
//! with no display and no GPU. The worker thread really runs the engine; tests step
//! the harness until its result arrives (bounded).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stockpile_planner::app::{AppDirs, Command, PathPurpose, Selection, StockpileApp};
use stockpile_planner::export::text;
use stockpile_planner::presets;
use stockpile_planner::project::{
    Dist, EndUses, Event, FieldPath, MaterialSet, Project, QualificationStart, ServiceLevel,
    StartMonth, load_file,
};

fn example() -> Project {
    presets::example()
        .load()
        .map(|loaded| loaded.project)
        .unwrap_or_else(|err| panic!("the example loads: {err}"))
}

fn harness(app: StockpileApp) -> Harness<'static, StockpileApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut StockpileApp| app.ui_root(ui), app)
}

/// Steps until the figures on screen are current (the worker finished), at most 60 s.
fn wait_for_figures(harness: &mut Harness<'static, StockpileApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        harness.step();
        if harness.state().current_figures().is_some() && !harness.state().worker.is_busy() {
            harness.step();
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the computation did not finish within 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Steps until no file is being written (saves and exports run in the background),
/// at most 60 s.
fn wait_for_writes(harness: &mut Harness<'static, StockpileApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        harness.step();
        if !harness.state().is_writing() {
            harness.step();
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the file was not written within 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn recommended_kg(app: &StockpileApp, material: usize) -> f64 {
    app.current_figures()
        .and_then(|c| c.recommendation.materials.get(material))
        .map(|m| m.recommended_stock_kg)
        .unwrap_or_else(|| panic!("figures for material {material}"))
}

#[test]
fn editing_a_products_volume_changes_the_recommendation() {
    let mut harness = harness(StockpileApp::new_for_tests(example()));
    wait_for_figures(&mut harness);
    let before = recommended_kg(harness.state(), 0);
    let volume = harness.state().document.project.products[0].units_per_month;
    let product_name = harness.state().document.project.products[0].name.clone();

    harness.get_by_label(&product_name).click();
    harness.step();
    harness.step();
    assert_eq!(harness.state().selection, Selection::Product(0));
    harness
        .get_by_label("Units per month")
        .set_text_value_accesskit(&format!("{}", volume * 2.0));
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project.products[0].units_per_month,
        volume * 2.0
    );
    assert!(
        harness.state().figures_are_stale(),
        "the old figures are marked stale at once"
    );
    assert!(harness.state().document.is_dirty());
    assert!(
        harness.state().title().ends_with('•'),
        "dirty marker in the title"
    );

    wait_for_figures(&mut harness);
    let after = recommended_kg(harness.state(), 0);
    assert!(
        after > before * 1.2,
        "doubling the volume raises the recommended stock: {before} -> {after}"
    );
}

#[test]
fn an_invalid_share_shows_its_message_at_the_field_and_stops_the_run() {
    let mut harness = harness(StockpileApp::new_for_tests(example()));
    harness
        .state_mut()
        .push(Command::Select(Selection::Material(0)));
    harness.step();
    harness.step();
    harness
        .get_by_label("Exposed share")
        .set_text_value_accesskit("1.5");
    harness.step();
    harness.step();
    harness.step();
    let app = harness.state();
    assert_eq!(
        app.document.project.materials[0].exposed_share, 1.5,
        "stored as typed, not clamped"
    );
    let message = app
        .document
        .validation
        .error_at(&FieldPath::material(0).field("exposed_share"))
        .unwrap_or_else(|| panic!("a validation error at the field"))
        .to_owned();
    assert_eq!(message, "exposed share must be between 0% and 100%");
    // The message is on screen (beside the field and in the status bar).
    let shown = harness
        .query_all_by_label_contains("outside [0, 1]")
        .count();
    assert!(shown >= 1, "the message is shown in the window");
    assert!(
        harness.query_by_label_contains("not computed").is_some(),
        "the status bar says why"
    );
    assert!(!harness.state().worker.is_busy(), "no run while invalid");
}

#[test]
fn undo_and_redo_with_the_keyboard() {
    let mut harness = harness(StockpileApp::new_for_tests(example()));
    let original = harness.state().document.project.clone();
    harness
        .state_mut()
        .push(Command::Select(Selection::Material(0)));
    harness.step();
    harness.step();
    harness
        .get_by_label("On hand")
        .set_text_value_accesskit("12345");
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project.materials[0].on_hand_kg,
        12345.0
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project,
        original,
        "Ctrl+Z undoes the edit"
    );
    assert!(
        !harness.state().document.is_dirty(),
        "back at the saved state: not dirty"
    );
    assert_eq!(
        harness
            .get_by_label("On hand")
            .value()
            .map(|v| v.replace(' ', "")),
        Some(format!("{}", original.materials[0].on_hand_kg)),
        "the field shows the restored value"
    );

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project.materials[0].on_hand_kg,
        12345.0,
        "Ctrl+Shift+Z redoes"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project.materials[0].on_hand_kg,
        12345.0,
        "Ctrl+Y redoes too"
    );
}

#[test]
fn a_scenario_is_inserted_from_the_catalogue() {
    let mut harness = harness(StockpileApp::new_for_tests(example()));
    let count = harness.state().document.project.scenarios.len();
    harness
        .state_mut()
        .push(Command::Select(Selection::Scenarios));
    harness.step();
    harness.step();
    harness
        .get_by_label("+ Insert scenario from catalogue")
        .click();
    harness.step();
    harness.step();
    harness.get_by_label("Military end-use refusals").click();
    harness.step();
    harness.step();
    let project = &harness.state().document.project;
    assert_eq!(project.scenarios.len(), count + 1);
    let inserted = &project.scenarios[count];
    assert_eq!(inserted.name, "Military end-use refusals");
    assert_eq!(
        harness.state().selection,
        Selection::Scenario(count),
        "the new scenario is shown"
    );
    assert!(
        !inserted.events.is_empty(),
        "the template's events come with it"
    );
    // Undo removes it again.
    harness.state_mut().push(Command::Undo);
    harness.step();
    assert_eq!(harness.state().document.project.scenarios.len(), count);
}

#[test]
fn save_and_reload_gives_the_same_project_with_the_figures_shown() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let app = StockpileApp::new_for_tests_with_dirs(example(), AppDirs::under(dir.path()));
    let mut harness = harness(app);
    harness
        .state_mut()
        .push(Command::Select(Selection::Material(0)));
    harness.step();
    harness.step();
    harness
        .get_by_label("Price per kg")
        .set_text_value_accesskit("81.25");
    harness.step();
    harness.step();
    let edited = harness.state().document.project.clone();
    assert_eq!(edited.materials[0].price_per_kg, 81.25);

    // Saved at once after the edit: the save waits for the edited project's figures.
    let file = dir.path().join("plan.ron");
    harness.state_mut().push(Command::SaveAs(file.clone()));
    harness.step();
    assert!(
        harness.state().save_is_held(),
        "the save waits for the figures"
    );
    assert!(
        !file.exists(),
        "nothing written before the figures are there"
    );
    harness.step();
    harness.get_by_label("Saving when the figures are ready…");
    wait_for_figures(&mut harness);
    wait_for_writes(&mut harness);
    assert!(!harness.state().save_is_held());
    assert!(!harness.state().document.is_dirty(), "saved: not dirty");
    assert_eq!(
        harness.state().document.path.as_deref(),
        Some(file.as_path())
    );
    let shown: Vec<(String, f64)> = edited
        .materials
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), recommended_kg(harness.state(), i)))
        .collect();
    let loaded = load_file(&file).unwrap_or_else(|e| panic!("the saved file loads: {e}"));
    let saved = loaded
        .project
        .saved_results
        .clone()
        .unwrap_or_else(|| panic!("saving writes saved_results"));
    assert_eq!(saved.program, stockpile_planner::engine::saved::PROGRAM);
    assert_eq!(saved.computed, stockpile_planner::engine::saved::today());
    assert_eq!((saved.paths, saved.seed), (edited.paths, edited.seed));
    assert_eq!(saved.recommended_stock_kg.0, shown, "the figures shown");
    assert_eq!(
        Project {
            saved_results: None,
            ..loaded.project.clone()
        },
        edited
    );
    assert_eq!(
        harness.state().document.project,
        loaded.project,
        "the document holds what was written"
    );
    // Writing the figures is no edit: one undo step (the price), and undoing it
    // leaves the document unsaved.
    harness.state_mut().push(Command::Undo);
    harness.step();
    assert!(!harness.state().document.can_undo());
    assert!(harness.state().document.is_dirty());

    // Open it again in a fresh app: the same project, its figures agree (no
    // notice), and it is remembered as recent.
    let mut other = self::harness(StockpileApp::new_for_tests_with_dirs(
        example(),
        AppDirs::under(dir.path()),
    ));
    other.state_mut().push(Command::Open(file.clone()));
    wait_for_figures(&mut other);
    other.step();
    assert_eq!(other.state().document.project, loaded.project);
    assert!(
        other.state().document.saved_check.is_none(),
        "the saved figures were compared"
    );
    assert!(
        other
            .state()
            .notices
            .iter()
            .all(|n| !n.text.contains("differ")),
        "{:?}",
        other.state().notices
    );
    let reopened = StockpileApp::at_start(None, AppDirs::under(dir.path()));
    assert_eq!(
        reopened.document.project, loaded.project,
        "the last project opens at start"
    );
}

#[test]
fn autosave_is_offered_after_a_crash_and_a_changed_file_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let dirs = AppDirs::under(dir.path());
    let file = dir.path().join("plan.ron");
    let mut saving = harness(StockpileApp::new_for_tests_with_dirs(
        example(),
        dirs.clone(),
    ));
    wait_for_figures(&mut saving);
    let mut app = saving.into_state();
    app.push(Command::SaveAs(file.clone()));
    app.apply_commands(None);
    assert!(file.exists());
    app.push(Command::Edit(stockpile_planner::app::Edit::new(
        "name",
        |p| p.name = "Edited".into(),
    )));
    app.apply_commands(None);
    app.autosave_now()
        .unwrap_or_else(|e| panic!("autosave: {e}"));
    drop(app); // as if killed

    let mut restarted = StockpileApp::at_start(None, dirs.clone());
    assert!(
        restarted.dialogs.autosave.is_some(),
        "the autosave is offered"
    );
    restarted.push(Command::RestoreAutosave);
    restarted.apply_commands(None);
    assert_eq!(restarted.document.project.name, "Edited");
    assert!(restarted.document.is_dirty(), "restored work is unsaved");
    assert!(
        dirs.autosave_file().is_some_and(|f| !f.exists()),
        "the stale copy is removed"
    );

    // Someone else changes the file: saving asks instead of overwriting.
    let mut text = std::fs::read_to_string(&file).unwrap_or_default();
    text.push_str("\n// changed by a colleague\n");
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    // The save waits for the restored project's figures, then asks.
    let mut restarted = harness(restarted);
    restarted.state_mut().push(Command::Save);
    wait_for_figures(&mut restarted);
    restarted.step();
    assert!(
        restarted.state().dialogs.disk_conflict.is_some(),
        "asks before overwriting"
    );
    assert!(restarted.state().document.is_dirty());
}

#[test]
fn a_broken_file_shows_its_error_and_falls_back_to_the_example() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let file = dir.path().join("broken.ron");
    std::fs::write(&file, "Project(format_version: 1, name: ").unwrap_or_else(|e| panic!("{e}"));
    let app = StockpileApp::at_start(Some(file), AppDirs::under(dir.path()));
    assert_eq!(app.document.project, example());
    assert!(
        app.notices
            .iter()
            .any(|n| n.is_error && n.text.contains("broken.ron"))
    );
}

/// Not a test of behaviour: measures the frame time while a 100,000-path run goes
/// on, and the time from an edit to updated figures, on the reference plant.
/// `cargo test --release --test app -- --ignored --nocapture measure`
#[test]
#[ignore]
fn measure_frame_time_and_edit_to_chart() {
    let mut project = stockpile_planner::reference::reference_plant();
    let mut harness = harness(StockpileApp::new_for_tests(project.clone()));
    wait_for_figures(&mut harness);
    harness
        .state_mut()
        .push(Command::Select(Selection::Material(0)));
    harness.step();
    harness.step();
    // Edit to updated figures at the reference plant's own paths.
    let started = Instant::now();
    harness
        .get_by_label("On hand")
        .set_text_value_accesskit("123456");
    wait_for_figures(&mut harness);
    println!(
        "edit to updated chart (reference plant, {} paths): {} ms (includes the 300 ms debounce)",
        project.paths,
        started.elapsed().as_millis()
    );
    // Frame time while a 100,000-path run is under way.
    project.paths = 100_000;
    let mut harness = harness_for(project);
    harness
        .state_mut()
        .push(Command::Select(Selection::Material(0)));
    let mut frames = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    while (harness.state().current_figures().is_none() || harness.state().worker.is_busy())
        && Instant::now() < deadline
    {
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(5));
    }
    frames.sort_by(f64::total_cmp);
    let n = frames.len().max(1);
    println!(
        "frames during a 100,000-path run: {} frames, median {:.2} ms, p95 {:.2} ms, max {:.2} ms; run took {} ms",
        frames.len(),
        frames[n / 2],
        frames[(n * 95 / 100).min(n - 1)],
        frames[n - 1],
        harness
            .state()
            .current_figures()
            .map_or(0, |c| c.elapsed.as_millis())
    );
}

fn harness_for(project: Project) -> Harness<'static, StockpileApp> {
    harness(StockpileApp::new_for_tests(project))
}

fn select(harness: &mut Harness<'static, StockpileApp>, selection: Selection) {
    harness.state_mut().push(Command::Select(selection));
    harness.step();
    harness.step();
}

#[test]
fn the_rebuild_switch_in_settings_changes_the_project() {
    let mut harness = harness_for(example());
    let before = harness.state().document.project.rebuild_after_disruption;
    select(&mut harness, Selection::Settings);
    harness
        .get_by_label("Rebuild the stock after a disruption")
        .click();
    harness.step();
    harness.step();
    let app = harness.state();
    assert_eq!(app.document.project.rebuild_after_disruption, !before);
    assert!(app.document.is_dirty());
    assert!(app.document.can_undo(), "one undo step");
}

#[test]
fn an_alternative_qualified_ahead_changes_the_project_and_its_figures() {
    let mut project = example();
    project.materials[0].alternatives.truncate(1);
    project.materials[0].alternatives[0].qualification_starts = QualificationStart::AtFirstLoss;
    let mut harness = harness_for(project);
    wait_for_figures(&mut harness);
    let before = recommended_kg(harness.state(), 0);
    select(&mut harness, Selection::Material(0));
    // Below the fold: clicked through AccessKit, as a screen reader would.
    harness
        .get_by_label("Qualification starts")
        .click_accesskit();
    harness.step();
    harness.step();
    harness
        .get_by_label("Now (qualified ahead)")
        .click_accesskit();
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project.materials[0].alternatives[0].qualification_starts,
        QualificationStart::AtPlanStart
    );
    wait_for_figures(&mut harness);
    let after = recommended_kg(harness.state(), 0);
    assert!(
        after < before,
        "an alternative qualified ahead delivers sooner: {before} -> {after}"
    );
}

#[test]
fn notes_on_products_and_scenarios_are_edited() {
    let original = example();
    let mut harness = harness_for(original.clone());
    select(&mut harness, Selection::Product(0));
    harness
        .get_by_label("Notes")
        .set_text_value_accesskit("Volumes: sales plan rev. 4.");
    harness.step();
    harness.step();
    select(&mut harness, Selection::Scenario(1));
    harness
        .get_by_label("Notes")
        .set_text_value_accesskit("Weight agreed with the risk committee.");
    harness.step();
    harness.step();
    let project = &harness.state().document.project;
    assert_eq!(project.products[0].notes, "Volumes: sales plan rev. 4.");
    assert_eq!(
        project.scenarios[1].notes,
        "Weight agreed with the risk committee."
    );
    assert_eq!(project.products[1].notes, original.products[1].notes);
    assert_eq!(project.scenarios[0].notes, original.scenarios[0].notes);
}

/// The example with supply of its first material cut for good in the first
/// scenario (a full cut over the whole horizon, no alternatives).
fn permanently_cut() -> Project {
    let mut project = example();
    project.materials[0].alternatives.clear();
    let only = MaterialSet::Only(vec![project.materials[0].id.clone()]);
    project.scenarios[0].events.push(Event::Once {
        name: "Permanent refusal".to_owned(),
        materials: only,
        end_uses: EndUses::All,
        start: StartMonth::Fixed(project.start),
        duration_months: Dist::Fixed(f64::from(project.horizon_months)),
        supply_cut: Dist::Fixed(1.0),
        licence_delay_days: Dist::Fixed(0.0),
        price_multiplier: 1.0,
        probability: 1.0,
    });
    project
}

#[test]
fn an_open_ended_buffer_says_so_in_the_card_and_the_material_view() {
    let mut harness = harness_for(permanently_cut());
    wait_for_figures(&mut harness);
    let (project, sentences, horizon) = {
        let computed = harness
            .state()
            .current_figures()
            .unwrap_or_else(|| panic!("figures"));
        let m = &computed.recommendation.materials[0];
        assert!(m.open_ended, "a permanent full cut is open-ended");
        assert!(
            !computed.recommendation.materials[1].open_ended,
            "the other materials get their supply back"
        );
        (
            computed.project.clone(),
            text::open_ended_sentences(&computed.project, m),
            computed.recommendation.horizon_months,
        )
    };
    assert_eq!(sentences.len(), 1, "{sentences:?}");
    assert!(sentences[0].starts_with(&format!("{}:", project.scenarios[0].name)));
    let one_off = format!("for this {horizon}-month plan only (it grows with the horizon)");
    // The overview card.
    harness.get_by_label(&sentences[0]);
    assert_eq!(harness.query_all_by_label_contains(&one_off).count(), 1);
    assert_eq!(
        harness.query_all_by_label_contains("open-ended").count(),
        1,
        "the summary table marks the buffer"
    );
    // The material view.
    select(&mut harness, Selection::Material(0));
    harness.get_by_label(&sentences[0]);
    assert_eq!(harness.query_all_by_label_contains(&one_off).count(), 1);
    select(&mut harness, Selection::Material(1));
    assert_eq!(
        harness
            .query_all_by_label_contains("only buys time")
            .count(),
        0
    );
}

#[test]
fn the_buildup_tab_says_whether_the_plan_is_in_time() {
    let mut harness = harness_for(example());
    wait_for_figures(&mut harness);
    select(&mut harness, Selection::Material(0));
    harness.get_by_label("Build-up plan").click();
    harness.step();
    harness.step();
    let (feasibility, risk, too_late) = {
        let computed = harness
            .state()
            .current_figures()
            .unwrap_or_else(|| panic!("figures"));
        let rec = &computed.recommendation;
        (
            text::buildup_feasibility(&computed.project, rec, 0),
            text::buildup_risk(rec, &rec.materials[0]),
            rec.materials[0].buildup.too_late(),
        )
    };
    assert_eq!(
        feasibility.starts_with("Too late"),
        too_late,
        "{feasibility}"
    );
    harness.get_by_label(&feasibility);
    harness.get_by_label(&risk);
    for figure in [
        "Bought by the plan",
        "Capital for the whole gap",
        "Value of buying ahead",
    ] {
        harness.get_by_label(figure);
    }
}

#[test]
fn a_file_whose_saved_figures_differ_says_so_naming_the_materials() {
    // Its saved results are made up (FORMAT.md): both materials differ.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/spec/examples/format2/full-format.ron");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let app = StockpileApp::at_start(Some(file), AppDirs::under(dir.path()));
    let mut harness = harness(app);
    wait_for_figures(&mut harness);
    let warning = harness
        .state()
        .notices
        .iter()
        .find(|n| n.text.contains("differ from what this program computes"))
        .map(|n| n.text.clone())
        .unwrap_or_else(|| panic!("a notice: {:?}", harness.state().notices));
    assert!(
        warning.contains("ndpr_oxide saved 13.3 t, computed") && warning.contains("; dy saved 41"),
        "{warning}"
    );
    // Shown in the window, and dismissed with its button.
    harness.get_by_label(&warning);
    harness.get_by_label("x").click();
    harness.step();
    harness.step();
    assert_eq!(harness.query_all_by_label(&warning).count(), 0);
}

#[test]
fn saved_figures_with_other_paths_are_checked_with_a_run_of_their_own() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    // Figures saved with 2,000 paths: the app runs its 10,000 and checks with 2,000.
    let mut project = example();
    project.saved_results = Some(stockpile_planner::project::SavedResults {
        program: "stockpile-planner 0.1.0".to_owned(),
        computed: "2026-11-01".to_owned(),
        paths: 2000,
        seed: project.seed,
        recommended_stock_kg: stockpile_planner::project::KgByMaterial(vec![(
            project.materials[1].id.clone(),
            1.0,
        )]),
    });
    let file = dir.path().join("other-paths.ron");
    stockpile_planner::project::save_file(&project, &file).unwrap_or_else(|e| panic!("save: {e}"));
    let mut harness = harness(StockpileApp::at_start(
        Some(file),
        AppDirs::under(dir.path()),
    ));
    let deadline = Instant::now() + Duration::from_secs(60);
    while harness.state().document.saved_check.is_some() {
        assert!(Instant::now() < deadline, "the check did not finish");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let notices: Vec<&str> = harness
        .state()
        .notices
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    let warning = notices
        .iter()
        .find(|n| n.contains("the same 2,000 paths"))
        .unwrap_or_else(|| panic!("{notices:?}"));
    let first = &harness.state().document.project.materials[0].id;
    assert!(
        warning.contains(&format!("{first} saved none, computed")),
        "a material the file does not name: {warning}"
    );
    assert!(warning.contains("saved 1.0 kg, computed"), "{warning}");
}

#[test]
fn a_held_save_is_dropped_when_another_project_replaces_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let file = dir.path().join("plan.ron");
    let mut harness = harness(StockpileApp::new_for_tests_with_dirs(
        example(),
        AppDirs::under(dir.path()),
    ));
    harness.state_mut().push(Command::SaveAs(file.clone()));
    harness.step();
    assert!(harness.state().save_is_held(), "the first run is not done");
    harness.state_mut().push(Command::NewFromPreset(1));
    wait_for_figures(&mut harness);
    assert!(!harness.state().save_is_held());
    assert!(
        !file.exists(),
        "the new project is not written where the old one was to go"
    );
}

#[test]
fn a_decimal_comma_is_read_as_one_and_an_ambiguous_amount_is_refused_at_the_field() {
    let mut harness = harness_for(example());
    select(&mut harness, Selection::Material(0));
    let before = harness.state().document.project.materials[0].price_per_kg;

    harness
        .get_by_label("Price per kg")
        .set_text_value_accesskit("55,5");
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project.materials[0].price_per_kg,
        55.5,
        "55,5 is 55.5, never 555"
    );

    // Typed into the focused field, as a buyer would.
    harness.get_by_label("Price per kg").click();
    harness.step();
    harness
        .get_by_label("Price per kg")
        .set_text_value_accesskit("1,234");
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project.materials[0].price_per_kg,
        55.5,
        "an ambiguous amount changes nothing"
    );
    assert!(
        harness
            .query_by_label_contains("write 1234 or 1,234.0")
            .is_some(),
        "the field says why and what to write"
    );

    // Leaving the field shows the value actually used, and why the text was not.
    harness.get_by_label("On hand").click();
    harness.step();
    harness.step();
    assert_eq!(
        harness.get_by_label("Price per kg").value().as_deref(),
        Some("55.5")
    );
    assert!(
        harness.query_by_label_contains("kept 55.5").is_some(),
        "the refusal stays in view after the field is left"
    );
    assert_ne!(before, 55.5);
}

#[test]
fn a_price_a_thousand_times_the_others_is_questioned_but_used() {
    let mut harness = harness_for(example());
    select(&mut harness, Selection::Material(0));
    let others: Vec<f64> = harness.state().document.project.materials[1..]
        .iter()
        .map(|m| m.price_per_kg)
        .collect();
    assert!(!others.is_empty(), "the example has more than one material");
    let huge = others.iter().copied().fold(0.0, f64::max) * 5000.0;
    harness
        .get_by_label("Price per kg")
        .set_text_value_accesskit(&format!("{huge}"));
    harness.step();
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project.materials[0].price_per_kg,
        huge,
        "a warning, not a refusal"
    );
    assert!(
        harness
            .query_by_label_contains("over a thousand times the others")
            .is_some()
    );
}

#[test]
fn removing_a_used_material_asks_says_what_uses_it_and_leaves_a_valid_project() {
    let original = example();
    let material = original.materials[0].clone();
    let product = original
        .products
        .iter()
        .find(|p| p.bill_of_materials.kg_per_unit(&material.id).is_some())
        .map(|p| p.name.clone())
        .unwrap_or_else(|| panic!("a product of the example uses {}", material.id));
    let mut harness = harness_for(original.clone());
    select(&mut harness, Selection::Material(0));

    harness.get_by_label("Remove material").click_accesskit();
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project,
        original,
        "nothing is removed before the answer"
    );
    assert!(
        harness
            .query_by_label(&format!("Remove {}?", material.name))
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains(&format!("product {product}"))
            .is_some(),
        "the question names what uses the material"
    );

    // Escape cancels.
    harness.key_press(Key::Escape);
    harness.step();
    harness.step();
    assert!(
        harness
            .query_by_label("Remove material and its uses")
            .is_none()
    );
    assert_eq!(harness.state().document.project, original);

    harness.get_by_label("Remove material").click_accesskit();
    harness.step();
    harness.step();
    harness.get_by_label("Remove material and its uses").click();
    harness.step();
    harness.step();
    let app = harness.state();
    let project = &app.document.project;
    assert_eq!(project.materials.len(), original.materials.len() - 1);
    assert!(
        project
            .products
            .iter()
            .all(|p| p.bill_of_materials.kg_per_unit(&material.id).is_none()),
        "no bill of materials names the removed material"
    );
    assert!(
        app.document.validation.is_valid(),
        "{:?}",
        app.document.validation
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().document.project,
        original,
        "one undo brings the material and its uses back"
    );
}

#[test]
fn a_dangling_reference_from_a_file_is_shown_where_it_can_be_cleared() {
    let mut project = example();
    project.products[0]
        .bill_of_materials
        .set("ghost", Some(0.5));
    let mut ids: Vec<String> = project.materials.iter().map(|m| m.id.clone()).collect();
    ids.push("ghost".to_owned());
    let scenario = project
        .scenarios
        .iter()
        .position(|s| !s.events.is_empty())
        .unwrap_or_else(|| panic!("a scenario of the example has an event"));
    match &mut project.scenarios[scenario].events[0] {
        Event::Once { materials, .. } | Event::Recurring { materials, .. } => {
            *materials = MaterialSet::Only(ids);
        }
    }
    let mut harness = harness_for(project);
    assert!(!harness.state().document.validation.is_valid());

    select(&mut harness, Selection::Product(0));
    harness
        .get_by_label("Clear unknown material \"ghost\"")
        .click_accesskit();
    harness.step();
    harness.step();
    select(&mut harness, Selection::Scenario(scenario));
    harness
        .get_by_label("Clear unknown material \"ghost\"")
        .click_accesskit();
    harness.step();
    harness.step();
    let app = harness.state();
    assert_eq!(
        app.document.project.products[0]
            .bill_of_materials
            .kg_per_unit("ghost"),
        None
    );
    assert!(
        app.document.validation.is_valid(),
        "{:?}",
        app.document.validation
    );
}

#[test]
fn the_service_level_used_is_shown_beside_the_figures_each_materials_own_with_auto() {
    let mut project = example();
    project.service_level = ServiceLevel::Auto;
    let mut harness = harness_for(project);
    wait_for_figures(&mut harness);
    let levels: Vec<f64> = harness
        .state()
        .current_figures()
        .map(|c| {
            c.recommendation
                .materials
                .iter()
                .map(|m| m.service_level)
                .collect()
        })
        .unwrap_or_default();
    assert!(!levels.is_empty());
    assert!(
        harness
            .query_by_label_contains("cost-optimal service level per material")
            .is_some(),
        "the overview says the levels are per material"
    );
    for level in &levels {
        let shown = format!(
            "Figures at the service level {} (Auto: cost-optimal for this material)",
            text::level_percent(*level)
        );
        assert!(
            harness.query_all_by_label(&shown).count() >= 1,
            "each card names its material's own level: {shown}"
        );
    }

    // A material's own view names it too, and a fixed level is named as such.
    select(&mut harness, Selection::Material(0));
    let own = format!(
        "Figures at the service level {} (Auto: cost-optimal for this material)",
        text::level_percent(levels[0])
    );
    assert!(harness.query_by_label(&own).is_some(), "{own}");
    harness
        .state_mut()
        .push(Command::Edit(stockpile_planner::app::Edit::new(
            "service_level",
            |p| p.service_level = ServiceLevel::Fixed(0.9),
        )));
    wait_for_figures(&mut harness);
    assert!(
        harness
            .query_by_label("Figures at the service level 90%")
            .is_some()
    );
}

#[test]
fn the_typed_path_dialog_proposes_a_name_takes_the_focus_and_answers_enter_and_escape() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let document = dir.path().join("ndpr-plan.ron");
    let app = StockpileApp::new(
        example(),
        Some(document),
        AppDirs::under(dir.path()),
        Default::default(),
    );
    let mut harness = harness(app);
    wait_for_figures(&mut harness);

    // Escape cancels.
    harness
        .state_mut()
        .push(Command::AskPath(PathPurpose::SaveAs));
    harness.step();
    harness.step();
    harness.step();
    assert!(
        harness.query_by_label("Save the project as").is_some(),
        "{:?} {:?}",
        harness.state().dialogs.typed_path,
        harness.state().notices
    );
    harness.key_press(Key::Escape);
    harness.step();
    harness.step();
    assert!(harness.query_by_label("Save the project as").is_none());
    assert!(harness.state().dialogs.typed_path.is_none());

    harness
        .state_mut()
        .push(Command::AskPath(PathPurpose::ExportChart));
    harness.step();
    harness.step();
    harness.step();
    let field = harness.get_by_label("File path");
    let proposed = dir.path().join("ndpr-plan.svg");
    assert_eq!(
        field.value().map(PathBuf::from),
        Some(proposed),
        "the document's folder and name, with the chart's extension"
    );
    assert!(field.is_focused(), "ready to type");

    // A name without extension gets .svg; Enter confirms.
    let typed = dir.path().join("chart-for-the-board");
    field.set_text_value_accesskit(&typed.display().to_string());
    harness.step();
    harness.key_press(Key::Enter);
    harness.step();
    harness.step();
    assert!(harness.state().dialogs.typed_path.is_none());
    // The chart is written in the background; the frames go on meanwhile.
    let deadline = Instant::now() + Duration::from_secs(60);
    while harness.state().is_exporting() && Instant::now() < deadline {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        dir.path().join("chart-for-the-board.svg").exists(),
        "{:?}",
        harness.state().notices
    );
}

/// Steps until a label with `text` is on screen, at most 120 s (background work).
fn wait_for_label(harness: &mut Harness<'static, StockpileApp>, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        harness.step();
        if harness.query_by_label(text).is_some() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "\"{text}\" did not appear within 120 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn format2_example(name: &str) -> Project {
    let path = PathBuf::from("/work/shared/spec/examples/format2").join(name);
    load_file(&path)
        .map(|loaded| loaded.project)
        .unwrap_or_else(|err| panic!("{name} loads: {err}"))
}

#[test]
fn the_tornado_shows_the_inputs_that_move_a_material_and_not_those_that_cannot() {
    let mut project = example();
    let material = project.materials[0].name.clone();
    let other_id = project.materials[1].id.clone();
    // A product whose bill of materials does not list the first material: its volume
    // cannot move that material's stock.
    let mut unrelated = project.products[0].clone();
    unrelated.id = "unrelated".to_owned();
    unrelated.name = "Unrelated product".to_owned();
    unrelated.bill_of_materials.0 = vec![(other_id, 0.5)];
    project.products.push(unrelated);
    let mut harness = harness_for(project);
    wait_for_figures(&mut harness);
    select(&mut harness, Selection::Material(0));
    harness.get_by_label("What drives it").click();
    wait_for_label(&mut harness, "Stock at low");
    assert!(
        harness
            .query_by_label(&format!("Exposed share of {material}"))
            .is_some(),
        "the material's exposed share moves its stock"
    );
    assert!(
        harness
            .query_by_label("Volume of Unrelated product (units a month)")
            .is_none(),
        "a product not using the material gives no bar"
    );
    assert!(
        harness
            .query_by_label(&format!(
                "Volume of {} (units a month)",
                example().products[0].name
            ))
            .is_some(),
        "a product using it does"
    );
}

#[test]
fn a_budget_is_spent_as_check_8_says() {
    let mut harness = harness_for(format2_example("check8-budget.ron"));
    wait_for_figures(&mut harness);
    harness.get_by_label("Budget").click();
    harness.step();
    harness.step();
    harness
        .get_by_label("Budget amount")
        .set_text_value_accesskit("6 000,00");
    harness.step();
    harness.step();
    // Material A at 10 a kg covers its whole deficit, 540 kg (5,400); the 600 left buy
    // 30 kg of material B at 20 (MODEL.md check 8).
    for shown in [
        "540 kg",
        "5,400 USD",
        "30.0 kg",
        "600 USD",
        "Budget 6,000 USD: 6,000 USD spent.",
    ] {
        assert!(
            harness.query_by_label(shown).is_some(),
            "the budget panel shows {shown}"
        );
    }
}

#[test]
fn comparing_a_project_with_its_saved_version_lists_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.path().join("plan.ron");
    stockpile_planner::project::save_file(&example(), &path)
        .unwrap_or_else(|e| panic!("save: {e}"));
    let project = load_file(&path)
        .map(|loaded| loaded.project)
        .unwrap_or_else(|e| panic!("load: {e}"));
    let app = StockpileApp::new(project, Some(path), AppDirs::none(), Default::default());
    let mut harness = harness(app);
    wait_for_figures(&mut harness);
    harness.get_by_label("File").click();
    harness.step();
    harness.step();
    // A submenu opens on hover.
    harness.get_by_label("Compare with…").hover();
    harness.step();
    harness.step();
    harness.get_by_label("The version saved on disk").click();
    harness.step();
    wait_for_label(
        &mut harness,
        "No differences: the two versions have the same inputs.",
    );
    assert_eq!(harness.state().selection, Selection::Compare);
}

#[test]
fn qualify_or_stockpile_shows_beside_the_alternatives() {
    use stockpile_planner::engine::{self, RunOptions, qualify};
    let project = format2_example("check7-prequalified.ron");
    let rec = engine::recommend(&project, &RunOptions::default())
        .unwrap_or_else(|e| panic!("recommend: {e}"));
    let comparisons = qualify::compare_qualify_ahead(
        &project,
        &RunOptions::default(),
        &rec,
        &engine::RunControl::unwatched(),
    )
    .unwrap_or_else(|e| panic!("qualify: {e}"));
    assert_eq!(
        comparisons.len(),
        1,
        "one material still qualifies at the first loss"
    );
    let sentence = text::qualify_ahead_sentence(&project, &comparisons[0]);
    let mut harness = harness_for(project);
    wait_for_figures(&mut harness);
    select(&mut harness, Selection::Material(comparisons[0].material));
    wait_for_label(&mut harness, &sentence);
    assert!(harness.query_by_label("Qualify or stockpile").is_some());
    select(&mut harness, Selection::Material(1));
    assert!(
        harness.query_by_label("Qualify or stockpile").is_none(),
        "a material whose alternatives are all qualified ahead has nothing to compare"
    );
}

#[test]
fn a_problem_shows_in_plain_words_at_its_field_and_the_problem_list_goes_there() {
    let mut harness = harness(StockpileApp::new_for_tests(example()));
    wait_for_figures(&mut harness);
    harness
        .state_mut()
        .push(Command::Select(Selection::Settings));
    harness
        .state_mut()
        .push(Command::Edit(stockpile_planner::app::Edit::new(
            FieldPath::material(0).field("on_hand_kg"),
            |p| p.materials[0].on_hand_kg = -5.0,
        )));
    harness.step();
    harness.step();
    assert!(
        harness.query_by_label("On hand").is_none(),
        "the material's inputs are not on screen yet"
    );
    // The status bar lists the problems; choosing one opens the material at the field.
    harness.get_by_label_contains("not computed").click();
    harness.step();
    harness.step();
    let problem = harness
        .state()
        .document
        .validation
        .errors()
        .find(|issue| issue.path == FieldPath::material(0).field("on_hand_kg"))
        .map(|issue| issue.message.clone())
        .unwrap_or_else(|| panic!("an error at the field"));
    assert!(problem.contains("-5 is negative"), "{problem}");
    harness.get_by_label(&problem).click();
    harness.step();
    harness.step();
    harness.step();
    assert_eq!(harness.state().selection, Selection::Material(0));
    assert!(
        harness
            .query_all_by_label("On hand")
            .any(|node| node.is_focused()),
        "the cursor is in the field to fix"
    );
    assert!(
        harness
            .query_by_label("on hand cannot be negative")
            .is_some(),
        "the message at the field is in plain words"
    );
    // Fixing it clears the message and the figures come back.
    let Some(field) = harness
        .query_all_by_label("On hand")
        .find(|node| node.is_focused())
    else {
        panic!("the focused field");
    };
    field.set_text_value_accesskit("250");
    harness.step();
    harness.step();
    assert!(
        harness
            .query_by_label("on hand cannot be negative")
            .is_none()
    );
    assert!(harness.state().document.validation.is_valid());
}

#[test]
fn the_summary_table_is_not_cut_in_a_1024_pixel_window() {
    let plant = load_file(std::path::Path::new(
        "tests/fixtures/reference-plant-format2.ron",
    ))
    .map(|loaded| loaded.project)
    .unwrap_or_else(|err| panic!("{err}"));
    let mut harness = Harness::builder()
        .with_size([1024.0, 768.0])
        .build_ui_state(
            |ui, app: &mut StockpileApp| app.ui_root(ui),
            StockpileApp::new_for_tests(plant),
        );
    wait_for_figures(&mut harness);
    let last_header = harness.get_by_label("Service\nlevel");
    assert!(
        last_header.rect().right() <= 1024.0,
        "the last column's header ends at {} px",
        last_header.rect().right()
    );
    // One unit per column, named in the header: the reference plant's largest
    // recommended stock is over 10 t, so the column reads in tonnes.
    assert!(harness.query_by_label("Recommended\nstock, t").is_some());
}

#[test]
fn help_shows_the_version_and_the_shortcuts_from_the_command_table() {
    let mut harness = harness(StockpileApp::new_for_tests(example()));
    harness.step();
    harness.key_press(Key::F1);
    harness.step();
    harness.step();
    let version = format!("Stockpile Planner {}", env!("CARGO_PKG_VERSION"));
    assert!(harness.query_by_label(&version).is_some(), "the version");
    assert!(
        harness.query_by_label("Save As…").is_some(),
        "a command with a shortcut"
    );
    assert!(
        harness.query_by_label_contains("Shift+S").is_some(),
        "its shortcut, as the key binding has it"
    );
    harness
        .get_by_label("Open the methodology in the browser")
        .click();
    harness.step();
    let page =
        std::fs::read_to_string(std::env::temp_dir().join("stockpile-planner-methodology.html"))
            .unwrap_or_else(|err| panic!("the methodology page: {err}"));
    assert!(page.contains("# Methodology"), "the bundled methodology");
}

#[test]
fn scenario_ticks_and_the_new_project_chooser_go_through_commands() {
    let mut harness = harness(StockpileApp::new_for_tests(example()));
    harness.step();
    harness.state_mut().push(Command::ShowScenario {
        index: 0,
        shown: false,
    });
    harness.step();
    assert_eq!(harness.state().shown_scenarios.first(), Some(&false));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.step();
    harness.step();
    assert!(
        harness
            .query_by_label("New project from a preset")
            .is_some()
    );
}

#[test]
fn the_exported_compare_chart_draws_the_series_the_app_shows() {
    use stockpile_planner::export::{ChartKind, ChartSelection, chart_svg_string};
    use stockpile_planner::vocabulary::series;

    let mut harness = harness(StockpileApp::new_for_tests(example()));
    wait_for_figures(&mut harness);
    harness
        .state_mut()
        .push(Command::Select(Selection::Material(0)));
    harness.step();
    harness.step();
    let tabs: Vec<_> = harness.query_all_by_label("Scenarios").collect();
    let Some(tab) = tabs.last() else {
        panic!("the chart tabs are shown");
    };
    tab.click();
    harness.step();
    harness.step();
    let app = harness.state();
    let computed = app
        .current_figures()
        .unwrap_or_else(|| panic!("figures are current"));
    let m = &computed.recommendation.materials[0];
    let on_screen = series::compare(&computed.project, m, |_| true, None);
    assert_eq!(
        on_screen.len(),
        computed.project.scenarios.len() + 2,
        "every scenario, the blend and the stock on hand"
    );
    for line in &on_screen {
        assert!(
            harness.query_all_by_label(&line.label).count() >= 1,
            "the app's legend names {}",
            line.label
        );
    }
    let svg = chart_svg_string(
        &computed.project,
        &computed.recommendation,
        &ChartSelection {
            material: Some(0),
            scenario: None,
            kind: ChartKind::Compare,
        },
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let svg_upper = svg.to_uppercase();
    for line in &on_screen {
        assert!(svg.contains(&line.label), "the export names {}", line.label);
        assert!(
            svg_upper.contains(&line.color.hex()),
            "the export draws {} in {}",
            line.label,
            line.color.hex()
        );
    }
}

#[test]
fn the_driving_event_is_named_when_several_scenarios_share_it() {
    use stockpile_planner::engine::{RunOptions, recommend};

    let mut project = example();
    let stop = Event::once("Export stop", project.start.plus_months(3), 6.0, 0.5);
    let mut lapse = project.scenarios[0].clone();
    lapse.name = "Truce lapses".to_owned();
    lapse.id = "lapse".to_owned();
    lapse.events = vec![stop];
    lapse.probability = 0.4;
    let mut slow = lapse.clone();
    slow.name = "Slow-walked licences".to_owned();
    slow.id = "slow".to_owned();
    let mut calm = lapse.clone();
    calm.name = "Calm".to_owned();
    calm.id = "calm".to_owned();
    calm.events.clear();
    calm.probability = 0.2;
    project.scenarios = vec![calm, lapse, slow];
    let rec = recommend(
        &project,
        &RunOptions {
            paths: Some(500),
            ..Default::default()
        },
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let m = &rec.materials[0];
    assert_eq!(m.driving_scenario, Some(1), "never the calm scenario");
    assert_eq!(
        text::driving_scenario(&project, m),
        "Export stop (2 scenarios)",
        "a table cell counts the scenarios; the sentence names them"
    );
    assert_eq!(
        text::driving_phrase(&project, m).as_deref(),
        Some(
            "the \u{201c}Export stop\u{201d} shared by \u{201c}Truce lapses\u{201d} and \u{201c}Slow-walked licences\u{201d}"
        )
    );
}

/// An app on the example with its files under a temporary dir, figures computed.
fn saving_harness(dir: &tempfile::TempDir) -> Harness<'static, StockpileApp> {
    let mut harness = harness(StockpileApp::new_for_tests_with_dirs(
        example(),
        AppDirs::under(dir.path()),
    ));
    wait_for_figures(&mut harness);
    harness
}

fn rename(name: &'static str) -> Command {
    Command::Edit(stockpile_planner::app::Edit::new("name", move |p| {
        p.name = name.into();
    }))
}

#[test]
fn a_save_is_written_in_the_background_and_then_clears_dirty() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let file = dir.path().join("plan.ron");
    let mut harness = saving_harness(&dir);
    harness.state_mut().push(rename("Edited"));
    wait_for_figures(&mut harness);
    assert!(harness.state().document.is_dirty());
    harness.state_mut().push(Command::SaveAs(file.clone()));
    harness.step();
    wait_for_writes(&mut harness);
    let app = harness.state();
    assert!(!app.document.is_dirty(), "{:?}", app.notices);
    assert_eq!(app.document.path.as_deref(), Some(file.as_path()));
    let loaded = load_file(&file).unwrap_or_else(|e| panic!("the saved file loads: {e}"));
    assert_eq!(loaded.project, app.document.project);
    assert!(
        app.notices
            .iter()
            .any(|n| !n.is_error && n.text == format!("saved {}", file.display())),
        "{:?}",
        app.notices
    );
}

#[test]
fn an_edit_made_while_the_file_is_written_keeps_the_document_dirty() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let file = dir.path().join("plan.ron");
    let mut harness = saving_harness(&dir);
    // The save takes the project as it is when it starts; the edit comes after it
    // in the same frame, so it is made while the file is written.
    harness.state_mut().push(Command::SaveAs(file.clone()));
    harness.state_mut().push(rename("Edited while saving"));
    harness.step();
    wait_for_writes(&mut harness);
    let app = harness.state();
    assert_eq!(app.document.path.as_deref(), Some(file.as_path()));
    assert_eq!(app.document.project.name, "Edited while saving");
    assert!(app.document.is_dirty(), "the edit is not in the file");
    let loaded = load_file(&file).unwrap_or_else(|e| panic!("the saved file loads: {e}"));
    assert_eq!(
        loaded.project.name,
        example().name,
        "the file holds what was saved"
    );
    // Undoing the edit brings back exactly what was written: nothing left to save.
    harness.state_mut().push(Command::Undo);
    harness.step();
    assert!(!harness.state().document.is_dirty());
}

#[test]
fn a_save_that_cannot_be_written_says_why_in_one_line_and_keeps_the_work() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let file = dir.path().join("no such folder").join("plan.ron");
    let mut harness = saving_harness(&dir);
    harness.state_mut().push(rename("Unsaved work"));
    wait_for_figures(&mut harness);
    harness.state_mut().push(Command::SaveAs(file.clone()));
    harness.step();
    wait_for_writes(&mut harness);
    let app = harness.state();
    let errors: Vec<&str> = app
        .notices
        .iter()
        .filter(|n| n.is_error)
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&file.display().to_string())
            && errors[0].ends_with("your work is kept in memory")
            && !errors[0].contains('\n'),
        "{}",
        errors[0]
    );
    assert!(app.document.is_dirty());
    assert_eq!(app.document.path, None, "still the unsaved document");
    assert_eq!(app.document.project.name, "Unsaved work");
    assert!(!file.exists());
}

#[test]
fn closing_waits_for_the_save_and_then_needs_no_question() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let file = dir.path().join("plan.ron");
    let mut harness = saving_harness(&dir);
    harness.state_mut().push(rename("Edited"));
    wait_for_figures(&mut harness);
    // Asked to close while the file is written: the document is still dirty then,
    // but the question would be moot a moment later.
    harness.state_mut().push(Command::SaveAs(file.clone()));
    harness.state_mut().push(Command::Close);
    harness.step();
    assert!(harness.state().dialogs.unsaved.is_none());
    wait_for_writes(&mut harness);
    let app = harness.state();
    assert!(!app.document.is_dirty());
    assert!(app.dialogs.unsaved.is_none(), "saved: nothing to ask");
    assert!(
        app.notices
            .iter()
            .any(|n| n.text.starts_with("the window closes once")),
        "{:?}",
        app.notices
    );
}

#[test]
fn saving_first_then_opening_another_file_writes_the_edits_then_opens_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let (file, other) = (dir.path().join("plan.ron"), dir.path().join("other.ron"));
    let mut other_project = example();
    other_project.name = "The other plan".into();
    stockpile_planner::project::save_file(&other_project, &other).unwrap_or_else(|e| panic!("{e}"));
    let mut harness = saving_harness(&dir);
    harness.state_mut().push(Command::SaveAs(file.clone()));
    harness.step();
    wait_for_writes(&mut harness);
    harness
        .state_mut()
        .push(rename("Edited before opening another"));
    wait_for_figures(&mut harness);
    harness.state_mut().push(Command::Open(other.clone()));
    harness.step();
    assert!(harness.state().dialogs.unsaved.is_some(), "asks first");
    harness
        .state_mut()
        .push(Command::AnswerUnsaved { save: true });
    harness.step();
    wait_for_writes(&mut harness);
    let app = harness.state();
    assert_eq!(app.document.path.as_deref(), Some(other.as_path()));
    assert_eq!(app.document.project.name, "The other plan");
    assert!(!app.document.is_dirty());
    let saved = load_file(&file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved.project.name, "Edited before opening another");
}

#[test]
fn the_app_states_each_recommendation_in_the_reports_words() {
    let mut harness = harness_for(example());
    wait_for_figures(&mut harness);
    let (sentences, run_out, markdown) = {
        let computed = harness
            .state()
            .current_figures()
            .unwrap_or_else(|| panic!("figures"));
        let (project, rec) = (&computed.project, &computed.recommendation);
        let report = stockpile_planner::export::render_report(
            project,
            rec,
            stockpile_planner::export::ReportFormat::Markdown,
        )
        .unwrap_or_else(|e| panic!("the report renders: {e}"));
        (
            (0..project.materials.len())
                .map(|i| text::recommendation_sentence(project, rec, i))
                .collect::<Vec<_>>(),
            text::run_out_sentence(project, rec, &rec.materials[0]),
            String::from_utf8(report).unwrap_or_else(|e| panic!("UTF-8: {e}")),
        )
    };
    assert!(sentences.len() > 1);
    for sentence in &sentences {
        assert!(
            markdown.contains(sentence.as_str()),
            "the report: {sentence}"
        );
        // The overview's card of each material says exactly that.
        harness.get_by_label(sentence);
    }
    harness.get_by_label(&run_out);
    select(&mut harness, Selection::Material(0));
    harness.get_by_label(&sentences[0]);
    harness.get_by_label(&run_out);
}

/// An app with its files under `dirs`, figures computed, autosaving after every edit.
fn autosaving_harness(dirs: &AppDirs) -> Harness<'static, StockpileApp> {
    let mut harness = harness(StockpileApp::new_for_tests_with_dirs(
        example(),
        dirs.clone(),
    ));
    wait_for_figures(&mut harness);
    harness.state_mut().set_autosave_every(Duration::ZERO);
    harness
}

/// The periodic autosave is written on its own thread (a slow disk never stalls a
/// frame) and still lands: after a crash the next start offers the edited project.
#[test]
fn the_periodic_autosave_is_written_in_the_background_and_offered_after_a_crash() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let dirs = AppDirs::under(dir.path());
    let mut harness = autosaving_harness(&dirs);
    harness.state_mut().push(rename("Edited in the background"));
    let autosave = dirs
        .autosave_file()
        .unwrap_or_else(|| panic!("the test dirs have a data dir"));
    let deadline = Instant::now() + Duration::from_secs(60);
    while !autosave.exists() {
        harness.step();
        assert!(Instant::now() < deadline, "no autosave written within 60 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Atomic: once the file is there it is whole.
    std::thread::sleep(Duration::from_millis(50));
    drop(harness); // as if killed

    let restarted = StockpileApp::at_start(None, dirs);
    let offered = restarted
        .dialogs
        .autosave
        .as_ref()
        .unwrap_or_else(|| panic!("the autosave is offered"));
    assert_eq!(offered.project.name, "Edited in the background");
}

/// Discarding the edits removes the autosave only after the one being written in the
/// background has landed, so an older copy never reappears after the removal.
#[test]
fn discarding_waits_for_the_autosave_being_written_and_leaves_none() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let dirs = AppDirs::under(dir.path());
    let mut harness = autosaving_harness(&dirs);
    harness.state_mut().push(rename("Edited, then discarded"));
    harness.step(); // the edit; the autosave starts on its thread
    harness.step();
    let mut app = harness.into_state();
    app.push(Command::CloseDiscarding);
    app.apply_commands(None);
    let autosave = dirs
        .autosave_file()
        .unwrap_or_else(|| panic!("the test dirs have a data dir"));
    assert!(!autosave.exists(), "the autosave is removed");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !autosave.exists(),
        "no write still in flight brings it back"
    );
    assert!(
        StockpileApp::at_start(None, dirs)
            .dialogs
            .autosave
            .is_none(),
        "nothing is offered at the next start"
    );
}
