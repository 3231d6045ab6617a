//! End-to-end tests of `secops comply`: formats, exit codes, `--framework`, `.secops.toml`
//! (`[comply] disable`, user controls) and the secrets scan as evidence. Projects are built in
//! temporary directories so each test states exactly what the repository holds.

#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn secops() -> Command {
    let mut c = Command::cargo_bin("secops").expect("binary builds");
    c.env("NO_COLOR", "1");
    c
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const SECURITY_MD: &str =
    "# Security\n\nReport vulnerabilities to security@acme.example; we reply within 3 days.\n";
const IR_MD: &str = "# Incident response\n\nRoles: the on-call engineer leads.\nSeverity levels SEV1-SEV3.\nDetection and triage by alerts.\nContainment, then recovery from backups.\nCommunication via the status page.\nA post-mortem follows.\n";

/// A repository whose scored controls all pass: a security policy, an IR plan, a .gitignore
/// for secret files and no secrets.
fn ready_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "SECURITY.md", SECURITY_MD);
    write(p, "docs/incident-response.md", IR_MD);
    write(p, ".gitignore", ".env\n*.pem\n*.tfstate\n");
    write(p, "README.md", "# Notes\n");
    dir
}

/// `secops comply --json ARGS PATH`: (exit code, report, stderr).
fn comply_json(args: &[&str], path: &Path) -> (i32, Value, String) {
    let out = secops()
        .args(["comply", "--json", "-q"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap(),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn control<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["controls"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in report"))
}

#[test]
fn a_ready_repository_exits_0_with_every_score_at_100() {
    let dir = ready_project();
    let (code, v, err) = comply_json(&[], dir.path());
    assert_eq!(code, 0, "{err}\n{v:#}");
    assert_eq!(v["command"], "comply");
    let scores = v["controls"]["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 4);
    for s in scores {
        assert_eq!(s["score"], 100.0, "{s}");
        assert_eq!(s["exit_code"], 0);
    }
    assert_eq!(control(&v, "control.doc-security-policy")["status"], "pass");
    assert_eq!(
        control(&v, "control.secrets-no-hardcoded")["status"],
        "pass"
    );
    assert_eq!(control(&v, "control.man-workforce-mfa")["status"], "manual");
    assert_eq!(
        control(&v, "control.net-storage-not-public")["status"],
        "n/a"
    );
    assert!(v["controls"]["disclaimer"]
        .as_str()
        .unwrap()
        .contains("not a certification"));
    assert_eq!(v["controls"]["controls"].as_array().unwrap().len(), 62);
}

#[test]
fn gaps_exit_1_and_critical_gaps_exit_2() {
    // Failing high controls on top of the ready project → 1.
    let dir = ready_project();
    write(
        dir.path(),
        "Dockerfile",
        "FROM python:3.12-slim\nRUN curl -k https://tools.example.net/i.sh -o /tmp/i.sh\n",
    );
    let (code, v, _) = comply_json(&[], dir.path());
    assert_eq!(code, 1);
    let tls = control(&v, "control.tls-cert-validation");
    assert_eq!(tls["status"], "fail");
    assert_eq!(tls["evidence"][0]["path"], "Dockerfile");
    assert_eq!(tls["evidence"][0]["line"], 2);
    assert!(tls["evidence"][0]["text"]
        .as_str()
        .unwrap()
        .contains("curl -k"));
    // The Dockerfile also runs as root (no USER): the IaC check fails container hardening.
    let ch = control(&v, "control.container-hardening");
    assert_eq!(ch["status"], "fail");
    assert!(ch["evidence"].as_array().unwrap().iter().any(|e| e["text"]
        .as_str()
        .unwrap_or("")
        .contains("iac.dockerfile.root-user")));
    // Two failing high controls: below 90% (exit 1) but not below 50%.
    let score = v["controls"]["scores"][0]["score"].as_f64().unwrap();
    assert!((50.0..90.0).contains(&score), "score {score}");

    // Nothing but a README: the policy and the IR plan are missing → below 50% → 2.
    let bare = tempfile::tempdir().unwrap();
    write(bare.path(), "README.md", "# x\n");
    let (code, v, _) = comply_json(&[], bare.path());
    assert_eq!(code, 2);
    let policy = control(&v, "control.doc-security-policy");
    assert_eq!(policy["status"], "fail");
    assert_eq!(policy["evidence"][0]["path"], "SECURITY.md");
    // --exit-zero still reports the gaps.
    let (code, _, _) = comply_json(&["--exit-zero"], bare.path());
    assert_eq!(code, 0);
}

#[test]
fn a_failing_critical_control_blocks_exit_0_even_at_a_high_score() {
    let dir = ready_project();
    // Eleven passing controls would not outweigh it anyway, but even one critical failure
    // must keep the exit code at 1 or worse.
    write(
        dir.path(),
        "docker-compose.yml",
        "services:\n  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"\n",
    );
    let (code, v, _) = comply_json(&["--framework", "soc2"], dir.path());
    assert!(code >= 1);
    assert_eq!(v["controls"]["scores"][0]["critical_failures"], 1);
}

#[test]
fn secrets_found_by_the_scan_fail_the_hardcoded_credentials_control() {
    let dir = ready_project();
    // An invented AWS-format key pair (not a real credential), assembled at run time so this
    // source file itself stays clean for `secops scan .`.
    let key_id = ["AKIA", "QX7RJ2M4", "TL5NB3PZ"].concat();
    let secret = ["Gh7kQ2vX9mLp4Rt8", "Wz1nB6cY3fJ5sD0aE2uK7iOq"].concat();
    write(
        dir.path(),
        "app/settings.py",
        &format!("AWS_ACCESS_KEY_ID = \"{key_id}\"\nAWS_SECRET_ACCESS_KEY = \"{secret}\"\n"),
    );
    let (code, v, _) = comply_json(&[], dir.path());
    let c = control(&v, "control.secrets-no-hardcoded");
    assert_eq!(c["status"], "fail", "{c:#}");
    assert_eq!(c["evidence"][0]["path"], "app/settings.py");
    assert!(c["evidence"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("secret."));
    // The secret itself is never printed.
    assert!(!v
        .to_string()
        .contains("Gh7kQ2vX9mLp4Rt8Wz1nB6cY3fJ5sD0aE2uK7iOq"));
    assert!(code >= 1);
    // --no-secrets leaves the control to its other probes.
    let (_, v, _) = comply_json(&["--no-secrets"], dir.path());
    assert_eq!(
        control(&v, "control.secrets-no-hardcoded")["status"],
        "pass"
    );
}

#[test]
fn framework_filter() {
    let dir = ready_project();
    let (_, v, _) = comply_json(&["--framework", "pci-dss,gdpr"], dir.path());
    let fw: Vec<&str> = v["controls"]["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(fw, vec!["pci-dss", "gdpr"]);
    assert_eq!(v["controls"]["scores"].as_array().unwrap().len(), 2);
    // PRIV-PORTABILITY maps to SOC 2 and GDPR: kept; SUPPLY-SBOM maps to no GDPR clause and is
    // in PCI DSS: kept; a SOC 2-only selection drops neither, a HIPAA-only one drops portability.
    let (_, h, _) = comply_json(&["--framework", "hipaa"], dir.path());
    let ids: Vec<&str> = h["controls"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"control.priv-portability"));
    assert!(ids.contains(&"control.doc-security-policy"));
    // Bad values are usage errors (exit 3).
    let out = secops()
        .args(["comply", "--framework", "iso27001"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn config_disables_controls_and_adds_user_controls() {
    let dir = ready_project();
    write(
        dir.path(),
        ".secops.toml",
        r#"
[comply]
disable = ["control.doc-incident-response", "control.man-*", "control.nothing-like-this"]

[[comply.control]]
id = "control.team-no-print"
title = "No print debugging in services"
severity = "low"
how = "automatic"
applies_if = ["code"]
absent = "pass"
remediation = "Use the structured logger."
clauses = { soc2 = ["CC7.2"] }
[[comply.control.probe]]
kind = "code"
lang = ["python"]
fail = ['(?m)^\s*print\(']
"#,
    );
    write(dir.path(), "svc/app.py", "def run():\n    print('debug')\n");
    let (code, v, _) = comply_json(&[], dir.path());
    let ids: Vec<&str> = v["controls"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"control.doc-incident-response"));
    assert!(!ids.iter().any(|i| i.starts_with("control.man-")));
    let team = control(&v, "control.team-no-print");
    assert_eq!(team["status"], "fail");
    assert_eq!(team["evidence"][0]["path"], "svc/app.py");
    assert_eq!(team["evidence"][0]["line"], 2);
    assert!(code >= 1);
    // A disable entry matching nothing is reported as a notice.
    assert!(v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["message"].as_str().unwrap().contains("nothing-like-this")));
}

#[test]
fn bad_configuration_and_paths_exit_3() {
    let dir = ready_project();
    write(dir.path(), ".secops.toml", "[comply]\ndisabled = []\n");
    let out = secops().arg("comply").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("disabled"));

    write(
        dir.path(),
        ".secops.toml",
        "[[comply.control]]\nid = \"control.x\"\ntitle = \"x\"\nseverity = \"low\"\nhow = \"heuristic\"\nremediation = \"r\"\nclauses = { gdpr = [\"5\"] }\n[[comply.control.probe]]\nkind = \"code\"\nlang = [\"python\"]\npass = [\"(\"]\n",
    );
    let out = secops().arg("comply").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("regex"));

    let out = secops()
        .args(["comply", "/nonexistent/secops-comply-test"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let file = dir.path().join("README.md");
    let out = secops().arg("comply").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn text_markdown_and_sarif_outputs() {
    let dir = ready_project();
    write(
        dir.path(),
        "Dockerfile",
        "FROM python:3.12-slim\nRUN wget --no-check-certificate https://tools.example.net/i.sh\n",
    );
    let text = secops()
        .args(["comply", "-q", "--framework", "soc2"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(1));
    let t = String::from_utf8_lossy(&text.stdout);
    assert!(t.contains("not a certification"), "{t}");
    assert!(t.contains("SOC 2 (2017 TSC)"));
    assert!(
        t.contains("FAIL    high      control.tls-cert-validation"),
        "{t}"
    );
    assert!(t.contains("Dockerfile:2"));
    assert!(t.contains("fix: Leave certificate and hostname verification on"));
    assert!(t.contains("Manual: evidence to attach"));
    assert!(!t.contains("PCI DSS v4.0  "), "filtered to SOC 2");

    let md = secops()
        .args(["comply", "-q", "--format", "markdown"])
        .arg(dir.path())
        .output()
        .unwrap();
    let m = String::from_utf8_lossy(&md.stdout);
    assert!(m.starts_with("# Compliance readiness report"));
    assert!(m.contains("> **Disclaimer:** Indicative evidence"));
    assert!(m.contains("| Framework | Score |"));
    assert!(m.contains("## PCI DSS v4.0"));
    assert!(m.contains("`Dockerfile:2`"));

    let out_file = dir.path().join("out/comply.sarif");
    std::fs::create_dir_all(out_file.parent().unwrap()).unwrap();
    let sarif = secops()
        .args(["comply", "--format", "sarif", "-o"])
        .arg(&out_file)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(sarif.status.code(), Some(1));
    // The one-line summary goes to stderr when the report is written to a file.
    assert!(String::from_utf8_lossy(&sarif.stderr).contains("secops comply: SOC 2"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let run = &v["runs"][0];
    let results = run["results"].as_array().unwrap();
    let tls = results
        .iter()
        .find(|r| r["ruleId"] == "control.tls-cert-validation")
        .expect("failed control as a SARIF result");
    assert_eq!(
        tls["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "Dockerfile"
    );
    assert_eq!(
        tls["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "control.tls-cert-validation")
        .unwrap();
    assert!(rule["help"]["text"]
        .as_str()
        .unwrap()
        .contains("not a certification"));
    assert!(rule["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "compliance"));
    assert!(run["properties"]["compliance"]["disclaimer"]
        .as_str()
        .unwrap()
        .contains("not a certification"));
    // Passing controls are not results.
    assert!(results
        .iter()
        .all(|r| r["ruleId"] != "control.doc-security-policy"));
}

#[test]
fn verbose_text_lists_facts_and_not_applicable_controls() {
    let dir = ready_project();
    let out = secops()
        .args(["comply", "-q", "-v", "--framework", "gdpr"])
        .arg(dir.path())
        .output()
        .unwrap();
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains("Not applicable"), "{t}");
    assert!(t.contains("control.net-storage-not-public  not applicable: no storage buckets"));
    assert!(t.contains("Passing controls\n"));
}
