//! `secops comply`: compliance readiness from a repository's files, and infrastructure-as-code
//! checks.
//!
//! - [`iac`]: Terraform (AWS, GCP, Azure), Kubernetes, Dockerfile and GitHub Actions checks.
//!   Each check reports every resource it evaluated as passed or failed ([`iac::CheckResult`]);
//!   failures are `misconfig` findings in `secops scan` and evidence for controls here.
//! - [`model`]: frameworks, control statuses, evidence, results and scores.
//! - [`controls`] and the catalog in `controls/<family>.toml`: what each control is, how it is
//!   decided (probes) and which framework clauses it maps to.
//!
//! Every verdict is indicative evidence from code, not a certification.

pub mod controls;
pub mod error;
pub mod iac;
pub mod model;

pub use error::ComplyError;
