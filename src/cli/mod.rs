//! The command line (CLI.md): the same engine, headless. Exit codes: 0 success,
//! 2 bad input, 1 anything else; errors are one sentence on stderr, never a panic.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod numpy_bench;

use crate::engine::{self, RunOptions};
use crate::export::{json, terminal as table};
use crate::project::{self, Loaded, ServiceLevel, limits};

#[derive(Parser, Debug)]
#[command(
    name = "stockpile-planner",
    version,
    about = "Plan strategic stockpiles of critical minerals under export-control scenarios.",
    long_about = "With no subcommand, opens the desktop app (on FILE, on the last project, or on the bundled example). The subcommands run the same engine headless.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A project file to open in the app.
    pub file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(clap::Args, Debug, Clone, Default)]
pub struct RunFlags {
    /// Monte Carlo paths per scenario (100..=1000000); overrides the file.
    #[arg(long, value_parser = clap::value_parser!(u32).range(i64::from(limits::MIN_PATHS)..=i64::from(limits::MAX_PATHS)))]
    pub paths: Option<u32>,
    /// Random seed; overrides the file.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Service level 0.5..=0.999, or `auto` for the cost-optimal level per material.
    #[arg(long, value_parser = parse_service_level)]
    pub service_level: Option<ServiceLevel>,
}

