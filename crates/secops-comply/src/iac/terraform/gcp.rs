//! GCP checks.

use super::hcl::{parse_policy, Node, Val};
use super::{is_world_cidr, port_range, sensitive_in, Loc, Module, Out, Res};
use crate::iac::{IacKind, IacRule};
use secops_core::Severity;
use std::collections::HashSet;

pub(crate) const STORAGE_PUBLIC: &str = "iac.terraform.gcp-storage-public";
pub(crate) const STORAGE_UNIFORM: &str = "iac.terraform.gcp-storage-uniform-access";
pub(crate) const STORAGE_LOGGING: &str = "iac.terraform.gcp-storage-logging";
pub(crate) const FIREWALL_OPEN: &str = "iac.terraform.gcp-firewall-open-ingress";
pub(crate) const SQL_PUBLIC: &str = "iac.terraform.gcp-sql-public-network";
pub(crate) const SQL_SSL: &str = "iac.terraform.gcp-sql-require-ssl";
pub(crate) const SQL_BACKUP: &str = "iac.terraform.gcp-sql-backups";
pub(crate) const KMS_ROTATION: &str = "iac.terraform.gcp-kms-rotation";
pub(crate) const GKE_MASTER_NETS: &str = "iac.terraform.gcp-gke-master-authorized-networks";
pub(crate) const GKE_ABAC: &str = "iac.terraform.gcp-gke-legacy-abac";
pub(crate) const GKE_PRIVATE_NODES: &str = "iac.terraform.gcp-gke-private-nodes";
pub(crate) const IAM_PRIMITIVE: &str = "iac.terraform.gcp-iam-primitive-role";
pub(crate) const DEFAULT_SA: &str = "iac.terraform.gcp-compute-default-sa-full-scope";
pub(crate) const AUDIT_LOGGING: &str = "iac.terraform.gcp-audit-logging";
pub(crate) const BIGQUERY_PUBLIC: &str = "iac.terraform.gcp-bigquery-public";
pub(crate) const GKE_LOGGING: &str = "iac.terraform.gcp-gke-logging";

