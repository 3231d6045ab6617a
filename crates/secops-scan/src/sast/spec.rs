//! The SAST rule format (`rules/<language>.toml`, and `[[sast.<language>...]]` in
//! `.secops.toml`): rules (metadata), sources, sinks, sanitizers, propagators and call
//! patterns, all matched against dotted call paths.
//!
//! Path patterns: dotted names where `*` matches one or more segments (`*.execute` is any
//! method named `execute`; `subprocess.*` any function of the module) and `**` zero or more.
//! Receivers are resolved before matching: import aliases are expanded (`sp.call` →
//! `subprocess.call`) and variables of a known type are replaced by the type's simple name
//! (`st.executeQuery` with `Statement st` → `Statement.executeQuery`).

use secops_core::{Confidence, Severity};
use serde::Deserialize;

fn default_confidence() -> Confidence {
    Confidence::High
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LangSpec {
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
    #[serde(default)]
    pub source: Vec<SourceSpec>,
    #[serde(default)]
    pub sink: Vec<SinkSpec>,
    #[serde(default)]
    pub sanitizer: Vec<SanitizerSpec>,
    #[serde(default)]
    pub propagator: Vec<PropagatorSpec>,
    #[serde(default)]
    pub pattern: Vec<PatternSpec>,
}

/// Metadata of one finding type: `sast.<lang>.<category>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Taint category the rule's sinks belong to (`sql-injection`, `command-injection`...);
    /// sanitizers name categories.
    pub category: String,
    pub cwe: Vec<String>,
    /// OWASP Top 10 2021 id such as `A03:2021`.
    pub owasp: Vec<String>,
    pub help: String,
    #[serde(default = "default_confidence")]
    pub confidence: Confidence,
}

/// Where untrusted data enters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// Path pattern of a call or attribute read whose value is untrusted
    /// (`flask.request.args`, `HttpServletRequest.getParameter`, `req.query`).
    #[serde(default)]
    pub pattern: Option<String>,
    /// Parameters with this annotation are untrusted (`RequestParam`, `PathVariable`).
    #[serde(default)]
    pub param_annotation: Option<String>,
    /// Parameters of this declared type are untrusted objects (`HttpServletRequest` is not:
    /// its methods are sources; use this for e.g. FastAPI `UploadFile` or Go `string` handler
    /// args only where the framework guarantees it).
    #[serde(default)]
    pub param_type: Option<String>,
    /// Parameters of functions with this (short) name are untrusted (`main` for argv).
    #[serde(default)]
    pub param_of: Option<String>,
    /// `web` (request data), `env` (environment), `argv`, `file`, `db`: env and argv are
    /// reported with lower confidence. `weak-random` marks predictable random values (only
    /// sinks with `source_kinds = ["weak-random"]` react to it).
    #[serde(default = "default_kind")]
    pub kind: String,
    /// Human name for messages (`request parameter`).
    #[serde(default)]
    pub label: Option<String>,
}

fn default_kind() -> String {
    "web".into()
}

/// Where untrusted data does harm.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SinkSpec {
    /// The rule id reported (must be a `[[rule]]` of the same file).
    pub rule: String,
    /// Path pattern of the call (`*.execute`, `os.system`, `Runtime.exec`).
    pub pattern: String,
    /// Positional arguments that must not be tainted (default: all). Negative counts from
    /// the end.
    #[serde(default)]
    pub args: Option<Vec<i32>>,
    /// Keyword arguments that must not be tainted.
    #[serde(default)]
    pub kwargs: Vec<String>,
    /// The receiver object itself (`tainted.exec()`) is dangerous.
    #[serde(default)]
    pub receiver: bool,
    /// Only when this keyword argument is present with this constant value
    /// (`shell=True`).
    #[serde(default)]
    pub when_kwarg: Option<KwargCond>,
    /// Only when the argument at this index is a constant string matching this regex.
    #[serde(default)]
    pub when_arg_matches: Option<ArgCond>,
    /// Assigning to this attribute is the sink (`element.innerHTML = x`): pattern is the
    /// attribute path and the assigned value is checked.
    #[serde(default)]
    pub assign: bool,
    /// Only taint of these source kinds counts (e.g. `["weak-random"]` for a rule about
    /// predictable values in cookies or tokens). Without it, every kind counts except the
    /// special kinds listed in [`SPECIAL_KINDS`].
    #[serde(default)]
    pub source_kinds: Option<Vec<String>>,
    /// Not a sink when the receiver (or the object it was derived from, such as the factory a
    /// parser came from) had this method called on it: `setFeature(disallow-doctype-decl, true)`.
    #[serde(default)]
    pub unless_receiver_called: Option<CallCond>,
    /// Not a sink when one of these keyword arguments is given (`parser=` a hardened parser).
    #[serde(default)]
    pub unless_kwargs: Vec<String>,
}

/// Source kinds that only sinks naming them (via `source_kinds`) care about.
pub const SPECIAL_KINDS: &[&str] = &["weak-random", "tls-noop", "config"];

