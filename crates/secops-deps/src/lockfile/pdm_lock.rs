//! `pdm.lock` (PyPI).
//!
//! Every `[[package]]` with a version is reported with the line of its `name`; editable and
//! local `path` packages are skipped. Groups from the package's `groups`: `default` → Prod,
//! only other groups (dev-dependency or optional groups: the lockfile does not tell them
//! apart) → Dev; no `groups` (old lock format) → Prod.

use super::js_common::{self, PackageSet};
use super::py_common::{read_toml, span_line};
use super::util::{utf8, Lines};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;
use serde::Deserialize;
use toml::Spanned;

pub struct PdmLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Spanned<String>,
    version: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    editable: bool,
    path: Option<String>,
}

impl Parser for PdmLock {
    fn format(&self) -> &'static str {
        "pdm.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "pdm.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let lines = Lines::new(text.as_bytes());
        let lock: Lock = read_toml(input.rel_path, text, &lines)?;
        let mut set = PackageSet::new();
        let mut warnings = Vec::new();
        for e in &lock.package {
            if e.editable || e.path.is_some() {
                continue;
            }
            let line = span_line(&lines, &e.name);
            let Some(version) = &e.version else {
                warnings.push(Warning {
                    file: input.rel_path.to_string(),
                    line,
                    message: format!("{}: no version, skipped", e.name.get_ref()),
                });
                continue;
            };
            let group = match &e.groups {
                Some(g) if !g.is_empty() && !g.iter().any(|g| g == "default") => DepGroup::Dev,
                _ => DepGroup::Prod,
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
