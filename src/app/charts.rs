//! The charts (egui_plot): x is the month index shown as `YYYY-MM`, y is kg (or
//! money for the cost curve); every chart has a title, axis units, a legend and a
//! hover read-out.

use egui::{Color32, RichText, Ui};
use egui_plot::{
    Bar, BarChart, FilledArea, HLine, Line, LineStyle, Plot, PlotPoints, Points, Polygon, Text,
    VLine,
};

use crate::engine::{MaterialRecommendation, Recommendation};
use crate::export::ChartKind;
use crate::project::{Dist, Event, Project, StartMonth, YearMonth};
use crate::units::{MassUnit, money, thousands};
use crate::vocabulary::palette::{self, Rgb};
use crate::vocabulary::series::{self as shared, Series, Stroke};

/// A colour of the shared palette as egui draws it.
const fn color(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

/// The blend (the recommendation) and its bands.
const BLEND: Color32 = color(palette::BLUE);
/// The recommended / service-level buffer, and running dry.
const TARGET: Color32 = color(palette::VERMILION);
/// Purchases and the cheapest point: what the plan wants more of.
const GOOD: Color32 = color(palette::GREEN);

pub fn chart_title(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Target => "Recommended stock over time",
        ChartKind::Fan => "Strategic buffer percentiles (fan)",
        ChartKind::Compare => "Recommended stock by scenario",
        ChartKind::Cost => "Expected cost by strategic stock",
        ChartKind::Buildup => "Build-up plan",
    }
}

pub fn chart_caption(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Target => {
            "solid blue = the blend with its 95% interval, dashed = each ticked scenario, vermilion = the stock on hand"
        }
        ChartKind::Fan => {
            "bands = 5–95% and 25–75% of paths, line = median (blended over scenarios)"
        }
        ChartKind::Compare => {
            "each ticked scenario's recommended stock by month (dashed) next to the probability-weighted blend (solid blue) and the stock on hand (vermilion)"
        }
        ChartKind::Cost => {
            "holding cost of too much + shortage cost of too little, expected over paths; the dot is the cheapest size"
        }
        ChartKind::Buildup => {
            "stock if you buy toward the target as fast as the purchase cap allows; bars = orders (left) and their arrivals a lead time later (right)"
        }
    }
}

fn month_label(start: YearMonth, x: f64) -> String {
    start.plus_months(x.round() as i32).to_string()
}

fn max_of<'a>(values: impl IntoIterator<Item = &'a f64>) -> f64 {
    values
        .into_iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// A tick value with thousands separators and only the decimals it needs.
fn tick(value: f64) -> String {
    let decimals = if (value - value.round()).abs() < 1e-9 {
        0
    } else if (value * 10.0 - (value * 10.0).round()).abs() < 1e-6 {
        1
    } else {
        2
    };
    thousands(value, decimals)
}

fn mass_axis(value: f64, unit: MassUnit) -> String {
    format!(
        "{} {}",
        tick(value / f64::from(unit.kg_per_unit)),
        unit.name
    )
}

/// Money ticks, shortened to thousands (k) or millions (M) so they stay readable.
fn money_axis(value: f64, max: f64) -> String {
    if value == 0.0 {
        "0".to_owned()
    } else if max.abs() >= 1e6 {
        format!("{} M", tick(value / 1e6))
    } else if max.abs() >= 1e4 {
        format!("{} k", tick(value / 1e3))
    } else {
        tick(value)
    }
}

fn money_axis_label(max: f64, currency: &str) -> String {
    if max.abs() >= 1e6 {
        format!("expected cost, million {currency}")
    } else if max.abs() >= 1e4 {
        format!("expected cost, thousand {currency}")
    } else {
        format!("expected cost, {currency}")
    }
}

/// Grid lines at powers of ten with a labelled line every 5 as well, so a short
/// chart (the overview's cards) or a wide range (the cost curve) still gets
/// more than one labelled tick.
fn y_grid() -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    egui_plot::uniform_grid_spacer(|input| {
        let base = input.base_step_size.abs().max(f64::MIN_POSITIVE);
        let step = 10f64.powi(base.log10().ceil() as i32);
        [step, step * 5.0, step * 10.0]
    })
}

