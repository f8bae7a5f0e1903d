//! The project file (FORMAT.md): its types, RON load and save, validation, migration.

mod diagnostic;
pub mod limits;
mod load;
mod migrate;
mod month;
mod save;
mod types;
mod validate;

pub use diagnostic::{Diagnostic, LoadError, Severity};
pub use load::{Loaded, load_bytes, load_file, parse};
pub use month::YearMonth;
pub use save::{SaveError, save_file, to_ron_string, write_atomically};
pub use types::*;
pub use validate::{Issue, Validation, run_size_problem, validate};
