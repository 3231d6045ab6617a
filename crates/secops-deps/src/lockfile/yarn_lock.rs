//! `yarn.lock` (npm): classic v1 and berry (v2+, with `__metadata`).
//!
//! Both are read line by line: an entry starts at an unindented `specifier[, specifier]:`
//! line (quoted or not); its fields are indented by two spaces (`version "1.0.0"` in v1,
//! `version: 1.0.0` in berry) and its dependency lists by four.
//!
//! - v1: the name comes from the first specifier (`alias@npm:real@^1` gives `real`); `file:`
//!   and `link:` specifiers are skipped.
//! - berry: the name comes from `resolution: "name@npm:1.2.3"`; `patch:` resolutions are
//!   unwrapped to the patched package; `workspace:`, `link:`, `portal:` and `file:` ones are
//!   skipped.
//! - Groups: yarn.lock has no dev flag. When a sibling `package.json` without `workspaces`
//!   exists, groups come from reachability from its `dependencies` (Prod),
//!   `optionalDependencies` (Optional) and `devDependencies` (Dev) through the entries'
//!   `dependencies` / `optionalDependencies`; packages reached from none of them, and every
//!   package when there is no usable package.json (or in a workspace), are Prod.

use super::js_common::{self, Graph, PackageSet};
use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;
use std::collections::HashMap;

pub struct YarnLock;

impl Parser for YarnLock {
    fn format(&self) -> &'static str {
        "yarn.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "yarn.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let entries = read_entries(input.rel_path, text)?;
        let mut warnings = Vec::new();
        let groups = manifest_groups(input, &entries, &mut warnings);
        let mut set = PackageSet::new();
        for (i, e) in entries.iter().enumerate() {
            let Some((name, version)) = resolve(e, input.rel_path, &mut warnings) else {
                continue;
            };
            let group = groups
                .as_ref()
                .and_then(|g| g.get(i).copied().flatten())
                .unwrap_or(DepGroup::Prod);
            set.add(js_common::locked(
                Ecosystem::Npm,
                &name,
                &version,
                group,
                input.rel_path,
                e.line,
            ));
        }
        Ok(Parsed {
            packages: set.into_vec(),
            warnings,
        })
    }
}

/// One lockfile entry.
#[derive(Debug, Default)]
struct Entry {
    line: usize,
    /// The specifiers of the key line, unquoted (`lodash@^4.17.0`, `a@npm:^1.0.0`).
    specs: Vec<String>,
    /// Scalar fields at indent 2 (`version`, `resolution`, `resolved`, ...).
    fields: HashMap<String, String>,
    /// (name, range, optional) from the `dependencies` / `optionalDependencies` lists.
    deps: Vec<(String, String, bool)>,
}

/// Strip one pair of surrounding double quotes.
fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// Split a `key value` / `key: value` / `"key": value` line into key and value (value empty
/// for a section header such as `dependencies:`).
fn key_value(s: &str) -> (&str, &str) {
    let (key, rest) = if let Some(q) = s.strip_prefix('"') {
        match q.find('"') {
            Some(end) => (
                q.get(..end).unwrap_or_default(),
                q.get(end + 1..).unwrap_or_default(),
            ),
            None => (q, ""),
        }
    } else {
        let end = s.find([' ', ':', '\t']).unwrap_or(s.len());
        (
            s.get(..end).unwrap_or_default(),
            s.get(end..).unwrap_or_default(),
        )
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    (key, unquote(rest))
}

/// Read the entries of a v1 or berry lockfile; malformed structure is a parse error.
fn read_entries(rel_path: &str, text: &str) -> Result<Vec<Entry>, DepsError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut section = String::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 {
            let Some(key) = line.strip_suffix(':') else {
                return Err(parse_error(
                    rel_path,
                    Some(line_no),
                    "expected an entry such as `name@range:`",
                ));
            };
            let specs = key
                .split(',')
                .map(|s| s.trim().trim_matches('"').to_string())
                .filter(|s| !s.is_empty())
                .collect();
            entries.push(Entry {
                line: line_no,
                specs,
                ..Entry::default()
            });
            section.clear();
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(parse_error(
                rel_path,
                Some(line_no),
                "indented line outside an entry",
            ));
        };
        let (key, value) = key_value(trimmed);
        if indent <= 2 {
            if value.is_empty() {
                section = key.to_string();
            } else {
                section.clear();
                entry.fields.insert(key.to_string(), value.to_string());
            }
        } else if indent <= 4
            && matches!(section.as_str(), "dependencies" | "optionalDependencies")
            && !value.is_empty()
        {
            entry.deps.push((
                key.to_string(),
                value.to_string(),
                section == "optionalDependencies",
            ));
        }
    }
    Ok(entries)
}

