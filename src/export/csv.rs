//! CSV: targets by month per material and scenario, long format, plain. The columns
//! are `sheet::target_columns`, the ones the XLSX "Targets by month" sheet writes.

use super::sheet::{self, Cell};
use crate::engine::Recommendation;
use crate::project::Project;

/// A field, quoted when it holds a comma, a quote or a line break. A text a
/// spreadsheet would take for a formula (starting `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`, so opening the file never runs it.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A cell as CSV text: numbers already rounded by their unit, written in their
/// shortest form (`80`, `1234.568`), months as `YYYY-MM`, nothing when empty.
fn cell_text(cell: Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Number(v) | Cell::Quantity(v, _) => format!("{v}"),
        Cell::Month(month) => month.to_string(),
        Cell::Text(text) => field(&text),
    }
}

/// One row per material, per scenario and the blend ("blended"), per month
/// (`sheet::target_rows`), with a header of the columns' CSV names.
pub fn render(project: &Project, rec: &Recommendation) -> String {
    let columns = sheet::target_columns();
    let mut out = columns
        .iter()
        .map(|(key, _)| *key)
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in sheet::target_rows(project, rec) {
        let cells: Vec<String> = columns
            .iter()
            .map(|(_, column)| cell_text(column.cell(&row)))
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}
