//! GitHub Actions checks: fixtures with `# expect-fail: <check>` markers on the exact lines
//! that must fail, a pass and a fail fixture per rule, robustness, snapshots and the example
//! trees.
#![allow(clippy::unwrap_used)]

use secops_comply::iac::{self, github_actions, CheckResult, IacFile, IacKind, IacOutput};
use secops_comply::ComplyError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const PREFIX: &str = "iac.github-actions.";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iac/github-actions")
}

fn run(rel: &str, bytes: &[u8]) -> IacOutput {
    let mut out = IacOutput::default();
    github_actions::check(
        &IacFile {
            rel_path: rel,
            bytes,
        },
        &mut out,
    );
    out
}

/// `# expect-fail: a, b` at the end of a line → {(line, iac.github-actions.a), ...}.
fn markers(text: &str) -> BTreeSet<(usize, String)> {
    let mut s = BTreeSet::new();
    for (i, l) in text.lines().enumerate() {
        if let Some((_, rest)) = l.split_once("# expect-fail:") {
            for r in rest.split(',') {
                s.insert((i + 1, format!("{PREFIX}{}", r.trim())));
            }
        }
    }
    s
}

fn fixture_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    v.sort();
    v
}

/// (own rule id, is pass fixture) from `<check>.pass[-n].yml` / `<check>.fail[-n].yml`.
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
    let rules = github_actions::rules();
    assert!(rules.len() >= 8, "{} rules", rules.len());
    let mut ids = BTreeSet::new();
    for r in &rules {
        assert!(ids.insert(r.id), "duplicate id {}", r.id);
        assert!(r.id.starts_with(PREFIX), "{}", r.id);
        let check = r.id.trim_start_matches(PREFIX);
        assert!(
            check
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            r.id
        );
        assert_eq!(r.kind, IacKind::GithubActions);
        assert!(!r.title.is_empty());
        assert!(r.help.len() > 80, "{} help too short", r.id);
        let fx = fixtures();
        assert!(
            fx.join(format!("{check}.pass.yml")).is_file(),
            "{check}.pass.yml missing"
        );
        assert!(
            fx.join(format!("{check}.fail.yml")).is_file(),
            "{check}.fail.yml missing"
        );
    }
    // The crate-wide catalog has them too.
    let all: BTreeSet<&str> = iac::rules().iter().map(|r| r.id).collect();
    assert!(ids.iter().all(|id| all.contains(id)));
}

#[test]
fn fixtures_fail_exactly_on_marked_lines() {
    let known: BTreeSet<&str> = github_actions::rules().iter().map(|r| r.id).collect();
    for p in fixture_files() {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&p).unwrap();
        let out = run(&name, text.as_bytes());
        let expected = markers(&text);
        for (_, r) in &expected {
            assert!(
                known.contains(r.as_str()),
                "{name}: marker for unknown rule {r}"
            );
        }
        let mut rules: BTreeSet<String> = expected.iter().map(|e| e.1.clone()).collect();
        let own = own_rule(&p);
        if let Some((r, pass)) = &own {
            rules.insert(r.clone());
            let passed = out
                .results
                .iter()
                .filter(|c| c.rule_id == r && c.passed)
                .count();
            if *pass {
                assert!(passed > 0, "{name}: no passed result for {r}");
            } else {
                assert!(
                    expected.iter().any(|e| &e.1 == r),
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
                "{name}: line {} out of range",
                c.line
            );
            assert!(!c.resource.is_empty() && !c.message.is_empty());
        }
        assert!(out.errors.is_empty(), "{name}: {:?}", out.errors);
    }
}

