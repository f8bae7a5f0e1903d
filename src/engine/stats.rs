//! Quantiles of simulated buffers (MODEL.md, "Strategic buffer"): per scenario, of the
//! probability-weighted mixture, and their order-statistic confidence intervals.

/// The `n` samples of one scenario at one month: zeros are counted, not stored,
/// because most paths need no buffer in most months; the rest are kept sorted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Samples {
    pub n: usize,
    pub zeros: usize,
    /// The positive samples, ascending.
    pub positive: Vec<f64>,
}

/// The normal quantile for a two-sided 95% interval, as MODEL.md fixes it.
pub const Z_95: f64 = 1.959964;

/// The 1-based rank MODEL.md uses for level `a` among `n` samples: `ceil(a*n - 1e-9)`.
pub fn rank(level: f64, n: usize) -> usize {
    ((level * n as f64 - 1e-9).ceil() as usize).clamp(1, n.max(1))
}

impl Samples {
    /// Builds from raw non-negative samples (a radix sort: the positive values of a
    /// month are many and the sort is the run's largest single cost).
    pub fn from_values(values: impl IntoIterator<Item = f64>) -> Samples {
        let mut n = 0;
        let mut positive: Vec<f64> = Vec::new();
        for value in values {
            n += 1;
            if value > 0.0 {
                positive.push(value);
            }
        }
        radsort::sort(&mut positive);
        Samples {
            n,
            zeros: n - positive.len(),
            positive,
        }
    }

    /// How many samples are at or below `x`.
    pub fn count_at_or_below(&self, x: f64) -> usize {
        if x < 0.0 {
            0
        } else {
            self.zeros + self.positive.partition_point(|v| *v <= x)
        }
    }

    /// The `k`-th smallest sample (1-based).
    pub fn kth(&self, k: usize) -> f64 {
        if k <= self.zeros {
            0.0
        } else {
            self.positive[(k - self.zeros - 1).min(self.positive.len().saturating_sub(1))]
        }
    }

    pub fn quantile(&self, level: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        self.kth(rank(level, self.n))
    }

    /// The order-statistic 95% interval of the quantile at `level` (n_eff = n).
    pub fn quantile_ci95(&self, level: f64) -> [f64; 2] {
        let (low, high) = ci_levels(level, self.n as f64);
        [self.quantile(low), self.quantile(high)]
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        self.positive.iter().sum::<f64>() / self.n as f64
    }

    /// `P(X > r)`.
    pub fn prob_above(&self, r: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        (self.n - self.count_at_or_below(r)) as f64 / self.n as f64
    }

    /// `E[(X - r)+]`, summed in ascending order so it is reproducible.
    pub fn expected_excess(&self, r: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let from = self.positive.partition_point(|v| *v <= r);
        self.positive[from..].iter().map(|v| v - r).sum::<f64>() / self.n as f64
    }

    /// `E[(s - X)+]`.
    pub fn expected_slack(&self, s: f64) -> f64 {
        if self.n == 0 || s <= 0.0 {
            return 0.0;
        }
        let upto = self.positive.partition_point(|v| *v <= s);
        let positive_part: f64 = self.positive[..upto].iter().map(|v| s - v).sum();
        (positive_part + self.zeros as f64 * s) / self.n as f64
    }

    /// `(E[(s - X)+], E[(X - s)+])` at each of `stocks` (ascending), from running sums
    /// in one pass over the samples: the cost curve's hundred points then cost one pass,
    /// not a hundred. Agrees with `expected_slack` and `expected_excess` to rounding.
    pub fn slack_and_excess_along(&self, stocks: &[f64]) -> Vec<(f64, f64)> {
        if self.n == 0 {
            return vec![(0.0, 0.0); stocks.len()];
        }
        let n = self.n as f64;
        let total: f64 = self.positive.iter().sum();
        let (mut below, mut below_sum) = (0, 0.0);
        stocks
            .iter()
            .map(|&stock| {
                while let Some(&value) = self.positive.get(below).filter(|v| **v <= stock) {
                    below_sum += value;
                    below += 1;
                }
                let slack = if stock > 0.0 {
                    (stock * (below + self.zeros) as f64 - below_sum) / n
                } else {
                    0.0
                };
                let above = (self.positive.len() - below) as f64;
                let excess = ((total - below_sum) - stock * above) / n;
                (slack.max(0.0), excess.max(0.0))
            })
            .collect()
    }

