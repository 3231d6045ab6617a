//! `secops scan`: secrets in a tree, in git history or in staged changes.

use crate::cli::Engine;
use crate::cli::ScanArgs;
use crate::exit;
use crate::progress::Progress;
use crate::report::{self, RenderOptions};
use anyhow::Context;
use secops_core::baseline::Baseline;
use secops_core::walk::{walk, WalkOptions, DEFAULT_MAX_FILE_SIZE};
use secops_core::walk::{FileOutput, FileVisitor, SourceFile};
use secops_core::{Config, Notice, NoticeKind, Report};
use secops_scan::history::{self, GitScanOptions, GitSource};
use secops_scan::sast::{Language, SastEngine, SastOptions};
use secops_scan::secrets::{EngineOptions, SecretsEngine};

/// IaC files (path, content) collected during the walk.
type IacFiles = std::sync::Mutex<Vec<(String, Vec<u8>)>>;

/// Every engine `scan` runs, in one pass over each file.
struct ScanVisitor<'a> {
    secrets: Option<&'a SecretsEngine>,
    sast: Option<&'a SastEngine>,
    /// IaC files seen in the walk, checked together afterwards (Terraform modules span files).
    iac: Option<&'a IacFiles>,
}

impl FileVisitor for ScanVisitor<'_> {
    fn visit(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        if let Some(e) = self.secrets {
            out.suppressed += e.scan_file(file.rel_path, file.content, &mut out.findings);
        }
        if let Some(e) = self.sast {
            e.scan_content(file.rel_path, file.content, out);
        }
        if let Some(files) = self.iac {
            if secops_comply::iac::detect(file.rel_path, file.content).is_some() {
                if let Ok(mut v) = files.lock() {
                    v.push((file.rel_path.to_string(), file.content.to_vec()));
                }
            }
        }
    }
}
use std::time::Instant;

