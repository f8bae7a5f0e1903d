//! The exports read back with real parsers: PDF (lopdf), XLSX (calamine), SVG
//! (roxmltree), PNG (png), CSV and HTML by their structure.

use std::sync::OnceLock;

use stockpile_planner::engine::{self, Recommendation, RunOptions};
use stockpile_planner::export::{
    self, ChartKind, ChartSelection, ReportFormat, ReportInputs, chart_size, text,
    write_chart_file, write_report_file,
};
use stockpile_planner::presets::PRESETS;
use stockpile_planner::project::Project;
use stockpile_planner::reference::reference_plant;
use stockpile_planner::units;

fn run(project: &Project) -> Recommendation {
    engine::recommend(
        project,
        &RunOptions {
            paths: Some(1000),
            ..Default::default()
        },
    )
    .expect("the project runs")
}

fn reference() -> &'static (Project, Recommendation) {
    static CELL: OnceLock<(Project, Recommendation)> = OnceLock::new();
    CELL.get_or_init(|| {
        let project = reference_plant();
        let rec = run(&project);
        (project, rec)
    })
}

fn presets() -> &'static Vec<(String, Project, Recommendation)> {
    static CELL: OnceLock<Vec<(String, Project, Recommendation)>> = OnceLock::new();
    CELL.get_or_init(|| {
        PRESETS
            .iter()
            .map(|preset| {
                let project = preset.load().expect("the preset loads").project;
                let rec = run(&project);
                (preset.name.to_owned(), project, rec)
            })
            .collect()
    })
}

fn all_projects() -> Vec<(String, &'static Project, &'static Recommendation)> {
    let (project, rec) = reference();
    let mut all = vec![("reference".to_owned(), project, rec)];
    all.extend(presets().iter().map(|(name, p, r)| (name.clone(), p, r)));
    all
}

fn report_text(project: &Project, rec: &Recommendation, format: ReportFormat) -> String {
    String::from_utf8(export::render_report(project, rec, format).expect("the report renders"))
        .expect("UTF-8")
}

/// One CSV line's fields (RFC 4180 quoting: a quoted field may hold commas and
/// doubled quotes; the exporter writes no line breaks inside a field).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let field = fields.last_mut().expect("a field");
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            _ => field.push(c),
        }
    }
    fields
}

#[test]
fn markdown_states_every_recommendation() {
    for (name, project, rec) in all_projects() {
        let text = report_text(project, rec, ReportFormat::Markdown);
        assert!(text.starts_with("# "), "{name}");
        for (index, material) in project.materials.iter().enumerate() {
            let sentence = export::recommendation_sentence(project, rec, index);
            assert!(sentence.starts_with(&format!(
                "Hold {} of {}",
                units::mass(rec.materials[index].recommended_stock_kg),
                material.name
            )));
            assert!(text.contains(&sentence), "{name}: {sentence}");
        }
        for scenario in &project.scenarios {
            assert!(text.contains(&scenario.name), "{name}: {}", scenario.name);
        }
        assert!(text.contains("| Material | Recommended stock | Days of cover |"));
    }
}

fn svg_of(project: &Project, rec: &Recommendation, selection: &ChartSelection) -> String {
    let mut out = Vec::new();
    export::write_chart_svg(project, rec, selection, &mut out).expect("the chart draws");
    String::from_utf8(out).expect("UTF-8")
}

fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_owned()))
        .collect()
}

#[test]
fn every_chart_kind_is_valid_svg_with_title_legend_axes_and_footer() {
    let (project, rec) = reference();
    for kind in ChartKind::ALL {
        for selection in [
            ChartSelection::all(kind),
            ChartSelection {
                material: Some(1),
                scenario: Some(2),
                kind,
            },
        ] {
            let svg = svg_of(project, rec, &selection);
            let texts = svg_texts(&svg);
            let (w, h) = chart_size(project, &selection);
            assert!(
                svg.contains(&format!("width=\"{w}\"")) && svg.contains(&format!("height=\"{h}\""))
            );
            // Footer: project, service level, paths, seed.
            let footer = texts
                .iter()
                .find(|t| t.starts_with(&project.name))
                .expect("a footer");
            assert!(
                footer.contains("service level 95%")
                    && footer.contains("1,000 paths")
                    && footer.contains("seed 42"),
                "{footer}"
            );
            // Months on the axis.
            if kind != ChartKind::Cost {
                assert!(
                    texts.iter().any(|t| t == "2026-12"),
                    "{kind:?}: no month labels"
                );
            }
            // Each shown material's panel title.
            let shown: Vec<usize> = selection
                .material
                .map_or_else(|| (0..project.materials.len()).collect(), |m| vec![m]);
            for m in shown {
                assert!(
                    texts.iter().any(|t| t.contains(&project.materials[m].name)),
                    "{kind:?}: {}",
                    project.materials[m].name
                );
            }
            if kind == ChartKind::Compare {
                for scenario in &project.scenarios {
                    assert!(
                        texts.iter().any(|t| t == &scenario.name),
                        "legend lacks {}",
                        scenario.name
                    );
                }
            }
        }
    }
}

fn decode_png(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("the image decodes");
    // Not blank: some pixels are dark (text, lines).
    assert!(buf.iter().any(|&b| b < 64));
    (info.width, info.height)
}

#[test]
fn png_decodes_at_twice_the_svg_size() {
    let (project, rec) = reference();
    for selection in [
        ChartSelection::all(ChartKind::Target),
        ChartSelection {
            material: Some(0),
            scenario: None,
            kind: ChartKind::Fan,
        },
    ] {
        let mut bytes = Vec::new();
        export::write_chart_png(project, rec, &selection, &mut bytes).expect("the PNG draws");
        let (w, h) = chart_size(project, &selection);
        assert_eq!(decode_png(&bytes), (w * 2, h * 2));
    }
}

#[test]
fn chart_files_by_extension_and_clear_errors() {
    let (project, rec) = reference();
    let dir = tempfile::tempdir().expect("a temp dir");
    let selection = ChartSelection::all(ChartKind::Buildup);
    let svg = dir.path().join("chart.svg");
    write_chart_file(project, rec, &selection, &svg).expect("SVG written");
    svg_texts(&std::fs::read_to_string(&svg).expect("readable"));
    let png = dir.path().join("chart.PNG");
    write_chart_file(project, rec, &selection, &png).expect("PNG written");
    decode_png(&std::fs::read(&png).expect("readable"));

    let bad = dir.path().join("chart.gif");
    let err = write_chart_file(project, rec, &selection, &bad)
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("chart.gif") && err.contains(".svg or .png"),
        "{err}"
    );
    assert!(!bad.exists());

    let missing = dir.path().join("no/such/folder/report.pdf");
    let err = write_report_file(project, rec, &missing)
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("report.pdf") && err.contains("does not exist"),
        "{err}"
    );

    let err = write_report_file(project, rec, &dir.path().join("report.docx"))
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("report.docx") && err.contains(".pdf, .xlsx, .html, .csv or .md"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);

    let err = write_report_file(project, rec, dir.path())
        .expect_err("a folder")
        .to_string();
    assert!(err.contains("folder"), "{err}");
}

