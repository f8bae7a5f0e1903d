//! `engine::run_reusing` (the app's runs after an edit) against fresh runs: after an
//! edit of each kind of input, the figures it gives reusing the previous run's draws
//! and untouched materials equal, bit for bit, those of a fresh run, and it
//! simulates only the materials the edit touches.

use stockpile_planner::engine::{self, Model, RunControl, RunMemory, RunOptions, run_reusing};
use stockpile_planner::project::*;
use stockpile_planner::reference::{reference_plant, reference_plant_format2};

/// Few paths: the comparison is exact at any count, and the tests build unoptimised.
const PATHS: u32 = 1_000;

fn model(project: &Project) -> Model {
    let options = RunOptions {
        paths: Some(PATHS),
        ..RunOptions::default()
    };
    Model::new(project, &options).unwrap_or_else(|err| panic!("{err}"))
}

fn remember(project: &Project, previous: Option<&RunMemory>) -> RunMemory {
    run_reusing(&model(project), previous, &RunControl::unwatched())
        .unwrap_or_else(|err| panic!("{err:?}"))
}

/// Runs `edited` reusing the run of `base`, checks it against a fresh run and
/// returns which materials it simulated.
fn simulated_after_edit(base: &Project, edited: &Project) -> Vec<usize> {
    let before = remember(base, None);
    let reused = remember(edited, Some(&before));
    let fresh = engine::run(&model(edited), &RunControl::unwatched())
        .unwrap_or_else(|err| panic!("{err:?}"));
    assert!(
        **reused.recommendation() == fresh,
        "reusing the previous run changed the figures"
    );
    reused.simulated_materials().to_vec()
}

fn edited(base: &Project, edit: impl FnOnce(&mut Project)) -> Project {
    let mut project = base.clone();
    edit(&mut project);
    project
}

fn index_of(project: &Project, material_id: &str) -> usize {
    project
        .materials
        .iter()
        .position(|m| m.id == material_id)
        .unwrap_or_else(|| panic!("no material {material_id}"))
}

/// The materials in a product's bill of materials, as indices, in project order.
fn used_by(project: &Project, product: usize) -> Vec<usize> {
    let bill = &project.products[product].bill_of_materials;
    (0..project.materials.len())
        .filter(|&m| bill.kg_per_unit(&project.materials[m].id).is_some())
        .collect()
}

/// An edit of one material's inputs.
type MaterialEdit = fn(&mut Material);

fn every_material(project: &Project) -> Vec<usize> {
    (0..project.materials.len()).collect()
}

#[test]
fn a_material_input_resimulates_that_material_only() {
    for base in [reference_plant(), reference_plant_format2()] {
        let edits: [(&str, MaterialEdit); 6] = [
            ("ndpr_oxide", |m| m.on_hand_kg += 500.0),
            ("gallium", |m| m.price_per_kg *= 1.1),
            ("dy_oxide", |m| m.lead_time_days += 30.0),
            ("tungsten", |m| m.exposed_share = 0.5),
            ("antimony", |m| m.max_purchase_kg_per_month = Some(750.0)),
            ("germanium", |m| m.direct_kg_per_month += 2.0),
        ];
        for (id, edit) in edits {
            let material = index_of(&base, id);
            let project = edited(&base, |p| edit(&mut p.materials[material]));
            assert_eq!(
                simulated_after_edit(&base, &project),
                vec![material],
                "{id}"
            );
        }
    }
}

#[test]
fn a_product_input_resimulates_the_materials_it_uses() {
    let base = reference_plant_format2();
    let product = 0;
    let users = used_by(&base, product);
    assert!(!users.is_empty() && users.len() < base.materials.len());
    let volume = edited(&base, |p| p.products[product].units_per_month *= 1.2);
    assert_eq!(simulated_after_edit(&base, &volume), users);
    // A new spread redraws the product's demand noise.
    let spread = edited(&base, |p| p.products[product].demand_cv += 0.1);
    assert_eq!(simulated_after_edit(&base, &spread), users);
    let margin = edited(&base, |p| p.products[product].margin_per_unit *= 2.0);
    assert_eq!(simulated_after_edit(&base, &margin), users);
}

#[test]
fn a_bill_of_materials_entry_resimulates_its_material_only() {
    let base = reference_plant();
    let product = 0;
    let material = used_by(&base, product)[0];
    let id = base.materials[material].id.clone();
    let project = edited(&base, |p| {
        let kg = p.products[product].bill_of_materials.kg_per_unit(&id);
        p.products[product]
            .bill_of_materials
            .set(&id, kg.map(|kg| kg * 1.5));
    });
    assert_eq!(simulated_after_edit(&base, &project), vec![material]);
}

