//! Dockerfiles (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`).
//!
//! Parsed with a parser of our own (directives, continuations, heredocs, stages). Checks about
//! the image's runtime (user, healthcheck) apply to the final stage, following `FROM <stage>`
//! chains; `scratch` and stage references are not images. Build args declared before the first
//! FROM are substituted in FROM.

mod parse;

use super::kubernetes::{classify_image, ImageRef};
use super::{CheckResult, IacFile, IacKind, IacOutput, IacRule};
use parse::{Base, Dockerfile, Instruction};
use regex::Regex;
use secops_core::Severity;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Is this file one of ours?
pub fn is_dockerfile(rel_path: &str) -> bool {
    let n = rel_path.rsplit('/').next().unwrap_or(rel_path);
    n == "Dockerfile"
        || n.starts_with("Dockerfile.")
        || n.ends_with(".Dockerfile")
        || n.ends_with(".dockerfile")
        || n == "Containerfile"
        || n.starts_with("Containerfile.")
}

pub const ROOT_USER: &str = "iac.dockerfile.root-user";
pub const BASE_IMAGE_TAG: &str = "iac.dockerfile.base-image-tag";
pub const ADD_URL: &str = "iac.dockerfile.add-url";
pub const SECRET_ENV: &str = "iac.dockerfile.secret-in-env";
pub const CURL_PIPE: &str = "iac.dockerfile.curl-pipe-shell";
pub const APT_RECOMMENDS: &str = "iac.dockerfile.apt-no-install-recommends";
pub const HEALTHCHECK: &str = "iac.dockerfile.healthcheck-missing";
pub const SUDO: &str = "iac.dockerfile.sudo";

const RULES: &[IacRule] = &[
    IacRule::new(
        IacKind::Dockerfile,
        ROOT_USER,
        "Image runs as root",
        Severity::High,
        Some(250),
        "When the final stage has no USER instruction (or its last USER is root or 0) the \
         container runs as root, so any code execution in it is root in the container and one \
         step from the host. Create an unprivileged user and end the final stage with \
         `USER <name or uid>` (e.g. `USER 10001`), or use a base image that runs as non-root.",
    ),
    IacRule::new(
        IacKind::Dockerfile,
        BASE_IMAGE_TAG,
        "Base image not pinned",
        Severity::Medium,
        Some(829),
        "A FROM image without a tag, or with `:latest`, changes between builds: builds are not \
         reproducible and a compromised upstream push is pulled silently. Use a version tag, or \
         better a digest (`FROM image:tag@sha256:...`) kept up to date by Dependabot/Renovate.",
    ),
    IacRule::new(
        IacKind::Dockerfile,
        ADD_URL,
        "ADD from a URL",
        Severity::Medium,
        Some(494),
        "ADD with an http(s) source downloads at build time without verifying what it got. \
         Download with `curl -fsSLO` and verify a checksum or signature in a RUN step, or use \
         `ADD --checksum=sha256:<digest> <url> <dest>`.",
    ),
    IacRule::new(
        IacKind::Dockerfile,
        SECRET_ENV,
        "Secret in ENV or ARG",
        Severity::High,
        Some(798),
        "ENV values and ARG defaults are stored in the image metadata and history: anyone who \
         can pull the image can read them. Never put passwords, tokens or keys in ENV/ARG; use \
         BuildKit secrets (`RUN --mount=type=secret,id=token ...`) at build time and inject \
         runtime secrets from the orchestrator (Kubernetes Secrets, a vault).",
    ),
    IacRule::new(
        IacKind::Dockerfile,
        CURL_PIPE,
        "Remote script piped to a shell",
        Severity::High,
        Some(494),
        "`curl ... | sh` (or wget, or `sh -c \"$(curl ...)\"`) runs whatever the server returns \
         at build time, with no integrity check. Download to a file, verify its checksum or \
         signature, then run it; or install from a package manager.",
    ),
    IacRule::new(
        IacKind::Dockerfile,
        APT_RECOMMENDS,
        "apt-get install without --no-install-recommends",
        Severity::Low,
        None,
        "Without `--no-install-recommends` apt installs recommended packages too, growing the \
         image and its attack surface. Add `--no-install-recommends` to `apt-get install`.",
    ),
    IacRule::new(
        IacKind::Dockerfile,
        HEALTHCHECK,
        "No HEALTHCHECK",
        Severity::Info,
        None,
        "The final stage defines no HEALTHCHECK, so Docker cannot tell a hung container from a \
         healthy one. Add `HEALTHCHECK CMD ...` (orchestrators such as Kubernetes use their own \
         probes instead; then this is informational).",
    ),
    IacRule::new(
        IacKind::Dockerfile,
        SUDO,
        "sudo in RUN",
        Severity::Medium,
        Some(250),
        "RUN already runs as the current USER; sudo in a Dockerfile means sudo is installed and \
         configured in the image, which lets a non-root process become root. Switch with \
         `USER root` for the step that needs it and back to the unprivileged user afterwards.",
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
    let df = match parse::parse(file.rel_path, text) {
        Ok(df) => df,
        Err(e) => {
            out.errors.push(e);
            return;
        }
    };
    let mut ctx = Ctx {
        path: file.rel_path,
        df: &df,
        results: &mut out.results,
    };
    ctx.base_images();
    ctx.final_user();
    ctx.healthcheck();
    ctx.instructions();
}

struct Ctx<'a> {
    path: &'a str,
    df: &'a Dockerfile,
    results: &'a mut Vec<CheckResult>,
}

