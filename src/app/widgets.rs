//! Input fields shared by the panels. Every field is labelled (AccessKit, kittest),
//! shows the validation message for its path beneath it, and turns what the user
//! types into an [`Edit`]; nothing is clamped: a number that parses is stored as
//! typed, and `validate()` says what is wrong with it.

use egui::{Color32, RichText, Ui};

use super::state::{Command, Edit};
use super::worker::Computed;
use crate::project::{Dist, Project, StartMonth, Validation, YearMonth};

/// What a panel sees of the app: the project, its validation, the figures, and where to push commands.
pub struct Env<'a> {
    pub project: &'a Project,
    pub validation: &'a Validation,
    /// The newest finished run (possibly of an older generation).
    pub computed: Option<&'a Computed>,
    /// Whether `computed` belongs to an older version of the project.
    pub stale: bool,
    /// Which scenarios the charts show (by index).
    pub shown_scenarios: &'a [bool],
    pub commands: &'a mut Vec<Command>,
    /// The bundled catalogue of materials and scenarios to insert from.
    pub catalogue: Option<&'a Project>,
    /// A save waits for the figures of the document it saves.
    pub save_is_held: bool,
}

impl Env<'_> {
    pub fn edit(
        &mut self,
        key: impl Into<String>,
        apply: impl FnOnce(&mut Project) + Send + 'static,
    ) {
        self.commands.push(Command::Edit(Edit::new(key, apply)));
    }

    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    pub fn currency(&self) -> &str {
        &self.project.currency
    }

    /// The result for material `index` if the last run had the same material there.
    pub fn material_result(&self, index: usize) -> Option<&crate::engine::MaterialRecommendation> {
        let computed = self.computed?;
        let current = self.project.materials.get(index)?;
        let then = computed.project.materials.get(index)?;
        if then.id != current.id {
            return None;
        }
        computed.recommendation.materials.get(index)
    }

    pub fn scenario_shown(&self, index: usize) -> bool {
        self.shown_scenarios.get(index).copied().unwrap_or(true)
    }
}

pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// Shows the validation message for `path` (if any) in red, small.
pub fn field_error(ui: &mut Ui, validation: &Validation, path: &str) {
    if let Some(message) = validation.error_at(path) {
        let color = error_color(ui);
        ui.label(RichText::new(message).color(color).small());
    }
}

#[derive(Clone, Default)]
struct FieldText {
    text: String,
    /// The value the text was last synced with (bits), to notice undo and other outside changes.
    synced: Option<u64>,
}

const FIELD_WIDTH: f32 = 110.0;

/// The value cell of a grid row: the editor and its unit on one line, the field's
/// validation message under it; then ends the row.
fn field_cell(
    ui: &mut Ui,
    env: &mut Env,
    unit: &str,
    path: &str,
    editor: impl FnOnce(&mut Ui, &mut Env),
) {
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            editor(ui, env);
            if !unit.is_empty() {
                ui.weak(unit);
            }
        });
        field_error(ui, env.validation, path);
    });
    ui.end_row();
}

/// A labelled text input holding a number, in a two-column grid row: label | field, unit, message.
#[allow(clippy::too_many_arguments)]
pub fn number_row(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    unit: &str,
    hover: &str,
    path: &str,
    value: f64,
    set: impl FnOnce(&mut Project, f64) + Send + 'static,
) {
    let label_response = ui.label(label).on_hover_text(hover);
    field_cell(ui, env, unit, path, |ui, env| {
        if let Some(Some(v)) = number_input(ui, label_response.id, label, path, Some(value), false)
        {
            env.edit(path, move |p| set(p, v));
        }
    });
}

/// Like [`number_row`] for an optional number: an empty field means none.
#[allow(clippy::too_many_arguments)]
pub fn optional_number_row(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    unit: &str,
    hover: &str,
    path: &str,
    value: Option<f64>,
    set: impl FnOnce(&mut Project, Option<f64>) + Send + 'static,
) {
    let label_response = ui.label(label).on_hover_text(hover);
    field_cell(ui, env, unit, path, |ui, env| {
        if let Some(new_value) = number_input(ui, label_response.id, label, path, value, true) {
            env.edit(path, move |p| set(p, new_value));
        }
    });
}

