//! What drives the stockpile (MODEL.md "sensitivity"): every input set to a low and a
//! high value, everything else as in the project, on common random numbers (the same
//! seed and paths), so a bar is the input's effect and not noise.
//!
//! Three things keep it fast without changing a figure: an input is evaluated only for
//! the materials it touches; the events and the demand noise are drawn once and
//! reused by every variant whose events (or products' variability) are unchanged;
//! and an input that cannot change the simulated drawdowns (a weight, the service
//! level, a price under `Auto`, the lead-time spread) re-reads the base run's month-0
//! samples instead of simulating.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::project::{
    Dist, Event, Material, MaterialSet, Product, Project, ServiceLevel, StartMonth,
};

use super::model::{Model, RunOptions};
use super::noise::DemandNoise;
use super::recommend;
use super::simulate::{self, Cancelled, Levels, RealisedEvents, RunControl, Workspace};
use super::stats::{Samples, mixture_quantile};

/// What kind of item an input belongs to (CLI.md `item_kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Project,
    Scenario,
    Material,
    Product,
    Event,
    Alternative,
}

impl ItemKind {
    pub fn key(self) -> &'static str {
        match self {
            ItemKind::Project => "project",
            ItemKind::Scenario => "scenario",
            ItemKind::Material => "material",
            ItemKind::Product => "product",
            ItemKind::Event => "event",
            ItemKind::Alternative => "alternative",
        }
    }
}

/// An input's low or high value as the file writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum InputValue {
    Number(f64),
    /// A distribution or a start month, in RON.
    Text(String),
}

impl std::fmt::Display for InputValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputValue::Number(x) => write!(
                f,
                "{}",
                crate::units::thousands(*x, 3)
                    .trim_end_matches('0')
                    .trim_end_matches('.')
            ),
            InputValue::Text(text) => f.write_str(text),
        }
    }
}

/// One input of MODEL.md's list, with its two settings.
pub struct Input {
    pub item_kind: ItemKind,
    /// The id (`project` for a project setting; `SCENARIO/EVENT` for an event,
    /// `MATERIAL/ALTERNATIVE` for an alternative, `#k` for a repeated name).
    pub item: String,
    /// The file's field name.
    pub field: &'static str,
    /// Words for a person: "Exposed share of NdPr oxide".
    pub label: String,
    pub low: InputValue,
    pub high: InputValue,
    /// The materials (indices) whose figures the input can change.
    touches: Vec<usize>,
    how: Evaluation,
    low_project: Project,
    high_project: Project,
}

/// How a variant's figures are obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evaluation {
    /// The drawdowns do not change: the base month-0 samples at the variant's
    /// service level, weights and safety stock.
    Samples,
    /// Simulated on the base run's events and demand noise.
    Simulate,
    /// Simulated with the events drawn again (the events changed).
    RedrawEvents,
    /// Simulated with the demand noise drawn again (a product's cv changed).
    RedrawNoise,
}

/// A bar of one material's tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Index into `Sensitivity::inputs`.
    pub input: usize,
    pub recommended_low_kg: f64,
    pub recommended_high_kg: f64,
}

impl Bar {
    pub fn swing_kg(&self) -> f64 {
        (self.recommended_high_kg - self.recommended_low_kg).abs()
    }
}

pub struct MaterialSensitivity {
    /// Month-0 recommended stock of the project as it is.
    pub recommended_stock_kg: f64,
    /// Ranked by swing, largest first (ties in the inputs' order).
    pub bars: Vec<Bar>,
}

pub struct Sensitivity {
    pub paths: usize,
    pub seed: u64,
    pub inputs: Vec<Input>,
    /// In project order.
    pub materials: Vec<MaterialSensitivity>,
}

/// The paths a sensitivity run uses unless told otherwise: common random numbers make
/// each bar the input's own effect, so fewer paths than a recommendation needs give
/// the ranking (MODEL.md's figures at the project's paths are `recommend`'s).
pub const DEFAULT_SENSITIVITY_PATHS: u32 = 2_000;

