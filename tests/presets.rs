//! The bundled presets and the catalogue: they load cleanly, survive a save round trip,
//! are well-formed starting projects, and give plausible recommendations.
//!
//! `cargo test --test presets -- --ignored --nocapture` prints every preset's figures.

use std::collections::HashMap;

use stockpile_planner::engine::{RunOptions, recommend};
use stockpile_planner::presets::{self, PRESETS};
use stockpile_planner::project::{
    Dist, EndUse, EndUses, Event, MaterialSet, Project, ServiceLevel, StartMonth, parse,
    to_ron_string,
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
fn save_and_parse_again_gives_the_same_project() {
    let mut projects = loaded_presets();
    projects.push(("catalogue", loaded_catalogue()));
    for (name, project) in projects {
        let text = to_ron_string(&project).unwrap_or_else(|e| panic!("{name}: cannot save: {e}"));
        let again =
            parse(&text, "x").unwrap_or_else(|e| panic!("{name}: saved text does not parse:\n{e}"));
        assert_eq!(
            again, project,
            "{name}: load -> save -> parse changed the project"
        );
    }
}

#[test]
fn presets_are_well_formed_starting_projects() {
    for (name, project) in loaded_presets() {
        assert_eq!(project.format_version, 1, "{name}");
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
        for id in ["truce-renewed", "truce-lapses", "embargo"] {
            assert!(ids.contains(&id), "{name}: no scenario {id}");
        }
        for scenario in &project.scenarios {
            assert!(
                !scenario.description.trim().is_empty(),
                "{name}/{}: no description",
                scenario.id
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
            let unsourced = ["graphite", "tungsten", "sm_"]
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
    let checks: [(&str, bool); 17] = [
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
    ];
    for (feature, used) in checks {
        assert!(used, "no preset uses {feature}");
    }
}

#[test]
fn catalogue_offers_sourced_materials_and_the_scenario_templates() {
    let catalogue = loaded_catalogue();
    assert_eq!(catalogue.format_version, 1);
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
            // Public stockpiles aim at 60-180 days; a scenario-driven plan may go beyond,
            // but neither a few days nor years of consumption would be a sensible start.
            let days = figures.days_of_cover.expect("every material has demand");
            assert!(
                (30.0..=400.0).contains(&days),
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
