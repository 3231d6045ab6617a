//! `secops comply`: compliance readiness per framework, from the repository's files.
//!
//! 1. The catalog: built-in controls plus `[[comply.control]]`, minus `[comply] disable`.
//! 2. One walk (the shared walker: gitignore-aware, config excludes) feeds the control probes,
//!    stack detection and the secrets scan; IaC files are kept for the IaC checks.
//! 3. The IaC checks run over those files; their results and the secrets findings are
//!    evidence too.
//! 4. Each control gets a verdict with evidence; each selected framework a score; the exit code
//!    follows the scores (0 ready, 1 gaps, 2 critical gaps or nothing assessable).
//!
//! The report carries the controls section, failed controls as findings (kind `control`) and
//! failed IaC checks as findings (kind `misconfig`), so SARIF shows both.

use crate::cli::{ComplyArgs, FrameworkArg};
use crate::progress::Progress;
use crate::report::{self, RenderOptions};
use anyhow::Context;
use secops_comply::controls::{Catalog, Collector, Engine};
use secops_comply::iac::{self, CheckResult};
use secops_comply::model::{ControlResult, Framework, Status};
use secops_core::finding::fingerprint;
use secops_core::walk::{
    walk, FileOutput, FileVisitor, SourceFile, WalkOptions, DEFAULT_MAX_FILE_SIZE,
};
use secops_core::{
    Confidence, Config, Details, Finding, FindingKind, Location, Notice, NoticeKind, Report,
    RuleMeta,
};
use secops_scan::secrets::{EngineOptions, SecretsEngine};
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

/// The controls' probes and the secrets scan, in one pass over each file.
struct ComplyVisitor<'a> {
    collector: &'a Collector<'a>,
    secrets: Option<&'a SecretsEngine>,
}

impl FileVisitor for ComplyVisitor<'_> {
    fn visit(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        self.collector.observe(file.rel_path, file.content);
        if let Some(e) = self.secrets {
            out.suppressed += e.scan_file(file.rel_path, file.content, &mut out.findings);
        }
    }
}

/// The frameworks selected by `--framework` (`all`, or a list), in a fixed order.
pub fn selected(args: &[FrameworkArg]) -> Vec<Framework> {
    if args.is_empty() || args.contains(&FrameworkArg::All) {
        return Framework::ALL.to_vec();
    }
    Framework::ALL
        .into_iter()
        .filter(|f| {
            args.contains(&match f {
                Framework::Soc2 => FrameworkArg::Soc2,
                Framework::PciDss => FrameworkArg::PciDss,
                Framework::Hipaa => FrameworkArg::Hipaa,
                Framework::Gdpr => FrameworkArg::Gdpr,
            })
        })
        .collect()
}

pub fn run(args: &ComplyArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let root = &args.path;
    if std::fs::symlink_metadata(root).is_err() {
        anyhow::bail!("{}: no such file or directory", root.display());
    }
    if !root.is_dir() {
        anyhow::bail!(
            "{}: secops comply assesses a directory (a repository), not a single file",
            root.display()
        );
    }
    let config = Config::load(root, args.config.as_deref())?;
    let origin = config
        .source
        .as_ref()
        .map_or_else(|| ".secops.toml".to_string(), |p| p.display().to_string());
    let mut catalog = Catalog::builtin().context("loading the control catalog")?;
    catalog
        .add_user(&config.comply.control, &origin)
        .context("loading [[comply.control]] entries")?;
    let unused = catalog.disable(&config.comply.disable);
    let engine = Engine::new(catalog).context("compiling the control catalog")?;
    let frameworks = selected(&args.framework);
    let secrets = if args.no_secrets {
        None
    } else {
        Some(
            SecretsEngine::new(
                &config,
                EngineOptions {
                    show_secrets: false,
                },
            )
            .with_context(|| match &config.source {
                Some(p) => format!("loading secret rules (with {})", p.display()),
                None => "loading secret rules".to_string(),
            })?,
        )
    };

    let mut report = Report::new("comply", &root.display().to_string());
    for u in &unused {
        report.notices.push(Notice::new(
            NoticeKind::Config,
            None,
            format!("[comply] disable = \"{u}\" matches no control"),
        ));
    }
    let opts = WalkOptions {
        no_ignore: args.no_ignore || config.scan.no_ignore.unwrap_or(false),
        follow_symlinks: args.follow_symlinks || config.scan.follow_symlinks.unwrap_or(false),
        max_file_size: args
            .max_file_size
            .or(config.scan.max_file_size)
            .unwrap_or(DEFAULT_MAX_FILE_SIZE),
        excludes: config.exclude.clone(),
        threads: args.threads,
    };
    let progress = Progress::new(args.quiet, "assessing");
    let collector = engine.collector();
    let visitor = ComplyVisitor {
        collector: &collector,
        secrets: secrets.as_ref(),
    };
    let cb = |files: u64, bytes: u64| progress.files(files, bytes);
    let res = walk(root, &opts, &visitor, Some(&cb))?;
    progress.finish();
    for n in &res.notices {
        if let Some(p) = &n.path {
            if n.kind.skipped() {
                collector.add_path(p);
            }
        }
    }
    let obs = collector.finish();
    let iac_out = obs.check_iac();
    for e in &iac_out.errors {
        report.notices.push(Notice::new(
            NoticeKind::ParseError,
            match e {
                secops_comply::ComplyError::Parse { path, .. } => Some(path.clone()),
                secops_comply::ComplyError::Catalog { .. } => None,
            },
            e.to_string(),
        ));
    }
    let assessment = engine.assess(&obs, &iac_out.results, &res.findings, &frameworks);

    report.notices.extend(res.notices);
    report.stats.files_scanned = res.files_scanned;
    report.stats.bytes_scanned = res.bytes_scanned;
    report.stats.files_skipped = res.files_skipped;
    report.stats.suppressed = res.suppressed;

    let (mut findings, mut rules) = control_findings(&assessment.results);
    let (misconfigs, iac_rules) = misconfig_findings(&iac_out.results);
    findings.extend(misconfigs);
    rules.extend(iac_rules);
    report.findings = findings;
    report.rules = rules;
    report.controls = Some(assessment.to_report());
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    report.finish();

    let code = if args.exit_zero {
        crate::exit::CLEAN
    } else {
        assessment.exit_code()
    };
    let out = args.output_args();
    report::emit(&report, &out, &RenderOptions::from_args(&out))?;
    Ok(code)
}

