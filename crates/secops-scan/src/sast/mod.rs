//! Static analysis: tree-sitter front-ends lower each file to a small IR ([`ir`]), and one
//! taint engine ([`taint`]) follows untrusted data from sources to sinks, with rules as data
//! in `rules/<language>.toml` ([`spec`]).

pub mod chunk;
pub mod ir;
pub mod lang;
pub mod prune;
pub mod spec;
pub mod taint;

use crate::ScanError;
use regex::Regex;
use secops_core::finding::fingerprint;
use secops_core::walk::{FileOutput, FileVisitor, SourceFile};
use secops_core::{
    Confidence, Details, Finding, FindingKind, Location, Notice, NoticeKind, RuleMeta, SastDetails,
    TraceStep,
};
use spec::{LangSpec, PatternSpec, SinkSpec, SourceSpec};
use std::cell::RefCell;
use std::sync::{mpsc, Arc};

/// Languages with a front-end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Python,
    JavaScript,
    TypeScript,
    Java,
    Go,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
        Language::Java,
        Language::Go,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Java => "java",
            Language::Go => "go",
        }
    }

    /// The rule-file family (TypeScript shares JavaScript's rules).
    pub fn rules_name(self) -> &'static str {
        match self {
            Language::TypeScript => "javascript",
            other => other.name(),
        }
    }

    pub fn from_name(s: &str) -> Option<Language> {
        match s.to_ascii_lowercase().as_str() {
            "python" | "py" => Some(Language::Python),
            "javascript" | "js" => Some(Language::JavaScript),
            "typescript" | "ts" => Some(Language::TypeScript),
            "java" => Some(Language::Java),
            "go" | "golang" => Some(Language::Go),
            _ => None,
        }
    }

    pub fn from_path(path: &str) -> Option<Language> {
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "py" | "pyw" => Some(Language::Python),
            "js" | "jsx" | "mjs" | "cjs" => Some(Language::JavaScript),
            "ts" | "tsx" | "mts" | "cts" => Some(Language::TypeScript),
            "java" => Some(Language::Java),
            "go" => Some(Language::Go),
            _ => None,
        }
    }
}

/// Built-in rule files.
pub fn builtin_spec_text(rules_name: &str) -> &'static str {
    match rules_name {
        "python" => include_str!("../../rules/python.toml"),
        "javascript" => include_str!("../../rules/javascript.toml"),
        "java" => include_str!("../../rules/java.toml"),
        "go" => include_str!("../../rules/go.toml"),
        _ => "",
    }
}

pub struct CompiledSink {
    pub spec: SinkSpec,
    pub rule: usize,
    pub arg_regex: Option<Regex>,
    pub unless: Option<(String, Option<Regex>)>,
}

pub struct CompiledPattern {
    pub spec: PatternSpec,
    pub rule: usize,
    pub regex: Option<Regex>,
    pub unless: Option<(String, Option<Regex>)>,
}

type CallCondC = Option<(String, Option<Regex>)>;

fn compile_call_cond(c: &Option<spec::CallCond>) -> Result<CallCondC, regex::Error> {
    match c {
        None => Ok(None),
        Some(c) => Ok(Some((
            c.method.clone(),
            match &c.args {
                Some(r) => Some(Regex::new(&format!("(?i){r}"))?),
                None => None,
            },
        ))),
    }
}

/// Rule patterns indexed by their last path segment (the method or attribute name), so a
/// call is only compared with the few patterns that can match it.
#[derive(Debug, Default)]
pub struct PatIndex {
    by_last: rustc_hash::FxHashMap<String, Vec<usize>>,
    wild: Vec<usize>,
}

