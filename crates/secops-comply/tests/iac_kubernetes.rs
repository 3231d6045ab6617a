//! Kubernetes checks: fixtures with `# expect-fail: <check>` markers on the exact lines that
//! must fail, a pass and a fail fixture per rule, robustness, snapshots and the example trees.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Marker, Suite};
use secops_comply::iac::{kubernetes, CheckResult, IacKind};
use secops_comply::ComplyError;
use std::collections::BTreeSet;

const SUITE: Suite = Suite {
    kind: IacKind::Kubernetes,
    prefix: "iac.kubernetes.",
    dir: "kubernetes",
    exts: &["yaml", "yml"],
    ext: "yaml",
    marker: Marker::SameLine,
    rules: kubernetes::rules,
    check: kubernetes::check,
    // One document of it is an unrendered template: the others are still checked.
    parse_errors_ok: &["scenario-helm-template-raw.yaml"],
};

#[test]
fn catalog_is_consistent() {
    SUITE.assert_catalog(15);
}

#[test]
fn fixtures_fail_exactly_on_marked_lines() {
    SUITE.assert_fixtures_fail_exactly_on_marked_lines();
}

#[test]
fn every_rule_has_a_passed_and_a_failed_result() {
    SUITE.assert_every_rule_has_a_passed_and_a_failed_result("f.yaml");
}

#[test]
fn container_settings_override_the_pod() {
    let text = std::fs::read_to_string(SUITE.fixtures().join("run-as-root.pass.yaml")).unwrap();
    let out = SUITE.run("p.yaml", text.as_bytes());
    let r: Vec<&CheckResult> = out
        .results
        .iter()
        .filter(|c| {
            c.rule_id == kubernetes::RUN_AS_ROOT && c.resource == "Pod/uid-only container app"
        })
        .collect();
    assert_eq!(r.len(), 1);
    assert!(r[0].passed);
    assert!(r[0].message.contains("runAsUser: 1001") && r[0].message.contains("container level"));
    assert_eq!(r[0].line, 30);
}

