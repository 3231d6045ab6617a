//! Go front-end: tree-sitter-go syntax tree → [`Module`].
//!
//! Lowering choices worth knowing when writing `rules/go.toml`:
//! - Imports map the package's local name to its import path (`exec` → `os/exec`,
//!   `sq "database/sql"` → `sq` → `database/sql`); the local name of an unaliased import is
//!   the last path element without a `/vN` or `.vN` version suffix or a `go-` prefix. A blank
//!   import (`import _ "net/http/pprof"`) becomes a call `net/http/pprof.init()` at the top
//!   level, which is what Go runs.
//! - Methods are `Type.method`; the receiver is the first parameter, always named `self`
//!   (uses of the receiver inside the body are renamed), with the receiver's type; the
//!   body starts by declaring the receiver struct's package-typed fields
//!   (`self.db` with `decl_type` `*sql.DB`), so `self.db.Query` resolves to `DB.Query`.
//! - Composite literals of a package type (`&http.Cookie{Name: n, Secure: true}`) become a
//!   call of the type with the fields as keyword arguments, so `[[pattern]]`s with `kwarg` /
//!   `missing_kwarg` work; local struct literals are dicts with the field names as keys;
//!   slice/array literals are lists and map literals dicts. `x := &pkg.T{..}`, `x := new(T)`
//!   and a few well-known constructors (`sql.Open`, `db.Begin`, `template.New`, `echo.New`)
//!   give `x` a declared type.
//! - `fmt.Fprint*(w, ...)` and `io.WriteString(w, s)` are lowered as method calls on the
//!   writer (`w.Fprintf(...)`, `w.WriteString(s)`), so the writer's type decides whether the
//!   call is a sink (`ResponseWriter.Fprintf`).
//! - Conversions `string(x)`, `[]byte(x)`, `T(x)` for non-package types and type assertions
//!   unwrap to `x`; `&x` and `*x` unwrap too.

use super::super::ir::{BinOp, Case, Expr, Function, Module, Param, Span, Stmt, UnOp};
use super::FieldExt;
use super::{named_children as named, span, text};
use tree_sitter::{Node, Tree};

/// Expression/statement nesting depth below which lowering gives up.
const MAX_DEPTH: usize = 200;

pub fn lower(tree: &Tree, src: &[u8]) -> Module {
    // Lowering recurses once per nesting level (bounded by MAX_DEPTH); debug builds use
    // large frames, so there a deep tree is lowered on a thread with a roomy stack. Release
    // frames fit MAX_DEPTH levels in a default stack, and walking every node to measure the
    // depth cost as much as a fifth of the Go front-end's time.
    let deep = cfg!(debug_assertions) && tree_depth(tree.root_node()) > 48;
    if deep {
        let result = std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("sast-go-lower".into())
                .stack_size(64 * 1024 * 1024)
                .spawn_scoped(s, || lower_inner(tree, src))
                .ok()
                .and_then(|h| h.join().ok())
        });
        if let Some(m) = result {
            return m;
        }
    }
    lower_inner(tree, src)
}

/// Nesting depth of the syntax tree (iterative).
fn tree_depth(root: Node<'_>) -> usize {
    let mut cursor = root.walk();
    let mut depth = 0usize;
    let mut max = 0usize;
    loop {
        if cursor.goto_first_child() {
            depth += 1;
            max = max.max(depth);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return max;
            }
            depth -= 1;
        }
    }
}

fn lower_inner(tree: &Tree, src: &[u8]) -> Module {
    let mut l = Lower {
        src,
        module: Module::default(),
        depth: 0,
        receiver: None,
        fields: Vec::new(),
    };
    let root = tree.root_node();
    // Imports and struct field types first, so later lowering can consult them.
    for c in named(root) {
        match c.kind() {
            "import_declaration" => l.import_decl(c),
            "type_declaration" => l.struct_decl(c),
            _ => {}
        }
    }
    let mut top = Vec::new();
    for c in named(root) {
        match c.kind() {
            "import_declaration" | "package_clause" | "comment" => {}
            "function_declaration" => l.function_decl(c),
            "method_declaration" => l.method_decl(c),
            _ => top.extend(l.stmt(c)),
        }
    }
    // Blank imports run the package's `init`.
    let mut inits = l.blank_imports(root);
    inits.extend(top);
    l.module.top = Function {
        name: "<module>".into(),
        body: inits,
        span: span(root),
        ..Function::default()
    };
    l.module
}

/// The local name Go gives an unaliased import path.
fn package_name(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut last = parts.pop().unwrap_or(path);
    let is_version =
        |s: &str| s.len() > 1 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit());
    if is_version(last) {
        if let Some(prev) = parts.pop() {
            last = prev;
        }
    }
    // gopkg.in/yaml.v3 → yaml
    if let Some((base, ver)) = last.rsplit_once('.') {
        if is_version(ver) {
            last = base;
        }
    }
    let last = last.strip_prefix("go-").unwrap_or(last);
    let last = last.strip_suffix("-go").unwrap_or(last);
    last.replace(['-', '.'], "_")
}

/// Types of the first result of well-known constructors (`sql.Open` → `*sql.DB`).
fn constructor_type(resolved: &str, method: &str) -> Option<&'static str> {
    let t = match resolved {
        "database/sql.Open"
        | "github.com/jmoiron/sqlx.Open"
        | "github.com/jmoiron/sqlx.Connect"
        | "github.com/jmoiron/sqlx.MustConnect"
        | "github.com/jmoiron/sqlx.MustOpen"
        | "gorm.io/gorm.Open"
        | "github.com/jinzhu/gorm.Open" => "*sql.DB",
        "github.com/jackc/pgx/v5.Connect" | "github.com/jackc/pgx/v4.Connect" => "*pgx.Conn",
        "github.com/jackc/pgx/v5/pgxpool.New"
        | "github.com/jackc/pgx/v4/pgxpool.Connect"
        | "github.com/jackc/pgx/v5/pgxpool.NewWithConfig" => "*pgxpool.Pool",
        "html/template.New"
        | "text/template.New"
        | "html/template.Must"
        | "text/template.Must"
        | "html/template.ParseFiles"
        | "text/template.ParseFiles" => "*template.Template",
        "github.com/labstack/echo/v4.New" | "github.com/labstack/echo.New" => "*echo.Echo",
        "github.com/gin-gonic/gin.New" | "github.com/gin-gonic/gin.Default" => "*gin.Engine",
        _ => "",
    };
    if !t.is_empty() {
        return Some(t);
    }
    match method {
        "Begin" | "BeginTx" | "Beginx" | "MustBegin" => Some("*sql.Tx"),
        _ => None,
    }
}

