//! Decision support (MODEL.md "sensitivity", "spending a budget", "comparing two
//! versions"): the figures around the number a director signs off.

use stockpile_planner::engine::sensitivity::{Sensitivity, sensitivity};
use stockpile_planner::engine::{self, RunControl, RunOptions};
use stockpile_planner::project::*;

use crate::common::spec_example as example;

fn run_sensitivity(project: &Project, options: &RunOptions) -> Sensitivity {
    sensitivity(project, options, None, &RunControl::unwatched())
        .unwrap_or_else(|err| panic!("{err}"))
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

fn plan_diff(old: &Project, new: &Project) -> engine::diff::PlanDiff {
    engine::diff::diff(old, new, &engine::RunControl::unwatched())
        .unwrap_or_else(|err| panic!("{err}"))
}

fn preset(name: &str) -> Project {
    match stockpile_planner::presets::find(name).map(|p| p.load()) {
        Some(Ok(loaded)) => loaded.project,
        _ => panic!("preset {name}"),
    }
}

#[test]
fn diffing_a_file_with_itself_lists_nothing() {
    let project = preset("defence-supplier");
    let result = plan_diff(&project, &project);
    assert!(result.changes.is_empty(), "{:?}", result.changes);
    for m in &result.materials {
        assert!(m.steps.is_empty());
        assert_eq!(m.old_recommended_stock_kg, m.new_recommended_stock_kg);
    }
}

/// A comparison runs the engine once per step, under the caller's control: a set cancel
/// flag stops it with `Cancelled` (the app drops a stale comparison), and its progress
/// counts the runs, reaching the end once.
#[test]
fn a_diff_reports_progress_over_its_runs_and_stops_when_cancelled() {
    let old = preset("ev-motor-line");
    let mut new = old.clone();
    new.materials[0].on_hand_kg += 100.0;
    new.products[0].units_per_month *= 1.1;
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let control = engine::RunControl {
        cancel: &cancel,
        progress: &|_| {},
    };
    assert_eq!(
        engine::diff::diff(&old, &new, &control).err(),
        Some(engine::RunError::Cancelled)
    );
    cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    let shares = std::sync::Mutex::new(Vec::new());
    let record = |share: f32| {
        if let Ok(mut shares) = shares.lock() {
            shares.push(share);
        }
    };
    let control = engine::RunControl {
        cancel: &cancel,
        progress: &record,
    };
    let result = engine::diff::diff(&old, &new, &control).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(result.materials[0].steps.len(), 2);
    let shares = shares.into_inner().unwrap_or_else(|err| panic!("{err}"));
    let top = shares.iter().copied().fold(0.0f32, f32::max);
    // Three runs (both ends and the step between): the last reports the whole.
    assert!((top - 1.0).abs() < 1e-6, "{top}");
    assert!(
        shares.iter().all(|s| (0.0..=1.0 + 1e-6).contains(s)),
        "{shares:?}"
    );
}

#[test]
fn diff_steps_sum_exactly_and_a_change_to_one_material_moves_only_it() {
    let old = preset("ev-motor-line");
    let mut new = old.clone();
    new.materials[0].exposed_share = (new.materials[0].exposed_share - 0.2).max(0.0);
    new.materials[0].notes.push_str(" Revised.");
    new.scenarios[0].probability *= 2.0;
    new.products[0].units_per_month *= 1.1;
    new.seed = 7;
    let result = plan_diff(&old, &new);
    // Listed: the seed (no step), the material's share and notes, the product's volume,
    // the scenario's weight.
    let fields: Vec<(&str, Option<&str>)> = result
        .changes
        .iter()
        .map(|c| (c.item.as_str(), c.field))
        .collect();
    assert!(fields.contains(&("project", Some("seed"))), "{fields:?}");
    assert!(
        fields.contains(&(old.materials[0].id.as_str(), Some("exposed_share"))),
        "{fields:?}"
    );
    assert!(
        fields.contains(&(old.materials[0].id.as_str(), Some("notes"))),
        "{fields:?}"
    );
    let share = result
        .changes
        .iter()
        .find(|c| c.field == Some("exposed_share"))
        .expect("the share change");
    assert_eq!(
        share.old.as_deref(),
        Some(&*format!("{:?}", old.materials[0].exposed_share))
    );
    for m in &result.materials {
        let change =
            m.new_recommended_stock_kg.unwrap_or(0.0) - m.old_recommended_stock_kg.unwrap_or(0.0);
        let sum = m.steps.iter().fold(0.0, |sum, step| sum + step.effect_kg);
        assert_eq!(sum, change, "{}", m.id);
        // Three steps: the material, the product, the scenario (the seed is no step).
        assert_eq!(m.steps.len(), 3, "{:?}", m.steps);
    }
    // The material step moves only the first material.
    for m in &result.materials[1..] {
        assert_eq!(m.steps[0].effect_kg, 0.0, "{}", m.id);
    }
    assert_ne!(result.materials[0].steps[0].effect_kg, 0.0);
}

#[test]
fn diff_matches_events_by_name_and_lists_added_and_removed_items() {
    let old = example("format2/full-format.ron");
    let mut new = old.clone();
    if let Some(Event::Once { name, .. }) = new.scenarios[1].events.get_mut(0) {
        *name = "Licensing resumes (renamed)".to_owned();
    }
    new.products.remove(1);
    new.materials[1].alternatives.push(Alternative {
        name: "Recycled".to_owned(),
        capacity_kg_per_month: 5.0,
        qualification_months: 3.0,
        price_premium: 0.1,
        qualification_starts: QualificationStart::AtFirstLoss,
    });
    let result = plan_diff(&old, &new);
    let listed: Vec<(String, &str)> = result
        .changes
        .iter()
        .filter(|c| c.field.is_none())
        .map(|c| (c.item.clone(), c.change.key()))
        .collect();
    assert!(
        listed.contains(&("lapse/Licensing resumes".to_owned(), "removed")),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("lapse/Licensing resumes (renamed)".to_owned(), "added")),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("actuator".to_owned(), "removed")),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("dy/Recycled".to_owned(), "added")),
        "{listed:?}"
    );
    // Steps: dy changed, the actuator removed, the lapse changed.
    let steps: Vec<&str> = result.materials[0]
        .steps
        .iter()
        .map(|s| s.words.as_str())
        .collect();
    assert_eq!(steps.len(), 3, "{steps:?}");
    // A reorder alone is no change.
    let mut reordered = old.clone();
    reordered.scenarios.reverse();
    reordered.materials.reverse();
    assert!(plan_diff(&old, &reordered).changes.is_empty());
}

