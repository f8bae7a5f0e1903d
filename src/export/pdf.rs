//! PDF with krilla: real, selectable text in the embedded DejaVu fonts, charts embedded
//! as vectors (their SVG through krilla-svg), page numbers.
//!
//! The pages follow the report's outline (`report`): the executive summary on page 1,
//! then what to hold, a section per material, and the rest. Content is laid out first
//! into display lists, then drawn, so every page can say "page i of n"; every heading
//! is a bookmark.

use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla_svg::{SurfaceExt, SvgSettings};

use super::ChartSelection;
use super::ExportError;
use super::chart::{chart_svg_of, tornado_size, tornado_svg};
use super::fonts;
use super::report::{Block, Figure, Level, Report, TORNADO_BARS, Tone};
use super::tables::{self, is_figure};
use super::text::{self as words, APP};
use crate::engine::Recommendation;
use crate::project::Project;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const LEFT: f32 = 50.0;
const RIGHT: f32 = PAGE_W - 50.0;
const TOP: f32 = 56.0;
const BOTTOM: f32 = PAGE_H - 60.0;
const TEXT_W: f32 = RIGHT - LEFT;
/// Points a chart pixel may shrink to: the charts' smallest text (12 px axis labels)
/// then prints at 7 pt.
const MIN_CHART_SCALE: f32 = 7.0 / 12.0;

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

/// Words after which a line may not break: a figure and its unit stay together
/// ("13.3 t", "250,000 USD", "3 months").
fn is_unit(word: &str) -> bool {
    matches!(
        word.trim_end_matches([',', ';', ':', '.', ')']),
        "kg" | "t" | "%" | "days" | "day" | "months" | "month" | "paths"
    ) || (word.len() >= 3
        && word
            .trim_end_matches([',', ';', ':', '.', ')'])
            .chars()
            .all(|c| c.is_ascii_uppercase())
        && word.trim_end_matches([',', ';', ':', '.', ')']).len() == 3)
}

/// The units a line breaks between: words, with a number glued to the unit after it.
fn tokens(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in paragraph.split_whitespace() {
        let after_number = out
            .last()
            .is_some_and(|last| last.ends_with(|c: char| c.is_ascii_digit()));
        match out.last_mut() {
            Some(last) if after_number && is_unit(word) => {
                last.push(' ');
                last.push_str(word);
            }
            _ => out.push(word.to_owned()),
        }
    }
    out
}

