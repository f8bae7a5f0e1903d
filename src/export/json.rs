//! The `recommend --json` document (CLI.md): stable keys, full-precision numbers.

use serde_json::{Value, json};

use crate::engine::Recommendation;
use crate::engine::budget::BudgetAllocation;
use crate::engine::diff::PlanDiff;
use crate::engine::sensitivity::{InputValue, Sensitivity};
use crate::project::{Project, ServiceLevel};

pub const FORMAT: &str = "stockpile-planner/recommendation/1";

/// The JSON document, pretty-printed, with a trailing newline. Over 100 lines on
/// purpose: it is the document's layout, key by key in CLI.md's order, so a reader
/// checks it against the contract in one place.
pub fn document(
    project: &Project,
    rec: &Recommendation,
    budget: Option<&BudgetAllocation>,
) -> String {
    let month = |index: Option<usize>| -> Value {
        index.map_or(Value::Null, |t| Value::String(rec.month(t).to_string()))
    };
    let materials: Vec<Value> = project
        .materials
        .iter()
        .zip(&rec.materials)
        .map(|(material, figures)| {
            let by_scenario: Vec<Value> = project
                .scenarios
                .iter()
                .zip(&figures.by_scenario)
                .map(|(scenario, s)| {
                    json!({
                        "id": scenario.id,
                        "probability": s.weight,
                        "strategic_buffer_kg": s.strategic_buffer_kg,
                        "recommended_stock_kg": s.recommended_stock_kg,
                        "stockout_probability_at_on_hand": s.stockout_probability_at_on_hand,
                        "expected_shortfall_kg_at_on_hand": s.expected_shortfall_kg_at_on_hand,
                        "run_out_month_median": month(s.run_out_month_median),
                        "run_out_month_p10": month(s.run_out_month_p10),
                        "strategic_buffer_ci95_kg": s.strategic_buffer_ci95_kg,
                        "mean_strategic_buffer_kg": s.mean_buffer_kg,
                        "shortfall_in_last_month_kg": s.shortfall_in_last_month_kg,
                        "run_out_probability_following_plan": s.run_out_probability_following_plan,
                        "run_out_month_median_following_plan": month(s.run_out_month_median_following_plan),
                    })
                })
                .collect();
            let target_by_month: Vec<Value> = figures
                .monthly
                .recommended_stock_kg
                .iter()
                .enumerate()
                .map(|(t, stock)| {
                    json!({
                        "month": rec.month(t).to_string(),
                        "recommended_stock_kg": stock,
                        "strategic_buffer_kg": figures.monthly.strategic_buffer_kg[t],
                        "price_index_per_kg": figures.monthly.price_index_per_kg[t],
                    })
                })
                .collect();
            let units_not_built: Vec<Value> = figures
                .units_not_built
                .iter()
                .map(|u| json!({ "product": project.products[u.product].id, "units": u.units }))
                .collect();
            let plan = &figures.buildup;
            json!({
                "id": material.id,
                "name": material.name,
                "service_level": figures.service_level,
                "mean_monthly_demand_kg": figures.mean_monthly_demand_kg,
                "safety_stock_kg": figures.safety_stock_kg,
                "strategic_buffer_kg": figures.strategic_buffer_kg,
                "strategic_buffer_ci95_kg": figures.strategic_buffer_ci95_kg,
                "recommended_stock_kg": figures.recommended_stock_kg,
                "days_of_cover": figures.days_of_cover,
                "share_of_annual_consumption": figures.share_of_annual_consumption,
                "on_hand_kg": figures.on_hand_kg,
                "gap_kg": figures.gap_kg,
                "stockout_probability_at_on_hand": figures.stockout_probability_at_on_hand,
                "expected_shortfall_kg_at_on_hand": figures.expected_shortfall_kg_at_on_hand,
                "holding_cost_per_year": figures.holding_cost_per_year,
                "open_ended": figures.open_ended,
                "by_scenario": by_scenario,
                "target_by_month": target_by_month,
                "units_not_built_at_on_hand": units_not_built,
                "overage_cost_per_kg": figures.costs.overage_cost_per_kg,
                "underage_cost_per_kg": figures.costs.underage_cost_per_kg,
                "cost_optimal_strategic_stock_kg": figures.cost_optimal_strategic_stock_kg,
                "expected_alternative_kg": figures.expected_alternative_kg,
                "expected_alternative_extra_cost": figures.expected_alternative_extra_cost,
                "buildup": {
                    "reaches_recommendation_month": month(plan.reaches_recommendation_month),
                    "target_met_month": month(plan.reaches_recommendation_month),
                    "lead_time_months": plan.lead_time_months,
                    "max_purchase_kg_per_month": plan.max_purchase_kg_per_month,
                    "kg_bought": plan.kg_bought,
                    "cost": plan.cost,
                    "cost_at_todays_price": plan.cost_at_todays_price,
                    "value_of_buying_ahead": plan.value_of_buying_ahead,
                    "gap_cost_at_todays_price": plan.gap_cost_at_todays_price,
                    "driving_run_out_month": month(plan.driving_run_out_month),
                    "reaches_recommendation_too_late": plan.too_late(),
                    "run_out_probability_following_plan": plan.run_out_probability_following_plan,
                    "run_out_month_median_following_plan": month(plan.run_out_month_median_following_plan),
                },
            })
        })
        .collect();
    let service_level = match rec.service_level {
        ServiceLevel::Fixed(level) => json!(level),
        ServiceLevel::Auto => Value::Null,
    };
    let mut document = json!({
        "format": FORMAT,
        "project": project.name,
        "start": project.start.to_string(),
        "horizon_months": rec.horizon_months,
        "paths": rec.paths,
        "seed": rec.seed,
        "service_level": service_level,
        "rebuild_after_disruption": rec.rebuild_after_disruption,
        "currency": project.currency,
        "materials": materials,
    });
    if let (Some(budget), Value::Object(fields)) = (budget, &mut document) {
        fields.insert("budget".to_owned(), budget_object(project, budget));
    }
    pretty(&document)
}