/// The bare number input: returns `Some(new)` when the user typed a different value
/// (`Some(None)`: emptied an optional field).
pub fn number_input(
    ui: &mut Ui,
    labelled_by: egui::Id,
    accessible_label: &str,
    path: &str,
    value: Option<f64>,
    optional: bool,
) -> Option<Option<f64>> {
    let id = ui.scope_id().with(("number", path));
    let mut state: FieldText = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    let bits = value.map_or(u64::MAX, f64::to_bits);
    let has_focus = ui.memory(|m| m.has_focus(id.with("edit")));
    if state.synced != Some(bits) && !has_focus {
        state.text = value.map(format_number).unwrap_or_default();
        state.synced = Some(bits);
    }
    let parsed = parse_number(&state.text);
    let bad_text = match &parsed {
        Ok(None) if !optional => true,
        Err(()) => true,
        _ => false,
    };
    let mut edit = egui::TextEdit::singleline(&mut state.text)
        .id(id.with("edit"))
        .desired_width(FIELD_WIDTH);
    if bad_text {
        edit = edit.text_color(error_color(ui));
    }
    let response = ui.add(edit).labelled_by(labelled_by);
    ui.ctx()
        .accesskit_node_builder(response.id, |b| b.set_label(accessible_label.to_owned()));
    let mut result = None;
    if response.changed() {
        match parse_number(&state.text) {
            Ok(Some(v)) if Some(v.to_bits()) != value.map(f64::to_bits) => {
                state.synced = Some(v.to_bits());
                result = Some(Some(v));
            }
            Ok(None) if optional && value.is_some() => {
                state.synced = Some(u64::MAX);
                result = Some(None);
            }
            _ => {}
        }
    }
    if bad_text {
        let color = error_color(ui);
        ui.label(
            RichText::new("not a number; the project keeps the last one")
                .color(color)
                .small(),
        );
    }
    ui.data_mut(|d| d.insert_temp(id, state));
    result
}

fn parse_number(text: &str) -> Result<Option<f64>, ()> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let (number, scale) = match cleaned.strip_suffix('%') {
        Some(n) => (n.trim(), 0.01),
        None => (cleaned.as_str(), 1.0),
    };
    number
        .parse::<f64>()
        .map(|v| Some(v * scale))
        .map_err(|_| ())
}

/// How a number shows in an input: shortest exact form, with thousands separators
/// from 1,000 up (typed commas are ignored, so the text parses back to the value).
pub fn format_number(value: f64) -> String {
    let plain = format!("{value}");
    if !value.is_finite() || value.abs() < 1000.0 || plain.contains(['e', 'E']) {
        return plain;
    }
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A labelled single-line text input for a string field.
pub fn text_row(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    path: &str,
    value: &str,
    set: impl FnOnce(&mut Project, String) + Send + 'static,
) {
    let label_response = ui.label(label);
    ui.vertical(|ui| {
        let mut text = value.to_owned();
        let response = ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(280.0))
            .labelled_by(label_response.id);
        if response.changed() {
            env.edit(path, move |p| set(p, text));
        }
        field_error(ui, env.validation, path);
    });
    ui.end_row();
}

/// A labelled multi-line text input (notes, descriptions).
pub fn multiline_row(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    path: &str,
    value: &str,
    set: impl FnOnce(&mut Project, String) + Send + 'static,
) {
    // Top-aligned: a grid centres its cells vertically, which puts the label of a
    // long text far below the box's first line (or out of view).
    let label_response = ui
        .with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
            ui.label(label)
        })
        .inner;
    ui.vertical(|ui| {
        let mut text = value.to_owned();
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut text)
                    .desired_width(380.0)
                    .desired_rows(3),
            )
            .labelled_by(label_response.id);
        if response.changed() {
            env.edit(path, move |p| set(p, text));
        }
        field_error(ui, env.validation, path);
    });
    ui.end_row();
}

