//! SARIF 2.1.0 for GitHub code scanning (a small hand-written model, as zizmor and
//! cargo-deny do): rules with help, CWE tags and `security-severity`, results with relative
//! URIs and `partialFingerprints`, notices as tool execution notifications.

use secops_core::{Details, Finding, FindingKind, Report, RuleMeta, Severity};
use serde_json::{json, Value};
use std::collections::HashMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(report: &Report) -> anyhow::Result<String> {
    let index: HashMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    // For an advisory, GitHub's `security-severity` is best the CVSS score itself.
    let mut cvss: HashMap<&str, f64> = HashMap::new();
    for f in &report.findings {
        if let Details::Vulnerability(d) = &f.details {
            if let Some(s) = d.cvss_score {
                let e = cvss.entry(f.rule_id.as_str()).or_insert(s);
                *e = e.max(s);
            }
        }
    }
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| rule(r, cvss.get(r.id.as_str()).copied()))
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, index.get(f.rule_id.as_str()).copied()))
        .collect();
    let notifications: Vec<Value> = report
        .notices
        .iter()
        .map(|n| {
            let mut v = json!({
                "level": "note",
                "message": { "text": sentence(&notice_text(n.kind.as_str(), &n.message)) },
                "descriptor": { "id": format!("notice/{}", n.kind.as_str()) },
            });
            if let Some(p) = &n.path {
                v["locations"] = json!([{ "physicalLocation": { "artifactLocation": {
                    "uri": uri(p), "uriBaseId": "%SRCROOT%" } } }]);
            }
            v
        })
        .collect();
    let root_uri = root_uri(&report.root);
    let mut run = json!({
        "tool": { "driver": {
            "name": report.tool.name,
            "version": report.tool.version,
            "semanticVersion": report.tool.version,
            "informationUri": report.tool.information_uri,
            "rules": rules,
        }},
        "automationDetails": { "id": format!("secops/{}/", report.command) },
        "columnKind": "unicodeCodePoints",
        "invocations": [{
            "executionSuccessful": true,
            "toolExecutionNotifications": notifications,
        }],
        "results": results,
    });
    if let Some(u) = root_uri {
        run["originalUriBaseIds"] = json!({ "%SRCROOT%": { "uri": u } });
    }
    if let Some(r) = report.risk_score {
        run["properties"] = json!({ "riskScore": r });
    }
    if let Some(c) = &report.controls {
        let scores: Vec<Value> = c
            .scores
            .iter()
            .map(|s| {
                json!({
                    "framework": s.framework,
                    "title": s.title,
                    "score": s.score,
                    "passed": s.passed,
                    "failed": s.failed,
                    "manual": s.manual,
                    "notApplicable": s.not_applicable,
                    "criticalFailures": s.critical_failures,
                })
            })
            .collect();
        run["properties"] = json!({
            "compliance": { "disclaimer": c.disclaimer, "scores": scores },
        });
    }
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    });
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}

