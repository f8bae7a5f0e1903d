//! Every validation rule of FORMAT.md. Validation never stops at the first
//! problem: it lists them all, each with a path the app uses to show the message
//! at its field and search hints the loader uses to find its line in the file.

use std::collections::HashSet;

use super::diagnostic::{FieldPath, Severity};
use super::limits::*;
use super::month::YearMonth;
use super::types::*;

/// One validation finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    pub severity: Severity,
    /// Where in the project: `materials[0].exposed_share`, `scenarios[1].events[0].supply_cut`.
    pub path: FieldPath,
    /// Texts that appear, in this order, in a file before the offending place
    /// (an item's id, then the field name); used to find a line and column.
    pub hints: Vec<String>,
    pub message: String,
    /// The message in plain words for showing beside its field, which names the
    /// subject already ("on hand cannot be negative").
    pub at_field: String,
}

/// The outcome of validating a project: errors make it unusable, warnings do not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Validation {
    pub issues: Vec<Issue>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// The first error at exactly this path, in the words shown beside the field.
    pub fn error_at(&self, path: &FieldPath) -> Option<&str> {
        self.errors()
            .find(|issue| issue.path == *path)
            .map(|issue| issue.at_field.as_str())
    }

    /// Whether any error lies at or below this path (an item with a problem inside).
    pub fn has_error_under(&self, path: &FieldPath) -> bool {
        self.errors().any(|issue| issue.path.is_within(path))
    }
}

/// Where the checker is: the path so far and the search hints leading there.
#[derive(Clone)]
struct Place {
    path: FieldPath,
    hints: Vec<String>,
    label: String,
}

impl Place {
    fn root() -> Self {
        Place {
            path: FieldPath::root(),
            hints: Vec::new(),
            label: "project".to_owned(),
        }
    }

