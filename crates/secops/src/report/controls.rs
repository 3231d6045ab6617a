//! Compliance controls (`secops comply`) as text and Markdown: per framework, each control with
//! its status and clauses; then the failing controls with evidence and remediation, the
//! manual ones with what to attach, and the passing ones; scores. Every output says the
//! verdicts are indicative evidence, not a certification.

use super::text::Paint;
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

impl Paint {
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
    // Manual controls are many: without -v they say only what to attach.
    let brief = e.status == ControlStatus::Manual && !verbose;
    if !brief {
        let _ = writeln!(
            out,
            "      {}",
            p.dim(&format!("clauses: {}", clause_line(e)))
        );
    }
    if e.status == ControlStatus::Fail || (e.status == ControlStatus::Manual && verbose) {
        let _ = writeln!(out, "      fix: {}", e.remediation);
    }
    match (&e.manual, e.status) {
        (Some(m), ControlStatus::Fail | ControlStatus::Manual) => {
            let _ = writeln!(out, "      attach: {m}");
        }
        (Some(m), _) if verbose => {
            let _ = writeln!(out, "      attach: {m}");
        }
        (None, ControlStatus::Manual) => {
            let _ = writeln!(out, "      attach: {DEFAULT_ATTACH}");
        }
        _ => {}
    }
}

