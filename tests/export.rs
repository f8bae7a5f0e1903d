//! The exports read back with real parsers: PDF (lopdf), XLSX (calamine), SVG
//! (roxmltree), PNG (png), CSV and HTML by their structure.

use std::sync::OnceLock;

use stockpile_planner::engine::{self, Recommendation, RunOptions};
use stockpile_planner::export::{
    self, ChartKind, ChartSelection, ReportFormat, chart_size, write_chart_file, write_report_file,
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

#[test]
fn csv_has_one_row_per_material_scenario_and_month() {
    for (name, project, rec) in all_projects() {
        let text = report_text(project, rec, ReportFormat::Csv);
        let lines: Vec<&str> = text.lines().collect();
        let expected =
            project.materials.len() * (project.scenarios.len() + 1) * rec.horizon_months + 1;
        assert_eq!(lines.len(), expected, "{name}: rows");
        let header: Vec<&str> = lines[0].split(',').collect();
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
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), header.len(), "{name}: {line}");
            let stock: f64 = fields[3].parse().expect("a number");
            assert!(stock.is_finite() && stock >= 0.0);
        }
        // The blended month-0 row carries the recommendation at full precision.
        let first: Vec<&str> = lines[1].split(',').collect();
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
            let escaped = sentence
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;");
            assert!(html.contains(&escaped), "{name}: {sentence}");
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