pub fn run(args: &ScanArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let root = &args.path;
    if std::fs::symlink_metadata(root).is_err() {
        anyhow::bail!("{}: no such file or directory", root.display());
    }
    let config = Config::load(root, args.config.as_deref())?;
    let engine = SecretsEngine::new(
        &config,
        EngineOptions {
            show_secrets: args.show_secrets,
        },
    )
    .with_context(|| match &config.source {
        Some(p) => format!("loading rules (with {})", p.display()),
        None => "loading rules".to_string(),
    })?;
    let run_secrets = args.only.is_empty() || args.only.contains(&Engine::Secrets);
    let run_iac = (args.only.is_empty() || args.only.contains(&Engine::Iac))
        && !args.staged
        && !args.git_history;
    let mut iac_metas: Vec<secops_core::RuleMeta> = Vec::new();
    let run_sast = (args.only.is_empty() || args.only.contains(&Engine::Sast))
        && !(args.staged || args.git_history);
    if args.only == [Engine::Sast] && (args.staged || args.git_history) {
        anyhow::bail!("--staged and --git-history scan for secrets only; drop --only sast");
    }
    let sast = if run_sast {
        let languages = args
            .lang
            .iter()
            .filter_map(|l| Language::from_name(l))
            .collect();
        Some(
            SastEngine::with_config(
                &config,
                SastOptions {
                    languages,
                    ..SastOptions::default()
                },
            )
            .with_context(|| match &config.source {
                Some(p) => format!("loading SAST rules (with {})", p.display()),
                None => "loading SAST rules".to_string(),
            })?,
        )
    } else {
        None
    };
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    let max_file_size = args
        .max_file_size
        .or(config.scan.max_file_size)
        .unwrap_or(DEFAULT_MAX_FILE_SIZE);

    let mut report = Report::new("scan", &root.display().to_string());
    let progress = Progress::new(args.out.quiet, "scanning");
    if args.staged || args.git_history {
        let dir = if root.is_file() {
            root.parent()
                .unwrap_or(std::path::Path::new("."))
                .to_path_buf()
        } else {
            root.clone()
        };
        let exclude = build_globset(&config.exclude)?;
        let opts = GitScanOptions {
            source: if args.staged {
                GitSource::Staged
            } else {
                GitSource::History
            },
            max_chunk_bytes: max_file_size as usize,
            exclude,
        };
        let cb = |n: u64| progress.count(n, "file changes");
        let res = history::scan_git(&dir, &engine, &opts, Some(&cb))?;
        report.findings = res.findings;
        report.stats.files_scanned = res.chunks;
        report.stats.bytes_scanned = res.bytes;
        report.stats.suppressed = res.suppressed;
        if args.git_history {
            report.notices.push(Notice::new(
                NoticeKind::Git,
                None,
                format!(
                    "scanned {} commits ({} file changes)",
                    res.commits, res.chunks
                ),
            ));
        }
    } else {
        let opts = WalkOptions {
            no_ignore: args.no_ignore || config.scan.no_ignore.unwrap_or(false),
            follow_symlinks: args.follow_symlinks || config.scan.follow_symlinks.unwrap_or(false),
            max_file_size,
            excludes: config.exclude.clone(),
            threads: args.threads,
        };
        let iac_files: IacFiles = std::sync::Mutex::new(Vec::new());
        let visitor = ScanVisitor {
            secrets: run_secrets.then_some(&engine),
            sast: sast.as_ref(),
            iac: run_iac.then_some(&iac_files),
        };
        let cb = |files: u64, bytes: u64| progress.files(files, bytes);
        let res = walk(root, &opts, &visitor, Some(&cb))?;
        report.findings = res.findings;
        if run_iac {
            let files = iac_files.into_inner().unwrap_or_default();
            let batch: Vec<secops_comply::iac::IacFile<'_>> = files
                .iter()
                .map(|(p, b)| secops_comply::iac::IacFile {
                    rel_path: p,
                    bytes: b,
                })
                .collect();
            let out = secops_comply::iac::check(&batch);
            let (found, metas) = super::comply::misconfig_findings(&out.results);
            report.findings.extend(found);
            iac_metas = metas;
            for e in out.errors {
                report.notices.push(secops_core::Notice::new(
                    secops_core::NoticeKind::ParseError,
                    None,
                    e.to_string(),
                ));
            }
        }
        report.notices = res.notices;
        report.stats.files_scanned = res.files_scanned;
        report.stats.bytes_scanned = res.bytes_scanned;
        report.stats.files_skipped = res.files_skipped;
        report.stats.suppressed = res.suppressed;
    }
    progress.finish();

    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_findings(&report.findings);
        report::write_atomic(path, b.to_json().as_bytes())
            .with_context(|| format!("writing baseline {}", path.display()))?;
    }
    if let Some(b) = &baseline {
        report.stats.suppressed += b.apply(&mut report.findings) as u64;
    }
    report.filter_severity(args.out.severity);
    let used: std::collections::HashSet<&str> =
        report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    let mut metas = engine.rule_metas();
    if let Some(s) = &sast {
        metas.extend(s.rule_metas());
    }
    metas.extend(iac_metas);
    report.rules = metas
        .into_iter()
        .filter(|m| used.contains(m.id.as_str()))
        .collect();
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    report.finish();

    let code = exit::for_findings(report.max_severity(), args.out.fail_on, args.out.exit_zero);
    report::emit(&report, &args.out, &RenderOptions::from_args(&args.out))?;
    Ok(code)
}

fn build_globset(globs: &[String]) -> anyhow::Result<Option<globset::GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        b.add(globset::Glob::new(g).with_context(|| format!("invalid exclude glob '{g}'"))?);
        // `dir/**` in gitignore syntax also means the directory itself.
        if let Some(dir) = g.strip_suffix("/**") {
            b.add(globset::Glob::new(&format!("{dir}/*"))?);
        }
    }
    Ok(Some(b.build()?))
}
