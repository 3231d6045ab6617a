//! Git history and staged changes: the added lines of each commit (or of the index) are fed
//! through the secrets engine and the findings are attributed to commit, author and date.
//!
//! We shell out to `git` (as cargo-deny does): `git log --all -p -U0` streams every commit's
//! patch, which we parse hunk by hunk without holding the history in memory.

use crate::secrets::SecretsEngine;
use crate::ScanError;
use rayon::prelude::*;
use secops_core::{Details, Finding};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Added lines of one file in one commit (or in the index).
#[derive(Debug, Default, Clone)]
pub struct AddedChunk {
    pub commit: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub path: String,
    /// The added lines joined by `\n`; hunks separated by an empty line.
    pub text: Vec<u8>,
    /// For each line of `text`, its line number in the new file (0 for separators).
    pub lines: Vec<usize>,
}

/// What to read from git.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitSource {
    /// Every commit on every ref.
    History,
    /// The staged changes (index against HEAD).
    Staged,
}

/// Options for a git scan.
#[derive(Debug, Clone)]
pub struct GitScanOptions {
    pub source: GitSource,
    /// Per (commit, file) cap on added bytes scanned.
    pub max_chunk_bytes: usize,
    /// Paths (relative) excluded: a predicate supplied by the caller.
    pub exclude: Option<globset::GlobSet>,
}

/// Result of a git scan.
#[derive(Debug, Default)]
pub struct GitScanResult {
    pub findings: Vec<Finding>,
    pub commits: u64,
    pub chunks: u64,
    pub bytes: u64,
    pub suppressed: u64,
}

/// Whether `dir` is inside a git work tree.
pub fn is_git_repo(dir: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Scan git history or staged changes of the repository at `dir`.
pub fn scan_git(
    dir: &Path,
    engine: &SecretsEngine,
    opts: &GitScanOptions,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<GitScanResult, ScanError> {
    if !is_git_repo(dir) {
        return Err(ScanError::Git(format!(
            "{} is not inside a git repository",
            dir.display()
        )));
    }
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir);
    // Stable, machine-readable output whatever the user's git config says.
    cmd.args([
        "-c",
        "core.quotepath=off",
        "-c",
        "diff.noprefix=false",
        "-c",
        "color.ui=never",
    ]);
    match opts.source {
        GitSource::History => {
            cmd.args([
                "log",
                "--all",
                "-p",
                "-U0",
                "--no-color",
                "--no-ext-diff",
                "--no-renames",
                "--diff-filter=AM",
                "--format=%x00commit %H%x00%an <%ae>%x00%aI",
            ]);
        }
        GitSource::Staged => {
            cmd.args([
                "diff",
                "--cached",
                "-U0",
                "--no-color",
                "--no-ext-diff",
                "--no-renames",
                "--diff-filter=ACMR",
            ]);
        }
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| ScanError::Git(format!("cannot run git: {e}")))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| ScanError::Git("no stdout from git".into()))?;

    let (tx, rx) = std::sync::mpsc::sync_channel::<AddedChunk>(256);
    let max = opts.max_chunk_bytes;
    let parser = std::thread::spawn(move || {
        parse_patch_stream(BufReader::new(stdout), max, |c| {
            // The receiver only goes away if scanning stopped; then stop parsing too.
            tx.send(c).is_ok()
        })
    });

    let exclude = opts.exclude.as_ref();
    let counters = std::sync::Mutex::new((0u64, 0u64, 0u64));
    let findings: Vec<Finding> = rx
        .into_iter()
        .par_bridge()
        .filter(|c| !exclude.is_some_and(|g| g.is_match(&c.path)))
        .flat_map_iter(|chunk| {
            let mut out = Vec::new();
            let suppressed = engine.scan_file(&chunk.path, &chunk.text, &mut out);
            for f in &mut out {
                remap(f, &chunk);
            }
            if let Ok(mut g) = counters.lock() {
                g.0 += 1;
                g.1 += chunk.text.len() as u64;
                g.2 += suppressed;
                if let Some(p) = progress {
                    p(g.0);
                }
            }
            out
        })
        .collect();
    let commits = parser
        .join()
        .map_err(|_| ScanError::Git("patch parser thread panicked".into()))?;
    let output = child
        .wait_with_output()
        .map_err(|e| ScanError::Git(format!("git failed: {e}")))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        // An empty repository has no HEAD: nothing to scan.
        if !(err.contains("does not have any commits") || err.contains("bad default revision")) {
            return Err(ScanError::Git(err.trim().to_string()));
        }
    }
    let (chunks, bytes, suppressed) = counters.into_inner().unwrap_or_default();
    Ok(GitScanResult {
        findings,
        commits,
        chunks,
        bytes,
        suppressed,
    })
}

/// Map a finding from chunk coordinates to the file's real line numbers and attribute it.
fn remap(f: &mut Finding, chunk: &AddedChunk) {
    let real = |l: usize| chunk.lines.get(l.saturating_sub(1)).copied().unwrap_or(0);
    let start = real(f.location.start_line);
    let end = real(f.location.end_line).max(start);
    f.location.start_line = start;
    f.location.end_line = end;
    if let Details::Secret(d) = &mut f.details {
        d.commit = chunk.commit.clone();
        d.author = chunk.author.clone();
        d.date = chunk.date.clone();
    }
}

