//! Project risk score, 0-100.
//!
//! Each finding contributes a weight by severity:
//!
//! | severity | weight |
//! |---|---:|
//! | critical | 10 |
//! | high | 5 |
//! | medium | 2 |
//! | low | 0.5 |
//! | info | 0 |
//!
//! and `score = round(100 * (1 - exp(-sum / K)))` with `K = 20`.
//!
//! The exponential saturates: the score approaches but never passes 100, each extra finding
//! adds less than the one before, and the score never decreases when a finding is added (the
//! function is monotone in the sum). `K = 20` places one critical at 39, one high at 22, one
//! medium at 10 and one low at 2; two criticals reach 63, ten highs 92, and the score rounds to
//! 100 only from a sum of about 106 (eleven criticals, or twenty-two highs). So a single serious
//! problem shows clearly, while a project with many findings is still told apart from one with
//! a few. No findings (or only info findings) score 0.

use secops_core::Severity;

/// Saturation constant `K` of the formula in the module doc.
pub const SATURATION: f64 = 20.0;

/// Weight of one finding of severity `s`.
pub fn weight(s: Severity) -> f64 {
    match s {
        Severity::Critical => 10.0,
        Severity::High => 5.0,
        Severity::Medium => 2.0,
        Severity::Low => 0.5,
        Severity::Info => 0.0,
    }
}

/// Risk score 0-100 of a set of findings given by their severities.
pub fn risk_score<I>(severities: I) -> u8
where
    I: IntoIterator<Item = Severity>,
{
    let sum: f64 = severities.into_iter().map(weight).sum();
    let score = (100.0 * (1.0 - (-sum / SATURATION).exp())).round();
    // `score` is in [0, 100] by construction; the clamp documents it for the cast.
    score.clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use Severity::*;

    #[test]
    fn zero_without_findings() {
        assert_eq!(risk_score([]), 0);
        assert_eq!(risk_score([Info, Info]), 0);
    }

    #[test]
    fn documented_reference_points() {
        assert_eq!(risk_score([Critical]), 39);
        assert_eq!(risk_score([High]), 22);
        assert_eq!(risk_score([Medium]), 10);
        assert_eq!(risk_score([Low]), 2);
        assert_eq!(risk_score([Critical, Critical]), 63);
        assert_eq!(risk_score([High; 10]), 92);
        assert_eq!(risk_score([Critical; 11]), 100);
        assert_eq!(risk_score([Critical; 10_000]), 100);
    }

    #[test]
    fn monotone_and_bounded() {
        let order = [Info, Low, Medium, High, Critical];
        let mut findings = Vec::new();
        let mut last = 0;
        for i in 0..300 {
            findings.push(order[i % order.len()]);
            let s = risk_score(findings.iter().copied());
            assert!(s >= last && s <= 100);
            last = s;
        }
        // A more severe finding never scores lower than a less severe one.
        for w in order.windows(2) {
            assert!(risk_score([w[0]]) <= risk_score([w[1]]));
        }
    }
}
