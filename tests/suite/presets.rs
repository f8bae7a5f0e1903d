//! The bundled presets and the catalogue: they load cleanly as format 2, survive a save
//! round trip, are well-formed starting projects whose figures agree with
//! `shared/spec/FACTS.md` (docs/PRESETS.md gives each figure's source), and give plausible
//! recommendations.
//!
//! `cargo test --test suite presets:: -- --ignored --nocapture` prints every preset's figures.

use std::collections::HashMap;

use stockpile_planner::engine::{RunOptions, recommend};
use stockpile_planner::presets::{self, PRESETS};
use stockpile_planner::project::{
    CURRENT_FORMAT_VERSION, Dist, EndUse, EndUses, Event, Material, MaterialSet, Project,
    QualificationStart, ServiceLevel, StartMonth, YearMonth, parse, to_ron_string,
};

const NAMES: [&str; 5] = [
    "ev-motor-line",
    "offshore-wind",
    "gan-semiconductor",
    "defence-supplier",
    "battery-anode",
];

/// Every preset, loaded, with no errors and no warnings.
fn loaded_presets() -> Vec<(&'static str, Project)> {
    PRESETS
        .iter()
        .map(|preset| match preset.load() {
            Ok(loaded) => {
                let warnings: Vec<String> =
                    loaded.warnings.iter().map(ToString::to_string).collect();
                assert!(
                    warnings.is_empty(),
                    "preset {} warns: {warnings:?}",
                    preset.name
                );
                (preset.name, loaded.project)
            }
            Err(err) => panic!("preset {} does not load:\n{err}", preset.name),
        })
        .collect()
}

/// Every preset and the catalogue.
fn everything_bundled() -> Vec<(&'static str, Project)> {
    let mut projects = loaded_presets();
    projects.push(("catalogue", loaded_catalogue()));
    projects
}

fn preset(name: &str) -> Project {
    loaded_presets()
        .into_iter()
        .find(|(preset_name, _)| *preset_name == name)
        .map(|(_, project)| project)
        .unwrap_or_else(|| panic!("no preset {name}"))
}

/// The forecast consumption of a material in month 0 (kg): every product's volume times its
/// content, plus direct demand (MODEL.md's `Dbar`).
fn month0_consumption_kg(project: &Project, material: &Material) -> f64 {
    let from_products: f64 = project
        .products
        .iter()
        .filter_map(|p| {
            p.bill_of_materials
                .kg_per_unit(&material.id)
                .map(|kg| kg * p.units_per_month)
        })
        .sum();
    from_products + material.direct_kg_per_month
}

/// The share of an oxide's mass that is the rare-earth element, from the formulas (atomic
/// masses): Nd2O3 0.857 and Pr6O11 0.828, so 0.85 for NdPr oxide at about 3 Nd to 1 Pr;
/// Dy2O3 0.871; Tb4O7 0.850. The presets count oxide; FACTS.md counts the element.
fn element_share_of_oxide(material_id: &str) -> f64 {
    match material_id {
        "ndpr_oxide" => 0.85,
        "dy_oxide" => 0.871,
        "tb_oxide" => 0.850,
        other => panic!("no element share for {other}"),
    }
}

/// kg of rare-earth element in one unit of a product of a preset.
fn rare_earth_kg_per_unit(project: &Project, product_id: &str) -> f64 {
    let product = project
        .products
        .iter()
        .find(|p| p.id == product_id)
        .unwrap_or_else(|| panic!("no product {product_id}"));
    product
        .bill_of_materials
        .0
        .iter()
        .map(|(id, kg)| kg * element_share_of_oxide(id))
        .sum()
}

fn loaded_catalogue() -> Project {
    match presets::catalogue() {
        Ok(loaded) => {
            let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
            assert!(warnings.is_empty(), "the catalogue warns: {warnings:?}");
            loaded.project
        }
        Err(err) => panic!("the catalogue does not load:\n{err}"),
    }
}

#[test]
fn the_five_presets_are_bundled_and_the_ev_line_opens_first() {
    let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
    assert_eq!(names, NAMES);
    assert_eq!(presets::example().name, "ev-motor-line");
    for name in NAMES {
        assert!(presets::find(name).is_some(), "{name}");
    }
}

