//! Deciding each control from its evidence, and the framework scores.

use super::builtin;
use super::catalog::{Absent, Catalog, ControlDef, How, ProbeDef, Side};
use super::probes::{Collector, Matchers, Observations};
use super::scoring::{self, Tally};
use super::stack::{self, Stack};
use crate::iac::CheckResult;
use crate::model::{ControlResult, Evidence, Framework, FrameworkScore, Status};
use crate::ComplyError;
use globset::GlobSet;
use secops_core::report::{
    ControlEntry, ControlEvidence, ControlScore, ControlStatus, ControlsReport, StackInfo,
    COMPLIANCE_DISCLAIMER,
};
use secops_core::{Finding, Severity};

/// At most this many pieces of evidence per side (failing, passing) are kept per control.
pub const MAX_EVIDENCE: usize = 10;

/// A rule-id matcher: globs, with `!glob` exclusions.
#[derive(Debug)]
struct RuleGlobs {
    include: GlobSet,
    exclude: GlobSet,
}

impl RuleGlobs {
    fn new(rules: &[String]) -> Result<RuleGlobs, String> {
        let mut inc = globset::GlobSetBuilder::new();
        let mut exc = globset::GlobSetBuilder::new();
        for r in rules {
            match r.strip_prefix('!') {
                Some(x) => exc.add(rule_glob(x)?),
                None => inc.add(rule_glob(r)?),
            };
        }
        Ok(RuleGlobs {
            include: inc.build().map_err(|e| e.to_string())?,
            exclude: exc.build().map_err(|e| e.to_string())?,
        })
    }

    fn is_match(&self, id: &str) -> bool {
        self.include.is_match(id) && !self.exclude.is_match(id)
    }
}

/// Rule ids are not paths: `*` matches any characters.
fn rule_glob(g: &str) -> Result<globset::Glob, String> {
    globset::GlobBuilder::new(g)
        .literal_separator(false)
        .build()
        .map_err(|e| format!("invalid rule glob '{g}': {e}"))
}

#[derive(Debug)]
enum PostProbe {
    Iac(RuleGlobs),
    Finding {
        rules: RuleGlobs,
        min_severity: Option<Severity>,
        side: Side,
        tests: bool,
    },
    Builtin(String),
}

/// The compiled catalog.
#[derive(Debug)]
pub struct Engine {
    controls: Vec<ControlDef>,
    matchers: Matchers,
    /// Per control: its iac, finding and builtin probes.
    post: Vec<Vec<PostProbe>>,
}

/// The outcome of a run.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub frameworks: Vec<Framework>,
    pub stack: Stack,
    /// Controls mapped to at least one selected framework, in catalog order.
    pub results: Vec<ControlResult>,
    pub tallies: Vec<Tally>,
}

impl Engine {
    pub fn new(catalog: Catalog) -> Result<Engine, ComplyError> {
        let cerr = |m: String| ComplyError::Catalog {
            origin: "catalog".into(),
            message: m,
        };
        let matchers = Matchers::new(&catalog).map_err(cerr)?;
        let mut post = Vec::new();
        for c in &catalog.controls {
            let mut v = Vec::new();
            for p in &c.probes {
                match p {
                    ProbeDef::Iac { rules } => v.push(PostProbe::Iac(
                        RuleGlobs::new(rules).map_err(|e| cerr(format!("{}: {e}", c.id)))?,
                    )),
                    ProbeDef::Finding {
                        rules,
                        min_severity,
                        result,
                        tests,
                    } => v.push(PostProbe::Finding {
                        rules: RuleGlobs::new(rules).map_err(|e| cerr(format!("{}: {e}", c.id)))?,
                        min_severity: *min_severity,
                        side: *result,
                        tests: *tests,
                    }),
                    ProbeDef::Builtin { name } => v.push(PostProbe::Builtin(name.clone())),
                    ProbeDef::Code { .. } | ProbeDef::Config { .. } | ProbeDef::File { .. } => {}
                }
            }
            post.push(v);
        }
        Ok(Engine {
            controls: catalog.controls,
            matchers,
            post,
        })
    }

    pub fn controls(&self) -> &[ControlDef] {
        &self.controls
    }

