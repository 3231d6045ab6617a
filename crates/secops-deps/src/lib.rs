//! `secops deps`: find known-vulnerable dependencies offline.
//!
//! - [`lockfile`]: one parser per lockfile/manifest format, listed in [`lockfile::PARSERS`].
//! - [`version`]: version ordering per ecosystem (SemVer-like, PEP 440, Maven, RubyGems, NuGet,
//!   Packagist).
//! - [`osv`]: the OSV model, the on-disk database (zips + compact index), matching, downloads.
//! - [`cvss`], [`risk`], [`remediation`]: scoring and upgrade advice.

pub mod cvss;
pub mod ecosystem;
pub mod error;
pub mod lockfile;
pub mod osv;
pub mod package;
pub mod remediation;
pub mod risk;
pub mod version;

pub use ecosystem::Ecosystem;
pub use error::DepsError;
pub use package::{DepGroup, Package};
