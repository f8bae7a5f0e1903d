//! The reference-plant-sized project of the performance target: 8 materials,
//! 6 products, 5 scenarios, 60 months, 10,000 paths. Used by `bench`, the exporters'
//! tests and the app's frame-time measurement, so they all measure the same thing.

use crate::project::*;

/// The project, as data. Over 100 lines because it is one literal that reads like
/// the file it stands for; split, one project would be scattered over several functions.
pub fn reference_plant() -> Project {
    const START: YearMonth = YearMonth::of(2026, 12);
    let start = START;
    let month = |offset: i32| start.plus_months(offset);
    let materials: Vec<Material> = [
        ("ndpr_oxide", "NdPr oxide", 75.0, 0.9),
        ("dy_oxide", "Dysprosium oxide", 800.0, 0.98),
        ("tb_oxide", "Terbium oxide", 3000.0, 0.98),
        ("gallium", "Gallium", 700.0, 0.98),
        ("germanium", "Germanium", 3000.0, 0.65),
        ("antimony", "Antimony", 60.0, 0.48),
        ("graphite", "Graphite (battery grade)", 8.0, 0.95),
        ("tungsten", "Tungsten", 45.0, 0.83),
    ]
    .into_iter()
    .enumerate()
    .map(|(index, (id, name, price, exposed))| Material {
        exposed_share: exposed,
        on_hand_kg: 100.0 * (index as f64 + 1.0),
        lead_time_days: 45.0 + 5.0 * index as f64,
        lead_time_sd_days: 10.0,
        max_purchase_kg_per_month: (index % 2 == 0).then_some(2000.0),
        alternatives: if index % 3 == 0 {
            vec![Alternative {
                name: "Non-Chinese refiner".to_owned(),
                capacity_kg_per_month: 100.0,
                qualification_months: 9.0,
                price_premium: 0.35,
                qualification_starts: QualificationStart::AtFirstLoss,
            }]
        } else {
            Vec::new()
        },
        ..Material::new(id, name, price)
    })
    .collect();
    let bom = |entries: &[(&str, f64)]| {
        KgByMaterial(
            entries
                .iter()
                .map(|(id, kg)| ((*id).to_owned(), *kg))
                .collect(),
        )
    };
    let products = vec![
        Product {
            growth_per_year: 0.15,
            demand_cv: 0.15,
            margin_per_unit: 900.0,
            bill_of_materials: bom(&[("ndpr_oxide", 0.9), ("dy_oxide", 0.04), ("tb_oxide", 0.01)]),
            ..Product::new("ev_motor", "EV traction motor", 2000.0)
        },
        Product {
            demand_cv: 0.25,
            end_use: EndUse::Military,
            margin_per_unit: 2500.0,
            bill_of_materials: bom(&[("ndpr_oxide", 0.3), ("dy_oxide", 0.02), ("tungsten", 1.5)]),
            ..Product::new("actuator", "Guidance actuator", 150.0)
        },
        Product {
            growth_per_year: 0.08,
            demand_cv: 0.2,
            end_use: EndUse::Dual,
            margin_per_unit: 4000.0,
            bill_of_materials: bom(&[("gallium", 0.05), ("germanium", 0.02)]),
            ..Product::new("radar_module", "GaN radar module", 400.0)
        },
        Product {
            demand_cv: 0.1,
            margin_per_unit: 120.0,
            bill_of_materials: bom(&[("gallium", 0.001), ("germanium", 0.0005)]),
            ..Product::new("power_device", "GaN power device", 50_000.0)
        },
        Product {
            growth_per_year: 0.25,
            demand_cv: 0.12,
            margin_per_unit: 1500.0,
            bill_of_materials: bom(&[("graphite", 60.0), ("antimony", 0.1)]),
            ..Product::new("battery_pack", "Battery pack", 1500.0)
        },
        Product {
            demand_cv: 0.3,
            end_use: EndUse::Dual,
            margin_per_unit: 300.0,
            bill_of_materials: bom(&[("antimony", 2.0), ("tungsten", 0.5)]),
            ..Product::new("munition_primer", "Flame-retardant housing", 800.0)
        },
    ];
    let lapse = Event::Once {
        name: "Licensing resumes".to_owned(),
        materials: MaterialSet::All,
        end_uses: EndUses::All,
        start: StartMonth::Uniform(month(0), month(3)),
        duration_months: Dist::Triangular(3.0, 6.0, 12.0),
        supply_cut: Dist::Uniform(0.4, 0.6),
        licence_delay_days: Dist::Fixed(45.0),
        price_multiplier: 2.0,
        probability: 1.0,
    };
    let embargo = Event::Once {
        name: "Export stop".to_owned(),
        start: StartMonth::Uniform(month(1), month(6)),
        duration_months: Dist::Triangular(6.0, 12.0, 24.0),
        supply_cut: Dist::Uniform(0.8, 1.0),
        licence_delay_days: Dist::Fixed(45.0),
        materials: MaterialSet::All,
        end_uses: EndUses::All,
        price_multiplier: 5.0,
        probability: 0.8,
    };
    let refusals = Event::Once {
        name: "Military end-use refusals".to_owned(),
        end_uses: EndUses::MilitaryOnly,
        start: StartMonth::Fixed(month(-12)),
        duration_months: Dist::Fixed(120.0),
        supply_cut: Dist::Fixed(1.0),
        licence_delay_days: Dist::Fixed(0.0),
        price_multiplier: 1.0,
        materials: MaterialSet::All,
        probability: 1.0,
    };
    let slow_walk = Event::Recurring {
        name: "Licence slow-walk".to_owned(),
        materials: MaterialSet::Only(vec![
            "dy_oxide".to_owned(),
            "tb_oxide".to_owned(),
            "gallium".to_owned(),
        ]),
        end_uses: EndUses::All,
        mean_months_between: 8.0,
        mean_duration_months: 2.0,
        supply_cut: Dist::Uniform(0.5, 0.8),
    };
    let scenario = |id: &str, name: &str, probability: f64, events: Vec<Event>| Scenario {
        id: id.to_owned(),
        name: name.to_owned(),
        probability,
        description: String::new(),
        notes: String::new(),
        events,
    };
    Project {
        format_version: CURRENT_FORMAT_VERSION,
        name: "Reference plant".to_owned(),
        description: "The performance reference: 8 materials, 6 products, 5 scenarios, 60 months."
            .to_owned(),
        start,
        horizon_months: 60,
        currency: "USD".to_owned(),
        service_level: ServiceLevel::Fixed(0.95),
        paths: 10_000,
        seed: 42,
        shortage_cost_per_kg: None,
        rebuild_after_disruption: false,
        materials,
        products,
        scenarios: vec![
            scenario("renewed", "Truce renewed", 0.4, Vec::new()),
            scenario("lapse", "Truce lapses", 0.3, vec![lapse, refusals.clone()]),
            scenario("embargo", "Embargo", 0.1, vec![embargo, refusals.clone()]),
            scenario("refusals", "Military refusals only", 0.1, vec![refusals]),
            scenario("slow_walk", "Slow-walked licences", 0.1, vec![slow_walk]),
        ],
        saved_results: None,
    }
}

/// The reference plant in format 2's model: the stock is rebuilt after a disruption,
/// at a purchase cap on every material (2,000 kg a month, about the plant's largest
/// monthly consumption). `bench --format 2` and `tests/fixtures/reference-plant-format2.ron`.
pub fn reference_plant_format2() -> Project {
    let mut project = reference_plant();
    project.name = "Reference plant (format 2)".to_owned();
    project.rebuild_after_disruption = true;
    for material in &mut project.materials {
        material.max_purchase_kg_per_month = Some(2000.0);
    }
    project
}