/// Greedy word wrap to `max` points; a figure never leaves its unit.
fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in tokens(paragraph) {
            let word = word.as_str();
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

/// Column widths in points and the type size. Each column is at least as wide as its
/// longest header word and its widest figure (`need`), so nothing breaks mid-word or
/// leaves its unit; when the page allows, as wide as its cells on one line (`natural`),
/// so a short name does not wrap and make its row three lines high. What is left over
/// is shared by the hints. A table whose words cannot all fit is set smaller, down to
/// `min_size`.
fn fit_columns(
    header: &[String],
    hints: &[f32],
    rows: &[Vec<String>],
    (size, min_size): (f32, f32),
    pad: f32,
) -> (Vec<f32>, f32) {
    let columns = header.len().max(hints.len());
    let hint = |i: usize| hints.get(i).copied().unwrap_or(1.0);
    let total_hint: f32 = (0..columns).map(hint).sum();
    let cells = |i: usize| rows.iter().filter_map(move |row| row.get(i));
    let needs = |size: f32| -> Vec<f32> {
        (0..columns)
            .map(|i| {
                let head = header.get(i).map_or(0.0, |h| {
                    tokens(h)
                        .iter()
                        .map(|w| width(w, size, true))
                        .fold(0.0, f32::max)
                });
                let widest = cells(i)
                    .map(|cell| {
                        if is_figure(cell) {
                            width(cell, size, false)
                        } else {
                            tokens(cell)
                                .iter()
                                .map(|w| width(w, size, false))
                                .fold(0.0, f32::max)
                                .min(TEXT_W * 0.4)
                        }
                    })
                    .fold(0.0, f32::max);
                head.max(widest) + 2.0 * pad + 0.5
            })
            .collect()
    };
    let mut size = size;
    let mut need = needs(size);
    while need.iter().sum::<f32>() > TEXT_W && size > min_size {
        size = (size - 0.25).max(min_size);
        need = needs(size);
    }
    let natural: Vec<f32> = need
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let one_line = cells(i)
                .map(|cell| width(cell, size, false).min(TEXT_W * 0.4))
                .fold(0.0, f32::max);
            n.max(one_line + 2.0 * pad + 0.5)
        })
        .collect();
    let sum = |v: &[f32]| v.iter().sum::<f32>();
    if sum(&natural) <= TEXT_W {
        // The room left first unwraps the headers (a two-line header is lighter than a
        // four-line one), then goes by the hints.
        let mut cols = natural;
        let header_line: Vec<f32> = (0..columns)
            .map(|i| header.get(i).map_or(0.0, |h| width(h, size, true)) + 2.0 * pad + 0.5)
            .collect();
        // About two lines a header; half the room at most, so that figures keep
        // some air between them.
        let wants: Vec<f32> = cols
            .iter()
            .zip(&header_line)
            .map(|(c, h)| (h / 2.0 - c).max(0.0))
            .collect();
        let spare = TEXT_W - sum(&cols);
        let total_wants = sum(&wants);
        let given = (spare / 2.0).min(total_wants);
        if given > 0.0 {
            for (c, w) in cols.iter_mut().zip(&wants) {
                *c += given * w / total_wants;
            }
        }
        let spare = TEXT_W - sum(&cols);
        for (i, c) in cols.iter_mut().enumerate() {
            *c += spare * hint(i) / total_hint;
        }
        return (cols, size);
    }
    if sum(&need) <= TEXT_W {
        // Every column its words; the rest shared fairly among the columns that wrap:
        // the ones that need little ("too late") get all of it, the long ones (a
        // scenario's description) share what is left equally.
        let mut cols = need;
        let wants: Vec<f32> = natural.iter().zip(&cols).map(|(n, m)| n - m).collect();
        let mut by_want: Vec<usize> = (0..columns).collect();
        by_want.sort_by(|&a, &b| wants[a].total_cmp(&wants[b]));
        let mut spare = TEXT_W - sum(&cols);
        for (done, &i) in by_want.iter().enumerate() {
            let give = wants[i].min(spare / (columns - done) as f32);
            cols[i] += give;
            spare -= give;
        }
        return (cols, size);
    }
    // Words wider than the page: the hints, and long words break by characters.
    let cols = (0..columns)
        .map(|i| hint(i) / total_hint * TEXT_W)
        .collect();
    (cols, size)
}

/// How a table is set: its type size, the smallest it may shrink to for its words to
/// fit, and the padding around a cell.
#[derive(Clone, Copy, Debug, PartialEq)]
struct TableStyle {
    size: f32,
    min_size: f32,
    pad: f32,
}

/// The report's tables.
const TABLE: TableStyle = TableStyle {
    size: 8.0,
    min_size: 6.5,
    pad: 2.5,
};

/// The executive summary's tables, largest first: page 1 takes the first that lets the
/// whole summary fit, never under 7 pt.
const DENSE_TABLES: [TableStyle; 3] = [
    TableStyle {
        size: 8.0,
        min_size: 7.0,
        pad: 2.0,
    },
    TableStyle {
        size: 7.5,
        min_size: 7.0,
        pad: 1.5,
    },
    TableStyle {
        size: 7.0,
        min_size: 7.0,
        pad: 1.0,
    },
];

/// A chart's natural scale, points a pixel: the text width, or the page's height.
fn chart_scale(w: f32, h: f32) -> f32 {
    (TEXT_W / w).min((BOTTOM - TOP - 6.0) / h)
}

/// A table's columns as laid out: widths in points, which are right-aligned, the type.
struct Grid {
    cols: Vec<f32>,
    right_aligned: Vec<bool>,
    size: f32,
    leading: f32,
    pad: f32,
}

