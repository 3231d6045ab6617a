//! Helpers shared by the npm-family parsers (and reused by the JSON and graph based PyPI ones):
//!
//! - [`parse_json`]: a small JSON reader that keeps the 1-based line of every value and key,
//!   and accepts the JSONC extensions `bun.lock` uses (comments, trailing commas);
//! - [`PackageSet`]: collects packages, merging identical (ecosystem, name, version) entries;
//! - [`Graph`]: dependency groups by reachability from the project's direct dependencies;
//! - [`split_spec`] / [`unalias`]: `name@version` splitting with scoped names and `npm:` aliases.

use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::lockfile::util::parse_error;
use crate::lockfile::Warning;
use crate::package::{DepGroup, Package};
use std::collections::HashMap;

/// Deepest nesting [`parse_json`] accepts (deeper input is an error, not a stack overflow).
const MAX_DEPTH: usize = 256;

/// A JSON value with the 1-based line where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    pub line: usize,
    pub value: JsonValue,
}

/// The JSON value kinds; numbers are kept as written.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

/// One `"key": value` member of an object, with the line of its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub line: usize,
    pub value: Json,
}

impl Json {
    /// The member `key` of an object (the last one when a key is repeated, as serde_json does).
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.members()
            .iter()
            .rev()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The members of an object; empty for any other value.
    pub fn members(&self) -> &[Member] {
        match &self.value {
            JsonValue::Object(m) => m,
            _ => &[],
        }
    }

    /// The items of an array; empty for any other value.
    pub fn items(&self) -> &[Json] {
        match &self.value {
            JsonValue::Array(a) => a,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.value, JsonValue::Object(_))
    }

    /// The string member `key`, if present and a string.
    pub fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Json::as_str)
    }

    /// Is the member `key` the boolean `true`?
    pub fn flag(&self, key: &str) -> bool {
        matches!(
            self.get(key),
            Some(Json {
                value: JsonValue::Bool(true),
                ..
            })
        )
    }
}

/// Parse JSON (plus `//` and `/* */` comments and trailing commas) keeping line numbers.
/// Errors name `rel_path` and the line where reading stopped.
pub fn parse_json(rel_path: &str, text: &str) -> Result<Json, DepsError> {
    let mut r = JsonReader {
        s: text.as_bytes(),
        text,
        i: 0,
        line: 1,
    };
    // At the end of a file ending with a newline, report the last line rather than one past it.
    let fail = |r: &JsonReader<'_>, m: String| {
        let last = text.lines().count().max(1);
        parse_error(rel_path, Some(r.line.min(last)), m)
    };
    r.skip_ws().map_err(|m| fail(&r, m))?;
    let v = r.value(0).map_err(|m| fail(&r, m))?;
    r.skip_ws().map_err(|m| fail(&r, m))?;
    if r.i < r.s.len() {
        return Err(fail(&r, "unexpected text after the JSON value".into()));
    }
    Ok(v)
}

/// The cursor of [`parse_json`]; errors are messages, the caller adds file and line.
struct JsonReader<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    line: usize,
}

