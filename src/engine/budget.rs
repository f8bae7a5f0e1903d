//! Spending a budget (MODEL.md "Spending a budget"): extra kilograms bought now, at
//! the month-0 price index, where a unit of money saves the most expected shortage
//! cost. The cost is convex in each material's kilograms, so the greedy allocation
//! through the breakpoints (the samples of `M[m,0] - R_m`) is optimal.

use super::result::Recommendation;
use super::stats::Samples;

/// Per material, what the budget buys and what it leaves.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetMaterial {
    pub kg: f64,
    pub cost: f64,
    pub stockout_probability_after: f64,
    pub expected_shortfall_kg_after: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BudgetAllocation {
    pub amount: f64,
    pub spent: f64,
    /// `max_m v_m` after the allocation: the shortage cost one more unit of money saves.
    pub marginal_value: f64,
    /// The material it would go to (`None` when nothing is left to save).
    pub marginal_material: Option<usize>,
    /// In project order.
    pub materials: Vec<BudgetMaterial>,
}

/// One material's state in the allocation.
struct Buyer<'a> {
    samples: Vec<&'a Samples>,
    weights: &'a [f64],
    /// `R_m`: the strategic stock on hand.
    strategic_on_hand_kg: f64,
    price_per_kg: f64,
    underage_cost_per_kg: f64,
    /// The strategic stock after buying, `R + b`. Kept as a level, not as `b`, so that
    /// buying up to a breakpoint lands exactly on that sample (`(x - R) + R` need not
    /// be `x` in floating point, and the sample would stay uncovered).
    level_kg: f64,
    /// Per scenario, how many samples lie at or below the level (counts, so the
    /// probabilities never drift by rounding).
    covered: Vec<usize>,
}

impl Buyer<'_> {
    /// `P(M > R + b)`, blended.
    fn probability_short(&self) -> f64 {
        self.samples
            .iter()
            .zip(&self.covered)
            .zip(self.weights)
            .map(|((samples, covered), w)| w * (samples.n - covered) as f64 / samples.n as f64)
            .sum()
    }

    /// `v_m`: shortage cost saved per unit of money at the current purchase.
    fn value_per_money(&self) -> f64 {
        let saved_per_kg = self.underage_cost_per_kg * self.probability_short();
        if saved_per_kg <= 0.0 {
            0.0
        } else if self.price_per_kg > 0.0 {
            saved_per_kg / self.price_per_kg
        } else {
            f64::INFINITY
        }
    }

    /// The next breakpoint above the current level: the smallest sample above it.
    fn next_breakpoint_kg(&self) -> Option<f64> {
        self.samples
            .iter()
            .zip(&self.covered)
            .filter(|(samples, covered)| **covered < samples.n)
            .map(|(samples, &covered)| samples.kth(covered + 1))
            .reduce(f64::min)
    }

    /// Raises the strategic stock to `level_kg` and recounts the samples covered.
    fn raise_to(&mut self, level_kg: f64) {
        self.level_kg = level_kg;
        for (samples, covered) in self.samples.iter().zip(&mut self.covered) {
            *covered = samples.count_at_or_below(level_kg);
        }
    }

    fn bought_kg(&self) -> f64 {
        (self.level_kg - self.strategic_on_hand_kg).max(0.0)
    }
}

/// Allocates `amount` over the materials of a recommendation. `price_per_kg` is each
/// material's month-0 price index; `underage_cost_per_kg` its shortage cost.
pub fn allocate(rec: &Recommendation, amount: f64) -> BudgetAllocation {
    let mut buyers: Vec<Buyer> = rec
        .materials
        .iter()
        .map(|m| {
            let samples: Vec<&Samples> = m.month0_samples.iter().collect();
            let mut buyer = Buyer {
                covered: vec![0; samples.len()],
                samples,
                weights: &rec.scenario_weights,
                strategic_on_hand_kg: m.strategic_on_hand_kg,
                price_per_kg: m.monthly.price_index_per_kg.first().copied().unwrap_or(0.0),
                underage_cost_per_kg: m.costs.underage_cost_per_kg,
                level_kg: m.strategic_on_hand_kg,
            };
            buyer.raise_to(m.strategic_on_hand_kg);
            buyer
        })
        .collect();
    // Free material first: its largest shortfall costs nothing to cover.
    for buyer in &mut buyers {
        if buyer.price_per_kg <= 0.0 && buyer.underage_cost_per_kg > 0.0 {
            let largest = buyer
                .samples
                .iter()
                .map(|samples| samples.max())
                .fold(0.0, f64::max);
            buyer.raise_to(largest.max(buyer.strategic_on_hand_kg));
        }
    }
    let mut remaining = amount.max(0.0);
    while remaining > 0.0 {
        let Some(best) = most_valuable(&buyers) else {
            break;
        };
        let buyer = &mut buyers[best];
        // Every sample at or below the level is covered, so the next one lies above it.
        let Some(breakpoint_kg) = buyer.next_breakpoint_kg() else {
            break;
        };
        let step_cost = (breakpoint_kg - buyer.level_kg) * buyer.price_per_kg;
        if step_cost <= remaining {
            remaining -= step_cost;
            buyer.raise_to(breakpoint_kg);
        } else {
            let level = buyer.level_kg + remaining / buyer.price_per_kg;
            remaining = 0.0;
            buyer.raise_to(level);
        }
    }
    let marginal_material = most_valuable(&buyers);
    let materials: Vec<BudgetMaterial> = buyers
        .iter()
        .map(|buyer| {
            let level = buyer.level_kg;
            BudgetMaterial {
                kg: buyer.bought_kg(),
                cost: buyer.bought_kg() * buyer.price_per_kg,
                stockout_probability_after: buyer.probability_short(),
                expected_shortfall_kg_after: buyer
                    .samples
                    .iter()
                    .zip(buyer.weights)
                    .map(|(samples, w)| w * samples.expected_excess(level))
                    .sum(),
            }
        })
        .collect();
    BudgetAllocation {
        amount,
        spent: materials.iter().map(|m| m.cost).sum(),
        marginal_value: marginal_material.map_or(0.0, |m| buyers[m].value_per_money()),
        marginal_material,
        materials,
    }
}

/// The material where money saves the most (equal values within 1e-12 relative: the
/// one listed first), or `None` when no money saves anything.
fn most_valuable(buyers: &[Buyer]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (index, buyer) in buyers.iter().enumerate() {
        let value = buyer.value_per_money();
        if value <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, top)) => value > top && (value - top) > 1e-12 * top.abs(),
        };
        if better {
            best = Some((index, value));
        }
    }
    best.map(|(index, _)| index)
}
