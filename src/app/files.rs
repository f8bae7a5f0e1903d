//! File commands: new, open, save, save as, export, autosave restore, close.
//! Opening or replacing over unsaved edits asks first; saving over a file that
//! changed on disk since it was opened asks first.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::dialogs::{Pending, name_as_file_stem};
use super::state::{Command, Document, ExportWhat, PathPurpose, Selection};
use super::tasks::Task;
use super::{StockpileApp, prefs};
use crate::export::{ChartSelection, check_not_input, write_chart_file, write_report_file};
use crate::presets;
use crate::project::limits::MAX_REPORTED_ERRORS;

pub fn apply_file_command(app: &mut StockpileApp, command: Command, ctx: Option<&egui::Context>) {
    match command {
        Command::NewFromPreset(index) => {
            if app.document.is_dirty() {
                app.dialogs.ask_unsaved(Pending::New(index));
            } else {
                new_from_preset(app, index);
            }
        }
        Command::Open(path) => {
            if app.document.is_dirty() {
                app.dialogs.ask_unsaved(Pending::Open(path));
            } else {
                open(app, &path);
            }
        }
        Command::Save => match app.document.path.clone() {
            Some(path) => save_checked(app, path),
            None => ask_path(app, PathPurpose::SaveAs),
        },
        Command::SaveAs(path) => save_checked(app, path),
        Command::SaveOverwritingDiskChanges(path) => {
            save(app, &path);
        }
        Command::AskPath(purpose) => {
            if purpose == PathPurpose::Open && app.document.is_dirty() {
                app.dialogs.ask_unsaved(Pending::AskOpen);
            } else {
                ask_path(app, purpose);
            }
        }
        Command::Export(path, what) => export(app, &path, what, ctx),
        Command::RestoreAutosave => {
            if let Some(found) = app.dialogs.autosave.take() {
                restore_autosave(app, found);
            }
        }
        Command::DiscardAutosave => {
            // The user's word: only now is a left-over autosave deleted.
            if let Some(found) = app.dialogs.autosave.take() {
                prefs::remove_found(&found);
            }
        }
        Command::Close => {
            if app.document.is_dirty() {
                app.dialogs.ask_unsaved(Pending::Close);
            } else {
                app.close_now = true;
            }
        }
        Command::CloseDiscarding => {
            prefs::remove_autosave(&app.dirs);
            app.document.mark_discarded();
            app.close_now = true;
        }
        Command::AnswerUnsaved { save: save_first } => {
            let Some(pending) = app.dialogs.unsaved.take() else {
                return;
            };
            if save_first {
                match app.document.path.clone() {
                    Some(path) => {
                        if !save(app, &path) {
                            return;
                        }
                    }
                    None => {
                        app.notice(
                            "the project has no file yet: use File > Save As first",
                            true,
                        );
                        ask_path(app, PathPurpose::SaveAs);
                        return;
                    }
                }
            } else {
                app.document.mark_discarded();
            }
            perform_pending(app, pending);
        }
        Command::CompareWith(path) => super::compare::compare_with(app, path.as_deref()),
        Command::Edit(_)
        | Command::Undo
        | Command::Redo
        | Command::Select(_)
        | Command::FocusField(_)
        | Command::AskNewProject
        | Command::ShowHelp(_)
        | Command::ShowScenario { .. }
        | Command::SetDarkTheme(_) => {}
    }
    if let Some(ctx) = ctx {
        ctx.request_repaint();
    }
}

