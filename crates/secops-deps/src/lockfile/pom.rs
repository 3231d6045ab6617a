//! `pom.xml` (Maven manifest: direct dependencies only, no transitive resolution offline).
//!
//! The effective model is built from the POM and its LOCAL parents: `<parent><relativePath>`
//! (default `../pom.xml`; a directory means its `pom.xml`; an empty element means none) is read
//! from disk when its groupId:artifactId matches the declared parent, following the chain
//! cycle-safely. Inherited: properties, groupId/version, `dependencyManagement` and
//! `dependencies` (the child overriding the parent on the same groupId:artifactId:type:
//! classifier). `${…}` references are filled from properties and `project.*`/`parent.*`
//! values (`project.version`, `project.parent.version`, …); env/settings values and properties
//! not defined locally are unresolvable.
//!
//! Per dependency: the version comes from the dependency or, when it has none, from the
//! managed entry; the package's file and line are those of the `<dependency>` element that
//! supplies the version (so a version managed in a parent POM points at the parent). Scope
//! `test` is Dev; `compile`/`runtime`/`provided`/`system` are Prod; `<optional>true` is Optional.
//! A version range (`[1.0,2.0)`) is scanned at its lower bound with `pinned = false`; an
//! unresolvable property, a missing version (managed by a remote parent or an imported BOM)
//! and `LATEST`/`RELEASE` give an empty version with `pinned = false`. Each of those comes with
//! a warning. Profiles and build plugins are not read.

use super::util::{parse_error, utf8};
use super::version_range::{requirement, Requirement};
use super::xml_common::{parse_document, Element};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct Pom;

/// Longest parent chain followed.
const MAX_PARENTS: usize = 32;
/// Most `${…}` substitutions in one value, and the longest value they may build.
const MAX_SUBSTITUTIONS: usize = 64;
const MAX_VALUE_LEN: usize = 4096;

/// A `<dependency>` as written, with where it was written.
#[derive(Debug, Clone, Default)]
struct Dep {
    group_id: String,
    artifact_id: String,
    version: Option<String>,
    scope: Option<String>,
    optional: Option<String>,
    kind: Option<String>,
    classifier: Option<String>,
    file: String,
    line: usize,
}

/// The `<parent>` reference.
#[derive(Debug, Clone, Default)]
struct ParentRef {
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    /// None: the default `../pom.xml`; Some(""): no local parent.
    relative_path: Option<String>,
    /// 1-based line of the `<parent>` element.
    line: usize,
}

/// One POM file as written.
#[derive(Debug, Clone, Default)]
struct PomFile {
    rel_path: String,
    path: PathBuf,
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    parent: Option<ParentRef>,
    properties: Vec<(String, String)>,
    managed: Vec<Dep>,
    deps: Vec<Dep>,
}

impl Parser for Pom {
    fn format(&self) -> &'static str {
        "pom.xml"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Maven
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n == "pom.xml"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let own = read_pom(input.rel_path, input.path, text)?;
        let mut out = Parsed::default();
        let chain = parent_chain(own, &mut out.warnings);
        resolve(&chain, &mut out);
        Ok(out)
    }
}

