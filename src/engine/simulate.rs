//! The Monte Carlo core: per material, every path of every scenario, producing the
//! buffer samples per month. Work is done only where an event bites: a path on
//! which no event removes the material's supply has a zero buffer and costs nothing.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::project::EndUses;

use super::buildup::{OrderRule, run_out_following_plan};
use super::events::{LossProfile, Month, Realised, ceil_month, cover, floor_month, month_index};
use super::model::{END_USE_CLASSES, EventModel, MaterialModel, Model};
use super::noise::DemandNoise;
use super::result::DEFICIT_TOLERANCE_KG;
use super::stats::{
    MonthQuantiles, MonthSamples, QuantileSelector, Samples, ScenarioMonth, StoredKg, rank,
};

/// Paths per work unit. Fixed (not derived from the thread count) so that every
/// floating-point sum is grouped the same way on any machine.
pub const CHUNK_PATHS: usize = 512;

/// Extra slots per month row of a chunk's buffers (one cache line of singles).
const ROW_PADDING: usize = 16;

/// Never runs out, in the per-path run-out months.
const NEVER: u32 = u32::MAX;

/// How a long run is watched and stopped.
pub struct RunControl<'a> {
    pub cancel: &'a AtomicBool,
    /// Called with the share of the work done, from worker threads.
    pub progress: &'a (dyn Fn(f32) + Sync),
}

/// The cancel flag of runs nobody can cancel.
static NEVER_CANCELLED: AtomicBool = AtomicBool::new(false);

fn ignore_progress(_share: f32) {}

