//! JavaScript / TypeScript front-end: tree-sitter-javascript (`.js`, `.jsx`, `.mjs`, `.cjs`)
//! and tree-sitter-typescript TSX (`.ts`, `.tsx`) syntax trees → [`Module`].
//!
//! Notes on the lowering:
//! - `require('m')` / `import x from 'm'` become import aliases (and `require('m')` used
//!   inline becomes the name `m`), so `cp.exec` resolves to `child_process.exec`.
//! - Destructuring becomes one assignment per binding (`const { id } = req.query` →
//!   `id = req.query.id`); array patterns index with constants.
//! - `a || b`, `a ?? b` and `a && b` keep their value (a conditional), except in conditions.
//! - Object-literal arguments are also exposed as keyword arguments (`spawn(c, a, {shell:
//!   true})` → kwarg `shell`; nested keys are dotted: `cookie.secure`), so options-object
//!   rules can be written as kwarg conditions. `new X({...})` becomes a call for the same
//!   reason.
//! - Callbacks passed to calls inside a function (`rows.forEach(r => ...)`,
//!   `p.then(v => ...)`) are also inlined after their call site in a one-shot scope, so they
//!   see the enclosing function's variables; they are still functions of their own.
//! - `x.length` is a call to `length` (a clean propagator), `typeof x` a call to `typeof`,
//!   `+x` a call to `Number`.
//! - JSX `dangerouslySetInnerHTML={v}` becomes a call `jsx.dangerouslySetInnerHTML(v)`.

use super::super::ir::{BinOp, Case, Expr, Function, Module, Param, Span, Stmt, UnOp};
use super::FieldExt;
use super::{all_children, named_children, span, text};
use tree_sitter::{Node, Tree};

/// Nesting depth below which expressions and statements are no longer lowered.
const MAX_DEPTH: usize = 200;
/// Depth charged per nested statement.
const STMT_COST: usize = 2;
/// `+` chains longer than this are flattened into one `Concat`.
const FLAT_PLUS: usize = 32;

pub fn lower(tree: &Tree, src: &[u8]) -> Module {
    let mut l = Lower {
        src,
        functions: Vec::new(),
        imports: Vec::new(),
        depth: 0,
        fn_depth: 0,
        pre: Vec::new(),
        tmp: 0,
    };
    let root = tree.root_node();
    let body = l.block(root);
    Module {
        top: Function {
            name: "<module>".into(),
            body,
            span: span(root),
            ..Default::default()
        },
        functions: l.functions,
        imports: l.imports,
    }
}

struct Lower<'a> {
    src: &'a [u8],
    functions: Vec<Function>,
    imports: Vec<(String, String)>,
    depth: usize,
    /// How many functions enclose the node being lowered.
    fn_depth: usize,
    /// Statements produced while lowering an expression (nested assignments, inlined
    /// callbacks) that must run before the statement being lowered.
    pre: Vec<Stmt>,
    tmp: usize,
}

fn other(sp: Span) -> Expr {
    Expr::Other(Vec::new(), sp)
}

fn is_function_node(kind: &str) -> bool {
    matches!(
        kind,
        "arrow_function" | "function_expression" | "function" | "generator_function"
    )
}

/// `fs/promises` → `fs.promises`, `node:child_process` → `child_process`.
fn norm_module(m: &str) -> String {
    let m = m.strip_prefix("node:").unwrap_or(m);
    m.replace('/', ".")
}

/// Cheap to evaluate twice (no calls).
fn cheap(e: &Expr) -> bool {
    match e {
        Expr::Name(..) | Expr::Str(..) | Expr::Num(..) | Expr::Bool(..) | Expr::Null(_) => true,
        Expr::Attr { obj, .. } => cheap(obj),
        Expr::Index { obj, index, .. } => cheap(obj) && cheap(index),
        _ => false,
    }
}

