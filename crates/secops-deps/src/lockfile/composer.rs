//! `composer.lock` (Packagist).
//!
//! `packages` are Prod and `packages-dev` are Dev. A leading `v` is stripped from versions
//! (`v5.4.0` → `5.4.0`): Packagist advisories name bare versions. Branch checkouts
//! (`dev-main`, `1.x-dev`) pin no release and are skipped with a warning.

use super::json_lines::KeyIndex;
use super::util::{parse_error, utf8, Lines};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use serde::Deserialize;

pub struct ComposerLock;

#[derive(Debug, Deserialize)]
struct LockFile {
    #[serde(default)]
    packages: Option<Vec<LockPackage>>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Option<Vec<LockPackage>>,
}

#[derive(Debug, Deserialize)]
struct LockPackage {
    name: String,
    version: String,
}

impl Parser for ComposerLock {
    fn format(&self) -> &'static str {
        "composer.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Packagist
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "composer.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let lock: LockFile = serde_json::from_str(text).map_err(|e| {
            parse_error(input.rel_path, Some(e.line()), format!("invalid JSON: {e}"))
        })?;
        let lines = Lines::new(text.as_bytes());
        let keys = KeyIndex::new(text, 3);
        let mut out = Parsed::default();
        let sections = [
            ("packages", lock.packages, DepGroup::Prod),
            ("packages-dev", lock.packages_dev, DepGroup::Dev),
        ];
        for (key, list, group) in sections {
            for (i, p) in list.unwrap_or_default().into_iter().enumerate() {
                let line = keys
                    .get(&[key, &format!("[{i}]"), "name"])
                    .map_or(0, |at| lines.line_of(at));
                add(input.rel_path, p, group, line, &mut out);
            }
        }
        Ok(out)
    }
}

/// Record one locked package, or a warning for a branch checkout.
fn add(rel_path: &str, p: LockPackage, group: DepGroup, line: usize, out: &mut Parsed) {
    let version = p.version.trim();
    if version.starts_with("dev-") || version.ends_with("-dev") {
        out.warnings.push(Warning {
            file: rel_path.to_string(),
            line,
            message: format!(
                "{} is locked to the branch {version}, not a release; not scanned",
                p.name
            ),
        });
        return;
    }
    let version = version
        .strip_prefix(['v', 'V'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(version);
    out.packages.push(Package {
        ecosystem: Ecosystem::Packagist,
        name: p.name,
        version: version.to_string(),
        pinned: true,
        group,
        file: rel_path.to_string(),
        line,
    });
}
