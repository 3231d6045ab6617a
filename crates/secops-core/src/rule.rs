//! Rule metadata shared by every engine (what renderers show about a rule).

use crate::finding::FindingKind;
use crate::severity::Severity;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleMeta {
    /// Stable id such as `secret.aws-access-key-id`.
    pub id: String,
    pub kind: FindingKind,
    /// Short human title.
    pub title: String,
    /// One paragraph: what it is, why it matters, how to fix it.
    pub help: String,
    pub severity: Severity,
    /// CWE ids such as `CWE-798`.
    pub cwe: Vec<String>,
    /// OWASP Top 10 (2021) tags such as `A07:2021`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owasp: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}
