//! Charts and reports for management (issue 5). Placeholder signatures the CLI
//! calls; the exporters replace this module.

use std::path::Path;

use crate::engine::Recommendation;
use crate::project::Project;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Target,
    Fan,
    Compare,
    Cost,
    Buildup,
}

impl From<crate::cli::ChartKind> for ChartKind {
    fn from(kind: crate::cli::ChartKind) -> Self {
        match kind {
            crate::cli::ChartKind::Target => ChartKind::Target,
            crate::cli::ChartKind::Fan => ChartKind::Fan,
            crate::cli::ChartKind::Compare => ChartKind::Compare,
            crate::cli::ChartKind::Cost => ChartKind::Cost,
            crate::cli::ChartKind::Buildup => ChartKind::Buildup,
        }
    }
}

/// Which chart: one material (index) or all, one scenario (index) or the blend.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSelection {
    pub material: Option<usize>,
    pub scenario: Option<usize>,
    pub kind: ChartKind,
}

impl ChartSelection {
    pub fn resolve(
        project: &Project,
        material: Option<&str>,
        scenario: Option<&str>,
        kind: ChartKind,
    ) -> Result<Self, String> {
        let material = material
            .map(|id| {
                project
                    .materials
                    .iter()
                    .position(|m| m.id == id)
                    .ok_or_else(|| format!("there is no material \"{id}\""))
            })
            .transpose()?;
        let scenario = scenario
            .map(|id| {
                project
                    .scenarios
                    .iter()
                    .position(|s| s.id == id)
                    .ok_or_else(|| format!("there is no scenario \"{id}\""))
            })
            .transpose()?;
        Ok(Self {
            material,
            scenario,
            kind,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Unsupported(String),
}

pub fn write_report_file(
    _project: &Project,
    _rec: &Recommendation,
    out: &Path,
) -> Result<(), ExportError> {
    Err(ExportError::Unsupported(format!(
        "{}: reports are not written yet",
        out.display()
    )))
}

pub fn write_chart_file(
    _project: &Project,
    _rec: &Recommendation,
    _selection: &ChartSelection,
    out: &Path,
) -> Result<(), ExportError> {
    Err(ExportError::Unsupported(format!(
        "{}: charts are not written yet",
        out.display()
    )))
}
