//! `secops db`: the local OSV vulnerability database (`update`, `import`, `status`).
//!
//! The download and import logic lives in `secops_deps::osv`; this module picks the folder,
//! shows progress on a terminal and prints what happened.

use crate::cli::{DbCommand, DbFormat, DbUpdateArgs};
use crate::exit;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use secops_core::walk::human_bytes;
use secops_deps::osv::fetch::{self, Progress as FetchEvent, UpdateOptions, UpdateOutcome};
use secops_deps::osv::store::{self, DbStatus, EcosystemStatus, TimeSource};
use secops_deps::Ecosystem;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database folder: `--db` when given, else [`store::default_db_dir`].
pub fn db_dir(arg: Option<&Path>) -> PathBuf {
    arg.map_or_else(store::default_db_dir, Path::to_path_buf)
}

/// The commands that create a database, spelled for the folder in use (`--db` shown only when
/// it was given).
pub fn setup_commands(dir: &Path, explicit: bool) -> String {
    let db = if explicit {
        format!(" --db {}", shell_quote(&dir.display().to_string()))
    } else {
        String::new()
    };
    format!(
        "run `secops db update{db}` to download it from osv.dev, or `secops db import PATH{db}` \
         to install a zip or folder of OSV exports (for example a copy of \
         https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip)"
    )
}

/// Quote a path for a shell command line when it needs it.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:=@,".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

pub fn run(cmd: &DbCommand) -> anyhow::Result<u8> {
    match cmd {
        DbCommand::Update(args) => update_cmd(args),
        DbCommand::Import { path, db } => import_cmd(path, db.as_deref()),
        DbCommand::Status { db, format, json } => {
            let format = if *json { DbFormat::Json } else { *format };
            status_cmd(db.as_deref(), format)
        }
    }
}

/// A download progress bar on standard error, shown only on a terminal and not with --quiet.
struct DownloadBar {
    bar: Option<ProgressBar>,
}

