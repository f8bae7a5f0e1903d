//! XLSX: the executive summary first, then one table per sheet, each with one header
//! row (units in the headers), numbers as numbers, months as dates, the header row
//! frozen and repeated on every printed page, landscape and one page wide (the sheets:
//! docs/EXPORTS.md). Every table is a list of `sheet::Column`s: the header and the
//! value it heads are written from one definition.

use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::ExportError;
use super::sheet::{self, Cell, Column, Unit};
use super::summary::{
    Action, BudgetRow, Driver, ExecutiveSummary, Feasibility, QualifyLine, ScenarioStockRow,
};
use super::text as words;
use crate::engine::{CostPoint, MaterialRecommendation, Recommendation, ScenarioFigures};
use crate::project::{Alternative, Event, Material, Product, Project, Scenario, ServiceLevel};
use crate::units;

/// A text column is at most this wide (characters); longer texts wrap.
const MAX_TEXT_WIDTH: usize = 60;
/// About how many characters of text fill a wrapped line of a `MAX_TEXT_WIDTH` column:
/// a column's width counts digits, and text averages narrower.
const CHARS_PER_WRAPPED_LINE: usize = MAX_TEXT_WIDTH * 7 / 6;
/// A line of 11 pt text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// The header row holds two lines: a long header wraps rather than widening its column.
const HEADER_ROW_HEIGHT: f64 = 2.0 * LINE_HEIGHT;

fn err(e: XlsxError) -> ExportError {
    ExportError::render("workbook", e)
}

/// The workbook, the executive summary (`summary`, built once for every format) first.
pub fn render(
    project: &Project,
    rec: &Recommendation,
    summary: &ExecutiveSummary,
) -> Result<Vec<u8>, ExportError> {
    build(project, rec, summary).map_err(err)
}

/// The number format a unit's cells are shown with.
fn number_format(unit: Unit) -> Format {
    let format = Format::new();
    match unit {
        Unit::Kg | Unit::KgPerMonth | Unit::UnitsPerMonth | Unit::Money | Unit::Days => {
            format.set_num_format("#,##0")
        }
        Unit::KgPerItem => format.set_num_format("#,##0.000"),
        Unit::MoneyPerKg | Unit::MoneyPerItem | Unit::Ratio => format.set_num_format("#,##0.00"),
        Unit::Share | Unit::SharePerYear => format.set_num_format("0.0%"),
        Unit::Count => format.set_num_format("0"),
        Unit::Month => format
            .set_num_format("yyyy-mm")
            .set_align(FormatAlign::Left),
        // Fractional months (4.5) read best as written; words as words.
        Unit::Months | Unit::Text => format,
    }
}

/// About how many characters a cell shows, to size its column.
fn shown_width(cell: &Cell, unit: Unit) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(text) => text.chars().count(),
        Cell::Month(_) => 7,
        Cell::Number(v) => number_width(*v, unit),
        Cell::Quantity(v, unit) => number_width(*v, *unit),
    }
}

fn number_width(v: f64, unit: Unit) -> usize {
    match unit {
        Unit::Share | Unit::SharePerYear => units::thousands(v * 100.0, 1).len() + 1,
        Unit::KgPerItem => units::thousands(v, 3).len(),
        Unit::MoneyPerKg | Unit::MoneyPerItem | Unit::Ratio => units::thousands(v, 2).len(),
        Unit::Months | Unit::Count | Unit::Text | Unit::Month => format!("{v}").len(),
        _ => units::thousands(v, 0).len(),
    }
}

/// The width a header needs in a two-line header row: its longest word, and half its
/// length (it wraps once).
fn header_width(header: &str) -> usize {
    let longest_word = header
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    longest_word.max(header.chars().count().div_ceil(2) + 2)
}

/// How many lines `text` takes wrapped at `width` characters, word by word.
fn wrapped_lines(text: &str, width: usize) -> usize {
    let mut lines = 1;
    let mut line = 0;
    for word in text.split_whitespace() {
        let word = word.chars().count();
        if line == 0 {
            line = word;
        } else if line + 1 + word <= width {
            line += 1 + word;
        } else {
            lines += 1;
            line = word;
        }
    }
    lines
}

/// `&` starts a control code in a printed header or footer; Excel drops one longer
/// than 255 characters, so long names are cut.
fn header_footer_text(text: &str, max_chars: usize) -> String {
    let mut short: String = text.chars().take(max_chars).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short.replace('&', "&&")
}

/// The workbook being built, with what every sheet's page setup shares.
struct Book {
    workbook: Workbook,
    header: Format,
    title: Format,
    heading: Format,
    currency: String,
    /// The printed page header and footer (control codes included).
    page_header: String,
    page_footer: String,
}

