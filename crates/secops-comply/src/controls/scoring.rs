//! Scores and exit codes.
//!
//! A framework's score is severity-weighted over its controls that passed or failed:
//! `sum(weight of passed) / sum(weight of passed and failed)`, weights Critical 10, High 7.5,
//! Medium 5, Low 2.5 (kept as integers ×4). Manual and n/a controls are counted, not scored.
//! Thresholds compare exact integer ratios; the displayed percentage is truncated to one
//! decimal so a shown "90.0%" is never below the 90% threshold.
//!
//! Exit code (the worst over the selected frameworks): 2 when a score is below 50% or nothing
//! could be scored; 1 when a score is below 90% or a Critical control fails; else 0.

use crate::model::{ControlResult, Framework, FrameworkScore, Status};
use secops_core::Severity;

/// Score at or above which a framework is "ready" (with no failing Critical control).
pub const PASS_PERCENT: u64 = 90;
/// Score below which the gaps are critical.
pub const CRITICAL_PERCENT: u64 = 50;

pub const EXIT_READY: u8 = 0;
pub const EXIT_GAPS: u8 = 1;
pub const EXIT_CRITICAL_GAPS: u8 = 2;

/// Weight ×4 of a severity (Crit 10, High 7.5, Med 5, Low 2.5).
pub fn weight(sev: Severity) -> u64 {
    match sev {
        Severity::Critical => 40,
        Severity::High => 30,
        Severity::Medium => 20,
        Severity::Low | Severity::Info => 10,
    }
}

/// Counts and weights of one framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub framework: Framework,
    /// Weight of passed controls.
    pub earned: u64,
    /// Weight of passed and failed controls.
    pub possible: u64,
    pub passed: usize,
    pub failed: usize,
    pub manual: usize,
    pub not_applicable: usize,
    pub critical_failures: usize,
}

impl Tally {
    /// Tally the results mapped to `framework` (a control with no clause of it is left out).
    pub fn of(framework: Framework, results: &[ControlResult]) -> Tally {
        let mut t = Tally {
            framework,
            earned: 0,
            possible: 0,
            passed: 0,
            failed: 0,
            manual: 0,
            not_applicable: 0,
            critical_failures: 0,
        };
        for r in results {
            if r.clauses.get(framework.id()).is_none_or(|c| c.is_empty()) {
                continue;
            }
            let w = weight(r.severity);
            match r.status {
                Status::Pass => {
                    t.passed += 1;
                    t.earned += w;
                    t.possible += w;
                }
                Status::Fail => {
                    t.failed += 1;
                    t.possible += w;
                    if r.severity == Severity::Critical {
                        t.critical_failures += 1;
                    }
                }
                Status::Manual => t.manual += 1,
                Status::NotApplicable => t.not_applicable += 1,
            }
        }
        t
    }

    /// Whether the score is at least `percent` (exact; false when nothing was scored).
    pub fn at_least(&self, percent: u64) -> bool {
        self.possible > 0 && self.earned * 100 >= percent * self.possible
    }

    /// The score in percent truncated to one decimal; `None` when nothing was scored.
    pub fn percent(&self) -> Option<f64> {
        (self.possible > 0).then(|| (self.earned * 1000 / self.possible) as f64 / 10.0)
    }

    /// This framework's exit code.
    pub fn exit_code(&self) -> u8 {
        if self.possible == 0 || !self.at_least(CRITICAL_PERCENT) {
            EXIT_CRITICAL_GAPS
        } else if !self.at_least(PASS_PERCENT) || self.critical_failures > 0 {
            EXIT_GAPS
        } else {
            EXIT_READY
        }
    }

    pub fn to_score(&self) -> FrameworkScore {
        FrameworkScore {
            framework: self.framework,
            score: self.percent(),
            passed: self.passed,
            failed: self.failed,
            manual: self.manual,
            not_applicable: self.not_applicable,
            critical_failures: self.critical_failures,
        }
    }
}

