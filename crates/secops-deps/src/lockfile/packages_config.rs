//! `packages.config` (NuGet).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct PackagesConfig;

impl Parser for PackagesConfig {
    fn format(&self) -> &'static str {
        "packages.config"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::NuGet
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n == "packages.config"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