impl Book {
    fn new(project: &Project, rec: &Recommendation, date: &str) -> Self {
        let run = format!(
            "{} · {} paths · seed {} · {}",
            words::service_level(rec),
            units::thousands(rec.paths as f64, 0),
            rec.seed,
            date
        );
        Self {
            workbook: Workbook::new(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xE8EEF4))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            heading: Format::new().set_bold().set_font_size(12),
            currency: project.currency.clone(),
            page_header: format!(
                "&L&\"-,Bold\"{}&R&A",
                header_footer_text(&project.name, 100)
            ),
            page_footer: format!(
                "&L{}: {}&RPage &P of &N",
                words::APP,
                header_footer_text(&run, 150)
            ),
        }
    }

    /// The executive summary, the board's page: the totals, the ranked actions, the
    /// stock each scenario needs, the build-up plan's feasibility and, when they were
    /// computed, the top drivers, the budget and qualify-or-stockpile; each a small
    /// table under its heading.
    fn summary(
        &mut self,
        project: &Project,
        rec: &Recommendation,
        summary: &ExecutiveSummary,
        date: &str,
    ) -> Result<(), XlsxError> {
        let sheet = self.workbook.add_worksheet();
        sheet.set_name("Summary")?;
        sheet.write_string_with_format(
            0,
            0,
            format!("{}: executive summary", project.name),
            &self.title,
        )?;
        sheet.write_string(1, 0, words::provenance(project, rec, date))?;
        let mut page = Page {
            sheet,
            header: &self.header,
            heading: &self.heading,
            currency: &self.currency,
            row: 3,
            widths: Vec::new(),
        };
        // Figures only: the first columns also hold the tables' names and ranks below,
        // and the PDF and HTML carry the totals' sentences.
        let totals: Vec<Total> = vec![
            (
                "Capital for every gap",
                summary.totals.capital_for_every_gap,
            ),
            (
                "Holding cost per year",
                summary.totals.holding_cost_per_year,
            ),
            (
                "Expected shortage cost now",
                summary.totals.expected_shortage_cost_at_on_hand,
            ),
        ];
        page.section("Totals", &total_columns(), &totals)?;
        page.section(
            "What to buy first",
            &action_columns(&self.currency),
            &summary.actions,
        )?;
        page.section(
            "Stock each scenario needs",
            &stock_columns(&summary.stock_by_scenario.material_names),
            &summary.stock_by_scenario.rows,
        )?;
        page.section(
            "Can the build-up plan make it in time?",
            &feasibility_columns(rec),
            &summary.feasibility,
        )?;
        if let Some(drivers) = summary.drivers.as_deref().filter(|d| !d.is_empty()) {
            page.section("What drives the stockpile most", &driver_columns(), drivers)?;
        }
        if let Some(budget) = &summary.budget {
            page.section("Spending the budget", &budget_columns(), &budget.rows)?;
            page.line(&budget.sentence)?;
        }
        if let Some(lines) = summary.qualify.as_deref().filter(|q| !q.is_empty()) {
            page.section("Qualify or stockpile", &qualify_columns(), lines)?;
        }
        // The title and the provenance line overflow to the right; they size no column.
        set_widths(page.sheet, &page.widths)?;
        print_setup(page.sheet, &self.page_header, &self.page_footer);
        Ok(())
    }

    /// Adds a sheet holding one table: a header row, then a row per item. The first
    /// `frozen_columns` columns (the names) stay in view when scrolling sideways.
    fn table<R>(
        &mut self,
        name: &str,
        columns: &[Column<'_, R>],
        rows: &[R],
        frozen_columns: u16,
    ) -> Result<(), XlsxError> {
        let mut widths = Vec::new();
        let sheet = self.workbook.add_worksheet();
        sheet.set_name(name)?;
        write_block(
            sheet,
            &self.header,
            &self.currency,
            0,
            columns,
            rows,
            &mut widths,
        )?;
        set_widths(sheet, &widths)?;
        sheet.set_freeze_panes(1, frozen_columns)?;
        if !rows.is_empty() && !columns.is_empty() {
            sheet.autofilter(0, 0, rows.len() as u32, columns.len() as u16 - 1)?;
        }
        sheet.set_repeat_rows(0, 0)?;
        print_setup(sheet, &self.page_header, &self.page_footer);
        Ok(())
    }
}

/// Printed: landscape, one page wide, the project, the sheet and the page number in
/// the margins.
fn print_setup(sheet: &mut Worksheet, page_header: &str, page_footer: &str) {
    sheet
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_header(page_header)
        .set_footer(page_footer);
}

/// A sheet written top to bottom, tables under headings (the Summary).
struct Page<'s> {
    sheet: &'s mut Worksheet,
    header: &'s Format,
    heading: &'s Format,
    currency: &'s str,
    /// The next row to write.
    row: u32,
    widths: Vec<usize>,
}

impl Page<'_> {
    /// A line of words under the last table, then a blank row.
    fn line(&mut self, text: &str) -> Result<(), XlsxError> {
        self.sheet.write_string(self.row - 1, 0, text)?;
        self.row += 1;
        Ok(())
    }

    /// A heading, its table, then a blank row.
    fn section<R>(
        &mut self,
        title: &str,
        columns: &[Column<'_, R>],
        rows: &[R],
    ) -> Result<(), XlsxError> {
        self.sheet
            .write_string_with_format(self.row, 0, title, self.heading)?;
        let next = write_block(
            self.sheet,
            self.header,
            self.currency,
            self.row + 1,
            columns,
            rows,
            &mut self.widths,
        )?;
        self.row = next + 1;
        Ok(())
    }
}