pub(crate) const RULES: &[IacRule] = &[
    IacRule::new(
        IacKind::Terraform,
        STORAGE_PUBLIC,
        "Cloud Storage bucket readable by allUsers or allAuthenticatedUsers",
        Severity::Critical,
        Some(732),
        "IAM members or ACL entities `allUsers`/`allAuthenticatedUsers` make the bucket public \
         (allAuthenticatedUsers is any Google account). Grant named principals instead, and set \
         `public_access_prevention = \"enforced\"` on the bucket.",
    ),
    IacRule::new(
        IacKind::Terraform,
        BIGQUERY_PUBLIC,
        "BigQuery dataset readable by allUsers or allAuthenticatedUsers",
        Severity::Critical,
        Some(732),
        "A dataset `access` entry with `special_group = \"allAuthenticatedUsers\"` or \
         `iam_member = \"allUsers\"` (or a dataset/table IAM grant to them) exposes the data to \
         anyone. Grant named groups or service accounts.",
    ),
    IacRule::new(
        IacKind::Terraform,
        STORAGE_UNIFORM,
        "Cloud Storage bucket without uniform bucket-level access",
        Severity::Medium,
        Some(284),
        "With fine-grained ACLs, object ACLs can grant access that bucket IAM does not show. \
         Set `uniform_bucket_level_access = true`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        STORAGE_LOGGING,
        "Cloud Storage bucket without usage logging",
        Severity::Low,
        Some(778),
        "Add `logging { log_bucket = ... }` (or enable Data Access audit logs for Cloud Storage) \
         so reads and writes can be traced. Log buckets themselves are exempt.",
    ),
    IacRule::new(
        IacKind::Terraform,
        FIREWALL_OPEN,
        "Firewall allows internet ingress to admin, database or all ports",
        Severity::Critical,
        Some(284),
        "An INGRESS allow rule from `0.0.0.0/0` (also the default when no source is given) to \
         SSH, RDP, database or all ports exposes those services. Restrict `source_ranges`, use \
         Identity-Aware Proxy (35.235.240.0/20) for SSH/RDP, or target by service account.",
    ),
    IacRule::new(
        IacKind::Terraform,
        SQL_PUBLIC,
        "Cloud SQL instance authorizes 0.0.0.0/0",
        Severity::Critical,
        Some(284),
        "A public IP with an authorized network `0.0.0.0/0` lets anyone reach the database \
         port. Use private IP (`ipv4_enabled = false` with `private_network`) or the Cloud SQL \
         Auth Proxy, and list only specific networks.",
    ),
    IacRule::new(
        IacKind::Terraform,
        SQL_SSL,
        "Cloud SQL instance does not require SSL/TLS",
        Severity::High,
        Some(319),
        "The default `ssl_mode` accepts unencrypted connections. Set `ip_configuration { \
         ssl_mode = \"ENCRYPTED_ONLY\" }` (or `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`).",
    ),
    IacRule::new(
        IacKind::Terraform,
        SQL_BACKUP,
        "Cloud SQL automated backups disabled",
        Severity::Medium,
        None,
        "Set `settings { backup_configuration { enabled = true } }` (with point-in-time recovery \
         / binary logging where the engine supports it).",
    ),
    IacRule::new(
        IacKind::Terraform,
        KMS_ROTATION,
        "Cloud KMS key not rotated within 90 days",
        Severity::Medium,
        Some(320),
        "Set `rotation_period` to 90 days or less (`\"7776000s\"`) on symmetric \
         `google_kms_crypto_key` resources.",
    ),
    IacRule::new(
        IacKind::Terraform,
        GKE_MASTER_NETS,
        "GKE control plane reachable from any address",
        Severity::High,
        Some(284),
        "Without `master_authorized_networks_config` (or with `0.0.0.0/0` in it) the cluster API \
         endpoint accepts connections from the whole internet. List the admin networks, or use \
         a private endpoint.",
    ),
    IacRule::new(
        IacKind::Terraform,
        GKE_ABAC,
        "GKE legacy ABAC enabled",
        Severity::High,
        Some(285),
        "`enable_legacy_abac = true` grants broad static permissions outside Kubernetes RBAC. \
         Leave it false (the default).",
    ),
    IacRule::new(
        IacKind::Terraform,
        GKE_LOGGING,
        "GKE cluster logging disabled",
        Severity::Medium,
        Some(778),
        "`logging_service = \"none\"` (or an empty `logging_config`) turns off Cloud Logging for \
         the control plane and workloads, audit logs of the Kubernetes API included. Leave the \
         default `logging.googleapis.com/kubernetes`.",
    ),
    IacRule::new(
        IacKind::Terraform,
        GKE_PRIVATE_NODES,
        "GKE nodes have public IP addresses",
        Severity::Medium,
        Some(284),
        "Add `private_cluster_config { enable_private_nodes = true }` so nodes get internal \
         addresses only (egress through Cloud NAT).",
    ),
    IacRule::new(
        IacKind::Terraform,
        IAM_PRIMITIVE,
        "Primitive role roles/owner or roles/editor granted",
        Severity::High,
        Some(269),
        "Basic roles grant nearly every permission in the project, folder or organization. \
         Grant predefined or custom roles scoped to the job instead.",
    ),
    IacRule::new(
        IacKind::Terraform,
        DEFAULT_SA,
        "Compute instance uses the default service account with full API scope",
        Severity::High,
        Some(250),
        "The default compute service account has Editor on the project; with the \
         `cloud-platform` scope any process on the VM can use it. Attach a dedicated service \
         account with least-privilege roles.",
    ),
    IacRule::new(
        IacKind::Terraform,
        AUDIT_LOGGING,
        "Cloud Audit Logs configuration incomplete",
        Severity::Medium,
        Some(778),
        "An IAM audit config for `allServices` should enable `DATA_READ` and `DATA_WRITE` (and \
         `ADMIN_READ`) logs with no `exempted_members`.",
    ),
];

pub(crate) fn check(m: &Module<'_>, o: &mut Out<'_, '_>) {
    storage(m, o);
    bigquery(m, o);
    firewall(m, o);
    sql(m, o);
    kms(m, o);
    gke(m, o);
    iam(m, o);
    compute(m, o);
    audit(m, o);
}

fn bool_attr(m: &Module<'_>, n: &Node<'_>, key: &str) -> Option<Option<bool>> {
    m.attr(n, key).map(|v| v.as_bool())
}

