//! "What drives it": per material, a tornado of every input set low and high
//! (`engine::sensitivity`), ranked by how far it moves the recommended stock, and
//! the table under it. Computed in the background for the material on screen once
//! the main figures are current; while inputs change the last tornado stays, greyed
//! and marked stale, and is computed again when the figures settle.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Plot, VLine};

use super::tasks::Task;
use crate::engine::RunOptions;
use crate::engine::sensitivity::{DEFAULT_SENSITIVITY_PATHS, Sensitivity, sensitivity};
use crate::export::text;
use crate::project::Project;
use crate::units::mass;

/// The tornado shows this many inputs, largest swing first; the table lists all.
const BARS_IN_CHART: usize = 12;
/// The tornado's labels are cut to this many characters (the table has them whole),
/// so the bars keep most of the width.
const LABEL_CHARS: usize = 48;
const VALUE_CHARS: usize = 22;
/// The bar of an input set low, and set high.
const LOW_COLOR: Color32 = Color32::from_rgb(80, 150, 220);
const HIGH_COLOR: Color32 = Color32::from_rgb(220, 120, 40);

/// A finished sensitivity of one material and the project it was computed on.
struct Computed {
    sensitivity: Sensitivity,
    /// The project as it was (labels and names for display).
    project: Arc<Project>,
    generation: u64,
}

/// A running sensitivity: which material, of which version of the project.
struct Running {
    task: Task<Sensitivity>,
    project: Arc<Project>,
    material_id: String,
    generation: u64,
}

/// The sensitivities computed so far (by material id) and the one under way.
#[derive(Default)]
pub struct Drivers {
    computed: HashMap<String, Computed>,
    running: Option<Running>,
    /// The user cancelled this material's run of this generation: not restarted
    /// by itself (the button starts it again).
    cancelled: Option<(String, u64)>,
    /// Why the last run failed, and the generation it ran on (not retried by itself).
    failure: Option<(String, u64)>,
}

/// The paths a sensitivity runs: the engine's default, or the project's if fewer (as
/// the `sensitivity` command does).
fn options(project: &Project) -> RunOptions {
    RunOptions {
        paths: Some(project.paths.min(DEFAULT_SENSITIVITY_PATHS)),
        ..RunOptions::default()
    }
}

impl Drivers {
    /// Takes a finished run, drops one of an older version of the project.
    fn poll(&mut self, generation: u64) {
        if let Some(running) = &self.running
            && let Some(answer) = running.task.poll()
        {
            let Some(running) = self.running.take() else {
                return;
            };
            match answer {
                Ok(sensitivity) => {
                    self.failure = None;
                    self.computed.insert(
                        running.material_id,
                        Computed {
                            sensitivity,
                            project: running.project,
                            generation: running.generation,
                        },
                    );
                }
                Err(err) => self.failure = Some((err.to_string(), running.generation)),
            }
        }
        if self
            .running
            .as_ref()
            .is_some_and(|r| r.generation != generation)
        {
            // Inputs changed under it: its answer would be stale on arrival.
            self.running = None;
        }
    }

    fn start(&mut self, project: &Project, index: usize, generation: u64, ctx: &egui::Context) {
        let Some(material) = project.materials.get(index) else {
            return;
        };
        let project = Arc::new(project.clone());
        let for_thread = Arc::clone(&project);
        let started = Task::start(
            format!("what drives {}", material.name),
            ctx,
            move |control| sensitivity(&for_thread, &options(&for_thread), Some(index), control),
        );
        match started {
            Ok(task) => {
                self.failure = None;
                self.cancelled = None;
                self.running = Some(Running {
                    task,
                    project,
                    material_id: material.id.clone(),
                    generation,
                });
            }
            Err(err) => self.failure = Some((err.to_string(), generation)),
        }
    }