/// Writes a table from `first_row`: its header row, then a row per item. Returns the
/// row after it; widens `widths` (characters per column) to what it holds.
fn write_block<R>(
    sheet: &mut Worksheet,
    header: &Format,
    currency: &str,
    first_row: u32,
    columns: &[Column<'_, R>],
    rows: &[R],
    widths: &mut Vec<usize>,
) -> Result<u32, XlsxError> {
    let headers: Vec<String> = columns.iter().map(|c| c.header(currency)).collect();
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|row| columns.iter().map(|c| c.cell(row)).collect())
        .collect();
    if widths.len() < columns.len() {
        widths.resize(columns.len(), 0);
    }
    let mut formats = Vec::with_capacity(columns.len());
    let mut wrapped = vec![false; columns.len()];
    for (col, column) in columns.iter().enumerate() {
        let content = cells
            .iter()
            .map(|row| shown_width(&row[col], column.unit))
            .max()
            .unwrap_or(0);
        let width = header_width(&headers[col]).max(content);
        widths[col] = widths[col].max(width);
        wrapped[col] = width > MAX_TEXT_WIDTH;
        let format = number_format(column.unit).set_align(FormatAlign::Top);
        formats.push(if wrapped[col] {
            format.set_text_wrap()
        } else {
            format
        });
    }
    for (col, text) in headers.iter().enumerate() {
        sheet.write_string_with_format(first_row, col as u16, text, header)?;
    }
    sheet.set_row_height(first_row, HEADER_ROW_HEIGHT)?;
    for (r, row) in cells.iter().enumerate() {
        let r = first_row + 1 + r as u32;
        for (col, cell) in row.iter().enumerate() {
            write_cell(sheet, r, col as u16, cell, &formats[col])?;
        }
        // Neither Excel nor LibreOffice grows a row for wrapped text written by a
        // program: the row is given the height its longest wrapped text needs.
        let lines = row
            .iter()
            .zip(&wrapped)
            .filter_map(|(cell, &wrap)| match cell {
                Cell::Text(text) if wrap => Some(wrapped_lines(text, CHARS_PER_WRAPPED_LINE)),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            sheet.set_row_height(r, LINE_HEIGHT * lines as f64)?;
        }
    }
    Ok(first_row + 1 + rows.len() as u32)
}

fn set_widths(sheet: &mut Worksheet, widths: &[usize]) -> Result<(), XlsxError> {
    for (col, width) in widths.iter().enumerate() {
        let width = (*width).clamp(6, MAX_TEXT_WIDTH) + 2;
        sheet.set_column_width(col as u16, width as f64)?;
    }
    Ok(())
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    format: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => sheet.write_blank(row, col, format)?,
        Cell::Number(v) => sheet.write_number_with_format(row, col, *v, format)?,
        Cell::Quantity(v, unit) => {
            let own = number_format(*unit)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top);
            sheet.write_number_with_format(row, col, *v, &own)?
        }
        Cell::Month(month) => {
            // A month in 1000..=9999 (YearMonth's range) is a valid Excel date.
            let date = ExcelDateTime::from_ymd(month.year() as u16, month.month() as u8, 1)?;
            let own = number_format(Unit::Month).set_align(FormatAlign::Top);
            sheet.write_datetime_with_format(row, col, &date, &own)?
        }
        Cell::Text(text) => sheet.write_string_with_format(row, col, text, format)?,
    };
    Ok(())
}

/// A month index as a date, or "never" past the horizon.
fn month_or_never(rec: &Recommendation, month: Option<usize>) -> Cell {
    month.map_or_else(|| Cell::text("never"), |t| Cell::Month(rec.month(t)))
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_owned()
}

type Total<'a> = (&'a str, f64);

fn total_columns<'a>() -> Vec<Column<'a, Total<'a>>> {
    vec![
        Column::text("Total", |(label, _): &Total| (*label).to_owned()),
        Column::number("Amount", Unit::Money, |(_, amount): &Total| *amount),
    ]
}

fn action_columns<'a>(currency: &str) -> Vec<Column<'a, Action>> {
    vec![
        Column::number("Rank", Unit::Count, |a: &Action| a.rank as f64),
        Column::text("Material", |a: &Action| a.material_name.clone()),
        Column::number("Gap to buy", Unit::Kg, |a: &Action| a.gap_kg),
        Column::number("Gap at today's price", Unit::Money, |a: &Action| {
            a.gap_cost_at_todays_price
        }),
        Column::number(
            "Stockout probability at on hand",
            Unit::Share,
            |a: &Action| a.stockout_probability_at_on_hand,
        ),
        Column::number(
            "Expected shortage cost at on hand",
            Unit::Money,
            |a: &Action| a.expected_shortage_cost_at_on_hand,
        ),
        Column::number("Shortage cost the gap avoids", Unit::Money, |a: &Action| {
            a.avoided_shortage_cost()
        }),
        Column::number(
            format!("Avoided per {currency} spent"),
            Unit::Ratio,
            |a: &Action| a.avoided_per_money,
        ),
        Column::text("Build-up too late", |a: &Action| yes_no(a.too_late)),
        Column::text("What to do", |a: &Action| a.sentence.clone()),
    ]
}

