//! The OSV database end to end on hand-written records (tests/fixtures/osv/<Ecosystem>/*.json),
//! zipped at test time into osv.dev's export layout.

#![allow(clippy::unwrap_used)]

use secops_core::Severity;
use secops_deps::osv::index::{build_index, Database, IndexStats, INDEX_FILE};
use secops_deps::{DepGroup, DepsError, Ecosystem, Package};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv")
}

/// Write `<db>/<eco>/all.zip` from the fixture records of `eco` plus `extra` entries.
fn write_zip(db: &Path, eco: &str, extra: &[(&str, &[u8])]) {
    let dir = db.join(eco);
    std::fs::create_dir_all(&dir).unwrap();
    let mut records: Vec<_> = std::fs::read_dir(fixtures().join(eco))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    records.sort();
    let file = std::fs::File::create(dir.join("all.zip")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    for path in &records {
        let name = path.file_name().unwrap().to_str().unwrap();
        zip.start_file(name, opts).unwrap();
        zip.write_all(&std::fs::read(path).unwrap()).unwrap();
    }
    for (name, bytes) in extra {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// A database folder with the three fixture ecosystems; npm's zip also holds a folder entry and
/// a non-JSON file, which are ignored.
fn fixture_db() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write_zip(tmp.path(), "crates.io", &[]);
    write_zip(tmp.path(), "PyPI", &[]);
    write_zip(
        tmp.path(),
        "npm",
        &[("README.txt", b"not a record"), ("notes/", b"")],
    );
    tmp
}

fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        ecosystem: eco,
        name: name.to_string(),
        version: version.to_string(),
        pinned: true,
        group: DepGroup::Prod,
        file: "lock".into(),
        line: 1,
    }
}

fn ids(db: &Database, eco: Ecosystem, name: &str, version: &str) -> Vec<String> {
    db.query(&pkg(eco, name, version))
        .into_iter()
        .map(|m| m.id)
        .collect()
}

fn db_error_path(r: Result<Database, DepsError>) -> PathBuf {
    match r {
        Err(DepsError::Database { path, .. }) => path,
        other => panic!("expected a database error, got {other:?}"),
    }
}

#[test]
fn build_index_counts_and_writes_every_ecosystem() {
    let tmp = fixture_db();
    let stats = build_index(tmp.path()).unwrap();
    // crates.io: 6 records (one withdrawn left out), 2 packages (the npm entry skipped);
    // PyPI: 3 records, 2 packages; npm: 1 record, 1 package.
    assert_eq!(
        stats,
        IndexStats {
            advisories: 10,
            packages: 5
        }
    );
    for eco in ["crates.io", "PyPI", "npm"] {
        assert!(tmp.path().join(eco).join(INDEX_FILE).is_file(), "{eco}");
    }
    // No temporary file is left behind.
    let leftovers = std::fs::read_dir(tmp.path().join("npm")).unwrap().count();
    assert_eq!(leftovers, 2);
}

#[test]
fn open_reports_ecosystems_and_counts() {
    let tmp = fixture_db();
    let db = Database::open(tmp.path()).unwrap();
    assert_eq!(
        db.ecosystems(),
        [Ecosystem::Npm, Ecosystem::PyPI, Ecosystem::CratesIo]
    );
    assert_eq!(db.advisory_count(Ecosystem::CratesIo), 6);
    assert_eq!(db.advisory_count(Ecosystem::PyPI), 3);
    assert_eq!(db.advisory_count(Ecosystem::Npm), 1);
    assert_eq!(db.advisory_count(Ecosystem::Go), 0);
    assert_eq!(
        db.package_names(Ecosystem::PyPI),
        ["demo-pkg-extra", "git-only-pkg"]
    );
    // open() wrote the indexes back.
    assert!(tmp.path().join("PyPI").join(INDEX_FILE).is_file());
}

