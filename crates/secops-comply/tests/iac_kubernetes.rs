//! Kubernetes checks: fixtures with `# expect-fail: <check>` markers on the exact lines that
//! must fail, a pass and a fail fixture per rule, robustness, snapshots and the example trees.
#![allow(clippy::unwrap_used)]

use secops_comply::iac::{self, kubernetes, CheckResult, IacFile, IacKind, IacOutput};
use secops_comply::ComplyError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const PREFIX: &str = "iac.kubernetes.";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iac/kubernetes")
}

fn run(rel: &str, bytes: &[u8]) -> IacOutput {
    let mut out = IacOutput::default();
    kubernetes::check(
        &IacFile {
            rel_path: rel,
            bytes,
        },
        &mut out,
    );
    out
}

/// `# expect-fail: a, b` at the end of a line → {(line, iac.kubernetes.a), ...}.
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

/// (own rule id, is pass fixture) from `<check>.pass.yaml` / `<check>.fail.yaml`.
fn own_rule(p: &Path) -> Option<(String, bool)> {
    let name = p.file_name()?.to_str()?;
    let (stem, pass) = if let Some(s) = name.strip_suffix(".pass.yaml") {
        (s, true)
    } else if let Some(s) = name.strip_suffix(".fail.yaml") {
        (s, false)
    } else {
        return None;
    };
    Some((format!("{PREFIX}{stem}"), pass))
}

#[test]
fn catalog_is_consistent() {
    let rules = kubernetes::rules();
    assert!(rules.len() >= 15, "{} rules", rules.len());
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
        assert_eq!(r.kind, IacKind::Kubernetes);
        assert!(!r.title.is_empty());
        assert!(r.help.len() > 80, "{} help too short", r.id);
        let fx = fixtures();
        assert!(
            fx.join(format!("{check}.pass.yaml")).is_file(),
            "{check}.pass.yaml missing"
        );
        assert!(
            fx.join(format!("{check}.fail.yaml")).is_file(),
            "{check}.fail.yaml missing"
        );
    }
    // The crate-wide catalog has them too.
    let all: BTreeSet<&str> = iac::rules().iter().map(|r| r.id).collect();
    assert!(ids.iter().all(|id| all.contains(id)));
}

#[test]
fn fixtures_fail_exactly_on_marked_lines() {
    let known: BTreeSet<&str> = kubernetes::rules().iter().map(|r| r.id).collect();
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
        if name != "scenario-helm-template-raw.yaml" {
            assert!(out.errors.is_empty(), "{name}: {:?}", out.errors);
        }
    }
}