impl RunControl<'static> {
    /// For a run nobody watches or stops (the command line, tests).
    pub fn unwatched() -> Self {
        RunControl {
            cancel: &NEVER_CANCELLED,
            progress: &ignore_progress,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the run was cancelled")]
pub struct Cancelled;

/// Every scenario's events drawn for every path, with what every material asks of
/// them worked out once rather than once per material.
pub struct RealisedEvents {
    /// `[scenario][path * events + event]`: what each event removes on each path
    /// (`None`: nothing).
    per_scenario: Vec<Vec<Option<Loss>>>,
    counts: Vec<usize>,
    /// `[scenario][event]`: the price premium `(multiplier - 1) * cover(t)` summed over
    /// paths, per month (empty for an event that leaves prices alone).
    price_uplift_sums: Vec<Vec<Vec<f64>>>,
}

/// What an event removes on one path, worked out when it is drawn.
struct Loss {
    /// The months `[first, last)` it removes supply in.
    first: Month,
    last: Month,
    /// When it first removes supply (alternative suppliers' qualification starts then).
    first_loss_month: f64,
    profile: LossProfile,
}
// Every scenario, path and event keeps one for the whole run (METHODOLOGY's memory).
const _: () = assert!(std::mem::size_of::<Option<Loss>>() <= 88);

impl RealisedEvents {
    pub fn draw(model: &Model) -> RealisedEvents {
        let n = model.paths;
        let horizon = model.horizon_months;
        let counts: Vec<usize> = model.scenarios.iter().map(|s| s.events.len()).collect();
        let mut price_uplift_sums = Vec::with_capacity(model.scenarios.len());
        let mut per_scenario = Vec::with_capacity(model.scenarios.len());
        for (scenario, &count) in model.scenarios.iter().zip(&counts) {
            let events = &scenario.events;
            // Indexed, so the draws are written in place by every thread rather than
            // appended one thread's batch at a time.
            let drawn: Vec<Realised> = (0..n * count)
                .into_par_iter()
                .map(|i| {
                    Realised::draw(&events[i % count], model.seed, (i / count) as u64, horizon)
                })
                .collect();
            price_uplift_sums.push(
                (0..count)
                    .into_par_iter()
                    .map(|e| {
                        let mut sums = vec![0.0; horizon];
                        for path in drawn.chunks_exact(count) {
                            path[e].add_price_uplift(&mut sums);
                        }
                        if sums.iter().all(|&sum| sum == 0.0) {
                            sums.clear();
                        }
                        sums
                    })
                    .collect(),
            );
            per_scenario.push(
                drawn
                    .par_iter()
                    .map(|realised| {
                        realised.has_loss(horizon).then(|| {
                            let (first, last) = realised.active_months(horizon);
                            Loss {
                                first: month_index(first),
                                last: month_index(last),
                                first_loss_month: realised
                                    .first_loss_month()
                                    .unwrap_or(f64::INFINITY),
                                profile: realised.loss_profile(horizon),
                            }
                        })
                    })
                    .collect(),
            );
        }
        RealisedEvents {
            per_scenario,
            counts,
            price_uplift_sums,
        }
    }

    fn path(&self, scenario: usize, path: usize) -> &[Option<Loss>] {
        let count = self.counts[scenario];
        &self.per_scenario[scenario][path * count..(path + 1) * count]
    }

    /// The mean price per kg per month of `material` in scenario `s`, from the uplift
    /// of the events that hit it.
    fn price_index_per_kg(&self, model: &Model, material: usize, s: usize) -> Vec<f64> {
        let mut uplift = vec![0.0; model.horizon_months];
        for (event, sums) in model.scenarios[s]
            .events
            .iter()
            .zip(&self.price_uplift_sums[s])
        {
            if event.hits_material[material] {
                for (total, sum) in uplift.iter_mut().zip(sums) {
                    *total += sum;
                }
            }
        }
        let price = model.materials[material].price_per_kg;
        uplift
            .iter()
            .map(|sum| price * (1.0 + sum / model.paths as f64))
            .collect()
    }
}

/// One scenario's simulated figures for one material.
pub struct ScenarioRun {
    /// The buffer samples of month 0, sorted (the figures at today's stock need them all).
    pub month0: Samples,
    /// The scenario's buffer quantile at the service level, per month.
    pub quantile_by_month: Vec<f64>,
    /// Run-out month per path (`None`: never within the horizon).
    pub run_out: Vec<Option<usize>>,
    /// Mean price per kg per month.
    pub price_index_per_kg: Vec<f64>,
    pub expected_alternative_kg: f64,
    pub expected_alternative_extra_cost: f64,
    /// The median over paths of the last month's deficit after alternatives.
    pub shortfall_in_last_month_kg: f64,
}

/// One material's simulated figures.
pub struct MaterialRun {
    pub scenarios: Vec<ScenarioRun>,
    /// Per month, the mixture's buffer quantiles at the levels asked for.
    pub mixture_by_month: Vec<Vec<f64>>,
}

/// The quantile levels a material's monthly figures need.
pub struct Levels<'a> {
    /// Each scenario's own quantile.
    pub scenario: f64,
    /// The mixture's quantiles.
    pub mixture: &'a [f64],
}

/// Working space kept from one material to the next, so the large buffers are
/// allocated (and their pages faulted in) once per run, not once per material.
#[derive(Default)]
pub struct Workspace {
    chunks: Vec<ChunkOut>,
}

#[derive(Default)]
struct ChunkOut {
    /// Per scenario, month-major buffers: `b[s][t * row + path_in_chunk]`.
    buffers: Vec<Vec<StoredKg>>,
    /// Paths in the chunk.
    len: usize,
    /// The distance between months in `buffers`: a little more than `len`, because a
    /// power-of-two stride would map a path's sixty months to the same cache set.
    row: usize,
    /// Per scenario and month, the smallest and largest positive buffer
    /// (`(INFINITY, 0)` when none is positive).
    positive_range: Vec<Vec<(f64, f64)>>,
    run_out: Vec<Vec<u32>>,
    /// Per scenario and path, the last month's deficit after alternatives.
    last_month_deficit_kg: Vec<Vec<f64>>,
    alternative_kg: Vec<f64>,
    alternative_cost: Vec<f64>,
    /// Per scenario, whether its later months are another scenario's (see `Shared`).
    shares: Vec<Option<Shared>>,
}

/// In one chunk, a scenario whose buffers from `from_month` on equal, path for path,
/// those of the earlier scenario `with`: the two differ only in events that are over
/// by then (such as a truce lapse beside the refusals both share). Those months are
/// stored once, in `with`'s buffers; where every chunk shares a month with the same
/// scenario, the selection also counts it once (`ScenarioMonth::same_as`).
#[derive(Clone, Copy)]
struct Shared {
    with: usize,
    from_month: usize,
}

impl ChunkOut {
    /// Clears the figures for a chunk of `len` paths, keeping the allocations.
    fn reset(&mut self, scenarios: usize, horizon: usize, len: usize) {
        fn refill<T: Clone>(rows: &mut Vec<Vec<T>>, scenarios: usize, len: usize, value: T) {
            rows.resize_with(scenarios, Vec::new);
            for row in rows.iter_mut() {
                row.clear();
                row.resize(len, value.clone());
            }
        }
        let row = len + ROW_PADDING;
        let same_shape = self.row == row
            && self.buffers.len() == scenarios
            && self.buffers.iter().all(|b| b.len() == horizon * row)
            && self.positive_range.iter().all(|r| r.len() == horizon);
        if same_shape {
            // Only months with a positive buffer were written: clear just those.
            for (buffer, ranges) in self.buffers.iter_mut().zip(&self.positive_range) {
                for (t, range) in ranges.iter().enumerate() {
                    if range.1 > 0.0 {
                        buffer[t * row..t * row + len].fill(0.0);
                    }
                }
            }
        } else {
            // Freshly zeroed allocations (`calloc`): pages never written, such as a
            // scenario's where no event bites, are never touched at all.
            self.buffers = (0..scenarios).map(|_| vec![0.0; horizon * row]).collect();
        }
        self.len = len;
        self.row = row;
        refill(
            &mut self.positive_range,
            scenarios,
            horizon,
            (f64::INFINITY, 0.0),
        );
        refill(&mut self.run_out, scenarios, len, NEVER);
        refill(&mut self.last_month_deficit_kg, scenarios, len, 0.0);
        self.shares.clear();
        self.shares.resize(scenarios, None);
        for totals in [&mut self.alternative_kg, &mut self.alternative_cost] {
            totals.clear();
            totals.resize(scenarios, 0.0);
        }
    }

    /// The scenario whose buffers hold `scenario`'s month `t` (itself unless shared).
    /// Terminates: a scenario shares only with an earlier one (`share_targets`), so
    /// each step goes to a smaller index.
    fn holder(&self, mut scenario: usize, t: usize) -> usize {
        while let Some(shared) = self.shares[scenario].filter(|shared| t >= shared.from_month) {
            debug_assert!(shared.with < scenario, "shared with a later scenario");
            scenario = shared.with;
        }
        scenario
    }

    fn month(&self, scenario: usize, t: usize) -> &[StoredKg] {
        let holder = self.holder(scenario, t);
        &self.buffers[holder][t * self.row..t * self.row + self.len]
    }

    fn positive_range(&self, scenario: usize, t: usize) -> (f64, f64) {
        self.positive_range[self.holder(scenario, t)][t]
    }
}

/// Simulates one material over every scenario and path and reduces the buffers to
/// the statistics the recommendation needs.
#[allow(clippy::too_many_arguments)]
pub fn simulate_material(
    model: &Model,
    material: usize,
    events: &RealisedEvents,
    noise: &DemandNoise,
    strategic_on_hand_kg: f64,
    levels: &Levels,
    workspace: &mut Workspace,
    control: &RunControl,
    work_done: &AtomicUsize,
    work_total: usize,
) -> Result<MaterialRun, Cancelled> {
    let n = model.paths;
    let horizon = model.horizon_months;
    let scenarios = model.scenarios.len();
    let chunks = n.div_ceil(CHUNK_PATHS);
    workspace.chunks.resize_with(chunks, ChunkOut::default);
    let outs = &mut workspace.chunks[..chunks];
    let share_with = share_targets(model, material);
    outs.par_iter_mut()
        .enumerate()
        .try_for_each(|(chunk, out)| {
            if control.cancel.load(Ordering::Relaxed) {
                return Err(Cancelled);
            }
            let from = chunk * CHUNK_PATHS;
            let to = (from + CHUNK_PATHS).min(n);
            out.reset(scenarios, horizon, to - from);
            ChunkSimulation::new(model, material, events, noise, &share_with).run(
                strategic_on_hand_kg,
                from..to,
                out,
            );
            let done = work_done.fetch_add(1, Ordering::Relaxed) + 1;
            (control.progress)(done as f32 / work_total as f32);
            Ok(())
        })?;
    let outs = &*outs;

    let weights: Vec<f64> = model.scenarios.iter().map(|s| s.weight).collect();
    let by_month: Vec<(MonthQuantiles, Vec<Samples>)> = (0..horizon)
        .into_par_iter()
        .map_init(QuantileSelector::default, |selector, t| {
            let month = MonthSamples {
                n,
                scenarios: (0..scenarios)
                    .map(|s| ScenarioMonth {
                        chunks: outs.iter().map(|out| out.month(s, t)).collect(),
                        positive_range: outs
                            .iter()
                            .map(|out| out.positive_range(s, t))
                            .filter(|(_, high)| *high > 0.0)
                            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1))),
                        same_as: same_in_every_chunk(outs, s, t),
                    })
                    .collect(),
            };
            let quantiles = selector.select(&month, &weights, levels.scenario, levels.mixture);
            let sorted = if t == 0 {
                (0..scenarios).map(|s| month.sorted(s)).collect()
            } else {
                Vec::new()
            };
            (quantiles, sorted)
        })
        .collect();

    let (quantiles, sorted): (Vec<MonthQuantiles>, Vec<Vec<Samples>>) =
        by_month.into_iter().unzip();
    let month0 = sorted.into_iter().next().unwrap_or_default();
    let per_scenario: Vec<Vec<f64>> = (0..scenarios)
        .map(|s| quantiles.iter().map(|q| q.per_scenario[s]).collect())
        .collect();
    Ok(MaterialRun {
        scenarios: scenario_runs(model, material, events, outs, month0, per_scenario),
        mixture_by_month: quantiles.into_iter().map(|q| q.mixture).collect(),
    })
}

