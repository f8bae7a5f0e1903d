//! The desktop app (issue 4). Placeholder entry point until the app lands.

use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the app on `file`, on the last project, or on the bundled example.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let _ = file;
    eprintln!("the desktop app is not built yet; use a subcommand (see --help)");
    ExitCode::from(1)
}