    pub fn max(&self) -> f64 {
        self.positive.last().copied().unwrap_or(0.0)
    }
}

/// The levels of the 95% interval for a quantile at `level` with effective sample size `n_eff`.
pub fn ci_levels(level: f64, n_eff: f64) -> (f64, f64) {
    let h = Z_95 * (level * (1.0 - level) / n_eff).sqrt();
    ((level - h).max(1.0 / n_eff), (level + h).min(1.0))
}

/// Kish's effective sample size of the mixture: `n / sum w^2`.
pub fn kish_n_eff(n: usize, weights: &[f64]) -> f64 {
    n as f64 / weights.iter().map(|w| w * w).sum::<f64>()
}

/// The mixture's cumulative weight given, per scenario, how many samples are at or
/// below some value: `sum_s w_s * c_s / n`. One definition, so that the sorted and the
/// bucketed searches compare exactly the same numbers.
fn mixture_share(counts: impl Iterator<Item = usize>, weights: &[f64], n: usize) -> f64 {
    counts
        .zip(weights)
        .map(|(count, w)| w * count as f64 / n as f64)
        .sum()
}

/// The mixture's cumulative weight at `x` (integer counts).
fn mixture_cdf(scenarios: &[&Samples], weights: &[f64], x: f64) -> f64 {
    let n = scenarios.first().map_or(1, |s| s.n);
    mixture_share(scenarios.iter().map(|s| s.count_at_or_below(x)), weights, n)
}

/// The smallest sample value `x` of any scenario with mixture cdf `>= level - 1e-9`.
pub fn mixture_quantile(scenarios: &[&Samples], weights: &[f64], level: f64) -> f64 {
    let target = level - 1e-9;
    let reaches = |x: f64| mixture_cdf(scenarios, weights, x) >= target;
    if scenarios.iter().any(|s| s.zeros > 0) && reaches(0.0) {
        return 0.0;
    }
    let mut best: Option<f64> = None;
    for samples in scenarios {
        // cdf is monotone along each scenario's sorted samples: binary search the first that reaches.
        let first = samples.positive.partition_point(|v| !reaches(*v));
        if let Some(value) = samples.positive.get(first) {
            best = Some(best.map_or(*value, |b: f64| b.min(*value)));
        }
    }
    best.unwrap_or_else(|| scenarios.iter().map(|s| s.max()).fold(0.0, f64::max))
}

/// A buffer sample as the simulation stores it, in kg: single precision (issue 18;
/// `docs/METHODOLOGY.md` §2.2). Half the memory and memory traffic of a double, and
/// seven significant digits, far finer than the sampling error of a Monte Carlo
/// quantile. Every sum, count and figure computed from the samples is in double
/// precision (`f64::from` is exact).
pub type StoredKg = f32;

/// One month's buffers of every scenario as the simulation leaves them.
pub struct MonthSamples<'a> {
    /// Samples per scenario.
    pub n: usize,
    pub scenarios: Vec<ScenarioMonth<'a>>,
}

/// One scenario's samples of a month: one slice per chunk of paths, zeros included.
pub struct ScenarioMonth<'a> {
    pub chunks: Vec<&'a [StoredKg]>,
    /// The smallest and largest positive sample (`None`: all are zero).
    pub positive_range: Option<(f64, f64)>,
    /// An earlier scenario with exactly these samples, path for path (their counts
    /// and picks are then copied rather than made again).
    pub same_as: Option<usize>,
}

impl MonthSamples<'_> {
    /// One scenario's samples, sorted (for the figures that need the whole distribution).
    pub fn sorted(&self, scenario: usize) -> Samples {
        Samples::from_values(
            self.scenarios[scenario]
                .chunks
                .iter()
                .flat_map(|s| s.iter().map(|&value| f64::from(value))),
        )
    }

    /// The smallest and largest positive sample of any scenario.
    fn positive_range(&self) -> Option<(f64, f64)> {
        self.scenarios
            .iter()
            .filter_map(|s| s.positive_range)
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }
}

/// A month's order statistics: each scenario's quantile at one level, and the
/// mixture's at several.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthQuantiles {
    pub per_scenario: Vec<f64>,
    pub mixture: Vec<f64>,
}

/// Buckets of the selection's histogram.
const BUCKETS: usize = 4096;
/// Counts per scenario: the buckets, then one slot that zeros fall into (so counting
/// needs no branch, which would mispredict on months where zeros and positives mix).
const STRIDE: usize = BUCKETS + 1;

