//! Matching packages against OSV advisories, with exact OSV semantics.
//!
//! A package is affected by an advisory when an `affected[]` entry has the same ecosystem
//! (ignoring a `:suffix`) and the same normalised name ([`Ecosystem::normalize_name`]), and the
//! version is listed in `versions[]` (exact string) or lies inside ANY `ECOSYSTEM`/`SEMVER`
//! range. Every range is evaluated: a `GIT` range (which cannot be checked offline) does not stop
//! the others (osv-scanner returns early there and misses such advisories).
//!
//! Range evaluation: events sorted by version (stable, `introduced: "0"` first); `introduced`
//! turns "affected" on, `fixed` turns it off from that version on (exclusive), `last_affected`
//! turns it off above that version (inclusive); `limit` is ignored. Versions compare with
//! [`crate::version::Version`] under the package's ecosystem. A package with an empty version is
//! affected by every advisory of that package (false positives over false negatives).
//! Withdrawn records never match.

use crate::cvss;
use crate::ecosystem::Ecosystem;
use crate::osv::model::{self, Vulnerability};
use crate::remediation;
use crate::version::Version;
use secops_core::Severity;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Type of an `affected[].ranges[]` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangeKind {
    Semver,
    Ecosystem,
    Git,
    /// Any other (unknown) type: never matched.
    Other,
}

impl RangeKind {
    /// From the OSV `type` string.
    pub fn from_osv(s: &str) -> RangeKind {
        match s {
            "SEMVER" => RangeKind::Semver,
            "ECOSYSTEM" => RangeKind::Ecosystem,
            "GIT" => RangeKind::Git,
            _ => RangeKind::Other,
        }
    }

    /// True for the types evaluated against package versions.
    pub fn is_versioned(self) -> bool {
        matches!(self, RangeKind::Semver | RangeKind::Ecosystem)
    }
}

/// Kind of a range event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

/// One range event: a kind and the version it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeEvent {
    pub kind: EventKind,
    pub version: String,
}

/// One range of an affected entry (the `repo` of GIT ranges is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedRange {
    pub kind: RangeKind,
    pub events: Vec<RangeEvent>,
}

/// The version data of one `affected[]` entry for a package.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AffectedVersions {
    pub ranges: Vec<AffectedRange>,
    pub versions: Vec<String>,
}

/// What matching and reporting need of one advisory, restricted to one package: the form stored
/// in the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageAdvisory {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    /// CVSS vectors (`CVSS_V2`/`CVSS_V3`/`CVSS_V4` severity entries), record-level first.
    pub cvss_vectors: Vec<String>,
    /// The advisory's own severity label, when it has one (`HIGH`, `MODERATE`, ...).
    pub label: Option<String>,
    /// The `affected[]` entries that name this package.
    pub affected: Vec<AffectedVersions>,
}

/// One vulnerability of a package: matching advisories whose ids/aliases overlap, grouped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VulnMatch {
    /// Primary id: the smallest (byte order) id among the grouped records.
    pub id: String,
    /// Every other id of the vulnerability (other record ids and all aliases), sorted.
    pub aliases: Vec<String>,
    /// Ids of the OSV records grouped in this match (sorted; includes `id`).
    pub record_ids: Vec<String>,
    /// Summary of the first grouped record (in id order) that has one.
    pub summary: String,
    /// Highest CVSS base score among the grouped records, and its vector.
    pub cvss_score: Option<f64>,
    pub cvss_vector: Option<String>,
    /// See [`crate::cvss`] for the policy.
    pub severity: Severity,
    /// `fixed` versions of the matching ranges, deduplicated, lowest first.
    pub fixed_versions: Vec<String>,
    /// Smallest version above the installed one affected by none of the package's advisories
    /// ([`remediation::minimal_upgrade`]); the same for every match of one package.
    pub minimal_upgrade: Option<String>,
}

impl RangeEvent {
    fn from_model(e: &model::Event) -> Option<RangeEvent> {
        let (kind, v) = if let Some(v) = &e.introduced {
            (EventKind::Introduced, v)
        } else if let Some(v) = &e.fixed {
            (EventKind::Fixed, v)
        } else if let Some(v) = &e.last_affected {
            (EventKind::LastAffected, v)
        } else {
            (EventKind::Limit, e.limit.as_ref()?)
        };
        Some(RangeEvent {
            kind,
            version: v.clone(),
        })
    }
}

