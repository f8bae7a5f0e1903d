//! The left panel: the project's items as a tree (overview, materials, products,
//! scenarios, settings), with buttons to add items.

use egui::{RichText, Ui};

use super::state::{Command, Selection};
use super::widgets::{Env, unique_id};
use crate::project::{Event, FieldPath, Material, Product, Scenario};

pub struct NavigationPanel;

/// One row of the tree: its name and whether a field under it has an error.
struct Entry {
    name: String,
    has_error: bool,
}

/// The rows of one list (materials, products or scenarios), read before drawing
/// because drawing borrows `env` mutably.
fn entries<T>(
    env: &Env,
    items: &[T],
    name: impl Fn(&T) -> &str,
    path: impl Fn(usize) -> FieldPath,
) -> Vec<Entry> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| Entry {
            name: name(item).to_owned(),
            has_error: env.validation.has_error_under(&path(i)),
        })
        .collect()
}

impl NavigationPanel {
    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui, selection: Selection) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            let tree = Tree { selection };
            tree.item(ui, env, "Overview", Selection::Overview, false);
            ui.indent("decisions", |ui| {
                tree.item(ui, env, "Budget", Selection::Budget, false);
            });
            ui.separator();
            tree.materials(ui, env);
            ui.separator();
            tree.products(ui, env);
            ui.separator();
            tree.scenarios(ui, env);
            ui.separator();
            let settings_bad = env
                .validation
                .errors()
                .any(|i| i.path.item_path().is_none());
            tree.item(ui, env, "Settings", Selection::Settings, settings_bad);
        });
    }
}

/// Draws the tree's rows, marking the selected one.
struct Tree {
    selection: Selection,
}

impl Tree {
    fn item(&self, ui: &mut Ui, env: &mut Env, text: &str, target: Selection, has_error: bool) {
        let text = if has_error {
            RichText::new(format!("{text}  (!)")).color(ui.visuals().error_fg_color)
        } else {
            RichText::new(text)
        };
        if ui
            .selectable_label(self.selection == target, text)
            .clicked()
        {
            env.push(Command::Select(target));
        }
    }

    fn rows(&self, ui: &mut Ui, env: &mut Env, rows: Vec<Entry>, select: fn(usize) -> Selection) {
        for (i, row) in rows.into_iter().enumerate() {
            self.item(ui, env, &row.name, select(i), row.has_error);
        }
    }

    fn materials(&self, ui: &mut Ui, env: &mut Env) {
        ui.label(RichText::new("Materials").strong());
        let rows = entries(
            env,
            &env.project.materials,
            |m| &m.name,
            FieldPath::material,
        );
        ui.indent("materials", |ui| {
            self.rows(ui, env, rows, Selection::Material);
            if ui.small_button("+ Add material").clicked() {
                let index = env.project.materials.len();
                env.edit("add material", |p| {
                    let taken: Vec<String> = p.materials.iter().map(|m| m.id.clone()).collect();
                    p.materials.push(Material::new(
                        unique_id("material", &taken),
                        "New material",
                        0.0,
                    ));
                });
                env.push(Command::Select(Selection::Material(index)));
            }
            ui.menu_button("+ From catalogue", |ui| {
                super::menu::catalogue_menus(env, ui)
            });
        });
    }

    fn products(&self, ui: &mut Ui, env: &mut Env) {
        let rows = entries(env, &env.project.products, |p| &p.name, FieldPath::product);
        // "No products" is itself an error, shown on the heading when there is no row.
        let none_and_bad =
            rows.is_empty() && env.validation.has_error_under(&FieldPath::top("products"));
        self.item(ui, env, "Products", Selection::Products, none_and_bad);
        ui.indent("products", |ui| {
            self.rows(ui, env, rows, Selection::Product);
            if ui.small_button("+ Add product").clicked() {
                let index = env.project.products.len();
                env.edit("add product", |p| {
                    let taken: Vec<String> = p.products.iter().map(|m| m.id.clone()).collect();
                    p.products.push(Product::new(
                        unique_id("product", &taken),
                        "New product",
                        0.0,
                    ));
                });
                env.push(Command::Select(Selection::Product(index)));
            }
        });
    }

    fn scenarios(&self, ui: &mut Ui, env: &mut Env) {
        let rows = entries(
            env,
            &env.project.scenarios,
            |s| &s.name,
            FieldPath::scenario,
        );
        self.item(ui, env, "Scenarios", Selection::Scenarios, false);
        ui.indent("scenarios", |ui| {
            self.rows(ui, env, rows, Selection::Scenario);
            if ui.small_button("+ Add scenario").clicked() {
                let index = env.project.scenarios.len();
                env.edit("add scenario", |p| {
                    let taken: Vec<String> = p.scenarios.iter().map(|m| m.id.clone()).collect();
                    let start = p.start.plus_months(6);
                    p.scenarios.push(Scenario {
                        id: unique_id("scenario", &taken),
                        name: "New scenario".to_owned(),
                        probability: 0.0,
                        description: String::new(),
                        notes: String::new(),
                        events: vec![Event::once("Export stop", start, 6.0, 0.5)],
                    });
                });
                env.push(Command::Select(Selection::Scenario(index)));
            }
        });
    }
}
