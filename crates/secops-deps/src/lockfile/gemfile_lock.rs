//! `Gemfile.lock` (RubyGems).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct GemfileLock;

impl Parser for GemfileLock {
    fn format(&self) -> &'static str {
        "Gemfile.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::RubyGems
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "Gemfile.lock" || n == "gems.locked"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
