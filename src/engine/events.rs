//! One path's draw of a scenario's events, and the share of supply each removes per month.

use super::model::{EventKind, EventModel};
use super::rng::{DOMAIN_EVENT, draw, exponential, stream, uniform_int, uniform01};

/// An event as it happens on one path.
#[derive(Clone, Debug, PartialEq)]
pub enum Realised {
    /// A `Once` event whose occurrence draw failed, or that removes nothing.
    Absent,
    Once {
        start: f64,
        duration: f64,
        cut: f64,
        /// The licence-delay gap in months: `min(delay / 30, duration)`.
        gap: f64,
        price_multiplier: f64,
    },
    Recurring {
        cut: f64,
        /// Outage intervals `[start, end)` that begin within the horizon, in order.
        outages: Vec<(f64, f64)>,
    },
}

/// The share of supply an event leaves on one path, as factors `1 - loss(t)` on the
/// months it touches (every other month keeps a factor of 1). A `Once` event's parts
/// are fixed-size, so a path's events lie together in memory; only a `Recurring`
/// event's outage months are on the heap.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LossProfile {
    /// Single months with their own factor (a `Once` event's partly covered edges:
    /// where it starts, where its licence gap ends and where it ends).
    edge_count: u8,
    edge_months: [Month; 3],
    edge_factors: [f64; 3],
    /// Runs of months `[from, to)` sharing one factor (a `Once` event's whole months
    /// inside the licence gap, then after it).
    runs: [(Month, Month); 2],
    run_factors: [f64; 2],
    /// A `Recurring` event's outage months, ascending, each with its factor. Only
    /// months an outage touches are listed: the others keep exactly 1, and
    /// multiplying by 1 would change nothing.
    outage_months: Box<[(Month, f64)]>,
}

impl LossProfile {
    /// `keep[t] *= 1 - loss(t)` for the months `keep` holds (from month 0).
    pub fn apply(&self, keep: &mut [f64]) {
        let months = keep.len();
        let edges = self.edge_count as usize;
        for (&t, factor) in self.edge_months[..edges].iter().zip(&self.edge_factors) {
            if let Some(keep_t) = keep.get_mut(t as usize) {
                *keep_t *= factor;
            }
        }
        for (&(from, to), factor) in self.runs.iter().zip(&self.run_factors) {
            let to = (to as usize).min(months);
            for keep_t in keep.get_mut(from as usize..to).unwrap_or_default() {
                *keep_t *= factor;
            }
        }
        for &(t, factor) in &self.outage_months {
            let Some(keep_t) = keep.get_mut(t as usize) else {
                break;
            };
            *keep_t *= factor;
        }
    }
}

/// A month index as a drawn event stores it: two bytes rather than eight, because
/// every path keeps every event's months for the whole run.
pub type Month = u16;
const _: () = assert!(crate::project::limits::MAX_HORIZON_MONTHS < Month::MAX as u32);

/// A month index within the horizon as a `Month`.
pub fn month_index(month: usize) -> Month {
    Month::try_from(month).unwrap_or(Month::MAX)
}

/// `floor(x)` as a month index within `0..=horizon`. Integer conversion rather than
/// `f64::floor`, which compiles to a library call on baseline x86-64 and runs several
/// times per event per path per material.
pub fn floor_month(x: f64, horizon: usize) -> usize {
    if x >= horizon as f64 {
        horizon
    } else if x > 0.0 {
        x as usize
    } else {
        0
    }
}

/// `ceil(x)` as a month index within `0..=horizon` (see `floor_month`).
pub fn ceil_month(x: f64, horizon: usize) -> usize {
    let floor = floor_month(x, horizon);
    if (floor as f64) < x && floor < horizon {
        floor + 1
    } else {
        floor
    }
}

/// `|[t, t+1) ∩ [from, to)|`: how much of month `t` an interval covers.
pub fn cover(t: usize, from: f64, to: f64) -> f64 {
    let t = t as f64;
    (to.min(t + 1.0) - from.max(t)).clamp(0.0, 1.0)
}

impl Realised {
    /// Draws an event for one path. Draw order is fixed (occurrence, start, duration,
    /// cut, delay) and every draw is made even when unused, so a change to one input
    /// never shifts another's draws.
    pub fn draw(event: &EventModel, seed: u64, path: u64, horizon: usize) -> Realised {
        let mut rng = stream(seed, DOMAIN_EVENT, path, event.draw_key, 0);
        match &event.kind {
            EventKind::Once {
                start_from,
                start_to,
                duration_months,
                supply_cut,
                licence_delay_days,
                price_multiplier,
                probability,
            } => {
                let occurrence = uniform01(&mut rng);
                let start = f64::from(uniform_int(*start_from, *start_to, &mut rng));
                let duration = draw(duration_months, &mut rng);
                let cut = draw(supply_cut, &mut rng);
                let delay_days = draw(licence_delay_days, &mut rng);
                if occurrence >= *probability {
                    return Realised::Absent;
                }
                Realised::Once {
                    start,
                    duration,
                    cut,
                    gap: (delay_days / 30.0).min(duration),
                    price_multiplier: *price_multiplier,
                }
            }
            EventKind::Recurring {
                mean_months_between,
                mean_duration_months,
                supply_cut,
            } => {
                let cut = draw(supply_cut, &mut rng);
                let mut outages = Vec::new();
                let mut clock = 0.0;
                let horizon = horizon as f64;
                loop {
                    clock += exponential(*mean_months_between, &mut rng);
                    if clock >= horizon {
                        break;
                    }
                    let duration = exponential(*mean_duration_months, &mut rng);
                    outages.push((clock, clock + duration));
                    clock += duration;
                }
                Realised::Recurring { cut, outages }
            }
        }
    }

