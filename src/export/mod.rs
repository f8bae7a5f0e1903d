//! Charts and reports for management (issue 5, docs/EXPORTS.md), and the command
//! line's outputs: the JSON documents (`json`) and the readable terminal tables
//! (`terminal`).
//!
//! Charts (`chart`): SVG and PNG drawn with plotters. Reports (`report`): PDF, XLSX,
//! HTML, CSV and Markdown, chosen by the file's extension. Every writer renders into
//! any `io::Write`; the `*_file` functions write through a temporary file that is
//! renamed over the target, so a failure never leaves a partial file.

mod chart;
mod csv;
mod fonts;
mod html;
pub mod json;
mod markdown;
mod pdf;
pub mod report;
mod sheet;
pub mod summary;
mod tables;
pub mod terminal;
pub mod text;
mod xlsx;

use std::io::Write;
use std::path::Path;

use crate::engine::Recommendation;
use crate::project::{Project, SaveError, write_atomically};

pub use chart::{chart_size, chart_svg_string, tornado_svg, write_chart_png, write_chart_svg};
pub use report::ReportInputs;
pub use text::{recommendation_sentence, today};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Target,
    Fan,
    Compare,
    Cost,
    Buildup,
}

impl ChartKind {
    pub const ALL: [ChartKind; 5] = [
        ChartKind::Target,
        ChartKind::Fan,
        ChartKind::Compare,
        ChartKind::Cost,
        ChartKind::Buildup,
    ];

    /// The name the command line takes (`--kind`).
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Target => "target",
            ChartKind::Fan => "fan",
            ChartKind::Compare => "compare",
            ChartKind::Cost => "cost",
            ChartKind::Buildup => "buildup",
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

/// A chart asked for by an id the project does not have.
#[derive(Debug, thiserror::Error)]
pub enum SelectionError {
    #[error("there is no material \"{0}\"")]
    NoMaterial(String),
    #[error("there is no scenario \"{0}\"")]
    NoScenario(String),
}

impl ChartSelection {
    pub fn resolve(
        project: &Project,
        material: Option<&str>,
        scenario: Option<&str>,
        kind: ChartKind,
    ) -> Result<Self, SelectionError> {
        let material = material
            .map(|id| {
                project
                    .materials
                    .iter()
                    .position(|m| m.id == id)
                    .ok_or_else(|| SelectionError::NoMaterial(id.to_owned()))
            })
            .transpose()?;
        let scenario = scenario
            .map(|id| {
                project
                    .scenarios
                    .iter()
                    .position(|s| s.id == id)
                    .ok_or_else(|| SelectionError::NoScenario(id.to_owned()))
            })
            .transpose()?;
        Ok(Self {
            material,
            scenario,
            kind,
        })
    }

    /// Every material, the blended scenario.
    pub fn all(kind: ChartKind) -> Self {
        Self {
            material: None,
            scenario: None,
            kind,
        }
    }
}

/// What can go wrong writing an export; each message is one sentence naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{file}: {message}")]
    Unsupported { file: String, message: String },
    #[error("{file}: cannot write the file: {message}")]
    Io {
        file: String,
        message: String,
        /// The operating system's error, when there was one (the message words it
        /// for the user; the source keeps the kind for callers).
        #[source]
        source: Option<std::io::Error>,
    },
    #[error("{0}")]
    Render(String),
}

impl ExportError {
    fn render(what: &str, err: impl std::fmt::Display) -> Self {
        ExportError::Render(format!("cannot draw the {what}: {err}"))
    }
}

/// The report formats, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Pdf,
    Xlsx,
    Html,
    Csv,
    Markdown,
}

pub const REPORT_EXTENSIONS: &str = ".pdf, .xlsx, .html, .csv or .md";
pub const CHART_EXTENSIONS: &str = ".svg or .png";

impl ReportFormat {
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => ReportFormat::Pdf,
            "xlsx" => ReportFormat::Xlsx,
            "html" | "htm" => ReportFormat::Html,
            "csv" => ReportFormat::Csv,
            "md" | "markdown" => ReportFormat::Markdown,
            _ => return None,
        })
    }
}

