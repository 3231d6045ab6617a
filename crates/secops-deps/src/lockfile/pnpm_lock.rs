//! `pnpm-lock.yaml` (npm): lockfile versions 5.x, 6 and 9, single or multi-document.
//!
//! - v5: `packages` keys `/name/1.0.0` with `_peer@x` suffixes; v6: `/name@1.0.0(peer@2)`;
//!   v9: `name@1.0.0` in `packages`, with the dependency graph in `snapshots`.
//! - Entries with `name` and `version` fields (tarball and git sources) use those; `link:`,
//!   `file:` and directory resolutions are skipped; keys that cannot be read are skipped with a
//!   warning.
//! - Groups: v5/v6 from the `dev` / `optional` flags. v9 has no flags: reachability from the
//!   importers' `dependencies` (Prod), `optionalDependencies` (Optional) and
//!   `devDependencies` (Dev) through the snapshots; `configDependencies` and
//!   `packageManagerDependencies` (the env document of pnpm 11+) count as Dev; unreachable
//!   packages are Prod (Optional when their snapshot says `optional: true`).
//! - pnpm 11+ may write several `---` separated documents: each is read and the packages are
//!   merged. A document that is not a lockfile mapping is an error, never an empty result.

use super::js_common::{self, Graph, PackageSet};
use super::util::{parse_error, utf8, Lines};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;
use serde_yaml_ng::{Mapping, Value};
use std::collections::HashMap;

pub struct PnpmLock;

impl Parser for PnpmLock {
    fn format(&self) -> &'static str {
        "pnpm-lock.yaml"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "pnpm-lock.yaml"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let lines = Lines::new(text.as_bytes());
        let mut ctx = Ctx {
            text,
            lines: &lines,
            file: input.rel_path,
            set: PackageSet::new(),
            warnings: Vec::new(),
        };
        for (start, end) in documents(text) {
            ctx.document(start, end)?;
        }
        Ok(Parsed {
            packages: ctx.set.into_vec(),
            warnings: ctx.warnings,
        })
    }
}

/// Byte ranges of the YAML documents of a stream (split at `---` / `...` lines), leaving out
/// documents with nothing but blank lines and comments.
fn documents(text: &str) -> Vec<(usize, usize)> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let marker =
            body == "---" || body.starts_with("--- ") || body.starts_with("---\t") || body == "...";
        if marker {
            docs.push((start, offset));
            start = offset + line.len();
        }
        offset += line.len();
    }
    docs.push((start, text.len()));
    docs.retain(|&(s, e)| {
        text.get(s..e).is_some_and(|d| {
            d.lines().any(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            })
        })
    });
    docs
}

/// The 1-based line of every entry key of the top-level mapping `section` (e.g. `packages`)
/// of a document starting at line `first_line`: one pass over the section, keys unquoted as
/// YAML reads them. The first occurrence of a key wins.
fn section_key_lines(doc: &str, first_line: usize, section: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut inside = false;
    let mut indent = None;
    for (n, line) in doc.lines().enumerate() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let this_indent = line.len() - body.len();
        if this_indent == 0 {
            inside = line
                .strip_prefix(section)
                .is_some_and(|rest| rest.starts_with(':'));
            continue;
        }
        if !inside || *indent.get_or_insert(this_indent) != this_indent {
            continue;
        }
        if let Some(key) = yaml_key(body) {
            out.entry(key).or_insert(first_line + n);
        }
    }
    out
}

/// The key of a `key:` / `key: value` line (plain, `'single'` or `"double"` quoted).
fn yaml_key(body: &str) -> Option<String> {
    if let Some(rest) = body.strip_prefix('\'') {
        let mut key = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    return Some(key);
                }
            }
            key.push(c);
        }
        return None;
    }
    if let Some(rest) = body.strip_prefix('"') {
        return rest.split_once('"').map(|(k, _)| k.to_string());
    }
    let end = body
        .find(": ")
        .or_else(|| body.strip_suffix(':').map(str::len))?;
    body.get(..end).map(str::to_string)
}

/// The string form of a scalar key or value.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn get<'v>(m: &'v Mapping, key: &str) -> Option<&'v Value> {
    m.get(key)
}

fn get_map<'v>(m: &'v Mapping, key: &str) -> Option<&'v Mapping> {
    m.get(key).and_then(Value::as_mapping)
}

fn is_true(m: &Mapping, key: &str) -> bool {
    m.get(key).and_then(Value::as_bool) == Some(true)
}

/// Strip the peer suffix `(…)` of a v6/v9 key or version.
fn strip_peers(s: &str) -> &str {
    s.split('(').next().unwrap_or(s)
}