const PUBLIC_MEMBERS: &[&str] = &["allUsers", "allAuthenticatedUsers"];

fn public_in(members: &Val) -> Option<String> {
    members
        .strings()
        .0
        .into_iter()
        .find(|s| {
            let who = s.rsplit(':').next().unwrap_or(s);
            PUBLIC_MEMBERS.contains(&who) || PUBLIC_MEMBERS.contains(s)
        })
        .map(str::to_string)
}

/// A public grant made by an IAM or ACL resource on a bucket. `Err` when unknown.
fn public_grant<'m>(m: &Module<'m>, r: &Res<'m>) -> Result<Option<(Loc, String)>, ()> {
    let n = r.node();
    let keys: &[&str] = match r.rtype {
        "google_storage_bucket_iam_member" => &["member"],
        "google_storage_bucket_iam_binding" => &["members"],
        "google_storage_bucket_acl" | "google_storage_default_object_acl" => &["role_entity"],
        "google_storage_bucket_access_control"
        | "google_storage_default_object_access_control"
        | "google_storage_object_access_control" => &["entity"],
        "google_storage_bucket_iam_policy" => {
            let Some(v) = m.attr(&n, "policy_data") else {
                return Ok(None);
            };
            let Some(doc) = parse_policy(&v) else {
                return Err(());
            };
            for b in doc.get("bindings").map(Val::items).unwrap_or_default() {
                if let Some(who) = b.get("members").and_then(public_in) {
                    return Ok(Some((
                        m.loc(r, &n, Some("policy_data")),
                        format!("policy binding to {who}"),
                    )));
                }
            }
            return Ok(None);
        }
        _ => return Ok(None),
    };
    for k in keys {
        if let Some(v) = m.attr(&n, k) {
            if let Some(who) = public_in(&v) {
                return Ok(Some((m.loc(r, &n, Some(k)), format!("{k} = \"{who}\""))));
            }
            if !v.strings().1 {
                return Err(());
            }
        }
    }
    Ok(None)
}

const BUCKET_GRANTS: &[&str] = &[
    "google_storage_bucket_iam_member",
    "google_storage_bucket_iam_binding",
    "google_storage_bucket_iam_policy",
    "google_storage_bucket_acl",
    "google_storage_bucket_access_control",
    "google_storage_default_object_acl",
    "google_storage_default_object_access_control",
    "google_storage_object_access_control",
];

