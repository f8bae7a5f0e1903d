//! A validated project compiled for simulation: ids resolved to indices, months
//! to month indices, scenario weights normalised, per-month growth precomputed.

use crate::project::{
    Dist, EndUse, EndUses, Event, Material, MaterialSet, Product, Project, QualificationStart,
    Scenario, ServiceLevel, StartMonth, YearMonth, validate,
};

use super::rng::{LogNormalNoise, hash_str};

/// Overrides for one run (the command line's `--paths`, `--seed`, `--service-level`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunOptions {
    pub paths: Option<u32>,
    pub seed: Option<u64>,
    pub service_level: Option<ServiceLevel>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("the project is not valid: {0}")]
    Invalid(String),
}

/// Demand is grouped by end-use class because availability depends only on it;
/// direct demand counts as civil.
pub const END_USE_CLASSES: [EndUse; 3] = [EndUse::Civil, EndUse::Military, EndUse::Dual];

pub fn class_index(end_use: EndUse) -> usize {
    match end_use {
        EndUse::Civil => 0,
        EndUse::Military => 1,
        EndUse::Dual => 2,
    }
}

#[derive(Clone, Debug)]
pub struct Model {
    pub start: YearMonth,
    pub horizon_months: usize,
    pub paths: usize,
    pub seed: u64,
    pub service_level: ServiceLevel,
    pub shortage_cost_per_kg: Option<f64>,
    /// Whether the strategic stock is refilled after a disruption (MODEL.md).
    pub rebuild_after_disruption: bool,
    pub materials: Vec<MaterialModel>,
    pub products: Vec<ProductModel>,
    pub scenarios: Vec<ScenarioModel>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MaterialModel {
    pub price_per_kg: f64,
    pub carrying_cost_per_year: f64,
    pub on_hand_kg: f64,
    pub exposed_share: f64,
    pub lead_time_months: f64,
    pub lead_time_sd_months: f64,
    pub max_purchase_kg_per_month: Option<f64>,
    /// `l = ceil(lead_time_days / 30 - 1e-9)`: whole months for an extra purchase
    /// (a rebuild or a build-up order) to arrive.
    pub purchase_lead_months: usize,
    pub direct_kg_per_month: f64,
    /// Cheapest premium first: shortfalls are filled from the cheapest source.
    pub alternatives: Vec<AlternativeModel>,
    /// (product index, kg per unit) for every product with a positive content.
    pub users: Vec<(usize, f64)>,
    /// The same per end-use class (`END_USE_CLASSES`): (index in `users`, product, kg per unit).
    pub users_by_class: [Vec<(usize, usize, f64)>; 3],
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlternativeModel {
    pub capacity_kg_per_month: f64,
    pub qualification_months: f64,
    pub price_premium: f64,
    pub qualification_starts: QualificationStart,
}

impl AlternativeModel {
    /// The month from which the alternative delivers, on a path whose first loss of
    /// the material starts at `first_loss` (MODEL.md: `s_i + q_i`).
    pub fn qualified_from(&self, first_loss: f64) -> f64 {
        let start = match self.qualification_starts {
            QualificationStart::AtFirstLoss => first_loss,
            QualificationStart::AtPlanStart => first_loss.min(0.0),
        };
        start + self.qualification_months
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProductModel {
    /// Keys this product's demand noise stream (from its id, so reordering changes nothing).
    pub noise_key: u64,
    pub units_per_month: f64,
    pub demand_cv: f64,
    pub noise: LogNormalNoise,
    pub end_use: EndUse,
    pub margin_per_unit: f64,
    /// The expected units built in each month of the horizon:
    /// `units_per_month * (1 + growth)^(t/12)`.
    pub expected_units: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct ScenarioModel {
    /// Normalised probability weight.
    pub weight: f64,
    pub events: Vec<EventModel>,
}

#[derive(Clone, Debug)]
pub struct EventModel {
    /// Keys the event's stream: its name (and how many same-named events precede it),
    /// so an identically named event sees the same draws in every scenario.
    pub draw_key: u64,
    /// Per material: whether the event hits it.
    pub hits_material: Vec<bool>,
    pub end_uses: EndUses,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    Once {
        /// Start month indices, `from..=to` (equal for a fixed start).
        start_from: i32,
        start_to: i32,
        duration_months: Dist,
        supply_cut: Dist,
        licence_delay_days: Dist,
        price_multiplier: f64,
        probability: f64,
    },
    Recurring {
        mean_months_between: f64,
        mean_duration_months: f64,
        supply_cut: Dist,
    },
}

impl EventModel {
    /// The months `0..reach` in which the event can remove supply on some path.
    pub fn reach_months(&self, horizon: usize) -> usize {
        match &self.kind {
            EventKind::Once {
                start_to,
                duration_months,
                supply_cut,
                licence_delay_days,
                probability,
                ..
            } => {
                let removes = supply_cut.bounds().1 > 0.0 || licence_delay_days.bounds().1 > 0.0;
                if *probability <= 0.0 || !removes {
                    return 0;
                }
                let end = f64::from(*start_to) + duration_months.bounds().1;
                end.ceil().clamp(0.0, horizon as f64) as usize
            }
            EventKind::Recurring { supply_cut, .. } => {
                if supply_cut.bounds().1 > 0.0 {
                    horizon
                } else {
                    0
                }
            }
        }
    }
}

impl ProductModel {
    fn compile(p: &Product, horizon: usize) -> Self {
        ProductModel {
            noise_key: hash_str(&p.id),
            units_per_month: p.units_per_month,
            demand_cv: p.demand_cv,
            noise: LogNormalNoise::with_cv(p.demand_cv),
            end_use: p.end_use,
            margin_per_unit: p.margin_per_unit,
            expected_units: (0..horizon)
                .map(|t| p.units_per_month * (1.0 + p.growth_per_year).powf(t as f64 / 12.0))
                .collect(),
        }
    }
}

impl MaterialModel {
    /// Material `m` with its users (the products whose bill of materials uses it) and
    /// its alternatives, cheapest first.
    fn compile(project: &Project, m: &Material) -> Self {
        let users: Vec<(usize, f64)> = project
            .products
            .iter()
            .enumerate()
            .filter_map(|(index, p)| {
                p.bill_of_materials
                    .kg_per_unit(&m.id)
                    .filter(|kg| *kg > 0.0)
                    .map(|kg| (index, kg))
            })
            .collect();
        let mut alternatives: Vec<AlternativeModel> = m
            .alternatives
            .iter()
            .map(|a| AlternativeModel {
                capacity_kg_per_month: a.capacity_kg_per_month,
                qualification_months: a.qualification_months,
                price_premium: a.price_premium,
                qualification_starts: a.qualification_starts,
            })
            .collect();
        alternatives.sort_by(|a, b| a.price_premium.total_cmp(&b.price_premium));
        let users_by_class = std::array::from_fn(|class| {
            users
                .iter()
                .enumerate()
                .filter(|(_, (p, _))| class_index(project.products[*p].end_use) == class)
                .map(|(u, &(p, kg))| (u, p, kg))
                .collect()
        });
        MaterialModel {
            price_per_kg: m.price_per_kg,
            carrying_cost_per_year: m.carrying_cost_per_year,
            on_hand_kg: m.on_hand_kg,
            exposed_share: m.exposed_share,
            lead_time_months: m.lead_time_days / 30.0,
            lead_time_sd_months: m.lead_time_sd_days / 30.0,
            max_purchase_kg_per_month: m.max_purchase_kg_per_month,
            purchase_lead_months: whole_months(m.lead_time_days),
            direct_kg_per_month: m.direct_kg_per_month,
            alternatives,
            users,
            users_by_class,
        }
    }
}

impl EventModel {
    /// Event `index` of `scenario`: its draws are keyed by its name and which
    /// occurrence of the name it is, so reordering events keeps every path's draws.
    fn compile(project: &Project, scenario: &Scenario, index: usize) -> Self {
        let event = &scenario.events[index];
        let material_index = |id: &str| project.materials.iter().position(|m| m.id == id);
        let same_name_before = scenario.events[..index]
            .iter()
            .filter(|e| e.name() == event.name())
            .count() as u64;
        let hits_material = project
            .materials
            .iter()
            .map(|m| match event.materials() {
                MaterialSet::All => true,
                MaterialSet::Only(ids) => ids
                    .iter()
                    .any(|id| material_index(id).is_some() && *id == m.id),
            })
            .collect();
        EventModel {
            draw_key: hash_str(event.name()) ^ same_name_before.wrapping_mul(0x9E37),
            hits_material,
            end_uses: event.end_uses(),
            kind: event_kind(event, project.start),
        }
    }
}

impl Model {
    /// Compiles a project; refuses one that does not validate.
    pub fn new(project: &Project, options: &RunOptions) -> Result<Model, ModelError> {
        let mut effective = project.clone();
        if let Some(paths) = options.paths {
            effective.paths = paths;
        }
        if let Some(seed) = options.seed {
            effective.seed = seed;
        }
        if let Some(level) = options.service_level {
            effective.service_level = level;
        }
        let validation = validate(&effective);
        if let Some(first) = validation.errors().next() {
            let count = validation.errors().count();
            let more = if count > 1 {
                format!(" (and {} more)", count - 1)
            } else {
                String::new()
            };
            return Err(ModelError::Invalid(format!("{}{more}", first.message)));
        }
        Ok(Self::compile(&effective))
    }

    fn compile(project: &Project) -> Model {
        let horizon = project.horizon_months as usize;
        let weight_sum: f64 = project.scenarios.iter().map(|s| s.probability).sum();
        Model {
            start: project.start,
            horizon_months: horizon,
            paths: project.paths as usize,
            seed: project.seed,
            service_level: project.service_level,
            shortage_cost_per_kg: project.shortage_cost_per_kg,
            rebuild_after_disruption: project.rebuild_after_disruption,
            materials: project
                .materials
                .iter()
                .map(|m| MaterialModel::compile(project, m))
                .collect(),
            products: project
                .products
                .iter()
                .map(|p| ProductModel::compile(p, horizon))
                .collect(),
            scenarios: project
                .scenarios
                .iter()
                .map(|s| ScenarioModel {
                    weight: s.probability / weight_sum,
                    events: (0..s.events.len())
                        .map(|index| EventModel::compile(project, s, index))
                        .collect(),
                })
                .collect(),
        }
    }

    pub fn month(&self, index: usize) -> YearMonth {
        self.start.plus_months(index as i32)
    }
}

/// A lead time in days as whole months, rounded up (30-day months; a lead time of an
/// exact number of months is that many, whatever the rounding of the division).
pub fn whole_months(days: f64) -> usize {
    // Clamped: a lead time longer than any horizon means nothing ever arrives.
    (days / 30.0 - 1e-9).ceil().clamp(0.0, 1e6) as usize
}

fn event_kind(event: &Event, start: YearMonth) -> EventKind {
    match event {
        Event::Once {
            start: event_start,
            duration_months,
            supply_cut,
            licence_delay_days,
            price_multiplier,
            probability,
            ..
        } => {
            let (from, to) = match *event_start {
                StartMonth::Fixed(month) => (month, month),
                StartMonth::Uniform(from, to) => (from, to),
            };
            EventKind::Once {
                start_from: start.months_until(from),
                start_to: start.months_until(to),
                duration_months: *duration_months,
                supply_cut: *supply_cut,
                licence_delay_days: *licence_delay_days,
                price_multiplier: *price_multiplier,
                probability: *probability,
            }
        }
        Event::Recurring {
            mean_months_between,
            mean_duration_months,
            supply_cut,
            ..
        } => EventKind::Recurring {
            mean_months_between: *mean_months_between,
            mean_duration_months: *mean_duration_months,
            supply_cut: *supply_cut,
        },
    }
}
