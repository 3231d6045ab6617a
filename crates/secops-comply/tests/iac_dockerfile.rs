//! Dockerfile checks: fixtures where a `# expect-fail: <check>` comment line marks the next
//! line as one that must fail, a pass and a fail fixture per rule, robustness, snapshots and
//! the example trees.
#![allow(clippy::unwrap_used)]

use secops_comply::iac::{self, dockerfile, CheckResult, IacFile, IacKind, IacOutput};
use secops_comply::ComplyError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const PREFIX: &str = "iac.dockerfile.";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iac/dockerfile")
}

fn run(rel: &str, bytes: &[u8]) -> IacOutput {
    let mut out = IacOutput::default();
    dockerfile::check(
        &IacFile {
            rel_path: rel,
            bytes,
        },
        &mut out,
    );
    out
}

/// A `# expect-fail: a, b` line marks the next line that is not itself a marker.
fn markers(text: &str) -> BTreeSet<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut s = BTreeSet::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(rest) = l.trim().strip_prefix("# expect-fail:") else {
            continue;
        };
        let target = (i + 1..lines.len())
            .find(|&j| !lines[j].trim().starts_with("# expect-fail:"))
            .expect("marker before a line");
        for r in rest.split(',') {
            s.insert((target + 1, format!("{PREFIX}{}", r.trim())));
        }
    }
    s
}

fn fixture_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    v.sort();
    v
}

/// (own rule id, is pass fixture) from `<check>.pass[-n].Dockerfile` / `<check>.fail[-n].Dockerfile`.
fn own_rule(p: &Path) -> Option<(String, bool)> {
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
    Some((format!("{PREFIX}{check}"), pass))
}

#[test]
fn catalog_is_consistent() {
    let rules = dockerfile::rules();
    assert!(rules.len() >= 8, "{} rules", rules.len());
    let mut ids = BTreeSet::new();
    for r in &rules {
        assert!(ids.insert(r.id), "duplicate id {}", r.id);
        assert!(r.id.starts_with(PREFIX), "{}", r.id);
        let check = r.id.trim_start_matches(PREFIX);
        assert!(
            check.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            r.id
        );
        assert_eq!(r.kind, IacKind::Dockerfile);
        assert!(!r.title.is_empty());
        assert!(r.help.len() > 80, "{} help too short", r.id);
        let fx = fixtures();
        assert!(
            fx.join(format!("{check}.pass.Dockerfile")).is_file(),
            "{check}.pass.Dockerfile missing"
        );
        assert!(
            fx.join(format!("{check}.fail.Dockerfile")).is_file(),
            "{check}.fail.Dockerfile missing"
        );
    }
    let all: BTreeSet<&str> = iac::rules().iter().map(|r| r.id).collect();
    assert!(ids.iter().all(|id| all.contains(id)));
    let all_ids: Vec<&str> = iac::rules().iter().map(|r| r.id).collect();
    assert_eq!(
        all_ids.len(),
        all_ids.iter().collect::<BTreeSet<_>>().len(),
        "ids unique crate-wide"
    );
}

#[test]
fn fixtures_fail_exactly_on_marked_lines() {
    let known: BTreeSet<&str> = dockerfile::rules().iter().map(|r| r.id).collect();
    for p in fixture_files() {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&p).unwrap();
        let out = run(&name, text.as_bytes());
        assert!(out.errors.is_empty(), "{name}: {:?}", out.errors);
        let expected = markers(&text);
        for (_, r) in &expected {
            assert!(
                known.contains(r.as_str()),
                "{name}: marker for unknown rule {r}"
            );
        }
        let mut rules: BTreeSet<String> = expected.iter().map(|e| e.1.clone()).collect();
        if let Some((r, pass)) = own_rule(&p) {
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
            let want: BTreeSet<usize> = expected.iter().filter(|e| e.1 == r).map(|e| e.0).collect();
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
                "{name}: line {}",
                c.line
            );
            assert!(!c.resource.is_empty() && !c.message.is_empty());
        }
    }
}

