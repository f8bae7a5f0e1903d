//! Input fields shared by the panels. Every field is labelled (AccessKit, kittest),
//! shows the validation message for its path beneath it, and turns what the user
//! types into an [`Edit`]; nothing is clamped: a number that parses is stored as
//! typed, and `validate()` says what is wrong with it.

use egui::{Color32, RichText, Ui};

use super::dialogs::RemoveMaterialQuestion;
use super::material::{MaterialUses, remove_material_and_its_uses};
use super::state::{Command, Edit, EditKey};
use super::worker::Computed;
use crate::engine::{MaterialRecommendation, Recommendation};
use crate::export::text;
use crate::project::{Dist, FieldPath, Project, StartMonth, Validation, YearMonth};

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
    /// Set to ask before removing a material something uses.
    pub ask_remove_material: &'a mut Option<RemoveMaterialQuestion>,
}

impl Env<'_> {
    pub fn edit(
        &mut self,
        key: impl Into<EditKey>,
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
    pub fn material_result(&self, index: usize) -> Option<&MaterialRecommendation> {
        let computed = self.computed?;
        let current = self.project.materials.get(index)?;
        let then = computed.project.materials.get(index)?;
        if then.id != current.id {
            return None;
        }
        computed.recommendation.materials.get(index)
    }

    /// Removes material `index` with whatever names it, asking first when
    /// products or events do.
    pub fn remove_material(&mut self, index: usize) {
        let Some(material) = self.project.materials.get(index) else {
            return;
        };
        let material_id = material.id.clone();
        let uses = MaterialUses::of(self.project, &material_id);
        if uses.is_empty() {
            self.edit("remove material", move |p| {
                remove_material_and_its_uses(p, index, &material_id)
            });
        } else {
            *self.ask_remove_material = Some(RemoveMaterialQuestion {
                index,
                material_name: material.name.clone(),
                material_id,
                uses,
            });
        }
    }

    pub fn scenario_shown(&self, index: usize) -> bool {
        self.shown_scenarios.get(index).copied().unwrap_or(true)
    }
}

/// A small line under a material's figures naming the service level they are at.
pub fn service_level_note(ui: &mut Ui, rec: &Recommendation, m: &MaterialRecommendation) {
    ui.weak(format!(
        "Figures at the {}",
        text::material_service_level(rec, m)
    ))
    .on_hover_text(
        "The share of simulated futures the recommended stock covers; \
             set it in the menu bar or in Settings.",
    );
}

pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// Where a field asked for from the problem list waits until its panel draws it.
fn focus_request_id() -> egui::Id {
    egui::Id::unique("stockpile_focus_field_request")
}

/// Asks the field at `path` to take the keyboard focus and scroll into view when
/// it is next drawn.
pub fn request_focus(ctx: &egui::Context, path: FieldPath) {
    ctx.data_mut(|d| d.insert_temp(focus_request_id(), path));
}

/// Whether the field at `path` was asked for; the request is used up.
fn take_focus_request(ui: &Ui, path: &FieldPath) -> bool {
    ui.ctx().data_mut(|d| {
        let asked = d.get_temp::<FieldPath>(focus_request_id()).as_ref() == Some(path);
        if asked {
            d.remove::<FieldPath>(focus_request_id());
        }
        asked
    })
}

/// Focuses and shows an input asked for from the problem list.
fn focus_if_asked(ui: &Ui, path: &FieldPath, response: &egui::Response) {
    if take_focus_request(ui, path) {
        response.request_focus();
        response.scroll_to_me(Some(egui::Align::Center));
    }
}

/// Shows the validation message for `path` (if any) in red, small, in plain words;
/// scrolls to it when the problem list asked for this path and no input took it.
pub fn field_error(ui: &mut Ui, validation: &Validation, path: &FieldPath) {
    if take_focus_request(ui, path) {
        ui.scroll_to_cursor(Some(egui::Align::Center));
    }
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
    /// Why the text last left in the field was not used (shown until the next edit).
    refused: Option<String>,
}

const FIELD_WIDTH: f32 = 110.0;

/// The value cell of a grid row: the editor and its unit on one line, the field's
/// validation message under it; then ends the row.
fn field_cell(
    ui: &mut Ui,
    env: &mut Env,
    unit: &str,
    path: &FieldPath,
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
    path: &FieldPath,
    value: f64,
    set: impl FnOnce(&mut Project, f64) + Send + 'static,
) {
    number_row_among(ui, env, label, unit, hover, path, value, &[], set);
}

