//! Compliance controls (`secops comply`) as text and Markdown: per framework, each control with
//! its status and clauses; then the failing controls with evidence and remediation, the
//! manual ones with what to attach, and the passing ones; scores. Every output says the
//! verdicts are indicative evidence, not a certification.

use super::RenderOptions;
use secops_core::report::{ControlEntry, ControlScore, ControlStatus, ControlsReport};
use secops_core::Report;
use std::fmt::Write;

/// Framework id → display title.
fn framework_title(c: &ControlsReport, id: &str) -> String {
    c.scores
        .iter()
        .find(|s| s.framework == id)
        .map(|s| s.title.clone())
        .unwrap_or_else(|| match id {
            "soc2" => "SOC 2".into(),
            "pci-dss" => "PCI DSS".into(),
            "hipaa" => "HIPAA".into(),
            "gdpr" => "GDPR".into(),
            other => other.to_string(),
        })
}

/// Short framework names for clause lines.
fn short(id: &str) -> &str {
    match id {
        "soc2" => "SOC 2",
        "pci-dss" => "PCI DSS",
        "hipaa" => "HIPAA",
        "gdpr" => "GDPR",
        other => other,
    }
}

/// Frameworks in report order.
const ORDER: [&str; 4] = ["soc2", "pci-dss", "hipaa", "gdpr"];

fn clause_line(e: &ControlEntry) -> String {
    ORDER
        .iter()
        .filter_map(|f| {
            e.clauses
                .get(*f)
                .map(|c| format!("{} {}", short(f), c.join(", ")))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn score_text(s: &ControlScore) -> String {
    match s.score {
        Some(v) => format!("{v:.1}%"),
        None => "n/a".into(),
    }
}

/// What a framework's exit code means.
fn verdict(code: u8) -> &'static str {
    match code {
        0 => "ready (>= 90%, no failing critical control)",
        1 => "gaps (below 90% or a failing critical control)",
        _ => "critical gaps (below 50% or nothing assessable)",
    }
}

fn place(path: &str, line: usize) -> String {
    match (path.is_empty(), line) {
        (true, _) => String::new(),
        (false, 0) => path.to_string(),
        (false, l) => format!("{path}:{l}"),
    }
}

/// Status order in lists: fail, manual, pass, n/a.
fn rank(s: ControlStatus) -> u8 {
    match s {
        ControlStatus::Fail => 0,
        ControlStatus::Manual => 1,
        ControlStatus::Pass => 2,
        ControlStatus::NotApplicable => 3,
    }
}

fn sorted<'a>(controls: impl Iterator<Item = &'a ControlEntry>) -> Vec<&'a ControlEntry> {
    let mut v: Vec<&ControlEntry> = controls.collect();
    v.sort_by(|a, b| {
        rank(a.status)
            .cmp(&rank(b.status))
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| a.id.cmp(&b.id))
    });
    v
}

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
    fn status(&self, s: ControlStatus, cell: &str) -> String {
        let code = match s {
            ControlStatus::Fail => "1;31",
            ControlStatus::Manual => "33",
            ControlStatus::Pass => "32",
            ControlStatus::NotApplicable => "2",
        };
        self.wrap(code, cell)
    }
}

fn status_label(s: ControlStatus) -> &'static str {
    match s {
        ControlStatus::Pass => "PASS",
        ControlStatus::Fail => "FAIL",
        ControlStatus::Manual => "MANUAL",
        ControlStatus::NotApplicable => "N/A",
    }
}

