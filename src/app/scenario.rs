//! Scenarios: the list with probability weights and their normalised shares, a
//! side-by-side comparison of two, and per scenario its events on a calendar
//! timeline and the event editor.

use egui::{RichText, Ui};

use super::charts;
use super::menu::insert_scenario;
use super::widgets::{
    Env, ListKind, dist_row, field_error, list_buttons, multiline_row, number_row, start_row,
    text_row,
};
use crate::export::text;
use crate::project::{Dist, EndUses, Event, FieldPath, MaterialSet, Project, Scenario};
use crate::units::{mass, month_or_never, percent};

#[derive(Default)]
pub struct ScenarioPanel {
    compare: (usize, usize),
}

fn with_scenario(p: &mut Project, index: usize, f: impl FnOnce(&mut Scenario)) {
    if let Some(s) = p.scenarios.get_mut(index) {
        f(s);
    }
}

fn with_event(p: &mut Project, s: usize, e: usize, f: impl FnOnce(&mut Event)) {
    if let Some(event) = p.scenarios.get_mut(s).and_then(|sc| sc.events.get_mut(e)) {
        f(event);
    }
}

/// Normalised weights (0 when the sum is not positive).
fn normalised(project: &Project) -> Vec<f64> {
    let sum: f64 = project.scenarios.iter().map(|s| s.probability).sum();
    project
        .scenarios
        .iter()
        .map(|s| {
            if sum > 0.0 && sum.is_finite() {
                s.probability / sum
            } else {
                0.0
            }
        })
        .collect()
}