    fn item(&self, list: &str, index: usize, id_hint: Option<String>, label: String) -> Place {
        let mut hints = self.hints.clone();
        hints.push(list.to_owned());
        hints.extend(id_hint);
        Place {
            path: self.path.item(list, index),
            hints,
            label,
        }
    }
}

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn push(&mut self, severity: Severity, place: &Place, field: &str, message: String) {
        self.push_plain(severity, place, field, message.clone(), message);
    }

    /// A finding with its own wording for beside the field (`at_field`).
    fn push_plain(
        &mut self,
        severity: Severity,
        place: &Place,
        field: &str,
        message: String,
        at_field: String,
    ) {
        let mut hints = place.hints.clone();
        if !field.is_empty() {
            hints.push(field.to_owned());
        }
        let subject = if field.is_empty() {
            place.label.clone()
        } else {
            format!("{} {}", place.label, field)
        };
        self.issues.push(Issue {
            severity,
            path: place.path.field(field),
            hints,
            message: format!("{subject}: {message}"),
            at_field,
        });
    }

    fn error(&mut self, place: &Place, field: &str, message: String) {
        self.push(Severity::Error, place, field, message);
    }

    /// An error whose message beside the field reads `{field in words} {plain}`.
    fn error_worded(&mut self, place: &Place, field: &str, message: String, plain: &str) {
        let words = place.path.field(field).field_words();
        self.push_plain(
            Severity::Error,
            place,
            field,
            message,
            format!("{words} {plain}"),
        );
    }

    fn warning(&mut self, place: &Place, field: &str, message: String) {
        self.push(Severity::Warning, place, field, message);
    }

    /// Finite, non-negative and of a plausible size: quantities, prices, costs, rates, durations.
    fn non_negative(&mut self, place: &Place, field: &str, value: f64) {
        if !value.is_finite() {
            self.error_worded(
                place,
                field,
                format!("{value} is not a finite number"),
                "must be a number",
            );
        } else if value < 0.0 {
            self.error_worded(
                place,
                field,
                format!("{value} is negative; it must be 0 or more"),
                "cannot be negative",
            );
        } else {
            self.magnitude(place, field, value);
        }
    }

    fn share(&mut self, place: &Place, field: &str, value: f64) {
        if !value.is_finite() {
            self.error_worded(
                place,
                field,
                format!("{value} is not a finite number"),
                "must be a number",
            );
        } else if !(0.0..=1.0).contains(&value) {
            self.error_worded(
                place,
                field,
                format!("{value} is outside [0, 1]"),
                "must be between 0% and 100%",
            );
        } else {
            self.magnitude(place, field, value);
        }
    }

    /// A finite value is 0 or between `MIN_NONZERO_AMOUNT` and `MAX_AMOUNT` in size.
    fn magnitude(&mut self, place: &Place, field: &str, value: f64) {
        if let Some(problem) = magnitude_problem(value) {
            self.error(place, field, problem);
        }
    }

    fn text(&mut self, place: &Place, field: &str, value: &str) {
        let chars = value.chars().count();
        if chars > MAX_STRING_CHARS {
            self.error(
                place,
                field,
                format!("is {chars} characters long; the limit is {MAX_STRING_CHARS}"),
            );
        }
    }

    fn list_len(&mut self, place: &Place, field: &str, len: usize) {
        if len > MAX_LIST_LEN {
            self.error(
                place,
                field,
                format!("lists {len} items; the limit is {MAX_LIST_LEN}"),
            );
        }
    }

    fn id(&mut self, place: &Place, id: &str) {
        let valid_chars = id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        let len = id.chars().count();
        if len == 0 || len > MAX_ID_CHARS || !valid_chars {
            self.error(
                place,
                "id",
                format!(
                    "\"{}\" is not a valid id: use 1 to 64 characters of a-z, 0-9, _ and -",
                    truncate(id)
                ),
            );
        }
    }

    fn unique_ids<'a>(&mut self, parent: &Place, list: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for (index, id) in ids.enumerate() {
            if !seen.insert(id) {
                let place = parent.item(list, index, Some(quoted(id)), format!("{list} \"{id}\""));
                self.error(
                    &place,
                    "id",
                    format!("\"{}\" is used twice in {list}", truncate(id)),
                );
            }
        }
    }

    /// Every value the distribution can take must satisfy `check` (a share or a non-negative amount).
    fn dist(&mut self, place: &Place, field: &str, dist: &Dist, share: bool) {
        let params = dist.params();
        if let Some(bad) = params.iter().find(|x| !x.is_finite()) {
            self.error(place, field, format!("{bad} is not a finite number"));
            return;
        }
        let ordered = match *dist {
            Dist::Fixed(_) => true,
            Dist::Uniform(a, b) => a <= b,
            Dist::Triangular(min, mode, max) => min <= mode && mode <= max,
        };
        if !ordered {
            let rule = match dist {
                Dist::Uniform(..) => "Uniform(a, b) needs a <= b",
                _ => "Triangular(min, mode, max) needs min <= mode <= max",
            };
            self.error(place, field, format!("{dist:?} is out of order: {rule}"));
            return;
        }
        if let Some(problem) = params.iter().find_map(|&x| magnitude_problem(x)) {
            self.error(place, field, problem);
            return;
        }
        let (low, high) = dist.bounds();
        if share && (low < 0.0 || high > 1.0) {
            self.error(
                place,
                field,
                format!("{dist:?} can take values outside [0, 1]"),
            );
        } else if !share && low < 0.0 {
            self.error(place, field, format!("{dist:?} can take negative values"));
        }
    }
}

/// Why a finite value is too large or too small to compute with, if it is.
fn magnitude_problem(value: f64) -> Option<String> {
    let size = value.abs();
    if size > MAX_AMOUNT {
        Some(format!(
            "{value:e} is larger than {MAX_AMOUNT:e}, the largest amount this program computes with"
        ))
    } else if size > 0.0 && size < MIN_NONZERO_AMOUNT {
        Some(format!(
            "{value:e} is smaller than {MIN_NONZERO_AMOUNT:e}; write 0 if it means nothing"
        ))
    } else {
        None
    }
}

fn quoted(id: &str) -> String {
    format!("\"{id}\"")
}

fn truncate(text: &str) -> String {
    if text.chars().count() > 70 {
        let head: String = text.chars().take(64).collect();
        format!("{head}…")
    } else {
        text.to_owned()
    }
}

