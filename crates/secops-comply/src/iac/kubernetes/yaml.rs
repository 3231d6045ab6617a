//! YAML files with line numbers, shared by the Kubernetes and GitHub Actions checks.
//!
//! serde_yaml_ng gives the values but no positions, so each document also gets a small index
//! of its block structure, built from indentation: every mapping key and sequence item with
//! the 1-based line where it starts. Checks walk the value and ask the index for the line of
//! the path they are at; a path the index does not know (flow collections, aliases) falls
//! back to its longest known prefix.
//!
//! Files are split into documents at `---` / `...` lines, so one broken document (say an
//! unrendered Helm template) is reported as a parse error while the others are still checked.

use crate::ComplyError;
use serde_yaml_ng::Value;

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    K(String),
    I(usize),
}

/// A node of the line index: the line where the key or item starts and the last line before
/// the next node.
#[derive(Debug, Default)]
pub(crate) struct LNode {
    pub line: usize,
    pub end: usize,
    pub kind: LKind,
}

#[derive(Debug, Default)]
pub(crate) enum LKind {
    #[default]
    Leaf,
    Map(Vec<(String, LNode)>),
    Seq(Vec<LNode>),
}

/// One parsed document.
#[derive(Debug)]
pub(crate) struct Doc {
    pub value: Value,
    pub root: LNode,
    /// 1-based line of the document's first line.
    pub start: usize,
    /// Helm's `# Source: chart/templates/x.yaml` comment, when present.
    pub source: Option<String>,
}

/// A YAML file: its lines and the documents that parsed.
#[derive(Debug)]
pub(crate) struct YamlFile<'a> {
    pub lines: Vec<&'a str>,
    pub docs: Vec<Doc>,
}

/// Deeper block nesting than this is indexed as a leaf (serde_yaml_ng stops at 128 anyway).
const MAX_DEPTH: usize = 120;

impl<'a> YamlFile<'a> {
    /// Split into documents and parse each; documents that do not parse become errors.
    pub fn parse(path: &str, text: &'a str) -> (YamlFile<'a>, Vec<ComplyError>) {
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let mut ranges = Vec::new();
        let mut cur = 0usize;
        for (i, l) in lines.iter().enumerate() {
            if is_doc_marker(l) {
                ranges.push((cur, i));
                cur = i + 1;
            }
        }
        ranges.push((cur, lines.len()));

        let mut docs = Vec::new();
        let mut errors = Vec::new();
        for (a, b) in ranges {
            let Some(slice) = lines.get(a..b) else {
                continue;
            };
            if slice.iter().all(|l| {
                let t = l.trim();
                t.is_empty() || t.starts_with('#') || l.starts_with('%')
            }) {
                continue;
            }
            let mut doc_text = String::new();
            for l in slice {
                if !l.starts_with('%') {
                    doc_text.push_str(l);
                }
                doc_text.push('\n');
            }
            match serde_yaml_ng::from_str::<Value>(&doc_text) {
                Ok(mut value) => {
                    if value.is_null() {
                        continue;
                    }
                    // Merge keys (`<<: *base`) as Kubernetes tooling applies them.
                    if value.apply_merge().is_err() {
                        // Keep the unmerged value.
                    }
                    let root = index(slice, a + 1);
                    let source = slice.iter().find_map(|l| {
                        l.trim()
                            .strip_prefix("# Source:")
                            .map(|s| s.trim().to_string())
                    });
                    docs.push(Doc {
                        value,
                        root,
                        start: a + 1,
                        source,
                    });
                }
                Err(e) => {
                    let line = e.location().map(|l| a + l.line()).unwrap_or(a + 1);
                    let hint = if doc_text.contains("{{") {
                        " (unrendered template syntax `{{ }}`: render the chart, e.g. `helm template`, to check it)"
                    } else {
                        ""
                    };
                    let msg = e.to_string();
                    // The location in serde's message is relative to the document.
                    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                    errors.push(ComplyError::Parse {
                        path: path.to_string(),
                        line: Some(line),
                        message: format!(
                            "invalid YAML in the document starting at line {}: {msg}{hint}",
                            a + 1
                        ),
                    });
                }
            }
        }
        (YamlFile { lines, docs }, errors)
    }

