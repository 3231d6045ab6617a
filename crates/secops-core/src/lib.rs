//! secops-core: the model every secops engine shares.
//!
//! Findings, severities, rule metadata, the [`Report`](report::Report) renderers consume,
//! `.secops.toml` configuration, inline suppressions, baselines and the parallel file walker.

pub mod baseline;
pub mod config;
pub mod error;
pub mod finding;
pub mod report;
pub mod rule;
pub mod severity;
pub mod suppress;
pub mod walk;

pub use config::Config;
pub use error::CoreError;
pub use finding::{
    Details, Finding, FindingKind, Location, SastDetails, SecretDetails, TraceStep, VulnDetails,
};
pub use report::{Notice, NoticeKind, Report};
pub use rule::RuleMeta;
pub use severity::{Confidence, Severity};
