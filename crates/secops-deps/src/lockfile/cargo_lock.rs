//! `Cargo.lock` (crates.io), versions 1 to 4.
//!
//! Every `[[package]]` with a `source` (crates.io or another registry, sparse index or git) is
//! reported as Prod (Cargo.lock does not record dev-dependencies apart). Packages without a
//! `source` are the workspace's own crates and path dependencies: the project's code, skipped.
//! v1 files keep checksums in `[metadata]` and v2+ in each package; neither matters here. A
//! top-level `version` above 4 is read the same way, with a warning.

use super::util::{parse_error, utf8, Lines};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use serde::Deserialize;
use std::collections::HashSet;

pub struct CargoLock;

/// The newest lockfile version this parser knows.
const KNOWN_VERSION: i64 = 4;

#[derive(Debug, Deserialize)]
struct LockFile {
    version: Option<toml::Value>,
    #[serde(default)]
    package: Vec<LockPackage>,
}

#[derive(Debug, Deserialize)]
struct LockPackage {
    name: String,
    version: String,
    source: Option<String>,
}

impl Parser for CargoLock {
    fn format(&self) -> &'static str {
        "Cargo.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::CratesIo
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "Cargo.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let lines = Lines::new(text.as_bytes());
        let lock: LockFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| lines.line_of(s.start));
            parse_error(
                input.rel_path,
                line,
                format!("invalid TOML: {}", e.message()),
            )
        })?;
        let mut out = Parsed::default();
        if let Some(v) = &lock.version {
            match v.as_integer() {
                Some(n) if (1..=KNOWN_VERSION).contains(&n) => {}
                _ => out.warnings.push(Warning {
                    file: input.rel_path.to_string(),
                    line: find_top_version_line(text),
                    message: format!(
                        "unknown Cargo.lock version {v}; read like version {KNOWN_VERSION}"
                    ),
                }),
            }
        }
        let entry_lines = package_lines(text, lock.package.len());
        let mut seen = HashSet::new();
        for (i, p) in lock.package.into_iter().enumerate() {
            if p.source.is_none() || !seen.insert((p.name.clone(), p.version.clone())) {
                continue;
            }
            out.packages.push(Package {
                ecosystem: Ecosystem::CratesIo,
                name: p.name,
                version: p.version,
                pinned: true,
                group: DepGroup::Prod,
                file: input.rel_path.to_string(),
                line: entry_lines.get(i).copied().unwrap_or(0),
            });
        }
        Ok(out)
    }
}

/// The line of each `[[package]]` entry's `name =` key (or of its header when the key is not
/// found). When the headers do not match the package count (inline arrays), every line is 0.
fn package_lines(text: &str, count: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(count);
    let mut pending: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let t = raw.trim();
        if t.starts_with('[') {
            if let Some(h) = pending.take() {
                out.push(h);
            }
            if t.strip_prefix("[[")
                .and_then(|r| r.split("]]").next())
                .is_some_and(|k| k.trim() == "package")
            {
                pending = Some(i + 1);
            }
        } else if pending.is_some() && is_key(t, "name") {
            out.push(i + 1);
            pending = None;
        }
    }
    out.extend(pending);
    if out.len() == count {
        out
    } else {
        vec![0; count]
    }
}

/// Does a TOML line assign the bare key `key`?
fn is_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|r| r.trim_start().starts_with('='))
}

/// The line of the top-level `version =` key (before any table header).
fn find_top_version_line(text: &str) -> usize {
    for (i, raw) in text.lines().enumerate() {
        let t = raw.trim();
        if t.starts_with('[') {
            break;
        }
        if is_key(t, "version") {
            return i + 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_entries() {
        let t = "version = 3\n\n[[package]]\nname = \"a\"\n\n[[ package ]]\nversion = \"1\"\nname = \"b\"\n[metadata]\n";
        assert_eq!(package_lines(t, 2), vec![4, 8]);
        assert_eq!(package_lines(t, 3), vec![0, 0, 0]);
        assert_eq!(find_top_version_line(t), 1);
        assert!(is_key("name  = \"x\"", "name"));
        assert!(!is_key("names = 1", "name"));
    }
}
