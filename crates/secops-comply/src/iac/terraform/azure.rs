//! Azure checks (azurerm provider 3.x/4.x attribute names, with the 2.x names where they
//! still appear in code).

use super::hcl::{Node, Val};
use super::{port_range, sensitive_in, Loc, Module, Out, Res};
use crate::iac::{IacKind, IacRule};
use secops_core::Severity;

pub(crate) const STORAGE_TLS: &str = "iac.terraform.azure-storage-min-tls";
pub(crate) const STORAGE_HTTPS: &str = "iac.terraform.azure-storage-https-only";
pub(crate) const STORAGE_NESTED_PUBLIC: &str = "iac.terraform.azure-storage-public-nested-items";
pub(crate) const CONTAINER_PUBLIC: &str = "iac.terraform.azure-storage-container-public";
pub(crate) const NSG_OPEN: &str = "iac.terraform.azure-nsg-open-ingress";
pub(crate) const DB_PUBLIC: &str = "iac.terraform.azure-db-public-network";
pub(crate) const DB_FIREWALL: &str = "iac.terraform.azure-db-firewall-open";
pub(crate) const DB_SSL: &str = "iac.terraform.azure-db-ssl-enforcement";
pub(crate) const DB_TLS: &str = "iac.terraform.azure-db-min-tls";
pub(crate) const KV_PURGE: &str = "iac.terraform.azure-keyvault-purge-protection";
pub(crate) const KV_LOGGING: &str = "iac.terraform.azure-keyvault-diagnostics";
pub(crate) const SQL_AUDITING: &str = "iac.terraform.azure-sql-auditing";
pub(crate) const ROLE_WILDCARD: &str = "iac.terraform.azure-role-wildcard-actions";
pub(crate) const AKS_RBAC: &str = "iac.terraform.azure-aks-rbac";
pub(crate) const AKS_API_RANGES: &str = "iac.terraform.azure-aks-api-authorized-ranges";
pub(crate) const FLOW_LOGS: &str = "iac.terraform.azure-nsg-flow-logs";

