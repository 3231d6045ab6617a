//! Human text output: findings grouped by file (dependency vulnerabilities as a table), then a
//! summary.

use super::RenderOptions;
use secops_core::report::PackageEntry;
use secops_core::{Details, Finding, NoticeKind, Report, Severity, VulnDetails};
use std::collections::BTreeMap;
use std::fmt::Write;

/// ANSI colouring, or none (`on: false`); shared by the text renderers.
pub(super) struct Paint {
    pub(super) on: bool,
}

impl Paint {
    pub(super) fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub(super) fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    pub(super) fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn sev(&self, sev: Severity) -> String {
        self.sev_cell(sev, &format!("{:<8}", sev.as_str()))
    }
    /// An already padded table cell in the colour of `sev`.
    fn sev_cell(&self, sev: Severity, cell: &str) -> String {
        let code = match sev {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, cell)
    }
}

/// A plain table: columns padded to their widest cell, two spaces apart, no trailing spaces.
pub fn table<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> String {
    styled_table(header, rows, &|_, _, cell| cell)
}

/// [`table`] with `style(row, column, padded cell)` applied to each body cell after padding
/// (so colour codes do not upset the widths). Cells are counted in characters.
fn styled_table<R: AsRef<[String]>>(
    header: &[&str],
    rows: &[R],
    style: &dyn Fn(usize, usize, String) -> String,
) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r.as_ref()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let pad = |s: &str, w: usize, last: bool| {
        if last {
            s.to_string()
        } else {
            let n = s.chars().count();
            format!("{s}{}", " ".repeat(w.saturating_sub(n)))
        }
    };
    let mut out = String::new();
    let n = widths.len();
    let head: Vec<String> = header
        .iter()
        .zip(&widths)
        .enumerate()
        .map(|(i, (h, w))| pad(h, *w, i + 1 == n))
        .collect();
    let _ = writeln!(out, "{}", head.join("  ").trim_end());
    for (ri, r) in rows.iter().enumerate() {
        let cells: Vec<String> = r
            .as_ref()
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(ci, (c, w))| style(ri, ci, pad(c, *w, ci + 1 == n)))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out
}

/// `file:line`, or the file alone when the line is unknown (0).
fn place(path: &str, line: usize) -> String {
    if line > 0 {
        format!("{path}:{line}")
    } else {
        path.to_string()
    }
}

/// At most `n` items joined with `, `, then `…`.
fn short_list(items: &[String], n: usize) -> String {
    let mut s = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        s.push_str(", …");
    }
    s
}

/// The table of dependency vulnerabilities, then one line per advisory with its summary.
fn vuln_table(findings: &[(&Finding, &VulnDetails)], p: &Paint, verbose: bool) -> String {
    let header = [
        "PACKAGE", "VERSION", "ADVISORY", "SEVERITY", "FIXED", "UPGRADE", "LOCATION",
    ];
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|(f, d)| {
            let mut id = d.id.clone();
            if !d.aliases.is_empty() {
                id.push_str(&format!(" ({})", d.aliases.join(", ")));
            }
            let sev = match d.cvss_score {
                Some(s) => format!("{} {s:.1}", f.severity),
                None => f.severity.to_string(),
            };
            vec![
                d.package.clone(),
                if d.version.is_empty() {
                    "?".into()
                } else {
                    d.version.clone()
                },
                id,
                sev,
                if d.fixed_versions.is_empty() {
                    "-".into()
                } else {
                    short_list(&d.fixed_versions, 3)
                },
                d.minimal_upgrade.clone().unwrap_or_else(|| "-".into()),
                place(&f.location.path, f.location.start_line),
            ]
        })
        .collect();
    let style = |ri: usize, ci: usize, cell: String| match (ci, findings.get(ri)) {
        (0, _) => p.bold(&cell),
        (3, Some((f, _))) => p.sev_cell(f.severity, &cell),
        _ => cell,
    };
    let mut out = styled_table(&header, &rows, &style);
    let mut seen = std::collections::BTreeSet::new();
    for (f, d) in findings {
        if seen.insert(d.id.as_str()) && !d.summary.trim().is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                p.dim(&format!("{}: {}", d.id, d.summary.trim()))
            );
        }
        if verbose {
            if let Some(v) = &d.cvss_vector {
                let _ = writeln!(out, "    {}", p.dim(&format!("{} {v}", f.rule_id)));
            }
        }
    }
    out
}

