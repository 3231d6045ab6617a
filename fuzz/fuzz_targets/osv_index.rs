//! The compact index file (`<Ecosystem>/secops.idx`) → `Database::open_read_only` → every
//! package's payload decoded and queried.
//!
//! The index API reads from disk only, so each run writes the file into a per-process scratch
//! database folder whose `all.zip` is an empty zip. Input layout:
//!
//! - byte 0, bit 0 clear: the rest is written as the index file verbatim (exercises the header,
//!   checksum and table checks; a wrong checksum is rejected, which is most inputs);
//! - byte 0, bit 0 set: the rest is the index file with its header repaired (magic, format,
//!   zip size and mtime, body length, ecosystem name, checksum), so the package table, the
//!   names and the payload decoder see fuzzed bytes behind a header that passes;
//! - byte 1: the ecosystem (modulo 8).
//!
//! The checksum below mirrors `hash64`/`file_hash` of crates/secops-deps/src/osv/index.rs
//! (header layout in that file's docs); keep them in step.
#![no_main]
use libfuzzer_sys::fuzz_target;
use secops_deps::osv::index::{Database, FORMAT, INDEX_FILE, ZIP_FILE};
use secops_deps::{DepGroup, Ecosystem, Package};
use std::path::PathBuf;
use std::sync::OnceLock;

const HEADER_LEN: usize = 80;
/// An empty zip: only the end-of-central-directory record.
const EMPTY_ZIP: [u8; 22] = [
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// Mirror of index.rs `hash64`.
fn hash64(parts: &[&[u8]]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: [u8; 8]| (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    let mut h: u64 = parts.iter().map(|p| p.len() as u64).sum();
    for part in parts {
        for c in part.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            h = step(h, w);
        }
    }
    h
}

/// One scratch database folder per ecosystem, holding only that ecosystem's folder with an
/// empty `all.zip`; returns the database folder and
/// the zip's (size, mtime seconds, mtime nanoseconds) as the index header records them.
fn db_dir(eco: Ecosystem) -> (PathBuf, u64, i64, u32) {
    static DIRS: OnceLock<Vec<(PathBuf, u64, i64, u32)>> = OnceLock::new();
    let dirs = DIRS.get_or_init(|| {
        let base = secops_deps_fuzz::scratch_root().join("db");
        Ecosystem::ALL
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let db = base.join(format!("db-{i}"));
                let dir = db.join(e.osv_name());
                std::fs::create_dir_all(&dir).expect("scratch folder");
                let zip = dir.join(ZIP_FILE);
                std::fs::write(&zip, EMPTY_ZIP).expect("scratch zip");
                let meta = std::fs::metadata(&zip).expect("scratch zip metadata");
                let d = meta
                    .modified()
                    .expect("mtime")
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("mtime after 1970");
                (db, meta.len(), d.as_secs() as i64, d.subsec_nanos())
            })
            .collect()
    });
    let i = Ecosystem::ALL.iter().position(|e| *e == eco).unwrap_or(0);
    dirs[i].clone()
}

/// Repair the header of `file` so that it passes every check but the table's.
fn seal(file: &mut Vec<u8>, eco: Ecosystem, size: u64, secs: i64, nanos: u32) {
    if file.len() < HEADER_LEN {
        file.resize(HEADER_LEN, 0);
    }
    let body_len = (file.len() - HEADER_LEN) as u64;
    file[0..8].copy_from_slice(b"SECOPSIX");
    file[8..12].copy_from_slice(&FORMAT.to_le_bytes());
    file[24..32].copy_from_slice(&size.to_le_bytes());
    file[32..40].copy_from_slice(&secs.to_le_bytes());
    file[40..44].copy_from_slice(&nanos.to_le_bytes());
    file[48..56].copy_from_slice(&body_len.to_le_bytes());
    let mut name = [0u8; 16];
    for (d, s) in name.iter_mut().zip(eco.osv_name().as_bytes()) {
        *d = *s;
    }
    file[64..80].copy_from_slice(&name);
    let h = hash64(&[&file[..56], &file[64..]]);
    file[56..64].copy_from_slice(&h.to_le_bytes());
}

fuzz_target!(|data: &[u8]| {
    let (Some(&mode), Some(&e)) = (data.first(), data.get(1)) else {
        return;
    };
    let eco = Ecosystem::ALL[usize::from(e) % Ecosystem::ALL.len()];
    let (dir, size, secs, nanos) = db_dir(eco);
    let mut file = data[2..].to_vec();
    if mode & 1 == 1 {
        seal(&mut file, eco, size, secs, nanos);
    }
    let idx = dir.join(eco.osv_name()).join(INDEX_FILE);
    std::fs::write(&idx, &file).expect("write scratch index");
    let Ok(db) = Database::open_read_only(&dir) else {
        return;
    };
    for name in db.package_names(eco) {
        let _ = db.package_advisories(eco, &name);
        for version in ["", "0", "1.0.0", "2.0.0-rc.1"] {
            let pkg = Package {
                ecosystem: eco,
                name: name.clone(),
                version: version.to_string(),
                pinned: true,
                group: DepGroup::Prod,
                file: "fuzz.lock".into(),
                line: 1,
            };
            let _ = db.try_query(&pkg);
        }
    }
});