#[test]
fn presets_and_catalogue_load_without_errors() {
    assert_eq!(loaded_presets().len(), NAMES.len());
    loaded_catalogue();
}

#[test]
fn every_preset_is_format_2_and_saves_back_as_it_loads() {
    for (name, project) in everything_bundled() {
        assert_eq!(project.format_version, CURRENT_FORMAT_VERSION, "{name}");
        assert_eq!(CURRENT_FORMAT_VERSION, 2);
        assert!(project.rebuild_after_disruption, "{name}: no rebuild");
        // Saved figures belong to a user's file, not to a starting project: a preset that
        // carried them would warn as soon as the engine changed.
        assert!(project.saved_results.is_none(), "{name}: saved results");
        let text = to_ron_string(&project).unwrap_or_else(|e| panic!("{name}: cannot save: {e}"));
        let again =
            parse(&text, "x").unwrap_or_else(|e| panic!("{name}: saved text does not parse:\n{e}"));
        assert_eq!(
            again, project,
            "{name}: load -> save -> parse changed the project"
        );
        let text_again = to_ron_string(&again).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            text_again, text,
            "{name}: saving twice gives different text"
        );
    }
}

#[test]
fn presets_are_well_formed_starting_projects() {
    for (name, project) in loaded_presets() {
        assert_eq!(project.start.to_string(), "2026-12", "{name}");
        assert_eq!(project.horizon_months, 36, "{name}");
        assert_eq!(project.paths, 10_000, "{name}");
        assert_eq!(project.seed, 42, "{name}");
        assert!(
            !project.description.trim().is_empty(),
            "{name}: no description"
        );
        assert!(
            project.scenarios.len() >= 3,
            "{name}: fewer than 3 scenarios"
        );
        let total: f64 = project.scenarios.iter().map(|s| s.probability).sum();
        assert!(
            (total - 1.0).abs() <= 1e-9,
            "{name}: weights sum to {total}"
        );
        let ids: Vec<&str> = project.scenarios.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            ["truce-renewed", "slow-walk", "truce-lapses", "embargo"],
            "{name}"
        );
        for scenario in &project.scenarios {
            assert!(
                !scenario.description.trim().is_empty(),
                "{name}/{}: no description",
                scenario.id
            );
        }
        for product in &project.products {
            assert!(
                !product.notes.trim().is_empty(),
                "{name}/{}: no notes",
                product.id
            );
        }
        for material in &project.materials {
            assert!(
                !material.notes.trim().is_empty(),
                "{name}/{}: no notes",
                material.id
            );
            assert!(
                material.on_hand_kg > 0.0,
                "{name}/{}: nothing on hand",
                material.id
            );
            assert!(
                material.lead_time_days > 0.0,
                "{name}/{}: no lead time",
                material.id
            );
            assert!(
                !material.alternatives.is_empty(),
                "{name}/{}: no alternative",
                material.id
            );
        }
    }
}

#[test]
fn unsourced_prices_are_marked_as_placeholders() {
    let mut projects = loaded_presets();
    projects.push(("catalogue", loaded_catalogue()));
    for (name, project) in projects {
        for material in &project.materials {
            let unsourced = ["graphite", "sm_"]
                .iter()
                .any(|word| material.id.contains(word));
            if unsourced {
                assert!(
                    material.notes.contains("placeholder"),
                    "{name}/{}: its price has no source but the notes do not say placeholder",
                    material.id
                );
            }
        }
    }
}

/// Events with the same name share their random draws across scenarios (common random
/// numbers), so within a preset a name must always mean the same event.
#[test]
fn a_name_means_the_same_event_in_every_scenario() {
    for (name, project) in loaded_presets() {
        let mut seen: HashMap<&str, &Event> = HashMap::new();
        for scenario in &project.scenarios {
            for event in &scenario.events {
                if let Some(first) = seen.insert(event.name(), event) {
                    assert_eq!(
                        first,
                        event,
                        "{name}: two different events named {:?}",
                        event.name()
                    );
                }
            }
        }
    }
}