    /// The text of a 1-based line.
    pub fn line_text(&self, no: usize) -> Option<&'a str> {
        no.checked_sub(1).and_then(|i| self.lines.get(i).copied())
    }

    /// The first line in `from..=to` that contains `needle`, skipping `skip` earlier matches.
    pub fn find_line(&self, from: usize, to: usize, needle: &str, skip: usize) -> Option<usize> {
        let mut seen = 0usize;
        for no in from..=to {
            let Some(t) = self.line_text(no) else {
                break;
            };
            let count = t.matches(needle).count();
            if count > 0 {
                if seen + count > skip {
                    return Some(no);
                }
                seen += count;
            }
        }
        None
    }
}

fn is_doc_marker(l: &str) -> bool {
    for m in ["---", "..."] {
        if let Some(rest) = l.strip_prefix(m) {
            if rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t') {
                return true;
            }
        }
    }
    false
}

impl Doc {
    /// The index node at a path, when the index knows it.
    pub fn node(&self, path: &[Seg]) -> Option<&LNode> {
        let mut n = &self.root;
        for s in path {
            n = child(n, s)?;
        }
        Some(n)
    }

    /// The line of a path: the line of the deepest node of the path the index knows.
    pub fn line(&self, path: &[Seg]) -> usize {
        let mut n = &self.root;
        for s in path {
            match child(n, s) {
                Some(c) => n = c,
                None => break,
            }
        }
        n.line.max(self.start)
    }
}

fn child<'n>(n: &'n LNode, s: &Seg) -> Option<&'n LNode> {
    match (&n.kind, s) {
        (LKind::Map(entries), Seg::K(k)) => {
            entries.iter().rev().find(|(ek, _)| ek == k).map(|e| &e.1)
        }
        (LKind::Seq(items), Seg::I(i)) => items.get(*i),
        _ => None,
    }
}

/// A value in a document with its path, for walking and locating.
#[derive(Debug, Clone)]
pub(crate) struct Node<'d> {
    pub v: &'d Value,
    pub path: Vec<Seg>,
    pub doc: &'d Doc,
}

/// The value under any tags.
pub(crate) fn untag(v: &Value) -> &Value {
    let mut v = v;
    while let Value::Tagged(t) = v {
        v = &t.value;
    }
    v
}

