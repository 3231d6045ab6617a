//! AWS checks.
//!
//! S3 encryption at rest: since January 2023 S3 encrypts every new object with S3-managed
//! keys (SSE-S3) and that cannot be turned off, so a missing encryption configuration is not
//! "unencrypted". The check here is the customer-managed-key question instead
//! (`aws-s3-sse-kms`, low severity): a bucket passes with SSE-KMS (`aws:kms`, `aws:kms:dsse`)
//! and fails with SSE-S3 only (explicit `AES256` or no configuration), with that said in the
//! message.
//!
//! S3 public access block: S3 also blocks public access on new buckets by default since
//! April 2023, but that default is not enforced by the configuration (it can be changed out
//! of band, and older buckets do not have it), so a bucket without a public access block
//! (bucket-level or `aws_s3_account_public_access_block`) with all four settings true fails,
//! at medium severity.

use super::hcl::{parse_policy, Node, Val};
use super::{is_world_cidr, sensitive_in, Loc, Module, Out, Res};
use crate::iac::{IacKind, IacRule};
use secops_core::Severity;
use std::collections::HashSet;

pub(crate) const S3_PUBLIC_ACL: &str = "iac.terraform.aws-s3-public-acl";
pub(crate) const S3_PUBLIC_POLICY: &str = "iac.terraform.aws-s3-public-policy";
pub(crate) const S3_PAB: &str = "iac.terraform.aws-s3-public-access-block";
pub(crate) const S3_SSE_KMS: &str = "iac.terraform.aws-s3-sse-kms";
pub(crate) const S3_VERSIONING: &str = "iac.terraform.aws-s3-versioning";
pub(crate) const S3_LOGGING: &str = "iac.terraform.aws-s3-access-logging";
pub(crate) const SG_OPEN: &str = "iac.terraform.aws-sg-open-ingress";
pub(crate) const RDS_PUBLIC: &str = "iac.terraform.aws-rds-public";
pub(crate) const RDS_ENCRYPTED: &str = "iac.terraform.aws-rds-storage-encrypted";
pub(crate) const RDS_BACKUP: &str = "iac.terraform.aws-rds-backup-retention";
pub(crate) const EBS_ENCRYPTED: &str = "iac.terraform.aws-ebs-encryption";
pub(crate) const EBS_DEFAULT: &str = "iac.terraform.aws-ebs-default-encryption";
pub(crate) const KMS_ROTATION: &str = "iac.terraform.aws-kms-rotation";
pub(crate) const TRAIL_LOGGING: &str = "iac.terraform.aws-cloudtrail-logging";
pub(crate) const TRAIL_MULTI_REGION: &str = "iac.terraform.aws-cloudtrail-multi-region";
pub(crate) const TRAIL_VALIDATION: &str = "iac.terraform.aws-cloudtrail-log-validation";
pub(crate) const IAM_WILDCARD: &str = "iac.terraform.aws-iam-wildcard-policy";
pub(crate) const IAM_SERVICE_WILDCARD: &str = "iac.terraform.aws-iam-service-wildcard";
pub(crate) const EKS_AUDIT: &str = "iac.terraform.aws-eks-audit-logging";
pub(crate) const LB_HTTP: &str = "iac.terraform.aws-lb-http-without-redirect";
pub(crate) const LB_TLS: &str = "iac.terraform.aws-lb-tls-policy";
pub(crate) const CF_HTTPS: &str = "iac.terraform.aws-cloudfront-https";
pub(crate) const CF_TLS: &str = "iac.terraform.aws-cloudfront-tls-version";
pub(crate) const EKS_PUBLIC: &str = "iac.terraform.aws-eks-public-endpoint";
pub(crate) const CACHE_TRANSIT: &str = "iac.terraform.aws-elasticache-transit-encryption";
pub(crate) const CACHE_REST: &str = "iac.terraform.aws-elasticache-at-rest-encryption";
pub(crate) const DYNAMO_PITR: &str = "iac.terraform.aws-dynamodb-pitr";
pub(crate) const SQS_SSE: &str = "iac.terraform.aws-sqs-encryption";
pub(crate) const SNS_SSE: &str = "iac.terraform.aws-sns-encryption";

