//! The executive summary (issue 15 item 4): what the board reads first, built once from
//! the run and shared by every report (PDF page 1, the top of HTML and Markdown, the
//! XLSX Summary sheet). Figures are kept as numbers, so the XLSX writer can write them
//! as numbers; each also has its sentence, so every format says the same thing.
//!
//! Definitions (docs/EXPORTS.md "Executive summary"):
//! - capital: every material's gap bought at today's (month-0) price index;
//! - holding cost: the recommended stock's holding cost per year, summed;
//! - expected shortage cost at today's stock: per material, the expected shortfall at
//!   the stock on hand (kg) times the shortage (underage) cost per kg, summed;
//! - actions are ranked by the expected shortage cost that buying the whole gap avoids,
//!   per unit of money the gap costs at today's price.

use crate::engine::budget::BudgetAllocation;
use crate::engine::qualify::QualifyComparison;
use crate::engine::sensitivity::Sensitivity;
use crate::engine::{MaterialRecommendation, Recommendation};
use crate::project::Project;
use crate::units;

use super::text as words;

/// How many drivers the summary names.
pub const TOP_DRIVERS: usize = 3;

/// Everything the summary states, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutiveSummary {
    pub currency: String,
    pub totals: SummaryTotals,
    /// Materials with a gap first, best value first; then those already covered.
    pub actions: Vec<Action>,
    pub stock_by_scenario: ScenarioStockTable,
    /// One per material, in project order.
    pub feasibility: Vec<Feasibility>,
    /// `None` when no sensitivity was run; else at most `TOP_DRIVERS`, largest first.
    pub drivers: Option<Vec<Driver>>,
    /// Present when the report was asked for with a budget.
    pub budget: Option<BudgetSummary>,
    /// `None` when the comparison was not run; empty when no material has an
    /// alternative still to qualify.
    pub qualify: Option<Vec<QualifyLine>>,
}

/// The three totals over every material, in the project's currency.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SummaryTotals {
    /// Every gap bought at today's price: the capital the recommendation needs.
    pub capital_for_every_gap: f64,
    /// Holding the recommended stock of every material for a year.
    pub holding_cost_per_year: f64,
    /// Expected shortfall at today's stock × shortage cost per kg, summed.
    pub expected_shortage_cost_at_on_hand: f64,
}

/// One line of the ranked action list.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// 1 for what to buy first.
    pub rank: usize,
    /// Index into the project's materials.
    pub material: usize,
    pub material_name: String,
    pub gap_kg: f64,
    pub gap_cost_at_todays_price: f64,
    pub stockout_probability_at_on_hand: f64,
    /// Expected shortage cost at today's stock.
    pub expected_shortage_cost_at_on_hand: f64,
    /// Expected shortage cost left once the gap is bought (at the recommended stock).
    pub expected_shortage_cost_at_recommendation: f64,
    /// Shortage cost avoided per unit of money spent on the gap; infinite for a free
    /// material with something to avoid, 0 without a gap.
    pub avoided_per_money: f64,
    /// Whether the build-up plan reaches the recommendation too late.
    pub too_late: bool,
    /// The line a reader sees: what to buy and why.
    pub sentence: String,
}

impl Action {
    pub fn avoided_shortage_cost(&self) -> f64 {
        self.expected_shortage_cost_at_on_hand - self.expected_shortage_cost_at_recommendation
    }
}

/// Rows: each scenario, then the blend; columns: the materials. Cells: the month-0
/// recommended stock each needs, kg.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioStockTable {
    pub material_names: Vec<String>,
    pub rows: Vec<ScenarioStockRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioStockRow {
    /// The scenario's name, or "Blend (recommended)" for the last row.
    pub label: String,
    /// The normalised weight (1 for the blend).
    pub weight: f64,
    /// Whether this is the blended recommendation row.
    pub is_blend: bool,
    pub recommended_stock_kg: Vec<f64>,
}

/// Whether the build-up plan reaches the recommendation in time.
#[derive(Clone, Debug, PartialEq)]
pub struct Feasibility {
    pub material: usize,
    pub material_name: String,
    pub gap_kg: f64,
    /// Month index of the arrival that reaches the recommendation.
    pub reaches_recommendation_month: Option<usize>,
    /// The driving scenario's median run-out month at today's stock.
    pub driving_run_out_month: Option<usize>,
    pub too_late: bool,
    pub run_out_probability_following_plan: f64,
    /// `text::buildup_feasibility`.
    pub sentence: String,
}

