//! The catalog as data: `controls/<family>.toml` (embedded) and user controls from
//! `.secops.toml` (`[[comply.control]]`), in one format.
//!
//! ```toml
//! [[control]]
//! id = "control.auth-password-hashing"
//! title = "Stored passwords use an adaptive, salted hash"
//! severity = "critical"            # critical | high | medium | low
//! how = "automatic"                # automatic | heuristic | manual
//! applies_if = ["password-storage"] # stack facts, any of them (`!fact` negates); empty: always
//! absent = "manual"                # automatic only: verdict without evidence (pass | fail | manual)
//! absent_if = ["ci"]               # ... only when one of these facts holds (else manual)
//! absent_reason = "no weak password hashing found"
//! absent_path = "SECURITY.md"       # where a failure by absence points
//! remediation = "..."
//! manual = "..."                   # what to attach (manual controls, and the manual remainder)
//! clauses = { soc2 = ["CC6.1"], pci-dss = ["8.3.2"], hipaa = ["164.312(d)"], gdpr = ["32(1)(a)"] }
//!
//! [[control.probe]]
//! kind = "code"                    # code | config | file | iac | finding | builtin
//! lang = ["python"]
//! pass = ['\bbcrypt\b']
//! fail = [{ re = 'md5\(.*passw', unless = 'nosec', msg = "MD5 of a password" }]
//! ```

use crate::ComplyError;
use secops_core::Severity;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The built-in families, in report order.
pub const FAMILIES: &[(&str, &str)] = &[
    ("access", include_str!("../../controls/access.toml")),
    ("auth", include_str!("../../controls/auth.toml")),
    ("session", include_str!("../../controls/session.toml")),
    ("transit", include_str!("../../controls/transit.toml")),
    ("rest", include_str!("../../controls/rest.toml")),
    ("logging", include_str!("../../controls/logging.toml")),
    ("web", include_str!("../../controls/web.toml")),
    ("secrets", include_str!("../../controls/secrets.toml")),
    ("cicd", include_str!("../../controls/cicd.toml")),
    ("docs", include_str!("../../controls/docs.toml")),
    ("privacy", include_str!("../../controls/privacy.toml")),
    ("manual", include_str!("../../controls/manual.toml")),
];

/// How a control is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// The files decide pass or fail.
    Automatic,
    /// An anti-pattern fails, a positive signal passes, no signal is manual.
    Heuristic,
    /// Not assessable from code: always manual.
    Manual,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Automatic => "automatic",
            How::Heuristic => "heuristic",
            How::Manual => "manual",
        }
    }
}

/// Which way a piece of evidence points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Pass,
    Fail,
}

/// The verdict of an automatic control with no evidence either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Absent {
    #[default]
    Manual,
    Pass,
    Fail,
}

/// Clauses per framework.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clauses {
    #[serde(default)]
    pub soc2: Vec<String>,
    #[serde(default, rename = "pci-dss")]
    pub pci_dss: Vec<String>,
    #[serde(default)]
    pub hipaa: Vec<String>,
    #[serde(default)]
    pub gdpr: Vec<String>,
}

impl Clauses {
    /// The clauses of one framework (empty: the control is not mapped to it).
    pub fn of(&self, f: crate::model::Framework) -> &[String] {
        use crate::model::Framework;
        match f {
            Framework::Soc2 => &self.soc2,
            Framework::PciDss => &self.pci_dss,
            Framework::Hipaa => &self.hipaa,
            Framework::Gdpr => &self.gdpr,
        }
    }

    /// Framework id → clauses, for the frameworks the control maps to.
    pub fn to_map(&self) -> BTreeMap<String, Vec<String>> {
        crate::model::Framework::ALL
            .into_iter()
            .filter(|f| !self.of(*f).is_empty())
            .map(|f| (f.id().to_string(), self.of(f).to_vec()))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.soc2.is_empty()
            && self.pci_dss.is_empty()
            && self.hipaa.is_empty()
            && self.gdpr.is_empty()
    }
}

