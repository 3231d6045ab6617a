//! secops-corpus: a deterministic, labelled corpus for measuring secret detection.
//!
//! [`generate`] builds, from a seed, a set of files in realistic contexts (source code in many
//! languages, YAML/JSON/TOML/INI/.env/properties configs, Terraform, Dockerfiles, shell scripts,
//! XML, Markdown, Kubernetes manifests, key files) that contain:
//!
//! * **positives**: random tokens in each provider's published credential format, each recorded
//!   as a [`Positive`] with its line span and a `secret.<provider>-<kind>` label;
//! * **hard negatives**: published example keys, placeholders, environment lookups, hashes,
//!   lockfile integrity strings, public keys and certificates, base64 images, minified bundles
//!   and other text that looks like a secret but is not. Nothing there is labelled, so a finding
//!   there is a false positive.
//!
//! Every token is random. None is a real credential, and the formats were written from provider
//! documentation independently of any detection rule, so the corpus measures the rules rather
//! than mirroring them.
//!
//! [`write_bench_tree`] writes a large mixed source tree for throughput benchmarks, and
//! [`deps::write_deps_tree`] a tree of large lockfiles seeded from an OSV snapshot for the
//! `secops deps` benchmark.

mod bench;
mod creds;
pub mod deps;
mod keys;
mod model;
mod negatives;
mod render;
mod text;
mod util;

use rand::seq::SliceRandom;
use rand::{Rng as _, SeedableRng};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

pub use bench::{write_bench_tree, BenchStats};

/// Every label gets at least this many positives per copy.
pub const MIN_PER_LABEL: usize = 22;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorpusFile {
    /// Relative path, forward slashes.
    pub path: String,
    pub content: String,
    /// The labelled secrets in this file; empty for a negative file.
    pub positives: Vec<Positive>,
}

/// One labelled secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Positive {
    /// 1-based line where the credential starts (the line holding the secret for single-line
    /// credentials).
    pub line: usize,
    /// 1-based last line of the credential: equal to `line` except for multi-line credentials
    /// (PEM private keys, service-account JSON documents), where a finding anywhere in
    /// `line..=end_line` counts.
    pub end_line: usize,
    /// Rule-id-like name, `secret.<provider>-<kind>`.
    pub label: String,
    /// The secret as written in the file (for base64-wrapped secrets: the base64 text). Its
    /// lines occur, in order, within `line..=end_line`.
    pub secret: String,
}

impl Positive {
    /// True when the 1-based range `start..=end` touches this credential.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        start <= self.end_line && end >= self.line
    }
}

impl CorpusFile {
    /// True for a file with no labelled secret.
    pub fn is_negative(&self) -> bool {
        self.positives.is_empty()
    }

    /// True when the positive's secret text occurs within its recorded line span.
    pub fn secret_in_span(&self, p: &Positive) -> bool {
        let lines: Vec<&str> = self.content.lines().collect();
        if p.line == 0 || p.end_line < p.line || p.end_line > lines.len() {
            return false;
        }
        let span = &lines[p.line - 1..p.end_line];
        let want: Vec<&str> = p.secret.lines().collect();
        if want.is_empty() {
            return false;
        }
        if want.len() > span.len() {
            return false;
        }
        (0..=span.len() - want.len()).any(|off| {
            want.iter()
                .enumerate()
                .all(|(i, w)| span[off + i].contains(w))
        })
    }
}

/// Generate the corpus: for every credential type, `copies` instances in each of its contexts
/// (and at least [`MIN_PER_LABEL`] × `copies` in total), grouped into files, followed by at least
/// as many hard-negative files as there are positive files. Same seed and copies, same output.
pub fn generate(seed: u64, copies: usize) -> Vec<CorpusFile> {
    let copies = copies.max(1);
    let mut rng = util::Rng::seed_from_u64(seed);
    let mut paths = model::PathAlloc::new();
    let mut buckets: BTreeMap<render::Ctx, Vec<model::Instance>> = BTreeMap::new();
    for spec in creds::specs() {
        let n_ctx = spec.contexts.len();
        if n_ctx == 0 {
            continue;
        }
        let target = copies * n_ctx.max(MIN_PER_LABEL);
        let start = rng.gen_range(0..n_ctx);
        for i in 0..target {
            let ctx = spec.contexts[(start + i) % n_ctx];
            let inst = (spec.gen)(&mut rng, ctx);
            buckets.entry(ctx).or_default().push(inst);
        }
    }
    let mut files = Vec::new();
    for (ctx, mut insts) in buckets {
        insts.shuffle(&mut rng);
        let max = ctx.max_per_file();
        let mut it = insts.into_iter().peekable();
        while it.peek().is_some() {
            let k = rng.gen_range(1..=max);
            let group: Vec<model::Instance> = it.by_ref().take(k).collect();
            files.push(render::render(ctx, &mut rng, &mut paths, &group));
        }
    }
    let positive_files = files.len();
    files.extend(negatives::generate(&mut rng, &mut paths, positive_files));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// One positive with its file, as written to `labels.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelRecord {
    pub path: String,
    pub line: usize,
    pub end_line: usize,
    pub label: String,
    pub secret: String,
}

