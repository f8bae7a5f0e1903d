//! Writing a project: pretty RON with every field in the reference order, written
//! atomically so a crash mid-save leaves the old file or the new one, whole.

use std::io::Write;
use std::path::Path;

use ron::ser::PrettyConfig;

use super::types::Project;

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{file}: cannot save: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the project as RON: {0}")]
    Serialize(#[from] ron::Error),
}

/// The project as the text `save` writes.
pub fn to_ron_string(project: &Project) -> Result<String, ron::Error> {
    let config = PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .new_line("\n");
    let mut text = ron::Options::default().to_string_pretty(project, config)?;
    text.push('\n');
    Ok(text)
}

/// Saves a project to `path` atomically (see `write_atomically`).
pub fn save_file(project: &Project, path: &Path) -> Result<(), SaveError> {
    let text = to_ron_string(project)?;
    write_atomically(path, |out| out.write_all(text.as_bytes()))
}

/// Saves a project to a new file: refused (`AlreadyExists`) if anything is at `path`,
/// even a file created while this one was being written or a dangling symbolic link.
pub fn save_new_file(project: &Project, path: &Path) -> Result<(), SaveError> {
    let text = to_ron_string(project)?;
    write_file(path, Replace::Never, |out| out.write_all(text.as_bytes()))
}

/// Writes a file through a temporary file beside the target that is flushed,
/// synced and renamed over it: readers see the old file or the new one, never a
/// part. A failure removes the temporary file and leaves the target untouched.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    write_file(path, Replace::Existing, write)
}

/// Whether a write may replace what is at its path.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Replace {
    Existing,
    Never,
}

fn write_file(
    path: &Path,
    replace: Replace,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    let io_error = |source| SaveError::Io {
        file: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".stockpile-").suffix(".tmp");
    // A project or a report is a document to share: created rw for everyone the
    // process's umask allows (rw-r--r-- under the usual 022, rw------- under 077),
    // as any other program's new file would be, rather than the temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(io_error)?;
    {
        let mut buffered = std::io::BufWriter::new(temp.as_file_mut());
        write(&mut buffered).map_err(io_error)?;
        buffered.flush().map_err(io_error)?;
    }
    // A replaced file keeps its permissions exactly (set before the rename, so the
    // file never appears with the wrong ones).
    if replace == Replace::Existing
        && let Ok(existing) = std::fs::metadata(path)
    {
        temp.as_file()
            .set_permissions(existing.permissions())
            .map_err(io_error)?;
    }
    temp.as_file().sync_all().map_err(io_error)?;
    match replace {
        Replace::Existing => temp
            .persist(path)
            .map(drop)
            .map_err(|err| io_error(err.error))?,
        // A hard link fails if anything, even a dangling link, is at the path: no
        // check-then-rename window for another process to create the file in.
        Replace::Never => temp
            .persist_noclobber(path)
            .map(drop)
            .map_err(|err| io_error(err.error))?,
    }
    // Sync the directory so the rename itself survives a power cut.
    if let Ok(dir_handle) = std::fs::File::open(dir) {
        let _ = dir_handle.sync_all();
    }
    Ok(())
}
