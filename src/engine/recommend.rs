//! From simulated samples to the recommendation (MODEL.md "Safety stock" through
//! "Prices and the build-up plan").

use statrs::distribution::{ContinuousCDF, Normal};

use crate::project::ServiceLevel;

use super::buildup::OrderRule;
use super::model::{MaterialModel, Model};
use super::result::*;
use super::simulate::{MaterialRun, ScenarioRun};
use super::stats::{Samples, ci_levels, kish_n_eff, mixture_quantile, rank};

/// Days in the average month, for days of cover.
pub const DAYS_PER_MONTH: f64 = 30.4375;
/// Points on the cost curve.
const COST_CURVE_POINTS: usize = 101;

/// The cost inputs of one material and the service level they imply.
pub struct MaterialSetup {
    pub service_level: f64,
    pub costs: CostParameters,
    pub mean_monthly_demand_kg: f64,
    pub demand_sd_kg: f64,
    pub z_score: f64,
    pub safety_stock_kg: f64,
    pub strategic_on_hand_kg: f64,
}

/// The standard normal quantile.
pub fn z_score(level: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(normal) => normal.inverse_cdf(level.clamp(0.0, 1.0)),
        Err(_) => f64::NAN,
    }
}

/// Where each figure sits in `mixture_levels`.
const BUFFER_LEVEL: usize = 0;
const CI95_LOW_LEVEL: usize = 1;
const CI95_HIGH_LEVEL: usize = 2;
const FAN_LEVEL: usize = 3;

/// The mixture quantile levels every month needs: the service level, the ends of its
/// 95% interval (Kish's effective sample size) and the fan's percentiles.
pub fn mixture_levels(model: &Model, service_level: f64) -> Vec<f64> {
    let weights: Vec<f64> = model.scenarios.iter().map(|s| s.weight).collect();
    let (low, high) = ci_levels(service_level, kish_n_eff(model.paths, &weights));
    let mut levels = vec![service_level, low, high];
    levels.extend(FAN_LEVELS);
    levels
}

/// Everything about a material that needs no simulation: costs, service level, safety stock.
pub fn setup(model: &Model, material: usize) -> MaterialSetup {
    let spec = &model.materials[material];
    let horizon_years = model.horizon_months as f64 / 12.0;
    let overage = spec.price_per_kg * spec.carrying_cost_per_year * horizon_years;
    let (underage, from_project) = match model.shortage_cost_per_kg {
        Some(cost) => (cost, true),
        None => (margin_lost_per_kg(model, spec), false),
    };
    let critical_ratio = if underage + overage > 0.0 {
        underage / (underage + overage)
    } else {
        0.5
    };
    let service_level = match model.service_level {
        ServiceLevel::Fixed(level) => level,
        ServiceLevel::Auto => critical_ratio.clamp(0.5, 0.999),
    };
    let mean_monthly_demand_kg = spec.direct_kg_per_month
        + spec
            .users
            .iter()
            .map(|&(p, kg)| model.products[p].units_per_month * kg)
            .sum::<f64>();
    let demand_variance: f64 = spec
        .users
        .iter()
        .map(|&(p, kg)| {
            let product = &model.products[p];
            (kg * product.units_per_month * product.demand_cv).powi(2)
        })
        .sum();
    let z = z_score(service_level);
    let safety_stock_kg = z
        * (spec.lead_time_months * demand_variance
            + mean_monthly_demand_kg.powi(2) * spec.lead_time_sd_months.powi(2))
        .sqrt();
    MaterialSetup {
        service_level,
        costs: CostParameters {
            overage_cost_per_kg: overage,
            underage_cost_per_kg: underage,
            critical_ratio,
            shortage_cost_from_project: from_project,
        },
        mean_monthly_demand_kg,
        demand_sd_kg: demand_variance.sqrt(),
        z_score: z,
        safety_stock_kg,
        strategic_on_hand_kg: (spec.on_hand_kg - safety_stock_kg).max(0.0),
    }
}

/// The margin lost per kg short: month-0 margin over month-0 kilograms of the products using it.
fn margin_lost_per_kg(model: &Model, spec: &MaterialModel) -> f64 {
    let (margin, kg) = spec
        .users
        .iter()
        .fold((0.0, 0.0), |(margin, kg), &(p, kg_per_unit)| {
            let product = &model.products[p];
            (
                margin + product.units_per_month * product.margin_per_unit,
                kg + product.units_per_month * kg_per_unit,
            )
        });
    if kg > 0.0 { margin / kg } else { 0.0 }
}

