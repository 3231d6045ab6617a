//! Kubernetes manifests: plain, multi-document (`---`), `kind: List` and Helm-rendered output
//! (`# Source:` comments are kept in the messages).
//!
//! Pod templates of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
//! Job, CronJob, PodTemplate (and any other kind with a `spec.template.spec.containers`, such
//! as Argo Rollouts or OpenShift DeploymentConfigs) are checked at pod level and for every
//! container, init container and ephemeral container. Container security settings override
//! the pod's (`runAsUser`, `runAsNonRoot`). RBAC bindings and roles, and Services, are checked
//! too. Documents that are not valid YAML (unrendered templates) are reported as parse errors
//! and skipped; the other documents of the file are still checked. Values that are still
//! template expressions are treated as unknown: no verdict.

pub(crate) mod yaml;

use super::{CheckResult, IacFile, IacKind, IacOutput, IacRule};
use secops_core::Severity;
use yaml::{flag, Flag, Node, YamlFile};

/// Is this file one of ours?
pub fn is_manifest(rel_path: &str, bytes: &[u8]) -> bool {
    (rel_path.ends_with(".yml") || rel_path.ends_with(".yaml"))
        && memchr::memmem::find(bytes, b"apiVersion:").is_some()
        && memchr::memmem::find(bytes, b"kind:").is_some()
}

pub const PRIVILEGED: &str = "iac.kubernetes.privileged-container";
pub const PRIV_ESCALATION: &str = "iac.kubernetes.allow-privilege-escalation";
pub const RUN_AS_ROOT: &str = "iac.kubernetes.run-as-root";
pub const DROP_ALL: &str = "iac.kubernetes.capabilities-drop-all";
pub const DANGEROUS_CAPS: &str = "iac.kubernetes.dangerous-capabilities";
pub const READ_ONLY_FS: &str = "iac.kubernetes.read-only-root-filesystem";
pub const LIMITS: &str = "iac.kubernetes.resource-limits";
pub const IMAGE_TAG: &str = "iac.kubernetes.image-tag";
pub const HOST_NETWORK: &str = "iac.kubernetes.host-network";
pub const HOST_PID: &str = "iac.kubernetes.host-pid";
pub const HOST_IPC: &str = "iac.kubernetes.host-ipc";
pub const HOST_PATH: &str = "iac.kubernetes.host-path-volume";
pub const HOST_PATH_SENSITIVE: &str = "iac.kubernetes.host-path-sensitive";
pub const AUTOMOUNT: &str = "iac.kubernetes.automount-service-account-token";
pub const CLUSTER_ADMIN: &str = "iac.kubernetes.rbac-cluster-admin-binding";
pub const RBAC_WILDCARD: &str = "iac.kubernetes.rbac-wildcard";
pub const SERVICE_EXPOSURE: &str = "iac.kubernetes.service-exposure";