struct Lower<'a> {
    src: &'a [u8],
    module: Module,
    depth: usize,
    /// The receiver name of the method being lowered (renamed to `self`).
    receiver: Option<String>,
    /// Struct types of this file: (type, field, field type) for non-basic field types.
    fields: Vec<(String, String, String)>,
}

impl<'a> Lower<'a> {
    fn text(&self, n: Node<'_>) -> &'a str {
        text(n, self.src)
    }

    fn resolve(&self, name: &str) -> String {
        self.module.resolve_import(name).to_string()
    }

    fn is_package(&self, name: &str) -> bool {
        self.module.imports.iter().any(|(l, _)| l == name)
    }

    // ----- imports ----------------------------------------------------------------------

    fn import_decl(&mut self, node: Node<'_>) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "import_spec" => {
                    let Some(p) = n.field("path") else {
                        continue;
                    };
                    let path = decode_string(self.text(p));
                    if path.is_empty() {
                        continue;
                    }
                    match n.field("name") {
                        Some(a) if a.kind() == "package_identifier" => {
                            let alias = self.text(a).to_string();
                            self.module.imports.push((alias, path));
                        }
                        Some(_) => {}
                        None => {
                            let local = package_name(&path);
                            self.module.imports.push((local, path));
                        }
                    }
                }
                _ => stack.extend(named(n)),
            }
        }
    }

    fn blank_imports(&self, root: Node<'_>) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut stack: Vec<Node<'_>> = named(root)
            .into_iter()
            .filter(|c| c.kind() == "import_declaration")
            .collect();
        while let Some(n) = stack.pop() {
            if n.kind() == "import_spec" {
                let blank = n
                    .field("name")
                    .is_some_and(|a| a.kind() == "blank_identifier");
                if let (true, Some(p)) = (blank, n.field("path")) {
                    let path = decode_string(self.text(p));
                    let sp = span(n);
                    out.push(Stmt::Expr(Expr::Call {
                        func: Box::new(Expr::Attr {
                            obj: Box::new(Expr::Name(path, span(p))),
                            name: "init".into(),
                            span: sp,
                        }),
                        args: Vec::new(),
                        kwargs: Vec::new(),
                        span: sp,
                    }));
                }
            } else {
                stack.extend(named(n));
            }
        }
        out
    }

    /// `type S struct { db *sql.DB }`: remember typed fields (methods on `S` declare them).
    fn struct_decl(&mut self, node: Node<'_>) {
        for spec in named(node) {
            if spec.kind() != "type_spec" {
                continue;
            }
            let (Some(name), Some(ty)) = (spec.field("name"), spec.field("type")) else {
                continue;
            };
            if ty.kind() != "struct_type" {
                continue;
            }
            let tname = self.text(name).to_string();
            for list in named(ty) {
                for fd in named(list) {
                    if fd.kind() != "field_declaration" {
                        continue;
                    }
                    let Some(ft) = fd.field("type") else {
                        continue;
                    };
                    let ft = self.text(ft).to_string();
                    if !ft.contains('.') {
                        continue;
                    }
                    let mut cursor = fd.walk();
                    for n in fd.children_by_field_name("name", &mut cursor) {
                        self.fields
                            .push((tname.clone(), self.text(n).to_string(), ft.clone()));
                    }
                }
            }
        }
    }

    // ----- functions --------------------------------------------------------------------

    fn params(&self, list: Option<Node<'_>>) -> Vec<Param> {
        let mut out = Vec::new();
        let Some(list) = list else { return out };
        for p in named(list) {
            if !matches!(
                p.kind(),
                "parameter_declaration" | "variadic_parameter_declaration"
            ) {
                continue;
            }
            let ty = p.field("type").map(|t| {
                let t = self.text(t).to_string();
                if p.kind() == "variadic_parameter_declaration" {
                    format!("...{t}")
                } else {
                    t
                }
            });
            let mut cursor = p.walk();
            let names: Vec<Node<'_>> = p.children_by_field_name("name", &mut cursor).collect();
            if names.is_empty() {
                out.push(Param {
                    name: "_".into(),
                    ty: ty.clone(),
                    span: span(p),
                    ..Param::default()
                });
            }
            for n in names {
                out.push(Param {
                    name: self.text(n).to_string(),
                    ty: ty.clone(),
                    span: span(n),
                    ..Param::default()
                });
            }
        }
        out
    }

    fn function_decl(&mut self, node: Node<'_>) {
        let name = node
            .field("name")
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let params = self.params(node.field("parameters"));
        let body = self.body(node.field("body"));
        self.module.functions.push(Function {
            name,
            params,
            body,
            decorators: Vec::new(),
            span: span(node),
        });
    }

    fn method_decl(&mut self, node: Node<'_>) {
        let name = node
            .field("name")
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let recv = self.params(node.field("receiver"));
        let (recv_name, recv_ty, recv_span) = match recv.into_iter().next() {
            Some(p) => (p.name, p.ty, p.span),
            None => ("_".into(), None, span(node)),
        };
        let type_name = recv_ty
            .as_deref()
            .map(|t| {
                let t = t.trim().trim_start_matches('*');
                let t = t.split('[').next().unwrap_or(t);
                t.rsplit('.').next().unwrap_or(t).trim().to_string()
            })
            .unwrap_or_default();
        let mut params = vec![Param {
            name: "self".into(),
            ty: recv_ty,
            span: recv_span,
            ..Param::default()
        }];
        params.extend(self.params(node.field("parameters")));
        let saved = self.receiver.replace(recv_name);
        // Declare the receiver's typed fields (`self.db` is a `*sql.DB`).
        let sp = span(node);
        let mut body: Vec<Stmt> = self
            .fields
            .iter()
            .filter(|(t, _, _)| *t == type_name)
            .map(|(_, f, ft)| {
                let target = Expr::Attr {
                    obj: Box::new(Expr::Name("self".into(), sp)),
                    name: f.clone(),
                    span: sp,
                };
                Stmt::Assign {
                    targets: vec![target.clone()],
                    value: target,
                    decl_type: Some(ft.clone()),
                    span: sp,
                }
            })
            .collect();
        body.extend(self.body(node.field("body")));
        self.receiver = saved;
        self.module.functions.push(Function {
            name: if type_name.is_empty() {
                name
            } else {
                format!("{type_name}.{name}")
            },
            params,
            body,
            decorators: Vec::new(),
            span: span(node),
        });
    }

    fn func_literal(&mut self, node: Node<'_>, name: Option<String>) -> Expr {
        let sp = span(node);
        let params = self.params(node.field("parameters"));
        let body = self.body(node.field("body"));
        let name = name.unwrap_or_else(|| format!("<func@{}:{}>", sp.line, sp.col));
        self.module.functions.push(Function {
            name,
            params,
            body,
            decorators: Vec::new(),
            span: sp,
        });
        Expr::Lambda(self.module.functions.len() - 1, sp)
    }

    fn body(&mut self, block: Option<Node<'_>>) -> Vec<Stmt> {
        match block {
            Some(b) => self.block(b),
            None => Vec::new(),
        }
    }

    fn block(&mut self, node: Node<'_>) -> Vec<Stmt> {
        let mut out = Vec::new();
        for c in named(node) {
            if c.kind() == "statement_list" {
                for s in named(c) {
                    out.extend(self.stmt(s));
                }
            } else {
                out.extend(self.stmt(c));
            }
        }
        out
    }

    // ----- statements -------------------------------------------------------------------

    fn stmt(&mut self, node: Node<'_>) -> Vec<Stmt> {
        if self.depth >= MAX_DEPTH {
            return Vec::new();
        }
        self.depth += 1;
        let out = self.stmt_inner(node);
        self.depth -= 1;
        out
    }

    fn stmt_inner(&mut self, node: Node<'_>) -> Vec<Stmt> {
        let sp = span(node);
        match node.kind() {
            "expression_statement" | "defer_statement" | "go_statement" => named(node)
                .first()
                .map(|e| vec![Stmt::Expr(self.expr(*e))])
                .unwrap_or_default(),
            "short_var_declaration" => {
                let left = self.list_nodes(node.field("left"));
                let right = self.list_nodes(node.field("right"));
                self.assign(&left, &right, sp, true)
            }
            "assignment_statement" => {
                let left = self.list_nodes(node.field("left"));
                let right = self.list_nodes(node.field("right"));
                let op = node.field("operator").map(|o| self.text(o)).unwrap_or("=");
                if op == "=" {
                    self.assign(&left, &right, sp, false)
                } else {
                    let (Some(l), Some(r)) = (left.first(), right.first()) else {
                        return Vec::new();
                    };
                    let target = self.expr(*l);
                    let value = Expr::Binary {
                        op: binop(op.trim_end_matches('=')),
                        left: Box::new(self.expr(*l)),
                        right: Box::new(self.expr(*r)),
                        span: sp,
                    };
                    vec![Stmt::Assign {
                        targets: vec![target],
                        value,
                        decl_type: None,
                        span: sp,
                    }]
                }
            }
            "inc_statement" | "dec_statement" => {
                let Some(e) = named(node).into_iter().next() else {
                    return Vec::new();
                };
                let target = self.expr(e);
                let value = Expr::Binary {
                    op: if node.kind() == "inc_statement" {
                        BinOp::Add
                    } else {
                        BinOp::Sub
                    },
                    left: Box::new(self.expr(e)),
                    right: Box::new(Expr::Num(1.0, sp)),
                    span: sp,
                };
                vec![Stmt::Assign {
                    targets: vec![target],
                    value,
                    decl_type: None,
                    span: sp,
                }]
            }
            "var_declaration" | "const_declaration" => {
                let mut out = Vec::new();
                let mut stack = named(node);
                stack.reverse();
                while let Some(c) = stack.pop() {
                    match c.kind() {
                        "var_spec" | "const_spec" => out.extend(self.var_spec(c)),
                        "var_spec_list" => {
                            let mut inner = named(c);
                            inner.reverse();
                            stack.extend(inner);
                        }
                        _ => {}
                    }
                }
                out
            }
            "return_statement" => {
                let vals = self.list_nodes(named(node).into_iter().next());
                let v = match vals.len() {
                    0 => None,
                    1 => Some(self.expr(vals[0])),
                    _ => Some(Expr::List(vals.iter().map(|v| self.expr(*v)).collect(), sp)),
                };
                vec![Stmt::Return(v, sp)]
            }
            "if_statement" => self.if_stmt(node),
            "expression_switch_statement" => self.expr_switch(node),
            "type_switch_statement" => self.type_switch(node),
            "select_statement" => {
                let mut cases = Vec::new();
                for c in named(node) {
                    let mut body = Vec::new();
                    for s in named(c) {
                        match s.kind() {
                            "statement_list" => {
                                for x in named(s) {
                                    body.extend(self.stmt(x));
                                }
                            }
                            "send_statement" | "receive_statement" => body.extend(self.stmt(s)),
                            _ => {}
                        }
                    }
                    cases.push(Case {
                        labels: if c.kind() == "default_case" {
                            Vec::new()
                        } else {
                            vec![Expr::Other(Vec::new(), span(c))]
                        },
                        body,
                        fallthrough: false,
                    });
                }
                vec![Stmt::Switch {
                    subject: Expr::Other(Vec::new(), sp),
                    cases,
                    span: sp,
                }]
            }
            "receive_statement" => {
                let left = self.list_nodes(node.field("left"));
                let right = node.field("right").map(|r| self.expr(r));
                let value = Expr::Other(right.into_iter().collect(), sp);
                if left.is_empty() {
                    return vec![Stmt::Expr(value)];
                }
                let targets = self.targets(&left, sp);
                vec![Stmt::Assign {
                    targets: vec![targets],
                    value,
                    decl_type: None,
                    span: sp,
                }]
            }
            "send_statement" => {
                let parts: Vec<Expr> = named(node).into_iter().map(|c| self.expr(c)).collect();
                vec![Stmt::Expr(Expr::Other(parts, sp))]
            }
            "for_statement" => self.for_stmt(node),
            "block" => vec![Stmt::Block(self.block(node))],
            "labeled_statement" => {
                let mut out = Vec::new();
                for c in named(node) {
                    if c.kind() != "label_name" {
                        out.extend(self.stmt(c));
                    }
                }
                out
            }
            "break_statement" => vec![Stmt::Break(sp)],
            "continue_statement" => vec![Stmt::Continue(sp)],
            "goto_statement" => vec![Stmt::Jump(sp)],
            "function_declaration" => {
                self.function_decl(node);
                Vec::new()
            }
            "method_declaration" => {
                self.method_decl(node);
                Vec::new()
            }
            "statement_list" => {
                let mut out = Vec::new();
                for c in named(node) {
                    out.extend(self.stmt(c));
                }
                out
            }
            "fallthrough_statement"
            | "empty_statement"
            | "type_declaration"
            | "comment"
            | "ERROR" => Vec::new(),
            k if k.ends_with("_expression") || matches!(k, "identifier" | "func_literal") => {
                vec![Stmt::Expr(self.expr(node))]
            }
            _ => Vec::new(),
        }
    }

    fn list_nodes<'t>(&self, list: Option<Node<'t>>) -> Vec<Node<'t>> {
        match list {
            Some(l) if l.kind() == "expression_list" => named(l),
            Some(l) => vec![l],
            None => Vec::new(),
        }
    }

    fn targets(&mut self, left: &[Node<'_>], sp: Span) -> Expr {
        if left.len() == 1 {
            self.expr(left[0])
        } else {
            Expr::List(left.iter().map(|l| self.expr(*l)).collect(), sp)
        }
    }

    /// `a, b := x, y` / `a := f()` / `a, err := f()`.
    fn assign(
        &mut self,
        left: &[Node<'_>],
        right: &[Node<'_>],
        sp: Span,
        is_decl: bool,
    ) -> Vec<Stmt> {
        if left.is_empty() || right.is_empty() {
            return right.iter().map(|r| Stmt::Expr(self.expr(*r))).collect();
        }
        let mut out = Vec::new();
        if left.len() == right.len() {
            if left.len() == 1 {
                let (l, r) = (left[0], right[0]);
                let lname = (l.kind() == "identifier").then(|| self.text(l).to_string());
                let value = if r.kind() == "func_literal" {
                    self.func_literal(r, lname.clone())
                } else {
                    self.expr(r)
                };
                let decl_type = if is_decl || lname.is_some() {
                    self.infer_type(r, &value)
                } else {
                    None
                };
                let target = self.expr(l);
                out.push(Stmt::Assign {
                    targets: vec![target],
                    value,
                    decl_type,
                    span: sp,
                });
                return out;
            }
            let targets = self.targets(left, sp);
            let values = Expr::List(right.iter().map(|r| self.expr(*r)).collect(), sp);
            out.push(Stmt::Assign {
                targets: vec![targets],
                value: values,
                decl_type: None,
                span: sp,
            });
            return out;
        }
        // `a, err := f()`: the engine gives the flattened value to each target.
        let value = if right.len() == 1 {
            self.expr(right[0])
        } else {
            Expr::Other(right.iter().map(|r| self.expr(*r)).collect(), sp)
        };
        let first_type = if right.len() == 1 {
            self.infer_type(right[0], &value)
        } else {
            None
        };
        let targets = self.targets(left, sp);
        out.push(Stmt::Assign {
            targets: vec![targets],
            value,
            decl_type: None,
            span: sp,
        });
        if let (Some(t), Some(first)) = (first_type, left.first()) {
            if first.kind() == "identifier" && self.text(*first) != "_" {
                let name = self.ident(*first);
                out.push(Stmt::Assign {
                    targets: vec![name.clone()],
                    value: name,
                    decl_type: Some(t),
                    span: sp,
                });
            }
        }
        out
    }

    /// The declared type implied by a value: `&pkg.T{}`, `pkg.T{}`, `new(T)`, constructors.
    fn infer_type(&self, r: Node<'_>, value: &Expr) -> Option<String> {
        let mut n = r;
        while n.kind() == "unary_expression" || n.kind() == "parenthesized_expression" {
            n = named(n).into_iter().last()?;
        }
        match n.kind() {
            "composite_literal" => {
                let t = n.field("type")?;
                match t.kind() {
                    "qualified_type" | "type_identifier" | "generic_type" => {
                        Some(self.text(t).to_string())
                    }
                    _ => None,
                }
            }
            "call_expression" => {
                let f = n.field("function")?;
                if f.kind() == "identifier" && self.text(f) == "new" {
                    let a = n.field("arguments")?;
                    return named(a).first().map(|t| self.text(*t).to_string());
                }
                let path = match value {
                    Expr::Call { func, .. } => func.path()?,
                    _ => return None,
                };
                let (root, rest) = path.split_once('.').unwrap_or((&path, ""));
                let resolved = if rest.is_empty() {
                    self.resolve(root)
                } else {
                    format!("{}.{rest}", self.resolve(root))
                };
                let method = path.rsplit('.').next().unwrap_or("");
                constructor_type(&resolved, method).map(str::to_string)
            }
            _ => None,
        }
    }

    fn var_spec(&mut self, node: Node<'_>) -> Vec<Stmt> {
        let sp = span(node);
        let mut cursor = node.walk();
        let names: Vec<Node<'_>> = node.children_by_field_name("name", &mut cursor).collect();
        let ty = node.field("type");
        let values = self.list_nodes(node.field("value"));
        if names.is_empty() {
            return Vec::new();
        }
        let ty_text = ty.map(|t| self.text(t).to_string());
        if values.is_empty() {
            return names
                .iter()
                .map(|n| Stmt::Assign {
                    targets: vec![self.ident(*n)],
                    value: zero_value(ty_text.as_deref(), sp),
                    decl_type: ty_text.clone(),
                    span: sp,
                })
                .collect();
        }
        if names.len() == values.len() {
            let mut out = Vec::new();
            for (n, v) in names.iter().zip(values.iter()) {
                let lname = self.text(*n).to_string();
                let value = if v.kind() == "func_literal" {
                    self.func_literal(*v, Some(lname))
                } else {
                    self.expr(*v)
                };
                let decl_type = ty_text.clone().or_else(|| self.infer_type(*v, &value));
                let target = self.ident(*n);
                out.push(Stmt::Assign {
                    targets: vec![target],
                    value,
                    decl_type,
                    span: sp,
                });
            }
            return out;
        }
        self.assign(&names, &values, sp, true)
    }

    fn if_stmt(&mut self, node: Node<'_>) -> Vec<Stmt> {
        let sp = span(node);
        let mut out = Vec::new();
        if let Some(init) = node.field("initializer") {
            out.extend(self.stmt(init));
        }
        let cond = match node.field("condition") {
            Some(c) => self.expr(c),
            None => Expr::Other(Vec::new(), sp),
        };
        let then = self.body(node.field("consequence"));
        let els = match node.field("alternative") {
            Some(a) if a.kind() == "if_statement" => self.stmt(a),
            Some(a) => self.block(a),
            None => Vec::new(),
        };
        out.push(Stmt::If {
            cond,
            then,
            els,
            span: sp,
        });
        out
    }

    /// Statements of a case clause and whether it ends with `fallthrough`.
    fn case_body(&mut self, node: Node<'_>) -> (Vec<Stmt>, bool) {
        let mut body = Vec::new();
        let mut fallthrough = false;
        for c in named(node) {
            if c.kind() == "statement_list" {
                for s in named(c) {
                    fallthrough = s.kind() == "fallthrough_statement";
                    body.extend(self.stmt(s));
                }
            }
        }
        (body, fallthrough)
    }

    fn expr_switch(&mut self, node: Node<'_>) -> Vec<Stmt> {
        let sp = span(node);
        let mut out = Vec::new();
        if let Some(init) = node.field("initializer") {
            out.extend(self.stmt(init));
        }
        let clauses: Vec<Node<'_>> = named(node)
            .into_iter()
            .filter(|c| matches!(c.kind(), "expression_case" | "default_case"))
            .collect();
        let mut cases = Vec::new();
        for c in &clauses {
            let labels: Vec<Expr> = if c.kind() == "default_case" {
                Vec::new()
            } else {
                self.list_nodes(c.field("value"))
                    .into_iter()
                    .map(|v| self.expr(v))
                    .collect()
            };
            let (body, fallthrough) = self.case_body(*c);
            cases.push(Case {
                labels,
                body,
                fallthrough,
            });
        }
        match node.field("value") {
            Some(v) => {
                let subject = self.expr(v);
                out.push(Stmt::Switch {
                    subject,
                    cases,
                    span: sp,
                });
            }
            None => out.extend(tagless_switch(cases, sp)),
        }
        out
    }

    fn type_switch(&mut self, node: Node<'_>) -> Vec<Stmt> {
        let sp = span(node);
        let mut out = Vec::new();
        if let Some(init) = node.field("initializer") {
            out.extend(self.stmt(init));
        }
        let value = node.field("value");
        let alias = self.list_nodes(node.field("alias"));
        let mut cases = Vec::new();
        for c in named(node) {
            if !matches!(c.kind(), "type_case" | "default_case") {
                continue;
            }
            let mut body = Vec::new();
            if let (Some(a), Some(v)) = (alias.first(), value) {
                body.push(Stmt::Assign {
                    targets: vec![self.expr(*a)],
                    value: self.expr(v),
                    decl_type: None,
                    span: span(c),
                });
            }
            let (rest, _) = self.case_body(c);
            body.extend(rest);
            let labels = if c.kind() == "default_case" {
                Vec::new()
            } else {
                vec![Expr::Other(Vec::new(), span(c))]
            };
            cases.push(Case {
                labels,
                body,
                fallthrough: false,
            });
        }
        let subject = Expr::Other(value.map(|v| self.expr(v)).into_iter().collect(), sp);
        out.push(Stmt::Switch {
            subject,
            cases,
            span: sp,
        });
        out
    }

    fn for_stmt(&mut self, node: Node<'_>) -> Vec<Stmt> {
        let sp = span(node);
        let mut init = Vec::new();
        let mut body = Vec::new();
        let mut update = Vec::new();
        let mut out = Vec::new();
        for c in named(node) {
            match c.kind() {
                "for_clause" => {
                    if let Some(i) = c.field("initializer") {
                        out.extend(self.stmt(i));
                    }
                    if let Some(cond) = c.field("condition") {
                        body.push(Stmt::Expr(self.expr(cond)));
                    }
                    if let Some(u) = c.field("update") {
                        update.extend(self.stmt(u));
                    }
                }
                "range_clause" => {
                    let left = self.list_nodes(c.field("left"));
                    if let Some(r) = c.field("right") {
                        let coll = self.expr(r);
                        let rsp = span(r);
                        if left.is_empty() {
                            body.push(Stmt::Expr(coll));
                        } else {
                            let elem = Expr::Index {
                                obj: Box::new(coll),
                                index: Box::new(Expr::Other(Vec::new(), rsp)),
                                span: rsp,
                            };
                            let targets = self.targets(&left, rsp);
                            let bind = Stmt::Assign {
                                targets: vec![targets],
                                value: elem,
                                decl_type: None,
                                span: rsp,
                            };
                            // Bound once before the loop and again at the top of the body.
                            init.push(bind.clone());
                            body.insert(0, bind);
                        }
                    }
                }
                "block" => body.extend(self.block(c)),
                _ => body.push(Stmt::Expr(self.expr(c))),
            }
        }
        body.extend(update);
        out.push(Stmt::Loop {
            init,
            body,
            span: sp,
        });
        out
    }

    // ----- expressions ------------------------------------------------------------------

    fn ident(&self, n: Node<'_>) -> Expr {
        let t = self.text(n);
        let name = match &self.receiver {
            Some(r) if r == t && r != "_" => "self",
            _ => t,
        };
        Expr::Name(name.to_string(), span(n))
    }

    fn expr(&mut self, node: Node<'_>) -> Expr {
        if self.depth >= MAX_DEPTH {
            return Expr::Other(Vec::new(), span(node));
        }
        self.depth += 1;
        let e = self.expr_inner(node);
        self.depth -= 1;
        e
    }

    fn expr_inner(&mut self, node: Node<'_>) -> Expr {
        let sp = span(node);
        match node.kind() {
            "identifier" | "field_identifier" | "package_identifier" | "type_identifier" => {
                self.ident(node)
            }
            "int_literal" => parse_int(self.text(node))
                .map_or_else(|| Expr::Other(Vec::new(), sp), |n| Expr::Num(n, sp)),
            "float_literal" => {
                let t = self.text(node).replace('_', "");
                t.parse::<f64>()
                    .map_or_else(|_| Expr::Other(Vec::new(), sp), |n| Expr::Num(n, sp))
            }
            "interpreted_string_literal" | "raw_string_literal" | "rune_literal" => {
                Expr::Str(decode_string(self.text(node)), sp)
            }
            "true" => Expr::Bool(true, sp),
            "false" => Expr::Bool(false, sp),
            "nil" => Expr::Null(sp),
            "iota" => Expr::Other(Vec::new(), sp),
            "parenthesized_expression" => match named(node).into_iter().next() {
                Some(c) => self.expr(c),
                None => Expr::Other(Vec::new(), sp),
            },
            "selector_expression" => {
                let (Some(op), Some(f)) = (node.field("operand"), node.field("field")) else {
                    return Expr::Other(Vec::new(), sp);
                };
                let field = self.text(f).to_string();
                if op.kind() == "identifier" {
                    let pkg = self.text(op);
                    if self.is_package(pkg) {
                        if let Some(c) = package_constant(&self.resolve(pkg), &field) {
                            return Expr::Str(c.into(), sp);
                        }
                    }
                }
                Expr::Attr {
                    obj: Box::new(self.expr(op)),
                    name: field,
                    span: sp,
                }
            }
            "index_expression" => {
                let obj = node.field("operand").map(|o| self.expr(o));
                let index = node.field("index").map(|i| self.expr(i));
                match (obj, index) {
                    (Some(o), Some(i)) => Expr::Index {
                        obj: Box::new(o),
                        index: Box::new(i),
                        span: sp,
                    },
                    (o, i) => Expr::Other(o.into_iter().chain(i).collect(), sp),
                }
            }
            "slice_expression" => {
                let mut parts = Vec::new();
                for f in ["operand", "start", "end", "capacity"] {
                    if let Some(c) = node.field(f) {
                        parts.push(self.expr(c));
                    }
                }
                Expr::Other(parts, sp)
            }
            "type_assertion_expression" | "type_conversion_expression" => {
                match node.field("operand") {
                    Some(o) => self.expr(o),
                    None => Expr::Other(Vec::new(), sp),
                }
            }
            "call_expression" => self.call(node),
            "func_literal" => self.func_literal(node, None),
            "composite_literal" => self.composite(node),
            "literal_value" => self.literal_value(node, false),
            "unary_expression" => {
                let op = node.field("operator").map(|o| self.text(o)).unwrap_or("");
                let Some(operand) = node.field("operand") else {
                    return Expr::Other(Vec::new(), sp);
                };
                let inner = self.expr(operand);
                match op {
                    "&" | "*" | "+" => inner,
                    "!" => Expr::Unary {
                        op: UnOp::Not,
                        expr: Box::new(inner),
                        span: sp,
                    },
                    "-" => Expr::Unary {
                        op: UnOp::Neg,
                        expr: Box::new(inner),
                        span: sp,
                    },
                    "<-" => Expr::Other(vec![inner], sp),
                    _ => Expr::Unary {
                        op: UnOp::Other,
                        expr: Box::new(inner),
                        span: sp,
                    },
                }
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| self.text(o)).unwrap_or("");
                let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
                    return Expr::Other(Vec::new(), sp);
                };
                // Long `a + b + c + ...` chains nest to the left: lower iteratively.
                let mut chain = vec![r];
                let mut cur = l;
                while cur.kind() == "binary_expression"
                    && cur.field("operator").map(|o| self.text(o)) == Some(op)
                    && chain.len() < 10_000
                {
                    match (cur.field("left"), cur.field("right")) {
                        (Some(a), Some(b)) => {
                            chain.push(b);
                            cur = a;
                        }
                        _ => break,
                    }
                }
                let bop = binop(op);
                let is_str = |n: &Node<'_>| {
                    matches!(
                        n.kind(),
                        "interpreted_string_literal" | "raw_string_literal"
                    )
                };
                // String concatenation (a string literal operand makes every operand a
                // string) and very long chains are flattened: no deep IR for the engine.
                let string_concat = op == "+" && (is_str(&cur) || chain.iter().any(is_str));
                if string_concat || chain.len() > 64 {
                    let mut parts = vec![self.expr(cur)];
                    while let Some(n) = chain.pop() {
                        parts.push(self.expr(n));
                    }
                    return if string_concat {
                        Expr::Concat(parts, sp)
                    } else {
                        Expr::Other(parts, sp)
                    };
                }
                let mut acc = self.expr(cur);
                while let Some(n) = chain.pop() {
                    let right = self.expr(n);
                    let s = Span {
                        line: sp.line,
                        col: sp.col,
                        end_line: span(n).end_line,
                        end_col: span(n).end_col,
                    };
                    acc = Expr::Binary {
                        op: bop,
                        left: Box::new(acc),
                        right: Box::new(right),
                        span: s,
                    };
                }
                acc
            }
            "expression_list" => {
                let items: Vec<Expr> = named(node).into_iter().map(|c| self.expr(c)).collect();
                Expr::List(items, sp)
            }
            "literal_element" => match named(node).into_iter().next() {
                Some(c) => self.expr(c),
                None => Expr::Other(Vec::new(), sp),
            },
            "variadic_argument" => match named(node).into_iter().next() {
                Some(c) => self.expr(c),
                None => Expr::Other(Vec::new(), sp),
            },
            _ => {
                let kids: Vec<Expr> = named(node)
                    .into_iter()
                    .filter(|c| !is_type_node(c.kind()))
                    .map(|c| self.expr(c))
                    .collect();
                Expr::Other(kids, sp)
            }
        }
    }

    fn args(&mut self, node: Option<Node<'_>>) -> Vec<Expr> {
        let Some(list) = node else { return Vec::new() };
        named(list)
            .into_iter()
            .map(|a| {
                if is_type_node(a.kind()) {
                    Expr::Other(Vec::new(), span(a))
                } else {
                    self.expr(a)
                }
            })
            .collect()
    }

    fn call(&mut self, node: Node<'_>) -> Expr {
        let sp = span(node);
        let Some(f) = node.field("function") else {
            return Expr::Other(Vec::new(), sp);
        };
        let arg_list = node.field("arguments");
        // Conversions to non-package types: `string(b)`, `[]byte(s)`, `MyType(x)`.
        if is_type_node(f.kind()) && f.kind() != "type_identifier"
            || f.kind() == "parenthesized_type"
        {
            let args = self.args(arg_list);
            return match args.into_iter().next() {
                Some(a) => a,
                None => Expr::Other(Vec::new(), sp),
            };
        }
        if f.kind() == "identifier" {
            let name = self.text(f);
            match name {
                "string" | "byte" | "rune" | "any" => {
                    let args = self.args(arg_list);
                    return args
                        .into_iter()
                        .next()
                        .unwrap_or(Expr::Other(Vec::new(), sp));
                }
                "make" => {
                    let first = arg_list.and_then(|a| named(a).into_iter().next());
                    return match first.map(|t| t.kind()) {
                        Some("map_type") => Expr::Dict(Vec::new(), sp),
                        Some("slice_type") | Some("array_type") => Expr::List(Vec::new(), sp),
                        _ => Expr::Other(Vec::new(), sp),
                    };
                }
                "new" => return Expr::Other(Vec::new(), sp),
                "len" | "cap" => {
                    let args = self.args(arg_list);
                    return Expr::Call {
                        func: Box::new(Expr::Name(name.to_string(), span(f))),
                        args,
                        kwargs: Vec::new(),
                        span: sp,
                    };
                }
                _ => {}
            }
        }
        if f.kind() == "func_literal" {
            let lam = self.func_literal(f, None);
            let mut args = vec![lam];
            args.extend(self.args(arg_list));
            return Expr::Other(args, sp);
        }
        let mut args = self.args(arg_list);
        // `fmt.Fprintf(w, ...)` / `io.WriteString(w, s)` → `w.Fprintf(...)`.
        if f.kind() == "selector_expression" {
            let pkg = f.field("operand");
            let field = f.field("field").map(|x| self.text(x)).unwrap_or("");
            if let Some(p) = pkg.filter(|p| p.kind() == "identifier") {
                let full = self.resolve(self.text(p));
                let writer_call = (full == "fmt"
                    && matches!(field, "Fprintf" | "Fprint" | "Fprintln"))
                    || (full == "io" && field == "WriteString");
                if writer_call && !args.is_empty() {
                    let w = args.remove(0);
                    return Expr::Call {
                        func: Box::new(Expr::Attr {
                            obj: Box::new(w),
                            name: field.to_string(),
                            span: span(f),
                        }),
                        args,
                        kwargs: Vec::new(),
                        span: sp,
                    };
                }
            }
        }
        let func = self.expr(f);
        Expr::Call {
            func: Box::new(func),
            args,
            kwargs: Vec::new(),
            span: sp,
        }
    }

    fn composite(&mut self, node: Node<'_>) -> Expr {
        let sp = span(node);
        let Some(body) = node.field("body") else {
            return Expr::Other(Vec::new(), sp);
        };
        let ty = node.field("type");
        let ty = match ty {
            Some(t) if t.kind() == "generic_type" => t.field("type").or(Some(t)),
            t => t,
        };
        match ty.map(|t| t.kind()) {
            Some("slice_type") | Some("array_type") | Some("implicit_length_array_type") => {
                self.literal_value(body, false)
            }
            Some("map_type") => self.literal_value(body, true),
            Some("qualified_type") => {
                let Some(t) = ty else {
                    return Expr::Other(Vec::new(), sp);
                };
                let pkg = t.field("package");
                let name = t.field("name");
                let (Some(pkg), Some(name)) = (pkg, name) else {
                    return self.literal_value(body, false);
                };
                let mut args = Vec::new();
                let mut kwargs = Vec::new();
                for el in named(body) {
                    match el.kind() {
                        "keyed_element" => {
                            let k = el.field("key").map(|k| self.text(k).trim().to_string());
                            let v = el.field("value").map(|v| self.expr(v));
                            if let (Some(k), Some(v)) = (k, v) {
                                kwargs.push((k, v));
                            }
                        }
                        "literal_element" => args.push(self.expr(el)),
                        _ => {}
                    }
                }
                Expr::Call {
                    func: Box::new(Expr::Attr {
                        obj: Box::new(Expr::Name(self.text(pkg).to_string(), span(pkg))),
                        name: self.text(name).to_string(),
                        span: span(t),
                    }),
                    args,
                    kwargs,
                    span: sp,
                }
            }
            // Local struct types, anonymous structs and elided types.
            _ => self.literal_value(body, false),
        }
    }

    /// `{a, b}` → list; `{k: v}` → dict (struct field keys become strings unless `is_map`).
    fn literal_value(&mut self, node: Node<'_>, is_map: bool) -> Expr {
        let sp = span(node);
        let els = named(node);
        if els.iter().any(|e| e.kind() == "keyed_element") {
            let mut pairs = Vec::new();
            for el in els {
                if el.kind() != "keyed_element" {
                    continue;
                }
                let (Some(k), Some(v)) = (el.field("key"), el.field("value")) else {
                    continue;
                };
                let key_inner = named(k).into_iter().next();
                let key = match key_inner {
                    Some(ki) if !is_map && ki.kind() == "identifier" => {
                        Expr::Str(self.text(ki).to_string(), span(ki))
                    }
                    Some(ki) => self.expr(ki),
                    None => Expr::Str(self.text(k).to_string(), span(k)),
                };
                let value = self.expr(v);
                pairs.push((key, value));
            }
            Expr::Dict(pairs, sp)
        } else {
            Expr::List(els.into_iter().map(|e| self.expr(e)).collect(), sp)
        }
    }
}

