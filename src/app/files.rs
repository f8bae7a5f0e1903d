//! File commands: new, open, save, save as, export, autosave restore, close.
//! Opening or replacing over unsaved edits asks first; saving over a file that
//! changed on disk since it was opened asks first. Saves and exports are written
//! on background threads: the frame never waits for the disk.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::dialogs::{Pending, name_as_file_stem};
use super::state::{Command, DiskStamp, Document, ExportWhat, PathPurpose, Selection};
use super::tasks::{Task, TaskError};
use super::{StockpileApp, prefs};
use crate::export::{ChartSelection, check_not_input, write_chart_file, write_report_file};
use crate::presets;
use crate::project::limits::MAX_REPORTED_ERRORS;
use crate::project::{Project, SaveError};

/// The project being written to its file in the background.
pub struct Saving {
    task: Task<Written>,
    /// The document written (a save finishing after another document replaced it
    /// changes nothing), and the project exactly as written: the document is clean
    /// afterwards only if it still has the same inputs (an edit made meanwhile keeps
    /// it dirty).
    document_id: u64,
    written: Project,
    path: PathBuf,
    /// What the unsaved-changes question waits for: done once the save succeeded.
    then: Option<Pending>,
}

impl Saving {
    /// What the status bar says while it runs ("saving plan.ron").
    pub fn what(&self) -> &str {
        &self.task.what
    }
}

/// A file the save wrote, with its stamp read back for the next conflict check.
struct Written {
    stamp: Option<DiskStamp>,
}

/// The save's work, on whatever thread runs it: the atomic write, then the stamp.
fn write_project(project: &Project, path: &Path) -> Result<Written, SaveError> {
    crate::project::save_file(project, path)?;
    Ok(Written {
        stamp: DiskStamp::of(path),
    })
}

/// The file's name for a progress line, or the whole path when it has none.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

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
            Some(path) => save_checked(app, path, ctx),
            None => ask_path(app, PathPurpose::SaveAs),
        },
        Command::SaveAs(path) => save_checked(app, path, ctx),
        Command::SaveOverwritingDiskChanges(path) => save(app, &path, None, ctx),
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
            if app.is_writing() {
                // Asked again once the file is written: by then the document may be
                // clean (nothing to ask) or the save may have failed (ask).
                app.close_once_written();
            } else if app.document.is_dirty() {
                app.dialogs.ask_unsaved(Pending::Close);
            } else {
                app.close_now = true;
            }
        }
        Command::CloseDiscarding => {
            app.remove_autosave();
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
                        // What was asked goes on once the file is written, not before.
                        save(app, &path, Some(pending), ctx);
                        return;
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
    app.settle_autosave();
    match prefs::write_autosave(&app.dirs, &app.document) {
        Ok(()) => prefs::remove_found(&found),
        Err(err) => app.notice(err.to_string(), true),
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
            app.remove_autosave();
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
    app.remove_autosave();
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

fn save_checked(app: &mut StockpileApp, path: PathBuf, ctx: Option<&egui::Context>) {
    if app.document.changed_on_disk(&path) {
        app.dialogs.disk_conflict = Some(path);
    } else {
        save(app, &path, None, ctx);
    }
}

/// Writes the project to `path`, then does `then`. With a window it writes on a
/// background thread and the status bar shows it until it is done; without one
/// (tests) it writes at once. The caller makes sure no other save runs (a second
/// save waits in `StockpileApp::save_with_figures`).
fn save(app: &mut StockpileApp, path: &Path, then: Option<Pending>, ctx: Option<&egui::Context>) {
    let written = app.document.project.clone();
    let document_id = app.document.id;
    let Some(ctx) = ctx else {
        let outcome = write_project(&written, path).map_err(TaskError::from);
        finish_save(app, document_id, written, path.to_path_buf(), then, outcome);
        return;
    };
    let (project, target) = (written.clone(), path.to_path_buf());
    let what = format!("saving {}", file_name(path));
    match Task::start(what, ctx, move |_control| write_project(&project, &target)) {
        Ok(task) => {
            app.saving = Some(Saving {
                task,
                document_id,
                written,
                path: path.to_path_buf(),
                then,
            });
        }
        Err(err) => app.notice(format!("{err}; your work is kept in memory"), true),
    }
}

/// Takes a finished background save, if there is one.
pub fn poll_save(app: &mut StockpileApp) {
    let Some(answer) = app.saving.as_ref().and_then(|saving| saving.task.poll()) else {
        return;
    };
    if let Some(saving) = app.saving.take() {
        finish_save(
            app,
            saving.document_id,
            saving.written,
            saving.path,
            saving.then,
            answer,
        );
    }
}

/// Records how a save went. The document counts as saved only if the write worked
/// and it is still the document that was written; a failure keeps the work in
/// memory and drops what waited for the save (closing, opening another file).
fn finish_save(
    app: &mut StockpileApp,
    document_id: u64,
    written: Project,
    path: PathBuf,
    then: Option<Pending>,
    outcome: Result<Written, TaskError>,
) {
    let written_file = match outcome {
        Ok(file) => file,
        Err(err) => {
            app.notice(format!("{err}; your work is kept in memory"), true);
            return;
        }
    };
    app.prefs.add_recent(&path);
    app.save_prefs();
    app.notice(format!("saved {}", path.display()), false);
    if app.document.id != document_id {
        return;
    }
    app.document.saved_to(path, written, written_file.stamp);
    if !app.document.is_dirty() {
        app.remove_autosave();
    }
    match then {
        // An edit made while the file was written: ask again rather than lose it.
        Some(pending) if app.document.is_dirty() => app.dialogs.ask_unsaved(pending),
        Some(pending) => perform_pending(app, pending),
        None => {}
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
        written.map(|()| target)
    };
    let Some(ctx) = ctx else {
        let outcome = write().map_err(TaskError::from);
        exported(app, outcome);
        return;
    };
    let what = format!("exporting {}", file_name(path));
    match Task::start(what, ctx, move |_control| write()) {
        Ok(task) => app.exports.push(task),
        Err(err) => app.notice(err.to_string(), true),
    }
}

/// Says how an export went.
pub fn exported(app: &mut StockpileApp, outcome: Result<PathBuf, TaskError>) {
    match outcome {
        Ok(path) => app.notice(format!("exported {}", path.display()), false),
        Err(err) => app.notice(format!("export failed: {err}"), true),
    }
}
