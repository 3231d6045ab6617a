//! `requirements*.txt` (PyPI), as pip reads them.
//!
//! - `\` continuations are joined (the package keeps the line where it starts); `#` comments
//!   (at the start or after whitespace) are dropped; environment markers and per-requirement
//!   options (`--hash=...`) are ignored; `pkg[a,b]==1` gives `pkg`.
//! - `==X` / `===X`: pinned. Anything else (`>=`, `~=`, `>`, `<`, `!=`, `==1.2.*`, a bare
//!   name) is unpinned: the version is the lowest the constraint allows ([`lowest_allowed`],
//!   "0" without a lower bound) and a warning says so.
//! - `-r`/`--requirement` includes are read from disk relative to the including file and
//!   reported with their own path (relative to the scanned root). `-c`/`--constraint` files
//!   only constrain: a package they pin takes that version (pinned) when it is also required,
//!   and packages only named in constraints are not reported, as pip does not install them.
//!   A missing include, a cycle or a nesting deeper than [`MAX_DEPTH`] is a warning.
//! - `-e`/`--editable`, URLs, `name @ url` and local paths are skipped with a warning; other
//!   pip options (`-i`, `--extra-index-url`, ...) are ignored. An unreadable requirement is a
//!   parse error with its line.

use super::js_common::{self, PackageSet};
use super::py_common::{lowest_allowed, parse_requirement, specs_text, unpinned_message};
use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Deepest include nesting followed.
pub const MAX_DEPTH: usize = 16;

pub struct Requirements;

impl Parser for Requirements {
    fn format(&self) -> &'static str {
        "requirements.txt"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n.ends_with(".txt") && n.starts_with("requirements")
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let mut ctx = Ctx::default();
        ctx.done.insert(identity(input.path));
        ctx.stack.push(identity(input.path));
        ctx.file(text, input.path, input.rel_path, false)?;
        Ok(ctx.finish())
    }
}

/// One requirement before constraints are applied.
struct Req {
    package: Package,
    /// The constraint as written, for the unpinned warning.
    constraint: String,
}

/// State across the main file and its includes.
#[derive(Default)]
struct Ctx {
    reqs: Vec<Req>,
    /// Normalised name → pinned version from `-c` files (the first pin wins).
    constraints: HashMap<String, String>,
    warnings: Vec<Warning>,
    /// Files already read (canonical paths), so a file included twice is read once.
    done: HashSet<PathBuf>,
    /// The chain of files being read, to tell a cycle from a repeated include.
    stack: Vec<PathBuf>,
}

/// The identity of a file on disk: its canonical path when it exists.
fn identity(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `base`'s directory joined with `rel`, with `.` and `..` resolved lexically, forward
/// slashes (used for [`Package::file`] of included files).
fn join_rel(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for p in rel.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("/")
}

/// Join `\`-continued lines; yields (1-based first line, logical line).
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let (start, mut acc) = current.take().unwrap_or((i + 1, String::new()));
        match line.strip_suffix('\\') {
            Some(head) => {
                acc.push_str(head);
                current = Some((start, acc));
            }
            None => {
                acc.push_str(line);
                out.push((start, acc));
            }
        }
    }
    if let Some(last) = current {
        out.push(last);
    }
    out
}

/// Drop a `#` comment that starts the line or follows whitespace.
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let cut = b
        .iter()
        .enumerate()
        .find(|&(i, &c)| c == b'#' && (i == 0 || b.get(i - 1).is_some_and(u8::is_ascii_whitespace)))
        .map_or(line.len(), |(i, _)| i);
    line.get(..cut).unwrap_or(line).trim()
}

/// The argument of an option line for the given short/long option names, e.g.
/// `-r x.txt`, `-rx.txt`, `--requirement=x.txt`.
fn option_arg<'l>(line: &'l str, short: &str, long: &str) -> Option<&'l str> {
    let rest = if let Some(r) = line.strip_prefix(long) {
        if !(r.starts_with('=') || r.starts_with(char::is_whitespace)) {
            return None;
        }
        r.strip_prefix('=').unwrap_or(r)
    } else {
        line.strip_prefix(short)?
    };
    Some(rest.trim())
}