    /// A collector to feed with the walk's files.
    pub fn collector(&self) -> Collector<'_> {
        Collector::new(&self.matchers)
    }

    /// Decide every control mapped to one of `frameworks`.
    pub fn assess(
        &self,
        obs: &Observations,
        iac: &[CheckResult],
        findings: &[Finding],
        frameworks: &[Framework],
    ) -> Assessment {
        let stack = Stack::from_signals(&obs.signals, &obs.languages);
        let mut results = Vec::new();
        for (ci, c) in self.controls.iter().enumerate() {
            if !frameworks.iter().any(|f| !c.clauses.of(*f).is_empty()) {
                continue;
            }
            let hits: Vec<&super::probes::Hit> =
                obs.hits.iter().filter(|h| h.control == ci).collect();
            let mut ev: Vec<(Side, Evidence)> = hits
                .iter()
                .filter(|h| !h.weak)
                .map(|h| (h.side, h.evidence.clone()))
                .collect();
            let weak: Vec<(Side, Evidence)> = hits
                .iter()
                .filter(|h| h.weak)
                .map(|h| (h.side, h.evidence.clone()))
                .collect();
            let mut iac_probe = false;
            for p in self.post.get(ci).map(Vec::as_slice).unwrap_or_default() {
                match p {
                    PostProbe::Iac(g) => {
                        iac_probe = true;
                        for r in iac.iter().filter(|r| g.is_match(r.rule_id)) {
                            let side = if r.passed { Side::Pass } else { Side::Fail };
                            ev.push((
                                side,
                                Evidence {
                                    path: r.path.clone(),
                                    line: r.line,
                                    text: format!("{} {}: {}", r.rule_id, r.resource, r.message),
                                    failing: !r.passed,
                                },
                            ));
                        }
                    }
                    PostProbe::Finding {
                        rules,
                        min_severity,
                        side,
                        tests,
                    } => {
                        for f in findings {
                            if !rules.is_match(&f.rule_id)
                                || min_severity.is_some_and(|m| f.severity < m)
                                || (!tests && stack::is_test_path(&f.location.path))
                            {
                                continue;
                            }
                            ev.push((
                                *side,
                                Evidence {
                                    path: f.location.path.clone(),
                                    line: f.location.start_line,
                                    text: format!("{}: {}", f.rule_id, f.message),
                                    failing: *side == Side::Fail,
                                },
                            ));
                        }
                    }
                    PostProbe::Builtin(name) => ev.extend(builtin::run(name, obs)),
                }
            }
            // "Lacks X" failures count only when X was found nowhere.
            if !ev.iter().any(|(s, _)| *s == Side::Pass) {
                ev.extend(weak);
            }
            results.push(decide(c, &stack, ev, iac_probe));
        }
        let tallies = frameworks.iter().map(|f| Tally::of(*f, &results)).collect();
        Assessment {
            frameworks: frameworks.to_vec(),
            stack,
            results,
            tallies,
        }
    }
}

/// Why a control is n/a: the facts it needs, described.
fn na_reason(conds: &[String]) -> String {
    let parts: Vec<String> = conds
        .iter()
        .map(|c| match c.strip_prefix('!') {
            Some(f) => format!("not {}", describe(f)),
            None => describe(c),
        })
        .collect();
    format!("not applicable: no {} detected", parts.join(" or "))
}

fn describe(fact: &str) -> String {
    stack::fact(fact).map_or(fact.to_string(), |f| f.description.to_string())
}

/// Keep the failing evidence first, then the passing, at most [`MAX_EVIDENCE`] of each;
/// returns the evidence and a note when some was left out.
fn trim_evidence(mut ev: Vec<(Side, Evidence)>) -> (Vec<Evidence>, Option<String>) {
    ev.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.path.cmp(&b.1.path))
            .then_with(|| a.1.line.cmp(&b.1.line))
            .then_with(|| a.1.text.cmp(&b.1.text))
    });
    ev.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    let fails = ev.iter().filter(|(s, _)| *s == Side::Fail).count();
    let passes = ev.len() - fails;
    let mut out = Vec::new();
    let mut nf = 0;
    let mut np = 0;
    for (s, e) in ev {
        let n = if s == Side::Fail { &mut nf } else { &mut np };
        if *n < MAX_EVIDENCE {
            *n += 1;
            out.push(e);
        }
    }
    let note = (fails > MAX_EVIDENCE || passes > MAX_EVIDENCE).then(|| {
        format!(
            "{fails} failing and {passes} passing items found; the first {MAX_EVIDENCE} of each are shown"
        )
    });
    (out, note)
}