/// Calendar steps for month ticks: a tick falls on a month that is a multiple of
/// its step in the calendar (quarters on January, April, July, October; years on
/// January), not on the plan's first month plus a multiple.
const MONTH_STEPS: [i32; 8] = [1, 3, 6, 12, 24, 60, 120, 240];

/// Grid marks on round calendar months for a month axis starting at `start`: the
/// finest step that stays apart on screen, the first step whose marks are far
/// enough apart to be labelled, and the step between them.
fn month_grid(start: YearMonth) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let first = start.year() * 12 + start.month() as i32 - 1;
    move |input| {
        // `base_step_size` is the value of the plot's smallest grid spacing (8 points);
        // egui labels a step only when its marks are over 60 points apart.
        let first_at_least = |value: f64| {
            MONTH_STEPS
                .iter()
                .position(|&step| f64::from(step) >= value)
                .unwrap_or(MONTH_STEPS.len() - 1)
        };
        let finest = first_at_least(input.base_step_size);
        let labelled = first_at_least(input.base_step_size * 8.0).max(finest);
        let middle = (labelled.saturating_sub(1)).max(finest);
        let steps = [
            MONTH_STEPS[labelled],
            MONTH_STEPS[middle],
            MONTH_STEPS[finest],
        ];
        let (low, high) = input.bounds;
        let (low, high) = (low.ceil() as i32, high.floor() as i32);
        let mut marks: Vec<egui_plot::GridMark> = Vec::new();
        // Coarsest first, so a month on several steps keeps the coarsest (the label).
        for step in steps {
            for t in low..=high {
                let calendar = first + t;
                if calendar.rem_euclid(step) == 0 && !marks.iter().any(|m| m.value == f64::from(t))
                {
                    marks.push(egui_plot::GridMark {
                        value: f64::from(t),
                        step_size: f64::from(step),
                    });
                }
            }
        }
        marks
    }
}

/// A plot with months on x and a mass on y (`y_label` gets the unit appended).
/// The hover read-out names the series under the pointer and its value at that
/// month, in the axis's unit; away from every series it gives the month and each
/// `readout` series' value in it.
fn month_plot<'a>(
    id: &str,
    start: YearMonth,
    height: f32,
    y_label: &str,
    max_kg: f64,
    readout: Vec<(String, Vec<f64>)>,
) -> Plot<'a> {
    let unit = MassUnit::for_max(max_kg);
    Plot::new(id)
        .height(height)
        .x_axis_label("month (YYYY-MM)")
        .y_axis_label(format!("{y_label}, {}", unit.name))
        .x_grid_spacer(month_grid(start))
        .y_grid_spacer(y_grid())
        .x_axis_formatter(move |mark, _| {
            if (mark.value - mark.value.round()).abs() < 1e-6 && mark.value >= 0.0 {
                month_label(start, mark.value)
            } else {
                String::new()
            }
        })
        .y_axis_formatter(move |mark, _| mass_axis(mark.value, unit))
        .label_formatter(move |hover| match hover {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\n{}: {}",
                month_label(start, position.x),
                unit.with_unit(position.y)
            )),
            egui_plot::HoverPosition::Elsewhere { position } => {
                let month = position.x.round();
                let mut text = month_label(start, month);
                if month >= 0.0 {
                    for (name, values) in &readout {
                        if let Some(kg) = values.get(month as usize) {
                            text.push_str(&format!("\n{name}: {}", unit.with_unit(*kg)));
                        }
                    }
                }
                Some(text)
            }
        })
        .include_y(0.0)
        .allow_scroll(false)
}

/// Where the pointer is, whether or not it is near a data point.
fn hover_position(hover: &egui_plot::HoverPosition) -> egui_plot::PlotPoint {
    match hover {
        egui_plot::HoverPosition::NearDataPoint { position, .. }
        | egui_plot::HoverPosition::Elsewhere { position } => *position,
    }
}

