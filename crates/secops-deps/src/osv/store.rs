//! The vulnerability database folder: default location, metadata, status and import.
//!
//! Layout (osv.dev's export layout plus one metadata file):
//! ```text
//! <dir>/<Ecosystem>/all.zip   one <ID>.json OSV record per zip entry
//! <dir>/secops-db.json        per ecosystem: source, ETag, Last-Modified, sha256, size, count, times
//! ```
//! Every install is validated first (the zip opens, every entry reads with its CRC checked, every
//! `*.json` entry is a JSON object with a string `id`) and then made atomic: the new zip is
//! written to a temporary file in the database folder and renamed over the old one, so a failed
//! import or download never leaves a half-written database behind.

use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::osv::index::{build_index, IndexStats};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Environment variable that overrides [`default_db_dir`].
pub const DB_DIR_ENV: &str = "SECOPS_DB_DIR";
/// Name of the metadata file at the root of a database folder.
pub const METADATA_FILE: &str = "secops-db.json";
/// Name of the per-ecosystem export zip, as osv.dev names it.
pub const ZIP_FILE: &str = "all.zip";
/// Current version of the metadata file format.
const METADATA_VERSION: u32 = 1;
/// Largest OSV record accepted, uncompressed (real records are at most a few hundred KB).
pub(crate) const MAX_RECORD_BYTES: u64 = 16 << 20;
/// Buffer size for streaming copies and downloads.
pub(crate) const CHUNK: usize = 64 * 1024;

/// The database folder used when none is given: `$SECOPS_DB_DIR` when set and not empty,
/// else `<user cache dir>/secops/osv`, else `./.secops-db`.
pub fn default_db_dir() -> PathBuf {
    if let Some(v) = std::env::var_os(DB_DIR_ENV) {
        if !v.is_empty() {
            return PathBuf::from(v);
        }
    }
    match dirs::cache_dir() {
        Some(cache) => cache.join("secops").join("osv"),
        None => PathBuf::from(".secops-db"),
    }
}

/// Where the export zip of `eco` lives in `dir`: `<dir>/<Ecosystem>/all.zip`.
pub fn zip_path(dir: &Path, eco: Ecosystem) -> PathBuf {
    dir.join(eco.osv_name()).join(ZIP_FILE)
}

// ---------------------------------------------------------------------------------------------
// Metadata file
// ---------------------------------------------------------------------------------------------

/// Contents of `<dir>/secops-db.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Format version of this file.
    #[serde(default)]
    pub version: u32,
    /// Per ecosystem, keyed by its OSV name (`PyPI`, `crates.io`, ...).
    #[serde(default)]
    pub ecosystems: BTreeMap<String, EcosystemMeta>,
}

impl Default for Metadata {
    fn default() -> Self {
        Metadata {
            version: METADATA_VERSION,
            ecosystems: BTreeMap::new(),
        }
    }
}

/// What is known about one installed `all.zip`. Times are RFC 3339 strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcosystemMeta {
    /// Download URL, or the imported path.
    pub source: String,
    /// `ETag` of the download, sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Last-Modified` of the download, sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// SHA-256 of the installed zip, lower-case hex.
    pub sha256: String,
    /// Size of the installed zip.
    pub bytes: u64,
    /// Number of advisories (`*.json` entries) in the zip.
    pub advisories: usize,
    /// When the zip was downloaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downloaded_at: Option<String>,
    /// When the zip was imported from a local file or folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_at: Option<String>,
    /// When the server last confirmed the zip is current (HTTP 304).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
}

impl EcosystemMeta {
    /// The latest of `downloaded_at`, `imported_at` and `checked_at`: when the content was
    /// last known to be current. Unparseable times are ignored.
    pub fn last_update(&self) -> Option<OffsetDateTime> {
        [&self.downloaded_at, &self.imported_at, &self.checked_at]
            .into_iter()
            .flatten()
            .filter_map(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
            .max()
    }
}

impl Metadata {
    /// Path of the metadata file in `dir`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(METADATA_FILE)
    }

