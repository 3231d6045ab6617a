//! `go.sum` (Go): checksums of every module version the build consulted.
//!
//! A manifest-kind fallback: used only when no `go.mod` sits beside it (go.mod's parser reads
//! the sibling go.sum itself when it needs it). Each line is `path version[/go.mod] hash`; one
//! package is reported per module@version. A `/go.mod` line (only the module's go.mod was
//! fetched) is ignored when a full `h1:` line exists for the same module@version, and kept
//! otherwise; duplicates are dropped.

use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use std::collections::HashMap;

pub struct GoSum;

/// One module@version from a go.sum file, deduplicated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SumEntry {
    pub path: String,
    pub version: String,
    /// True when only the `/go.mod` hash is listed (the module's code was never fetched).
    pub go_mod_only: bool,
    /// 1-based line of the chosen entry.
    pub line: usize,
}

/// Read every module@version of a go.sum text, in line order; a full line wins over a
/// `/go.mod` line of the same module@version. Lines without exactly three fields are errors.
pub(crate) fn entries(rel_path: &str, text: &str) -> Result<Vec<SumEntry>, DepsError> {
    let mut out: Vec<SumEntry> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let fields: Vec<&str> = raw.split_whitespace().collect();
        let (path, version) = match fields.as_slice() {
            [] => continue,
            [path, version, _hash] => (*path, *version),
            _ => {
                return Err(parse_error(
                    rel_path,
                    Some(line),
                    "expected `module version hash`",
                ))
            }
        };
        let (version, go_mod_only) = match version.strip_suffix("/go.mod") {
            Some(v) => (v, true),
            None => (version, false),
        };
        let key = (path.to_string(), version.to_string());
        match index.get(&key).and_then(|&at| out.get_mut(at)) {
            Some(existing) => {
                if existing.go_mod_only && !go_mod_only {
                    existing.go_mod_only = false;
                    existing.line = line;
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(SumEntry {
                    path: path.to_string(),
                    version: version.to_string(),
                    go_mod_only,
                    line,
                });
            }
        }
    }
    out.sort_by_key(|e| e.line);
    Ok(out)
}

impl Parser for GoSum {
    fn format(&self) -> &'static str {
        "go.sum"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Go
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n == "go.sum"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let packages = entries(input.rel_path, text)?
            .into_iter()
            .map(|e| Package {
                ecosystem: Ecosystem::Go,
                name: e.path,
                version: e.version,
                pinned: true,
                group: DepGroup::Prod,
                file: input.rel_path.to_string(),
                line: e.line,
            })
            .collect();
        Ok(Parsed {
            packages,
            warnings: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_line_wins_and_dedupes() {
        let t = "a v1.0.0/go.mod h1:x=\na v1.0.0 h1:y=\na v1.0.0 h1:y=\nb v2.0.0/go.mod h1:z=\n";
        let e = entries("go.sum", t).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].path.as_str(), e[0].line, e[0].go_mod_only),
            ("a", 2, false)
        );
        assert_eq!((e[1].path.as_str(), e[1].go_mod_only), ("b", true));
        assert!(entries("go.sum", "a v1\n").is_err());
    }
}
