//! The report as one outline (issue 14 item 2): a list of blocks — headings, paragraphs,
//! bullets, tables, charts, page-break hints — built once here and rendered by the PDF,
//! HTML and Markdown writers, which only draw. So the three formats cannot disagree on
//! what a report says or in which order; a new section is written once.

use super::summary::{BudgetSummary, Driver, ExecutiveSummary};
use super::tables::{self, Table};
use super::text as words;
use super::{ChartKind, ChartSelection, ExportError, ReportFormat};
use crate::engine::budget::{self, BudgetAllocation};
use crate::engine::qualify::{self, QualifyComparison};
use crate::engine::sensitivity::{self, DEFAULT_SENSITIVITY_PATHS, Sensitivity};
use crate::engine::{Recommendation, RunControl, RunOptions};
use crate::project::Project;
use crate::units;

/// The most inputs a material's tornado chart and table show.
pub const TORNADO_BARS: usize = 10;

/// What a report adds to the recommendation: computed once, shared by every format.
#[derive(Default)]
pub struct ReportInputs {
    pub sensitivity: Option<Sensitivity>,
    /// Why the sensitivity is missing when it could not run (an input's low or high
    /// value leaves the allowed range, say): the report says so instead of failing.
    pub sensitivity_error: Option<String>,
    pub budget: Option<BudgetAllocation>,
    pub qualify: Option<Vec<QualifyComparison>>,
}

impl ReportInputs {
    /// Runs the sensitivity (at most `DEFAULT_SENSITIVITY_PATHS` paths, as the
    /// `sensitivity` command does, on the run's seed and service level), the
    /// qualify-or-stockpile comparison (on the run's paths and seed) and, with an
    /// amount, the budget allocation.
    pub fn compute(
        project: &Project,
        rec: &Recommendation,
        budget_amount: Option<f64>,
    ) -> Result<Self, ExportError> {
        let options = RunOptions {
            paths: Some(rec.paths as u32),
            seed: Some(rec.seed),
            service_level: Some(rec.service_level),
        };
        let sensitivity_options = RunOptions {
            paths: Some((rec.paths as u32).min(DEFAULT_SENSITIVITY_PATHS)),
            ..options
        };
        let control = RunControl::unwatched();
        let (sensitivity, sensitivity_error) =
            match sensitivity::sensitivity(project, &sensitivity_options, None, &control) {
                Ok(result) => (Some(result), None),
                Err(err) => (None, Some(err.to_string())),
            };
        let qualify = qualify::compare_qualify_ahead(project, &options, rec, &control)
            .map_err(|err| ExportError::render("qualify-or-stockpile comparison", err))?;
        Ok(Self {
            sensitivity,
            sensitivity_error,
            budget: budget_amount.map(|amount| budget::allocate(rec, amount)),
            qualify: Some(qualify),
        })
    }

    /// What `format` shows: the outline's formats (PDF, HTML, Markdown) need every
    /// input; CSV and XLSX do not show the summary yet, so nothing is run for them.
    pub fn for_format(
        project: &Project,
        rec: &Recommendation,
        format: ReportFormat,
        budget_amount: Option<f64>,
    ) -> Result<Self, ExportError> {
        match format {
            // The XLSX opens with the same executive summary as the documents.
            ReportFormat::Pdf
            | ReportFormat::Html
            | ReportFormat::Markdown
            | ReportFormat::Xlsx => Self::compute(project, rec, budget_amount),
            ReportFormat::Csv => Ok(Self {
                budget: budget_amount.map(|amount| budget::allocate(rec, amount)),
                ..Self::default()
            }),
        }
    }

    pub fn summary(&self, project: &Project, rec: &Recommendation) -> ExecutiveSummary {
        ExecutiveSummary::new(
            project,
            rec,
            self.sensitivity.as_ref(),
            self.budget.as_ref(),
            self.qualify.as_deref(),
        )
    }
}

/// A heading's rank: sections (with a PDF bookmark at the top level) and their parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Section,
    Subsection,
}

