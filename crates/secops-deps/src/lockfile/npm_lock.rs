//! `package-lock.json` / `npm-shrinkwrap.json` (npm), lockfile versions 1, 2 and 3.
//!
//! - v2/v3: the `packages` map keyed by install path (`node_modules/a/node_modules/@s/b`) is
//!   read when present. The root `""`, workspace folders (keys without `node_modules/`),
//!   `link: true` entries and `file:` resolutions are skipped. The name is the `name` field
//!   when present (aliases), otherwise the last path component.
//! - v1: the nested `dependencies` tree; `npm:real@1.0.0` alias versions give the real name;
//!   `file:`/`link:` versions are skipped; git/tarball versions are skipped with a warning.
//! - Groups: `dev` → Dev, `peer` → Peer, `optional` / `devOptional` → Optional (a devOptional
//!   package is needed by an optional dependency of the production tree, so `--no-dev` keeps
//!   it), else Prod. Identical (name, version) entries are merged.

use super::js_common::{self, Json, PackageSet};
use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;

pub struct NpmLock;

impl Parser for NpmLock {
    fn format(&self) -> &'static str {
        "package-lock.json"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        matches!(n, "package-lock.json" | "npm-shrinkwrap.json")
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
        let mut out = Collect {
            file: input.rel_path,
            set: PackageSet::new(),
            warnings: Vec::new(),
        };
        if let Some(packages) = doc.get("packages") {
            out.packages_map(packages);
        } else if let Some(deps) = doc.get("dependencies") {
            out.dependency_tree(deps);
        }
        Ok(Parsed {
            packages: out.set.into_vec(),
            warnings: out.warnings,
        })
    }
}

/// Packages and warnings being gathered from one file.
struct Collect<'a> {
    file: &'a str,
    set: PackageSet,
    warnings: Vec<Warning>,
}

/// The group from an entry's `dev` / `peer` / `optional` / `devOptional` flags.
fn group_of(entry: &Json) -> DepGroup {
    if entry.flag("dev") {
        DepGroup::Dev
    } else if entry.flag("peer") {
        DepGroup::Peer
    } else if entry.flag("optional") || entry.flag("devOptional") {
        DepGroup::Optional
    } else {
        DepGroup::Prod
    }
}

/// The package name installed at a `packages` key: the part after the last `node_modules/`
/// path component; None for the root and workspace folders.
fn name_from_path(key: &str) -> Option<&str> {
    const NM: &str = "node_modules/";
    let mut search = key;
    let mut found = None;
    let mut base = 0;
    while let Some(i) = search.find(NM) {
        let at = base + i;
        if at == 0 || key.as_bytes().get(at - 1) == Some(&b'/') {
            found = Some(at + NM.len());
        }
        base = at + NM.len();
        search = key.get(base..).unwrap_or_default();
    }
    key.get(found?..).filter(|n| !n.is_empty())
}

impl Collect<'_> {
    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(Warning {
            file: self.file.to_string(),
            line,
            message,
        });
    }

    /// v2/v3 `packages` map.
    fn packages_map(&mut self, packages: &Json) {
        for m in packages.members() {
            let entry = &m.value;
            let Some(path_name) = name_from_path(&m.key) else {
                continue; // root "" or a workspace folder
            };
            if entry.flag("link")
                || entry
                    .str_of("resolved")
                    .is_some_and(|r| r.starts_with("file:"))
            {
                continue;
            }
            let name = entry.str_of("name").unwrap_or(path_name);
            let Some(version) = entry.str_of("version") else {
                self.warn(
                    m.line,
                    format!("{name}: no version in the lockfile, skipped"),
                );
                continue;
            };
            let (name, version) = js_common::unalias(version).unwrap_or((name, version));
            if version.starts_with("file:") || version.starts_with("link:") {
                continue;
            }
            self.set.add(js_common::locked(
                Ecosystem::Npm,
                name,
                version,
                group_of(entry),
                self.file,
                m.line,
            ));
        }
    }

    /// v1 nested `dependencies` tree.
    fn dependency_tree(&mut self, deps: &Json) {
        for m in deps.members() {
            let entry = &m.value;
            if let Some(version) = entry.str_of("version") {
                let (name, version) = js_common::unalias(version).unwrap_or((&m.key, version));
                if version.starts_with("file:") || version.starts_with("link:") {
                    // a local folder or tarball: not a registry package
                } else if js_common::is_plain_version(version) {
                    self.set.add(js_common::locked(
                        Ecosystem::Npm,
                        name,
                        version,
                        group_of(entry),
                        self.file,
                        m.line,
                    ));
                } else {
                    self.warn(
                        m.line,
                        format!("{name}: not a registry version ({version}), skipped"),
                    );
                }
            } else {
                self.warn(
                    m.line,
                    format!("{}: no version in the lockfile, skipped", m.key),
                );
            }
            if let Some(nested) = entry.get("dependencies") {
                self.dependency_tree(nested);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_paths() {
        assert_eq!(name_from_path("node_modules/a"), Some("a"));
        assert_eq!(
            name_from_path("node_modules/a/node_modules/@s/b"),
            Some("@s/b")
        );
        assert_eq!(name_from_path("packages/x/node_modules/c"), Some("c"));
        assert_eq!(name_from_path("packages/x"), None);
        assert_eq!(name_from_path(""), None);
        assert_eq!(name_from_path("my_node_modules/x"), None);
        assert_eq!(name_from_path("node_modules/"), None);
    }
}