/// The last dotted segment of a path (`execute` for `self.db.execute`).
pub fn last_seg(path: &str) -> &str {
    match memchr::memrchr(b'.', path.as_bytes()) {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

impl PatIndex {
    fn build<'a>(patterns: impl Iterator<Item = Option<&'a str>>) -> PatIndex {
        let mut idx = PatIndex::default();
        for (i, p) in patterns.enumerate() {
            let Some(p) = p else { continue };
            let last = last_seg(p);
            if last == "*" || last == "**" {
                idx.wild.push(i);
            } else {
                idx.by_last.entry(last.to_string()).or_default().push(i);
            }
        }
        idx
    }

    /// Whether a pattern that is not a wildcard ends in `last`.
    pub fn has_last(&self, last: &str) -> bool {
        self.by_last.contains_key(last)
    }

    /// Whether some pattern may match a path whose last segment is `last`.
    pub fn may_match_last(&self, last: &str) -> bool {
        !self.wild.is_empty() || self.by_last.contains_key(last)
    }

    /// Indices (in rule order) of patterns that may match `a` or `b`.
    pub fn candidates(&self, a: &str, b: &str) -> std::borrow::Cow<'_, [usize]> {
        use std::borrow::Cow;
        let la = last_seg(a);
        let lb = last_seg(b);
        let va = self.by_last.get(la).map(Vec::as_slice).unwrap_or(&[]);
        let vb = if lb != la {
            self.by_last.get(lb).map(Vec::as_slice).unwrap_or(&[])
        } else {
            &[]
        };
        if self.wild.is_empty() && vb.is_empty() {
            // The common case: one bucket, already in rule order (no allocation).
            return Cow::Borrowed(va);
        }
        if self.wild.is_empty() && va.is_empty() {
            return Cow::Borrowed(vb);
        }
        let mut out: Vec<usize> = self.wild.clone();
        out.extend_from_slice(va);
        out.extend_from_slice(vb);
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
        Cow::Owned(out)
    }
}

/// Literals of which at least one occurs (as a whole word) in every file that can produce a
/// finding: the longest named segment of every source and call-pattern path, and the
/// names of parameter annotations, types and functions that mark sources. Files with none of
/// them are not parsed at all.
pub struct Triggers {
    ac: aho_corasick::AhoCorasick,
}

impl Triggers {
    fn build(spec_sources: &[SourceSpec], patterns: &[CompiledPattern]) -> Triggers {
        let mut words: Vec<String> = Vec::new();
        let add_path = |p: &str, words: &mut Vec<String>| {
            let segs: Vec<&str> = p
                .split('.')
                .filter(|s| !s.is_empty() && *s != "*" && *s != "**" && *s != "?")
                .collect();
            // Every named segment of a matching path occurs in the file (methods and
            // attributes as written, types from declarations, modules from imports), so the
            // longest, most selective one is enough.
            if let Some(s) = segs.iter().max_by_key(|s| s.len()) {
                words.push((*s).to_string());
            }
        };
        for s in spec_sources {
            if let Some(p) = &s.pattern {
                add_path(p, &mut words);
            }
            for name in [&s.param_annotation, &s.param_type, &s.param_of]
                .into_iter()
                .flatten()
            {
                // Annotations some front-ends synthesise, and the words they come from.
                let w = match name.as_str() {
                    "route_param" => "route",
                    "$main-args" => "main",
                    other => other,
                };
                words.push(w.to_string());
            }
        }
        for p in patterns {
            add_path(&p.spec.pattern, &mut words);
        }
        words.sort();
        words.dedup();
        let ac = aho_corasick::AhoCorasick::new(&words)
            .expect("a few hundred short words always build an automaton");
        Triggers { ac }
    }

    /// Whether some trigger occurs in `content` as a whole word.
    pub fn any_in(&self, content: &[u8]) -> bool {
        self.ac
            .find_overlapping_iter(content)
            .any(|m| whole_word(content, m.start(), m.end()))
    }
}

fn whole_word(content: &[u8], start: usize, end: usize) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let before = start.checked_sub(1).map(|i| content[i]);
    let after = content.get(end).copied();
    !before.is_some_and(word) && !after.is_some_and(word)
}

