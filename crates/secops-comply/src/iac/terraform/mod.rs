//! Terraform (`*.tf`, plus the auto-loaded `terraform.tfvars` and `*.auto.tfvars`): AWS, GCP
//! and Azure resources, parsed with hcl-rs.
//!
//! Files are grouped by directory: one directory is one module, so that a `variable`, a
//! `locals` entry or a companion resource defined in one file is seen from another. Values are
//! evaluated statically ([`hcl::Env`]): literals, `var.x` (tfvars value, else the variable's
//! `default`), `local.y`, string templates of those, a few pure functions (`jsonencode`,
//! `merge`, `concat`, `lookup`, `format`, ...) and `dynamic` blocks over known collections.
//! References such as `aws_s3_bucket.logs.id` link companion resources (public access
//! blocks, ACLs, policies, versioning, logging, encryption, diagnostic settings ...) to the
//! resource they configure, by reference or by literal name.
//!
//! Every check reports each resource it evaluated as passed or failed, at the line of the
//! attribute that decided (else the `resource` line). A value that cannot be known statically
//! (a variable without default, a module output, a computed attribute) is not guessed: the
//! check makes no verdict on that resource. Providers' defaults are applied for omitted
//! attributes, as documented per rule.
//!
//! Not covered: `module` calls are not followed (their sources are checked as modules of
//! their own when they are in the tree), `count`/`for_each` resources are evaluated once,
//! `file()`/`templatefile()` contents are unknown, Terraform JSON syntax (`*.tf.json`).

mod aws;
mod azure;
mod gcp;
pub(crate) mod hcl;

use self::hcl::{attr_expr, Env, Lines, Node, Val};
use super::{CheckResult, IacFile, IacOutput, IacRule};
use crate::ComplyError;
use ::hcl::Body;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Files bigger than this are reported as not parsed (no real module is this large).
const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// Deeper bracket nesting than this is refused before parsing (the parser recurses).
const MAX_NESTING: usize = 200;

/// Is this file one of ours?
pub fn is_terraform(rel_path: &str) -> bool {
    rel_path.ends_with(".tf") || is_auto_tfvars(rel_path)
}

fn is_auto_tfvars(rel_path: &str) -> bool {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    name == "terraform.tfvars" || name.ends_with(".auto.tfvars")
}

/// The rules of this module.
pub fn rules() -> Vec<IacRule> {
    aws::RULES
        .iter()
        .chain(gcp::RULES)
        .chain(azure::RULES)
        .cloned()
        .collect()
}

/// Evaluate the checks: one module per directory, modules in parallel.
pub fn check(files: &[IacFile<'_>], out: &mut IacOutput) {
    let mut groups: BTreeMap<&str, Vec<IacFile<'_>>> = BTreeMap::new();
    for f in files {
        let dir = f.rel_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        groups.entry(dir).or_default().push(*f);
    }
    let groups: Vec<Vec<IacFile<'_>>> = groups.into_values().collect();
    let per: Vec<(Vec<CheckResult>, Vec<ComplyError>)> =
        groups.par_iter().map(|g| check_module(g)).collect();
    for (r, e) in per {
        out.results.extend(r);
        out.errors.extend(e);
    }
}

/// One parsed file of a module.
pub(crate) struct Parsed<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub body: Body,
    pub lines: Lines,
    pub tfvars: bool,
}

/// A `resource` or `data` block.
#[derive(Debug)]
pub(crate) struct Res<'m> {
    pub idx: usize,
    /// `count = 0` or an empty `for_each`: declared but not created.
    pub disabled: bool,
    pub data: bool,
    pub rtype: &'m str,
    pub name: &'m str,
    pub body: &'m Body,
    pub file: usize,
    /// 1-based line of the block header, and the last line of the block.
    pub line: usize,
    pub end: usize,
}

impl<'m> Res<'m> {
    pub(crate) fn node(&self) -> Node<'m> {
        Node {
            body: self.body,
            bind: Vec::new(),
            path: Vec::new(),
        }
    }

    pub(crate) fn addr(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.rtype, self.name)
        } else {
            format!("{}.{}", self.rtype, self.name)
        }
    }

    pub(crate) fn loc(&self) -> Loc {
        Loc {
            file: self.file,
            line: self.line,
        }
    }
}

/// Where a verdict was decided.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Loc {
    pub file: usize,
    pub line: usize,
}