/// `kind: message`, without repeating a kind the message already starts with.
fn notice_text(kind: &str, message: &str) -> String {
    if message.starts_with(&format!("{kind}:")) {
        message.to_string()
    } else {
        format!("{kind}: {message}")
    }
}

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// `secret.aws-access-key-id` → `AwsAccessKeyId`.
fn friendly_name(id: &str) -> String {
    let tail = id.split_once('.').map_or(id, |(_, t)| t);
    tail.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn sentence(s: &str) -> String {
    let t = s.trim_end();
    if t.ends_with('.') || t.ends_with('!') || t.ends_with('?') {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn rule(r: &RuleMeta, cvss: Option<f64>) -> Value {
    let mut tags = vec!["security".to_string(), r.kind.as_str().to_string()];
    for c in &r.cwe {
        if let Some(n) = c.strip_prefix("CWE-") {
            tags.push(format!("external/cwe/cwe-{n}"));
        }
    }
    tags.extend(r.tags.iter().cloned());
    let cwe_line = if r.cwe.is_empty() {
        String::new()
    } else {
        format!("\n\nWeakness: {}.", r.cwe.join(", "))
    };
    let security_severity = match cvss {
        Some(score) => format!("{score:.1}"),
        None => r.severity.security_severity().to_string(),
    };
    let mut v = json!({
        "id": r.id,
        "name": friendly_name(&r.id),
        "shortDescription": { "text": sentence(&r.title) },
        "fullDescription": { "text": sentence(&r.help) },
        "help": {
            "text": format!("{}{}", sentence(&r.help), cwe_line),
            "markdown": format!("**{}**\n\n{}{}", r.title, sentence(&r.help), cwe_line),
        },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "tags": tags,
            "precision": "high",
            "problem.severity": match r.severity { Severity::Critical | Severity::High => "error", Severity::Medium => "warning", _ => "recommendation" },
            "security-severity": security_severity,
        },
    });
    if r.kind == FindingKind::Vulnerability {
        v["helpUri"] = json!(format!("https://osv.dev/vulnerability/{}", r.id));
    }
    v
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let l = &f.location;
    let start_line = l.start_line.max(1);
    let mut region = json!({
        "startLine": start_line,
        "startColumn": l.start_column.max(1),
    });
    let end_line = l.end_line.max(start_line);
    if end_line > start_line || l.end_column > l.start_column {
        region["endLine"] = json!(end_line);
        region["endColumn"] = json!(l.end_column.max(1));
    }
    let mut props = json!({
        "severity": f.severity.as_str(),
        "confidence": f.confidence.as_str(),
    });
    if let Details::Secret(d) = &f.details {
        props["entropy"] = json!(d.entropy);
        if let Some(c) = &d.commit {
            props["commit"] = json!(c);
        }
        if let Some(a) = &d.author {
            props["author"] = json!(a);
        }
        if let Some(dt) = &d.date {
            props["date"] = json!(dt);
        }
    }
    // GitHub code scanning needs a region: a result about a whole file (line 0, e.g. a file
    // that should exist) points at its first line.
    let location = json!({ "physicalLocation": {
        "artifactLocation": { "uri": uri(&l.path), "uriBaseId": "%SRCROOT%" },
        "region": region,
    }});
    let mut v = json!({
        "ruleId": f.rule_id,
        "level": level(f.severity),
        "message": { "text": sentence(&f.message) },
        "locations": [location],
        "partialFingerprints": { "secops/v1": f.fingerprint },
        "properties": props,
    });
    if let Some(i) = rule_index {
        v["ruleIndex"] = json!(i);
    }
    if let Details::Vulnerability(d) = &f.details {
        let p = &mut v["properties"];
        p["ecosystem"] = json!(d.ecosystem);
        p["package"] = json!(d.package);
        p["version"] = json!(d.version);
        p["group"] = json!(d.group);
        if !d.aliases.is_empty() {
            p["aliases"] = json!(d.aliases);
        }
        if !d.fixed_versions.is_empty() {
            p["fixedVersions"] = json!(d.fixed_versions);
        }
        if let Some(u) = &d.minimal_upgrade {
            p["minimalUpgrade"] = json!(u);
        }
        if let Some(s) = d.cvss_score {
            p["cvssScore"] = json!(s);
        }
        if let Some(vec) = &d.cvss_vector {
            p["cvssVector"] = json!(vec);
        }
    }
    if let Details::Sast(d) = &f.details {
        if !d.trace.is_empty() {
            let locs: Vec<Value> = d
                .trace
                .iter()
                .map(|s| {
                    json!({ "location": {
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&l.path), "uriBaseId": "%SRCROOT%" },
                            "region": { "startLine": s.line.max(1), "startColumn": s.column.max(1) },
                        },
                        "message": { "text": sentence(&s.message) },
                    }})
                })
                .collect();
            v["codeFlows"] = json!([{ "threadFlows": [{ "locations": locs }] }]);
        }
        v["properties"]["category"] = json!(d.category);
    }
    v
}

/// Percent-encode a relative path for a URI reference.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `file:///abs/root/` for the scanned directory, if it can be resolved.
fn root_uri(root: &str) -> Option<String> {
    let p = std::fs::canonicalize(root).ok()?;
    let dir = if p.is_file() {
        p.parent()?.to_path_buf()
    } else {
        p
    };
    let mut s = dir.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    Some(format!("file://{}", uri(&s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(friendly_name("secret.aws-access-key-id"), "AwsAccessKeyId");
        assert_eq!(uri("a b/c#d.py"), "a%20b/c%23d.py");
        assert_eq!(sentence("Found"), "Found.");
        assert_eq!(sentence("Found."), "Found.");
    }
}
