//! Compact on-disk index of the OSV database, and the [`Database`] that queries it.
//!
//! The database folder has osv.dev's export layout, `<dir>/<Ecosystem>/all.zip`. Next to each
//! zip, [`build_index`] writes `<dir>/<Ecosystem>/secops.idx` (through a temporary file and a
//! rename) holding only what matching and reporting need, keyed by
//! [`Ecosystem::normalize_name`].
//!
//! File layout (integers little-endian):
//!
//! ```text
//! 0   magic "SECOPSIX"           8 bytes
//! 8   format version             u32   (FORMAT; another value = outdated, rebuilt)
//! 12  package count              u32
//! 16  advisory count             u32   (records indexed: not withdrawn, >= 1 package)
//! 20  reserved                   u32
//! 24  zip size                   u64   } the zip the index was built from: a different
//! 32  zip mtime, seconds         i64   } size or mtime makes the index stale
//! 40  zip mtime, nanoseconds     u32   }
//! 44  reserved                   u32
//! 48  body length                u64
//! 56  hash                       u64   (`hash64` of the file minus this field)
//! 64  ecosystem name             16 bytes, zero padded
//! 80  body: package table        count x (name_off u32, name_len u32, pay_off u32, pay_len u32)
//!           names, payloads      (offsets relative to the body start; names sorted bytewise)
//! ```
//!
//! A payload lists the package's advisories (see `encode_package`): strings are a LEB128
//! length and UTF-8 bytes, counts are LEB128. Opening an index reads the file, checks the
//! hash and the table bounds and nothing else, so it takes milliseconds; a payload is decoded
//! only when its name is queried.

use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::osv::matcher::{
    self, AffectedRange, AffectedVersions, EventKind, PackageAdvisory, RangeEvent, RangeKind,
    VulnMatch,
};
use crate::osv::model::Vulnerability;
use crate::package::Package;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// File name of an ecosystem's index, next to its `all.zip`.
pub const INDEX_FILE: &str = "secops.idx";
/// File name of an ecosystem's export zip.
pub const ZIP_FILE: &str = "all.zip";
/// Version of the index layout; an index of another version is rebuilt.
pub const FORMAT: u32 = 1;

const MAGIC: &[u8; 8] = b"SECOPSIX";
const HEADER_LEN: usize = 80;
const TABLE_ENTRY: usize = 16;
/// Largest OSV record read from a zip (real ones are well under 1 MiB).
const MAX_RECORD: u64 = 32 << 20;

/// Counts from building the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexStats {
    pub advisories: usize,
    pub packages: usize,
}

/// Size and modification time of a zip, recorded in its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct ZipStamp {
    size: u64,
    secs: i64,
    nanos: u32,
}

impl ZipStamp {
    fn of(path: &Path) -> Result<ZipStamp, DepsError> {
        let meta = std::fs::metadata(path).map_err(|e| DepsError::io(path, e))?;
        let (secs, nanos) = match meta.modified() {
            Ok(t) => match t.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => (
                    i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                    d.subsec_nanos(),
                ),
                Err(e) => {
                    let d = e.duration();
                    (
                        -i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                        d.subsec_nanos(),
                    )
                }
            },
            Err(_) => (0, 0),
        };
        Ok(ZipStamp {
            size: meta.len(),
            secs,
            nanos,
        })
    }
}

fn zip_path(db_dir: &Path, eco: Ecosystem) -> PathBuf {
    db_dir.join(eco.osv_name()).join(ZIP_FILE)
}

fn index_path(db_dir: &Path, eco: Ecosystem) -> PathBuf {
    db_dir.join(eco.osv_name()).join(INDEX_FILE)
}

/// The ecosystems whose `all.zip` exists under `db_dir`.
fn present(db_dir: &Path) -> Vec<Ecosystem> {
    Ecosystem::ALL
        .into_iter()
        .filter(|e| zip_path(db_dir, *e).is_file())
        .collect()
}

