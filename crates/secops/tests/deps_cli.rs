//! End-to-end tests of `secops deps` and `secops db`.
//!
//! The vulnerability database is built at test time with `secops db import` from the invented
//! OSV records in `tests/fixtures/deps/osv` (ids `TEST-*`, aliases `CVE-2099-*`); the fixture
//! project has a Cargo.lock, an npm package-lock.json (one dev dependency) and a
//! requirements.txt with one unpinned line. Downloads go to a small HTTP server on loopback.
//! One test runs against the real dated snapshot in `shared/osv` when it is present.

#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deps")
}

fn project() -> PathBuf {
    fixtures().join("project")
}

fn secops() -> Command {
    let mut c = Command::cargo_bin("secops").expect("binary builds");
    c.env("NO_COLOR", "1");
    // Never the user's cache folder, never the real osv.dev.
    c.env("SECOPS_DB_DIR", "/nonexistent/secops-test-db");
    c.env("SECOPS_OSV_URL", "http://127.0.0.1:9/unused");
    c
}

/// A database imported from the fixture records.
fn test_db() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = secops()
        .args(["db", "import"])
        .arg(fixtures().join("osv"))
        .arg("--db")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    dir
}

/// Run `secops deps --json --db DB ARGS PATH`: (exit code, report, stderr).
fn deps_json(db: &Path, args: &[&str], path: &Path) -> (i32, Value, String) {
    let out = secops()
        .args(["deps", "--json", "--db"])
        .arg(db)
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

/// The vulnerability details of every finding, as (id, package, version).
fn found(report: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let d = &f["details"];
            (
                d["id"].as_str().unwrap().to_string(),
                d["package"].as_str().unwrap().to_string(),
                d["version"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn ids(report: &Value) -> Vec<String> {
    found(report).into_iter().map(|(id, _, _)| id).collect()
}

fn notices(report: &Value, kind: &str) -> Vec<String> {
    report["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == kind)
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect()
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("secops.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn findings_json_shape_and_exit_code() {
    let db = test_db();
    let (code, r, _) = deps_json(db.path(), &[], &project());
    assert_eq!(code, 2, "a critical finding exits 2");
    assert_eq!(r["command"], "deps");
    assert_eq!(
        ids(&r),
        [
            "TEST-CRATE-0001",
            "TEST-CRATE-0002",
            "TEST-NPM-0001",
            "TEST-NPM-0002",
            "TEST-PY-0001"
        ],
        "withdrawn TEST-CRATE-0003 and the unpinned otherlib (TEST-PY-0002) never match"
    );
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "TEST-CRATE-0001")
        .unwrap();
    assert_eq!(f["kind"], "vulnerability");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["location"]["path"], "Cargo.lock");
    assert_eq!(f["location"]["start_line"], 19);
    assert_eq!(
        f["message"],
        "vulncrate 1.1.0 has TEST-CRATE-0001 (CVE-2099-1001): Out-of-bounds write in \
         vulncrate::grow; fixed in 1.2.0; upgrade to 1.3.0"
    );
    let d = &f["details"];
    assert_eq!(d["type"], "vulnerability");
    assert_eq!(d["ecosystem"], "crates.io");
    assert_eq!(d["aliases"], serde_json::json!(["CVE-2099-1001"]));
    assert_eq!(d["cvss_score"], 9.8);
    assert!(d["cvss_vector"].as_str().unwrap().starts_with("CVSS:3.1/"));
    assert_eq!(d["fixed_versions"], serde_json::json!(["1.2.0"]));
    assert_eq!(
        d["minimal_upgrade"], "1.3.0",
        "the smallest version fixing both advisories"
    );
    assert_eq!(d["group"], "prod");
    assert_eq!(d["pinned"], true);
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
    // Severity from the label when there is no vector.
    let high = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "TEST-CRATE-0002")
        .unwrap();
    assert_eq!(high["severity"], "high");
    // critical 10 + high 5 + high 5 + medium 2 + low 0.5 = 22.5 → 100 * (1 - e^(-22.5/20)) = 68.
    assert_eq!(r["risk_score"], 68);
    // One rule per advisory, with the first paragraph of its details and the osv.dev page.
    let rule = r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "TEST-CRATE-0001")
        .unwrap();
    assert_eq!(rule["title"], "Out-of-bounds write in vulncrate::grow");
    let help = rule["help"].as_str().unwrap();
    assert!(
        help.starts_with(
            "Calling `grow` with a smaller capacity writes past the end of the buffer."
        ),
        "{help}"
    );
    assert!(!help.contains("second paragraph"), "{help}");
    assert!(
        help.contains("https://osv.dev/vulnerability/TEST-CRATE-0001"),
        "{help}"
    );
    assert_eq!(r["rules"].as_array().unwrap().len(), 5);
    // The unpinned requirement is a warning, not a guess.
    assert_eq!(
        notices(&r, "unresolved"),
        ["unresolved: otherlib 1.0 (not pinned; not matched)"]
    );
    assert_eq!(r["stats"]["files_scanned"], 3);
}

#[test]
fn exit_codes_follow_the_highest_severity() {
    let db = test_db();
    let web = project().join("web");
    // high (TEST-NPM-0002, CVSS 7.5) + medium: exit 1.
    assert_eq!(deps_json(db.path(), &[], &web).0, 1);
    assert_eq!(deps_json(db.path(), &["--fail-on", "critical"], &web).0, 0);
    assert_eq!(deps_json(db.path(), &["--exit-zero"], &project()).0, 0);
    // low only: below the default threshold.
    let (code, r, _) = deps_json(db.path(), &[], &project().join("py"));
    assert_eq!((code, ids(&r)), (0, vec!["TEST-PY-0001".to_string()]));
    assert_eq!(
        deps_json(db.path(), &["--fail-on", "low"], &project().join("py")).0,
        1
    );
    // --severity hides, and the risk score counts only what is shown.
    let (code, r, _) = deps_json(db.path(), &["--severity", "critical"], &project());
    assert_eq!((code, ids(&r)), (2, vec!["TEST-CRATE-0001".to_string()]));
    assert_eq!(r["risk_score"], 39);
}

#[test]
fn no_dev_drops_dev_dependencies() {
    let db = test_db();
    let web = project().join("web");
    let (_, r, _) = deps_json(db.path(), &[], &web);
    assert_eq!(ids(&r), ["TEST-NPM-0001", "TEST-NPM-0002"]);
    let dev = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "TEST-NPM-0001")
        .unwrap();
    assert_eq!(dev["details"]["group"], "dev");
    let (_, r, _) = deps_json(db.path(), &["--no-dev"], &web);
    assert_eq!(ids(&r), ["TEST-NPM-0002"]);
}

#[test]
fn list_packages_needs_no_database() {
    let (code, r, _) = deps_json(
        Path::new("/nonexistent/no-db-here"),
        &["--list-packages", "--offline"],
        &project(),
    );
    assert_eq!(code, 0);
    assert!(r["findings"].as_array().unwrap().is_empty());
    let packages = r["packages"].as_array().unwrap();
    let keys: Vec<(&str, &str, &str, bool, &str)> = packages
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap(),
                p["ecosystem"].as_str().unwrap(),
                p["name"].as_str().unwrap(),
                p["pinned"].as_bool().unwrap(),
                p["group"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(keys.contains(&("Cargo.lock", "crates.io", "vulncrate", true, "prod")));
    assert!(keys.contains(&("web/package-lock.json", "npm", "badpkg", true, "dev")));
    assert!(keys.contains(&("py/requirements.txt", "PyPI", "otherlib", false, "prod")));
    let otherlib = packages.iter().find(|p| p["name"] == "otherlib").unwrap();
    assert_eq!(
        otherlib["version"], "1.0",
        "the lowest version the range allows"
    );
    assert_eq!(otherlib["line"], 4);
    for p in packages {
        for field in [
            "file",
            "line",
            "ecosystem",
            "name",
            "version",
            "pinned",
            "group",
        ] {
            assert!(p.get(field).is_some(), "{field} missing in {p}");
        }
    }
    // --no-dev applies to the inventory too.
    let (_, r, _) = deps_json(
        Path::new("/nonexistent"),
        &["--list-packages", "--no-dev"],
        &project(),
    );
    let names: Vec<&str> = r["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"badpkg") && names.contains(&"prodpkg"),
        "{names:?}"
    );
    // Text: a table.
    let out = secops()
        .args(["deps", "--list-packages", "--offline"])
        .arg(project())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("LOCATION"), "{text}");
    assert!(text.contains("Cargo.lock:19"), "{text}");
    // No SARIF form for an inventory.
    secops()
        .args(["deps", "--list-packages", "--format", "sarif"])
        .arg(project())
        .assert()
        .code(3);
}

#[test]
fn ignore_by_alias_with_reason() {
    let db = test_db();
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        cfg_dir.path(),
        "[[deps.ignore]]\nid = \"CVE-2099-1001\"\nreason = \"grow() is never called\"\nuntil = \"2999-12-31\"\n",
    );
    let (code, r, _) = deps_json(db.path(), &["--config", cfg.to_str().unwrap()], &project());
    assert!(
        !ids(&r).contains(&"TEST-CRATE-0001".to_string()),
        "{:?}",
        ids(&r)
    );
    assert_eq!(ids(&r).len(), 4);
    assert_eq!(r["stats"]["suppressed"], 1);
    let ignored = notices(&r, "ignored");
    assert_eq!(ignored.len(), 1);
    assert!(
        ignored[0].contains("TEST-CRATE-0001") && ignored[0].contains("grow() is never called"),
        "{ignored:?}"
    );
    assert_eq!(code, 1, "the highest remaining finding is high");
    // The ignored finding leaves the risk score too (2 high, 1 medium, 1 low: 12.5 → 46).
    assert_eq!(r["risk_score"], 46);
}

