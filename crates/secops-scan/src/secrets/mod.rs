//! The secrets engine.
//!
//! Per file: one case-insensitive Aho-Corasick pass over every rule keyword; each keyword hit
//! opens a small window (its line, or a block for multi-line rules) in which only the rules
//! owning that keyword run their regex. Candidates then pass the entropy threshold, the rule's
//! and the global allowlists, the optional `near` context check, and de-duplication (a generic
//! rule yields to a specific one on the same span). Base64 is decoded one level where secrets
//! are commonly encoded: Kubernetes `Secret` data values and rules with `decode = "base64"`
//! (basic-auth headers, docker `auth` fields).

pub mod allowlist;
pub mod entropy;
pub mod rule;

use crate::ScanError;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use base64::Engine as _;
use regex::bytes::{Regex, RegexBuilder};
use rule::{DecodeKind, RuleDef, RuleFile};
use secops_core::finding::fingerprint;
use secops_core::walk::{FileOutput, FileVisitor, SourceFile};
use secops_core::{
    Confidence, Config, Details, Finding, FindingKind, Location, RuleMeta, SecretDetails, Severity,
};
use std::sync::OnceLock;

/// The built-in catalog.
pub const BUILTIN_RULES: &str = include_str!("../../rules/secrets.toml");

/// Bytes of context a single-line window keeps on each side of a keyword on very long lines.
const LONG_LINE_REACH: usize = 4096;
/// How far a multi-line rule's window reaches past its keyword line.
const MULTILINE_REACH: usize = 32 * 1024;
/// Regex size limit per rule.
const REGEX_SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// A regex compiled on first use: most rules never meet their keyword in a given run, so
/// compiling the whole catalog up front would dominate short scans (pre-commit hooks).
/// Built-in patterns are checked by the catalog test; custom ones are compiled eagerly.
#[derive(Debug)]
struct LazyRegex {
    src: String,
    cell: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(src: &str) -> LazyRegex {
        LazyRegex {
            src: src.to_string(),
            cell: OnceLock::new(),
        }
    }

    fn build(src: &str) -> Result<Regex, regex::Error> {
        RegexBuilder::new(src)
            .unicode(false)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
    }

    /// The compiled regex (`None` only if it does not compile, which `check` reports).
    fn get(&self) -> Option<&Regex> {
        self.cell
            .get_or_init(|| Self::build(&self.src).ok())
            .as_ref()
    }

    fn check(&self) -> Result<(), String> {
        Self::build(&self.src)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn is_match(&self, hay: &[u8]) -> bool {
        self.get().is_some_and(|r| r.is_match(hay))
    }
}

/// A rule ready to run.
#[derive(Debug)]
pub struct CompiledRule {
    pub meta: RuleMeta,
    pub confidence: Confidence,
    regex: LazyRegex,
    secret_group: OnceLock<usize>,
    entropy: Option<f64>,
    allowlist: Vec<LazyRegex>,
    multiline: bool,
    near: Option<(LazyRegex, usize)>,
    paths: Vec<LazyRegex>,
    generic: bool,
    decode: Option<DecodeKind>,
    keywords: Vec<String>,
}

impl CompiledRule {
    fn compile(
        def: RuleDef,
        severity_override: Option<Severity>,
        eager: bool,
    ) -> Result<CompiledRule, ScanError> {
        let err = |message: String| ScanError::Rule {
            id: def.id.clone(),
            message,
        };
        if def.keywords.is_empty() || def.keywords.iter().any(|k| k.trim().is_empty()) {
            return Err(err(
                "keywords must be a non-empty list of non-empty strings".into(),
            ));
        }
        let regex = LazyRegex::new(&def.regex);
        let allowlist: Vec<LazyRegex> = def.allowlist.iter().map(|r| LazyRegex::new(r)).collect();
        let near = def
            .near
            .as_ref()
            .map(|n| (LazyRegex::new(&n.regex), n.lines));
        let paths: Vec<LazyRegex> = def.paths.iter().map(|r| LazyRegex::new(r)).collect();
        if !def.id.starts_with("secret.") {
            return Err(err("ids of secret rules start with 'secret.'".into()));
        }
        let rule = CompiledRule {
            meta: RuleMeta {
                id: def.id.clone(),
                kind: FindingKind::Secret,
                title: def.title,
                help: def.help,
                severity: severity_override.unwrap_or(def.severity),
                cwe: def.cwe,
                owasp: vec!["A07:2021".into()],
                tags: def.tags,
            },
            confidence: def.confidence,
            regex,
            secret_group: OnceLock::new(),
            entropy: def.entropy,
            allowlist,
            multiline: def.multiline,
            near,
            paths,
            generic: def.generic,
            decode: def.decode,
            keywords: def
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect(),
        };
        if eager {
            rule.compile_all().map_err(err)?;
        }
        Ok(rule)
    }