#[test]
fn every_rule_has_a_passed_and_a_failed_result() {
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for p in fixture_files() {
        let text = std::fs::read(&p).unwrap();
        for c in run(".github/workflows/f.yml", &text).results {
            let e = seen.entry(c.rule_id).or_default();
            if c.passed {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    for r in github_actions::rules() {
        let (p, f) = seen.get(r.id).copied().unwrap_or_default();
        assert!(p > 0, "{} has no passed result in the fixtures", r.id);
        assert!(f > 0, "{} has no failed result in the fixtures", r.id);
    }
}

fn fixture(name: &str) -> IacOutput {
    let text = std::fs::read(fixtures().join(name)).unwrap();
    run(name, &text)
}

#[test]
fn messages_name_what_was_found() {
    let out = fixture("template-injection.fail.yml");
    let env = out
        .results
        .iter()
        .find(|c| c.rule_id == github_actions::TEMPLATE_INJECTION && !c.passed && c.line == 28)
        .expect("env indirection");
    assert!(
        env.message
            .contains("env.TITLE (set from github.event.issue.title)"),
        "{}",
        env.message
    );
    assert_eq!(env.resource, "job triage step 3");

    let out = fixture("untrusted-checkout.fail.yml");
    let f: Vec<&CheckResult> = out
        .results
        .iter()
        .filter(|c| c.rule_id == github_actions::UNTRUSTED_CHECKOUT)
        .collect();
    assert_eq!(f.len(), 2);
    assert!(
        f[0].message.contains("pull_request_target")
            && f[0].message.contains("step 3 runs `npm ci && npm test`"),
        "{}",
        f[0].message
    );
    // upload-artifact does not run the code; the build action after it does.
    assert!(
        f[1].message
            .contains("step 3 uses `docker/build-push-action@"),
        "{}",
        f[1].message
    );

    let out = fixture("untrusted-checkout.pass.yml");
    let msgs: Vec<&str> = out
        .results
        .iter()
        .filter(|c| c.rule_id == github_actions::UNTRUSTED_CHECKOUT)
        .map(|c| c.message.as_str())
        .collect();
    assert_eq!(msgs.len(), 3);
    assert!(
        msgs.iter()
            .any(|m| m.contains("same") || m.contains("from this repository")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("runs nothing after it")),
        "{msgs:?}"
    );
}

#[test]
fn first_and_third_party_pinning_are_separate_rules() {
    let out = fixture("scenario-ci.yml");
    let unpinned: BTreeSet<(&str, usize)> = out
        .results
        .iter()
        .filter(|c| {
            !c.passed
                && (c.rule_id == github_actions::UNPINNED
                    || c.rule_id == github_actions::UNPINNED_GITHUB)
        })
        .map(|c| (c.rule_id, c.line))
        .collect();
    assert_eq!(
        unpinned,
        BTreeSet::from([
            (github_actions::UNPINNED_GITHUB, 15),
            (github_actions::UNPINNED_GITHUB, 16),
            (github_actions::UNPINNED, 36),
        ])
    );
    let sev = |id: &str| {
        github_actions::rules()
            .into_iter()
            .find(|r| r.id == id)
            .unwrap()
            .severity
    };
    assert!(sev(github_actions::UNPINNED) > sev(github_actions::UNPINNED_GITHUB));
}

#[test]
fn non_workflow_yaml_and_detection() {
    // Not under .github/workflows: not a workflow.
    assert!(!github_actions::is_workflow("ci/workflows/x.yml"));
    assert!(github_actions::is_workflow("svc/.github/workflows/x.yaml"));
    // A YAML file without jobs gives nothing.
    let out = run(".github/workflows/x.yml", b"name: x\non: push\n");
    assert!(out.results.is_empty() && out.errors.is_empty());
}

#[test]
fn robustness() {
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (".github/workflows/binary.yml", garbage),
        (".github/workflows/invalid.yml", b"on: push\njobs:\n  a:\n    steps: [\n".to_vec()),
        (".github/workflows/dup.yml", b"on: push\njobs: {}\njobs: {}\n".to_vec()),
        (".github/workflows/empty.yml", Vec::new()),
        (".github/workflows/scalar.yml", b"hello\n".to_vec()),
        (".github/workflows/types.yml", b"on: 3\npermissions: [1]\njobs:\n  a: 1\n  b:\n    steps: 2\n    runs-on: {labels: 4}\n  c:\n    steps:\n      - uses: 5\n      - run: [1]\n      - uses: actions/checkout\n        with: 7\n      - uses: '@'\n      - uses: docker://\n      - run: '${{'\n".to_vec()),
        (".github/workflows/expr.yml", b"on: issues\njobs:\n  a:\n    steps:\n      - run: |\n          echo ${{ github.event.issue.title\n          }} ${{ }} ${{ github.event.issue.body }}}}\n".to_vec()),
    ];
    for (name, bytes) in &cases {
        let out = run(name, bytes);
        for e in &out.errors {
            match e {
                ComplyError::Parse { path, .. } => assert_eq!(path, name),
                e => panic!("{name}: {e:?}"),
            }
        }
        if ["binary", "invalid", "dup"]
            .iter()
            .any(|b| name.contains(b))
        {
            assert!(!out.errors.is_empty(), "{name}: expected a parse error");
        }
    }
    // A 10k-line workflow.
    let mut s = String::from(
        "on: issues\npermissions: {}\njobs:\n  big:\n    runs-on: ubuntu-latest\n    steps:\n",
    );
    for i in 0..2500 {
        s.push_str(&format!(
            "      - name: step {i}\n        run: |\n          echo \"${{{{ github.event.issue.title }}}}\"\n          echo {i}\n"
        ));
    }
    assert!(s.lines().count() > 10_000);
    let start = std::time::Instant::now();
    let out = run(".github/workflows/big.yml", s.as_bytes());
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let lines: Vec<usize> = out
        .results
        .iter()
        .filter(|c| c.rule_id == github_actions::TEMPLATE_INJECTION && !c.passed)
        .map(|c| c.line)
        .collect();
    assert_eq!(lines.len(), 2500);
    assert_eq!(lines[0], 9);
    assert_eq!(lines[2499], 9 + 4 * 2499);
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
        ("scenario_ci", "scenario-ci.yml"),
        ("secrets_in_logs", "secrets-in-logs.fail.yml"),
    ] {
        let text = std::fs::read(fixtures().join(file)).unwrap();
        let rel = format!(".github/workflows/{file}");
        let files = [IacFile {
            rel_path: &rel,
            bytes: &text,
        }];
        let out = iac::check(&files);
        assert_eq!(out.kinds, vec![IacKind::GithubActions]);
        insta::assert_snapshot!(name, render(&out));
    }
}

// ---------------------------------------------------------------------------------------
// Example trees (shared with the Dockerfile and GitHub Actions tests: each checks its kind).

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

/// `- path:line rule-id` entries of PLANTED.md.
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
    let want: BTreeSet<_> = planted(name)
        .into_iter()
        .filter(|p| p.2.starts_with(PREFIX))
        .collect();
    assert!(want.len() >= 9, "{} planted issues", want.len());
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
    // Every Kubernetes rule is planted at least once.
    for r in github_actions::rules() {
        assert!(want.iter().any(|p| p.2 == r.id), "{} not planted", r.id);
    }
}

#[test]
fn hardened_example_has_no_failures_but_documented_info() {
    let out = check_tree("k8s-docker-gha-hardened");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.kinds.contains(&IacKind::GithubActions));
    let sev: BTreeMap<&str, secops_core::Severity> =
        iac::rules().iter().map(|r| (r.id, r.severity)).collect();
    let readme =
        std::fs::read_to_string(examples().join("k8s-docker-gha-hardened/PLANTED.md")).unwrap();
    let passed = out
        .results
        .iter()
        .filter(|c| c.passed && c.rule_id.starts_with(PREFIX))
        .count();
    assert!(passed >= 10, "{passed} passed");
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