impl ScenarioPanel {
    pub fn ui_all(&mut self, env: &mut Env, ui: &mut Ui) {
        ui.heading("Scenarios");
        ui.label("Each scenario is a possible future with a probability weight; weights are normalised to sum to 1. The recommendation blends them.");
        let weights = normalised(env.project);
        let scenarios = env.project.scenarios.clone();
        egui::Grid::new("scenario_list")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                ui.label(RichText::new("Scenario").strong());
                ui.label(RichText::new("Weight").strong());
                ui.label(RichText::new("Normalised").strong());
                ui.label(RichText::new("Events").strong());
                ui.end_row();
                for (i, s) in scenarios.iter().enumerate() {
                    ui.label(s.name.as_str());
                    let label = ui.label("");
                    let path = FieldPath::scenario(i).field("probability");
                    ui.vertical(|ui| {
                        if let Some(Some(v)) = super::widgets::number_input(
                            ui,
                            label.id,
                            &format!("Weight of {}", s.name),
                            &path,
                            Some(s.probability),
                            false,
                        ) {
                            env.edit(path.clone(), move |p| {
                                with_scenario(p, i, |s| s.probability = v)
                            });
                        }
                        field_error(ui, env.validation, &path);
                    });
                    ui.label(percent(weights.get(i).copied().unwrap_or(0.0)))
                        .on_hover_text("weight ÷ sum of all weights");
                    ui.label(s.events.len().to_string());
                    ui.end_row();
                }
            });
        if let Some(catalogue) = env.catalogue {
            let templates = catalogue.scenarios.clone();
            ui.menu_button("+ Insert scenario from catalogue", |ui| {
                for template in templates {
                    if ui
                        .button(template.name.clone())
                        .on_hover_text(template.description.clone())
                        .clicked()
                    {
                        insert_scenario(env, template);
                        ui.close();
                    }
                }
            });
        }
        ui.add_space(10.0);
        self.compare_ui(env, ui);
    }

    /// Two scenarios side by side: per material their buffer and run-out months, and their timelines.
    fn compare_ui(&mut self, env: &mut Env, ui: &mut Ui) {
        let count = env.project.scenarios.len();
        if count == 0 {
            return;
        }
        ui.label(RichText::new("Compare two scenarios").strong());
        if self.compare == (0, 0) && count > 1 {
            self.compare = (0, 1);
        }
        self.compare.0 = self.compare.0.min(count - 1);
        self.compare.1 = self.compare.1.min(count - 1);
        let names: Vec<String> = env
            .project
            .scenarios
            .iter()
            .map(|s| s.name.clone())
            .collect();
        ui.horizontal(|ui| {
            for (slot, label) in [(0, "Left scenario"), (1, "Right scenario")] {
                let current = if slot == 0 {
                    &mut self.compare.0
                } else {
                    &mut self.compare.1
                };
                let l = ui.label(label);
                egui::ComboBox::from_id_salt(("compare", slot))
                    .selected_text(names.get(*current).cloned().unwrap_or_default())
                    .show_ui(ui, |ui| {
                        for (i, name) in names.iter().enumerate() {
                            ui.selectable_value(current, i, name.as_str());
                        }
                    })
                    .response
                    .labelled_by(l.id);
            }
        });
        let pair = [self.compare.0, self.compare.1];
        ui.columns(2, |columns| {
            for (col, &s) in pair.iter().enumerate() {
                let ui = &mut columns[col];
                ui.label(RichText::new(names.get(s).cloned().unwrap_or_default()).heading());
                charts::timeline(
                    ui,
                    &format!("compare_timeline_{col}"),
                    env.project,
                    s,
                    140.0,
                );
                if let Some(computed) = env.computed {
                    egui::Grid::new(("compare_grid", col))
                        .striped(true)
                        .show(ui, |ui| {
                            for h in [
                                "Material",
                                "Buffer",
                                "Stockout today",
                                "Runs dry",
                                "10% of paths",
                                "Service level",
                            ] {
                                ui.label(RichText::new(h).strong());
                            }
                            ui.end_row();
                            for (mi, m) in computed.recommendation.materials.iter().enumerate() {
                                let Some(f) = m.by_scenario.get(s) else {
                                    continue;
                                };
                                ui.label(
                                    computed
                                        .project
                                        .materials
                                        .get(mi)
                                        .map_or("?", |x| x.name.as_str()),
                                );
                                ui.label(mass(f.strategic_buffer_kg));
                                ui.label(percent(f.stockout_probability_at_on_hand));
                                ui.label(month_or_never(
                                    computed.recommendation.start,
                                    f.run_out_month_median,
                                ));
                                ui.label(month_or_never(
                                    computed.recommendation.start,
                                    f.run_out_month_p10,
                                ));
                                ui.label(text::level_percent(m.service_level))
                                    .on_hover_text(format!(
                                        "This material's buffer is at the {}",
                                        text::material_service_level(&computed.recommendation, m)
                                    ));
                                ui.end_row();
                            }
                        });
                }
            }
        });
    }

    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui, s: usize) {
        let Some(scenario) = env.project.scenarios.get(s).cloned() else {
            ui.label("This scenario no longer exists.");
            return;
        };
        ui.heading(scenario.name.as_str());
        let weight = normalised(env.project).get(s).copied().unwrap_or(0.0);
        ui.label(format!(
            "Normalised weight: {} of the blend",
            percent(weight)
        ))
        .on_hover_text("This scenario's probability ÷ the sum of all scenarios' probabilities.");
        ui.label(RichText::new("Events on the calendar").strong());
        ui.weak("bars = the expected span of each event (darker = larger expected cut); whiskers = uncertain start (above) and end (below); dashed = end of horizon");
        charts::timeline(
            ui,
            &format!("timeline_{s}"),
            env.project,
            s,
            60.0 + 55.0 * scenario.events.len().max(1) as f32,
        );
        let p = |field: &str| FieldPath::scenario(s).field(field);
        egui::Grid::new(("scenario_inputs", s))
            .num_columns(2)
            .show(ui, |ui| {
                text_row(ui, env, "Name", &p("name"), &scenario.name, move |pr, v| {
                    with_scenario(pr, s, |x| x.name = v)
                });
                text_row(ui, env, "Id", &p("id"), &scenario.id, move |pr, v| {
                    with_scenario(pr, s, |x| x.id = v)
                });
                number_row(
                    ui,
                    env,
                    "Probability weight",
                    "weight",
                    "How likely this future is, relative to the others (weights are normalised).",
                    &p("probability"),
                    scenario.probability,
                    move |pr, v| with_scenario(pr, s, |x| x.probability = v),
                );
                multiline_row(
                    ui,
                    env,
                    "Description",
                    &p("description"),
                    &scenario.description,
                    move |pr, v| with_scenario(pr, s, |x| x.description = v),
                );
                multiline_row(
                    ui,
                    env,
                    "Notes",
                    &p("notes"),
                    &scenario.notes,
                    move |pr, v| with_scenario(pr, s, |x| x.notes = v),
                );
            });
        ui.horizontal(|ui| list_buttons(ui, env, "scenario", s, ListKind::Scenarios));
        ui.add_space(8.0);
        ui.label(RichText::new("Events").strong());
        for (e, event) in scenario.events.iter().enumerate() {
            egui::CollapsingHeader::new(format!(
                "{}  ({})",
                event.name(),
                match event {
                    Event::Once { .. } => "once",
                    Event::Recurring { .. } => "recurring",
                }
            ))
            .id_salt(("event", s, e))
            .default_open(scenario.events.len() <= 3)
            .show(ui, |ui| {
                event_editor(env, ui, s, e, event);
                ui.horizontal(|ui| {
                    list_buttons(ui, env, "event", e, ListKind::Events { scenario: s })
                });
            });
        }
        ui.horizontal(|ui| {
            if ui.button("+ Add one-off event").clicked() {
                env.edit("add event", move |pr| {
                    let start = pr.start.plus_months(6);
                    with_scenario(pr, s, |x| {
                        x.events.push(Event::once("Export stop", start, 6.0, 0.5))
                    });
                });
            }
            if ui.button("+ Add recurring outages").clicked() {
                env.edit("add event", move |pr| {
                    with_scenario(pr, s, |x| {
                        x.events.push(Event::Recurring {
                            name: "Random outages".to_owned(),
                            materials: MaterialSet::All,
                            end_uses: EndUses::All,
                            mean_months_between: 24.0,
                            mean_duration_months: 2.0,
                            supply_cut: Dist::Fixed(0.5),
                        });
                    });
                });
            }
        });
    }
}

