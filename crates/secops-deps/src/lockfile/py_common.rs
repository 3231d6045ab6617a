//! Helpers shared by the PyPI parsers: PEP 508 requirement strings, the "lowest allowed
//! version" of a PEP 440 or Poetry constraint, TOML reading with error lines.

use super::util::{parse_error, Lines};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::version;
use std::cmp::Ordering;

/// A PEP 508 requirement (`name[extras] specifiers ; marker` or `name @ url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    pub extras: Vec<String>,
    /// (operator, version) pairs, e.g. `(">=", "1.0")`.
    pub specs: Vec<(String, String)>,
    /// The URL of a direct reference (`name @ https://...`).
    pub url: Option<String>,
    pub marker: Option<String>,
}

const OPERATORS: [&str; 8] = ["===", "==", "!=", "~=", ">=", "<=", ">", "<"];

/// Parse a PEP 508 requirement; the error is a short reason.
pub fn parse_requirement(s: &str) -> Result<Requirement, String> {
    let (body, marker) = match s.split_once(';') {
        Some((b, m)) => (b, Some(m.trim().to_string()).filter(|m| !m.is_empty())),
        None => (s, None),
    };
    let body = body.trim();
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(body.len());
    let name = body.get(..name_end).unwrap_or_default();
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("expected a package name".into());
    }
    let mut rest = body.get(name_end..).unwrap_or_default().trim_start();
    let mut extras = Vec::new();
    if let Some(r) = rest.strip_prefix('[') {
        let (inside, after) = r.split_once(']').ok_or("unclosed '['")?;
        extras = inside
            .split(',')
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect();
        rest = after.trim_start();
    }
    if let Some(url) = rest.strip_prefix('@') {
        let url = url.trim();
        if url.is_empty() {
            return Err("empty URL after '@'".into());
        }
        return Ok(Requirement {
            name: name.to_string(),
            extras,
            specs: Vec::new(),
            url: Some(url.to_string()),
            marker,
        });
    }
    if let Some(r) = rest.strip_prefix('(') {
        rest = r.strip_suffix(')').ok_or("unclosed '('")?;
    }
    Ok(Requirement {
        name: name.to_string(),
        extras,
        specs: parse_specifiers(rest)?,
        url: None,
        marker,
    })
}

/// Parse a comma-separated PEP 440 specifier list (`>=1.0, !=1.5.*`); empty gives no specs.
pub fn parse_specifiers(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut specs = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        if part.is_empty() {
            if s.trim().is_empty() {
                continue;
            }
            return Err("empty version specifier".into());
        }
        let op = OPERATORS
            .iter()
            .find(|op| part.starts_with(**op))
            .ok_or_else(|| format!("invalid version specifier {part:?}"))?;
        let v = part.get(op.len()..).unwrap_or_default().trim();
        if v.is_empty() || v.contains(char::is_whitespace) {
            return Err(format!("invalid version specifier {part:?}"));
        }
        specs.push((op.to_string(), v.to_string()));
    }
    Ok(specs)
}

/// The greater of two PEP 440 versions.
fn max_version(a: String, b: &str) -> String {
    match version::compare(Ecosystem::PyPI, &a, b) {
        Ordering::Less => b.to_string(),
        _ => a,
    }
}

/// (version, pinned) for a PEP 440 specifier list: an exact `==X` / `===X` gives `(X, true)`;
/// otherwise the lowest version allowed: the greatest lower bound of `>=X`, `~=X`, `>X` and
/// `==X.*` (→ X), or "0" when there is none.
pub fn lowest_allowed(specs: &[(String, String)]) -> (String, bool) {
    if let Some((_, v)) = specs
        .iter()
        .find(|(op, v)| (op == "==" && !v.ends_with(".*")) || op == "===")
    {
        return (v.clone(), true);
    }
    let mut low: Option<String> = None;
    for (op, v) in specs {
        let bound = match op.as_str() {
            ">=" | "~=" | ">" => v.as_str(),
            "==" => v.strip_suffix(".*").unwrap_or(v),
            _ => continue,
        };
        low = Some(match low {
            Some(l) => max_version(l, bound),
            None => bound.to_string(),
        });
    }
    (low.unwrap_or_else(|| "0".to_string()), false)
}

/// (version, pinned) for a Poetry constraint: `1.2.3` / `==1.2.3` / `=1.2.3` are exact;
/// `^X`, `~X`, `~=X`, `>=X`, `>X`, `X.*` give X as the lowest allowed; `*` and upper bounds
/// only give "0"; `A || B` gives the lowest of the alternatives. None for an empty or
/// unreadable constraint.
pub fn poetry_lowest(constraint: &str) -> Option<(String, bool)> {
    let mut best: Option<(String, bool)> = None;
    let mut alternatives = 0;
    for alt in constraint
        .split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        alternatives += 1;
        let this = poetry_alternative(alt)?;
        best = Some(match best {
            Some(b) if version::compare(Ecosystem::PyPI, &b.0, &this.0) != Ordering::Greater => b,
            _ => this,
        });
    }
    best.map(|(v, pinned)| (v, pinned && alternatives == 1))
}