#[test]
fn expired_ignore_warns_and_reports_again() {
    let db = test_db();
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        cfg_dir.path(),
        "[[deps.ignore]]\nid = \"TEST-CRATE-0001\"\nreason = \"waiting for 1.3\"\nuntil = 2020-01-31\n",
    );
    let (code, r, _) = deps_json(db.path(), &["--config", cfg.to_str().unwrap()], &project());
    assert_eq!(code, 2);
    assert!(ids(&r).contains(&"TEST-CRATE-0001".to_string()));
    assert_eq!(r["stats"]["suppressed"], 0);
    let warnings = notices(&r, "config");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("expired on 2020-01-31"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("waiting for 1.3"), "{warnings:?}");
}

#[test]
fn ignore_package_with_and_without_version() {
    let db = test_db();
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        cfg_dir.path(),
        "[[deps.ignore_package]]\necosystem = \"npm\"\nname = \"prodpkg\"\nversion = \"1.0.0\"\nreason = \"internal fork\"\n\n\
         [[deps.ignore_package]]\necosystem = \"crates.io\"\nname = \"vulncrate\"\nversion = \"9.9.9\"\n",
    );
    let (_, r, _) = deps_json(db.path(), &["--config", cfg.to_str().unwrap()], &project());
    assert_eq!(
        ids(&r),
        [
            "TEST-CRATE-0001",
            "TEST-CRATE-0002",
            "TEST-NPM-0001",
            "TEST-PY-0001"
        ],
        "only prodpkg 1.0.0 is ignored; vulncrate 9.9.9 is not the installed version"
    );
    assert_eq!(r["stats"]["suppressed"], 1);
    // Without a version every version of the package is ignored.
    let cfg = write_config(
        cfg_dir.path(),
        "[[deps.ignore_package]]\necosystem = \"cargo\"\nname = \"vulncrate\"\n",
    );
    let (_, r, _) = deps_json(db.path(), &["--config", cfg.to_str().unwrap()], &project());
    assert_eq!(r["stats"]["suppressed"], 2);
    // A bad entry is a configuration error naming the file.
    let cfg = write_config(
        cfg_dir.path(),
        "[[deps.ignore_package]]\necosystem = \"npm\"\nname = \"x\"\nwhen = \"never\"\n",
    );
    let out = secops()
        .args(["deps", "--db"])
        .arg(db.path())
        .arg("--config")
        .arg(&cfg)
        .arg(project())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("secops.toml"));
}

