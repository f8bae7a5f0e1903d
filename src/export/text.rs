//! Wording shared by every report: the recommendation as a sentence, labels, the
//! provenance line, event descriptions. One place so the formats agree.

use crate::engine::qualify::QualifyComparison;
use crate::engine::saved::SavedDifference;
use crate::engine::sensitivity::Sensitivity;
use crate::engine::{MaterialRecommendation, Recommendation, ScenarioFigures};
use crate::project::{
    Alternative, Dist, EndUses, Event, MaterialSet, Project, QualificationStart, SavedResults,
    ServiceLevel, StartMonth,
};
use crate::units;
use crate::vocabulary::labels;

pub const APP: &str = "Stockpile Planner";

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    crate::engine::saved::today()
}

/// The run's service level, for footers and headings.
pub fn service_level(rec: &Recommendation) -> String {
    match rec.service_level {
        ServiceLevel::Fixed(level) => format!("service level {}", level_percent(level)),
        ServiceLevel::Auto => "cost-optimal service level per material".to_owned(),
    }
}

/// The service level a material's figures were computed at, as shown beside them:
/// "service level 95%", or with Auto the material's own cost-optimal level.
pub fn material_service_level(rec: &Recommendation, m: &MaterialRecommendation) -> String {
    let level = level_percent(m.service_level);
    match rec.service_level {
        ServiceLevel::Fixed(_) => format!("service level {level}"),
        ServiceLevel::Auto => {
            format!("service level {level} (Auto: cost-optimal for this material)")
        }
    }
}

/// `0.95` -> `95%`, `0.975` -> `97.5%`.
pub fn level_percent(level: f64) -> String {
    let pct = level * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}%")
    } else {
        format!("{pct:.1}%")
    }
}

/// The line that lets a chart or report be traced to its run.
pub fn provenance(project: &Project, rec: &Recommendation, date: &str) -> String {
    format!(
        "{} · {} · {} · {} paths · seed {} · {} to {}",
        project.name,
        date,
        service_level(rec),
        units::thousands(rec.paths as f64, 0),
        rec.seed,
        rec.start,
        rec.month(rec.horizon_months.saturating_sub(1)),
    )
}

