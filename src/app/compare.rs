//! "Compare with…": the project as it is now against another file or the version
//! saved on disk (`engine::diff`). Left, the changes in words; right, per material a
//! waterfall from the old to the new recommended stock, one bar per change. The
//! comparison runs the model once per change, so it runs in the background.

use std::path::Path;
use std::sync::Arc;

use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

use super::StockpileApp;
use super::state::Selection;
use super::tasks::Task;
use crate::engine::diff::{Change, ChangeKind, MaterialDiff, PlanDiff, diff};
use crate::engine::sensitivity::ItemKind;
use crate::project::{Project, load_file};
use crate::units::mass;

/// Bars of the waterfall: the two totals, a change that raises and one that lowers.
const TOTAL_COLOR: Color32 = Color32::from_rgb(120, 120, 120);
const UP_COLOR: Color32 = Color32::from_rgb(220, 120, 40);
const DOWN_COLOR: Color32 = Color32::from_rgb(80, 150, 220);

/// The older version being compared with, and where it came from.
#[derive(Clone)]
struct Older {
    project: Arc<Project>,
    /// "plan-q3.ron" or "the version saved on disk (plan.ron)".
    origin: String,
}

struct Answer {
    plan_diff: PlanDiff,
    older: Older,
    /// The project as it was compared (names of its materials).
    newer: Arc<Project>,
    generation: u64,
}

#[derive(Default)]
pub struct ComparePanel {
    /// Loaded, waiting for the next frame to start (a frame has the context the
    /// background task repaints).
    wanted: Option<Older>,
    running: Option<(Task<PlanDiff>, Older, Arc<Project>, u64)>,
    answer: Option<Answer>,
    failure: Option<String>,
}

/// Loads `path` (or the document's own file when `None`) and shows the comparison
/// of the project with it; a file that does not load says why in a notice.
pub fn compare_with(app: &mut StockpileApp, path: Option<&Path>) {
    let (path, origin) = match path {
        Some(path) => (path.to_path_buf(), path.display().to_string()),
        None => match app.document.path.clone() {
            Some(own) => {
                let origin = format!("the version saved on disk ({})", own.display());
                (own, origin)
            }
            None => {
                app.notice(
                    "the project has never been saved: there is no version on disk to compare with",
                    true,
                );
                return;
            }
        },
    };
    match load_file(&path) {
        Ok(loaded) => {
            app.compare.wanted = Some(Older {
                project: Arc::new(loaded.project),
                origin,
            });
            app.selection = Selection::Compare;
        }
        Err(err) => {
            let first = err
                .diagnostics
                .first()
                .map_or_else(|| err.to_string(), ToString::to_string);
            app.notice(format!("nothing compared: {first}"), true);
        }
    }
}

impl ComparePanel {
    fn start(&mut self, older: Older, project: &Project, generation: u64, ctx: &egui::Context) {
        let newer = Arc::new(project.clone());
        let (old_for_thread, new_for_thread) = (Arc::clone(&older.project), Arc::clone(&newer));
        // Dropping the task (the project changed) cancels the comparison through `control`.
        let started = Task::start(
            format!("the comparison with {}", older.origin),
            ctx,
            move |control| diff(&old_for_thread, &new_for_thread, control),
        );
        match started {
            Ok(task) => {
                self.failure = None;
                self.running = Some((task, older, newer, generation));
            }
            Err(err) => self.failure = Some(err.to_string()),
        }
    }

    fn poll(&mut self) {
        if let Some((task, ..)) = &self.running
            && let Some(answer) = task.poll()
            && let Some((_, older, newer, generation)) = self.running.take()
        {
            match answer {
                Ok(plan_diff) => {
                    self.answer = Some(Answer {
                        plan_diff,
                        older,
                        newer,
                        generation,
                    });
                }
                Err(err) => self.failure = Some(err.to_string()),
            }
        }
    }

    /// The view. `valid`: the project as it is now can be run.
    pub fn ui(&mut self, ui: &mut Ui, project: &Project, generation: u64, valid: bool) {
        if let Some(older) = self.wanted.take() {
            self.start(older, project, generation, ui.ctx());
        }
        self.poll();
        ui.heading("Compare with another version");
        if let Some((task, older, ..)) = &self.running {
            let (origin, done) = (older.origin.clone(), task.progress());
            ui.horizontal(|ui| {
                // The share of the model runs done (one run per change, in turn).
                ui.add(
                    egui::ProgressBar::new(done)
                        .desired_width(200.0)
                        .show_percentage(),
                );
                ui.label(format!(
                    "comparing with {origin}: each change is run through the model in turn…"
                ));
                if ui.button("Cancel").clicked() {
                    self.running = None;
                }
            });
        }
        if let Some(failure) = &self.failure {
            ui.colored_label(ui.visuals().error_fg_color, failure);
        }
        let Some(answer) = &self.answer else {
            if self.running.is_none() {
                ui.label(
                    "Choose File › Compare with… › another file, or the version saved on disk.",
                );
            }
            return;
        };
        let stale = answer.generation != generation;
        let mut again = None;
        ui.label(format!(
            "From {} (old) to the project as it is now (new).",
            answer.older.origin
        ));
        if stale {
            ui.horizontal(|ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "The project changed since this comparison.",
                );
                if valid && self.running.is_none() && ui.button("Compare again").clicked() {
                    again = Some(answer.older.clone());
                }
            });
        }
        ui.scope(|ui| {
            if stale {
                ui.multiply_opacity(0.45);
            }
            show_answer(ui, answer);
        });
        if let Some(older) = again {
            self.start(older, project, generation, ui.ctx());
        }
    }
}

