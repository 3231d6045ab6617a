//! Errors of the deps engine.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DepsError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A lockfile or manifest that could not be parsed; `line` is 1-based when known.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Parse {
        path: String,
        line: Option<usize>,
        message: String,
    },
    /// A database file (zip, index) that is missing, corrupt or of an unknown version.
    #[error("vulnerability database {path}: {message}")]
    Database { path: PathBuf, message: String },
    /// A download that failed.
    #[error("download {url}: {message}")]
    Fetch { url: String, message: String },
}

impl DepsError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> DepsError {
        DepsError::Io {
            path: path.into(),
            source,
        }
    }
}
