//! `pylock.toml` / `pylock.<name>.toml` (PyPI, PEP 751).
//!
//! Every `[[packages]]` entry with a `version` is reported with the line of its `name`;
//! entries without one (allowed for VCS, directory and archive sources) are skipped with a
//! warning. Groups from the entry's `marker`: one that tests `dependency_groups` → Dev, one
//! that tests `extras` → Optional, otherwise Prod.

use super::js_common::{self, PackageSet};
use super::py_common::{read_toml, span_line};
use super::util::{utf8, Lines};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;
use serde::Deserialize;
use toml::Spanned;

pub struct PyLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Spanned<String>,
    version: Option<String>,
    marker: Option<String>,
}

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
        let text = utf8(input.rel_path, input.bytes)?;
        let lines = Lines::new(text.as_bytes());
        let lock: Lock = read_toml(input.rel_path, text, &lines)?;
        let mut set = PackageSet::new();
        let mut warnings = Vec::new();
        for e in &lock.packages {
            let line = span_line(&lines, &e.name);
            let Some(version) = &e.version else {
                warnings.push(Warning {
                    file: input.rel_path.to_string(),
                    line,
                    message: format!("{}: no version in pylock.toml, skipped", e.name.get_ref()),
                });
                continue;
            };
            let marker = e.marker.as_deref().unwrap_or_default();
            let group = if marker.contains("dependency_groups") {
                DepGroup::Dev
            } else if marker.contains("extras") {
                DepGroup::Optional
            } else {
                DepGroup::Prod
            };
            set.add(js_common::locked(
                Ecosystem::PyPI,
                e.name.get_ref(),
                version,
                group,
                input.rel_path,
                line,
            ));
        }
        Ok(Parsed {
            packages: set.into_vec(),
            warnings,
        })
    }
}
