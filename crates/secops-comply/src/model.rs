//! Frameworks, statuses, evidence and results.

use secops_core::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Framework {
    #[serde(rename = "soc2")]
    Soc2,
    #[serde(rename = "pci-dss")]
    PciDss,
    #[serde(rename = "hipaa")]
    Hipaa,
    #[serde(rename = "gdpr")]
    Gdpr,
}

impl Framework {
    pub const ALL: [Framework; 4] = [
        Framework::Soc2,
        Framework::PciDss,
        Framework::Hipaa,
        Framework::Gdpr,
    ];

    /// The `--framework` value.
    pub fn id(self) -> &'static str {
        match self {
            Framework::Soc2 => "soc2",
            Framework::PciDss => "pci-dss",
            Framework::Hipaa => "hipaa",
            Framework::Gdpr => "gdpr",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Framework::Soc2 => "SOC 2 (2017 TSC)",
            Framework::PciDss => "PCI DSS v4.0",
            Framework::Hipaa => "HIPAA Security Rule",
            Framework::Gdpr => "GDPR",
        }
    }

    pub fn from_id(s: &str) -> Option<Framework> {
        Framework::ALL.into_iter().find(|f| f.id() == s)
    }
}

/// The verdict on one control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// Code cannot prove it: `manual` says what evidence to attach.
    Manual,
    /// The stack does not have the thing the control is about.
    #[serde(rename = "n/a")]
    NotApplicable,
}

/// A file and line that supports a verdict, with the matched text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub path: String,
    pub line: usize,
    pub text: String,
    /// True when this evidence shows a failure (false: supports a pass).
    pub failing: bool,
}

/// One control's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlResult {
    /// Stable id, e.g. `control.auth-password-hashing`.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    /// How the control is decided: `automatic`, `heuristic`, `manual`.
    pub how: String,
    pub evidence: Vec<Evidence>,
    /// Clauses per framework id (`soc2` → [`CC6.1`]).
    pub clauses: BTreeMap<String, Vec<String>>,
    pub remediation: String,
    /// For manual (and partly manual) controls: what evidence to attach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual: Option<String>,
    /// Why the control is n/a, or why no verdict could be reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A framework's score: severity-weighted over pass + fail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkScore {
    pub framework: Framework,
    /// 0-100; `None` when nothing could be assessed.
    pub score: Option<f64>,
    pub passed: usize,
    pub failed: usize,
    pub manual: usize,
    pub not_applicable: usize,
    pub critical_failures: usize,
}
