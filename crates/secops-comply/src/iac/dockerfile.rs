//! Dockerfiles. PLACEHOLDER (being written).

use super::{IacFile, IacOutput, IacRule};

/// Is this file one of ours?
pub fn is_dockerfile(rel_path: &str) -> bool {
    let n = rel_path.rsplit('/').next().unwrap_or(rel_path);
    n == "Dockerfile"
        || n.starts_with("Dockerfile.")
        || n.ends_with(".Dockerfile")
        || n.ends_with(".dockerfile")
}

/// The rules of this module.
pub fn rules() -> Vec<IacRule> {
    Vec::new()
}

/// Evaluate the checks.
pub fn check(_file: &IacFile<'_>, _out: &mut IacOutput) {}