/// The verdict on one control.
fn decide(
    c: &ControlDef,
    stack: &Stack,
    ev: Vec<(Side, Evidence)>,
    iac_probe: bool,
) -> ControlResult {
    let mut r = ControlResult {
        id: c.id.clone(),
        title: c.title.clone(),
        severity: c.severity,
        status: Status::Manual,
        how: c.how.as_str().to_string(),
        evidence: Vec::new(),
        clauses: c.clauses.to_map(),
        remediation: c.remediation.trim().to_string(),
        manual: c.manual.as_ref().map(|m| m.trim().to_string()),
        reason: None,
    };
    if !stack.any(&c.applies_if) {
        r.status = Status::NotApplicable;
        r.reason = Some(na_reason(&c.applies_if));
        return r;
    }
    if c.how == How::Manual {
        r.reason =
            Some("not assessable from the repository: needs evidence from outside it".into());
        return r;
    }
    let has_fail = ev.iter().any(|(s, _)| *s == Side::Fail);
    let has_pass = ev.iter().any(|(s, _)| *s == Side::Pass);
    let (evidence, note) = trim_evidence(ev);
    r.evidence = evidence;
    r.reason = note;
    if has_fail {
        r.status = Status::Fail;
    } else if has_pass {
        r.status = Status::Pass;
    } else {
        let no_evidence = if iac_probe && c.probes.iter().all(|p| matches!(p, ProbeDef::Iac { .. }))
        {
            "no evidence found: no IaC check result for this control's resources"
        } else {
            "no evidence found in code"
        };
        let (status, reason) = match c.how {
            How::Heuristic | How::Manual => (Status::Manual, no_evidence.to_string()),
            How::Automatic if !stack.any(&c.absent_if) => (Status::Manual, no_evidence.to_string()),
            How::Automatic => match c.absent {
                Absent::Manual => (Status::Manual, no_evidence.to_string()),
                Absent::Pass => (
                    Status::Pass,
                    c.absent_reason
                        .clone()
                        .unwrap_or_else(|| "no anti-pattern found".into()),
                ),
                Absent::Fail => (
                    Status::Fail,
                    c.absent_reason
                        .clone()
                        .unwrap_or_else(|| "the required evidence was not found".into()),
                ),
            },
        };
        r.status = status;
        if status == Status::Fail {
            // The failure is the absence itself: say it as evidence, at the expected file.
            r.evidence.push(Evidence {
                path: c.absent_path.clone().unwrap_or_default(),
                line: 0,
                text: format!("missing: {reason}"),
                failing: true,
            });
        } else {
            r.reason = Some(reason);
        }
    }
    r
}

impl Assessment {
    /// The process exit code (see [`scoring`]).
    pub fn exit_code(&self) -> u8 {
        scoring::exit_code(&self.tallies)
    }

    pub fn scores(&self) -> Vec<FrameworkScore> {
        self.tallies.iter().map(Tally::to_score).collect()
    }

    /// The result of one control, by id.
    pub fn result(&self, id: &str) -> Option<&ControlResult> {
        self.results.iter().find(|r| r.id == id)
    }

    /// The compliance section of the shared report.
    pub fn to_report(&self) -> ControlsReport {
        let status = |s: Status| match s {
            Status::Pass => ControlStatus::Pass,
            Status::Fail => ControlStatus::Fail,
            Status::Manual => ControlStatus::Manual,
            Status::NotApplicable => ControlStatus::NotApplicable,
        };
        ControlsReport {
            disclaimer: COMPLIANCE_DISCLAIMER.to_string(),
            frameworks: self.frameworks.iter().map(|f| f.id().to_string()).collect(),
            stack: StackInfo {
                languages: self.stack.languages.clone(),
                frameworks: self.stack.frameworks.iter().cloned().collect(),
                iac: self.stack.iac.iter().cloned().collect(),
                ci: self.stack.ci.iter().cloned().collect(),
                facts: self.stack.facts.iter().cloned().collect(),
            },
            scores: self
                .tallies
                .iter()
                .map(|t| ControlScore {
                    framework: t.framework.id().to_string(),
                    title: t.framework.title().to_string(),
                    score: t.percent(),
                    passed: t.passed,
                    failed: t.failed,
                    manual: t.manual,
                    not_applicable: t.not_applicable,
                    critical_failures: t.critical_failures,
                    exit_code: t.exit_code(),
                })
                .collect(),
            controls: self
                .results
                .iter()
                .map(|r| ControlEntry {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    severity: r.severity,
                    status: status(r.status),
                    how: r.how.clone(),
                    evidence: r
                        .evidence
                        .iter()
                        .map(|e| ControlEvidence {
                            path: e.path.clone(),
                            line: e.line,
                            text: e.text.clone(),
                            failing: e.failing,
                        })
                        .collect(),
                    clauses: r.clauses.clone(),
                    remediation: r.remediation.clone(),
                    manual: r.manual.clone(),
                    reason: r.reason.clone(),
                })
                .collect(),
        }
    }
}