#[cfg(unix)]
#[test]
fn unwritable_folder_is_an_error_and_leaves_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let (project, rec) = reference();
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("r.csv");
    std::fs::write(&out, "old").expect("written");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let result = write_report_file(project, rec, &out);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // Root may write anyway; otherwise the error names the file and the old file stays.
    if let Err(err) = result {
        assert!(err.to_string().contains("r.csv"), "{err}");
        assert_eq!(std::fs::read_to_string(&out).expect("readable"), "old");
    }
}

#[test]
fn report_files_are_written_whole() {
    let (project, rec) = reference();
    let dir = tempfile::tempdir().expect("a temp dir");
    for ext in ["csv", "md"] {
        let out = dir.path().join(format!("report.{ext}"));
        write_report_file(project, rec, &out).expect("written");
        assert!(std::fs::metadata(&out).expect("exists").len() > 1000);
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("listable")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn html_is_self_contained_with_inline_svg() {
    for (name, project, rec) in all_projects() {
        let html = report_text(project, rec, ReportFormat::Html);
        assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
        assert!(
            html.matches("<svg").count() >= 3 + 3 * project.materials.len(),
            "{name}"
        );
        assert!(
            !html.contains("<script")
                && !html.contains("src=\"http")
                && !html.contains("href=\"http"),
            "{name}: not offline"
        );
        for index in 0..project.materials.len() {
            let sentence = export::recommendation_sentence(project, rec, index);
            assert!(
                html.contains(&html_escaped(&sentence)),
                "{name}: {sentence}"
            );
        }
        // Every inline chart is well-formed XML on its own.
        for chunk in html.split("<svg").skip(1) {
            let end = chunk.find("</svg>").expect("closed") + "</svg>".len();
            roxmltree::Document::parse(&format!("<svg{}", &chunk[..end]))
                .expect("a well-formed inline SVG");
        }
    }
}

fn pdf_text(bytes: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text extracts");
    (pages.len(), text)
}

/// lopdf's extraction may break or space words differently; compare without whitespace.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn pdf_has_pages_and_real_text_for_every_material() {
    for (name, project, rec) in all_projects() {
        let bytes = export::render_report(project, rec, ReportFormat::Pdf).expect("renders");
        assert!(bytes.starts_with(b"%PDF-"));
        let (pages, text) = pdf_text(&bytes);
        // Summary, overview, at least one page per material, scenarios, inputs.
        assert!(
            pages >= project.materials.len() + 4,
            "{name}: {pages} pages"
        );
        let flat = squash(&text);
        assert!(
            flat.contains(&squash(&format!("Page 1 of {pages}"))),
            "{name}: page numbers"
        );
        assert!(flat.contains(&squash("What to hold")));
        for (material, m) in project.materials.iter().zip(&rec.materials) {
            assert!(
                flat.contains(&squash(&material.name)),
                "{name}: {}",
                material.name
            );
            let figure = format!(
                "Hold {} of {}",
                units::mass(m.recommended_stock_kg),
                material.name
            );
            assert!(flat.contains(&squash(&figure)), "{name}: {figure}");
        }
        for scenario in &project.scenarios {
            assert!(
                flat.contains(&squash(&scenario.name)),
                "{name}: {}",
                scenario.name
            );
        }
        // Fonts are embedded.
        let doc = lopdf::Document::load_mem(&bytes).expect("a PDF");
        let embedded = doc.objects.values().any(|o| {
            o.as_dict()
                .is_ok_and(|d| d.has(b"FontFile2") || d.has(b"FontFile3"))
        });
        assert!(embedded, "{name}: fonts embedded");
    }
}

#[test]
fn every_format_writes_a_file() {
    let (project, rec) = reference();
    let dir = tempfile::tempdir().expect("a temp dir");
    for ext in ["pdf", "xlsx", "html", "csv", "md"] {
        let out = dir.path().join(format!("report.{ext}"));
        write_report_file(project, rec, &out).expect("written");
        assert!(
            std::fs::metadata(&out).expect("exists").len() > 1000,
            "{ext}"
        );
    }
}

/// `STOCKPILE_EXPORT_DUMP=/some/dir cargo test --test suite export::dump` writes every report and
/// chart of the reference plant there, to look at.
#[test]
fn dump_for_inspection() {
    let Some(dir) = std::env::var_os("STOCKPILE_EXPORT_DUMP") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let (project, rec) = reference();
    for ext in ["pdf", "xlsx", "html", "csv", "md"] {
        write_report_file(project, rec, &dir.join(format!("reference.{ext}"))).expect("written");
    }
    for kind in ChartKind::ALL {
        let out = dir.join(format!("reference-{}.png", kind.name()));
        write_chart_file(project, rec, &ChartSelection::all(kind), &out).expect("written");
    }
}

#[test]
fn a_recommendation_of_another_project_is_refused_not_a_panic() {
    let (project, _) = reference();
    let (_, other_project, other) = &presets()[0];
    assert_ne!(project.materials.len(), other_project.materials.len());
    let err = export::render_report(project, other, ReportFormat::Pdf).expect_err("refused");
    assert!(err.to_string().contains("does not match"), "{err}");
    let mut out = Vec::new();
    assert!(
        export::write_chart_svg(
            project,
            other,
            &ChartSelection::all(ChartKind::Target),
            &mut out
        )
        .is_err()
    );
}

#[test]
fn paths_can_be_checked_before_the_run() {
    assert_eq!(
        export::check_report_path(std::path::Path::new("r.PDF")).expect("ok"),
        ReportFormat::Pdf
    );
    let err = export::check_report_path(std::path::Path::new("r.txt")).expect_err("refused");
    assert!(err.is_bad_input());
    assert!(export::check_chart_path(std::path::Path::new("c.svg")).is_ok());
    assert!(export::check_chart_path(std::path::Path::new("c.pdf")).is_err());
}

/// Gallium at 100 kg a month, wholly exposed, cut off for the whole plan: only an
/// alternative source of 20 kg a month (qualified ahead, 3 months) comes back, so the
/// supply is still short by exactly 80 kg a month at the end (MODEL.md "Open-ended
/// shortfalls"). A 60-day lead time and a purchase cap make the build-up plan slow.
const OPEN_ENDED_PROJECT: &str = r#"Project(
    format_version: 2,
    name: "Open-ended gallium",
    start: "2026-01",
    horizon_months: 12,
    service_level: Fixed(0.95),
    rebuild_after_disruption: false,
    materials: [
        Material(id: "ga", name: "Gallium", price_per_kg: 500.0, exposed_share: 1.0,
                 on_hand_kg: 150.0, lead_time_days: 60.0, max_purchase_kg_per_month: 120.0,
                 alternatives: [
            Alternative(name: "Japanese recycler", capacity_kg_per_month: 20.0,
                        qualification_months: 3.0, price_premium: 0.4,
                        qualification_starts: AtPlanStart),
        ]),
    ],
    products: [
        Product(id: "wafer", name: "GaN wafer", units_per_month: 100.0,
                bill_of_materials: {"ga": 1.0}, notes: "Product note: 6-inch wafers."),
    ],
    scenarios: [
        Scenario(id: "ban", name: "Permanent ban", probability: 1.0,
                 description: "China stops gallium exports for good.",
                 notes: "Scenario note: MOFCOM announcement No. 46.",
                 events: [
            Once(name: "Export ban", start: Fixed("2026-01"), duration_months: Fixed(12.0),
                 supply_cut: Fixed(1.0)),
        ]),
        Scenario(id: "calm", name: "No disruption", probability: 1.0, events: []),
    ],
)"#;