/// Checks a project against every rule of FORMAT.md.
pub fn validate(project: &Project) -> Validation {
    let mut check = Checker { issues: Vec::new() };
    let root = Place::root();
    project_fields(&mut check, &root, project);

    let material_ids: HashSet<&str> = project.materials.iter().map(|m| m.id.as_str()).collect();
    check.unique_ids(
        &root,
        "materials",
        project.materials.iter().map(|m| m.id.as_str()),
    );
    check.unique_ids(
        &root,
        "products",
        project.products.iter().map(|p| p.id.as_str()),
    );
    check.unique_ids(
        &root,
        "scenarios",
        project.scenarios.iter().map(|s| s.id.as_str()),
    );

    let used_materials: HashSet<&str> = project
        .products
        .iter()
        .flat_map(|p| p.bill_of_materials.0.iter())
        .filter(|(_, kg)| *kg > 0.0)
        .map(|(id, _)| id.as_str())
        .collect();
    for (index, material) in project.materials.iter().enumerate() {
        let place = root.item(
            "materials",
            index,
            Some(quoted(&material.id)),
            format!("material \"{}\"", truncate(&material.id)),
        );
        material_fields(&mut check, &place, material);
        if !used_materials.contains(material.id.as_str()) && material.direct_kg_per_month == 0.0 {
            check.warning(
                &place,
                "",
                "no product uses it and it has no direct demand, so it needs no stock".to_owned(),
            );
        } else if month_zero_demand_kg(project, material) == 0.0 {
            check.warning(
                &place,
                "",
                "its demand in the first month is 0 kg, so days of cover and share of annual consumption cannot be stated".to_owned(),
            );
        }
    }
    for (index, product) in project.products.iter().enumerate() {
        let place = root.item(
            "products",
            index,
            Some(quoted(&product.id)),
            format!("product \"{}\"", truncate(&product.id)),
        );
        product_fields(&mut check, &place, product, &material_ids);
    }
    for (index, scenario) in project.scenarios.iter().enumerate() {
        let place = root.item(
            "scenarios",
            index,
            Some(quoted(&scenario.id)),
            format!("scenario \"{}\"", truncate(&scenario.id)),
        );
        scenario_fields(&mut check, &place, scenario, project, &material_ids);
    }
    scenario_weights(&mut check, &root, project);
    Validation {
        issues: check.issues,
    }
}

/// `Dbar`: the forecast demand of month 0 (products' volumes x content, plus direct demand).
fn month_zero_demand_kg(project: &Project, material: &Material) -> f64 {
    material.direct_kg_per_month
        + project
            .products
            .iter()
            .filter_map(|p| {
                p.bill_of_materials
                    .kg_per_unit(&material.id)
                    .map(|kg| kg * p.units_per_month)
            })
            .sum::<f64>()
}

fn project_fields(check: &mut Checker, root: &Place, project: &Project) {
    check.text(root, "name", &project.name);
    check.text(root, "description", &project.description);
    check.text(root, "currency", &project.currency);
    if !(MIN_HORIZON_MONTHS..=MAX_HORIZON_MONTHS).contains(&project.horizon_months) {
        check.error(
            root,
            "horizon_months",
            format!(
                "{} is outside {MIN_HORIZON_MONTHS} to {MAX_HORIZON_MONTHS} months",
                project.horizon_months
            ),
        );
    }
    if let ServiceLevel::Fixed(level) = project.service_level
        && !(level.is_finite() && (MIN_SERVICE_LEVEL..=MAX_SERVICE_LEVEL).contains(&level))
    {
        check.error(
            root,
            "service_level",
            format!("{level} is outside [{MIN_SERVICE_LEVEL}, {MAX_SERVICE_LEVEL}]"),
        );
    }
    if !(MIN_PATHS..=MAX_PATHS).contains(&project.paths) {
        check.error(
            root,
            "paths",
            format!("{} is outside {MIN_PATHS} to {MAX_PATHS}", project.paths),
        );
    }
    if let Some(message) = run_size_problem(
        project.paths,
        project.horizon_months,
        project.scenarios.len(),
    ) {
        check.error(root, "paths", message);
    }
    for message in work_problems(project) {
        check.error(root, "paths", message);
    }
    if let Some(cost) = project.shortage_cost_per_kg {
        check.non_negative(root, "shortage_cost_per_kg", cost);
    }
    if project.materials.is_empty() {
        check.error(
            root,
            "materials",
            "a project needs at least one material".to_owned(),
        );
    }
    if project.scenarios.is_empty() {
        check.error(
            root,
            "scenarios",
            "a project needs at least one scenario".to_owned(),
        );
    }
    check.list_len(root, "materials", project.materials.len());
    check.list_len(root, "products", project.products.len());
    check.list_len(root, "scenarios", project.scenarios.len());
}

