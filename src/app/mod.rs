//! The desktop app (issue 4): a document app around one project, with live
//! recomputation in the background.
//!
//! Layers: [`state`] holds the document (project, path, dirty flag, undo) and the
//! [`Command`]s that change it; [`prefs`] what is remembered between sessions and
//! the autosave; [`worker`] the background run. The panels (`overview`, `material`,
//! `product`, `scenario`, `settings`, `menu`, `navigation`, `status_bar`, `dialogs`)
//! each draw one part of the window and push commands; [`StockpileApp::ui_root`]
//! applies them once per frame.

mod budget;
mod charts;
mod command;
mod compare;
pub mod dialogs;
mod drivers;
mod explain;
mod files;
mod help;
mod material;
mod menu;
mod navigation;
mod overview;
pub mod prefs;
mod product;
mod qualify;
mod saved_check;
mod scenario;
mod settings;
pub mod state;
mod status_bar;
mod tasks;
mod widgets;
pub mod worker;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub use prefs::{AppDirs, Prefs};
pub use state::{Command, Document, Edit, ExportWhat, PathPurpose, Selection};

use crate::engine::saved;
use crate::presets;
use crate::project::Project;
use crate::project::limits::MAX_REPORTED_ERRORS;

/// How often unsaved work is written to the autosave file.
const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

/// A message shown in the banner above the views until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// The whole app: document, preferences, background work and the panels' own UI state.
pub struct StockpileApp {
    pub document: Document,
    pub prefs: Prefs,
    pub dirs: AppDirs,
    pub worker: worker::Worker,
    pub notices: Vec<Notice>,
    pub selection: Selection,
    /// Which scenarios the charts show (by index); UI state, not part of the file.
    pub shown_scenarios: Vec<bool>,
    catalogue: Option<Project>,
    commands: Vec<Command>,
    overview: overview::OverviewPanel,
    material: material::MaterialPanel,
    product: product::ProductPanel,
    scenario: scenario::ScenarioPanel,
    settings: settings::SettingsPanel,
    menu: menu::MenuPanel,
    navigation: navigation::NavigationPanel,
    budget: budget::BudgetPanel,
    compare: compare::ComparePanel,
    /// Reports and charts being written in the background; each ends in a notice.
    exports: Vec<tasks::Task<PathBuf>>,
    /// The project being written to its file in the background.
    saving: Option<files::Saving>,
    /// The user asked to close while a file was being written: close once it is.
    close_when_written: bool,
    status_bar: status_bar::StatusBar,
    pub dialogs: dialogs::Dialogs,
    last_autosave: Instant,
    /// [`AUTOSAVE_EVERY`], shorter in tests.
    autosave_every: Duration,
    autosaved_generation: Option<u64>,
    /// The periodic autosave being written on its own thread, so a slow disk never
    /// stalls a frame. Every other autosave write or removal waits for it first
    /// ([`Self::settle_autosave`]), so an older copy can never overtake them.
    autosave_writing: Option<std::thread::JoinHandle<Result<(), prefs::AutosaveError>>>,
    shown_title: String,
    applied_theme: Option<bool>,
    /// Set when the user confirmed closing with unsaved edits.
    allow_close: bool,
    /// Close the window at the end of this frame.
    close_now: bool,
    help: help::HelpWindow,
    /// A save waiting for the figures of the document it saves (see `save_with_figures`),
    /// and that document's id.
    held_save: Option<(Command, u64)>,
    /// Whether this app drives a real window (eframe) rather than a test harness.
    native: bool,
}

impl StockpileApp {
    /// An app on `project` that remembers nothing (tests). Its worker still runs.
    pub fn new_for_tests(project: Project) -> Self {
        Self::new(project, None, AppDirs::none(), Prefs::default())
    }

    /// An app on `project` with its settings and autosave under `dirs` (tests with files).
    pub fn new_for_tests_with_dirs(project: Project, dirs: AppDirs) -> Self {
        let (prefs, _) = Prefs::load(&dirs);
        Self::new(project, None, dirs, prefs)
    }