pub(crate) const RULES: &[IacRule] = &[
    IacRule::new(
        IacKind::Terraform,
        STORAGE_TLS,
        "Storage account accepts TLS below 1.2",
        Severity::High,
        Some(326),
        "`min_tls_version = \"TLS1_0\"` or `\"TLS1_1\"` lets clients use deprecated TLS. Set \
         `min_tls_version = \"TLS1_2\"` (the provider default since 3.0).",
    ),
    IacRule::new(
        IacKind::Terraform,
        STORAGE_HTTPS,
        "Storage account allows plain HTTP",
        Severity::High,
        Some(319),
        "`https_traffic_only_enabled = false` (`enable_https_traffic_only` before 4.0) accepts \
         unencrypted requests. Leave it true (the default).",
    ),
    IacRule::new(
        IacKind::Terraform,
        STORAGE_NESTED_PUBLIC,
        "Storage account lets containers be made public",
        Severity::High,
        Some(732),
        "`allow_nested_items_to_be_public` defaults to true: any container can then be switched \
         to anonymous read. Set it to false (`allow_blob_public_access = false` in 2.x).",
    ),
    IacRule::new(
        IacKind::Terraform,
        CONTAINER_PUBLIC,
        "Storage container allows anonymous access",
        Severity::Critical,
        Some(732),
        "`container_access_type = \"blob\"` or `\"container\"` serves blobs to anyone. Use \
         `\"private\"` (the default) and SAS tokens or Entra ID for access; an account with \
         `allow_nested_items_to_be_public = false` refuses public containers.",
    ),
    IacRule::new(
        IacKind::Terraform,
        NSG_OPEN,
        "Network security group allows internet ingress to admin, database or all ports",
        Severity::Critical,
        Some(284),
        "An inbound Allow rule from `*`, `0.0.0.0/0`, `Internet` or `Any` to SSH (22), RDP \
         (3389), database ports or all ports exposes them to the internet. Restrict \
         `source_address_prefix`, and use Azure Bastion or just-in-time access.",
    ),
    IacRule::new(
        IacKind::Terraform,
        FLOW_LOGS,
        "NSG flow logs disabled or kept less than 90 days",
        Severity::Medium,
        Some(778),
        "`azurerm_network_watcher_flow_log` with `enabled = false` records no traffic; a \
         `retention_policy` that is enabled with `days` under 90 deletes it too early for \
         investigations. Enable the flow log and keep at least 90 days (0 = forever).",
    ),
    IacRule::new(
        IacKind::Terraform,
        DB_PUBLIC,
        "Database server reachable over the public network",
        Severity::High,
        Some(284),
        "`public_network_access_enabled` defaults to true on Azure SQL, PostgreSQL, MySQL and \
         MariaDB servers. Set it to false and connect through a private endpoint (flexible \
         servers: VNet integration with `delegated_subnet_id`).",
    ),
    IacRule::new(
        IacKind::Terraform,
        DB_FIREWALL,
        "Database firewall rule allows the whole internet",
        Severity::Critical,
        Some(284),
        "A firewall rule from `0.0.0.0` to `255.255.255.255` (or any range wider than a /8) \
         admits every address. List the client addresses; `0.0.0.0`-`0.0.0.0` (Azure services) \
         is reported as passed.",
    ),
    IacRule::new(
        IacKind::Terraform,
        DB_SSL,
        "Database server does not enforce SSL/TLS connections",
        Severity::High,
        Some(319),
        "Set `ssl_enforcement_enabled = true` on PostgreSQL/MySQL/MariaDB single servers; on \
         flexible servers do not set the `require_secure_transport` server parameter to OFF.",
    ),
    IacRule::new(
        IacKind::Terraform,
        DB_TLS,
        "Database server accepts TLS below 1.2",
        Severity::High,
        Some(326),
        "Set `minimum_tls_version = \"1.2\"` on `azurerm_mssql_server`, \
         `ssl_minimal_tls_version_enforced = \"TLS1_2\"` on PostgreSQL/MySQL single servers, \
         and TLS 1.2+ in the `tls_version`/`ssl_min_protocol_version` parameters of flexible \
         servers.",
    ),
    IacRule::new(
        IacKind::Terraform,
        KV_PURGE,
        "Key Vault without purge protection",
        Severity::Medium,
        Some(693),
        "Without `purge_protection_enabled = true` a deleted vault or key can be purged before \
         its soft-delete retention ends (irrecoverable data loss, ransomware). Enable it; soft \
         delete must not be disabled (`soft_delete_enabled = false` in 2.x).",
    ),
    IacRule::new(
        IacKind::Terraform,
        KV_LOGGING,
        "Key Vault without diagnostic logging",
        Severity::Medium,
        Some(778),
        "Add `azurerm_monitor_diagnostic_setting` with `target_resource_id` = the vault's id and \
         an `enabled_log` (category group `audit` or `allLogs`) sent to Log Analytics or storage, \
         so key and secret access is recorded.",
    ),
    IacRule::new(
        IacKind::Terraform,
        SQL_AUDITING,
        "Azure SQL server auditing not configured",
        Severity::Medium,
        Some(778),
        "Add `azurerm_mssql_server_extended_auditing_policy` for the server (to a storage \
         account or Log Analytics) so database activity is recorded.",
    ),
    IacRule::new(
        IacKind::Terraform,
        ROLE_WILDCARD,
        "Custom role definition allows all actions",
        Severity::High,
        Some(269),
        "`permissions { actions = [\"*\"] }` is Owner-equivalent on the assignable scopes. List \
         the specific resource provider operations the role needs.",
    ),
    IacRule::new(
        IacKind::Terraform,
        AKS_RBAC,
        "AKS cluster with Kubernetes RBAC disabled",
        Severity::High,
        Some(285),
        "`role_based_access_control_enabled = false` gives every authenticated user full access \
         to the cluster. Keep RBAC on (the default), ideally with Entra ID integration.",
    ),
    IacRule::new(
        IacKind::Terraform,
        AKS_API_RANGES,
        "AKS API server reachable from any address",
        Severity::High,
        Some(284),
        "A public AKS API server with no authorized IP ranges accepts connections from the \
         internet. Set `api_server_access_profile { authorized_ip_ranges = [...] }` or \
         `private_cluster_enabled = true`.",
    ),
];

