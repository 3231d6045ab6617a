//! `bun.lock` (npm): the text lockfile of bun 1.2+, JSONC (comments and trailing commas).
//!
//! `packages` maps an install path (`name`, `parent/name`, `@s/a/@s/b`) to an array whose first
//! item is `name@version` (the real name, so aliases resolve by themselves). `workspace:`,
//! `link:` and `file:` entries are skipped; git, GitHub and tarball entries are skipped with a
//! warning (no registry version). The binary `bun.lockb` is not read.
//!
//! Groups: reachability from the `workspaces`' `dependencies` (Prod), `optionalDependencies`
//! (Optional) and `devDependencies` (Dev) through each entry's metadata object
//! (`dependencies`, `optionalDependencies`), resolving a dependency `d` of the entry at path
//! `p` to `p/d`, then to the same under each ancestor of `p`, then to `d`. Unreached → Prod.

use super::js_common::{self, Graph, Json, PackageSet};
use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;
use std::collections::HashMap;

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
        let text = utf8(input.rel_path, input.bytes)?;
        let doc = js_common::parse_json(input.rel_path, text)?;
        if !doc.is_object() {
            return Err(parse_error(
                input.rel_path,
                Some(doc.line),
                "expected a JSON object",
            ));
        }
        let entries = doc.get("packages").map(Json::members).unwrap_or_default();
        let groups = groups(&doc, entries);
        let mut set = PackageSet::new();
        let mut warnings = Vec::new();
        for (i, m) in entries.iter().enumerate() {
            let Some(spec) = m.value.items().first().and_then(Json::as_str) else {
                return Err(parse_error(
                    input.rel_path,
                    Some(m.line),
                    format!("{}: expected [\"name@version\", ...]", m.key),
                ));
            };
            let Some((name, version)) = js_common::split_spec(spec) else {
                warnings.push(Warning {
                    file: input.rel_path.to_string(),
                    line: m.line,
                    message: format!("{spec}: no version, skipped"),
                });
                continue;
            };
            if ["workspace:", "link:", "file:"]
                .iter()
                .any(|p| version.starts_with(p))
            {
                continue;
            }
            if !js_common::is_plain_version(version) {
                warnings.push(Warning {
                    file: input.rel_path.to_string(),
                    line: m.line,
                    message: format!("{name}: not a registry version ({version}), skipped"),
                });
                continue;
            }
            let group = groups.get(i).copied().flatten().unwrap_or(DepGroup::Prod);
            set.add(js_common::locked(
                Ecosystem::Npm,
                name,
                version,
                group,
                input.rel_path,
                m.line,
            ));
        }
        Ok(Parsed {
            packages: set.into_vec(),
            warnings,
        })
    }
}

/// Split an install path into package names (`@s/a/b` → `["@s/a", "b"]`).
fn path_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let mut end = rest.find('/').unwrap_or(rest.len());
        if rest.starts_with('@') {
            end = rest
                .get(end + 1..)
                .and_then(|r| r.find('/'))
                .map_or(rest.len(), |e| end + 1 + e);
        }
        names.push(rest.get(..end).unwrap_or(rest));
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    names
}

/// The entry a dependency `dep` of the package at `path` resolves to (see the module docs).
fn lookup(index: &HashMap<&str, usize>, path: &str, dep: &str) -> Option<usize> {
    let names = path_names(path);
    (0..=names.len()).rev().find_map(|n| {
        let prefix = names.get(..n).unwrap_or_default().join("/");
        let key = if prefix.is_empty() {
            dep.to_string()
        } else {
            format!("{prefix}/{dep}")
        };
        index.get(key.as_str()).copied()
    })
}

/// Groups per `packages` entry by reachability from the workspaces (see the module docs).
fn groups(doc: &Json, entries: &[js_common::Member]) -> Vec<Option<DepGroup>> {
    let index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, m)| (m.key.as_str(), i))
        .collect();
    let mut graph = Graph::new(entries.len());
    for (i, m) in entries.iter().enumerate() {
        let Some(meta) = m.value.items().iter().find(|v| v.is_object()) else {
            continue;
        };
        for (section, optional) in [("dependencies", false), ("optionalDependencies", true)] {
            for d in meta.get(section).map(Json::members).unwrap_or_default() {
                if let Some(to) = lookup(&index, &m.key, &d.key) {
                    graph.add_edge(i, to, optional);
                }
            }
        }
    }
    let mut roots = Vec::new();
    for ws in doc.get("workspaces").map(Json::members).unwrap_or_default() {
        let ws_name = ws.value.str_of("name").unwrap_or_default();
        for (section, group) in [
            ("dependencies", DepGroup::Prod),
            ("optionalDependencies", DepGroup::Optional),
            ("devDependencies", DepGroup::Dev),
        ] {
            for d in ws.value.get(section).map(Json::members).unwrap_or_default() {
                if let Some(to) = lookup(&index, ws_name, &d.key) {
                    roots.push((to, group));
                }
            }
        }
    }
    graph.groups(&roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(path_names("@s/a/b/@t/c"), vec!["@s/a", "b", "@t/c"]);
        assert_eq!(path_names("a"), vec!["a"]);
        let keys = ["a", "b", "a/b", "@s/x"];
        let index: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        assert_eq!(lookup(&index, "a", "b"), Some(2));
        assert_eq!(lookup(&index, "a/c", "b"), Some(2));
        assert_eq!(lookup(&index, "c", "b"), Some(1));
        assert_eq!(lookup(&index, "", "@s/x"), Some(3));
        assert_eq!(lookup(&index, "", "zz"), None);
    }
}