#[test]
fn semver_ranges_last_affected_and_withdrawn() {
    let tmp = fixture_db();
    let db = Database::open(tmp.path()).unwrap();
    let c = Ecosystem::CratesIo;
    assert_eq!(ids(&db, c, "demo-crate", "1.0.0"), ["SXT-2099-0001"]);
    assert!(ids(&db, c, "demo-crate", "1.2.3").is_empty());
    assert!(ids(&db, c, "demo-crate", "1.9.0").is_empty());
    assert_eq!(ids(&db, c, "demo-crate", "2.0.5"), ["SXT-2099-0001"]);
    assert!(ids(&db, c, "demo-crate", "2.1.0").is_empty());
    // last_affected is inclusive; the limit event (3.0.2) is ignored.
    assert_eq!(ids(&db, c, "demo-crate", "3.0.0"), ["SXT-2099-0002"]);
    assert_eq!(ids(&db, c, "demo-crate", "3.0.3"), ["SXT-2099-0002"]);
    assert_eq!(ids(&db, c, "demo-crate", "3.0.5"), ["SXT-2099-0002"]);
    assert!(ids(&db, c, "demo-crate", "3.0.6").is_empty());
    // An unknown version matches every advisory of the package, but never a withdrawn one.
    assert_eq!(
        ids(&db, c, "demo-crate", ""),
        ["SXT-2099-0001", "SXT-2099-0002"]
    );
    assert!(ids(&db, c, "no-such-crate", "1.0.0").is_empty());
    // Names are case-sensitive on crates.io.
    assert!(ids(&db, c, "Demo-Crate", "1.0.0").is_empty());
}

#[test]
fn severity_fixed_versions_and_minimal_upgrade() {
    let tmp = fixture_db();
    let db = Database::open(tmp.path()).unwrap();
    let m = db.query(&pkg(Ecosystem::CratesIo, "demo-crate", "1.0.0"));
    assert_eq!(m.len(), 1);
    let m = &m[0];
    assert_eq!(m.aliases, ["CVE-2099-1001"]);
    assert_eq!(m.summary, "Two vulnerable series in demo-crate");
    assert_eq!(m.cvss_score, Some(9.8));
    assert_eq!(
        m.cvss_vector.as_deref(),
        Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    );
    assert_eq!(m.severity, Severity::Critical);
    assert_eq!(m.fixed_versions, ["1.2.3", "2.1.0"]);
    assert_eq!(m.minimal_upgrade.as_deref(), Some("1.2.3"));

    let m = db.query(&pkg(Ecosystem::CratesIo, "demo-crate", "2.0.0"));
    assert_eq!(m[0].minimal_upgrade.as_deref(), Some("2.1.0"));

    // Label only (database_specific.severity LOW); no fixed version at all.
    let m = db.query(&pkg(Ecosystem::CratesIo, "demo-crate", "3.0.1"));
    assert_eq!((m[0].cvss_score, m[0].severity), (None, Severity::Low));
    assert!(m[0].fixed_versions.is_empty());
    assert_eq!(m[0].minimal_upgrade, None);

    // Neither vector nor label: medium.
    let m = db.query(&pkg(Ecosystem::Npm, "@scope/fake-pad", "1.3.0"));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].severity, Severity::Medium);
    assert!(m[0].aliases.is_empty());
}

#[test]
fn alias_grouping() {
    let tmp = fixture_db();
    let db = Database::open(tmp.path()).unwrap();
    let m = db.query(&pkg(Ecosystem::CratesIo, "grouped-crate", "0.9.0"));
    insta::assert_json_snapshot!("grouped_crate_0_9_0", m);
    assert_eq!(m.len(), 2);
    // 0004 and 0005 share a CVE, 0005 and 0006 a GHSA id: one vulnerability.
    assert_eq!(
        m[0].record_ids,
        ["SXT-2099-0004", "SXT-2099-0005", "SXT-2099-0006"]
    );
    assert_eq!(m[0].id, "SXT-2099-0004");
    assert_eq!(m[0].fixed_versions, ["1.0.0", "1.0.1"]);
    assert_eq!(m[0].severity, Severity::Medium);
    assert_eq!(m[1].record_ids, ["SXT-2099-0007"]);
    // 0.9.5 fixes 0007 only and 1.0.0 leaves 0005 open: 1.0.1 is the first safe version.
    assert!(m
        .iter()
        .all(|x| x.minimal_upgrade.as_deref() == Some("1.0.1")));

    // At 0.4.0 only 0004 applies: a group of one, whatever its aliases link to elsewhere.
    let m = db.query(&pkg(Ecosystem::CratesIo, "grouped-crate", "0.4.0"));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].record_ids, ["SXT-2099-0004"]);
    assert_eq!(m[0].aliases, ["CVE-2099-1004"]);
    // The npm entry of a crates.io record is not indexed under npm or crates.io.
    assert!(ids(&db, Ecosystem::Npm, "npm-only-package", "1.0.0").is_empty());
    assert!(ids(&db, Ecosystem::CratesIo, "npm-only-package", "1.0.0").is_empty());
}

