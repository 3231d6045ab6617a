//! `secops-corpus`: write the labelled accuracy corpus or a benchmark tree to disk.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "secops-corpus",
    version,
    about = "Labelled secret-detection corpus and benchmark-tree generator for secops"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write the labelled corpus to OUT/corpus and its labels to OUT/labels.json.
    Gen {
        /// Output directory (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// RNG seed: the same seed always gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Instances per credential type per context.
        #[arg(long, default_value_t = 1)]
        copies: usize,
    },
    /// Write a large mixed source tree for throughput benchmarks.
    BenchTree {
        /// Output directory (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Approximate total size: a number with an optional unit (B, KB, MB, GB = powers of
        /// 1000; K, M, G, KiB, MiB, GiB = powers of 1024).
        #[arg(long, default_value = "200MB", value_parser = parse_size)]
        size: u64,
        /// RNG seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write large lockfiles (Cargo.lock, package-lock.json, poetry.lock, go.mod) whose package
    /// names come from an OSV snapshot, for the `secops deps` benchmark.
    DepsTree {
        /// Output directory (created if missing): OUT/rust, OUT/node, OUT/python, OUT/go.
        #[arg(long)]
        out: PathBuf,
        /// OSV snapshot in osv.dev's export layout (`<Ecosystem>/all.zip`).
        #[arg(long)]
        osv: PathBuf,
        /// RNG seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Packages in rust/Cargo.lock.
        #[arg(long, default_value_t = 15_000)]
        cargo: usize,
        /// Packages in node/package-lock.json.
        #[arg(long, default_value_t = 5_000)]
        npm: usize,
        /// Packages in python/poetry.lock.
        #[arg(long, default_value_t = 1_000)]
        poetry: usize,
        /// Modules in go/go.mod.
        #[arg(long, default_value_t = 2_000)]
        go: usize,
    },
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("invalid size {s:?}: expected a number with an optional unit"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "k" | "kib" => 1024.0,
        "m" | "mib" => 1024.0 * 1024.0,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("invalid size unit {other:?} in {s:?}")),
    };
    Ok((n * mult) as u64)
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.cmd {
        Cmd::Gen { out, seed, copies } => {
            let files = secops_corpus::generate(seed, copies);
            let root = out.join("corpus");
            secops_corpus::write_tree(&root, &files)
                .map_err(|e| format!("writing {}: {e}", root.display()))?;
            let labels = secops_corpus::labels_json(&files, seed, copies, "corpus");
            let text = serde_json::to_string_pretty(&labels)
                .map_err(|e| format!("serialising labels: {e}"))?;
            let lp = out.join("labels.json");
            std::fs::write(&lp, text).map_err(|e| format!("writing {}: {e}", lp.display()))?;
            let s = secops_corpus::stats(&files);
            println!(
                "wrote {} files ({} with secrets, {} negative), {} positives over {} labels, {} bytes to {}; labels in {}",
                s.files,
                s.positive_files,
                s.negative_files,
                s.positives,
                s.labels,
                s.bytes,
                root.display(),
                lp.display()
            );
            Ok(())
        }
        Cmd::BenchTree { out, size, seed } => {
            let s = secops_corpus::write_bench_tree(&out, size, seed)
                .map_err(|e| format!("writing {}: {e}", out.display()))?;
            println!(
                "wrote {} files in {} directories, {} bytes ({} files with {} secrets, {} hard-negative files) to {}",
                s.files,
                s.dirs,
                s.bytes,
                s.secret_files,
                s.secrets,
                s.negative_files,
                out.display()
            );
            Ok(())
        }
        Cmd::DepsTree {
            out,
            osv,
            seed,
            cargo,
            npm,
            poetry,
            go,
        } => {
            use secops_corpus::deps;
            let snapshot =
                deps::load_osv_seed(&osv).map_err(|e| format!("reading {}: {e}", osv.display()))?;
            let spec = deps::DepsTreeSpec {
                cargo,
                npm,
                poetry,
                go,
            };
            let stats = deps::write_deps_tree(&out, &snapshot, &spec, seed)
                .map_err(|e| format!("writing {}: {e}", out.display()))?;
            for f in &stats.files {
                println!(
                    "{:<24} {:>9} {:>6} packages ({} named by OSV), {} bytes",
                    f.path, f.ecosystem, f.packages, f.osv_packages, f.bytes
                );
            }
            println!("wrote {} lockfiles to {}", stats.files.len(), out.display());
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("secops-corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("200MB"), Ok(200_000_000));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("2M"), Ok(2 << 20));
        assert!(parse_size("abc").is_err());
        assert!(parse_size("10XB").is_err());
    }
}
