//! Kubernetes manifests and Helm-rendered YAML. PLACEHOLDER (being written).

use super::{IacFile, IacOutput, IacRule};

/// Is this file one of ours?
pub fn is_manifest(rel_path: &str, bytes: &[u8]) -> bool {
    (rel_path.ends_with(".yml") || rel_path.ends_with(".yaml"))
        && memchr::memmem::find(bytes, b"apiVersion:").is_some()
        && memchr::memmem::find(bytes, b"kind:").is_some()
}

/// The rules of this module.
pub fn rules() -> Vec<IacRule> {
    Vec::new()
}

/// Evaluate the checks.
pub fn check(_file: &IacFile<'_>, _out: &mut IacOutput) {}
