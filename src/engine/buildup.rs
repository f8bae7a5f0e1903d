//! The build-up plan (MODEL.md "Prices and the build-up plan"): extra kilograms
//! ordered toward the blended target, at most the purchase cap a month, each order
//! arriving a lead time later. The same ordering rule drives the plan as scheduled
//! and each simulated path that follows it (`simulate::follow_plan`).

use super::result::BuildUpPlan;

/// How orders are placed: toward `target_kg`, capped, arriving `lead_months` later.
#[derive(Clone, Copy, Debug)]
pub struct OrderRule<'a> {
    pub cap_kg_per_month: Option<f64>,
    pub lead_months: usize,
    /// The stock wanted at the start of each month of the horizon.
    pub target_kg: &'a [f64],
}

impl OrderRule<'_> {
    /// Places the order of month `t = placed.len()` and appends it to `placed`:
    /// `min(c, max(0, target[t+l] - position - on_order[t]))`, where `on_order[t]`
    /// sums the orders of months `max(0, t-l) .. t-1` (placed, not yet arrived). No
    /// order is placed where `allowed` is false or where it would arrive after the
    /// horizon. The on-order sum is taken afresh each month, as defined, rather than
    /// kept as a running total that would drift by rounding.
    pub fn place(&self, placed: &mut Vec<f64>, position_kg: f64, allowed: bool) -> f64 {
        let t = placed.len();
        let arrives = t.saturating_add(self.lead_months);
        let order = match self.target_kg.get(arrives) {
            Some(&target) if allowed => {
                let on_order: f64 = placed[t.saturating_sub(self.lead_months)..].iter().sum();
                let wanted = (target - position_kg - on_order).max(0.0);
                self.cap_kg_per_month.map_or(wanted, |cap| wanted.min(cap))
            }
            _ => 0.0,
        };
        placed.push(order);
        order
    }

    /// What arrives in month `t`: the order of month `t - l` (after month `t`'s order
    /// is placed, so that with no lead time an order arrives in its own month).
    pub fn arrival(&self, placed: &[f64], t: usize) -> f64 {
        t.checked_sub(self.lead_months)
            .and_then(|month| placed.get(month))
            .copied()
            .unwrap_or(0.0)
    }
}

/// The plan as scheduled (no disruption): from `on_hand_kg`, toward `rule.target_kg`,
/// whose month-0 value is the recommendation the plan must reach.
pub fn build_up_plan(on_hand_kg: f64, rule: &OrderRule, price_index_per_kg: &[f64]) -> BuildUpPlan {
    let horizon = rule.target_kg.len();
    let recommended_kg = rule.target_kg.first().copied().unwrap_or(0.0);
    let mut order_kg = Vec::with_capacity(horizon);
    let mut arrival_kg = Vec::with_capacity(horizon);
    let mut stock_kg = Vec::with_capacity(horizon + 1);
    let mut stock = on_hand_kg;
    stock_kg.push(stock);
    let mut reaches_recommendation_month = None;
    for t in 0..horizon {
        rule.place(&mut order_kg, stock, true);
        let arrival = rule.arrival(&order_kg, t);
        stock += arrival;
        arrival_kg.push(arrival);
        stock_kg.push(stock);
        // Reached within rounding: ordering exactly the gap gives `on_hand + (target -
        // on_hand)`, which can land an ulp below the target; that is no shortfall.
        if reaches_recommendation_month.is_none()
            && stock >= recommended_kg - reach_tolerance_kg(recommended_kg)
        {
            reaches_recommendation_month = Some(t);
        }
    }
    let todays_price = price_index_per_kg.first().copied().unwrap_or(0.0);
    let cost: f64 = order_kg
        .iter()
        .zip(price_index_per_kg)
        .map(|(order, price)| order * price)
        .sum();
    let kg_bought: f64 = order_kg.iter().sum();
    let cost_at_todays_price = kg_bought * todays_price;
    let gap_kg = (recommended_kg - on_hand_kg).max(0.0);
    BuildUpPlan {
        max_purchase_kg_per_month: rule.cap_kg_per_month,
        lead_time_months: rule.lead_months,
        target_kg: rule.target_kg.to_vec(),
        order_kg,
        arrival_kg,
        stock_kg,
        reaches_recommendation_month,
        kg_bought,
        gap_kg,
        cost,
        cost_at_todays_price,
        value_of_buying_ahead: cost - cost_at_todays_price,
        gap_cost_at_todays_price: gap_kg * todays_price,
        driving_run_out_month: None,
        run_out_probability_following_plan: 0.0,
        run_out_month_median_following_plan: None,
    }
}

/// How far below the recommendation a stock still counts as reaching it: rounding, far
/// below a gram (MODEL.md's 1e-9 kg, relative to large stocks).
pub fn reach_tolerance_kg(recommended_kg: f64) -> f64 {
    1e-9 * recommended_kg.abs().max(1.0)
}