    /// Compile every regex of the rule now; the error names the failing pattern.
    pub fn compile_all(&self) -> Result<(), String> {
        self.regex
            .check()
            .map_err(|e| format!("regex does not compile: {e}"))?;
        for r in &self.allowlist {
            r.check()
                .map_err(|e| format!("allowlist regex '{}' does not compile: {e}", r.src))?;
        }
        if let Some((n, _)) = &self.near {
            n.check()
                .map_err(|e| format!("near regex does not compile: {e}"))?;
        }
        for r in &self.paths {
            r.check()
                .map_err(|e| format!("paths regex '{}' does not compile: {e}", r.src))?;
        }
        Ok(())
    }

    fn applies_to(&self, path: &str) -> bool {
        self.paths.is_empty() || self.paths.iter().any(|r| r.is_match(path.as_bytes()))
    }

    /// Index of the capture group holding the secret: `secret`, else 1, else the whole match.
    fn secret_group(&self, regex: &Regex) -> usize {
        *self.secret_group.get_or_init(|| {
            regex
                .capture_names()
                .position(|n| n == Some("secret"))
                .unwrap_or(if regex.captures_len() > 1 { 1 } else { 0 })
        })
    }
}

/// Options that shape an engine beyond the rules themselves.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Report secrets in clear instead of redacted.
    pub show_secrets: bool,
}

/// A candidate match inside one buffer.
#[derive(Debug, Clone)]
struct Candidate {
    rule: usize,
    secret: (usize, usize),
    entropy: f64,
    /// Replacement secret text when the value was decoded (basic-auth password).
    decoded_value: Option<Vec<u8>>,
}

/// The compiled secrets engine. Cheap to share across threads.
pub struct SecretsEngine {
    rules: Vec<CompiledRule>,
    ac: AhoCorasick,
    pattern_rules: Vec<Vec<usize>>,
    extra_allow: Vec<Regex>,
    extra_stopwords: Option<AhoCorasick>,
    path_allow: Option<globset::GlobSet>,
    options: EngineOptions,
}

impl std::fmt::Debug for SecretsEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretsEngine")
            .field("rules", &self.rules.len())
            .finish()
    }
}

/// Parse the built-in rule definitions.
pub fn builtin_defs() -> Result<Vec<RuleDef>, ScanError> {
    let file: RuleFile = toml::from_str(BUILTIN_RULES).map_err(|e| ScanError::RuleFile {
        origin: "rules/secrets.toml".into(),
        message: e.to_string(),
    })?;
    Ok(file.rule)
}

impl SecretsEngine {
    /// The built-in catalog, no configuration.
    pub fn builtin() -> Result<SecretsEngine, ScanError> {
        SecretsEngine::new(&Config::default(), EngineOptions::default())
    }