/// Finds order statistics without sorting a month's samples: one pass counts them into
/// buckets of their bit patterns (which order positive floats), the counts name the
/// bucket each wanted statistic falls in, and a second pass sorts only those buckets'
/// few samples. Gives exactly what `Samples::quantile` and `mixture_quantile` give on
/// the sorted samples. Holds its working space so a thread reuses it month after month.
#[derive(Default)]
pub struct QuantileSelector {
    /// Per scenario, samples per bucket, then (in place) at or below each bucket.
    counts: Vec<u32>,
    zeros: Vec<usize>,
    wanted: Vec<bool>,
    /// Each sample's bucket from the counting pass, per scenario with positive samples
    /// (`rows`), so the second pass reads two bytes a sample instead of recomputing.
    buckets: Vec<u16>,
    rows: Vec<Option<std::ops::Range<usize>>>,
    /// The samples in wanted buckets, with their scenario.
    picked: Vec<(f64, usize)>,
    /// Per scenario, where its samples lie in `picked`.
    picked_by_scenario: Vec<std::ops::Range<usize>>,
}

/// Where a wanted statistic lies once the buckets are counted.
enum Found {
    Value(f64),
    /// The `rank`-th sample of scenario `scenario` in bucket `bucket`.
    InScenario {
        scenario: usize,
        bucket: usize,
        rank: usize,
    },
    /// The first sample value of bucket `bucket` at which the mixture reaches `target`.
    InMixture {
        bucket: usize,
        target: f64,
    },
}

impl Found {
    /// The bucket whose samples the statistic needs, if any.
    fn bucket(&self) -> Option<usize> {
        match *self {
            Found::Value(_) => None,
            Found::InScenario { bucket, .. } | Found::InMixture { bucket, .. } => Some(bucket),
        }
    }
}

impl QuantileSelector {
    /// A month's per-scenario quantile at `scenario_level` and the mixture's at each of
    /// `mixture_levels`: count the samples into buckets, locate the bucket of each
    /// statistic from the counts, pick those buckets' samples, resolve each statistic.
    pub fn select(
        &mut self,
        month: &MonthSamples,
        weights: &[f64],
        scenario_level: f64,
        mixture_levels: &[f64],
    ) -> MonthQuantiles {
        let scenarios = month.scenarios.len();
        let n = month.n;
        let Some((low, high)) = month.positive_range() else {
            return MonthQuantiles {
                per_scenario: vec![0.0; scenarios],
                mixture: vec![0.0; mixture_levels.len()],
            };
        };
        let low_bits = low.to_bits();
        let span_bits = high.to_bits().saturating_sub(low_bits);
        let shift =
            (u64::BITS - span_bits.leading_zeros()).saturating_sub(BUCKETS.trailing_zeros());
        // Saturating, so a value outside the given range lands in an end bucket rather
        // than out of bounds; zeros go to the extra slot.
        let bucket = |value: f64| {
            let positive =
                ((value.to_bits().saturating_sub(low_bits) >> shift) as usize).min(BUCKETS - 1);
            if value > 0.0 { positive } else { BUCKETS }
        };

        self.count_buckets(month, &bucket);

        self.wanted.clear();
        self.wanted.resize(STRIDE, false);
        let per_scenario: Vec<Found> = (0..scenarios)
            .map(|s| self.locate_in_scenario(s, n, scenario_level))
            .collect();
        let mixture: Vec<Found> = mixture_levels
            .iter()
            .map(|&level| self.locate_in_mixture(weights, n, level, high))
            .collect();

        let wanted_buckets: Vec<usize> = per_scenario
            .iter()
            .chain(&mixture)
            .filter_map(Found::bucket)
            .collect();
        self.pick_wanted(month, &wanted_buckets);
        let resolve = |found: &Found| self.resolve(found, &bucket, weights, n);
        MonthQuantiles {
            per_scenario: per_scenario.iter().map(resolve).collect(),
            mixture: mixture.iter().map(resolve).collect(),
        }
    }