impl RunFlags {
    pub fn options(&self) -> RunOptions {
        RunOptions {
            paths: self.paths,
            seed: self.seed,
            service_level: self.service_level,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the recommendation: a readable table, or with --json the machine-readable document.
    Recommend {
        file: PathBuf,
        /// Print the `stockpile-planner/recommendation/1` JSON document.
        #[arg(long)]
        json: bool,
        /// Spend this much money (the project's currency) on strategic stock now, where
        /// it saves the most expected shortage cost.
        #[arg(long, value_name = "AMOUNT", value_parser = parse_budget)]
        budget: Option<f64>,
        #[command(flatten)]
        run: RunFlags,
    },
    /// Write a report; the format follows the extension: .pdf, .html, .xlsx, .csv, .md.
    Report {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Add the table of how this much money (the project's currency) is best spent
        /// on strategic stock now.
        #[arg(long, value_name = "AMOUNT", value_parser = parse_budget)]
        budget: Option<f64>,
        #[command(flatten)]
        run: RunFlags,
    },
    /// Write one chart, .svg or .png.
    Chart {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// One material's id (default: every material in one figure).
        #[arg(long)]
        material: Option<String>,
        /// One scenario's id (default: the probability-weighted blend).
        #[arg(long)]
        scenario: Option<String>,
        #[arg(long, value_enum, default_value_t = ChartKind::Target)]
        kind: ChartKind,
        #[command(flatten)]
        run: RunFlags,
    },
    /// What drives each material's stockpile: every input low and high, ranked by swing.
    Sensitivity {
        file: PathBuf,
        /// Print the `stockpile-planner/sensitivity/1` JSON document.
        #[arg(long)]
        json: bool,
        /// One material's id (default: every material).
        #[arg(long)]
        material: Option<String>,
        /// Monte Carlo paths per scenario (100..=1000000); default 2,000 or the file's
        /// paths if fewer (common random numbers make each bar the input's own effect).
        #[arg(long, value_parser = clap::value_parser!(u32).range(i64::from(limits::MIN_PATHS)..=i64::from(limits::MAX_PATHS)))]
        paths: Option<u32>,
        /// Random seed; overrides the file.
        #[arg(long)]
        seed: Option<u64>,
    },
    /// What changed between two versions of a plan, and what each change did to every
    /// material's recommendation.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Print the `stockpile-planner/diff/1` JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Validate a project: exit 0 and a summary, or exit 2 and FILE:LINE:COL: message lines.
    Check { file: PathBuf },
    /// Write a starting project from a bundled preset (never overwrites).
    New {
        #[arg(long)]
        preset: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// List the bundled presets.
    Presets,
    /// Time the engine on the reference-plant-sized projects of both formats (8
    /// materials, 6 products, 5 scenarios, 60 months, 10,000 paths) or on FILE.
    #[command(hide = true)]
    Bench {
        file: Option<PathBuf>,
        /// How many times to run (1..=1000).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
        runs: u16,
        /// The reference plant's model without FILE: 1 (no rebuild) or 2 (rebuild at a
        /// purchase cap); without either, both, their runs alternating.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=2))]
        format: Option<u32>,
        /// Also run the numpy model (`python3 bench/numpy_model.py`) on the same
        /// projects, run by run, and print both sides' times, their ratio and their
        /// recommended stocks.
        #[arg(long)]
        numpy: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Target,
    Fan,
    Compare,
    Cost,
    Buildup,
}

impl From<ChartKind> for crate::export::ChartKind {
    fn from(kind: ChartKind) -> Self {
        match kind {
            ChartKind::Target => crate::export::ChartKind::Target,
            ChartKind::Fan => crate::export::ChartKind::Fan,
            ChartKind::Compare => crate::export::ChartKind::Compare,
            ChartKind::Cost => crate::export::ChartKind::Cost,
            ChartKind::Buildup => crate::export::ChartKind::Buildup,
        }
    }
}

/// A budget: a finite, non-negative amount of money.
fn parse_budget(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(amount) if amount.is_finite() && amount >= 0.0 => Ok(amount),
        _ => Err(format!(
            "\"{text}\" is not an amount of money (a non-negative number such as 250000)"
        )),
    }
}

fn parse_service_level(text: &str) -> Result<ServiceLevel, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(ServiceLevel::Auto);
    }
    let level: f64 = text
        .parse()
        .map_err(|_| format!("\"{text}\" is not a number or `auto`"))?;
    if (limits::MIN_SERVICE_LEVEL..=limits::MAX_SERVICE_LEVEL).contains(&level) {
        Ok(ServiceLevel::Fixed(level))
    } else {
        Err(format!(
            "{level} is outside {}..={}",
            limits::MIN_SERVICE_LEVEL,
            limits::MAX_SERVICE_LEVEL
        ))
    }
}

/// A failure with its exit code; the message is printed as is.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    pub fn other(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

/// Runs a subcommand and turns its outcome into an exit code.
pub fn run(command: Command) -> ExitCode {
    match dispatch(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Runs one command. Over 100 lines because it is one short arm per command (load,
/// run, print): its length is the command list, which a function per arm would only move.
fn dispatch(command: Command) -> Result<(), Failure> {
    match command {
        Command::Recommend {
            file,
            json,
            budget,
            run,
        } => {
            let loaded = load(&file)?;
            let recommendation = compute(&loaded, &file, &run)?;
            let budget = budget.map(|amount| engine::budget::allocate(&recommendation, amount));
            let text = if json {
                json::document(&loaded.project, &recommendation, budget.as_ref())
            } else {
                table::render(&loaded.project, &recommendation, budget.as_ref())
            };
            print!("{text}");
            Ok(())
        }
        Command::Report {
            file,
            out,
            budget,
            run,
        } => {
            let format = crate::export::check_report_path(&out).map_err(export_failure)?;
            crate::export::check_not_input(&file, &out).map_err(export_failure)?;
            let loaded = load(&file)?;
            let recommendation = compute(&loaded, &file, &run)?;
            let inputs = crate::export::ReportInputs::for_format(
                &loaded.project,
                &recommendation,
                format,
                budget,
            )
            .map_err(export_failure)?;
            crate::export::write_report_file_with(&loaded.project, &recommendation, &inputs, &out)
                .map_err(export_failure)
        }
        Command::Chart {
            file,
            out,
            material,
            scenario,
            kind,
            run,
        } => {
            crate::export::check_chart_path(&out).map_err(export_failure)?;
            crate::export::check_not_input(&file, &out).map_err(export_failure)?;
            let loaded = load(&file)?;
            let selection = crate::export::ChartSelection::resolve(
                &loaded.project,
                material.as_deref(),
                scenario.as_deref(),
                kind.into(),
            )
            .map_err(|message| Failure::bad_input(format!("{}: {message}", file.display())))?;
            let recommendation = compute(&loaded, &file, &run)?;
            crate::export::write_chart_file(&loaded.project, &recommendation, &selection, &out)
                .map_err(export_failure)
        }
        Command::Check { file } => {
            let loaded = load(&file)?;
            let saved_warnings = warn_of_saved_results(&loaded, &file)?;
            let p = &loaded.project;
            let events: usize = p.scenarios.iter().map(|s| s.events.len()).sum();
            let label = project::escaped(&file.display().to_string());
            println!(
                "{label}: ok: \"{}\", {} materials, {} products, {} scenarios ({} events), {} months from {}, {} warning(s)",
                project::escaped(&p.name),
                p.materials.len(),
                p.products.len(),
                p.scenarios.len(),
                events,
                p.horizon_months,
                p.start,
                loaded.warnings.len() + saved_warnings
            );
            if let Some(sentence) = run_size_sentence(p) {
                println!("{label}: {sentence}");
            }
            Ok(())
        }
        Command::Sensitivity {
            file,
            json,
            material,
            paths,
            seed,
        } => {
            let loaded = load(&file)?;
            let project = &loaded.project;
            let only = match material.as_deref() {
                Some(id) => Some(
                    project
                        .materials
                        .iter()
                        .position(|m| m.id == id)
                        .ok_or_else(|| {
                            Failure::bad_input(format!(
                                "{}: there is no material \"{id}\"",
                                file.display()
                            ))
                        })?,
                ),
                None => None,
            };
            let options = RunOptions {
                paths: Some(
                    paths.unwrap_or(
                        project
                            .paths
                            .min(engine::sensitivity::DEFAULT_SENSITIVITY_PATHS),
                    ),
                ),
                seed,
                service_level: None,
            };
            let control = engine::RunControl::unwatched();
            let result = engine::sensitivity::sensitivity(project, &options, only, &control)
                .map_err(|err| run_failure(&file, err))?;
            let text = if json {
                json::sensitivity_document(project, &result, only)
            } else {
                table::render_sensitivity(project, &result, only)
            };
            print!("{text}");
            Ok(())
        }
        Command::Diff { old, new, json } => {
            let before = load(&old)?;
            let after = load(&new)?;
            let result = engine::diff::diff(
                &before.project,
                &after.project,
                &engine::RunControl::unwatched(),
            )
            .map_err(|err| run_failure(&new, err))?;
            let text = if json {
                json::diff_document(&result)
            } else {
                table::render_diff(&after.project, &result)
            };
            print!("{text}");
            Ok(())
        }
        Command::New { preset, out } => new_from_preset(&preset, &out),
        Command::Presets => {
            for preset in crate::presets::PRESETS {
                println!("{:<20} {}", preset.name, preset.title);
            }
            Ok(())
        }
        Command::Bench {
            file,
            runs,
            format,
            numpy,
        } => bench(file.as_deref(), runs, format, numpy),
    }
}

/// Recomputes a file's saved results with their paths and seed and warns (exit 0)
/// when they differ (FORMAT.md "Version 2"). Returns the number of warnings.
fn warn_of_saved_results(loaded: &Loaded, file: &Path) -> Result<usize, Failure> {
    let Some(saved) = &loaded.project.saved_results else {
        return Ok(0);
    };
    let options = RunOptions {
        paths: Some(saved.paths),
        seed: Some(saved.seed),
        service_level: None,
    };
    let computed =
        engine::recommend(&loaded.project, &options).map_err(|err| run_failure(file, err))?;
    let differences = engine::saved::differences(saved, &loaded.project, &computed);
    if differences.is_empty() {
        return Ok(0);
    }
    let warning = project::Diagnostic {
        file: file.display().to_string(),
        position: None,
        severity: project::Severity::Warning,
        message: crate::export::text::saved_results_warning(saved, &differences),
    };
    eprintln!("{warning}");
    Ok(1)
}

/// A bad output path or extension is bad input (exit 2); a failed write is not.
fn export_failure(err: crate::export::ExportError) -> Failure {
    if err.is_bad_input() {
        Failure::bad_input(err.to_string())
    } else {
        Failure::other(err.to_string())
    }
}

/// Loads and validates a file, printing its warnings; errors become exit 2.
pub fn load(file: &Path) -> Result<Loaded, Failure> {
    let loaded = project::load_file(file).map_err(|err| Failure::bad_input(err.to_string()))?;
    if !loaded.warnings.is_empty() {
        eprintln!("{}", project::diagnostic_lines(&loaded.warnings));
    }
    Ok(loaded)
}

/// Above these, `check` says how long a run will take and how much memory it needs.
const LARGE_RUN_SECONDS: f64 = 10.0;
const LARGE_RUN_BYTES: u64 = 500 << 20;

/// For a large run, one sentence with its expected time and memory.
fn run_size_sentence(project: &project::Project) -> Option<String> {
    let work = project::RunWork::of(project);
    let threads = rayon::current_num_threads();
    let seconds = work.seconds(threads);
    let bytes = work.memory_bytes();
    (seconds > LARGE_RUN_SECONDS || bytes > LARGE_RUN_BYTES).then(|| {
        format!(
            "a large run: expect about {} on {threads} core(s) and about {} MB of memory",
            duration_words(seconds),
            bytes.div_ceil(1 << 20)
        )
    })
}

fn compute(
    loaded: &Loaded,
    file: &Path,
    run: &RunFlags,
) -> Result<engine::Recommendation, Failure> {
    engine::recommend(&loaded.project, &run.options()).map_err(|err| run_failure(file, err))
}

/// An invalid project is bad input (exit 2); a cancelled run (the command line never
/// cancels one) is not.
fn run_failure(file: &Path, err: engine::RunError) -> Failure {
    let message = format!("{}: {err}", file.display());
    match err {
        engine::RunError::Invalid(_) => Failure::bad_input(message),
        engine::RunError::Cancelled => Failure::other(message),
    }
}

/// A rough duration in words: "40 seconds", "12 minutes", "3.5 hours".
fn duration_words(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{} seconds", seconds.ceil())
    } else if seconds < 90.0 * 60.0 {
        format!("{} minutes", (seconds / 60.0).ceil())
    } else {
        format!("{:.1} hours", seconds / 3600.0)
    }
}

fn new_from_preset(name: &str, out: &Path) -> Result<(), Failure> {
    let preset = crate::presets::find(name).ok_or_else(|| {
        let names: Vec<&str> = crate::presets::PRESETS.iter().map(|p| p.name).collect();
        Failure::bad_input(format!(
            "there is no preset \"{name}\"; the presets are {}",
            names.join(", ")
        ))
    })?;
    let loaded = preset
        .load()
        .map_err(|err| Failure::other(format!("the bundled preset is broken: {err}")))?;
    // Created without replacing anything: no check-then-write window, and a
    // dangling symbolic link counts as a file that exists.
    project::save_new_file(&loaded.project, out).map_err(|err| match err {
        project::SaveError::Io { source, .. }
            if source.kind() == std::io::ErrorKind::AlreadyExists =>
        {
            Failure::bad_input(format!(
                "{}: the file exists already; `new` never overwrites (choose another --out)",
                out.display()
            ))
        }
        other => Failure::other(other.to_string()),
    })?;
    println!("{}: written from preset {name}", out.display());
    Ok(())
}

fn bench(file: Option<&Path>, runs: u16, format: Option<u32>, numpy: bool) -> Result<(), Failure> {
    let plants = match (file, format) {
        (Some(path), _) => vec![(path.display().to_string(), load(path)?.project)],
        (None, Some(2)) => vec![format2_plant()],
        (None, Some(_)) => vec![format1_plant()],
        (None, None) => vec![format1_plant(), format2_plant()],
    };
    if numpy {
        return numpy_bench::compare(&plants, runs);
    }
    let mut times_ms = vec![Vec::with_capacity(usize::from(runs)); plants.len()];
    // The plants' runs alternate, so a drift in the machine's speed affects both alike.
    for _ in 0..runs.max(1) {
        for ((name, project), times_ms) in plants.iter().zip(&mut times_ms) {
            times_ms.push(timed_engine_run(name, project)?.1);
        }
    }
    for ((name, project), times_ms) in plants.iter().zip(&mut times_ms) {
        times_ms.sort_by(f64::total_cmp);
        println!(
            "{name}: {} on {} threads: median {:.1} ms, min {:.1} ms, max {:.1} ms over {} runs (engine + JSON)",
            plant_size(project),
            rayon::current_num_threads(),
            times_ms[times_ms.len() / 2],
            times_ms[0],
            times_ms[times_ms.len() - 1],
            times_ms.len()
        );
    }
    Ok(())
}

/// One run as `bench` times it, in this process: the engine and the JSON document
/// (what `recommend --json` computes); the figures and the milliseconds it took.
fn timed_engine_run(
    name: &str,
    project: &project::Project,
) -> Result<(engine::Recommendation, f64), Failure> {
    let started = std::time::Instant::now();
    let recommendation = engine::recommend(project, &RunOptions::default())
        .map_err(|err| run_failure(Path::new(name), err))?;
    std::hint::black_box(json::document(project, &recommendation, None));
    Ok((recommendation, started.elapsed().as_secs_f64() * 1000.0))
}

/// "8 materials x 6 products x 5 scenarios x 60 months x 10000 paths": what a bench ran.
fn plant_size(project: &project::Project) -> String {
    format!(
        "{} materials x {} products x {} scenarios x {} months x {} paths",
        project.materials.len(),
        project.products.len(),
        project.scenarios.len(),
        project.horizon_months,
        project.paths
    )
}

fn format1_plant() -> (String, project::Project) {
    (
        "format-1 reference plant".to_owned(),
        crate::reference::reference_plant(),
    )
}

fn format2_plant() -> (String, project::Project) {
    (
        "format-2 reference plant".to_owned(),
        crate::reference::reference_plant_format2(),
    )
}
