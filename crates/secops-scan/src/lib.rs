//! secops-scan: the `secops scan` engines.
//!
//! - [`secrets`]: hardcoded credentials (rules as data in `rules/secrets.toml`).
//! - [`history`]: git history and staged changes, fed through the secrets engine.
//! - [`sast`]: static analysis with taint tracking (tree-sitter front-ends, one IR).

pub mod history;
pub mod sast;
pub mod secrets;

/// Errors building or running the scan engines.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("rule {id}: {message}")]
    Rule { id: String, message: String },
    #[error("rules file {origin}: {message}")]
    RuleFile { origin: String, message: String },
    #[error("config: {0}")]
    Config(String),
    #[error("git: {0}")]
    Git(String),
}
