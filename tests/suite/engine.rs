//! The model's checks (MODEL.md), exact where the model is exact and with
//! tolerances derived from the path count where it is not.

use std::path::PathBuf;

use stockpile_planner::engine::{self, Recommendation, RunOptions, ScenarioFigures};
use stockpile_planner::project::*;

use crate::common::spec_example as example;

fn run(project: &Project, options: RunOptions) -> Recommendation {
    match engine::recommend(project, &options) {
        Ok(rec) => rec,
        Err(err) => panic!("{err}"),
    }
}

fn with_paths(project: &Project, paths: u32) -> Recommendation {
    run(
        project,
        RunOptions {
            paths: Some(paths),
            ..defaults()
        },
    )
}

fn defaults() -> RunOptions {
    RunOptions::default()
}

/// A one-material, one-product project in the shape of the checks.
fn check_project(event: Option<Event>) -> Project {
    let mut project = example("check1-full-cut.ron");
    project.scenarios[0].events = event.into_iter().collect();
    project
}

fn full_cut(start: &str, months: f64) -> Event {
    Event::once("cut", YearMonth::parse(start).expect("month"), months, 1.0)
}

#[test]
fn check_1_full_cut_for_six_months() {
    let rec = run(&example("check1-full-cut.ron"), defaults());
    let buffer = &rec.materials[0].monthly.strategic_buffer_kg;
    assert_eq!(buffer[0], 540.0);
    assert_eq!(buffer[6], 270.0);
    assert_eq!(buffer[9], 0.0);
    assert_eq!(rec.materials[0].strategic_buffer_kg, 540.0);
    assert_eq!(rec.materials[0].strategic_buffer_ci95_kg, [540.0, 540.0]);
}

#[test]
fn check_2_cut_with_licence_delay() {
    let rec = run(&example("check2-cut-with-licence-delay.ron"), defaults());
    assert_eq!(
        rec.materials[0].strategic_buffer_kg,
        0.9 * 100.0 * (0.5 * 6.0 + 0.5 * 1.5)
    );
    assert_eq!(rec.materials[0].strategic_buffer_kg, 337.5);
}

#[test]
fn check_3_weighted_scenarios() {
    let project = example("check3-weighted-scenarios.ron");
    let rec = run(&project, defaults());
    assert_eq!(rec.materials[0].strategic_buffer_kg, 540.0);
    let low = run(
        &project,
        RunOptions {
            service_level: Some(ServiceLevel::Fixed(0.6)),
            ..defaults()
        },
    );
    assert_eq!(low.materials[0].strategic_buffer_kg, 0.0);
    // The calm scenario never runs dry; the stop scenario always needs 540 kg.
    assert_eq!(low.materials[0].by_scenario[0].strategic_buffer_kg, 540.0);
    assert_eq!(low.materials[0].by_scenario[1].strategic_buffer_kg, 0.0);
    assert_eq!(low.materials[0].stockout_probability_at_on_hand, 0.3);
}

#[test]
fn check_4_uncertain_duration_converges_to_960() {
    let project = example("check4-uncertain-duration.ron");
    assert_eq!(project.paths, 100_000);
    let rec = run(&project, defaults());
    let buffer = rec.materials[0].strategic_buffer_kg;
    // The 95% quantile of 100 kg x Uniform(2, 10) months is 960 kg. Its standard
    // error at n paths is 100 * 8 * sqrt(a(1-a)/n) = 0.55 kg at 100,000 paths; the
    // spec's +-3 kg is 5.5 standard errors.
    assert!((buffer - 960.0).abs() <= 3.0, "buffer {buffer}");
    let [low, high] = rec.materials[0].strategic_buffer_ci95_kg;
    assert!(low <= buffer && buffer <= high);
    assert!(
        high - low < 4.0,
        "interval {low}..{high} too wide for 100k paths"
    );
}

#[test]
fn check_4_error_shrinks_with_paths() {
    let project = example("check4-uncertain-duration.ron");
    for paths in [1_000u32, 10_000] {
        let rec = run(
            &project,
            RunOptions {
                paths: Some(paths),
                ..defaults()
            },
        );
        let se = 800.0 * (0.95f64 * 0.05 / f64::from(paths)).sqrt();
        let error = (rec.materials[0].strategic_buffer_kg - 960.0).abs();
        assert!(
            error <= 5.0 * se,
            "{paths} paths: error {error} > 5 se ({se})"
        );
    }
}

#[test]
fn check_5_safety_stock() {
    let rec = run(&example("check5-safety-stock.ron"), defaults());
    let m = &rec.materials[0];
    assert!((m.safety_stock_kg - 1.644854 * 200.0 * 2f64.sqrt()).abs() < 0.05);
    assert!(
        (m.safety_stock_kg - 465.235).abs() < 0.05,
        "{}",
        m.safety_stock_kg
    );
    assert_eq!(m.mean_monthly_demand_kg, 1000.0);
    assert!((m.demand_sd_kg - 200.0).abs() < 1e-9);
    assert_eq!(m.strategic_buffer_kg, 0.0);
    assert_eq!(m.stockout_probability_at_on_hand, 0.0);
    assert_eq!(m.recommended_stock_kg, m.safety_stock_kg);
}

