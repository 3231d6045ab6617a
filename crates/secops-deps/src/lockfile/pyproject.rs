//! `pyproject.toml` (PyPI manifest): direct dependencies only.
//!
//! - PEP 621 `[project] dependencies` → Prod, `[project.optional-dependencies]` → Optional
//!   (PEP 508 strings).
//! - PEP 735 `[dependency-groups]` → Dev (`{include-group = ...}` items are skipped: the
//!   included group is read on its own).
//! - Poetry `[tool.poetry.dependencies]` → Prod (Optional with `optional = true`),
//!   `[tool.poetry.group.<g>.dependencies]` → Prod for `main`, Dev for any other group (dev,
//!   test, docs, ...: groups are never part of the published requirements), the old
//!   `[tool.poetry.dev-dependencies]` → Dev. `python` is skipped.
//! - Versions: an exact pin (`==x`, Poetry `x` / `=x`) is pinned; any range gives the lowest
//!   allowed version with an "unpinned requirement" warning (`^2.1` → 2.1, `>=1,<2` → 1,
//!   `*` → 0). URL, git and path dependencies are skipped with a warning. The line is the line
//!   of the requirement string or Poetry key.

use super::js_common::{self, PackageSet};
use super::py_common::{
    lowest_allowed, parse_requirement, poetry_lowest, read_toml, span_line, specs_text,
    unpinned_message,
};
use super::util::{parse_error, utf8, Lines};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::{Spanned, Value};

pub struct PyProject;

#[derive(Deserialize)]
struct Doc {
    project: Option<Project>,
    #[serde(default, rename = "dependency-groups")]
    dependency_groups: BTreeMap<String, Vec<Spanned<Value>>>,
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Project {
    #[serde(default)]
    dependencies: Vec<Spanned<String>>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
struct Tool {
    poetry: Option<Poetry>,
}

/// Poetry dependency tables: name → constraint string, table or array of tables.
type PoetryDeps = BTreeMap<Spanned<String>, Value>;

#[derive(Deserialize)]
struct Poetry {
    #[serde(default)]
    dependencies: PoetryDeps,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: PoetryDeps,
    #[serde(default)]
    group: BTreeMap<String, PoetryGroup>,
}

#[derive(Deserialize)]
struct PoetryGroup {
    #[serde(default)]
    dependencies: PoetryDeps,
}

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
        let text = utf8(input.rel_path, input.bytes)?;
        let lines = Lines::new(text.as_bytes());
        let doc: Doc = read_toml(input.rel_path, text, &lines)?;
        let mut out = Out {
            file: input.rel_path,
            lines: &lines,
            set: PackageSet::new(),
            warnings: Vec::new(),
        };
        if let Some(p) = &doc.project {
            for r in &p.dependencies {
                out.pep508(r.get_ref(), span_line(&lines, r), DepGroup::Prod)?;
            }
            for r in p.optional_dependencies.values().flatten() {
                out.pep508(r.get_ref(), span_line(&lines, r), DepGroup::Optional)?;
            }
        }
        for item in doc.dependency_groups.values().flatten() {
            if let Value::String(s) = item.get_ref() {
                out.pep508(s, span_line(&lines, item), DepGroup::Dev)?;
            }
        }
        if let Some(poetry) = doc.tool.as_ref().and_then(|t| t.poetry.as_ref()) {
            out.poetry(&poetry.dependencies, DepGroup::Prod);
            out.poetry(&poetry.dev_dependencies, DepGroup::Dev);
            for (name, g) in &poetry.group {
                let group = if name == "main" {
                    DepGroup::Prod
                } else {
                    DepGroup::Dev
                };
                out.poetry(&g.dependencies, group);
            }
        }
        Ok(Parsed {
            packages: out.set.into_vec(),
            warnings: js_common::sort_warnings(out.warnings),
        })
    }
}

/// Packages and warnings being gathered.
struct Out<'a> {
    file: &'a str,
    lines: &'a Lines,
    set: PackageSet,
    warnings: Vec<Warning>,
}

impl Out<'_> {
    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(Warning {
            file: self.file.to_string(),
            line,
            message,
        });
    }

    /// Record a dependency, warning when it is not pinned.
    fn add(
        &mut self,
        name: &str,
        constraint: &str,
        (version, pinned): (String, bool),
        group: DepGroup,
        line: usize,
    ) {
        if !pinned {
            self.warn(line, unpinned_message(name, constraint, &version));
        }
        self.set.add(Package {
            ecosystem: Ecosystem::PyPI,
            name: name.to_string(),
            version,
            pinned,
            group,
            file: self.file.to_string(),
            line,
        });
    }

    /// A PEP 508 string; an unreadable one is a parse error.
    fn pep508(&mut self, s: &str, line: usize, group: DepGroup) -> Result<(), DepsError> {
        let req = parse_requirement(s).map_err(|m| {
            parse_error(
                self.file,
                Some(line),
                format!("invalid requirement {s:?}: {m}"),
            )
        })?;
        if req.url.is_some() {
            self.warn(line, format!("not a registry requirement, skipped: {s}"));
            return Ok(());
        }
        let constraint = specs_text(&req.specs);
        self.add(
            &req.name,
            &constraint,
            lowest_allowed(&req.specs),
            group,
            line,
        );
        Ok(())
    }

    /// A Poetry dependency table.
    fn poetry(&mut self, deps: &PoetryDeps, group: DepGroup) {
        for (name, value) in deps {
            let line = span_line(self.lines, name);
            let name = name.get_ref();
            if name.eq_ignore_ascii_case("python") {
                continue;
            }
            match value {
                Value::Array(alternatives) => {
                    for v in alternatives {
                        self.poetry_one(name, v, group, line);
                    }
                }
                v => self.poetry_one(name, v, group, line),
            }
        }
    }

    /// One Poetry constraint: a string or a `{ version = ..., optional = ... }` table.
    fn poetry_one(&mut self, name: &str, value: &Value, group: DepGroup, line: usize) {
        let (constraint, group) = match value {
            Value::String(s) => (s.as_str(), group),
            Value::Table(t) => {
                let optional = t.get("optional").and_then(Value::as_bool) == Some(true);
                let group = if optional && group == DepGroup::Prod {
                    DepGroup::Optional
                } else {
                    group
                };
                match t.get("version").and_then(Value::as_str) {
                    Some(v) => (v, group),
                    None if ["git", "path", "url", "file"]
                        .iter()
                        .any(|k| t.contains_key(*k)) =>
                    {
                        self.warn(line, format!("{name}: not a registry dependency, skipped"));
                        return;
                    }
                    None => ("*", group),
                }
            }
            _ => {
                self.warn(line, format!("{name}: unreadable constraint, skipped"));
                return;
            }
        };
        match poetry_lowest(constraint) {
            Some(v) => self.add(name, constraint, v, group, line),
            None => self.warn(
                line,
                format!("{name}: unreadable constraint {constraint:?}, skipped"),
            ),
        }
    }
}