/// Each scenario's figures from the chunks' per-path results, its sorted month-0
/// samples and its quantile per month.
fn scenario_runs(
    model: &Model,
    material: usize,
    events: &RealisedEvents,
    outs: &[ChunkOut],
    month0: Vec<Samples>,
    quantile_by_month: Vec<Vec<f64>>,
) -> Vec<ScenarioRun> {
    let n = model.paths;
    month0
        .into_iter()
        .zip(quantile_by_month)
        .enumerate()
        .map(|(s, (month0, quantile_by_month))| {
            let mut run_out = Vec::with_capacity(n);
            for out in outs {
                run_out.extend(
                    out.run_out[s]
                        .iter()
                        .map(|&month| (month != NEVER).then_some(month as usize)),
                );
            }
            let price_index_per_kg = events.price_index_per_kg(model, material, s);
            let alternative_kg: f64 = outs.iter().map(|out| out.alternative_kg[s]).sum();
            let alternative_cost: f64 = outs.iter().map(|out| out.alternative_cost[s]).sum();
            let mut last_month: Vec<f64> = outs
                .iter()
                .flat_map(|out| out.last_month_deficit_kg[s].iter().copied())
                .collect();
            let median = rank(0.5, n);
            let (_, shortfall_in_last_month_kg, _) =
                last_month.select_nth_unstable_by(median - 1, f64::total_cmp);
            let shortfall_in_last_month_kg = *shortfall_in_last_month_kg;
            ScenarioRun {
                shortfall_in_last_month_kg,
                month0,
                quantile_by_month,
                run_out,
                price_index_per_kg,
                expected_alternative_kg: alternative_kg / n as f64,
                expected_alternative_extra_cost: alternative_cost / n as f64,
            }
        })
        .collect()
}

/// Per scenario, each path's run-out month while following the build-up plan
/// (`None`: never within the horizon). A second pass over the paths: the plan's
/// target is the blended quantiles of the first. The deficits are drawn again from
/// the same streams, so they are the first pass's, bit for bit. (Keeping the first
/// pass's deficits instead was measured: it saved no time and added a fifth to the
/// peak memory of the reference plant.)
#[allow(clippy::too_many_arguments)]
pub fn follow_plan(
    model: &Model,
    material: usize,
    events: &RealisedEvents,
    noise: &DemandNoise,
    rule: &OrderRule,
    strategic_on_hand_kg: f64,
    safety_part_kg: f64,
    control: &RunControl,
    work_done: &AtomicUsize,
    work_total: usize,
) -> Result<Vec<Vec<Option<usize>>>, Cancelled> {
    let n = model.paths;
    let scenarios = model.scenarios.len();
    let share_with = share_targets(model, material);
    let by_chunk: Vec<Vec<Vec<Option<usize>>>> = (0..n.div_ceil(CHUNK_PATHS))
        .into_par_iter()
        .map(|chunk| {
            if control.cancel.load(Ordering::Relaxed) {
                return Err(Cancelled);
            }
            let paths = chunk * CHUNK_PATHS..((chunk + 1) * CHUNK_PATHS).min(n);
            let mut simulation = ChunkSimulation::new(model, material, events, noise, &share_with);
            simulation.keeps_raw = true;
            let mut placed = Vec::with_capacity(model.horizon_months);
            let mut run_out = vec![Vec::with_capacity(paths.len()); scenarios];
            for path in paths {
                let demand_months = simulation.find_biting_events(path);
                simulation.draw_demand(path, demand_months);
                for (s, run_out) in run_out.iter_mut().enumerate() {
                    let months = simulation.fill_deficit(s).raw_months;
                    run_out.push(run_out_following_plan(
                        rule,
                        strategic_on_hand_kg,
                        safety_part_kg,
                        &simulation.raw[..months],
                        &simulation.scenarios[s].deficit[..months],
                        &mut placed,
                    ));
                }
            }
            let done = work_done.fetch_add(1, Ordering::Relaxed) + 1;
            (control.progress)(done as f32 / work_total as f32);
            Ok(run_out)
        })
        .collect::<Result<_, _>>()?;
    Ok((0..scenarios)
        .map(|s| {
            by_chunk
                .iter()
                .flat_map(|chunk| chunk[s].iter().copied())
                .collect()
        })
        .collect())
}

/// The earlier scenario whose samples scenario `s` has in month `t` in every chunk.
fn same_in_every_chunk(outs: &[ChunkOut], s: usize, t: usize) -> Option<usize> {
    let mut holders = outs.iter().map(|out| out.holder(s, t));
    let first = holders.next()?;
    (first != s && holders.all(|holder| holder == first)).then_some(first)
}

