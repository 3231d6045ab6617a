//! Minimal upgrade that fixes every advisory of a package.
//!
//! Candidates are the `fixed` versions of the advisories' `SEMVER`/`ECOSYSTEM` ranges that lie
//! strictly above the installed version. The answer is the smallest candidate that NONE of the
//! package's advisories affects. Versions after a `last_affected` are not candidates: the next
//! release is not known from the advisory alone.

use crate::ecosystem::Ecosystem;
use crate::osv::matcher::{CompiledAdvisory, PackageAdvisory};
use crate::version::Version;

/// Smallest version above `installed` that is affected by none of `advisories` (all advisories
/// of one package), or `None` when no known fixed version qualifies. With an empty `installed`
/// (version unknown) every fixed version is a candidate.
pub fn minimal_upgrade(
    eco: Ecosystem,
    installed: &str,
    advisories: &[PackageAdvisory],
) -> Option<String> {
    let compiled: Vec<CompiledAdvisory> = advisories
        .iter()
        .map(|a| CompiledAdvisory::new(eco, a))
        .collect();
    minimal_upgrade_compiled(eco, installed, &compiled)
}

/// [`minimal_upgrade`] over advisories whose ranges are already parsed.
pub(crate) fn minimal_upgrade_compiled(
    eco: Ecosystem,
    installed: &str,
    advisories: &[CompiledAdvisory],
) -> Option<String> {
    let floor = (!installed.is_empty()).then(|| Version::parse(eco, installed));
    let mut candidates: Vec<(Version, &str)> = advisories
        .iter()
        .flat_map(|a| a.adv.fixed_versions())
        .filter(|v| !v.is_empty())
        .map(|v| (Version::parse(eco, v), v))
        .filter(|(pv, _)| floor.as_ref().is_none_or(|f| pv > f))
        .collect();
    candidates.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    candidates.dedup_by(|a, b| a.1 == b.1);
    candidates
        .into_iter()
        .find(|(pv, v)| !advisories.iter().any(|a| a.affects(v, pv)))
        .map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::matcher::{AffectedRange, AffectedVersions, EventKind, RangeEvent, RangeKind};

    fn adv(events: &[(EventKind, &str)]) -> PackageAdvisory {
        PackageAdvisory {
            id: "X".into(),
            affected: vec![AffectedVersions {
                ranges: vec![AffectedRange {
                    kind: RangeKind::Semver,
                    events: events
                        .iter()
                        .map(|(k, v)| RangeEvent {
                            kind: *k,
                            version: v.to_string(),
                        })
                        .collect(),
                }],
                versions: Vec::new(),
            }],
            ..Default::default()
        }
    }

    use EventKind::*;

    #[test]
    fn smallest_fix_that_clears_every_advisory() {
        let advs = [
            adv(&[(Introduced, "0"), (Fixed, "1.2.0")]),
            adv(&[(Introduced, "1.0.0"), (Fixed, "1.5.0")]),
            adv(&[(Introduced, "2.0.0"), (Fixed, "2.0.3")]),
        ];
        let eco = Ecosystem::CratesIo;
        assert_eq!(
            minimal_upgrade(eco, "1.1.0", &advs).as_deref(),
            Some("1.5.0")
        );
        assert_eq!(
            minimal_upgrade(eco, "0.5.0", &advs).as_deref(),
            Some("1.5.0")
        );
        assert_eq!(
            minimal_upgrade(eco, "2.0.0", &advs).as_deref(),
            Some("2.0.3")
        );
        assert_eq!(minimal_upgrade(eco, "2.0.3", &advs), None);
    }

    #[test]
    fn none_when_a_later_advisory_has_no_fix() {
        let advs = [
            adv(&[(Introduced, "0"), (Fixed, "1.2.0")]),
            adv(&[(Introduced, "1.1.0")]),
        ];
        assert_eq!(minimal_upgrade(Ecosystem::Npm, "1.0.0", &advs), None);
    }

    #[test]
    fn last_affected_gives_no_candidate() {
        let advs = [adv(&[(Introduced, "0"), (LastAffected, "1.0.0")])];
        assert_eq!(minimal_upgrade(Ecosystem::Npm, "0.1.0", &advs), None);
    }

    #[test]
    fn unknown_installed_version_takes_the_smallest_safe_fix() {
        let advs = [
            adv(&[(Introduced, "0"), (Fixed, "1.2.0")]),
            adv(&[(Introduced, "0"), (Fixed, "1.3.0")]),
        ];
        assert_eq!(
            minimal_upgrade(Ecosystem::Go, "", &advs).as_deref(),
            Some("1.3.0")
        );
    }
}