fn xs(n: usize) -> Vec<f64> {
    (0..n).map(|t| t as f64).collect()
}

fn series(values: &[f64]) -> PlotPoints<'static> {
    values
        .iter()
        .enumerate()
        .map(|(t, v)| [t as f64, *v])
        .collect()
}

/// The line style a shared series is drawn with on screen.
fn line_of(series_def: &Series) -> Line<'static> {
    let line = Line::new(series_def.label.clone(), series(&series_def.kg_by_month))
        .color(color(series_def.color));
    match series_def.stroke {
        Stroke::Solid { width } => line.width(width),
        Stroke::Dashed { width } => line.width(width).style(LineStyle::Dashed { length: 8.0 }),
    }
}

/// How a legend entry's sample is drawn: as the chart draws its series.
enum Sample {
    Line(Rgb, Stroke),
    Band(Color32),
    Bar(Color32),
    Marker(Color32),
}

/// One entry of a legend: a sample and the series' name.
struct Key {
    label: String,
    sample: Sample,
}

impl Key {
    fn new(label: &str, sample: Sample) -> Self {
        Self {
            label: label.to_owned(),
            sample,
        }
    }
}

/// The legend entries of shared series, in the vocabulary's order with their strokes.
fn series_keys(lines: &[Series]) -> impl Iterator<Item = Key> + '_ {
    lines.iter().map(|line| Key {
        label: line.label.clone(),
        sample: Sample::Line(line.color, line.stroke),
    })
}

/// A legend sample's length in points.
const SAMPLE_WIDTH: f32 = 22.0;

/// The legend under a chart: a short sample of each series as it is drawn (solid or
/// dashed at its width, a band, a bar, a point) and its name, in the order given,
/// wrapped across the width. egui_plot's own legend sorts by name and shows every
/// series as a dot, so a dashed scenario and the solid blend looked alike.
fn legend_under(ui: &mut Ui, keys: impl IntoIterator<Item = Key>) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for key in keys {
            legend_entry(ui, key);
            ui.add_space(6.0);
        }
    });
}

/// One legend entry: its sample, then its name on one line. When the entry does not
/// fit the rest of the row it starts the next, so a sample never ends a row without
/// its name.
fn legend_entry(ui: &mut Ui, key: Key) {
    let text = RichText::new(key.label).small();
    let font = egui::TextStyle::Small.resolve(ui.style());
    let text_width = ui
        .ctx()
        .fonts_mut(|fonts| fonts.layout_no_wrap(text.text().to_owned(), font, Color32::PLACEHOLDER))
        .size()
        .x;
    let entry_width = SAMPLE_WIDTH + ui.spacing().item_spacing.x + text_width;
    if ui.available_size_before_wrap().x < entry_width && ui.cursor().min.x > ui.min_rect().min.x {
        ui.end_row();
    }
    let (rect, _) = ui.allocate_exact_size(egui::vec2(SAMPLE_WIDTH, 10.0), egui::Sense::hover());
    let painter = ui.painter();
    let (from, to) = (rect.left_center(), rect.right_center());
    match key.sample {
        Sample::Line(rgb, Stroke::Solid { width }) => {
            painter.line_segment([from, to], egui::Stroke::new(width, color(rgb)));
        }
        Sample::Line(rgb, Stroke::Dashed { width }) => {
            painter.add(egui::Shape::dashed_line(
                &[from, to],
                egui::Stroke::new(width, color(rgb)),
                5.0,
                3.0,
            ));
        }
        Sample::Band(fill) => {
            painter.rect_filled(rect.shrink2(egui::vec2(0.0, 1.0)), 0.0, fill);
        }
        Sample::Bar(outline) => {
            // As egui_plot draws a bar: outlined, filled at a fifth of its colour.
            painter.rect(
                rect.shrink2(egui::vec2(6.0, 0.0)),
                0.0,
                outline.linear_multiply(0.2),
                egui::Stroke::new(1.0, outline),
                egui::StrokeKind::Inside,
            );
        }
        Sample::Marker(fill) => {
            painter.circle_filled(rect.center(), 4.0, fill);
        }
    }
    ui.add(egui::Label::new(text).extend());
}