/// Rows: each scenario, then the blend; a column of kilograms per material.
fn stock_columns<'a>(material_names: &[String]) -> Vec<Column<'a, ScenarioStockRow>> {
    let mut columns = vec![
        Column::text("Scenario", |r: &ScenarioStockRow| r.label.clone()),
        Column::number("Weight", Unit::Share, |r: &ScenarioStockRow| r.weight),
    ];
    columns.extend(material_names.iter().enumerate().map(|(i, name)| {
        Column::new(name.clone(), Unit::Kg, move |r: &ScenarioStockRow| {
            Cell::number(r.recommended_stock_kg.get(i).copied())
        })
    }));
    columns
}

fn feasibility_columns<'a>(rec: &'a Recommendation) -> Vec<Column<'a, Feasibility>> {
    vec![
        Column::text("Material", |f: &Feasibility| f.material_name.clone()),
        Column::number("Gap to buy", Unit::Kg, |f: &Feasibility| f.gap_kg),
        Column::new("Target met", Unit::Month, move |f: &Feasibility| {
            month_or_never(rec, f.reaches_recommendation_month)
        }),
        Column::new(
            "Driving scenario runs dry",
            Unit::Month,
            move |f: &Feasibility| month_or_never(rec, f.driving_run_out_month),
        ),
        Column::text("Too late", |f: &Feasibility| yes_no(f.too_late)),
        Column::number(
            "Run-out probability following the plan",
            Unit::Share,
            |f: &Feasibility| f.run_out_probability_following_plan,
        ),
        Column::text("In words", |f: &Feasibility| f.sentence.clone()),
    ]
}

fn driver_columns<'a>() -> Vec<Column<'a, Driver>> {
    vec![
        Column::text("Material", |d: &Driver| d.material_name.clone()),
        Column::text("Input", |d: &Driver| d.input_label.clone()),
        Column::text("Low", |d: &Driver| d.input_low.clone()),
        Column::text("High", |d: &Driver| d.input_high.clone()),
        Column::number("Recommended stock at low", Unit::Kg, |d: &Driver| {
            d.recommended_low_kg
        }),
        Column::number("Recommended stock at high", Unit::Kg, |d: &Driver| {
            d.recommended_high_kg
        }),
        Column::number("Swing", Unit::Kg, |d: &Driver| d.swing_kg),
        Column::number("Swing at today's price", Unit::Money, |d: &Driver| {
            d.swing_value
        }),
        Column::text("In words", |d: &Driver| d.sentence.clone()),
    ]
}

fn budget_columns<'a>() -> Vec<Column<'a, BudgetRow>> {
    vec![
        Column::text("Material", |b: &BudgetRow| b.material_name.clone()),
        Column::number("Buy", Unit::Kg, |b: &BudgetRow| b.kg),
        Column::number("Cost", Unit::Money, |b: &BudgetRow| b.cost),
        Column::number(
            "Stockout probability before",
            Unit::Share,
            |b: &BudgetRow| b.stockout_probability_before,
        ),
        Column::number(
            "Stockout probability after",
            Unit::Share,
            |b: &BudgetRow| b.stockout_probability_after,
        ),
        Column::number("Expected shortfall before", Unit::Kg, |b: &BudgetRow| {
            b.expected_shortfall_kg_before
        }),
        Column::number("Expected shortfall after", Unit::Kg, |b: &BudgetRow| {
            b.expected_shortfall_kg_after
        }),
    ]
}

fn qualify_columns<'a>() -> Vec<Column<'a, QualifyLine>> {
    vec![
        Column::text("Material", |q: &QualifyLine| q.material_name.clone()),
        Column::number(
            "Recommended stock as entered",
            Unit::Kg,
            |q: &QualifyLine| q.comparison.recommended_stock_kg_as_entered,
        ),
        Column::number(
            "Recommended stock, every alternative qualified now",
            Unit::Kg,
            |q: &QualifyLine| q.comparison.recommended_stock_kg_qualified,
        ),
        Column::number(
            "Holding cost saved per year",
            Unit::Money,
            |q: &QualifyLine| q.comparison.holding_saved_per_year(),
        ),
        Column::text("In words", |q: &QualifyLine| q.sentence.clone()),
    ]
}

type MaterialRow<'a> = (usize, &'a Material, &'a MaterialRecommendation);

fn material_name<'a>() -> Column<'a, MaterialRow<'a>> {
    Column::text("Material", |(_, material, _): &MaterialRow| {
        material.name.clone()
    })
}

fn material_id<'a>() -> Column<'a, MaterialRow<'a>> {
    Column::text("Material id", |(_, material, _): &MaterialRow| {
        material.id.clone()
    })
}

/// A column of one figure of each material's recommendation.
fn figure<'a>(
    label: &'static str,
    unit: Unit,
    value: fn(&MaterialRecommendation) -> f64,
) -> Column<'a, MaterialRow<'a>> {
    Column::number(label, unit, move |(_, _, m): &MaterialRow| value(m))
}