/// The dependency inventory (`--list-packages`).
fn packages_table(packages: &[PackageEntry]) -> String {
    let header = [
        "LOCATION",
        "ECOSYSTEM",
        "PACKAGE",
        "VERSION",
        "PINNED",
        "GROUP",
    ];
    let rows: Vec<Vec<String>> = packages
        .iter()
        .map(|e| {
            vec![
                place(&e.file, e.line),
                e.ecosystem.clone(),
                e.name.clone(),
                if e.version.is_empty() {
                    "?".into()
                } else {
                    e.version.clone()
                },
                if e.pinned { "yes" } else { "no" }.into(),
                e.group.clone(),
            ]
        })
        .collect();
    table(&header, &rows)
}

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    if let Some(c) = &report.controls {
        return super::controls::text(report, c, opts);
    }
    let p = Paint { on: opts.color };
    let mut out = String::new();
    if let Some(packages) = &report.packages {
        if !packages.is_empty() {
            out.push_str(&packages_table(packages));
            out.push('\n');
        }
    }
    let vulns: Vec<(&Finding, &VulnDetails)> = report
        .findings
        .iter()
        .filter_map(|f| match &f.details {
            Details::Vulnerability(d) => Some((f, d)),
            _ => None,
        })
        .collect();
    if !vulns.is_empty() {
        out.push_str(&vuln_table(&vulns, &p, opts.verbose > 0));
        out.push('\n');
    }
    let mut by_file: BTreeMap<&str, Vec<&secops_core::Finding>> = BTreeMap::new();
    for f in &report.findings {
        if matches!(f.details, Details::Vulnerability(_)) {
            continue;
        }
        by_file.entry(f.location.path.as_str()).or_default().push(f);
    }
    for (path, findings) in &by_file {
        let _ = writeln!(out, "{}", p.bold(path));
        for f in findings {
            let pos = format!("{}:{}", f.location.start_line, f.location.start_column);
            let title = report
                .rules
                .iter()
                .find(|r| r.id == f.rule_id)
                .map_or(f.message.as_str(), |r| r.title.as_str());
            let _ = writeln!(
                out,
                "  {:>8}  {} {}  {}",
                pos,
                p.sev(f.severity),
                f.rule_id,
                p.dim(title)
            );
            if let Details::Sast(d) = &f.details {
                if !d.trace.is_empty() {
                    let mut path: Vec<String> = Vec::new();
                    for s in &d.trace {
                        let l = format!("line {}", s.line);
                        if path.last() != Some(&l) {
                            path.push(l);
                        }
                    }
                    let _ = writeln!(
                        out,
                        "            {}",
                        p.dim(&format!("flow: {}", path.join(" → ")))
                    );
                    if opts.verbose > 0 {
                        for s in &d.trace {
                            let _ = writeln!(
                                out,
                                "              {:>5}:{:<3} {}",
                                s.line, s.column, s.message
                            );
                        }
                    }
                }
                if opts.verbose > 0 {
                    if let Some(s) = &d.snippet {
                        let _ = writeln!(out, "            {}", p.dim(&format!("> {s}")));
                    }
                }
            }
            if let Details::Secret(d) = &f.details {
                let mut extra = format!("secret {}", d.secret);
                if d.decoded {
                    extra.push_str(" (base64-decoded)");
                }
                if let Some(c) = &d.commit {
                    let short: String = c.chars().take(12).collect();
                    extra.push_str(&format!("  commit {short}"));
                    if let Some(a) = &d.author {
                        extra.push_str(&format!(" by {a}"));
                    }
                    if let Some(dt) = &d.date {
                        extra.push_str(&format!(" on {dt}"));
                    }
                }
                let _ = writeln!(out, "            {}", p.dim(&extra));
                if opts.verbose > 0 {
                    if let Some(s) = &d.snippet {
                        let _ = writeln!(out, "            {}", p.dim(&format!("> {s}")));
                    }
                }
            }
        }
        out.push('\n');
    }
    if opts.verbose > 0 && !report.notices.is_empty() {
        let _ = writeln!(out, "{}", p.bold("Notices"));
        for n in &report.notices {
            let _ = writeln!(
                out,
                "  {:<12} {}{}",
                n.kind.as_str(),
                n.path
                    .as_deref()
                    .filter(|p| !n.message.starts_with(p))
                    .map(|p| format!("{p}: "))
                    .unwrap_or_default(),
                n.message
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(report, opts.verbose > 0));
    out
}

fn counts(report: &Report) -> String {
    if report.findings.is_empty() {
        return "no findings".into();
    }
    let parts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|s| {
            report
                .summary
                .by_severity
                .get(s)
                .map(|n| format!("{n} {}", s.as_str()))
        })
        .collect();
    let n = report.findings.len();
    format!(
        "{n} finding{} ({})",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// Notice kinds that mean some dependency data was not read or not checked.
const INCOMPLETE: [NoticeKind; 6] = [
    NoticeKind::ParseError,
    NoticeKind::TooLarge,
    NoticeKind::Unreadable,
    NoticeKind::Binary,
    NoticeKind::WalkError,
    NoticeKind::Unchecked,
];

/// For `deps`: a warning line when some dependency data was not read or not checked, so an
/// incomplete run never reads as a clean one.
fn incomplete_line(report: &Report, verbose: bool) -> Option<String> {
    if report.command != "deps" {
        return None;
    }
    let n = report
        .notices
        .iter()
        .filter(|n| INCOMPLETE.contains(&n.kind))
        .count();
    (n > 0).then(|| {
        format!(
            "results are incomplete: {n} problem{} reading or checking dependencies{}",
            if n == 1 { "" } else { "s" },
            if verbose {
                " (see notices above)"
            } else {
                " (-v lists them)"
            }
        )
    })
}

fn summary(report: &Report, verbose: bool) -> String {
    let s = &report.stats;
    let mut line = match &report.packages {
        Some(p) => format!(
            "{} package{} in {} file{} in {:.2}s",
            p.len(),
            if p.len() == 1 { "" } else { "s" },
            s.files_scanned,
            if s.files_scanned == 1 { "" } else { "s" },
            s.duration_ms as f64 / 1000.0
        ),
        None => format!(
            "{} in {} file{} ({}) in {:.2}s",
            counts(report),
            s.files_scanned,
            if s.files_scanned == 1 { "" } else { "s" },
            secops_core::walk::human_bytes(s.bytes_scanned),
            s.duration_ms as f64 / 1000.0
        ),
    };
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if let Some(r) = report.risk_score {
        line.push_str(&format!("; risk score {r}/100"));
    }
    let mut kinds: BTreeMap<NoticeKind, usize> = BTreeMap::new();
    for n in &report.notices {
        *kinds.entry(n.kind).or_default() += 1;
    }
    kinds.remove(&NoticeKind::Git);
    if !kinds.is_empty() {
        let parts: Vec<String> = kinds
            .iter()
            .map(|(k, n)| format!("{n} {}", k.as_str()))
            .collect();
        line.push_str(&format!("\nnotices: {}", parts.join(", ")));
        if !verbose {
            line.push_str(" (-v lists them)");
        }
    }
    for n in report.notices.iter().filter(|n| n.kind == NoticeKind::Git) {
        line.push_str(&format!("\n{}", n.message));
    }
    if let Some(inc) = incomplete_line(report, verbose) {
        line.push_str(&format!("\n{inc}"));
    }
    line
}

/// One line for standard error when the report itself went to a file or is machine-readable.
pub fn one_line_summary(report: &Report) -> String {
    if let Some(c) = &report.controls {
        return super::controls::one_line(c);
    }
    let mut s = match &report.packages {
        Some(p) => format!(
            "secops: {} packages in {} files",
            p.len(),
            report.stats.files_scanned
        ),
        None => format!(
            "secops: {} in {} files",
            counts(report),
            report.stats.files_scanned
        ),
    };
    if let Some(r) = report.risk_score {
        s.push_str(&format!("; risk score {r}/100"));
    }
    if let Some(inc) = incomplete_line(report, false) {
        s.push_str(&format!("; {inc}"));
    }
    s
}