/// A probability as a readable share.
pub fn probability(p: f64) -> String {
    if p > 0.0 && p < 0.005 {
        "<1%".to_owned()
    } else if p < 1.0 && p > 0.995 {
        ">99%".to_owned()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// The recommendation as the sentence every report states, e.g. "Hold 13.3 t of NdPr oxide
/// (188 days, 52% of a year's consumption): ...".
pub fn recommendation_sentence(project: &Project, rec: &Recommendation, index: usize) -> String {
    let (Some(material), Some(m)) = (project.materials.get(index), rec.materials.get(index)) else {
        return String::new();
    };
    let currency = &project.currency;
    let cover = match (m.days_of_cover, m.share_of_annual_consumption) {
        (Some(days), Some(share)) => format!(
            "{} days, {} of a year's consumption",
            units::thousands(days, 0),
            units::percent(share)
        ),
        _ => "no consumption at the start of the plan".to_owned(),
    };
    // An open-ended buffer is what this horizon needs, not a one-off that settles it.
    let open_ended = if m.open_ended {
        format!(
            " for this {}-month plan only (it grows with the horizon)",
            rec.horizon_months
        )
    } else {
        String::new()
    };
    let mut text = format!(
        "Hold {} of {} ({cover}): {} of strategic buffer (95% CI {} to {}){open_ended} plus {} of safety stock, at the {} service level.",
        units::mass(m.recommended_stock_kg),
        material.name,
        units::mass(m.strategic_buffer_kg),
        units::mass(m.strategic_buffer_ci95_kg[0]),
        units::mass(m.strategic_buffer_ci95_kg[1]),
        units::mass(m.safety_stock_kg),
        level_percent(m.service_level),
    );
    if m.gap_kg > 0.0 {
        text.push_str(&format!(
            " {} is on hand, so buy {} more; ",
            units::mass(m.on_hand_kg),
            units::mass(m.gap_kg)
        ));
    } else {
        text.push_str(&format!(
            " The {} on hand covers it; ",
            units::mass(m.on_hand_kg)
        ));
    }
    text.push_str(&format!(
        "holding the target costs {} a year.",
        units::money(m.holding_cost_per_year, currency)
    ));
    text.push_str(&format!(
        " With today's stock the chance of running short is {} (expected shortfall {}).",
        probability(m.stockout_probability_at_on_hand),
        units::mass(m.expected_shortfall_kg_at_on_hand)
    ));
    text
}

/// What drives a material's buffer and when today's stock runs dry, in the driving
/// scenario and in the others: "The “Embargo” scenario drives it; at today's 2.0 t
/// you run dry by 2027-03 if it happens (10% of paths: 2027-01). Running dry in the
/// others: “Truce lapses” never."
pub fn run_out_sentence(
    project: &Project,
    rec: &Recommendation,
    m: &MaterialRecommendation,
) -> String {
    let Some(driver) = m.driving_scenario else {
        return "No scenario cuts its supply, so it needs no strategic stock.".to_owned();
    };
    let name_of = |s: usize| {
        project.scenarios.get(s).map_or_else(
            || format!("scenario {}", s + 1),
            |sc| format!("\u{201c}{}\u{201d}", sc.name),
        )
    };
    let month = |t: Option<usize>| units::month_or_never(rec.start, t);
    let subject = driving_phrase(project, m).unwrap_or_else(|| name_of(driver));
    let mut text = capitalized(&subject) + " drives it";
    match m.by_scenario.get(driver) {
        Some(figures) => {
            let at = format!("at today's {}", units::mass(m.on_hand_kg));
            text.push_str(
                &match (figures.run_out_month_median, figures.run_out_month_p10) {
                    (Some(_), _) => format!(
                        "; {at} you run dry by {} if it happens (10% of paths: {}).",
                        month(figures.run_out_month_median),
                        month(figures.run_out_month_p10)
                    ),
                    (None, Some(_)) => format!(
                        "; {at} most paths never run dry if it happens, but 10% do by {}.",
                        month(figures.run_out_month_p10)
                    ),
                    (None, None) => {
                        format!("; {at} you do not run dry within the horizon even if it happens.")
                    }
                },
            );
        }
        None => text.push('.'),
    }
    let others: Vec<String> = m
        .by_scenario
        .iter()
        .enumerate()
        .filter(|(s, _)| *s != driver)
        .map(
            |(s, f)| match (f.run_out_month_median, f.run_out_month_p10) {
                (Some(_), _) => format!(
                    "{} by {} (10%: {})",
                    name_of(s),
                    month(f.run_out_month_median),
                    month(f.run_out_month_p10)
                ),
                (None, Some(_)) => format!(
                    "{} mostly never (10%: {})",
                    name_of(s),
                    month(f.run_out_month_p10)
                ),
                (None, None) => format!("{} never", name_of(s)),
            },
        )
        .collect();
    if !others.is_empty() {
        text.push_str(&format!(
            " Running dry in the others: {}.",
            others.join("; ")
        ));
    }
    text
}

/// `text` with its first letter a capital ("the “Embargo” scenario" starts a sentence).
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// One figure as a table row that explains itself: its name, its value, and the
/// formula in words with its inputs (the app shows it on hover).
#[derive(Clone, Debug, PartialEq)]
pub struct ExplainedFigure {
    pub name: &'static str,
    pub value: String,
    pub explain: String,
}

/// The figures of one material, each with its formula and inputs. Over 100 lines on
/// purpose: one entry per figure, in the order the app and the reports list them.
pub fn explained_figures(
    project: &Project,
    index: usize,
    m: &MaterialRecommendation,
) -> Vec<ExplainedFigure> {
    use units::{days, mass, money, percent};
    let currency = &project.currency;
    let material = project.materials.get(index);
    let price = material.map_or(0.0, |mat| mat.price_per_kg);
    let carrying = material.map_or(0.0, |mat| mat.carrying_cost_per_year);
    let lead = material.map_or(0.0, |mat| mat.lead_time_days);
    let lead_sd = material.map_or(0.0, |mat| mat.lead_time_sd_days);
    let units_not_built: Vec<String> = m
        .units_not_built
        .iter()
        .map(|u| {
            let name = project
                .products
                .get(u.product)
                .map_or("?", |p| p.name.as_str());
            format!("{name}: {} units", units::thousands(u.units, 0))
        })
        .collect();
    // The open-ended sentences as a paragraph of the hover ("" when none).
    let open_ended = if m.open_ended {
        format!(
            "\n\nOpen-ended, not a one-off:\n{}",
            open_ended_sentences(project, m).join("\n")
        )
    } else {
        String::new()
    };
    vec![
        ExplainedFigure {
            name: "Recommended stock",
            value: mass(m.recommended_stock_kg),
            explain: format!(
                "Safety stock + strategic buffer = {} + {} = {}.{open_ended}",
                mass(m.safety_stock_kg),
                mass(m.strategic_buffer_kg),
                mass(m.recommended_stock_kg)
            ),
        },
        ExplainedFigure {
            name: "Days of cover",
            value: days(m.days_of_cover),
            explain: format!(
                "Recommended stock ÷ daily demand = {} ÷ ({} per month ÷ 30.4375 days). {} of a year's consumption.",
                mass(m.recommended_stock_kg),
                mass(m.mean_monthly_demand_kg),
                m.share_of_annual_consumption.map_or_else(|| "—".to_owned(), percent)
            ),
        },
        ExplainedFigure {
            name: "Safety stock (operational)",
            value: mass(m.safety_stock_kg),
            explain: format!(
                "z × sqrt(L × sdD^2 + D^2 × sdL^2): z = {:.3} (service level {}), lead time L = {lead} days, spread sdL = {lead_sd} days (both ÷ 30 for months), monthly demand D = {}, its standard deviation sdD = {}. Covers ordinary demand and lead-time swings, not disruptions.",
                m.z_score,
                percent(m.service_level),
                mass(m.mean_monthly_demand_kg),
                mass(m.demand_sd_kg)
            ),
        },
        ExplainedFigure {
            name: "Strategic buffer",
            value: format!(
                "{} ({} – {})",
                mass(m.strategic_buffer_kg),
                mass(m.strategic_buffer_ci95_kg[0]),
                mass(m.strategic_buffer_ci95_kg[1])
            ),
            explain: format!(
                "The {} quantile, over all simulated paths of every scenario weighted by its probability, of the stock needed at the start to never run out of the exposed supply lost to disruptions until the horizon. In brackets the 95% interval from sampling (wider with fewer paths).{open_ended}",
                percent(m.service_level)
            ),
        },
        ExplainedFigure {
            name: "Gap to buy",
            value: mass(m.gap_kg),
            explain: format!(
                "max(0, recommended stock - on hand) = max(0, {} - {}).",
                mass(m.recommended_stock_kg),
                mass(m.on_hand_kg)
            ),
        },
        ExplainedFigure {
            name: labels::STOCKOUT_AT_ON_HAND,
            value: percent(m.stockout_probability_at_on_hand),
            explain: format!(
                "Share of paths (weighted by scenario probability) whose disruption needs more than the strategic part of today's stock: on hand {} - safety stock {} = {}.",
                mass(m.on_hand_kg),
                mass(m.safety_stock_kg),
                mass(m.strategic_on_hand_kg)
            ),
        },
        ExplainedFigure {
            name: labels::EXPECTED_SHORTFALL_AT_ON_HAND,
            value: mass(m.expected_shortfall_kg_at_on_hand),
            explain: format!(
                "Average over paths of how many kg the strategic part of today's stock ({}) falls short of what the disruption needs (0 on paths where it suffices).",
                mass(m.strategic_on_hand_kg)
            ),
        },
        ExplainedFigure {
            name: "Units not built",
            value: if units_not_built.is_empty() { "—".to_owned() } else { units_not_built.join("\n") },
            explain: "Expected shortfall ÷ kg per unit of each product: the units that could not be built if the whole shortfall fell on that product alone.".to_owned(),
        },
        ExplainedFigure {
            name: "Holding cost per year",
            value: money(m.holding_cost_per_year, currency),
            explain: format!(
                "Recommended stock × price × carrying cost = {} × {} {currency}/kg × {}.",
                mass(m.recommended_stock_kg),
                units::thousands(price, 2),
                percent(carrying)
            ),
        },
    ]
}

/// The build-up plan's figures, each with what it means and its inputs.
pub fn explained_buildup_figures(
    project: &Project,
    rec: &Recommendation,
    m: &MaterialRecommendation,
) -> Vec<ExplainedFigure> {
    use units::{mass, money};
    let plan = &m.buildup;
    let currency = project.currency.as_str();
    vec![
        ExplainedFigure {
            name: "Bought by the plan",
            value: mass(plan.kg_bought),
            explain: "The sum of the plan's orders over the horizon (toward a target that moves with the months)."
                .to_owned(),
        },
        ExplainedFigure {
            name: "Capital for the whole gap",
            value: money(plan.gap_cost_at_todays_price, currency),
            explain: format!(
                "The whole gap, {} (recommended stock today less on hand), at today's expected price: the capital the recommendation needs.",
                mass(plan.gap_kg)
            ),
        },
        ExplainedFigure {
            name: "Plan cost at expected prices",
            value: money(plan.cost, currency),
            explain: "Each month's order at that month's expected price (prices rise when a disruption is expected)."
                .to_owned(),
        },
        ExplainedFigure {
            name: "Value of buying ahead",
            value: money(plan.value_of_buying_ahead, currency),
            explain: format!(
                "What buying the plan's kilograms today would save: plan cost {} less the same kilograms at today's price, {}.",
                money(plan.cost, currency),
                money(plan.cost_at_todays_price, currency)
            ),
        },
        ExplainedFigure {
            name: "Lead time",
            value: months(plan.lead_time_months),
            explain: "Whole months from an order to its arrival (the material's lead time, rounded up)."
                .to_owned(),
        },
        ExplainedFigure {
            name: "Recommendation reached",
            value: plan
                .reaches_recommendation_month
                .map_or_else(|| "not within the plan".to_owned(), |t| rec.month(t).to_string()),
            explain: "The month whose arrivals first bring the stock to today's recommended stock."
                .to_owned(),
        },
    ]
}

/// A scenario's own buffer and its sampling interval, explained.
pub fn scenario_buffer_explanation(
    m: &MaterialRecommendation,
    figures: &ScenarioFigures,
) -> String {
    format!(
        "This scenario's own {} quantile of the buffer (95% interval {} – {}).",
        units::percent(m.service_level),
        units::mass(figures.strategic_buffer_ci95_kg[0]),
        units::mass(figures.strategic_buffer_ci95_kg[1])
    )
}

/// Why a scenario's buffer is no one-off (MODEL.md "Open-ended shortfalls"), or
/// `None` when its supply comes back within the plan.
pub fn open_ended_sentence(scenario_name: &str, figures: &ScenarioFigures) -> Option<String> {
    figures.open_ended().then(|| {
        still_short(
            &format!("{scenario_name}:"),
            figures.shortfall_in_last_month_kg,
        )
    })
}

/// `who` names the scenarios, with its punctuation ("Embargo:", "In every scenario,").
fn still_short(who: &str, shortfall_kg_per_month: f64) -> String {
    let short = units::mass(shortfall_kg_per_month);
    format!(
        "{who} supply is still short by {short} a month at the end of the plan: a stockpile only buys time, and this buffer grows with the horizon; qualified supply of {short} a month would close it."
    )
}

/// The open-ended sentences of a material's scenarios. Scenarios short by the same
/// amount share one sentence (a refusal that lasts in every scenario would otherwise
/// repeat it once per scenario), in project order of their first scenario.
pub fn open_ended_sentences(project: &Project, m: &MaterialRecommendation) -> Vec<String> {
    let mut groups: Vec<(String, f64, Vec<&str>)> = Vec::new();
    for (scenario, figures) in project.scenarios.iter().zip(&m.by_scenario) {
        if !figures.open_ended() {
            continue;
        }
        let shown = units::mass(figures.shortfall_in_last_month_kg);
        match groups.iter_mut().find(|(text, _, _)| *text == shown) {
            Some((_, _, names)) => names.push(&scenario.name),
            None => groups.push((
                shown,
                figures.shortfall_in_last_month_kg,
                vec![&scenario.name],
            )),
        }
    }
    let weighted = m.by_scenario.iter().filter(|f| f.weight > 0.0).count();
    groups
        .into_iter()
        .map(|(_, shortfall_kg, names)| {
            let who = if names.len() > 1 && names.len() == weighted {
                "In every scenario,".to_owned()
            } else {
                format!("{}:", list(&names))
            };
            still_short(&who, shortfall_kg)
        })
        .collect()
}

/// "A", "A and B", "A, B and C".
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whether the build-up plan reaches the recommendation in time, in words, with
/// both months ("at 6 t a month you reach the recommended 68 t in 2027-09; if the
/// truce lapses you run dry in 2027-02").
pub fn buildup_feasibility(project: &Project, rec: &Recommendation, index: usize) -> String {
    let Some(m) = rec.materials.get(index) else {
        return String::new();
    };
    let plan = &m.buildup;
    if plan.gap_kg <= 0.0 {
        return format!(
            "The {} on hand already covers the recommended {}.",
            units::mass(m.on_hand_kg),
            units::mass(m.recommended_stock_kg)
        );
    }
    let pace = match plan.max_purchase_kg_per_month {
        Some(cap) => format!("at {} a month", units::mass(cap)),
        None => "buying without a monthly cap".to_owned(),
    };
    let lead = match plan.lead_time_months {
        0 => String::new(),
        count => format!(" with {} of lead time", months(count)),
    };
    let reach = match plan.reaches_recommendation_month {
        Some(t) => format!(
            "{pace}{lead} you reach the recommended {} in {}",
            units::mass(m.recommended_stock_kg),
            rec.month(t)
        ),
        None => format!(
            "{pace}{lead} you do not reach the recommended {} within the plan",
            units::mass(m.recommended_stock_kg)
        ),
    };
    let deadline = m
        .driving_scenario
        .zip(plan.driving_run_out_month)
        .and_then(|(s, t)| project.scenarios.get(s).map(|scenario| (scenario, t)));
    let mut text = match deadline {
        Some((scenario, t)) => {
            let verdict = if plan.too_late() { "too late: " } else { "" };
            format!(
                "{verdict}{reach}; if \"{}\" happens you run dry in {}.",
                scenario.name,
                rec.month(t)
            )
        }
        None => format!("{reach}."),
    };
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}

/// The chance of running out while following the plan, in words.
pub fn buildup_risk(rec: &Recommendation, m: &MaterialRecommendation) -> String {
    let plan = &m.buildup;
    let when = match plan.run_out_month_median_following_plan {
        Some(t) => format!(", half of the paths by {}", rec.month(t)),
        None => String::new(),
    };
    format!(
        "Following this plan, the chance of running out within the horizon is {}{when}.",
        probability(plan.run_out_probability_following_plan)
    )
}

/// What the build-up plan buys and the capital the whole gap needs, in words, with
/// the value of buying ahead (MODEL.md "Prices and the build-up plan").
pub fn buildup_capital(project: &Project, m: &MaterialRecommendation) -> String {
    let plan = &m.buildup;
    let currency = &project.currency;
    if plan.gap_kg <= 0.0 {
        return "There is no gap to buy, so the plan needs no capital.".to_owned();
    }
    let ahead = if plan.value_of_buying_ahead > 0.0 {
        format!(
            "buying the plan's kilograms now instead of month by month would save {} at the expected prices",
            units::money(plan.value_of_buying_ahead, currency)
        )
    } else {
        "buying the plan's kilograms now would save nothing at the expected prices".to_owned()
    };
    format!(
        "The plan buys {} for {}; the whole gap of {} costs {} at today's price (the capital the recommendation needs); {ahead}.",
        units::mass(plan.kg_bought),
        units::money(plan.cost, currency),
        units::mass(plan.gap_kg),
        units::money(plan.gap_cost_at_todays_price, currency),
    )
}

/// The products' notes, one "product: notes" line each (the products have no description).
pub fn product_notes(project: &Project) -> Vec<String> {
    project
        .products
        .iter()
        .filter(|p| !p.notes.trim().is_empty())
        .map(|p| format!("{}: {}", p.name, p.notes.trim()))
        .collect()
}

/// The project's rebuild assumption (MODEL.md "Strategic buffer: drawdown and rebuild").
pub fn rebuild_after_disruption(project: &Project) -> &'static str {
    if project.rebuild_after_disruption {
        "After a disruption the strategic stock is bought back once supply returns (within any purchase cap and after the lead time), so each disruption is covered on its own."
    } else {
        "The strategic stock is not rebuilt after a disruption: every shortfall up to the end of the plan is covered from the stock (format 1's model)."
    }
}

/// When an alternative source's qualification starts, as a phrase.
pub fn qualification_start(starts: QualificationStart) -> &'static str {
    match starts {
        QualificationStart::AtFirstLoss => "qualification starts at the first loss of supply",
        QualificationStart::AtPlanStart => "qualification starts now (qualified ahead)",
    }
}

