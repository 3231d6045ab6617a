//! `go.mod` (Go).
//!
//! Reads `require` lines and blocks (`// indirect` requirements included, all as Prod: Go has
//! no dev dependencies), applies `replace` directives (`a => b v` for every version of `a`,
//! `a v1 => b v2` for that version only, the version-specific one winning) and `exclude`
//! directives (a required version that is excluded is kept as a lower bound, `pinned = false`,
//! with a warning: Go selects some later version). A replacement by a local directory
//! (`a => ../a`) is skipped with a warning. Versions are kept as written, with their `v`.
//!
//! The `go` and `toolchain` directives do **not** produce a `stdlib` package: scanning the
//! standard library from them gives false positives (the toolchain that builds the module is
//! not known from go.mod).
//!
//! Before Go 1.17 go.mod did not list every indirect dependency. When the `go` directive is
//! below 1.17 (or absent, which Go reads as 1.16) and a sibling `go.sum` exists, the modules
//! listed only in go.sum (with a full `h1:` hash, the highest version per module) are added as
//! Prod, attributed to go.sum.

use super::go_sum;
use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use std::collections::{HashMap, HashSet};

pub struct GoMod;

/// One directive (a single line, or one line of a block) split into tokens.
#[derive(Debug, Clone)]
struct Directive {
    verb: String,
    args: Vec<String>,
    line: usize,
}

/// A `replace` directive.
#[derive(Debug, Clone)]
struct Replace {
    old: String,
    old_version: Option<String>,
    new: String,
    new_version: Option<String>,
    line: usize,
}

/// A `require` entry.
#[derive(Debug, Clone)]
struct Require {
    path: String,
    version: String,
    line: usize,
}

/// Everything of go.mod that matters for dependencies.
#[derive(Debug, Default)]
struct GoModFile {
    go: Option<String>,
    requires: Vec<Require>,
    replaces: Vec<Replace>,
    excludes: HashSet<(String, String)>,
}

impl Parser for GoMod {
    fn format(&self) -> &'static str {
        "go.mod"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Go
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "go.mod"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let file = interpret(input.rel_path, directives(input.rel_path, text)?)?;
        let mut out = Parsed::default();
        resolve(input.rel_path, &file, &mut out);
        if go_before_1_17(file.go.as_deref()) {
            add_go_sum_only(input, &file, &mut out);
        }
        Ok(out)
    }
}

/// Split one line into tokens (quoted strings unquoted); everything after `//` is dropped.
fn tokenize(rel_path: &str, line_no: usize, line: &str) -> Result<Vec<String>, DepsError> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if starts_comment(&chars) {
            break;
        }
        match c {
            '"' | '`' => {
                chars.next();
                let mut tok = String::new();
                let mut closed = false;
                while let Some(d) = chars.next() {
                    if d == c {
                        closed = true;
                        break;
                    }
                    if d == '\\' && c == '"' {
                        if let Some(e) = chars.next() {
                            tok.push(e);
                        }
                        continue;
                    }
                    tok.push(d);
                }
                if !closed {
                    return Err(parse_error(rel_path, Some(line_no), "unterminated string"));
                }
                tokens.push(tok);
            }
            '(' | ')' => {
                chars.next();
                tokens.push(c.to_string());
            }
            _ => {
                let mut tok = String::new();
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace()
                        || matches!(d, '(' | ')' | '"' | '`')
                        || starts_comment(&chars)
                    {
                        break;
                    }
                    tok.push(d);
                    chars.next();
                }
                tokens.push(tok);
            }
        }
    }
    Ok(tokens)
}

/// Do the next two characters open a `//` comment?
fn starts_comment(chars: &std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let mut look = chars.clone();
    look.next() == Some('/') && look.next() == Some('/')
}

/// Read every directive of the file, expanding `verb ( ... )` blocks into one directive per
/// line. An unterminated block or a stray parenthesis is an error.
fn directives(rel_path: &str, text: &str) -> Result<Vec<Directive>, DepsError> {
    let mut out = Vec::new();
    let mut block: Option<(String, usize)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let tokens = tokenize(rel_path, line, raw)?;
        if tokens.is_empty() {
            continue;
        }
        if let Some((verb, _)) = &block {
            if tokens.len() == 1 && tokens.first().is_some_and(|t| t == ")") {
                block = None;
                continue;
            }
            if tokens.iter().any(|t| t == "(" || t == ")") {
                return Err(parse_error(rel_path, Some(line), "unexpected parenthesis"));
            }
            out.push(Directive {
                verb: verb.clone(),
                args: tokens,
                line,
            });
            continue;
        }
        match tokens.as_slice() {
            [verb, open] if open == "(" => block = Some((verb.clone(), line)),
            [_, open, close] if open == "(" && close == ")" => {}
            [verb, args @ ..] => {
                if verb == "(" || verb == ")" || args.iter().any(|t| t == "(" || t == ")") {
                    return Err(parse_error(rel_path, Some(line), "unexpected parenthesis"));
                }
                out.push(Directive {
                    verb: verb.clone(),
                    args: args.to_vec(),
                    line,
                });
            }
            [] => {}
        }
    }
    if let Some((verb, line)) = block {
        return Err(parse_error(
            rel_path,
            Some(line),
            format!("`{verb} (` block is not closed"),
        ));
    }
    Ok(out)
}

