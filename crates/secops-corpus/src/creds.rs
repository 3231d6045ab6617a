//! Credential formats, written from the providers' published token formats (prefix, length,
//! alphabet, structure). Every token is random; none is a real credential.

use crate::keys;
use crate::model::{Instance, Item};
use crate::render::Ctx;
use crate::text;
use crate::util::{
    b64, b64_nopad, b64url, base62, chance, crc32, digits, digits_range, hex, mixed_secret, pick,
    pick_str, range, rbytes, rs, rs_range, uuid4, Rng, ALNUM, ALPHA, B64_STD, BASE32, HEX_UPPER,
    LOWER_ALNUM, UPPER_ALNUM, WORD_DASH,
};

/// One credential type: how to make an instance of it, and where it may be written.
pub(crate) struct Spec {
    /// The label this spec is counted under (an instance may carry further labels).
    #[cfg_attr(not(test), allow(dead_code))]
    pub label: &'static str,
    pub contexts: Vec<Ctx>,
    pub gen: GenFn,
}

/// Makes one instance for a context.
pub(crate) type GenFn = Box<dyn Fn(&mut Rng, Ctx) -> Instance>;
type TokenFn = fn(&mut Rng) -> String;
type CmdFn = fn(&mut Rng, &str) -> String;
type ExtraFn = fn(&mut Rng) -> Vec<Item>;

/// A single token with a set of provider-typical variable names.
struct Simple {
    label: &'static str,
    names: &'static [&'static str],
    /// Probability of a neutral name (`token`, `api_key`, ...) instead of a provider name.
    neutral: f64,
    url: bool,
    token: TokenFn,
    cmd: Option<CmdFn>,
    b64: bool,
    npmrc: bool,
    extra: Option<ExtraFn>,
}

const NEUTRAL: &[&str] = &[
    "api_key",
    "token",
    "secret",
    "access_token",
    "api_token",
    "auth_token",
    "key",
    "credential",
];
const NEUTRAL_URL: &[&str] = &["url", "webhook_url", "endpoint", "notify_url", "callback"];

fn simple(s: Simple) -> Spec {
    let mut contexts: Vec<Ctx> = Ctx::LINE.to_vec();
    if s.cmd.is_some() {
        contexts.push(Ctx::ShellCmd);
    }
    if s.b64 {
        contexts.push(Ctx::K8sSecret);
    }
    if s.npmrc {
        contexts.push(Ctx::NpmRc);
    }
    let label = s.label;
    Spec {
        label,
        contexts,
        gen: Box::new(move |rng, _ctx| {
            let name = if s.neutral > 0.0 && chance(rng, s.neutral) {
                pick_str(rng, if s.url { NEUTRAL_URL } else { NEUTRAL })
            } else {
                pick_str(rng, s.names)
            };
            let v = (s.token)(rng);
            let mut it = Item::pos(&name, v.clone(), s.label);
            if let Some(c) = s.cmd {
                it = it.with_cmd(c(rng, &v));
            }
            let mut items = Vec::new();
            if let Some(e) = s.extra {
                items.extend(e(rng));
            }
            items.push(it);
            Instance { items }
        }),
    }
}