#[test]
fn pypi_git_range_first_versions_and_normalisation() {
    let tmp = fixture_db();
    let db = Database::open(tmp.path()).unwrap();
    let p = Ecosystem::PyPI;
    for name in [
        "demo-pkg-extra",
        "Demo_Pkg.Extra",
        "demo.pkg_extra",
        "DEMO--PKG__EXTRA",
    ] {
        assert_eq!(ids(&db, p, name, "1.5"), ["SXT-PY-2099-0001"], "{name}");
    }
    let m = db.query(&pkg(p, "demo_pkg_extra", "1.0"));
    assert_eq!(m[0].cvss_score, Some(9.3));
    assert_eq!(m[0].severity, Severity::Critical);
    assert_eq!(m[0].fixed_versions, ["2.0"]);
    assert!(ids(&db, p, "demo-pkg-extra", "2.0").is_empty());
    // versions[] only, with an ecosystem_specific label.
    let m = db.query(&pkg(p, "Demo-Pkg-Extra", "2.5"));
    assert_eq!(m.len(), 1);
    assert_eq!(
        (m[0].id.as_str(), m[0].severity),
        ("SXT-PY-2099-0002", Severity::High)
    );
    assert_eq!(
        ids(&db, p, "demo-pkg-extra", "3.0rc1"),
        ["SXT-PY-2099-0002"]
    );
    // A GIT-only advisory cannot match a version, but an unknown version is still flagged.
    assert!(ids(&db, p, "git-only-pkg", "1.0").is_empty());
    assert_eq!(ids(&db, p, "git_only.pkg", ""), ["SXT-PY-2099-0003"]);
}

#[test]
fn exact_npm_version_and_scoped_names() {
    let tmp = fixture_db();
    let db = Database::open(tmp.path()).unwrap();
    let n = Ecosystem::Npm;
    assert_eq!(
        ids(&db, n, "@scope/fake-pad", "1.3.0"),
        ["SXT-NPM-2099-0001"]
    );
    assert!(ids(&db, n, "@scope/fake-pad", "1.2.9").is_empty());
    assert!(ids(&db, n, "@scope/fake-pad", "1.3.1").is_empty());
    assert!(ids(&db, n, "@other/fake-pad", "1.3.0").is_empty());
}

#[test]
fn corrupt_zip_is_a_database_error_naming_it() {
    let tmp = fixture_db();
    std::fs::create_dir_all(tmp.path().join("Go")).unwrap();
    std::fs::write(tmp.path().join("Go/all.zip"), b"PK\x03\x04 truncated").unwrap();
    let path = db_error_path(Database::open(tmp.path()));
    assert!(path.ends_with("Go/all.zip"), "{path:?}");
    assert!(matches!(
        build_index(tmp.path()),
        Err(DepsError::Database { .. })
    ));
}

#[test]
fn invalid_record_is_a_database_error_naming_the_entry() {
    let tmp = tempfile::tempdir().unwrap();
    write_zip(tmp.path(), "npm", &[("BROKEN-1.json", b"{\"id\": ")]);
    match Database::open(tmp.path()) {
        Err(e @ DepsError::Database { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("all.zip") && text.contains("BROKEN-1.json"),
                "{text}"
            );
        }
        other => panic!("expected a database error, got {other:?}"),
    }
}

