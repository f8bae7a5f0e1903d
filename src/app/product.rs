//! Products: volume, growth, noise, end use, margin, and the bill of materials as a
//! products × materials grid in kg per unit.

use egui::{RichText, Ui};

use super::widgets::{
    Env, ListKind, field_error, format_number, list_buttons, multiline_row, number_input,
    number_row, number_row_among, text_row,
};
use crate::project::{EndUse, FieldPath, Product, Project};

#[derive(Default)]
pub struct ProductPanel;

fn with_product(p: &mut Project, index: usize, f: impl FnOnce(&mut Product)) {
    if let Some(product) = p.products.get_mut(index) {
        f(product);
    }
}

impl ProductPanel {
    /// All products: the bill-of-materials grid.
    pub fn ui_all(&mut self, env: &mut Env, ui: &mut Ui) {
        ui.heading("Products and their bill of materials");
        ui.label(
            "kg of each material per unit built; an empty cell means the product does not use it.",
        );
        bom_grid(env, ui, None);
    }

    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui, i: usize) {
        let Some(product) = env.project.products.get(i).cloned() else {
            ui.label("This product no longer exists.");
            return;
        };
        ui.heading(product.name.as_str());
        let currency = env.currency().to_owned();
        let p = |field: &str| FieldPath::product(i).field(field);
        egui::Grid::new(("product_inputs", i)).num_columns(2).show(ui, |ui| {
            text_row(ui, env, "Name", &p("name"), &product.name, move |pr, v| with_product(pr, i, |x| x.name = v));
            text_row(ui, env, "Id", &p("id"), &product.id, move |pr, v| with_product(pr, i, |x| x.id = v));
            let other_volumes: Vec<f64> = env.project.products.iter().enumerate().filter(|(k, _)| *k != i).map(|(_, other)| other.units_per_month).collect();
            number_row_among(ui, env, "Units per month", "units", "Units built per month at the start of the plan.", &p("units_per_month"), product.units_per_month, &other_volumes,
                move |pr, v| with_product(pr, i, |x| x.units_per_month = v));
            number_row(ui, env, "Growth per year", "share (0.1 = 10%)", "Yearly growth of the volume, compounded monthly; may be negative, above -1.", &p("growth_per_year"), product.growth_per_year,
                move |pr, v| with_product(pr, i, |x| x.growth_per_year = v));
            number_row(ui, env, "Demand noise (cv)", "share", "Month-to-month variation of the volume: its coefficient of variation (0.15 = 15%).", &p("demand_cv"), product.demand_cv,
                move |pr, v| with_product(pr, i, |x| x.demand_cv = v));
            number_row(ui, env, "Margin per unit", &format!("{currency}/unit"), "What a unit not built costs you; used for the cost-optimal service level.", &p("margin_per_unit"), product.margin_per_unit,
                move |pr, v| with_product(pr, i, |x| x.margin_per_unit = v));
            let label = ui.label("End use").on_hover_text("Export controls may hit military or civil end uses only; dual use is hit by both.");
            egui::ComboBox::from_id_salt(("end_use", i))
                .selected_text(product.end_use.label())
                .show_ui(ui, |ui| {
                    for end_use in EndUse::ALL {
                        if ui.selectable_label(product.end_use == end_use, end_use.label()).clicked() {
                            env.edit(p("end_use"), move |pr| with_product(pr, i, |x| x.end_use = end_use));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            multiline_row(ui, env, "Notes", &p("notes"), &product.notes, move |pr, v| with_product(pr, i, |x| x.notes = v));
        });
        field_error(ui, env.validation, &FieldPath::product(i));
        ui.add_space(8.0);
        ui.label(RichText::new("Bill of materials (kg per unit)").strong());
        bom_grid(env, ui, Some(i));
        ui.add_space(8.0);
        ui.horizontal(|ui| list_buttons(ui, env, "product", i, ListKind::Products));
    }
}

/// The bill of materials grid: rows are products (one, or all), columns materials.
fn bom_grid(env: &mut Env, ui: &mut Ui, only: Option<usize>) {
    let materials: Vec<(String, String)> = env
        .project
        .materials
        .iter()
        .map(|m| (m.id.clone(), m.name.clone()))
        .collect();
    let products: Vec<(usize, Product)> = env
        .project
        .products
        .iter()
        .cloned()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|o| o == *i))
        .collect();
    egui::ScrollArea::horizontal()
        .id_salt(("bom_scroll", only))
        .show(ui, |ui| {
            egui::Grid::new(("bom_grid", only))
                .striped(true)
                .show(ui, |ui| {
                    ui.label(RichText::new("Product \\ material").strong());
                    for (_, name) in &materials {
                        ui.label(RichText::new(name).strong());
                    }
                    ui.end_row();
                    for (pi, product) in products {
                        let row_label = ui.label(product.name.as_str());
                        for (material_id, material_name) in &materials {
                            let path = FieldPath::product(pi)
                                .field("bill_of_materials")
                                .field(material_id);
                            let value = product.bill_of_materials.kg_per_unit(material_id);
                            ui.vertical(|ui| {
                                let label = format!("kg of {material_name} per {}", product.name);
                                if let Some(new) =
                                    number_input(ui, row_label.id, &label, &path, value, true)
                                {
                                    let id = material_id.clone();
                                    env.edit(path.clone(), move |pr| {
                                        with_product(pr, pi, |x| x.bill_of_materials.set(&id, new));
                                    });
                                }
                                field_error(ui, env.validation, &path);
                            });
                        }
                        ui.end_row();
                    }
                });
        });
    dangling_entries(env, ui, only);
}

/// Bill-of-materials entries naming no material (left by a file or an edited id),
/// each with a button that clears it; the grid has no column to show them in.
fn dangling_entries(env: &mut Env, ui: &mut Ui, only: Option<usize>) {
    let known = |id: &str| env.project.materials.iter().any(|m| m.id == id);
    let dangling: Vec<(usize, String, String, f64)> = env
        .project
        .products
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|o| o == *i))
        .flat_map(|(i, product)| {
            product
                .bill_of_materials
                .0
                .iter()
                .filter(|(id, _)| !known(id))
                .map(move |(id, kg)| (i, product.name.clone(), id.clone(), *kg))
        })
        .collect();
    for (pi, product_name, material_id, kg) in dangling {
        ui.horizontal(|ui| {
            let color = ui.visuals().error_fg_color;
            ui.label(
                RichText::new(format!(
                    "{product_name}: {} kg per unit of \"{material_id}\", which names no material",
                    format_number(kg)
                ))
                .color(color),
            );
            if ui
                .button(format!("Clear unknown material \"{material_id}\""))
                .clicked()
            {
                let path = FieldPath::product(pi)
                    .field("bill_of_materials")
                    .field(&material_id);
                env.edit(path, move |pr| {
                    with_product(pr, pi, |x| {
                        x.bill_of_materials.0.retain(|(id, _)| *id != material_id)
                    });
                });
            }
        });
    }
}
