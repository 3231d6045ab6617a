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
    fn bad_regex_is_an_error() {
        assert!(Config::parse("[allowlist]\nregexes = [\"(\"]\n", Path::new("c")).is_err());
    }
}