fn show_answer(ui: &mut Ui, answer: &Answer) {
    if answer.plan_diff.changes.is_empty() {
        ui.label(RichText::new("No differences: the two versions have the same inputs.").strong());
        return;
    }
    ui.columns(2, |columns| {
        columns[0].label(RichText::new("What changed").strong());
        for change in &answer.plan_diff.changes {
            columns[0].add(
                egui::Label::new(change_words(change, &answer.newer, &answer.older.project)).wrap(),
            );
        }
        columns[1].label(RichText::new("What each change did to the recommended stock").strong());
        for (k, material) in answer.plan_diff.materials.iter().enumerate() {
            let name = answer
                .newer
                .materials
                .iter()
                .chain(&answer.older.project.materials)
                .find(|m| m.id == material.id)
                .map_or(material.id.as_str(), |m| m.name.as_str());
            waterfall(&mut columns[1], k, name, material);
        }
    });
}

/// A change in words: "Material “NdPr oxide”: price per kg 55.0 to 60.0", "Scenario
/// “Embargo” added". Materials, products and scenarios go by their name (in the newer
/// version, else the older); events and alternatives by the id the comparison gives.
fn change_words(change: &Change, newer: &Project, older: &Project) -> String {
    let kind = change.item_kind.key();
    let name = [newer, older]
        .iter()
        .find_map(|project| item_name(project, change.item_kind, &change.item))
        .unwrap_or(change.item.as_str());
    let mut words = format!("{}{} “{name}”", kind[..1].to_uppercase(), &kind[1..]);
    match (change.change, change.field, &change.old, &change.new) {
        (ChangeKind::Changed, Some(field), Some(old), Some(new)) => {
            words.push_str(&format!(": {} {old} to {new}", field.replace('_', " ")));
        }
        (kind, ..) => words.push_str(&format!(" {}", kind.key())),
    }
    words
}

/// The name of the material, product or scenario with this id.
fn item_name<'a>(project: &'a Project, kind: ItemKind, id: &str) -> Option<&'a str> {
    match kind {
        ItemKind::Material => project
            .materials
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.as_str()),
        ItemKind::Product => project
            .products
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str()),
        ItemKind::Scenario => project
            .scenarios
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str()),
        ItemKind::Project | ItemKind::Event | ItemKind::Alternative => None,
    }
}

/// One material's waterfall: the old total, a bar per change from the running
/// figure, the new total; under it the steps in words.
fn waterfall(ui: &mut Ui, k: usize, name: &str, material: &MaterialDiff) {
    let old_kg = material.old_recommended_stock_kg.unwrap_or(0.0);
    let new_kg = material.new_recommended_stock_kg.unwrap_or(0.0);
    let figure = |kg: Option<f64>| kg.map_or_else(|| "none".to_owned(), mass);
    ui.add_space(6.0);
    ui.label(
        RichText::new(format!(
            "{name}: from {} to {}",
            figure(material.old_recommended_stock_kg),
            figure(material.new_recommended_stock_kg)
        ))
        .strong(),
    );
    let steps: Vec<_> = material
        .steps
        .iter()
        .filter(|step| step.effect_kg != 0.0)
        .collect();
    if steps.is_empty() {
        ui.weak("No change moves it.");
        return;
    }
    let mut bars = vec![
        Bar::new(0.0, old_kg)
            .width(0.6)
            .fill(TOTAL_COLOR)
            .name(format!("old: {}", mass(old_kg))),
    ];
    let mut running_kg = old_kg;
    for (i, step) in steps.iter().enumerate() {
        let color = if step.effect_kg > 0.0 {
            UP_COLOR
        } else {
            DOWN_COLOR
        };
        bars.push(
            Bar::new((i + 1) as f64, step.effect_kg)
                .base_offset(running_kg)
                .width(0.6)
                .fill(color)
                .name(format!(
                    "{}. {}: {}",
                    i + 1,
                    readable(&step.words),
                    signed(step.effect_kg)
                )),
        );
        running_kg += step.effect_kg;
    }
    let last = (steps.len() + 1) as f64;
    bars.push(
        Bar::new(last, new_kg)
            .width(0.6)
            .fill(TOTAL_COLOR)
            .name(format!("new: {}", mass(new_kg))),
    );
    let count = steps.len();
    Plot::new(("waterfall", k))
        .height(180.0)
        .y_axis_label("recommended stock")
        .y_axis_formatter(|mark, _| mass(mark.value))
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 1e-6 || i < 0.0 || i > last {
                String::new()
            } else if i == 0.0 {
                "old".to_owned()
            } else if i == last {
                "new".to_owned()
            } else {
                format!("{i}")
            }
        })
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
        .include_y(0.0)
        .include_x(-0.5)
        .include_x(count as f64 + 1.5)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .show(ui, |plot| {
            plot.add(BarChart::new(format!("waterfall {name}"), bars).color(TOTAL_COLOR));
        });
    for (i, step) in steps.iter().enumerate() {
        ui.add(
            egui::Label::new(format!(
                "{}. {}  {}",
                i + 1,
                signed(step.effect_kg),
                readable(&step.words)
            ))
            .wrap(),
        );
    }
}

/// A step's words with the arrow spelt out: the app's font has no arrow glyph.
fn readable(words: &str) -> String {
    words.replace(" → ", " to ")
}

/// "+1,250 kg" or "−3.4 t".
fn signed(kg: f64) -> String {
    let sign = if kg < 0.0 { "−" } else { "+" };
    format!("{sign}{}", mass(kg.abs()))
}
