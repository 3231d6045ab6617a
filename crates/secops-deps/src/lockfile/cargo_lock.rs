//! `Cargo.lock` (CratesIo).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct CargoLock;

impl Parser for CargoLock {
    fn format(&self) -> &'static str {
        "Cargo.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::CratesIo
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "Cargo.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