    /// Read `<dir>/secops-db.json`; a missing file gives empty metadata, an unreadable or
    /// invalid one an error.
    pub fn load(dir: &Path) -> Result<Metadata, DepsError> {
        let path = Metadata::path(dir);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Metadata::default()),
            Err(e) => return Err(DepsError::io(path, e)),
        };
        serde_json::from_slice(&bytes).map_err(|e| DepsError::Database {
            path,
            message: format!("invalid metadata file: {e}"),
        })
    }

    /// Write the metadata file atomically (temporary file + rename).
    pub fn save(&self, dir: &Path) -> Result<(), DepsError> {
        let path = Metadata::path(dir);
        let json = serde_json::to_vec_pretty(self).map_err(|e| DepsError::Database {
            path: path.clone(),
            message: format!("cannot encode metadata: {e}"),
        })?;
        let temp = TempFile::new_in(dir).map_err(|e| DepsError::io(dir, e))?;
        temp.file()
            .and_then(|mut f| f.write_all(&json))
            .map_err(|e| DepsError::io(temp.path(), e))?;
        temp.persist(&path).map_err(|e| DepsError::io(&path, e))
    }

    /// The entry of `eco`, if any.
    pub fn get(&self, eco: Ecosystem) -> Option<&EcosystemMeta> {
        self.ecosystems.get(eco.osv_name())
    }

    /// Replace the entry of `eco`.
    pub fn set(&mut self, eco: Ecosystem, meta: EcosystemMeta) {
        self.ecosystems.insert(eco.osv_name().to_string(), meta);
    }
}

/// The current time as an RFC 3339 string (UTC).
pub(crate) fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

/// What `secops db status` shows: one entry per installed ecosystem zip.
#[derive(Debug, Clone, PartialEq)]
pub struct DbStatus {
    /// The database folder.
    pub dir: PathBuf,
    /// Installed ecosystems, in [`Ecosystem::ALL`] order.
    pub ecosystems: Vec<EcosystemStatus>,
    /// Non-fatal problems (unreadable metadata, metadata that does not match a zip).
    pub warnings: Vec<String>,
}

/// Where [`EcosystemStatus::updated_at`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    /// The metadata file (download, import or 304 check time).
    Metadata,
    /// The zip's modification time (no usable metadata).
    FileMtime,
    /// Neither is available.
    Unknown,
}

/// One installed `<Ecosystem>/all.zip`.
#[derive(Debug, Clone, PartialEq)]
pub struct EcosystemStatus {
    pub ecosystem: Ecosystem,
    pub path: PathBuf,
    /// Size of the zip.
    pub bytes: u64,
    /// Number of `*.json` entries in the zip's central directory; `None` when it cannot be read
    /// (see `problem`).
    pub advisories: Option<usize>,
    /// When the content was last known to be current.
    pub updated_at: Option<OffsetDateTime>,
    pub updated_from: TimeSource,
    /// Time since `updated_at` (zero when `updated_at` is in the future).
    pub age: Option<Duration>,
    /// The metadata entry, when it matches the zip on disk.
    pub meta: Option<EcosystemMeta>,
    /// Why the zip could not be read, if it could not.
    pub problem: Option<String>,
}

impl DbStatus {
    /// The age of the least recently updated ecosystem; `None` when nothing is installed or no
    /// age is known.
    pub fn oldest_age(&self) -> Option<Duration> {
        self.ecosystems.iter().filter_map(|e| e.age).max()
    }

    /// True when no ecosystem zip is installed.
    pub fn is_empty(&self) -> bool {
        self.ecosystems.is_empty()
    }

    /// The entry of `eco`, if installed.
    pub fn get(&self, eco: Ecosystem) -> Option<&EcosystemStatus> {
        self.ecosystems.iter().find(|e| e.ecosystem == eco)
    }
}

