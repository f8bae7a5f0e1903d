//! The help window: the program's version, the keyboard shortcuts (from the
//! command table, so they are the ones that work) and the methodology, shown in
//! the window because the program may run where its documentation is not.

use egui::{RichText, Ui};

use super::command::{Group, UiCommand};
use super::state::Command;

/// How the figures are computed, bundled with the program.
const METHODOLOGY: &str = include_str!("../../docs/METHODOLOGY.md");

#[derive(Default)]
pub struct HelpWindow {
    pub open: bool,
    show_methodology: bool,
}

impl HelpWindow {
    pub fn ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if !self.open {
            return;
        }
        let mut open = true;
        egui::Window::new("Help")
            .open(&mut open)
            .default_width(520.0)
            .default_height(560.0)
            .vscroll(true)
            .show(ctx, |ui| {
                ui.heading(format!("Stockpile Planner {}", env!("CARGO_PKG_VERSION")));
                ui.label("Every figure explains itself on hover: its formula and its inputs.");
                ui.label("Edits recompute in the background; grey figures are being recomputed.");
                ui.add_space(8.0);
                shortcuts(ui);
                ui.add_space(8.0);
                ui.label(RichText::new("Methodology").strong());
                ui.label(
                    "How a project file becomes a recommended stockpile, written so that a \
                     reviewer can recompute the numbers (docs/METHODOLOGY.md).",
                );
                let label = if self.show_methodology {
                    "Hide the methodology"
                } else {
                    "Show the methodology"
                };
                if ui.button(label).clicked() {
                    self.show_methodology = !self.show_methodology;
                }
                if self.show_methodology {
                    ui.separator();
                    ui.label(METHODOLOGY);
                }
            });
        if !open {
            commands.push(Command::ShowHelp(false));
        }
    }
}

/// Every command with a shortcut, grouped as the menus are.
fn shortcuts(ui: &mut Ui) {
    ui.label(RichText::new("Keyboard shortcuts").strong());
    egui::Grid::new("help_shortcuts")
        .striped(true)
        .show(ui, |ui| {
            for group in [Group::Document, Group::File, Group::View] {
                for command in UiCommand::ALL
                    .iter()
                    .filter(|c| c.group() == group && !c.shortcuts().is_empty())
                {
                    ui.weak(group.title());
                    ui.label(command.label());
                    ui.label(command.shortcut_text(ui.ctx()));
                    ui.end_row();
                }
            }
        });
}