/// Lays content out top to bottom, opening pages as needed.
struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Where the last heading starts (its bookmark's target).
    heading_top: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
            heading_top: TOP,
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

    /// A list item behind `marker` ("•", or its rank "1.").
    fn bullet(&mut self, marker: &str, text: &str, size: f32) {
        let indent = (width(marker, size, true) + 6.0).max(14.0);
        let lines = wrap(text, size, false, TEXT_W - indent);
        let leading = size * 1.35;
        self.ensure(leading * lines.len().min(3) as f32);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(leading);
            let baseline = self.y + size;
            if i == 0 {
                self.text_at(LEFT + 2.0, baseline, size, true, ACCENT, marker);
            }
            self.text_at(LEFT + indent, baseline, size, false, INK, line);
            self.y += leading;
        }
        self.y += size * 0.4;
    }

    /// A heading, wrapped when long (a long material name), kept with what follows.
    fn heading(&mut self, text: &str, size: f32) {
        let lines = wrap(text, size, true, TEXT_W);
        let leading = size * 1.25;
        self.ensure(size * 0.6 + leading * lines.len() as f32 + 60.0);
        self.y += size * 0.5;
        self.heading_top = self.y;
        for line in &lines {
            let baseline = self.y + size;
            self.text_at(LEFT, baseline, size, true, ACCENT, line);
            self.y += leading;
        }
        self.y += size * 0.35;
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

    /// A table: `widths` are shares of the text width; cells wrap; the first column and
    /// columns of words (a scenario's name) are left-aligned, columns of figures
    /// right-aligned. The header repeats on a new page.
    fn table(
        &mut self,
        header: &[String],
        widths: &[f32],
        rows: &[Vec<String>],
        style: TableStyle,
    ) {
        let (cols, size) = fit_columns(
            header,
            widths,
            rows,
            (style.size, style.min_size),
            style.pad,
        );
        let grid = Grid {
            right_aligned: tables::text_columns(cols.len(), rows)
                .into_iter()
                .map(|text| !text)
                .collect(),
            cols,
            size,
            leading: size * 1.25,
            pad: style.pad,
        };
        let lay_row = |cells: &[String], bold: bool| -> Vec<Vec<String>> {
            cells
                .iter()
                .zip(&grid.cols)
                .map(|(cell, w)| wrap(cell, size, bold, w - 2.0 * grid.pad))
                .collect()
        };
        let height = |lines: &[Vec<String>]| {
            lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * grid.leading + 2.0 * grid.pad
        };
        let header_lines = lay_row(header, true);
        let header_h = height(&header_lines);
        let draw_header = |layout: &mut Layout| {
            let y = layout.y;
            layout.ops().push(Op::Rect {
                x: LEFT,
                y,
                w: TEXT_W,
                h: header_h,
                color: HEADER_BG,
            });
            layout.draw_cells(&header_lines, &grid, y, true);
            layout.y += header_h;
        };
        self.ensure(header_h + grid.leading * 2.0 + 2.0 * grid.pad);
        draw_header(self);
        for row in rows {
            let lines = lay_row(row, false);
            let h = height(&lines);
            if self.y + h > BOTTOM {
                self.new_page();
                draw_header(self);
            }
            let y = self.y;
            self.draw_cells(&lines, &grid, y, false);
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

    /// One row's cells, already wrapped, from `top`.
    fn draw_cells(&mut self, cells: &[Vec<String>], grid: &Grid, top: f32, bold: bool) {
        let mut x = LEFT;
        for ((lines, w), right) in cells.iter().zip(&grid.cols).zip(&grid.right_aligned) {
            for (i, line) in lines.iter().enumerate() {
                let baseline = top + grid.pad + i as f32 * grid.leading + grid.size * 0.95;
                let tx = if *right {
                    x + w - grid.pad - width(line, grid.size, bold)
                } else {
                    x + grid.pad
                };
                self.text_at(tx, baseline, grid.size, bold, INK, line);
            }
            x += w;
        }
    }

    /// Whether a chart of `size` pixels fits the room left on the page at its
    /// natural scale, and that scale prints its text at 7 pt or more.
    fn chart_fits(&self, (w, h): (f64, f64)) -> bool {
        let (w, h) = (w as f32, h as f32);
        let scale = chart_scale(w, h);
        scale >= MIN_CHART_SCALE && h * scale <= BOTTOM - self.y - 6.0
    }

    /// A chart (`svg` of `size` pixels) at the text width; when the page has less room
    /// it shrinks, but never below `MIN_CHART_SCALE` (its text would print under 7 pt):
    /// then it goes to the next page.
    fn chart(&mut self, svg: String, (w, h): (f64, f64)) {
        let (w, h) = (w as f32, h as f32);
        let room = BOTTOM - self.y - 6.0;
        let fit = chart_scale(w, h);
        let scale = if h * fit <= room {
            fit
        } else if h * MIN_CHART_SCALE <= room {
            room / h
        } else {
            self.new_page();
            fit
        };
        let (cw, ch) = (w * scale, h * scale);
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
    }
}

/// A figure of every material, two panels a row (so its text prints at 7 pt or more),
/// broken between rows like a table: each page takes as many rows as its room holds,
/// under the figure's title and legend, so a figure never leaves half a page blank.
fn all_materials_figure(
    l: &mut Layout,
    project: &Project,
    rec: &Recommendation,
    selection: &ChartSelection,
) -> Result<(), ExportError> {
    let materials: Vec<usize> = (0..project.materials.len()).collect();
    let mut next = 0;
    while next < materials.len() {
        let rest = &materials[next..];
        let mut take = rest.len();
        let mut part = chart_svg_of(project, rec, selection, rest.to_vec(), true)?;
        while !l.chart_fits(part.1) && take > 2 {
            // One row fewer: 5 panels become 4, 4 become 2.
            take = (take - 1) / 2 * 2;
            part = chart_svg_of(project, rec, selection, rest[..take].to_vec(), true)?;
        }
        if !l.chart_fits(part.1) && l.y > TOP {
            // Not even a row fits here: a fresh page takes as many as it can.
            l.new_page();
            continue;
        }
        l.chart(part.0, part.1);
        next += take;
    }
    Ok(())
}

/// A bookmark: a heading's text, level and place.
struct Bookmark {
    level: Level,
    text: String,
    page: usize,
    y: f32,
}

pub fn render(report: &Report, date: &str) -> Result<Vec<u8>, ExportError> {
    // Page 1 is what comes before the outline's first page break: the executive
    // summary, tried at each dense size until it fits (it has no charts: cheap).
    let summary_blocks = report
        .blocks
        .iter()
        .position(|block| *block == Block::PageBreak)
        .map_or(&report.blocks[..], |end| &report.blocks[..end]);
    let mut dense = DENSE_TABLES[DENSE_TABLES.len() - 1];
    for style in DENSE_TABLES {
        let mut trial = Layout::new();
        lay_out(&mut trial, report, summary_blocks, style)?;
        if trial.pages.len() == 1 {
            dense = style;
            break;
        }
    }
    let mut l = Layout::new();
    let bookmarks = lay_out(&mut l, report, &report.blocks, dense)?;
    draw(report.project, report.rec, l.pages, &bookmarks, date)
}

/// Lays `blocks` out on `l`, the executive summary's tables in `dense`; returns the
/// headings' bookmarks.
fn lay_out(
    l: &mut Layout,
    report: &Report,
    blocks: &[Block],
    dense: TableStyle,
) -> Result<Vec<Bookmark>, ExportError> {
    let (project, rec) = (report.project, report.rec);
    let mut bookmarks = Vec::new();
    for block in blocks {
        match block {
            Block::Title {
                title,
                subtitle,
                provenance,
            } => {
                l.paragraph(title, 17.0, true, INK);
                l.paragraph(subtitle, 11.0, false, ACCENT);
                l.space(2.0);
                l.paragraph(provenance, 7.5, false, MUTED);
                l.space(3.0);
                l.rule();
            }
            Block::Heading { level, text } => {
                let size = match level {
                    Level::Section => 14.0,
                    Level::Subsection => 10.0,
                };
                l.heading(text, size);
                bookmarks.push(Bookmark {
                    level: *level,
                    text: text.clone(),
                    page: l.pages.len() - 1,
                    y: l.heading_top,
                });
            }
            Block::Paragraph { tone, label, text } => {
                let text = match label {
                    Some(label) => format!("{label} {text}"),
                    None => text.clone(),
                };
                match tone {
                    Tone::Body | Tone::Prose => l.paragraph(&text, 8.5, false, INK),
                    Tone::Note => l.paragraph(&text, 7.5, false, MUTED),
                    Tone::Warning => {
                        l.paragraph_in(LEFT + 14.0, TEXT_W - 14.0, &text, 8.5, false, WARNING)
                    }
                }
                l.space(4.0);
            }
            Block::Bullets(items) => {
                for item in items {
                    // A rank is the item's marker; a longer label leads its text.
                    let (marker, text) = match &item.label {
                        Some(label) if label.chars().count() <= 3 => {
                            (label.as_str(), item.text.clone())
                        }
                        Some(label) => ("•", format!("{label} {}", item.text)),
                        None => ("•", item.text.clone()),
                    };
                    l.bullet(marker, &text, 8.5);
                    for warning in &item.warnings {
                        l.paragraph_in(LEFT + 14.0, TEXT_W - 14.0, warning, 8.0, false, WARNING);
                        l.space(3.0);
                    }
                }
                l.space(2.0);
            }
            Block::Table { table, hints } => {
                if hints.fold_pairs {
                    // Two (label, value) pairs a row: the page is wide and the list long.
                    let rows: Vec<Vec<String>> = table
                        .rows
                        .chunks(2)
                        .map(|pair| pair.iter().flatten().cloned().collect())
                        .collect();
                    let mut header = table.header.clone();
                    header.extend(table.header.iter().cloned());
                    let mut widths = hints.widths.clone();
                    widths.extend(hints.widths.iter().copied());
                    l.table(&header, &widths, &rows, TABLE);
                } else {
                    let style = if hints.dense { dense } else { TABLE };
                    l.table(&table.header, &hints.widths, &table.rows, style);
                }
            }
            Block::Chart(Figure::Plot(selection)) => match selection.material {
                Some(m) => {
                    let (svg, size) = chart_svg_of(project, rec, selection, vec![m], true)?;
                    l.chart(svg, size);
                }
                None => all_materials_figure(l, project, rec, selection)?,
            },
            Block::Chart(Figure::Tornado(material)) => {
                if let Some(sensitivity) = &report.inputs.sensitivity {
                    let bars = sensitivity
                        .materials
                        .get(*material)
                        .map_or(0, |m| m.bars.len().min(TORNADO_BARS));
                    let svg = tornado_svg(project, sensitivity, *material, true)?;
                    l.chart(svg, tornado_size(bars, true));
                }
            }
            Block::PageBreak => {
                if l.y > TOP {
                    l.new_page();
                }
            }
        }
    }
    Ok(bookmarks)
}

fn draw(
    project: &Project,
    rec: &Recommendation,
    pages: Vec<Vec<Op>>,
    bookmarks: &[Bookmark],
    date: &str,
) -> Result<Vec<u8>, ExportError> {
    let painter = Painter::new()?;
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
        for op in ops {
            painter.op(&mut surface, op)?;
        }
        painter.footer(&mut surface, &footer, number + 1, total);
        surface.finish();
        page.finish();
    }
    document.set_outline(outline(bookmarks, total));
    document
        .finish()
        .map_err(|e| ExportError::render("PDF", format!("{e:?}")))
}

/// Draws the laid-out operations onto a page with the embedded fonts.
struct Painter {
    regular: Font,
    bold: Font,
    svg_options: usvg::Options<'static>,
}

fn fill(c: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

impl Painter {
    fn new() -> Result<Self, ExportError> {
        let font = |data: &'static [u8]| {
            Font::new(data.into(), 0)
                .ok_or_else(|| ExportError::Render("the embedded font is unreadable".to_owned()))
        };
        Ok(Painter {
            regular: font(fonts::REGULAR)?,
            bold: font(fonts::BOLD)?,
            svg_options: svg_options(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        surface: &mut krilla::surface::Surface,
        x: f32,
        y: f32,
        size: f32,
        is_bold: bool,
        color: (u8, u8, u8),
        t: &str,
    ) {
        surface.set_fill(Some(fill(color)));
        surface.set_stroke(None);
        let font = if is_bold { &self.bold } else { &self.regular };
        surface.draw_text(
            Point::from_xy(x, y),
            font.clone(),
            size,
            t,
            false,
            TextDirection::Auto,
        );
    }

    fn line(
        surface: &mut krilla::surface::Surface,
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: (u8, u8, u8),
    ) {
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

    fn op(&self, surface: &mut krilla::surface::Surface, op: Op) -> Result<(), ExportError> {
        match op {
            Op::Text {
                x,
                y,
                size,
                bold,
                color,
                text,
            } => {
                if !text.is_empty() {
                    self.text(surface, x, y, size, bold, color, &text);
                }
            }
            Op::Line {
                from,
                to,
                width,
                color,
            } => Self::line(surface, from, to, width, color),
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
                let tree = usvg::Tree::from_str(&svg, &self.svg_options)
                    .map_err(|e| ExportError::render("chart for the PDF", e))?;
                let size = Size::from_wh(w, h)
                    .ok_or_else(|| ExportError::Render("a chart has no size".to_owned()))?;
                surface.push_transform(&Transform::from_translate(x, y));
                surface.draw_svg(&tree, size, SvgSettings::default());
                surface.pop();
            }
        }
        Ok(())
    }

    /// Footer: the run on the left, wrapped in its column; the page number and the
    /// program on the right, so a long project name can never run into them.
    fn footer(
        &self,
        surface: &mut krilla::surface::Surface,
        footer: &str,
        number: usize,
        total: usize,
    ) {
        let line_y = PAGE_H - 40.0;
        Self::line(surface, (LEFT, line_y), (RIGHT, line_y), 0.5, RULE);
        let right_column = [
            format!("Page {number} of {total}"),
            format!("{APP} {}", env!("CARGO_PKG_VERSION")),
        ];
        let right_w = right_column
            .iter()
            .map(|t| width(t, FOOTER_SIZE, false))
            .fold(0.0, f32::max);
        for (i, line) in right_column.iter().enumerate() {
            let w = width(line, FOOTER_SIZE, false);
            let y = PAGE_H - 30.0 + i as f32 * FOOTER_LEADING;
            self.text(surface, RIGHT - w, y, FOOTER_SIZE, false, MUTED, line);
        }
        for (i, line) in footer_lines(footer, TEXT_W - right_w - 16.0)
            .iter()
            .enumerate()
        {
            let y = PAGE_H - 30.0 + i as f32 * FOOTER_LEADING;
            self.text(surface, LEFT, y, FOOTER_SIZE, false, MUTED, line);
        }
    }
}

const FOOTER_SIZE: f32 = 7.0;
const FOOTER_LEADING: f32 = 8.5;

/// The footer's run line wrapped to `max` points, in at most three lines (the last
/// shortened with an ellipsis if the project's name is longer still).
fn footer_lines(footer: &str, max: f32) -> Vec<String> {
    let mut lines = wrap(footer, FOOTER_SIZE, false, max);
    if lines.len() > 3 {
        let rest = lines[2..].join(" ");
        lines.truncate(2);
        let size = f64::from(FOOTER_SIZE) * EM_TO_PLOTTERS;
        lines.push(fonts::fit_text(&rest, size, size, false, f64::from(max)).0);
    }
    lines
}

/// The PDF's bookmarks: every section, with its subsections under it (a material's
/// section is its name).
fn outline(bookmarks: &[Bookmark], pages: usize) -> Outline {
    let mut outline = Outline::new();
    let node = |b: &Bookmark| {
        OutlineNode::new(
            b.text.clone(),
            XyzDestination::new(
                b.page.min(pages.saturating_sub(1)),
                Point::from_xy(LEFT, b.y),
            ),
        )
    };
    let mut section: Option<OutlineNode> = None;
    for bookmark in bookmarks {
        match bookmark.level {
            Level::Section => {
                if let Some(done) = section.replace(node(bookmark)) {
                    outline.push_child(done);
                }
            }
            Level::Subsection => match section.as_mut() {
                Some(parent) => parent.push_child(node(bookmark)),
                None => outline.push_child(node(bookmark)),
            },
        }
    }
    if let Some(done) = section {
        outline.push_child(done);
    }
    outline
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_never_leaves_its_unit_and_a_header_never_breaks_mid_word() {
        let text = "Hold 39.2 t of NdPr oxide (210 days, 58% of a year's consumption): 34.0 t of strategic buffer plus 5,121 kg of safety stock; holding costs 430,754 USD a year over 3 months.";
        for max in (60..500).step_by(7).map(|w| w as f32) {
            let lines = wrap(text, 8.5, false, max);
            for pair in lines.windows(2) {
                let next = pair[1].split_whitespace().next().unwrap_or("");
                assert!(
                    !(pair[0].ends_with(|c: char| c.is_ascii_digit()) && is_unit(next)),
                    "{max}: {pair:?}"
                );
            }
        }
        let header: Vec<String> = [
            "Material",
            "Stockout risk at on hand",
            "Run-out risk following the plan",
        ]
        .map(str::to_owned)
        .to_vec();
        let rows = vec![vec![
            "NdPr oxide".to_owned(),
            "100%".to_owned(),
            "1,234,567 kg".to_owned(),
        ]];
        let (cols, size) = fit_columns(&header, &[6.0, 0.2, 0.2], &rows, (8.0, 6.5), 3.0);
        assert!((cols.iter().sum::<f32>() - TEXT_W).abs() < 0.5, "{cols:?}");
        for (col, head) in cols.iter().zip(&header) {
            for word in head.split_whitespace() {
                assert!(width(word, size, true) + 6.0 <= *col, "{word} in {col}");
            }
        }
        assert!(width("1,234,567 kg", size, false) + 6.0 <= cols[2]);
    }
}
