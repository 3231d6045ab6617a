//! Lockfile trees for benchmarking `secops deps`, seeded from an OSV snapshot.
//!
//! [`load_osv_seed`] reads the package names of each `<Ecosystem>/all.zip` (osv.dev's export
//! layout) and derives two versions per package from its advisories: one that looks vulnerable
//! (a listed affected version, a non-zero `introduced`, or just below the first `fixed`) and
//! one above every version the advisories mention. [`write_deps_tree`] then writes, under
//! `OUT`:
//!
//! - `rust/Cargo.lock`: version 3, every crates.io name plus generated ones (15,000 by default),
//!   each with a crates.io `source`, a checksum and an acyclic `dependencies` list;
//! - `node/package-lock.json`: lockfile version 3, every npm name plus generated ones (5,000
//!   entries under `node_modules/` by default, a few nested);
//! - `python/poetry.lock`: Poetry 2 style (lock-version 2.1), PyPI names plus generated ones
//!   (1,000 by default);
//! - `go/go.mod`: Go names plus generated ones (2,000 by default), so the whole tree touches
//!   all four ecosystems of the snapshot.
//!
//! Each OSV package gets its vulnerable-looking version with probability one half, its recent
//! one otherwise; generated packages get random versions. Everything is deterministic for a
//! seed and a snapshot.

use crate::util::{b64, hex, rbytes, Rng};
use rand::seq::SliceRandom;
use rand::{Rng as _, SeedableRng};
use secops_deps::osv::model::Vulnerability;
use secops_deps::Ecosystem;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

/// How many packages each generated lockfile holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepsTreeSpec {
    /// `[[package]]` entries with a crates.io source in `rust/Cargo.lock`.
    pub cargo: usize,
    /// Entries under `node_modules/` in `node/package-lock.json`.
    pub npm: usize,
    /// `[[package]]` entries in `python/poetry.lock`.
    pub poetry: usize,
    /// `require` lines in `go/go.mod`.
    pub go: usize,
}

impl Default for DepsTreeSpec {
    /// The sizes of the speed benchmark: 15,000 crates, 5,000 npm packages, 1,000 PyPI
    /// packages, 2,000 Go modules.
    fn default() -> Self {
        DepsTreeSpec {
            cargo: 15_000,
            npm: 5_000,
            poetry: 1_000,
            go: 2_000,
        }
    }
}

/// A package named by the OSV data, with two versions derived from its advisories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedPackage {
    pub name: String,
    /// A version inside an affected range (or listed as affected), when one could be derived.
    pub vulnerable: Option<String>,
    /// A version above every version the package's advisories mention.
    pub recent: String,
}

/// The packages of an OSV snapshot, per ecosystem, sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsvSeed {
    pub packages: BTreeMap<Ecosystem, Vec<SeedPackage>>,
}

impl OsvSeed {
    /// The packages of `eco` (empty when the snapshot has none).
    pub fn get(&self, eco: Ecosystem) -> &[SeedPackage] {
        self.packages.get(&eco).map_or(&[], Vec::as_slice)
    }
}

/// One file [`write_deps_tree`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockfileStats {
    /// Path relative to the output folder, forward slashes.
    pub path: String,
    pub ecosystem: String,
    /// Package entries written (without the root project).
    pub packages: usize,
    /// Of those, packages named by the OSV snapshot.
    pub osv_packages: usize,
    pub bytes: u64,
}

/// What [`write_deps_tree`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DepsTreeStats {
    pub files: Vec<LockfileStats>,
}

/// The four ecosystems of the snapshot the generator reads.
const SEED_ECOSYSTEMS: [Ecosystem; 4] = [
    Ecosystem::CratesIo,
    Ecosystem::Npm,
    Ecosystem::PyPI,
    Ecosystem::Go,
];

/// Largest record read from a zip.
const MAX_RECORD: u64 = 32 << 20;

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

// ---------------------------------------------------------------------------------------------
// Reading the snapshot

/// Read `<osv_dir>/<Ecosystem>/all.zip` for crates.io, npm, PyPI and Go (a missing zip gives
/// no packages for that ecosystem). Withdrawn records are read too: only names and versions
/// matter here. Fails when no zip is found or a record is not valid OSV JSON.
pub fn load_osv_seed(osv_dir: &Path) -> io::Result<OsvSeed> {
    let mut seed = OsvSeed::default();
    let mut found = false;
    for eco in SEED_ECOSYSTEMS {
        let zip = osv_dir.join(eco.osv_name()).join("all.zip");
        if !zip.is_file() {
            continue;
        }
        found = true;
        let bytes = fs::read(&zip)?;
        let records =
            read_records(&bytes).map_err(|m| invalid(format!("{}: {m}", zip.display())))?;
        seed.packages.insert(eco, seed_packages(eco, &records));
    }
    if !found {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "no <Ecosystem>/all.zip for crates.io, npm, PyPI or Go under {}",
                osv_dir.display()
            ),
        ));
    }
    Ok(seed)
}