/// The bound on one run's samples per material (paths x horizon x scenarios); shared
/// by validation and by the command line's `--paths` override.
pub fn run_size_problem(paths: u32, horizon_months: u32, scenarios: usize) -> Option<String> {
    let samples = u64::from(paths) * u64::from(horizon_months) * scenarios as u64;
    (samples > MAX_SAMPLES_PER_MATERIAL).then(|| {
        format!(
            "paths x horizon x scenarios is {samples}; the limit is {MAX_SAMPLES_PER_MATERIAL} samples per material"
        )
    })
}

/// What a run of a project draws and holds besides its samples: the limits on it are
/// the ones `MAX_SAMPLES_PER_MATERIAL` leaves out (FORMAT.md's spirit, RELIABILITY.md).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunWork {
    /// Every scenario's events x paths.
    pub event_draws: u64,
    /// Recurring events' expected outages over every path, plus the months they touch.
    pub outage_records: u64,
    /// Products with demand noise x paths x horizon months (an upper bound: the engine
    /// draws only the months an event can reach).
    pub noise_factors: u64,
    /// Paths x horizon x scenarios, for each material.
    pub samples_per_material: u64,
    pub materials: u64,
}

/// Bytes held per event draw, per outage record, per noise factor and per sample, and
/// the program's own footprint: measured with `/usr/bin/time -v` on generated projects
/// (RELIABILITY.md, "The worst file `check` accepts").
const BYTES_PER_EVENT_DRAW: u64 = 130;
const BYTES_PER_OUTAGE_RECORD: u64 = 16;
const BYTES_PER_NOISE_FACTOR: u64 = 4;
const BYTES_PER_SAMPLE: u64 = 3;
const BASE_BYTES: u64 = 20 << 20;
/// Seconds per sample and per event draw, for each material, on one core of the
/// 2-core reference machine (same measurement).
const SECONDS_PER_SAMPLE: f64 = 2.0e-8;
const SECONDS_PER_EVENT_DRAW: f64 = 1.7e-7;
const SECONDS_PER_OUTAGE_RECORD: f64 = 1.5e-8;

impl RunWork {
    pub fn of(project: &Project) -> RunWork {
        let paths = u64::from(project.paths);
        let horizon = f64::from(project.horizon_months);
        let events: u64 = project
            .scenarios
            .iter()
            .map(|s| s.events.len() as u64)
            .sum();
        let outages_per_path: f64 = project
            .scenarios
            .iter()
            .flat_map(|s| &s.events)
            .map(|event| match *event {
                Event::Recurring {
                    mean_months_between,
                    mean_duration_months,
                    ..
                } => {
                    let cycle = (mean_months_between + mean_duration_months)
                        .max(2.0 * MIN_RECURRING_MEAN_MONTHS);
                    let outages = horizon / cycle + 1.0;
                    outages + (outages * (mean_duration_months + 1.0)).min(horizon)
                }
                Event::Once { .. } => 0.0,
            })
            .sum();
        let noisy_products = project
            .products
            .iter()
            .filter(|p| p.demand_cv > 0.0 && p.bill_of_materials.0.iter().any(|(_, kg)| *kg > 0.0))
            .count() as u64;
        RunWork {
            event_draws: events.saturating_mul(paths),
            outage_records: saturating_u64(outages_per_path * paths as f64),
            noise_factors: noisy_products * paths * u64::from(project.horizon_months),
            samples_per_material: paths
                * u64::from(project.horizon_months)
                * project.scenarios.len() as u64,
            materials: project.materials.len() as u64,
        }
    }

    /// The peak memory a run is expected to need, in bytes.
    pub fn memory_bytes(&self) -> u64 {
        BASE_BYTES
            + self.event_draws * BYTES_PER_EVENT_DRAW
            + self.outage_records * BYTES_PER_OUTAGE_RECORD
            + self.noise_factors * BYTES_PER_NOISE_FACTOR
            + self.samples_per_material * BYTES_PER_SAMPLE
    }

    /// The time a run is expected to take on `threads` cores, in seconds.
    pub fn seconds(&self, threads: usize) -> f64 {
        let per_material = self.samples_per_material as f64 * SECONDS_PER_SAMPLE
            + self.event_draws as f64 * SECONDS_PER_EVENT_DRAW
            + self.outage_records as f64 * SECONDS_PER_OUTAGE_RECORD;
        per_material * self.materials as f64 / threads.max(1) as f64
    }
}