    pub fn new(project: Project, path: Option<PathBuf>, dirs: AppDirs, prefs: Prefs) -> Self {
        let catalogue = presets::catalogue().ok().map(|loaded| loaded.project);
        let scenario_count = project.scenarios.len();
        let mut app = Self {
            document: Document::new(project, path),
            prefs,
            dirs,
            worker: worker::Worker::default(),
            notices: Vec::new(),
            selection: Selection::Overview,
            shown_scenarios: vec![true; scenario_count],
            catalogue,
            commands: Vec::new(),
            overview: overview::OverviewPanel,
            material: material::MaterialPanel::default(),
            product: product::ProductPanel,
            scenario: scenario::ScenarioPanel::default(),
            settings: settings::SettingsPanel,
            menu: menu::MenuPanel::default(),
            navigation: navigation::NavigationPanel,
            budget: budget::BudgetPanel::default(),
            compare: compare::ComparePanel::default(),
            exports: Vec::new(),
            saving: None,
            close_when_written: false,
            status_bar: status_bar::StatusBar,
            dialogs: dialogs::Dialogs::default(),
            last_autosave: Instant::now(),
            autosave_every: AUTOSAVE_EVERY,
            autosaved_generation: None,
            autosave_writing: None,
            shown_title: String::new(),
            applied_theme: None,
            allow_close: false,
            close_now: false,
            help: help::HelpWindow::default(),
            held_save: None,
            native: false,
        };
        app.request_run(true);
        app
    }

    /// The app as it starts: `file`, else the last project, else the example; offers an autosave.
    pub fn at_start(file: Option<PathBuf>, dirs: AppDirs) -> Self {
        let (mut prefs, prefs_problem) = Prefs::load(&dirs);
        let mut notices = Vec::new();
        if let Some(problem) = prefs_problem {
            notices.push(Notice {
                text: problem,
                is_error: true,
            });
        }
        let wanted = file.clone().or_else(|| prefs.last_file.clone());
        let mut opened: Option<(Project, PathBuf)> = None;
        if let Some(path) = wanted {
            if file.is_none() && !path.exists() {
                notices.push(Notice {
                    text: format!(
                        "the last project, {}, is not there any more; opened the example instead",
                        path.display()
                    ),
                    is_error: true,
                });
                prefs.recent_files.retain(|p| *p != path);
                prefs.last_file = None;
            } else {
                match crate::project::load_file(&path) {
                    Ok(loaded) => {
                        for warning in loaded.warnings.iter().take(MAX_REPORTED_ERRORS) {
                            notices.push(Notice {
                                text: warning.to_string(),
                                is_error: false,
                            });
                        }
                        opened = Some((loaded.project, path));
                    }
                    Err(err) => {
                        // A screenful: a hostile file can hold 150,000 errors.
                        for diagnostic in err.diagnostics.iter().take(MAX_REPORTED_ERRORS) {
                            notices.push(Notice {
                                text: diagnostic.to_string(),
                                is_error: true,
                            });
                        }
                        notices.push(Notice {
                            text:
                                "the file could not be opened; showing the bundled example instead"
                                    .to_owned(),
                            is_error: true,
                        });
                    }
                }
            }
        }
        let (project, path) = match opened {
            Some((project, path)) => {
                prefs.add_recent(&path);
                (project, Some(path))
            }
            None => (example_project(), None),
        };
        let mut app = Self::new(project, path, dirs, prefs);
        app.notices.extend(notices);
        let leftovers = prefs::find_autosave(&app.dirs);
        for problem in leftovers.problems {
            app.notice(problem, true);
        }
        app.dialogs.autosave = leftovers.found;
        app
    }

