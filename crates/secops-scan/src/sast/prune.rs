//! Entry-point pruning: which functions are worth analysing as entry points.
//!
//! A finding is only ever reported at a call or an assignment that some sink or call pattern
//! matches, and a rule path can only match a call whose last segment (the method or attribute
//! name) is the rule's last segment, and whose segment before it is the rule's (when that one
//! is literal: `requests.get`, `*.headers.__setitem__`). Both are compared as the engine would
//! resolve them (import aliases, declared types). So a function is analysed as an entry point
//! only when its body, or the body of a function of the same file it may call (inlined by the
//! engine), holds such a call or assignment. The rest cannot report anything and is skipped;
//! findings are the same either way (`SECOPS_SAST_ALL_ENTRIES=1` analyses every function, for
//! checking that).
//!
//! Rules whose last segment is a wildcard (`subprocess.*`, `**` with a keyword condition)
//! match any call; when all the literal words such a rule needs occur in the file, nothing is
//! pruned.

use super::ir::{Expr, Function, Module, Stmt};
use super::taint::simple_type;
use super::{last_seg, CompiledLang};
use rustc_hash::{FxHashMap, FxHashSet};

/// Sink and call-pattern paths by last segment (wildcard ones aside): whether one may match
/// whatever precedes it (`any`: one segment, or a wildcard before the last), else which
/// segments may precede it.
#[derive(Debug, Default)]
pub struct PruneEntry {
    pub any: bool,
    pub seconds: FxHashSet<String>,
}

pub type PruneIndex = FxHashMap<String, PruneEntry>;

/// The index of a language's sink and call-pattern paths.
pub fn build_index<'a>(patterns: impl Iterator<Item = &'a str>) -> PruneIndex {
    let mut idx = PruneIndex::default();
    for p in patterns {
        let last = last_seg(p);
        if last.contains('*') {
            continue;
        }
        let e = idx.entry(last.to_string()).or_default();
        match second_seg(p) {
            Some(s) if !s.contains('*') => {
                e.seconds.insert(s.to_string());
            }
            _ => e.any = true,
        }
    }
    idx
}

/// `None` when every function must be analysed; otherwise one flag per function of `module`.
pub fn entry_points(module: &Module, lang: &CompiledLang, src: &[u8]) -> Option<Vec<bool>> {
    if std::env::var_os("SECOPS_SAST_ALL_ENTRIES").is_some() {
        return None;
    }
    if lang.wild_words.iter().any(|words| {
        words
            .iter()
            .all(|w| memchr::memmem::find(src, w.as_bytes()).is_some())
    }) {
        return None;
    }
    let imports: FxHashMap<&str, &str> = module
        .imports
        .iter()
        .rev()
        .map(|(l, f)| (l.as_str(), f.as_str()))
        .collect();
    // Declared (or constructed) types by variable path: the engine resolves a path through
    // the longest prefix with a known type (`stmt.executeQuery` → `Statement.executeQuery`).
    let mut typed: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for f in std::iter::once(&module.top).chain(&module.functions) {
        for p in &f.params {
            if let Some(t) = &p.ty {
                add_type(&mut typed, p.name.clone(), simple_type(t));
            }
        }
        collect_typed(&f.body, &mut typed);
    }
    let mut scan = Scan {
        lang,
        imports: &imports,
        typed: &typed,
        hit: false,
        calls: Vec::new(),
    };
    // Direct candidates and the local functions each function may call (by short name).
    let mut by_short: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, f) in module.functions.iter().enumerate() {
        by_short.entry(last_seg(&f.name)).or_default().push(i);
    }
    let n = module.functions.len();
    let mut keep = vec![false; n];
    let mut callers: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, f) in module.functions.iter().enumerate() {
        scan.hit = false;
        scan.calls.clear();
        scan.function(f);
        keep[i] = scan.hit;
        for c in &scan.calls {
            if let Some(callees) = by_short.get(c.as_str()) {
                for &j in callees {
                    callers[j].push(i);
                }
            }
        }
    }
    // Callers of kept functions are kept too.
    let mut work: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    while let Some(j) = work.pop() {
        for &i in &callers[j] {
            if !keep[i] {
                keep[i] = true;
                work.push(i);
            }
        }
    }
    Some(keep)
}