/// Decode `%XX` escapes (berry writes `npm%3A1.0.0` inside `patch:` locators).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (c, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The registry (name, version) of an entry; None (maybe with a warning) for entries that are
/// not registry packages or cannot be read.
fn resolve(e: &Entry, file: &str, warnings: &mut Vec<Warning>) -> Option<(String, String)> {
    let first = e.specs.first()?;
    if first == "__metadata" {
        return None;
    }
    let mut warn = |m: String| {
        warnings.push(Warning {
            file: file.to_string(),
            line: e.line,
            message: m,
        })
    };
    let version = e.fields.get("version");
    if let Some(res) = e.fields.get("resolution") {
        // berry
        let res = match res.split_once("@patch:") {
            Some((_, inner)) => percent_decode(inner.split('#').next().unwrap_or(inner)),
            None => res.clone(),
        };
        let (name, locator) = js_common::split_spec(&res)?;
        if ["workspace:", "link:", "portal:", "file:"]
            .iter()
            .any(|p| locator.starts_with(p))
        {
            return None;
        }
        let version = version
            .map(String::as_str)
            .or_else(|| locator.strip_prefix("npm:"));
        return match version {
            Some(v) => Some((name.to_string(), v.to_string())),
            None => {
                warn(format!("{name}: no version in the lockfile, skipped"));
                None
            }
        };
    }
    // v1
    let (name, range) = js_common::split_spec(first)?;
    if range.starts_with("file:") || range.starts_with("link:") {
        return None;
    }
    let name = range
        .strip_prefix("npm:")
        .and_then(js_common::split_spec)
        .map_or(name, |(real, _)| real);
    match version {
        Some(v) => Some((name.to_string(), v.clone())),
        None => {
            warn(format!("{name}: no version in the lockfile, skipped"));
            None
        }
    }
}

/// Groups from the sibling package.json (see the module docs); None when not usable.
fn manifest_groups(
    input: &Input<'_>,
    entries: &[Entry],
    warnings: &mut Vec<Warning>,
) -> Option<Vec<Option<DepGroup>>> {
    let manifest_path = input.path.parent()?.join("package.json");
    let bytes = std::fs::read(&manifest_path).ok()?;
    let rel = match input.rel_path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/package.json"),
        None => "package.json".to_string(),
    };
    let manifest = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|t| js_common::parse_json(&rel, t).ok());
    let Some(manifest) = manifest else {
        warnings.push(Warning {
            file: rel,
            line: 0,
            message: "package.json could not be read; every yarn.lock package is reported as prod"
                .into(),
        });
        return None;
    };
    if manifest.get("workspaces").is_some() {
        return None;
    }
    let mut by_spec: HashMap<&str, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        for s in &e.specs {
            by_spec.insert(s, i);
        }
    }
    let find = |name: &str, range: &str| {
        by_spec
            .get(format!("{name}@{range}").as_str())
            .or_else(|| by_spec.get(format!("{name}@npm:{range}").as_str()))
            .copied()
    };
    let mut graph = Graph::new(entries.len());
    for (i, e) in entries.iter().enumerate() {
        for (name, range, optional) in &e.deps {
            if let Some(to) = find(name, range) {
                graph.add_edge(i, to, *optional);
            }
        }
    }
    let mut roots = Vec::new();
    for (section, group) in [
        ("dependencies", DepGroup::Prod),
        ("optionalDependencies", DepGroup::Optional),
        ("devDependencies", DepGroup::Dev),
    ] {
        for m in manifest
            .get(section)
            .map(|s| s.members())
            .unwrap_or_default()
        {
            if let Some(to) = m.value.as_str().and_then(|r| find(&m.key, r)) {
                roots.push((to, group));
            }
        }
    }
    Some(graph.groups(&roots))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values() {
        assert_eq!(key_value("version \"1.0.0\""), ("version", "1.0.0"));
        assert_eq!(key_value("version: 1.0.0"), ("version", "1.0.0"));
        assert_eq!(key_value("\"@a/b\" \"^1\""), ("@a/b", "^1"));
        assert_eq!(key_value("\"@a/b\": \"npm:^1\""), ("@a/b", "npm:^1"));
        assert_eq!(key_value("dependencies:"), ("dependencies", ""));
        assert_eq!(percent_decode("a@npm%3A1.0.0%zz"), "a@npm:1.0.0%zz");
    }
}