    /// The first pass: each scenario's bucket of every sample and its cumulative
    /// counts per bucket, zeros apart; a scenario the same as an earlier one copies it.
    fn count_buckets(&mut self, month: &MonthSamples, bucket: &impl Fn(f64) -> usize) {
        // Only scenarios with positive samples use their counts, and clear them first:
        // zeroing and summing every scenario's buckets month after month would cost more
        // than counting a sparse month.
        let (scenarios, n) = (month.scenarios.len(), month.n);
        if self.counts.len() < scenarios * STRIDE {
            self.counts.resize(scenarios * STRIDE, 0);
        }
        self.zeros.clear();
        self.buckets.clear();
        self.rows.clear();
        for (s, scenario) in month.scenarios.iter().enumerate() {
            if let Some(same) = scenario.same_as {
                if self.rows[same].is_some() {
                    self.counts
                        .copy_within(same * STRIDE..(same + 1) * STRIDE, s * STRIDE);
                }
                self.zeros.push(self.zeros[same]);
                self.rows.push(self.rows[same].clone());
                continue;
            }
            if scenario.positive_range.is_none() {
                self.zeros.push(n);
                self.rows.push(None);
                continue;
            }
            let counts = &mut self.counts[s * STRIDE..(s + 1) * STRIDE];
            counts.fill(0);
            let start = self.buckets.len();
            for chunk in &scenario.chunks {
                self.buckets.extend(chunk.iter().map(|&value| {
                    let b = bucket(f64::from(value));
                    counts[b] += 1;
                    b as u16
                }));
            }
            self.rows.push(Some(start..self.buckets.len()));
            let mut at_or_below = 0;
            for count in &mut counts[..BUCKETS] {
                at_or_below += *count;
                *count = at_or_below;
            }
            self.zeros.push(n - at_or_below as usize);
        }
    }

    /// The second pass: the samples in the wanted buckets, sorted by value (a scenario
    /// the same as an earlier one repeats its picks under its own index).
    fn pick_wanted(&mut self, month: &MonthSamples, wanted_buckets: &[usize]) {
        self.picked.clear();
        self.picked_by_scenario.clear();
        for (s, scenario) in month.scenarios.iter().enumerate() {
            let start = self.picked.len();
            if let Some(same) = scenario.same_as {
                let earlier = self.picked_by_scenario[same].clone();
                self.picked.extend_from_within(earlier);
                for pick in &mut self.picked[start..] {
                    pick.1 = s;
                }
                self.picked_by_scenario.push(start..self.picked.len());
                continue;
            }
            self.pick_from(scenario, s, wanted_buckets);
            self.picked_by_scenario.push(start..self.picked.len());
        }
        self.picked.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    }

    /// Adds scenario `s`'s samples in wanted buckets to `picked`.
    fn pick_from(&mut self, scenario: &ScenarioMonth, s: usize, wanted_buckets: &[usize]) {
        let Some(row) = self.rows[s].clone() else {
            return;
        };
        // A scenario with no sample in any wanted bucket has nothing to pick.
        if wanted_buckets
            .iter()
            .all(|&b| self.at_or_below(s, b) == self.below(s, b))
        {
            return;
        }
        let mut slots = &self.buckets[row];
        for chunk in &scenario.chunks {
            let (these, rest) = slots.split_at(chunk.len());
            for (&value, &b) in chunk.iter().zip(these) {
                if self.wanted[usize::from(b)] {
                    self.picked.push((f64::from(value), s));
                }
            }
            slots = rest;
        }
    }

    /// (A scenario with no positive sample has no counts: none are in any bucket.)
    fn at_or_below(&self, scenario: usize, bucket: usize) -> usize {
        if self.rows[scenario].is_none() {
            return 0;
        }
        self.counts[scenario * STRIDE + bucket] as usize
    }

    fn below(&self, scenario: usize, bucket: usize) -> usize {
        bucket
            .checked_sub(1)
            .map_or(0, |b| self.at_or_below(scenario, b))
    }

    fn locate_in_scenario(&mut self, scenario: usize, n: usize, level: f64) -> Found {
        if n == 0 {
            return Found::Value(0.0);
        }
        let k = rank(level, n);
        let zeros = self.zeros[scenario];
        if k <= zeros {
            return Found::Value(0.0);
        }
        let k = k - zeros;
        let counts = &self.counts[scenario * STRIDE..scenario * STRIDE + BUCKETS];
        let bucket = counts
            .partition_point(|&c| (c as usize) < k)
            .min(BUCKETS - 1);
        self.wanted[bucket] = true;
        Found::InScenario {
            scenario,
            bucket,
            rank: k - self.below(scenario, bucket),
        }
    }

