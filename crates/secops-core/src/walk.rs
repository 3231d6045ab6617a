//! The one walk: a parallel, gitignore-aware traversal that hands each readable text file to
//! the detectors and turns every problem into a [`Notice`] instead of stopping.

use crate::finding::Finding;
use crate::report::{Notice, NoticeKind};
use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Default size cap: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// How many leading bytes are inspected for NUL to call a file binary.
const BINARY_PROBE: usize = 8 * 1024;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Ignore .gitignore, .ignore and git excludes.
    pub no_ignore: bool,
    pub follow_symlinks: bool,
    pub max_file_size: u64,
    /// Globs (gitignore syntax, relative to the root) never visited.
    pub excludes: Vec<String>,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            no_ignore: false,
            follow_symlinks: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            excludes: Vec::new(),
            threads: 0,
        }
    }
}

/// A file handed to detectors.
pub struct SourceFile<'a> {
    /// Relative to the scanned root, forward slashes.
    pub rel_path: &'a str,
    pub abs_path: &'a Path,
    pub content: &'a [u8],
}

/// Where detectors put their results for one file.
#[derive(Default)]
pub struct FileOutput {
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    /// Findings dropped by inline suppression comments.
    pub suppressed: u64,
}

/// A detector run on every file of the walk. Must not print.
pub trait FileVisitor: Sync {
    fn visit(&self, file: &SourceFile<'_>, out: &mut FileOutput);
}

/// Results of a walk.
#[derive(Default)]
pub struct WalkResult {
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub files_skipped: u64,
    pub suppressed: u64,
    pub duration_ms: u64,
}

/// Progress callback: called after each file with (files so far, bytes so far).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

struct Shared {
    findings: Mutex<Vec<Finding>>,
    notices: Mutex<Vec<Notice>>,
    files: AtomicU64,
    bytes: AtomicU64,
    skipped: AtomicU64,
    suppressed: AtomicU64,
}

/// Relative, forward-slash path of `path` under `root` (the file name when root is the file).
pub fn relative_path(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(r) if !r.as_os_str().is_empty() => r.to_path_buf(),
        _ => path
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| path.to_path_buf()),
    };
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Walk `root` in parallel and run `visitor` on each file.
pub fn walk(
    root: &Path,
    opts: &WalkOptions,
    visitor: &dyn FileVisitor,
    progress: Option<Progress<'_>>,
) -> Result<WalkResult, crate::error::CoreError> {
    let started = Instant::now();
    if std::fs::symlink_metadata(root).is_err() {
        return Err(crate::error::CoreError::Path {
            path: root.to_path_buf(),
            message: "no such file or directory".into(),
        });
    }
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .git_ignore(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .require_git(false)
        .follow_links(opts.follow_symlinks)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    if !opts.excludes.is_empty() {
        let mut ob = OverrideBuilder::new(root);
        for glob in &opts.excludes {
            ob.add(&format!("!{glob}"))
                .map_err(|e| crate::error::CoreError::Config {
                    path: PathBuf::from(crate::config::CONFIG_FILE),
                    message: format!("invalid exclude glob '{glob}': {e}"),
                })?;
        }
        let ov = ob.build().map_err(|e| crate::error::CoreError::Config {
            path: PathBuf::from(crate::config::CONFIG_FILE),
            message: format!("invalid exclude globs: {e}"),
        })?;
        builder.overrides(ov);
    }
    let shared = Shared {
        findings: Mutex::new(Vec::new()),
        notices: Mutex::new(Vec::new()),
        files: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        skipped: AtomicU64::new(0),
        suppressed: AtomicU64::new(0),
    };
    let root_canon = std::fs::canonicalize(root).ok();

    builder.build_parallel().run(|| {
        let shared = &shared;
        let root_canon = root_canon.as_deref();
        let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
        let mut out = FileOutput::default();
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    push_notice(shared, walk_error_notice(root, &err));
                    return WalkState::Continue;
                }
            };
            let path = entry.path();
            let ft = match entry.file_type() {
                Some(ft) => ft,
                None => return WalkState::Continue, // stdin
            };
            if ft.is_symlink() {
                // Only reached when not following links.
                if let Some(n) = symlink_notice(root, root_canon, path) {
                    push_notice(shared, n);
                }
                return WalkState::Continue;
            }
            if !ft.is_file() {
                return WalkState::Continue;
            }
            let rel = relative_path(root, path);
            match read_file(path, opts.max_file_size, &mut buf) {
                Ok(()) => {}
                Err(n) => {
                    shared.skipped.fetch_add(1, Ordering::Relaxed);
                    push_notice(shared, Notice::new(n.0, Some(rel), n.1));
                    return WalkState::Continue;
                }
            }
            let probe = &buf[..buf.len().min(BINARY_PROBE)];
            if memchr::memchr(0, probe).is_some() {
                shared.skipped.fetch_add(1, Ordering::Relaxed);
                push_notice(
                    shared,
                    Notice::new(NoticeKind::Binary, Some(rel), "binary file skipped"),
                );
                return WalkState::Continue;
            }
            if std::str::from_utf8(&buf).is_err() {
                out.notices.push(Notice::new(
                    NoticeKind::InvalidUtf8,
                    Some(rel.clone()),
                    "contains invalid UTF-8; scanned as bytes",
                ));
            }
            let file = SourceFile {
                rel_path: &rel,
                abs_path: path,
                content: &buf,
            };
            visitor.visit(&file, &mut out);
            let files = shared.files.fetch_add(1, Ordering::Relaxed) + 1;
            let bytes =
                shared.bytes.fetch_add(buf.len() as u64, Ordering::Relaxed) + buf.len() as u64;
            if !out.findings.is_empty() {
                if let Ok(mut g) = shared.findings.lock() {
                    g.append(&mut out.findings);
                }
            }
            if !out.notices.is_empty() {
                if let Ok(mut g) = shared.notices.lock() {
                    g.append(&mut out.notices);
                }
            }
            if out.suppressed > 0 {
                shared
                    .suppressed
                    .fetch_add(out.suppressed, Ordering::Relaxed);
                out.suppressed = 0;
            }
            if let Some(p) = progress {
                p(files, bytes);
            }
            // Do not keep a huge buffer alive after a big file.
            if buf.capacity() > 4 * 1024 * 1024 {
                buf = Vec::with_capacity(64 * 1024);
            }
            WalkState::Continue
        })
    });

    Ok(WalkResult {
        findings: shared.findings.into_inner().unwrap_or_default(),
        notices: shared.notices.into_inner().unwrap_or_default(),
        files_scanned: shared.files.into_inner(),
        bytes_scanned: shared.bytes.into_inner(),
        files_skipped: shared.skipped.into_inner(),
        suppressed: shared.suppressed.into_inner(),
        duration_ms: started.elapsed().as_millis() as u64,
    })
}

