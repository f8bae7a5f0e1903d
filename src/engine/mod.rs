//! The stockpile model of MODEL.md: pure functions of a validated project. No I/O,
//! no UI, no threads beyond rayon's; long runs take a cancel flag and report progress.

pub mod budget;
mod buildup;
pub mod diff;
mod events;
mod model;
mod noise;
pub mod qualify;
mod recommend;
mod result;
mod reuse;
mod rng;
pub mod saved;
pub mod sensitivity;
mod simulate;
pub mod stats;

use std::sync::atomic::AtomicUsize;

pub use buildup::{OrderRule, build_up_plan};
pub use model::{Model, ModelError, RunOptions};
pub use recommend::{DAYS_PER_MONTH, z_score};
pub use result::*;
pub use reuse::{RunMemory, run_reusing};
pub use simulate::{CHUNK_PATHS, Cancelled, RunControl};

/// Why a run gave no recommendation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Invalid(#[from] ModelError),
    #[error("the run was cancelled")]
    Cancelled,
}

impl From<Cancelled> for RunError {
    fn from(_: Cancelled) -> Self {
        RunError::Cancelled
    }
}

use crate::project::Project;

/// The engine's random draws, for a plain reference implementation of the model (the
/// tests' naive simulator): with the same streams the two agree path for path.
pub mod streams {
    pub use super::events::Realised;
    use super::model::Model;
    use super::rng::StreamFamily;

    /// Event `event` of scenario `scenario` as it happens on `path`.
    pub fn event(model: &Model, scenario: usize, event: usize, path: usize) -> Realised {
        Realised::draw(
            &model.scenarios[scenario].events[event],
            model.seed,
            path as u64,
            model.horizon_months,
        )
    }

    /// The demand factor `eps[p,t,k]` of product `product` in month `month` on `path`.
    pub fn demand_factor(model: &Model, product: usize, path: usize, month: usize) -> f64 {
        let product = &model.products[product];
        let family = StreamFamily::demand(model.seed, path as u64, product.noise_key);
        f64::from(product.noise.factor(family, month))
    }
}

/// Runs the whole model on a compiled project.
pub fn run(model: &Model, control: &RunControl) -> Result<Recommendation, Cancelled> {
    let events = simulate::RealisedEvents::draw(model);
    let noise = noise::DemandNoise::draw(model);
    let every_material: Vec<usize> = (0..model.materials.len()).collect();
    let materials = simulate_materials(model, &events, &noise, &every_material, control)?;
    Ok(recommendation(model, materials))
}

/// The figures of the materials `which` (indices into `model.materials`, in order),
/// simulated on the given draws.
fn simulate_materials(
    model: &Model,
    events: &simulate::RealisedEvents,
    noise: &noise::DemandNoise,
    which: &[usize],
    control: &RunControl,
) -> Result<Vec<MaterialRecommendation>, Cancelled> {
    // Two passes per material: the buffers, then the paths following the build-up plan.
    let work_total = 2 * which.len() * model.paths.div_ceil(CHUNK_PATHS);
    let work_done = AtomicUsize::new(0);
    let mut workspace = simulate::Workspace::default();
    let mut materials = Vec::with_capacity(which.len());
    let mut simulated = None;
    for next in 0..=which.len() {
        // The previous material's figures are assembled while this one is simulated:
        // assembly is serial, and on its own would leave the other cores idle.
        let assemble_previous = || {
            simulated.take().map(|(material, setup, run, followed)| {
                recommend::assemble(model, material, setup, run, followed)
            })
        };
        let simulate_this = || {
            let Some(&material) = which.get(next) else {
                return Ok(None);
            };
            let setup = recommend::setup(model, material);
            let mixture_levels = recommend::mixture_levels(model, setup.service_level);
            let levels = simulate::Levels {
                scenario: setup.service_level,
                mixture: &mixture_levels,
            };
            let run = simulate::simulate_material(
                model,
                material,
                events,
                noise,
                setup.strategic_on_hand_kg,
                &levels,
                &mut workspace,
                control,
                &work_done,
                work_total,
            )?;
            let monthly = recommend::monthly_figures(model, &setup, &run);
            let rule = recommend::order_rule(model, material, &monthly);
            let on_hand_kg = model.materials[material].on_hand_kg;
            let plan = build_up_plan(on_hand_kg, &rule, &monthly.price_index_per_kg);
            let run_out = simulate::follow_plan(
                model,
                material,
                events,
                noise,
                &rule,
                setup.strategic_on_hand_kg,
                on_hand_kg.min(setup.safety_stock_kg),
                control,
                &work_done,
                work_total,
            )?;
            let followed = recommend::PlanFollowed {
                monthly,
                plan,
                run_out,
            };
            Ok(Some((material, setup, run, followed)))
        };
        let (assembled, next) = rayon::join(assemble_previous, simulate_this);
        materials.extend(assembled);
        simulated = next?;
    }
    Ok(materials)
}

/// The run's figures from its materials' (in project order).
fn recommendation(model: &Model, materials: Vec<MaterialRecommendation>) -> Recommendation {
    Recommendation {
        start: model.start,
        horizon_months: model.horizon_months,
        paths: model.paths,
        seed: model.seed,
        service_level: model.service_level,
        rebuild_after_disruption: model.rebuild_after_disruption,
        scenario_weights: model.scenarios.iter().map(|s| s.weight).collect(),
        materials,
    }
}

/// Compiles and runs a project without cancellation or progress (the command line, tests).
pub fn recommend(project: &Project, options: &RunOptions) -> Result<Recommendation, RunError> {
    let model = Model::new(project, options)?;
    Ok(run(&model, &RunControl::unwatched())?)
}