/// The `budget` object of CLI.md.
fn budget_object(project: &Project, budget: &BudgetAllocation) -> Value {
    let materials: Vec<Value> = project
        .materials
        .iter()
        .zip(&budget.materials)
        .map(|(material, spent)| {
            json!({
                "id": material.id,
                "kg": spent.kg,
                "cost": spent.cost,
                "stockout_probability_after": spent.stockout_probability_after,
                "expected_shortfall_kg_after": spent.expected_shortfall_kg_after,
            })
        })
        .collect();
    json!({
        "amount": budget.amount,
        "spent": budget.spent,
        "marginal_value": budget.marginal_value,
        "marginal_material": budget
            .marginal_material
            .and_then(|m| project.materials.get(m))
            .map(|m| m.id.clone()),
        "materials": materials,
    })
}

pub const SENSITIVITY_FORMAT: &str = "stockpile-planner/sensitivity/1";

fn input_value(value: &InputValue) -> Value {
    match value {
        InputValue::Number(x) => json!(x),
        InputValue::Text(text) => json!(text),
    }
}

/// The `stockpile-planner/sensitivity/1` document (CLI.md).
pub fn sensitivity_document(
    project: &Project,
    result: &Sensitivity,
    only: Option<usize>,
) -> String {
    let materials: Vec<Value> = project
        .materials
        .iter()
        .zip(&result.materials)
        .enumerate()
        .filter(|(m, _)| only.is_none_or(|only| only == *m))
        .map(|(_, (material, figures))| {
            let inputs: Vec<Value> = figures
                .bars
                .iter()
                .map(|bar| {
                    let input = &result.inputs[bar.input];
                    json!({
                        "item_kind": input.item_kind.key(),
                        "item": input.item,
                        "field": input.field,
                        "label": input.label,
                        "low_value": input_value(&input.low),
                        "high_value": input_value(&input.high),
                        "recommended_low_kg": bar.recommended_low_kg,
                        "recommended_high_kg": bar.recommended_high_kg,
                    })
                })
                .collect();
            json!({
                "id": material.id,
                "recommended_stock_kg": figures.recommended_stock_kg,
                "inputs": inputs,
            })
        })
        .collect();
    pretty(&json!({
        "format": SENSITIVITY_FORMAT,
        "paths": result.paths,
        "seed": result.seed,
        "materials": materials,
    }))
}

/// Pretty-printed, with a trailing newline, and no `-0.0` (an expected shortfall of
/// "minus zero" kilograms is zero to every reader and every parser's user).
fn pretty(document: &Value) -> String {
    let mut document = document.clone();
    positive_zeros(&mut document);
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

pub const DIFF_FORMAT: &str = "stockpile-planner/diff/1";

/// The `stockpile-planner/diff/1` document (CLI.md).
pub fn diff_document(result: &PlanDiff) -> String {
    let changes: Vec<Value> = result
        .changes
        .iter()
        .map(|change| {
            let mut entry = json!({
                "item_kind": change.item_kind.key(),
                "item": change.item,
                "change": change.change.key(),
            });
            if let (Some(field), Value::Object(fields)) = (change.field, &mut entry) {
                fields.insert("field".to_owned(), json!(field));
                fields.insert("old".to_owned(), json!(change.old));
                fields.insert("new".to_owned(), json!(change.new));
            }
            entry
        })
        .collect();
    let materials: Vec<Value> = result
        .materials
        .iter()
        .map(|m| {
            let steps: Vec<Value> = m
                .steps
                .iter()
                .map(|step| json!({ "step": step.words, "effect_kg": step.effect_kg }))
                .collect();
            json!({
                "id": m.id,
                "old_recommended_stock_kg": m.old_recommended_stock_kg,
                "new_recommended_stock_kg": m.new_recommended_stock_kg,
                "steps": steps,
            })
        })
        .collect();
    pretty(&json!({
        "format": DIFF_FORMAT,
        "changes": changes,
        "materials": materials,
    }))
}

fn positive_zeros(value: &mut Value) {
    match value {
        Value::Number(number)
            if number.as_f64() == Some(0.0)
                && number.as_f64().is_some_and(f64::is_sign_negative) =>
        {
            *value = json!(0.0);
        }
        Value::Array(items) => items.iter_mut().for_each(positive_zeros),
        Value::Object(fields) => fields.values_mut().for_each(positive_zeros),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minus_zero_is_written_as_zero() {
        let text = pretty(&json!({ "a": -0.0, "b": [1.5, -0.0], "c": { "d": -2.0 } }));
        assert!(!text.contains("-0.0"), "{text}");
        assert!(text.contains("-2.0"), "{text}");
    }
}