// ---------------------------------------------------------------- budget

/// The expected shortage cost after buying `kg` of each material.
fn shortage_cost(rec: &engine::Recommendation, kg: &[f64]) -> f64 {
    rec.materials
        .iter()
        .zip(kg)
        .map(|(m, b)| {
            let level = m.strategic_on_hand_kg + b;
            let excess: f64 = m
                .month0_samples
                .iter()
                .zip(&rec.scenario_weights)
                .map(|(samples, w)| w * samples.expected_excess(level))
                .sum();
            m.costs.underage_cost_per_kg * excess
        })
        .sum()
}

#[test]
fn the_greedy_budget_is_no_worse_than_any_allocation_on_a_grid() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let strategy = (
        prop::collection::vec(
            (1.0..40.0f64, 0.3..1.0f64, 0.0..300.0f64, 1.0..8.0f64),
            2..=3,
        ),
        0.0..20_000.0f64,
        any::<u64>(),
    );
    runner
        .run(&strategy, |(materials, budget, seed)| {
            let mut project = example("check4-uncertain-duration.ron");
            project.paths = 200;
            project.seed = seed;
            project.shortage_cost_per_kg = Some(100.0);
            let template = project.materials[0].clone();
            project.materials = materials
                .iter()
                .enumerate()
                .map(|(i, &(price, exposed, on_hand, _))| {
                    let mut m = template.clone();
                    m.id = format!("m{i}");
                    m.price_per_kg = price;
                    m.exposed_share = exposed;
                    m.on_hand_kg = on_hand;
                    m
                })
                .collect();
            project.products[0].bill_of_materials = KgByMaterial(
                materials
                    .iter()
                    .enumerate()
                    .map(|(i, &(_, _, _, kg))| (format!("m{i}"), kg / 4.0))
                    .collect(),
            );
            let rec = engine::recommend(&project, &RunOptions::default())
                .unwrap_or_else(|err| panic!("{err}"));
            let allocation = engine::budget::allocate(&rec, budget);
            prop_assert!(allocation.spent <= budget * (1.0 + 1e-12));
            let kg: Vec<f64> = allocation.materials.iter().map(|m| m.kg).collect();
            let greedy = shortage_cost(&rec, &kg);
            let prices: Vec<f64> = rec
                .materials
                .iter()
                .map(|m| m.monthly.price_index_per_kg[0])
                .collect();
            // Every split of the budget on a grid of twentieths (the last material
            // takes what is left): none saves more shortage cost.
            let steps = 20usize;
            let n = prices.len();
            let mut shares = vec![0usize; n - 1];
            loop {
                let used: usize = shares.iter().sum();
                if used <= steps {
                    let mut grid_kg: Vec<f64> = shares
                        .iter()
                        .zip(&prices)
                        .map(|(&s, p)| budget * s as f64 / steps as f64 / p)
                        .collect();
                    grid_kg.push(budget * (steps - used) as f64 / steps as f64 / prices[n - 1]);
                    let cost = shortage_cost(&rec, &grid_kg);
                    prop_assert!(
                        greedy <= cost * (1.0 + 1e-9) + 1e-9,
                        "greedy {greedy} > grid {cost} at {grid_kg:?}"
                    );
                }
                // Next split.
                let mut i = 0;
                loop {
                    if i == shares.len() {
                        return Ok(());
                    }
                    shares[i] += 1;
                    if shares.iter().sum::<usize>() <= steps {
                        break;
                    }
                    shares[i] = 0;
                    i += 1;
                }
            }
        })
        .unwrap_or_else(|err| panic!("{err}"));
}

