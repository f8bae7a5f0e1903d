//! The overview: one card per material (sentence, key figures, small target chart)
//! and the summary table: the whole plan at a glance.

use egui::{RichText, Ui};

use super::charts;
use super::explain;
use super::state::{Command, Selection};
use super::widgets::{Env, service_level_note};
use crate::export::{ChartKind, text};
use crate::units::{MassUnit, percent, thousands};
use crate::vocabulary::labels;

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
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
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
                explain::recommendation(ui, &project, &rec, index, None);
                service_level_note(ui, &rec, m);
                explain::open_ended_warning(ui, &project, m);
                ui.columns(2, |columns| {
                    let figures = text::explained_figures(&project, index, m);
                    explain::figures_table(
                        &mut columns[0],
                        &format!("overview_figures_{index}"),
                        &figures[..5],
                    );
                    columns[1]
                        .label(RichText::new(charts::chart_title(ChartKind::Target)).strong());
                    charts::target(
                        &mut columns[1],
                        &format!("overview_chart_{index}"),
                        &project,
                        &rec,
                        m,
                        env.shown_scenarios,
                        150.0,
                    );
                });
            });
            ui.add_space(6.0);
        }
    }
}

/// The width a material's name wraps at in the summary table, so that the table
/// fits a 1024-pixel window beside the navigation.
const NAME_WIDTH: f32 = 110.0;

/// The summary table: one row per material. Each mass column reads in one unit,
/// chosen from its largest value and named in the header; headers break over
/// lines rather than widen the table.
fn summary_table(
    env: &mut Env,
    ui: &mut Ui,
    project: &crate::project::Project,
    rec: &crate::engine::Recommendation,
) {
    let currency = project.currency.clone();
    let rows = &rec.materials;
    let unit = |kg: fn(&crate::engine::MaterialRecommendation) -> f64| {
        MassUnit::for_values(rows.iter().map(kg).collect::<Vec<_>>().iter())
    };
    let stock_unit = unit(|m| m.recommended_stock_kg);
    let safety_unit = unit(|m| m.safety_stock_kg);
    let buffer_unit = unit(|m| m.strategic_buffer_ci95_kg[1].max(m.strategic_buffer_kg));
    let gap_unit = unit(|m| m.gap_kg);
    let shortfall_unit = unit(|m| m.expected_shortfall_kg_at_on_hand);
    let (money_per_unit, money_unit) = text::money_scale(
        rows.iter()
            .map(|m| m.holding_cost_per_year)
            .fold(0.0, f64::max),
    );
    egui::Grid::new("summary_table")
        .striped(true)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for header in [
                "Material".to_owned(),
                format!("Recommended\nstock, {}", stock_unit.name),
                "Days of\ncover".to_owned(),
                format!("Safety\nstock, {}", safety_unit.name),
                format!("Strategic\nbuffer, {}\n(95% interval)", buffer_unit.name),
                format!("Gap to\nbuy, {}", gap_unit.name),
                labels::STOCKOUT_AT_ON_HAND
                    .replacen(' ', "\n", 1)
                    .replacen(" at", "\nat", 1),
                format!("Expected\nshortfall at\non hand, {}", shortfall_unit.name),
                format!("Holding cost\nper year,\n{money_unit}{currency}"),
                "Service\nlevel".to_owned(),
            ] {
                ui.label(RichText::new(header).strong());
            }
            ui.end_row();
            for (index, m) in rows.iter().enumerate() {
                let name = project
                    .materials
                    .get(index)
                    .map_or("?", |mat| mat.name.as_str());
                let figures = text::explained_figures(project, index, m);
                let hover = |i: usize| figures.get(i).map_or(String::new(), |f| f.explain.clone());
                ui.scope(|ui| {
                    ui.set_max_width(NAME_WIDTH);
                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
                    if ui.link(name).clicked() {
                        env.push(Command::Select(Selection::Material(index)));
                    }
                });
                ui.label(stock_unit.number(m.recommended_stock_kg))
                    .on_hover_text(hover(0));
                ui.label(
                    m.days_of_cover
                        .map_or_else(|| "—".to_owned(), |d| thousands(d, 0)),
                )
                .on_hover_text(hover(1));
                ui.label(safety_unit.number(m.safety_stock_kg))
                    .on_hover_text(hover(2));
                ui.vertical(|ui| {
                    ui.spacing_mut().item_spacing.y = 0.0;
                    ui.label(buffer_unit.number(m.strategic_buffer_kg))
                        .on_hover_text(hover(3));
                    ui.label(
                        RichText::new(format!(
                            "{} – {}",
                            buffer_unit.number(m.strategic_buffer_ci95_kg[0]),
                            buffer_unit.number(m.strategic_buffer_ci95_kg[1])
                        ))
                        .small()
                        .weak(),
                    )
                    .on_hover_text(hover(3));
                    if m.open_ended {
                        // Never a one-off: the hover gives the open-ended sentences.
                        ui.label(
                            RichText::new("open-ended")
                                .small()
                                .color(ui.visuals().warn_fg_color),
                        )
                        .on_hover_text(hover(3));
                    }
                });
                ui.label(gap_unit.number(m.gap_kg)).on_hover_text(hover(4));
                ui.label(percent(m.stockout_probability_at_on_hand))
                    .on_hover_text(hover(5));
                ui.label(shortfall_unit.number(m.expected_shortfall_kg_at_on_hand))
                    .on_hover_text(hover(6));
                ui.label(thousands(m.holding_cost_per_year / money_per_unit, 0))
                    .on_hover_text(hover(8));
                ui.label(text::level_percent(m.service_level))
                    .on_hover_text(format!(
                        "This material's figures are at the {}",
                        text::material_service_level(rec, m)
                    ));
                ui.end_row();
            }
        });
}
