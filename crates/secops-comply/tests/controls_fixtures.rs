//! Every control with probes against its pass and fail fixture trees:
//! `tests/fixtures/controls/<kebab-id>/{pass,fail}/` (walked like a repository), with optional
//! `{pass,fail}.iac.json` (IaC check results, for controls whose evidence comes from the IaC
//! checks) and `{pass,fail}.findings.json` (scan findings). The pass tree must pass and the fail
//! tree must fail (`expect.toml` may say `fail = "manual"` for a heuristic control that has no
//! anti-pattern, only a positive signal).

use secops_comply::controls::{observe_dir, Catalog, Engine, Observations};
use secops_comply::iac::CheckResult;
use secops_comply::model::{Framework, Status};
use secops_core::walk::WalkOptions;
use secops_core::Finding;
use serde::Deserialize;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/controls")
}

#[derive(Deserialize)]
struct SyntheticCheck {
    rule_id: String,
    passed: bool,
    path: String,
    line: usize,
    resource: String,
    message: String,
}

#[derive(Deserialize, Default)]
struct Expect {
    pass: Option<String>,
    fail: Option<String>,
}

fn status_of(s: &str) -> Status {
    match s {
        "pass" => Status::Pass,
        "fail" => Status::Fail,
        "manual" => Status::Manual,
        _ => Status::NotApplicable,
    }
}

/// IaC results from a JSON file (rule ids leak to `'static`, as the checks' ids are).
fn synthetic(path: &Path) -> Option<Vec<CheckResult>> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: Vec<SyntheticCheck> = serde_json::from_str(&text).expect("valid iac.json");
    Some(
        v.into_iter()
            .map(|c| CheckResult {
                rule_id: Box::leak(c.rule_id.into_boxed_str()),
                passed: c.passed,
                path: c.path,
                line: c.line,
                resource: c.resource,
                message: c.message,
            })
            .collect(),
    )
}

fn findings(path: &Path) -> Vec<Finding> {
    match std::fs::read_to_string(path) {
        Ok(t) => serde_json::from_str(&t).expect("valid findings.json"),
        Err(_) => Vec::new(),
    }
}

fn observe(engine: &Engine, tree: &Path) -> Observations {
    if !tree.is_dir() {
        return Observations::default();
    }
    let opts = WalkOptions {
        no_ignore: true,
        ..WalkOptions::default()
    };
    observe_dir(engine, tree, &opts).expect("walk")
}