/// Recommended stock over the horizon with its 95% band, the stock on hand and
/// each ticked scenario (the Compare chart's lines over the band), the legend under it.
pub fn target(
    ui: &mut Ui,
    id: &str,
    project: &Project,
    rec: &Recommendation,
    m: &MaterialRecommendation,
    shown: &[bool],
    height: f32,
) {
    let xs = xs(m.monthly.recommended_stock_kg.len());
    let with_safety =
        |values: &[f64]| -> Vec<f64> { values.iter().map(|v| v + m.safety_stock_kg).collect() };
    let low = with_safety(&m.monthly.ci95_low_kg);
    let high = with_safety(&m.monthly.ci95_high_kg);
    let lines = compare_lines(project, m, shown);
    let max_kg = max_of(&high).max(max_of(lines.iter().flat_map(|l| &l.kg_by_month)));
    let band = "95% interval of the blend";
    let band_fill = BLEND.gamma_multiply(0.25);
    month_plot(id, rec.start, height, "stock", max_kg, readout(&lines)).show(ui, |plot| {
        if low.len() == xs.len() && high.len() == xs.len() {
            plot.add(FilledArea::new(band, &xs, &low, &high).fill_color(band_fill));
        }
        for line in &lines {
            plot.line(line_of(line));
        }
    });
    legend_under(
        ui,
        std::iter::once(Key::new(band, Sample::Band(band_fill))).chain(series_keys(&lines)),
    );
}

/// Each series' name and values, for the hover read-out.
fn readout(lines: &[Series]) -> Vec<(String, Vec<f64>)> {
    lines
        .iter()
        .map(|line| (line.label.clone(), line.kg_by_month.clone()))
        .collect()
}

/// The Compare chart's series for the ticked scenarios.
fn compare_lines(project: &Project, m: &MaterialRecommendation, shown: &[bool]) -> Vec<Series> {
    shared::compare(project, m, |s| shown.get(s).copied().unwrap_or(true), None)
}

/// The fan chart of blended buffer percentiles.
pub fn fan(ui: &mut Ui, id: &str, rec: &Recommendation, m: &MaterialRecommendation, height: f32) {
    let h = m.monthly.fan_kg.len();
    let xs = xs(h);
    let level = |k: usize| -> Vec<f64> { m.monthly.fan_kg.iter().map(|f| f[k]).collect() };
    let (p5, p25, p50, p75, p95) = (level(0), level(1), level(2), level(3), level(4));
    let max_kg = max_of(p95.iter().chain(&m.monthly.strategic_buffer_kg));
    let (outer, inner) = ("5–95% of paths", "25–75% of paths");
    let (outer_fill, inner_fill) = (BLEND.gamma_multiply(0.18), BLEND.gamma_multiply(0.35));
    let median = Series {
        label: "Median buffer".to_owned(),
        color: palette::BLUE,
        stroke: Stroke::Solid { width: 2.0 },
        kg_by_month: p50,
    };
    let at_service_level = Series {
        label: "Buffer at the service level".to_owned(),
        color: palette::VERMILION,
        stroke: Stroke::Dashed { width: 1.5 },
        kg_by_month: m.monthly.strategic_buffer_kg.clone(),
    };
    let lines = [median, at_service_level];
    month_plot(
        id,
        rec.start,
        height,
        "strategic buffer",
        max_kg,
        readout(&lines),
    )
    .show(ui, |plot| {
        plot.add(FilledArea::new(outer, &xs, &p5, &p95).fill_color(outer_fill));
        plot.add(FilledArea::new(inner, &xs, &p25, &p75).fill_color(inner_fill));
        for line in &lines {
            plot.line(line_of(line));
        }
    });
    legend_under(
        ui,
        [
            Key::new(outer, Sample::Band(outer_fill)),
            Key::new(inner, Sample::Band(inner_fill)),
        ]
        .into_iter()
        .chain(series_keys(&lines)),
    );
}