/// One of the inputs the stockpile is most sensitive to.
#[derive(Clone, Debug, PartialEq)]
pub struct Driver {
    pub material: usize,
    pub material_name: String,
    /// The input in words ("Exposed share of NdPr oxide").
    pub input_label: String,
    pub input_low: String,
    pub input_high: String,
    pub recommended_low_kg: f64,
    pub recommended_high_kg: f64,
    pub swing_kg: f64,
    /// The swing valued at the material's price today: drivers of different materials
    /// are ranked by it (kilograms of gallium and of graphite do not compare).
    pub swing_value: f64,
    pub sentence: String,
}

/// The budget table (`report --budget`), per material in project order.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetSummary {
    pub amount: f64,
    pub spent: f64,
    /// Shortage cost one more unit of money would save.
    pub marginal_value: f64,
    pub marginal_material_name: Option<String>,
    pub rows: Vec<BudgetRow>,
    pub sentence: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BudgetRow {
    pub material: usize,
    pub material_name: String,
    pub kg: f64,
    pub cost: f64,
    pub stockout_probability_before: f64,
    pub stockout_probability_after: f64,
    pub expected_shortfall_kg_before: f64,
    pub expected_shortfall_kg_after: f64,
}

/// Qualify or stockpile, one material.
#[derive(Clone, Debug, PartialEq)]
pub struct QualifyLine {
    pub comparison: QualifyComparison,
    pub material_name: String,
    /// `text::qualify_ahead_sentence`.
    pub sentence: String,
}

impl ExecutiveSummary {
    /// Builds the summary. `rec` must be the project's recommendation; the optional
    /// parts come from the same run's options.
    pub fn new(
        project: &Project,
        rec: &Recommendation,
        sensitivity: Option<&Sensitivity>,
        budget: Option<&BudgetAllocation>,
        qualify: Option<&[QualifyComparison]>,
    ) -> Self {
        let currency = project.currency.clone();
        let shortage: Vec<(f64, f64)> = rec
            .materials
            .iter()
            .map(|m| shortage_costs(rec, m))
            .collect();
        let totals = SummaryTotals {
            capital_for_every_gap: rec
                .materials
                .iter()
                .map(|m| m.buildup.gap_cost_at_todays_price)
                .sum(),
            holding_cost_per_year: rec.materials.iter().map(|m| m.holding_cost_per_year).sum(),
            expected_shortage_cost_at_on_hand: shortage
                .iter()
                .map(|(at_on_hand, _)| at_on_hand)
                .sum(),
        };
        Self {
            totals,
            actions: actions(project, rec, &shortage),
            stock_by_scenario: stock_by_scenario(project, rec),
            feasibility: feasibility(project, rec),
            drivers: sensitivity.map(|s| drivers(project, rec, s)),
            budget: budget.map(|b| budget_summary(project, rec, b)),
            qualify: qualify.map(|q| {
                q.iter()
                    .map(|c| QualifyLine {
                        comparison: c.clone(),
                        material_name: material_name(project, c.material),
                        sentence: words::qualify_ahead_sentence(project, c),
                    })
                    .collect()
            }),
            currency,
        }
    }

    /// The totals as three sentences, for the reports' first paragraph.
    pub fn totals_sentences(&self) -> Vec<String> {
        let money = |x: f64| units::money(x, &self.currency);
        vec![
            format!(
                "Buying every gap at today's prices takes {} of capital.",
                money(self.totals.capital_for_every_gap)
            ),
            format!(
                "Holding the recommended stocks costs {} a year.",
                money(self.totals.holding_cost_per_year)
            ),
            format!(
                "At today's stock the expected shortage cost is {} (expected shortfall × shortage cost per kg).",
                money(self.totals.expected_shortage_cost_at_on_hand)
            ),
        ]
    }
}

fn material_name(project: &Project, index: usize) -> String {
    project
        .materials
        .get(index)
        .map_or_else(String::new, |m| m.name.clone())
}