/// The earlier scenario whose later months a scenario's may equal, for one material.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ShareTarget {
    with: usize,
    /// The month by which every event one of the two has and the other lacks is over.
    differ_until: usize,
    /// Whether the events both have (those that still bite from `differ_until` on) hit
    /// the material in the same order in both. From `differ_until` on, the demand
    /// they remove is then the same product of the same factors, bit for bit, and the
    /// later scenario's deficits there are copied rather than computed.
    reuses_tail: bool,
}

/// Per scenario, the earlier scenario its later months may share (`Shared`), chosen
/// from the model: the one whose events hitting `material` differ from its own only in
/// events that are over soonest. Whether and from when the buffers are equal is then
/// measured path by path, so this choice affects only how much is saved.
fn share_targets(model: &Model, material: usize) -> Vec<Option<ShareTarget>> {
    let horizon = model.horizon_months;
    let biting = |s: usize| -> Vec<&EventModel> {
        model.scenarios[s]
            .events
            .iter()
            .filter(|event| event.hits_material[material] && event.reach_months(horizon) > 0)
            .collect()
    };
    let same = |a: &EventModel, b: &EventModel| {
        a.draw_key == b.draw_key && a.end_uses == b.end_uses && a.kind == b.kind
    };
    // The month by which every event one scenario has and the other lacks is over.
    let differ_until = |own: &[&EventModel], other: &[&EventModel]| {
        let unmatched = |from: &[&EventModel], to: &[&EventModel]| {
            from.iter()
                .filter(|a| !to.iter().any(|b| same(a, b)))
                .map(|a| a.reach_months(horizon))
                .max()
                .unwrap_or(0)
        };
        unmatched(own, other).max(unmatched(other, own))
    };
    let in_same_order = |own: &[&EventModel], other: &[&EventModel]| {
        // The events both have, in the order each lists them.
        let ours = own.iter().filter(|a| other.iter().any(|b| same(a, b)));
        let theirs = other.iter().filter(|b| own.iter().any(|a| same(a, b)));
        ours.clone().count() == theirs.clone().count() && ours.zip(theirs).all(|(a, b)| same(a, b))
    };
    let events: Vec<Vec<&EventModel>> = (0..model.scenarios.len()).map(biting).collect();
    // Only earlier scenarios (`0..s`): their months are complete when a later one is
    // filled or stored, and `ChunkOut::holder` walks to ever smaller indices.
    (0..model.scenarios.len())
        .map(|s| {
            (0..s)
                .filter(|&r| !events[r].is_empty() && !events[s].is_empty())
                .map(|r| (differ_until(&events[s], &events[r]), r))
                .filter(|&(until, _)| until < horizon)
                .min_by_key(|&(until, _)| until)
                .map(|(differ_until, with)| ShareTarget {
                    with,
                    differ_until,
                    reuses_tail: in_same_order(&events[s], &events[with]),
                })
        })
        .collect()
}

/// The first month from which two scenarios' deficits on a path are equal (months
/// past a slice's end are 0): from there on their buffers are equal too.
fn first_shared_month(own: &[f64], other: &[f64]) -> usize {
    let at = |deficit: &[f64], t: usize| deficit.get(t).map_or(0, |d| d.to_bits());
    (0..own.len().max(other.len()))
        .rev()
        .find(|&t| at(own, t) != at(other, t))
        .map_or(0, |t| t + 1)
}

/// An event that removes a material's supply on a path.
#[derive(Clone, Copy)]
struct Biting<'a> {
    end_uses: EndUses,
    loss: &'a Loss,
}

/// One material's simulation over a chunk of paths, with its working space.
struct ChunkSimulation<'a> {
    model: &'a Model,
    material: usize,
    spec: &'a MaterialModel,
    events: &'a RealisedEvents,
    noise: &'a DemandNoise,
    /// Whether the material has demand in each end-use class.
    class_has_demand: [bool; 3],
    /// Per class, the demand of the current path in months `0..demand_months[class]`.
    demand_kg: [Vec<f64>; 3],
    keep: [Vec<f64>; 3],
    /// Per scenario, in the model's order (a scenario reads only earlier ones').
    scenarios: Vec<ScenarioScratch<'a>>,
    /// Whether `fill_deficit` keeps the current scenario's deficit before
    /// alternatives in `raw` (the rebuild and the build-up plan test it).
    keeps_raw: bool,
    raw: Vec<f64>,
}

/// One scenario's working space in `ChunkSimulation`: the current path's, and (for
/// `shared_from`) the chunk's.
struct ScenarioScratch<'a> {
    /// The events that remove this material's supply on the current path.
    biting: Vec<Biting<'a>>,
    /// The current path's deficit (or net drawdown) over months `0..deficit_months`.
    deficit: Vec<f64>,
    deficit_months: usize,
    /// The earlier scenario its later months may share, and per path of the chunk the
    /// month from which they did.
    share_with: Option<ShareTarget>,
    shared_from: Vec<usize>,
    /// Whether a later scenario reuses this one's tail (`ShareTarget::reuses_tail`):
    /// then the current path's deficit before alternative supply (which depends on
    /// when each scenario's first event starts) is kept, over months
    /// `0..raw_deficit_months`.
    is_tail_source: bool,
    raw_deficit: Vec<f64>,
    raw_deficit_months: usize,
}

impl<'a> ChunkSimulation<'a> {
    fn new(
        model: &'a Model,
        material: usize,
        events: &'a RealisedEvents,
        noise: &'a DemandNoise,
        share_with: &'a [Option<ShareTarget>],
    ) -> Self {
        let spec = &model.materials[material];
        let horizon = model.horizon_months;
        ChunkSimulation {
            model,
            material,
            spec,
            events,
            noise,
            class_has_demand: std::array::from_fn(|class| {
                !spec.users_by_class[class].is_empty()
                    || (class == 0 && spec.direct_kg_per_month > 0.0)
            }),
            demand_kg: std::array::from_fn(|_| vec![0.0; horizon]),
            keep: std::array::from_fn(|_| vec![1.0; horizon]),
            scenarios: share_with
                .iter()
                .enumerate()
                .map(|(s, &shares)| {
                    // What `fill_deficit` and the sharing of months rely on: a
                    // scenario's are complete when a later one reads them.
                    debug_assert!(shares.is_none_or(|target| target.with < s));
                    let is_tail_source = share_with[s + 1..]
                        .iter()
                        .flatten()
                        .any(|target| target.with == s && target.reuses_tail);
                    ScenarioScratch {
                        biting: Vec::new(),
                        deficit: vec![0.0; horizon],
                        deficit_months: 0,
                        share_with: shares,
                        shared_from: Vec::new(),
                        is_tail_source,
                        raw_deficit: if is_tail_source {
                            vec![0.0; horizon]
                        } else {
                            Vec::new()
                        },
                        raw_deficit_months: 0,
                    }
                })
                .collect(),
            keeps_raw: model.rebuild_after_disruption,
            raw: vec![0.0; horizon],
        }
    }