pub(crate) fn check(m: &Module<'_>, o: &mut Out<'_, '_>) {
    storage(m, o);
    nsg(m, o);
    flow_logs(m, o);
    databases(m, o);
    key_vault(m, o);
    sql_auditing(m, o);
    roles(m, o);
    aks(m, o);
}

fn bool_attr(m: &Module<'_>, n: &Node<'_>, key: &str) -> Option<Option<bool>> {
    m.attr(n, key).map(|v| v.as_bool())
}

/// The first of several alternative attribute names present: (key, value).
fn first_attr(m: &Module<'_>, n: &Node<'_>, keys: &[&'static str]) -> Option<(&'static str, Val)> {
    keys.iter().find_map(|k| m.attr(n, k).map(|v| (*k, v)))
}

fn storage(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for a in m.of_type("azurerm_storage_account") {
        let n = a.node();
        // Minimum TLS.
        match m.attr(&n, "min_tls_version") {
            Some(Val::Str(v)) => {
                let loc = m.loc(a, &n, Some("min_tls_version"));
                if v == "TLS1_0" || v == "TLS1_1" {
                    o.fail(STORAGE_TLS, a, loc, format!("min_tls_version = \"{v}\""));
                } else {
                    o.pass(STORAGE_TLS, a, loc, format!("min_tls_version = \"{v}\""));
                }
            }
            Some(_) => {}
            None => o.pass(
                STORAGE_TLS,
                a,
                a.loc(),
                "min_tls_version unset (default TLS1_2)",
            ),
        }
        // HTTPS only.
        match first_attr(
            m,
            &n,
            &["https_traffic_only_enabled", "enable_https_traffic_only"],
        ) {
            Some((k, v)) => match v.as_bool() {
                Some(true) => o.pass(
                    STORAGE_HTTPS,
                    a,
                    m.loc(a, &n, Some(k)),
                    format!("{k} = true"),
                ),
                Some(false) => o.fail(
                    STORAGE_HTTPS,
                    a,
                    m.loc(a, &n, Some(k)),
                    format!("{k} = false"),
                ),
                None => {}
            },
            None => o.pass(STORAGE_HTTPS, a, a.loc(), "HTTPS-only (default)"),
        }
        // Nested items public.
        match first_attr(
            m,
            &n,
            &[
                "allow_nested_items_to_be_public",
                "allow_blob_public_access",
            ],
        ) {
            Some((k, v)) => match v.as_bool() {
                Some(false) => o.pass(
                    STORAGE_NESTED_PUBLIC,
                    a,
                    m.loc(a, &n, Some(k)),
                    format!("{k} = false"),
                ),
                Some(true) => o.fail(
                    STORAGE_NESTED_PUBLIC,
                    a,
                    m.loc(a, &n, Some(k)),
                    format!("{k} = true"),
                ),
                None => {}
            },
            None => o.fail(
                STORAGE_NESTED_PUBLIC,
                a,
                a.loc(),
                "allow_nested_items_to_be_public unset (default true)",
            ),
        }
    }
    for c in m.of_type("azurerm_storage_container") {
        let n = c.node();
        let access = match m.attr(&n, "container_access_type") {
            Some(Val::Str(v)) => v,
            Some(_) => continue,
            None => {
                o.pass(
                    CONTAINER_PUBLIC,
                    c,
                    c.loc(),
                    "container_access_type unset (private)",
                );
                continue;
            }
        };
        let loc = m.loc(c, &n, Some("container_access_type"));
        if access == "private" {
            o.pass(
                CONTAINER_PUBLIC,
                c,
                loc,
                "container_access_type = \"private\"",
            );
            continue;
        }
        let account = first_attr(m, &n, &["storage_account_id", "storage_account_name"])
            .and_then(|(_, v)| m.target_of(&v, "azurerm_storage_account", "name"));
        let blocked = account.is_some_and(|a| {
            first_attr(
                m,
                &a.node(),
                &[
                    "allow_nested_items_to_be_public",
                    "allow_blob_public_access",
                ],
            )
            .and_then(|(_, v)| v.as_bool())
                == Some(false)
        });
        if blocked {
            o.pass(
                CONTAINER_PUBLIC,
                c,
                loc,
                format!(
                    "container_access_type = \"{access}\", but the account forbids public containers"
                ),
            );
        } else {
            o.fail(
                CONTAINER_PUBLIC,
                c,
                loc,
                format!("container_access_type = \"{access}\": anonymous read"),
            );
        }
    }
}

const WORLD_SOURCES: &[&str] = &["*", "0.0.0.0", "0.0.0.0/0", "internet", "any", "::/0"];

/// Is an NSG rule an inbound allow from the internet to a sensitive port? `Err` if unknown.
fn open_rule(m: &Module<'_>, n: &Node<'_>) -> Result<Option<String>, ()> {
    let text = |k: &str| {
        m.attr(n, k)
            .map(|v| v.as_str().map(str::to_ascii_lowercase))
    };
    match text("direction") {
        Some(Some(d)) if d == "inbound" => {}
        Some(Some(_)) => return Ok(None),
        _ => return Err(()),
    }
    match text("access") {
        Some(Some(a)) if a == "allow" => {}
        Some(Some(_)) => return Ok(None),
        _ => return Err(()),
    }
    match text("protocol") {
        Some(Some(p)) if p == "icmp" || p == "esp" || p == "ah" => return Ok(None),
        Some(None) => return Err(()),
        _ => {}
    }
    let mut sources: Vec<Val> = Vec::new();
    for k in ["source_address_prefix", "source_address_prefixes"] {
        if let Some(v) = m.attr(n, k) {
            sources.push(v);
        }
    }
    let mut world = None;
    let mut unknown = false;
    for s in &sources {
        let (items, complete) = s.strings();
        unknown |= !complete;
        if let Some(w) = items
            .into_iter()
            .find(|x| WORLD_SOURCES.contains(&x.trim().to_ascii_lowercase().as_str()))
        {
            world = Some(w.to_string());
        }
    }
    let Some(world) = world else {
        return if unknown { Err(()) } else { Ok(None) };
    };
    let mut ports: Vec<Val> = Vec::new();
    for k in ["destination_port_range", "destination_port_ranges"] {
        if let Some(v) = m.attr(n, k) {
            ports.extend(v.items().into_iter().cloned());
        }
    }
    for p in &ports {
        match port_range(p) {
            Some((lo, hi)) => {
                if let Some(s) = sensitive_in(lo, hi) {
                    return Ok(Some(format!("{s} open to \"{world}\"")));
                }
            }
            None => unknown = true,
        }
    }
    if unknown {
        Err(())
    } else {
        Ok(None)
    }
}

fn nsg(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for g in m.of_type("azurerm_network_security_group") {
        let mut bad = None;
        let mut unknown = false;
        for r in m.blocks(&g.node(), "security_rule") {
            match open_rule(m, &r) {
                Ok(Some(what)) => {
                    let name = m
                        .attr(&r, "name")
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    let key = if m.attr(&r, "source_address_prefix").is_some() {
                        "source_address_prefix"
                    } else {
                        "source_address_prefixes"
                    };
                    bad = Some((
                        m.loc(g, &r, Some(key)),
                        format!("security_rule \"{name}\": {what}"),
                    ));
                    break;
                }
                Ok(None) => {}
                Err(()) => unknown = true,
            }
        }
        match bad {
            Some((loc, what)) => o.fail(NSG_OPEN, g, loc, what),
            None if !unknown => o.pass(
                NSG_OPEN,
                g,
                g.loc(),
                "no inline inbound rule from the internet to admin, database or all ports",
            ),
            None => {}
        }
    }
    for r in m.of_type("azurerm_network_security_rule") {
        let n = r.node();
        match open_rule(m, &n) {
            Ok(Some(what)) => {
                let key = if m.attr(&n, "source_address_prefix").is_some() {
                    "source_address_prefix"
                } else {
                    "source_address_prefixes"
                };
                o.fail(NSG_OPEN, r, m.loc(r, &n, Some(key)), what)
            }
            Ok(None) => o.pass(
                NSG_OPEN,
                r,
                r.loc(),
                "not an inbound allow from the internet to admin, database or all ports",
            ),
            Err(()) => {}
        }
    }
}

fn flow_logs(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for f in m.of_type("azurerm_network_watcher_flow_log") {
        let n = f.node();
        match bool_attr(m, &n, "enabled") {
            Some(Some(false)) => {
                o.fail(
                    FLOW_LOGS,
                    f,
                    m.loc(f, &n, Some("enabled")),
                    "enabled = false",
                );
                continue;
            }
            Some(None) => continue,
            _ => {}
        }
        let rp = m.block(&n, "retention_policy");
        let retention = rp.as_ref().map(|p| {
            (
                bool_attr(m, p, "enabled").flatten(),
                m.attr(p, "days").and_then(|d| d.as_num()),
            )
        });
        match (rp, retention) {
            (Some(p), Some((Some(true), Some(days)))) if days > 0.0 && days < 90.0 => o.fail(
                FLOW_LOGS,
                f,
                m.loc(f, &p, Some("days")),
                format!("retention {} days (< 90)", super::hcl::num_text(days)),
            ),
            _ => o.pass(FLOW_LOGS, f, f.loc(), "flow log enabled"),
        }
    }
}

const SINGLE_SERVERS: &[&str] = &[
    "azurerm_postgresql_server",
    "azurerm_mysql_server",
    "azurerm_mariadb_server",
];
const FLEX_SERVERS: &[(&str, &str)] = &[
    (
        "azurerm_postgresql_flexible_server",
        "azurerm_postgresql_flexible_server_configuration",
    ),
    (
        "azurerm_mysql_flexible_server",
        "azurerm_mysql_flexible_server_configuration",
    ),
];

/// A flexible server parameter set by a configuration resource: (resource, value).
fn flex_param<'s, 'm>(
    m: &'s Module<'m>,
    server: &Res<'m>,
    ctype: &str,
    name: &str,
) -> Option<(&'s Res<'m>, Val)> {
    m.linked(server, None, ctype, "server_id")
        .into_iter()
        .chain(m.linked(server, Some("name"), ctype, "server_name"))
        .find_map(|c| {
            let n = c.node();
            (m.attr(&n, "name")?.as_str()? == name)
                .then(|| (c, m.attr(&n, "value")))?
                .1
                .map(|v| (c, v))
        })
}

fn databases(m: &Module<'_>, o: &mut Out<'_, '_>) {
    // Public network access.
    let servers = ["azurerm_mssql_server", "azurerm_sql_server"]
        .iter()
        .chain(SINGLE_SERVERS)
        .chain(FLEX_SERVERS.iter().map(|(s, _)| s));
    for t in servers {
        for s in m.of_type(t) {
            let n = s.node();
            if t.contains("flexible") {
                if let Some(v) = m.attr(&n, "delegated_subnet_id") {
                    if !matches!(v, Val::Null) {
                        o.pass(
                            DB_PUBLIC,
                            s,
                            m.loc(s, &n, Some("delegated_subnet_id")),
                            "VNet-integrated (delegated_subnet_id)",
                        );
                        continue;
                    }
                }
            }
            match bool_attr(m, &n, "public_network_access_enabled") {
                Some(Some(false)) => o.pass(
                    DB_PUBLIC,
                    s,
                    m.loc(s, &n, Some("public_network_access_enabled")),
                    "public_network_access_enabled = false",
                ),
                Some(Some(true)) => o.fail(
                    DB_PUBLIC,
                    s,
                    m.loc(s, &n, Some("public_network_access_enabled")),
                    "public_network_access_enabled = true",
                ),
                Some(None) => {}
                None => o.fail(
                    DB_PUBLIC,
                    s,
                    s.loc(),
                    "public_network_access_enabled unset (default true)",
                ),
            }
        }
    }

    // Firewall rules.
    for t in [
        "azurerm_mssql_firewall_rule",
        "azurerm_sql_firewall_rule",
        "azurerm_postgresql_firewall_rule",
        "azurerm_mysql_firewall_rule",
        "azurerm_mariadb_firewall_rule",
        "azurerm_postgresql_flexible_server_firewall_rule",
        "azurerm_mysql_flexible_server_firewall_rule",
    ] {
        for r in m.of_type(t) {
            let n = r.node();
            let ip = |k: &str| {
                m.attr(&n, k)
                    .and_then(|v| {
                        v.as_str()
                            .and_then(|s| s.parse::<std::net::Ipv4Addr>().ok())
                    })
                    .map(u32::from)
            };
            let (Some(start), Some(end)) = (ip("start_ip_address"), ip("end_ip_address")) else {
                continue;
            };
            let loc = m.loc(r, &n, Some("end_ip_address"));
            let size = u64::from(end.saturating_sub(start)) + 1;
            if start == 0 && end == 0 {
                o.pass(DB_FIREWALL, r, loc, "0.0.0.0 rule: Azure services only");
            } else if size > (1u64 << 24) {
                o.fail(
                    DB_FIREWALL,
                    r,
                    loc,
                    format!(
                        "{} to {} admits {size} addresses",
                        std::net::Ipv4Addr::from(start),
                        std::net::Ipv4Addr::from(end)
                    ),
                );
            } else {
                o.pass(DB_FIREWALL, r, loc, format!("{size} addresses"));
            }
        }
    }

    // SSL enforcement and minimum TLS on single servers.
    for t in SINGLE_SERVERS {
        for s in m.of_type(t) {
            let n = s.node();
            match first_attr(m, &n, &["ssl_enforcement_enabled", "ssl_enforcement"]) {
                Some((k, v)) => {
                    let on = match &v {
                        Val::Str(x) if x.eq_ignore_ascii_case("enabled") => Some(true),
                        Val::Str(x) if x.eq_ignore_ascii_case("disabled") => Some(false),
                        other => other.as_bool(),
                    };
                    let loc = m.loc(s, &n, Some(k));
                    match on {
                        Some(true) => o.pass(DB_SSL, s, loc, format!("{k} = {}", v.show())),
                        Some(false) => o.fail(DB_SSL, s, loc, format!("{k} = {}", v.show())),
                        None => {}
                    }
                }
                None => o.fail(DB_SSL, s, s.loc(), "ssl_enforcement_enabled unset"),
            }
            match m.attr(&n, "ssl_minimal_tls_version_enforced") {
                Some(Val::Str(v)) => {
                    let loc = m.loc(s, &n, Some("ssl_minimal_tls_version_enforced"));
                    if v == "TLS1_2" || v == "TLS1_3" {
                        o.pass(
                            DB_TLS,
                            s,
                            loc,
                            format!("ssl_minimal_tls_version_enforced = \"{v}\""),
                        );
                    } else {
                        o.fail(
                            DB_TLS,
                            s,
                            loc,
                            format!("ssl_minimal_tls_version_enforced = \"{v}\""),
                        );
                    }
                }
                Some(_) => {}
                None => o.pass(DB_TLS, s, s.loc(), "minimal TLS unset (default TLS1_2)"),
            }
        }
    }
    // Flexible servers: server parameters.
    for (st, ct) in FLEX_SERVERS {
        for s in m.of_type(st) {
            match flex_param(m, s, ct, "require_secure_transport") {
                Some((c, Val::Str(v))) => {
                    let loc = m.loc(c, &c.node(), Some("value"));
                    if v.eq_ignore_ascii_case("off") {
                        o.fail(DB_SSL, s, loc, "require_secure_transport = OFF");
                    } else {
                        o.pass(DB_SSL, s, loc, format!("require_secure_transport = {v}"));
                    }
                }
                Some(_) => {}
                None => o.pass(DB_SSL, s, s.loc(), "require_secure_transport default (ON)"),
            }
            let pname = if st.contains("mysql") {
                "tls_version"
            } else {
                "ssl_min_protocol_version"
            };
            match flex_param(m, s, ct, pname) {
                Some((c, Val::Str(v))) => {
                    let loc = m.loc(c, &c.node(), Some("value"));
                    let weak = v
                        .split(',')
                        .map(|x| x.trim().to_ascii_lowercase())
                        .any(|x| x == "tlsv1" || x == "tlsv1.0" || x == "tlsv1.1");
                    if weak {
                        o.fail(DB_TLS, s, loc, format!("{pname} = \"{v}\""));
                    } else {
                        o.pass(DB_TLS, s, loc, format!("{pname} = \"{v}\""));
                    }
                }
                Some(_) => {}
                None => o.pass(DB_TLS, s, s.loc(), format!("{pname} default (TLS 1.2)")),
            }
        }
    }
    // The legacy `azurerm_sql_server` has no TLS setting (the server default applies): not
    // evaluated.
    for s in m.of_type("azurerm_mssql_server") {
        let n = s.node();
        match m.attr(&n, "minimum_tls_version") {
            Some(Val::Str(v)) => {
                let loc = m.loc(s, &n, Some("minimum_tls_version"));
                if v == "1.2" || v == "1.3" {
                    o.pass(DB_TLS, s, loc, format!("minimum_tls_version = \"{v}\""));
                } else {
                    o.fail(DB_TLS, s, loc, format!("minimum_tls_version = \"{v}\""));
                }
            }
            Some(_) => {}
            None => o.pass(
                DB_TLS,
                s,
                s.loc(),
                "minimum_tls_version unset (default 1.2)",
            ),
        }
    }
}

fn key_vault(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for kv in m.of_type("azurerm_key_vault") {
        let n = kv.node();
        if bool_attr(m, &n, "soft_delete_enabled") == Some(Some(false)) {
            o.fail(
                KV_PURGE,
                kv,
                m.loc(kv, &n, Some("soft_delete_enabled")),
                "soft_delete_enabled = false",
            );
        } else {
            match bool_attr(m, &n, "purge_protection_enabled") {
                Some(Some(true)) => o.pass(
                    KV_PURGE,
                    kv,
                    m.loc(kv, &n, Some("purge_protection_enabled")),
                    "purge_protection_enabled = true",
                ),
                Some(Some(false)) => o.fail(
                    KV_PURGE,
                    kv,
                    m.loc(kv, &n, Some("purge_protection_enabled")),
                    "purge_protection_enabled = false",
                ),
                Some(None) => {}
                None => o.fail(
                    KV_PURGE,
                    kv,
                    kv.loc(),
                    "purge_protection_enabled unset (default false)",
                ),
            }
        }
        // Diagnostic settings.
        let mut logged: Option<Loc> = None;
        for d in m.linked(
            kv,
            None,
            "azurerm_monitor_diagnostic_setting",
            "target_resource_id",
        ) {
            let dn = d.node();
            let enabled_log = m.blocks(&dn, "enabled_log");
            if let Some(first) = enabled_log.first() {
                logged = Some(m.loc(d, first, None));
                break;
            }
            for lg in m.blocks(&dn, "log") {
                if bool_attr(m, &lg, "enabled") != Some(Some(false)) {
                    logged = Some(m.loc(d, &lg, None));
                }
            }
        }
        match logged {
            Some(loc) => o.pass(KV_LOGGING, kv, loc, "diagnostic setting sends vault logs"),
            None if m.uncertain("azurerm_monitor_diagnostic_setting", "target_resource_id") => {}
            None => o.fail(
                KV_LOGGING,
                kv,
                kv.loc(),
                "no azurerm_monitor_diagnostic_setting with logs for this vault",
            ),
        }
    }
}

fn sql_auditing(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for s in m.of_type("azurerm_mssql_server") {
        let n = s.node();
        let mut verdict: Option<(bool, Loc)> = None;
        if let Some(b) = m.block(&n, "extended_auditing_policy") {
            verdict = Some((true, m.loc(s, &b, None)));
        }
        for p in m.linked(
            s,
            None,
            "azurerm_mssql_server_extended_auditing_policy",
            "server_id",
        ) {
            let pn = p.node();
            match bool_attr(m, &pn, "enabled") {
                Some(Some(false)) => verdict = Some((false, m.loc(p, &pn, Some("enabled")))),
                Some(None) => return,
                _ => verdict = Some((true, p.loc())),
            }
        }
        match verdict {
            Some((true, loc)) => {
                o.pass(SQL_AUDITING, s, loc, "extended auditing policy configured")
            }
            Some((false, loc)) => o.fail(SQL_AUDITING, s, loc, "auditing policy enabled = false"),
            None if m.uncertain("azurerm_mssql_server_extended_auditing_policy", "server_id") => {}
            None => o.fail(
                SQL_AUDITING,
                s,
                s.loc(),
                "no azurerm_mssql_server_extended_auditing_policy for this server",
            ),
        }
    }
}

fn roles(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for r in m.of_type("azurerm_role_definition") {
        let mut bad = None;
        let mut unknown = false;
        for p in m.blocks(&r.node(), "permissions") {
            if let Some(v) = m.attr(&p, "actions") {
                let (items, complete) = v.strings();
                unknown |= !complete;
                if items.contains(&"*") {
                    bad = Some(m.loc(r, &p, Some("actions")));
                    break;
                }
            }
        }
        match bad {
            Some(loc) => o.fail(ROLE_WILDCARD, r, loc, "actions = [\"*\"]"),
            None if !unknown => o.pass(ROLE_WILDCARD, r, r.loc(), "specific actions only"),
            None => {}
        }
    }
}

fn aks(m: &Module<'_>, o: &mut Out<'_, '_>) {
    for c in m.of_type("azurerm_kubernetes_cluster") {
        let n = c.node();
        // RBAC.
        let legacy = m.block(&n, "role_based_access_control");
        let rbac = match (
            bool_attr(m, &n, "role_based_access_control_enabled"),
            &legacy,
        ) {
            (Some(v), _) => v.map(|b| (b, m.loc(c, &n, Some("role_based_access_control_enabled")))),
            (None, Some(l)) => bool_attr(m, l, "enabled")
                .unwrap_or(Some(true))
                .map(|b| (b, m.loc(c, l, Some("enabled")))),
            (None, None) => Some((true, c.loc())),
        };
        match rbac {
            Some((true, loc)) => o.pass(AKS_RBAC, c, loc, "Kubernetes RBAC enabled"),
            Some((false, loc)) => o.fail(AKS_RBAC, c, loc, "Kubernetes RBAC disabled"),
            None => {}
        }
        // API server authorized ranges.
        if bool_attr(m, &n, "private_cluster_enabled") == Some(Some(true)) {
            o.pass(
                AKS_API_RANGES,
                c,
                m.loc(c, &n, Some("private_cluster_enabled")),
                "private cluster",
            );
            continue;
        }
        let ranges = m
            .block(&n, "api_server_access_profile")
            .and_then(|p| {
                m.attr(&p, "authorized_ip_ranges")
                    .map(|v| (v, m.loc(c, &p, Some("authorized_ip_ranges"))))
            })
            .or_else(|| {
                m.attr(&n, "api_server_authorized_ip_ranges")
                    .map(|v| (v, m.loc(c, &n, Some("api_server_authorized_ip_ranges"))))
            });
        match ranges {
            Some((v, loc)) => {
                let (items, complete) = v.strings();
                if items.iter().any(|s| super::is_world_cidr(s)) {
                    o.fail(
                        AKS_API_RANGES,
                        c,
                        loc,
                        "authorized IP ranges include 0.0.0.0/0",
                    );
                } else if !items.is_empty() {
                    o.pass(
                        AKS_API_RANGES,
                        c,
                        loc,
                        format!("authorized IP ranges {}", v.show()),
                    );
                } else if complete {
                    o.fail(AKS_API_RANGES, c, loc, "authorized IP ranges empty");
                }
            }
            None => o.fail(
                AKS_API_RANGES,
                c,
                c.loc(),
                "public API server without authorized IP ranges",
            ),
        }
    }
}
