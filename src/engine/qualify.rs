//! Qualify or stockpile: what the recommendation would be if every alternative source
//! of a material were qualified now (`AtPlanStart`) instead of as entered. A buyer
//! weighs the qualification effort against the stock (and holding cost) it saves.
//!
//! The comparison runs the whole model again on the same seed, so both figures see the
//! same paths (common random numbers) and the difference is the qualification's effect,
//! not sampling noise.

use crate::project::{Project, QualificationStart};

use super::{Model, Recommendation, RunControl, RunError, RunMemory, RunOptions, run_reusing};

/// One material's figures as entered and with every alternative qualified ahead.
#[derive(Clone, Debug, PartialEq)]
pub struct QualifyComparison {
    pub material: usize,
    /// The alternatives that would change (those not already qualified at plan start).
    pub alternatives: Vec<usize>,
    pub recommended_stock_kg_as_entered: f64,
    pub recommended_stock_kg_qualified: f64,
    pub holding_cost_per_year_as_entered: f64,
    pub holding_cost_per_year_qualified: f64,
}

impl QualifyComparison {
    /// How much less stock qualifying ahead needs (negative if it needs more).
    pub fn stock_saved_kg(&self) -> f64 {
        self.recommended_stock_kg_as_entered - self.recommended_stock_kg_qualified
    }

    /// How much holding cost a year qualifying ahead saves.
    pub fn holding_saved_per_year(&self) -> f64 {
        self.holding_cost_per_year_as_entered - self.holding_cost_per_year_qualified
    }
}

/// The project with every alternative qualified at plan start, or `None` if every
/// alternative already is (or there are none): then there is nothing to compare.
pub fn qualified_ahead(project: &Project) -> Option<Project> {
    let waiting = project
        .materials
        .iter()
        .flat_map(|m| &m.alternatives)
        .any(|a| a.qualification_starts != QualificationStart::AtPlanStart);
    waiting.then(|| {
        let mut qualified = project.clone();
        for alternative in qualified
            .materials
            .iter_mut()
            .flat_map(|m| m.alternatives.iter_mut())
        {
            alternative.qualification_starts = QualificationStart::AtPlanStart;
        }
        qualified
    })
}

/// Per material with an alternative still to qualify, the figures both ways.
/// `as_entered` is the project's own recommendation with the same options. The run
/// takes `control`, so the app can stop it when the project changes under it.
pub fn compare_qualify_ahead(
    project: &Project,
    options: &RunOptions,
    as_entered: &Recommendation,
    control: &RunControl,
) -> Result<Vec<QualifyComparison>, RunError> {
    let Some(qualified_project) = qualified_ahead(project) else {
        return Ok(Vec::new());
    };
    let model = Model::new(&qualified_project, options)?;
    let qualified = super::run(&model, control)?;
    Ok(comparisons(project, as_entered, &qualified))
}

/// The same comparison taking the draws and the figures of the materials without an
/// alternative to qualify from the run of the project as entered (the app's last
/// run): only the materials with one are simulated again, and the figures are those
/// of [`compare_qualify_ahead`].
pub fn compare_qualify_ahead_reusing(
    project: &Project,
    options: &RunOptions,
    as_entered: &RunMemory,
    control: &RunControl,
) -> Result<Vec<QualifyComparison>, RunError> {
    let Some(qualified_project) = qualified_ahead(project) else {
        return Ok(Vec::new());
    };
    let model = Model::new(&qualified_project, options)?;
    let qualified = run_reusing(&model, Some(as_entered), control)?;
    Ok(comparisons(
        project,
        as_entered.recommendation(),
        qualified.recommendation(),
    ))
}

/// Pairs the two runs' figures, material by material.
pub fn comparisons(
    project: &Project,
    as_entered: &Recommendation,
    qualified: &Recommendation,
) -> Vec<QualifyComparison> {
    project
        .materials
        .iter()
        .enumerate()
        .filter_map(|(index, material)| {
            let alternatives: Vec<usize> = material
                .alternatives
                .iter()
                .enumerate()
                .filter(|(_, a)| a.qualification_starts != QualificationStart::AtPlanStart)
                .map(|(i, _)| i)
                .collect();
            if alternatives.is_empty() {
                return None;
            }
            let before = as_entered.materials.get(index)?;
            let after = qualified.materials.get(index)?;
            Some(QualifyComparison {
                material: index,
                alternatives,
                recommended_stock_kg_as_entered: before.recommended_stock_kg,
                recommended_stock_kg_qualified: after.recommended_stock_kg,
                holding_cost_per_year_as_entered: before.holding_cost_per_year,
                holding_cost_per_year_qualified: after.holding_cost_per_year,
            })
        })
        .collect()
}
