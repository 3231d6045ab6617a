//! Dockerfile checks: fixtures where a `# expect-fail: <check>` comment line marks the next
//! line as one that must fail, a pass and a fail fixture per rule, robustness, snapshots and
//! the example trees.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Marker, Suite};
use secops_comply::iac::{self, dockerfile, CheckResult, IacKind, IacOutput};
use secops_comply::ComplyError;
use std::collections::BTreeSet;

const SUITE: Suite = Suite {
    kind: IacKind::Dockerfile,
    prefix: "iac.dockerfile.",
    dir: "dockerfile",
    exts: &["Dockerfile"],
    ext: "Dockerfile",
    marker: Marker::NextLine,
    rules: dockerfile::rules,
    check: dockerfile::check,
    parse_errors_ok: &[],
};

#[test]
fn catalog_is_consistent() {
    let ids = SUITE.assert_catalog(8);
    // Dockerfile check names have no digits.
    for id in &ids {
        let check = id.trim_start_matches(SUITE.prefix);
        assert!(
            check.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{id}"
        );
    }
    let all_ids: Vec<&str> = iac::rules().iter().map(|r| r.id).collect();
    assert_eq!(
        all_ids.len(),
        all_ids.iter().collect::<BTreeSet<_>>().len(),
        "ids unique crate-wide"
    );
}

#[test]
fn fixtures_fail_exactly_on_marked_lines() {
    SUITE.assert_fixtures_fail_exactly_on_marked_lines();
}

#[test]
fn every_rule_has_a_passed_and_a_failed_result() {
    SUITE.assert_every_rule_has_a_passed_and_a_failed_result("Dockerfile");
}

fn one(out: &IacOutput, rule: &str) -> CheckResult {
    let v: Vec<&CheckResult> = out.results.iter().filter(|c| c.rule_id == rule).collect();
    assert_eq!(v.len(), 1, "{rule}: {v:#?}");
    v[0].clone()
}

#[test]
fn final_stage_user_follows_stage_chains() {
    let read = |f: &str| std::fs::read(SUITE.fixtures().join(f)).unwrap();
    // USER app in the parent stage is inherited by `FROM base`.
    let out = SUITE.run("Dockerfile", &read("root-user.pass-2.Dockerfile"));
    let r = one(&out, dockerfile::ROOT_USER);
    assert!(
        r.passed && r.message.contains("inherited from stage base"),
        "{r:?}"
    );
    assert_eq!(r.line, 3);
    // A build arg defaulting to root, re-declared in the stage.
    let out = SUITE.run("Dockerfile", &read("root-user.fail-3.Dockerfile"));
    let r = one(&out, dockerfile::ROOT_USER);
    assert!(!r.passed && r.message.contains("inherited"), "{r:?}");
    // distroless :nonroot without USER.
    let out = SUITE.run("Dockerfile", &read("root-user.pass-3.Dockerfile"));
    assert!(one(&out, dockerfile::ROOT_USER).passed);
    // Base images: scratch and stage references are not images; args resolve.
    let out = SUITE.run("Dockerfile", &read("base-image-tag.pass.Dockerfile"));
    let bases: Vec<String> = out
        .results
        .iter()
        .filter(|c| c.rule_id == dockerfile::BASE_IMAGE_TAG)
        .map(|c| c.message.clone())
        .collect();
    assert_eq!(bases.len(), 3, "{bases:#?}");
    assert!(
        bases
            .iter()
            .any(|m| m.contains("`${ALPINE}` (`alpine:3.20`)")),
        "{bases:#?}"
    );
}

#[test]
fn detection() {
    for p in [
        "Dockerfile",
        "svc/Dockerfile",
        "Dockerfile.prod",
        "api.Dockerfile",
        "x.dockerfile",
        "Containerfile",
    ] {
        assert!(dockerfile::is_dockerfile(p), "{p}");
        assert_eq!(
            iac::detect(p, b"FROM a:1\n"),
            Some(IacKind::Dockerfile),
            "{p}"
        );
    }
    for p in [
        "Dockerfile.md/README",
        "dockerfiles/build.sh",
        "MyDockerfile",
    ] {
        assert!(!dockerfile::is_dockerfile(p), "{p}");
    }
}