/// Companion resources by what they point to.
#[derive(Debug, Default)]
struct CompanionIndex {
    /// (type, name) of a referenced resource → companions.
    by_ref: HashMap<(String, String), Vec<usize>>,
    /// Literal name, id or the last `/` segment of an id/ARN → companions.
    by_text: HashMap<String, Vec<usize>>,
    /// Some companion's target cannot be evaluated.
    uncertain: bool,
}

/// A module: its files, blocks and values.
pub(crate) struct Module<'m> {
    pub files: &'m [Parsed<'m>],
    pub res: Vec<Res<'m>>,
    by_type: HashMap<&'m str, Vec<usize>>,
    by_addr: HashMap<(bool, &'m str, &'m str), usize>,
    pub env: Env<'m>,
    companion_cache: RefCell<HashMap<(String, String), Rc<CompanionIndex>>>,
}

impl<'m> Module<'m> {
    fn new(files: &'m [Parsed<'m>]) -> Module<'m> {
        let mut env = Env::default();
        let mut res = Vec::new();
        let mut tfvars: Vec<(&'m str, &'m ::hcl::Expression)> = Vec::new();
        for (fi, pf) in files.iter().enumerate() {
            if pf.tfvars {
                for a in pf.body.attributes() {
                    tfvars.push((a.key(), a.expr()));
                }
                continue;
            }
            let headers = block_headers(pf);
            for b in pf.body.blocks() {
                let labels: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
                match (b.identifier(), labels.as_slice()) {
                    ("variable", [name]) => {
                        if let Some(d) = attr_expr(b.body(), "default") {
                            env.vars.insert(*name, d);
                        }
                    }
                    ("locals", []) => {
                        for a in b.body().attributes() {
                            env.locals.insert(a.key(), a.expr());
                        }
                    }
                    (kind @ ("resource" | "data"), [rtype, name]) => {
                        let data = kind == "data";
                        if data {
                            env.data.insert((*rtype, *name), b.body());
                        }
                        let (line, end) = headers
                            .get(&(data, *rtype, *name))
                            .copied()
                            .unwrap_or((1, pf.lines.count()));
                        res.push(Res {
                            idx: res.len(),
                            disabled: false,
                            data,
                            rtype,
                            name,
                            body: b.body(),
                            file: fi,
                            line,
                            end,
                        });
                    }
                    _ => {}
                }
            }
        }
        for (k, e) in tfvars {
            env.vars.insert(k, e);
        }
        // `count`/`for_each` may use variables and locals declared anywhere in the module.
        for r in res.iter_mut() {
            r.disabled = is_disabled(&env, r.body);
        }
        let mut by_type: HashMap<&'m str, Vec<usize>> = HashMap::new();
        let mut by_addr = HashMap::new();
        for r in &res {
            if !r.data && !r.disabled {
                by_type.entry(r.rtype).or_default().push(r.idx);
            }
            by_addr.entry((r.data, r.rtype, r.name)).or_insert(r.idx);
        }
        Module {
            files,
            res,
            by_type,
            by_addr,
            env,
            companion_cache: RefCell::new(HashMap::new()),
        }
    }

    /// The resources (not data sources) of a type.
    pub(crate) fn of_type<'s>(&'s self, t: &str) -> impl Iterator<Item = &'s Res<'m>> + 's {
        self.by_type
            .get(t)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.res.get(i))
    }

    pub(crate) fn data_of_type<'s>(&'s self, t: &'s str) -> impl Iterator<Item = &'s Res<'m>> + 's {
        self.res
            .iter()
            .filter(move |r| r.data && !r.disabled && r.rtype == t)
    }

    pub(crate) fn attr(&self, node: &Node<'m>, key: &str) -> Option<Val> {
        self.env.attr(node, key)
    }

    pub(crate) fn blocks(&self, node: &Node<'m>, name: &str) -> Vec<Node<'m>> {
        self.env.blocks(node, name)
    }

    /// The first nested block `name` of a node.
    pub(crate) fn block(&self, node: &Node<'m>, name: &str) -> Option<Node<'m>> {
        self.env.blocks(node, name).into_iter().next()
    }

    /// An attribute by path of single nested blocks (`settings.ip_configuration.ssl_mode`):
    /// the value (None when absent) and the node holding it.
    pub(crate) fn deep(&self, node: &Node<'m>, path: &[&str]) -> (Option<Val>, Node<'m>) {
        let mut cur = node.clone();
        let Some((leaf, blocks)) = path.split_last() else {
            return (None, cur);
        };
        for b in blocks {
            match self.block(&cur, b) {
                Some(n) => cur = n,
                None => return (None, cur),
            }
        }
        (self.attr(&cur, leaf), cur)
    }

    /// Where an attribute (or, with `leaf = None`, the node itself) is in a resource.
    pub(crate) fn loc(&self, r: &Res<'m>, node: &Node<'m>, leaf: Option<&str>) -> Loc {
        let line = match self.files.get(r.file) {
            Some(pf) => pf.lines.find(pf.text, r.line, r.end, &node.path, leaf),
            None => r.line,
        };
        Loc { file: r.file, line }
    }

    /// The first line in a resource whose text contains all of `needles` (for values inside
    /// heredocs and JSON), else `None`.
    pub(crate) fn find_text(&self, r: &Res<'m>, needles: &[&str]) -> Option<Loc> {
        let pf = self.files.get(r.file)?;
        (r.line..=r.end)
            .find(|&l| {
                let t = pf.lines.text(pf.text, l);
                needles.iter().all(|n| t.contains(n))
            })
            .map(|line| Loc { file: r.file, line })
    }

    /// The resource a value refers to (`aws_s3_bucket.x.id` → the bucket).
    pub(crate) fn resolve(&self, v: &Val) -> Option<&Res<'m>> {
        let Val::Ref(p) = v else { return None };
        let (data, t, n) = match p.as_slice() {
            [d, t, n, ..] if d == "data" => (true, t.as_str(), n.as_str()),
            [t, n, ..] => (false, t.as_str(), n.as_str()),
            _ => return None,
        };
        self.by_addr
            .get(&(data, t, n))
            .and_then(|&i| self.res.get(i))
    }

    /// The literal name of a resource (its `name_attr`), when known.
    pub(crate) fn name_of(&self, r: &Res<'m>, name_attr: &str) -> Option<String> {
        self.attr(&r.node(), name_attr)
            .and_then(|v| v.as_str().map(str::to_string))
    }

    /// Resources of `ctype` whose `cattr` refers to `target` (by reference, or by the literal
    /// value of the target's `name_attr`, or an id/ARN ending in `/<name>`), in source order.
    pub(crate) fn linked<'s>(
        &'s self,
        target: &Res<'m>,
        name_attr: Option<&str>,
        ctype: &str,
        cattr: &str,
    ) -> Vec<&'s Res<'m>> {
        let ix = self.companions(ctype, cattr);
        let mut hits: Vec<usize> = ix
            .by_ref
            .get(&(target.rtype.to_string(), target.name.to_string()))
            .cloned()
            .unwrap_or_default();
        if let Some(name) = name_attr.and_then(|a| self.name_of(target, a)) {
            if let Some(v) = ix.by_text.get(&name) {
                hits.extend(v);
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter().filter_map(|i| self.res.get(i)).collect()
    }

    /// Is there a `ctype` resource whose `cattr` cannot be evaluated (`each.value.id`, a
    /// module output)? It may configure any target, so the absence of a linked companion
    /// proves nothing.
    pub(crate) fn uncertain(&self, ctype: &str, cattr: &str) -> bool {
        self.companions(ctype, cattr).uncertain
    }

    /// The (cached) index of the `cattr` values of `ctype` resources.
    fn companions(&self, ctype: &str, cattr: &str) -> Rc<CompanionIndex> {
        let key = (ctype.to_string(), cattr.to_string());
        if let Some(ix) = self.companion_cache.borrow().get(&key) {
            return Rc::clone(ix);
        }
        let mut ix = CompanionIndex::default();
        for c in self.of_type(ctype) {
            let Some(v) = self.attr(&c.node(), cattr) else {
                continue;
            };
            match &v {
                Val::Ref(p) => {
                    if let (Some(t), Some(n)) = (p.first(), p.get(1)) {
                        ix.by_ref
                            .entry((t.clone(), n.clone()))
                            .or_default()
                            .push(c.idx);
                    }
                }
                Val::Str(s) => {
                    ix.by_text.entry(s.clone()).or_default().push(c.idx);
                    if let Some(last) = s.rsplit('/').next().filter(|l| *l != s) {
                        ix.by_text.entry(last.to_string()).or_default().push(c.idx);
                    }
                }
                Val::Unknown | Val::Partial(_) | Val::List(_) | Val::Map(_) => ix.uncertain = true,
                _ => {}
            }
        }
        let ix = Rc::new(ix);
        self.companion_cache
            .borrow_mut()
            .insert(key, Rc::clone(&ix));
        ix
    }

    /// The resource of `rtype` designated by a value (reference or literal name).
    pub(crate) fn target_of(&self, v: &Val, rtype: &str, name_attr: &str) -> Option<&Res<'m>> {
        if let Some(r) = self.resolve(v) {
            return (r.rtype == rtype).then_some(r);
        }
        let s = v.as_str()?;
        self.of_type(rtype)
            .find(|r| self.name_of(r, name_attr).as_deref() == Some(s))
    }
}

