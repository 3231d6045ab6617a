//! The taint engine: an abstract interpreter over the IR.
//!
//! Values are abstract ([`Val`]): a constant, clean-but-unknown, tainted (with its source and
//! the steps it took), or a collection whose slots are tracked for constant keys and indices.
//! Statements run in order on an environment; branches whose condition folds to a constant
//! take one side, others run both and join; loops run twice; calls to functions of the same
//! file are analysed in place (context-sensitive, depth-bounded), so taint passes through
//! helpers and constant arguments stay constant. Sources, sinks, sanitizers and propagators
//! come from the language's rule file ([`super::spec`]).

use super::ir::{BinOp, Case, Expr, Function, Module, Param, Span, Stmt, UnOp};
use super::spec::{path_matches, SPECIAL_KINDS};
use super::{last_seg, CompiledLang, PatIndex};
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

/// Maximum call depth analysed in place.
const MAX_DEPTH: usize = 4;
/// Trace steps kept per tainted value.
const MAX_STEPS: usize = 12;
/// Collections longer than this are summarised.
const MAX_SLOTS: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

impl Lit {
    fn text(&self) -> String {
        match self {
            Lit::Str(s) => s.clone(),
            Lit::Num(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    n.to_string()
                }
            }
            Lit::Bool(b) => b.to_string(),
            Lit::Null => "null".into(),
        }
    }

    fn truthy(&self) -> Option<bool> {
        match self {
            Lit::Bool(b) => Some(*b),
            Lit::Num(n) => Some(*n != 0.0),
            Lit::Null => Some(false),
            Lit::Str(s) => Some(!s.is_empty()),
        }
    }
}

/// Where tainted data came from and how it travelled.
#[derive(Debug, Clone)]
pub struct Taint {
    pub source: Span,
    pub label: String,
    /// `web`, `env`, `argv`, `file`, `db`.
    pub kind: String,
    pub steps: Vec<(Span, String)>,
    /// Bit set of categories this value was sanitized for.
    pub sanitized: u64,
}

#[derive(Debug, Clone)]
pub enum Val {
    Unknown,
    Const(Lit),
    Taint(Rc<Taint>),
    List(Vec<Val>),
    /// Constant-key slots, plus what was written under non-constant keys.
    Map(Vec<(String, Val)>, Box<Val>),
}

impl Val {
    fn str(s: impl Into<String>) -> Val {
        Val::Const(Lit::Str(s.into()))
    }

    /// The taint of this value or of anything it holds.
    pub fn taint(&self) -> Option<Rc<Taint>> {
        match self {
            Val::Taint(t) => Some(t.clone()),
            Val::List(items) => items.iter().find_map(Val::taint),
            Val::Map(slots, other) => slots
                .iter()
                .find_map(|(_, v)| v.taint())
                .or_else(|| other.taint()),
            _ => None,
        }
    }

    fn as_const(&self) -> Option<&Lit> {
        match self {
            Val::Const(l) => Some(l),
            _ => None,
        }
    }

    /// The value as a whole (collections collapse to their joined contents).
    fn flatten(&self) -> Val {
        match self {
            Val::List(_) | Val::Map(..) => match self.taint() {
                Some(t) => Val::Taint(t),
                None => Val::Unknown,
            },
            v => v.clone(),
        }
    }
}

fn join(a: &Val, b: &Val) -> Val {
    match (a, b) {
        (Val::Taint(x), Val::Taint(y)) => {
            if x.sanitized == y.sanitized {
                Val::Taint(x.clone())
            } else {
                let mut t = (**x).clone();
                t.sanitized &= y.sanitized;
                Val::Taint(Rc::new(t))
            }
        }
        (Val::Taint(x), _) | (_, Val::Taint(x)) => Val::Taint(x.clone()),
        (Val::Const(x), Val::Const(y)) if x == y => Val::Const(x.clone()),
        (Val::List(x), Val::List(y)) if x.len() == y.len() => {
            Val::List(x.iter().zip(y).map(|(a, b)| join(a, b)).collect())
        }
        (Val::Map(xs, xo), Val::Map(ys, yo)) => {
            let mut out: Vec<(String, Val)> = Vec::new();
            for (k, v) in xs {
                let other = ys
                    .iter()
                    .find(|(k2, _)| k2 == k)
                    .map(|(_, v)| v)
                    .unwrap_or(yo);
                out.push((k.clone(), join(v, other)));
            }
            for (k, v) in ys {
                if !xs.iter().any(|(k2, _)| k2 == k) {
                    out.push((k.clone(), join(v, xo)));
                }
            }
            Val::Map(out, Box::new(join(xo, yo)))
        }
        (a, b) => match a.taint().or_else(|| b.taint()) {
            Some(t) => Val::Taint(t),
            None => Val::Unknown,
        },
    }
}

fn with_step(v: Val, span: Span, what: impl FnOnce() -> String) -> Val {
    match v {
        Val::Taint(t) => {
            if t.steps.len() >= MAX_STEPS || t.steps.last().is_some_and(|(s, _)| *s == span) {
                return Val::Taint(t);
            }
            let mut t2 = (*t).clone();
            t2.steps.push((span, what()));
            Val::Taint(Rc::new(t2))
        }
        other => other,
    }
}

/// A map with a shared, read-only base layer (what the module top level established) and a
/// small local layer on top: cloning a state at a branch copies only the local layer.
#[derive(Debug, Clone)]
struct Layered<V> {
    local: HashMap<String, V>,
    base: Rc<HashMap<String, V>>,
}

impl<V> Default for Layered<V> {
    fn default() -> Self {
        Layered {
            local: HashMap::default(),
            base: Rc::new(HashMap::default()),
        }
    }
}

impl<V: Clone> Layered<V> {
    fn on(base: Rc<HashMap<String, V>>) -> Layered<V> {
        Layered {
            local: HashMap::default(),
            base,
        }
    }

    fn get(&self, k: &str) -> Option<&V> {
        self.local.get(k).or_else(|| self.base.get(k))
    }

    fn insert(&mut self, k: String, v: V) {
        self.local.insert(k, v);
    }

    /// The local entry for `k`, copied up from the base layer first when only there.
    fn entry_mut(&mut self, k: &str) -> &mut V
    where
        V: Default,
    {
        if !self.local.contains_key(k) {
            let v = self.base.get(k).cloned().unwrap_or_default();
            self.local.insert(k.to_string(), v);
        }
        self.local.entry(k.to_string()).or_default()
    }

    /// Every visible entry (local entries shadow base ones).
    fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.local.iter().chain(
            self.base
                .iter()
                .filter(|(k, _)| !self.local.contains_key(k.as_str())),
        )
    }

    /// Everything as one plain map (to become the base of other states).
    fn flatten(self) -> HashMap<String, V> {
        let mut m = Rc::try_unwrap(self.base).unwrap_or_else(|rc| (*rc).clone());
        m.extend(self.local);
        m
    }
}

#[derive(Debug, Clone, Default)]
struct State {
    vars: HashMap<String, Val>,
    /// Module-level variables, shared by every function's state (read when `vars` has no
    /// entry; writes shadow them in `vars`).
    globals: Rc<HashMap<String, Val>>,
    types: Layered<String>,
    /// Methods called on a variable with their constant arguments (configuration history:
    /// `factory.setFeature(..., true)`); derived objects inherit it.
    calls: Layered<Vec<(String, String)>>,
    dead: bool,
}

impl State {
    fn get(&self, name: &str) -> Option<&Val> {
        self.vars.get(name).or_else(|| self.globals.get(name))
    }

    fn has(&self, name: &str) -> bool {
        self.vars.contains_key(name) || self.globals.contains_key(name)
    }
}

/// The variable at the root of a call chain: `a` for `a.b().c()`, `this.f` for `this.f.g()`.
fn chain_root(e: &Expr) -> Option<String> {
    let mut cur = e;
    loop {
        match cur {
            Expr::Call { func, .. } => match &**func {
                Expr::Attr { obj, .. } => cur = obj,
                _ => return None,
            },
            Expr::Name(..) | Expr::Attr { .. } => return cur.path(),
            _ => return None,
        }
    }
}