/// A mapping key as text.
pub(crate) fn key_text(k: &Value) -> Option<String> {
    match untag(k) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl<'d> Node<'d> {
    pub fn root(doc: &'d Doc) -> Node<'d> {
        Node {
            v: &doc.value,
            path: Vec::new(),
            doc,
        }
    }

    pub fn get(&self, key: &str) -> Option<Node<'d>> {
        let m = untag(self.v).as_mapping()?;
        let v = m.get(key)?;
        let mut path = self.path.clone();
        path.push(Seg::K(key.to_string()));
        Some(Node {
            v,
            path,
            doc: self.doc,
        })
    }

    /// `get` along several keys.
    pub fn at(&self, keys: &[&str]) -> Option<Node<'d>> {
        let mut n = self.clone();
        for k in keys {
            n = n.get(k)?;
        }
        Some(n)
    }

    /// The elements of a sequence (empty for anything else).
    pub fn items(&self) -> Vec<Node<'d>> {
        match untag(self.v).as_sequence() {
            Some(seq) => seq
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut path = self.path.clone();
                    path.push(Seg::I(i));
                    Node {
                        v,
                        path,
                        doc: self.doc,
                    }
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// The entries of a mapping with text keys (empty for anything else).
    pub fn entries(&self) -> Vec<(String, Node<'d>)> {
        match untag(self.v).as_mapping() {
            Some(m) => m
                .iter()
                .filter_map(|(k, v)| {
                    let k = key_text(k)?;
                    let mut path = self.path.clone();
                    path.push(Seg::K(k.clone()));
                    Some((
                        k,
                        Node {
                            v,
                            path,
                            doc: self.doc,
                        },
                    ))
                })
                .collect(),
            None => Vec::new(),
        }
    }

    pub fn line(&self) -> usize {
        self.doc.line(&self.path)
    }

    /// First and last line of this node (its own line twice when the index does not know it).
    pub fn span(&self) -> (usize, usize) {
        match self.doc.node(&self.path) {
            Some(n) => (n.line, n.end.max(n.line)),
            None => {
                let l = self.line();
                (l, l)
            }
        }
    }

    pub fn str(&self) -> Option<&'d str> {
        untag(self.v).as_str()
    }

    /// Scalars as text (strings, numbers, booleans).
    pub fn scalar_text(&self) -> Option<String> {
        match untag(self.v) {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        untag(self.v).is_null()
    }

    /// Unrendered template syntax (`{{ .Values.x }}` parses as a nested flow mapping).
    pub fn is_templated(&self) -> bool {
        templated(untag(self.v))
    }

    /// A boolean setting: `true`/`false` and the YAML 1.1 spellings Kubernetes accepts.
    pub fn flag(&self) -> Flag {
        let v = untag(self.v);
        if templated(v) {
            return Flag::Unknown;
        }
        match v {
            Value::Bool(b) => Flag::from(*b),
            Value::Null => Flag::Unset,
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "y" => Flag::True,
                "false" | "no" | "off" | "n" => Flag::False,
                _ => Flag::Unknown,
            },
            _ => Flag::Unknown,
        }
    }

    /// The strings of a sequence (or a single string).
    pub fn strings(&self) -> Vec<String> {
        match untag(self.v) {
            Value::Sequence(s) => s
                .iter()
                .filter_map(|v| match untag(v) {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            Value::String(s) => vec![s.clone()],
            _ => Vec::new(),
        }
    }
}

/// A boolean setting's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    True,
    False,
    /// Absent or null.
    Unset,
    /// Templated or not a boolean.
    Unknown,
}

impl From<bool> for Flag {
    fn from(b: bool) -> Flag {
        if b {
            Flag::True
        } else {
            Flag::False
        }
    }
}

/// The flag at an optional node.
pub(crate) fn flag(n: Option<&Node<'_>>) -> Flag {
    n.map(|n| n.flag()).unwrap_or(Flag::Unset)
}

fn templated(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("{{"),
        Value::Mapping(m) => m.len() == 1 && m.keys().any(|k| untag(k).is_mapping()),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// The line index.

struct Ln {
    no: usize,
    indent: usize,
    s: String,
}

struct Builder {
    lines: Vec<Ln>,
    pos: usize,
    last_line: usize,
}

/// Index the block structure of one document; `first` is the 1-based number of its first line.
fn index(slice: &[&str], first: usize) -> LNode {
    let mut lines = Vec::new();
    for (i, l) in slice.iter().enumerate() {
        if l.starts_with('%') {
            continue;
        }
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let indent = l.len() - l.trim_start_matches(' ').len();
        let s = l.get(indent..).unwrap_or("").trim_end().to_string();
        lines.push(Ln {
            no: first + i,
            indent,
            s,
        });
    }
    let last_line = first + slice.len().saturating_sub(1);
    let mut b = Builder {
        lines,
        pos: 0,
        last_line,
    };
    if b.lines.is_empty() {
        return LNode {
            line: first,
            end: last_line,
            kind: LKind::Leaf,
        };
    }
    let root = b.node(0);
    LNode {
        line: first,
        end: last_line,
        kind: root.kind,
    }
}

fn is_seq_item(s: &str) -> bool {
    s == "-" || s.starts_with("- ") || s.starts_with("-\t")
}

impl Builder {
    /// The line before the next unconsumed line (so a node's span covers its comments).
    fn end_here(&self) -> usize {
        match self.lines.get(self.pos) {
            Some(l) => l.no.saturating_sub(1),
            None => self.last_line,
        }
    }

    fn skip_deeper(&mut self, indent: usize) {
        while self.lines.get(self.pos).is_some_and(|l| l.indent > indent) {
            self.pos += 1;
        }
    }

    fn skip_flow(&mut self, first: &str) {
        let mut depth = flow_depth(first);
        while depth > 0 {
            let Some(l) = self.lines.get(self.pos) else {
                break;
            };
            depth += flow_depth(&l.s);
            self.pos += 1;
        }
    }

    fn node(&mut self, depth: usize) -> LNode {
        let Some(l) = self.lines.get(self.pos) else {
            return LNode {
                line: self.last_line,
                end: self.last_line,
                kind: LKind::Leaf,
            };
        };
        let (indent, no) = (l.indent, l.no);
        if depth > MAX_DEPTH {
            self.pos += 1;
            while self.lines.get(self.pos).is_some_and(|l| l.indent >= indent) {
                self.pos += 1;
            }
            return LNode {
                line: no,
                end: self.end_here(),
                kind: LKind::Leaf,
            };
        }
        if is_seq_item(&l.s) {
            return self.seq(indent, depth);
        }
        if split_key(&l.s).is_some() {
            return self.map(indent, depth);
        }
        // A scalar or flow collection; its continuation lines are at least as indented.
        let s = l.s.clone();
        self.pos += 1;
        if s.starts_with('[') || s.starts_with('{') {
            self.skip_flow(&s);
        }
        while self.lines.get(self.pos).is_some_and(|l| l.indent >= indent) {
            self.pos += 1;
        }
        LNode {
            line: no,
            end: self.end_here(),
            kind: LKind::Leaf,
        }
    }

    fn seq(&mut self, indent: usize, depth: usize) -> LNode {
        let start = self
            .lines
            .get(self.pos)
            .map(|l| l.no)
            .unwrap_or(self.last_line);
        let mut items = Vec::new();
        while let Some(l) = self.lines.get(self.pos) {
            if l.indent != indent || !is_seq_item(&l.s) {
                break;
            }
            let no = l.no;
            let after = l.s.get(1..).unwrap_or("").trim_start();
            let rest = strip_props(after);
            let empty = strip_comment(rest).trim().is_empty();
            if empty {
                self.pos += 1;
                let child = match self.lines.get(self.pos) {
                    Some(n) if n.indent > indent => self.node(depth + 1),
                    _ => LNode {
                        line: no,
                        end: self.end_here(),
                        kind: LKind::Leaf,
                    },
                };
                items.push(LNode {
                    line: no,
                    end: child.end.max(no),
                    kind: child.kind,
                });
            } else {
                // `- key: v` / `- scalar`: the item's content starts a node at its column.
                let off = l.s.len() - rest.len();
                let rest = rest.to_string();
                if let Some(m) = self.lines.get_mut(self.pos) {
                    m.indent = indent + off;
                    m.s = rest;
                }
                let child = self.node(depth + 1);
                items.push(LNode {
                    line: no,
                    end: child.end.max(no),
                    kind: child.kind,
                });
            }
        }
        LNode {
            line: start,
            end: self.end_here(),
            kind: LKind::Seq(items),
        }
    }

    fn map(&mut self, indent: usize, depth: usize) -> LNode {
        let start = self
            .lines
            .get(self.pos)
            .map(|l| l.no)
            .unwrap_or(self.last_line);
        let mut entries = Vec::new();
        while let Some(l) = self.lines.get(self.pos) {
            if l.indent < indent || (l.indent == indent && is_seq_item(&l.s)) {
                break;
            }
            if l.indent > indent {
                // Not expected here (invalid or an unusual layout): skip it.
                self.pos += 1;
                continue;
            }
            let Some((key, rest)) = split_key(&l.s) else {
                self.pos += 1;
                continue;
            };
            let no = l.no;
            let rest = strip_props(strip_comment(rest).trim()).to_string();
            self.pos += 1;
            let child = if rest.is_empty() {
                match self.lines.get(self.pos) {
                    Some(n) if n.indent > indent || (n.indent == indent && is_seq_item(&n.s)) => {
                        self.node(depth + 1)
                    }
                    _ => LNode {
                        line: no,
                        end: self.end_here(),
                        kind: LKind::Leaf,
                    },
                }
            } else {
                if rest.starts_with('[') || rest.starts_with('{') {
                    self.skip_flow(&rest);
                }
                // Block scalars and multi-line plain or quoted scalars: deeper lines.
                self.skip_deeper(indent);
                LNode {
                    line: no,
                    end: self.end_here(),
                    kind: LKind::Leaf,
                }
            };
            entries.push((
                key,
                LNode {
                    line: no,
                    end: child.end.max(no),
                    kind: child.kind,
                },
            ));
        }
        LNode {
            line: start,
            end: self.end_here(),
            kind: LKind::Map(entries),
        }
    }
}

/// Net count of flow brackets opened on a line (outside quotes).
fn flow_depth(s: &str) -> i64 {
    let mut d = 0i64;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for c in s.chars() {
        match quote {
            Some(q) => {
                if c == q && !(q == '"' && prev == '\\') {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' => d += 1,
                ']' | '}' => d -= 1,
                '#' if prev == ' ' => break,
                _ => {}
            },
        }
        prev = c;
    }
    d
}

/// Leading anchors and tags (`&a`, `!!map`, `!Ref`).
fn strip_props(s: &str) -> &str {
    let mut s = s;
    while s.starts_with('&') || s.starts_with('!') {
        let end = s.find([' ', '\t']).unwrap_or(s.len());
        s = s.get(end..).unwrap_or("").trim_start();
    }
    s
}

/// A value without its trailing comment.
fn strip_comment(s: &str) -> &str {
    if s.starts_with('#') {
        return "";
    }
    let from = match s.chars().next() {
        Some(q @ ('"' | '\'')) => closing_quote(s, q).map(|i| i + 1).unwrap_or(s.len()),
        _ => 0,
    };
    let bytes = s.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'#') && i > 0 && matches!(bytes.get(i - 1), Some(b' ' | b'\t')) {
            return s.get(..i).unwrap_or(s).trim_end();
        }
        i += 1;
    }
    s
}

/// Byte index of the quote closing the one at index 0.
fn closing_quote(s: &str, q: char) -> Option<usize> {
    let mut iter = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = iter.next() {
        if q == '"' && c == '\\' {
            iter.next();
            continue;
        }
        if c == q {
            if q == '\'' && iter.peek().map(|x| x.1) == Some('\'') {
                iter.next();
                continue;
            }
            return Some(i);
        }
    }
    None
}

/// `key: rest` → the key text and the rest after the colon.
fn split_key(s: &str) -> Option<(String, &str)> {
    let first = s.chars().next()?;
    if first == '"' || first == '\'' {
        let close = closing_quote(s, first)?;
        let inner = s.get(1..close)?;
        let after = s.get(close + 1..)?.trim_start();
        let rest = after.strip_prefix(':')?;
        if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
            return None;
        }
        let key = if first == '\'' {
            inner.replace("''", "'")
        } else {
            inner.replace("\\\"", "\"").replace("\\\\", "\\")
        };
        return Some((key, rest));
    }
    if matches!(first, '[' | '{' | '|' | '>' | '#' | '@' | '`' | '?' | '*') {
        return None;
    }
    if first == '&' || first == '!' {
        let rest = strip_props(s);
        if rest.len() == s.len() || rest.is_empty() {
            return None;
        }
        return split_key(rest);
    }
    let mut prev_ws = false;
    for (i, c) in s.char_indices() {
        if c == '#' && prev_ws {
            return None;
        }
        if c == ':' {
            let rest = s.get(i + 1..).unwrap_or("");
            if rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t') {
                let key = s.get(..i).unwrap_or("").trim_end();
                return Some((key.to_string(), rest));
            }
        }
        prev_ws = c == ' ' || c == '\t';
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Seg {
        Seg::K(s.to_string())
    }

    #[test]
    fn lines_of_keys_and_items() {
        let text = "\
# Source: chart/templates/a.yaml
apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers:
  - name: one
    image: x:1
    securityContext:
      privileged: true
  -   name: two
      args: [a,
        b]
      image: y
  volumes:
    - name: v
      hostPath: {path: /}
---
a: |
  line one
  # not a comment
  key: not a key
b:
    - - nested
      - second
    -
      c: 1
";
        let (f, errs) = YamlFile::parse("x.yaml", text);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(f.docs.len(), 2);
        let d = &f.docs[0];
        assert_eq!(d.source.as_deref(), Some("chart/templates/a.yaml"));
        assert_eq!(d.line(&[k("kind")]), 3);
        assert_eq!(d.line(&[k("spec"), k("containers"), Seg::I(0)]), 8);
        assert_eq!(
            d.line(&[
                k("spec"),
                k("containers"),
                Seg::I(0),
                k("securityContext"),
                k("privileged")
            ]),
            11
        );
        assert_eq!(
            d.line(&[k("spec"), k("containers"), Seg::I(1), k("image")]),
            15
        );
        assert_eq!(
            d.line(&[k("spec"), k("volumes"), Seg::I(0), k("hostPath"), k("path")]),
            18
        );
        let d = &f.docs[1];
        assert_eq!(d.line(&[k("a")]), 20);
        let n = d.node(&[k("a")]).expect("a");
        assert_eq!((n.line, n.end), (20, 23));
        assert_eq!(d.line(&[k("b"), Seg::I(0), Seg::I(1)]), 26);
        assert_eq!(d.line(&[k("b"), Seg::I(1), k("c")]), 28);
        assert_eq!(d.line(&[k("key")]), 20);
    }

    #[test]
    fn broken_document_is_an_error_others_parse() {
        let text = "a: 1\n---\nb: {{- if x }}\n  c: [\n---\nd: 2\n";
        let (f, errs) = YamlFile::parse("x.yaml", text);
        assert_eq!(f.docs.len(), 2);
        assert_eq!(errs.len(), 1);
        match &errs[0] {
            ComplyError::Parse { line, .. } => assert!(matches!(line, Some(3..=4))),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn keys() {
        assert_eq!(split_key("a: b").map(|x| x.0), Some("a".into()));
        assert_eq!(split_key("\"a b\": c").map(|x| x.0), Some("a b".into()));
        assert_eq!(
            split_key("image: http://x:80/y").map(|x| x.1),
            Some(" http://x:80/y")
        );
        assert!(split_key("echo a:b").is_none());
        assert!(split_key("x # a: b").is_none());
        assert_eq!(strip_comment("\"a # b\" # c"), "\"a # b\"");
    }
}
