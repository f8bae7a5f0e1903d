//! Modal questions (unsaved edits, file changed on disk, autosave found, typed
//! path when there is no file dialog) and the banner of notices.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::Notice;
use super::material::{MaterialUses, remove_material_and_its_uses};
use super::prefs::FoundAutosave;
use super::state::{Command, Edit, PathPurpose};

/// What waits for the answer to "save your edits first?".
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    New(usize),
    Open(PathBuf),
    AskOpen,
    Close,
}

/// "Remove this material, which products or events use?"
#[derive(Clone, Debug)]
pub struct RemoveMaterialQuestion {
    pub index: usize,
    pub material_id: String,
    pub material_name: String,
    pub uses: MaterialUses,
}

#[derive(Default)]
pub struct Dialogs {
    pub remove_material: Option<RemoveMaterialQuestion>,
    pub unsaved: Option<Pending>,
    /// Purpose, the text typed so far, and why the fallback shows (no dialog service).
    pub typed_path: Option<(PathPurpose, String, Option<String>)>,
    /// Whether the open typed-path dialog has had its proposal and the focus.
    typed_path_ready: bool,
    pub disk_conflict: Option<PathBuf>,
    pub autosave: Option<FoundAutosave>,
}

impl Dialogs {
    pub fn ask_unsaved(&mut self, pending: Pending) {
        self.unsaved = Some(pending);
    }

