//! A small language-neutral IR for data-flow analysis.
//!
//! Each language front-end (`lang/<language>.rs`) lowers its tree-sitter syntax tree into this
//! IR; the taint engine (`taint.rs`) and the call-pattern rules only ever see the IR. The IR
//! keeps what data flow needs (assignments, calls, attribute and index access, literals,
//! string building, branches, loops, functions) and folds everything else into
//! [`Expr::Other`], whose children still carry taint.

use serde::Serialize;

/// 1-based source region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
}

/// One source file.
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// Top-level statements (module body, script code) as a synthetic function `<module>`.
    pub top: Function,
    /// Every function and method, including nested ones and lambdas assigned to names.
    /// Methods are named `Class.method`; also reachable by bare `method` name.
    pub functions: Vec<Function>,
    /// Import aliases: local name → fully qualified name (`sp` → `subprocess`,
    /// `system` → `os.system`, `Statement` → `java.sql.Statement`).
    pub imports: Vec<(String, String)>,
}

impl Module {
    pub fn resolve_import<'a>(&'a self, name: &'a str) -> &'a str {
        self.imports
            .iter()
            .find(|(local, _)| local == name)
            .map_or(name, |(_, full)| full.as_str())
    }
}

#[derive(Debug, Clone, Default)]
pub struct Function {
    /// `name`, or `Class.name` for methods.
    pub name: String,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    /// Decorators / annotations as expressions (`app.route("/x")`, `GetMapping`).
    pub decorators: Vec<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct Param {
    pub name: String,
    /// Declared type, if the language has one (`HttpServletRequest`, `str`, `*http.Request`).
    pub ty: Option<String>,
    /// Parameter annotations (`RequestParam`, `PathVariable`, FastAPI `Query`...).
    pub annotations: Vec<String>,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Stmt {
    /// `targets = value` (several targets for chained or tuple assignment). `decl_type` is the
    /// declared type of a declaration (`Statement st = ...`).
    Assign {
        targets: Vec<Expr>,
        value: Expr,
        decl_type: Option<String>,
        span: Span,
    },
    Expr(Expr),
    Return(Option<Expr>, Span),
    If {
        cond: Expr,
        then: Vec<Stmt>,
        els: Vec<Stmt>,
        span: Span,
    },
    /// `switch`/`match`: each case has its labels (empty = default) and body; `fallthrough`
    /// tells whether control continues into the next case (C-family without `break`).
    Switch {
        subject: Expr,
        cases: Vec<Case>,
        span: Span,
    },
    /// Any loop. `init` runs once (e.g. `for x in xs` lowers to `x = <elem of xs>` in init
    /// and again at the top of the body).
    Loop {
        init: Vec<Stmt>,
        body: Vec<Stmt>,
        span: Span,
    },
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Vec<Stmt>>,
        finally: Vec<Stmt>,
        span: Span,
    },
    Block(Vec<Stmt>),
    /// `throw`/`raise`/`goto`: ends the straight-line path.
    Jump(Span),
    /// `break`: the path continues after the enclosing loop or switch.
    Break(Span),
    /// `continue`: the path continues at the enclosing loop's head.
    Continue(Span),
}

#[derive(Debug, Clone)]
pub struct Case {
    pub labels: Vec<Expr>,
    pub body: Vec<Stmt>,
    pub fallthrough: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    /// Membership: `x in xs` (Python), and its negation.
    In,
    NotIn,
    /// Bitwise and other operators whose result we do not fold.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
    Other,
}

#[derive(Debug, Clone)]
pub enum Expr {
    Name(String, Span),
    Str(String, Span),
    Num(f64, Span),
    Bool(bool, Span),
    Null(Span),
    /// `obj.name`
    Attr {
        obj: Box<Expr>,
        name: String,
        span: Span,
    },
    /// `obj[index]`
    Index {
        obj: Box<Expr>,
        index: Box<Expr>,
        span: Span,
    },
    /// `func(args, name=kwarg)`; for method calls `func` is an `Attr`.
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<(String, Expr)>,
        span: Span,
    },
    /// `new Class(args)`
    New {
        class: String,
        args: Vec<Expr>,
        span: Span,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    Unary {
        op: UnOp,
        expr: Box<Expr>,
        span: Span,
    },
    /// `cond ? then : els`, `then if cond else els`
    Cond {
        cond: Box<Expr>,
        then: Box<Expr>,
        els: Box<Expr>,
        span: Span,
    },
    /// String building: f-strings, template literals, `%`/`.format` results. Parts are
    /// concatenated in order.
    Concat(Vec<Expr>, Span),
    List(Vec<Expr>, Span),
    /// Dict/map/object literal with keys.
    Dict(Vec<(Expr, Expr)>, Span),
    /// A lambda or anonymous function: its index in `Module::functions`.
    Lambda(usize, Span),
    /// Anything else: taint flows from any child to the result.
    Other(Vec<Expr>, Span),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Name(_, s)
            | Expr::Str(_, s)
            | Expr::Num(_, s)
            | Expr::Bool(_, s)
            | Expr::Null(s)
            | Expr::Concat(_, s)
            | Expr::List(_, s)
            | Expr::Dict(_, s)
            | Expr::Lambda(_, s)
            | Expr::Other(_, s) => *s,
            Expr::Attr { span, .. }
            | Expr::Index { span, .. }
            | Expr::Call { span, .. }
            | Expr::New { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Unary { span, .. }
            | Expr::Cond { span, .. } => *span,
        }
    }

    /// The dotted path of a name/attribute chain: `request.args.get`. Calls in the chain are
    /// kept without their arguments (`Runtime.getRuntime().exec` → `Runtime.getRuntime.exec`).
    pub fn path(&self) -> Option<String> {
        match self {
            Expr::Name(n, _) => Some(n.clone()),
            Expr::Attr { obj, name, .. } => {
                let base = obj.path()?;
                Some(format!("{base}.{name}"))
            }
            Expr::Call { func, .. } => func.path(),
            Expr::New { class, .. } => Some(class.clone()),
            _ => None,
        }
    }

    /// The root variable of a name/attribute/index chain (`a` for `a.b[c].d`).
    pub fn root_name(&self) -> Option<&str> {
        match self {
            Expr::Name(n, _) => Some(n),
            Expr::Attr { obj, .. } | Expr::Index { obj, .. } => obj.root_name(),
            _ => None,
        }
    }
}
