//! Charts drawn with plotters: one drawing routine for every backend, so the SVG,
//! the PNG and the charts inside the HTML and PDF reports are the same picture.
//!
//! A figure is a header (title, subtitle, one shared legend), one panel per material
//! (small multiples when all materials are shown) and a footer naming the run.

use std::io::Write;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::fonts::{self, FAMILY};
use super::text::{self as words, APP};
use super::{ChartKind, ChartSelection, ExportError};
use crate::engine::sensitivity::{Bar, Sensitivity};
use crate::engine::{MaterialRecommendation, Recommendation, ScenarioFigures};
use crate::project::Project;
use crate::units;
use crate::vocabulary::palette;
use crate::vocabulary::series::{self as shared, Stroke};

/// PNGs are drawn at twice the SVG's size, sharp enough for a slide.
pub const PNG_SCALE: f64 = 2.0;

const fn rgb(color: palette::Rgb) -> RGBColor {
    RGBColor(color.0, color.1, color.2)
}

const BLUE: RGBColor = rgb(palette::BLUE);
const ORANGE: RGBColor = rgb(palette::ORANGE);
const GREEN: RGBColor = rgb(palette::GREEN);
const VERMILION: RGBColor = rgb(palette::VERMILION);
const PURPLE: RGBColor = rgb(palette::PURPLE);
const DARK: RGBColor = rgb(palette::DARK);
const GREY: RGBColor = rgb(palette::GREY);
const GRID: RGBColor = rgb(palette::GRID);

const SINGLE_WIDTH: f64 = 1000.0;
const SINGLE_PANEL_HEIGHT: f64 = 440.0;
const PANEL_WIDTH: f64 = 500.0;
const PANEL_HEIGHT: f64 = 330.0;
/// Two compact panels a row fill a printed page's text width at 0.59 pt a pixel, so
/// the 12-pixel axis labels print at 7 pt.
const COMPACT_PANEL_WIDTH: f64 = 420.0;
const COMPACT_PANEL_HEIGHT: f64 = 300.0;
const LEGEND_TOP: f64 = 74.0;
const LEGEND_ROW: f64 = 22.0;
const FOOTER: f64 = 32.0;
const MARGIN: f64 = 20.0;

#[derive(Clone, Copy)]
enum Swatch {
    Line(RGBColor, u32),
    Dashed(RGBColor),
    Band(RGBColor, f64),
    Bar(RGBColor),
    /// An unfilled bar: orders, beside the filled arrivals.
    Outline(RGBColor),
    Marker(RGBColor),
}

struct LegendItem {
    label: String,
    swatch: Swatch,
}

/// Where everything goes, in SVG pixels (the PNG multiplies by its scale).
struct Layout {
    materials: Vec<usize>,
    cols: usize,
    width: f64,
    height: f64,
    header: f64,
    footer: f64,
    legend_rows: Vec<Vec<(LegendItem, f64)>>,
}

fn legend(project: &Project, sel: &ChartSelection) -> Vec<LegendItem> {
    let item = |label: &str, swatch| LegendItem {
        label: label.to_owned(),
        swatch,
    };
    let scenario_name = sel
        .scenario
        .and_then(|s| project.scenarios.get(s))
        .map(|s| s.name.clone());
    let mut items = Vec::new();
    match sel.kind {
        ChartKind::Target => {
            if let Some(name) = &scenario_name {
                items.push(item(
                    &format!("Recommended stock if {name}"),
                    Swatch::Line(BLUE, 3),
                ));
                items.push(item("Blended recommendation", Swatch::Line(GREY, 1)));
            } else {
                items.push(item("95% confidence interval", Swatch::Band(BLUE, 0.2)));
                items.push(item(
                    "Recommended stock (safety + strategic)",
                    Swatch::Line(BLUE, 3),
                ));
            }
            items.push(item("Safety stock", Swatch::Dashed(GREY)));
            items.push(item("On hand", Swatch::Dashed(VERMILION)));
        }
        ChartKind::Fan => {
            items.push(item("5th–95th percentile", Swatch::Band(BLUE, 0.15)));
            items.push(item("25th–75th percentile", Swatch::Band(BLUE, 0.35)));
            items.push(item("Median", Swatch::Line(BLUE, 2)));
            items.push(item("Buffer at the service level", Swatch::Dashed(DARK)));
            if let Some(name) = &scenario_name {
                items.push(item(
                    &format!("{name} at the service level"),
                    Swatch::Line(ORANGE, 2),
                ));
            }
        }
        ChartKind::Compare => {
            for series in shared::compare_legend(project, |_| true, sel.scenario) {
                let swatch = match series.stroke {
                    Stroke::Solid { width } => Swatch::Line(rgb(series.color), width as u32),
                    Stroke::Dashed { .. } => Swatch::Dashed(rgb(series.color)),
                };
                items.push(item(&series.label, swatch));
            }
        }
        ChartKind::Cost => {
            items.push(item("Expected cost", Swatch::Line(BLUE, 2)));
            items.push(item("Cost-optimal stock", Swatch::Marker(VERMILION)));
            items.push(item("Recommended buffer", Swatch::Dashed(DARK)));
            items.push(item("Strategic stock on hand", Swatch::Dashed(GREEN)));
        }
        ChartKind::Buildup => {
            items.push(item("Orders, in the month placed", Swatch::Outline(ORANGE)));
            items.push(item(
                "Arrivals, in the month they arrive",
                Swatch::Bar(GREEN),
            ));
            items.push(item("Stock under the plan", Swatch::Line(BLUE, 3)));
            items.push(item("Target by month", Swatch::Dashed(DARK)));
            items.push(item("Today's recommendation", Swatch::Line(GREY, 1)));
            let capped = selected_materials(project, sel)
                .iter()
                .any(|&m| project.materials[m].max_purchase_kg_per_month.is_some());
            if capped {
                items.push(item("Purchase cap per month", Swatch::Dashed(PURPLE)));
            }
            items.push(item(
                "Reaches today's recommendation",
                Swatch::Dashed(GREEN),
            ));
            items.push(item(
                "Runs dry (driving scenario, today's stock)",
                Swatch::Dashed(VERMILION),
            ));
        }
    }
    items
}

fn selected_materials(project: &Project, sel: &ChartSelection) -> Vec<usize> {
    match sel.material {
        Some(m) if m < project.materials.len() => vec![m],
        Some(_) => Vec::new(),
        None => (0..project.materials.len()).collect(),
    }
}

const LEGEND_FONT: f64 = 13.0;
const SWATCH: f64 = 26.0;

