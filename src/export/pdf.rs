//! PDF with krilla: real, selectable text in the embedded DejaVu fonts, charts embedded
//! as vectors (their SVG through krilla-svg), page numbers.
//!
//! Pages: a one-page summary (what to hold, in days of cover and % of annual
//! consumption), the overview chart, one page per material (figures, scenarios,
//! charts), the scenarios' assumptions, the inputs, the method and the sources.
//! Content is laid out first into display lists, then drawn, so every page can say
//! "page i of n".

use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla_svg::{SurfaceExt, SvgSettings};

use super::chart::{chart_size_for, chart_svg_for};
use super::fonts;
use super::tables;
use super::text::{self as words, APP};
use super::{ChartKind, ChartSelection, ExportError};
use crate::engine::Recommendation;
use crate::project::Project;
use crate::units;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const LEFT: f32 = 50.0;
const RIGHT: f32 = PAGE_W - 50.0;
const TOP: f32 = 56.0;
const BOTTOM: f32 = PAGE_H - 60.0;
const TEXT_W: f32 = RIGHT - LEFT;
/// Below this a chart's labels are too small to read on paper.
const MIN_CHART_HEIGHT: f32 = 230.0;

/// DejaVu Sans: (ascender - descender) / units per em = (1901 + 483) / 2048. The
/// fonts module measures at plotters' pixel scale (ascender to descender), a PDF
/// font size is the em.
const EM_TO_PLOTTERS: f64 = 2384.0 / 2048.0;

const INK: (u8, u8, u8) = (35, 35, 35);
const MUTED: (u8, u8, u8) = (110, 110, 110);
const ACCENT: (u8, u8, u8) = (0, 84, 140);
const RULE: (u8, u8, u8) = (210, 210, 210);
const HEADER_BG: (u8, u8, u8) = (232, 238, 244);
/// Open-ended shortfalls: the app's warning colour, darkened for print.
const WARNING: (u8, u8, u8) = (176, 66, 0);

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: (u8, u8, u8),
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
    Svg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        svg: String,
    },
}

fn width(text: &str, size: f32, bold: bool) -> f32 {
    fonts::text_width(text, f64::from(size) * EM_TO_PLOTTERS, bold) as f32
}

