//! Comparing two versions of a plan (MODEL.md "Comparing two versions of a plan"):
//! what changed in the inputs, matched by meaning, and what each change did to every
//! material's recommended stock, one step at a time on common random numbers.

use std::collections::HashMap;

use serde::Serialize;

use crate::project::{Alternative, Event, Material, Product, Project, Scenario};

use super::model::RunOptions;
use super::sensitivity::{ItemKind, occurrence_name};
use super::{Model, RunControl, RunError};

/// Added, removed or changed (CLI.md `change`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One difference in the inputs; a changed field carries its old and new value as the
/// file writes them.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub item_kind: ItemKind,
    pub item: String,
    pub change: ChangeKind,
    pub field: Option<&'static str>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One step of a material's waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub words: String,
    pub effect_kg: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MaterialDiff {
    pub id: String,
    /// `None` when the material is new (or removed).
    pub old_recommended_stock_kg: Option<f64>,
    pub new_recommended_stock_kg: Option<f64>,
    /// One per step, in order; they sum exactly to the change.
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanDiff {
    pub changes: Vec<Change>,
    /// The newer file's materials in its order, then those only the older has.
    pub materials: Vec<MaterialDiff>,
}

/// Figures are compared on a grid of 2^-20 kg (about a microgram): sums of a few
/// hundred values below 2^32 kg on it are exact in double precision, so the steps add
/// up to the change exactly, whatever their order.
fn on_grid(kg: f64) -> f64 {
    const GRID: f64 = 1_048_576.0;
    (kg * GRID).round() / GRID
}

/// A value as the file writes it.
fn ron<T: Serialize + ?Sized>(value: &T) -> String {
    ron::to_string(value).unwrap_or_default()
}

/// The fields of an item that are compared, in `full-format.ron`'s order; lists of
/// other items (alternatives, events) are compared item by item.
fn material_fields(m: &Material) -> Vec<(&'static str, String)> {
    vec![
        ("name", ron(&m.name)),
        ("price_per_kg", ron(&m.price_per_kg)),
        ("carrying_cost_per_year", ron(&m.carrying_cost_per_year)),
        ("on_hand_kg", ron(&m.on_hand_kg)),
        ("exposed_share", ron(&m.exposed_share)),
        ("lead_time_days", ron(&m.lead_time_days)),
        ("lead_time_sd_days", ron(&m.lead_time_sd_days)),
        (
            "max_purchase_kg_per_month",
            ron(&m.max_purchase_kg_per_month),
        ),
        ("direct_kg_per_month", ron(&m.direct_kg_per_month)),
        ("notes", ron(&m.notes)),
    ]
}

fn alternative_fields(a: &Alternative) -> Vec<(&'static str, String)> {
    vec![
        ("capacity_kg_per_month", ron(&a.capacity_kg_per_month)),
        ("qualification_months", ron(&a.qualification_months)),
        ("price_premium", ron(&a.price_premium)),
        ("qualification_starts", ron(&a.qualification_starts)),
    ]
}

fn product_fields(p: &Product) -> Vec<(&'static str, String)> {
    // The bill of materials compares as a set: its order in the file does not matter.
    let mut bill = p.bill_of_materials.0.clone();
    bill.sort_by(|a, b| a.0.cmp(&b.0));
    vec![
        ("name", ron(&p.name)),
        ("units_per_month", ron(&p.units_per_month)),
        ("growth_per_year", ron(&p.growth_per_year)),
        ("demand_cv", ron(&p.demand_cv)),
        ("end_use", ron(&p.end_use)),
        ("margin_per_unit", ron(&p.margin_per_unit)),
        (
            "bill_of_materials",
            ron(&crate::project::KgByMaterial(bill)),
        ),
        ("notes", ron(&p.notes)),
    ]
}

fn scenario_fields(s: &Scenario) -> Vec<(&'static str, String)> {
    vec![
        ("name", ron(&s.name)),
        ("probability", ron(&s.probability)),
        ("description", ron(&s.description)),
        ("notes", ron(&s.notes)),
    ]
}

fn event_fields(e: &Event) -> Vec<(&'static str, String)> {
    match e {
        Event::Once {
            materials,
            end_uses,
            start,
            duration_months,
            supply_cut,
            licence_delay_days,
            price_multiplier,
            probability,
            ..
        } => vec![
            ("materials", ron(materials)),
            ("end_uses", ron(end_uses)),
            ("start", ron(start)),
            ("duration_months", ron(duration_months)),
            ("supply_cut", ron(supply_cut)),
            ("licence_delay_days", ron(licence_delay_days)),
            ("price_multiplier", ron(price_multiplier)),
            ("probability", ron(probability)),
        ],
        Event::Recurring {
            materials,
            end_uses,
            mean_months_between,
            mean_duration_months,
            supply_cut,
            ..
        } => vec![
            ("materials", ron(materials)),
            ("end_uses", ron(end_uses)),
            ("mean_months_between", ron(mean_months_between)),
            ("mean_duration_months", ron(mean_duration_months)),
            ("supply_cut", ron(supply_cut)),
        ],
    }
}

/// The project's own settings, in `full-format.ron`'s order.
fn project_fields(p: &Project) -> Vec<(&'static str, String)> {
    vec![
        ("name", ron(&p.name)),
        ("description", ron(&p.description)),
        ("start", ron(&p.start)),
        ("horizon_months", ron(&p.horizon_months)),
        ("currency", ron(&p.currency)),
        ("service_level", ron(&p.service_level)),
        ("paths", ron(&p.paths)),
        ("seed", ron(&p.seed)),
        ("shortage_cost_per_kg", ron(&p.shortage_cost_per_kg)),
        ("rebuild_after_disruption", ron(&p.rebuild_after_disruption)),
        ("saved_results", ron(&p.saved_results)),
    ]
}

/// Fields whose change is listed but is no step (they change no figure).
fn is_listed_only(field: &str) -> bool {
    matches!(
        field,
        "paths" | "seed" | "name" | "description" | "notes" | "saved_results"
    )
}

/// Compares two field lists; returns the changed fields and whether any is a step.
fn changed_fields(
    kind: ItemKind,
    item: &str,
    old: &[(&'static str, String)],
    new: &[(&'static str, String)],
    changes: &mut Vec<Change>,
) -> bool {
    let mut any_step = false;
    for ((field, old), (_, new)) in old.iter().zip(new) {
        if old != new {
            any_step |= !is_listed_only(field);
            changes.push(Change {
                item_kind: kind,
                item: item.to_owned(),
                change: ChangeKind::Changed,
                field: Some(field),
                old: Some(old.clone()),
                new: Some(new.clone()),
            });
        }
    }
    any_step
}

fn whole(kind: ItemKind, item: &str, change: ChangeKind) -> Change {
    Change {
        item_kind: kind,
        item: item.to_owned(),
        change,
        field: None,
        old: None,
        new: None,
    }
}

/// Children (events, alternatives) keyed by their name and which occurrence of it.
fn keyed<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<(String, &T)> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            (
                occurrence_name(items.iter().map(&name), i, name(item)),
                item,
            )
        })
        .collect()
}

/// Compares two lists of children of one parent; returns whether any change is a step.
fn compare_children<T>(
    kind: ItemKind,
    parent: &str,
    (old, new): (&[T], &[T]),
    name: impl Fn(&T) -> &str + Copy,
    fields: impl Fn(&T) -> Vec<(&'static str, String)>,
    same_kind: impl Fn(&T, &T) -> bool,
    changes: &mut Vec<Change>,
) -> bool {
    let old = keyed(old, name);
    let new = keyed(new, name);
    let mut any_step = false;
    for (key, item) in &new {
        let path = format!("{parent}/{key}");
        match old.iter().find(|(k, _)| k == key) {
            Some((_, before)) if same_kind(before, item) => {
                any_step |= changed_fields(kind, &path, &fields(before), &fields(item), changes);
            }
            Some(_) => {
                // Another kind of event under the same name: one removed, one added.
                changes.push(whole(kind, &path, ChangeKind::Removed));
                changes.push(whole(kind, &path, ChangeKind::Added));
                any_step = true;
            }
            None => {
                changes.push(whole(kind, &path, ChangeKind::Added));
                any_step = true;
            }
        }
    }
    for (key, _) in &old {
        if !new.iter().any(|(k, _)| k == key) {
            changes.push(whole(kind, &format!("{parent}/{key}"), ChangeKind::Removed));
            any_step = true;
        }
    }
    any_step
}

/// A step: words, and how it turns the project so far into the next one.
struct Edit<'a> {
    words: String,
    apply: Box<dyn Fn(&mut Project) + 'a>,
}

/// Replaces the item with `item`'s id in `list` or appends it.
fn put<T: Identified>(list: &mut Vec<T>, item: &T) {
    match list.iter().position(|x| x.id() == item.id()) {
        Some(index) => list[index] = item.clone(),
        None => list.push(item.clone()),
    }
}

/// The differences between two versions and each step's effect per material. The
/// engine runs once per step, under `control`: the app stops a comparison whose project
/// changed, and the progress share counts the runs done.
pub fn diff(old: &Project, new: &Project, control: &RunControl) -> Result<PlanDiff, RunError> {
    let mut found = Found::default();
    // The steps' order is the waterfall's: settings, materials in, products, scenarios,
    // materials out (the products and events that use a removed material leave first).
    found.project_settings(old, new);
    found.materials_added_or_changed(old, new);
    found.products(old, new);
    found.scenarios(old, new);
    found.removed(
        ItemKind::Material,
        (&old.materials, &new.materials),
        |m| format!("{} removed", m.name),
        |p| &mut p.materials,
    );
    let materials = attribute(old, new, &found.edits, control)?;
    Ok(PlanDiff {
        changes: found.changes,
        materials,
    })
}

/// The changes listed so far and the steps they make, in order.
#[derive(Default)]
struct Found<'a> {
    changes: Vec<Change>,
    edits: Vec<Edit<'a>>,
}

/// An item that has an id in its list (materials, products, scenarios).
trait Identified: Clone {
    fn id(&self) -> &str;
}

impl Identified for Material {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Identified for Product {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Identified for Scenario {
    fn id(&self) -> &str {
        &self.id
    }
}

impl<'a> Found<'a> {
    /// Project settings, each its own step.
    fn project_settings(&mut self, old: &Project, new: &'a Project) {
        for ((field, before), (_, after)) in project_fields(old).iter().zip(&project_fields(new)) {
            if before == after {
                continue;
            }
            self.changes.push(Change {
                item_kind: ItemKind::Project,
                item: "project".to_owned(),
                change: ChangeKind::Changed,
                field: Some(field),
                old: Some(before.clone()),
                new: Some(after.clone()),
            });
            if !is_listed_only(field) {
                let field = *field;
                self.edits.push(Edit {
                    words: format!("{field}: {before} → {after}"),
                    apply: Box::new(move |p: &mut Project| match field {
                        "start" => p.start = new.start,
                        "horizon_months" => p.horizon_months = new.horizon_months,
                        "currency" => p.currency.clone_from(&new.currency),
                        "service_level" => p.service_level = new.service_level,
                        "shortage_cost_per_kg" => {
                            p.shortage_cost_per_kg = new.shortage_cost_per_kg;
                        }
                        _ => p.rebuild_after_disruption = new.rebuild_after_disruption,
                    }),
                });
            }
        }
    }

    /// A step that puts `item` (added or changed) into its list, if there is one.
    fn put_step<T: Identified>(
        &mut self,
        words: Option<String>,
        item: &'a T,
        list: fn(&mut Project) -> &mut Vec<T>,
    ) {
        if let Some(words) = words {
            self.edits.push(Edit {
                words,
                apply: Box::new(move |p: &mut Project| put(list(p), item)),
            });
        }
    }

    /// Materials added or changed, with their alternatives.
    fn materials_added_or_changed(&mut self, old: &Project, new: &'a Project) {
        for material in &new.materials {
            let words = match old.materials.iter().find(|m| m.id == material.id) {
                None => {
                    self.changes
                        .push(whole(ItemKind::Material, &material.id, ChangeKind::Added));
                    Some(format!("{} added", material.name))
                }
                Some(before) => {
                    let fields = changed_fields(
                        ItemKind::Material,
                        &material.id,
                        &material_fields(before),
                        &material_fields(material),
                        &mut self.changes,
                    );
                    let alternatives = compare_children(
                        ItemKind::Alternative,
                        &material.id,
                        (&before.alternatives, &material.alternatives),
                        |a: &Alternative| a.name.as_str(),
                        alternative_fields,
                        |_, _| true,
                        &mut self.changes,
                    );
                    (fields || alternatives).then(|| format!("{} changed", material.name))
                }
            };
            self.put_step(words, material, |p| &mut p.materials);
        }
    }

    /// Products added or changed, then removed.
    fn products(&mut self, old: &Project, new: &'a Project) {
        for product in &new.products {
            let words = match old.products.iter().find(|p| p.id == product.id) {
                None => {
                    self.changes
                        .push(whole(ItemKind::Product, &product.id, ChangeKind::Added));
                    Some(format!("{} added", product.name))
                }
                Some(before) => changed_fields(
                    ItemKind::Product,
                    &product.id,
                    &product_fields(before),
                    &product_fields(product),
                    &mut self.changes,
                )
                .then(|| format!("{} changed", product.name)),
            };
            self.put_step(words, product, |p| &mut p.products);
        }
        self.removed(
            ItemKind::Product,
            (&old.products, &new.products),
            |p| format!("{} removed", p.name),
            |p| &mut p.products,
        );
    }

    /// Scenarios added or changed, with their events, then removed.
    fn scenarios(&mut self, old: &Project, new: &'a Project) {
        for scenario in &new.scenarios {
            let words = match old.scenarios.iter().find(|s| s.id == scenario.id) {
                None => {
                    self.changes
                        .push(whole(ItemKind::Scenario, &scenario.id, ChangeKind::Added));
                    Some(format!("scenario \"{}\" added", scenario.name))
                }
                Some(before) => {
                    let fields = changed_fields(
                        ItemKind::Scenario,
                        &scenario.id,
                        &scenario_fields(before),
                        &scenario_fields(scenario),
                        &mut self.changes,
                    );
                    let events = compare_children(
                        ItemKind::Event,
                        &scenario.id,
                        (&before.events, &scenario.events),
                        Event::name,
                        event_fields,
                        |a, b| std::mem::discriminant(a) == std::mem::discriminant(b),
                        &mut self.changes,
                    );
                    (fields || events).then(|| format!("scenario \"{}\" changed", scenario.name))
                }
            };
            self.put_step(words, scenario, |p| &mut p.scenarios);
        }
        self.removed(
            ItemKind::Scenario,
            (&old.scenarios, &new.scenarios),
            |s| format!("scenario \"{}\" removed", s.name),
            |p| &mut p.scenarios,
        );
    }

    /// The items only the older list has, each a step that takes it out.
    fn removed<T: Identified + 'a>(
        &mut self,
        kind: ItemKind,
        (old, new): (&[T], &[T]),
        words: impl Fn(&T) -> String,
        list: fn(&mut Project) -> &mut Vec<T>,
    ) {
        for item in old {
            if new.iter().any(|x| x.id() == item.id()) {
                continue;
            }
            self.changes
                .push(whole(kind, item.id(), ChangeKind::Removed));
            let id = item.id().to_owned();
            self.edits.push(Edit {
                words: words(item),
                apply: Box::new(move |p: &mut Project| list(p).retain(|x| x.id() != id)),
            });
        }
    }
}

/// Each material's month-0 recommended stock (on the grid), by id.
fn figures(
    project: &Project,
    options: &RunOptions,
    control: &RunControl,
) -> Result<HashMap<String, f64>, RunError> {
    let model = Model::new(project, options)?;
    let rec = super::run(&model, control)?;
    Ok(project
        .materials
        .iter()
        .zip(&rec.materials)
        .map(|(m, figures)| (m.id.clone(), on_grid(figures.recommended_stock_kg)))
        .collect())
}

/// Applies the steps in order from the older project, recomputing after each with the
/// newer file's paths and seed, and attributes each step's change per material.
fn attribute(
    old: &Project,
    new: &Project,
    edits: &[Edit],
    control: &RunControl,
) -> Result<Vec<MaterialDiff>, RunError> {
    let options = RunOptions {
        paths: Some(new.paths),
        seed: Some(new.seed),
        service_level: None,
    };
    // Both ends, then every step but the last (whose figures are the newer end's).
    let runs = 2 + edits.len().saturating_sub(1);
    let figures_after = |project: &Project, done: usize| {
        let progress = |share: f32| (control.progress)((done as f32 + share) / runs as f32);
        let control = RunControl {
            cancel: control.cancel,
            progress: &progress,
        };
        figures(project, &options, &control)
    };
    let start = figures_after(old, 0)?;
    let end = figures_after(new, 1)?;
    let mut ids: Vec<&str> = new.materials.iter().map(|m| m.id.as_str()).collect();
    ids.extend(
        old.materials
            .iter()
            .map(|m| m.id.as_str())
            .filter(|id| !new.materials.iter().any(|m| m.id == *id)),
    );
    let mut current = old.clone();
    let mut before = start.clone();
    let mut effects: Vec<Vec<f64>> = vec![Vec::with_capacity(edits.len()); ids.len()];
    for (index, edit) in edits.iter().enumerate() {
        (edit.apply)(&mut current);
        let last = index + 1 == edits.len();
        // An intermediate project can be invalid (a step's item refers to one a later
        // step brings): its effects are 0 and the steps after it take the change.
        let after = if last {
            end.clone()
        } else {
            match figures_after(&current, 2 + index) {
                Ok(after) => after,
                Err(RunError::Invalid(_)) => before.clone(),
                Err(RunError::Cancelled) => return Err(RunError::Cancelled),
            }
        };
        for (id, effect) in ids.iter().zip(&mut effects) {
            let value = |map: &HashMap<String, f64>| map.get(*id).copied().unwrap_or(0.0);
            effect.push(value(&after) - value(&before));
        }
        before = after;
    }
    Ok(ids
        .iter()
        .zip(effects)
        .map(|(id, effects)| MaterialDiff {
            id: (*id).to_owned(),
            old_recommended_stock_kg: start.get(*id).copied(),
            new_recommended_stock_kg: end.get(*id).copied(),
            steps: edits
                .iter()
                .zip(effects)
                .map(|(edit, effect_kg)| Step {
                    words: edit.words.clone(),
                    effect_kg,
                })
                .collect(),
        })
        .collect())
}
