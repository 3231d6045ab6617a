//! `*.csproj` (NuGet).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct Csproj;

impl Parser for Csproj {
    fn format(&self) -> &'static str {
        "*.csproj"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::NuGet
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n.ends_with(".csproj")
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