/// Like [`number_row`], with the same field's values in the project's other items
/// (other materials' prices, other products' volumes): a value a thousand times
/// larger or smaller than theirs gets a warning under the field (a slipped unit or
/// decimal separator), though it is used as typed.
#[allow(clippy::too_many_arguments)]
pub fn number_row_among(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    unit: &str,
    hover: &str,
    path: &FieldPath,
    value: f64,
    others: &[f64],
    set: impl FnOnce(&mut Project, f64) + Send + 'static,
) {
    let label_response = ui.label(label).on_hover_text(hover);
    field_cell(ui, env, unit, path, |ui, env| {
        ui.vertical(|ui| {
            if let Some(Some(v)) =
                number_input(ui, label_response.id, label, path, Some(value), false)
            {
                env.edit(path.clone(), move |p| set(p, v));
            }
            if let Some(warning) = implausible_among(value, others) {
                ui.label(
                    RichText::new(warning)
                        .color(ui.visuals().warn_fg_color)
                        .small(),
                );
            }
        });
    });
}

/// How many times larger or smaller than the others' typical value a value must be
/// to be questioned.
const IMPLAUSIBLE_FACTOR: f64 = 1000.0;

/// A warning when `value` is a thousand times the median of `others` (or a
/// thousandth of it); zeros and negatives compare with nothing.
pub fn implausible_among(value: f64, others: &[f64]) -> Option<String> {
    let mut positive: Vec<f64> = others.iter().copied().filter(|v| *v > 0.0).collect();
    if positive.is_empty() || value <= 0.0 {
        return None;
    }
    positive.sort_by(f64::total_cmp);
    let middle = positive.len() / 2;
    let typical = if positive.len().is_multiple_of(2) {
        (positive[middle - 1] + positive[middle]) / 2.0
    } else {
        positive[middle]
    };
    let which = if value >= typical * IMPLAUSIBLE_FACTOR {
        "over a thousand times"
    } else if value * IMPLAUSIBLE_FACTOR <= typical {
        "under a thousandth of"
    } else {
        return None;
    };
    Some(format!(
        "check: {which} the others ({}); used as typed",
        format_number(typical)
    ))
}

/// Like [`number_row`] for an optional number: an empty field means none.
#[allow(clippy::too_many_arguments)]
pub fn optional_number_row(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    unit: &str,
    hover: &str,
    path: &FieldPath,
    value: Option<f64>,
    set: impl FnOnce(&mut Project, Option<f64>) + Send + 'static,
) {
    let label_response = ui.label(label).on_hover_text(hover);
    field_cell(ui, env, unit, path, |ui, env| {
        if let Some(new_value) = number_input(ui, label_response.id, label, path, value, true) {
            env.edit(path.clone(), move |p| set(p, new_value));
        }
    });
}

/// What the text of a number field means: `Ok(None)` is an empty field.
fn read_field(text: &str, optional: bool) -> Result<Option<f64>, AmountError> {
    if optional && text.trim().is_empty() {
        return Ok(None);
    }
    parse_amount(text).map(Some)
}