/// `compact`: for embedding in a page that has its own heading and footer (the PDF):
/// narrower (so text is larger once scaled to the page) and without the footer.
fn layout(project: &Project, sel: &ChartSelection, compact: bool) -> Layout {
    layout_of(project, sel, selected_materials(project, sel), compact)
}

/// The layout for `materials` (a subset of the selection when a page splits a figure).
/// Compact figures have at most two panels a row, so that scaled to a printed page
/// their text stays at 7 pt or more.
fn layout_of(
    project: &Project,
    sel: &ChartSelection,
    materials: Vec<usize>,
    compact: bool,
) -> Layout {
    let n = materials.len();
    let (single_width, single_height, footer) = if compact {
        (700.0, 380.0, 0.0)
    } else {
        (SINGLE_WIDTH, SINGLE_PANEL_HEIGHT, FOOTER)
    };
    let (cols, width) = match n {
        0 | 1 => (1, single_width),
        _ if compact => (2, 2.0 * COMPACT_PANEL_WIDTH),
        2..=4 => (2, 2.0 * PANEL_WIDTH),
        _ => (3, 3.0 * PANEL_WIDTH),
    };
    let panel_height = if compact {
        COMPACT_PANEL_HEIGHT
    } else {
        PANEL_HEIGHT
    };
    let rows = n.div_ceil(cols).max(1);
    let mut legend_rows: Vec<Vec<(LegendItem, f64)>> = vec![Vec::new()];
    let mut x = 0.0;
    let limit = width - 2.0 * MARGIN;
    for item in legend(project, sel) {
        let w = SWATCH + 6.0 + fonts::text_width(&item.label, LEGEND_FONT, false) + 22.0;
        if x + w > limit && x > 0.0 {
            legend_rows.push(Vec::new());
            x = 0.0;
        }
        if let Some(row) = legend_rows.last_mut() {
            row.push((item, x));
        }
        x += w;
    }
    let header = LEGEND_TOP + legend_rows.len() as f64 * LEGEND_ROW + 8.0;
    let panels = if n <= 1 {
        single_height
    } else {
        rows as f64 * panel_height
    };
    Layout {
        materials,
        cols,
        width,
        height: header + panels + footer,
        header,
        footer,
        legend_rows,
    }
}

/// The SVG's size in pixels for a selection; the PNG is `PNG_SCALE` times larger.
pub fn chart_size(project: &Project, selection: &ChartSelection) -> (u32, u32) {
    chart_size_for(project, selection, false)
}

pub(crate) fn chart_size_for(
    project: &Project,
    selection: &ChartSelection,
    compact: bool,
) -> (u32, u32) {
    let layout = layout(project, selection, compact);
    (layout.width.round() as u32, layout.height.round() as u32)
}

/// The chart as an SVG document.
pub fn chart_svg_string(
    project: &Project,
    rec: &Recommendation,
    selection: &ChartSelection,
) -> Result<String, ExportError> {
    chart_svg_for(project, rec, selection, false)
}

pub(crate) fn chart_svg_for(
    project: &Project,
    rec: &Recommendation,
    selection: &ChartSelection,
    compact: bool,
) -> Result<String, ExportError> {
    let materials = selected_materials(project, selection);
    chart_svg_of(project, rec, selection, materials, compact).map(|(svg, _)| svg)
}

/// The figure of `selection` for `materials` only (a page's share of an all-materials
/// figure), with its size in pixels.
pub(crate) fn chart_svg_of(
    project: &Project,
    rec: &Recommendation,
    selection: &ChartSelection,
    materials: Vec<usize>,
    compact: bool,
) -> Result<(String, (f64, f64)), ExportError> {
    super::check_shapes(project, rec)?;
    fonts::register();
    let lay = layout_of(project, selection, materials, compact);
    let size = (lay.width.round(), lay.height.round());
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (size.0 as u32, size.1 as u32)).into_drawing_area();
        draw(&root, project, rec, selection, &lay, 1.0)
            .map_err(|e| ExportError::render("chart", e))?;
        root.present()
            .map_err(|e| ExportError::render("chart", format!("{e:?}")))?;
    }
    Ok((svg, size))
}

pub fn write_chart_svg(
    project: &Project,
    rec: &Recommendation,
    selection: &ChartSelection,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let svg = chart_svg_string(project, rec, selection)?;
    out.write_all(svg.as_bytes())
        .map_err(|e| ExportError::render("chart", e))
}

/// The chart as a PNG at `PNG_SCALE` times the SVG's size.
pub fn write_chart_png(
    project: &Project,
    rec: &Recommendation,
    selection: &ChartSelection,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    super::check_shapes(project, rec)?;
    fonts::register();
    let (width, height) = chart_size(project, selection);
    let (width, height) = (
        (f64::from(width) * PNG_SCALE).round() as u32,
        (f64::from(height) * PNG_SCALE).round() as u32,
    );
    let mut pixels = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        let lay = layout(project, selection, false);
        draw(&root, project, rec, selection, &lay, PNG_SCALE)
            .map_err(|e| ExportError::render("chart", e))?;
        root.present()
            .map_err(|e| ExportError::render("chart", format!("{e:?}")))?;
    }
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| ExportError::render("PNG", e))?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| ExportError::render("PNG", e))?;
    writer.finish().map_err(|e| ExportError::render("PNG", e))
}

fn title(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Target => "Recommended stock over time",
        ChartKind::Fan => "Strategic buffer needed: spread over the simulated paths",
        ChartKind::Compare => "Recommended stock by scenario",
        ChartKind::Cost => "Expected cost against strategic stock",
        ChartKind::Buildup => "Build-up plan toward the target",
    }
}

