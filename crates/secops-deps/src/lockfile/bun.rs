//! `bun.lock` (Npm).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct BunLock;

impl Parser for BunLock {
    fn format(&self) -> &'static str {
        "bun.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "bun.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
