//! End-to-end tests of the `secops` binary: exit codes, formats, redaction, noise control,
//! git modes, the hook, and robustness on hostile trees. Every credential is generated here at
//! run time (random), so the repository never holds one.

#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::path::Path;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn rand_str(rng: &mut impl Rng, n: usize, alphabet: &[u8]) -> String {
    (0..n)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

/// A fresh fake GitHub classic token (critical severity).
fn github_token(seed: u64) -> String {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    format!("gh{}_{}", "p", rand_str(&mut rng, 36, ALNUM))
}

/// A fresh fake Slack webhook URL (not critical).
fn slack_webhook(seed: u64) -> String {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let up = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    format!(
        "https://hooks.{}.com/services/T{}/B{}/{}",
        "slack",
        rand_str(&mut rng, 8, up),
        rand_str(&mut rng, 10, up),
        rand_str(&mut rng, 24, ALNUM)
    )
}

fn secops() -> Command {
    let mut c = Command::cargo_bin("secops").expect("binary builds");
    c.env("NO_COLOR", "1");
    c
}

/// Run `secops scan --json ARGS DIR`: the parsed report.
fn scan_json(args: &[&str], dir: &Path) -> Value {
    let out = secops()
        .args(["scan", "--json"])
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    json_of(&out.stdout)
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("valid JSON output")
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, text).unwrap();
}

#[test]
fn clean_tree_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.py", "print('hello')\n");
    secops().arg("scan").arg(dir.path()).assert().code(0);
}

#[test]
fn critical_secret_exits_two_and_is_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let tok = github_token(1);
    write(
        dir.path(),
        "src/app.py",
        &format!("import os\nTOKEN = \"{tok}\"\n"),
    );
    let out = secops()
        .args(["scan", "--json"])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains(&tok), "secret leaked in JSON output");
    let v = json_of(&out);
    assert_eq!(v["schema_version"], "1.0");
    let f = &v["findings"][0];
    assert_eq!(f["location"]["path"], "src/app.py");
    assert_eq!(f["location"]["start_line"], 2);
    assert_eq!(f["location"]["start_column"], 10);
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["fingerprint"].as_str().map(str::len), Some(32));
    // text output too
    let out = secops()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&out).contains(&tok));
}

#[test]
fn show_secrets_opts_out_of_redaction() {
    let dir = tempfile::tempdir().unwrap();
    let tok = github_token(2);
    write(dir.path(), "a.js", &format!("const t = '{tok}';\n"));
    let out = secops()
        .args(["scan", "--json", "--show-secrets"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&tok));
}