fn regex(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

impl Ctx<'_> {
    fn emit(
        &mut self,
        rule_id: &'static str,
        passed: bool,
        line: usize,
        resource: String,
        message: String,
    ) {
        self.results.push(CheckResult {
            rule_id,
            passed,
            path: self.path.to_string(),
            line,
            resource,
            message,
        });
    }

    fn stage_label(&self, i: usize) -> String {
        match self.df.stages.get(i).and_then(|s| s.name.as_deref()) {
            Some(n) => format!("stage {n}"),
            None => format!("stage {}", i + 1),
        }
    }

    fn ins(&self, idx: usize) -> Option<&Instruction> {
        self.df.instructions.get(idx)
    }

    fn base_images(&mut self) {
        for (i, st) in self.df.stages.iter().enumerate() {
            let Base::Image {
                reference,
                unresolved,
            } = &st.base
            else {
                continue;
            };
            let line = self.ins(st.from).map(|x| x.line).unwrap_or(1);
            let res = self.stage_label(i);
            let shown = if reference == &st.written {
                format!("`{reference}`")
            } else {
                format!("`{}` (`{reference}`)", st.written)
            };
            if *unresolved {
                // A variable we cannot resolve: tagged (or digest) if the variable sits there.
                let last = reference.rsplit('/').next().unwrap_or(reference);
                if reference.contains('@') || last.contains(':') {
                    self.emit(
                        BASE_IMAGE_TAG,
                        true,
                        line,
                        res,
                        format!("{shown}: tag or digest set by a build argument"),
                    );
                }
                continue;
            }
            let (passed, msg) = match classify_image(reference) {
                ImageRef::Digest => (true, format!("{shown} is pinned by digest")),
                ImageRef::Tag(t) if t == "latest" => {
                    (false, format!("{shown} uses the mutable `latest` tag"))
                }
                ImageRef::Tag(_) => (true, format!("{shown} has a version tag")),
                ImageRef::Untagged => (false, format!("{shown} has no tag (pulls `latest`)")),
                ImageRef::Unknown => continue,
            };
            self.emit(BASE_IMAGE_TAG, passed, line, res, msg);
        }
    }

    /// Variables visible in a stage before instruction `upto`: ARG defaults (re-declared
    /// globals included) and ENV values.
    fn stage_vars(&self, stage: usize, upto: usize) -> BTreeMap<String, String> {
        let mut vars = BTreeMap::new();
        let Some(st) = self.df.stages.get(stage) else {
            return vars;
        };
        for &idx in st.body.iter().filter(|&&i| i < upto) {
            let Some(ins) = self.ins(idx) else {
                continue;
            };
            match ins.keyword.as_str() {
                "ARG" => {
                    for (k, v) in parse::arg_pairs(&ins.args) {
                        let v = v.or_else(|| self.df.global_args.get(&k).cloned().flatten());
                        if let Some(v) = v {
                            let (v, _) = parse::expand(&v, &vars);
                            vars.insert(k, v);
                        }
                    }
                }
                "ENV" => {
                    for (k, v) in parse::env_pairs(&ins.args) {
                        let (v, _) = parse::expand(&v, &vars);
                        vars.insert(k, v);
                    }
                }
                _ => {}
            }
        }
        vars
    }

    /// The USER in effect at the end of a stage: (stage, instruction index) of the last USER,
    /// following `FROM <stage>`.
    fn last_user(&self, stage: usize) -> UserSource {
        let mut s = stage;
        for _ in 0..=self.df.stages.len() {
            let Some(st) = self.df.stages.get(s) else {
                break;
            };
            if let Some(&idx) = st
                .body
                .iter()
                .rev()
                .find(|&&i| self.ins(i).is_some_and(|x| x.keyword == "USER"))
            {
                return UserSource::User { stage: s, idx };
            }
            match &st.base {
                Base::Stage(j) if *j < s => s = *j,
                Base::Image { reference, .. } => {
                    let tag = reference
                        .rsplit('/')
                        .next()
                        .unwrap_or("")
                        .rsplit_once(':')
                        .map(|x| x.1);
                    if tag.is_some_and(|t| t.contains("nonroot")) {
                        return UserSource::NonRootImage(reference.clone());
                    }
                    return UserSource::Default;
                }
                _ => return UserSource::Default,
            }
        }
        UserSource::Default
    }

    fn final_user(&mut self) {
        let last = self.df.stages.len().saturating_sub(1);
        let Some(st) = self.df.stages.get(last) else {
            return;
        };
        let from_line = self.ins(st.from).map(|x| x.line).unwrap_or(1);
        let res = format!("final {}", self.stage_label(last));
        match self.last_user(last) {
            UserSource::User { stage, idx } => {
                let Some(ins) = self.ins(idx) else {
                    return;
                };
                let line = ins.line;
                let raw = ins.args.trim().to_string();
                let vars = self.stage_vars(stage, idx);
                let (user, unresolved) = parse::expand(&raw, &vars);
                let name = user.split(':').next().unwrap_or("").trim().to_string();
                let root = name.eq_ignore_ascii_case("root")
                    || name.eq_ignore_ascii_case("ContainerAdministrator")
                    || (!name.is_empty()
                        && name.chars().all(|c| c.is_ascii_digit())
                        && name.parse::<u64>().ok() == Some(0));
                let inherited = if stage == last {
                    String::new()
                } else {
                    format!(" (inherited from {})", self.stage_label(stage))
                };
                if root {
                    self.emit(
                        ROOT_USER,
                        false,
                        line,
                        res,
                        format!("last USER is `{raw}`{inherited}: runs as root"),
                    );
                } else if unresolved {
                    self.emit(
                        ROOT_USER,
                        true,
                        line,
                        res,
                        format!("USER `{raw}` set by a build argument{inherited}"),
                    );
                } else {
                    self.emit(
                        ROOT_USER,
                        true,
                        line,
                        res,
                        format!("runs as USER `{raw}`{inherited}"),
                    );
                }
            }
            UserSource::NonRootImage(r) => {
                self.emit(
                    ROOT_USER,
                    true,
                    from_line,
                    res,
                    format!("no USER, but the base image `{r}` runs as non-root"),
                );
            }
            UserSource::Default => {
                self.emit(
                    ROOT_USER,
                    false,
                    from_line,
                    res,
                    "no USER instruction in the final stage: runs as the base image's user, root unless it sets one".into(),
                );
            }
        }
    }

    fn healthcheck(&mut self) {
        let last = self.df.stages.len().saturating_sub(1);
        let Some(st) = self.df.stages.get(last) else {
            return;
        };
        let from_line = self.ins(st.from).map(|x| x.line).unwrap_or(1);
        let res = format!("final {}", self.stage_label(last));
        let mut s = last;
        for _ in 0..=self.df.stages.len() {
            let Some(stage) = self.df.stages.get(s) else {
                break;
            };
            if let Some(ins) = stage
                .body
                .iter()
                .rev()
                .filter_map(|&i| self.ins(i))
                .find(|x| x.keyword == "HEALTHCHECK")
            {
                let none = ins.args.trim().eq_ignore_ascii_case("none");
                let line = ins.line;
                if none {
                    self.emit(
                        HEALTHCHECK,
                        false,
                        line,
                        res,
                        "`HEALTHCHECK NONE` disables the health check".into(),
                    );
                } else {
                    self.emit(HEALTHCHECK, true, line, res, "HEALTHCHECK defined".into());
                }
                return;
            }
            match stage.base {
                Base::Stage(j) if j < s => s = j,
                _ => break,
            }
        }
        self.emit(
            HEALTHCHECK,
            false,
            from_line,
            res,
            "no HEALTHCHECK in the final stage".into(),
        );
    }

    fn instructions(&mut self) {
        let df = self.df;
        for (si, st) in df.stages.iter().enumerate() {
            let label = self.stage_label(si);
            let mut sudo_used = false;
            let from_line = self.ins(st.from).map(|x| x.line).unwrap_or(1);
            // ARG names of this stage and the globals: ENV copying them bakes build secrets in.
            let mut args_declared: Vec<String> = df.global_args.keys().cloned().collect();
            for &idx in &st.body {
                let Some(ins) = df.instructions.get(idx) else {
                    continue;
                };
                match ins.keyword.as_str() {
                    "ADD" => self.add(ins, &label),
                    "ENV" | "ARG" => {
                        if ins.keyword == "ARG" {
                            args_declared
                                .extend(parse::arg_pairs(&ins.args).into_iter().map(|p| p.0));
                        }
                        self.secrets(ins, &label, &args_declared);
                    }
                    "RUN" => {
                        let script = ins.script();
                        self.curl_pipe(ins, &script, &label);
                        self.apt(ins, &script, &label);
                        if let Some(line) = sudo_line(ins, &script) {
                            sudo_used = true;
                            self.emit(
                                SUDO,
                                false,
                                line,
                                format!("{label} RUN"),
                                "runs a command with sudo".into(),
                            );
                        }
                    }
                    _ => {}
                }
            }
            if !sudo_used {
                self.emit(
                    SUDO,
                    true,
                    from_line,
                    label,
                    "no sudo in RUN instructions".into(),
                );
            }
        }
    }

    fn add(&mut self, ins: &Instruction, label: &str) {
        let args = ins.args.trim();
        let mut words: Vec<String> = if args.starts_with('[') {
            serde_json::from_str::<Vec<String>>(args).unwrap_or_default()
        } else {
            parse::words(args)
        };
        let checksum = words.iter().any(|w| w.starts_with("--checksum="));
        words.retain(|w| !w.starts_with("--"));
        let n = words.len();
        let sources: Vec<&String> = words.iter().take(n.saturating_sub(1)).collect();
        let url = sources.iter().find(|s| {
            let l = s.to_ascii_lowercase();
            l.starts_with("http://") || l.starts_with("https://")
        });
        let res = format!("{label} ADD");
        match url {
            Some(u) if checksum => {
                self.emit(
                    ADD_URL,
                    true,
                    ins.line,
                    res,
                    format!("downloads `{u}` with a --checksum"),
                );
            }
            Some(u) => {
                let line = ins.line_of(u.as_str());
                self.emit(
                    ADD_URL,
                    false,
                    line,
                    res,
                    format!("downloads `{u}` without verifying it"),
                );
            }
            None => self.emit(ADD_URL, true, ins.line, res, "adds local files".into()),
        }
    }

    fn secrets(&mut self, ins: &Instruction, label: &str, args_declared: &[String]) {
        let pairs: Vec<(String, Option<String>)> = if ins.keyword == "ENV" {
            parse::env_pairs(&ins.args)
                .into_iter()
                .map(|(k, v)| (k, Some(v)))
                .collect()
        } else {
            parse::arg_pairs(&ins.args)
        };
        for (k, v) in pairs {
            if !secret_name(&k) {
                continue;
            }
            let line = ins.line_of(&k);
            let res = format!("{label} {} {k}", ins.keyword);
            let v = v.unwrap_or_default();
            let value = v.trim();
            let variable = value.starts_with('$');
            let refers_arg = variable && {
                let name: String = value
                    .trim_start_matches('$')
                    .trim_start_matches('{')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                args_declared.iter().any(|a| a == &name)
            };
            if value.is_empty() {
                let msg = if ins.keyword == "ARG" {
                    "no default: the value is passed at build time"
                } else {
                    "empty value"
                };
                self.emit(SECRET_ENV, true, line, res, msg.into());
            } else if variable && ins.keyword == "ENV" && refers_arg {
                self.emit(
                    SECRET_ENV,
                    false,
                    line,
                    res,
                    format!("copies the build argument `{value}` into the image environment"),
                );
            } else if variable || placeholder_value(value) {
                self.emit(
                    SECRET_ENV,
                    true,
                    line,
                    res,
                    format!("value `{value}` is not a literal secret"),
                );
            } else {
                let what = if ins.keyword == "ARG" {
                    "default"
                } else {
                    "value"
                };
                self.emit(
                    SECRET_ENV,
                    false,
                    line,
                    res,
                    format!("literal {what} for `{k}` is stored in the image"),
                );
            }
        }
    }

    fn curl_pipe(&mut self, ins: &Instruction, script: &str, label: &str) {
        static DL: OnceLock<Option<Regex>> = OnceLock::new();
        let Some(dl) = regex(&DL, r"\b(?:curl|wget)\b") else {
            return;
        };
        let Some(first) = dl.find(script) else {
            return;
        };
        let res = format!("{label} RUN");
        static PIPE: OnceLock<Option<Regex>> = OnceLock::new();
        static SUBST: OnceLock<Option<Regex>> = OnceLock::new();
        let pipe = regex(
            &PIPE,
            r"\b(curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\S+=\S*\s+)*)?(?:/usr)?(?:/local)?(?:/bin/)?(?:ba|z|da|k|a)?sh\b|\b(curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:/usr)?(?:/bin/)?(?:python[0-9.]*|perl|ruby|node)\b",
        );
        let subst = regex(
            &SUBST,
            r#"\b(?:ba|z|da|k|a)?sh\s+(?:-\S+\s+)*["']?(?:\$\(|<\(|`)\s*(curl|wget)\b"#,
        );
        let hit = pipe
            .and_then(|r| r.captures(script))
            .or_else(|| subst.and_then(|r| r.captures(script)));
        match hit {
            Some(c) => {
                let whole = c.get(0).map(|m| m.as_str()).unwrap_or("");
                // From the downloader on (the substitution form starts with the shell).
                let from_tool = c
                    .get(1)
                    .or_else(|| c.get(2))
                    .and_then(|t| {
                        script.get(t.start()..c.get(0).map(|m| m.end()).unwrap_or(t.end()))
                    })
                    .unwrap_or(whole);
                let line = ins.line_of_text(from_tool);
                let shown: String = whole.chars().take(120).collect();
                self.emit(
                    CURL_PIPE,
                    false,
                    line,
                    res,
                    format!("runs a downloaded script: `{}`", shown.trim()),
                );
            }
            None => {
                let line = ins.line_of(first.as_str());
                self.emit(
                    CURL_PIPE,
                    true,
                    line,
                    res,
                    "downloads without piping into a shell".into(),
                );
            }
        }
    }

    fn apt(&mut self, ins: &Instruction, script: &str, label: &str) {
        static SPLIT: OnceLock<Option<Regex>> = OnceLock::new();
        static APT: OnceLock<Option<Regex>> = OnceLock::new();
        let (Some(split), Some(apt)) = (
            regex(&SPLIT, r"&&|\|\||;|\n|\|"),
            regex(&APT, r"\bapt(?:-get)?\s+(?:\S+\s+)*?install\b"),
        ) else {
            return;
        };
        let mut seen = false;
        let mut bad = false;
        for seg in split.split(script) {
            if !apt.is_match(seg) {
                continue;
            }
            seen = true;
            let ok = seg.contains("--no-install-recommends")
                || seg.contains("Install-Recommends=false")
                || seg.contains("Install-Recommends=0")
                || seg.contains("Install-Recommends=\"false\"");
            if !ok {
                bad = true;
            }
        }
        if !seen {
            return;
        }
        let res = format!("{label} RUN");
        let line = if bad {
            // The physical line of the offending install.
            ins.phys
                .iter()
                .find(|(_, t)| {
                    apt.is_match(t)
                        && !t.contains("no-install-recommends")
                        && !t.contains("Install-Recommends")
                })
                .map(|(n, _)| *n)
                .unwrap_or_else(|| ins.line_of("install"))
        } else {
            ins.line_of("install")
        };
        if bad {
            self.emit(
                APT_RECOMMENDS,
                false,
                line,
                res,
                "`apt-get install` without `--no-install-recommends`".into(),
            );
        } else {
            self.emit(
                APT_RECOMMENDS,
                true,
                line,
                res,
                "`apt-get install --no-install-recommends`".into(),
            );
        }
    }
}

