//! `pyproject.toml` (PyPI).

use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;

pub struct PyProject;

impl Parser for PyProject {
    fn format(&self) -> &'static str {
        "pyproject.toml"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n == "pyproject.toml"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        super::not_yet(input, self.format())
    }
}
