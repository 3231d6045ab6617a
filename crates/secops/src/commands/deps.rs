//! `secops deps`: known-vulnerable dependencies, offline.
//!
//! 1. One walk (the shared walker: gitignore-aware, config excludes) parses every file a
//!    lockfile/manifest parser accepts. In one folder a manifest yields to a lockfile of the same
//!    ecosystem, and `package-lock.json` to `npm-shrinkwrap.json`.
//! 2. Packages are deduplicated per (ecosystem, name, version, file); `--no-dev` drops the dev
//!    group. Unpinned ones (a range, not a pin) are listed as `unresolved` notices and not
//!    matched: a guessed version gives wrong answers both ways.
//! 3. The pinned ones are matched against the OSV database (`--db`, else the default folder;
//!    one automatic download when none exists unless `--offline`). One finding per
//!    vulnerability (aliases grouped) per package and file.
//! 4. Ignores from `.secops.toml` (`[[deps.ignore]]` by any id of the vulnerability,
//!    `[[deps.ignore_package]]`), the baseline and `--severity` apply; the risk score is computed
//!    over what is shown.

use crate::cli::{parse_ecosystem, DepsArgs, Format};
use crate::commands::db;
use crate::exit;
use crate::progress::Progress;
use crate::report::{self, RenderOptions};
use anyhow::Context;
use rayon::prelude::*;
use secops_core::baseline::Baseline;
use secops_core::config::{is_expired, IgnorePackage, IgnoreVuln};
use secops_core::finding::fingerprint;
use secops_core::report::PackageEntry;
use secops_core::walk::{walk, FileOutput, FileVisitor, SourceFile, WalkOptions};
use secops_core::{
    Confidence, Config, Details, Finding, FindingKind, Location, Notice, NoticeKind, Report,
    RuleMeta, VulnDetails,
};
use secops_deps::lockfile::{parser_for, FileKind, Input, Parsed, Parser, Warning};
use secops_deps::osv::fetch::{self, STALE_AFTER};
use secops_deps::osv::index::Database;
use secops_deps::osv::matcher::VulnMatch;
use secops_deps::osv::model::Vulnerability;
use secops_deps::osv::store;
use secops_deps::risk::risk_score;
use secops_deps::{DepGroup, DepsError, Ecosystem, Package};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

/// Default size cap for dependency files: the lockfiles of big monorepos pass 10 MiB.
pub const DEFAULT_MAX_LOCKFILE_SIZE: u64 = 64 * 1024 * 1024;

/// Largest OSV record read back from a zip for its `details`.
const MAX_RECORD_BYTES: u64 = 4 * 1024 * 1024;

/// Longest `details` paragraph kept in rule help.
const MAX_HELP_CHARS: usize = 1200;

pub fn run(args: &DepsArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let root = &args.path;
    if std::fs::symlink_metadata(root).is_err() {
        anyhow::bail!("{}: no such file or directory", root.display());
    }
    if args.list_packages && args.out.format() == Format::Sarif {
        anyhow::bail!("--list-packages has no SARIF form; use --format text, json or markdown");
    }
    let config = Config::load(root, args.config.as_deref())?;
    let mut report = Report::new("deps", &root.display().to_string());
    let ignores = Ignores::new(&config, &today(), &mut report.notices)?;
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };

    let progress = Progress::new(args.out.quiet, "reading lockfiles");
    let inventory = collect(root, args, &config, &progress)?;
    progress.finish();
    report.stats.files_scanned = inventory.files;
    report.stats.bytes_scanned = inventory.bytes;
    report.stats.files_skipped = inventory.skipped;
    report.notices.extend(inventory.notices);

    if args.list_packages {
        report
            .notices
            .extend(inventory.warnings.iter().map(warning_notice));
        report.packages = Some(inventory.packages.iter().map(package_entry).collect());
        report.stats.duration_ms = started.elapsed().as_millis() as u64;
        report.finish();
        report::emit(&report, &args.out, &RenderOptions::from_args(&args.out))?;
        return Ok(exit::CLEAN);
    }

    let (pinned, unpinned): (Vec<Package>, Vec<Package>) =
        inventory.packages.into_iter().partition(|p| p.pinned);
    report.notices.extend(unresolved_notices(&unpinned));
    // A parser's own note on an unpinned line is replaced by the `unresolved` notice.
    let unpinned_at: HashSet<(&str, usize)> =
        unpinned.iter().map(|p| (p.file.as_str(), p.line)).collect();
    report.notices.extend(
        inventory
            .warnings
            .iter()
            .filter(|w| !unpinned_at.contains(&(w.file.as_str(), w.line)))
            .map(warning_notice),
    );

    let mut findings = Vec::new();
    let mut rules = Vec::new();
    if !pinned.is_empty() {
        let needed: BTreeSet<Ecosystem> = pinned.iter().map(|p| p.ecosystem).collect();
        let db = open_database(args, &needed, &pinned, &mut report.notices)?;
        let matches = query_all(&db, &pinned, &mut report.notices);
        let texts = advisory_texts(db.dir(), &matches);
        for (pkg, ms) in &matches {
            for m in ms {
                findings.push(vuln_finding(pkg, m));
                rules.push(rule_meta(m, texts.get(&m.id).map(String::as_str)));
            }
        }
    }

    report.stats.suppressed += ignores.apply(&mut findings, &mut report.notices);
    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_findings(&findings);
        report::write_atomic(path, b.to_json().as_bytes())
            .with_context(|| format!("writing baseline {}", path.display()))?;
    }
    if let Some(b) = &baseline {
        report.stats.suppressed += b.apply(&mut findings) as u64;
    }
    report.findings = findings;
    report.filter_severity(args.out.severity);
    let used: HashSet<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    report.rules = merge_rules(rules)
        .into_iter()
        .filter(|r| used.contains(r.id.as_str()))
        .collect();
    report.risk_score = Some(risk_score(report.findings.iter().map(|f| f.severity)));
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    report.finish();

    let code = exit::for_findings(report.max_severity(), args.out.fail_on, args.out.exit_zero);
    report::emit(&report, &args.out, &RenderOptions::from_args(&args.out))?;
    Ok(code)
}