/// Per material: what to hold and why.
fn recommendation_columns<'a>(project: &'a Project) -> Vec<Column<'a, MaterialRow<'a>>> {
    vec![
        material_name(),
        material_id(),
        figure("Recommended stock", Unit::Kg, |m| m.recommended_stock_kg),
        Column::new("Days of cover", Unit::Days, |(_, _, m): &MaterialRow| {
            Cell::number(m.days_of_cover)
        }),
        Column::new(
            "Share of annual consumption",
            Unit::Share,
            |(_, _, m): &MaterialRow| Cell::number(m.share_of_annual_consumption),
        ),
        figure("Safety stock", Unit::Kg, |m| m.safety_stock_kg),
        figure("Strategic buffer", Unit::Kg, |m| m.strategic_buffer_kg),
        figure("Buffer 95% CI low", Unit::Kg, |m| {
            m.strategic_buffer_ci95_kg[0]
        }),
        figure("Buffer 95% CI high", Unit::Kg, |m| {
            m.strategic_buffer_ci95_kg[1]
        }),
        figure("On hand", Unit::Kg, |m| m.on_hand_kg),
        figure("Gap to buy", Unit::Kg, |m| m.gap_kg),
        figure("Stockout probability at on hand", Unit::Share, |m| {
            m.stockout_probability_at_on_hand
        }),
        figure("Expected shortfall at on hand", Unit::Kg, |m| {
            m.expected_shortfall_kg_at_on_hand
        }),
        figure("Holding cost per year", Unit::Money, |m| {
            m.holding_cost_per_year
        }),
        figure("Service level", Unit::Share, |m| m.service_level),
        figure("Demand", Unit::KgPerMonth, |m| m.mean_monthly_demand_kg),
        Column::text("Driving scenario", move |(_, _, m): &MaterialRow| {
            words::driving_scenario(project, m)
        }),
        figure("Cost-optimal strategic stock", Unit::Kg, |m| {
            m.cost_optimal_strategic_stock_kg
        }),
        figure("Strategic stock on hand", Unit::Kg, |m| {
            m.strategic_on_hand_kg
        }),
        figure("Holding a kg over the horizon", Unit::MoneyPerKg, |m| {
            m.costs.overage_cost_per_kg
        }),
        figure("A kg short", Unit::MoneyPerKg, |m| {
            m.costs.underage_cost_per_kg
        }),
        figure("Expected from alternative sources", Unit::Kg, |m| {
            m.expected_alternative_kg
        }),
        figure("Alternative sources' extra cost", Unit::Money, |m| {
            m.expected_alternative_extra_cost
        }),
    ]
}

/// Per material: the build-up plan, how fast, how much, at what capital and risk.
fn plan_columns<'a>(rec: &'a Recommendation) -> Vec<Column<'a, MaterialRow<'a>>> {
    vec![
        material_name(),
        material_id(),
        Column::new(
            "Purchase cap",
            Unit::KgPerMonth,
            |(_, _, m): &MaterialRow| Cell::number(m.buildup.max_purchase_kg_per_month),
        ),
        figure("Lead time", Unit::Months, |m| {
            m.buildup.lead_time_months as f64
        }),
        Column::new("Target met", Unit::Month, move |(_, _, m): &MaterialRow| {
            month_or_never(rec, m.buildup.reaches_recommendation_month)
        }),
        figure("Bought by the plan", Unit::Kg, |m| m.buildup.kg_bought),
        figure("Plan cost at expected prices", Unit::Money, |m| {
            m.buildup.cost
        }),
        figure("The same kg at today's price", Unit::Money, |m| {
            m.buildup.cost_at_todays_price
        }),
        figure("Saved by buying now", Unit::Money, |m| {
            m.buildup.value_of_buying_ahead
        }),
        figure("Whole gap at today's price", Unit::Money, |m| {
            m.buildup.gap_cost_at_todays_price
        }),
        figure("Run-out probability following the plan", Unit::Share, |m| {
            m.buildup.run_out_probability_following_plan
        }),
        Column::new(
            "Median run-out following the plan",
            Unit::Month,
            move |(_, _, m): &MaterialRow| {
                month_or_never(rec, m.buildup.run_out_month_median_following_plan)
            },
        ),
    ]
}

/// Per material, the sentences every report states: a sheet of words, so the
/// figures' sheets keep rows one line high.
fn words_columns<'a>(
    project: &'a Project,
    rec: &'a Recommendation,
) -> Vec<Column<'a, MaterialRow<'a>>> {
    vec![
        material_name(),
        Column::text("Recommendation", move |(index, _, _): &MaterialRow| {
            words::recommendation_sentence(project, rec, *index)
        }),
        // Beside the recommendation: an open-ended buffer is no one-off.
        Column::text("Open-ended shortfall", move |(_, _, m): &MaterialRow| {
            words::open_ended_sentences(project, m).join(" ")
        }),
        Column::text("Build-up plan", move |(index, _, _): &MaterialRow| {
            words::buildup_sentences(project, rec, *index).join(" ")
        }),
    ]
}

type MonthRow<'a> = (&'a Material, &'a MaterialRecommendation, usize);

