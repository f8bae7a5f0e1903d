//! Saved results (FORMAT.md "Version 2"): the figures a program wrote into a file
//! when it saved it, and how they compare with what this program computes, so a
//! colleague never silently sees other numbers than the sender did.

use crate::project::{KgByMaterial, Project, SavedResults};

use super::result::Recommendation;

/// This program as `saved_results` names it.
pub const PROGRAM: &str = concat!("stockpile-planner ", env!("CARGO_PKG_VERSION"));

/// The results to save with a project, computed on `computed` (`YYYY-MM-DD`).
pub fn saved_results(project: &Project, rec: &Recommendation, computed: String) -> SavedResults {
    SavedResults {
        program: PROGRAM.to_owned(),
        computed,
        paths: rec.paths as u32,
        seed: rec.seed,
        recommended_stock_kg: KgByMaterial(
            project
                .materials
                .iter()
                .zip(&rec.materials)
                .map(|(material, figures)| (material.id.clone(), figures.recommended_stock_kg))
                .collect(),
        ),
    }
}

/// Today's date in UTC, as `saved_results` records it.
pub fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// A material whose saved figure differs from the computed one, or that only one
/// side names.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedDifference {
    pub material_id: String,
    pub saved_kg: Option<f64>,
    pub computed_kg: Option<f64>,
}

/// How far a saved figure may stray from the computed one (FORMAT.md): rounding in
/// another program, not a different answer.
pub fn tolerance_kg(computed_kg: f64) -> f64 {
    (0.001 * computed_kg.abs()).max(1.0)
}

/// The materials whose saved recommendation differs from `rec`'s (computed with the
/// saved paths and seed), in the project's order, then those only the file names.
pub fn differences(
    saved: &SavedResults,
    project: &Project,
    rec: &Recommendation,
) -> Vec<SavedDifference> {
    let mut found: Vec<SavedDifference> = project
        .materials
        .iter()
        .zip(&rec.materials)
        .filter_map(|(material, figures)| {
            let computed = figures.recommended_stock_kg;
            let saved_kg = saved.recommended_stock_kg.kg_per_unit(&material.id);
            let differs = saved_kg.is_none_or(|kg| (kg - computed).abs() > tolerance_kg(computed));
            differs.then(|| SavedDifference {
                material_id: material.id.clone(),
                saved_kg,
                computed_kg: Some(computed),
            })
        })
        .collect();
    found.extend(
        saved
            .recommended_stock_kg
            .0
            .iter()
            .filter(|(id, _)| !project.materials.iter().any(|m| &m.id == id))
            .map(|(id, kg)| SavedDifference {
                material_id: id.clone(),
                saved_kg: Some(*kg),
                computed_kg: None,
            }),
    );
    found
}