    /// The tab: progress or the tornado and its table. `figures_current` says the
    /// main figures belong to this version of the project (it is valid and settled).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        index: usize,
        generation: u64,
        figures_current: bool,
    ) {
        self.poll(generation);
        let Some(material) = project.materials.get(index) else {
            return;
        };
        let id = material.id.clone();
        let shown = self.computed.get(&id);
        let up_to_date = shown.is_some_and(|c| c.generation == generation);
        let running_here = self
            .running
            .as_ref()
            .is_some_and(|r| r.material_id == id && r.generation == generation);
        let cancelled_here = self.cancelled.as_ref() == Some(&(id.clone(), generation));
        if figures_current
            && !up_to_date
            && !running_here
            && !cancelled_here
            && self.failure.as_ref().is_none_or(|(_, g)| *g != generation)
        {
            self.start(project, index, generation, ui.ctx());
        }
        ui.horizontal(|ui| match &self.running {
            Some(running) if running.material_id == id => {
                ui.add(
                    egui::ProgressBar::new(running.task.progress())
                        .desired_width(200.0)
                        .show_percentage(),
                );
                ui.label(format!("computing {}", running.task.what));
                if ui.button("Cancel").clicked() {
                    self.cancelled = Some((id.clone(), running.generation));
                    self.running = None;
                }
            }
            _ if !up_to_date => {
                let why = if cancelled_here {
                    "cancelled"
                } else if !figures_current {
                    "waiting for the figures of the project as it is now"
                } else {
                    "not computed yet"
                };
                ui.label(why);
                if figures_current && ui.button("Compute what drives it").clicked() {
                    self.start(project, index, generation, ui.ctx());
                }
            }
            _ => {}
        });
        if let Some((failure, _)) = &self.failure {
            ui.colored_label(ui.visuals().error_fg_color, failure);
            if figures_current && ui.button("Try again").clicked() {
                self.start(project, index, generation, ui.ctx());
            }
        }
        let Some(computed) = self.computed.get(&id) else {
            return;
        };
        if !up_to_date {
            ui.label(
                RichText::new(
                    "Stale: the inputs changed since this was computed; it is computed again once the figures settle.",
                )
                .color(ui.visuals().warn_fg_color),
            );
        }
        ui.scope(|ui| {
            if !up_to_date {
                ui.multiply_opacity(0.45);
            }
            tornado(ui, computed, index);
            ui.add_space(6.0);
            table(ui, computed, index);
        });
    }
}

/// One row of the tornado and the table, in words.
struct Row {
    label: String,
    low: String,
    high: String,
    low_kg: f64,
    high_kg: f64,
}

fn rows(computed: &Computed, index: usize) -> (f64, Vec<Row>) {
    let Some(figures) = computed.sensitivity.materials.get(index) else {
        return (0.0, Vec::new());
    };
    let rows = figures
        .bars
        .iter()
        .filter_map(|bar| {
            let input = computed.sensitivity.inputs.get(bar.input)?;
            Some(Row {
                label: input.label.clone(),
                low: input.low.to_string(),
                high: input.high.to_string(),
                low_kg: bar.recommended_low_kg,
                high_kg: bar.recommended_high_kg,
            })
        })
        .collect();
    (figures.recommended_stock_kg, rows)
}