#[test]
fn military_refusals_start_december_2025_and_cover_the_horizon() {
    let (_, defence) = loaded_presets()
        .into_iter()
        .find(|(name, _)| *name == "defence-supplier")
        .expect("defence preset");
    let mut catalogue = loaded_catalogue();
    catalogue.scenarios.retain(|s| s.id == "military-refusals");
    for project in [&defence, &catalogue] {
        let refusals: Vec<&Event> = project
            .scenarios
            .iter()
            .flat_map(|s| &s.events)
            .filter(|e| e.name() == "Military end-use refusals")
            .collect();
        assert!(!refusals.is_empty());
        for event in refusals {
            let Event::Once {
                end_uses,
                start,
                duration_months,
                supply_cut,
                ..
            } = event
            else {
                panic!("the refusals are a Once event");
            };
            assert_eq!(*end_uses, EndUses::MilitaryOnly);
            let StartMonth::Fixed(month) = start else {
                panic!("fixed start")
            };
            assert_eq!(month.to_string(), "2025-12");
            let months_before = month.months_until(project.start) as f64;
            assert!(duration_months.bounds().0 >= months_before + project.horizon_months as f64);
            assert_eq!(*supply_cut, Dist::Fixed(1.0));
        }
    }
}

#[test]
fn presets_use_every_feature_of_the_format() {
    let projects = loaded_presets();
    let all = || projects.iter().map(|(_, p)| p);
    let events = || all().flat_map(|p| p.scenarios.iter().flat_map(|s| s.events.iter()));
    let once = || {
        events().filter_map(|e| match e {
            Event::Once {
                start,
                duration_months,
                supply_cut,
                licence_delay_days,
                probability,
                ..
            } => Some((
                start,
                duration_months,
                supply_cut,
                licence_delay_days,
                *probability,
            )),
            Event::Recurring { .. } => None,
        })
    };
    let is_uniform = |d: &Dist| matches!(d, Dist::Uniform(..));
    let is_triangular = |d: &Dist| matches!(d, Dist::Triangular(..));
    let checks: [(&str, bool); 19] = [
        (
            "Only([...]) materials",
            events().any(|e| matches!(e.materials(), MaterialSet::Only(_))),
        ),
        (
            "MilitaryOnly",
            events().any(|e| e.end_uses() == EndUses::MilitaryOnly),
        ),
        (
            "CivilOnly",
            events().any(|e| e.end_uses() == EndUses::CivilOnly),
        ),
        (
            "Uniform start",
            once().any(|o| matches!(o.0, StartMonth::Uniform(..))),
        ),
        (
            "Uniform value",
            once().any(|o| is_uniform(o.1) || is_uniform(o.2) || is_uniform(o.3)),
        ),
        (
            "Triangular value",
            once().any(|o| is_triangular(o.1) || is_triangular(o.2) || is_triangular(o.3)),
        ),
        ("licence delay", once().any(|o| o.3.bounds().1 > 0.0)),
        ("probability < 1", once().any(|o| o.4 < 1.0)),
        (
            "Recurring",
            events().any(|e| matches!(e, Event::Recurring { .. })),
        ),
        (
            "alternatives",
            all()
                .flat_map(|p| &p.materials)
                .any(|m| !m.alternatives.is_empty()),
        ),
        (
            "purchase cap",
            all()
                .flat_map(|p| &p.materials)
                .any(|m| m.max_purchase_kg_per_month.is_some()),
        ),
        (
            "direct demand",
            all()
                .flat_map(|p| &p.materials)
                .any(|m| m.direct_kg_per_month > 0.0),
        ),
        (
            "growth",
            all()
                .flat_map(|p| &p.products)
                .any(|p| p.growth_per_year != 0.0),
        ),
        (
            "demand cv",
            all().flat_map(|p| &p.products).any(|p| p.demand_cv > 0.0),
        ),
        (
            "Dual product",
            all()
                .flat_map(|p| &p.products)
                .any(|p| p.end_use == EndUse::Dual),
        ),
        (
            "Military product",
            all()
                .flat_map(|p| &p.products)
                .any(|p| p.end_use == EndUse::Military),
        ),
        (
            "Auto service level",
            all().any(|p| p.service_level == ServiceLevel::Auto),
        ),
        (
            "alternative qualified ahead",
            all()
                .flat_map(|p| &p.materials)
                .flat_map(|m| &m.alternatives)
                .any(|a| a.qualification_starts == QualificationStart::AtPlanStart),
        ),
        (
            "alternative qualified at the first loss",
            all()
                .flat_map(|p| &p.materials)
                .flat_map(|m| &m.alternatives)
                .any(|a| a.qualification_starts == QualificationStart::AtFirstLoss),
        ),
    ];
    for (feature, used) in checks {
        assert!(used, "no preset uses {feature}");
    }
}

