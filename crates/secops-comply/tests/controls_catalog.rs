//! The catalog as a whole: every control of the design catalog is present, ids are unique,
//! every control maps to a clause, probes are consistent with `how`, and every control with
//! probes has a pass and a fail fixture.

use secops_comply::controls::{Catalog, Engine, How, ProbeDef};
use secops_comply::model::Framework;
use std::collections::BTreeSet;
use std::path::Path;

/// The 62 control ids of /work/shared/design/controls-catalog.md, kebab-cased.
const DESIGN_IDS: &[&str] = &[
    "ac-app-authz",
    "ac-iam-least-priv",
    "net-storage-not-public",
    "net-ingress-restricted",
    "net-datastore-private",
    "net-waf",
    "container-hardening",
    "auth-password-hashing",
    "auth-mfa",
    "auth-password-policy",
    "auth-brute-force",
    "auth-token-validation",
    "sess-cookie-flags",
    "sess-timeout",
    "sess-csrf",
    "tls-min-version",
    "tls-https-enforced",
    "tls-cert-validation",
    "tls-internal",
    "crypto-rest-storage",
    "crypto-rest-datastores",
    "crypto-key-mgmt",
    "crypto-primitives",
    "data-sensitive-fields",
    "log-app-audit",
    "log-no-sensitive-data",
    "log-cloud-audit-trail",
    "log-access-logs",
    "log-retention-protection",
    "mon-detection-alerting",
    "web-security-headers",
    "web-cors",
    "app-prod-config",
    "secrets-no-hardcoded",
    "secrets-store",
    "secrets-repo-hygiene",
    "cicd-sast",
    "cicd-sca",
    "cicd-dep-updates",
    "cicd-lockfiles",
    "cicd-pinned-refs",
    "cicd-token-permissions",
    "cicd-workflow-injection",
    "cicd-code-review",
    "cicd-tests-gate",
    "cicd-deploy-separation",
    "supply-sbom-provenance",
    "doc-security-policy",
    "doc-incident-response",
    "doc-breach-notification",
    "res-backup-recovery",
    "priv-erasure",
    "priv-portability",
    "priv-retention",
    "priv-by-default",
    "man-workforce-mfa",
    "man-access-lifecycle",
    "man-risk-assessment",
    "man-policies-training",
    "man-vendor-agreements",
    "man-pentest-scans",
    "man-infra-operations",
];

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/controls"
    ))
}

