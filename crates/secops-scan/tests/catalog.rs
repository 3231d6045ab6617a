//! Catalog checks: every rule is well-formed and has a fixture with a positive and a near miss.
//!
//! Fixture format (`tests/fixtures/secrets/<id without "secret.">.txt`): annotation lines start
//! with `#>`. `#> expect` means the next line must yield a finding of this rule starting on it;
//! `#> ok` means the next line must yield no finding of this rule; `#> path: some/file.ext`
//! (first line, optional) sets the path the content is scanned as. The fake credentials in
//! fixtures are random; the repository's `.secops.toml` excludes the folder.

#![allow(clippy::unwrap_used)]

use secops_scan::secrets::{builtin_defs, SecretsEngine};
use std::collections::HashSet;
use std::path::PathBuf;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/secrets")
}

#[test]
fn catalog_is_well_formed() {
    let defs = builtin_defs().expect("rules/secrets.toml parses");
    assert!(defs.len() >= 150, "only {} rules", defs.len());
    let id_re = regex::Regex::new(r"^secret\.[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    let mut ids = HashSet::new();
    for d in &defs {
        assert!(id_re.is_match(&d.id), "bad id {}", d.id);
        assert!(ids.insert(d.id.clone()), "duplicate id {}", d.id);
        assert!(d.cwe.iter().any(|c| c == "CWE-798"), "{}: no CWE-798", d.id);
        assert!(
            d.help.split_whitespace().count() >= 20,
            "{}: help too short",
            d.id
        );
        assert!(!d.title.is_empty(), "{}", d.id);
        for k in &d.keywords {
            assert_eq!(
                k,
                &k.to_ascii_lowercase(),
                "{}: keyword {k} not lowercase",
                d.id
            );
            // short keywords make the prefilter useless unless they hold a rare character
            let rare = k
                .chars()
                .any(|c| !c.is_ascii_alphanumeric() && c != '_' && c != '-');
            assert!(
                k.len() >= 3 || rare,
                "{}: keyword {k:?} too short to prefilter",
                d.id
            );
        }
    }
    // every regex compiles (built-in rules compile lazily, so force it here)
    let engine = SecretsEngine::builtin().expect("engine builds");
    assert_eq!(engine.rules().len(), defs.len());
    let errors: Vec<String> = engine
        .rules()
        .iter()
        .filter_map(|r| r.compile_all().err().map(|e| format!("{}: {e}", r.meta.id)))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn every_rule_has_a_fixture_with_positive_and_near_miss() {
    let engine = SecretsEngine::builtin().expect("engine builds");
    let mut missing = Vec::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in engine.rules() {
        let id = &rule.meta.id;
        let file = fixture_dir().join(format!("{}.txt", id.trim_start_matches("secret.")));
        let Ok(text) = std::fs::read_to_string(&file) else {
            missing.push(id.clone());
            continue;
        };
        let mut path = format!("fixture/{}.txt", id.trim_start_matches("secret."));
        let mut expect = Vec::new();
        let mut ok = Vec::new();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim();
            if let Some(p) = t.strip_prefix("#> path:") {
                path = p.trim().to_string();
            } else if t == "#> expect" {
                expect.push(i + 2);
            } else if t == "#> ok" {
                ok.push(i + 2);
            }
        }
        if expect.is_empty() || ok.is_empty() {
            failures.push(format!(
                "{id}: fixture needs at least one `#> expect` and one `#> ok`"
            ));
            continue;
        }
        let found = engine.scan_content(&path, text.as_bytes());
        let mine: Vec<usize> = found
            .iter()
            .filter(|f| &f.rule_id == id)
            .map(|f| f.location.start_line)
            .collect();
        for l in &expect {
            if !mine.contains(l) {
                let other: Vec<&str> = found
                    .iter()
                    .filter(|f| f.location.start_line == *l)
                    .map(|f| f.rule_id.as_str())
                    .collect();
                failures.push(format!(
                    "{id}: expected a finding on line {l} (other rules there: {other:?})"
                ));
            }
        }
        for l in &ok {
            if mine.contains(l) {
                failures.push(format!("{id}: unexpected finding on `#> ok` line {l}"));
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        missing.is_empty(),
        "{} rules without a fixture: {missing:?}",
        missing.len()
    );
    assert!(checked >= 150);
}
