//! `*.csproj` (NuGet, PackageReference projects).
//!
//! Every `<PackageReference Include|Update="…">` (in any ItemGroup, conditions ignored) with its
//! version from the `Version` attribute or child element, or `VersionOverride`. `$(Property)`
//! references are filled from the project's PropertyGroups (and, for central versions, the
//! props file's). Interval versions (`[1.0,2.0)`) and floating ones (`1.*`) are scanned at
//! their lower bound with `pinned = false` and a warning; a plain `1.2.3` is taken as the pin.
//!
//! A reference without a version takes it from Central Package Management: the nearest
//! `Directory.Packages.props` in the project's directory or a parent up to the scanned root,
//! `<PackageVersion Include="…" Version="…"/>`. Such a package is attributed to the props file
//! and line. The props file's `<GlobalPackageReference>` items apply to every project and are
//! reported too. Groups: `PrivateAssets="all"` (how NuGet records a development dependency in
//! PackageReference form) and global package references (private by definition) are Dev,
//! everything else Prod. `Directory.Build.props`/`.targets` imports are not followed.

use super::util::utf8;
use super::version_range::{requirement, Requirement};
use super::xml_common::{parse_document, Element};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use std::collections::HashMap;

pub struct Csproj;

/// The central package management file name.
const PROPS: &str = "Directory.Packages.props";

/// Where a value was written.
#[derive(Debug, Clone)]
struct Located {
    value: String,
    file: String,
    line: usize,
}

/// What a Directory.Packages.props provides.
#[derive(Debug, Default)]
struct Central {
    rel_path: String,
    /// `PackageVersion` by lower-case package id.
    versions: HashMap<String, Located>,
    /// `GlobalPackageReference` items: id and located version.
    globals: Vec<(String, Located)>,
    properties: HashMap<String, String>,
}

impl Parser for Csproj {
    fn format(&self) -> &'static str {
        "*.csproj"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::NuGet
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n.ends_with(".csproj")
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let root = parse_document(input.rel_path, text)?;
        let mut out = Parsed::default();
        let mut refs = Vec::new();
        collect(&root, "PackageReference", &mut refs);
        let central = find_central(input, &mut out.warnings);
        // The props file is imported before the project body: the project's values win.
        let mut properties = central
            .as_ref()
            .map(|c| c.properties.clone())
            .unwrap_or_default();
        properties.extend(properties_of(&root));
        for r in refs {
            reference(input.rel_path, r, &properties, central.as_ref(), &mut out);
        }
        if let Some(c) = &central {
            for (id, v) in &c.globals {
                push(id, v, &c.properties, DepGroup::Dev, &mut out);
            }
        }
        Ok(out)
    }
}

/// PropertyGroup values by lower-case name (MSBuild names are case-insensitive); later wins.
fn properties_of(root: &Element) -> HashMap<String, String> {
    let mut props = HashMap::new();
    for group in root.children_named("PropertyGroup") {
        for p in &group.children {
            props.insert(p.name.to_ascii_lowercase(), p.text.clone());
        }
    }
    props
}

/// Every element named `name` anywhere below `el` (ItemGroups may sit in Choose/When/Target).
fn collect<'a>(el: &'a Element, name: &str, out: &mut Vec<&'a Element>) {
    for c in &el.children {
        if c.name == name {
            out.push(c);
        } else {
            collect(c, name, out);
        }
    }
}

/// An item's version: `VersionOverride` first, then `Version` (attribute or child element).
fn version_of(item: &Element) -> Option<&str> {
    ["VersionOverride", "Version"].into_iter().find_map(|k| {
        item.attr_ci(k)
            .filter(|v| !v.is_empty())
            .or_else(|| item.child_text_ci(k))
    })
}

/// Is the item marked `PrivateAssets="all"` (attribute or child)?
fn private_all(item: &Element) -> bool {
    item.attr_ci("PrivateAssets")
        .or_else(|| item.child_text_ci("PrivateAssets"))
        .is_some_and(|v| v.split(';').any(|p| p.trim().eq_ignore_ascii_case("all")))
}

/// Report one PackageReference.
fn reference(
    rel_path: &str,
    item: &Element,
    properties: &HashMap<String, String>,
    central: Option<&Central>,
    out: &mut Parsed,
) {
    let Some(include) = item.attr_ci("Include").or_else(|| item.attr_ci("Update")) else {
        return;
    };
    let group = if private_all(item) {
        DepGroup::Dev
    } else {
        DepGroup::Prod
    };
    for id in include.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let own = version_of(item).map(|v| Located {
            value: v.to_string(),
            file: rel_path.to_string(),
            line: item.line,
        });
        let (version, props) = match (own, central) {
            (Some(v), _) => (v, properties),
            (None, Some(c)) => match c.versions.get(&id.to_ascii_lowercase()) {
                Some(v) => (v.clone(), &c.properties),
                None => {
                    missing(rel_path, item.line, id, Some(&c.rel_path), group, out);
                    continue;
                }
            },
            (None, None) => {
                missing(rel_path, item.line, id, None, group, out);
                continue;
            }
        };
        push(id, &version, props, group, out);
    }
}