/// The literal words of a wildcard rule path and of its keyword condition
/// (`subprocess.*` + `shell` → `subprocess`, `shell`): a file without one of them cannot match.
fn wild_entry_words(pattern: &str, kwarg: Option<&str>) -> Vec<String> {
    pattern
        .split('.')
        .chain(kwarg.map(last_seg))
        .filter(|w| !w.contains('*') && !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// One language's rules, ready for the engine.
pub struct CompiledLang {
    pub triggers: Triggers,
    /// What makes a function worth parsing (see `chunk`).
    pub seeds: chunk::Seeds,
    pub source_idx: PatIndex,
    pub sink_idx: PatIndex,
    pub sanitizer_idx: PatIndex,
    pub propagator_idx: PatIndex,
    pub pattern_idx: PatIndex,
    /// Sinks and patterns that match assignment targets (`el.innerHTML = x`), by last segment.
    pub assign_sink_idx: PatIndex,
    pub assign_pattern_idx: PatIndex,
    /// For each sink or call pattern whose last segment is a wildcard, the words a file must
    /// contain for it to match anything there (see `prune`).
    pub wild_words: Vec<Vec<String>>,
    /// Sinks and call patterns by their last two segments (see `prune`).
    pub prune_idx: prune::PruneIndex,
    pub rules: Vec<RuleMeta>,
    pub categories: Vec<String>,
    /// Category bit of each rule.
    pub rule_bits: Vec<u64>,
    pub sources: Vec<SourceSpec>,
    pub sinks: Vec<CompiledSink>,
    /// (pattern, category mask — `u64::MAX` for all —, data argument)
    pub sanitizers: Vec<(String, u64, Option<usize>)>,
    pub propagators: Vec<(String, String)>,
    pub patterns: Vec<CompiledPattern>,
    /// Method names that some rule looks up in a receiver's configuration history
    /// (`unless_receiver_called`, `unless_arg_called`): only these calls are recorded.
    pub history_methods: std::collections::HashSet<String>,
}

impl CompiledLang {
    pub fn compile(
        rules_name: &str,
        spec: LangSpec,
        origin: &str,
    ) -> Result<CompiledLang, ScanError> {
        let err = |m: String| ScanError::RuleFile {
            origin: origin.to_string(),
            message: m,
        };
        let mut categories: Vec<String> = Vec::new();
        let mut rules = Vec::new();
        let mut rule_bits = Vec::new();
        for r in &spec.rule {
            if rules.iter().any(|m: &RuleMeta| m.id == r.id) {
                return Err(err(format!("duplicate rule id {}", r.id)));
            }
            let ci = match categories.iter().position(|c| c == &r.category) {
                Some(i) => i,
                None => {
                    categories.push(r.category.clone());
                    categories.len() - 1
                }
            };
            if ci >= 63 {
                return Err(err("too many categories".into()));
            }
            rule_bits.push(1u64 << ci);
            rules.push(RuleMeta {
                id: r.id.clone(),
                kind: FindingKind::Sast,
                title: r.title.clone(),
                help: r.help.clone(),
                severity: r.severity,
                cwe: r.cwe.clone(),
                owasp: r.owasp.clone(),
                tags: vec![r.category.clone()],
            });
        }
        let rule_index = |id: &str| {
            rules
                .iter()
                .position(|m: &RuleMeta| m.id == id)
                .ok_or_else(|| err(format!("unknown rule '{id}'")))
        };
        let mut sinks = Vec::new();
        for s in spec.sink {
            let rule = rule_index(&s.rule)?;
            let arg_regex = match &s.when_arg_matches {
                Some(c) => Some(
                    Regex::new(&format!("(?i){}", c.regex))
                        .map_err(|e| err(format!("sink {}: {e}", s.pattern)))?,
                ),
                None => None,
            };
            let unless = compile_call_cond(&s.unless_receiver_called)
                .map_err(|e| err(format!("sink {}: {e}", s.pattern)))?;
            sinks.push(CompiledSink {
                spec: s,
                rule,
                arg_regex,
                unless,
            });
        }
        let mut patterns = Vec::new();
        for p in spec.pattern {
            let rule = rule_index(&p.rule)?;
            let regex = match &p.regex {
                Some(r) => Some(
                    Regex::new(&format!("(?i){r}"))
                        .map_err(|e| err(format!("pattern {}: {e}", p.pattern)))?,
                ),
                None => None,
            };
            let unless = compile_call_cond(&p.unless_arg_called)
                .map_err(|e| err(format!("pattern {}: {e}", p.pattern)))?;
            patterns.push(CompiledPattern {
                spec: p,
                rule,
                regex,
                unless,
            });
        }
        let mut sanitizers = Vec::new();
        for s in spec.sanitizer {
            let mut mask = 0u64;
            for c in &s.categories {
                if c == "*" {
                    mask = u64::MAX;
                } else if let Some(i) = categories.iter().position(|x| x == c) {
                    mask |= 1 << i;
                } else {
                    return Err(err(format!(
                        "sanitizer {}: unknown category '{c}'",
                        s.pattern
                    )));
                }
            }
            sanitizers.push((s.pattern, mask, s.arg));
        }
        for s in &spec.source {
            if s.pattern.is_none() && s.param_annotation.is_none() && s.param_type.is_none() {
                return Err(err(
                    "a source needs pattern, param_annotation or param_type".into(),
                ));
            }
        }
        let propagators: Vec<(String, String)> = spec
            .propagator
            .into_iter()
            .map(|p| (p.pattern, p.effect))
            .collect();
        let history_methods = sinks
            .iter()
            .filter_map(|s| s.unless.as_ref())
            .chain(patterns.iter().filter_map(|p| p.unless.as_ref()))
            .map(|(m, _)| m.clone())
            .collect();
        let seeds = chunk::Seeds::build(
            rules_name,
            spec.source
                .iter()
                .filter_map(|s| s.pattern.as_deref())
                .chain(patterns.iter().map(|p| p.spec.pattern.as_str())),
            spec.source.iter().flat_map(|s| {
                [&s.param_annotation, &s.param_type, &s.param_of]
                    .into_iter()
                    .flatten()
                    .map(|w| match w.as_str() {
                        "route_param" => "route",
                        "$main-args" => "main",
                        other => other,
                    })
            }),
        );
        let wild_words = sinks
            .iter()
            .map(|s| (s.spec.pattern.as_str(), s.spec.when_kwarg.as_ref()))
            .chain(
                patterns
                    .iter()
                    .filter(|p| !p.spec.function)
                    .map(|p| (p.spec.pattern.as_str(), p.spec.kwarg.as_ref())),
            )
            .filter(|(pat, _)| matches!(last_seg(pat), "*" | "**"))
            .map(|(pat, kw)| wild_entry_words(pat, kw.map(|k| k.name.as_str())))
            .collect();
        let prune_idx = prune::build_index(
            sinks.iter().map(|s| s.spec.pattern.as_str()).chain(
                patterns
                    .iter()
                    .filter(|p| !p.spec.function)
                    .map(|p| p.spec.pattern.as_str()),
            ),
        );
        Ok(CompiledLang {
            prune_idx,
            wild_words,
            history_methods,
            seeds,
            triggers: Triggers::build(&spec.source, &patterns),
            source_idx: PatIndex::build(spec.source.iter().map(|s| s.pattern.as_deref())),
            sink_idx: PatIndex::build(sinks.iter().map(|s| Some(s.spec.pattern.as_str()))),
            sanitizer_idx: PatIndex::build(sanitizers.iter().map(|s| Some(s.0.as_str()))),
            propagator_idx: PatIndex::build(
                propagators
                    .iter()
                    .map(|p: &(String, String)| Some(p.0.as_str())),
            ),
            pattern_idx: PatIndex::build(patterns.iter().map(|p| Some(p.spec.pattern.as_str()))),
            assign_sink_idx: PatIndex::build(
                sinks
                    .iter()
                    .map(|s| s.spec.assign.then_some(s.spec.pattern.as_str())),
            ),
            assign_pattern_idx: PatIndex::build(
                patterns
                    .iter()
                    .map(|p| p.spec.assign.then_some(p.spec.pattern.as_str())),
            ),
            rules,
            categories,
            rule_bits,
            sources: spec.source,
            sinks,
            sanitizers,
            propagators,
            patterns,
        })
    }
}

/// Options for the SAST engine.
#[derive(Debug, Clone)]
pub struct SastOptions {
    /// Languages analysed (empty = all).
    pub languages: Vec<Language>,
    /// Abstract-interpretation steps allowed per file before giving up with a notice.
    pub step_budget: usize,
    /// Files larger than this are not parsed (a notice says so).
    pub max_bytes: usize,
}

impl Default for SastOptions {
    fn default() -> Self {
        SastOptions {
            languages: Vec::new(),
            step_budget: 2_000_000,
            max_bytes: 5 * 1024 * 1024 + 1024,
        }
    }
}

pub struct SastEngine {
    langs: Vec<(String, Arc<CompiledLang>)>,
    options: SastOptions,
}

impl SastEngine {
    pub fn builtin(options: SastOptions) -> Result<SastEngine, ScanError> {
        SastEngine::with_config(&secops_core::Config::default(), options)
    }

    /// Built-in rules plus the `[sast.<language>]` sections of `.secops.toml`.
    pub fn with_config(
        config: &secops_core::Config,
        options: SastOptions,
    ) -> Result<SastEngine, ScanError> {
        const NAMES: [&str; 4] = ["python", "javascript", "java", "go"];
        if let Some(bad) = config.sast.keys().find(|k| !NAMES.contains(&k.as_str())) {
            return Err(ScanError::Config(format!(
                "[sast.{bad}]: unknown language (expected python, javascript, java or go)"
            )));
        }
        let mut langs = Vec::new();
        for name in NAMES {
            let text = builtin_spec_text(name);
            let mut spec: LangSpec = toml::from_str(text).map_err(|e| ScanError::RuleFile {
                origin: format!("rules/{name}.toml"),
                message: e.to_string(),
            })?;
            if let Some(extra) = config.sast.get(name) {
                let extra: LangSpec = extra.clone().try_into().map_err(|e: toml::de::Error| {
                    ScanError::Config(format!("[sast.{name}]: {}", e.message()))
                })?;
                spec.rule.extend(extra.rule);
                spec.source.extend(extra.source);
                spec.sink.extend(extra.sink);
                spec.sanitizer.extend(extra.sanitizer);
                spec.propagator.extend(extra.propagator);
                spec.pattern.extend(extra.pattern);
            }
            langs.push((
                name.to_string(),
                Arc::new(CompiledLang::compile(
                    name,
                    spec,
                    &format!("rules/{name}.toml"),
                )?),
            ));
        }
        Ok(SastEngine { langs, options })
    }

    pub fn lang(&self, rules_name: &str) -> Option<&CompiledLang> {
        self.lang_shared(rules_name).map(|l| &**l)
    }

    fn lang_shared(&self, rules_name: &str) -> Option<&Arc<CompiledLang>> {
        self.langs
            .iter()
            .find(|(n, _)| n == rules_name)
            .map(|(_, l)| l)
    }

    pub fn rule_metas(&self) -> Vec<RuleMeta> {
        self.langs
            .iter()
            .flat_map(|(_, l)| l.rules.iter().cloned())
            .collect()
    }

    /// Analyse one file's content; findings and notices go to `out`.
    pub fn scan_content(&self, rel_path: &str, content: &[u8], out: &mut FileOutput) {
        let Some(language) = Language::from_path(rel_path) else {
            return;
        };
        if !self.options.languages.is_empty() && !self.options.languages.contains(&language) {
            return;
        }
        let Some(lang) = self.lang_shared(language.rules_name()) else {
            return;
        };
        if content.len() > self.options.max_bytes {
            out.notices.push(Notice::new(
                NoticeKind::Budget,
                Some(rel_path.to_string()),
                format!(
                    "{} bytes is over the SAST size budget; not analysed",
                    content.len()
                ),
            ));
            return;
        }
        // No source and no call-pattern word anywhere: nothing to find, skip the parse.
        if !lang.triggers.any_in(content) {
            return;
        }
        let job = Job {
            rel_path: rel_path.to_string(),
            content: content.to_vec(),
            language,
            lang: Arc::clone(lang),
            budget: self.options.step_budget,
        };
        match run_job(job) {
            Some(file_out) => {
                out.findings.extend(file_out.findings);
                out.notices.extend(file_out.notices);
                out.suppressed += file_out.suppressed;
            }
            None => out.notices.push(Notice::new(
                NoticeKind::Other,
                Some(rel_path.to_string()),
                "internal error while analysing this file; skipped",
            )),
        }
    }
}

/// One file to analyse on an analysis thread.
struct Job {
    rel_path: String,
    content: Vec<u8>,
    language: Language,
    lang: Arc<CompiledLang>,
    budget: usize,
}

/// The analysis thread of the current walker thread: jobs in, results out (`None` when the
/// analysis panicked).
type Worker = (mpsc::Sender<Job>, mpsc::Receiver<Option<FileOutput>>);

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Lowering and analysis recurse over the syntax tree: they run on a thread with a large
/// stack, so pathological nesting cannot overflow a walker thread's stack. Each walker thread
/// keeps one such thread for all its files (a thread per file would start a fresh allocator
/// heap, and fault in fresh pages, for every file). `None` when the analysis panicked.
fn run_job(job: Job) -> Option<FileOutput> {
    WORKER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = spawn_worker();
        }
        let (tx, rx) = slot.as_ref()?;
        let result = tx.send(job).ok().and_then(|()| rx.recv().ok());
        match result {
            Some(r) => r,
            None => {
                // The thread is gone: start a new one for the next file.
                *slot = None;
                None
            }
        }
    })
}