/// `count = 0`, `for_each = []` or `for_each = {}` (known statically).
fn is_disabled(env: &Env<'_>, body: &Body) -> bool {
    if let Some(c) = attr_expr(body, "count") {
        if env.eval(c).as_num() == Some(0.0) {
            return true;
        }
    }
    if let Some(f) = attr_expr(body, "for_each") {
        match env.eval(f) {
            Val::List(l) => return l.is_empty(),
            Val::Map(m) => return m.is_empty(),
            _ => {}
        }
    }
    false
}

/// Collects results for a module.
pub(crate) struct Out<'a, 'm> {
    m: &'a Module<'m>,
    pub results: Vec<CheckResult>,
}

impl<'a, 'm> Out<'a, 'm> {
    /// Report a verdict on `subject`, decided at `loc`.
    pub(crate) fn emit(
        &mut self,
        rule_id: &'static str,
        subject: &Res<'_>,
        loc: Loc,
        passed: bool,
        message: impl Into<String>,
    ) {
        let path = self
            .m
            .files
            .get(loc.file)
            .map(|f| f.path)
            .unwrap_or_default();
        self.results.push(CheckResult {
            rule_id,
            passed,
            path: path.to_string(),
            line: loc.line,
            resource: subject.addr(),
            message: message.into(),
        });
    }

