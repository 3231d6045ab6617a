//! `pdm.lock` (PyPI).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct PdmLock;

impl Parser for PdmLock {
    fn format(&self) -> &'static str {
        "pdm.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "pdm.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
