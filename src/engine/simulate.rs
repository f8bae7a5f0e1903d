//! The Monte Carlo core: per material, every path of every scenario, producing the
//! buffer samples per month. Work is done only where an event bites: a path on
//! which no event removes the material's supply has a zero buffer and costs nothing.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::project::EndUses;

use super::events::{Realised, cover};
use super::model::{END_USE_CLASSES, Model};
use super::stats::Samples;

/// Paths per work unit. Fixed (not derived from the thread count) so that every
/// floating-point sum is grouped the same way on any machine.
pub const CHUNK_PATHS: usize = 512;

/// Never runs out, in the per-path run-out months.
const NEVER: u32 = u32::MAX;

/// How a long run is watched and stopped.
pub struct RunControl<'a> {
    pub cancel: &'a AtomicBool,
    /// Called with the share of the work done, from worker threads.
    pub progress: &'a (dyn Fn(f32) + Sync),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the run was cancelled")]
pub struct Cancelled;

/// Every scenario's events drawn for every path: `[scenario][path * events + event]`.
pub struct RealisedEvents {
    per_scenario: Vec<Vec<Realised>>,
    counts: Vec<usize>,
}

impl RealisedEvents {
    pub fn draw(model: &Model) -> RealisedEvents {
        let n = model.paths;
        let per_scenario = model
            .scenarios
            .iter()
            .map(|scenario| {
                let events = &scenario.events;
                (0..n)
                    .into_par_iter()
                    .flat_map_iter(|k| {
                        events.iter().map(move |event| {
                            Realised::draw(event, model.seed, k as u64, model.horizon_months)
                        })
                    })
                    .collect()
            })
            .collect();
        RealisedEvents {
            per_scenario,
            counts: model.scenarios.iter().map(|s| s.events.len()).collect(),
        }
    }

    fn path(&self, scenario: usize, path: usize) -> &[Realised] {
        let count = self.counts[scenario];
        &self.per_scenario[scenario][path * count..(path + 1) * count]
    }
}

/// One scenario's simulated figures for one material.
pub struct ScenarioRun {
    /// The buffer samples of each month.
    pub by_month: Vec<Samples>,
    /// Run-out month per path (`None`: never within the horizon).
    pub run_out: Vec<Option<usize>>,
    /// Mean price per kg per month.
    pub price_index_per_kg: Vec<f64>,
    pub expected_alternative_kg: f64,
    pub expected_alternative_extra_cost: f64,
}

struct ChunkOut {
    /// Per scenario, month-major buffers: `b[s][t * len + path_in_chunk]`.
    buffers: Vec<Vec<f64>>,
    run_out: Vec<Vec<u32>>,
    price_uplift_sum: Vec<Vec<f64>>,
    alternative_kg: Vec<f64>,
    alternative_cost: Vec<f64>,
}

/// Simulates one material over every scenario and path.
pub fn simulate_material(
    model: &Model,
    material: usize,
    events: &RealisedEvents,
    strategic_on_hand_kg: f64,
    control: &RunControl,
    work_done: &AtomicUsize,
    work_total: usize,
) -> Result<Vec<ScenarioRun>, Cancelled> {
    let n = model.paths;
    let horizon = model.horizon_months;
    let chunks = n.div_ceil(CHUNK_PATHS);
    let outs: Vec<Option<ChunkOut>> = (0..chunks)
        .into_par_iter()
        .map(|chunk| {
            if control.cancel.load(Ordering::Relaxed) {
                return None;
            }
            let from = chunk * CHUNK_PATHS;
            let to = (from + CHUNK_PATHS).min(n);
            let out = simulate_chunk(model, material, events, strategic_on_hand_kg, from..to);
            let done = work_done.fetch_add(1, Ordering::Relaxed) + 1;
            (control.progress)(done as f32 / work_total as f32);
            Some(out)
        })
        .collect();
    let mut outs: Vec<ChunkOut> = outs.into_iter().collect::<Option<_>>().ok_or(Cancelled)?;

    let price = model.materials[material].price_per_kg;
    let mut runs = Vec::with_capacity(model.scenarios.len());
    for s in 0..model.scenarios.len() {
        let chunk_buffers: Vec<Vec<f64>> = outs
            .iter_mut()
            .map(|out| std::mem::take(&mut out.buffers[s]))
            .collect();
        let by_month: Vec<Samples> = (0..horizon)
            .into_par_iter()
            .map(|t| {
                Samples::from_values(chunk_buffers.iter().flat_map(|buffer| {
                    let len = buffer.len() / horizon;
                    buffer[t * len..(t + 1) * len].iter().copied()
                }))
            })
            .collect();
        drop(chunk_buffers);
        let run_out = outs
            .iter()
            .flat_map(|out| out.run_out[s].iter())
            .map(|&month| (month != NEVER).then_some(month as usize))
            .collect();
        let mut price_index_per_kg = vec![0.0; horizon];
        for out in &outs {
            for (sum, uplift) in price_index_per_kg.iter_mut().zip(&out.price_uplift_sum[s]) {
                *sum += uplift;
            }
        }
        for value in &mut price_index_per_kg {
            *value = price * (1.0 + *value / n as f64);
        }
        let alternative_kg: f64 = outs.iter().map(|out| out.alternative_kg[s]).sum();
        let alternative_cost: f64 = outs.iter().map(|out| out.alternative_cost[s]).sum();
        runs.push(ScenarioRun {
            by_month,
            run_out,
            price_index_per_kg,
            expected_alternative_kg: alternative_kg / n as f64,
            expected_alternative_extra_cost: alternative_cost / n as f64,
        });
    }
    Ok(runs)
}

