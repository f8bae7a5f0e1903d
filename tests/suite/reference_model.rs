//! A naive reference implementation of MODEL.md, checked against the engine.
//!
//! The engine avoids work in many ways (months no event reaches, trimmed zero tails,
//! scenarios sharing months, selection instead of sorting, a run-out shortcut, a
//! second pass for the build-up plan). This file is the model written as plainly as
//! the spec reads: for every material, scenario, path and month, from the file's own
//! fields, with only the random draws taken from the engine (`engine::streams`) so the
//! two see the same events and demand. Generated projects of both formats (rebuild on
//! and off, caps, lead times, alternatives qualified ahead or at the first loss,
//! licence gaps, uncertain starts and durations, recurring outages, end uses) must
//! give the same figures:
//!
//! * run-out months and the plan's reach month exactly; the paths that run out
//!   following the plan exactly but for a path whose stock lands within rounding of
//!   zero, which may fall either way (the naive count is bounded both ways);
//! * buffers, shortfalls and orders within `RELATIVE_BOUND`: the engine sums a
//!   month's deficit per end-use class and applies alternatives one at a time, the
//!   naive code per product and all at once, so the same terms are added in another
//!   order. Each figure is a sum of at most a few hundred non-negative terms (months
//!   times products), whose rounding differs by at most `2 n u` relatively
//!   (`u = 2^-53`): 1e-9 leaves a margin of four orders of magnitude.
//!
//! Buffer samples are stored in single precision (issue 18, METHODOLOGY §2.2), here as
//! in the engine: rounding is monotone, so both give the same order statistics of the
//! same rounded values, except where the two doubles (1e-13 apart) straddle a rounding
//! boundary of a single; the buffers, the targets built on them and the plan's orders
//! and paths are then one single's step (`2^-23` relative) apart, which
//! `STORED_BOUND` adds to `RELATIVE_BOUND`.

use proptest::prelude::*;
use stockpile_planner::engine::streams::{self, Realised};
use stockpile_planner::engine::{self, Model, Recommendation, RunOptions};
use stockpile_planner::project::*;

const RELATIVE_BOUND: f64 = 1e-9;
/// MODEL.md: a deficit counts as positive above this.
const POSITIVE_KG: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= RELATIVE_BOUND * a.abs().max(b.abs()).max(1.0)
}

/// For figures built on stored buffer samples: `RELATIVE_BOUND` and one single's step.
const STORED_BOUND: f64 = RELATIVE_BOUND + f32::EPSILON as f64;

fn close_stored(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= STORED_BOUND * a.abs().max(b.abs()).max(scale).max(1.0)
}

/// A buffer sample as stored (single precision), read back.
fn stored(kg: f64) -> f64 {
    f64::from(kg as f32)
}

/// `|[t, t+1) ∩ [from, to)|`.
fn cover(t: usize, from: f64, to: f64) -> f64 {
    let t = t as f64;
    (to.min(t + 1.0) - from.max(t)).clamp(0.0, 1.0)
}

