//! A large, realistic source tree for throughput benchmarks, streamed straight to disk.

use crate::creds;
use crate::model::PathAlloc;
use crate::negatives;
use crate::render::{self, Ctx};
use crate::text::{self, Lang};
use crate::util::{chance, pick, range, Rng};
use rand::{Rng as _, SeedableRng};
use serde::Serialize;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What [`write_bench_tree`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BenchStats {
    pub files: u64,
    pub dirs: u64,
    pub bytes: u64,
    /// Files that contain at least one labelled secret.
    pub secret_files: u64,
    /// Labelled secrets planted in total.
    pub secrets: u64,
    /// Files made of hard negatives only.
    pub negative_files: u64,
}

#[derive(Clone, Copy)]
enum Kind {
    Code(Lang, &'static str),
    Yaml,
    Json,
    Toml,
    Css,
    Html,
}

const KINDS: &[(Kind, u32)] = &[
    (Kind::Code(Lang::Py, "py"), 14),
    (Kind::Code(Lang::Js, "js"), 12),
    (Kind::Code(Lang::Ts, "ts"), 12),
    (Kind::Code(Lang::Go, "go"), 10),
    (Kind::Code(Lang::Java, "java"), 8),
    (Kind::Code(Lang::Kotlin, "kt"), 3),
    (Kind::Code(Lang::CSharp, "cs"), 3),
    (Kind::Code(Lang::Php, "php"), 3),
    (Kind::Code(Lang::Ruby, "rb"), 3),
    (Kind::Code(Lang::Shell, "sh"), 3),
    (Kind::Code(Lang::Md, "md"), 8),
    (Kind::Yaml, 8),
    (Kind::Json, 6),
    (Kind::Toml, 2),
    (Kind::Css, 3),
    (Kind::Html, 2),
];

fn pick_kind(rng: &mut Rng) -> Kind {
    let total: u32 = KINDS.iter().map(|(_, w)| w).sum();
    let mut r = rng.gen_range(0..total);
    for (k, w) in KINDS {
        if r < *w {
            return *k;
        }
        r -= w;
    }
    Kind::Code(Lang::Py, "py")
}

/// File size: log-uniform between 1 KiB and 200 KiB.
fn pick_size(rng: &mut Rng) -> u64 {
    let lo = (1024f64).ln();
    let hi = (200.0 * 1024.0f64).ln();
    let x: f64 = rng.gen_range(lo..hi);
    x.exp() as u64
}

/// A counting, buffered writer for one file.
struct Out {
    w: BufWriter<File>,
    n: u64,
}

impl Out {
    fn create(p: &Path) -> io::Result<Out> {
        Ok(Out {
            w: BufWriter::with_capacity(64 * 1024, File::create(p)?),
            n: 0,
        })
    }

    fn line(&mut self, s: &str) -> io::Result<()> {
        self.w.write_all(s.as_bytes())?;
        self.w.write_all(b"\n")?;
        self.n += s.len() as u64 + 1;
        Ok(())
    }

    fn lines(&mut self, v: &[String]) -> io::Result<()> {
        for l in v {
            self.line(l)?;
        }
        Ok(())
    }

    fn done(mut self) -> io::Result<u64> {
        self.w.flush()?;
        Ok(self.n)
    }
}

fn write_filler(rng: &mut Rng, out: &mut Out, kind: Kind, size: u64) -> io::Result<()> {
    match kind {
        Kind::Code(lang, _) => {
            match lang {
                Lang::Go => {
                    out.line(&format!("package {}", text::noun(rng)))?;
                    out.line("")?;
                    out.line("import (")?;
                    out.lines(&text::imports(rng, lang))?;
                    out.line(")")?;
                }
                Lang::Shell => out.line("#!/usr/bin/env bash")?,
                Lang::Php => out.line("<?php")?,
                _ => out.lines(&text::imports(rng, lang))?,
            }
            let (open, close): (Option<String>, Option<&str>) = match lang {
                Lang::Java => (
                    Some(format!("public class {}Service {{", cap(text::noun(rng)))),
                    Some("}"),
                ),
                Lang::CSharp => (
                    Some(format!(
                        "    public class {}Service\n    {{",
                        cap(text::noun(rng))
                    )),
                    Some("    }"),
                ),
                Lang::Php => (
                    Some(format!("class {}Service\n{{", cap(text::noun(rng)))),
                    Some("}"),
                ),
                Lang::Ruby => (
                    Some(format!("class {}Service", cap(text::noun(rng)))),
                    Some("end"),
                ),
                _ => (None, None),
            };
            if let Some(o) = open {
                out.line(&o)?;
            }
            while out.n < size {
                out.line("")?;
                if chance(rng, 0.2) {
                    let prefix = match lang {
                        Lang::Py | Lang::Shell | Lang::Ruby => "#",
                        Lang::Md => ">",
                        _ => "//",
                    };
                    out.line(&text::comment(rng, prefix))?;
                }
                let b = text::block(rng, lang);
                out.lines(&b)?;
            }
            if let Some(c) = close {
                out.line(c)?;
            }
        }
        Kind::Yaml => {
            while out.n < size {
                out.line("---")?;
                out.line(&format!("name: {}-{}", text::project(rng), text::noun(rng)))?;
                out.line("settings:")?;
                for (k, v) in text::config_pairs(rng, 3, 8) {
                    out.line(&format!("  {k}: {v}"))?;
                }
                out.line("steps:")?;
                for _ in 0..range(rng, 2, 6) {
                    out.line(&format!("  - run: make {}", text::ident(rng)))?;
                }
            }
        }
        Kind::Json => {
            out.line("[")?;
            let mut first = true;
            while out.n < size {
                if !first {
                    out.line("  ,")?;
                }
                first = false;
                out.line("  {")?;
                out.line(&format!("    \"id\": {},", range(rng, 1, 9_999_999)))?;
                let pairs = text::config_pairs(rng, 3, 7);
                let n = pairs.len();
                for (i, (k, v)) in pairs.into_iter().enumerate() {
                    let comma = if i + 1 < n { "," } else { "" };
                    if text::is_numberish(&v) {
                        out.line(&format!("    \"{k}\": {v}{comma}"))?;
                    } else {
                        out.line(&format!("    \"{k}\": \"{v}\"{comma}"))?;
                    }
                }
                out.line("  }")?;
            }
            out.line("]")?;
        }
        Kind::Toml => {
            while out.n < size {
                out.line(&format!("[{}]", text::ident(rng)))?;
                for (k, v) in text::config_pairs(rng, 2, 6) {
                    if text::is_numberish(&v) {
                        out.line(&format!("{k} = {v}"))?;
                    } else {
                        out.line(&format!("{k} = \"{v}\""))?;
                    }
                }
                out.line("")?;
            }
        }
        Kind::Css => {
            while out.n < size {
                out.line(&format!(".{}-{} {{", text::noun(rng), text::noun(rng)))?;
                out.line(&format!(
                    "  margin: {}px {}px;",
                    range(rng, 0, 32),
                    range(rng, 0, 32)
                ))?;
                out.line(&format!(
                    "  display: {};",
                    pick(rng, &["flex", "grid", "block"])
                ))?;
                out.line("}")?;
            }
        }
        Kind::Html => {
            out.line("<!doctype html>")?;
            out.line("<html><body>")?;
            while out.n < size {
                let p = text::expand(
                    rng,
                    "<p class=\"{n}\">The {n} service {v}s {m}s every {i} seconds.</p>",
                );
                out.line(&p)?;
            }
            out.line("</body></html>")?;
        }
    }
    Ok(())
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn ext(kind: Kind) -> &'static str {
    match kind {
        Kind::Code(_, e) => e,
        Kind::Yaml => "yaml",
        Kind::Json => "json",
        Kind::Toml => "toml",
        Kind::Css => "css",
        Kind::Html => "html",
    }
}

const SUBDIRS: &[&str] = &[
    "src",
    "lib",
    "internal",
    "pkg",
    "app",
    "services",
    "handlers",
    "models",
    "utils",
    "config",
    "docs",
    "scripts",
    "api",
    "core",
    "jobs",
    "web",
    "components",
    "store",
    "db",
    "tests",
];

/// Write a realistic mixed source tree of about `target_bytes` under `dir`: many directories,
/// files of 1–200 KiB of ordinary code and config in a dozen languages, with roughly one file in
/// a hundred carrying a secret and one in a hundred carrying hard negatives. Files are written
/// one at a time; the tree is never held in memory.
pub fn write_bench_tree(dir: &Path, target_bytes: u64, seed: u64) -> io::Result<BenchStats> {
    let mut rng = Rng::seed_from_u64(seed);
    let specs = creds::specs();
    let mut stats = BenchStats::default();
    fs::create_dir_all(dir)?;
    let mut repo = 0u64;
    let mut cur_dir: Option<PathBuf> = None;
    let mut left_in_dir = 0usize;
    while stats.bytes < target_bytes {
        if left_in_dir == 0 || cur_dir.is_none() {
            if stats.dirs % 40 == 0 {
                repo += 1;
            }
            let mut p = dir.join(format!("{}-{repo}", text::project(&mut rng)));
            for _ in 0..range(&mut rng, 1, 3) {
                p = p.join(pick(&mut rng, SUBDIRS));
            }
            p = p.join(format!("{}{}", text::noun(&mut rng), stats.dirs));
            fs::create_dir_all(&p)?;
            stats.dirs += 1;
            left_in_dir = range(&mut rng, 3, 30);
            cur_dir = Some(p);
        }
        let d = cur_dir.clone().unwrap_or_else(|| dir.to_path_buf());
        left_in_dir -= 1;
        let idx = stats.files;
        let roll: f64 = rng.gen();
        let written = if roll < 0.007 {
            // A file with secrets, rendered exactly as in the corpus.
            let spec = pick(&mut rng, &specs);
            let ctx: Ctx = *pick(&mut rng, &spec.contexts);
            let inst = (spec.gen)(&mut rng, ctx);
            let mut paths = PathAlloc::new();
            let f = render::render(ctx, &mut rng, &mut paths, &[inst]);
            stats.secret_files += 1;
            stats.secrets += f.positives.len() as u64;
            write_named(&d, idx, &f.path, &f.content)?
        } else if roll < 0.017 {
            let mut paths = PathAlloc::new();
            let f = negatives::any(&mut rng, &mut paths);
            stats.negative_files += 1;
            write_named(&d, idx, &f.path, &f.content)?
        } else if roll < 0.02 {
            // An ordinary code file with one inline token (kept for realism in big files).
            let kind = Kind::Code(Lang::Py, "py");
            let size = pick_size(&mut rng);
            let p = d.join(format!("{}_{idx}.py", text::ident(&mut rng)));
            let mut out = Out::create(&p)?;
            write_filler(&mut rng, &mut out, kind, size / 2)?;
            let (tok, _) = creds::any_token(&mut rng);
            out.line(&format!("FALLBACK_CREDENTIAL = \"{tok}\""))?;
            write_filler(&mut rng, &mut out, kind, size)?;
            stats.secret_files += 1;
            stats.secrets += 1;
            out.done()?
        } else {
            let kind = pick_kind(&mut rng);
            let size = pick_size(&mut rng);
            let p = d.join(format!("{}_{idx}.{}", text::ident(&mut rng), ext(kind)));
            let mut out = Out::create(&p)?;
            write_filler(&mut rng, &mut out, kind, size)?;
            out.done()?
        };
        stats.files += 1;
        stats.bytes += written;
    }
    Ok(stats)
}

/// Write `content` into `dir` under the base name of `rel`, made unique with the file index.
fn write_named(dir: &Path, idx: u64, rel: &str, content: &str) -> io::Result<u64> {
    let base = rel.rsplit('/').next().unwrap_or("file.txt");
    let name = match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}_{idx}.{ext}"),
        _ => format!("{base}_{idx}"),
    };
    fs::write(dir.join(name), content.as_bytes())?;
    Ok(content.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_tree_reaches_its_size_and_is_deterministic() {
        let a = std::env::temp_dir().join(format!("secops-bench-a-{}", std::process::id()));
        let b = std::env::temp_dir().join(format!("secops-bench-b-{}", std::process::id()));
        let sa = write_bench_tree(&a, 3 * 1024 * 1024, 5).expect("write bench tree a");
        let sb = write_bench_tree(&b, 3 * 1024 * 1024, 5).expect("write bench tree b");
        assert_eq!(sa, sb);
        assert!(sa.bytes >= 3 * 1024 * 1024);
        assert!(sa.files > 20 && sa.dirs > 2, "{sa:?}");
        let _ = fs::remove_dir_all(&a);
        let _ = fs::remove_dir_all(&b);
    }
}