/// (at today's stock, at the recommended stock): the expected shortfall of the
/// strategic stock times the shortage cost per kg, blended over the scenarios.
fn shortage_costs(rec: &Recommendation, m: &MaterialRecommendation) -> (f64, f64) {
    let at_recommendation: f64 = m
        .month0_samples
        .iter()
        .zip(&rec.scenario_weights)
        .map(|(samples, w)| w * samples.expected_excess(m.strategic_buffer_kg))
        .sum();
    let c_u = m.costs.underage_cost_per_kg;
    // Buying the gap never leaves more shortfall than today's stock does.
    let at_on_hand = m.expected_shortfall_kg_at_on_hand;
    (c_u * at_on_hand, c_u * at_recommendation.min(at_on_hand))
}

fn actions(project: &Project, rec: &Recommendation, shortage: &[(f64, f64)]) -> Vec<Action> {
    let currency = &project.currency;
    let mut actions: Vec<Action> = rec
        .materials
        .iter()
        .zip(shortage)
        .enumerate()
        .map(|(index, (m, &(at_on_hand, at_recommendation)))| {
            let avoided = at_on_hand - at_recommendation;
            let cost = m.buildup.gap_cost_at_todays_price;
            let avoided_per_money = if m.gap_kg <= 0.0 || avoided <= 0.0 {
                0.0
            } else if cost > 0.0 {
                avoided / cost
            } else {
                f64::INFINITY
            };
            let name = material_name(project, index);
            let too_late = m.gap_kg > 0.0 && m.buildup.too_late();
            let sentence = if m.gap_kg <= 0.0 {
                format!(
                    "{name}: nothing to buy; the {} on hand covers the recommended {}.",
                    units::mass(m.on_hand_kg),
                    units::mass(m.recommended_stock_kg)
                )
            } else {
                let value = if avoided_per_money.is_finite() {
                    format!(
                        "{} {currency} of shortage cost avoided per {currency}",
                        units::thousands(avoided_per_money, 2)
                    )
                } else {
                    format!(
                        "costs nothing and avoids {} of expected shortage cost",
                        units::money(avoided, currency)
                    )
                };
                // Whether the plan is in time is the feasibility table's column.
                format!(
                    "Buy {} of {name} ({} today): {value}; stockout risk now {}.",
                    units::mass(m.gap_kg),
                    units::money(cost, currency),
                    words::probability(m.stockout_probability_at_on_hand),
                )
            };
            Action {
                rank: 0,
                material: index,
                material_name: name,
                gap_kg: m.gap_kg,
                gap_cost_at_todays_price: cost,
                stockout_probability_at_on_hand: m.stockout_probability_at_on_hand,
                expected_shortage_cost_at_on_hand: at_on_hand,
                expected_shortage_cost_at_recommendation: at_recommendation,
                avoided_per_money,
                too_late,
                sentence,
            }
        })
        .collect();
    // Gaps first, best value per unit of money first, then the larger avoided cost;
    // the sort is stable, so full ties keep the project's order.
    actions.sort_by(|a, b| {
        (b.gap_kg > 0.0)
            .cmp(&(a.gap_kg > 0.0))
            .then(b.avoided_per_money.total_cmp(&a.avoided_per_money))
            .then(
                b.avoided_shortage_cost()
                    .total_cmp(&a.avoided_shortage_cost()),
            )
    });
    for (rank, action) in actions.iter_mut().enumerate() {
        action.rank = rank + 1;
    }
    actions
}

fn stock_by_scenario(project: &Project, rec: &Recommendation) -> ScenarioStockTable {
    let mut rows: Vec<ScenarioStockRow> = project
        .scenarios
        .iter()
        .enumerate()
        .map(|(s, scenario)| ScenarioStockRow {
            label: scenario.name.clone(),
            weight: rec.scenario_weights.get(s).copied().unwrap_or(0.0),
            is_blend: false,
            recommended_stock_kg: rec
                .materials
                .iter()
                .map(|m| m.by_scenario.get(s).map_or(0.0, |f| f.recommended_stock_kg))
                .collect(),
        })
        .collect();
    rows.push(ScenarioStockRow {
        label: "Blend (recommended)".to_owned(),
        weight: 1.0,
        is_blend: true,
        recommended_stock_kg: rec
            .materials
            .iter()
            .map(|m| m.recommended_stock_kg)
            .collect(),
    });
    ScenarioStockTable {
        material_names: project.materials.iter().map(|m| m.name.clone()).collect(),
        rows,
    }
}