fn subtitle(project: &Project, sel: &ChartSelection) -> String {
    let blend = format!(
        "blended over {} scenario{} by their probabilities",
        project.scenarios.len(),
        if project.scenarios.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    let named = sel.scenario.and_then(|s| project.scenarios.get(s));
    match (sel.kind, named) {
        (ChartKind::Target, Some(s)) => format!("Scenario: {}", s.name),
        (ChartKind::Fan, Some(s)) => format!(
            "Percentiles {blend}; the orange line is scenario {}",
            s.name
        ),
        (ChartKind::Compare, Some(s)) => {
            format!("Each scenario's own target; {} highlighted", s.name)
        }
        (ChartKind::Compare, None) => {
            "Each scenario's own target (safety stock + that scenario's buffer)".to_owned()
        }
        (ChartKind::Cost | ChartKind::Buildup, Some(_)) => {
            format!("Always {blend} (per-scenario figures are in the reports)")
        }
        (_, _) => {
            let mut text = blend;
            text[..1].make_ascii_uppercase();
            text
        }
    }
}

/// A linear axis from 0 with the labels (key points) chosen here: months on round
/// steps, values on 1-2-2.5-5 steps.
struct Axis {
    top: f64,
    keys: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = if self.top > 0.0 {
            value / self.top
        } else {
            0.0
        };
        let share = if share.is_finite() { share } else { 0.0 };
        limit.0 + ((f64::from(limit.1 - limit.0)) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.keys.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        0.0..self.top
    }
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// A drawing that failed inside plotters. Its error type is generic over the
/// backend, so only its text can travel up to [`ExportError::Render`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct DrawError(String);

fn err<E: std::fmt::Debug>(e: E) -> DrawError {
    DrawError(format!("{e:?}"))
}

/// Draws the whole figure; sizes are SVG pixels times `k`.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    project: &Project,
    rec: &Recommendation,
    sel: &ChartSelection,
    lay: &Layout,
    k: f64,
) -> Result<(), DrawError> {
    let px = |v: f64| (v * k).round() as i32;
    root.fill(&WHITE).map_err(err)?;

    // Header.
    let material_part = match sel.material.and_then(|m| project.materials.get(m)) {
        Some(m) => m.name.clone(),
        None if lay.materials.len() == 1 => project.materials[lay.materials[0]].name.clone(),
        None if lay.materials.len() < project.materials.len() => lay
            .materials
            .iter()
            .filter_map(|&m| project.materials.get(m).map(|m| m.name.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
        None => "all materials".to_owned(),
    };
    let text_room = lay.width - 2.0 * MARGIN;
    let (title_text, title_size) = fonts::fit_text(
        &format!("{} · {}", title(sel.kind), material_part),
        24.0,
        15.0,
        true,
        text_room,
    );
    let title_style = TextStyle::from((FAMILY, title_size * k, FontStyle::Bold)).color(&DARK);
    root.draw_text(&title_text, &title_style, (px(MARGIN), px(14.0)))
        .map_err(err)?;
    let (sub_text, sub_size) =
        fonts::fit_text(&subtitle(project, sel), 15.0, 12.0, false, text_room);
    let sub_style = TextStyle::from((FAMILY, sub_size * k)).color(&GREY);
    root.draw_text(&sub_text, &sub_style, (px(MARGIN), px(46.0)))
        .map_err(err)?;
    let legend_style = TextStyle::from((FAMILY, LEGEND_FONT * k)).color(&DARK);
    for (row_index, row) in lay.legend_rows.iter().enumerate() {
        let y = LEGEND_TOP + row_index as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        for (item, x) in row {
            let x0 = MARGIN + x;
            draw_swatch(root, item.swatch, x0, y, k)?;
            let style = legend_style.pos(Pos::new(HPos::Left, VPos::Center));
            root.draw_text(&item.label, &style, (px(x0 + SWATCH + 6.0), px(y)))
                .map_err(err)?;
        }
    }

    // Footer.
    if lay.footer > 0.0 {
        draw_footer(root, project, rec, lay, k)?;
    }

    // Panels.
    let body = root.margin(px(lay.header), px(lay.footer), px(8.0), px(8.0));
    if lay.materials.is_empty() {
        let style = TextStyle::from((FAMILY, 18.0 * k))
            .color(&GREY)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let (w, h) = body.dim_in_pixel();
        body.draw_text(
            "The project has no materials.",
            &style,
            (w as i32 / 2, h as i32 / 2),
        )
        .map_err(err)?;
        return Ok(());
    }
    let rows = lay.materials.len().div_ceil(lay.cols);
    let areas = body.split_evenly((rows, lay.cols));
    for (area, &material) in areas.iter().zip(&lay.materials) {
        let (Some(m), Some(figures)) =
            (project.materials.get(material), rec.materials.get(material))
        else {
            continue;
        };
        // A single panel needs no caption: the figure's title names the material.
        let caption = if lay.materials.len() == 1 {
            ""
        } else {
            m.name.as_str()
        };
        draw_panel(area, project, rec, sel, caption, figures, k)?;
    }
    Ok(())
}

fn draw_footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    project: &Project,
    rec: &Recommendation,
    lay: &Layout,
    k: f64,
) -> Result<(), DrawError> {
    let px = |v: f64| (v * k).round() as i32;
    let footer_y = lay.height - FOOTER / 2.0;
    root.draw(&PathElement::new(
        vec![
            (px(MARGIN), px(lay.height - FOOTER)),
            (px(lay.width - MARGIN), px(lay.height - FOOTER)),
        ],
        GRID.stroke_width(k.round() as u32),
    ))
    .map_err(err)?;
    let footer_style = TextStyle::from((FAMILY, 12.0 * k)).color(&GREY);
    let date = words::today();
    root.draw_text(
        &words::provenance(project, rec, &date),
        &footer_style.pos(Pos::new(HPos::Left, VPos::Center)),
        (px(MARGIN), px(footer_y)),
    )
    .map_err(err)?;
    root.draw_text(
        &format!("{APP} {}", env!("CARGO_PKG_VERSION")),
        &footer_style.pos(Pos::new(HPos::Right, VPos::Center)),
        (px(lay.width - MARGIN), px(footer_y)),
    )
    .map_err(err)?;

    Ok(())
}

fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    x: f64,
    y: f64,
    k: f64,
) -> Result<(), DrawError> {
    let px = |v: f64| (v * k).round() as i32;
    let (x0, x1) = (px(x), px(x + SWATCH));
    let yc = px(y);
    let w = |n: u32| ((f64::from(n) * k).round() as u32).max(1);
    match swatch {
        Swatch::Line(color, width) => root
            .draw(&PathElement::new(
                vec![(x0, yc), (x1, yc)],
                color.stroke_width(w(width)),
            ))
            .map_err(err)?,
        Swatch::Dashed(color) => {
            let dash = px(6.0);
            let gap = px(4.0);
            let mut start = x0;
            while start < x1 {
                let end = (start + dash).min(x1);
                root.draw(&PathElement::new(
                    vec![(start, yc), (end, yc)],
                    color.stroke_width(w(2)),
                ))
                .map_err(err)?;
                start = end + gap;
            }
        }
        Swatch::Band(color, alpha) => root
            .draw(&Rectangle::new(
                [(x0, yc - px(7.0)), (x1, yc + px(7.0))],
                color.mix(alpha).filled(),
            ))
            .map_err(err)?,
        Swatch::Bar(color) => root
            .draw(&Rectangle::new(
                [(x0 + px(8.0), yc - px(7.0)), (x1 - px(8.0), yc + px(7.0))],
                color.mix(0.45).filled(),
            ))
            .map_err(err)?,
        Swatch::Outline(color) => root
            .draw(&Rectangle::new(
                [(x0 + px(8.0), yc - px(7.0)), (x1 - px(8.0), yc + px(7.0))],
                stroke(color, ORDER_OUTLINE, k),
            ))
            .map_err(err)?,
        Swatch::Marker(color) => root
            .draw(&Circle::new(((x0 + x1) / 2, yc), px(5.0), color.filled()))
            .map_err(err)?,
    }
    Ok(())
}

/// Month key points: a step of 1, 2, 3, 6, 12 or 24 months giving at most `max_labels`.
fn month_keys(last: usize, max_labels: usize) -> Vec<f64> {
    let step = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|step| last / step < max_labels.max(2) + 1)
        .unwrap_or(120);
    (0..=last).step_by(step).map(|t| t as f64).collect()
}

