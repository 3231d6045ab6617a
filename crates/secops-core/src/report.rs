//! The report: the only thing a renderer sees.

use crate::finding::Finding;
use crate::rule::RuleMeta;
use crate::severity::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the JSON output schema. Bump on breaking changes.
pub const SCHEMA_VERSION: &str = "1.0";

/// Why a file (or a part of the run) was not fully examined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    Binary,
    TooLarge,
    Unreadable,
    InvalidUtf8,
    SymlinkLoop,
    WalkError,
    Config,
    Git,
    /// A source file that did not parse (fully).
    ParseError,
    /// A per-file size or time budget was exceeded.
    Budget,
    Other,
    /// A dependency whose version is a range, not a pin: listed but not matched.
    Unresolved,
    /// Dependencies that could not be checked (their ecosystem is missing from the database,
    /// or its data is damaged).
    Unchecked,
    /// The vulnerability database is old or has problems.
    Database,
    /// Something a lockfile or manifest parser wants the user to know.
    Lockfile,
    /// A finding hidden by an ignore entry of the configuration (with its reason).
    Ignored,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Binary => "binary",
            NoticeKind::TooLarge => "too-large",
            NoticeKind::Unreadable => "unreadable",
            NoticeKind::InvalidUtf8 => "invalid-utf8",
            NoticeKind::SymlinkLoop => "symlink-loop",
            NoticeKind::WalkError => "walk-error",
            NoticeKind::Config => "config",
            NoticeKind::Git => "git",
            NoticeKind::ParseError => "parse-error",
            NoticeKind::Budget => "budget",
            NoticeKind::Other => "other",
            NoticeKind::Unresolved => "unresolved",
            NoticeKind::Unchecked => "unchecked",
            NoticeKind::Database => "database",
            NoticeKind::Lockfile => "lockfile",
            NoticeKind::Ignored => "ignored",
        }
    }

    /// Whether the notice means a file was skipped entirely (as opposed to scanned with a caveat).
    pub fn skipped(self) -> bool {
        !matches!(
            self,
            NoticeKind::InvalidUtf8
                | NoticeKind::ParseError
                | NoticeKind::Budget
                | NoticeKind::Unresolved
                | NoticeKind::Unchecked
                | NoticeKind::Database
                | NoticeKind::Lockfile
                | NoticeKind::Ignored
        )
    }
}

/// A non-fatal problem met during the run: the run went on with the rest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    /// The file concerned, relative to the scanned root when possible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

impl Notice {
    pub fn new(kind: NoticeKind, path: Option<String>, message: impl Into<String>) -> Notice {
        Notice {
            kind,
            path,
            message: message.into(),
        }
    }
}

/// Counters about the run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub files_skipped: u64,
    pub duration_ms: u64,
    /// Findings hidden by inline comments, config or baseline.
    pub suppressed: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub total: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    pub by_kind: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
    pub information_uri: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo {
            name: "secops".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            information_uri: "https://github.com/secops-dev/secops".into(),
        }
    }
}

/// One dependency of the inventory (`secops deps --list-packages`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PackageEntry {
    /// The declaring lockfile or manifest, relative to the scanned root.
    pub file: String,
    /// 1-based line of the declaration; 0 when the format gives no way to know it.
    pub line: usize,
    /// OSV ecosystem name (`npm`, `PyPI`, `crates.io`, ...).
    pub ecosystem: String,
    pub name: String,
    /// The pinned version, or for an unpinned requirement the lowest version it allows.
    pub version: String,
    /// False when `version` came from a range rather than a pin.
    pub pinned: bool,
    /// Dependency group (`prod`, `dev`, `optional`, `peer`).
    pub group: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: String,
    pub tool: ToolInfo,
    /// The command that produced the report (`scan`, `deps`, ...).
    pub command: String,
    /// The scanned root as given on the command line.
    pub root: String,
    /// Metadata of every rule referenced by a finding (and, for SARIF, the whole active catalog).
    pub rules: Vec<RuleMeta>,
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub stats: Stats,
    pub summary: Summary,
    /// Project risk score 0-100 over the findings shown (commands that compute one: `deps`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_score: Option<u8>,
    /// The dependency inventory, when it was asked for instead of findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<Vec<PackageEntry>>,
    /// Compliance controls and framework scores (`secops comply`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controls: Option<ControlsReport>,
}