/// Runs every input low and high (`options` as for `recommend`; `only` limits the
/// figures to one material).
pub fn sensitivity(
    project: &Project,
    options: &RunOptions,
    only: Option<usize>,
    control: &RunControl,
) -> Result<Sensitivity, SensitivityError> {
    let base_model = Model::new(project, options)?;
    let mut effective = project.clone();
    effective.paths = base_model.paths as u32;
    effective.seed = base_model.seed;
    effective.service_level = base_model.service_level;
    let mut inputs = list_inputs(&effective);
    if let Some(material) = only {
        inputs.retain(|input| input.touches.contains(&material));
    }
    let wanted = |m: usize| only.is_none_or(|only| only == m);
    let events = RealisedEvents::draw(&base_model);
    let noise = DemandNoise::draw(&base_model);
    let mut workspace = Workspace::default();
    let materials = base_model.materials.len();
    let base_samples: Vec<Option<Vec<Samples>>> = (0..materials)
        .map(|m| {
            wanted(m)
                .then(|| month0_samples(&base_model, m, &events, &noise, &mut workspace, control))
                .transpose()
        })
        .collect::<Result<_, _>>()?;
    let base: Vec<f64> = base_samples
        .iter()
        .enumerate()
        .map(|(m, samples)| {
            samples
                .as_ref()
                .map_or(0.0, |s| recommended_kg(&base_model, m, s))
        })
        .collect();
    let mut bars: Vec<Vec<Bar>> = vec![Vec::new(); materials];
    for (index, input) in inputs.iter().enumerate() {
        if control.cancel.load(Ordering::Relaxed) {
            return Err(SensitivityError::Cancelled);
        }
        let touched: Vec<usize> = input
            .touches
            .iter()
            .copied()
            .filter(|&m| wanted(m))
            .collect();
        let low = evaluate(
            input,
            &input.low_project,
            &touched,
            &base_samples,
            &events,
            &noise,
            &mut workspace,
            control,
        )?;
        let high = evaluate(
            input,
            &input.high_project,
            &touched,
            &base_samples,
            &events,
            &noise,
            &mut workspace,
            control,
        )?;
        for ((&m, low_kg), high_kg) in touched.iter().zip(low).zip(high) {
            if low_kg != base[m] || high_kg != base[m] {
                bars[m].push(Bar {
                    input: index,
                    recommended_low_kg: low_kg,
                    recommended_high_kg: high_kg,
                });
            }
        }
        (control.progress)((index + 1) as f32 / inputs.len() as f32);
    }
    let materials = bars
        .into_iter()
        .zip(base)
        .map(|(mut bars, recommended_stock_kg)| {
            // Stable: equal swings keep the inputs' order.
            bars.sort_by(|a, b| b.swing_kg().total_cmp(&a.swing_kg()));
            MaterialSensitivity {
                recommended_stock_kg,
                bars,
            }
        })
        .collect();
    Ok(Sensitivity {
        paths: base_model.paths,
        seed: base_model.seed,
        inputs,
        materials,
    })
}

/// A sensitivity run fails as any run does: invalid, or cancelled.
pub type SensitivityError = super::RunError;

