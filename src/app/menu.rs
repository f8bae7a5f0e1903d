//! The menu bar (File, Edit, View, Export, Help) and, on its right, the service
//! level and the scenario ticks that choose what the charts show. The entries come
//! from the command table ([`UiCommand`]): label, shortcut and action.

use std::path::PathBuf;

use egui::Ui;

use super::command::UiCommand;
use super::state::{Command, PathPurpose, Selection};
use super::widgets::{Env, unique_id};
use crate::presets::PRESETS;
use crate::project::ServiceLevel;

/// What the menu shows that is not in the project.
pub struct MenuState<'a> {
    pub can_undo: bool,
    pub can_redo: bool,
    pub recent: &'a [PathBuf],
    pub dark: bool,
    pub selection: Selection,
}

#[derive(Default)]
pub struct MenuPanel {
    /// The "New from preset" chooser is open (File menu or Ctrl+N).
    pub open_new_menu: bool,
}

impl MenuPanel {
    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui, state: &MenuState) {
        let give = |env: &mut Env, ui: &mut Ui, command: UiCommand, enabled: bool| {
            if let Some(command) = command.menu_button(ui, enabled) {
                env.push(command);
            }
        };
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                give(env, ui, UiCommand::NewFromPreset, true);
                give(env, ui, UiCommand::Open, true);
                ui.menu_button("Open recent", |ui| {
                    if state.recent.is_empty() {
                        ui.weak("no recent files");
                    }
                    for path in state.recent {
                        if ui.button(path.display().to_string()).clicked() {
                            env.push(Command::Open(path.clone()));
                            ui.close();
                        }
                    }
                });
                ui.menu_button("Compare with…", |ui| {
                    if ui.button("Another file…").clicked() {
                        env.push(Command::AskPath(PathPurpose::Compare));
                        ui.close();
                    }
                    if ui.button("The version saved on disk").clicked() {
                        env.push(Command::CompareWith(None));
                        ui.close();
                    }
                });
                ui.separator();
                give(env, ui, UiCommand::Save, true);
                give(env, ui, UiCommand::SaveAs, true);
                ui.separator();
                give(env, ui, UiCommand::Quit, true);
            });
            ui.menu_button("Edit", |ui| {
                give(env, ui, UiCommand::Undo, state.can_undo);
                give(env, ui, UiCommand::Redo, state.can_redo);
                ui.separator();
                catalogue_menus(env, ui);
            });
            ui.menu_button("View", |ui| {
                give(env, ui, UiCommand::LightTheme, state.dark);
                give(env, ui, UiCommand::DarkTheme, !state.dark);
                ui.separator();
                for command in [
                    UiCommand::ShowOverview,
                    UiCommand::ShowProducts,
                    UiCommand::ShowScenarios,
                    UiCommand::ShowSettings,
                ] {
                    give(env, ui, command, true);
                }
            });
            ui.menu_button("Export", |ui| {
                give(env, ui, UiCommand::ExportReport, true);
                ui.weak(match state.selection {
                    Selection::Material(_) => "A chart exports this material's figures.",
                    _ => "A chart exports every material's figures.",
                });
                give(env, ui, UiCommand::ExportChart, true);
            });
            ui.menu_button("Help", |ui| {
                give(env, ui, UiCommand::Help, true);
            });

            ui.separator();
            service_level(env, ui);
            ui.separator();
            ui.label("Scenarios shown:");
            // Many scenarios, or long names, do not fit a 1024 px window: the ticks
            // scroll sideways instead of being cut at the window's edge.
            egui::ScrollArea::horizontal()
                .id_salt("scenario_ticks")
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        for (index, scenario) in env.project.scenarios.iter().enumerate() {
                            let mut shown = env.scenario_shown(index);
                            if ui
                                .checkbox(&mut shown, scenario.name.as_str())
                                .on_hover_text("Show this scenario in the charts (the recommendation always blends them all)")
                                .changed()
                            {
                                env.push(Command::ShowScenario { index, shown });
                            }
                        }
                    });
                });
        });
        if self.open_new_menu {
            let response = egui::Modal::new(egui::Id::unique("new_modal")).show(ui.ctx(), |ui| {
                ui.heading("New project from a preset");
                for (index, preset) in PRESETS.iter().enumerate() {
                    if ui.button(preset.title).clicked() {
                        env.push(Command::NewFromPreset(index));
                        self.open_new_menu = false;
                    }
                }
                if ui.button("Cancel").clicked() {
                    self.open_new_menu = false;
                }
            });
            if response.should_close() {
                self.open_new_menu = false;
            }
        }
    }
}

fn service_level(env: &mut Env, ui: &mut Ui) {
    let current = env.project.service_level;
    let text = match current {
        ServiceLevel::Fixed(level) => crate::units::percent(level),
        ServiceLevel::Auto => "cost-optimal".to_owned(),
    };
    let label = ui.label("Service level").on_hover_text(
        "How sure the plan must be of not running out: the share of simulated futures the stock covers. \
         Cost-optimal balances holding cost against shortage cost per material.",
    );
    egui::ComboBox::from_id_salt("service_level_menu")
        .selected_text(text)
        .show_ui(ui, |ui| {
            for level in [0.8, 0.9, 0.95, 0.975, 0.99] {
                if ui
                    .selectable_label(
                        current == ServiceLevel::Fixed(level),
                        crate::units::percent(level),
                    )
                    .clicked()
                {
                    env.edit("service_level", move |p| {
                        p.service_level = ServiceLevel::Fixed(level)
                    });
                }
            }
            if ui
                .selectable_label(current == ServiceLevel::Auto, "cost-optimal")
                .clicked()
            {
                env.edit("service_level", |p| p.service_level = ServiceLevel::Auto);
            }
        })
        .response
        .labelled_by(label.id);
}

/// "Insert material" and "Insert scenario" submenus from the bundled catalogue.
pub fn catalogue_menus(env: &mut Env, ui: &mut Ui) {
    let Some(catalogue) = env.catalogue else {
        ui.weak("the catalogue is not available");
        return;
    };
    let materials = catalogue.materials.clone();
    let scenarios = catalogue.scenarios.clone();
    ui.menu_button("Insert material from catalogue", |ui| {
        for material in materials {
            if ui
                .button(material.name.clone())
                .on_hover_text(material.notes.clone())
                .clicked()
            {
                insert_material(env, material);
                ui.close();
            }
        }
    });
    ui.menu_button("Insert scenario from catalogue", |ui| {
        for scenario in scenarios {
            if ui
                .button(scenario.name.clone())
                .on_hover_text(scenario.description.clone())
                .clicked()
            {
                insert_scenario(env, scenario);
                ui.close();
            }
        }
    });
}

pub fn insert_material(env: &mut Env, mut material: crate::project::Material) {
    let index = env.project.materials.len();
    env.edit("insert material", move |p| {
        let taken: Vec<String> = p.materials.iter().map(|m| m.id.clone()).collect();
        material.id = unique_id(&material.id, &taken);
        p.materials.push(material);
    });
    env.push(Command::Select(Selection::Material(index)));
}

pub fn insert_scenario(env: &mut Env, mut scenario: crate::project::Scenario) {
    let index = env.project.scenarios.len();
    env.edit("insert scenario", move |p| {
        let taken: Vec<String> = p.scenarios.iter().map(|s| s.id.clone()).collect();
        scenario.id = unique_id(&scenario.id, &taken);
        p.scenarios.push(scenario);
    });
    env.push(Command::Select(Selection::Scenario(index)));
}
