//! `gradle.lockfile` (Maven).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct GradleLock;

impl Parser for GradleLock {
    fn format(&self) -> &'static str {
        "gradle.lockfile"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Maven
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "gradle.lockfile" || n == "buildscript-gradle.lockfile"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