/// The `k`-th smallest (1-based) with `k = ceil(a n - 1e-9)`, by sorting.
fn quantile(values: &[f64], level: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let k = ((level * sorted.len() as f64 - 1e-9).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

/// The mixture quantile: the smallest sample `x` with `sum_s w_s c_s(x) / n >= a - 1e-9`.
fn mixture_quantile(samples: &[Vec<f64>], weights: &[f64], level: f64) -> f64 {
    let mut all: Vec<f64> = samples.iter().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    all.dedup();
    for x in all {
        let share: f64 = samples
            .iter()
            .zip(weights)
            .map(|(s, w)| w * s.iter().filter(|v| **v <= x).count() as f64 / s.len() as f64)
            .sum();
        if share >= level - 1e-9 {
            return x;
        }
    }
    0.0
}

/// The `ceil(q n)`-th smallest run-out month, `None` ("never") after every month.
fn run_out_statistic(months: &[Option<usize>], q: f64) -> Option<usize> {
    let mut sorted: Vec<usize> = months.iter().map(|m| m.unwrap_or(usize::MAX)).collect();
    sorted.sort_unstable();
    let k = ((q * sorted.len() as f64 - 1e-9).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[k - 1]).filter(|&m| m != usize::MAX)
}

/// The share of supply an event removes in month `t` (0 when it does not occur).
fn loss(event: &Realised, t: usize) -> f64 {
    match event {
        Realised::Absent => 0.0,
        Realised::Once {
            start,
            duration,
            cut,
            gap,
            ..
        } => cut * cover(t, *start, start + duration) + (1.0 - cut) * cover(t, *start, start + gap),
        Realised::Recurring { cut, outages } => {
            let covered: f64 = outages.iter().map(|&(from, to)| cover(t, from, to)).sum();
            cut * covered.min(1.0)
        }
    }
}

/// When an event first removes supply within the horizon, if it does.
fn first_loss(event: &Realised, horizon: usize) -> Option<f64> {
    if !(0..horizon).any(|t| loss(event, t) > 0.0) {
        return None;
    }
    match event {
        Realised::Absent => None,
        Realised::Once { start, .. } => Some(*start),
        Realised::Recurring { outages, .. } => outages.first().map(|o| o.0),
    }
}

/// One scenario of one material on every path.
struct NaiveScenario {
    /// `M[k][t]`.
    worst: Vec<Vec<f64>>,
    run_out: Vec<Option<usize>>,
    last_month_kg: Vec<f64>,
    /// Per path, the deficits before and after alternatives (for the plan's paths).
    raw: Vec<Vec<f64>>,
    after: Vec<Vec<f64>>,
    /// Per path, the price per kg of each month.
    price: Vec<Vec<f64>>,
}

struct NaiveMaterial {
    scenario_buffer: Vec<Vec<f64>>,
    blended_buffer: Vec<f64>,
    recommended: Vec<f64>,
    orders: Vec<f64>,
    /// The reach month with the comparison moved by the rounding bound each way (a
    /// stock within rounding of the recommendation may count either way).
    reaches: [Option<usize>; 2],
    run_out_median: Vec<Option<usize>>,
    run_out_p10: Vec<Option<usize>>,
    last_month_median: Vec<f64>,
    /// Run-outs following the plan counted with the stock's sign test moved by the
    /// rounding bound each way (`x < -eps`, `x < +eps`): a path whose stock lands within
    /// rounding of exactly zero may fall either way in the engine.
    following_counts: [Vec<usize>; 2],
    following_median: [Vec<Option<usize>>; 2],
}

fn simulate_scenario(project: &Project, model: &Model, m: usize, s: usize) -> NaiveScenario {
    let horizon = project.horizon_months as usize;
    let n = project.paths as usize;
    let material = &project.materials[m];
    let scenario = &project.scenarios[s];
    let level = match project.service_level {
        ServiceLevel::Fixed(level) => level,
        ServiceLevel::Auto => unreachable!("the generated projects use fixed levels"),
    };
    let safety_stock = safety_stock_kg(project, m, level);
    let strategic_on_hand = (material.on_hand_kg - safety_stock).max(0.0);
    let cap = material.max_purchase_kg_per_month.unwrap_or(f64::INFINITY);
    let lead = (material.lead_time_days / 30.0 - 1e-9).ceil().max(0.0) as usize;
    let mut out = NaiveScenario {
        worst: Vec::new(),
        run_out: Vec::new(),
        last_month_kg: Vec::new(),
        raw: Vec::new(),
        after: Vec::new(),
        price: Vec::new(),
    };
    for k in 0..n {
        let events: Vec<(usize, Realised)> = scenario
            .events
            .iter()
            .enumerate()
            .filter(|(_, event)| event.materials().contains(&material.id))
            .map(|(e, _)| (e, streams::event(model, s, e, k)))
            .collect();
        let availability = |end_use: EndUse, t: usize| -> f64 {
            events
                .iter()
                .filter(|(e, _)| scenario.events[*e].end_uses().hits(end_use))
                .map(|(_, realised)| 1.0 - loss(realised, t))
                .product()
        };
        let raw: Vec<f64> = (0..horizon)
            .map(|t| {
                let mut lost =
                    material.direct_kg_per_month * (1.0 - availability(EndUse::Civil, t));
                for (p, product) in project.products.iter().enumerate() {
                    let Some(kg) = product.bill_of_materials.kg_per_unit(&material.id) else {
                        continue;
                    };
                    let units = product.units_per_month
                        * (1.0 + product.growth_per_year).powf(t as f64 / 12.0)
                        * streams::demand_factor(model, p, k, t);
                    lost += units * kg * (1.0 - availability(product.end_use, t));
                }
                material.exposed_share * lost
            })
            .collect();
        let first = events
            .iter()
            .filter_map(|(_, realised)| first_loss(realised, horizon))
            .reduce(f64::min);
        let alternative = |t: usize| -> f64 {
            let Some(first) = first else {
                return 0.0;
            };
            material
                .alternatives
                .iter()
                .map(|a| {
                    let start = match a.qualification_starts {
                        QualificationStart::AtFirstLoss => first,
                        QualificationStart::AtPlanStart => first.min(0.0),
                    };
                    a.capacity_kg_per_month
                        * cover(t, start + a.qualification_months, f64::INFINITY)
                })
                .sum()
        };
        let after: Vec<f64> = (0..horizon)
            .map(|t| (raw[t] - alternative(t)).max(0.0))
            .collect();
        let rebuild: Vec<f64> = (0..horizon)
            .map(|t| {
                if !project.rebuild_after_disruption {
                    return 0.0;
                }
                let clean = (t.saturating_sub(lead)..=t).all(|u| raw[u] <= POSITIVE_KG);
                if clean {
                    cap
                } else {
                    cap.min((alternative(t) - raw[t]).max(0.0))
                }
            })
            .collect();
        let mut b = vec![0.0; horizon + 1];
        let mut worst = vec![0.0; horizon + 1];
        for t in (0..horizon).rev() {
            b[t] = if rebuild[t].is_infinite() {
                0.0
            } else {
                (after[t] - rebuild[t] + b[t + 1]).max(0.0)
            };
            worst[t] = b[t].max(worst[t + 1]);
        }
        let mut drawdown: f64 = 0.0;
        let mut run_out = None;
        for t in 0..horizon {
            drawdown = if rebuild[t].is_infinite() {
                0.0
            } else {
                (drawdown + after[t] - rebuild[t]).max(0.0)
            };
            if drawdown > strategic_on_hand {
                run_out = Some(t);
                break;
            }
        }
        let price: Vec<f64> = (0..horizon)
            .map(|t| {
                let uplift: f64 = events
                    .iter()
                    .map(|(_, realised)| match realised {
                        Realised::Once {
                            start,
                            duration,
                            price_multiplier,
                            ..
                        } => (price_multiplier - 1.0) * cover(t, *start, start + duration),
                        _ => 0.0,
                    })
                    .sum();
                material.price_per_kg * (1.0 + uplift)
            })
            .collect();
        out.worst
            .push(worst[..horizon].iter().map(|&kg| stored(kg)).collect());
        out.run_out.push(run_out);
        out.last_month_kg.push(after[horizon - 1]);
        out.raw.push(raw);
        out.after.push(after);
        out.price.push(price);
    }
    out
}

fn safety_stock_kg(project: &Project, m: usize, level: f64) -> f64 {
    let material = &project.materials[m];
    let (mean, variance) = project.products.iter().fold((0.0, 0.0), |(mean, var), p| {
        match p.bill_of_materials.kg_per_unit(&material.id) {
            Some(kg) => (
                mean + kg * p.units_per_month,
                var + (kg * p.units_per_month * p.demand_cv).powi(2),
            ),
            None => (mean, var),
        }
    });
    let mean = mean + material.direct_kg_per_month;
    engine::z_score(level)
        * (material.lead_time_days / 30.0 * variance
            + mean.powi(2) * (material.lead_time_sd_days / 30.0).powi(2))
        .sqrt()
}

fn naive(project: &Project) -> Vec<NaiveMaterial> {
    let model = Model::new(project, &RunOptions::default()).expect("a valid project");
    let horizon = project.horizon_months as usize;
    let n = project.paths as usize;
    let total: f64 = project.scenarios.iter().map(|s| s.probability).sum();
    let weights: Vec<f64> = project
        .scenarios
        .iter()
        .map(|s| s.probability / total)
        .collect();
    let ServiceLevel::Fixed(level) = project.service_level else {
        unreachable!("the generated projects use fixed levels");
    };
    (0..project.materials.len())
        .map(|m| {
            let material = &project.materials[m];
            let scenarios: Vec<NaiveScenario> = (0..project.scenarios.len())
                .map(|s| simulate_scenario(project, &model, m, s))
                .collect();
            let month_samples = |t: usize| -> Vec<Vec<f64>> {
                scenarios
                    .iter()
                    .map(|sc| sc.worst.iter().map(|path| path[t]).collect())
                    .collect()
            };
            let scenario_buffer: Vec<Vec<f64>> = scenarios
                .iter()
                .map(|sc| {
                    (0..horizon)
                        .map(|t| {
                            quantile(&sc.worst.iter().map(|p| p[t]).collect::<Vec<_>>(), level)
                        })
                        .collect()
                })
                .collect();
            let blended_buffer: Vec<f64> = (0..horizon)
                .map(|t| mixture_quantile(&month_samples(t), &weights, level))
                .collect();
            let safety_stock = safety_stock_kg(project, m, level);
            let recommended: Vec<f64> = blended_buffer.iter().map(|b| safety_stock + b).collect();
            // The plan as scheduled.
            let cap = material.max_purchase_kg_per_month.unwrap_or(f64::INFINITY);
            let lead = (material.lead_time_days / 30.0 - 1e-9).ceil().max(0.0) as usize;
            let order_rule = |t: usize, position: f64, orders: &[f64]| -> f64 {
                if t + lead >= horizon {
                    return 0.0;
                }
                let on_order: f64 = orders[t.saturating_sub(lead)..t].iter().sum();
                (recommended[t + lead] - position - on_order)
                    .max(0.0)
                    .min(cap)
            };
            let mut orders = Vec::new();
            let mut stock = material.on_hand_kg;
            let mut reaches = [None, None];
            for t in 0..horizon {
                let order = order_rule(t, stock, &orders);
                orders.push(order);
                if t >= lead {
                    stock += orders[t - lead];
                }
                for (reach, side) in reaches.iter_mut().zip([-1.0, 1.0]) {
                    let tolerance = 10.0 * STORED_BOUND * recommended[0].abs().max(1.0);
                    let bound = recommended[0] + side * tolerance;
                    if reach.is_none() && stock >= bound {
                        *reach = Some(t);
                    }
                }
            }
            // Each path following the plan.
            let strategic_on_hand = (material.on_hand_kg - safety_stock).max(0.0);
            let held_as_safety = material.on_hand_kg.min(safety_stock);
            let scale = recommended
                .iter()
                .copied()
                .fold(material.on_hand_kg, f64::max)
                .max(1.0);
            let following_with = |threshold: f64| -> Vec<Vec<Option<usize>>> {
                scenarios
                    .iter()
                    .map(|sc| {
                        (0..n)
                            .map(|k| {
                                let path_scale = sc.after[k].iter().sum::<f64>().max(scale);
                                let eps = threshold * STORED_BOUND * path_scale;
                                let mut path_orders = Vec::new();
                                let mut x = strategic_on_hand;
                                for t in 0..horizon {
                                    let order = if sc.raw[k][t] > POSITIVE_KG {
                                        0.0
                                    } else {
                                        order_rule(t, x + held_as_safety, &path_orders)
                                    };
                                    path_orders.push(order);
                                    let arrival = if t >= lead {
                                        path_orders[t - lead]
                                    } else {
                                        0.0
                                    };
                                    x = x + arrival - sc.after[k][t];
                                    if x < eps {
                                        return Some(t);
                                    }
                                }
                                None
                            })
                            .collect()
                    })
                    .collect()
            };
            let following = [following_with(-1.0), following_with(1.0)];
            NaiveMaterial {
                scenario_buffer,
                blended_buffer,
                recommended,
                orders,
                reaches,
                run_out_median: scenarios
                    .iter()
                    .map(|sc| run_out_statistic(&sc.run_out, 0.5))
                    .collect(),
                run_out_p10: scenarios
                    .iter()
                    .map(|sc| run_out_statistic(&sc.run_out, 0.1))
                    .collect(),
                last_month_median: scenarios
                    .iter()
                    .map(|sc| quantile(&sc.last_month_kg, 0.5))
                    .collect(),
                following_counts: following.clone().map(|by_scenario| {
                    by_scenario
                        .iter()
                        .map(|f| f.iter().flatten().count())
                        .collect()
                }),
                following_median: following.map(|by_scenario| {
                    by_scenario
                        .iter()
                        .map(|f| run_out_statistic(f, 0.5))
                        .collect()
                }),
            }
        })
        .collect()
}

fn compare(project: &Project, rec: &Recommendation) -> Result<(), TestCaseError> {
    let n = project.paths as f64;
    for (m, (naive, engine)) in naive(project).iter().zip(&rec.materials).enumerate() {
        let at = |what: &str| format!("material {m}: {what}");
        // The plan's scale: its targets and what is on hand.
        let scale = naive
            .recommended
            .iter()
            .copied()
            .fold(engine.on_hand_kg, f64::max);
        for (t, (a, b)) in naive
            .blended_buffer
            .iter()
            .zip(&engine.monthly.strategic_buffer_kg)
            .enumerate()
        {
            prop_assert!(
                close_stored(*a, *b, 0.0),
                "{}: naive {a}, engine {b}",
                at(&format!("blended buffer, month {t}"))
            );
        }
        for (t, (a, b)) in naive
            .recommended
            .iter()
            .zip(&engine.monthly.recommended_stock_kg)
            .enumerate()
        {
            prop_assert!(
                close_stored(*a, *b, 0.0),
                "{}: naive {a}, engine {b}",
                at(&format!("recommended stock, month {t}"))
            );
        }
        for (s, figures) in engine.by_scenario.iter().enumerate() {
            for (t, (a, b)) in naive.scenario_buffer[s]
                .iter()
                .zip(&figures.buffer_by_month_kg)
                .enumerate()
            {
                prop_assert!(
                    close_stored(*a, *b, 0.0),
                    "{}: naive {a}, engine {b}",
                    at(&format!("scenario {s} buffer, month {t}"))
                );
            }
            prop_assert_eq!(
                naive.run_out_median[s],
                figures.run_out_month_median,
                "{}",
                at(&format!("scenario {s} median run-out"))
            );
            prop_assert_eq!(
                naive.run_out_p10[s],
                figures.run_out_month_p10,
                "{}",
                at(&format!("scenario {s} 10% run-out"))
            );
            let (a, b) = (
                naive.last_month_median[s],
                figures.shortfall_in_last_month_kg,
            );
            prop_assert!(
                close(a, b),
                "{}: naive {a}, engine {b}",
                at(&format!("scenario {s} last month's shortfall"))
            );
            // Exact where no path lands within rounding of zero stock (the bounds agree).
            let engine_count = (figures.run_out_probability_following_plan * n).round() as usize;
            let [fewest, most] = [naive.following_counts[0][s], naive.following_counts[1][s]];
            prop_assert!(
                (fewest..=most).contains(&engine_count),
                "{}: engine {engine_count} paths, naive {fewest} to {most}",
                at(&format!("scenario {s} run-outs following the plan"))
            );
            // More run-outs can only make the median month earlier ("never" is last).
            let never_last = |m: Option<usize>| m.unwrap_or(usize::MAX);
            let (latest, earliest) = (naive.following_median[0][s], naive.following_median[1][s]);
            let median = figures.run_out_month_median_following_plan;
            prop_assert!(
                never_last(earliest) <= never_last(median)
                    && never_last(median) <= never_last(latest),
                "{}: engine {median:?}, naive {earliest:?} to {latest:?}",
                at(&format!("scenario {s} median run-out following the plan"))
            );
        }
        for (t, (a, b)) in naive
            .orders
            .iter()
            .zip(&engine.buildup.order_kg)
            .enumerate()
        {
            prop_assert!(
                close_stored(*a, *b, scale),
                "{}: naive {a}, engine {b}",
                at(&format!("order, month {t}"))
            );
        }
        let never_last = |m: Option<usize>| m.unwrap_or(usize::MAX);
        let reached = never_last(engine.buildup.reaches_recommendation_month);
        prop_assert!(
            never_last(naive.reaches[0]) <= reached && reached <= never_last(naive.reaches[1]),
            "{}: engine {:?}, naive {:?}",
            at("reach month"),
            engine.buildup.reaches_recommendation_month,
            naive.reaches
        );
    }
    Ok(())
}

// ---------------------------------------------------------------- generated projects

fn dist(low: f64, high: f64) -> impl Strategy<Value = Dist> {
    prop_oneof![
        (low..=high).prop_map(Dist::Fixed),
        (low..=high, low..=high).prop_map(|(a, b)| Dist::Uniform(a.min(b), a.max(b))),
        (low..=high, low..=high, low..=high).prop_map(|(a, b, c)| {
            let mut v = [a, b, c];
            v.sort_by(f64::total_cmp);
            Dist::Triangular(v[0], v[1], v[2])
        }),
    ]
}

fn end_uses() -> impl Strategy<Value = EndUses> {
    prop_oneof![
        Just(EndUses::All),
        Just(EndUses::MilitaryOnly),
        Just(EndUses::CivilOnly)
    ]
}

/// An event of either kind; `Some(bits)` picks the materials it hits.
fn event(start: YearMonth) -> impl Strategy<Value = (Event, Option<u8>)> {
    let once = (
        (
            -6i32..30,
            0i32..4,
            end_uses(),
            prop::option::of(any::<u8>()),
        ),
        (
            dist(0.0, 14.0),
            dist(0.0, 1.0),
            dist(0.0, 90.0),
            1.0..3.0f64,
            prop_oneof![Just(1.0), 0.0..=1.0f64],
        ),
    )
        .prop_map(
            move |(
                (offset, spread, end_uses, pick),
                (duration, cut, delay, multiplier, probability),
            )| {
                let from = start.plus_months(offset);
                let start = if spread == 0 {
                    StartMonth::Fixed(from)
                } else {
                    StartMonth::Uniform(from, from.plus_months(spread))
                };
                (
                    Event::Once {
                        name: format!("once {offset} {spread}"),
                        materials: MaterialSet::All,
                        end_uses,
                        start,
                        duration_months: duration,
                        supply_cut: cut,
                        licence_delay_days: delay,
                        price_multiplier: multiplier,
                        probability,
                    },
                    pick,
                )
            },
        );
    let recurring = (
        0.5..12.0f64,
        0.2..4.0f64,
        dist(0.0, 1.0),
        end_uses(),
        prop::option::of(any::<u8>()),
    )
        .prop_map(|(between, duration, cut, end_uses, pick)| {
            (
                Event::Recurring {
                    name: "outages".to_owned(),
                    materials: MaterialSet::All,
                    end_uses,
                    mean_months_between: between,
                    mean_duration_months: duration,
                    supply_cut: cut,
                },
                pick,
            )
        });
    prop_oneof![3 => once, 1 => recurring]
}

fn alternative() -> impl Strategy<Value = Alternative> {
    (0.0..300.0f64, 0.0..8.0f64, 0.0..0.5f64, any::<bool>()).prop_map(
        |(capacity, months, premium, ahead)| Alternative {
            name: "alt".to_owned(),
            capacity_kg_per_month: capacity,
            qualification_months: months,
            price_premium: premium,
            qualification_starts: if ahead {
                QualificationStart::AtPlanStart
            } else {
                QualificationStart::AtFirstLoss
            },
        },
    )
}

fn material(index: usize) -> impl Strategy<Value = Material> {
    (
        (
            0.0..3000.0f64,
            0.0..=1.0f64,
            prop_oneof![Just(0.0), 0.0..120.0f64],
            prop_oneof![Just(0.0), 0.0..20.0f64],
        ),
        (
            prop::option::of(prop_oneof![Just(0.0), 1.0..400.0f64]),
            prop_oneof![Just(0.0), 0.0..50.0f64],
            prop::collection::vec(alternative(), 0..3),
        ),
    )
        .prop_map(
            move |((on_hand, exposed, lead, lead_sd), (cap, direct, alternatives))| {
                let mut m = Material::new(format!("m{index}"), format!("Material {index}"), 50.0);
                m.on_hand_kg = on_hand;
                m.exposed_share = exposed;
                m.lead_time_days = lead;
                m.lead_time_sd_days = lead_sd;
                m.max_purchase_kg_per_month = cap;
                m.direct_kg_per_month = direct;
                m.alternatives = alternatives;
                m
            },
        )
}

fn product(index: usize, materials: usize) -> impl Strategy<Value = Product> {
    (
        1.0..500.0f64,
        -0.3..0.5f64,
        prop_oneof![Just(0.0), 0.0..0.4f64],
        prop_oneof![
            Just(EndUse::Civil),
            Just(EndUse::Military),
            Just(EndUse::Dual)
        ],
        prop::collection::vec(prop::option::of(0.1..3.0f64), materials),
    )
        .prop_map(move |(units, growth, cv, end_use, kgs)| {
            let mut p = Product::new(format!("p{index}"), format!("Product {index}"), units);
            p.growth_per_year = growth;
            p.demand_cv = cv;
            p.end_use = end_use;
            p.bill_of_materials = KgByMaterial(
                kgs.iter()
                    .enumerate()
                    .filter_map(|(m, kg)| kg.map(|kg| (format!("m{m}"), kg)))
                    .collect(),
            );
            p
        })
}

fn project() -> impl Strategy<Value = Project> {
    let start = YearMonth::new(2026, 12).expect("a month");
    (1usize..=2, 1usize..=3, 1usize..=3)
        .prop_flat_map(move |(materials, products, scenarios)| {
            (
                (
                    6u32..=30,
                    100u32..=200,
                    any::<u64>(),
                    any::<bool>(),
                    prop_oneof![Just(0.5), 0.5..=0.99f64],
                ),
                (0..materials).map(material).collect::<Vec<_>>(),
                (0..products)
                    .map(|p| product(p, materials))
                    .collect::<Vec<_>>(),
                prop::collection::vec(
                    (0.0..1.0f64, prop::collection::vec(event(start), 0..4)),
                    scenarios,
                ),
            )
        })
        .prop_map(
            move |((horizon, paths, seed, rebuild, level), materials, products, scenarios)| {
                let ids: Vec<String> = materials.iter().map(|m| m.id.clone()).collect();
                let scenarios = scenarios
                    .into_iter()
                    .enumerate()
                    .map(|(s, (weight, events))| Scenario {
                        id: format!("s{s}"),
                        name: format!("Scenario {s}"),
                        probability: if s == 0 { weight + 0.1 } else { weight },
                        description: String::new(),
                        notes: String::new(),
                        events: events
                            .into_iter()
                            .enumerate()
                            .map(|(e, (mut event, pick))| {
                                if let Some(bits) = pick {
                                    let chosen: Vec<String> = ids
                                        .iter()
                                        .enumerate()
                                        .filter(|(i, _)| bits & (1 << i) != 0)
                                        .map(|(_, id)| id.clone())
                                        .collect();
                                    if !chosen.is_empty() {
                                        match &mut event {
                                            Event::Once { materials, .. }
                                            | Event::Recurring { materials, .. } => {
                                                *materials = MaterialSet::Only(chosen)
                                            }
                                        }
                                    }
                                }
                                // Names repeat across scenarios on purpose (common draws), but
                                // not within one.
                                if let Event::Once { name, .. } = &mut event {
                                    name.push_str(&format!(" #{e}"));
                                }
                                event
                            })
                            .collect(),
                    })
                    .collect();
                Project {
                    format_version: CURRENT_FORMAT_VERSION,
                    name: "generated".to_owned(),
                    description: String::new(),
                    start,
                    horizon_months: horizon,
                    currency: "USD".to_owned(),
                    service_level: ServiceLevel::Fixed(level),
                    paths,
                    seed,
                    shortage_cost_per_kg: None,
                    rebuild_after_disruption: rebuild,
                    materials,
                    products,
                    scenarios,
                    saved_results: None,
                }
            },
        )
}

proptest! {
    // A fixed seed keeps CI deterministic; to explore further, change it and raise
    // `cases` (the failures found so far are kept in the regressions file).
    #![proptest_config(ProptestConfig {
        cases: 48,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_129),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_engine_agrees_with_the_naive_model(project in project()) {
        let validation = validate(&project);
        prop_assert!(validation.is_valid(), "{:?}", validation.errors().collect::<Vec<_>>());
        let rec = engine::recommend(&project, &RunOptions::default()).expect("runs");
        compare(&project, &rec)?;
    }
}

/// The conformance examples and the reference plant (at fewer paths), whose shared
/// events and dense deficits exercise the engine's sharing layers.
#[test]
fn the_engine_agrees_with_the_naive_model_on_the_examples_and_the_reference_plant() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples");
    let mut projects: Vec<Project> = [
        "check1-full-cut.ron",
        "check2-cut-with-licence-delay.ron",
        "format2/check6-rebuild.ron",
        "format2/check7-prequalified.ron",
        "format2/check9-spare-capacity.ron",
        "format2/full-format.ron",
    ]
    .iter()
    .map(|name| {
        load_file(&root.join(name))
            .unwrap_or_else(|err| panic!("{err}"))
            .project
    })
    .collect();
    let mut plant = stockpile_planner::reference::reference_plant();
    plant.paths = 200;
    plant.horizon_months = 36;
    let mut rebuilt = plant.clone();
    rebuilt.rebuild_after_disruption = true;
    projects.push(plant);
    projects.push(rebuilt);
    for mut project in projects {
        project.paths = project.paths.min(300);
        if project.service_level == ServiceLevel::Auto {
            project.service_level = ServiceLevel::Fixed(0.9);
        }
        let rec = engine::recommend(&project, &RunOptions::default()).expect("runs");
        if let Err(err) = compare(&project, &rec) {
            panic!("{}: {err}", project.name);
        }
    }
}