    /// A shared, lazily built default engine (for tests and tools).
    pub fn shared_builtin() -> Result<&'static SecretsEngine, ScanError> {
        static ENGINE: OnceLock<Result<SecretsEngine, String>> = OnceLock::new();
        ENGINE
            .get_or_init(|| SecretsEngine::builtin().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| ScanError::Config(e.clone()))
    }

    /// Built-in rules plus `.secops.toml` customisation (disabled rules, severity overrides,
    /// allowlists, custom rules).
    pub fn new(config: &Config, options: EngineOptions) -> Result<SecretsEngine, ScanError> {
        let mut defs = builtin_defs()?;
        let builtin_count = defs.len();
        for (i, value) in config.secrets.rule.iter().enumerate() {
            let def: RuleDef = value.clone().try_into().map_err(|e: toml::de::Error| {
                ScanError::Config(format!("[[secrets.rule]] #{}: {}", i + 1, e.message()))
            })?;
            if defs.iter().any(|d| d.id == def.id) {
                return Err(ScanError::Config(format!(
                    "[[secrets.rule]] #{}: id '{}' is already a built-in rule",
                    i + 1,
                    def.id
                )));
            }
            defs.push(def);
        }
        let mut rules = Vec::with_capacity(defs.len());
        for (i, def) in defs.into_iter().enumerate() {
            if config.rule_disabled(&def.id) {
                continue;
            }
            let ov = config.severity_override(&def.id);
            rules.push(CompiledRule::compile(def, ov, i >= builtin_count)?);
        }
        let extra_allow = config
            .allowlist
            .regexes
            .iter()
            .map(|r| {
                RegexBuilder::new(r)
                    .unicode(false)
                    .build()
                    .map_err(|e| ScanError::Config(format!("allowlist regex '{r}': {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let extra_stopwords = if config.allowlist.stopwords.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&config.allowlist.stopwords)
                    .map_err(|e| ScanError::Config(format!("allowlist stopwords: {e}")))?,
            )
        };
        let path_allow = if config.allowlist.paths.is_empty() {
            None
        } else {
            let mut b = globset::GlobSetBuilder::new();
            for g in &config.allowlist.paths {
                b.add(
                    globset::Glob::new(g)
                        .map_err(|e| ScanError::Config(format!("allowlist path '{g}': {e}")))?,
                );
            }
            Some(
                b.build()
                    .map_err(|e| ScanError::Config(format!("allowlist paths: {e}")))?,
            )
        };
        Self::assemble(rules, extra_allow, extra_stopwords, path_allow, options)
    }

    fn assemble(
        rules: Vec<CompiledRule>,
        extra_allow: Vec<Regex>,
        extra_stopwords: Option<AhoCorasick>,
        path_allow: Option<globset::GlobSet>,
        options: EngineOptions,
    ) -> Result<SecretsEngine, ScanError> {
        let mut seen = std::collections::HashSet::new();
        for r in &rules {
            if !seen.insert(r.meta.id.as_str()) {
                return Err(ScanError::Rule {
                    id: r.meta.id.clone(),
                    message: "duplicate rule id".into(),
                });
            }
        }
        // Distinct keywords; a rule fires for a hit of any keyword it owns.
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_rules: Vec<Vec<usize>> = Vec::new();
        for (ri, r) in rules.iter().enumerate() {
            for k in &r.keywords {
                match patterns.iter().position(|p| p == k) {
                    Some(pi) => {
                        if !pattern_rules[pi].contains(&ri) {
                            pattern_rules[pi].push(ri)
                        }
                    }
                    None => {
                        patterns.push(k.clone());
                        pattern_rules.push(vec![ri]);
                    }
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| ScanError::RuleFile {
                origin: "keywords".into(),
                message: e.to_string(),
            })?;
        Ok(SecretsEngine {
            rules,
            ac,
            pattern_rules,
            extra_allow,
            extra_stopwords,
            path_allow,
            options,
        })
    }

    /// The active rules.
    pub fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }

    /// Metadata of the active rules.
    pub fn rule_metas(&self) -> Vec<RuleMeta> {
        self.rules.iter().map(|r| r.meta.clone()).collect()
    }

    /// Detect secrets in one buffer. No suppression comments or path allowlists are applied
    /// (see [`SecretsEngine::scan_file`]).
    pub fn scan_content(&self, rel_path: &str, content: &[u8]) -> Vec<Finding> {
        let mut cands = Vec::new();
        self.scan_raw(rel_path, content, &mut cands);
        let index = LineIndex::new(content);
        let mut decoded = Vec::new();
        let decoded_spans = self.scan_kube_secret(rel_path, content, &index, &mut decoded);
        if decoded_spans.is_empty() {
            return cands
                .iter()
                .map(|c| self.finding(rel_path, content, &index, c, None))
                .collect();
        }
        // A base64 value that was decoded is judged by what it decodes to, unless only a
        // generic rule fired on the decoded text and a specific rule knows the encoded form
        // (a `.dockerconfigjson` blob, for instance).
        let is_generic = |id: &str| {
            self.rules
                .iter()
                .find(|r| r.meta.id == id)
                .is_some_and(|r| r.generic)
        };
        let mut findings = Vec::with_capacity(cands.len() + decoded.len());
        let mut raw_wins = Vec::new();
        for c in &cands {
            let Some(&(a, _)) = decoded_spans
                .iter()
                .find(|&&(a, b)| a < c.secret.1 && c.secret.0 < b)
            else {
                findings.push(self.finding(rel_path, content, &index, c, None));
                continue;
            };
            if self.rules[c.rule].generic {
                continue;
            }
            let line = index.position(content, a).0;
            let decoded_specific = decoded
                .iter()
                .any(|f| f.location.start_line == line && !is_generic(&f.rule_id));
            if !decoded_specific {
                raw_wins.push(line);
                findings.push(self.finding(rel_path, content, &index, c, None));
            }
        }
        findings.extend(
            decoded
                .into_iter()
                .filter(|f| !raw_wins.contains(&f.location.start_line)),
        );
        findings
    }

    /// Detect secrets in a file, then drop what `.secops.toml` allowlists by path and what
    /// inline comments suppress. Returns how many findings were suppressed.
    pub fn scan_file(&self, rel_path: &str, content: &[u8], out: &mut Vec<Finding>) -> u64 {
        if let Some(pa) = &self.path_allow {
            if pa.is_match(rel_path) {
                return 0;
            }
        }
        let found = self.scan_content(rel_path, content);
        if found.is_empty() {
            return 0;
        }
        let index = LineIndex::new(content);
        let mut suppressed = 0;
        for f in found {
            let line = index.line_text(content, f.location.start_line);
            let prev = if f.location.start_line > 1 {
                Some(index.line_text(content, f.location.start_line - 1))
            } else {
                None
            };
            if secops_core::suppress::is_suppressed(line, prev, &f.rule_id) {
                suppressed += 1;
            } else {
                out.push(f);
            }
        }
        suppressed
    }

    /// The candidate matches in `content`.
    fn scan_raw(&self, rel_path: &str, content: &[u8], cands: &mut Vec<Candidate>) {
        // 1. keyword hits → (rule, window) pairs
        let mut windows: Vec<(usize, usize, usize)> = Vec::new();
        let mut path_ok: Vec<Option<bool>> = vec![None; self.rules.len()];
        for m in self.ac.find_overlapping_iter(content) {
            for &ri in &self.pattern_rules[m.pattern().as_usize()] {
                let ok = *path_ok[ri].get_or_insert_with(|| self.rules[ri].applies_to(rel_path));
                if !ok {
                    continue;
                }
                let (ws, we) = window(content, m.start(), m.end(), self.rules[ri].multiline);
                windows.push((ri, ws, we));
            }
        }
        if windows.is_empty() {
            return;
        }
        windows.sort_unstable();
        // 2. merge overlapping windows per rule
        let mut merged: Vec<(usize, usize, usize)> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if last.0 == w.0 && w.1 <= last.2 => last.2 = last.2.max(w.2),
                _ => merged.push(w),
            }
        }
        // 3. run each rule's regex in its windows
        let start_len = cands.len();
        for (ri, ws, we) in merged {
            let rule = &self.rules[ri];
            let Some(regex) = rule.regex.get() else {
                continue;
            };
            let group = rule.secret_group(regex);
            let hay = &content[ws..we];
            for caps in regex.captures_iter(hay) {
                let m = match caps.get(group).or_else(|| caps.get(0)) {
                    Some(m) => m,
                    None => continue,
                };
                if m.is_empty() {
                    continue;
                }
                let (s, e) = (ws + m.start(), ws + m.end());
                if let Some(c) = self.check(rule, ri, content, s, e) {
                    cands.push(c);
                }
            }
        }
        // 4. de-duplicate: one finding per span; a generic rule yields to a specific one
        let mut mine: Vec<Candidate> = cands.drain(start_len..).collect();
        mine.sort_by_key(|c| (c.secret.0, self.rules[c.rule].generic, c.rule));
        let specific: Vec<(usize, usize)> = mine
            .iter()
            .filter(|k| !self.rules[k.rule].generic)
            .map(|k| k.secret)
            .collect();
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        let mut kept: Vec<Candidate> = Vec::with_capacity(mine.len());
        for c in mine {
            let generic = self.rules[c.rule].generic;
            if generic && specific.iter().any(|&s| overlaps(s, c.secret)) {
                continue;
            }
            let dup = kept.iter().rev().take(16).any(|k| {
                k.secret == c.secret
                    || (generic && self.rules[k.rule].generic && overlaps(k.secret, c.secret))
            });
            if !dup {
                kept.push(c);
            }
        }
        cands.extend(kept);
    }

    /// Filters applied to one regex match.
    fn check(
        &self,
        rule: &CompiledRule,
        ri: usize,
        content: &[u8],
        s: usize,
        e: usize,
    ) -> Option<Candidate> {
        let raw = &content[s..e];
        let mut decoded_value = None;
        if rule.allowlist.iter().any(|r| r.is_match(raw)) {
            return None;
        }
        let value: &[u8] = match rule.decode {
            Some(kind) => {
                let dec = decode_b64(raw)?;
                if dec.is_empty() || !dec.iter().all(|b| (0x20..0x7f).contains(b)) {
                    return None;
                }
                let secret = match (kind, memchr::memchr(b':', &dec)) {
                    (DecodeKind::BasicAuth, Some(i)) if i > 0 && dec.len() - i > 3 => {
                        dec[i + 1..].to_vec()
                    }
                    (DecodeKind::BasicAuth, _) => return None,
                    (DecodeKind::Base64, _) => dec,
                };
                decoded_value = Some(secret);
                decoded_value.as_deref().unwrap_or_default()
            }
            None => raw,
        };
        if value.is_empty() {
            return None;
        }
        let ent = entropy::shannon(value);
        if let Some(min) = rule.entropy {
            if ent < min {
                return None;
            }
        }
        if rule.allowlist.iter().any(|r| r.is_match(value)) {
            return None;
        }
        let block = memchr::memmem::find(value, b"-----BEGIN").is_some();
        if block {
            if is_doc_placeholder_block(value) {
                return None;
            }
        } else if allowlist::is_placeholder(value) {
            return None;
        }
        if self.extra_allow.iter().any(|r| r.is_match(value)) {
            return None;
        }
        if let Some(sw) = &self.extra_stopwords {
            if sw.is_match(value) {
                return None;
            }
        }
        if let Some((near, lines)) = &rule.near {
            let (a, b) = lines_around(content, s, e, *lines);
            if !near.is_match(&content[a..b]) {
                return None;
            }
        }
        Some(Candidate {
            rule: ri,
            secret: (s, e),
            entropy: ent,
            decoded_value,
        })
    }

    fn finding(
        &self,
        rel_path: &str,
        content: &[u8],
        index: &LineIndex,
        c: &Candidate,
        at: Option<(usize, usize)>,
    ) -> Finding {
        let rule = &self.rules[c.rule];
        let (s, e) = at.unwrap_or(c.secret);
        let raw = &content[c.secret.0..c.secret.1];
        let value: &[u8] = c.decoded_value.as_deref().unwrap_or(raw);
        let (start_line, start_col) = index.position(content, s);
        let (end_line, end_col) = index.position(content, e);
        let shown = if self.options.show_secrets {
            String::from_utf8_lossy(value).into_owned()
        } else {
            redact(value)
        };
        let line = index.line_text(content, start_line);
        let snippet = if rule.multiline {
            Some(
                String::from_utf8_lossy(trim_bytes(line))
                    .chars()
                    .take(120)
                    .collect(),
            )
        } else {
            Some(snippet(
                line,
                s - index.line_start(start_line),
                e.min(s + line.len()) - s,
                &shown,
            ))
        };
        Finding {
            rule_id: rule.meta.id.clone(),
            kind: FindingKind::Secret,
            severity: rule.meta.severity,
            confidence: rule.confidence,
            message: format!("{} ({})", rule.meta.title, shown),
            location: Location {
                path: rel_path.to_string(),
                start_line,
                start_column: start_col,
                end_line,
                end_column: end_col,
            },
            fingerprint: fingerprint(&rule.meta.id, rel_path, value),
            details: Details::Secret(SecretDetails {
                secret: shown,
                entropy: (c.entropy * 1000.0).round() / 1000.0,
                snippet,
                decoded: c.decoded_value.is_some() || at.is_some(),
                commit: None,
                author: None,
                date: None,
            }),
        }
    }

    /// Kubernetes `Secret` manifests keep values base64-encoded under `data:`: decode each value
    /// and scan `key: decoded` so both provider formats and key-name context rules can fire.
    /// Returns the byte spans of the values that were decoded.
    fn scan_kube_secret(
        &self,
        rel_path: &str,
        content: &[u8],
        index: &LineIndex,
        out: &mut Vec<Finding>,
    ) -> Vec<(usize, usize)> {
        static KIND: OnceLock<Option<Regex>> = OnceLock::new();
        static ENTRY: OnceLock<Option<Regex>> = OnceLock::new();
        let kind = KIND.get_or_init(|| {
            RegexBuilder::new(r#"(?m)^\s*"?kind"?\s*:\s*"?Secret"?\s*,?\s*$"#)
                .unicode(false)
                .build()
                .ok()
        });
        let entry = ENTRY.get_or_init(|| {
            RegexBuilder::new(r#"(?m)^[ \t]+"?([A-Za-z0-9_.\-]+)"?[ \t]*:[ \t]*"?([A-Za-z0-9+/]{8,}={0,2})"?[ \t]*,?[ \t]*\r?$"#)
                .unicode(false)
                .build()
                .ok()
        });
        let mut spans = Vec::new();
        let (Some(kind), Some(entry)) = (kind, entry) else {
            return spans;
        };
        if memchr::memmem::find(content, b"Secret").is_none() || !kind.is_match(content) {
            return spans;
        }
        for caps in entry.captures_iter(content) {
            let (Some(key), Some(val)) = (caps.get(1), caps.get(2)) else {
                continue;
            };
            if val.len() % 4 != 0 {
                continue;
            }
            let Some(decoded) = decode_b64(val.as_bytes()) else {
                continue;
            };
            if decoded.is_empty() || decoded.contains(&0) {
                continue;
            }
            spans.push((val.start(), val.end()));
            let mut text = Vec::with_capacity(key.len() + decoded.len() + 4);
            text.extend_from_slice(key.as_bytes());
            text.extend_from_slice(b": ");
            // Quote one-line values so code-style generic rules see a literal.
            let one_line = !decoded.contains(&b'\n');
            if one_line {
                text.push(b'"');
            }
            text.extend_from_slice(&decoded);
            if one_line {
                text.push(b'"');
            }
            text.push(b'\n');
            let mut cands = Vec::new();
            self.scan_raw(rel_path, &text, &mut cands);
            let sub_index = LineIndex::new(&text);
            for c in cands {
                let mut f = self.finding(rel_path, &text, &sub_index, &c, None);
                let (sl, sc) = index.position(content, val.start());
                let (el, ec) = index.position(content, val.end());
                f.location = Location {
                    path: rel_path.to_string(),
                    start_line: sl,
                    start_column: sc,
                    end_line: el,
                    end_column: ec,
                };
                if let Details::Secret(d) = &mut f.details {
                    d.decoded = true;
                    d.snippet = Some(
                        String::from_utf8_lossy(trim_bytes(index.line_text(content, sl)))
                            .chars()
                            .take(60)
                            .collect::<String>()
                            .replace(
                                std::str::from_utf8(val.as_bytes()).unwrap_or(""),
                                "<base64>",
                            ),
                    );
                }
                out.push(f);
            }
        }
        spans
    }
}

/// A walker visitor: secrets in every file of the walk.
pub struct SecretsVisitor<'a> {
    pub engine: &'a SecretsEngine,
}

impl FileVisitor for SecretsVisitor<'_> {
    fn visit(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        out.suppressed += self
            .engine
            .scan_file(file.rel_path, file.content, &mut out.findings);
    }
}

fn decode_b64(raw: &[u8]) -> Option<Vec<u8>> {
    let trimmed: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(&trimmed)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&trimmed))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&trimmed))
        .ok()
}

