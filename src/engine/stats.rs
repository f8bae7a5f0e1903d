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

/// The mixture's cumulative weight at `x`: `sum_s w_s * c_s(x) / n` (integer counts).
fn mixture_cdf(scenarios: &[&Samples], weights: &[f64], x: f64) -> f64 {
    scenarios
        .iter()
        .zip(weights)
        .map(|(samples, w)| w * samples.count_at_or_below(x) as f64 / samples.n as f64)
        .sum()
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

/// The mixture quantile's 95% interval, using Kish's effective sample size.
pub fn mixture_quantile_ci95(scenarios: &[&Samples], weights: &[f64], level: f64) -> [f64; 2] {
    let n = scenarios.first().map_or(1, |s| s.n);
    let (low, high) = ci_levels(level, kish_n_eff(n, weights));
    [
        mixture_quantile(scenarios, weights, low),
        mixture_quantile(scenarios, weights, high),
    ]
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
}