/// What to attach for a heuristic control that found no signal and names nothing specific.
pub const DEFAULT_ATTACH: &str = "evidence that this is in place outside the scanned code (configuration export, document or screenshot), or implement it (-v shows how)";

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
    let _ = writeln!(out, "> **Disclaimer:** {}\n", c.disclaimer);
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
        match (&e.manual, e.status) {
            (Some(m), ControlStatus::Pass | ControlStatus::Fail | ControlStatus::Manual) => {
                let _ = writeln!(out, "- **Evidence to attach:** {m}");
            }
            (None, ControlStatus::Manual) => {
                let _ = writeln!(out, "- **Evidence to attach:** {DEFAULT_ATTACH}");
            }
            _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use secops_core::finding::fingerprint;
    use secops_core::report::{ControlEvidence, StackInfo, COMPLIANCE_DISCLAIMER};
    use secops_core::{Confidence, Details, Finding, FindingKind, Location, RuleMeta, Severity};
    use std::collections::BTreeMap;

    fn clauses(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(f, c)| (f.to_string(), c.iter().map(|x| x.to_string()).collect()))
            .collect()
    }

    fn entry(
        id: &str,
        sev: Severity,
        status: ControlStatus,
        evidence: Vec<ControlEvidence>,
        cl: BTreeMap<String, Vec<String>>,
    ) -> ControlEntry {
        ControlEntry {
            id: id.into(),
            title: format!("Title of {id}"),
            severity: sev,
            status,
            how: "automatic".into(),
            evidence,
            clauses: cl,
            remediation: format!("Fix {id}."),
            manual: (status == ControlStatus::Manual).then(|| "Attach the policy.".to_string()),
            reason: match status {
                ControlStatus::NotApplicable => {
                    Some("not applicable: no Terraform detected".into())
                }
                ControlStatus::Manual => Some("no evidence found in code".into()),
                _ => None,
            },
        }
    }

    fn ev(path: &str, line: usize, text: &str, failing: bool) -> ControlEvidence {
        ControlEvidence {
            path: path.into(),
            line,
            text: text.into(),
            failing,
        }
    }

    /// A small comply report: one failing control (with a misconfiguration), one passing,
    /// one manual, one n/a; two frameworks.
    pub(crate) fn sample_comply_report() -> Report {
        let mut r = Report::new("comply", "sample-project");
        r.tool.version = "0.0.0-test".into();
        let both: &[(&str, &[&str])] = &[("soc2", &["CC6.7"]), ("pci-dss", &["4.2.1"])];
        let controls = vec![
            entry(
                "control.tls-cert-validation",
                Severity::High,
                ControlStatus::Fail,
                vec![ev("Dockerfile", 2, "curl without certificate verification: RUN curl -k https://x.example.net/i.sh | sh", true)],
                clauses(both),
            ),
            entry(
                "control.secrets-no-hardcoded",
                Severity::Critical,
                ControlStatus::Pass,
                vec![],
                clauses(&[("soc2", &["CC6.1"]), ("pci-dss", &["8.6.2", "2.2.2"])]),
            ),
            entry(
                "control.doc-security-policy",
                Severity::Medium,
                ControlStatus::Pass,
                vec![ev("SECURITY.md", 3, "security policy with a contact and a process (2 of 2 required items)", false)],
                clauses(&[("soc2", &["CC7.3"])]),
            ),
            entry(
                "control.man-workforce-mfa",
                Severity::High,
                ControlStatus::Manual,
                vec![],
                clauses(both),
            ),
            entry(
                "control.net-storage-not-public",
                Severity::Critical,
                ControlStatus::NotApplicable,
                vec![],
                clauses(both),
            ),
        ];
        let mut langs = BTreeMap::new();
        langs.insert("python".to_string(), 3);
        r.controls = Some(ControlsReport {
            disclaimer: COMPLIANCE_DISCLAIMER.into(),
            frameworks: vec!["soc2".into(), "pci-dss".into()],
            stack: StackInfo {
                languages: langs,
                frameworks: vec!["Flask".into()],
                iac: vec!["dockerfile".into()],
                ci: vec![],
                facts: vec!["code".into(), "dockerfile".into(), "web-server".into()],
            },
            scores: vec![
                ControlScore {
                    framework: "soc2".into(),
                    title: "SOC 2 (2017 TSC)".into(),
                    score: Some(60.0),
                    passed: 2,
                    failed: 1,
                    manual: 1,
                    not_applicable: 1,
                    critical_failures: 0,
                    exit_code: 1,
                },
                ControlScore {
                    framework: "pci-dss".into(),
                    title: "PCI DSS v4.0".into(),
                    score: Some(57.1),
                    passed: 1,
                    failed: 1,
                    manual: 1,
                    not_applicable: 1,
                    critical_failures: 0,
                    exit_code: 1,
                },
            ],
            controls,
        });
        r.findings = vec![
            Finding {
                rule_id: "control.tls-cert-validation".into(),
                kind: FindingKind::Control,
                severity: Severity::High,
                confidence: Confidence::High,
                message:
                    "Title of control.tls-cert-validation: curl without certificate verification"
                        .into(),
                location: Location::new("Dockerfile", 2, 1),
                fingerprint: fingerprint("control.tls-cert-validation", "Dockerfile", b"x"),
                details: Details::None,
            },
            Finding {
                rule_id: "iac.dockerfile.curl-pipe-shell".into(),
                kind: FindingKind::Misconfig,
                severity: Severity::Medium,
                confidence: Confidence::High,
                message: "stage 0 step 2: remote script piped to sh".into(),
                location: Location::new("Dockerfile", 2, 1),
                fingerprint: fingerprint("iac.dockerfile.curl-pipe-shell", "Dockerfile", b"y"),
                details: Details::None,
            },
        ];
        r.rules = vec![
            RuleMeta {
                id: "control.tls-cert-validation".into(),
                kind: FindingKind::Control,
                title: "Title of control.tls-cert-validation".into(),
                help: "Fix control.tls-cert-validation. Clauses: SOC 2 (2017 TSC) CC6.7. Indicative evidence from the repository, not a certification.".into(),
                severity: Severity::High,
                cwe: vec![],
                owasp: vec![],
                tags: vec!["compliance".into(), "soc2".into()],
            },
            RuleMeta {
                id: "iac.dockerfile.curl-pipe-shell".into(),
                kind: FindingKind::Misconfig,
                title: "Remote script piped to a shell".into(),
                help: "Download, verify, then run.".into(),
                severity: Severity::Medium,
                cwe: vec!["CWE-494".into()],
                owasp: vec![],
                tags: vec!["iac".into()],
            },
        ];
        r.stats.files_scanned = 5;
        r.stats.bytes_scanned = 1234;
        r.stats.duration_ms = 9;
        r.finish();
        r
    }

    #[test]
    fn snapshot_comply_text() {
        let r = sample_comply_report();
        let c = r.controls.as_ref().unwrap();
        let plain = text(
            &r,
            c,
            &RenderOptions {
                color: false,
                verbose: 0,
            },
        );
        assert!(plain.contains("not a certification"));
        assert!(plain.contains("  FAIL    high      control.tls-cert-validation"));
        assert!(
            !plain.contains("control.net-storage-not-public"),
            "n/a hidden without -v"
        );
        insta::assert_snapshot!("comply_text", plain);
        let verbose = text(
            &r,
            c,
            &RenderOptions {
                color: false,
                verbose: 1,
            },
        );
        assert!(verbose.contains("control.net-storage-not-public  not applicable: no Terraform"));
        insta::assert_snapshot!("comply_text_verbose", verbose);
    }

    #[test]
    fn snapshot_comply_markdown() {
        let r = sample_comply_report();
        let md = markdown(&r, r.controls.as_ref().unwrap());
        assert!(md.contains("> **Disclaimer:** Indicative evidence"));
        insta::assert_snapshot!("comply_markdown", md);
    }

    #[test]
    fn snapshot_comply_sarif_and_json() {
        let r = sample_comply_report();
        let sarif = super::super::sarif::render(&r).unwrap();
        let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let run = &v["runs"][0];
        assert_eq!(run["results"].as_array().unwrap().len(), 2);
        assert_eq!(run["properties"]["compliance"]["scores"][1]["score"], 57.1);
        insta::assert_snapshot!("comply_sarif", sarif);
        let json = super::super::json::render(&r).unwrap();
        let j: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(j["controls"]["controls"][4]["status"], "n/a");
        insta::assert_snapshot!("comply_json", json);
    }

    #[test]
    fn colour_codes_wrap_status_cells_only_when_asked() {
        let r = sample_comply_report();
        let c = r.controls.as_ref().unwrap();
        let coloured = text(
            &r,
            c,
            &RenderOptions {
                color: true,
                verbose: 0,
            },
        );
        assert!(coloured.contains("\x1b[1;31mFAIL\x1b[0m"));
        let plain = text(
            &r,
            c,
            &RenderOptions {
                color: false,
                verbose: 0,
            },
        );
        assert!(!plain.contains('\x1b'));
        assert_eq!(
            one_line(c),
            "secops comply: SOC 2 60.0%, PCI DSS 57.1%; 1 failing control(s) (indicative, not a certification)"
        );
    }
}
