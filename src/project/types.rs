//! The project file's types (format version 2, FORMAT.md). Field order here is the
//! order `save` writes, which is `full-format.ron`'s order, so saved files diff cleanly.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::limits::capped_list;
use super::month::YearMonth;

/// The newest format version this program reads and the one it writes.
pub const CURRENT_FORMAT_VERSION: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Project", deny_unknown_fields)]
pub struct Project {
    pub format_version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub start: YearMonth,
    pub horizon_months: u32,
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default)]
    pub service_level: ServiceLevel,
    #[serde(default = "default_paths")]
    pub paths: u32,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default)]
    pub shortage_cost_per_kg: Option<f64>,
    /// Whether the strategic stock is refilled after a disruption (MODEL.md "drawdown
    /// and rebuild"); a migrated version-1 file keeps format 1's model with `false`.
    #[serde(default = "default_true")]
    pub rebuild_after_disruption: bool,
    #[serde(deserialize_with = "capped_list")]
    pub materials: Vec<Material>,
    #[serde(deserialize_with = "capped_list")]
    pub products: Vec<Product>,
    #[serde(deserialize_with = "capped_list")]
    pub scenarios: Vec<Scenario>,
    /// The figures the program computed when it last saved the file, so a colleague
    /// opening it is told when their program computes different ones.
    #[serde(default)]
    pub saved_results: Option<SavedResults>,
}

/// What the saving program computed (FORMAT.md "Version 2").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "SavedResults", deny_unknown_fields)]
pub struct SavedResults {
    /// `stockpile-planner 0.2.0`.
    pub program: String,
    /// The day it was computed, `YYYY-MM-DD`.
    pub computed: String,
    pub paths: u32,
    pub seed: u64,
    /// Month-0 recommended stock per material id.
    pub recommended_stock_kg: KgByMaterial,
}

pub const DEFAULT_SERVICE_LEVEL: f64 = 0.95;
pub const DEFAULT_PATHS: u32 = 10_000;
pub const DEFAULT_SEED: u64 = 42;

fn default_currency() -> String {
    "USD".to_owned()
}
fn default_paths() -> u32 {
    DEFAULT_PATHS
}
fn default_seed() -> u64 {
    DEFAULT_SEED
}
fn default_carrying_cost() -> f64 {
    0.20
}
fn default_exposed_share() -> f64 {
    1.0
}
fn default_true() -> bool {
    true
}
fn default_one() -> f64 {
    1.0
}
fn default_zero_dist() -> Dist {
    Dist::Fixed(0.0)
}

/// How sure the plan must be of not running out: a fixed quantile, or the
/// newsvendor's cost-optimal level computed per material.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ServiceLevel {
    Fixed(f64),
    Auto,
}

impl Default for ServiceLevel {
    fn default() -> Self {
        ServiceLevel::Fixed(DEFAULT_SERVICE_LEVEL)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Material", deny_unknown_fields)]
pub struct Material {
    pub id: String,
    pub name: String,
    pub price_per_kg: f64,
    #[serde(default = "default_carrying_cost")]
    pub carrying_cost_per_year: f64,
    #[serde(default)]
    pub on_hand_kg: f64,
    #[serde(default = "default_exposed_share")]
    pub exposed_share: f64,
    #[serde(default)]
    pub lead_time_days: f64,
    #[serde(default)]
    pub lead_time_sd_days: f64,
    #[serde(default)]
    pub max_purchase_kg_per_month: Option<f64>,
    #[serde(default)]
    pub direct_kg_per_month: f64,
    #[serde(default, deserialize_with = "capped_list")]
    pub alternatives: Vec<Alternative>,
    #[serde(default)]
    pub notes: String,
}

impl Material {
    /// A material with every optional field at its default.
    pub fn new(id: impl Into<String>, name: impl Into<String>, price_per_kg: f64) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            price_per_kg,
            carrying_cost_per_year: default_carrying_cost(),
            on_hand_kg: 0.0,
            exposed_share: default_exposed_share(),
            lead_time_days: 0.0,
            lead_time_sd_days: 0.0,
            max_purchase_kg_per_month: None,
            direct_kg_per_month: 0.0,
            alternatives: Vec::new(),
            notes: String::new(),
        }
    }
}

/// A qualified non-restricted source that can replace part of a lost supply
/// once it has been qualified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Alternative", deny_unknown_fields)]
pub struct Alternative {
    pub name: String,
    pub capacity_kg_per_month: f64,
    pub qualification_months: f64,
    /// Extra cost as a share of the material's price (0.35 = 35% dearer).
    pub price_premium: f64,
    #[serde(default)]
    pub qualification_starts: QualificationStart,
}