/// Round numbers for a value axis from 0 to `max`: 1, 2 or 5 times a power of ten.
fn value_keys(max: f64, max_labels: usize) -> Vec<f64> {
    if max <= 0.0 || !max.is_finite() {
        return vec![0.0];
    }
    let raw = max / max_labels.max(2) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|f| f * power)
        .find(|s| max / s <= max_labels as f64)
        .unwrap_or(10.0 * power);
    // A subnormal `max` (5e-324) makes `raw` 0 and the step 0 or too small to add:
    // such an axis is labelled at its ends only, rather than stepping for ever.
    if !(step > 0.0 && step.is_finite() && max / step <= max_labels.max(2) as f64 + 1.0) {
        return vec![0.0, max];
    }
    let mut keys = vec![0.0];
    let mut i = 1.0;
    while keys.last().is_some_and(|&last| last < max * (1.0 - 1e-9)) {
        keys.push(i * step);
        i += 1.0;
    }
    keys
}

fn axis_number(v: f64, step: f64) -> String {
    // As many decimals as the step needs (2.5 -> 1, 0.25 -> 2), at most 4.
    let decimals = (0..=4)
        .find(|&d| {
            let scaled = step * 10f64.powi(d);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(4) as usize;
    units::thousands(v, decimals)
}

struct Axes {
    x_max: f64,
    x_keys: Vec<f64>,
    y_max: f64,
    x_desc: String,
    y_desc: String,
    months: bool,
}

/// Months along x (0..=`last`), a mass up to `max` along y in the unit that suits it;
/// returns the scale the y values are divided by.
fn month_axes(max: f64, last: usize, max_labels: usize, y_label: &str) -> (f64, Axes) {
    let (scale, unit) = words::mass_scale(max);
    let axes = Axes {
        x_max: last as f64,
        x_keys: month_keys(last, max_labels),
        y_max: max / scale,
        x_desc: "Month".to_owned(),
        y_desc: format!("{y_label} ({unit})"),
        months: true,
    };
    (scale, axes)
}

#[allow(clippy::too_many_arguments)]
fn build_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    caption: &str,
    axes: &Axes,
    rec: &Recommendation,
    k: f64,
) -> Result<Chart<'a, DB>, DrawError> {
    let px = |v: f64| (v * k).round() as i32;
    let y_max = if axes.y_max > 0.0 && axes.y_max.is_finite() {
        axes.y_max * 1.03
    } else {
        1.0
    };
    let x_max = if axes.x_max > 0.0 { axes.x_max } else { 1.0 };
    let (_, height) = area.dim_in_pixel();
    let y_labels = ((f64::from(height) / k) / 55.0).floor().clamp(3.0, 10.0) as usize;
    let y_keys = value_keys(y_max, y_labels);
    let y_step = if y_keys.len() > 1 {
        y_keys[1] - y_keys[0]
    } else {
        1.0
    };
    let y_top = y_keys.last().copied().unwrap_or(1.0).max(1e-12);
    let x_top = axes.x_keys.last().copied().unwrap_or(x_max).max(x_max);
    let y_label_width = y_keys
        .iter()
        .map(|v| fonts::text_width(&axis_number(*v, y_step), 12.0, false))
        .fold(0.0, f64::max);
    let mut builder = ChartBuilder::on(area);
    if !caption.is_empty() {
        builder.caption(
            caption,
            (FAMILY, 16.0 * k, FontStyle::Bold).into_font().color(&DARK),
        );
    }
    let mut chart = builder
        .margin_top(px(if caption.is_empty() { 14.0 } else { 6.0 }))
        .margin_right(px(32.0))
        .margin_left(px(6.0))
        .margin_bottom(px(4.0))
        .x_label_area_size(px(42.0))
        .y_label_area_size(px(y_label_width + 34.0))
        .build_cartesian_2d(
            Axis {
                top: x_top,
                keys: axes.x_keys.clone(),
            },
            Axis {
                top: y_top,
                keys: y_keys.clone(),
            },
        )
        .map_err(err)?;
    let start = rec.start;
    let months = axes.months;
    let x_step = if axes.x_keys.len() > 1 {
        axes.x_keys[1] - axes.x_keys[0]
    } else {
        1.0
    };
    let x_format = move |x: &f64| {
        if months {
            start.plus_months(x.round() as i32).to_string()
        } else {
            axis_number(*x, x_step)
        }
    };
    let y_format = move |y: &f64| axis_number(*y, y_step);
    chart
        .configure_mesh()
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc(axes.x_desc.as_str())
        .y_desc(axes.y_desc.as_str())
        .label_style((FAMILY, 12.0 * k).into_font().color(&DARK))
        .axis_desc_style((FAMILY, 13.0 * k).into_font().color(&DARK))
        .bold_line_style(GRID.stroke_width(k.round() as u32))
        .light_line_style(TRANSPARENT)
        .axis_style(GREY.stroke_width(k.round() as u32))
        .set_all_tick_mark_size(px(4.0))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

fn stroke(color: RGBColor, width: f64, k: f64) -> ShapeStyle {
    color.stroke_width(((width * k).round() as u32).max(1))
}

fn line<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    points: Vec<(f64, f64)>,
    style: ShapeStyle,
) -> Result<(), DrawError> {
    chart
        .draw_series(LineSeries::new(points, style))
        .map_err(err)?;
    Ok(())
}

fn dashed<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    points: Vec<(f64, f64)>,
    style: ShapeStyle,
    k: f64,
) -> Result<(), DrawError> {
    let dash = (6.0 * k).round() as i32;
    let gap = (4.0 * k).round() as i32;
    chart
        .draw_series(DashedLineSeries::new(points, dash, gap, style))
        .map_err(err)?;
    Ok(())
}