/// The recommended stock by month under each ticked scenario beside the blend and
/// the stock on hand: the same series the exported Compare chart draws.
pub fn compare(
    ui: &mut Ui,
    id: &str,
    project: &Project,
    rec: &Recommendation,
    m: &MaterialRecommendation,
    shown: &[bool],
    height: f32,
) {
    let lines = compare_lines(project, m, shown);
    let max_kg = max_of(lines.iter().flat_map(|l| &l.kg_by_month));
    month_plot(
        id,
        rec.start,
        height,
        "recommended stock",
        max_kg,
        readout(&lines),
    )
    .show(ui, |plot| {
        for line in &lines {
            plot.line(line_of(line));
        }
    });
    legend_under(ui, series_keys(&lines));
}

/// Expected cost over strategic stock sizes with the optimum marked.
pub fn cost(ui: &mut Ui, id: &str, project: &Project, m: &MaterialRecommendation, height: f32) {
    let currency = project.currency.clone();
    let points: Vec<[f64; 2]> = m
        .cost_curve
        .iter()
        .map(|c| [c.strategic_stock_kg, c.expected_cost])
        .collect();
    let optimum = m
        .cost_curve
        .iter()
        .min_by(|a, b| a.expected_cost.total_cmp(&b.expected_cost))
        .map(|c| [c.strategic_stock_kg, c.expected_cost]);
    let currency_hover = currency.clone();
    let unit = MassUnit::for_max(max_of(points.iter().map(|p| &p[0])));
    let max_cost = max_of(points.iter().map(|p| &p[1]));
    let (curve, cheapest, recommended) = (
        "Expected cost",
        "Cheapest size",
        "Recommended strategic buffer",
    );
    Plot::new(id)
        .height(height)
        .x_axis_label(format!("strategic stock, {}", unit.name))
        .y_axis_label(money_axis_label(max_cost, &currency))
        .y_grid_spacer(y_grid())
        .x_axis_formatter(move |mark, _| mass_axis(mark.value, unit))
        .y_axis_formatter(move |mark, _| money_axis(mark.value, max_cost))
        .label_formatter(move |hover| {
            let position = hover_position(hover);
            Some(format!(
                "strategic stock {}\nexpected cost {}",
                unit.with_unit(position.x),
                money(position.y, &currency_hover)
            ))
        })
        .include_y(0.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.line(Line::new(curve, points).color(BLEND).width(2.0));
            if let Some(opt) = optimum {
                plot.add(Points::new(cheapest, vec![opt]).radius(6.0).color(GOOD));
            }
            plot.add(
                VLine::new(recommended, m.strategic_buffer_kg)
                    .color(TARGET)
                    .width(1.5)
                    .style(LineStyle::dashed_loose()),
            );
        });
    legend_under(
        ui,
        [
            Key::new(
                curve,
                Sample::Line(palette::BLUE, Stroke::Solid { width: 2.0 }),
            ),
            Key::new(cheapest, Sample::Marker(GOOD)),
            Key::new(
                recommended,
                Sample::Line(palette::VERMILION, Stroke::Dashed { width: 1.5 }),
            ),
        ],
    );
}