fn db_err(path: &Path, message: impl Into<String>) -> DepsError {
    DepsError::Database {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Fast 64-bit hash used to detect a damaged index, over `parts` in order: any change to a
/// single 8-byte word, and any change of length, changes it (each step is a bijection of the
/// state).
fn hash64(parts: &[&[u8]]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: [u8; 8]| (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    let mut h: u64 = parts.iter().map(|p| p.len() as u64).sum();
    for part in parts {
        let mut chunks = part.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = step(h, w);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(rest) {
                *d = *s;
            }
            h = step(h, w);
        }
    }
    h
}

/// The hash stored at offset 56: everything but the hash field itself.
fn file_hash(bytes: &[u8]) -> u64 {
    hash64(&[
        bytes.get(..56).unwrap_or_default(),
        bytes.get(64..).unwrap_or_default(),
    ])
}

// ---------------------------------------------------------------------------------------------
// Building

/// Read every OSV record of `zip` and split it into per-package advisories for `eco`.
/// Returns the indexed advisory count and the advisories keyed by normalised name.
fn read_zip(
    eco: Ecosystem,
    zip: &Path,
) -> Result<(usize, BTreeMap<String, Vec<PackageAdvisory>>), DepsError> {
    let bytes = std::fs::read(zip).map_err(|e| DepsError::io(zip, e))?;
    let archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice()))
        .map_err(|e| db_err(zip, format!("not a readable zip: {e}")))?;
    let per_record: Vec<Vec<(String, PackageAdvisory)>> = (0..archive.len())
        .into_par_iter()
        .map_init(
            || archive.clone(),
            |ar, i| -> Result<Vec<(String, PackageAdvisory)>, DepsError> {
                let Some(rec) = read_entry(ar, i, zip)? else {
                    return Ok(Vec::new());
                };
                Ok(PackageAdvisory::from_record(eco, &rec))
            },
        )
        .collect::<Result<_, _>>()?;
    let advisories = per_record.iter().filter(|r| !r.is_empty()).count();
    let mut by_name: BTreeMap<String, Vec<PackageAdvisory>> = BTreeMap::new();
    for (name, adv) in per_record.into_iter().flatten() {
        by_name.entry(name).or_default().push(adv);
    }
    for advs in by_name.values_mut() {
        advs.sort_by(|a, b| a.id.cmp(&b.id));
    }
    Ok((advisories, by_name))
}

/// Parse entry `i` of the archive; `None` for folders and files that are not `*.json`.
fn read_entry(
    ar: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
    zip: &Path,
) -> Result<Option<Vulnerability>, DepsError> {
    let entry = ar
        .by_index(i)
        .map_err(|e| db_err(zip, format!("entry {i}: {e}")))?;
    let name = entry
        .name()
        .map_err(|e| db_err(zip, format!("entry {i}: {e}")))?
        .into_owned();
    if entry.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
        return Ok(None);
    }
    let mut buf = Vec::with_capacity(usize::try_from(entry.size().min(1 << 20)).unwrap_or(0));
    entry
        .take(MAX_RECORD + 1)
        .read_to_end(&mut buf)
        .map_err(|e| db_err(zip, format!("{name}: {e}")))?;
    if buf.len() as u64 > MAX_RECORD {
        return Err(db_err(zip, format!("{name}: record larger than 32 MiB")));
    }
    Vulnerability::from_json(&buf)
        .map(Some)
        .map_err(|e| db_err(zip, format!("{name}: invalid OSV record: {e}")))
}

/// Append-only encoder for payloads.
struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn strs(&mut self, v: &[String]) {
        self.uint(v.len() as u64);
        for s in v {
            self.str(s);
        }
    }
}

fn range_code(k: RangeKind) -> u64 {
    match k {
        RangeKind::Semver => 0,
        RangeKind::Ecosystem => 1,
        RangeKind::Git => 2,
        RangeKind::Other => 3,
    }
}

fn event_code(k: EventKind) -> u64 {
    match k {
        EventKind::Introduced => 0,
        EventKind::Fixed => 1,
        EventKind::LastAffected => 2,
        EventKind::Limit => 3,
    }
}