#[test]
fn every_rule_has_a_passed_and_a_failed_result() {
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for p in fixture_files() {
        let text = std::fs::read(&p).unwrap();
        for c in run("f.yaml", &text).results {
            let e = seen.entry(c.rule_id).or_default();
            if c.passed {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    for r in kubernetes::rules() {
        let (p, f) = seen.get(r.id).copied().unwrap_or_default();
        assert!(p > 0, "{} has no passed result in the fixtures", r.id);
        assert!(f > 0, "{} has no failed result in the fixtures", r.id);
    }
}

#[test]
fn container_settings_override_the_pod() {
    let text = std::fs::read_to_string(fixtures().join("run-as-root.pass.yaml")).unwrap();
    let out = run("p.yaml", text.as_bytes());
    let r: Vec<&CheckResult> = out
        .results
        .iter()
        .filter(|c| {
            c.rule_id == kubernetes::RUN_AS_ROOT && c.resource == "Pod/uid-only container app"
        })
        .collect();
    assert_eq!(r.len(), 1);
    assert!(r[0].passed);
    assert!(r[0].message.contains("runAsUser: 1001") && r[0].message.contains("container level"));
    assert_eq!(r[0].line, 30);
}

#[test]
fn unrendered_template_document_is_a_parse_error_only_for_itself() {
    let text = std::fs::read_to_string(fixtures().join("scenario-helm-template-raw.yaml")).unwrap();
    let out = run("charts/app/templates/pods.yaml", text.as_bytes());
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    match &out.errors[0] {
        ComplyError::Parse {
            path,
            line,
            message,
        } => {
            assert_eq!(path, "charts/app/templates/pods.yaml");
            let l = line.expect("line");
            assert!((17..=35).contains(&l), "line {l}");
            assert!(message.contains("template"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    let names: BTreeSet<&str> = out
        .results
        .iter()
        .map(|c| c.resource.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["Pod/after-template", "Pod/before-template"])
    );
}

#[test]
fn helm_source_is_named_in_messages() {
    let text = std::fs::read_to_string(fixtures().join("scenario-helm-rendered.yaml")).unwrap();
    let out = run("rendered.yaml", text.as_bytes());
    let img = out
        .results
        .iter()
        .find(|c| {
            c.rule_id == kubernetes::IMAGE_TAG
                && !c.passed
                && c.resource.starts_with("Deployment/shop")
        })
        .expect("image result");
    assert!(
        img.message
            .ends_with("(from shop/templates/deployment.yaml)"),
        "{}",
        img.message
    );
    // The ServiceAccount of the chart disables the token for the Deployment's pods.
    let auto = out
        .results
        .iter()
        .find(|c| c.rule_id == kubernetes::AUTOMOUNT && c.resource == "Deployment/shop")
        .expect("automount result");
    assert!(auto.passed, "{auto:?}");
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
        ("helm_rendered", "scenario-helm-rendered.yaml"),
        ("list_and_rbac", "scenario-list.yaml"),
    ] {
        let text = std::fs::read(fixtures().join(file)).unwrap();
        let files = [IacFile {
            rel_path: file,
            bytes: &text,
        }];
        let out = iac::check(&files);
        assert_eq!(out.kinds, vec![IacKind::Kubernetes]);
        insta::assert_snapshot!(name, render(&out));
    }
}

#[test]
fn robustness() {
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("binary.yaml", garbage),
        ("nul.yaml", b"apiVersion: v1\nkind: Pod\x00\x01\x02\n".to_vec()),
        ("invalid.yaml", b"apiVersion: v1\nkind: Pod\nspec: [unclosed\n  containers: {\n".to_vec()),
        ("tabs.yaml", b"apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n".to_vec()),
        ("scalar.yaml", b"just a string\n".to_vec()),
        ("empty.yaml", Vec::new()),
        ("deep.yaml", {
            let mut s = String::from("apiVersion: v1\nkind: Pod\nspec:\n");
            for i in 0..400 {
                s.push_str(&" ".repeat(2 * (i + 1)));
                s.push_str("a:\n");
            }
            s.into_bytes()
        }),
        ("flowdeep.yaml", format!("apiVersion: v1\nkind: Pod\nspec: {}\n", "[".repeat(5000)).into_bytes()),
        ("weird.yaml", b"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - - - x\n  -\n  - name: [a\n  ? complex\n  : value\n  volumes: 3\n  securityContext: [1]\n".to_vec()),
        ("types.yaml", b"apiVersion: v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: 1\n          image: 5\n          securityContext: 7\n          resources: {limits: []}\n      volumes:\n        - hostPath: {path: 3}\n".to_vec()),
    ];
    // A 10k-line multi-document file.
    let mut big = String::new();
    for i in 0..530 {
        big.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n    - name: c\n      image: app:{i}\n      securityContext:\n        privileged: {}\n        runAsUser: 1000\n      resources:\n        limits: {{cpu: 1, memory: 1Gi}}\n  volumes:\n    - name: v\n      hostPath:\n        path: /var/run/docker.sock\n  hostNetwork: false\n",
            i % 2 == 0
        ));
    }
    assert!(big.lines().count() >= 10_000);
    cases.push(("big.yaml", big.clone().into_bytes()));
    for (name, bytes) in &cases {
        let out = run(name, bytes);
        for e in &out.errors {
            match e {
                ComplyError::Parse { path, .. } => assert_eq!(path, name),
                e => panic!("{name}: {e:?}"),
            }
        }
        if [
            "binary.yaml",
            "nul.yaml",
            "invalid.yaml",
            "tabs.yaml",
            "flowdeep.yaml",
        ]
        .contains(name)
        {
            assert!(!out.errors.is_empty(), "{name}: expected a parse error");
        }
    }
    let start = std::time::Instant::now();
    let out = run("big.yaml", big.as_bytes());
    let elapsed = start.elapsed();
    assert!(out.errors.is_empty());
    let privileged: Vec<&CheckResult> = out
        .results
        .iter()
        .filter(|c| c.rule_id == kubernetes::PRIVILEGED && !c.passed)
        .collect();
    assert_eq!(privileged.len(), 265);
    // Pod p0 starts at line 2 (after `---`) and its privileged flag is on line 11.
    assert_eq!(privileged[0].line, 11);
    assert_eq!(privileged[1].line, 11 + 2 * 19);
    assert!(elapsed.as_secs() < 10, "{elapsed:?}");
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
    assert!(want.len() >= 15, "{} planted kubernetes issues", want.len());
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
    for r in kubernetes::rules() {
        assert!(want.iter().any(|p| p.2 == r.id), "{} not planted", r.id);
    }
}

#[test]
fn hardened_example_has_no_failures_but_documented_info() {
    let out = check_tree("k8s-docker-gha-hardened");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.kinds.contains(&IacKind::Kubernetes));
    let sev: BTreeMap<&str, secops_core::Severity> =
        iac::rules().iter().map(|r| (r.id, r.severity)).collect();
    let readme =
        std::fs::read_to_string(examples().join("k8s-docker-gha-hardened/PLANTED.md")).unwrap();
    let passed = out
        .results
        .iter()
        .filter(|c| c.passed && c.rule_id.starts_with(PREFIX))
        .count();
    assert!(passed >= 30, "{passed} passed");
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
    } // And the documented one is really reported.
    let documented = planted("k8s-docker-gha-hardened");
    assert_eq!(documented.len(), 1);
    for (path, line, rule) in &documented {
        assert!(
            out.results
                .iter()
                .any(|c| !c.passed && &c.path == path && c.line == *line && c.rule_id == rule),
            "documented {path}:{line} {rule} not reported"
        );
    }
}