/// Well-known string constants of libraries (`gin.DebugMode` is `"debug"`).
fn package_constant(pkg: &str, name: &str) -> Option<&'static str> {
    match (pkg, name) {
        ("github.com/gin-gonic/gin", "DebugMode") => Some("debug"),
        ("github.com/gin-gonic/gin", "ReleaseMode") => Some("release"),
        ("github.com/gin-gonic/gin", "TestMode") => Some("test"),
        _ => None,
    }
}

/// A tagless `switch { case c1: ...; case c2: ... }` is an if/else chain (with
/// `fallthrough` bodies appended to the previous case).
fn tagless_switch(cases: Vec<Case>, sp: Span) -> Vec<Stmt> {
    // Bodies with fallthrough accumulate the following bodies.
    let n = cases.len();
    let mut bodies: Vec<Vec<Stmt>> = Vec::with_capacity(n);
    for i in 0..n {
        let mut b = cases[i].body.clone();
        let mut j = i;
        while cases[j].fallthrough && j + 1 < n {
            j += 1;
            b.extend(cases[j].body.clone());
        }
        bodies.push(b);
    }
    let default = cases.iter().position(|c| c.labels.is_empty());
    let mut els: Vec<Stmt> = match default {
        Some(d) => bodies[d].clone(),
        None => Vec::new(),
    };
    for i in (0..n).rev() {
        if Some(i) == default {
            continue;
        }
        let mut labels = cases[i].labels.clone().into_iter();
        let Some(first) = labels.next() else { continue };
        let cond = labels.fold(first, |acc, l| Expr::Binary {
            op: BinOp::Or,
            left: Box::new(acc),
            right: Box::new(l),
            span: sp,
        });
        els = vec![Stmt::If {
            cond,
            then: bodies[i].clone(),
            els,
            span: sp,
        }];
    }
    els
}

