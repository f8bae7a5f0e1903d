//! What the app remembers between sessions (recent files, the last project, theme,
//! window size) in a RON file in the OS config dir, and the autosave copy of
//! unsaved work in the OS data dir. Both dirs are injectable so tests never touch
//! the real ones; a dir that cannot be written is reported, and work stays in memory.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::state::{DiskStamp, Document};
use crate::project::{LoadError, Project, SaveError, load_bytes, to_ron_string, write_atomically};

const RECENT_LIMIT: usize = 10;

/// Why one of the app's own files (the preferences, an autosave) was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: cannot create the folder: {source}", folder.display())]
    Folder {
        folder: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {what} as RON: {source}")]
    Serialize {
        what: &'static str,
        #[source]
        source: ron::Error,
    },
    #[error(transparent)]
    Write(#[from] SaveError),
}

/// The preferences were not written; the work itself is untouched.
#[derive(Debug, thiserror::Error)]
#[error("cannot remember recent files and layout in {}: {source}; your work is kept in memory", file.display())]
pub struct PrefsError {
    file: PathBuf,
    #[source]
    source: WriteError,
}

/// The autosave was not written: the unsaved work is only in memory.
#[derive(Debug, thiserror::Error)]
#[error("autosave failed ({0}); your work is kept in memory, save it yourself")]
pub struct AutosaveError(#[source] WriteError);

/// Where the app keeps its own files.
#[derive(Clone, Debug, PartialEq)]
pub struct AppDirs {
    /// Preferences (`prefs.ron`).
    pub config: Option<PathBuf>,
    /// Autosaves of unsaved work, one per running app (`autosave-ID.ron` with
    /// `autosave-ID-origin.ron`), and each app's lock (`instance-ID.lock`).
    pub data: Option<PathBuf>,
    /// This app's claim on its own autosave; shared by clones of these dirs.
    instance: Arc<Instance>,
}

/// One running app: an id unique among the apps sharing a data dir, and an exclusive
/// lock on `instance-ID.lock` held for as long as the app runs, so another app can
/// tell a crashed app's autosave (its lock is free) from a running app's (it is held).
#[derive(Debug)]
struct Instance {
    id: String,
    lock: Option<(PathBuf, std::fs::File)>,
}

impl PartialEq for Instance {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Instance {
    fn claim(data: Option<&Path>) -> Instance {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = format!(
            "{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        // Without a lock (a data dir that cannot be written) the app still autosaves
        // under its own id; it is then only never offered to another app as left over.
        let lock = data.and_then(|dir| {
            std::fs::create_dir_all(dir).ok()?;
            let path = lock_file(dir, &format!("-{id}"));
            let file = std::fs::File::create(&path).ok()?;
            file.try_lock().ok()?;
            Some((path, file))
        });
        Instance { id, lock }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some((path, _)) = &self.lock {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn lock_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("instance{id}.lock"))
}

fn autosave_file_for(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("autosave{id}.ron"))
}

fn origin_file_for(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("autosave{id}-origin.ron"))
}

impl AppDirs {
    /// The OS dirs (`~/.config/stockpile-planner`, `~/.local/share/stockpile-planner` on Linux).
    pub fn from_os() -> Self {
        match directories::ProjectDirs::from("org", "Stockpile Planner", "stockpile-planner") {
            Some(dirs) => Self::with(
                Some(dirs.config_dir().to_path_buf()),
                Some(dirs.data_dir().to_path_buf()),
            ),
            None => Self::with(None, None),
        }
    }

    /// Dirs under one folder (tests); each call is a new app instance.
    pub fn under(root: &Path) -> Self {
        Self::with(Some(root.join("config")), Some(root.join("data")))
    }

    /// No dirs at all: nothing is remembered (tests that need no files).
    pub fn none() -> Self {
        Self::with(None, None)
    }

    fn with(config: Option<PathBuf>, data: Option<PathBuf>) -> Self {
        let instance = Arc::new(Instance::claim(data.as_deref()));
        Self {
            config,
            data,
            instance,
        }
    }

    fn prefs_file(&self) -> Option<PathBuf> {
        self.config.as_ref().map(|dir| dir.join("prefs.ron"))
    }

    /// This app's autosave.
    pub fn autosave_file(&self) -> Option<PathBuf> {
        let id = format!("-{}", self.instance.id);
        self.data.as_ref().map(|dir| autosave_file_for(dir, &id))
    }

    fn autosave_origin_file(&self) -> Option<PathBuf> {
        let id = format!("-{}", self.instance.id);
        self.data.as_ref().map(|dir| origin_file_for(dir, &id))
    }
}

/// Saved UI preferences.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub recent_files: Vec<PathBuf>,
    pub last_file: Option<PathBuf>,
    pub dark_theme: bool,
    pub window_size: Option<[f32; 2]>,
    pub left_panel_width: Option<f32>,
}

impl Prefs {
    /// Reads the preferences; a missing file gives the defaults, a broken one an error message too.
    pub fn load(dirs: &AppDirs) -> (Prefs, Option<String>) {
        let Some(file) = dirs.prefs_file() else {
            return (Prefs::default(), None);
        };
        let problem = match std::fs::read(&file) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return (Prefs::default(), None);
            }
            Err(err) => err.to_string(),
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Err(_) => "it is not text".to_owned(),
                Ok(text) => match ron::from_str(text) {
                    Ok(prefs) => return (prefs, None),
                    Err(err) => err.to_string(),
                },
            },
        };
        // Put aside, so the next save of the defaults does not destroy it and the
        // next start does not report it again.
        let aside = file.with_extension("ron.damaged");
        let kept = match std::fs::rename(&file, &aside) {
            Ok(()) => format!("; the damaged file is kept as {}", aside.display()),
            Err(_) => String::new(),
        };
        (
            Prefs::default(),
            Some(format!(
                "{}: preferences not read ({problem}); using defaults{kept}",
                file.display()
            )),
        )
    }

    pub fn save(&self, dirs: &AppDirs) -> Result<(), PrefsError> {
        let Some(file) = dirs.prefs_file() else {
            return Ok(());
        };
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|source| WriteError::Serialize {
                what: "the preferences",
                source,
            })
            .and_then(|text| write_file(&file, text.as_bytes()))
            .map_err(|source| PrefsError { file, source })
    }

    pub fn add_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent_files.retain(|p| *p != path);
        self.recent_files.insert(0, path.clone());
        self.recent_files.truncate(RECENT_LIMIT);
        self.last_file = Some(path);
    }
}