    pub(crate) fn pass(&mut self, id: &'static str, s: &Res<'_>, loc: Loc, msg: impl Into<String>) {
        self.emit(id, s, loc, true, msg);
    }

    pub(crate) fn fail(&mut self, id: &'static str, s: &Res<'_>, loc: Loc, msg: impl Into<String>) {
        self.emit(id, s, loc, false, msg);
    }
}

fn check_module(files: &[IacFile<'_>]) -> (Vec<CheckResult>, Vec<ComplyError>) {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for f in files {
        match parse_file(f) {
            Ok(p) => parsed.push(p),
            Err(e) => errors.push(e),
        }
    }
    let m = Module::new(&parsed);
    let mut out = Out {
        m: &m,
        results: Vec::new(),
    };
    aws::check(&m, &mut out);
    gcp::check(&m, &mut out);
    azure::check(&m, &mut out);
    (out.results, errors)
}

fn parse_file<'a>(f: &IacFile<'a>) -> Result<Parsed<'a>, ComplyError> {
    let err = |line: Option<usize>, message: String| ComplyError::Parse {
        path: f.rel_path.to_string(),
        line,
        message,
    };
    if f.bytes.len() > MAX_FILE_BYTES {
        return Err(err(
            None,
            format!(
                "file too large for a Terraform file ({} bytes)",
                f.bytes.len()
            ),
        ));
    }
    let text =
        std::str::from_utf8(f.bytes).map_err(|e| err(None, format!("not UTF-8 text: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = too_deep(text) {
        return Err(err(
            Some(line),
            format!("brackets nested deeper than {MAX_NESTING} levels"),
        ));
    }
    let body = ::hcl::parse(text).map_err(|e| match &e {
        ::hcl::Error::Parse(p) => {
            let msg = e.to_string();
            let short = msg
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("= "))
                .unwrap_or("invalid HCL")
                .to_string();
            err(
                Some(p.location().line()),
                format!("HCL parse error: {short}"),
            )
        }
        other => err(None, format!("HCL parse error: {other}")),
    })?;
    Ok(Parsed {
        path: f.rel_path,
        text,
        body,
        lines: Lines::new(text),
        tfvars: is_auto_tfvars(f.rel_path),
    })
}

/// The line where bracket nesting first exceeds [`MAX_NESTING`] (ignoring strings: an upper
/// bound that no real file reaches).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line = 1usize;
    for b in text.bytes() {
        match b {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(line);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    None
}

/// (is data source, type, name) of a block.
type Addr<'a> = (bool, &'a str, &'a str);
type Headers<'a> = HashMap<Addr<'a>, (usize, usize)>;

/// Lines of the top-level `resource`/`data` headers of a file and the last line of each block.
fn block_headers<'a>(pf: &Parsed<'a>) -> Headers<'a> {
    let mut starts: Vec<(usize, Option<Addr<'a>>)> = Vec::new();
    for l in 1..=pf.lines.count() {
        if pf.lines.depth(l) != 0 {
            continue;
        }
        let t = pf.lines.text(pf.text, l);
        let trimmed = t.trim_start();
        if trimmed.is_empty() || trimmed.starts_with(['#', '/', '}']) {
            continue;
        }
        starts.push((l, parse_header(trimmed)));
    }
    let mut out = HashMap::new();
    for (i, (l, h)) in starts.iter().enumerate() {
        if let Some(key) = h {
            let end = starts
                .get(i + 1)
                .map(|(n, _)| n.saturating_sub(1))
                .unwrap_or(pf.lines.count());
            out.entry(*key).or_insert((*l, end.max(*l)));
        }
    }
    out
}