#[test]
fn every_design_control_is_in_the_catalog_once() {
    let cat = Catalog::builtin().expect("catalog loads");
    assert_eq!(DESIGN_IDS.len(), 62);
    let ids: Vec<&str> = cat.controls.iter().map(|c| c.id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    for d in DESIGN_IDS {
        assert!(
            unique.contains(format!("control.{d}").as_str()),
            "missing control.{d}"
        );
    }
    assert_eq!(
        ids.len(),
        DESIGN_IDS.len(),
        "controls not in the design: {ids:?}"
    );
}

#[test]
fn how_counts_match_the_design() {
    let cat = Catalog::builtin().unwrap();
    let count = |h: How, manual_part: bool| {
        cat.controls
            .iter()
            .filter(|c| c.how == h && (c.manual.is_some() == manual_part))
            .count()
    };
    // Design: 36 A + 5 A+M, 12 H + 2 H+M, 7 M. (NET-WAF, AUTH-MFA and MON-DETECTION-ALERTING
    // are H with a note on what to attach when no signal is found, so they count as H+M here.)
    assert_eq!(count(How::Automatic, false), 36);
    assert_eq!(count(How::Automatic, true), 5);
    assert_eq!(
        count(How::Heuristic, false) + count(How::Heuristic, true),
        14
    );
    assert_eq!(count(How::Manual, true), 7);
}

#[test]
fn every_control_maps_to_a_clause_and_has_text() {
    let cat = Catalog::builtin().unwrap();
    for c in &cat.controls {
        let n: usize = Framework::ALL.iter().map(|f| c.clauses.of(*f).len()).sum();
        assert!(n >= 1, "{} maps to no clause", c.id);
        for f in Framework::ALL {
            for cl in c.clauses.of(f) {
                assert!(
                    !cl.trim().is_empty() && !cl.contains('*'),
                    "{}: clause '{cl}'",
                    c.id
                );
            }
        }
        assert!(c.remediation.len() > 40, "{}: remediation too short", c.id);
        assert!(c.title.len() > 10, "{}", c.id);
        if c.how == How::Manual {
            assert!(c.probes.is_empty() && c.manual.is_some(), "{}", c.id);
        } else {
            assert!(!c.probes.is_empty(), "{}", c.id);
        }
    }
}

#[test]
fn every_control_with_probes_has_pass_and_fail_fixtures() {
    let cat = Catalog::builtin().unwrap();
    let mut missing = Vec::new();
    for c in cat.controls.iter().filter(|c| !c.probes.is_empty()) {
        let dir = fixtures().join(c.id.trim_start_matches("control."));
        for side in ["pass", "fail"] {
            let tree = dir.join(side);
            let synthetic = dir.join(format!("{side}.iac.json"));
            let ok = (tree.is_dir()
                && std::fs::read_dir(&tree)
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(false))
                || synthetic.is_file();
            if !ok {
                missing.push(format!("{}/{side}", c.id));
            }
        }
    }
    assert!(missing.is_empty(), "missing fixtures: {missing:?}");
}

#[test]
fn the_engine_compiles_and_iac_references_are_well_formed() {
    let cat = Catalog::builtin().unwrap();
    for c in &cat.controls {
        for p in &c.probes {
            if let ProbeDef::Iac { rules } = p {
                for r in rules {
                    let g = r.trim_start_matches('!');
                    assert!(g.starts_with("iac."), "{}: {r}", c.id);
                }
            }
        }
    }
    Engine::new(cat).expect("engine compiles");
}

/// Once the IaC checks exist, each IaC probe should match at least one real rule of the kinds
/// it names: a pattern that matches nothing means the catalog and the checks drifted apart.
#[test]
fn iac_probe_patterns_match_existing_rules() {
    let rules = secops_comply::iac::rules();
    let cat = Catalog::builtin().unwrap();
    let mut unmatched = Vec::new();
    for c in &cat.controls {
        for p in &c.probes {
            let ProbeDef::Iac { rules: pats } = p else {
                continue;
            };
            for pat in pats.iter().filter(|p| !p.starts_with('!')) {
                let kind = pat.split('.').nth(1).unwrap_or("");
                let glob = globset::Glob::new(pat).unwrap().compile_matcher();
                let kind_rules: Vec<&str> = rules
                    .iter()
                    .map(|r| r.id)
                    .filter(|id| {
                        let k = id.split('.').nth(1).unwrap_or("");
                        globset::Glob::new(&format!("iac.{kind}.x"))
                            .map(|g| g.compile_matcher().is_match(format!("iac.{k}.x")))
                            .unwrap_or(false)
                    })
                    .collect();
                if !kind_rules.is_empty() && !kind_rules.iter().any(|id| glob.is_match(id)) {
                    unmatched.push(format!("{}: {pat}", c.id));
                }
            }
        }
    }
    // A drift report, not a failure: the IaC checks are written in parallel branches.
    if !unmatched.is_empty() {
        eprintln!(
            "IaC patterns matching no rule of their kind:\n  {}",
            unmatched.join("\n  ")
        );
    }
}

#[test]
fn user_controls_and_disable() {
    let mut cat = Catalog::builtin().unwrap();
    let n = cat.controls.len();
    let user: toml::Value = toml::from_str(
        r#"
id = "control.team-no-print"
title = "No print debugging in the service"
severity = "low"
how = "automatic"
absent = "pass"
remediation = "Use the logger instead of print statements."
clauses = { soc2 = ["CC7.2"] }
[[probe]]
kind = "code"
lang = ["python"]
fail = ['(?m)^\s*print\(']
"#,
    )
    .unwrap();
    cat.add_user(&[user], ".secops.toml").unwrap();
    assert_eq!(cat.controls.len(), n + 1);
    let unused = cat.disable(&["control.priv-*".into(), "control.nope".into()]);
    assert_eq!(unused, vec!["control.nope".to_string()]);
    assert_eq!(cat.controls.len(), n + 1 - 4);
    // Bad user controls are errors that name the origin.
    let bad: toml::Value = toml::from_str(
        "id = \"control.x\"\ntitle = \"t\"\nseverity = \"low\"\nhow = \"automatic\"\nremediation = \"r\"\nclauses = {}\n",
    )
    .unwrap();
    let err = cat.add_user(&[bad], "my.toml").unwrap_err().to_string();
    assert!(err.contains("my.toml") && err.contains("clause"), "{err}");
    let bad_regex: toml::Value = toml::from_str(
        "id = \"control.y\"\ntitle = \"t\"\nseverity = \"low\"\nhow = \"heuristic\"\nremediation = \"r\"\nclauses = { gdpr = [\"5\"] }\n[[probe]]\nkind = \"code\"\nlang = [\"python\"]\npass = [\"(\"]\n",
    )
    .unwrap();
    assert!(cat.add_user(&[bad_regex], "my.toml").is_err());
    let unknown_fact: toml::Value = toml::from_str(
        "id = \"control.z\"\ntitle = \"t\"\nseverity = \"low\"\nhow = \"manual\"\nmanual = \"m\"\napplies_if = [\"blockchain\"]\nremediation = \"r\"\nclauses = { gdpr = [\"5\"] }\n",
    )
    .unwrap();
    let err = cat
        .add_user(&[unknown_fact], "my.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("blockchain"), "{err}");
}
