//! GitHub Actions checks: fixtures with `# expect-fail: <check>` markers on the exact lines
//! that must fail, a pass and a fail fixture per rule, robustness, snapshots and the example
//! trees.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Marker, Suite};
use secops_comply::iac::{github_actions, CheckResult, IacKind, IacOutput};
use secops_comply::ComplyError;
use std::collections::BTreeSet;

const SUITE: Suite = Suite {
    kind: IacKind::GithubActions,
    prefix: "iac.github-actions.",
    dir: "github-actions",
    exts: &["yaml", "yml"],
    ext: "yml",
    marker: Marker::SameLine,
    rules: github_actions::rules,
    check: github_actions::check,
    parse_errors_ok: &[],
};

#[test]
fn catalog_is_consistent() {
    SUITE.assert_catalog(8);
}

#[test]
fn fixtures_fail_exactly_on_marked_lines() {
    SUITE.assert_fixtures_fail_exactly_on_marked_lines();
}

#[test]
fn every_rule_has_a_passed_and_a_failed_result() {
    SUITE.assert_every_rule_has_a_passed_and_a_failed_result(".github/workflows/f.yml");
}

fn fixture(name: &str) -> IacOutput {
    let text = std::fs::read(SUITE.fixtures().join(name)).unwrap();
    SUITE.run(name, &text)
}

#[test]
fn messages_name_what_was_found() {
    let out = fixture("template-injection.fail.yml");
    let env = out
        .results
        .iter()
        .find(|c| c.rule_id == github_actions::TEMPLATE_INJECTION && !c.passed && c.line == 28)
        .expect("env indirection");
    assert!(
        env.message
            .contains("env.TITLE (set from github.event.issue.title)"),
        "{}",
        env.message
    );
    assert_eq!(env.resource, "job triage step 3");

    let out = fixture("untrusted-checkout.fail.yml");
    let f: Vec<&CheckResult> = out
        .results
        .iter()
        .filter(|c| c.rule_id == github_actions::UNTRUSTED_CHECKOUT)
        .collect();
    assert_eq!(f.len(), 2);
    assert!(
        f[0].message.contains("pull_request_target")
            && f[0].message.contains("step 3 runs `npm ci && npm test`"),
        "{}",
        f[0].message
    );
    // upload-artifact does not run the code; the build action after it does.
    assert!(
        f[1].message
            .contains("step 3 uses `docker/build-push-action@"),
        "{}",
        f[1].message
    );

    let out = fixture("untrusted-checkout.pass.yml");
    let msgs: Vec<&str> = out
        .results
        .iter()
        .filter(|c| c.rule_id == github_actions::UNTRUSTED_CHECKOUT)
        .map(|c| c.message.as_str())
        .collect();
    assert_eq!(msgs.len(), 3);
    assert!(
        msgs.iter()
            .any(|m| m.contains("same") || m.contains("from this repository")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("runs nothing after it")),
        "{msgs:?}"
    );
}

#[test]
fn first_and_third_party_pinning_are_separate_rules() {
    let out = fixture("scenario-ci.yml");
    let unpinned: BTreeSet<(&str, usize)> = out
        .results
        .iter()
        .filter(|c| {
            !c.passed
                && (c.rule_id == github_actions::UNPINNED
                    || c.rule_id == github_actions::UNPINNED_GITHUB)
        })
        .map(|c| (c.rule_id, c.line))
        .collect();
    assert_eq!(
        unpinned,
        BTreeSet::from([
            (github_actions::UNPINNED_GITHUB, 15),
            (github_actions::UNPINNED_GITHUB, 16),
            (github_actions::UNPINNED, 36),
        ])
    );
    let sev = |id: &str| {
        github_actions::rules()
            .into_iter()
            .find(|r| r.id == id)
            .unwrap()
            .severity
    };
    assert!(sev(github_actions::UNPINNED) > sev(github_actions::UNPINNED_GITHUB));
}

