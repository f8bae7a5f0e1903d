//! Bringing older project files up to the current format version.

use super::types::Project;

/// Migrates a parsed project from `version` to the current version.
///
/// Version 1 is the first published format, so there is nothing older to
/// convert yet; when version 2 arrives, its conversion from 1 goes here and the
/// loaded project is saved as version 2.
pub fn migrate(mut project: Project, version: u32) -> Project {
    debug_assert!(version >= 1);
    project.format_version = super::types::CURRENT_FORMAT_VERSION;
    project
}