/// A reference whose version is nowhere to be found: reported unpinned with an empty version.
fn missing(
    rel_path: &str,
    line: usize,
    id: &str,
    props: Option<&str>,
    group: DepGroup,
    out: &mut Parsed,
) {
    let message = match props {
        Some(p) => format!("{id} has no version here nor in {p}"),
        None => format!("{id} has no version and no {PROPS} was found"),
    };
    out.warnings.push(Warning {
        file: rel_path.to_string(),
        line,
        message,
    });
    out.packages.push(Package {
        ecosystem: Ecosystem::NuGet,
        name: id.to_string(),
        version: String::new(),
        pinned: false,
        group,
        file: rel_path.to_string(),
        line,
    });
}

/// Record a package from a version text, resolving `$(Property)` and ranges.
fn push(
    id: &str,
    v: &Located,
    properties: &HashMap<String, String>,
    group: DepGroup,
    out: &mut Parsed,
) {
    let warn = |out: &mut Parsed, message: String| {
        out.warnings.push(Warning {
            file: v.file.clone(),
            line: v.line,
            message,
        })
    };
    let Some(text) = expand(&v.value, properties) else {
        warn(
            out,
            format!("{id}: version {} uses an unknown property", v.value),
        );
        out.packages
            .push(package(id, String::new(), false, group, v));
        return;
    };
    let (version, pinned) = match requirement(&text) {
        Requirement::Exact(x) if x.contains('*') => {
            let lower = x.trim_end_matches(['*', '.', '-']).to_string();
            warn(
                out,
                format!("{id}: floating version {x}; scanned as {lower}"),
            );
            (lower, false)
        }
        Requirement::Exact(x) => (x, true),
        Requirement::Range(lower) => {
            warn(
                out,
                format!("{id}: version range {text}; scanned at its lower bound {lower:?}"),
            );
            (lower, false)
        }
    };
    out.packages.push(package(id, version, pinned, group, v));
}

/// A NuGet package at the place `at` names.
fn package(id: &str, version: String, pinned: bool, group: DepGroup, at: &Located) -> Package {
    Package {
        ecosystem: Ecosystem::NuGet,
        name: id.to_string(),
        version,
        pinned,
        group,
        file: at.file.clone(),
        line: at.line,
    }
}

/// Replace `$(Name)` references (a few levels deep); None when one is unknown or circular.
fn expand(text: &str, properties: &HashMap<String, String>) -> Option<String> {
    let mut s = text.to_string();
    for _ in 0..8 {
        let Some(start) = s.find("$(") else {
            return Some(s);
        };
        let end = start + s.get(start..)?.find(')')?;
        let name = s.get(start + 2..end)?.trim().to_ascii_lowercase();
        let value = properties.get(&name)?;
        s.replace_range(start..=end, value);
    }
    (!s.contains("$(")).then_some(s)
}

/// Find and read the nearest Directory.Packages.props between the project and the root.
fn find_central(input: &Input<'_>, warnings: &mut Vec<Warning>) -> Option<Central> {
    let rel_dirs: Vec<&str> = input.rel_path.split('/').collect();
    let depth = rel_dirs.len().saturating_sub(1);
    let mut dir = input.path.parent()?;
    for up in 0..=depth {
        let candidate = dir.join(PROPS);
        if candidate.is_file() {
            let prefix = rel_dirs.get(..depth - up).unwrap_or(&[]).join("/");
            let rel = if prefix.is_empty() {
                PROPS.to_string()
            } else {
                format!("{prefix}/{PROPS}")
            };
            return read_central(&candidate, rel, warnings);
        }
        dir = dir.parent()?;
    }
    None
}

/// Read a Directory.Packages.props; a broken one is a warning.
fn read_central(
    path: &std::path::Path,
    rel: String,
    warnings: &mut Vec<Warning>,
) -> Option<Central> {
    let parsed = std::fs::read(path)
        .map_err(|e| DepsError::io(path, e))
        .and_then(|b| {
            let text = utf8(&rel, &b)?;
            parse_document(&rel, text)
        });
    let root = match parsed {
        Ok(r) => r,
        Err(e) => {
            warnings.push(Warning {
                file: rel,
                line: 0,
                message: format!("central package versions not read: {e}"),
            });
            return None;
        }
    };
    let mut c = Central {
        properties: properties_of(&root),
        ..Central::default()
    };
    let mut items = Vec::new();
    collect(&root, "PackageVersion", &mut items);
    for item in items {
        let id = item.attr_ci("Include").or_else(|| item.attr_ci("Update"));
        if let (Some(id), Some(v)) = (id, version_of(item)) {
            c.versions.insert(
                id.to_ascii_lowercase(),
                Located {
                    value: v.to_string(),
                    file: rel.clone(),
                    line: item.line,
                },
            );
        }
    }
    let mut globals = Vec::new();
    collect(&root, "GlobalPackageReference", &mut globals);
    for item in globals {
        if let (Some(id), Some(v)) = (item.attr_ci("Include"), version_of(item)) {
            c.globals.push((
                id.to_string(),
                Located {
                    value: v.to_string(),
                    file: rel.clone(),
                    line: item.line,
                },
            ));
        }
    }
    c.rel_path = rel;
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_expansion() {
        let p: HashMap<String, String> = [
            ("a".to_string(), "1.$(b)".to_string()),
            ("b".to_string(), "2".to_string()),
            ("loop".to_string(), "$(loop)".to_string()),
        ]
        .into();
        assert_eq!(expand("$(A).0", &p).as_deref(), Some("1.2.0"));
        assert_eq!(expand("$(missing)", &p), None);
        assert_eq!(expand("$(loop)", &p), None);
        assert_eq!(expand("$(unclosed", &p), None);
        assert_eq!(expand("3.0", &p).as_deref(), Some("3.0"));
    }
}
