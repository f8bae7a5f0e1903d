//! What a run produces: per material, the recommendation and everything the app,
//! the exports and the JSON document show about it.

use super::stats::Samples;
use crate::project::{ServiceLevel, YearMonth};

/// Percentile levels of the fan chart.
pub const FAN_LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

#[derive(Clone, Debug, PartialEq)]
pub struct Recommendation {
    pub start: YearMonth,
    pub horizon_months: usize,
    pub paths: usize,
    pub seed: u64,
    /// The level the run used (`Auto`: each material has its own).
    pub service_level: ServiceLevel,
    /// Whether the stock is refilled after a disruption (format 2's model).
    pub rebuild_after_disruption: bool,
    /// Normalised scenario weights, in project order.
    pub scenario_weights: Vec<f64>,
    /// One per material, in project order.
    pub materials: Vec<MaterialRecommendation>,
}

impl Recommendation {
    pub fn month(&self, index: usize) -> YearMonth {
        self.start.plus_months(index as i32)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MaterialRecommendation {
    /// The service level used for this material (its own with `Auto`).
    pub service_level: f64,
    /// `Dbar`: the forecast demand of month 0, kg per month.
    pub mean_monthly_demand_kg: f64,
    /// `sigma_D`: the standard deviation of monthly demand, kg.
    pub demand_sd_kg: f64,
    /// `z(a)` used for the safety stock.
    pub z_score: f64,
    pub safety_stock_kg: f64,
    /// The blended (mixture) quantile of the month-0 buffer.
    pub strategic_buffer_kg: f64,
    pub strategic_buffer_ci95_kg: [f64; 2],
    pub recommended_stock_kg: f64,
    pub days_of_cover: Option<f64>,
    pub share_of_annual_consumption: Option<f64>,
    pub on_hand_kg: f64,
    pub gap_kg: f64,
    /// `R`: what remains of the stock on hand after the safety stock.
    pub strategic_on_hand_kg: f64,
    pub stockout_probability_at_on_hand: f64,
    pub expected_shortfall_kg_at_on_hand: f64,
    /// Per product using the material: the expected shortfall in units not built.
    pub units_not_built: Vec<UnitsNotBuilt>,
    pub holding_cost_per_year: f64,
    pub costs: CostParameters,
    pub cost_curve: Vec<CostPoint>,
    /// The strategic stock that minimises the expected cost (the unclamped critical ratio's quantile).
    pub cost_optimal_strategic_stock_kg: f64,
    pub monthly: MonthlyFigures,
    pub by_scenario: Vec<ScenarioFigures>,
    /// The scenario with the largest month-0 buffer among those with a positive weight
    /// (the first listed on a tie), if any has a positive buffer (MODEL.md).
    pub driving_scenario: Option<usize>,
    /// Whether some scenario with a positive weight is still short at the end of the
    /// plan (`shortfall_in_last_month_kg > 0`): its buffer grows with the horizon.
    pub open_ended: bool,
    /// Expected kilograms bought from alternative suppliers over the horizon, and their extra cost.
    pub expected_alternative_kg: f64,
    pub expected_alternative_extra_cost: f64,
    pub buildup: BuildUpPlan,
    /// Per scenario, the month-0 samples of `M` (the budget spends along them).
    pub month0_samples: Vec<Samples>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnitsNotBuilt {
    pub product: usize,
    pub kg_per_unit: f64,
    pub units: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostParameters {
    /// `c_o`: holding a kg over the horizon.
    pub overage_cost_per_kg: f64,
    /// `c_u`: a kg short (the project's shortage cost, or the margin lost per kg).
    pub underage_cost_per_kg: f64,
    /// `c_u / (c_u + c_o)`, before clamping to the allowed service levels.
    pub critical_ratio: f64,
    /// Whether `c_u` came from the project's shortage cost (else from margins).
    pub shortage_cost_from_project: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostPoint {
    pub strategic_stock_kg: f64,
    pub expected_cost: f64,
}

/// Per month of the horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthlyFigures {
    pub strategic_buffer_kg: Vec<f64>,
    pub ci95_low_kg: Vec<f64>,
    pub ci95_high_kg: Vec<f64>,
    /// Safety stock plus the blended buffer: the target the build-up plan buys toward.
    pub recommended_stock_kg: Vec<f64>,
    /// Blended buffer percentiles at `FAN_LEVELS`.
    pub fan_kg: Vec<[f64; 5]>,
    /// Expected price per kg (blended over scenarios).
    pub price_index_per_kg: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioFigures {
    pub weight: f64,
    pub strategic_buffer_kg: f64,
    pub strategic_buffer_ci95_kg: [f64; 2],
    pub recommended_stock_kg: f64,
    pub mean_buffer_kg: f64,
    pub stockout_probability_at_on_hand: f64,
    pub expected_shortfall_kg_at_on_hand: f64,
    /// Month indices; `None` when the stock on hand never runs out within the horizon.
    pub run_out_month_median: Option<usize>,
    pub run_out_month_p10: Option<usize>,
    /// The scenario's own buffer quantile per month.
    pub buffer_by_month_kg: Vec<f64>,
    pub price_index_per_kg: Vec<f64>,
    pub expected_alternative_kg: f64,
    pub expected_alternative_extra_cost: f64,
    /// The median over paths of the last month's deficit after alternatives: positive
    /// when supply never comes back within the plan (MODEL.md "Open-ended shortfalls").
    pub shortfall_in_last_month_kg: f64,
    /// Following the build-up plan from today's stock: the share of paths that run out.
    pub run_out_probability_following_plan: f64,
    /// The median run-out month following the plan (`None`: the median path never does).
    pub run_out_month_median_following_plan: Option<usize>,
}

impl ScenarioFigures {
    /// Whether the scenario's buffer is open-ended (a deficit still there at the horizon).
    pub fn open_ended(&self) -> bool {
        self.weight > 0.0 && self.shortfall_in_last_month_kg > DEFICIT_TOLERANCE_KG
    }
}

/// A deficit counts as positive above this (MODEL.md, wherever a deficit is tested).
pub const DEFICIT_TOLERANCE_KG: f64 = 1e-9;

/// The build-up plan (MODEL.md "Prices and the build-up plan"): orders toward the
/// blended target, at most the purchase cap a month, arriving a lead time later.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildUpPlan {
    pub max_purchase_kg_per_month: Option<f64>,
    /// `l`: whole months from order to arrival.
    pub lead_time_months: usize,
    pub target_kg: Vec<f64>,
    /// Kilograms ordered in each month.
    pub order_kg: Vec<f64>,
    /// Kilograms arriving in each month (`order_kg` shifted by the lead time).
    pub arrival_kg: Vec<f64>,
    /// Stock at the start of each month, `H + 1` entries.
    pub stock_kg: Vec<f64>,
    /// The month whose arrivals first bring the stock to the month-0 recommendation.
    pub reaches_recommendation_month: Option<usize>,
    /// The sum of the orders.
    pub kg_bought: f64,
    /// `max(0, recommended_stock[0] - on_hand)`.
    pub gap_kg: f64,
    /// The plan's orders at each month's price index.
    pub cost: f64,
    /// The same kilograms at month 0's price index.
    pub cost_at_todays_price: f64,
    /// `cost - cost_at_todays_price`: what buying everything now would save.
    pub value_of_buying_ahead: f64,
    /// The whole gap at month 0's price index: the capital the recommendation needs.
    pub gap_cost_at_todays_price: f64,
    /// The driving scenario's median run-out month at today's stock (the deadline).
    pub driving_run_out_month: Option<usize>,
    /// Blended over scenarios, following the plan: the probability of running out
    /// within the horizon and the median run-out month.
    pub run_out_probability_following_plan: f64,
    pub run_out_month_median_following_plan: Option<usize>,
}

impl BuildUpPlan {
    /// Whether the plan is too slow: the driving scenario runs dry before (or in the
    /// month) the plan reaches the recommendation, or the plan never reaches it.
    pub fn too_late(&self) -> bool {
        match (
            self.driving_run_out_month,
            self.reaches_recommendation_month,
        ) {
            (Some(run_out), Some(reached)) => reached >= run_out,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}