/// Chart file formats, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
}

impl ChartFormat {
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(ChartFormat::Svg),
            "png" => Some(ChartFormat::Png),
            _ => None,
        }
    }
}

/// Renders a report in `format` into `out`.
pub fn write_report(
    project: &Project,
    rec: &Recommendation,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let bytes = render_report(project, rec, format)?;
    out.write_all(&bytes)
        .map_err(|err| ExportError::Render(format!("cannot write the report: {err}")))
}

/// The whole report as bytes, with the sensitivity and the qualify-or-stockpile
/// comparison run for it (`ReportInputs::compute`).
pub fn render_report(
    project: &Project,
    rec: &Recommendation,
    format: ReportFormat,
) -> Result<Vec<u8>, ExportError> {
    check_shapes(project, rec)?;
    let inputs = ReportInputs::for_format(project, rec, format, None)?;
    render_report_with(project, rec, &inputs, format)
}

/// The whole report as bytes, from inputs already computed.
pub fn render_report_with(
    project: &Project,
    rec: &Recommendation,
    inputs: &ReportInputs,
    format: ReportFormat,
) -> Result<Vec<u8>, ExportError> {
    check_shapes(project, rec)?;
    let date = text::today();
    let outline = || report::build(project, rec, inputs, &date);
    match format {
        ReportFormat::Pdf => pdf::render(&outline(), &date),
        ReportFormat::Xlsx => xlsx::render(project, rec, &inputs.summary(project, rec)),
        ReportFormat::Html => html::render(&outline(), &date).map(String::into_bytes),
        ReportFormat::Csv => Ok(csv::render(project, rec).into_bytes()),
        ReportFormat::Markdown => Ok(markdown::render(&outline(), &date).into_bytes()),
    }
}

/// Writes a report; the format follows the extension of `out`.
pub fn write_report_file(
    project: &Project,
    rec: &Recommendation,
    out: &Path,
) -> Result<(), ExportError> {
    let format = check_report_path(out)?;
    check_shapes(project, rec)?;
    let inputs = ReportInputs::for_format(project, rec, format, None)?;
    write_report_file_with(project, rec, &inputs, out)
}

/// Writes a report from inputs already computed (a budget, say).
pub fn write_report_file_with(
    project: &Project,
    rec: &Recommendation,
    inputs: &ReportInputs,
    out: &Path,
) -> Result<(), ExportError> {
    check_target(out)?;
    let format = ReportFormat::from_path(out)
        .ok_or_else(|| unknown_extension(out, "report", REPORT_EXTENSIONS))?;
    let bytes = render_report_with(project, rec, inputs, format)?;
    write_bytes(out, &bytes)
}

/// Writes one chart; `.svg` or `.png` by the extension of `out`.
pub fn write_chart_file(
    project: &Project,
    rec: &Recommendation,
    selection: &ChartSelection,
    out: &Path,
) -> Result<(), ExportError> {
    check_target(out)?;
    let format = ChartFormat::from_path(out)
        .ok_or_else(|| unknown_extension(out, "chart", CHART_EXTENSIONS))?;
    let mut bytes = Vec::new();
    match format {
        ChartFormat::Svg => write_chart_svg(project, rec, selection, &mut bytes)?,
        ChartFormat::Png => write_chart_png(project, rec, selection, &mut bytes)?,
    }
    write_bytes(out, &bytes)
}

/// Checks a report's target before any work: its extension and its folder. The
/// command line can call this before running the model (and exit 2 on an error).
pub fn check_report_path(out: &Path) -> Result<ReportFormat, ExportError> {
    check_target(out)?;
    ReportFormat::from_path(out).ok_or_else(|| unknown_extension(out, "report", REPORT_EXTENSIONS))
}

