//! Terraform checks: fixture expectations (every rule has a passing and a failing fixture),
//! the rule catalog, variable/local resolution, parse errors, hostile inputs, and the example
//! projects (every planted issue found; the hardened project mostly passes).

#![allow(clippy::unwrap_used)]

mod common;

use common::{check_files, load, manifest_dir};
use secops_comply::iac::{self, terraform, CheckResult, IacKind, IacOutput};
use secops_comply::ComplyError;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    manifest_dir().join("tests/fixtures/iac/terraform")
}

fn run_mem(files: &[(&str, &str)]) -> IacOutput {
    let owned: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    check_files(&owned)
}

fn render(results: &[CheckResult]) -> String {
    let mut s = String::new();
    for r in results {
        s.push_str(&format!(
            "{}:{} {} {} {}: {}\n",
            r.path,
            r.line,
            r.rule_id,
            if r.passed { "PASS" } else { "FAIL" },
            r.resource,
            r.message
        ));
    }
    s
}

fn find<'a>(out: &'a IacOutput, rule: &str, resource: &str) -> Vec<&'a CheckResult> {
    out.results
        .iter()
        .filter(|r| r.rule_id == rule && r.resource == resource)
        .collect()
}

/// `# expect: <check> pass|fail` comments directly above a `resource`/`data` header.
#[derive(Debug)]
struct Expect {
    file: String,
    line: usize,
    resource: String,
    rule: String,
    pass: bool,
}

fn expectations(files: &[(String, Vec<u8>)]) -> Vec<Expect> {
    let mut out = Vec::new();
    for (path, bytes) in files {
        if !path.ends_with(".tf") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let mut pending: Vec<(usize, String, bool)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("# expect:") {
                let mut parts = rest.split_whitespace();
                let rule = parts.next().expect("rule").to_string();
                let pass = match parts.next() {
                    Some("pass") => true,
                    Some("fail") => false,
                    other => panic!("{path}:{}: bad expectation {other:?}", i + 1),
                };
                pending.push((i + 1, rule, pass));
                continue;
            }
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if pending.is_empty() {
                continue;
            }
            let words: Vec<&str> = t.split_whitespace().collect();
            let addr = match words.as_slice() {
                ["resource", ty, name, ..] => {
                    format!("{}.{}", ty.trim_matches('"'), name.trim_matches('"'))
                }
                ["data", ty, name, ..] => {
                    format!("data.{}.{}", ty.trim_matches('"'), name.trim_matches('"'))
                }
                _ => panic!(
                    "{path}:{}: expectation not followed by a block header",
                    i + 1
                ),
            };
            for (l, rule, pass) in pending.drain(..) {
                out.push(Expect {
                    file: path.clone(),
                    line: l,
                    resource: addr.clone(),
                    rule: format!("iac.terraform.{rule}"),
                    pass,
                });
            }
        }
        assert!(pending.is_empty(), "{path}: dangling expectation");
    }
    out
}