    /// Whether the event removes any supply on this path within the horizon. An event
    /// over before the plan starts removes none, so it does not start the
    /// qualification of alternatives either.
    pub fn has_loss(&self, horizon: usize) -> bool {
        match self {
            Realised::Absent => false,
            Realised::Once {
                start,
                duration,
                cut,
                gap,
                ..
            } => {
                // With no cut only the licence gap removes supply.
                let end = if *cut > 0.0 {
                    start + duration
                } else {
                    start + gap
                };
                *duration > 0.0
                    && (*cut > 0.0 || *gap > 0.0)
                    && *start < horizon as f64
                    && end > 0.0
            }
            Realised::Recurring { cut, outages } => *cut > 0.0 && !outages.is_empty(),
        }
    }

    /// When the event first removes supply (used to start alternative suppliers' qualification).
    pub fn first_loss_month(&self) -> Option<f64> {
        match self {
            Realised::Absent => None,
            Realised::Once { start, .. } => Some(*start),
            Realised::Recurring { outages, .. } => outages.first().map(|o| o.0),
        }
    }

    /// The factors `1 - loss(t)` this event multiplies availability by, worked out once
    /// per path so that every material and end-use class it hits only multiplies.
    pub fn loss_profile(&self, horizon: usize) -> LossProfile {
        match self {
            Realised::Absent => LossProfile::default(),
            Realised::Once {
                start,
                duration,
                cut,
                gap,
                ..
            } => {
                let end = start + duration;
                let gap_end = start + gap;
                let loss = |t: usize| {
                    cut * cover(t, *start, end) + (1.0 - cut) * cover(t, *start, gap_end)
                };
                let first = floor_month(*start, horizon);
                let last = ceil_month(end, horizon).max(first);
                // Months wholly inside the event lose a constant share (computed by the
                // same formula, so the result does not depend on this shortcut): all
                // of it within the licence gap, the cut after it. Only the few months
                // at the edges need the overlaps.
                let whole_from = ceil_month(*start, horizon).clamp(first, last);
                let whole_to = floor_month(end, horizon).clamp(whole_from, last);
                let gap_to = floor_month(gap_end, horizon).clamp(whole_from, whole_to);
                let cut_from = ceil_month(gap_end, horizon).clamp(gap_to, whole_to);
                let whole_in_gap = cut * 1.0 + (1.0 - cut) * 1.0;
                let whole_after_gap = cut * 1.0 + (1.0 - cut) * 0.0;
                let mut profile = LossProfile {
                    runs: [
                        (month_index(whole_from), month_index(gap_to)),
                        (month_index(cut_from), month_index(whole_to)),
                    ],
                    run_factors: [1.0 - whole_in_gap, 1.0 - whole_after_gap],
                    ..LossProfile::default()
                };
                // At most one edge month per boundary: the start, the gap's end, the end.
                for t in (first..whole_from)
                    .chain(gap_to..cut_from)
                    .chain(whole_to..last)
                {
                    let edge = profile.edge_count as usize;
                    debug_assert!(edge < 3, "the clamps leave one edge month per boundary");
                    profile.edge_months[edge] = month_index(t);
                    profile.edge_factors[edge] = 1.0 - loss(t);
                    profile.edge_count += 1;
                }
                profile
            }
            Realised::Recurring { cut, outages } => {
                // One factor per month: sum the month's covered fractions first. The
                // outages are in order and apart, so a month two of them touch is the
                // last one listed when the second reaches it.
                let months =
                    |&(from, to): &(f64, f64)| floor_month(from, horizon)..ceil_month(to, horizon);
                // Allocated once, at its size (less the rare month two outages share):
                // grown push by push, the lists cost a sixth more to draw.
                let mut covered: Vec<(Month, f64)> =
                    Vec::with_capacity(outages.iter().map(|outage| months(outage).len()).sum());
                for outage @ &(from, to) in outages {
                    for t in months(outage) {
                        let share = cover(t, from, to);
                        match covered.last_mut() {
                            Some((month, sum)) if *month == month_index(t) => *sum += share,
                            _ => covered.push((month_index(t), share)),
                        }
                    }
                }
                for (_, share) in &mut covered {
                    *share = 1.0 - cut * share.min(1.0);
                }
                LossProfile {
                    outage_months: covered.into_boxed_slice(),
                    ..LossProfile::default()
                }
            }
        }
    }

