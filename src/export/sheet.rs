//! The tables the XLSX and CSV exports write, as typed columns: each column is its
//! header, its unit and its value together, so a header cannot drift from the figure
//! under it and both formats write one definition (issue 14). Numbers are rounded
//! once, by their unit, for people reading them (`Unit::decimals`); JSON keeps full
//! precision.

use std::borrow::Cow;

use super::text as words;
use crate::engine::{FAN_LEVELS, MaterialRecommendation, Recommendation, ScenarioFigures};
use crate::project::{Material, Project, Scenario, YearMonth};
use crate::units;

/// What a column's numbers measure: its header's unit, its rounding and its
/// spreadsheet number format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Words: names, ids, sentences.
    Text,
    /// A calendar month (a date in XLSX, `YYYY-MM` in CSV).
    Month,
    /// A whole number without a unit (paths, seed, months of lead time counted).
    Count,
    Kg,
    KgPerMonth,
    /// Per unit of a product (the bill of materials).
    KgPerItem,
    UnitsPerMonth,
    /// An amount in the project's currency.
    Money,
    MoneyPerKg,
    /// Per unit of a product (its margin).
    MoneyPerItem,
    /// A share or probability, stored as a fraction (0.05), shown as a percentage.
    Share,
    SharePerYear,
    Days,
    /// A duration in months (may be fractional: 4.5 months of qualification).
    Months,
    /// A ratio of two amounts in one unit (money avoided per money spent).
    Ratio,
}

impl Unit {
    /// The unit as a header writes it in brackets, if it has one.
    pub fn suffix(self, currency: &str) -> Option<String> {
        let text = match self {
            Unit::Text | Unit::Month | Unit::Count | Unit::Ratio => return None,
            Unit::Kg => "kg",
            Unit::KgPerMonth => "kg / month",
            Unit::KgPerItem => "kg / unit",
            Unit::UnitsPerMonth => "units / month",
            Unit::Money => currency,
            Unit::MoneyPerKg => return Some(format!("{currency} / kg")),
            Unit::MoneyPerItem => return Some(format!("{currency} / unit")),
            Unit::Share => "%",
            Unit::SharePerYear => "% / year",
            Unit::Days => "days",
            Unit::Months => "months",
        };
        Some(text.to_owned())
    }

    /// Decimal places kept for reading (docs/EXPORTS.md): a gram for masses (the
    /// model's inputs are kg with at most a few decimals, its quantiles no finer), a
    /// cent for money, 0.0001 for prices per kg (cheap materials cost cents a kg) and
    /// ratios, six
    /// for shares (a probability over up to a million paths), two for days and months.
    /// `None`: written as it is (whole numbers such as a seed).
    pub fn decimals(self) -> Option<i32> {
        match self {
            Unit::Text | Unit::Month | Unit::Count => None,
            Unit::Kg | Unit::KgPerMonth | Unit::KgPerItem | Unit::UnitsPerMonth => Some(3),
            Unit::Money | Unit::MoneyPerItem => Some(2),
            Unit::MoneyPerKg | Unit::Ratio => Some(4),
            Unit::Share | Unit::SharePerYear => Some(6),
            Unit::Days | Unit::Months => Some(2),
        }
    }

    /// A value as stored in a cell: rounded for reading, never `-0`.
    pub fn round(self, value: f64) -> f64 {
        match self.decimals() {
            Some(decimals) => units::rounded(value, decimals),
            None => units::rounded(value, 0),
        }
    }
}

/// One cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    /// A number in the column's unit.
    Number(f64),
    /// A number with its own unit, for a list of settings in one column.
    Quantity(f64, Unit),
    Month(YearMonth),
    Text(String),
}

impl Cell {
    /// A number when finite, else empty (an undefined figure such as days of cover
    /// without demand).
    pub fn number(value: Option<f64>) -> Cell {
        match value {
            Some(v) if v.is_finite() => Cell::Number(v),
            _ => Cell::Empty,
        }
    }

    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }
}

/// A column: its header (label and unit) beside the value it writes for a row.
pub struct Column<'a, R> {
    pub label: Cow<'static, str>,
    pub unit: Unit,
    value: Box<dyn Fn(&R) -> Cell + 'a>,
}

impl<'a, R> Column<'a, R> {
    pub fn new(
        label: impl Into<Cow<'static, str>>,
        unit: Unit,
        value: impl Fn(&R) -> Cell + 'a,
    ) -> Self {
        Self {
            label: label.into(),
            unit,
            value: Box::new(value),
        }
    }

    /// A column of numbers in `unit`.
    pub fn number(
        label: impl Into<Cow<'static, str>>,
        unit: Unit,
        value: impl Fn(&R) -> f64 + 'a,
    ) -> Self {
        Self::new(label, unit, move |row| Cell::number(Some(value(row))))
    }

