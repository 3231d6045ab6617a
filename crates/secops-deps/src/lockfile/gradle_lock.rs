//! `gradle.lockfile` and `buildscript-gradle.lockfile` (Maven).
//!
//! Lines are `group:artifact:version=configuration1,configuration2`; `#` comments and the
//! `empty=` line (configurations without dependencies) are ignored. A dependency whose
//! configurations are all test classpaths (`test…Classpath`, e.g. `testRuntimeClasspath`) is
//! Dev; any other configuration makes it Prod. Names are `group:artifact`.

use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};

pub struct GradleLock;

impl Parser for GradleLock {
    fn format(&self) -> &'static str {
        "gradle.lockfile"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Maven
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "gradle.lockfile" || n == "buildscript-gradle.lockfile"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let mut out = Parsed::default();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let t = raw.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let (coords, configs) = t.split_once('=').unwrap_or((t, ""));
            if coords.trim() == "empty" {
                continue;
            }
            let parts: Vec<&str> = coords.trim().split(':').collect();
            let [group, artifact, version] = parts.as_slice() else {
                return Err(parse_error(
                    input.rel_path,
                    Some(line),
                    "expected `group:artifact:version=configurations`",
                ));
            };
            if group.is_empty() || artifact.is_empty() || version.is_empty() {
                return Err(parse_error(
                    input.rel_path,
                    Some(line),
                    "empty group, artifact or version",
                ));
            }
            out.packages.push(Package {
                ecosystem: Ecosystem::Maven,
                name: format!("{group}:{artifact}"),
                version: (*version).to_string(),
                pinned: true,
                group: group_of(configs),
                file: input.rel_path.to_string(),
                line,
            });
        }
        Ok(out)
    }
}

/// Dev when every listed configuration is a `test…Classpath` one, Prod otherwise.
fn group_of(configs: &str) -> DepGroup {
    let mut names = configs
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .peekable();
    if names.peek().is_none() {
        return DepGroup::Prod;
    }
    if names.all(|c| c.starts_with("test") && c.ends_with("Classpath")) {
        DepGroup::Dev
    } else {
        DepGroup::Prod
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups() {
        assert_eq!(
            group_of("testCompileClasspath,testRuntimeClasspath"),
            DepGroup::Dev
        );
        assert_eq!(
            group_of("runtimeClasspath,testRuntimeClasspath"),
            DepGroup::Prod
        );
        assert_eq!(group_of(""), DepGroup::Prod);
        assert_eq!(group_of("classpath"), DepGroup::Prod);
    }
}