fn join_states(a: State, b: State) -> State {
    if a.dead {
        return b;
    }
    if b.dead {
        return a;
    }
    // Reuse `a`'s map: join each of its entries with `b`'s view, then add `b`'s own.
    let mut vars = a.vars;
    for (k, va) in vars.iter_mut() {
        let joined = match b.get(k) {
            Some(vb) => join(va, vb),
            None => join(va, &Val::Unknown),
        };
        *va = joined;
    }
    for (k, vb) in b.vars {
        if let std::collections::hash_map::Entry::Vacant(slot) = vars.entry(k) {
            let joined = match a.globals.get(slot.key()) {
                Some(va) => join(va, &vb),
                None => join(&Val::Unknown, &vb),
            };
            slot.insert(joined);
        }
    }
    // Both sides share the base layers (branches of one function); merge the local ones.
    let mut types = a.types;
    for (k, t) in b.types.local {
        types.local.entry(k).or_insert(t);
    }
    let mut calls = a.calls;
    for (k, v) in b.calls.local {
        let e = calls.entry_mut(&k);
        for c in v {
            if !e.contains(&c) {
                e.push(c);
            }
        }
    }
    State {
        vars,
        globals: a.globals,
        types,
        calls,
        dead: false,
    }
}

/// One problem found by the engine, before it becomes a `Finding`.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Index of the rule in the language's rule list.
    pub rule: usize,
    pub span: Span,
    /// The dangerous call as written (`cursor.execute`).
    pub sink: String,
    pub taint: Option<Rc<Taint>>,
}

/// Analyse a module; returns the hits (deduplicated by rule and place) and whether the step
/// budget ran out.
/// With `entries`, only the functions flagged there are analysed as entry points (see
/// `prune`); they are still inlined where called.
pub fn analyze(
    module: &Module,
    lang: &CompiledLang,
    budget: usize,
    entries: Option<&[bool]>,
) -> (Vec<Hit>, bool) {
    let mut a = Analyzer {
        module,
        lang,
        hits: Vec::new(),
        budget,
        exhausted: false,
        depth: 0,
        stack: Vec::new(),
        by_name: HashMap::default(),
        imports: HashMap::default(),
        breaks: Vec::new(),
        continues: Vec::new(),
        loop_depth: 0,
        memo: HashMap::default(),
    };
    for (local, full) in &module.imports {
        a.imports.entry(local.as_str()).or_insert(full.as_str());
    }
    for (i, f) in module.functions.iter().enumerate() {
        let short = f.name.rsplit('.').next().unwrap_or(&f.name).to_string();
        a.by_name.entry(f.name.clone()).or_insert(i);
        a.by_name.entry(short).or_insert(i);
    }
    // Module top level first (it defines globals and framework objects), then every
    // function as an entry point with its parameters bound to their source status.
    let mut globals = State::default();
    let mut ret = None;
    a.exec_block(&module.top.body, &mut globals, &mut ret);
    let shared_globals = Rc::new(std::mem::take(&mut globals.vars));
    let shared_types = Rc::new(std::mem::take(&mut globals.types).flatten());
    let shared_calls = Rc::new(std::mem::take(&mut globals.calls).flatten());
    for (i, f) in module.functions.iter().enumerate() {
        if a.exhausted {
            break;
        }
        if entries.is_some_and(|e| !e.get(i).copied().unwrap_or(true)) {
            continue;
        }
        let mut st = State {
            vars: HashMap::default(),
            globals: shared_globals.clone(),
            types: Layered::on(shared_types.clone()),
            calls: Layered::on(shared_calls.clone()),
            dead: false,
        };
        for p in &f.params {
            let v = a.param_value(p, &f.name);
            if let Some(t) = &p.ty {
                st.types.insert(p.name.clone(), simple_type(t));
            }
            st.vars.insert(p.name.clone(), v);
        }
        let mut ret = None;
        a.stack.push(f.name.clone());
        a.exec_block(&f.body, &mut st, &mut ret);
        a.stack.pop();
    }
    // Function-shape patterns: trust-all certificate checks, verifiers returning true.
    for p in &lang.patterns {
        if !p.spec.function {
            continue;
        }
        for f in &module.functions {
            if !path_matches(&p.spec.pattern, &f.name) {
                continue;
            }
            let bad = p.spec.body.as_deref().is_some_and(|b| body_is(f, b));
            if bad {
                a.hits.push(Hit {
                    rule: p.rule,
                    span: f.span,
                    sink: f.name.clone(),
                    taint: None,
                });
            }
        }
    }
    let mut hits = a.hits;
    hits.sort_by_key(|h| (h.span, h.rule));
    hits.dedup_by_key(|h| (h.span, h.rule));
    (hits, a.exhausted)
}

/// `java.sql.Statement` → `Statement`, `*http.Request` → `Request`, `List<String>` → `List`.
pub fn simple_type(t: &str) -> String {
    let t = t.trim().trim_start_matches(['*', '&']);
    let t = t.split(['<', '[']).next().unwrap_or(t);
    t.rsplit(['.', ':']).next().unwrap_or(t).trim().to_string()
}

struct Analyzer<'m> {
    module: &'m Module,
    lang: &'m CompiledLang,
    hits: Vec<Hit>,
    budget: usize,
    exhausted: bool,
    depth: usize,
    stack: Vec<String>,
    by_name: HashMap<String, usize>,
    /// Import aliases (local name → full path), first binding wins.
    imports: HashMap<&'m str, &'m str>,
    /// States at `break`, per enclosing loop/switch.
    breaks: Vec<Vec<State>>,
    /// States at `continue`, per enclosing loop.
    continues: Vec<Vec<State>>,
    /// Loops enclosing the current statement (deep nests run their body once, not twice).
    loop_depth: usize,
    /// Results of in-place calls whose inputs hold no taint, by everything the callee's
    /// analysis depends on (see [`Analyzer::memo_key`]): the same call in the same context
    /// gives the same result and the same hits, so it is analysed once.
    memo: HashMap<Vec<u8>, Option<Val>>,
}