/// Today (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

// ---------------------------------------------------------------------------------------------
// Finding and parsing dependency files

/// One dependency file parsed during the walk.
struct ParsedFile {
    rel: String,
    parser: &'static dyn Parser,
    bytes: u64,
    outcome: Result<Parsed, DepsError>,
}

/// The walk visitor: parses the files a parser accepts, ignores the rest.
struct Collector<'a> {
    /// The folder parsers resolve includes against (the root, or its parent for a file root).
    root: &'a Path,
    files: Mutex<Vec<ParsedFile>>,
}

impl FileVisitor for Collector<'_> {
    fn visit(&self, file: &SourceFile<'_>, _out: &mut FileOutput) {
        let Some(parser) = parser_for(file_name(file.rel_path)) else {
            return;
        };
        let input = Input {
            root: self.root,
            path: file.abs_path,
            rel_path: file.rel_path,
            bytes: file.content,
        };
        // Parsers must never panic; should one do so anyway, the file becomes a parse error
        // instead of taking the run down.
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(&input)))
                .unwrap_or_else(|_| {
                    Err(DepsError::Parse {
                        path: file.rel_path.to_string(),
                        line: None,
                        message: format!(
                            "the {} parser failed (a secops bug: please report it)",
                            parser.format()
                        ),
                    })
                });
        let parsed = ParsedFile {
            rel: file.rel_path.to_string(),
            parser,
            bytes: file.content.len() as u64,
            outcome,
        };
        if let Ok(mut g) = self.files.lock() {
            g.push(parsed);
        }
    }
}

/// The last component of a relative, forward-slash path.
fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The folder part of a relative, forward-slash path (`""` at the root).
fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Files another file in the same folder supersedes: a manifest next to a lockfile of its
/// ecosystem, `package-lock.json` next to `npm-shrinkwrap.json`.
fn superseded(files: &[(&str, &dyn Parser)]) -> HashSet<String> {
    let locked: HashSet<(&str, Ecosystem)> = files
        .iter()
        .filter(|(_, p)| p.kind() == FileKind::Lockfile)
        .map(|(rel, p)| (dir_of(rel), p.ecosystem()))
        .collect();
    let shrinkwrapped: HashSet<&str> = files
        .iter()
        .filter(|(rel, _)| file_name(rel) == "npm-shrinkwrap.json")
        .map(|(rel, _)| dir_of(rel))
        .collect();
    files
        .iter()
        .filter(|(rel, p)| {
            (p.kind() == FileKind::Manifest && locked.contains(&(dir_of(rel), p.ecosystem())))
                || (file_name(rel) == "package-lock.json" && shrinkwrapped.contains(dir_of(rel)))
        })
        .map(|(rel, _)| rel.to_string())
        .collect()
}

/// Everything read from the tree.
struct Inventory {
    /// Deduplicated, `--no-dev` applied, sorted by file and line.
    packages: Vec<Package>,
    warnings: Vec<Warning>,
    notices: Vec<Notice>,
    files: u64,
    bytes: u64,
    skipped: u64,
}

