//! Markdown: the summary and tables for a wiki page or an e-mail.

use std::fmt::Write as _;

use super::report::{Block, Level, Report, Tone};
use super::tables;
use super::text::APP;

/// A name written inline: Markdown's and HTML's special characters escaped, so a name
/// such as `<script>` or `*x*` is shown as written, and line breaks flattened.
fn inline_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // "<1%" cannot open a tag and reads as written; "<script" could.
            '<' if chars
                .peek()
                .is_some_and(|next| next.is_ascii_digit() || *next == ' ') =>
            {
                out.push(c)
            }
            '<' => out.push_str("&lt;"),
            // ">99%" inside a line is no quote and no tag.
            '>' if !out.is_empty() && chars.peek().is_some_and(char::is_ascii_digit) => out.push(c),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // `|` is left to `cell`, which escapes it in tables, where it matters.
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A paragraph of the user's prose (a description, notes): its line breaks are kept,
/// HTML is shown as text rather than passed through.
fn prose_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A table cell: pipes escaped, line breaks flattened.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let header: Vec<String> = header.iter().map(|h| cell(&inline_text(h))).collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let align: Vec<&str> = tables::text_columns(header.len(), rows)
        .into_iter()
        .map(|words| if words { "---" } else { "---:" })
        .collect();
    let _ = writeln!(out, "|{}|", align.join("|"));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(&inline_text(c))).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// Renders the outline; charts are left out (a wiki page or an e-mail has its text).
pub fn render(report: &Report, date: &str) -> String {
    let mut out = String::new();
    for block in &report.blocks {
        match block {
            Block::Title {
                title,
                subtitle,
                provenance,
            } => {
                let _ = writeln!(out, "# {}: {subtitle}\n", cell(&inline_text(title)));
                let _ = writeln!(out, "_{}_\n", inline_text(provenance));
            }
            Block::Heading { level, text } => {
                let marks = match level {
                    Level::Section => "##",
                    Level::Subsection => "###",
                };
                let _ = writeln!(out, "{marks} {}\n", cell(&inline_text(text)));
            }
            Block::Paragraph { tone, label, text } => {
                let text = match tone {
                    Tone::Prose => prose_text(text),
                    _ => inline_text(text),
                };
                let label = label
                    .as_ref()
                    .map(|label| format!("**{}** ", inline_text(label)))
                    .unwrap_or_default();
                let _ = match tone {
                    Tone::Note => writeln!(out, "_{label}{text}_\n"),
                    Tone::Warning => writeln!(out, "> **Open-ended:** {label}{text}\n"),
                    Tone::Body | Tone::Prose => writeln!(out, "{label}{text}\n"),
                };
            }
            Block::Bullets(items) => {
                for item in items {
                    let label = item
                        .label
                        .as_ref()
                        .map(|label| format!("**{}** ", inline_text(label)))
                        .unwrap_or_default();
                    let _ = writeln!(out, "- {label}{}", inline_text(&item.text));
                    // Beside the figure: an open-ended buffer is no one-off.
                    for warning in &item.warnings {
                        let _ = writeln!(out, "  - **Open-ended:** {}", inline_text(warning));
                    }
                }
                out.push('\n');
            }
            Block::Table { table: t, .. } => table(&mut out, &t.header, &t.rows),
            Block::Chart(_) | Block::PageBreak => {}
        }
    }
    let _ = writeln!(
        out,
        "---\n_Written by {APP} {} on {date}._",
        env!("CARGO_PKG_VERSION")
    );
    out
}