#[test]
fn missing_database_offline_exits_3_with_the_commands() {
    let empty = tempfile::tempdir().unwrap();
    let db = empty.path().join("db");
    let out = secops()
        .args(["deps", "--offline", "--db"])
        .arg(&db)
        .arg(project())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("secops db update --db {}", db.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("secops db import PATH --db {}", db.display())),
        "{err}"
    );
    assert!(!db.exists(), "--offline creates nothing");
    // The default folder is named without --db.
    let out = secops()
        .args(["deps", "--offline"])
        .env("SECOPS_DB_DIR", &db)
        .arg(project())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`secops db update`"), "{err}");
}

#[test]
fn offline_never_touches_the_network() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let empty = tempfile::tempdir().unwrap();
    for args in [vec!["--offline"], vec!["--offline", "--list-packages"]] {
        secops()
            .arg("deps")
            .args(&args)
            .arg("--db")
            .arg(empty.path())
            .env("SECOPS_OSV_URL", &url)
            .arg(project())
            .assert()
            .code(if args.len() == 1 { 3 } else { 0 });
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "no connection was made"
    );
}

#[test]
fn failed_first_download_exits_3_with_the_commands() {
    // A port nothing listens on: the connection is refused at once.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let empty = tempfile::tempdir().unwrap();
    let out = secops()
        .args(["deps", "--db"])
        .arg(empty.path())
        .env("SECOPS_OSV_URL", format!("http://127.0.0.1:{port}"))
        .arg(project().join("web"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("download failed"), "{err}");
    assert!(
        err.contains(&format!("127.0.0.1:{port}/npm/all.zip")),
        "names the URL: {err}"
    );
    assert!(
        err.contains("secops db update --db") && err.contains("secops db import PATH"),
        "{err}"
    );
}

/// Serve `files` (URL path → body) over HTTP/1.1 on loopback; returns the base URL and the
/// paths requested so far.
fn serve(files: Vec<(String, Vec<u8>)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && s.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
            log.lock().unwrap().push(path.clone());
            let reply = match files.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => {
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend_from_slice(body);
                    r
                }
                None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_vec(),
            };
            let _ = s.write_all(&reply);
        }
    });
    (base, seen)
}

