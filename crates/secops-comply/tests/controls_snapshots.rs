//! A whole assessment of a small mixed project (`tests/fixtures/controls/sample-app`: Flask,
//! Terraform, a Dockerfile and a GitHub workflow), snapshotted as one line per control, so a
//! change in any probe or in stack detection shows up in review.

use secops_comply::controls::{assess_dir, Catalog, Engine};
use secops_comply::model::{Framework, Status};
use std::fmt::Write;
use std::path::Path;

fn sample() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/controls/sample-app")
}

#[test]
fn sample_app_assessment() {
    let engine = Engine::new(Catalog::builtin().unwrap()).unwrap();
    let a = assess_dir(&engine, &sample(), &[], &Framework::ALL).unwrap();
    let mut out = String::new();
    let s = &a.stack;
    let _ = writeln!(out, "languages: {:?}", s.languages);
    let _ = writeln!(out, "frameworks: {:?}", s.frameworks);
    let _ = writeln!(out, "iac: {:?}  ci: {:?}", s.iac, s.ci);
    let _ = writeln!(out, "facts: {:?}", s.facts);
    for t in &a.tallies {
        let _ = writeln!(
            out,
            "{}: {:?} ({} pass, {} fail, {} manual, {} n/a, {} critical) exit {}",
            t.framework.id(),
            t.percent(),
            t.passed,
            t.failed,
            t.manual,
            t.not_applicable,
            t.critical_failures,
            t.exit_code()
        );
    }
    for r in &a.results {
        let status = match r.status {
            Status::Pass => "PASS  ",
            Status::Fail => "FAIL  ",
            Status::Manual => "MANUAL",
            Status::NotApplicable => "N/A   ",
        };
        let _ = writeln!(out, "{status} {}", r.id);
        for e in &r.evidence {
            let _ = writeln!(
                out,
                "         {} {}:{} {}",
                if e.failing { "-" } else { "+" },
                e.path,
                e.line,
                e.text
            );
        }
    }
    // The planted problems are found.
    let status = |id: &str| a.result(id).unwrap().status;
    assert_eq!(status("control.tls-cert-validation"), Status::Fail);
    assert_eq!(status("control.tls-https-enforced"), Status::Fail);
    assert_eq!(status("control.cicd-workflow-injection"), Status::Fail);
    assert_eq!(status("control.cicd-token-permissions"), Status::Fail);
    assert_eq!(status("control.res-backup-recovery"), Status::Fail);
    assert_eq!(status("control.log-retention-protection"), Status::Fail);
    // And what is done right passes.
    assert_eq!(status("control.auth-password-hashing"), Status::Pass);
    assert_eq!(status("control.auth-brute-force"), Status::Pass);
    assert_eq!(status("control.sess-cookie-flags"), Status::Pass);
    assert_eq!(status("control.crypto-rest-datastores"), Status::Pass);
    assert_eq!(status("control.crypto-key-mgmt"), Status::Pass);
    assert_eq!(status("control.doc-security-policy"), Status::Pass);
    assert_eq!(status("control.cicd-tests-gate"), Status::Pass);
    insta::assert_snapshot!("sample_app", out);
}
