//! Python front-end: tree-sitter-python syntax tree → IR.
//!
//! Besides the plain lowering, a few Python semantics are made explicit so that the
//! language-neutral engine sees them:
//! - `a or b` / `a and b` in value position yield one of their operands (not a bool), so they
//!   lower to a conditional (simple operands) or to `Other` (taint flows from both);
//! - comprehensions bind their loop variables by substitution: in `[f(x) for x in xs]` the
//!   element becomes `f(xs[?])`;
//! - `obj[k] = v` also calls `obj.__setitem__(k, v)` (what Python does), so rules can name
//!   subscript stores (`session["user"] = ...`, `resp.headers["Location"] = ...`);
//! - Flask view functions hand their return value to `flask.make_response`, so a returned
//!   HTML string is checked like an explicit response body;
//! - route-handler parameters (Flask URL variables, FastAPI path/query parameters) carry the
//!   annotation `route_param`; FastAPI `Query(...)`/`Path(...)`/`Body(...)`/`Header(...)`/
//!   `Cookie(...)`/`Form(...)`/`File(...)` defaults and `Annotated[T, Query()]` carry the
//!   marker's name;
//! - module-level and class-level assignments to UPPER_CASE names are also recorded as
//!   attribute stores (`__module__.DEBUG = True`, `Config.DEBUG = True`) so that settings
//!   patterns (`*.DEBUG = True`) can match them.

use super::super::ir::{BinOp, Case, Expr, Function, Module, Param, Span, Stmt, UnOp};
use super::FieldExt;
use super::{all_children, named_children as named, span, text};
use tree_sitter::{Node, Tree};

/// Deepest syntax nesting lowered; below it expressions become `Other([])`.
const MAX_DEPTH: usize = 200;
/// Deepest statement nesting lowered (blocks inside blocks); deeper statements are dropped.
const MAX_STMT_DEPTH: usize = 64;
/// Longest operator chain (`a + b + c ...`) kept as nested binaries; longer ones are flattened.
const MAX_CHAIN: usize = 64;
/// Expression nodes comprehension substitution may copy per file.
const CLONE_BUDGET: usize = 200_000;

/// FastAPI parameter markers.
pub(crate) const FASTAPI_MARKERS: &[&str] = &[
    "Query", "Path", "Body", "Header", "Cookie", "Form", "File", "Depends", "Security",
];
/// Declared types whose values a framework has already validated into non-strings.
const SCALAR_TYPES: &[&str] = &[
    "int",
    "float",
    "bool",
    "complex",
    "UUID",
    "uuid.UUID",
    "datetime",
    "date",
    "time",
    "timedelta",
    "Decimal",
    "PositiveInt",
    "NegativeInt",
    "conint",
    "confloat",
];
/// FastAPI parameter types that are framework objects, not request values.
const FRAMEWORK_TYPES: &[&str] = &[
    "Request",
    "Response",
    "WebSocket",
    "BackgroundTasks",
    "HTTPConnection",
    "Session",
    "AsyncSession",
    "SecurityScopes",
    "HTTPAuthorizationCredentials",
    "UploadFile",
];
pub(crate) const HTTP_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "options",
    "head",
    "trace",
    "api_route",
    "websocket",
];

pub fn lower(tree: &Tree, src: &[u8]) -> Module {
    let root = tree.root_node();
    let mut cx = Cx {
        src,
        module: Module::default(),
        depth: 0,
        stmt_depth: 0,
        pre: Vec::new(),
        subst: Vec::new(),
        cond_ctx: false,
        flask_view: false,
        fastapi: false,
        flask: false,
        lambda_name: None,
        clone_budget: CLONE_BUDGET,
        classes: Vec::new(),
    };
    cx.classes = class_names(root, src);
    // Imports first: framework detection and FastAPI marker resolution need them.
    for c in named(root) {
        if matches!(c.kind(), "import_statement" | "import_from_statement") {
            cx.import(c);
        }
    }
    cx.fastapi = cx
        .module
        .imports
        .iter()
        .any(|(_, f)| f == "fastapi" || f.starts_with("fastapi."));
    cx.flask = cx
        .module
        .imports
        .iter()
        .any(|(_, f)| f == "flask" || f.starts_with("flask."));
    let mut body = Vec::new();
    for c in named(root) {
        cx.stmt(c, &mut body, Scope::Module);
    }
    cx.module.top = Function {
        name: "<module>".into(),
        params: Vec::new(),
        body,
        decorators: Vec::new(),
        span: span(root),
    };
    cx.module.imports.dedup();
    cx.module
}

/// Where a statement sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope<'s> {
    Module,
    Class(&'s str),
    Function,
}

/// Named children without comments.
fn field<'t>(n: Node<'t>, f: &'static str) -> Option<Node<'t>> {
    n.field(f)
}

fn fields<'t>(n: Node<'t>, f: &str) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.children_by_field_name(f, &mut c).collect()
}

fn other(sp: Span) -> Expr {
    Expr::Other(Vec::new(), sp)
}

/// Cheap to evaluate twice (names, attribute chains, literals).
fn is_simple(e: &Expr) -> bool {
    match e {
        Expr::Name(..) | Expr::Str(..) | Expr::Num(..) | Expr::Bool(..) | Expr::Null(_) => true,
        Expr::Attr { obj, .. } => is_simple(obj),
        _ => false,
    }
}

fn expr_size(e: &Expr) -> usize {
    let mut n = 0;
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        n += 1;
        match e {
            Expr::Attr { obj, .. } => stack.push(obj),
            Expr::Index { obj, index, .. } => {
                stack.push(obj);
                stack.push(index);
            }
            Expr::Call {
                func, args, kwargs, ..
            } => {
                stack.push(func);
                stack.extend(args.iter());
                stack.extend(kwargs.iter().map(|(_, v)| v));
            }
            Expr::New { args, .. } => stack.extend(args.iter()),
            Expr::Binary { left, right, .. } => {
                stack.push(left);
                stack.push(right);
            }
            Expr::Unary { expr, .. } => stack.push(expr),
            Expr::Cond {
                cond, then, els, ..
            } => {
                stack.push(cond);
                stack.push(then);
                stack.push(els);
            }
            Expr::Concat(items, _) | Expr::List(items, _) | Expr::Other(items, _) => {
                stack.extend(items.iter())
            }
            Expr::Dict(pairs, _) => {
                for (k, v) in pairs {
                    stack.push(k);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
    n
}

fn binop(op: &str) -> BinOp {
    match op {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Mod,
        "==" | "is" => BinOp::Eq,
        "!=" | "<>" | "is not" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "and" => BinOp::And,
        "or" => BinOp::Or,
        "in" => BinOp::In,
        "not in" => BinOp::NotIn,
        _ => BinOp::Other,
    }
}

/// Decode the escapes of a (non-raw) Python string body.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = it.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut hex = String::new();
                for _ in 0..n {
                    match it.peek() {
                        Some(h) if h.is_ascii_hexdigit() => {
                            hex.push(*h);
                            it.next();
                        }
                        _ => break,
                    }
                }
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == n => out.push(ch),
                    _ => {
                        out.push('\\');
                        out.push(e);
                        out.push_str(&hex);
                    }
                }
            }
            '0'..='7' => {
                let mut oct = String::from(e);
                for _ in 0..2 {
                    match it.peek() {
                        Some(h) if ('0'..='7').contains(h) => {
                            oct.push(*h);
                            it.next();
                        }
                        _ => break,
                    }
                }
                match u32::from_str_radix(&oct, 8).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&oct),
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

fn parse_int(t: &str) -> Option<f64> {
    let t = t.replace('_', "");
    let t = t.trim_end_matches(['l', 'L']);
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = if let Some(r) = lower.strip_prefix("0x") {
        (r.to_string(), 16)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (r.to_string(), 8)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (r.to_string(), 2)
    } else {
        (lower, 10)
    };
    i128::from_str_radix(&digits, radix).ok().map(|v| v as f64)
}

/// Strip `Optional[...]`, `... | None` and quotes from a type annotation.
fn core_type(t: &str) -> String {
    let mut t = t.trim().trim_matches(['"', '\'']).to_string();
    for opt in ["Optional[", "typing.Optional["] {
        if let Some(r) = t.strip_prefix(opt) {
            t = r.trim_end_matches(']').to_string();
        }
    }
    let parts: Vec<&str> = t
        .split('|')
        .map(str::trim)
        .filter(|p| *p != "None")
        .collect();
    if parts.len() == 1 {
        parts[0].to_string()
    } else {
        t
    }
}

/// The first type argument of `Annotated[T, ...]`.
fn annotated_inner(t: &str) -> Option<String> {
    let t = t.trim();
    let rest = t
        .strip_prefix("Annotated[")
        .or_else(|| t.strip_prefix("typing.Annotated["))
        .or_else(|| t.strip_prefix("typing_extensions.Annotated["))?;
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' if depth == 0 => return Some(rest[..i].trim().to_string()),
            ']' | ')' => depth -= 1,
            ',' if depth == 0 => return Some(rest[..i].trim().to_string()),
            _ => {}
        }
    }
    None
}