fn saturating_u64(value: f64) -> u64 {
    // `as` saturates, and NaN (never produced from validated means) becomes 0.
    value.max(0.0) as u64
}

/// The run's work beyond the sample limit, each over its limit as one sentence.
fn work_problems(project: &Project) -> Vec<String> {
    let work = RunWork::of(project);
    let mut problems = Vec::new();
    if work.event_draws > MAX_EVENT_DRAWS {
        problems.push(format!(
            "events x paths is {}; the limit is {MAX_EVENT_DRAWS} event draws: use fewer paths or fewer events",
            work.event_draws
        ));
    }
    if work.outage_records > MAX_OUTAGE_RECORDS {
        problems.push(format!(
            "the recurring events would draw about {} outages and outage months over all paths; the limit is {MAX_OUTAGE_RECORDS}: use fewer paths, longer mean times or fewer recurring events",
            work.outage_records
        ));
    }
    if work.noise_factors > MAX_NOISE_FACTORS {
        problems.push(format!(
            "products with demand noise x paths x horizon months is {}; the limit is {MAX_NOISE_FACTORS} noise draws: use fewer paths, a shorter horizon or demand_cv 0 on some products",
            work.noise_factors
        ));
    }
    problems
}

fn material_fields(check: &mut Checker, place: &Place, material: &Material) {
    check.id(place, &material.id);
    check.text(place, "name", &material.name);
    check.text(place, "notes", &material.notes);
    check.non_negative(place, "price_per_kg", material.price_per_kg);
    check.non_negative(
        place,
        "carrying_cost_per_year",
        material.carrying_cost_per_year,
    );
    check.non_negative(place, "on_hand_kg", material.on_hand_kg);
    check.share(place, "exposed_share", material.exposed_share);
    check.non_negative(place, "lead_time_days", material.lead_time_days);
    check.non_negative(place, "lead_time_sd_days", material.lead_time_sd_days);
    if let Some(cap) = material.max_purchase_kg_per_month {
        check.non_negative(place, "max_purchase_kg_per_month", cap);
    }
    check.non_negative(place, "direct_kg_per_month", material.direct_kg_per_month);
    check.list_len(place, "alternatives", material.alternatives.len());
    for (index, alternative) in material.alternatives.iter().enumerate() {
        let alt_place = place.item(
            "alternatives",
            index,
            Some(quoted(&alternative.name)),
            format!(
                "{} alternative \"{}\"",
                place.label,
                truncate(&alternative.name)
            ),
        );
        check.text(&alt_place, "name", &alternative.name);
        check.non_negative(
            &alt_place,
            "capacity_kg_per_month",
            alternative.capacity_kg_per_month,
        );
        check.non_negative(
            &alt_place,
            "qualification_months",
            alternative.qualification_months,
        );
        check.non_negative(&alt_place, "price_premium", alternative.price_premium);
    }
}

fn product_fields(
    check: &mut Checker,
    place: &Place,
    product: &Product,
    materials: &HashSet<&str>,
) {
    check.id(place, &product.id);
    check.text(place, "name", &product.name);
    check.non_negative(place, "units_per_month", product.units_per_month);
    let growth = product.growth_per_year;
    if !growth.is_finite() || growth <= -1.0 || growth > MAX_GROWTH_PER_YEAR {
        check.error(
            place,
            "growth_per_year",
            format!("{growth} must be a finite number above -1 and at most {MAX_GROWTH_PER_YEAR}"),
        );
    } else {
        check.magnitude(place, "growth_per_year", growth);
    }
    check.non_negative(place, "demand_cv", product.demand_cv);
    check.non_negative(place, "margin_per_unit", product.margin_per_unit);
    check.list_len(
        place,
        "bill_of_materials",
        product.bill_of_materials.0.len(),
    );
    let mut seen = HashSet::new();
    for (material_id, kg) in &product.bill_of_materials.0 {
        let mut entry_place = place.clone();
        entry_place.hints.push("bill_of_materials".to_owned());
        entry_place.hints.push(quoted(material_id));
        let entry_place = Place {
            path: place.path.field("bill_of_materials").field(material_id),
            label: format!(
                "{} bill of materials entry \"{}\"",
                place.label,
                truncate(material_id)
            ),
            ..entry_place
        };
        if !materials.contains(material_id.as_str()) {
            check.error(
                &entry_place,
                "",
                "names a material that does not exist".to_owned(),
            );
        }
        if !seen.insert(material_id.as_str()) {
            check.error(&entry_place, "", "is listed twice".to_owned());
        }
        check.non_negative(&entry_place, "", *kg);
    }
}

