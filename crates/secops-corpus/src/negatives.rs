//! Hard negatives: text that looks like a secret, or sits where secrets sit, but is not one.
//! Nothing in these files is labelled, so every finding in them is a false positive.

use crate::keys;
use crate::model::{Doc, Instance, Item, PathAlloc, Val};
use crate::render::{self, Ctx};
use crate::text::{self, expand, Lang};
use crate::util::{
    b64, b64url, chance, digits, hex, pick, pick_str, range, rbytes, rs, rs_range, uuid4, Rng,
    ALNUM, ALPHA, LOWER_ALNUM,
};
use crate::CorpusFile;

// ---------------------------------------------------------------------------------------------
// Assignment-style negatives: values that must not be reported, written with the same renderers
// as the positives.

const SECRET_NAMES: &[&str] = &[
    "api_key",
    "password",
    "db_password",
    "client_secret",
    "auth_token",
    "access_token",
    "secret_key",
    "github_token",
    "stripe_secret_key",
    "slack_bot_token",
    "npm_token",
    "openai_api_key",
    "sendgrid_api_key",
    "twilio_auth_token",
    "datadog_api_key",
    "database_url",
    "private_key",
    "jwt_secret",
];

const PLACEHOLDERS: &[&str] = &[
    "<token>",
    "<YOUR_API_KEY>",
    "<your-token-here>",
    "your-api-key-here",
    "your_secret_here",
    "insert-token-here",
    "changeme",
    "CHANGE_ME",
    "replace-me",
    "xxxxxxxxxxxxxxxx",
    "XXXXXXXXXXXXXXXXXXXX",
    "********",
    "****************",
    "REDACTED",
    "[REDACTED]",
    "<redacted>",
    "TODO",
    "none",
    "<password>",
    "secret",
    "password",
    "example-token",
    "test",
];

const TEMPLATED: &[&str] = &[
    "${GITHUB_TOKEN}",
    "${API_KEY}",
    "${DB_PASSWORD}",
    "{{ secrets.NPM_TOKEN }}",
    "${{ secrets.DEPLOY_TOKEN }}",
    "{{ .Values.apiKey }}",
    "{{ vault_db_password }}",
    "<%= ENV['SECRET_KEY_BASE'] %>",
    "$(DB_PASSWORD)",
    "%DB_PASSWORD%",
    "#{vault.db.password}",
    "${env:STRIPE_KEY}",
    "${ssm:/prod/api/key}",
    "@Microsoft.KeyVault(SecretUri=https://kv-prod.vault.azure.net/secrets/api-key/)",
];

fn repeat_run(prefix: &str, ch: char, n: usize) -> String {
    let mut s = prefix.to_string();
    for _ in 0..n {
        s.push(ch);
    }
    s
}

fn runs(rng: &mut Rng) -> (String, String) {
    match range(rng, 0, 10) {
        0 => ("github_token".into(), repeat_run("ghp_", 'x', 36)),
        1 => ("aws_access_key_id".into(), repeat_run("AKIA", 'X', 16)),
        2 => ("stripe_secret_key".into(), repeat_run("sk_live_", 'x', 24)),
        3 => (
            "slack_bot_token".into(),
            "xoxb-xxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx".into(),
        ),
        4 => ("gitlab_token".into(), repeat_run("glpat-", 'x', 20)),
        5 => ("npm_token".into(), repeat_run("npm_", '0', 36)),
        6 => ("google_api_key".into(), repeat_run("AIza", 'X', 35)),
        7 => (
            "sendgrid_api_key".into(),
            format!("SG.{}.{}", "x".repeat(22), "x".repeat(43)),
        ),
        8 => ("hf_token".into(), repeat_run("hf_", 'x', 34)),
        9 => ("openai_api_key".into(), repeat_run("sk-", 'x', 48)),
        _ => ("api_key".into(), "0".repeat(32)),
    }
}

fn truncated(rng: &mut Rng) -> (String, String) {
    let (n, v) = *pick(
        rng,
        &[
            ("openai_api_key", "sk-..."),
            ("github_token", "ghp_..."),
            ("slack_bot_token", "xoxb-..."),
            ("aws_access_key_id", "AKIA..."),
            ("stripe_secret_key", "sk_live_..."),
            ("anthropic_api_key", "sk-ant-..."),
            ("gitlab_token", "glpat-..."),
        ],
    );
    (n.to_string(), v.to_string())
}

fn url_without_creds(rng: &mut Rng) -> (String, String) {
    let d = text::domain(rng);
    match range(rng, 0, 7) {
        0 => ("base_url".into(), format!("https://api.{d}/v1")),
        1 => (
            "database_url".into(),
            format!("postgres://app@db.internal:5432/{}", text::noun(rng)),
        ),
        2 => (
            "database_url".into(),
            "postgres://app:${DB_PASSWORD}@db:5432/app".into(),
        ),
        3 => (
            "redis_url".into(),
            format!("redis://redis:6379/{}", range(rng, 0, 3)),
        ),
        4 => (
            "mongo_uri".into(),
            "mongodb://mongo-0.mongo:27017/app?replicaSet=rs0".into(),
        ),
        5 => ("broker_url".into(), "amqp://rabbitmq:5672/".into()),
        6 => (
            "database_url".into(),
            "postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:5432/${PGDATABASE}".into(),
        ),
        _ => ("webhook_url".into(), format!("https://{d}/hooks/deploy")),
    }
}

