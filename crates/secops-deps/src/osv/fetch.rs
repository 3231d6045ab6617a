//! Downloads of osv.dev's per-ecosystem exports (`secops db update`).
//!
//! For each ecosystem: `GET {base}/{Ecosystem}/all.zip`, conditional on the stored `ETag` /
//! `Last-Modified` (a 304 leaves the zip as is), streamed into a temporary file next to the
//! installed zip, checked (length, `x-goog-hash` MD5 when present, the same zip validation as
//! [`import`](crate::osv::store::import)), renamed into place, recorded in the metadata file.
//! One ecosystem failing does not stop the others. Nothing is printed: progress goes to a
//! callback and results come back in an [`UpdateReport`].

use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::osv::index::{build_index, IndexStats};
use crate::osv::store::{
    self, now_rfc3339, validate_zip, zip_path, DbStatus, EcosystemMeta, Metadata, TempFile,
};
use md5::Md5;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::Duration;

/// Where osv.dev publishes its exports.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";
/// Environment variable that overrides [`DEFAULT_BASE_URL`] (a mirror, or a test server).
pub const BASE_URL_ENV: &str = "SECOPS_OSV_URL";
/// Age after which a database counts as stale (the 7-day warning).
pub const STALE_AFTER: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Settings of [`update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOptions {
    /// Base URL; `None` means `$SECOPS_OSV_URL`, else [`DEFAULT_BASE_URL`].
    pub base_url: Option<String>,
    /// Limit for connecting.
    pub connect_timeout: Duration,
    /// Limit for the response headers, and for each read of the body (an idle connection).
    pub read_timeout: Duration,
    /// Download even when the stored ETag / Last-Modified say the zip is current.
    pub force: bool,
    /// Largest download accepted.
    pub max_bytes: u64,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            base_url: None,
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(60),
            force: false,
            max_bytes: 4 << 30,
        }
    }
}

/// Progress events of [`update`], in order per ecosystem: `Started`, `Downloading`* (not after
/// a 304), `Verifying` (idem), `Finished`; then `Indexing` once at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Started {
        ecosystem: Ecosystem,
        url: String,
    },
    /// `done` bytes received of `total` (the Content-Length, when sent).
    Downloading {
        ecosystem: Ecosystem,
        done: u64,
        total: Option<u64>,
    },
    /// Download complete; checking it.
    Verifying {
        ecosystem: Ecosystem,
    },
    /// The ecosystem is done; the error is rendered as text.
    Finished {
        ecosystem: Ecosystem,
        outcome: Result<UpdateOutcome, String>,
    },
    /// Rebuilding the index.
    Indexing,
}

/// What happened to one ecosystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// The server answered 304 Not Modified: the installed zip is current.
    Unchanged,
    /// A new zip was downloaded, checked and installed.
    Updated { bytes: u64, advisories: usize },
}

/// The result for one ecosystem.
#[derive(Debug)]
pub struct EcosystemUpdate {
    pub ecosystem: Ecosystem,
    pub url: String,
    pub result: Result<UpdateOutcome, DepsError>,
}

/// Everything [`update`] did.
#[derive(Debug)]
pub struct UpdateReport {
    /// One entry per requested ecosystem, in request order.
    pub results: Vec<EcosystemUpdate>,
    /// Counts from rebuilding the index; `None` when every ecosystem failed (not rebuilt).
    pub index: Option<IndexStats>,
}

impl UpdateReport {
    /// The ecosystems that failed.
    pub fn failures(&self) -> impl Iterator<Item = &EcosystemUpdate> {
        self.results.iter().filter(|r| r.result.is_err())
    }

    /// True when every ecosystem succeeded (updated or unchanged).
    pub fn is_success(&self) -> bool {
        self.results.iter().all(|r| r.result.is_ok())
    }
}

/// The base URL to use: `opts.base_url`, else `$SECOPS_OSV_URL` when set and not empty, else
/// [`DEFAULT_BASE_URL`].
pub fn base_url(opts: &UpdateOptions) -> String {
    if let Some(url) = opts.base_url.as_deref().filter(|u| !u.is_empty()) {
        return url.to_string();
    }
    match std::env::var(BASE_URL_ENV) {
        Ok(url) if !url.is_empty() => url,
        _ => DEFAULT_BASE_URL.to_string(),
    }
}

/// The export URL of `eco` under `base`: `{base}/{Ecosystem}/all.zip`.
pub fn export_url(base: &str, eco: Ecosystem) -> String {
    format!(
        "{}/{}/{}",
        base.trim_end_matches('/'),
        eco.osv_name(),
        store::ZIP_FILE
    )
}

/// True when some installed ecosystem is older than `max_age` (see [`STALE_AFTER`]). An empty
/// database is not stale (it is missing, which callers report differently).
pub fn is_stale(status: &DbStatus, max_age: Duration) -> bool {
    status.oldest_age().is_some_and(|age| age > max_age)
}

/// Download the exports of `ecosystems` (all of [`Ecosystem::ALL`] when empty) into `dir`, then
/// rebuild the index. Per-ecosystem failures are in the report; the call itself fails only
/// when `dir` cannot be created or the index cannot be rebuilt.
pub fn update(
    dir: &Path,
    ecosystems: &[Ecosystem],
    opts: &UpdateOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<UpdateReport, DepsError> {
    fs::create_dir_all(dir).map_err(|e| DepsError::io(dir, e))?;
    let base = base_url(opts);
    let agent = make_agent(opts, &base);
    // Our own cache file: an unreadable one is replaced.
    let mut meta = Metadata::load(dir).unwrap_or_default();
    let mut list: Vec<Ecosystem> = Vec::new();
    let requested = if ecosystems.is_empty() {
        &Ecosystem::ALL[..]
    } else {
        ecosystems
    };
    for &eco in requested {
        if !list.contains(&eco) {
            list.push(eco);
        }
    }

    let mut results = Vec::with_capacity(list.len());
    for eco in list {
        let url = export_url(&base, eco);
        progress(Progress::Started {
            ecosystem: eco,
            url: url.clone(),
        });
        let job = Job {
            agent: &agent,
            dir,
            eco,
            url: &url,
            opts,
        };
        let result = job.run(&mut meta, progress);
        progress(Progress::Finished {
            ecosystem: eco,
            outcome: result
                .as_ref()
                .map(Clone::clone)
                .map_err(ToString::to_string),
        });
        results.push(EcosystemUpdate {
            ecosystem: eco,
            url,
            result,
        });
    }

    let index = if results.iter().any(|r| r.result.is_ok()) {
        progress(Progress::Indexing);
        Some(build_index(dir)?)
    } else {
        None
    };
    Ok(UpdateReport { results, index })
}

/// The HTTP agent: status codes are returned (not errors), timeouts set, and no proxy for a
/// loopback base URL (a local mirror or test server).
fn make_agent(opts: &UpdateOptions, base: &str) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_recv_response(Some(opts.read_timeout))
        .timeout_per_read(Some(opts.read_timeout))
        .user_agent(format!("secops/{}", env!("CARGO_PKG_VERSION")));
    if is_loopback_url(base) {
        config = config.proxy(None);
    }
    ureq::Agent::new_with_config(config.build())
}

/// Whether the host of `url` is `localhost` or a loopback address.
fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A download error naming the URL.
fn fetch_error(url: &str, message: impl Into<String>) -> DepsError {
    DepsError::Fetch {
        url: url.to_string(),
        message: message.into(),
    }
}

/// One ecosystem's download.
struct Job<'a> {
    agent: &'a ureq::Agent,
    dir: &'a Path,
    eco: Ecosystem,
    url: &'a str,
    opts: &'a UpdateOptions,
}

/// A response body written to a temporary file, with its digests.
struct Downloaded {
    temp: TempFile,
    bytes: u64,
    sha256: String,
    md5_base64: String,
}

impl Job<'_> {
    /// Download, check and install; record the result in `meta` (saved to disk).
    fn run(
        &self,
        meta: &mut Metadata,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<UpdateOutcome, DepsError> {
        let eco_dir = self.dir.join(self.eco.osv_name());
        fs::create_dir_all(&eco_dir)
            .map_err(|e| fetch_error(self.url, format!("{}: {e}", eco_dir.display())))?;
        let dest = zip_path(self.dir, self.eco);
        // Conditional headers only when the zip they describe is still there.
        let previous = meta.get(self.eco).cloned().filter(|m| {
            !self.opts.force && fs::metadata(&dest).is_ok_and(|f| f.is_file() && f.len() == m.bytes)
        });

        let mut request = self
            .agent
            .get(self.url)
            .header("Accept-Encoding", "identity");
        let mut conditional = false;
        if let Some(prev) = &previous {
            if let Some(etag) = &prev.etag {
                request = request.header("If-None-Match", etag.as_str());
                conditional = true;
            }
            if let Some(lm) = &prev.last_modified {
                request = request.header("If-Modified-Since", lm.as_str());
                conditional = true;
            }
        }
        let response = request
            .call()
            .map_err(|e| fetch_error(self.url, e.to_string()))?;
        let status = response.status();

        if status.as_u16() == 304 {
            let Some(mut prev) = previous.filter(|_| conditional) else {
                return Err(fetch_error(
                    self.url,
                    "HTTP 304 Not Modified to an unconditional request",
                ));
            };
            prev.checked_at = Some(now_rfc3339());
            meta.set(self.eco, prev);
            meta.save(self.dir)?;
            return Ok(UpdateOutcome::Unchanged);
        }
        if status.as_u16() != 200 {
            return Err(fetch_error(
                self.url,
                format!(
                    "HTTP {} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                )
                .trim_end()
                .to_string(),
            ));
        }

        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header("etag");
        let last_modified = header("last-modified");
        let expected_md5 = goog_md5(headers);
        let total = response.body().content_length();
        if let Some(t) = total.filter(|&t| t > self.opts.max_bytes) {
            return Err(fetch_error(
                self.url,
                format!(
                    "{t} bytes is more than the {} byte limit",
                    self.opts.max_bytes
                ),
            ));
        }

        let body = response.into_body();
        let dl = self.download(body, &eco_dir, total, progress)?;
        if let Some(t) = total.filter(|&t| t != dl.bytes) {
            return Err(fetch_error(
                self.url,
                format!("truncated download: {} of {t} bytes", dl.bytes),
            ));
        }
        if let Some(expected) = expected_md5.filter(|e| *e != dl.md5_base64) {
            return Err(fetch_error(
                self.url,
                format!(
                    "MD5 mismatch: x-goog-hash says md5={expected}, the download has md5={}",
                    dl.md5_base64
                ),
            ));
        }
        progress(Progress::Verifying {
            ecosystem: self.eco,
        });
        let check = validate_zip(dl.temp.path())
            .map_err(|m| fetch_error(self.url, format!("not a valid OSV export zip: {m}")))?;
        dl.temp
            .persist(&dest)
            .map_err(|e| fetch_error(self.url, format!("{}: {e}", dest.display())))?;

        let now = now_rfc3339();
        meta.set(
            self.eco,
            EcosystemMeta {
                source: self.url.to_string(),
                etag,
                last_modified,
                sha256: dl.sha256,
                bytes: dl.bytes,
                advisories: check.advisories,
                downloaded_at: Some(now.clone()),
                imported_at: None,
                checked_at: Some(now),
            },
        );
        meta.save(self.dir)?;
        Ok(UpdateOutcome::Updated {
            bytes: dl.bytes,
            advisories: check.advisories,
        })
    }

    /// Stream the body into a temporary file in `eco_dir`, hashing it and reporting progress.
    fn download(
        &self,
        body: ureq::Body,
        eco_dir: &Path,
        total: Option<u64>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Downloaded, DepsError> {
        let io_error =
            |path: &Path, e: io::Error| fetch_error(self.url, format!("{}: {e}", path.display()));
        let temp = TempFile::new_in(eco_dir).map_err(|e| io_error(eco_dir, e))?;
        let mut file = temp.file().map_err(|e| io_error(temp.path(), e))?;
        let mut reader = body.into_with_config().limit(self.opts.max_bytes).reader();
        let mut sha = Sha256::new();
        let mut md5 = Md5::new();
        let mut buf = vec![0u8; store::CHUNK];
        let mut done = 0u64;
        progress(Progress::Downloading {
            ecosystem: self.eco,
            done,
            total,
        });
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(fetch_error(self.url, format!("reading the response: {e}"))),
            };
            let chunk = buf.get(..n).unwrap_or_default();
            sha.update(chunk);
            md5.update(chunk);
            file.write_all(chunk)
                .map_err(|e| io_error(temp.path(), e))?;
            done += n as u64;
            progress(Progress::Downloading {
                ecosystem: self.eco,
                done,
                total,
            });
        }
        file.flush().map_err(|e| io_error(temp.path(), e))?;
        Ok(Downloaded {
            temp,
            bytes: done,
            sha256: store::hex(&sha.finalize()),
            md5_base64: base64(&md5.finalize()),
        })
    }
}

/// The `md5=` value of Google Cloud Storage's `x-goog-hash` header(s), e.g.
/// `x-goog-hash: crc32c=n03x6A==, md5=Ojk9c3dhfxgoKVVHYwFbHQ==`. Composite objects have none.
fn goog_md5(headers: &ureq::http::HeaderMap) -> Option<String> {
    headers
        .get_all("x-goog-hash")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|part| part.trim().strip_prefix("md5=").map(str::to_string))
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sym = |v: u32| char::from(ALPHABET[(v & 63) as usize]);
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let v = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(v >> 18));
        out.push(sym(v >> 12));
        out.push(if chunk.len() > 1 { sym(v >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(v) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
        // MD5 of the empty string, as GCS would send it.
        assert_eq!(base64(&Md5::digest(b"")), "1B2M2Y8AsgTpgAmY7PhCfg==");
    }

    #[test]
    fn goog_hash_header_parsing() {
        let mut headers = ureq::http::HeaderMap::new();
        headers.append("x-goog-hash", "crc32c=n03x6A==".parse().unwrap());
        assert_eq!(goog_md5(&headers), None);
        headers.append(
            "x-goog-hash",
            "crc32c=n03x6A==, md5=Ojk9c3dhfxgoKVVHYwFbHQ=="
                .parse()
                .unwrap(),
        );
        assert_eq!(
            goog_md5(&headers).as_deref(),
            Some("Ojk9c3dhfxgoKVVHYwFbHQ==")
        );
    }

    #[test]
    fn urls() {
        assert_eq!(
            export_url("https://example.invalid/osv/", Ecosystem::CratesIo),
            "https://example.invalid/osv/crates.io/all.zip"
        );
        assert_eq!(
            export_url(DEFAULT_BASE_URL, Ecosystem::PyPI),
            "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"
        );
        assert!(is_loopback_url("http://127.0.0.1:8080/x"));
        assert!(is_loopback_url("http://localhost"));
        assert!(is_loopback_url("http://[::1]:99/"));
        assert!(is_loopback_url("http://user@127.0.0.2/"));
        assert!(!is_loopback_url(DEFAULT_BASE_URL));
        assert!(!is_loopback_url("http://127.0.0.1.example.invalid/"));
    }
}
