//! `Gemfile.lock` and `gems.locked` (RubyGems).
//!
//! The `GEM` and `GIT` sections list the bundle under `specs:` as `name (version)` lines
//! indented by exactly four spaces; deeper lines are the gems' own requirements and are
//! ignored. A platform suffix is cut at the first `-`, as Bundler does
//! (`nokogiri (1.15.0-x86_64-linux)` → `1.15.0`), and the platform variants of one version are
//! reported once. `PATH` gems are the project's own local code and are skipped, as are
//! `PLUGIN SOURCE`, `PLATFORMS`, `DEPENDENCIES`, `CHECKSUMS`, `RUBY VERSION` and
//! `BUNDLED WITH`. The lockfile has no groups, so every gem is Prod.

use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use std::collections::HashSet;

pub struct GemfileLock;

/// Which kind of section the parser is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// `GEM` or `GIT`: gems to report.
    Source,
    /// `PATH`: local gems, skipped.
    Local,
    /// Anything else.
    Other,
}

impl Parser for GemfileLock {
    fn format(&self) -> &'static str {
        "Gemfile.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::RubyGems
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "Gemfile.lock" || n == "gems.locked"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let mut out = Parsed::default();
        let mut section: Option<Section> = None;
        let mut in_specs = false;
        let mut seen = HashSet::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let raw = raw.trim_end();
            if raw.is_empty() {
                continue;
            }
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            if indent == 0 {
                section = Some(match raw {
                    "GEM" | "GIT" => Section::Source,
                    "PATH" => Section::Local,
                    _ => Section::Other,
                });
                in_specs = false;
                continue;
            }
            let Some(current) = section else {
                return Err(parse_error(
                    input.rel_path,
                    Some(line),
                    "indented line before any section",
                ));
            };
            if current == Section::Other {
                continue;
            }
            match indent {
                2 => in_specs = raw.trim() == "specs:",
                4 if in_specs => {
                    let (name, version) = spec(raw.trim()).ok_or_else(|| {
                        parse_error(input.rel_path, Some(line), "expected `name (version)`")
                    })?;
                    if current == Section::Source
                        && seen.insert((name.to_string(), version.to_string()))
                    {
                        out.packages.push(Package {
                            ecosystem: Ecosystem::RubyGems,
                            name: name.to_string(),
                            version: version.to_string(),
                            pinned: true,
                            group: DepGroup::Prod,
                            file: input.rel_path.to_string(),
                            line,
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// Split a specs entry `name (version[-platform])` into name and version.
fn spec(entry: &str) -> Option<(&str, &str)> {
    let (name, rest) = entry.split_once(" (")?;
    let inner = rest.strip_suffix(')')?;
    let version = inner.split('-').next().unwrap_or(inner).trim();
    let name = name.trim();
    if name.is_empty() || name.contains(' ') || version.is_empty() || version.contains(' ') {
        return None;
    }
    Some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(spec("rack (2.2.8)"), Some(("rack", "2.2.8")));
        assert_eq!(
            spec("nokogiri (1.15.0-x86_64-linux)"),
            Some(("nokogiri", "1.15.0"))
        );
        assert_eq!(spec("rack 2.2.8"), None);
        assert_eq!(spec("rack ()"), None);
    }
}