    /// The months `[first, last)` in which the event can remove supply.
    pub fn active_months(&self, horizon: usize) -> (usize, usize) {
        let span = |from: f64, to: f64| {
            let first = floor_month(from, horizon);
            let last = ceil_month(to, horizon);
            (first, last.max(first))
        };
        match self {
            Realised::Absent => (0, 0),
            Realised::Once {
                start, duration, ..
            } => span(*start, start + duration),
            Realised::Recurring { outages, .. } => match (outages.first(), outages.last()) {
                (Some(first), Some(last)) => span(first.0, last.1),
                _ => (0, 0),
            },
        }
    }

    /// Adds the price premium this event adds in each month, `(multiplier - 1) *
    /// cover(t)`, to `sums`.
    pub fn add_price_uplift(&self, sums: &mut [f64]) {
        if let Realised::Once {
            start,
            duration,
            price_multiplier,
            ..
        } = self
        {
            if *price_multiplier == 1.0 {
                return;
            }
            let end = start + duration;
            let first = floor_month(*start, sums.len());
            let last = ceil_month(end, sums.len()).max(first);
            for (t, sum) in sums.iter_mut().enumerate().take(last).skip(first) {
                *sum += (price_multiplier - 1.0) * cover(t, *start, end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_is_the_overlap_with_the_month() {
        assert_eq!(cover(3, 3.0, 9.0), 1.0);
        assert_eq!(cover(2, 3.0, 9.0), 0.0);
        assert_eq!(cover(4, 3.0, 4.5), 0.5);
        assert_eq!(cover(0, -2.0, 0.25), 0.25);
    }

    #[test]
    fn licence_gap_adds_the_uncut_share() {
        let event = Realised::Once {
            start: 3.0,
            duration: 6.0,
            cut: 0.5,
            gap: 1.5,
            price_multiplier: 1.0,
        };
        let mut keep = vec![1.0; 12];
        event.loss_profile(keep.len()).apply(&mut keep);
        let lost: f64 = keep.iter().map(|k| 1.0 - k).sum();
        assert_eq!(lost, 0.5 * 6.0 + 0.5 * 1.5);
        assert_eq!(keep[3], 0.0);
        assert_eq!(keep[4], 0.25);
    }

    #[test]
    fn whole_months_shortcut_equals_the_overlap_formula() {
        let horizon = 24;
        let starts = [-12.0, -0.5, 0.0, 0.25, 3.0, 7.6, 23.5, 30.0];
        let durations = [0.0, 0.3, 1.0, 2.5, 6.0, 120.0];
        let cuts = [0.0, 0.1, 0.45, 1.0];
        let gaps = [0.0, 0.2, 1.0, 1.5, 200.0];
        for &start in &starts {
            for &duration in &durations {
                for &cut in &cuts {
                    for &gap in &gaps {
                        let gap: f64 = f64::min(gap, duration);
                        let event = Realised::Once {
                            start,
                            duration,
                            cut,
                            gap,
                            price_multiplier: 1.0,
                        };
                        let mut keep = vec![0.9; horizon];
                        event.loss_profile(keep.len()).apply(&mut keep);
                        for (t, kept) in keep.iter().enumerate() {
                            let loss = cut * cover(t, start, start + duration)
                                + (1.0 - cut) * cover(t, start, start + gap);
                            assert_eq!(
                                kept.to_bits(),
                                (0.9 * (1.0 - loss)).to_bits(),
                                "start {start}, duration {duration}, cut {cut}, gap {gap}, month {t}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn recurring_factors_equal_the_summed_overlaps() {
        let horizon = 12;
        // Outages sharing months (2 and 3), one wholly inside a month (5), one running
        // past the horizon, and an instant one.
        let outages = vec![
            (0.5, 2.25),
            (2.5, 3.5),
            (3.75, 4.0),
            (5.2, 5.4),
            (7.0, 7.0),
            (9.5, 20.0),
        ];
        let cut = 0.7;
        let event = Realised::Recurring {
            cut,
            outages: outages.clone(),
        };
        let mut keep = vec![0.9; horizon];
        event.loss_profile(horizon).apply(&mut keep);
        for (t, kept) in keep.iter().enumerate() {
            // The definition: month by month, every outage's overlap summed in order.
            let covered = outages
                .iter()
                .fold(0.0, |sum, &(from, to)| sum + cover(t, from, to));
            assert_eq!(
                kept.to_bits(),
                (0.9 * (1.0 - cut * f64::min(covered, 1.0))).to_bits(),
                "month {t}"
            );
        }
        assert_eq!(keep[6], 0.9);
        assert!(keep[3] < 0.9);
    }

    #[test]
    fn month_rounding_matches_floor_and_ceil() {
        let horizon = 60;
        for x in [
            -3.5,
            -0.0,
            0.0,
            1e-12,
            0.5,
            1.0,
            2.999,
            3.0,
            59.2,
            60.0,
            61.5,
            1e300,
            f64::INFINITY,
        ] {
            let clamp = |v: f64| v.clamp(0.0, horizon as f64) as usize;
            assert_eq!(floor_month(x, horizon), clamp(x.floor()), "floor {x}");
            assert_eq!(ceil_month(x, horizon), clamp(x.ceil()), "ceil {x}");
        }
    }
}
