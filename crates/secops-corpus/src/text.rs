//! Plausible filler: identifiers, imports, function bodies and benign configuration entries for
//! every language the corpus writes. Filler never contains anything secret-looking.

use crate::util::{pick, range, Rng};
use rand::Rng as _;

pub(crate) const DOMAINS: &[&str] = &[
    "northwind-labs.io",
    "acmecloud.dev",
    "globex-systems.com",
    "initech.net",
    "umbrella-data.io",
    "contoso-apps.com",
    "hooli.tech",
    "piedpiper.app",
    "vandelay-imports.com",
    "stark-analytics.io",
];

pub(crate) const PROJECTS: &[&str] = &[
    "billing-service",
    "checkout-api",
    "web-portal",
    "mobile-backend",
    "data-pipeline",
    "infra",
    "platform-tools",
    "auth-gateway",
    "notifications",
    "analytics-etl",
    "admin-dashboard",
    "search-indexer",
    "inventory-sync",
    "payments-worker",
    "ml-serving",
    "ops-scripts",
    "customer-portal",
    "reporting",
    "crm-integration",
    "edge-proxy",
];

pub(crate) const NOUNS: &[&str] = &[
    "order",
    "invoice",
    "customer",
    "account",
    "payment",
    "report",
    "session",
    "event",
    "metric",
    "profile",
    "product",
    "shipment",
    "ticket",
    "message",
    "document",
    "upload",
    "job",
    "bundle",
    "record",
    "widget",
    "subscription",
    "refund",
    "coupon",
    "cart",
    "review",
    "schedule",
    "device",
    "region",
    "tenant",
    "workspace",
    "project",
    "snapshot",
    "export",
    "webhook",
    "channel",
];

pub(crate) const VERBS: &[&str] = &[
    "fetch",
    "load",
    "build",
    "parse",
    "render",
    "sync",
    "process",
    "validate",
    "update",
    "create",
    "delete",
    "list",
    "resolve",
    "compute",
    "handle",
    "send",
    "publish",
    "refresh",
    "normalize",
    "archive",
    "merge",
    "schedule",
    "collect",
    "filter",
    "import",
    "reconcile",
];

pub(crate) fn noun(rng: &mut Rng) -> &'static str {
    NOUNS[rng.gen_range(0..NOUNS.len())]
}

pub(crate) fn domain(rng: &mut Rng) -> &'static str {
    DOMAINS[rng.gen_range(0..DOMAINS.len())]
}