impl JsonReader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Skip whitespace and comments, counting lines.
    fn skip_ws(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek() {
            match c {
                b'\n' => {
                    self.line += 1;
                    self.i += 1;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'/' if self.s.get(self.i + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                b'/' if self.s.get(self.i + 1) == Some(&b'*') => {
                    self.i += 2;
                    loop {
                        match self.peek() {
                            None => return Err("unterminated comment".into()),
                            Some(b'*') if self.s.get(self.i + 1) == Some(&b'/') => {
                                self.i += 2;
                                break;
                            }
                            Some(b'\n') => {
                                self.line += 1;
                                self.i += 1;
                            }
                            Some(_) => self.i += 1,
                        }
                    }
                }
                _ => break,
            }
        }
        Ok(())
    }

    /// One value; whitespace before it is already skipped.
    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err("JSON nested too deeply".into());
        }
        let line = self.line;
        let value = match self.peek() {
            None => return Err("unexpected end of file".into()),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::Str(self.string()?),
            Some(b't') => self.word("true", JsonValue::Bool(true))?,
            Some(b'f') => self.word("false", JsonValue::Bool(false))?,
            Some(b'n') => self.word("null", JsonValue::Null)?,
            Some(c) if c == b'-' || c.is_ascii_digit() => self.number()?,
            Some(c) => return Err(format!("unexpected character {:?}", c as char)),
        };
        Ok(Json { line, value })
    }

    fn word(&mut self, w: &str, v: JsonValue) -> Result<JsonValue, String> {
        if self.s.get(self.i..self.i + w.len()) == Some(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            Err("invalid literal".into())
        }
    }

    fn number(&mut self) -> Result<JsonValue, String> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E') {
                self.i += 1;
            } else {
                break;
            }
        }
        let raw = self.text.get(start..self.i).unwrap_or_default();
        if raw.is_empty() || raw == "-" {
            return Err("invalid number".into());
        }
        Ok(JsonValue::Number(raw.to_string()))
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut out = String::new();
        let mut seg = self.i;
        loop {
            match self.peek() {
                None => return Err("unterminated string".into()),
                Some(b'"') => {
                    out.push_str(self.text.get(seg..self.i).unwrap_or_default());
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(self.text.get(seg..self.i).unwrap_or_default());
                    self.i += 1;
                    self.escape(&mut out)?;
                    seg = self.i;
                }
                Some(b'\n') => return Err("line break inside a string".into()),
                Some(_) => self.i += 1,
            }
        }
    }

    /// The escape after a backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), String> {
        let c = self.peek().ok_or("unterminated string")?;
        self.i += 1;
        match c {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi)
                    && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                {
                    self.i += 2;
                    let lo = self.hex4()?;
                    if (0xDC00..0xE000).contains(&lo) {
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    } else {
                        0xFFFD
                    }
                } else {
                    hi
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            _ => return Err("invalid escape in string".into()),
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .text
            .get(self.i..self.i + 4)
            .ok_or("truncated \\u escape")?;
        let v = u32::from_str_radix(h, 16).map_err(|_| "invalid \\u escape".to_string())?;
        self.i += 4;
        Ok(v)
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, String> {
        self.i += 1;
        let mut members = Vec::new();
        loop {
            self.skip_ws()?;
            match self.peek() {
                Some(b'}') => {
                    self.i += 1;
                    return Ok(JsonValue::Object(members));
                }
                Some(b'"') => {}
                None => return Err("unexpected end of file in an object".into()),
                Some(_) => return Err("expected a key or '}'".into()),
            }
            let line = self.line;
            let key = self.string()?;
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err("expected ':' after a key".into());
            }
            self.i += 1;
            self.skip_ws()?;
            let value = self.value(depth + 1)?;
            members.push(Member { key, line, value });
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {}
                None => return Err("unexpected end of file in an object".into()),
                Some(_) => return Err("expected ',' or '}'".into()),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, String> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws()?;
            if self.peek() == Some(b']') {
                self.i += 1;
                return Ok(JsonValue::Array(items));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {}
                None => return Err("unexpected end of file in an array".into()),
                Some(_) => return Err("expected ',' or ']'".into()),
            }
        }
    }
}

/// Split `name@rest` at the first `@` after the first character (so `@scope/name@1.0.0`
/// gives `("@scope/name", "1.0.0")` and `a@npm:b@1` gives `("a", "npm:b@1")`).
pub fn split_spec(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.find('@')? + 1;
    let name = spec.get(..at)?;
    let rest = spec.get(at + 1..)?;
    if name.is_empty() {
        return None;
    }
    Some((name, rest))
}

/// Resolve an npm alias: `npm:real@1.2.3` → `Some(("real", "1.2.3"))`; anything else → None.
pub fn unalias(version: &str) -> Option<(&str, &str)> {
    split_spec(version.strip_prefix("npm:")?)
}