/// The build-up plan month by month: what is ordered, what arrives, the stock on hand.
fn buildup_columns<'a>(rec: &'a Recommendation) -> Vec<Column<'a, MonthRow<'a>>> {
    let kg = |label: &'static str, value: fn(&MaterialRecommendation, usize) -> f64| {
        Column::number(label, Unit::Kg, move |(_, m, t): &MonthRow| value(m, *t))
    };
    vec![
        Column::text("Material id", |(material, _, _): &MonthRow| {
            material.id.clone()
        }),
        Column::text("Material", |(material, _, _): &MonthRow| {
            material.name.clone()
        }),
        Column::new("Month", Unit::Month, move |(_, _, t): &MonthRow| {
            Cell::Month(rec.month(*t))
        }),
        kg("Target", |m, t| m.buildup.target_kg[t]),
        kg("On hand at the month's start", |m, t| m.buildup.stock_kg[t]),
        kg("Ordered", |m, t| m.buildup.order_kg[t]),
        kg("Arriving", |m, t| m.buildup.arrival_kg[t]),
        kg("On hand after arrivals", |m, t| m.buildup.stock_kg[t + 1]),
        Column::number("Price index", Unit::MoneyPerKg, |(_, m, t): &MonthRow| {
            m.monthly.price_index_per_kg[*t]
        }),
        Column::number(
            "Order cost at the expected price",
            Unit::Money,
            |(_, m, t): &MonthRow| m.buildup.order_kg[*t] * m.monthly.price_index_per_kg[*t],
        ),
    ]
}

type ScenarioRow<'a> = (
    &'a Material,
    &'a MaterialRecommendation,
    &'a Scenario,
    &'a ScenarioFigures,
);

/// Per material and scenario: what the scenario alone asks for and what it means.
fn scenario_columns<'a>(rec: &'a Recommendation) -> Vec<Column<'a, ScenarioRow<'a>>> {
    let number = |label: &'static str, unit: Unit, value: fn(&ScenarioFigures) -> f64| {
        Column::number(label, unit, move |(_, _, _, s): &ScenarioRow| value(s))
    };
    let month = |label: &'static str, value: fn(&ScenarioFigures) -> Option<usize>| {
        Column::new(label, Unit::Month, move |(_, _, _, s): &ScenarioRow| {
            month_or_never(rec, value(s))
        })
    };
    vec![
        Column::text("Material id", |(material, ..): &ScenarioRow| {
            material.id.clone()
        }),
        Column::text("Material", |(material, ..): &ScenarioRow| {
            material.name.clone()
        }),
        Column::text("Scenario id", |(_, _, scenario, _): &ScenarioRow| {
            scenario.id.clone()
        }),
        Column::text("Scenario", |(_, _, scenario, _): &ScenarioRow| {
            scenario.name.clone()
        }),
        number("Weight", Unit::Share, |s| s.weight),
        number("Recommended stock", Unit::Kg, |s| s.recommended_stock_kg),
        number("Strategic buffer", Unit::Kg, |s| s.strategic_buffer_kg),
        number("Buffer 95% CI low", Unit::Kg, |s| {
            s.strategic_buffer_ci95_kg[0]
        }),
        number("Buffer 95% CI high", Unit::Kg, |s| {
            s.strategic_buffer_ci95_kg[1]
        }),
        number("Mean buffer", Unit::Kg, |s| s.mean_buffer_kg),
        number("Stockout probability at on hand", Unit::Share, |s| {
            s.stockout_probability_at_on_hand
        }),
        number("Expected shortfall at on hand", Unit::Kg, |s| {
            s.expected_shortfall_kg_at_on_hand
        }),
        month("10% of paths run out by", |s| s.run_out_month_p10),
        month("Median run-out", |s| s.run_out_month_median),
        number("Expected from alternative sources", Unit::Kg, |s| {
            s.expected_alternative_kg
        }),
        number("Alternative sources' extra cost", Unit::Money, |s| {
            s.expected_alternative_extra_cost
        }),
        number("Still short in the last month", Unit::KgPerMonth, |s| {
            s.shortfall_in_last_month_kg
        }),
        number("Run-out probability following the plan", Unit::Share, |s| {
            s.run_out_probability_following_plan
        }),
        month("Median run-out following the plan", |s| {
            s.run_out_month_median_following_plan
        }),
        Column::text(
            "Open-ended shortfall",
            |(_, _, scenario, s): &ScenarioRow| {
                words::open_ended_sentence(&scenario.name, s).unwrap_or_default()
            },
        ),
    ]
}

/// One row per event (or one "No disruption." row); the scenario's own words on
/// its first row.
struct EventRow<'a> {
    scenario: &'a Scenario,
    weight: f64,
    event: Option<&'a Event>,
    first: bool,
}

fn event_rows<'a>(project: &'a Project, rec: &'a Recommendation) -> Vec<EventRow<'a>> {
    project
        .scenarios
        .iter()
        .zip(&rec.scenario_weights)
        .flat_map(|(scenario, &weight)| {
            let events: Vec<Option<&Event>> = if scenario.events.is_empty() {
                vec![None]
            } else {
                scenario.events.iter().map(Some).collect()
            };
            events
                .into_iter()
                .enumerate()
                .map(move |(i, event)| EventRow {
                    scenario,
                    weight,
                    event,
                    first: i == 0,
                })
        })
        .collect()
}

