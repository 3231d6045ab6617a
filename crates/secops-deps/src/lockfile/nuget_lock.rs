//! `packages.lock.json` (NuGet).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct NuGetLock;

impl Parser for NuGetLock {
    fn format(&self) -> &'static str {
        "packages.lock.json"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::NuGet
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "packages.lock.json"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
