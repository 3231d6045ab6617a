//! `.secops.toml`: project configuration. Unknown keys are errors.

use crate::error::CoreError;
use crate::severity::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name looked up at the scanned root.
pub const CONFIG_FILE: &str = ".secops.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Globs (relative to the scanned root, gitignore syntax) of paths never scanned.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub scan: ScanConfig,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub allowlist: AllowlistConfig,
    #[serde(default)]
    pub secrets: SecretsConfig,
    /// Custom static-analysis rules per language (`python`, `javascript`, `java`, `go`), in
    /// the same format as the built-in `rules/<language>.toml` files.
    #[serde(default)]
    pub sast: BTreeMap<String, toml::Value>,
    /// `secops deps`: ignored vulnerabilities and packages.
    #[serde(default)]
    pub deps: DepsConfig,
    /// `secops comply`: disabled controls and user controls.
    #[serde(default)]
    pub comply: ComplyConfig,
    /// Where the config was read from (not a key in the file).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    /// Files larger than this many bytes are skipped (default 10 MiB).
    pub max_file_size: Option<u64>,
    pub follow_symlinks: Option<bool>,
    /// Do not honour .gitignore and similar files.
    pub no_ignore: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Rule ids (or id prefixes ending in `*`) that never report.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Per-rule severity overrides.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowlistConfig {
    /// Regexes: a secret value matching one is not reported.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Globs of paths where secrets are not reported (other engines still run).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Substrings (case-insensitive): a secret containing one is not reported.
    #[serde(default)]
    pub stopwords: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsConfig {
    /// Custom rules, in the same format as the built-in `[[rule]]` entries.
    #[serde(default)]
    pub rule: Vec<toml::Value>,
}

/// `[deps]`: what `secops deps` must not report.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepsConfig {
    /// `[[deps.ignore]]`: vulnerabilities ignored by id (any id of the vulnerability: the
    /// advisory id or one of its aliases).
    #[serde(default)]
    pub ignore: Vec<IgnoreVuln>,
    /// `[[deps.ignore_package]]`: every vulnerability of a package (optionally one version).
    #[serde(default)]
    pub ignore_package: Vec<IgnorePackage>,
}

/// `[comply]`: controls of `secops comply` turned off, and the team's own controls.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplyConfig {
    /// Control ids (or id prefixes ending in `*`) that are not evaluated.
    #[serde(default)]
    pub disable: Vec<String>,
    /// `[[comply.control]]`: controls in the same format as the built-in
    /// `controls/<family>.toml` entries (checked by the comply engine).
    #[serde(default)]
    pub control: Vec<toml::Value>,
}

/// One `[[deps.ignore]]` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreVuln {
    /// An advisory id or alias (`CVE-2021-1234`, `GHSA-...`, `RUSTSEC-...`); case-insensitive.
    pub id: String,
    /// Why it is ignored (shown in the report).
    pub reason: Option<String>,
    /// Last day (`YYYY-MM-DD`, inclusive) the entry applies; after it the finding is reported
    /// again with a warning.
    #[serde(default, deserialize_with = "date_opt")]
    pub until: Option<String>,
}

/// One `[[deps.ignore_package]]` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnorePackage {
    /// OSV ecosystem name (`npm`, `PyPI`, `crates.io`, `Go`, `Maven`, ...).
    pub ecosystem: String,
    pub name: String,
    /// Only this exact version; every version when absent.
    pub version: Option<String>,
    pub reason: Option<String>,
    /// As [`IgnoreVuln::until`].
    #[serde(default, deserialize_with = "date_opt")]
    pub until: Option<String>,
}

/// Accept `until = "2027-01-31"` and the TOML date literal `until = 2027-01-31`.
fn date_opt<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(Some(s)),
        toml::Value::Datetime(dt) => Ok(Some(dt.to_string())),
        other => Err(serde::de::Error::custom(format!(
            "expected a date such as \"2027-01-31\", found {}",
            other.type_str()
        ))),
    }
}

/// Whether `s` is a calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Whether an `until` date has passed on `today` (both `YYYY-MM-DD`): the `until` day itself
/// still counts as covered.
pub fn is_expired(until: &str, today: &str) -> bool {
    // Zero-padded ISO dates order like strings.
    until < today
}

