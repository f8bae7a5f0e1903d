//! Bounds on untrusted project files (FORMAT.md): no input may make the program
//! allocate without bound or run for ever.

/// Largest project file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Most materials, products, scenarios, events in a scenario, alternatives for a material.
pub const MAX_LIST_LEN: usize = 1000;
/// Longest string, in characters.
pub const MAX_STRING_CHARS: usize = 10_000;
/// Deepest nesting the parser accepts: the format itself needs about six levels
/// (project, list, scenario, list, event, distribution); anything far deeper is hostile.
pub const MAX_NESTING: usize = 16;
pub const MAX_ID_CHARS: usize = 64;
pub const MIN_HORIZON_MONTHS: u32 = 1;
pub const MAX_HORIZON_MONTHS: u32 = 240;
pub const MIN_PATHS: u32 = 100;
pub const MAX_PATHS: u32 = 1_000_000;
/// A run's samples per material: paths x horizon x scenarios.
pub const MAX_SAMPLES_PER_MATERIAL: u64 = 300_000_000;
pub const MIN_SERVICE_LEVEL: f64 = 0.5;
pub const MAX_SERVICE_LEVEL: f64 = 0.999;
/// Shortest mean up-time or outage of a recurring event, in months.
pub const MIN_RECURRING_MEAN_MONTHS: f64 = 0.1;
/// Largest quantity, price, cost, margin, rate, weight or duration: far beyond any real
/// plant, and small enough that products and sums of a few of them (margin x volume,
/// kg per unit x units x growth) stay finite, so no cost or critical ratio becomes NaN.
pub const MAX_AMOUNT: f64 = 1e12;
/// Smallest non-zero magnitude of a real: a microgram of a kilogram, or a share of one
/// in a trillion. Anything smaller is almost surely a typo, and subnormal numbers
/// (5e-324) break the arithmetic of chart axes.
pub const MIN_NONZERO_AMOUNT: f64 = 1e-12;
/// Fastest demand growth: a product's volume may grow elevenfold a year.
pub const MAX_GROWTH_PER_YEAR: f64 = 10.0;
/// Events drawn for a run: every scenario's events x paths. Each draw is held for the
/// whole run (about 130 bytes), so this bounds that memory near 650 MB.
pub const MAX_EVENT_DRAWS: u64 = 5_000_000;
/// Recurring outages drawn for a run, over every path, with the months they touch
/// (about 16 bytes each): bounds that memory near 160 MB.
pub const MAX_OUTAGE_RECORDS: u64 = 10_000_000;
/// Demand-noise factors drawn for a run: products with demand noise x paths x horizon
/// months (4 bytes each): bounds that memory near 400 MB.
pub const MAX_NOISE_FACTORS: u64 = 100_000_000;
/// How many errors a loader reports: a screenful, then a count of the rest.
pub const MAX_REPORTED_ERRORS: usize = 20;

/// Deserialises a list of at most `MAX_LIST_LEN` items, refusing a longer one at its
/// first extra item, so a hostile file's 16 MiB list is neither built nor validated.
pub fn capped_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    struct CappedVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for CappedVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_LIST_LEN} items")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                if items.len() >= MAX_LIST_LEN {
                    return Err(serde::de::Error::custom(format!(
                        "the list holds more than {MAX_LIST_LEN} items; the limit is {MAX_LIST_LEN}"
                    )));
                }
                items.push(item);
            }
            Ok(items)
        }
    }

    deserializer.deserialize_seq(CappedVisitor(std::marker::PhantomData))
}