const RULES: &[IacRule] = &[
    IacRule::new(
        IacKind::Kubernetes,
        PRIVILEGED,
        "Privileged container",
        Severity::Critical,
        Some(250),
        "A privileged container has every capability and access to all host devices: escaping to \
         the node is trivial. Remove `securityContext.privileged: true`; grant the one capability \
         the workload needs instead, or move node-level work to a dedicated, isolated DaemonSet.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        PRIV_ESCALATION,
        "Privilege escalation not disabled",
        Severity::Medium,
        Some(269),
        "Unless `allowPrivilegeEscalation` is false, a process can gain more privileges than its \
         parent (setuid binaries, file capabilities); the default is true. Set \
         `securityContext.allowPrivilegeEscalation: false` on every container.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        RUN_AS_ROOT,
        "Container may run as root",
        Severity::Medium,
        Some(250),
        "A container without `runAsNonRoot: true` or a non-zero `runAsUser` runs as the image's \
         user, often root (UID 0), which makes a container escape a host root compromise. Set \
         `runAsNonRoot: true` and a non-zero `runAsUser` in the pod or container securityContext \
         (the container's settings override the pod's) and build the image with a non-root USER.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        DROP_ALL,
        "Capabilities not dropped",
        Severity::Medium,
        Some(250),
        "Containers start with a default set of Linux capabilities (NET_RAW, CHOWN, SETUID, ...) \
         that most workloads never use. Set `securityContext.capabilities.drop: [\"ALL\"]` and \
         add back only what is needed (usually nothing, or NET_BIND_SERVICE).",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        DANGEROUS_CAPS,
        "Dangerous capability added",
        Severity::High,
        Some(250),
        "Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH or \
         BPF give a container near-root power over the node (mounting, network configuration, \
         reading other processes, loading kernel modules). Remove them from \
         `securityContext.capabilities.add`; redesign the workload if it truly needs them.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        READ_ONLY_FS,
        "Root filesystem writable",
        Severity::Low,
        None,
        "A writable root filesystem lets an attacker drop tools or modify binaries inside the \
         container. Set `securityContext.readOnlyRootFilesystem: true` and mount `emptyDir` \
         volumes for the paths the application writes (/tmp, caches).",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        LIMITS,
        "CPU or memory limit missing",
        Severity::Low,
        Some(400),
        "Without `resources.limits.cpu` and `resources.limits.memory` one container can exhaust \
         the node (denial of service of its neighbours). Set both limits (and requests) for every \
         container and init container, or enforce defaults with a LimitRange.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        IMAGE_TAG,
        "Image not pinned",
        Severity::Medium,
        Some(829),
        "An image without a tag or with `:latest` changes under you: deployments are not \
         reproducible and a compromised or broken upstream push is pulled silently. Use a \
         specific version tag, or better a digest (`image: repo/name@sha256:...`).",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        HOST_NETWORK,
        "Pod shares the host network",
        Severity::High,
        Some(250),
        "`hostNetwork: true` puts the pod in the node's network namespace: it can bind node \
         ports, sniff node traffic and reach services bound to localhost. Remove it; expose the \
         pod through a Service instead.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        HOST_PID,
        "Pod shares the host PID namespace",
        Severity::High,
        Some(250),
        "`hostPID: true` lets the pod see and signal every process on the node, and read their \
         environment through /proc. Remove it.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        HOST_IPC,
        "Pod shares the host IPC namespace",
        Severity::High,
        Some(250),
        "`hostIPC: true` gives the pod access to the node's shared memory and IPC objects of all \
         processes. Remove it.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        HOST_PATH,
        "hostPath volume",
        Severity::Medium,
        Some(668),
        "A hostPath volume exposes a node directory to the pod; writable host paths are a common \
         escape route and tie the pod to one node. Use emptyDir, a PersistentVolumeClaim, a \
         ConfigMap or a CSI driver; if a host path is unavoidable mount it `readOnly: true`.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        HOST_PATH_SENSITIVE,
        "hostPath to a sensitive host path",
        Severity::Critical,
        Some(250),
        "Mounting the host's /, /proc, /sys, /etc, /root, /var/lib/kubelet or a container runtime \
         socket (/var/run/docker.sock, containerd, cri-o) gives the pod control of the node: a \
         runtime socket can start privileged containers. Remove the volume.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        AUTOMOUNT,
        "Service account token mounted automatically",
        Severity::Low,
        Some(250),
        "By default every pod gets its service account's API token mounted, which an attacker in \
         the container can use against the Kubernetes API. Set \
         `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount) unless \
         the workload calls the API.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        CLUSTER_ADMIN,
        "cluster-admin bound to a service account",
        Severity::Critical,
        Some(269),
        "Binding the `cluster-admin` ClusterRole to a service account (or to all service \
         accounts, or all authenticated users) gives whoever runs in such a pod full control of \
         the cluster. Bind a Role with the few verbs and resources the workload needs, in its \
         namespace.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        RBAC_WILDCARD,
        "RBAC rule with wildcard verbs or resources",
        Severity::High,
        Some(269),
        "A Role or ClusterRole rule with `*` in verbs or resources grants every current and \
         future permission on them (including secrets, escalate, bind, impersonate). List the \
         verbs and resources explicitly.",
    ),
    IacRule::new(
        IacKind::Kubernetes,
        SERVICE_EXPOSURE,
        "Service exposed outside the cluster",
        Severity::Info,
        Some(668),
        "A LoadBalancer or NodePort Service is reachable from outside the cluster. That may be \
         intended; confirm it, restrict LoadBalancers with `loadBalancerSourceRanges` or an \
         internal load balancer annotation, and prefer an Ingress with TLS and authentication.",
    ),
];

/// The rules of this module.
pub fn rules() -> Vec<IacRule> {
    RULES.to_vec()
}

/// Evaluate the checks.
pub fn check(file: &IacFile<'_>, out: &mut IacOutput) {
    let Some(text) = super::text_of(file, out) else {
        return;
    };
    let (yf, errors) = YamlFile::parse(file.rel_path, text);
    out.errors.extend(errors);
    let accounts = service_accounts(&yf);
    for doc in &yf.docs {
        let mut ctx = Ctx {
            path: file.rel_path,
            source: doc.source.as_deref(),
            accounts: &accounts,
            results: &mut out.results,
        };
        object(&mut ctx, Node::root(doc), 0);
    }
}