fn push_notice(shared: &Shared, n: Notice) {
    if let Ok(mut g) = shared.notices.lock() {
        g.push(n);
    }
}

/// Read a whole file into `buf`, refusing files over `max` bytes.
pub fn read_file(path: &Path, max: u64, buf: &mut Vec<u8>) -> Result<(), (NoticeKind, String)> {
    buf.clear();
    let mut f = std::fs::File::open(path).map_err(|e| (NoticeKind::Unreadable, io_msg(&e)))?;
    let len = f
        .metadata()
        .map_err(|e| (NoticeKind::Unreadable, io_msg(&e)))?
        .len();
    if len > max {
        return Err((
            NoticeKind::TooLarge,
            format!(
                "file is {} (over --max-file-size {}); skipped",
                human_bytes(len),
                human_bytes(max)
            ),
        ));
    }
    buf.reserve(len as usize);
    (&mut f)
        .take(max + 1)
        .read_to_end(buf)
        .map_err(|e| (NoticeKind::Unreadable, io_msg(&e)))?;
    if buf.len() as u64 > max {
        buf.clear();
        return Err((
            NoticeKind::TooLarge,
            format!(
                "file grew over --max-file-size {}; skipped",
                human_bytes(max)
            ),
        ));
    }
    Ok(())
}