/// Greedy word wrap to `max` points.
fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size, bold) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the column (a long id or address) is broken by characters.
            for c in word.chars() {
                line.push(c);
                if width(&line, size, bold) > max && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Lays content out top to bottom, opening pages as needed.
struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, color: (u8, u8, u8), text: &str) {
        self.ops().push(Op::Text {
            x,
            y,
            size,
            bold,
            color,
            text: text.to_owned(),
        });
    }

    /// A wrapped paragraph at the full text width.
    fn paragraph(&mut self, text: &str, size: f32, bold: bool, color: (u8, u8, u8)) {
        self.paragraph_in(LEFT, TEXT_W, text, size, bold, color);
    }

    fn paragraph_in(
        &mut self,
        x: f32,
        max: f32,
        text: &str,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
    ) {
        let leading = size * 1.35;
        for line in wrap(text, size, bold, max) {
            self.ensure(leading);
            let baseline = self.y + size;
            self.text_at(x, baseline, size, bold, color, &line);
            self.y += leading;
        }
    }

    fn bullet(&mut self, text: &str, size: f32) {
        let lines = wrap(text, size, false, TEXT_W - 14.0);
        let leading = size * 1.35;
        self.ensure(leading * lines.len().min(3) as f32);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(leading);
            let baseline = self.y + size;
            if i == 0 {
                self.text_at(LEFT + 2.0, baseline, size, true, ACCENT, "•");
            }
            self.text_at(LEFT + 14.0, baseline, size, false, INK, line);
            self.y += leading;
        }
        self.y += size * 0.4;
    }

    /// A material's open-ended sentences in the warning colour, indented under the
    /// figure they qualify.
    fn open_ended(&mut self, project: &Project, rec: &Recommendation, index: usize, size: f32) {
        let Some(m) = rec.materials.get(index) else {
            return;
        };
        for sentence in words::open_ended_sentences(project, m) {
            self.paragraph_in(LEFT + 14.0, TEXT_W - 14.0, &sentence, size, false, WARNING);
            self.space(size * 0.4);
        }
    }

    fn heading(&mut self, text: &str, size: f32) {
        self.ensure(size * 3.5);
        self.y += size * 0.6;
        let baseline = self.y + size;
        self.text_at(LEFT, baseline, size, true, ACCENT, text);
        self.y += size * 1.5;
    }

    fn space(&mut self, h: f32) {
        self.y += h;
    }

    fn rule(&mut self) {
        let y = self.y;
        self.ops().push(Op::Line {
            from: (LEFT, y),
            to: (RIGHT, y),
            width: 0.5,
            color: RULE,
        });
        self.y += 4.0;
    }

    /// A table: `widths` are shares of the text width; cells wrap; the first column
    /// is left-aligned, the others right-aligned. The header repeats on a new page.
    fn table(&mut self, header: &[&str], widths: &[f32], rows: &[Vec<String>], size: f32) {
        let total: f32 = widths.iter().sum();
        let cols: Vec<f32> = widths.iter().map(|w| w / total * TEXT_W).collect();
        let pad = 3.0;
        let leading = size * 1.25;
        let lay_row = |cells: &[String], bold: bool| -> Vec<Vec<String>> {
            cells
                .iter()
                .zip(&cols)
                .map(|(cell, w)| wrap(cell, size, bold, w - 2.0 * pad))
                .collect()
        };
        let header_cells: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        let header_lines = lay_row(&header_cells, true);
        let header_h =
            header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * pad;
        let draw_header = |layout: &mut Layout| {
            let y = layout.y;
            layout.ops().push(Op::Rect {
                x: LEFT,
                y,
                w: TEXT_W,
                h: header_h,
                color: HEADER_BG,
            });
            layout.draw_cells(&header_lines, &cols, y + pad, size, leading, true, pad);
            layout.y += header_h;
        };
        self.ensure(header_h + leading * 2.0 + 2.0 * pad);
        draw_header(self);
        for row in rows {
            let lines = lay_row(row, false);
            let h = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * pad;
            if self.y + h > BOTTOM {
                self.new_page();
                draw_header(self);
            }
            let y = self.y;
            self.draw_cells(&lines, &cols, y + pad, size, leading, false, pad);
            self.y += h;
            let ry = self.y;
            self.ops().push(Op::Line {
                from: (LEFT, ry),
                to: (RIGHT, ry),
                width: 0.4,
                color: RULE,
            });
        }
        self.y += 8.0;
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_cells(
        &mut self,
        cells: &[Vec<String>],
        cols: &[f32],
        top: f32,
        size: f32,
        leading: f32,
        bold: bool,
        pad: f32,
    ) {
        let mut x = LEFT;
        for (index, (lines, w)) in cells.iter().zip(cols).enumerate() {
            for (i, line) in lines.iter().enumerate() {
                let baseline = top + i as f32 * leading + size * 0.95;
                let tx = if index == 0 {
                    x + pad
                } else {
                    x + w - pad - width(line, size, bold)
                };
                self.text_at(tx, baseline, size, bold, INK, line);
            }
            x += w;
        }
    }

    /// A chart scaled to the text width (or `max_h`, whichever is smaller).
    fn chart(
        &mut self,
        project: &Project,
        rec: &Recommendation,
        selection: ChartSelection,
        max_h: f32,
    ) -> Result<(), ExportError> {
        let (w, h) = chart_size_for(project, &selection, true);
        let scale = (TEXT_W / w as f32).min(max_h / h as f32);
        let (cw, ch) = (w as f32 * scale, h as f32 * scale);
        self.ensure(ch + 6.0);
        let svg = chart_svg_for(project, rec, &selection, true)?;
        let x = LEFT + (TEXT_W - cw) / 2.0;
        let y = self.y;
        self.ops().push(Op::Svg {
            x,
            y,
            w: cw,
            h: ch,
            svg,
        });
        self.y += ch + 10.0;
        Ok(())
    }
}

