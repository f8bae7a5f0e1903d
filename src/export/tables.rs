//! The report tables that HTML, Markdown and PDF share: one definition of each, so the
//! formats cannot drift apart. Cells are text, formatted once; the XLSX writer keeps
//! its own tables because it writes numbers as numbers.

use super::text as words;
use crate::engine::{MaterialRecommendation, Recommendation, ScenarioFigures};
use crate::project::{Material, Project};
use crate::units;
use crate::vocabulary::labels;

/// Column headers and rows of text cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Per column, whether it is set as words (left-aligned) rather than figures
    /// (right-aligned), the same in every format: `text_columns`.
    pub fn text_columns(&self) -> Vec<bool> {
        text_columns(self.header.len(), &self.rows)
    }
}

/// The first column, and any column holding a name or a description (a driving
/// scenario, a material in the drivers' table), is words; the others are figures.
pub fn text_columns(columns: usize, rows: &[Vec<String>]) -> Vec<bool> {
    (0..columns)
        .map(|i| {
            i == 0
                || !rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .all(|cell| reads_as_figure(cell))
        })
        .collect()
}

/// Whether a cell is a figure (a number with its unit, a month, a share): the PDF
/// keeps it on one line rather than wrapping it.
pub fn is_figure(cell: &str) -> bool {
    cell.chars().count() <= 24
        && cell
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '<' | '>' | '—'))
}

