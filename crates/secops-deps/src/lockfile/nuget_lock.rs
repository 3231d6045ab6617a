//! `packages.lock.json` (NuGet).
//!
//! `dependencies` maps each target framework (and runtime-specific target, `net8.0/linux-x64`)
//! to packages with a `type` and the `resolved` version. `Direct`, `Transitive` and
//! `CentralTransitive` entries are reported (Prod: the lockfile keeps no dev marker); `Project`
//! entries are other projects of the solution and are skipped. A package resolved to the same
//! version under several frameworks is reported once, at its first place in the file.

use super::json_lines::KeyIndex;
use super::util::{parse_error, utf8, Lines};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

pub struct NuGetLock;

#[derive(Debug, Deserialize)]
struct LockFile {
    #[serde(default)]
    dependencies: BTreeMap<String, BTreeMap<String, LockEntry>>,
}

#[derive(Debug, Deserialize)]
struct LockEntry {
    #[serde(rename = "type")]
    kind: Option<String>,
    resolved: Option<String>,
}

impl Parser for NuGetLock {
    fn format(&self) -> &'static str {
        "packages.lock.json"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::NuGet
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "packages.lock.json"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let lock: LockFile = serde_json::from_str(text).map_err(|e| {
            parse_error(input.rel_path, Some(e.line()), format!("invalid JSON: {e}"))
        })?;
        let lines = Lines::new(text.as_bytes());
        let keys = KeyIndex::new(text, 3);
        // Frameworks in file order.
        let mut frameworks: Vec<(String, BTreeMap<String, LockEntry>)> =
            lock.dependencies.into_iter().collect();
        frameworks.sort_by_key(|(tfm, _)| keys.get(&["dependencies", tfm]).unwrap_or(usize::MAX));
        let mut out = Parsed::default();
        let mut found: Vec<(usize, Package)> = Vec::new();
        let mut seen = HashSet::new();
        for (tfm, deps) in frameworks {
            for (name, entry) in deps {
                if entry.kind.as_deref() == Some("Project") {
                    continue;
                }
                let at = keys.get(&["dependencies", &tfm, &name]);
                let line = at.map_or(0, |a| lines.line_of(a));
                let Some(version) = entry.resolved.filter(|v| !v.trim().is_empty()) else {
                    out.warnings.push(Warning {
                        file: input.rel_path.to_string(),
                        line,
                        message: format!("{name} ({tfm}) has no resolved version; not scanned"),
                    });
                    continue;
                };
                let version = version.trim().to_string();
                if !seen.insert((name.to_ascii_lowercase(), version.clone())) {
                    continue;
                }
                found.push((
                    at.unwrap_or(usize::MAX),
                    Package {
                        ecosystem: Ecosystem::NuGet,
                        name,
                        version,
                        pinned: true,
                        group: DepGroup::Prod,
                        file: input.rel_path.to_string(),
                        line,
                    },
                ));
            }
        }
        found.sort_by_key(|(at, _)| *at);
        out.packages = found.into_iter().map(|(_, p)| p).collect();
        Ok(out)
    }
}
