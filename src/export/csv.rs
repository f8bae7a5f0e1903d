//! CSV: targets by month per material and scenario, long format, plain.

use std::fmt::Write as _;

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
    "buildup_buy_kg",
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
/// columns (interval, percentiles, build-up plan) are empty on scenario rows.
pub fn render(project: &Project, rec: &Recommendation) -> String {
    let mut out = String::new();
    out.push_str(&HEADER.join(","));
    out.push('\n');
    for (material, m) in project.materials.iter().zip(&rec.materials) {
        let id = field(&material.id);
        let ss = m.safety_stock_kg;
        for t in 0..rec.horizon_months {
            let month = rec.month(t);
            let fan = m.monthly.fan_kg[t];
            let _ = writeln!(
                out,
                "{id},blended,{month},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
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
                number(m.buildup.stock_kg[t]),
                number(m.buildup.order_kg[t]),
            );
        }
        for (scenario, s) in project.scenarios.iter().zip(&m.by_scenario) {
            let sid = field(&scenario.id);
            for t in 0..rec.horizon_months {
                let buffer = s.buffer_by_month_kg[t];
                let _ = writeln!(
                    out,
                    "{id},{sid},{},{},{},{},,,,,,,,{},{},,",
                    rec.month(t),
                    number(ss + buffer),
                    number(buffer),
                    number(ss),
                    number(s.price_index_per_kg[t]),
                    number(m.on_hand_kg),
                );
            }
        }
    }
    out
}