#[test]
fn corrupt_or_truncated_index_is_a_database_error_naming_it() {
    let tmp = fixture_db();
    build_index(tmp.path()).unwrap();
    let idx = tmp.path().join("crates.io").join(INDEX_FILE);
    let good = std::fs::read(&idx).unwrap();

    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x01;
    std::fs::write(&idx, &bad).unwrap();
    assert_eq!(db_error_path(Database::open(tmp.path())), idx);

    std::fs::write(&idx, &good[..good.len() - 3]).unwrap();
    assert_eq!(db_error_path(Database::open(tmp.path())), idx);

    std::fs::write(&idx, b"").unwrap();
    assert_eq!(db_error_path(Database::open(tmp.path())), idx);

    // Restored, it opens again.
    std::fs::write(&idx, &good).unwrap();
    assert!(Database::open(tmp.path()).is_ok());
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn stale_index_is_rebuilt_and_written_back() {
    let tmp = fixture_db();
    build_index(tmp.path()).unwrap();
    let idx = tmp.path().join("npm").join(INDEX_FILE);
    let before = std::fs::read(&idx).unwrap();

    // A new zip holding one more advisory: the old index is stale.
    let extra = br#"{"id": "SXT-NPM-2099-0002", "affected": [{"package": {"ecosystem": "npm",
        "name": "fresh-package"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}"#;
    write_zip(tmp.path(), "npm", &[("SXT-NPM-2099-0002.json", extra)]);
    let zip = tmp.path().join("npm/all.zip");
    set_mtime(
        &zip,
        SystemTime::UNIX_EPOCH + Duration::from_secs(4_000_000_000),
    );
    let db = Database::open(tmp.path()).unwrap();
    assert_eq!(db.advisory_count(Ecosystem::Npm), 2);
    assert_eq!(
        ids(&db, Ecosystem::Npm, "fresh-package", "9.9.9"),
        ["SXT-NPM-2099-0002"]
    );
    let rebuilt = std::fs::read(&idx).unwrap();
    assert_ne!(rebuilt, before);

    // Only the mtime changes (same size, same content): still stale, rebuilt with the new stamp.
    set_mtime(
        &zip,
        SystemTime::UNIX_EPOCH + Duration::from_secs(4_000_000_123),
    );
    Database::open(tmp.path()).unwrap();
    let restamped = std::fs::read(&idx).unwrap();
    assert_ne!(restamped, rebuilt);

    // Fresh now: opening again leaves the file alone.
    let t0 = std::fs::metadata(&idx).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    Database::open(tmp.path()).unwrap();
    assert_eq!(std::fs::metadata(&idx).unwrap().modified().unwrap(), t0);
    assert_eq!(std::fs::read(&idx).unwrap(), restamped);
}

#[test]
fn index_of_another_format_version_is_rebuilt() {
    let tmp = fixture_db();
    build_index(tmp.path()).unwrap();
    let idx = tmp.path().join("PyPI").join(INDEX_FILE);
    let good = std::fs::read(&idx).unwrap();
    let mut old = good.clone();
    old[8..12].copy_from_slice(&999u32.to_le_bytes());
    std::fs::write(&idx, &old).unwrap();
    let db = Database::open(tmp.path()).unwrap();
    assert_eq!(db.advisory_count(Ecosystem::PyPI), 3);
    assert_eq!(std::fs::read(&idx).unwrap(), good);
}

#[test]
fn read_only_open_builds_in_memory_only() {
    let tmp = fixture_db();
    let db = Database::open_read_only(tmp.path()).unwrap();
    assert_eq!(
        ids(&db, Ecosystem::CratesIo, "demo-crate", "1.0.0"),
        ["SXT-2099-0001"]
    );
    for eco in ["crates.io", "PyPI", "npm"] {
        assert!(!tmp.path().join(eco).join(INDEX_FILE).exists(), "{eco}");
    }
}

#[test]
fn missing_folder_is_an_error_and_empty_folder_has_no_ecosystems() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    assert_eq!(db_error_path(Database::open(&missing)), missing);
    let db = Database::open(tmp.path()).unwrap();
    assert!(db.ecosystems().is_empty());
    assert!(db
        .query(&pkg(Ecosystem::Npm, "anything", "1.0.0"))
        .is_empty());
    assert_eq!(build_index(tmp.path()).unwrap(), IndexStats::default());
}
