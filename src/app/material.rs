//! A material: its sentence, the charts (tabs), its inputs beside the figures they produce.

use egui::{RichText, Ui};

use super::charts;
use super::drivers::Drivers;
use super::explain;
use super::qualify::Qualify;
use super::widgets::{
    Env, ListKind, field_error, list_buttons, multiline_row, number_row, number_row_among,
    optional_number_row, service_level_note, text_row,
};
use crate::export::{ChartKind, text};
use crate::project::{
    Alternative, Event, FieldPath, Material, MaterialSet, Project, QualificationStart,
};

pub struct MaterialPanel {
    pub chart: ChartKind,
    /// The "What drives it" tab is open instead of a chart.
    pub show_drivers: bool,
    drivers: Drivers,
    qualify: Qualify,
}

impl Default for MaterialPanel {
    fn default() -> Self {
        Self {
            chart: ChartKind::Target,
            show_drivers: false,
            drivers: Drivers::default(),
            qualify: Qualify::default(),
        }
    }
}

fn with_material(p: &mut Project, index: usize, f: impl FnOnce(&mut Material)) {
    if let Some(m) = p.materials.get_mut(index) {
        f(m);
    }
}

impl MaterialPanel {
    /// `generation`: the document's, to tell current background answers from stale ones.
    pub fn ui(&mut self, env: &mut Env, ui: &mut Ui, index: usize, generation: u64) {
        let Some(material) = env.project.materials.get(index).cloned() else {
            ui.label("This material no longer exists.");
            return;
        };
        ui.heading(material.name.as_str());
        let result = env.material_result(index).cloned();
        match (&result, env.computed) {
            (Some(m), Some(computed)) => {
                explain::recommendation(
                    ui,
                    &computed.project,
                    &computed.recommendation,
                    index,
                    Some(15.0),
                );
                service_level_note(ui, &computed.recommendation, m);
                explain::open_ended_warning(ui, &computed.project, m);
                ui.horizontal(|ui| {
                    for kind in [
                        ChartKind::Target,
                        ChartKind::Fan,
                        ChartKind::Compare,
                        ChartKind::Cost,
                        ChartKind::Buildup,
                    ] {
                        let label = match kind {
                            ChartKind::Target => "Target",
                            ChartKind::Fan => "Fan",
                            ChartKind::Compare => "Scenarios",
                            ChartKind::Cost => "Cost curve",
                            ChartKind::Buildup => "Build-up plan",
                        };
                        if ui
                            .selectable_label(!self.show_drivers && self.chart == kind, label)
                            .clicked()
                        {
                            self.chart = kind;
                            self.show_drivers = false;
                        }
                    }
                    if ui
                        .selectable_label(self.show_drivers, "What drives it")
                        .on_hover_text("Which inputs move this material's recommended stock most")
                        .clicked()
                    {
                        self.show_drivers = true;
                    }
                });
                if self.show_drivers {
                    let figures_current = !env.stale;
                    self.drivers
                        .ui(ui, env.project, index, generation, figures_current);
                } else {
                    charts::chart(
                        ui,
                        self.chart,
                        &format!("material_chart_{index}_{:?}", self.chart),
                        &computed.project,
                        &computed.recommendation,
                        m,
                        env.shown_scenarios,
                        300.0,
                    );
                }
                if !self.show_drivers && self.chart == ChartKind::Buildup {
                    buildup_figures(ui, &computed.project, &computed.recommendation, index, m);
                }
            }
            _ => {
                ui.label("The figures for this material appear once the computation finishes.");
            }
        }
        ui.add_space(8.0);
        ui.columns(2, |columns| {
            columns[0].label(RichText::new("Inputs of this material").strong());
            self.inputs(env, &mut columns[0], index, &material, generation);
            columns[1].label(RichText::new("Figures (hover for formula and inputs)").strong());
            if let (Some(m), Some(computed)) = (&result, env.computed) {
                let figures = text::explained_figures(&computed.project, index, m);
                explain::figures_table(
                    &mut columns[1],
                    &format!("material_figures_{index}"),
                    &figures,
                );
                columns[1].add_space(8.0);
                scenario_table(&mut columns[1], computed, m);
            }
        });
    }