/// How a paragraph reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Body,
    /// An explanation in smaller, muted type.
    Note,
    /// An open-ended shortfall: the warning colour, indented under its figure.
    Warning,
    /// The user's own prose (descriptions, notes): line breaks kept.
    Prose,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bullet {
    /// A lead-in in bold ("1.", a material's name), if any.
    pub label: Option<String>,
    pub text: String,
    /// Warnings under the item (open-ended shortfalls).
    pub warnings: Vec<String>,
}

impl Bullet {
    fn plain(text: String) -> Self {
        Self {
            label: None,
            text,
            warnings: Vec::new(),
        }
    }

    fn labelled(label: String, text: String) -> Self {
        Self {
            label: Some(label),
            text,
            warnings: Vec::new(),
        }
    }
}

/// What a chart block draws.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    Plot(ChartSelection),
    /// A material's tornado (index into the materials).
    Tornado(usize),
}

/// How a table is laid out on a page (the other formats ignore it).
#[derive(Clone, Debug, PartialEq)]
pub struct TableHints {
    /// Column widths as shares of the text width.
    pub widths: Vec<f32>,
    /// A two-column (label, value) list the PDF folds into two pairs a row.
    pub fold_pairs: bool,
    /// A summary table the PDF sets in small type with tight rows, so page 1 holds
    /// the whole executive summary.
    pub dense: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// The report's head: the project's name, what the report is, the run.
    Title {
        title: String,
        subtitle: String,
        provenance: String,
    },
    Heading {
        level: Level,
        text: String,
    },
    Paragraph {
        tone: Tone,
        /// A bold lead-in ("Build-up plan."), if any.
        label: Option<String>,
        text: String,
    },
    Bullets(Vec<Bullet>),
    Table {
        table: Table,
        hints: TableHints,
    },
    Chart(Figure),
    /// Start a new page here (paged formats only).
    PageBreak,
}

/// The report: its blocks in reading order, the summary they were built from, and
/// the inputs the charts need.
pub struct Report<'a> {
    pub project: &'a Project,
    pub rec: &'a Recommendation,
    pub inputs: &'a ReportInputs,
    pub blocks: Vec<Block>,
}

impl Report<'_> {
    /// The section and subsection headings, in order: the outline every format shares.
    pub fn headings(&self) -> Vec<(Level, &str)> {
        self.blocks
            .iter()
            .filter_map(|block| match block {
                Block::Heading { level, text } => Some((*level, text.as_str())),
                _ => None,
            })
            .collect()
    }
}