pub(crate) const RULES: &[IacRule] = &[
    IacRule::new(
        IacKind::Terraform,
        S3_PUBLIC_ACL,
        "S3 bucket ACL grants public access",
        Severity::Critical,
        Some(732),
        "A canned ACL `public-read`, `public-read-write` or `authenticated-read` (or a grant to the \
         AllUsers/AuthenticatedUsers groups), on the bucket or in an `aws_s3_bucket_acl`, exposes \
         objects to anyone. Use `acl = \"private\"` (or no ACL with `object_ownership = \
         \"BucketOwnerEnforced\"`) and serve public content through CloudFront with origin access \
         control. A public access block with `ignore_public_acls = true` neutralises the ACL.",
    ),
    IacRule::new(
        IacKind::Terraform,
        S3_PUBLIC_POLICY,
        "S3 bucket policy allows any principal",
        Severity::Critical,
        Some(732),
        "A bucket policy statement with `Effect = \"Allow\"` and `Principal = \"*\"` (or \
         `{AWS = \"*\"}`) and no `Condition` opens the bucket to everyone. Name the principals, or \
         add conditions (source VPC endpoint, organisation id); `restrict_public_buckets = true` \
         in a public access block neutralises such statements.",
    ),
    IacRule::new(
        IacKind::Terraform,
        S3_PAB,
        "S3 bucket without a full public access block",
        Severity::Medium,
        Some(284),
        "Declare `aws_s3_bucket_public_access_block` for the bucket (or \
         `aws_s3_account_public_access_block`) with `block_public_acls`, `block_public_policy`, \
         `ignore_public_acls` and `restrict_public_buckets` all true. S3 blocks public access on \
         new buckets by default since April 2023, but only a declared block keeps it enforced.",
    ),
    IacRule::new(
        IacKind::Terraform,
        S3_SSE_KMS,
        "S3 bucket not encrypted with a KMS key",
        Severity::Low,
        None,
        "S3 encrypts new objects with S3-managed keys (SSE-S3) by default since 2023; for key \
         control, separation of duties and key-usage audit, configure \
         `aws_s3_bucket_server_side_encryption_configuration` with `sse_algorithm = \"aws:kms\"` \
         (or `aws:kms:dsse`) and a customer-managed `kms_master_key_id`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        S3_VERSIONING,
        "S3 bucket versioning not enabled",
        Severity::Medium,
        None,
        "Without versioning an overwritten or deleted object cannot be recovered (accidents, \
         ransomware). Add `aws_s3_bucket_versioning` with `versioning_configuration { status = \
         \"Enabled\" }` and a lifecycle rule for noncurrent versions.",
    ),
    IacRule::new(
        IacKind::Terraform,
        S3_LOGGING,
        "S3 bucket server access logging not enabled",
        Severity::Medium,
        Some(778),
        "Access logs record who read and changed objects. Add `aws_s3_bucket_logging` with a \
         `target_bucket` (a dedicated log bucket, which itself is exempt), or CloudTrail data \
         events for the bucket.",
    ),
    IacRule::new(
        IacKind::Terraform,
        SG_OPEN,
        "Security group allows internet ingress to admin, database or all ports",
        Severity::Critical,
        Some(284),
        "Ingress from `0.0.0.0/0` or `::/0` to SSH, RDP, database, cache or cluster ports, or to \
         all ports, exposes the service to the whole internet. Restrict `cidr_blocks` to known \
         ranges, reference a security group instead, and reach instances through SSM Session \
         Manager or a bastion.",
    ),
    IacRule::new(
        IacKind::Terraform,
        RDS_PUBLIC,
        "RDS instance publicly accessible",
        Severity::Critical,
        Some(284),
        "`publicly_accessible = true` gives the database a public IP. Set it to false (the \
         default) and reach the database from inside the VPC.",
    ),
    IacRule::new(
        IacKind::Terraform,
        RDS_ENCRYPTED,
        "RDS/Aurora/DocumentDB/Neptune storage not encrypted",
        Severity::High,
        Some(311),
        "`storage_encrypted` defaults to false for provisioned RDS instances and clusters; set \
         `storage_encrypted = true` (with a customer-managed `kms_key_id` where keys must be \
         controlled). Encryption cannot be added to an existing instance without a snapshot \
         copy.",
    ),
    IacRule::new(
        IacKind::Terraform,
        RDS_BACKUP,
        "RDS backup retention shorter than 7 days",
        Severity::Medium,
        None,
        "`backup_retention_period = 0` disables automated backups and point-in-time recovery; \
         the AWS default is 1 day. Keep at least 7 days (`backup_retention_period >= 7`).",
    ),
    IacRule::new(
        IacKind::Terraform,
        EBS_ENCRYPTED,
        "EBS volume not encrypted",
        Severity::High,
        Some(311),
        "Set `encrypted = true` on `aws_ebs_volume`, on `root_block_device`/`ebs_block_device` of \
         instances and launch configurations and on launch template `ebs` mappings, or enable \
         `aws_ebs_encryption_by_default` for the account and region.",
    ),
    IacRule::new(
        IacKind::Terraform,
        EBS_DEFAULT,
        "EBS encryption by default disabled",
        Severity::Medium,
        Some(311),
        "`aws_ebs_encryption_by_default` with `enabled = false` lets new volumes be created \
         unencrypted. Set `enabled = true`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        KMS_ROTATION,
        "KMS key rotation not enabled",
        Severity::Medium,
        Some(320),
        "Symmetric customer-managed keys do not rotate unless `enable_key_rotation = true` \
         (default false). Enable it (optionally with `rotation_period_in_days`).",
    ),
    IacRule::new(
        IacKind::Terraform,
        TRAIL_LOGGING,
        "CloudTrail trail logging disabled",
        Severity::High,
        Some(778),
        "`enable_logging = false` stops the trail from recording API activity. Remove it or set \
         it to true.",
    ),
    IacRule::new(
        IacKind::Terraform,
        TRAIL_MULTI_REGION,
        "CloudTrail trail is single-region",
        Severity::Medium,
        Some(778),
        "A single-region trail misses activity in the other regions (where attackers often go). \
         Set `is_multi_region_trail = true` (default false).",
    ),
    IacRule::new(
        IacKind::Terraform,
        TRAIL_VALIDATION,
        "CloudTrail log file validation disabled",
        Severity::Medium,
        Some(353),
        "Without digest files, tampering with delivered logs cannot be detected. Set \
         `enable_log_file_validation = true` (default false).",
    ),
    IacRule::new(
        IacKind::Terraform,
        IAM_WILDCARD,
        "IAM policy allows all actions on all resources",
        Severity::High,
        Some(269),
        "An `Allow` statement with `Action = \"*\"` on `Resource = \"*\"` is full administrator \
         access. Grant the specific actions and resource ARNs the workload needs; keep \
         administrator access to break-glass roles.",
    ),
    IacRule::new(
        IacKind::Terraform,
        IAM_SERVICE_WILDCARD,
        "IAM policy allows every action of a service on all resources",
        Severity::Medium,
        Some(269),
        "An `Allow` of `<service>:*` (such as `s3:*` or `iam:*`) on `Resource = \"*\"` grants \
         full control of that service account-wide, including deletion and permission changes. \
         List the actions needed and scope `Resource` to the ARNs the workload uses.",
    ),
    IacRule::new(
        IacKind::Terraform,
        LB_HTTP,
        "Load balancer HTTP listener serves traffic without redirecting to HTTPS",
        Severity::High,
        Some(319),
        "An internet-facing HTTP listener that forwards requests carries them in cleartext. Make \
         its default action a `redirect` with `protocol = \"HTTPS\"` (status `HTTP_301`), or a \
         fixed response; classic ELB `http` listeners cannot redirect: use an ALB.",
    ),
    IacRule::new(
        IacKind::Terraform,
        LB_TLS,
        "Load balancer TLS policy allows TLS versions below 1.2",
        Severity::High,
        Some(326),
        "HTTPS/TLS listeners without `ssl_policy` get `ELBSecurityPolicy-2016-08`, which \
         accepts TLS 1.0 and 1.1. Use `ELBSecurityPolicy-TLS13-1-2-2021-06` (or another \
         TLS13-1-2/TLS-1-2/FS-1-2 policy).",
    ),
    IacRule::new(
        IacKind::Terraform,
        CF_HTTPS,
        "CloudFront behavior allows plain HTTP",
        Severity::High,
        Some(319),
        "`viewer_protocol_policy = \"allow-all\"` serves content over HTTP. Use \
         `redirect-to-https` or `https-only` on the default and every ordered cache behavior.",
    ),
    IacRule::new(
        IacKind::Terraform,
        CF_TLS,
        "CloudFront viewer TLS minimum below 1.2",
        Severity::Medium,
        Some(326),
        "With the default `*.cloudfront.net` certificate, or a custom certificate without \
         `minimum_protocol_version`, viewers can negotiate TLS 1.0. Use an ACM certificate with \
         `minimum_protocol_version = \"TLSv1.2_2021\"` and `ssl_support_method = \"sni-only\"`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        EKS_PUBLIC,
        "EKS API endpoint public to the internet",
        Severity::High,
        Some(284),
        "`endpoint_public_access` defaults to true with `public_access_cidrs = [\"0.0.0.0/0\"]`. \
         Disable the public endpoint (`endpoint_private_access = true`, \
         `endpoint_public_access = false`) or restrict `public_access_cidrs` to known ranges.",
    ),
    IacRule::new(
        IacKind::Terraform,
        EKS_AUDIT,
        "EKS control plane audit logs not enabled",
        Severity::Medium,
        Some(778),
        "Without `\"audit\"` in `enabled_cluster_log_types` the Kubernetes API audit trail (who \
         did what in the cluster) is not sent to CloudWatch. Enable at least `api`, `audit` and \
         `authenticator`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        CACHE_TRANSIT,
        "ElastiCache without in-transit encryption",
        Severity::Medium,
        Some(319),
        "`transit_encryption_enabled` defaults to false: cache traffic (and AUTH tokens) travel \
         in cleartext. Set `transit_encryption_enabled = true`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        CACHE_REST,
        "ElastiCache replication group without encryption at rest",
        Severity::Medium,
        Some(311),
        "For Redis, `at_rest_encryption_enabled` defaults to false (Valkey defaults to true): \
         snapshots and swap are unencrypted. Set `at_rest_encryption_enabled = true`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        DYNAMO_PITR,
        "DynamoDB table without point-in-time recovery",
        Severity::Medium,
        None,
        "Without PITR a bad write or delete cannot be rolled back. Add \
         `point_in_time_recovery { enabled = true }`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        SQS_SSE,
        "SQS queue server-side encryption disabled",
        Severity::Medium,
        Some(311),
        "New queues use SSE-SQS by default; `sqs_managed_sse_enabled = false` without a \
         `kms_master_key_id` stores messages unencrypted. Remove it or set a KMS key.",
    ),
    IacRule::new(
        IacKind::Terraform,
        SNS_SSE,
        "SNS topic not encrypted",
        Severity::Medium,
        Some(311),
        "SNS topics are not encrypted at rest unless `kms_master_key_id` is set (for example \
         `alias/aws/sns` or a customer-managed key).",
    ),
];

pub(crate) fn check(m: &Module<'_>, o: &mut Out<'_, '_>) {
    s3(m, o);
    security_groups(m, o);
    rds(m, o);
    ebs(m, o);
    kms(m, o);
    cloudtrail(m, o);
    iam(m, o);
    load_balancers(m, o);
    cloudfront(m, o);
    eks(m, o);
    elasticache(m, o);
    misc(m, o);
}

