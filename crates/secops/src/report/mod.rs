//! Renderers: a [`Report`] in, text out. Renderers never detect.

pub mod controls;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::cli::{Format, OutputArgs};
use anyhow::Context;
use secops_core::Report;
use std::io::{IsTerminal, Write};
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub color: bool,
    pub verbose: u8,
}

impl RenderOptions {
    pub fn from_args(out: &OutputArgs) -> RenderOptions {
        let color = out.output.is_none()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stdout().is_terminal();
        RenderOptions {
            color,
            verbose: out.verbose,
        }
    }
}

pub fn render(report: &Report, format: Format, opts: &RenderOptions) -> anyhow::Result<String> {
    Ok(match format {
        Format::Text => text::render(report, opts),
        Format::Json => json::render(report)?,
        Format::Sarif => sarif::render(report)?,
        Format::Markdown => markdown::render(report),
    })
}

/// Render and write to `--output` (atomically) or standard output.
pub fn emit(report: &Report, out: &OutputArgs, opts: &RenderOptions) -> anyhow::Result<()> {
    let format = out.format();
    let text = render(report, format, opts)?;
    match &out.output {
        Some(path) => {
            write_atomic(path, text.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            if !out.quiet && format != Format::Text {
                eprintln!("{}", text::one_line_summary(report));
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a non-zero exit.
            if let Err(e) = stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e).context("writing to standard output");
                }
            }
        }
    }
    Ok(())
}