#[test]
fn recommendation_figures_follow_their_formulas() {
    let mut project = example("check1-full-cut.ron");
    project.materials[0].on_hand_kg = 200.0;
    project.products[0].margin_per_unit = 300.0;
    let rec = run(&project, defaults());
    let m = &rec.materials[0];
    assert_eq!(m.recommended_stock_kg, 540.0);
    assert_eq!(m.days_of_cover, Some(540.0 / (100.0 / 30.4375)));
    assert_eq!(m.share_of_annual_consumption, Some(540.0 / 1200.0));
    assert_eq!(m.gap_kg, 340.0);
    assert_eq!(m.holding_cost_per_year, 540.0 * 75.0 * 0.2);
    assert_eq!(m.stockout_probability_at_on_hand, 1.0);
    assert_eq!(m.expected_shortfall_kg_at_on_hand, 340.0);
    assert_eq!(m.units_not_built[0].units, 340.0);
    // Cumulative deficit: 90 (Apr), 180 (May), 270 (Jun) > 200: runs dry in June.
    let stop = &m.by_scenario[0];
    assert_eq!(
        rec.month(stop.run_out_month_median.expect("runs out"))
            .to_string(),
        "2026-06"
    );
    assert_eq!(stop.run_out_month_p10, stop.run_out_month_median);
}

#[test]
fn nothing_runs_out_without_an_event() {
    let rec = run(&check_project(None), defaults());
    let m = &rec.materials[0];
    assert_eq!(m.strategic_buffer_kg, 0.0);
    assert_eq!(m.by_scenario[0].run_out_month_median, None);
    assert_eq!(m.stockout_probability_at_on_hand, 0.0);
}

#[test]
fn alternatives_reduce_the_deficit_after_qualification() {
    let mut project = example("check1-full-cut.ron");
    project.materials[0].alternatives.push(Alternative {
        name: "Second source".to_owned(),
        capacity_kg_per_month: 50.0,
        qualification_months: 2.0,
        price_premium: 0.4,
        qualification_starts: QualificationStart::AtFirstLoss,
    });
    let rec = run(&project, defaults());
    let m = &rec.materials[0];
    // The cut starts in month 3; the alternative delivers from month 5: 90 + 90 + 4 x 40.
    assert_eq!(m.strategic_buffer_kg, 340.0);
    assert_eq!(m.expected_alternative_kg, 200.0);
    assert_eq!(m.expected_alternative_extra_cost, 200.0 * 75.0 * 0.4);
}

#[test]
fn end_use_filters_hit_only_their_products() {
    let mut event = full_cut("2026-04", 6.0);
    if let Event::Once { end_uses, .. } = &mut event {
        *end_uses = EndUses::MilitaryOnly;
    }
    let mut project = check_project(Some(event));
    let civil = run(&project, defaults());
    assert_eq!(civil.materials[0].strategic_buffer_kg, 0.0);
    project.products[0].end_use = EndUse::Dual;
    let dual = run(&project, defaults());
    assert_eq!(dual.materials[0].strategic_buffer_kg, 540.0);
    project.products[0].end_use = EndUse::Military;
    project.materials[0].direct_kg_per_month = 50.0;
    // Direct demand counts as civil: a military-only event leaves it alone.
    let military = run(&project, defaults());
    assert_eq!(military.materials[0].strategic_buffer_kg, 540.0);
}

#[test]
fn event_outside_material_list_does_nothing() {
    let mut event = full_cut("2026-04", 6.0);
    if let Event::Once { materials, .. } = &mut event {
        *materials = MaterialSet::Only(vec!["other".to_owned()]);
    }
    let mut project = check_project(Some(event));
    project
        .materials
        .push(Material::new("other", "Other", 10.0));
    let rec = run(&project, defaults());
    assert_eq!(rec.materials[0].strategic_buffer_kg, 0.0);
}

#[test]
fn event_probability_is_a_per_path_draw() {
    let mut event = full_cut("2026-04", 6.0);
    if let Event::Once { probability, .. } = &mut event {
        *probability = 0.3;
    }
    let project = check_project(Some(event));
    let n = 20_000u32;
    let rec = with_paths(&project, n);
    let m = &rec.materials[0];
    assert_eq!(m.strategic_buffer_kg, 540.0);
    let p = m.stockout_probability_at_on_hand;
    let se = (0.3f64 * 0.7 / f64::from(n)).sqrt();
    assert!((p - 0.3).abs() < 5.0 * se, "p {p}");
    let low = run(
        &project,
        RunOptions {
            paths: Some(n),
            service_level: Some(ServiceLevel::Fixed(0.6)),
            ..defaults()
        },
    );
    assert_eq!(low.materials[0].strategic_buffer_kg, 0.0);
}

#[test]
fn uniform_start_months_are_whole_months_in_range() {
    let mut event = full_cut("2026-04", 1.0);
    if let Event::Once { start, .. } = &mut event {
        *start = StartMonth::Uniform(
            YearMonth::parse("2026-04").expect("month"),
            YearMonth::parse("2026-07").expect("month"),
        );
    }
    let mut project = check_project(Some(event));
    project.materials[0].exposed_share = 1.0;
    let n = 8_000u32;
    let rec = with_paths(&project, n);
    let m = &rec.materials[0];
    // Each path loses exactly one month of 100 kg, starting in month 3, 4, 5 or 6.
    for t in 0..=3 {
        assert_eq!(m.monthly.fan_kg[t], [100.0; 5], "month {t}");
    }
    assert_eq!(m.monthly.strategic_buffer_kg[7], 0.0);
    // B[5] > 0 on the paths starting in month 5 or 6: half of them.
    let share_after = m.by_scenario[0].buffer_by_month_kg[5];
    assert_eq!(share_after, 100.0);
    let median_month_5 = m.monthly.fan_kg[5][2];
    assert!(median_month_5 == 0.0 || median_month_5 == 100.0);
}