pub fn render(project: &Project, rec: &Recommendation) -> Result<Vec<u8>, ExportError> {
    let date = words::today();
    let mut l = Layout::new();

    // Page 1: the summary.
    l.paragraph(&project.name, 20.0, true, INK);
    l.paragraph("Strategic stockpile recommendation", 13.0, false, ACCENT);
    l.space(2.0);
    l.paragraph(&words::provenance(project, rec, &date), 8.0, false, MUTED);
    l.space(4.0);
    l.rule();
    l.heading("What to hold", 13.0);
    for index in 0..project.materials.len() {
        l.bullet(&words::recommendation_sentence(project, rec, index), 9.0);
        l.open_ended(project, rec, index, 8.5);
    }
    l.space(4.0);
    // Shorter headers than the other formats: the columns are narrow on A4.
    l.table(
        &[
            "Material",
            "Hold",
            "Days of cover",
            "% of annual use",
            "On hand",
            "Gap to buy",
            "Stockout risk now",
            "Holding cost / year",
            "Driving scenario",
        ],
        &[2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3, 1.6],
        &tables::summary(project, rec).rows,
        8.0,
    );
    l.paragraph(
        &format!(
            "Days of cover and % of annual consumption are the units of public stockpile targets (Japan's JOGMEC: 60 days, up to 180 for high-risk metals; EU Critical Raw Materials Act: % of annual consumption). Hold = safety stock + strategic buffer at the {}; stockout risk now = the chance that today's stock runs short under the blended scenarios.",
            words::service_level(rec)
        ),
        7.5,
        false,
        MUTED,
    );

    // Overview chart: on the summary page if it fits there at a readable size.
    let overview = ChartSelection::all(ChartKind::Target);
    let (w, h) = chart_size_for(project, &overview, true);
    let full_height = h as f32 * TEXT_W / w as f32;
    if BOTTOM - l.y - 20.0 < full_height * 0.8 {
        l.new_page();
    } else {
        l.space(6.0);
    }
    let room = (BOTTOM - l.y - 10.0).min(full_height);
    l.chart(project, rec, overview, room)?;

    // One page per material.
    for (index, (material, m)) in project.materials.iter().zip(&rec.materials).enumerate() {
        l.new_page();
        l.heading(&material.name, 15.0);
        l.paragraph(
            &words::recommendation_sentence(project, rec, index),
            9.0,
            false,
            INK,
        );
        l.space(3.0);
        l.open_ended(project, rec, index, 8.5);
        l.paragraph(
            &words::buildup_sentences(project, rec, index).join(" "),
            8.5,
            false,
            INK,
        );
        l.space(6.0);
        // Two figures a row: the page is wide and the list is long.
        let rows: Vec<Vec<String>> = tables::material_figures(project, rec, index)
            .chunks(2)
            .map(|pair| pair.iter().flatten().cloned().collect())
            .collect();
        l.table(
            &["Figure", "Value", "Figure", "Value"],
            &[1.3, 1.2, 1.3, 1.2],
            &rows,
            8.0,
        );
        l.table(
            &[
                "Scenario",
                "Weight",
                "Hold",
                "Stockout risk now",
                "Expected shortfall",
                "10% run out by",
                "Median run-out",
                "Short in last month",
                "Run-out risk on plan",
            ],
            &[1.9, 0.7, 0.9, 0.9, 1.0, 0.9, 0.9, 1.0, 0.9],
            &tables::by_scenario(project, rec, m).rows,
            8.0,
        );
        let selection = |kind| ChartSelection {
            material: Some(index),
            scenario: None,
            kind,
        };
        // The target under the tables, shrunk to the room left there rather than
        // pushed to a page of its own; by scenario and the build-up plan on the next page.
        let room = (BOTTOM - l.y - 10.0).clamp(MIN_CHART_HEIGHT, 350.0);
        l.chart(project, rec, selection(ChartKind::Target), room)?;
        l.new_page();
        l.chart(project, rec, selection(ChartKind::Compare), 350.0)?;
        l.chart(project, rec, selection(ChartKind::Buildup), 350.0)?;
    }

    // Spread and cost, every material at once.
    l.new_page();
    l.heading(
        "How sure: the spread of the buffer, and what it costs",
        13.0,
    );
    l.paragraph(
        "The fan shows how the strategic buffer needed varies over the simulated paths; the cost curves weigh holding stock against running short, with the cost-optimal stock marked.",
        8.5,
        false,
        INK,
    );
    l.space(4.0);
    let half = (BOTTOM - l.y - 20.0) / 2.0;
    l.chart(project, rec, ChartSelection::all(ChartKind::Fan), half)?;
    l.chart(project, rec, ChartSelection::all(ChartKind::Cost), half)?;

    // The build-up plans side by side, then the scenarios and their assumptions.
    l.new_page();
    l.heading("Build-up plan, all materials", 15.0);
    l.table(
        &[
            "Material",
            "Purchase cap",
            "Lead time",
            "Reaches the target",
            "Bought",
            "Plan cost",
            "Whole gap, today's price",
            "Saved by buying now",
            "Run-out risk on plan",
        ],
        &[1.6, 1.0, 0.8, 0.9, 0.9, 1.1, 1.1, 1.0, 0.9],
        &tables::buildup(project, rec).rows,
        8.0,
    );
    l.heading("Scenarios and their assumptions", 15.0);
    for (s, scenario) in project.scenarios.iter().enumerate() {
        let weight = rec.scenario_weights.get(s).copied().unwrap_or(0.0);
        l.heading(
            &format!("{} (probability {})", scenario.name, units::percent(weight)),
            11.0,
        );
        if !scenario.description.trim().is_empty() {
            l.paragraph(scenario.description.trim(), 8.5, false, INK);
            l.space(3.0);
        }
        if !scenario.notes.trim().is_empty() {
            l.paragraph(
                &format!("Notes: {}", scenario.notes.trim()),
                8.0,
                false,
                MUTED,
            );
            l.space(3.0);
        }
        if scenario.events.is_empty() {
            l.bullet("No disruption.", 8.5);
        }
        for event in &scenario.events {
            l.bullet(&words::describe_event(project, event), 8.5);
        }
    }

    // Inputs.
    l.new_page();
    l.heading("Inputs", 15.0);
    l.paragraph(words::rebuild_after_disruption(project), 8.5, false, INK);
    l.space(6.0);
    l.table(
        &[
            "Material",
            "Price",
            "Carrying cost / yr",
            "On hand",
            "Exposed share",
            "Lead time",
            "Purchase cap / month",
            "Other sources",
        ],
        &[1.7, 1.3, 0.9, 1.0, 0.9, 1.0, 1.1, 0.9],
        &tables::material_inputs(project).rows,
        8.0,
    );
    let alternatives = tables::alternatives(project);
    if !alternatives.rows.is_empty() {
        l.table(
            &alternatives.header,
            &[1.5, 1.7, 1.0, 1.0, 1.3, 0.8],
            &alternatives.rows,
            8.0,
        );
    }
    l.table(
        &[
            "Product",
            "Units / month",
            "Growth / yr",
            "Demand CV",
            "End use",
            "Bill of materials per unit",
        ],
        &[1.6, 0.9, 0.8, 0.8, 0.8, 2.6],
        &tables::product_inputs(project).rows,
        8.0,
    );
    for note in words::product_notes(project) {
        l.bullet(&note, 8.0);
    }

    // Method and sources.
    l.heading("Method in brief", 15.0);
    for paragraph in words::methodology(rec) {
        l.paragraph(&paragraph, 8.5, false, INK);
        l.space(4.0);
    }
    let sourced: Vec<_> = project
        .materials
        .iter()
        .filter(|m| !m.notes.trim().is_empty())
        .collect();
    if !sourced.is_empty() {
        l.heading("Sources", 15.0);
        for m in sourced {
            l.bullet(&format!("{}: {}", m.name, m.notes.trim()), 8.0);
        }
    }
    if !project.description.trim().is_empty() {
        l.heading("About this project", 11.0);
        l.paragraph(project.description.trim(), 8.0, false, INK);
    }

    draw(project, rec, l.pages, &date)
}