/// The blended figures per month: the buffer and its interval, the recommended stock
/// (the build-up plan's target), the fan and the price index.
pub fn monthly_figures(model: &Model, setup: &MaterialSetup, run: &MaterialRun) -> MonthlyFigures {
    let mixture = &run.mixture_by_month;
    MonthlyFigures {
        strategic_buffer_kg: mixture.iter().map(|q| q[BUFFER_LEVEL]).collect(),
        ci95_low_kg: mixture.iter().map(|q| q[CI95_LOW_LEVEL]).collect(),
        ci95_high_kg: mixture.iter().map(|q| q[CI95_HIGH_LEVEL]).collect(),
        recommended_stock_kg: mixture
            .iter()
            .map(|q| setup.safety_stock_kg + q[BUFFER_LEVEL])
            .collect(),
        fan_kg: mixture
            .iter()
            .map(|q| std::array::from_fn(|i| q[FAN_LEVEL + i]))
            .collect(),
        price_index_per_kg: (0..model.horizon_months)
            .map(|t| {
                run.scenarios
                    .iter()
                    .zip(&model.scenarios)
                    .map(|(run, scenario)| scenario.weight * run.price_index_per_kg[t])
                    .sum()
            })
            .collect(),
    }
}

/// The build-up plan's ordering rule for a material: toward the recommended stock of
/// each month, at the purchase cap, with the purchase lead time.
pub fn order_rule<'a>(
    model: &Model,
    material: usize,
    monthly: &'a MonthlyFigures,
) -> OrderRule<'a> {
    let spec = &model.materials[material];
    OrderRule {
        cap_kg_per_month: spec.max_purchase_kg_per_month,
        lead_months: spec.purchase_lead_months,
        target_kg: &monthly.recommended_stock_kg,
    }
}

/// What `assemble` needs beyond the simulated samples: the monthly figures, the plan
/// as scheduled and, per scenario, each path's run-out month following it.
pub struct PlanFollowed {
    pub monthly: MonthlyFigures,
    pub plan: BuildUpPlan,
    pub run_out: Vec<Vec<Option<usize>>>,
}