impl AffectedVersions {
    /// The version data of one model entry.
    pub fn from_model(a: &model::Affected) -> AffectedVersions {
        AffectedVersions {
            ranges: a
                .ranges
                .iter()
                .map(|r| AffectedRange {
                    kind: RangeKind::from_osv(&r.kind),
                    events: r.events.iter().filter_map(RangeEvent::from_model).collect(),
                })
                .collect(),
            versions: a.versions.clone(),
        }
    }
}

/// The events of one versioned range, parsed and sorted for evaluation; `None` stands for
/// `introduced: "0"`, below every version. `limit` events are dropped.
type SortedEvents = Vec<(Option<Version>, EventKind)>;

fn compile_range(eco: Ecosystem, range: &AffectedRange) -> SortedEvents {
    let mut events: SortedEvents = range
        .events
        .iter()
        .filter(|e| e.kind != EventKind::Limit)
        .map(|e| {
            let v = (e.kind != EventKind::Introduced || e.version != "0")
                .then(|| Version::parse(eco, &e.version));
            (v, e.kind)
        })
        .collect();
    // Stable: events at equal versions keep their order in the record.
    events.sort_by(|a, b| a.0.cmp(&b.0));
    events
}

fn events_contain(events: &SortedEvents, version: &Version) -> bool {
    let mut affected = false;
    for (at, kind) in events {
        match (kind, at) {
            (EventKind::Introduced, None) => affected = true,
            (EventKind::Introduced, Some(at)) if version >= at => affected = true,
            (EventKind::Fixed, Some(at)) if version >= at => affected = false,
            (EventKind::LastAffected, Some(at)) if version > at => affected = false,
            _ => {}
        }
    }
    affected
}

/// True when `version` lies inside one `SEMVER`/`ECOSYSTEM` range (see the module doc).
pub fn range_contains(eco: Ecosystem, range: &AffectedRange, version: &Version) -> bool {
    events_contain(&compile_range(eco, range), version)
}

/// One `affected[]` entry with its versioned ranges compiled.
struct CompiledEntry<'a> {
    versions: &'a [String],
    ranges: Vec<SortedEvents>,
}

/// An advisory with every range event parsed once, for evaluating many versions.
pub(crate) struct CompiledAdvisory<'a> {
    pub(crate) adv: &'a PackageAdvisory,
    entries: Vec<CompiledEntry<'a>>,
}

impl<'a> CompiledAdvisory<'a> {
    pub(crate) fn new(eco: Ecosystem, adv: &'a PackageAdvisory) -> CompiledAdvisory<'a> {
        let entries = adv
            .affected
            .iter()
            .map(|a| CompiledEntry {
                versions: &a.versions,
                ranges: a
                    .ranges
                    .iter()
                    .filter(|r| r.kind.is_versioned())
                    .map(|r| compile_range(eco, r))
                    .collect(),
            })
            .collect();
        CompiledAdvisory { adv, entries }
    }

    /// True when the advisory affects `version` (parsed as `parsed`); an empty version is
    /// always affected.
    pub(crate) fn affects(&self, version: &str, parsed: &Version) -> bool {
        version.is_empty()
            || self.entries.iter().any(|e| {
                e.versions.iter().any(|v| v == version)
                    || e.ranges.iter().any(|r| events_contain(r, parsed))
            })
    }
}

/// The label of an `affected[]` entry, else of the record; a non-CVSS severity entry whose score
/// is a known label (e.g. `Ubuntu`) is the last resort.
fn record_label(rec: &Vulnerability, entries: &[&model::Affected]) -> Option<String> {
    entries
        .iter()
        .find_map(|a| a.label())
        .or_else(|| rec.label())
        .or_else(|| {
            rec.severity
                .iter()
                .chain(entries.iter().flat_map(|a| a.severity.iter()))
                .filter(|s| !s.kind.starts_with("CVSS_"))
                .map(|s| s.score.as_str())
                .find(|s| cvss::severity_from_label(s).is_some())
        })
        .map(str::to_string)
}

impl PackageAdvisory {
    /// Split one record into per-package advisories for ecosystem `eco`, keyed by normalised
    /// name (sorted). Entries of other ecosystems are skipped; a withdrawn record yields none.
    pub fn from_record(eco: Ecosystem, rec: &Vulnerability) -> Vec<(String, PackageAdvisory)> {
        if rec.is_withdrawn() {
            return Vec::new();
        }
        let mut by_name: BTreeMap<String, Vec<&model::Affected>> = BTreeMap::new();
        for a in &rec.affected {
            if a.name().is_empty() || Ecosystem::from_osv_name(a.ecosystem()) != Some(eco) {
                continue;
            }
            let key = eco.normalize_name(a.name()).into_owned();
            by_name.entry(key).or_default().push(a);
        }
        by_name
            .into_iter()
            .map(|(name, entries)| {
                let cvss_vectors = rec
                    .severity
                    .iter()
                    .chain(entries.iter().flat_map(|a| a.severity.iter()))
                    .filter(|s| s.kind.starts_with("CVSS_") && !s.score.is_empty())
                    .map(|s| s.score.clone())
                    .fold(Vec::new(), |mut acc: Vec<String>, v| {
                        if !acc.contains(&v) {
                            acc.push(v);
                        }
                        acc
                    });
                let adv = PackageAdvisory {
                    id: rec.id.clone(),
                    aliases: rec.aliases.clone(),
                    summary: rec.summary.clone(),
                    cvss_vectors,
                    label: record_label(rec, &entries),
                    affected: entries
                        .iter()
                        .map(|a| AffectedVersions::from_model(a))
                        .collect(),
                };
                (name, adv)
            })
            .collect()
    }