/// Every `*.json` record of an export zip.
fn read_records(zip_bytes: &[u8]) -> Result<Vec<Vulnerability>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes))
        .map_err(|e| format!("not a readable zip: {e}"))?;
    let mut out = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| format!("entry {i}: {e}"))?;
        let name = entry
            .name()
            .map_err(|e| format!("entry {i}: {e}"))?
            .into_owned();
        if entry.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        let mut buf = Vec::new();
        entry
            .take(MAX_RECORD + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("{name}: {e}"))?;
        if buf.len() as u64 > MAX_RECORD {
            return Err(format!("{name}: record larger than 32 MiB"));
        }
        let rec = Vulnerability::from_json(&buf)
            .map_err(|e| format!("{name}: invalid OSV record: {e}"))?;
        out.push(rec);
    }
    Ok(out)
}

/// Versions an ecosystem's advisories mention for one package.
#[derive(Default)]
struct Mentioned {
    /// Explicitly listed affected versions (`versions[]`), in record order.
    listed: Vec<String>,
    /// Non-zero `introduced` versions.
    introduced: Vec<String>,
    fixed: Vec<String>,
    last_affected: Vec<String>,
}

/// The seed packages of one ecosystem, sorted by name (as written in the first record that
/// names them). `stdlib` and `toolchain` (Go pseudo-modules) are left out.
fn seed_packages(eco: Ecosystem, records: &[Vulnerability]) -> Vec<SeedPackage> {
    let mut by_name: BTreeMap<String, Mentioned> = BTreeMap::new();
    for rec in records {
        for a in &rec.affected {
            let name = a.name();
            if name.is_empty()
                || Ecosystem::from_osv_name(a.ecosystem()) != Some(eco)
                || (eco == Ecosystem::Go && matches!(name, "stdlib" | "toolchain"))
            {
                continue;
            }
            let m = by_name.entry(name.to_string()).or_default();
            m.listed.extend(a.versions.iter().cloned());
            for r in a.ranges.iter().filter(|r| r.kind != "GIT") {
                for e in &r.events {
                    if let Some(v) = e.introduced.as_ref().filter(|v| !is_zero(v)) {
                        m.introduced.push(v.clone());
                    }
                    m.fixed.extend(e.fixed.iter().cloned());
                    m.last_affected.extend(e.last_affected.iter().cloned());
                }
            }
        }
    }
    by_name
        .into_iter()
        .map(|(name, m)| SeedPackage {
            vulnerable: vulnerable_version(eco, &m),
            recent: recent_version(eco, &m),
            name,
        })
        .collect()
}

/// `0`, `0.0.0`, `0.0.0-0`: the "from the start" introduced versions.
fn is_zero(v: &str) -> bool {
    numeric(v).iter().all(|c| *c == 0)
}

/// The leading numeric components of a version (`v1.2.3-rc.1` → `[1, 2, 3]`,
/// `2.0rc1` → `[2, 0]`); a component with a non-digit suffix ends the list after its digits.
fn numeric(v: &str) -> Vec<u64> {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let mut out = Vec::new();
    for part in v.split('.') {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        let Ok(n) = digits.parse::<u64>() else {
            break;
        };
        out.push(n);
        if digits.len() != part.len() {
            break;
        }
    }
    out
}

/// Components padded with zeros to at least three.
fn padded(mut c: Vec<u64>) -> Vec<u64> {
    while c.len() < 3 {
        c.push(0);
    }
    c
}

/// Dotted form; SemVer-like ecosystems get exactly `major.minor.patch`.
fn render(eco: Ecosystem, c: &[u64]) -> String {
    let c = padded(c.to_vec());
    let take = if eco == Ecosystem::PyPI { c.len() } else { 3 };
    c.iter()
        .take(take)
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The version just below `c` in a "looks real" way: the last non-zero component decremented
/// and every later one set to 9 (`1.2.0` → `1.1.9`). `None` for all-zero versions.
fn below(c: &[u64]) -> Option<Vec<u64>> {
    let mut c = padded(c.to_vec());
    let i = c.iter().rposition(|x| *x > 0)?;
    for (j, x) in c.iter_mut().enumerate() {
        if j == i {
            *x -= 1;
        } else if j > i {
            *x = 9;
        }
    }
    Some(c)
}

/// A version inside an affected range: a listed version, a non-zero `introduced`, a
/// `last_affected`, or just below the smallest `fixed`.
fn vulnerable_version(eco: Ecosystem, m: &Mentioned) -> Option<String> {
    let exact = |v: &String| match eco {
        // PEP 440 versions are kept as written; the SemVer-like ones are normalised.
        Ecosystem::PyPI => Some(v.trim().to_string()).filter(|s| !s.is_empty()),
        _ => Some(numeric(v))
            .filter(|c| !c.is_empty())
            .map(|c| render(eco, &c)),
    };
    if let Some(v) = m.listed.last().and_then(exact) {
        return Some(v);
    }
    if let Some(v) = m.introduced.first().and_then(exact) {
        return Some(v);
    }
    if let Some(v) = m.last_affected.first().and_then(exact) {
        return Some(v);
    }
    m.fixed
        .iter()
        .map(|f| numeric(f))
        .filter(|c| !c.is_empty())
        .min()
        .and_then(|c| below(&c))
        .map(|c| render(eco, &c))
}

/// One major version above the highest version mentioned (`1.4.2` → `2.0.0`); `1.0.0` when
/// nothing is mentioned.
fn recent_version(eco: Ecosystem, m: &Mentioned) -> String {
    let top = m
        .listed
        .iter()
        .chain(&m.introduced)
        .chain(&m.fixed)
        .chain(&m.last_affected)
        .map(|v| numeric(v))
        .max()
        .unwrap_or_default();
    let major = top.first().copied().unwrap_or(0).saturating_add(1);
    render(eco, &[major, 0, 0])
}

// ---------------------------------------------------------------------------------------------
// Choosing packages

/// One package of a generated lockfile.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pick {
    name: String,
    version: String,
    /// Named by the OSV snapshot.
    from_osv: bool,
}

