//! One module per subcommand.

pub mod comply;
pub mod db;
pub mod deps;
pub mod hook;
pub mod rules;
pub mod scan;

use crate::cli::{Cli, Command};

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Deps(args) => deps::run(&args),
        Command::Comply(args) => comply::run(&args),
        Command::Db(cmd) => db::run(&cmd),
        Command::Rules(args) => rules::run(&args),
        Command::Hook(cmd) => hook::run(&cmd),
    }
}
