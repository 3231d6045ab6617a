//! `secops db import`: one zip, a layout folder, loose JSON records, and invalid input.
#![allow(clippy::unwrap_used)]

mod db_support;

use db_support::*;
use secops_deps::osv::store::{self, import, zip_path};
use secops_deps::{DepsError, Ecosystem};
use std::fs;
use std::path::Path;

/// Write `bytes` to `dir/name` and return the path.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn import_one_zip_takes_the_ecosystem_from_its_records() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new").join("db");
    let cases: [(&[&str], Ecosystem); 3] = [
        (&["TEST-NPM-0001", "TEST-NPM-0002"], Ecosystem::Npm),
        // The first record lists npm first, PyPI second; its first ecosystem wins.
        (&["TEST-MULTI-0001", "TEST-PYPI-0001"], Ecosystem::Npm),
        (&["TEST-CRATE-0001"], Ecosystem::CratesIo),
    ];
    for (ids, eco) in cases {
        let body = records_zip(ids);
        let src = write(tmp.path(), "export.zip", &body);
        let report = import(&src, &dir).unwrap();
        assert_eq!(report.ecosystems.len(), 1);
        let got = &report.ecosystems[0];
        assert_eq!(got.ecosystem, eco, "{ids:?}");
        assert_eq!(got.advisories, ids.len());
        assert_eq!(got.bytes, body.len() as u64);
        assert_eq!(got.sha256, sha256_hex(&body));
        assert_eq!(got.path, zip_path(&dir, eco));
        assert_eq!(fs::read(&got.path).unwrap(), body);
        assert!(report.skipped.is_empty());

        let meta = metadata_json(&dir);
        let entry = &meta["ecosystems"][eco.osv_name()];
        let canonical = fs::canonicalize(&src).unwrap();
        assert_eq!(entry["source"], canonical.display().to_string());
        assert_eq!(entry["sha256"], sha256_hex(&body));
        assert_eq!(entry["advisories"], ids.len());
        assert!(entry["imported_at"].is_string());
        assert!(entry.get("etag").is_none() && entry.get("downloaded_at").is_none());
    }
    let leftovers: Vec<String> = snapshot(&dir)
        .into_keys()
        .filter(|k| k.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn import_clears_the_etag_of_a_previous_download() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("db");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("secops-db.json"),
        r#"{"version":1,"ecosystems":{"npm":{"source":"https://x.invalid/npm/all.zip",
            "etag":"\"old\"","sha256":"00","bytes":1,"advisories":1,
            "downloaded_at":"2024-01-01T00:00:00Z"}}}"#,
    )
    .unwrap();
    let src = write(tmp.path(), "npm.zip", &npm_zip());
    import(&src, &dir).unwrap();
    let npm = &metadata_json(&dir)["ecosystems"]["npm"];
    assert!(
        npm.get("etag").is_none(),
        "a stale ETag would make the next update a no-op"
    );
    assert!(npm.get("downloaded_at").is_none());
    assert_eq!(npm["advisories"], 3);
}

#[test]
fn import_a_layout_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("export");
    write(&src, "npm/all.zip", &npm_zip());
    write(
        &src,
        "crates.io/all.zip",
        &records_zip(&["TEST-CRATE-0001"]),
    );
    write(&src, "Debian/all.zip", &records_zip(&["TEST-DEB-0001"]));
    write(&src, "README.txt", b"not part of the layout");
    let dir = tmp.path().join("db");

    let report = import(&src, &dir).unwrap();
    let got: Vec<(Ecosystem, usize)> = report
        .ecosystems
        .iter()
        .map(|e| (e.ecosystem, e.advisories))
        .collect();
    assert_eq!(got, [(Ecosystem::Npm, 3), (Ecosystem::CratesIo, 1)]);
    assert_eq!(report.skipped, ["Debian/all.zip: ecosystem not supported"]);
    assert_eq!(
        fs::read(dir.join("crates.io/all.zip")).unwrap(),
        fs::read(src.join("crates.io/all.zip")).unwrap()
    );
    assert!(!dir.join("Debian").exists());
    let files: Vec<String> = snapshot(&dir).into_keys().collect();
    // The zips, the compact index built beside each, and the metadata file.
    assert_eq!(
        files,
        [
            "crates.io/all.zip",
            "crates.io/secops.idx",
            "npm/all.zip",
            "npm/secops.idx",
            "secops-db.json"
        ]
    );
}

