//! The project file (FORMAT.md): its types, RON load and save, validation, migration.

mod diagnostic;
mod escape;
pub mod limits;
mod load;
mod migrate;
mod month;
mod save;
mod types;
mod validate;

pub use diagnostic::{
    Diagnostic, FieldPath, ItemPath, LoadError, Severity, escaped, lines as diagnostic_lines,
};
pub use escape::map_text;
pub use load::{Loaded, load_bytes, load_file, parse};
pub use month::YearMonth;
pub use save::{SaveError, save_file, save_new_file, to_ron_string, write_atomically};
pub use types::*;
pub use validate::{Issue, RunWork, Validation, run_size_problem, validate};
