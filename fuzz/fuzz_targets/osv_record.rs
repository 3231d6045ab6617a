//! OSV record JSON → model → per-package advisories → matching.
//!
//! For every ecosystem, the record is split into per-package advisories; each is matched
//! against probe versions (every event and listed version of the record, plus `""`, `0`,
//! `1.0.0`). Checked on the way: `PackageAdvisory::affects` agrees with `match_package`, and
//! version ordering is antisymmetric and transitive on the probes (sorting with an
//! inconsistent order can panic).
#![no_main]
use libfuzzer_sys::fuzz_target;
use secops_deps::osv::matcher::{match_package, record_affects, PackageAdvisory};
use secops_deps::osv::model::Vulnerability;
use secops_deps::version::Version;
use secops_deps::Ecosystem;
use std::cmp::Ordering;

/// Most probe versions tried per record (keeps each run short).
const MAX_PROBES: usize = 24;

fn check_order(eco: Ecosystem, probes: &[String]) {
    let vs: Vec<Version> = probes
        .iter()
        .take(12)
        .map(|p| Version::parse(eco, p))
        .collect();
    for a in &vs {
        assert_eq!(a.cmp(a), Ordering::Equal, "{eco}: {a} != itself");
        for b in &vs {
            assert_eq!(
                a.cmp(b),
                b.cmp(a).reverse(),
                "{eco}: {a} vs {b} not antisymmetric"
            );
            for c in &vs {
                if a <= b && b <= c {
                    assert!(a <= c, "{eco}: {a} <= {b} <= {c} but not {a} <= {c}");
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(rec) = Vulnerability::from_json(data) else {
        return;
    };
    let _ = (rec.is_withdrawn(), rec.label());
    for eco in Ecosystem::ALL {
        let advs = PackageAdvisory::from_record(eco, &rec);
        if advs.is_empty() {
            continue;
        }
        let mut probes: Vec<String> = vec![String::new(), "0".into(), "1.0.0".into()];
        for (_, adv) in &advs {
            for a in &adv.affected {
                probes.extend(
                    a.ranges
                        .iter()
                        .flat_map(|r| r.events.iter().map(|e| e.version.clone())),
                );
                probes.extend(a.versions.iter().cloned());
            }
            let _ = adv.fixed_versions().count();
        }
        probes.truncate(MAX_PROBES);
        check_order(eco, &probes);
        for (name, adv) in &advs {
            for v in &probes {
                let hit = adv.affects(eco, v);
                let matches = match_package(eco, v, std::slice::from_ref(adv));
                assert_eq!(
                    hit,
                    !matches.is_empty(),
                    "{eco} {name} {v:?}: affects disagrees with match_package"
                );
                if hit {
                    assert!(
                        record_affects(&rec, eco, name, v),
                        "{eco} {name} {v:?}: record_affects disagrees"
                    );
                }
            }
        }
        // All advisories of the record together (alias grouping, remediation).
        let all: Vec<PackageAdvisory> = advs.into_iter().map(|(_, a)| a).collect();
        for v in &probes {
            let _ = match_package(eco, v, &all);
        }
    }
});
