//! Demand noise drawn once per (path, product, month) before any material is
//! simulated. A product in several bills of materials is drawn once, not once per
//! material, and every material and scenario sees the same demand.

use rayon::prelude::*;

use super::model::Model;
use super::rng::StreamFamily;

/// Paths per parallel task when drawing: enough to amortise the task, few enough to
/// balance two cores.
const PATHS_PER_TASK: usize = 256;

pub struct DemandNoise {
    /// Per product, the factors `[path * months + t]` over the first `months` months:
    /// those in which some event can remove supply from this product. Empty when its
    /// demand never meets a loss or its cv is 0.
    tables: Vec<NoiseTable>,
}

struct NoiseTable {
    months: usize,
    factors: Vec<f32>,
}

impl DemandNoise {
    /// Draws every factor the simulation can ask for, in parallel.
    pub fn draw(model: &Model) -> DemandNoise {
        let tables = model
            .products
            .iter()
            .zip(months_exposed(model))
            .map(|(product, months)| {
                if months == 0 || product.noise.is_constant() {
                    return NoiseTable {
                        months: 0,
                        factors: Vec::new(),
                    };
                }
                let mut factors = vec![0.0_f32; model.paths * months];
                factors
                    .par_chunks_mut(months * PATHS_PER_TASK)
                    .enumerate()
                    .for_each(|(task, rows)| {
                        for (offset, row) in rows.chunks_exact_mut(months).enumerate() {
                            let path = task * PATHS_PER_TASK + offset;
                            let family =
                                StreamFamily::demand(model.seed, path as u64, product.noise_key);
                            for (t, cell) in row.iter_mut().enumerate() {
                                *cell = product.noise.factor(family, t);
                            }
                        }
                    });
                NoiseTable { months, factors }
            })
            .collect();
        DemandNoise { tables }
    }

    /// The drawn factors of `product` on `path`, from month 0 (empty when none are
    /// drawn; `factor` gives the others).
    pub fn row(&self, product: usize, path: usize) -> &[f32] {
        let table = &self.tables[product];
        &table.factors[path * table.months..(path + 1) * table.months]
    }

    /// The demand factor of `product` on `path` in month `t`.
    pub fn factor(&self, model: &Model, product: usize, path: usize, t: usize) -> f64 {
        let table = &self.tables[product];
        if t < table.months {
            f64::from(table.factors[path * table.months + t])
        } else {
            // Outside the drawn months (where no event reaches, so never asked in
            // practice): draw it from its own stream, which gives the same value.
            let product = &model.products[product];
            f64::from(product.noise.factor(
                StreamFamily::demand(model.seed, path as u64, product.noise_key),
                t,
            ))
        }
    }
}

/// Per product, how many months from the start an event can remove supply of a
/// material it uses, for its end-use class.
pub(super) fn months_exposed(model: &Model) -> Vec<usize> {
    let mut months = vec![0; model.products.len()];
    for (m, material) in model.materials.iter().enumerate() {
        for event in model.scenarios.iter().flat_map(|s| &s.events) {
            if !event.hits_material[m] {
                continue;
            }
            let reach = event.reach_months(model.horizon_months);
            for &(p, _) in &material.users {
                if event.end_uses.hits(model.products[p].end_use) {
                    months[p] = months[p].max(reach);
                }
            }
        }
    }
    months
}