impl<'m> Analyzer<'m> {
    /// What an imported name stands for (`np` → `numpy`), or the name itself.
    fn import_of<'a>(&self, name: &'a str) -> &'a str
    where
        'm: 'a,
    {
        self.imports.get(name).copied().unwrap_or(name)
    }

    fn tick(&mut self) -> bool {
        if self.budget == 0 {
            self.exhausted = true;
            return false;
        }
        self.budget -= 1;
        true
    }

    fn param_value(&self, p: &Param, function: &str) -> Val {
        // Numbers, booleans and UUIDs cannot carry an injection payload.
        if let Some(t) = &p.ty {
            let t = simple_type(t);
            if matches!(
                t.to_ascii_lowercase().as_str(),
                "int"
                    | "long"
                    | "short"
                    | "byte"
                    | "double"
                    | "float"
                    | "boolean"
                    | "bool"
                    | "integer"
                    | "bigdecimal"
                    | "biginteger"
                    | "uuid"
                    | "int32"
                    | "int64"
                    | "uint"
                    | "uint32"
                    | "uint64"
                    | "float64"
                    | "float32"
                    | "number"
            ) {
                return Val::Unknown;
            }
        }
        let short = function.rsplit('.').next().unwrap_or(function);
        for s in &self.lang.sources {
            if s.param_of.as_deref().is_some_and(|f| f == short) {
                return Val::Taint(Rc::new(Taint {
                    source: p.span,
                    label: s
                        .label
                        .clone()
                        .unwrap_or_else(|| format!("parameter `{}`", p.name)),
                    kind: s.kind.clone(),
                    steps: Vec::new(),
                    sanitized: 0,
                }));
            }
            let by_ann = s.param_annotation.as_ref().is_some_and(|a| {
                p.annotations
                    .iter()
                    .any(|x| x == a || x.ends_with(&format!(".{a}")))
            });
            let by_type = s
                .param_type
                .as_ref()
                .is_some_and(|t| p.ty.as_deref().is_some_and(|pt| simple_type(pt) == *t));
            if by_ann || by_type {
                return Val::Taint(Rc::new(Taint {
                    source: p.span,
                    label: s
                        .label
                        .clone()
                        .unwrap_or_else(|| format!("parameter `{}`", p.name)),
                    kind: s.kind.clone(),
                    steps: Vec::new(),
                    sanitized: 0,
                }));
            }
        }
        Val::Unknown
    }

    // ----- statements -------------------------------------------------------------------

    fn exec_block(&mut self, stmts: &'m [Stmt], st: &mut State, ret: &mut Option<Val>) {
        for s in stmts {
            if st.dead || self.exhausted {
                return;
            }
            self.exec(s, st, ret);
        }
    }

    fn exec(&mut self, s: &'m Stmt, st: &mut State, ret: &mut Option<Val>) {
        if !self.tick() {
            return;
        }
        match s {
            Stmt::Assign {
                targets,
                value,
                decl_type,
                span,
            } => {
                let v = self.eval(value, st);
                // Derived objects inherit their origin's configuration history
                // (`db = dbf.newDocumentBuilder()`).
                if let ([t], Some(src)) = (targets.as_slice(), chain_root(value)) {
                    if let (Some(tp), Some(h)) = (t.path(), st.calls.get(&src).cloned()) {
                        if tp != src {
                            st.calls.insert(tp, h);
                        }
                    }
                }
                if let [t] = targets.as_slice() {
                    if let Some(path) = t.path() {
                        if let Some(ty) = decl_type {
                            st.types.insert(path, simple_type(ty));
                        } else if let Expr::New { class, .. } = value {
                            st.types.insert(path, simple_type(class));
                        }
                    }
                }
                for t in targets {
                    self.assign(t, v.clone(), st, *span);
                }
            }
            Stmt::Expr(e) => {
                self.eval(e, st);
            }
            Stmt::Return(e, _) => {
                let v = match e {
                    Some(e) => self.eval(e, st),
                    None => Val::Unknown,
                };
                *ret = Some(match ret.take() {
                    Some(prev) => join(&prev, &v),
                    None => v,
                });
                st.dead = true;
            }
            Stmt::Jump(_) => st.dead = true,
            Stmt::Break(_) => {
                if let Some(frame) = self.breaks.last_mut() {
                    frame.push(st.clone());
                }
                st.dead = true;
            }
            Stmt::Continue(_) => {
                if let Some(frame) = self.continues.last_mut() {
                    frame.push(st.clone());
                }
                st.dead = true;
            }
            Stmt::Block(b) => self.exec_block(b, st, ret),
            Stmt::If {
                cond, then, els, ..
            } => {
                let c = self.eval(cond, st);
                match c.as_const().and_then(Lit::truthy) {
                    Some(true) => self.exec_block(then, st, ret),
                    Some(false) => self.exec_block(els, st, ret),
                    None => {
                        let mut a = st.clone();
                        let mut b = st.clone();
                        // `if x == "const"`, `"const".equals(x)`, `x in ALLOWED`: inside, x is that
                        // constant or clean; `x not in ALLOWED`: in the else branch (and after an
                        // early return).
                        if let Some((name, v, positive)) = self.narrowing(cond, st) {
                            if positive {
                                a.vars.insert(name, v);
                            } else {
                                b.vars.insert(name, v);
                            }
                        }
                        self.exec_block(then, &mut a, ret);
                        self.exec_block(els, &mut b, ret);
                        *st = join_states(a, b);
                    }
                }
            }
            Stmt::Switch { subject, cases, .. } => self.exec_switch(subject, cases, st, ret),
            Stmt::Loop { init, body, .. } => {
                self.exec_block(init, st, ret);
                let before = st.clone();
                self.breaks.push(Vec::new());
                self.continues.push(Vec::new());
                self.loop_depth += 1;
                let mut once = st.clone();
                self.exec_block(body, &mut once, ret);
                for c in self
                    .continues
                    .last_mut()
                    .map(std::mem::take)
                    .unwrap_or_default()
                {
                    once = join_states(once, c);
                }
                let mut twice = join_states(before, once);
                if self.loop_depth <= 3 {
                    let mut again = twice.clone();
                    self.exec_block(init, &mut again, ret);
                    self.exec_block(body, &mut again, ret);
                    for c in self
                        .continues
                        .last_mut()
                        .map(std::mem::take)
                        .unwrap_or_default()
                    {
                        again = join_states(again, c);
                    }
                    twice = join_states(twice, again);
                }
                self.loop_depth -= 1;
                self.continues.pop();
                for b in self.breaks.pop().unwrap_or_default() {
                    twice = join_states(twice, b);
                }
                twice.dead = false;
                *st = twice;
            }
            Stmt::Try {
                body,
                handlers,
                finally,
                ..
            } => {
                let before = st.clone();
                self.exec_block(body, st, ret);
                let mut out = st.clone();
                for h in handlers {
                    let mut hs = join_states(before.clone(), st.clone());
                    self.exec_block(h, &mut hs, ret);
                    out = join_states(out, hs);
                }
                *st = out;
                let dead = st.dead;
                st.dead = false;
                self.exec_block(finally, st, ret);
                st.dead = st.dead || dead;
            }
        }
    }

    fn exec_switch(
        &mut self,
        subject: &'m Expr,
        cases: &'m [Case],
        st: &mut State,
        ret: &mut Option<Val>,
    ) {
        let v = self.eval(subject, st);
        // Which cases can be entered: with a constant subject only the matching one (or the
        // default); otherwise every case.
        let entries: Vec<usize> = match v.as_const().cloned() {
            Some(lit) => {
                let mut start = None;
                'find: for (i, c) in cases.iter().enumerate() {
                    for l in &c.labels {
                        if let Some(lv) = self.eval(l, st).as_const() {
                            if lit_eq(lv, &lit) {
                                start = Some(i);
                                break 'find;
                            }
                        }
                    }
                }
                match start.or_else(|| cases.iter().position(|c| c.labels.is_empty())) {
                    Some(i) => vec![i],
                    None => return,
                }
            }
            None => (0..cases.len()).collect(),
        };
        let no_default = !cases.iter().any(|c| c.labels.is_empty());
        let before = st.clone();
        let mut out: Option<State> = (v.as_const().is_none() && no_default).then(|| before.clone());
        self.breaks.push(Vec::new());
        for i in entries {
            let mut cs = before.clone();
            let mut j = i;
            loop {
                self.exec_block(&cases[j].body, &mut cs, ret);
                if cs.dead || !cases[j].fallthrough || j + 1 >= cases.len() {
                    break;
                }
                j += 1;
            }
            if !cs.dead {
                out = Some(match out {
                    Some(o) => join_states(o, cs),
                    None => cs,
                });
            }
        }
        for b in self.breaks.pop().unwrap_or_default() {
            out = Some(match out {
                Some(o) => join_states(o, b),
                None => b,
            });
        }
        match out {
            Some(mut o) => {
                o.dead = false;
                *st = o;
            }
            None => st.dead = true,
        }
    }

    /// Narrowing by an equality or membership test: `(variable, value, positive)` where the
    /// value holds in the `then` branch when `positive`, in the `else` branch otherwise.
    fn narrowing(&mut self, cond: &'m Expr, st: &mut State) -> Option<(String, Val, bool)> {
        match cond {
            Expr::Unary {
                op: UnOp::Not,
                expr,
                ..
            } => self.narrowing(expr, st).map(|(n, v, p)| (n, v, !p)),
            Expr::Binary {
                op: BinOp::Or,
                left,
                right,
                ..
            } => {
                let (a, _, pa) = self.narrowing(left, st)?;
                let (b, _, pb) = self.narrowing(right, st)?;
                (a == b && pa && pb).then_some((a, Val::Unknown, true))
            }
            Expr::Binary {
                op: op @ (BinOp::Eq | BinOp::Ne),
                left,
                right,
                ..
            } => match (&**left, &**right) {
                (Expr::Name(n, _), c) | (c, Expr::Name(n, _)) => {
                    let cv = self.eval(c, st);
                    cv.as_const()
                        .is_some()
                        .then(|| (n.clone(), cv, *op == BinOp::Eq))
                }
                _ => None,
            },
            Expr::Binary {
                op: op @ (BinOp::In | BinOp::NotIn),
                left,
                right,
                ..
            } => {
                let Expr::Name(n, _) = &**left else {
                    return None;
                };
                let coll = self.eval(right, st);
                (coll.taint().is_none()).then(|| (n.clone(), Val::Unknown, *op == BinOp::In))
            }
            Expr::Call { func, args, .. } => {
                let Expr::Attr { obj, name, .. } = &**func else {
                    // `slices.Contains(allowed, x)`
                    return None;
                };
                match name.as_str() {
                    "equals" | "equalsIgnoreCase" if args.len() == 1 => match (&**obj, &args[0]) {
                        (Expr::Name(n, _), c) | (c, Expr::Name(n, _)) => {
                            let cv = self.eval(c, st);
                            if cv.as_const().is_some() {
                                let v = if name == "equals" { cv } else { Val::Unknown };
                                Some((n.clone(), v, true))
                            } else {
                                None
                            }
                        }
                        _ => None,
                    },
                    // `ALLOWED.contains(x)`, `allowed.includes(x)`, `slices.Contains(allowed, x)`
                    "contains" | "includes" | "has" | "Contains" | "containsKey" => {
                        let (coll, item) = match args.as_slice() {
                            [item] => (&**obj, item),
                            [coll, item] => (coll, item),
                            _ => return None,
                        };
                        let Expr::Name(n, _) = item else {
                            return None;
                        };
                        let cv = self.eval(coll, st);
                        (cv.taint().is_none()).then(|| (n.clone(), Val::Unknown, true))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Bind a value to an assignment target.
    fn assign(&mut self, target: &'m Expr, v: Val, st: &mut State, span: Span) {
        match target {
            Expr::Name(n, _) => {
                let v = with_step(v, span, || format!("`{n}` is assigned"));
                st.vars.insert(n.clone(), v);
            }
            Expr::Attr {
                obj,
                name,
                span: tspan,
            } => {
                self.check_assign_sinks(target, &v, st, *tspan);
                if let Some(p) = target.path() {
                    let v = with_step(v, span, || format!("`{p}` is assigned"));
                    st.vars.insert(p, v);
                } else {
                    let _ = (obj, name);
                }
            }
            Expr::Index {
                obj,
                index,
                span: tspan,
            } => {
                self.check_assign_sinks(obj, &v, st, *tspan);
                let key = self.eval(index, st);
                if let Some(p) = obj.path() {
                    let cur = self.lookup(&p, st);
                    let upd = store(cur, &key, v);
                    st.vars.insert(p, upd);
                }
            }
            Expr::List(items, _) | Expr::Other(items, _) => {
                // tuple unpacking
                match v {
                    Val::List(vals) if vals.len() == items.len() => {
                        for (t, val) in items.iter().zip(vals) {
                            self.assign(t, val, st, span);
                        }
                    }
                    other => {
                        let flat = other.flatten();
                        for t in items {
                            self.assign(t, flat.clone(), st, span);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn lookup(&self, name: &str, st: &State) -> Val {
        st.get(name).cloned().unwrap_or(Val::Unknown)
    }

    // ----- expressions ------------------------------------------------------------------

    fn eval(&mut self, e: &'m Expr, st: &mut State) -> Val {
        if !self.tick() {
            return Val::Unknown;
        }
        match e {
            Expr::Str(s, _) => Val::str(s.clone()),
            Expr::Num(n, _) => Val::Const(Lit::Num(*n)),
            Expr::Bool(b, _) => Val::Const(Lit::Bool(*b)),
            Expr::Null(_) => Val::Const(Lit::Null),
            Expr::Name(n, span) => {
                if let Some(v) = st.get(n) {
                    return v.clone();
                }
                let full = self.import_of(n);
                self.source_for(full, n, *span).unwrap_or(Val::Unknown)
            }
            Expr::Attr { obj, name, span } => {
                // A tracked field or attribute path (`self.x`, `this.name`).
                if let Some(p) = e.path() {
                    if let Some(v) = st.get(&p) {
                        return v.clone();
                    }
                    // Only build the resolved path when some source can match it.
                    let typed = st.types.get(&p).map(|t| last_seg(t));
                    if self.lang.source_idx.may_match_last(name)
                        || typed.is_some_and(|t| self.lang.source_idx.may_match_last(t))
                    {
                        let resolved = self.resolve_path(&p, st);
                        if let Some(v) = self.source_for(&resolved, &p, *span) {
                            return v;
                        }
                    }
                }
                let base = self.eval(obj, st);
                match base {
                    Val::Map(..) => load(&base, &Val::str(name.clone())),
                    other => other.flatten(),
                }
            }
            Expr::Index { obj, index, .. } => {
                let base = self.eval(obj, st);
                let key = self.eval(index, st);
                let v = load(&base, &key);
                // A lookup in a constant table is clean for request data (an allow-list), but
                // a predictable index makes a predictable value.
                match key.taint() {
                    Some(t) if SPECIAL_KINDS.contains(&t.kind.as_str()) && v.taint().is_none() => {
                        Val::Taint(t)
                    }
                    _ => v,
                }
            }
            Expr::Call { .. } | Expr::New { .. } => self.eval_call(e, st),
            Expr::Binary {
                op, left, right, ..
            } => {
                let l = self.eval(left, st);
                let r = self.eval(right, st);
                binary(*op, &l, &r)
            }
            Expr::Unary { op, expr, .. } => {
                let v = self.eval(expr, st);
                match (op, v.as_const()) {
                    (UnOp::Not, Some(l)) => match l.truthy() {
                        Some(b) => Val::Const(Lit::Bool(!b)),
                        None => Val::Unknown,
                    },
                    (UnOp::Neg, Some(Lit::Num(n))) => Val::Const(Lit::Num(-n)),
                    _ => v.flatten(),
                }
            }
            Expr::Cond {
                cond, then, els, ..
            } => {
                let c = self.eval(cond, st);
                match c.as_const().and_then(Lit::truthy) {
                    Some(true) => self.eval(then, st),
                    Some(false) => self.eval(els, st),
                    None => {
                        let a = self.eval(then, st);
                        let b = self.eval(els, st);
                        join(&a, &b)
                    }
                }
            }
            Expr::Concat(parts, _) => {
                let mut acc = Val::str("");
                for p in parts {
                    let v = self.eval(p, st);
                    acc = binary(BinOp::Add, &acc, &v.flatten());
                }
                acc
            }
            Expr::List(items, _) => {
                let vals: Vec<Val> = items.iter().map(|i| self.eval(i, st)).collect();
                if vals.len() > MAX_SLOTS {
                    summarize(&vals)
                } else {
                    Val::List(vals)
                }
            }
            Expr::Dict(pairs, _) => {
                let mut slots = Vec::new();
                let mut other = Val::Unknown;
                for (k, v) in pairs {
                    let kv = self.eval(k, st);
                    let vv = self.eval(v, st);
                    match kv.as_const() {
                        Some(l) => slots.push((l.text(), vv)),
                        None => other = join(&other, &vv),
                    }
                }
                Val::Map(slots, Box::new(other))
            }
            Expr::Lambda(..) => Val::Unknown,
            Expr::Other(children, _) => {
                let mut acc = Val::Unknown;
                for c in children {
                    let v = self.eval(c, st);
                    acc = join(&acc, &v.flatten());
                }
                acc
            }
        }
    }

    /// The path of a call/attribute chain with its root resolved: variables of known type
    /// become the type's simple name, import aliases their full name.
    fn resolve_path(&self, raw: &str, st: &State) -> String {
        // Longest prefix with a known type (`this.stmt.executeQuery` → `Statement.executeQuery`).
        let mut end = raw.len();
        loop {
            let prefix = &raw[..end];
            if let Some(t) = st.types.get(prefix) {
                return if end == raw.len() {
                    t.clone()
                } else {
                    let mut out = String::with_capacity(t.len() + raw.len() - end);
                    out.push_str(t);
                    out.push_str(&raw[end..]);
                    out
                };
            }
            match memchr::memrchr(b'.', prefix.as_bytes()) {
                Some(i) => end = i,
                None => break,
            }
        }
        let root_len = memchr::memchr(b'.', raw.as_bytes()).unwrap_or(raw.len());
        let root = &raw[..root_len];
        let new_root = if st.has(root) {
            root
        } else {
            self.import_of(root)
        };
        let mut out = String::with_capacity(new_root.len() + raw.len() - root_len);
        out.push_str(new_root);
        out.push_str(&raw[root_len..]);
        out
    }

    fn source_for(&self, resolved: &str, raw: &str, span: Span) -> Option<Val> {
        let lang = self.lang;
        for &i in lang.source_idx.candidates(resolved, raw).iter() {
            let s = &self.lang.sources[i];
            let Some(p) = &s.pattern else { continue };
            if path_matches(p, resolved) || path_matches(p, raw) {
                return Some(Val::Taint(Rc::new(Taint {
                    source: span,
                    label: s.label.clone().unwrap_or_else(|| format!("`{raw}`")),
                    kind: s.kind.clone(),
                    steps: Vec::new(),
                    sanitized: 0,
                })));
            }
        }
        None
    }

    fn eval_call(&mut self, e: &'m Expr, st: &mut State) -> Val {
        let (func, args, kwargs, span, is_new) = match e {
            Expr::Call {
                func,
                args,
                kwargs,
                span,
            } => (
                Some(&**func),
                args.as_slice(),
                kwargs.as_slice(),
                *span,
                false,
            ),
            Expr::New { args, span, .. } => (None, args.as_slice(), &[][..], *span, true),
            _ => return Val::Unknown,
        };
        // A method called on an expression without a name (`(base / name).read_text()`) is
        // matched as `?.method`.
        let (raw, resolved) = match e.path() {
            Some(raw) => {
                let resolved = self.resolve_path(&raw, st);
                (raw, resolved)
            }
            None => {
                let raw = match func {
                    Some(Expr::Attr { name, .. }) => format!("?.{name}"),
                    _ => String::new(),
                };
                (raw.clone(), raw)
            }
        };
        let method = match func {
            Some(Expr::Attr { name, .. }) => name.clone(),
            _ => raw.rsplit('.').next().unwrap_or("").to_string(),
        };
        let receiver_expr = match func {
            Some(Expr::Attr { obj, .. }) => Some(&**obj),
            _ => None,
        };
        let receiver = receiver_expr.map(|r| self.eval(r, st));
        let argv: Vec<Val> = args.iter().map(|a| self.eval(a, st)).collect();
        let mut kwv: Vec<(String, Val)> = kwargs
            .iter()
            .map(|(k, v)| (k.clone(), self.eval(v, st)))
            .collect();
        // An options object (`{ secure: true }`, or a variable holding one) exposes its
        // constant keys as keyword arguments.
        for a in &argv {
            if let Val::Map(slots, _) = a {
                for (k, v) in slots {
                    if !kwv.iter().any(|(n, _)| n == k) {
                        kwv.push((k.clone(), v.clone()));
                    }
                }
            }
        }

        // Flow-less call patterns and sinks see the call as written.
        self.check_patterns(&resolved, &raw, &argv, &kwv, args, st, span);
        let recv_root = receiver_expr.and_then(chain_root);
        self.check_sinks(
            &resolved,
            &raw,
            receiver.as_ref(),
            &argv,
            &kwv,
            recv_root.as_deref(),
            st,
            span,
        );
        // Record the call in the receiver's configuration history.
        if let Some(root) = recv_root
            .as_ref()
            .filter(|_| self.lang.history_methods.contains(method.as_str()))
        {
            let args_text: Vec<String> = argv
                .iter()
                .zip(args.iter())
                .map(|(v, a)| match v.as_const() {
                    Some(l) => l.text(),
                    None => a.path().unwrap_or_else(|| "?".to_string()),
                })
                .collect();
            let h = st.calls.entry_mut(root);
            if h.len() < 32 {
                h.push((method.clone(), args_text.join(",")));
            }
        }

        // Sources.
        if let Some(v) = self.source_for(&resolved, &raw, span) {
            return v;
        }
        // Sanitizers.
        let lang = self.lang;
        for &i in lang.sanitizer_idx.candidates(&resolved, &raw).iter() {
            let (pat, mask, data_arg) = &self.lang.sanitizers[i];
            if path_matches(pat, &resolved) || path_matches(pat, &raw) {
                if *mask == u64::MAX {
                    // Predictable values stay predictable through conversions.
                    let special = argv
                        .iter()
                        .chain(receiver.iter())
                        .filter_map(Val::taint)
                        .find(|t| SPECIAL_KINDS.contains(&t.kind.as_str()));
                    return special.map_or(Val::Unknown, Val::Taint);
                }
                let base = match data_arg {
                    Some(i) => argv.get(*i).cloned(),
                    None => argv.first().cloned().or_else(|| receiver.clone()),
                }
                .unwrap_or(Val::Unknown)
                .flatten();
                return match base {
                    Val::Taint(t) => {
                        let mut t2 = (*t).clone();
                        t2.sanitized |= mask;
                        Val::Taint(Rc::new(t2))
                    }
                    other => other,
                };
            }
        }
        // Constant receivers fold first (`"ABC".equals(x)`, `"abc".charAt(1)`).
        if let Some(Val::Const(l)) = &receiver {
            if let Some(v) = fold_method(l, &method, &argv) {
                return v;
            }
        }
        // Declared propagators.
        let lang = self.lang;
        for &i in lang.propagator_idx.candidates(&resolved, &raw).iter() {
            let (pat, effect) = &self.lang.propagators[i];
            if path_matches(pat, &resolved) || path_matches(pat, &raw) {
                match effect.as_str() {
                    "clean" => return Val::Unknown,
                    "receiver" => {
                        if let Some(r) = receiver_expr {
                            let mut acc = receiver.clone().unwrap_or(Val::Unknown);
                            for a in &argv {
                                acc = join(&acc.flatten(), &a.flatten());
                            }
                            self.write_back(r, acc.clone(), st, span);
                            return acc;
                        }
                    }
                    _ => {}
                }
            }
        }
        // Functions and methods of this file.
        if !is_new {
            if let Some(v) = self.call_local(e, &raw, receiver_expr, &argv, st, span) {
                return v;
            }
        }
        // Constructors of known containers and builders.
        if is_new {
            let class = simple_type(&raw);
            match class.as_str() {
                "StringBuilder" | "StringBuffer" | "String" => {
                    return match argv.first() {
                        Some(Val::Const(Lit::Num(_))) | None => Val::str(""),
                        Some(v) => v.flatten(),
                    }
                }
                c if c.ends_with("List")
                    || c == "Vector"
                    || c.ends_with("Set")
                    || c.ends_with("Deque")
                    || c.ends_with("Queue") =>
                {
                    return match argv.first() {
                        Some(v) if v.taint().is_some() => v.flatten(),
                        _ => Val::List(Vec::new()),
                    }
                }
                c if c.ends_with("Map") || c == "Hashtable" || c == "Properties" => {
                    return Val::Map(Vec::new(), Box::new(Val::Unknown))
                }
                _ => {}
            }
        }
        // Containers, builders and constant folding on the receiver.
        if let (Some(recv), Some(rexpr)) = (receiver.as_ref(), receiver_expr) {
            if let Some(v) = self.builtin_method(&method, recv, rexpr, &argv, st, span) {
                return v;
            }
        }
        if let Some(v) = fold_function(&raw, &argv) {
            return v;
        }
        // Default: data flows from receiver and arguments into the result.
        let mut acc = Val::Unknown;
        if let Some(r) = &receiver {
            acc = join(&acc, &r.flatten());
        }
        for a in argv.iter().chain(kwv.iter().map(|(_, v)| v)) {
            acc = join(&acc, &a.flatten());
        }
        match acc {
            Val::Taint(_) => with_step(acc, span, || format!("through `{raw}(…)`")),
            _ => Val::Unknown,
        }
    }

    /// Write `v` back into the variable a receiver expression denotes (mutating methods).
    fn write_back(&mut self, rexpr: &Expr, v: Val, st: &mut State, span: Span) {
        // Follow call chains `sb.append(a).append(b)` to their root.
        let mut cur = rexpr;
        while let Expr::Call { func, .. } = cur {
            match &**func {
                Expr::Attr { obj, .. } => cur = obj,
                _ => break,
            }
        }
        if let Some(p) = cur.path() {
            let v = with_step(v, span, || format!("`{p}` is updated"));
            st.vars.insert(p, v);
        }
    }

    fn builtin_method(
        &mut self,
        method: &str,
        recv: &Val,
        rexpr: &Expr,
        argv: &[Val],
        st: &mut State,
        span: Span,
    ) -> Option<Val> {
        let arg = |i: usize| argv.get(i).cloned().unwrap_or(Val::Unknown);
        match (recv, method) {
            // string builders
            (Val::Const(Lit::Str(_)) | Val::Taint(_) | Val::Unknown, "append")
                if argv.len() == 1 && !matches!(recv, Val::Unknown) =>
            {
                let v = binary(BinOp::Add, recv, &arg(0).flatten());
                self.write_back(rexpr, v.clone(), st, span);
                Some(v)
            }
            (Val::List(items), "add" | "append" | "push" | "addLast" | "offer")
                if argv.len() == 1 =>
            {
                let mut items = items.clone();
                items.push(arg(0));
                let v = if items.len() > MAX_SLOTS {
                    summarize(&items)
                } else {
                    Val::List(items)
                };
                self.write_back(rexpr, v, st, span);
                Some(Val::Unknown)
            }
            (Val::List(items), "add" | "insert") if argv.len() == 2 => {
                let mut items = items.clone();
                match arg(0).as_const() {
                    Some(Lit::Num(n)) if *n >= 0.0 && (*n as usize) <= items.len() => {
                        items.insert(*n as usize, arg(1))
                    }
                    _ => {
                        let s = summarize(&[Val::List(items.clone()), arg(1)]);
                        self.write_back(rexpr, s, st, span);
                        return Some(Val::Unknown);
                    }
                }
                self.write_back(rexpr, Val::List(items), st, span);
                Some(Val::Unknown)
            }
            (Val::List(items), "addFirst" | "unshift") if argv.len() == 1 => {
                let mut items = items.clone();
                items.insert(0, arg(0));
                self.write_back(rexpr, Val::List(items), st, span);
                Some(Val::Unknown)
            }
            (Val::List(items), "remove" | "pop") => {
                let mut items = items.clone();
                let idx = match (method, argv.first().and_then(Val::as_const)) {
                    (_, Some(Lit::Num(n))) => Some(*n as i64),
                    ("pop", None) => Some(items.len() as i64 - 1),
                    (_, Some(Lit::Str(s))) => items
                        .iter()
                        .position(|v| matches!(v, Val::Const(Lit::Str(x)) if x == s))
                        .map(|i| i as i64),
                    _ => None,
                };
                match idx {
                    Some(i) if i >= 0 && (i as usize) < items.len() => {
                        let removed = items.remove(i as usize);
                        self.write_back(rexpr, Val::List(items), st, span);
                        Some(removed)
                    }
                    _ => Some(summarize(&items)),
                }
            }
            (Val::List(items), "get" | "elementAt" | "at") if argv.len() == 1 => {
                Some(load(&Val::List(items.clone()), &arg(0)))
            }
            (Val::List(items), "set") if argv.len() == 2 => {
                let v = store(Val::List(items.clone()), &arg(0), arg(1));
                self.write_back(rexpr, v, st, span);
                Some(Val::Unknown)
            }
            (Val::List(items), "getFirst" | "peek" | "peekFirst" | "element") => {
                Some(items.first().cloned().unwrap_or(Val::Unknown))
            }
            (Val::List(items), "getLast" | "peekLast") => {
                Some(items.last().cloned().unwrap_or(Val::Unknown))
            }
            (Val::List(items), "size" | "length" | "isEmpty" | "contains" | "indexOf") => {
                let _ = items;
                Some(Val::Unknown)
            }
            (Val::Map(..), "put" | "setdefault" | "set" | "setProperty") if argv.len() == 2 => {
                let v = store(recv.clone(), &arg(0), arg(1));
                self.write_back(rexpr, v, st, span);
                Some(Val::Unknown)
            }
            (Val::Map(..), "get" | "getOrDefault" | "getProperty" | "pop") if !argv.is_empty() => {
                let v = load(recv, &arg(0));
                match (&v, argv.get(1)) {
                    (Val::Unknown, Some(d)) if !has_key(recv, &arg(0)) => Some(d.clone()),
                    _ => Some(v),
                }
            }
            (Val::Map(..), "containsKey" | "has" | "size" | "isEmpty") => Some(Val::Unknown),
            (Val::Const(l), _) => fold_method(l, method, argv),
            _ => None,
        }
    }

    /// Calls to functions defined in this file are analysed in place with the actual
    /// argument values.
    fn call_local(
        &mut self,
        e: &'m Expr,
        raw: &str,
        receiver_expr: Option<&'m Expr>,
        argv: &[Val],
        st: &mut State,
        span: Span,
    ) -> Option<Val> {
        let short = raw.rsplit('.').next().unwrap_or(raw);
        // A receiver whose type is a class of this file: `repo.find(x)` with `repo: Repo`.
        let typed = receiver_expr
            .and_then(|r| r.path())
            .and_then(|p| st.types.get(&p))
            .and_then(|t| self.by_name.get(&format!("{t}.{short}")))
            .copied();
        let local_receiver = match receiver_expr {
            None => true,
            Some(Expr::Name(n, _)) => {
                matches!(n.as_str(), "self" | "this" | "cls" | "super") || !st.has(n)
            }
            Some(Expr::New { .. }) | Some(Expr::Call { .. }) => true,
            _ => typed.is_some(),
        };
        if !local_receiver && typed.is_none() {
            return None;
        }
        let idx = match typed {
            Some(i) => i,
            None => self
                .by_name
                .get(raw)
                .or_else(|| self.by_name.get(short))
                .copied()?,
        };
        let f: &'m Function = &self.module.functions[idx];
        if self.depth >= MAX_DEPTH || self.stack.iter().any(|n| n == &f.name) {
            // Recursion or too deep: fall back to "arguments flow to the result".
            return None;
        }
        let _ = e;
        let mut callee = State::default();
        // Python methods take `self` first; skip it when called on an object.
        let skip_self = usize::from(
            f.params
                .first()
                .is_some_and(|p| p.name == "self" || p.name == "cls")
                && receiver_expr.is_some(),
        );
        let key = self.memo_key(idx, skip_self, argv, st);
        if let Some(ret) = key.as_ref().and_then(|k| self.memo.get(k)) {
            let v = ret.clone().unwrap_or(Val::Unknown);
            return Some(with_step(v, span, || format!("returned from `{}`", f.name)));
        }
        for (i, p) in f.params.iter().enumerate() {
            if i < skip_self {
                continue;
            }
            let v = match argv.get(i - skip_self) {
                Some(v) => with_step(v.clone(), span, || {
                    format!("passed to `{}` as `{}`", f.name, p.name)
                }),
                None => match &p.default {
                    Some(d) => self.eval(d, &mut callee.clone()),
                    None => self.param_value(p, &f.name),
                },
            };
            if let Some(t) = &p.ty {
                callee.types.insert(p.name.clone(), simple_type(t));
            }
            callee.vars.insert(p.name.clone(), v);
        }
        // Fields set on `self`/`this` by the caller stay visible, with their types.
        for (k, v) in &st.vars {
            if k.starts_with("self.") || k.starts_with("this.") {
                callee.vars.insert(k.clone(), v.clone());
            }
        }
        for (k, t) in st.types.iter() {
            if k.starts_with("self.") || k.starts_with("this.") {
                callee.types.insert(k.clone(), t.clone());
            }
        }
        self.depth += 1;
        self.stack.push(f.name.clone());
        let mut ret = None;
        self.exec_block(&f.body, &mut callee, &mut ret);
        self.stack.pop();
        self.depth -= 1;
        if let Some(k) = key {
            self.memo.insert(k, ret.clone());
        }
        let v = ret.unwrap_or(Val::Unknown);
        Some(with_step(v, span, || format!("returned from `{}`", f.name)))
    }

    /// The context of an in-place call, when none of its inputs holds taint or a collection:
    /// callee, loop depth, call stack, `self` skipping, argument values, and the caller's
    /// `self.`/`this.` fields and their types (all a callee's analysis reads besides the
    /// module). `None` when the call must be analysed.
    fn memo_key(&self, idx: usize, skip_self: usize, argv: &[Val], st: &State) -> Option<Vec<u8>> {
        fn push_val(k: &mut Vec<u8>, v: &Val) -> Option<()> {
            match v {
                Val::Unknown => k.push(b'U'),
                Val::Const(l) => {
                    k.push(match l {
                        Lit::Str(_) => b'S',
                        Lit::Num(_) => b'N',
                        Lit::Bool(_) => b'B',
                        Lit::Null => b'Z',
                    });
                    k.extend_from_slice(l.text().as_bytes());
                    k.push(0);
                }
                _ => return None,
            }
            Some(())
        }
        let mut k = Vec::with_capacity(64);
        k.extend_from_slice(&(idx as u64).to_le_bytes());
        k.extend_from_slice(&(self.loop_depth as u64).to_le_bytes());
        k.push(skip_self as u8);
        for n in &self.stack {
            k.extend_from_slice(n.as_bytes());
            k.push(0);
        }
        k.push(1);
        for v in argv {
            push_val(&mut k, v)?;
        }
        k.push(2);
        let is_field = |n: &str| n.starts_with("self.") || n.starts_with("this.");
        let mut fields: Vec<(&String, &Val)> =
            st.vars.iter().filter(|(n, _)| is_field(n)).collect();
        fields.sort_by(|a, b| a.0.cmp(b.0));
        for (n, v) in fields {
            k.extend_from_slice(n.as_bytes());
            k.push(0);
            push_val(&mut k, v)?;
        }
        k.push(3);
        let mut types: Vec<(&String, &String)> =
            st.types.iter().filter(|(n, _)| is_field(n)).collect();
        types.sort();
        for (n, t) in types {
            k.extend_from_slice(n.as_bytes());
            k.push(0);
            k.extend_from_slice(t.as_bytes());
            k.push(0);
        }
        Some(k)
    }

    // ----- sinks and patterns -----------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn check_sinks(
        &mut self,
        resolved: &str,
        raw: &str,
        receiver: Option<&Val>,
        argv: &[Val],
        kwv: &[(String, Val)],
        recv_root: Option<&str>,
        st: &State,
        span: Span,
    ) {
        let lang = self.lang;
        for &i in lang.sink_idx.candidates(resolved, raw).iter() {
            let sink = &self.lang.sinks[i];
            if sink.spec.assign {
                continue;
            }
            if let Some(cond) = &sink.unless {
                if recv_root.is_some_and(|r| called(st, r, cond)) {
                    continue;
                }
            }
            if !sink.spec.unless_kwargs.is_empty()
                && kwv.iter().any(|(k, _)| sink.spec.unless_kwargs.contains(k))
            {
                continue;
            }
            if !(path_matches(&sink.spec.pattern, resolved)
                || path_matches(&sink.spec.pattern, raw))
            {
                continue;
            }
            if let Some(cond) = &sink.spec.when_kwarg {
                let ok = kwv.iter().any(|(k, v)| {
                    k == &cond.name
                        && v.as_const()
                            .is_some_and(|l| l.text().eq_ignore_ascii_case(&cond.equals))
                });
                if !ok {
                    continue;
                }
            }
            if let (Some(cond), Some(re)) = (&sink.spec.when_arg_matches, &sink.arg_regex) {
                let ok = argv
                    .get(cond.index)
                    .and_then(Val::as_const)
                    .is_some_and(|l| re.is_match(&l.text()));
                if !ok {
                    continue;
                }
            }
            let mut candidates: Vec<&Val> = Vec::new();
            match &sink.spec.args {
                None => candidates.extend(argv.iter()),
                Some(idx) => {
                    for &i in idx {
                        let j = if i < 0 { argv.len() as i32 + i } else { i };
                        if j >= 0 {
                            if let Some(v) = argv.get(j as usize) {
                                candidates.push(v);
                            }
                        }
                    }
                }
            }
            for (k, v) in kwv {
                if sink.spec.kwargs.iter().any(|x| x == k)
                    || (sink.spec.args.is_none() && sink.spec.kwargs.is_empty())
                {
                    candidates.push(v);
                }
            }
            if sink.spec.receiver {
                if let Some(r) = receiver {
                    candidates.push(r);
                }
            }
            let bit = self.lang.rule_bits[sink.rule];
            if let Some(t) = candidates
                .iter()
                .filter_map(|v| v.taint())
                .find(|t| t.sanitized & bit == 0 && sink.spec.accepts_kind(&t.kind))
            {
                self.hits.push(Hit {
                    rule: sink.rule,
                    span,
                    sink: raw.to_string(),
                    taint: Some(t),
                });
            }
        }
    }

    fn check_assign_sinks(&mut self, target: &Expr, v: &Val, st: &State, span: Span) {
        let lang = self.lang;
        // Cheap reject on the written name (`x`, `el.innerHTML`) before building paths; a
        // variable whose whole path has a known type resolves to that type's name instead.
        let last = match target {
            Expr::Name(n, _) => n.as_str(),
            Expr::Attr { name, .. } => name.as_str(),
            _ => return,
        };
        let typed_last = match target {
            Expr::Name(n, _) => match st.types.get(n) {
                Some(t) => Some(last_seg(t)),
                None if !st.has(n) => Some(last_seg(self.import_of(n))),
                None => None,
            },
            _ => None,
        };
        let may = |idx: &PatIndex| {
            idx.may_match_last(last) || typed_last.is_some_and(|t| idx.may_match_last(t))
        };
        if !may(&lang.assign_sink_idx) && !may(&lang.assign_pattern_idx) {
            return;
        }
        let Some(raw) = target.path() else { return };
        let resolved = self.resolve_path(&raw, st);
        for &i in lang.assign_sink_idx.candidates(&resolved, &raw).iter() {
            let sink = &lang.sinks[i];
            if path_matches(&sink.spec.pattern, &resolved) || path_matches(&sink.spec.pattern, &raw)
            {
                let bit = lang.rule_bits[sink.rule];
                if let Some(t) = v
                    .taint()
                    .filter(|t| t.sanitized & bit == 0 && sink.spec.accepts_kind(&t.kind))
                {
                    self.hits.push(Hit {
                        rule: sink.rule,
                        span,
                        sink: raw.clone(),
                        taint: Some(t),
                    });
                }
            }
        }
        for &i in lang.assign_pattern_idx.candidates(&resolved, &raw).iter() {
            let p = &lang.patterns[i];
            if path_matches(&p.spec.pattern, &resolved) || path_matches(&p.spec.pattern, &raw) {
                let ok = match (&p.spec.value, v.as_const()) {
                    (Some(want), Some(l)) => l.text().eq_ignore_ascii_case(want),
                    (None, _) => true,
                    _ => false,
                };
                if ok {
                    self.hits.push(Hit {
                        rule: p.rule,
                        span,
                        sink: raw.clone(),
                        taint: None,
                    });
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_patterns(
        &mut self,
        resolved: &str,
        raw: &str,
        argv: &[Val],
        kwv: &[(String, Val)],
        args: &[Expr],
        st: &State,
        span: Span,
    ) {
        let lang = self.lang;
        for &i in lang.pattern_idx.candidates(resolved, raw).iter() {
            let p = &self.lang.patterns[i];
            if p.spec.assign || p.spec.function {
                continue;
            }
            if let Some(shape) = &p.spec.lambda_body {
                let i = p.spec.arg.unwrap_or(0);
                let ok = match args.get(i) {
                    Some(Expr::Lambda(fi, _)) => self
                        .module
                        .functions
                        .get(*fi)
                        .is_some_and(|f| body_is(f, shape)),
                    _ => false,
                };
                if !ok {
                    continue;
                }
            }
            if let Some(cond) = &p.unless {
                let i = p.spec.arg.unwrap_or(0);
                if args
                    .get(i)
                    .and_then(chain_root)
                    .is_some_and(|r| called(st, &r, cond))
                {
                    continue;
                }
            }
            if !(path_matches(&p.spec.pattern, resolved) || path_matches(&p.spec.pattern, raw)) {
                continue;
            }
            if let (Some(i), Some(re)) = (p.spec.arg, &p.regex) {
                let ok = argv
                    .get(i)
                    .and_then(Val::as_const)
                    .is_some_and(|l| re.is_match(&l.text()));
                if !ok {
                    continue;
                }
            }
            if let Some(cond) = &p.spec.kwarg {
                let ok = kwv.iter().any(|(k, v)| {
                    k == &cond.name
                        && v.as_const()
                            .is_some_and(|l| l.text().eq_ignore_ascii_case(&cond.equals))
                });
                if !ok {
                    continue;
                }
            }
            if let Some(k) = &p.spec.missing_kwarg {
                if kwv.iter().any(|(n, _)| n == k) {
                    continue;
                }
            }
            self.hits.push(Hit {
                rule: p.rule,
                span,
                sink: raw.to_string(),
                taint: None,
            });
        }
    }
}

fn lit_eq(a: &Lit, b: &Lit) -> bool {
    match (a, b) {
        (Lit::Num(x), Lit::Num(y)) => (x - y).abs() < f64::EPSILON,
        (Lit::Str(x), Lit::Num(y)) | (Lit::Num(y), Lit::Str(x)) => {
            // Java `switch (c)` on a char compared with a char literal lowered as a string.
            x.chars().count() == 1 && x.chars().next().map(|c| c as u32 as f64) == Some(*y)
        }
        _ => a == b,
    }
}

fn summarize(items: &[Val]) -> Val {
    let mut acc = Val::Unknown;
    for v in items {
        acc = join(&acc, &v.flatten());
    }
    acc
}

fn has_key(map: &Val, key: &Val) -> bool {
    match (map, key.as_const()) {
        (Val::Map(slots, _), Some(k)) => {
            let k = k.text();
            slots.iter().any(|(s, _)| *s == k)
        }
        _ => false,
    }
}

/// `base[key]`
fn load(base: &Val, key: &Val) -> Val {
    match base {
        Val::List(items) => match key.as_const() {
            Some(Lit::Num(n)) => {
                let i = *n as i64;
                let i = if i < 0 { items.len() as i64 + i } else { i };
                if i >= 0 && (i as usize) < items.len() {
                    items[i as usize].clone()
                } else {
                    Val::Unknown
                }
            }
            _ => summarize(items),
        },
        Val::Map(slots, other) => match key.as_const() {
            Some(k) => {
                let k = k.text();
                slots
                    .iter()
                    .rev()
                    .find(|(s, _)| *s == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| (**other).clone())
            }
            None => {
                let mut acc = (**other).clone();
                for (_, v) in slots {
                    acc = join(&acc, v);
                }
                acc.flatten()
            }
        },
        Val::Const(Lit::Str(s)) => match key.as_const() {
            Some(Lit::Num(n)) if *n >= 0.0 => s
                .chars()
                .nth(*n as usize)
                .map(|c| Val::str(c.to_string()))
                .unwrap_or(Val::Unknown),
            _ => Val::Unknown,
        },
        other => other.flatten(),
    }
}

/// `base[key] = v`
fn store(base: Val, key: &Val, v: Val) -> Val {
    match base {
        Val::List(mut items) => match key.as_const() {
            Some(Lit::Num(n)) if *n >= 0.0 && (*n as usize) < items.len() => {
                items[*n as usize] = v;
                Val::List(items)
            }
            _ => {
                items.push(v);
                summarize(&items)
            }
        },
        Val::Map(mut slots, other) => match key.as_const() {
            Some(k) => {
                let k = k.text();
                slots.retain(|(s, _)| *s != k);
                slots.push((k, v));
                Val::Map(slots, other)
            }
            None => Val::Map(slots, Box::new(join(&other, &v))),
        },
        Val::Unknown | Val::Const(_) => match key.as_const() {
            Some(k) => Val::Map(vec![(k.text(), v)], Box::new(Val::Unknown)),
            None => v.flatten(),
        },
        t @ Val::Taint(_) => join(&t, &v),
    }
}

fn num(v: &Val) -> Option<f64> {
    match v.as_const()? {
        Lit::Num(n) => Some(*n),
        Lit::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn binary(op: BinOp, l: &Val, r: &Val) -> Val {
    if let (Some(a), Some(b)) = (l.as_const(), r.as_const()) {
        let folded = match (op, a, b) {
            (BinOp::Add, Lit::Str(x), y) => Some(Lit::Str(format!("{x}{}", y.text()))),
            (BinOp::Add, x, Lit::Str(y)) => Some(Lit::Str(format!("{}{y}", x.text()))),
            (BinOp::Mod, Lit::Str(x), y) => Some(Lit::Str(x.replacen("%s", &y.text(), 1))),
            (BinOp::Eq, x, y) => Some(Lit::Bool(lit_eq(x, y))),
            (BinOp::Ne, x, y) => Some(Lit::Bool(!lit_eq(x, y))),
            (BinOp::And, x, y) => match (x.truthy(), y.truthy()) {
                (Some(p), Some(q)) => Some(Lit::Bool(p && q)),
                _ => None,
            },
            (BinOp::Or, x, y) => match (x.truthy(), y.truthy()) {
                (Some(p), Some(q)) => Some(Lit::Bool(p || q)),
                _ => None,
            },
            _ => None,
        };
        if let Some(f) = folded {
            return Val::Const(f);
        }
        if let (Some(x), Some(y)) = (num(l), num(r)) {
            let v = match op {
                BinOp::Add => Some(Lit::Num(x + y)),
                BinOp::Sub => Some(Lit::Num(x - y)),
                BinOp::Mul => Some(Lit::Num(x * y)),
                BinOp::Div if y != 0.0 => Some(Lit::Num(x / y)),
                BinOp::Mod if y != 0.0 => Some(Lit::Num(x % y)),
                BinOp::Lt => Some(Lit::Bool(x < y)),
                BinOp::Le => Some(Lit::Bool(x <= y)),
                BinOp::Gt => Some(Lit::Bool(x > y)),
                BinOp::Ge => Some(Lit::Bool(x >= y)),
                _ => None,
            };
            if let Some(v) = v {
                return Val::Const(v);
            }
        }
    }
    // Short-circuit with a constant side.
    match (
        op,
        l.as_const().and_then(Lit::truthy),
        r.as_const().and_then(Lit::truthy),
    ) {
        (BinOp::And, Some(false), _) | (BinOp::And, _, Some(false)) => {
            return Val::Const(Lit::Bool(false))
        }
        (BinOp::Or, Some(true), _) | (BinOp::Or, _, Some(true)) => {
            return Val::Const(Lit::Bool(true))
        }
        _ => {}
    }
    match op {
        BinOp::Eq
        | BinOp::Ne
        | BinOp::Lt
        | BinOp::Le
        | BinOp::Gt
        | BinOp::Ge
        | BinOp::And
        | BinOp::Or
        | BinOp::In
        | BinOp::NotIn => Val::Unknown,
        _ => join(&l.flatten(), &r.flatten()),
    }
}

/// Constant folding of common string methods on a constant receiver.
fn fold_method(recv: &Lit, method: &str, argv: &[Val]) -> Option<Val> {
    let s = match recv {
        Lit::Str(s) => s,
        _ => return None,
    };
    let n = |i: usize| argv.get(i).and_then(num).map(|x| x as i64);
    let chars: Vec<char> = s.chars().collect();
    let out = match method {
        "charAt" => n(0)
            .and_then(|i| chars.get(i as usize))
            .map(|c| Lit::Str(c.to_string())),
        "substring" | "slice" | "substr" => {
            let a = n(0)?.clamp(0, chars.len() as i64) as usize;
            let b = match argv.get(1) {
                Some(v) => num(v)? as i64,
                None => chars.len() as i64,
            }
            .clamp(a as i64, chars.len() as i64) as usize;
            Some(Lit::Str(chars[a..b].iter().collect()))
        }
        "length" | "len" | "size" => Some(Lit::Num(chars.len() as f64)),
        "toUpperCase" | "upper" => Some(Lit::Str(s.to_uppercase())),
        "toLowerCase" | "lower" => Some(Lit::Str(s.to_lowercase())),
        "trim" | "strip" => Some(Lit::Str(s.trim().to_string())),
        "toString" | "intern" => Some(Lit::Str(s.clone())),
        "equals" | "equalsIgnoreCase" => match argv.first().and_then(Val::as_const) {
            Some(Lit::Str(o)) => Some(Lit::Bool(if method == "equals" {
                s == o
            } else {
                s.eq_ignore_ascii_case(o)
            })),
            _ => return Some(Val::Unknown),
        },
        "startsWith" | "startswith" => match argv.first().and_then(Val::as_const) {
            Some(Lit::Str(o)) => Some(Lit::Bool(s.starts_with(o.as_str()))),
            _ => None,
        },
        "contains" => match argv.first().and_then(Val::as_const) {
            Some(Lit::Str(o)) => Some(Lit::Bool(s.contains(o.as_str()))),
            _ => None,
        },
        _ => None,
    };
    out.map(Val::Const)
}

/// Folding of well-known pure functions with constant arguments.
fn fold_function(raw: &str, argv: &[Val]) -> Option<Val> {
    let last = raw.rsplit('.').next().unwrap_or(raw);
    match (raw, last, argv.first().and_then(Val::as_const)) {
        (_, "valueOf" | "toString", Some(l)) if raw.starts_with("String") => {
            Some(Val::str(l.text()))
        }
        (_, "parseInt" | "valueOf", Some(Lit::Str(s))) if raw.starts_with("Integer") => s
            .trim()
            .parse::<f64>()
            .ok()
            .map(|n| Val::Const(Lit::Num(n))),
        ("str", _, Some(l)) => Some(Val::str(l.text())),
        ("int", _, Some(Lit::Str(s))) => s
            .trim()
            .parse::<f64>()
            .ok()
            .map(|n| Val::Const(Lit::Num(n.trunc()))),
        _ => None,
    }
}

/// Whether `method` was called on `var` with arguments matching the condition.
fn called(st: &State, var: &str, cond: &(String, Option<regex::Regex>)) -> bool {
    st.calls.get(var).is_some_and(|h| {
        h.iter()
            .any(|(m, args)| m == &cond.0 && cond.1.as_ref().is_none_or(|re| re.is_match(args)))
    })
}

/// Function-shape checks for patterns: `empty` body, or `returns-true` (only `return true`).
fn body_is(f: &Function, shape: &str) -> bool {
    match shape {
        "empty" => f.body.is_empty(),
        "returns-true" => {
            !f.body.is_empty()
                && f.body
                    .iter()
                    .all(|s| matches!(s, Stmt::Return(Some(Expr::Bool(true, _)), _)))
        }
        _ => false,
    }
}
