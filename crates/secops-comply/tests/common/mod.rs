//! Scaffolding shared by the IaC integration tests: loading fixture and example trees, running
//! the checks, the `# expect-fail:` fixture convention of the single-file kinds (Kubernetes,
//! Dockerfile, GitHub Actions), the "every rule has a passing and a failing fixture" assertion
//! and the example trees' PLANTED.md.
// Each test binary compiles this module and uses its own part of it.
#![allow(dead_code)]

use secops_comply::iac::{self, IacFile, IacKind, IacOutput, IacRule};
use secops_core::Severity;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example projects, `examples/iac` at the workspace root.
pub fn examples() -> PathBuf {
    manifest_dir().join("../../examples/iac")
}

/// Every file under `dir`, as (path relative to `dir`, bytes), sorted.
pub fn load(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// All IaC checks over a batch of files, as the scanner runs them.
pub fn check_files(files: &[(String, Vec<u8>)]) -> IacOutput {
    let f: Vec<IacFile<'_>> = files
        .iter()
        .map(|(p, b)| IacFile {
            rel_path: p,
            bytes: b,
        })
        .collect();
    iac::check(&f)
}

/// All IaC checks over the example project `examples/iac/<name>`.
pub fn check_tree(name: &str) -> IacOutput {
    check_files(&load(&examples().join(name)))
}

/// `- \`path:line rule-id\`` entries of an example project's PLANTED.md.
pub fn planted(name: &str) -> BTreeSet<(String, usize, String)> {
    let text = std::fs::read_to_string(examples().join(name).join("PLANTED.md")).unwrap();
    let mut s = BTreeSet::new();
    for l in text.lines() {
        let Some(rest) = l.trim().strip_prefix("- `") else {
            continue;
        };
        let Some((entry, _)) = rest.split_once('`') else {
            continue;
        };
        let Some((loc, rule)) = entry.split_once(' ') else {
            continue;
        };
        let Some((path, line)) = loc.rsplit_once(':') else {
            continue;
        };
        s.insert((
            path.to_string(),
            line.parse().unwrap(),
            rule.trim().to_string(),
        ));
    }
    s
}

/// The failures found are exactly the planted ones: nothing missed, nothing extra.
pub fn assert_found_exactly_planted(
    planted: &BTreeSet<(String, usize, String)>,
    found: &BTreeSet<(String, usize, String)>,
) {
    let missed: Vec<_> = planted.difference(found).collect();
    let extra: Vec<_> = found.difference(planted).collect();
    assert!(missed.is_empty(), "planted but not found: {missed:#?}");
    assert!(extra.is_empty(), "found but not planted: {extra:#?}");
}

/// Where a `# expect-fail: a, b` marker points.
#[derive(Debug, Clone, Copy)]
pub enum Marker {
    /// The marker ends the line that must fail (YAML).
    SameLine,
    /// The marker is a comment line of its own and marks the next line that is not itself a
    /// marker (Dockerfile, where comments cannot end an instruction).
    NextLine,
}

/// The fixtures of a kind checked one file at a time: `tests/fixtures/iac/<dir>` holds
/// `<check>.pass[-n].<ext>` and `<check>.fail[-n].<ext>` for every rule, with
/// `# expect-fail:` markers on the lines that must fail, and scenario files.
pub struct Suite {
    pub kind: IacKind,
    /// `iac.<kind>.`
    pub prefix: &'static str,
    /// Folder under `tests/fixtures/iac`.
    pub dir: &'static str,
    /// The fixture files are those with these extensions.
    pub exts: &'static [&'static str],
    /// The extension of the `<check>.pass.<ext>` and `<check>.fail.<ext>` every rule has.
    pub ext: &'static str,
    pub marker: Marker,
    pub rules: fn() -> Vec<IacRule>,
    pub check: fn(&IacFile<'_>, &mut IacOutput),
    /// Fixtures that are expected to have parse errors (every other one must have none).
    pub parse_errors_ok: &'static [&'static str],
}

impl Suite {
    pub fn fixtures(&self) -> PathBuf {
        manifest_dir().join("tests/fixtures/iac").join(self.dir)
    }

    /// This kind's check over one file.
    pub fn run(&self, rel: &str, bytes: &[u8]) -> IacOutput {
        let mut out = IacOutput::default();
        (self.check)(
            &IacFile {
                rel_path: rel,
                bytes,
            },
            &mut out,
        );
        out
    }