fn is_type_node(kind: &str) -> bool {
    matches!(
        kind,
        "slice_type"
            | "array_type"
            | "map_type"
            | "pointer_type"
            | "channel_type"
            | "function_type"
            | "interface_type"
            | "struct_type"
            | "qualified_type"
            | "type_identifier"
            | "generic_type"
            | "parenthesized_type"
            | "implicit_length_array_type"
            | "negated_type"
    )
}

fn zero_value(ty: Option<&str>, sp: Span) -> Expr {
    match ty.map(str::trim) {
        Some("string") => Expr::Str(String::new(), sp),
        Some("bool") => Expr::Bool(false, sp),
        Some(
            "int" | "int8" | "int16" | "int32" | "int64" | "uint" | "uint8" | "uint16" | "uint32"
            | "uint64" | "float32" | "float64" | "byte" | "rune" | "uintptr",
        ) => Expr::Num(0.0, sp),
        Some(t) if t.starts_with('*') || t.starts_with("[]") || t.starts_with("map[") => {
            Expr::Null(sp)
        }
        _ => Expr::Other(Vec::new(), sp),
    }
}

fn binop(op: &str) -> BinOp {
    match op {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Mod,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "&&" => BinOp::And,
        "||" => BinOp::Or,
        _ => BinOp::Other,
    }
}