/// As `check_report_path`, for a chart.
pub fn check_chart_path(out: &Path) -> Result<ChartFormat, ExportError> {
    check_target(out)?;
    ChartFormat::from_path(out).ok_or_else(|| unknown_extension(out, "chart", CHART_EXTENSIONS))
}

/// Refuses to write over the project being reported on: `report plan.md --out plan.md`
/// would replace the project with its own report. The same file is recognised by its
/// identity (device and inode, through links), not by its name or extension.
pub fn check_not_input(input: &Path, out: &Path) -> Result<(), ExportError> {
    if is_same_file(input, out) {
        return Err(ExportError::Unsupported {
            file: out.display().to_string(),
            message: format!(
                "this is the project file {} itself; writing there would destroy it (choose another file)",
                input.display()
            ),
        });
    }
    Ok(())
}

/// Whether two paths name one existing file.
fn is_same_file(a: &Path, b: &Path) -> bool {
    let (Ok(a_meta), Ok(b_meta)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a_meta.dev() == b_meta.dev() && a_meta.ino() == b_meta.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a_meta, b_meta);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

impl ExportError {
    /// Whether the user asked for something impossible (a bad `--out`), as opposed to a
    /// failure while writing: the command line's exit code 2 rather than 1.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, ExportError::Unsupported { .. })
    }
}

fn unknown_extension(out: &Path, what: &str, supported: &str) -> ExportError {
    let message = match out.extension().and_then(|ext| ext.to_str()) {
        Some(ext) => {
            format!("cannot write a {what} as \".{ext}\"; the supported extensions are {supported}")
        }
        None => format!("the file name has no extension; a {what} is written as {supported}"),
    };
    ExportError::Unsupported {
        file: out.display().to_string(),
        message,
    }
}

/// Refuses a target that cannot be written before any work is done.
fn check_target(out: &Path) -> Result<(), ExportError> {
    let file = out.display().to_string();
    if out.is_dir() {
        return Err(ExportError::Io {
            file,
            message: "it is a folder, not a file".to_owned(),
            source: None,
        });
    }
    let dir = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(ExportError::Io {
            file,
            message: format!("the folder {} does not exist", dir.display()),
            source: None,
        });
    }
    Ok(())
}

fn write_bytes(out: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    write_atomically(out, |w| w.write_all(bytes)).map_err(|err| match err {
        SaveError::Io { file, source } => {
            let message = match source.kind() {
                std::io::ErrorKind::PermissionDenied => {
                    "permission denied (the folder or the file is not writable)".to_owned()
                }
                _ => source.to_string(),
            };
            ExportError::Io {
                file,
                message,
                source: Some(source),
            }
        }
        other => ExportError::Io {
            file: out.display().to_string(),
            message: other.to_string(),
            source: None,
        },
    })
}

/// The recommendation must belong to the project (same materials and scenarios);
/// the exporters index one with the other.
pub(crate) fn check_shapes(project: &Project, rec: &Recommendation) -> Result<(), ExportError> {
    let months = rec.horizon_months;
    let ok = rec.materials.len() == project.materials.len()
        && rec.scenario_weights.len() == project.scenarios.len()
        && rec.materials.iter().all(|m| {
            m.by_scenario.len() == project.scenarios.len()
                && m.monthly.recommended_stock_kg.len() == months
                && m.monthly.strategic_buffer_kg.len() == months
                && m.monthly.ci95_low_kg.len() == months
                && m.monthly.ci95_high_kg.len() == months
                && m.monthly.fan_kg.len() == months
                && m.monthly.price_index_per_kg.len() == months
                && m.buildup.target_kg.len() == months
                && m.buildup.order_kg.len() == months
                && m.buildup.stock_kg.len() == months + 1
                && m.by_scenario.iter().all(|s| {
                    s.buffer_by_month_kg.len() == months && s.price_index_per_kg.len() == months
                })
        });
    if ok {
        Ok(())
    } else {
        Err(ExportError::Render(
            "the recommendation does not match the project (rerun the plan before exporting)"
                .to_owned(),
        ))
    }
}
