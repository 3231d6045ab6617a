//! Errors of the core crate.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("config {}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("baseline {}: {message}", path.display())]
    Baseline { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("path {}: {message}", path.display())]
    Path { path: PathBuf, message: String },
}