#[test]
fn lognormal_demand_keeps_its_mean() {
    let mut project = check_project(Some(full_cut("2026-01", 24.0)));
    project.materials[0].exposed_share = 1.0;
    project.products[0].demand_cv = 0.3;
    project.products[0].growth_per_year = 0.1;
    let n = 20_000u32;
    let rec = with_paths(&project, n);
    let forecast: f64 = (0..24)
        .map(|t| 100.0 * 1.1f64.powf(f64::from(t) / 12.0))
        .sum();
    let mean = rec.materials[0].by_scenario[0].mean_buffer_kg;
    // The total over 24 independent months has sd sqrt(sum (0.3 F_t)^2); its mean's
    // standard error is that over sqrt(n).
    let sd: f64 = (0..24)
        .map(|t| (0.3 * 100.0 * 1.1f64.powf(f64::from(t) / 12.0)).powi(2))
        .sum::<f64>()
        .sqrt();
    let se = sd / f64::from(n).sqrt();
    assert!(
        (mean - forecast).abs() < 5.0 * se,
        "mean {mean} vs {forecast} (se {se})"
    );
    // The 95% buffer lies above the mean by about z * sd.
    let q95 = rec.materials[0].strategic_buffer_kg;
    assert!(
        q95 > forecast + 1.3 * sd && q95 < forecast + 2.0 * sd,
        "q95 {q95}"
    );
}

#[test]
fn recurring_outages_match_the_markov_downtime() {
    let mut project = check_project(None);
    project.horizon_months = 240;
    project.materials[0].exposed_share = 1.0;
    project.scenarios[0].events.push(Event::Recurring {
        name: "outages".to_owned(),
        materials: MaterialSet::All,
        end_uses: EndUses::All,
        mean_months_between: 8.0,
        mean_duration_months: 2.0,
        supply_cut: Dist::Fixed(1.0),
    });
    let n = 4_000u32;
    let rec = with_paths(&project, n);
    // Starting up, P(down at t) = p (1 - e^{-(a+b)t}) with a = 1/8, b = 1/2, p = a/(a+b) = 0.2.
    let rate = 1.0 / 8.0 + 1.0 / 2.0;
    let expected_down_months = 0.2 * (240.0 - (1.0 - (-rate * 240.0f64).exp()) / rate);
    let mean = rec.materials[0].by_scenario[0].mean_buffer_kg;
    // Downtime over T months has variance 2ab/(a+b)^3 T = 0.512 x 240 month^2 (sd 11.1
    // months, 1,109 kg); bound the sd by 1,500 kg and allow 5 standard errors.
    let se = 100.0 * 15.0 / f64::from(n).sqrt();
    assert!(
        (mean - 100.0 * expected_down_months).abs() < 5.0 * se,
        "mean {mean} vs {}",
        100.0 * expected_down_months
    );
}

#[test]
fn price_index_and_build_up_plan() {
    let mut project = example("check1-full-cut.ron");
    if let Event::Once {
        price_multiplier, ..
    } = &mut project.scenarios[0].events[0]
    {
        *price_multiplier = 3.0;
    }
    project.materials[0].max_purchase_kg_per_month = Some(200.0);
    let rec = run(&project, defaults());
    let m = &rec.materials[0];
    let index = &m.monthly.price_index_per_kg;
    assert_eq!(index[0], 75.0);
    assert_eq!(index[3], 225.0);
    assert_eq!(index[8], 225.0);
    assert_eq!(index[9], 75.0);
    let plan = &m.buildup;
    assert_eq!(plan.order_kg[..4], [200.0, 200.0, 140.0, 0.0]);
    assert_eq!(plan.reaches_recommendation_month, Some(2));
    assert_eq!(plan.cost, 540.0 * 75.0);
    assert_eq!(plan.value_of_buying_ahead, 0.0);
}

#[test]
fn auto_service_level_is_the_critical_ratio() {
    let mut project = example("check3-weighted-scenarios.ron");
    project.service_level = ServiceLevel::Auto;
    project.products[0].margin_per_unit = 60.0; // c_u = 60 per kg
    let rec = run(&project, defaults());
    let m = &rec.materials[0];
    let c_o = 75.0 * 0.2 * 2.0; // 24 months
    assert_eq!(m.costs.overage_cost_per_kg, c_o);
    assert_eq!(m.costs.underage_cost_per_kg, 60.0);
    assert_eq!(m.service_level, 60.0 / (60.0 + c_o));
    // a = 0.667 < 0.7 (the calm weight): no strategic stock is worth holding.
    assert_eq!(m.strategic_buffer_kg, 0.0);
    assert_eq!(m.cost_optimal_strategic_stock_kg, 0.0);
    project.shortage_cost_per_kg = Some(400.0);
    let rec = run(&project, defaults());
    let m = &rec.materials[0];
    assert_eq!(m.service_level, 400.0 / 430.0);
    assert_eq!(m.strategic_buffer_kg, 540.0);
    // The cost curve is lowest at the optimum.
    let best = m
        .cost_curve
        .iter()
        .min_by(|a, b| a.expected_cost.total_cmp(&b.expected_cost))
        .expect("curve");
    assert_eq!(best.strategic_stock_kg, 540.0);
    let clamped = {
        project.shortage_cost_per_kg = Some(0.0);
        project.products[0].margin_per_unit = 0.0;
        run(&project, defaults()).materials[0].service_level
    };
    assert_eq!(clamped, 0.5);
}

