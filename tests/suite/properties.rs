//! Property tests of the project format (issues 3 and 6).
//!
//! * Any valid project (random materials, products, scenarios and events, every kind
//!   of distribution, odd names, extreme but finite numbers) validates, and saving then
//!   parsing it gives an equal project; saving is a fixed point.
//! * Any corruption of a project's text (truncation, flipped, inserted or deleted
//!   bytes, numbers replaced with NaN or huge values, duplicated ranges) makes the
//!   loader return `Ok` or `Err` promptly, never panic; whatever loads validates and
//!   round-trips.
//!
//! Case counts are modest so the suite stays fast on a 2-core CI.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use stockpile_planner::engine::{Model, RunOptions};
use stockpile_planner::project::{
    Alternative, CURRENT_FORMAT_VERSION, Dist, EndUse, EndUses, Event, KgByMaterial, Material,
    MaterialSet, Product, Project, QualificationStart, RunWork, Scenario, ServiceLevel, StartMonth,
    YearMonth, limits, load_bytes, parse, to_ron_string, validate,
};

/// Longest a load of a corrupted small file may take (generous: debug builds, busy CI).
const LOAD_TIME_LIMIT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------- generators

/// Text of up to `max` characters: any Unicode scalar, including quotes, backslashes,
/// control characters and RON syntax, so that escaping is exercised.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::collection::vec(any::<char>(), 0..max).prop_map(|c| c.into_iter().collect()),
        1 => "[ -~]{0,16}".prop_map(String::from),
        1 => Just("\"),] // /* Some(None) \\ \n\r\t ünï 🧲".to_owned()),
    ]
}

/// A finite non-negative real: everyday values, exact integers, and any magnitude
/// the format accepts (1e-12 to 1e12, with every digit) to exercise float printing.
fn non_negative() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![
        4 => 0.0..1.0e6f64,
        1 => (0u32..100_000).prop_map(f64::from),
        1 => Just(0.0),
        1 => (-12.0..=12.0f64, 1.0..10.0f64)
            .prop_map(|(power, digits)| (digits * 10f64.powf(power))
                .clamp(limits::MIN_NONZERO_AMOUNT, limits::MAX_AMOUNT)),
    ]
}

fn share() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![4 => 0.0..=1.0f64, 1 => Just(0.0), 1 => Just(1.0)]
}

/// A distribution of every kind whose values all satisfy a share or non-negative bound.
fn dist(value: impl Strategy<Value = f64> + Clone + 'static) -> impl Strategy<Value = Dist> {
    prop_oneof![
        value.clone().prop_map(Dist::Fixed),
        (value.clone(), value.clone()).prop_map(|(a, b)| Dist::Uniform(a.min(b), a.max(b))),
        (value.clone(), value.clone(), value).prop_map(|(a, b, c)| {
            let mut v = [a, b, c];
            v.sort_by(f64::total_cmp);
            Dist::Triangular(v[0], v[1], v[2])
        }),
    ]
}

fn month() -> impl Strategy<Value = YearMonth> {
    (1000i32..=9999, 1u32..=12).prop_map(|(y, m)| YearMonth::new(y, m).expect("a real month"))
}

fn start_month() -> impl Strategy<Value = StartMonth> {
    prop_oneof![
        month().prop_map(StartMonth::Fixed),
        (month(), month()).prop_map(|(a, b)| StartMonth::Uniform(a.min(b), a.max(b))),
    ]
}

/// A valid id unique within its list: a list prefix, the index, a random tail.
fn id_tail() -> impl Strategy<Value = String> {
    "[a-z0-9_-]{0,20}".prop_map(String::from)
}

fn make_id(prefix: &str, index: usize, tail: &str) -> String {
    format!("{prefix}{index}{tail}")
}