/// Describe the database in `dir`. A missing folder is an empty status, not an error.
pub fn status(dir: &Path) -> Result<DbStatus, DepsError> {
    let mut st = DbStatus {
        dir: dir.to_path_buf(),
        ecosystems: Vec::new(),
        warnings: Vec::new(),
    };
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(DepsError::Database {
                path: dir.to_path_buf(),
                message: "not a directory".into(),
            })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(st),
        Err(e) => return Err(DepsError::io(dir, e)),
    }
    let meta = Metadata::load(dir).unwrap_or_else(|e| {
        st.warnings.push(format!("{e} (ignored)"));
        Metadata::default()
    });
    let now = OffsetDateTime::now_utc();
    for eco in Ecosystem::ALL {
        if let Some(es) = ecosystem_status(dir, eco, meta.get(eco), now, &mut st.warnings) {
            st.ecosystems.push(es);
        }
    }
    Ok(st)
}

/// Status of one ecosystem; `None` when its zip is absent.
fn ecosystem_status(
    dir: &Path,
    eco: Ecosystem,
    meta: Option<&EcosystemMeta>,
    now: OffsetDateTime,
    warnings: &mut Vec<String>,
) -> Option<EcosystemStatus> {
    let path = zip_path(dir, eco);
    let fmeta = match fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if meta.is_some() {
                warnings.push(format!(
                    "{METADATA_FILE} lists {eco} but {} is missing",
                    path.display()
                ));
            }
            return None;
        }
        Err(e) => {
            return Some(EcosystemStatus {
                ecosystem: eco,
                path,
                bytes: 0,
                advisories: None,
                updated_at: None,
                updated_from: TimeSource::Unknown,
                age: None,
                meta: None,
                problem: Some(e.to_string()),
            })
        }
    };
    let bytes = fmeta.len();
    let (advisories, problem) = match count_advisories(&path) {
        Ok(n) => (Some(n), None),
        Err(m) => (None, Some(m)),
    };
    // Metadata only counts when it describes this file (same size); a zip copied in by hand
    // falls back to its mtime.
    let meta = match meta {
        Some(m) if m.bytes == bytes => Some(m.clone()),
        Some(_) => {
            warnings.push(format!(
                "{METADATA_FILE} does not match {} (size differs): using the file time",
                path.display()
            ));
            None
        }
        None => None,
    };
    let (updated_at, updated_from) = match meta.as_ref().and_then(EcosystemMeta::last_update) {
        Some(t) => (Some(t), TimeSource::Metadata),
        None => match fmeta.modified() {
            Ok(t) => (Some(OffsetDateTime::from(t)), TimeSource::FileMtime),
            Err(_) => (None, TimeSource::Unknown),
        },
    };
    let age = updated_at.map(|t| Duration::try_from(now - t).unwrap_or(Duration::ZERO));
    Some(EcosystemStatus {
        ecosystem: eco,
        path,
        bytes,
        advisories,
        updated_at,
        updated_from,
        age,
        meta,
        problem,
    })
}

/// Count the `*.json` entries of a zip from its central directory (no decompression).
pub fn count_advisories(path: &Path) -> Result<usize, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("not a readable zip archive: {e}"))?;
    Ok(zip
        .file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| is_json_name(n)))
        .count())
}

/// Whether a zip entry or file name is a `*.json` record.
fn is_json_name(name: &str) -> bool {
    name.len() > 5
        && name
            .get(name.len() - 5..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".json"))
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/// What validating an export zip found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ZipCheck {
    /// Number of `*.json` records.
    pub advisories: usize,
    /// The ecosystem named by the first record that names one (the first supported one of its
    /// `affected[].package.ecosystem`, else the first), as written.
    pub first_ecosystem: Option<String>,
}

