//! `go.mod` (Go).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct GoMod;

impl Parser for GoMod {
    fn format(&self) -> &'static str {
        "go.mod"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Go
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "go.mod"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