/// Is this an npm registry version (no protocol, path or URL)?
pub fn is_plain_version(v: &str) -> bool {
    !v.is_empty() && !v.contains([':', '/', '#', ' '])
}

/// The more "needed" of two groups, used when one package is reached several ways:
/// Prod, then Peer, then Optional, then Dev.
pub fn stronger(a: DepGroup, b: DepGroup) -> DepGroup {
    let rank = |g| match g {
        DepGroup::Prod => 0,
        DepGroup::Peer => 1,
        DepGroup::Optional => 2,
        DepGroup::Dev => 3,
    };
    if rank(b) < rank(a) {
        b
    } else {
        a
    }
}

/// Packages keyed by (ecosystem, normalised name, version): a repeated entry keeps the first
/// file and line and the [`stronger`] group. Output is sorted by file, line, name, version.
#[derive(Debug, Default)]
pub struct PackageSet {
    list: Vec<Package>,
    index: HashMap<(crate::ecosystem::Ecosystem, String, String), usize>,
}

impl PackageSet {
    pub fn new() -> PackageSet {
        PackageSet::default()
    }

    /// Add a package, merging it into an identical earlier one.
    pub fn add(&mut self, p: Package) {
        let key = (
            p.ecosystem,
            p.ecosystem.normalize_name(&p.name).into_owned(),
            p.version.clone(),
        );
        if let Some(&i) = self.index.get(&key) {
            if let Some(old) = self.list.get_mut(i) {
                old.group = stronger(old.group, p.group);
                old.pinned |= p.pinned;
            }
            return;
        }
        self.index.insert(key, self.list.len());
        self.list.push(p);
    }

    /// The packages, sorted by file, line, name and version.
    pub fn into_vec(self) -> Vec<Package> {
        let mut v = self.list;
        v.sort_by(|a, b| {
            (&a.file, a.line, &a.name, &a.version).cmp(&(&b.file, b.line, &b.name, &b.version))
        });
        v
    }
}

/// Warnings in file then line order (stable for one line).
pub fn sort_warnings(mut warnings: Vec<Warning>) -> Vec<Warning> {
    warnings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    warnings
}

/// A lockfile package (always pinned) of an ecosystem.
pub fn locked(
    ecosystem: Ecosystem,
    name: &str,
    version: &str,
    group: DepGroup,
    file: &str,
    line: usize,
) -> Package {
    Package {
        ecosystem,
        name: name.to_string(),
        version: version.to_string(),
        pinned: true,
        group,
        file: file.to_string(),
        line,
    }
}

/// A dependency graph over lockfile entries (nodes are indexes chosen by the caller), used to
/// derive groups for formats that do not flag them per package.
#[derive(Debug, Clone)]
pub struct Graph {
    /// (target, optional edge) per node.
    edges: Vec<Vec<(usize, bool)>>,
}

impl Graph {
    pub fn new(nodes: usize) -> Graph {
        Graph {
            edges: vec![Vec::new(); nodes],
        }
    }

    /// A dependency of `from` on `to`; `optional` for optionalDependencies. Out-of-range
    /// nodes are ignored.
    pub fn add_edge(&mut self, from: usize, to: usize, optional: bool) {
        if to < self.edges.len() {
            if let Some(e) = self.edges.get_mut(from) {
                e.push((to, optional));
            }
        }
    }

    /// The group of every node given the project's direct dependencies (`roots`):
    /// Prod when reachable from a Prod root through non-optional edges; otherwise Optional
    /// when reachable from Prod/Optional roots; otherwise Peer, then Dev by the same rule;
    /// None when unreachable.
    pub fn groups(&self, roots: &[(usize, DepGroup)]) -> Vec<Option<DepGroup>> {
        let mut out = vec![None; self.edges.len()];
        let starts = |want: &[DepGroup]| -> Vec<usize> {
            roots
                .iter()
                .filter(|(_, g)| want.contains(g))
                .map(|&(n, _)| n)
                .collect()
        };
        self.mark(&mut out, starts(&[DepGroup::Prod]), DepGroup::Prod, false);
        let mut opt = starts(&[DepGroup::Optional]);
        opt.extend(
            out.iter()
                .enumerate()
                .filter(|(_, g)| g.is_some())
                .map(|(i, _)| i),
        );
        self.mark(&mut out, opt, DepGroup::Optional, true);
        self.mark(&mut out, starts(&[DepGroup::Peer]), DepGroup::Peer, true);
        self.mark(&mut out, starts(&[DepGroup::Dev]), DepGroup::Dev, true);
        out
    }