/// Walk `root`, parse its dependency files and gather their packages.
fn collect(
    root: &Path,
    args: &DepsArgs,
    config: &Config,
    progress: &Progress,
) -> anyhow::Result<Inventory> {
    let opts = WalkOptions {
        no_ignore: args.no_ignore || config.scan.no_ignore.unwrap_or(false),
        follow_symlinks: args.follow_symlinks || config.scan.follow_symlinks.unwrap_or(false),
        max_file_size: args
            .max_file_size
            .or(config.scan.max_file_size)
            .unwrap_or(DEFAULT_MAX_LOCKFILE_SIZE),
        excludes: config.exclude.clone(),
        threads: args.threads,
    };
    let parse_root: PathBuf = if root.is_file() {
        root.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        root.to_path_buf()
    };
    let collector = Collector {
        root: &parse_root,
        files: Mutex::new(Vec::new()),
    };
    let cb = |files: u64, bytes: u64| progress.files(files, bytes);
    let walked = walk(root, &opts, &collector, Some(&cb))?;
    let mut files = collector.files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));

    // Walk notices only matter for dependency files (a skipped image is no news here); the
    // parsers judge encodings themselves.
    let mut notices: Vec<Notice> = walked
        .notices
        .into_iter()
        .filter(|n| n.kind != NoticeKind::InvalidUtf8)
        .filter(|n| {
            n.path
                .as_deref()
                .is_none_or(|p| parser_for(file_name(p)).is_some())
        })
        .collect();
    let skipped_files = notices.iter().filter(|n| n.kind.skipped()).count() as u64;

    let names: Vec<(&str, &dyn Parser)> =
        files.iter().map(|f| (f.rel.as_str(), f.parser)).collect();
    let drop = superseded(&names);
    let mut packages = Vec::new();
    let mut warnings = Vec::new();
    let (mut count, mut bytes) = (0u64, 0u64);
    for f in files.into_iter().filter(|f| !drop.contains(&f.rel)) {
        count += 1;
        bytes += f.bytes;
        match f.outcome {
            Ok(p) => {
                packages.extend(p.packages);
                warnings.extend(p.warnings);
            }
            Err(e) => notices.push(Notice::new(
                NoticeKind::ParseError,
                Some(f.rel.clone()),
                format!("{e} (no packages read from this file: results are incomplete)"),
            )),
        }
    }
    if args.no_dev {
        packages.retain(|p| p.group != DepGroup::Dev);
    }
    Ok(Inventory {
        packages: dedupe(packages),
        warnings,
        notices,
        files: count,
        bytes,
        skipped: skipped_files,
    })
}

/// Keep the first (lowest line) of packages identical in (ecosystem, name, version, file).
fn dedupe(mut packages: Vec<Package>) -> Vec<Package> {
    packages.sort_by(|a, b| {
        (&a.file, a.line, a.ecosystem, &a.name, &a.version).cmp(&(
            &b.file,
            b.line,
            b.ecosystem,
            &b.name,
            &b.version,
        ))
    });
    let mut seen: HashSet<(Ecosystem, String, String, String)> = HashSet::new();
    packages.retain(|p| {
        seen.insert((
            p.ecosystem,
            p.name.clone(),
            p.version.clone(),
            p.file.clone(),
        ))
    });
    packages
}

fn package_entry(p: &Package) -> PackageEntry {
    PackageEntry {
        file: p.file.clone(),
        line: p.line,
        ecosystem: p.ecosystem.osv_name().to_string(),
        name: p.name.clone(),
        version: p.version.clone(),
        pinned: p.pinned,
        group: p.group.as_str().to_string(),
    }
}

/// `file:line: message` (the line left out when unknown).
fn at(file: &str, line: usize) -> String {
    if line > 0 {
        format!("{file}:{line}")
    } else {
        file.to_string()
    }
}

fn warning_notice(w: &Warning) -> Notice {
    Notice::new(
        NoticeKind::Lockfile,
        Some(w.file.clone()),
        format!("{}: {}", at(&w.file, w.line), w.message),
    )
}

