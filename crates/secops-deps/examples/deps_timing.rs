//! Library-level timings of `secops deps`, to cross-check the CLI benchmark (bench/deps.sh).
//!
//! ```text
//! cargo run --release -p secops-deps --example deps_timing -- \
//!     [--import SRC] [--rebuild] --db DIR LOCKFILE...
//! ```
//!
//! - `--import SRC`: first import an OSV snapshot (`<Ecosystem>/all.zip` layout) into DIR with
//!   [`store::import`], which also builds the compact index (timed).
//! - `--rebuild`: rebuild the index of DIR with [`index::build_index`] (timed).
//! - `--list`: also print every finding as `ecosystem name version id record-ids...` (to
//!   compare with another tool's output).
//!
//! Then it opens the database ([`Database::open`]: reads the index files), parses every lockfile
//! with its parser ([`parser_for`]), and queries every package, once on one thread and once
//! with rayon. It prints one line per step in milliseconds, and the package and finding counts.

use rayon::prelude::*;
use secops_deps::lockfile::{parser_for, Input};
use secops_deps::osv::index::{self, Database};
use secops_deps::osv::store;
use secops_deps::Package;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Command-line arguments.
struct Args {
    import: Option<PathBuf>,
    rebuild: bool,
    list: bool,
    db: PathBuf,
    files: Vec<PathBuf>,
}

const USAGE: &str = "usage: deps_timing [--import SRC] [--rebuild] [--list] --db DIR LOCKFILE...";

fn parse_args() -> Result<Args, String> {
    let mut import = None;
    let mut rebuild = false;
    let mut list = false;
    let mut db = None;
    let mut files = Vec::new();
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        match a.to_str() {
            Some("--import") => import = Some(PathBuf::from(it.next().ok_or(USAGE)?)),
            Some("--db") => db = Some(PathBuf::from(it.next().ok_or(USAGE)?)),
            Some("--rebuild") => rebuild = true,
            Some("--list") => list = true,
            Some("-h" | "--help") => return Err(USAGE.into()),
            _ => files.push(PathBuf::from(a)),
        }
    }
    Ok(Args {
        import,
        rebuild,
        list,
        db: db.ok_or(USAGE)?,
        files,
    })
}

/// Milliseconds since `t`.
fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Parse one lockfile with the parser its file name selects.
fn parse_file(path: &Path) -> Result<Vec<Package>, String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: no file name", path.display()))?;
    let parser = parser_for(name).ok_or_else(|| format!("{name}: no parser for this file"))?;
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rel = path.to_string_lossy();
    let root = path.parent().unwrap_or(Path::new("."));
    let parsed = parser
        .parse(&Input {
            root,
            path,
            rel_path: &rel,
            bytes: &bytes,
        })
        .map_err(|e| e.to_string())?;
    Ok(parsed.packages)
}

fn run(args: Args) -> Result<(), String> {
    if let Some(src) = &args.import {
        let t = Instant::now();
        let report = store::import(src, &args.db).map_err(|e| e.to_string())?;
        println!(
            "import+index  {:9.1} ms  ({} advisories, {} packages indexed)",
            ms(t),
            report.index.advisories,
            report.index.packages
        );
    }
    if args.rebuild {
        let t = Instant::now();
        let stats = index::build_index(&args.db).map_err(|e| e.to_string())?;
        println!(
            "index build   {:9.1} ms  ({} advisories, {} packages)",
            ms(t),
            stats.advisories,
            stats.packages
        );
    }

    let t = Instant::now();
    let db = Database::open(&args.db).map_err(|e| e.to_string())?;
    let load = ms(t);
    let ecos: Vec<String> = db
        .ecosystems()
        .iter()
        .map(|e| format!("{e}:{}", db.advisory_count(*e)))
        .collect();
    println!("db load       {load:9.1} ms  ({})", ecos.join(", "));

    let t = Instant::now();
    let mut packages = Vec::new();
    for f in &args.files {
        packages.extend(parse_file(f)?);
    }
    println!(
        "parse         {:9.1} ms  ({} packages from {} files)",
        ms(t),
        packages.len(),
        args.files.len()
    );

    let t = Instant::now();
    let serial: Vec<usize> = packages.iter().map(|p| db.query(p).len()).collect();
    let match_1 = ms(t);
    let t = Instant::now();
    let parallel: Vec<usize> = packages.par_iter().map(|p| db.query(p).len()).collect();
    let match_n = ms(t);
    if serial != parallel {
        return Err("serial and parallel matching disagree".into());
    }
    let vulnerable = serial.iter().filter(|n| **n > 0).count();
    let findings: usize = serial.iter().sum();
    println!(
        "match         {match_1:9.1} ms  1 thread; {match_n:.1} ms with {} threads \
         ({vulnerable} vulnerable packages, {findings} findings)",
        rayon::current_num_threads()
    );
    if args.list {
        for p in &packages {
            for m in db.query(p) {
                println!(
                    "{} {} {} {} {}",
                    p.ecosystem,
                    p.name,
                    p.version,
                    m.id,
                    m.record_ids.join(",")
                );
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("deps_timing: {e}");
            ExitCode::FAILURE
        }
    }
}