fn band<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    low: &[f64],
    high: &[f64],
    scale: f64,
    color: RGBAColor,
) -> Result<(), DrawError> {
    let mut points: Vec<(f64, f64)> = high
        .iter()
        .enumerate()
        .map(|(t, v)| (t as f64, v / scale))
        .collect();
    points.extend(
        low.iter()
            .enumerate()
            .rev()
            .map(|(t, v)| (t as f64, v / scale)),
    );
    chart
        .draw_series(std::iter::once(Polygon::new(points, color.filled())))
        .map_err(err)?;
    Ok(())
}

fn series(values: &[f64], scale: f64, offset: f64) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .map(|(t, v)| (t as f64, (v + offset) / scale))
        .collect()
}

/// A dashed horizontal line at `value` across every month (safety stock, on hand).
fn level<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    value: f64,
    last_month: usize,
    scale: f64,
    color: RGBColor,
    k: f64,
) -> Result<(), DrawError> {
    dashed(
        chart,
        flat(value, last_month as f64, scale),
        stroke(color, 2.0, k),
        k,
    )
}

fn flat(value: f64, last: f64, scale: f64) -> Vec<(f64, f64)> {
    vec![(0.0, value / scale), (last, value / scale)]
}

fn max_of<'a>(values: impl IntoIterator<Item = &'a f64>) -> f64 {
    values
        .into_iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// What every chart panel is drawn with: its area, caption and material, the
/// scale from SVG pixels, the last month and how many axis labels fit.
struct Panel<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    rec: &'a Recommendation,
    name: &'a str,
    m: &'a MaterialRecommendation,
    last_month: usize,
    max_labels: usize,
    k: f64,
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    project: &Project,
    rec: &Recommendation,
    sel: &ChartSelection,
    name: &str,
    m: &MaterialRecommendation,
    k: f64,
) -> Result<(), DrawError> {
    let (width, _) = area.dim_in_pixel();
    let panel = Panel {
        area,
        rec,
        name,
        m,
        last_month: rec.horizon_months.saturating_sub(1),
        max_labels: ((f64::from(width) / k - 110.0) / 78.0).floor().max(2.0) as usize,
        k,
    };
    let scenario = sel.scenario.and_then(|s| m.by_scenario.get(s));
    match sel.kind {
        ChartKind::Target => draw_target(&panel, scenario),
        ChartKind::Fan => draw_fan(&panel, scenario),
        ChartKind::Compare => draw_compare(&panel, project, sel.scenario),
        ChartKind::Cost => draw_cost(&panel, project),
        ChartKind::Buildup => draw_buildup(&panel),
    }
}

/// The recommended stock with its 95% band (or one scenario's stock against it),
/// the safety stock and today's stock on hand.
fn draw_target<DB: DrawingBackend>(
    panel: &Panel<'_, DB>,
    scenario: Option<&ScenarioFigures>,
) -> Result<(), DrawError> {
    let (m, k, last_month) = (panel.m, panel.k, panel.last_month);
    let ss = m.safety_stock_kg;
    let mut max = max_of(&m.monthly.recommended_stock_kg).max(m.on_hand_kg);
    if let Some(s) = scenario {
        max = max.max(max_of(&s.buffer_by_month_kg) + ss);
    } else {
        max = max.max(max_of(&m.monthly.ci95_high_kg) + ss);
    }
    let (scale, axes) = month_axes(max, last_month, panel.max_labels, "Stock");
    let mut chart = build_chart(panel.area, panel.name, &axes, panel.rec, k)?;
    match scenario {
        Some(s) => {
            line(
                &mut chart,
                series(&m.monthly.recommended_stock_kg, scale, 0.0),
                stroke(GREY, 1.0, k),
            )?;
            line(
                &mut chart,
                series(&s.buffer_by_month_kg, scale, ss),
                stroke(BLUE, 3.0, k),
            )?;
        }
        None => {
            let low: Vec<f64> = m.monthly.ci95_low_kg.iter().map(|v| v + ss).collect();
            let high: Vec<f64> = m.monthly.ci95_high_kg.iter().map(|v| v + ss).collect();
            band(&mut chart, &low, &high, scale, BLUE.mix(0.2))?;
            line(
                &mut chart,
                series(&m.monthly.recommended_stock_kg, scale, 0.0),
                stroke(BLUE, 3.0, k),
            )?;
        }
    }
    level(&mut chart, ss, last_month, scale, GREY, k)?;
    level(&mut chart, m.on_hand_kg, last_month, scale, VERMILION, k)?;
    Ok(())
}

/// The strategic buffer's fan (5-95% and 25-75% bands, the median), the blended
/// buffer dashed and, when one is picked, a scenario's buffer.
fn draw_fan<DB: DrawingBackend>(
    panel: &Panel<'_, DB>,
    scenario: Option<&ScenarioFigures>,
) -> Result<(), DrawError> {
    let (m, k, last_month) = (panel.m, panel.k, panel.last_month);
    let fan = &m.monthly.fan_kg;
    let mut max = fan.iter().map(|p| p[4]).fold(0.0, f64::max);
    max = max.max(max_of(&m.monthly.strategic_buffer_kg));
    if let Some(s) = scenario {
        max = max.max(max_of(&s.buffer_by_month_kg));
    }
    let (scale, axes) = month_axes(max, last_month, panel.max_labels, "Strategic buffer");
    let mut chart = build_chart(panel.area, panel.name, &axes, panel.rec, k)?;
    let column = |i: usize| fan.iter().map(|p| p[i]).collect::<Vec<f64>>();
    band(&mut chart, &column(0), &column(4), scale, BLUE.mix(0.15))?;
    band(&mut chart, &column(1), &column(3), scale, BLUE.mix(0.35))?;
    line(
        &mut chart,
        series(&column(2), scale, 0.0),
        stroke(BLUE, 2.0, k),
    )?;
    dashed(
        &mut chart,
        series(&m.monthly.strategic_buffer_kg, scale, 0.0),
        stroke(DARK, 2.0, k),
        k,
    )?;
    if let Some(s) = scenario {
        line(
            &mut chart,
            series(&s.buffer_by_month_kg, scale, 0.0),
            stroke(ORANGE, 2.0, k),
        )?;
    }
    Ok(())
}