fn event_editor(env: &mut Env, ui: &mut Ui, s: usize, e: usize, event: &Event) {
    let p = |field: &str| FieldPath::scenario(s).item("events", e).field(field);
    egui::Grid::new(("event_grid", s, e))
        .num_columns(2)
        .show(ui, |ui| {
            text_row(
                ui,
                env,
                "Event name",
                &p("name"),
                event.name(),
                move |pr, v| {
                    with_event(pr, s, e, |ev| match ev {
                        Event::Once { name, .. } | Event::Recurring { name, .. } => *name = v,
                    });
                },
            );
            materials_row(env, ui, s, e, event.materials());
            end_uses_row(env, ui, s, e, event.end_uses());
            // A field row shows only for its event variant; its setter goes through
            // `with_event`, which does nothing if the event is gone by the time the edit runs.
            macro_rules! setter {
                ($variant:ident, $field:ident) => {
                    move |pr: &mut Project, v| {
                        with_event(pr, s, e, |ev| {
                            if let Event::$variant { $field, .. } = ev {
                                *$field = v
                            }
                        })
                    }
                };
            }
            macro_rules! dist_field {
                ($variant:ident, $field:ident, $label:expr, $unit:expr) => {
                    if let Event::$variant { $field, .. } = event {
                        let path = p(stringify!($field));
                        dist_row(
                            ui,
                            env,
                            $label,
                            $unit,
                            &path,
                            *$field,
                            setter!($variant, $field),
                        );
                    }
                };
            }
            macro_rules! number_field {
                ($variant:ident, $field:ident, $label:expr, $unit:expr, $hover:expr) => {
                    if let Event::$variant { $field, .. } = event {
                        let path = p(stringify!($field));
                        let set = setter!($variant, $field);
                        number_row(ui, env, $label, $unit, $hover, &path, *$field, set);
                    }
                };
            }
            if let Event::Once { start, .. } = event {
                start_row(ui, env, "Start", &p("start"), *start, setter!(Once, start));
            }
            dist_field!(Once, duration_months, "Duration", "months");
            dist_field!(Once, supply_cut, "Supply cut", "share 0 to 1");
            dist_field!(Once, licence_delay_days, "Licence delay", "days");
            number_field!(
                Once,
                price_multiplier,
                "Price multiplier",
                "× price",
                "The price while the event lasts, as a multiple of today's (2 = doubles)."
            );
            number_field!(
                Once,
                probability,
                "Event probability",
                "0 to 1",
                "The chance the event happens at all within its scenario."
            );
            number_field!(
                Recurring,
                mean_months_between,
                "Mean months between outages",
                "months",
                "Average time from the end of one outage to the start of the next."
            );
            number_field!(
                Recurring,
                mean_duration_months,
                "Mean outage duration",
                "months",
                "Average length of an outage."
            );
            dist_field!(Recurring, supply_cut, "Supply cut", "share 0 to 1");
        });
    field_error(
        ui,
        env.validation,
        &FieldPath::scenario(s).item("events", e),
    );
}

