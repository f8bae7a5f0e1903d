//! The stockpile model of MODEL.md: pure functions of a validated project. No I/O,
//! no UI, no threads beyond rayon's; long runs take a cancel flag and report progress.

mod events;
mod model;
mod noise;
mod recommend;
mod result;
mod rng;
mod simulate;
pub mod stats;

use std::sync::atomic::AtomicUsize;

pub use model::{Model, ModelError, RunOptions};
pub use recommend::{DAYS_PER_MONTH, build_up_plan, z_score};
pub use result::*;
pub use simulate::{CHUNK_PATHS, Cancelled, RunControl};

use crate::project::Project;

/// Runs the whole model on a compiled project.
pub fn run(model: &Model, control: &RunControl) -> Result<Recommendation, Cancelled> {
    let events = simulate::RealisedEvents::draw(model);
    let noise = noise::DemandNoise::draw(model);
    let work_total = model.materials.len() * model.paths.div_ceil(CHUNK_PATHS);
    let work_done = AtomicUsize::new(0);
    let mut workspace = simulate::Workspace::default();
    let mut materials = Vec::with_capacity(model.materials.len());
    let mut simulated = None;
    for material in 0..=model.materials.len() {
        // The previous material's figures are assembled while this one is simulated:
        // assembly is serial, and on its own would leave the other cores idle.
        let assemble_previous = || {
            simulated
                .take()
                .map(|(material, setup, run)| recommend::assemble(model, material, setup, &run))
        };
        let simulate_this = || {
            if material == model.materials.len() {
                return Ok(None);
            }
            let setup = recommend::setup(model, material);
            let mixture_levels = recommend::mixture_levels(model, setup.service_level);
            let levels = simulate::Levels {
                scenario: setup.service_level,
                mixture: &mixture_levels,
            };
            let run = simulate::simulate_material(
                model,
                material,
                &events,
                &noise,
                setup.strategic_on_hand_kg,
                &levels,
                &mut workspace,
                control,
                &work_done,
                work_total,
            )?;
            Ok(Some((material, setup, run)))
        };
        let (assembled, next) = rayon::join(assemble_previous, simulate_this);
        materials.extend(assembled);
        simulated = next?;
    }
    Ok(Recommendation {
        start: model.start,
        horizon_months: model.horizon_months,
        paths: model.paths,
        seed: model.seed,
        service_level: model.service_level,
        scenario_weights: model.scenarios.iter().map(|s| s.weight).collect(),
        materials,
    })
}

/// Compiles and runs a project without cancellation or progress (the command line, tests).
pub fn recommend(project: &Project, options: &RunOptions) -> Result<Recommendation, ModelError> {
    let model = Model::new(project, options)?;
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let control = RunControl {
        cancel: &cancel,
        progress: &|_| {},
    };
    run(&model, &control).map_err(|_| ModelError::Invalid("cancelled".to_owned()))
}