    /// True when this advisory affects `version` of its package (empty version: always).
    pub fn affects(&self, eco: Ecosystem, version: &str) -> bool {
        version.is_empty()
            || CompiledAdvisory::new(eco, self).affects(version, &Version::parse(eco, version))
    }

    /// `fixed` versions of the versioned ranges (unsorted, may repeat).
    pub fn fixed_versions(&self) -> impl Iterator<Item = &str> {
        self.affected
            .iter()
            .flat_map(|a| a.ranges.iter())
            .filter(|r| r.kind.is_versioned())
            .flat_map(|r| r.events.iter())
            .filter(|e| e.kind == EventKind::Fixed)
            .map(|e| e.version.as_str())
    }

    /// Every id of this advisory: its own, then its aliases.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// True when record `rec` affects package `name` at `version` in ecosystem `eco`.
pub fn record_affects(rec: &Vulnerability, eco: Ecosystem, name: &str, version: &str) -> bool {
    let key = eco.normalize_name(name);
    PackageAdvisory::from_record(eco, rec)
        .iter()
        .any(|(n, adv)| *n == key && adv.affects(eco, version))
}

/// Minimal union-find over indices.
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.0.get(i) {
            if p == i {
                break;
            }
            let gp = self.0.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.0.get_mut(i) {
                *slot = gp;
            }
            i = p;
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        if let Some(slot) = self.0.get_mut(hi) {
            *slot = lo;
        }
    }
}

/// Match `version` of a package against all `advisories` of that package (same ecosystem and
/// normalised name): the affecting advisories grouped by shared ids/aliases, sorted by id.
pub fn match_package(
    eco: Ecosystem,
    version: &str,
    advisories: &[PackageAdvisory],
) -> Vec<VulnMatch> {
    if advisories.is_empty() {
        return Vec::new();
    }
    let compiled: Vec<CompiledAdvisory> = advisories
        .iter()
        .map(|a| CompiledAdvisory::new(eco, a))
        .collect();
    let parsed = Version::parse(eco, version);
    let hits: Vec<&PackageAdvisory> = compiled
        .iter()
        .filter(|c| c.affects(version, &parsed))
        .map(|c| c.adv)
        .collect();
    if hits.is_empty() {
        return Vec::new();
    }

    let mut uf = UnionFind((0..hits.len()).collect());
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, adv) in hits.iter().enumerate() {
        for id in adv.all_ids() {
            match owner.get(id) {
                Some(&j) => uf.union(i, j),
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<&PackageAdvisory>> = BTreeMap::new();
    for (i, adv) in hits.iter().enumerate() {
        groups.entry(uf.find(i)).or_default().push(adv);
    }

    let upgrade = remediation::minimal_upgrade_compiled(eco, version, &compiled);
    let mut out: Vec<VulnMatch> = groups
        .into_values()
        .map(|members| group_match(eco, members, upgrade.clone()))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Build one [`VulnMatch`] from the advisories of one alias group.
fn group_match(
    eco: Ecosystem,
    mut members: Vec<&PackageAdvisory>,
    minimal_upgrade: Option<String>,
) -> VulnMatch {
    members.sort_by(|a, b| a.id.cmp(&b.id));
    let record_ids: Vec<String> = members
        .iter()
        .map(|m| m.id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let id = record_ids.first().cloned().unwrap_or_default();
    let aliases: Vec<String> = members
        .iter()
        .flat_map(|m| m.all_ids())
        .filter(|a| *a != id)
        .map(str::to_string)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let summary = members
        .iter()
        .map(|m| m.summary.trim())
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_string();

    let rating = cvss::rate(
        members
            .iter()
            .flat_map(|m| m.cvss_vectors.iter().map(String::as_str)),
        None,
    );
    let severity = if rating.score.is_some() {
        rating.severity
    } else {
        members
            .iter()
            .filter_map(|m| m.label.as_deref().and_then(cvss::severity_from_label))
            .max()
            .unwrap_or(Severity::Medium)
    };

    let mut fixed: Vec<(Version, &str)> = members
        .iter()
        .flat_map(|m| m.fixed_versions())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|v| (Version::parse(eco, v), v))
        .collect();
    fixed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));

    VulnMatch {
        id,
        aliases,
        record_ids,
        summary,
        cvss_score: rating.score,
        cvss_vector: rating.vector,
        severity,
        fixed_versions: fixed.into_iter().map(|(_, v)| v.to_string()).collect(),
        minimal_upgrade,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind, v: &str) -> RangeEvent {
        RangeEvent {
            kind,
            version: v.to_string(),
        }
    }

    fn range(kind: RangeKind, events: Vec<RangeEvent>) -> AffectedRange {
        AffectedRange { kind, events }
    }

    fn adv(id: &str, aliases: &[&str], ranges: Vec<AffectedRange>) -> PackageAdvisory {
        PackageAdvisory {
            id: id.to_string(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            summary: format!("summary of {id}"),
            affected: vec![AffectedVersions {
                ranges,
                versions: Vec::new(),
            }],
            ..Default::default()
        }
    }

    fn contains(r: &AffectedRange, v: &str) -> bool {
        range_contains(
            Ecosystem::CratesIo,
            r,
            &Version::parse(Ecosystem::CratesIo, v),
        )
    }

    use EventKind::*;

    #[test]
    fn introduced_fixed_is_half_open() {
        let r = range(
            RangeKind::Semver,
            vec![ev(Introduced, "1.0.0"), ev(Fixed, "1.2.0")],
        );
        assert!(!contains(&r, "0.9.0"));
        assert!(contains(&r, "1.0.0"));
        assert!(contains(&r, "1.1.9"));
        assert!(!contains(&r, "1.2.0"));
        assert!(!contains(&r, "2.0.0"));
    }

    #[test]
    fn last_affected_is_inclusive_and_limit_ignored() {
        let r = range(
            RangeKind::Ecosystem,
            vec![
                ev(LastAffected, "2.0.0"),
                ev(Limit, "1.5.0"),
                ev(Introduced, "0"),
            ],
        );
        assert!(contains(&r, "0.0.1"));
        assert!(contains(&r, "2.0.0"));
        assert!(!contains(&r, "2.0.1"));
    }

    #[test]
    fn unsorted_events_and_several_intervals() {
        let r = range(
            RangeKind::Semver,
            vec![
                ev(Fixed, "3.1.0"),
                ev(Introduced, "3.0.0"),
                ev(Fixed, "1.5.0"),
                ev(Introduced, "0"),
            ],
        );
        assert!(contains(&r, "1.0.0"));
        assert!(!contains(&r, "2.0.0"));
        assert!(contains(&r, "3.0.5"));
        assert!(!contains(&r, "3.1.0"));
    }

    #[test]
    fn open_ended_introduced() {
        let r = range(RangeKind::Semver, vec![ev(Introduced, "2.0.0")]);
        assert!(!contains(&r, "1.9.9"));
        assert!(contains(&r, "99.0.0"));
    }

    #[test]
    fn git_range_does_not_stop_later_ranges() {
        let a = adv(
            "T-1",
            &[],
            vec![
                range(
                    RangeKind::Git,
                    vec![ev(Introduced, "0"), ev(Fixed, "abc123")],
                ),
                range(
                    RangeKind::Ecosystem,
                    vec![ev(Introduced, "0"), ev(Fixed, "2.0")],
                ),
            ],
        );
        assert!(a.affects(Ecosystem::PyPI, "1.0"));
        assert!(!a.affects(Ecosystem::PyPI, "2.0"));
        // A GIT range alone never matches a version.
        let g = adv(
            "T-2",
            &[],
            vec![range(RangeKind::Git, vec![ev(Introduced, "0")])],
        );
        assert!(!g.affects(Ecosystem::PyPI, "1.0"));
        assert!(g.affects(Ecosystem::PyPI, ""));
        // Nor does a range of an unknown type.
        let o = adv(
            "T-4",
            &[],
            vec![range(
                RangeKind::from_osv("BOGUS"),
                vec![ev(Introduced, "0")],
            )],
        );
        assert!(!o.affects(Ecosystem::PyPI, "1.0"));
    }

    #[test]
    fn versions_list_matches_exactly() {
        let mut a = adv("T-3", &[], Vec::new());
        a.affected[0].versions = vec!["1.0".into(), "1.4".into()];
        assert!(a.affects(Ecosystem::PyPI, "1.4"));
        assert!(!a.affects(Ecosystem::PyPI, "1.2"));
    }

    #[test]
    fn alias_groups_are_transitive_and_sorted() {
        let r = || {
            vec![range(
                RangeKind::Semver,
                vec![ev(Introduced, "0"), ev(Fixed, "2.0.0")],
            )]
        };
        let advs = vec![
            adv("ZED-1", &["CVE-1"], r()),
            adv("ABC-1", &["GHSA-1"], r()),
            adv("MID-1", &["CVE-1", "GHSA-1"], r()),
            adv("OTHER-1", &["CVE-2"], r()),
        ];
        let m = match_package(Ecosystem::CratesIo, "1.0.0", &advs);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].id, "ABC-1");
        assert_eq!(m[0].record_ids, ["ABC-1", "MID-1", "ZED-1"]);
        assert_eq!(m[0].aliases, ["CVE-1", "GHSA-1", "MID-1", "ZED-1"]);
        assert_eq!(m[0].summary, "summary of ABC-1");
        assert_eq!(m[0].fixed_versions, ["2.0.0"]);
        assert_eq!(m[1].id, "OTHER-1");
        assert_eq!(m[0].minimal_upgrade.as_deref(), Some("2.0.0"));
        assert!(match_package(Ecosystem::CratesIo, "2.0.0", &advs).is_empty());
    }

    #[test]
    fn group_severity_prefers_cvss_then_label_then_medium() {
        let r = || vec![range(RangeKind::Semver, vec![ev(Introduced, "0")])];
        let mut a = adv("A-1", &["CVE-9"], r());
        a.label = Some("LOW".into());
        let mut b = adv("B-1", &["CVE-9"], r());
        b.cvss_vectors = vec!["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N".into()];
        let m = match_package(Ecosystem::Npm, "1.0.0", &[a.clone(), b]);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].cvss_score, Some(9.1));
        assert_eq!(m[0].severity, Severity::Critical);
        let m = match_package(Ecosystem::Npm, "1.0.0", std::slice::from_ref(&a));
        assert_eq!((m[0].cvss_score, m[0].severity), (None, Severity::Low));
        a.label = None;
        let m = match_package(Ecosystem::Npm, "1.0.0", &[a]);
        assert_eq!(m[0].severity, Severity::Medium);
    }

    #[test]
    fn empty_version_matches_everything_of_the_package() {
        let advs = vec![adv(
            "E-1",
            &[],
            vec![range(
                RangeKind::Semver,
                vec![ev(Introduced, "5.0.0"), ev(Fixed, "5.1.0")],
            )],
        )];
        assert_eq!(match_package(Ecosystem::Go, "", &advs).len(), 1);
        assert!(match_package(Ecosystem::Go, "1.0.0", &advs).is_empty());
    }

    #[test]
    fn from_record_filters_ecosystem_and_normalises() {
        let rec = Vulnerability::from_json(
            br#"{"id": "R-1", "aliases": ["CVE-1"],
                "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                             {"type": "Ubuntu", "score": "low"}],
                "affected": [
                  {"package": {"ecosystem": "PyPI", "name": "Foo_Bar"}, "versions": ["1.0"]},
                  {"package": {"ecosystem": "PyPI:extra", "name": "foo.bar"}, "versions": ["1.1"]},
                  {"package": {"ecosystem": "npm", "name": "foo-bar"}, "versions": ["9.9"]}
                ]}"#,
        )
        .unwrap();
        let split = PackageAdvisory::from_record(Ecosystem::PyPI, &rec);
        assert_eq!(split.len(), 1);
        let (name, a) = &split[0];
        assert_eq!(name, "foo-bar");
        assert_eq!(a.affected.len(), 2);
        assert_eq!(a.cvss_vectors.len(), 1);
        assert_eq!(a.label.as_deref(), Some("low"));
        assert!(record_affects(&rec, Ecosystem::PyPI, "FOO.BAR", "1.1"));
        assert!(!record_affects(&rec, Ecosystem::PyPI, "foo-bar", "9.9"));
        assert!(record_affects(&rec, Ecosystem::Npm, "foo-bar", "9.9"));

        let mut withdrawn = rec.clone();
        withdrawn.withdrawn = Some("2024-01-01T00:00:00Z".into());
        assert!(PackageAdvisory::from_record(Ecosystem::PyPI, &withdrawn).is_empty());
        assert!(!record_affects(
            &withdrawn,
            Ecosystem::PyPI,
            "foo-bar",
            "1.0"
        ));
    }
}
