//! The recommendation in words: one sentence per material, and the figures table
//! where every figure explains itself on hover (formula in words, with its inputs).

use egui::{RichText, Ui};

use crate::engine::{MaterialRecommendation, Recommendation};
use crate::export::text;
use crate::project::Project;
use crate::units::{days, mass, money, month_or_never, percent};
use crate::vocabulary::labels;

/// "Hold 13.3 t (188 days, 52% of a year): 0.4 t operational + 12.9 t strategic. ..."
pub fn sentence(
    project: &Project,
    rec: &Recommendation,
    _index: usize,
    m: &MaterialRecommendation,
) -> String {
    let mut text = format!("Hold {}", mass(m.recommended_stock_kg));
    match (m.days_of_cover, m.share_of_annual_consumption) {
        (Some(d), Some(share)) => text.push_str(&format!(
            " ({}, {} of a year)",
            days(Some(d)),
            percent(share)
        )),
        _ => text.push_str(" (no demand at month 0, so no days of cover)"),
    }
    // An open-ended buffer is what this horizon needs, not a one-off that settles it.
    let strategic_caveat = if m.open_ended {
        format!(
            " for this {}-month plan only (it grows with the horizon)",
            rec.horizon_months
        )
    } else {
        String::new()
    };
    text.push_str(&format!(
        ": {} operational + {} strategic{strategic_caveat}.",
        mass(m.safety_stock_kg),
        mass(m.strategic_buffer_kg)
    ));
    let name_of = |s: usize| {
        project.scenarios.get(s).map_or_else(
            || format!("scenario {}", s + 1),
            |sc| format!("\u{201c}{}\u{201d}", sc.name),
        )
    };
    match m.driving_scenario {
        Some(driver) => {
            let subject = text::driving_phrase(project, m).unwrap_or_else(|| name_of(driver));
            text.push_str(&format!(
                " {} drives it",
                subject.get(..1).map_or(String::new(), str::to_uppercase)
                    + subject.get(1..).unwrap_or("")
            ));
            if let Some(figures) = m.by_scenario.get(driver) {
                let at = format!("at today's {}", mass(m.on_hand_kg));
                match (figures.run_out_month_median, figures.run_out_month_p10) {
                    (Some(_), _) => text.push_str(&format!(
                        "; {at} you run dry by {} if it happens (10% of paths: {}).",
                        month_or_never(rec.start, figures.run_out_month_median),
                        month_or_never(rec.start, figures.run_out_month_p10)
                    )),
                    (None, Some(_)) => text.push_str(&format!(
                        "; {at} most paths never run dry if it happens, but 10% do by {}.",
                        month_or_never(rec.start, figures.run_out_month_p10)
                    )),
                    (None, None) => text.push_str(&format!(
                        "; {at} you do not run dry within the horizon even if it happens."
                    )),
                }
            } else {
                text.push('.');
            }
            let others: Vec<String> = m
                .by_scenario
                .iter()
                .enumerate()
                .filter(|(s, _)| *s != driver)
                .map(|(s, f)| match f.run_out_month_median {
                    Some(_) => format!(
                        "{} by {} (10%: {})",
                        name_of(s),
                        month_or_never(rec.start, f.run_out_month_median),
                        month_or_never(rec.start, f.run_out_month_p10)
                    ),
                    None => match f.run_out_month_p10 {
                        Some(_) => format!(
                            "{} mostly never (10%: {})",
                            name_of(s),
                            month_or_never(rec.start, f.run_out_month_p10)
                        ),
                        None => format!("{} never", name_of(s)),
                    },
                })
                .collect();
            if !others.is_empty() {
                text.push_str(&format!(
                    " Running dry in the others: {}.",
                    others.join("; ")
                ));
            }
        }
        None => text.push_str(" No scenario cuts its supply, so it needs no strategic stock."),
    }
    if m.gap_kg > 0.0 {
        text.push_str(&format!(" Buy {} more.", mass(m.gap_kg)));
    } else {
        text.push_str(" The stock on hand covers it.");
    }
    text
}

/// The open-ended sentences of a material (MODEL.md "Open-ended shortfalls"),
/// each on its own line in the warning colour; nothing when supply comes back.
pub fn open_ended_warning(ui: &mut Ui, project: &Project, m: &MaterialRecommendation) {
    if !m.open_ended {
        return;
    }
    let color = ui.visuals().warn_fg_color;
    for sentence in text::open_ended_sentences(project, m) {
        ui.label(RichText::new(sentence).color(color));
    }
}

/// The open-ended sentences as a paragraph for a hover text ("" when none).
fn open_ended_paragraph(project: &Project, m: &MaterialRecommendation) -> String {
    if !m.open_ended {
        return String::new();
    }
    format!(
        "\n\nOpen-ended, not a one-off:\n{}",
        text::open_ended_sentences(project, m).join("\n")
    )
}

/// One row of the figures table: name, value, and the hover explanation.
pub struct Figure {
    pub name: &'static str,
    pub value: String,
    pub explain: String,
}

