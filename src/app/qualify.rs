//! Qualify or stockpile, beside a material's alternatives: the recommendation and
//! holding cost if every alternative were qualified now, against as entered
//! (`engine::qualify`). It runs the whole model once more, so it runs in the
//! background once the main figures are current, for every material at once.

use std::sync::Arc;

use egui::{RichText, Ui};

use super::tasks::Task;
use super::worker::Computed;
use crate::engine::RunOptions;
use crate::engine::qualify::{QualifyComparison, compare_qualify_ahead_reusing, qualified_ahead};
use crate::export::text;
use crate::project::{Project, QualificationStart};
use crate::units::{mass, money};

/// The comparison of one version of the project.
struct Answer {
    comparisons: Vec<QualifyComparison>,
    project: Arc<Project>,
    generation: u64,
}

#[derive(Default)]
pub struct Qualify {
    answer: Option<Answer>,
    running: Option<(Task<Vec<QualifyComparison>>, Arc<Project>, u64)>,
    /// Why the comparison of this generation failed (not retried by itself).
    failure: Option<(String, u64)>,
}

impl Qualify {
    fn poll(&mut self, generation: u64) {
        if let Some((task, _, _)) = &self.running
            && let Some(answer) = task.poll()
            && let Some((_, project, ran_on)) = self.running.take()
        {
            match answer {
                Ok(comparisons) => {
                    self.answer = Some(Answer {
                        comparisons,
                        project,
                        generation: ran_on,
                    });
                }
                Err(err) => self.failure = Some((err.to_string(), ran_on)),
            }
        }
        if self
            .running
            .as_ref()
            .is_some_and(|(_, _, ran_on)| *ran_on != generation)
        {
            self.running = None;
        }
    }

    /// Starts the comparison for the current figures when it is due.
    fn start_if_due(&mut self, computed: &Computed, generation: u64, ctx: &egui::Context) {
        let due = computed.generation == generation
            && self
                .answer
                .as_ref()
                .is_none_or(|a| a.generation != generation)
            && self.running.is_none()
            && self.failure.as_ref().is_none_or(|(_, g)| *g != generation)
            && qualified_ahead(&computed.project).is_some();
        if !due {
            return;
        }
        let project = Arc::clone(&computed.project);
        let memory = Arc::clone(&computed.memory);
        let for_thread = Arc::clone(&project);
        // The main run's options, so "as entered" is the figure on screen; its run's
        // draws and untouched materials are reused. Dropping the task (the project
        // changed) cancels the run through `control`.
        let started = Task::start("qualify or stockpile", ctx, move |control| {
            compare_qualify_ahead_reusing(&for_thread, &RunOptions::default(), &memory, control)
        });
        match started {
            Ok(task) => self.running = Some((task, project, generation)),
            Err(err) => self.failure = Some((err.to_string(), generation)),
        }
    }

    /// Under material `index`'s alternatives: the sentence and both figures, when it
    /// has an alternative still to qualify.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        index: usize,
        computed: Option<&Computed>,
        generation: u64,
    ) {
        self.poll(generation);
        let Some(material) = project.materials.get(index) else {
            return;
        };
        let waiting = material
            .alternatives
            .iter()
            .any(|a| a.qualification_starts != QualificationStart::AtPlanStart);
        if !waiting {
            return;
        }
        if let Some(computed) = computed {
            self.start_if_due(computed, generation, ui.ctx());
        }
        ui.add_space(4.0);
        ui.label(RichText::new("Qualify or stockpile").strong())
            .on_hover_text(
                "The recommendation if every alternative supplier of this material were qualified \
             from the start of the plan, against the qualification starts as entered, on the \
             same simulated futures.",
            );
        if let Some((message, _)) = &self.failure {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
        let answer = self.answer.as_ref().and_then(|a| {
            a.comparisons
                .iter()
                .find(|q| q.material == index)
                .map(|q| (a, q))
        });
        let current = answer.is_some_and(|(a, _)| a.generation == generation);
        if !current {
            ui.weak(if self.running.is_some() {
                "computing the recommendation with every alternative qualified now…"
            } else {
                "computed once the figures are current"
            });
        }
        let Some((answer, q)) = answer else {
            return;
        };
        ui.scope(|ui| {
            if !current {
                ui.multiply_opacity(0.45);
            }
            ui.label(text::qualify_ahead_sentence(&answer.project, q));
            let currency = answer.project.currency.as_str();
            egui::Grid::new(("qualify_figures", index))
                .striped(true)
                .show(ui, |ui| {
                    for header in ["", "As entered", "Qualified now"] {
                        ui.label(RichText::new(header).strong());
                    }
                    ui.end_row();
                    ui.label("Recommended stock");
                    ui.label(mass(q.recommended_stock_kg_as_entered));
                    ui.label(mass(q.recommended_stock_kg_qualified));
                    ui.end_row();
                    ui.label("Holding cost a year");
                    ui.label(money(q.holding_cost_per_year_as_entered, currency));
                    ui.label(money(q.holding_cost_per_year_qualified, currency));
                    ui.end_row();
                });
        });
    }
}