    pub fn fixture_files(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.fixtures())
            .expect("fixtures dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| self.exts.iter().any(|x| e == *x))
            })
            .collect();
        v.sort();
        v
    }

    /// {(line, `iac.<kind>.a`), ...} from the `# expect-fail: a, b` markers.
    pub fn markers(&self, text: &str) -> BTreeSet<(usize, String)> {
        let mut s = BTreeSet::new();
        match self.marker {
            Marker::SameLine => {
                for (i, l) in text.lines().enumerate() {
                    if let Some((_, rest)) = l.split_once("# expect-fail:") {
                        for r in rest.split(',') {
                            s.insert((i + 1, format!("{}{}", self.prefix, r.trim())));
                        }
                    }
                }
            }
            Marker::NextLine => {
                let lines: Vec<&str> = text.lines().collect();
                for (i, l) in lines.iter().enumerate() {
                    let Some(rest) = l.trim().strip_prefix("# expect-fail:") else {
                        continue;
                    };
                    let target = (i + 1..lines.len())
                        .find(|&j| !lines[j].trim().starts_with("# expect-fail:"))
                        .expect("marker before a line");
                    for r in rest.split(',') {
                        s.insert((target + 1, format!("{}{}", self.prefix, r.trim())));
                    }
                }
            }
        }
        s
    }

    /// (own rule id, is pass fixture) from `<check>.pass[-n].<ext>` / `<check>.fail[-n].<ext>`.
    pub fn own_rule(&self, p: &Path) -> Option<(String, bool)> {
        let name = p.file_name()?.to_str()?;
        let mut parts = name.split('.');
        let check = parts.next()?;
        let kind = parts.next()?;
        let pass = if kind.starts_with("pass") {
            true
        } else if kind.starts_with("fail") {
            false
        } else {
            return None;
        };
        Some((format!("{}{check}", self.prefix), pass))
    }

    /// The kind's catalog: at least `min_rules` rules, unique well-formed ids of this kind, a
    /// title and a help text, a pass and a fail fixture each, all in the crate-wide catalog.
    /// Returns the ids.
    pub fn assert_catalog(&self, min_rules: usize) -> BTreeSet<&'static str> {
        let rules = (self.rules)();
        assert!(rules.len() >= min_rules, "{} rules", rules.len());
        let fx = self.fixtures();
        let mut ids = BTreeSet::new();
        for r in &rules {
            assert!(ids.insert(r.id), "duplicate id {}", r.id);
            assert!(r.id.starts_with(self.prefix), "{}", r.id);
            let check = r.id.trim_start_matches(self.prefix);
            assert!(
                check
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.id
            );
            assert_eq!(r.kind, self.kind);
            assert!(!r.title.is_empty());
            assert!(r.help.len() > 80, "{} help too short", r.id);
            for side in ["pass", "fail"] {
                let f = format!("{check}.{side}.{}", self.ext);
                assert!(fx.join(&f).is_file(), "{f} missing");
            }
        }
        // The crate-wide catalog has them too.
        let all: BTreeSet<&str> = iac::rules().iter().map(|r| r.id).collect();
        assert!(ids.iter().all(|id| all.contains(id)));
        ids
    }

    /// Every fixture fails exactly on its marked lines, for every marked rule and for its own
    /// rule (a fail fixture must mark it; a pass fixture must pass it); results name the file
    /// and a line inside it.
    pub fn assert_fixtures_fail_exactly_on_marked_lines(&self) {
        let known: BTreeSet<&str> = (self.rules)().iter().map(|r| r.id).collect();
        for p in self.fixture_files() {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            let out = self.run(&name, text.as_bytes());
            if !self.parse_errors_ok.contains(&name.as_str()) {
                assert!(out.errors.is_empty(), "{name}: {:?}", out.errors);
            }
            let expected = self.markers(&text);
            for (_, r) in &expected {
                assert!(
                    known.contains(r.as_str()),
                    "{name}: marker for unknown rule {r}"
                );
            }
            let mut rules: BTreeSet<String> = expected.iter().map(|e| e.1.clone()).collect();
            if let Some((r, pass)) = self.own_rule(&p) {
                rules.insert(r.clone());
                let passed = out
                    .results
                    .iter()
                    .filter(|c| c.rule_id == r && c.passed)
                    .count();
                if pass {
                    assert!(passed > 0, "{name}: no passed result for {r}");
                } else {
                    assert!(
                        expected.iter().any(|e| e.1 == r),
                        "{name}: fail fixture without a marker for {r}"
                    );
                }
            }
            for r in rules {
                let want: BTreeSet<usize> =
                    expected.iter().filter(|e| e.1 == r).map(|e| e.0).collect();
                let got: BTreeSet<usize> = out
                    .results
                    .iter()
                    .filter(|c| c.rule_id == r && !c.passed)
                    .map(|c| c.line)
                    .collect();
                assert_eq!(
                    got, want,
                    "{name}: failing lines of {r}\n{:#?}",
                    out.results
                );
            }
            for c in &out.results {
                assert_eq!(c.path, name);
                assert!(
                    c.line >= 1 && c.line <= text.lines().count(),
                    "{name}: line {} out of range",
                    c.line
                );
                assert!(!c.resource.is_empty() && !c.message.is_empty());
            }
        }
    }

    /// Checked as `rel`, the fixtures give every rule of the kind at least one passed and at
    /// least one failed result.
    pub fn assert_every_rule_has_a_passed_and_a_failed_result(&self, rel: &str) {
        let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for p in self.fixture_files() {
            let text = std::fs::read(&p).unwrap();
            for c in self.run(rel, &text).results {
                let e = seen.entry(c.rule_id).or_default();
                if c.passed {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
        }
        for r in (self.rules)() {
            let (p, f) = seen.get(r.id).copied().unwrap_or_default();
            assert!(p > 0, "{} has no passed result in the fixtures", r.id);
            assert!(f > 0, "{} has no failed result in the fixtures", r.id);
        }
    }

    /// The example project `tree` parses, its failures of this kind are exactly the ones its
    /// PLANTED.md lists, and every rule of the kind is planted. Returns the output and the
    /// planted entries of this kind.
    pub fn assert_planted_exactly(
        &self,
        tree: &str,
    ) -> (IacOutput, BTreeSet<(String, usize, String)>) {
        let out = check_tree(tree);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let want: BTreeSet<_> = planted(tree)
            .into_iter()
            .filter(|p| p.2.starts_with(self.prefix))
            .collect();
        let got: BTreeSet<_> = out
            .results
            .iter()
            .filter(|c| !c.passed && c.rule_id.starts_with(self.prefix))
            .map(|c| (c.path.clone(), c.line, c.rule_id.to_string()))
            .collect();
        assert_found_exactly_planted(&want, &got);
        for r in (self.rules)() {
            assert!(want.iter().any(|p| p.2 == r.id), "{} not planted", r.id);
        }
        (out, want)
    }

    /// The hardened example project `tree` parses, has files of this kind, at least
    /// `min_passed` passed results of this kind, and its only failures of this kind are
    /// info-level ones documented in its PLANTED.md. Returns the output.
    pub fn assert_hardened(&self, tree: &str, min_passed: usize) -> IacOutput {
        let out = check_tree(tree);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert!(out.kinds.contains(&self.kind));
        let sev: BTreeMap<&str, Severity> =
            iac::rules().iter().map(|r| (r.id, r.severity)).collect();
        let readme = std::fs::read_to_string(examples().join(tree).join("PLANTED.md")).unwrap();
        let passed = out
            .results
            .iter()
            .filter(|c| c.passed && c.rule_id.starts_with(self.prefix))
            .count();
        assert!(passed >= min_passed, "{passed} passed");
        for c in out
            .results
            .iter()
            .filter(|c| !c.passed && c.rule_id.starts_with(self.prefix))
        {
            assert_eq!(sev[c.rule_id], Severity::Info, "{c:?}");
            assert!(
                readme.contains(&format!("{}:{} {}", c.path, c.line, c.rule_id)),
                "undocumented: {c:?}"
            );
        }
        out
    }

    /// All IaC checks over the fixture `file` given the path `rel`: only this kind is
    /// detected; returns the snapshot text.
    pub fn snapshot(&self, file: &str, rel: &str) -> String {
        let text = std::fs::read(self.fixtures().join(file)).unwrap();
        let out = check_files(&[(rel.to_string(), text)]);
        assert_eq!(out.kinds, vec![self.kind]);
        self.render(&out)
    }

    /// The snapshot text: one line a result (rule ids without the prefix), then the errors.
    pub fn render(&self, out: &IacOutput) -> String {
        let mut s = String::new();
        for c in &out.results {
            s.push_str(&format!(
                "{}:{} {} {} [{}] {}\n",
                c.path,
                c.line,
                if c.passed { "PASS" } else { "FAIL" },
                c.rule_id.trim_start_matches(self.prefix),
                c.resource,
                c.message
            ));
        }
        for e in &out.errors {
            s.push_str(&format!("ERROR {e}\n"));
        }
        s
    }
}
