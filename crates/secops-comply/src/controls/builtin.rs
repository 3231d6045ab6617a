//! Probes that regexes cannot express: they reason over the set of paths the walk saw.

use super::catalog::Side;
use super::probes::Observations;
use super::stack;
use crate::model::Evidence;
use std::collections::{BTreeMap, BTreeSet};

/// The builtin probe names a catalog may use.
pub const NAMES: &[&str] = &["lockfiles", "dependency-update-coverage"];

/// Evaluate a builtin probe.
pub fn run(name: &str, obs: &Observations) -> Vec<(Side, Evidence)> {
    match name {
        "lockfiles" => lockfiles(&obs.paths),
        "dependency-update-coverage" => update_coverage(obs),
        _ => Vec::new(),
    }
}

fn split(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", path),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `dir` and each of its ancestors up to the root.
fn ancestors(dir: &str) -> Vec<&str> {
    let mut out = vec![dir];
    let mut d = dir;
    while let Some((parent, _)) = d.rsplit_once('/') {
        out.push(parent);
        d = parent;
    }
    if !dir.is_empty() {
        out.push("");
    }
    out
}

fn ev(side: Side, path: &str, line: usize, text: String) -> (Side, Evidence) {
    (
        side,
        Evidence {
            path: path.to_string(),
            line,
            text,
            failing: side == Side::Fail,
        },
    )
}

/// Every application manifest has a lockfile beside it (or, for workspaces, in an ancestor).
fn lockfiles(paths: &[String]) -> Vec<(Side, Evidence)> {
    let set: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for p in paths {
        if stack::is_test_path(p) {
            continue;
        }
        let (dir, name) = split(p);
        // (lockfile names, whether an ancestor's lockfile counts)
        let (locks, up): (&[&str], bool) = match name {
            "package.json" => (
                &[
                    "package-lock.json",
                    "npm-shrinkwrap.json",
                    "yarn.lock",
                    "pnpm-lock.yaml",
                    "bun.lockb",
                    "bun.lock",
                ],
                true,
            ),
            "pyproject.toml" => (
                &[
                    "poetry.lock",
                    "uv.lock",
                    "pdm.lock",
                    "Pipfile.lock",
                    "requirements.lock",
                ],
                true,
            ),
            "Pipfile" => (&["Pipfile.lock"], false),
            "go.mod" => (&["go.sum"], false),
            "Gemfile" => (&["Gemfile.lock"], false),
            "composer.json" => (&["composer.lock"], false),
            "Cargo.toml" => {
                // Libraries need not commit Cargo.lock; binaries should.
                let bin = set.contains(join(dir, "src/main.rs").as_str())
                    || set.iter().any(|q| q.starts_with(&join(dir, "src/bin/")));
                if !bin {
                    continue;
                }
                (&["Cargo.lock"], true)
            }
            _ => continue,
        };
        // A requirements file beside pyproject.toml also counts as the Python lock.
        let dirs = if up { ancestors(dir) } else { vec![dir] };
        let found = dirs.iter().find_map(|d| {
            locks
                .iter()
                .map(|l| join(d, l))
                .find(|l| set.contains(l.as_str()))
        });
        let found = found.or_else(|| {
            (name == "pyproject.toml")
                .then(|| {
                    set.iter()
                        .find(|q| {
                            let (qd, qn) = split(q);
                            qd == dir && qn.starts_with("requirements") && qn.ends_with(".txt")
                        })
                        .map(|q| q.to_string())
                })
                .flatten()
        });
        match found {
            Some(lock) => out.push(ev(Side::Pass, &lock, 0, format!("lockfile {lock} for {p}"))),
            None => out.push(ev(
                Side::Fail,
                p,
                0,
                format!("{name} without a lockfile ({})", locks.join(", ")),
            )),
        }
    }
    out
}

/// Ecosystem (Dependabot name) of a manifest file name.
fn ecosystem_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "package.json" => "npm",
        "pyproject.toml" | "Pipfile" | "setup.py" => "pip",
        n if n.starts_with("requirements") && n.ends_with(".txt") => "pip",
        "Cargo.toml" => "cargo",
        "go.mod" => "gomod",
        "pom.xml" => "maven",
        "build.gradle" | "build.gradle.kts" => "gradle",
        "Gemfile" => "bundler",
        "composer.json" => "composer",
        n if n.ends_with(".csproj") || n == "packages.config" => "nuget",
        _ => return None,
    })
}

/// Dependabot aliases: the names a `package-ecosystem` entry may use for an ecosystem.
fn covers(entry: &str, eco: &str) -> bool {
    entry == eco
        || (eco == "pip" && matches!(entry, "uv" | "pipenv" | "poetry"))
        || (eco == "npm" && matches!(entry, "yarn" | "pnpm" | "bun"))
}

/// Dependency update automation covers every package ecosystem present.
fn update_coverage(obs: &Observations) -> Vec<(Side, Evidence)> {
    let mut present: BTreeMap<&'static str, &str> = BTreeMap::new();
    for p in &obs.paths {
        if stack::is_test_path(p) {
            continue;
        }
        if let Some(eco) = ecosystem_of(split(p).1) {
            present.entry(eco).or_insert(p.as_str());
        }
    }
    let mut out = Vec::new();
    if let Some(r) = &obs.renovate {
        out.push(ev(
            Side::Pass,
            r,
            0,
            "Renovate configuration (covers every ecosystem it supports)".into(),
        ));
        return out;
    }
    let Some((_, file, _)) = obs.dependabot.first() else {
        return out;
    };
    for (eco, manifest) in &present {
        match obs.dependabot.iter().find(|(e, _, _)| covers(e, eco)) {
            Some((e, f, line)) => out.push(ev(
                Side::Pass,
                f,
                *line,
                format!("Dependabot updates {e} (for {manifest})"),
            )),
            None => out.push(ev(
                Side::Fail,
                file,
                0,
                format!("no Dependabot entry for the {eco} ecosystem ({manifest})"),
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lockfiles_per_manifest_with_workspaces() {
        let r = lockfiles(&paths(&[
            "package.json",
            "package-lock.json",
            "packages/a/package.json",
            "svc/go.mod",
            "tool/Cargo.toml",
            "tool/src/main.rs",
            "lib/Cargo.toml",
            "lib/src/lib.rs",
            "tests/fixtures/x/package.json",
        ]));
        let fails: Vec<&str> = r
            .iter()
            .filter(|(s, _)| *s == Side::Fail)
            .map(|(_, e)| e.path.as_str())
            .collect();
        assert_eq!(fails, vec!["svc/go.mod", "tool/Cargo.toml"]);
        assert_eq!(r.iter().filter(|(s, _)| *s == Side::Pass).count(), 2);
    }

    #[test]
    fn dependabot_coverage() {
        let mut o = Observations {
            paths: paths(&["web/package.json", "requirements.txt", "Dockerfile"]),
            ..Observations::default()
        };
        assert!(update_coverage(&o).is_empty());
        o.dependabot = vec![("npm".into(), ".github/dependabot.yml".into(), 4)];
        let r = update_coverage(&o);
        assert_eq!(r.len(), 2);
        assert!(r
            .iter()
            .any(|(s, e)| *s == Side::Fail && e.text.contains("pip")));
        o.renovate = Some("renovate.json".into());
        assert_eq!(update_coverage(&o).len(), 1);
    }
}
