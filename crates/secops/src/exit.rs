//! Exit codes: 0 nothing at or above the threshold, 1 high, 2 critical, 3 tool error.

use secops_core::Severity;

pub const CLEAN: u8 = 0;
pub const HIGH: u8 = 1;
pub const CRITICAL: u8 = 2;
pub const TOOL_ERROR: u8 = 3;

/// The exit code for findings whose highest severity is `max`, failing at `fail_on`.
pub fn for_findings(max: Option<Severity>, fail_on: Severity, exit_zero: bool) -> u8 {
    if exit_zero {
        return CLEAN;
    }
    match max {
        Some(m) if m >= fail_on => {
            if m == Severity::Critical {
                CRITICAL
            } else {
                HIGH
            }
        }
        _ => CLEAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(for_findings(None, Severity::High, false), CLEAN);
        assert_eq!(
            for_findings(Some(Severity::Medium), Severity::High, false),
            CLEAN
        );
        assert_eq!(
            for_findings(Some(Severity::High), Severity::High, false),
            HIGH
        );
        assert_eq!(
            for_findings(Some(Severity::Critical), Severity::High, false),
            CRITICAL
        );
        assert_eq!(
            for_findings(Some(Severity::Medium), Severity::Low, false),
            HIGH
        );
        assert_eq!(
            for_findings(Some(Severity::High), Severity::Critical, false),
            CLEAN
        );
        assert_eq!(
            for_findings(Some(Severity::Critical), Severity::High, true),
            CLEAN
        );
    }
}