    /// Queues a command, applied at the end of the next frame (tests use it too).
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Applies queued commands now (tests call it between frames; the app calls it every frame).
    pub fn apply_commands(&mut self, ctx: Option<&egui::Context>) {
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.apply(command, ctx);
        }
    }

    fn request_run(&mut self, immediately: bool) {
        self.shown_scenarios
            .resize(self.document.project.scenarios.len(), true);
        if self.document.validation.is_valid() {
            self.worker.request(self.document.generation, immediately);
        } else {
            self.worker.cancel();
        }
    }

    fn apply(&mut self, command: Command, ctx: Option<&egui::Context>) {
        let generation = self.document.generation;
        match command {
            Command::Edit(edit) => self.document.apply(edit),
            Command::Undo => {
                self.document.undo();
            }
            Command::Redo => {
                self.document.redo();
            }
            Command::Select(selection) => self.selection = selection,
            Command::AskNewProject => self.menu.open_new_menu = true,
            Command::ShowHelp(open) => self.help.open = open,
            Command::ShowScenario { index, shown } => {
                if let Some(slot) = self.shown_scenarios.get_mut(index) {
                    *slot = shown;
                }
            }
            Command::FocusField(path) => {
                self.selection = Selection::holding(&path);
                if let Some(ctx) = ctx {
                    widgets::request_focus(ctx, path);
                }
            }
            Command::SetDarkTheme(dark) => {
                self.prefs.dark_theme = dark;
                self.save_prefs();
            }
            save if self.writes_the_file(&save) => self.save_with_figures(save, ctx),
            other => files::apply_file_command(self, other, ctx),
        }
        if self.document.generation != generation {
            self.clamp_selection();
            self.request_run(false);
        }
    }

    /// Whether `command` writes the project to a file (rather than asking for a path first).
    fn writes_the_file(&self, command: &Command) -> bool {
        match command {
            Command::SaveAs(_) | Command::SaveOverwritingDiskChanges(_) => true,
            Command::Save | Command::AnswerUnsaved { save: true } => self.document.path.is_some(),
            _ => false,
        }
    }

    /// Whether figures for the document as it is now are still to come.
    pub fn figures_coming(&self) -> bool {
        self.figures_are_stale() && self.worker.is_busy()
    }

    /// Whether a save waits for the figures ("Saving when the figures are ready…").
    pub fn save_is_held(&self) -> bool {
        self.held_save.is_some()
    }

    /// Saves with `saved_results` computed from the figures of exactly the document
    /// being saved. While those figures are being computed the save waits for them
    /// (a run takes a second or two, the frame never blocks) rather than writing
    /// the file without them and again later: that second write could meet a file
    /// changed meanwhile by someone else, or an app closed after the first. An edit
    /// made while it waits is saved too (with its figures). When no figures will
    /// come (an invalid project, a failed run) it saves without them.
    ///
    /// A save asked for while another is written waits for it the same way: two
    /// writes of one file at once could finish in either order.
    fn save_with_figures(&mut self, command: Command, ctx: Option<&egui::Context>) {
        if self.figures_coming() || self.saving.is_some() {
            self.held_save = Some((command, self.document.id));
            return;
        }
        let results = self.current_figures().map(|computed| {
            saved::saved_results(
                &self.document.project,
                &computed.recommendation,
                saved::today(),
            )
        });
        self.document.set_saved_results(results);
        files::apply_file_command(self, command, ctx);
    }

    /// Goes on with a held save once its figures arrived (or will not come); drops it
    /// when another document replaced the one it was for.
    fn release_held_save(&mut self) {
        if self
            .held_save
            .as_ref()
            .is_some_and(|(_, id)| *id != self.document.id)
        {
            self.held_save = None;
        } else if !self.figures_coming()
            && self.saving.is_none()
            && let Some((command, _)) = self.held_save.take()
        {
            self.commands.push(command);
        }
    }

    /// Compares a newly opened file's saved figures with this program's once they
    /// are known, and says so when they differ.
    fn check_saved_results(&mut self, ctx: &egui::Context) {
        let generation = self.document.generation;
        let Some(check) = &mut self.document.saved_check else {
            return;
        };
        match check.poll(self.worker.latest.as_ref(), generation, ctx) {
            saved_check::CheckOutcome::Waiting => {}
            saved_check::CheckOutcome::Agrees => self.document.saved_check = None,
            saved_check::CheckOutcome::Differs(warning) => {
                self.document.saved_check = None;
                self.notice(warning, true);
            }
        }
    }

    /// Keeps the selection on an item that exists after removals and undo.
    fn clamp_selection(&mut self) {
        let project = &self.document.project;
        self.selection = match self.selection {
            Selection::Material(i) if i >= project.materials.len() => {
                if project.materials.is_empty() {
                    Selection::Overview
                } else {
                    Selection::Material(project.materials.len() - 1)
                }
            }
            Selection::Product(i) if i >= project.products.len() => Selection::Products,
            Selection::Scenario(i) if i >= project.scenarios.len() => Selection::Scenarios,
            other => other,
        };
    }

    pub(crate) fn save_prefs(&mut self) {
        if let Err(err) = self.prefs.save(&self.dirs) {
            self.notice(err.to_string(), true);
        }
    }

    pub(crate) fn notice(&mut self, text: impl Into<String>, is_error: bool) {
        let text = text.into();
        if !self.notices.iter().any(|n| n.text == text) {
            self.notices.push(Notice { text, is_error });
        }
    }

    /// Whether the figures on screen belong to an older version of the project.
    pub fn figures_are_stale(&self) -> bool {
        self.worker
            .latest
            .as_ref()
            .is_none_or(|c| c.generation != self.document.generation)
    }

    /// The newest figures if they are current.
    pub fn current_figures(&self) -> Option<&worker::Computed> {
        self.worker
            .latest
            .as_ref()
            .filter(|c| c.generation == self.document.generation)
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        self.commands.extend(command::pressed(ctx));
    }

    /// Draws one frame and applies what the user asked for. Used by eframe and by the tests.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_theme(&ctx);
        self.shortcuts(&ctx);
        self.poll_worker(&ctx);
        // No frames on a timer while the worker is busy: it asks for the frames it
        // needs (the end of the debounce, its progress, its result), and every extra
        // frame takes processor time from the run (see `worker::PROGRESS_REPAINT_EVERY`).
        self.check_saved_results(&ctx);
        self.poll_writes(&ctx);
        self.release_held_save();
        let mut commands = std::mem::take(&mut self.commands);
        self.panels(ui, &mut commands);
        let home = directories::UserDirs::new()
            .map(|dirs| dirs.document_dir().unwrap_or(dirs.home_dir()).to_path_buf());
        let path_context = dialogs::PathContext {
            document_path: self.document.path.as_deref(),
            project_name: &self.document.project.name,
            recent_files: &self.prefs.recent_files,
            home,
        };
        self.dialogs.ui(&ctx, &mut commands, &path_context);
        self.help.ui(&ctx, &mut commands);
        self.commands.extend(commands);
        self.apply_commands(Some(&ctx));
        // Starts the run an edit of this frame asks for now, rather than in a frame
        // drawn only for that: a frame costs as much processor time as the run.
        self.poll_worker(&ctx);
        self.autosave_tick();
        self.update_title(&ctx);
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme == Some(self.prefs.dark_theme) {
            return;
        }
        ctx.set_theme(if self.prefs.dark_theme {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.applied_theme = Some(self.prefs.dark_theme);
        // A blinking cursor draws two frames a second while a field has focus,
        // and a software renderer spends about 100 ms of processor time on each:
        // a fifth of two cores while idle, and taken from the run after an edit.
        ctx.all_styles_mut(|style| style.visuals.text_cursor.blink = false);
    }

    /// Takes the worker's finished run and starts a due one.
    fn poll_worker(&mut self, ctx: &egui::Context) {
        let warnings = self.document.validation.warnings().count();
        self.worker.poll(
            &self.document.project,
            self.document.generation,
            warnings,
            ctx,
        );
    }

    /// The menu bar, the status bar, the navigation tree and the selected panel;
    /// what the user asks for goes into `commands`.
    fn panels(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let stale = self.figures_are_stale();
        let mut env = widgets::Env {
            project: &self.document.project,
            validation: &self.document.validation,
            computed: self.worker.latest.as_ref(),
            stale,
            shown_scenarios: &self.shown_scenarios,
            commands,
            catalogue: self.catalogue.as_ref(),
            // A save waiting for another to finish: that one's spinner says so.
            save_is_held: self.held_save.is_some() && self.saving.is_none(),
            ask_remove_material: &mut self.dialogs.remove_material,
        };
        egui::Panel::top("menu_bar").show(ui, |ui| {
            self.menu.ui(
                &mut env,
                ui,
                &menu::MenuState {
                    can_undo: self.document.can_undo(),
                    can_redo: self.document.can_redo(),
                    recent: &self.prefs.recent_files,
                    dark: self.prefs.dark_theme,
                    selection: self.selection,
                },
            );
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                self.status_bar
                    .ui(&mut env, ui, &self.worker, &self.document);
                let saving = self.saving.as_ref().map(files::Saving::what);
                let exporting = self.exports.iter().map(|export| export.what.as_str());
                for what in saving.into_iter().chain(exporting) {
                    ui.separator();
                    ui.spinner();
                    ui.label(format!("{what}…"));
                }
            });
        });
        egui::Panel::left("navigation")
            .resizable(true)
            .default_size(200.0)
            .show(ui, |ui| {
                self.navigation.ui(&mut env, ui, self.selection);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            dialogs::notices_banner(ui, &mut self.notices);
            // Never while the project has errors: the figures wait for a fix, and
            // the field that must be fixed is among what the dimming would grey.
            if stale && env.computed.is_some() && env.validation.is_valid() {
                ui.multiply_opacity(0.45);
            }
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| match self.selection {
                    Selection::Overview => self.overview.ui(&mut env, ui),
                    Selection::Material(i) => {
                        self.material.ui(&mut env, ui, i, self.document.generation)
                    }
                    Selection::Products => self.product.ui_all(&mut env, ui),
                    Selection::Product(i) => self.product.ui(&mut env, ui, i),
                    Selection::Scenarios => self.scenario.ui_all(&mut env, ui),
                    Selection::Scenario(i) => self.scenario.ui(&mut env, ui, i),
                    Selection::Settings => self.settings.ui(&mut env, ui),
                    Selection::Budget => self.budget.ui(&mut env, ui),
                    Selection::Compare => self.compare.ui(
                        ui,
                        env.project,
                        self.document.generation,
                        env.validation.is_valid(),
                    ),
                });
        });
    }

    /// Takes finished saves and exports; keeps the frames coming while one runs, and
    /// closes once the last is written if the user asked to close meanwhile.
    fn poll_writes(&mut self, ctx: &egui::Context) {
        files::poll_save(self);
        let mut finished = Vec::new();
        self.exports.retain(|task| match task.poll() {
            Some(answer) => {
                finished.push(answer);
                false
            }
            None => true,
        });
        for answer in finished {
            files::exported(self, answer);
        }
        if self.is_writing() {
            ctx.request_repaint_after(Duration::from_millis(100));
        } else if std::mem::take(&mut self.close_when_written) {
            self.commands.push(Command::Close);
        }
    }

    /// Whether a report or chart is still being written.
    pub fn is_exporting(&self) -> bool {
        !self.exports.is_empty()
    }

    /// Closes the window once the files being written are whole (see `poll_writes`).
    pub(crate) fn close_once_written(&mut self) {
        self.close_when_written = true;
        self.notice(
            "the window closes once the file being written is complete",
            false,
        );
    }

    /// Whether the project is being written to its file.
    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    /// Whether any file (the project, a report, a chart) is still being written.
    pub fn is_writing(&self) -> bool {
        self.is_saving() || self.is_exporting()
    }

    fn autosave_tick(&mut self) {
        if self
            .autosave_writing
            .as_ref()
            .is_some_and(|writing| !writing.is_finished())
        {
            return; // one write at a time; a later tick writes what changed meanwhile
        }
        self.settle_autosave();
        if !self.document.is_dirty() || self.last_autosave.elapsed() < self.autosave_every {
            return;
        }
        if self.autosaved_generation == Some(self.document.generation) {
            return;
        }
        self.last_autosave = Instant::now();
        self.autosaved_generation = Some(self.document.generation);
        let prepared = match prefs::PreparedAutosave::of(&self.dirs, &self.document) {
            Ok(Some(prepared)) => prepared,
            Ok(None) => return,
            Err(err) => return self.notice(err.to_string(), true),
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("stockpile-autosave".to_owned())
            // The copy comes over a channel, so it stays here if no thread starts.
            .spawn(move || {
                receiver
                    .recv()
                    .map_or(Ok(()), prefs::PreparedAutosave::write)
            });
        match spawned {
            Ok(handle) => {
                // The thread owns the copy from here; it cannot fail to receive it.
                let _ = sender.send(prepared);
                self.autosave_writing = Some(handle);
            }
            // No thread to spare: write it here rather than not at all.
            Err(_) => {
                if let Err(err) = prepared.write() {
                    self.notice(err.to_string(), true);
                }
            }
        }
    }

    /// How often unsaved work goes to the autosave (tests shorten it; the app uses
    /// [`AUTOSAVE_EVERY`]).
    pub fn set_autosave_every(&mut self, every: Duration) {
        self.autosave_every = every;
    }

    /// Waits for the autosave being written in the background and reports its failure.
    pub(crate) fn settle_autosave(&mut self) {
        let Some(writing) = self.autosave_writing.take() else {
            return;
        };
        match writing.join() {
            Ok(Ok(())) => {}
            Ok(Err(err)) => self.notice(err.to_string(), true),
            Err(_) => self.notice("the autosave stopped without writing", true),
        }
    }

    /// Removes this app's autosave once the one being written has landed.
    pub(crate) fn remove_autosave(&mut self) {
        self.settle_autosave();
        prefs::remove_autosave(&self.dirs);
    }

    /// Writes the autosave now (tests, and before risky operations).
    pub fn autosave_now(&mut self) -> Result<(), prefs::AutosaveError> {
        self.settle_autosave();
        self.autosaved_generation = Some(self.document.generation);
        prefs::write_autosave(&self.dirs, &self.document)
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.document.title();
        if title != self.shown_title {
            if self.native {
                ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            }
            self.shown_title = title;
        }
    }

    /// The title the window shows (with the dirty marker).
    pub fn title(&self) -> String {
        self.document.title()
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) {
            if self.is_writing() {
                // Closing would cut the file off half-written: close once it is whole.
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.close_once_written();
            } else if self.document.is_dirty() && !self.allow_close {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.dialogs.ask_unsaved(dialogs::Pending::Close);
            } else {
                self.on_clean_exit(ctx);
            }
        }
    }

    fn on_clean_exit(&mut self, ctx: &egui::Context) {
        if !self.document.is_dirty() {
            self.remove_autosave();
        }
        if let Some(rect) = ctx.input(|i| i.viewport().inner_rect) {
            self.prefs.window_size = Some([rect.width(), rect.height()]);
        }
        self.save_prefs();
    }
}

fn example_project() -> Project {
    match presets::example().load() {
        Ok(loaded) => loaded.project,
        // The bundled example is tested to load; fall back to the reference plant if it ever does not.
        Err(_) => crate::reference::reference_plant(),
    }
}

impl eframe::App for StockpileApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.handle_close_request(&ctx);
        self.ui_root(ui);
        if self.close_now {
            self.close_now = false;
            self.allow_close = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn persist_egui_memory(&self) -> bool {
        false
    }
}

/// Opens the app on `file`, on the last project, or on the bundled example.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let dirs = AppDirs::from_os();
    let mut app = StockpileApp::at_start(file, dirs);
    app.native = true;
    let size = app.prefs.window_size.unwrap_or([1280.0, 820.0]);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(app.title())
            .with_inner_size(size)
            .with_min_inner_size([720.0, 480.0]),
        persist_window: false,
        ..Default::default()
    };
    match eframe::run_native(
        "stockpile-planner",
        options,
        Box::new(move |_creation| Ok(Box::new(app))),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("the window could not be opened: {err}");
            ExitCode::from(1)
        }
    }
}