/// The figures of one material, each with its formula and inputs.
pub fn figures(project: &Project, index: usize, m: &MaterialRecommendation) -> Vec<Figure> {
    let currency = &project.currency;
    let material = project.materials.get(index);
    let price = material.map_or(0.0, |mat| mat.price_per_kg);
    let carrying = material.map_or(0.0, |mat| mat.carrying_cost_per_year);
    let lead = material.map_or(0.0, |mat| mat.lead_time_days);
    let lead_sd = material.map_or(0.0, |mat| mat.lead_time_sd_days);
    let units: Vec<String> = m
        .units_not_built
        .iter()
        .map(|u| {
            let name = project
                .products
                .get(u.product)
                .map_or("?", |p| p.name.as_str());
            format!("{name}: {} units", crate::units::thousands(u.units, 0))
        })
        .collect();
    let open_ended = open_ended_paragraph(project, m);
    vec![
        Figure {
            name: "Recommended stock",
            value: mass(m.recommended_stock_kg),
            explain: format!(
                "Safety stock + strategic buffer = {} + {} = {}.{open_ended}",
                mass(m.safety_stock_kg),
                mass(m.strategic_buffer_kg),
                mass(m.recommended_stock_kg)
            ),
        },
        Figure {
            name: "Days of cover",
            value: days(m.days_of_cover),
            explain: format!(
                "Recommended stock ÷ daily demand = {} ÷ ({} per month ÷ 30.4375 days). {} of a year's consumption.",
                mass(m.recommended_stock_kg),
                mass(m.mean_monthly_demand_kg),
                m.share_of_annual_consumption.map_or_else(|| "—".to_owned(), percent)
            ),
        },
        Figure {
            name: "Safety stock (operational)",
            value: mass(m.safety_stock_kg),
            explain: format!(
                "z × sqrt(L × sdD^2 + D^2 × sdL^2): z = {:.3} (service level {}), lead time L = {lead} days, spread sdL = {lead_sd} days (both ÷ 30 for months), monthly demand D = {}, its standard deviation sdD = {}. Covers ordinary demand and lead-time swings, not disruptions.",
                m.z_score,
                percent(m.service_level),
                mass(m.mean_monthly_demand_kg),
                mass(m.demand_sd_kg)
            ),
        },
        Figure {
            name: "Strategic buffer",
            value: format!(
                "{} ({} – {})",
                mass(m.strategic_buffer_kg),
                mass(m.strategic_buffer_ci95_kg[0]),
                mass(m.strategic_buffer_ci95_kg[1])
            ),
            explain: format!(
                "The {} quantile, over all simulated paths of every scenario weighted by its probability, of the stock needed at the start to never run out of the exposed supply lost to disruptions until the horizon. In brackets the 95% interval from sampling (wider with fewer paths).{open_ended}",
                percent(m.service_level)
            ),
        },
        Figure {
            name: "Gap to buy",
            value: mass(m.gap_kg),
            explain: format!(
                "max(0, recommended stock - on hand) = max(0, {} - {}).",
                mass(m.recommended_stock_kg),
                mass(m.on_hand_kg)
            ),
        },
        Figure {
            name: labels::STOCKOUT_AT_ON_HAND,
            value: percent(m.stockout_probability_at_on_hand),
            explain: format!(
                "Share of paths (weighted by scenario probability) whose disruption needs more than the strategic part of today's stock: on hand {} - safety stock {} = {}.",
                mass(m.on_hand_kg),
                mass(m.safety_stock_kg),
                mass(m.strategic_on_hand_kg)
            ),
        },
        Figure {
            name: labels::EXPECTED_SHORTFALL_AT_ON_HAND,
            value: mass(m.expected_shortfall_kg_at_on_hand),
            explain: format!(
                "Average over paths of how many kg the strategic part of today's stock ({}) falls short of what the disruption needs (0 on paths where it suffices).",
                mass(m.strategic_on_hand_kg)
            ),
        },
        Figure {
            name: "Units not built",
            value: if units.is_empty() { "—".to_owned() } else { units.join("\n") },
            explain: "Expected shortfall ÷ kg per unit of each product: the units that could not be built if the whole shortfall fell on that product alone.".to_owned(),
        },
        Figure {
            name: "Holding cost per year",
            value: money(m.holding_cost_per_year, currency),
            explain: format!(
                "Recommended stock × price × carrying cost = {} × {} {currency}/kg × {}.",
                mass(m.recommended_stock_kg),
                crate::units::thousands(price, 2),
                percent(carrying)
            ),
        },
    ]
}

/// The figures table, two columns, each value explaining itself on hover.
pub fn figures_table(ui: &mut Ui, id: &str, figures: &[Figure]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for figure in figures {
                ui.label(figure.name).on_hover_text(&figure.explain);
                ui.label(RichText::new(&figure.value).strong())
                    .on_hover_text(&figure.explain);
                ui.end_row();
            }
        });
}
