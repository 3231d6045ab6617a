//! `uv.lock` (PyPI).
//!
//! Every `[[package]]` is reported with the line of its `name`, except the project itself and
//! workspace members (`source = { virtual = ... }` / `{ editable = ... }`) and local
//! `directory` / `path` sources, which are skipped.
//!
//! Groups: uv.lock flags no package, so groups come from reachability from the skipped root
//! packages: their `dependencies` (Prod), `optional-dependencies` (Optional) and
//! `dev-dependencies` (Dev, PEP 735 groups), through every package's `dependencies` (and the
//! extras a dependency asks for). Packages reached from no root are Prod.

use super::js_common::{self, Graph, PackageSet};
use super::py_common::{read_toml, span_line};
use super::util::{utf8, Lines};
use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use toml::Spanned;

pub struct UvLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    source: toml::Table,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<Dep>>,
}

/// `{ name = "x", version = "1.0", extra = ["a"] }`
#[derive(Deserialize)]
struct Dep {
    name: String,
    version: Option<String>,
    #[serde(default)]
    extra: Vec<String>,
}

impl Entry {
    /// The project itself, a workspace member or a local directory / file package.
    fn is_local(&self) -> bool {
        ["virtual", "editable", "directory", "path"]
            .iter()
            .any(|k| self.source.contains_key(*k))
    }
}

impl Parser for UvLock {
    fn format(&self) -> &'static str {
        "uv.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "uv.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let lines = Lines::new(text.as_bytes());
        let lock: Lock = read_toml(input.rel_path, text, &lines)?;
        let groups = groups(&lock.package);
        let mut set = PackageSet::new();
        let mut warnings = Vec::new();
        for (i, e) in lock.package.iter().enumerate() {
            if e.is_local() {
                continue;
            }
            let line = span_line(&lines, &e.name);
            let Some(version) = &e.version else {
                warnings.push(super::Warning {
                    file: input.rel_path.to_string(),
                    line,
                    message: format!("{}: no version, skipped", e.name.get_ref()),
                });
                continue;
            };
            let group = groups.get(i).copied().flatten().unwrap_or(DepGroup::Prod);
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

/// Groups per package by reachability from the local root packages (see the module docs).
fn groups(packages: &[Entry]) -> Vec<Option<DepGroup>> {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in packages.iter().enumerate() {
        let key = Ecosystem::PyPI
            .normalize_name(e.name.get_ref())
            .into_owned();
        by_name.entry(key).or_default().push(i);
    }
    // The packages a dependency points to: by name, narrowed by version when given.
    let targets = |d: &Dep| -> Vec<usize> {
        let key = Ecosystem::PyPI.normalize_name(&d.name);
        by_name
            .get(key.as_ref())
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| {
                        d.version.is_none()
                            || packages.get(i).and_then(|p| p.version.as_ref())
                                == d.version.as_ref()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // A dependency with extras also pulls in those extras' dependencies.
    let with_extras = |d: &Dep| -> Vec<usize> {
        let mut out = targets(d);
        for t in targets(d) {
            for x in &d.extra {
                let extra_deps = packages.get(t).and_then(|p| p.optional_dependencies.get(x));
                for ed in extra_deps.into_iter().flatten() {
                    out.extend(targets(ed));
                }
            }
        }
        out
    };
    let mut graph = Graph::new(packages.len());
    let mut roots = Vec::new();
    for (i, e) in packages.iter().enumerate() {
        for d in &e.dependencies {
            for t in with_extras(d) {
                graph.add_edge(i, t, false);
            }
        }
        if !e.is_local() {
            continue;
        }
        let sections = [
            (DepGroup::Optional, &e.optional_dependencies),
            (DepGroup::Dev, &e.dev_dependencies),
        ];
        for d in &e.dependencies {
            roots.extend(with_extras(d).into_iter().map(|t| (t, DepGroup::Prod)));
        }
        for (group, section) in sections {
            for d in section.values().flatten() {
                roots.extend(with_extras(d).into_iter().map(|t| (t, group)));
            }
        }
    }
    graph.groups(&roots)
}
