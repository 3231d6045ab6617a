//! Helpers shared by the fuzz targets.

use secops_deps::lockfile::{parser_for, Input};
use std::path::PathBuf;
use std::sync::OnceLock;

/// An empty folder, three levels below a fresh temporary folder, used as the scanned root, so
/// that parsers which read siblings (`-r` includes, `go.sum`, `<relativePath>` parents) find
/// nothing on disk. Created once per process.
pub fn scratch_root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir()
            .join(format!("secops-fuzz-{}-{nanos}", std::process::id()))
            .join("a/b/c");
        // A failure only means the root does not exist, which is just as empty.
        let _ = std::fs::create_dir_all(&dir);
        dir
    })
}

/// Feed `bytes` to the parser of every file name in `names` (each must have one). Errors are
/// fine; a panic is the bug the fuzzer looks for. Parsed packages are sanity-checked.
pub fn parse_with_all(names: &[&str], bytes: &[u8]) {
    let root = scratch_root();
    for name in names {
        let Some(parser) = parser_for(name) else {
            panic!("no parser for {name}");
        };
        let path = root.join(name);
        let input = Input {
            root,
            path: &path,
            rel_path: name,
            bytes,
        };
        if let Ok(parsed) = parser.parse(&input) {
            for p in &parsed.packages {
                assert!(!p.file.is_empty(), "{name}: package without a file");
                assert_eq!(p.ecosystem, parser.ecosystem(), "{name}: wrong ecosystem");
            }
        }
    }
}