/// Builds the outline.
pub fn build<'a>(
    project: &'a Project,
    rec: &'a Recommendation,
    inputs: &'a ReportInputs,
    date: &str,
) -> Report<'a> {
    let summary = inputs.summary(project, rec);
    let mut b = Builder::default();
    b.push(Block::Title {
        title: project.name.clone(),
        subtitle: "Strategic stockpile recommendation".to_owned(),
        provenance: words::provenance(project, rec, date),
    });
    // The description waits for the end ("About this project"): page 1 is the summary.
    executive_summary(&mut b, project, rec, inputs, &summary);
    b.push(Block::PageBreak);
    what_to_hold(&mut b, project, rec);
    for index in 0..project.materials.len() {
        material_section(&mut b, project, rec, inputs, &summary, index);
    }
    b.push(Block::PageBreak);
    b.heading(
        Level::Section,
        "How sure: the spread of the buffer, and what it costs",
    );
    b.paragraph(
        Tone::Body,
        "The fan shows how the strategic buffer needed varies over the simulated paths; the cost curves weigh holding stock against running short, with the cost-optimal stock marked.",
    );
    b.push(Block::Chart(Figure::Plot(ChartSelection::all(
        ChartKind::Fan,
    ))));
    b.push(Block::Chart(Figure::Plot(ChartSelection::all(
        ChartKind::Cost,
    ))));
    b.push(Block::PageBreak);
    b.heading(Level::Section, "Build-up plan, all materials");
    b.table(
        tables::buildup(project, rec),
        &[1.6, 1.0, 0.8, 0.9, 0.9, 1.1, 1.1, 1.0, 0.9],
    );
    b.heading(Level::Section, "How the target is made up");
    b.table(
        tables::composition(project, rec),
        &[1.6, 0.8, 1.0, 1.0, 1.0, 1.4, 1.1, 1.1],
    );
    scenarios(&mut b, project, rec);
    b.heading(Level::Section, "Targets by month");
    b.paragraph(
        Tone::Body,
        "Recommended stock (blended) at the start of each month.",
    );
    let monthly = tables::targets_by_month(project, rec);
    let widths = std::iter::once(0.9)
        .chain(std::iter::repeat_n(1.0, project.materials.len()))
        .collect::<Vec<_>>();
    b.table(monthly, &widths);
    b.push(Block::PageBreak);
    inputs_section(&mut b, project);
    b.heading(Level::Section, "Method in brief");
    for paragraph in words::methodology(rec) {
        b.paragraph(Tone::Body, &paragraph);
    }
    let sources: Vec<Bullet> = project
        .materials
        .iter()
        .filter(|m| !m.notes.trim().is_empty())
        .map(|m| Bullet::labelled(format!("{}:", m.name), m.notes.trim().to_owned()))
        .collect();
    if !sources.is_empty() {
        b.heading(Level::Section, "Sources");
        b.push(Block::Bullets(sources));
    }
    if !project.description.trim().is_empty() {
        b.heading(Level::Section, "About this project");
        b.paragraph(Tone::Prose, project.description.trim());
    }
    Report {
        project,
        rec,
        inputs,
        blocks: b.blocks,
    }
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
}

impl Builder {
    fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    fn heading(&mut self, level: Level, text: &str) {
        self.push(Block::Heading {
            level,
            text: text.to_owned(),
        });
    }

    fn paragraph(&mut self, tone: Tone, text: &str) {
        self.push(Block::Paragraph {
            tone,
            label: None,
            text: text.to_owned(),
        });
    }

    fn table(&mut self, table: Table, widths: &[f32]) {
        self.push(Block::Table {
            table,
            hints: TableHints {
                widths: widths.to_vec(),
                fold_pairs: false,
                dense: false,
            },
        });
    }

    /// A dense table whose columns share the width by what they hold.
    fn dense_table(&mut self, table: Table) {
        self.push(Block::Table {
            hints: TableHints {
                widths: vec![1.0; table.header.len()],
                fold_pairs: false,
                dense: true,
            },
            table,
        });
    }
}

/// Page 1, for a board member: the totals, then one line per material in each table
/// (so the page grows by a row, not a table, with every material), the drivers one
/// line each. The tables are dense: the PDF sets them small enough to keep page 1 one
/// page (docs/EXPORTS.md "Executive summary").
fn executive_summary(
    b: &mut Builder,
    project: &Project,
    rec: &Recommendation,
    inputs: &ReportInputs,
    summary: &ExecutiveSummary,
) {
    let currency = &project.currency;
    b.heading(Level::Section, "Executive summary");
    b.paragraph(Tone::Body, &summary.totals_sentences().join(" "));

    b.heading(Level::Subsection, "What to buy first");
    b.paragraph(
        Tone::Note,
        &format!(
            "Most urgent first: ranked by the expected shortage cost that buying the whole gap avoids, per {currency} the gap costs at today's price. The build-up plan is too late when the driving scenario runs today's stock dry before the plan reaches the target."
        ),
    );
    b.dense_table(actions_table(summary, rec, currency));

    b.heading(Level::Subsection, "Stock each scenario needs");
    b.dense_table(stock_by_scenario_table(summary));

    b.heading(Level::Subsection, "What drives the stockpile");
    match &summary.drivers {
        Some(drivers) if !drivers.is_empty() => {
            b.paragraph(
                Tone::Note,
                "The three inputs whose low and high values move a stockpile most, valued at today's price.",
            );
            b.dense_table(drivers_table(drivers));
        }
        Some(_) => b.paragraph(
            Tone::Body,
            "No input moves any recommendation between its low and high value.",
        ),
        None => b.paragraph(
            Tone::Note,
            &match &inputs.sensitivity_error {
                Some(err) => format!("The sensitivity could not be computed: {err}."),
                None => "The sensitivity was not computed.".to_owned(),
            },
        ),
    }

    if let Some(budget) = &summary.budget {
        b.heading(
            Level::Subsection,
            &format!("Spending {}", units::money(budget.amount, currency)),
        );
        b.paragraph(Tone::Body, &budget.sentence);
        if budget.rows.iter().any(|r| r.kg > 0.0) {
            b.dense_table(budget_table(budget, currency));
        }
    }
    // Qualify or stockpile is stated in each material's section: page 1 has no room.
}

