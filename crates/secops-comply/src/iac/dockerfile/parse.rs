//! A Dockerfile parser: parser directives (`# syntax=`, `# escape=`), comments, line
//! continuations (with comment and empty lines inside them dropped, as BuildKit does),
//! heredocs (`<<EOF`, `<<-EOF`, quoted delimiters, several per instruction) and stages.

use crate::ComplyError;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The instructions Docker knows.
const KEYWORDS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// A heredoc body (its lines are in the instruction's `phys`).
#[derive(Debug, Clone)]
pub(crate) struct Heredoc {
    pub body: String,
}

/// One instruction.
#[derive(Debug, Clone)]
pub(crate) struct Instruction {
    /// Upper case.
    pub keyword: String,
    /// 1-based first line.
    pub line: usize,
    /// The arguments, continuation lines joined.
    pub args: String,
    pub heredocs: Vec<Heredoc>,
    /// Physical lines (1-based number, text) of the instruction, heredoc bodies included.
    pub phys: Vec<(usize, String)>,
}

impl Instruction {
    /// Arguments and heredoc bodies: the text a shell would run for RUN.
    pub fn script(&self) -> String {
        let mut s = self.args.clone();
        for h in &self.heredocs {
            s.push('\n');
            s.push_str(&h.body);
        }
        // Shell line continuations inside heredoc bodies.
        s.replace("\\\n", " ")
    }

    /// The physical line where a piece of the logical text starts: the first line holding
    /// its longest prefix (40, 20 or 10 characters) that fits on one line.
    pub fn line_of_text(&self, text: &str) -> usize {
        for n in [40usize, 20, 10] {
            let prefix: String = text.chars().take(n).collect();
            let prefix = prefix.trim();
            if prefix.is_empty() {
                continue;
            }
            if let Some((no, _)) = self.phys.iter().find(|(_, t)| t.contains(prefix)) {
                return *no;
            }
        }
        self.line
    }

    /// The first physical line containing `needle` (the first line when none does).
    pub fn line_of(&self, needle: &str) -> usize {
        self.phys
            .iter()
            .find(|(_, t)| t.contains(needle))
            .map(|(n, _)| *n)
            .unwrap_or(self.line)
    }
}

/// What a stage is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Base {
    Scratch,
    /// An earlier stage (index).
    Stage(usize),
    /// An image reference with build args substituted; `unresolved` when a variable had no value.
    Image {
        reference: String,
        unresolved: bool,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Stage {
    pub name: Option<String>,
    pub base: Base,
    /// The FROM argument as written.
    pub written: String,
    /// Index of the FROM instruction.
    pub from: usize,
    /// Indices of the stage's instructions after FROM.
    pub body: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Dockerfile {
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// ARGs declared before the first FROM, with their defaults.
    pub global_args: BTreeMap<String, Option<String>>,
}

fn heredoc_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?:^|[^<])<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)"#).ok())
        .as_ref()
}

fn err(path: &str, line: Option<usize>, message: impl Into<String>) -> ComplyError {
    ComplyError::Parse {
        path: path.to_string(),
        line,
        message: message.into(),
    }
}