impl SinkSpec {
    /// Whether taint of `kind` matters to this sink.
    pub fn accepts_kind(&self, kind: &str) -> bool {
        match &self.source_kinds {
            Some(kinds) => kinds.iter().any(|k| k == kind),
            None => !SPECIAL_KINDS.contains(&kind),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KwargCond {
    pub name: String,
    /// Constant rendered as text (`True`, `true`, `false`, `"raw"`).
    pub equals: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgCond {
    pub index: usize,
    pub regex: String,
}

/// Functions whose result is clean for some categories.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanitizerSpec {
    pub pattern: String,
    /// The argument holding the data (default 0, or the receiver for method calls without
    /// arguments), e.g. 1 for ESAPI `encodeForSQL(codec, value)`.
    #[serde(default)]
    pub arg: Option<usize>,
    /// Categories made safe; `*` for all (numeric conversion, allow-list lookups).
    pub categories: Vec<String>,
}

/// How taint moves through library calls beyond the defaults (a call with a tainted
/// argument or receiver returns tainted data).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropagatorSpec {
    pub pattern: String,
    /// `clean`: the result is never tainted (`len`, `isdigit`); `receiver`: the call writes
    /// its arguments' taint into the receiver (`sb.append(x)`, `list.add(x)`);
    /// `arg0-from-args`: writes the other arguments into argument 0 (`System.arraycopy`).
    pub effect: String,
}

/// A flow-less pattern: a call whose mere shape is the problem (weak hash, `verify=False`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternSpec {
    pub rule: String,
    /// Path pattern of the call, or of an assignment target with `assign = true`.
    pub pattern: String,
    /// Positional argument that must be a constant matching `regex` (case-insensitive).
    #[serde(default)]
    pub arg: Option<usize>,
    #[serde(default)]
    pub regex: Option<String>,
    /// Keyword argument with a constant value (`verify` = `False`).
    #[serde(default)]
    pub kwarg: Option<KwargCond>,
    /// The call is a problem unless this keyword argument is present (`autoescape`).
    #[serde(default)]
    pub missing_kwarg: Option<String>,
    /// Assignment `target = constant` instead of a call (`app.debug = True`).
    #[serde(default)]
    pub assign: bool,
    /// For `assign`: the constant assigned, as text.
    #[serde(default)]
    pub value: Option<String>,
    /// The call is fine when argument `arg` (default 0) is a variable on which this method was
    /// called with matching constant arguments (`addCookie(c)` after `c.setSecure(true)`).
    #[serde(default)]
    pub unless_arg_called: Option<CallCond>,
    /// Match function definitions instead of calls: `pattern` is the function's name
    /// (`*.checkServerTrusted`, `*.verify`) and `body` says what makes it a problem:
    /// `empty` (no statements) or `returns-true` (only returns the constant true).
    #[serde(default)]
    pub function: bool,
    #[serde(default)]
    pub body: Option<String>,
    /// For call patterns: argument `arg` (default 0) must be a lambda whose body is `empty` or
    /// `returns-true` (`setHostnameVerifier((h, s) -> true)`).
    #[serde(default)]
    pub lambda_body: Option<String>,
}

/// A method call recorded on a variable: `method` with constant arguments matching `args`
/// (a regex over the arguments rendered as text and joined with `,`), e.g. `setFeature` with
/// `disallow-doctype-decl.*,true`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallCond {
    pub method: String,
    #[serde(default)]
    pub args: Option<String>,
}

/// Match a dotted path against a pattern with `*` (one or more segments) and `**` (zero or
/// more segments).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    // Fast reject without allocating: the last segments must agree unless the pattern ends
    // in a wildcard (almost every comparison stops here).
    if pattern == "**" {
        return true;
    }
    let plast = super::last_seg(pattern);
    if plast != "*" && plast != "**" && super::last_seg(path) != plast {
        return false;
    }
    match_segs(Some(pattern), Some(path))
}

/// First dotted segment and the rest (None when it was the last one).
fn split_seg(x: &str) -> (&str, Option<&str>) {
    match memchr::memchr(b'.', x.as_bytes()) {
        Some(i) => (&x[..i], Some(&x[i + 1..])),
        None => (x, None),
    }
}

/// `p` and `s` are the remaining segments (None = no segments left); no allocation.
fn match_segs(p: Option<&str>, s: Option<&str>) -> bool {
    let Some(p) = p else {
        return s.is_none();
    };
    let (seg, prest) = split_seg(p);
    match seg {
        "**" | "*" => {
            // `**` may consume nothing; both may consume any number of segments.
            if seg == "**" && match_segs(prest, s) {
                return true;
            }
            let mut cur = s;
            while let Some(c) = cur {
                cur = split_seg(c).1;
                if match_segs(prest, cur) {
                    return true;
                }
            }
            false
        }
        _ => s.is_some_and(|s| {
            let (first, srest) = split_seg(s);
            first == seg && match_segs(prest, srest)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn globs() {
        assert!(path_matches("*.execute", "cursor.execute"));
        assert!(path_matches("*.execute", "self.db.cursor.execute"));
        assert!(!path_matches("*.execute", "execute"));
        assert!(path_matches("**.execute", "execute"));
        assert!(path_matches("os.system", "os.system"));
        assert!(!path_matches("os.system", "xos.system"));
        assert!(path_matches("subprocess.*", "subprocess.run"));
        assert!(path_matches(
            "HttpServletResponse.getWriter.*",
            "HttpServletResponse.getWriter.println"
        ));
        assert!(!path_matches("flask.request.args", "flask.request"));
        assert!(path_matches("a.**.b", "a.b"));
        assert!(path_matches("a.**.b", "a.x.y.b"));
        assert!(!path_matches("a.*.b", "a.b"));
        assert!(path_matches("**", "anything.at.all"));
        assert!(!path_matches("a.b", "a.b.c"));
    }
}
