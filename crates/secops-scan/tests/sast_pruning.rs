//! Entry-point pruning (`sast::prune`) skips functions that cannot report anything. This test
//! checks it never changes a result: on every SAST fixture, the engine's hits with pruning are
//! exactly the hits when every function is analysed as an entry point, and pruning does skip
//! functions (else the test would check nothing).

mod common;

use secops_scan::sast::{lang, prune, taint, Language, SastEngine, SastOptions};

#[test]
fn pruned_entry_points_give_the_same_hits() {
    std::env::remove_var("SECOPS_SAST_ALL_ENTRIES");
    let engine = SastEngine::builtin(SastOptions::default()).expect("SAST rules compile");
    let budget = SastOptions::default().step_budget;
    let (mut files, mut functions, mut skipped, mut hits) = (0, 0, 0, 0);
    for path in common::sast_fixture_files() {
        let rel = path.to_string_lossy().to_string();
        let Some(language) = Language::from_path(&rel) else {
            continue;
        };
        let cl = engine.lang(language.rules_name()).expect("rules");
        let src = std::fs::read(&path).expect("fixture");
        let lowered = lang::lower(language, &src, None).expect("parse");
        let module = &lowered.module;
        let key = |h: &taint::Hit| (h.rule, h.span);
        let all: Vec<_> = taint::analyze(module, cl, budget, None)
            .0
            .iter()
            .map(key)
            .collect();
        let entries = prune::entry_points(module, cl, &src);
        let pruned: Vec<_> = taint::analyze(module, cl, budget, entries.as_deref())
            .0
            .iter()
            .map(key)
            .collect();
        assert_eq!(all, pruned, "{rel}: pruning changed the hits");
        files += 1;
        functions += module.functions.len();
        skipped += entries.map_or(0, |e| e.iter().filter(|k| !**k).count());
        hits += all.len();
    }
    assert!(files >= 80, "only {files} fixtures checked");
    assert!(hits >= 300, "only {hits} hits compared");
    assert!(
        skipped * 20 >= functions,
        "pruning skipped only {skipped} of {functions} functions"
    );
    eprintln!(
        "{files} fixtures, {hits} hits unchanged; {skipped} of {functions} functions skipped"
    );
}