/// One warning per unpinned package: it is listed, not matched.
fn unresolved_notices(unpinned: &[Package]) -> Vec<Notice> {
    unpinned
        .iter()
        .map(|p| {
            let version = if p.version.is_empty() {
                "(no version)"
            } else {
                p.version.as_str()
            };
            Notice::new(
                NoticeKind::Unresolved,
                Some(p.file.clone()),
                format!("unresolved: {} {version} (not pinned; not matched)", p.name),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The database

/// Whether index files may be written next to the zips of `dir` (a shared, read-only snapshot
/// is opened without writing, even by root).
fn writable(dir: &Path, ecosystems: &[Ecosystem]) -> bool {
    ecosystems.iter().all(|e| {
        let d = dir.join(e.osv_name());
        std::fs::metadata(&d).is_ok_and(|m| !m.permissions().readonly())
            && tempfile::tempfile_in(&d).is_ok()
    })
}

/// Open the database for `needed` ecosystems, downloading it once when there is none (unless
/// `--offline`). Stale data, metadata problems and ecosystems missing from the database become
/// notices.
fn open_database(
    args: &DepsArgs,
    needed: &BTreeSet<Ecosystem>,
    pinned: &[Package],
    notices: &mut Vec<Notice>,
) -> anyhow::Result<Database> {
    let explicit = args.db.is_some();
    let dir = db::db_dir(args.db.as_deref());
    let mut status = store::status(&dir)
        .with_context(|| format!("reading the vulnerability database {}", dir.display()))?;
    if status.is_empty() {
        if args.offline {
            anyhow::bail!(
                "no vulnerability database in {} (--offline: nothing is downloaded); {}",
                dir.display(),
                db::setup_commands(&dir, explicit)
            );
        }
        let wanted: Vec<Ecosystem> = needed.iter().copied().collect();
        if !args.out.quiet {
            eprintln!(
                "secops: no vulnerability database in {}; downloading {} from {} (once: \
                 `secops db update` refreshes it)",
                dir.display(),
                wanted
                    .iter()
                    .map(|e| e.osv_name())
                    .collect::<Vec<_>>()
                    .join(", "),
                fetch::base_url(&fetch::UpdateOptions::default())
            );
        }
        let existed = dir.exists();
        let compact = |l: &String| l.split_whitespace().collect::<Vec<_>>().join(" ");
        let failure = match db::update_with_progress(&dir, &wanted, false, args.out.quiet) {
            Ok((lines, true)) => {
                if !args.out.quiet {
                    for l in &lines {
                        eprintln!("secops: {}", compact(l));
                    }
                }
                None
            }
            Ok((lines, false)) => Some(lines.iter().map(compact).collect::<Vec<_>>().join("; ")),
            Err(e) => Some(format!("{e:#}")),
        };
        if !existed {
            remove_empty_dirs(&dir, &wanted);
        }
        status = store::status(&dir)
            .with_context(|| format!("reading the vulnerability database {}", dir.display()))?;
        if status.is_empty() {
            anyhow::bail!(
                "no vulnerability database in {} and the download failed ({}); {}",
                dir.display(),
                failure.unwrap_or_else(|| "nothing was installed".into()),
                db::setup_commands(&dir, explicit)
            );
        }
        if let Some(f) = failure {
            notices.push(Notice::new(
                NoticeKind::Database,
                None,
                format!("part of the database download failed: {f}"),
            ));
        }
    }
    let db_flag = if explicit {
        format!(" --db {}", dir.display())
    } else {
        String::new()
    };
    if fetch::is_stale(&status, STALE_AFTER) {
        let age = status.oldest_age().map_or("?".into(), db::human_age);
        notices.push(Notice::new(
            NoticeKind::Database,
            None,
            format!(
                "the vulnerability database in {} was last updated {age} ago (over {} days): \
                 recent advisories may be missing; run `secops db update{db_flag}`",
                dir.display(),
                STALE_AFTER.as_secs() / 86_400
            ),
        ));
    }
    for w in &status.warnings {
        notices.push(Notice::new(NoticeKind::Database, None, w.clone()));
    }
    let present: Vec<Ecosystem> = status.ecosystems.iter().map(|e| e.ecosystem).collect();
    let db = if writable(&dir, &present) {
        Database::open(&dir)
    } else {
        Database::open_read_only(&dir)
    }
    .with_context(|| format!("opening the vulnerability database {}", dir.display()))?;
    let have = db.ecosystems();
    for eco in needed.iter().filter(|e| !have.contains(e)) {
        let n = pinned.iter().filter(|p| p.ecosystem == *eco).count();
        notices.push(Notice::new(
            NoticeKind::Unchecked,
            None,
            format!(
                "the database in {} has no {eco} advisories: {n} {eco} package{} not checked; \
                 run `secops db update --ecosystem {eco}{db_flag}`",
                dir.display(),
                if n == 1 { "" } else { "s" },
            ),
        ));
    }
    Ok(db)
}

/// After a failed first download, remove the folders it created if they stayed empty
/// (`remove_dir` never removes a folder with anything in it).
fn remove_empty_dirs(dir: &Path, ecosystems: &[Ecosystem]) {
    for e in ecosystems {
        let _ = std::fs::remove_dir(dir.join(e.osv_name()));
    }
    let _ = std::fs::remove_dir(dir);
}

/// Match every pinned package (each distinct ecosystem/name/version once, in parallel).
/// Returns the affected packages with their matches, in package order.
fn query_all<'p>(
    db: &Database,
    pinned: &'p [Package],
    notices: &mut Vec<Notice>,
) -> Vec<(&'p Package, Vec<VulnMatch>)> {
    let mut first: HashMap<(Ecosystem, &str, &str), usize> = HashMap::new();
    for (i, p) in pinned.iter().enumerate() {
        first
            .entry((p.ecosystem, p.name.as_str(), p.version.as_str()))
            .or_insert(i);
    }
    let mut reps: Vec<usize> = first.values().copied().collect();
    reps.sort_unstable();
    let answers: HashMap<(Ecosystem, &str, &str), Result<Vec<VulnMatch>, String>> = reps
        .par_iter()
        .filter_map(|&i| pinned.get(i))
        .map(|p| {
            let key = (p.ecosystem, p.name.as_str(), p.version.as_str());
            (key, db.try_query(p).map_err(|e| e.to_string()))
        })
        .collect();
    let mut out = Vec::new();
    let mut reported: HashSet<(Ecosystem, &str, &str)> = HashSet::new();
    for p in pinned {
        let key = (p.ecosystem, p.name.as_str(), p.version.as_str());
        match answers.get(&key) {
            Some(Ok(ms)) if !ms.is_empty() => out.push((p, ms.clone())),
            Some(Err(e)) if reported.insert(key) => notices.push(Notice::new(
                NoticeKind::Unchecked,
                Some(p.file.clone()),
                format!("{} {} {}: not checked: {e}", p.ecosystem, p.name, p.version),
            )),
            _ => {}
        }
    }
    out
}

/// The first paragraph of each matched advisory's `details`, read back from the zips (the index
/// keeps only what matching needs). Keyed by the match's primary id; the primary record is
/// preferred, then the other grouped records in id order.
fn advisory_texts(dir: &Path, matches: &[(&Package, Vec<VulnMatch>)]) -> HashMap<String, String> {
    let mut wanted: BTreeMap<Ecosystem, BTreeSet<&str>> = BTreeMap::new();
    for (pkg, ms) in matches {
        let ids = wanted.entry(pkg.ecosystem).or_default();
        for m in ms {
            ids.extend(m.record_ids.iter().map(String::as_str));
        }
    }
    let mut details: HashMap<&str, String> = HashMap::new();
    for (eco, ids) in &wanted {
        details.extend(read_details(&store::zip_path(dir, *eco), ids));
    }
    let mut out = HashMap::new();
    for (_, ms) in matches {
        for m in ms {
            let candidates = std::iter::once(m.id.as_str()).chain(
                m.record_ids
                    .iter()
                    .map(String::as_str)
                    .filter(|r| *r != m.id),
            );
            if let Some(text) = candidates.filter_map(|id| details.get(id)).next() {
                out.insert(m.id.clone(), text.clone());
            }
        }
    }
    out
}

/// First `details` paragraph of the records `ids` in `zip` (entries `<id>.json`). Records that
/// are missing or unreadable are left out: the help then falls back to the summary.
fn read_details<'a>(zip: &Path, ids: &BTreeSet<&'a str>) -> Vec<(&'a str, String)> {
    let Ok(file) = std::fs::File::open(zip) else {
        return Vec::new();
    };
    let Ok(mut archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for id in ids {
        let Ok(entry) = archive.by_name(&format!("{id}.json")) else {
            continue;
        };
        let mut bytes = Vec::new();
        if entry
            .take(MAX_RECORD_BYTES)
            .read_to_end(&mut bytes)
            .is_err()
        {
            continue;
        }
        if let Ok(rec) = Vulnerability::from_json(&bytes) {
            let para = first_paragraph(&rec.details);
            if !para.is_empty() {
                out.push((*id, para));
            }
        }
    }
    out
}

/// The first paragraph of a Markdown text, its lines joined, cut at [`MAX_HELP_CHARS`].
fn first_paragraph(text: &str) -> String {
    let para = text
        .trim()
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or("");
    let joined = para.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    if joined.chars().count() > MAX_HELP_CHARS {
        let cut: String = joined.chars().take(MAX_HELP_CHARS).collect();
        format!("{}…", cut.trim_end())
    } else {
        joined
    }
}

// ---------------------------------------------------------------------------------------------
// Findings and rules

/// `smallvec 0.6.9 has RUSTSEC-2019-0009 (CVE-2019-15551): <summary>; fixed in 0.6.10; upgrade
/// to 0.6.14`.
fn message(pkg: &Package, m: &VulnMatch) -> String {
    let version = if pkg.version.is_empty() {
        "(unknown version)"
    } else {
        pkg.version.as_str()
    };
    let mut s = format!("{} {version} has {}", pkg.name, m.id);
    if !m.aliases.is_empty() {
        const SHOWN: usize = 3;
        let mut list = m
            .aliases
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if m.aliases.len() > SHOWN {
            list.push_str(&format!(", +{} more", m.aliases.len() - SHOWN));
        }
        s.push_str(&format!(" ({list})"));
    }
    if !m.summary.trim().is_empty() {
        s.push_str(&format!(": {}", m.summary.trim()));
    }
    if m.fixed_versions.is_empty() {
        s.push_str("; no fixed version known");
    } else {
        s.push_str(&format!("; fixed in {}", m.fixed_versions.join(", ")));
    }
    match &m.minimal_upgrade {
        Some(u) => s.push_str(&format!("; upgrade to {u}")),
        None if !m.fixed_versions.is_empty() => {
            s.push_str("; no single upgrade fixes every known advisory of this package")
        }
        None => {}
    }
    s
}

fn vuln_finding(pkg: &Package, m: &VulnMatch) -> Finding {
    Finding {
        rule_id: m.id.clone(),
        kind: FindingKind::Vulnerability,
        severity: m.severity,
        // An unknown version is matched against every advisory of the package.
        confidence: if pkg.version.is_empty() {
            Confidence::Low
        } else {
            Confidence::High
        },
        message: message(pkg, m),
        location: Location::new(pkg.file.clone(), pkg.line, 1),
        fingerprint: fingerprint(
            &m.id,
            &pkg.file,
            format!("{}@{}", pkg.name, pkg.version).as_bytes(),
        ),
        details: Details::Vulnerability(VulnDetails {
            ecosystem: pkg.ecosystem.osv_name().to_string(),
            package: pkg.name.clone(),
            version: pkg.version.clone(),
            id: m.id.clone(),
            aliases: m.aliases.clone(),
            summary: m.summary.clone(),
            cvss_score: m.cvss_score,
            cvss_vector: m.cvss_vector.clone(),
            fixed_versions: m.fixed_versions.clone(),
            minimal_upgrade: m.minimal_upgrade.clone(),
            group: pkg.group.as_str().to_string(),
            pinned: pkg.pinned,
        }),
    }
}

/// The page of an advisory on osv.dev.
pub fn osv_url(id: &str) -> String {
    format!("https://osv.dev/vulnerability/{id}")
}

fn rule_meta(m: &VulnMatch, details: Option<&str>) -> RuleMeta {
    let title = if m.summary.trim().is_empty() {
        format!("Known vulnerability {}", m.id)
    } else {
        m.summary.trim().to_string()
    };
    let mut help = details.unwrap_or(title.as_str()).to_string();
    if !m.aliases.is_empty() {
        help.push_str(&format!("\n\nAlso known as: {}.", m.aliases.join(", ")));
    }
    help.push_str(&format!("\n\nAdvisory: <{}>.", osv_url(&m.id)));
    RuleMeta {
        id: m.id.clone(),
        kind: FindingKind::Vulnerability,
        title,
        help,
        severity: m.severity,
        cwe: Vec::new(),
        // OWASP Top 10 2021 A06: Vulnerable and Outdated Components.
        owasp: vec!["A06:2021".into()],
        tags: vec!["dependency".into()],
    }
}

/// One rule per advisory id, at the highest severity any of its matches had.
fn merge_rules(rules: Vec<RuleMeta>) -> Vec<RuleMeta> {
    let mut by_id: BTreeMap<String, RuleMeta> = BTreeMap::new();
    for r in rules {
        match by_id.get_mut(&r.id) {
            Some(prev) if prev.severity < r.severity => *prev = r,
            Some(_) => {}
            None => {
                by_id.insert(r.id.clone(), r);
            }
        }
    }
    by_id.into_values().collect()
}

// ---------------------------------------------------------------------------------------------
// Ignores

/// The `[deps]` ignore entries still in force.
struct Ignores<'c> {
    vulns: Vec<&'c IgnoreVuln>,
    packages: Vec<(Ecosystem, &'c IgnorePackage)>,
    /// The config file, for notices.
    origin: String,
}

impl<'c> Ignores<'c> {
    /// Entries of `config` in force on `today`; expired ones become warnings.
    fn new(config: &'c Config, today: &str, notices: &mut Vec<Notice>) -> anyhow::Result<Self> {
        let origin = config
            .source
            .as_deref()
            .map_or_else(|| ".secops.toml".to_string(), |p| p.display().to_string());
        let mut expired = |what: String, until: &str, reason: Option<&str>| {
            notices.push(Notice::new(
                NoticeKind::Config,
                Some(origin.clone()),
                format!(
                    "{what} expired on {until} and no longer applies{}: matching findings are \
                     reported again",
                    reason
                        .map(|r| format!(" (reason was: {r})"))
                        .unwrap_or_default()
                ),
            ));
        };
        let mut vulns = Vec::new();
        for i in &config.deps.ignore {
            match i.until.as_deref() {
                Some(u) if is_expired(u, today) => expired(
                    format!("[[deps.ignore]] id = \"{}\"", i.id),
                    u,
                    i.reason.as_deref(),
                ),
                _ => vulns.push(i),
            }
        }
        let mut packages = Vec::new();
        for i in &config.deps.ignore_package {
            let eco = parse_ecosystem(&i.ecosystem).map_err(|e| {
                anyhow::anyhow!(
                    "{origin}: [[deps.ignore_package]] name = \"{}\": {e}",
                    i.name
                )
            })?;
            match i.until.as_deref() {
                Some(u) if is_expired(u, today) => expired(
                    format!(
                        "[[deps.ignore_package]] {eco} {}{}",
                        i.name,
                        i.version
                            .as_deref()
                            .map(|v| format!(" {v}"))
                            .unwrap_or_default()
                    ),
                    u,
                    i.reason.as_deref(),
                ),
                _ => packages.push((eco, i)),
            }
        }
        Ok(Ignores {
            vulns,
            packages,
            origin,
        })
    }

    /// Why `d` is ignored, if it is.
    fn why(&self, d: &VulnDetails) -> Option<String> {
        let ids = || std::iter::once(&d.id).chain(d.aliases.iter());
        let describe = |entry: String, reason: Option<&str>, until: Option<&str>| {
            let mut s = format!("ignored by {entry} in {}", self.origin);
            if let Some(u) = until {
                s.push_str(&format!(" until {u}"));
            }
            s.push_str(&format!(": {}", reason.unwrap_or("no reason given")));
            s
        };
        if let Some(i) = self
            .vulns
            .iter()
            .find(|i| ids().any(|id| id.eq_ignore_ascii_case(i.id.trim())))
        {
            return Some(describe(
                format!("[[deps.ignore]] id = \"{}\"", i.id),
                i.reason.as_deref(),
                i.until.as_deref(),
            ));
        }
        let eco = Ecosystem::from_osv_name(&d.ecosystem)?;
        let key = eco.normalize_name(&d.package);
        let (_, i) = self.packages.iter().find(|(e, i)| {
            *e == eco
                && eco.normalize_name(i.name.trim()) == key
                && i.version.as_deref().is_none_or(|v| v.trim() == d.version)
        })?;
        Some(describe(
            format!("[[deps.ignore_package]] {eco} {}", i.name),
            i.reason.as_deref(),
            i.until.as_deref(),
        ))
    }

    /// Drop ignored findings, with one `ignored` notice each; returns how many were dropped.
    fn apply(&self, findings: &mut Vec<Finding>, notices: &mut Vec<Notice>) -> u64 {
        if self.vulns.is_empty() && self.packages.is_empty() {
            return 0;
        }
        let before = findings.len();
        findings.retain(|f| {
            let Details::Vulnerability(d) = &f.details else {
                return true;
            };
            match self.why(d) {
                Some(why) => {
                    notices.push(Notice::new(
                        NoticeKind::Ignored,
                        Some(f.location.path.clone()),
                        format!("{} in {} {}: {why}", d.id, d.package, d.version),
                    ));
                    false
                }
                None => true,
            }
        });
        (before - findings.len()) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secops_core::Severity;
    use std::path::Path;

    fn pkg(name: &str, version: &str, file: &str, line: usize) -> Package {
        Package {
            ecosystem: Ecosystem::CratesIo,
            name: name.into(),
            version: version.into(),
            pinned: true,
            group: DepGroup::Prod,
            file: file.into(),
            line,
        }
    }

    fn vuln(id: &str, aliases: &[&str]) -> VulnMatch {
        VulnMatch {
            id: id.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            record_ids: vec![id.into()],
            summary: "Bad things".into(),
            cvss_score: Some(9.8),
            cvss_vector: Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into()),
            severity: Severity::Critical,
            fixed_versions: vec!["1.0.1".into(), "1.1.0".into()],
            minimal_upgrade: Some("1.1.0".into()),
        }
    }

    #[test]
    fn message_names_everything() {
        let m = vuln(
            "RUSTSEC-2020-0001",
            &["CVE-2020-1", "GHSA-a", "GHSA-b", "OSV-c"],
        );
        assert_eq!(
            message(&pkg("demo", "1.0.0", "Cargo.lock", 3), &m),
            "demo 1.0.0 has RUSTSEC-2020-0001 (CVE-2020-1, GHSA-a, GHSA-b, +1 more): Bad \
             things; fixed in 1.0.1, 1.1.0; upgrade to 1.1.0"
        );
        let mut bare = vuln("X-1", &[]);
        bare.fixed_versions.clear();
        bare.minimal_upgrade = None;
        assert_eq!(
            message(&pkg("demo", "1.0.0", "Cargo.lock", 3), &bare),
            "demo 1.0.0 has X-1: Bad things; no fixed version known"
        );
    }

    #[test]
    fn superseded_files() {
        let p = |n: &str| parser_for(n).unwrap();
        let files = [
            ("a/pyproject.toml", p("pyproject.toml")),
            ("a/poetry.lock", p("poetry.lock")),
            ("b/pyproject.toml", p("pyproject.toml")),
            ("b/package-lock.json", p("package-lock.json")),
            ("c/package-lock.json", p("package-lock.json")),
            ("c/npm-shrinkwrap.json", p("npm-shrinkwrap.json")),
            ("go.sum", p("go.sum")),
            ("go.mod", p("go.mod")),
        ];
        let drop = superseded(&files);
        let mut drop: Vec<&str> = drop.iter().map(String::as_str).collect();
        drop.sort_unstable();
        assert_eq!(drop, ["a/pyproject.toml", "c/package-lock.json", "go.sum"]);
    }

    #[test]
    fn dedupe_keeps_the_first_line_per_file() {
        let out = dedupe(vec![
            pkg("a", "1.0.0", "x/Cargo.lock", 9),
            pkg("a", "1.0.0", "x/Cargo.lock", 4),
            pkg("a", "1.0.0", "y/Cargo.lock", 4),
            pkg("a", "1.0.1", "x/Cargo.lock", 12),
        ]);
        let got: Vec<(&str, usize, &str)> = out
            .iter()
            .map(|p| (p.file.as_str(), p.line, p.version.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("x/Cargo.lock", 4, "1.0.0"),
                ("x/Cargo.lock", 12, "1.0.1"),
                ("y/Cargo.lock", 4, "1.0.0")
            ]
        );
    }

    #[test]
    fn paragraphs() {
        assert_eq!(first_paragraph("\n  One\n two.\n\nThree."), "One two.");
        assert_eq!(first_paragraph(""), "");
        let long = "x".repeat(MAX_HELP_CHARS + 10);
        assert_eq!(first_paragraph(&long).chars().count(), MAX_HELP_CHARS + 1);
    }

    #[test]
    fn ignores_by_alias_package_and_expiry() {
        let cfg = Config::parse(
            r#"
[[deps.ignore]]
id = "cve-2020-1"
reason = "not reachable"
until = "2030-01-01"
[[deps.ignore]]
id = "X-OLD"
until = "2020-01-01"
[[deps.ignore_package]]
ecosystem = "crates.io"
name = "other"
version = "2.0.0"
"#,
            Path::new(".secops.toml"),
        )
        .unwrap();
        let mut notices = Vec::new();
        let ig = Ignores::new(&cfg, "2026-06-01", &mut notices).unwrap();
        assert_eq!(notices.len(), 1);
        assert!(notices[0].message.contains("X-OLD"), "{notices:?}");
        let mut findings = vec![
            vuln_finding(
                &pkg("demo", "1.0.0", "Cargo.lock", 3),
                &vuln("RUSTSEC-1", &["CVE-2020-1"]),
            ),
            vuln_finding(&pkg("demo", "1.0.0", "Cargo.lock", 3), &vuln("X-OLD", &[])),
            vuln_finding(&pkg("other", "2.0.0", "Cargo.lock", 9), &vuln("Y-1", &[])),
            vuln_finding(&pkg("other", "2.0.1", "Cargo.lock", 12), &vuln("Y-1", &[])),
        ];
        let mut notices = Vec::new();
        assert_eq!(ig.apply(&mut findings, &mut notices), 2);
        let left: Vec<(&str, &str)> = findings
            .iter()
            .map(|f| match &f.details {
                Details::Vulnerability(d) => (d.id.as_str(), d.version.as_str()),
                _ => ("", ""),
            })
            .collect();
        assert_eq!(left, [("X-OLD", "1.0.0"), ("Y-1", "2.0.1")]);
        assert!(notices[0].message.contains("not reachable"), "{notices:?}");
    }

    #[test]
    fn unknown_ignore_ecosystem_is_an_error() {
        let cfg = Config::parse(
            "[[deps.ignore_package]]\necosystem = \"debian\"\nname = \"x\"\n",
            Path::new(".secops.toml"),
        )
        .unwrap();
        let err = Ignores::new(&cfg, "2026-01-01", &mut Vec::new())
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("unknown ecosystem"), "{err}");
    }
}