/// The stock each scenario needs beside the blend, as the vocabulary's compare series.
fn draw_compare<DB: DrawingBackend>(
    panel: &Panel<'_, DB>,
    project: &Project,
    picked: Option<usize>,
) -> Result<(), DrawError> {
    let (m, k, last_month) = (panel.m, panel.k, panel.last_month);
    let ss = m.safety_stock_kg;
    let mut max = max_of(&m.monthly.recommended_stock_kg).max(m.on_hand_kg);
    for s in &m.by_scenario {
        max = max.max(max_of(&s.buffer_by_month_kg) + ss);
    }
    let (scale, axes) = month_axes(max, last_month, panel.max_labels, "Recommended stock");
    let mut chart = build_chart(panel.area, panel.name, &axes, panel.rec, k)?;
    for series in shared::compare(project, m, |_| true, picked) {
        let points = self::series(&series.kg_by_month, scale, 0.0);
        match series.stroke {
            Stroke::Solid { width } => {
                line(
                    &mut chart,
                    points,
                    stroke(rgb(series.color), f64::from(width), k),
                )?;
            }
            Stroke::Dashed { width } => dashed(
                &mut chart,
                points,
                stroke(rgb(series.color), f64::from(width), k),
                k,
            )?,
        }
    }
    Ok(())
}

/// The expected cost against the strategic stock, the recommendation and today's
/// strategic stock as verticals, and the cheapest point.
fn draw_cost<DB: DrawingBackend>(
    panel: &Panel<'_, DB>,
    project: &Project,
) -> Result<(), DrawError> {
    let (m, k) = (panel.m, panel.k);
    let curve = &m.cost_curve;
    let x_max_kg = curve
        .iter()
        .map(|p| p.strategic_stock_kg)
        .fold(0.0, f64::max)
        .max(m.strategic_buffer_kg)
        .max(
            m.strategic_on_hand_kg
                .min(m.strategic_buffer_kg * 2.0 + 1.0),
        );
    let y_max_money = curve.iter().map(|p| p.expected_cost).fold(0.0, f64::max);
    let (xs, xunit) = words::mass_scale(x_max_kg);
    let (ys, yunit) = words::money_scale(y_max_money);
    let x_max = (x_max_kg / xs).max(1e-9);
    let x_labels = panel.max_labels.min(8);
    let axes = Axes {
        x_max,
        x_keys: value_keys(x_max, x_labels),
        y_max: y_max_money / ys,
        x_desc: format!("Strategic stock ({xunit})"),
        y_desc: format!("Expected cost ({yunit}{})", project.currency),
        months: false,
    };
    let mut chart = build_chart(panel.area, panel.name, &axes, panel.rec, k)?;
    let top = y_max_money / ys;
    if curve.is_empty() {
        return Ok(());
    }
    let points: Vec<(f64, f64)> = curve
        .iter()
        .map(|p| (p.strategic_stock_kg / xs, p.expected_cost / ys))
        .collect();
    line(&mut chart, points, stroke(BLUE, 2.0, k))?;
    let vertical = |x: f64| vec![(x / xs, 0.0), (x / xs, top)];
    dashed(
        &mut chart,
        vertical(m.strategic_buffer_kg),
        stroke(DARK, 2.0, k),
        k,
    )?;
    if m.strategic_on_hand_kg <= x_max_kg {
        dashed(
            &mut chart,
            vertical(m.strategic_on_hand_kg),
            stroke(GREEN, 2.0, k),
            k,
        )?;
    }
    let optimum = m.cost_optimal_strategic_stock_kg;
    let cost_at = interpolate_cost(m, optimum);
    chart
        .draw_series(std::iter::once(Circle::new(
            (optimum / xs, cost_at / ys),
            (5.0 * k).round() as i32,
            VERMILION.filled(),
        )))
        .map_err(err)?;
    Ok(())
}

/// Width of an order bar's outline, SVG pixels.
const ORDER_OUTLINE: f64 = 1.5;

/// The build-up plan: orders in the month they are placed (outlined, left half of
/// the month) and arrivals a lead time later (filled, right half), the stock they
/// build, the target, today's recommendation, and two months marked: when the plan
/// reaches today's recommendation and when the driving scenario runs dry.
fn draw_buildup<DB: DrawingBackend>(panel: &Panel<'_, DB>) -> Result<(), DrawError> {
    let (rec, m, k) = (panel.rec, panel.m, panel.k);
    let h = rec.horizon_months;
    let plan = &m.buildup;
    let today = m.recommended_stock_kg;
    let cap = plan.max_purchase_kg_per_month;
    let highest = max_of(&plan.target_kg)
        .max(max_of(&plan.stock_kg))
        .max(today);
    // A cap far above the stock would flatten everything else; it is drawn only if it fits.
    let max = highest
        .max(max_of(&plan.order_kg))
        .max(max_of(&plan.arrival_kg))
        .max(cap.unwrap_or(0.0).min(highest * 1.5));
    let (scale, axes) = month_axes(max, h, panel.max_labels, "Stock, orders and arrivals");
    let mut chart = build_chart(panel.area, panel.name, &axes, rec, k)?;
    let bars = |values: &[f64], from: f64, to: f64, style: ShapeStyle| {
        values
            .iter()
            .enumerate()
            .filter(|(_, kg)| **kg > 0.0)
            .map(|(t, kg)| {
                Rectangle::new([(t as f64 + from, 0.0), (t as f64 + to, kg / scale)], style)
            })
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(bars(
            &plan.order_kg,
            0.08,
            0.48,
            stroke(ORANGE, ORDER_OUTLINE, k),
        ))
        .map_err(err)?;
    chart
        .draw_series(bars(&plan.arrival_kg, 0.52, 0.92, GREEN.mix(0.45).filled()))
        .map_err(err)?;
    line(
        &mut chart,
        series(&plan.stock_kg, scale, 0.0),
        stroke(BLUE, 3.0, k),
    )?;
    dashed(
        &mut chart,
        series(&plan.target_kg, scale, 0.0),
        stroke(DARK, 2.0, k),
        k,
    )?;
    line(
        &mut chart,
        flat(today, h as f64, scale),
        stroke(GREY, 1.0, k),
    )?;
    if let Some(cap) = cap
        && cap <= max
    {
        dashed(
            &mut chart,
            flat(cap, h as f64, scale),
            stroke(PURPLE, 2.0, k),
            k,
        )?;
    }
    if plan.reaches_recommendation_month.is_none() && plan.gap_kg > 0.0 {
        let style = TextStyle::from((FAMILY, 12.0 * k))
            .color(&GREY)
            .pos(Pos::new(HPos::Right, VPos::Bottom));
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((h as f64, today / scale))
                    + Text::new(
                        "not reached within the plan",
                        (-(4.0 * k).round() as i32, -(3.0 * k).round() as i32),
                        style,
                    ),
            ))
            .map_err(err)?;
    }
    mark_buildup_months(&mut chart, panel, max / scale)?;
    Ok(())
}

