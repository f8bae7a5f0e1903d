//! What the app remembers between sessions (recent files, the last project, theme,
//! window size) in a RON file in the OS config dir, and the autosave copy of
//! unsaved work in the OS data dir. Both dirs are injectable so tests never touch
//! the real ones; a dir that cannot be written is reported, and work stays in memory.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::project::{Project, load_bytes, to_ron_string, write_atomically};

const RECENT_LIMIT: usize = 10;

/// Where the app keeps its own files.
#[derive(Clone, Debug, PartialEq)]
pub struct AppDirs {
    /// Preferences (`prefs.ron`).
    pub config: Option<PathBuf>,
    /// Autosave of unsaved work (`autosave.ron`, `autosave-origin.ron`).
    pub data: Option<PathBuf>,
}

impl AppDirs {
    /// The OS dirs (`~/.config/stockpile-planner`, `~/.local/share/stockpile-planner` on Linux).
    pub fn from_os() -> Self {
        match directories::ProjectDirs::from("org", "Stockpile Planner", "stockpile-planner") {
            Some(dirs) => Self {
                config: Some(dirs.config_dir().to_path_buf()),
                data: Some(dirs.data_dir().to_path_buf()),
            },
            None => Self {
                config: None,
                data: None,
            },
        }
    }

    /// Dirs under one folder (tests).
    pub fn under(root: &Path) -> Self {
        Self {
            config: Some(root.join("config")),
            data: Some(root.join("data")),
        }
    }

    /// No dirs at all: nothing is remembered (tests that need no files).
    pub fn none() -> Self {
        Self {
            config: None,
            data: None,
        }
    }

    fn prefs_file(&self) -> Option<PathBuf> {
        self.config.as_ref().map(|dir| dir.join("prefs.ron"))
    }

    pub fn autosave_file(&self) -> Option<PathBuf> {
        self.data.as_ref().map(|dir| dir.join("autosave.ron"))
    }

    fn autosave_origin_file(&self) -> Option<PathBuf> {
        self.data
            .as_ref()
            .map(|dir| dir.join("autosave-origin.ron"))
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
        match std::fs::read_to_string(&file) {
            Ok(text) => match ron::from_str(&text) {
                Ok(prefs) => (prefs, None),
                Err(err) => (
                    Prefs::default(),
                    Some(format!(
                        "{}: preferences not read ({err}); using defaults",
                        file.display()
                    )),
                ),
            },
            Err(_) => (Prefs::default(), None),
        }
    }

    pub fn save(&self, dirs: &AppDirs) -> Result<(), String> {
        let Some(file) = dirs.prefs_file() else {
            return Ok(());
        };
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|err| format!("cannot write preferences: {err}"))?;
        write_file(&file, text.as_bytes()).map_err(|err| {
            format!(
                "cannot remember recent files and layout in {}: {err}; your work is kept in memory",
                file.display()
            )
        })
    }

    pub fn add_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent_files.retain(|p| *p != path);
        self.recent_files.insert(0, path.clone());
        self.recent_files.truncate(RECENT_LIMIT);
        self.last_file = Some(path);
    }
}

fn write_file(file: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|err| err.to_string())?;
    }
    write_atomically(file, |out| out.write_all(bytes)).map_err(|err| err.to_string())
}

/// Where an autosave came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutosaveOrigin {
    pub file: Option<PathBuf>,
}

/// An autosave found at start that is newer than its file's last save.
#[derive(Clone, Debug)]
pub struct FoundAutosave {
    pub project: Project,
    pub origin: Option<PathBuf>,
    pub saved_at: Option<SystemTime>,
}

/// Writes unsaved work to the data dir (atomically).
pub fn write_autosave(
    dirs: &AppDirs,
    project: &Project,
    origin: Option<&Path>,
) -> Result<(), String> {
    let (Some(file), Some(origin_file)) = (dirs.autosave_file(), dirs.autosave_origin_file())
    else {
        return Ok(());
    };
    let text = to_ron_string(project).map_err(|err| err.to_string())?;
    let origin = AutosaveOrigin {
        file: origin.map(Path::to_path_buf),
    };
    let origin_text = ron::to_string(&origin).map_err(|err| err.to_string())?;
    write_file(&origin_file, origin_text.as_bytes())
        .and_then(|()| write_file(&file, text.as_bytes()))
        .map_err(|err| {
            format!("autosave failed ({err}); your work is kept in memory, save it yourself")
        })
}

pub fn remove_autosave(dirs: &AppDirs) {
    for file in [dirs.autosave_file(), dirs.autosave_origin_file()]
        .into_iter()
        .flatten()
    {
        let _ = std::fs::remove_file(file);
    }
}

/// An autosave left by a session that did not end cleanly, if it is newer than its file.
pub fn find_autosave(dirs: &AppDirs) -> Option<FoundAutosave> {
    let file = dirs.autosave_file()?;
    let bytes = std::fs::read(&file).ok()?;
    let saved_at = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
    let origin: AutosaveOrigin = dirs
        .autosave_origin_file()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|text| ron::from_str(&text).ok())
        .unwrap_or_default();
    if let (Some(origin_file), Some(autosaved)) = (&origin.file, saved_at) {
        let file_modified = std::fs::metadata(origin_file)
            .and_then(|m| m.modified())
            .ok();
        if file_modified.is_some_and(|modified| modified >= autosaved) {
            // The file was saved after the autosave: the copy is stale.
            remove_autosave(dirs);
            return None;
        }
    }
    // An autosave may hold invalid values (the document may); parse without validation.
    let text = String::from_utf8(bytes).ok()?;
    let project = match load_bytes(text.as_bytes(), "autosave") {
        Ok(loaded) => loaded.project,
        Err(_) => crate::project::parse(&text, "autosave").ok()?,
    };
    Some(FoundAutosave {
        project,
        origin: origin.file,
        saved_at,
    })
}