/// All positives of a corpus, in file order.
pub fn labels(files: &[CorpusFile]) -> Vec<LabelRecord> {
    files
        .iter()
        .flat_map(|f| {
            f.positives.iter().map(|p| LabelRecord {
                path: f.path.clone(),
                line: p.line,
                end_line: p.end_line,
                label: p.label.clone(),
                secret: p.secret.clone(),
            })
        })
        .collect()
}

/// Number of positives per label.
pub fn label_counts(files: &[CorpusFile]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for f in files {
        for p in &f.positives {
            *m.entry(p.label.clone()).or_insert(0) += 1;
        }
    }
    m
}

/// Summary counts of a corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorpusStats {
    pub files: usize,
    pub positive_files: usize,
    pub negative_files: usize,
    pub positives: usize,
    pub labels: usize,
    pub bytes: usize,
}

pub fn stats(files: &[CorpusFile]) -> CorpusStats {
    let positive_files = files.iter().filter(|f| !f.is_negative()).count();
    CorpusStats {
        files: files.len(),
        positive_files,
        negative_files: files.len() - positive_files,
        positives: files.iter().map(|f| f.positives.len()).sum(),
        labels: label_counts(files).len(),
        bytes: files.iter().map(|f| f.content.len()).sum(),
    }
}

/// The `labels.json` document: seed, counts, every positive, and the list of negative files.
pub fn labels_json(
    files: &[CorpusFile],
    seed: u64,
    copies: usize,
    root: &str,
) -> serde_json::Value {
    serde_json::json!({
        "seed": seed,
        "copies": copies,
        "root": root,
        "stats": stats(files),
        "label_counts": label_counts(files),
        "positives": labels(files),
        "negative_files": files.iter().filter(|f| f.is_negative()).map(|f| f.path.as_str()).collect::<Vec<_>>(),
    })
}

/// Write every file under `dir` (creating directories).
pub fn write_tree(dir: &Path, files: &[CorpusFile]) -> io::Result<()> {
    for f in files {
        let p = dir.join(&f.path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&p, f.content.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn same_seed_same_output() {
        let a = generate(42, 1);
        let b = generate(42, 1);
        assert_eq!(a, b);
        let c = generate(43, 1);
        assert_ne!(a, c);
    }

    #[test]
    fn every_label_has_enough_positives() {
        let files = generate(1, 1);
        let counts = label_counts(&files);
        assert!(counts.len() >= 60, "only {} labels", counts.len());
        for (label, n) in &counts {
            assert!(*n >= 20, "{label} has only {n} positives");
            assert!(label.starts_with("secret."), "{label}");
        }
    }

    #[test]
    fn every_secret_occurs_on_its_line() {
        for f in generate(7, 1) {
            for p in &f.positives {
                assert!(
                    f.secret_in_span(p),
                    "{}:{}-{} {}: secret {:?} not in span",
                    f.path,
                    p.line,
                    p.end_line,
                    p.label,
                    p.secret.lines().next()
                );
            }
        }
    }

    #[test]
    fn positives_do_not_overlap_and_paths_are_unique() {
        let files = generate(3, 1);
        let mut seen = HashSet::new();
        for f in &files {
            assert!(seen.insert(f.path.clone()), "duplicate path {}", f.path);
            assert!(!f.path.starts_with('/') && !f.path.contains('\\'));
            for (i, a) in f.positives.iter().enumerate() {
                for b in &f.positives[i + 1..] {
                    assert!(
                        !a.overlaps(b.line, b.end_line),
                        "{}: overlapping positives",
                        f.path
                    );
                }
            }
        }
    }

    #[test]
    fn at_least_as_many_negative_files_as_positive_files() {
        let s = stats(&generate(5, 1));
        assert!(s.negative_files >= s.positive_files, "{s:?}");
    }

    #[test]
    fn copies_scale_the_positives() {
        let one = stats(&generate(9, 1));
        let two = stats(&generate(9, 2));
        assert!(two.positives >= 2 * one.positives - 10);
    }

    #[test]
    fn every_credential_renders_in_every_one_of_its_contexts() {
        let mut rng = util::Rng::seed_from_u64(99);
        let mut paths = model::PathAlloc::new();
        for spec in creds::specs() {
            for ctx in &spec.contexts {
                let inst = (spec.gen)(&mut rng, *ctx);
                let f = render::render(*ctx, &mut rng, &mut paths, &[inst]);
                assert!(
                    f.positives.iter().any(|p| p.label == spec.label),
                    "{} in {ctx:?}: no positive recorded\n{}",
                    spec.label,
                    f.content
                );
                for p in &f.positives {
                    assert!(
                        f.secret_in_span(p),
                        "{} in {ctx:?}: secret not in span",
                        p.label
                    );
                }
            }
        }
    }

    #[test]
    fn no_generated_token_is_a_published_example() {
        for f in generate(11, 1) {
            for p in &f.positives {
                assert!(!p.secret.contains("EXAMPLE"), "{}", f.path);
            }
        }
    }
}