fn storage(m: &Module<'_>, o: &mut Out<'_, '_>) {
    let mut linked: HashSet<usize> = HashSet::new();
    let mut log_targets: HashSet<usize> = HashSet::new();
    for b in m.of_type("google_storage_bucket") {
        if let Some(lg) = m.block(&b.node(), "logging") {
            if let Some(v) = m.attr(&lg, "log_bucket") {
                if let Some(t) = m.target_of(&v, "google_storage_bucket", "name") {
                    log_targets.insert(t.idx);
                }
            }
        }
    }
    for b in m.of_type("google_storage_bucket") {
        let n = b.node();
        // Public members.
        let pap = m
            .attr(&n, "public_access_prevention")
            .and_then(|v| v.as_str().map(str::to_string));
        let mut verdict: Result<Option<(Loc, String)>, ()> = Ok(None);
        for t in BUCKET_GRANTS {
            for g in m.linked(b, Some("name"), t, "bucket") {
                linked.insert(g.idx);
                if let Ok(None) = verdict {
                    verdict = public_grant(m, g);
                }
            }
        }
        match verdict {
            Ok(Some((loc, what))) => {
                if pap.as_deref() == Some("enforced") {
                    o.pass(
                        STORAGE_PUBLIC,
                        b,
                        m.loc(b, &n, Some("public_access_prevention")),
                        format!("{what}, but public_access_prevention = \"enforced\" blocks it"),
                    );
                } else {
                    o.fail(STORAGE_PUBLIC, b, loc, what);
                }
            }
            Ok(None) if BUCKET_GRANTS.iter().any(|t| m.uncertain(t, "bucket")) => {}
            Ok(None) => o.pass(STORAGE_PUBLIC, b, b.loc(), "no public IAM member or ACL"),
            Err(()) => {}
        }

        // Uniform bucket-level access.
        let ubla = bool_attr(m, &n, "uniform_bucket_level_access")
            .or_else(|| bool_attr(m, &n, "bucket_policy_only"));
        match ubla {
            Some(Some(true)) => o.pass(
                STORAGE_UNIFORM,
                b,
                m.loc(b, &n, Some("uniform_bucket_level_access")),
                "uniform_bucket_level_access = true",
            ),
            Some(None) => {}
            Some(Some(false)) => o.fail(
                STORAGE_UNIFORM,
                b,
                m.loc(b, &n, Some("uniform_bucket_level_access")),
                "uniform_bucket_level_access = false",
            ),
            None => o.fail(
                STORAGE_UNIFORM,
                b,
                b.loc(),
                "uniform_bucket_level_access unset (default false: fine-grained ACLs)",
            ),
        }

        // Logging.
        match m.block(&n, "logging") {
            Some(lg) if m.attr(&lg, "log_bucket").is_some() => o.pass(
                STORAGE_LOGGING,
                b,
                m.loc(b, &lg, Some("log_bucket")),
                "usage logging configured",
            ),
            _ if log_targets.contains(&b.idx) => o.pass(
                STORAGE_LOGGING,
                b,
                b.loc(),
                "bucket is a log bucket for other buckets",
            ),
            _ => o.fail(STORAGE_LOGGING, b, b.loc(), "no logging block"),
        }
    }
    for t in BUCKET_GRANTS {
        for g in m.of_type(t) {
            if linked.contains(&g.idx) {
                continue;
            }
            match public_grant(m, g) {
                Ok(Some((loc, what))) => o.fail(STORAGE_PUBLIC, g, loc, what),
                Ok(None) => o.pass(STORAGE_PUBLIC, g, g.loc(), "no public member"),
                Err(()) => {}
            }
        }
    }
}

const DATASET_GRANTS: &[(&str, &[&str])] = &[
    ("google_bigquery_dataset_iam_member", &["member"]),
    ("google_bigquery_dataset_iam_binding", &["members"]),
    (
        "google_bigquery_dataset_access",
        &["special_group", "iam_member"],
    ),
    ("google_bigquery_table_iam_member", &["member"]),
    ("google_bigquery_table_iam_binding", &["members"]),
];

/// A public grant in a node's attributes `keys`; `Err` when unknown.
fn public_keys<'m>(
    m: &Module<'m>,
    r: &Res<'m>,
    n: &Node<'m>,
    keys: &[&str],
) -> Result<Option<(Loc, String)>, ()> {
    let mut unknown = false;
    for k in keys {
        if let Some(v) = m.attr(n, k) {
            if let Some(who) = public_in(&v) {
                return Ok(Some((m.loc(r, n, Some(k)), format!("{k} = \"{who}\""))));
            }
            unknown |= !v.strings().1;
        }
    }
    if unknown {
        Err(())
    } else {
        Ok(None)
    }
}

fn bigquery(m: &Module<'_>, o: &mut Out<'_, '_>) {
    let mut linked: HashSet<usize> = HashSet::new();
    for d in m.of_type("google_bigquery_dataset") {
        let n = d.node();
        let mut verdict: Result<Option<(Loc, String)>, ()> = Ok(None);
        for a in m.blocks(&n, "access") {
            if let Ok(None) = verdict {
                verdict = public_keys(m, d, &a, &["special_group", "iam_member"]);
            }
        }
        for (t, keys) in DATASET_GRANTS {
            for g in m.linked(d, Some("dataset_id"), t, "dataset_id") {
                linked.insert(g.idx);
                if let Ok(None) = verdict {
                    verdict = public_keys(m, g, &g.node(), keys);
                }
            }
        }
        match verdict {
            Ok(Some((loc, what))) => o.fail(BIGQUERY_PUBLIC, d, loc, what),
            Ok(None)
                if DATASET_GRANTS
                    .iter()
                    .any(|(t, _)| m.uncertain(t, "dataset_id")) => {}
            Ok(None) => o.pass(
                BIGQUERY_PUBLIC,
                d,
                d.loc(),
                "no public access entry or grant",
            ),
            Err(()) => {}
        }
    }
    for (t, keys) in DATASET_GRANTS {
        for g in m.of_type(t) {
            if linked.contains(&g.idx) {
                continue;
            }
            match public_keys(m, g, &g.node(), keys) {
                Ok(Some((loc, what))) => o.fail(BIGQUERY_PUBLIC, g, loc, what),
                Ok(None) => o.pass(BIGQUERY_PUBLIC, g, g.loc(), "no public member"),
                Err(()) => {}
            }
        }
    }
}

