//! Findings: what every detector produces and every renderer consumes.

use crate::severity::{Confidence, Severity};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Which engine a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Secret,
    Sast,
    Vulnerability,
    Misconfig,
    Control,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Secret => "secret",
            FindingKind::Sast => "sast",
            FindingKind::Vulnerability => "vulnerability",
            FindingKind::Misconfig => "misconfig",
            FindingKind::Control => "control",
        }
    }
}

/// Where a finding is: a path relative to the scanned root (forward slashes) and a 1-based region.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Location {
    pub fn new(path: impl Into<String>, line: usize, column: usize) -> Location {
        Location {
            path: path.into(),
            start_line: line,
            start_column: column,
            end_line: line,
            end_column: column,
        }
    }
}

/// Extra facts about a secret finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SecretDetails {
    /// The secret as shown: redacted unless `--show-secrets`.
    pub secret: String,
    /// Shannon entropy of the secret in bits per character.
    pub entropy: f64,
    /// The source line with the secret redacted (trimmed to a readable length).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// True when the secret was found inside base64-encoded data.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub decoded: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// One step of a data-flow trace (source, propagation, sink).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceStep {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Extra facts about a static-analysis finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SastDetails {
    /// Taint category (`sql-injection`, `weak-hash`, ...).
    pub category: String,
    /// Source → steps → sink; empty for pattern rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

/// Extra facts about a vulnerable dependency (one finding per vulnerability: aliases grouped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct VulnDetails {
    /// OSV ecosystem name (`npm`, `PyPI`, `crates.io`, ...).
    pub ecosystem: String,
    pub package: String,
    /// The installed (or, for an unpinned requirement, lowest allowed) version.
    pub version: String,
    /// Primary advisory id (the OSV record that matched).
    pub id: String,
    /// Every other id of the same vulnerability (CVE, GHSA, PYSEC, ...), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss_vector: Option<String>,
    /// Versions that fix this vulnerability (lowest first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed_versions: Vec<String>,
    /// Smallest version above the installed one that fixes every known vulnerability of the
    /// package, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimal_upgrade: Option<String>,
    /// Dependency group (`prod`, `dev`, `optional`, ...).
    pub group: String,
    /// False when the version came from a range (lowest allowed), not a lockfile pin.
    pub pinned: bool,
}

/// Kind-specific details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Details {
    Secret(SecretDetails),
    Sast(SastDetails),
    Vulnerability(VulnDetails),
    None,
}

/// One result of one rule at one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub kind: FindingKind,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    pub location: Location,
    /// Stable hash of rule + path + normalised match: used for baselines and SARIF.
    pub fingerprint: String,
    pub details: Details,
}

impl Finding {
    /// Sort key: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (
            &self.location.path,
            self.location.start_line,
            self.location.start_column,
            &self.rule_id,
        )
    }

    /// The commit a finding was seen in, if any (git history scans).
    pub fn commit(&self) -> Option<&str> {
        match &self.details {
            Details::Secret(s) => s.commit.as_deref(),
            Details::Sast(_) | Details::Vulnerability(_) | Details::None => None,
        }
    }
}

/// Stable fingerprint: sha256 over rule id, path and the normalised matched text, hex, 32 chars.
///
/// Line numbers are left out on purpose so that a finding keeps its fingerprint when code moves.
pub fn fingerprint(rule_id: &str, path: &str, normalised_match: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0u8]);
    h.update(path.as_bytes());
    h.update([0u8]);
    h.update(normalised_match);
    let digest = h.finalize();
    let mut out = String::with_capacity(32);
    for b in digest.iter().take(16) {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_discriminating() {
        let a = fingerprint("secret.x", "a/b.py", b"abc");
        assert_eq!(a, fingerprint("secret.x", "a/b.py", b"abc"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, fingerprint("secret.y", "a/b.py", b"abc"));
        assert_ne!(a, fingerprint("secret.x", "a/c.py", b"abc"));
        assert_ne!(a, fingerprint("secret.x", "a/b.py", b"abd"));
    }
}