/// Over 200 seeds of 2,000 paths, the share of 95% intervals that contain `truth`.
/// Its binomial sd is sqrt(.95 x .05 / 200) = 1.5%; the order-statistic interval is
/// slightly conservative, so the check allows 4 sd below nominal and none above 1.
fn assert_nominal_coverage(project: &Project, truth_kg: f64) {
    let runs = 200u64;
    let covered = (0..runs)
        .filter(|seed| {
            let rec = run(
                project,
                RunOptions {
                    paths: Some(2_000),
                    seed: Some(*seed),
                    ..defaults()
                },
            );
            let [low, high] = rec.materials[0].strategic_buffer_ci95_kg;
            low <= truth_kg && truth_kg <= high
        })
        .count() as f64;
    let rate = covered / runs as f64;
    assert!(
        (0.95 - 4.0 * 0.0154..=1.0).contains(&rate),
        "coverage {rate}"
    );
}

#[test]
fn confidence_interval_covers_the_true_quantile_at_its_nominal_rate() {
    assert_nominal_coverage(&example("check4-uncertain-duration.ron"), 960.0);
}

#[test]
fn results_are_bit_identical_on_any_thread_count() {
    let project = example("full-format.ron");
    let options = RunOptions {
        paths: Some(3_000),
        ..defaults()
    };
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        pool.install(|| run(&project, options))
    };
    let one = on(1);
    assert_eq!(one, on(3));
    assert_eq!(one, on(1));
    let other_seed = run(
        &project,
        RunOptions {
            seed: Some(7),
            ..options
        },
    );
    assert_ne!(one, other_seed);
}

#[test]
fn scenarios_share_demand_noise() {
    // Two scenarios with the same full cut see the same demand: identical samples.
    let mut project = check_project(Some(full_cut("2026-01", 24.0)));
    project.products[0].demand_cv = 0.4;
    let mut twin = project.scenarios[0].clone();
    twin.id = "twin".to_owned();
    project.scenarios.push(twin);
    project.scenarios[0].probability = 0.5;
    project.scenarios[1].probability = 0.5;
    let rec = run(
        &project,
        RunOptions {
            paths: Some(500),
            ..defaults()
        },
    );
    let s = &rec.materials[0].by_scenario;
    assert_eq!(s[0].buffer_by_month_kg, s[1].buffer_by_month_kg);
    assert_eq!(s[0].mean_buffer_kg, s[1].mean_buffer_kg);
}

#[test]
fn reference_plant_runs() {
    let project = stockpile_planner::reference::reference_plant();
    let rec = run(
        &project,
        RunOptions {
            paths: Some(1_000),
            ..defaults()
        },
    );
    assert_eq!(rec.materials.len(), 8);
    for m in &rec.materials {
        assert!(m.recommended_stock_kg.is_finite() && m.recommended_stock_kg > 0.0);
        assert_eq!(m.monthly.strategic_buffer_kg.len(), 60);
        assert!(m.strategic_buffer_ci95_kg[0] <= m.strategic_buffer_kg);
        assert!(m.strategic_buffer_kg <= m.strategic_buffer_ci95_kg[1]);
    }
}

#[test]
fn mixture_interval_covers_the_true_quantile_at_its_nominal_rate() {
    // Uniform(2, 10) months of 100 kg at weight 0.5 against calm at 0.5: the mixture's
    // 95% quantile is the event scenario's 90% quantile, 100 x (2 + 8 x 0.9) = 920 kg.
    let mut project = example("check4-uncertain-duration.ron");
    let mut calm = project.scenarios[0].clone();
    calm.id = "calm".to_owned();
    calm.events.clear();
    project.scenarios.push(calm);
    project.scenarios[0].probability = 0.5;
    project.scenarios[1].probability = 0.5;
    // With Kish's n_eff = 2n the interval's half-width (0.154/sqrt(n) in probability)
    // matches the estimator's sd (0.5 x sqrt(0.09/n) = 0.150/sqrt(n)): nominal coverage.
    assert_nominal_coverage(&project, 920.0);
}

/// The file the process-level benchmark runs (`recommend tests/fixtures/reference-plant.ron
/// --json`) is the reference plant `bench` builds in memory, so both time the same thing.
#[test]
fn reference_plant_file_is_the_bench_project() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference-plant.ron");
    let loaded = match load_file(&path) {
        Ok(loaded) => loaded.project,
        Err(err) => panic!("{err}"),
    };
    assert_eq!(loaded, stockpile_planner::reference::reference_plant());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reference-plant-format2.ron");
    let loaded = match load_file(&path) {
        Ok(loaded) => loaded.project,
        Err(err) => panic!("{err}"),
    };
    assert_eq!(
        loaded,
        stockpile_planner::reference::reference_plant_format2()
    );
}