    /// Simulates `paths` into `out`, which holds zeros (and `NEVER` run-outs).
    fn run(mut self, strategic_on_hand_kg: f64, paths: std::ops::Range<usize>, out: &mut ChunkOut) {
        let scenarios = self.model.scenarios.len();
        let row = out.row;
        // Per scenario, the months written on some path of the chunk.
        let mut written_months = vec![0; scenarios];
        for (local, path) in paths.enumerate() {
            let demand_months = self.find_biting_events(path);
            self.draw_demand(path, demand_months);
            for s in 0..scenarios {
                let filled = self.fill_deficit(s);
                self.scenarios[s].deficit_months = self.drawdown_months(s, &filled);
                out.alternative_kg[s] += filled.alternative_kg;
                out.alternative_cost[s] += filled.alternative_cost;
                out.last_month_deficit_kg[s][local] = filled.last_month_kg;
            }
            for (s, written) in written_months.iter_mut().enumerate() {
                let (earlier, rest) = self.scenarios.split_at_mut(s);
                let scratch = &mut rest[0];
                let hi = scratch.deficit_months;
                let deficit = &scratch.deficit[..hi];
                // Months from `own_to` on equal those of the scenario shared with.
                let own_to = match scratch.share_with {
                    Some(ShareTarget { with, .. }) => {
                        let other = &earlier[with];
                        let from =
                            first_shared_month(deficit, &other.deficit[..other.deficit_months]);
                        scratch.shared_from.push(from);
                        from.min(hi)
                    }
                    None => hi,
                };
                if hi == 0 {
                    continue;
                }
                *written = (*written).max(own_to);
                // Backward recursions B[t] = max(0, net[t] + B[t+1]) and M[t] =
                // max(B[t], M[t+1]), B[H] = M[H] = 0, where `net` is the deficit less
                // the rebuild (none without rebuild: then B never rises and M = B bit
                // for bit). The buffer is already 0 from `hi` on, and is written only
                // below `own_to`.
                let buffer = &mut out.buffers[s];
                let (mut next, mut worst) = (0.0, 0.0);
                for t in (own_to..hi).rev() {
                    next = (deficit[t] + next).max(0.0);
                    worst = if next > worst { next } else { worst };
                }
                for t in (0..own_to).rev() {
                    next = (deficit[t] + next).max(0.0);
                    worst = if next > worst { next } else { worst };
                    // Rounded to the nearest single, which is positive for any buffer
                    // above 1e-45 kg.
                    buffer[t * row + local] = worst as StoredKg;
                }
                let rebuild = self.model.rebuild_after_disruption;
                if let Some(t) = run_out_month(deficit, rebuild, worst, strategic_on_hand_kg) {
                    out.run_out[s][local] = t as u32;
                }
            }
        }
        for (s, written) in written_months.iter_mut().enumerate() {
            let scratch = &self.scenarios[s];
            if let Some(ShareTarget { with, .. }) = scratch.share_with {
                // From here on it equals the scenario it shares with on every path.
                let from_month = scratch.shared_from.iter().copied().max().unwrap_or(0);
                self.fill_shared_rows(out, s, with, from_month);
                *written = (*written).max(from_month);
                out.shares[s] = Some(Shared { with, from_month });
            }
        }
        // The ranges month by month over contiguous rows, rather than path by path
        // inside the recursion, where each update was a read-modify-write of memory.
        for (s, &months) in written_months.iter().enumerate() {
            for t in 0..months {
                out.positive_range[s][t] =
                    row_positive_range(&out.buffers[s][t * row..t * row + out.len]);
            }
        }
    }

    /// Below the chunk's shared month, a path whose own months ended earlier takes its
    /// remaining months from the scenario shared with (whose rows are complete: it is
    /// an earlier scenario).
    fn fill_shared_rows(&self, out: &mut ChunkOut, s: usize, with: usize, from_month: usize) {
        let (row, len) = (out.row, out.len);
        for t in 0..from_month {
            let holder = out.holder(with, t);
            let (earlier, later) = out.buffers.split_at_mut(s);
            let source = &earlier[holder][t * row..t * row + len];
            let target = &mut later[0][t * row..t * row + len];
            for ((target_k, source_k), &path_from) in target
                .iter_mut()
                .zip(source)
                .zip(&self.scenarios[s].shared_from)
            {
                if path_from <= t {
                    *target_k = *source_k;
                }
            }
        }
    }

    /// Collects, per scenario, the events biting this material on `path`. Returns,
    /// per class, the months whose demand can be lost.
    fn find_biting_events(&mut self, path: usize) -> [usize; 3] {
        let mut demand_months = [0; 3];
        for (s, scenario) in self.model.scenarios.iter().enumerate() {
            let biting = &mut self.scenarios[s].biting;
            biting.clear();
            for (event, loss) in scenario.events.iter().zip(self.events.path(s, path)) {
                let Some(loss) = loss else {
                    continue;
                };
                if !event.hits_material[self.material] {
                    continue;
                }
                biting.push(Biting {
                    end_uses: event.end_uses,
                    loss,
                });
                for (class, months) in demand_months.iter_mut().enumerate() {
                    if event.end_uses.hits(END_USE_CLASSES[class]) {
                        *months = (*months).max(usize::from(loss.last));
                    }
                }
            }
        }
        demand_months
    }

