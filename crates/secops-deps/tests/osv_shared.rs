//! The OSV database against the dated real snapshot in `shared/osv` (PyPI, crates.io, Go, npm).
//!
//! The snapshot is found through `SECOPS_SHARED_OSV`, else `../../../shared/osv` from the crate
//! folder; when absent the tests print why and pass. The zips are copied into a temporary
//! folder so that writing the indexes never touches the shared snapshot.

#![allow(clippy::unwrap_used)]

use secops_deps::osv::index::Database;
use secops_deps::{DepGroup, Ecosystem, Package};
use std::path::{Path, PathBuf};
use std::time::Instant;

const ECOSYSTEMS: [&str; 4] = ["PyPI", "crates.io", "Go", "npm"];

fn shared_osv() -> Option<PathBuf> {
    let dir = std::env::var_os("SECOPS_SHARED_OSV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/osv"));
    ECOSYSTEMS
        .iter()
        .all(|e| dir.join(e).join("all.zip").is_file())
        .then_some(dir)
}

/// A private copy of the snapshot in a temporary folder, opened (the first open builds and
/// writes the indexes).
fn open_copy(src: &Path) -> (tempfile::TempDir, Database) {
    let tmp = tempfile::tempdir().unwrap();
    for eco in ECOSYSTEMS {
        std::fs::create_dir_all(tmp.path().join(eco)).unwrap();
        std::fs::copy(
            src.join(eco).join("all.zip"),
            tmp.path().join(eco).join("all.zip"),
        )
        .unwrap();
    }
    let t = Instant::now();
    let db = Database::open(tmp.path()).unwrap();
    eprintln!("first open (build + write 4 indexes): {:?}", t.elapsed());
    (tmp, db)
}

/// One test so that the copy is built once and removed at the end.
#[test]
fn shared_snapshot() {
    let Some(src) = shared_osv() else {
        eprintln!("shared OSV snapshot not found (set SECOPS_SHARED_OSV): skipped");
        return;
    };
    let (tmp, db) = open_copy(&src);
    advisory_counts_match_the_snapshot_readme(&db);
    crates_io_vulnerable_and_fixed_versions(&db);
    pypi_git_range_first_then_ecosystem_range_matches(&db);
    go_and_npm_matches(&db);
    reopen_and_query_fifteen_thousand_packages(tmp.path(), &db);
}

fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        ecosystem: eco,
        name: name.to_string(),
        version: version.to_string(),
        pinned: true,
        group: DepGroup::Prod,
        file: "lock".into(),
        line: 0,
    }
}

/// Every record id (primary or grouped) matched for a package.
fn record_ids(db: &Database, eco: Ecosystem, name: &str, version: &str) -> Vec<String> {
    let mut ids: Vec<String> = db
        .query(&pkg(eco, name, version))
        .into_iter()
        .flat_map(|m| m.record_ids)
        .collect();
    ids.sort();
    ids
}

fn advisory_counts_match_the_snapshot_readme(db: &Database) {
    assert_eq!(
        db.ecosystems(),
        [
            Ecosystem::Npm,
            Ecosystem::PyPI,
            Ecosystem::Go,
            Ecosystem::CratesIo
        ]
    );
    // README: advisories minus withdrawn.
    assert_eq!(db.advisory_count(Ecosystem::PyPI), 2661 - 10);
    assert_eq!(db.advisory_count(Ecosystem::CratesIo), 1206 - 13);
    assert_eq!(db.advisory_count(Ecosystem::Go), 4291 - 17);
    assert_eq!(db.advisory_count(Ecosystem::Npm), 467);
}

fn crates_io_vulnerable_and_fixed_versions(db: &Database) {
    let c = Ecosystem::CratesIo;
    // RUSTSEC-2021-0003: introduced 1.0.0, fixed 1.6.1.
    assert!(record_ids(db, c, "smallvec", "1.6.0").contains(&"RUSTSEC-2021-0003".to_string()));
    assert!(record_ids(db, c, "smallvec", "1.6.1").is_empty());
    let at_069 = record_ids(db, c, "smallvec", "0.6.9");
    for id in [
        "RUSTSEC-2018-0018",
        "RUSTSEC-2019-0009",
        "RUSTSEC-2019-0012",
        "RUSTSEC-2021-0003",
    ] {
        assert!(at_069.contains(&id.to_string()), "{id} in {at_069:?}");
    }
    let m = db.query(&pkg(c, "smallvec", "0.6.9"));
    assert!(m
        .iter()
        .all(|x| x.minimal_upgrade.as_deref() == Some("0.6.14")));
    // RUSTSEC-2019-0036 and RUSTSEC-2020-0036 share their aliases: one finding.
    let m = db.query(&pkg(c, "failure", "0.1.8"));
    let g = m
        .iter()
        .find(|x| x.record_ids.contains(&"RUSTSEC-2020-0036".to_string()))
        .unwrap();
    assert_eq!(g.id, "RUSTSEC-2019-0036");
    assert!(g.aliases.contains(&"CVE-2019-25010".to_string()));
    // RUSTSEC-2020-0053 (dirs) is withdrawn.
    assert!(!record_ids(db, c, "dirs", "1.0.0").contains(&"RUSTSEC-2020-0053".to_string()));
}