fn event_columns<'a>(project: &'a Project) -> Vec<Column<'a, EventRow<'a>>> {
    let once = |text: &str, r: &EventRow| {
        if r.first {
            text.trim().to_owned()
        } else {
            String::new()
        }
    };
    vec![
        Column::text("Scenario id", |r: &EventRow| r.scenario.id.clone()),
        Column::text("Scenario", |r: &EventRow| r.scenario.name.clone()),
        Column::number("Weight", Unit::Share, |r: &EventRow| r.weight),
        Column::text("Event", move |r: &EventRow| {
            r.event.map_or_else(
                || "No disruption.".to_owned(),
                |e| words::describe_event(project, e),
            )
        }),
        Column::text("Description", move |r: &EventRow| {
            once(&r.scenario.description, r)
        }),
        Column::text("Notes", move |r: &EventRow| once(&r.scenario.notes, r)),
    ]
}

type CostRow<'a> = (&'a Material, CostPoint);

/// The cost curves: the expected cost of holding each strategic stock.
fn cost_columns<'a>() -> Vec<Column<'a, CostRow<'a>>> {
    vec![
        Column::text("Material id", |(material, _): &CostRow| material.id.clone()),
        Column::text("Material", |(material, _): &CostRow| material.name.clone()),
        Column::number("Strategic stock", Unit::Kg, |(_, point): &CostRow| {
            point.strategic_stock_kg
        }),
        Column::number("Expected cost", Unit::Money, |(_, point): &CostRow| {
            point.expected_cost
        }),
    ]
}

fn material_columns<'a>() -> Vec<Column<'a, &'a Material>> {
    vec![
        Column::text("Material id", |m: &&Material| m.id.clone()),
        Column::text("Material", |m: &&Material| m.name.clone()),
        Column::number("Price", Unit::MoneyPerKg, |m: &&Material| m.price_per_kg),
        Column::number("Carrying cost", Unit::SharePerYear, |m: &&Material| {
            m.carrying_cost_per_year
        }),
        Column::number("On hand", Unit::Kg, |m: &&Material| m.on_hand_kg),
        Column::number("Exposed share", Unit::Share, |m: &&Material| {
            m.exposed_share
        }),
        Column::number("Lead time", Unit::Days, |m: &&Material| m.lead_time_days),
        Column::number("Lead time SD", Unit::Days, |m: &&Material| {
            m.lead_time_sd_days
        }),
        Column::new("Purchase cap", Unit::KgPerMonth, |m: &&Material| {
            Cell::number(m.max_purchase_kg_per_month)
        }),
        Column::number("Direct demand", Unit::KgPerMonth, |m: &&Material| {
            m.direct_kg_per_month
        }),
        Column::number("Alternative sources", Unit::Count, |m: &&Material| {
            m.alternatives.len() as f64
        }),
        Column::text("Notes and sources", |m: &&Material| {
            m.notes.trim().to_owned()
        }),
    ]
}

type AlternativeRow<'a> = (&'a Material, &'a Alternative);

fn alternative_columns<'a>() -> Vec<Column<'a, AlternativeRow<'a>>> {
    vec![
        Column::text("Material id", |(m, _): &AlternativeRow| m.id.clone()),
        Column::text("Material", |(m, _): &AlternativeRow| m.name.clone()),
        Column::text("Alternative source", |(_, a): &AlternativeRow| {
            a.name.clone()
        }),
        Column::number("Capacity", Unit::KgPerMonth, |(_, a): &AlternativeRow| {
            a.capacity_kg_per_month
        }),
        Column::number("Qualification", Unit::Months, |(_, a): &AlternativeRow| {
            a.qualification_months
        }),
        Column::text("Qualification starts", |(_, a): &AlternativeRow| {
            a.qualification_starts.label().to_owned()
        }),
        Column::number("Price premium", Unit::Share, |(_, a): &AlternativeRow| {
            a.price_premium
        }),
    ]
}

/// The products, with one column per material for its bill of materials.
fn product_columns<'a>(project: &'a Project) -> Vec<Column<'a, &'a Product>> {
    let mut columns = vec![
        Column::text("Product id", |p: &&Product| p.id.clone()),
        Column::text("Product", |p: &&Product| p.name.clone()),
        Column::number("Volume", Unit::UnitsPerMonth, |p: &&Product| {
            p.units_per_month
        }),
        Column::number("Growth", Unit::SharePerYear, |p: &&Product| {
            p.growth_per_year
        }),
        Column::number("Demand CV", Unit::Share, |p: &&Product| p.demand_cv),
        Column::text("End use", |p: &&Product| p.end_use.label().to_owned()),
        Column::number("Margin", Unit::MoneyPerItem, |p: &&Product| {
            p.margin_per_unit
        }),
    ];
    columns.extend(project.materials.iter().map(|material| {
        Column::new(
            material.name.clone(),
            Unit::KgPerItem,
            move |p: &&Product| Cell::number(p.bill_of_materials.kg_per_unit(&material.id)),
        )
    }));
    columns.push(Column::text("Notes", |p: &&Product| {
        p.notes.trim().to_owned()
    }));
    columns
}

