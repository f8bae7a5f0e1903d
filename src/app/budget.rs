//! The Budget panel: the buyer types an amount and sees where it goes
//! (`engine::budget::allocate` on the current recommendation): per material the
//! kilograms to buy now and their cost, the stockout probability and expected
//! shortfall before and after, and what the next unit of money would save.
//!
//! The amount is the view's, not the project's: FORMAT.md has no budget field, and
//! trying amounts must not make the document dirty. The allocation walks the sorted
//! month-0 samples once, milliseconds on the reference plant, so it runs on the UI
//! thread, and only when the amount or the figures change.

use std::sync::Arc;

use egui::{RichText, Ui};

use super::widgets::{Env, number_input};
use crate::engine::Recommendation;
use crate::engine::budget::{BudgetAllocation, allocate};
use crate::export::text;
use crate::project::FieldPath;
use crate::units::{mass, money, percent};

/// An allocation and what it was computed from.
struct Allocated {
    recommendation: Arc<Recommendation>,
    amount: f64,
    /// The same figures with nothing spent: the "before".
    before: BudgetAllocation,
    after: BudgetAllocation,
}

#[derive(Default)]
pub struct BudgetPanel {
    /// The amount typed, in the project's currency.
    pub amount: Option<f64>,
    allocated: Option<Allocated>,
}

impl BudgetPanel {
    /// The allocation of `amount` on `recommendation`, computed again only when either changed.
    fn allocation(&mut self, recommendation: &Arc<Recommendation>, amount: f64) -> &Allocated {
        let fresh = self.allocated.take().filter(|a| {
            Arc::ptr_eq(&a.recommendation, recommendation) && a.amount.to_bits() == amount.to_bits()
        });
        self.allocated.insert(fresh.unwrap_or_else(|| Allocated {
            recommendation: Arc::clone(recommendation),
            amount,
            before: allocate(recommendation, 0.0),
            after: allocate(recommendation, amount),
        }))
    }

    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui) {
        ui.heading("Spending a budget");
        ui.label(
            "Type what you can spend on strategic stock now. It goes, kilogram by kilogram, \
             where a unit of money saves the most expected shortage cost (at today's prices).",
        );
        let currency = env.currency().to_owned();
        ui.horizontal(|ui| {
            let label = ui.label("Budget amount");
            if let Some(typed) = number_input(
                ui,
                label.id,
                "Budget amount",
                // Not a field of the file: the path only keys the entry's own state.
                &FieldPath::top("budget_amount"),
                self.amount,
                true,
            ) {
                self.amount = typed;
            }
            ui.label(currency.as_str());
        });
        if let Some(computed) = env.computed {
            ui.weak(text::every_gap_sentence(
                &computed.project,
                &computed.recommendation,
            ));
        }
        let Some(amount) = self.amount else {
            ui.weak("Type an amount to see where it goes.");
            return;
        };
        if !amount.is_finite() || amount < 0.0 {
            ui.colored_label(
                ui.visuals().error_fg_color,
                "A budget is an amount of money of zero or more.",
            );
            return;
        }
        let Some(computed) = env.computed else {
            ui.weak("The allocation appears once the figures are computed.");
            return;
        };
        let project = Arc::clone(&computed.project);
        let allocated = self.allocation(&computed.recommendation, amount);
        ui.add_space(6.0);
        ui.label(
            RichText::new(text::budget_spent_sentence(
                &project,
                amount,
                &allocated.after,
            ))
            .strong(),
        );
        egui::Grid::new("budget_table")
            .striped(true)
            .show(ui, |ui| {
                for header in [
                    "Material",
                    "Buy now",
                    "Cost",
                    "Stockout probability\nbefore to after",
                    "Expected shortfall\nbefore to after",
                ] {
                    ui.label(RichText::new(header).strong());
                }
                ui.end_row();
                for ((material, before), after) in project
                    .materials
                    .iter()
                    .zip(&allocated.before.materials)
                    .zip(&allocated.after.materials)
                {
                    ui.label(material.name.as_str());
                    ui.label(mass(after.kg));
                    ui.label(money(after.cost, &currency));
                    ui.label(format!(
                        "{} to {}",
                        percent(before.stockout_probability_after),
                        percent(after.stockout_probability_after)
                    ))
                    .on_hover_text(
                        "The chance that the strategic stock held today (and what the budget \
                         buys) does not cover a simulated future's shortfall, blended over \
                         scenarios.",
                    );
                    ui.label(format!(
                        "{} to {}",
                        mass(before.expected_shortfall_kg_after),
                        mass(after.expected_shortfall_kg_after)
                    ))
                    .on_hover_text(
                        "The kilograms short on average over the simulated futures, \
                         before and after buying.",
                    );
                    ui.end_row();
                }
            });
        ui.add_space(4.0);
        ui.label(text::budget_marginal_sentence(&project, &allocated.after));
    }
}
