//! Bringing older project files up to the current format version.

use super::types::{CURRENT_FORMAT_VERSION, Project};

/// Migrates a parsed project from `version` to the current version.
///
/// Version 1 summed every deficit to the horizon (no rebuild): its files keep that
/// model, so their buffers, recommendations and run-out months stay exactly what they
/// were; the other version-2 fields take their defaults. Saving writes version 2.
pub fn migrate(mut project: Project, version: u32) -> Project {
    debug_assert!(version >= 1);
    if version < 2 {
        project.rebuild_after_disruption = false;
    }
    project.format_version = CURRENT_FORMAT_VERSION;
    project
}
