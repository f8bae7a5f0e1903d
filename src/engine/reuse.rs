//! Runs that reuse the previous run's work. The app runs the model again after every
//! edit, and most edits touch few figures: a material's figures depend only on its
//! own inputs, the products that use it, the scenarios and the run settings, and the
//! random draws only on what keys their streams (`rng`). So a run after an edit
//! keeps the events and the demand noise when their inputs are unchanged, and the
//! figures of every material whose inputs are unchanged; the result is the same,
//! bit for bit, as a fresh run's (tested against `run` in `tests/suite/reuse.rs`).

use std::sync::Arc;

use super::model::{EventModel, Model};
use super::noise::{self, DemandNoise};
use super::simulate::{Cancelled, RealisedEvents, RunControl};
use super::{MaterialRecommendation, Recommendation, recommendation, simulate_materials};

/// A finished run and what the next run of an edited project can take from it.
pub struct RunMemory {
    model: Model,
    events: Arc<RealisedEvents>,
    noise: Arc<DemandNoise>,
    recommendation: Arc<Recommendation>,
    simulated_materials: Vec<usize>,
}

/// The draws are millions of numbers: a debug print names what the run kept instead.
impl std::fmt::Debug for RunMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunMemory")
            .field("paths", &self.model.paths)
            .field("materials", &self.model.materials.len())
            .field("simulated_materials", &self.simulated_materials)
            .finish_non_exhaustive()
    }
}

impl RunMemory {
    /// The run's figures.
    pub fn recommendation(&self) -> &Arc<Recommendation> {
        &self.recommendation
    }

    /// The materials this run simulated (indices in project order); the others'
    /// figures came from the previous run.
    pub fn simulated_materials(&self) -> &[usize] {
        &self.simulated_materials
    }
}

/// Runs the model on `model`, taking from `previous` (the run of an earlier version
/// of the project) the draws and the material figures that the differences leave
/// unchanged. With no previous run it is a fresh run.
pub fn run_reusing(
    model: &Model,
    previous: Option<&RunMemory>,
    control: &RunControl,
) -> Result<RunMemory, Cancelled> {
    let events = match previous {
        Some(previous) if same_events(&previous.model, model) => Arc::clone(&previous.events),
        _ => Arc::new(RealisedEvents::draw(model)),
    };
    let noise = match previous {
        Some(previous) if same_noise(&previous.model, model) => Arc::clone(&previous.noise),
        _ => Arc::new(DemandNoise::draw(model)),
    };
    let kept: Vec<Option<&MaterialRecommendation>> = (0..model.materials.len())
        .map(|material| previous.and_then(|previous| kept_figures(previous, model, material)))
        .collect();
    let simulated_materials: Vec<usize> = (0..model.materials.len())
        .filter(|&material| kept[material].is_none())
        .collect();
    let simulated = simulate_materials(model, &events, &noise, &simulated_materials, control)?;
    // `simulated` holds exactly the materials with nothing kept, in project order.
    let mut simulated = simulated.into_iter();
    let materials = kept
        .into_iter()
        .filter_map(|kept| kept.cloned().or_else(|| simulated.next()))
        .collect();
    Ok(RunMemory {
        model: model.clone(),
        events,
        noise,
        recommendation: Arc::new(recommendation(model, materials)),
        simulated_materials,
    })
}

/// The previous run's figures of a material whose inputs equal `material`'s in
/// `model` (found wherever it was, so adding, removing or reordering materials
/// keeps the others' figures).
fn kept_figures<'a>(
    previous: &'a RunMemory,
    model: &Model,
    material: usize,
) -> Option<&'a MaterialRecommendation> {
    if !same_settings(&previous.model, model) {
        return None;
    }
    (0..previous.model.materials.len())
        .find(|&old| same_material_inputs(&previous.model, old, model, material))
        .and_then(|old| previous.recommendation.materials.get(old))
}

/// Whether the run settings every figure depends on are equal. Destructured, so
/// that a field added to `Model` does not compile until it is placed here or in
/// the comparisons below.
fn same_settings(a: &Model, b: &Model) -> bool {
    let Model {
        start,
        horizon_months,
        paths,
        seed,
        service_level,
        shortage_cost_per_kg,
        rebuild_after_disruption,
        // Compared per material, product and scenario below.
        materials: _,
        products: _,
        scenarios: _,
    } = a;
    *start == b.start
        && *horizon_months == b.horizon_months
        && *paths == b.paths
        && *seed == b.seed
        && *service_level == b.service_level
        && *shortage_cost_per_kg == b.shortage_cost_per_kg
        && *rebuild_after_disruption == b.rebuild_after_disruption
}

/// Whether material `a_material` of `a` and `b_material` of `b` have the same
/// figures: the same material, the same products using it (at the same indices,
/// which its figures name), the same scenario weights and the same events where
/// they hit it. The run settings are compared by the caller.
fn same_material_inputs(a: &Model, a_material: usize, b: &Model, b_material: usize) -> bool {
    let spec = &a.materials[a_material];
    spec == &b.materials[b_material]
        && spec
            .users
            .iter()
            .all(|&(product, _)| a.products.get(product) == b.products.get(product))
        && a.scenarios.len() == b.scenarios.len()
        && a.scenarios.iter().zip(&b.scenarios).all(|(a, b)| {
            a.weight == b.weight
                && a.events.len() == b.events.len()
                && a.events.iter().zip(&b.events).all(|(a_event, b_event)| {
                    let hits = a_event.hits_material.get(a_material);
                    // An event that misses the material takes nothing from it
                    // (its draws have their own stream and change no other's).
                    hits == b_event.hits_material.get(b_material)
                        && (hits == Some(&false)
                            || same_draws(a_event, b_event) && a_event.end_uses == b_event.end_uses)
                })
        })
}

/// Whether two events draw the same on every path (same key, same distributions).
fn same_draws(a: &EventModel, b: &EventModel) -> bool {
    a.draw_key == b.draw_key && a.kind == b.kind
}

/// Whether the realised events of `a` serve `b`: they depend on the seed, the path
/// count, the horizon and each event's stream key and distributions only.
fn same_events(a: &Model, b: &Model) -> bool {
    a.seed == b.seed
        && a.paths == b.paths
        && a.horizon_months == b.horizon_months
        && a.scenarios.len() == b.scenarios.len()
        && a.scenarios.iter().zip(&b.scenarios).all(|(a, b)| {
            a.events.len() == b.events.len()
                && a.events
                    .iter()
                    .zip(&b.events)
                    .all(|(a, b)| same_draws(a, b))
        })
}

/// Whether the demand noise of `a` serves `b`: the same products' streams and
/// spreads over the same months.
fn same_noise(a: &Model, b: &Model) -> bool {
    a.seed == b.seed
        && a.paths == b.paths
        && a.products.len() == b.products.len()
        && a.products
            .iter()
            .zip(&b.products)
            .all(|(a, b)| a.noise_key == b.noise_key && a.noise == b.noise)
        && noise::months_exposed(a) == noise::months_exposed(b)
}