const PREFIXES: &[&str] = &[
    "async", "fast", "tiny", "simple", "micro", "hyper", "multi", "auto", "lazy", "smart", "quick",
    "safe", "open", "super", "easy", "mini", "deep", "net", "web", "cloud", "data", "text", "mem",
    "sys", "proto", "meta", "poly", "uni", "core", "base", "cross", "flex", "light", "pure", "raw",
    "zero", "nano", "mega", "ultra", "swift",
];

const STEMS: &[&str] = &[
    "json", "yaml", "toml", "http", "cache", "pool", "queue", "parser", "lexer", "codec", "buffer",
    "stream", "socket", "config", "logger", "trace", "metrics", "crypto", "hash", "cipher",
    "token", "router", "server", "client", "store", "index", "graph", "tree", "map", "set", "vec",
    "string", "regex", "glob", "path", "file", "image", "audio", "color", "time", "date", "uuid",
    "rand", "math", "matrix", "float", "bits", "bytes", "utf8", "ascii", "shell", "cli", "term",
    "watch", "sync", "lock", "task", "event", "signal", "worker",
];

const SUFFIXES: &[&str] = &[
    "rs", "core", "utils", "util", "derive", "macros", "sys", "impl", "types", "lite", "plus",
    "ext", "tools", "kit", "lib", "io", "api", "common", "helpers", "compat",
];

/// A word from `xs` (empty lists give an empty word).
fn word(rng: &mut Rng, xs: &[&str]) -> String {
    xs.choose(rng)
        .map_or_else(String::new, |s| (*s).to_string())
}

/// A plausible package name for `eco` (not checked for uniqueness).
fn generated_name(rng: &mut Rng, eco: Ecosystem) -> String {
    let (a, b) = (word(rng, PREFIXES), word(rng, STEMS));
    let suffix = if rng.gen_bool(0.5) {
        format!("-{}", word(rng, SUFFIXES))
    } else {
        String::new()
    };
    match eco {
        Ecosystem::CratesIo => {
            let sep = if rng.gen_bool(0.3) { "_" } else { "-" };
            format!("{a}{sep}{b}{}", suffix.replace('-', sep))
        }
        Ecosystem::Npm if rng.gen_bool(0.15) => format!("@{a}/{b}{suffix}"),
        Ecosystem::Go => {
            let host = word(
                rng,
                &["github.com", "gitlab.com", "golang.org/x", "go.example.org"],
            );
            format!("{host}/{a}{b}/{b}{suffix}")
        }
        _ => format!("{a}-{b}{suffix}"),
    }
}

/// A random, plausible version for `eco`.
fn random_version(rng: &mut Rng, eco: Ecosystem) -> String {
    let major = if rng.gen_bool(0.4) {
        0
    } else {
        rng.gen_range(1..6)
    };
    let c = [major, rng.gen_range(0..30), rng.gen_range(0..20)];
    if eco == Ecosystem::PyPI && rng.gen_bool(0.2) {
        render(eco, c.get(..2).unwrap_or(&c))
    } else {
        render(eco, &c)
    }
}

/// `n` packages for `eco`: every seed package (a seeded sample when there are more than `n`),
/// then generated names, in a seeded random order. Names are unique under [`name_key`].
fn choose_packages(rng: &mut Rng, eco: Ecosystem, seed: &[SeedPackage], n: usize) -> Vec<Pick> {
    let key = |s: &str| name_key(eco, s);
    let mut seen: HashSet<String> = HashSet::new();
    let mut seeds: Vec<&SeedPackage> = seed.iter().collect();
    seeds.shuffle(rng);
    let mut out = Vec::with_capacity(n);
    for s in seeds {
        if out.len() >= n {
            break;
        }
        if !seen.insert(key(&s.name)) {
            continue;
        }
        let version = match &s.vulnerable {
            Some(v) if rng.gen_bool(0.5) => v.clone(),
            _ => s.recent.clone(),
        };
        out.push(Pick {
            name: s.name.clone(),
            version,
            from_osv: true,
        });
    }
    // Names already in the snapshot (even if not picked) are not generated again.
    seen.extend(seed.iter().map(|s| key(&s.name)));
    let mut tries = 0u64;
    while out.len() < n {
        let mut name = generated_name(rng, eco);
        tries += 1;
        if tries > 4 * n as u64 {
            name = format!("{name}-{tries}");
        }
        if !seen.insert(key(&name)) {
            continue;
        }
        out.push(Pick {
            version: random_version(rng, eco),
            name,
            from_osv: false,
        });
    }
    out.shuffle(rng);
    out
}