fn bool_attr(m: &Module<'_>, n: &Node<'_>, key: &str) -> Option<Option<bool>> {
    m.attr(n, key).map(|v| v.as_bool())
}

// ---------------------------------------------------------------------------------------------
// S3

const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GROUPS: &[&str] = &["/global/AllUsers", "/global/AuthenticatedUsers"];
const PAB_FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

/// Effective public access block of a bucket: per flag, true if set true at bucket or account
/// level, `None` if unknown, false if false or absent.
struct Pab<'r, 'm> {
    bucket_level: Option<&'r Res<'m>>,
    flags: [Option<bool>; 4],
}

fn pab<'r, 'm>(m: &'r Module<'m>, bucket: Option<&Res<'m>>) -> Pab<'r, 'm> {
    let bucket_level = bucket.and_then(|b| {
        m.linked(
            b,
            Some("bucket"),
            "aws_s3_bucket_public_access_block",
            "bucket",
        )
        .into_iter()
        .next()
    });
    let mut sources: Vec<&Res<'m>> = m.of_type("aws_s3_account_public_access_block").collect();
    sources.extend(bucket_level);
    let mut flags = [Some(false); 4];
    for (i, f) in PAB_FLAGS.iter().enumerate() {
        let mut any_true = false;
        let mut unknown = false;
        for s in &sources {
            match bool_attr(m, &s.node(), f) {
                Some(Some(true)) => any_true = true,
                Some(None) => unknown = true,
                _ => {}
            }
        }
        if let Some(slot) = flags.get_mut(i) {
            *slot = if any_true {
                Some(true)
            } else if unknown {
                None
            } else {
                Some(false)
            };
        }
    }
    Pab {
        bucket_level,
        flags,
    }
}

/// A public grant in an ACL-bearing node: `acl = "public-read"` or a grant to a public group.
/// `Err(())` when the ACL is unknown.
fn public_acl(m: &Module<'_>, r: &Res<'_>, n: &Node<'_>) -> Result<Option<(Loc, String)>, ()> {
    if let Some(v) = m.attr(n, "acl") {
        match v.as_str() {
            Some(a) if PUBLIC_ACLS.contains(&a) => {
                return Ok(Some((m.loc(r, n, Some("acl")), format!("acl = \"{a}\""))))
            }
            Some(_) => {}
            None => return Err(()),
        }
    }
    // Legacy inline `grant { type = "Group" uri = ... }` and
    // `access_control_policy { grant { grantee { type uri } permission } }`.
    let mut grants = m.blocks(n, "grant");
    for acp in m.blocks(n, "access_control_policy") {
        grants.extend(m.blocks(&acp, "grant"));
    }
    for g in grants {
        let (uri, holder) = match m.block(&g, "grantee") {
            Some(ge) => (m.attr(&ge, "uri"), ge),
            None => (m.attr(&g, "uri"), g.clone()),
        };
        if let Some(u) = uri.as_ref().and_then(Val::as_str) {
            if PUBLIC_GROUPS.iter().any(|p| u.ends_with(p)) {
                let group = u.rsplit('/').next().unwrap_or(u);
                return Ok(Some((
                    m.loc(r, &holder, Some("uri")),
                    format!("ACL grant to the {group} group"),
                )));
            }
        }
    }
    Ok(None)
}

/// A statement allowing any principal without conditions.
fn public_statement(doc: &Val) -> Option<String> {
    let st = doc.get_ci("Statement")?;
    for s in st.items() {
        let effect = s.get_ci("Effect").and_then(Val::as_str).unwrap_or("Allow");
        if !effect.eq_ignore_ascii_case("allow") {
            continue;
        }
        if let Some(c) = s.get_ci("Condition") {
            if !matches!(c, Val::Null) && c != &Val::Map(Vec::new()) {
                continue;
            }
        }
        let Some(p) = s.get_ci("Principal") else {
            continue;
        };
        let star = match p {
            Val::Str(x) => x == "*",
            Val::Map(_) => p
                .get_ci("AWS")
                .is_some_and(|a| a.strings().0.contains(&"*")),
            _ => false,
        };
        if star {
            let actions = s
                .get_ci("Action")
                .map(Val::show)
                .unwrap_or_else(|| "(no Action)".into());
            return Some(format!(
                "Allow {actions} to Principal \"*\" without Condition"
            ));
        }
    }
    None
}