fn id_value(rng: &mut Rng) -> (String, String) {
    match range(rng, 0, 9) {
        0 => ("request_id".into(), uuid4(rng)),
        1 => ("tenant_id".into(), uuid4(rng)),
        2 => ("azure_client_id".into(), uuid4(rng)),
        3 => ("subscription_id".into(), uuid4(rng)),
        4 => ("aws_account_id".into(), digits(rng, 12)),
        5 => ("discord_guild_id".into(), digits(rng, 18)),
        6 => (
            "telegram_chat_id".into(),
            format!("-100{}", digits(rng, 10)),
        ),
        7 => (
            "google_client_id".into(),
            format!(
                "{}-{}.apps.googleusercontent.com",
                digits(rng, 12),
                rs(rng, LOWER_ALNUM, 32)
            ),
        ),
        8 => ("correlation_id".into(), uuid4(rng)),
        _ => ("project_number".into(), digits(rng, 12)),
    }
}

fn hash_value(rng: &mut Rng) -> (String, String) {
    match range(rng, 0, 6) {
        0 => ("git_commit".into(), hex(rng, 40)),
        1 => ("build_sha".into(), hex(rng, 40)),
        2 => ("image_digest".into(), format!("sha256:{}", hex(rng, 64))),
        3 => ("checksum".into(), hex(rng, 64)),
        4 => ("expected_md5".into(), hex(rng, 32)),
        5 => ("etag".into(), format!("W/{}", hex(rng, 32))),
        _ => ("image_tag".into(), hex(rng, 7)),
    }
}

fn public_by_design(rng: &mut Rng) -> (String, String) {
    let body = if chance(rng, 0.5) {
        rs(rng, ALNUM, 24)
    } else {
        format!("51{}", rs(rng, ALNUM, 97))
    };
    match range(rng, 0, 2) {
        0 => ("stripe_publishable_key".into(), format!("pk_live_{body}")),
        1 => ("stripe_publishable_key".into(), format!("pk_test_{body}")),
        _ => {
            let payload = format!(
                "{{\"u\":\"{}\",\"a\":\"{}\"}}",
                text::project(rng),
                rs(rng, LOWER_ALNUM, 25)
            );
            (
                "mapbox_public_token".into(),
                format!("pk.{}.{}", b64url(payload.as_bytes()), rs(rng, ALNUM, 22)),
            )
        }
    }
}