/// The build-up plan: orders at their order months beside their arrivals a lead
/// time later, the stock against the moving target and today's recommendation,
/// and the month the driving scenario runs dry at today's stock.
pub fn buildup(
    ui: &mut Ui,
    id: &str,
    project: &Project,
    rec: &Recommendation,
    m: &MaterialRecommendation,
    height: f32,
) {
    let plan = &m.buildup;
    // Orders left of the month, arrivals right of it: with no lead time both fall
    // in the same month and must stay apart.
    let bars = |values: &[f64], offset: f64| -> Vec<Bar> {
        values
            .iter()
            .enumerate()
            .filter(|(_, kg)| **kg > 0.0)
            .map(|(t, kg)| Bar::new(t as f64 + offset, *kg).width(0.4))
            .collect()
    };
    let max_kg = max_of(
        plan.target_kg
            .iter()
            .chain(&plan.stock_kg)
            .chain(&plan.order_kg)
            .chain([&m.recommended_stock_kg]),
    );
    let (ordered, arrives) = ("Ordered in the month", "Arrives in the month");
    let arrival_fill = BLEND.gamma_multiply(0.7);
    let lines = [
        Series {
            label: "Target (recommended stock by month)".to_owned(),
            color: palette::BLUE,
            stroke: Stroke::Solid { width: 2.0 },
            kg_by_month: plan.target_kg.clone(),
        },
        Series {
            label: "Stock with the plan".to_owned(),
            color: palette::ORANGE,
            stroke: Stroke::Solid { width: 2.0 },
            kg_by_month: plan.stock_kg.clone(),
        },
    ];
    let BuildupMarks { levels, months } = buildup_marks(project, m);
    let line_color = |key: &Key| match key.sample {
        Sample::Line(rgb, _) => color(rgb),
        Sample::Band(c) | Sample::Bar(c) | Sample::Marker(c) => c,
    };
    month_plot(
        id,
        rec.start,
        height,
        "stock, orders and arrivals",
        max_kg,
        vec![
            ("Target".to_owned(), plan.target_kg.clone()),
            ("Stock with the plan".to_owned(), plan.stock_kg.clone()),
        ],
    )
    .show(ui, |plot| {
        plot.add(BarChart::new(ordered, bars(&plan.order_kg, -0.2)).color(GOOD));
        plot.add(BarChart::new(arrives, bars(&plan.arrival_kg, 0.2)).color(arrival_fill));
        for line in &lines {
            plot.line(line_of(line));
        }
        for (key, kg) in &levels {
            plot.add(
                HLine::new(key.label.as_str(), *kg)
                    .color(line_color(key))
                    .width(1.5)
                    .style(LineStyle::dashed_loose()),
            );
        }
        for (key, month) in &months {
            plot.add(
                VLine::new(key.label.as_str(), *month as f64)
                    .color(line_color(key))
                    .width(1.5),
            );
        }
    });
    legend_under(
        ui,
        [
            Key::new(ordered, Sample::Bar(GOOD)),
            Key::new(arrives, Sample::Bar(arrival_fill)),
        ]
        .into_iter()
        .chain(series_keys(&lines))
        .chain(levels.into_iter().map(|(key, _)| key))
        .chain(months.into_iter().map(|(key, _)| key)),
    );
}

/// The build-up chart's levels (today's recommendation, the purchase cap) and marked
/// months (the recommendation reached, today's stock running dry), each with its
/// legend entry.
fn buildup_marks(project: &Project, m: &MaterialRecommendation) -> BuildupMarks {
    let plan = &m.buildup;
    let dashed = Stroke::Dashed { width: 1.5 };
    let marker = Stroke::Solid { width: 1.5 };
    let run_dry = m
        .driving_scenario
        .zip(plan.driving_run_out_month)
        .map(|(s, t)| {
            let name = project
                .scenarios
                .get(s)
                .map_or_else(|| format!("scenario {}", s + 1), |sc| sc.name.clone());
            (format!("Runs dry at today's stock if {name}"), t)
        });
    let mut levels = vec![(
        Key::new(
            "Recommended today",
            Sample::Line(palette::VERMILION, dashed),
        ),
        m.recommended_stock_kg,
    )];
    if let Some(cap) = plan.max_purchase_kg_per_month {
        levels.push((
            Key::new(
                "Purchase cap per month",
                Sample::Line(palette::GREY, dashed),
            ),
            cap,
        ));
    }
    let mut months = Vec::new();
    if let Some(met) = plan.reaches_recommendation_month {
        months.push((
            Key::new(
                "Recommendation reached",
                Sample::Line(palette::GREEN, marker),
            ),
            met,
        ));
    }
    if let Some((label, month)) = run_dry {
        months.push((
            Key::new(&label, Sample::Line(palette::VERMILION, marker)),
            month,
        ));
    }
    BuildupMarks { levels, months }
}

/// Levels across the build-up chart (kg) and months marked on it, with their keys.
struct BuildupMarks {
    levels: Vec<(Key, f64)>,
    months: Vec<(Key, usize)>,
}