/// A labelled `YYYY-MM` input; returns a new month when one was typed.
pub fn month_input(ui: &mut Ui, label: &str, path: &str, value: YearMonth) -> Option<YearMonth> {
    let id = ui.scope_id().with(("month", path));
    let mut state: FieldText = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    let bits = value.year() as u64 * 100 + value.month() as u64;
    let has_focus = ui.memory(|m| m.has_focus(id.with("edit")));
    if state.synced != Some(bits) && !has_focus {
        state.text = value.to_string();
        state.synced = Some(bits);
    }
    let bad = YearMonth::parse(state.text.trim()).is_none();
    let mut edit = egui::TextEdit::singleline(&mut state.text)
        .id(id.with("edit"))
        .desired_width(70.0);
    if bad {
        edit = edit.text_color(error_color(ui));
    }
    let response = ui.add(edit).on_hover_text("a calendar month, YYYY-MM");
    ui.ctx()
        .accesskit_node_builder(response.id, |b| b.set_label(label.to_owned()));
    let mut result = None;
    if response.changed()
        && let Some(month) = YearMonth::parse(state.text.trim())
        && month != value
    {
        state.synced = Some(month.year() as u64 * 100 + month.month() as u64);
        result = Some(month);
    }
    if bad {
        let color = error_color(ui);
        ui.label(RichText::new("not a month (YYYY-MM)").color(color).small());
    }
    ui.data_mut(|d| d.insert_temp(id, state));
    result
}

/// The kind of a distribution, for its combo box.
fn dist_kind(dist: &Dist) -> &'static str {
    match dist {
        Dist::Fixed(_) => "Fixed",
        Dist::Uniform(..) => "Uniform",
        Dist::Triangular(..) => "Triangular",
    }
}

/// A distribution editor row: kind, then its parameters. `set` stores a whole new distribution.
pub fn dist_row(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    unit: &str,
    path: &str,
    dist: Dist,
    set: impl Fn(&mut Project, Dist) + Send + Sync + Clone + 'static,
) {
    let label_response = ui.label(label).on_hover_text(
        "Fixed: one value. Uniform(a, b): any value between a and b equally likely. \
         Triangular(min, mode, max): most likely at the mode. Drawn once per path.",
    );
    field_cell(ui, env, unit, path, |ui, env| {
        let mut kind = dist_kind(&dist);
        let before = kind;
        egui::ComboBox::from_id_salt(("dist", path))
            .selected_text(kind)
            .width(90.0)
            .show_ui(ui, |ui| {
                for option in ["Fixed", "Uniform", "Triangular"] {
                    ui.selectable_value(&mut kind, option, option);
                }
            })
            .response
            .labelled_by(label_response.id);
        if kind != before {
            let (lo, hi) = dist.bounds();
            let mean = dist.mean();
            let new = match kind {
                "Fixed" => Dist::Fixed(mean),
                "Uniform" => Dist::Uniform(lo, hi),
                _ => Dist::Triangular(lo, mean, hi),
            };
            let set = set.clone();
            env.edit(format!("{path}#kind"), move |p| set(p, new));
        }
        let params = dist.params();
        let names: &[&str] = match dist {
            Dist::Fixed(_) => &["value"],
            Dist::Uniform(..) => &["from", "to"],
            Dist::Triangular(..) => &["min", "mode", "max"],
        };
        for (i, (value, name)) in params.iter().zip(names).enumerate() {
            if names.len() > 1 {
                ui.weak(*name);
            }
            let accessible = format!("{label} {name}");
            if let Some(Some(v)) = number_input(
                ui,
                label_response.id,
                &accessible,
                &format!("{path}.{i}"),
                Some(*value),
                false,
            ) {
                let mut new_params = params.clone();
                new_params[i] = v;
                let new = match dist {
                    Dist::Fixed(_) => Dist::Fixed(new_params[0]),
                    Dist::Uniform(..) => Dist::Uniform(new_params[0], new_params[1]),
                    Dist::Triangular(..) => {
                        Dist::Triangular(new_params[0], new_params[1], new_params[2])
                    }
                };
                let set = set.clone();
                env.edit(format!("{path}.{i}"), move |p| set(p, new));
            }
        }
    });
}