    fn locate_in_mixture(&mut self, weights: &[f64], n: usize, level: f64, high: f64) -> Found {
        let target = level - 1e-9;
        let zeros = &self.zeros;
        if zeros.iter().any(|&z| z > 0)
            && mixture_share(zeros.iter().copied(), weights, n) >= target
        {
            return Found::Value(0.0);
        }
        let scenarios = zeros.len();
        let reaches = |bucket: usize| {
            let counts = (0..scenarios).map(|s| zeros[s] + self.at_or_below(s, bucket));
            mixture_share(counts, weights, n) >= target
        };
        // The cdf grows with the bucket: binary search the first that reaches.
        let (mut bucket, mut above) = (0, BUCKETS);
        while bucket < above {
            let middle = (bucket + above) / 2;
            if reaches(middle) {
                above = middle;
            } else {
                bucket = middle + 1;
            }
        }
        if bucket == BUCKETS {
            // Rounding left the whole mixture short of the level: its largest sample.
            return Found::Value(high);
        }
        self.wanted[bucket] = true;
        Found::InMixture { bucket, target }
    }

    fn resolve(
        &self,
        found: &Found,
        bucket_of: &dyn Fn(f64) -> usize,
        weights: &[f64],
        n: usize,
    ) -> f64 {
        let in_bucket = |bucket: usize| {
            let from = self.picked.partition_point(|p| bucket_of(p.0) < bucket);
            let to = self.picked.partition_point(|p| bucket_of(p.0) <= bucket);
            &self.picked[from..to]
        };
        match *found {
            Found::Value(value) => value,
            Found::InScenario {
                scenario,
                bucket,
                rank,
            } => in_bucket(bucket)
                .iter()
                .filter(|p| p.1 == scenario)
                .nth(rank - 1)
                .map_or(0.0, |p| p.0),
            Found::InMixture { bucket, target } => {
                let mut counts: Vec<usize> = (0..self.zeros.len())
                    .map(|s| self.zeros[s] + self.below(s, bucket))
                    .collect();
                let samples = in_bucket(bucket);
                for (i, &(value, scenario)) in samples.iter().enumerate() {
                    counts[scenario] += 1;
                    let last_of_value = samples.get(i + 1).is_none_or(|next| next.0 != value);
                    if last_of_value && mixture_share(counts.iter().copied(), weights, n) >= target
                    {
                        return value;
                    }
                }
                // Unreachable: the bucket's last sample reaches the target by its choice.
                samples.last().map_or(0.0, |p| p.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_follows_the_model() {
        assert_eq!(rank(0.95, 100), 95);
        assert_eq!(rank(0.951, 100), 96);
        assert_eq!(rank(0.5, 1), 1);
        assert_eq!(rank(1.0, 10), 10);
    }

    #[test]
    fn quantiles_count_zeros() {
        let s = Samples::from_values([0.0, 0.0, 3.0, 1.0, 2.0]);
        assert_eq!(s.zeros, 2);
        assert_eq!(s.quantile(0.4), 0.0);
        assert_eq!(s.quantile(0.6), 1.0);
        assert_eq!(s.quantile(1.0), 3.0);
        assert_eq!(s.prob_above(1.0), 0.4);
        assert_eq!(s.expected_excess(1.0), (1.0 + 2.0) / 5.0);
        assert_eq!(s.expected_slack(2.0), (2.0 + 2.0 + 1.0 + 0.0) / 5.0);
    }

    #[test]
    fn mixture_matches_check_3() {
        let stop = Samples::from_values(vec![540.0; 100]);
        let calm = Samples::from_values(vec![0.0; 100]);
        let weights = [0.3, 0.7];
        assert_eq!(mixture_quantile(&[&stop, &calm], &weights, 0.95), 540.0);
        assert_eq!(mixture_quantile(&[&stop, &calm], &weights, 0.6), 0.0);
        assert_eq!(mixture_quantile(&[&stop, &calm], &weights, 0.7), 0.0);
        assert_eq!(mixture_quantile(&[&stop, &calm], &weights, 0.71), 540.0);
    }

    #[test]
    fn mixture_of_one_is_the_plain_quantile() {
        let values: Vec<f64> = (0..1000).map(|i| (i * 7919 % 1000) as f64).collect();
        let s = Samples::from_values(values);
        for level in [0.5, 0.9, 0.95, 0.999] {
            assert_eq!(mixture_quantile(&[&s], &[1.0], level), s.quantile(level));
        }
    }

    /// Values with ties, zeros, tiny and huge magnitudes, from a fixed LCG.
    fn awkward_values(count: usize, seed: u64, zero_share: f64) -> Vec<f64> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = (state >> 11) as f64 / (1u64 << 53) as f64;
                if u < zero_share {
                    0.0
                } else if u < zero_share + 0.05 {
                    540.0 // a tie shared by many paths and scenarios
                } else if u < zero_share + 0.07 {
                    1e-9 * u
                } else {
                    (u * 40.0).exp() * 1e-3
                }
            })
            .collect()
    }

    #[test]
    fn selection_matches_sorting() {
        let n = 3000;
        let weight_sets: [&[f64]; 4] = [
            &[0.4, 0.3, 0.1, 0.2],
            &[0.5, 0.0, 0.25, 0.25],
            &[1.0, 0.0, 0.0, 0.0],
            // The last scenario has the first one's samples and says so (`same_as`).
            &[0.3, 0.3, 0.1, 0.3],
        ];
        let shared_case = 3;
        let mixture_levels = [0.95, 0.9, 0.97, 0.05, 0.25, 0.5, 0.75, 0.999, 0.0001];
        for (case, weights) in weight_sets.iter().enumerate() {
            // Stored as the simulation stores them.
            let mut values: Vec<Vec<StoredKg>> = (0..weights.len())
                .map(|s| {
                    awkward_values(n, (case * 10 + s) as u64, 0.2 * s as f64)
                        .into_iter()
                        .map(|v| v as StoredKg)
                        .collect()
                })
                .collect();
            let same_as = |s: usize| (case == shared_case && s == 3).then_some(0);
            if case == shared_case {
                values[3] = values[0].clone();
            }
            // Uneven chunks, as the simulation's last chunk is.
            let month = MonthSamples {
                n,
                scenarios: values
                    .iter()
                    .enumerate()
                    .map(|(s, v)| ScenarioMonth {
                        chunks: vec![&v[..512], &v[512..1024], &v[1024..]],
                        positive_range: v.iter().map(|&v| f64::from(v)).filter(|v| *v > 0.0).fold(
                            None,
                            |range: Option<(f64, f64)>, v| {
                                Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
                            },
                        ),
                        same_as: same_as(s),
                    })
                    .collect(),
            };
            let sorted: Vec<Samples> = (0..weights.len()).map(|s| month.sorted(s)).collect();
            let refs: Vec<&Samples> = sorted.iter().collect();
            let mut selector = QuantileSelector::default();
            for scenario_level in [0.95, 0.5, 0.1, 1.0] {
                let found = selector.select(&month, weights, scenario_level, &mixture_levels);
                for (s, samples) in sorted.iter().enumerate() {
                    assert_eq!(found.per_scenario[s], samples.quantile(scenario_level));
                }
                for (i, &level) in mixture_levels.iter().enumerate() {
                    assert_eq!(
                        found.mixture[i],
                        mixture_quantile(&refs, weights, level),
                        "case {case}, level {level}"
                    );
                }
            }
        }
    }

    #[test]
    fn selection_of_an_all_zero_month_is_zero() {
        let zeros = [0.0; 10];
        let all_zero = || ScenarioMonth {
            chunks: vec![&zeros[..]],
            positive_range: None,
            same_as: None,
        };
        let month = MonthSamples {
            n: 10,
            scenarios: vec![all_zero(), all_zero()],
        };
        let found = QuantileSelector::default().select(&month, &[0.5, 0.5], 0.95, &[0.95, 0.5]);
        assert_eq!(found.per_scenario, vec![0.0, 0.0]);
        assert_eq!(found.mixture, vec![0.0, 0.0]);
    }

    #[test]
    fn running_sums_agree_with_direct_sums() {
        let s = Samples::from_values(awkward_values(5000, 3, 0.3));
        let top = s.max();
        let stocks: Vec<f64> = (0..=100).map(|i| top * f64::from(i) / 100.0).collect();
        for (&stock, &(slack, excess)) in stocks.iter().zip(&s.slack_and_excess_along(&stocks)) {
            let tolerance = 1e-9 * (1.0 + s.mean() + stock);
            assert!(
                (slack - s.expected_slack(stock)).abs() <= tolerance,
                "slack at {stock}"
            );
            assert!(
                (excess - s.expected_excess(stock)).abs() <= tolerance,
                "excess at {stock}"
            );
        }
    }
}