/// The name under which a registry treats two spellings as one package: crates.io ignores case
/// and `-`/`_`; PyPI, NuGet and Packagist as [`Ecosystem::normalize_name`]; npm and Go names
/// are exact.
fn name_key(eco: Ecosystem, name: &str) -> String {
    match eco {
        Ecosystem::CratesIo => name.to_ascii_lowercase().replace('_', "-"),
        _ => eco.normalize_name(name).into_owned(),
    }
}

/// For each package `i`, up to `max` dependencies among the packages after it (an acyclic
/// graph), as sorted indices.
fn dependency_graph(rng: &mut Rng, n: usize, max: usize) -> Vec<Vec<usize>> {
    (0..n)
        .map(|i| {
            let later = n.saturating_sub(i + 1);
            let k = rng.gen_range(0..=max).min(later);
            let set: BTreeSet<usize> = (0..k).map(|_| rng.gen_range(i + 1..n)).collect();
            set.into_iter().collect()
        })
        .collect()
}

/// A JSON/TOML basic string literal (the escapes of JSON are valid TOML escapes).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

/// Names of `picks` at `idx` (skipping indices out of range).
fn names_at<'a>(picks: &'a [Pick], idx: &[usize]) -> Vec<&'a str> {
    idx.iter()
        .filter_map(|i| picks.get(*i))
        .map(|p| p.name.as_str())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// `Cargo.lock` version 3: a root crate without source depending on a few packages, then every
/// package sorted by name with source, checksum and dependencies.
fn render_cargo_lock(rng: &mut Rng, picks: &[Pick]) -> String {
    let deps = dependency_graph(rng, picks.len(), 4);
    let mut roots: BTreeSet<&str> = BTreeSet::new();
    for _ in 0..60.min(picks.len()) {
        if let Some(p) = picks.get(rng.gen_range(0..picks.len())) {
            roots.insert(&p.name);
        }
    }
    let mut entries: Vec<(&Pick, Vec<&str>)> = picks
        .iter()
        .zip(&deps)
        .map(|(p, d)| {
            let mut names = names_at(picks, d);
            names.sort_unstable();
            (p, names)
        })
        .collect();
    entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));

    let mut s = String::with_capacity(picks.len() * 220);
    s.push_str("# This file is automatically @generated by Cargo.\n");
    s.push_str("# It is not intended for manual editing.\nversion = 3\n");
    let dep_list = |s: &mut String, names: &[&str]| {
        if !names.is_empty() {
            s.push_str("dependencies = [\n");
            for n in names {
                let _ = writeln!(s, " {},", quote(n));
            }
            s.push_str("]\n");
        }
    };
    s.push_str("\n[[package]]\nname = \"deps-bench-app\"\nversion = \"0.1.0\"\n");
    dep_list(&mut s, &roots.into_iter().collect::<Vec<_>>());
    for (p, names) in entries {
        let _ = write!(
            s,
            "\n[[package]]\nname = {}\nversion = {}\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\
             checksum = \"{}\"\n",
            quote(&p.name),
            quote(&p.version),
            hex(rng, 64)
        );
        dep_list(&mut s, &names);
    }
    s
}

/// The `node_modules/` path of a package name (scoped names keep their `@scope/`).
fn npm_path(parent: Option<&str>, name: &str) -> String {
    match parent {
        Some(p) => format!("{p}/node_modules/{name}"),
        None => format!("node_modules/{name}"),
    }
}

/// The registry tarball URL npm records in `resolved`.
fn npm_tarball(name: &str, version: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    format!("https://registry.npmjs.org/{name}/-/{base}-{version}.tgz")
}