    /// A column of words.
    pub fn text(label: impl Into<Cow<'static, str>>, value: impl Fn(&R) -> String + 'a) -> Self {
        Self::new(label, Unit::Text, move |row| Cell::Text(value(row)))
    }

    /// "Recommended stock (kg)": the label with its unit.
    pub fn header(&self, currency: &str) -> String {
        match self.unit.suffix(currency) {
            Some(unit) => format!("{} ({unit})", self.label),
            None => self.label.clone().into_owned(),
        }
    }

    /// The row's cell, numbers rounded by their unit.
    pub fn cell(&self, row: &R) -> Cell {
        match (self.value)(row) {
            Cell::Number(v) if v.is_finite() => Cell::Number(self.unit.round(v)),
            Cell::Quantity(v, unit) if v.is_finite() => Cell::Quantity(unit.round(v), unit),
            Cell::Number(_) | Cell::Quantity(..) => Cell::Empty,
            other => other,
        }
    }
}

/// One row of the long table of targets by month: a material under the blend
/// (`scenario: None`) or one scenario, in one month.
pub struct TargetRow<'a> {
    pub material: &'a Material,
    pub m: &'a MaterialRecommendation,
    pub scenario: Option<(&'a Scenario, &'a ScenarioFigures)>,
    pub month: usize,
    pub start: YearMonth,
    /// Sentences, on each series' first month only.
    pub note: String,
}

impl TargetRow<'_> {
    fn blended(&self, value: impl Fn(&MaterialRecommendation, usize) -> f64) -> Cell {
        match self.scenario {
            None => Cell::Number(value(self.m, self.month)),
            Some(_) => Cell::Empty,
        }
    }

    fn buffer_kg(&self) -> f64 {
        match self.scenario {
            None => self.m.monthly.strategic_buffer_kg[self.month],
            Some((_, s)) => s.buffer_by_month_kg[self.month],
        }
    }
}

/// The rows of the targets by month: per material, the blend then each scenario,
/// each over every month. The blend's first month carries any open-ended sentences
/// and the build-up plan in words, a scenario's first month its open-ended sentence.
pub fn target_rows<'a>(project: &'a Project, rec: &'a Recommendation) -> Vec<TargetRow<'a>> {
    let mut rows = Vec::new();
    for (index, (material, m)) in project.materials.iter().zip(&rec.materials).enumerate() {
        let mut blended_note = words::open_ended_sentences(project, m);
        blended_note.extend(words::buildup_sentences(project, rec, index));
        let series = std::iter::once((None, blended_note.join(" "))).chain(
            project
                .scenarios
                .iter()
                .zip(&m.by_scenario)
                .map(|(scenario, s)| {
                    let note = words::open_ended_sentence(&scenario.name, s).unwrap_or_default();
                    (Some((scenario, s)), note)
                }),
        );
        for (scenario, note) in series {
            for month in 0..rec.horizon_months {
                rows.push(TargetRow {
                    material,
                    m,
                    scenario,
                    month,
                    start: rec.start,
                    note: if month == 0 {
                        note.clone()
                    } else {
                        String::new()
                    },
                });
            }
        }
    }
    rows
}

/// The percentile columns' CSV names and labels, one per `FAN_LEVELS`.
const FAN_KEYS: [&str; FAN_LEVELS.len()] = [
    "buffer_p05_kg",
    "buffer_p25_kg",
    "buffer_p50_kg",
    "buffer_p75_kg",
    "buffer_p95_kg",
];
const FAN_LABELS: [&str; FAN_LEVELS.len()] = [
    "Buffer 5th percentile",
    "Buffer 25th percentile",
    "Buffer median",
    "Buffer 75th percentile",
    "Buffer 95th percentile",
];