#[test]
fn first_run_downloads_only_the_needed_ecosystems() {
    let source = test_db();
    let zip = std::fs::read(source.path().join("npm/all.zip")).unwrap();
    let (base, seen) = serve(vec![("/npm/all.zip".into(), zip)]);
    let fresh = tempfile::tempdir().unwrap();
    let db = fresh.path().join("db");
    let (code, r, _) = {
        let out = secops()
            .args(["deps", "--json", "--db"])
            .arg(&db)
            .env("SECOPS_OSV_URL", &base)
            .arg(project().join("web"))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code().unwrap(), v, ())
    };
    assert_eq!(code, 1);
    assert_eq!(ids(&r), ["TEST-NPM-0001", "TEST-NPM-0002"]);
    assert_eq!(*seen.lock().unwrap(), ["/npm/all.zip"]);
    assert!(db.join("npm/all.zip").is_file());
    // Installed once: the next run does not download again.
    let (code, _, _) = deps_json(&db, &[], &project().join("web"));
    assert_eq!(code, 1);
    assert_eq!(seen.lock().unwrap().len(), 1);
    // An ecosystem the database lacks is reported, not silently clean.
    let (_, r, _) = deps_json(&db, &[], &project());
    let unchecked = notices(&r, "unchecked");
    assert_eq!(unchecked.len(), 2, "{unchecked:?}");
    assert!(
        unchecked.iter().any(
            |m| m.contains("crates.io") && m.contains("secops db update --ecosystem crates.io")
        ),
        "{unchecked:?}"
    );
}