fn tornado(ui: &mut Ui, computed: &Computed, index: usize) {
    let name = computed
        .project
        .materials
        .get(index)
        .map_or("this material", |m| m.name.as_str());
    let (base_kg, rows) = rows(computed, index);
    ui.label(RichText::new(text::tornado_heading(name)).strong());
    if rows.is_empty() {
        ui.label(text::NO_INPUT_MOVES);
        return;
    }
    let shown: Vec<&Row> = rows.iter().take(BARS_IN_CHART).collect();
    let note = text::tornado_note(&computed.sensitivity, index, shown.len());
    let caveat = text::sensitivity_paths_caveat(&computed.project);
    ui.label(RichText::new(format!("{note} {caveat}")).small());
    ui.label(RichText::new("Blue: the input set low, orange: set high.").small());
    // Top row first: row k sits at y = -k.
    let labels: Vec<String> = shown
        .iter()
        .map(|r| {
            format!(
                "{}\n{} | {}",
                shortened(&r.label, LABEL_CHARS),
                shortened(&r.low, VALUE_CHARS),
                shortened(&r.high, VALUE_CHARS)
            )
        })
        .collect();
    let bar = |k: usize, end_kg: f64, what: &str, row: &Row| {
        Bar::new(-(k as f64), end_kg - base_kg)
            .base_offset(base_kg)
            .width(0.6)
            .name(format!("{}: {what}: {}", row.label, mass(end_kg)))
    };
    let low_bars: Vec<Bar> = shown
        .iter()
        .enumerate()
        .map(|(k, r)| bar(k, r.low_kg, &format!("low {}", r.low), r).fill(LOW_COLOR))
        .collect();
    let high_bars: Vec<Bar> = shown
        .iter()
        .enumerate()
        .map(|(k, r)| bar(k, r.high_kg, &format!("high {}", r.high), r).fill(HIGH_COLOR))
        .collect();
    let height = 50.0 + 36.0 * shown.len() as f32;
    let line_color = ui.visuals().text_color();
    Plot::new(("tornado", index))
        .height(height)
        .x_axis_label("recommended stock today")
        .x_axis_formatter(|mark, _| mass(mark.value))
        .y_axis_formatter(move |mark, _| {
            let k = -mark.value.round();
            if (mark.value.round() - mark.value).abs() < 1e-6 && k >= 0.0 {
                labels.get(k as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
        .include_y(0.5)
        .include_y(-(shown.len() as f64) + 0.5)
        .include_x(base_kg)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .show(ui, |plot| {
            plot.add(
                BarChart::new("input set low", low_bars)
                    .horizontal()
                    .color(LOW_COLOR),
            );
            plot.add(
                BarChart::new("input set high", high_bars)
                    .horizontal()
                    .color(HIGH_COLOR),
            );
            plot.add(VLine::new("recommended today", base_kg).color(line_color));
        });
}

fn table(ui: &mut Ui, computed: &Computed, index: usize) {
    let (base_kg, rows) = rows(computed, index);
    if rows.is_empty() {
        return;
    }
    // Long names and distributions wrap; a narrow window scrolls the table sideways.
    egui::ScrollArea::horizontal()
        .id_salt(("drivers_table_scroll", index))
        .show(ui, |ui| {
            egui::Grid::new(("drivers_table", index))
                .striped(true)
                .show(ui, |ui| {
                    for header in [
                        "Input",
                        "Low",
                        "Stock at low",
                        "High",
                        "Stock at high",
                        "Swing",
                    ] {
                        ui.label(RichText::new(header).strong());
                    }
                    ui.end_row();
                    for row in &rows {
                        wrapped(ui, &row.label, 380.0);
                        wrapped(ui, &row.low, 160.0);
                        ui.label(signed(row.low_kg, base_kg));
                        wrapped(ui, &row.high, 160.0);
                        ui.label(signed(row.high_kg, base_kg));
                        ui.label(mass((row.high_kg - row.low_kg).abs()));
                        ui.end_row();
                    }
                });
        });
}

/// A cell that wraps at `width` points.
fn wrapped(ui: &mut Ui, text: &str, width: f32) {
    ui.scope(|ui| {
        ui.set_max_width(width);
        ui.add(egui::Label::new(text).wrap());
    });
}

/// `text`, cut to `chars` characters with an ellipsis.
fn shortened(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let head: String = text.chars().take(chars.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

/// "52.3 t (−4.1 t)": a result and how far it is from today's figure.
fn signed(kg: f64, base_kg: f64) -> String {
    let change = kg - base_kg;
    let sign = if change < 0.0 { "−" } else { "+" };
    format!("{} ({sign}{})", mass(kg), mass(change.abs()))
}