/// Flask route converters: `/u/<int:uid>/<path:p>` → [("uid", "int"), ("p", "path")].
fn route_converters(route: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = route;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else { break };
        let inner = &after[..end];
        let (conv, name) = match inner.split_once(':') {
            Some((c, n)) => (c.split('(').next().unwrap_or(c).trim(), n.trim()),
            None => ("string", inner.trim()),
        };
        out.push((name.to_string(), conv.to_string()));
        rest = &after[end + 1..];
    }
    out
}

/// Route information of a decorated function.
#[derive(Default)]
struct Route {
    flask: bool,
    fastapi: bool,
    converters: Vec<(String, String)>,
}

struct Cx<'s> {
    src: &'s [u8],
    module: Module,
    depth: usize,
    stmt_depth: usize,
    /// Statements hoisted out of the current expression (walrus bindings).
    pre: Vec<Stmt>,
    /// Comprehension variables: name → element expression.
    subst: Vec<(String, Expr)>,
    /// Lowering a branch condition (boolean operators keep their boolean meaning).
    cond_ctx: bool,
    /// Inside a Flask view: returns go through `flask.make_response`.
    flask_view: bool,
    fastapi: bool,
    flask: bool,
    /// Name for the next lambda (`f = lambda x: ...`).
    lambda_name: Option<String>,
    clone_budget: usize,
    /// Classes defined in this file.
    classes: Vec<String>,
}

impl<'s> Cx<'s> {
    fn t(&self, n: Node<'_>) -> &'s str {
        text(n, self.src)
    }

    fn resolve(&self, name: &str) -> String {
        let (root, rest) = match name.split_once('.') {
            Some((r, rest)) => (r, Some(rest)),
            None => (name, None),
        };
        let full = self.module.resolve_import(root).to_string();
        match rest {
            Some(r) => format!("{full}.{r}"),
            None => full,
        }
    }

    // ----- imports -----------------------------------------------------------------------

    fn import(&mut self, n: Node<'_>) {
        match n.kind() {
            "import_statement" => {
                for name in fields(n, "name") {
                    if name.kind() == "aliased_import" {
                        if let (Some(full), Some(alias)) =
                            (field(name, "name"), field(name, "alias"))
                        {
                            let pair = (self.t(alias).to_string(), self.t(full).to_string());
                            self.push_import(pair);
                        }
                    } else {
                        let full = self.t(name);
                        let first = full.split('.').next().unwrap_or(full);
                        self.push_import((first.to_string(), first.to_string()));
                    }
                }
            }
            "import_from_statement" => {
                let module = field(n, "module_name")
                    .map(|m| self.t(m).trim_start_matches('.').to_string())
                    .unwrap_or_default();
                let join = |m: &str, x: &str| {
                    if m.is_empty() {
                        x.to_string()
                    } else {
                        format!("{m}.{x}")
                    }
                };
                for name in fields(n, "name") {
                    if name.kind() == "aliased_import" {
                        if let (Some(full), Some(alias)) =
                            (field(name, "name"), field(name, "alias"))
                        {
                            let pair = (self.t(alias).to_string(), join(&module, self.t(full)));
                            self.push_import(pair);
                        }
                    } else {
                        let x = self.t(name);
                        let local = x.rsplit('.').next().unwrap_or(x).to_string();
                        let pair = (local, join(&module, x));
                        self.push_import(pair);
                    }
                }
            }
            _ => {}
        }
    }

    fn push_import(&mut self, pair: (String, String)) {
        if pair.0.is_empty() || self.module.imports.contains(&pair) {
            return;
        }
        self.module.imports.push(pair);
    }

    // ----- statements --------------------------------------------------------------------

    fn block(&mut self, n: Option<Node<'_>>, scope: Scope<'_>) -> Vec<Stmt> {
        let mut out = Vec::new();
        if let Some(n) = n {
            let saved = std::mem::take(&mut self.pre);
            for c in named(n) {
                self.stmt(c, &mut out, scope);
            }
            self.pre = saved;
        }
        out
    }

    /// Flush hoisted statements, then push `s`.
    fn emit(&mut self, out: &mut Vec<Stmt>, s: Stmt) {
        out.append(&mut self.pre);
        out.push(s);
    }

    fn stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>, scope: Scope<'_>) {
        if self.depth >= MAX_DEPTH || self.stmt_depth >= MAX_STMT_DEPTH {
            return;
        }
        self.depth += 1;
        self.stmt_depth += 1;
        self.stmt_inner(n, out, scope);
        self.stmt_depth -= 1;
        self.depth -= 1;
        out.append(&mut self.pre);
    }

    #[inline(never)]
    fn stmt_inner(&mut self, n: Node<'_>, out: &mut Vec<Stmt>, scope: Scope<'_>) {
        let sp = span(n);
        match n.kind() {
            "expression_statement" => {
                for c in named(n) {
                    match c.kind() {
                        "assignment" => self.assignment(c, out, scope),
                        "augmented_assignment" => self.augmented(c, out),
                        _ => {
                            let e = self.expr(c);
                            self.emit(out, Stmt::Expr(e));
                        }
                    }
                }
            }
            "return_statement" => {
                let value = named(n).first().map(|c| self.expr(*c));
                let value = match value {
                    Some(v) if self.flask_view => Some(self.flask_response(v)),
                    v => v,
                };
                self.emit(out, Stmt::Return(value, sp));
            }
            "if_statement" => {
                let s = self.if_stmt(n);
                self.emit(out, s);
            }
            "for_statement" => self.for_stmt(n, out, sp),
            "while_statement" => self.while_stmt(n, out, sp),
            "try_statement" => self.try_stmt(n, out, sp),
            "with_statement" => self.with_stmt(n, out, sp),
            "match_statement" => {
                let s = self.match_stmt(n);
                self.emit(out, s);
            }
            "raise_statement" => out.push(Stmt::Jump(sp)),
            "break_statement" => out.push(Stmt::Break(sp)),
            "continue_statement" => out.push(Stmt::Continue(sp)),
            "import_statement" | "import_from_statement" => self.import(n),
            "assert_statement" => {
                for c in named(n) {
                    let e = self.cond(c);
                    self.emit(out, Stmt::Expr(e));
                }
            }
            "print_statement" => {
                let args: Vec<Expr> = named(n).into_iter().map(|c| self.expr(c)).collect();
                self.emit(out, Stmt::Expr(Expr::Other(args, sp)));
            }
            "exec_statement" => {
                let args: Vec<Expr> = named(n).into_iter().map(|c| self.expr(c)).collect();
                let call = Expr::Call {
                    func: Box::new(Expr::Name("exec".into(), sp)),
                    args,
                    kwargs: Vec::new(),
                    span: sp,
                };
                self.emit(out, Stmt::Expr(call));
            }
            "function_definition" => {
                self.function(n, Vec::new(), scope);
            }
            "class_definition" => self.class(n, Vec::new(), out),
            "decorated_definition" => {
                let decos: Vec<Node<'_>> = named(n)
                    .into_iter()
                    .filter(|c| c.kind() == "decorator")
                    .collect();
                if let Some(def) = field(n, "definition") {
                    match def.kind() {
                        "function_definition" => {
                            self.function(def, decos, scope);
                        }
                        "class_definition" => self.class(def, decos, out),
                        _ => {}
                    }
                }
            }
            "block" => {
                let b = self.block(Some(n), scope);
                out.extend(b);
            }
            "ERROR" => {
                // Recover the statements a syntax error left intact.
                for c in named(n) {
                    if c.kind().ends_with("_statement") || c.kind().ends_with("_definition") {
                        self.stmt(c, out, scope);
                    }
                }
            }
            _ => {}
        }
    }