/// A start month editor row: fixed month, or a whole month drawn from a range.
pub fn start_row(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    path: &str,
    start: StartMonth,
    set: impl Fn(&mut Project, StartMonth) + Send + Sync + Clone + 'static,
) {
    let label_response = ui.label(label).on_hover_text(
        "Fixed: the event starts that month. Uniform: any month from..to, equally likely.",
    );
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            let uniform = matches!(start, StartMonth::Uniform(..));
            let mut choice = uniform;
            egui::ComboBox::from_id_salt(("start", path))
                .selected_text(if uniform { "Uniform" } else { "Fixed" })
                .width(90.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut choice, false, "Fixed");
                    ui.selectable_value(&mut choice, true, "Uniform");
                })
                .response
                .labelled_by(label_response.id);
            if choice != uniform {
                let new = match start {
                    StartMonth::Fixed(m) => StartMonth::Uniform(m, m.plus_months(6)),
                    StartMonth::Uniform(a, _) => StartMonth::Fixed(a),
                };
                let set = set.clone();
                env.edit(format!("{path}#kind"), move |p| set(p, new));
            }
            match start {
                StartMonth::Fixed(month) => {
                    if let Some(m) = month_input(ui, &format!("{label} month"), path, month) {
                        let set = set.clone();
                        env.edit(path, move |p| set(p, StartMonth::Fixed(m)));
                    }
                }
                StartMonth::Uniform(from, to) => {
                    ui.weak("from");
                    if let Some(m) =
                        month_input(ui, &format!("{label} from"), &format!("{path}.0"), from)
                    {
                        let set = set.clone();
                        env.edit(format!("{path}.0"), move |p| {
                            set(p, StartMonth::Uniform(m, to))
                        });
                    }
                    ui.weak("to");
                    if let Some(m) =
                        month_input(ui, &format!("{label} to"), &format!("{path}.1"), to)
                    {
                        let set = set.clone();
                        env.edit(format!("{path}.1"), move |p| {
                            set(p, StartMonth::Uniform(from, m))
                        });
                    }
                }
            }
        });
        field_error(ui, env.validation, path);
    });
    ui.end_row();
}

/// Which list of the project an item belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    Materials,
    Products,
    Scenarios,
    Events { scenario: usize },
    Alternatives { material: usize },
}

fn list_of(project: &mut Project, kind: ListKind) -> Option<&mut dyn ListOps> {
    match kind {
        ListKind::Materials => Some(&mut project.materials),
        ListKind::Products => Some(&mut project.products),
        ListKind::Scenarios => Some(&mut project.scenarios),
        ListKind::Events { scenario } => project
            .scenarios
            .get_mut(scenario)
            .map(|s| &mut s.events as &mut dyn ListOps),
        ListKind::Alternatives { material } => project
            .materials
            .get_mut(material)
            .map(|m| &mut m.alternatives as &mut dyn ListOps),
    }
}

/// How many items the list `kind` names holds (0 when it is gone).
fn list_len(project: &Project, kind: ListKind) -> usize {
    match kind {
        ListKind::Materials => project.materials.len(),
        ListKind::Products => project.products.len(),
        ListKind::Scenarios => project.scenarios.len(),
        ListKind::Events { scenario } => project
            .scenarios
            .get(scenario)
            .map_or(0, |s| s.events.len()),
        ListKind::Alternatives { material } => project
            .materials
            .get(material)
            .map_or(0, |m| m.alternatives.len()),
    }
}