/// Payload of one package: `n` advisories, each `id, aliases[], summary, vectors[], label,
/// affected[] = (ranges[] = (kind, events[] = (kind, version)), versions[])`.
fn encode_package(w: &mut Writer, advs: &[PackageAdvisory]) {
    w.uint(advs.len() as u64);
    for a in advs {
        w.str(&a.id);
        w.strs(&a.aliases);
        w.str(&a.summary);
        w.strs(&a.cvss_vectors);
        w.str(a.label.as_deref().unwrap_or(""));
        w.uint(a.affected.len() as u64);
        for av in &a.affected {
            w.uint(av.ranges.len() as u64);
            for r in &av.ranges {
                w.uint(range_code(r.kind));
                w.uint(r.events.len() as u64);
                for e in &r.events {
                    w.uint(event_code(e.kind));
                    w.str(&e.version);
                }
            }
            w.strs(&av.versions);
        }
    }
}

/// Serialise a whole index file.
fn encode_index(
    eco: Ecosystem,
    stamp: ZipStamp,
    advisories: usize,
    packages: &BTreeMap<String, Vec<PackageAdvisory>>,
) -> Result<Vec<u8>, String> {
    let too_big = || "index larger than 4 GiB".to_string();
    let to32 = |v: usize| u32::try_from(v).map_err(|_| too_big());
    let table_len = packages.len() * TABLE_ENTRY;
    let names_len: usize = packages.keys().map(String::len).sum();
    let mut payloads = Writer(Vec::new());
    let mut table = Vec::with_capacity(table_len);
    let mut names = Vec::with_capacity(names_len);
    for (name, advs) in packages {
        let start = payloads.0.len();
        encode_package(&mut payloads, advs);
        let name_off = table_len + names.len();
        names.extend_from_slice(name.as_bytes());
        let pay_off = table_len + names_len + start;
        for v in [name_off, name.len(), pay_off, payloads.0.len() - start] {
            table.extend_from_slice(&to32(v)?.to_le_bytes());
        }
    }
    let mut body = table;
    body.extend_from_slice(&names);
    body.extend_from_slice(&payloads.0);
    to32(body.len())?;

    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&to32(packages.len())?.to_le_bytes());
    out.extend_from_slice(&to32(advisories)?.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&stamp.size.to_le_bytes());
    out.extend_from_slice(&stamp.secs.to_le_bytes());
    out.extend_from_slice(&stamp.nanos.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes());
    let mut eco_name = [0u8; 16];
    for (d, s) in eco_name.iter_mut().zip(eco.osv_name().as_bytes()) {
        *d = *s;
    }
    out.extend_from_slice(&eco_name);
    out.extend_from_slice(&body);
    let hash = file_hash(&out).to_le_bytes();
    if let Some(slot) = out.get_mut(56..64) {
        slot.copy_from_slice(&hash);
    }
    Ok(out)
}

/// Build the index bytes of one ecosystem from its zip.
fn build_bytes(eco: Ecosystem, db_dir: &Path) -> Result<(Vec<u8>, IndexStats), DepsError> {
    let zip = zip_path(db_dir, eco);
    let stamp = ZipStamp::of(&zip)?;
    let (advisories, packages) = read_zip(eco, &zip)?;
    let bytes = encode_index(eco, stamp, advisories, &packages)
        .map_err(|m| db_err(&index_path(db_dir, eco), m))?;
    let stats = IndexStats {
        advisories,
        packages: packages.len(),
    };
    Ok((bytes, stats))
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DepsError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = path.with_file_name(format!("{INDEX_FILE}.tmp.{}.{nanos}", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(DepsError::io(path, e));
    }
    Ok(())
}

/// Build (or rebuild) the index for every `<Ecosystem>/all.zip` under `db_dir`: withdrawn
/// records and entries for other ecosystems are skipped. Returns the totals over all
/// ecosystems.
pub fn build_index(db_dir: &Path) -> Result<IndexStats, DepsError> {
    let mut total = IndexStats::default();
    for eco in present(db_dir) {
        let (bytes, stats) = build_bytes(eco, db_dir)?;
        write_atomic(&index_path(db_dir, eco), &bytes)?;
        total.advisories += stats.advisories;
        total.packages += stats.packages;
    }
    Ok(total)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Bounds-checked decoder over a payload.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn uint(&mut self) -> Result<u64, String> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.buf.get(self.pos).ok_or("truncated payload")?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("bad integer in payload".into())
    }

    /// A count, bounded by the bytes left (every element takes at least one byte).
    fn count(&mut self) -> Result<usize, String> {
        let n = usize::try_from(self.uint()?).map_err(|_| "bad count")?;
        if n > self.buf.len().saturating_sub(self.pos) {
            return Err("count past the end of the payload".into());
        }
        Ok(n)
    }

    fn str(&mut self) -> Result<&'a str, String> {
        let n = self.count()?;
        let end = self.pos + n;
        let bytes = self.buf.get(self.pos..end).ok_or("truncated string")?;
        self.pos = end;
        std::str::from_utf8(bytes).map_err(|_| "invalid UTF-8 in payload".into())
    }

    fn strs(&mut self) -> Result<Vec<String>, String> {
        let n = self.count()?;
        (0..n).map(|_| self.str().map(str::to_string)).collect()
    }
}