/// A path of one segment (`f()`, `new File()`): the engine resolves it through the imports.
fn single_segment(e: &Expr) -> bool {
    match e {
        Expr::Name(..) => true,
        Expr::Call { func, .. } => single_segment(func),
        Expr::New { class, .. } => !class.contains('.'),
        _ => false,
    }
}

/// The segment before the last one (`requests` for `requests.get`), if any.
fn second_seg(path: &str) -> Option<&str> {
    let i = memchr::memrchr(b'.', path.as_bytes())?;
    Some(last_seg(&path[..i]))
}

fn add_type(typed: &mut FxHashMap<String, Vec<String>>, path: String, ty: String) {
    let v = typed.entry(path).or_default();
    if !v.contains(&ty) {
        v.push(ty);
    }
}

fn collect_typed(body: &[Stmt], typed: &mut FxHashMap<String, Vec<String>>) {
    for s in body {
        match s {
            Stmt::Assign {
                targets,
                value,
                decl_type,
                ..
            } => {
                let ty = match (decl_type, value) {
                    (Some(t), _) => Some(simple_type(t)),
                    (None, Expr::New { class, .. }) => Some(simple_type(class)),
                    _ => None,
                };
                if let (Some(ty), [t]) = (ty, targets.as_slice()) {
                    if let Some(p) = t.path() {
                        add_type(typed, p, ty);
                    }
                }
            }
            Stmt::If { then, els, .. } => {
                collect_typed(then, typed);
                collect_typed(els, typed);
            }
            Stmt::Switch { cases, .. } => {
                for c in cases {
                    collect_typed(&c.body, typed);
                }
            }
            Stmt::Loop { init, body, .. } => {
                collect_typed(init, typed);
                collect_typed(body, typed);
            }
            Stmt::Try {
                body,
                handlers,
                finally,
                ..
            } => {
                collect_typed(body, typed);
                for h in handlers {
                    collect_typed(h, typed);
                }
                collect_typed(finally, typed);
            }
            Stmt::Block(b) => collect_typed(b, typed),
            _ => {}
        }
    }
}

struct Scan<'a> {
    lang: &'a CompiledLang,
    imports: &'a FxHashMap<&'a str, &'a str>,
    typed: &'a FxHashMap<String, Vec<String>>,
    /// A call or assignment some sink or pattern may match.
    hit: bool,
    /// Last segments of the calls made (possible local callees).
    calls: Vec<String>,
}