/// What to buy, what it is worth and whether the build-up plan is in time: one line a
/// material, most urgent first. The XLSX keeps the sentences beside its tables.
fn actions_table(summary: &ExecutiveSummary, rec: &Recommendation, currency: &str) -> Table {
    let dash = || "—".to_owned();
    let rows = summary
        .actions
        .iter()
        .map(|a| {
            let has_gap = a.gap_kg > 0.0;
            let plan = summary
                .feasibility
                .iter()
                .find(|f| f.material == a.material);
            let month = |month: Option<usize>| units::month_or_never(rec.start, month);
            vec![
                format!("{}. {}", a.rank, a.material_name),
                if has_gap {
                    units::mass(a.gap_kg)
                } else {
                    "nothing".to_owned()
                },
                if has_gap {
                    units::money(a.gap_cost_at_todays_price, currency)
                } else {
                    dash()
                },
                if !has_gap {
                    dash()
                } else if a.avoided_per_money.is_finite() {
                    units::thousands(a.avoided_per_money, 2)
                } else {
                    "free".to_owned()
                },
                words::probability(a.stockout_probability_at_on_hand),
                match plan {
                    Some(f) if has_gap => month(f.reaches_recommendation_month),
                    _ => dash(),
                },
                plan.map_or_else(dash, |f| month(f.driving_run_out_month)),
                if !has_gap {
                    "no gap"
                } else if a.too_late {
                    "too late"
                } else {
                    "yes"
                }
                .to_owned(),
                plan.map_or_else(dash, |f| {
                    words::probability(f.run_out_probability_following_plan)
                }),
            ]
        })
        .collect();
    let header = [
        "Material".to_owned(),
        "Buy".to_owned(),
        "Cost today".to_owned(),
        format!("Shortage cost avoided per {currency}"),
        "Stockout risk now".to_owned(),
        "Plan reaches target".to_owned(),
        "Runs dry now (driving)".to_owned(),
        "In time".to_owned(),
        "Run-out risk on plan".to_owned(),
    ]
    .to_vec();
    Table { header, rows }
}

/// The recommended stock each scenario alone needs: a row per material (the page grows
/// by a line per material), a column per scenario with its weight, then the blend.
fn stock_by_scenario_table(summary: &ExecutiveSummary) -> Table {
    let table = &summary.stock_by_scenario;
    let header = std::iter::once("Material".to_owned())
        .chain(table.rows.iter().map(|row| {
            if row.is_blend {
                row.label.clone()
            } else {
                format!("{} ({})", row.label, units::percent(row.weight))
            }
        }))
        .collect();
    let rows = table
        .material_names
        .iter()
        .enumerate()
        .map(|(material, name)| {
            std::iter::once(name.clone())
                .chain(table.rows.iter().map(|row| {
                    row.recommended_stock_kg
                        .get(material)
                        .map_or_else(String::new, |&kg| units::mass(kg))
                }))
                .collect()
        })
        .collect();
    Table { header, rows }
}