/// `package-lock.json` version 3. About 3% of the entries are nested under another package's
/// `node_modules/` (as npm does when a hoisted version conflicts), the rest are hoisted.
fn render_package_lock(rng: &mut Rng, picks: &[Pick]) -> String {
    let nested = picks.len() * 3 / 100;
    let hoisted = picks.len().saturating_sub(nested);
    let top = picks.get(..hoisted).unwrap_or(picks);
    let deps = dependency_graph(rng, top.len(), 3);
    let dev: Vec<bool> = (0..top.len()).map(|_| rng.gen_bool(0.25)).collect();

    // (path, name, version, dev, dependency names)
    let mut entries: Vec<(String, &str, String, bool, Vec<&str>)> = top
        .iter()
        .zip(&deps)
        .zip(&dev)
        .map(|((p, d), dv)| {
            (
                npm_path(None, &p.name),
                p.name.as_str(),
                p.version.clone(),
                *dv,
                names_at(top, d),
            )
        })
        .collect();
    for extra in picks.get(hoisted..).unwrap_or_default() {
        let Some(host) = top.choose(rng) else {
            break;
        };
        entries.push((
            npm_path(Some(&npm_path(None, &host.name)), &extra.name),
            extra.name.as_str(),
            extra.version.clone(),
            false,
            Vec::new(),
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));

    let roots: BTreeMap<&str, (&str, bool)> = top
        .iter()
        .zip(&dev)
        .take(80)
        .map(|(p, d)| (p.name.as_str(), (p.version.as_str(), *d)))
        .collect();
    let mut s = String::with_capacity(picks.len() * 330);
    s.push_str("{\n  \"name\": \"deps-bench-app\",\n  \"version\": \"1.0.0\",\n");
    s.push_str("  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n");
    s.push_str("    \"\": {\n      \"name\": \"deps-bench-app\",\n      \"version\": \"1.0.0\"");
    for (key, want_dev) in [("dependencies", false), ("devDependencies", true)] {
        let list: Vec<String> = roots
            .iter()
            .filter(|(_, (_, d))| *d == want_dev)
            .map(|(n, (v, _))| format!("        {}: {}", quote(n), quote(&format!("^{v}"))))
            .collect();
        if !list.is_empty() {
            let _ = write!(s, ",\n      \"{key}\": {{\n{}\n      }}", list.join(",\n"));
        }
    }
    s.push_str("\n    }");
    for (path, name, version, dv, d) in &entries {
        let integrity = format!("sha512-{}", b64(&rbytes(rng, 64)));
        let _ = write!(
            s,
            ",\n    {}: {{\n      \"version\": {},\n      \"resolved\": {},\n      \"integrity\": {}",
            quote(path),
            quote(version),
            quote(&npm_tarball(name, version)),
            quote(&integrity)
        );
        if *dv {
            s.push_str(",\n      \"dev\": true");
        }
        if !d.is_empty() {
            let list: Vec<String> = d
                .iter()
                .map(|n| format!("        {}: \"*\"", quote(n)))
                .collect();
            let _ = write!(
                s,
                ",\n      \"dependencies\": {{\n{}\n      }}",
                list.join(",\n")
            );
        }
        s.push_str("\n    }");
    }
    s.push_str("\n  }\n}\n");
    s
}

/// `poetry.lock` as Poetry 2 writes it (lock-version 2.1, `groups`, `files`, dependency tables).
fn render_poetry_lock(rng: &mut Rng, picks: &[Pick]) -> String {
    let deps = dependency_graph(rng, picks.len(), 3);
    let mut entries: Vec<(&Pick, Vec<&str>, bool)> = picks
        .iter()
        .zip(&deps)
        .map(|(p, d)| (p, names_at(picks, d), rng.gen_bool(0.2)))
        .collect();
    entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let mut s = String::with_capacity(picks.len() * 600);
    s.push_str(
        "# This file is automatically @generated by Poetry 2.1.3 and should not be changed by hand.\n",
    );
    for (p, d, dev) in entries {
        let file_base = p.name.replace(['-', '.'], "_");
        let _ = write!(
            s,
            "\n[[package]]\nname = {}\nversion = {}\ndescription = {}\noptional = false\n\
             python-versions = \">=3.8\"\ngroups = [{}]\nfiles = [\n    \
             {{file = {}, hash = \"sha256:{}\"}},\n    {{file = {}, hash = \"sha256:{}\"}},\n]\n",
            quote(&p.name),
            quote(&p.version),
            quote(&format!("The {} package", p.name)),
            if dev { "\"dev\"" } else { "\"main\"" },
            quote(&format!("{file_base}-{}-py3-none-any.whl", p.version)),
            hex(rng, 64),
            quote(&format!("{file_base}-{}.tar.gz", p.version)),
            hex(rng, 64),
        );
        if !d.is_empty() {
            s.push_str("\n[package.dependencies]\n");
            for n in d {
                let _ = writeln!(s, "{} = \">=0.1\"", toml_key(n));
            }
        }
    }
    let _ = write!(
        s,
        "\n[metadata]\nlock-version = \"2.1\"\npython-versions = \">=3.10\"\ncontent-hash = \"{}\"\n",
        hex(rng, 64)
    );
    s
}

/// The go.mod form of `version` for module `path`: with `v`, and `+incompatible` for a major
/// version of 2 or more on a path without the matching `/vN` (or gopkg.in `.vN`) suffix.
fn go_version(path: &str, version: &str) -> String {
    let major = numeric(version).first().copied().unwrap_or(0);
    let suffixed = path.ends_with(&format!("/v{major}")) || path.ends_with(&format!(".v{major}"));
    if major >= 2 && !suffixed {
        format!("v{version}+incompatible")
    } else {
        format!("v{version}")
    }
}

/// A TOML key: bare when it can be, quoted otherwise.
fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        name.to_string()
    } else {
        quote(name)
    }
}