#[test]
fn unrendered_template_document_is_a_parse_error_only_for_itself() {
    let text =
        std::fs::read_to_string(SUITE.fixtures().join("scenario-helm-template-raw.yaml")).unwrap();
    let out = SUITE.run("charts/app/templates/pods.yaml", text.as_bytes());
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    match &out.errors[0] {
        ComplyError::Parse {
            path,
            line,
            message,
        } => {
            assert_eq!(path, "charts/app/templates/pods.yaml");
            let l = line.expect("line");
            assert!((17..=35).contains(&l), "line {l}");
            assert!(message.contains("template"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    let names: BTreeSet<&str> = out
        .results
        .iter()
        .map(|c| c.resource.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["Pod/after-template", "Pod/before-template"])
    );
}

#[test]
fn helm_source_is_named_in_messages() {
    let text =
        std::fs::read_to_string(SUITE.fixtures().join("scenario-helm-rendered.yaml")).unwrap();
    let out = SUITE.run("rendered.yaml", text.as_bytes());
    let img = out
        .results
        .iter()
        .find(|c| {
            c.rule_id == kubernetes::IMAGE_TAG
                && !c.passed
                && c.resource.starts_with("Deployment/shop")
        })
        .expect("image result");
    assert!(
        img.message
            .ends_with("(from shop/templates/deployment.yaml)"),
        "{}",
        img.message
    );
    // The ServiceAccount of the chart disables the token for the Deployment's pods.
    let auto = out
        .results
        .iter()
        .find(|c| c.rule_id == kubernetes::AUTOMOUNT && c.resource == "Deployment/shop")
        .expect("automount result");
    assert!(auto.passed, "{auto:?}");
}

#[test]
fn snapshots() {
    for (name, file) in [
        ("helm_rendered", "scenario-helm-rendered.yaml"),
        ("list_and_rbac", "scenario-list.yaml"),
    ] {
        insta::assert_snapshot!(name, SUITE.snapshot(file, file));
    }
}

#[test]
fn robustness() {
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("binary.yaml", garbage),
        ("nul.yaml", b"apiVersion: v1\nkind: Pod\x00\x01\x02\n".to_vec()),
        ("invalid.yaml", b"apiVersion: v1\nkind: Pod\nspec: [unclosed\n  containers: {\n".to_vec()),
        ("tabs.yaml", b"apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n".to_vec()),
        ("scalar.yaml", b"just a string\n".to_vec()),
        ("empty.yaml", Vec::new()),
        ("deep.yaml", {
            let mut s = String::from("apiVersion: v1\nkind: Pod\nspec:\n");
            for i in 0..400 {
                s.push_str(&" ".repeat(2 * (i + 1)));
                s.push_str("a:\n");
            }
            s.into_bytes()
        }),
        ("flowdeep.yaml", format!("apiVersion: v1\nkind: Pod\nspec: {}\n", "[".repeat(5000)).into_bytes()),
        ("weird.yaml", b"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - - - x\n  -\n  - name: [a\n  ? complex\n  : value\n  volumes: 3\n  securityContext: [1]\n".to_vec()),
        ("types.yaml", b"apiVersion: v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: 1\n          image: 5\n          securityContext: 7\n          resources: {limits: []}\n      volumes:\n        - hostPath: {path: 3}\n".to_vec()),
    ];
    // A 10k-line multi-document file.
    let mut big = String::new();
    for i in 0..530 {
        big.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n    - name: c\n      image: app:{i}\n      securityContext:\n        privileged: {}\n        runAsUser: 1000\n      resources:\n        limits: {{cpu: 1, memory: 1Gi}}\n  volumes:\n    - name: v\n      hostPath:\n        path: /var/run/docker.sock\n  hostNetwork: false\n",
            i % 2 == 0
        ));
    }
    assert!(big.lines().count() >= 10_000);
    cases.push(("big.yaml", big.clone().into_bytes()));
    for (name, bytes) in &cases {
        let out = SUITE.run(name, bytes);
        for e in &out.errors {
            match e {
                ComplyError::Parse { path, .. } => assert_eq!(path, name),
                e => panic!("{name}: {e:?}"),
            }
        }
        if [
            "binary.yaml",
            "nul.yaml",
            "invalid.yaml",
            "tabs.yaml",
            "flowdeep.yaml",
        ]
        .contains(name)
        {
            assert!(!out.errors.is_empty(), "{name}: expected a parse error");
        }
    }
    let start = std::time::Instant::now();
    let out = SUITE.run("big.yaml", big.as_bytes());
    let elapsed = start.elapsed();
    assert!(out.errors.is_empty());
    let privileged: Vec<&CheckResult> = out
        .results
        .iter()
        .filter(|c| c.rule_id == kubernetes::PRIVILEGED && !c.passed)
        .collect();
    assert_eq!(privileged.len(), 265);
    // Pod p0 starts at line 2 (after `---`) and its privileged flag is on line 11.
    assert_eq!(privileged[0].line, 11);
    assert_eq!(privileged[1].line, 11 + 2 * 19);
    assert!(elapsed.as_secs() < 10, "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------
// Example trees (shared with the Dockerfile and GitHub Actions tests: each checks its kind).

#[test]
fn misconfigured_example_findings_are_exactly_the_planted_ones() {
    let (_, want) = SUITE.assert_planted_exactly("k8s-docker-gha-misconfigured");
    assert!(want.len() >= 15, "{} planted kubernetes issues", want.len());
}

#[test]
fn hardened_example_has_no_failures_but_documented_info() {
    let out = SUITE.assert_hardened("k8s-docker-gha-hardened", 30);
    // And the documented one is really reported.
    let documented = common::planted("k8s-docker-gha-hardened");
    assert_eq!(documented.len(), 1);
    for (path, line, rule) in &documented {
        assert!(
            out.results
                .iter()
                .any(|c| !c.passed && &c.path == path && c.line == *line && c.rule_id == rule),
            "documented {path}:{line} {rule} not reported"
        );
    }
}