/// A private-key block whose body is an obvious placeholder (`...`, `xxxx`, `<key>`).
/// The block may be indented (YAML `|`, heredocs) or JSON-escaped (`\n` inside a string).
fn is_doc_placeholder_block(v: &[u8]) -> bool {
    let mut body: Vec<u8> = Vec::with_capacity(v.len());
    let normalised: Vec<u8> = {
        let mut out = Vec::with_capacity(v.len());
        let mut i = 0;
        while i < v.len() {
            if v[i] == b'\\' && matches!(v.get(i + 1), Some(b'n') | Some(b'r')) {
                out.push(b'\n');
                i += 2;
            } else {
                out.push(v[i]);
                i += 1;
            }
        }
        out
    };
    for line in normalised.split(|&b| b == b'\n') {
        let t = trim_bytes(line);
        let t = t.strip_prefix(b"\"").unwrap_or(t);
        let t = t
            .strip_suffix(b"\",")
            .or_else(|| t.strip_suffix(b"\""))
            .unwrap_or(t);
        // header/footer lines and PEM headers such as `Proc-Type: 4,ENCRYPTED`
        if t.is_empty() || memchr::memmem::find(t, b"-----").is_some() || t.contains(&b':') {
            continue;
        }
        body.extend_from_slice(t);
    }
    // Long random bodies would hit short stopwords (`xxxx`) by chance: only obvious fillers.
    body.len() < 16 || memchr::memmem::find(&body, b"...").is_some() || allowlist::is_filler(&body)
}