/// Parse one POM's text into a [`PomFile`]; the root must be `<project>`.
fn read_pom(rel_path: &str, path: &Path, text: &str) -> Result<PomFile, DepsError> {
    let root = parse_document(rel_path, text)?;
    if root.name != "project" {
        return Err(parse_error(
            rel_path,
            Some(root.line),
            format!("root element is <{}>, expected <project>", root.name),
        ));
    }
    let text_of = |el: &Element, name: &str| el.child_text(name).map(str::to_string);
    let parent = root.child("parent").map(|p| ParentRef {
        group_id: text_of(p, "groupId"),
        artifact_id: text_of(p, "artifactId"),
        version: text_of(p, "version"),
        relative_path: p.child("relativePath").map(|r| r.text.clone()),
        line: p.line,
    });
    let deps_of = |container: Option<&Element>| -> Vec<Dep> {
        container
            .and_then(|c| c.child("dependencies"))
            .map(|ds| {
                ds.children_named("dependency")
                    .map(|d| Dep {
                        group_id: text_of(d, "groupId").unwrap_or_default(),
                        artifact_id: text_of(d, "artifactId").unwrap_or_default(),
                        version: text_of(d, "version"),
                        scope: text_of(d, "scope"),
                        optional: text_of(d, "optional"),
                        kind: text_of(d, "type"),
                        classifier: text_of(d, "classifier"),
                        file: rel_path.to_string(),
                        line: d.line,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(PomFile {
        rel_path: rel_path.to_string(),
        path: path.to_path_buf(),
        group_id: text_of(&root, "groupId"),
        artifact_id: text_of(&root, "artifactId"),
        version: text_of(&root, "version"),
        properties: root
            .child("properties")
            .map(|ps| {
                ps.children
                    .iter()
                    .map(|p| (p.name.clone(), p.text.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        managed: deps_of(root.child("dependencyManagement")),
        deps: deps_of(Some(&root)),
        parent,
    })
}

/// Join a relative path onto a directory lexically (`a/b` + `../c` → `a/c`), forward slashes.
fn join_rel(base_dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base_dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for comp in rel.split(['/', '\\']) {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// The directory part of a relative path (`a/b/pom.xml` → `a/b`).
fn rel_dir(rel_path: &str) -> &str {
    rel_path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The POM and its local parents, child first. Stops at a missing file, a cycle, a file that
/// is not the declared parent (warning) or an unreadable one (warning).
fn parent_chain(own: PomFile, warnings: &mut Vec<Warning>) -> Vec<PomFile> {
    let mut visited: HashSet<PathBuf> = HashSet::new();
    visited.insert(canonical(&own.path));
    let mut chain = vec![own];
    while chain.len() <= MAX_PARENTS {
        let Some(child) = chain.last() else { break };
        let Some(parent_ref) = &child.parent else {
            break;
        };
        let rel = parent_ref
            .relative_path
            .as_deref()
            .unwrap_or("../pom.xml")
            .trim();
        if rel.is_empty() {
            break;
        }
        let rel = if rel.ends_with(".xml") {
            rel.to_string()
        } else {
            format!("{}/pom.xml", rel.trim_end_matches(['/', '\\']))
        };
        let Some(dir) = child.path.parent() else {
            break;
        };
        let path = dir.join(&rel);
        let rel_path = join_rel(rel_dir(&child.rel_path), &rel);
        if !path.is_file() || !visited.insert(canonical(&path)) {
            break;
        }
        let read = std::fs::read(&path)
            .map_err(|e| DepsError::io(&path, e))
            .and_then(|b| read_pom(&rel_path, &path, utf8(&rel_path, &b)?));
        let parent = match read {
            Ok(p) => p,
            Err(e) => {
                warnings.push(Warning {
                    file: child.rel_path.clone(),
                    line: parent_ref.line,
                    message: format!("parent POM not read: {e}"),
                });
                break;
            }
        };
        let declared = (
            parent_ref.group_id.as_deref(),
            parent_ref.artifact_id.as_deref(),
        );
        let found_group = parent
            .group_id
            .as_deref()
            .or_else(|| parent.parent.as_ref().and_then(|p| p.group_id.as_deref()));
        if declared != (found_group, parent.artifact_id.as_deref()) {
            warnings.push(Warning {
                file: child.rel_path.clone(),
                line: parent_ref.line,
                message: format!(
                    "{rel_path} is not the declared parent {}:{}; not used",
                    declared.0.unwrap_or("?"),
                    declared.1.unwrap_or("?")
                ),
            });
            break;
        }
        chain.push(parent);
    }
    chain
}

/// A path in a form that identifies the file (for cycle detection).
fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The effective properties: ancestors first, the child overriding, plus `project.*` values.
fn effective_properties(chain: &[PomFile]) -> HashMap<String, String> {
    let mut props = HashMap::new();
    for pom in chain.iter().rev() {
        props.extend(pom.properties.iter().cloned());
    }
    let Some(own) = chain.first() else {
        return props;
    };
    let parent = own.parent.clone().unwrap_or_default();
    // groupId and version are inherited through the chain when not written.
    let group = chain.iter().find_map(|p| {
        p.group_id
            .clone()
            .or_else(|| p.parent.as_ref().and_then(|r| r.group_id.clone()))
    });
    let version = chain.iter().find_map(|p| {
        p.version
            .clone()
            .or_else(|| p.parent.as_ref().and_then(|r| r.version.clone()))
    });
    let built_in = [
        ("groupId", group),
        ("artifactId", own.artifact_id.clone()),
        ("version", version),
        ("parent.groupId", parent.group_id),
        ("parent.artifactId", parent.artifact_id),
        ("parent.version", parent.version),
    ];
    for (key, value) in built_in {
        if let Some(v) = value {
            props.insert(format!("project.{key}"), v.clone());
            props.insert(format!("pom.{key}"), v.clone());
            if key.starts_with("parent.") || key == "version" {
                props.entry(key.to_string()).or_insert(v);
            }
        }
    }
    props
}

/// Fill `${name}` references; Err(name) for the first one that cannot be resolved (unknown,
/// circular, or growing past the limits).
fn interpolate(s: &str, props: &HashMap<String, String>) -> Result<String, String> {
    let mut out = s.to_string();
    for _ in 0..MAX_SUBSTITUTIONS {
        let Some(start) = out.find("${") else {
            return Ok(out);
        };
        let rest = out.get(start + 2..).unwrap_or("");
        let Some(len) = rest.find('}') else {
            return Err(rest.to_string());
        };
        let name = rest.get(..len).unwrap_or("").trim().to_string();
        let value = props.get(&name).ok_or_else(|| name.clone())?;
        out.replace_range(start..start + 2 + len + 1, value);
        if out.len() > MAX_VALUE_LEN {
            return Err(name);
        }
    }
    match out.find("${") {
        None => Ok(out),
        Some(at) => Err(out.get(at..).unwrap_or("").to_string()),
    }
}

/// Interpolate a coordinate part, keeping the raw text when it cannot be resolved.
fn coord(s: &str, props: &HashMap<String, String>) -> Result<String, String> {
    interpolate(s.trim(), props)
}

/// The management key of a dependency (groupId:artifactId:type:classifier), interpolated.
fn dep_key(d: &Dep, props: &HashMap<String, String>) -> Option<(String, String, String)> {
    let g = coord(&d.group_id, props).ok()?;
    let a = coord(&d.artifact_id, props).ok()?;
    let kind = d.kind.as_deref().unwrap_or("jar");
    let classifier = d.classifier.as_deref().unwrap_or("");
    let full = format!("{g}:{a}:{kind}:{classifier}");
    Some((g, a, full))
}

/// Build the effective dependency list and emit packages.
fn resolve(chain: &[PomFile], out: &mut Parsed) {
    let props = effective_properties(chain);
    let mut managed: HashMap<String, Dep> = HashMap::new();
    let mut deps: Vec<(String, Dep)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for pom in chain.iter().rev() {
        for m in &pom.managed {
            if let Some((_, _, key)) = dep_key(m, &props) {
                managed.insert(key, m.clone());
            }
        }
        for d in &pom.deps {
            let key = dep_key(d, &props).map_or_else(
                || format!("{}:{}", d.group_id, d.artifact_id),
                |(_, _, k)| k,
            );
            match index.get(&key).and_then(|&i| deps.get_mut(i)) {
                Some(slot) => slot.1 = d.clone(),
                None => {
                    index.insert(key.clone(), deps.len());
                    deps.push((key, d.clone()));
                }
            }
        }
    }
    let mut seen = HashSet::new();
    for (key, d) in &deps {
        if let Some(p) = dependency(d, managed.get(key), &props, out) {
            if seen.insert((p.name.clone(), p.version.clone())) {
                out.packages.push(p);
            }
        }
    }
}

/// Add a warning at a place.
fn warn(out: &mut Parsed, file: &str, line: usize, message: String) {
    out.warnings.push(Warning {
        file: file.to_string(),
        line,
        message,
    });
}

/// One dependency of the effective model as a package (None when skipped).
fn dependency(
    d: &Dep,
    managed: Option<&Dep>,
    props: &HashMap<String, String>,
    out: &mut Parsed,
) -> Option<Package> {
    let name = match (coord(&d.group_id, props), coord(&d.artifact_id, props)) {
        (Ok(g), Ok(a)) if !g.is_empty() && !a.is_empty() => format!("{g}:{a}"),
        _ => {
            let message = format!(
                "dependency {}:{} has an unknown or unresolvable groupId/artifactId; not scanned",
                d.group_id, d.artifact_id
            );
            warn(out, &d.file, d.line, message);
            return None;
        }
    };
    let pick = |f: fn(&Dep) -> Option<&String>| {
        f(d).or_else(|| managed.and_then(f))
            .map(|s| interpolate(s, props).unwrap_or_default())
    };
    let scope = pick(|x| x.scope.as_ref()).unwrap_or_default();
    if scope == "import" {
        return None;
    }
    let optional = pick(|x| x.optional.as_ref()).is_some_and(|o| o.trim() == "true");
    let group = match (scope.as_str(), optional) {
        ("test", _) => DepGroup::Dev,
        (_, true) => DepGroup::Optional,
        _ => DepGroup::Prod,
    };
    // The element that supplies the version: the dependency itself, else its managed entry.
    let source = if d.version.is_some() {
        Some(d)
    } else {
        managed.filter(|m| m.version.is_some())
    };
    let mut package = Package {
        ecosystem: Ecosystem::Maven,
        name,
        version: String::new(),
        pinned: false,
        group,
        file: source.map_or(&d.file, |s| &s.file).clone(),
        line: source.map_or(d.line, |s| s.line),
    };
    let Some(raw) = source.and_then(|s| s.version.as_deref()) else {
        let message = format!(
            "{}: no version (managed by a parent POM or BOM that is not available locally)",
            package.name
        );
        warn(out, &d.file, d.line, message);
        return Some(package);
    };
    let text = match interpolate(raw, props) {
        Ok(t) => t,
        Err(prop) => {
            let message = format!(
                "{}: version {raw} uses the unresolvable property {prop}",
                package.name
            );
            warn(out, &package.file, package.line, message);
            return Some(package);
        }
    };
    match requirement(&text) {
        Requirement::Exact(v) if v == "LATEST" || v == "RELEASE" => {
            let message = format!("{}: meta-version {v} names no release", package.name);
            warn(out, &package.file, package.line, message);
        }
        Requirement::Exact(v) => {
            package.version = v;
            package.pinned = true;
        }
        Requirement::Range(lower) => {
            let message = format!(
                "{}: version range {text}; scanned at its lower bound {lower:?}",
                package.name
            );
            warn(out, &package.file, package.line, message);
            package.version = lower;
        }
    }
    Some(package)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rel_joins() {
        assert_eq!(join_rel("a/b", "../pom.xml"), "a/pom.xml");
        assert_eq!(join_rel("", "../pom.xml"), "../pom.xml");
        assert_eq!(join_rel("a", "./x/../y/pom.xml"), "a/y/pom.xml");
        assert_eq!(rel_dir("a/b/pom.xml"), "a/b");
        assert_eq!(rel_dir("pom.xml"), "");
    }

    #[test]
    fn interpolation() {
        let p: HashMap<String, String> = [
            ("a".to_string(), "1.${b}".to_string()),
            ("b".to_string(), "2".to_string()),
            ("self".to_string(), "${self}".to_string()),
            ("big".to_string(), "${big}${big}".to_string()),
        ]
        .into();
        assert_eq!(interpolate("${a}.0", &p), Ok("1.2.0".to_string()));
        assert_eq!(interpolate("${nope}", &p), Err("nope".to_string()));
        assert!(interpolate("${self}", &p).is_err());
        assert!(interpolate("${big}", &p).is_err());
        assert!(interpolate("${open", &p).is_err());
        assert_eq!(interpolate("1.0", &p), Ok("1.0".to_string()));
    }
}
