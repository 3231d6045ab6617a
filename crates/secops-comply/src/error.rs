//! Errors of the comply engine.

#[derive(Debug, thiserror::Error)]
pub enum ComplyError {
    /// A catalog file (built-in or user) that does not parse or is inconsistent.
    #[error("control catalog {origin}: {message}")]
    Catalog { origin: String, message: String },
    /// An IaC file that could not be parsed; `line` is 1-based when known.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Parse {
        path: String,
        line: Option<usize>,
        message: String,
    },
}