enum UserSource {
    User { stage: usize, idx: usize },
    NonRootImage(String),
    Default,
}

fn sudo_line(ins: &Instruction, script: &str) -> Option<usize> {
    static SUDO_RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = regex(
        &SUDO_RE,
        r#"(?:^|[;&|(\n`]|\$\(|\b(?:then|do|else|xargs|exec)\s)\s*sudo\b|^\s*\[\s*"sudo""#,
    )?;
    if re.is_match(script.trim_start()) {
        Some(ins.line_of("sudo"))
    } else {
        None
    }
}

/// Name words that make a variable a credential.
fn secret_name(name: &str) -> bool {
    // Split camelCase too: dbPassword → DB_PASSWORD.
    let mut snake = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            snake.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        snake.push(c.to_ascii_uppercase());
    }
    let toks: Vec<&str> = snake
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let Some(last) = toks.last() else {
        return false;
    };
    const META: &[&str] = &[
        "FILE",
        "PATH",
        "DIR",
        "URL",
        "URI",
        "HOST",
        "PORT",
        "NAME",
        "USER",
        "USERNAME",
        "ID",
        "TYPE",
        "LENGTH",
        "LEN",
        "SIZE",
        "TTL",
        "TIMEOUT",
        "EXPIRY",
        "EXPIRES",
        "EXPIRATION",
        "ENABLED",
        "ENABLE",
        "DISABLED",
        "REQUIRED",
        "HEADER",
        "FIELD",
        "MODE",
        "VERSION",
        "LOCATION",
        "ENDPOINT",
        "REGION",
        "COUNT",
        "MIN",
        "MAX",
        "LIFETIME",
        "SECONDS",
        "DAYS",
        "HOURS",
        "MINUTES",
        "ARN",
        "POLICY",
        "PROVIDER",
        "ALGORITHM",
        "FORMAT",
        "PREFIX",
        "SUFFIX",
        "NAMESPACE",
        "REF",
        "SOURCE",
        "STORE",
        "BACKEND",
        "SCOPE",
        "SCOPES",
        "AUDIENCE",
        "ISSUER",
        "COMMAND",
        "CMD",
    ];
    if META.contains(last) {
        return false;
    }
    let has = |w: &str| toks.contains(&w);
    let pair = |a: &str, b: &str| {
        toks.windows(2)
            .any(|p| p.first() == Some(&a) && p.get(1) == Some(&b))
    };
    if toks.len() == 1 && *last == "PWD" {
        return false;
    }
    has("PASSWORD")
        || has("PASSWD")
        || has("PASS")
        || has("PWD")
        || has("PASSPHRASE")
        || has("SECRET")
        || has("TOKEN")
        || has("APIKEY")
        || has("CREDENTIALS")
        || has("CREDENTIAL")
        || pair("API", "KEY")
        || pair("PRIVATE", "KEY")
        || pair("ACCESS", "KEY")
        || pair("AUTH", "KEY")
        || pair("ENCRYPTION", "KEY")
        || pair("SIGNING", "KEY")
        || pair("MASTER", "KEY")
        || pair("CLIENT", "KEY")
        || snake.contains("ACCESSTOKEN")
        || snake.contains("AUTHTOKEN")
        || snake.contains("SECRETKEY")
}