/// Said by every compliance output.
pub const COMPLIANCE_DISCLAIMER: &str = "Indicative evidence from the repository's files, not a certification or an audit opinion: an auditor tests the organisation's own controls, and many controls need evidence from outside the repository (marked manual).";

/// The verdict on one control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ControlStatus {
    Pass,
    Fail,
    /// Code cannot prove it: `manual` says what evidence to attach.
    Manual,
    /// The stack does not have the thing the control is about.
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl ControlStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Pass => "pass",
            ControlStatus::Fail => "fail",
            ControlStatus::Manual => "manual",
            ControlStatus::NotApplicable => "n/a",
        }
    }
}

/// A file and line supporting a control's verdict (line 0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ControlEvidence {
    pub path: String,
    pub line: usize,
    pub text: String,
    /// True when this evidence shows a failure.
    pub failing: bool,
}

/// One control's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlEntry {
    /// `control.<kebab-id>`.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: ControlStatus,
    /// `automatic`, `heuristic` or `manual`.
    pub how: String,
    #[serde(default)]
    pub evidence: Vec<ControlEvidence>,
    /// Framework id (`soc2`, `pci-dss`, `hipaa`, `gdpr`) → clauses.
    pub clauses: BTreeMap<String, Vec<String>>,
    pub remediation: String,
    /// What evidence to attach (manual controls and the manual remainder of others).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<String>,
    /// Why the control is n/a, why no verdict was reached, or how evidence was shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One framework's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlScore {
    /// `soc2`, `pci-dss`, `hipaa`, `gdpr`.
    pub framework: String,
    pub title: String,
    /// Severity-weighted percentage over passed and failed controls, truncated to one
    /// decimal; absent when no control could be scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub passed: usize,
    pub failed: usize,
    pub manual: usize,
    pub not_applicable: usize,
    pub critical_failures: usize,
    /// This framework's exit code: 0 ready (>= 90%, no failing Critical control), 1 gaps,
    /// 2 critical gaps (< 50%) or nothing assessable.
    pub exit_code: u8,
}

/// What stack detection found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StackInfo {
    /// Language → number of (non-test) source files.
    pub languages: BTreeMap<String, usize>,
    pub frameworks: Vec<String>,
    pub iac: Vec<String>,
    pub ci: Vec<String>,
    /// Facts the controls' `applies_if` conditions use.
    pub facts: Vec<String>,
}

/// The compliance part of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlsReport {
    pub disclaimer: String,
    /// The frameworks evaluated (`--framework`).
    pub frameworks: Vec<String>,
    pub stack: StackInfo,
    pub scores: Vec<ControlScore>,
    pub controls: Vec<ControlEntry>,
}

impl Report {
    pub fn new(command: &str, root: &str) -> Report {
        Report {
            schema_version: SCHEMA_VERSION.into(),
            tool: ToolInfo::default(),
            command: command.into(),
            root: root.into(),
            rules: Vec::new(),
            findings: Vec::new(),
            notices: Vec::new(),
            stats: Stats::default(),
            summary: Summary::default(),
            risk_score: None,
            packages: None,
            controls: None,
        }
    }

    /// Sort findings and notices so output is deterministic, and recompute the summary.
    pub fn finish(&mut self) {
        self.findings.sort_by(|a, b| {
            a.sort_key()
                .cmp(&b.sort_key())
                .then_with(|| a.commit().cmp(&b.commit()))
                .then_with(|| a.fingerprint.cmp(&b.fingerprint))
        });
        self.findings.dedup_by(|a, b| {
            a.fingerprint == b.fingerprint && a.location == b.location && a.commit() == b.commit()
        });
        self.notices.sort();
        self.notices.dedup();
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        self.rules.dedup_by(|a, b| a.id == b.id);
        if let Some(p) = &mut self.packages {
            p.sort();
            p.dedup();
        }
        let mut summary = Summary {
            total: self.findings.len(),
            ..Summary::default()
        };
        for f in &self.findings {
            *summary.by_severity.entry(f.severity).or_default() += 1;
            *summary
                .by_kind
                .entry(f.kind.as_str().to_string())
                .or_default() += 1;
        }
        self.summary = summary;
    }

    /// Keep only findings at or above `min`.
    pub fn filter_severity(&mut self, min: Severity) {
        self.findings.retain(|f| f.severity >= min);
    }

    /// The highest severity among findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}
