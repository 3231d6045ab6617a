//! Lockfile and manifest parsers: one module per format, all listed in [`PARSERS`].
//!
//! A parser turns the bytes of one file into [`Package`]s (with 1-based lines) and warnings.
//! It never panics; input it cannot read is a [`DepsError::Parse`] naming file and line.

use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::Package;
use std::path::Path;

pub mod util;

pub mod bun;
pub mod cargo_lock;
pub mod composer;
pub mod csproj;
pub mod gemfile_lock;
pub mod go_mod;
pub mod go_sum;
pub mod gradle_lock;
pub mod npm_lock;
pub mod nuget_lock;
pub mod packages_config;
pub mod pdm_lock;
pub mod pipfile_lock;
pub mod pnpm_lock;
pub mod poetry_lock;
pub mod pom;
pub mod pylock;
pub mod pyproject;
pub mod requirements;
pub mod uv_lock;
pub mod yarn_lock;

// Helpers shared by the parsers.
pub mod js_common;
pub mod json_lines;
pub mod py_common;
pub mod version_range;
pub mod xml_common;

/// What a parser is given.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The scanned root (absolute or as given); `rel_path` is relative to it.
    pub root: &'a Path,
    /// The file on disk (for formats that read siblings: `-r` includes, local Maven parents,
    /// `go.sum` beside `go.mod`).
    pub path: &'a Path,
    /// Path relative to the root, forward slashes: goes into [`Package::file`] and errors.
    pub rel_path: &'a str,
    pub bytes: &'a [u8],
}

/// Something a user should know about a file that was otherwise read (an unpinned requirement,
/// an entry that was skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// What a parser returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub packages: Vec<Package>,
    pub warnings: Vec<Warning>,
}

/// Lockfiles pin the full tree; manifests (pyproject.toml, pom.xml, .csproj, requirements with
/// ranges) declare direct dependencies. A manifest is skipped when a lockfile of the same
/// ecosystem sits in the same directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Lockfile,
    Manifest,
}

pub trait Parser: Sync {
    /// Short format name shown in `--list-packages` and notices (`package-lock.json`).
    fn format(&self) -> &'static str;
    fn ecosystem(&self) -> Ecosystem;
    fn kind(&self) -> FileKind;
    /// Does this parser handle a file with this name (no directories)?
    fn matches(&self, file_name: &str) -> bool;
    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError>;
}

/// Every parser. The first whose [`Parser::matches`] accepts a file name handles the file.
pub static PARSERS: &[&dyn Parser] = &[
    &npm_lock::NpmLock,
    &yarn_lock::YarnLock,
    &pnpm_lock::PnpmLock,
    &bun::BunLock,
    &requirements::Requirements,
    &poetry_lock::PoetryLock,
    &pipfile_lock::PipfileLock,
    &uv_lock::UvLock,
    &pdm_lock::PdmLock,
    &pylock::PyLock,
    &pyproject::PyProject,
    &go_mod::GoMod,
    &go_sum::GoSum,
    &cargo_lock::CargoLock,
    &pom::Pom,
    &gradle_lock::GradleLock,
    &gemfile_lock::GemfileLock,
    &composer::ComposerLock,
    &nuget_lock::NuGetLock,
    &packages_config::PackagesConfig,
    &csproj::Csproj,
];

/// The parser for a file name, if any.
pub fn parser_for(file_name: &str) -> Option<&'static dyn Parser> {
    PARSERS.iter().copied().find(|p| p.matches(file_name))
}