/// One negative instance suitable for `ctx`.
fn neg_instance(rng: &mut Rng) -> Instance {
    let k = range(rng, 0, 12);
    let name = pick_str(rng, SECRET_NAMES);
    let item = match k {
        0 => {
            return Instance {
                items: vec![
                    Item::neg("aws_access_key_id", Val::Lit("AKIAIOSFODNN7EXAMPLE".into())),
                    Item::neg(
                        "aws_secret_access_key",
                        Val::Lit("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into()),
                    ),
                ],
            }
        }
        1 | 2 => Item::neg(&name, Val::Lit(pick_str(rng, PLACEHOLDERS))),
        3 => Item::neg(&name, Val::Lit(pick_str(rng, TEMPLATED))),
        4 => {
            let (n, v) = runs(rng);
            Item::neg(&n, Val::Lit(v))
        }
        5 | 6 => Item::neg(&name, Val::Env(name.to_ascii_uppercase())),
        7 => Item::neg(&name, Val::Call(name.clone())),
        8 => {
            let (n, v) = public_by_design(rng);
            Item::neg(&n, Val::Lit(v))
        }
        9 => {
            let (n, v) = id_value(rng);
            Item::neg(&n, Val::Lit(v))
        }
        10 => {
            let (n, v) = url_without_creds(rng);
            Item::neg(&n, Val::Lit(v))
        }
        11 => {
            let (n, v) = hash_value(rng);
            Item::neg(&n, Val::Lit(v))
        }
        _ => {
            let (n, v) = truncated(rng);
            Item::neg(&n, Val::Lit(v))
        }
    };
    Instance::one(item)
}

fn assignment_file(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let ctx = *pick(rng, Ctx::LINE);
    let n = range(rng, 1, 3);
    let insts: Vec<Instance> = (0..n).map(|_| neg_instance(rng)).collect();
    render::render(ctx, rng, paths, &insts)
}

// ---------------------------------------------------------------------------------------------
// Whole-file negatives

type FileGen = fn(&mut Rng, &mut PathAlloc) -> CorpusFile;

fn finish(d: Doc, paths: &mut PathAlloc, rng: &mut Rng, dir: &str, file: &str) -> CorpusFile {
    let project = text::project(rng);
    d.finish(paths.alloc(project, dir, file))
}

const NPM_PKGS: &[&str] = &[
    "react",
    "react-dom",
    "lodash",
    "axios",
    "express",
    "debug",
    "ms",
    "chalk",
    "semver",
    "commander",
    "zod",
    "yargs",
    "uuid",
    "dotenv",
    "typescript",
    "eslint",
    "jest",
    "vite",
    "webpack",
    "rollup",
    "esbuild",
    "postcss",
    "tslib",
    "rxjs",
    "date-fns",
    "classnames",
];

fn ver(rng: &mut Rng) -> String {
    format!(
        "{}.{}.{}",
        range(rng, 0, 18),
        range(rng, 0, 30),
        range(rng, 0, 20)
    )
}

fn sri512(rng: &mut Rng) -> String {
    format!("sha512-{}", b64(&rbytes(rng, 64)))
}

fn package_lock(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    let name = text::project(rng);
    d.push("{");
    d.push(format!("  \"name\": \"{name}\","));
    d.push("  \"version\": \"1.0.0\",");
    d.push("  \"lockfileVersion\": 3,");
    d.push("  \"requires\": true,");
    d.push("  \"packages\": {");
    let n = range(rng, 8, 30);
    for i in 0..n {
        let p = *pick(rng, NPM_PKGS);
        let v = ver(rng);
        d.push(format!(
            "    \"node_modules/{p}{}\": {{",
            if i % 3 == 0 {
                format!("-{}", text::noun(rng))
            } else {
                String::new()
            }
        ));
        d.push(format!("      \"version\": \"{v}\","));
        d.push(format!(
            "      \"resolved\": \"https://registry.npmjs.org/{p}/-/{p}-{v}.tgz\","
        ));
        d.push(format!("      \"integrity\": \"{}\",", sri512(rng)));
        if chance(rng, 0.3) {
            d.push("      \"dev\": true,");
        }
        d.push(format!(
            "      \"license\": \"{}\"",
            pick(rng, &["MIT", "ISC", "Apache-2.0", "BSD-3-Clause"])
        ));
        d.push(if i + 1 < n { "    }," } else { "    }" });
    }
    d.push("  }");
    d.push("}");
    finish(d, paths, rng, "", "package-lock.json")
}

fn yarn_lock(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.");
    d.push("# yarn lockfile v1");
    for _ in 0..range(rng, 8, 25) {
        let p = *pick(rng, NPM_PKGS);
        let v = ver(rng);
        d.blank();
        d.push(format!("{p}@^{v}:"));
        d.push(format!("  version \"{v}\""));
        d.push(format!(
            "  resolved \"https://registry.yarnpkg.com/{p}/-/{p}-{v}.tgz#{}\"",
            hex(rng, 40)
        ));
        d.push(format!("  integrity {}", sri512(rng)));
    }
    finish(d, paths, rng, "", "yarn.lock")
}

fn pnpm_lock(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("lockfileVersion: '9.0'");
    d.blank();
    d.push("packages:");
    for _ in 0..range(rng, 8, 25) {
        let p = *pick(rng, NPM_PKGS);
        d.blank();
        d.push(format!("  {p}@{}:", ver(rng)));
        d.push(format!("    resolution: {{integrity: {}}}", sri512(rng)));
        d.push("    engines: {node: '>=14'}");
    }
    finish(d, paths, rng, "", "pnpm-lock.yaml")
}

const GO_MODS: &[&str] = &[
    "github.com/spf13/cobra",
    "github.com/stretchr/testify",
    "golang.org/x/sync",
    "golang.org/x/net",
    "google.golang.org/grpc",
    "github.com/google/uuid",
    "go.uber.org/zap",
    "github.com/prometheus/client_golang",
    "gopkg.in/yaml.v3",
    "github.com/aws/aws-sdk-go-v2",
];

fn go_sum(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    for _ in 0..range(rng, 6, 20) {
        let m = *pick(rng, GO_MODS);
        let v = format!("v{}", ver(rng));
        d.push(format!("{m} {v} h1:{}", b64(&rbytes(rng, 32))));
        d.push(format!("{m} {v}/go.mod h1:{}", b64(&rbytes(rng, 32))));
    }
    finish(d, paths, rng, "", "go.sum")
}

fn cargo_lock(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("# This file is automatically @generated by Cargo.");
    d.push("# It is not intended for manual editing.");
    d.push("version = 4");
    for _ in 0..range(rng, 6, 20) {
        let name = pick_str(
            rng,
            &[
                "serde",
                "regex",
                "memchr",
                "libc",
                "tokio",
                "bytes",
                "itoa",
                "ryu",
                "log",
                "cfg-if",
                "once_cell",
                "anyhow",
            ],
        );
        d.blank();
        d.push("[[package]]");
        d.push(format!("name = \"{name}\""));
        d.push(format!("version = \"{}\"", ver(rng)));
        d.push("source = \"registry+https://github.com/rust-lang/crates.io-index\"");
        d.push(format!("checksum = \"{}\"", hex(rng, 64)));
    }
    finish(d, paths, rng, "", "Cargo.lock")
}

fn poetry_lock(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    for _ in 0..range(rng, 4, 12) {
        let name = pick_str(
            rng,
            &[
                "requests",
                "urllib3",
                "certifi",
                "idna",
                "charset-normalizer",
                "pydantic",
                "attrs",
                "click",
            ],
        );
        let v = ver(rng);
        d.push("[[package]]");
        d.push(format!("name = \"{name}\""));
        d.push(format!("version = \"{v}\""));
        d.push("optional = false");
        d.push("files = [");
        d.push(format!(
            "    {{file = \"{name}-{v}-py3-none-any.whl\", hash = \"sha256:{}\"}},",
            hex(rng, 64)
        ));
        d.push(format!(
            "    {{file = \"{name}-{v}.tar.gz\", hash = \"sha256:{}\"}},",
            hex(rng, 64)
        ));
        d.push("]");
        d.blank();
    }
    d.push("[metadata]");
    d.push(format!("content-hash = \"{}\"", hex(rng, 64)));
    finish(d, paths, rng, "", "poetry.lock")
}

fn requirements_hashes(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("# This file was autogenerated by pip-compile with --generate-hashes");
    for _ in 0..range(rng, 4, 12) {
        let name = pick_str(
            rng,
            &[
                "requests", "urllib3", "certifi", "boto3", "botocore", "jmespath", "six",
            ],
        );
        d.push(format!("{name}=={} \\", ver(rng)));
        d.push(format!("    --hash=sha256:{} \\", hex(rng, 64)));
        d.push(format!("    --hash=sha256:{}", hex(rng, 64)));
    }
    finish(d, paths, rng, "", "requirements.txt")
}

fn docker_digests(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    if chance(rng, 0.5) {
        d.push(format!(
            "FROM python:3.12-slim@sha256:{} AS build",
            hex(rng, 64)
        ));
        d.push("WORKDIR /src");
        d.push("COPY requirements.txt .");
        d.push("RUN pip install --no-cache-dir -r requirements.txt");
        d.push(format!(
            "FROM gcr.io/distroless/python3@sha256:{}",
            hex(rng, 64)
        ));
        d.push("COPY --from=build /src /app");
        d.push("CMD [\"/app/main.py\"]");
        finish(d, paths, rng, "", "Dockerfile")
    } else {
        d.push("services:");
        for svc in ["web", "cache", "proxy"] {
            d.push(format!("  {svc}:"));
            d.push(format!(
                "    image: {}@sha256:{}",
                pick(
                    rng,
                    &["nginx", "redis", "envoyproxy/envoy", "ghcr.io/acme/web"]
                ),
                hex(rng, 64)
            ));
            d.push("    restart: unless-stopped");
        }
        finish(d, paths, rng, "", "docker-compose.yml")
    }
}

fn changelog(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    let repo = format!(
        "{}/{}",
        pick(rng, &["acme", "northwind", "globex"]),
        text::project(rng)
    );
    d.push("# Changelog");
    for _ in 0..range(rng, 3, 6) {
        d.blank();
        d.push(format!(
            "## [{}] - 2024-{:02}-{:02}",
            ver(rng),
            range(rng, 1, 12),
            range(rng, 1, 28)
        ));
        d.blank();
        for _ in 0..range(rng, 2, 6) {
            let sha = hex(rng, 40);
            let line = expand(rng, "{V} {n} handling when the {m} is missing");
            d.push(format!(
                "- {line} ([{}](https://github.com/{repo}/commit/{sha}))",
                &sha[..7]
            ));
        }
    }
    finish(d, paths, rng, "", "CHANGELOG.md")
}

fn git_log(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    if chance(rng, 0.5) {
        d.push("#!/usr/bin/env bash");
        d.push("# Build metadata. Example output:");
        d.push("#   $ git rev-parse HEAD");
        d.push(format!("#   {}", hex(rng, 40)));
        d.push("#   $ git describe --always");
        d.push(format!(
            "#   v{}-{}-g{}",
            ver(rng),
            range(rng, 1, 40),
            hex(rng, 7)
        ));
        d.push("GIT_SHA=\"$(git rev-parse HEAD)\"");
        d.push("echo \"building ${GIT_SHA}\"");
        finish(d, paths, rng, "scripts", "build-info.sh")
    } else if chance(rng, 0.5) {
        d.push("# Ignore formatting-only commits in git blame");
        for _ in 0..range(rng, 3, 8) {
            d.push(format!("# {}", expand(rng, "{V} {n} module formatting")));
            d.push(hex(rng, 40));
        }
        finish(d, paths, rng, "", ".git-blame-ignore-revs")
    } else {
        for _ in 0..range(rng, 3, 6) {
            d.push(format!("commit {}", hex(rng, 40)));
            d.push(format!(
                "Author: {} <{}@{}>",
                pick(rng, &["Dana Kim", "Lee Park", "Sam Ortiz"]),
                pick(rng, &["dana", "lee", "sam"]),
                text::domain(rng)
            ));
            d.push(format!(
                "Date:   Tue Mar {} 10:{:02}:11 2024 +0100",
                range(rng, 1, 28),
                range(rng, 0, 59)
            ));
            d.blank();
            d.push(format!("    {}", expand(rng, "{V} {n} {m} mapping")));
            d.blank();
        }
        finish(d, paths, rng, "docs", "release-log.txt")
    }
}

fn pinned_actions(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("name: ci");
    d.push("on: [push, pull_request]");
    d.push("permissions:");
    d.push("  contents: read");
    d.push("jobs:");
    d.push("  test:");
    d.push("    runs-on: ubuntu-latest");
    d.push("    steps:");
    d.push(format!(
        "      - uses: actions/checkout@{} # v4.1.7",
        hex(rng, 40)
    ));
    d.push(format!(
        "      - uses: actions/setup-go@{} # v5.0.2",
        hex(rng, 40)
    ));
    d.push(format!(
        "      - uses: actions/cache@{} # v4.0.2",
        hex(rng, 40)
    ));
    d.push("        with:");
    d.push("          path: ~/go/pkg/mod");
    d.push("          key: ${{ runner.os }}-go-${{ hashFiles('**/go.sum') }}");
    d.push("      - run: go test ./...");
    d.push("        env:");
    d.push("          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}");
    finish(d, paths, rng, ".github/workflows", "ci.yml")
}

fn png_b64(rng: &mut Rng, n: usize) -> String {
    let mut bytes = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
    ];
    bytes.extend_from_slice(b"IHDR");
    bytes.extend(rbytes(rng, n));
    b64(&bytes)
}