#[test]
fn non_workflow_yaml_and_detection() {
    // Not under .github/workflows: not a workflow.
    assert!(!github_actions::is_workflow("ci/workflows/x.yml"));
    assert!(github_actions::is_workflow("svc/.github/workflows/x.yaml"));
    // A YAML file without jobs gives nothing.
    let out = SUITE.run(".github/workflows/x.yml", b"name: x\non: push\n");
    assert!(out.results.is_empty() && out.errors.is_empty());
}

#[test]
fn robustness() {
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (".github/workflows/binary.yml", garbage),
        (".github/workflows/invalid.yml", b"on: push\njobs:\n  a:\n    steps: [\n".to_vec()),
        (".github/workflows/dup.yml", b"on: push\njobs: {}\njobs: {}\n".to_vec()),
        (".github/workflows/empty.yml", Vec::new()),
        (".github/workflows/scalar.yml", b"hello\n".to_vec()),
        (".github/workflows/types.yml", b"on: 3\npermissions: [1]\njobs:\n  a: 1\n  b:\n    steps: 2\n    runs-on: {labels: 4}\n  c:\n    steps:\n      - uses: 5\n      - run: [1]\n      - uses: actions/checkout\n        with: 7\n      - uses: '@'\n      - uses: docker://\n      - run: '${{'\n".to_vec()),
        (".github/workflows/expr.yml", b"on: issues\njobs:\n  a:\n    steps:\n      - run: |\n          echo ${{ github.event.issue.title\n          }} ${{ }} ${{ github.event.issue.body }}}}\n".to_vec()),
    ];
    for (name, bytes) in &cases {
        let out = SUITE.run(name, bytes);
        for e in &out.errors {
            match e {
                ComplyError::Parse { path, .. } => assert_eq!(path, name),
                e => panic!("{name}: {e:?}"),
            }
        }
        if ["binary", "invalid", "dup"]
            .iter()
            .any(|b| name.contains(b))
        {
            assert!(!out.errors.is_empty(), "{name}: expected a parse error");
        }
    }
    // A 10k-line workflow.
    let mut s = String::from(
        "on: issues\npermissions: {}\njobs:\n  big:\n    runs-on: ubuntu-latest\n    steps:\n",
    );
    for i in 0..2500 {
        s.push_str(&format!(
            "      - name: step {i}\n        run: |\n          echo \"${{{{ github.event.issue.title }}}}\"\n          echo {i}\n"
        ));
    }
    assert!(s.lines().count() > 10_000);
    let start = std::time::Instant::now();
    let out = SUITE.run(".github/workflows/big.yml", s.as_bytes());
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let lines: Vec<usize> = out
        .results
        .iter()
        .filter(|c| c.rule_id == github_actions::TEMPLATE_INJECTION && !c.passed)
        .map(|c| c.line)
        .collect();
    assert_eq!(lines.len(), 2500);
    assert_eq!(lines[0], 9);
    assert_eq!(lines[2499], 9 + 4 * 2499);
}

#[test]
fn snapshots() {
    for (name, file) in [
        ("scenario_ci", "scenario-ci.yml"),
        ("secrets_in_logs", "secrets-in-logs.fail.yml"),
    ] {
        insta::assert_snapshot!(
            name,
            SUITE.snapshot(file, &format!(".github/workflows/{file}"))
        );
    }
}

// ---------------------------------------------------------------------------------------
// Example trees (shared with the Kubernetes and Dockerfile tests: each checks its kind).

#[test]
fn misconfigured_example_findings_are_exactly_the_planted_ones() {
    let (_, want) = SUITE.assert_planted_exactly("k8s-docker-gha-misconfigured");
    assert!(want.len() >= 9, "{} planted issues", want.len());
}

#[test]
fn hardened_example_has_no_failures_but_documented_info() {
    SUITE.assert_hardened("k8s-docker-gha-hardened", 10);
}
