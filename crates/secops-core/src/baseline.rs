//! Baselines: a file of fingerprints of accepted findings; later runs report only new ones.

use crate::error::CoreError;
use crate::finding::Finding;
use crate::report::SCHEMA_VERSION;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule_id: String,
    pub path: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    pub schema_version: String,
    pub tool: String,
    pub findings: Vec<BaselineEntry>,
}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule_id.clone(),
                path: f.location.path.clone(),
                line: f.location.start_line,
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.path, a.line, &a.fingerprint).cmp(&(&b.path, b.line, &b.fingerprint))
        });
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            schema_version: SCHEMA_VERSION.into(),
            tool: "secops".into(),
            findings: entries,
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, CoreError> {
        let text = std::fs::read_to_string(path).map_err(|e| CoreError::Baseline {
            path: path.to_path_buf(),
            message: format!("cannot read: {e}"),
        })?;
        serde_json::from_str(&text).map_err(|e| CoreError::Baseline {
            path: path.to_path_buf(),
            message: format!("not a secops baseline: {e}"),
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn fingerprints(&self) -> HashSet<&str> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect()
    }

    /// Remove findings present in the baseline; returns how many were removed.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> usize {
        let known = self.fingerprints();
        let before = findings.len();
        findings.retain(|f| !known.contains(f.fingerprint.as_str()));
        before - findings.len()
    }
}
