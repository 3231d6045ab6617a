//! Command-line interface.

use clap::{Args, Parser, Subcommand, ValueEnum};
use secops_core::Severity;
use secops_deps::Ecosystem;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "secops",
    version,
    about = "Find hardcoded secrets, insecure code, known-vulnerable dependencies and compliance gaps in a source tree, offline and fast.",
    long_about = None,
    after_help = "Exit codes: 0 nothing at or above the fail threshold (default: high), 1 high, 2 critical, 3 secops could not run (`secops comply`: 0 ready, 1 gaps, 2 critical gaps, 3 could not run).\nDocs: README.md; rule catalog: `secops rules`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a directory or file for hardcoded secrets and insecure code (also git history or
    /// staged changes, secrets only).
    Scan(ScanArgs),
    /// Find known-vulnerable dependencies in lockfiles and manifests (offline, OSV database).
    Deps(DepsArgs),
    /// Compliance readiness for SOC 2, PCI DSS v4.0, HIPAA and GDPR: each control with its
    /// status and file:line evidence, and a score per framework (indicative, not a
    /// certification).
    Comply(ComplyArgs),
    /// Manage the local OSV vulnerability database used by `secops deps`.
    #[command(subcommand)]
    Db(DbCommand),
    /// List the rule catalog.
    Rules(RulesArgs),
    /// Manage git hooks.
    #[command(subcommand)]
    Hook(HookCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
}

/// Options every reporting command shares.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Shortcut for --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show only findings at or above this severity.
    #[arg(long, value_name = "SEV", value_parser = parse_severity, default_value = "info")]
    pub severity: Severity,
    /// Exit non-zero when a finding is at or above this severity.
    #[arg(long, value_name = "SEV", value_parser = parse_severity, default_value = "high")]
    pub fail_on: Severity,
    /// Always exit 0 when the scan ran (findings or not).
    #[arg(long)]
    pub exit_zero: bool,
    /// More detail: list every skipped file and notice (repeat for timing).
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// No progress bar and no summary on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl OutputArgs {
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directory or file to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Configuration file (default: PATH/.secops.toml when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Scan only the changes staged for commit (for pre-commit hooks).
    #[arg(long, conflicts_with = "git_history")]
    pub staged: bool,
    /// Scan the lines added by every commit on every ref of the repository.
    #[arg(long)]
    pub git_history: bool,
    /// Do not honour .gitignore, .ignore and git exclude files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Skip files larger than this (bytes, or with a K/M/G suffix).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Show secrets in clear in every output (redacted by default).
    #[arg(long)]
    pub show_secrets: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every finding of this run to a baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Run only these engines (comma-separated): secrets, sast, iac.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "ENGINE")]
    pub only: Vec<Engine>,
    /// Static analysis only for these languages (comma-separated): python, javascript,
    /// typescript, java, go.
    #[arg(long, value_delimiter = ',', value_name = "LANG", value_parser = parse_lang)]
    pub lang: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DepsArgs {
    /// Directory (or one lockfile) to check.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Configuration file (default: PATH/.secops.toml when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Vulnerability database folder (`<Ecosystem>/all.zip` layout); default: $SECOPS_DB_DIR,
    /// else the user cache folder (see `secops db status`).
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// Never use the network (no automatic first download of the database).
    #[arg(long)]
    pub offline: bool,
    /// Leave out development dependencies.
    #[arg(long)]
    pub no_dev: bool,
    /// Output the dependency inventory instead of vulnerabilities (no database needed).
    #[arg(long)]
    pub list_packages: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every finding of this run to a baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Do not honour .gitignore, .ignore and git exclude files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Skip lockfiles larger than this (bytes, or with a K/M/G suffix; default 64M).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

/// Which frameworks `secops comply` evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FrameworkArg {
    Soc2,
    PciDss,
    Hipaa,
    Gdpr,
    All,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every selected framework scores >= 90% with no failing critical control, 1 below that, 2 a score below 50% or nothing could be assessed, 3 secops could not run.\nVerdicts are indicative evidence from the repository's files, not a certification."
)]
pub struct ComplyArgs {
    /// Directory to assess.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Frameworks to evaluate (repeat or comma-separate).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "all",
        value_name = "FRAMEWORK"
    )]
    pub framework: Vec<FrameworkArg>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Shortcut for --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// More detail: passing evidence, n/a reasons, facts and notices.
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// No progress bar and no summary on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Always exit 0 when the assessment ran.
    #[arg(long)]
    pub exit_zero: bool,
    /// Configuration file (default: PATH/.secops.toml when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not run the secrets scan (its findings are evidence for control.secrets-no-hardcoded).
    #[arg(long)]
    pub no_secrets: bool,
    /// Do not honour .gitignore, .ignore and git exclude files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Skip files larger than this (bytes, or with a K/M/G suffix).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