    /// The path's demand per end-use class over the months it can be lost.
    fn draw_demand(&mut self, path: usize, demand_months: [usize; 3]) {
        let model = self.model;
        for (class, demand) in self.demand_kg.iter_mut().enumerate() {
            if !self.class_has_demand[class] {
                continue;
            }
            let direct = if class == 0 {
                self.spec.direct_kg_per_month
            } else {
                0.0
            };
            let demand = &mut demand[..demand_months[class]];
            demand.fill(direct);
            // Product by product over the months (the sum per month is the same, in the
            // same order), so each product's factors are read as one contiguous row.
            for &(_, product, kg_per_unit) in &self.spec.users_by_class[class] {
                let units = &model.products[product].expected_units[..demand.len()];
                let factors = self.noise.row(product, path);
                if factors.len() >= demand.len() {
                    for ((demand_t, units_t), factor) in demand.iter_mut().zip(units).zip(factors) {
                        *demand_t += units_t * f64::from(*factor) * kg_per_unit;
                    }
                } else {
                    for (t, (demand_t, units_t)) in demand.iter_mut().zip(units).enumerate() {
                        let factor = self.noise.factor(model, product, path, t);
                        *demand_t += units_t * factor * kg_per_unit;
                    }
                }
            }
        }
    }

    /// Fills `deficits[s]` for scenario `s` on the current path with the deficit after
    /// alternative supply. The deficit before alternatives is left in `raw` when
    /// `keeps_raw`.
    fn fill_deficit(&mut self, s: usize) -> Filled {
        let horizon = self.model.horizon_months;
        let (earlier, rest) = self.scenarios.split_at_mut(s);
        let scratch = &mut rest[0];
        let tail = scratch.share_with.filter(|target| target.reuses_tail);
        let biting = &scratch.biting;
        if biting.is_empty() && tail.is_none() {
            scratch.raw_deficit_months = 0;
            return Filled::default();
        }
        // Months from here on are the earlier scenario's, copied below.
        let own_to = tail.map_or(horizon, |target| target.differ_until);
        let spans = class_spans(&self.class_has_demand, biting, horizon, own_to);
        let own_hi = spans
            .iter()
            .filter(|(lo, hi)| lo < hi)
            .map(|&(_, hi)| hi)
            .max()
            .unwrap_or(0);
        let exposed_share = self.spec.exposed_share;
        let deficit = &mut scratch.deficit;
        deficit[..own_hi].fill(0.0);
        for (class, keep) in self.keep.iter_mut().enumerate() {
            let (lo, hi) = spans[class];
            if lo >= hi {
                continue;
            }
            keep[lo..hi].fill(1.0);
            for event in biting {
                if event.end_uses.hits(END_USE_CLASSES[class]) {
                    event.loss.profile.apply(&mut keep[..hi]);
                }
            }
            // No branch on the lost share: where nothing is lost it is 0 and adds an
            // exact 0 (the demand there may be left from another path, but is finite).
            let demand = &self.demand_kg[class][lo..hi];
            for ((deficit_t, keep_t), demand_t) in
                deficit[lo..hi].iter_mut().zip(&keep[lo..hi]).zip(demand)
            {
                *deficit_t += exposed_share * demand_t * (1.0 - keep_t);
            }
        }
        let mut hi = own_hi;
        if let Some(ShareTarget {
            with, differ_until, ..
        }) = tail
        {
            // Only the events both scenarios have, applied in the same order, bite from
            // `differ_until` on (the others would add exact zeros), so the deficit there
            // is the earlier scenario's, bit for bit.
            // `with` is earlier (`share_targets`): its deficit on this path is filled.
            let source = &earlier[with];
            let source_hi = source.raw_deficit_months;
            if source_hi > differ_until {
                deficit[own_hi..differ_until].fill(0.0);
                deficit[differ_until..source_hi]
                    .copy_from_slice(&source.raw_deficit[differ_until..source_hi]);
                hi = source_hi;
            }
        }
        if scratch.is_tail_source {
            scratch.raw_deficit[..hi].copy_from_slice(&deficit[..hi]);
            scratch.raw_deficit_months = hi;
        }
        if hi == 0 {
            return Filled::default();
        }
        if self.keeps_raw {
            self.raw[..hi].copy_from_slice(&deficit[..hi]);
        }
        let first_loss = biting
            .iter()
            .map(|event| event.loss.first_loss_month)
            .fold(f64::INFINITY, f64::min);
        let (alternative_kg, alternative_cost) = if self.spec.alternatives.is_empty() {
            (0.0, 0.0)
        } else {
            apply_alternatives(self.spec, first_loss, &mut deficit[..hi])
        };
        let last_month_kg = if hi == horizon { deficit[hi - 1] } else { 0.0 };
        Filled {
            raw_months: hi,
            first_loss,
            last_month_kg,
            alternative_kg,
            alternative_cost,
        }
    }

    /// Turns `deficits[s]`, as `fill_deficit` left it, into what the recursion sums
    /// (with rebuild, the net drawdown: less what can be rebuilt each month) and
    /// returns the months `0..months` that can hold a positive one.
    fn drawdown_months(&mut self, s: usize, filled: &Filled) -> usize {
        let hi = filled.raw_months;
        if hi == 0 {
            return 0;
        }
        let deficit = &mut self.scenarios[s].deficit;
        let kept = if self.model.rebuild_after_disruption {
            subtract_rebuild(self.spec, filled.first_loss, &self.raw[..hi], deficit)
        } else {
            hi
        };
        // Trailing months with nothing to draw down (the events still reach them but
        // alternatives, a cut that leaves a class untouched, or the rebuild cover
        // them) leave the buffer at exactly 0: the recursion, the stores and the
        // selection then skip them.
        deficit[..kept]
            .iter()
            .rposition(|&deficit_t| deficit_t > 0.0)
            .map_or(0, |last| last + 1)
    }
}

/// Per end-use class with demand, the months `[lo, hi)` the biting events hitting it
/// span, cut at `own_to`: only there can it lose supply (a class no event hits adds
/// nothing).
fn class_spans(
    class_has_demand: &[bool; 3],
    biting: &[Biting],
    horizon: usize,
    own_to: usize,
) -> [(usize, usize); 3] {
    std::array::from_fn(|class| {
        if !class_has_demand[class] {
            return (0, 0);
        }
        let (lo, hi) = biting
            .iter()
            .filter(|event| event.end_uses.hits(END_USE_CLASSES[class]))
            .fold((horizon, 0), |(lo, hi), event| {
                (
                    lo.min(usize::from(event.loss.first)),
                    hi.max(usize::from(event.loss.last)),
                )
            });
        (lo, hi.min(own_to))
    })
}