/// One `,`/space separated conjunction of a Poetry constraint.
fn poetry_alternative(alt: &str) -> Option<(String, bool)> {
    // Glue operators written apart from their version (`>= 1.2`).
    let mut tokens: Vec<String> = Vec::new();
    let mut pending = String::new();
    for t in alt.split([',', ' ', '\t']).filter(|t| !t.is_empty()) {
        if t.chars().all(|c| "<>=!~^".contains(c)) {
            pending.push_str(t);
        } else {
            tokens.push(format!("{pending}{t}"));
            pending.clear();
        }
    }
    if !pending.is_empty() {
        return None;
    }
    let mut low: Option<String> = None;
    let mut exact = None;
    for t in &tokens {
        let (op, v) = ["===", "==", "!=", "~=", ">=", "<=", ">", "<", "=", "^", "~"]
            .iter()
            .find_map(|op| t.strip_prefix(op).map(|v| (*op, v)))
            .unwrap_or(("", t.as_str()));
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        let bound = match op {
            "" | "==" | "===" | "=" if v == "*" => continue,
            "" | "==" | "===" | "=" if v.ends_with(".*") => v.strip_suffix(".*").unwrap_or(v),
            "" | "==" | "===" | "=" => {
                exact = Some(v.to_string());
                v
            }
            "^" | "~" | "~=" | ">=" | ">" => v,
            _ => continue,
        };
        low = Some(match low {
            Some(l) => max_version(l, bound),
            None => bound.to_string(),
        });
    }
    match exact {
        Some(v) if tokens.len() == 1 => Some((v, true)),
        _ => Some((low.unwrap_or_else(|| "0".to_string()), false)),
    }
}

/// A specifier list written back as text (`>=1.0,<2`).
pub fn specs_text(specs: &[(String, String)]) -> String {
    specs
        .iter()
        .map(|(op, v)| format!("{op}{v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The warning text for an unpinned requirement.
pub fn unpinned_message(name: &str, constraint: &str, version: &str) -> String {
    let constraint = constraint.trim();
    let constraint = if constraint.is_empty() {
        "any version"
    } else {
        constraint
    };
    format!("unpinned requirement {name} ({constraint}): checked as {version}, the lowest allowed version")
}

/// Deserialize a TOML document; errors carry the 1-based line of the span TOML reports.
pub fn read_toml<T: serde::de::DeserializeOwned>(
    rel_path: &str,
    text: &str,
    lines: &Lines,
) -> Result<T, DepsError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| lines.line_of(s.start));
        parse_error(rel_path, line, e.message().trim().to_string())
    })
}

/// 1-based line of a span start.
pub fn span_line<T>(lines: &Lines, s: &toml::Spanned<T>) -> usize {
    lines.line_of(s.span().start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn low(s: &str) -> (String, bool) {
        lowest_allowed(&parse_requirement(s).expect(s).specs)
    }

    #[test]
    fn pep508() {
        let r = parse_requirement("Foo.Bar[a, b] >= 1.0, <2 ; python_version < '3.9'").expect("ok");
        assert_eq!(r.name, "Foo.Bar");
        assert_eq!(r.extras, vec!["a", "b"]);
        assert_eq!(r.specs.len(), 2);
        assert_eq!(r.marker.as_deref(), Some("python_version < '3.9'"));
        let u = parse_requirement("pkg @ https://example.com/pkg.whl").expect("ok");
        assert!(u.url.is_some());
        assert!(parse_requirement("pkg 1.0").is_err());
        assert!(parse_requirement("==1.0").is_err());
        assert!(parse_requirement("pkg[a").is_err());
        assert_eq!(parse_requirement("pkg (>=1.0)").expect("ok").specs.len(), 1);
    }

    #[test]
    fn lowest() {
        assert_eq!(low("a==1.2.3"), ("1.2.3".into(), true));
        assert_eq!(low("a===1.2.3"), ("1.2.3".into(), true));
        assert_eq!(low("a>=1.0,>=2.0,<3"), ("2.0".into(), false));
        assert_eq!(low("a~=1.4"), ("1.4".into(), false));
        assert_eq!(low("a==1.2.*"), ("1.2".into(), false));
        assert_eq!(low("a>1.0"), ("1.0".into(), false));
        assert_eq!(low("a<2"), ("0".into(), false));
        assert_eq!(low("a"), ("0".into(), false));
        assert_eq!(low("a!=1.5"), ("0".into(), false));
    }

    #[test]
    fn poetry() {
        let p = |s: &str| poetry_lowest(s);
        let r = |v: &str, pinned| Some((v.to_string(), pinned));
        assert_eq!(p("1.2.3"), r("1.2.3", true));
        assert_eq!(p("==1.2.3"), r("1.2.3", true));
        assert_eq!(p("^2.31"), r("2.31", false));
        assert_eq!(p("~4.2"), r("4.2", false));
        assert_eq!(p(">= 1.2, < 2.0"), r("1.2", false));
        assert_eq!(p("*"), r("0", false));
        assert_eq!(p("1.4.*"), r("1.4", false));
        assert_eq!(p("^2.0 || ^1.5"), r("1.5", false));
        assert_eq!(p("<3"), r("0", false));
        assert_eq!(p(""), None);
        assert_eq!(p(">="), None);
    }
}