fn s3(m: &Module<'_>, o: &mut Out<'_, '_>) {
    let buckets: Vec<&Res<'_>> = m.of_type("aws_s3_bucket").collect();
    let mut linked: HashSet<usize> = HashSet::new();
    let log_targets = s3_log_targets(m);
    for b in &buckets {
        let root = b.node();
        let pab = pab(m, Some(b));
        let pab_loc = |flag: &str| match pab.bucket_level {
            Some(p) => m.loc(p, &p.node(), Some(flag)),
            None => b.loc(),
        };

        // Public ACL.
        let acls = m.linked(b, Some("bucket"), "aws_s3_bucket_acl", "bucket");
        linked.extend(acls.iter().map(|a| a.idx));
        let mut found: Result<Option<(Loc, String)>, ()> = public_acl(m, b, &root);
        for a in &acls {
            if let Ok(None) = found {
                found = public_acl(m, a, &a.node());
            }
        }
        match found {
            Ok(Some((loc, what))) => match pab.flags.get(2).copied().flatten() {
                Some(true) => o.pass(
                    S3_PUBLIC_ACL,
                    b,
                    pab_loc("ignore_public_acls"),
                    format!("{what} is ignored: ignore_public_acls = true"),
                ),
                _ => o.fail(S3_PUBLIC_ACL, b, loc, what),
            },
            Ok(None) if acls.is_empty() && m.uncertain("aws_s3_bucket_acl", "bucket") => {}
            Ok(None) => o.pass(S3_PUBLIC_ACL, b, b.loc(), "no public ACL"),
            Err(()) => {}
        }

        // Public policy.
        let mut policies: Vec<(&Res<'_>, Val)> = Vec::new();
        if let Some(v) = m.attr(&root, "policy") {
            policies.push((b, v));
        }
        for p in m.linked(b, Some("bucket"), "aws_s3_bucket_policy", "bucket") {
            linked.insert(p.idx);
            if let Some(v) = m.attr(&p.node(), "policy") {
                policies.push((p, v));
            }
        }
        s3_policy_verdict(m, o, b, &policies, &pab, pab_loc("restrict_public_buckets"));

        // Public access block.
        let missing: Vec<&str> = PAB_FLAGS
            .iter()
            .zip(pab.flags)
            .filter(|(_, f)| *f == Some(false))
            .map(|(n, _)| *n)
            .collect();
        if pab.flags.iter().all(|f| *f == Some(true)) {
            let loc = pab.bucket_level.map(Res::loc).unwrap_or(b.loc());
            o.pass(
                S3_PAB,
                b,
                loc,
                "all four public access block settings are true",
            );
        } else if !missing.is_empty() {
            match pab.bucket_level {
                Some(p) => {
                    let loc = m.loc(p, &p.node(), missing.first().copied());
                    o.fail(S3_PAB, b, loc, format!("not true: {}", missing.join(", ")));
                }
                None if m.uncertain("aws_s3_bucket_public_access_block", "bucket") => {}
                None => o.fail(
                    S3_PAB,
                    b,
                    b.loc(),
                    "no aws_s3_bucket_public_access_block for this bucket (nor an account-level one)",
                ),
            }
        }

        // SSE-KMS.
        s3_encryption(m, o, b);

        // Versioning.
        s3_versioning(m, o, b);

        // Access logging.
        let mut logging: Option<Loc> = None;
        for l in m.linked(b, Some("bucket"), "aws_s3_bucket_logging", "bucket") {
            if m.attr(&l.node(), "target_bucket").is_some() {
                logging = Some(m.loc(l, &l.node(), Some("target_bucket")));
            }
        }
        if let Some(lg) = m.block(&root, "logging") {
            if m.attr(&lg, "target_bucket").is_some() {
                logging = Some(m.loc(b, &lg, Some("target_bucket")));
            }
        }
        match logging {
            Some(loc) => o.pass(S3_LOGGING, b, loc, "server access logging configured"),
            None if log_targets.contains(&b.idx) => o.pass(
                S3_LOGGING,
                b,
                b.loc(),
                "bucket is an access-log target (logging it into itself would loop)",
            ),
            None if m.uncertain("aws_s3_bucket_logging", "bucket") => {}
            None => o.fail(
                S3_LOGGING,
                b,
                b.loc(),
                "no aws_s3_bucket_logging for this bucket",
            ),
        }
    }

    // Companions of buckets that are not in this module.
    for a in m.of_type("aws_s3_bucket_acl") {
        if linked.contains(&a.idx) {
            continue;
        }
        let pab = pab(m, None);
        match public_acl(m, a, &a.node()) {
            Ok(Some((loc, what))) if pab.flags.get(2).copied().flatten() != Some(true) => {
                o.fail(S3_PUBLIC_ACL, a, loc, what)
            }
            Ok(_) => o.pass(S3_PUBLIC_ACL, a, a.loc(), "no public ACL"),
            Err(()) => {}
        }
    }
    for p in m.of_type("aws_s3_bucket_policy") {
        if linked.contains(&p.idx) {
            continue;
        }
        let pab = pab(m, None);
        let policies: Vec<(&Res<'_>, Val)> = m
            .attr(&p.node(), "policy")
            .map(|v| vec![(p, v)])
            .unwrap_or_default();
        s3_policy_verdict(m, o, p, &policies, &pab, p.loc());
    }
}

fn s3_policy_verdict<'m>(
    m: &Module<'m>,
    o: &mut Out<'_, '_>,
    subject: &Res<'m>,
    policies: &[(&Res<'m>, Val)],
    pab: &Pab<'_, 'm>,
    restrict_loc: Loc,
) {
    let mut unknown = false;
    for (holder, v) in policies {
        let Some(doc) = parse_policy(v) else {
            unknown = true;
            continue;
        };
        if let Some(what) = public_statement(&doc) {
            if pab.flags.get(3).copied().flatten() == Some(true) {
                o.pass(
                    S3_PUBLIC_POLICY,
                    subject,
                    restrict_loc,
                    format!("{what}, but restrict_public_buckets = true limits it to the account"),
                );
            } else {
                let loc = m
                    .find_text(holder, &["Principal", "*"])
                    .or_else(|| m.find_text(holder, &["identifiers", "\"*\""]))
                    .unwrap_or_else(|| m.loc(holder, &holder.node(), Some("policy")));
                o.fail(S3_PUBLIC_POLICY, subject, loc, what);
            }
            return;
        }
    }
    if unknown || (policies.is_empty() && m.uncertain("aws_s3_bucket_policy", "bucket")) {
        return;
    }
    let msg = if policies.is_empty() {
        "no bucket policy"
    } else {
        "bucket policy names its principals or has conditions"
    };
    o.pass(S3_PUBLIC_POLICY, subject, subject.loc(), msg);
}

fn s3_log_targets(m: &Module<'_>) -> HashSet<usize> {
    let mut t = HashSet::new();
    let mut add = |v: &Val| {
        if let Some(r) = m.target_of(v, "aws_s3_bucket", "bucket") {
            t.insert(r.idx);
        }
    };
    for l in m.of_type("aws_s3_bucket_logging") {
        if let Some(v) = m.attr(&l.node(), "target_bucket") {
            add(&v);
        }
    }
    for b in m.of_type("aws_s3_bucket") {
        if let Some(lg) = m.block(&b.node(), "logging") {
            if let Some(v) = m.attr(&lg, "target_bucket") {
                add(&v);
            }
        }
    }
    t
}

fn s3_encryption<'m>(m: &Module<'m>, o: &mut Out<'_, '_>, b: &Res<'m>) {
    // (holder, node holding server_side_encryption_configuration rules)
    let mut configs: Vec<(&Res<'m>, Node<'m>)> = Vec::new();
    for c in m.linked(
        b,
        Some("bucket"),
        "aws_s3_bucket_server_side_encryption_configuration",
        "bucket",
    ) {
        configs.push((c, c.node()));
    }
    if let Some(n) = m.block(&b.node(), "server_side_encryption_configuration") {
        configs.push((b, n));
    }
    let mut seen_algo: Option<(Loc, String)> = None;
    for (holder, n) in &configs {
        for r in m.blocks(n, "rule") {
            for d in m.blocks(&r, "apply_server_side_encryption_by_default") {
                let loc = m.loc(holder, &d, Some("sse_algorithm"));
                match m.attr(&d, "sse_algorithm") {
                    Some(Val::Str(a)) if a.starts_with("aws:kms") => {
                        o.pass(S3_SSE_KMS, b, loc, format!("sse_algorithm = \"{a}\""));
                        return;
                    }
                    Some(Val::Str(a)) => seen_algo = Some((loc, a)),
                    Some(_) => return,
                    None => {}
                }
            }
        }
    }
    match seen_algo {
        Some((loc, a)) => o.fail(
            S3_SSE_KMS,
            b,
            loc,
            format!("sse_algorithm = \"{a}\": S3-managed keys, not a KMS key"),
        ),
        None if configs.is_empty()
            && m.uncertain(
                "aws_s3_bucket_server_side_encryption_configuration",
                "bucket",
            ) => {}
        None => o.fail(
            S3_SSE_KMS,
            b,
            b.loc(),
            "no encryption configuration: S3 default SSE-S3 (S3-managed keys), not a KMS key",
        ),
    }
}

fn s3_versioning<'m>(m: &Module<'m>, o: &mut Out<'_, '_>, b: &Res<'m>) {
    for v in m.linked(b, Some("bucket"), "aws_s3_bucket_versioning", "bucket") {
        let (status, node) = m.deep(&v.node(), &["versioning_configuration", "status"]);
        let loc = m.loc(v, &node, Some("status"));
        match status.as_ref().map(|s| s.as_str()) {
            Some(Some("Enabled")) => {
                o.pass(S3_VERSIONING, b, loc, "versioning status Enabled");
                return;
            }
            Some(Some(s)) => {
                o.fail(S3_VERSIONING, b, loc, format!("versioning status \"{s}\""));
                return;
            }
            Some(None) => return,
            None => {}
        }
    }
    if let Some(n) = m.block(&b.node(), "versioning") {
        let loc = m.loc(b, &n, Some("enabled"));
        match bool_attr(m, &n, "enabled") {
            Some(Some(true)) => {
                o.pass(S3_VERSIONING, b, loc, "versioning { enabled = true }");
                return;
            }
            Some(None) => return,
            _ => {
                o.fail(S3_VERSIONING, b, loc, "versioning not enabled");
                return;
            }
        }
    }
    if m.uncertain("aws_s3_bucket_versioning", "bucket") {
        return;
    }
    o.fail(
        S3_VERSIONING,
        b,
        b.loc(),
        "no aws_s3_bucket_versioning for this bucket",
    );
}

// ---------------------------------------------------------------------------------------------
// Security groups

/// Is an ingress (cidrs, protocol, ports) open to the world on a sensitive port? `Err(())`
/// when not decidable.
fn open_ingress(
    cidrs: &[Val],
    protocol: Option<&Val>,
    from: Option<&Val>,
    to: Option<&Val>,
) -> Result<Option<String>, ()> {
    let mut world = None;
    let mut unknown = false;
    for c in cidrs {
        let (items, complete) = c.strings();
        unknown |= !complete;
        if let Some(w) = items.into_iter().find(|s| is_world_cidr(s)) {
            world = Some(w.to_string());
        }
    }
    let Some(world) = world else {
        return if unknown { Err(()) } else { Ok(None) };
    };
    let proto = match protocol {
        Some(p) => match p {
            Val::Str(s) => s.to_ascii_lowercase(),
            Val::Num(n) => super::hcl::num_text(*n),
            _ => return Err(()),
        },
        None => "tcp".into(),
    };
    if proto == "-1" || proto == "all" {
        return Ok(Some(format!("all traffic from {world}")));
    }
    if !matches!(proto.as_str(), "tcp" | "udp" | "6" | "17") {
        return Ok(None);
    }
    let (Some(f), Some(t)) = (from.and_then(Val::as_num), to.and_then(Val::as_num)) else {
        return Err(());
    };
    if f < 0.0 || t < 0.0 {
        return Ok(Some(format!("all ports from {world}")));
    }
    Ok(sensitive_in(f as u32, t as u32).map(|p| format!("{p} open to {world}")))
}

fn security_groups(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for sg in m
        .of_type("aws_security_group")
        .chain(m.of_type("aws_default_security_group"))
    {
        let mut verdict: Option<(Loc, String)> = None;
        let mut unknown = false;
        for ing in m.blocks(&sg.node(), "ingress") {
            let cidrs: Vec<Val> = ["cidr_blocks", "ipv6_cidr_blocks"]
                .iter()
                .filter_map(|k| m.attr(&ing, k))
                .collect();
            let r = open_ingress(
                &cidrs,
                m.attr(&ing, "protocol").as_ref(),
                m.attr(&ing, "from_port").as_ref(),
                m.attr(&ing, "to_port").as_ref(),
            );
            match r {
                Ok(Some(what)) => {
                    verdict = Some((
                        m.loc(sg, &ing, Some("cidr_blocks")),
                        format!("ingress: {what}"),
                    ));
                    break;
                }
                Ok(None) => {}
                Err(()) => unknown = true,
            }
        }
        // Attribute syntax: `ingress = [{ from_port = 22, ... }]`.
        if verdict.is_none() {
            match m.attr(&sg.node(), "ingress") {
                Some(Val::List(items)) => {
                    for it in &items {
                        let cidrs: Vec<Val> = ["cidr_blocks", "ipv6_cidr_blocks"]
                            .iter()
                            .filter_map(|k| it.get(k).cloned())
                            .collect();
                        match open_ingress(
                            &cidrs,
                            it.get("protocol"),
                            it.get("from_port"),
                            it.get("to_port"),
                        ) {
                            Ok(Some(what)) => {
                                let loc = m.loc(sg, &sg.node(), Some("ingress"));
                                verdict = Some((loc, format!("ingress: {what}")));
                                break;
                            }
                            Ok(None) => {}
                            Err(()) => unknown = true,
                        }
                    }
                }
                Some(_) => unknown = true,
                None => {}
            }
        }
        match verdict {
            Some((loc, what)) => o.fail(SG_OPEN, sg, loc, what),
            None if !unknown => o.pass(
                SG_OPEN,
                sg,
                sg.loc(),
                "no inline ingress from the internet to admin, database or all ports",
            ),
            None => {}
        }
    }
    for r in m.of_type("aws_security_group_rule") {
        let n = r.node();
        match m.attr(&n, "type").as_ref().and_then(Val::as_str) {
            Some("ingress") => {}
            _ => continue,
        }
        let cidrs: Vec<Val> = ["cidr_blocks", "ipv6_cidr_blocks"]
            .iter()
            .filter_map(|k| m.attr(&n, k))
            .collect();
        let res = open_ingress(
            &cidrs,
            m.attr(&n, "protocol").as_ref(),
            m.attr(&n, "from_port").as_ref(),
            m.attr(&n, "to_port").as_ref(),
        );
        sg_rule_verdict(m, o, r, &n, res, "cidr_blocks");
    }
    for r in m.of_type("aws_vpc_security_group_ingress_rule") {
        let n = r.node();
        let cidrs: Vec<Val> = ["cidr_ipv4", "cidr_ipv6"]
            .iter()
            .filter_map(|k| m.attr(&n, k))
            .collect();
        let proto = m.attr(&n, "ip_protocol");
        let res = open_ingress(
            &cidrs,
            proto.as_ref(),
            m.attr(&n, "from_port").as_ref(),
            m.attr(&n, "to_port").as_ref(),
        );
        let key = if m.attr(&n, "cidr_ipv4").is_some() {
            "cidr_ipv4"
        } else {
            "cidr_ipv6"
        };
        sg_rule_verdict(m, o, r, &n, res, key);
    }
}

fn sg_rule_verdict<'m>(
    m: &Module<'m>,
    o: &mut Out<'_, '_>,
    r: &Res<'m>,
    n: &Node<'m>,
    res: Result<Option<String>, ()>,
    key: &str,
) {
    match res {
        Ok(Some(what)) => o.fail(
            SG_OPEN,
            r,
            m.loc(r, n, Some(key)),
            format!("ingress: {what}"),
        ),
        Ok(None) => o.pass(
            SG_OPEN,
            r,
            r.loc(),
            "not open from the internet to admin, database or all ports",
        ),
        Err(()) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// RDS and other databases

fn rds(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for r in m
        .of_type("aws_db_instance")
        .chain(m.of_type("aws_rds_cluster_instance"))
    {
        let n = r.node();
        match bool_attr(m, &n, "publicly_accessible") {
            Some(Some(true)) => o.fail(
                RDS_PUBLIC,
                r,
                m.loc(r, &n, Some("publicly_accessible")),
                "publicly_accessible = true",
            ),
            Some(None) => {}
            Some(Some(false)) => o.pass(
                RDS_PUBLIC,
                r,
                m.loc(r, &n, Some("publicly_accessible")),
                "publicly_accessible = false",
            ),
            None => o.pass(
                RDS_PUBLIC,
                r,
                r.loc(),
                "publicly_accessible unset (default false)",
            ),
        }
    }

    for t in [
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
    ] {
        for r in m.of_type(t) {
            let n = r.node();
            let replica = ["replicate_source_db", "replication_source_identifier"]
                .iter()
                .any(|k| m.attr(&n, k).is_some_and(|v| !matches!(v, Val::Null)));
            let from_snapshot = ["snapshot_identifier", "snapshot_source_identifier"]
                .iter()
                .any(|k| m.attr(&n, k).is_some_and(|v| !matches!(v, Val::Null)));
            // Encryption.
            let serverless_v1 = m
                .attr(&n, "engine_mode")
                .is_some_and(|v| v.as_str() == Some("serverless"));
            match bool_attr(m, &n, "storage_encrypted") {
                Some(Some(true)) => o.pass(
                    RDS_ENCRYPTED,
                    r,
                    m.loc(r, &n, Some("storage_encrypted")),
                    "storage_encrypted = true",
                ),
                Some(None) => {}
                _ if serverless_v1 => o.pass(
                    RDS_ENCRYPTED,
                    r,
                    m.loc(r, &n, Some("engine_mode")),
                    "Aurora Serverless v1 is always encrypted",
                ),
                _ if replica || from_snapshot => {}
                Some(Some(false)) => o.fail(
                    RDS_ENCRYPTED,
                    r,
                    m.loc(r, &n, Some("storage_encrypted")),
                    "storage_encrypted = false",
                ),
                None => o.fail(
                    RDS_ENCRYPTED,
                    r,
                    r.loc(),
                    "storage_encrypted unset (default false)",
                ),
            }
            // Backups.
            if replica {
                continue;
            }
            match m.attr(&n, "backup_retention_period") {
                Some(v) => match v.as_num() {
                    Some(d) if d >= 7.0 => o.pass(
                        RDS_BACKUP,
                        r,
                        m.loc(r, &n, Some("backup_retention_period")),
                        format!("backup_retention_period = {}", super::hcl::num_text(d)),
                    ),
                    Some(d) => o.fail(
                        RDS_BACKUP,
                        r,
                        m.loc(r, &n, Some("backup_retention_period")),
                        if d == 0.0 {
                            "backup_retention_period = 0: automated backups disabled".to_string()
                        } else {
                            format!(
                                "backup_retention_period = {} (< 7 days)",
                                super::hcl::num_text(d)
                            )
                        },
                    ),
                    None => {}
                },
                None => o.fail(
                    RDS_BACKUP,
                    r,
                    r.loc(),
                    "backup_retention_period unset (AWS default 1 day)",
                ),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// EBS

fn ebs(m: &Module<'_>, o: &mut Out<'_, '_>) {
    // Account default encryption (resource default: enabled = true).
    let mut default_on: Option<Loc> = None;
    for d in m.of_type("aws_ebs_encryption_by_default") {
        let n = d.node();
        match bool_attr(m, &n, "enabled") {
            Some(Some(false)) => o.fail(
                EBS_DEFAULT,
                d,
                m.loc(d, &n, Some("enabled")),
                "enabled = false",
            ),
            Some(None) => {}
            _ => {
                default_on = Some(d.loc());
                o.pass(EBS_DEFAULT, d, d.loc(), "EBS encryption by default enabled");
            }
        }
    }
    let verdict = |o: &mut Out<'_, '_>, r: &Res<'_>, n: &Node<'_>, what: &str| match bool_attr(
        m,
        n,
        "encrypted",
    ) {
        Some(Some(true)) => o.pass(
            EBS_ENCRYPTED,
            r,
            m.loc(r, n, Some("encrypted")),
            format!("{what}: encrypted = true"),
        ),
        Some(None) => {}
        v => {
            if m.attr(n, "snapshot_id").is_some() && v.is_none() {
                return;
            }
            if let Some(loc) = default_on {
                o.pass(
                    EBS_ENCRYPTED,
                    r,
                    loc,
                    format!("{what}: encrypted by aws_ebs_encryption_by_default"),
                );
            } else if v.is_some() {
                o.fail(
                    EBS_ENCRYPTED,
                    r,
                    m.loc(r, n, Some("encrypted")),
                    format!("{what}: encrypted = false"),
                );
            } else {
                o.fail(
                    EBS_ENCRYPTED,
                    r,
                    m.loc(r, n, None),
                    format!("{what}: encrypted unset (default false)"),
                );
            }
        }
    };
    for v in m.of_type("aws_ebs_volume") {
        verdict(o, v, &v.node(), "volume");
    }
    for t in ["aws_instance", "aws_launch_configuration"] {
        for r in m.of_type(t) {
            for k in ["root_block_device", "ebs_block_device"] {
                for bd in m.blocks(&r.node(), k) {
                    verdict(o, r, &bd, k);
                }
            }
        }
    }
    for lt in m.of_type("aws_launch_template") {
        for bdm in m.blocks(&lt.node(), "block_device_mappings") {
            for e in m.blocks(&bdm, "ebs") {
                verdict(o, lt, &e, "block_device_mappings.ebs");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// KMS, CloudTrail

fn kms(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for k in m.of_type("aws_kms_key") {
        let n = k.node();
        let spec = m.attr(&n, "customer_master_key_spec");
        let usage = m.attr(&n, "key_usage");
        let symmetric = spec
            .as_ref()
            .is_none_or(|s| s.as_str() == Some("SYMMETRIC_DEFAULT"))
            && usage
                .as_ref()
                .is_none_or(|u| u.as_str() == Some("ENCRYPT_DECRYPT"));
        if !symmetric {
            continue; // rotation applies to symmetric encryption keys only
        }
        match bool_attr(m, &n, "enable_key_rotation") {
            Some(Some(true)) => o.pass(
                KMS_ROTATION,
                k,
                m.loc(k, &n, Some("enable_key_rotation")),
                "enable_key_rotation = true",
            ),
            Some(None) => {}
            Some(Some(false)) => o.fail(
                KMS_ROTATION,
                k,
                m.loc(k, &n, Some("enable_key_rotation")),
                "enable_key_rotation = false",
            ),
            None => o.fail(
                KMS_ROTATION,
                k,
                k.loc(),
                "enable_key_rotation unset (default false)",
            ),
        }
    }
}

fn cloudtrail(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for t in m.of_type("aws_cloudtrail") {
        let n = t.node();
        for (id, key, default, good, bad) in [
            (
                TRAIL_LOGGING,
                "enable_logging",
                true,
                "logging enabled",
                "enable_logging = false",
            ),
            (
                TRAIL_MULTI_REGION,
                "is_multi_region_trail",
                false,
                "is_multi_region_trail = true",
                "single-region trail",
            ),
            (
                TRAIL_VALIDATION,
                "enable_log_file_validation",
                false,
                "enable_log_file_validation = true",
                "log file validation off",
            ),
        ] {
            let v = bool_attr(m, &n, key);
            let (val, loc) = match v {
                Some(Some(b)) => (b, m.loc(t, &n, Some(key))),
                Some(None) => continue,
                None => (default, t.loc()),
            };
            if val {
                o.pass(id, t, loc, good);
            } else if v.is_none() {
                o.fail(id, t, loc, format!("{bad} ({key} unset, default false)"));
            } else {
                o.fail(id, t, loc, bad);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IAM

const IAM_POLICY_HOLDERS: &[(&str, &str)] = &[
    ("aws_iam_policy", "policy"),
    ("aws_iam_role_policy", "policy"),
    ("aws_iam_user_policy", "policy"),
    ("aws_iam_group_policy", "policy"),
    ("aws_ssoadmin_permission_set_inline_policy", "inline_policy"),
];

/// An `Allow` of every action on every resource.
fn admin_statement(doc: &Val) -> Option<String> {
    let st = doc.get_ci("Statement")?;
    for s in st.items() {
        let effect = s.get_ci("Effect").and_then(Val::as_str).unwrap_or("Allow");
        if !effect.eq_ignore_ascii_case("allow") {
            continue;
        }
        let actions = s
            .get_ci("Action")
            .map(|a| a.strings().0)
            .unwrap_or_default();
        let resources = s
            .get_ci("Resource")
            .map(|a| a.strings().0)
            .unwrap_or_default();
        let all_actions = actions.iter().any(|a| *a == "*" || *a == "*:*");
        if all_actions && resources.contains(&"*") {
            return Some("Allow Action \"*\" on Resource \"*\" (full administrator)".into());
        }
    }
    None
}

fn iam(m: &Module<'_>, o: &mut Out<'_, '_>) {
    let mut consumed: HashSet<usize> = HashSet::new();
    let mut eval_doc = |o: &mut Out<'_, '_>, holder: &Res<'_>, n: &Node<'_>, key: &str| {
        let Some(expr) = super::hcl::attr_expr(n.body, key) else {
            return;
        };
        let mut refs = Vec::new();
        super::hcl::collect_refs(expr, &mut refs, 0);
        let data_docs: Vec<&Res<'_>> = refs
            .iter()
            .filter(|p| p.first().map(String::as_str) == Some("data"))
            .filter_map(|p| m.resolve(&Val::Ref(p.clone())))
            .filter(|d| d.rtype == "aws_iam_policy_document")
            .collect();
        consumed.extend(data_docs.iter().map(|d| d.idx));
        let Some(v) = m.attr(n, key) else { return };
        let Some(doc) = parse_policy(&v) else { return };
        let fallback = m.loc(holder, n, Some(key));
        iam_verdicts(m, o, holder, &doc, &data_docs, fallback);
    };
    for (t, key) in IAM_POLICY_HOLDERS {
        for r in m.of_type(t) {
            eval_doc(o, r, &r.node(), key);
        }
    }
    for r in m.of_type("aws_iam_role") {
        for ip in m.blocks(&r.node(), "inline_policy") {
            eval_doc(o, r, &ip, "policy");
        }
    }
    for d in m.data_of_type("aws_iam_policy_document") {
        if consumed.contains(&d.idx) {
            continue;
        }
        let doc = data_doc(m, d);
        iam_verdicts(m, o, d, &doc, &[d], d.loc());
    }
}

/// Both IAM rules on one policy document held by `holder` (rendered from `docs`, if any).
fn iam_verdicts(
    m: &Module<'_>,
    o: &mut Out<'_, '_>,
    holder: &Res<'_>,
    doc: &Val,
    docs: &[&Res<'_>],
    fallback: Loc,
) {
    // Where an action text is: in a policy document data source, else in the holder.
    let locate = |needles: &[&str], json_key: &str| -> Loc {
        docs.iter()
            .find_map(|d| m.find_text(d, needles))
            .or_else(|| {
                m.find_text(
                    holder,
                    &[&[json_key][..], needles.get(1..).unwrap_or(&[])].concat(),
                )
            })
            .or_else(|| m.find_text(holder, &[json_key]))
            .unwrap_or(fallback)
    };
    match admin_statement(doc) {
        Some(what) => {
            let loc = locate(&["actions", "\"*\""], "Action");
            o.fail(IAM_WILDCARD, holder, loc, what);
        }
        None => o.pass(
            IAM_WILDCARD,
            holder,
            fallback,
            "no statement allows all actions on all resources",
        ),
    }
    match service_wildcard(doc) {
        Some(action) => {
            let quoted = format!("\"{action}\"");
            let loc = locate(&["actions", &quoted], "Action");
            o.fail(
                IAM_SERVICE_WILDCARD,
                holder,
                loc,
                format!("Allow \"{action}\" on Resource \"*\""),
            );
        }
        None => o.pass(
            IAM_SERVICE_WILDCARD,
            holder,
            fallback,
            "no service-wide action on all resources",
        ),
    }
}

/// The first `service:*` action allowed on every resource.
fn service_wildcard(doc: &Val) -> Option<String> {
    let st = doc.get_ci("Statement")?;
    for s in st.items() {
        let effect = s.get_ci("Effect").and_then(Val::as_str).unwrap_or("Allow");
        if !effect.eq_ignore_ascii_case("allow") {
            continue;
        }
        let resources = s
            .get_ci("Resource")
            .map(|a| a.strings().0)
            .unwrap_or_default();
        if !resources.contains(&"*") {
            continue;
        }
        let actions = s
            .get_ci("Action")
            .map(|a| a.strings().0)
            .unwrap_or_default();
        if let Some(a) = actions.iter().find(|a| {
            a.strip_suffix(":*").is_some_and(|svc| {
                !svc.is_empty() && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        }) {
            return Some((*a).to_string());
        }
    }
    None
}

fn data_doc(m: &Module<'_>, d: &Res<'_>) -> Val {
    m.env.eval(&::hcl::Expression::Traversal(Box::new(
        ::hcl::expr::Traversal::builder(::hcl::expr::Variable::unchecked("data"))
            .attr(d.rtype)
            .attr(d.name)
            .attr("json")
            .build(),
    )))
}

// ---------------------------------------------------------------------------------------------
// Load balancers, CloudFront, EKS

const GOOD_ELB_POLICY_PARTS: &[&str] = &["TLS13-1-2", "TLS13-1-3", "TLS-1-2", "FS-1-2"];

fn load_balancers(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for l in m
        .of_type("aws_lb_listener")
        .chain(m.of_type("aws_alb_listener"))
    {
        let n = l.node();
        let lb = m
            .attr(&n, "load_balancer_arn")
            .and_then(|v| m.resolve(&v).map(|r| (r, v)))
            .map(|(r, _)| r);
        let lb_type = lb.and_then(|r| {
            m.attr(&r.node(), "load_balancer_type")
                .and_then(|v| v.as_str().map(str::to_string))
        });
        let internal = lb.and_then(|r| bool_attr(m, &r.node(), "internal").flatten());
        let proto = match m.attr(&n, "protocol") {
            Some(v) => match v.as_str() {
                Some(p) => p.to_ascii_uppercase(),
                None => continue,
            },
            None => match lb_type.as_deref() {
                None | Some("application") => "HTTP".into(),
                Some(_) => continue,
            },
        };
        match proto.as_str() {
            "HTTP" => {
                let mut forwards = false;
                let mut unknown = false;
                let mut redirect_ok = false;
                for a in m.blocks(&n, "default_action") {
                    match m.attr(&a, "type").as_ref().and_then(Val::as_str) {
                        Some("redirect") => {
                            let (p, _) = m.deep(&a, &["redirect", "protocol"]);
                            match p.as_ref().and_then(Val::as_str) {
                                Some("HTTPS") => redirect_ok = true,
                                Some("#{protocol}") | None => forwards = true,
                                Some(_) => forwards = true,
                            }
                        }
                        Some("fixed-response") => {}
                        Some(_) => forwards = true,
                        None => unknown = true,
                    }
                }
                if internal == Some(true) {
                    o.pass(
                        LB_HTTP,
                        l,
                        l.loc(),
                        "HTTP listener on an internal load balancer",
                    );
                } else if forwards {
                    o.fail(
                        LB_HTTP,
                        l,
                        m.loc(l, &n, Some("protocol")),
                        "HTTP listener forwards traffic without redirecting to HTTPS",
                    );
                } else if redirect_ok {
                    o.pass(LB_HTTP, l, l.loc(), "HTTP listener redirects to HTTPS");
                } else if !unknown {
                    o.pass(
                        LB_HTTP,
                        l,
                        l.loc(),
                        "HTTP listener returns a fixed response",
                    );
                }
            }
            "HTTPS" | "TLS" => match m.attr(&n, "ssl_policy") {
                Some(Val::Str(p)) => {
                    let loc = m.loc(l, &n, Some("ssl_policy"));
                    if GOOD_ELB_POLICY_PARTS.iter().any(|g| p.contains(g)) {
                        o.pass(LB_TLS, l, loc, format!("ssl_policy = \"{p}\""));
                    } else {
                        o.fail(
                            LB_TLS,
                            l,
                            loc,
                            format!("ssl_policy = \"{p}\" allows TLS below 1.2"),
                        );
                    }
                }
                Some(_) => {}
                None => o.fail(
                    LB_TLS,
                    l,
                    l.loc(),
                    "ssl_policy unset: default ELBSecurityPolicy-2016-08 allows TLS 1.0",
                ),
            },
            _ => {}
        }
    }
    for e in m.of_type("aws_elb") {
        let n = e.node();
        if bool_attr(m, &n, "internal") == Some(Some(true)) {
            continue;
        }
        let mut http = None;
        let mut unknown = false;
        for lst in m.blocks(&n, "listener") {
            match m.attr(&lst, "lb_protocol").as_ref().and_then(Val::as_str) {
                Some(p) if p.eq_ignore_ascii_case("http") => {
                    http = Some(m.loc(e, &lst, Some("lb_protocol")));
                }
                Some(_) => {}
                None => unknown = true,
            }
        }
        match http {
            Some(loc) => o.fail(
                LB_HTTP,
                e,
                loc,
                "classic ELB HTTP listener (cannot redirect to HTTPS)",
            ),
            None if !unknown => o.pass(LB_HTTP, e, e.loc(), "no HTTP listener"),
            None => {}
        }
    }
}

fn cloudfront(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for d in m.of_type("aws_cloudfront_distribution") {
        let n = d.node();
        let mut behaviors = m.blocks(&n, "default_cache_behavior");
        behaviors.extend(m.blocks(&n, "ordered_cache_behavior"));
        let mut bad = None;
        let mut unknown = false;
        for b in &behaviors {
            match m
                .attr(b, "viewer_protocol_policy")
                .as_ref()
                .map(Val::as_str)
            {
                Some(Some("allow-all")) => {
                    bad = Some(m.loc(d, b, Some("viewer_protocol_policy")));
                    break;
                }
                Some(Some(_)) => {}
                _ => unknown = true,
            }
        }
        match bad {
            Some(loc) => o.fail(CF_HTTPS, d, loc, "viewer_protocol_policy = \"allow-all\""),
            None if !unknown && !behaviors.is_empty() => o.pass(
                CF_HTTPS,
                d,
                d.loc(),
                "every cache behavior redirects to or requires HTTPS",
            ),
            None => {}
        }

        let Some(vc) = m.block(&n, "viewer_certificate") else {
            continue;
        };
        if bool_attr(m, &vc, "cloudfront_default_certificate") == Some(Some(true)) {
            o.fail(
                CF_TLS,
                d,
                m.loc(d, &vc, Some("cloudfront_default_certificate")),
                "default CloudFront certificate: viewers may use TLSv1",
            );
            continue;
        }
        match m.attr(&vc, "minimum_protocol_version") {
            Some(Val::Str(v)) => {
                let loc = m.loc(d, &vc, Some("minimum_protocol_version"));
                if v.starts_with("TLSv1.2") || v.starts_with("TLSv1.3") {
                    o.pass(
                        CF_TLS,
                        d,
                        loc,
                        format!("minimum_protocol_version = \"{v}\""),
                    );
                } else {
                    o.fail(
                        CF_TLS,
                        d,
                        loc,
                        format!("minimum_protocol_version = \"{v}\""),
                    );
                }
            }
            Some(_) => {}
            None => o.fail(
                CF_TLS,
                d,
                m.loc(d, &vc, None),
                "minimum_protocol_version unset (default TLSv1)",
            ),
        }
    }
}

fn eks(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for c in m.of_type("aws_eks_cluster") {
        let n = c.node();
        match m.attr(&n, "enabled_cluster_log_types") {
            Some(v) => {
                let (types, complete) = v.strings();
                let loc = m.loc(c, &n, Some("enabled_cluster_log_types"));
                if types.contains(&"audit") {
                    o.pass(
                        EKS_AUDIT,
                        c,
                        loc,
                        format!("enabled_cluster_log_types = {}", v.show()),
                    );
                } else if complete {
                    o.fail(
                        EKS_AUDIT,
                        c,
                        loc,
                        format!("enabled_cluster_log_types = {} (no audit)", v.show()),
                    );
                }
            }
            None => o.fail(
                EKS_AUDIT,
                c,
                c.loc(),
                "no enabled_cluster_log_types: control plane logs off",
            ),
        }
        let Some(vc) = m.block(&c.node(), "vpc_config") else {
            continue;
        };
        match bool_attr(m, &vc, "endpoint_public_access") {
            Some(Some(false)) => {
                o.pass(
                    EKS_PUBLIC,
                    c,
                    m.loc(c, &vc, Some("endpoint_public_access")),
                    "public endpoint disabled",
                );
                continue;
            }
            Some(None) => continue,
            _ => {}
        }
        match m.attr(&vc, "public_access_cidrs") {
            Some(v) => {
                let (cidrs, complete) = v.strings();
                let loc = m.loc(c, &vc, Some("public_access_cidrs"));
                if cidrs.iter().any(|s| is_world_cidr(s)) {
                    o.fail(EKS_PUBLIC, c, loc, "public endpoint open to 0.0.0.0/0");
                } else if complete {
                    o.pass(
                        EKS_PUBLIC,
                        c,
                        loc,
                        format!("public endpoint restricted to {}", v.show()),
                    );
                }
            }
            None => o.fail(
                EKS_PUBLIC,
                c,
                m.loc(c, &vc, None),
                "public endpoint enabled with public_access_cidrs unset (default 0.0.0.0/0)",
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ElastiCache, DynamoDB, SQS, SNS

fn elasticache(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for (t, rest) in [
        ("aws_elasticache_replication_group", true),
        ("aws_elasticache_cluster", false),
    ] {
        for r in m.of_type(t) {
            let n = r.node();
            if !rest && m.attr(&n, "replication_group_id").is_some() {
                continue; // member of a replication group: settings come from the group
            }
            match bool_attr(m, &n, "transit_encryption_enabled") {
                Some(Some(true)) => o.pass(
                    CACHE_TRANSIT,
                    r,
                    m.loc(r, &n, Some("transit_encryption_enabled")),
                    "transit_encryption_enabled = true",
                ),
                Some(None) => {}
                Some(Some(false)) => o.fail(
                    CACHE_TRANSIT,
                    r,
                    m.loc(r, &n, Some("transit_encryption_enabled")),
                    "transit_encryption_enabled = false",
                ),
                None => o.fail(
                    CACHE_TRANSIT,
                    r,
                    r.loc(),
                    "transit_encryption_enabled unset (default false)",
                ),
            }
            if !rest {
                continue;
            }
            let valkey = m
                .attr(&n, "engine")
                .is_some_and(|e| e.as_str().is_some_and(|s| s.eq_ignore_ascii_case("valkey")));
            match bool_attr(m, &n, "at_rest_encryption_enabled") {
                Some(Some(true)) => o.pass(
                    CACHE_REST,
                    r,
                    m.loc(r, &n, Some("at_rest_encryption_enabled")),
                    "at_rest_encryption_enabled = true",
                ),
                Some(None) => {}
                Some(Some(false)) => o.fail(
                    CACHE_REST,
                    r,
                    m.loc(r, &n, Some("at_rest_encryption_enabled")),
                    "at_rest_encryption_enabled = false",
                ),
                None if valkey => o.pass(
                    CACHE_REST,
                    r,
                    r.loc(),
                    "Valkey: encryption at rest on by default",
                ),
                None => o.fail(
                    CACHE_REST,
                    r,
                    r.loc(),
                    "at_rest_encryption_enabled unset (default false for Redis)",
                ),
            }
        }
    }
}

fn misc(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for t in m.of_type("aws_dynamodb_table") {
        let n = t.node();
        match m.block(&n, "point_in_time_recovery") {
            Some(p) => match bool_attr(m, &p, "enabled") {
                Some(Some(true)) => o.pass(
                    DYNAMO_PITR,
                    t,
                    m.loc(t, &p, Some("enabled")),
                    "point-in-time recovery enabled",
                ),
                Some(None) => {}
                _ => o.fail(
                    DYNAMO_PITR,
                    t,
                    m.loc(t, &p, Some("enabled")),
                    "point-in-time recovery disabled",
                ),
            },
            None => o.fail(DYNAMO_PITR, t, t.loc(), "no point_in_time_recovery block"),
        }
    }
    for q in m.of_type("aws_sqs_queue") {
        let n = q.node();
        if let Some(k) = m.attr(&n, "kms_master_key_id") {
            if !matches!(k, Val::Null) {
                o.pass(
                    SQS_SSE,
                    q,
                    m.loc(q, &n, Some("kms_master_key_id")),
                    "SSE-KMS with kms_master_key_id",
                );
                continue;
            }
        }
        match bool_attr(m, &n, "sqs_managed_sse_enabled") {
            Some(Some(false)) => o.fail(
                SQS_SSE,
                q,
                m.loc(q, &n, Some("sqs_managed_sse_enabled")),
                "sqs_managed_sse_enabled = false and no kms_master_key_id",
            ),
            Some(None) => {}
            _ => o.pass(SQS_SSE, q, q.loc(), "SSE-SQS (default)"),
        }
    }
    for t in m.of_type("aws_sns_topic") {
        let n = t.node();
        match m.attr(&n, "kms_master_key_id") {
            Some(Val::Null) | None => o.fail(
                SNS_SSE,
                t,
                t.loc(),
                "no kms_master_key_id: topic not encrypted",
            ),
            Some(Val::Str(s)) if s.is_empty() => o.fail(
                SNS_SSE,
                t,
                m.loc(t, &n, Some("kms_master_key_id")),
                "empty kms_master_key_id",
            ),
            Some(_) => o.pass(
                SNS_SSE,
                t,
                m.loc(t, &n, Some("kms_master_key_id")),
                "kms_master_key_id set",
            ),
        }
    }
}
