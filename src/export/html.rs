//! HTML: one self-contained file with inline SVG charts.

use super::ExportError;
use crate::engine::Recommendation;
use crate::project::Project;

pub fn render(_project: &Project, _rec: &Recommendation) -> Result<String, ExportError> {
    Err(ExportError::Render(
        "HTML reports are not written yet".to_owned(),
    ))
}