/// A regex with optional conditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PatternDef {
    Plain(String),
    Full(PatternFull),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFull {
    /// The regex; each match is one piece of evidence (file, line, line text).
    pub re: String,
    /// A match whose line matches this regex does not count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<String>,
    /// No match counts in a file that matches this regex anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless_file: Option<String>,
    /// Matches count only in a file that matches this regex somewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_file: Option<String>,
    /// What the match means, shown before the matched text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
    /// A failing match that only counts when the control has no passing evidence anywhere
    /// (for "this file lacks X" checks where X may live in another file).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weak: bool,
}

impl PatternDef {
    pub fn full(&self) -> PatternFull {
        match self {
            PatternDef::Plain(re) => PatternFull {
                re: re.clone(),
                ..PatternFull::default()
            },
            PatternDef::Full(f) => f.clone(),
        }
    }
}

/// One probe: a small evaluator over the walk, the IaC results or the scan findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum ProbeDef {
    /// Regexes over source files of some languages.
    Code {
        /// `python`, `javascript`, `typescript`, `go`, `java`, `kotlin`, `rust`, `ruby`,
        /// `php`, `csharp`, or `any`.
        lang: Vec<String>,
        #[serde(default)]
        pass: Vec<PatternDef>,
        #[serde(default)]
        fail: Vec<PatternDef>,
        /// Also look in test, example and fixture paths.
        #[serde(default)]
        tests: bool,
        /// Also look in development-only files (`settings/dev.py`, `.env.development`).
        #[serde(default = "yes")]
        dev: bool,
    },
    /// Regexes over configuration files selected by glob (relative to the root,
    /// case-insensitive; `**/` for any directory).
    Config {
        files: Vec<String>,
        #[serde(default)]
        pass: Vec<PatternDef>,
        #[serde(default)]
        fail: Vec<PatternDef>,
        #[serde(default)]
        tests: bool,
        #[serde(default = "yes")]
        dev: bool,
    },
    /// Presence of files: each file matching `paths` (and, when given, at least `min` of the
    /// `contains` regexes; default all) is evidence for `result`.
    File {
        paths: Vec<String>,
        #[serde(default = "side_pass")]
        result: Side,
        #[serde(default)]
        contains: Vec<PatternDef>,
        #[serde(default)]
        min: Option<usize>,
        #[serde(default)]
        msg: Option<String>,
        #[serde(default)]
        tests: bool,
    },
    /// IaC check results by rule id glob (`!glob` excludes): failed results are failing
    /// evidence, passed results passing evidence.
    Iac { rules: Vec<String> },
    /// Findings of `secops scan` (secrets, SAST) by rule id glob: each is evidence for
    /// `result` (default fail).
    Finding {
        rules: Vec<String>,
        #[serde(default)]
        min_severity: Option<Severity>,
        #[serde(default = "side_fail")]
        result: Side,
        #[serde(default)]
        tests: bool,
    },
    /// Logic that regexes cannot express (see [`super::builtin::NAMES`]).
    Builtin { name: String },
}

fn yes() -> bool {
    true
}
fn side_pass() -> Side {
    Side::Pass
}
fn side_fail() -> Side {
    Side::Fail
}

impl ProbeDef {
    pub fn kind(&self) -> &'static str {
        match self {
            ProbeDef::Code { .. } => "code",
            ProbeDef::Config { .. } => "config",
            ProbeDef::File { .. } => "file",
            ProbeDef::Iac { .. } => "iac",
            ProbeDef::Finding { .. } => "finding",
            ProbeDef::Builtin { .. } => "builtin",
        }
    }
}