    #[inline(never)]
    fn for_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>, sp: Span) {
        let iter = field(n, "right").map_or_else(|| other(sp), |r| self.expr(r));
        let target = field(n, "left").map_or_else(|| other(sp), |l| self.target(l));
        let mut pre = std::mem::take(&mut self.pre);
        let elem = Expr::Index {
            obj: Box::new(iter),
            index: Box::new(other(sp)),
            span: sp,
        };
        let init = vec![Stmt::Assign {
            targets: vec![target],
            value: elem,
            decl_type: None,
            span: sp,
        }];
        let body = self.block(field(n, "body"), Scope::Function);
        out.append(&mut pre);
        out.push(Stmt::Loop {
            init,
            body,
            span: sp,
        });
        if let Some(alt) = field(n, "alternative") {
            let els = self.block(field(alt, "body"), Scope::Function);
            out.extend(els);
        }
    }

    #[inline(never)]
    fn while_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>, sp: Span) {
        let cond = field(n, "condition").map_or_else(|| other(sp), |c| self.cond(c));
        let pre = std::mem::take(&mut self.pre);
        let body = self.block(field(n, "body"), Scope::Function);
        let mut inner = pre;
        inner.push(Stmt::If {
            cond,
            then: body,
            els: vec![Stmt::Jump(sp)],
            span: sp,
        });
        out.push(Stmt::Loop {
            init: Vec::new(),
            body: inner,
            span: sp,
        });
        if let Some(alt) = field(n, "alternative") {
            let els = self.block(field(alt, "body"), Scope::Function);
            out.extend(els);
        }
    }

    #[inline(never)]
    fn try_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>, sp: Span) {
        let mut body = self.block(field(n, "body"), Scope::Function);
        let mut handlers = Vec::new();
        let mut finally = Vec::new();
        for c in named(n) {
            match c.kind() {
                "except_clause" | "except_group_clause" => {
                    let mut h = Vec::new();
                    if let Some(alias) = field(c, "alias") {
                        let t = self.target(alias);
                        h.push(Stmt::Assign {
                            targets: vec![t],
                            value: other(span(alias)),
                            decl_type: None,
                            span: span(alias),
                        });
                    }
                    for b in named(c) {
                        if b.kind() == "block" {
                            h.extend(self.block(Some(b), Scope::Function));
                        }
                    }
                    handlers.push(h);
                }
                "else_clause" => body.extend(self.block(field(c, "body"), Scope::Function)),
                "finally_clause" => {
                    for b in named(c) {
                        if b.kind() == "block" {
                            finally.extend(self.block(Some(b), Scope::Function));
                        }
                    }
                }
                _ => {}
            }
        }
        out.push(Stmt::Try {
            body,
            handlers,
            finally,
            span: sp,
        });
    }

    #[inline(never)]
    fn with_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>, sp: Span) {
        for clause in named(n) {
            if clause.kind() != "with_clause" {
                continue;
            }
            for item in named(clause) {
                let Some(v) = field(item, "value") else {
                    continue;
                };
                if v.kind() == "as_pattern" {
                    let parts = named(v);
                    let value = parts.first().map_or_else(|| other(sp), |e| self.expr(*e));
                    match field(v, "alias").and_then(|a| named(a).first().copied()) {
                        Some(t) => {
                            let target = self.target(t);
                            self.emit(
                                out,
                                Stmt::Assign {
                                    targets: vec![target],
                                    value,
                                    decl_type: None,
                                    span: span(item),
                                },
                            );
                        }
                        None => self.emit(out, Stmt::Expr(value)),
                    }
                } else {
                    let e = self.expr(v);
                    self.emit(out, Stmt::Expr(e));
                }
            }
        }
        let body = self.block(field(n, "body"), Scope::Function);
        out.extend(body);
    }

    fn if_stmt(&mut self, n: Node<'_>) -> Stmt {
        let sp = span(n);
        let cond = field(n, "condition").map_or_else(|| other(sp), |c| self.cond(c));
        let mut pre = std::mem::take(&mut self.pre);
        let then = self.block(field(n, "consequence"), Scope::Function);
        // elif/else chain, innermost first.
        let alts = fields(n, "alternative");
        let mut els: Vec<Stmt> = Vec::new();
        for alt in alts.iter().rev() {
            match alt.kind() {
                "else_clause" => els = self.block(field(*alt, "body"), Scope::Function),
                "elif_clause" => {
                    let asp = span(*alt);
                    let c = field(*alt, "condition").map_or_else(|| other(asp), |c| self.cond(c));
                    let mut p = std::mem::take(&mut self.pre);
                    let t = self.block(field(*alt, "consequence"), Scope::Function);
                    let inner = Stmt::If {
                        cond: c,
                        then: t,
                        els: std::mem::take(&mut els),
                        span: asp,
                    };
                    p.push(inner);
                    els = p;
                }
                _ => {}
            }
        }
        let s = Stmt::If {
            cond,
            then,
            els,
            span: sp,
        };
        if pre.is_empty() {
            s
        } else {
            pre.push(s);
            Stmt::Block(pre)
        }
    }

    fn match_stmt(&mut self, n: Node<'_>) -> Stmt {
        let sp = span(n);
        let subject = field(n, "subject").map_or_else(|| other(sp), |s| self.expr(s));
        let mut cases = Vec::new();
        let clauses: Vec<Node<'_>> = field(n, "body")
            .map(|b| {
                named(b)
                    .into_iter()
                    .filter(|c| c.kind() == "case_clause")
                    .collect()
            })
            .unwrap_or_default();
        for clause in clauses {
            let mut labels = Vec::new();
            let mut binds: Vec<String> = Vec::new();
            let mut wildcard = false;
            for pat in named(clause)
                .into_iter()
                .filter(|c| c.kind() == "case_pattern")
            {
                let inner = named(pat);
                if inner.is_empty() {
                    // `case _:`
                    wildcard = true;
                    continue;
                }
                for p in inner {
                    self.case_labels(p, &mut labels, &mut binds, &mut wildcard);
                }
            }
            let guarded = field(clause, "guard").is_some();
            if guarded && (wildcard || labels.is_empty()) {
                labels = vec![other(span(clause))];
            } else if wildcard {
                labels.clear();
            }
            let mut body = Vec::new();
            for b in binds {
                body.push(Stmt::Assign {
                    targets: vec![Expr::Name(b, span(clause))],
                    value: subject.clone(),
                    decl_type: None,
                    span: span(clause),
                });
            }
            body.extend(self.block(field(clause, "consequence"), Scope::Function));
            cases.push(Case {
                labels,
                body,
                fallthrough: false,
            });
        }
        Stmt::Switch {
            subject,
            cases,
            span: sp,
        }
    }

    fn case_labels(
        &mut self,
        p: Node<'_>,
        labels: &mut Vec<Expr>,
        binds: &mut Vec<String>,
        wildcard: &mut bool,
    ) {
        match p.kind() {
            "string" | "concatenated_string" | "integer" | "float" | "true" | "false" | "none" => {
                labels.push(self.expr(p));
            }
            "union_pattern" => {
                for c in named(p) {
                    self.case_labels(c, labels, binds, wildcard);
                }
            }
            "dotted_name" => {
                let t = self.t(p);
                if t == "_" {
                    *wildcard = true;
                } else if t.contains('.') {
                    labels.push(other(span(p)));
                } else {
                    binds.push(t.to_string());
                    *wildcard = true;
                }
            }
            "as_pattern" => {
                let parts = named(p);
                if let Some(first) = parts.first() {
                    let inner: Vec<Node<'_>> = if first.kind() == "case_pattern" {
                        named(*first)
                    } else {
                        vec![*first]
                    };
                    for c in inner {
                        self.case_labels(c, labels, binds, wildcard);
                    }
                }
                if let Some(alias) = field(p, "alias") {
                    binds.push(self.t(alias).trim().to_string());
                }
            }
            "case_pattern" => {
                for c in named(p) {
                    self.case_labels(c, labels, binds, wildcard);
                }
            }
            _ => labels.push(other(span(p))),
        }
    }

    fn assignment(&mut self, n: Node<'_>, out: &mut Vec<Stmt>, scope: Scope<'_>) {
        let sp = span(n);
        // `a = b = value`: collect the chain of targets.
        let mut target_nodes = Vec::new();
        let mut cur = n;
        let mut decl_type = None;
        let value_node = loop {
            if let Some(l) = field(cur, "left") {
                target_nodes.push(l);
            }
            if decl_type.is_none() {
                decl_type = field(cur, "type").map(|t| self.t(t).to_string());
            }
            match field(cur, "right") {
                Some(r) if r.kind() == "assignment" => cur = r,
                other => break other,
            }
        };
        let Some(value_node) = value_node else {
            return; // bare annotation `x: int`
        };
        if value_node.kind() == "augmented_assignment" {
            self.augmented(value_node, out);
            return;
        }
        if value_node.kind() == "lambda"
            && target_nodes.len() == 1
            && target_nodes[0].kind() == "identifier"
        {
            self.lambda_name = Some(self.t(target_nodes[0]).to_string());
        }
        let value = self.expr(value_node);
        self.lambda_name = None;
        let mut targets = Vec::new();
        for t in target_nodes {
            let te = self.target(t);
            match (&te, scope) {
                (Expr::Name(name, tsp), Scope::Class(class)) => {
                    targets.push(Expr::Attr {
                        obj: Box::new(Expr::Name(class.to_string(), *tsp)),
                        name: name.clone(),
                        span: *tsp,
                    });
                }
                (Expr::Name(name, tsp), Scope::Module) if is_setting_name(name) => {
                    targets.push(te.clone());
                    targets.push(Expr::Attr {
                        obj: Box::new(Expr::Name("__module__".into(), *tsp)),
                        name: name.clone(),
                        span: *tsp,
                    });
                }
                _ => targets.push(te),
            }
        }
        let decl_type = if targets.len() == 1 && matches!(targets[0], Expr::Name(..)) {
            decl_type
        } else {
            None
        };
        self.setitems(&targets, &value, out, sp);
        self.emit(
            out,
            Stmt::Assign {
                targets,
                value,
                decl_type,
                span: sp,
            },
        );
    }

    /// `obj[k] = v` is `obj.__setitem__(k, v)`: make the call visible to rules.
    fn setitems(&mut self, targets: &[Expr], value: &Expr, out: &mut Vec<Stmt>, sp: Span) {
        for t in targets {
            if let Expr::Index {
                obj,
                index,
                span: tsp,
            } = t
            {
                let call = Expr::Call {
                    func: Box::new(Expr::Attr {
                        obj: obj.clone(),
                        name: "__setitem__".into(),
                        span: *tsp,
                    }),
                    args: vec![(**index).clone(), value.clone()],
                    kwargs: Vec::new(),
                    span: sp,
                };
                self.emit(out, Stmt::Expr(call));
            }
        }
    }

    fn augmented(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let (Some(l), Some(r)) = (field(n, "left"), field(n, "right")) else {
            return;
        };
        let op = field(n, "operator")
            .map(|o| self.t(o).trim_end_matches('='))
            .unwrap_or("");
        let target = self.target(l);
        let current = self.expr(l);
        let rhs = self.expr(r);
        let value = Expr::Binary {
            op: binop(op),
            left: Box::new(current),
            right: Box::new(rhs),
            span: sp,
        };
        let targets = vec![target];
        self.setitems(&targets, &value, out, sp);
        self.emit(
            out,
            Stmt::Assign {
                targets,
                value,
                decl_type: None,
                span: sp,
            },
        );
    }

    /// An assignment target (no comprehension substitution).
    fn target(&mut self, n: Node<'_>) -> Expr {
        let saved = std::mem::take(&mut self.subst);
        let e = self.expr(n);
        self.subst = saved;
        e
    }

    /// What Flask does with a view's return value: a string (or the body of a
    /// `(body, status)` tuple) becomes an HTML response. Only string-shaped expressions are
    /// wrapped (formatting, concatenation, variables); other values (dicts become JSON,
    /// library objects) are left alone to keep the rule quiet about data that is not HTML.
    fn flask_response(&self, v: Expr) -> Expr {
        match v {
            Expr::List(mut items, sp) => {
                if let Some(first) = items.first_mut() {
                    if html_shaped(first) {
                        let body = std::mem::replace(first, other(sp));
                        *first = make_response(body);
                    }
                }
                Expr::List(items, sp)
            }
            v if html_shaped(&v) => make_response(v),
            v => v,
        }
    }

    // ----- definitions -------------------------------------------------------------------

    fn class(&mut self, n: Node<'_>, decos: Vec<Node<'_>>, out: &mut Vec<Stmt>) {
        for d in decos {
            if let Some(e) = named(d).first() {
                let e = self.expr(*e);
                out.append(&mut self.pre);
                let _ = e;
            }
        }
        let name = field(n, "name")
            .map(|x| self.t(x).to_string())
            .unwrap_or_default();
        let Some(body) = field(n, "body") else { return };
        let saved_view = std::mem::replace(&mut self.flask_view, false);
        for c in named(body) {
            self.stmt(c, out, Scope::Class(&name));
        }
        self.flask_view = saved_view;
    }

    fn route_of(&self, deco: &Expr) -> Option<Route> {
        let Expr::Call { func, args, .. } = deco else {
            return None;
        };
        let Expr::Attr { name, .. } = &**func else {
            return None;
        };
        let route_str = match args.first() {
            Some(Expr::Str(s, _)) => s.clone(),
            _ => String::new(),
        };
        let mut r = Route {
            converters: route_converters(&route_str),
            ..Route::default()
        };
        if name == "route" && !self.fastapi {
            r.flask = true;
        } else if HTTP_METHODS.contains(&name.as_str()) {
            if self.fastapi {
                r.fastapi = true;
            } else if self.flask {
                r.flask = true;
            } else {
                return None;
            }
        } else {
            return None;
        }
        Some(r)
    }

    fn function(&mut self, n: Node<'_>, decos: Vec<Node<'_>>, scope: Scope<'_>) -> usize {
        let sp = span(n);
        let short = field(n, "name")
            .map(|x| self.t(x).to_string())
            .unwrap_or_default();
        let name = match scope {
            Scope::Class(c) => format!("{c}.{short}"),
            _ => short,
        };
        let saved_pre = std::mem::take(&mut self.pre);
        let decorators: Vec<Expr> = decos
            .iter()
            .filter_map(|d| named(*d).first().copied())
            .map(|e| self.expr(e))
            .collect();
        self.pre.clear();
        let route = decorators.iter().find_map(|d| self.route_of(d));
        let params = field(n, "parameters")
            .map(|p| self.params(p, route.as_ref()))
            .unwrap_or_default();
        let saved_subst = std::mem::take(&mut self.subst);
        let saved_cond = std::mem::replace(&mut self.cond_ctx, false);
        let saved_view = std::mem::replace(
            &mut self.flask_view,
            route.as_ref().is_some_and(|r| r.flask),
        );
        let body = self.block(field(n, "body"), Scope::Function);
        self.flask_view = saved_view;
        self.cond_ctx = saved_cond;
        self.subst = saved_subst;
        self.pre = saved_pre;
        self.module.functions.push(Function {
            name,
            params,
            body,
            decorators,
            span: sp,
        });
        self.module.functions.len() - 1
    }

    fn params(&mut self, n: Node<'_>, route: Option<&Route>) -> Vec<Param> {
        let mut out = Vec::new();
        for p in named(n) {
            let sp = span(p);
            let (name_node, ty_node, default_node) = match p.kind() {
                "identifier" => (Some(p), None, None),
                "typed_parameter" => (
                    named(p).into_iter().find(|c| c.kind() != "type"),
                    field(p, "type"),
                    None,
                ),
                "default_parameter" => (field(p, "name"), None, field(p, "value")),
                "typed_default_parameter" => {
                    (field(p, "name"), field(p, "type"), field(p, "value"))
                }
                "list_splat_pattern" | "dictionary_splat_pattern" => (Some(p), None, None),
                _ => continue,
            };
            let Some(name_node) = name_node else { continue };
            let name = match name_node.kind() {
                "list_splat_pattern" | "dictionary_splat_pattern" => named(name_node)
                    .first()
                    .map(|c| self.t(*c))
                    .unwrap_or("")
                    .to_string(),
                _ => self.t(name_node).to_string(),
            };
            if name.is_empty() {
                continue;
            }
            let mut annotations = Vec::new();
            let mut ty = ty_node.map(|t| self.t(t).to_string());
            if let Some(t) = ty_node {
                for m in self.fastapi_markers(t) {
                    annotations.push(m);
                }
                if let Some(inner) = ty.as_deref().and_then(annotated_inner) {
                    ty = Some(inner);
                }
            }
            let default = default_node.map(|d| self.expr(d));
            if let Some(d) = default_node {
                if d.kind() == "call" {
                    annotations.extend(self.fastapi_markers(d));
                }
            }
            let scalar = ty
                .as_deref()
                .map(core_type)
                .is_some_and(|t| SCALAR_TYPES.contains(&t.as_str()) || t.starts_with("con"));
            if scalar {
                // A validated number, date or UUID: no longer attacker-shaped text.
                annotations.retain(|a| {
                    !matches!(a.as_str(), "Query" | "Path" | "Header" | "Cookie" | "Form")
                });
            }
            if let Some(r) = route {
                let dependency = annotations
                    .iter()
                    .any(|a| a == "Depends" || a == "Security");
                let framework = ty.as_deref().map(core_type).is_some_and(|t| {
                    FRAMEWORK_TYPES.contains(&crate::sast::taint::simple_type(&t).as_str())
                });
                let conv_safe = r
                    .converters
                    .iter()
                    .any(|(n, c)| *n == name && matches!(c.as_str(), "int" | "float" | "uuid"));
                let is_self = matches!(name.as_str(), "self" | "cls");
                let has_marker = annotations
                    .iter()
                    .any(|a| FASTAPI_MARKERS.contains(&a.as_str()));
                if !dependency
                    && !framework
                    && !conv_safe
                    && !scalar
                    && !is_self
                    && !has_marker
                    && (r.flask || r.fastapi)
                {
                    annotations.push("route_param".into());
                }
            }
            out.push(Param {
                name,
                ty,
                annotations,
                default,
                span: sp,
            });
        }
        out
    }

    /// FastAPI markers called in a default value or a type annotation.
    fn fastapi_markers(&self, n: Node<'_>) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![n];
        let mut seen = 0;
        while let Some(x) = stack.pop() {
            seen += 1;
            if seen > 500 {
                break;
            }
            if x.kind() == "call" {
                if let Some(f) = field(x, "function") {
                    let ft = self.t(f);
                    let last = ft.rsplit('.').next().unwrap_or(ft);
                    let full = self.resolve(ft);
                    if FASTAPI_MARKERS.contains(&last)
                        && (full.starts_with("fastapi") || self.fastapi)
                    {
                        out.push(last.to_string());
                    }
                }
                continue;
            }
            stack.extend(named(x));
        }
        out
    }

    // ----- expressions -------------------------------------------------------------------

    /// Lower an expression whose truth value is what matters.
    fn cond(&mut self, n: Node<'_>) -> Expr {
        let saved = std::mem::replace(&mut self.cond_ctx, true);
        let e = self.expr(n);
        self.cond_ctx = saved;
        e
    }

    fn expr(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        if self.depth >= MAX_DEPTH {
            return other(sp);
        }
        self.depth += 1;
        let in_cond = std::mem::replace(&mut self.cond_ctx, false);
        let e = self.expr_inner(n, in_cond, sp);
        self.cond_ctx = in_cond;
        self.depth -= 1;
        e
    }

    fn expr_inner(&mut self, n: Node<'_>, in_cond: bool, sp: Span) -> Expr {
        // Each arm is its own function: keeps this recursive frame small (deep inputs).
        match n.kind() {
            "identifier" => self.identifier(n, sp),
            "true" => Expr::Bool(true, sp),
            "false" => Expr::Bool(false, sp),
            "none" => Expr::Null(sp),
            "integer" | "float" => self.number(n, sp),
            "string" => self.string(n),
            "concatenated_string" => self.concatenated(n, sp),
            "attribute" => self.attribute(n, sp),
            "subscript" => self.subscript(n, sp),
            "call" => self.call(n, sp),
            "binary_operator" => self.binary_chain(n, sp),
            "boolean_operator" => self.boolean(n, in_cond, sp),
            "comparison_operator" => self.comparison(n, sp),
            "not_operator" => self.not(n, sp),
            "unary_operator" => self.unary(n, sp),
            "conditional_expression" => self.conditional(n, sp),
            "parenthesized_expression" => self.parenthesized(n, in_cond, sp),
            "list" | "tuple" | "set" | "expression_list" | "pattern_list" | "tuple_pattern"
            | "list_pattern" => self.list(n, sp),
            "dictionary" => self.dictionary(n, sp),
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => self.comprehension(n, sp),
            "lambda" => self.lambda(n, sp),
            "await" | "as_pattern" | "as_pattern_target" | "type" | "decorator" => {
                self.first_child(n, sp)
            }
            "named_expression" => self.walrus(n, sp),
            "keyword_argument" => match field(n, "value") {
                Some(v) => self.expr(v),
                None => other(sp),
            },
            "ERROR" => other(sp),
            _ => self.children_other(n, sp),
        }
    }

    #[inline(never)]
    fn identifier(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let name = self.t(n);
        if let Some((_, e)) = self.subst.iter().rev().find(|(k, _)| k == name) {
            let size = expr_size(e);
            if size <= self.clone_budget {
                self.clone_budget -= size;
                return e.clone();
            }
            return other(sp);
        }
        Expr::Name(name.to_string(), sp)
    }

    #[inline(never)]
    fn number(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let t = self.t(n);
        let v = if n.kind() == "integer" {
            parse_int(t)
        } else {
            t.replace('_', "").parse::<f64>().ok()
        };
        match v {
            Some(v) => Expr::Num(v, sp),
            None => other(sp),
        }
    }

    #[inline(never)]
    fn concatenated(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let parts: Vec<Expr> = named(n).into_iter().map(|c| self.expr(c)).collect();
        if parts.iter().all(|p| matches!(p, Expr::Str(..))) {
            let s: String = parts
                .iter()
                .map(|p| match p {
                    Expr::Str(s, _) => s.as_str(),
                    _ => "",
                })
                .collect();
            Expr::Str(s, sp)
        } else {
            Expr::Concat(parts, sp)
        }
    }

    #[inline(never)]
    fn attribute(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let obj = field(n, "object").map_or_else(|| other(sp), |o| self.expr(o));
        let name = field(n, "attribute")
            .map(|a| self.t(a))
            .unwrap_or("")
            .to_string();
        Expr::Attr {
            obj: Box::new(obj),
            name,
            span: sp,
        }
    }

    #[inline(never)]
    fn subscript(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let obj = field(n, "value").map_or_else(|| other(sp), |o| self.expr(o));
        let subs = fields(n, "subscript");
        let index = match subs.as_slice() {
            [one] if one.kind() != "slice" => self.expr(*one),
            [one] => {
                let parts = named(*one).into_iter().map(|c| self.expr(c)).collect();
                Expr::Other(parts, span(*one))
            }
            many => {
                let parts = many.iter().map(|c| self.expr(*c)).collect();
                Expr::List(parts, sp)
            }
        };
        Expr::Index {
            obj: Box::new(obj),
            index: Box::new(index),
            span: sp,
        }
    }

    #[inline(never)]
    fn not(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let arg = field(n, "argument").map_or_else(|| other(sp), |a| self.cond(a));
        Expr::Unary {
            op: UnOp::Not,
            expr: Box::new(arg),
            span: sp,
        }
    }

    #[inline(never)]
    fn unary(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let op = match field(n, "operator").map(|o| self.t(o)) {
            Some("-") => UnOp::Neg,
            _ => UnOp::Other,
        };
        let arg = field(n, "argument").map_or_else(|| other(sp), |a| self.expr(a));
        Expr::Unary {
            op,
            expr: Box::new(arg),
            span: sp,
        }
    }

    #[inline(never)]
    fn conditional(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let parts = named(n);
        if parts.len() < 3 {
            let items = parts.into_iter().map(|c| self.expr(c)).collect();
            return Expr::Other(items, sp);
        }
        let then = self.expr(parts[0]);
        let cond = self.cond(parts[1]);
        let els = self.expr(parts[2]);
        Expr::Cond {
            cond: Box::new(cond),
            then: Box::new(then),
            els: Box::new(els),
            span: sp,
        }
    }

    #[inline(never)]
    fn parenthesized(&mut self, n: Node<'_>, in_cond: bool, sp: Span) -> Expr {
        match named(n).as_slice() {
            [one] => {
                if in_cond {
                    self.cond(*one)
                } else {
                    self.expr(*one)
                }
            }
            many => {
                let items = many.iter().map(|c| self.expr(*c)).collect();
                Expr::Other(items, sp)
            }
        }
    }

    #[inline(never)]
    fn list(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let items = named(n).into_iter().map(|c| self.expr(c)).collect();
        Expr::List(items, sp)
    }

    #[inline(never)]
    fn dictionary(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let mut pairs = Vec::new();
        for c in named(n) {
            match c.kind() {
                "pair" => {
                    let k = field(c, "key").map_or_else(|| other(sp), |k| self.expr(k));
                    let v = field(c, "value").map_or_else(|| other(sp), |v| self.expr(v));
                    pairs.push((k, v));
                }
                _ => {
                    let v = self.expr(c);
                    pairs.push((other(span(c)), v));
                }
            }
        }
        Expr::Dict(pairs, sp)
    }

    #[inline(never)]
    fn first_child(&mut self, n: Node<'_>, sp: Span) -> Expr {
        match named(n).first() {
            Some(c) => self.expr(*c),
            None => other(sp),
        }
    }

    #[inline(never)]
    fn walrus(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let name = field(n, "name")
            .map(|x| self.t(x).to_string())
            .unwrap_or_default();
        let value = field(n, "value").map_or_else(|| other(sp), |v| self.expr(v));
        if name.is_empty() {
            return value;
        }
        self.pre.push(Stmt::Assign {
            targets: vec![Expr::Name(name.clone(), sp)],
            value,
            decl_type: None,
            span: sp,
        });
        Expr::Name(name, sp)
    }

    #[inline(never)]
    fn children_other(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let items = named(n).into_iter().map(|c| self.expr(c)).collect();
        Expr::Other(items, sp)
    }

    fn string(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let mut prefix = String::new();
        let mut parts: Vec<Expr> = Vec::new();
        let mut cur = String::new();
        for c in all_children(n) {
            match c.kind() {
                "string_start" => {
                    prefix = self
                        .t(c)
                        .chars()
                        .take_while(|ch| ch.is_ascii_alphabetic())
                        .collect::<String>()
                        .to_ascii_lowercase();
                }
                "string_content" => {
                    let raw = prefix.contains('r');
                    let is_f = prefix.contains('f') || prefix.contains('t');
                    let mut s = self.t(c).to_string();
                    if is_f {
                        s = s.replace("{{", "{").replace("}}", "}");
                    }
                    if !raw {
                        s = unescape(&s);
                    }
                    cur.push_str(&s);
                }
                "escape_sequence" => {
                    cur.push_str(&unescape(self.t(c)));
                }
                "interpolation" => {
                    if !cur.is_empty() {
                        parts.push(Expr::Str(std::mem::take(&mut cur), sp));
                    }
                    parts.push(self.interpolation(c));
                }
                _ => {}
            }
        }
        if parts.is_empty() {
            return Expr::Str(cur, sp);
        }
        if !cur.is_empty() {
            parts.push(Expr::Str(cur, sp));
        }
        Expr::Concat(parts, sp)
    }

    /// `{expr!r:>{width}}`
    fn interpolation(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let value = field(n, "expression").map_or_else(|| other(sp), |e| self.expr(e));
        let conversion = field(n, "type_conversion").is_some();
        let mut nested = Vec::new();
        let mut has_spec = false;
        if let Some(spec) = field(n, "format_specifier") {
            has_spec = true;
            for fe in named(spec) {
                if fe.kind() == "format_expression" {
                    if let Some(e) = field(fe, "expression") {
                        nested.push(self.expr(e));
                    }
                }
            }
        }
        if !conversion && !has_spec {
            return value;
        }
        // Formatting changes the text (repr quotes, padding): keep the taint, drop constness.
        let mut items = vec![value];
        items.extend(nested);
        Expr::Other(items, sp)
    }

    #[inline(never)]
    fn call(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let func = field(n, "function").map_or_else(|| other(sp), |f| self.expr(f));
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        if let Some(a) = field(n, "arguments") {
            if a.kind() == "generator_expression" {
                args.push(self.expr(a));
            } else {
                for c in named(a) {
                    match c.kind() {
                        "keyword_argument" => {
                            let name = field(c, "name")
                                .map(|x| self.t(x).to_string())
                                .unwrap_or_default();
                            let v =
                                field(c, "value").map_or_else(|| other(span(c)), |v| self.expr(v));
                            kwargs.push((name, v));
                        }
                        "dictionary_splat" => {
                            let v = self.expr(c);
                            kwargs.push(("**".to_string(), v));
                        }
                        _ => args.push(self.expr(c)),
                    }
                }
            }
        }
        // Instantiating a class of this file: `new`, so the variable gets the class as type.
        if let Expr::Name(cls, _) = &func {
            if self.classes.iter().any(|c| c == cls) {
                let class = cls.clone();
                args.extend(kwargs.into_iter().map(|(_, v)| v));
                return Expr::New {
                    class,
                    args,
                    span: sp,
                };
            }
        }
        // `typing.cast(T, x)` is `x`.
        if let Some(p) = func.path() {
            if (p == "cast" || p == "typing.cast") && args.len() == 2 && kwargs.is_empty() {
                return args.pop().unwrap_or_else(|| other(sp));
            }
        }
        Expr::Call {
            func: Box::new(func),
            args,
            kwargs,
            span: sp,
        }
    }

    /// Left-associative chains of one operator are walked iteratively.
    fn binary_chain(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let op_text = field(n, "operator").map(|o| self.t(o)).unwrap_or("");
        let mut rights = Vec::new();
        let mut cur = n;
        loop {
            let same = cur.kind() == "binary_operator"
                && field(cur, "operator").map(|o| self.t(o)) == Some(op_text);
            if !same || rights.len() > 10_000 {
                break;
            }
            match (field(cur, "left"), field(cur, "right")) {
                (Some(l), Some(r)) => {
                    rights.push(r);
                    cur = l;
                }
                _ => break,
            }
        }
        let first = cur;
        rights.reverse();
        let op = binop(op_text);
        if rights.len() + 1 > MAX_CHAIN {
            let mut items = vec![self.expr(first)];
            items.extend(rights.iter().map(|r| self.expr(*r)));
            return Expr::Other(items, sp);
        }
        let mut acc = self.expr(first);
        for r in rights {
            let right = self.expr(r);
            let esp = Span {
                line: acc.span().line,
                col: acc.span().col,
                end_line: right.span().end_line,
                end_col: right.span().end_col,
            };
            acc = Expr::Binary {
                op,
                left: Box::new(acc),
                right: Box::new(right),
                span: esp,
            };
        }
        let _ = sp;
        acc
    }

    fn boolean(&mut self, n: Node<'_>, in_cond: bool, sp: Span) -> Expr {
        let op_text = field(n, "operator").map(|o| self.t(o)).unwrap_or("");
        let mut rights = Vec::new();
        let mut cur = n;
        while cur.kind() == "boolean_operator"
            && field(cur, "operator").map(|o| self.t(o)) == Some(op_text)
        {
            match (field(cur, "left"), field(cur, "right")) {
                (Some(l), Some(r)) => {
                    rights.push(r);
                    cur = l;
                }
                _ => break,
            }
            if rights.len() > 10_000 {
                break;
            }
        }
        rights.push(cur);
        rights.reverse();
        let lower = |cx: &mut Self, x: Node<'_>| if in_cond { cx.cond(x) } else { cx.expr(x) };
        let operands: Vec<Expr> = rights.iter().map(|x| lower(self, *x)).collect();
        if operands.len() > MAX_CHAIN {
            return Expr::Other(operands, sp);
        }
        let op = binop(op_text);
        if in_cond {
            let mut it = operands.into_iter();
            let Some(mut acc) = it.next() else {
                return other(sp);
            };
            for r in it {
                acc = Expr::Binary {
                    op,
                    left: Box::new(acc),
                    right: Box::new(r),
                    span: sp,
                };
            }
            return acc;
        }
        // Value position: `a or b` is `a if a else b`; `a and b` is `b if a else a`.
        let last_simple = operands.len() - 1;
        if operands.iter().take(last_simple).all(is_simple) {
            let mut it = operands.into_iter().rev();
            let Some(mut acc) = it.next() else {
                return other(sp);
            };
            for a in it {
                let (then, els) = if op == BinOp::Or {
                    (a.clone(), acc)
                } else {
                    (acc, a.clone())
                };
                acc = Expr::Cond {
                    cond: Box::new(a),
                    then: Box::new(then),
                    els: Box::new(els),
                    span: sp,
                };
            }
            return acc;
        }
        Expr::Other(operands, sp)
    }

    fn comparison(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let mut operands = Vec::new();
        let mut ops = Vec::new();
        let mut pending_op = String::new();
        for c in all_children(n) {
            if c.is_named() {
                if c.kind() == "comment" {
                    continue;
                }
                if !operands.is_empty() {
                    ops.push(std::mem::take(&mut pending_op));
                }
                operands.push(c);
            } else {
                if !pending_op.is_empty() {
                    pending_op.push(' ');
                }
                pending_op.push_str(self.t(c));
            }
        }
        if operands.len() < 2 || operands.len() > MAX_CHAIN {
            let items = operands.iter().map(|c| self.expr(*c)).collect();
            return Expr::Other(items, sp);
        }
        let lowered: Vec<Expr> = operands.iter().map(|c| self.expr(*c)).collect();
        let mut acc: Option<Expr> = None;
        for (i, op) in ops.iter().enumerate() {
            let (Some(l), Some(r)) = (lowered.get(i), lowered.get(i + 1)) else {
                break;
            };
            let cmp = Expr::Binary {
                op: binop(op),
                left: Box::new(l.clone()),
                right: Box::new(r.clone()),
                span: sp,
            };
            acc = Some(match acc {
                None => cmp,
                Some(prev) => Expr::Binary {
                    op: BinOp::And,
                    left: Box::new(prev),
                    right: Box::new(cmp),
                    span: sp,
                },
            });
        }
        acc.unwrap_or_else(|| other(sp))
    }

    fn comprehension(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let saved_len = self.subst.len();
        for c in named(n) {
            if c.kind() != "for_in_clause" {
                continue;
            }
            let iter = match fields(c, "right").as_slice() {
                [one] => self.expr(*one),
                many => {
                    let items = many.iter().map(|x| self.expr(*x)).collect();
                    Expr::Other(items, span(c))
                }
            };
            let elem = Expr::Index {
                obj: Box::new(iter),
                index: Box::new(other(span(c))),
                span: span(c),
            };
            if let Some(left) = field(c, "left") {
                let mut names = Vec::new();
                collect_names(left, self.src, &mut names);
                for name in names {
                    self.subst.push((name, elem.clone()));
                }
            }
        }
        let body = field(n, "body");
        let elem = match body {
            Some(b) if b.kind() == "pair" => {
                let k = field(b, "key").map_or_else(|| other(sp), |k| self.expr(k));
                let v = field(b, "value").map_or_else(|| other(sp), |v| self.expr(v));
                Expr::Other(vec![k, v], span(b))
            }
            Some(b) => self.expr(b),
            None => other(sp),
        };
        self.subst.truncate(saved_len);
        Expr::Other(vec![elem], sp)
    }

    fn lambda(&mut self, n: Node<'_>, sp: Span) -> Expr {
        let name = self
            .lambda_name
            .take()
            .unwrap_or_else(|| format!("<lambda:{}:{}>", sp.line, sp.col));
        let params = field(n, "parameters")
            .map(|p| self.params(p, None))
            .unwrap_or_default();
        let saved_pre = std::mem::take(&mut self.pre);
        let saved_subst = std::mem::take(&mut self.subst);
        let saved_view = std::mem::replace(&mut self.flask_view, false);
        let value = field(n, "body").map_or_else(|| other(sp), |b| self.expr(b));
        let mut body = std::mem::take(&mut self.pre);
        body.push(Stmt::Return(Some(value), sp));
        self.flask_view = saved_view;
        self.subst = saved_subst;
        self.pre = saved_pre;
        self.module.functions.push(Function {
            name,
            params,
            body,
            decorators: Vec::new(),
            span: sp,
        });
        Expr::Lambda(self.module.functions.len() - 1, sp)
    }
}