    fn inputs(&mut self, env: &mut Env, ui: &mut Ui, i: usize, m: &Material, generation: u64) {
        let currency = env.currency().to_owned();
        let p = |field: &str| FieldPath::material(i).field(field);
        egui::Grid::new(("material_inputs", i)).num_columns(2).show(ui, |ui| {
            text_row(ui, env, "Name", &p("name"), &m.name, move |pr, v| with_material(pr, i, |m| m.name = v));
            text_row(ui, env, "Id", &p("id"), &m.id, move |pr, v| with_material(pr, i, |m| m.id = v));
            let other_prices: Vec<f64> = env.project.materials.iter().enumerate().filter(|(k, _)| *k != i).map(|(_, other)| other.price_per_kg).collect();
            number_row_among(ui, env, "Price per kg", &format!("{currency}/kg"), "What one kg costs today.", &p("price_per_kg"), m.price_per_kg, &other_prices,
                move |pr, v| with_material(pr, i, |m| m.price_per_kg = v));
            number_row(ui, env, "Carrying cost per year", "share of price", "Storage, insurance and capital cost of holding one kg for a year, as a share of its price (0.2 = 20%).", &p("carrying_cost_per_year"), m.carrying_cost_per_year,
                move |pr, v| with_material(pr, i, |m| m.carrying_cost_per_year = v));
            number_row(ui, env, "On hand", "kg", "Stock held today.", &p("on_hand_kg"), m.on_hand_kg,
                move |pr, v| with_material(pr, i, |m| m.on_hand_kg = v));
            number_row(ui, env, "Exposed share", "0 to 1", "The part of your supply that passes through the restricted (China-dependent) chain.", &p("exposed_share"), m.exposed_share,
                move |pr, v| with_material(pr, i, |m| m.exposed_share = v));
            number_row(ui, env, "Lead time", "days", "Normal time from order to delivery.", &p("lead_time_days"), m.lead_time_days,
                move |pr, v| with_material(pr, i, |m| m.lead_time_days = v));
            number_row(ui, env, "Lead time spread", "days (sd)", "Standard deviation of the lead time.", &p("lead_time_sd_days"), m.lead_time_sd_days,
                move |pr, v| with_material(pr, i, |m| m.lead_time_sd_days = v));
            optional_number_row(ui, env, "Purchase cap per month", "kg (empty: none)", "The most extra kg you can buy in a month while building the stockpile.", &p("max_purchase_kg_per_month"), m.max_purchase_kg_per_month,
                move |pr, v| with_material(pr, i, |m| m.max_purchase_kg_per_month = v));
            number_row(ui, env, "Direct demand per month", "kg", "Consumption not tied to a product (spares, R&D); no growth, no noise.", &p("direct_kg_per_month"), m.direct_kg_per_month,
                move |pr, v| with_material(pr, i, |m| m.direct_kg_per_month = v));
            multiline_row(ui, env, "Notes", &p("notes"), &m.notes, move |pr, v| with_material(pr, i, |m| m.notes = v));
        });
        field_error(ui, env.validation, &FieldPath::material(i));
        ui.add_space(6.0);
        ui.label(RichText::new("Alternative suppliers").strong()).on_hover_text(
            "Non-restricted sources that replace lost supply up to their capacity once qualified after a disruption starts.",
        );
        for (a, alt) in m.alternatives.iter().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                let ap = |field: &str| FieldPath::material(i).item("alternatives", a).field(field);
                egui::Grid::new(("alternative", i, a))
                    .num_columns(2)
                    .show(ui, |ui| {
                        text_row(
                            ui,
                            env,
                            "Supplier name",
                            &ap("name"),
                            &alt.name,
                            move |pr, v| with_alt(pr, i, a, |x| x.name = v),
                        );
                        number_row(
                            ui,
                            env,
                            "Capacity per month",
                            "kg",
                            "What this supplier can deliver per month.",
                            &ap("capacity_kg_per_month"),
                            alt.capacity_kg_per_month,
                            move |pr, v| with_alt(pr, i, a, |x| x.capacity_kg_per_month = v),
                        );
                        number_row(
                            ui,
                            env,
                            "Qualification time",
                            "months",
                            "Months from the disruption's start until its material can be used.",
                            &ap("qualification_months"),
                            alt.qualification_months,
                            move |pr, v| with_alt(pr, i, a, |x| x.qualification_months = v),
                        );
                        number_row(
                            ui,
                            env,
                            "Price premium",
                            "share of price",
                            "How much dearer than the usual price (0.35 = 35%).",
                            &ap("price_premium"),
                            alt.price_premium,
                            move |pr, v| with_alt(pr, i, a, |x| x.price_premium = v),
                        );
                        qualification_start_row(ui, env, i, a, alt.qualification_starts);
                    });
                ui.horizontal(|ui| {
                    list_buttons(
                        ui,
                        env,
                        "supplier",
                        a,
                        ListKind::Alternatives { material: i },
                    );
                });
            });
        }
        if ui.button("+ Add alternative supplier").clicked() {
            env.edit("add alternative", move |pr| {
                with_material(pr, i, |m| {
                    m.alternatives.push(Alternative {
                        name: "Alternative supplier".to_owned(),
                        capacity_kg_per_month: 0.0,
                        qualification_months: 6.0,
                        price_premium: 0.3,
                        qualification_starts: QualificationStart::AtFirstLoss,
                    });
                });
            });
        }
        self.qualify
            .ui(ui, env.project, i, env.computed, generation);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            list_buttons(ui, env, "material", i, ListKind::Materials);
        });
    }
}