#[test]
fn parse_errors_name_the_file() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "garbage/Dockerfile",
            b"hello world\nthis is not a dockerfile\n".to_vec(),
        ),
        (
            "binary/Dockerfile",
            (0..5000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
                .collect(),
        ),
        ("nofrom/Dockerfile", b"# just a comment\n\n".to_vec()),
        (
            "before/Dockerfile",
            b"RUN echo hi\nFROM alpine:3\n".to_vec(),
        ),
        (
            "heredoc/Dockerfile",
            b"FROM alpine:3\nRUN <<EOF\necho never closed\n".to_vec(),
        ),
        ("escape/Dockerfile", b"# escape=x\nFROM alpine:3\n".to_vec()),
        ("empty/Dockerfile", Vec::new()),
        (
            "nul/Dockerfile",
            b"FROM alpine:3\x00\nRUN \x01\x02\n".to_vec(),
        ),
    ];
    for (name, bytes) in &cases {
        let out = SUITE.run(name, bytes);
        assert!(
            out.results.is_empty() || *name == "nul/Dockerfile",
            "{name}: {:?}",
            out.results
        );
        if *name == "nul/Dockerfile" {
            continue;
        }
        assert_eq!(out.errors.len(), 1, "{name}");
        match &out.errors[0] {
            ComplyError::Parse { path, .. } => assert_eq!(path, name),
            e => panic!("{e:?}"),
        }
    }
    // Odd but valid inputs do not panic.
    for text in [
        "FROM a\nRUN \\",
        "FROM a\nRUN \\\n\n\n",
        "FROM\tscratch\nUSER",
        "FROM a AS\nFROM a AS b\nFROM b\nADD\nENV\nARG\nENV =\nARG =x\nHEALTHCHECK\n",
        "FROM a\nRUN <<-'EOF' <<\"X\"\n\tEOF\nX\n",
        "FROM ${A:-${B}}\nUSER ${U:+x}\nRUN curl|sh\nRUN ['sudo'\n",
    ] {
        let _ = SUITE.run("Dockerfile", text.as_bytes());
    }
}

#[test]
fn large_file_is_fast_and_exact() {
    let mut s = String::from("FROM alpine:3.20\n");
    for i in 0..5000 {
        s.push_str(&format!(
            "RUN echo step {i} && \\\n    curl -fsSL https://example.com/{i} | sh\n"
        ));
    }
    s.push_str("USER 1000\n");
    assert!(s.lines().count() > 10_000);
    let start = std::time::Instant::now();
    let out = SUITE.run("Dockerfile", s.as_bytes());
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    let fails: Vec<usize> = out
        .results
        .iter()
        .filter(|c| c.rule_id == dockerfile::CURL_PIPE && !c.passed)
        .map(|c| c.line)
        .collect();
    assert_eq!(fails.len(), 5000);
    assert_eq!(fails[0], 3);
    assert_eq!(fails[4999], 3 + 2 * 4999);
}

#[test]
fn snapshots() {
    for (name, file) in [
        ("multistage", "scenario-multistage.Dockerfile"),
        ("windows", "scenario-windows.Dockerfile"),
    ] {
        insta::assert_snapshot!(name, SUITE.snapshot(file, file));
    }
}

// ---------------------------------------------------------------------------------------
// Example trees.

#[test]
fn misconfigured_example_findings_are_exactly_the_planted_ones() {
    let (out, _) = SUITE.assert_planted_exactly("k8s-docker-gha-misconfigured");
    assert!(out.kinds.contains(&IacKind::Dockerfile));
}

#[test]
fn hardened_example_has_no_failures_but_documented_info() {
    SUITE.assert_hardened("k8s-docker-gha-hardened", 6);
}