struct Ctx<'a> {
    path: &'a str,
    source: Option<&'a str>,
    accounts: &'a [Account],
    results: &'a mut Vec<CheckResult>,
}

impl Ctx<'_> {
    fn emit(
        &mut self,
        rule_id: &'static str,
        passed: bool,
        line: usize,
        resource: &str,
        msg: String,
    ) {
        let message = match self.source {
            Some(s) => format!("{msg} (from {s})"),
            None => msg,
        };
        self.results.push(CheckResult {
            rule_id,
            passed,
            path: self.path.to_string(),
            line,
            resource: resource.to_string(),
            message,
        });
    }
}

/// A ServiceAccount of the file and its `automountServiceAccountToken`.
struct Account {
    namespace: Option<String>,
    name: String,
    automount: Flag,
}

fn service_accounts(yf: &YamlFile<'_>) -> Vec<Account> {
    let mut v = Vec::new();
    for doc in &yf.docs {
        let root = Node::root(doc);
        let mut objs = vec![root.clone()];
        if root.get("kind").and_then(|k| k.str()) == Some("List") {
            objs = root.get("items").map(|i| i.items()).unwrap_or_default();
        }
        for o in objs {
            if o.get("kind").and_then(|k| k.str()) != Some("ServiceAccount") {
                continue;
            }
            let Some(name) = o.at(&["metadata", "name"]).and_then(|n| n.str()) else {
                continue;
            };
            v.push(Account {
                namespace: o
                    .at(&["metadata", "namespace"])
                    .and_then(|n| n.str())
                    .map(String::from),
                name: name.to_string(),
                automount: flag(o.get("automountServiceAccountToken").as_ref()),
            });
        }
    }
    v
}

fn object(ctx: &mut Ctx<'_>, obj: Node<'_>, depth: usize) {
    let Some(kind) = obj.get("kind").and_then(|k| k.str()) else {
        return;
    };
    let name = obj
        .at(&["metadata", "name"])
        .and_then(|n| n.scalar_text())
        .unwrap_or_else(|| "<unnamed>".to_string());
    let namespace = obj.at(&["metadata", "namespace"]).and_then(|n| n.str());
    let res = format!("{kind}/{name}");
    match kind {
        "List" if depth < 4 => {
            for item in obj.get("items").map(|i| i.items()).unwrap_or_default() {
                object(ctx, item, depth + 1);
            }
        }
        "Pod" => {
            if let Some(spec) = obj.get("spec") {
                pod(ctx, &spec, &res, namespace);
            }
        }
        "CronJob" => {
            if let Some(spec) = obj.at(&["spec", "jobTemplate", "spec", "template", "spec"]) {
                pod(ctx, &spec, &res, namespace);
            }
        }
        "PodTemplate" => {
            if let Some(spec) = obj.at(&["template", "spec"]) {
                pod(ctx, &spec, &res, namespace);
            }
        }
        "ClusterRoleBinding" | "RoleBinding" => binding(ctx, &obj, &res),
        "ClusterRole" | "Role" => role(ctx, &obj, &res),
        "Service" => service(ctx, &obj, &res),
        _ => {
            // Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and
            // any other kind with a pod template.
            let known = matches!(
                kind,
                "Deployment"
                    | "StatefulSet"
                    | "DaemonSet"
                    | "ReplicaSet"
                    | "ReplicationController"
                    | "Job"
            );
            if let Some(spec) = obj.at(&["spec", "template", "spec"]) {
                let has_containers = spec
                    .get("containers")
                    .is_some_and(|c| !c.items().is_empty());
                if known || has_containers {
                    pod(ctx, &spec, &res, namespace);
                }
            }
        }
    }
}

/// Host paths whose mount hands over the node.
const SENSITIVE_PATHS: &[&str] = &[
    "/proc",
    "/sys",
    "/etc",
    "/root",
    "/boot",
    "/dev",
    "/var/run/docker.sock",
    "/var/run/containerd",
    "/var/run/crio",
    "/var/run/cri-dockerd.sock",
    "/run/docker.sock",
    "/run/containerd",
    "/run/crio",
    "/run/cri-dockerd.sock",
    "/run/podman",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/etc/kubernetes",
];

