//! The secret rule format: one `[[rule]]` table per rule, in `rules/secrets.toml` (built-in) or
//! `[[secrets.rule]]` in `.secops.toml` (custom). Both use exactly this schema.

use secops_core::{Confidence, Severity};
use serde::Deserialize;

fn default_confidence() -> Confidence {
    Confidence::High
}

fn default_cwe() -> Vec<String> {
    vec!["CWE-798".to_string()]
}

/// One secret rule as written in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable id: `secret.<provider>-<kind>`.
    pub id: String,
    /// Short title, e.g. "GitHub personal access token (classic)".
    pub title: String,
    pub severity: Severity,
    #[serde(default = "default_confidence")]
    pub confidence: Confidence,
    /// Case-insensitive literals; the rule's regex runs only near an occurrence of one of them.
    pub keywords: Vec<String>,
    /// Rust `regex` syntax, compiled in bytes mode with Unicode off (so `\w`, `\b` are ASCII).
    /// The secret is the named group `secret` if present, else group 1, else the whole match.
    pub regex: String,
    /// Minimum Shannon entropy (bits per character) of the secret.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// Regexes over the secret value: a match means "not a secret" (placeholders, examples).
    #[serde(default)]
    pub allowlist: Vec<String>,
    /// The match may span lines (private keys): the regex window extends past the keyword line.
    #[serde(default)]
    pub multiline: bool,
    /// Another pattern that must occur within `lines` lines of the match (AWS secret near its key id).
    #[serde(default)]
    pub near: Option<NearDef>,
    /// Regexes over the relative path: when non-empty, the rule runs only on matching files.
    #[serde(default)]
    pub paths: Vec<String>,
    /// A generic rule (keyword = value heuristics): dropped when a specific rule matched the same span.
    #[serde(default)]
    pub generic: bool,
    /// The captured value is encoded: `base64` decodes it one level (the decoded text must be
    /// printable and is the secret); `basic-auth` also requires it to decode to
    /// `user:password` and takes the password as the secret (basic-auth headers, docker `auth`).
    #[serde(default)]
    pub decode: Option<DecodeKind>,
    /// One paragraph: what the credential is, what an attacker can do with it, how to fix.
    pub help: String,
    #[serde(default = "default_cwe")]
    pub cwe: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearDef {
    pub regex: String,
    pub lines: usize,
}

/// The file `rules/secrets.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub rule: Vec<RuleDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecodeKind {
    Base64,
    BasicAuth,
}