/// The bare number input: returns `Some(new)` when the user typed a different value
/// (`Some(None)`: emptied an optional field). Every number the buyer types goes
/// through [`parse_amount`]; text it refuses changes nothing and says why under the
/// field, and when the field loses focus it shows the value actually used.
pub fn number_input(
    ui: &mut Ui,
    labelled_by: egui::Id,
    accessible_label: &str,
    path: &FieldPath,
    value: Option<f64>,
    optional: bool,
) -> Option<Option<f64>> {
    let id = ui.scope_id().with(("number", path.as_str()));
    let mut state: FieldText = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    let bits = value.map_or(u64::MAX, f64::to_bits);
    let has_focus = ui.memory(|m| m.has_focus(id.with("edit")));
    if state.synced != Some(bits) && !has_focus {
        // Changed from outside (undo, a file): a refusal of older text no longer applies.
        state.text = value.map(format_number).unwrap_or_default();
        state.synced = Some(bits);
        state.refused = None;
    }
    let read = read_field(&state.text, optional);
    let mut edit = egui::TextEdit::singleline(&mut state.text)
        .id(id.with("edit"))
        .desired_width(FIELD_WIDTH);
    if read.is_err() {
        edit = edit.text_color(error_color(ui));
    }
    let response = ui.add(edit).labelled_by(labelled_by);
    focus_if_asked(ui, path, &response);
    ui.ctx()
        .accesskit_node_builder(response.id, |b| b.set_label(accessible_label.to_owned()));
    let kept = || value.map_or_else(|| "empty".to_owned(), format_number);
    let mut result = None;
    let mut used = value;
    if response.changed() {
        state.refused = None;
        match read_field(&state.text, optional) {
            Ok(typed) if typed.map(f64::to_bits) != value.map(f64::to_bits) => {
                state.synced = Some(typed.map_or(u64::MAX, f64::to_bits));
                result = Some(typed);
                used = typed;
            }
            _ => {}
        }
    }
    if response.lost_focus() {
        if let Err(why) = read_field(&state.text, optional) {
            state.refused = Some(format!("{why}; kept {}", kept()));
        }
        state.text = used.map(format_number).unwrap_or_default();
        state.synced = Some(used.map_or(u64::MAX, f64::to_bits));
    }
    let message = match read_field(&state.text, optional) {
        Err(why) => Some(format!("{why}; the project keeps {}", kept())),
        Ok(_) => state.refused.clone(),
    };
    if let Some(message) = message {
        let color = error_color(ui);
        ui.label(RichText::new(message).color(color).small());
    }
    ui.data_mut(|d| d.insert_temp(id, state));
    result
}

/// Units a pasted amount may carry that do not change its value (a spreadsheet's
/// "55 USD", "12 kg", "USD/kg"); anything else after the number is refused rather
/// than guessed at (`5 t` is not 5 kg).
const UNITS_KEPT_AS_IS: &[&str] = &[
    "kg", "unit", "units", "day", "days", "month", "months", "usd", "eur", "gbp", "cny", "rmb",
    "jpy", "chf", "cad", "aud", "krw", "inr", "$", "€", "£", "¥",
];

/// Spaces a spreadsheet or a locale puts between thousands.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '_')
}

/// Why typed text is not an amount, in the words shown under the field.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AmountError {
    #[error("empty: type a number")]
    Empty,
    #[error("“{0}” is not a number")]
    NotANumber(String),
    #[error("“{0}” is too large")]
    TooLarge(String),
    #[error("unknown unit “{0}”: type the number alone")]
    UnknownUnit(String),
    #[error("“{0}” is not grouped by thousands")]
    NotGrouped(String),
    /// One comma before exactly three digits: a decimal comma or a thousands one.
    #[error(
        "“{written}” could mean {whole}.{fraction} or {whole}{fraction}: write {whole}{fraction} or {written}.0"
    )]
    Ambiguous {
        written: String,
        whole: String,
        fraction: String,
    },
}

/// Turns what a buyer typed or pasted into the amount it means, or says why it cannot.
///
/// Accepts a decimal point or a decimal comma (`55,5`), thousands grouped by spaces,
/// commas or points (`1 234,5`, `1,234.5`, `1.234,5`), a known unit or currency around
/// the number (`55 USD`, `$55`, `12 kg`) and a percent sign (`35%` is 0.35). A single
/// comma before exactly three digits (`1,234`) could be either and is refused; a single
/// point is always the decimal point, as every field of the app shows it.
pub fn parse_amount(text: &str) -> Result<f64, AmountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let text = text
        .strip_prefix(['$', '€', '£', '¥'])
        .map_or(text, str::trim_start);
    let number_end = text
        .char_indices()
        .rfind(|(_, c)| c.is_ascii_digit())
        .map(|(at, c)| at + c.len_utf8())
        .ok_or_else(|| AmountError::NotANumber(text.to_owned()))?;
    let (number, unit) = text.split_at(number_end);
    let (number, exponent) = split_exponent(number);
    let divisor = unit_divisor(unit.trim())?;
    let plain = ungroup(number)?;
    let value: f64 = format!("{plain}{exponent}")
        .parse()
        .map_err(|_| AmountError::NotANumber(text.to_owned()))?;
    // Divided, not multiplied by 0.01: 35% is then exactly the 0.35 one would type.
    let value = value / divisor;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(AmountError::TooLarge(text.to_owned()))
    }
}

/// `1.5e9` → (`1.5`, `e9`): the shortest form of a huge or tiny value uses an exponent.
fn split_exponent(number: &str) -> (&str, &str) {
    match number.find(['e', 'E']) {
        Some(at)
            if number[at + 1..]
                .trim_start_matches(['+', '-'])
                .chars()
                .all(|c| c.is_ascii_digit()) =>
        {
            number.split_at(at)
        }
        _ => (number, ""),
    }
}