/// Draws the chart of `kind` with its title and caption.
#[allow(clippy::too_many_arguments)]
pub fn chart(
    ui: &mut Ui,
    kind: ChartKind,
    id: &str,
    project: &Project,
    rec: &Recommendation,
    m: &MaterialRecommendation,
    shown: &[bool],
    height: f32,
) {
    ui.label(RichText::new(chart_title(kind)).strong());
    ui.weak(chart_caption(kind));
    match kind {
        ChartKind::Target => target(ui, id, project, rec, m, shown, height),
        ChartKind::Fan => fan(ui, id, rec, m, height),
        ChartKind::Compare => compare(ui, id, project, rec, m, shown, height),
        ChartKind::Cost => cost(ui, id, project, m, height),
        ChartKind::Buildup => buildup(ui, id, project, rec, m, height),
    }
}

/// A scenario's events on the calendar: bars for fixed spans, whiskers for uncertain
/// starts and durations, shading by the mean supply cut.
pub fn timeline(ui: &mut Ui, id: &str, project: &Project, scenario: usize, height: f32) {
    let Some(sc) = project.scenarios.get(scenario) else {
        return;
    };
    let start = project.start;
    let horizon = f64::from(project.horizon_months);
    let rows: Vec<(String, Vec<Shape>)> = sc
        .events
        .iter()
        .enumerate()
        .map(|(row, event)| {
            (
                event.name().to_owned(),
                event_shapes(event, start, horizon, row as f64),
            )
        })
        .collect();
    let names: Vec<String> = rows.iter().map(|(n, _)| n.clone()).collect();
    let count = rows.len().max(1) as f64;
    Plot::new(id)
        .height(height)
        .x_axis_label("month (YYYY-MM)")
        .y_axis_label("event")
        .x_grid_spacer(month_grid(start))
        .x_axis_formatter(move |mark, _| {
            if (mark.value - mark.value.round()).abs() < 1e-6 {
                month_label(start, mark.value)
            } else {
                String::new()
            }
        })
        .y_axis_formatter(move |mark, _| {
            let i = (-mark.value).round();
            if (mark.value + i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .label_formatter(move |hover| {
            let position = hover_position(hover);
            Some(month_label(start, position.x.floor()))
        })
        .include_x(0.0)
        .include_x(horizon)
        .include_y(0.6)
        .include_y(-count + 0.4)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.add(
                VLine::new("Horizon end", horizon)
                    .color(Color32::GRAY)
                    .style(LineStyle::dashed_loose()),
            );
            for (name, shapes) in rows {
                for shape in shapes {
                    match shape {
                        Shape::Bar { x0, x1, y, cut } => {
                            let alpha = (0.1 + 0.8 * cut).clamp(0.0, 1.0) as f32;
                            plot.polygon(
                                Polygon::new(
                                    name.clone(),
                                    vec![
                                        [x0, y - 0.12],
                                        [x1, y - 0.12],
                                        [x1, y + 0.12],
                                        [x0, y + 0.12],
                                    ],
                                )
                                .fill_color(TARGET.gamma_multiply(alpha))
                                .stroke(egui::Stroke::new(1.0, TARGET)),
                            );
                        }
                        Shape::Whisker { x0, x1, y } => {
                            plot.line(
                                Line::new(format!("{name} (uncertain)"), vec![[x0, y], [x1, y]])
                                    .color(Color32::DARK_GRAY)
                                    .width(2.0),
                            );
                            for x in [x0, x1] {
                                plot.line(
                                    Line::new(
                                        format!("{name} (uncertain)"),
                                        vec![[x, y - 0.15], [x, y + 0.15]],
                                    )
                                    .color(Color32::DARK_GRAY)
                                    .width(2.0),
                                );
                            }
                        }
                        Shape::Label { x, y, text } => {
                            plot.text(
                                Text::new(
                                    name.clone(),
                                    egui_plot::PlotPoint::new(x, y),
                                    RichText::new(text).size(12.0),
                                )
                                .anchor(egui::Align2::LEFT_BOTTOM),
                            );
                        }
                    }
                }
            }
        });
}

enum Shape {
    Bar { x0: f64, x1: f64, y: f64, cut: f64 },
    Whisker { x0: f64, x1: f64, y: f64 },
    Label { x: f64, y: f64, text: String },
}

fn event_shapes(event: &Event, start: YearMonth, horizon: f64, row: f64) -> Vec<Shape> {
    let y = -row;
    match event {
        Event::Once {
            start: event_start,
            duration_months,
            supply_cut,
            probability,
            ..
        } => {
            let (s_lo, s_hi) = match event_start {
                StartMonth::Fixed(m) => (start.months_until(*m), start.months_until(*m)),
                StartMonth::Uniform(a, b) => (start.months_until(*a), start.months_until(*b)),
            };
            let (s_lo, s_hi) = (f64::from(s_lo), f64::from(s_hi));
            let (d_lo, d_hi) = duration_months.bounds();
            let cut = supply_cut.mean();
            let mut shapes = Vec::new();
            // The expected span: from the mean start for the mean duration, shaded by the mean cut.
            let mean_start = (s_lo + s_hi) / 2.0;
            shapes.push(Shape::Bar {
                x0: mean_start,
                x1: mean_start + duration_months.mean(),
                y,
                cut: cut * probability.clamp(0.0, 1.0),
            });
            if s_hi > s_lo {
                shapes.push(Shape::Whisker {
                    x0: s_lo,
                    x1: s_hi,
                    y: y + 0.2,
                });
            }
            let end_lo = s_lo + d_lo;
            let end_hi = s_hi + d_hi;
            if end_hi > end_lo.max(s_hi) {
                shapes.push(Shape::Whisker {
                    x0: end_lo.max(s_hi),
                    x1: end_hi,
                    y: y - 0.2,
                });
            }
            let mut label = format!("cut {}", describe(supply_cut, true));
            if *probability < 1.0 {
                label.push_str(&format!(", {} likely", crate::units::percent(*probability)));
            }
            shapes.push(Shape::Label {
                x: s_lo.max(0.0).min(horizon),
                y: y + 0.28,
                text: label,
            });
            shapes
        }
        Event::Recurring {
            mean_months_between,
            mean_duration_months,
            supply_cut,
            ..
        } => vec![
            Shape::Bar {
                x0: 0.0,
                x1: horizon,
                y,
                cut: supply_cut.mean() * mean_duration_months
                    / (mean_months_between + mean_duration_months).max(1e-9),
            },
            Shape::Label {
                x: 0.0,
                y: y + 0.28,
                text: format!(
                    "random outages: ~{} months every ~{} months, cut {}",
                    thousands(*mean_duration_months, 1),
                    thousands(*mean_months_between, 1),
                    describe(supply_cut, true)
                ),
            },
        ],
    }
}

fn describe(dist: &Dist, share: bool) -> String {
    let f = |v: f64| {
        if share {
            crate::units::percent(v)
        } else {
            thousands(v, 1)
        }
    };
    match *dist {
        Dist::Fixed(v) => f(v),
        Dist::Uniform(a, b) => format!("{}–{}", f(a), f(b)),
        Dist::Triangular(a, m, b) => format!("{}–{} (most likely {})", f(a), f(b), f(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ticks_fall_on_round_calendar_months() {
        let start = YearMonth::of(2026, 12);
        let marks = month_grid(start)(egui_plot::GridInput {
            bounds: (0.0, 36.0),
            base_step_size: 1.2,
        });
        // Labelled every 12 months (at least 8 grid spacings apart): each January.
        let labelled: Vec<f64> = marks
            .iter()
            .filter(|mark| mark.step_size == 12.0)
            .map(|mark| mark.value)
            .collect();
        assert_eq!(labelled, vec![1.0, 13.0, 25.0]);
        for mark in &marks {
            let month = start.plus_months(mark.value as i32).month();
            assert_eq!(
                f64::from(month - 1) % mark.step_size,
                0.0,
                "{mark:?} is month {month}"
            );
        }
        assert!(marks.iter().any(|mark| mark.step_size == 3.0), "quarters");
    }
}