type Setting = (&'static str, Cell);

/// The run's settings, each value a number, a date or words as it is.
fn run_rows(project: &Project, rec: &Recommendation, date: &str) -> Vec<Setting> {
    let count = |n: f64| Cell::Quantity(n, Unit::Count);
    // A seed above 2^53 has no exact spreadsheet number: it stays text, digit for digit.
    let seed = if rec.seed <= 1 << 53 {
        count(rec.seed as f64)
    } else {
        Cell::text(rec.seed.to_string())
    };
    let service_level = match rec.service_level {
        ServiceLevel::Fixed(level) => Cell::Quantity(level, Unit::Share),
        ServiceLevel::Auto => Cell::text(words::service_level(rec)),
    };
    vec![
        ("Project", Cell::text(project.name.clone())),
        ("First month", Cell::Month(rec.start)),
        (
            "Last month",
            Cell::Month(rec.month(rec.horizon_months.saturating_sub(1))),
        ),
        ("Horizon (months)", count(rec.horizon_months as f64)),
        ("Paths", count(rec.paths as f64)),
        ("Seed", seed),
        ("Service level", service_level),
        (
            "Rebuild after disruption",
            Cell::text(words::rebuild_after_disruption(project)),
        ),
        ("Currency", Cell::text(project.currency.clone())),
        ("Written", Cell::text(date)),
        (
            "Program",
            Cell::text(format!("{} {}", words::APP, env!("CARGO_PKG_VERSION"))),
        ),
        ("About this project", Cell::text(project.description.trim())),
    ]
}

fn run_columns<'a>() -> Vec<Column<'a, Setting>> {
    vec![
        Column::text("Setting", |(label, _): &Setting| (*label).to_owned()),
        Column::new("Value", Unit::Text, |(_, value): &Setting| value.clone()),
    ]
}

fn method_columns<'a>() -> Vec<Column<'a, String>> {
    vec![Column::text("Method in brief", String::clone)]
}

fn build(
    project: &Project,
    rec: &Recommendation,
    summary: &ExecutiveSummary,
) -> Result<Vec<u8>, XlsxError> {
    let date = words::today();
    let mut book = Book::new(project, rec, &date);
    book.summary(project, rec, summary, &date)?;
    let materials: Vec<MaterialRow> = project
        .materials
        .iter()
        .zip(&rec.materials)
        .enumerate()
        .map(|(index, (material, m))| (index, material, m))
        .collect();

    book.table(
        "Recommendation",
        &recommendation_columns(project),
        &materials,
        1,
    )?;
    book.table("In words", &words_columns(project, rec), &materials, 1)?;
    book.table("Build-up plan", &plan_columns(rec), &materials, 1)?;

    let months: Vec<MonthRow> = materials
        .iter()
        .flat_map(|&(_, material, m)| (0..rec.horizon_months).map(move |t| (material, m, t)))
        .collect();
    book.table("Build-up by month", &buildup_columns(rec), &months, 3)?;

    let targets: Vec<Column<_>> = sheet::target_columns()
        .into_iter()
        .map(|(_, column)| column)
        .collect();
    book.table(
        "Targets by month",
        &targets,
        &sheet::target_rows(project, rec),
        3,
    )?;

    let scenarios: Vec<ScenarioRow> = materials
        .iter()
        .flat_map(|&(_, material, m)| {
            project
                .scenarios
                .iter()
                .zip(&m.by_scenario)
                .map(move |(scenario, s)| (material, m, scenario, s))
        })
        .collect();
    book.table("Scenarios", &scenario_columns(rec), &scenarios, 4)?;
    book.table(
        "Events",
        &event_columns(project),
        &event_rows(project, rec),
        2,
    )?;

    let costs: Vec<CostRow> = materials
        .iter()
        .flat_map(|&(_, material, m)| m.cost_curve.iter().map(move |&point| (material, point)))
        .collect();
    book.table("Cost curve", &cost_columns(), &costs, 2)?;

    let inputs: Vec<&Material> = project.materials.iter().collect();
    book.table("Materials", &material_columns(), &inputs, 2)?;
    let alternatives: Vec<AlternativeRow> = project
        .materials
        .iter()
        .flat_map(|m| m.alternatives.iter().map(move |a| (m, a)))
        .collect();
    book.table("Alternatives", &alternative_columns(), &alternatives, 2)?;
    let products: Vec<&Product> = project.products.iter().collect();
    book.table("Products", &product_columns(project), &products, 2)?;
    book.table("Run", &run_columns(), &run_rows(project, rec, &date), 1)?;
    book.table("Method", &method_columns(), &words::methodology(rec), 0)?;

    book.workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_text_counts_its_lines_word_by_word() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("one two", 7), 1);
        assert_eq!(wrapped_lines("one two", 6), 2);
        assert_eq!(wrapped_lines("a longwordthatdoesnotfit b", 5), 3);
        assert_eq!(header_width("Recommended stock (kg)"), 13);
        assert_eq!(header_footer_text("R&D plant", 100), "R&&D plant");
    }
}