/// The window for a keyword hit at `[s, e)`: its line (clipped on very long lines), or a block
/// reaching forward for multi-line rules.
fn window(content: &[u8], s: usize, e: usize, multiline: bool) -> (usize, usize) {
    let line_start = memchr::memrchr(b'\n', &content[..s]).map_or(0, |i| i + 1);
    let ws = if s - line_start > LONG_LINE_REACH {
        s - LONG_LINE_REACH
    } else {
        line_start
    };
    let limit = if multiline {
        (e + MULTILINE_REACH).min(content.len())
    } else {
        (e + LONG_LINE_REACH).min(content.len())
    };
    let we = if multiline {
        // extend to the end of the line at the limit
        match memchr::memchr(b'\n', &content[limit..]) {
            Some(i) if i < 256 => limit + i,
            _ => limit,
        }
    } else {
        memchr::memchr(b'\n', &content[e..limit]).map_or(limit, |i| e + i)
    };
    (ws, we)
}

/// Byte range covering `lines` lines before and after `[s, e)`.
fn lines_around(content: &[u8], s: usize, e: usize, lines: usize) -> (usize, usize) {
    let mut a = s;
    for _ in 0..=lines {
        match memchr::memrchr(b'\n', &content[..a]) {
            Some(i) => a = i,
            None => {
                a = 0;
                break;
            }
        }
    }
    let mut b = e;
    for _ in 0..=lines {
        match memchr::memchr(b'\n', &content[b..]) {
            Some(i) => b = b + i + 1,
            None => {
                b = content.len();
                break;
            }
        }
    }
    (a, b.min(content.len()))
}

