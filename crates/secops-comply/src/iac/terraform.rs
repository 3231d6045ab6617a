//! Terraform (`*.tf`): AWS, GCP and Azure resources, parsed with hcl-rs; variables (defaults) and locals resolved where literal. PLACEHOLDER (being written).

use super::{IacFile, IacOutput, IacRule};

/// Is this file one of ours?
pub fn is_terraform(rel_path: &str) -> bool {
    rel_path.ends_with(".tf")
}

/// The rules of this module.
pub fn rules() -> Vec<IacRule> {
    Vec::new()
}

/// Evaluate the checks.
pub fn check(_files: &[IacFile<'_>], _out: &mut IacOutput) {}