fn spawn_worker() -> Option<Worker> {
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let (out_tx, out_rx) = mpsc::channel::<Option<FileOutput>>();
    std::thread::Builder::new()
        .name("secops-sast".into())
        .stack_size(ANALYSIS_STACK)
        .spawn(move || {
            for job in job_rx {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    analyze_file(
                        &job.rel_path,
                        &job.content,
                        job.language,
                        &job.lang,
                        job.budget,
                    )
                }));
                if out_tx.send(r.ok()).is_err() {
                    break;
                }
            }
        })
        .ok()?;
    Some((job_tx, out_rx))
}

/// Stack for one file's lowering and analysis.
const ANALYSIS_STACK: usize = 256 * 1024 * 1024;

/// Parse, lower and analyse one file (runs on its own thread).
fn analyze_file(
    rel_path: &str,
    content: &[u8],
    language: Language,
    lang: &CompiledLang,
    budget: usize,
) -> FileOutput {
    let mut out = FileOutput::default();
    // Parse only the units that can matter (see `chunk`); `SECOPS_SAST_FULL_PARSE` turns
    // this off (used by the benchmark to check that the findings are the same).
    let ranges = if std::env::var_os("SECOPS_SAST_FULL_PARSE").is_some() {
        None
    } else {
        chunk::plan(language, content, &lang.seeds)
    };
    let lowered = match lang::lower_path(rel_path, language, content, ranges.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            let kind = if e.contains("budget") {
                NoticeKind::Budget
            } else {
                NoticeKind::ParseError
            };
            out.notices
                .push(Notice::new(kind, Some(rel_path.to_string()), e));
            return out;
        }
    };
    if lowered.syntax_errors > 0 {
        out.notices.push(Notice::new(
            NoticeKind::ParseError,
            Some(rel_path.to_string()),
            format!(
                "{} syntax error(s); analysed what parsed",
                lowered.syntax_errors
            ),
        ));
    }
    let entries = prune::entry_points(&lowered.module, lang, content);
    let (hits, exhausted) = taint::analyze(&lowered.module, lang, budget, entries.as_deref());
    if exhausted {
        out.notices.push(Notice::new(
            NoticeKind::Budget,
            Some(rel_path.to_string()),
            "analysis budget exceeded; results for this file are partial",
        ));
    }
    if hits.is_empty() {
        return out;
    }
    let lines: Vec<&[u8]> = content.split(|&b| b == b'\n').collect();
    for h in hits {
        let f = to_finding(rel_path, lang, &h, &lines);
        let line = lines
            .get(f.location.start_line.saturating_sub(1))
            .copied()
            .unwrap_or_default();
        let prev = if f.location.start_line > 1 {
            lines.get(f.location.start_line - 2).copied()
        } else {
            None
        };
        if secops_core::suppress::is_suppressed(line, prev, &f.rule_id) {
            out.suppressed += 1;
        } else {
            out.findings.push(f);
        }
    }
    out
}