/// The build-up's two months, each a vertical line labelled at its top (the run-out
/// label a line lower, so the two never overprint when the months are close): when
/// the plan reaches today's recommendation and when the driving scenario runs dry.
fn mark_buildup_months<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    panel: &Panel<'_, DB>,
    top: f64,
) -> Result<(), DrawError> {
    let (plan, k) = (&panel.m.buildup, panel.k);
    let marks = [
        (plan.reaches_recommendation_month, GREEN, "reached", 0.0),
        (plan.driving_run_out_month, VERMILION, "runs dry", 16.0),
    ];
    for (month, color, label, drop) in marks {
        let Some(t) = month else {
            continue;
        };
        let x = t as f64;
        dashed(chart, vec![(x, 0.0), (x, top)], stroke(color, 2.0, k), k)?;
        let style = TextStyle::from((FAMILY, 12.0 * k))
            .color(&color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let offset = ((4.0 * k).round() as i32, ((2.0 + drop) * k).round() as i32);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, top))
                    + Text::new(format!("{label} {}", panel.rec.month(t)), offset, style),
            ))
            .map_err(err)?;
    }
    Ok(())
}

/// The expected cost at a strategic stock, interpolated on the curve.
fn interpolate_cost(m: &MaterialRecommendation, x: f64) -> f64 {
    let curve = &m.cost_curve;
    for pair in curve.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if x >= a.strategic_stock_kg && x <= b.strategic_stock_kg {
            let span = b.strategic_stock_kg - a.strategic_stock_kg;
            if span <= 0.0 {
                return a.expected_cost;
            }
            let f = (x - a.strategic_stock_kg) / span;
            return a.expected_cost + f * (b.expected_cost - a.expected_cost);
        }
    }
    curve
        .iter()
        .min_by(|a, b| {
            (a.strategic_stock_kg - x)
                .abs()
                .total_cmp(&(b.strategic_stock_kg - x).abs())
        })
        .map_or(0.0, |p| p.expected_cost)
}

/// The tornado's rows, in SVG pixels.
const TORNADO_ROW: f64 = 30.0;
const TORNADO_HEADER: f64 = 112.0;
const TORNADO_AXIS: f64 = 62.0;

/// The tornado's size in pixels for `bars` rows.
pub(crate) fn tornado_size(bars: usize, compact: bool) -> (f64, f64) {
    let width = if compact { 700.0 } else { SINGLE_WIDTH };
    let footer = if compact { 0.0 } else { FOOTER };
    (
        width,
        TORNADO_HEADER + bars.max(1) as f64 * TORNADO_ROW + TORNADO_AXIS + footer,
    )
}

/// A material's tornado (issue 15 item 1): per input, a bar from the recommended stock
/// at its low value to that at its high value, around the figure as entered, largest
/// swing on top; at most `report::TORNADO_BARS` inputs.
pub fn tornado_svg(
    project: &Project,
    sensitivity: &Sensitivity,
    material: usize,
    compact: bool,
) -> Result<String, ExportError> {
    let Some(figures) = sensitivity.materials.get(material) else {
        return Err(ExportError::Render(format!(
            "there is no material {} in the sensitivity",
            material + 1
        )));
    };
    fonts::register();
    let bars: Vec<(String, &Bar)> = figures
        .bars
        .iter()
        .take(super::report::TORNADO_BARS)
        .filter_map(|bar| {
            let input = sensitivity.inputs.get(bar.input)?;
            Some((
                format!("{}: {} – {}", input.label, input.low, input.high),
                bar,
            ))
        })
        .collect();
    let (width, height) = tornado_size(bars.len(), compact);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        draw_tornado(
            &root,
            project,
            sensitivity,
            material,
            &bars,
            (width, height),
            compact,
        )
        .map_err(|e| ExportError::render("tornado chart", e))?;
        root.present()
            .map_err(|e| ExportError::render("tornado chart", format!("{e:?}")))?;
    }
    Ok(svg)
}

fn draw_tornado<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    project: &Project,
    sensitivity: &Sensitivity,
    material: usize,
    bars: &[(String, &Bar)],
    (width, height): (f64, f64),
    compact: bool,
) -> Result<(), DrawError> {
    let px = |v: f64| v.round() as i32;
    root.fill(&WHITE).map_err(err)?;
    let name = project
        .materials
        .get(material)
        .map_or("", |m| m.name.as_str());
    let base_kg = sensitivity
        .materials
        .get(material)
        .map_or(0.0, |m| m.recommended_stock_kg);
    tornado_heading(root, name, base_kg, sensitivity.paths, width)?;
    let axis = TornadoAxis::new(bars, base_kg, width);
    axis.draw(root)?;
    for (row, (label, bar)) in bars.iter().enumerate() {
        axis.draw_bar(root, row, label, bar, base_kg)?;
    }
    let base_x = axis.to_x(base_kg);
    root.draw(&PathElement::new(
        vec![
            (px(base_x), px(axis.top - 4.0)),
            (px(base_x), px(axis.bottom + 2.0)),
        ],
        DARK.stroke_width(2),
    ))
    .map_err(err)?;
    if !compact {
        let footer_style = TextStyle::from((FAMILY, 12.0))
            .color(&GREY)
            .pos(Pos::new(HPos::Left, VPos::Center));
        root.draw_text(
            &format!("{} · {APP} {}", project.name, env!("CARGO_PKG_VERSION")),
            &footer_style,
            (px(MARGIN), px(height - FOOTER / 2.0)),
        )
        .map_err(err)?;
    }
    Ok(())
}

