//! `bench --numpy`: the engine against `bench/numpy_model.py`, the same model as a
//! Python analyst would write it with numpy, on the same projects, their runs
//! alternating so a drift in the machine's speed affects both alike (issue 18: the
//! speed target is this ratio).
//!
//! Each run times four things: the engine in this process (as `bench` does), this
//! program as a whole process (`recommend FILE.ron --json`), and the numpy model as
//! a whole process (`python3 bench/numpy_model.py FILE.json`), which reports how long
//! its interpreter took to start, numpy to import and the model to compute, so the
//! computation is compared with the computation and the process with the process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::Failure;
use crate::project::{self, Project};

/// Where the numpy model lives: beside the sources this program was built from
/// (`bench` is a developer's command, run from a checkout).
fn script_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/numpy_model.py")
}

/// What the numpy model prints with `--json`: its phases' times and its headline
/// figure per material.
#[derive(Deserialize)]
struct NumpyRun {
    /// From this program starting the process to the script's first line.
    startup_ms: f64,
    import_ms: f64,
    compute_ms: f64,
    materials: Vec<NumpyMaterial>,
}

#[derive(Deserialize)]
struct NumpyMaterial {
    id: String,
    recommended_stock_kg: f64,
}

/// One project's runs: milliseconds per run of each side, and the last run's figures.
#[derive(Default)]
struct Timings {
    engine_ms: Vec<f64>,
    process_ms: Vec<f64>,
    process_cpu_ms: Vec<f64>,
    numpy_compute_ms: Vec<f64>,
    numpy_process_ms: Vec<f64>,
    numpy_process_cpu_ms: Vec<f64>,
    numpy_startup_ms: Vec<f64>,
    numpy_import_ms: Vec<f64>,
    engine_stock_kg: Vec<(String, f64)>,
    numpy_stock_kg: Vec<(String, f64)>,
}

/// The project as each side reads it: RON for this program, JSON for the script.
struct Files {
    ron: PathBuf,
    json: PathBuf,
}

pub fn compare(plants: &[(String, Project)], runs: u16) -> Result<(), Failure> {
    let script = script_path();
    if !script.is_file() {
        return Err(Failure::other(format!(
            "{}: the numpy model is not there (run `bench --numpy` from a checkout)",
            script.display()
        )));
    }
    let python = find_python_with_numpy()?;
    let program = std::env::current_exe()
        .map_err(|err| Failure::other(format!("cannot find this program's own file: {err}")))?;
    let dir = tempfile::tempdir()
        .map_err(|err| Failure::other(format!("cannot create a temporary folder: {err}")))?;
    let files = plants
        .iter()
        .enumerate()
        .map(|(index, (_, project))| write_files(dir.path(), index, project))
        .collect::<Result<Vec<_>, _>>()?;
    let commands = Commands {
        program: &program,
        python: &python,
        script: &script,
    };
    let mut timings: Vec<Timings> = plants.iter().map(|_| Timings::default()).collect();
    for _ in 0..runs.max(1) {
        for (((name, project), files), timings) in plants.iter().zip(&files).zip(&mut timings) {
            run_once(name, project, files, &commands, timings)?;
        }
    }
    for ((name, project), timings) in plants.iter().zip(&mut timings) {
        print_comparison(name, project, timings);
    }
    Ok(())
}

/// The interpreter `python3` runs (not a launcher such as pyenv's shim, whose own
/// start would count against numpy), or one line saying what is missing when python3
/// or numpy is, rather than timing a failure.
fn find_python_with_numpy() -> Result<PathBuf, Failure> {
    let output = Command::new("python3")
        .args(["-c", "import sys, numpy; print(sys.executable)"])
        .stdin(Stdio::null())
        .output()
        .map_err(|err| {
            Failure::other(format!(
                "`bench --numpy` needs python3 with numpy, and python3 cannot be run: {err}"
            ))
        })?;
    let executable = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if output.status.success() && !executable.is_empty() {
        Ok(PathBuf::from(executable))
    } else {
        Err(Failure::other(
            "`bench --numpy` needs numpy, and python3 cannot import it (pip install numpy)",
        ))
    }
}

