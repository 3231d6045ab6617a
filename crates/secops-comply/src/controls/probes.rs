//! Probes over the walk: the code, config and file probes of every control and the stack
//! signals, compiled into a few regex sets so each file is searched once per set.

use super::catalog::{Catalog, PatternDef, ProbeDef, Side};
use super::stack::{self, Lang, Says, Scope, SIGNALS};
use crate::model::Evidence;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock};

/// Files larger than this are not searched by code and config probes (bundles, dumps).
pub const MAX_PROBE_BYTES: usize = 2 * 1024 * 1024;

/// At most this many matches of one pattern in one file become evidence.
const PER_PATTERN_PER_FILE: usize = 3;

/// Longest evidence text, in characters.
const MAX_TEXT_CHARS: usize = 160;

const REGEX_SIZE_LIMIT: usize = 8 * 1024 * 1024;

/// Compile a probe regex: over bytes (invalid UTF-8 never stops a search) and ASCII-only
/// (`\w`, `\b`, `(?i)` and `.` need no Unicode tables, which keeps the lazy DFA small).
pub fn compile_regex(re: &str) -> Result<Regex, String> {
    RegexBuilder::new(re)
        .unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regex '{re}': {e}"))
}

/// Compile a path glob: relative to the root, case-insensitive, `*` stops at `/`.
pub fn compile_glob(g: &str) -> Result<Glob, String> {
    GlobBuilder::new(g)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob '{g}': {e}"))
}

/// What a pattern match feeds.
#[derive(Debug, Clone)]
enum Target {
    /// Evidence for a control.
    Hit { control: usize, side: Side },
    /// A stack signal (`fact:...`, `framework:...`, `ci:...`).
    Signal(String),
}

#[derive(Debug, Clone)]
struct Pat {
    re: Regex,
    unless: Option<Regex>,
    unless_file: Option<Regex>,
    if_file: Option<Regex>,
    msg: Option<String>,
    weak: bool,
    target: Target,
    tests: bool,
    dev: bool,
}

impl Pat {
    fn new(def: &PatternDef, target: Target, tests: bool, dev: bool) -> Result<Pat, String> {
        let f = def.full();
        let opt = |r: &Option<String>| r.as_deref().map(compile_regex).transpose();
        Ok(Pat {
            re: compile_regex(&f.re)?,
            unless: opt(&f.unless)?,
            unless_file: opt(&f.unless_file)?,
            if_file: opt(&f.if_file)?,
            msg: f.msg,
            weak: f.weak,
            target,
            tests,
            dev,
        })
    }
}

/// Patterns per regex set. One set over all ~150 patterns of a language is fast on most text
/// but falls back to a slow engine on keyword-dense files (the lazy DFA's cache is used too
/// inefficiently); one pass per pattern is slow on large files. Sets of 32 were the best
/// compromise measured (generated 95 MB tree and this repository).
const SET_CHUNK: usize = 32;

/// The patterns searched in one kind of file: a few regex sets say which patterns can match,
/// then only those are searched for their positions.
#[derive(Debug)]
struct Group {
    pats: Vec<Pat>,
    /// Regex sets over consecutive chunks of `pats` (built at first use: a run touches only
    /// the languages it meets); `None` when a set could not be built, then every pattern is
    /// searched.
    sets: OnceLock<Option<Vec<(usize, RegexSet)>>>,
}

impl Group {
    fn new(pats: Vec<Pat>) -> Result<Group, String> {
        Ok(Group {
            pats,
            sets: OnceLock::new(),
        })
    }

    fn build_sets(pats: &[Pat]) -> Option<Vec<(usize, RegexSet)>> {
        let mut sets = Vec::new();
        for (i, c) in pats.chunks(SET_CHUNK).enumerate() {
            let set = RegexSetBuilder::new(c.iter().map(|p| p.re.as_str()))
                .unicode(false)
                .size_limit(REGEX_SIZE_LIMIT * 2)
                .dfa_size_limit(REGEX_SIZE_LIMIT * 2)
                .build()
                .ok()?;
            sets.push((i * SET_CHUNK, set));
        }
        Some(sets)
    }