/// Whether a cell stands where a figure would, aligned as one: a figure, nothing, or
/// a short lower-case verdict in a column of figures ("never", "too late", "no gap").
/// Names (a scenario, a material) start with a capital and are set as text.
fn reads_as_figure(cell: &str) -> bool {
    cell.is_empty()
        || is_figure(cell)
        || (cell.chars().count() <= 10
            && cell.split_whitespace().count() <= 2
            && cell.chars().all(|c| c.is_lowercase() || c == ' '))
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// One row per material, with the project's material beside its recommendation.
pub fn per_material(
    project: &Project,
    rec: &Recommendation,
    row: impl Fn(&Material, &MaterialRecommendation) -> Vec<String>,
) -> Vec<Vec<String>> {
    project
        .materials
        .iter()
        .zip(&rec.materials)
        .map(|(material, m)| row(material, m))
        .collect()
}

/// One material's figures as (label, value) pairs, in reading order. Masses read as
/// the sentence above them does (t from 10 t up), so a page never states one figure twice
/// in two units.
pub fn material_figures(project: &Project, rec: &Recommendation, index: usize) -> Vec<[String; 2]> {
    let Some(m) = rec.materials.get(index) else {
        return Vec::new();
    };
    let pair = |label: &str, value: String| [label.to_owned(), value];
    vec![
        pair(
            "Demand per month (D̄)",
            units::mass(m.mean_monthly_demand_kg),
        ),
        pair("Service level", words::level_percent(m.service_level)),
        pair("Safety stock", units::mass(m.safety_stock_kg)),
        pair("Strategic buffer", units::mass(m.strategic_buffer_kg)),
        pair(
            "Strategic buffer, 95% CI",
            format!(
                "{} – {}",
                units::mass(m.strategic_buffer_ci95_kg[0]),
                units::mass(m.strategic_buffer_ci95_kg[1])
            ),
        ),
        pair(
            labels::EXPECTED_SHORTFALL_AT_ON_HAND,
            units::mass(m.expected_shortfall_kg_at_on_hand),
        ),
        pair(
            "Cost-optimal strategic stock",
            units::mass(m.cost_optimal_strategic_stock_kg),
        ),
        pair("Driving scenario", words::driving_scenario(project, m)),
        pair(
            "Target met (build-up plan)",
            units::month_or_never(rec.start, m.buildup.reaches_recommendation_month),
        ),
        pair(
            "Build-up cost",
            units::money(m.buildup.cost, &project.currency),
        ),
        pair("Bought by the plan", units::mass(m.buildup.kg_bought)),
        pair(
            "Whole gap at today's price",
            units::money(m.buildup.gap_cost_at_todays_price, &project.currency),
        ),
        pair(
            "Saved by buying now",
            units::money(m.buildup.value_of_buying_ahead, &project.currency),
        ),
        pair(
            "Run-out risk following the plan",
            words::probability(m.buildup.run_out_probability_following_plan),
        ),
    ]
}

/// What to hold, per material: the summary on the first page of every report.
pub fn summary(project: &Project, rec: &Recommendation) -> Table {
    let currency = &project.currency;
    Table {
        header: header(&[
            "Material",
            "Recommended stock",
            "Days of cover",
            "% of annual consumption",
            "On hand",
            "Gap to buy",
            labels::STOCKOUT_AT_ON_HAND,
            "Holding cost / year",
            "Driving scenario",
        ]),
        rows: per_material(project, rec, |material, m| {
            vec![
                material.name.clone(),
                units::mass(m.recommended_stock_kg),
                units::days(m.days_of_cover),
                m.share_of_annual_consumption
                    .map_or_else(|| "—".to_owned(), units::percent),
                units::mass(m.on_hand_kg),
                units::mass(m.gap_kg),
                words::probability(m.stockout_probability_at_on_hand),
                units::money(m.holding_cost_per_year, currency),
                words::driving_scenario(project, m),
            ]
        }),
    }
}

/// The headers of `scenario_outcome`'s cells.
pub const SCENARIO_OUTCOME_HEADER: [&str; 6] = [
    labels::STOCKOUT_AT_ON_HAND,
    "Expected shortfall",
    "10% of paths run out by",
    "Median run-out",
    "Still short a month at the plan's end",
    "Run-out risk following the plan",
];

/// What a scenario means for a material at today's stock and while following the
/// build-up plan: the cells every table of scenario figures ends with, whichever
/// way round it is laid out.
pub fn scenario_outcome(rec: &Recommendation, f: &ScenarioFigures) -> [String; 6] {
    [
        words::probability(f.stockout_probability_at_on_hand),
        units::mass(f.expected_shortfall_kg_at_on_hand),
        units::month_or_never(rec.start, f.run_out_month_p10),
        units::month_or_never(rec.start, f.run_out_month_median),
        units::mass(f.shortfall_in_last_month_kg),
        words::probability(f.run_out_probability_following_plan),
    ]
}

/// One material under each scenario.
pub fn by_scenario(project: &Project, rec: &Recommendation, m: &MaterialRecommendation) -> Table {
    let mut names = vec!["Scenario", "Weight", "Recommended stock"];
    names.extend(SCENARIO_OUTCOME_HEADER);
    Table {
        header: header(&names),
        rows: project
            .scenarios
            .iter()
            .zip(&m.by_scenario)
            .map(|(scenario, f)| {
                let mut row = vec![
                    scenario.name.clone(),
                    units::percent(f.weight),
                    units::mass(f.recommended_stock_kg),
                ];
                row.extend(scenario_outcome(rec, f));
                row
            })
            .collect(),
    }
}

/// The material inputs as entered.
pub fn material_inputs(project: &Project) -> Table {
    let currency = &project.currency;
    Table {
        header: header(&[
            "Material",
            "Price",
            "Carrying cost / year",
            "On hand",
            "Exposed share",
            "Lead time",
            "Purchase cap / month",
            "Alternatives",
        ]),
        rows: project
            .materials
            .iter()
            .map(|m| {
                vec![
                    m.name.clone(),
                    format!("{} {currency}/kg", units::thousands(m.price_per_kg, 2)),
                    units::percent(m.carrying_cost_per_year),
                    units::kg(m.on_hand_kg),
                    units::percent(m.exposed_share),
                    format!(
                        "{} ± {} days",
                        units::thousands(m.lead_time_days, 0),
                        units::thousands(m.lead_time_sd_days, 0)
                    ),
                    m.max_purchase_kg_per_month
                        .map_or_else(|| "no cap".to_owned(), units::kg),
                    m.alternatives.len().to_string(),
                ]
            })
            .collect(),
    }
}

/// The alternative sources, with when each one's qualification starts.
pub fn alternatives(project: &Project) -> Table {
    Table {
        header: header(&[
            "Material",
            "Alternative source",
            "Capacity / month",
            "Qualification",
            "Qualification starts",
            "Price premium",
        ]),
        rows: project
            .materials
            .iter()
            .flat_map(|m| {
                m.alternatives.iter().map(|a| {
                    vec![
                        m.name.clone(),
                        a.name.clone(),
                        units::kg(a.capacity_kg_per_month),
                        words::months_f64(a.qualification_months),
                        a.qualification_starts.label().to_owned(),
                        units::percent(a.price_premium),
                    ]
                })
            })
            .collect(),
    }
}

/// The build-up plan per material: how fast, how much, at what capital and risk.
pub fn buildup(project: &Project, rec: &Recommendation) -> Table {
    let currency = &project.currency;
    Table {
        header: header(&[
            "Material",
            "Purchase cap",
            "Lead time",
            "Reaches the recommendation",
            "Bought by the plan",
            "Plan cost (expected prices)",
            "Whole gap at today's price",
            "Saved by buying now",
            "Run-out risk following the plan",
        ]),
        rows: per_material(project, rec, |material, m| {
            let plan = &m.buildup;
            vec![
                material.name.clone(),
                plan.max_purchase_kg_per_month.map_or_else(
                    || "no cap".to_owned(),
                    |cap| format!("{} / month", units::mass(cap)),
                ),
                words::months(plan.lead_time_months),
                units::month_or_never(rec.start, plan.reaches_recommendation_month),
                units::mass(plan.kg_bought),
                units::money(plan.cost, currency),
                units::money(plan.gap_cost_at_todays_price, currency),
                units::money(plan.value_of_buying_ahead, currency),
                words::probability(plan.run_out_probability_following_plan),
            ]
        }),
    }
}

/// The product inputs; the bill of materials names each material rather than its id.
pub fn product_inputs(project: &Project) -> Table {
    Table {
        header: header(&[
            "Product",
            "Units / month",
            "Growth / year",
            "Demand CV",
            "End use",
            "Bill of materials (per unit)",
        ]),
        rows: project
            .products
            .iter()
            .map(|p| {
                let bom = p
                    .bill_of_materials
                    .0
                    .iter()
                    .map(|(id, kg)| {
                        let name = project
                            .materials
                            .iter()
                            .find(|m| &m.id == id)
                            .map_or(id.as_str(), |m| m.name.as_str());
                        format!("{name} {kg} kg")
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    p.name.clone(),
                    units::thousands(p.units_per_month, 0),
                    units::percent(p.growth_per_year),
                    units::percent(p.demand_cv),
                    p.end_use.label().to_owned(),
                    bom,
                ]
            })
            .collect(),
    }
}

/// How each material's target is made up, side by side.
pub fn composition(project: &Project, rec: &Recommendation) -> Table {
    Table {
        header: header(&[
            "Material",
            "Service level",
            "Demand / month",
            "Safety stock",
            "Strategic buffer",
            "Buffer 95% CI",
            "Expected shortfall at on hand",
            "Cost-optimal buffer",
        ]),
        rows: per_material(project, rec, |material, m| {
            vec![
                material.name.clone(),
                words::level_percent(m.service_level),
                units::kg(m.mean_monthly_demand_kg),
                units::kg(m.safety_stock_kg),
                units::kg(m.strategic_buffer_kg),
                format!(
                    "{} – {}",
                    units::kg(m.strategic_buffer_ci95_kg[0]),
                    units::kg(m.strategic_buffer_ci95_kg[1])
                ),
                units::kg(m.expected_shortfall_kg_at_on_hand),
                units::kg(m.cost_optimal_strategic_stock_kg),
            ]
        }),
    }
}

/// The blended recommended stock at the start of each month, one column per material.
pub fn targets_by_month(project: &Project, rec: &Recommendation) -> Table {
    let mut names = vec!["Month".to_owned()];
    names.extend(project.materials.iter().map(|m| m.name.clone()));
    Table {
        header: names,
        rows: (0..rec.horizon_months)
            .map(|t| {
                let mut row = vec![rec.month(t).to_string()];
                row.extend(rec.materials.iter().map(|m| {
                    m.monthly
                        .recommended_stock_kg
                        .get(t)
                        .map_or_else(String::new, |&kg| units::kg(kg))
                }));
                row
            })
            .collect(),
    }
}
