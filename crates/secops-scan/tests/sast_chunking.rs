//! The parse planner (`sast::chunk`) may leave functions out of the parse. This test checks it
//! never changes a result: every SAST fixture, padded with unrelated code until the planner
//! engages, must give exactly the findings (rule, line) it gives alone.

mod common;

use secops_core::walk::FileOutput;
use secops_scan::sast::{chunk, Language, SastEngine, SastOptions};

/// Unrelated definitions in the file's language (no sources, no sinks), about 8 KB.
fn padding(ext: &str) -> Option<String> {
    let mut s = String::new();
    for i in 0..120 {
        let unit = match ext {
            "py" => format!("\n\ndef pad_total_{i}(numbers, scale={i}):\n    acc = 0\n    for v in numbers:\n        acc += v * scale\n    return acc\n"),
            "js" | "ts" | "jsx" | "tsx" | "mjs" => format!("\n\nfunction padTotal{i}(numbers, scale = {i}) {{\n  let acc = 0;\n  for (const v of numbers) acc += v * scale;\n  return acc;\n}}\n"),
            "go" => format!("\n\nfunc padTotal{i}(numbers []int, scale int) int {{\n\tacc := 0\n\tfor _, v := range numbers {{\n\t\tacc += v * scale\n\t}}\n\treturn acc + {i}\n}}\n"),
            // Java fixtures are one class per file: padding goes inside it (see below).
            "java" => format!("\n    static int padTotal{i}(int[] numbers, int scale) {{\n        int acc = 0;\n        for (int v : numbers) {{\n            acc += v * scale;\n        }}\n        return acc + {i};\n    }}\n"),
            _ => return None,
        };
        s.push_str(&unit);
    }
    Some(s)
}

fn findings(engine: &SastEngine, rel: &str, text: &str) -> Vec<(String, usize)> {
    let mut out = FileOutput::default();
    engine.scan_content(rel, text.as_bytes(), &mut out);
    let mut v: Vec<(String, usize)> = out
        .findings
        .into_iter()
        .map(|f| (f.rule_id, f.location.start_line))
        .collect();
    v.sort();
    v
}

#[test]
fn padded_fixtures_give_the_same_findings() {
    std::env::remove_var("SECOPS_SAST_FULL_PARSE");
    let engine = SastEngine::builtin(SastOptions::default()).expect("SAST rules compile");
    let mut checked = 0;
    let mut planned = 0;
    let mut total_findings = 0;
    for path in common::sast_fixture_files() {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let Some(pad) = padding(ext) else { continue };
        let text = std::fs::read_to_string(&path).expect("fixture");
        let rel = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("x")
            .to_string();
        let alone = findings(&engine, &rel, &text);
        let padded = if ext == "java" {
            // Before the last closing brace (the class's).
            match text.rfind('}') {
                Some(i) => format!("{}{}{}", &text[..i], pad, &text[i..]),
                None => continue,
            }
        } else {
            format!("{text}{pad}")
        };
        let with_pad = findings(&engine, &rel, &padded);
        // The planner must actually leave the padding out (else this test checks nothing).
        let lang = Language::from_path(&rel).expect("a SAST language");
        let seeds = &engine.lang(lang.rules_name()).expect("rules").seeds;
        if let Some(ranges) = chunk::plan(lang, padded.as_bytes(), seeds) {
            let kept: usize = ranges.iter().map(|r| r.len()).sum();
            if kept < padded.len() - pad.len() / 2 {
                planned += 1;
            } else {
                eprintln!("kept padding: {rel}");
            }
        } else {
            eprintln!("no plan: {rel}");
        }
        assert_eq!(
            alone,
            with_pad,
            "{}: findings changed once padded",
            path.display()
        );
        checked += 1;
        total_findings += alone.len();
    }
    assert!(checked >= 80, "only {checked} fixtures checked");
    assert!(
        planned * 10 >= checked * 9,
        "the planner dropped the padding in only {planned} of {checked} files"
    );
    assert!(
        total_findings >= 300,
        "only {total_findings} findings compared"
    );
    eprintln!(
        "{checked} padded fixtures ({planned} parsed partially), {total_findings} findings, all unchanged"
    );
}