fn data_uri(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    let n = range(rng, 1_500, 9_000);
    let img = png_b64(rng, n);
    match range(rng, 0, 3) {
        0 => {
            d.push(".logo {");
            d.push("  width: 120px;");
            d.push(format!(
                "  background-image: url(\"data:image/png;base64,{img}\");"
            ));
            d.push("}");
            finish(d, paths, rng, "src/styles", "brand.css")
        }
        1 => {
            d.push("<!doctype html>");
            d.push("<html><body>");
            d.push(format!(
                "<img alt=\"logo\" src=\"data:image/png;base64,{img}\">"
            ));
            d.push("</body></html>");
            finish(d, paths, rng, "public", "offline.html")
        }
        2 => {
            d.push(format!(
                "export const LOGO_PNG = \"data:image/png;base64,{img}\";"
            ));
            finish(d, paths, rng, "src/assets", "logo.js")
        }
        _ => {
            d.push("# Icons");
            d.blank();
            d.push(format!("![status](data:image/png;base64,{img})"));
            finish(d, paths, rng, "docs", "icons.md")
        }
    }
}

fn minified_js(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push(format!("/*! {} v{} | MIT */", text::project(rng), ver(rng)));
    for _ in 0..range(rng, 2, 5) {
        let mut line = String::from("!function(e,t){\"use strict\";");
        let target = range(rng, 3_000, 9_000);
        while line.len() < target {
            let a = rs_range(rng, ALPHA, 1, 2);
            let b = rs_range(rng, ALPHA, 1, 2);
            match range(rng, 0, 6) {
                0 => line.push_str(&format!("var {a}={b}.{}||{{}};", text::noun(rng))),
                1 => line.push_str(&format!(
                    "function {a}({b}){{return {b}&&{b}.__esModule?{b}:{{default:{b}}}}}"
                )),
                2 => line.push_str(&format!(
                    "{a}[\"{}\"]=\"{}\";",
                    rs(rng, ALNUM, 6),
                    hex(rng, 8)
                )),
                3 => line.push_str(&format!(
                    "{a}.exports={{id:\"{}\",hash:\"{}\"}};",
                    rs_range(rng, ALNUM, 8, 14),
                    hex(rng, 20)
                )),
                4 => line.push_str(&format!(
                    "{a}.p+\"static/js/\"+{{{}:\"{}\"}}[{b}]+\".chunk.js\";",
                    range(rng, 100, 999),
                    hex(rng, 8)
                )),
                5 => line.push_str(&format!(
                    "if(!{a})throw new Error(\"{}\");",
                    expand(rng, "{n} not found")
                )),
                _ => line.push_str(&format!(
                    "{a}.className=\"{}\";",
                    format_args!("css-{}", rs(rng, LOWER_ALNUM, 6))
                )),
            }
        }
        line.push_str("}(this,function(){});");
        d.push(line);
    }
    d.push(format!("//# sourceMappingURL=main.{}.js.map", hex(rng, 8)));
    let f = format!("main.{}.js", hex(rng, 8));
    finish(d, paths, rng, "dist/static/js", &f)
}