/// When the buyer starts qualifying an alternative source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum QualificationStart {
    /// When trouble comes: at the first loss of supply on a path.
    #[default]
    AtFirstLoss,
    /// Now, whatever happens (or earlier, if an event was already under way).
    AtPlanStart,
}

impl QualificationStart {
    pub const ALL: [QualificationStart; 2] = [
        QualificationStart::AtFirstLoss,
        QualificationStart::AtPlanStart,
    ];

    pub fn label(self) -> &'static str {
        match self {
            QualificationStart::AtFirstLoss => "At the first loss",
            QualificationStart::AtPlanStart => "Now (qualified ahead)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, Hash)]
pub enum EndUse {
    #[default]
    Civil,
    Military,
    Dual,
}

impl EndUse {
    pub const ALL: [EndUse; 3] = [EndUse::Civil, EndUse::Military, EndUse::Dual];

    pub fn label(self) -> &'static str {
        match self {
            EndUse::Civil => "Civil",
            EndUse::Military => "Military",
            EndUse::Dual => "Dual use",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Product", deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub units_per_month: f64,
    #[serde(default)]
    pub growth_per_year: f64,
    #[serde(default)]
    pub demand_cv: f64,
    #[serde(default)]
    pub end_use: EndUse,
    #[serde(default)]
    pub margin_per_unit: f64,
    pub bill_of_materials: BillOfMaterials,
    #[serde(default)]
    pub notes: String,
}

impl Product {
    pub fn new(id: impl Into<String>, name: impl Into<String>, units_per_month: f64) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            units_per_month,
            growth_per_year: 0.0,
            demand_cv: 0.0,
            end_use: EndUse::Civil,
            margin_per_unit: 0.0,
            bill_of_materials: BillOfMaterials::default(),
            notes: String::new(),
        }
    }
}

/// Material id -> kilograms (a bill of materials' kg per unit, saved results' kg), in
/// the order the file lists them (kept on save); equality ignores that order.
/// Duplicate ids are kept so validation can name them.
#[derive(Clone, Debug, Default)]
pub struct KgByMaterial(pub Vec<(String, f64)>);

/// A product's bill of materials: kg per unit of each material.
pub type BillOfMaterials = KgByMaterial;

impl KgByMaterial {
    pub fn kg_per_unit(&self, material_id: &str) -> Option<f64> {
        self.0
            .iter()
            .find(|(id, _)| id == material_id)
            .map(|(_, kg)| *kg)
    }

    /// Sets (or with `None` removes) the entry for a material, keeping the order of the others.
    pub fn set(&mut self, material_id: &str, kg_per_unit: Option<f64>) {
        match (
            self.0.iter().position(|(id, _)| id == material_id),
            kg_per_unit,
        ) {
            (Some(index), Some(kg)) => self.0[index].1 = kg,
            (Some(index), None) => {
                self.0.remove(index);
            }
            (None, Some(kg)) => self.0.push((material_id.to_owned(), kg)),
            (None, None) => {}
        }
    }

    fn sorted(&self) -> Vec<(&str, u64)> {
        let mut entries: Vec<(&str, u64)> = self
            .0
            .iter()
            .map(|(id, kg)| (id.as_str(), kg.to_bits()))
            .collect();
        entries.sort_unstable();
        entries
    }
}

impl PartialEq for KgByMaterial {
    fn eq(&self, other: &Self) -> bool {
        self.sorted() == other.sorted()
    }
}

impl Serialize for KgByMaterial {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (id, kg) in &self.0 {
            map.serialize_entry(id, kg)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for KgByMaterial {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BomVisitor;
        impl<'de> Visitor<'de> for BomVisitor {
            type Value = KgByMaterial;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of material ids to kilograms")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((id, kg)) = access.next_entry::<String, f64>()? {
                    if entries.len() >= super::limits::MAX_LIST_LEN {
                        return Err(serde::de::Error::custom(format!(
                            "a map of material ids lists more than {0} materials; the limit is {0}",
                            super::limits::MAX_LIST_LEN
                        )));
                    }
                    entries.push((id, kg));
                }
                Ok(KgByMaterial(entries))
            }
        }
        deserializer.deserialize_map(BomVisitor)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Scenario", deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    /// A weight; the scenarios' weights are normalised to sum to 1.
    pub probability: f64,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub notes: String,
    #[serde(deserialize_with = "capped_list")]
    pub events: Vec<Event>,
}

/// Which materials an event hits.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub enum MaterialSet {
    #[default]
    All,
    Only(#[serde(deserialize_with = "capped_list")] Vec<String>),
}

impl MaterialSet {
    pub fn contains(&self, material_id: &str) -> bool {
        match self {
            MaterialSet::All => true,
            MaterialSet::Only(ids) => ids.iter().any(|id| id == material_id),
        }
    }
}

/// Which end uses an event hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum EndUses {
    #[default]
    All,
    MilitaryOnly,
    CivilOnly,
}

