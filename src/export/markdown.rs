//! Markdown: the summary and tables for a wiki page or an e-mail.

use std::fmt::Write as _;

use super::tables;
use super::text::{self as words, APP};
use crate::engine::Recommendation;
use crate::project::Project;
use crate::units;

/// A name written inline: Markdown's and HTML's special characters escaped, so a name
/// such as `<script>` or `*x*` is shown as written, and line breaks flattened.
fn inline_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
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

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let align: Vec<&str> = header
        .iter()
        .enumerate()
        .map(|(i, _)| if i == 0 { "---" } else { "---:" })
        .collect();
    let _ = writeln!(out, "|{}|", align.join("|"));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

pub fn render(project: &Project, rec: &Recommendation) -> String {
    let project = &crate::project::map_text(project, &inline_text, &prose_text);
    let date = words::today();
    let mut out = String::new();
    let _ = writeln!(out, "# {}: stockpile recommendation\n", cell(&project.name));
    let _ = writeln!(out, "_{}_\n", words::provenance(project, rec, &date));
    if !project.description.trim().is_empty() {
        let _ = writeln!(out, "{}\n", project.description.trim());
    }

    out.push_str("## What to hold\n\n");
    for (index, m) in rec.materials.iter().enumerate() {
        let _ = writeln!(
            out,
            "- {}",
            words::recommendation_sentence(project, rec, index)
        );
        // Beside the figure: an open-ended buffer is no one-off.
        for sentence in words::open_ended_sentences(project, m) {
            let _ = writeln!(out, "  - **Open-ended:** {sentence}");
        }
    }
    out.push('\n');

    let summary = tables::summary(project, rec);
    table(&mut out, &summary.header, &summary.rows);

    out.push_str("## How the target is made up\n\n");
    let rows = tables::per_material(project, rec, |material, m| {
        vec![
            material.name.clone(),
            words::level_percent(m.service_level),
            units::kg(m.mean_monthly_demand_kg),
            units::kg(m.safety_stock_kg),
            units::kg(m.strategic_buffer_kg),
            format!(
                "{} – {}",
                units::kg(m.strategic_buffer_ci95_kg[0]),
                units::kg(m.strategic_buffer_ci95_kg[1])
            ),
            units::kg(m.expected_shortfall_kg_at_on_hand),
            units::kg(m.cost_optimal_strategic_stock_kg),
        ]
    });
    table(
        &mut out,
        &[
            "Material",
            "Service level",
            "Demand / month",
            "Safety stock",
            "Strategic buffer",
            "Buffer 95% CI",
            "Expected shortfall at on hand",
            "Cost-optimal buffer",
        ],
        &rows,
    );

    out.push_str("## Scenarios\n\n");
    for (s, scenario) in project.scenarios.iter().enumerate() {
        let weight = rec.scenario_weights.get(s).copied().unwrap_or(0.0);
        let _ = writeln!(
            out,
            "### {} ({})\n",
            cell(&scenario.name),
            units::percent(weight)
        );
        if !scenario.description.trim().is_empty() {
            let _ = writeln!(out, "{}\n", scenario.description.trim());
        }
        if !scenario.notes.trim().is_empty() {
            let _ = writeln!(out, "_Notes:_ {}\n", scenario.notes.trim());
        }
        if scenario.events.is_empty() {
            out.push_str("- No disruption.\n");
        }
        for event in &scenario.events {
            let _ = writeln!(out, "- {}", words::describe_event(project, event));
        }
        out.push('\n');
        let rows = tables::per_material(project, rec, |material, m| {
            let f = &m.by_scenario[s];
            let mut row = vec![
                material.name.clone(),
                units::mass(f.recommended_stock_kg),
                units::mass(f.strategic_buffer_kg),
            ];
            row.extend(tables::scenario_outcome(rec, f));
            row
        });
        let mut header = vec!["Material", "Recommended stock", "Strategic buffer"];
        header.extend(tables::SCENARIO_OUTCOME_HEADER);
        table(&mut out, &header, &rows);
    }

    out.push_str("## Build-up plan\n\n");
    for (index, material) in project.materials.iter().enumerate() {
        let _ = writeln!(
            out,
            "- **{}**: {}",
            cell(&material.name),
            words::buildup_sentences(project, rec, index).join(" ")
        );
    }
    out.push('\n');
    let plan = tables::buildup(project, rec);
    table(&mut out, &plan.header, &plan.rows);

    out.push_str("## Targets by month\n\n");
    out.push_str("Recommended stock (blended) at the start of each month.\n\n");
    let mut header = vec!["Month".to_owned()];
    header.extend(project.materials.iter().map(|m| cell(&m.name)));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = (0..rec.horizon_months)
        .map(|t| {
            let mut row = vec![rec.month(t).to_string()];
            row.extend(
                rec.materials
                    .iter()
                    .map(|m| units::kg(m.monthly.recommended_stock_kg[t])),
            );
            row
        })
        .collect();
    table(&mut out, &header_refs, &rows);

    out.push_str("## Inputs\n\n");
    let _ = writeln!(out, "{}\n", words::rebuild_after_disruption(project));
    for inputs in [
        tables::material_inputs(project),
        tables::alternatives(project),
        tables::product_inputs(project),
    ] {
        if !inputs.rows.is_empty() {
            table(&mut out, &inputs.header, &inputs.rows);
        }
    }
    for note in words::product_notes(project) {
        let _ = writeln!(out, "- {note}");
    }
    out.push('\n');

    out.push_str("## Method in brief\n\n");
    for paragraph in words::methodology(rec) {
        let _ = writeln!(out, "{paragraph}\n");
    }
    let sources: Vec<_> = project
        .materials
        .iter()
        .filter(|m| !m.notes.trim().is_empty())
        .collect();
    if !sources.is_empty() {
        out.push_str("## Sources\n\n");
        for material in sources {
            let _ = writeln!(
                out,
                "- **{}**: {}",
                cell(&material.name),
                material.notes.trim()
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "---\n_Written by {APP} {} on {date}._",
        env!("CARGO_PKG_VERSION")
    );
    out
}