#[test]
fn catalogue_offers_sourced_materials_and_the_scenario_templates() {
    let catalogue = loaded_catalogue();
    assert_eq!(catalogue.format_version, CURRENT_FORMAT_VERSION);
    let materials: Vec<&str> = catalogue.materials.iter().map(|m| m.id.as_str()).collect();
    for id in [
        "ndpr_oxide",
        "dy_oxide",
        "tb_oxide",
        "gallium",
        "germanium",
        "antimony",
        "tungsten",
    ] {
        assert!(materials.contains(&id), "catalogue lacks {id}");
    }
    assert!(
        materials.iter().any(|id| id.contains("graphite")),
        "catalogue lacks graphite"
    );
    for material in &catalogue.materials {
        assert!(
            !material.notes.trim().is_empty(),
            "{}: no notes",
            material.id
        );
        assert!(material.price_per_kg > 0.0, "{}: no price", material.id);
    }
    let scenarios: Vec<&str> = catalogue.scenarios.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        scenarios,
        [
            "truce-renewed",
            "truce-lapses",
            "embargo",
            "military-refusals",
            "slow-walk"
        ]
    );
    for scenario in &catalogue.scenarios {
        assert!(
            scenario.description.contains("Basis"),
            "{}: no 2025 basis",
            scenario.id
        );
        for event in &scenario.events {
            assert_eq!(
                event.materials(),
                &MaterialSet::All,
                "{}: templates must hit All",
                scenario.id
            );
        }
    }
    let slow_walk = catalogue
        .scenarios
        .iter()
        .find(|s| s.id == "slow-walk")
        .unwrap();
    assert!(matches!(
        slow_walk.events.as_slice(),
        [Event::Recurring { .. }]
    ));
    let total: f64 = catalogue.scenarios.iter().map(|s| s.probability).sum();
    assert!(
        (total - 1.0).abs() <= 1e-9,
        "catalogue weights sum to {total}"
    );
}