/// Write `data` to `path` via a temporary file in the same directory and a rename, so a reader
/// never sees half a report. Devices, FIFOs and other non-regular files (`/dev/null`,
/// `/dev/stdout`) are written in place (renaming over them would replace them), symbolic
/// links are followed, and directories are refused.
pub fn write_atomic(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            anyhow::bail!("{} is a directory", path.display());
        }
        if !meta.is_file() {
            let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
            f.write_all(data)?;
            return Ok(());
        }
    }
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let path = resolved.as_path();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(data)?;
    tmp.flush()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secops_core::finding::fingerprint;
    use secops_core::{
        Confidence, Details, Finding, FindingKind, Location, Notice, NoticeKind, RuleMeta,
        SecretDetails, Severity, VulnDetails,
    };

    /// The shared sample report every renderer is snapshotted with.
    pub(crate) fn sample_report() -> Report {
        let mut r = Report::new("scan", "sample-project");
        r.tool.version = "0.0.0-test".into();
        r.rules = vec![
            RuleMeta {
                id: "secret.github-pat".into(),
                kind: FindingKind::Secret,
                title: "GitHub personal access token (classic)".into(),
                help: "A GitHub classic personal access token grants the scopes of its owner. Revoke it in GitHub settings and load tokens from a secret store.".into(),
                severity: Severity::Critical,
                cwe: vec!["CWE-798".into()],
                owasp: vec!["A07:2021".into()],
                tags: vec![],
            },
            RuleMeta {
                id: "secret.slack-webhook-url".into(),
                kind: FindingKind::Secret,
                title: "Slack incoming webhook URL".into(),
                help: "Anyone holding an incoming webhook URL can post messages to the channel. Regenerate it in the Slack app settings.".into(),
                severity: Severity::Medium,
                cwe: vec!["CWE-798".into()],
                owasp: vec![],
                tags: vec![],
            },
        ];
        let secret =
            |rule: &str, path: &str, line, col, shown: &str, commit: Option<&str>| Finding {
                rule_id: rule.into(),
                kind: FindingKind::Secret,
                severity: if rule.contains("github") {
                    Severity::Critical
                } else {
                    Severity::Medium
                },
                confidence: Confidence::High,
                message: format!("found ({shown})"),
                location: Location {
                    path: path.into(),
                    start_line: line,
                    start_column: col,
                    end_line: line,
                    end_column: col + 40,
                },
                fingerprint: fingerprint(rule, path, shown.as_bytes()),
                details: Details::Secret(SecretDetails {
                    secret: shown.into(),
                    entropy: 4.7,
                    snippet: Some(format!("TOKEN = \"{shown}\"")),
                    decoded: false,
                    commit: commit.map(str::to_string),
                    author: commit.map(|_| "Dev <dev@example.com>".to_string()),
                    date: commit.map(|_| "2026-01-02T03:04:05+00:00".to_string()),
                }),
            };
        r.findings = vec![
            secret(
                "secret.github-pat",
                "src/app.py",
                3,
                9,
                "ghp_********",
                None,
            ),
            secret(
                "secret.slack-webhook-url",
                "deploy/notify sh.sh",
                1,
                6,
                "http************",
                Some("0123456789abcdef0123456789abcdef01234567"),
            ),
        ];
        r.notices = vec![Notice::new(
            NoticeKind::Binary,
            Some("assets/logo.png".into()),
            "binary file skipped",
        )];
        r.stats.files_scanned = 12;
        r.stats.bytes_scanned = 34567;
        r.stats.duration_ms = 21;
        r.finish();
        r
    }

    /// A small `secops deps` report: two vulnerabilities (one with CVSS, one rated by label),
    /// notices of each deps kind, and a risk score.
    pub(crate) fn sample_deps_report() -> Report {
        let mut r = Report::new("deps", "sample-project");
        r.tool.version = "0.0.0-test".into();
        let vuln = |id: &str,
                    aliases: &[&str],
                    pkg: &str,
                    version: &str,
                    file: &str,
                    line: usize,
                    sev: Severity,
                    cvss: Option<(f64, &str)>| {
            let summary = format!("Memory corruption in {pkg}");
            Finding {
                rule_id: id.into(),
                kind: FindingKind::Vulnerability,
                severity: sev,
                confidence: Confidence::High,
                message: format!("{pkg} {version} has {id}: {summary}; fixed in 9.9.9"),
                location: Location::new(file, line, 1),
                fingerprint: fingerprint(id, file, format!("{pkg}@{version}").as_bytes()),
                details: Details::Vulnerability(VulnDetails {
                    ecosystem: if file.ends_with("Cargo.lock") {
                        "crates.io".into()
                    } else {
                        "npm".into()
                    },
                    package: pkg.into(),
                    version: version.into(),
                    id: id.into(),
                    aliases: aliases.iter().map(|a| a.to_string()).collect(),
                    summary,
                    cvss_score: cvss.map(|c| c.0),
                    cvss_vector: cvss.map(|c| c.1.to_string()),
                    fixed_versions: vec!["9.9.9".into()],
                    minimal_upgrade: Some("9.9.9".into()),
                    group: "prod".into(),
                    pinned: true,
                }),
            }
        };
        r.findings = vec![
            vuln(
                "TEST-2024-0001",
                &["CVE-2024-0001", "GHSA-test-0001-aaaa"],
                "tinyvec-like",
                "0.6.9",
                "Cargo.lock",
                14,
                Severity::Critical,
                Some((9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")),
            ),
            vuln(
                "TEST-2024-0002",
                &[],
                "left-pad-like",
                "1.0.0",
                "web/package-lock.json",
                22,
                Severity::Medium,
                None,
            ),
        ];
        r.rules = ["TEST-2024-0001", "TEST-2024-0002"]
            .iter()
            .zip([Severity::Critical, Severity::Medium])
            .map(|(id, sev)| RuleMeta {
                id: id.to_string(),
                kind: FindingKind::Vulnerability,
                title: format!("Test advisory {id}"),
                help: format!(
                    "What goes wrong.\n\nAdvisory: <https://osv.dev/vulnerability/{id}>."
                ),
                severity: sev,
                cwe: vec![],
                owasp: vec!["A06:2021".into()],
                tags: vec!["dependency".into()],
            })
            .collect();
        r.notices = vec![
            Notice::new(
                NoticeKind::ParseError,
                Some("broken/Cargo.lock".into()),
                "broken/Cargo.lock:3: expected `=` (no packages read from this file: results are incomplete)",
            ),
            Notice::new(
                NoticeKind::Unresolved,
                Some("requirements.txt".into()),
                "unresolved: requests 2.0 (not pinned; not matched)",
            ),
        ];
        r.stats.files_scanned = 4;
        r.stats.bytes_scanned = 4321;
        r.stats.duration_ms = 8;
        r.stats.suppressed = 1;
        r.risk_score = Some(secops_deps::risk::risk_score(
            r.findings.iter().map(|f| f.severity),
        ));
        r.finish();
        r
    }

    #[test]
    fn snapshot_deps_text() {
        let r = sample_deps_report();
        let text = |verbose| {
            text::render(
                &r,
                &RenderOptions {
                    color: false,
                    verbose,
                },
            )
        };
        insta::assert_snapshot!("deps_text", text(0));
        insta::assert_snapshot!("deps_text_verbose", text(1));
    }

    #[test]
    fn snapshot_deps_json() {
        let out = json::render(&sample_deps_report()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["risk_score"], 45);
        insta::assert_snapshot!("deps_json", out);
    }

    #[test]
    fn snapshot_deps_sarif() {
        let out = sarif::render(&sample_deps_report()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let run = &v["runs"][0];
        assert_eq!(run["properties"]["riskScore"], 45);
        assert_eq!(
            run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            14
        );
        assert_eq!(
            run["tool"]["driver"]["rules"][0]["properties"]["security-severity"],
            "9.8"
        );
        insta::assert_snapshot!("deps_sarif", out);
    }

    #[test]
    fn snapshot_deps_markdown() {
        insta::assert_snapshot!("deps_markdown", markdown::render(&sample_deps_report()));
    }

    #[test]
    fn snapshot_packages() {
        let mut r = Report::new("deps", "sample-project");
        r.tool.version = "0.0.0-test".into();
        let entry =
            |file: &str, line, eco: &str, name: &str, version: &str, pinned, group: &str| {
                secops_core::report::PackageEntry {
                    file: file.into(),
                    line,
                    ecosystem: eco.into(),
                    name: name.into(),
                    version: version.into(),
                    pinned,
                    group: group.into(),
                }
            };
        r.packages = Some(vec![
            entry(
                "Cargo.lock",
                4,
                "crates.io",
                "tinyvec-like",
                "0.6.9",
                true,
                "prod",
            ),
            entry(
                "requirements.txt",
                2,
                "PyPI",
                "requests",
                "2.0",
                false,
                "prod",
            ),
            entry(
                "web/package-lock.json",
                30,
                "npm",
                "jest-like",
                "29.0.0",
                true,
                "dev",
            ),
        ]);
        r.stats.files_scanned = 3;
        r.finish();
        let text = text::render(
            &r,
            &RenderOptions {
                color: false,
                verbose: 0,
            },
        );
        insta::assert_snapshot!("packages_text", text);
        insta::assert_snapshot!("packages_markdown", markdown::render(&r));
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_special_files_and_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        // a FIFO stands in for /dev/null and friends
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(&fifo).unwrap())
        };
        write_atomic(&fifo, b"report").unwrap();
        assert_eq!(reader.join().unwrap(), b"report");
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
        // a symlink is followed, not replaced
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        // a directory is an error
        assert!(write_atomic(dir.path(), b"x").is_err());
    }

    #[test]
    fn snapshot_text() {
        let r = sample_report();
        insta::assert_snapshot!(
            "text",
            text::render(
                &r,
                &RenderOptions {
                    color: false,
                    verbose: 1
                }
            )
        );
    }

    #[test]
    fn snapshot_json() {
        insta::assert_snapshot!("json", json::render(&sample_report()).unwrap());
    }

    #[test]
    fn snapshot_sarif() {
        insta::assert_snapshot!("sarif", sarif::render(&sample_report()).unwrap());
    }

    #[test]
    fn snapshot_markdown() {
        insta::assert_snapshot!("markdown", markdown::render(&sample_report()));
    }
}
