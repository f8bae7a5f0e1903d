//! Bounds on untrusted project files (FORMAT.md): no input may make the program
//! allocate without bound or run for ever.

/// Largest project file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Most materials, products, scenarios, events in a scenario, alternatives for a material.
pub const MAX_LIST_LEN: usize = 1000;
/// Longest string, in characters.
pub const MAX_STRING_CHARS: usize = 10_000;
/// Deepest nesting the parser accepts: the format itself needs about six levels
/// (project, list, scenario, list, event, distribution); anything far deeper is hostile.
pub const MAX_NESTING: usize = 16;
pub const MAX_ID_CHARS: usize = 64;
pub const MIN_HORIZON_MONTHS: u32 = 1;
pub const MAX_HORIZON_MONTHS: u32 = 240;
pub const MIN_PATHS: u32 = 100;
pub const MAX_PATHS: u32 = 1_000_000;
/// A run's samples per material: paths x horizon x scenarios.
pub const MAX_SAMPLES_PER_MATERIAL: u64 = 300_000_000;
pub const MIN_SERVICE_LEVEL: f64 = 0.5;
pub const MAX_SERVICE_LEVEL: f64 = 0.999;
/// Shortest mean up-time or outage of a recurring event, in months.
pub const MIN_RECURRING_MEAN_MONTHS: f64 = 0.1;
