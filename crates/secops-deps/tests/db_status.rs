//! `secops db status`: counts, ages, fallbacks, and the default folder.
#![allow(clippy::unwrap_used)]

mod db_support;

use db_support::*;
use secops_deps::osv::fetch::{is_stale, STALE_AFTER};
use secops_deps::osv::store::{self, default_db_dir, import, status, TimeSource};
use secops_deps::Ecosystem;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// Assert `age` is within two minutes of `expected`.
fn assert_about(age: Option<Duration>, expected: Duration) {
    let age = age.expect("an age");
    let slack = Duration::from_secs(120);
    assert!(
        age + slack >= expected && age <= expected + slack,
        "age {age:?}, expected about {expected:?}"
    );
}

/// An RFC 3339 time `ago` before now.
fn rfc3339_ago(ago: Duration) -> String {
    let t = time::OffsetDateTime::now_utc() - ago;
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[test]
fn a_missing_folder_is_an_empty_status() {
    let tmp = tempfile::tempdir().unwrap();
    let st = status(&tmp.path().join("nope")).unwrap();
    assert!(st.is_empty());
    assert!(st.warnings.is_empty());
    assert_eq!(st.oldest_age(), None);
    assert!(!is_stale(&st, STALE_AFTER));

    let file = tmp.path().join("file");
    fs::write(&file, b"x").unwrap();
    let err = status(&file).unwrap_err().to_string();
    assert!(err.contains("not a directory"), "{err}");
}

#[test]
fn status_after_import_counts_and_dates_each_ecosystem() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    import(&records_dir(), dir).unwrap();
    let st = status(dir).unwrap();
    let rows: Vec<(Ecosystem, Option<usize>, TimeSource)> = st
        .ecosystems
        .iter()
        .map(|e| (e.ecosystem, e.advisories, e.updated_from))
        .collect();
    assert_eq!(
        rows,
        [
            (Ecosystem::Npm, Some(3), TimeSource::Metadata),
            (Ecosystem::PyPI, Some(2), TimeSource::Metadata),
            (Ecosystem::CratesIo, Some(1), TimeSource::Metadata),
        ]
    );
    for e in &st.ecosystems {
        assert_about(e.age, Duration::ZERO);
        assert_eq!(e.path, store::zip_path(dir, e.ecosystem));
        assert_eq!(e.bytes, fs::metadata(&e.path).unwrap().len());
        assert!(e.meta.as_ref().unwrap().imported_at.is_some());
        assert!(e.problem.is_none());
    }
    assert!(st.warnings.is_empty());
    assert!(!is_stale(&st, STALE_AFTER));
}

#[test]
fn ages_come_from_the_metadata_and_the_oldest_decides_staleness() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let npm = npm_zip();
    let go = records_zip(&["TEST-NPM-0001"]);
    fs::create_dir_all(dir.join("npm")).unwrap();
    fs::create_dir_all(dir.join("Go")).unwrap();
    fs::write(dir.join("npm/all.zip"), &npm).unwrap();
    fs::write(dir.join("Go/all.zip"), &go).unwrap();
    let meta = serde_json::json!({
        "version": 1,
        "ecosystems": {
            "npm": { "source": "https://x.invalid/npm/all.zip", "sha256": sha256_hex(&npm),
                     "bytes": npm.len(), "advisories": 3,
                     "downloaded_at": rfc3339_ago(10 * DAY),
                     "checked_at": rfc3339_ago(2 * DAY) },
            "Go": { "source": "https://x.invalid/Go/all.zip", "sha256": sha256_hex(&go),
                    "bytes": go.len(), "advisories": 1,
                    "downloaded_at": rfc3339_ago(9 * DAY) }
        }
    });
    fs::write(dir.join("secops-db.json"), meta.to_string()).unwrap();

    let st = status(dir).unwrap();
    // A 304 two days ago confirmed npm is current: its age is two days, not ten.
    assert_about(st.get(Ecosystem::Npm).unwrap().age, 2 * DAY);
    assert_about(st.get(Ecosystem::Go).unwrap().age, 9 * DAY);
    assert_about(st.oldest_age(), 9 * DAY);
    assert!(is_stale(&st, STALE_AFTER));
    assert!(!is_stale(&st, 10 * DAY));
    assert_eq!(
        st.get(Ecosystem::Go).unwrap().meta.as_ref().unwrap().source,
        "https://x.invalid/Go/all.zip"
    );
}