fn write_files(dir: &Path, index: usize, project: &Project) -> Result<Files, Failure> {
    let files = Files {
        ron: dir.join(format!("plant{index}.ron")),
        json: dir.join(format!("plant{index}.json")),
    };
    project::save_file(project, &files.ron).map_err(|err| Failure::other(err.to_string()))?;
    let text = serde_json::to_string(project)
        .map_err(|err| Failure::other(format!("cannot write the project as JSON: {err}")))?;
    std::fs::File::create(&files.json)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|err| Failure::other(format!("{}: {err}", files.json.display())))?;
    Ok(files)
}

/// What each run starts: this program, the Python interpreter and the numpy model.
struct Commands<'a> {
    program: &'a Path,
    python: &'a Path,
    script: &'a Path,
}

fn run_once(
    name: &str,
    project: &Project,
    files: &Files,
    commands: &Commands,
    timings: &mut Timings,
) -> Result<(), Failure> {
    let Commands {
        program,
        python,
        script,
    } = *commands;
    let (recommendation, engine_ms) = super::timed_engine_run(name, project)?;
    timings.engine_ms.push(engine_ms);
    timings.engine_stock_kg = project
        .materials
        .iter()
        .zip(&recommendation.materials)
        .map(|(material, figures)| (material.id.clone(), figures.recommended_stock_kg))
        .collect();

    let cpu_before_ms = children_processor_ms();
    let started = Instant::now();
    let status = Command::new(program)
        .arg("recommend")
        .arg(&files.ron)
        .arg("--json")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .map_err(|err| Failure::other(format!("cannot run {}: {err}", program.display())))?;
    timings
        .process_ms
        .push(started.elapsed().as_secs_f64() * 1000.0);
    push_processor_ms(&mut timings.process_cpu_ms, cpu_before_ms);
    if !status.success() {
        return Err(Failure::other(format!(
            "{name}: `recommend --json` failed ({status})"
        )));
    }

    let spawned_at_ns = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    let cpu_before_ms = children_processor_ms();
    let started = Instant::now();
    let output = Command::new(python)
        .arg(script)
        .arg(&files.json)
        .arg("--json")
        .arg("--spawned-at-ns")
        .arg(spawned_at_ns.to_string())
        .stdin(Stdio::null())
        .output()
        .map_err(|err| Failure::other(format!("cannot run {}: {err}", python.display())))?;
    timings
        .numpy_process_ms
        .push(started.elapsed().as_secs_f64() * 1000.0);
    push_processor_ms(&mut timings.numpy_process_cpu_ms, cpu_before_ms);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Failure::other(format!(
            "{}: the numpy model failed on {name}: {}",
            script.display(),
            stderr.trim().lines().last().unwrap_or("no message")
        )));
    }
    let run: NumpyRun = serde_json::from_slice(&output.stdout).map_err(|err| {
        Failure::other(format!(
            "{}: unreadable output on {name}: {err}",
            script.display()
        ))
    })?;
    timings.numpy_startup_ms.push(run.startup_ms);
    timings.numpy_import_ms.push(run.import_ms);
    timings.numpy_compute_ms.push(run.compute_ms);
    timings.numpy_stock_kg = run
        .materials
        .into_iter()
        .map(|material| (material.id, material.recommended_stock_kg))
        .collect();
    Ok(())
}

/// Clock ticks per second of `/proc`'s times: 100 on every Linux this runs on (the
/// standard library cannot ask `sysconf`, and no crate is added for it).
const CLOCK_TICKS_PER_SECOND: f64 = 100.0;

/// The processor time (user + system) of this process's children that have ended,
/// from `/proc/self/stat` (`cutime` + `cstime`): whole processes' processor time, to a
/// tick (10 ms). `None` where there is no `/proc`.
fn children_processor_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    // Fields 16 and 17 of proc(5), counted from the state (field 3) at index 0.
    let ticks: f64 = [13, 14]
        .iter()
        .map(|&index| fields.get(index)?.parse::<f64>().ok())
        .sum::<Option<f64>>()?;
    Some(ticks * 1000.0 / CLOCK_TICKS_PER_SECOND)
}