/// Values that are clearly not secrets: booleans, small numbers, paths to mounted secrets,
/// build-time dummies (`SECRET_KEY_BASE=dummy` for asset precompilation).
fn placeholder_value(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    matches!(
        l.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "none"
            | "null"
            | "\"\""
            | "''"
            | "dummy"
            | "placeholder"
    ) || (l.starts_with('<') && l.ends_with('>'))
        || (!l.is_empty() && l.chars().all(|c| c == 'x' || c == '*'))
        || (l.len() <= 3 && l.chars().all(|c| c.is_ascii_digit()))
        || l.starts_with("/run/secrets/")
        || l.starts_with("/var/run/secrets/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in [
            "DB_PASSWORD",
            "API_KEY",
            "GITHUB_TOKEN",
            "dbPassword",
            "AWS_SECRET_ACCESS_KEY",
            "PRIVATE_KEY",
            "NPM_AUTH_TOKEN",
            "MYSQL_ROOT_PASSWORD",
            "APIKEY",
            "CLIENT_SECRET",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in [
            "PATH",
            "PWD",
            "PASSWORD_FILE",
            "TOKEN_URL",
            "AWS_ACCESS_KEY_ID",
            "NODE_ENV",
            "SECRET_KEY_BASE_PATH",
            "KEYBOARD",
            "TOKENIZERS_PARALLELISM",
        ] {
            assert!(!secret_name(n), "{n}");
        }
    }
}