/// Check a module version as go.mod requires it (`v` followed by a digit).
fn check_version(rel_path: &str, line: usize, v: &str) -> Result<(), DepsError> {
    let ok = v
        .strip_prefix('v')
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(parse_error(
            rel_path,
            Some(line),
            format!("invalid module version {v:?}"),
        ))
    }
}

/// Turn directives into requirements, replacements and exclusions. Unknown verbs (`retract`,
/// `godebug`, `tool`, future ones) are ignored; malformed known ones are errors.
fn interpret(rel_path: &str, dirs: Vec<Directive>) -> Result<GoModFile, DepsError> {
    let mut f = GoModFile::default();
    for d in dirs {
        let bad = |what: &str| parse_error(rel_path, Some(d.line), format!("malformed {what}"));
        match d.verb.as_str() {
            "go" => f.go = d.args.first().cloned(),
            "require" => match d.args.as_slice() {
                [path, version] => {
                    check_version(rel_path, d.line, version)?;
                    f.requires.push(Require {
                        path: path.clone(),
                        version: version.clone(),
                        line: d.line,
                    });
                }
                _ => return Err(bad("require")),
            },
            "exclude" => match d.args.as_slice() {
                [path, version] => {
                    f.excludes.insert((path.clone(), version.clone()));
                }
                _ => return Err(bad("exclude")),
            },
            "replace" => {
                let arrow = d
                    .args
                    .iter()
                    .position(|a| a == "=>")
                    .ok_or_else(|| bad("replace"))?;
                let (left, right) = d.args.split_at(arrow);
                let right = right.get(1..).unwrap_or(&[]);
                let (old, old_version) = match left {
                    [old] => (old.clone(), None),
                    [old, v] => (old.clone(), Some(v.clone())),
                    _ => return Err(bad("replace")),
                };
                let (new, new_version) = match right {
                    [new] => (new.clone(), None),
                    [new, v] => (new.clone(), Some(v.clone())),
                    _ => return Err(bad("replace")),
                };
                f.replaces.push(Replace {
                    old,
                    old_version,
                    new,
                    new_version,
                    line: d.line,
                });
            }
            _ => {}
        }
    }
    Ok(f)
}

/// Is a replacement target a directory on disk rather than a module?
fn is_local_path(p: &str) -> bool {
    p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p.starts_with(".\\")
        || p.starts_with("..\\")
        || p == "."
        || p == ".."
        || p.as_bytes().get(1) == Some(&b':')
}

/// The `replace` directives by the module (and version) they apply to; the last one written
/// wins, as in Go.
#[derive(Debug, Default)]
struct Replacements<'a> {
    exact: HashMap<(&'a str, &'a str), &'a Replace>,
    any_version: HashMap<&'a str, &'a Replace>,
}

impl<'a> Replacements<'a> {
    fn new(file: &'a GoModFile) -> Replacements<'a> {
        let mut r = Replacements::default();
        for rep in &file.replaces {
            match &rep.old_version {
                Some(v) => r.exact.insert((rep.old.as_str(), v.as_str()), rep),
                None => r.any_version.insert(rep.old.as_str(), rep),
            };
        }
        r
    }

    /// The replacement for a module version: a version-specific one first, then a wildcard.
    fn get(&self, path: &str, version: &str) -> Option<&'a Replace> {
        self.exact
            .get(&(path, version))
            .or_else(|| self.any_version.get(path))
            .copied()
    }
}