fn write_file(file: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder).map_err(|source| WriteError::Folder {
            folder: folder.to_path_buf(),
            source,
        })?;
    }
    Ok(write_atomically(file, |out| out.write_all(bytes))?)
}

/// Where an autosave came from: the file as an absolute, canonical path (so another
/// working folder's `plan.ron` is never taken for it), which file it was (device and
/// inode) and what it held when the app last read or wrote it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutosaveOrigin {
    pub file: Option<PathBuf>,
    pub identity: Option<(u64, u64)>,
    pub modified: Option<SystemTime>,
    pub content_hash: Option<u64>,
}

impl AutosaveOrigin {
    fn of(document: &Document) -> AutosaveOrigin {
        let file = document
            .path
            .as_deref()
            .map(|path| std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path)));
        AutosaveOrigin {
            identity: file.as_deref().and_then(identity),
            file,
            modified: document
                .disk_stamp
                .as_ref()
                .and_then(|stamp| stamp.modified),
            content_hash: document.disk_stamp.as_ref().map(|stamp| stamp.content_hash),
        }
    }

    /// Whether the origin is still the file, with the content, the app last saw.
    pub fn unchanged(&self) -> bool {
        let Some(file) = &self.file else {
            return true;
        };
        let now = DiskStamp::of(file);
        identity(file) == self.identity
            && now.as_ref().map(|stamp| stamp.content_hash) == self.content_hash
    }

    /// The stamp a restored document compares the file with before saving over it.
    pub fn disk_stamp(&self) -> Option<DiskStamp> {
        self.content_hash.map(|content_hash| DiskStamp {
            modified: self.modified,
            content_hash,
        })
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A file's device and inode: which file it is, whatever its name.
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// An autosave left by an app that is no longer running.
#[derive(Clone, Debug)]
pub struct FoundAutosave {
    pub project: Project,
    pub origin: Option<PathBuf>,
    pub origin_details: AutosaveOrigin,
    pub saved_at: Option<SystemTime>,
    /// Its files (the copy, its origin, its app's lock), removed once the user has
    /// restored or discarded it.
    files: Vec<PathBuf>,
}

/// What the start found in the data dir: an autosave to offer, and problems to tell.
#[derive(Debug, Default)]
pub struct Leftovers {
    pub found: Option<FoundAutosave>,
    pub problems: Vec<String>,
}

/// Writes unsaved work to this app's autosave (atomically).
pub fn write_autosave(dirs: &AppDirs, document: &Document) -> Result<(), AutosaveError> {
    match PreparedAutosave::of(dirs, document)? {
        Some(prepared) => prepared.write(),
        None => Ok(()),
    }
}

/// An autosave serialized on the UI thread (a copy of the document as it is now),
/// to be written on another: the writing, with its flush to disk, is what a slow
/// disk makes slow.
pub struct PreparedAutosave {
    file: PathBuf,
    origin_file: PathBuf,
    text: String,
    origin_text: String,
}

impl PreparedAutosave {
    /// `None` when the app has no data dir to autosave into.
    pub fn of(dirs: &AppDirs, document: &Document) -> Result<Option<Self>, AutosaveError> {
        let (Some(file), Some(origin_file)) = (dirs.autosave_file(), dirs.autosave_origin_file())
        else {
            return Ok(None);
        };
        let serialize = |what| move |source| AutosaveError(WriteError::Serialize { what, source });
        Ok(Some(PreparedAutosave {
            file,
            origin_file,
            text: to_ron_string(&document.project).map_err(serialize("the project"))?,
            origin_text: ron::to_string(&AutosaveOrigin::of(document))
                .map_err(serialize("the autosave's origin"))?,
        }))
    }

    pub fn write(self) -> Result<(), AutosaveError> {
        write_file(&self.origin_file, self.origin_text.as_bytes()).map_err(AutosaveError)?;
        write_file(&self.file, self.text.as_bytes()).map_err(AutosaveError)
    }
}

/// Removes this app's own autosave (its work was saved or deliberately discarded).
pub fn remove_autosave(dirs: &AppDirs) {
    for file in [dirs.autosave_file(), dirs.autosave_origin_file()]
        .into_iter()
        .flatten()
    {
        let _ = std::fs::remove_file(file);
    }
}

/// Removes a left-over autosave the user restored (and autosaved again) or discarded.
pub fn remove_found(found: &FoundAutosave) {
    for file in &found.files {
        let _ = std::fs::remove_file(file);
    }
}

/// The newest autosave left by an app that is no longer running (its lock is free,
/// or it predates the locks), or this app's own. Another running app's autosave is
/// never offered, and nothing is deleted here: a damaged autosave is renamed aside
/// and reported.
pub fn find_autosave(dirs: &AppDirs) -> Leftovers {
    let mut leftovers = Leftovers::default();
    let Some(dir) = &dirs.data else {
        return leftovers;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return leftovers;
    };
    let mut candidates: Vec<(Option<SystemTime>, String)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let id = name.strip_prefix("autosave")?.strip_suffix(".ron")?;
            if id.ends_with("-origin") || id.contains("-damaged") {
                return None;
            }
            let modified = entry.metadata().and_then(|m| m.modified()).ok();
            Some((modified, id.to_owned()))
        })
        .collect();
    candidates.sort_by_key(|candidate| std::cmp::Reverse(candidate.0));
    let own = format!("-{}", dirs.instance.id);
    for (saved_at, id) in candidates {
        if id != own && !instance_ended(dir, &id) {
            continue;
        }
        match read_autosave(dir, &id, saved_at) {
            Ok(found) => {
                leftovers.found = Some(found);
                break;
            }
            Err(damaged) => leftovers.problems.push(damaged.to_string()),
        }
    }
    leftovers
}