/// One alternative source as a sentence, with when its qualification starts.
pub fn describe_alternative(alternative: &Alternative) -> String {
    format!(
        "“{}”: {} a month after {} of qualification, {} dearer; {}.",
        alternative.name,
        units::kg(alternative.capacity_kg_per_month),
        months_f64(alternative.qualification_months),
        units::percent(alternative.price_premium),
        qualification_start(alternative.qualification_starts),
    )
}

/// Qualify or stockpile in words: "Qualifying “Lynas” now cuts the NdPr oxide
/// stockpile from 68 t to 44 t, 264,000 USD a year less holding."
pub fn qualify_ahead_sentence(project: &Project, q: &QualifyComparison) -> String {
    let Some(material) = project.materials.get(q.material) else {
        return String::new();
    };
    let names: Vec<String> = q
        .alternatives
        .iter()
        .filter_map(|&i| material.alternatives.get(i))
        .map(|a| format!("“{}”", a.name))
        .collect();
    let sources = match names.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => "its alternatives".to_owned(),
    };
    let before = units::mass(q.recommended_stock_kg_as_entered);
    let after = units::mass(q.recommended_stock_kg_qualified);
    let saved = q.holding_saved_per_year();
    if before == after {
        return format!(
            "Qualifying {sources} now leaves the {} stockpile at {before}: the stock, not the qualification, covers the risk.",
            material.name
        );
    }
    let verb = if q.stock_saved_kg() > 0.0 {
        "cuts"
    } else {
        "raises"
    };
    let holding = if saved >= 0.0 {
        format!(
            "{} a year less holding",
            units::money(saved, &project.currency)
        )
    } else {
        format!(
            "{} a year more holding",
            units::money(-saved, &project.currency)
        )
    };
    format!(
        "Qualifying {sources} now {verb} the {} stockpile from {before} to {after}, {holding}.",
        material.name
    )
}