fn pypi_git_range_first_then_ecosystem_range_matches(db: &Database) {
    let p = Ecosystem::PyPI;
    // PYSEC-2022-296: a GIT range first, then ECOSYSTEM introduced 0 / fixed 2.4.8, no
    // versions[]: osv-scanner misses it offline.
    let at_247 = record_ids(db, p, "rdiffweb", "2.4.7");
    assert!(at_247.contains(&"PYSEC-2022-296".to_string()), "{at_247:?}");
    assert!(!at_247.contains(&"PYSEC-2022-289".to_string())); // fixed in 2.4.7
    let at_2410 = record_ids(db, p, "RDiffWeb", "2.4.10");
    for id in ["PYSEC-2022-296", "PYSEC-2022-298", "PYSEC-2022-302"] {
        assert!(!at_2410.contains(&id.to_string()), "{id}");
    }
    // Two PYSEC records of zope share a GHSA id: grouped.
    let m = db.query(&pkg(p, "Zope", "4.1"));
    assert!(m.iter().any(|x| ["PYSEC-2021-368", "PYSEC-2021-875"]
        .iter()
        .all(|id| x.record_ids.contains(&id.to_string()))));
}

fn go_and_npm_matches(db: &Database) {
    let g = Ecosystem::Go;
    assert_eq!(
        record_ids(db, g, "golang.org/x/text", "0.3.2"),
        [
            "GO-2020-0015",
            "GO-2021-0113",
            "GO-2022-1059",
            "GO-2026-5970"
        ]
    );
    assert!(record_ids(db, g, "golang.org/x/text", "0.39.0").is_empty());
    let n = Ecosystem::Npm;
    assert_eq!(
        record_ids(db, n, "lodash", "4.17.4"),
        ["NSWG-ECO-368", "NSWG-ECO-493"]
    );
    assert_eq!(record_ids(db, n, "lodash", "4.17.15"), ["NSWG-ECO-516"]);
    assert!(record_ids(db, n, "lodash", "4.17.19").is_empty());
    let m = db.query(&pkg(n, "lodash", "4.17.4"));
    assert!(m.iter().all(|x| x.cvss_score.is_some()));
}

/// Re-open (indexes fresh: only loaded) and time 15,000 queries, most of them hits.
fn reopen_and_query_fifteen_thousand_packages(dir: &Path, first: &Database) {
    let t = Instant::now();
    let db = Database::open(dir).unwrap();
    let open = t.elapsed();
    let ecos = [
        Ecosystem::PyPI,
        Ecosystem::CratesIo,
        Ecosystem::Go,
        Ecosystem::Npm,
    ];
    // Every indexed name at four versions, padded with names that are not in the database.
    let mut queries = Vec::new();
    for eco in ecos {
        for name in first.package_names(eco) {
            for v in ["0.0.1", "1.0.0", "2.3.4", ""] {
                queries.push(pkg(eco, &name, v));
            }
        }
    }
    let mut i = 0;
    while queries.len() < 15_000 {
        queries.push(pkg(ecos[i % 4], &format!("not-a-package-{i}"), "1.0.0"));
        i += 1;
    }
    let t = Instant::now();
    let matches: usize = queries.iter().map(|p| db.query(p).len()).sum();
    let query = t.elapsed();
    eprintln!(
        "reopen 4 indexes: {open:?}; {} queries: {query:?} ({matches} matches); total {:?}",
        queries.len(),
        open + query
    );
    // Every indexed package has at least one advisory, so its unknown version matches.
    let unknown: usize = ecos.iter().map(|e| first.package_names(*e).len()).sum();
    assert!(matches >= unknown, "{matches} < {unknown}");
}