/// The targets by month, each column with its CSV name (stable, snake case with the
/// unit) and its spreadsheet header. Blend-only columns (interval, percentiles,
/// build-up plan) are empty on scenario rows; `shortfall_in_last_month_kg` is a
/// scenario's only; the run-out probability following the plan is the blend's on
/// blended rows and the scenario's own on its rows. Over 100 lines on purpose: it is
/// one table of column definitions, read top to bottom like the CSV's header.
pub fn target_columns<'a>() -> Vec<(&'static str, Column<'a, TargetRow<'a>>)> {
    let mut columns = vec![
        (
            "material_id",
            Column::text("Material id", |r: &TargetRow| r.material.id.clone()),
        ),
        (
            "scenario_id",
            Column::text("Scenario id", |r: &TargetRow| {
                r.scenario
                    .map_or_else(|| "blended".to_owned(), |(s, _)| s.id.clone())
            }),
        ),
        (
            "month",
            Column::new("Month", Unit::Month, |r: &TargetRow| {
                Cell::Month(r.start.plus_months(r.month as i32))
            }),
        ),
        (
            "recommended_stock_kg",
            Column::number("Recommended stock", Unit::Kg, |r: &TargetRow| {
                match r.scenario {
                    None => r.m.monthly.recommended_stock_kg[r.month],
                    Some(_) => r.m.safety_stock_kg + r.buffer_kg(),
                }
            }),
        ),
        (
            "strategic_buffer_kg",
            Column::number("Strategic buffer", Unit::Kg, TargetRow::buffer_kg),
        ),
        (
            "safety_stock_kg",
            Column::number("Safety stock", Unit::Kg, |r: &TargetRow| {
                r.m.safety_stock_kg
            }),
        ),
        (
            "strategic_buffer_ci95_low_kg",
            Column::new("Buffer 95% CI low", Unit::Kg, |r: &TargetRow| {
                r.blended(|m, t| m.monthly.ci95_low_kg[t])
            }),
        ),
        (
            "strategic_buffer_ci95_high_kg",
            Column::new("Buffer 95% CI high", Unit::Kg, |r: &TargetRow| {
                r.blended(|m, t| m.monthly.ci95_high_kg[t])
            }),
        ),
    ];
    for (level, (key, label)) in FAN_KEYS.into_iter().zip(FAN_LABELS).enumerate() {
        columns.push((
            key,
            Column::new(label, Unit::Kg, move |r: &TargetRow| {
                r.blended(|m, t| m.monthly.fan_kg[t][level])
            }),
        ));
    }
    columns.extend([
        (
            "price_index_per_kg",
            Column::number("Price index", Unit::MoneyPerKg, |r: &TargetRow| {
                match r.scenario {
                    None => r.m.monthly.price_index_per_kg[r.month],
                    Some((_, s)) => s.price_index_per_kg[r.month],
                }
            }),
        ),
        (
            "on_hand_kg",
            Column::number("On hand today", Unit::Kg, |r: &TargetRow| r.m.on_hand_kg),
        ),
        (
            "buildup_stock_kg",
            Column::new(
                "Build-up stock at the month's start",
                Unit::Kg,
                |r: &TargetRow| r.blended(|m, t| m.buildup.stock_kg[t]),
            ),
        ),
        (
            "buildup_order_kg",
            Column::new("Build-up orders placed", Unit::Kg, |r: &TargetRow| {
                r.blended(|m, t| m.buildup.order_kg[t])
            }),
        ),
        (
            "buildup_arrival_kg",
            Column::new("Build-up arrivals", Unit::Kg, |r: &TargetRow| {
                r.blended(|m, t| m.buildup.arrival_kg[t])
            }),
        ),
        (
            "buildup_kg_bought",
            Column::new("Bought by the plan", Unit::Kg, |r: &TargetRow| {
                r.blended(|m, _| m.buildup.kg_bought)
            }),
        ),
        (
            "gap_cost_at_todays_price",
            Column::new(
                "Whole gap at today's price",
                Unit::Money,
                |r: &TargetRow| r.blended(|m, _| m.buildup.gap_cost_at_todays_price),
            ),
        ),
        (
            "value_of_buying_ahead",
            Column::new("Saved by buying now", Unit::Money, |r: &TargetRow| {
                r.blended(|m, _| m.buildup.value_of_buying_ahead)
            }),
        ),
        (
            "shortfall_in_last_month_kg",
            Column::new(
                "Still short in the last month",
                Unit::KgPerMonth,
                |r: &TargetRow| match r.scenario {
                    None => Cell::Empty,
                    Some((_, s)) => Cell::Number(s.shortfall_in_last_month_kg),
                },
            ),
        ),
        (
            "run_out_probability_following_plan",
            Column::number(
                "Run-out probability following the plan",
                Unit::Share,
                |r: &TargetRow| match r.scenario {
                    None => r.m.buildup.run_out_probability_following_plan,
                    Some((_, s)) => s.run_out_probability_following_plan,
                },
            ),
        ),
        ("note", Column::text("Note", |r: &TargetRow| r.note.clone())),
    ]);
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_rounded_by_unit_without_negative_zero() {
        let column = Column::number("Stock", Unit::Kg, |v: &f64| *v);
        assert_eq!(column.cell(&75.000_000_000_000_01), Cell::Number(75.0));
        assert_eq!(column.cell(&-0.0), Cell::Number(0.0));
        assert_eq!(column.cell(&-0.000_4), Cell::Number(0.0));
        assert_eq!(column.cell(&1_234.567_89), Cell::Number(1_234.568));
        assert_eq!(column.cell(&f64::NAN), Cell::Empty);
        assert_eq!(column.header("USD"), "Stock (kg)");
        let money = Column::number("Price", Unit::MoneyPerKg, |v: &f64| *v);
        assert_eq!(money.header("EUR"), "Price (EUR / kg)");
        assert_eq!(money.cell(&85.371_428_57), Cell::Number(85.3714));
        let share = Column::number("Risk", Unit::Share, |v: &f64| *v);
        assert_eq!(share.cell(&0.123_456_789), Cell::Number(0.123_457));
    }
}
