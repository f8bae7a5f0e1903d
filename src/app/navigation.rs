//! The left panel: the project's items as a tree (overview, materials, products,
//! scenarios, settings), with buttons to add items.

use egui::{RichText, Ui};

use super::state::{Command, Selection};
use super::widgets::{Env, unique_id};
use crate::project::{Event, FieldPath, Material, Product, Scenario};

pub struct NavigationPanel;

impl NavigationPanel {
    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui, selection: Selection) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            let item =
                |ui: &mut Ui, env: &mut Env, text: String, target: Selection, has_error: bool| {
                    let text = if has_error {
                        RichText::new(format!("{text}  (!)")).color(ui.visuals().error_fg_color)
                    } else {
                        RichText::new(text)
                    };
                    if ui.selectable_label(selection == target, text).clicked() {
                        env.push(Command::Select(target));
                    }
                };
            item(ui, env, "Overview".to_owned(), Selection::Overview, false);
            ui.indent("decisions", |ui| {
                item(ui, env, "Budget".to_owned(), Selection::Budget, false);
            });
            ui.separator();
            ui.label(RichText::new("Materials").strong());
            let materials: Vec<(String, bool)> = env
                .project
                .materials
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    (
                        m.name.clone(),
                        env.validation.has_error_under(&FieldPath::material(i)),
                    )
                })
                .collect();
            ui.indent("materials", |ui| {
                for (i, (name, bad)) in materials.into_iter().enumerate() {
                    item(ui, env, name, Selection::Material(i), bad);
                }
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
            ui.separator();
            let products: Vec<(String, bool)> = env
                .project
                .products
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        p.name.clone(),
                        env.validation.has_error_under(&FieldPath::product(i)),
                    )
                })
                .collect();
            let any_bad = env.validation.has_error_under(&FieldPath::top("products"));
            item(
                ui,
                env,
                "Products".to_owned(),
                Selection::Products,
                any_bad && products.is_empty(),
            );
            ui.indent("products", |ui| {
                for (i, (name, bad)) in products.into_iter().enumerate() {
                    item(ui, env, name, Selection::Product(i), bad);
                }
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
            ui.separator();
            let scenarios: Vec<(String, bool)> = env
                .project
                .scenarios
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    (
                        s.name.clone(),
                        env.validation.has_error_under(&FieldPath::scenario(i)),
                    )
                })
                .collect();
            item(ui, env, "Scenarios".to_owned(), Selection::Scenarios, false);
            ui.indent("scenarios", |ui| {
                for (i, (name, bad)) in scenarios.into_iter().enumerate() {
                    item(ui, env, name, Selection::Scenario(i), bad);
                }
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
            ui.separator();
            let settings_bad = env
                .validation
                .errors()
                .any(|i| i.path.item_path().is_none());
            item(
                ui,
                env,
                "Settings".to_owned(),
                Selection::Settings,
                settings_bad,
            );
        });
    }
}