/// Newline offsets of a buffer, for line/column lookups.
pub struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub fn new(content: &[u8]) -> LineIndex {
        LineIndex {
            newlines: memchr::memchr_iter(b'\n', content).collect(),
        }
    }

    /// 1-based line and column (in characters) of byte offset `at`.
    pub fn position(&self, content: &[u8], at: usize) -> (usize, usize) {
        let line_idx = self.newlines.partition_point(|&nl| nl < at);
        let start = if line_idx == 0 {
            0
        } else {
            self.newlines[line_idx - 1] + 1
        };
        let at = at.min(content.len());
        let col = String::from_utf8_lossy(&content[start..at.max(start)])
            .chars()
            .count()
            + 1;
        (line_idx + 1, col)
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        if line <= 1 {
            0
        } else {
            self.newlines.get(line - 2).map_or(usize::MAX, |&nl| nl + 1)
        }
    }

    /// Text of 1-based `line` without its newline.
    pub fn line_text<'c>(&self, content: &'c [u8], line: usize) -> &'c [u8] {
        let start = self.line_start(line).min(content.len());
        let end = self
            .newlines
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(content.len())
            .min(content.len());
        let t = &content[start..end.max(start)];
        t.strip_suffix(b"\r").unwrap_or(t)
    }
}