fn firewall(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for f in m.of_type("google_compute_firewall") {
        let n = f.node();
        let dir = m
            .attr(&n, "direction")
            .map(|v| v.as_str().map(str::to_ascii_uppercase));
        match dir {
            Some(Some(d)) if d == "EGRESS" => continue,
            Some(None) => continue,
            _ => {}
        }
        if bool_attr(m, &n, "disabled") == Some(Some(true)) {
            o.pass(
                FIREWALL_OPEN,
                f,
                m.loc(f, &n, Some("disabled")),
                "rule disabled",
            );
            continue;
        }
        let ranges = m.attr(&n, "source_ranges");
        let world = match &ranges {
            Some(v) => {
                let (items, complete) = v.strings();
                match items.into_iter().find(|s| is_world_cidr(s)) {
                    Some(w) => Some((w.to_string(), m.loc(f, &n, Some("source_ranges")))),
                    None if complete => None,
                    None => continue,
                }
            }
            None => {
                let has_other_source = ["source_tags", "source_service_accounts"]
                    .iter()
                    .any(|k| m.attr(&n, k).is_some());
                if has_other_source {
                    None
                } else {
                    Some(("0.0.0.0/0 (no source given)".to_string(), f.loc()))
                }
            }
        };
        let Some((world, loc)) = world else {
            o.pass(FIREWALL_OPEN, f, f.loc(), "source restricted");
            continue;
        };
        let mut exposed: Option<String> = None;
        let mut unknown = false;
        for a in m.blocks(&n, "allow") {
            let proto = match m.attr(&a, "protocol") {
                Some(Val::Str(p)) => p.to_ascii_lowercase(),
                Some(Val::Num(p)) => super::hcl::num_text(p),
                _ => {
                    unknown = true;
                    continue;
                }
            };
            if proto == "all" {
                exposed = Some("all protocols and ports".into());
                break;
            }
            if !matches!(proto.as_str(), "tcp" | "udp" | "sctp" | "6" | "17" | "132") {
                continue;
            }
            match m.attr(&a, "ports") {
                None => {
                    exposed = Some(format!("all {proto} ports"));
                    break;
                }
                Some(ports) => {
                    for p in ports.items() {
                        match port_range(p) {
                            Some((lo, hi)) => {
                                if let Some(s) = sensitive_in(lo, hi) {
                                    exposed = Some(s);
                                    break;
                                }
                            }
                            None => unknown = true,
                        }
                    }
                }
            }
            if exposed.is_some() {
                break;
            }
        }
        match exposed {
            Some(what) => o.fail(FIREWALL_OPEN, f, loc, format!("{what} open to {world}")),
            None if !unknown => o.pass(
                FIREWALL_OPEN,
                f,
                f.loc(),
                "internet ingress limited to non-sensitive ports",
            ),
            None => {}
        }
    }
}