/// Makes a left-over autosave the document: unsaved work, tied to its original file
/// by that file's absolute path. Saving asks first if the file changed after the app
/// that autosaved it last read or wrote it. The left-over copy is deleted only once
/// this app's own autosave holds the work.
fn restore_autosave(app: &mut StockpileApp, found: prefs::FoundAutosave) {
    let mut document = Document::new(found.project.clone(), found.origin.clone());
    document.mark_unsaved();
    if let Some(origin) = &found.origin
        && !found.origin_details.unchanged()
    {
        document.disk_stamp = found.origin_details.disk_stamp();
        app.notice(
            format!(
                "{} changed on disk after these edits were autosaved (or is another file now); saving will ask before replacing it",
                origin.display()
            ),
            true,
        );
    }
    app.document = document;
    app.selection = Selection::Overview;
    app.notice(
        "restored the unsaved work from the last session; save it to keep it",
        false,
    );
    match prefs::write_autosave(&app.dirs, &app.document) {
        Ok(()) => prefs::remove_found(&found),
        Err(message) => app.notice(message, true),
    }
    app.request_run(true);
}

/// Goes on with what was asked after the unsaved-changes question was answered.
fn perform_pending(app: &mut StockpileApp, pending: Pending) {
    match pending {
        Pending::New(index) => new_from_preset(app, index),
        Pending::Open(path) => open(app, &path),
        Pending::AskOpen => ask_path(app, PathPurpose::Open),
        Pending::Close => {
            prefs::remove_autosave(&app.dirs);
            app.document.mark_discarded();
            app.close_now = true;
        }
    }
}

fn replace_document(app: &mut StockpileApp, document: Document) {
    app.document = document;
    app.selection = Selection::Overview;
    app.shown_scenarios = vec![true; app.document.project.scenarios.len()];
    app.worker.latest = None;
    prefs::remove_autosave(&app.dirs);
    app.request_run(true);
}

fn new_from_preset(app: &mut StockpileApp, index: usize) {
    let Some(preset) = presets::PRESETS.get(index) else {
        return;
    };
    match preset.load() {
        Ok(loaded) => replace_document(app, Document::new(loaded.project, None)),
        Err(err) => app.notice(format!("the preset could not be loaded: {err}"), true),
    }
}

pub fn open(app: &mut StockpileApp, path: &Path) {
    match crate::project::load_file(path) {
        Ok(loaded) => {
            replace_document(app, Document::new(loaded.project, Some(path.to_path_buf())));
            for warning in loaded.warnings.iter().take(MAX_REPORTED_ERRORS) {
                app.notice(warning.to_string(), false);
            }
            app.prefs.add_recent(path);
            app.save_prefs();
        }
        Err(err) => {
            // A screenful and a count: a file with 150,000 errors must not bury the
            // app in notices (each is compared with the others as it is added).
            for diagnostic in err.diagnostics.iter().take(MAX_REPORTED_ERRORS) {
                app.notice(diagnostic.to_string(), true);
            }
            let rest = err.diagnostics.len().saturating_sub(MAX_REPORTED_ERRORS);
            if rest > 0 {
                app.notice(format!("… and {rest} more errors not shown"), true);
            }
            if !path.exists() {
                app.prefs.recent_files.retain(|p| p != path);
                app.save_prefs();
            }
            app.notice(
                format!(
                    "{} was not opened; the current project stays open",
                    path.display()
                ),
                true,
            );
        }
    }
}

fn save_checked(app: &mut StockpileApp, path: PathBuf) {
    if app.document.changed_on_disk(&path) {
        app.dialogs.disk_conflict = Some(path);
    } else {
        save(app, &path);
    }
}

/// Saves the project to `path`; returns whether it worked.
pub fn save(app: &mut StockpileApp, path: &Path) -> bool {
    match crate::project::save_file(&app.document.project, path) {
        Ok(()) => {
            app.document.saved_to(path.to_path_buf());
            prefs::remove_autosave(&app.dirs);
            app.prefs.add_recent(path);
            app.save_prefs();
            app.notice(format!("saved {}", path.display()), false);
            true
        }
        Err(err) => {
            app.notice(format!("{err}; your work is kept in memory"), true);
            false
        }
    }
}

