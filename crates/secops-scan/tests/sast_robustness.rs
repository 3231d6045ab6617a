//! Hostile inputs for the SAST engine: deeply nested expressions, a 5 MB generated file,
//! minified JavaScript, syntax errors and binary-ish garbage. Each file must be analysed
//! (or skipped with a notice) without crashing, within the per-file budgets.

#![allow(clippy::unwrap_used)]

use secops_core::walk::FileOutput;
use secops_scan::sast::{SastEngine, SastOptions};
use std::fmt::Write;
use std::time::{Duration, Instant};

fn scan(path: &str, content: &str) -> (FileOutput, Duration) {
    let engine = SastEngine::builtin(SastOptions::default()).unwrap();
    let mut out = FileOutput::default();
    let t = Instant::now();
    engine.scan_content(path, content.as_bytes(), &mut out);
    (out, t.elapsed())
}

/// Generous wall-clock ceiling (debug build, shared CI machine): the point is "bounded",
/// not a speed measurement (that is `bench/sast.sh`).
const CEILING: Duration = Duration::from_secs(120);

#[test]
fn deeply_nested_expressions() {
    for (path, open, close) in [
        ("deep.py", "(", ")"),
        ("deep.js", "[", "]"),
        ("Deep.java", "(", ")"),
        ("deep.go", "(", ")"),
    ] {
        let depth = 20_000;
        let mut src = String::new();
        match path {
            "Deep.java" => src.push_str("class Deep { int f() { return "),
            "deep.go" => src.push_str("package p\nfunc f() int { return "),
            _ => src.push_str("x = "),
        }
        src.push_str(&open.repeat(depth));
        src.push('1');
        src.push_str(&close.repeat(depth));
        match path {
            "Deep.java" => src.push_str("; } }\n"),
            "deep.go" => src.push_str(" }\n"),
            _ => src.push('\n'),
        }
        let (_out, took) = scan(path, &src);
        assert!(took < CEILING, "{path} took {took:?}");
    }
}

#[test]
fn five_megabyte_generated_python_file() {
    let mut src = String::from("from flask import request\nimport os\n\n");
    let mut i = 0;
    while src.len() < 5 * 1024 * 1024 {
        let _ = writeln!(
            src,
            "def handler_{i}(a, b):\n    v = request.args.get('k{i}')\n    w = str(a) + '-' + str(b)\n    if {i} % 2 == 0:\n        w = w.upper()\n    return w\n"
        );
        i += 1;
    }
    // one real flaw at the end, to prove the file was analysed rather than skipped
    src.push_str("def run():\n    os.system('ls ' + request.args.get('dir'))\n");
    let (out, took) = scan("big.py", &src);
    assert!(took < CEILING, "took {took:?}");
    let budget_hit = out.notices.iter().any(|n| n.kind.as_str() == "budget");
    assert!(
        budget_hit
            || out
                .findings
                .iter()
                .any(|f| f.rule_id == "sast.python.command-injection"),
        "neither analysed nor reported as over budget: {:?}",
        out.notices
    );
}

#[test]
fn minified_javascript_line() {
    let mut src = String::new();
    for i in 0..20_000 {
        let _ = write!(src, "var a{i}=function(b,c){{return b+c*{i}}};");
    }
    src.push_str("require('child_process').exec(req.query.cmd);");
    let (_out, took) = scan("bundle.min.js", &src);
    assert!(took < CEILING, "took {took:?}");
}

#[test]
fn syntax_errors_are_notices_and_the_rest_is_analysed() {
    let src = "import os\nfrom flask import request\ndef broken(:\n    pass\n\ndef ok():\n    os.system(request.args.get('x'))\n";
    let (out, _) = scan("broken.py", src);
    assert!(
        out.notices.iter().any(|n| n.kind.as_str() == "parse-error"),
        "{:?}",
        out.notices
    );
    for (path, junk) in [
        ("junk.java", "}}}{{{ class ( ; @@ \u{0} \u{fffd}"),
        ("junk.go", "package ;;; func ( { [ }"),
        ("junk.ts", "let x: = <<>> => {{{"),
    ] {
        let (_out, took) = scan(path, junk);
        assert!(took < CEILING);
    }
}

#[test]
fn nested_loops_stay_within_the_step_budget() {
    let mut src = String::from("class L { void f(String s) {\n");
    for i in 0..24 {
        let _ = writeln!(src, "for (int i{i} = 0; i{i} < 3; i{i}++) {{ s = s + i{i};");
    }
    src.push_str(&"}\n".repeat(24));
    src.push_str("} }\n");
    let (_out, took) = scan("Loops.java", &src);
    assert!(took < CEILING, "took {took:?}");
}