fn normalize_path(p: &str) -> String {
    let mut s = String::new();
    for part in p.split('/').filter(|x| !x.is_empty() && *x != ".") {
        s.push('/');
        s.push_str(part);
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}

fn sensitive_host_path(p: &str) -> bool {
    let n = normalize_path(p);
    n == "/"
        || SENSITIVE_PATHS
            .iter()
            .any(|s| n == *s || n.strip_prefix(s).is_some_and(|r| r.starts_with('/')))
}

fn pod(ctx: &mut Ctx<'_>, spec: &Node<'_>, res: &str, namespace: Option<&str>) {
    let spec_line = spec.line();
    for (field, rule_id) in [
        ("hostNetwork", HOST_NETWORK),
        ("hostPID", HOST_PID),
        ("hostIPC", HOST_IPC),
    ] {
        let n = spec.get(field);
        match flag(n.as_ref()) {
            Flag::True => {
                let line = n.map(|n| n.line()).unwrap_or(spec_line);
                ctx.emit(rule_id, false, line, res, format!("`{field}: true`"));
            }
            Flag::Unknown => {}
            Flag::False | Flag::Unset => {
                ctx.emit(
                    rule_id,
                    true,
                    spec_line,
                    res,
                    format!("`{field}` is not enabled"),
                );
            }
        }
    }

    // hostPath volumes.
    let mut sensitive = 0;
    let mut other = 0;
    for vol in spec.get("volumes").map(|v| v.items()).unwrap_or_default() {
        let Some(hp) = vol.get("hostPath") else {
            continue;
        };
        let vname = vol
            .get("name")
            .and_then(|n| n.scalar_text())
            .unwrap_or_default();
        let pnode = hp.get("path");
        let Some(p) = pnode.as_ref().and_then(|p| p.str()) else {
            continue;
        };
        if p.contains("{{") {
            continue;
        }
        let line = pnode
            .as_ref()
            .map(|n| n.line())
            .unwrap_or_else(|| hp.line());
        if sensitive_host_path(p) {
            sensitive += 1;
            ctx.emit(
                HOST_PATH_SENSITIVE,
                false,
                line,
                res,
                format!("volume `{vname}` mounts the host path `{p}`"),
            );
        } else {
            other += 1;
            ctx.emit(
                HOST_PATH,
                false,
                line,
                res,
                format!("volume `{vname}` mounts the host path `{p}`"),
            );
        }
    }
    if sensitive == 0 {
        ctx.emit(
            HOST_PATH_SENSITIVE,
            true,
            spec_line,
            res,
            "no hostPath volume to a sensitive host path".into(),
        );
    }
    if other == 0 {
        let msg = if sensitive == 0 {
            "no hostPath volume"
        } else {
            "no hostPath volume besides the sensitive ones"
        };
        ctx.emit(HOST_PATH, true, spec_line, res, msg.into());
    }

    automount(ctx, spec, res, namespace);

    let psc = spec.get("securityContext");
    for (list, label) in [
        ("initContainers", "initContainer"),
        ("containers", "container"),
        ("ephemeralContainers", "ephemeralContainer"),
    ] {
        for c in spec.get(list).map(|l| l.items()).unwrap_or_default() {
            let cname = c
                .get("name")
                .and_then(|n| n.scalar_text())
                .unwrap_or_else(|| "<unnamed>".into());
            let cres = format!("{res} {label} {cname}");
            container(ctx, &c, psc.as_ref(), &cres);
        }
    }
}

fn automount(ctx: &mut Ctx<'_>, spec: &Node<'_>, res: &str, namespace: Option<&str>) {
    let n = spec.get("automountServiceAccountToken");
    match flag(n.as_ref()) {
        Flag::False => {
            let line = n.map(|n| n.line()).unwrap_or_else(|| spec.line());
            ctx.emit(
                AUTOMOUNT,
                true,
                line,
                res,
                "`automountServiceAccountToken: false`".into(),
            );
            return;
        }
        Flag::True => {
            let line = n.map(|n| n.line()).unwrap_or_else(|| spec.line());
            ctx.emit(
                AUTOMOUNT,
                false,
                line,
                res,
                "`automountServiceAccountToken: true`".into(),
            );
            return;
        }
        Flag::Unknown => return,
        Flag::Unset => {}
    }
    let sa = spec
        .get("serviceAccountName")
        .or_else(|| spec.get("serviceAccount"))
        .and_then(|s| s.str().map(String::from))
        .unwrap_or_else(|| "default".to_string());
    let account = ctx.accounts.iter().find(|a| {
        a.name == sa
            && match (&a.namespace, namespace) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            }
    });
    match account.map(|a| a.automount) {
        Some(Flag::False) => ctx.emit(
            AUTOMOUNT,
            true,
            spec.line(),
            res,
            format!("service account `{sa}` sets `automountServiceAccountToken: false`"),
        ),
        Some(Flag::Unknown) => {}
        _ => ctx.emit(
            AUTOMOUNT,
            false,
            spec.line(),
            res,
            format!(
                "the token of service account `{sa}` is mounted: `automountServiceAccountToken` is not false on the pod or its ServiceAccount"
            ),
        ),
    }
}

