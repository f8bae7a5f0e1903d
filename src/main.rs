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
            // One sentence, not clap's usage block: the first line of its message.
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            eprintln!("{} (see --help)", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Some(command) => run(command),
        None => stockpile_planner::app::run(cli.file),
    }
}