/// `go.mod` with one `require` block; about a third of the modules are `// indirect`.
fn render_go_mod(rng: &mut Rng, picks: &[Pick]) -> String {
    let mut sorted: Vec<&Pick> = picks.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut s = String::with_capacity(picks.len() * 60);
    s.push_str("module example.com/deps-bench/app\n\ngo 1.22\n\nrequire (\n");
    for p in sorted {
        let indirect = if rng.gen_bool(0.33) {
            " // indirect"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "\t{} {}{indirect}",
            p.name,
            go_version(&p.name, &p.version)
        );
    }
    s.push_str(")\n");
    s
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Write the benchmark lockfiles under `out` (see the module docs). The same `seed`, `spec` and
/// snapshot always give the same bytes.
pub fn write_deps_tree(
    out: &Path,
    osv: &OsvSeed,
    spec: &DepsTreeSpec,
    seed: u64,
) -> io::Result<DepsTreeStats> {
    let mut stats = DepsTreeStats::default();
    for (file, text, eco, picks) in render_deps_tree(osv, spec, seed) {
        let path: PathBuf = out.join(file);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, &text)?;
        stats.files.push(LockfileStats {
            path: file.to_string(),
            ecosystem: eco.osv_name().to_string(),
            packages: picks.0,
            osv_packages: picks.1,
            bytes: text.len() as u64,
        });
    }
    Ok(stats)
}

