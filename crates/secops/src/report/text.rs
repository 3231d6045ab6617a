//! Human text output: findings grouped by file, then a summary.

use super::RenderOptions;
use secops_core::{Details, NoticeKind, Report, Severity};
use std::collections::BTreeMap;
use std::fmt::Write;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn sev(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, &format!("{:<8}", sev.as_str()))
    }
}

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let p = Paint { on: opts.color };
    let mut out = String::new();
    let mut by_file: BTreeMap<&str, Vec<&secops_core::Finding>> = BTreeMap::new();
    for f in &report.findings {
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

fn summary(report: &Report, verbose: bool) -> String {
    let s = &report.stats;
    let mut line = format!(
        "{} in {} file{} ({}) in {:.2}s",
        counts(report),
        s.files_scanned,
        if s.files_scanned == 1 { "" } else { "s" },
        secops_core::walk::human_bytes(s.bytes_scanned),
        s.duration_ms as f64 / 1000.0
    );
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
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
    line
}

/// One line for standard error when the report itself went to a file or is machine-readable.
pub fn one_line_summary(report: &Report) -> String {
    format!(
        "secops: {} in {} files",
        counts(report),
        report.stats.files_scanned
    )
}