fn simulate_chunk(
    model: &Model,
    material: usize,
    events: &RealisedEvents,
    strategic_on_hand_kg: f64,
    paths: std::ops::Range<usize>,
) -> ChunkOut {
    let horizon = model.horizon_months;
    let scenarios = model.scenarios.len();
    let len = paths.len();
    let spec = &model.materials[material];
    let mut out = ChunkOut {
        buffers: vec![vec![0.0; horizon * len]; scenarios],
        run_out: vec![vec![NEVER; len]; scenarios],
        price_uplift_sum: vec![vec![0.0; horizon]; scenarios],
        alternative_kg: vec![0.0; scenarios],
        alternative_cost: vec![0.0; scenarios],
    };
    // Scratch reused across paths.
    let mut noise = vec![f64::NAN; spec.users.len() * horizon];
    let class_has_demand: [bool; 3] = std::array::from_fn(|class| {
        !spec.users_by_class[class].is_empty() || (class == 0 && spec.direct_kg_per_month > 0.0)
    });
    let mut scratch = Vec::with_capacity(horizon);
    let mut keep = [vec![1.0; horizon], vec![1.0; horizon], vec![1.0; horizon]];
    let mut deficit = vec![0.0; horizon];
    let mut biting: Vec<(EndUses, &Realised)> = Vec::new();

    for (local, path) in paths.enumerate() {
        noise.fill(f64::NAN);
        for s in 0..scenarios {
            let scenario = &model.scenarios[s];
            biting.clear();
            for (event, realised) in scenario.events.iter().zip(events.path(s, path)) {
                if !event.hits_material[material] {
                    continue;
                }
                if let Realised::Once {
                    start, duration, ..
                } = realised
                {
                    let first = start.max(0.0).floor() as usize;
                    let last = ((start + duration).max(0.0).ceil() as usize).min(horizon);
                    for t in first..last {
                        out.price_uplift_sum[s][t] += realised.price_uplift(t);
                    }
                }
                if realised.has_loss(horizon) {
                    biting.push((event.end_uses, realised));
                }
            }
            if biting.is_empty() {
                continue;
            }
            // Only the months some event bites can have a deficit.
            let (lo, hi) = biting.iter().fold((horizon, 0), |(lo, hi), (_, realised)| {
                let (first, last) = realised.active_months(horizon);
                (lo.min(first), hi.max(last))
            });
            if lo >= hi {
                continue;
            }
            deficit.fill(0.0);
            for (class, keep_class) in keep.iter_mut().enumerate() {
                if !class_has_demand[class] {
                    continue;
                }
                keep_class[lo..hi].fill(1.0);
                for (end_uses, realised) in &biting {
                    if end_uses.hits(END_USE_CLASSES[class]) {
                        realised.apply_loss(keep_class, &mut scratch);
                    }
                }
                let class_users = &spec.users_by_class[class];
                for t in lo..hi {
                    let lost_share = 1.0 - keep_class[t];
                    if lost_share <= 0.0 {
                        continue;
                    }
                    let mut demand_kg = if class == 0 {
                        spec.direct_kg_per_month
                    } else {
                        0.0
                    };
                    for &(u, product, kg_per_unit) in class_users {
                        let p = &model.products[product];
                        let cell = &mut noise[u * horizon + t];
                        if cell.is_nan() {
                            *cell = p.noise.factor(model.seed, path as u64, p.noise_key, t);
                        }
                        demand_kg += p.units_per_month * p.growth_factor[t] * *cell * kg_per_unit;
                    }
                    deficit[t] += spec.exposed_share * demand_kg * lost_share;
                }
            }
            if !spec.alternatives.is_empty() {
                let first_loss = biting
                    .iter()
                    .filter_map(|(_, realised)| realised.first_loss_month())
                    .fold(f64::INFINITY, f64::min);
                let (kg, cost) = apply_alternatives(spec, first_loss, &mut deficit[..hi]);
                out.alternative_kg[s] += kg;
                out.alternative_cost[s] += cost;
            }
            // Backward recursion B[t] = max(0, deficit'[t] + B[t+1]), B[H] = 0; the
            // buffer is already 0 from `hi` on.
            let buffer = &mut out.buffers[s];
            let mut next = 0.0;
            for t in (0..hi).rev() {
                next = (deficit[t] + next).max(0.0);
                buffer[t * len + local] = next;
            }
            // Run-out: the first month the cumulative deficit exceeds the strategic stock.
            let mut cumulative = 0.0;
            for (t, d) in deficit[..hi].iter().enumerate() {
                cumulative += d;
                if cumulative > strategic_on_hand_kg {
                    out.run_out[s][local] = t as u32;
                    break;
                }
            }
        }
    }
    out
}

/// Reduces the deficit by the qualified alternatives' capacity (cheapest premium
/// first) and returns the kilograms they supply and their extra cost.
fn apply_alternatives(
    spec: &super::model::MaterialModel,
    first_loss: f64,
    deficit: &mut [f64],
) -> (f64, f64) {
    let mut supplied_kg = 0.0;
    let mut extra_cost = 0.0;
    for (t, deficit_t) in deficit.iter_mut().enumerate() {
        for alternative in &spec.alternatives {
            if *deficit_t <= 0.0 {
                break;
            }
            let capacity = alternative.capacity_kg_per_month
                * cover(
                    t,
                    first_loss + alternative.qualification_months,
                    f64::INFINITY,
                );
            let used = capacity.min(*deficit_t);
            *deficit_t -= used;
            supplied_kg += used;
            extra_cost += used * spec.price_per_kg * alternative.price_premium;
        }
    }
    (supplied_kg, extra_cost)
}