/// A scenario's own figures (everything but its weight) are exactly equal.
fn assert_same_scenario_figures(x: &ScenarioFigures, y: &ScenarioFigures, place: &str) {
    assert_eq!(x.buffer_by_month_kg, y.buffer_by_month_kg, "{place}");
    assert_eq!(x.strategic_buffer_kg, y.strategic_buffer_kg, "{place}");
    assert_eq!(
        x.strategic_buffer_ci95_kg, y.strategic_buffer_ci95_kg,
        "{place}"
    );
    assert_eq!(x.mean_buffer_kg, y.mean_buffer_kg, "{place}");
    assert_eq!(
        x.stockout_probability_at_on_hand, y.stockout_probability_at_on_hand,
        "{place}"
    );
    assert_eq!(
        x.expected_shortfall_kg_at_on_hand, y.expected_shortfall_kg_at_on_hand,
        "{place}"
    );
    assert_eq!(x.run_out_month_median, y.run_out_month_median, "{place}");
    assert_eq!(x.run_out_month_p10, y.run_out_month_p10, "{place}");
}

#[test]
fn scenario_order_changes_no_scenario_figure() {
    // Scenarios whose later months equal an earlier scenario's share them (the
    // engine's `Shared`); which scenario holds the months depends on the order, so
    // reversing it exercises other sharing, and every scenario's own figures must
    // stay exactly the same.
    let project = stockpile_planner::reference::reference_plant();
    let mut reversed = project.clone();
    reversed.scenarios.reverse();
    let forward = with_paths(&project, 2_000);
    let backward = with_paths(&reversed, 2_000);
    let count = project.scenarios.len();
    for (m, (a, b)) in forward
        .materials
        .iter()
        .zip(&backward.materials)
        .enumerate()
    {
        for s in 0..count {
            let place = format!("material {m}, scenario {s}");
            assert_same_scenario_figures(&a.by_scenario[s], &b.by_scenario[count - 1 - s], &place);
        }
    }
}

#[test]
fn every_scenario_has_the_figures_it_has_alone() {
    // Run alone, a scenario shares no months with another; among others it does, and
    // here in a chain: the third scenario is the second plus a two-month strike, so it
    // shares the second's months after the strike, and the second (the first plus a
    // licensing lapse) shares the first's after the lapse.
    let plant = stockpile_planner::reference::reference_plant();
    let refusals = plant.scenarios[3].clone();
    let lapse = plant.scenarios[1].clone();
    let mut lapse_and_strike = lapse.clone();
    lapse_and_strike.id = "lapse_and_strike".to_owned();
    lapse_and_strike.events.push(Event::once(
        "Port strike",
        YearMonth::parse("2026-12").expect("month"),
        2.0,
        0.5,
    ));
    let mut project = plant.clone();
    project.scenarios = vec![refusals, lapse, lapse_and_strike];
    let together = with_paths(&project, 1_500);
    for s in 0..project.scenarios.len() {
        assert_figures_as_alone(&project, &together, s);
    }
}

/// Scenario `s` of `project` (run into `together` at 1,500 paths) has exactly the
/// figures it has when run as the project's only scenario.
fn assert_figures_as_alone(project: &Project, together: &Recommendation, s: usize) {
    let mut alone = project.clone();
    alone.scenarios = vec![project.scenarios[s].clone()];
    let by_itself = with_paths(&alone, 1_500);
    for (m, (a, b)) in together
        .materials
        .iter()
        .zip(&by_itself.materials)
        .enumerate()
    {
        let place = format!("material {m}, scenario {s}");
        assert_same_scenario_figures(&a.by_scenario[s], &b.by_scenario[0], &place);
    }
}

#[test]
fn shared_events_listed_in_another_order_still_give_the_figures_alone() {
    // Three overlapping cuts drawn per path multiply a month's supply in the order a
    // scenario lists them, and floating-point products depend on that order: the
    // second scenario, which lists them the other way round, must not take the
    // first's later months as its own.
    let plant = stockpile_planner::reference::reference_plant();
    let month = |text: &str| YearMonth::parse(text).expect("month");
    let cut = |name: &str, from: &str, low: f64, high: f64| {
        let mut event = Event::once(name, month(from), 40.0, 0.5);
        if let Event::Once { supply_cut, .. } = &mut event {
            *supply_cut = Dist::Uniform(low, high);
        }
        event
    };
    let shared = [
        cut("Quota", "2027-01", 0.1, 0.3),
        cut("Licensing", "2027-02", 0.2, 0.4),
        cut("Inspections", "2027-03", 0.05, 0.15),
    ];
    let scenario = |id: &str, events: Vec<Event>| {
        let mut scenario = plant.scenarios[1].clone();
        scenario.id = id.to_owned();
        scenario.events = events;
        scenario
    };
    let mut in_order = shared.to_vec();
    in_order.push(Event::once("Strike", month("2026-12"), 2.0, 0.5));
    let mut reversed: Vec<Event> = shared.iter().rev().cloned().collect();
    reversed.push(Event::once("Flood", month("2026-12"), 3.0, 0.5));
    let mut project = plant.clone();
    project.scenarios = vec![
        scenario("in_order", in_order),
        scenario("reversed", reversed),
    ];
    let together = with_paths(&project, 1_500);
    assert_figures_as_alone(&project, &together, 1);
}