fn decode_escape(s: &str) -> String {
    let body = &s[s.len().min(1)..];
    let mut chars = body.chars();
    let Some(c) = chars.next() else {
        return String::new();
    };
    let rest: String = chars.collect();
    match c {
        'n' => "\n".into(),
        't' => "\t".into(),
        'r' => "\r".into(),
        'b' => "\u{8}".into(),
        'f' => "\u{c}".into(),
        'v' => "\u{b}".into(),
        '0' if rest.is_empty() => "\0".into(),
        '\n' | '\r' => String::new(),
        'x' => u32::from_str_radix(&rest, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_else(|| s.to_string()),
        'u' => {
            let hex = rest.trim_start_matches('{').trim_end_matches('}');
            u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_else(|| s.to_string())
        }
        other => {
            let mut o = other.to_string();
            o.push_str(&rest);
            o
        }
    }
}

fn parse_number(t: &str) -> f64 {
    let t = t.replace('_', "");
    let t = t.trim_end_matches('n');
    let lower = t.to_ascii_lowercase();
    let radix = |p: &str, r: u32| i64::from_str_radix(p, r).map(|v| v as f64).unwrap_or(0.0);
    if let Some(h) = lower.strip_prefix("0x") {
        radix(h, 16)
    } else if let Some(o) = lower.strip_prefix("0o") {
        radix(o, 8)
    } else if let Some(b) = lower.strip_prefix("0b") {
        radix(b, 2)
    } else {
        lower.parse::<f64>().unwrap_or(0.0)
    }
}

impl<'a> Lower<'a> {
    fn text(&self, n: Node<'_>) -> String {
        text(n, self.src).to_string()
    }

    fn fresh(&mut self) -> String {
        self.tmp += 1;
        format!("$tmp{}", self.tmp)
    }

    // ----- statements -------------------------------------------------------------------

    fn block(&mut self, n: Node<'_>) -> Vec<Stmt> {
        let mut out = Vec::new();
        for c in named_children(n) {
            self.stmt_into(c, &mut out);
        }
        out
    }

    /// Lower a statement-position node (a block or a single statement) to a statement list.
    fn body_of(&mut self, n: Option<Node<'_>>) -> Vec<Stmt> {
        let Some(n) = n else { return Vec::new() };
        if n.kind() == "statement_block" {
            self.block(n)
        } else {
            let mut out = Vec::new();
            self.stmt_into(n, &mut out);
            out
        }
    }

    fn stmt_into(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        if self.depth > MAX_DEPTH {
            return;
        }
        // Statements cost more stack (here and in the engine) than expressions.
        self.depth += STMT_COST;
        let saved = std::mem::take(&mut self.pre);
        let mut local = Vec::new();
        self.stmt(n, &mut local);
        let pre = std::mem::replace(&mut self.pre, saved);
        out.extend(pre);
        out.extend(local);
        self.depth -= STMT_COST;
    }

    #[inline(never)]
    fn stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        match n.kind() {
            "expression_statement" => {
                for c in named_children(n) {
                    self.expr_stmt(c, out);
                }
            }
            "lexical_declaration" | "variable_declaration" | "using_declaration" => {
                for d in named_children(n) {
                    if d.kind() == "variable_declarator" {
                        self.declarator(d);
                    }
                }
            }
            "function_declaration" | "generator_function_declaration" => self.stmt_function(n, out),
            "class_declaration" | "abstract_class_declaration" => self.stmt_class(n, out),
            "return_statement" => {
                let v = named_children(n).first().map(|c| self.expr(*c));
                out.push(Stmt::Return(v, sp));
            }
            "throw_statement" => {
                if let Some(c) = named_children(n).first() {
                    let e = self.expr(*c);
                    out.push(Stmt::Expr(e));
                }
                out.push(Stmt::Jump(sp));
            }
            "break_statement" => out.push(Stmt::Break(sp)),
            "continue_statement" => out.push(Stmt::Continue(sp)),
            "if_statement" => self.stmt_if(n, out),
            "switch_statement" => self.switch(n, out),
            "for_statement" => self.stmt_for(n, out),
            "for_in_statement" => self.stmt_for_in(n, out),
            "while_statement" | "do_statement" => self.stmt_while(n, out),
            "try_statement" => self.stmt_try(n, out),
            "statement_block" => {
                let b = self.block(n);
                out.push(Stmt::Block(b));
            }
            "labeled_statement" | "with_statement" => {
                let b = self.body_of(n.field("body"));
                out.push(Stmt::Block(b));
            }
            "class_static_block" => {
                let b = self.body_of(n.field("body"));
                out.push(Stmt::Block(b));
            }
            "export_statement" => self.stmt_export(n, out),
            "import_statement" => self.import(n),
            "internal_module" | "module" => {
                let b = self.body_of(n.field("body"));
                out.push(Stmt::Block(b));
            }
            "ERROR" => {
                for c in named_children(n) {
                    self.stmt_into(c, out);
                }
            }
            "interface_declaration"
            | "type_alias_declaration"
            | "enum_declaration"
            | "ambient_declaration"
            | "function_signature"
            | "empty_statement"
            | "debugger_statement"
            | "comment"
            | "hash_bang_line"
            | "import_alias"
            | "decorator" => {}
            _ => {
                if n.is_named() {
                    self.expr_stmt(n, out);
                }
            }
        }
    }

    #[inline(never)]
    fn stmt_if(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let _ = (sp, &out);
        let cond = match n.field("condition") {
            Some(c) => self.cond_expr(c),
            None => other(sp),
        };
        let then = self.body_of(n.field("consequence"));
        let els = match n.field("alternative") {
            Some(e) => {
                let mut v = Vec::new();
                for c in named_children(e) {
                    self.stmt_into(c, &mut v);
                }
                v
            }
            None => Vec::new(),
        };
        out.push(Stmt::If {
            cond,
            then,
            els,
            span: sp,
        });
    }

    #[inline(never)]
    fn stmt_for(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let _ = (sp, &out);
        let mut init = Vec::new();
        if let Some(i) = n.field("initializer") {
            if i.kind().ends_with("declaration") {
                self.stmt_into(i, &mut init);
            } else if i.kind() != "empty_statement" && i.kind() != ";" {
                let saved = std::mem::take(&mut self.pre);
                self.expr_stmt(i, &mut init);
                let pre = std::mem::replace(&mut self.pre, saved);
                init.splice(0..0, pre);
            }
        }
        let mut body = Vec::new();
        if let Some(c) = n.field("condition") {
            if c.is_named() && c.kind() != "empty_statement" {
                let saved = std::mem::take(&mut self.pre);
                let mut s = Vec::new();
                self.expr_stmt(c, &mut s);
                let pre = std::mem::replace(&mut self.pre, saved);
                body.extend(pre);
                body.extend(s);
            }
        }
        body.extend(self.body_of(n.field("body")));
        if let Some(inc) = n.field("increment") {
            let saved = std::mem::take(&mut self.pre);
            let mut s = Vec::new();
            self.expr_stmt(inc, &mut s);
            let pre = std::mem::replace(&mut self.pre, saved);
            body.extend(pre);
            body.extend(s);
        }
        out.push(Stmt::Loop {
            init,
            body,
            span: sp,
        });
    }

    #[inline(never)]
    fn stmt_for_in(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let _ = (sp, &out);
        let right = match n.field("right") {
            Some(r) => self.expr(r),
            None => other(sp),
        };
        let is_of = n.field("operator").is_some_and(|o| self.text(o) == "of");
        let elem = if is_of {
            Expr::Index {
                obj: Box::new(right),
                index: Box::new(other(sp)),
                span: sp,
            }
        } else {
            // keys of the object: attacker-controlled when the object is
            Expr::Other(vec![right], sp)
        };
        let mut init = Vec::new();
        if let Some(left) = n.field("left") {
            let saved = std::mem::take(&mut self.pre);
            self.destructure(left, elem, None, sp);
            let pre = std::mem::replace(&mut self.pre, saved);
            init.extend(pre);
        }
        let body = self.body_of(n.field("body"));
        out.push(Stmt::Loop {
            init,
            body,
            span: sp,
        });
    }

    #[inline(never)]
    fn stmt_while(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let _ = (sp, &out);
        let mut body = Vec::new();
        if let Some(c) = n.field("condition") {
            let saved = std::mem::take(&mut self.pre);
            let e = self.cond_expr(c);
            let pre = std::mem::replace(&mut self.pre, saved);
            body.extend(pre);
            body.push(Stmt::Expr(e));
        }
        body.extend(self.body_of(n.field("body")));
        out.push(Stmt::Loop {
            init: Vec::new(),
            body,
            span: sp,
        });
    }

    #[inline(never)]
    fn stmt_try(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let _ = (sp, &out);
        let body = self.body_of(n.field("body"));
        let mut handlers = Vec::new();
        if let Some(h) = n.field("handler") {
            let mut hb = Vec::new();
            if let Some(p) = h.field("parameter") {
                let saved = std::mem::take(&mut self.pre);
                self.destructure(p, other(span(p)), None, span(p));
                let pre = std::mem::replace(&mut self.pre, saved);
                hb.extend(pre);
            }
            hb.extend(self.body_of(h.field("body")));
            handlers.push(hb);
        }
        let finally = match n.field("finalizer") {
            Some(f) => self.body_of(f.field("body")),
            None => Vec::new(),
        };
        out.push(Stmt::Try {
            body,
            handlers,
            finally,
            span: sp,
        });
    }

    #[inline(never)]
    fn stmt_export(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let _ = (sp, &out);
        if let Some(d) = n.field("declaration") {
            self.stmt_into(d, out);
        } else if let Some(v) = n.field("value") {
            let e = if is_function_node(v.kind()) {
                let idx = self.function(v, "default".into(), Vec::new());
                Expr::Lambda(idx, span(v))
            } else {
                self.expr(v)
            };
            out.push(Stmt::Expr(e));
        } else {
            // `export default <expr>` in the TS grammar has no field
            for c in named_children(n) {
                if c.kind() != "export_clause"
                    && c.kind() != "namespace_export"
                    && c.kind() != "string"
                {
                    if is_function_node(c.kind()) {
                        self.function(c, "default".into(), Vec::new());
                    } else if c.kind() != "decorator" {
                        let e = self.expr(c);
                        out.push(Stmt::Expr(e));
                    }
                }
            }
        }
    }

    #[inline(never)]
    fn stmt_function(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let _ = (sp, &out);
        let name = n
            .field("name")
            .map(|x| self.text(x))
            .unwrap_or_else(|| format!("function${}", sp.line));
        self.function(n, name, Vec::new());
    }

    #[inline(never)]
    fn stmt_class(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let _ = (sp, &out);
        let name = n
            .field("name")
            .map(|x| self.text(x))
            .unwrap_or_else(|| format!("class${}", sp.line));
        self.class(n, &name);
    }

    /// An expression in statement position.
    fn expr_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        match n.kind() {
            "assignment_expression" | "augmented_assignment_expression" | "update_expression" => {
                // the assignment itself goes to `pre`; the value is not needed
                let _ = self.expr(n);
            }
            "sequence_expression" => {
                for c in named_children(n) {
                    let saved = std::mem::take(&mut self.pre);
                    let mut s = Vec::new();
                    self.expr_stmt(c, &mut s);
                    let pre = std::mem::replace(&mut self.pre, saved);
                    out.extend(pre);
                    out.extend(s);
                }
            }
            "internal_module" | "module" => {
                let b = self.body_of(n.field("body"));
                out.push(Stmt::Block(b));
            }
            "parenthesized_expression" => {
                if let Some(c) = named_children(n).last() {
                    self.expr_stmt(*c, out);
                }
            }
            _ => {
                let e = self.expr(n);
                out.push(Stmt::Expr(e));
            }
        }
    }

    fn switch(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        let sp = span(n);
        let subject = match n.field("value") {
            Some(v) => self.expr(v),
            None => other(sp),
        };
        let mut cases = Vec::new();
        if let Some(body) = n.field("body") {
            for c in named_children(body) {
                let mut labels = Vec::new();
                let value = c.field("value");
                if c.kind() == "switch_case" {
                    if let Some(v) = value {
                        labels.push(self.expr(v));
                    }
                } else if c.kind() != "switch_default" {
                    continue;
                }
                let mut stmts = Vec::new();
                for s in named_children(c) {
                    if Some(s) == value {
                        continue;
                    }
                    self.stmt_into(s, &mut stmts);
                }
                // A trailing `break` ends the case; other jumps just end the path.
                let mut fallthrough = true;
                if let Some(last) = named_children(c).last() {
                    if Some(*last) != value {
                        match last.kind() {
                            "break_statement" => {
                                fallthrough = false;
                                if matches!(stmts.last(), Some(Stmt::Break(_))) {
                                    stmts.pop();
                                }
                            }
                            "return_statement" | "throw_statement" | "continue_statement" => {
                                fallthrough = false
                            }
                            _ => {}
                        }
                    }
                }
                cases.push(Case {
                    labels,
                    body: stmts,
                    fallthrough,
                });
            }
        }
        out.push(Stmt::Switch {
            subject,
            cases,
            span: sp,
        });
    }

    /// `require('m')`, `require('m').x`, `await import('m')` → the module path.
    fn require_module(&self, n: Node<'_>) -> Option<String> {
        match n.kind() {
            "call_expression" => {
                let f = n.field("function")?;
                let is_req =
                    (f.kind() == "identifier" && self.text(f) == "require") || f.kind() == "import";
                if !is_req {
                    return None;
                }
                let args = n.field("arguments")?;
                let a = named_children(args);
                match a.as_slice() {
                    [s] if s.kind() == "string" => Some(norm_module(&self.string(*s))),
                    _ => None,
                }
            }
            "member_expression" => {
                let base = self.require_module(n.field("object")?)?;
                let p = n.field("property")?;
                Some(format!("{base}.{}", self.text(p)))
            }
            "await_expression" | "parenthesized_expression" => {
                self.require_module(*named_children(n).first()?)
            }
            _ => None,
        }
    }

    fn declarator(&mut self, d: Node<'_>) {
        let sp = span(d);
        let Some(name) = d.field("name") else {
            return;
        };
        let decl_type = d
            .field("type")
            .and_then(|t| named_children(t).first().map(|x| self.text(*x)));
        let value = d.field("value");
        if let Some(v) = value {
            if let Some(m) = self.require_module(v) {
                match name.kind() {
                    "identifier" => {
                        let local = self.text(name);
                        self.imports.push((local, m));
                        return;
                    }
                    "object_pattern" => {
                        for c in named_children(name) {
                            match c.kind() {
                                "shorthand_property_identifier_pattern" => {
                                    let k = self.text(c);
                                    self.imports.push((k.clone(), format!("{m}.{k}")));
                                }
                                "pair_pattern" => {
                                    let key = c.field("key").map(|k| self.prop_key(k));
                                    let val = c.field("value");
                                    if let (Some(k), Some(v)) = (key, val) {
                                        if v.kind() == "identifier" {
                                            let local = self.text(v);
                                            self.imports.push((local, format!("{m}.{k}")));
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                        return;
                    }
                    _ => {}
                }
            }
        }
        let value_expr = match value {
            Some(v) => {
                let nm = if name.kind() == "identifier" {
                    Some(self.text(name))
                } else {
                    None
                };
                self.value_named(v, nm)
            }
            None => Expr::Null(sp),
        };
        self.destructure(name, value_expr, decl_type, sp);
    }

    /// Lower a value; functions and classes get the given name.
    fn value_named(&mut self, v: Node<'_>, name: Option<String>) -> Expr {
        let sp = span(v);
        match (v.kind(), name) {
            (k, Some(nm)) if is_function_node(k) => {
                let idx = self.function(v, nm, Vec::new());
                Expr::Lambda(idx, sp)
            }
            ("class", Some(nm)) => {
                self.class(v, &nm);
                other(sp)
            }
            _ => self.expr(v),
        }
    }

    fn prop_key(&self, k: Node<'_>) -> String {
        match k.kind() {
            "string" => self.string(k),
            _ => self.text(k),
        }
    }

    /// Bind a pattern to a value: pushes assignments to `pre`.
    fn destructure(&mut self, pat: Node<'_>, value: Expr, decl_type: Option<String>, sp: Span) {
        match pat.kind() {
            "identifier" | "shorthand_property_identifier_pattern" | "this" => {
                let t = Expr::Name(self.text(pat), span(pat));
                self.pre.push(Stmt::Assign {
                    targets: vec![t],
                    value,
                    decl_type,
                    span: sp,
                });
            }
            "object_pattern" | "array_pattern" => {
                let base = if cheap(&value) {
                    value
                } else {
                    let t = self.fresh();
                    self.pre.push(Stmt::Assign {
                        targets: vec![Expr::Name(t.clone(), sp)],
                        value,
                        decl_type: None,
                        span: sp,
                    });
                    Expr::Name(t, sp)
                };
                if pat.kind() == "object_pattern" {
                    for c in named_children(pat) {
                        let csp = span(c);
                        match c.kind() {
                            "shorthand_property_identifier_pattern" => {
                                let k = self.text(c);
                                let v = Expr::Attr {
                                    obj: Box::new(base.clone()),
                                    name: k,
                                    span: csp,
                                };
                                self.destructure(c, v, None, csp);
                            }
                            "pair_pattern" => {
                                let (Some(k), Some(p)) = (c.field("key"), c.field("value")) else {
                                    continue;
                                };
                                let v = if k.kind() == "computed_property_name" {
                                    let ke = match named_children(k).first() {
                                        Some(x) => self.expr(*x),
                                        None => other(csp),
                                    };
                                    Expr::Index {
                                        obj: Box::new(base.clone()),
                                        index: Box::new(ke),
                                        span: csp,
                                    }
                                } else {
                                    Expr::Attr {
                                        obj: Box::new(base.clone()),
                                        name: self.prop_key(k),
                                        span: csp,
                                    }
                                };
                                self.destructure(p, v, None, csp);
                            }
                            "object_assignment_pattern" => {
                                let (Some(l), Some(r)) = (c.field("left"), c.field("right")) else {
                                    continue;
                                };
                                let key = if l.kind() == "shorthand_property_identifier_pattern" {
                                    self.text(l)
                                } else {
                                    String::new()
                                };
                                let v = Expr::Attr {
                                    obj: Box::new(base.clone()),
                                    name: key,
                                    span: csp,
                                };
                                let d = self.expr(r);
                                let v = Expr::Cond {
                                    cond: Box::new(v.clone()),
                                    then: Box::new(v),
                                    els: Box::new(d),
                                    span: csp,
                                };
                                self.destructure(l, v, None, csp);
                            }
                            "rest_pattern" => {
                                if let Some(inner) = named_children(c).first() {
                                    self.destructure(*inner, base.clone(), None, csp);
                                }
                            }
                            _ => {}
                        }
                    }
                } else {
                    let mut idx = 0usize;
                    for c in all_children(pat) {
                        if c.kind() == "," {
                            idx += 1;
                            continue;
                        }
                        if !c.is_named() || c.kind() == "comment" {
                            continue;
                        }
                        let csp = span(c);
                        if c.kind() == "rest_pattern" {
                            if let Some(inner) = named_children(c).first() {
                                self.destructure(*inner, base.clone(), None, csp);
                            }
                            continue;
                        }
                        let v = Expr::Index {
                            obj: Box::new(base.clone()),
                            index: Box::new(Expr::Num(idx as f64, csp)),
                            span: csp,
                        };
                        self.destructure(c, v, None, csp);
                    }
                }
            }
            "assignment_pattern" | "object_assignment_pattern" => {
                let (Some(l), Some(r)) = (pat.field("left"), pat.field("right")) else {
                    return;
                };
                let d = self.expr(r);
                let v = if cheap(&value) {
                    Expr::Cond {
                        cond: Box::new(value.clone()),
                        then: Box::new(value),
                        els: Box::new(d),
                        span: sp,
                    }
                } else {
                    Expr::Other(vec![value, d], sp)
                };
                self.destructure(l, v, decl_type, sp);
            }
            "rest_pattern" => {
                if let Some(inner) = named_children(pat).first() {
                    self.destructure(*inner, value, decl_type, sp);
                }
            }
            "member_expression"
            | "subscript_expression"
            | "parenthesized_expression"
            | "non_null_expression" => {
                let t = self.lvalue(pat);
                self.pre.push(Stmt::Assign {
                    targets: vec![t],
                    value,
                    decl_type: None,
                    span: sp,
                });
            }
            _ => {}
        }
    }

    fn import(&mut self, n: Node<'_>) {
        let Some(src) = n.field("source") else {
            // TS `import x = require('y')`
            for c in named_children(n) {
                if c.kind() == "import_require_clause" {
                    let id = named_children(c)
                        .into_iter()
                        .find(|x| x.kind() == "identifier");
                    if let (Some(id), Some(s)) = (id, c.field("source")) {
                        let m = norm_module(&self.string(s));
                        self.imports.push((self.text(id), m));
                    }
                }
            }
            return;
        };
        let m = norm_module(&self.string(src));
        for c in named_children(n) {
            match c.kind() {
                "import_clause" => {
                    for x in named_children(c) {
                        match x.kind() {
                            "identifier" => self.imports.push((self.text(x), m.clone())),
                            "namespace_import" => {
                                if let Some(id) = named_children(x).first() {
                                    self.imports.push((self.text(*id), m.clone()));
                                }
                            }
                            "named_imports" => {
                                for s in named_children(x) {
                                    if s.kind() != "import_specifier" {
                                        continue;
                                    }
                                    let Some(name) = s.field("name") else {
                                        continue;
                                    };
                                    let name_t = self.prop_key(name);
                                    let local = s
                                        .field("alias")
                                        .map(|a| self.text(a))
                                        .unwrap_or_else(|| name_t.clone());
                                    let full = if name_t == "default" {
                                        m.clone()
                                    } else {
                                        format!("{m}.{name_t}")
                                    };
                                    self.imports.push((local, full));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "import_require_clause" => {
                    if let Some(id) = named_children(c)
                        .into_iter()
                        .find(|x| x.kind() == "identifier")
                    {
                        self.imports.push((self.text(id), m.clone()));
                    }
                }
                _ => {}
            }
        }
    }

    // ----- functions and classes ----------------------------------------------------------

    /// Lower a function-like node; returns its index in `functions`.
    fn function(&mut self, n: Node<'_>, name: String, decorators: Vec<Expr>) -> usize {
        let idx = self.functions.len();
        self.functions.push(Function {
            name: name.clone(),
            span: span(n),
            ..Default::default()
        });
        if self.depth > MAX_DEPTH {
            return idx;
        }
        self.depth += 1;
        self.fn_depth += 1;
        let saved = std::mem::take(&mut self.pre);
        let mut params = Vec::new();
        let mut prologue = Vec::new();
        if let Some(p) = n.field("parameter") {
            params.push(Param {
                name: self.text(p),
                span: span(p),
                ..Default::default()
            });
        }
        if let Some(ps) = n.field("parameters") {
            for (i, p) in named_children(ps).into_iter().enumerate() {
                if let Some(param) = self.param(p, i) {
                    params.push(param);
                }
            }
            prologue = std::mem::take(&mut self.pre);
        }
        let mut body = prologue;
        match n.field("body") {
            Some(b) if b.kind() == "statement_block" => body.extend(self.block(b)),
            Some(b) => {
                let e = self.expr(b);
                let pre = std::mem::take(&mut self.pre);
                body.extend(pre);
                body.push(Stmt::Return(Some(e), span(b)));
            }
            None => {}
        }
        self.pre = saved;
        self.fn_depth -= 1;
        self.depth -= 1;
        let f = &mut self.functions[idx];
        f.params = params;
        f.body = body;
        f.decorators = decorators;
        idx
    }

    fn param(&mut self, p: Node<'_>, i: usize) -> Option<Param> {
        let sp = span(p);
        match p.kind() {
            "identifier" => Some(Param {
                name: self.text(p),
                span: sp,
                ..Default::default()
            }),
            "assignment_pattern" => {
                let l = p.field("left")?;
                let d = p.field("right").map(|r| self.expr(r));
                if l.kind() == "identifier" {
                    Some(Param {
                        name: self.text(l),
                        default: d,
                        span: sp,
                        ..Default::default()
                    })
                } else {
                    let nm = format!("$arg{i}");
                    self.destructure(l, Expr::Name(nm.clone(), sp), None, sp);
                    Some(Param {
                        name: nm,
                        default: d,
                        span: sp,
                        ..Default::default()
                    })
                }
            }
            "rest_pattern" => {
                let inner = named_children(p).into_iter().next()?;
                if inner.kind() == "identifier" {
                    Some(Param {
                        name: self.text(inner),
                        span: sp,
                        ..Default::default()
                    })
                } else {
                    let nm = format!("$arg{i}");
                    self.destructure(inner, Expr::Name(nm.clone(), sp), None, sp);
                    Some(Param {
                        name: nm,
                        span: sp,
                        ..Default::default()
                    })
                }
            }
            "object_pattern" | "array_pattern" => {
                let nm = format!("$arg{i}");
                self.destructure(p, Expr::Name(nm.clone(), sp), None, sp);
                Some(Param {
                    name: nm,
                    span: sp,
                    ..Default::default()
                })
            }
            "required_parameter" | "optional_parameter" => {
                let pat = p.field("pattern")?;
                if pat.kind() == "this" {
                    return None;
                }
                let ty = p
                    .field("type")
                    .and_then(|t| named_children(t).first().map(|x| self.text(*x)));
                let default = p.field("value").map(|v| self.expr(v));
                let mut annotations = Vec::new();
                for c in named_children(p) {
                    if c.kind() == "decorator" {
                        if let Some(a) = self.decorator_name(c) {
                            annotations.push(a);
                        }
                    }
                }
                let name = match pat.kind() {
                    "identifier" => self.text(pat),
                    "rest_pattern" => match named_children(pat).first() {
                        Some(x) if x.kind() == "identifier" => self.text(*x),
                        _ => format!("$arg{i}"),
                    },
                    _ => {
                        let nm = format!("$arg{i}");
                        self.destructure(pat, Expr::Name(nm.clone(), sp), None, sp);
                        nm
                    }
                };
                Some(Param {
                    name,
                    ty,
                    annotations,
                    default,
                    span: sp,
                })
            }
            _ => None,
        }
    }

    /// `@Query('id')` → `Query`.
    fn decorator_name(&self, d: Node<'_>) -> Option<String> {
        let c = named_children(d).into_iter().next()?;
        let f = if c.kind() == "call_expression" {
            c.field("function")?
        } else {
            c
        };
        let t = self.text(f);
        Some(t.rsplit('.').next().unwrap_or(&t).to_string())
    }

    fn class(&mut self, n: Node<'_>, name: &str) {
        let Some(body) = n.field("body") else {
            return;
        };
        let mut pending: Vec<Expr> = Vec::new();
        let mut methods = Vec::new();
        let mut inits = Vec::new();
        for m in named_children(body) {
            match m.kind() {
                "decorator" => {
                    if let Some(c) = named_children(m).first() {
                        let e = self.expr(*c);
                        pending.push(e);
                    }
                }
                "method_definition" => {
                    let mut decs = std::mem::take(&mut pending);
                    for c in named_children(m) {
                        if c.kind() == "decorator" {
                            if let Some(x) = named_children(c).first() {
                                decs.push(self.expr(*x));
                            }
                        }
                    }
                    let mname = m
                        .field("name")
                        .map(|x| self.prop_key(x))
                        .unwrap_or_default();
                    let idx = self.function(m, format!("{name}.{mname}"), decs);
                    methods.push(idx);
                }
                "field_definition" | "public_field_definition" => {
                    pending.clear();
                    let key = m
                        .field("property")
                        .or_else(|| m.field("name"))
                        .map(|x| self.prop_key(x));
                    let (Some(key), Some(v)) = (key, m.field("value")) else {
                        continue;
                    };
                    if is_function_node(v.kind()) {
                        let idx = self.function(v, format!("{name}.{key}"), Vec::new());
                        methods.push(idx);
                    } else {
                        let saved = std::mem::take(&mut self.pre);
                        let e = self.expr(v);
                        let pre = std::mem::replace(&mut self.pre, saved);
                        inits.extend(pre);
                        let sp = span(m);
                        inits.push(Stmt::Assign {
                            targets: vec![Expr::Attr {
                                obj: Box::new(Expr::Name("this".into(), sp)),
                                name: key,
                                span: sp,
                            }],
                            value: e,
                            decl_type: None,
                            span: sp,
                        });
                    }
                }
                "class_static_block" => {
                    let b = self.body_of(m.field("body"));
                    inits.push(Stmt::Block(b));
                }
                _ => pending.clear(),
            }
        }
        if !inits.is_empty() {
            for idx in methods {
                let f = &mut self.functions[idx];
                let mut b = inits.clone();
                b.append(&mut f.body);
                f.body = b;
            }
        }
    }

    // ----- expressions ------------------------------------------------------------------

    fn string(&self, n: Node<'_>) -> String {
        let mut s = String::new();
        for c in all_children(n) {
            match c.kind() {
                "string_fragment" | "html_character_reference" => s.push_str(text(c, self.src)),
                "escape_sequence" => s.push_str(&decode_escape(text(c, self.src))),
                _ => {}
            }
        }
        s
    }

    fn lvalue(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        match n.kind() {
            "member_expression" => {
                let obj = match n.field("object") {
                    Some(o) => self.expr(o),
                    None => other(sp),
                };
                let name = n
                    .field("property")
                    .map(|p| self.text(p))
                    .unwrap_or_default();
                Expr::Attr {
                    obj: Box::new(obj),
                    name,
                    span: sp,
                }
            }
            "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression" => match named_children(n).first() {
                Some(c) => self.lvalue(*c),
                None => other(sp),
            },
            _ => self.expr(n),
        }
    }

    /// A condition: `&&`/`||` are boolean here.
    fn cond_expr(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        if self.depth > MAX_DEPTH {
            return other(sp);
        }
        match n.kind() {
            "parenthesized_expression" => match named_children(n).last() {
                Some(c) if c.kind() != "sequence_expression" => {
                    self.depth += 1;
                    let e = self.cond_expr(*c);
                    self.depth -= 1;
                    e
                }
                _ => self.expr(n),
            },
            "binary_expression" => {
                let op = n
                    .field("operator")
                    .map(|o| self.text(o))
                    .unwrap_or_default();
                let bop = match op.as_str() {
                    "&&" => BinOp::And,
                    "||" => BinOp::Or,
                    _ => return self.expr(n),
                };
                let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else {
                    return self.expr(n);
                };
                self.depth += 1;
                let left = self.cond_expr(l);
                let right = self.cond_expr(r);
                self.depth -= 1;
                Expr::Binary {
                    op: bop,
                    left: Box::new(left),
                    right: Box::new(right),
                    span: sp,
                }
            }
            "unary_expression" if n.field("operator").is_some_and(|o| self.text(o) == "!") => {
                let Some(a) = n.field("argument") else {
                    return other(sp);
                };
                self.depth += 1;
                let e = self.cond_expr(a);
                self.depth -= 1;
                Expr::Unary {
                    op: UnOp::Not,
                    expr: Box::new(e),
                    span: sp,
                }
            }
            _ => self.expr(n),
        }
    }

    fn expr(&mut self, n: Node<'_>) -> Expr {
        if self.depth > MAX_DEPTH {
            return other(span(n));
        }
        self.depth += 1;
        let e = self.expr_inner(n);
        self.depth -= 1;
        e
    }

    fn first_expr(&mut self, n: Node<'_>) -> Expr {
        match named_children(n).into_iter().next() {
            Some(c) => self.expr(c),
            None => other(span(n)),
        }
    }

    #[inline(never)]
    fn expr_inner(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        match n.kind() {
            "identifier"
            | "shorthand_property_identifier"
            | "property_identifier"
            | "private_property_identifier"
            | "type_identifier" => Expr::Name(self.text(n), sp),
            "this" => Expr::Name("this".into(), sp),
            "super" => Expr::Name("super".into(), sp),
            "undefined" | "null" => Expr::Null(sp),
            "true" => Expr::Bool(true, sp),
            "false" => Expr::Bool(false, sp),
            "number" => Expr::Num(parse_number(&self.text(n)), sp),
            "string" => Expr::Str(self.string(n), sp),
            "regex" => Expr::Str(self.text(n), sp),
            "template_string" => self.template(n),
            "member_expression" => self.member(n),
            "subscript_expression" => self.subscript(n),
            "call_expression" => self.call(n),
            "new_expression" => self.new_expr(n),
            "assignment_expression" => self.assign_expr(n),
            "augmented_assignment_expression" => self.aug_assign(n),
            "update_expression" => self.update(n),
            "binary_expression" => self.binary(n),
            "unary_expression" => self.unary(n),
            "ternary_expression" => self.ternary(n),
            "parenthesized_expression" => match named_children(n).last() {
                Some(c) => self.expr(*c),
                None => other(sp),
            },
            "sequence_expression" => self.sequence(n),
            "await_expression"
            | "yield_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "instantiation_expression"
            | "jsx_expression"
            | "template_substitution"
            | "computed_property_name" => match named_children(n).into_iter().next() {
                Some(c) => self.expr(c),
                None => Expr::Null(sp),
            },
            "type_assertion" => match named_children(n).last() {
                Some(c) => self.expr(*c),
                None => other(sp),
            },
            "spread_element" => {
                let e = self.first_expr(n);
                Expr::Other(vec![e], sp)
            }
            k if is_function_node(k) => self.lambda(n),
            "class" => self.class_expr(n),
            "object" => self.object(n),
            "array" => {
                let mut items = Vec::new();
                for c in named_children(n) {
                    items.push(self.expr(c));
                }
                Expr::List(items, sp)
            }
            "jsx_element" | "jsx_self_closing_element" | "jsx_opening_element" | "jsx_fragment" => {
                self.jsx(n)
            }
            "jsx_text" | "html_character_reference" | "comment" | "hash_bang_line" => other(sp),
            "import" => Expr::Name("import".into(), sp),
            "meta_property" => Expr::Name(self.text(n), sp),
            _ => {
                let mut kids = Vec::new();
                for c in named_children(n) {
                    kids.push(self.expr(c));
                }
                Expr::Other(kids, sp)
            }
        }
    }

    #[inline(never)]
    fn member(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let obj = match n.field("object") {
            Some(o) => self.expr(o),
            None => other(sp),
        };
        let name = n
            .field("property")
            .map(|p| self.text(p))
            .unwrap_or_default();
        let attr = Expr::Attr {
            obj: Box::new(obj),
            name: name.clone(),
            span: sp,
        };
        if name == "length" {
            Expr::Call {
                func: Box::new(attr),
                args: Vec::new(),
                kwargs: Vec::new(),
                span: sp,
            }
        } else {
            attr
        }
    }

    #[inline(never)]
    fn subscript(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let obj = match n.field("object") {
            Some(o) => self.expr(o),
            None => other(sp),
        };
        let index = match n.field("index") {
            Some(i) => self.expr(i),
            None => other(sp),
        };
        Expr::Index {
            obj: Box::new(obj),
            index: Box::new(index),
            span: sp,
        }
    }

    #[inline(never)]
    fn assign_expr(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else {
            return other(sp);
        };
        if matches!(l.kind(), "object_pattern" | "array_pattern") {
            let v = self.expr(r);
            let t = self.fresh();
            self.pre.push(Stmt::Assign {
                targets: vec![Expr::Name(t.clone(), sp)],
                value: v,
                decl_type: None,
                span: sp,
            });
            self.destructure(l, Expr::Name(t.clone(), sp), None, sp);
            return Expr::Name(t, sp);
        }
        let target = self.lvalue(l);
        let last = match &target {
            Expr::Attr { name, .. } => Some(name.clone()),
            Expr::Name(nm, _) => Some(nm.clone()),
            _ => None,
        };
        let value = self.value_named(r, last.clone());
        if let (Some("onmessage"), Expr::Lambda(idx, _)) = (last.as_deref(), &value) {
            self.type_first_param(*idx, "MessageEvent");
        }
        self.pre.push(Stmt::Assign {
            targets: vec![target.clone()],
            value,
            decl_type: None,
            span: sp,
        });
        target
    }

    #[inline(never)]
    fn aug_assign(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else {
            return other(sp);
        };
        let op = n
            .field("operator")
            .map(|o| self.text(o))
            .unwrap_or_default();
        let target = self.lvalue(l);
        let right = self.expr(r);
        let value = match op.as_str() {
            "||=" | "??=" => Expr::Cond {
                cond: Box::new(target.clone()),
                then: Box::new(target.clone()),
                els: Box::new(right),
                span: sp,
            },
            "&&=" => Expr::Cond {
                cond: Box::new(target.clone()),
                then: Box::new(right),
                els: Box::new(target.clone()),
                span: sp,
            },
            o => Expr::Binary {
                op: binop(o.trim_end_matches('=')),
                left: Box::new(target.clone()),
                right: Box::new(right),
                span: sp,
            },
        };
        self.pre.push(Stmt::Assign {
            targets: vec![target.clone()],
            value,
            decl_type: None,
            span: sp,
        });
        target
    }

    #[inline(never)]
    fn update(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let Some(a) = n.field("argument") else {
            return other(sp);
        };
        let op = n
            .field("operator")
            .map(|o| self.text(o))
            .unwrap_or_default();
        let target = self.lvalue(a);
        if cheap(&target) {
            self.pre.push(Stmt::Assign {
                targets: vec![target.clone()],
                value: Expr::Binary {
                    op: if op == "--" { BinOp::Sub } else { BinOp::Add },
                    left: Box::new(target.clone()),
                    right: Box::new(Expr::Num(1.0, sp)),
                    span: sp,
                },
                decl_type: None,
                span: sp,
            });
        }
        target
    }

    #[inline(never)]
    fn unary(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let op = n
            .field("operator")
            .map(|o| self.text(o))
            .unwrap_or_default();
        let arg = match n.field("argument") {
            Some(a) => self.expr(a),
            None => other(sp),
        };
        let call = |name: &str, arg: Expr| Expr::Call {
            func: Box::new(Expr::Name(name.into(), sp)),
            args: vec![arg],
            kwargs: Vec::new(),
            span: sp,
        };
        match op.as_str() {
            "!" => Expr::Unary {
                op: UnOp::Not,
                expr: Box::new(arg),
                span: sp,
            },
            "-" => Expr::Unary {
                op: UnOp::Neg,
                expr: Box::new(arg),
                span: sp,
            },
            "+" => call("Number", arg),
            "typeof" => call("typeof", arg),
            "void" => {
                self.pre.push(Stmt::Expr(arg));
                Expr::Null(sp)
            }
            _ => Expr::Unary {
                op: UnOp::Other,
                expr: Box::new(arg),
                span: sp,
            },
        }
    }

    #[inline(never)]
    fn ternary(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let cond = match n.field("condition") {
            Some(c) => self.cond_expr(c),
            None => other(sp),
        };
        let then = match n.field("consequence") {
            Some(c) => self.expr(c),
            None => other(sp),
        };
        let els = match n.field("alternative") {
            Some(c) => self.expr(c),
            None => other(sp),
        };
        Expr::Cond {
            cond: Box::new(cond),
            then: Box::new(then),
            els: Box::new(els),
            span: sp,
        }
    }

    #[inline(never)]
    fn sequence(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let kids = named_children(n);
        let Some((last, init)) = kids.split_last() else {
            return other(sp);
        };
        for c in init {
            let e = self.expr(*c);
            if !matches!(
                c.kind(),
                "assignment_expression" | "augmented_assignment_expression" | "update_expression"
            ) {
                self.pre.push(Stmt::Expr(e));
            }
        }
        self.expr(*last)
    }

    #[inline(never)]
    fn lambda(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let name = match n.field("name") {
            Some(nm) => self.text(nm),
            None => format!("lambda${}_{}", sp.line, sp.col),
        };
        let idx = self.function(n, name, Vec::new());
        Expr::Lambda(idx, sp)
    }

    #[inline(never)]
    fn class_expr(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let _ = sp;
        let name = n
            .field("name")
            .map(|x| self.text(x))
            .unwrap_or_else(|| format!("class${}", sp.line));
        self.class(n, &name);
        other(sp)
    }

    fn template(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let mut parts = Vec::new();
        let mut buf = String::new();
        let mut has_sub = false;
        for c in all_children(n) {
            match c.kind() {
                "string_fragment" => buf.push_str(text(c, self.src)),
                "escape_sequence" => buf.push_str(&decode_escape(text(c, self.src))),
                "template_substitution" => {
                    has_sub = true;
                    if !buf.is_empty() {
                        parts.push(Expr::Str(std::mem::take(&mut buf), sp));
                    }
                    parts.push(self.first_expr(c));
                }
                _ => {}
            }
        }
        if !has_sub {
            return Expr::Str(buf, sp);
        }
        if !buf.is_empty() {
            parts.push(Expr::Str(buf, sp));
        }
        Expr::Concat(parts, sp)
    }

    fn binary(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let op = n
            .field("operator")
            .map(|o| self.text(o))
            .unwrap_or_default();
        let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else {
            return other(sp);
        };
        if op == "+" {
            // Long `a + b + c + ...` chains: flatten iteratively.
            let mut spine = vec![r];
            let mut cur = l;
            while cur.kind() == "binary_expression"
                && cur
                    .field("operator")
                    .is_some_and(|o| text(o, self.src) == "+")
                && spine.len() <= 10_000
            {
                match (cur.field("left"), cur.field("right")) {
                    (Some(a), Some(b)) => {
                        spine.push(b);
                        cur = a;
                    }
                    _ => break,
                }
            }
            spine.push(cur);
            if spine.len() > FLAT_PLUS {
                spine.reverse();
                let parts = spine.into_iter().map(|x| self.expr(x)).collect();
                return Expr::Concat(parts, sp);
            }
        }
        match op.as_str() {
            "&&" | "||" | "??" => {
                let left = self.expr(l);
                let right = self.expr(r);
                if cheap(&left) {
                    let (then, els) = if op == "&&" {
                        (right, left.clone())
                    } else {
                        (left.clone(), right)
                    };
                    Expr::Cond {
                        cond: Box::new(left),
                        then: Box::new(then),
                        els: Box::new(els),
                        span: sp,
                    }
                } else {
                    Expr::Other(vec![left, right], sp)
                }
            }
            _ => {
                let left = self.expr(l);
                let right = self.expr(r);
                Expr::Binary {
                    op: binop(&op),
                    left: Box::new(left),
                    right: Box::new(right),
                    span: sp,
                }
            }
        }
    }

    fn object(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let mut pairs = Vec::new();
        for c in named_children(n) {
            let csp = span(c);
            match c.kind() {
                "pair" => {
                    let (Some(k), Some(v)) = (c.field("key"), c.field("value")) else {
                        continue;
                    };
                    let key = match k.kind() {
                        "computed_property_name" => self.first_expr(k),
                        _ => Expr::Str(self.prop_key(k), span(k)),
                    };
                    let kname = match &key {
                        Expr::Str(s, _) => Some(s.clone()),
                        _ => None,
                    };
                    let val = self.value_named(v, kname);
                    pairs.push((key, val));
                }
                "shorthand_property_identifier" => {
                    let nm = self.text(c);
                    pairs.push((Expr::Str(nm.clone(), csp), Expr::Name(nm, csp)));
                }
                "spread_element" => {
                    let e = self.first_expr(c);
                    pairs.push((other(csp), e));
                }
                "method_definition" => {
                    let nm = c
                        .field("name")
                        .map(|x| self.prop_key(x))
                        .unwrap_or_default();
                    let idx = self.function(c, nm.clone(), Vec::new());
                    pairs.push((Expr::Str(nm, csp), Expr::Lambda(idx, csp)));
                }
                _ => {}
            }
        }
        Expr::Dict(pairs, sp)
    }

    fn jsx(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let mut parts = Vec::new();
        for c in named_children(n) {
            match c.kind() {
                "jsx_opening_element" => {
                    if let Expr::Other(mut v, _) = self.jsx(c) {
                        parts.append(&mut v);
                    }
                }
                "jsx_attribute" => {
                    let kids = named_children(c);
                    let name = kids.first().map(|k| self.text(*k)).unwrap_or_default();
                    let Some(val) = kids.get(1) else { continue };
                    let v = self.expr(*val);
                    if name == "dangerouslySetInnerHTML" {
                        let csp = span(c);
                        parts.push(Expr::Call {
                            func: Box::new(Expr::Attr {
                                obj: Box::new(Expr::Name("jsx".into(), csp)),
                                name,
                                span: csp,
                            }),
                            args: vec![v],
                            kwargs: Vec::new(),
                            span: csp,
                        });
                    } else {
                        parts.push(v);
                    }
                }
                "jsx_expression" | "jsx_element" | "jsx_self_closing_element" => {
                    parts.push(self.expr(c))
                }
                _ => {}
            }
        }
        Expr::Other(parts, sp)
    }

    fn args(&mut self, n: Option<Node<'_>>) -> (Vec<Expr>, Vec<(String, Expr)>) {
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        let Some(n) = n else { return (args, kwargs) };
        if n.kind() == "template_string" {
            args.push(self.template(n));
            return (args, kwargs);
        }
        for c in named_children(n) {
            let e = self.expr(c);
            if let Expr::Dict(pairs, _) = &e {
                lift_kwargs(pairs, "", 0, &mut kwargs);
            }
            args.push(e);
        }
        (args, kwargs)
    }

    fn type_first_param(&mut self, idx: usize, ty: &str) {
        if let Some(p) = self
            .functions
            .get_mut(idx)
            .and_then(|f| f.params.first_mut())
        {
            if p.ty.is_none() {
                p.ty = Some(ty.to_string());
            }
        }
    }

    fn call(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        if let Some(m) = self.require_module(n) {
            return Expr::Name(m, sp);
        }
        let Some(fnode) = n.field("function") else {
            return other(sp);
        };
        let func = self.expr(fnode);
        let (args, kwargs) = self.args(n.field("arguments"));
        let (method, recv) = match &func {
            Expr::Attr { obj, name, .. } => (name.as_str(), Some((**obj).clone())),
            Expr::Name(nm, _) => (nm.as_str(), None),
            _ => ("", None),
        };
        let method = method.to_string();
        if method == "addEventListener" {
            if let (Some(Expr::Str(ev, _)), Some(Expr::Lambda(idx, _))) =
                (args.first(), args.get(1))
            {
                if ev == "message" {
                    let idx = *idx;
                    self.type_first_param(idx, "MessageEvent");
                }
            }
        }
        self.inline_callbacks(&method, recv.as_ref(), &args, sp);
        Expr::Call {
            func: Box::new(func),
            args,
            kwargs,
            span: sp,
        }
    }

    /// Run callbacks passed to a call in the enclosing function's scope too.
    fn inline_callbacks(&mut self, method: &str, recv: Option<&Expr>, args: &[Expr], sp: Span) {
        if self.fn_depth == 0 {
            return;
        }
        for a in args {
            let Expr::Lambda(idx, _) = a else { continue };
            let Some(f) = self.functions.get(*idx) else {
                continue;
            };
            let elem = |r: &Expr| Expr::Index {
                obj: Box::new(r.clone()),
                index: Box::new(other(sp)),
                span: sp,
            };
            let mut init = Vec::new();
            for (i, p) in f.params.iter().enumerate() {
                let v = match (method, recv, i) {
                    (
                        "forEach" | "map" | "filter" | "find" | "findIndex" | "findLast" | "some"
                        | "every" | "flatMap" | "sort",
                        Some(r),
                        0,
                    ) => elem(r),
                    ("reduce" | "reduceRight", Some(r), 1) => elem(r),
                    ("then" | "finally", Some(r), 0) => r.clone(),
                    _ => match &p.default {
                        Some(d) => d.clone(),
                        None => other(sp),
                    },
                };
                init.push(Stmt::Assign {
                    targets: vec![Expr::Name(p.name.clone(), p.span)],
                    value: v,
                    decl_type: p.ty.clone(),
                    span: p.span,
                });
            }
            // Run the body once, maybe (an `if` on an unknown condition): its sinks see the
            // enclosing scope, and its `return`s do not end the enclosing function.
            init.extend(f.body.iter().map(no_return));
            self.pre.push(Stmt::If {
                cond: other(sp),
                then: init,
                els: Vec::new(),
                span: sp,
            });
        }
    }

    fn new_expr(&mut self, n: Node<'_>) -> Expr {
        let sp = span(n);
        let ctor = match n.field("constructor") {
            Some(c) => self.expr(c),
            None => other(sp),
        };
        let (args, kwargs) = self.args(n.field("arguments"));
        self.inline_callbacks("", None, &args, sp);
        if !kwargs.is_empty() {
            // options objects are keyword arguments: keep the call shape
            return Expr::Call {
                func: Box::new(ctor),
                args,
                kwargs,
                span: sp,
            };
        }
        match ctor.path() {
            Some(class) => Expr::New {
                class,
                args,
                span: sp,
            },
            None => {
                let mut kids = vec![ctor];
                kids.extend(args);
                Expr::Other(kids, sp)
            }
        }
    }
}

/// A copy of a statement where `return e` only evaluates `e` (for inlined callbacks).
fn no_return(s: &Stmt) -> Stmt {
    let all = |b: &[Stmt]| b.iter().map(no_return).collect::<Vec<_>>();
    match s {
        Stmt::Return(Some(e), _) => Stmt::Expr(e.clone()),
        Stmt::Return(None, _) => Stmt::Block(Vec::new()),
        Stmt::If {
            cond,
            then,
            els,
            span,
        } => Stmt::If {
            cond: cond.clone(),
            then: all(then),
            els: all(els),
            span: *span,
        },
        Stmt::Switch {
            subject,
            cases,
            span,
        } => Stmt::Switch {
            subject: subject.clone(),
            cases: cases
                .iter()
                .map(|c| Case {
                    labels: c.labels.clone(),
                    body: all(&c.body),
                    fallthrough: c.fallthrough,
                })
                .collect(),
            span: *span,
        },
        Stmt::Loop { init, body, span } => Stmt::Loop {
            init: all(init),
            body: all(body),
            span: *span,
        },
        Stmt::Try {
            body,
            handlers,
            finally,
            span,
        } => Stmt::Try {
            body: all(body),
            handlers: handlers.iter().map(|h| all(h)).collect(),
            finally: all(finally),
            span: *span,
        },
        Stmt::Block(b) => Stmt::Block(all(b)),
        other => other.clone(),
    }
}

/// Object-literal argument pairs as keyword arguments; nested objects add dotted names.
fn lift_kwargs(pairs: &[(Expr, Expr)], prefix: &str, depth: usize, out: &mut Vec<(String, Expr)>) {
    for (k, v) in pairs {
        let Expr::Str(k, _) = k else { continue };
        let name = format!("{prefix}{k}");
        if let (Expr::Dict(inner, _), true) = (v, depth < 3) {
            lift_kwargs(inner, &format!("{name}."), depth + 1, out);
        }
        out.push((name, v.clone()));
    }
}

fn binop(op: &str) -> BinOp {
    match op {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Mod,
        "==" | "===" => BinOp::Eq,
        "!=" | "!==" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "&&" => BinOp::And,
        "||" => BinOp::Or,
        _ => BinOp::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str, ts: bool) -> Module {
        let lang: tree_sitter::Language = if ts {
            tree_sitter_typescript::LANGUAGE_TSX.into()
        } else {
            tree_sitter_javascript::LANGUAGE.into()
        };
        let mut p = tree_sitter::Parser::new();
        p.set_language(&lang).unwrap();
        let tree = p.parse(src, None).unwrap();
        lower(&tree, src.as_bytes())
    }

    #[test]
    fn imports_and_functions() {
        let m = parse(
            "const cp = require('child_process');\nconst { exec: run } = require('node:child_process');\nimport fs, { promises as fsp } from 'fs';\nclass A { m(x) { return x; } }\napp.get('/', (req, res) => res.send(req.query.q));",
            false,
        );
        assert!(m.imports.contains(&("cp".into(), "child_process".into())));
        assert!(m
            .imports
            .contains(&("run".into(), "child_process.exec".into())));
        assert!(m.imports.contains(&("fsp".into(), "fs.promises".into())));
        assert!(m.functions.iter().any(|f| f.name == "A.m"));
        assert_eq!(m.functions.len(), 2);
    }

    #[test]
    fn typescript_params() {
        let m = parse(
            "export class C { @Get(':id') find(@Param('id') id: string, req: express.Request) { return (id as any)!; } }",
            true,
        );
        let f = m.functions.iter().find(|f| f.name == "C.find").unwrap();
        assert_eq!(f.params[0].annotations, vec!["Param".to_string()]);
        assert_eq!(f.params[1].ty.as_deref(), Some("express.Request"));
        assert_eq!(f.decorators.len(), 1);
    }

    #[test]
    fn deep_parens() {
        let src = format!("x = {}1{};", "(".repeat(5000), ")".repeat(5000));
        let _ = parse(&src, false);
    }

    #[test]
    fn long_plus_chain() {
        let src = format!("x = {}1;", "a + ".repeat(20000));
        let _ = parse(&src, false);
    }

    #[test]
    fn deep_functions() {
        let src = "function f() {".repeat(3000);
        let _ = parse(&src, true);
    }

    #[test]
    fn deep_else_if() {
        let src = format!(
            "function g() {{ if (a) {{}} {} }}",
            "else if (a) {} ".repeat(400)
        );
        let _ = parse(&src, false);
    }

    #[test]
    fn deep_calls() {
        let src = format!("x = {}1{};", "f(".repeat(3000), ")".repeat(3000));
        let _ = parse(&src, false);
        let src = format!("x = {}1{};", "[".repeat(3000), "]".repeat(3000));
        let _ = parse(&src, false);
    }
}