/// The month-0 recommended stock of each touched material under a variant.
#[allow(clippy::too_many_arguments)]
fn evaluate(
    input: &Input,
    variant: &Project,
    touched: &[usize],
    base_samples: &[Option<Vec<Samples>>],
    events: &RealisedEvents,
    noise: &DemandNoise,
    workspace: &mut Workspace,
    control: &RunControl,
) -> Result<Vec<f64>, SensitivityError> {
    if touched.is_empty() {
        return Ok(Vec::new());
    }
    // The variants stay within the file's bounds by construction; validation still
    // runs (`Model::new`), so a bound missed here is an error, not a wrong figure.
    let model = Model::new(variant, &RunOptions::default())?;
    let redrawn_events;
    let redrawn_noise;
    let (events, noise) = match input.how {
        Evaluation::Samples => {
            return Ok(touched
                .iter()
                .map(|&m| match &base_samples[m] {
                    Some(samples) => recommended_kg(&model, m, samples),
                    None => 0.0,
                })
                .collect());
        }
        Evaluation::Simulate => (events, noise),
        Evaluation::RedrawEvents => {
            redrawn_events = RealisedEvents::draw(&model);
            (&redrawn_events, noise)
        }
        Evaluation::RedrawNoise => {
            redrawn_noise = DemandNoise::draw(&model);
            (events, &redrawn_noise)
        }
    };
    touched
        .iter()
        .map(|&m| {
            let samples = month0_samples(&model, m, events, noise, workspace, control)?;
            Ok(recommended_kg(&model, m, &samples))
        })
        .collect()
}

/// One material's month-0 samples of `M`, per scenario.
fn month0_samples(
    model: &Model,
    material: usize,
    events: &RealisedEvents,
    noise: &DemandNoise,
    workspace: &mut Workspace,
    control: &RunControl,
) -> Result<Vec<Samples>, Cancelled> {
    let setup = recommend::setup(model, material);
    let mixture = [setup.service_level];
    let levels = Levels {
        scenario: setup.service_level,
        mixture: &mixture,
    };
    // Progress is the inputs done, reported by the caller.
    let quiet = RunControl {
        cancel: control.cancel,
        progress: &|_| {},
    };
    let run = simulate::simulate_material(
        model,
        material,
        events,
        noise,
        setup.strategic_on_hand_kg,
        &levels,
        workspace,
        &quiet,
        &AtomicUsize::new(0),
        1,
    )?;
    Ok(run.scenarios.into_iter().map(|s| s.month0).collect())
}

/// Safety stock plus the blended month-0 buffer, from the samples.
fn recommended_kg(model: &Model, material: usize, samples: &[Samples]) -> f64 {
    let setup = recommend::setup(model, material);
    let scenarios: Vec<&Samples> = samples.iter().collect();
    let weights: Vec<f64> = model.scenarios.iter().map(|s| s.weight).collect();
    setup.safety_stock_kg + mixture_quantile(&scenarios, &weights, setup.service_level)
}

// ---------------------------------------------------------------- the inputs

/// Builds the inputs of MODEL.md's list, in its order, then the file's.
struct Builder<'a> {
    project: &'a Project,
    inputs: Vec<Input>,
}

/// Where an input belongs and what it can change.
struct About {
    item_kind: ItemKind,
    item: String,
    field: &'static str,
    label: String,
    touches: Vec<usize>,
    how: Evaluation,
}

impl Builder<'_> {
    /// An input whose low and high settings are `value(false)` and `value(true)`,
    /// written into a copy of the project by `set`. Dropped when neither setting
    /// changes the project (a zero scaled stays zero).
    fn push<T: serde::Serialize>(
        &mut self,
        about: About,
        value: impl Fn(bool) -> T,
        shown: impl Fn(&T) -> InputValue,
        set: impl Fn(&mut Project, T),
    ) {
        let variant = |high: bool| {
            let mut project = self.project.clone();
            set(&mut project, value(high));
            project
        };
        let (low_project, high_project) = (variant(false), variant(true));
        if low_project == *self.project && high_project == *self.project {
            return;
        }
        self.inputs.push(Input {
            item_kind: about.item_kind,
            item: about.item,
            field: about.field,
            label: about.label,
            low: shown(&value(false)),
            high: shown(&value(true)),
            touches: about.touches,
            how: about.how,
            low_project,
            high_project,
        });
    }

    fn number(
        &mut self,
        about: About,
        value: impl Fn(bool) -> f64,
        set: impl Fn(&mut Project, f64),
    ) {
        self.push(about, value, |x| number(*x), set);
    }

    fn text<T: serde::Serialize>(
        &mut self,
        about: About,
        value: impl Fn(bool) -> T,
        set: impl Fn(&mut Project, T),
    ) {
        self.push(about, value, ron_text, set);
    }
}