/// Picks distinct material ids (order kept) from indices into the materials.
fn pick_ids(picks: &[Index], ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pick in picks {
        let id = &ids[pick.index(ids.len())];
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

fn alternative() -> impl Strategy<Value = Alternative> {
    (
        any_text(12),
        non_negative(),
        non_negative(),
        non_negative(),
        any::<bool>(),
    )
        .prop_map(|(name, capacity, months, premium, ahead)| Alternative {
            name,
            capacity_kg_per_month: capacity,
            qualification_months: months,
            price_premium: premium,
            qualification_starts: if ahead {
                QualificationStart::AtPlanStart
            } else {
                QualificationStart::AtFirstLoss
            },
        })
}

fn material() -> impl Strategy<Value = (String, Material)> {
    (
        (id_tail(), any_text(16), non_negative(), non_negative()),
        (non_negative(), share(), non_negative(), non_negative()),
        (
            prop::option::of(non_negative()),
            non_negative(),
            prop::collection::vec(alternative(), 0..3),
            any_text(24),
        ),
    )
        .prop_map(
            |(
                (tail, name, price, carrying),
                (on_hand, exposed, lead, lead_sd),
                (cap, direct, alternatives, notes),
            )| {
                let mut m = Material::new(String::new(), name, price);
                m.carrying_cost_per_year = carrying;
                m.on_hand_kg = on_hand;
                m.exposed_share = exposed;
                m.lead_time_days = lead;
                m.lead_time_sd_days = lead_sd;
                m.max_purchase_kg_per_month = cap;
                m.direct_kg_per_month = direct;
                m.alternatives = alternatives;
                m.notes = notes;
                (tail, m)
            },
        )
}

/// A product before its ids are resolved: its bill of materials as picks.
fn product() -> impl Strategy<Value = (String, Product, Vec<(Index, f64)>)> {
    (
        (id_tail(), any_text(16), non_negative(), -0.99..5.0f64),
        (
            non_negative(),
            prop_oneof![
                Just(EndUse::Civil),
                Just(EndUse::Military),
                Just(EndUse::Dual)
            ],
            non_negative(),
            prop::collection::vec((any::<Index>(), non_negative()), 0..5),
        ),
    )
        .prop_map(
            |((tail, name, units, growth), (cv, end_use, margin, bill))| {
                let mut p = Product::new(String::new(), name, units);
                p.growth_per_year = growth;
                p.demand_cv = cv;
                p.end_use = end_use;
                p.margin_per_unit = margin;
                (tail, p, bill)
            },
        )
}

fn end_uses() -> impl Strategy<Value = EndUses> {
    prop_oneof![
        Just(EndUses::All),
        Just(EndUses::MilitaryOnly),
        Just(EndUses::CivilOnly)
    ]
}

/// An event before its material ids are resolved: `Some(picks)` for `Only`.
fn event() -> impl Strategy<Value = (Event, Option<Vec<Index>>)> {
    let materials = prop::option::of(prop::collection::vec(any::<Index>(), 1..4));
    let once = (
        (any_text(16), materials.clone(), end_uses(), start_month()),
        (
            dist(non_negative()),
            dist(share()),
            dist(non_negative()),
            non_negative(),
            share(),
        ),
    )
        .prop_map(
            |((name, picks, end_uses, start), (duration, cut, delay, multiplier, probability))| {
                (
                    Event::Once {
                        name,
                        materials: MaterialSet::All,
                        end_uses,
                        start,
                        duration_months: duration,
                        supply_cut: cut,
                        licence_delay_days: delay,
                        price_multiplier: multiplier,
                        probability,
                    },
                    picks,
                )
            },
        );
    let mean = prop_oneof![0.1..100.0f64, Just(0.1), 0.1..1.0e12f64];
    let recurring = (
        any_text(16),
        materials,
        end_uses(),
        mean.clone(),
        mean,
        dist(share()),
    )
        .prop_map(|(name, picks, end_uses, between, duration, cut)| {
            (
                Event::Recurring {
                    name,
                    materials: MaterialSet::All,
                    end_uses,
                    mean_months_between: between,
                    mean_duration_months: duration,
                    supply_cut: cut,
                },
                picks,
            )
        });
    prop_oneof![once, recurring]
}

type RawScenario = (String, Scenario, Vec<(Event, Option<Vec<Index>>)>);

fn scenario() -> impl Strategy<Value = RawScenario> {
    (
        id_tail(),
        any_text(16),
        prop_oneof![0.0..10.0f64, Just(0.0), Just(1.0)],
        any_text(24),
        prop::collection::vec(event(), 0..4),
    )
        .prop_map(|(tail, name, probability, description, events)| {
            (
                tail,
                Scenario {
                    id: String::new(),
                    name,
                    probability,
                    notes: description.clone(),
                    description,
                    events: Vec::new(),
                },
                events,
            )
        })
}

fn set_event_materials(event: &mut Event, set: MaterialSet) {
    match event {
        Event::Once { materials, .. } | Event::Recurring { materials, .. } => *materials = set,
    }
}

/// A random project that satisfies every rule of FORMAT.md.
fn valid_project() -> impl Strategy<Value = Project> {
    (
        (any_text(24), any_text(40), month(), 1u32..=240, "[A-Z]{3}"),
        (
            prop_oneof![
                (0.5..=0.999f64).prop_map(ServiceLevel::Fixed),
                Just(ServiceLevel::Fixed(0.5)),
                Just(ServiceLevel::Fixed(0.999)),
                Just(ServiceLevel::Auto),
            ],
            prop_oneof![100u32..=1_000_000, Just(100u32), Just(1_000_000u32)],
            any::<u64>(),
            prop::option::of(non_negative()),
            any::<bool>(),
        ),
        prop::collection::vec(material(), 1..5),
        prop::collection::vec(product(), 0..4),
        prop::collection::vec(scenario(), 1..5),
    )
        .prop_map(
            |(
                (name, description, start, horizon, currency),
                (level, paths, seed, shortage, rebuild),
                materials,
                products,
                scenarios,
            )| {
                let materials: Vec<Material> = materials
                    .into_iter()
                    .enumerate()
                    .map(|(i, (tail, mut m))| {
                        m.id = make_id("m", i, &tail);
                        m
                    })
                    .collect();
                let ids: Vec<String> = materials.iter().map(|m| m.id.clone()).collect();
                let products = products
                    .into_iter()
                    .enumerate()
                    .map(|(i, (tail, mut p, bill))| {
                        p.id = make_id("p", i, &tail);
                        let picks: Vec<Index> = bill.iter().map(|(pick, _)| *pick).collect();
                        let chosen = pick_ids(&picks, &ids);
                        p.bill_of_materials = KgByMaterial(
                            chosen
                                .into_iter()
                                .zip(bill.iter().map(|(_, kg)| *kg))
                                .collect(),
                        );
                        p
                    })
                    .collect();
                let mut scenarios: Vec<Scenario> = scenarios
                    .into_iter()
                    .enumerate()
                    .map(|(i, (tail, mut s, events))| {
                        s.id = make_id("s", i, &tail);
                        s.events = events
                            .into_iter()
                            .map(|(mut event, picks)| {
                                if let Some(picks) = picks {
                                    set_event_materials(
                                        &mut event,
                                        MaterialSet::Only(pick_ids(&picks, &ids)),
                                    );
                                }
                                event
                            })
                            .collect();
                        s
                    })
                    .collect();
                // The weights need a positive sum.
                if scenarios.iter().map(|s| s.probability).sum::<f64>() <= 0.0 {
                    scenarios[0].probability = 1.0;
                }
                // paths x horizon x scenarios within the run-size limit.
                let per_path = u64::from(horizon) * scenarios.len() as u64;
                let max_paths = (limits::MAX_SAMPLES_PER_MATERIAL / per_path) as u32;
                let mut project = Project {
                    format_version: CURRENT_FORMAT_VERSION,
                    name,
                    description,
                    start,
                    horizon_months: horizon,
                    currency,
                    service_level: level,
                    paths: paths.min(max_paths),
                    seed,
                    shortage_cost_per_kg: shortage,
                    rebuild_after_disruption: rebuild,
                    materials,
                    products,
                    scenarios,
                    saved_results: None,
                };
                // Events, outages and noise drawn within their limits too.
                let within = |p: &Project| {
                    let work = RunWork::of(p);
                    work.event_draws <= limits::MAX_EVENT_DRAWS
                        && work.outage_records <= limits::MAX_OUTAGE_RECORDS
                        && work.noise_factors <= limits::MAX_NOISE_FACTORS
                };
                while project.paths > limits::MIN_PATHS && !within(&project) {
                    project.paths = (project.paths / 2).max(limits::MIN_PATHS);
                }
                project
            },
        )
}

// ---------------------------------------------------------------- round trips

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn valid_projects_validate_and_round_trip(project in valid_project()) {
        let validation = validate(&project);
        prop_assert!(
            validation.is_valid(),
            "a generated project does not validate: {:?}",
            validation.errors().collect::<Vec<_>>()
        );
        let text = to_ron_string(&project).expect("a valid project saves");
        let parsed = parse(&text, "generated.ron")
            .map_err(|err| TestCaseError::fail(format!("{err}\n--- text:\n{text}")))?;
        prop_assert_eq!(&parsed, &project);
        // Saving again gives the same text: a saved file diffs cleanly.
        prop_assert_eq!(to_ron_string(&parsed).expect("saves"), text.clone());
        // The loader (UTF-8, byte-order mark, validation) agrees, with CRLF line ends too.
        let loaded = load_bytes(text.as_bytes(), "generated.ron")
            .map_err(|err| TestCaseError::fail(format!("{err}\n--- text:\n{text}")))?;
        prop_assert_eq!(&loaded.project, &project);
        let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let loaded = load_bytes(crlf.as_bytes(), "crlf.ron")
            .map_err(|err| TestCaseError::fail(format!("{err}")))?;
        prop_assert_eq!(&loaded.project, &project);
        // The engine compiles it (not run: that is the engine's own tests' job).
        let options = RunOptions {
            paths: Some(100),
            ..RunOptions::default()
        };
        prop_assert!(Model::new(&project, &options).is_ok(), "the engine refuses a valid project");
    }
}

// ---------------------------------------------------------------- corruption

/// One way of damaging a file's bytes.
#[derive(Clone, Debug)]
enum Damage {
    Truncate(Index),
    Flip(Vec<(Index, u8)>),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    /// Copies a range of the file to another place (nests, repeats fields).
    Duplicate(Index, usize, Index),
    /// Replaces one number in the text with a hostile one.
    Number(Index, &'static str),
    /// Inserts a RON fragment (a bracket run, a keyword, a comment opener).
    Fragment(Index, String),
}

const HOSTILE_NUMBERS: &[&str] = &[
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "1e309",
    "-1e308",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "99999999999999999999999999",
    "-1",
    "-0.0",
    "5e-324",
    "0x7fffffff",
    "1_000_000",
    "0",
    ".5",
    "1.",
    "+1",
];

fn damage() -> impl Strategy<Value = Damage> {
    let fragment = prop_oneof![
        (1usize..200).prop_map(|n| "[".repeat(n)),
        (1usize..200).prop_map(|n| "(".repeat(n)),
        (1usize..50).prop_map(|n| "Some(".repeat(n)),
        prop::sample::select(vec![
            "/*",
            "*/",
            "//",
            "\"",
            "\\",
            "#![enable(implicit_some)]",
            "r#\"",
            "'",
            ",",
            ":",
            ")",
            "]",
            "}",
            "{",
            "None",
            "Only([])",
            "All",
            "Uniform(5, 2)",
            "Triangular(3, 1, 2)",
            "\"2026-13\"",
            "\u{feff}",
            "\r",
            "\0",
            "é",
            "🧲",
            "b\"x\"",
            "()",
            "unit_field: ()",
        ])
        .prop_map(String::from),
    ];
    prop_oneof![
        any::<Index>().prop_map(Damage::Truncate),
        prop::collection::vec((any::<Index>(), any::<u8>()), 1..8).prop_map(Damage::Flip),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Damage::Insert(at, bytes)),
        (any::<Index>(), 1usize..400).prop_map(|(at, len)| Damage::Delete(at, len)),
        (any::<Index>(), 1usize..400, any::<Index>())
            .prop_map(|(at, len, to)| Damage::Duplicate(at, len, to)),
        (any::<Index>(), prop::sample::select(HOSTILE_NUMBERS))
            .prop_map(|(at, n)| Damage::Number(at, n)),
        (any::<Index>(), fragment).prop_map(|(at, text)| Damage::Fragment(at, text)),
    ]
}

/// Byte ranges of the numbers in a text.
fn number_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_');
        if starts {
            let from = if i > 0 && bytes[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            let mut to = i;
            while to < bytes.len() && (bytes[to].is_ascii_digit() || b".eE_".contains(&bytes[to])) {
                to += 1;
            }
            spans.push((from, to));
            i = to;
        } else {
            i += 1;
        }
    }
    spans
}

fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    let len = bytes.len();
    let at = |index: &Index| index.index(len + 1);
    match damage {
        Damage::Truncate(i) => bytes.truncate(at(i)),
        Damage::Flip(flips) => {
            for (i, value) in flips {
                if !bytes.is_empty() {
                    let pos = i.index(bytes.len());
                    bytes[pos] = *value;
                }
            }
        }
        Damage::Insert(i, new) => {
            let pos = at(i);
            bytes.splice(pos..pos, new.iter().copied());
        }
        Damage::Delete(i, n) => {
            let pos = at(i);
            bytes.drain(pos..(pos + n).min(len));
        }
        Damage::Duplicate(i, n, to) => {
            let pos = at(i);
            let copy = bytes[pos..(pos + n).min(len)].to_vec();
            let to = at(to);
            bytes.splice(to..to, copy);
        }
        Damage::Number(i, number) => {
            let spans = number_spans(bytes);
            if !spans.is_empty() {
                let (from, to) = spans[i.index(spans.len())];
                bytes.splice(from..to, number.bytes());
            }
        }
        Damage::Fragment(i, text) => {
            let pos = at(i);
            bytes.splice(pos..pos, text.bytes());
        }
    }
}

/// The texts corruption starts from: the conformance examples and a small project.
fn base_texts() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples");
    let mut texts: Vec<Vec<u8>> = [dir.clone(), dir.join("format2")]
        .iter()
        .flat_map(|folder| {
            std::fs::read_dir(folder).unwrap_or_else(|err| panic!("{}: {err}", folder.display()))
        })
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "ron"))
        .map(|path| std::fs::read(path).expect("read an example"))
        .collect();
    texts.sort();
    assert!(!texts.is_empty(), "no examples in {}", dir.display());
    texts
}