/// Capabilities that give a container control over the node.
const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "DAC_READ_SEARCH",
    "DAC_OVERRIDE",
    "BPF",
    "PERFMON",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "SYSLOG",
    "SETFCAP",
];

fn cap_name(s: &str) -> String {
    let u = s.trim().to_ascii_uppercase();
    u.strip_prefix("CAP_").map(String::from).unwrap_or(u)
}

fn container(ctx: &mut Ctx<'_>, c: &Node<'_>, psc: Option<&Node<'_>>, res: &str) {
    let cline = c.line();
    let sc = c.get("securityContext");
    let get = |k: &str| sc.as_ref().and_then(|s| s.get(k));

    // privileged
    let n = get("privileged");
    match flag(n.as_ref()) {
        Flag::True => ctx.emit(
            PRIVILEGED,
            false,
            line_of(n.as_ref(), cline),
            res,
            "`privileged: true`".into(),
        ),
        Flag::Unknown => {}
        _ => ctx.emit(
            PRIVILEGED,
            true,
            line_of(n.as_ref(), cline),
            res,
            "not privileged".into(),
        ),
    }

    // allowPrivilegeEscalation
    let n = get("allowPrivilegeEscalation");
    match flag(n.as_ref()) {
        Flag::False => ctx.emit(
            PRIV_ESCALATION,
            true,
            line_of(n.as_ref(), cline),
            res,
            "`allowPrivilegeEscalation: false`".into(),
        ),
        Flag::True => ctx.emit(
            PRIV_ESCALATION,
            false,
            line_of(n.as_ref(), cline),
            res,
            "`allowPrivilegeEscalation: true`".into(),
        ),
        Flag::Unknown => {}
        Flag::Unset => ctx.emit(
            PRIV_ESCALATION,
            false,
            line_of(sc.as_ref(), cline),
            res,
            "`allowPrivilegeEscalation` is not set to false (the default allows escalation)".into(),
        ),
    }

    run_as_root(ctx, sc.as_ref(), psc, cline, res);

    // capabilities
    let caps = get("capabilities");
    let drop = caps.as_ref().and_then(|c| c.get("drop"));
    let dropped: Vec<String> = drop.as_ref().map(|d| d.strings()).unwrap_or_default();
    if drop.as_ref().is_some_and(|d| d.is_templated()) {
        // unknown
    } else if dropped.iter().any(|d| cap_name(d) == "ALL") {
        ctx.emit(
            DROP_ALL,
            true,
            line_of(drop.as_ref(), cline),
            res,
            "drops ALL capabilities".into(),
        );
    } else {
        let msg = if dropped.is_empty() {
            "`capabilities.drop` does not include ALL".to_string()
        } else {
            format!(
                "`capabilities.drop` lists {} but not ALL",
                dropped.join(", ")
            )
        };
        let line = line_of(drop.as_ref().or(caps.as_ref()).or(sc.as_ref()), cline);
        ctx.emit(DROP_ALL, false, line, res, msg);
    }
    let add = caps.as_ref().and_then(|c| c.get("add"));
    let added: Vec<String> = add.as_ref().map(|a| a.strings()).unwrap_or_default();
    let bad: Vec<String> = added
        .iter()
        .map(|a| cap_name(a))
        .filter(|a| DANGEROUS.contains(&a.as_str()))
        .collect();
    if bad.is_empty() {
        let msg = if added.is_empty() {
            "no capability added".to_string()
        } else {
            format!("adds only {}", added.join(", "))
        };
        ctx.emit(DANGEROUS_CAPS, true, line_of(add.as_ref(), cline), res, msg);
    } else {
        // The line of the first dangerous entry when the index knows it.
        let line = add
            .as_ref()
            .and_then(|a| {
                a.items().into_iter().find(|i| {
                    i.str()
                        .is_some_and(|s| DANGEROUS.contains(&cap_name(s).as_str()))
                })
            })
            .map(|i| i.line())
            .unwrap_or_else(|| line_of(add.as_ref(), cline));
        ctx.emit(
            DANGEROUS_CAPS,
            false,
            line,
            res,
            format!("adds {}", bad.join(", ")),
        );
    }

    // readOnlyRootFilesystem
    let n = get("readOnlyRootFilesystem");
    match flag(n.as_ref()) {
        Flag::True => ctx.emit(
            READ_ONLY_FS,
            true,
            line_of(n.as_ref(), cline),
            res,
            "`readOnlyRootFilesystem: true`".into(),
        ),
        Flag::Unknown => {}
        Flag::False => ctx.emit(
            READ_ONLY_FS,
            false,
            line_of(n.as_ref(), cline),
            res,
            "`readOnlyRootFilesystem: false`".into(),
        ),
        Flag::Unset => ctx.emit(
            READ_ONLY_FS,
            false,
            line_of(sc.as_ref(), cline),
            res,
            "`readOnlyRootFilesystem` is not set (the root filesystem is writable)".into(),
        ),
    }

    // resource limits
    let resources = c.get("resources");
    let limits = resources.as_ref().and_then(|r| r.get("limits"));
    if !limits.as_ref().is_some_and(|l| l.is_templated()) {
        let missing: Vec<&str> = ["cpu", "memory"]
            .into_iter()
            .filter(|k| {
                limits
                    .as_ref()
                    .and_then(|l| l.get(k))
                    .is_none_or(|v| v.is_null())
            })
            .collect();
        let line = line_of(limits.as_ref().or(resources.as_ref()), cline);
        if missing.is_empty() {
            ctx.emit(LIMITS, true, line, res, "cpu and memory limits set".into());
        } else {
            ctx.emit(
                LIMITS,
                false,
                line,
                res,
                format!("no {} limit", missing.join(" or ")),
            );
        }
    }

    // image
    if let Some(img) = c.get("image") {
        if let Some(s) = img.str() {
            let line = img.line();
            match classify_image(s) {
                ImageRef::Digest => ctx.emit(
                    IMAGE_TAG,
                    true,
                    line,
                    res,
                    format!("`{s}` is pinned by digest"),
                ),
                ImageRef::Tag(t) if t == "latest" => ctx.emit(
                    IMAGE_TAG,
                    false,
                    line,
                    res,
                    format!("`{s}` uses the mutable `latest` tag"),
                ),
                ImageRef::Tag(_) => ctx.emit(
                    IMAGE_TAG,
                    true,
                    line,
                    res,
                    format!("`{s}` has a version tag"),
                ),
                ImageRef::Untagged => ctx.emit(
                    IMAGE_TAG,
                    false,
                    line,
                    res,
                    format!("`{s}` has no tag (pulls `latest`)"),
                ),
                ImageRef::Unknown => {}
            }
        }
    }
}