fn feasibility(project: &Project, rec: &Recommendation) -> Vec<Feasibility> {
    rec.materials
        .iter()
        .enumerate()
        .map(|(index, m)| Feasibility {
            material: index,
            material_name: material_name(project, index),
            gap_kg: m.gap_kg,
            reaches_recommendation_month: m.buildup.reaches_recommendation_month,
            driving_run_out_month: m.buildup.driving_run_out_month,
            too_late: m.gap_kg > 0.0 && m.buildup.too_late(),
            run_out_probability_following_plan: m.buildup.run_out_probability_following_plan,
            sentence: words::buildup_feasibility(project, rec, index),
        })
        .collect()
}

/// The largest bars over every material, ranked by their swing at today's price.
fn drivers(project: &Project, rec: &Recommendation, sensitivity: &Sensitivity) -> Vec<Driver> {
    let mut all: Vec<Driver> = sensitivity
        .materials
        .iter()
        .enumerate()
        .flat_map(|(index, material)| {
            let price = rec
                .materials
                .get(index)
                .and_then(|m| m.monthly.price_index_per_kg.first().copied())
                .unwrap_or(0.0);
            material.bars.iter().filter_map(move |bar| {
                let input = sensitivity.inputs.get(bar.input)?;
                Some((index, price, input, bar))
            })
        })
        .map(|(index, price, input, bar)| {
            let name = material_name(project, index);
            let (low, high) = (input.low.to_string(), input.high.to_string());
            let sentence = format!(
                "{}: from {low} to {high} moves the {name} stockpile from {} to {}.",
                input.label,
                units::mass(bar.recommended_low_kg),
                units::mass(bar.recommended_high_kg),
            );
            Driver {
                material: index,
                material_name: name,
                input_label: input.label.clone(),
                input_low: low,
                input_high: high,
                recommended_low_kg: bar.recommended_low_kg,
                recommended_high_kg: bar.recommended_high_kg,
                swing_kg: bar.swing_kg(),
                swing_value: bar.swing_kg() * price,
                sentence,
            }
        })
        .collect();
    all.sort_by(|a, b| {
        b.swing_value
            .total_cmp(&a.swing_value)
            .then(b.swing_kg.total_cmp(&a.swing_kg))
    });
    all.truncate(TOP_DRIVERS);
    all
}

