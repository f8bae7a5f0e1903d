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
        // The blended month-0 row carries the recommendation at full precision.
        let first = csv_fields(lines[1]);
        assert_eq!(first[0], project.materials[0].id);
        assert_eq!(first[1], "blended");
        assert_eq!(first[2], rec.start.to_string());
        assert_eq!(
            first[3].parse::<f64>().expect("number"),
            rec.materials[0].recommended_stock_kg
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

#[test]
fn xlsx_has_the_sheets_with_numbers_as_numbers() {
    use calamine::{Data, Reader, Xlsx};
    for (name, project, rec) in all_projects() {
        let bytes = export::render_report(project, rec, ReportFormat::Xlsx).expect("renders");
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX");
        assert_eq!(
            book.sheet_names(),
            vec!["Summary", "Targets by month", "Scenarios", "Inputs"],
            "{name}"
        );
        let summary = book.worksheet_range("Summary").expect("Summary");
        let header_row = 3;
        assert_eq!(
            summary.get((header_row, 2)),
            Some(&Data::String("Recommended stock (kg)".to_owned()))
        );
        for (i, m) in rec.materials.iter().enumerate() {
            let r = header_row + 1 + i;
            assert_eq!(
                summary.get((r, 0)),
                Some(&Data::String(project.materials[i].name.clone()))
            );
            assert_eq!(
                summary.get((r, 2)),
                Some(&Data::Float(m.recommended_stock_kg)),
                "{name}: a number, not text"
            );
            match m.days_of_cover {
                Some(days) => assert_eq!(summary.get((r, 3)), Some(&Data::Float(days))),
                None => assert!(matches!(summary.get((r, 3)), Some(Data::Empty) | None)),
            }
        }
        let targets = book.worksheet_range("Targets by month").expect("Targets");
        let expected =
            project.materials.len() * (project.scenarios.len() + 1) * rec.horizon_months + 1;
        assert_eq!(targets.height(), expected, "{name}");
        assert_eq!(
            targets.get((1, 3)),
            Some(&Data::Float(
                rec.materials[0].monthly.recommended_stock_kg[0]
            ))
        );
        assert!(
            matches!(targets.get((0, 13)), Some(Data::String(h)) if h.starts_with("Price index ("))
        );
        let scenarios = book.worksheet_range("Scenarios").expect("Scenarios");
        assert_eq!(
            scenarios.get((1, 3)),
            Some(&Data::String(project.scenarios[0].name.clone()))
        );
        assert!(matches!(scenarios.get((1, 5)), Some(Data::Float(_))));
        let inputs = book.worksheet_range("Inputs").expect("Inputs");
        assert_eq!(
            inputs.get((1, 2)),
            Some(&Data::Float(project.materials[0].price_per_kg))
        );
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

/// `STOCKPILE_EXPORT_DUMP=/some/dir cargo test --test export dump` writes every report and
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
fn open_ended_and_build_up_figures_are_in_the_xlsx() {
    use calamine::{Data, Reader, Xlsx};
    let (project, rec) = open_ended();
    let m = &rec.materials[0];
    let words = open_ended_words();
    let bytes = export::render_report(project, rec, ReportFormat::Xlsx).expect("renders");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX");
    let summary = book.worksheet_range("Summary").expect("Summary");
    let column = |header: &str| {
        (0..summary.width())
            .find(|&c| summary.get((3, c)) == Some(&Data::String(header.to_owned())))
            .unwrap_or_else(|| panic!("no column {header}"))
    };
    let cell = |header: &str| summary.get((4, column(header))).cloned();
    assert_eq!(
        cell("Open-ended shortfall"),
        Some(Data::String(words.open_ended.clone()))
    );
    assert_eq!(
        cell("Build-up plan"),
        Some(Data::String(
            [&words.feasibility, &words.risk, &words.capital]
                .map(String::as_str)
                .join(" ")
        ))
    );
    // The open-ended words sit beside the recommendation they qualify.
    assert_eq!(column("Open-ended shortfall"), column("Recommendation") + 1);
    assert_eq!(
        cell("Bought by the plan (kg)"),
        Some(Data::Float(m.buildup.kg_bought))
    );
    assert_eq!(
        cell("Whole gap at today's price (USD)"),
        Some(Data::Float(m.buildup.gap_cost_at_todays_price))
    );
    assert_eq!(
        cell("Saved by buying now (USD)"),
        Some(Data::Float(m.buildup.value_of_buying_ahead))
    );
    assert_eq!(
        cell("Run-out probability following the plan (%)"),
        Some(Data::Float(m.buildup.run_out_probability_following_plan))
    );

    let scenarios = book.worksheet_range("Scenarios").expect("Scenarios");
    assert_eq!(
        scenarios.get((0, 16)),
        Some(&Data::String(
            "Still short in the last month (kg / month)".to_owned()
        ))
    );
    assert_eq!(scenarios.get((1, 16)), Some(&Data::Float(80.0)));
    assert_eq!(scenarios.get((2, 16)), Some(&Data::Float(0.0)));
    assert_eq!(
        scenarios.get((1, 17)),
        Some(&Data::Float(
            m.by_scenario[0].run_out_probability_following_plan
        ))
    );
    assert_eq!(
        scenarios.get((1, 19)),
        Some(&Data::String(words.open_ended.clone()))
    );
    assert!(matches!(scenarios.get((2, 19)), None | Some(Data::Empty)));

    let targets = book.worksheet_range("Targets by month").expect("Targets");
    assert_eq!(
        targets.get((0, 16)),
        Some(&Data::String("Build-up arrivals (kg)".to_owned()))
    );
    for t in 0..rec.horizon_months {
        assert_eq!(
            targets.get((1 + t, 15)),
            Some(&Data::Float(m.buildup.order_kg[t]))
        );
        assert_eq!(
            targets.get((1 + t, 16)),
            Some(&Data::Float(m.buildup.arrival_kg[t]))
        );
    }
}

#[test]
fn open_ended_and_build_up_figures_are_in_the_csv() {
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
        assert_eq!(number(row, "buildup_order_kg"), m.buildup.order_kg[t]);
        assert_eq!(number(row, "buildup_arrival_kg"), m.buildup.arrival_kg[t]);
        assert_eq!(number(row, "buildup_kg_bought"), m.buildup.kg_bought);
        assert_eq!(
            number(row, "gap_cost_at_todays_price"),
            m.buildup.gap_cost_at_todays_price
        );
        assert_eq!(
            number(row, "run_out_probability_following_plan"),
            m.buildup.run_out_probability_following_plan
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
            .all(|r| number(r, "shortfall_in_last_month_kg") == 80.0)
    );
    assert_eq!(ban[0][col("note")], words.open_ended);
    let calm = series("calm");
    assert!(calm.iter().all(|r| r[col("note")].is_empty()));
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