/// One path of one scenario following the plan (MODEL.md "The risk while building
/// up"): the strategic stock starts at `R` and takes the arrivals and the deficits
/// after alternatives; orders follow the rule on the path's own stock, except in
/// months with a deficit before alternatives (nothing to buy from). `raw` and
/// `deficit` are zero past their ends. Returns the first month the stock falls
/// below zero. `placed` is scratch space.
pub fn run_out_following_plan(
    rule: &OrderRule,
    strategic_on_hand_kg: f64,
    safety_part_kg: f64,
    raw: &[f64],
    deficit: &[f64],
    placed: &mut Vec<f64>,
) -> Option<usize> {
    placed.clear();
    let mut stock = strategic_on_hand_kg;
    // Past the last deficit the stock only grows: nothing can run out there.
    let months = raw.len().max(deficit.len()).min(rule.target_kg.len());
    for t in 0..months {
        let raw_t = raw.get(t).copied().unwrap_or(0.0);
        let deficit_t = deficit.get(t).copied().unwrap_or(0.0);
        let clean = raw_t <= super::result::DEFICIT_TOLERANCE_KG;
        rule.place(placed, stock + safety_part_kg, clean);
        stock = stock + rule.arrival(placed, t) - deficit_t;
        if stock < 0.0 {
            return Some(t);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_respect_the_cap_and_arrive_a_lead_time_later() {
        let target = [200.0; 5];
        let rule = OrderRule {
            cap_kg_per_month: Some(50.0),
            lead_months: 2,
            target_kg: &target,
        };
        let plan = build_up_plan(100.0, &rule, &[10.0, 20.0, 30.0, 40.0, 50.0]);
        // Months 0 and 1 order 50 each (100 on order then covers the gap); nothing
        // can be ordered in months 3 and 4 (it would arrive after the horizon).
        assert_eq!(plan.order_kg, vec![50.0, 50.0, 0.0, 0.0, 0.0]);
        assert_eq!(plan.arrival_kg, vec![0.0, 0.0, 50.0, 50.0, 0.0]);
        assert_eq!(
            plan.stock_kg,
            vec![100.0, 100.0, 100.0, 150.0, 200.0, 200.0]
        );
        assert_eq!(plan.reaches_recommendation_month, Some(3));
        assert_eq!(plan.kg_bought, 100.0);
        assert_eq!(plan.cost, 50.0 * 10.0 + 50.0 * 20.0);
        assert_eq!(plan.cost_at_todays_price, 100.0 * 10.0);
        assert_eq!(plan.value_of_buying_ahead, 500.0);
        assert_eq!(plan.gap_kg, 100.0);
        assert_eq!(plan.gap_cost_at_todays_price, 1000.0);
    }

    #[test]
    fn without_lead_time_an_order_arrives_in_its_month() {
        let target = [300.0, 300.0, 100.0];
        let rule = OrderRule {
            cap_kg_per_month: None,
            lead_months: 0,
            target_kg: &target,
        };
        let plan = build_up_plan(0.0, &rule, &[1.0; 3]);
        assert_eq!(plan.order_kg, vec![300.0, 0.0, 0.0]);
        assert_eq!(plan.reaches_recommendation_month, Some(0));
    }

    #[test]
    fn a_target_that_falls_is_not_the_recommendation_reached() {
        // The target falls to 50 after month 0, so buying toward it never reaches the
        // month-0 recommendation of 200.
        let target = [200.0, 50.0, 50.0];
        let rule = OrderRule {
            cap_kg_per_month: Some(10.0),
            lead_months: 1,
            target_kg: &target,
        };
        let plan = build_up_plan(40.0, &rule, &[1.0; 3]);
        assert_eq!(plan.order_kg, vec![10.0, 0.0, 0.0]);
        assert_eq!(plan.reaches_recommendation_month, None);
    }

    #[test]
    fn following_the_plan_stops_ordering_while_supply_is_cut() {
        let target = [100.0; 6];
        let rule = OrderRule {
            cap_kg_per_month: Some(30.0),
            lead_months: 0,
            target_kg: &target,
        };
        let mut placed = Vec::new();
        // Starting from 20 kg: month 0 buys 30 (50), month 1 is cut and loses 60
        // (-10): the stock runs out in month 1.
        let raw = [0.0, 60.0];
        assert_eq!(
            run_out_following_plan(&rule, 20.0, 0.0, &raw, &raw, &mut placed),
            Some(1)
        );
        // Had the month-1 deficit been covered by alternatives (none after them),
        // nothing runs out, but the month is still not one to buy in.
        assert_eq!(
            run_out_following_plan(&rule, 20.0, 0.0, &raw, &[0.0, 0.0], &mut placed),
            None
        );
        assert_eq!(placed, vec![30.0, 0.0]);
    }
}