/// A whole number of months, "1 month" or "3 months".
pub fn months(count: usize) -> String {
    if count == 1 {
        "1 month".to_owned()
    } else {
        format!("{count} months")
    }
}

/// A number of months that need not be whole: "1 month", "2.5 months".
pub fn months_f64(count: f64) -> String {
    let shown = plain_number(count);
    if shown == "1" {
        "1 month".to_owned()
    } else {
        format!("{shown} months")
    }
}

/// A number as a person reads it: at most four decimals, trailing zeros dropped, no
/// float noise (`75.00000000000001` reads 75) and never `-0`.
pub fn plain_number(x: f64) -> String {
    let text = format!("{x:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" => "0".to_owned(),
        _ => text.to_owned(),
    }
}

/// The build-up plan of a material in words, in reading order: whether it is in
/// time, the risk while following it, what it buys and the capital it needs.
pub fn buildup_sentences(project: &Project, rec: &Recommendation, index: usize) -> Vec<String> {
    let Some(m) = rec.materials.get(index) else {
        return Vec::new();
    };
    vec![
        buildup_feasibility(project, rec, index),
        buildup_risk(rec, m),
        buildup_capital(project, m),
    ]
}

/// The warning when a file's saved figures are not what this program computes
/// (FORMAT.md "Version 2"), naming each material and both figures.
pub fn saved_results_warning(saved: &SavedResults, differences: &[SavedDifference]) -> String {
    let figure = |kg: Option<f64>| kg.map_or_else(|| "none".to_owned(), units::mass);
    let listed: Vec<String> = differences
        .iter()
        .map(|d| {
            format!(
                "{} saved {}, computed {}",
                d.material_id,
                figure(d.saved_kg),
                figure(d.computed_kg)
            )
        })
        .collect();
    format!(
        "the figures saved in this file by {} on {} differ from what this program computes with the same {} paths and seed {}: {}",
        saved.program,
        saved.computed,
        units::thousands(f64::from(saved.paths), 0),
        saved.seed,
        listed.join("; ")
    )
}