/// Failed controls as findings (kind `control`), located at their first failing evidence.
pub fn control_findings(results: &[ControlResult]) -> (Vec<Finding>, Vec<RuleMeta>) {
    let mut findings = Vec::new();
    let mut rules = Vec::new();
    for r in results.iter().filter(|r| r.status == Status::Fail) {
        let first = r.evidence.iter().find(|e| e.failing);
        let (path, line, text) = match first {
            Some(e) => (e.path.clone(), e.line, e.text.clone()),
            None => (
                String::new(),
                0,
                r.reason.clone().unwrap_or_else(|| "failed".into()),
            ),
        };
        let more = r
            .evidence
            .iter()
            .filter(|e| e.failing)
            .count()
            .saturating_sub(1);
        let mut message = format!("{}: {text}", r.title);
        if more > 0 {
            message.push_str(&format!(" (and {more} more)"));
        }
        findings.push(Finding {
            rule_id: r.id.clone(),
            kind: FindingKind::Control,
            severity: r.severity,
            confidence: if r.how == "heuristic" {
                Confidence::Medium
            } else {
                Confidence::High
            },
            message,
            location: Location::new(path.clone(), line, 1),
            fingerprint: fingerprint(&r.id, &path, text.as_bytes()),
            details: Details::None,
        });
        let clauses: Vec<String> = r
            .clauses
            .iter()
            .filter_map(|(f, c)| {
                Framework::from_id(f).map(|fw| format!("{} {}", fw.title(), c.join(", ")))
            })
            .collect();
        rules.push(RuleMeta {
            id: r.id.clone(),
            kind: FindingKind::Control,
            title: r.title.clone(),
            help: format!(
                "{} Clauses: {}. Indicative evidence from the repository, not a certification.",
                r.remediation,
                clauses.join("; ")
            ),
            severity: r.severity,
            cwe: Vec::new(),
            owasp: Vec::new(),
            tags: std::iter::once("compliance".to_string())
                .chain(r.clauses.keys().cloned())
                .collect(),
        });
    }
    (findings, rules)
}

/// Failed IaC checks as findings (kind `misconfig`) with their rules.
pub fn misconfig_findings(results: &[CheckResult]) -> (Vec<Finding>, Vec<RuleMeta>) {
    let catalog: HashMap<&str, iac::IacRule> =
        iac::rules().into_iter().map(|r| (r.id, r)).collect();
    let mut used = BTreeSet::new();
    let mut findings = Vec::new();
    for r in results.iter().filter(|r| !r.passed) {
        let rule = catalog.get(r.rule_id);
        used.insert(r.rule_id);
        findings.push(Finding {
            rule_id: r.rule_id.to_string(),
            kind: FindingKind::Misconfig,
            severity: rule.map_or(secops_core::Severity::Medium, |x| x.severity),
            confidence: Confidence::High,
            message: format!("{}: {}", r.resource, r.message),
            location: Location::new(r.path.clone(), r.line, 1),
            fingerprint: fingerprint(
                r.rule_id,
                &r.path,
                format!("{}\0{}", r.resource, r.message).as_bytes(),
            ),
            details: Details::None,
        });
    }
    let rules = used
        .into_iter()
        .filter_map(|id| catalog.get(id))
        .map(|r| RuleMeta {
            id: r.id.to_string(),
            kind: FindingKind::Misconfig,
            title: r.title.to_string(),
            help: r.help.to_string(),
            severity: r.severity,
            cwe: r.cwe.map(|n| vec![format!("CWE-{n}")]).unwrap_or_default(),
            owasp: Vec::new(),
            tags: vec!["iac".into()],
        })
        .collect();
    (findings, rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_selection() {
        assert_eq!(selected(&[]).len(), 4);
        assert_eq!(selected(&[FrameworkArg::All, FrameworkArg::Gdpr]).len(), 4);
        assert_eq!(
            selected(&[FrameworkArg::Gdpr, FrameworkArg::Soc2]),
            vec![Framework::Soc2, Framework::Gdpr]
        );
    }

    #[test]
    fn misconfigs_carry_rule_severity_and_location() {
        let results = vec![
            CheckResult {
                rule_id: "iac.terraform.test-rule",
                passed: false,
                path: "main.tf".into(),
                line: 7,
                resource: "aws_s3_bucket.logs".into(),
                message: "acl = \"public-read\"".into(),
            },
            CheckResult {
                rule_id: "iac.terraform.test-rule",
                passed: true,
                path: "main.tf".into(),
                line: 20,
                resource: "aws_s3_bucket.data".into(),
                message: "private".into(),
            },
        ];
        let (f, _) = misconfig_findings(&results);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.start_line, 7);
        assert_eq!(f[0].kind, FindingKind::Misconfig);
        assert!(f[0].message.contains("aws_s3_bucket.logs"));
    }
}