fn scenario_fields(
    check: &mut Checker,
    place: &Place,
    scenario: &Scenario,
    project: &Project,
    materials: &HashSet<&str>,
) {
    check.id(place, &scenario.id);
    check.text(place, "name", &scenario.name);
    check.text(place, "description", &scenario.description);
    check.non_negative(place, "probability", scenario.probability);
    check.list_len(place, "events", scenario.events.len());
    let horizon_end = project.start.plus_months(project.horizon_months as i32);
    for (index, event) in scenario.events.iter().enumerate() {
        let event_place = place.item(
            "events",
            index,
            Some(quoted(event.name())),
            format!("{} event \"{}\"", place.label, truncate(event.name())),
        );
        check.text(&event_place, "name", event.name());
        if let MaterialSet::Only(ids) = event.materials() {
            event_materials(check, &event_place, ids, materials);
        }
        event_timing_and_size(check, &event_place, event, horizon_end);
    }
}

/// An event's own list of materials: not empty, each one existing, none twice.
fn event_materials(
    check: &mut Checker,
    event_place: &Place,
    ids: &[String],
    materials: &HashSet<&str>,
) {
    if ids.is_empty() {
        check.error(
            event_place,
            "materials",
            "Only([]) hits no material: list at least one id or use All".to_owned(),
        );
    }
    check.list_len(event_place, "materials", ids.len());
    let mut seen = HashSet::new();
    for id in ids {
        if !materials.contains(id.as_str()) {
            check.error(
                event_place,
                "materials",
                format!("names material \"{}\", which does not exist", truncate(id)),
            );
        }
        if !seen.insert(id.as_str()) {
            check.error(
                event_place,
                "materials",
                format!("names material \"{}\" twice", truncate(id)),
            );
        }
    }
}

/// A once-only event's start, duration, cut, delay and price; a recurring one's rates.
fn event_timing_and_size(
    check: &mut Checker,
    event_place: &Place,
    event: &Event,
    horizon_end: YearMonth,
) {
    match event {
        Event::Once {
            start,
            duration_months,
            supply_cut,
            licence_delay_days,
            price_multiplier,
            probability,
            ..
        } => {
            if let StartMonth::Uniform(from, to) = start
                && from > to
            {
                check.error(
                    event_place,
                    "start",
                    format!("Uniform(\"{from}\", \"{to}\") needs from <= to"),
                );
            }
            if start.earliest() >= horizon_end {
                check.warning(
                    event_place,
                    "start",
                    format!(
                        "starts in {} at the earliest, after the horizon ends ({}), so it never matters",
                        start.earliest(),
                        horizon_end.plus_months(-1)
                    ),
                );
            }
            check.dist(event_place, "duration_months", duration_months, false);
            check.dist(event_place, "supply_cut", supply_cut, true);
            check.dist(event_place, "licence_delay_days", licence_delay_days, false);
            check.non_negative(event_place, "price_multiplier", *price_multiplier);
            check.share(event_place, "probability", *probability);
        }
        Event::Recurring {
            mean_months_between,
            mean_duration_months,
            supply_cut,
            ..
        } => {
            for (field, value) in [
                ("mean_months_between", *mean_months_between),
                ("mean_duration_months", *mean_duration_months),
            ] {
                if !value.is_finite() || value < MIN_RECURRING_MEAN_MONTHS {
                    check.error(
                        event_place,
                        field,
                        format!("{value} must be at least {MIN_RECURRING_MEAN_MONTHS} month"),
                    );
                }
            }
            check.dist(event_place, "supply_cut", supply_cut, true);
        }
    }
}

fn scenario_weights(check: &mut Checker, root: &Place, project: &Project) {
    let weights: Vec<f64> = project.scenarios.iter().map(|s| s.probability).collect();
    if weights.is_empty() || weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
        return; // reported per scenario already
    }
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        check.error(
            root,
            "scenarios",
            "the scenario probabilities sum to 0; at least one must be positive".to_owned(),
        );
    } else if (sum - 1.0).abs() > 1e-9 {
        check.warning(
            root,
            "scenarios",
            format!("the scenario probabilities sum to {sum}, not 1; they are normalised"),
        );
    }
}