/// Validate an export zip: it opens, every file entry reads with its CRC checked, every
/// `*.json` entry is a JSON object with a string `id`, and there is at least one. The error is
/// a message without the path (callers add it).
pub(crate) fn validate_zip(path: &Path) -> Result<ZipCheck, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("not a readable zip archive: {e}"))?;
    let mut check = ZipCheck {
        advisories: 0,
        first_ecosystem: None,
    };
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| format!("entry #{i}: {e}"))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("#{i}"));
        if entry.size() > MAX_RECORD_BYTES {
            return Err(format!(
                "entry {name}: larger than {MAX_RECORD_BYTES} bytes"
            ));
        }
        buf.clear();
        (&mut entry)
            .take(MAX_RECORD_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("entry {name}: {e}"))?;
        if buf.len() as u64 > MAX_RECORD_BYTES {
            return Err(format!(
                "entry {name}: larger than {MAX_RECORD_BYTES} bytes"
            ));
        }
        if !is_json_name(&name) {
            continue;
        }
        check_record(&buf).map_err(|m| format!("entry {name}: {m}"))?;
        check.advisories += 1;
        if check.first_ecosystem.is_none() {
            check.first_ecosystem = preferred_ecosystem(&record_ecosystems(&buf));
        }
    }
    if check.advisories == 0 {
        return Err("no *.json advisory entries".into());
    }
    Ok(check)
}

/// Just the `id` of an OSV record (other fields are skipped unparsed).
#[derive(Deserialize)]
struct RecordId {
    id: String,
}

/// Check that `bytes` is a JSON object with a non-empty string `id`; returns the id.
pub(crate) fn check_record(bytes: &[u8]) -> Result<String, String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        _ => return Err("not a JSON object".into()),
    }
    let rec: RecordId = serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    if rec.id.trim().is_empty() {
        return Err("empty `id`".into());
    }
    Ok(rec.id)
}

/// The `affected[].package.ecosystem` strings of a record, in order (empty when the record
/// does not parse or names none).
pub(crate) fn record_ecosystems(bytes: &[u8]) -> Vec<String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    value
        .get("affected")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("package")?.get("ecosystem")?.as_str())
        .map(str::to_string)
        .collect()
}

/// The first supported ecosystem of a list, else its first entry.
fn preferred_ecosystem(names: &[String]) -> Option<String> {
    names
        .iter()
        .find(|n| Ecosystem::from_osv_name(n).is_some())
        .or_else(|| names.first())
        .cloned()
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/// A temporary file in a given folder, removed on drop unless [`TempFile::persist`]ed.
pub(crate) struct TempFile {
    path: PathBuf,
    file: Option<File>,
}

impl TempFile {
    /// Create a new, uniquely named hidden file in `dir`.
    pub(crate) fn new_in(dir: &Path) -> io::Result<TempFile> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut last_err = None;
        for _ in 0..16 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".secops-{}-{n}-{nanos:09}.tmp", std::process::id()));
            match fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    return Ok(TempFile {
                        path,
                        file: Some(file),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| io::Error::other("cannot create a temporary file")))
    }

    /// Where the file is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The open file (`&File` implements `Read`, `Write` and `Seek`).
    pub(crate) fn file(&self) -> io::Result<&File> {
        self.file
            .as_ref()
            .ok_or_else(|| io::Error::other("temporary file already closed"))
    }

    /// Flush to disk and rename over `dest` (atomic on the same file system).
    pub(crate) fn persist(mut self, dest: &Path) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        fs::rename(&self.path, dest)?;
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        self.file = None;
        if !self.path.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Copy `src` into `dst`, returning the byte count and the SHA-256 (hex) of what was copied.
fn copy_hashing(mut src: impl Read, mut dst: impl Write) -> io::Result<(u64, String)> {
    let mut sha = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        sha.update(chunk);
        dst.write_all(chunk)?;
        total += n as u64;
    }
    dst.flush()?;
    Ok((total, hex(&sha.finalize())))
}

/// SHA-256 (hex) and size of a file.
fn sha256_file(path: &Path) -> io::Result<(u64, String)> {
    copy_hashing(File::open(path)?, io::sink())
}

/// Create `path` and its parents, naming the folder on error.
fn ensure_dir(path: &Path) -> Result<(), DepsError> {
    fs::create_dir_all(path).map_err(|e| DepsError::io(path, e))
}