    /// One question at a time in practice; each is its own modal, drawn in this order.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        commands: &mut Vec<Command>,
        path_context: &PathContext,
    ) {
        self.autosave_ui(ctx, commands);
        self.unsaved_ui(ctx, commands);
        self.remove_material_ui(ctx, commands);
        self.disk_conflict_ui(ctx, commands);
        self.typed_path_ui(ctx, commands, path_context);
    }

    /// "Restore unsaved work?" after a session that ended with edits.
    fn autosave_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(found) = &self.autosave {
            let when = found
                .saved_at
                .and_then(|t| t.elapsed().ok())
                .map_or_else(String::new, |age| {
                    format!(" ({} minutes ago)", age.as_secs() / 60)
                });
            let origin = found.origin.as_ref().map_or_else(
                || "a project never saved".to_owned(),
                |p| p.display().to_string(),
            );
            egui::Modal::new(egui::Id::unique("autosave_modal")).show(ctx, |ui| {
                ui.heading("Restore unsaved work?");
                ui.label(format!(
                    "The last session ended with unsaved edits to {origin}{when}. They were kept in an autosave."
                ));
                ui.horizontal(|ui| {
                    if ui.button("Restore unsaved work").clicked() {
                        commands.push(Command::RestoreAutosave);
                    }
                    if ui.button("Discard it").clicked() {
                        commands.push(Command::DiscardAutosave);
                    }
                });
            });
        }
    }

    /// "Save your edits before …?"
    fn unsaved_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(pending) = self.unsaved.clone() {
            let what = match pending {
                Pending::New(_) => "starting a new project",
                Pending::Open(_) | Pending::AskOpen => "opening another project",
                Pending::Close => "closing",
            };
            let response = egui::Modal::new(egui::Id::unique("unsaved_modal")).show(ctx, |ui| {
                ui.heading("Unsaved edits");
                ui.label(format!("Save your edits before {what}?"));
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        commands.push(Command::AnswerUnsaved { save: true });
                    }
                    if ui.button("Discard edits").clicked() {
                        commands.push(Command::AnswerUnsaved { save: false });
                    }
                    if ui.button("Cancel").clicked() {
                        self.unsaved = None;
                    }
                });
            });
            if response.should_close() {
                self.unsaved = None;
            }
        }
    }

    /// "Remove this material and its uses?"
    fn remove_material_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(question) = &self.remove_material {
            let mut answer = None;
            let response =
                egui::Modal::new(egui::Id::unique("remove_material_modal")).show(ctx, |ui| {
                    ui.heading(format!("Remove {}?", question.material_name));
                    ui.label("It is used by:");
                    for product in &question.uses.products {
                        ui.label(format!("• product {product} (its bill of materials)"));
                    }
                    for (event, alone) in &question.uses.events {
                        let fate = if *alone {
                            "hits this material alone: removed with it"
                        } else {
                            "no longer lists it"
                        };
                        ui.label(format!("• {event} ({fate})"));
                    }
                    ui.label(
                        "Removing the material removes these references with it. \
                         Undo brings everything back.",
                    );
                    ui.horizontal(|ui| {
                        if ui.button("Remove material and its uses").clicked()
                            || ui.input(|i| i.key_pressed(egui::Key::Enter))
                        {
                            answer = Some(true);
                        }
                        if ui.button("Cancel").clicked() {
                            answer = Some(false);
                        }
                    });
                });
            if answer == Some(true) {
                let (index, material_id) = (question.index, question.material_id.clone());
                commands.push(Command::Edit(Edit::new("remove material", move |p| {
                    remove_material_and_its_uses(p, index, &material_id)
                })));
            }
            // Escape or a click outside cancels.
            if answer.is_some() || response.should_close() {
                self.remove_material = None;
            }
        }
    }

    /// "The file changed on disk": overwrite, save as another file or cancel.
    fn disk_conflict_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(path) = self.disk_conflict.clone() {
            let response = egui::Modal::new(egui::Id::unique("conflict_modal")).show(ctx, |ui| {
                ui.heading("The file changed on disk");
                ui.label(format!(
                    "{} was changed by someone or something else since you opened it. Saving would overwrite those changes.",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Overwrite").clicked() {
                        commands.push(Command::SaveOverwritingDiskChanges(path.clone()));
                        self.disk_conflict = None;
                    }
                    if ui.button("Save as another file").clicked() {
                        commands.push(Command::AskPath(PathPurpose::SaveAs));
                        self.disk_conflict = None;
                    }
                    if ui.button("Cancel").clicked() {
                        self.disk_conflict = None;
                    }
                });
            });
            if response.should_close() {
                self.disk_conflict = None;
            }
        }
    }

    /// The typed path, when there is no file dialog (or the user prefers typing).
    fn typed_path_ui(
        &mut self,
        ctx: &egui::Context,
        commands: &mut Vec<Command>,
        path_context: &PathContext,
    ) {
        let Some((purpose, text, reason)) = &mut self.typed_path else {
            self.typed_path_ready = false;
            return;
        };
        let purpose = *purpose;
        let first_frame = !self.typed_path_ready;
        if first_frame && text.is_empty() {
            *text = proposed_path(purpose, path_context);
        }
        self.typed_path_ready = true;
        let title = match purpose {
            PathPurpose::Open => "Open a project",
            PathPurpose::SaveAs => "Save the project as",
            PathPurpose::ExportReport => "Export a report (.pdf, .html, .xlsx, .csv, .md)",
            PathPurpose::ExportChart => "Export the chart (.svg, .png)",
            PathPurpose::Compare => "Compare with another version of the plan",
        };
        let mut done: Option<bool> = None;
        let modal = egui::Modal::new(egui::Id::unique("path_modal")).show(ctx, |ui| {
            ui.heading(title);
            if let Some(reason) = reason {
                ui.label(RichText::new(reason.as_str()).color(ui.visuals().warn_fg_color));
            }
            let label = ui.label("File path");
            let response = ui
                .add(egui::TextEdit::singleline(text).desired_width(420.0))
                .labelled_by(label.id);
            // Ready to type: the field takes the focus when the dialog opens, even
            // from a field that had it before.
            if first_frame {
                response.request_focus();
            }
            ui.label(
                RichText::new(format!(
                    "Without an extension, .{} is added. Enter confirms, Escape cancels.",
                    default_extension(purpose)
                ))
                .small(),
            );
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    done = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    done = Some(false);
                }
            });
        });
        if modal.should_close() {
            done = Some(false);
        }
        match done {
            Some(true) if !text.trim().is_empty() => {
                let path = with_default_extension(PathBuf::from(expand_home(text.trim())), purpose);
                commands.push(match purpose {
                    PathPurpose::Open => Command::Open(path),
                    PathPurpose::SaveAs => Command::SaveAs(path),
                    PathPurpose::ExportReport => {
                        Command::Export(path, super::state::ExportWhat::Report)
                    }
                    PathPurpose::ExportChart => {
                        Command::Export(path, super::state::ExportWhat::Chart)
                    }
                    PathPurpose::Compare => Command::CompareWith(Some(path)),
                });
                self.typed_path = None;
            }
            Some(false) => self.typed_path = None,
            _ => {}
        }
    }
}

/// What the typed-path dialog needs to propose a folder and a file name.
pub struct PathContext<'a> {
    /// Where the document was opened from or last saved.
    pub document_path: Option<&'a Path>,
    pub project_name: &'a str,
    /// Most recent first.
    pub recent_files: &'a [PathBuf],
    /// The user's home folder, the last resort.
    pub home: Option<PathBuf>,
}

/// The extension a typed path without one gets.
pub fn default_extension(purpose: PathPurpose) -> &'static str {
    match purpose {
        PathPurpose::Open | PathPurpose::SaveAs | PathPurpose::Compare => "ron",
        PathPurpose::ExportReport => "pdf",
        PathPurpose::ExportChart => "svg",
    }
}

/// `plan` → `plan.ron` (or `.pdf`, `.svg` for exports); a path with an extension is kept.
pub fn with_default_extension(path: PathBuf, purpose: PathPurpose) -> PathBuf {
    if path.extension().is_some() || path.as_os_str().is_empty() {
        path
    } else {
        path.with_extension(default_extension(purpose))
    }
}