fn make_response(body: Expr) -> Expr {
    let sp = body.span();
    Expr::Call {
        func: Box::new(Expr::Attr {
            obj: Box::new(Expr::Name("flask".into(), sp)),
            name: "make_response".into(),
            span: sp,
        }),
        args: vec![body],
        kwargs: Vec::new(),
        span: sp,
    }
}

/// Text built by formatting or concatenation, or a variable holding it.
fn html_shaped(e: &Expr) -> bool {
    match e {
        Expr::Str(..) | Expr::Concat(..) | Expr::Name(..) => true,
        Expr::Binary { op, .. } => matches!(op, BinOp::Add | BinOp::Mod),
        Expr::Cond { then, els, .. } => html_shaped(then) || html_shaped(els),
        Expr::Call { func, .. } => {
            matches!(&**func, Expr::Attr { name, .. } if matches!(name.as_str(), "format" | "join" | "replace" | "format_map"))
        }
        _ => false,
    }
}

/// Names of the classes defined anywhere in the file.
fn class_names(root: Node<'_>, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    let mut seen = 0usize;
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > 200_000 {
            break;
        }
        if n.kind() == "class_definition" {
            if let Some(name) = n.field("name") {
                out.push(text(name, src).to_string());
            }
        }
        if matches!(
            n.kind(),
            "module"
                | "block"
                | "class_definition"
                | "function_definition"
                | "decorated_definition"
                | "if_statement"
                | "else_clause"
                | "elif_clause"
                | "try_statement"
                | "except_clause"
                | "finally_clause"
                | "with_statement"
                | "for_statement"
                | "while_statement"
        ) {
            stack.extend(named(n));
        }
    }
    out
}

