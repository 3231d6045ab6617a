//! SAST fixtures: `tests/fixtures/sast/<language>/*`. A comment on a line saying
//! `expect: <rule-id>` means that rule must report on that line; `ok: <rule-id>` means it must
//! not (a safe look-alike). The summary prints, per CWE category, the true-positive rate over
//! the `expect` lines and the false-positive rate over the `ok` lines, and the score
//! TPR − FPR averaged over categories (the OWASP Benchmark scoring).

#![allow(clippy::unwrap_used)]

mod common;

use secops_core::walk::FileOutput;
use secops_scan::sast::{SastEngine, SastOptions};
use std::collections::BTreeMap;

#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    tp: usize,
    fn_: usize,
    fp: usize,
    tn: usize,
}

/// (line, rule id, expected?) markers of a fixture.
fn markers(text: &str) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for (tag, expected) in [("expect:", true), ("ok:", false)] {
            let mut rest = line;
            while let Some(pos) = rest.find(tag) {
                let after = &rest[pos + tag.len()..];
                let id: String = after
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    .collect();
                if id.starts_with("sast.") {
                    out.push((i + 1, id, expected));
                }
                rest = after;
            }
        }
    }
    out
}

struct Outcome {
    per_category: BTreeMap<String, Counts>,
    failures: Vec<String>,
    files: usize,
}

fn run() -> Outcome {
    let engine = SastEngine::builtin(SastOptions::default()).expect("SAST rules compile");
    let category_of = |id: &str| -> String {
        engine
            .rule_metas()
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.cwe.first().cloned().unwrap_or_default())
            .unwrap_or_else(|| format!("unknown rule {id}"))
    };
    let mut per_category: BTreeMap<String, Counts> = BTreeMap::new();
    let mut failures = Vec::new();
    let files = common::sast_fixture_files();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let rel = format!(
            "{}/{}",
            path.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            path.file_name().unwrap().to_string_lossy()
        );
        let mut out = FileOutput::default();
        engine.scan_content(&rel, text.as_bytes(), &mut out);
        let found: Vec<(usize, &str)> = out
            .findings
            .iter()
            .map(|f| (f.location.start_line, f.rule_id.as_str()))
            .collect();
        for (line, id, expected) in markers(&text) {
            let hit = found.iter().any(|(l, r)| *l == line && *r == id);
            let c = per_category.entry(category_of(&id)).or_default();
            match (expected, hit) {
                (true, true) => c.tp += 1,
                (true, false) => {
                    c.fn_ += 1;
                    failures.push(format!("{rel}:{line}: missed {id}"));
                }
                (false, true) => {
                    c.fp += 1;
                    failures.push(format!("{rel}:{line}: false positive {id}"));
                }
                (false, false) => c.tn += 1,
            }
        }
        for n in &out.notices {
            failures.push(format!("{rel}: notice {}: {}", n.kind.as_str(), n.message));
        }
    }
    Outcome {
        per_category,
        failures,
        files: files.len(),
    }
}

#[test]
fn sast_fixture_set_holds_and_scores() {
    let o = run();
    println!(
        "\n{:<12} {:>4} {:>4} {:>4} {:>4}  {:>6} {:>6} {:>6}",
        "category", "TP", "FN", "FP", "TN", "TPR", "FPR", "score"
    );
    let mut scores = Vec::new();
    for (cat, c) in &o.per_category {
        let tpr = if c.tp + c.fn_ > 0 {
            c.tp as f64 / (c.tp + c.fn_) as f64
        } else {
            1.0
        };
        let fpr = if c.fp + c.tn > 0 {
            c.fp as f64 / (c.fp + c.tn) as f64
        } else {
            0.0
        };
        scores.push(tpr - fpr);
        println!(
            "{cat:<12} {:>4} {:>4} {:>4} {:>4}  {tpr:>6.3} {fpr:>6.3} {:>6.3}",
            c.tp,
            c.fn_,
            c.fp,
            c.tn,
            tpr - fpr
        );
    }
    let avg = if scores.is_empty() {
        0.0
    } else {
        scores.iter().sum::<f64>() / scores.len() as f64
    };
    println!(
        "average score (TPR - FPR over {} categories, {} files): {avg:.3}",
        scores.len(),
        o.files
    );
    for f in &o.failures {
        println!("  {f}");
    }
    assert!(
        o.failures.is_empty(),
        "{} fixture expectations failed (listed above)",
        o.failures.len()
    );
}

/// Catalog check: every SAST rule has an id of the form `sast.<lang>.<category>`, a CWE, an
/// OWASP tag and help, and at least one `expect` and one `ok` fixture line.
#[test]
fn every_sast_rule_is_well_formed_and_has_bad_and_good_fixtures() {
    let engine = SastEngine::builtin(SastOptions::default()).expect("SAST rules compile");
    let mut all_markers: Vec<(String, bool)> = Vec::new();
    for path in common::sast_fixture_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        all_markers.extend(markers(&text).into_iter().map(|(_, id, e)| (id, e)));
    }
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in engine.rule_metas() {
        if !seen.insert(m.id.clone()) {
            problems.push(format!("{}: duplicate id", m.id));
        }
        if m.id.split('.').count() != 3 || !m.id.starts_with("sast.") {
            problems.push(format!("{}: id is not sast.<lang>.<category>", m.id));
        }
        if !m.cwe.iter().any(|c| c.starts_with("CWE-")) {
            problems.push(format!("{}: no CWE", m.id));
        }
        if !m.owasp.iter().any(|o| o.ends_with(":2021")) {
            problems.push(format!("{}: no OWASP 2021 tag", m.id));
        }
        if m.help.split_whitespace().count() < 15 {
            problems.push(format!("{}: help too short", m.id));
        }
        for (want, what) in [(true, "expect"), (false, "ok")] {
            if !all_markers.iter().any(|(id, e)| id == &m.id && *e == want) {
                problems.push(format!("{}: no `{what}:` fixture line", m.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