fn decode_range_kind(c: u64) -> Result<RangeKind, String> {
    Ok(match c {
        0 => RangeKind::Semver,
        1 => RangeKind::Ecosystem,
        2 => RangeKind::Git,
        3 => RangeKind::Other,
        _ => return Err(format!("unknown range kind {c}")),
    })
}

fn decode_event_kind(c: u64) -> Result<EventKind, String> {
    Ok(match c {
        0 => EventKind::Introduced,
        1 => EventKind::Fixed,
        2 => EventKind::LastAffected,
        3 => EventKind::Limit,
        _ => return Err(format!("unknown event kind {c}")),
    })
}

/// Inverse of [`encode_package`].
fn decode_package(buf: &[u8]) -> Result<Vec<PackageAdvisory>, String> {
    let mut r = Reader { buf, pos: 0 };
    let n = r.count()?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.str()?.to_string();
        let aliases = r.strs()?;
        let summary = r.str()?.to_string();
        let cvss_vectors = r.strs()?;
        let label = Some(r.str()?).filter(|s| !s.is_empty()).map(str::to_string);
        let n_aff = r.count()?;
        let mut affected = Vec::with_capacity(n_aff);
        for _ in 0..n_aff {
            let n_ranges = r.count()?;
            let mut ranges = Vec::with_capacity(n_ranges);
            for _ in 0..n_ranges {
                let kind = decode_range_kind(r.uint()?)?;
                let n_ev = r.count()?;
                let mut events = Vec::with_capacity(n_ev);
                for _ in 0..n_ev {
                    let kind = decode_event_kind(r.uint()?)?;
                    let version = r.str()?.to_string();
                    events.push(RangeEvent { kind, version });
                }
                ranges.push(AffectedRange { kind, events });
            }
            let versions = r.strs()?;
            affected.push(AffectedVersions { ranges, versions });
        }
        out.push(PackageAdvisory {
            id,
            aliases,
            summary,
            cvss_vectors,
            label,
            affected,
        });
    }
    if r.pos != buf.len() {
        return Err("trailing bytes in payload".into());
    }
    Ok(out)
}

/// Why an index file could not be used.
enum LoadError {
    /// Written by another format version: rebuild it.
    Outdated,
    /// Damaged: report it.
    Corrupt(String),
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(at..at + 4) {
        w.copy_from_slice(s);
    }
    u32::from_le_bytes(w)
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(s) = b.get(at..at + 8) {
        w.copy_from_slice(s);
    }
    u64::from_le_bytes(w)
}

/// One loaded ecosystem index.
#[derive(Debug)]
struct EcoIndex {
    eco: Ecosystem,
    path: PathBuf,
    stamp: ZipStamp,
    packages: usize,
    advisories: usize,
    /// The whole file; the body starts at `HEADER_LEN`.
    bytes: Vec<u8>,
}