/// What the text after the number divides it by: 1 for a known unit, 100 for `%`.
fn unit_divisor(unit: &str) -> Result<f64, AmountError> {
    if unit.is_empty() {
        return Ok(1.0);
    }
    if unit == "%" {
        return Ok(100.0);
    }
    let known = unit
        .split('/')
        .map(|part| part.trim().to_lowercase())
        .all(|part| part.is_empty() || UNITS_KEPT_AS_IS.contains(&part.as_str()));
    if known {
        Ok(1.0)
    } else {
        Err(AmountError::UnknownUnit(unit.to_owned()))
    }
}

/// The number with its grouping removed and a point for its decimal separator.
fn ungroup(number: &str) -> Result<String, AmountError> {
    let not_a_number = || AmountError::NotANumber(number.trim().to_owned());
    let (sign, digits) = match number.trim().strip_prefix(['-', '−']) {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", number.trim().trim_start_matches('+')),
    };
    let unspaced: String = digits.chars().filter(|c| !is_group_space(*c)).collect();
    let commas = unspaced.matches(',').count();
    let points = unspaced.matches('.').count();
    let decimal = if commas > 0 && points > 0 {
        // Both: the later one separates the decimals (1,234.5 and 1.234,5).
        Some(if unspaced.rfind(',') > unspaced.rfind('.') {
            ','
        } else {
            '.'
        })
    } else if points == 1 {
        Some('.')
    } else if commas == 1 {
        let (whole, fraction) = unspaced.split_once(',').unwrap_or_default();
        let spaced = unspaced.len() != digits.len();
        if fraction.len() == 3 && whole != "0" && !whole.is_empty() && !spaced {
            return Err(AmountError::Ambiguous {
                written: unspaced.clone(),
                whole: whole.to_owned(),
                fraction: fraction.to_owned(),
            });
        }
        Some(',')
    } else {
        None
    };
    let (whole, fraction) = match decimal.and_then(|separator| digits.rsplit_once(separator)) {
        Some((whole, fraction)) => (whole, fraction),
        None => (digits, ""),
    };
    let groups: Vec<&str> = whole
        .split(|c: char| is_group_space(c) || c == ',' || c == '.')
        .collect();
    let grouped = groups.len() == 1
        || (groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups.iter().skip(1).all(|g| g.len() == 3));
    if !grouped {
        return Err(AmountError::NotGrouped(number.trim().to_owned()));
    }
    if decimal.is_some_and(|separator| whole.contains(separator)) {
        return Err(not_a_number());
    }
    let whole = groups.concat();
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !all_digits(&whole) || !all_digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(not_a_number());
    }
    Ok(format!("{sign}{whole}.{fraction}")
        .trim_end_matches('.')
        .to_owned())
}

/// How a number shows in an input: shortest exact form, its thousands grouped by
/// spaces from 1 000 up. Spaces, unlike a comma, cannot be read as a decimal
/// separator, so the text parses back to the value whichever way the buyer reads it.
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
            grouped.push(' ');
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
    path: &FieldPath,
    value: &str,
    set: impl FnOnce(&mut Project, String) + Send + 'static,
) {
    let label_response = ui.label(label);
    ui.vertical(|ui| {
        let mut text = value.to_owned();
        let response = ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(280.0))
            .labelled_by(label_response.id);
        focus_if_asked(ui, path, &response);
        if response.changed() {
            env.edit(path.clone(), move |p| set(p, text));
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
    path: &FieldPath,
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
        focus_if_asked(ui, path, &response);
        if response.changed() {
            env.edit(path.clone(), move |p| set(p, text));
        }
        field_error(ui, env.validation, path);
    });
    ui.end_row();
}

/// A labelled `YYYY-MM` input; returns a new month when one was typed.
pub fn month_input(
    ui: &mut Ui,
    label: &str,
    path: &FieldPath,
    value: YearMonth,
) -> Option<YearMonth> {
    let id = ui.scope_id().with(("month", path.as_str()));
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
    path: &FieldPath,
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
        egui::ComboBox::from_id_salt(("dist", path.as_str()))
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
            env.edit(path.field("kind"), move |p| set(p, new));
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
                &path.field(&i.to_string()),
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
                env.edit(path.field(&i.to_string()), move |p| set(p, new));
            }
        }
    });
}