/// Emit one package per requirement, with replacements and exclusions applied.
fn resolve(rel_path: &str, file: &GoModFile, out: &mut Parsed) {
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let replacements = Replacements::new(file);
    for req in &file.requires {
        let warn = |out: &mut Parsed, line: usize, message: String| {
            out.warnings.push(Warning {
                file: rel_path.to_string(),
                line,
                message,
            })
        };
        let mut pinned = true;
        if file
            .excludes
            .contains(&(req.path.clone(), req.version.clone()))
        {
            pinned = false;
            warn(
                out,
                req.line,
                format!(
                    "{}@{} is excluded; Go selects a later version that go.mod does not name",
                    req.path, req.version
                ),
            );
        }
        let (name, version, line) = match replacements.get(&req.path, &req.version) {
            Some(r) => match &r.new_version {
                Some(v) if !is_local_path(&r.new) => (r.new.clone(), v.clone(), r.line),
                _ => {
                    warn(
                        out,
                        r.line,
                        format!(
                            "{} is replaced by the local directory {}; not scanned",
                            req.path, r.new
                        ),
                    );
                    continue;
                }
            },
            None => (req.path.clone(), req.version.clone(), req.line),
        };
        if !seen.insert((name.clone(), version.clone())) {
            continue;
        }
        out.packages.push(Package {
            ecosystem: Ecosystem::Go,
            name,
            version,
            pinned,
            group: DepGroup::Prod,
            file: rel_path.to_string(),
            line,
        });
    }
}

/// Is the `go` directive below 1.17 (absent counts as 1.16, as Go reads it)?
fn go_before_1_17(go: Option<&str>) -> bool {
    let Some(go) = go else { return true };
    let mut parts = go.split('.').map(|p| {
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u64>().unwrap_or(0)
    });
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    (major, minor) < (1, 17)
}

/// The sibling go.sum's path relative to the root.
fn sibling_rel(rel_path: &str) -> String {
    match rel_path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/go.sum"),
        None => "go.sum".to_string(),
    }
}

/// Add the modules that only the sibling go.sum lists (full `h1:` lines, highest version per
/// module), skipping excluded versions and modules go.mod already accounts for.
fn add_go_sum_only(input: &Input<'_>, file: &GoModFile, out: &mut Parsed) {
    let sum_path = input.path.with_file_name("go.sum");
    let Ok(bytes) = std::fs::read(&sum_path) else {
        return;
    };
    let rel = sibling_rel(input.rel_path);
    let entries = match utf8(&rel, &bytes).and_then(|t| go_sum::entries(&rel, t)) {
        Ok(e) => e,
        Err(e) => {
            out.warnings.push(Warning {
                file: rel,
                line: 0,
                message: format!("go.sum beside go.mod not read: {e}"),
            });
            return;
        }
    };
    let mut known: HashSet<String> = file.requires.iter().map(|r| r.path.clone()).collect();
    known.extend(out.packages.iter().map(|p| p.name.clone()));
    known.extend(file.replaces.iter().map(|r| r.old.clone()));
    let mut best: HashMap<String, go_sum::SumEntry> = HashMap::new();
    for e in entries {
        if e.go_mod_only
            || known.contains(&e.path)
            || file.excludes.contains(&(e.path.clone(), e.version.clone()))
        {
            continue;
        }
        let keep = best
            .get(&e.path)
            .is_none_or(|b| crate::version::compare(Ecosystem::Go, &e.version, &b.version).is_gt());
        if keep {
            best.insert(e.path.clone(), e);
        }
    }
    let mut added: Vec<go_sum::SumEntry> = best.into_values().collect();
    added.sort_by_key(|e| e.line);
    out.packages.extend(added.into_iter().map(|e| Package {
        ecosystem: Ecosystem::Go,
        name: e.path,
        version: e.version,
        pinned: true,
        group: DepGroup::Prod,
        file: rel.clone(),
        line: e.line,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        tokenize("go.mod", 1, s).unwrap()
    }

    #[test]
    fn tokenizer() {
        assert_eq!(toks("require a v1 // indirect"), ["require", "a", "v1"]);
        assert_eq!(
            toks("replace \"a b\" => `c` v2"),
            ["replace", "a b", "=>", "c", "v2"]
        );
        assert_eq!(toks("require ("), ["require", "("]);
        assert_eq!(toks("a v1// x"), ["a", "v1"]);
        assert!(tokenize("go.mod", 1, "require \"a").is_err());
    }

    #[test]
    fn go_versions() {
        assert!(go_before_1_17(Some("1.16")));
        assert!(go_before_1_17(None));
        assert!(!go_before_1_17(Some("1.17")));
        assert!(!go_before_1_17(Some("1.21.0")));
        assert!(!go_before_1_17(Some("1.22rc1")));
    }

    #[test]
    fn local_paths() {
        assert!(is_local_path("../x"));
        assert!(is_local_path("C:\\x"));
        assert!(!is_local_path("example.com/x"));
    }
}