/// When qualifying the supplier starts: at the first loss, or now (qualified ahead).
fn qualification_start_row(
    ui: &mut Ui,
    env: &mut Env,
    i: usize,
    a: usize,
    current: QualificationStart,
) {
    let label = ui.label("Qualification starts").on_hover_text(
        "At the first loss: you start qualifying this supplier when a disruption first cuts \
         supply. Now: you qualify it from the start of the plan, whatever happens, so it can \
         deliver sooner once trouble comes.",
    );
    egui::ComboBox::from_id_salt(("qualification_starts", i, a))
        .selected_text(current.label())
        .show_ui(ui, |ui| {
            for start in QualificationStart::ALL {
                if ui
                    .selectable_label(current == start, start.label())
                    .clicked()
                    && current != start
                {
                    env.edit(
                        FieldPath::material(i)
                            .item("alternatives", a)
                            .field("qualification_starts"),
                        move |pr| with_alt(pr, i, a, |x| x.qualification_starts = start),
                    );
                }
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
}

fn with_alt(p: &mut Project, i: usize, a: usize, f: impl FnOnce(&mut Alternative)) {
    if let Some(alt) = p
        .materials
        .get_mut(i)
        .and_then(|m| m.alternatives.get_mut(a))
    {
        f(alt);
    }
}

/// Beneath the build-up chart: whether the plan is in time, the risk while
/// following it, and what it buys and costs.
fn buildup_figures(
    ui: &mut Ui,
    project: &Project,
    rec: &crate::engine::Recommendation,
    index: usize,
    m: &crate::engine::MaterialRecommendation,
) {
    let feasibility = RichText::new(text::buildup_feasibility(project, rec, index)).strong();
    if m.buildup.too_late() {
        ui.label(feasibility.color(ui.visuals().warn_fg_color));
    } else {
        ui.label(feasibility);
    }
    ui.label(text::buildup_risk(rec, m));
    let figures = text::explained_buildup_figures(project, rec, m);
    explain::figures_table(ui, &format!("buildup_figures_{index}"), &figures);
}

/// Per-scenario figures of this material: buffer, stockout, run-out months.
fn scenario_table(
    ui: &mut Ui,
    computed: &super::worker::Computed,
    m: &crate::engine::MaterialRecommendation,
) {
    use crate::units::{mass, month_or_never, percent};
    let start = computed.recommendation.start;
    ui.label(RichText::new("By scenario").strong());
    ui.label(
        RichText::new(format!(
            "Buffers at the {}",
            text::material_service_level(&computed.recommendation, m)
        ))
        .small(),
    );
    // Two-line headers and wrapped names keep the table inside its half of the
    // window; a narrow window scrolls it sideways rather than cutting it off.
    egui::ScrollArea::horizontal().id_salt("material_scenarios_scroll").show(ui, |ui| {
    egui::Grid::new("material_scenarios").striped(true).show(ui, |ui| {
        for header in ["Scenario", "Weight", "Buffer", "Stockout\ntoday", "Runs dry\n(median)", "Runs dry\n(10% of paths)"] {
            ui.label(RichText::new(header).strong());
        }
        ui.end_row();
        for (s, f) in m.by_scenario.iter().enumerate() {
            let name = computed.project.scenarios.get(s).map_or("?", |sc| sc.name.as_str());
            ui.scope(|ui| {
                ui.set_max_width(150.0);
                ui.add(egui::Label::new(name).wrap());
            });
            ui.label(percent(f.weight)).on_hover_text("The scenario's probability divided by the sum over scenarios.");
            ui.label(mass(f.strategic_buffer_kg))
                .on_hover_text(text::scenario_buffer_explanation(m, f));
            ui.label(percent(f.stockout_probability_at_on_hand));
            ui.label(month_or_never(start, f.run_out_month_median)).on_hover_text(
                "The month by which half the paths of this scenario have used up the strategic part of today's stock.",
            );
            ui.label(month_or_never(start, f.run_out_month_p10)).on_hover_text(
                "The month by which 10% of the paths have run dry (the early, bad cases).",
            );
            ui.end_row();
        }
    });
    });
}

/// What names a material by its id: products whose bill of materials lists it, and
/// events that hit listed materials only, it among them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MaterialUses {
    /// The products' names.
    pub products: Vec<String>,
    /// `Event "name" of scenario "name"`, and whether it hits this material alone
    /// (then it hits nothing without it, and goes with it).
    pub events: Vec<(String, bool)>,
}

impl MaterialUses {
    pub fn of(project: &Project, material_id: &str) -> Self {
        let products = project
            .products
            .iter()
            .filter(|p| {
                p.bill_of_materials
                    .0
                    .iter()
                    .any(|(id, _)| id == material_id)
            })
            .map(|p| p.name.clone())
            .collect();
        let events = project
            .scenarios
            .iter()
            .flat_map(|s| s.events.iter().map(move |e| (s, e)))
            .filter_map(|(scenario, event)| match event.materials() {
                MaterialSet::Only(ids) if ids.iter().any(|id| id == material_id) => Some((
                    format!("event \"{}\" of {}", event.name(), scenario.name),
                    ids.iter().all(|id| id == material_id),
                )),
                _ => None,
            })
            .collect();
        Self { products, events }
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.events.is_empty()
    }
}

/// Removes material `index` if its id is still `material_id` (the question may
/// outlive an edit), and with it every reference to that id: bill-of-materials
/// entries, the id in events' material lists, and events that hit it alone. Another
/// material with the same id keeps the references valid, so they stay then.
pub fn remove_material_and_its_uses(project: &mut Project, index: usize, material_id: &str) {
    if project.materials.get(index).map(|m| m.id.as_str()) != Some(material_id) {
        return;
    }
    project.materials.remove(index);
    if project.materials.iter().any(|m| m.id == material_id) {
        return;
    }
    for product in &mut project.products {
        product
            .bill_of_materials
            .0
            .retain(|(id, _)| id != material_id);
    }
    for scenario in &mut project.scenarios {
        scenario.events.retain_mut(|event| {
            let hits = match event {
                Event::Once { materials, .. } | Event::Recurring { materials, .. } => materials,
            };
            match hits {
                MaterialSet::Only(ids) if ids.iter().any(|id| id == material_id) => {
                    ids.retain(|id| id != material_id);
                    !ids.is_empty()
                }
                _ => true,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{MaterialUses, remove_material_and_its_uses};
    use crate::presets;
    use crate::project::{Event, MaterialSet, validate};

    #[test]
    fn removing_a_used_material_takes_its_references_with_it() {
        let mut project = presets::example()
            .load()
            .map(|loaded| loaded.project)
            .unwrap_or_else(|err| panic!("the example loads: {err}"));
        let id = project.materials[0].id.clone();
        let other = project.materials[1].id.clone();
        let mut alone = Event::once("Only this one", project.start, 6.0, 1.0);
        if let Event::Once { materials, .. } = &mut alone {
            *materials = MaterialSet::Only(vec![id.clone()]);
        }
        let mut both = alone.clone();
        if let Event::Once {
            materials, name, ..
        } = &mut both
        {
            *materials = MaterialSet::Only(vec![id.clone(), other.clone()]);
            *name = "Both".to_owned();
        }
        project.scenarios[0].events.extend([alone, both]);
        let events_before = project.scenarios[0].events.len();

        let uses = MaterialUses::of(&project, &id);
        assert!(!uses.products.is_empty(), "the example's products use it");
        let scenario = &project.scenarios[0].name;
        assert_eq!(
            uses.events,
            vec![
                (format!("event \"Only this one\" of {scenario}"), true),
                (format!("event \"Both\" of {scenario}"), false),
            ]
        );

        remove_material_and_its_uses(&mut project, 0, &id);
        assert!(MaterialUses::of(&project, &id).is_empty());
        assert_eq!(project.scenarios[0].events.len(), events_before - 1);
        let last = project.scenarios[0]
            .events
            .last()
            .map(|e| e.materials().clone());
        assert_eq!(last, Some(MaterialSet::Only(vec![other])));
        assert!(validate(&project).is_valid(), "{:?}", validate(&project));
    }

    #[test]
    fn a_stale_question_removes_nothing() {
        let mut project = presets::example()
            .load()
            .map(|loaded| loaded.project)
            .unwrap_or_else(|err| panic!("the example loads: {err}"));
        let before = project.clone();
        remove_material_and_its_uses(&mut project, 0, "not-this-one");
        assert_eq!(project, before);
    }
}