fn io_msg(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied; skipped".into(),
        _ => format!("cannot read: {e}; skipped"),
    }
}

/// `1.5 MiB`-style sizes.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn walk_error_notice(root: &Path, err: &ignore::Error) -> Notice {
    let mut path = None;
    let mut loop_ = false;
    let mut cur = err;
    loop {
        match cur {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| relative_path(root, p));
                cur = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                cur = err
            }
            ignore::Error::Loop { child, .. } => {
                path.get_or_insert_with(|| relative_path(root, child));
                loop_ = true;
                break;
            }
            _ => break,
        }
    }
    if loop_ {
        Notice::new(NoticeKind::SymlinkLoop, path, "symlink loop; not followed")
    } else {
        let msg = err.to_string();
        let kind = if msg.contains("ermission denied") {
            NoticeKind::Unreadable
        } else {
            NoticeKind::WalkError
        };
        Notice::new(kind, path, msg)
    }
}

/// A notice for a symlink met while not following links: loops are named, links that leave
/// the tree are listed; links to files inside the tree are silent (their target is scanned).
fn symlink_notice(root: &Path, root_canon: Option<&Path>, path: &Path) -> Option<Notice> {
    let rel = relative_path(root, path);
    match std::fs::canonicalize(path) {
        Err(e) => {
            // ELOOP (errno 40 on Linux) or a dangling link.
            if e.raw_os_error() == Some(40) {
                Some(Notice::new(
                    NoticeKind::SymlinkLoop,
                    Some(rel),
                    "symlink loop; not followed",
                ))
            } else {
                None
            }
        }
        Ok(target) => {
            let parent = path.parent().and_then(|p| std::fs::canonicalize(p).ok());
            if let Some(parent) = parent {
                if parent.starts_with(&target) {
                    return Some(Notice::new(
                        NoticeKind::SymlinkLoop,
                        Some(rel),
                        "symlink loop (points to an ancestor directory); not followed",
                    ));
                }
            }
            match root_canon {
                Some(r) if !target.starts_with(r) => Some(Notice::new(
                    NoticeKind::Other,
                    Some(rel),
                    "symlink to outside the scanned tree; not followed (use --follow-symlinks)",
                )),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Count(AtomicU64);
    impl FileVisitor for Count {
        fn visit(&self, _file: &SourceFile<'_>, _out: &mut FileOutput) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn walks_hidden_skips_git_binary_and_large() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join(".env"), "A=1\n").unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "x").unwrap();
        std::fs::write(root.join("bin.dat"), b"ab\0cd").unwrap();
        std::fs::write(root.join("big.txt"), vec![b'a'; 2000]).unwrap();
        std::fs::write(root.join("ok.txt"), "hello").unwrap();
        let v = Count(AtomicU64::new(0));
        let opts = WalkOptions {
            max_file_size: 1000,
            ..WalkOptions::default()
        };
        let r = walk(root, &opts, &v, None).unwrap();
        assert_eq!(v.0.load(Ordering::Relaxed), 2, "{:?}", r.notices);
        let kinds: Vec<_> = r.notices.iter().map(|n| n.kind).collect();
        assert!(kinds.contains(&NoticeKind::Binary));
        assert!(kinds.contains(&NoticeKind::TooLarge));
        assert_eq!(r.files_skipped, 2);
    }

    #[test]
    fn excludes_apply() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("fixtures/a")).unwrap();
        std::fs::write(dir.path().join("fixtures/a/x.txt"), "x").unwrap();
        std::fs::write(dir.path().join("y.txt"), "y").unwrap();
        let v = Count(AtomicU64::new(0));
        let opts = WalkOptions {
            excludes: vec!["fixtures/**".into()],
            ..WalkOptions::default()
        };
        walk(dir.path(), &opts, &v, None).unwrap();
        assert_eq!(v.0.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/a"), Path::new("/a/b/c.txt")),
            "b/c.txt"
        );
        assert_eq!(
            relative_path(Path::new("/a/c.txt"), Path::new("/a/c.txt")),
            "c.txt"
        );
    }
}