/// What drives a material's buffer, for a table cell: the driving scenario's name;
/// when several scenarios need that same buffer, the event they share ("the export
/// stop shared by Truce lapses and Slow-walked licences") or, with none shared, all
/// of them; "none" when no scenario loses supply (the engine never names one that
/// does not).
/// A table cell: several scenarios needing the same buffer are counted, not listed
/// (the material's sentence lists them), so the cell stays a line or two.
pub fn driving_scenario(project: &Project, m: &MaterialRecommendation) -> String {
    driver(project, m, |name| name.to_owned(), Listing::Counted)
        .unwrap_or_else(|| "none".to_owned())
}

/// How a driver shared by several scenarios names them.
#[derive(Clone, Copy, PartialEq)]
enum Listing {
    /// "the Export stop shared by Truce lapses and Embargo"
    Named,
    /// "Export stop (3 scenarios)"
    Counted,
}

/// What drives a material's buffer, as the subject of a sentence ("the “Embargo”
/// scenario", "the “Export stop” shared by “Truce lapses” and “Embargo”"), if any.
pub fn driving_phrase(project: &Project, m: &MaterialRecommendation) -> Option<String> {
    let quoted = |name: &str| format!("\u{201c}{name}\u{201d}");
    let phrase = driver(project, m, quoted, Listing::Named)?;
    Some(if driving_scenarios(m).len() > 1 {
        phrase
    } else {
        format!("the {phrase} scenario")
    })
}