/// The rendered files: (relative path, text, ecosystem, (packages, of which from OSV)).
type Rendered = (&'static str, String, Ecosystem, (usize, usize));

/// Render every lockfile in memory. Each file has its own RNG stream derived from `seed`, so
/// changing one size does not change the other files.
fn render_deps_tree(osv: &OsvSeed, spec: &DepsTreeSpec, seed: u64) -> Vec<Rendered> {
    type RenderFn = fn(&mut Rng, &[Pick]) -> String;
    let plan: [(&'static str, Ecosystem, usize, RenderFn); 4] = [
        (
            "rust/Cargo.lock",
            Ecosystem::CratesIo,
            spec.cargo,
            render_cargo_lock,
        ),
        (
            "node/package-lock.json",
            Ecosystem::Npm,
            spec.npm,
            render_package_lock,
        ),
        (
            "python/poetry.lock",
            Ecosystem::PyPI,
            spec.poetry,
            render_poetry_lock,
        ),
        ("go/go.mod", Ecosystem::Go, spec.go, render_go_mod),
    ];
    plan.into_iter()
        .enumerate()
        .map(|(i, (file, eco, n, render_fn))| {
            let stream = seed
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .wrapping_add(i as u64);
            let mut rng = Rng::seed_from_u64(stream);
            let picks = choose_packages(&mut rng, eco, osv.get(eco), n);
            let from_osv = picks.iter().filter(|p| p.from_osv).count();
            let text = render_fn(&mut rng, &picks);
            (file, text, eco, (picks.len(), from_osv))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secops_deps::lockfile::{parser_for, Input};
    use secops_deps::osv::matcher::record_affects;
    use std::io::Write;

    /// A small OSV record affecting `name` in `eco` with the given SEMVER/ECOSYSTEM events.
    fn record(id: &str, eco: &str, name: &str, events: &str, versions: &str) -> String {
        let kind = if eco == "PyPI" { "ECOSYSTEM" } else { "SEMVER" };
        format!(
            r#"{{"id":"{id}","modified":"2024-01-01T00:00:00Z","affected":[{{
              "package":{{"ecosystem":"{eco}","name":"{name}"}},
              "ranges":[{{"type":"{kind}","events":[{events}]}}],
              "versions":[{versions}]}}]}}"#
        )
    }

    /// The records of the synthetic snapshot, per ecosystem folder.
    fn records() -> Vec<(&'static str, Vec<(String, String)>)> {
        let r = |id: &str, eco, name, ev: &str, vs: &str| {
            (format!("{id}.json"), record(id, eco, name, ev, vs))
        };
        vec![
            (
                "crates.io",
                vec![
                    r(
                        "RUSTSEC-1",
                        "crates.io",
                        "oldcrate",
                        r#"{"introduced":"0.0.0-0"},{"fixed":"1.2.0-0"}"#,
                        "",
                    ),
                    r(
                        "RUSTSEC-2",
                        "crates.io",
                        "midcrate",
                        r#"{"introduced":"2.1.0"},{"fixed":"2.3.1"}"#,
                        "",
                    ),
                    r(
                        "RUSTSEC-3",
                        "crates.io",
                        "nofix",
                        r#"{"introduced":"0"}"#,
                        "",
                    ),
                ],
            ),
            (
                "npm",
                vec![
                    r(
                        "NSWG-1",
                        "npm",
                        "left-pad-x",
                        r#"{"introduced":"0"},{"last_affected":"1.3.0"}"#,
                        "",
                    ),
                    r(
                        "NSWG-2",
                        "npm",
                        "Caps.js",
                        r#"{"introduced":"0"},{"fixed":"3.0.0"}"#,
                        "",
                    ),
                ],
            ),
            (
                "PyPI",
                vec![
                    r(
                        "PYSEC-1",
                        "PyPI",
                        "web-thing",
                        r#"{"introduced":"0"},{"fixed":"2.0rc1"}"#,
                        r#""1.4.2","1.5""#,
                    ),
                    r(
                        "PYSEC-2",
                        "PyPI",
                        "other-thing",
                        r#"{"introduced":"0"},{"fixed":"0.9"}"#,
                        "",
                    ),
                ],
            ),
            (
                "Go",
                vec![
                    r(
                        "GO-1",
                        "Go",
                        "github.com/acme/lib",
                        r#"{"introduced":"0"},{"fixed":"1.10.0"}"#,
                        "",
                    ),
                    r(
                        "GO-2",
                        "Go",
                        "stdlib",
                        r#"{"introduced":"0"},{"fixed":"1.21.0"}"#,
                        "",
                    ),
                ],
            ),
        ]
    }

    /// Write the synthetic snapshot as `<eco>/all.zip` files under `dir`.
    fn write_snapshot(dir: &Path) {
        for (eco, recs) in records() {
            let eco_dir = dir.join(eco);
            fs::create_dir_all(&eco_dir).unwrap();
            let file = fs::File::create(eco_dir.join("all.zip")).unwrap();
            let mut zw = zip::ZipWriter::new(file);
            for (name, body) in recs {
                zw.start_file(name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zw.write_all(body.as_bytes()).unwrap();
            }
            zw.finish().unwrap();
        }
    }

    fn snapshot_seed() -> (tempfile::TempDir, OsvSeed) {
        let dir = tempfile::tempdir().unwrap();
        write_snapshot(dir.path());
        let seed = load_osv_seed(dir.path()).unwrap();
        (dir, seed)
    }

    fn find<'a>(seed: &'a OsvSeed, eco: Ecosystem, name: &str) -> &'a SeedPackage {
        seed.get(eco).iter().find(|p| p.name == name).unwrap()
    }

    #[test]
    fn version_helpers() {
        assert_eq!(numeric("v1.2.3-rc.1"), vec![1, 2, 3]);
        assert_eq!(numeric("2.0rc1"), vec![2, 0]);
        assert_eq!(numeric("0.8.2-0"), vec![0, 8, 2]);
        assert!(numeric("abc").is_empty());
        assert_eq!(below(&[1, 2, 0]), Some(vec![1, 1, 9]));
        assert_eq!(below(&[2, 0, 0]), Some(vec![1, 9, 9]));
        assert_eq!(below(&[0, 0, 0]), None);
        assert!(is_zero("0.0.0-0") && is_zero("0") && !is_zero("0.1"));
        assert_eq!(go_version("github.com/a/b", "1.2.3"), "v1.2.3");
        assert_eq!(go_version("github.com/a/b", "2.0.0"), "v2.0.0+incompatible");
        assert_eq!(go_version("github.com/a/b/v2", "2.1.0"), "v2.1.0");
        assert_eq!(go_version("gopkg.in/yaml.v3", "3.0.1"), "v3.0.1");
        assert_eq!(toml_key("micro-utf8"), "micro-utf8");
        assert_eq!(toml_key("zope.interface"), "\"zope.interface\"");
    }

    #[test]
    fn seed_versions_come_from_the_advisories() {
        let (_dir, seed) = snapshot_seed();
        let names = |eco| -> Vec<&str> { seed.get(eco).iter().map(|p| p.name.as_str()).collect() };
        assert_eq!(
            names(Ecosystem::CratesIo),
            ["midcrate", "nofix", "oldcrate"]
        );
        assert_eq!(names(Ecosystem::Npm), ["Caps.js", "left-pad-x"]);
        assert_eq!(names(Ecosystem::PyPI), ["other-thing", "web-thing"]);
        // stdlib is a Go pseudo-module: left out.
        assert_eq!(names(Ecosystem::Go), ["github.com/acme/lib"]);

        let old = find(&seed, Ecosystem::CratesIo, "oldcrate");
        assert_eq!(old.vulnerable.as_deref(), Some("1.1.9"));
        assert_eq!(old.recent, "2.0.0");
        let mid = find(&seed, Ecosystem::CratesIo, "midcrate");
        assert_eq!(mid.vulnerable.as_deref(), Some("2.1.0"));
        assert_eq!(mid.recent, "3.0.0");
        assert_eq!(find(&seed, Ecosystem::CratesIo, "nofix").vulnerable, None);
        assert_eq!(
            find(&seed, Ecosystem::Npm, "left-pad-x")
                .vulnerable
                .as_deref(),
            Some("1.3.0")
        );
        // PyPI: the last listed affected version, as written.
        assert_eq!(
            find(&seed, Ecosystem::PyPI, "web-thing")
                .vulnerable
                .as_deref(),
            Some("1.5")
        );
        assert_eq!(
            find(&seed, Ecosystem::PyPI, "other-thing")
                .vulnerable
                .as_deref(),
            Some("0.8.9")
        );
    }

    #[test]
    fn vulnerable_versions_match_and_recent_ones_do_not() {
        let (_dir, seed) = snapshot_seed();
        for (eco_dir, recs) in records() {
            let eco = Ecosystem::from_osv_name(eco_dir).unwrap();
            for (_, body) in recs {
                let rec = Vulnerability::from_json(body.as_bytes()).unwrap();
                let name = rec.affected[0].name().to_string();
                let Some(p) = seed.get(eco).iter().find(|p| p.name == name) else {
                    continue;
                };
                if let Some(v) = &p.vulnerable {
                    let v = if eco == Ecosystem::Go {
                        format!("v{v}")
                    } else {
                        v.clone()
                    };
                    assert!(record_affects(&rec, eco, &name, &v), "{name} {v}");
                }
                let fixed_somewhere = rec.affected[0].ranges[0]
                    .events
                    .iter()
                    .any(|e| e.fixed.is_some() || e.last_affected.is_some());
                if fixed_somewhere {
                    assert!(
                        !record_affects(&rec, eco, &name, &p.recent),
                        "{name} {}",
                        p.recent
                    );
                }
            }
        }
    }

    fn parse(file: &str, text: &str) -> Vec<secops_deps::Package> {
        let base = file.rsplit('/').next().unwrap();
        let parser = parser_for(base).unwrap();
        let parsed = parser
            .parse(&Input {
                root: Path::new("."),
                path: Path::new(file),
                rel_path: file,
                bytes: text.as_bytes(),
            })
            .unwrap();
        assert!(parsed.warnings.is_empty(), "{file}: {:?}", parsed.warnings);
        parsed.packages
    }

    #[test]
    fn generated_lockfiles_parse_with_the_secops_parsers() {
        let (_dir, seed) = snapshot_seed();
        let spec = DepsTreeSpec::default();
        let rendered = render_deps_tree(&seed, &spec, 7);
        let expect = [
            ("rust/Cargo.lock", spec.cargo),
            ("node/package-lock.json", spec.npm),
            ("python/poetry.lock", spec.poetry),
            ("go/go.mod", spec.go),
        ];
        assert_eq!(rendered.len(), expect.len());
        for ((file, text, eco, (n, from_osv)), (want_file, want_n)) in rendered.iter().zip(expect) {
            assert_eq!(*file, want_file);
            assert_eq!(*n, want_n, "{file}");
            assert_eq!(*from_osv, seed.get(*eco).len(), "{file}");
            let pkgs = parse(file, text);
            assert_eq!(pkgs.len(), want_n, "{file}");
            assert!(pkgs
                .iter()
                .all(|p| p.ecosystem == *eco && !p.version.is_empty()));
            // Every snapshot package is in the file.
            for s in seed.get(*eco) {
                assert!(pkgs.iter().any(|p| p.name == s.name), "{file}: {}", s.name);
            }
        }
    }

    #[test]
    fn generation_is_deterministic_per_seed() {
        let (_dir, seed) = snapshot_seed();
        let spec = DepsTreeSpec {
            cargo: 300,
            npm: 200,
            poetry: 100,
            go: 50,
        };
        let a = render_deps_tree(&seed, &spec, 1);
        let b = render_deps_tree(&seed, &spec, 1);
        let c = render_deps_tree(&seed, &spec, 2);
        assert_eq!(a, b);
        assert!(a.iter().zip(&c).all(|(x, y)| x.1 != y.1));
    }

    #[test]
    fn small_sizes_sample_the_snapshot() {
        let (_dir, seed) = snapshot_seed();
        let spec = DepsTreeSpec {
            cargo: 2,
            npm: 1,
            poetry: 0,
            go: 1,
        };
        let out = tempfile::tempdir().unwrap();
        let stats = write_deps_tree(out.path(), &seed, &spec, 3).unwrap();
        let counts: Vec<(usize, usize)> = stats
            .files
            .iter()
            .map(|f| (f.packages, f.osv_packages))
            .collect();
        assert_eq!(counts, [(2, 2), (1, 1), (0, 0), (1, 1)]);
        let lock = fs::read_to_string(out.path().join("rust/Cargo.lock")).unwrap();
        assert_eq!(parse("rust/Cargo.lock", &lock).len(), 2);
        assert!(stats.files.iter().all(|f| f.bytes > 0));
    }

    #[test]
    fn missing_snapshot_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_osv_seed(dir.path()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    /// With the real snapshot of this repository's machine (skipped when it is absent).
    #[test]
    fn real_snapshot_when_present() {
        let osv = Path::new("/work/shared/osv");
        if !osv.join("crates.io/all.zip").is_file() {
            eprintln!("skipped: no OSV snapshot at {}", osv.display());
            return;
        }
        let seed = load_osv_seed(osv).unwrap();
        assert!(seed.get(Ecosystem::CratesIo).len() > 500);
        let spec = DepsTreeSpec::default();
        for (file, text, eco, (n, from_osv)) in render_deps_tree(&seed, &spec, 1) {
            assert_eq!(from_osv, seed.get(eco).len().min(n), "{file}");
            let pkgs = parse(file, &text);
            assert_eq!(pkgs.len(), n, "{file}");
            let names: HashSet<&str> = pkgs.iter().map(|p| p.name.as_str()).collect();
            for s in seed.get(eco) {
                assert!(names.contains(s.name.as_str()), "{file}: {}", s.name);
            }
        }
    }
}