fn run_as_root(
    ctx: &mut Ctx<'_>,
    sc: Option<&Node<'_>>,
    psc: Option<&Node<'_>>,
    cline: usize,
    res: &str,
) {
    // The container's setting wins over the pod's.
    let pick = |k: &str| -> Option<(Node<'_>, &'static str)> {
        if let Some(n) = sc.and_then(|s| s.get(k)).filter(|n| !n.is_null()) {
            return Some((n, "container"));
        }
        psc.and_then(|s| s.get(k))
            .filter(|n| !n.is_null())
            .map(|n| (n, "pod"))
    };
    let user = pick("runAsUser");
    let non_root = pick("runAsNonRoot");
    if user.as_ref().is_some_and(|u| u.0.is_templated())
        || non_root
            .as_ref()
            .is_some_and(|n| n.0.flag() == Flag::Unknown)
    {
        return;
    }
    let uid = user
        .as_ref()
        .and_then(|u| u.0.scalar_text())
        .and_then(|t| t.trim().parse::<i64>().ok());
    let nr = non_root.as_ref().map(|n| n.0.flag()).unwrap_or(Flag::Unset);
    // The setting that decides, its value and what follows the level in the message.
    let (passed, decider, setting, tail) = match (uid, nr) {
        (Some(0), _) => (false, &user, "`runAsUser: 0`".to_string(), " runs as root"),
        (_, Flag::True) => (true, &non_root, "`runAsNonRoot: true`".to_string(), ""),
        (Some(id), _) if id > 0 => (true, &user, format!("`runAsUser: {id}`"), ""),
        (_, Flag::False) => (
            false,
            &non_root,
            "`runAsNonRoot: false`".to_string(),
            " and no non-zero `runAsUser`",
        ),
        _ => {
            let line = sc.map(|s| s.line()).unwrap_or(cline);
            ctx.emit(
                RUN_AS_ROOT,
                false,
                line,
                res,
                "neither `runAsNonRoot: true` nor a non-zero `runAsUser` (runs as the image's user, often root)".into(),
            );
            return;
        }
    };
    let (line, level) = decider
        .as_ref()
        .map(|d| (d.0.line(), d.1))
        .unwrap_or((cline, "container"));
    ctx.emit(
        RUN_AS_ROOT,
        passed,
        line,
        res,
        format!("{setting} ({level} level){tail}"),
    );
}

