//! The document: the project being edited, where it lives on disk, whether it
//! has unsaved edits, and its undo history. Every change goes through a
//! [`Command`], applied once per frame, so the UI never mutates the project
//! directly and tests can drive the app by pushing commands.

use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime};

use super::saved_check::SavedCheck;
use crate::project::{FieldPath, ItemPath, Project, SavedResults, Validation, validate};

/// How many edits undo remembers.
const UNDO_LIMIT: usize = 200;
/// Typing into one field within this long counts as one edit for undo.
const COALESCE_SECONDS: f64 = 1.0;

/// What an edit changes: typing into one field within a second is one undo step;
/// an action (adding, removing, choosing from a list) is always a step of its own.
#[derive(Clone, Debug, PartialEq)]
pub enum EditKey {
    Field(FieldPath),
    Action(String),
}

impl From<FieldPath> for EditKey {
    fn from(path: FieldPath) -> Self {
        EditKey::Field(path)
    }
}

impl From<&str> for EditKey {
    fn from(action: &str) -> Self {
        EditKey::Action(action.to_owned())
    }
}

impl From<String> for EditKey {
    fn from(action: String) -> Self {
        EditKey::Action(action)
    }
}

/// A change to the project: a closure with a key naming what it changes, used to
/// merge keystrokes into one undo step.
pub struct Edit {
    pub key: EditKey,
    pub apply: Box<dyn FnOnce(&mut Project) + Send>,
}

impl Edit {
    pub fn new(key: impl Into<EditKey>, apply: impl FnOnce(&mut Project) + Send + 'static) -> Self {
        Self {
            key: key.into(),
            apply: Box::new(apply),
        }
    }
}

impl fmt::Debug for Edit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Edit({:?})", self.key)
    }
}

/// Everything the user can ask for; the panels push these, the app applies them.
#[derive(Debug)]
pub enum Command {
    Edit(Edit),
    Undo,
    Redo,
    /// Replace the document with a bundled preset (index into `presets::PRESETS`).
    NewFromPreset(usize),
    Open(PathBuf),
    /// Save to the document's path (asks for one if it has none).
    Save,
    SaveAs(PathBuf),
    /// Save even though the file changed on disk since it was opened.
    SaveOverwritingDiskChanges(PathBuf),
    /// Show the file dialog (or the typed-path fallback) for this purpose.
    AskPath(PathPurpose),
    Export(PathBuf, ExportWhat),
    RestoreAutosave,
    DiscardAutosave,
    Select(Selection),
    /// Open the "New from preset" chooser.
    AskNewProject,
    /// Show (true) or close the help window.
    ShowHelp(bool),
    /// Tick or untick a scenario in the charts (UI state, not part of the file).
    ShowScenario {
        index: usize,
        shown: bool,
    },
    /// Show the field at this path: select its item, scroll to it and focus it.
    FocusField(FieldPath),
    SetDarkTheme(bool),
    /// Close the window even with unsaved edits.
    CloseDiscarding,
    Close,
    /// The answer to "save the unsaved edits first?": save (true) or discard (false), then go on.
    AnswerUnsaved {
        save: bool,
    },
    /// Compare the project with another file (`Some`) or with its own file on disk.
    CompareWith(Option<PathBuf>),
}

/// What a path the user types or picks is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    ExportReport,
    ExportChart,
    /// Another version of the plan to compare with.
    Compare,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportWhat {
    Report,
    Chart,
}

/// Which view the central panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Selection {
    #[default]
    Overview,
    Material(usize),
    Products,
    Product(usize),
    Scenarios,
    Scenario(usize),
    Settings,
    /// Spending a budget.
    Budget,
    /// The comparison with another version.
    Compare,
}

impl Selection {
    /// The view that shows the field at `path`: its material, product or scenario,
    /// or the settings for a field of the project itself.
    pub fn holding(path: &FieldPath) -> Selection {
        match path.item_path() {
            Some(ItemPath::Material(index)) => Selection::Material(index),
            Some(ItemPath::Product(index)) => Selection::Product(index),
            Some(ItemPath::Scenario(index)) => Selection::Scenario(index),
            None => Selection::Settings,
        }
    }
}

/// What the file looked like when we last read or wrote it, to notice changes by others.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskStamp {
    pub modified: Option<SystemTime>,
    pub content_hash: u64,
}

impl DiskStamp {
    pub fn of(path: &Path) -> Option<DiskStamp> {
        let bytes = std::fs::read(path).ok()?;
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        Some(DiskStamp {
            modified,
            content_hash: hasher.finish(),
        })
    }
}

/// A generation no document has had: a run of a document that was replaced
/// finishes with its own generation and cannot pass for the new document's figures.
fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Whether two projects have the same inputs: `saved_results` are figures the
/// program writes, so an edit undone leaves the document as it was saved.
fn same_inputs(a: &Project, b: &Project) -> bool {
    if a.saved_results == b.saved_results {
        a == b
    } else {
        let mut a = a.clone();
        a.saved_results.clone_from(&b.saved_results);
        a == *b
    }
}