/// The scenarios needing the driving scenario's buffer (within rounding), in order.
fn driving_scenarios(m: &MaterialRecommendation) -> Vec<usize> {
    let Some(driver) = m.driving_scenario.and_then(|s| m.by_scenario.get(s)) else {
        return Vec::new();
    };
    let buffer = driver.strategic_buffer_kg;
    let tolerance = 1e-9 * buffer.abs().max(1.0);
    m.by_scenario
        .iter()
        .enumerate()
        .filter(|(_, f)| f.weight > 0.0 && (f.strategic_buffer_kg - buffer).abs() <= tolerance)
        .map(|(index, _)| index)
        .collect()
}

fn driver(
    project: &Project,
    m: &MaterialRecommendation,
    name: impl Fn(&str) -> String,
    listing: Listing,
) -> Option<String> {
    let drivers = driving_scenarios(m);
    let scenario = |s: usize| project.scenarios.get(s);
    let names: Vec<String> = drivers
        .iter()
        .filter_map(|&s| scenario(s).map(|sc| name(&sc.name)))
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        several => {
            let listed = join_and(several);
            let first = scenario(drivers[0])?;
            let shared = first.events.iter().find(|event| {
                drivers[1..]
                    .iter()
                    .all(|&s| scenario(s).is_some_and(|sc| sc.events.contains(event)))
            });
            let count = several.len();
            Some(match (shared, listing) {
                (Some(event), Listing::Named) => {
                    format!("the {} shared by {listed}", name(event.name()))
                }
                (Some(event), Listing::Counted) => {
                    format!("{} ({count} scenarios)", name(event.name()))
                }
                (None, Listing::Named) => format!("{listed} alike"),
                (None, Listing::Counted) => format!("{count} scenarios alike"),
            })
        }
    }
}