/// What `fill_deficit` left for one scenario on one path.
#[derive(Clone, Copy, Debug, Default)]
struct Filled {
    /// The months `0..raw_months` hold the deficit before alternatives (in `raw`)
    /// and after them (in `deficits[s]`); both are 0 from there on.
    raw_months: usize,
    /// When the path's first loss starts (alternatives qualify from it).
    first_loss: f64,
    /// The last month's deficit after alternatives (0 when the events end earlier).
    last_month_kg: f64,
    alternative_kg: f64,
    alternative_cost: f64,
}

/// The qualified alternative capacity of month `t` (MODEL.md `alt[m,t]`) on a path
/// whose first loss starts at `first_loss`.
fn alternative_capacity(spec: &MaterialModel, first_loss: f64, t: usize) -> f64 {
    spec.alternatives
        .iter()
        .map(|a| a.capacity_kg_per_month * cover(t, a.qualified_from(first_loss), f64::INFINITY))
        .sum()
}

/// Subtracts the rebuild capacity `r[t]` (MODEL.md "drawdown and rebuild") from the
/// deficits after alternatives, turning `deficit` into the net drawdown of each
/// month, and returns the months that can hold a positive one. `raw` is the deficit
/// before alternatives (zero past its end). A month whose raw deficit and the
/// lead time's months before it are all clean rebuilds at the purchase cap (no cap:
/// without limit, `-inf`, so the drawdown starts again from a full stock); any other
/// month only with the alternatives' spare capacity, up to the cap.
fn subtract_rebuild(
    spec: &MaterialModel,
    first_loss: f64,
    raw: &[f64],
    deficit: &mut [f64],
) -> usize {
    let lead = spec.purchase_lead_months;
    // From `end` on every month is clean with no deficit: nothing to draw down.
    let end = raw.len().saturating_add(lead).min(deficit.len());
    deficit[raw.len()..end].fill(0.0);
    let cap = spec.max_purchase_kg_per_month.unwrap_or(f64::INFINITY);
    let mut last_short: Option<usize> = None;
    for (t, net_t) in deficit[..end].iter_mut().enumerate() {
        let raw_t = raw.get(t).copied().unwrap_or(0.0);
        if raw_t > DEFICIT_TOLERANCE_KG {
            last_short = Some(t);
        }
        let clean = last_short.is_none_or(|short| t > short + lead);
        let rebuild_kg = if clean {
            cap
        } else {
            cap.min((alternative_capacity(spec, first_loss, t) - raw_t).max(0.0))
        };
        *net_t -= rebuild_kg;
    }
    end
}

/// Relative bound on how far two sums of the same non-negative deficits, added in
/// different orders, can differ by rounding: `2 n u` with `n` at most
/// `MAX_HORIZON_MONTHS` (240) terms and `u = 2^-53` is below 6e-14.
const SUM_ORDER_MARGIN: f64 = 1e-12;
const _: () = assert!(
    2.0 * crate::project::limits::MAX_HORIZON_MONTHS as f64 * (f64::EPSILON / 2.0)
        < SUM_ORDER_MARGIN / 10.0
);

/// Run-out: the first month `t` whose drawdown from a full stock, `Dd[t+1] =
/// max(0, Dd[t] + net[t])`, exceeds the strategic stock (without rebuild `net` is the
/// deficit, never negative, and `Dd` the cumulative deficit).
///
/// `worst_kg` is the recursion's `M[0]`, the deepest drawdown. Without rebuild it is
/// the same deficits summed backwards: when it is below the stock by more than
/// rounding can explain, no month-by-month sum can exceed it, and the chain of
/// dependent additions (which cost more than the recursion on plants whose stock
/// covers the deficit) is skipped. With rebuild (`rebuild`) the terms have both signs, so
/// rounding is not bounded relative to the total, and every month is walked.
fn run_out_month(
    net: &[f64],
    rebuild: bool,
    worst_kg: f64,
    strategic_on_hand_kg: f64,
) -> Option<usize> {
    if !rebuild && worst_kg * (1.0 + SUM_ORDER_MARGIN) < strategic_on_hand_kg {
        return None;
    }
    let mut drawdown: f64 = 0.0;
    net.iter().position(|n| {
        drawdown = (drawdown + n).max(0.0);
        drawdown > strategic_on_hand_kg
    })
}

/// The smallest and largest positive value of `values` (`(INFINITY, 0)` when none is
/// positive). Eight independent lanes of plain comparisons (no value is NaN), which
/// compile to packed min/max instructions.
fn row_positive_range(values: &[StoredKg]) -> (f64, f64) {
    const LANES: usize = 8;
    let mut low = [StoredKg::INFINITY; LANES];
    let mut high = [0.0; LANES];
    let mut update = |lane: usize, value: StoredKg| {
        let positive = if value > 0.0 {
            value
        } else {
            StoredKg::INFINITY
        };
        low[lane] = if positive < low[lane] {
            positive
        } else {
            low[lane]
        };
        high[lane] = if value > high[lane] {
            value
        } else {
            high[lane]
        };
    };
    let mut quads = values.chunks_exact(LANES);
    for quad in &mut quads {
        for (lane, &value) in quad.iter().enumerate() {
            update(lane, value);
        }
    }
    for &value in quads.remainder() {
        update(0, value);
    }
    (
        f64::from(low.into_iter().fold(StoredKg::INFINITY, StoredKg::min)),
        f64::from(high.into_iter().fold(0.0, StoredKg::max)),
    )
}