impl EcoIndex {
    /// Check the header, the hash and every table entry's bounds and order.
    fn parse(eco: Ecosystem, path: PathBuf, bytes: Vec<u8>) -> Result<EcoIndex, LoadError> {
        let corrupt = |m: &str| LoadError::Corrupt(m.to_string());
        if bytes.len() < HEADER_LEN || bytes.get(..8) != Some(MAGIC.as_slice()) {
            return Err(corrupt("not a secops index (bad header)"));
        }
        if le_u32(&bytes, 8) != FORMAT {
            return Err(LoadError::Outdated);
        }
        let packages = le_u32(&bytes, 12) as usize;
        let advisories = le_u32(&bytes, 16) as usize;
        let stamp = ZipStamp {
            size: le_u64(&bytes, 24),
            secs: le_u64(&bytes, 32) as i64,
            nanos: le_u32(&bytes, 40),
        };
        let body = bytes.get(HEADER_LEN..).unwrap_or_default();
        if le_u64(&bytes, 48) != body.len() as u64 {
            return Err(corrupt("truncated or padded (body length mismatch)"));
        }
        if le_u64(&bytes, 56) != file_hash(&bytes) {
            return Err(corrupt("damaged (checksum mismatch)"));
        }
        let name = bytes.get(64..80).unwrap_or_default();
        let name_len = name.iter().position(|b| *b == 0).unwrap_or(name.len());
        if name.get(..name_len) != Some(eco.osv_name().as_bytes()) {
            return Err(corrupt("built for another ecosystem"));
        }
        let table_len = packages
            .checked_mul(TABLE_ENTRY)
            .filter(|l| *l <= body.len())
            .ok_or_else(|| corrupt("package table past the end"))?;
        let ix = EcoIndex {
            eco,
            path,
            stamp,
            packages,
            advisories,
            bytes,
        };
        let mut prev: Option<&[u8]> = None;
        for i in 0..packages {
            let (name, payload) = ix
                .entry_ranges(i)
                .ok_or_else(|| corrupt("bad package table"))?;
            let name = ix
                .body()
                .get(name.clone())
                .filter(|_| name.start >= table_len);
            match name {
                Some(n) if payload.start >= table_len && prev.is_none_or(|p| p < n) => {
                    prev = Some(n)
                }
                _ => return Err(corrupt("bad package table")),
            }
        }
        Ok(ix)
    }

    fn body(&self) -> &[u8] {
        self.bytes.get(HEADER_LEN..).unwrap_or_default()
    }

    /// Body offsets of the name and payload of table entry `i`; `None` when out of bounds.
    fn entry_ranges(&self, i: usize) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let body = self.body();
        let at = i.checked_mul(TABLE_ENTRY)?;
        body.get(at..at.checked_add(TABLE_ENTRY)?)?;
        let f = |k: usize| le_u32(body, at + 4 * k) as usize;
        let name = f(0)..f(0).checked_add(f(1))?;
        let payload = f(2)..f(2).checked_add(f(3))?;
        (name.end <= body.len() && payload.end <= body.len()).then_some((name, payload))
    }

    /// Name and payload of table entry `i`; `None` when out of bounds.
    fn entry(&self, i: usize) -> Option<(&[u8], &[u8])> {
        let (name, payload) = self.entry_ranges(i)?;
        let body = self.body();
        Some((body.get(name)?, body.get(payload)?))
    }

    /// Advisories of the package with normalised name `key` (empty when none).
    fn lookup(&self, key: &str) -> Result<Vec<PackageAdvisory>, DepsError> {
        let (mut lo, mut hi) = (0, self.packages);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (name, payload) = self
                .entry(mid)
                .ok_or_else(|| db_err(&self.path, "bad package table"))?;
            match name.cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return decode_package(payload)
                        .map_err(|m| db_err(&self.path, format!("package {key}: {m}")));
                }
            }
        }
        Ok(Vec::new())
    }
}