/// (name, version) of a `packages` key under lockfile major version `major`.
fn parse_key(key: &str, major: u32) -> Option<(String, String)> {
    if major < 6 {
        // /name/1.0.0_peer@1.0.0 or /@scope/name/1.0.0
        let k = key.strip_prefix('/')?;
        let k = strip_peers(k);
        let (name, rest) = if k.starts_with('@') {
            let slash = k.find('/')?;
            let second = k.get(slash + 1..)?.find('/')? + slash + 1;
            (k.get(..second)?, k.get(second + 1..)?)
        } else {
            k.split_once('/')?
        };
        let version = rest.split('_').next().unwrap_or(rest);
        (!name.is_empty() && js_common::is_plain_version(version))
            .then(|| (name.to_string(), version.to_string()))
    } else {
        let k = key.strip_prefix('/').unwrap_or(key);
        let (name, version) = js_common::split_spec(strip_peers(k))?;
        js_common::is_plain_version(version).then(|| (name.to_string(), version.to_string()))
    }
}

/// Is this a local (`link:` / `file:` / directory) package?
fn is_local(key: &str, entry: &Mapping) -> bool {
    let local_ref = |s: &str| {
        s.contains("@link:")
            || s.contains("@file:")
            || s.starts_with("link:")
            || s.starts_with("file:")
    };
    let dir = get_map(entry, "resolution").is_some_and(|r| {
        r.contains_key("directory") || get(r, "type").and_then(Value::as_str) == Some("directory")
    });
    local_ref(key) || dir
}

/// State while reading one file.
struct Ctx<'a> {
    text: &'a str,
    lines: &'a Lines,
    file: &'a str,
    set: PackageSet,
    warnings: Vec<Warning>,
}

impl Ctx<'_> {
    /// Read one document (`start..end` of the text).
    fn document(&mut self, start: usize, end: usize) -> Result<(), DepsError> {
        let doc_text = self.text.get(start..end).unwrap_or_default();
        let first_line = self.lines.line_of(start);
        let value: Value = serde_yaml_ng::from_str(doc_text).map_err(|e| {
            let line = e.location().map(|l| l.line() + first_line - 1);
            parse_error(self.file, line.or(Some(first_line)), e.to_string())
        })?;
        let Some(doc) = value.as_mapping() else {
            return Err(parse_error(
                self.file,
                Some(first_line),
                "expected a pnpm lockfile mapping",
            ));
        };
        let Some(version) = get(doc, "lockfileVersion").and_then(scalar) else {
            return Err(parse_error(
                self.file,
                Some(first_line),
                "no lockfileVersion: not a pnpm lockfile",
            ));
        };
        let major: u32 = version
            .trim_start_matches('v')
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        let Some(packages) = get_map(doc, "packages") else {
            return Ok(()); // a project without dependencies
        };
        let key_lines = section_key_lines(doc_text, first_line, "packages");
        let groups = (major >= 9).then(|| v9_groups(doc));
        let empty = Mapping::new();
        for (k, v) in packages {
            let Some(key) = scalar(k) else { continue };
            let entry = v.as_mapping().unwrap_or(&empty);
            let line = key_lines.get(&key).copied().unwrap_or(0);
            if is_local(&key, entry) {
                continue;
            }
            let named = get(entry, "name")
                .and_then(scalar)
                .zip(get(entry, "version").and_then(scalar));
            let Some((name, version)) = named.or_else(|| parse_key(&key, major)) else {
                self.warnings.push(Warning {
                    file: self.file.to_string(),
                    line,
                    message: format!("{key}: not a registry package, skipped"),
                });
                continue;
            };
            let flagged = if is_true(entry, "optional") {
                DepGroup::Optional
            } else {
                DepGroup::Prod
            };
            let group = match &groups {
                Some(g) => g
                    .get(strip_peers(key.trim_start_matches('/')))
                    .copied()
                    .unwrap_or(flagged),
                None if is_true(entry, "dev") => DepGroup::Dev,
                None => flagged,
            };
            self.set.add(js_common::locked(
                Ecosystem::Npm,
                &name,
                &version,
                group,
                self.file,
                line,
            ));
        }
        Ok(())
    }
}

/// The snapshot key a dependency `name: version` points to (`version` may be an alias
/// `real@1.0.0`, and may carry a peer suffix); None for `link:` dependencies.
fn dep_target(name: &str, version: &str) -> Option<String> {
    if version.starts_with("link:") || version.starts_with("file:") {
        return None;
    }
    if strip_peers(version)
        .get(1..)
        .is_some_and(|v| v.contains('@'))
    {
        Some(version.to_string())
    } else {
        Some(format!("{name}@{version}"))
    }
}

