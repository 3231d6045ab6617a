//! Accuracy of the built-in secret rules on the labelled corpus from `secops-corpus`.
//!
//! The corpus (fixed seed) holds random tokens in each provider's published format, written in
//! realistic files (code in many languages, configs, manifests, key files, docs), and at least as
//! many files of hard negatives (example keys, placeholders, env lookups, hashes, lockfiles,
//! public keys, certificates, base64 images, minified bundles...). The formats were written
//! independently of `rules/secrets.toml`, so this measures the rules rather than mirroring them.
//!
//! Scoring, per file:
//! - a positive is *found* when some finding's `start_line..=end_line` overlaps the positive's
//!   `line..=end_line`; it is an *id match* when such a finding's rule id equals the label;
//! - a finding that overlaps a not-yet-matched positive is a true positive; one that overlaps only
//!   already-matched positives is a *duplicate* (a second rule on the same secret): reported, but
//!   counted neither as TP nor as FP; any other finding is a false positive.
//!
//! Recall = found / positives; precision = TP / (TP + FP).
//!
//! Run with `cargo test -p secops-scan --test secrets_accuracy -- --nocapture` to see the report.

use secops_core::{Details, Finding};
use secops_corpus::{generate, CorpusFile};
use secops_scan::secrets::SecretsEngine;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const SEED: u64 = 0x5ec0_95ec;
const COPIES: usize = 1;

const MIN_RECALL: f64 = 0.98;
const MIN_PRECISION: f64 = 0.95;
const MIN_LABEL_RECALL: f64 = 0.9;

#[derive(Default)]
struct LabelStat {
    n: usize,
    found: usize,
    id_match: usize,
}

struct Miss {
    path: String,
    line: usize,
    label: String,
    /// Rule ids that fired in the same file (anywhere), to tell "missed" from "misplaced".
    near: Vec<String>,
}

struct Extra {
    path: String,
    line: usize,
    rule_id: String,
    secret: String,
}

#[derive(Default)]
struct Score {
    labels: BTreeMap<String, LabelStat>,
    tp: usize,
    fps: Vec<Extra>,
    dups: Vec<Extra>,
    misses: Vec<Miss>,
    findings: usize,
    /// (found, n) per file kind (extension or well-known file name) for the misses breakdown.
    kinds: BTreeMap<String, (usize, usize)>,
}

fn shown_secret(f: &Finding) -> String {
    match &f.details {
        Details::Secret(s) => s.secret.clone(),
        _ => String::new(),
    }
}

fn file_kind(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!(".{ext}"),
        _ => name.to_string(),
    }
}