/// `DEBUG`, `SESSION_COOKIE_SECURE`: settings-style names.
fn is_setting_name(n: &str) -> bool {
    n.chars().any(|c| c.is_ascii_uppercase())
        && n.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Identifiers bound by a comprehension target (`x`, `k, v`, `(a, (b, c))`).
fn collect_names(n: Node<'_>, src: &[u8], out: &mut Vec<String>) {
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        if x.kind() == "identifier" {
            out.push(text(x, src).to_string());
        } else if matches!(
            x.kind(),
            "pattern_list"
                | "tuple_pattern"
                | "list_pattern"
                | "list_splat_pattern"
                | "parenthesized_expression"
                | "tuple"
                | "list"
        ) {
            stack.extend(named(x));
        }
        if out.len() > 64 {
            break;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::super::ir::{Expr, Module, Stmt};
    use crate::sast::lang;
    use crate::sast::{Language, SastEngine, SastOptions};
    use secops_core::walk::FileOutput;

    fn lower_src(src: &str) -> Module {
        lang::lower(Language::Python, src.as_bytes(), None)
            .expect("parses")
            .module
    }

    fn first_value(m: &Module) -> Expr {
        match &m.top.body[0] {
            Stmt::Assign { value, .. } => value.clone(),
            Stmt::Expr(e) => e.clone(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn nested_fstrings_become_concat() {
        let m = lower_src("x = f\"a{f'{y}'}b{z!r:>{w}}\"\n");
        let Expr::Concat(parts, _) = first_value(&m) else {
            panic!("not a concat")
        };
        assert!(matches!(&parts[0], Expr::Str(s, _) if s == "a"));
        assert!(
            matches!(&parts[1], Expr::Concat(inner, _) if matches!(&inner[0], Expr::Name(n, _) if n == "y"))
        );
        assert!(matches!(&parts[2], Expr::Str(s, _) if s == "b"));
        assert!(matches!(&parts[3], Expr::Other(items, _) if items.len() == 2));
    }

    #[test]
    fn py312_quotes_inside_fstrings() {
        let m = lower_src("x = f\"{d[\"k\"]:{'>'}{w}}\"\n");
        assert!(matches!(first_value(&m), Expr::Concat(..)));
    }

    #[test]
    fn escapes_and_implicit_concatenation() {
        let m = lower_src("x = 'a\\tb' \"\\x41\" r'\\n'\n");
        assert!(matches!(first_value(&m), Expr::Str(s, _) if s == "a\tbA\\n"));
    }

    #[test]
    fn imports_and_methods() {
        let m = lower_src(
            "import subprocess as sp\nfrom flask import request as rq\nfrom . import views\nclass A:\n    def m(self, x: int = 3):\n        def inner():\n            return x\n        return inner\n",
        );
        assert!(m.imports.contains(&("sp".into(), "subprocess".into())));
        assert!(m.imports.contains(&("rq".into(), "flask.request".into())));
        assert!(m.imports.contains(&("views".into(), "views".into())));
        let names: Vec<&str> = m.functions.iter().map(|f| f.name.as_str()).collect();
        assert!(
            names.contains(&"A.m") && names.contains(&"inner"),
            "{names:?}"
        );
        let f = m.functions.iter().find(|f| f.name == "A.m").unwrap();
        assert_eq!(f.params[1].ty.as_deref(), Some("int"));
    }

    #[test]
    fn route_params_are_annotated() {
        let m = lower_src(
            "from flask import Flask\napp = Flask(__name__)\n@app.route('/u/<name>/<int:uid>')\ndef u(name, uid):\n    return name\n",
        );
        let f = &m.functions[0];
        assert_eq!(f.params[0].annotations, vec!["route_param".to_string()]);
        assert!(f.params[1].annotations.is_empty());
        let m = lower_src(
            "from fastapi import FastAPI, Query, Depends\nfrom typing import Annotated\napp = FastAPI()\n@app.get('/x')\ndef x(a: str, b: int, c: str = Query(None), d: Annotated[str, Query()] = '', e = Depends(f)):\n    pass\n",
        );
        let p = &m.functions[0].params;
        assert_eq!(p[0].annotations, vec!["route_param".to_string()]);
        assert!(p[1].annotations.is_empty());
        assert_eq!(p[2].annotations, vec!["Query".to_string()]);
        assert_eq!(p[3].annotations, vec!["Query".to_string()]);
        assert_eq!(p[3].ty.as_deref(), Some("str"));
        assert_eq!(p[4].annotations, vec!["Depends".to_string()]);
    }

    #[test]
    fn pathological_inputs_do_not_panic() {
        let deep_parens = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
        let deep_lists = format!("x = {}1{}\n", "[".repeat(3000), "]".repeat(3000));
        let long_chain = format!("x = {}\n", vec!["a"; 20000].join(" + "));
        let long_or = format!("x = {}\n", vec!["a"; 5000].join(" or "));
        let calls = format!("x = {}y{}\n", "f(".repeat(2000), ")".repeat(2000));
        let mut nested_ifs = String::new();
        for i in 0..400 {
            nested_ifs.push_str(&" ".repeat(i));
            nested_ifs.push_str("if x:\n");
        }
        nested_ifs.push_str(&" ".repeat(400));
        nested_ifs.push_str("pass\n");
        let comp = format!("x = {}y{}\n", "[a for a in ".repeat(300), "]".repeat(300));
        let engine = SastEngine::builtin(SastOptions::default()).unwrap();
        let attrs = format!("x = a{}\n", ".b".repeat(5000));
        let subs = format!("x = a{}\n", "[0]".repeat(5000));
        let nots = format!("x = {}a\n", "not ".repeat(5000));
        let negs = format!("x = {}1\n", "-".repeat(5000));
        let lambdas = format!("x = {}1\n", "lambda: ".repeat(2000));
        let fstrings = format!("x = {}{}\n", "f'{".repeat(300), "}'".repeat(300));
        let mut defs = String::new();
        for i in 0..300 {
            defs.push_str(&" ".repeat(i));
            defs.push_str(&format!("def f{i}(a):\n"));
        }
        defs.push_str(&" ".repeat(300));
        defs.push_str("return os.system(a)\n");
        let broken = "def f(:\n  x = = 1\n  return (\nclass\n\"\"\"unterminated";
        for src in [
            deep_parens,
            deep_lists,
            long_chain,
            long_or,
            calls,
            nested_ifs,
            comp,
            broken.to_string(),
            attrs,
            subs,
            nots,
            negs,
            lambdas,
            fstrings,
            defs,
        ] {
            let mut out = FileOutput::default();
            engine.scan_content("deep.py", src.as_bytes(), &mut out);
        }
    }

    /// `PY_SAST_DUMP=file.py cargo test -p secops-scan --lib dump_ir -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn dump_ir() {
        let path = std::env::var("PY_SAST_DUMP").expect("PY_SAST_DUMP");
        let src = std::fs::read_to_string(path).unwrap();
        if std::env::var("PY_SAST_IR").is_ok() {
            println!("{:#?}", lower_src(&src));
        }
        let engine = SastEngine::builtin(SastOptions::default()).unwrap();
        let mut out = FileOutput::default();
        engine.scan_content("dump.py", src.as_bytes(), &mut out);
        let lines: Vec<&str> = src.lines().collect();
        for f in &out.findings {
            let l = f.location.start_line;
            println!(
                "{l}: {} | {}",
                f.rule_id,
                lines.get(l - 1).map_or("", |x| x.trim())
            );
        }
        for n in &out.notices {
            println!("notice: {}", n.message);
        }
    }
}
