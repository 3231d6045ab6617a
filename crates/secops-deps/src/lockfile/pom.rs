//! `pom.xml` (Maven).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct Pom;

impl Parser for Pom {
    fn format(&self) -> &'static str {
        "pom.xml"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Maven
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n == "pom.xml"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
