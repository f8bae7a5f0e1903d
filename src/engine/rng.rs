//! Random streams keyed by what they are for, so that a draw depends only on
//! (seed, path, purpose) — never on thread count, scheduling or the order in
//! which cells are visited. Generator: PCG-64 MCG (`rand_pcg::Pcg64Mcg`), its
//! 128-bit state derived from the key by SplitMix64 finalisers.

use rand::RngExt;
use rand_distr::{Distribution, Exp, StandardNormal, Triangular};
use rand_pcg::Pcg64Mcg;

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

/// The stream for one key: (seed, domain, path, a, b).
pub fn stream(seed: u64, domain: u64, path: u64, a: u64, b: u64) -> Pcg64Mcg {
    let mut h = mix64(seed ^ mix64(domain));
    h = mix64(h ^ path);
    h = mix64(h ^ a.rotate_left(17));
    h = mix64(h ^ b.rotate_left(41));
    let low = mix64(h ^ 0xA5A5_A5A5_A5A5_A5A5);
    Pcg64Mcg::new((u128::from(h) << 64) | u128::from(low))
}

/// One lognormal demand factor with mean 1 and coefficient of variation `cv`,
/// keyed by (seed, path, product, month): common to every scenario and material.
pub fn demand_factor(seed: u64, path: u64, product_key: u64, month: usize, cv: f64) -> f64 {
    if cv == 0.0 {
        return 1.0;
    }
    let sigma2 = (1.0 + cv * cv).ln();
    let mut rng = stream(seed, DOMAIN_DEMAND, path, product_key, month as u64);
    let z: f64 = StandardNormal.sample(&mut rng);
    (z * sigma2.sqrt() - sigma2 / 2.0).exp()
}

/// Draws a value from a validated distribution (a degenerate one is its constant).
pub fn draw(dist: &Dist, rng: &mut Pcg64Mcg) -> f64 {
    match *dist {
        Dist::Fixed(x) => x,
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
        let draws: Vec<f64> = (0..n).map(|k| demand_factor(7, k, 11, 3, cv)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        // Standard error of the mean is cv / sqrt(n) ~ 0.00067: allow 5 of them.
        assert!(
            (mean - 1.0).abs() < 5.0 * cv / (n as f64).sqrt(),
            "mean {mean}"
        );
        assert!((var.sqrt() - cv).abs() < 0.01, "sd {}", var.sqrt());
        assert_eq!(demand_factor(7, 1, 11, 3, 0.0), 1.0);
    }

    #[test]
    fn streams_are_keyed_not_sequential() {
        let a = demand_factor(1, 5, 2, 9, 0.2);
        let b = demand_factor(1, 5, 2, 9, 0.2);
        let c = demand_factor(1, 6, 2, 9, 0.2);
        assert_eq!(a.to_bits(), b.to_bits());
        assert_ne!(a.to_bits(), c.to_bits());
    }
}