impl DownloadBar {
    fn new(quiet: bool) -> DownloadBar {
        let show = !quiet && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template(
                    "{prefix:>10} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        DownloadBar { bar }
    }

    fn event(&self, ev: &FetchEvent) {
        let Some(b) = &self.bar else { return };
        match ev {
            FetchEvent::Started { ecosystem, .. } => {
                b.reset();
                b.set_length(0);
                b.set_prefix(ecosystem.osv_name());
                b.set_message("connecting");
            }
            FetchEvent::Downloading { done, total, .. } => {
                b.set_length(total.unwrap_or(*done).max(*done));
                b.set_position(*done);
                b.set_message("");
            }
            FetchEvent::Verifying { .. } => b.set_message("verifying"),
            FetchEvent::Finished {
                ecosystem, outcome, ..
            } => b.println(outcome_line(
                *ecosystem,
                outcome.as_ref().map_err(|e| e.as_str()),
            )),
            FetchEvent::Indexing => {
                b.set_prefix("index");
                b.set_message("building the index");
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// One line about one ecosystem's update.
fn outcome_line(eco: Ecosystem, outcome: Result<&UpdateOutcome, &str>) -> String {
    match outcome {
        Ok(UpdateOutcome::Unchanged) => {
            format!("{:<10} unchanged (already current)", eco.osv_name())
        }
        Ok(UpdateOutcome::Updated { bytes, advisories }) => format!(
            "{:<10} updated: {advisories} advisories, {}",
            eco.osv_name(),
            human_bytes(*bytes)
        ),
        Err(e) => format!("{:<10} FAILED: {e}", eco.osv_name()),
    }
}

/// Download `ecosystems` (all when empty) into `dir` with a progress bar on a terminal.
/// Returns one line per ecosystem and whether every one succeeded; an error when nothing
/// could be done at all (the folder cannot be created, the index cannot be built).
pub fn update_with_progress(
    dir: &Path,
    ecosystems: &[Ecosystem],
    force: bool,
    quiet: bool,
) -> anyhow::Result<(Vec<String>, bool)> {
    let bar = DownloadBar::new(quiet);
    let opts = UpdateOptions {
        force,
        ..UpdateOptions::default()
    };
    let report = fetch::update(dir, ecosystems, &opts, &mut |ev| bar.event(&ev));
    bar.finish();
    let report = report.with_context(|| format!("updating the database in {}", dir.display()))?;
    let lines = report
        .results
        .iter()
        .map(|r| match &r.result {
            Ok(o) => outcome_line(r.ecosystem, Ok(o)),
            Err(e) => outcome_line(r.ecosystem, Err(&e.to_string())),
        })
        .collect();
    Ok((lines, report.is_success()))
}

fn update_cmd(args: &DbUpdateArgs) -> anyhow::Result<u8> {
    let dir = db_dir(args.db.as_deref());
    let (lines, ok) = update_with_progress(&dir, &args.ecosystem, args.force, args.quiet)?;
    for l in &lines {
        println!("{l}");
    }
    println!("database: {}", dir.display());
    if ok {
        Ok(exit::CLEAN)
    } else {
        eprintln!(
            "secops: error: some downloads failed (see above); the copies already installed are \
             unchanged. Retry, or use `secops db import PATH` on a machine without access."
        );
        Ok(exit::TOOL_ERROR)
    }
}

fn import_cmd(src: &Path, db: Option<&Path>) -> anyhow::Result<u8> {
    let dir = db_dir(db);
    let report = store::import(src, &dir)
        .with_context(|| format!("importing {} into {}", src.display(), dir.display()))?;
    for e in &report.ecosystems {
        println!(
            "{:<10} imported: {} advisories, {}",
            e.ecosystem.osv_name(),
            e.advisories,
            human_bytes(e.bytes)
        );
    }
    for s in &report.skipped {
        println!("skipped: {s}");
    }
    println!(
        "index: {} advisories over {} packages\ndatabase: {}",
        report.index.advisories,
        report.index.packages,
        dir.display()
    );
    Ok(exit::CLEAN)
}

fn status_cmd(db: Option<&Path>, format: DbFormat) -> anyhow::Result<u8> {
    let dir = db_dir(db);
    let st = store::status(&dir).with_context(|| format!("reading {}", dir.display()))?;
    let text = match format {
        DbFormat::Json => {
            let mut s = serde_json::to_string_pretty(&status_json(&st, db.is_some()))?;
            s.push('\n');
            s
        }
        DbFormat::Text => status_text(&st, db.is_some()),
    };
    print!("{text}");
    Ok(exit::CLEAN)
}

/// `2026-01-02T03:04:05Z`.
fn rfc3339(t: time::OffsetDateTime) -> Option<String> {
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

fn time_source(t: TimeSource) -> &'static str {
    match t {
        TimeSource::Metadata => "metadata",
        TimeSource::FileMtime => "file-mtime",
        TimeSource::Unknown => "unknown",
    }
}

/// `3 days`, `5 hours`, `12 minutes`.
pub fn human_age(d: Duration) -> String {
    let s = d.as_secs();
    let (n, unit) = if s >= 2 * 86_400 {
        (s / 86_400, "days")
    } else if s >= 2 * 3_600 {
        (s / 3_600, "hours")
    } else if s >= 120 {
        (s / 60, "minutes")
    } else {
        return "just now".into();
    };
    format!("{n} {unit}")
}

fn ecosystem_json(e: &EcosystemStatus) -> Value {
    let stale = e.age.is_some_and(|a| a > fetch::STALE_AFTER);
    json!({
        "ecosystem": e.ecosystem.osv_name(),
        "path": e.path.display().to_string(),
        "bytes": e.bytes,
        "advisories": e.advisories,
        "updated_at": e.updated_at.and_then(rfc3339),
        "updated_from": time_source(e.updated_from),
        "age_seconds": e.age.map(|a| a.as_secs()),
        "stale": stale,
        "source": e.meta.as_ref().map(|m| m.source.clone()),
        "problem": e.problem,
    })
}

fn status_json(st: &DbStatus, explicit: bool) -> Value {
    let total: usize = st.ecosystems.iter().filter_map(|e| e.advisories).sum();
    let mut v = json!({
        "dir": st.dir.display().to_string(),
        "empty": st.is_empty(),
        "stale": fetch::is_stale(st, fetch::STALE_AFTER),
        "stale_after_days": fetch::STALE_AFTER.as_secs() / 86_400,
        "advisories": total,
        "oldest_age_seconds": st.oldest_age().map(|a| a.as_secs()),
        "ecosystems": st.ecosystems.iter().map(ecosystem_json).collect::<Vec<_>>(),
        "warnings": st.warnings,
    });
    if st.is_empty() {
        v["hint"] = json!(setup_commands(&st.dir, explicit));
    }
    v
}

fn status_text(st: &DbStatus, explicit: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "database: {}", st.dir.display());
    if st.is_empty() {
        let _ = writeln!(
            out,
            "no vulnerability data installed; {}",
            setup_commands(&st.dir, explicit)
        );
        for w in &st.warnings {
            let _ = writeln!(out, "warning: {w}");
        }
        return out;
    }
    let rows: Vec<[String; 5]> = st
        .ecosystems
        .iter()
        .map(|e| {
            [
                e.ecosystem.osv_name().to_string(),
                e.advisories.map_or("?".into(), |n| n.to_string()),
                human_bytes(e.bytes),
                e.age.map_or("unknown".into(), human_age),
                e.problem.clone().unwrap_or_else(|| {
                    e.meta
                        .as_ref()
                        .map_or_else(String::new, |m| m.source.clone())
                }),
            ]
        })
        .collect();
    let header = ["ECOSYSTEM", "ADVISORIES", "SIZE", "AGE", "SOURCE / PROBLEM"];
    out.push_str(&crate::report::text::table(&header, &rows));
    let total: usize = st.ecosystems.iter().filter_map(|e| e.advisories).sum();
    let _ = writeln!(out, "{total} advisories");
    if fetch::is_stale(st, fetch::STALE_AFTER) {
        let _ = writeln!(
            out,
            "warning: older than {} days; run `secops db update{}`",
            fetch::STALE_AFTER.as_secs() / 86_400,
            if explicit {
                format!(" --db {}", shell_quote(&st.dir.display().to_string()))
            } else {
                String::new()
            }
        );
    }
    for w in &st.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_quotes() {
        assert_eq!(human_age(Duration::from_secs(30)), "just now");
        assert_eq!(human_age(Duration::from_secs(3 * 60)), "3 minutes");
        assert_eq!(human_age(Duration::from_secs(5 * 3600)), "5 hours");
        assert_eq!(human_age(Duration::from_secs(9 * 86_400 + 5)), "9 days");
        assert_eq!(shell_quote("/a/b-c"), "/a/b-c");
        assert_eq!(shell_quote("/a b/it's"), r"'/a b/it'\''s'");
    }

    #[test]
    fn commands_name_the_folder_only_when_given() {
        let d = Path::new("/tmp/my db");
        assert!(setup_commands(d, true).contains("secops db update --db '/tmp/my db'"));
        assert!(setup_commands(d, false).contains("`secops db update`"));
        assert!(setup_commands(d, false).contains("`secops db import PATH`"));
    }
}