/// One control of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlDef {
    /// `control.<kebab-id>`.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub how: How,
    #[serde(default)]
    pub applies_if: Vec<String>,
    #[serde(default)]
    pub absent: Absent,
    #[serde(default)]
    pub absent_if: Vec<String>,
    #[serde(default)]
    pub absent_reason: Option<String>,
    /// Where a failure by absence points (`SECURITY.md`): the file that should exist.
    #[serde(default)]
    pub absent_path: Option<String>,
    pub clauses: Clauses,
    pub remediation: String,
    #[serde(default)]
    pub manual: Option<String>,
    #[serde(default, rename = "probe")]
    pub probes: Vec<ProbeDef>,
    /// The family file (`access`, ...) or `user` for `.secops.toml` controls.
    #[serde(default, skip_deserializing)]
    pub family: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    control: Vec<ControlDef>,
}

/// The controls to evaluate.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub controls: Vec<ControlDef>,
}

fn err(origin: &str, message: impl Into<String>) -> ComplyError {
    ComplyError::Catalog {
        origin: origin.to_string(),
        message: message.into(),
    }
}

impl Catalog {
    /// The built-in catalog (every family file).
    pub fn builtin() -> Result<Catalog, ComplyError> {
        let mut controls = Vec::new();
        for (family, text) in FAMILIES {
            let origin = format!("controls/{family}.toml");
            let file: CatalogFile =
                toml::from_str(text).map_err(|e| err(&origin, e.to_string()))?;
            for mut c in file.control {
                c.family = (*family).to_string();
                // Built-in regexes are compiled (and their errors reported) by the engine;
                // the catalog tests compile every one.
                validate(&c, &origin, false)?;
                controls.push(c);
            }
        }
        let cat = Catalog { controls };
        cat.check_unique("controls/*.toml")?;
        Ok(cat)
    }

    /// Parse controls from TOML text in the catalog format (`[[control]]` entries).
    pub fn parse(text: &str, origin: &str) -> Result<Vec<ControlDef>, ComplyError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| err(origin, e.to_string()))?;
        let mut out = Vec::new();
        for mut c in file.control {
            c.family = "user".into();
            validate(&c, origin, true)?;
            out.push(c);
        }
        Ok(out)
    }

    /// Add user controls given as TOML values (`[[comply.control]]` in `.secops.toml`). A user
    /// control with the id of a built-in one replaces it.
    pub fn add_user(&mut self, values: &[toml::Value], origin: &str) -> Result<(), ComplyError> {
        for v in values {
            let mut c: ControlDef = v
                .clone()
                .try_into()
                .map_err(|e: toml::de::Error| err(origin, e.to_string()))?;
            c.family = "user".into();
            validate(&c, origin, true)?;
            match self.controls.iter_mut().find(|x| x.id == c.id) {
                Some(slot) => *slot = c,
                None => self.controls.push(c),
            }
        }
        self.check_unique(origin)
    }

    /// Drop the controls matched by `patterns` (exact ids, or prefixes ending in `*`). Returns
    /// the patterns that matched nothing.
    pub fn disable(&mut self, patterns: &[String]) -> Vec<String> {
        let matches = |p: &str, id: &str| match p.strip_suffix('*') {
            Some(prefix) => id.starts_with(prefix),
            None => p == id,
        };
        let unused: Vec<String> = patterns
            .iter()
            .filter(|p| !self.controls.iter().any(|c| matches(p, &c.id)))
            .cloned()
            .collect();
        self.controls
            .retain(|c| !patterns.iter().any(|p| matches(p, &c.id)));
        unused
    }

    fn check_unique(&self, origin: &str) -> Result<(), ComplyError> {
        let mut seen = BTreeSet::new();
        for c in &self.controls {
            if !seen.insert(c.id.as_str()) {
                return Err(err(origin, format!("duplicate control id {}", c.id)));
            }
        }
        Ok(())
    }
}

