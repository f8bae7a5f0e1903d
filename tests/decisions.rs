//! Decision support (MODEL.md "sensitivity", "spending a budget", "comparing two
//! versions"): the figures around the number a director signs off.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use stockpile_planner::engine::sensitivity::{Sensitivity, sensitivity};
use stockpile_planner::engine::{self, RunControl, RunOptions};
use stockpile_planner::project::*;

fn example(name: &str) -> Project {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/spec/examples")
        .join(name);
    match load_file(&path) {
        Ok(loaded) => loaded.project,
        Err(err) => panic!("{err}"),
    }
}

fn run_sensitivity(project: &Project, options: &RunOptions) -> Sensitivity {
    let cancel = AtomicBool::new(false);
    let control = RunControl {
        cancel: &cancel,
        progress: &|_| {},
    };
    sensitivity(project, options, None, &control).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn sensitivity_base_is_recommends_figure_and_untouched_inputs_give_no_bar() {
    let mut project = example("format2/full-format.ron");
    // A product that uses only dysprosium: its inputs can never move NdPr.
    let mut magnet = Product::new("dy_only", "Dysprosium additive", 500.0);
    magnet.demand_cv = 0.2;
    magnet.bill_of_materials = KgByMaterial(vec![("dy".to_owned(), 0.05)]);
    project.products.push(magnet);
    let options = RunOptions {
        paths: Some(1_000),
        ..RunOptions::default()
    };
    let result = run_sensitivity(&project, &options);
    let rec = engine::recommend(&project, &options).unwrap_or_else(|err| panic!("{err}"));
    for (m, figures) in result.materials.iter().enumerate() {
        assert_eq!(
            figures.recommended_stock_kg, rec.materials[m].recommended_stock_kg,
            "material {m}"
        );
        // Ranked by swing, largest first.
        for pair in figures.bars.windows(2) {
            assert!(pair[0].swing_kg() >= pair[1].swing_kg());
        }
        // Every bar moves the figure on at least one side.
        for bar in &figures.bars {
            assert!(
                bar.recommended_low_kg != figures.recommended_stock_kg
                    || bar.recommended_high_kg != figures.recommended_stock_kg
            );
        }
    }
    let items = |m: usize| -> Vec<&str> {
        result.materials[m]
            .bars
            .iter()
            .map(|bar| result.inputs[bar.input].item.as_str())
            .collect()
    };
    assert!(!items(0).contains(&"dy_only"), "{:?}", items(0));
    assert!(!items(0).contains(&"dy"), "{:?}", items(0));
    assert!(items(1).contains(&"dy_only"), "{:?}", items(1));
    // The event that drives both materials is among the bars, with its distribution
    // written as in the file.
    let duration = result
        .inputs
        .iter()
        .find(|input| input.item == "lapse/Licensing resumes" && input.field == "duration_months")
        .expect("the duration input");
    assert_eq!(duration.low.to_string(), "Triangular(2.25,4.5,9.0)");
    assert_eq!(duration.high.to_string(), "Triangular(3.75,7.5,15.0)");
}

#[test]
fn sensitivity_of_a_certain_cut_moves_by_the_model_exactly() {
    // Check 1: 0.9 x 100 kg for six months. Exposed share 0.8 and 1.0 give 480 and
    // 600 kg; the cut's duration x0.75 and x1.25 gives 4.5 and 7.5 months.
    let project = example("check1-full-cut.ron");
    let result = run_sensitivity(&project, &RunOptions::default());
    let figures = &result.materials[0];
    assert_eq!(figures.recommended_stock_kg, 540.0);
    let bar = |field: &str| {
        figures
            .bars
            .iter()
            .find(|bar| result.inputs[bar.input].field == field)
            .map(|bar| (bar.recommended_low_kg, bar.recommended_high_kg))
    };
    assert_eq!(bar("exposed_share"), Some((480.0, 600.0)));
    assert_eq!(bar("duration_months"), Some((405.0, 675.0)));
    assert_eq!(bar("units_per_month"), Some((432.0, 648.0)));
    // A one-scenario project's weight changes nothing; neither does a zero lead time.
    assert!(
        figures
            .bars
            .iter()
            .all(|bar| result.inputs[bar.input].item_kind.key() != "scenario")
    );
    assert_eq!(bar("lead_time_days"), None);
}