    /// Breadth-first walk from `starts`, giving `group` to nodes without one; optional edges
    /// are followed only when `follow_optional`.
    fn mark(
        &self,
        out: &mut [Option<DepGroup>],
        starts: Vec<usize>,
        group: DepGroup,
        follow_optional: bool,
    ) {
        let mut seen = vec![false; self.edges.len()];
        let mut queue = std::collections::VecDeque::new();
        for s in starts {
            if let Some(flag) = seen.get_mut(s) {
                if !*flag {
                    *flag = true;
                    queue.push_back(s);
                }
            }
        }
        while let Some(n) = queue.pop_front() {
            if let Some(slot) = out.get_mut(n) {
                if slot.is_none() {
                    *slot = Some(group);
                }
            }
            for &(to, optional) in self.edges.get(n).map(Vec::as_slice).unwrap_or_default() {
                if optional && !follow_optional {
                    continue;
                }
                if let Some(flag) = seen.get_mut(to) {
                    if !*flag {
                        *flag = true;
                        queue.push_back(to);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_and_jsonc() {
        let t = "{\n  // c\n  \"a\": [1, 2,],\n  /* x\n */ \"b\": {\"c\": \"\\u00e9\\ud83d\\ude00\"},\n}";
        let j = parse_json("f", t).expect("parses");
        let m = j.members();
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].key.as_str(), m[0].line), ("a", 3));
        assert_eq!(m[1].line, 5);
        assert_eq!(j.get("b").and_then(|b| b.str_of("c")), Some("é😀"));
        assert_eq!(j.get("a").map(|a| a.items().len()), Some(2));
    }

    #[test]
    fn json_errors_have_lines() {
        for (t, line) in [
            ("{\n\"a\": 1,\n\"b\"", 3),
            ("[1,\n2", 2),
            ("{} x", 1),
            ("", 1),
        ] {
            match parse_json("f", t) {
                Err(DepsError::Parse { line: l, .. }) => assert_eq!(l, Some(line), "{t}"),
                other => panic!("{t}: {other:?}"),
            }
        }
        let deep = "[".repeat(100_000);
        assert!(parse_json("f", &deep).is_err());
    }

    #[test]
    fn specs() {
        assert_eq!(split_spec("@a/b@1.0.0"), Some(("@a/b", "1.0.0")));
        assert_eq!(split_spec("a@npm:b@^1"), Some(("a", "npm:b@^1")));
        assert_eq!(split_spec("@a/b"), None);
        assert_eq!(unalias("npm:@x/y@2.0.0"), Some(("@x/y", "2.0.0")));
        assert_eq!(unalias("2.0.0"), None);
        assert!(is_plain_version("1.0.0-rc.1"));
        assert!(!is_plain_version("github:a/b#c"));
    }

    #[test]
    fn graph_groups() {
        // 0 prod root -> 1 ; 1 -opt-> 2 ; 3 dev root -> 1, 4 ; 5 unreachable
        let mut g = Graph::new(6);
        g.add_edge(0, 1, false);
        g.add_edge(1, 2, true);
        g.add_edge(3, 1, false);
        g.add_edge(3, 4, false);
        let r = g.groups(&[(0, DepGroup::Prod), (3, DepGroup::Dev)]);
        use DepGroup::*;
        assert_eq!(
            r,
            vec![
                Some(Prod),
                Some(Prod),
                Some(Optional),
                Some(Dev),
                Some(Dev),
                None
            ]
        );
    }
}