/// The process exit code: the worst over the frameworks (2 when there are none).
pub fn exit_code(tallies: &[Tally]) -> u8 {
    tallies
        .iter()
        .map(Tally::exit_code)
        .max()
        .unwrap_or(EXIT_CRITICAL_GAPS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn res(sev: Severity, status: Status, frameworks: &[&str]) -> ControlResult {
        let clauses: BTreeMap<String, Vec<String>> = frameworks
            .iter()
            .map(|f| (f.to_string(), vec!["X".to_string()]))
            .collect();
        ControlResult {
            id: "control.x".into(),
            title: "x".into(),
            severity: sev,
            status,
            how: "automatic".into(),
            evidence: vec![],
            clauses,
            remediation: "r".into(),
            manual: None,
            reason: None,
        }
    }

    #[test]
    fn weighted_over_pass_and_fail_only() {
        let r = vec![
            res(Severity::Critical, Status::Pass, &["soc2"]),
            res(Severity::High, Status::Fail, &["soc2"]),
            res(Severity::Medium, Status::Manual, &["soc2"]),
            res(Severity::Low, Status::NotApplicable, &["soc2"]),
            res(Severity::Critical, Status::Fail, &["gdpr"]),
        ];
        let t = Tally::of(Framework::Soc2, &r);
        assert_eq!((t.earned, t.possible), (40, 70));
        assert_eq!(
            (t.passed, t.failed, t.manual, t.not_applicable),
            (1, 1, 1, 1)
        );
        assert_eq!(t.critical_failures, 0);
        // 40/70 = 57.142..% → shown truncated
        assert_eq!(t.percent(), Some(57.1));
        assert_eq!(t.exit_code(), EXIT_GAPS);
        let g = Tally::of(Framework::Gdpr, &r);
        assert_eq!(g.percent(), Some(0.0));
        assert_eq!(g.critical_failures, 1);
        assert_eq!(g.exit_code(), EXIT_CRITICAL_GAPS);
        let h = Tally::of(Framework::Hipaa, &r);
        assert_eq!(h.percent(), None);
        assert_eq!(h.exit_code(), EXIT_CRITICAL_GAPS);
        assert_eq!(exit_code(&[t, g]), EXIT_CRITICAL_GAPS);
        assert_eq!(exit_code(&[]), EXIT_CRITICAL_GAPS);
    }

    #[test]
    fn thresholds_are_exact_and_display_truncates() {
        // 9 Medium passes and 1 Medium fail: exactly 90% → ready.
        let mut r: Vec<ControlResult> = (0..9)
            .map(|_| res(Severity::Medium, Status::Pass, &["soc2"]))
            .collect();
        r.push(res(Severity::Medium, Status::Fail, &["soc2"]));
        let t = Tally::of(Framework::Soc2, &r);
        assert!(t.at_least(90));
        assert_eq!(t.percent(), Some(90.0));
        assert_eq!(t.exit_code(), EXIT_READY);
        // 2/3 shows 66.6 (not 66.7).
        let r = vec![
            res(Severity::Low, Status::Pass, &["soc2"]),
            res(Severity::Low, Status::Pass, &["soc2"]),
            res(Severity::Low, Status::Fail, &["soc2"]),
        ];
        assert_eq!(Tally::of(Framework::Soc2, &r).percent(), Some(66.6));
        // Just under 90%: 26 of 29 Low = 89.65..% → 89.6, exit 1.
        let mut r: Vec<ControlResult> = (0..26)
            .map(|_| res(Severity::Low, Status::Pass, &["soc2"]))
            .collect();
        r.extend((0..3).map(|_| res(Severity::Low, Status::Fail, &["soc2"])));
        let t = Tally::of(Framework::Soc2, &r);
        assert_eq!(t.percent(), Some(89.6));
        assert_eq!(t.exit_code(), EXIT_GAPS);
        // Exactly 50% is not critical.
        let r = vec![
            res(Severity::High, Status::Pass, &["soc2"]),
            res(Severity::High, Status::Fail, &["soc2"]),
        ];
        assert_eq!(Tally::of(Framework::Soc2, &r).exit_code(), EXIT_GAPS);
    }

    #[test]
    fn a_failing_critical_control_blocks_ready() {
        let mut r: Vec<ControlResult> = (0..30)
            .map(|_| res(Severity::Critical, Status::Pass, &["pci-dss"]))
            .collect();
        r.push(res(Severity::Critical, Status::Fail, &["pci-dss"]));
        let t = Tally::of(Framework::PciDss, &r);
        assert!(t.at_least(90));
        assert_eq!(t.exit_code(), EXIT_GAPS);
        r.pop();
        assert_eq!(Tally::of(Framework::PciDss, &r).exit_code(), EXIT_READY);
    }
}