fn push_processor_ms(times_ms: &mut Vec<f64>, before_ms: Option<f64>) {
    if let (Some(before_ms), Some(after_ms)) = (before_ms, children_processor_ms()) {
        times_ms.push(after_ms - before_ms);
    }
}

fn median(times_ms: &mut [f64]) -> f64 {
    times_ms.sort_by(f64::total_cmp);
    times_ms
        .get(times_ms.len() / 2)
        .copied()
        .unwrap_or(f64::NAN)
}

/// The median of numpy's time over the engine's, run by run: a drift in the machine's
/// speed between runs cancels in each pair (called before the times are sorted).
fn median_ratio(numpy_ms: &[f64], engine_ms: &[f64]) -> f64 {
    let mut ratios: Vec<f64> = numpy_ms
        .iter()
        .zip(engine_ms)
        .map(|(numpy_ms, engine_ms)| numpy_ms / engine_ms)
        .collect();
    median(&mut ratios)
}

fn print_comparison(name: &str, project: &Project, timings: &mut Timings) {
    let compute_ratio = median_ratio(&timings.numpy_compute_ms, &timings.engine_ms);
    let process_ratio = median_ratio(&timings.numpy_process_ms, &timings.process_ms);
    let cpu_ratio = median_ratio(&timings.numpy_process_cpu_ms, &timings.process_cpu_ms);
    let engine_ms = median(&mut timings.engine_ms);
    let process_ms = median(&mut timings.process_ms);
    let numpy_compute_ms = median(&mut timings.numpy_compute_ms);
    let numpy_process_ms = median(&mut timings.numpy_process_ms);
    println!(
        "{name}: {}, {} runs alternating (medians):",
        super::plant_size(project),
        timings.engine_ms.len()
    );
    println!(
        "  computation: engine {engine_ms:.1} ms on {} threads (engine + JSON), numpy {numpy_compute_ms:.1} ms: numpy / engine = {:.1} (run by run {compute_ratio:.1})",
        rayon::current_num_threads(),
        numpy_compute_ms / engine_ms
    );
    println!(
        "  whole process: `recommend --json` {process_ms:.1} ms, python3 numpy_model.py {numpy_process_ms:.1} ms (interpreter start {:.1} ms, import numpy {:.1} ms): numpy / engine = {:.1} (run by run {process_ratio:.1})",
        median(&mut timings.numpy_startup_ms),
        median(&mut timings.numpy_import_ms),
        numpy_process_ms / process_ms
    );
    if !timings.process_cpu_ms.is_empty() && !timings.numpy_process_cpu_ms.is_empty() {
        let process_cpu_ms = median(&mut timings.process_cpu_ms);
        let numpy_process_cpu_ms = median(&mut timings.numpy_process_cpu_ms);
        println!(
            "  processor time (user + system) of the whole process: `recommend --json` {process_cpu_ms:.0} ms, python3 numpy_model.py {numpy_process_cpu_ms:.0} ms: numpy / engine = {:.1} (run by run {cpu_ratio:.1})",
            numpy_process_cpu_ms / process_cpu_ms
        );
    }
    println!("  recommended stock at month 0 (engine, numpy, numpy - engine):");
    for (id, engine_kg) in &timings.engine_stock_kg {
        let numpy_kg = timings
            .numpy_stock_kg
            .iter()
            .find(|(numpy_id, _)| numpy_id == id)
            .map(|(_, kg)| *kg);
        match numpy_kg {
            Some(numpy_kg) => println!(
                "    {id}: engine {engine_kg:.3} kg, numpy {numpy_kg:.3} kg, {:+.3} kg ({:+.2}%)",
                numpy_kg - engine_kg,
                100.0 * (numpy_kg - engine_kg) / engine_kg.max(f64::MIN_POSITIVE)
            ),
            None => println!("    {id}: engine {engine_kg:.3} kg, missing from the numpy model"),
        }
    }
}
