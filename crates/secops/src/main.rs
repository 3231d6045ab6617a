//! secops: one binary for secrets, code, dependency and compliance checks.

mod cli;
mod commands;
mod exit;
mod progress;
mod report;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the analysis allocates many small short-lived maps and strings; glibc's allocator
/// took a quarter of the SAST pass's instructions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            let code = match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => 0,
                _ => exit::TOOL_ERROR,
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("secops: error: {e:#}");
            ExitCode::from(exit::TOOL_ERROR)
        }
    }
}
