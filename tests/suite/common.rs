//! What several test modules need: the specification's example files.

use std::path::PathBuf;

use stockpile_planner::project::{Project, load_file};

/// A file of `../shared/spec/examples` (`"check1.ron"`, `"format2/check7-prequalified.ron"`).
pub fn spec_example_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/spec/examples")
        .join(name)
}

/// That file loaded (and validated); a test fails with the loader's message otherwise.
pub fn spec_example(name: &str) -> Project {
    match load_file(&spec_example_path(name)) {
        Ok(loaded) => loaded.project,
        Err(err) => panic!("{err}"),
    }
}