/// Does a requirement line point at a URL, VCS or local path instead of a name?
fn is_non_registry(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or(line);
    let lower = first.to_ascii_lowercase();
    first.contains("://")
        || ["git+", "hg+", "svn+", "bzr+", "file:", ".", "/", "~"]
            .iter()
            .any(|p| lower.starts_with(p))
        || first.contains(['/', '\\'])
        || [".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"]
            .iter()
            .any(|s| lower.ends_with(s))
}

/// Cut per-requirement options (`--hash=...`, `--config-settings ...`) off a line.
fn strip_options(line: &str) -> &str {
    let b = line.as_bytes();
    let cut = (1..b.len())
        .find(|&i| {
            b.get(i) == Some(&b'-')
                && b.get(i + 1) == Some(&b'-')
                && b.get(i - 1).is_some_and(u8::is_ascii_whitespace)
        })
        .unwrap_or(line.len());
    line.get(..cut).unwrap_or(line).trim()
}

impl Ctx {
    fn warn(&mut self, file: &str, line: usize, message: String) {
        self.warnings.push(Warning {
            file: file.to_string(),
            line,
            message,
        });
    }

    /// Read one file (`path` on disk, `rel` for reports); `constraint` for `-c` files.
    fn file(
        &mut self,
        text: &str,
        path: &Path,
        rel: &str,
        constraint: bool,
    ) -> Result<(), DepsError> {
        for (line_no, raw) in logical_lines(text) {
            let line = strip_comment(&raw);
            if line.is_empty() {
                continue;
            }
            if let Some(arg) = option_arg(line, "-r", "--requirement") {
                self.include(arg, path, rel, line_no, constraint)?;
            } else if let Some(arg) = option_arg(line, "-c", "--constraint") {
                self.include(arg, path, rel, line_no, true)?;
            } else if line.starts_with("-e") || line.starts_with("--editable") {
                self.warn(
                    rel,
                    line_no,
                    format!("editable requirement skipped: {line}"),
                );
            } else if line.starts_with('-') {
                // index, find-links, binary and hash options: nothing to report
            } else if is_non_registry(line) {
                self.warn(
                    rel,
                    line_no,
                    format!("not a registry requirement, skipped: {line}"),
                );
            } else {
                self.requirement(line, rel, line_no, constraint)?;
            }
        }
        Ok(())
    }

    /// One `name[extras] specifiers ; marker` line.
    fn requirement(
        &mut self,
        line: &str,
        rel: &str,
        line_no: usize,
        constraint: bool,
    ) -> Result<(), DepsError> {
        let body = strip_options(line);
        let req = parse_requirement(body).map_err(|m| {
            parse_error(
                rel,
                Some(line_no),
                format!("invalid requirement {body:?}: {m}"),
            )
        })?;
        if req.url.is_some() {
            self.warn(
                rel,
                line_no,
                format!("not a registry requirement, skipped: {body}"),
            );
            return Ok(());
        }
        let (version, pinned) = lowest_allowed(&req.specs);
        if constraint {
            if pinned {
                let key = Ecosystem::PyPI.normalize_name(&req.name).into_owned();
                self.constraints.entry(key).or_insert(version);
            }
            return Ok(());
        }
        let constraint_text = specs_text(&req.specs);
        self.reqs.push(Req {
            package: Package {
                ecosystem: Ecosystem::PyPI,
                name: req.name,
                version,
                pinned,
                group: DepGroup::Prod,
                file: rel.to_string(),
                line: line_no,
            },
            constraint: constraint_text,
        });
        Ok(())
    }