fn drivers_table(drivers: &[Driver]) -> Table {
    Table {
        header: [
            "Input",
            "Material",
            "Low",
            "High",
            "Stock at low",
            "Stock at high",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: drivers
            .iter()
            .map(|d| {
                vec![
                    d.input_label.clone(),
                    d.material_name.clone(),
                    d.input_low.clone(),
                    d.input_high.clone(),
                    units::mass(d.recommended_low_kg),
                    units::mass(d.recommended_high_kg),
                ]
            })
            .collect(),
    }
}

/// Where the budget goes: only the materials it buys (the others are as in the first
/// table), with their risks before and after.
fn budget_table(budget: &BudgetSummary, currency: &str) -> Table {
    Table {
        header: [
            "Material",
            "Buy now",
            "Cost",
            "Stockout risk before",
            "Stockout risk after",
            "Expected shortfall before",
            "Expected shortfall after",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: budget
            .rows
            .iter()
            .filter(|r| r.kg > 0.0)
            .map(|r| {
                vec![
                    r.material_name.clone(),
                    units::mass(r.kg),
                    units::money(r.cost, currency),
                    words::probability(r.stockout_probability_before),
                    words::probability(r.stockout_probability_after),
                    units::mass(r.expected_shortfall_kg_before),
                    units::mass(r.expected_shortfall_kg_after),
                ]
            })
            .collect(),
    }
}

/// The materials side by side: the table, what no stockpile fixes, the overview chart.
/// Each recommendation's sentence opens its material's section; said here as well, it
/// pushed the chart off the page and made a reader read every figure twice.
fn what_to_hold(b: &mut Builder, project: &Project, rec: &Recommendation) {
    b.heading(Level::Section, "What to hold");
    b.table(
        tables::summary(project, rec),
        &[2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3, 1.6],
    );
    b.paragraph(
        Tone::Note,
        &format!(
            "Days of cover and % of annual consumption are the units of public stockpile targets (Japan's JOGMEC: 60 days, up to 180 for high-risk metals; EU Critical Raw Materials Act: % of annual consumption). Recommended stock = safety stock + strategic buffer at the {}; stockout risk at on hand = the chance that today's stock runs short under the blended scenarios.",
            words::service_level(rec)
        ),
    );
    for (material, m) in project.materials.iter().zip(&rec.materials) {
        for sentence in words::open_ended_sentences(project, m) {
            b.push(Block::Paragraph {
                tone: Tone::Warning,
                label: Some(format!("{}:", material.name)),
                text: sentence,
            });
        }
    }
    b.push(Block::Chart(Figure::Plot(ChartSelection::all(
        ChartKind::Target,
    ))));
}

fn material_section(
    b: &mut Builder,
    project: &Project,
    rec: &Recommendation,
    inputs: &ReportInputs,
    summary: &ExecutiveSummary,
    index: usize,
) {
    let (Some(material), Some(m)) = (project.materials.get(index), rec.materials.get(index)) else {
        return;
    };
    b.push(Block::PageBreak);
    b.heading(Level::Section, &material.name);
    b.paragraph(
        Tone::Body,
        &words::recommendation_sentence(project, rec, index),
    );
    for sentence in words::open_ended_sentences(project, m) {
        b.paragraph(Tone::Warning, &sentence);
    }
    b.push(Block::Paragraph {
        tone: Tone::Body,
        label: Some("Build-up plan.".to_owned()),
        text: words::buildup_sentences(project, rec, index).join(" "),
    });
    if let Some(line) = summary
        .qualify
        .iter()
        .flatten()
        .find(|q| q.comparison.material == index)
    {
        b.push(Block::Paragraph {
            tone: Tone::Body,
            label: Some("Qualify or stockpile.".to_owned()),
            text: line.sentence.clone(),
        });
    }
    b.push(Block::Table {
        table: Table {
            header: vec!["Figure".to_owned(), "Value".to_owned()],
            rows: tables::material_figures(project, rec, index)
                .into_iter()
                .map(Vec::from)
                .collect(),
        },
        hints: TableHints {
            widths: vec![1.3, 1.2],
            fold_pairs: true,
            dense: false,
        },
    });
    b.table(
        tables::by_scenario(project, rec, m),
        &[1.9, 0.7, 1.0, 0.9, 1.0, 0.9, 0.9, 1.0, 0.9],
    );
    let selection = |kind| {
        Figure::Plot(ChartSelection {
            material: Some(index),
            scenario: None,
            kind,
        })
    };
    b.push(Block::Chart(selection(ChartKind::Target)));
    b.push(Block::Chart(selection(ChartKind::Compare)));
    b.push(Block::Chart(selection(ChartKind::Buildup)));
    if let Some(sensitivity) = &inputs.sensitivity {
        tornado(b, project, sensitivity, index);
    }
}

/// A material's "What drives it": the tornado chart and its table.
fn tornado(b: &mut Builder, project: &Project, sensitivity: &Sensitivity, index: usize) {
    let Some(figures) = sensitivity.materials.get(index) else {
        return;
    };
    let name = project.materials.get(index).map_or("", |m| m.name.as_str());
    b.heading(Level::Subsection, &words::tornado_heading(name));
    if figures.bars.is_empty() {
        b.paragraph(Tone::Body, words::NO_INPUT_MOVES);
        return;
    }
    let shown = figures.bars.len().min(TORNADO_BARS);
    b.paragraph(Tone::Note, &words::tornado_note(sensitivity, index, shown));
    b.push(Block::Chart(Figure::Tornado(index)));
    b.table(
        Table {
            header: [
                "Input",
                "Low",
                "High",
                "Stock at low",
                "Stock at high",
                "Swing",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: figures
                .bars
                .iter()
                .take(shown)
                .filter_map(|bar| {
                    let input = sensitivity.inputs.get(bar.input)?;
                    Some(vec![
                        input.label.clone(),
                        input.low.to_string(),
                        input.high.to_string(),
                        units::mass(bar.recommended_low_kg),
                        units::mass(bar.recommended_high_kg),
                        units::mass(bar.swing_kg()),
                    ])
                })
                .collect(),
        },
        &[2.6, 0.9, 0.9, 1.0, 1.0, 0.9],
    );
}

fn scenarios(b: &mut Builder, project: &Project, rec: &Recommendation) {
    b.heading(Level::Section, "Scenarios and their assumptions");
    for (s, scenario) in project.scenarios.iter().enumerate() {
        let weight = rec.scenario_weights.get(s).copied().unwrap_or(0.0);
        b.heading(
            Level::Subsection,
            &format!("{} (probability {})", scenario.name, units::percent(weight)),
        );
        if !scenario.description.trim().is_empty() {
            b.paragraph(Tone::Prose, scenario.description.trim());
        }
        if !scenario.notes.trim().is_empty() {
            b.push(Block::Paragraph {
                tone: Tone::Note,
                label: Some("Notes:".to_owned()),
                text: scenario.notes.trim().to_owned(),
            });
        }
        let events = if scenario.events.is_empty() {
            vec![Bullet::plain("No disruption.".to_owned())]
        } else {
            scenario
                .events
                .iter()
                .map(|event| Bullet::plain(words::describe_event(project, event)))
                .collect()
        };
        b.push(Block::Bullets(events));
    }
}

fn inputs_section(b: &mut Builder, project: &Project) {
    b.heading(Level::Section, "Inputs");
    b.paragraph(Tone::Body, words::rebuild_after_disruption(project));
    b.table(
        tables::material_inputs(project),
        &[1.7, 1.3, 0.9, 1.0, 0.9, 1.0, 1.1, 0.9],
    );
    let alternatives = tables::alternatives(project);
    if !alternatives.rows.is_empty() {
        b.table(alternatives, &[1.5, 1.7, 1.0, 1.0, 1.3, 0.8]);
    }
    b.table(
        tables::product_inputs(project),
        &[1.6, 0.9, 0.8, 0.8, 0.8, 2.6],
    );
    let notes: Vec<Bullet> = words::product_notes(project)
        .into_iter()
        .map(Bullet::plain)
        .collect();
    if !notes.is_empty() {
        b.push(Block::Bullets(notes));
    }
}