/// Parse a Dockerfile.
pub(crate) fn parse(path: &str, text: &str) -> Result<Dockerfile, ComplyError> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut escape = '\\';
    let mut i = 0usize;
    // Parser directives: only at the very top, before any comment, blank line or instruction.
    while let Some(l) = lines.get(i) {
        let Some(rest) = l.trim_start().strip_prefix('#') else {
            break;
        };
        let Some((k, v)) = rest.split_once('=') else {
            break;
        };
        let k = k.trim().to_ascii_lowercase();
        if k.is_empty()
            || k.contains(char::is_whitespace)
            || !matches!(k.as_str(), "syntax" | "escape" | "check")
        {
            break;
        }
        if k == "escape" {
            match v.trim() {
                "`" => escape = '`',
                "\\" => escape = '\\',
                other => {
                    return Err(err(
                        path,
                        Some(i + 1),
                        format!("invalid escape directive `{other}`"),
                    ))
                }
            }
        }
        i += 1;
    }

    let mut instructions = Vec::new();
    while i < lines.len() {
        let Some(first) = lines.get(i) else {
            break;
        };
        let t = first.trim_start();
        if t.is_empty() || t.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let mut logical = String::new();
        let mut phys = Vec::new();
        while let Some(l) = lines.get(i) {
            phys.push((i + 1, l.to_string()));
            i += 1;
            let te = l.trim_end();
            match te.strip_suffix(escape) {
                Some(body) => {
                    logical.push_str(body);
                    // Comment and empty lines inside a continuation are dropped.
                    while lines.get(i).is_some_and(|n| {
                        let t = n.trim_start();
                        t.is_empty() || t.starts_with('#')
                    }) {
                        i += 1;
                    }
                    if i >= lines.len() {
                        break;
                    }
                }
                None => {
                    logical.push_str(l);
                    break;
                }
            }
        }
        let logical = logical.trim();
        let (kw, args) = match logical.find(char::is_whitespace) {
            Some(p) => (
                logical.get(..p).unwrap_or(""),
                logical.get(p..).unwrap_or("").trim(),
            ),
            None => (logical, ""),
        };
        let keyword = kw.to_ascii_uppercase();
        if !KEYWORDS.contains(&keyword.as_str()) {
            let shown: String = kw.chars().take(40).collect();
            return Err(err(
                path,
                Some(start + 1),
                format!("unknown instruction `{shown}`"),
            ));
        }
        let mut heredocs = Vec::new();
        let inner_kw = if keyword == "ONBUILD" {
            args.split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase()
        } else {
            keyword.clone()
        };
        if matches!(inner_kw.as_str(), "RUN" | "COPY" | "ADD") {
            if let Some(re) = heredoc_re() {
                for c in re.captures_iter(args) {
                    let (Some(dash), Some(q1), Some(name), Some(q2)) =
                        (c.get(1), c.get(2), c.get(3), c.get(4))
                    else {
                        continue;
                    };
                    if q1.as_str() != q2.as_str() {
                        continue;
                    }
                    let strip_tabs = !dash.as_str().is_empty();
                    let name = name.as_str();
                    let mut body = Vec::new();
                    let mut closed = false;
                    while let Some(l) = lines.get(i) {
                        phys.push((i + 1, l.to_string()));
                        i += 1;
                        let cmp = if strip_tabs {
                            l.trim_start_matches('\t')
                        } else {
                            l
                        };
                        if cmp == name {
                            closed = true;
                            break;
                        }
                        body.push(cmp.to_string());
                    }
                    if !closed {
                        return Err(err(
                            path,
                            Some(start + 1),
                            format!("heredoc `{name}` is not terminated"),
                        ));
                    }
                    heredocs.push(Heredoc {
                        body: body.join("\n"),
                    });
                }
            }
        }
        instructions.push(Instruction {
            keyword,
            line: start + 1,
            args: args.to_string(),
            heredocs,
            phys,
        });
    }

    // Stages.
    let mut df = Dockerfile {
        instructions,
        ..Dockerfile::default()
    };
    for (idx, ins) in df.instructions.iter().enumerate() {
        if ins.keyword == "FROM" {
            let (written, name) = from_args(&ins.args);
            if written.is_empty() {
                return Err(err(path, Some(ins.line), "FROM without an image"));
            }
            let base = if written.eq_ignore_ascii_case("scratch") {
                Base::Scratch
            } else if let Some(j) = df.stages.iter().position(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&written))
            }) {
                Base::Stage(j)
            } else {
                let vars: BTreeMap<String, String> = df
                    .global_args
                    .iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| (k.clone(), v.clone())))
                    .collect();
                let (reference, unresolved) = expand(&written, &vars);
                if reference.eq_ignore_ascii_case("scratch") {
                    Base::Scratch
                } else if let Some(j) = df.stages.iter().position(|s| {
                    s.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&reference))
                }) {
                    Base::Stage(j)
                } else {
                    Base::Image {
                        reference,
                        unresolved,
                    }
                }
            };
            df.stages.push(Stage {
                name,
                base,
                written,
                from: idx,
                body: Vec::new(),
            });
        } else if let Some(stage) = df.stages.last_mut() {
            stage.body.push(idx);
        } else if ins.keyword == "ARG" {
            for (k, v) in arg_pairs(&ins.args) {
                df.global_args.insert(k, v);
            }
        } else {
            return Err(err(
                path,
                Some(ins.line),
                format!(
                    "`{}` before the first FROM (only ARG may come first)",
                    ins.keyword
                ),
            ));
        }
    }
    if df.stages.is_empty() {
        return Err(err(path, None, "no FROM instruction"));
    }
    Ok(df)
}

/// `[--platform=x] image [AS name]` → (image, name).
fn from_args(args: &str) -> (String, Option<String>) {
    let words: Vec<&str> = args
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .collect();
    let image = words.first().map(|s| s.to_string()).unwrap_or_default();
    let name = match (words.get(1), words.get(2)) {
        (Some(a), Some(n)) if a.eq_ignore_ascii_case("as") => Some(n.to_string()),
        _ => None,
    };
    (image, name)
}

/// Split shell-like words, honouring quotes and backslash escapes.
pub(crate) fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                } else {
                    cur.push(c);
                }
            }
            None => {
                if c.is_whitespace() {
                    if in_word {
                        out.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                    continue;
                }
                in_word = true;
                match c {
                    '"' | '\'' => quote = Some(c),
                    '\\' => {
                        if let Some(n) = chars.next() {
                            cur.push(n);
                        }
                    }
                    _ => cur.push(c),
                }
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// `ARG a=1 b` → [(a, Some(1)), (b, None)].
pub(crate) fn arg_pairs(args: &str) -> Vec<(String, Option<String>)> {
    words(args)
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (w, None),
        })
        .collect()
}

