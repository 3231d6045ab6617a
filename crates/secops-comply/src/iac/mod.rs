//! Infrastructure-as-code checks.
//!
//! Every check evaluates resources (Terraform resources, Kubernetes workloads, Dockerfile
//! stages, workflow jobs and steps) and reports each as passed or failed, with file and line.

use secops_core::Severity;
use serde::Serialize;

pub mod dockerfile;
pub mod github_actions;
pub mod kubernetes;
pub mod terraform;

/// The kinds of IaC files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IacKind {
    Terraform,
    Kubernetes,
    Dockerfile,
    GithubActions,
}

/// One check's metadata (the catalog of IaC rules).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IacRule {
    /// `iac.<kind>.<check>`, e.g. `iac.terraform.aws-s3-public-acl`.
    pub id: &'static str,
    pub kind: IacKind,
    pub title: &'static str,
    pub severity: Severity,
    /// Why it matters and how to fix it.
    pub help: &'static str,
    pub cwe: Option<u32>,
}

impl IacRule {
    /// A catalog entry; every IaC module builds its rule table with this.
    pub const fn new(
        kind: IacKind,
        id: &'static str,
        title: &'static str,
        severity: Severity,
        cwe: Option<u32>,
        help: &'static str,
    ) -> Self {
        Self {
            id,
            kind,
            title,
            severity,
            help,
            cwe,
        }
    }
}

/// One resource evaluated by one check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CheckResult {
    pub rule_id: &'static str,
    pub passed: bool,
    pub path: String,
    /// 1-based line of the resource or attribute that decided.
    pub line: usize,
    /// The resource (`aws_s3_bucket.logs`, `Deployment/web container app`, `job build step 3`).
    pub resource: String,
    /// What was found (`acl = "public-read"`).
    pub message: String,
}

/// A file given to the checks.
#[derive(Debug, Clone, Copy)]
pub struct IacFile<'a> {
    /// Path relative to the scanned root, forward slashes.
    pub rel_path: &'a str,
    pub bytes: &'a [u8],
}

/// Results and problems from a batch of files.
#[derive(Debug, Default)]
pub struct IacOutput {
    pub results: Vec<CheckResult>,
    /// Files that could not be parsed (the rest of the batch is still checked).
    pub errors: Vec<crate::ComplyError>,
    /// Which kinds were seen (for stack detection).
    pub kinds: Vec<IacKind>,
}

/// The file as text, or a parse error recorded for it (the batch goes on).
pub(crate) fn text_of<'a>(file: &IacFile<'a>, out: &mut IacOutput) -> Option<&'a str> {
    match std::str::from_utf8(file.bytes) {
        Ok(t) => Some(t),
        Err(e) => {
            out.errors.push(crate::ComplyError::Parse {
                path: file.rel_path.to_string(),
                line: None,
                message: format!("not UTF-8 text: {e}"),
            });
            None
        }
    }
}

/// Which IaC kind a file is, from its path and (for YAML) its content.
pub fn detect(rel_path: &str, bytes: &[u8]) -> Option<IacKind> {
    if terraform::is_terraform(rel_path) {
        Some(IacKind::Terraform)
    } else if dockerfile::is_dockerfile(rel_path) {
        Some(IacKind::Dockerfile)
    } else if github_actions::is_workflow(rel_path) {
        Some(IacKind::GithubActions)
    } else if kubernetes::is_manifest(rel_path, bytes) {
        Some(IacKind::Kubernetes)
    } else {
        None
    }
}

/// Every IaC rule.
pub fn rules() -> Vec<IacRule> {
    let mut v = Vec::new();
    v.extend(terraform::rules());
    v.extend(kubernetes::rules());
    v.extend(dockerfile::rules());
    v.extend(github_actions::rules());
    v
}

/// Check a batch of files. Terraform files are grouped by directory (one module) so that
/// variables and locals defined in one file resolve in another.
pub fn check(files: &[IacFile<'_>]) -> IacOutput {
    let mut out = IacOutput::default();
    let mut tf: Vec<IacFile<'_>> = Vec::new();
    for f in files {
        match detect(f.rel_path, f.bytes) {
            Some(IacKind::Terraform) => tf.push(*f),
            Some(IacKind::Kubernetes) => kubernetes::check(f, &mut out),
            Some(IacKind::Dockerfile) => dockerfile::check(f, &mut out),
            Some(IacKind::GithubActions) => github_actions::check(f, &mut out),
            None => continue,
        }
    }
    if !tf.is_empty() {
        terraform::check(&tf, &mut out);
    }
    for f in files {
        if let Some(k) = detect(f.rel_path, f.bytes) {
            if !out.kinds.contains(&k) {
                out.kinds.push(k);
            }
        }
    }
    out.kinds.sort();
    out.results.sort();
    out
}
