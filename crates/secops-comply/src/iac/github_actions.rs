//! GitHub Actions workflows (`.github/workflows/*.yml`). PLACEHOLDER (being written).

use super::{IacFile, IacOutput, IacRule};

/// Is this file one of ours?
pub fn is_workflow(rel_path: &str) -> bool {
    (rel_path.starts_with(".github/workflows/") || rel_path.contains("/.github/workflows/"))
        && (rel_path.ends_with(".yml") || rel_path.ends_with(".yaml"))
}

/// The rules of this module.
pub fn rules() -> Vec<IacRule> {
    Vec::new()
}

/// Evaluate the checks.
pub fn check(_file: &IacFile<'_>, _out: &mut IacOutput) {}
