//! Walk a directory, run the IaC checks on every file (library level: `iac::check`), print
//! counts and the time taken.
//!
//!   cargo run --release -p secops-comply --example iac_check -- DIR [--list] [--failed]
//!
//! `--list` prints every result (`path:line rule PASS|FAIL resource: message`), `--failed`
//! only the failures. The time covers walking, reading and checking.

use secops_comply::iac::{self, IacFile};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        let name = e.file_name();
        let name = name.to_string_lossy();
        if ft.is_dir() {
            if name == ".git" || name == ".terraform" || name == "node_modules" {
                continue;
            }
            walk(root, &p, out);
        } else if ft.is_file() {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: iac_check DIR [--list] [--failed]");
        std::process::exit(2);
    };
    let list = args.iter().any(|a| a == "--list");
    let failed_only = args.iter().any(|a| a == "--failed");
    let t0 = Instant::now();
    let root = Path::new(dir);
    let mut paths = Vec::new();
    walk(root, root, &mut paths);
    paths.sort();
    let contents: Vec<(String, Vec<u8>)> = paths
        .into_iter()
        .filter_map(|(rel, p)| std::fs::read(&p).ok().map(|b| (rel, b)))
        .collect();
    let t_read = t0.elapsed();
    let files: Vec<IacFile<'_>> = contents
        .iter()
        .map(|(rel, b)| IacFile {
            rel_path: rel,
            bytes: b,
        })
        .collect();
    let t1 = Instant::now();
    let out = iac::check(&files);
    let t_check = t1.elapsed();
    let total = t0.elapsed();

    if list || failed_only {
        for r in &out.results {
            if failed_only && r.passed {
                continue;
            }
            println!(
                "{}:{} {} {} {}: {}",
                r.path,
                r.line,
                r.rule_id,
                if r.passed { "PASS" } else { "FAIL" },
                r.resource,
                r.message
            );
        }
        for e in &out.errors {
            println!("ERROR {e}");
        }
    }
    let tf_files = files
        .iter()
        .filter(|f| iac::detect(f.rel_path, f.bytes) == Some(iac::IacKind::Terraform))
        .count();
    let failed = out.results.iter().filter(|r| !r.passed).count();
    eprintln!(
        "files {} (terraform {}), results {} (passed {}, failed {}), parse errors {}",
        files.len(),
        tf_files,
        out.results.len(),
        out.results.len() - failed,
        failed,
        out.errors.len()
    );
    eprintln!(
        "time: walk+read {:.3}s, check {:.3}s, total {:.3}s",
        t_read.as_secs_f64(),
        t_check.as_secs_f64(),
        total.as_secs_f64()
    );
}