/// `x` scaled by the low or the high factor.
fn scaled(x: f64, (low, high): (f64, f64)) -> impl Fn(bool) -> f64 {
    move |is_high| tidy(x * if is_high { high } else { low })
}

fn number(x: f64) -> InputValue {
    InputValue::Number(x)
}

fn ron_text<T: serde::Serialize>(value: &T) -> InputValue {
    InputValue::Text(ron::to_string(value).unwrap_or_default())
}

/// A scaled value to 12 significant digits: `0.4 x 0.75` is the 0.3 a person would
/// write, not 0.30000000000000004 (the difference is far below any input's precision).
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// Scales a distribution's every parameter, clamping each after scaling.
fn scale_dist(dist: Dist, factor: f64, low: f64, high: f64) -> Dist {
    let f = |x: f64| tidy(x * factor).clamp(low, high);
    match dist {
        Dist::Fixed(x) => Dist::Fixed(f(x)),
        Dist::Uniform(a, b) => Dist::Uniform(f(a), f(b)),
        Dist::Triangular(a, b, c) => Dist::Triangular(f(a), f(b), f(c)),
    }
}

fn shift_start(start: StartMonth, months: i32) -> StartMonth {
    match start {
        StartMonth::Fixed(m) => StartMonth::Fixed(m.plus_months(months)),
        StartMonth::Uniform(a, b) => {
            StartMonth::Uniform(a.plus_months(months), b.plus_months(months))
        }
    }
}

/// `name`, or `name#k` for the k-th of a repeated name (k >= 2), as CLI.md writes items.
pub fn occurrence_name<'a>(
    names: impl Iterator<Item = &'a str>,
    index: usize,
    name: &str,
) -> String {
    let before = names.take(index).filter(|n| *n == name).count();
    if before == 0 {
        name.to_owned()
    } else {
        format!("{name}#{}", before + 1)
    }
}

/// The setter of one field of event `e` of scenario `s`, for one variant: nothing
/// happens if the event is gone or of the other kind by the time it runs.
macro_rules! set_event {
    ($s:expr, $e:expr, $variant:ident, $field:ident) => {
        move |p: &mut Project, value| {
            if let Some(Event::$variant { $field, .. }) = event_mut(p, $s, $e) {
                *$field = value
            }
        }
    };
}

/// A distribution's low and high values: 25% below and above as entered, within
/// `[min, max]`.
fn quarter_either_way(d: Dist, min: f64, max: f64) -> impl Fn(bool) -> Dist {
    move |high| scale_dist(d, if high { 1.25 } else { 0.75 }, min, max)
}

fn event_mut(project: &mut Project, scenario: usize, event: usize) -> Option<&mut Event> {
    project.scenarios.get_mut(scenario)?.events.get_mut(event)
}

/// The materials a product's bill of materials uses.
fn used_by(project: &Project, product: usize) -> Vec<usize> {
    project
        .materials
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            project.products[product]
                .bill_of_materials
                .kg_per_unit(&m.id)
                .is_some_and(|kg| kg > 0.0)
        })
        .map(|(i, _)| i)
        .collect()
}

fn hit_by(project: &Project, set: &MaterialSet) -> Vec<usize> {
    project
        .materials
        .iter()
        .enumerate()
        .filter(|(_, m)| set.contains(&m.id))
        .map(|(i, _)| i)
        .collect()
}

/// Every input MODEL.md lists, for this project, in its order: the project's settings
/// and scenario weights, then materials, products, events and alternatives.
pub fn list_inputs(project: &Project) -> Vec<Input> {
    let mut b = Builder {
        project,
        inputs: Vec::new(),
    };
    b.project_inputs();
    for (m, material) in project.materials.iter().enumerate() {
        b.material_inputs(m, material);
    }
    // Products: only the materials in their bills of materials.
    for (i, product) in project.products.iter().enumerate() {
        b.product_inputs(i, product);
    }
    // Events: only the materials they hit; their draws change.
    for (s, scenario) in project.scenarios.iter().enumerate() {
        for e in 0..scenario.events.len() {
            b.event_inputs(s, e);
        }
    }
    // Alternatives: only their material.
    for (m, material) in project.materials.iter().enumerate() {
        for a in 0..material.alternatives.len() {
            b.alternative_inputs(m, a);
        }
    }
    b.inputs
}