/// `ENV a=1 b="x y"` or the legacy `ENV a value with spaces` → pairs.
pub(crate) fn env_pairs(args: &str) -> Vec<(String, String)> {
    let first = args.split_whitespace().next().unwrap_or("");
    if first.contains('=') {
        words(args)
            .into_iter()
            .filter_map(|w| {
                w.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    } else {
        let rest = args.get(first.len()..).unwrap_or("").trim();
        let value = words(rest).join(" ");
        if first.is_empty() {
            Vec::new()
        } else {
            vec![(first.to_string(), value)]
        }
    }
}

/// Substitute `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`; returns whether any variable
/// had no value.
pub(crate) fn expand(s: &str, vars: &BTreeMap<String, String>) -> (String, bool) {
    let mut out = String::new();
    let mut unresolved = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0usize;
    while let Some(&c) = chars.get(i) {
        if c == '\\' && chars.get(i + 1) == Some(&'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            let Some(close) = chars.iter().skip(i + 2).position(|&c| c == '}') else {
                out.push(c);
                i += 1;
                continue;
            };
            let inner: String = chars.iter().skip(i + 2).take(close).collect();
            i += close + 3;
            let name_len = inner
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .count();
            let name: String = inner.chars().take(name_len).collect();
            let modifier: String = inner.chars().skip(name_len).collect();
            let val = vars.get(&name).filter(|v| !v.is_empty());
            if let Some(alt) = modifier
                .strip_prefix(":+")
                .or_else(|| modifier.strip_prefix('+'))
            {
                if val.is_some() {
                    out.push_str(alt);
                }
            } else if let Some(def) = modifier
                .strip_prefix(":-")
                .or_else(|| modifier.strip_prefix('-'))
            {
                match val {
                    Some(v) => out.push_str(v),
                    None => out.push_str(def),
                }
            } else {
                match val {
                    Some(v) => out.push_str(v),
                    None => {
                        unresolved = true;
                        out.push_str("${");
                        out.push_str(&inner);
                        out.push('}');
                    }
                }
            }
            continue;
        }
        let name: String = chars
            .iter()
            .skip(i + 1)
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .collect();
        if name.is_empty() {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1 + name.chars().count();
        match vars.get(&name).filter(|v| !v.is_empty()) {
            Some(v) => out.push_str(v),
            None => {
                unresolved = true;
                out.push('$');
                out.push_str(&name);
            }
        }
    }
    (out, unresolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_comments_heredocs() {
        let text = "# syntax=docker/dockerfile:1\n# escape=\\\nARG BASE=debian:12\nFROM ${BASE} AS build\nRUN apt-get update && \\\n# a comment\n\n    apt-get install -y curl\nRUN <<EOF bash\nset -e\necho hi\nEOF\nCOPY <<-A /a <<B /b\n\tx\n\tA\ny\nB\nfrom build\nUSER app\n";
        let df = parse("Dockerfile", text).expect("parses");
        let kws: Vec<_> = df
            .instructions
            .iter()
            .map(|i| (i.keyword.as_str(), i.line))
            .collect();
        assert_eq!(
            kws,
            vec![
                ("ARG", 3),
                ("FROM", 4),
                ("RUN", 5),
                ("RUN", 9),
                ("COPY", 13),
                ("FROM", 18),
                ("USER", 19)
            ]
        );
        assert_eq!(
            df.instructions[2].args,
            "apt-get update &&     apt-get install -y curl"
        );
        assert_eq!(df.instructions[3].heredocs[0].body, "set -e\necho hi");
        assert_eq!(df.instructions[3].line_of("echo hi"), 11);
        assert_eq!(df.instructions[4].heredocs.len(), 2);
        assert_eq!(df.instructions[4].heredocs[0].body, "x");
        assert_eq!(df.stages.len(), 2);
        assert_eq!(
            df.stages[0].base,
            Base::Image {
                reference: "debian:12".into(),
                unresolved: false
            }
        );
        assert_eq!(df.stages[1].base, Base::Stage(0));
    }

    #[test]
    fn escape_backtick() {
        let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir c:\\ `\n  && echo hi\n";
        let df = parse("Dockerfile", text).expect("parses");
        assert_eq!(df.instructions.len(), 2);
        assert!(df.instructions[1].args.contains("echo hi"));
    }

    #[test]
    fn errors() {
        assert!(parse("Dockerfile", "hello world\n").is_err());
        assert!(parse("Dockerfile", "RUN x\nFROM a\n").is_err());
        assert!(parse("Dockerfile", "# only a comment\n").is_err());
        assert!(parse("Dockerfile", "FROM a\nRUN <<EOF\nnever closed\n").is_err());
    }

    #[test]
    fn env_forms() {
        assert_eq!(
            env_pairs("A=1 B=\"x y\""),
            vec![("A".into(), "1".into()), ("B".into(), "x y".into())]
        );
        assert_eq!(
            env_pairs("KEY some value"),
            vec![("KEY".into(), "some value".into())]
        );
        let vars: BTreeMap<String, String> = [("V".to_string(), "3.12".to_string())]
            .into_iter()
            .collect();
        assert_eq!(
            expand("python:${V}-slim", &vars),
            ("python:3.12-slim".into(), false)
        );
        assert_eq!(expand("python:$X", &vars), ("python:$X".into(), true));
        assert_eq!(expand("${X:-alpine:3}", &vars), ("alpine:3".into(), false));
    }
}