/// Check one control: id syntax, clauses, probes consistent with `how`, known facts and
/// languages, globs and (with `regexes`) regexes that compile.
pub fn validate(c: &ControlDef, origin: &str, regexes: bool) -> Result<(), ComplyError> {
    let here = |m: String| err(origin, format!("{}: {m}", c.id));
    let kebab = c.id.strip_prefix("control.").unwrap_or("");
    if kebab.is_empty()
        || !kebab
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(err(
            origin,
            format!("control id '{}' is not control.<kebab-case>", c.id),
        ));
    }
    if c.title.trim().is_empty() || c.remediation.trim().is_empty() {
        return Err(here("title and remediation must not be empty".into()));
    }
    if c.clauses.is_empty() {
        return Err(here("maps to no clause of any framework".into()));
    }
    match c.how {
        How::Manual => {
            if !c.probes.is_empty() {
                return Err(here("a manual control has no probes".into()));
            }
            if c.manual.as_deref().is_none_or(|m| m.trim().is_empty()) {
                return Err(here(
                    "a manual control says what evidence to attach (manual = ...)".into(),
                ));
            }
        }
        How::Automatic | How::Heuristic => {
            if c.probes.is_empty() {
                return Err(here(format!("a {} control needs probes", c.how.as_str())));
            }
        }
    }
    if c.how != How::Automatic && (c.absent != Absent::Manual || !c.absent_if.is_empty()) {
        return Err(here(
            "absent/absent_if apply to automatic controls only".into(),
        ));
    }
    for f in c.applies_if.iter().chain(&c.absent_if) {
        let name = f.strip_prefix('!').unwrap_or(f);
        if super::stack::fact(name).is_none() {
            return Err(here(format!("unknown stack fact '{name}'")));
        }
    }
    for p in &c.probes {
        match p {
            ProbeDef::Code {
                lang, pass, fail, ..
            } => {
                if lang.is_empty() {
                    return Err(here("code probe without lang".into()));
                }
                for l in lang {
                    if l != "any" && super::stack::Lang::from_name(l).is_none() {
                        return Err(here(format!("unknown language '{l}'")));
                    }
                }
                if regexes {
                    check_patterns(pass.iter().chain(fail), &here)?;
                }
                if pass.is_empty() && fail.is_empty() {
                    return Err(here("code probe without patterns".into()));
                }
            }
            ProbeDef::Config {
                files, pass, fail, ..
            } => {
                check_globs(files, &here)?;
                if regexes {
                    check_patterns(pass.iter().chain(fail), &here)?;
                }
                if pass.is_empty() && fail.is_empty() {
                    return Err(here("config probe without patterns".into()));
                }
            }
            ProbeDef::File {
                paths,
                contains,
                min,
                ..
            } => {
                check_globs(paths, &here)?;
                if regexes {
                    check_patterns(contains.iter(), &here)?;
                }
                if let Some(m) = min {
                    if *m == 0 || *m > contains.len() {
                        return Err(here(format!(
                            "file probe min = {m} with {} contains patterns",
                            contains.len()
                        )));
                    }
                }
            }
            ProbeDef::Iac { rules } | ProbeDef::Finding { rules, .. } => {
                if rules.is_empty() {
                    return Err(here(format!("{} probe without rules", p.kind())));
                }
                let plain: Vec<String> = rules
                    .iter()
                    .map(|r| r.strip_prefix('!').unwrap_or(r).to_string())
                    .collect();
                check_globs(&plain, &here)?;
            }
            ProbeDef::Builtin { name } => {
                if !super::builtin::NAMES.contains(&name.as_str()) {
                    return Err(here(format!("unknown builtin probe '{name}'")));
                }
            }
        }
    }
    Ok(())
}

fn check_patterns<'a>(
    pats: impl Iterator<Item = &'a PatternDef>,
    here: &dyn Fn(String) -> ComplyError,
) -> Result<(), ComplyError> {
    for p in pats {
        let f = p.full();
        for re in std::iter::once(&f.re)
            .chain(f.unless.iter())
            .chain(f.unless_file.iter())
            .chain(f.if_file.iter())
        {
            super::probes::compile_regex(re).map_err(here)?;
        }
    }
    Ok(())
}

fn check_globs(globs: &[String], here: &dyn Fn(String) -> ComplyError) -> Result<(), ComplyError> {
    if globs.is_empty() {
        return Err(here("empty glob list".into()));
    }
    for g in globs {
        super::probes::compile_glob(g).map_err(here)?;
    }
    Ok(())
}