/// Parse a `git log -p -U0` / `git diff -U0` stream. `emit` returns false to stop early.
/// Returns the number of commits seen.
pub fn parse_patch_stream<R: BufRead>(
    mut reader: R,
    max_chunk_bytes: usize,
    mut emit: impl FnMut(AddedChunk) -> bool,
) -> u64 {
    let mut commit: Option<String> = None;
    let mut author: Option<String> = None;
    let mut date: Option<String> = None;
    let mut commits = 0u64;
    let mut cur: Option<AddedChunk> = None;
    let mut new_line = 0usize;
    let mut line = Vec::with_capacity(256);
    let mut in_hunk = false;

    let flush = |cur: &mut Option<AddedChunk>, emit: &mut dyn FnMut(AddedChunk) -> bool| -> bool {
        match cur.take() {
            Some(c) if !c.text.is_empty() => emit(c),
            _ => true,
        }
    };

    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if line.first() == Some(&0) {
            // \0commit <sha>\0<author>\0<date>
            if !flush(&mut cur, &mut emit) {
                return commits;
            }
            in_hunk = false;
            let parts: Vec<&[u8]> = line[1..].split(|&b| b == 0).collect();
            commit = parts
                .first()
                .and_then(|p| p.strip_prefix(b"commit "))
                .map(|s| String::from_utf8_lossy(s).into_owned());
            author = parts
                .get(1)
                .map(|s| String::from_utf8_lossy(s).into_owned());
            date = parts
                .get(2)
                .map(|s| String::from_utf8_lossy(s).into_owned());
            commits += 1;
            continue;
        }
        if line.starts_with(b"diff --git ") {
            if !flush(&mut cur, &mut emit) {
                return commits;
            }
            in_hunk = false;
            continue;
        }
        if !in_hunk && line.starts_with(b"+++ ") {
            let p = &line[4..];
            if p == b"/dev/null" {
                cur = None;
                continue;
            }
            let p = p.strip_prefix(b"b/").unwrap_or(p);
            let path = unquote(p);
            cur = Some(AddedChunk {
                commit: commit.clone(),
                author: author.clone(),
                date: date.clone(),
                path,
                text: Vec::new(),
                lines: Vec::new(),
            });
            continue;
        }
        if line.starts_with(b"@@ ") {
            in_hunk = true;
            new_line = parse_hunk_new_start(&line).unwrap_or(0);
            if let Some(c) = cur.as_mut() {
                if !c.text.is_empty() {
                    c.text.push(b'\n');
                    c.lines.push(0);
                }
            }
            continue;
        }
        if !in_hunk {
            continue;
        }
        match line.first() {
            Some(b'+') => {
                if let Some(c) = cur.as_mut() {
                    if c.text.len() + line.len() <= max_chunk_bytes {
                        c.text.extend_from_slice(&line[1..]);
                        c.text.push(b'\n');
                        c.lines.push(new_line);
                    }
                }
                new_line += 1;
            }
            Some(b' ') => new_line += 1,
            Some(b'-') | Some(b'\\') => {}
            _ => in_hunk = false,
        }
    }
    let _ = flush(&mut cur, &mut emit);
    commits
}

fn parse_hunk_new_start(line: &[u8]) -> Option<usize> {
    // @@ -a[,b] +c[,d] @@
    let s = std::str::from_utf8(line).ok()?;
    let plus = s.split(' ').find(|p| p.starts_with('+'))?;
    let num = plus[1..].split(',').next()?;
    num.parse().ok()
}

/// Paths with special characters are C-quoted by git even with core.quotepath=off.
fn unquote(p: &[u8]) -> String {
    let s = String::from_utf8_lossy(p);
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        let inner = &s[1..s.len() - 1];
        let inner = inner.strip_prefix("b/").unwrap_or(inner);
        inner
            .replace("\\\"", "\"")
            .replace("\\\\", "\\")
            .replace("\\t", "\t")
    } else {
        s.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_log_patch() {
        let log = b"\0commit abc123\0Ann <a@x>\x002024-01-02T03:04:05+00:00
diff --git a/app.py b/app.py
new file mode 100644
--- /dev/null
+++ b/app.py
@@ -0,0 +1,2 @@
+import os
+KEY = 'v'
@@ -10 +12,1 @@
+late = 1
diff --git a/gone.txt b/gone.txt
deleted file mode 100644
--- a/gone.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
\0commit def456\0Bob <b@x>\x002024-01-03T00:00:00+00:00
diff --git a/app.py b/app.py
--- a/app.py
+++ b/app.py
@@ -2 +2 @@
-KEY = 'v'
+KEY = 'w'
";
        let mut chunks = Vec::new();
        let n = parse_patch_stream(&log[..], 1 << 20, |c| {
            chunks.push(c);
            true
        });
        assert_eq!(n, 2);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].path, "app.py");
        assert_eq!(chunks[0].commit.as_deref(), Some("abc123"));
        assert_eq!(chunks[0].author.as_deref(), Some("Ann <a@x>"));
        assert_eq!(chunks[0].lines, vec![1, 2, 0, 12]);
        assert_eq!(chunks[0].text, b"import os\nKEY = 'v'\n\nlate = 1\n");
        assert_eq!(chunks[1].lines, vec![2]);
        assert_eq!(chunks[1].commit.as_deref(), Some("def456"));
    }

    #[test]
    fn parses_staged_diff_without_commit() {
        let diff = b"diff --git a/x.env b/x.env
new file mode 100644
--- /dev/null
+++ b/x.env
@@ -0,0 +1 @@
+A=1
";
        let mut chunks = Vec::new();
        parse_patch_stream(&diff[..], 1 << 20, |c| {
            chunks.push(c);
            true
        });
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].commit, None);
        assert_eq!(chunks[0].path, "x.env");
    }
}