/// A database error naming `path`.
fn db_error(path: &Path, message: impl Into<String>) -> DepsError {
    DepsError::Database {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/// What [`import`] installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Installed ecosystems, in [`Ecosystem::ALL`] order.
    pub ecosystems: Vec<ImportedEcosystem>,
    /// Inputs that were left out, with the reason (unsupported ecosystems).
    pub skipped: Vec<String>,
    /// Counts from rebuilding the index.
    pub index: IndexStats,
}

/// One installed `<Ecosystem>/all.zip`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEcosystem {
    pub ecosystem: Ecosystem,
    /// The installed zip.
    pub path: PathBuf,
    pub bytes: u64,
    pub advisories: usize,
    /// SHA-256 of the installed zip, hex.
    pub sha256: String,
}

/// A validated zip waiting to be renamed into place.
struct Staged {
    ecosystem: Ecosystem,
    temp: TempFile,
    bytes: u64,
    advisories: usize,
    sha256: String,
}

/// Import OSV data from `src` into the database folder `dir`.
///
/// `src` is one export zip (its ecosystem taken from the records), a folder in the
/// `<Ecosystem>/all.zip` layout (every supported ecosystem found is imported), or a folder of
/// loose `<ID>.json` records (zipped per ecosystem; a record affecting several ecosystems goes
/// into each). Everything is validated before anything is installed, so invalid input leaves
/// the database untouched; then the index is rebuilt.
pub fn import(src: &Path, dir: &Path) -> Result<ImportReport, DepsError> {
    let src_meta = fs::metadata(src).map_err(|e| DepsError::io(src, e))?;
    ensure_dir(dir)?;
    let mut skipped = Vec::new();
    let staged = if !src_meta.is_dir() {
        vec![stage_zip(src, dir)?]
    } else if is_layout(src) {
        stage_layout(src, dir, &mut skipped)?
    } else {
        stage_loose(src, dir, &mut skipped)?
    };

    let source = fs::canonicalize(src).unwrap_or_else(|_| src.to_path_buf());
    let source = source.display().to_string();
    // Our own cache file: an unreadable one is replaced.
    let mut meta = Metadata::load(dir).unwrap_or_default();
    let now = now_rfc3339();
    let mut ecosystems = Vec::new();
    for s in staged {
        let dest = zip_path(dir, s.ecosystem);
        if let Some(parent) = dest.parent() {
            ensure_dir(parent)?;
        }
        s.temp.persist(&dest).map_err(|e| DepsError::io(&dest, e))?;
        meta.set(
            s.ecosystem,
            EcosystemMeta {
                source: source.clone(),
                sha256: s.sha256.clone(),
                bytes: s.bytes,
                advisories: s.advisories,
                imported_at: Some(now.clone()),
                ..EcosystemMeta::default()
            },
        );
        ecosystems.push(ImportedEcosystem {
            ecosystem: s.ecosystem,
            path: dest,
            bytes: s.bytes,
            advisories: s.advisories,
            sha256: s.sha256,
        });
    }
    meta.save(dir)?;
    let index = build_index(dir)?;
    ecosystems.sort_by_key(|e| e.ecosystem);
    Ok(ImportReport {
        ecosystems,
        skipped,
        index,
    })
}

/// Whether `src` holds at least one `<Ecosystem>/all.zip` of a supported ecosystem.
fn is_layout(src: &Path) -> bool {
    Ecosystem::ALL
        .into_iter()
        .any(|e| zip_path(src, e).is_file())
}

/// Copy `zip` into a temporary file in `temp_dir`, validate the copy and hash it.
fn stage_copy(zip: &Path, temp_dir: &Path) -> Result<(TempFile, u64, String, ZipCheck), DepsError> {
    let temp = TempFile::new_in(temp_dir).map_err(|e| DepsError::io(temp_dir, e))?;
    let input = File::open(zip).map_err(|e| DepsError::io(zip, e))?;
    let (bytes, sha256) = temp
        .file()
        .and_then(|f| copy_hashing(input, f))
        .map_err(|e| DepsError::io(zip, e))?;
    let check = validate_zip(temp.path()).map_err(|m| db_error(zip, m))?;
    Ok((temp, bytes, sha256, check))
}