fn source_map(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    let mut m = String::new();
    let target = range(rng, 2_000, 8_000);
    const VLQ: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    while m.len() < target {
        m.push_str(&rs_range(rng, VLQ, 4, 8));
        m.push(if chance(rng, 0.15) { ';' } else { ',' });
    }
    d.push(format!(
        "{{\"version\":3,\"file\":\"main.{}.js\",\"sources\":[\"webpack:///./src/index.js\",\"webpack:///./src/{}.js\"],\"names\":[\"e\",\"t\",\"n\"],\"mappings\":\"{m}\"}}",
        hex(rng, 8),
        text::noun(rng)
    ));
    let f = format!("main.{}.js.map", hex(rng, 8));
    finish(d, paths, rng, "dist/static/js", &f)
}

fn public_keys(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    match range(rng, 0, 4) {
        0 => {
            for _ in 0..range(rng, 2, 5) {
                d.push(keys::ssh_public_line(rng));
            }
            finish(d, paths, rng, ".ssh", "authorized_keys")
        }
        1 => {
            for _ in 0..range(rng, 2, 5) {
                let line = keys::ssh_public_line(rng);
                let mut parts = line.split(' ');
                let algo = parts.next().unwrap_or("ssh-ed25519").to_string();
                let key = parts.next().unwrap_or("").to_string();
                d.push(format!(
                    "|1|{}|{} {algo} {key}",
                    b64(&rbytes(rng, 20)),
                    b64(&rbytes(rng, 20))
                ));
            }
            finish(d, paths, rng, ".ssh", "known_hosts")
        }
        2 => {
            d.extend(text::imports(rng, Lang::Py));
            d.blank();
            d.push(format!(
                "JWT_PUBLIC_KEY = \"\"\"{}\"\"\"",
                keys::public_key_pem(rng)
            ));
            d.extend(text::blocks(rng, Lang::Py, 1, 2));
            finish(d, paths, rng, "app/auth", "verify.py")
        }
        3 => {
            d.extend(keys::jwks_json(rng).lines().map(str::to_string).collect());
            finish(d, paths, rng, "public/.well-known", "jwks.json")
        }
        _ => {
            d.push(keys::ssh_public_line(rng));
            let f = pick_str(rng, &["id_ed25519.pub", "deploy_key.pub", "id_rsa.pub"]);
            finish(d, paths, rng, "keys", &f)
        }
    }
}

