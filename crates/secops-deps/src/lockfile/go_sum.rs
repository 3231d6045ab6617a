//! `go.sum` (Go).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct GoSum;

impl Parser for GoSum {
    fn format(&self) -> &'static str {
        "go.sum"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Go
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n == "go.sum"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