/// The stack line(s).
fn stack_lines(c: &ControlsReport, verbose: bool) -> Vec<String> {
    let s = &c.stack;
    let mut parts = Vec::new();
    if !s.languages.is_empty() {
        parts.push(format!(
            "languages {}",
            s.languages
                .iter()
                .map(|(l, n)| format!("{l} ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (label, v) in [
        ("frameworks", &s.frameworks),
        ("IaC", &s.iac),
        ("CI", &s.ci),
    ] {
        if !v.is_empty() {
            parts.push(format!("{label} {}", v.join(", ")));
        }
    }
    let mut out = vec![format!(
        "Stack: {}",
        if parts.is_empty() {
            "nothing recognised".to_string()
        } else {
            parts.join("; ")
        }
    )];
    if verbose && !s.facts.is_empty() {
        out.push(format!("Facts: {}", s.facts.join(", ")));
    }
    out
}

/// The text rendering of a comply report.
pub fn text(report: &Report, c: &ControlsReport, opts: &RenderOptions) -> String {
    let p = Paint { on: opts.color };
    let verbose = opts.verbose > 0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!("secops comply: {}", report.root))
    );
    let _ = writeln!(out, "{}", p.dim(&c.disclaimer));
    out.push('\n');
    for l in stack_lines(c, verbose) {
        let _ = writeln!(out, "{l}");
    }
    out.push('\n');

    for score in &c.scores {
        let fw = score.framework.as_str();
        let _ = writeln!(
            out,
            "{}  {}  {} pass, {} fail, {} manual, {} n/a{}",
            p.bold(&score.title),
            p.bold(&score_text(score)),
            score.passed,
            score.failed,
            score.manual,
            score.not_applicable,
            if score.critical_failures > 0 {
                format!(", {} critical failure(s)", score.critical_failures)
            } else {
                String::new()
            }
        );
        let mapped = sorted(c.controls.iter().filter(|e| e.clauses.contains_key(fw)));
        let shown: Vec<&ControlEntry> = mapped
            .iter()
            .copied()
            .filter(|e| verbose || e.status != ControlStatus::NotApplicable)
            .collect();
        let rows: Vec<Vec<String>> = shown
            .iter()
            .map(|e| {
                vec![
                    status_label(e.status).to_string(),
                    e.severity.as_str().to_string(),
                    e.id.clone(),
                    e.clauses.get(fw).map(|v| v.join(", ")).unwrap_or_default(),
                ]
            })
            .collect();
        let table = super::text::table(&["STATUS", "SEVERITY", "CONTROL", "CLAUSES"], &rows);
        for (i, line) in table.lines().enumerate() {
            if i == 0 {
                let _ = writeln!(out, "  {}", p.dim(line));
            } else {
                let status = shown.get(i - 1).map_or(ControlStatus::Pass, |e| e.status);
                let label = status_label(status);
                let rest = line.get(label.len()..).unwrap_or("");
                let _ = writeln!(out, "  {}{rest}", p.status(status, label));
            }
        }
        let na = mapped.len() - shown.len();
        if na > 0 {
            let _ = writeln!(out, "  {}", p.dim(&format!("{na} n/a (-v lists them)")));
        }
        out.push('\n');
    }

    let fails = sorted(
        c.controls
            .iter()
            .filter(|e| e.status == ControlStatus::Fail),
    );
    if !fails.is_empty() {
        let _ = writeln!(out, "{}", p.bold("Failing controls"));
        for e in fails {
            detail(&mut out, &p, e, verbose);
        }
        out.push('\n');
    }
    let manual = sorted(
        c.controls
            .iter()
            .filter(|e| e.status == ControlStatus::Manual),
    );
    if !manual.is_empty() {
        let _ = writeln!(out, "{}", p.bold("Manual: evidence to attach"));
        for e in manual {
            detail(&mut out, &p, e, verbose);
        }
        out.push('\n');
    }
    let passes = sorted(
        c.controls
            .iter()
            .filter(|e| e.status == ControlStatus::Pass),
    );
    if !passes.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            p.bold(if verbose {
                "Passing controls"
            } else {
                "Passing controls (-v shows their evidence)"
            })
        );
        for e in passes {
            if verbose {
                detail(&mut out, &p, e, verbose);
            } else {
                let _ = writeln!(
                    out,
                    "  {} {}  {}",
                    p.status(ControlStatus::Pass, "✓"),
                    e.id,
                    p.dim(&e.title)
                );
            }
        }
        out.push('\n');
    }
    if verbose {
        let na = sorted(
            c.controls
                .iter()
                .filter(|e| e.status == ControlStatus::NotApplicable),
        );
        if !na.is_empty() {
            let _ = writeln!(out, "{}", p.bold("Not applicable"));
            for e in na {
                let _ = writeln!(
                    out,
                    "  - {}  {}",
                    e.id,
                    p.dim(e.reason.as_deref().unwrap_or(""))
                );
            }
            out.push('\n');
        }
        if !report.notices.is_empty() {
            let _ = writeln!(out, "{}", p.bold("Notices"));
            for n in &report.notices {
                let _ = writeln!(
                    out,
                    "  {:<12} {}{}",
                    n.kind.as_str(),
                    n.path
                        .as_deref()
                        .filter(|x| !n.message.starts_with(x))
                        .map(|x| format!("{x}: "))
                        .unwrap_or_default(),
                    n.message
                );
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "{}", summary(report, c));
    out
}

/// One control in the detail sections.
fn detail(out: &mut String, p: &Paint, e: &ControlEntry, verbose: bool) {
    let mark = match e.status {
        ControlStatus::Fail => "✗",
        ControlStatus::Manual => "?",
        ControlStatus::Pass => "✓",
        ControlStatus::NotApplicable => "-",
    };
    let _ = writeln!(
        out,
        "  {} {}  {}  {}",
        p.status(e.status, mark),
        p.bold(&e.id),
        e.severity,
        e.title
    );
    let max = if verbose { usize::MAX } else { 5 };
    let shown: Vec<_> = e
        .evidence
        .iter()
        .filter(|ev| verbose || ev.failing || e.status != ControlStatus::Fail)
        .collect();
    for ev in shown.iter().take(max) {
        let at = place(&ev.path, ev.line);
        let sign = if ev.failing { "✗" } else { "✓" };
        if at.is_empty() {
            let _ = writeln!(out, "      {sign} {}", ev.text);
        } else {
            let _ = writeln!(out, "      {sign} {}  {}", at, p.dim(&ev.text));
        }
    }
    if shown.len() > max {
        let _ = writeln!(
            out,
            "      {}",
            p.dim(&format!("… {} more (-v shows all)", shown.len() - max))
        );
    }
    if let Some(r) = &e.reason {
        let _ = writeln!(out, "      {}", p.dim(&format!("note: {r}")));
    }
    let _ = writeln!(
        out,
        "      {}",
        p.dim(&format!("clauses: {}", clause_line(e)))
    );
    if e.status != ControlStatus::Pass {
        let _ = writeln!(out, "      fix: {}", e.remediation);
    }
    if let Some(m) = &e.manual {
        if e.status != ControlStatus::Pass || verbose {
            let _ = writeln!(out, "      attach: {m}");
        }
    }
}

/// The closing lines: scores and the overall verdict.
fn summary(report: &Report, c: &ControlsReport) -> String {
    let scores: Vec<String> = c
        .scores
        .iter()
        .map(|s| format!("{} {}", short(&s.framework), score_text(s)))
        .collect();
    let worst = c.scores.iter().map(|s| s.exit_code).max().unwrap_or(2);
    let misconfigs = report
        .findings
        .iter()
        .filter(|f| f.kind == secops_core::FindingKind::Misconfig)
        .count();
    let s = &report.stats;
    let mut line = format!(
        "Scores: {} — {}\n{} controls ({} failing) in {} file{} ({}) in {:.2}s",
        scores.join(", "),
        verdict(worst),
        c.controls.len(),
        c.controls
            .iter()
            .filter(|e| e.status == ControlStatus::Fail)
            .count(),
        s.files_scanned,
        if s.files_scanned == 1 { "" } else { "s" },
        secops_core::walk::human_bytes(s.bytes_scanned),
        s.duration_ms as f64 / 1000.0
    );
    if misconfigs > 0 {
        line.push_str(&format!("; {misconfigs} IaC misconfiguration(s)"));
    }
    if !report.notices.is_empty() {
        line.push_str(&format!(
            "; {} notice(s) (-v lists them)",
            report.notices.len()
        ));
    }
    line
}

/// One line for standard error when the report went to a file.
pub fn one_line(c: &ControlsReport) -> String {
    let scores: Vec<String> = c
        .scores
        .iter()
        .map(|s| format!("{} {}", short(&s.framework), score_text(s)))
        .collect();
    format!(
        "secops comply: {}; {} failing control(s) (indicative, not a certification)",
        scores.join(", "),
        c.controls
            .iter()
            .filter(|e| e.status == ControlStatus::Fail)
            .count()
    )
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Inline code that survives backticks in the text.
fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

/// A Markdown report for an auditor.
pub fn markdown(report: &Report, c: &ControlsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Compliance readiness report\n");
    let _ = writeln!(
        out,
        "> **Indicative evidence, not a certification.** {}\n",
        c.disclaimer
    );
    let _ = writeln!(
        out,
        "Repository `{}`, {} files assessed by secops {}. Frameworks: {}.\n",
        report.root,
        report.stats.files_scanned,
        report.tool.version,
        c.frameworks
            .iter()
            .map(|f| framework_title(c, f))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("## Scores\n\n");
    out.push_str("Severity-weighted over controls that passed or failed (critical 10, high 7.5, medium 5, low 2.5); manual and not-applicable controls are listed, not scored.\n\n");
    out.push_str("| Framework | Score | Pass | Fail | Manual | N/A | Critical failures | Verdict |\n|---|---|---|---|---|---|---|---|\n");
    for s in &c.scores {
        let _ = writeln!(
            out,
            "| {} | **{}** | {} | {} | {} | {} | {} | {} |",
            cell(&s.title),
            score_text(s),
            s.passed,
            s.failed,
            s.manual,
            s.not_applicable,
            s.critical_failures,
            verdict(s.exit_code)
        );
    }
    out.push_str("\n## Technology stack\n\n");
    let st = &c.stack;
    let list = |v: &[String]| {
        if v.is_empty() {
            "none detected".to_string()
        } else {
            v.join(", ")
        }
    };
    let langs: Vec<String> = st
        .languages
        .iter()
        .map(|(l, n)| format!("{l} ({n} files)"))
        .collect();
    let _ = writeln!(out, "- Languages: {}", list(&langs));
    let _ = writeln!(
        out,
        "- Web frameworks and servers: {}",
        list(&st.frameworks)
    );
    let _ = writeln!(out, "- Infrastructure as code: {}", list(&st.iac));
    let _ = writeln!(out, "- CI: {}", list(&st.ci));
    let _ = writeln!(
        out,
        "- Facts used to decide applicability: {}\n",
        list(&st.facts)
    );

    for s in &c.scores {
        let fw = s.framework.as_str();
        let _ = writeln!(out, "## {} ({})\n", s.title, score_text(s));
        out.push_str("| Status | Control | Severity | Clauses |\n|---|---|---|---|\n");
        for e in sorted(c.controls.iter().filter(|e| e.clauses.contains_key(fw))) {
            let _ = writeln!(
                out,
                "| {} | {} ({}) | {} | {} |",
                status_label(e.status),
                cell(&e.title),
                code(&e.id),
                e.severity,
                cell(&e.clauses.get(fw).map(|v| v.join(", ")).unwrap_or_default())
            );
        }
        out.push('\n');
    }

    out.push_str("## Control details\n\n");
    for e in sorted(c.controls.iter()) {
        let _ = writeln!(out, "### {} {}\n", code(&e.id), e.title);
        let _ = writeln!(
            out,
            "- **Status:** {} · **Severity:** {} · **Decided:** {}",
            status_label(e.status),
            e.severity,
            e.how
        );
        let _ = writeln!(out, "- **Clauses:** {}", clause_line(e));
        if let Some(r) = &e.reason {
            let _ = writeln!(out, "- **Note:** {r}");
        }
        if !e.evidence.is_empty() {
            out.push_str("- **Evidence:**\n");
            for ev in &e.evidence {
                let at = place(&ev.path, ev.line);
                let sign = if ev.failing { "fails" } else { "supports" };
                if at.is_empty() {
                    let _ = writeln!(out, "  - {sign}: {}", code(&ev.text));
                } else {
                    let _ = writeln!(out, "  - {sign}: {} {}", code(&at), code(&ev.text));
                }
            }
        }
        if e.status != ControlStatus::Pass && e.status != ControlStatus::NotApplicable {
            let _ = writeln!(out, "- **Remediation:** {}", e.remediation);
        }
        if let Some(m) = &e.manual {
            if e.status != ControlStatus::NotApplicable {
                let _ = writeln!(out, "- **Evidence to attach:** {m}");
            }
        }
        out.push('\n');
    }
    let misconfigs: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == secops_core::FindingKind::Misconfig)
        .collect();
    if !misconfigs.is_empty() {
        out.push_str("## Infrastructure-as-code misconfigurations\n\n| Severity | Rule | Location | Detail |\n|---|---|---|---|\n");
        for f in misconfigs {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                f.severity,
                code(&f.rule_id),
                code(&place(&f.location.path, f.location.start_line)),
                cell(&f.message)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "---\n\nGenerated by secops {}. {}",
        report.tool.version, c.disclaimer
    );
    out
}