#[test]
fn import_the_shared_osv_snapshot() {
    let shared = Path::new("/work/shared/osv");
    if !shared.join("npm/all.zip").is_file() {
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("db");
    let report = import(shared, &dir).unwrap();
    let got: Vec<(Ecosystem, usize)> = report
        .ecosystems
        .iter()
        .map(|e| (e.ecosystem, e.advisories))
        .collect();
    // Counts from /work/shared/osv/README.md.
    assert_eq!(
        got,
        [
            (Ecosystem::Npm, 467),
            (Ecosystem::PyPI, 2661),
            (Ecosystem::Go, 4291),
            (Ecosystem::CratesIo, 1206),
        ]
    );
    for e in &report.ecosystems {
        let original = fs::read(shared.join(e.ecosystem.osv_name()).join("all.zip")).unwrap();
        assert_eq!(e.sha256, sha256_hex(&original), "{}", e.ecosystem);
    }
    let status = store::status(&dir).unwrap();
    let counts: Vec<Option<usize>> = status.ecosystems.iter().map(|e| e.advisories).collect();
    assert_eq!(counts, [Some(467), Some(2661), Some(4291), Some(1206)]);
}

#[test]
fn import_loose_json_records() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("db");
    let report = import(&records_dir(), &dir).unwrap();
    let got: Vec<(Ecosystem, usize)> = report
        .ecosystems
        .iter()
        .map(|e| (e.ecosystem, e.advisories))
        .collect();
    assert_eq!(
        got,
        [
            (Ecosystem::Npm, 3),
            (Ecosystem::PyPI, 2),
            (Ecosystem::CratesIo, 1)
        ]
    );
    assert_eq!(
        report.skipped,
        ["TEST-DEB-0001.json: no supported ecosystem (Debian:12)"]
    );
    assert_eq!(
        zip_names(&dir.join("npm/all.zip")),
        [
            "TEST-MULTI-0001.json",
            "TEST-NPM-0001.json",
            "TEST-NPM-0002.json"
        ]
    );
    assert_eq!(
        zip_names(&dir.join("PyPI/all.zip")),
        ["TEST-MULTI-0001.json", "TEST-PYPI-0001.json"]
    );
    // Entries hold the files byte for byte.
    let mut zip = zip::ZipArchive::new(fs::File::open(dir.join("PyPI/all.zip")).unwrap()).unwrap();
    let mut content = Vec::new();
    std::io::Read::read_to_end(
        &mut zip.by_name("TEST-PYPI-0001.json").unwrap(),
        &mut content,
    )
    .unwrap();
    assert_eq!(content, record("TEST-PYPI-0001"));
    let meta = metadata_json(&dir);
    assert_eq!(meta["ecosystems"]["PyPI"]["advisories"], 2);
    assert_eq!(
        meta["ecosystems"]["PyPI"]["sha256"],
        sha256_hex(&fs::read(dir.join("PyPI/all.zip")).unwrap())
    );
}

/// Build an existing database, then check that importing `src` fails with a message that
/// contains `needles` and leaves every file of the database as it was.
fn assert_rejected(src: &Path, needles: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("db");
    import(&records_dir(), &dir).unwrap();
    let before = snapshot(&dir);
    let err = import(src, &dir).unwrap_err();
    let text = err.to_string();
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} not in {text:?}");
    }
    assert_eq!(snapshot(&dir), before, "database changed by {text}");
}

#[test]
fn invalid_zips_are_rejected_and_the_database_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let valid = npm_zip();
    let mut noise = Vec::with_capacity(4096);
    let mut x: u32 = 0x1234_5678;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.push(x as u8);
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "text.zip",
            b"this is not a zip".to_vec(),
            "not a readable zip archive",
        ),
        ("empty.zip", Vec::new(), "not a readable zip archive"),
        ("noise.zip", noise, "not a readable zip archive"),
        (
            "half.zip",
            valid[..valid.len() / 2].to_vec(),
            "not a readable zip archive",
        ),
        ("crc.zip", crc_corrupted_zip(), "checksum"),
        (
            "badjson.zip",
            zip_bytes(&[("X-1.json", b"{\"id\": \"X-1\", ")], false),
            "entry X-1.json: invalid JSON",
        ),
        (
            "noid.zip",
            zip_bytes(&[("X-2.json", br#"{"summary":"s"}"#)], false),
            "entry X-2.json: invalid JSON: missing field `id`",
        ),
        (
            "array.zip",
            zip_bytes(&[("X-3.json", br#"["X-3"]"#)], false),
            "entry X-3.json: not a JSON object",
        ),
        (
            "readme.zip",
            zip_bytes(&[("README.md", b"hello")], false),
            "no *.json advisory entries",
        ),
        (
            "debian.zip",
            records_zip(&["TEST-DEB-0001"]),
            "ecosystem `Debian:12` is not supported",
        ),
        (
            "noeco.zip",
            zip_bytes(&[("X-4.json", br#"{"id":"X-4"}"#)], false),
            "no record names an affected ecosystem",
        ),
    ];
    for (name, bytes, problem) in cases {
        let src = write(tmp.path(), name, &bytes);
        assert_rejected(&src, &[name, problem]);
    }
}

#[test]
fn invalid_folders_are_rejected_and_the_database_untouched() {
    let tmp = tempfile::tempdir().unwrap();

    // A layout folder whose second zip is corrupt: the first is not installed either.
    let layout = tmp.path().join("layout");
    write(&layout, "npm/all.zip", &records_zip(&["TEST-NPM-0002"]));
    write(&layout, "PyPI/all.zip", b"PK\x03\x04 truncated");
    assert_rejected(&layout, &["PyPI/all.zip", "not a readable zip archive"]);

    // Loose records with one invalid file.
    let loose = tmp.path().join("loose");
    write(&loose, "TEST-NPM-0001.json", &record("TEST-NPM-0001"));
    write(&loose, "BROKEN-1.json", b"{\"id\": \"BROKEN-1\"");
    assert_rejected(&loose, &["BROKEN-1.json", "invalid JSON"]);

    // Loose records of unsupported ecosystems only.
    let deb = tmp.path().join("deb");
    write(&deb, "TEST-DEB-0001.json", &record("TEST-DEB-0001"));
    assert_rejected(&deb, &["no record is for a supported ecosystem"]);

    // A folder with neither layout nor records.
    let empty = tmp.path().join("empty");
    write(&empty, "notes.txt", b"nothing here");
    assert_rejected(&empty, &["empty", "*.json records"]);

    // A path that does not exist.
    let missing = tmp.path().join("missing.zip");
    let err = import(&missing, &tmp.path().join("db2")).unwrap_err();
    assert!(
        matches!(err, DepsError::Io { ref path, .. } if path == &missing),
        "{err}"
    );
    assert!(!tmp.path().join("db2").exists());
}
