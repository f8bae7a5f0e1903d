//! CSV: targets by month per material and scenario, long format, plain.

use std::fmt::Write as _;

use super::text as words;
use crate::engine::Recommendation;
use crate::project::Project;

pub const HEADER: &[&str] = &[
    "material_id",
    "scenario_id",
    "month",
    "recommended_stock_kg",
    "strategic_buffer_kg",
    "safety_stock_kg",
    "strategic_buffer_ci95_low_kg",
    "strategic_buffer_ci95_high_kg",
    "buffer_p05_kg",
    "buffer_p25_kg",
    "buffer_p50_kg",
    "buffer_p75_kg",
    "buffer_p95_kg",
    "price_index_per_kg",
    "on_hand_kg",
    "buildup_stock_kg",
    "buildup_order_kg",
    "buildup_arrival_kg",
    "buildup_kg_bought",
    "gap_cost_at_todays_price",
    "value_of_buying_ahead",
    "shortfall_in_last_month_kg",
    "run_out_probability_following_plan",
    "note",
];

/// A field, quoted when it holds a comma, a quote or a line break. A text a
/// spreadsheet would take for a formula (starting `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`, so opening the file never runs it.
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A number at full precision (shortest round trip); empty when not finite.
fn number(value: f64) -> String {
    if value.is_finite() {
        format!("{value}")
    } else {
        String::new()
    }
}

/// One row per material, per scenario and the blend ("blended"), per month. Blend-only
/// columns (interval, percentiles, build-up plan) are empty on scenario rows, the
/// scenario-only `shortfall_in_last_month_kg` on blended rows. The sentences (`note`)
/// are on each series' first month only: the build-up plan and any open-ended
/// shortfall on the blend's, a scenario's open-ended shortfall on its own.
pub fn render(project: &Project, rec: &Recommendation) -> String {
    let mut out = String::new();
    out.push_str(&HEADER.join(","));
    out.push('\n');
    for (index, (material, m)) in project.materials.iter().zip(&rec.materials).enumerate() {
        let id = field(&material.id);
        let ss = m.safety_stock_kg;
        let plan = &m.buildup;
        let mut blended_note = words::open_ended_sentences(project, m);
        blended_note.extend(words::buildup_sentences(project, rec, index));
        let blended_note = field(&blended_note.join(" "));
        for t in 0..rec.horizon_months {
            let month = rec.month(t);
            let fan = m.monthly.fan_kg[t];
            let note = if t == 0 { blended_note.as_str() } else { "" };
            let _ = writeln!(
                out,
                "{id},blended,{month},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},,{},{note}",
                number(m.monthly.recommended_stock_kg[t]),
                number(m.monthly.strategic_buffer_kg[t]),
                number(ss),
                number(m.monthly.ci95_low_kg[t]),
                number(m.monthly.ci95_high_kg[t]),
                number(fan[0]),
                number(fan[1]),
                number(fan[2]),
                number(fan[3]),
                number(fan[4]),
                number(m.monthly.price_index_per_kg[t]),
                number(m.on_hand_kg),
                number(plan.stock_kg[t]),
                number(plan.order_kg[t]),
                number(plan.arrival_kg[t]),
                number(plan.kg_bought),
                number(plan.gap_cost_at_todays_price),
                number(plan.value_of_buying_ahead),
                number(plan.run_out_probability_following_plan),
            );
        }
        for (scenario, s) in project.scenarios.iter().zip(&m.by_scenario) {
            let sid = field(&scenario.id);
            let scenario_note = words::open_ended_sentence(&scenario.name, s)
                .map(|sentence| field(&sentence))
                .unwrap_or_default();
            for t in 0..rec.horizon_months {
                let buffer = s.buffer_by_month_kg[t];
                let note = if t == 0 { scenario_note.as_str() } else { "" };
                let _ = writeln!(
                    out,
                    "{id},{sid},{},{},{},{},,,,,,,,{},{},,,,,,,{},{},{note}",
                    rec.month(t),
                    number(ss + buffer),
                    number(buffer),
                    number(ss),
                    number(s.price_index_per_kg[t]),
                    number(m.on_hand_kg),
                    number(s.shortfall_in_last_month_kg),
                    number(s.run_out_probability_following_plan),
                );
            }
        }
    }
    out
}