/// Assembles one material's recommendation from its simulated scenarios.
pub fn assemble(
    model: &Model,
    material: usize,
    setup: MaterialSetup,
    run: MaterialRun,
    followed: PlanFollowed,
) -> MaterialRecommendation {
    let spec = &model.materials[material];
    let runs = &run.scenarios;
    let weights: Vec<f64> = model.scenarios.iter().map(|s| s.weight).collect();
    let level = setup.service_level;
    let PlanFollowed {
        monthly,
        mut plan,
        run_out: run_out_following_plan,
    } = followed;

    let first: Vec<&Samples> = runs.iter().map(|run| &run.month0).collect();
    let r = setup.strategic_on_hand_kg;
    let strategic_buffer_kg = monthly.strategic_buffer_kg[0];
    let recommended_stock_kg = setup.safety_stock_kg + strategic_buffer_kg;
    let dbar = setup.mean_monthly_demand_kg;
    let blend = |f: &dyn Fn(&Samples) -> f64| -> f64 {
        first.iter().zip(&weights).map(|(s, w)| w * f(s)).sum()
    };
    let stockout_probability = blend(&|s| s.prob_above(r));
    let expected_shortfall = blend(&|s| s.expected_excess(r));

    let by_scenario: Vec<ScenarioFigures> = runs
        .iter()
        .zip(&weights)
        .zip(&run_out_following_plan)
        .map(|((run, &weight), following)| scenario_figures(&setup, run, weight, following))
        .collect();
    let driving_scenario = driving_scenario(&by_scenario);
    plan.driving_run_out_month = driving_scenario.and_then(|s| by_scenario[s].run_out_month_median);
    plan.run_out_probability_following_plan = by_scenario
        .iter()
        .map(|figures| figures.weight * figures.run_out_probability_following_plan)
        .sum();
    plan.run_out_month_median_following_plan =
        blended_run_out_median(&run_out_following_plan, &weights, model.horizon_months);
    let open_ended = by_scenario.iter().any(ScenarioFigures::open_ended);

    let costs = setup.costs;
    let (cost_curve, cost_optimal) = cost_curve(&first, &weights, &costs);

    let units_not_built = spec
        .users
        .iter()
        .map(|&(product, kg_per_unit)| UnitsNotBuilt {
            product,
            kg_per_unit,
            units: expected_shortfall / kg_per_unit,
        })
        .collect();
    MaterialRecommendation {
        service_level: level,
        mean_monthly_demand_kg: dbar,
        demand_sd_kg: setup.demand_sd_kg,
        z_score: setup.z_score,
        safety_stock_kg: setup.safety_stock_kg,
        strategic_buffer_kg,
        strategic_buffer_ci95_kg: [monthly.ci95_low_kg[0], monthly.ci95_high_kg[0]],
        recommended_stock_kg,
        days_of_cover: (dbar > 0.0).then(|| recommended_stock_kg / (dbar / DAYS_PER_MONTH)),
        share_of_annual_consumption: (dbar > 0.0).then(|| recommended_stock_kg / (12.0 * dbar)),
        on_hand_kg: spec.on_hand_kg,
        gap_kg: (recommended_stock_kg - spec.on_hand_kg).max(0.0),
        strategic_on_hand_kg: r,
        stockout_probability_at_on_hand: stockout_probability,
        expected_shortfall_kg_at_on_hand: expected_shortfall,
        units_not_built,
        holding_cost_per_year: recommended_stock_kg
            * spec.price_per_kg
            * spec.carrying_cost_per_year,
        costs,
        cost_curve,
        cost_optimal_strategic_stock_kg: cost_optimal,
        monthly,
        by_scenario,
        driving_scenario,
        open_ended,
        expected_alternative_kg: runs
            .iter()
            .zip(&weights)
            .map(|(run, w)| w * run.expected_alternative_kg)
            .sum(),
        expected_alternative_extra_cost: runs
            .iter()
            .zip(&weights)
            .map(|(run, w)| w * run.expected_alternative_extra_cost)
            .sum(),
        buildup: plan,
        month0_samples: run.scenarios.into_iter().map(|s| s.month0).collect(),
    }
}

/// One scenario's figures: its month-0 buffer and how its paths run out, on hand
/// and following the plan.
fn scenario_figures(
    setup: &MaterialSetup,
    run: &ScenarioRun,
    weight: f64,
    following: &[Option<usize>],
) -> ScenarioFigures {
    let samples = &run.month0;
    let r = setup.strategic_on_hand_kg;
    let buffer = run.quantile_by_month.first().copied().unwrap_or(0.0);
    ScenarioFigures {
        weight,
        strategic_buffer_kg: buffer,
        strategic_buffer_ci95_kg: samples.quantile_ci95(setup.service_level),
        recommended_stock_kg: setup.safety_stock_kg + buffer,
        mean_buffer_kg: samples.mean(),
        stockout_probability_at_on_hand: samples.prob_above(r),
        expected_shortfall_kg_at_on_hand: samples.expected_excess(r),
        run_out_month_median: run_out_order_statistic(&run.run_out, 0.5),
        run_out_month_p10: run_out_order_statistic(&run.run_out, 0.1),
        buffer_by_month_kg: run.quantile_by_month.clone(),
        price_index_per_kg: run.price_index_per_kg.clone(),
        expected_alternative_kg: run.expected_alternative_kg,
        expected_alternative_extra_cost: run.expected_alternative_extra_cost,
        shortfall_in_last_month_kg: run.shortfall_in_last_month_kg,
        run_out_probability_following_plan: share_run_out(following),
        run_out_month_median_following_plan: run_out_order_statistic(following, 0.5),
    }
}

/// MODEL.md: the largest month-0 buffer among scenarios with a positive weight, the
/// first listed on a tie; never one whose buffer is zero (it drives nothing).
fn driving_scenario(by_scenario: &[ScenarioFigures]) -> Option<usize> {
    by_scenario
        .iter()
        .enumerate()
        .filter(|(_, figures)| figures.weight > 0.0 && figures.strategic_buffer_kg > 0.0)
        .fold(
            None,
            |best: Option<(usize, f64)>, (index, figures)| match best {
                Some((_, buffer)) if buffer >= figures.strategic_buffer_kg => best,
                _ => Some((index, figures.strategic_buffer_kg)),
            },
        )
        .map(|(index, _)| index)
}