/// A material's month-0 strategic buffer by id.
fn buffer_of(project: &Project, rec: &Recommendation, id: &str) -> f64 {
    let index = project
        .materials
        .iter()
        .position(|m| m.id == id)
        .unwrap_or_else(|| panic!("no material {id}"));
    rec.materials[index].strategic_buffer_kg
}

fn without_rebuild(project: &Project) -> Project {
    let mut project = project.clone();
    project.rebuild_after_disruption = false;
    project
}

#[test]
fn check_6_rebuild_between_two_disruptions() {
    let project = example("format2/check6-rebuild.ron");
    assert!(project.rebuild_after_disruption);
    let rec = run(&project, defaults());
    assert_eq!(buffer_of(&project, &rec, "uncapped"), 300.0);
    assert_eq!(buffer_of(&project, &rec, "capped"), 350.0);
    assert_eq!(buffer_of(&project, &rec, "capped_slow"), 450.0);
    assert_eq!(buffer_of(&project, &rec, "capped_runout"), 350.0);
    // 320 kg on hand runs dry in the second stop's third month (month 12).
    let runout = &rec.materials[3].by_scenario[0];
    assert_eq!(runout.run_out_month_median, Some(12));
    assert_eq!(rec.month(12).to_string(), "2027-12");
    let summed = without_rebuild(&project);
    let rec = run(&summed, defaults());
    for m in &rec.materials {
        assert_eq!(m.strategic_buffer_kg, 600.0);
    }
    // Summing every deficit, 320 kg outlasts the first stop (300 kg) and runs dry in
    // the second stop's first month.
    assert_eq!(
        rec.materials[3].by_scenario[0].run_out_month_median,
        Some(10)
    );
}

#[test]
fn check_6_buffer_by_month_is_the_deepest_drawdown_ahead() {
    let project = example("format2/check6-rebuild.ron");
    let rec = run(&project, defaults());
    let capped = &rec.materials[1].monthly.strategic_buffer_kg;
    // From month 5 the first stop is behind: only the second (300 kg) lies ahead.
    assert_eq!(capped[5], 300.0);
    assert_eq!(capped[10], 300.0);
    assert_eq!(capped[11], 200.0);
    assert_eq!(capped[13], 0.0);
    // From month 2 the whole first stop lies ahead, less 50 kg of the refill after it:
    // 350 kg. From month 3, the rest of the first stop (200 kg) is the shallower
    // stretch: the second stop (300 kg) is the deepest.
    assert_eq!(capped[2], 350.0);
    assert_eq!(capped[3], 300.0);
}

#[test]
fn check_7_alternative_qualified_ahead() {
    let project = example("format2/check7-prequalified.ron");
    let rec = run(&project, defaults());
    assert_eq!(buffer_of(&project, &rec, "at_first_loss"), 340.0);
    assert_eq!(buffer_of(&project, &rec, "ahead"), 240.0);
    // Without rebuild nothing changes: the cut is one stretch.
    let rec = run(&without_rebuild(&project), defaults());
    assert_eq!(buffer_of(&project, &rec, "at_first_loss"), 340.0);
    assert_eq!(buffer_of(&project, &rec, "ahead"), 240.0);
}

#[test]
fn check_8_budget() {
    let project = example("format2/check8-budget.ron");
    let rec = run(&project, defaults());
    let budget = engine::budget::allocate(&rec, 6000.0);
    assert_eq!(budget.materials[0].kg, 540.0);
    assert_eq!(budget.materials[0].cost, 5400.0);
    assert_eq!(budget.materials[1].kg, 30.0);
    assert_eq!(budget.materials[1].cost, 600.0);
    assert_eq!(budget.spent, 6000.0);
    assert_eq!(budget.materials[0].stockout_probability_after, 0.0);
    assert_eq!(budget.materials[1].stockout_probability_after, 1.0);
    assert_eq!(budget.materials[1].expected_shortfall_kg_after, 510.0);
    assert_eq!(budget.marginal_value, 5.0);
    assert_eq!(budget.marginal_material, Some(1));
}

#[test]
fn check_9_spare_alternative_capacity_refills() {
    let project = example("format2/check9-spare-capacity.ron");
    let rec = run(&project, defaults());
    assert_eq!(buffer_of(&project, &rec, "uncapped"), 200.0);
    assert_eq!(buffer_of(&project, &rec, "capped"), 230.0);
    let rec = run(&without_rebuild(&project), defaults());
    assert_eq!(buffer_of(&project, &rec, "uncapped"), 260.0);
    assert_eq!(buffer_of(&project, &rec, "capped"), 260.0);
}