/// Stage one export zip; its ecosystem comes from the records inside.
fn stage_zip(src: &Path, dir: &Path) -> Result<Staged, DepsError> {
    let (temp, bytes, sha256, check) = stage_copy(src, dir)?;
    let ecosystem = match check.first_ecosystem.as_deref() {
        None => return Err(db_error(src, "no record names an affected ecosystem")),
        Some(name) => Ecosystem::from_osv_name(name)
            .ok_or_else(|| db_error(src, format!("ecosystem `{name}` is not supported")))?,
    };
    Ok(Staged {
        ecosystem,
        temp,
        bytes,
        advisories: check.advisories,
        sha256,
    })
}

/// Stage every supported `<Ecosystem>/all.zip` of a layout folder; other folders with an
/// `all.zip` are reported in `skipped`.
fn stage_layout(
    src: &Path,
    dir: &Path,
    skipped: &mut Vec<String>,
) -> Result<Vec<Staged>, DepsError> {
    let mut staged = Vec::new();
    for eco in Ecosystem::ALL {
        let zip = zip_path(src, eco);
        if !zip.is_file() {
            continue;
        }
        let dest_dir = dir.join(eco.osv_name());
        ensure_dir(&dest_dir)?;
        let (temp, bytes, sha256, check) = stage_copy(&zip, &dest_dir)?;
        staged.push(Staged {
            ecosystem: eco,
            temp,
            bytes,
            advisories: check.advisories,
            sha256,
        });
    }
    if let Ok(entries) = fs::read_dir(src) {
        let mut others: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().join(ZIP_FILE).is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| Ecosystem::ALL.iter().all(|e| e.osv_name() != name))
            .collect();
        others.sort();
        skipped.extend(
            others
                .into_iter()
                .map(|name| format!("{name}/{ZIP_FILE}: ecosystem not supported")),
        );
    }
    Ok(staged)
}

/// Stage a folder of loose `*.json` records (top level only), zipped per ecosystem.
fn stage_loose(
    src: &Path,
    dir: &Path,
    skipped: &mut Vec<String>,
) -> Result<Vec<Staged>, DepsError> {
    let mut files: Vec<(String, PathBuf)> = fs::read_dir(src)
        .map_err(|e| DepsError::io(src, e))?
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, path)| is_json_name(name) && path.is_file())
        .collect();
    if files.is_empty() {
        return Err(db_error(
            src,
            format!("neither <Ecosystem>/{ZIP_FILE} folders nor *.json records found"),
        ));
    }
    files.sort();

    // Read and check every record, grouping them by ecosystem.
    let mut records: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.len());
    let mut groups: BTreeMap<Ecosystem, Vec<usize>> = BTreeMap::new();
    for (name, path) in files {
        let bytes = read_record_file(&path)?;
        check_record(&bytes).map_err(|m| db_error(&path, m))?;
        let names = record_ecosystems(&bytes);
        let mut ecos: Vec<Ecosystem> = names
            .iter()
            .filter_map(|n| Ecosystem::from_osv_name(n))
            .collect();
        ecos.sort();
        ecos.dedup();
        if ecos.is_empty() {
            let listed = if names.is_empty() {
                "none named".to_string()
            } else {
                names.join(", ")
            };
            skipped.push(format!("{name}: no supported ecosystem ({listed})"));
            continue;
        }
        for eco in ecos {
            groups.entry(eco).or_default().push(records.len());
        }
        records.push((name, bytes));
    }
    if groups.is_empty() {
        return Err(db_error(src, "no record is for a supported ecosystem"));
    }

    let mut staged = Vec::new();
    for (eco, members) in groups {
        let dest_dir = dir.join(eco.osv_name());
        ensure_dir(&dest_dir)?;
        let temp = TempFile::new_in(&dest_dir).map_err(|e| DepsError::io(&dest_dir, e))?;
        let entries = members.iter().filter_map(|&i| records.get(i));
        write_zip(&temp, entries).map_err(|m| db_error(temp.path(), m))?;
        let check = validate_zip(temp.path()).map_err(|m| db_error(temp.path(), m))?;
        let (bytes, sha256) =
            sha256_file(temp.path()).map_err(|e| DepsError::io(temp.path(), e))?;
        staged.push(Staged {
            ecosystem: eco,
            temp,
            bytes,
            advisories: check.advisories,
            sha256,
        });
    }
    Ok(staged)
}