/// The expected cost against the strategic stock, from nothing to the largest month-0
/// buffer any weighted scenario needs, and the cost-optimal stock (the mixture's
/// critical-ratio quantile).
fn cost_curve(
    first: &[&Samples],
    weights: &[f64],
    costs: &CostParameters,
) -> (Vec<CostPoint>, f64) {
    let cost_optimal = mixture_quantile(first, weights, costs.critical_ratio);
    let curve_max = first
        .iter()
        .zip(weights)
        .filter(|(_, w)| **w > 0.0)
        .map(|(s, _)| s.max())
        .fold(cost_optimal, f64::max);
    let stocks: Vec<f64> = (0..COST_CURVE_POINTS)
        .map(|i| curve_max * i as f64 / (COST_CURVE_POINTS - 1) as f64)
        .collect();
    // Each scenario's (slack, excess) at every point, in one pass over its samples.
    let along: Vec<Vec<(f64, f64)>> = first
        .iter()
        .map(|s| s.slack_and_excess_along(&stocks))
        .collect();
    let curve = stocks
        .iter()
        .enumerate()
        .map(|(i, &stock)| {
            let blend_at = |part: fn((f64, f64)) -> f64| -> f64 {
                along.iter().zip(weights).map(|(a, w)| w * part(a[i])).sum()
            };
            CostPoint {
                strategic_stock_kg: stock,
                expected_cost: costs.overage_cost_per_kg * blend_at(|(slack, _)| slack)
                    + costs.underage_cost_per_kg * blend_at(|(_, excess)| excess),
            }
        })
        .collect();
    (curve, cost_optimal)
}

/// The share of paths that run out.
fn share_run_out(run_out: &[Option<usize>]) -> f64 {
    if run_out.is_empty() {
        return 0.0;
    }
    run_out.iter().filter(|month| month.is_some()).count() as f64 / run_out.len() as f64
}

/// The blended median run-out month (MODEL.md): the smallest month `x` with
/// `sum_s w_s * c_s(x) / n >= 0.5 - 1e-9`, `c_s(x)` counting scenario s's paths that
/// run out in or before `x` (counts, not a running floating-point sum).
fn blended_run_out_median(
    run_out: &[Vec<Option<usize>>],
    weights: &[f64],
    horizon: usize,
) -> Option<usize> {
    let counts: Vec<Vec<usize>> = run_out
        .iter()
        .map(|paths| {
            let mut by_month = vec![0; horizon];
            for month in paths.iter().flatten() {
                if let Some(count) = by_month.get_mut(*month) {
                    *count += 1;
                }
            }
            by_month
        })
        .collect();
    let mut cumulative = vec![0usize; run_out.len()];
    (0..horizon).find(|&month| {
        let mut share = 0.0;
        for (s, paths) in run_out.iter().enumerate() {
            cumulative[s] += counts[s][month];
            if !paths.is_empty() {
                share += weights[s] * cumulative[s] as f64 / paths.len() as f64;
            }
        }
        share >= 0.5 - 1e-9
    })
}

/// The `ceil(q * n)`-th smallest run-out month, "never" ranking after every month.
fn run_out_order_statistic(run_out: &[Option<usize>], q: f64) -> Option<usize> {
    if run_out.is_empty() {
        return None;
    }
    let k = rank(q, run_out.len());
    let mut months: Vec<usize> = run_out.iter().flatten().copied().collect();
    if k > months.len() {
        return None;
    }
    let (_, kth, _) = months.select_nth_unstable(k - 1);
    Some(*kth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_is_accurate() {
        assert!((z_score(0.95) - 1.6448536269514722).abs() < 1e-12);
        assert!((z_score(0.5)).abs() < 1e-15);
    }

    #[test]
    fn run_out_statistics_rank_never_last() {
        let months = [
            Some(3),
            None,
            Some(1),
            None,
            Some(2),
            None,
            None,
            None,
            None,
            None,
        ];
        assert_eq!(run_out_order_statistic(&months, 0.1), Some(1));
        assert_eq!(run_out_order_statistic(&months, 0.3), Some(3));
        assert_eq!(run_out_order_statistic(&months, 0.5), None);
    }
}