/// "A", "A and B", "A, B and C".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub fn dist(d: &Dist, unit: &str) -> String {
    let number = plain_number;
    match *d {
        // "1 month", not "1 months".
        Dist::Fixed(x) if number(x) == "1" => format!("1{}", unit.trim_end_matches('s')),
        Dist::Fixed(x) => format!("{}{unit}", number(x)),
        Dist::Uniform(a, b) => format!("{}–{}{unit} (uniform)", number(a), number(b)),
        Dist::Triangular(a, mode, b) => {
            format!(
                "{}–{}{unit} (triangular, mode {})",
                number(a),
                number(b),
                number(mode)
            )
        }
    }
}

fn share_dist(d: &Dist) -> String {
    match *d {
        Dist::Fixed(x) => units::percent(x),
        Dist::Uniform(a, b) => format!("{}–{} (uniform)", units::percent(a), units::percent(b)),
        Dist::Triangular(a, mode, b) => format!(
            "{}–{} (triangular, mode {})",
            units::percent(a),
            units::percent(b),
            units::percent(mode)
        ),
    }
}

pub fn materials_hit(project: &Project, set: &MaterialSet) -> String {
    match set {
        MaterialSet::All => "all materials".to_owned(),
        MaterialSet::Only(ids) => ids
            .iter()
            .map(|id| {
                project
                    .materials
                    .iter()
                    .find(|m| &m.id == id)
                    .map_or_else(|| id.clone(), |m| m.name.clone())
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

pub fn end_uses(e: EndUses) -> &'static str {
    match e {
        EndUses::All => "all end uses",
        EndUses::MilitaryOnly => "military end uses",
        EndUses::CivilOnly => "civil end uses",
    }
}

/// One event's assumptions as a sentence.
pub fn describe_event(project: &Project, event: &Event) -> String {
    match event {
        Event::Once {
            name,
            materials,
            end_uses: uses,
            start,
            duration_months,
            supply_cut,
            licence_delay_days,
            price_multiplier,
            probability: p,
        } => {
            let start = match start {
                StartMonth::Fixed(month) => format!("from {month}"),
                StartMonth::Uniform(from, to) => format!("starting between {from} and {to}"),
            };
            let mut text = format!(
                "{name}: cuts {} of the exposed supply of {} ({}) {start} for {}",
                share_dist(supply_cut),
                materials_hit(project, materials),
                end_uses(*uses),
                dist(duration_months, " months"),
            );
            if licence_delay_days.bounds().1 > 0.0 {
                text.push_str(&format!(
                    ", with a licence delay of {}",
                    dist(licence_delay_days, " days")
                ));
            }
            if (*price_multiplier - 1.0).abs() > 1e-12 {
                text.push_str(&format!(", prices ×{}", plain_number(*price_multiplier)));
            }
            if *p < 1.0 {
                text.push_str(&format!(
                    ", occurring with probability {}",
                    units::percent(*p)
                ));
            }
            text.push('.');
            text
        }
        Event::Recurring {
            name,
            materials,
            end_uses: uses,
            mean_months_between,
            mean_duration_months,
            supply_cut,
        } => format!(
            "{name}: random outages of {} ({}) about every {}, lasting {} on average, each cutting {} of the exposed supply.",
            materials_hit(project, materials),
            end_uses(*uses),
            months_f64(*mean_months_between),
            months_f64(*mean_duration_months),
            share_dist(supply_cut),
        ),
    }
}

/// The methodology in brief, as paragraphs.
pub fn methodology(rec: &Recommendation) -> Vec<String> {
    vec![
        format!(
            "Each scenario is simulated over the same {} Monte Carlo paths (seed {}, common random numbers, so differences between scenarios are not noise). On each path the monthly strategic deficit is the exposed share of demand that the scenario's events cut off, less what qualified alternative suppliers deliver once qualified.",
            units::thousands(rec.paths as f64, 0),
            rec.seed
        ),
        "The strategic buffer at a month is the stock needed then to never run out until the end of the horizon (a backward recursion over the deficits); the recommendation takes its quantile at the service level over the probability-weighted mixture of the scenarios, with a 95% confidence interval from order statistics (Kish's effective sample size).".to_owned(),
        "A classic safety stock, z(a) · sqrt(L · σD² + D̄² · σL²), covers demand and lead-time variability independently of disruptions. Recommended stock = safety stock + strategic buffer. Days of cover = recommended stock / (D̄ / 30.4375); share of annual consumption = recommended stock / (12 · D̄), the units of JOGMEC's 60–180-day targets and the EU CRMA's % of annual consumption.".to_owned(),
        "The stock on hand first covers the safety stock; the stockout probability and the expected shortfall are evaluated at the rest. The cost curve weighs holding a kg over the horizon against a kg short (the shortage cost, or the margin lost); its minimum is the newsvendor critical ratio. The build-up plan buys toward the target month by month within any purchase cap, priced at the expected price index.".to_owned(),
    ]
}

/// A material's unit for axis and table headers: t above 10 t, else kg.
pub fn mass_scale(max_kg: f64) -> (f64, &'static str) {
    let unit = units::MassUnit::for_max(max_kg);
    (f64::from(unit.kg_per_unit), unit.name)
}

/// A money amount's scale for axes: thousands or millions.
pub fn money_scale(max: f64) -> (f64, &'static str) {
    if max >= 10_000_000.0 {
        (1_000_000.0, "million ")
    } else if max >= 10_000.0 {
        (1000.0, "thousand ")
    } else {
        (1.0, "")
    }
}

/// The heading of a material's "What drives it".
pub fn tornado_heading(material_name: &str) -> String {
    format!("What drives the {material_name} stockpile")
}

/// Said instead of a tornado when no input moves the recommendation.
pub const NO_INPUT_MOVES: &str =
    "No input moves this recommendation between its low and high value.";

/// How material `index`'s tornado was computed and what it shows: the `shown`
/// largest bars of those that move it ("" for a material the run does not hold).
pub fn tornado_note(sensitivity: &Sensitivity, index: usize, shown: usize) -> String {
    let Some(figures) = sensitivity.materials.get(index) else {
        return String::new();
    };
    let of_all = if figures.bars.len() > shown {
        format!(
            "the {shown} largest of {} inputs that move it",
            figures.bars.len()
        )
    } else {
        "every input that moves it".to_owned()
    };
    format!(
        "Each input set to its low and its high value, everything else as entered, on {} paths with common random numbers: {of_all}. Around {} at these paths.",
        units::thousands(sensitivity.paths as f64, 0),
        units::mass(figures.recommended_stock_kg),
    )
}

/// Why a tornado's middle is not quite the recommendation on screen: a sensitivity
/// ranks inputs on fewer paths than the recommendation uses.
pub fn sensitivity_paths_caveat(project: &Project) -> String {
    format!(
        "The recommendation uses {} paths, so its figure differs a little.",
        units::thousands(f64::from(project.paths), 0)
    )
}

/// The capital every material's whole gap needs, for scale beside a budget.
pub fn every_gap_sentence(project: &Project, rec: &Recommendation) -> String {
    let every_gap: f64 = rec
        .materials
        .iter()
        .map(|m| m.buildup.gap_cost_at_todays_price)
        .sum();
    format!(
        "For scale: buying every material's whole gap at today's prices costs {}.",
        units::money(every_gap, &project.currency)
    )
}

/// A budget and how much of it the allocation spends.
pub fn budget_spent_sentence(
    project: &Project,
    budget: f64,
    allocation: &crate::engine::budget::BudgetAllocation,
) -> String {
    format!(
        "Budget {}: {} spent.",
        units::money(budget, &project.currency),
        units::money(allocation.spent, &project.currency)
    )
}

/// What the next unit of money would save once a budget is spent (the app's Budget
/// panel; a report with a budget can say the same): "Each further USD, spent on
/// Terbium oxide, would save about 4.20 USD of expected shortage cost."
pub fn budget_marginal_sentence(
    project: &Project,
    budget: &crate::engine::budget::BudgetAllocation,
) -> String {
    let currency = project.currency.as_str();
    match budget
        .marginal_material
        .and_then(|m| project.materials.get(m))
    {
        Some(material) if budget.marginal_value.is_finite() => format!(
            "Each further {currency}, spent on {}, would save about {} {currency} of expected shortage cost.",
            material.name,
            units::thousands(budget.marginal_value, 2)
        ),
        Some(material) => format!(
            "{} costs nothing and still falls short: any further money on it saves shortage cost.",
            material.name
        ),
        None => "More money would save no expected shortage cost: every shortfall the model simulates is covered.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_levels() {
        let today = today();
        assert_eq!(today.len(), 10, "{today}");
        assert!(today.as_str() > "2026-01-01", "{today}");
        assert_eq!(level_percent(0.95), "95%");
        assert_eq!(level_percent(0.975), "97.5%");
    }

    #[test]
    fn numbers_and_months_read_cleanly() {
        assert_eq!(plain_number(75.000_000_000_000_01), "75");
        assert_eq!(plain_number(-0.0), "0");
        assert_eq!(plain_number(-0.000_01), "0");
        assert_eq!(plain_number(1.25), "1.25");
        assert_eq!(months_f64(1.0), "1 month");
        assert_eq!(months_f64(2.5), "2.5 months");
        assert_eq!(months(1), "1 month");
    }
}