#[test]
fn presets_give_plausible_recommendations() {
    let options = RunOptions {
        paths: Some(1000),
        ..Default::default()
    };
    for (name, project) in loaded_presets() {
        let result = recommend(&project, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(result.materials.len(), project.materials.len());
        assert!(
            result
                .materials
                .iter()
                .any(|m| m.recommended_stock_kg.is_finite() && m.recommended_stock_kg > 0.0),
            "{name}: no material needs a stock"
        );
        for (material, figures) in project.materials.iter().zip(&result.materials) {
            let id = &material.id;
            assert!(figures.recommended_stock_kg.is_finite(), "{name}/{id}");
            assert!(
                figures.recommended_stock_kg > 0.0,
                "{name}/{id}: recommends nothing"
            );
            assert!(figures.holding_cost_per_year.is_finite(), "{name}/{id}");
            // Public stockpiles aim at 60 to 180 days of consumption (FACTS.md: JOGMEC). A
            // plan for a buyer exposed to these scenarios may go beyond, but not below a
            // month (less than the quickest replenishment, 60 days, would not even cover the
            // pipeline) nor beyond a year (100% of annual consumption, the EU's unit): a stock
            // bridges a disruption, and a year of it would mean a shortfall that never ends.
            let days = figures.days_of_cover.expect("every material has demand");
            assert!(
                (30.0..=365.0).contains(&days),
                "{name}/{id}: {days:.0} days of cover"
            );
        }
    }
}

#[test]
fn the_catalogue_runs() {
    let catalogue = loaded_catalogue();
    let result = recommend(
        &catalogue,
        &RunOptions {
            paths: Some(1000),
            ..Default::default()
        },
    )
    .expect("the catalogue runs");
    assert!(
        result
            .materials
            .iter()
            .all(|m| m.recommended_stock_kg.is_finite())
    );
}

/// FACTS.md: "a one-year truce from Nov 2025, renegotiated yearly: the first lapse point is
/// Nov 2026". Its lapse may bite just before a plan from Dec 2026 starts.
fn first_lapse_point() -> YearMonth {
    YearMonth::new(2026, 11).expect("a month")
}

/// The truce may lapse at each renegotiation, not once: the lapse scenario has its own event
/// for every November from the first lapse point to the horizon's last month, each starting
/// in that November (then possibly later, as talks run on) with its own chance of lapsing.
#[test]
fn the_lapse_scenarios_have_a_lapse_in_every_november_inside_the_horizon() {
    for (name, project) in everything_bundled() {
        let lapses = project
            .scenarios
            .iter()
            .find(|s| s.id == "truce-lapses")
            .unwrap_or_else(|| panic!("{name}: no lapse scenario"));
        let horizon_end = project.start.plus_months(project.horizon_months as i32);
        let mut november = first_lapse_point();
        let mut renegotiations = 0;
        while november < horizon_end {
            let at_this_one: Vec<&Event> = lapses
                .events
                .iter()
                .filter(|e| matches!(e, Event::Once { start, .. } if start.earliest() == november))
                .collect();
            let [lapse] = at_this_one.as_slice() else {
                panic!(
                    "{name}: {} lapse events start in {november}, not one",
                    at_this_one.len()
                );
            };
            let Event::Once {
                end_uses,
                supply_cut,
                duration_months,
                licence_delay_days,
                probability,
                ..
            } = lapse
            else {
                unreachable!("filtered on Once");
            };
            let what = format!("{name}: the lapse of {november}");
            assert_eq!(*end_uses, EndUses::All, "{what}");
            assert!(
                *probability > 0.0 && *probability < 1.0,
                "{what}: a lapse is possible, not certain ({probability})"
            );
            // April-2025-style licensing: ~45-day permits, supply ~halved (FACTS.md); a lapse
            // lasts months, not the whole plan.
            assert_eq!(licence_delay_days.mean(), 45.0, "{what}");
            let (cut_low, cut_high) = supply_cut.bounds();
            assert!(
                cut_low >= 0.3 && cut_high <= 0.7,
                "{what}: cut {supply_cut}"
            );
            let (shortest, longest) = duration_months.bounds();
            assert!(
                shortest >= 1.0 && longest <= 12.0,
                "{what}: {duration_months}"
            );
            november = november.plus_months(12);
            renegotiations += 1;
        }
        // Dec 2026 + 36 months: the renegotiations of Nov 2026, 2027, 2028 and 2029.
        assert_eq!(renegotiations, 4, "{name}");
    }
}

/// The renewed truce is calm: no event but the military refusals, which no truce lifts.
#[test]
fn the_renewed_truce_is_calm() {
    for (name, project) in everything_bundled() {
        let renewed = project
            .scenarios
            .iter()
            .find(|s| s.id == "truce-renewed")
            .unwrap_or_else(|| panic!("{name}: no renewed scenario"));
        for event in &renewed.events {
            assert_eq!(
                (event.name(), event.end_uses()),
                ("Military end-use refusals", EndUses::MilitaryOnly),
                "{name}: the renewed truce has an event"
            );
        }
    }
}

/// Every material says how long an extra order takes and how much extra can be bought a
/// month, and where each figure comes from. A preset's cap is a buyer's figure: one to four
/// times the month-0 consumption (what a supplier sells on top of a regular call-off); its
/// lead time is 30 to 180 days (60 to 120 for oxides shipped from Asia, plus a licence).
#[test]
fn every_material_has_a_lead_time_and_a_cap_or_says_why_not() {
    for (name, project) in everything_bundled() {
        for material in &project.materials {
            let what = format!("{name}/{}", material.id);
            assert!(
                (30.0..=180.0).contains(&material.lead_time_days),
                "{what}: lead time {} days",
                material.lead_time_days
            );
            assert!(
                material.notes.contains("Lead time"),
                "{what}: the notes do not say where the lead time comes from"
            );
            match material.max_purchase_kg_per_month {
                Some(cap_kg) => {
                    assert!(
                        material.notes.contains("Purchase cap"),
                        "{what}: the notes do not say where the cap comes from"
                    );
                    let consumption_kg = month0_consumption_kg(&project, material);
                    let months = cap_kg / consumption_kg;
                    assert!(
                        (1.0..=4.0).contains(&months),
                        "{what}: the cap is {months:.2} months of consumption"
                    );
                }
                None => assert!(
                    material.notes.contains("No purchase cap"),
                    "{what}: no cap and the notes do not say why"
                ),
            }
        }
    }
    for (name, project) in loaded_presets() {
        for material in &project.materials {
            assert!(
                material.max_purchase_kg_per_month.is_some(),
                "{name}/{}: a preset material without a cap",
                material.id
            );
        }
    }
}

/// FACTS.md: a 1-2 kg magnet at 29-32.5 wt% rare earths gives 0.3-0.65 kg of rare earths
/// per EV; the EV preset stays inside that range.
#[test]
fn ev_content_per_motor_is_within_the_magnet_range() {
    let project = preset("ev-motor-line");
    let kg = rare_earth_kg_per_unit(&project, "ev_motor");
    assert!((0.3..=0.65).contains(&kg), "{kg:.3} kg REE per EV motor");
}

/// FACTS.md: a direct-drive generator holds 190-275 kg of rare earths and 25-34 kg of Dy per
/// MW (Moss et al. 2013; Heim & Vander Wal 2023); the offshore turbine is 15 MW.
#[test]
fn offshore_content_per_megawatt_is_within_the_published_range() {
    let project = preset("offshore-wind");
    let megawatts = 15.0;
    let rare_earths_per_mw = rare_earth_kg_per_unit(&project, "dd_turbine_15mw") / megawatts;
    assert!(
        (190.0..=275.0).contains(&rare_earths_per_mw),
        "{rare_earths_per_mw:.0} kg REE per MW"
    );
    let turbine = &project.products[0];
    let dy_per_mw = turbine
        .bill_of_materials
        .kg_per_unit("dy_oxide")
        .expect("Dy in the turbine")
        * element_share_of_oxide("dy_oxide")
        / megawatts;
    assert!(
        (25.0..=34.0).contains(&dy_per_mw),
        "{dy_per_mw:.1} kg Dy per MW"
    );
}

/// Nothing outside China separates Sm, Dy or Tb at scale: a buyer's exposure is near total.
#[test]
fn samarium_dysprosium_and_terbium_exposure_is_near_total() {
    for (name, project) in everything_bundled() {
        for material in &project.materials {
            if ["sm_", "dy_", "tb_"]
                .iter()
                .any(|prefix| material.id.starts_with(prefix))
            {
                assert!(
                    material.exposed_share >= 0.95,
                    "{name}/{}: exposed share {}",
                    material.id,
                    material.exposed_share
                );
            }
        }
    }
}

/// Prices inside the dated ranges of FACTS.md "Indicative prices" (Dy and Tb from the level
/// before April 2025 to the European level after it). Tungsten has no range in FACTS.md; its
/// dated sources (docs/PRESETS.md) run from Fastmarkets' 42.10 USD/kg W (Rotterdam, 26 Apr
/// 2024) to SMM's ~89 USD/kg W (APT, 3 Nov 2025), and the notes give the date.
#[test]
fn prices_are_within_their_dated_ranges() {
    let ranges: [(&str, f64, f64); 7] = [
        ("ndpr_oxide", 50.0, 55.0),
        ("dy_oxide", 250.0, 1000.0),
        ("tb_oxide", 930.0, 4000.0),
        ("gallium", 350.0, 725.0),
        ("germanium", 1100.0, 5000.0),
        ("antimony", 12.0, 60.0),
        ("tungsten", 42.1, 89.0),
    ];
    let mut checked = HashMap::new();
    for (name, project) in everything_bundled() {
        for material in &project.materials {
            let Some((id, low, high)) = ranges.iter().find(|(id, ..)| *id == material.id) else {
                continue;
            };
            assert!(
                (*low..=*high).contains(&material.price_per_kg),
                "{name}/{id}: {} USD/kg is outside {low}-{high}",
                material.price_per_kg
            );
            *checked.entry(*id).or_insert(0) += 1;
        }
    }
    for (id, ..) in ranges {
        assert!(checked.contains_key(id), "no bundled file prices {id}");
    }
    let catalogue = loaded_catalogue();
    let tungsten = catalogue
        .materials
        .iter()
        .find(|m| m.id == "tungsten")
        .expect("tungsten in the catalogue");
    assert!(tungsten.notes.contains("3 Nov 2025"), "{}", tungsten.notes);
}

/// Every scenario says in its notes what it rests on (FACTS.md) and what is a placeholder.
#[test]
fn scenario_notes_cite_the_facts() {
    for (name, project) in everything_bundled() {
        for scenario in &project.scenarios {
            assert!(
                scenario.notes.contains("FACTS.md"),
                "{name}/{}: the notes do not cite FACTS.md",
                scenario.id
            );
        }
    }
}

/// These buyers are European: a measure aimed at the US (the Dec 2024 gallium ban, the Sep
/// 2025 magnet figure) may appear only with notes that call it US-only and say why.
#[test]
fn us_only_measures_come_with_a_reason() {
    for (name, project) in everything_bundled() {
        for scenario in &project.scenarios {
            let text = format!("{} {}", scenario.description, scenario.notes);
            if text.contains("to the US") {
                assert!(
                    scenario.notes.contains("US-only") && scenario.notes.contains("used"),
                    "{name}/{}: a US measure without saying why it applies",
                    scenario.id
                );
            }
        }
    }
}

/// Whether the Nov 2025 truce suspends the April 2025 licensing is disputed (the White
/// House's fact sheet against China's Ministry of Commerce); every truce scenario says which
/// reading it takes.
#[test]
fn truce_scenarios_name_the_dispute_over_april_2025_licensing() {
    for (name, project) in everything_bundled() {
        for scenario in &project.scenarios {
            if !["truce-renewed", "slow-walk", "truce-lapses"].contains(&scenario.id.as_str()) {
                continue;
            }
            for words in ["disputed", "White House", "Ministry of Commerce"] {
                assert!(
                    scenario.notes.contains(words),
                    "{name}/{}: the notes do not name the dispute ({words})",
                    scenario.id
                );
            }
        }
    }
}

/// Prints every preset's figures at the preset's own path count, for reviewing the inputs.
#[test]
#[ignore]
fn print_preset_figures() {
    for (name, project) in loaded_presets() {
        let result = recommend(&project, &RunOptions::default()).expect("runs");
        println!("== {name}: {}", project.name);
        for (material, m) in project.materials.iter().zip(&result.materials) {
            println!(
                "{:<20} level {:.3}  demand {:>11.0} kg/mo  safety {:>10.0}  buffer {:>11.0} [{:.0}, {:.0}]  \
                 recommended {:>11.0} kg = {:>5.0} days ({:.0}% of a year)  on hand {:.0}  gap {:.0}  \
                 P(stockout) {:.2}  holding {:.0}/yr  target met month {:?}  buying ahead saves {:.0}",
                material.id,
                m.service_level,
                m.mean_monthly_demand_kg,
                m.safety_stock_kg,
                m.strategic_buffer_kg,
                m.strategic_buffer_ci95_kg[0],
                m.strategic_buffer_ci95_kg[1],
                m.recommended_stock_kg,
                m.days_of_cover.unwrap_or(f64::NAN),
                100.0 * m.share_of_annual_consumption.unwrap_or(f64::NAN),
                m.on_hand_kg,
                m.gap_kg,
                m.stockout_probability_at_on_hand,
                m.holding_cost_per_year,
                m.buildup.reaches_recommendation_month,
                m.buildup.value_of_buying_ahead,
            );
            println!(
                "    build-up: {} months of lead time, buys {:.0} kg, too late {}, run-out risk \
                 following it {:.2} (median month {:?}); open-ended {}",
                m.buildup.lead_time_months,
                m.buildup.kg_bought,
                m.buildup.too_late(),
                m.buildup.run_out_probability_following_plan,
                m.buildup.run_out_month_median_following_plan,
                m.open_ended,
            );
            for (scenario, s) in project.scenarios.iter().zip(&m.by_scenario) {
                println!(
                    "    {:<18} weight {:.2}  buffer {:>11.0}  mean {:>11.0}  P(stockout) {:.2}  \
                     run out median {:?}, 10% {:?}",
                    scenario.id,
                    s.weight,
                    s.strategic_buffer_kg,
                    s.mean_buffer_kg,
                    s.stockout_probability_at_on_hand,
                    s.run_out_month_median,
                    s.run_out_month_p10,
                );
            }
        }
    }
}