#[test]
fn without_matching_metadata_the_file_time_is_used() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let npm = npm_zip();
    fs::create_dir_all(dir.join("npm")).unwrap();
    fs::create_dir_all(dir.join("PyPI")).unwrap();
    let npm_path = dir.join("npm/all.zip");
    let pypi_path = dir.join("PyPI/all.zip");
    fs::write(&npm_path, &npm).unwrap();
    fs::write(&pypi_path, records_zip(&["TEST-PYPI-0001"])).unwrap();
    set_mtime(&npm_path, 3 * DAY);
    set_mtime(&pypi_path, 8 * DAY);
    // Metadata for PyPI that describes another file (size differs), none for npm.
    let meta = serde_json::json!({
        "version": 1,
        "ecosystems": { "PyPI": { "source": "s", "sha256": "00", "bytes": 1, "advisories": 9,
                                  "imported_at": rfc3339_ago(Duration::ZERO) } }
    });
    fs::write(dir.join("secops-db.json"), meta.to_string()).unwrap();

    let st = status(dir).unwrap();
    let npm_st = st.get(Ecosystem::Npm).unwrap();
    assert_eq!(npm_st.updated_from, TimeSource::FileMtime);
    assert_about(npm_st.age, 3 * DAY);
    assert_eq!(npm_st.advisories, Some(3));
    let pypi = st.get(Ecosystem::PyPI).unwrap();
    assert_eq!(pypi.updated_from, TimeSource::FileMtime);
    assert_about(pypi.age, 8 * DAY);
    assert_eq!(
        pypi.advisories,
        Some(1),
        "counted from the zip, not the metadata"
    );
    assert!(pypi.meta.is_none());
    assert_eq!(st.warnings.len(), 1);
    assert!(st.warnings[0].contains("size differs"), "{:?}", st.warnings);
    assert!(is_stale(&st, STALE_AFTER));
}

#[test]
fn broken_files_are_reported_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    import(&records_dir(), dir).unwrap();
    fs::write(dir.join("PyPI/all.zip"), b"garbage").unwrap();
    fs::write(dir.join("secops-db.json"), b"{ not json").unwrap();
    fs::remove_file(dir.join("crates.io/all.zip")).unwrap();

    let st = status(dir).unwrap();
    let installed: Vec<Ecosystem> = st.ecosystems.iter().map(|e| e.ecosystem).collect();
    assert_eq!(installed, [Ecosystem::Npm, Ecosystem::PyPI]);
    let pypi = st.get(Ecosystem::PyPI).unwrap();
    assert_eq!(pypi.advisories, None);
    assert!(pypi
        .problem
        .as_deref()
        .unwrap()
        .contains("not a readable zip archive"));
    assert_eq!(pypi.updated_from, TimeSource::FileMtime);
    assert_eq!(st.get(Ecosystem::Npm).unwrap().advisories, Some(3));
    assert_eq!(st.warnings.len(), 1);
    assert!(
        st.warnings[0].contains("invalid metadata file"),
        "{:?}",
        st.warnings
    );
}

#[test]
fn metadata_listing_a_missing_zip_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    import(&records_dir(), dir).unwrap();
    fs::remove_file(dir.join("npm/all.zip")).unwrap();
    let st = status(dir).unwrap();
    assert!(st.get(Ecosystem::Npm).is_none());
    assert_eq!(st.ecosystems.len(), 2);
    assert!(
        st.warnings.iter().any(|w| w.contains("lists npm")),
        "{:?}",
        st.warnings
    );
}

#[test]
fn default_db_dir_honours_the_environment() {
    // The only test in this binary that touches the variable.
    std::env::set_var(store::DB_DIR_ENV, "/tmp/custom-secops-db");
    assert_eq!(default_db_dir(), Path::new("/tmp/custom-secops-db"));
    std::env::set_var(store::DB_DIR_ENV, "");
    let fallback = default_db_dir();
    std::env::remove_var(store::DB_DIR_ENV);
    assert_eq!(default_db_dir(), fallback);
    assert!(
        fallback.ends_with("secops/osv") || fallback == Path::new(".secops-db"),
        "{}",
        fallback.display()
    );
}

/// Set a file's modification time to `ago` before now.
fn set_mtime(path: &Path, ago: Duration) {
    let file = fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - ago).unwrap();
}
