//! The `stockpile-planner` binary: the desktop app, or a headless subcommand.

use std::process::ExitCode;

use clap::Parser;
use stockpile_planner::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            use clap::error::ErrorKind;
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) {
                let _ = err.print();
                return ExitCode::SUCCESS;
            }
            // One sentence, not clap's usage block: its message up to the usage, on
            // one line, so "the following required arguments were not provided" names them.
            let text = err.to_string();
            let sentence: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|line| !line.is_empty() && !line.starts_with("Usage:"))
                .collect();
            let sentence = sentence.join(" ");
            let sentence = sentence.trim_start_matches("error: ");
            let sentence = if sentence.is_empty() {
                "invalid arguments"
            } else {
                sentence
            };
            eprintln!("{sentence} (see --help)");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Some(command) => run(command),
        None => open_app(cli.file),
    }
}

#[cfg(feature = "gui")]
fn open_app(file: Option<std::path::PathBuf>) -> ExitCode {
    stockpile_planner::app::run(file)
}

/// A headless build (`--no-default-features`) has the subcommands only.
#[cfg(not(feature = "gui"))]
fn open_app(_file: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "this build of stockpile-planner has no desktop app (built without the `gui` feature); run a subcommand (see --help)"
    );
    ExitCode::from(2)
}
