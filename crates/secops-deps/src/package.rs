//! One dependency as found in a lockfile or manifest.

use crate::ecosystem::Ecosystem;
use serde::{Deserialize, Serialize};

/// Which dependency group a package belongs to (kept from the lockfile; `--no-dev` drops `Dev`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DepGroup {
    Prod,
    Dev,
    Optional,
    Peer,
}

impl DepGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            DepGroup::Prod => "prod",
            DepGroup::Dev => "dev",
            DepGroup::Optional => "optional",
            DepGroup::Peer => "peer",
        }
    }
}

/// A package at a version, with where it was declared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// The name as written in the file (Maven: `group:artifact`; Go: module path).
    pub name: String,
    /// Exact version; for an unpinned requirement the lowest version the constraint allows;
    /// empty when nothing is known (treated as affected by every advisory of the package).
    pub version: String,
    /// True for an exact pin (every lockfile entry, `==` requirements); false for ranges.
    pub pinned: bool,
    pub group: DepGroup,
    /// Path of the declaring file relative to the scanned root, forward slashes.
    pub file: String,
    /// 1-based line of the declaration; 0 when the format gives no way to know it.
    pub line: usize,
}