/// Loads damaged bytes: `Ok` or `Err`, promptly; what loads is valid and round-trips.
fn check_damaged(bytes: &[u8]) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let outcome = load_bytes(bytes, "damaged.ron");
    let elapsed = started.elapsed();
    prop_assert!(
        elapsed < LOAD_TIME_LIMIT,
        "loading {} bytes took {elapsed:?}",
        bytes.len()
    );
    match outcome {
        Ok(loaded) => {
            prop_assert!(validate(&loaded.project).is_valid());
            let text = to_ron_string(&loaded.project).expect("a loaded project saves");
            let again = parse(&text, "saved.ron")
                .map_err(|err| TestCaseError::fail(format!("saved text does not parse: {err}")))?;
            prop_assert_eq!(again, loaded.project);
        }
        Err(err) => {
            prop_assert!(!err.diagnostics.is_empty(), "an error with no message");
            for diagnostic in &err.diagnostics {
                prop_assert_eq!(&diagnostic.file, "damaged.ron");
                prop_assert!(!diagnostic.message.trim().is_empty());
                let line = diagnostic.to_string();
                prop_assert!(!line.contains('\n') && !line.contains('\r'), "{}", line);
                prop_assert!(line.starts_with("damaged.ron:"), "{}", line);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn damaged_examples_load_or_fail_cleanly(
        base in any::<Index>(),
        damages in prop::collection::vec(damage(), 1..4),
    ) {
        let texts = base_texts();
        let mut bytes = texts[base.index(texts.len())].clone();
        for d in &damages {
            apply(&mut bytes, d);
        }
        check_damaged(&bytes)?;
    }

    #[test]
    fn damaged_generated_projects_load_or_fail_cleanly(
        project in valid_project(),
        damages in prop::collection::vec(damage(), 1..3),
    ) {
        let mut bytes = to_ron_string(&project).expect("saves").into_bytes();
        for d in &damages {
            apply(&mut bytes, d);
        }
        check_damaged(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_load_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_damaged(&bytes)?;
    }
}

#[test]
fn number_spans_find_numbers() {
    let text = b"Project(format_version: 1, price_per_kg: -75.5e3, id: \"m1\", x: Fixed(0.2))";
    let found: Vec<&[u8]> = number_spans(text)
        .into_iter()
        .map(|(a, b)| &text[a..b])
        .collect();
    assert_eq!(found, vec![&b"1"[..], b"-75.5e3", b"0.2"]);
}