fn tok(
    label: &'static str,
    names: &'static [&'static str],
    neutral: f64,
    token: TokenFn,
    cmd: Option<CmdFn>,
) -> Spec {
    simple(Simple {
        label,
        names,
        neutral,
        url: false,
        token,
        cmd,
        b64: true,
        npmrc: false,
        extra: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Token formats

/// GitHub / npm style: prefix + 30 random base62 + 6-character base62 CRC32 of the random part.
fn checksummed(rng: &mut Rng, prefix: &str) -> String {
    let body = rs(rng, ALNUM, 30);
    let crc = crc32(body.as_bytes());
    format!("{prefix}{body}{}", base62(crc, 6))
}

fn aws_key_id(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}{}", rs(rng, BASE32, 16))
}

fn aws_secret(rng: &mut Rng) -> String {
    rs(rng, B64_STD, 40)
}

fn aws_session_token(rng: &mut Rng) -> String {
    let mut bytes: Vec<u8> = if chance(rng, 0.7) {
        b"\x21\x0a\x09origin_ec".to_vec()
    } else {
        b"\x17\x0a\x06er/aws".to_vec()
    };
    let n = range(rng, 240, 700);
    bytes.extend(rbytes(rng, n));
    b64(&bytes)
}

fn slack_ids(rng: &mut Rng, n: usize) -> Vec<String> {
    (0..n).map(|_| digits_range(rng, 10, 13)).collect()
}

fn stripe_body(rng: &mut Rng) -> String {
    if chance(rng, 0.5) {
        rs(rng, ALNUM, 24)
    } else {
        format!("51{}", rs(rng, ALNUM, 97))
    }
}

fn azure_secret_chars(rng: &mut Rng, n: usize) -> String {
    rs(
        rng,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-",
        n,
    )
}

fn storage_account(rng: &mut Rng) -> String {
    let p: String = text::project(rng)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let mut s = format!(
        "{}{}",
        &p[..p.len().min(12)],
        pick(rng, &["storage", "sa", "blobs", "data"])
    );
    s.push_str(&digits(rng, 3));
    s
}

fn pypi_token(rng: &mut Rng) -> String {
    let mut m: Vec<u8> = vec![0x02, 0x01, 0x08];
    m.extend_from_slice(b"pypi.org");
    let id = uuid4(rng);
    m.push(0x02);
    m.push(id.len() as u8);
    m.extend_from_slice(id.as_bytes());
    m.push(0x00);
    if chance(rng, 0.7) {
        let perms = if chance(rng, 0.5) {
            "\"user\"".to_string()
        } else {
            format!("{{\"projects\": [\"{}\"]}}", text::project(rng))
        };
        let cav = format!("{{\"version\": 1, \"permissions\": {perms}}}");
        m.push(0x02);
        m.push(cav.len() as u8);
        m.extend_from_slice(cav.as_bytes());
        m.push(0x00);
    }
    m.push(0x00);
    m.push(0x06);
    m.push(0x20);
    m.extend(rbytes(rng, 32));
    format!("pypi-{}", b64url(&m))
}

fn sentry_token(rng: &mut Rng) -> String {
    let org = text::project(rng)
        .split('-')
        .next()
        .unwrap_or("acme")
        .to_string();
    let payload = format!(
        "{{\"iat\":{}.{},\"url\":\"https://sentry.io\",\"region_url\":\"https://us.sentry.io\",\"org\":\"{org}\"}}",
        range(rng, 1_690_000_000, 1_740_000_000),
        range(rng, 100_000, 999_999)
    );
    format!(
        "sntrys_{}_{}",
        b64_nopad(payload.as_bytes()),
        b64_nopad(&rbytes(rng, 32))
    )
}

fn grafana_cloud_token(rng: &mut Rng) -> String {
    let stack = digits(rng, 6);
    let payload = format!(
        "{{\"o\":\"{}\",\"n\":\"stack-{stack}-hm-{}-{}\",\"k\":\"{}\",\"m\":{{\"r\":\"{}\"}}}}",
        digits(rng, 6),
        pick(rng, &["read", "write", "rw"]),
        text::noun(rng),
        rs(rng, ALNUM, 24),
        pick(
            rng,
            &["prod-us-east-0", "prod-eu-west-2", "prod-us-central-0"]
        )
    );
    format!("glc_{}", b64(payload.as_bytes()))
}

fn jwt(rng: &mut Rng) -> String {
    let header = if chance(rng, 0.5) {
        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".to_string()
    } else {
        format!(
            "{{\"alg\":\"HS256\",\"kid\":\"{}\",\"typ\":\"JWT\"}}",
            hex(rng, 16)
        )
    };
    let iat = range(rng, 1_690_000_000, 1_740_000_000);
    let exp = iat + range(rng, 3600, 60 * 60 * 24 * 365);
    let payload = format!(
        "{{\"sub\":\"{}\",\"iss\":\"https://auth.{}\",\"aud\":\"{}\",\"iat\":{iat},\"exp\":{exp},\"scope\":\"{}\"}}",
        uuid4(rng),
        text::domain(rng),
        text::project(rng),
        pick(rng, &["read:orders write:orders", "admin", "api", "openid profile email"])
    );
    format!(
        "{}.{}.{}",
        b64url(header.as_bytes()),
        b64url(payload.as_bytes()),
        b64url(&rbytes(rng, 32))
    )
}

fn gcp_project(rng: &mut Rng) -> String {
    format!("{}-{}", text::project(rng), digits(rng, 6))
}

/// A GCP service-account key file; returns (pretty JSON, compact JSON, JSON-escaped key).
fn service_account(rng: &mut Rng) -> (String, String, String) {
    let proj = gcp_project(rng);
    let sa = pick_str(
        rng,
        &[
            "deployer",
            "ci-runner",
            "terraform",
            "bigquery-loader",
            "app-backend",
        ],
    );
    let key = keys::gcp_service_account_pem(rng);
    let esc = key.replace('\n', "\\n");
    let fields: Vec<(&str, String)> = vec![
        ("type", "service_account".into()),
        ("project_id", proj.clone()),
        ("private_key_id", hex(rng, 40)),
        ("private_key", esc.clone()),
        ("client_email", format!("{sa}@{proj}.iam.gserviceaccount.com")),
        ("client_id", digits(rng, 21)),
        ("auth_uri", "https://accounts.google.com/o/oauth2/auth".into()),
        ("token_uri", "https://oauth2.googleapis.com/token".into()),
        (
            "auth_provider_x509_cert_url",
            "https://www.googleapis.com/oauth2/v1/certs".into(),
        ),
        (
            "client_x509_cert_url",
            format!("https://www.googleapis.com/robot/v1/metadata/x509/{sa}%40{proj}.iam.gserviceaccount.com"),
        ),
        ("universe_domain", "googleapis.com".into()),
    ];
    let pretty = format!(
        "{{\n{}\n}}",
        fields
            .iter()
            .map(|(k, v)| format!("  \"{k}\": \"{v}\""))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    let compact = format!(
        "{{{}}}",
        fields
            .iter()
            .map(|(k, v)| format!("\"{k}\": \"{v}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    (pretty, compact, esc)
}

const DB_USERS: &[&str] = &[
    "app",
    "admin",
    "postgres",
    "svc_billing",
    "reporting",
    "api_user",
    "etl",
    "webapp",
    "root",
];

fn url_password(rng: &mut Rng) -> String {
    let n = range(rng, 14, 32);
    let mut s = mixed_secret(rng, n, false);
    if chance(rng, 0.3) {
        let cut = range(rng, 4, n - 4);
        s.insert(cut, *pick(rng, &['-', '_', '.', '~']));
    }
    s
}

fn db_host(rng: &mut Rng, kind: &str) -> String {
    match range(rng, 0, 3) {
        0 => format!(
            "{}-{}.cluster-{}.{}.rds.amazonaws.com",
            text::project(rng),
            kind,
            rs(rng, LOWER_ALNUM, 12),
            pick(rng, &["us-east-1", "eu-west-1"])
        ),
        1 => format!(
            "{kind}.{}.svc.cluster.local",
            pick(rng, &["prod", "data", "platform"])
        ),
        2 => format!(
            "10.{}.{}.{}",
            range(rng, 0, 40),
            range(rng, 0, 255),
            range(rng, 2, 250)
        ),
        _ => format!("{kind}-{}.internal.{}", range(rng, 1, 3), text::domain(rng)),
    }
}

fn db_name(rng: &mut Rng) -> String {
    pick_str(
        rng,
        &[
            "app",
            "billing",
            "orders",
            "analytics",
            "prod",
            "core",
            "users",
        ],
    )
}

fn postgres_url(rng: &mut Rng) -> String {
    let scheme = pick_str(rng, &["postgres", "postgresql"]);
    let q = if chance(rng, 0.4) {
        "?sslmode=require"
    } else {
        ""
    };
    format!(
        "{scheme}://{}:{}@{}:5432/{}{q}",
        pick(rng, DB_USERS),
        url_password(rng),
        db_host(rng, "postgres"),
        db_name(rng)
    )
}

fn mysql_url(rng: &mut Rng) -> String {
    format!(
        "mysql://{}:{}@{}:3306/{}",
        pick(rng, DB_USERS),
        url_password(rng),
        db_host(rng, "mysql"),
        db_name(rng)
    )
}

fn mongo_url(rng: &mut Rng) -> String {
    if chance(rng, 0.5) {
        format!(
            "mongodb+srv://{}:{}@cluster{}.{}.mongodb.net/{}?retryWrites=true",
            pick(rng, DB_USERS),
            url_password(rng),
            range(rng, 0, 3),
            rs(rng, LOWER_ALNUM, 5),
            db_name(rng)
        )
    } else {
        format!(
            "mongodb://{}:{}@mongo-0.mongo:27017,mongo-1.mongo:27017/{}?replicaSet=rs0",
            pick(rng, DB_USERS),
            url_password(rng),
            db_name(rng)
        )
    }
}

fn redis_url(rng: &mut Rng) -> String {
    let scheme = pick_str(rng, &["redis", "rediss"]);
    let user = if chance(rng, 0.5) { "default" } else { "" };
    format!(
        "{scheme}://{user}:{}@{}:6379/{}",
        url_password(rng),
        db_host(rng, "redis"),
        range(rng, 0, 3)
    )
}

fn amqp_url(rng: &mut Rng) -> String {
    let scheme = pick_str(rng, &["amqp", "amqps"]);
    format!(
        "{scheme}://{}:{}@{}:5672/{}",
        pick(rng, &["app", "celery", "worker", "events"]),
        url_password(rng),
        db_host(rng, "rabbitmq"),
        pick(rng, &["%2F", "prod", "events"])
    )
}

fn https_creds_url(rng: &mut Rng) -> String {
    let user = pick_str(
        rng,
        &[
            "deploy",
            "ci-bot",
            "jenkins",
            "readonly",
            "builder",
            "svc-artifacts",
        ],
    );
    let pw = url_password(rng);
    let d = text::domain(rng);
    let rest = match range(rng, 0, 4) {
        0 => format!("nexus.{d}/repository/maven-releases/"),
        1 => format!(
            "git.{d}/{}/{}.git",
            pick(rng, &["platform", "web", "data"]),
            text::project(rng)
        ),
        2 => format!("pypi.{d}/simple/"),
        3 => format!("registry.{d}/v2/"),
        _ => format!("jenkins.{d}/job/{}/build", text::project(rng)),
    };
    format!("https://{user}:{pw}@{rest}")
}

// ---------------------------------------------------------------------------------------------
// The catalogue

/// Every credential type in the corpus.
pub(crate) fn specs() -> Vec<Spec> {
    let mut v: Vec<Spec> = Vec::new();

    // ---- AWS: key id + secret together; session credentials with the session token.
    v.push(Spec {
        label: "secret.aws-access-key-id",
        contexts: with(Ctx::LINE, &[Ctx::ShellCmd, Ctx::K8sSecret]),
        gen: Box::new(|rng, _| {
            let id = aws_key_id(rng, "AKIA");
            let sec = aws_secret(rng);
            let mut items = vec![
                Item::pos("aws_access_key_id", id.clone(), "secret.aws-access-key-id")
                    .with_cmd(format!("aws configure set aws_access_key_id {id}")),
                Item::pos(
                    "aws_secret_access_key",
                    sec.clone(),
                    "secret.aws-secret-access-key",
                )
                .with_cmd(format!("aws configure set aws_secret_access_key {sec}")),
            ];
            if chance(rng, 0.3) {
                items.push(Item::plain(
                    "aws_default_region",
                    pick_str(rng, &["us-east-1", "eu-west-1", "eu-central-1"]),
                ));
            }
            Instance { items }
        }),
    });
    v.push(Spec {
        label: "secret.aws-session-token",
        contexts: with(Ctx::LINE, &[Ctx::ShellCmd]),
        gen: Box::new(|rng, _| {
            let id = aws_key_id(rng, "ASIA");
            let sec = aws_secret(rng);
            let st = aws_session_token(rng);
            Instance {
                items: vec![
                    Item::pos("aws_access_key_id", id.clone(), "secret.aws-access-key-id")
                        .with_cmd(format!("aws configure set aws_access_key_id {id}")),
                    Item::pos(
                        "aws_secret_access_key",
                        sec.clone(),
                        "secret.aws-secret-access-key",
                    )
                    .with_cmd(format!("aws configure set aws_secret_access_key {sec}")),
                    Item::pos("aws_session_token", st.clone(), "secret.aws-session-token")
                        .with_cmd(format!("aws configure set aws_session_token {st}")),
                ],
            }
        }),
    });

    // ---- GitHub
    let gh_cmd: CmdFn = |rng, v| {
        let scheme = pick_str(rng, &["token", "Bearer"]);
        format!(
            "curl -sS -H \"Authorization: {scheme} {v}\" -H \"Accept: application/vnd.github+json\" https://api.github.com/user/repos"
        )
    };
    v.push(simple(Simple {
        label: "secret.github-pat",
        names: &[
            "github_token",
            "gh_token",
            "github_pat",
            "github_personal_access_token",
            "gh_pat",
        ],
        neutral: 0.35,
        url: false,
        token: |r| checksummed(r, "ghp_"),
        cmd: Some(gh_cmd),
        b64: true,
        npmrc: true,
        extra: None,
    }));
    v.push(simple(Simple {
        label: "secret.github-oauth-token",
        names: &[
            "github_oauth_token",
            "gh_oauth_token",
            "github_access_token",
        ],
        neutral: 0.35,
        url: false,
        token: |r| checksummed(r, "gho_"),
        cmd: Some(gh_cmd),
        b64: true,
        npmrc: true,
        extra: None,
    }));
    v.push(tok(
        "secret.github-user-to-server-token",
        &[
            "github_user_token",
            "gh_user_to_server_token",
            "github_app_user_token",
        ],
        0.35,
        |r| checksummed(r, "ghu_"),
        Some(gh_cmd),
    ));
    v.push(tok(
        "secret.github-app-installation-token",
        &[
            "github_app_token",
            "github_installation_token",
            "gh_app_installation_token",
        ],
        0.35,
        |r| checksummed(r, "ghs_"),
        Some(gh_cmd),
    ));
    v.push(tok(
        "secret.github-refresh-token",
        &["github_refresh_token", "gh_refresh_token"],
        0.35,
        |r| checksummed(r, "ghr_"),
        None,
    ));
    v.push(tok(
        "secret.github-fine-grained-pat",
        &[
            "github_token",
            "github_pat",
            "gh_fine_grained_token",
            "github_fine_grained_pat",
        ],
        0.35,
        |r| {
            format!(
                "github_pat_11{}_{}",
                rs(r, UPPER_ALNUM, 20),
                rs(r, ALNUM, 59)
            )
        },
        Some(gh_cmd),
    ));

    // ---- GitLab
    v.push(tok(
        "secret.gitlab-pat",
        &["gitlab_token", "gitlab_private_token", "gl_token", "gitlab_pat", "gitlab_api_token"],
        0.35,
        |r| format!("glpat-{}", rs(r, WORD_DASH, 20)),
        Some(|_, v| format!("curl --header \"PRIVATE-TOKEN: {v}\" \"https://gitlab.com/api/v4/projects?membership=true\"")),
    ));
    v.push(tok(
        "secret.gitlab-deploy-token",
        &[
            "gitlab_deploy_token",
            "deploy_token_password",
            "ci_deploy_password",
        ],
        0.35,
        |r| format!("gldt-{}", rs(r, WORD_DASH, 20)),
        Some(|r, v| {
            format!(
                "git clone https://gitlab+deploy-token-{}:{v}@gitlab.com/{}/{}.git",
                range(r, 100, 99999),
                pick(r, &["platform", "web", "data"]),
                text::project(r)
            )
        }),
    ));
    v.push(tok(
        "secret.gitlab-runner-auth-token",
        &["gitlab_runner_token", "runner_token", "ci_runner_token", "runner_authentication_token"],
        0.35,
        |r| format!("glrt-{}", rs(r, WORD_DASH, 20)),
        Some(|_, v| format!("gitlab-runner register --non-interactive --url https://gitlab.com --token {v} --executor docker")),
    ));
    v.push(tok(
        "secret.gitlab-runner-registration-token",
        &["registration_token", "gitlab_runner_registration_token", "runner_registration_token"],
        0.35,
        |r| format!("GR1348941{}", rs(r, WORD_DASH, 20)),
        Some(|_, v| format!("gitlab-runner register --non-interactive --url https://gitlab.com/ --registration-token {v} --executor shell")),
    ));

    // ---- Slack
    let slack_cmd: CmdFn = |_, v| {
        format!("curl -sS -X POST -H \"Authorization: Bearer {v}\" -d channel=C0{} https://slack.com/api/chat.postMessage", "4QK7TD2H")
    };
    v.push(tok(
        "secret.slack-bot-token",
        &["slack_bot_token", "slack_token", "slack_api_token"],
        0.35,
        |r| {
            let ids = slack_ids(r, 2);
            format!("xoxb-{}-{}-{}", ids[0], ids[1], rs(r, ALNUM, 24))
        },
        Some(slack_cmd),
    ));
    v.push(tok(
        "secret.slack-user-token",
        &["slack_user_token", "slack_oauth_token", "slack_token"],
        0.35,
        |r| {
            let ids = slack_ids(r, 3);
            format!("xoxp-{}-{}-{}-{}", ids[0], ids[1], ids[2], hex(r, 32))
        },
        Some(slack_cmd),
    ));
    v.push(tok(
        "secret.slack-workspace-token",
        &["slack_workspace_token", "slack_token"],
        0.35,
        |r| {
            let ids = slack_ids(r, 3);
            format!("xoxa-2-{}-{}-{}-{}", ids[0], ids[1], ids[2], hex(r, 64))
        },
        Some(slack_cmd),
    ));
    v.push(tok(
        "secret.slack-refresh-token",
        &["slack_refresh_token", "slack_oauth_refresh_token"],
        0.35,
        |r| {
            let ids = slack_ids(r, 3);
            format!("xoxr-{}-{}-{}-{}", ids[0], ids[1], ids[2], hex(r, 64))
        },
        None,
    ));
    v.push(tok(
        "secret.slack-config-access-token",
        &[
            "slack_config_token",
            "slack_config_access_token",
            "slack_app_config_token",
        ],
        0.35,
        |r| format!("xoxe.xoxp-1-{}", rs_range(r, ALNUM, 140, 160)),
        None,
    ));
    v.push(tok(
        "secret.slack-config-refresh-token",
        &[
            "slack_config_refresh_token",
            "slack_app_config_refresh_token",
        ],
        0.35,
        |r| format!("xoxe-1-{}", rs_range(r, ALNUM, 140, 160)),
        None,
    ));
    v.push(tok(
        "secret.slack-app-level-token",
        &[
            "slack_app_token",
            "slack_socket_token",
            "slack_app_level_token",
        ],
        0.35,
        |r| {
            format!(
                "xapp-1-A{}-{}-{}",
                rs(r, UPPER_ALNUM, 10),
                digits(r, 13),
                hex(r, 64)
            )
        },
        None,
    ));
    v.push(simple(Simple {
        label: "secret.slack-webhook-url",
        names: &["slack_webhook_url", "slack_webhook", "slack_alerts_webhook", "slack_hook_url"],
        neutral: 0.35,
        url: true,
        token: |r| {
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                rs_range(r, UPPER_ALNUM, 8, 10),
                rs_range(r, UPPER_ALNUM, 8, 10),
                rs(r, ALNUM, 24)
            )
        },
        cmd: Some(|_, v| format!("curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"Deploy finished\"}}' {v}")),
        b64: true,
        npmrc: false,
        extra: None,
    }));

    // ---- Stripe
    let stripe_cmd: CmdFn =
        |_, v| format!("curl https://api.stripe.com/v1/charges -u {v}: -d limit=3");
    v.push(tok(
        "secret.stripe-live-secret-key",
        &[
            "stripe_secret_key",
            "stripe_api_key",
            "stripe_key",
            "stripe_sk",
        ],
        0.35,
        |r| format!("sk_live_{}", stripe_body(r)),
        Some(stripe_cmd),
    ));
    v.push(tok(
        "secret.stripe-live-restricted-key",
        &["stripe_restricted_key", "stripe_rk", "stripe_api_key"],
        0.35,
        |r| format!("rk_live_{}", stripe_body(r)),
        Some(stripe_cmd),
    ));
    v.push(tok(
        "secret.stripe-test-secret-key",
        &[
            "stripe_test_secret_key",
            "stripe_secret_key",
            "stripe_test_key",
        ],
        0.35,
        |r| format!("sk_test_{}", stripe_body(r)),
        Some(stripe_cmd),
    ));
    v.push(tok(
        "secret.stripe-webhook-secret",
        &[
            "stripe_webhook_secret",
            "stripe_signing_secret",
            "webhook_signing_secret",
        ],
        0.35,
        |r| format!("whsec_{}", rs(r, ALNUM, 32)),
        None,
    ));

    // ---- Google
    v.push(tok(
        "secret.google-api-key",
        &[
            "google_api_key",
            "gcp_api_key",
            "maps_api_key",
            "firebase_api_key",
            "youtube_api_key",
        ],
        0.35,
        |r| format!("AIza{}", rs(r, WORD_DASH, 35)),
        Some(|_, v| {
            format!(
                "curl \"https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key={v}\""
            )
        }),
    ));
    v.push(simple(Simple {
        label: "secret.google-oauth-client-secret",
        names: &["google_client_secret", "google_oauth_client_secret", "gcp_client_secret"],
        neutral: 0.3,
        url: false,
        token: |r| format!("GOCSPX-{}", rs(r, WORD_DASH, 28)),
        cmd: Some(|_, v| format!("curl -s -d client_id=web-app -d client_secret={v} -d grant_type=refresh_token https://oauth2.googleapis.com/token")),
        b64: true,
        npmrc: false,
        extra: Some(|r| {
            vec![Item::plain(
                "google_client_id",
                format!("{}-{}.apps.googleusercontent.com", digits(r, 12), rs(r, LOWER_ALNUM, 32)),
            )]
        }),
    }));
    v.push(Spec {
        label: "secret.gcp-service-account-key",
        contexts: Ctx::SA_JSON.to_vec(),
        gen: Box::new(|rng, ctx| {
            let (pretty, compact, esc) = service_account(rng);
            let name = pick_str(
                rng,
                &[
                    "google_credentials",
                    "gcp_sa_key",
                    "google_application_credentials_json",
                    "gcp_credentials",
                ],
            );
            let item = match ctx {
                Ctx::DotEnv | Ctx::ShellExport => {
                    Item::pos(&name, compact, "secret.gcp-service-account-key").with_secret(esc)
                }
                _ => Item::block(&name, pretty, "secret.gcp-service-account-key").with_secret(esc),
            };
            Instance::one(item)
        }),
    });

    // ---- Azure
    v.push(simple(Simple {
        label: "secret.azure-storage-connection-string",
        names: &["azure_storage_connection_string", "storage_connection_string", "azure_storage_conn", "blob_connection_string"],
        neutral: 0.2,
        url: true,
        token: |r| {
            format!(
                "DefaultEndpointsProtocol=https;AccountName={};AccountKey={};EndpointSuffix=core.windows.net",
                storage_account(r),
                b64(&rbytes(r, 64))
            )
        },
        cmd: Some(|_, v| format!("az storage blob list --container-name backups --connection-string \"{v}\"")),
        b64: true,
        npmrc: false,
        extra: None,
    }));
    v.push(simple(Simple {
        label: "secret.azure-ad-client-secret",
        names: &[
            "azure_client_secret",
            "arm_client_secret",
            "aad_client_secret",
            "az_client_secret",
        ],
        neutral: 0.25,
        url: false,
        token: |r| {
            let tail = *pick(r, &[31usize, 32, 33, 34, 34, 34]);
            format!(
                "{}{}Q~{}",
                azure_secret_chars(r, 3),
                range(r, 0, 9),
                azure_secret_chars(r, tail)
            )
        },
        cmd: Some(|r, v| {
            format!(
                "az login --service-principal -u {} -p {v} --tenant {}",
                uuid4(r),
                uuid4(r)
            )
        }),
        b64: true,
        npmrc: false,
        extra: Some(|r| vec![Item::plain("azure_client_id", uuid4(r))]),
    }));
    v.push(simple(Simple {
        label: "secret.azure-service-bus-connection-string",
        names: &["servicebus_connection_string", "azure_service_bus_connection_string", "service_bus_conn", "eventhub_connection_string"],
        neutral: 0.2,
        url: true,
        token: |r| {
            let ns = format!("{}-{}", text::project(r), pick(r, &["bus", "events", "sb"]));
            let ent = if chance(r, 0.3) { format!(";EntityPath={}-queue", text::noun(r)) } else { String::new() };
            format!(
                "Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName={};SharedAccessKey={}{ent}",
                pick(r, &["RootManageSharedAccessKey", "send-listen", "app-policy"]),
                b64(&rbytes(r, 32))
            )
        },
        cmd: None,
        b64: true,
        npmrc: false,
        extra: None,
    }));

    // ---- Twilio
    v.push(tok(
        "secret.twilio-api-key",
        &["twilio_api_key", "twilio_api_key_sid", "twilio_key_sid"],
        0.2,
        |r| format!("SK{}", hex(r, 32)),
        None,
    ));
    v.push(simple(Simple {
        label: "secret.twilio-auth-token",
        names: &["twilio_auth_token"],
        neutral: 0.0,
        url: false,
        token: |r| hex(r, 32),
        cmd: Some(|r, v| {
            let sid = format!("AC{}", hex(r, 32));
            format!("curl -X POST https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json -u {sid}:{v} --data-urlencode \"Body=ping\"")
        }),
        b64: false,
        npmrc: false,
        extra: Some(|r| vec![Item::plain("twilio_account_sid", format!("AC{}", hex(r, 32)))]),
    }));

    // ---- Email
    v.push(tok(
        "secret.sendgrid-api-key",
        &["sendgrid_api_key", "sendgrid_key", "sg_api_key"],
        0.35,
        |r| format!("SG.{}.{}", rs(r, WORD_DASH, 22), rs(r, WORD_DASH, 43)),
        Some(|_, v| format!("curl --request POST --url https://api.sendgrid.com/v3/mail/send --header \"Authorization: Bearer {v}\" --header 'Content-Type: application/json' --data @mail.json")),
    ));
    v.push(tok(
        "secret.mailgun-api-key",
        &["mailgun_api_key", "mailgun_key", "mg_api_key"],
        0.0,
        |r| format!("key-{}", hex(r, 32)),
        Some(|r, v| format!("curl -s --user 'api:{v}' https://api.mailgun.net/v3/mg.{}/messages -F to=ops@{} -F subject=test", text::domain(r), text::domain(r))),
    ));
    v.push(tok(
        "secret.mailchimp-api-key",
        &["mailchimp_api_key", "mailchimp_key", "mc_api_key"],
        0.3,
        |r| format!("{}-us{}", hex(r, 32), range(r, 1, 21)),
        Some(|_, v| {
            let dc = v.rsplit('-').next().unwrap_or("us1").to_string();
            format!("curl -sS --user \"anystring:{v}\" https://{dc}.api.mailchimp.com/3.0/lists")
        }),
    ));

    // ---- Package registries
    v.push(simple(Simple {
        label: "secret.npm-access-token",
        names: &[
            "npm_token",
            "npm_auth_token",
            "node_auth_token",
            "npm_publish_token",
        ],
        neutral: 0.3,
        url: false,
        token: |r| checksummed(r, "npm_"),
        cmd: Some(|_, v| format!("npm config set //registry.npmjs.org/:_authToken {v}")),
        b64: true,
        npmrc: true,
        extra: None,
    }));
    v.push(tok(
        "secret.pypi-upload-token",
        &["pypi_token", "pypi_api_token", "twine_password"],
        0.3,
        pypi_token,
        Some(|_, v| format!("twine upload --non-interactive -u __token__ -p {v} dist/*")),
    ));
    v.push(tok(
        "secret.rubygems-api-key",
        &[
            "rubygems_api_key",
            "gem_host_api_key",
            "rubygems_auth_token",
        ],
        0.3,
        |r| format!("rubygems_{}", hex(r, 48)),
        Some(|_, v| format!("curl -H \"Authorization:{v}\" https://rubygems.org/api/v1/gems.json")),
    ));
    v.push(tok(
        "secret.nuget-api-key",
        &["nuget_api_key", "nuget_key", "nuget_push_key"],
        0.3,
        |r| format!("oy2{}", rs(r, LOWER_ALNUM, 43)),
        Some(|_, v| format!("dotnet nuget push ./artifacts/*.nupkg --api-key {v} --source https://api.nuget.org/v3/index.json")),
    ));
    v.push(tok(
        "secret.docker-hub-pat",
        &[
            "docker_hub_token",
            "dockerhub_token",
            "docker_password",
            "docker_pat",
        ],
        0.3,
        |r| format!("dckr_pat_{}", rs(r, WORD_DASH, 27)),
        Some(|r, v| {
            format!(
                "docker login -u {} -p {v}",
                pick(r, &["deploybot", "ci-publisher", "acmeops"])
            )
        }),
    ));

    // ---- AI providers
    let openai_cmd: CmdFn =
        |_, v| format!("curl https://api.openai.com/v1/models -H \"Authorization: Bearer {v}\"");
    v.push(tok(
        "secret.openai-project-key",
        &["openai_api_key", "openai_key", "openai_token"],
        0.35,
        |r| {
            format!(
                "sk-proj-{}T3BlbkFJ{}",
                rs(r, WORD_DASH, 74),
                rs(r, WORD_DASH, 74)
            )
        },
        Some(openai_cmd),
    ));
    v.push(tok(
        "secret.openai-api-key",
        &["openai_api_key", "openai_key", "openai_token"],
        0.35,
        |r| format!("sk-{}T3BlbkFJ{}", rs(r, ALNUM, 20), rs(r, ALNUM, 20)),
        Some(openai_cmd),
    ));
    v.push(tok(
        "secret.anthropic-api-key",
        &["anthropic_api_key", "claude_api_key", "anthropic_key"],
        0.35,
        |r| format!("sk-ant-api03-{}AA", rs(r, WORD_DASH, 93)),
        Some(|_, v| format!("curl https://api.anthropic.com/v1/messages -H \"x-api-key: {v}\" -H \"anthropic-version: 2023-06-01\" -H \"content-type: application/json\" -d @req.json")),
    ));
    v.push(tok(
        "secret.huggingface-access-token",
        &[
            "hf_token",
            "huggingface_token",
            "hugging_face_hub_token",
            "huggingfacehub_api_token",
        ],
        0.35,
        |r| format!("hf_{}", rs(r, ALPHA, 34)),
        Some(|_, v| {
            format!("curl -s https://huggingface.co/api/whoami-v2 -H \"Authorization: Bearer {v}\"")
        }),
    ));

    // ---- Commerce
    let shop_cmd: CmdFn = |r, v| {
        format!("curl -H \"X-Shopify-Access-Token: {v}\" https://{}.myshopify.com/admin/api/2024-01/shop.json", text::project(r))
    };
    v.push(tok(
        "secret.shopify-access-token",
        &[
            "shopify_access_token",
            "shopify_admin_api_token",
            "shopify_token",
        ],
        0.35,
        |r| format!("shpat_{}", hex(r, 32)),
        Some(shop_cmd),
    ));
    v.push(tok(
        "secret.shopify-shared-secret",
        &[
            "shopify_shared_secret",
            "shopify_api_secret",
            "shopify_app_secret",
        ],
        0.35,
        |r| format!("shpss_{}", hex(r, 32)),
        None,
    ));
    v.push(tok(
        "secret.shopify-custom-app-token",
        &["shopify_custom_app_token", "shopify_app_token"],
        0.35,
        |r| format!("shpca_{}", hex(r, 32)),
        Some(shop_cmd),
    ));
    let square_cmd: CmdFn = |_, v| {
        format!("curl https://connect.squareup.com/v2/locations -H \"Square-Version: 2024-01-18\" -H \"Authorization: Bearer {v}\"")
    };
    v.push(tok(
        "secret.square-legacy-access-token",
        &["square_access_token", "square_token", "square_api_token"],
        0.35,
        |r| format!("sq0atp-{}", rs(r, WORD_DASH, 22)),
        Some(square_cmd),
    ));
    v.push(tok(
        "secret.square-access-token",
        &[
            "square_access_token",
            "square_token",
            "square_production_access_token",
        ],
        0.0,
        |r| format!("EAAA{}", rs(r, WORD_DASH, 60)),
        Some(square_cmd),
    ));
    v.push(tok(
        "secret.square-oauth-secret",
        &[
            "square_oauth_secret",
            "square_application_secret",
            "square_client_secret",
        ],
        0.3,
        |r| format!("sq0csp-{}", rs(r, WORD_DASH, 43)),
        None,
    ));

    // ---- Cloud / infra
    let heroku_cmd: CmdFn = |_, v| {
        format!("curl -n https://api.heroku.com/apps -H \"Accept: application/vnd.heroku+json; version=3\" -H \"Authorization: Bearer {v}\"")
    };
    v.push(tok(
        "secret.heroku-api-key",
        &["heroku_api_key", "heroku_api_token"],
        0.0,
        uuid4,
        Some(heroku_cmd),
    ));
    v.push(tok(
        "secret.heroku-api-key-v2",
        &["heroku_api_key", "heroku_api_token", "heroku_token"],
        0.3,
        |r| format!("HRKU-AA{}", rs(r, WORD_DASH, 58)),
        Some(heroku_cmd),
    ));
    v.push(tok(
        "secret.digitalocean-pat",
        &["digitalocean_token", "do_token", "digitalocean_access_token", "do_api_token"],
        0.35,
        |r| format!("dop_v1_{}", hex(r, 64)),
        Some(|_, v| format!("curl -X GET -H \"Content-Type: application/json\" -H \"Authorization: Bearer {v}\" \"https://api.digitalocean.com/v2/droplets\"")),
    ));
    v.push(tok(
        "secret.datadog-api-key",
        &["dd_api_key", "datadog_api_key"],
        0.0,
        |r| hex(r, 32),
        Some(|_, v| format!("curl -X GET \"https://api.datadoghq.com/api/v1/validate\" -H \"Accept: application/json\" -H \"DD-API-KEY: {v}\"")),
    ));
    v.push(tok(
        "secret.datadog-application-key",
        &["dd_app_key", "datadog_app_key", "dd_application_key", "datadog_application_key"],
        0.0,
        |r| hex(r, 40),
        Some(|_, v| format!("curl -X GET \"https://api.datadoghq.com/api/v1/dashboard\" -H \"DD-APPLICATION-KEY: {v}\" -H \"DD-API-KEY: ${{DD_API_KEY}}\"")),
    ));
    v.push(tok(
        "secret.newrelic-user-api-key",
        &["new_relic_api_key", "newrelic_api_key", "new_relic_user_key", "nr_api_key"],
        0.3,
        |r| format!("NRAK-{}", rs(r, UPPER_ALNUM, 27)),
        Some(|_, v| format!("curl -X POST https://api.newrelic.com/graphql -H 'Content-Type: application/json' -H \"API-Key: {v}\" -d @query.json")),
    ));
    v.push(tok(
        "secret.sentry-org-token",
        &["sentry_auth_token", "sentry_token", "sentry_org_token"],
        0.3,
        sentry_token,
        Some(|_, v| {
            format!("curl https://sentry.io/api/0/organizations/ -H \"Authorization: Bearer {v}\"")
        }),
    ));
    v.push(tok(
        "secret.grafana-cloud-token",
        &[
            "grafana_cloud_token",
            "grafana_cloud_api_key",
            "grafana_cloud_access_policy_token",
        ],
        0.3,
        grafana_cloud_token,
        Some(|_, v| {
            format!("curl -H \"Authorization: Bearer {v}\" https://grafana.com/api/instances")
        }),
    ));
    v.push(tok(
        "secret.grafana-service-account-token",
        &[
            "grafana_service_account_token",
            "grafana_token",
            "grafana_api_key",
            "grafana_sa_token",
        ],
        0.3,
        |r| format!("glsa_{}_{}", rs(r, ALNUM, 32), hex(r, 8)),
        Some(|r, v| {
            format!(
                "curl -H \"Authorization: Bearer {v}\" https://grafana.{}/api/dashboards/home",
                text::domain(r)
            )
        }),
    ));
    v.push(tok(
        "secret.okta-api-token",
        &["okta_api_token", "okta_token", "okta_ssws_token"],
        0.0,
        |r| format!("00{}", rs(r, WORD_DASH, 40)),
        Some(|r, v| format!("curl -s -H \"Accept: application/json\" -H \"Authorization: SSWS {v}\" https://{}.okta.com/api/v1/users?limit=25", text::project(r))),
    ));
    v.push(tok(
        "secret.atlassian-api-token",
        &[
            "atlassian_api_token",
            "jira_api_token",
            "confluence_api_token",
        ],
        0.3,
        |r| {
            format!(
                "ATATT3xFfGF0{}={}",
                rs(r, WORD_DASH, 171),
                rs(r, HEX_UPPER, 8)
            )
        },
        Some(|r, v| {
            format!(
                "curl -s -u ops@{}:{v} https://{}.atlassian.net/rest/api/3/myself",
                text::domain(r),
                text::project(r)
            )
        }),
    ));
    v.push(tok(
        "secret.telegram-bot-token",
        &["telegram_bot_token", "telegram_token", "tg_bot_token"],
        0.35,
        |r| format!("{}:AA{}", digits_range(r, 9, 10), rs(r, WORD_DASH, 33)),
        Some(|_, v| format!("curl -s \"https://api.telegram.org/bot{v}/getMe\"")),
    ));
    v.push(simple(Simple {
        label: "secret.discord-webhook-url",
        names: &[
            "discord_webhook_url",
            "discord_webhook",
            "discord_alerts_webhook",
        ],
        neutral: 0.35,
        url: true,
        token: |r| {
            format!(
                "https://{}/api/webhooks/{}/{}",
                pick(r, &["discord.com", "discord.com", "discordapp.com"]),
                digits_range(r, 18, 19),
                rs(r, WORD_DASH, 68)
            )
        },
        cmd: Some(|_, v| {
            format!(
                "curl -H \"Content-Type: application/json\" -d '{{\"content\":\"build ok\"}}' {v}"
            )
        }),
        b64: true,
        npmrc: false,
        extra: None,
    }));
    v.push(tok(
        "secret.jwt",
        &[
            "jwt",
            "jwt_token",
            "id_token",
            "access_token",
            "session_token",
            "bearer_token",
        ],
        0.2,
        jwt,
        Some(|r, v| {
            format!(
                "curl -sS -H \"Authorization: Bearer {v}\" https://api.{}/v1/me",
                text::domain(r)
            )
        }),
    ));

    // ---- Private keys
    for (label, f) in [
        ("secret.private-key-pem", keys::rsa_private_pem as TokenFn),
        ("secret.private-key-pem", keys::ec_private_pem as TokenFn),
        ("secret.private-key-pem", keys::pkcs8_private_pem as TokenFn),
        (
            "secret.private-key-openssh",
            keys::openssh_private_pem as TokenFn,
        ),
        ("secret.private-key-pgp", keys::pgp_private_block as TokenFn),
    ] {
        let ctxs: Vec<Ctx> = if label == "secret.private-key-pgp" {
            Ctx::PEM
                .iter()
                .copied()
                .filter(|c| *c != Ctx::K8sSecret)
                .collect()
        } else {
            Ctx::PEM.to_vec()
        };
        v.push(Spec {
            label,
            contexts: ctxs,
            gen: Box::new(move |rng, _| {
                let name = pick_str(rng, &["private_key", "signing_key", "tls_key"]);
                Instance::one(Item::block(&name, f(rng), label))
            }),
        });
    }

    // ---- Connection strings and URLs with credentials
    for (label, names, f, cmd) in [
        (
            "secret.postgres-connection-url",
            &[
                "database_url",
                "db_url",
                "postgres_url",
                "pg_dsn",
                "sqlalchemy_database_uri",
            ][..],
            postgres_url as TokenFn,
            Some((|_, v| format!("psql \"{v}\" -c 'select 1'")) as CmdFn),
        ),
        (
            "secret.mysql-connection-url",
            &["database_url", "mysql_url", "db_url", "mysql_dsn"][..],
            mysql_url as TokenFn,
            None,
        ),
        (
            "secret.mongodb-connection-url",
            &["mongo_uri", "mongodb_uri", "mongo_url", "database_url"][..],
            mongo_url as TokenFn,
            Some((|_, v| format!("mongosh \"{v}\" --eval 'db.stats()'")) as CmdFn),
        ),
        (
            "secret.redis-connection-url",
            &["redis_url", "cache_url", "redis_uri", "session_store_url"][..],
            redis_url as TokenFn,
            Some((|_, v| format!("redis-cli -u {v} ping")) as CmdFn),
        ),
        (
            "secret.message-broker-connection-url",
            &[
                "broker_url",
                "celery_broker_url",
                "amqp_url",
                "rabbitmq_url",
            ][..],
            amqp_url as TokenFn,
            None,
        ),
    ] {
        let names: &'static [&'static str] = names;
        v.push(simple(Simple {
            label,
            names,
            neutral: 0.15,
            url: true,
            token: f,
            cmd,
            b64: true,
            npmrc: false,
            extra: None,
        }));
    }
    v.push(simple(Simple {
        label: "secret.url-credentials",
        names: &[
            "repo_url",
            "artifact_repository_url",
            "pip_index_url",
            "git_remote_url",
            "registry_url",
            "jenkins_url",
        ],
        neutral: 0.1,
        url: true,
        token: https_creds_url,
        cmd: Some(|_, v| {
            if v.ends_with(".git") {
                format!("git clone {v}")
            } else if v.contains("/simple/") {
                format!("pip install --index-url {v} internal-sdk")
            } else {
                format!("curl -fsS {v}")
            }
        }),
        b64: true,
        npmrc: false,
        extra: None,
    }));

    // ---- Generic high-entropy assignments
    for (label, names, cmd) in [
        (
            "secret.generic-password",
            &[
                "password",
                "db_password",
                "admin_password",
                "smtp_password",
                "database_password",
                "redis_password",
                "mysql_root_password",
                "ldap_bind_password",
                "keystore_password",
                "passwd",
            ][..],
            Some(
                (|_, v| format!("mysql -h db.internal -u admin --password='{v}' app < migrate.sql"))
                    as CmdFn,
            ),
        ),
        (
            "secret.generic-secret",
            &[
                "client_secret",
                "app_secret",
                "oauth_client_secret",
                "secret_key",
                "jwt_secret",
                "session_secret",
                "signing_secret",
                "consumer_secret",
            ][..],
            Some(
                (|_, v| {
                    format!("curl -s -d \"grant_type=client_credentials&client_id=web-portal&client_secret={v}\" https://auth.internal/oauth/token")
                }) as CmdFn,
            ),
        ),
        (
            "secret.generic-api-key",
            &[
                "api_key",
                "apikey",
                "x_api_key",
                "service_api_key",
                "partner_api_key",
                "analytics_api_key",
            ][..],
            Some(
                (|_, v| {
                    format!("curl -s -H \"X-API-Key: {v}\" https://partner-api.internal/v2/items")
                }) as CmdFn,
            ),
        ),
        (
            "secret.generic-token",
            &[
                "auth_token",
                "access_token",
                "bearer_token",
                "api_token",
                "service_token",
                "refresh_token",
            ][..],
            Some(
                (|_, v| {
                    format!("curl -s -H \"Authorization: Bearer {v}\" https://reports.internal/api/export")
                }) as CmdFn,
            ),
        ),
    ] {
        let names: &'static [&'static str] = names;
        v.push(simple(Simple {
            label,
            names,
            neutral: 0.0,
            url: false,
            token: |r| {
                let n = range(r, 12, 40);
                let specials = chance(r, 0.5);
                mixed_secret(r, n, specials)
            },
            cmd,
            b64: false,
            npmrc: false,
            extra: None,
        }));
    }

    // ---- Basic auth header (base64 of user:password)
    v.push(Spec {
        label: "secret.basic-auth-header",
        contexts: with(Ctx::LINE, &[Ctx::ShellCmd]),
        gen: Box::new(|rng, _| {
            let user = pick_str(
                rng,
                &[
                    "admin",
                    "deploy",
                    "svc-reporting",
                    "api",
                    "integration",
                    "grafana",
                ],
            );
            let n = range(rng, 12, 28);
            let sp = chance(rng, 0.4);
            let pw = mixed_secret(rng, n, sp);
            let enc = b64(format!("{user}:{pw}").as_bytes());
            let name = pick_str(
                rng,
                &[
                    "authorization",
                    "auth_header",
                    "basic_auth_header",
                    "proxy_authorization",
                ],
            );
            let cmd = format!(
                "curl -s -H \"Authorization: Basic {enc}\" https://{}.{}/api/health",
                pick(rng, &["grafana", "jenkins", "nexus", "kibana"]),
                text::domain(rng)
            );
            Instance::one(
                Item::pos(&name, format!("Basic {enc}"), "secret.basic-auth-header")
                    .with_secret(enc)
                    .with_cmd(cmd),
            )
        }),
    });

    v
}

fn with(base: &[Ctx], extra: &[Ctx]) -> Vec<Ctx> {
    let mut v = base.to_vec();
    v.extend_from_slice(extra);
    v
}

/// A random instance of some self-identifying credential (used by the bench tree).
pub(crate) fn any_token(rng: &mut Rng) -> (String, &'static str) {
    match range(rng, 0, 7) {
        0 => (checksummed(rng, "ghp_"), "secret.github-pat"),
        1 => (
            format!("sk_live_{}", stripe_body(rng)),
            "secret.stripe-live-secret-key",
        ),
        2 => (
            format!("AIza{}", rs(rng, WORD_DASH, 35)),
            "secret.google-api-key",
        ),
        3 => (
            format!("glpat-{}", rs(rng, WORD_DASH, 20)),
            "secret.gitlab-pat",
        ),
        4 => (checksummed(rng, "npm_"), "secret.npm-access-token"),
        5 => (
            format!("SG.{}.{}", rs(rng, WORD_DASH, 22), rs(rng, WORD_DASH, 43)),
            "secret.sendgrid-api-key",
        ),
        6 => (
            format!("dop_v1_{}", hex(rng, 64)),
            "secret.digitalocean-pat",
        ),
        _ => (postgres_url(rng), "secret.postgres-connection-url"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn github_tokens_carry_a_valid_checksum() {
        let mut rng = Rng::seed_from_u64(1);
        let t = checksummed(&mut rng, "ghp_");
        assert_eq!(t.len(), 40);
        let body = &t[4..34];
        assert_eq!(&t[34..], base62(crc32(body.as_bytes()), 6));
    }

    #[test]
    fn formats_have_the_published_shape() {
        let mut rng = Rng::seed_from_u64(2);
        let p = pypi_token(&mut rng);
        assert!(p.starts_with("pypi-AgEIcHlwaS5vcmc"), "{p}");
        let j = jwt(&mut rng);
        assert_eq!(j.split('.').count(), 3);
        assert!(j.starts_with("eyJ"));
        assert_eq!(j.rsplit('.').next().map(str::len), Some(43));
        let s = sentry_token(&mut rng);
        assert!(s.starts_with("sntrys_eyJ"));
        let g = grafana_cloud_token(&mut rng);
        assert!(g.starts_with("glc_eyJ"));
        let (pretty, compact, esc) = service_account(&mut rng);
        assert!(pretty.contains(&esc) && compact.contains(&esc));
        assert!(esc.starts_with("-----BEGIN PRIVATE KEY-----\\nMII"));
    }
}
