//! The control catalog (`controls/<family>.toml`) and its evaluation.
//!
//! 1. [`Catalog`]: the built-in families plus user controls (`[[comply.control]]` in
//!    `.secops.toml`), minus `[comply] disable`.
//! 2. [`Engine::collector`]: fed with every file of the shared walk, it runs the code, config
//!    and file probes and the stack signals ([`stack`]) in one pass per file and keeps the IaC
//!    files.
//! 3. [`Engine::assess`]: with the IaC check results and the scan findings, decides each control
//!    (pass, fail, manual, n/a) with its evidence, and scores each framework ([`scoring`]).
//!
//! Decision: a control whose `applies_if` facts are all false is n/a; a manual control is
//! manual; otherwise any failing evidence fails it, else any passing evidence passes it, else
//! a heuristic control is manual ("no evidence found in code") and an automatic one takes its
//! `absent` verdict (manual unless the catalog says absence means pass or fail).

pub mod builtin;
pub mod catalog;
pub mod engine;
pub mod probes;
pub mod scoring;
pub mod stack;

pub use catalog::{Absent, Catalog, Clauses, ControlDef, How, PatternDef, ProbeDef, Side};
pub use engine::{Assessment, Engine};
pub use probes::{Collector, Observations};
pub use scoring::Tally;
pub use stack::Stack;

use crate::model::Framework;
use crate::ComplyError;
use std::path::Path;

/// Walk `root` with the shared walker and collect observations (no secrets scan, no IaC
/// checks): for tests and embedders.
pub fn observe_dir(
    engine: &Engine,
    root: &Path,
    opts: &secops_core::walk::WalkOptions,
) -> Result<Observations, ComplyError> {
    let collector = engine.collector();
    let res =
        secops_core::walk::walk(root, opts, &collector, None).map_err(|e| ComplyError::Parse {
            path: root.display().to_string(),
            line: None,
            message: e.to_string(),
        })?;
    for n in &res.notices {
        if let Some(p) = &n.path {
            if n.kind.skipped() {
                collector.add_path(p);
            }
        }
    }
    Ok(collector.finish())
}

/// Observe `root`, run the IaC checks on it and assess every framework: the whole pipeline
/// except the secrets scan (its findings may be passed in).
pub fn assess_dir(
    engine: &Engine,
    root: &Path,
    findings: &[secops_core::Finding],
    frameworks: &[Framework],
) -> Result<Assessment, ComplyError> {
    let opts = secops_core::walk::WalkOptions {
        no_ignore: true,
        ..Default::default()
    };
    let obs = observe_dir(engine, root, &opts)?;
    let iac = obs.check_iac();
    Ok(engine.assess(&obs, &iac.results, findings, frameworks))
}