fn open_ended() -> &'static (Project, Recommendation) {
    static CELL: OnceLock<(Project, Recommendation)> = OnceLock::new();
    CELL.get_or_init(|| {
        let project = stockpile_planner::project::parse(OPEN_ENDED_PROJECT, "open-ended.ron")
            .expect("the test project parses");
        let rec = run(&project);
        (project, rec)
    })
}

/// The sentences every format must carry for the open-ended project's one material.
struct Words {
    open_ended: String,
    feasibility: String,
    risk: String,
    capital: String,
}

fn open_ended_words() -> Words {
    let (project, rec) = open_ended();
    let m = &rec.materials[0];
    let open_ended = text::open_ended_sentences(project, m);
    assert_eq!(
        open_ended.len(),
        1,
        "only the ban is open-ended: {open_ended:?}"
    );
    Words {
        open_ended: open_ended[0].clone(),
        feasibility: text::buildup_feasibility(project, rec, 0),
        risk: text::buildup_risk(rec, m),
        capital: text::buildup_capital(project, m),
    }
}

#[test]
fn the_open_ended_project_is_open_ended_by_exactly_the_missing_supply() {
    let (_, rec) = open_ended();
    let m = &rec.materials[0];
    assert!(m.open_ended);
    assert_eq!(m.by_scenario[0].shortfall_in_last_month_kg, 80.0);
    assert_eq!(m.by_scenario[1].shortfall_in_last_month_kg, 0.0);
    assert_eq!(m.buildup.lead_time_months, 2);
    let words = open_ended_words();
    assert!(
        words
            .open_ended
            .starts_with("Permanent ban: supply is still short by 80.0 kg a month"),
        "{}",
        words.open_ended
    );
    assert!(words.capital.contains(&units::mass(m.buildup.kg_bought)));
    assert!(
        words
            .capital
            .contains(&units::money(m.buildup.gap_cost_at_todays_price, "USD"))
    );
}

#[test]
fn open_ended_and_build_up_words_are_in_the_pdf_html_and_markdown() {
    let (project, rec) = open_ended();
    let words = open_ended_words();
    let expected = [
        &words.open_ended,
        &words.feasibility,
        &words.risk,
        &words.capital,
        &text::rebuild_after_disruption(project).to_owned(),
        &"Product note: 6-inch wafers.".to_owned(),
        &"Scenario note: MOFCOM announcement No. 46.".to_owned(),
    ];
    let bytes = export::render_report(project, rec, ReportFormat::Pdf).expect("renders");
    let pdf = squash(&pdf_text(&bytes).1);
    let html = report_text(project, rec, ReportFormat::Html);
    let markdown = report_text(project, rec, ReportFormat::Markdown);
    for sentence in expected {
        assert!(pdf.contains(&squash(sentence)), "PDF lacks: {sentence}");
        assert!(
            html.contains(&html_escaped(sentence)),
            "HTML lacks: {sentence}"
        );
        assert!(
            markdown.contains(sentence.as_str()),
            "Markdown lacks: {sentence}"
        );
    }
    // Beside the figure: right after the recommendation, before the next material or table.
    let recommendation = text::recommendation_sentence(project, rec, 0);
    let after = |doc: &str, figure: &str, words: &str| {
        let at = doc.find(figure).expect("the recommendation");
        let gap = doc[at + figure.len()..].find(words).expect("the sentence");
        assert!(
            gap < 200,
            "{gap} characters between the figure and its words"
        );
    };
    after(&markdown, &recommendation, &words.open_ended);
    after(
        &html,
        &html_escaped(&recommendation),
        &html_escaped(&words.open_ended),
    );
    after(&pdf, &squash(&recommendation), &squash(&words.open_ended));
    // When the alternative's qualification starts, in the inputs.
    for doc in [&html, &markdown] {
        assert!(doc.contains("Now (qualified ahead)"));
    }
    assert!(pdf.contains(&squash("Now (qualified ahead)")));
}

#[test]
fn buildup_chart_shows_orders_and_arrivals_a_lead_time_apart() {
    let (project, rec) = open_ended();
    let plan = &rec.materials[0].buildup;
    let svg = svg_of(project, rec, &ChartSelection::all(ChartKind::Buildup));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    // Orders: outlined orange bars; arrivals: filled green bars (each also once in the legend).
    let bars = |fill: &str, stroke: &str| -> Vec<f64> {
        let mut xs: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .filter(|n| n.attribute("fill") == Some(fill) && n.attribute("stroke") == Some(stroke))
            .map(|n| n.attribute("x").and_then(|x| x.parse().ok()).expect("x"))
            .collect();
        xs.sort_by(f64::total_cmp);
        xs
    };
    let orders = bars("none", "#E69F00");
    let arrivals = bars("#009E73", "none");
    let ordering_months = plan.order_kg.iter().filter(|kg| **kg > 0.0).count();
    let arriving_months = plan.arrival_kg.iter().filter(|kg| **kg > 0.0).count();
    assert!(ordering_months > 0);
    assert_eq!(orders.len(), ordering_months + 1, "orders and the legend");
    assert_eq!(
        arrivals.len(),
        arriving_months + 1,
        "arrivals and the legend"
    );
    // Each arrival is drawn the lead time after its order (to the pixel): the bars'
    // offsets from the first order are the same, shifted by a constant.
    let first_order = plan
        .order_kg
        .iter()
        .position(|kg| *kg > 0.0)
        .expect("an order");
    let first_arrival = plan
        .arrival_kg
        .iter()
        .position(|kg| *kg > 0.0)
        .expect("one");
    assert_eq!(first_arrival, first_order + plan.lead_time_months);
    let (orders, arrivals) = (&orders[1..], &arrivals[1..]);
    let shift = arrivals[0] - orders[0];
    assert!(shift > 0.0);
    for (order, arrival) in orders.iter().zip(arrivals) {
        assert!((arrival - order - shift).abs() <= 1.0, "{order} {arrival}");
    }
    let texts = svg_texts(&svg);
    for label in [
        "Orders, in the month placed",
        "Arrivals, in the month they arrive",
        "Stock under the plan",
        "Today's recommendation",
        "Reaches today's recommendation",
        "Runs dry (driving scenario, today's stock)",
    ] {
        assert!(texts.iter().any(|t| t == label), "legend lacks {label}");
    }
    let run_out = plan
        .driving_run_out_month
        .expect("the ban runs the stock dry");
    let mark = format!("runs dry {}", rec.month(run_out));
    assert!(texts.contains(&mark), "{mark} not in {texts:?}");
}

