//! Stockpile Planner: how much of a critical mineral to hold in reserve when its
//! supply runs through export controls. The engine is pure; the app, the command
//! line and the exporters are thin users of it.

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod engine;
pub mod export;
pub mod presets;
pub mod project;
pub mod reference;
pub mod units;
pub mod vocabulary;