    /// Indices of the patterns that match somewhere in `content`.
    fn candidates(&self, content: &[u8]) -> Vec<usize> {
        match self.sets.get_or_init(|| Group::build_sets(&self.pats)) {
            Some(sets) => sets
                .iter()
                .flat_map(|(base, set)| set.matches(content).into_iter().map(move |i| base + i))
                .collect(),
            None => (0..self.pats.len()).collect(),
        }
    }

    fn run(&self, f: &FileCtx<'_>, out: &mut Observations) {
        if f.content.len() > MAX_PROBE_BYTES {
            return;
        }
        for p in self
            .candidates(f.content)
            .into_iter()
            .filter_map(|i| self.pats.get(i))
        {
            if (f.test && !p.tests) || (f.dev && !p.dev) {
                continue;
            }
            // File conditions are checked once, at the first match.
            let mut file_ok: Option<bool> = None;
            let mut n = 0;
            for m in p.re.find_iter(f.content) {
                if m.start() >= f.test_from && !p.tests {
                    break;
                }
                let ok = *file_ok.get_or_insert_with(|| {
                    p.if_file.as_ref().is_none_or(|r| r.is_match(f.content))
                        && !p
                            .unless_file
                            .as_ref()
                            .is_some_and(|r| r.is_match(f.content))
                });
                if !ok {
                    break;
                }
                let (line, text) = line_at(f.content, m.start());
                if p.unless.as_ref().is_some_and(|u| u.is_match(text)) {
                    continue;
                }
                match &p.target {
                    Target::Signal(s) => {
                        out.signals.insert(s.clone());
                        break;
                    }
                    Target::Hit { control, side } => {
                        if is_comment(text) {
                            continue;
                        }
                        out.hits.push(Hit {
                            control: *control,
                            side: *side,
                            weak: p.weak,
                            evidence: Evidence {
                                path: f.rel.to_string(),
                                line,
                                text: snippet(text, p.msg.as_deref()),
                                failing: *side == Side::Fail,
                            },
                        });
                        n += 1;
                        if n >= PER_PATTERN_PER_FILE {
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// A file probe: presence of files, optionally with content.
#[derive(Debug)]
struct FileProbe {
    control: usize,
    side: Side,
    contains: Vec<Regex>,
    min: usize,
    msg: Option<String>,
    tests: bool,
}

/// 1-based line of `offset` and the text of that line.
pub fn line_at(content: &[u8], offset: usize) -> (usize, &[u8]) {
    let offset = offset.min(content.len());
    let before = content.get(..offset).unwrap_or_default();
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let rest = content.get(start..).unwrap_or_default();
    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    (line, rest.get(..end).unwrap_or_default())
}

/// The evidence text of a matched line: trimmed, at most [`MAX_TEXT_CHARS`] characters,
/// after `msg: ` when the pattern says what the match means.
pub fn snippet(line: &[u8], msg: Option<&str>) -> String {
    let s = String::from_utf8_lossy(line);
    let t = s.trim();
    let mut out: String = t.chars().take(MAX_TEXT_CHARS).collect();
    if t.chars().count() > MAX_TEXT_CHARS {
        out.push('…');
    }
    match msg {
        Some(m) if out.is_empty() => m.to_string(),
        Some(m) => format!("{m}: {out}"),
        None => out,
    }
}

/// Whether a line is a comment (`#`, `//`, `/*`, `*`, `--`, `<!--`, `;`), so that
/// commented-out settings are not evidence. `#[...]` (Rust attributes) and `#!` are code.
pub fn is_comment(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    match t {
        [b'#', b'[' | b'!', ..] => false,
        [b'#', ..] | [b'/', b'/' | b'*', ..] | [b'*', b' ' | b'/', ..] | [b'*'] => true,
        [b'-', b'-', b' ', ..] | [b'<', b'!', b'-', b'-', ..] | [b';', ..] => true,
        _ => false,
    }
}

/// One piece of evidence for one control.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub control: usize,
    pub side: Side,
    /// Counts only when the control has no passing evidence.
    pub weak: bool,
    pub evidence: Evidence,
}

/// Everything the walk saw that controls and stack detection need.
#[derive(Debug, Default)]
pub struct Observations {
    pub hits: Vec<Hit>,
    /// `fact:<id>`, `framework:<name>`, `ci:<name>`, `iac:<kind>`.
    pub signals: BTreeSet<String>,
    /// Language → non-test source files.
    pub languages: BTreeMap<String, usize>,
    /// Every (non-vendored) path seen, including files the walk skipped as binary.
    pub paths: Vec<String>,
    /// IaC files (path, content) for [`crate::iac::check`].
    pub iac_files: Vec<(String, Vec<u8>)>,
    /// Dependabot `package-ecosystem` entries: (ecosystem, file, line).
    pub dependabot: Vec<(String, String, usize)>,
    /// A Renovate configuration file, if any.
    pub renovate: Option<String>,
}

impl Observations {
    fn merge(&mut self, mut o: Observations) {
        self.hits.append(&mut o.hits);
        self.signals.append(&mut o.signals);
        for (k, v) in o.languages {
            *self.languages.entry(k).or_default() += v;
        }
        self.paths.append(&mut o.paths);
        self.iac_files.append(&mut o.iac_files);
        self.dependabot.append(&mut o.dependabot);
        if self.renovate.is_none() {
            self.renovate = o.renovate;
        }
    }

    /// Run the IaC checks over the IaC files seen.
    pub fn check_iac(&self) -> crate::iac::IacOutput {
        let files: Vec<crate::iac::IacFile<'_>> = self
            .iac_files
            .iter()
            .map(|(p, b)| crate::iac::IacFile {
                rel_path: p,
                bytes: b,
            })
            .collect();
        crate::iac::check(&files)
    }

    /// Put the collected data in a deterministic order (the walk is parallel).
    fn sort(&mut self) {
        self.hits.sort();
        self.hits.dedup();
        self.paths.sort();
        self.paths.dedup();
        self.iac_files.sort();
        self.iac_files.dedup_by(|a, b| a.0 == b.0);
        self.dependabot.sort();
        self.dependabot.dedup();
    }
}

struct FileCtx<'a> {
    rel: &'a str,
    content: &'a [u8],
    /// Test, example, fixture or documentation path.
    test: bool,
    /// Development-only configuration.
    dev: bool,
    /// Offset where in-file tests start (Rust `#[cfg(test)]`); the file length otherwise.
    test_from: usize,
}

/// The compiled code, config and file probes and the stack signals.
#[derive(Debug)]
pub struct Matchers {
    by_lang: Vec<Option<Group>>,
    globs: GlobSet,
    glob_group: Vec<usize>,
    glob_groups: Vec<Group>,
    file_globs: GlobSet,
    file_glob_probe: Vec<usize>,
    file_probes: Vec<FileProbe>,
    dependabot: Regex,
}

fn kind_name(k: crate::iac::IacKind) -> &'static str {
    use crate::iac::IacKind;
    match k {
        IacKind::Terraform => "terraform",
        IacKind::Kubernetes => "kubernetes",
        IacKind::Dockerfile => "dockerfile",
        IacKind::GithubActions => "github-actions",
    }
}

const RENOVATE_FILES: &[&str] = &[
    "renovate.json",
    "renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
];

impl Matchers {
    pub fn new(catalog: &Catalog) -> Result<Matchers, String> {
        let mut lang_pats: Vec<Vec<Pat>> = Lang::ALL.iter().map(|_| Vec::new()).collect();
        let mut globs = GlobSetBuilder::new();
        let mut glob_group = Vec::new();
        let mut glob_groups: Vec<Group> = Vec::new();
        let mut file_globs = GlobSetBuilder::new();
        let mut file_glob_probe = Vec::new();
        let mut file_probes = Vec::new();

        // Stack signals.
        let mut by_glob: BTreeMap<&str, Vec<Pat>> = BTreeMap::new();
        for s in SIGNALS {
            let name = match s.says {
                Says::Fact(f) => format!("fact:{f}"),
                Says::Framework(f) => format!("framework:{f}"),
                Says::Ci(c) => format!("ci:{c}"),
            };
            let tests = matches!(s.says, Says::Fact("tests"));
            let def = PatternDef::Full(super::catalog::PatternFull {
                re: s.re.to_string(),
                if_file: s.if_file.map(str::to_string),
                ..Default::default()
            });
            let pat = Pat::new(&def, Target::Signal(name), tests, true)?;
            match s.scope {
                Scope::Langs(langs) => {
                    for l in langs {
                        if let Some(v) = lang_pats.get_mut(l.index()) {
                            v.push(pat.clone());
                        }
                    }
                }
                Scope::Glob(g) => by_glob.entry(g).or_default().push(pat),
            }
        }
        for (g, pats) in by_glob {
            globs.add(compile_glob(g)?);
            glob_group.push(glob_groups.len());
            glob_groups.push(Group::new(pats)?);
        }

        // Control probes.
        for (ci, c) in catalog.controls.iter().enumerate() {
            for p in &c.probes {
                match p {
                    ProbeDef::Code {
                        lang,
                        pass,
                        fail,
                        tests,
                        dev,
                    } => {
                        let langs: Vec<Lang> = if lang.iter().any(|l| l == "any") {
                            Lang::ALL.to_vec()
                        } else {
                            lang.iter().filter_map(|l| Lang::from_name(l)).collect()
                        };
                        let mut pats = Vec::new();
                        for (side, defs) in [(Side::Pass, pass), (Side::Fail, fail)] {
                            for d in defs {
                                pats.push(Pat::new(
                                    d,
                                    Target::Hit { control: ci, side },
                                    *tests,
                                    *dev,
                                )?);
                            }
                        }
                        for l in langs {
                            if let Some(v) = lang_pats.get_mut(l.index()) {
                                v.extend(pats.iter().cloned());
                            }
                        }
                    }
                    ProbeDef::Config {
                        files,
                        pass,
                        fail,
                        tests,
                        dev,
                    } => {
                        let mut pats = Vec::new();
                        for (side, defs) in [(Side::Pass, pass), (Side::Fail, fail)] {
                            for d in defs {
                                pats.push(Pat::new(
                                    d,
                                    Target::Hit { control: ci, side },
                                    *tests,
                                    *dev,
                                )?);
                            }
                        }
                        let gi = glob_groups.len();
                        glob_groups.push(Group::new(pats)?);
                        for g in files {
                            globs.add(compile_glob(g)?);
                            glob_group.push(gi);
                        }
                    }
                    ProbeDef::File {
                        paths,
                        result,
                        contains,
                        min,
                        msg,
                        tests,
                    } => {
                        let contains = contains
                            .iter()
                            .map(|d| compile_regex(&d.full().re))
                            .collect::<Result<Vec<_>, _>>()?;
                        let pi = file_probes.len();
                        file_probes.push(FileProbe {
                            control: ci,
                            side: *result,
                            min: min.unwrap_or(contains.len()),
                            contains,
                            msg: msg.clone(),
                            tests: *tests,
                        });
                        for g in paths {
                            file_globs.add(compile_glob(g)?);
                            file_glob_probe.push(pi);
                        }
                    }
                    ProbeDef::Iac { .. } | ProbeDef::Finding { .. } | ProbeDef::Builtin { .. } => {}
                }
            }
        }
        let by_lang = lang_pats
            .into_iter()
            .map(|pats| {
                if pats.is_empty() {
                    Ok(None)
                } else {
                    Group::new(pats).map(Some)
                }
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Matchers {
            by_lang,
            globs: globs.build().map_err(|e| e.to_string())?,
            glob_group,
            glob_groups,
            file_globs: file_globs.build().map_err(|e| e.to_string())?,
            file_glob_probe,
            file_probes,
            dependabot: compile_regex(
                r#"(?m)^\s*-?\s*package-ecosystem\s*:\s*["']?([A-Za-z0-9_-]+)"#,
            )?,
        })
    }

    /// Examine one file (path relative to the root, forward slashes).
    pub fn observe(&self, rel: &str, content: &[u8], out: &mut Observations) {
        if stack::is_vendored(rel) {
            return;
        }
        out.paths.push(rel.to_string());
        let test = stack::is_test_path(rel);
        let doc = stack::is_doc_path(rel);
        let lang = Lang::of_path(rel);
        let test_from = match lang {
            Some(Lang::Rust) => {
                memchr::memmem::find(content, b"#[cfg(test)]").unwrap_or(content.len())
            }
            _ => content.len(),
        };
        let ctx = FileCtx {
            rel,
            content,
            test: test || doc,
            dev: stack::is_dev_path(rel),
            test_from,
        };
        if let Some(lang) = lang {
            if !ctx.test {
                *out.languages.entry(lang.name().to_string()).or_default() += 1;
            }
            if let Some(Some(g)) = self.by_lang.get(lang.index()) {
                g.run(&ctx, out);
            }
        }
        let mut seen = BTreeSet::new();
        for gi in self.globs.matches(rel) {
            if let Some(&group) = self.glob_group.get(gi) {
                if seen.insert(group) {
                    if let Some(g) = self.glob_groups.get(group) {
                        g.run(&ctx, out);
                    }
                }
            }
        }
        let mut seen = BTreeSet::new();
        for gi in self.file_globs.matches(rel) {
            let Some(&pi) = self.file_glob_probe.get(gi) else {
                continue;
            };
            if !seen.insert(pi) {
                continue;
            }
            if let Some(p) = self.file_probes.get(pi) {
                file_probe(p, rel, content, test, out);
            }
        }
        if let Some(kind) = crate::iac::detect(rel, content) {
            out.signals.insert(format!("iac:{}", kind_name(kind)));
            if !test {
                out.iac_files.push((rel.to_string(), content.to_vec()));
            }
        }
        let lower = rel.to_ascii_lowercase();
        if lower == ".github/dependabot.yml" || lower == ".github/dependabot.yaml" {
            for c in self.dependabot.captures_iter(content) {
                if let (Some(all), Some(eco)) = (c.get(0), c.get(1)) {
                    let (line, _) = line_at(content, all.start());
                    out.dependabot.push((
                        String::from_utf8_lossy(eco.as_bytes()).to_ascii_lowercase(),
                        rel.to_string(),
                        line,
                    ));
                }
            }
        }
        if RENOVATE_FILES.contains(&lower.as_str()) && out.renovate.is_none() {
            out.renovate = Some(rel.to_string());
        }
    }
}

fn file_probe(p: &FileProbe, rel: &str, content: &[u8], test: bool, out: &mut Observations) {
    if test && !p.tests {
        return;
    }
    let mut first_line = 0;
    let mut n = 0;
    for re in &p.contains {
        if let Some(m) = re.find(content) {
            n += 1;
            if first_line == 0 {
                first_line = line_at(content, m.start()).0;
            }
        }
    }
    if n < p.min {
        return;
    }
    // "n of m" only says something when fewer than all items are required.
    let text = match &p.msg {
        Some(m) if p.min < p.contains.len() => {
            format!("{m} ({n} of {} listed items)", p.contains.len())
        }
        Some(m) => m.clone(),
        None => "file present".to_string(),
    };
    out.hits.push(Hit {
        control: p.control,
        side: p.side,
        weak: false,
        evidence: Evidence {
            path: rel.to_string(),
            line: if p.contains.is_empty() { 0 } else { first_line },
            text,
            failing: p.side == Side::Fail,
        },
    });
}

/// Collects observations from a (parallel) walk.
pub struct Collector<'e> {
    matchers: &'e Matchers,
    obs: Mutex<Observations>,
}

impl<'e> Collector<'e> {
    pub fn new(matchers: &'e Matchers) -> Collector<'e> {
        Collector {
            matchers,
            obs: Mutex::new(Observations::default()),
        }
    }

    /// Examine one file.
    pub fn observe(&self, rel: &str, content: &[u8]) {
        let mut local = Observations::default();
        self.matchers.observe(rel, content, &mut local);
        if let Ok(mut g) = self.obs.lock() {
            g.merge(local);
        }
    }

    /// Record a path the walk did not read (binary or too large): file probes and builtins
    /// still see that it exists.
    pub fn add_path(&self, rel: &str) {
        if stack::is_vendored(rel) {
            return;
        }
        let mut local = Observations::default();
        local.paths.push(rel.to_string());
        let test = stack::is_test_path(rel);
        let mut seen = BTreeSet::new();
        for gi in self.matchers.file_globs.matches(rel) {
            if let Some(&pi) = self.matchers.file_glob_probe.get(gi) {
                if seen.insert(pi) {
                    if let Some(p) = self.matchers.file_probes.get(pi) {
                        if p.contains.is_empty() {
                            file_probe(p, rel, b"", test, &mut local);
                        }
                    }
                }
            }
        }
        if let Ok(mut g) = self.obs.lock() {
            g.merge(local);
        }
    }

    pub fn finish(self) -> Observations {
        let mut o = self.obs.into_inner().unwrap_or_default();
        o.sort();
        o
    }
}

impl secops_core::walk::FileVisitor for Collector<'_> {
    fn visit(
        &self,
        file: &secops_core::walk::SourceFile<'_>,
        _out: &mut secops_core::walk::FileOutput,
    ) {
        self.observe(file.rel_path, file.content);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_snippets() {
        let c = b"one\ntwo  \n  three";
        assert_eq!(line_at(c, 0), (1, &b"one"[..]));
        assert_eq!(line_at(c, 5), (2, &b"two  "[..]));
        assert_eq!(line_at(c, 12), (3, &b"  three"[..]));
        assert_eq!(line_at(c, 999).0, 3);
        assert_eq!(snippet(b"  x = 1 ", Some("bad")), "bad: x = 1");
        assert!(is_comment(b"  # verify=False"));
        assert!(is_comment(b"// x"));
        assert!(is_comment(b" * @param x"));
        assert!(!is_comment(b"#[derive(Debug)]"));
        assert!(!is_comment(b"x = 1 # note"));
        assert!(!is_comment(b"*ptr = 1"));
        let long = "a".repeat(400);
        assert_eq!(
            snippet(long.as_bytes(), None).chars().count(),
            MAX_TEXT_CHARS + 1
        );
    }

    #[test]
    fn globs_are_relative_case_insensitive_and_nested() {
        let g = compile_glob("{.github/workflows/*.{yml,yaml},**/.gitlab-ci.yml}")
            .unwrap()
            .compile_matcher();
        assert!(g.is_match(".github/workflows/ci.yml"));
        assert!(g.is_match(".GitHub/Workflows/CI.YAML"));
        assert!(g.is_match(".gitlab-ci.yml"));
        assert!(g.is_match("sub/.gitlab-ci.yml"));
        assert!(!g.is_match(".github/workflows/sub/ci.yml"));
        let s = compile_glob("**/SECURITY.md").unwrap().compile_matcher();
        assert!(s.is_match("SECURITY.md") && s.is_match("docs/security.md"));
    }
}