fn line_of(n: Option<&Node<'_>>, fallback: usize) -> usize {
    n.map(|n| n.line()).unwrap_or(fallback)
}

/// How an image reference is pinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageRef {
    Digest,
    Tag(String),
    Untagged,
    /// Templated or variable: no verdict.
    Unknown,
}

/// Classify `registry:port/name:tag@sha256:...`.
pub(crate) fn classify_image(s: &str) -> ImageRef {
    let s = s.trim();
    if s.is_empty() || s.contains("{{") || s.contains("$(") {
        return ImageRef::Unknown;
    }
    if let Some((_, digest)) = s.split_once('@') {
        if let Some((algo, hex)) = digest.split_once(':') {
            if !algo.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return ImageRef::Digest;
            }
        }
        return ImageRef::Unknown;
    }
    let last = s.rsplit('/').next().unwrap_or(s);
    match last.rsplit_once(':') {
        Some((_, tag)) if !tag.is_empty() => ImageRef::Tag(tag.to_ascii_lowercase()),
        _ => ImageRef::Untagged,
    }
}

fn binding(ctx: &mut Ctx<'_>, obj: &Node<'_>, res: &str) {
    let role_ref = obj.get("roleRef");
    let rname = role_ref.as_ref().and_then(|r| r.get("name"));
    let role_name = rname.as_ref().and_then(|n| n.str()).unwrap_or("");
    let role_kind = role_ref
        .as_ref()
        .and_then(|r| r.get("kind"))
        .and_then(|k| k.str().map(String::from))
        .unwrap_or_else(|| "ClusterRole".into());
    let line = line_of(rname.as_ref().or(role_ref.as_ref()), obj.line());
    if role_name.contains("{{") {
        return;
    }
    if role_name != "cluster-admin" || role_kind != "ClusterRole" {
        ctx.emit(
            CLUSTER_ADMIN,
            true,
            line,
            res,
            format!("binds {role_kind} `{role_name}`"),
        );
        return;
    }
    let mut bad = Vec::new();
    for s in obj.get("subjects").map(|s| s.items()).unwrap_or_default() {
        let kind = s.get("kind").and_then(|k| k.str()).unwrap_or("");
        let name = s.get("name").and_then(|k| k.str()).unwrap_or("");
        let broad_group = kind == "Group"
            && (name.starts_with("system:serviceaccounts")
                || name == "system:authenticated"
                || name == "system:unauthenticated");
        if kind == "ServiceAccount" || broad_group || (kind == "User" && name == "system:anonymous")
        {
            let ns = s.get("namespace").and_then(|k| k.str());
            bad.push(match ns {
                Some(ns) if kind == "ServiceAccount" => format!("{kind} {ns}/{name}"),
                _ => format!("{kind} {name}"),
            });
        }
    }
    if bad.is_empty() {
        ctx.emit(
            CLUSTER_ADMIN,
            true,
            line,
            res,
            "binds cluster-admin to users only, not to service accounts".into(),
        );
    } else {
        ctx.emit(
            CLUSTER_ADMIN,
            false,
            line,
            res,
            format!("binds cluster-admin to {}", bad.join(", ")),
        );
    }
}

fn role(ctx: &mut Ctx<'_>, obj: &Node<'_>, res: &str) {
    let rules = obj.get("rules");
    let mut failed = false;
    for (i, r) in rules
        .as_ref()
        .map(|r| r.items())
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let verbs = r.get("verbs");
        let resources = r.get("resources");
        let vw = verbs
            .as_ref()
            .is_some_and(|v| v.strings().iter().any(|x| x.trim() == "*"));
        let rw = resources
            .as_ref()
            .is_some_and(|v| v.strings().iter().any(|x| x.trim() == "*"));
        if vw || rw {
            failed = true;
            let what = match (vw, rw) {
                (true, true) => "all verbs on all resources",
                (true, false) => "all verbs (`*`)",
                _ => "all resources (`*`)",
            };
            let list = if vw {
                verbs.as_ref()
            } else {
                resources.as_ref()
            };
            // The `*` entry's own line when the list is in block style.
            let line = list
                .and_then(|l| {
                    l.items()
                        .into_iter()
                        .find(|i| i.str().is_some_and(|s| s.trim() == "*"))
                })
                .map(|i| i.line())
                .unwrap_or_else(|| line_of(list, r.line()));
            let groups = r
                .get("apiGroups")
                .map(|g| g.strings().join(", "))
                .unwrap_or_default();
            ctx.emit(
                RBAC_WILDCARD,
                false,
                line,
                res,
                format!("rule {} grants {what} (apiGroups: [{groups}])", i + 1),
            );
        }
    }
    if !failed {
        let line = line_of(rules.as_ref(), obj.line());
        ctx.emit(
            RBAC_WILDCARD,
            true,
            line,
            res,
            "verbs and resources are listed explicitly".into(),
        );
    }
}