fn budget_summary(
    project: &Project,
    rec: &Recommendation,
    budget: &BudgetAllocation,
) -> BudgetSummary {
    let currency = &project.currency;
    let rows: Vec<BudgetRow> = rec
        .materials
        .iter()
        .zip(&budget.materials)
        .enumerate()
        .map(|(index, (m, b))| BudgetRow {
            material: index,
            material_name: material_name(project, index),
            kg: b.kg,
            cost: b.cost,
            stockout_probability_before: m.stockout_probability_at_on_hand,
            stockout_probability_after: b.stockout_probability_after,
            expected_shortfall_kg_before: m.expected_shortfall_kg_at_on_hand,
            expected_shortfall_kg_after: b.expected_shortfall_kg_after,
        })
        .collect();
    let marginal_material_name = budget
        .marginal_material
        .map(|index| material_name(project, index));
    let next = match &marginal_material_name {
        Some(name) => format!(
            "; one more {currency} would go to {name} and save {} {currency} of expected shortage cost",
            units::thousands(budget.marginal_value, 2)
        ),
        None => "; nothing is left to save".to_owned(),
    };
    let sentence = format!(
        "A budget of {} buys {} of stock now at today's prices{next}.",
        units::money(budget.amount, currency),
        units::money(budget.spent, currency),
    );
    BudgetSummary {
        amount: budget.amount,
        spent: budget.spent,
        marginal_value: budget.marginal_value,
        marginal_material_name,
        rows,
        sentence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{RunOptions, recommend};

    fn preset(name: &str) -> (Project, Recommendation) {
        let project = crate::presets::find(name)
            .and_then(|p| p.load().ok())
            .map(|loaded| loaded.project)
            .expect("the preset loads");
        let options = RunOptions {
            paths: Some(500),
            seed: Some(7),
            service_level: None,
        };
        let rec = recommend(&project, &options).expect("the preset runs");
        (project, rec)
    }

    #[test]
    fn totals_actions_and_tables_follow_the_run() {
        let (project, rec) = preset("ev-motor-line");
        let budget = crate::engine::budget::allocate(&rec, 250_000.0);
        let summary = ExecutiveSummary::new(&project, &rec, None, Some(&budget), Some(&[]));

        let capital: f64 = rec
            .materials
            .iter()
            .map(|m| m.buildup.gap_cost_at_todays_price)
            .sum();
        assert_eq!(summary.totals.capital_for_every_gap, capital);
        let shortage: f64 = rec
            .materials
            .iter()
            .map(|m| m.expected_shortfall_kg_at_on_hand * m.costs.underage_cost_per_kg)
            .sum();
        assert_eq!(summary.totals.expected_shortage_cost_at_on_hand, shortage);

        // One action per material, ranked 1..n, gaps first and by value per money.
        let n = project.materials.len();
        assert_eq!(summary.actions.len(), n);
        let ranks: Vec<usize> = summary.actions.iter().map(|a| a.rank).collect();
        assert_eq!(ranks, (1..=n).collect::<Vec<_>>());
        for pair in summary.actions.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(a.gap_kg > 0.0 || b.gap_kg <= 0.0);
            if a.gap_kg > 0.0 && b.gap_kg > 0.0 {
                assert!(a.avoided_per_money >= b.avoided_per_money);
            }
        }
        for action in &summary.actions {
            assert!(action.expected_shortage_cost_at_recommendation >= 0.0);
            assert!(action.avoided_shortage_cost() >= 0.0);
            assert!(action.sentence.contains(&action.material_name));
        }

        // Scenarios then the blend; the blend row is the recommendation.
        let table = &summary.stock_by_scenario;
        assert_eq!(table.rows.len(), project.scenarios.len() + 1);
        let blend = table.rows.last().expect("a blend row");
        assert!(blend.is_blend);
        let recommended: Vec<f64> = rec
            .materials
            .iter()
            .map(|m| m.recommended_stock_kg)
            .collect();
        assert_eq!(blend.recommended_stock_kg, recommended);
        assert_eq!(
            table.rows[0].recommended_stock_kg[0],
            rec.materials[0].by_scenario[0].recommended_stock_kg
        );

        assert_eq!(summary.feasibility.len(), n);
        assert!(summary.drivers.is_none());
        assert_eq!(summary.qualify, Some(Vec::new()));
        let budget_summary = summary.budget.as_ref().expect("a budget was given");
        assert_eq!(budget_summary.rows.len(), n);
        let spent: f64 = budget_summary.rows.iter().map(|r| r.cost).sum();
        assert!((spent - budget_summary.spent).abs() <= 1e-6 * spent.max(1.0));
        assert_eq!(summary.totals_sentences().len(), 3);
    }

    #[test]
    fn drivers_are_the_largest_swings_at_todays_price() {
        let (project, rec) = preset("gan-semiconductor");
        let options = RunOptions {
            paths: Some(300),
            seed: Some(7),
            service_level: None,
        };
        let sensitivity = crate::engine::sensitivity::sensitivity(
            &project,
            &options,
            None,
            &crate::engine::RunControl::unwatched(),
        )
        .expect("the sensitivity runs");
        let summary = ExecutiveSummary::new(&project, &rec, Some(&sensitivity), None, None);
        let drivers = summary.drivers.expect("drivers from the sensitivity");
        let bars: usize = sensitivity.materials.iter().map(|m| m.bars.len()).sum();
        assert_eq!(drivers.len(), bars.min(TOP_DRIVERS));
        for pair in drivers.windows(2) {
            assert!(pair[0].swing_value >= pair[1].swing_value);
        }
        // No bar left out is larger than the smallest driver named.
        if let Some(last) = drivers.last() {
            for (m, material) in sensitivity.materials.iter().enumerate() {
                let price = rec.materials[m].monthly.price_index_per_kg[0];
                for bar in &material.bars {
                    let value = bar.swing_kg() * price;
                    let named = drivers.iter().any(|d| {
                        d.material == m
                            && d.recommended_low_kg == bar.recommended_low_kg
                            && d.recommended_high_kg == bar.recommended_high_kg
                            && d.input_label == sensitivity.inputs[bar.input].label
                    });
                    assert!(named || value <= last.swing_value);
                }
            }
        }
        assert!(summary.budget.is_none() && summary.qualify.is_none());
    }
}