#[test]
fn every_control_passes_and_fails_on_its_fixtures() {
    let engine = Engine::new(Catalog::builtin().unwrap()).unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for c in engine.controls().iter().filter(|c| !c.probes.is_empty()) {
        let kebab = c.id.trim_start_matches("control.");
        let dir = fixtures().join(kebab);
        let expect: Expect = std::fs::read_to_string(dir.join("expect.toml"))
            .map(|t| toml::from_str(&t).expect("valid expect.toml"))
            .unwrap_or_default();
        for (side, default) in [("pass", "pass"), ("fail", "fail")] {
            let want = status_of(
                match side {
                    "pass" => expect.pass.as_deref(),
                    _ => expect.fail.as_deref(),
                }
                .unwrap_or(default),
            );
            let obs = observe(&engine, &dir.join(side));
            // Synthetic IaC results stand in for the real checks when given.
            let iac = synthetic(&dir.join(format!("{side}.iac.json")))
                .unwrap_or_else(|| obs.check_iac().results);
            let found = findings(&dir.join(format!("{side}.findings.json")));
            let a = engine.assess(&obs, &iac, &found, &Framework::ALL);
            let r = a.result(&c.id).expect("control assessed");
            checked += 1;
            if r.status != want {
                problems.push(format!(
                    "{} {side}: want {:?}, got {:?} ({})\n    evidence: {:?}\n    facts: {:?}",
                    c.id,
                    want,
                    r.status,
                    r.reason.as_deref().unwrap_or(""),
                    r.evidence
                        .iter()
                        .map(|e| format!("{}:{} {}", e.path, e.line, e.text))
                        .collect::<Vec<_>>(),
                    a.stack.facts,
                ));
            }
            // Passing and failing verdicts carry evidence that points into the tree.
            if matches!(r.status, Status::Fail) && r.reason.is_none() {
                assert!(
                    r.evidence.iter().any(|e| e.failing),
                    "{} {side}: fail without failing evidence",
                    c.id
                );
            }
        }
    }
    assert!(checked >= 110, "only {checked} fixture trees checked");
    assert!(
        problems.is_empty(),
        "{}\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// With the real IaC checks (once they exist), a fixture tree must not contradict its
/// expectation: a pass tree may not fail and a fail tree may not pass. Reported, not fatal,
/// while the checks are written in parallel.
#[test]
fn real_iac_checks_do_not_contradict_the_fixtures() {
    let engine = Engine::new(Catalog::builtin().unwrap()).unwrap();
    let mut contradictions = Vec::new();
    for c in engine.controls().iter().filter(|c| !c.probes.is_empty()) {
        let dir = fixtures().join(c.id.trim_start_matches("control."));
        for (side, bad) in [("pass", Status::Fail), ("fail", Status::Pass)] {
            if !dir.join(format!("{side}.iac.json")).is_file() {
                continue;
            }
            let obs = observe(&engine, &dir.join(side));
            let iac = obs.check_iac().results;
            let a = engine.assess(&obs, &iac, &[], &Framework::ALL);
            if let Some(r) = a.result(&c.id) {
                if r.status == bad {
                    contradictions.push(format!("{} {side}: {:?}", c.id, r.status));
                }
            }
        }
    }
    if !contradictions.is_empty() {
        eprintln!(
            "real IaC checks contradict fixtures:\n  {}",
            contradictions.join("\n  ")
        );
    }
}

#[test]
fn controls_are_not_applicable_without_their_stack() {
    let engine = Engine::new(Catalog::builtin().unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# notes\n").unwrap();
    let obs = observe(&engine, dir.path());
    let a = engine.assess(&obs, &[], &[], &Framework::ALL);
    for id in [
        "control.net-storage-not-public",
        "control.auth-password-hashing",
        "control.sess-cookie-flags",
        "control.cicd-token-permissions",
        "control.container-hardening",
    ] {
        let r = a.result(id).unwrap();
        assert_eq!(r.status, Status::NotApplicable, "{id}");
        assert!(
            r.reason
                .as_deref()
                .unwrap_or("")
                .starts_with("not applicable: no "),
            "{id}"
        );
    }
    // Controls that always apply still decide.
    assert_eq!(
        a.result("control.doc-security-policy").unwrap().status,
        Status::Fail
    );
    assert_eq!(
        a.result("control.secrets-no-hardcoded").unwrap().status,
        Status::Pass
    );
    assert_eq!(
        a.result("control.man-workforce-mfa").unwrap().status,
        Status::Manual
    );
}

#[test]
fn framework_filter_keeps_only_mapped_controls() {
    let engine = Engine::new(Catalog::builtin().unwrap()).unwrap();
    let obs = Observations::default();
    let all = engine.assess(&obs, &[], &[], &Framework::ALL);
    let pci = engine.assess(&obs, &[], &[], &[Framework::PciDss]);
    assert_eq!(all.results.len(), 62);
    assert!(pci.results.len() < all.results.len());
    assert!(pci
        .results
        .iter()
        .all(|r| r.clauses.get("pci-dss").is_some_and(|c| !c.is_empty())));
    // PRIV-PORTABILITY maps to SOC 2 and GDPR only.
    assert!(pci.result("control.priv-portability").is_none());
    assert_eq!(pci.tallies.len(), 1);
}

#[test]
fn weak_failures_yield_to_passing_evidence_elsewhere() {
    // Django settings split in two files: base.py lacks SESSION_COOKIE_SECURE, production.py
    // sets it. The "lacks" failure is weak and must not fail the control.
    let engine = Engine::new(Catalog::builtin().unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("proj/settings");
    std::fs::create_dir_all(&s).unwrap();
    std::fs::write(
        s.join("base.py"),
        "INSTALLED_APPS = [\"django.contrib.sessions\"]\nMIDDLEWARE = []\n",
    )
    .unwrap();
    let obs = observe(&engine, dir.path());
    let a = engine.assess(&obs, &[], &[], &Framework::ALL);
    assert_eq!(
        a.result("control.sess-cookie-flags").unwrap().status,
        Status::Fail
    );
    std::fs::write(s.join("production.py"), "SESSION_COOKIE_SECURE = True\n").unwrap();
    let obs = observe(&engine, dir.path());
    let a = engine.assess(&obs, &[], &[], &Framework::ALL);
    assert_eq!(
        a.result("control.sess-cookie-flags").unwrap().status,
        Status::Pass
    );
}

#[test]
fn commented_out_settings_and_rust_test_modules_are_not_evidence() {
    let engine = Engine::new(Catalog::builtin().unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("client.py"),
        "import requests\n# requests.get(url, verify=False)\nrequests.get(url)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("lib.rs"),
        "pub fn f() {}\n#[cfg(test)]\nmod tests { const S: &str = \"verify=False\"; }\n",
    )
    .unwrap();
    let obs = observe(&engine, dir.path());
    let a = engine.assess(&obs, &[], &[], &Framework::ALL);
    assert_eq!(
        a.result("control.tls-cert-validation").unwrap().status,
        Status::Pass
    );
}

#[test]
fn nothing_panics_on_odd_files() {
    let engine = Engine::new(Catalog::builtin().unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("bin.py"), [0xffu8, 0xfe, b'\n', 0x80, b'x']).unwrap();
    std::fs::write(p.join("empty.tf"), "").unwrap();
    std::fs::write(p.join("broken.tf"), "resource \"aws_s3_bucket\" {{{{").unwrap();
    std::fs::write(p.join("k.yaml"), "apiVersion: [\nkind: :\n").unwrap();
    std::fs::write(p.join("big.js"), "a".repeat(3 * 1024 * 1024)).unwrap();
    std::fs::write(p.join(".gitignore"), "").unwrap();
    let obs = observe(&engine, p);
    let iac = obs.check_iac();
    let a = engine.assess(&obs, &iac.results, &[], &Framework::ALL);
    assert_eq!(a.results.len(), 62);
}