/// Up / down / duplicate / remove buttons for an item of a list; pushes edits.
pub fn list_buttons(ui: &mut Ui, env: &mut Env, what: &str, index: usize, kind: ListKind) {
    let len = list_len(env.project, kind);
    type Op = fn(&mut dyn ListOps, usize);
    let buttons: [(bool, String, String, &str, Op); 4] = [
        (
            index > 0,
            "Up".to_owned(),
            format!("Move this {what} up the list"),
            "move",
            |list, i| list.swap(i - 1, i),
        ),
        (
            index + 1 < len,
            "Down".to_owned(),
            format!("Move this {what} down the list"),
            "move",
            |list, i| list.swap(i, i + 1),
        ),
        (
            true,
            format!("Duplicate {what}"),
            format!("Add a copy of this {what} below it"),
            "duplicate",
            |list, i| list.duplicate(i),
        ),
        (
            true,
            format!("Remove {what}"),
            format!("Remove this {what} (undo brings it back)"),
            "remove",
            |list, i| list.remove(i),
        ),
    ];
    for (enabled, text, hover, verb, op) in buttons {
        if ui
            .add_enabled(enabled, egui::Button::new(text))
            .on_hover_text(hover)
            .clicked()
        {
            env.edit(format!("{verb} {what}"), move |p| {
                if let Some(list) = list_of(p, kind) {
                    op(list, index);
                }
            });
        }
    }
}

/// List operations the editors need, for materials, products, scenarios and events.
pub trait ListOps {
    fn swap(&mut self, a: usize, b: usize);
    fn duplicate(&mut self, index: usize);
    fn remove(&mut self, index: usize);
}

/// Items with an id get a fresh one when duplicated.
pub trait Identified: Clone {
    fn id_mut(&mut self) -> Option<&mut String>;
    fn name_mut(&mut self) -> &mut String;
    fn id(&self) -> Option<&str>;
}

impl<T: Identified> ListOps for Vec<T> {
    fn swap(&mut self, a: usize, b: usize) {
        if a < self.len() && b < self.len() {
            <[T]>::swap(self, a, b);
        }
    }

    fn duplicate(&mut self, index: usize) {
        let Some(item) = self.get(index) else {
            return;
        };
        let mut copy = item.clone();
        if let Some(id) = copy.id().map(str::to_owned) {
            let taken: Vec<String> = self
                .iter()
                .filter_map(|i| i.id().map(str::to_owned))
                .collect();
            if let Some(slot) = copy.id_mut() {
                *slot = unique_id(&id, &taken);
            }
        }
        let name = copy.name_mut();
        name.push_str(" (copy)");
        self.insert(index + 1, copy);
    }

    fn remove(&mut self, index: usize) {
        if index < self.len() {
            Vec::remove(self, index);
        }
    }
}

/// `base`, or `base_2`, `base_3`... whichever is not taken.
pub fn unique_id(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_owned();
    }
    let stem: String = base.chars().take(60).collect();
    (2..)
        .map(|n| format!("{stem}_{n}"))
        .find(|candidate| !taken.iter().any(|t| t == candidate))
        .unwrap_or_else(|| stem.clone())
}

/// The lists whose items carry both an id and a name.
macro_rules! identified_by_id {
    ($($item:ty),+) => {$(
        impl Identified for $item {
            fn id_mut(&mut self) -> Option<&mut String> {
                Some(&mut self.id)
            }
            fn name_mut(&mut self) -> &mut String {
                &mut self.name
            }
            fn id(&self) -> Option<&str> {
                Some(&self.id)
            }
        }
    )+};
}

identified_by_id!(
    crate::project::Material,
    crate::project::Product,
    crate::project::Scenario
);

impl Identified for crate::project::Event {
    fn id_mut(&mut self) -> Option<&mut String> {
        None
    }
    fn name_mut(&mut self) -> &mut String {
        match self {
            crate::project::Event::Once { name, .. }
            | crate::project::Event::Recurring { name, .. } => name,
        }
    }
    fn id(&self) -> Option<&str> {
        None
    }
}

impl Identified for crate::project::Alternative {
    fn id_mut(&mut self) -> Option<&mut String> {
        None
    }
    fn name_mut(&mut self) -> &mut String {
        &mut self.name
    }
    fn id(&self) -> Option<&str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{format_number, parse_number};

    #[test]
    fn numbers_show_with_separators_and_parse_back() {
        for (value, text) in [
            (55.0, "55"),
            (0.35, "0.35"),
            (1000.0, "1,000"),
            (14000.0, "14,000"),
            (-1234567.5, "-1,234,567.5"),
            (999.999, "999.999"),
        ] {
            assert_eq!(format_number(value), text);
            assert_eq!(parse_number(text), Ok(Some(value)));
        }
    }
}
