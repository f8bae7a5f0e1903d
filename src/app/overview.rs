//! The overview: one card per material (sentence, key figures, small target chart)
//! and the summary table: the whole plan at a glance.

use egui::{RichText, Ui};

use super::charts;
use super::explain;
use super::state::{Command, Selection};
use super::widgets::{Env, service_level_note, service_level_used};
use crate::export::text;
use crate::units::{days, mass, money, percent};

#[derive(Default)]
pub struct OverviewPanel;

impl OverviewPanel {
    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui) {
        ui.heading(env.project.name.as_str());
        if !env.project.description.is_empty() {
            ui.label(env.project.description.as_str());
        }
        let Some(computed) = env.computed else {
            ui.label("The figures appear here once the first computation finishes.");
            return;
        };
        let project = computed.project.clone();
        let rec = computed.recommendation.clone();
        ui.add_space(6.0);
        ui.label(format!("Figures at the {}.", text::service_level(&rec)));
        // The table scrolls sideways on its own: long material names must not widen the
        // page, or every card below would be laid out past the window's edge.
        egui::ScrollArea::horizontal()
            .id_salt("overview_summary_scroll")
            .show(ui, |ui| summary_table(env, ui, &project, &rec));
        ui.add_space(10.0);
        for (index, m) in rec.materials.iter().enumerate() {
            let Some(material) = project.materials.get(index) else {
                continue;
            };
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    if ui
                        .link(RichText::new(material.name.as_str()).heading())
                        .on_hover_text("Open this material's charts and inputs")
                        .clicked()
                    {
                        env.push(Command::Select(Selection::Material(index)));
                    }
                });
                ui.label(explain::sentence(&project, &rec, index, m));
                service_level_note(ui, &rec, m);
                explain::open_ended_warning(ui, &project, m);
                ui.columns(2, |columns| {
                    let figures = explain::figures(&project, index, m);
                    explain::figures_table(
                        &mut columns[0],
                        &format!("overview_figures_{index}"),
                        &figures[..5],
                    );
                    columns[1].weak(
                        "Recommended stock: thick = blend, thin = scenarios, dashed = on hand",
                    );
                    charts::target(
                        &mut columns[1],
                        &format!("overview_chart_{index}"),
                        &project,
                        &rec,
                        m,
                        env.shown_scenarios,
                        150.0,
                        false,
                    );
                });
            });
            ui.add_space(6.0);
        }
    }
}

fn summary_table(
    env: &mut Env,
    ui: &mut Ui,
    project: &crate::project::Project,
    rec: &crate::engine::Recommendation,
) {
    let currency = project.currency.clone();
    egui::Grid::new("summary_table")
        .striped(true)
        .show(ui, |ui| {
            for header in [
                "Material",
                "Recommended stock",
                "Days of cover",
                "Safety stock",
                "Strategic buffer (95% interval)",
                "Gap to buy",
                "Stockout probability",
                "Expected shortfall",
                "Holding cost / yr",
                "Service level",
            ] {
                ui.label(RichText::new(header).strong());
            }
            ui.end_row();
            for (index, m) in rec.materials.iter().enumerate() {
                let name = project
                    .materials
                    .get(index)
                    .map_or("?", |mat| mat.name.as_str());
                let figures = explain::figures(project, index, m);
                let hover = |i: usize| figures.get(i).map_or(String::new(), |f| f.explain.clone());
                if ui.link(name).clicked() {
                    env.push(Command::Select(Selection::Material(index)));
                }
                ui.label(mass(m.recommended_stock_kg))
                    .on_hover_text(hover(0));
                ui.label(days(m.days_of_cover)).on_hover_text(hover(1));
                ui.label(mass(m.safety_stock_kg)).on_hover_text(hover(2));
                let buffer = format!(
                    "{} ({} – {})",
                    mass(m.strategic_buffer_kg),
                    mass(m.strategic_buffer_ci95_kg[0]),
                    mass(m.strategic_buffer_ci95_kg[1])
                );
                if m.open_ended {
                    // Never a one-off: the hover gives the open-ended sentences.
                    ui.label(
                        RichText::new(format!("{buffer}, open-ended"))
                            .color(ui.visuals().warn_fg_color),
                    )
                    .on_hover_text(hover(3));
                } else {
                    ui.label(buffer).on_hover_text(hover(3));
                }
                ui.label(mass(m.gap_kg)).on_hover_text(hover(4));
                ui.label(percent(m.stockout_probability_at_on_hand))
                    .on_hover_text(hover(5));
                ui.label(mass(m.expected_shortfall_kg_at_on_hand))
                    .on_hover_text(hover(6));
                ui.label(money(m.holding_cost_per_year, &currency))
                    .on_hover_text(hover(8));
                ui.label(text::level_percent(m.service_level))
                    .on_hover_text(format!(
                        "This material's figures are at the {}",
                        service_level_used(rec, m)
                    ));
                ui.end_row();
            }
        });
}
