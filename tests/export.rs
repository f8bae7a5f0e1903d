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
