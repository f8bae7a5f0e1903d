//! Project settings: name, description, start, horizon, currency, service level
//! (fixed or cost-optimal), paths, seed, shortage cost, rebuilding after a disruption.

use egui::Ui;

use super::widgets::{
    Env, field_error, month_input, multiline_row, number_row, optional_number_row, text_row,
};
use crate::project::{DEFAULT_SERVICE_LEVEL, FieldPath, ServiceLevel};

pub struct SettingsPanel;

impl SettingsPanel {
    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui) {
        ui.heading("Project settings");
        let project = env.project.clone();
        egui::Grid::new("settings_grid").num_columns(2).show(ui, |ui| {
            text_row(ui, env, "Project name", &FieldPath::top("name"), &project.name, |p, v| p.name = v);
            multiline_row(ui, env, "Description", &FieldPath::top("description"), &project.description, |p, v| p.description = v);
            let label = ui.label("Start month").on_hover_text("Month 0 of the plan, YYYY-MM.");
            ui.vertical(|ui| {
                if let Some(month) = month_input(ui, "Start month", &FieldPath::top("start"), project.start) {
                    env.edit("start", move |p| p.start = month);
                }
                field_error(ui, env.validation, &FieldPath::top("start"));
            })
            .response
            .labelled_by(label.id);
            ui.end_row();
            number_row(ui, env, "Horizon", "months", "How far ahead the plan looks (1 to 240 months).", &FieldPath::top("horizon_months"), f64::from(project.horizon_months), |p, v| {
                p.horizon_months = if v.is_finite() && v >= 0.0 { v.round().min(f64::from(u32::MAX)) as u32 } else { 0 };
            });
            text_row(ui, env, "Currency", &FieldPath::top("currency"), &project.currency, |p, v| p.currency = v);
            let label = ui.label("Service level").on_hover_text(
                "Fixed: the share of simulated futures the stock must cover (0.5 to 0.999). \
                 Cost-optimal: per material, the level where one more kg held costs as much as the shortage it avoids.",
            );
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    let auto = project.service_level == ServiceLevel::Auto;
                    if ui.radio(!auto, "Fixed").clicked() && auto {
                        env.edit("service_level", |p| p.service_level = ServiceLevel::Fixed(DEFAULT_SERVICE_LEVEL));
                    }
                    if ui.radio(auto, "Cost-optimal").clicked() && !auto {
                        env.edit("service_level", |p| p.service_level = ServiceLevel::Auto);
                    }
                    if let ServiceLevel::Fixed(level) = project.service_level
                        && let Some(Some(v)) = super::widgets::number_input(ui, label.id, "Service level value", &FieldPath::top("service_level"), Some(level), false)
                    {
                        env.edit("service_level", move |p| p.service_level = ServiceLevel::Fixed(v));
                    }
                    if !auto {
                        ui.weak("share of futures covered (0.95 = 95%)");
                    }
                });
                field_error(ui, env.validation, &FieldPath::top("service_level"));
            });
            ui.end_row();
            number_row(ui, env, "Paths", "simulated futures", "More paths: steadier figures, slower runs (100 to 1,000,000).", &FieldPath::top("paths"), f64::from(project.paths), |p, v| {
                p.paths = if v.is_finite() && v >= 0.0 { v.round().min(f64::from(u32::MAX)) as u32 } else { 0 };
            });
            number_row(ui, env, "Seed", "", "The random seed: the same seed gives the same figures.", &FieldPath::top("seed"), project.seed as f64, |p, v| {
                p.seed = if v.is_finite() && v >= 0.0 { v.round() as u64 } else { 0 };
            });
            let currency = project.currency.clone();
            optional_number_row(ui, env, "Shortage cost per kg", &format!("{currency}/kg (empty: from margins)"), "What a kg short costs; empty means the margin lost per kg from the products.", &FieldPath::top("shortage_cost_per_kg"), project.shortage_cost_per_kg, |p, v| p.shortage_cost_per_kg = v);
            ui.label("After a disruption");
            let mut rebuild = project.rebuild_after_disruption;
            if ui
                .checkbox(&mut rebuild, "Rebuild the stock after a disruption")
                .on_hover_text(
                    "Ticked: once supply comes back you buy back what the disruption used up, \
                     as fast as each material's purchase cap and lead time allow, so the stockpile \
                     is ready for the next one; the stock then only has to cover the worst single \
                     stretch of trouble. Not ticked: what is used is never bought back, so the stock \
                     must cover every disruption until the end of the plan (the model of format-1 files).",
                )
                .changed()
            {
                env.edit("rebuild_after_disruption", move |p| p.rebuild_after_disruption = rebuild);
            }
            ui.end_row();
        });
        field_error(ui, env.validation, &FieldPath::root());
        for issue in env.validation.errors().filter(|i| {
            i.path.is_root()
                || ["materials", "scenarios", "products"]
                    .iter()
                    .any(|list| i.path == FieldPath::top(list))
        }) {
            ui.colored_label(ui.visuals().error_fg_color, issue.message.as_str());
        }
    }
}
