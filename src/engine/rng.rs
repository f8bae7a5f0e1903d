//! Random streams keyed by what they are for, so that a draw depends only on
//! (seed, path, purpose) — never on thread count, scheduling or the order in
//! which cells are visited. Event draws use PCG-64 MCG (`rand_pcg::Pcg64Mcg`), its
//! 128-bit state derived from the key by SplitMix64 finalisers; demand noise, drawn
//! millions of times, uses a counter-based SplitMix64 (`rand_xoshiro`) keyed by
//! (seed, path, product, month).

use rand::RngExt;
use rand::SeedableRng;
use rand_distr::{Distribution, Exp, StandardNormal, Triangular};
use rand_pcg::Pcg64Mcg;
use rand_xoshiro::SplitMix64;

use crate::project::Dist;

/// SplitMix64's finaliser: a bijective 64-bit mix with good avalanche.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stable 64-bit hash of a string (FNV-1a then mixed), for keying streams by
/// ids and names so results do not change when items are reordered.
pub fn hash_str(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix64(h)
}

/// Domain tags keep streams for different purposes apart.
pub const DOMAIN_DEMAND: u64 = 0x44_45_4D_41_4E_44; // "DEMAND"
pub const DOMAIN_EVENT: u64 = 0x45_56_45_4E_54; // "EVENT"

/// The streams sharing a key prefix (seed, domain, path, a), told apart by `b`: hashing
/// the prefix once lets a path's sixty monthly demand streams cost one hash each.
#[derive(Clone, Copy, Debug)]
pub struct StreamFamily(u64);

impl StreamFamily {
    pub fn new(seed: u64, domain: u64, path: u64, a: u64) -> Self {
        let mut h = mix64(seed ^ mix64(domain));
        h = mix64(h ^ path);
        Self(mix64(h ^ a.rotate_left(17)))
    }

    /// A path's demand streams for one product (keyed by its id's hash).
    pub fn demand(seed: u64, path: u64, product_key: u64) -> Self {
        Self::new(seed, DOMAIN_DEMAND, path, product_key)
    }

    /// A short stream for one draw or a few: SplitMix64 started at the family's key
    /// offset by `b`. Its output is the same finaliser applied to the state, so one
    /// hash per draw makes the draws of neighbouring `b` independent; four times
    /// cheaper than setting up a PCG stream, which matters for millions of demand cells.
    pub fn counter(self, b: u64) -> SplitMix64 {
        SplitMix64::seed_from_u64(self.0 ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub fn stream(self, b: u64) -> Pcg64Mcg {
        let h = mix64(self.0 ^ b.rotate_left(41));
        let low = mix64(h ^ 0xA5A5_A5A5_A5A5_A5A5);
        Pcg64Mcg::new((u128::from(h) << 64) | u128::from(low))
    }
}

/// The stream for one key: (seed, domain, path, a, b).
pub fn stream(seed: u64, domain: u64, path: u64, a: u64, b: u64) -> Pcg64Mcg {
    StreamFamily::new(seed, domain, path, a).stream(b)
}

/// The lognormal demand factor's parameters for a coefficient of variation:
/// `sigma^2 = ln(1 + cv^2)`, `mu = -sigma^2 / 2`, so that its mean is 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogNormalNoise {
    sigma: f64,
    mu: f64,
}

impl LogNormalNoise {
    pub fn with_cv(cv: f64) -> Self {
        let sigma2 = (1.0 + cv * cv).ln();
        Self {
            sigma: sigma2.sqrt(),
            mu: -sigma2 / 2.0,
        }
    }

    /// Whether every factor is exactly 1 (a cv of 0).
    pub fn is_constant(&self) -> bool {
        self.sigma == 0.0
    }

    /// The factor of one month from a path's streams for a product, keyed by
    /// (seed, path, product, month): common to every scenario and material; exactly
    /// 1 when the cv is 0.
    ///
    /// Single precision: the noise table is then half the memory, and `expf` is a
    /// third the cost of `exp` (a tenth of a run); seven significant digits are far
    /// finer than any demand forecast.
    pub fn factor(&self, family: StreamFamily, month: usize) -> f32 {
        if self.is_constant() {
            return 1.0;
        }
        let mut rng = family.counter(month as u64);
        let z: f64 = StandardNormal.sample(&mut rng);
        ((self.mu + self.sigma * z) as f32).exp()
    }
}

/// Draws a value from a validated distribution (a degenerate one is its constant).
pub fn draw(dist: &Dist, rng: &mut Pcg64Mcg) -> f64 {
    match *dist {
        Dist::Fixed(x) => {
            // Consume a draw anyway: changing one input's kind must not shift the
            // draws of the inputs after it.
            let _: f64 = rng.random();
            x
        }
        Dist::Uniform(a, b) => {
            let u: f64 = rng.random();
            if a == b { a } else { a + (b - a) * u }
        }
        Dist::Triangular(min, mode, max) => {
            if min == max {
                // Still consume a draw so the stream's position does not depend on the inputs.
                let _: f64 = rng.random();
                min
            } else {
                match Triangular::new(min, max, mode) {
                    Ok(triangular) => triangular.sample(rng),
                    Err(_) => mode,
                }
            }
        }
    }
}

/// An exponential draw with the given mean (months).
pub fn exponential(mean: f64, rng: &mut Pcg64Mcg) -> f64 {
    match Exp::new(1.0 / mean) {
        Ok(exp) => exp.sample(rng),
        Err(_) => f64::INFINITY,
    }
}

pub fn uniform01(rng: &mut Pcg64Mcg) -> f64 {
    rng.random()
}

/// A whole number drawn uniformly from `from..=to`.
pub fn uniform_int(from: i32, to: i32, rng: &mut Pcg64Mcg) -> i32 {
    if from >= to {
        let _: f64 = rng.random();
        from
    } else {
        rng.random_range(from..=to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_factor_has_mean_one_and_the_asked_cv() {
        let n = 200_000;
        let cv = 0.3;
        let noise = LogNormalNoise::with_cv(cv);
        let draws: Vec<f64> = (0..n)
            .map(|k| f64::from(noise.factor(StreamFamily::demand(7, k, 11), 3)))
            .collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        // Standard error of the mean is cv / sqrt(n) ~ 0.00067: allow 5 of them.
        assert!(
            (mean - 1.0).abs() < 5.0 * cv / (n as f64).sqrt(),
            "mean {mean}"
        );
        assert!((var.sqrt() - cv).abs() < 0.01, "sd {}", var.sqrt());
        assert_eq!(
            LogNormalNoise::with_cv(0.0).factor(StreamFamily::demand(7, 1, 11), 3),
            1.0
        );
    }

    #[test]
    fn streams_are_keyed_not_sequential() {
        let noise = LogNormalNoise::with_cv(0.2);
        let a = noise.factor(StreamFamily::demand(1, 5, 2), 9);
        let b = noise.factor(StreamFamily::demand(1, 5, 2), 9);
        let c = noise.factor(StreamFamily::demand(1, 6, 2), 9);
        assert_eq!(a.to_bits(), b.to_bits());
        assert_ne!(a.to_bits(), c.to_bits());
    }
}
