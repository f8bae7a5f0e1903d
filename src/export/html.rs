//! HTML: one self-contained file (inline CSS, inline SVG charts), readable offline.

use std::fmt::Write as _;

use super::chart::chart_svg_string;
use super::tables;
use super::text::{self as words, APP};
use super::{ChartKind, ChartSelection, ExportError};
use crate::engine::Recommendation;
use crate::project::Project;
use crate::units;

const STYLE: &str = "
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#232323;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.meta{color:#777;font-size:.9em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border-bottom:1px solid #e3e3e3;padding:.35em .6em;text-align:right;vertical-align:top}
th{background:#f3f6f9;font-weight:bold}th:first-child,td:first-child{text-align:left}
ul.hold li{margin-bottom:.5em}
figure{margin:1.2em 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}
.notes{font-size:.9em;color:#444}
.open-ended{color:#a03c00;border-left:3px solid #d55e00;padding-left:.6em}
.buildup{background:#f6f8fa;padding:.5em .8em}
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

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    out.push_str("<table><thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn figure(
    out: &mut String,
    project: &Project,
    rec: &Recommendation,
    selection: ChartSelection,
) -> Result<(), ExportError> {
    let svg = chart_svg_string(project, rec, &selection)?;
    out.push_str("<figure>\n");
    out.push_str(&svg);
    out.push_str("</figure>\n");
    Ok(())
}

/// A material's open-ended sentences, in the warning style, to follow its figure.
fn open_ended(project: &Project, rec: &Recommendation, index: usize) -> String {
    rec.materials
        .get(index)
        .map(|m| words::open_ended_sentences(project, m))
        .unwrap_or_default()
        .iter()
        .map(|sentence| format!("<p class=\"open-ended\">{}</p>", escape(sentence)))
        .collect()
}

pub fn render(project: &Project, rec: &Recommendation) -> Result<String, ExportError> {
    let date = words::today();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} – stockpile recommendation</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&project.name)
    );
    let _ = writeln!(
        out,
        "<h1>{}: stockpile recommendation</h1>",
        escape(&project.name)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}</p>",
        escape(&words::provenance(project, rec, &date))
    );
    if !project.description.trim().is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(project.description.trim()));
    }

    out.push_str("<h2>What to hold</h2>\n<ul class=\"hold\">\n");
    for index in 0..project.materials.len() {
        let _ = writeln!(
            out,
            "<li>{}{}</li>",
            escape(&words::recommendation_sentence(project, rec, index)),
            open_ended(project, rec, index)
        );
    }
    out.push_str("</ul>\n");
    let summary = tables::summary(project, rec);
    table(&mut out, &summary.header, &summary.rows);
    figure(
        &mut out,
        project,
        rec,
        ChartSelection::all(ChartKind::Target),
    )?;

    for (index, (material, m)) in project.materials.iter().zip(&rec.materials).enumerate() {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&material.name));
        let _ = writeln!(
            out,
            "<p>{}</p>{}",
            escape(&words::recommendation_sentence(project, rec, index)),
            open_ended(project, rec, index)
        );
        let _ = writeln!(
            out,
            "<p class=\"buildup\"><b>Build-up plan.</b> {}</p>",
            escape(&words::buildup_sentences(project, rec, index).join(" "))
        );
        let rows: Vec<Vec<String>> = tables::material_figures(project, rec, index)
            .into_iter()
            .map(Vec::from)
            .collect();
        table(&mut out, &["Figure", "Value"], &rows);
        let scenarios = tables::by_scenario(project, rec, m);
        table(&mut out, &scenarios.header, &scenarios.rows);
        for kind in [ChartKind::Target, ChartKind::Compare, ChartKind::Buildup] {
            figure(
                &mut out,
                project,
                rec,
                ChartSelection {
                    material: Some(index),
                    scenario: None,
                    kind,
                },
            )?;
        }
    }

    out.push_str("<h2>Spread and cost, all materials</h2>\n");
    figure(&mut out, project, rec, ChartSelection::all(ChartKind::Fan))?;
    figure(&mut out, project, rec, ChartSelection::all(ChartKind::Cost))?;

    out.push_str("<h2>Scenarios and their assumptions</h2>\n");
    for (s, scenario) in project.scenarios.iter().enumerate() {
        let weight = rec.scenario_weights.get(s).copied().unwrap_or(0.0);
        let _ = writeln!(
            out,
            "<h3>{} ({})</h3>",
            escape(&scenario.name),
            units::percent(weight)
        );
        if !scenario.description.trim().is_empty() {
            let _ = writeln!(out, "<p>{}</p>", escape(scenario.description.trim()));
        }
        if !scenario.notes.trim().is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"notes\"><b>Notes:</b> {}</p>",
                escape(scenario.notes.trim())
            );
        }
        out.push_str("<ul>\n");
        if scenario.events.is_empty() {
            out.push_str("<li>No disruption.</li>\n");
        }
        for event in &scenario.events {
            let _ = writeln!(
                out,
                "<li>{}</li>",
                escape(&words::describe_event(project, event))
            );
        }
        out.push_str("</ul>\n");
    }

    out.push_str("<h2>Build-up plan, all materials</h2>\n");
    let plan = tables::buildup(project, rec);
    table(&mut out, &plan.header, &plan.rows);

    out.push_str("<h2>Inputs</h2>\n");
    let _ = writeln!(
        out,
        "<p>{}</p>",
        escape(words::rebuild_after_disruption(project))
    );
    for inputs in [
        tables::material_inputs(project),
        tables::alternatives(project),
        tables::product_inputs(project),
    ] {
        if !inputs.rows.is_empty() {
            table(&mut out, &inputs.header, &inputs.rows);
        }
    }
    let notes = words::product_notes(project);
    if !notes.is_empty() {
        out.push_str("<ul class=\"notes\">\n");
        for note in notes {
            let _ = writeln!(out, "<li>{}</li>", escape(&note));
        }
        out.push_str("</ul>\n");
    }

    out.push_str("<h2>Method in brief</h2>\n");
    for paragraph in words::methodology(rec) {
        let _ = writeln!(out, "<p>{}</p>", escape(&paragraph));
    }
    let sourced: Vec<_> = project
        .materials
        .iter()
        .filter(|m| !m.notes.trim().is_empty())
        .collect();
    if !sourced.is_empty() {
        out.push_str("<h2>Sources</h2>\n<ul class=\"notes\">\n");
        for m in sourced {
            let _ = writeln!(
                out,
                "<li><b>{}</b>: {}</li>",
                escape(&m.name),
                escape(m.notes.trim())
            );
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(
        out,
        "<footer>Written by {APP} {} on {date}. {}</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        escape(&words::provenance(project, rec, &date))
    );
    Ok(out)
}