/// Reduces the deficit by the qualified alternatives' capacity (cheapest premium
/// first) and returns the kilograms they supply and their extra cost.
fn apply_alternatives(spec: &MaterialModel, first_loss: f64, deficit: &mut [f64]) -> (f64, f64) {
    let horizon = deficit.len();
    let mut supplied_kg = 0.0;
    let mut extra_cost = 0.0;
    // One alternative at a time over the months: each month sees the alternatives in
    // the same order as month by month, so the deficits are the same, and the loop
    // over whole months has no branch.
    for alternative in &spec.alternatives {
        let qualified = alternative.qualified_from(first_loss);
        let capacity = alternative.capacity_kg_per_month;
        // The month qualification falls in has the share of capacity after it; the
        // months wholly after it have the full capacity (their cover is 1).
        let partial = floor_month(qualified, horizon);
        let whole = ceil_month(qualified, horizon);
        let mut supplied_by_this_kg = 0.0;
        for (t, deficit_t) in deficit.iter_mut().enumerate().take(whole).skip(partial) {
            let used = (capacity * cover(t, qualified, f64::INFINITY)).min(*deficit_t);
            *deficit_t -= used;
            supplied_by_this_kg += used;
        }
        for deficit_t in &mut deficit[whole..] {
            // A plain comparison (neither is NaN) rather than `f64::min`.
            let used = if capacity < *deficit_t {
                capacity
            } else {
                *deficit_t
            };
            *deficit_t -= used;
            supplied_by_this_kg += used;
        }
        supplied_kg += supplied_by_this_kg;
        extra_cost += supplied_by_this_kg * spec.price_per_kg * alternative.price_premium;
    }
    (supplied_kg, extra_cost)
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    use super::*;

    /// The definition: the first month the forward cumulative sum exceeds the stock.
    fn run_out_by_definition(deficit: &[f64], stock_kg: f64) -> Option<usize> {
        let mut cumulative = 0.0;
        for (t, d) in deficit.iter().enumerate() {
            cumulative += d;
            if cumulative > stock_kg {
                return Some(t);
            }
        }
        None
    }

    #[test]
    fn run_out_shortcut_agrees_with_the_month_by_month_sum() {
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        for case in 0..20_000 {
            let months = rng.random_range(1..=240);
            // Deficits of mixed magnitudes, with zeros, as the simulation leaves them.
            let deficit: Vec<f64> = (0..months)
                .map(|_| match rng.random_range(0..4) {
                    0 => 0.0,
                    1 => rng.random::<f64>() * 1e-6,
                    2 => rng.random::<f64>() * 1e3,
                    _ => rng.random::<f64>() * 1e7,
                })
                .collect();
            let backward_total = deficit
                .iter()
                .rev()
                .fold(0.0, |next, d| (d + next).max(0.0));
            // Stocks at, just around and far from the cumulative sums and the total,
            // where the two summation orders round differently.
            let mut cumulative = 0.0;
            let at = rng.random_range(0..months);
            for d in &deficit[..=at] {
                cumulative += d;
            }
            let forward_total: f64 = deficit.iter().sum();
            for stock_kg in [
                0.0,
                cumulative,
                f64::from_bits(cumulative.to_bits() + 1),
                f64::from_bits(cumulative.to_bits().saturating_sub(1)),
                forward_total,
                f64::from_bits(forward_total.to_bits() + 1),
                f64::from_bits(forward_total.to_bits().saturating_sub(1)),
                backward_total,
                f64::from_bits(backward_total.to_bits() + 1),
                backward_total * 1.5,
            ] {
                assert_eq!(
                    run_out_month(&deficit, false, backward_total, stock_kg),
                    run_out_by_definition(&deficit, stock_kg),
                    "case {case}, stock {stock_kg}"
                );
            }
        }
    }

    #[test]
    fn deficits_are_shared_from_their_last_difference() {
        assert_eq!(first_shared_month(&[], &[]), 0);
        assert_eq!(first_shared_month(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), 0);
        assert_eq!(first_shared_month(&[5.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), 1);
        assert_eq!(first_shared_month(&[1.0, 2.0, 3.0], &[1.0, 2.5, 3.0]), 2);
        // Past a slice's end the deficit is 0.
        assert_eq!(first_shared_month(&[1.0, 2.0, 0.0], &[1.0, 2.0]), 0);
        assert_eq!(first_shared_month(&[1.0, 2.0, 4.0], &[1.0, 2.0]), 3);
        assert_eq!(first_shared_month(&[], &[0.0, 7.0]), 2);
        // Signed zeros are told apart: sharing is bit for bit.
        assert_eq!(first_shared_month(&[-0.0], &[0.0]), 1);
    }

    #[test]
    fn scenarios_share_with_the_one_that_differs_soonest_over() {
        let project = crate::reference::reference_plant();
        let model = match Model::new(&project, &Default::default()) {
            Ok(model) => model,
            Err(err) => panic!("{err}"),
        };
        // Renewed (no events) shares with none; the lapse has the refusals and a
        // licensing event over by month 15; the embargo and the refusals-only scenario
        // differ from the lapse in events over by months 30 and 15; the recurring
        // slow-walk lasts the whole horizon.
        let after_lapse = |differ_until| {
            Some(ShareTarget {
                with: 1,
                differ_until,
                reuses_tail: true,
            })
        };
        assert_eq!(
            share_targets(&model, 0),
            vec![None, None, after_lapse(30), after_lapse(15), None]
        );
    }

    #[test]
    fn tails_are_reused_only_when_shared_events_come_in_the_same_order() {
        let mut project = crate::reference::reference_plant();
        // The lapse lists its licensing event, then the refusals.
        let lapse = project.scenarios[1].clone();
        let mut strike = lapse.events[0].clone();
        if let crate::project::Event::Once { name, .. } = &mut strike {
            *name = "Port strike".to_owned();
        }
        let mut same_order = lapse.clone();
        same_order.id = "same_order".to_owned();
        same_order.events.push(strike.clone());
        let mut reversed = lapse.clone();
        reversed.id = "reversed".to_owned();
        reversed.events.reverse();
        reversed.events.push(strike);
        project.scenarios = vec![lapse, same_order, reversed];
        let model = match Model::new(&project, &Default::default()) {
            Ok(model) => model,
            Err(err) => panic!("{err}"),
        };
        let targets = share_targets(&model, 0);
        let reuses = |s: usize| targets[s].map(|target| (target.with, target.reuses_tail));
        assert_eq!(reuses(1), Some((0, true)));
        // Matched with the lapse (0) or the first copy (1), the refusals and the
        // licensing now come the other way round.
        assert_eq!(reuses(2).map(|(_, reuses_tail)| reuses_tail), Some(false));
    }

    #[test]
    fn positive_range_skips_zeros() {
        assert_eq!(row_positive_range(&[]), (f64::INFINITY, 0.0));
        assert_eq!(row_positive_range(&[0.0; 7]), (f64::INFINITY, 0.0));
        let values = [0.0, 3.0, 0.0, 0.5, 9.0, 0.0, 2.0, 0.0, 0.25];
        assert_eq!(row_positive_range(&values), (0.25, 9.0));
    }
}