/// The project being edited and its history.
pub struct Document {
    pub project: Project,
    pub path: Option<PathBuf>,
    /// The project as last saved or opened; the document is dirty when it differs.
    saved: Project,
    dirty: bool,
    undo: Vec<Project>,
    redo: Vec<Project>,
    last_edit: Option<(FieldPath, Instant)>,
    /// A new value on every change, never reused by another document; results carry
    /// the generation they were computed for.
    pub generation: u64,
    pub validation: Validation,
    pub disk_stamp: Option<DiskStamp>,
    /// A restored autosave is unsaved work even before its first edit.
    unsaved_restore: bool,
    /// The figures the file was saved with, until compared with this program's.
    pub saved_check: Option<SavedCheck>,
    /// Tells this document from the one it replaced (its first generation).
    pub id: u64,
}

impl Document {
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        let validation = validate(&project);
        let disk_stamp = path.as_deref().and_then(DiskStamp::of);
        let generation = next_generation();
        Self {
            saved_check: SavedCheck::new(&project, generation),
            id: generation,
            saved: project.clone(),
            project,
            path,
            dirty: false,
            undo: Vec::new(),
            redo: Vec::new(),
            last_edit: None,
            generation,
            validation,
            disk_stamp,
            unsaved_restore: false,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Marks the document as unsaved though it equals its saved state (a restored autosave).
    pub fn mark_unsaved(&mut self) {
        self.unsaved_restore = true;
        self.dirty = true;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies an edit, recording an undo step unless it continues the previous edit of the same field.
    pub fn apply(&mut self, edit: Edit) {
        let before = self.project.clone();
        (edit.apply)(&mut self.project);
        if self.project == before {
            return;
        }
        // The saved figures describe the project as saved: kept after an edit, an
        // autosave would carry figures its project no longer has. Undo brings them
        // back with the project they describe.
        self.project.saved_results = None;
        let now = Instant::now();
        let continues = matches!((&self.last_edit, &edit.key), (Some((last, at)), EditKey::Field(key))
            if last == key && now.duration_since(*at).as_secs_f64() < COALESCE_SECONDS);
        if !continues {
            self.undo.push(before);
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last_edit = match edit.key {
            EditKey::Field(path) => Some((path, now)),
            EditKey::Action(_) => None,
        };
        self.changed();
    }

    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.undo.pop() else {
            return false;
        };
        let current = std::mem::replace(&mut self.project, previous);
        self.redo.push(current);
        self.last_edit = None;
        self.changed();
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else {
            return false;
        };
        let current = std::mem::replace(&mut self.project, next);
        self.undo.push(current);
        self.last_edit = None;
        self.changed();
        true
    }

    fn changed(&mut self) {
        self.generation = next_generation();
        self.validation = validate(&self.project);
        self.dirty = self.unsaved_restore || !same_inputs(&self.project, &self.saved);
    }

    /// Puts the figures a save writes into the project. They are outputs, not
    /// inputs: no undo step, no new generation, the dirty flag unchanged.
    pub fn set_saved_results(&mut self, results: Option<SavedResults>) {
        self.project.saved_results = results;
    }

    /// The user chose to discard the unsaved edits (before replacing the document or closing).
    pub fn mark_discarded(&mut self) {
        self.dirty = false;
        self.unsaved_restore = false;
    }

    /// Records a successful save of `written` to `path` (`disk_stamp`: the file as
    /// read back after the write). The save ran in the background: the document is
    /// clean only if it still has the inputs that were written, so an edit made
    /// while the file was written keeps it dirty.
    pub fn saved_to(&mut self, path: PathBuf, written: Project, disk_stamp: Option<DiskStamp>) {
        self.disk_stamp = disk_stamp;
        self.path = Some(path);
        self.saved = written;
        self.unsaved_restore = false;
        self.dirty = !same_inputs(&self.project, &self.saved);
        self.last_edit = None;
    }

    /// Whether the file at the document's path changed since we opened or saved it.
    pub fn changed_on_disk(&self, path: &Path) -> bool {
        if self.path.as_deref() != Some(path) {
            return false;
        }
        match (&self.disk_stamp, DiskStamp::of(path)) {
            (Some(ours), Some(now)) => ours.content_hash != now.content_hash,
            // It existed when we opened it and is gone now, or we never read it: not a conflict.
            _ => false,
        }
    }

    /// The window title: project name, file name and a dirty marker.
    pub fn title(&self) -> String {
        let file = self
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map(|name| format!(" ({})", name.to_string_lossy()))
            .unwrap_or_default();
        let dirty = if self.dirty { " •" } else { "" };
        format!("Stockpile Planner — {}{file}{dirty}", self.project.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn example() -> Project {
        presets::example()
            .load()
            .map(|l| l.project)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn undo_redo_and_dirty() {
        let mut doc = Document::new(example(), None);
        let original = doc.project.clone();
        let name = FieldPath::top("name");
        doc.apply(Edit::new(name.clone(), |p| p.name = "A".into()));
        assert!(doc.is_dirty());
        doc.apply(Edit::new(name, |p| p.name = "AB".into()));
        assert!(doc.undo());
        assert_eq!(
            doc.project, original,
            "keystrokes in one field are one undo step"
        );
        assert!(!doc.is_dirty());
        assert!(doc.redo());
        assert_eq!(doc.project.name, "AB");
    }
}