impl ComplyArgs {
    /// The shared output options (`--severity`/`--fail-on` do not apply to comply).
    pub fn output_args(&self) -> OutputArgs {
        OutputArgs {
            format: self.format,
            json: self.json,
            output: self.output.clone(),
            severity: Severity::Info,
            fail_on: Severity::Critical,
            exit_zero: self.exit_zero,
            verbose: self.verbose,
            quiet: self.quiet,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Download the per-ecosystem OSV exports from osv.dev (conditional requests; only what
    /// changed is fetched).
    Update(DbUpdateArgs),
    /// Install OSV data from a zip, a folder of `<Ecosystem>/all.zip` or a folder of `*.json`
    /// records (for air-gapped machines).
    Import {
        /// The zip or folder to import.
        path: PathBuf,
        /// Database folder (default: $SECOPS_DB_DIR, else the user cache folder).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
    },
    /// Show the database folder, its age and advisory counts per ecosystem.
    Status {
        /// Database folder (default: $SECOPS_DB_DIR, else the user cache folder).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = DbFormat::Text)]
        format: DbFormat,
        /// Shortcut for --format json.
        #[arg(long, conflicts_with = "format")]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct DbUpdateArgs {
    /// Database folder (default: $SECOPS_DB_DIR, else the user cache folder).
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// Only these ecosystems (repeat or comma-separate): npm, PyPI, Go, crates.io, Maven,
    /// RubyGems, Packagist, NuGet. Default: all.
    #[arg(long, value_name = "NAME", value_delimiter = ',', value_parser = parse_ecosystem)]
    pub ecosystem: Vec<Ecosystem>,
    /// Download even when the server says the installed copy is current.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DbFormat {
    Text,
    Json,
}

/// An ecosystem by its OSV name, case-insensitive, or a common nickname (`cargo`, `pip`, ...).
pub fn parse_ecosystem(s: &str) -> Result<Ecosystem, String> {
    let lower = s.trim().to_ascii_lowercase();
    if let Some(e) = Ecosystem::ALL
        .into_iter()
        .find(|e| e.osv_name().eq_ignore_ascii_case(&lower))
    {
        return Ok(e);
    }
    match lower.as_str() {
        "crates" | "cargo" | "rust" => Ok(Ecosystem::CratesIo),
        "pip" | "python" => Ok(Ecosystem::PyPI),
        "golang" => Ok(Ecosystem::Go),
        "gem" | "gems" | "ruby" => Ok(Ecosystem::RubyGems),
        "composer" | "php" => Ok(Ecosystem::Packagist),
        "node" | "yarn" | "pnpm" => Ok(Ecosystem::Npm),
        "gradle" | "java" => Ok(Ecosystem::Maven),
        "dotnet" | ".net" => Ok(Ecosystem::NuGet),
        _ => Err(format!(
            "unknown ecosystem '{s}' (expected one of: {})",
            Ecosystem::ALL
                .iter()
                .map(|e| e.osv_name())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    Secrets,
    Sast,
    /// Infrastructure-as-code checks (Terraform, Kubernetes, Dockerfile, GitHub Actions).
    Iac,
}

fn parse_lang(s: &str) -> Result<String, String> {
    match s.to_ascii_lowercase().as_str() {
        l @ ("python" | "py" | "javascript" | "js" | "typescript" | "ts" | "java" | "go"
        | "golang") => Ok(l.to_string()),
        other => Err(format!(
            "unknown language '{other}' (expected python, javascript, typescript, java or go)"
        )),
    }
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Shortcut for --format json.
    #[arg(long)]
    pub json: bool,
    /// Configuration file whose custom rules and disables apply.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write a git pre-commit hook that runs `secops scan --staged`.
    Install {
        /// Repository (default: the current directory).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Replace an existing pre-commit hook.
        #[arg(long)]
        force: bool,
    },
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

/// `10M`, `512k`, `1G`, `1048576`, `10MiB`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (num, unit) = lower.split_at(digits_end);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid size '{s}' (examples: 1048576, 512K, 10M, 1G)"))?;
    let mult: u64 = match unit.trim() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => 1024 * 1024 * 1024,
        _ => return Err(format!("invalid size unit in '{s}' (use K, M or G)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("size '{s}' is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10M"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("10X").is_err());
    }

    #[test]
    fn ecosystems() {
        assert_eq!(parse_ecosystem("pypi"), Ok(Ecosystem::PyPI));
        assert_eq!(parse_ecosystem("crates.io"), Ok(Ecosystem::CratesIo));
        assert_eq!(parse_ecosystem("cargo"), Ok(Ecosystem::CratesIo));
        assert_eq!(parse_ecosystem("NuGet"), Ok(Ecosystem::NuGet));
        assert!(parse_ecosystem("debian").unwrap_err().contains("crates.io"));
    }
}
