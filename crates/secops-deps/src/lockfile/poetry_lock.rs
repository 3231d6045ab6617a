//! `poetry.lock` (PyPI).
//!
//! Every `[[package]]` with a name and version is reported, with the line of its `name`.
//! Groups: Poetry 1.x `category = "dev"` → Dev; Poetry 2 `groups = [...]` → Prod when it
//! holds `main`, Dev otherwise; `optional = true` (an extra) → Optional; files that carry
//! neither (lock 2.0 from Poetry 1.5–1.8) → Prod. Local `directory` / `file` sources are the
//! user's own code: skipped with a warning.

use super::js_common::{self, PackageSet};
use super::py_common::{read_toml, span_line};
use super::util::{utf8, Lines};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;
use serde::Deserialize;
use toml::Spanned;

pub struct PoetryLock;

/// The parts of the file that are read.
#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Spanned<String>,
    version: Option<String>,
    category: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    optional: bool,
    source: Option<Source>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
}

impl Entry {
    fn group(&self) -> DepGroup {
        if self.optional {
            return DepGroup::Optional;
        }
        match (&self.category, &self.groups) {
            (Some(c), _) if c == "dev" => DepGroup::Dev,
            (_, Some(g)) if !g.is_empty() && !g.iter().any(|g| g == "main") => DepGroup::Dev,
            _ => DepGroup::Prod,
        }
    }
}

impl Parser for PoetryLock {
    fn format(&self) -> &'static str {
        "poetry.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "poetry.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let lines = Lines::new(text.as_bytes());
        let lock: Lock = read_toml(input.rel_path, text, &lines)?;
        let mut set = PackageSet::new();
        let mut warnings = Vec::new();
        for e in &lock.package {
            let line = span_line(&lines, &e.name);
            let name = e.name.get_ref();
            let local = e
                .source
                .as_ref()
                .and_then(|s| s.kind.as_deref())
                .is_some_and(|k| k == "directory" || k == "file");
            let version = match &e.version {
                Some(v) if !local => v,
                _ => {
                    let why = if local { "local package" } else { "no version" };
                    warnings.push(Warning {
                        file: input.rel_path.to_string(),
                        line,
                        message: format!("{name}: {why}, skipped"),
                    });
                    continue;
                }
            };
            set.add(js_common::locked(
                Ecosystem::PyPI,
                name,
                version,
                e.group(),
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