impl Scan<'_> {
    /// Whether a sink or call pattern (wildcard ones aside) may match a path ending in
    /// `second.last` (`second` is `None` for a one-segment path).
    fn cand(&mut self, last: &str, second: Option<&str>) {
        if self.hit {
            return;
        }
        if let Some(e) = self.lang.prune_idx.get(last) {
            if e.any || second.is_some_and(|s| e.seconds.contains(s)) {
                self.hit = true;
            }
        }
    }

    /// A one-segment path `n` (`eval(x)`, `new File(p)`): also as its import and its type.
    fn single(&mut self, n: &str) {
        self.cand(n, None);
        if let Some(full) = self.imports.get(n) {
            self.cand(last_seg(full), second_seg(full));
        }
        if let Some(types) = self.typed.get(n) {
            for t in types {
                self.cand(last_seg(t), None);
            }
        }
    }

    /// A path `obj.name` (a method call or an assigned attribute).
    fn dotted(&mut self, obj: &Expr, name: &str) {
        let Some(second) = path_last(obj) else {
            // No path: the engine matches the call as `?.name`.
            self.cand(name, Some("?"));
            return;
        };
        self.cand(name, Some(second));
        if single_segment(obj) {
            if let Some(full) = self.imports.get(second) {
                self.cand(name, Some(last_seg(full)));
            }
        }
        if self.hit || self.typed.is_empty() {
            return;
        }
        if let Some(prefix) = obj.path() {
            if let Some(types) = self.typed.get(&prefix) {
                for t in types {
                    self.cand(name, Some(last_seg(t)));
                }
            }
            let whole = format!("{prefix}.{name}");
            if let Some(types) = self.typed.get(&whole) {
                for t in types {
                    self.cand(last_seg(t), None);
                }
            }
        }
    }

    /// A call: its path is that of the innermost callee expression.
    fn call(&mut self, func: &Expr) {
        let mut f = func;
        while let Expr::Call { func, .. } = f {
            f = func;
        }
        match f {
            Expr::Name(n, _) => {
                self.single(n);
                self.calls.push(last_seg(n).to_string());
            }
            Expr::Attr { obj, name, .. } => {
                self.dotted(obj, name);
                self.calls.push(name.clone());
            }
            Expr::New { class, .. } => self.class(class),
            _ => {}
        }
    }

    /// `new a.b.Class(...)` or `new Class(...)`.
    fn class(&mut self, class: &str) {
        match second_seg(class) {
            Some(second) => self.cand(last_seg(class), Some(second)),
            None => self.single(class),
        }
    }

    fn function(&mut self, f: &Function) {
        for p in &f.params {
            if let Some(d) = &p.default {
                self.expr(d);
            }
        }
        self.stmts(&f.body);
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Assign { targets, value, .. } => {
                for t in targets {
                    self.target(t);
                }
                self.expr(value);
            }
            Stmt::Expr(e) => self.expr(e),
            Stmt::Return(e, _) => {
                if let Some(e) = e {
                    self.expr(e);
                }
            }
            Stmt::If {
                cond, then, els, ..
            } => {
                self.expr(cond);
                self.stmts(then);
                self.stmts(els);
            }
            Stmt::Switch { subject, cases, .. } => {
                self.expr(subject);
                for c in cases {
                    for l in &c.labels {
                        self.expr(l);
                    }
                    self.stmts(&c.body);
                }
            }
            Stmt::Loop { init, body, .. } => {
                self.stmts(init);
                self.stmts(body);
            }
            Stmt::Try {
                body,
                handlers,
                finally,
                ..
            } => {
                self.stmts(body);
                for h in handlers {
                    self.stmts(h);
                }
                self.stmts(finally);
            }
            Stmt::Block(b) => self.stmts(b),
            Stmt::Jump(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
        }
    }

    /// An assignment target: `a.b = v` and `a.b[k] = v` are checked against assignment sinks.
    fn target(&mut self, t: &Expr) {
        match t {
            Expr::Attr { name, obj, .. } => {
                if path_last(obj).is_some() {
                    self.dotted(obj, name);
                }
                self.expr(obj);
            }
            Expr::Index { obj, index, .. } => {
                match &**obj {
                    Expr::Attr { obj: o, name, .. } if path_last(o).is_some() => {
                        self.dotted(o, name)
                    }
                    Expr::Name(n, _) => self.single(n),
                    _ => {}
                }
                self.expr(obj);
                self.expr(index);
            }
            Expr::List(items, _) | Expr::Other(items, _) => {
                for i in items {
                    self.target(i);
                }
            }
            other => self.expr(other),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Call {
                func, args, kwargs, ..
            } => {
                self.call(func);
                self.expr(func);
                for a in args {
                    self.expr(a);
                }
                for (_, v) in kwargs {
                    self.expr(v);
                }
            }
            Expr::New { class, args, .. } => {
                self.class(class);
                for a in args {
                    self.expr(a);
                }
            }
            Expr::Attr { obj, .. } => self.expr(obj),
            Expr::Index { obj, index, .. } => {
                self.expr(obj);
                self.expr(index);
            }
            Expr::Binary { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            Expr::Unary { expr, .. } => self.expr(expr),
            Expr::Cond {
                cond, then, els, ..
            } => {
                self.expr(cond);
                self.expr(then);
                self.expr(els);
            }
            Expr::Concat(items, _) | Expr::List(items, _) | Expr::Other(items, _) => {
                for i in items {
                    self.expr(i);
                }
            }
            Expr::Dict(pairs, _) => {
                for (k, v) in pairs {
                    self.expr(k);
                    self.expr(v);
                }
            }
            Expr::Name(..)
            | Expr::Str(..)
            | Expr::Num(..)
            | Expr::Bool(..)
            | Expr::Null(_)
            | Expr::Lambda(..) => {}
        }
    }
}

/// The last segment of [`Expr::path`], without building the path.
fn path_last(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n, _) => Some(last_seg(n)),
        Expr::Attr { obj, name, .. } => path_last(obj).map(|_| last_seg(name)),
        Expr::Call { func, .. } => path_last(func),
        Expr::New { class, .. } => Some(last_seg(class)),
        _ => None,
    }
}