#[test]
fn fixture_expectations_hold() {
    let files = load(&fixtures());
    let out = check_files(&files);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let exp = expectations(&files);
    assert!(exp.len() > 150, "only {} expectations", exp.len());
    let mut problems = Vec::new();
    for e in &exp {
        let got = find(&out, &e.rule, &e.resource);
        if got.is_empty() {
            problems.push(format!(
                "{}:{} {} on {}: no result",
                e.file, e.line, e.rule, e.resource
            ));
        } else if got.iter().any(|r| r.passed != e.pass) {
            problems.push(format!(
                "{}:{} {} on {}: expected {}, got {}",
                e.file,
                e.line,
                e.rule,
                e.resource,
                if e.pass { "pass" } else { "fail" },
                render(&got.into_iter().cloned().collect::<Vec<_>>())
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The catalog test: every rule has a passing and a failing fixture, both annotated and
/// actually produced.
#[test]
fn every_rule_has_passing_and_failing_fixtures() {
    let files = load(&fixtures());
    let out = check_files(&files);
    let exp = expectations(&files);
    let mut missing = Vec::new();
    for rule in terraform::rules() {
        for want in [true, false] {
            let annotated = exp.iter().any(|e| e.rule == rule.id && e.pass == want);
            let produced = out
                .results
                .iter()
                .any(|r| r.rule_id == rule.id && r.passed == want);
            if !annotated || !produced {
                missing.push(format!(
                    "{} lacks a {} fixture (annotated {annotated}, produced {produced})",
                    rule.id,
                    if want { "passing" } else { "failing" }
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn catalog_is_well_formed() {
    let rules = terraform::rules();
    assert!(rules.len() >= 50, "{} rules", rules.len());
    let mut ids = HashSet::new();
    let mut per_provider: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rules {
        assert!(ids.insert(r.id), "duplicate id {}", r.id);
        let rest =
            r.id.strip_prefix("iac.terraform.")
                .unwrap_or_else(|| panic!("{}: wrong prefix", r.id));
        let provider = rest.split('-').next().unwrap();
        assert!(
            ["aws", "gcp", "azure"].contains(&provider),
            "{}: provider",
            r.id
        );
        *per_provider.entry(provider).or_default() += 1;
        assert!(
            rest.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: id characters",
            r.id
        );
        assert_eq!(r.kind, IacKind::Terraform);
        assert!(!r.title.is_empty() && r.title.len() < 90, "{}: title", r.id);
        assert!(r.help.len() >= 60, "{}: help too short", r.id);
        assert!(
            r.severity > secops_core::Severity::Info,
            "{}: severity",
            r.id
        );
        if let Some(c) = r.cwe {
            assert!((1..2000).contains(&c), "{}: cwe {c}", r.id);
        }
    }
    assert!(per_provider["aws"] >= 25, "{per_provider:?}");
    assert!(per_provider["gcp"] >= 12, "{per_provider:?}");
    assert!(per_provider["azure"] >= 12, "{per_provider:?}");
    // The IaC catalog includes ours.
    let all: HashSet<&str> = iac::rules().iter().map(|r| r.id).collect();
    assert!(ids.iter().all(|id| all.contains(id)));
    // Every result refers to a catalog rule.
    let out = check_files(&load(&fixtures()));
    for r in &out.results {
        assert!(ids.contains(r.rule_id), "unknown rule {}", r.rule_id);
    }
}

#[test]
fn fixture_results_snapshot() {
    let files = load(&fixtures());
    let out = check_files(&files);
    for provider in ["aws", "gcp", "azure"] {
        let mine: Vec<CheckResult> = out
            .results
            .iter()
            .filter(|r| r.path.starts_with(provider))
            .cloned()
            .collect();
        insta::assert_snapshot!(format!("fixtures_{provider}"), render(&mine));
    }
}

#[test]
fn deciding_lines_point_at_the_attribute() {
    let files = load(&fixtures());
    let out = check_files(&files);
    let line_of = |file: &str, needle: &str| -> usize {
        let (_, b) = files.iter().find(|(p, _)| p == file).unwrap();
        String::from_utf8_lossy(b)
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{needle} not in {file}"))
    };
    let sg = find(
        &out,
        "iac.terraform.aws-sg-open-ingress",
        "aws_security_group.ssh_world",
    );
    assert_eq!(sg[0].path, "aws/network.tf");
    assert_eq!(
        sg[0].line,
        line_of("aws/network.tf", "cidr_blocks = [var.admin_cidr]")
    );
    // A companion resource decides: the result names the bucket, the location is the ACL.
    let acl = find(
        &out,
        "iac.terraform.aws-s3-public-acl",
        "aws_s3_bucket.public_acl",
    );
    assert_eq!(
        acl[0].line,
        line_of("aws/s3.tf", "acl    = \"public-read\"")
    );
    // Inside a heredoc policy.
    let pol = find(
        &out,
        "iac.terraform.aws-s3-public-policy",
        "aws_s3_bucket.legacy_public",
    );
    assert_eq!(pol[0].line, line_of("aws/s3.tf", "\"Principal\": \"*\""));
    // The n-th nested block.
    let nsg = find(
        &out,
        "iac.terraform.azure-nsg-open-ingress",
        "azurerm_network_security_group.open_ssh",
    );
    let text = String::from_utf8_lossy(
        &files
            .iter()
            .find(|(p, _)| p == "azure/network.tf")
            .unwrap()
            .1,
    )
    .to_string();
    assert!(text
        .lines()
        .nth(nsg[0].line - 1)
        .unwrap()
        .contains("source_address_prefix"));
    assert!(nsg[0].line > line_of("azure/network.tf", "name                       = \"ssh\""));
    // The policy document a policy resource uses.
    let doc = find(
        &out,
        "iac.terraform.aws-iam-wildcard-policy",
        "aws_iam_policy.from_doc",
    );
    assert_eq!(doc[0].path, "aws/iam.tf");
    assert_eq!(doc[0].line, line_of("aws/iam.tf", "actions   = [\"*\"]"));
}

// ---------------------------------------------------------------------------------------------
// Resolution

const BUCKET_MODULE_VARS: &str = r#"
variable "public" {
  default = true
}
variable "prefix" {
  default = "acme"
}
locals {
  acl  = var.public ? "public-read" : "private"
  name = "${var.prefix}-data"
}
"#;

const BUCKET_MODULE_MAIN: &str = r#"resource "aws_s3_bucket" "data" {
  bucket = local.name
  acl    = local.acl
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = "acme-data"
  versioning_configuration {
    status = "Enabled"
  }
}
"#;

#[test]
fn variables_and_locals_resolve_across_files() {
    let out = run_mem(&[
        ("m/variables.tf", BUCKET_MODULE_VARS),
        ("m/main.tf", BUCKET_MODULE_MAIN),
    ]);
    let acl = find(
        &out,
        "iac.terraform.aws-s3-public-acl",
        "aws_s3_bucket.data",
    );
    assert_eq!(acl.len(), 1);
    assert!(!acl[0].passed);
    assert_eq!(acl[0].message, "acl = \"public-read\"");
    assert_eq!((acl[0].path.as_str(), acl[0].line), ("m/main.tf", 3));
    // The versioning resource names the bucket by the literal the template evaluates to.
    let v = find(
        &out,
        "iac.terraform.aws-s3-versioning",
        "aws_s3_bucket.data",
    );
    assert!(v[0].passed, "{v:?}");
    assert_eq!(v[0].line, 9);
}

#[test]
fn tfvars_override_defaults() {
    let out = run_mem(&[
        ("m/variables.tf", BUCKET_MODULE_VARS),
        ("m/main.tf", BUCKET_MODULE_MAIN),
        ("m/terraform.tfvars", "public = false\nprefix = \"other\"\n"),
    ]);
    let acl = find(
        &out,
        "iac.terraform.aws-s3-public-acl",
        "aws_s3_bucket.data",
    );
    assert!(acl[0].passed, "{acl:?}");
    // The bucket is now "other-data": the versioning resource no longer names it.
    let v = find(
        &out,
        "iac.terraform.aws-s3-versioning",
        "aws_s3_bucket.data",
    );
    assert!(!v[0].passed, "{v:?}");
    // A non-auto tfvars file is not loaded.
    assert!(!terraform::is_terraform("m/prod.tfvars"));
    assert!(terraform::is_terraform("m/x.auto.tfvars"));
    assert!(terraform::is_terraform("terraform.tfvars"));
    assert!(terraform::is_terraform("main.tf"));
    assert!(!terraform::is_terraform("main.tf.json"));
}

#[test]
fn unknown_values_are_not_guessed() {
    let out = run_mem(&[(
        "m/main.tf",
        r#"
variable "public" {}
variable "cidr" {
  type = string
}
resource "aws_db_instance" "db" {
  publicly_accessible     = var.public
  storage_encrypted       = module.settings.encrypted
  backup_retention_period = 7
}
resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = [var.cidr]
}
"#,
    )]);
    assert!(find(&out, "iac.terraform.aws-rds-public", "aws_db_instance.db").is_empty());
    assert!(find(
        &out,
        "iac.terraform.aws-rds-storage-encrypted",
        "aws_db_instance.db"
    )
    .is_empty());
    assert!(
        find(
            &out,
            "iac.terraform.aws-rds-backup-retention",
            "aws_db_instance.db"
        )[0]
        .passed
    );
    assert!(find(
        &out,
        "iac.terraform.aws-sg-open-ingress",
        "aws_security_group_rule.ssh"
    )
    .is_empty());
}

#[test]
fn functions_conditionals_and_dynamic_blocks() {
    let out = run_mem(&[(
        "net/main.tf",
        r#"
variable "env" { default = "prod" }
variable "open" { default = true }
locals {
  office  = ["198.51.100.0/24"]
  ports   = { ssh = 22, web = 443 }
  cfg     = merge({ port = 80 }, { port = lookup(local.ports, "ssh", 0) })
  sources = concat(local.office, [var.open ? "0.0.0.0/0" : "10.0.0.0/8"])
  rules   = [for p in [22] : { port = p }]
}
resource "aws_security_group" "a" {
  ingress {
    from_port   = local.cfg.port
    to_port     = local.cfg["port"]
    protocol    = "tcp"
    cidr_blocks = local.sources
  }
}
resource "aws_security_group" "b" {
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.env == "prod" ? local.office : ["0.0.0.0/0"]
    }
  }
}
resource "aws_security_group" "c" {
  dynamic "ingress" {
    for_each = local.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
resource "aws_kms_key" "k" {
  enable_key_rotation = tobool(format("%s", "true"))
}
"#,
    )]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let a = find(
        &out,
        "iac.terraform.aws-sg-open-ingress",
        "aws_security_group.a",
    );
    assert!(!a[0].passed, "{a:?}");
    assert!(a[0].message.contains("port 22"), "{}", a[0].message);
    let b = find(
        &out,
        "iac.terraform.aws-sg-open-ingress",
        "aws_security_group.b",
    );
    assert!(b[0].passed, "{b:?}");
    // A `for` expression is not evaluated: no verdict rather than a guess.
    assert!(find(
        &out,
        "iac.terraform.aws-sg-open-ingress",
        "aws_security_group.c"
    )
    .is_empty());
    assert!(find(&out, "iac.terraform.aws-kms-rotation", "aws_kms_key.k")[0].passed);
}

#[test]
fn unresolvable_companions_suspend_absence_verdicts() {
    let out = run_mem(&[(
        "m/main.tf",
        r#"
variable "names" {}
resource "aws_s3_bucket" "a" {
  bucket = "a"
}
resource "aws_s3_bucket_public_access_block" "all" {
  for_each                = toset(var.names)
  bucket                  = each.value
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = module.buckets.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_logging" "other" {
  bucket        = "some-external-bucket"
  target_bucket = "log-bucket"
}
"#,
    )]);
    // The block and the versioning may be for this bucket: no verdict either way.
    assert!(find(
        &out,
        "iac.terraform.aws-s3-public-access-block",
        "aws_s3_bucket.a"
    )
    .is_empty());
    assert!(find(&out, "iac.terraform.aws-s3-versioning", "aws_s3_bucket.a").is_empty());
    // The logging resource names another bucket: this one has none.
    assert!(
        !find(
            &out,
            "iac.terraform.aws-s3-access-logging",
            "aws_s3_bucket.a"
        )[0]
        .passed
    );
}

#[test]
fn resources_not_created_are_not_evaluated() {
    let out = run_mem(&[(
        "m/main.tf",
        r#"
variable "enabled" {
  default = false
}
resource "aws_kms_key" "optional" {
  count = var.enabled ? 1 : 0
}
resource "aws_kms_key" "per_env" {
  for_each = {}
}
resource "aws_kms_key" "always" {
  count = 1
}
"#,
    )]);
    let k: Vec<&str> = out.results.iter().map(|r| r.resource.as_str()).collect();
    assert_eq!(k, vec!["aws_kms_key.always"]);
}

#[test]
fn each_directory_is_its_own_module() {
    let out = run_mem(&[
        ("a/vars.tf", "variable \"rotate\" {\n  default = true\n}\n"),
        (
            "a/main.tf",
            "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rotate\n}\n",
        ),
        (
            "b/main.tf",
            "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rotate\n}\n",
        ),
    ]);
    let k: Vec<_> = out
        .results
        .iter()
        .filter(|r| r.rule_id == "iac.terraform.aws-kms-rotation")
        .collect();
    assert_eq!(k.len(), 1, "{k:?}");
    assert_eq!(k[0].path, "a/main.tf");
    assert!(k[0].passed);
}

// ---------------------------------------------------------------------------------------------
// Errors and hostile input

#[test]
fn broken_file_is_a_parse_error_and_the_rest_is_checked() {
    let out = run_mem(&[
        (
            "infra/broken.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n",
        ),
        (
            "infra/kms.tf",
            "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n",
        ),
        (
            "other/ok.tf",
            "resource \"aws_sns_topic\" \"t\" {\n  name = \"x\"\n}\n",
        ),
    ]);
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    match &out.errors[0] {
        ComplyError::Parse {
            path,
            line,
            message,
        } => {
            assert_eq!(path, "infra/broken.tf");
            assert_eq!(*line, Some(2));
            assert!(message.contains("parse"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(out.errors[0].to_string().starts_with("infra/broken.tf:2: "));
    let k = find(&out, "iac.terraform.aws-kms-rotation", "aws_kms_key.k");
    assert_eq!(
        (k[0].path.as_str(), k[0].line, k[0].passed),
        ("infra/kms.tf", 2, false)
    );
    assert_eq!(
        find(&out, "iac.terraform.aws-sns-encryption", "aws_sns_topic.t").len(),
        1
    );
    assert!(out.kinds.contains(&IacKind::Terraform));
}

#[test]
fn hostile_inputs_do_not_panic() {
    let deep_brackets = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_blocks = format!("{}{}", "a {\n".repeat(5_000), "}\n".repeat(5_000));
    let long_line = format!("x = \"{}\"\n", "a".repeat(2_000_000));
    let many = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n".repeat(2_000);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("h/binary.tf", (0..=255u8).cycle().take(10_000).collect()),
        ("h/empty.tf", Vec::new()),
        ("h/bom.tf", b"\xef\xbb\xbfresource \"aws_sns_topic\" \"t\" {}\n".to_vec()),
        ("h/deep.tf", deep_brackets.into_bytes()),
        ("h/deep_blocks.tf", deep_blocks.into_bytes()),
        ("h/long.tf", long_line.into_bytes()),
        ("h/heredoc.tf", b"x = <<EOF\nnever closed\n".to_vec()),
        ("h/string.tf", b"x = \"unterminated\n".to_vec()),
        ("h/interp.tf", b"x = \"${\"${\"${a}\"}\"}\"\ny = \"${\n".to_vec()),
        ("h/labels.tf", b"resource {}\nresource \"a\" {}\ndata \"\" \"\" {}\n".to_vec()),
        ("h/cycle.tf", b"locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = local.a\n}\n".to_vec()),
        ("h2/many.tf", many.into_bytes()),
    ];
    let files: Vec<(String, Vec<u8>)> =
        cases.into_iter().map(|(p, b)| (p.to_string(), b)).collect();
    let out = check_files(&files);
    // Each broken file is reported once, with its path.
    let errored: BTreeSet<String> = out
        .errors
        .iter()
        .map(|e| match e {
            ComplyError::Parse { path, .. } => path.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    for p in ["h/binary.tf", "h/deep.tf", "h/heredoc.tf", "h/string.tf"] {
        assert!(errored.contains(p), "{p} not reported: {errored:?}");
    }
    assert!(!errored.contains("h/empty.tf"));
    assert!(!errored.contains("h/bom.tf"));
    assert_eq!(
        find(&out, "iac.terraform.aws-sns-encryption", "aws_sns_topic.t").len(),
        1
    );
    // A reference cycle is unknown, not a verdict.
    assert!(find(&out, "iac.terraform.aws-kms-rotation", "aws_kms_key.k").is_empty());
    // Duplicate addresses still get results (Terraform would reject the module).
    assert!(!find(&out, "iac.terraform.aws-s3-versioning", "aws_s3_bucket.b").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Example projects

fn examples_dir(name: &str) -> PathBuf {
    common::examples().join(name)
}

#[test]
fn misconfigured_example_reports_exactly_the_planted_issues() {
    let dir = examples_dir("terraform-misconfigured");
    let out = check_files(&load(&dir));
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let planted_md = std::fs::read_to_string(dir.join("PLANTED.md")).unwrap();
    let re = regex::Regex::new(r"`([\w./-]+\.tf):(\d+) (iac\.terraform\.[a-z0-9-]+)`").unwrap();
    let planted: BTreeSet<(String, usize, String)> = re
        .captures_iter(&planted_md)
        .map(|c| (c[1].to_string(), c[2].parse().unwrap(), c[3].to_string()))
        .collect();
    assert!(planted.len() >= 60, "{} planted", planted.len());
    let found: BTreeSet<(String, usize, String)> = out
        .results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| (r.path.clone(), r.line, r.rule_id.to_string()))
        .collect();
    common::assert_found_exactly_planted(&planted, &found);
    // Spread over the three clouds and over most rules.
    let rules: BTreeSet<&str> = planted.iter().map(|p| p.2.as_str()).collect();
    assert!(rules.len() >= 50, "{} distinct rules planted", rules.len());
    for p in ["aws-", "gcp-", "azure-"] {
        assert!(rules.iter().filter(|r| r.contains(p)).count() >= 12, "{p}");
    }
}

#[test]
fn hardened_example_mostly_passes() {
    let out = check_files(&load(&examples_dir("terraform-hardened")));
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let total = out.results.len();
    let failed: Vec<_> = out.results.iter().filter(|r| !r.passed).collect();
    assert!(total >= 60, "only {total} results");
    let rate = failed.len() as f64 / total as f64;
    assert!(rate < 0.10, "failed {}/{total}: {failed:#?}", failed.len());
    // It is evaluated by most of the rules, across the three clouds.
    let rules: BTreeSet<&str> = out.results.iter().map(|r| r.rule_id).collect();
    assert!(rules.len() >= 45, "{} rules evaluated", rules.len());
}