#[test]
fn scenarios_short_by_the_same_amount_share_one_sentence() {
    let (_, project, rec) = presets()
        .iter()
        .find(|(name, _, _)| name == "defence-supplier")
        .expect("the defence preset");
    // Samarium oxide: military refusals for the whole plan in every scenario.
    let index = project
        .materials
        .iter()
        .position(|m| m.id == "sm_oxide")
        .expect("samarium");
    let m = &rec.materials[index];
    assert!(m.by_scenario.iter().all(|s| s.open_ended()));
    let sentences = text::open_ended_sentences(project, m);
    let short = units::mass(m.by_scenario[0].shortfall_in_last_month_kg);
    assert_eq!(
        sentences,
        vec![format!(
            "In every scenario, supply is still short by {short} a month at the end of the plan: a stockpile only buys time, and this buffer grows with the horizon; qualified supply of {short} a month would close it."
        )]
    );
    // Each scenario still has its own sentence where it stands alone (a scenario row).
    let own = text::open_ended_sentence(&project.scenarios[0].name, &m.by_scenario[0])
        .expect("open-ended");
    assert!(own.starts_with(&format!(
        "{}: supply is still short",
        project.scenarios[0].name
    )));
}

// ---------------------------------------------------------------------------------
// XLSX and CSV (issue 16 items 9 and 10, issue 14 item 2): one table per sheet with
// units in its header row, numbers as numbers rounded for reading, months as dates,
// frozen headers and a print setup; the CSV is the "Targets by month" sheet's table.
// ---------------------------------------------------------------------------------

use calamine::{Data, Range, Reader, Xlsx};

/// The sheets after the Summary, each one table.
const SHEETS: [&str; 13] = [
    "Recommendation",
    "In words",
    "Build-up plan",
    "Build-up by month",
    "Targets by month",
    "Scenarios",
    "Events",
    "Cost curve",
    "Materials",
    "Alternatives",
    "Products",
    "Run",
    "Method",
];

fn xlsx_bytes(project: &Project, rec: &Recommendation) -> Vec<u8> {
    export::render_report(project, rec, ReportFormat::Xlsx).expect("the workbook renders")
}

fn workbook(project: &Project, rec: &Recommendation) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx_bytes(project, rec)))
        .expect("an XLSX")
}

/// A sheet read back, its cells looked up by the header of their column.
struct Sheet {
    name: String,
    range: Range<Data>,
}

impl Sheet {
    fn read(book: &mut Xlsx<std::io::Cursor<Vec<u8>>>, name: &str) -> Self {
        let range = book
            .worksheet_range(name)
            .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
        assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
        Self {
            name: name.to_owned(),
            range,
        }
    }

    fn headers(&self) -> Vec<String> {
        (0..self.range.width())
            .map(|c| match self.range.get((0, c)) {
                Some(Data::String(h)) => h.clone(),
                other => panic!("{}: header {c} is {other:?}", self.name),
            })
            .collect()
    }

    fn column(&self, header: &str) -> usize {
        self.headers()
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("{}: no column {header:?}", self.name))
    }

    /// The cell under `header` in data row `row` (0 = the first row under the header).
    fn cell(&self, row: usize, header: &str) -> Data {
        self.range
            .get((row + 1, self.column(header)))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    fn number(&self, row: usize, header: &str) -> f64 {
        match self.cell(row, header) {
            Data::Float(v) => v,
            other => panic!(
                "{}: {header} row {row} is {other:?}, not a number",
                self.name
            ),
        }
    }

    fn rows(&self) -> usize {
        self.range.height() - 1
    }
}

/// The Excel serial number of the first day of `month` (days since 1899-12-30).
fn excel_serial(month: stockpile_planner::project::YearMonth) -> f64 {
    fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
    (days_from_civil(i64::from(month.year()), i64::from(month.month()), 1)
        - days_from_civil(1899, 12, 30)) as f64
}

fn assert_month(cell: &Data, month: stockpile_planner::project::YearMonth, what: &str) {
    match cell {
        Data::DateTime(date) => assert_eq!(date.as_f64(), excel_serial(month), "{what}"),
        other => panic!("{what}: {other:?} is not a date"),
    }
}

/// A figure as the tables store it: kg to the gram, money to the cent, shares to 1e-6.
fn kg(v: f64) -> f64 {
    units::rounded(v, 3)
}
fn money(v: f64) -> f64 {
    units::rounded(v, 2)
}
fn share(v: f64) -> f64 {
    units::rounded(v, 6)
}