fn certificates(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    match range(rng, 0, 2) {
        0 => {
            for _ in 0..range(rng, 1, 3) {
                d.extend(
                    keys::certificate_pem(rng)
                        .lines()
                        .map(str::to_string)
                        .collect(),
                );
            }
            let f = pick_str(
                rng,
                &["ca-bundle.crt", "server.crt", "chain.pem", "root-ca.pem"],
            );
            finish(d, paths, rng, "certs", &f)
        }
        1 => {
            d.push("apiVersion: v1");
            d.push("kind: ConfigMap");
            d.push("metadata:");
            d.push("  name: trusted-ca");
            d.push("data:");
            d.push("  ca.crt: |");
            for l in keys::certificate_pem(rng).lines() {
                d.push(format!("    {l}"));
            }
            finish(d, paths, rng, "deploy/k8s", "trusted-ca.yaml")
        }
        _ => {
            let cert = keys::certificate_pem(rng);
            d.push("apiVersion: v1");
            d.push("kind: Config");
            d.push("clusters:");
            d.push("- cluster:");
            d.push(format!(
                "    certificate-authority-data: {}",
                b64(cert.as_bytes())
            ));
            d.push(format!(
                "    server: https://k8s.{}:6443",
                text::domain(rng)
            ));
            d.push("  name: prod");
            d.push("users:");
            d.push("- name: oidc");
            d.push("  user:");
            d.push("    exec:");
            d.push("      apiVersion: client.authentication.k8s.io/v1beta1");
            d.push("      command: kubectl");
            d.push("      args: [oidc-login, get-token]");
            finish(d, paths, rng, "ops", "kubeconfig.yaml")
        }
    }
}

fn test_vectors(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    match range(rng, 0, 2) {
        0 => {
            d.push("import hashlib");
            d.push("import hmac");
            d.blank();
            d.push("VECTORS = [");
            for _ in 0..range(rng, 3, 6) {
                d.push(format!(
                    "    (b\"{}\", \"{}\"),",
                    text::noun(rng),
                    hex(rng, 64)
                ));
            }
            d.push("]");
            d.blank();
            d.push("def test_sha256_vectors():");
            d.push("    for data, expected in VECTORS:");
            d.push("        assert hashlib.sha256(data).hexdigest() == expected");
            d.blank();
            d.push("def test_hmac_vector():");
            d.push(format!("    key = bytes.fromhex(\"{}\")", "0b".repeat(20)));
            d.push(format!("    expected = \"{}\"", hex(rng, 64)));
            d.push(
                "    assert hmac.new(key, b\"Hi There\", hashlib.sha256).hexdigest() == expected",
            );
            finish(d, paths, rng, "tests", "test_digest.py")
        }
        1 => {
            d.push("package digest");
            d.blank();
            d.push("import \"testing\"");
            d.blank();
            d.push("func TestSum(t *testing.T) {");
            d.push("\tcases := []struct{ in, want string }{");
            for _ in 0..range(rng, 3, 6) {
                d.push(format!(
                    "\t\t{{\"{}\", \"{}\"}},",
                    text::noun(rng),
                    hex(rng, 64)
                ));
            }
            d.push("\t}");
            d.push("\tfor _, c := range cases {");
            d.push("\t\tif got := Sum(c.in); got != c.want {");
            d.push("\t\t\tt.Errorf(\"Sum(%q) = %s, want %s\", c.in, got, c.want)");
            d.push("\t\t}");
            d.push("\t}");
            d.push("}");
            finish(d, paths, rng, "internal/digest", "digest_test.go")
        }
        _ => {
            d.push("const { sha1 } = require(\"../src/hash\");");
            d.blank();
            d.push("describe(\"sha1\", () => {");
            for _ in 0..range(rng, 2, 5) {
                d.push(format!("  it(\"hashes {}\", () => {{", text::noun(rng)));
                d.push(format!(
                    "    expect(sha1(\"{}\")).toBe(\"{}\");",
                    text::noun(rng),
                    hex(rng, 40)
                ));
                d.push("  });");
            }
            d.push("});");
            finish(d, paths, rng, "test", "hash.test.js")
        }
    }
}