#[test]
fn db_update_command_reports_each_ecosystem() {
    let source = test_db();
    let zip = std::fs::read(source.path().join("crates.io/all.zip")).unwrap();
    let (base, _) = serve(vec![("/crates.io/all.zip".into(), zip)]);
    let fresh = tempfile::tempdir().unwrap();
    let out = secops()
        .args(["db", "update", "--ecosystem", "cargo,npm", "--db"])
        .arg(fresh.path())
        .env("SECOPS_OSV_URL", &base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "npm is missing on the server");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("crates.io  updated: 3 advisories"),
        "{stdout}"
    );
    assert!(
        stdout.contains("npm        FAILED") && stdout.contains("/npm/all.zip"),
        "{stdout}"
    );
    assert!(fresh.path().join("crates.io/all.zip").is_file());
}

#[test]
fn db_import_and_status_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("osv");
    let out = secops()
        .args(["db", "import"])
        .arg(fixtures().join("osv"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("crates.io  imported: 3 advisories"),
        "{stdout}"
    );
    // The default folder comes from SECOPS_DB_DIR.
    let out = secops()
        .args(["db", "status", "--json"])
        .env("SECOPS_DB_DIR", &db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let st: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(st["dir"], db.display().to_string());
    assert_eq!(st["empty"], false);
    assert_eq!(st["stale"], false);
    assert_eq!(st["advisories"], 7);
    let ecos: Vec<(&str, u64)> = st["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["ecosystem"].as_str().unwrap(),
                e["advisories"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ecos, [("npm", 2), ("PyPI", 2), ("crates.io", 3)]);
    let e = &st["ecosystems"][0];
    assert!(e["age_seconds"].as_u64().unwrap() < 3600);
    assert!(e["updated_at"].as_str().unwrap().contains('T'));
    assert_eq!(e["updated_from"], "metadata");
    // An empty folder: status still works and says what to run.
    let out = secops()
        .args(["db", "status", "--format", "json", "--db"])
        .arg(dir.path().join("none"))
        .output()
        .unwrap();
    let st: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(st["empty"], true);
    assert!(st["hint"]
        .as_str()
        .unwrap()
        .contains("secops db import PATH"));
    // A path that does not exist is an error naming it.
    let out = secops()
        .args(["db", "import", "/nonexistent/osv-export.zip", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/osv-export.zip"));
}

#[test]
fn stale_database_is_a_warning() {
    let db = test_db();
    let meta_path = db.path().join("secops-db.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    for (_, e) in meta["ecosystems"].as_object_mut().unwrap() {
        e["imported_at"] = Value::from("2020-01-01T00:00:00Z");
    }
    std::fs::write(&meta_path, serde_json::to_vec(&meta).unwrap()).unwrap();
    let (code, r, _) = deps_json(db.path(), &[], &project());
    assert_eq!(code, 2, "a stale database still gives results");
    let warn = notices(&r, "database");
    assert_eq!(warn.len(), 1, "{warn:?}");
    assert!(
        warn[0].contains("over 7 days") && warn[0].contains("secops db update"),
        "{warn:?}"
    );
    let out = secops()
        .args(["db", "status", "--json", "--db"])
        .arg(db.path())
        .output()
        .unwrap();
    let st: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(st["stale"], true);
}

#[test]
fn parse_error_is_a_notice_and_results_say_incomplete() {
    let db = test_db();
    let (code, r, _) = deps_json(db.path(), &[], &fixtures().join("broken"));
    assert_eq!(code, 0);
    let errs = notices(&r, "parse-error");
    assert_eq!(errs.len(), 1, "{r}");
    assert!(
        errs[0].starts_with("Cargo.lock:"),
        "names file and line: {errs:?}"
    );
    let line: String = errs[0]["Cargo.lock:".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(line.parse::<usize>().unwrap() >= 4, "{errs:?}");
    let out = secops()
        .args(["deps", "--db"])
        .arg(db.path())
        .arg(fixtures().join("broken"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("results are incomplete"), "{text}");
    assert!(text.contains("1 parse-error"), "{text}");
}

#[test]
fn text_sarif_and_markdown_carry_the_risk_score() {
    let db = test_db();
    let run = |format: &str| {
        let out = secops()
            .args(["deps", "--format", format, "--db"])
            .arg(db.path())
            .arg(project())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("text");
    assert!(text.starts_with("PACKAGE"), "{text}");
    assert!(text.contains("TEST-CRATE-0001 (CVE-2099-1001)"), "{text}");
    assert!(text.contains("critical 9.8"), "{text}");
    assert!(text.contains("risk score 68/100"), "{text}");
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["properties"]["riskScore"], 68);
    let res = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "TEST-NPM-0002")
        .unwrap();
    let loc = &res["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "web/package-lock.json");
    assert_eq!(loc["region"]["startLine"], 21);
    assert_eq!(res["properties"]["aliases"][0], "CVE-2099-2002");
    let md = run("markdown");
    assert!(md.contains("Risk score: **68/100**"), "{md}");
    assert!(
        md.contains("[TEST-CRATE-0001](https://osv.dev/vulnerability/TEST-CRATE-0001)"),
        "{md}"
    );
}

#[test]
fn baseline_hides_known_findings() {
    let db = test_db();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("baseline.json");
    let (code, _, _) = deps_json(
        db.path(),
        &["--write-baseline", base.to_str().unwrap()],
        &project(),
    );
    assert_eq!(code, 2);
    let (code, r, _) = deps_json(
        db.path(),
        &["--baseline", base.to_str().unwrap()],
        &project(),
    );
    assert_eq!(code, 0);
    assert!(ids(&r).is_empty());
    assert_eq!(r["stats"]["suppressed"], 5);
    assert_eq!(r["risk_score"], 0);
}

/// The dated real snapshot, when present: `SECOPS_SHARED_OSV`, else `shared/osv` beside the
/// checkout, else `/work/shared/osv`.
fn shared_osv() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SECOPS_SHARED_OSV").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/osv")),
        Some(PathBuf::from("/work/shared/osv")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|d| d.join("crates.io/all.zip").is_file() && d.join("PyPI/all.zip").is_file())
}

#[test]
fn real_snapshot_smallvec_and_a_git_first_pypi_range() {
    let Some(osv) = shared_osv() else {
        eprintln!("shared OSV snapshot not found (set SECOPS_SHARED_OSV): skipped");
        return;
    };
    let (code, r, _) = deps_json(&osv, &["--offline"], &fixtures().join("shared"));
    assert_eq!(code, 2);
    let smallvec = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["details"]["id"] == "RUSTSEC-2019-0009")
        .expect("RUSTSEC-2019-0009 for smallvec 0.6.9");
    let d = &smallvec["details"];
    assert_eq!(d["package"], "smallvec");
    assert!(
        d["aliases"]
            .as_array()
            .unwrap()
            .contains(&Value::from("CVE-2019-15551")),
        "{d}"
    );
    assert_eq!(smallvec["severity"], "critical");
    assert_eq!(d["fixed_versions"][0], "0.6.10");
    assert_eq!(d["minimal_upgrade"], "0.6.14");
    // PYSEC-2022-296 lists a GIT range first; the ECOSYSTEM range after it still matches.
    let pysec: Vec<String> = found(&r)
        .into_iter()
        .filter(|(_, p, _)| p == "rdiffweb")
        .map(|(id, _, _)| id)
        .collect();
    assert!(pysec.contains(&"PYSEC-2022-296".to_string()), "{pysec:?}");
    let score = r["risk_score"].as_u64().unwrap();
    assert!(score > 39 && score <= 100, "{score}");
}
