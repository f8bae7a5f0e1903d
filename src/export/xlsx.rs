//! XLSX: sheets Summary, Targets by month, Scenarios, Inputs. Numbers are numbers
//! (formatted, never text), units are in the headers, header rows are frozen.

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::ExportError;
use super::text as words;
use crate::engine::Recommendation;
use crate::project::Project;

struct Formats {
    header: Format,
    title: Format,
    kg: Format,
    money: Format,
    share: Format,
    price: Format,
    days: Format,
    wrap: Format,
    warning: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xE8EEF4))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            kg: Format::new().set_num_format("#,##0"),
            money: Format::new().set_num_format("#,##0"),
            share: Format::new().set_num_format("0.0%"),
            price: Format::new().set_num_format("#,##0.00"),
            days: Format::new().set_num_format("#,##0"),
            wrap: Format::new().set_text_wrap(),
            warning: Format::new()
                .set_text_wrap()
                .set_font_color(Color::RGB(0xB04200)),
        }
    }
}

fn err(e: XlsxError) -> ExportError {
    ExportError::render("workbook", e)
}

fn headers(sheet: &mut Worksheet, row: u32, names: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *name, &f.header)?;
    }
    sheet.set_row_height(row, 32)?;
    Ok(())
}

fn opt(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(v) if v.is_finite() => sheet.write_number_with_format(row, col, v, format)?,
        _ => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

pub fn render(project: &Project, rec: &Recommendation) -> Result<Vec<u8>, ExportError> {
    build(project, rec).map_err(err)
}

fn build(project: &Project, rec: &Recommendation) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let currency = project.currency.as_str();
    let mut workbook = Workbook::new();
    let date = words::today();

    // Summary.
    let sheet = workbook.add_worksheet();
    sheet.set_name("Summary")?;
    sheet.write_string_with_format(
        0,
        0,
        format!("{}: stockpile recommendation", project.name),
        &f.title,
    )?;
    sheet.write_string(1, 0, words::provenance(project, rec, &date))?;
    let money_h = |what: &str| format!("{what} ({currency})");
    let names = [
        "Material".to_owned(),
        "Material id".to_owned(),
        "Recommended stock (kg)".to_owned(),
        "Days of cover (days)".to_owned(),
        "Share of annual consumption (%)".to_owned(),
        "Safety stock (kg)".to_owned(),
        "Strategic buffer (kg)".to_owned(),
        "Buffer 95% CI low (kg)".to_owned(),
        "Buffer 95% CI high (kg)".to_owned(),
        "On hand (kg)".to_owned(),
        "Gap to buy (kg)".to_owned(),
        "Stockout probability at on hand (%)".to_owned(),
        "Expected shortfall at on hand (kg)".to_owned(),
        money_h("Holding cost per year"),
        "Service level (%)".to_owned(),
        "Demand per month (kg)".to_owned(),
        "Cost-optimal strategic stock (kg)".to_owned(),
        "Target met (month)".to_owned(),
        money_h("Build-up cost"),
        "Driving scenario".to_owned(),
        "Build-up lead time (months)".to_owned(),
        "Bought by the plan (kg)".to_owned(),
        money_h("Whole gap at today's price"),
        money_h("Saved by buying now"),
        "Run-out probability following the plan (%)".to_owned(),
        "Median run-out following the plan (month)".to_owned(),
        "Recommendation".to_owned(),
        "Open-ended shortfall".to_owned(),
        "Build-up plan".to_owned(),
    ];
    let header_row = 3;
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    headers(sheet, header_row, &refs, &f)?;
    for (i, (material, m)) in project.materials.iter().zip(&rec.materials).enumerate() {
        let r = header_row + 1 + i as u32;
        sheet.write_string(r, 0, &material.name)?;
        sheet.write_string(r, 1, &material.id)?;
        sheet.write_number_with_format(r, 2, m.recommended_stock_kg, &f.kg)?;
        opt(sheet, r, 3, m.days_of_cover, &f.days)?;
        opt(sheet, r, 4, m.share_of_annual_consumption, &f.share)?;
        sheet.write_number_with_format(r, 5, m.safety_stock_kg, &f.kg)?;
        sheet.write_number_with_format(r, 6, m.strategic_buffer_kg, &f.kg)?;
        sheet.write_number_with_format(r, 7, m.strategic_buffer_ci95_kg[0], &f.kg)?;
        sheet.write_number_with_format(r, 8, m.strategic_buffer_ci95_kg[1], &f.kg)?;
        sheet.write_number_with_format(r, 9, m.on_hand_kg, &f.kg)?;
        sheet.write_number_with_format(r, 10, m.gap_kg, &f.kg)?;
        sheet.write_number_with_format(r, 11, m.stockout_probability_at_on_hand, &f.share)?;
        sheet.write_number_with_format(r, 12, m.expected_shortfall_kg_at_on_hand, &f.kg)?;
        sheet.write_number_with_format(r, 13, m.holding_cost_per_year, &f.money)?;
        sheet.write_number_with_format(r, 14, m.service_level, &f.share)?;
        sheet.write_number_with_format(r, 15, m.mean_monthly_demand_kg, &f.kg)?;
        sheet.write_number_with_format(r, 16, m.cost_optimal_strategic_stock_kg, &f.kg)?;
        sheet.write_string(
            r,
            17,
            crate::units::month_or_never(rec.start, m.buildup.reaches_recommendation_month),
        )?;
        sheet.write_number_with_format(r, 18, m.buildup.cost, &f.money)?;
        sheet.write_string(r, 19, words::driving_scenario(project, m))?;
        let plan = &m.buildup;
        sheet.write_number(r, 20, plan.lead_time_months as f64)?;
        sheet.write_number_with_format(r, 21, plan.kg_bought, &f.kg)?;
        sheet.write_number_with_format(r, 22, plan.gap_cost_at_todays_price, &f.money)?;
        sheet.write_number_with_format(r, 23, plan.value_of_buying_ahead, &f.money)?;
        sheet.write_number_with_format(r, 24, plan.run_out_probability_following_plan, &f.share)?;
        sheet.write_string(
            r,
            25,
            crate::units::month_or_never(rec.start, plan.run_out_month_median_following_plan),
        )?;
        sheet.write_string_with_format(
            r,
            26,
            words::recommendation_sentence(project, rec, i),
            &f.wrap,
        )?;
        // Beside the recommendation: an open-ended buffer is no one-off.
        sheet.write_string_with_format(
            r,
            27,
            words::open_ended_sentences(project, m).join(" "),
            &f.warning,
        )?;
        sheet.write_string_with_format(
            r,
            28,
            words::buildup_sentences(project, rec, i).join(" "),
            &f.wrap,
        )?;
    }
    sheet.set_column_width(0, 26)?;
    sheet.set_column_width(1, 14)?;
    for col in 2..26 {
        sheet.set_column_width(col, 14)?;
    }
    for col in 26..29 {
        sheet.set_column_width(col, 80)?;
    }
    sheet.set_freeze_panes(header_row + 1, 1)?;

    // Targets by month: long format, one row per material, scenario (or blended) and month.
    let sheet = workbook.add_worksheet();
    sheet.set_name("Targets by month")?;
    let names = [
        "Material id",
        "Scenario id",
        "Month",
        "Recommended stock (kg)",
        "Strategic buffer (kg)",
        "Safety stock (kg)",
        "Buffer 95% CI low (kg)",
        "Buffer 95% CI high (kg)",
        "Buffer p5 (kg)",
        "Buffer p25 (kg)",
        "Buffer p50 (kg)",
        "Buffer p75 (kg)",
        "Buffer p95 (kg)",
    ];
    let mut names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    names.push(format!("Price index ({currency}/kg)"));
    names.push("Build-up stock (kg)".to_owned());
    names.push("Build-up orders placed (kg)".to_owned());
    names.push("Build-up arrivals (kg)".to_owned());
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    headers(sheet, 0, &refs, &f)?;
    let mut r = 1u32;
    for (material, m) in project.materials.iter().zip(&rec.materials) {
        let ss = m.safety_stock_kg;
        for t in 0..rec.horizon_months {
            sheet.write_string(r, 0, &material.id)?;
            sheet.write_string(r, 1, "blended")?;
            sheet.write_string(r, 2, rec.month(t).to_string())?;
            sheet.write_number_with_format(r, 3, m.monthly.recommended_stock_kg[t], &f.kg)?;
            sheet.write_number_with_format(r, 4, m.monthly.strategic_buffer_kg[t], &f.kg)?;
            sheet.write_number_with_format(r, 5, ss, &f.kg)?;
            sheet.write_number_with_format(r, 6, m.monthly.ci95_low_kg[t], &f.kg)?;
            sheet.write_number_with_format(r, 7, m.monthly.ci95_high_kg[t], &f.kg)?;
            for (i, v) in m.monthly.fan_kg[t].iter().enumerate() {
                sheet.write_number_with_format(r, 8 + i as u16, *v, &f.kg)?;
            }
            sheet.write_number_with_format(r, 13, m.monthly.price_index_per_kg[t], &f.price)?;
            sheet.write_number_with_format(r, 14, m.buildup.stock_kg[t], &f.kg)?;
            sheet.write_number_with_format(r, 15, m.buildup.order_kg[t], &f.kg)?;
            sheet.write_number_with_format(r, 16, m.buildup.arrival_kg[t], &f.kg)?;
            r += 1;
        }
        for (scenario, s) in project.scenarios.iter().zip(&m.by_scenario) {
            for t in 0..rec.horizon_months {
                sheet.write_string(r, 0, &material.id)?;
                sheet.write_string(r, 1, &scenario.id)?;
                sheet.write_string(r, 2, rec.month(t).to_string())?;
                sheet.write_number_with_format(r, 3, ss + s.buffer_by_month_kg[t], &f.kg)?;
                sheet.write_number_with_format(r, 4, s.buffer_by_month_kg[t], &f.kg)?;
                sheet.write_number_with_format(r, 5, ss, &f.kg)?;
                sheet.write_number_with_format(r, 13, s.price_index_per_kg[t], &f.price)?;
                r += 1;
            }
        }
    }
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 14)?;
    for col in 3..17 {
        sheet.set_column_width(col, 13)?;
    }
    sheet.set_freeze_panes(1, 3)?;
    sheet.autofilter(0, 0, r.saturating_sub(1).max(1), 16)?;

    // Scenarios: per material and scenario, then the assumptions.
    let sheet = workbook.add_worksheet();
    sheet.set_name("Scenarios")?;
    let names = [
        "Material id",
        "Material",
        "Scenario id",
        "Scenario",
        "Weight (%)",
        "Recommended stock (kg)",
        "Strategic buffer (kg)",
        "Buffer 95% CI low (kg)",
        "Buffer 95% CI high (kg)",
        "Mean buffer (kg)",
        "Stockout probability at on hand (%)",
        "Expected shortfall at on hand (kg)",
        "10% of paths run out by (month)",
        "Median run-out (month)",
        "Alternative supply (kg)",
    ];
    let mut names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    names.push(format!("Alternative extra cost ({currency})"));
    names.extend(
        [
            "Still short in the last month (kg / month)",
            "Run-out probability following the plan (%)",
            "Median run-out following the plan (month)",
            "Open-ended shortfall",
        ]
        .map(str::to_owned),
    );
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    headers(sheet, 0, &refs, &f)?;
    let mut r = 1u32;
    for (material, m) in project.materials.iter().zip(&rec.materials) {
        for (scenario, s) in project.scenarios.iter().zip(&m.by_scenario) {
            sheet.write_string(r, 0, &material.id)?;
            sheet.write_string(r, 1, &material.name)?;
            sheet.write_string(r, 2, &scenario.id)?;
            sheet.write_string(r, 3, &scenario.name)?;
            sheet.write_number_with_format(r, 4, s.weight, &f.share)?;
            sheet.write_number_with_format(r, 5, s.recommended_stock_kg, &f.kg)?;
            sheet.write_number_with_format(r, 6, s.strategic_buffer_kg, &f.kg)?;
            sheet.write_number_with_format(r, 7, s.strategic_buffer_ci95_kg[0], &f.kg)?;
            sheet.write_number_with_format(r, 8, s.strategic_buffer_ci95_kg[1], &f.kg)?;
            sheet.write_number_with_format(r, 9, s.mean_buffer_kg, &f.kg)?;
            sheet.write_number_with_format(r, 10, s.stockout_probability_at_on_hand, &f.share)?;
            sheet.write_number_with_format(r, 11, s.expected_shortfall_kg_at_on_hand, &f.kg)?;
            sheet.write_string(
                r,
                12,
                crate::units::month_or_never(rec.start, s.run_out_month_p10),
            )?;
            sheet.write_string(
                r,
                13,
                crate::units::month_or_never(rec.start, s.run_out_month_median),
            )?;
            sheet.write_number_with_format(r, 14, s.expected_alternative_kg, &f.kg)?;
            sheet.write_number_with_format(r, 15, s.expected_alternative_extra_cost, &f.money)?;
            sheet.write_number_with_format(r, 16, s.shortfall_in_last_month_kg, &f.kg)?;
            sheet.write_number_with_format(
                r,
                17,
                s.run_out_probability_following_plan,
                &f.share,
            )?;
            sheet.write_string(
                r,
                18,
                crate::units::month_or_never(rec.start, s.run_out_month_median_following_plan),
            )?;
            if let Some(sentence) = words::open_ended_sentence(&scenario.name, s) {
                sheet.write_string_with_format(r, 19, sentence, &f.warning)?;
            }
            r += 1;
        }
    }
    r += 1;
    sheet.write_string_with_format(r, 0, "Scenario assumptions", &f.title)?;
    r += 1;
    headers(
        sheet,
        r,
        &[
            "Scenario id",
            "Scenario",
            "Weight (%)",
            "Event",
            "Description",
            "Notes",
        ],
        &f,
    )?;
    r += 1;
    for (s, scenario) in project.scenarios.iter().enumerate() {
        let weight = rec.scenario_weights.get(s).copied().unwrap_or(0.0);
        let events: Vec<String> = if scenario.events.is_empty() {
            vec!["No disruption.".to_owned()]
        } else {
            scenario
                .events
                .iter()
                .map(|e| words::describe_event(project, e))
                .collect()
        };
        for (i, event) in events.into_iter().enumerate() {
            sheet.write_string(r, 0, &scenario.id)?;
            sheet.write_string(r, 1, &scenario.name)?;
            sheet.write_number_with_format(r, 2, weight, &f.share)?;
            sheet.write_string_with_format(r, 3, event, &f.wrap)?;
            // The scenario's own words once, on its first event's row.
            if i == 0 {
                sheet.write_string_with_format(r, 4, scenario.description.trim(), &f.wrap)?;
                sheet.write_string_with_format(r, 5, scenario.notes.trim(), &f.wrap)?;
            }
            r += 1;
        }
    }
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(2, 16)?;
    sheet.set_column_width(3, 60)?;
    for col in 4..19 {
        sheet.set_column_width(col, 14)?;
    }
    sheet.set_column_width(19, 80)?;
    sheet.set_freeze_panes(1, 0)?;

    // Inputs.
    let sheet = workbook.add_worksheet();
    sheet.set_name("Inputs")?;
    let names = vec![
        "Material id".to_owned(),
        "Material".to_owned(),
        format!("Price ({currency}/kg)"),
        "Carrying cost (% / year)".to_owned(),
        "On hand (kg)".to_owned(),
        "Exposed share (%)".to_owned(),
        "Lead time (days)".to_owned(),
        "Lead time SD (days)".to_owned(),
        "Purchase cap (kg / month)".to_owned(),
        "Direct demand (kg / month)".to_owned(),
        "Alternatives".to_owned(),
        "Notes and sources".to_owned(),
    ];
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    headers(sheet, 0, &refs, &f)?;
    let mut r = 1u32;
    for m in &project.materials {
        sheet.write_string(r, 0, &m.id)?;
        sheet.write_string(r, 1, &m.name)?;
        sheet.write_number_with_format(r, 2, m.price_per_kg, &f.price)?;
        sheet.write_number_with_format(r, 3, m.carrying_cost_per_year, &f.share)?;
        sheet.write_number_with_format(r, 4, m.on_hand_kg, &f.kg)?;
        sheet.write_number_with_format(r, 5, m.exposed_share, &f.share)?;
        sheet.write_number_with_format(r, 6, m.lead_time_days, &f.days)?;
        sheet.write_number_with_format(r, 7, m.lead_time_sd_days, &f.days)?;
        opt(sheet, r, 8, m.max_purchase_kg_per_month, &f.kg)?;
        sheet.write_number_with_format(r, 9, m.direct_kg_per_month, &f.kg)?;
        let alternatives = m
            .alternatives
            .iter()
            .map(words::describe_alternative)
            .collect::<Vec<_>>()
            .join(" ");
        sheet.write_string_with_format(r, 10, alternatives, &f.wrap)?;
        sheet.write_string_with_format(r, 11, m.notes.trim(), &f.wrap)?;
        r += 1;
    }
    r += 1;
    sheet.write_string_with_format(r, 0, "Products", &f.title)?;
    r += 1;
    let mut names = vec![
        "Product id".to_owned(),
        "Product".to_owned(),
        "Units / month".to_owned(),
        "Growth (% / year)".to_owned(),
        "Demand CV (%)".to_owned(),
        "End use".to_owned(),
        format!("Margin ({currency}/unit)"),
    ];
    names.extend(
        project
            .materials
            .iter()
            .map(|m| format!("{} (kg/unit)", m.id)),
    );
    let notes_col = names.len() as u16;
    names.push("Notes".to_owned());
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    headers(sheet, r, &refs, &f)?;
    r += 1;
    for p in &project.products {
        sheet.write_string(r, 0, &p.id)?;
        sheet.write_string(r, 1, &p.name)?;
        sheet.write_number_with_format(r, 2, p.units_per_month, &f.kg)?;
        sheet.write_number_with_format(r, 3, p.growth_per_year, &f.share)?;
        sheet.write_number_with_format(r, 4, p.demand_cv, &f.share)?;
        sheet.write_string(r, 5, p.end_use.label())?;
        sheet.write_number_with_format(r, 6, p.margin_per_unit, &f.price)?;
        for (i, m) in project.materials.iter().enumerate() {
            if let Some(kg) = p.bill_of_materials.kg_per_unit(&m.id) {
                sheet.write_number(r, 7 + i as u16, kg)?;
            }
        }
        sheet.write_string_with_format(r, notes_col, p.notes.trim(), &f.wrap)?;
        r += 1;
    }
    r += 1;
    sheet.write_string_with_format(r, 0, "Run", &f.title)?;
    r += 1;
    let run: Vec<(&str, String)> = vec![
        ("Project", project.name.clone()),
        ("Start", rec.start.to_string()),
        ("Horizon (months)", rec.horizon_months.to_string()),
        ("Paths", rec.paths.to_string()),
        ("Seed", rec.seed.to_string()),
        ("Service level", words::service_level(rec)),
        (
            "Rebuild after disruption",
            words::rebuild_after_disruption(project).to_owned(),
        ),
        ("Currency", project.currency.clone()),
        ("Written", date.clone()),
    ];
    for (label, value) in run {
        sheet.write_string_with_format(r, 0, label, &f.header)?;
        sheet.write_string(r, 1, value)?;
        r += 1;
    }
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 26)?;
    for col in 2..10 {
        sheet.set_column_width(col, 13)?;
    }
    sheet.set_column_width(10, 50)?;
    sheet.set_column_width(11, 90)?;
    sheet.set_freeze_panes(1, 0)?;

    workbook.save_to_buffer()
}