fn score_file(file: &CorpusFile, findings: &[Finding], score: &mut Score) {
    score.findings += findings.len();
    let ps = &file.positives;
    let mut claimed = vec![false; ps.len()];
    let mut found = vec![false; ps.len()];
    let mut id_match = vec![false; ps.len()];
    for f in findings {
        let start = f.location.start_line;
        let end = f.location.end_line.max(start);
        let hits: Vec<usize> = (0..ps.len())
            .filter(|&i| ps[i].overlaps(start, end))
            .collect();
        let extra = || Extra {
            path: file.path.clone(),
            line: start,
            rule_id: f.rule_id.clone(),
            secret: shown_secret(f),
        };
        if hits.is_empty() {
            score.fps.push(extra());
            continue;
        }
        for &i in &hits {
            found[i] = true;
            if f.rule_id == ps[i].label {
                id_match[i] = true;
            }
        }
        match hits.iter().find(|&&i| !claimed[i]) {
            Some(&i) => {
                claimed[i] = true;
                score.tp += 1;
            }
            None => score.dups.push(extra()),
        }
    }
    let kind = file_kind(&file.path);
    for (i, p) in ps.iter().enumerate() {
        let st = score.labels.entry(p.label.clone()).or_default();
        st.n += 1;
        let k = score.kinds.entry(kind.clone()).or_default();
        k.1 += 1;
        if found[i] {
            st.found += 1;
            k.0 += 1;
        } else {
            let mut near: Vec<String> = findings.iter().map(|f| f.rule_id.clone()).collect();
            near.sort();
            near.dedup();
            score.misses.push(Miss {
                path: file.path.clone(),
                line: p.line,
                label: p.label.clone(),
                near,
            });
        }
        if id_match[i] {
            st.id_match += 1;
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn report(score: &Score, files: usize) -> String {
    let mut out = String::new();
    let n: usize = score.labels.values().map(|s| s.n).sum();
    let found: usize = score.labels.values().map(|s| s.found).sum();
    let idm: usize = score.labels.values().map(|s| s.id_match).sum();
    let _ = writeln!(
        out,
        "\nsecret detection accuracy: seed {SEED:#x}, copies {COPIES}, {files} files"
    );
    let _ = writeln!(
        out,
        "\n{:<48} {:>5} {:>6} {:>7} {:>9}",
        "label", "n", "found", "recall", "id-match"
    );
    for (label, s) in &score.labels {
        let flag = if ratio(s.found, s.n) < MIN_LABEL_RECALL {
            "  <--"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<48} {:>5} {:>6} {:>7.3} {:>9.3}{flag}",
            label,
            s.n,
            s.found,
            ratio(s.found, s.n),
            ratio(s.id_match, s.n)
        );
    }
    let _ = writeln!(
        out,
        "{:<48} {:>5} {:>6} {:>7.3} {:>9.3}",
        "TOTAL",
        n,
        found,
        ratio(found, n),
        ratio(idm, n)
    );
    let _ = writeln!(
        out,
        "\nfindings {}: true positives {}, false positives {}, duplicates {}",
        score.findings,
        score.tp,
        score.fps.len(),
        score.dups.len()
    );
    let _ = writeln!(
        out,
        "recall {:.4} (min {MIN_RECALL}), precision {:.4} (min {MIN_PRECISION})",
        ratio(found, n),
        ratio(score.tp, score.tp + score.fps.len())
    );

    let _ = writeln!(out, "\nrecall by file kind:");
    for (k, (f, t)) in &score.kinds {
        if f < t {
            let _ = writeln!(out, "  {k:<24} {f:>4}/{t:<4} {:.3}", ratio(*f, *t));
        }
    }

    let _ = writeln!(out, "\nfalse positives ({}):", score.fps.len());
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &score.fps {
        *by_rule.entry(e.rule_id.as_str()).or_default() += 1;
    }
    for (r, c) in &by_rule {
        let _ = writeln!(out, "  {c:>4}  {r}");
    }
    for e in &score.fps {
        let _ = writeln!(out, "  {}:{} {} {}", e.path, e.line, e.rule_id, e.secret);
    }

    let _ = writeln!(out, "\nmissed positives ({}):", score.misses.len());
    for m in &score.misses {
        let near = if m.near.is_empty() {
            String::new()
        } else {
            format!("  (file has: {})", m.near.join(", "))
        };
        let _ = writeln!(out, "  {}:{} {}{near}", m.path, m.line, m.label);
    }

    let _ = writeln!(out, "\nduplicates ({}):", score.dups.len());
    for e in score.dups.iter().take(200) {
        let _ = writeln!(out, "  {}:{} {}", e.path, e.line, e.rule_id);
    }
    if score.dups.len() > 200 {
        let _ = writeln!(out, "  ... {} more", score.dups.len() - 200);
    }
    out
}

#[test]
fn builtin_rules_meet_recall_and_precision_targets_on_the_labelled_corpus() {
    let engine = SecretsEngine::builtin().expect("built-in secret rules compile");
    let files = generate(SEED, COPIES);
    let mut score = Score::default();
    for file in &files {
        let findings = engine.scan_content(&file.path, file.content.as_bytes());
        score_file(file, &findings, &mut score);
    }
    let text = report(&score, files.len());
    println!("{text}");

    let n: usize = score.labels.values().map(|s| s.n).sum();
    let found: usize = score.labels.values().map(|s| s.found).sum();
    let recall = ratio(found, n);
    let precision = ratio(score.tp, score.tp + score.fps.len());
    let weak: Vec<String> = score
        .labels
        .iter()
        .filter(|(_, s)| ratio(s.found, s.n) < MIN_LABEL_RECALL)
        .map(|(l, s)| format!("{l} {}/{}", s.found, s.n))
        .collect();
    assert!(n > 0, "the corpus has no positives");
    assert!(
        recall >= MIN_RECALL,
        "overall recall {recall:.4} < {MIN_RECALL} (see the report above)"
    );
    assert!(
        precision >= MIN_PRECISION,
        "precision {precision:.4} < {MIN_PRECISION}: {} false positives (see the report above)",
        score.fps.len()
    );
    assert!(
        weak.is_empty(),
        "labels below {MIN_LABEL_RECALL} recall: {}",
        weak.join(", ")
    );
}