#[test]
fn qualifying_ahead_gives_the_prequalified_figure_and_says_so() {
    // Check 7: the two materials differ only in when qualification starts, so the
    // first, qualified ahead, must give exactly the second's figures.
    let project = example("format2/check7-prequalified.ron");
    let options = RunOptions::default();
    let rec = engine::recommend(&project, &options).unwrap_or_else(|err| panic!("{err}"));
    let comparisons =
        engine::qualify::compare_qualify_ahead(&project, &options, &rec, &RunControl::unwatched())
            .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(comparisons.len(), 1, "only the material still to qualify");
    let q = &comparisons[0];
    assert_eq!(q.material, 0);
    assert_eq!(q.alternatives, vec![0]);
    assert_eq!(
        q.recommended_stock_kg_as_entered,
        rec.materials[0].recommended_stock_kg
    );
    assert_eq!(
        q.recommended_stock_kg_qualified,
        rec.materials[1].recommended_stock_kg
    );
    assert_eq!(
        q.holding_cost_per_year_qualified,
        rec.materials[1].holding_cost_per_year
    );
    // 340 kg against 240 kg of buffer: 100 kg less.
    assert_eq!(q.stock_saved_kg(), 100.0);
    assert!(q.holding_saved_per_year() > 0.0);
    let sentence = stockpile_planner::export::text::qualify_ahead_sentence(&project, q);
    assert!(
        sentence.starts_with("Qualifying “Non-Chinese oxide” now cuts the Qualified when the cut comes stockpile from"),
        "{sentence}"
    );
    assert!(sentence.contains("a year less holding"), "{sentence}");
    // Everything already qualified ahead: nothing to compare.
    let qualified =
        engine::qualify::qualified_ahead(&project).unwrap_or_else(|| panic!("some wait"));
    assert!(engine::qualify::qualified_ahead(&qualified).is_none());
}
