//! The help window: the program's version, the keyboard shortcuts (from the
//! command table, so they are the ones that work) and the methodology, opened in
//! the browser from a page the program writes (it may run where its
//! documentation is not).

use egui::{RichText, Ui};

use super::command::{Group, UiCommand};
use super::state::Command;

/// How the figures are computed, bundled with the program.
const METHODOLOGY: &str = include_str!("../../docs/METHODOLOGY.md");

#[derive(Default)]
pub struct HelpWindow {
    pub open: bool,
    /// Why the methodology page could not be written, if it could not.
    methodology_problem: Option<String>,
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
                if ui.button("Open the methodology in the browser").clicked() {
                    self.methodology_problem = match write_methodology_page() {
                        Ok(path) => {
                            ui.ctx().open_url(egui::OpenUrl::new_tab(format!(
                                "file://{}",
                                path.display()
                            )));
                            None
                        }
                        Err(err) => Some(format!("the methodology could not be written: {err}")),
                    };
                }
                if let Some(problem) = &self.methodology_problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
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

/// Writes the bundled methodology as a page a browser shows as written (its
/// formulas use characters the app's fonts lack), in the temporary folder.
pub fn write_methodology_page() -> std::io::Result<std::path::PathBuf> {
    let path = std::env::temp_dir().join("stockpile-planner-methodology.html");
    let escaped = METHODOLOGY
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Stockpile Planner: methodology</title></head>\n\
         <body><pre style=\"white-space: pre-wrap; max-width: 50em; font-size: 15px\">{escaped}</pre></body></html>\n"
    );
    std::fs::write(&path, page)?;
    Ok(path)
}
