//! The status bar: what the figures on screen were computed with, whether they are
//! current, the run's progress, and why nothing runs while the project is invalid.

use egui::{RichText, Ui};

use super::state::Command;
use super::state::Document;
use super::widgets::Env;
use super::worker::Worker;
use crate::project::Issue;
use crate::units::thousands;

pub struct StatusBar;

impl StatusBar {
    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui, worker: &Worker, document: &Document) {
        ui.horizontal(|ui| {
            let errors: Vec<&Issue> = document.validation.errors().collect();
            let warnings: Vec<&str> = document
                .validation
                .warnings()
                .map(|i| i.message.as_str())
                .collect();
            if let Some(computed) = env.computed {
                let rec = &computed.recommendation;
                ui.label(format!(
                    "{} paths · seed {} · computed in {} ms",
                    thousands(rec.paths as f64, 0),
                    rec.seed,
                    thousands(computed.elapsed.as_secs_f64() * 1000.0, 0)
                ));
                ui.separator();
            }
            if let Some(first) = errors.first() {
                problem_list(env, ui, &errors, first);
            } else if let Some(progress) = worker.progress() {
                ui.add(
                    egui::ProgressBar::new(progress)
                        .desired_width(120.0)
                        .show_percentage(),
                );
                ui.label("computing; the grey figures are from before your last edit");
            } else if env.stale && worker.is_busy() {
                ui.spinner();
                ui.label("about to recompute…");
            } else if let Some(failure) = &worker.failure {
                ui.label(
                    RichText::new(format!("not computed: {failure}"))
                        .color(ui.visuals().error_fg_color),
                );
            } else if env.computed.is_some() && !env.stale {
                ui.label(
                    RichText::new("figures are current")
                        .color(egui::Color32::from_rgb(60, 150, 90)),
                );
            } else {
                ui.label("waiting for the first computation");
            }
            if !warnings.is_empty() {
                ui.separator();
                let text = if warnings.len() == 1 {
                    format!("1 warning: {}", warnings[0])
                } else {
                    format!("{} warnings", warnings.len())
                };
                ui.label(RichText::new(text).color(ui.visuals().warn_fg_color))
                    .on_hover_text(warnings.join("\n"));
            }
            if env.save_is_held {
                ui.separator();
                ui.label("Saving when the figures are ready…");
            } else if document.is_dirty() {
                ui.separator();
                ui.label("unsaved edits");
            }
        });
    }
}

/// What stops the figures, as a menu of every error: choosing one opens the view
/// holding its field and puts the cursor in it.
fn problem_list(env: &mut Env, ui: &mut Ui, errors: &[&Issue], first: &Issue) {
    let color = ui.visuals().error_fg_color;
    let text = if errors.len() == 1 {
        format!("not computed: {}", first.message)
    } else {
        format!(
            "not computed: {} problems; first: {}",
            errors.len(),
            first.message
        )
    };
    ui.menu_button(RichText::new(text).color(color), |ui| {
        ui.label(
            RichText::new("Fix these to compute the figures (click one to go to its field):")
                .strong(),
        );
        for issue in errors {
            if ui.button(issue.message.as_str()).clicked() {
                env.push(Command::FocusField(issue.path.clone()));
                ui.close();
            }
        }
    })
    .response
    .on_hover_text("Click to list the problems and go to each one's field");
}