fn parse_int(t: &str) -> Option<f64> {
    let t = t.replace('_', "");
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
        (h.to_string(), 16)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (b.to_string(), 2)
    } else if let Some(o) = lower.strip_prefix("0o") {
        (o.to_string(), 8)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (lower[1..].to_string(), 8)
    } else {
        (lower, 10)
    };
    u64::from_str_radix(&digits, radix).ok().map(|n| n as f64)
}

/// Decode a Go string or rune literal (quotes included).
fn decode_string(raw: &str) -> String {
    if raw.len() >= 2 && raw.starts_with('`') && raw.ends_with('`') {
        return raw[1..raw.len() - 1].replace('\r', "");
    }
    let inner = if raw.len() >= 2 && (raw.starts_with('"') || raw.starts_with('\'')) {
        &raw[1..raw.len() - 1]
    } else {
        raw
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else { break };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..n).filter_map(|_| chars.next()).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            '0'..='7' => {
                let mut oct = String::from(e);
                for _ in 0..2 {
                    if let Some(&d) = chars.peek() {
                        if d.is_digit(8) {
                            oct.push(d);
                            chars.next();
                        }
                    }
                }
                if let Some(ch) = u32::from_str_radix(&oct, 8).ok().and_then(char::from_u32) {
                    out.push(ch);
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

#[cfg(test)]
mod tests {
    use super::{decode_string, package_name, parse_int};

    #[test]
    fn package_names() {
        assert_eq!(package_name("os/exec"), "exec");
        assert_eq!(package_name("gopkg.in/yaml.v3"), "yaml");
        assert_eq!(package_name("github.com/go-ldap/ldap/v3"), "ldap");
        assert_eq!(package_name("github.com/labstack/echo/v4"), "echo");
        assert_eq!(package_name("math/rand/v2"), "rand");
    }

    #[test]
    fn literals() {
        assert_eq!(decode_string("\"a\\tb\\x41\\u00e9\""), "a\tbAé");
        assert_eq!(decode_string("`raw\\n`"), "raw\\n");
        assert_eq!(decode_string("'x'"), "x");
        assert_eq!(parse_int("0x1F"), Some(31.0));
        assert_eq!(parse_int("1_000"), Some(1000.0));
        assert_eq!(parse_int("0755"), Some(493.0));
    }
}