/// What the typed-path dialog proposes: the document's folder (else the most recent
/// file's, else home) and, to save or export, a file named after the document (or
/// the project); to open, the folder alone.
pub fn proposed_path(purpose: PathPurpose, context: &PathContext) -> String {
    let folder_of = |path: &Path| {
        path.parent()
            .filter(|folder| !folder.as_os_str().is_empty())
            .map(Path::to_path_buf)
    };
    let folder = context
        .document_path
        .and_then(folder_of)
        .or_else(|| context.recent_files.first().and_then(|p| folder_of(p)))
        .or_else(|| context.home.clone());
    let stem = context
        .document_path
        .and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name_as_file_stem(context.project_name));
    let name = match purpose {
        PathPurpose::Open | PathPurpose::Compare => String::new(),
        _ => format!("{stem}.{}", default_extension(purpose)),
    };
    match folder {
        Some(folder) => format!("{}{}{name}", folder.display(), std::path::MAIN_SEPARATOR),
        None => name,
    }
}

/// A project name as a file name: lower case, anything but letters, digits and
/// dashes turned into dashes (the native save dialog proposes the same name).
pub(super) fn name_as_file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "project".to_owned()
    } else {
        stem.to_owned()
    }
}

fn expand_home(text: &str) -> String {
    match (text.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => text.to_owned(),
    }
}

/// The notices above the view: errors in red, information plain, each dismissable.
pub fn notices_banner(ui: &mut Ui, notices: &mut Vec<Notice>) {
    if notices.is_empty() {
        return;
    }
    let mut dismiss = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        for (i, notice) in notices.iter().enumerate().rev().take(6) {
            ui.horizontal(|ui| {
                if ui
                    .small_button("x")
                    .on_hover_text("Dismiss this message")
                    .clicked()
                {
                    dismiss = Some(i);
                }
                let mut text = RichText::new(&notice.text);
                if notice.is_error {
                    text = text.color(ui.visuals().error_fg_color);
                }
                // Wrapped: a long notice (the saved figures naming every material)
                // must not widen the page past the window's edge.
                ui.add(egui::Label::new(text).wrap());
            });
        }
        if notices.len() > 1 && ui.small_button("Dismiss all").clicked() {
            dismiss = Some(usize::MAX);
        }
    });
    match dismiss {
        Some(usize::MAX) => notices.clear(),
        Some(i) if i < notices.len() => {
            notices.remove(i);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::{MAIN_SEPARATOR, Path, PathBuf};

    use super::{PathContext, proposed_path, with_default_extension};
    use crate::app::state::PathPurpose;

    fn context<'a>(document: Option<&'a Path>, recent: &'a [PathBuf]) -> PathContext<'a> {
        PathContext {
            document_path: document,
            project_name: "Magnet plant (2027)",
            recent_files: recent,
            home: Some(PathBuf::from("/home/buyer")),
        }
    }

    #[test]
    fn the_dialog_proposes_the_documents_folder_and_a_name_after_it() {
        let document = PathBuf::from("/plans/ndpr.ron");
        let with_document = context(Some(&document), &[]);
        let sep = MAIN_SEPARATOR;
        assert_eq!(
            proposed_path(PathPurpose::ExportReport, &with_document),
            format!("/plans{sep}ndpr.pdf")
        );
        assert_eq!(
            proposed_path(PathPurpose::SaveAs, &with_document),
            format!("/plans{sep}ndpr.ron")
        );
        assert_eq!(
            proposed_path(PathPurpose::Open, &with_document),
            format!("/plans{sep}")
        );
        let recent = [PathBuf::from("/shared/q3.ron")];
        assert_eq!(
            proposed_path(PathPurpose::ExportChart, &context(None, &recent)),
            format!("/shared{sep}magnet-plant--2027.svg")
        );
        assert_eq!(
            proposed_path(PathPurpose::SaveAs, &context(None, &[])),
            format!("/home/buyer{sep}magnet-plant--2027.ron")
        );
    }

    #[test]
    fn a_typed_path_without_extension_gets_the_purposes_own() {
        for (purpose, typed, expected) in [
            (PathPurpose::SaveAs, "plan", "plan.ron"),
            (PathPurpose::Open, "/a/plan", "/a/plan.ron"),
            (PathPurpose::ExportReport, "report", "report.pdf"),
            (PathPurpose::ExportReport, "report.xlsx", "report.xlsx"),
            (PathPurpose::ExportChart, "chart", "chart.svg"),
            (PathPurpose::ExportChart, "chart.png", "chart.png"),
        ] {
            assert_eq!(
                with_default_extension(PathBuf::from(typed), purpose),
                PathBuf::from(expected)
            );
        }
    }
}
