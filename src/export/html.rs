//! HTML: one self-contained file (inline CSS, inline SVG charts), readable offline.

use std::fmt::Write as _;

use super::ExportError;
use super::chart::{chart_svg_string, tornado_svg};
use super::report::{Block, Figure, Level, Report, Tone};
use super::tables;
use super::text::{self as words, APP};

const STYLE: &str = "
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#232323;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.meta{color:#777;font-size:.9em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border-bottom:1px solid #e3e3e3;padding:.35em .6em;text-align:right;vertical-align:top}
th{background:#f3f6f9;font-weight:bold}th.w,td.w{text-align:left}
li{margin-bottom:.4em}
figure{margin:1.2em 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}
.notes{font-size:.9em;color:#444}
.open-ended{color:#a03c00;border-left:3px solid #d55e00;padding-left:.6em}
footer{margin-top:3em;color:#777;font-size:.85em;border-top:1px solid #ddd;padding-top:.5em}
";

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let text_columns = tables::text_columns(header.len(), rows);
    let class = |i: usize| {
        if text_columns.get(i).copied().unwrap_or(false) {
            " class=\"w\""
        } else {
            ""
        }
    };
    out.push_str("<table><thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(i), escape(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i), escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// A user's prose: escaped, its line breaks kept.
fn prose(text: &str) -> String {
    escape(text).replace('\n', "<br>\n")
}

pub fn render(report: &Report, date: &str) -> Result<String, ExportError> {
    let (project, rec) = (report.project, report.rec);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} – stockpile recommendation</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&project.name)
    );
    for block in &report.blocks {
        match block {
            Block::Title {
                title,
                subtitle,
                provenance,
            } => {
                let _ = writeln!(
                    out,
                    "<h1>{}: {}</h1>\n<p class=\"meta\">{}</p>",
                    escape(title),
                    escape(subtitle),
                    escape(provenance)
                );
            }
            Block::Heading { level, text } => {
                let tag = match level {
                    Level::Section => "h2",
                    Level::Subsection => "h3",
                };
                let _ = writeln!(out, "<{tag}>{}</{tag}>", escape(text));
            }
            Block::Paragraph { tone, label, text } => {
                let class = match tone {
                    Tone::Body | Tone::Prose => "",
                    Tone::Note => " class=\"notes\"",
                    Tone::Warning => " class=\"open-ended\"",
                };
                let label = label
                    .as_ref()
                    .map(|label| format!("<b>{}</b> ", escape(label)))
                    .unwrap_or_default();
                let text = match tone {
                    Tone::Prose => prose(text),
                    _ => escape(text),
                };
                let _ = writeln!(out, "<p{class}>{label}{text}</p>");
            }
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    let label = item
                        .label
                        .as_ref()
                        .map(|label| format!("<b>{}</b> ", escape(label)))
                        .unwrap_or_default();
                    let warnings: String = item
                        .warnings
                        .iter()
                        .map(|w| format!("<p class=\"open-ended\">{}</p>", escape(w)))
                        .collect();
                    let _ = writeln!(out, "<li>{label}{}{warnings}</li>", escape(&item.text));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { table: t, .. } => table(&mut out, &t.header, &t.rows),
            Block::Chart(figure) => {
                let svg = match figure {
                    Figure::Plot(selection) => chart_svg_string(project, rec, selection)?,
                    Figure::Tornado(material) => match &report.inputs.sensitivity {
                        Some(sensitivity) => tornado_svg(project, sensitivity, *material, false)?,
                        None => continue,
                    },
                };
                out.push_str("<figure>\n");
                out.push_str(&svg);
                out.push_str("</figure>\n");
            }
            Block::PageBreak => {}
        }
    }
    let _ = writeln!(
        out,
        "<footer>Written by {APP} {} on {date}. {}</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        escape(&words::provenance(project, rec, date))
    );
    Ok(out)
}