#[test]
fn xlsx_has_one_table_per_sheet_with_units_numbers_and_dates() {
    for (name, project, rec) in all_projects() {
        let mut book = workbook(project, rec);
        let mut names = vec!["Summary"];
        names.extend(SHEETS);
        assert_eq!(book.sheet_names(), names, "{name}");
        let sheets: Vec<Sheet> = SHEETS.iter().map(|s| Sheet::read(&mut book, s)).collect();
        for sheet in &sheets {
            let headers = sheet.headers();
            for (c, header) in headers.iter().enumerate() {
                let cells: Vec<&Data> = (1..sheet.range.height())
                    .filter_map(|r| sheet.range.get((r, c)))
                    .collect();
                // One table: no header repeated further down, no title rows.
                assert!(
                    !cells.contains(&&Data::String(header.clone())),
                    "{name}: {} repeats {header}",
                    sheet.name
                );
                // A column of figures says their unit, except counts and the settings' values.
                let counts = ["Alternative sources", "Value"];
                if cells.iter().any(|d| matches!(d, Data::Float(_)))
                    && !counts.contains(&header.as_str())
                {
                    assert!(
                        header.ends_with(')'),
                        "{name}: {} column {header:?} has numbers but no unit",
                        sheet.name
                    );
                }
                // Rounded for reading: no negative zero, no float noise.
                for cell in cells {
                    if let Data::Float(v) = cell {
                        assert!(
                            !(*v == 0.0 && v.is_sign_negative()),
                            "{name}: {} {header}: -0",
                            sheet.name
                        );
                        assert_eq!(*v, share(*v), "{name}: {} {header}: {v}", sheet.name);
                    }
                }
            }
        }
        let [
            recommendation,
            in_words,
            plan,
            buildup,
            targets,
            scenarios,
            events,
            costs,
            materials,
            alternatives,
            products,
            run,
            method,
        ] = &sheets[..]
        else {
            unreachable!()
        };

        assert_eq!(recommendation.rows(), project.materials.len(), "{name}");
        for (i, m) in rec.materials.iter().enumerate() {
            assert_eq!(
                recommendation.cell(i, "Material"),
                Data::String(project.materials[i].name.clone())
            );
            assert_eq!(
                recommendation.number(i, "Recommended stock (kg)"),
                kg(m.recommended_stock_kg),
                "{name}: a number, not text"
            );
            assert_eq!(
                recommendation.number(i, "Service level (%)"),
                share(m.service_level)
            );
            assert_eq!(
                in_words.cell(i, "Recommendation"),
                Data::String(text::recommendation_sentence(project, rec, i))
            );
            assert_eq!(
                plan.number(i, &format!("Saved by buying now ({})", project.currency)),
                money(m.buildup.value_of_buying_ahead)
            );
            match m.days_of_cover {
                Some(days) => assert_eq!(
                    recommendation.number(i, "Days of cover (days)"),
                    units::rounded(days, 2)
                ),
                None => assert_eq!(recommendation.cell(i, "Days of cover (days)"), Data::Empty),
            }
            match m.buildup.reaches_recommendation_month {
                Some(t) => assert_month(&plan.cell(i, "Target met"), rec.month(t), &name),
                None => assert_eq!(plan.cell(i, "Target met"), Data::String("never".to_owned())),
            }
        }

        // The build-up plan and the stock on hand, month by month.
        assert_eq!(
            buildup.rows(),
            project.materials.len() * rec.horizon_months,
            "{name}"
        );
        for (i, m) in rec.materials.iter().enumerate() {
            for t in 0..rec.horizon_months {
                let row = i * rec.horizon_months + t;
                assert_month(&buildup.cell(row, "Month"), rec.month(t), &name);
                assert_eq!(
                    buildup.number(row, "On hand at the month's start (kg)"),
                    kg(m.buildup.stock_kg[t])
                );
                assert_eq!(
                    buildup.number(row, "Ordered (kg)"),
                    kg(m.buildup.order_kg[t])
                );
                assert_eq!(
                    buildup.number(row, "On hand after arrivals (kg)"),
                    kg(m.buildup.stock_kg[t + 1])
                );
            }
        }

        let expected = project.materials.len() * (project.scenarios.len() + 1) * rec.horizon_months;
        assert_eq!(targets.rows(), expected, "{name}");
        assert_month(&targets.cell(0, "Month"), rec.start, &name);
        assert_month(&targets.cell(1, "Month"), rec.month(1), &name);
        assert_eq!(
            targets.number(0, "Recommended stock (kg)"),
            kg(rec.materials[0].monthly.recommended_stock_kg[0])
        );
        assert!(
            targets
                .headers()
                .iter()
                .any(|h| h.starts_with("Price index ("))
        );

        assert_eq!(
            scenarios.rows(),
            project.materials.len() * project.scenarios.len()
        );
        assert_eq!(
            scenarios.cell(0, "Scenario"),
            Data::String(project.scenarios[0].name.clone())
        );
        assert_eq!(
            scenarios.number(0, "Recommended stock (kg)"),
            kg(rec.materials[0].by_scenario[0].recommended_stock_kg)
        );
        let events_expected: usize = project
            .scenarios
            .iter()
            .map(|s| s.events.len().max(1))
            .sum();
        assert_eq!(events.rows(), events_expected, "{name}");

        // The cost curve behind the value of holding stock.
        let points: usize = rec.materials.iter().map(|m| m.cost_curve.len()).sum();
        assert_eq!(costs.rows(), points, "{name}");
        let first = rec.materials[0].cost_curve[0];
        assert_eq!(
            costs.number(0, "Strategic stock (kg)"),
            kg(first.strategic_stock_kg)
        );
        assert_eq!(
            costs.number(0, &format!("Expected cost ({})", project.currency)),
            money(first.expected_cost)
        );

        assert_eq!(
            materials.number(0, &format!("Price ({} / kg)", project.currency)),
            units::rounded(project.materials[0].price_per_kg, 4)
        );
        let sources: usize = project.materials.iter().map(|m| m.alternatives.len()).sum();
        assert_eq!(alternatives.rows(), sources, "{name}");
        assert_eq!(products.rows(), project.products.len(), "{name}");
        for (c, material) in project.materials.iter().enumerate() {
            let header = format!("{} (kg / unit)", material.name);
            for (r, product) in project.products.iter().enumerate() {
                match product.bill_of_materials.kg_per_unit(&material.id) {
                    Some(kg_per_unit) => {
                        assert_eq!(products.number(r, &header), kg(kg_per_unit), "{name} {c}")
                    }
                    None => assert_eq!(products.cell(r, &header), Data::Empty),
                }
            }
        }

        // The run: numbers as numbers, the first month as a date.
        let setting = |label: &str| {
            (0..run.rows())
                .find(|&r| run.cell(r, "Setting") == Data::String(label.to_owned()))
                .map(|r| run.cell(r, "Value"))
                .unwrap_or_else(|| panic!("{name}: no setting {label}"))
        };
        assert_eq!(
            setting("Horizon (months)"),
            Data::Float(rec.horizon_months as f64)
        );
        assert_eq!(setting("Paths"), Data::Float(rec.paths as f64));
        assert_eq!(setting("Seed"), Data::Float(rec.seed as f64));
        assert_month(&setting("First month"), rec.start, &name);
        match rec.service_level {
            stockpile_planner::project::ServiceLevel::Fixed(level) => {
                assert_eq!(setting("Service level"), Data::Float(level))
            }
            stockpile_planner::project::ServiceLevel::Auto => {
                assert!(matches!(setting("Service level"), Data::String(_)))
            }
        }
        assert_eq!(method.rows(), text::methodology(rec).len());
    }
}

/// The XML of every worksheet, in sheet order, and the workbook's.
fn workbook_xml(bytes: Vec<u8>) -> (Vec<String>, String) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut read = |path: &str| {
        let mut text = String::new();
        zip.by_name(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .read_to_string(&mut text)
            .expect("UTF-8 XML");
        text
    };
    // sheet1.xml is the Summary.
    let sheets = (1..=SHEETS.len() + 1)
        .map(|i| read(&format!("xl/worksheets/sheet{i}.xml")))
        .collect();
    (sheets, read("xl/workbook.xml"))
}