fn sql(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for s in m.of_type("google_sql_database_instance") {
        let n = s.node();
        let Some(settings) = m.block(&n, "settings") else {
            continue;
        };
        let ipc = m.block(&settings, "ip_configuration");
        // Authorized networks.
        let ipv4 = ipc.as_ref().and_then(|c| bool_attr(m, c, "ipv4_enabled"));
        match (&ipc, ipv4) {
            (_, Some(None)) => {}
            (Some(c), Some(Some(false))) => o.pass(
                SQL_PUBLIC,
                s,
                m.loc(s, c, Some("ipv4_enabled")),
                "no public IP (ipv4_enabled = false)",
            ),
            (Some(c), _) => {
                let mut bad = None;
                let mut unknown = false;
                for an in m.blocks(c, "authorized_networks") {
                    match m.attr(&an, "value").as_ref().and_then(Val::as_str) {
                        Some(v) if is_world_cidr(v) => {
                            bad = Some((m.loc(s, &an, Some("value")), v.to_string()));
                            break;
                        }
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                match bad {
                    Some((loc, v)) => o.fail(
                        SQL_PUBLIC,
                        s,
                        loc,
                        format!("public IP with authorized network \"{v}\""),
                    ),
                    None if !unknown => o.pass(
                        SQL_PUBLIC,
                        s,
                        m.loc(s, c, None),
                        "no authorized network open to the internet",
                    ),
                    None => {}
                }
            }
            (None, _) => o.pass(SQL_PUBLIC, s, s.loc(), "no authorized networks"),
        }

        // SSL.
        let ssl_mode = ipc.as_ref().and_then(|c| m.attr(c, "ssl_mode"));
        let require = ipc.as_ref().and_then(|c| bool_attr(m, c, "require_ssl"));
        let at = |k: &str| match &ipc {
            Some(c) => m.loc(s, c, Some(k)),
            None => m.loc(s, &settings, None),
        };
        match (ssl_mode.as_ref().map(Val::as_str), require) {
            (Some(Some(mode)), _) => {
                if mode == "ENCRYPTED_ONLY" || mode == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" {
                    o.pass(SQL_SSL, s, at("ssl_mode"), format!("ssl_mode = \"{mode}\""));
                } else {
                    o.fail(SQL_SSL, s, at("ssl_mode"), format!("ssl_mode = \"{mode}\""));
                }
            }
            (Some(None), _) | (None, Some(None)) => {}
            (None, Some(Some(true))) => o.pass(SQL_SSL, s, at("require_ssl"), "require_ssl = true"),
            (None, Some(Some(false))) => {
                o.fail(SQL_SSL, s, at("require_ssl"), "require_ssl = false")
            }
            (None, None) => o.fail(
                SQL_SSL,
                s,
                at("ssl_mode"),
                "ssl_mode unset (default ALLOW_UNENCRYPTED_AND_ENCRYPTED)",
            ),
        }

        // Backups (replicas are backed up through their primary).
        if m.attr(&n, "master_instance_name").is_some() {
            continue;
        }
        let (enabled, node) = m.deep(&settings, &["backup_configuration", "enabled"]);
        match enabled.map(|v| v.as_bool()) {
            Some(Some(true)) => o.pass(
                SQL_BACKUP,
                s,
                m.loc(s, &node, Some("enabled")),
                "automated backups enabled",
            ),
            Some(None) => {}
            Some(Some(false)) => o.fail(
                SQL_BACKUP,
                s,
                m.loc(s, &node, Some("enabled")),
                "backup_configuration.enabled = false",
            ),
            None => o.fail(
                SQL_BACKUP,
                s,
                m.loc(s, &settings, None),
                "no backup_configuration with enabled = true",
            ),
        }
    }
}

fn kms(m: &Module<'_>, o: &mut Out<'_, '_>) {
    const NINETY_DAYS: f64 = 90.0 * 86400.0;
    for k in m.of_type("google_kms_crypto_key") {
        let n = k.node();
        match m.attr(&n, "purpose") {
            Some(Val::Str(p)) if p != "ENCRYPT_DECRYPT" => continue,
            Some(Val::Str(_)) | None => {}
            Some(_) => continue,
        }
        match m.attr(&n, "rotation_period") {
            Some(Val::Str(p)) => {
                let secs = p.trim().trim_end_matches('s').parse::<f64>().ok();
                let loc = m.loc(k, &n, Some("rotation_period"));
                match secs {
                    Some(s) if s <= NINETY_DAYS => {
                        o.pass(KMS_ROTATION, k, loc, format!("rotation_period = \"{p}\""))
                    }
                    Some(s) => o.fail(
                        KMS_ROTATION,
                        k,
                        loc,
                        format!(
                            "rotation_period = \"{p}\" ({} days > 90)",
                            super::hcl::num_text((s / 86400.0).round())
                        ),
                    ),
                    None => {}
                }
            }
            Some(_) => {}
            None => o.fail(
                KMS_ROTATION,
                k,
                k.loc(),
                "no rotation_period: key never rotates",
            ),
        }
    }
}

fn gke(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for c in m.of_type("google_container_cluster") {
        let n = c.node();
        let pcc = m.block(&n, "private_cluster_config");
        // Master authorized networks.
        let private_ep = pcc
            .as_ref()
            .and_then(|p| bool_attr(m, p, "enable_private_endpoint"));
        if private_ep == Some(Some(true)) {
            if let Some(p) = &pcc {
                o.pass(
                    GKE_MASTER_NETS,
                    c,
                    m.loc(c, p, Some("enable_private_endpoint")),
                    "private endpoint only",
                );
            }
        } else {
            match m.block(&n, "master_authorized_networks_config") {
                Some(man) => {
                    let mut bad = None;
                    for cb in m.blocks(&man, "cidr_blocks") {
                        if let Some(Val::Str(v)) = m.attr(&cb, "cidr_block") {
                            if is_world_cidr(&v) {
                                bad = Some(m.loc(c, &cb, Some("cidr_block")));
                            }
                        }
                    }
                    match bad {
                        Some(loc) => o.fail(
                            GKE_MASTER_NETS,
                            c,
                            loc,
                            "master authorized networks include 0.0.0.0/0",
                        ),
                        None => o.pass(
                            GKE_MASTER_NETS,
                            c,
                            m.loc(c, &man, None),
                            "master authorized networks configured",
                        ),
                    }
                }
                None => o.fail(
                    GKE_MASTER_NETS,
                    c,
                    c.loc(),
                    "no master_authorized_networks_config: API endpoint open to any address",
                ),
            }
        }

        // Legacy ABAC.
        match bool_attr(m, &n, "enable_legacy_abac") {
            Some(Some(true)) => o.fail(
                GKE_ABAC,
                c,
                m.loc(c, &n, Some("enable_legacy_abac")),
                "enable_legacy_abac = true",
            ),
            Some(None) => {}
            _ => o.pass(GKE_ABAC, c, c.loc(), "legacy ABAC disabled"),
        }

        // Logging.
        let disabled_service = m
            .attr(&n, "logging_service")
            .is_some_and(|v| v.as_str() == Some("none"));
        let empty_config = m.block(&n, "logging_config").and_then(|lc| {
            m.attr(&lc, "enable_components")
                .filter(|v| matches!(v, Val::List(l) if l.is_empty()))
                .map(|_| lc)
        });
        if disabled_service {
            o.fail(
                GKE_LOGGING,
                c,
                m.loc(c, &n, Some("logging_service")),
                "logging_service = \"none\"",
            );
        } else if let Some(lc) = empty_config {
            o.fail(
                GKE_LOGGING,
                c,
                m.loc(c, &lc, Some("enable_components")),
                "logging_config.enable_components = []",
            );
        } else {
            o.pass(GKE_LOGGING, c, c.loc(), "Cloud Logging enabled");
        }

        // Private nodes.
        match pcc
            .as_ref()
            .and_then(|p| bool_attr(m, p, "enable_private_nodes").map(|v| (p, v)))
        {
            Some((p, Some(true))) => o.pass(
                GKE_PRIVATE_NODES,
                c,
                m.loc(c, p, Some("enable_private_nodes")),
                "enable_private_nodes = true",
            ),
            Some((_, None)) => {}
            Some((p, Some(false))) => o.fail(
                GKE_PRIVATE_NODES,
                c,
                m.loc(c, p, Some("enable_private_nodes")),
                "enable_private_nodes = false",
            ),
            None => o.fail(
                GKE_PRIVATE_NODES,
                c,
                c.loc(),
                "no private_cluster_config.enable_private_nodes: nodes get public IPs",
            ),
        }
    }
}

const PRIMITIVE: &[&str] = &["roles/owner", "roles/editor"];

fn iam(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for scope in ["project", "folder", "organization"] {
        for kind in ["member", "binding"] {
            let t = format!("google_{scope}_iam_{kind}");
            for r in m.of_type(&t) {
                let n = r.node();
                let Some(role) = m.attr(&n, "role") else {
                    continue;
                };
                let Some(role) = role.as_str() else { continue };
                let loc = m.loc(r, &n, Some("role"));
                if PRIMITIVE.contains(&role) {
                    let who = m
                        .attr(
                            &n,
                            if kind == "member" {
                                "member"
                            } else {
                                "members"
                            },
                        )
                        .map(|v| v.show())
                        .unwrap_or_default();
                    o.fail(IAM_PRIMITIVE, r, loc, format!("{role} granted to {who}"));
                } else {
                    o.pass(IAM_PRIMITIVE, r, loc, format!("role {role}"));
                }
            }
        }
        let t = format!("google_{scope}_iam_policy");
        for r in m.of_type(&t) {
            let n = r.node();
            let Some(doc) = m.attr(&n, "policy_data").and_then(|v| parse_policy(&v)) else {
                continue;
            };
            let bad = doc
                .get("bindings")
                .map(Val::items)
                .unwrap_or_default()
                .into_iter()
                .find_map(|b| {
                    b.get("role")
                        .and_then(Val::as_str)
                        .filter(|r| PRIMITIVE.contains(r))
                        .map(str::to_string)
                });
            let loc = m.loc(r, &n, Some("policy_data"));
            match bad {
                Some(role) => o.fail(IAM_PRIMITIVE, r, loc, format!("policy binds {role}")),
                None => o.pass(IAM_PRIMITIVE, r, loc, "no primitive role in the policy"),
            }
        }
    }
}

fn compute(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for t in [
        "google_compute_instance",
        "google_compute_instance_template",
    ] {
        for r in m.of_type(t) {
            let n = r.node();
            let Some(sa) = m.block(&n, "service_account") else {
                o.pass(DEFAULT_SA, r, r.loc(), "no service account attached");
                continue;
            };
            let default_sa = match m.attr(&sa, "email") {
                None | Some(Val::Null) => true,
                Some(Val::Str(e)) => {
                    e == "default" || e.ends_with("-compute@developer.gserviceaccount.com")
                }
                Some(Val::Ref(p)) => {
                    p.get(1).map(String::as_str) == Some("google_compute_default_service_account")
                }
                Some(_) => continue,
            };
            let scopes = m.attr(&sa, "scopes").unwrap_or(Val::List(Vec::new()));
            let (items, complete) = scopes.strings();
            let full = items.iter().any(|s| {
                *s == "cloud-platform" || *s == "https://www.googleapis.com/auth/cloud-platform"
            });
            let loc = m.loc(r, &sa, Some("scopes"));
            if default_sa && full {
                o.fail(
                    DEFAULT_SA,
                    r,
                    loc,
                    "default compute service account with the cloud-platform scope",
                );
            } else if default_sa && !complete {
                continue;
            } else if default_sa {
                o.pass(
                    DEFAULT_SA,
                    r,
                    loc,
                    "default service account with limited scopes",
                );
            } else {
                o.pass(
                    DEFAULT_SA,
                    r,
                    m.loc(r, &sa, Some("email")),
                    "dedicated service account",
                );
            }
        }
    }
}

fn audit(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for scope in ["project", "folder", "organization"] {
        let t = format!("google_{scope}_iam_audit_config");
        for r in m.of_type(&t) {
            let n = r.node();
            let Some(service) = m.attr(&n, "service") else {
                continue;
            };
            let Some(service) = service.as_str() else {
                continue;
            };
            let mut types: Vec<String> = Vec::new();
            let mut exempted: Option<Loc> = None;
            for c in m.blocks(&n, "audit_log_config") {
                if let Some(Val::Str(lt)) = m.attr(&c, "log_type") {
                    types.push(lt);
                }
                if let Some(v) = m.attr(&c, "exempted_members") {
                    if !v.items().is_empty() {
                        exempted = Some(m.loc(r, &c, Some("exempted_members")));
                    }
                }
            }
            if let Some(loc) = exempted {
                o.fail(AUDIT_LOGGING, r, loc, "audit logging exempts members");
                continue;
            }
            if service == "allServices" {
                let missing: Vec<&str> = ["DATA_READ", "DATA_WRITE"]
                    .into_iter()
                    .filter(|t| !types.iter().any(|x| x == t))
                    .collect();
                if !missing.is_empty() {
                    o.fail(
                        AUDIT_LOGGING,
                        r,
                        m.loc(r, &n, Some("service")),
                        format!("allServices without {} logs", missing.join(", ")),
                    );
                    continue;
                }
            }
            o.pass(
                AUDIT_LOGGING,
                r,
                m.loc(r, &n, Some("service")),
                format!("audit logs for {service}: {}", types.join(", ")),
            );
        }
    }
}
