//! The readable `recommend`, `sensitivity` and `diff` tables: rounded, with units, for people in terminals.

use std::fmt::Write;

use super::text as words;
use crate::engine::Recommendation;
use crate::engine::budget::BudgetAllocation;
use crate::engine::diff::PlanDiff;
use crate::engine::sensitivity::Sensitivity;
use crate::project::{self, Project, ServiceLevel};
use crate::units::{days, mass, money, month_or_never, percent};

pub fn render(
    project: &Project,
    rec: &Recommendation,
    budget: Option<&BudgetAllocation>,
) -> String {
    // Names reach the terminal: control characters (ESC, CR, NUL) are printed escaped.
    let project = &project::map_text(project, &project::escaped, &project::escaped);
    let mut out = String::new();
    let level = match rec.service_level {
        ServiceLevel::Fixed(level) => percent(level),
        ServiceLevel::Auto => "cost-optimal per material".to_owned(),
    };
    let _ = writeln!(
        out,
        "{} — from {} for {} months · service level {} · {} paths · seed {}",
        project.name, project.start, rec.horizon_months, level, rec.paths, rec.seed
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<24} {:>12} {:>10} {:>7} {:>11} {:>24} {:>11} {:>11} {:>9} {:>14}",
        "material",
        "recommended",
        "cover",
        "% year",
        "safety",
        "strategic (95% CI)",
        "on hand",
        "gap",
        "P(short)",
        "holding/yr"
    );
    for (material, m) in project.materials.iter().zip(&rec.materials) {
        let strategic = format!(
            "{} ({}–{})",
            mass(m.strategic_buffer_kg),
            mass(m.strategic_buffer_ci95_kg[0]),
            mass(m.strategic_buffer_ci95_kg[1])
        );
        let _ = writeln!(
            out,
            "{:<24} {:>12} {:>10} {:>7} {:>11} {:>24} {:>11} {:>11} {:>9} {:>14}",
            truncate(&material.name, 24),
            mass(m.recommended_stock_kg),
            days(m.days_of_cover),
            m.share_of_annual_consumption
                .map_or("—".to_owned(), percent),
            mass(m.safety_stock_kg),
            strategic,
            mass(m.on_hand_kg),
            mass(m.gap_kg),
            percent(m.stockout_probability_at_on_hand),
            money(m.holding_cost_per_year, &project.currency)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "By scenario (at the stock on hand):");
    for (material, m) in project.materials.iter().zip(&rec.materials) {
        let _ = writeln!(
            out,
            "  {} (service level {})",
            material.name,
            percent(m.service_level)
        );
        for (scenario, s) in project.scenarios.iter().zip(&m.by_scenario) {
            let _ = writeln!(
                out,
                "    {:<32} weight {:>4}  buffer {:>10}  P(short) {:>5}  runs dry {} (10% of paths: {})",
                truncate(&scenario.name, 32),
                percent(s.weight),
                mass(s.strategic_buffer_kg),
                percent(s.stockout_probability_at_on_hand),
                month_or_never(rec.start, s.run_out_month_median),
                month_or_never(rec.start, s.run_out_month_p10),
            );
        }
        for sentence in words::open_ended_sentences(project, m) {
            let _ = writeln!(out, "    ! {sentence}");
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Build-up plan:");
    for (index, (material, m)) in project.materials.iter().zip(&rec.materials).enumerate() {
        let _ = writeln!(
            out,
            "  {}: {} {}",
            material.name,
            words::buildup_feasibility(project, rec, index),
            words::buildup_risk(rec, m)
        );
    }
    if let Some(budget) = budget {
        render_budget(&mut out, project, budget);
    }
    out
}

fn render_budget(out: &mut String, project: &Project, budget: &BudgetAllocation) {
    let currency = &project.currency;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Budget of {}: {} spent",
        money(budget.amount, currency),
        money(budget.spent, currency)
    );
    let _ = writeln!(
        out,
        "  {:<24} {:>11} {:>14} {:>9} {:>14}",
        "material", "buy", "cost", "P(short)", "shortfall"
    );
    for (material, spent) in project.materials.iter().zip(&budget.materials) {
        let _ = writeln!(
            out,
            "  {:<24} {:>11} {:>14} {:>9} {:>14}",
            truncate(&material.name, 24),
            mass(spent.kg),
            money(spent.cost, currency),
            percent(spent.stockout_probability_after),
            mass(spent.expected_shortfall_kg_after)
        );
    }
    match budget
        .marginal_material
        .and_then(|m| project.materials.get(m))
    {
        Some(material) => {
            let _ = writeln!(
                out,
                "  One more {currency} would save {} {currency} of expected shortage cost, spent on {}.",
                crate::units::thousands(budget.marginal_value, 2),
                material.name
            );
        }
        None => {
            let _ = writeln!(out, "  More money would save no expected shortage cost.");
        }
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let head: String = text.chars().take(width - 1).collect();
        format!("{head}…")
    }
}

/// The readable sensitivity table: per material, the bars largest swing first.
pub fn render_sensitivity(project: &Project, result: &Sensitivity, only: Option<usize>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — what drives each stockpile ({} paths, seed {}; every input low and high on common random numbers)",
        project.name, result.paths, result.seed
    );
    for (m, (material, figures)) in project.materials.iter().zip(&result.materials).enumerate() {
        if only.is_some_and(|only| only != m) {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}: {} recommended today",
            material.name,
            mass(figures.recommended_stock_kg)
        );
        if figures.bars.is_empty() {
            let _ = writeln!(out, "  no input changes it");
        }
        for bar in &figures.bars {
            let input = &result.inputs[bar.input];
            let _ = writeln!(
                out,
                "  {:<60} {:>14} → {:>11}  {:>14} → {:>11}",
                truncate(&input.label, 60),
                truncate(&input.low.to_string(), 14),
                mass(bar.recommended_low_kg),
                truncate(&input.high.to_string(), 14),
                mass(bar.recommended_high_kg)
            );
        }
    }
    out
}

/// The readable comparison: the changes, then each material's waterfall.
pub fn render_diff(project: &Project, result: &PlanDiff) -> String {
    let mut out = String::new();
    if result.changes.is_empty() {
        let _ = writeln!(out, "No differences.");
        return out;
    }
    let _ = writeln!(out, "Changes:");
    for change in &result.changes {
        match (change.field, &change.old, &change.new) {
            (Some(field), Some(old), Some(new)) => {
                let _ = writeln!(
                    out,
                    "  {} {}: {field} {old} → {new}",
                    change.item_kind.key(),
                    change.item
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "  {} {} {}",
                    change.item_kind.key(),
                    change.item,
                    change.change.key()
                );
            }
        }
    }
    for m in &result.materials {
        let name = project
            .materials
            .iter()
            .find(|x| x.id == m.id)
            .map_or(m.id.as_str(), |x| x.name.as_str());
        let figure = |kg: Option<f64>| kg.map_or_else(|| "none".to_owned(), mass);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{name}: {} → {}",
            figure(m.old_recommended_stock_kg),
            figure(m.new_recommended_stock_kg)
        );
        for step in m.steps.iter().filter(|step| step.effect_kg != 0.0) {
            let sign = if step.effect_kg > 0.0 { "+" } else { "−" };
            let _ = writeln!(
                out,
                "  {sign}{:>11}  {}",
                mass(step.effect_kg.abs()),
                step.words
            );
        }
    }
    out
}
