//! `secops db update`: downloads from a loopback HTTP server.
#![allow(clippy::unwrap_used)]

mod db_support;

use db_support::*;
use secops_deps::osv::fetch::{
    self, update, Progress, UpdateOptions, UpdateOutcome, UpdateReport, DEFAULT_BASE_URL,
};
use secops_deps::osv::store::{self, TimeSource};
use secops_deps::{DepsError, Ecosystem};
use std::fs;
use std::path::Path;
use std::time::Duration;

/// Options pointing at `server`, with short timeouts.
fn opts(server: &Server) -> UpdateOptions {
    UpdateOptions {
        base_url: Some(server.base.clone()),
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        ..UpdateOptions::default()
    }
}

/// Run an update, collecting the progress events.
fn run(dir: &Path, ecos: &[Ecosystem], opts: &UpdateOptions) -> (UpdateReport, Vec<Progress>) {
    let mut events = Vec::new();
    let report = update(dir, ecos, opts, &mut |p| events.push(p)).unwrap();
    (report, events)
}

/// The single result of a one-ecosystem report.
fn only(report: &UpdateReport) -> &Result<UpdateOutcome, DepsError> {
    assert_eq!(report.results.len(), 1);
    &report.results[0].result
}

/// No temporary files left next to the installed zips or the metadata file.
fn assert_no_temp_files(dir: &Path) {
    let leftovers: Vec<String> = snapshot(dir)
        .into_keys()
        .filter(|k| k.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn first_download_installs_the_zip_and_records_metadata() {
    let server = Server::start();
    let body = npm_zip();
    let md5 = md5_base64(&body);
    server.route(
        "/npm/all.zip",
        Reply::ok(body.clone(), "\"npm-v1\"")
            .header("x-goog-hash", &format!("crc32c=AAAAAA==, md5={md5}")),
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("db");

    let (report, events) = run(&dir, &[Ecosystem::Npm], &opts(&server));
    assert!(report.is_success());
    assert_eq!(
        only(&report).as_ref().unwrap(),
        &UpdateOutcome::Updated {
            bytes: body.len() as u64,
            advisories: 3
        }
    );
    assert_eq!(
        report.results[0].url,
        format!("{}/npm/all.zip", server.base)
    );
    assert!(report.index.is_some(), "index rebuilt after a success");
    let installed = dir.join("npm").join("all.zip");
    assert_eq!(fs::read(&installed).unwrap(), body);
    assert_no_temp_files(&dir);

    let meta = metadata_json(&dir);
    let npm = &meta["ecosystems"]["npm"];
    assert_eq!(npm["source"], format!("{}/npm/all.zip", server.base));
    assert_eq!(npm["etag"], "\"npm-v1\"");
    assert_eq!(npm["last_modified"], "Wed, 21 Aug 2024 07:28:00 GMT");
    assert_eq!(npm["sha256"], sha256_hex(&body));
    assert_eq!(npm["bytes"], body.len() as u64);
    assert_eq!(npm["advisories"], 3);
    let downloaded = npm["downloaded_at"].as_str().unwrap();
    time::OffsetDateTime::parse(downloaded, &time::format_description::well_known::Rfc3339)
        .unwrap();
    assert!(npm.get("imported_at").is_none());

    // Progress: started, bytes up to the full length, verifying, finished, indexing.
    assert!(
        matches!(&events[0], Progress::Started { ecosystem: Ecosystem::Npm, url } if url.ends_with("/npm/all.zip"))
    );
    let last_bytes = events
        .iter()
        .rev()
        .find_map(|e| match e {
            Progress::Downloading { done, total, .. } => Some((*done, *total)),
            _ => None,
        })
        .unwrap();
    assert_eq!(last_bytes, (body.len() as u64, Some(body.len() as u64)));
    assert!(events.contains(&Progress::Verifying {
        ecosystem: Ecosystem::Npm
    }));
    assert_eq!(events[events.len() - 1], Progress::Indexing);
    assert!(matches!(
        &events[events.len() - 2],
        Progress::Finished {
            outcome: Ok(UpdateOutcome::Updated { advisories: 3, .. }),
            ..
        }
    ));

    // The status sees the download time from the metadata.
    let status = store::status(&dir).unwrap();
    let st = status.get(Ecosystem::Npm).unwrap();
    assert_eq!(st.advisories, Some(3));
    assert_eq!(st.updated_from, TimeSource::Metadata);
    assert!(st.age.unwrap() < Duration::from_secs(300));
    assert!(!fetch::is_stale(&status, fetch::STALE_AFTER));
}

#[test]
fn second_update_is_unchanged_after_a_304() {
    let server = Server::start();
    let body = npm_zip();
    server.route("/npm/all.zip", Reply::ok(body.clone(), "\"npm-v1\""));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    let (first, _) = run(dir, &[Ecosystem::Npm], &opts(&server));
    assert!(matches!(only(&first), Ok(UpdateOutcome::Updated { .. })));
    let before = metadata_json(dir);

    let (second, events) = run(dir, &[Ecosystem::Npm], &opts(&server));
    assert_eq!(only(&second).as_ref().unwrap(), &UpdateOutcome::Unchanged);
    assert!(second.index.is_some());
    assert!(!events
        .iter()
        .any(|e| matches!(e, Progress::Downloading { .. })));

    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].status, 200);
    assert!(!seen[0].headers.contains_key("if-none-match"));
    assert_eq!(seen[1].status, 304, "the server answered 304");
    assert_eq!(seen[1].headers["if-none-match"], "\"npm-v1\"");
    assert_eq!(
        seen[1].headers["if-modified-since"],
        "Wed, 21 Aug 2024 07:28:00 GMT"
    );

    assert_eq!(fs::read(dir.join("npm/all.zip")).unwrap(), body);
    let after = metadata_json(dir);
    let (b, a) = (&before["ecosystems"]["npm"], &after["ecosystems"]["npm"]);
    assert_eq!(a["sha256"], b["sha256"]);
    assert_eq!(a["etag"], b["etag"]);
    assert_eq!(a["downloaded_at"], b["downloaded_at"]);
    assert!(a["checked_at"].is_string());
}

#[test]
fn a_new_etag_downloads_again_and_force_skips_conditional_headers() {
    let server = Server::start();
    server.route(
        "/PyPI/all.zip",
        Reply::ok(records_zip(&["TEST-PYPI-0001"]), "\"a\""),
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run(dir, &[Ecosystem::PyPI], &opts(&server));

    let newer = records_zip(&["TEST-MULTI-0001", "TEST-PYPI-0001"]);
    server.route("/PyPI/all.zip", Reply::ok(newer.clone(), "\"b\""));
    let (report, _) = run(dir, &[Ecosystem::PyPI], &opts(&server));
    assert!(matches!(
        only(&report),
        Ok(UpdateOutcome::Updated { advisories: 2, .. })
    ));
    assert_eq!(fs::read(dir.join("PyPI/all.zip")).unwrap(), newer);
    assert_eq!(metadata_json(dir)["ecosystems"]["PyPI"]["etag"], "\"b\"");

    let forced = UpdateOptions {
        force: true,
        ..opts(&server)
    };
    let (report, _) = run(dir, &[Ecosystem::PyPI], &forced);
    assert!(matches!(only(&report), Ok(UpdateOutcome::Updated { .. })));
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[1].headers["if-none-match"], "\"a\"");
    assert!(!seen[2].headers.contains_key("if-none-match"));
    assert!(!seen[2].headers.contains_key("if-modified-since"));
    assert_eq!(seen[2].status, 200);
}

#[test]
fn a_corrupt_download_keeps_the_old_zip() {
    let server = Server::start();
    let good = npm_zip();
    server.route("/npm/all.zip", Reply::ok(good.clone(), "\"v1\""));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run(dir, &[Ecosystem::Npm], &opts(&server));
    let before = snapshot(dir);

    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "garbage",
            b"<html>maintenance</html>".to_vec(),
            "not a readable zip",
        ),
        ("bad crc", crc_corrupted_zip(), "checksum"),
        (
            "not osv",
            zip_bytes(&[("X.json", br#"{"summary":"no id"}"#)], false),
            "missing field `id`",
        ),
    ];
    for (i, (what, body, problem)) in cases.into_iter().enumerate() {
        server.route("/npm/all.zip", Reply::ok(body, &format!("\"bad-{i}\"")));
        let (report, _) = run(dir, &[Ecosystem::Npm], &opts(&server));
        let err = only(&report).as_ref().unwrap_err().to_string();
        assert!(
            err.contains(&format!("{}/npm/all.zip", server.base)),
            "{what}: {err}"
        );
        assert!(err.contains(problem), "{what}: {err}");
        assert_eq!(snapshot(dir), before, "{what}: database changed");
        assert!(
            report.index.is_none(),
            "{what}: no index rebuild when all failed"
        );
    }
}

#[test]
fn a_wrong_md5_keeps_the_old_zip() {
    let server = Server::start();
    server.route("/npm/all.zip", Reply::ok(npm_zip(), "\"v1\""));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run(dir, &[Ecosystem::Npm], &opts(&server));
    let before = snapshot(dir);

    let newer = records_zip(&["TEST-NPM-0001"]);
    let wrong = md5_base64(b"something else");
    server.route(
        "/npm/all.zip",
        Reply::ok(newer, "\"v2\"").header("x-goog-hash", &format!("crc32c=AAAAAA==,md5={wrong}")),
    );
    let (report, _) = run(dir, &[Ecosystem::Npm], &opts(&server));
    let err = only(&report).as_ref().unwrap_err().to_string();
    assert!(err.contains("MD5 mismatch"), "{err}");
    assert!(err.contains(&wrong), "{err}");
    assert!(err.contains("/npm/all.zip"), "{err}");
    assert_eq!(snapshot(dir), before);
}

#[test]
fn a_truncated_download_is_an_error() {
    let server = Server::start();
    let body = npm_zip();
    let mut reply = Reply::ok(body[..body.len() / 2].to_vec(), "\"v1\"");
    reply.declared_len = Some(body.len());
    server.route("/npm/all.zip", reply);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (report, _) = run(dir, &[Ecosystem::Npm], &opts(&server));
    let err = only(&report).as_ref().unwrap_err().to_string();
    assert!(err.contains("/npm/all.zip"), "{err}");
    assert!(!dir.join("npm/all.zip").exists());
    assert!(!dir.join("secops-db.json").exists());
    assert_no_temp_files(dir);
}

#[test]
fn a_404_is_an_error_naming_the_url() {
    let server = Server::start();
    let tmp = tempfile::tempdir().unwrap();
    let (report, events) = run(tmp.path(), &[Ecosystem::Go], &opts(&server));
    let err = only(&report).as_ref().unwrap_err();
    let url = format!("{}/Go/all.zip", server.base);
    assert!(matches!(err, DepsError::Fetch { url: u, .. } if *u == url));
    let text = err.to_string();
    assert!(
        text.contains(&url) && text.contains("HTTP 404 Not Found"),
        "{text}"
    );
    assert!(!report.is_success());
    assert_eq!(report.failures().count(), 1);
    assert!(matches!(
        events.last().unwrap(),
        Progress::Finished { ecosystem: Ecosystem::Go, outcome: Err(m) } if m.contains("404")
    ));
}

#[test]
fn one_ecosystem_failing_does_not_stop_the_others() {
    let server = Server::start();
    server.route(
        "/crates.io/all.zip",
        Reply::ok(records_zip(&["TEST-CRATE-0001"]), "\"c1\""),
    );
    server.route(
        "/PyPI/all.zip",
        Reply {
            status: 500,
            body: b"oops".to_vec(),
            ..Reply::default()
        },
    );
    server.route("/npm/all.zip", Reply::ok(npm_zip(), "\"n1\""));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ecos = [
        Ecosystem::PyPI,
        Ecosystem::CratesIo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
    ];
    let (report, _) = run(dir, &ecos, &opts(&server));

    let order: Vec<Ecosystem> = report.results.iter().map(|r| r.ecosystem).collect();
    assert_eq!(
        order,
        [Ecosystem::PyPI, Ecosystem::CratesIo, Ecosystem::Npm]
    );
    let err = report.results[0].result.as_ref().unwrap_err().to_string();
    assert!(
        err.contains("/PyPI/all.zip") && err.contains("HTTP 500"),
        "{err}"
    );
    assert!(matches!(
        report.results[1].result,
        Ok(UpdateOutcome::Updated { advisories: 1, .. })
    ));
    assert!(matches!(
        report.results[2].result,
        Ok(UpdateOutcome::Updated { advisories: 3, .. })
    ));
    assert!(report.index.is_some());
    assert!(!dir.join("PyPI").join("all.zip").exists());

    let status = store::status(dir).unwrap();
    let installed: Vec<Ecosystem> = status.ecosystems.iter().map(|e| e.ecosystem).collect();
    assert_eq!(installed, [Ecosystem::Npm, Ecosystem::CratesIo]);
    let meta = metadata_json(dir);
    assert!(meta["ecosystems"].get("PyPI").is_none());
    assert_eq!(meta["ecosystems"]["crates.io"]["etag"], "\"c1\"");
}

#[test]
fn an_unreachable_server_is_an_error_naming_the_url() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = UpdateOptions {
        base_url: Some(format!("http://127.0.0.1:{port}/")),
        connect_timeout: Duration::from_secs(5),
        ..UpdateOptions::default()
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut ignore = |_| {};
    let report = update(tmp.path(), &[Ecosystem::NuGet], &o, &mut ignore).unwrap();
    let err = only(&report).as_ref().unwrap_err().to_string();
    assert!(
        err.contains(&format!("http://127.0.0.1:{port}/NuGet/all.zip")),
        "{err}"
    );
    assert!(report.index.is_none());
}

#[test]
fn base_url_precedence() {
    // The only test in this binary that touches the variable; the others pass `base_url`.
    let explicit = UpdateOptions {
        base_url: Some("http://mirror.invalid/osv".into()),
        ..UpdateOptions::default()
    };
    std::env::set_var(fetch::BASE_URL_ENV, "http://env.invalid");
    assert_eq!(fetch::base_url(&explicit), "http://mirror.invalid/osv");
    assert_eq!(
        fetch::base_url(&UpdateOptions::default()),
        "http://env.invalid"
    );
    std::env::set_var(fetch::BASE_URL_ENV, "");
    assert_eq!(fetch::base_url(&UpdateOptions::default()), DEFAULT_BASE_URL);
    std::env::remove_var(fetch::BASE_URL_ENV);
    assert_eq!(fetch::base_url(&UpdateOptions::default()), DEFAULT_BASE_URL);
}