/// `resource "type" "name" {` → (false, type, name).
fn parse_header(t: &str) -> Option<Addr<'_>> {
    let (data, rest) = if let Some(r) = t.strip_prefix("resource") {
        (false, r)
    } else if let Some(r) = t.strip_prefix("data") {
        (true, r)
    } else {
        return None;
    };
    if !rest.starts_with([' ', '\t', '"']) {
        return None;
    }
    let (a, rest) = label(rest.trim_start())?;
    let (b, _) = label(rest.trim_start())?;
    Some((data, a, b))
}

fn label(t: &str) -> Option<(&str, &str)> {
    if let Some(r) = t.strip_prefix('"') {
        let end = r.find('"')?;
        Some((r.get(..end)?, r.get(end + 1..)?))
    } else {
        let end = t
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(t.len());
        (end > 0).then(|| (t.get(..end).unwrap_or(""), t.get(end..).unwrap_or("")))
    }
}

// ---------------------------------------------------------------------------------------------
// Shared network helpers

/// Ports that must not be reachable from the whole internet: remote administration,
/// databases, caches, search, container and cluster control planes, file sharing.
const SENSITIVE_PORTS: &[(u32, &str)] = &[
    (20, "FTP data"),
    (21, "FTP"),
    (22, "SSH"),
    (23, "Telnet"),
    (135, "MS RPC"),
    (139, "NetBIOS"),
    (445, "SMB"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2375, "Docker API"),
    (2376, "Docker API (TLS)"),
    (2379, "etcd"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (5439, "Redshift"),
    (5601, "Kibana"),
    (5900, "VNC"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (7001, "Cassandra"),
    (8086, "InfluxDB"),
    (9042, "Cassandra"),
    (9092, "Kafka"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch"),
    (10250, "kubelet"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

/// The first sensitive port in `from..=to`, or "all ports" for the full range.
pub(crate) fn sensitive_in(from: u32, to: u32) -> Option<String> {
    let (from, to) = (from.min(to), from.max(to));
    if from <= 1 && to >= 65535 {
        return Some("all ports".into());
    }
    SENSITIVE_PORTS
        .iter()
        .find(|(p, _)| (from..=to).contains(p))
        .map(|(p, name)| format!("port {p} ({name})"))
}

/// A port spec: `22`, `"22"`, `"1000-2000"`, `"*"` → inclusive range.
pub(crate) fn port_range(v: &Val) -> Option<(u32, u32)> {
    if let Some(n) = v.as_num() {
        if (0.0..=65535.0).contains(&n) {
            return Some((n as u32, n as u32));
        }
        return None;
    }
    let s = v.as_str()?.trim();
    if s == "*" {
        return Some((0, 65535));
    }
    let (a, b) = s.split_once('-')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

/// `0.0.0.0/0` or `::/0` (every address).
pub(crate) fn is_world_cidr(s: &str) -> bool {
    matches!(
        s.trim(),
        "0.0.0.0/0" | "::/0" | "0::/0" | "::0/0" | "0:0:0:0:0:0:0:0/0"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_labels() {
        assert_eq!(
            parse_header(r#"resource "aws_s3_bucket" "b" {"#),
            Some((false, "aws_s3_bucket", "b"))
        );
        assert_eq!(
            parse_header("data aws_iam_policy_document doc {"),
            Some((true, "aws_iam_policy_document", "doc"))
        );
        assert_eq!(parse_header("resources = 1"), None);
    }

    #[test]
    fn ports() {
        assert_eq!(sensitive_in(22, 22).as_deref(), Some("port 22 (SSH)"));
        assert_eq!(sensitive_in(0, 65535).as_deref(), Some("all ports"));
        assert_eq!(sensitive_in(80, 80), None);
        assert_eq!(sensitive_in(443, 443), None);
        assert_eq!(
            port_range(&Val::Str("1000-2000".into())),
            Some((1000, 2000))
        );
        assert_eq!(port_range(&Val::Str("*".into())), Some((0, 65535)));
    }
}
