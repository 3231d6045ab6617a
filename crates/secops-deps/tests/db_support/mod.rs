//! Shared helpers of the `db_*` tests: fixture records, zips built at test time, a loopback
//! HTTP server, and snapshots of a database folder.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{Cursor, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The folder of fake OSV records.
pub fn records_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db/records")
}

/// The bytes of fixture record `id` (`tests/fixtures/db/records/<id>.json`).
pub fn record(id: &str) -> Vec<u8> {
    fs::read(records_dir().join(format!("{id}.json"))).unwrap()
}

/// A zip of `(entry name, content)` pairs; `stored` writes entries uncompressed.
pub fn zip_bytes(entries: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A zip of fixture records, each stored as `<id>.json`.
pub fn records_zip(ids: &[&str]) -> Vec<u8> {
    let contents: Vec<(String, Vec<u8>)> = ids
        .iter()
        .map(|id| (format!("{id}.json"), record(id)))
        .collect();
    let entries: Vec<(&str, &[u8])> = contents
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    zip_bytes(&entries, false)
}

/// The npm export used by most tests (three records).
pub fn npm_zip() -> Vec<u8> {
    records_zip(&["TEST-MULTI-0001", "TEST-NPM-0001", "TEST-NPM-0002"])
}

/// A stored (uncompressed) npm zip whose record text was altered after the CRC was computed:
/// still valid JSON, so only the CRC check can catch it.
pub fn crc_corrupted_zip() -> Vec<u8> {
    let rec = record("TEST-NPM-0001");
    let mut zip = zip_bytes(&[("TEST-NPM-0001.json", &rec)], true);
    let needle = b"left-padder";
    let at = zip.windows(needle.len()).position(|w| w == needle).unwrap();
    zip[at + needle.len() - 1] = b's';
    zip
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Standard base64 of an MD5 digest, as `x-goog-hash` carries it.
pub fn md5_base64(bytes: &[u8]) -> String {
    use md5::Digest;
    let digest = md5::Md5::digest(bytes);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in digest.chunks(3) {
        let mut v = 0u32;
        for i in 0..3 {
            v = (v << 8) | u32::from(chunk.get(i).copied().unwrap_or(0));
        }
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(alphabet[((v >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Every file under `dir` (relative path → bytes), for "left untouched" checks.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The entry names of a zip file.
pub fn zip_names(path: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    names
}

/// The metadata file of `dir`, parsed.
pub fn metadata_json(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("secops-db.json")).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Loopback HTTP server
// ---------------------------------------------------------------------------------------------

/// How the server answers one path.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    /// Sent as `ETag`; a request whose `If-None-Match` equals it gets a 304.
    pub etag: Option<String>,
    /// Announce this Content-Length instead of the body's (to simulate a cut connection).
    pub declared_len: Option<usize>,
}

impl Reply {
    /// A 200 with `body` and an ETag.
    pub fn ok(body: Vec<u8>, etag: &str) -> Reply {
        Reply {
            status: 200,
            body,
            etag: Some(etag.to_string()),
            headers: vec![(
                "Last-Modified".into(),
                "Wed, 21 Aug 2024 07:28:00 GMT".into(),
            )],
            declared_len: None,
        }
    }

    /// Add a response header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// One request the server saw, with the status it answered.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub status: u16,
}

/// A minimal HTTP/1.1 server on 127.0.0.1 (one connection at a time, `Connection: close`).
pub struct Server {
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Start the server in a background thread (it lives until the test process ends).
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (r, s) = (routes.clone(), seen.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = handle(stream, &r, &s);
            }
        });
        Server { base, routes, seen }
    }

    /// Answer `path` (e.g. `/npm/all.zip`) with `reply` from now on.
    pub fn route(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    /// The requests seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn handle(
    mut stream: TcpStream,
    routes: &Mutex<HashMap<String, Reply>>,
    seen: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
        if stream.read(&mut byte)? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let path = request_line.split(' ').nth(1).unwrap_or("/").to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();

    let reply = routes.lock().unwrap().get(&path).cloned();
    let mut out = Vec::new();
    let status = match reply {
        None => {
            out.extend_from_slice(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
            );
            404
        }
        Some(reply) => {
            let not_modified =
                reply.etag.is_some() && headers.get("if-none-match") == reply.etag.as_ref();
            let status = if not_modified { 304 } else { reply.status };
            let reason = match status {
                200 => "OK",
                304 => "Not Modified",
                404 => "Not Found",
                500 => "Internal Server Error",
                _ => "Other",
            };
            out.extend_from_slice(format!("HTTP/1.1 {status} {reason}\r\n").as_bytes());
            if let Some(etag) = &reply.etag {
                out.extend_from_slice(format!("ETag: {etag}\r\n").as_bytes());
            }
            for (k, v) in &reply.headers {
                out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
            }
            if !not_modified {
                let len = reply.declared_len.unwrap_or(reply.body.len());
                out.extend_from_slice(format!("Content-Length: {len}\r\n").as_bytes());
            }
            out.extend_from_slice(b"Connection: close\r\n\r\n");
            if !not_modified {
                out.extend_from_slice(&reply.body);
            }
            status
        }
    };
    seen.lock().unwrap().push(Seen {
        path,
        headers,
        status,
    });
    stream.write_all(&out)?;
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Both)
}