#[test]
fn xlsx_sheets_print_landscape_one_page_wide_with_frozen_repeated_headers() {
    let (project, rec) = reference();
    let (sheets, workbook) = workbook_xml(xlsx_bytes(project, rec));
    let summary = &sheets[0];
    assert!(summary.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(summary.contains(r#"orientation="landscape""#));
    assert!(summary.contains("Page &amp;P of &amp;N</oddFooter>"));
    for (name, xml) in SHEETS.iter().zip(&sheets[1..]) {
        assert!(
            xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
            "{name}: fit to page"
        );
        let setup = &xml[xml.find("<pageSetup ").expect("a page setup")..];
        let setup = &setup[..setup.find("/>").expect("closed")];
        assert!(
            setup.contains(r#"orientation="landscape""#),
            "{name}: {setup}"
        );
        // One page wide (the default width), as many pages tall as it takes.
        assert!(setup.contains(r#"fitToHeight="0""#), "{name}: {setup}");
        assert!(!setup.contains("fitToWidth"), "{name}: {setup}");
        let pane = &xml[xml.find("<pane ").expect("a frozen pane")..];
        assert!(pane.starts_with("<pane ") && pane.contains(r#"state="frozen""#));
        assert!(
            pane[..pane.find("/>").expect("closed")].contains(r#"ySplit="1""#),
            "{name}"
        );
        assert!(xml.contains(&format!("<oddHeader>&amp;L&amp;\"-,Bold\"{}", project.name)));
        assert!(xml.contains("Page &amp;P of &amp;N</oddFooter>"), "{name}");
    }
    // The header row repeats on every printed page of every sheet.
    for (index, name) in (1..).zip(SHEETS) {
        let quoted = if name.contains(' ') {
            format!("'{name}'")
        } else {
            (*name).to_owned()
        };
        assert!(
            workbook.contains(&format!(
                r#"<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{quoted}!$1:$1</definedName>"#
            )),
            "{name}: {workbook}"
        );
    }
}

#[test]
fn xlsx_carries_the_open_ended_and_build_up_figures_and_words() {
    let (project, rec) = open_ended();
    let m = &rec.materials[0];
    let words = open_ended_words();
    let mut book = workbook(project, rec);
    let summary = Sheet::read(&mut book, "In words");
    assert_eq!(
        summary.cell(0, "Open-ended shortfall"),
        Data::String(words.open_ended.clone())
    );
    assert_eq!(
        summary.cell(0, "Build-up plan"),
        Data::String(
            [&words.feasibility, &words.risk, &words.capital]
                .map(String::as_str)
                .join(" ")
        )
    );
    // The open-ended words sit beside the recommendation they qualify.
    assert_eq!(
        summary.column("Open-ended shortfall"),
        summary.column("Recommendation") + 1
    );
    let summary = Sheet::read(&mut book, "Build-up plan");
    assert_eq!(
        summary.number(0, "Bought by the plan (kg)"),
        kg(m.buildup.kg_bought)
    );
    assert_eq!(
        summary.number(0, "Whole gap at today's price (USD)"),
        money(m.buildup.gap_cost_at_todays_price)
    );
    assert_eq!(
        summary.number(0, "Saved by buying now (USD)"),
        money(m.buildup.value_of_buying_ahead)
    );
    assert_eq!(
        summary.number(0, "Run-out probability following the plan (%)"),
        share(m.buildup.run_out_probability_following_plan)
    );
    assert_eq!(summary.number(0, "Lead time (months)"), 2.0);

    let scenarios = Sheet::read(&mut book, "Scenarios");
    let short = "Still short in the last month (kg / month)";
    assert_eq!(scenarios.number(0, short), 80.0);
    assert_eq!(scenarios.number(1, short), 0.0);
    assert_eq!(
        scenarios.number(0, "Run-out probability following the plan (%)"),
        share(m.by_scenario[0].run_out_probability_following_plan)
    );
    assert_eq!(
        scenarios.cell(0, "Open-ended shortfall"),
        Data::String(words.open_ended.clone())
    );
    assert!(matches!(
        scenarios.cell(1, "Open-ended shortfall"),
        Data::Empty
    ));

    for sheet in ["Targets by month", "Build-up by month"] {
        let sheet = Sheet::read(&mut book, sheet);
        let (ordered, arriving) = if sheet.name == "Build-up by month" {
            ("Ordered (kg)", "Arriving (kg)")
        } else {
            ("Build-up orders placed (kg)", "Build-up arrivals (kg)")
        };
        for t in 0..rec.horizon_months {
            assert_eq!(sheet.number(t, ordered), kg(m.buildup.order_kg[t]));
            assert_eq!(sheet.number(t, arriving), kg(m.buildup.arrival_kg[t]));
        }
    }
    let alternatives = Sheet::read(&mut book, "Alternatives");
    assert_eq!(
        alternatives.cell(0, "Qualification starts"),
        Data::String("Now (qualified ahead)".to_owned())
    );
    assert_eq!(alternatives.number(0, "Capacity (kg / month)"), 20.0);
    let products = Sheet::read(&mut book, "Products");
    assert_eq!(
        products.cell(0, "Notes"),
        Data::String("Product note: 6-inch wafers.".to_owned())
    );
    let events = Sheet::read(&mut book, "Events");
    assert_eq!(
        events.cell(0, "Notes"),
        Data::String("Scenario note: MOFCOM announcement No. 46.".to_owned())
    );
    let run = Sheet::read(&mut book, "Run");
    let rebuild = (0..run.rows())
        .map(|r| run.cell(r, "Value"))
        .any(|v| v == Data::String(text::rebuild_after_disruption(project).to_owned()));
    assert!(rebuild, "the rebuild assumption in words");
}

#[test]
fn csv_has_one_row_per_material_scenario_and_month() {
    for (name, project, rec) in all_projects() {
        let text = report_text(project, rec, ReportFormat::Csv);
        let lines: Vec<&str> = text.lines().collect();
        let expected =
            project.materials.len() * (project.scenarios.len() + 1) * rec.horizon_months + 1;
        assert_eq!(lines.len(), expected, "{name}: rows");
        let header = csv_fields(lines[0]);
        assert_eq!(
            &header[..5],
            &[
                "material_id",
                "scenario_id",
                "month",
                "recommended_stock_kg",
                "strategic_buffer_kg"
            ]
        );
        for line in &lines[1..] {
            let fields = csv_fields(line);
            assert_eq!(fields.len(), header.len(), "{name}: {line}");
            let stock: f64 = fields[3].parse().expect("a number");
            assert!(stock.is_finite() && stock >= 0.0);
        }
        // The blended month-0 row carries the recommendation, to the gram.
        let first = csv_fields(lines[1]);
        assert_eq!(first[0], project.materials[0].id);
        assert_eq!(first[1], "blended");
        assert_eq!(first[2], rec.start.to_string());
        assert_eq!(
            first[3].parse::<f64>().expect("number"),
            kg(rec.materials[0].recommended_stock_kg)
        );
        for scenario in &project.scenarios {
            assert!(
                lines
                    .iter()
                    .any(|l| l.split(',').nth(1) == Some(scenario.id.as_str()))
            );
        }
    }
}

#[test]
fn csv_numbers_have_no_negative_zero_and_no_float_noise() {
    for (name, project, rec) in all_projects() {
        let text = report_text(project, rec, ReportFormat::Csv);
        for line in text.lines().skip(1) {
            for field in csv_fields(line) {
                let Ok(v) = field.parse::<f64>() else {
                    continue;
                };
                assert!(!field.starts_with("-0"), "{name}: {field} in {line}");
                let decimals = field.split_once('.').map_or(0, |(_, d)| d.len());
                assert!(decimals <= 6, "{name}: {field} in {line}");
                assert_eq!(
                    format!("{v}"),
                    field,
                    "{name}: written in its shortest form"
                );
            }
        }
    }
}

#[test]
fn csv_is_the_targets_sheet_column_for_column() {
    let (project, rec) = reference();
    let text = report_text(project, rec, ReportFormat::Csv);
    let rows: Vec<Vec<String>> = text.lines().map(csv_fields).collect();
    let mut book = workbook(project, rec);
    let sheet = Sheet::read(&mut book, "Targets by month");
    let headers = sheet.headers();
    assert_eq!(rows[0].len(), headers.len());
    assert_eq!(rows.len(), sheet.range.height());
    for (r, row) in rows.iter().enumerate().skip(1) {
        for (c, field) in row.iter().enumerate() {
            let cell = sheet.range.get((r, c)).cloned().unwrap_or(Data::Empty);
            let what = format!("row {r} {}", headers[c]);
            match cell {
                Data::Empty => assert_eq!(field, "", "{what}"),
                Data::Float(v) => assert_eq!(field.parse::<f64>().ok(), Some(v), "{what}"),
                Data::DateTime(_) => assert_month(
                    &cell,
                    stockpile_planner::project::YearMonth::parse(field).expect("a month"),
                    &what,
                ),
                Data::String(s) => assert_eq!(field, &s, "{what}"),
                other => panic!("{what}: {other:?}"),
            }
        }
    }
}

#[test]
fn csv_carries_the_open_ended_and_build_up_figures() {
    let (project, rec) = open_ended();
    let m = &rec.materials[0];
    let words = open_ended_words();
    let text = report_text(project, rec, ReportFormat::Csv);
    let rows: Vec<Vec<String>> = text.lines().map(csv_fields).collect();
    let header = &rows[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let number = |row: &[String], name: &str| -> f64 { row[col(name)].parse().expect("a number") };
    let series = |scenario: &str| -> Vec<&Vec<String>> {
        rows.iter()
            .filter(|r| r[col("scenario_id")] == scenario)
            .collect()
    };
    let blended = series("blended");
    assert_eq!(blended.len(), rec.horizon_months);
    for (t, row) in blended.iter().enumerate() {
        assert_eq!(number(row, "buildup_order_kg"), kg(m.buildup.order_kg[t]));
        assert_eq!(
            number(row, "buildup_arrival_kg"),
            kg(m.buildup.arrival_kg[t])
        );
        assert_eq!(number(row, "buildup_kg_bought"), kg(m.buildup.kg_bought));
        assert_eq!(
            number(row, "gap_cost_at_todays_price"),
            money(m.buildup.gap_cost_at_todays_price)
        );
        assert_eq!(
            number(row, "run_out_probability_following_plan"),
            share(m.buildup.run_out_probability_following_plan)
        );
        assert_eq!(row[col("shortfall_in_last_month_kg")], "");
    }
    let note = &blended[0][col("note")];
    for sentence in [
        &words.open_ended,
        &words.feasibility,
        &words.risk,
        &words.capital,
    ] {
        assert!(note.contains(sentence.as_str()), "{note}");
    }
    assert!(blended[1..].iter().all(|r| r[col("note")].is_empty()));
    let ban = series("ban");
    assert!(
        ban.iter()
            .all(|r| r[col("shortfall_in_last_month_kg")] == "80")
    );
    assert_eq!(ban[0][col("note")], words.open_ended);
    let calm = series("calm");
    assert!(calm.iter().all(|r| r[col("note")].is_empty()));
    assert!(
        calm.iter()
            .all(|r| r[col("shortfall_in_last_month_kg")] == "0")
    );
}

#[test]
fn xlsx_opens_on_the_executive_summary() {
    use stockpile_planner::export::summary::ExecutiveSummary;
    for (name, project, rec) in all_projects() {
        let summary = ExecutiveSummary::new(project, rec, None, None, None);
        let mut book = workbook(project, rec);
        assert_eq!(book.sheet_names()[0], "Summary", "{name}");
        let range = book.worksheet_range("Summary").expect("Summary");
        let cells: Vec<(usize, usize, &Data)> = range
            .cells()
            .filter(|(_, _, d)| !matches!(d, Data::Empty))
            .collect();
        let find = |text: &str| {
            cells
                .iter()
                .find(|(_, _, d)| **d == Data::String(text.to_owned()))
                .map(|&(r, c, _)| (r, c))
                .unwrap_or_else(|| panic!("{name}: no {text:?} on the Summary"))
        };
        assert_eq!(
            range.get((0, 0)),
            Some(&Data::String(format!(
                "{}: executive summary",
                project.name
            )))
        );
        // The totals as numbers.
        for (label, amount) in [
            (
                "Capital for every gap",
                summary.totals.capital_for_every_gap,
            ),
            (
                "Holding cost per year",
                summary.totals.holding_cost_per_year,
            ),
            (
                "Expected shortage cost now",
                summary.totals.expected_shortage_cost_at_on_hand,
            ),
        ] {
            let (r, c) = find(label);
            assert_eq!(
                range.get((r, c + 1)),
                Some(&Data::Float(money(amount))),
                "{name}: {label}"
            );
        }
        assert_eq!(
            find(&format!("Amount ({})", project.currency)).0 + 1,
            find("Capital for every gap").0
        );
        // The ranked actions, rank as a number, in order.
        let (rank_row, rank_col) = find("Rank");
        for (i, action) in summary.actions.iter().enumerate() {
            let r = rank_row + 1 + i;
            assert_eq!(
                range.get((r, rank_col)),
                Some(&Data::Float(action.rank as f64))
            );
            assert_eq!(
                range.get((r, rank_col + 1)),
                Some(&Data::String(action.material_name.clone()))
            );
            assert_eq!(
                range.get((r, rank_col + 2)),
                Some(&Data::Float(kg(action.gap_kg)))
            );
        }
        // The stock each scenario needs: a kg column per material, the blend last.
        let (scenario_row, _) = find("Scenario");
        for (c, material) in project.materials.iter().enumerate() {
            assert_eq!(
                range.get((scenario_row, 2 + c)),
                Some(&Data::String(format!("{} (kg)", material.name)))
            );
        }
        let blend = scenario_row + project.scenarios.len() + 1;
        assert_eq!(
            range.get((blend, 0)),
            Some(&Data::String("Blend (recommended)".to_owned()))
        );
        assert_eq!(
            range.get((blend, 2)),
            Some(&Data::Float(kg(rec.materials[0].recommended_stock_kg)))
        );
        find("Can the build-up plan make it in time?");
        for f in &summary.feasibility {
            find(&f.sentence);
        }
    }
}

/// The report's inputs (sensitivity, qualify or stockpile, a budget) of a preset, once.
fn outline_case(
    name: &str,
    budget: Option<f64>,
) -> (&'static Project, &'static Recommendation, ReportInputs) {
    let (_, project, rec) = presets()
        .iter()
        .find(|(preset, _, _)| preset == name)
        .expect("the preset");
    let inputs = ReportInputs::compute(project, rec, budget).expect("the report inputs");
    (project, rec, inputs)
}

fn rendered(
    project: &Project,
    rec: &Recommendation,
    inputs: &ReportInputs,
    format: ReportFormat,
) -> Vec<u8> {
    export::render_report_with(project, rec, inputs, format).expect("the report renders")
}

/// HTML's headings (`h2`, `h3`) with their level, entities decoded.
fn html_headings(html: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (tag, level) in [("<h2>", 1), ("<h3>", 2)] {
        for (at, _) in html.match_indices(tag) {
            let rest = &html[at + tag.len()..];
            let end = rest.find("</h").expect("a closed heading");
            out.push((at, level, rest[..end].to_owned()));
        }
    }
    out.sort_by_key(|(at, _, _)| *at);
    out.into_iter()
        .map(|(_, level, text)| {
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            (level, text)
        })
        .collect()
}

/// Markdown's headings (`##`, `###`) with their level, backslash escapes removed.
fn markdown_headings(markdown: &str) -> Vec<(usize, String)> {
    markdown
        .lines()
        .filter_map(|line| {
            let (level, text) = if let Some(text) = line.strip_prefix("### ") {
                (2, text)
            } else {
                (1, line.strip_prefix("## ")?)
            };
            let mut plain = String::new();
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => plain.extend(chars.next()),
                    c => plain.push(c),
                }
            }
            let plain = plain
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            Some((level, plain))
        })
        .collect()
}

/// The PDF's bookmarks with their level (1: section, 2: subsection) and page.
fn pdf_bookmarks(bytes: &[u8]) -> Vec<(usize, String, usize)> {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let toc = doc.get_toc().expect("the PDF has bookmarks");
    assert!(toc.errors.is_empty(), "{:?}", toc.errors);
    toc.toc
        .into_iter()
        .map(|entry| (entry.level, entry.title, entry.page))
        .collect()
}

#[test]
fn the_summary_comes_first_and_every_format_has_the_same_outline() {
    for name in ["ev-motor-line", "offshore-wind"] {
        let (project, rec, inputs) = outline_case(name, None);
        let pdf = rendered(project, rec, &inputs, ReportFormat::Pdf);
        let html =
            String::from_utf8(rendered(project, rec, &inputs, ReportFormat::Html)).expect("UTF-8");
        let markdown = String::from_utf8(rendered(project, rec, &inputs, ReportFormat::Markdown))
            .expect("UTF-8");

        // The summary first: PDF page 1 holds it and nothing of the next section.
        let doc = lopdf::Document::load_mem(&pdf).expect("a PDF");
        let page_one = squash(&doc.extract_text(&[1]).expect("page 1 text"));
        for words in [
            "Executive summary",
            "What to buy first",
            "Stock each scenario needs",
        ] {
            assert!(
                page_one.contains(&squash(words)),
                "{name}: {words} on page 1"
            );
        }
        assert!(
            !page_one.contains(&squash("What to hold")),
            "{name}: page 1 is the summary"
        );
        let summary = inputs.summary(project, rec);
        assert!(
            page_one.contains(&squash(&summary.totals_sentences()[0])),
            "{name}"
        );
        assert_eq!(
            html_headings(&html).first().map(|(_, text)| text.as_str()),
            Some("Executive summary"),
            "{name}"
        );
        assert_eq!(
            markdown_headings(&markdown)
                .first()
                .map(|(_, text)| text.as_str()),
            Some("Executive summary"),
            "{name}"
        );

        // One outline: the same headings in the same order in every format, and
        // each a PDF bookmark (a material's section among them).
        let bookmarks = pdf_bookmarks(&pdf);
        let from_pdf: Vec<(usize, String)> = bookmarks
            .iter()
            .map(|(level, title, _)| (*level, title.clone()))
            .collect();
        assert_eq!(html_headings(&html), from_pdf, "{name}: HTML against PDF");
        assert_eq!(
            markdown_headings(&markdown),
            from_pdf,
            "{name}: Markdown against PDF"
        );
        for material in &project.materials {
            assert!(
                bookmarks
                    .iter()
                    .any(|(level, title, _)| *level == 1 && *title == material.name),
                "{name}: a bookmark for {}",
                material.name
            );
            assert!(
                from_pdf
                    .iter()
                    .any(|(_, title)| *title
                        == format!("What drives the {} stockpile", material.name)),
                "{name}: the tornado of {}",
                material.name
            );
        }
        assert!(
            html.matches("What drives the stockpile · ").count() == project.materials.len(),
            "{name}: a tornado chart per material"
        );
    }
}

#[test]
fn pdf_table_headers_are_never_broken_mid_word() {
    let (project, rec, inputs) = outline_case("ev-motor-line", Some(250_000.0));
    let pdf = rendered(project, rec, &inputs, ReportFormat::Pdf);
    let doc = lopdf::Document::load_mem(&pdf).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text extracts");
    let words: std::collections::HashSet<&str> = text.split_whitespace().collect();
    let outline = export::report::build(project, rec, &inputs, &text::today());
    let mut checked = 0;
    for block in &outline.blocks {
        if let export::report::Block::Table { table, .. } = block {
            for header in &table.header {
                for word in header.split_whitespace() {
                    assert!(
                        words.contains(word),
                        "the header word {word:?} of {header:?} is whole"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked} header words");
    // That a figure keeps its unit is `pdf::tests`' (text extraction splits runs).
}

#[test]
fn a_budget_adds_its_table_to_every_outline_format() {
    let (project, rec, inputs) = outline_case("ev-motor-line", Some(250_000.0));
    let heading = format!("Spending {}", units::money(250_000.0, &project.currency));
    let pdf = rendered(project, rec, &inputs, ReportFormat::Pdf);
    let html =
        String::from_utf8(rendered(project, rec, &inputs, ReportFormat::Html)).expect("UTF-8");
    let markdown =
        String::from_utf8(rendered(project, rec, &inputs, ReportFormat::Markdown)).expect("UTF-8");
    assert!(
        pdf_bookmarks(&pdf)
            .iter()
            .any(|(_, title, _)| *title == heading)
    );
    assert!(html.contains(&format!("<h3>{heading}</h3>")));
    assert!(markdown.contains(&format!("### {heading}")));
    for doc in [&html, &markdown] {
        assert!(doc.contains("Stockout risk after"));
        for material in &project.materials {
            assert!(doc.contains(&material.name));
        }
    }
    let (_, _, without) = outline_case("ev-motor-line", None);
    let plain =
        String::from_utf8(rendered(project, rec, &without, ReportFormat::Markdown)).expect("UTF-8");
    assert!(!plain.contains("Spending "));
}

/// A board member gets one page: the whole executive summary is page 1 for every preset
/// (1 to 10 materials) and both reference plants (8), with and without a budget. Every
/// summary heading is bookmarked on page 1, the next section starts page 2, and the
/// summary's last table ends on page 1 (its last row is there).
#[test]
fn the_executive_summary_fits_page_one() {
    let format2 = stockpile_planner::reference::reference_plant_format2();
    let format2_rec = run(&format2);
    let mut projects = all_projects();
    projects.push(("reference format 2".to_owned(), &format2, &format2_rec));
    for (name, project, rec) in projects {
        let mut inputs = ReportInputs::compute(project, rec, Some(250_000.0))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        for budget in [true, false] {
            if !budget {
                inputs.budget = None;
            }
            let case = format!("{name}, budget {budget}");
            let pdf = rendered(project, rec, &inputs, ReportFormat::Pdf);
            let bookmarks = pdf_bookmarks(&pdf);
            let next = bookmarks
                .iter()
                .position(|(level, title, _)| *level == 1 && title == "What to hold")
                .unwrap_or_else(|| panic!("{case}: no What to hold"));
            let first_page = bookmarks[0].2;
            assert_eq!(bookmarks[0].1, "Executive summary", "{case}");
            for (_, title, page) in &bookmarks[..next] {
                assert_eq!(*page, first_page, "{case}: {title} is on page 1");
            }
            assert_eq!(bookmarks[next].2, first_page + 1, "{case}: page 2");
            let spending = bookmarks[..next]
                .iter()
                .any(|(_, title, _)| title.starts_with("Spending "));
            assert_eq!(spending, budget, "{case}");

            let outline = export::report::build(project, rec, &inputs, &text::today());
            let summary_end = outline
                .blocks
                .iter()
                .position(|block| *block == export::report::Block::PageBreak)
                .expect("a page break after the summary");
            let last_row = outline.blocks[..summary_end]
                .iter()
                .rev()
                .find_map(|block| match block {
                    export::report::Block::Table { table, .. } => table.rows.last(),
                    _ => None,
                })
                .expect("the summary has a table");
            let doc = lopdf::Document::load_mem(&pdf).expect("a PDF");
            let page_one = squash(&doc.extract_text(&[1]).expect("page 1 text"));
            for cell in last_row {
                assert!(page_one.contains(&squash(cell)), "{case}: {cell} on page 1");
            }
        }
    }
}