/// v9 groups per `packages` key (`name@version`) from the importers and snapshots.
fn v9_groups(doc: &Mapping) -> HashMap<String, DepGroup> {
    let snapshots = get_map(doc, "snapshots").or_else(|| get_map(doc, "packages"));
    let keys: Vec<String> = snapshots
        .map(|s| s.keys().filter_map(scalar).collect())
        .unwrap_or_default();
    let index: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut graph = Graph::new(keys.len());
    if let Some(snaps) = snapshots {
        for (from, (_, snap)) in snaps.iter().enumerate() {
            let Some(snap) = snap.as_mapping() else {
                continue;
            };
            for (section, optional) in [("dependencies", false), ("optionalDependencies", true)] {
                for (n, v) in get_map(snap, section).into_iter().flatten() {
                    let target = scalar(n)
                        .zip(scalar(v))
                        .and_then(|(n, v)| dep_target(&n, &v));
                    if let Some(&to) = target.as_deref().and_then(|t| index.get(t)) {
                        graph.add_edge(from, to, optional);
                    }
                }
            }
        }
    }
    let mut roots = Vec::new();
    for (_, importer) in get_map(doc, "importers").into_iter().flatten() {
        let Some(importer) = importer.as_mapping() else {
            continue;
        };
        for (section, group) in [
            ("dependencies", DepGroup::Prod),
            ("optionalDependencies", DepGroup::Optional),
            ("devDependencies", DepGroup::Dev),
            ("configDependencies", DepGroup::Dev),
            ("packageManagerDependencies", DepGroup::Dev),
        ] {
            for (n, spec) in get_map(importer, section).into_iter().flatten() {
                let version = match spec {
                    Value::Mapping(m) => get(m, "version").and_then(scalar),
                    other => scalar(other),
                };
                let target = scalar(n).zip(version).and_then(|(n, v)| dep_target(&n, &v));
                if let Some(&to) = target.as_deref().and_then(|t| index.get(t)) {
                    roots.push((to, group));
                }
            }
        }
    }
    let mut out: HashMap<String, DepGroup> = HashMap::new();
    for (key, group) in keys.iter().zip(graph.groups(&roots)) {
        if let Some(g) = group {
            let pkg = strip_peers(key).to_string();
            let merged = out.get(&pkg).map_or(g, |&old| js_common::stronger(old, g));
            out.insert(pkg, merged);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        let kv = |k, m| parse_key(k, m);
        let p = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(kv("/lodash/4.17.21", 5), p("lodash", "4.17.21"));
        assert_eq!(kv("/@babel/core/7.22.9", 5), p("@babel/core", "7.22.9"));
        assert_eq!(
            kv("/react-dom/18.2.0_react@18.2.0", 5),
            p("react-dom", "18.2.0")
        );
        assert_eq!(kv("/@a/b@1.0.0(c@2.0.0)", 6), p("@a/b", "1.0.0"));
        assert_eq!(kv("@a/b@1.0.0", 9), p("@a/b", "1.0.0"));
        assert_eq!(kv("github.com/a/b/abc", 5), None);
        assert_eq!(kv("x@https://example.com/x.tgz", 9), None);
        assert_eq!(dep_target("a", "1.0.0(b@2)"), Some("a@1.0.0(b@2)".into()));
        assert_eq!(dep_target("a", "real@1.0.0"), Some("real@1.0.0".into()));
        assert_eq!(
            dep_target("a", "@s/real@1.0.0"),
            Some("@s/real@1.0.0".into())
        );
        assert_eq!(dep_target("a", "link:../a"), None);
    }

    #[test]
    fn key_lines() {
        let doc = "a: 1\npackages:\n\n  /x/1.0.0:\n    dev: true\n  '@s/y@2.0.0': {}\n  'it''s@1': {}\n  z@file:a/b:\n  \"q@1\":\nsnapshots:\n  w@1: {}\n";
        let m = section_key_lines(doc, 10, "packages");
        assert_eq!(m.get("/x/1.0.0"), Some(&13));
        assert_eq!(m.get("@s/y@2.0.0"), Some(&15));
        assert_eq!(m.get("it's@1"), Some(&16));
        assert_eq!(m.get("z@file:a/b"), Some(&17));
        assert_eq!(m.get("q@1"), Some(&18));
        assert_eq!(m.len(), 5, "{m:?}");
    }

    #[test]
    fn document_split() {
        let t = "---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n";
        let d: Vec<&str> = documents(t).iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(d, vec!["a: 1\n", "b: 2\n"]);
    }
}
