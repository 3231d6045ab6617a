//! `pylock.toml` (PyPI).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct PyLock;

impl Parser for PyLock {
    fn format(&self) -> &'static str {
        "pylock.toml"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "pylock.toml" || (n.starts_with("pylock.") && n.ends_with(".toml"))
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
