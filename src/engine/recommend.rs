//! From simulated samples to the recommendation (MODEL.md "Safety stock" through
//! "Prices and the build-up plan").

use statrs::distribution::{ContinuousCDF, Normal};

use crate::project::ServiceLevel;

use super::model::{MaterialModel, Model};
use super::result::*;
use super::simulate::MaterialRun;
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

/// Assembles one material's recommendation from its simulated scenarios.
pub fn assemble(
    model: &Model,
    material: usize,
    setup: MaterialSetup,
    run: &MaterialRun,
) -> MaterialRecommendation {
    let spec = &model.materials[material];
    let runs = &run.scenarios;
    let weights: Vec<f64> = model.scenarios.iter().map(|s| s.weight).collect();
    let level = setup.service_level;
    let mixture = &run.mixture_by_month;

    let monthly = MonthlyFigures {
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
                runs.iter()
                    .zip(&weights)
                    .map(|(run, w)| w * run.price_index_per_kg[t])
                    .sum()
            })
            .collect(),
    };

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
        .map(|(run, &weight)| {
            let samples = &run.month0;
            let buffer = run.quantile_by_month.first().copied().unwrap_or(0.0);
            ScenarioFigures {
                weight,
                strategic_buffer_kg: buffer,
                strategic_buffer_ci95_kg: samples.quantile_ci95(level),
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
            }
        })
        .collect();
    let driving_scenario = by_scenario
        .iter()
        .enumerate()
        .map(|(index, figures)| (index, figures.weight * figures.mean_buffer_kg))
        .filter(|(_, contribution)| *contribution > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(index, _)| index);

    let costs = setup.costs;
    let cost_optimal = mixture_quantile(&first, &weights, costs.critical_ratio);
    let curve_max = first
        .iter()
        .zip(&weights)
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
    let cost_curve = stocks
        .iter()
        .enumerate()
        .map(|(i, &stock)| {
            let blend_at = |part: fn((f64, f64)) -> f64| -> f64 {
                along
                    .iter()
                    .zip(&weights)
                    .map(|(a, w)| w * part(a[i]))
                    .sum()
            };
            CostPoint {
                strategic_stock_kg: stock,
                expected_cost: costs.overage_cost_per_kg * blend_at(|(slack, _)| slack)
                    + costs.underage_cost_per_kg * blend_at(|(_, excess)| excess),
            }
        })
        .collect();

    let units_not_built = spec
        .users
        .iter()
        .map(|&(product, kg_per_unit)| UnitsNotBuilt {
            product,
            kg_per_unit,
            units: expected_shortfall / kg_per_unit,
        })
        .collect();
    let buildup = build_up_plan(
        spec.on_hand_kg,
        spec.max_purchase_kg_per_month,
        &monthly.recommended_stock_kg,
        &monthly.price_index_per_kg,
    );
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
        buildup,
    }
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

/// Buys toward the target from month 0, at most `cap` a month (MODEL.md).
pub fn build_up_plan(
    on_hand_kg: f64,
    cap: Option<f64>,
    target_kg: &[f64],
    price_index_per_kg: &[f64],
) -> BuildUpPlan {
    let mut stock = on_hand_kg;
    let mut stock_kg = vec![stock];
    let mut buy_kg = Vec::with_capacity(target_kg.len());
    let mut target_met_month = None;
    for (t, &target) in target_kg.iter().enumerate() {
        let wanted = (target - stock).max(0.0);
        let buy = cap.map_or(wanted, |cap| wanted.min(cap));
        if target_met_month.is_none() && stock + buy >= target {
            target_met_month = Some(t);
        }
        stock += buy;
        buy_kg.push(buy);
        stock_kg.push(stock);
    }
    let cost: f64 = buy_kg
        .iter()
        .zip(price_index_per_kg)
        .map(|(buy, price)| buy * price)
        .sum();
    let bought: f64 = buy_kg.iter().sum();
    let cost_at_todays_price = bought * price_index_per_kg.first().copied().unwrap_or(0.0);
    BuildUpPlan {
        max_purchase_kg_per_month: cap,
        target_kg: target_kg.to_vec(),
        buy_kg,
        stock_kg,
        target_met_month,
        cost,
        cost_at_todays_price,
        value_of_buying_ahead: cost - cost_at_todays_price,
    }
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

    #[test]
    fn build_up_respects_the_cap() {
        let plan = build_up_plan(
            100.0,
            Some(50.0),
            &[200.0, 200.0, 200.0],
            &[10.0, 20.0, 30.0],
        );
        assert_eq!(plan.buy_kg, vec![50.0, 50.0, 0.0]);
        assert_eq!(plan.target_met_month, Some(1));
        assert_eq!(plan.cost, 50.0 * 10.0 + 50.0 * 20.0);
        assert_eq!(plan.cost_at_todays_price, 100.0 * 10.0);
        assert_eq!(plan.value_of_buying_ahead, 500.0);
    }
}