/// Asks for a path with the native dialog; without one, the typed-path fallback.
fn ask_path(app: &mut StockpileApp, purpose: PathPurpose) {
    if !app.native {
        app.dialogs.typed_path = Some((purpose, String::new(), None));
        return;
    }
    let started = Instant::now();
    let dialog = rfd::FileDialog::new();
    let picked = match purpose {
        PathPurpose::Open => dialog.add_filter("Stockpile project", &["ron"]).pick_file(),
        PathPurpose::SaveAs => dialog
            .add_filter("Stockpile project", &["ron"])
            .set_file_name(format!(
                "{}.ron",
                name_as_file_stem(&app.document.project.name)
            ))
            .save_file(),
        PathPurpose::ExportReport => dialog
            .add_filter("PDF report", &["pdf"])
            .add_filter("HTML report", &["html"])
            .add_filter("Excel workbook", &["xlsx"])
            .add_filter("CSV tables", &["csv"])
            .add_filter("Markdown report", &["md"])
            .set_file_name(format!(
                "{}.pdf",
                name_as_file_stem(&app.document.project.name)
            ))
            .save_file(),
        PathPurpose::ExportChart => dialog
            .add_filter("SVG chart", &["svg"])
            .add_filter("PNG chart", &["png"])
            .set_file_name("chart.svg")
            .save_file(),
        PathPurpose::Compare => dialog.add_filter("Stockpile project", &["ron"]).pick_file(),
    };
    match picked {
        Some(path) => finish_path(app, purpose, path),
        None if started.elapsed() < Duration::from_millis(250) => {
            // rfd returns at once when no dialog service (XDG portal) is there.
            app.dialogs.typed_path = Some((
                purpose,
                String::new(),
                Some(
                    "no file dialog available on this system; type the file's path instead"
                        .to_owned(),
                ),
            ));
        }
        None => {}
    }
}

/// What to do with a path the user picked or typed.
pub fn finish_path(app: &mut StockpileApp, purpose: PathPurpose, path: PathBuf) {
    let command = match purpose {
        PathPurpose::Open => Command::Open(path),
        PathPurpose::SaveAs => Command::SaveAs(path),
        PathPurpose::ExportReport => Command::Export(path, ExportWhat::Report),
        PathPurpose::ExportChart => Command::Export(path, ExportWhat::Chart),
        PathPurpose::Compare => Command::CompareWith(Some(path)),
    };
    app.push(command);
}

/// Writes a report or chart of the current figures. With a window it writes on a
/// background thread (a 20-page PDF takes seconds; the frame never waits for it) and
/// the status bar shows it until it is done; without one (tests) it writes at once.
fn export(app: &mut StockpileApp, path: &Path, what: ExportWhat, ctx: Option<&egui::Context>) {
    let Some(computed) = app.current_figures() else {
        app.notice(
            "nothing exported: the figures are not current (wait for the computation, or fix the project's errors)",
            true,
        );
        return;
    };
    let project = computed.project.clone();
    let recommendation = computed.recommendation.clone();
    if let Some(Err(err)) = app
        .document
        .path
        .as_deref()
        .map(|input| check_not_input(input, path))
    {
        app.notice(format!("nothing exported: {err}"), true);
        return;
    }
    let chart = match what {
        ExportWhat::Report => None,
        ExportWhat::Chart => Some(ChartSelection {
            material: match app.selection {
                Selection::Material(i) => Some(i),
                _ => None,
            },
            scenario: None,
            kind: app.material.chart,
        }),
    };
    let target = path.to_path_buf();
    let write = move || {
        let written = match &chart {
            None => write_report_file(&project, &recommendation, &target),
            Some(selection) => write_chart_file(&project, &recommendation, selection, &target),
        };
        written
            .map(|()| format!("exported {}", target.display()))
            .map_err(|err| format!("export failed: {err}"))
    };
    let Some(ctx) = ctx else {
        match write() {
            Ok(done) => app.notice(done, false),
            Err(failed) => app.notice(failed, true),
        }
        return;
    };
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    match Task::start(format!("exporting {name}"), ctx, move |_control| write()) {
        Ok(task) => app.exports.push(task),
        Err(message) => app.notice(message, true),
    }
}
