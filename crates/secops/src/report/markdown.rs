//! Markdown: a readable report to paste into a ticket or hand to a reviewer, and the
//! generated rule catalog (`docs/rules.md`).

use secops_core::report::PackageEntry;
use secops_core::{Details, Finding, Report, RuleMeta, VulnDetails};
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `file:line`, or the file alone when the line is unknown (0).
fn place(path: &str, line: usize) -> String {
    if line > 0 {
        format!("{path}:{line}")
    } else {
        path.to_string()
    }
}

/// Dependency vulnerabilities as a table.
fn vuln_table(out: &mut String, vulns: &[(&Finding, &VulnDetails)]) {
    out.push_str("| Severity | Package | Version | Advisory | Aliases | Fixed in | Upgrade to | Location |\n|---|---|---|---|---|---|---|---|\n");
    for (f, d) in vulns {
        let sev = match d.cvss_score {
            Some(s) => format!("{} ({s:.1})", f.severity),
            None => f.severity.to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | [{}]({}) | {} | {} | {} | `{}` |",
            sev,
            cell(&d.package),
            cell(&d.version),
            cell(&d.id),
            cell(&format!("https://osv.dev/vulnerability/{}", d.id)),
            cell(&d.aliases.join(", ")),
            cell(&d.fixed_versions.join(", ")),
            cell(d.minimal_upgrade.as_deref().unwrap_or("")),
            cell(&place(&f.location.path, f.location.start_line)),
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    let summaries: Vec<String> = vulns
        .iter()
        .filter(|(_, d)| seen.insert(d.id.as_str()) && !d.summary.trim().is_empty())
        .map(|(_, d)| format!("- **{}**: {}", d.id, cell(d.summary.trim())))
        .collect();
    if !summaries.is_empty() {
        let _ = writeln!(out, "\n{}", summaries.join("\n"));
    }
}

/// The dependency inventory as a table.
fn packages_table(out: &mut String, packages: &[PackageEntry]) {
    if packages.is_empty() {
        out.push_str("No packages found.\n");
        return;
    }
    out.push_str(
        "| Location | Ecosystem | Package | Version | Pinned | Group |\n|---|---|---|---|---|---|\n",
    );
    for e in packages {
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` | {} | {} | {} |",
            cell(&place(&e.file, e.line)),
            cell(&e.ecosystem),
            cell(&e.name),
            cell(&e.version),
            if e.pinned { "yes" } else { "no" },
            cell(&e.group),
        );
    }
}

pub fn render(report: &Report) -> String {
    if let Some(c) = &report.controls {
        return super::controls::markdown(report, c);
    }
    let mut out = String::new();
    let _ = writeln!(out, "# secops {} report\n", report.command);
    let what = match &report.packages {
        Some(p) => format!("{} packages", p.len()),
        None => format!("{} findings", report.summary.total),
    };
    let _ = writeln!(
        out,
        "Scanned `{}`: {} files, {}, secops {}.\n",
        report.root, report.stats.files_scanned, what, report.tool.version
    );
    if let Some(r) = report.risk_score {
        let _ = writeln!(out, "Risk score: **{r}/100**.\n");
    }
    if let Some(packages) = &report.packages {
        packages_table(&mut out, packages);
    }
    let vulns: Vec<(&Finding, &VulnDetails)> = report
        .findings
        .iter()
        .filter_map(|f| match &f.details {
            Details::Vulnerability(d) => Some((f, d)),
            _ => None,
        })
        .collect();
    let others: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !matches!(f.details, Details::Vulnerability(_)))
        .collect();
    if report.packages.is_some() {
        // The inventory replaces findings.
    } else if report.findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        if !vulns.is_empty() {
            vuln_table(&mut out, &vulns);
        }
        if !others.is_empty() {
            if !vulns.is_empty() {
                out.push('\n');
            }
            out.push_str("| Severity | Rule | Location | Detail |\n|---|---|---|---|\n");
        }
        for f in others {
            let detail = match &f.details {
                Details::Secret(d) => {
                    let mut s = format!("`{}`", d.secret);
                    if let Some(c) = &d.commit {
                        s.push_str(&format!(
                            " in commit `{}`",
                            c.chars().take(12).collect::<String>()
                        ));
                    }
                    s
                }
                Details::Sast(_) | Details::Vulnerability(_) | Details::None => cell(&f.message),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}:{}` | {} |",
                f.severity,
                f.rule_id,
                cell(&f.location.path),
                f.location.start_line,
                detail
            );
        }
    }
    if !report.notices.is_empty() {
        let _ = writeln!(
            out,
            "\n{} notices (files skipped or scanned with caveats).",
            report.notices.len()
        );
        if report.command == "deps" {
            for n in &report.notices {
                let _ = writeln!(
                    out,
                    "- {}: {}",
                    n.kind.as_str(),
                    cell(&match &n.path {
                        Some(p) if !n.message.starts_with(p.as_str()) => {
                            format!("{p}: {}", n.message)
                        }
                        _ => n.message.clone(),
                    })
                );
            }
        }
    }
    out
}

/// The rule catalog as a Markdown document.
pub fn rules_doc(rules: &[RuleMeta]) -> String {
    let mut out = String::new();
    out.push_str("# secops rule catalog\n\n");
    out.push_str("Generated by `secops rules --format markdown`; do not edit by hand (CI checks it is current).\n\n");
    let _ = writeln!(out, "{} rules.\n", rules.len());
    out.push_str("| Id | Severity | Title | CWE |\n|---|---|---|---|\n");
    for r in rules {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} |",
            r.id,
            r.id.replace('.', ""),
            r.severity,
            cell(&r.title),
            r.cwe.join(", ")
        );
    }
    out.push('\n');
    for r in rules {
        let _ = writeln!(
            out,
            "## {}\n\n**{}** ({}, {})\n\n{}\n",
            r.id,
            r.title,
            r.severity,
            r.cwe.join(", "),
            r.help.trim()
        );
    }
    out
}