/// Where an input belongs, what it touches and how it is evaluated.
fn about(
    item_kind: ItemKind,
    item: &str,
    field: &'static str,
    label: String,
    touches: &[usize],
    how: Evaluation,
) -> About {
    About {
        item_kind,
        item: item.to_owned(),
        field,
        label,
        touches: touches.to_vec(),
        how,
    }
}

impl Builder<'_> {
    /// The project's settings and the scenarios' weights (before normalising).
    fn project_inputs(&mut self) {
        let project = self.project;
        let all: Vec<usize> = (0..project.materials.len()).collect();
        let auto = project.service_level == ServiceLevel::Auto;

        if let ServiceLevel::Fixed(level) = project.service_level {
            self.number(
                about(
                    ItemKind::Project,
                    "project",
                    "service_level",
                    "Service level".into(),
                    &all,
                    Evaluation::Samples,
                ),
                |high| tidy(if high { level + 0.025 } else { level - 0.025 }).clamp(0.5, 0.999),
                |p, x| p.service_level = ServiceLevel::Fixed(x),
            );
        }
        if let (true, Some(cost)) = (auto, project.shortage_cost_per_kg) {
            self.number(
                about(
                    ItemKind::Project,
                    "project",
                    "shortage_cost_per_kg",
                    "Shortage cost per kg".into(),
                    &all,
                    Evaluation::Samples,
                ),
                scaled(cost, (0.5, 1.5)),
                |p, x| p.shortage_cost_per_kg = Some(x),
            );
        }
        // Scenarios.
        for (s, scenario) in project.scenarios.iter().enumerate() {
            self.number(
                about(
                    ItemKind::Scenario,
                    &scenario.id,
                    "probability",
                    format!("Weight of \"{}\"", scenario.name),
                    &all,
                    Evaluation::Samples,
                ),
                scaled(scenario.probability, (0.5, 1.5)),
                move |p, x| p.scenarios[s].probability = x,
            );
        }
    }

    fn material_inputs(&mut self, m: usize, material: &Material) {
        let project = self.project;
        let auto = project.service_level == ServiceLevel::Auto;
        // Materials. The lead time sets the safety stock and, with rebuild, when refills
        // arrive; the cap matters to the buffer only through the rebuild.
        let rebuild_how = if project.rebuild_after_disruption {
            Evaluation::Simulate
        } else {
            Evaluation::Samples
        };
        let (id, name) = (material.id.as_str(), &material.name);
        let material_about =
            |field, label, how| about(ItemKind::Material, id, field, label, &[m], how);
        let share = material.exposed_share;
        self.number(
            material_about(
                "exposed_share",
                format!("Exposed share of {name}"),
                Evaluation::Simulate,
            ),
            |high| tidy(if high { share + 0.1 } else { share - 0.1 }).clamp(0.0, 1.0),
            move |p, x| p.materials[m].exposed_share = x,
        );
        self.number(
            material_about(
                "lead_time_days",
                format!("Lead time of {name} (days)"),
                rebuild_how,
            ),
            scaled(material.lead_time_days, (0.5, 1.5)),
            move |p, x| p.materials[m].lead_time_days = x,
        );
        self.number(
            material_about(
                "lead_time_sd_days",
                format!("Lead-time spread of {name} (days)"),
                Evaluation::Samples,
            ),
            scaled(material.lead_time_sd_days, (0.5, 1.5)),
            move |p, x| p.materials[m].lead_time_sd_days = x,
        );
        if let Some(cap) = material.max_purchase_kg_per_month {
            self.number(
                material_about(
                    "max_purchase_kg_per_month",
                    format!("Purchase cap of {name} (kg a month)"),
                    rebuild_how,
                ),
                scaled(cap, (0.5, 1.5)),
                move |p, x| p.materials[m].max_purchase_kg_per_month = Some(x),
            );
        }
        if material.direct_kg_per_month > 0.0 {
            self.number(
                material_about(
                    "direct_kg_per_month",
                    format!("Direct demand for {name} (kg a month)"),
                    Evaluation::Simulate,
                ),
                scaled(material.direct_kg_per_month, (0.8, 1.2)),
                move |p, x| p.materials[m].direct_kg_per_month = x,
            );
        }
        if auto {
            self.number(
                material_about(
                    "price_per_kg",
                    format!("Price of {name} (per kg)"),
                    Evaluation::Samples,
                ),
                scaled(material.price_per_kg, (0.8, 1.2)),
                move |p, x| p.materials[m].price_per_kg = x,
            );
            self.number(
                material_about(
                    "carrying_cost_per_year",
                    format!("Carrying cost of {name} (share of the price a year)"),
                    Evaluation::Samples,
                ),
                scaled(material.carrying_cost_per_year, (0.8, 1.2)),
                move |p, x| p.materials[m].carrying_cost_per_year = x,
            );
        }
    }

    fn product_inputs(&mut self, i: usize, product: &Product) {
        let project = self.project;
        let auto = project.service_level == ServiceLevel::Auto;
        let (id, name) = (product.id.as_str(), &product.name);
        let users = used_by(project, i);
        let product_about =
            |field, label, how| about(ItemKind::Product, id, field, label, &users, how);
        self.number(
            product_about(
                "units_per_month",
                format!("Volume of {name} (units a month)"),
                Evaluation::Simulate,
            ),
            scaled(product.units_per_month, (0.8, 1.2)),
            move |p, x| p.products[i].units_per_month = x,
        );
        let growth = product.growth_per_year;
        self.number(
            product_about(
                "growth_per_year",
                format!("Growth of {name} (a year)"),
                Evaluation::Simulate,
            ),
            |high| {
                if high {
                    tidy(growth + 0.05)
                } else {
                    tidy(growth - 0.05).max(-0.99)
                }
            },
            move |p, x| p.products[i].growth_per_year = x,
        );
        self.number(
            product_about(
                "demand_cv",
                format!("Demand variability of {name} (cv)"),
                Evaluation::RedrawNoise,
            ),
            scaled(product.demand_cv, (0.5, 1.5)),
            move |p, x| p.products[i].demand_cv = x,
        );
        if auto && project.shortage_cost_per_kg.is_none() {
            self.number(
                product_about(
                    "margin_per_unit",
                    format!("Margin per unit of {name}"),
                    Evaluation::Samples,
                ),
                scaled(product.margin_per_unit, (0.5, 1.5)),
                move |p, x| p.products[i].margin_per_unit = x,
            );
        }
    }

    /// Event `e` of scenario `s`, each of its inputs touching the materials it hits.
    fn event_inputs(&mut self, s: usize, e: usize) {
        let project = self.project;
        let scenario = &project.scenarios[s];
        let event = &scenario.events[e];
        let item = format!(
            "{}/{}",
            scenario.id,
            occurrence_name(scenario.events.iter().map(Event::name), e, event.name())
        );
        let hit = hit_by(project, event.materials());
        let what = format!("\"{}\" in \"{}\"", event.name(), scenario.name);
        let event_about = |field, label: String| {
            about(
                ItemKind::Event,
                &item,
                field,
                label,
                &hit,
                Evaluation::RedrawEvents,
            )
        };
        match event {
            Event::Once { .. } => self.once_event_inputs((s, e), event, &what, &event_about),
            Event::Recurring { .. } => {
                self.recurring_event_inputs((s, e), event, &what, &event_about);
            }
        }
    }

    /// A one-off event's duration, cut, licence delay, start and probability.
    fn once_event_inputs(
        &mut self,
        (s, e): (usize, usize),
        event: &Event,
        what: &str,
        event_about: &dyn Fn(&'static str, String) -> About,
    ) {
        let Event::Once {
            start,
            duration_months,
            supply_cut,
            licence_delay_days,
            probability,
            ..
        } = event
        else {
            return;
        };
        let duration = *duration_months;
        self.text(
            event_about("duration_months", format!("Duration of {what} (months)")),
            quarter_either_way(duration, 0.0, f64::MAX),
            set_event!(s, e, Once, duration_months),
        );
        let cut = *supply_cut;
        self.text(
            event_about("supply_cut", format!("Supply cut of {what}")),
            quarter_either_way(cut, 0.0, 1.0),
            set_event!(s, e, Once, supply_cut),
        );
        let delay = *licence_delay_days;
        self.text(
            event_about(
                "licence_delay_days",
                format!("Licence delay of {what} (days)"),
            ),
            quarter_either_way(delay, 0.0, f64::MAX),
            set_event!(s, e, Once, licence_delay_days),
        );
        let start = *start;
        self.text(
            event_about(
                "start",
                format!("Start of {what} (3 months earlier, later)"),
            ),
            |high| shift_start(start, if high { 3 } else { -3 }),
            set_event!(s, e, Once, start),
        );
        let likely = *probability;
        self.number(
            event_about("probability", format!("Probability of {what}")),
            move |high| scaled(likely, (0.5, 1.5))(high).clamp(0.0, 1.0),
            set_event!(s, e, Once, probability),
        );
    }

    /// A recurring event's mean outage, mean time between outages and cut.
    fn recurring_event_inputs(
        &mut self,
        (s, e): (usize, usize),
        event: &Event,
        what: &str,
        event_about: &dyn Fn(&'static str, String) -> About,
    ) {
        let Event::Recurring {
            mean_months_between,
            mean_duration_months,
            supply_cut,
            ..
        } = event
        else {
            return;
        };
        let outage = *mean_duration_months;
        self.number(
            event_about(
                "mean_duration_months",
                format!("Mean outage of {what} (months)"),
            ),
            move |high| scaled(outage, (0.75, 1.25))(high).max(0.1),
            set_event!(s, e, Recurring, mean_duration_months),
        );
        let between = *mean_months_between;
        self.number(
            event_about(
                "mean_months_between",
                format!("Mean time between outages of {what} (months)"),
            ),
            move |high| scaled(between, (0.75, 1.25))(high).max(0.1),
            set_event!(s, e, Recurring, mean_months_between),
        );
        let cut = *supply_cut;
        self.text(
            event_about("supply_cut", format!("Supply cut of {what}")),
            quarter_either_way(cut, 0.0, 1.0),
            set_event!(s, e, Recurring, supply_cut),
        );
    }

    fn alternative_inputs(&mut self, m: usize, a: usize) {
        let material = &self.project.materials[m];
        let alternative = &material.alternatives[a];
        let item = format!(
            "{}/{}",
            material.id,
            occurrence_name(
                material.alternatives.iter().map(|x| x.name.as_str()),
                a,
                &alternative.name
            )
        );
        let what = format!("\"{}\" for {}", alternative.name, material.name);
        self.number(
            about(
                ItemKind::Alternative,
                &item,
                "capacity_kg_per_month",
                format!("Capacity of {what} (kg a month)"),
                &[m],
                Evaluation::Simulate,
            ),
            scaled(alternative.capacity_kg_per_month, (0.5, 1.5)),
            move |p, x| p.materials[m].alternatives[a].capacity_kg_per_month = x,
        );
        self.number(
            about(
                ItemKind::Alternative,
                &item,
                "qualification_months",
                format!("Qualification time of {what} (months)"),
                &[m],
                Evaluation::Simulate,
            ),
            scaled(alternative.qualification_months, (0.5, 1.5)),
            move |p, x| p.materials[m].alternatives[a].qualification_months = x,
        );
    }
}
