//! Every integration test in one binary (as ripgrep does): one link instead of
//! thirteen, and the desktop app's tests only when the `gui` feature is built.

#[cfg(feature = "gui")]
mod app;
mod bad_files;
mod cli;
mod common;
mod decisions;
mod engine;
mod export;
mod format;
mod presets;
mod properties;
mod reference_model;
mod reliability;
mod reuse;