#[test]
fn a_permanent_cut_is_open_ended_and_says_how_short_supply_stays() {
    let mut project = check_project(Some(full_cut("2026-04", 1000.0)));
    project.rebuild_after_disruption = true;
    let rec = run(&project, defaults());
    let m = &rec.materials[0];
    assert!(m.open_ended);
    // 0.9 of 100 kg a month is lost in the last month, on every path.
    assert_eq!(m.by_scenario[0].shortfall_in_last_month_kg, 90.0);
    // The buffer is every month's loss from month 3 to the horizon.
    assert_eq!(m.strategic_buffer_kg, 90.0 * 21.0);
    // A cut that ends inside the plan is no open-ended shortfall.
    let rec = run(&example("check1-full-cut.ron"), defaults());
    assert!(!rec.materials[0].open_ended);
    assert_eq!(
        rec.materials[0].by_scenario[0].shortfall_in_last_month_kg,
        0.0
    );
}

#[test]
fn migrated_version_1_files_keep_format_1s_model() {
    let project = example("check1-full-cut.ron");
    assert_eq!(project.format_version, CURRENT_FORMAT_VERSION);
    assert!(!project.rebuild_after_disruption);
    let mut rebuilt = project.clone();
    rebuilt.rebuild_after_disruption = true;
    // One stretch of deficit: rebuild changes nothing.
    assert_eq!(
        run(&rebuilt, defaults()).materials[0].strategic_buffer_kg,
        run(&project, defaults()).materials[0].strategic_buffer_kg
    );
}

#[test]
fn build_up_plan_with_lead_time_and_the_risk_of_following_it() {
    // Check 1 (540 kg lost in months 3 to 8, nothing on hand) buying at most 200 kg a
    // month with 30 days of lead time.
    let mut project = example("check1-full-cut.ron");
    project.materials[0].max_purchase_kg_per_month = Some(200.0);
    project.materials[0].lead_time_days = 30.0;
    let rec = run(&project, defaults());
    let m = &rec.materials[0];
    let plan = &m.buildup;
    assert_eq!(plan.lead_time_months, 1);
    assert_eq!(m.recommended_stock_kg, 540.0);
    assert_eq!(plan.gap_kg, 540.0);
    assert_eq!(plan.gap_cost_at_todays_price, 540.0 * 75.0);
    // Orders toward next month's target, less what is on order; each arrives a month later.
    assert_eq!(plan.order_kg[..5], [200.0, 200.0, 140.0, 0.0, 0.0]);
    assert_eq!(plan.arrival_kg[..5], [0.0, 200.0, 200.0, 140.0, 0.0]);
    assert_eq!(plan.stock_kg[..5], [0.0, 0.0, 200.0, 400.0, 540.0]);
    assert_eq!(plan.reaches_recommendation_month, Some(3));
    assert_eq!(plan.kg_bought, 540.0);
    // With nothing on hand the cut runs the stock dry in its first month, month 3: the
    // plan's 540 kg arrive with that month's, so it is too late to hold the whole stock
    // before the cut...
    assert_eq!(m.by_scenario[0].run_out_month_median, Some(3));
    assert_eq!(plan.driving_run_out_month, Some(3));
    assert!(plan.too_late());
    // ...but a path following it has 400 kg when the cut starts and takes the last
    // 140 kg in month 3: 540 kg against 540 kg of loss, never below zero.
    assert_eq!(m.by_scenario[0].run_out_probability_following_plan, 0.0);
    assert_eq!(plan.run_out_probability_following_plan, 0.0);
    assert_eq!(plan.run_out_month_median_following_plan, None);
    // At half the cap the plan as scheduled tops out at 400 kg (the target falls once
    // the cut starts), and a path following it runs dry: orders stop during the cut, so
    // 300 kg arrive by month 3 against 90 kg a month for six months.
    project.materials[0].max_purchase_kg_per_month = Some(100.0);
    let rec = run(&project, defaults());
    let m = &rec.materials[0];
    assert_eq!(m.buildup.order_kg[..5], [100.0, 100.0, 100.0, 100.0, 0.0]);
    assert_eq!(m.buildup.reaches_recommendation_month, None);
    // Month 3: 200 + 100 - 90 = 210; then 120, 30, -60 in month 6.
    assert_eq!(m.by_scenario[0].run_out_probability_following_plan, 1.0);
    assert_eq!(
        m.by_scenario[0].run_out_month_median_following_plan,
        Some(6)
    );
    assert_eq!(m.buildup.run_out_month_median_following_plan, Some(6));
    assert!(m.buildup.too_late());
}