fn css_colors(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push(":root {");
    for n in [
        "primary",
        "secondary",
        "accent",
        "muted",
        "danger",
        "success",
        "surface",
    ] {
        d.push(format!("  --color-{n}: #{};", hex(rng, 6)));
    }
    d.push("}");
    for _ in 0..range(rng, 4, 10) {
        d.blank();
        d.push(format!(
            ".{}-{} {{",
            text::noun(rng),
            pick(rng, &["card", "header", "row", "badge"])
        ));
        d.push(format!("  color: #{};", hex(rng, 6)));
        d.push(format!(
            "  background: linear-gradient(90deg, #{} 0%, #{}cc 100%);",
            hex(rng, 6),
            hex(rng, 6)
        ));
        d.push(format!("  border: 1px solid #{};", hex(rng, 3)));
        d.push("}");
    }
    let f = pick_str(rng, &["theme.css", "main.scss", "variables.css"]);
    finish(d, paths, rng, "src/styles", &f)
}

fn i18n(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("{");
    let n = range(rng, 6, 20);
    for i in 0..n {
        let key = if chance(rng, 0.6) {
            rs_range(rng, ALNUM, 10, 16)
        } else {
            format!("msg_{}", rs(rng, LOWER_ALNUM, 12))
        };
        let tpl = *pick(
            rng,
            &[
                "{V} {n}",
                "No {n}s yet",
                "Save {m}",
                "Your {n} was updated",
                "Delete this {m}?",
            ],
        );
        let val = expand(rng, tpl);
        d.push(format!(
            "  \"{key}\": \"{val}\"{}",
            if i + 1 < n { "," } else { "" }
        ));
    }
    d.push("}");
    let f = format!("{}.json", pick(rng, &["en", "de", "fr", "ja", "pt-BR"]));
    finish(d, paths, rng, "src/locales", &f)
}

fn html_form(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("<!doctype html>");
    d.push("<html lang=\"en\">");
    d.push("<head>");
    d.push("  <meta name=\"csrf-token\" content=\"{{ csrf_token() }}\">");
    d.push(format!("  <script src=\"https://cdn.{}/app.js\" integrity=\"sha384-{}\" crossorigin=\"anonymous\"></script>", text::domain(rng), b64(&rbytes(rng, 48))));
    d.push("</head>");
    d.push("<body>");
    d.push("  <form method=\"post\" action=\"/login\">");
    d.push("    <label for=\"email\">Email</label>");
    d.push("    <input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\">");
    d.push("    <label for=\"password\">Password</label>");
    d.push("    <input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" placeholder=\"Password\" required>");
    if chance(rng, 0.5) {
        d.push("    <label for=\"new_password\">New password</label>");
        d.push("    <input type=\"password\" name=\"new_password\" minlength=\"12\" placeholder=\"At least 12 characters\">");
    }
    d.push("    <button type=\"submit\">Sign in</button>");
    d.push("  </form>");
    d.push("</body>");
    d.push("</html>");
    let f = pick_str(rng, &["login.html", "signin.html", "account.html"]);
    finish(d, paths, rng, "templates", &f)
}

fn numeric_ids(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("{");
    d.push("  \"items\": [");
    let n = range(rng, 3, 8);
    for i in 0..n {
        d.push("    {");
        d.push(format!("      \"id\": {},", digits(rng, 19)));
        d.push(format!("      \"account_id\": \"{}\",", digits(rng, 12)));
        d.push(format!("      \"external_ref\": \"{}\",", uuid4(rng)));
        d.push(format!("      \"name\": \"{}\"", expand(rng, "{N} {m}")));
        d.push(if i + 1 < n { "    }," } else { "    }" });
    }
    d.push("  ]");
    d.push("}");
    let f = format!("{}s.json", text::noun(rng));
    finish(d, paths, rng, "fixtures/api", &f)
}

fn urls_doc(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    let dm = text::domain(rng);
    d.push("# Connecting to the databases");
    d.blank();
    d.push("Local development uses trust auth, so no password is needed:");
    d.blank();
    d.push("```");
    d.push("psql postgres://app@localhost:5432/app");
    d.push(format!(
        "export DATABASE_URL=postgres://user:${{PASSWORD}}@db.{dm}:5432/app"
    ));
    d.push("export REDIS_URL=redis://localhost:6379/0");
    d.push("```");
    d.blank();
    d.push(format!("The API lives at https://api.{dm}/v2 and the dashboard at https://grafana.{dm}/d/overview."));
    d.push("Connection strings follow `postgresql://<user>:<password>@<host>:<port>/<db>`.");
    d.push("Ask in #platform for credentials; never commit them.");
    finish(d, paths, rng, "docs", "databases.md")
}