#[test]
fn fail_on_and_exit_zero_move_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "notify.sh",
        &format!("curl -X POST {}\n", slack_webhook(3)),
    );
    let out = secops()
        .args(["scan", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    let sev = v["findings"][0]["severity"].as_str().unwrap().to_string();
    assert!(sev != "critical", "webhook should not be critical: {sev}");
    let default_code = if sev == "high" { 1 } else { 0 };
    assert_eq!(out.status.code(), Some(default_code));
    secops()
        .args(["scan", "--fail-on", "low"])
        .arg(dir.path())
        .assert()
        .code(1);
    secops()
        .args(["scan", "--fail-on", "low", "--exit-zero"])
        .arg(dir.path())
        .assert()
        .code(0);
    // --severity hides what is below it, and what is hidden does not fail the run
    let out = secops()
        .args([
            "scan",
            "--json",
            "--severity",
            "critical",
            "--fail-on",
            "low",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        json_of(&out.stdout)["findings"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn usage_errors_exit_three() {
    secops().args(["scan", "--no-such-flag"]).assert().code(3);
    secops().args(["scan", "--format", "xml"]).assert().code(3);
    secops()
        .args(["scan", "--severity", "severe"])
        .assert()
        .code(3);
    secops().arg("frobnicate").assert().code(3);
    secops()
        .args(["scan", "/definitely/not/here"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("/definitely/not/here"));
    secops().arg("--help").assert().code(0);
    secops().arg("--version").assert().code(0);
}

#[test]
fn bad_config_exits_three_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".secops.toml", "[scan]\nmax_sise = 1\n");
    secops()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(
            predicates::str::contains(".secops.toml").and(predicates::str::contains("max_sise")),
        );
}

use predicates::prelude::*;

#[test]
fn config_excludes_disables_overrides_and_custom_rules() {
    let dir = tempfile::tempdir().unwrap();
    let tok = github_token(4);
    write(dir.path(), "fixtures/t.py", &format!("T = '{tok}'\n"));
    write(
        dir.path(),
        "src/t.py",
        &format!("T = '{tok}'\nINTERNAL = 'acme_int_7hG5kLq92ZxWv0PbN3aQ'\n"),
    );
    let cfg = r#"
exclude = ["fixtures/**"]
[rules.severity]
"secret.github-pat" = "low"
[[secrets.rule]]
id = "secret.acme-internal-token"
title = "ACME internal token"
severity = "high"
keywords = ["acme_int_"]
regex = '''(acme_int_[A-Za-z0-9]{20})'''
help = "An ACME internal service token; rotate it in the ACME console."
"#;
    write(dir.path(), ".secops.toml", cfg);
    let out = secops()
        .args(["scan", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    let findings = v["findings"].as_array().unwrap();
    let ids: Vec<&str> = findings
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"secret.acme-internal-token"), "{ids:?}");
    assert!(
        findings.iter().all(|f| f["location"]["path"] == "src/t.py"),
        "exclude ignored"
    );
    let gh = findings
        .iter()
        .find(|f| f["rule_id"] == "secret.github-pat")
        .unwrap();
    assert_eq!(gh["severity"], "low");
    assert_eq!(out.status.code(), Some(1));

    write(
        dir.path(),
        ".secops.toml",
        "[rules]\ndisable = [\"secret.github-*\"]\n",
    );
    let out = secops()
        .args(["scan", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["rule_id"] != "secret.github-pat"));
}

#[test]
fn inline_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    let t1 = github_token(5);
    let t2 = github_token(6);
    let t3 = github_token(7);
    let t4 = github_token(8);
    write(
        dir.path(),
        "s.py",
        &format!(
            "A = '{t1}'  # secops:ignore[secret.github-pat] test token\nB = '{t2}'  # gitleaks:allow\n# secops:ignore\nC = '{t3}'\nD = '{t4}'  # secops:ignore[secret.other]\n"
        ),
    );
    let out = secops()
        .args(["scan", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    let lines: Vec<i64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["start_line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![5]);
    assert_eq!(v["stats"]["suppressed"], 3);
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("baseline.json");
    let tree = dir.path().join("tree");
    write(&tree, "a.py", &format!("A = '{}'\n", github_token(9)));
    secops()
        .args(["scan", "--write-baseline"])
        .arg(&base)
        .arg(&tree)
        .assert()
        .code(2);
    secops()
        .args(["scan", "--baseline"])
        .arg(&base)
        .arg(&tree)
        .assert()
        .code(0);
    // moving the secret down a line keeps it known
    write(&tree, "a.py", &format!("\n\nA = '{}'\n", github_token(9)));
    secops()
        .args(["scan", "--baseline"])
        .arg(&base)
        .arg(&tree)
        .assert()
        .code(0);
    write(&tree, "b.py", &format!("B = '{}'\n", github_token(10)));
    let out = secops()
        .args(["scan", "--json", "--baseline"])
        .arg(&base)
        .arg(&tree)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = json_of(&out.stdout);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["location"]["path"], "b.py");
    // a broken baseline is a tool error
    std::fs::write(&base, "not json").unwrap();
    secops()
        .args(["scan", "--baseline"])
        .arg(&base)
        .arg(&tree)
        .assert()
        .code(3);
}

#[test]
fn output_file_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("t");
    write(
        &tree,
        "x.go",
        &format!("package x\nconst token = \"{}\"\n", github_token(11)),
    );
    let sarif = dir.path().join("out.sarif");
    secops()
        .args(["scan", "--format", "sarif", "--quiet", "--output"])
        .arg(&sarif)
        .arg(&tree)
        .assert()
        .code(2)
        .stdout(predicates::str::is_empty());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rule = &run["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "secret.github-pat");
    assert!(rule["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "external/cwe/cwe-798"));
    assert!(rule["properties"]["security-severity"].is_string());
    assert!(rule["help"]["text"].as_str().unwrap().len() > 20);
    let res = &run["results"][0];
    assert_eq!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "x.go"
    );
    assert!(res["partialFingerprints"]["secops/v1"].is_string());
    let md = secops()
        .args(["scan", "--format", "markdown"])
        .arg(&tree)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&md.stdout)
        .contains("| critical | `secret.github-pat` | `x.go:2` |"));
}

#[test]
fn rules_command_lists_the_catalog() {
    let out = secops().args(["rules", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v = json_of(&out.stdout);
    let rules = v["rules"].as_array().unwrap();
    let secrets: Vec<&Value> = rules
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("secret."))
        .collect();
    assert!(secrets.len() >= 150, "only {} secret rules", secrets.len());
    assert!(secrets.iter().all(|r| r["cwe"][0] == "CWE-798"));
    assert!(rules
        .iter()
        .all(|r| !r["help"].as_str().unwrap().is_empty()));
}

fn git(dir: &Path, args: &[&str]) {
    let st = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test Person",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

#[test]
fn git_history_and_staged() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    let tok = github_token(12);
    write(repo, "conf.py", &format!("X = 1\nTOKEN = '{tok}'\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "add token"]);
    write(repo, "conf.py", "X = 1\nTOKEN = os.environ['TOKEN']\n");
    git(repo, &["commit", "-q", "-am", "remove token"]);
    // the work tree is clean now, history is not
    secops().arg("scan").arg(repo).assert().code(0);
    let out = secops()
        .args(["scan", "--git-history", "--json"])
        .arg(repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = json_of(&out.stdout);
    let f = &v["findings"][0];
    assert_eq!(f["location"]["path"], "conf.py");
    assert_eq!(f["location"]["start_line"], 2);
    assert_eq!(f["details"]["commit"].as_str().map(str::len), Some(40));
    assert_eq!(f["details"]["author"], "Test Person <test@example.com>");
    assert!(f["details"]["date"].as_str().is_some());
    // staged: nothing staged → clean; stage a secret → found
    secops()
        .args(["scan", "--staged"])
        .arg(repo)
        .assert()
        .code(0);
    write(repo, "new.env", &format!("GH={}\n", github_token(13)));
    git(repo, &["add", "new.env"]);
    let out = secops()
        .args(["scan", "--staged", "--json"])
        .arg(repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        json_of(&out.stdout)["findings"][0]["location"]["path"],
        "new.env"
    );
    // not a repository
    let plain = tempfile::tempdir().unwrap();
    secops()
        .args(["scan", "--staged"])
        .arg(plain.path())
        .assert()
        .code(3);
}

#[test]
fn hook_install_writes_an_executable_pre_commit_hook() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    secops()
        .args(["hook", "install"])
        .arg(dir.path())
        .assert()
        .code(0);
    let hook = dir.path().join(".git/hooks/pre-commit");
    let text = std::fs::read_to_string(&hook).unwrap();
    assert!(text.contains("secops scan --staged"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert!(std::fs::metadata(&hook).unwrap().permissions().mode() & 0o111 != 0);
    }
    // does not clobber without --force
    secops()
        .args(["hook", "install"])
        .arg(dir.path())
        .assert()
        .code(3);
    secops()
        .args(["hook", "install", "--force"])
        .arg(dir.path())
        .assert()
        .code(0);
}

/// A hostile tree: symlink loop, 1 GB sparse file, invalid UTF-8, unreadable file, 64 nested
/// levels, a binary file. The scan finishes, lists each as a notice and exits by findings alone.
#[cfg(unix)]
#[test]
fn hostile_tree_is_scanned_with_notices() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    // symlink loop
    std::fs::create_dir(root.join("loop")).unwrap();
    symlink("..", root.join("loop/up")).unwrap();
    symlink("self", root.join("self")).unwrap();
    // 1 GB sparse file
    let f = std::fs::File::create(root.join("huge.log")).unwrap();
    f.set_len(1 << 30).unwrap();
    // invalid UTF-8 with a secret after the bad bytes
    let mut bytes = b"caf\xe9 \xff\xfe\n".to_vec();
    bytes.extend_from_slice(format!("token = '{}'\n", github_token(14)).as_bytes());
    std::fs::write(root.join("latin1.py"), bytes).unwrap();
    // unreadable
    std::fs::write(root.join("secret.txt"), "nothing to see").unwrap();
    std::fs::set_permissions(
        root.join("secret.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // 64 nested levels
    let mut deep = root.to_path_buf();
    for i in 0..64 {
        deep.push(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(
        deep.join("deep.py"),
        format!("K = '{}'\n", github_token(15)),
    )
    .unwrap();
    let mut d = root.to_path_buf();
    for i in 0..64 {
        d.push(format!("d{i}"));
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // binary
    std::fs::write(root.join("blob.bin"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();

    // Root reads everything; run as an unprivileged user when we are root so that the
    // unreadable file really is unreadable.
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let bin = assert_cmd::cargo::cargo_bin("secops");
    let mut cmd = if is_root && Path::new("/usr/bin/setpriv").exists() {
        let mut c = std::process::Command::new("/usr/bin/setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    let started = std::time::Instant::now();
    let out = cmd
        .args(["scan", "--json", "--quiet"])
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(started.elapsed().as_secs() < 30, "scan took too long");
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out.stdout);
    let kinds: Vec<(String, String)> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_string(),
                n["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let has = |k: &str, p: &str| kinds.iter().any(|(kk, pp)| kk == k && pp.contains(p));
    assert!(has("symlink-loop", "loop/up"), "{kinds:?}");
    assert!(has("symlink-loop", "self"), "{kinds:?}");
    assert!(has("too-large", "huge.log"), "{kinds:?}");
    assert!(has("invalid-utf8", "latin1.py"), "{kinds:?}");
    assert!(has("binary", "blob.bin"), "{kinds:?}");
    if is_root && !Path::new("/usr/bin/setpriv").exists() {
        eprintln!(
            "note: running as root without setpriv; the unreadable-file case cannot be exercised"
        );
    } else {
        assert!(has("unreadable", "secret.txt"), "{kinds:?}");
    }
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"latin1.py"), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("d63/deep.py")),
        "{paths:?}"
    );
    // following links: the loop is detected, not followed forever
    let out = secops()
        .args(["scan", "--json", "--follow-symlinks", "--quiet"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = json_of(&out.stdout);
    assert!(v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "symlink-loop"));
}

#[test]
fn sast_findings_with_traces_custom_rules_and_lang_selection() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import os\nfrom flask import request\n\ndef run():\n    cmd = request.args.get('c')\n    os.system('ls ' + cmd)\n\ndef audit():\n    internal_eval(request.args.get('q'))\n",
    );
    let v = scan_json(&["--only", "sast"], dir.path());
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "sast.python.command-injection")
        .expect("command injection found");
    assert_eq!(f["location"]["start_line"], 6);
    let trace = f["details"]["trace"].as_array().unwrap();
    assert_eq!(
        trace.first().unwrap()["line"],
        5,
        "trace starts at the source"
    );
    assert_eq!(trace.last().unwrap()["line"], 6, "trace ends at the sink");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["kind"] == "sast"));
    // --lang selects languages
    let v = scan_json(&["--only", "sast", "--lang", "java"], dir.path());
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    // a custom sink in .secops.toml, same format as the built-in rule files
    write(
        dir.path(),
        ".secops.toml",
        r#"
[sast.python]
rule = [{ id = "sast.python.internal-eval", title = "Internal eval helper", severity = "critical", category = "internal-eval", cwe = ["CWE-95"], owasp = ["A03:2021"], help = "internal_eval runs its argument as code; never pass request data to it." }]
sink = [{ rule = "sast.python.internal-eval", pattern = "internal_eval" }]
"#,
    );
    let v = scan_json(&["--only", "sast"], dir.path());
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(
                |f| f["rule_id"] == "sast.python.internal-eval" && f["location"]["start_line"] == 9
            ),
        "{v}"
    );
    // a broken custom rule is a tool error naming the section
    write(dir.path(), ".secops.toml", "[sast.cobol]\nsink = []\n");
    secops()
        .args(["scan", "--only", "sast"])
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(predicates::str::contains("sast.cobol"));
}

/// IaC checks run in `secops scan` too: failed checks are `misconfig` findings on the line
/// that decided, and `--only` selects them.
#[test]
fn scan_reports_iac_misconfigurations() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/main.tf",
        "resource \"aws_security_group\" \"db\" {\n  name = \"db\"\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    );
    write(
        dir.path(),
        "Dockerfile",
        "FROM python:3.12-slim\nRUN pip install flask\nCMD [\"python\", \"app.py\"]\n",
    );
    let all = scan_json(&["--exit-zero"], dir.path());
    let misconfigs: Vec<&Value> = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "misconfig")
        .collect();
    let ids: Vec<&str> = misconfigs
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(
        ids.iter()
            .any(|i| i.starts_with("iac.terraform.") && i.contains("ingress")),
        "open ingress to 5432 found: {ids:?}"
    );
    assert!(ids.contains(&"iac.dockerfile.root-user"), "{ids:?}");
    let sg = misconfigs
        .iter()
        .find(|f| f["location"]["path"] == "infra/main.tf")
        .unwrap();
    assert!(sg["location"]["start_line"].as_u64().unwrap() >= 1);
    // Rules of reported findings are in the report (SARIF needs them).
    assert!(all["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "iac.dockerfile.root-user"));
    let only_secrets = scan_json(&["--exit-zero", "--only", "secrets"], dir.path());
    assert!(only_secrets["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["kind"] != "misconfig"));
    let only_iac = scan_json(&["--exit-zero", "--only", "iac"], dir.path());
    assert_eq!(
        only_iac["findings"].as_array().unwrap().len(),
        misconfigs.len()
    );
}