/// Version-1 files keep format 1's figures after migration: every example of
/// `examples/` and the reference plant against what the program of format 1 computed
/// (`tests/fixtures/format1-figures/`, from `recommend --json` of commit 4bf6bd4).
/// Exactly, but for the rounding of buffer samples to single precision (issue 18,
/// METHODOLOGY §2.2), which that program did not do: a figure read from the samples
/// may move by half a single's step of the largest sample it reads
/// (`same_but_stored_rounding`), and a share of paths by the one path a rounding can
/// move across today's strategic stock.
#[test]
fn version_1_files_give_format_1s_figures_after_migration() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let cases = [
        ("reference-plant", fixtures.join("reference-plant.ron")),
        ("check1-full-cut", example_path("check1-full-cut.ron")),
        (
            "check2-cut-with-licence-delay",
            example_path("check2-cut-with-licence-delay.ron"),
        ),
        (
            "check3-weighted-scenarios",
            example_path("check3-weighted-scenarios.ron"),
        ),
        (
            "check4-uncertain-duration",
            example_path("check4-uncertain-duration.ron"),
        ),
        (
            "check5-safety-stock",
            example_path("check5-safety-stock.ron"),
        ),
        ("full-format", example_path("full-format.ron")),
    ];
    for (name, file) in cases {
        let project = match load_file(&file) {
            Ok(loaded) => loaded.project,
            Err(err) => panic!("{err}"),
        };
        assert!(!project.rebuild_after_disruption, "{name}");
        let rec = run(&project, defaults());
        let text = std::fs::read_to_string(fixtures.join(format!("format1-figures/{name}.json")))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        let old: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let month = |t: Option<usize>| t.map(|t| rec.month(t).to_string());
        let one_path = 1.0 / f64::from(project.paths) + 1e-12;
        for (m, (old, new)) in old["materials"]
            .as_array()
            .expect("materials")
            .iter()
            .zip(&rec.materials)
            .enumerate()
        {
            let place = format!("{name}, material {m}");
            let number = |key: &str| old[key].as_f64().unwrap_or(f64::NAN);
            let largest_sample = new
                .month0_samples
                .iter()
                .map(|samples| samples.max())
                .fold(0.0, f64::max);
            same_but_stored_rounding(
                number("strategic_buffer_kg"),
                new.strategic_buffer_kg,
                0.0,
                &place,
            );
            same_but_stored_rounding(
                number("recommended_stock_kg"),
                new.recommended_stock_kg,
                0.0,
                &place,
            );
            let share = number("stockout_probability_at_on_hand");
            assert!(
                (share - new.stockout_probability_at_on_hand).abs() <= one_path,
                "{place}"
            );
            same_but_stored_rounding(
                number("expected_shortfall_kg_at_on_hand"),
                new.expected_shortfall_kg_at_on_hand,
                largest_sample,
                &place,
            );
            let ci: Vec<f64> = old["strategic_buffer_ci95_kg"]
                .as_array()
                .expect("ci")
                .iter()
                .filter_map(serde_json::Value::as_f64)
                .collect();
            assert_eq!(ci.len(), 2, "{place}");
            for (old, new) in ci.iter().zip(new.strategic_buffer_ci95_kg) {
                same_but_stored_rounding(*old, new, 0.0, &place);
            }
            let by_month: Vec<f64> = old["recommended_stock_by_month_kg"]
                .as_array()
                .expect("months")
                .iter()
                .filter_map(serde_json::Value::as_f64)
                .collect();
            assert_eq!(by_month.len(), new.monthly.recommended_stock_kg.len());
            for (old, new) in by_month.iter().zip(&new.monthly.recommended_stock_kg) {
                same_but_stored_rounding(*old, *new, 0.0, &place);
            }
            for (old, new) in old["by_scenario"]
                .as_array()
                .expect("scenarios")
                .iter()
                .zip(&new.by_scenario)
            {
                let number = |key: &str| old[key].as_f64().unwrap_or(f64::NAN);
                let text = |key: &str| old[key].as_str().map(str::to_owned);
                same_but_stored_rounding(
                    number("strategic_buffer_kg"),
                    new.strategic_buffer_kg,
                    0.0,
                    &place,
                );
                let share = number("stockout_probability_at_on_hand");
                assert!(
                    (share - new.stockout_probability_at_on_hand).abs() <= one_path,
                    "{place}"
                );
                same_but_stored_rounding(
                    number("expected_shortfall_kg_at_on_hand"),
                    new.expected_shortfall_kg_at_on_hand,
                    largest_sample,
                    &place,
                );
                assert_eq!(
                    text("run_out_month_median"),
                    month(new.run_out_month_median),
                    "{place}"
                );
                assert_eq!(
                    text("run_out_month_p10"),
                    month(new.run_out_month_p10),
                    "{place}"
                );
            }
        }
    }
}

/// `new` is `old` but for buffer samples rounded to single precision: within half a
/// single's step (`2^-24`) of the larger of the two and `scale` (the largest sample an
/// average reads).
fn same_but_stored_rounding(old: f64, new: f64, scale: f64, place: &str) {
    let half_step = f64::from(f32::EPSILON) / 2.0;
    assert!(
        (old - new).abs() <= half_step * old.abs().max(new.abs()).max(scale),
        "{place}: format 1 {old}, now {new}"
    );
}

use crate::common::spec_example_path as example_path;

/// A run fails for one of two reasons, told apart by type: an invalid project (the
/// command line's exit 2, with the validation's message) or a cancelled run.
#[test]
fn an_invalid_project_and_a_cancelled_run_are_different_errors() {
    let mut invalid = example("check1-full-cut.ron");
    invalid.horizon_months = 0;
    match engine::recommend(&invalid, &defaults()) {
        Err(engine::RunError::Invalid(err)) => {
            assert!(err.to_string().contains("horizon"), "{err}");
        }
        other => panic!("expected an invalid project, got {other:?}"),
    }
    let project = example("check1-full-cut.ron");
    let model = engine::Model::new(&project, &defaults()).expect("a valid project");
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let control = engine::RunControl {
        cancel: &cancel,
        progress: &|_| {},
    };
    let cancelled = engine::run(&model, &control).map_err(engine::RunError::from);
    assert_eq!(cancelled.err(), Some(engine::RunError::Cancelled));
}