pub(crate) fn project(rng: &mut Rng) -> &'static str {
    PROJECTS[rng.gen_range(0..PROJECTS.len())]
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Expand a template: `{v}` verb, `{n}`/`{m}` nouns, `{V}`/`{N}`/`{M}` capitalised, `{i}` a
/// small number, `{d}` a domain, `{p}` a project name. Other braces are left alone.
pub(crate) fn expand(rng: &mut Rng, tpl: &str) -> String {
    let v = *pick(rng, VERBS);
    let n = *pick(rng, NOUNS);
    let mut m = *pick(rng, NOUNS);
    if m == n {
        m = "item";
    }
    let i = range(rng, 2, 500).to_string();
    let d = *pick(rng, DOMAINS);
    let p = *pick(rng, PROJECTS);
    let mut out = String::with_capacity(tpl.len() + 32);
    let b = tpl.as_bytes();
    let mut k = 0;
    while k < b.len() {
        if b[k] == b'{' && k + 2 < b.len() && b[k + 2] == b'}' {
            let rep: Option<String> = match b[k + 1] {
                b'v' => Some(v.to_string()),
                b'n' => Some(n.to_string()),
                b'm' => Some(m.to_string()),
                b'V' => Some(cap(v)),
                b'N' => Some(cap(n)),
                b'M' => Some(cap(m)),
                b'i' => Some(i.clone()),
                b'd' => Some(d.to_string()),
                b'p' => Some(p.to_string()),
                _ => None,
            };
            if let Some(r) = rep {
                out.push_str(&r);
                k += 3;
                continue;
            }
        }
        // Copy one UTF-8 character.
        let ch_len = utf8_len(b[k]);
        out.push_str(&tpl[k..k + ch_len]);
        k += ch_len;
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Push the expanded template's lines.
pub(crate) fn push_tpl(rng: &mut Rng, out: &mut Vec<String>, tpl: &str) {
    let s = expand(rng, tpl);
    out.extend(s.lines().map(str::to_string));
}

/// Which filler a file gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    Py,
    Js,
    Ts,
    Go,
    Java,
    Kotlin,
    CSharp,
    Php,
    Ruby,
    Shell,
    Md,
}

pub(crate) fn imports(rng: &mut Rng, lang: Lang) -> Vec<String> {
    let pool: &[&str] = match lang {
        Lang::Py => &[
            "import os",
            "import json",
            "import logging",
            "import time",
            "from datetime import datetime, timedelta",
            "from typing import Any, Dict, List, Optional",
            "import requests",
            "from dataclasses import dataclass",
            "from pathlib import Path",
        ],
        Lang::Js => &[
            "const express = require(\"express\");",
            "const axios = require(\"axios\");",
            "const path = require(\"path\");",
            "const fs = require(\"fs/promises\");",
            "const { promisify } = require(\"util\");",
            "const logger = require(\"./logger\");",
        ],
        Lang::Ts => &[
            "import axios from \"axios\";",
            "import { Injectable } from \"@nestjs/common\";",
            "import { z } from \"zod\";",
            "import type { Request, Response } from \"express\";",
            "import { logger } from \"../lib/logger\";",
            "import { retry } from \"../lib/retry\";",
        ],
        Lang::Go => &[
            "\t\"context\"",
            "\t\"encoding/json\"",
            "\t\"fmt\"",
            "\t\"net/http\"",
            "\t\"time\"",
            "\t\"log/slog\"",
            "\t\"errors\"",
        ],
        Lang::Java => &[
            "import java.util.List;",
            "import java.util.Map;",
            "import java.time.Duration;",
            "import java.util.Optional;",
            "import org.slf4j.Logger;",
            "import org.slf4j.LoggerFactory;",
            "import org.springframework.context.annotation.Bean;",
            "import org.springframework.context.annotation.Configuration;",
        ],
        Lang::Kotlin => &[
            "import kotlinx.coroutines.delay",
            "import java.time.Duration",
            "import io.ktor.client.HttpClient",
            "import org.slf4j.LoggerFactory",
        ],
        Lang::CSharp => &[
            "using System;",
            "using System.Collections.Generic;",
            "using System.Net.Http;",
            "using System.Threading.Tasks;",
            "using Microsoft.Extensions.Logging;",
        ],
        Lang::Php => &[
            "use GuzzleHttp\\Client;",
            "use Psr\\Log\\LoggerInterface;",
            "use App\\Models\\User;",
            "use Illuminate\\Support\\Facades\\Log;",
        ],
        Lang::Ruby => &[
            "require \"json\"",
            "require \"net/http\"",
            "require \"logger\"",
            "require \"time\"",
            "require_relative \"../lib/client\"",
        ],
        Lang::Shell | Lang::Md => &[],
    };
    let mut v: Vec<String> = Vec::new();
    if pool.is_empty() {
        return v;
    }
    let k = range(rng, 2, pool.len().min(5));
    let start = range(rng, 0, pool.len() - 1);
    for j in 0..k {
        v.push(pool[(start + j) % pool.len()].to_string());
    }
    v.sort();
    v
}

const PY_FUNCS: &[&str] = &[
    "def {v}_{n}s(client, limit={i}):\n    \"\"\"{V} {n}s from the upstream API.\"\"\"\n    response = client.get(\"/api/v1/{n}s\", params={\"limit\": limit})\n    response.raise_for_status()\n    return [row for row in response.json().get(\"items\", []) if row]",
    "def {v}_{n}({n}_id: str) -> Optional[Dict[str, Any]]:\n    logger.debug(\"{v} {n} %s\", {n}_id)\n    for attempt in range(3):\n        try:\n            return _{n}_repository.get({n}_id)\n        except TimeoutError:\n            time.sleep(0.5 * (attempt + 1))\n    return None",
    "class {N}Service:\n    def __init__(self, repo, batch_size={i}):\n        self.repo = repo\n        self.batch_size = batch_size\n\n    def {v}(self, {m}s):\n        out = []\n        for {m} in {m}s:\n            out.append(self.repo.save({m}))\n        return out",
    "@dataclass\nclass {N}:\n    id: str\n    {m}_count: int = 0\n    created_at: datetime = datetime.utcnow()\n\n    def to_dict(self):\n        return {\"id\": self.id, \"{m}_count\": self.{m}_count}",
    "def _{v}_window(days={i}):\n    end = datetime.utcnow()\n    start = end - timedelta(days=days)\n    return start.isoformat(), end.isoformat()",
];

const JS_FUNCS: &[&str] = &[
    "async function {v}{N}s(limit = {i}) {\n  const res = await axios.get(`/api/v1/{n}s?limit=${limit}`);\n  return res.data.items.filter(Boolean);\n}",
    "function {v}{N}({n}) {\n  if (!{n}) {\n    throw new Error(\"missing {n}\");\n  }\n  return { ...{n}, updatedAt: Date.now() };\n}",
    "const {v}{M}s = ({m}s) =>\n  {m}s\n    .filter((x) => x.active)\n    .map((x) => ({ id: x.id, name: x.name }));",
    "router.get(\"/{n}s/:id\", async (req, res) => {\n  const {n} = await {n}Store.find(req.params.id);\n  if (!{n}) return res.status(404).json({ error: \"not found\" });\n  res.json({n});\n});",
    "class {N}Queue {\n  constructor(size = {i}) {\n    this.size = size;\n    this.items = [];\n  }\n\n  push(item) {\n    if (this.items.length >= this.size) this.items.shift();\n    this.items.push(item);\n  }\n}",
];

const TS_FUNCS: &[&str] = &[
    "export async function {v}{N}s(limit = {i}): Promise<{N}[]> {\n  const res = await axios.get<{ items: {N}[] }>(`/api/v1/{n}s?limit=${limit}`);\n  return res.data.items;\n}",
    "export interface {N} {\n  id: string;\n  {m}Id?: string;\n  createdAt: Date;\n}",
    "export function {v}{N}(input: Partial<{N}>): {N} {\n  return {\n    id: input.id ?? crypto.randomUUID(),\n    createdAt: input.createdAt ?? new Date(),\n  } as {N};\n}",
    "const {m}Schema = z.object({\n  id: z.string().uuid(),\n  count: z.number().int().max({i}),\n});",
];

const GO_FUNCS: &[&str] = &[
    "func {V}{N}s(ctx context.Context, limit int) ([]{N}, error) {\n\tif limit <= 0 {\n\t\tlimit = {i}\n\t}\n\tvar out []{N}\n\tif err := store.List(ctx, \"{n}s\", limit, &out); err != nil {\n\t\treturn nil, fmt.Errorf(\"{v} {n}s: %w\", err)\n\t}\n\treturn out, nil\n}",
    "type {N} struct {\n\tID        string    `json:\"id\"`\n\t{M}Count int       `json:\"{m}_count\"`\n\tCreatedAt time.Time `json:\"created_at\"`\n}",
    "func (s *{N}Service) {V}(ctx context.Context, id string) error {\n\tctx, cancel := context.WithTimeout(ctx, {i}*time.Millisecond)\n\tdefer cancel()\n\treturn s.repo.Touch(ctx, id)\n}",
    "func handle{N}(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set(\"Content-Type\", \"application/json\")\n\t_ = json.NewEncoder(w).Encode(map[string]string{\"status\": \"ok\"})\n}",
];

const JAVA_FUNCS: &[&str] = &[
    "    public List<{N}> {v}{N}s(int limit) {\n        log.debug(\"{v} {n}s limit={}\", limit);\n        return repository.findAll().stream().limit(limit).toList();\n    }",
    "    private Optional<{M}> find{M}(String id) {\n        if (id == null || id.isBlank()) {\n            return Optional.empty();\n        }\n        return {m}Repository.findById(id);\n    }",
    "    @Bean\n    public Duration {n}Timeout() {\n        return Duration.ofSeconds({i});\n    }",
    "    public void {v}(Map<String, Object> payload) {\n        for (var entry : payload.entrySet()) {\n            log.info(\"{n} {} = {}\", entry.getKey(), entry.getValue());\n        }\n    }",
];

const KOTLIN_FUNCS: &[&str] = &[
    "suspend fun {v}{N}s(limit: Int = {i}): List<{N}> {\n    delay(10)\n    return repository.list(limit)\n}",
    "data class {N}(val id: String, val {m}Count: Int = 0)",
    "fun {v}{M}(input: {M}?): {M}? = input?.copy({m}Count = input.{m}Count + 1)",
];

const CS_FUNCS: &[&str] = &[
    "        public async Task<IReadOnlyList<{N}>> {V}{N}sAsync(int limit = {i})\n        {\n            var response = await _http.GetAsync($\"/api/v1/{n}s?limit={limit}\");\n            response.EnsureSuccessStatusCode();\n            return await response.Content.ReadFromJsonAsync<List<{N}>>() ?? new List<{N}>();\n        }",
    "        private static bool Is{N}Valid({N} {n})\n        {\n            return {n} != null && !string.IsNullOrEmpty({n}.Id);\n        }",
];

const PHP_FUNCS: &[&str] = &[
    "    public function {v}{N}s(int $limit = {i}): array\n    {\n        $response = $this->client->get('/api/v1/{n}s', ['query' => ['limit' => $limit]]);\n        return json_decode((string) $response->getBody(), true)['items'] ?? [];\n    }",
    "    private function format{M}(array ${m}): string\n    {\n        return sprintf('%s (%d)', ${m}['name'], ${m}['count'] ?? 0);\n    }",
];

const RUBY_FUNCS: &[&str] = &[
    "  def {v}_{n}s(limit: {i})\n    response = client.get(\"/api/v1/{n}s\", limit: limit)\n    JSON.parse(response.body).fetch(\"items\", [])\n  end",
    "  def {m}_summary({m})\n    \"#{{m}.name} (#{{m}.count})\"\n  end",
];

const SHELL_FUNCS: &[&str] = &[
    "log() {\n  printf '%s %s\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"$*\" >&2\n}",
    "for svc in {n} {m} api; do\n  log \"restarting ${svc}\"\n  systemctl restart \"${svc}.service\" || true\ndone",
    "if [ ! -d \"./build\" ]; then\n  mkdir -p ./build\nfi\ncd ./build && cmake .. -DCMAKE_BUILD_TYPE=Release && make -j{i}",
    "wait_for_port() {\n  local host=\"$1\" port=\"$2\"\n  for _ in $(seq 1 {i}); do\n    nc -z \"$host\" \"$port\" && return 0\n    sleep 1\n  done\n  return 1\n}",
];

const MD_PARAS: &[&str] = &[
    "The {n} service {v}s {m}s in batches of {i} and publishes the result to the `{n}-events` topic.",
    "Run `make {v}` to {v} the {n} fixtures before starting the local stack.",
    "## Troubleshooting\n\nIf the {m} job hangs, check the worker logs and restart the `{n}` deployment.",
    "See the runbook at https://wiki.{d}/ops/{n}-{m} for the on-call procedure.",
    "| Setting | Default | Description |\n|---------|---------|-------------|\n| `{n}_batch_size` | {i} | how many {n}s per run |\n| `{m}_enabled` | true | turn the {m} step on or off |",
];

/// One filler block (function, class, paragraph) for a language.
pub(crate) fn block(rng: &mut Rng, lang: Lang) -> Vec<String> {
    let pool = match lang {
        Lang::Py => PY_FUNCS,
        Lang::Js => JS_FUNCS,
        Lang::Ts => TS_FUNCS,
        Lang::Go => GO_FUNCS,
        Lang::Java => JAVA_FUNCS,
        Lang::Kotlin => KOTLIN_FUNCS,
        Lang::CSharp => CS_FUNCS,
        Lang::Php => PHP_FUNCS,
        Lang::Ruby => RUBY_FUNCS,
        Lang::Shell => SHELL_FUNCS,
        Lang::Md => MD_PARAS,
    };
    let tpl = *pick(rng, pool);
    let mut out = Vec::new();
    push_tpl(rng, &mut out, tpl);
    out
}

/// A few filler blocks separated by blank lines.
pub(crate) fn blocks(rng: &mut Rng, lang: Lang, lo: usize, hi: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..range(rng, lo, hi) {
        out.push(String::new());
        out.extend(block(rng, lang));
    }
    out
}

/// A comment line in a language's syntax.
pub(crate) fn comment(rng: &mut Rng, prefix: &str) -> String {
    let t = *pick(
        rng,
        &[
            "TODO: move this to the shared config module",
            "Configuration for the {n} integration",
            "Keep in sync with the {m} service",
            "Used by the nightly {n} export",
            "{V} settings (see README)",
            "Added for the {n} migration",
        ],
    );
    format!("{prefix} {}", expand(rng, t))
}

/// A benign configuration entry: (snake_case name, value).
pub(crate) fn config_pair(rng: &mut Rng) -> (String, String) {
    let k = range(rng, 0, 17);
    let n = noun(rng);
    match k {
        0 => (
            "log_level".into(),
            pick(rng, &["info", "debug", "warn"]).to_string(),
        ),
        1 => (
            "port".into(),
            pick(rng, &["8080", "3000", "5000", "8443", "9090"]).to_string(),
        ),
        2 => (
            "host".into(),
            pick(rng, &["0.0.0.0", "127.0.0.1", "localhost"]).to_string(),
        ),
        3 => ("timeout_seconds".into(), range(rng, 5, 120).to_string()),
        4 => ("max_connections".into(), range(rng, 10, 500).to_string()),
        5 => (
            "region".into(),
            pick(
                rng,
                &["us-east-1", "eu-west-1", "eu-central-1", "us-west-2"],
            )
            .to_string(),
        ),
        6 => (
            format!("enable_{n}_sync"),
            pick(rng, &["true", "false"]).to_string(),
        ),
        7 => ("cache_ttl".into(), range(rng, 30, 3600).to_string()),
        8 => ("worker_count".into(), range(rng, 1, 16).to_string()),
        9 => (
            "environment".into(),
            pick(rng, &["production", "staging", "prod"]).to_string(),
        ),
        10 => ("service_name".into(), project(rng).to_string()),
        11 => ("retry_attempts".into(), range(rng, 1, 5).to_string()),
        12 => ("base_url".into(), format!("https://api.{}", domain(rng))),
        13 => ("bucket_name".into(), format!("{}-{n}s", project(rng))),
        14 => ("queue_name".into(), format!("{n}-events")),
        15 => ("metrics_enabled".into(), "true".into()),
        16 => ("batch_size".into(), range(rng, 10, 1000).to_string()),
        _ => (
            "default_locale".into(),
            pick(rng, &["en-US", "de-DE", "fr-FR"]).to_string(),
        ),
    }
}

/// A few benign configuration entries with distinct names.
pub(crate) fn config_pairs(rng: &mut Rng, lo: usize, hi: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let want = range(rng, lo, hi);
    let mut guard = 0;
    while out.len() < want && guard < 50 {
        guard += 1;
        let p = config_pair(rng);
        if !out.iter().any(|(k, _)| *k == p.0) {
            out.push(p);
        }
    }
    out
}

pub(crate) fn is_numberish(v: &str) -> bool {
    v == "true" || v == "false" || v.parse::<f64>().is_ok()
}

/// A random filler identifier such as `orderCount` or `sync_invoice`.
pub(crate) fn ident(rng: &mut Rng) -> String {
    let v = *pick(rng, VERBS);
    let n = *pick(rng, NOUNS);
    if rng.gen_bool(0.5) {
        format!("{v}_{n}")
    } else {
        format!(
            "{n}_{}",
            pick(rng, &["count", "limit", "id", "name", "path", "url", "ttl"])
        )
    }
}