    /// Follow `-r`/`-c` `arg` found in `from` (on disk) / `from_rel` at `line_no`.
    fn include(
        &mut self,
        arg: &str,
        from: &Path,
        from_rel: &str,
        line_no: usize,
        constraint: bool,
    ) -> Result<(), DepsError> {
        if arg.is_empty() {
            return Err(parse_error(
                from_rel,
                Some(line_no),
                "include without a file name",
            ));
        }
        if arg.contains("://") {
            self.warn(
                from_rel,
                line_no,
                format!("remote include not followed: {arg}"),
            );
            return Ok(());
        }
        let disk = from.parent().unwrap_or(Path::new("")).join(arg);
        let rel = join_rel(from_rel, arg);
        let id = identity(&disk);
        if self.stack.contains(&id) {
            self.warn(
                from_rel,
                line_no,
                format!("circular include of {rel} skipped"),
            );
            return Ok(());
        }
        if self.stack.len() > MAX_DEPTH {
            self.warn(
                from_rel,
                line_no,
                format!("includes nested too deeply, {rel} skipped"),
            );
            return Ok(());
        }
        if !self.done.insert(id.clone()) {
            return Ok(());
        }
        let bytes = match read_include(&disk) {
            Ok(b) => b,
            Err(e) => {
                let why = match e.kind() {
                    std::io::ErrorKind::NotFound => "not found".to_string(),
                    _ => format!("could not be read ({e})"),
                };
                self.warn(from_rel, line_no, format!("included file {rel} {why}"));
                return Ok(());
            }
        };
        let text = utf8(&rel, &bytes)?;
        self.stack.push(id);
        let result = self.file(text, &disk, &rel, constraint);
        self.stack.pop();
        result
    }

    /// Apply constraints, add unpinned warnings, de-duplicate.
    fn finish(mut self) -> Parsed {
        let mut set = PackageSet::new();
        for Req {
            mut package,
            constraint,
        } in std::mem::take(&mut self.reqs)
        {
            let key = Ecosystem::PyPI.normalize_name(&package.name).into_owned();
            if !package.pinned {
                if let Some(v) = self.constraints.get(&key) {
                    package.version = v.clone();
                    package.pinned = true;
                }
            }
            if !package.pinned {
                let message = unpinned_message(&package.name, &constraint, &package.version);
                self.warn(&package.file, package.line, message);
            }
            set.add(package);
        }
        Parsed {
            packages: set.into_vec(),
            warnings: js_common::sort_warnings(self.warnings),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(join_rel("a/requirements.txt", "../b/c.txt"), "b/c.txt");
        assert_eq!(join_rel("requirements.txt", "./x/y.txt"), "x/y.txt");
        assert_eq!(join_rel("requirements.txt", "../up.txt"), "../up.txt");
        let l = logical_lines("a \\\n  b\nc\nd\\");
        assert_eq!(
            l,
            vec![(1, "a   b".into()), (3, "c".into()), (4, "d".into())]
        );
        assert_eq!(strip_comment("x==1 # c"), "x==1");
        assert_eq!(
            strip_comment("git+https://h/x#egg=x"),
            "git+https://h/x#egg=x"
        );
        assert_eq!(
            option_arg("-r base.txt", "-r", "--requirement"),
            Some("base.txt")
        );
        assert_eq!(
            option_arg("--requirement=b.txt", "-r", "--requirement"),
            Some("b.txt")
        );
        assert_eq!(option_arg("--requirementx", "-r", "--requirement"), None);
        assert_eq!(
            strip_options("a==1 --hash=sha256:00 --hash=sha256:11"),
            "a==1"
        );
        assert!(is_non_registry("./local/pkg"));
        assert!(is_non_registry("https://example.com/a.whl"));
        assert!(is_non_registry("pkg-1.0-py3-none-any.whl"));
        assert!(!is_non_registry("requests>=2"));
    }
}

/// Largest included requirements file read (a requirements file is a few KB).
const MAX_INCLUDE_BYTES: u64 = 16 * 1024 * 1024;

/// Read an included file: regular files only (not `/dev/zero`, FIFOs or stdin), size-capped.
fn read_include(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_INCLUDE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB",
            MAX_INCLUDE_BYTES / (1024 * 1024)
        )));
    }
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_INCLUDE_BYTES + 1)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod include_tests {
    use super::read_include;

    #[test]
    fn includes_must_be_regular_files() {
        let e = read_include(std::path::Path::new("/dev/zero")).expect_err("a device");
        assert!(e.to_string().contains("not a regular file"));
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("r.txt");
        std::fs::write(&f, "flask==2.0.0\n").expect("write");
        assert_eq!(read_include(&f).expect("read"), b"flask==2.0.0\n");
        assert!(read_include(dir.path()).is_err());
    }
}