/// Annotations that make a cloud load balancer internal.
const INTERNAL_LB: &[(&str, &str)] = &[
    ("service.beta.kubernetes.io/aws-load-balancer-internal", ""),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
    ("networking.gke.io/load-balancer-type", "internal"),
    ("cloud.google.com/load-balancer-type", "internal"),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        "true",
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        "private",
    ),
];

fn service(ctx: &mut Ctx<'_>, obj: &Node<'_>, res: &str) {
    let spec = obj.get("spec");
    let tnode = spec.as_ref().and_then(|s| s.get("type"));
    let ty = tnode.as_ref().and_then(|t| t.str()).unwrap_or("ClusterIP");
    let line = line_of(tnode.as_ref().or(spec.as_ref()), obj.line());
    match ty {
        "NodePort" => ctx.emit(
            SERVICE_EXPOSURE,
            false,
            line,
            res,
            "`type: NodePort` opens a port on every node".into(),
        ),
        "LoadBalancer" => {
            let annotations = obj
                .at(&["metadata", "annotations"])
                .map(|a| a.entries())
                .unwrap_or_default();
            let internal = annotations.iter().any(|(k, v)| {
                INTERNAL_LB.iter().any(|(ak, av)| {
                    k == ak && {
                        let val = v.scalar_text().unwrap_or_default().to_ascii_lowercase();
                        if av.is_empty() {
                            val == "true" || val == "0.0.0.0/0"
                        } else {
                            val == *av
                        }
                    }
                })
            });
            let ranges = spec
                .as_ref()
                .and_then(|s| s.get("loadBalancerSourceRanges"))
                .map(|r| r.strings())
                .unwrap_or_default();
            let open = ranges
                .iter()
                .any(|r| r.trim() == "0.0.0.0/0" || r.trim() == "::/0");
            if internal {
                ctx.emit(
                    SERVICE_EXPOSURE,
                    true,
                    line,
                    res,
                    "internal load balancer".into(),
                );
            } else if !ranges.is_empty() && !open {
                ctx.emit(
                    SERVICE_EXPOSURE,
                    true,
                    line,
                    res,
                    format!("load balancer restricted to {}", ranges.join(", ")),
                );
            } else {
                ctx.emit(
                    SERVICE_EXPOSURE,
                    false,
                    line,
                    res,
                    "`type: LoadBalancer` without source ranges or an internal annotation is reachable from anywhere".into(),
                );
            }
        }
        t if t.contains("{{") => {}
        _ => ctx.emit(
            SERVICE_EXPOSURE,
            true,
            line,
            res,
            format!("`type: {ty}` is not exposed outside the cluster"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images() {
        assert_eq!(classify_image("nginx"), ImageRef::Untagged);
        assert_eq!(
            classify_image("nginx:latest"),
            ImageRef::Tag("latest".into())
        );
        assert_eq!(classify_image("localhost:5000/app"), ImageRef::Untagged);
        assert_eq!(
            classify_image("localhost:5000/app:1.2"),
            ImageRef::Tag("1.2".into())
        );
        assert_eq!(
            classify_image("app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
            ImageRef::Digest
        );
        assert_eq!(classify_image("{{ .Values.image }}"), ImageRef::Unknown);
    }

    #[test]
    fn host_paths() {
        assert!(sensitive_host_path("/"));
        assert!(sensitive_host_path("//"));
        assert!(sensitive_host_path("/var/run/docker.sock"));
        assert!(sensitive_host_path("/proc/"));
        assert!(sensitive_host_path("/etc/kubernetes/pki"));
        assert!(!sensitive_host_path("/var/log"));
        assert!(!sensitive_host_path("/data"));
        assert!(!sensitive_host_path("/etcd-data"));
    }
}