#[test]
fn every_rule_has_a_passed_and_a_failed_result() {
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for p in fixture_files() {
        let text = std::fs::read(&p).unwrap();
        for c in run("Dockerfile", &text).results {
            let e = seen.entry(c.rule_id).or_default();
            if c.passed {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    for r in dockerfile::rules() {
        let (p, f) = seen.get(r.id).copied().unwrap_or_default();
        assert!(p > 0, "{} has no passed result in the fixtures", r.id);
        assert!(f > 0, "{} has no failed result in the fixtures", r.id);
    }
}

fn one(out: &IacOutput, rule: &str) -> CheckResult {
    let v: Vec<&CheckResult> = out.results.iter().filter(|c| c.rule_id == rule).collect();
    assert_eq!(v.len(), 1, "{rule}: {v:#?}");
    v[0].clone()
}

#[test]
fn final_stage_user_follows_stage_chains() {
    let read = |f: &str| std::fs::read(fixtures().join(f)).unwrap();
    // USER app in the parent stage is inherited by `FROM base`.
    let out = run("Dockerfile", &read("root-user.pass-2.Dockerfile"));
    let r = one(&out, dockerfile::ROOT_USER);
    assert!(
        r.passed && r.message.contains("inherited from stage base"),
        "{r:?}"
    );
    assert_eq!(r.line, 3);
    // A build arg defaulting to root, re-declared in the stage.
    let out = run("Dockerfile", &read("root-user.fail-3.Dockerfile"));
    let r = one(&out, dockerfile::ROOT_USER);
    assert!(!r.passed && r.message.contains("inherited"), "{r:?}");
    // distroless :nonroot without USER.
    let out = run("Dockerfile", &read("root-user.pass-3.Dockerfile"));
    assert!(one(&out, dockerfile::ROOT_USER).passed);
    // Base images: scratch and stage references are not images; args resolve.
    let out = run("Dockerfile", &read("base-image-tag.pass.Dockerfile"));
    let bases: Vec<String> = out
        .results
        .iter()
        .filter(|c| c.rule_id == dockerfile::BASE_IMAGE_TAG)
        .map(|c| c.message.clone())
        .collect();
    assert_eq!(bases.len(), 3, "{bases:#?}");
    assert!(
        bases
            .iter()
            .any(|m| m.contains("`${ALPINE}` (`alpine:3.20`)")),
        "{bases:#?}"
    );
}

#[test]
fn detection() {
    for p in [
        "Dockerfile",
        "svc/Dockerfile",
        "Dockerfile.prod",
        "api.Dockerfile",
        "x.dockerfile",
        "Containerfile",
    ] {
        assert!(dockerfile::is_dockerfile(p), "{p}");
        assert_eq!(
            iac::detect(p, b"FROM a:1\n"),
            Some(IacKind::Dockerfile),
            "{p}"
        );
    }
    for p in [
        "Dockerfile.md/README",
        "dockerfiles/build.sh",
        "MyDockerfile",
    ] {
        assert!(!dockerfile::is_dockerfile(p), "{p}");
    }
}

#[test]
fn parse_errors_name_the_file() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "garbage/Dockerfile",
            b"hello world\nthis is not a dockerfile\n".to_vec(),
        ),
        (
            "binary/Dockerfile",
            (0..5000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
                .collect(),
        ),
        ("nofrom/Dockerfile", b"# just a comment\n\n".to_vec()),
        (
            "before/Dockerfile",
            b"RUN echo hi\nFROM alpine:3\n".to_vec(),
        ),
        (
            "heredoc/Dockerfile",
            b"FROM alpine:3\nRUN <<EOF\necho never closed\n".to_vec(),
        ),
        ("escape/Dockerfile", b"# escape=x\nFROM alpine:3\n".to_vec()),
        ("empty/Dockerfile", Vec::new()),
        (
            "nul/Dockerfile",
            b"FROM alpine:3\x00\nRUN \x01\x02\n".to_vec(),
        ),
    ];
    for (name, bytes) in &cases {
        let out = run(name, bytes);
        assert!(
            out.results.is_empty() || *name == "nul/Dockerfile",
            "{name}: {:?}",
            out.results
        );
        if *name == "nul/Dockerfile" {
            continue;
        }
        assert_eq!(out.errors.len(), 1, "{name}");
        match &out.errors[0] {
            ComplyError::Parse { path, .. } => assert_eq!(path, name),
            e => panic!("{e:?}"),
        }
    }
    // Odd but valid inputs do not panic.
    for text in [
        "FROM a\nRUN \\",
        "FROM a\nRUN \\\n\n\n",
        "FROM\tscratch\nUSER",
        "FROM a AS\nFROM a AS b\nFROM b\nADD\nENV\nARG\nENV =\nARG =x\nHEALTHCHECK\n",
        "FROM a\nRUN <<-'EOF' <<\"X\"\n\tEOF\nX\n",
        "FROM ${A:-${B}}\nUSER ${U:+x}\nRUN curl|sh\nRUN ['sudo'\n",
    ] {
        let _ = run("Dockerfile", text.as_bytes());
    }
}

#[test]
fn large_file_is_fast_and_exact() {
    let mut s = String::from("FROM alpine:3.20\n");
    for i in 0..5000 {
        s.push_str(&format!(
            "RUN echo step {i} && \\\n    curl -fsSL https://example.com/{i} | sh\n"
        ));
    }
    s.push_str("USER 1000\n");
    assert!(s.lines().count() > 10_000);
    let start = std::time::Instant::now();
    let out = run("Dockerfile", s.as_bytes());
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    let fails: Vec<usize> = out
        .results
        .iter()
        .filter(|c| c.rule_id == dockerfile::CURL_PIPE && !c.passed)
        .map(|c| c.line)
        .collect();
    assert_eq!(fails.len(), 5000);
    assert_eq!(fails[0], 3);
    assert_eq!(fails[4999], 3 + 2 * 4999);
}

fn render(out: &IacOutput) -> String {
    let mut s = String::new();
    for c in &out.results {
        s.push_str(&format!(
            "{}:{} {} {} [{}] {}\n",
            c.path,
            c.line,
            if c.passed { "PASS" } else { "FAIL" },
            c.rule_id.trim_start_matches(PREFIX),
            c.resource,
            c.message
        ));
    }
    for e in &out.errors {
        s.push_str(&format!("ERROR {e}\n"));
    }
    s
}

#[test]
fn snapshots() {
    for (name, file) in [
        ("multistage", "scenario-multistage.Dockerfile"),
        ("windows", "scenario-windows.Dockerfile"),
    ] {
        let text = std::fs::read(fixtures().join(file)).unwrap();
        let files = [IacFile {
            rel_path: file,
            bytes: &text,
        }];
        let out = iac::check(&files);
        assert_eq!(out.kinds, vec![IacKind::Dockerfile]);
        insta::assert_snapshot!(name, render(&out));
    }
}

// ---------------------------------------------------------------------------------------
// Example trees.

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/iac")
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
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

fn check_tree(name: &str) -> IacOutput {
    let root = examples().join(name);
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let iac_files: Vec<IacFile<'_>> = files
        .iter()
        .map(|(r, b)| IacFile {
            rel_path: r,
            bytes: b,
        })
        .collect();
    iac::check(&iac_files)
}

/// `- \`path:line rule-id\`` entries of PLANTED.md.
fn planted(name: &str) -> BTreeSet<(String, usize, String)> {
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

#[test]
fn misconfigured_example_findings_are_exactly_the_planted_ones() {
    let name = "k8s-docker-gha-misconfigured";
    let out = check_tree(name);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.kinds.contains(&IacKind::Dockerfile));
    let want: BTreeSet<_> = planted(name)
        .into_iter()
        .filter(|p| p.2.starts_with(PREFIX))
        .collect();
    let got: BTreeSet<_> = out
        .results
        .iter()
        .filter(|c| !c.passed && c.rule_id.starts_with(PREFIX))
        .map(|c| (c.path.clone(), c.line, c.rule_id.to_string()))
        .collect();
    let missed: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(missed.is_empty(), "planted but not found: {missed:#?}");
    assert!(extra.is_empty(), "found but not planted: {extra:#?}");
    for r in dockerfile::rules() {
        assert!(want.iter().any(|p| p.2 == r.id), "{} not planted", r.id);
    }
}

#[test]
fn hardened_example_has_no_failures_but_documented_info() {
    let out = check_tree("k8s-docker-gha-hardened");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.kinds.contains(&IacKind::Dockerfile));
    let sev: BTreeMap<&str, secops_core::Severity> =
        iac::rules().iter().map(|r| (r.id, r.severity)).collect();
    let readme =
        std::fs::read_to_string(examples().join("k8s-docker-gha-hardened/PLANTED.md")).unwrap();
    let passed = out
        .results
        .iter()
        .filter(|c| c.passed && c.rule_id.starts_with(PREFIX))
        .count();
    assert!(passed >= 6, "{passed} passed");
    for c in out
        .results
        .iter()
        .filter(|c| !c.passed && c.rule_id.starts_with(PREFIX))
    {
        assert_eq!(sev[c.rule_id], secops_core::Severity::Info, "{c:?}");
        assert!(
            readme.contains(&format!("{}:{} {}", c.path, c.line, c.rule_id)),
            "undocumented: {c:?}"
        );
    }
}