/// Load the index of `eco`, rebuilding it from the zip when it is missing, stale or of another
/// format version (and writing it back when `write_back` and the folder allows it).
fn load_or_build(db_dir: &Path, eco: Ecosystem, write_back: bool) -> Result<EcoIndex, DepsError> {
    let zip = zip_path(db_dir, eco);
    let path = index_path(db_dir, eco);
    let stamp = ZipStamp::of(&zip)?;
    match std::fs::read(&path) {
        Ok(bytes) => match EcoIndex::parse(eco, path.clone(), bytes) {
            Ok(ix) if ix.stamp == stamp => return Ok(ix),
            Ok(_) | Err(LoadError::Outdated) => {}
            Err(LoadError::Corrupt(m)) => return Err(db_err(&path, m)),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(DepsError::io(&path, e)),
    }
    let (bytes, _) = build_bytes(eco, db_dir)?;
    if write_back {
        // The index is a cache: a read-only folder only costs a rebuild next time.
        let _ = write_atomic(&path, &bytes);
    }
    match EcoIndex::parse(eco, path.clone(), bytes) {
        Ok(ix) => Ok(ix),
        Err(LoadError::Outdated) => Err(db_err(&path, "index format mismatch after rebuild")),
        Err(LoadError::Corrupt(m)) => Err(db_err(&path, m)),
    }
}

/// The OSV database of one folder, opened through its indexes.
#[derive(Debug)]
pub struct Database {
    dir: PathBuf,
    /// Sorted by ecosystem.
    indexes: Vec<EcoIndex>,
}

impl Database {
    /// Open the indexes of the ecosystems present under `db_dir` (those with an `all.zip`).
    /// A missing or stale index is rebuilt from the zip in memory and written back when the
    /// folder is writable. A corrupt index or zip is a [`DepsError::Database`] naming the file.
    pub fn open(db_dir: &Path) -> Result<Database, DepsError> {
        Database::open_with(db_dir, true)
    }

    /// Like [`Database::open`], but never writes: a missing or stale index is rebuilt in
    /// memory only.
    pub fn open_read_only(db_dir: &Path) -> Result<Database, DepsError> {
        Database::open_with(db_dir, false)
    }

    fn open_with(db_dir: &Path, write_back: bool) -> Result<Database, DepsError> {
        if !db_dir.is_dir() {
            return Err(db_err(db_dir, "no such folder"));
        }
        let indexes = present(db_dir)
            .into_par_iter()
            .map(|eco| load_or_build(db_dir, eco, write_back))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Database {
            dir: db_dir.to_path_buf(),
            indexes,
        })
    }

    /// The database folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn index(&self, eco: Ecosystem) -> Option<&EcoIndex> {
        self.indexes.iter().find(|ix| ix.eco == eco)
    }

    /// Ecosystems with an index, in [`Ecosystem`] order.
    pub fn ecosystems(&self) -> Vec<Ecosystem> {
        self.indexes.iter().map(|ix| ix.eco).collect()
    }

    /// Number of advisories indexed for `eco` (0 when the ecosystem is absent).
    pub fn advisory_count(&self, eco: Ecosystem) -> usize {
        self.index(eco).map_or(0, |ix| ix.advisories)
    }

    /// Number of distinct (normalised) package names indexed for `eco`.
    pub fn package_count(&self, eco: Ecosystem) -> usize {
        self.index(eco).map_or(0, |ix| ix.packages)
    }

    /// Every indexed (normalised) package name of `eco`, sorted bytewise.
    pub fn package_names(&self, eco: Ecosystem) -> Vec<String> {
        let Some(ix) = self.index(eco) else {
            return Vec::new();
        };
        (0..ix.packages)
            .filter_map(|i| ix.entry(i))
            .map(|(name, _)| String::from_utf8_lossy(name).into_owned())
            .collect()
    }

    /// Every advisory of package `name` in `eco` (any version).
    pub fn package_advisories(
        &self,
        eco: Ecosystem,
        name: &str,
    ) -> Result<Vec<PackageAdvisory>, DepsError> {
        match self.index(eco) {
            Some(ix) => ix.lookup(&eco.normalize_name(name)),
            None => Ok(Vec::new()),
        }
    }

    /// The vulnerabilities affecting `pkg`, grouped by alias, sorted by id; an error only when
    /// the package's payload is damaged.
    pub fn try_query(&self, pkg: &Package) -> Result<Vec<VulnMatch>, DepsError> {
        let advs = self.package_advisories(pkg.ecosystem, &pkg.name)?;
        Ok(matcher::match_package(pkg.ecosystem, &pkg.version, &advs))
    }

    /// The vulnerabilities affecting `pkg`, grouped by alias, sorted by id.
    ///
    /// Opening checked the index's checksum and table, so a payload that fails to decode means
    /// an index written by a faulty build; such a package yields no match (use
    /// [`Database::try_query`] to see the error).
    pub fn query(&self, pkg: &Package) -> Vec<VulnMatch> {
        self.try_query(pkg).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BTreeMap<String, Vec<PackageAdvisory>> {
        let adv = |id: &str| PackageAdvisory {
            id: id.into(),
            aliases: vec!["CVE-1".into(), "ÜNICODE-2".into()],
            summary: "a summary".into(),
            cvss_vectors: vec!["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into()],
            label: Some("HIGH".into()),
            affected: vec![AffectedVersions {
                ranges: vec![
                    AffectedRange {
                        kind: RangeKind::Git,
                        events: vec![RangeEvent {
                            kind: EventKind::Introduced,
                            version: "abc".into(),
                        }],
                    },
                    AffectedRange {
                        kind: RangeKind::Ecosystem,
                        events: vec![
                            RangeEvent {
                                kind: EventKind::Introduced,
                                version: "0".into(),
                            },
                            RangeEvent {
                                kind: EventKind::LastAffected,
                                version: "1.0".into(),
                            },
                            RangeEvent {
                                kind: EventKind::Limit,
                                version: "2.0".into(),
                            },
                        ],
                    },
                ],
                versions: vec!["0.9".into()],
            }],
        };
        let mut m = BTreeMap::new();
        m.insert("alpha".to_string(), vec![adv("A-1"), adv("A-2")]);
        m.insert("beta".to_string(), vec![PackageAdvisory::default()]);
        m.insert("gamma".to_string(), vec![adv("G-1")]);
        m
    }

    fn encoded() -> Vec<u8> {
        encode_index(Ecosystem::PyPI, ZipStamp::default(), 3, &sample()).unwrap()
    }

    fn parse(bytes: Vec<u8>) -> Result<EcoIndex, LoadError> {
        EcoIndex::parse(Ecosystem::PyPI, PathBuf::from("x.idx"), bytes)
    }

    #[test]
    fn round_trip() {
        let ix = parse(encoded()).ok().unwrap();
        assert_eq!((ix.packages, ix.advisories), (3, 3));
        for (name, advs) in sample() {
            assert_eq!(ix.lookup(&name).unwrap(), advs);
        }
        assert!(ix.lookup("aaa").unwrap().is_empty());
        assert!(ix.lookup("zzz").unwrap().is_empty());
        assert!(ix.lookup("").unwrap().is_empty());
    }

    #[test]
    fn every_single_byte_flip_is_detected() {
        let good = encoded();
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x10;
            match parse(bad) {
                Err(_) => {}
                Ok(ix) => panic!("byte {i} flipped but accepted: {ix:?}"),
            }
        }
    }

    #[test]
    fn truncation_and_wrong_ecosystem_are_corrupt() {
        let good = encoded();
        for n in [0, 10, HEADER_LEN - 1, HEADER_LEN, good.len() - 1] {
            assert!(matches!(
                parse(good[..n].to_vec()),
                Err(LoadError::Corrupt(_))
            ));
        }
        let other = EcoIndex::parse(Ecosystem::Npm, PathBuf::from("x"), good);
        assert!(matches!(other, Err(LoadError::Corrupt(_))));
    }

    #[test]
    fn other_format_version_is_outdated() {
        let mut b = encoded();
        b[8] = 99;
        assert!(matches!(parse(b), Err(LoadError::Outdated)));
    }

    #[test]
    fn payload_decoder_rejects_garbage_without_panicking() {
        let mut w = Writer(Vec::new());
        encode_package(&mut w, &sample()["alpha"]);
        let good = w.0;
        for n in 0..good.len() {
            assert!(decode_package(&good[..n]).is_err());
        }
        assert!(decode_package(&[0xff; 20]).is_err());
        assert!(decode_package(&[0x05, 0x01]).is_err());
    }

    #[test]
    fn hash_sees_length_and_tail() {
        assert_ne!(hash64(&[b""]), hash64(&[b"\0"]));
        assert_ne!(hash64(&[b"123456789"]), hash64(&[b"123456780"]));
    }
}