#[test]
fn a_scenario_or_run_setting_resimulates_every_material() {
    let base = reference_plant_format2();
    let all = every_material(&base);
    let edits: [fn(&mut Project); 7] = [
        |p| p.scenarios[0].probability += 0.1,
        |p| {
            if let Event::Once {
                price_multiplier, ..
            } = &mut p.scenarios[2].events[0]
            {
                *price_multiplier += 1.0;
            }
        },
        |p| p.scenarios[3].events[0] = Event::once("Another event", p.start, 6.0, 0.5),
        |p| p.seed += 1,
        |p| p.service_level = ServiceLevel::Fixed(0.9),
        |p| p.rebuild_after_disruption = !p.rebuild_after_disruption,
        |p| p.horizon_months = 48,
    ];
    for (number, edit) in edits.into_iter().enumerate() {
        let project = edited(&base, edit);
        assert_eq!(simulated_after_edit(&base, &project), all, "edit {number}");
    }
}

#[test]
fn an_event_that_misses_a_material_leaves_its_figures() {
    let base = reference_plant();
    let slow_walk = 4;
    let project = edited(&base, |p| {
        if let Event::Recurring { supply_cut, .. } = &mut p.scenarios[slow_walk].events[0] {
            *supply_cut = Dist::Uniform(0.6, 0.9);
        }
    });
    let hit: Vec<usize> = ["dy_oxide", "tb_oxide", "gallium"]
        .iter()
        .map(|id| index_of(&base, id))
        .collect();
    let mut simulated = simulated_after_edit(&base, &project);
    simulated.sort_unstable();
    let mut expected = hit;
    expected.sort_unstable();
    assert_eq!(simulated, expected);
}

#[test]
fn adding_or_removing_a_material_keeps_the_others() {
    let base = reference_plant();
    // A product's demand for its other materials does not change when it starts
    // using one more, so only the new material is simulated.
    let added = edited(&base, |p| {
        p.materials.push(Material {
            on_hand_kg: 10.0,
            ..Material::new("cobalt", "Cobalt", 30.0)
        });
        p.products[1].bill_of_materials.set("cobalt", Some(0.2));
    });
    assert_eq!(
        simulated_after_edit(&base, &added),
        vec![base.materials.len()]
    );
    // The materials after graphite move up one place and keep their figures.
    let graphite = index_of(&base, "graphite");
    assert!(graphite + 1 < base.materials.len());
    let removed = edited(&base, |p| {
        p.materials.remove(graphite);
        for product in &mut p.products {
            product.bill_of_materials.set("graphite", None);
        }
    });
    assert_eq!(simulated_after_edit(&base, &removed), Vec::<usize>::new());
}

#[test]
fn a_chain_of_edits_and_their_undo_gives_a_fresh_runs_figures() {
    let base = reference_plant_format2();
    let first = remember(&base, None);
    let ndpr = index_of(&base, "ndpr_oxide");
    let edited_once = edited(&base, |p| p.materials[ndpr].on_hand_kg += 1_000.0);
    let second = remember(&edited_once, Some(&first));
    let edited_twice = edited(&edited_once, |p| p.scenarios[1].probability += 0.05);
    let third = remember(&edited_twice, Some(&second));
    assert_eq!(third.simulated_materials(), every_material(&base));
    // Undoing both: the figures equal the first run's, simulating every material again
    // (the weights changed back) on the draws kept since the first run.
    let undone = remember(&base, Some(&third));
    assert!(**undone.recommendation() == **first.recommendation());
    let again = remember(&base, Some(&undone));
    assert!(again.simulated_materials().is_empty());
    assert!(**again.recommendation() == **first.recommendation());
}

#[test]
fn qualify_or_stockpile_on_the_last_run_gives_the_full_comparison() {
    let base = reference_plant();
    let options = RunOptions {
        paths: Some(PATHS),
        ..RunOptions::default()
    };
    let as_entered = remember(&base, None);
    let control = RunControl::unwatched();
    let reusing =
        engine::qualify::compare_qualify_ahead_reusing(&base, &options, &as_entered, &control)
            .unwrap_or_else(|err| panic!("{err}"));
    let full = engine::qualify::compare_qualify_ahead(
        &base,
        &options,
        as_entered.recommendation(),
        &control,
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert!(!full.is_empty(), "the plant has alternatives to qualify");
    assert_eq!(reusing, full);
}