/// Read one loose record file, refusing files larger than [`MAX_RECORD_BYTES`].
fn read_record_file(path: &Path) -> Result<Vec<u8>, DepsError> {
    let file = File::open(path).map_err(|e| DepsError::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DepsError::io(path, e))?;
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err(db_error(
            path,
            format!("larger than {MAX_RECORD_BYTES} bytes"),
        ));
    }
    Ok(bytes)
}

/// Write `(entry name, content)` pairs as a deflated zip into `temp`.
fn write_zip<'a>(
    temp: &TempFile,
    entries: impl Iterator<Item = &'a (String, Vec<u8>)>,
) -> Result<(), String> {
    let file = temp.file().map_err(|e| e.to_string())?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        zip.start_file(name.as_str(), options)
            .map_err(|e| format!("{name}: {e}"))?;
        zip.write_all(content).map_err(|e| format!("{name}: {e}"))?;
    }
    let mut file = zip.finish().map_err(|e| e.to_string())?;
    file.flush().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_checks() {
        assert_eq!(
            check_record(br#" {"id":"X-1","affected":[]}"#),
            Ok("X-1".into())
        );
        assert_eq!(
            check_record(b"\xEF\xBB\xBF{\"id\":\"X-2\"}"),
            Ok("X-2".into())
        );
        assert!(check_record(br#"["X-1"]"#).is_err());
        assert!(check_record(br#"{"summary":"no id"}"#).is_err());
        assert!(check_record(br#"{"id":""}"#).is_err());
        assert!(check_record(br#"{"id":7}"#).is_err());
        assert!(check_record(b"{\"id\":\"X\"").is_err());
        assert!(check_record(b"").is_err());
        assert!(check_record(b"\xff\xfe{").is_err());
    }

    #[test]
    fn ecosystems_of_a_record() {
        let rec = br#"{"id":"X","affected":[{"package":{"ecosystem":"Debian:12","name":"a"}},
            {"package":{"ecosystem":"PyPI","name":"b"}},{"ranges":[]}]}"#;
        let names = record_ecosystems(rec);
        assert_eq!(names, vec!["Debian:12".to_string(), "PyPI".to_string()]);
        assert_eq!(preferred_ecosystem(&names).as_deref(), Some("PyPI"));
        assert_eq!(
            preferred_ecosystem(&["Debian:12".to_string()]).as_deref(),
            Some("Debian:12")
        );
        assert!(record_ecosystems(br#"{"id":"X","affected":"odd"}"#).is_empty());
        assert!(record_ecosystems(b"not json").is_empty());
    }

    #[test]
    fn json_names_and_hex() {
        assert!(is_json_name("GO-2024-0001.json"));
        assert!(is_json_name("A.JSON"));
        assert!(!is_json_name(".json"));
        assert!(!is_json_name("README.md"));
        assert!(!is_json_name("é.jso"));
        assert_eq!(hex(&[0x00, 0x9f, 0xff]), "009fff");
    }

    #[test]
    fn last_update_takes_the_latest_valid_time() {
        let meta = EcosystemMeta {
            downloaded_at: Some("2024-01-01T00:00:00Z".into()),
            checked_at: Some("2024-03-01T00:00:00Z".into()),
            imported_at: Some("not a time".into()),
            ..EcosystemMeta::default()
        };
        let t = meta.last_update().map(|t| t.unix_timestamp());
        assert_eq!(t, Some(1_709_251_200));
        assert_eq!(EcosystemMeta::default().last_update(), None);
    }

    #[test]
    fn temp_file_is_removed_unless_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let temp = TempFile::new_in(dir.path()).unwrap();
        let path = temp.path().to_path_buf();
        assert!(path.exists());
        drop(temp);
        assert!(!path.exists());

        let temp = TempFile::new_in(dir.path()).unwrap();
        temp.file().unwrap().write_all(b"data").unwrap();
        let dest = dir.path().join("out");
        temp.persist(&dest).unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"data");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
