//! Names of figures that the app and every report show: written once so that a
//! buyer reads the same words on screen and on paper.

/// The probability of running out at some month of the horizon, holding only the
/// stock on hand today (beyond the safety stock) and buying nothing more.
pub const STOCKOUT_AT_ON_HAND: &str = "Stockout probability at on hand";
/// The kilograms short over the horizon, expected over the paths, holding only the
/// stock on hand today and buying nothing more.
pub const EXPECTED_SHORTFALL_AT_ON_HAND: &str = "Expected shortfall at on hand";
/// The blend of the scenarios, weighted by their probabilities.
pub const BLEND: &str = "Blended (probability-weighted)";
pub const ON_HAND: &str = "On hand";