/// A start month editor row: fixed month, or a whole month drawn from a range.
pub fn start_row(
    ui: &mut Ui,
    env: &mut Env,
    label: &str,
    path: &FieldPath,
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
            egui::ComboBox::from_id_salt(("start", path.as_str()))
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
                env.edit(path.field("kind"), move |p| set(p, new));
            }
            match start {
                StartMonth::Fixed(month) => {
                    if let Some(m) = month_input(ui, &format!("{label} month"), path, month) {
                        let set = set.clone();
                        env.edit(path.clone(), move |p| set(p, StartMonth::Fixed(m)));
                    }
                }
                StartMonth::Uniform(from, to) => {
                    ui.weak("from");
                    if let Some(m) =
                        month_input(ui, &format!("{label} from"), &path.field("0"), from)
                    {
                        let set = set.clone();
                        env.edit(path.field("0"), move |p| set(p, StartMonth::Uniform(m, to)));
                    }
                    ui.weak("to");
                    if let Some(m) = month_input(ui, &format!("{label} to"), &path.field("1"), to) {
                        let set = set.clone();
                        env.edit(path.field("1"), move |p| {
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
            if verb == "remove" && kind == ListKind::Materials {
                env.remove_material(index);
                continue;
            }
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
    use super::{format_number, implausible_among, parse_amount};

    #[test]
    fn numbers_show_grouped_by_spaces_and_parse_back() {
        for (value, text) in [
            (55.0, "55"),
            (0.35, "0.35"),
            (1000.0, "1 000"),
            (14000.0, "14 000"),
            (-1234567.5, "-1 234 567.5"),
            (999.999, "999.999"),
        ] {
            assert_eq!(format_number(value), text);
            assert_eq!(parse_amount(text), Ok(value));
        }
    }

    #[test]
    fn amounts_typed_or_pasted_are_read_as_meant() {
        for (text, value) in [
            ("55,5", 55.5),
            ("55.5", 55.5),
            ("1,234.5", 1234.5),
            ("1.234,5", 1234.5),
            ("1 234,5", 1234.5),
            ("1\u{a0}234,5", 1234.5),
            ("1'234.5", 1234.5),
            ("1,234,567", 1234567.0),
            ("1.234.567", 1234567.0),
            ("1,234.0", 1234.0),
            ("0,350", 0.35),
            ("0,5", 0.5),
            ("-2,5", -2.5),
            ("55 USD", 55.0),
            ("55 kg", 55.0),
            ("$55", 55.0),
            ("55,5 EUR/kg", 55.5),
            ("35%", 0.35),
            ("  7 ", 7.0),
            ("1e21", 1e21),
        ] {
            assert_eq!(parse_amount(text), Ok(value), "{text}");
        }
    }

    #[test]
    fn amounts_that_could_be_misread_are_refused_with_a_reason() {
        let ambiguous = parse_amount("1,234").unwrap_err().to_string();
        assert!(ambiguous.contains("write 1234 or 1,234.0"), "{ambiguous}");
        for (text, reason) in [
            ("abc", "not a number"),
            ("", "empty"),
            ("   ", "empty"),
            ("5 t", "unknown unit"),
            ("12abc34", "not a number"),
            ("1,23,4", "not grouped by thousands"),
            ("1 23", "not grouped by thousands"),
            ("1,234.567,8", "not a number"),
            ("inf", "not a number"),
            ("1e999", "too large"),
        ] {
            let refused = parse_amount(text).unwrap_err().to_string();
            assert!(refused.contains(reason), "{text}: {refused}");
        }
    }

    #[test]
    fn a_value_a_thousand_times_the_others_is_questioned() {
        assert_eq!(implausible_among(55.0, &[]), None);
        assert_eq!(implausible_among(55.0, &[40.0, 80.0]), None);
        assert_eq!(implausible_among(59_999.0, &[40.0, 80.0]), None);
        let high = implausible_among(60_000.0, &[40.0, 80.0]).unwrap_or_default();
        assert!(
            high.contains("over a thousand times the others (60)"),
            "{high}"
        );
        let low = implausible_among(0.05, &[40.0, 80.0, 100.0]).unwrap_or_default();
        assert!(
            low.contains("under a thousandth of the others (80)"),
            "{low}"
        );
        assert_eq!(implausible_among(0.0, &[40.0]), None);
    }
}