fn draw(
    project: &Project,
    rec: &Recommendation,
    pages: Vec<Vec<Op>>,
    date: &str,
) -> Result<Vec<u8>, ExportError> {
    let regular = Font::new(fonts::REGULAR.into(), 0)
        .ok_or_else(|| ExportError::Render("the embedded font is unreadable".to_owned()))?;
    let bold = Font::new(fonts::BOLD.into(), 0)
        .ok_or_else(|| ExportError::Render("the embedded font is unreadable".to_owned()))?;
    let svg_options = svg_options();
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{}: stockpile recommendation", project.name))
            .creator(format!("{APP} {}", env!("CARGO_PKG_VERSION"))),
    );
    let total = pages.len();
    let footer = words::provenance(project, rec, date);
    let page_size = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| ExportError::Render("bad page size".to_owned()))?;
    for (number, ops) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(page_size.clone());
        let mut surface = page.surface();
        let fill = |c: (u8, u8, u8)| Fill {
            paint: rgb::Color::new(c.0, c.1, c.2).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        };
        let text = |surface: &mut krilla::surface::Surface,
                    x: f32,
                    y: f32,
                    size: f32,
                    is_bold: bool,
                    color,
                    t: &str| {
            surface.set_fill(Some(fill(color)));
            surface.set_stroke(None);
            let font = if is_bold {
                bold.clone()
            } else {
                regular.clone()
            };
            surface.draw_text(
                Point::from_xy(x, y),
                font,
                size,
                t,
                false,
                TextDirection::Auto,
            );
        };
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold: is_bold,
                    color,
                    text: t,
                } => {
                    if !t.is_empty() {
                        text(&mut surface, x, y, size, is_bold, color, &t);
                    }
                }
                Op::Line {
                    from,
                    to,
                    width,
                    color,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(from.0, from.1);
                    pb.line_to(to.0, to.1);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(color.0, color.1, color.2).into(),
                            width,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Rect { x, y, w, h, color } => {
                    let mut pb = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                        pb.push_rect(rect);
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(color)));
                        surface.draw_path(&path);
                    }
                }
                Op::Svg { x, y, w, h, svg } => {
                    let tree = usvg::Tree::from_str(&svg, &svg_options)
                        .map_err(|e| ExportError::render("chart for the PDF", e))?;
                    let size = Size::from_wh(w, h)
                        .ok_or_else(|| ExportError::Render("a chart has no size".to_owned()))?;
                    surface.push_transform(&Transform::from_translate(x, y));
                    surface.draw_svg(&tree, size, SvgSettings::default());
                    surface.pop();
                }
            }
        }
        // Footer: the run on the left, the page number on the right.
        let line_y = PAGE_H - 40.0;
        let mut pb = PathBuilder::new();
        pb.move_to(LEFT, line_y);
        pb.line_to(RIGHT, line_y);
        if let Some(path) = pb.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(RULE.0, RULE.1, RULE.2).into(),
                width: 0.5,
                ..Default::default()
            }));
            surface.draw_path(&path);
        }
        let page_label = format!("Page {} of {}", number + 1, total);
        let label_w = width(&page_label, 7.5, false);
        let room = TEXT_W - label_w - 20.0;
        let mut footer_text = footer.clone();
        if width(&footer_text, 7.5, false) > room {
            // Drop the period first, then shorten with an ellipsis.
            if let Some(cut) = footer_text.rfind(" · ") {
                footer_text.truncate(cut);
            }
            let size = 7.5 * EM_TO_PLOTTERS;
            footer_text = fonts::fit_text(&footer_text, size, size, false, f64::from(room)).0;
        }
        text(
            &mut surface,
            LEFT,
            PAGE_H - 28.0,
            7.5,
            false,
            MUTED,
            &footer_text,
        );
        text(
            &mut surface,
            RIGHT - label_w,
            PAGE_H - 28.0,
            7.5,
            false,
            MUTED,
            &page_label,
        );
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ExportError::render("PDF", format!("{e:?}")))
}

/// usvg options with only the embedded fonts: the charts' "sans-serif" is DejaVu Sans.
fn svg_options() -> usvg::Options<'static> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(fonts::REGULAR.to_vec());
    db.load_font_data(fonts::BOLD.to_vec());
    db.set_sans_serif_family(fonts::DEJAVU);
    usvg::Options {
        font_family: fonts::DEJAVU.to_owned(),
        fontdb: Arc::new(db),
        ..Default::default()
    }
}
