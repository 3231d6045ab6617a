//! `composer.lock` (Packagist).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct ComposerLock;

impl Parser for ComposerLock {
    fn format(&self) -> &'static str {
        "composer.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Packagist
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "composer.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