/// The "End uses hit" row: which end uses (civil, dual use, military) the event bites.
fn end_uses_row(env: &mut Env, ui: &mut Ui, s: usize, e: usize, current: EndUses) {
    let label = ui.label("End uses hit");
    egui::ComboBox::from_id_salt(("end_uses", s, e))
        .selected_text(current.label())
        .show_ui(ui, |ui| {
            for option in EndUses::ALL {
                if ui
                    .selectable_label(current == option, option.label())
                    .clicked()
                {
                    env.edit(
                        FieldPath::scenario(s).item("events", e).field("end_uses"),
                        move |pr| {
                            with_event(pr, s, e, |ev| match ev {
                                Event::Once { end_uses, .. }
                                | Event::Recurring { end_uses, .. } => *end_uses = option,
                            });
                        },
                    );
                }
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
}

fn set_materials(ev: &mut Event, set: MaterialSet) {
    match ev {
        Event::Once { materials, .. } | Event::Recurring { materials, .. } => *materials = set,
    }
}

/// "All materials" or a tick per material.
fn materials_row(env: &mut Env, ui: &mut Ui, s: usize, e: usize, current: &MaterialSet) {
    let path = FieldPath::scenario(s).item("events", e).field("materials");
    let label = ui.label("Materials hit");
    ui.vertical(|ui| {
        let mut all = matches!(current, MaterialSet::All);
        if ui
            .checkbox(&mut all, "All materials")
            .labelled_by(label.id)
            .changed()
        {
            let ids: Vec<String> = env.project.materials.iter().map(|m| m.id.clone()).collect();
            let new = if all {
                MaterialSet::All
            } else {
                MaterialSet::Only(ids)
            };
            env.edit(path.clone(), move |pr| {
                with_event(pr, s, e, |ev| set_materials(ev, new))
            });
        }
        if let MaterialSet::Only(ids) = current {
            ui.horizontal_wrapped(|ui| {
                for material in env.project.materials.clone() {
                    let mut on = ids.contains(&material.id);
                    if ui.checkbox(&mut on, material.name.as_str()).changed() {
                        let mut new_ids = ids.clone();
                        if on {
                            new_ids.push(material.id.clone());
                        } else {
                            new_ids.retain(|id| *id != material.id);
                        }
                        env.edit(path.clone(), move |pr| {
                            with_event(pr, s, e, |ev| set_materials(ev, MaterialSet::Only(new_ids)))
                        });
                    }
                }
                // Ids that name no material (from a file): shown so they can be cleared.
                let unknown: Vec<String> = ids
                    .iter()
                    .filter(|id| !env.project.materials.iter().any(|m| &m.id == *id))
                    .cloned()
                    .collect();
                for id in unknown {
                    let button = egui::Button::new(
                        RichText::new(format!("Clear unknown material \"{id}\""))
                            .color(ui.visuals().error_fg_color),
                    );
                    if ui
                        .add(button)
                        .on_hover_text("No material has this id: the event cannot hit it")
                        .clicked()
                    {
                        let new_ids: Vec<String> =
                            ids.iter().filter(|other| **other != id).cloned().collect();
                        env.edit(path.clone(), move |pr| {
                            with_event(pr, s, e, |ev| set_materials(ev, MaterialSet::Only(new_ids)))
                        });
                    }
                }
            });
        }
        field_error(ui, env.validation, &path);
    });
    ui.end_row();
}
