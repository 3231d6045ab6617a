//! CVSS base scores from vectors, and the severity of an advisory.
//!
//! Policy (used for every vulnerability secops reports):
//! 1. When the advisory has one or more CVSS vectors that parse (v2, v3.0, v3.1 or v4.0), the
//!    highest base score wins and the severity follows the CVSS rating scale
//!    ([`Severity::from_cvss`]: 0 info, <4 low, <7 medium, <9 high, else critical).
//! 2. Otherwise the advisory's own label (`CRITICAL`, `HIGH`, `MODERATE`/`MEDIUM`, `LOW`, as found
//!    in `database_specific.severity` or `affected[].ecosystem_specific.severity`) is used.
//! 3. Otherwise the severity is **Medium**: an unrated advisory is still a known vulnerability,
//!    and medium neither hides it nor overstates it.

use secops_core::Severity;
use std::str::FromStr;

/// Base score (0.0-10.0) of a CVSS vector: `CVSS:3.0/...`, `CVSS:3.1/...`, `CVSS:4.0/...`, or a
/// prefix-less v2 vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`). `None` when the vector does not parse.
pub fn score(vector: &str) -> Option<f64> {
    let vector = vector.trim().trim_end_matches('/');
    if vector.is_empty() || vector.len() > 512 {
        return None;
    }
    if !has_base_metrics(vector) {
        return None;
    }
    let parsed = cvss::Cvss::from_str(vector).ok()?;
    // The crate's scoring asserts invariants its parser establishes; contain any slip so a
    // malformed advisory can never abort a scan.
    let value = std::panic::catch_unwind(|| parsed.score()).ok()?;
    (value.is_finite() && (0.0..=10.0).contains(&value)).then_some(value)
}

/// True when a v2 or v3 vector names every base metric (the `cvss` crate scores partial v2/v3
/// vectors as if the missing metrics were zero; it checks v4 itself).
fn has_base_metrics(vector: &str) -> bool {
    const V3: [&str; 8] = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];
    const V2: [&str; 6] = ["AV", "AC", "Au", "C", "I", "A"];
    let names = || vector.split('/').filter_map(|m| m.split(':').next());
    let required: &[&str] = if vector.starts_with("CVSS:3.") {
        &V3
    } else if vector.starts_with("CVSS:") {
        &[]
    } else {
        &V2
    };
    required.iter().all(|r| names().any(|n| n == *r))
}

/// Severity from a base score (see the module policy).
pub fn severity_from_score(score: f64) -> Severity {
    Severity::from_cvss(score)
}

/// Severity from an advisory label; `None` for an unknown label.
pub fn severity_from_label(label: &str) -> Option<Severity> {
    match label.trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Some(Severity::Critical),
        "HIGH" | "IMPORTANT" => Some(Severity::High),
        "MODERATE" | "MEDIUM" => Some(Severity::Medium),
        "LOW" | "NEGLIGIBLE" => Some(Severity::Low),
        "NONE" | "INFO" | "INFORMATIONAL" => Some(Severity::Info),
        _ => None,
    }
}

/// The vector with the highest score among `vectors` (the first one on a tie), with its score.
pub fn best_vector<'a, I>(vectors: I) -> Option<(&'a str, f64)>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(&str, f64)> = None;
    for v in vectors {
        if let Some(s) = score(v) {
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((v, s));
            }
        }
    }
    best
}

/// Score, vector and severity of an advisory under the module policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    pub score: Option<f64>,
    pub vector: Option<String>,
    pub severity: Severity,
}

/// Rate an advisory from its CVSS vectors and its label.
pub fn rate<'a, I>(vectors: I, label: Option<&str>) -> Rating
where
    I: IntoIterator<Item = &'a str>,
{
    if let Some((v, s)) = best_vector(vectors) {
        return Rating {
            score: Some(s),
            vector: Some(v.to_string()),
            severity: severity_from_score(s),
        };
    }
    Rating {
        score: None,
        vector: None,
        severity: label
            .and_then(severity_from_label)
            .unwrap_or(Severity::Medium),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_scores() {
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Some(9.8)
        );
        assert_eq!(
            score("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
            Some(6.1)
        );
        assert_eq!(
            score("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N"),
            Some(0.0)
        );
    }

    #[test]
    fn v4_and_v2_scores() {
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            Some(9.3)
        );
        assert_eq!(score("AV:N/AC:L/Au:N/C:P/I:P/A:P"), Some(7.5));
    }

    #[test]
    fn bad_vectors_are_none() {
        for v in [
            "",
            "CVSS:3.1",
            "CVSS:3.1/AV:N",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
            "AV:N/AC:L/Au:N/C:P/I:P",
            "CVSS:9.9/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:4.0/AV:N",
            "garbage",
            "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "//::://",
        ] {
            assert_eq!(score(v), None, "{v}");
        }
    }

    #[test]
    fn severity_thresholds() {
        assert_eq!(severity_from_score(0.0), Severity::Info);
        assert_eq!(severity_from_score(3.9), Severity::Low);
        assert_eq!(severity_from_score(4.0), Severity::Medium);
        assert_eq!(severity_from_score(6.9), Severity::Medium);
        assert_eq!(severity_from_score(7.0), Severity::High);
        assert_eq!(severity_from_score(8.9), Severity::High);
        assert_eq!(severity_from_score(9.0), Severity::Critical);
    }

    #[test]
    fn labels() {
        assert_eq!(severity_from_label("CRITICAL"), Some(Severity::Critical));
        assert_eq!(severity_from_label("high"), Some(Severity::High));
        assert_eq!(severity_from_label("MODERATE"), Some(Severity::Medium));
        assert_eq!(severity_from_label("Medium"), Some(Severity::Medium));
        assert_eq!(severity_from_label("LOW"), Some(Severity::Low));
        assert_eq!(severity_from_label("whatever"), None);
    }

    #[test]
    fn rating_policy() {
        let hi = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        let lo = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N";
        let r = rate([lo, "junk", hi], Some("LOW"));
        assert_eq!(r.score, Some(9.8));
        assert_eq!(r.vector.as_deref(), Some(hi));
        assert_eq!(r.severity, Severity::Critical);
        let r = rate(["junk"], Some("HIGH"));
        assert_eq!((r.score, r.severity), (None, Severity::High));
        assert_eq!(rate([], None).severity, Severity::Medium);
        assert_eq!(rate([], Some("??")).severity, Severity::Medium);
    }
}
