//! XLSX: Summary, Targets by month, Scenarios, Inputs.

use super::ExportError;
use crate::engine::Recommendation;
use crate::project::Project;

pub fn render(_project: &Project, _rec: &Recommendation) -> Result<Vec<u8>, ExportError> {
    Err(ExportError::Render(
        "XLSX reports are not written yet".to_owned(),
    ))
}