fn snippet_of(lines: &[&[u8]], line: usize) -> String {
    let l = lines
        .get(line.saturating_sub(1))
        .copied()
        .unwrap_or_default();
    let s = String::from_utf8_lossy(l);
    let t = s.trim();
    if t.chars().count() > 120 {
        format!("{}…", t.chars().take(120).collect::<String>())
    } else {
        t.to_string()
    }
}

fn to_finding(rel_path: &str, lang: &CompiledLang, h: &taint::Hit, lines: &[&[u8]]) -> Finding {
    let meta = &lang.rules[h.rule];
    let sink_step = TraceStep {
        line: h.span.line,
        column: h.span.col,
        message: format!("reaches `{}`", h.sink),
    };
    let (message, confidence, details) = match &h.taint {
        Some(t) => {
            let conf = match t.kind.as_str() {
                "web" => Confidence::High,
                "env" | "argv" => Confidence::Low,
                _ => Confidence::Medium,
            };
            let mut steps = vec![TraceStep {
                line: t.source.line,
                column: t.source.col,
                message: format!("{} (untrusted {})", t.label, t.kind),
            }];
            for (s, m) in &t.steps {
                steps.push(TraceStep {
                    line: s.line,
                    column: s.col,
                    message: m.clone(),
                });
            }
            steps.push(sink_step);
            let msg = format!(
                "{}: {} from line {} reaches `{}`",
                meta.title, t.label, t.source.line, h.sink
            );
            (
                msg,
                conf.min(meta_confidence(meta)),
                SastDetails {
                    category: meta.tags.first().cloned().unwrap_or_default(),
                    trace: steps,
                    snippet: Some(snippet_of(lines, h.span.line)),
                },
            )
        }
        None => (
            format!("{}: `{}`", meta.title, h.sink),
            Confidence::High,
            SastDetails {
                category: meta.tags.first().cloned().unwrap_or_default(),
                trace: Vec::new(),
                snippet: Some(snippet_of(lines, h.span.line)),
            },
        ),
    };
    let norm = format!(
        "{}|{}",
        h.sink,
        snippet_of(lines, h.span.line)
            .split_whitespace()
            .collect::<String>()
    );
    Finding {
        rule_id: meta.id.clone(),
        kind: FindingKind::Sast,
        severity: meta.severity,
        confidence,
        message,
        location: Location {
            path: rel_path.to_string(),
            start_line: h.span.line.max(1),
            start_column: h.span.col.max(1),
            end_line: h.span.end_line.max(h.span.line).max(1),
            end_column: h.span.end_col.max(1),
        },
        fingerprint: fingerprint(&meta.id, rel_path, norm.as_bytes()),
        details: Details::Sast(details),
    }
}

fn meta_confidence(_m: &RuleMeta) -> Confidence {
    Confidence::High
}

/// A walker visitor running the SAST engine.
pub struct SastVisitor<'a> {
    pub engine: &'a SastEngine,
}

impl FileVisitor for SastVisitor<'_> {
    fn visit(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        self.engine.scan_content(file.rel_path, file.content, out);
    }
}
