//! Fuzzes the engine with valid projects built from the input bytes: every real is
//! drawn from the extremes the format accepts (0, 1e-12, 1e12, and values between),
//! with `Auto` and fixed service levels, `Once` and `Recurring` events. Whatever
//! validates must run without a panic, give finite figures, and chart.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockpile_planner::engine::{RunOptions, recommend};
use stockpile_planner::export::{ChartKind, ChartSelection, chart_svg_string};
use stockpile_planner::project::{
    Dist, Event, KgByMaterial, Material, Product, Project, Scenario, ServiceLevel, StartMonth,
    YearMonth, validate,
};

/// The reals the fuzzer picks from: the format's ends, round values and awkward ones.
const VALUES: [f64; 12] = [
    0.0, 1e-12, 3.7e-9, 1e-3, 0.1, 0.5, 1.0, 7.25, 1e3, 4.2e6, 1e9, 1e12,
];

/// Reads choices from the input; past its end every choice is 0.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&first, rest)) => {
                self.0 = rest;
                first
            }
            None => 0,
        }
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    fn real(&mut self) -> f64 {
        VALUES[self.below(VALUES.len())]
    }

    fn share(&mut self) -> f64 {
        self.real().min(1.0)
    }

    fn dist(&mut self, share: bool) -> Dist {
        let mut pick = || if share { self.share() } else { self.real() };
        let (a, b, c) = (pick(), pick(), pick());
        let mut sorted = [a, b, c];
        sorted.sort_by(f64::total_cmp);
        match self.below(3) {
            0 => Dist::Fixed(a),
            1 => Dist::Uniform(sorted[0], sorted[2]),
            _ => Dist::Triangular(sorted[0], sorted[1], sorted[2]),
        }
    }
}

fn project(input: &mut Input) -> Project {
    let start = YearMonth::new(2026, 1).expect("a month");
    let horizon_months = [1, 12, 60, 240][input.below(4)];
    let materials: Vec<Material> = (0..1 + input.below(3))
        .map(|i| {
            let mut m = Material::new(format!("m{i}"), format!("M{i}"), input.real());
            m.carrying_cost_per_year = input.real();
            m.on_hand_kg = input.real();
            m.exposed_share = input.share();
            m.lead_time_days = input.real();
            m.lead_time_sd_days = input.real();
            m.direct_kg_per_month = input.real();
            if input.below(2) == 0 {
                m.max_purchase_kg_per_month = Some(input.real());
            }
            m
        })
        .collect();
    let products: Vec<Product> = (0..input.below(3))
        .map(|i| {
            let mut p = Product::new(format!("p{i}"), format!("P{i}"), input.real());
            p.growth_per_year = [0.0, -0.5, 0.1, 10.0][input.below(4)];
            p.demand_cv = input.real();
            p.margin_per_unit = input.real();
            p.bill_of_materials = KgByMaterial(
                materials
                    .iter()
                    .map(|m| (m.id.clone(), input.real()))
                    .collect(),
            );
            p
        })
        .collect();
    let scenarios: Vec<Scenario> = (0..1 + input.below(2))
        .map(|i| {
            let events = (0..input.below(4))
                .map(|e| {
                    if input.below(2) == 0 {
                        Event::Once {
                            name: format!("E{e}"),
                            materials: Default::default(),
                            end_uses: Default::default(),
                            start: StartMonth::Fixed(start.plus_months(input.below(24) as i32)),
                            duration_months: input.dist(false),
                            supply_cut: input.dist(true),
                            licence_delay_days: input.dist(false),
                            price_multiplier: input.real(),
                            probability: input.share(),
                        }
                    } else {
                        Event::Recurring {
                            name: format!("R{e}"),
                            materials: Default::default(),
                            end_uses: Default::default(),
                            mean_months_between: input.real().max(0.1),
                            mean_duration_months: input.real().max(0.1),
                            supply_cut: input.dist(true),
                        }
                    }
                })
                .collect();
            Scenario {
                id: format!("s{i}"),
                name: format!("S{i}"),
                probability: input.real(),
                description: String::new(),
                notes: String::new(),
                events,
            }
        })
        .collect();
    Project {
        format_version: stockpile_planner::project::CURRENT_FORMAT_VERSION,
        name: "fuzz".to_owned(),
        description: String::new(),
        start,
        horizon_months,
        currency: "USD".to_owned(),
        service_level: if input.below(2) == 0 {
            ServiceLevel::Auto
        } else {
            ServiceLevel::Fixed([0.5, 0.95, 0.999][input.below(3)])
        },
        paths: 100,
        seed: u64::from(input.byte()),
        shortage_cost_per_kg: (input.below(2) == 0).then(|| input.real()),
        rebuild_after_disruption: input.below(2) == 0,
        materials,
        products,
        scenarios,
        saved_results: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let project = project(&mut Input(data));
    if !validate(&project).is_valid() {
        return;
    }
    let rec = recommend(&project, &RunOptions::default()).expect("a valid project runs");
    for m in &rec.materials {
        assert!(m.recommended_stock_kg.is_finite(), "{m:?}");
        assert!(m.strategic_buffer_kg.is_finite(), "{m:?}");
        assert!(m.costs.critical_ratio.is_finite(), "{m:?}");
    }
    for kind in [ChartKind::Target, ChartKind::Cost, ChartKind::Buildup] {
        chart_svg_string(&project, &rec, &ChartSelection::all(kind)).expect("a chart draws");
    }
});
