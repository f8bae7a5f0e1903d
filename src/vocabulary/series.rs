//! The series each chart draws, defined once: the app's plot and the exported
//! figure both iterate these, so what is exported is what is on screen.

use super::labels;
use super::palette::{self, Rgb};
use crate::engine::MaterialRecommendation;
use crate::project::Project;

/// How a series' line is drawn; widths in points (SVG pixels when exported).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stroke {
    Solid { width: f32 },
    Dashed { width: f32 },
}

/// One line of a chart: a value in kg for each month of the horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub color: Rgb,
    pub stroke: Stroke,
    pub kg_by_month: Vec<f64>,
}

/// A scenario's name, or its place in the list when the project has no such scenario.
pub fn scenario_name(project: &Project, index: usize) -> String {
    project
        .scenarios
        .get(index)
        .map_or_else(|| format!("scenario {}", index + 1), |s| s.name.clone())
}

/// What a Compare line shows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum CompareLine {
    Scenario(usize),
    Blend,
    OnHand,
}

/// The Compare chart's lines without their values (for a legend shared by
/// several materials' panels): each shown scenario, the blend, the stock on hand.
pub fn compare_legend(
    project: &Project,
    shown: impl Fn(usize) -> bool,
    highlighted: Option<usize>,
) -> Vec<Series> {
    compare_lines(project.scenarios.len(), shown)
        .into_iter()
        .map(|line| compare_style(project, line, highlighted, Vec::new()))
        .collect()
}

/// The Compare chart: the recommended stock by month under each shown scenario
/// (its strategic buffer plus the safety stock; dashed, in the scenario's
/// colour, thicker when `highlighted`), the probability-weighted blend (thick,
/// solid, blue) and the stock on hand (thin, solid, vermilion).
pub fn compare(
    project: &Project,
    m: &MaterialRecommendation,
    shown: impl Fn(usize) -> bool,
    highlighted: Option<usize>,
) -> Vec<Series> {
    let months = m.monthly.recommended_stock_kg.len();
    compare_lines(m.by_scenario.len(), shown)
        .into_iter()
        .map(|line| {
            let kg_by_month = match line {
                CompareLine::Scenario(index) => m.by_scenario[index]
                    .buffer_by_month_kg
                    .iter()
                    .map(|buffer| buffer + m.safety_stock_kg)
                    .collect(),
                CompareLine::Blend => m.monthly.recommended_stock_kg.clone(),
                CompareLine::OnHand => vec![m.on_hand_kg; months],
            };
            compare_style(project, line, highlighted, kg_by_month)
        })
        .collect()
}

fn compare_lines(scenarios: usize, shown: impl Fn(usize) -> bool) -> Vec<CompareLine> {
    (0..scenarios)
        .filter(|&index| shown(index))
        .map(CompareLine::Scenario)
        .chain([CompareLine::Blend, CompareLine::OnHand])
        .collect()
}

fn compare_style(
    project: &Project,
    line: CompareLine,
    highlighted: Option<usize>,
    kg_by_month: Vec<f64>,
) -> Series {
    let (label, color, stroke) = match line {
        CompareLine::Scenario(index) => (
            scenario_name(project, index),
            palette::scenario(index),
            Stroke::Dashed {
                width: if highlighted == Some(index) { 4.0 } else { 2.0 },
            },
        ),
        CompareLine::Blend => (
            labels::BLEND.to_owned(),
            palette::BLUE,
            Stroke::Solid { width: 3.0 },
        ),
        CompareLine::OnHand => (
            labels::ON_HAND.to_owned(),
            palette::VERMILION,
            Stroke::Solid { width: 1.5 },
        ),
    };
    Series {
        label,
        color,
        stroke,
        kg_by_month,
    }
}