/// Redact a secret: a short prefix stays visible to help locate it, the rest is masked.
pub fn redact(value: &[u8]) -> String {
    let s = String::from_utf8_lossy(value);
    let n = s.chars().count();
    let keep = (n / 6).min(4);
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(&"*".repeat((n - keep).clamp(3, 12)));
    out
}

fn trim_bytes(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &s[start..end.max(start)]
}

/// The source line with the secret replaced by its shown form, cut to a readable width.
fn snippet(line: &[u8], at: usize, len: usize, shown: &str) -> String {
    let at = at.min(line.len());
    let end = (at + len).min(line.len());
    let before = String::from_utf8_lossy(&line[..at]);
    let after = String::from_utf8_lossy(&line[end..]);
    let before: String = {
        let t = before.trim_start();
        let n = t.chars().count();
        if n > 60 {
            format!("…{}", t.chars().skip(n - 60).collect::<String>())
        } else {
            t.to_string()
        }
    };
    let after: String = {
        let t = after.trim_end();
        if t.chars().count() > 40 {
            format!("{}…", t.chars().take(40).collect::<String>())
        } else {
            t.to_string()
        }
    };
    format!("{before}{shown}{after}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_positions() {
        let c = "ab\ncdé\nx".as_bytes();
        let idx = LineIndex::new(c);
        assert_eq!(idx.position(c, 0), (1, 1));
        assert_eq!(idx.position(c, 3), (2, 1));
        assert_eq!(idx.position(c, 8), (3, 1));
        assert_eq!(idx.line_text(c, 2), "cdé".as_bytes());
        assert_eq!(idx.line_text(c, 3), b"x");
    }

    #[test]
    fn redaction_hides_most() {
        let r = redact(b"ghp_abcdefghijklmnopqrstuvwxyz0123456789");
        assert!(r.starts_with("ghp_"));
        assert!(!r.contains("abcdef"));
        assert_eq!(redact(b"short"), "*****");
    }

    #[test]
    fn windows() {
        let c = b"line one\nkey = secret\nthree";
        let (a, b) = window(c, 9, 12, false);
        assert_eq!(&c[a..b], b"key = secret");
        let (a, b) = lines_around(c, 9, 12, 1);
        assert_eq!(&c[a..b], &c[..]);
        let (a, b) = lines_around(c, 9, 12, 0);
        assert_eq!(&c[a..b], b"\nkey = secret\n");
    }
}