/// The tornado's title, the sentence under it and its legend.
fn tornado_heading<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    name: &str,
    base_kg: f64,
    paths: usize,
    width: f64,
) -> Result<(), DrawError> {
    let px = |v: f64| v.round() as i32;
    let text_room = width - 2.0 * MARGIN;
    let (title_text, title_size) = fonts::fit_text(
        &format!("What drives the stockpile · {name}"),
        24.0,
        15.0,
        true,
        text_room,
    );
    root.draw_text(
        &title_text,
        &TextStyle::from((FAMILY, title_size, FontStyle::Bold)).color(&DARK),
        (px(MARGIN), px(14.0)),
    )
    .map_err(err)?;
    let (sub_text, sub_size) = fonts::fit_text(
        &format!(
            "Recommended stock with each input at its low and high value; the line is {} as entered ({} paths)",
            units::mass(base_kg),
            units::thousands(paths as f64, 0)
        ),
        15.0,
        12.0,
        false,
        text_room,
    );
    root.draw_text(
        &sub_text,
        &TextStyle::from((FAMILY, sub_size)).color(&GREY),
        (px(MARGIN), px(46.0)),
    )
    .map_err(err)?;
    let legend_style = TextStyle::from((FAMILY, LEGEND_FONT))
        .color(&DARK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = MARGIN;
    let legend_y = LEGEND_TOP + LEGEND_ROW / 2.0;
    for (label, swatch) in [
        ("Input at its low value", Swatch::Bar(BLUE)),
        ("Input at its high value", Swatch::Bar(ORANGE)),
        ("As entered", Swatch::Line(DARK, 2)),
    ] {
        draw_swatch(root, swatch, x, legend_y, 1.0)?;
        root.draw_text(label, &legend_style, (px(x + SWATCH + 6.0), px(legend_y)))
            .map_err(err)?;
        x += SWATCH + 6.0 + fonts::text_width(label, LEGEND_FONT, false) + 22.0;
    }
    Ok(())
}

/// The tornado's value axis and rows, in SVG pixels.
struct TornadoAxis {
    /// Kilograms per axis unit, and the unit's name.
    scale: f64,
    unit: &'static str,
    /// The axis ends and its step, in axis units.
    low: f64,
    high: f64,
    step: f64,
    label_width: f64,
    plot_left: f64,
    plot_right: f64,
    top: f64,
    bottom: f64,
}

/// The size of the inputs' labels on the tornado's left.
const TORNADO_LABEL_FONT: f64 = 13.0;

impl TornadoAxis {
    /// The value axis covers every bar and the base, padded, on round steps.
    fn new(bars: &[(String, &Bar)], base_kg: f64, width: f64) -> Self {
        let values = bars
            .iter()
            .flat_map(|(_, bar)| [bar.recommended_low_kg, bar.recommended_high_kg])
            .chain([base_kg]);
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let (scale, unit) = words::mass_scale(hi.abs().max(lo.abs()));
        let span = (hi - lo).max(hi.abs() * 0.02).max(1e-9);
        let keys = value_keys(span / scale, 5);
        let step = keys.get(1).map_or(span / scale, |k| k - keys[0]).max(1e-12);
        let low = ((lo - span * 0.05) / scale / step).floor() * step;
        let low = if lo >= 0.0 { low.max(0.0) } else { low };
        let high = ((hi + span * 0.05) / scale / step).ceil() * step;
        let label_width = bars
            .iter()
            .map(|(label, _)| fonts::text_width(label, TORNADO_LABEL_FONT, false))
            .fold(0.0, f64::max)
            .min(width * 0.45);
        let plot_left = MARGIN + label_width + 12.0;
        TornadoAxis {
            scale,
            unit,
            low,
            high,
            step,
            label_width,
            plot_left,
            plot_right: width - MARGIN - 10.0,
            top: TORNADO_HEADER,
            bottom: TORNADO_HEADER + bars.len().max(1) as f64 * TORNADO_ROW,
        }
    }

    fn to_x(&self, kg: f64) -> f64 {
        let share = ((kg / self.scale) - self.low) / (self.high - self.low).max(1e-12);
        self.plot_left + (self.plot_right - self.plot_left) * share
    }

    /// The grid, the value labels and the axis title.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let px = |v: f64| v.round() as i32;
        let tick_style = TextStyle::from((FAMILY, 12.0))
            .color(&DARK)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let mut tick = self.low;
        while tick <= self.high + self.step * 1e-6 {
            let x = self.to_x(tick * self.scale);
            root.draw(&PathElement::new(
                vec![(px(x), px(self.top)), (px(x), px(self.bottom))],
                GRID.stroke_width(1),
            ))
            .map_err(err)?;
            root.draw_text(
                &axis_number(tick, self.step),
                &tick_style,
                (px(x), px(self.bottom + 6.0)),
            )
            .map_err(err)?;
            tick += self.step;
        }
        root.draw_text(
            &format!("Recommended stock ({})", self.unit),
            &TextStyle::from((FAMILY, 13.0))
                .color(&DARK)
                .pos(Pos::new(HPos::Center, VPos::Top)),
            (
                px((self.plot_left + self.plot_right) / 2.0),
                px(self.bottom + 28.0),
            ),
        )
        .map_err(err)?;
        Ok(())
    }

    /// One input's row: its label, and bars from the base to its low and high values
    /// (rows are in the order given: largest swing on top).
    fn draw_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        row: usize,
        label: &str,
        bar: &Bar,
        base_kg: f64,
    ) -> Result<(), DrawError> {
        let px = |v: f64| v.round() as i32;
        let yc = self.top + (row as f64 + 0.5) * TORNADO_ROW;
        let (shown, size) =
            fonts::fit_text(label, TORNADO_LABEL_FONT, 12.0, false, self.label_width);
        let label_style = TextStyle::from((FAMILY, size))
            .color(&DARK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        root.draw_text(&shown, &label_style, (px(MARGIN), px(yc)))
            .map_err(err)?;
        for (kg, color) in [
            (bar.recommended_low_kg, BLUE),
            (bar.recommended_high_kg, ORANGE),
        ] {
            let (a, b) = (self.to_x(base_kg), self.to_x(kg));
            if (a - b).abs() < 0.5 {
                continue;
            }
            root.draw(&Rectangle::new(
                [
                    (px(a.min(b)), px(yc - TORNADO_ROW * 0.32)),
                    (px(a.max(b)), px(yc + TORNADO_ROW * 0.32)),
                ],
                color.mix(0.85).filled(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_round() {
        assert_eq!(month_keys(35, 8), vec![0.0, 6.0, 12.0, 18.0, 24.0, 30.0]);
        assert_eq!(
            month_keys(11, 12),
            (0..=11).map(f64::from).collect::<Vec<_>>()
        );
        assert_eq!(
            value_keys(13.3, 6),
            vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0]
        );
        assert_eq!(axis_number(2.5, 0.5), "2.5");
        assert_eq!(axis_number(7.5, 2.5), "7.5");
        assert_eq!(axis_number(10.0, 2.5), "10.0");
        assert_eq!(axis_number(2000.0, 500.0), "2,000");
    }

    #[test]
    fn subnormal_maxima_get_a_bounded_axis() {
        assert_eq!(value_keys(5e-324, 6), vec![0.0, 5e-324]);
        for max in [1e-310, f64::MIN_POSITIVE, 1e-300] {
            let keys = value_keys(max, 6);
            assert!(keys.len() <= 8, "{max}: {} keys", keys.len());
            assert!(keys.last().is_some_and(|&last| last >= max * (1.0 - 1e-9)));
        }
    }
}