/// Whether the app that wrote `autosave{id}.ron` has ended: its lock can be taken.
fn instance_ended(dir: &Path, id: &str) -> bool {
    match std::fs::File::open(lock_file(dir, id)) {
        // Taken and released at once (dropping the file releases it).
        Ok(file) => file.try_lock().is_ok(),
        // No lock file: an app that ended cleanly after a crash of another, or an
        // autosave from a version without locks.
        Err(_) => true,
    }
}

/// A left-over autosave that could not be read: renamed aside, never deleted.
#[derive(Debug, thiserror::Error)]
#[error("an autosave of unsaved work could not be read ({reason}); {kept}")]
struct DamagedAutosave {
    /// The first line of the parser's error.
    reason: String,
    /// Where the file is now.
    kept: String,
}

fn read_autosave(
    dir: &Path,
    id: &str,
    saved_at: Option<SystemTime>,
) -> Result<FoundAutosave, DamagedAutosave> {
    let file = autosave_file_for(dir, id);
    let origin_file = origin_file_for(dir, id);
    let origin: AutosaveOrigin = std::fs::read_to_string(&origin_file)
        .ok()
        .and_then(|text| ron::from_str(&text).ok())
        .unwrap_or_default();
    let bytes = std::fs::read(&file).unwrap_or_default();
    // An autosave may hold invalid values (the document may); parse without validation.
    let project = match load_bytes(&bytes, "autosave") {
        Ok(loaded) => Ok(loaded.project),
        Err(_) => std::str::from_utf8(&bytes)
            .map_err(|_| LoadError::single("autosave", None, "it is not text"))
            .and_then(|text| crate::project::parse(text, "autosave")),
    };
    match project {
        Ok(project) => Ok(FoundAutosave {
            project,
            origin: origin.file.clone(),
            origin_details: origin,
            saved_at,
            files: vec![file, origin_file, lock_file(dir, id)],
        }),
        Err(err) => {
            let stamp = saved_at
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs());
            let aside = dir.join(format!("autosave{id}-damaged-{stamp}.ron"));
            let kept = match std::fs::rename(&file, &aside) {
                Ok(()) => format!("it is kept as {}", aside.display()),
                Err(_) => format!("it is left as {}", file.display()),
            };
            let _ = std::fs::remove_file(lock_file(dir, id));
            let reason = err
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            Err(DamagedAutosave { reason, kept })
        }
    }
}