impl EndUses {
    pub const ALL: [EndUses; 3] = [EndUses::All, EndUses::MilitaryOnly, EndUses::CivilOnly];

    /// Whether an event with this filter hits a product of `end_use`.
    pub fn hits(self, end_use: EndUse) -> bool {
        match self {
            EndUses::All => true,
            EndUses::MilitaryOnly => matches!(end_use, EndUse::Military | EndUse::Dual),
            EndUses::CivilOnly => matches!(end_use, EndUse::Civil | EndUse::Dual),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EndUses::All => "All end uses",
            EndUses::MilitaryOnly => "Military only",
            EndUses::CivilOnly => "Civil only",
        }
    }
}

/// A real quantity that may be uncertain.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Dist {
    Fixed(f64),
    Uniform(f64, f64),
    Triangular(f64, f64, f64),
}

impl Dist {
    /// The values the distribution can take lie within these bounds.
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            Dist::Fixed(x) => (x, x),
            Dist::Uniform(a, b) => (a, b),
            Dist::Triangular(min, _, max) => (min, max),
        }
    }

    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(x) => x,
            Dist::Uniform(a, b) => (a + b) / 2.0,
            Dist::Triangular(min, mode, max) => (min + mode + max) / 3.0,
        }
    }

    pub fn params(&self) -> Vec<f64> {
        match *self {
            Dist::Fixed(x) => vec![x],
            Dist::Uniform(a, b) => vec![a, b],
            Dist::Triangular(min, mode, max) => vec![min, mode, max],
        }
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Dist::Fixed(x) => write!(f, "{x}"),
            Dist::Uniform(a, b) => write!(f, "uniform {a} to {b}"),
            Dist::Triangular(min, mode, max) => write!(f, "triangular {min}, {mode}, {max}"),
        }
    }
}

/// When an event starts: a calendar month, or a whole month drawn uniformly from `from..=to`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum StartMonth {
    Fixed(YearMonth),
    Uniform(YearMonth, YearMonth),
}

impl StartMonth {
    pub fn earliest(&self) -> YearMonth {
        match *self {
            StartMonth::Fixed(month) | StartMonth::Uniform(month, _) => month,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Event {
    /// A single disruption: a cut of the exposed supply from a start month for a duration.
    Once {
        name: String,
        #[serde(default)]
        materials: MaterialSet,
        #[serde(default)]
        end_uses: EndUses,
        start: StartMonth,
        duration_months: Dist,
        supply_cut: Dist,
        #[serde(default = "default_zero_dist")]
        licence_delay_days: Dist,
        #[serde(default = "default_one")]
        price_multiplier: f64,
        #[serde(default = "default_one")]
        probability: f64,
    },
    /// Random outages: an up/down Markov process with exponential up-times and outages.
    Recurring {
        name: String,
        #[serde(default)]
        materials: MaterialSet,
        #[serde(default)]
        end_uses: EndUses,
        mean_months_between: f64,
        mean_duration_months: f64,
        supply_cut: Dist,
    },
}

impl Event {
    pub fn name(&self) -> &str {
        match self {
            Event::Once { name, .. } | Event::Recurring { name, .. } => name,
        }
    }

    pub fn materials(&self) -> &MaterialSet {
        match self {
            Event::Once { materials, .. } | Event::Recurring { materials, .. } => materials,
        }
    }

    pub fn end_uses(&self) -> EndUses {
        match self {
            Event::Once { end_uses, .. } | Event::Recurring { end_uses, .. } => *end_uses,
        }
    }

    /// A new one-off event with the given start, every optional field at its default.
    pub fn once(name: impl Into<String>, start: YearMonth, duration_months: f64, cut: f64) -> Self {
        Event::Once {
            name: name.into(),
            materials: MaterialSet::All,
            end_uses: EndUses::All,
            start: StartMonth::Fixed(start),
            duration_months: Dist::Fixed(duration_months),
            supply_cut: Dist::Fixed(cut),
            licence_delay_days: default_zero_dist(),
            price_multiplier: 1.0,
            probability: 1.0,
        }
    }
}