impl Config {
    /// Parse a config from text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, CoreError> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| CoreError::Config {
            path: origin.to_path_buf(),
            message: e.to_string(),
        })?;
        cfg.source = Some(origin.to_path_buf());
        cfg.validate()?;
        Ok(cfg)
    }

    /// Read the config at `explicit` if given (must exist), else `<root>/.secops.toml` if present.
    pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Config, CoreError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let dir = if root.is_file() {
                    root.parent().unwrap_or(Path::new(".")).to_path_buf()
                } else {
                    root.to_path_buf()
                };
                let p = dir.join(CONFIG_FILE);
                if !p.is_file() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| CoreError::Config {
            path: path.clone(),
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(&text, &path)
    }

    fn validate(&self) -> Result<(), CoreError> {
        let origin = self.source.clone().unwrap_or_default();
        for glob in self.exclude.iter().chain(self.allowlist.paths.iter()) {
            globset::Glob::new(glob).map_err(|e| CoreError::Config {
                path: origin.clone(),
                message: format!("invalid glob '{glob}': {e}"),
            })?;
        }
        let ignores = self.deps.ignore.iter().map(|i| ("deps.ignore", &i.until));
        let packages = self
            .deps
            .ignore_package
            .iter()
            .map(|i| ("deps.ignore_package", &i.until));
        for (table, until) in ignores.chain(packages) {
            if let Some(u) = until {
                if !is_iso_date(u) {
                    return Err(CoreError::Config {
                        path: origin.clone(),
                        message: format!("[[{table}]] until = \"{u}\" is not a date (YYYY-MM-DD)"),
                    });
                }
            }
        }
        if let Some(i) = self.deps.ignore.iter().find(|i| i.id.trim().is_empty()) {
            return Err(CoreError::Config {
                path: origin.clone(),
                message: format!(
                    "[[deps.ignore]] with an empty id (reason: {})",
                    i.reason.as_deref().unwrap_or("none")
                ),
            });
        }
        for re in &self.allowlist.regexes {
            regex::Regex::new(re).map_err(|e| CoreError::Config {
                path: origin.clone(),
                message: format!("invalid allowlist regex '{re}': {e}"),
            })?;
        }
        Ok(())
    }

    /// Whether a rule is disabled by `[rules] disable`.
    pub fn rule_disabled(&self, id: &str) -> bool {
        self.rules
            .disable
            .iter()
            .any(|d| match d.strip_suffix('*') {
                Some(prefix) => id.starts_with(prefix),
                None => d == id,
            })
    }

    pub fn severity_override(&self, id: &str) -> Option<Severity> {
        self.rules.severity.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_config() {
        let cfg = Config::parse(
            r#"
exclude = ["tests/fixtures/**"]
[scan]
max_file_size = 1000
[rules]
disable = ["secret.generic-*", "secret.jwt"]
severity = { "secret.slack-webhook" = "low" }
[allowlist]
regexes = ["^dummy"]
paths = ["docs/**"]
stopwords = ["sample"]
[[secrets.rule]]
id = "secret.custom"
"#,
            Path::new(".secops.toml"),
        )
        .unwrap();
        assert!(cfg.rule_disabled("secret.generic-password"));
        assert!(cfg.rule_disabled("secret.jwt"));
        assert!(!cfg.rule_disabled("secret.jwt-x"));
        assert_eq!(
            cfg.severity_override("secret.slack-webhook"),
            Some(Severity::Low)
        );
        assert_eq!(cfg.secrets.rule.len(), 1);
        assert_eq!(cfg.scan.max_file_size, Some(1000));
    }

    #[test]
    fn unknown_keys_are_errors_that_name_the_file() {
        let err = Config::parse("[scan]\nmax_size = 3\n", Path::new("x/.secops.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("x/.secops.toml"), "{err}");
        assert!(err.contains("max_size"), "{err}");
    }

    #[test]
    fn deps_ignores() {
        let cfg = Config::parse(
            r#"
[[deps.ignore]]
id = "CVE-2021-1234"
reason = "not reachable"
until = "2027-01-31"
[[deps.ignore]]
id = "GHSA-xxxx"
until = 2026-02-28
[[deps.ignore_package]]
ecosystem = "npm"
name = "lodash"
version = "4.17.20"
"#,
            Path::new(".secops.toml"),
        )
        .unwrap();
        assert_eq!(cfg.deps.ignore.len(), 2);
        assert_eq!(cfg.deps.ignore[0].until.as_deref(), Some("2027-01-31"));
        assert_eq!(cfg.deps.ignore[1].until.as_deref(), Some("2026-02-28"));
        assert_eq!(
            cfg.deps.ignore_package[0].version.as_deref(),
            Some("4.17.20")
        );
        let err = |t: &str| Config::parse(t, Path::new("c")).unwrap_err().to_string();
        assert!(err("[[deps.ignore]]\nid = \"X\"\nuntil = \"2027-02-30\"\n").contains("not a date"));
        assert!(err("[[deps.ignore]]\nid = \"\"\n").contains("empty id"));
        assert!(err("[[deps.ignore]]\nid = \"X\"\nexpires = \"2027-01-01\"\n").contains("expires"));
        assert!(err("[[deps.ignore]]\nid = \"X\"\nuntil = 5\n").contains("date"));
    }

    #[test]
    fn comply_section() {
        let cfg = Config::parse(
            r#"
[comply]
disable = ["control.net-waf", "control.priv-*"]
[[comply.control]]
id = "control.team-x"
title = "X"
"#,
            Path::new(".secops.toml"),
        )
        .unwrap();
        assert_eq!(cfg.comply.disable.len(), 2);
        assert_eq!(cfg.comply.control.len(), 1);
        assert!(Config::parse("[comply]\ndisabled = []\n", Path::new("c")).is_err());
    }

    #[test]
    fn dates() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2024-13-01"));
        assert!(!is_iso_date("2024-1-01"));
        assert!(!is_iso_date("+024-01-01"));
        assert!(is_expired("2024-01-31", "2024-02-01"));
        assert!(!is_expired("2024-01-31", "2024-01-31"));
    }

    #[test]
    fn bad_regex_is_an_error() {
        assert!(Config::parse("[allowlist]\nregexes = [\"(\"]\n", Path::new("c")).is_err());
    }
}