fn solution_guids(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("Microsoft Visual Studio Solution File, Format Version 12.00");
    d.push("# Visual Studio Version 17");
    let ty = uuid4(rng).to_ascii_uppercase();
    let mut projs = Vec::new();
    for _ in 0..range(rng, 2, 5) {
        let g = uuid4(rng).to_ascii_uppercase();
        let n = text::noun(rng);
        d.push(format!(
            "Project(\"{{{ty}}}\") = \"{}\", \"src\\{}\\{}.csproj\", \"{{{g}}}\"",
            text::expand(rng, "{N}"),
            n,
            n
        ));
        d.push("EndProject");
        projs.push(g);
    }
    d.push("Global");
    d.push("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution");
    for g in &projs {
        d.push(format!(
            "\t\t{{{g}}}.Release|Any CPU.ActiveCfg = Release|Any CPU"
        ));
    }
    d.push("\tEndGlobalSection");
    d.push("\tGlobalSection(ExtensibilityGlobals) = postSolution");
    d.push(format!(
        "\t\tSolutionGuid = {{{}}}",
        uuid4(rng).to_ascii_uppercase()
    ));
    d.push("\tEndGlobalSection");
    d.push("EndGlobal");
    let f = format!("{}.sln", text::expand(rng, "{N}"));
    finish(d, paths, rng, "", &f)
}

fn asset_manifest(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    let mut d = Doc::new();
    d.push("{");
    d.push("  \"files\": {");
    let h1 = hex(rng, 8);
    let h2 = hex(rng, 8);
    d.push(format!("    \"main.js\": \"/static/js/main.{h1}.js\","));
    d.push(format!("    \"main.css\": \"/static/css/main.{h2}.css\","));
    d.push(format!(
        "    \"static/media/logo.svg\": \"/static/media/logo.{}.svg\"",
        hex(rng, 20)
    ));
    d.push("  },");
    d.push(format!("  \"buildId\": \"{}\",", rs(rng, ALNUM, 21)));
    d.push(format!("  \"nonce\": \"{}\"", b64(&rbytes(rng, 16))));
    d.push("}");
    finish(d, paths, rng, "build", "asset-manifest.json")
}

fn code_lookups(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    // Password variables assigned from calls and config, in code.
    let mut d = Doc::new();
    match range(rng, 0, 3) {
        0 => {
            d.push("import os");
            d.push("from app.secrets import get_password");
            d.blank();
            d.push("def connect():");
            d.push("    password = get_password()");
            d.push("    api_key = os.environ[\"API_KEY\"]");
            d.push("    token = os.getenv(\"AUTH_TOKEN\", \"\")");
            d.push("    return Client(password=password, api_key=api_key, token=token)");
            finish(d, paths, rng, "app", "db.py")
        }
        1 => {
            d.push("const stripe = require(\"stripe\")(process.env.STRIPE_KEY);");
            d.push("const password = await vault.read(\"secret/data/db\").then((r) => r.data.password);");
            d.push("const apiKey = config.get(\"partner.apiKey\");");
            d.push("module.exports = { stripe, password, apiKey };");
            finish(d, paths, rng, "src", "clients.js")
        }
        2 => {
            d.push("package main");
            d.blank();
            d.push("import \"os\"");
            d.blank();
            d.push("func dsn() string {");
            d.push("\tpassword := os.Getenv(\"DB_PASSWORD\")");
            d.push("\ttoken := os.Getenv(\"GITHUB_TOKEN\")");
            d.push("\t_ = token");
            d.push("\treturn \"postgres://app:\" + password + \"@db:5432/app\"");
            d.push("}");
            finish(d, paths, rng, "cmd/app", "dsn.go")
        }
        _ => {
            d.push("public class DbConfig {");
            d.push("    String password = System.getenv(\"DB_PASSWORD\");");
            d.push("    String apiKey = props.getProperty(\"api.key\");");
            d.push(
                "    String secret = secretsManager.getSecretValue(\"prod/app\").secretString();",
            );
            d.push("}");
            finish(d, paths, rng, "src/main/java/com/acme", "DbConfig.java")
        }
    }
}

const FILE_GENS: &[FileGen] = &[
    package_lock,
    yarn_lock,
    pnpm_lock,
    go_sum,
    cargo_lock,
    poetry_lock,
    requirements_hashes,
    docker_digests,
    changelog,
    git_log,
    pinned_actions,
    data_uri,
    minified_js,
    source_map,
    public_keys,
    certificates,
    test_vectors,
    css_colors,
    i18n,
    html_form,
    numeric_ids,
    urls_doc,
    solution_guids,
    asset_manifest,
    code_lookups,
];

/// At least `min_files` negative files: the file-level generators in turn, interleaved with
/// assignment-style negatives in every line context.
pub(crate) fn generate(rng: &mut Rng, paths: &mut PathAlloc, min_files: usize) -> Vec<CorpusFile> {
    let mut out = Vec::new();
    let mut k = 0;
    while out.len() < min_files.max(FILE_GENS.len() * 2) {
        if k % 2 == 0 {
            let g = FILE_GENS[(k / 2) % FILE_GENS.len()];
            out.push(g(rng, paths));
        } else {
            out.push(assignment_file(rng, paths));
        }
        k += 1;
    }
    out
}

/// One random hard-negative file (for the bench tree).
pub(crate) fn any(rng: &mut Rng, paths: &mut PathAlloc) -> CorpusFile {
    if chance(rng, 0.5) {
        assignment_file(rng, paths)
    } else {
        let g = *pick(rng, FILE_GENS);
        g(rng, paths)
    }
}
