//! HCL helpers for the Terraform checks: static evaluation of expressions (literals, `var.x`
//! defaults and `*.auto.tfvars`/`terraform.tfvars` values, `local.y`, string templates, a few
//! pure functions), references between blocks, and line lookup in the file text (hcl-rs keeps
//! no spans).
//!
//! Evaluation never fails: what cannot be known statically is [`Val::Unknown`] (or
//! [`Val::Partial`] for strings with unknown parts), and the checks skip a decision they
//! cannot make rather than guess.

use ::hcl::expr::{
    BinaryOperator, Expression, FuncCall, ObjectKey, Operation, TemplateExpr, TraversalOperator,
    UnaryOperator,
};
use ::hcl::template::{Element, Template};
use ::hcl::{Block, Body};
use std::collections::HashMap;

/// Deepest evaluation (variables referring to locals referring to ...) before giving up.
const MAX_DEPTH: u32 = 48;
/// Marker for the unknown parts of a [`Val::Partial`] string.
pub(crate) const UNKNOWN_PART: &str = "${?}";

/// A statically evaluated value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// A string with parts not known statically (each replaced by [`UNKNOWN_PART`]).
    Partial(String),
    List(Vec<Val>),
    Map(Vec<(String, Val)>),
    /// A reference to another block: `aws_s3_bucket.logs.id` is
    /// `["aws_s3_bucket", "logs", "id"]`, data sources start with `data`.
    Ref(Vec<String>),
    Unknown,
}

impl Val {
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            Val::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_num(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Object lookup ignoring ASCII case (JSON policy keys are sometimes written `action`).
    pub(crate) fn get_ci(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Map(m) => m
                .iter()
                .find(|(k, _)| k == key)
                .or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar or a list seen as a list (policy `Action = "s3:*"` or `["s3:*"]`).
    pub(crate) fn items(&self) -> Vec<&Val> {
        match self {
            Val::List(l) => l.iter().collect(),
            Val::Null => Vec::new(),
            other => vec![other],
        }
    }

    /// The known strings of a scalar or list, and whether every element was known.
    pub(crate) fn strings(&self) -> (Vec<&str>, bool) {
        let mut complete = true;
        let mut v = Vec::new();
        for it in self.items() {
            match it {
                Val::Str(s) => v.push(s.as_str()),
                _ => complete = false,
            }
        }
        (v, complete)
    }

    pub(crate) fn is_known(&self) -> bool {
        !matches!(self, Val::Unknown | Val::Partial(_))
    }

    /// A short rendering for messages.
    pub(crate) fn show(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) => num_text(*n),
            Val::Str(s) | Val::Partial(s) => format!("\"{}\"", truncate(s, 60)),
            Val::List(l) => {
                let parts: Vec<String> = l.iter().take(6).map(Val::show).collect();
                let more = if l.len() > 6 { ", ..." } else { "" };
                format!("[{}{more}]", parts.join(", "))
            }
            Val::Map(_) => "{...}".into(),
            Val::Ref(p) => p.join("."),
            Val::Unknown => "(unknown)".into(),
        }
    }

    pub(crate) fn from_json(v: &serde_json::Value) -> Val {
        match v {
            serde_json::Value::Null => Val::Null,
            serde_json::Value::Bool(b) => Val::Bool(*b),
            serde_json::Value::Number(n) => n.as_f64().map(Val::Num).unwrap_or(Val::Unknown),
            serde_json::Value::String(s) => Val::Str(s.clone()),
            serde_json::Value::Array(a) => Val::List(a.iter().map(Val::from_json).collect()),
            serde_json::Value::Object(o) => Val::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Val::from_json(v)))
                    .collect(),
            ),
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push_str("...");
        t
    }
}

pub(crate) fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A block body seen with the names bound by enclosing `dynamic` blocks.
#[derive(Debug, Clone)]
pub(crate) struct Node<'m> {
    pub body: &'m Body,
    pub bind: Vec<(String, Val)>,
    /// Block names and occurrence index from the resource down to this node, for line lookup.
    pub path: Vec<(String, usize)>,
}

/// The values a module's expressions can refer to.
#[derive(Debug, Default)]
pub(crate) struct Env<'m> {
    pub vars: HashMap<&'m str, &'m Expression>,
    pub locals: HashMap<&'m str, &'m Expression>,
    /// Data sources by (type, name).
    pub data: HashMap<(&'m str, &'m str), &'m Body>,
}

impl<'m> Env<'m> {
    /// Evaluate an attribute of a node: `None` when the attribute is absent.
    pub(crate) fn attr(&self, node: &Node<'m>, key: &str) -> Option<Val> {
        attr_expr(node.body, key).map(|e| self.ev(e, &node.bind, 0))
    }

    /// The nested blocks `name` of a node, `dynamic "name"` blocks included (expanded when
    /// their `for_each` is known; otherwise one node whose iterator is unknown).
    pub(crate) fn blocks(&self, node: &Node<'m>, name: &str) -> Vec<Node<'m>> {
        let mut out = Vec::new();
        let mut ordinal = 0usize;
        for b in node.body.blocks() {
            let is_static = b.identifier() == name;
            let is_dynamic =
                b.identifier() == "dynamic" && b.labels().first().map(|l| l.as_str()) == Some(name);
            if !is_static && !is_dynamic {
                continue;
            }
            let mut path = node.path.clone();
            path.push((name.to_string(), ordinal));
            ordinal += 1;
            if is_static {
                out.push(Node {
                    body: b.body(),
                    bind: node.bind.clone(),
                    path,
                });
                continue;
            }
            out.extend(self.expand_dynamic(node, b, name, path));
        }
        out
    }

    fn expand_dynamic(
        &self,
        node: &Node<'m>,
        b: &'m Block,
        name: &str,
        mut path: Vec<(String, usize)>,
    ) -> Vec<Node<'m>> {
        let Some(content) = b.body().blocks().find(|c| c.identifier() == "content") else {
            return Vec::new();
        };
        path.push(("content".to_string(), 0));
        let iter_name = attr_expr(b.body(), "iterator")
            .and_then(|e| match e {
                Expression::Variable(v) => Some(v.as_str().to_string()),
                _ => None,
            })
            .unwrap_or_else(|| name.to_string());
        let items: Option<Vec<(Val, Val)>> =
            match attr_expr(b.body(), "for_each").map(|e| self.ev(e, &node.bind, 0)) {
                Some(Val::List(l)) if l.iter().all(Val::is_known) => Some(
                    l.into_iter()
                        .enumerate()
                        .map(|(i, v)| (Val::Num(i as f64), v))
                        .collect(),
                ),
                Some(Val::Map(m)) if m.iter().all(|(_, v)| v.is_known()) => {
                    Some(m.into_iter().map(|(k, v)| (Val::Str(k), v)).collect())
                }
                _ => None,
            };
        let mk = |key: Val, value: Val| {
            let mut bind = node.bind.clone();
            bind.push((
                iter_name.clone(),
                Val::Map(vec![("key".into(), key), ("value".into(), value)]),
            ));
            Node {
                body: content.body(),
                bind,
                path: path.clone(),
            }
        };
        match items {
            Some(items) => items.into_iter().map(|(k, v)| mk(k, v)).collect(),
            None => vec![mk(Val::Unknown, Val::Unknown)],
        }
    }

    /// Evaluate an expression with no bindings.
    pub(crate) fn eval(&self, e: &Expression) -> Val {
        self.ev(e, &[], 0)
    }

    fn ev(&self, e: &Expression, b: &[(String, Val)], depth: u32) -> Val {
        if depth > MAX_DEPTH {
            return Val::Unknown;
        }
        let d = depth + 1;
        match e {
            Expression::Null => Val::Null,
            Expression::Bool(v) => Val::Bool(*v),
            Expression::Number(n) => n.as_f64().map(Val::Num).unwrap_or(Val::Unknown),
            Expression::String(s) => Val::Str(s.clone()),
            Expression::Array(a) => Val::List(a.iter().map(|x| self.ev(x, b, d)).collect()),
            Expression::Object(o) => {
                let mut m = Vec::with_capacity(o.len());
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Identifier(id) => id.as_str().to_string(),
                        ObjectKey::Expression(ke) => match self.ev(ke, b, d) {
                            Val::Str(s) => s,
                            Val::Num(n) => num_text(n),
                            Val::Bool(x) => x.to_string(),
                            _ => UNKNOWN_PART.to_string(),
                        },
                        _ => UNKNOWN_PART.to_string(),
                    };
                    m.push((key, self.ev(v, b, d)));
                }
                Val::Map(m)
            }
            Expression::TemplateExpr(t) => self.template(t, b, d),
            Expression::Variable(v) => lookup(b, v.as_str()).cloned().unwrap_or(Val::Unknown),
            Expression::Traversal(t) => self.traversal(&t.expr, &t.operators, b, d),
            Expression::FuncCall(f) => self.func(f, b, d),
            Expression::Parenthesis(x) => self.ev(x, b, d),
            Expression::Conditional(c) => match self.ev(&c.cond_expr, b, d).as_bool() {
                Some(true) => self.ev(&c.true_expr, b, d),
                Some(false) => self.ev(&c.false_expr, b, d),
                None => {
                    let t = self.ev(&c.true_expr, b, d);
                    let f = self.ev(&c.false_expr, b, d);
                    if t == f && t.is_known() {
                        t
                    } else {
                        Val::Unknown
                    }
                }
            },
            Expression::Operation(op) => self.operation(op, b, d),
            _ => Val::Unknown,
        }
    }

    fn template(&self, t: &TemplateExpr, b: &[(String, Val)], d: u32) -> Val {
        let Ok(tpl) = Template::from_expr(t) else {
            return Val::Unknown;
        };
        // `"${expr}"` alone is the value of `expr`, not its string conversion.
        if let [Element::Interpolation(i)] = tpl.elements() {
            return self.ev(&i.expr, b, d);
        }
        let mut s = String::new();
        let mut partial = false;
        for el in tpl.elements() {
            match el {
                Element::Literal(l) => s.push_str(l),
                Element::Interpolation(i) => match self.ev(&i.expr, b, d) {
                    Val::Str(x) => s.push_str(&x),
                    Val::Num(n) => s.push_str(&num_text(n)),
                    Val::Bool(x) => s.push_str(if x { "true" } else { "false" }),
                    Val::Partial(x) => {
                        s.push_str(&x);
                        partial = true;
                    }
                    Val::Ref(p) => {
                        s.push_str("${");
                        s.push_str(&p.join("."));
                        s.push('}');
                        partial = true;
                    }
                    // Only `jsonencode(...)` of a collection can be interpolated.
                    v @ (Val::List(_) | Val::Map(_)) => {
                        let (text, complete) = json_text(&v);
                        s.push_str(&text);
                        partial |= !complete;
                    }
                    _ => {
                        s.push_str(UNKNOWN_PART);
                        partial = true;
                    }
                },
                Element::Directive(_) => {
                    s.push_str(UNKNOWN_PART);
                    partial = true;
                }
            }
        }
        if partial {
            Val::Partial(s)
        } else {
            Val::Str(s)
        }
    }

    fn traversal(
        &self,
        root: &Expression,
        ops: &[TraversalOperator],
        b: &[(String, Val)],
        d: u32,
    ) -> Val {
        let name = match root {
            Expression::Variable(v) => v.as_str(),
            other => {
                let base = self.ev(other, b, d);
                return self.apply(base, ops, b, d);
            }
        };
        if let Some(v) = lookup(b, name) {
            return self.apply(v.clone(), ops, b, d);
        }
        let attr_at = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
            _ => None,
        };
        match name {
            "var" | "local" => {
                let Some(key) = attr_at(0) else {
                    return Val::Unknown;
                };
                let table = if name == "var" {
                    &self.vars
                } else {
                    &self.locals
                };
                match table.get(key) {
                    Some(e) => {
                        let v = self.ev(e, &[], d);
                        self.apply(v, ops.get(1..).unwrap_or(&[]), b, d)
                    }
                    None => Val::Unknown,
                }
            }
            "data" => {
                let (Some(dtype), Some(dname)) = (attr_at(0), attr_at(1)) else {
                    return Val::Unknown;
                };
                let rest = ops.get(2..).unwrap_or(&[]);
                let first = rest.iter().find_map(|o| match o {
                    TraversalOperator::GetAttr(id) => Some(id.as_str()),
                    _ => None,
                });
                if let Some(body) = self.data.get(&(dtype, dname)) {
                    match (dtype, first) {
                        ("aws_iam_policy_document", Some("json" | "minified_json")) => {
                            return self.aws_policy_document(body, d);
                        }
                        ("google_iam_policy", Some("policy_data")) => {
                            return self.google_policy(body, d);
                        }
                        _ => {}
                    }
                }
                let mut p = vec!["data".to_string(), dtype.to_string(), dname.to_string()];
                p.extend(ref_attrs(rest));
                Val::Ref(p)
            }
            "module" | "path" | "terraform" | "self" | "count" | "each" => Val::Unknown,
            rtype => match attr_at(0) {
                Some(rname) => {
                    let mut p = vec![rtype.to_string(), rname.to_string()];
                    p.extend(ref_attrs(ops.get(1..).unwrap_or(&[])));
                    Val::Ref(p)
                }
                None => Val::Unknown,
            },
        }
    }

    fn apply(&self, mut v: Val, ops: &[TraversalOperator], b: &[(String, Val)], d: u32) -> Val {
        for (i, op) in ops.iter().enumerate() {
            v = match op {
                TraversalOperator::GetAttr(k) => match v {
                    Val::Map(_) => v.get(k.as_str()).cloned().unwrap_or(Val::Unknown),
                    Val::Ref(mut p) => {
                        p.push(k.as_str().to_string());
                        Val::Ref(p)
                    }
                    _ => Val::Unknown,
                },
                TraversalOperator::Index(ie) => index(v, &self.ev(ie, b, d)),
                TraversalOperator::LegacyIndex(n) => index(v, &Val::Num(*n as f64)),
                TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                    let rest = ops.get(i + 1..).unwrap_or(&[]);
                    return match v {
                        Val::List(l) => Val::List(
                            l.into_iter()
                                .map(|x| self.apply(x, rest, b, d + 1))
                                .collect(),
                        ),
                        Val::Ref(_) => self.apply(v, rest, b, d + 1),
                        Val::Null => Val::List(Vec::new()),
                        Val::Unknown => Val::Unknown,
                        other => Val::List(vec![self.apply(other, rest, b, d + 1)]),
                    };
                }
            };
        }
        v
    }

    fn operation(&self, op: &Operation, b: &[(String, Val)], d: u32) -> Val {
        match op {
            Operation::Unary(u) => {
                let v = self.ev(&u.expr, b, d);
                match u.operator {
                    UnaryOperator::Not => v.as_bool().map(|x| Val::Bool(!x)),
                    UnaryOperator::Neg => v.as_num().map(|x| Val::Num(-x)),
                }
                .unwrap_or(Val::Unknown)
            }
            Operation::Binary(bo) => {
                let l = self.ev(&bo.lhs_expr, b, d);
                let r = self.ev(&bo.rhs_expr, b, d);
                use BinaryOperator as B;
                match bo.operator {
                    B::Eq | B::NotEq => {
                        if !l.is_known() || !r.is_known() || has_ref(&l) || has_ref(&r) {
                            return Val::Unknown;
                        }
                        let eq = match (l.as_num(), r.as_num()) {
                            (Some(x), Some(y)) if matches!(l, Val::Num(_)) => x == y,
                            _ => l == r,
                        };
                        Val::Bool(if bo.operator == B::Eq { eq } else { !eq })
                    }
                    B::And | B::Or => match (l.as_bool(), r.as_bool()) {
                        (Some(x), Some(y)) => Val::Bool(if bo.operator == B::And {
                            x && y
                        } else {
                            x || y
                        }),
                        (Some(false), None) if bo.operator == B::And => Val::Bool(false),
                        (None, Some(false)) if bo.operator == B::And => Val::Bool(false),
                        (Some(true), None) if bo.operator == B::Or => Val::Bool(true),
                        (None, Some(true)) if bo.operator == B::Or => Val::Bool(true),
                        _ => Val::Unknown,
                    },
                    _ => {
                        let (Some(x), Some(y)) = (l.as_num(), r.as_num()) else {
                            return Val::Unknown;
                        };
                        match bo.operator {
                            B::Plus => Val::Num(x + y),
                            B::Minus => Val::Num(x - y),
                            B::Mul => Val::Num(x * y),
                            B::Div if y != 0.0 => Val::Num(x / y),
                            B::Mod if y != 0.0 => Val::Num(x % y),
                            B::Less => Val::Bool(x < y),
                            B::LessEq => Val::Bool(x <= y),
                            B::Greater => Val::Bool(x > y),
                            B::GreaterEq => Val::Bool(x >= y),
                            _ => Val::Unknown,
                        }
                    }
                }
            }
        }
    }

    fn func(&self, f: &FuncCall, b: &[(String, Val)], d: u32) -> Val {
        if f.name.is_namespaced() {
            return Val::Unknown;
        }
        let name = f.name.name.as_str();
        // Functions whose arguments must not all be evaluated eagerly.
        if name == "try" || name == "coalesce" {
            for a in &f.args {
                let v = self.ev(a, b, d);
                match v {
                    Val::Unknown if name == "try" => continue,
                    Val::Null => continue,
                    Val::Str(ref s) if name == "coalesce" && s.is_empty() => continue,
                    other => return other,
                }
            }
            return Val::Unknown;
        }
        if f.expand_final {
            return Val::Unknown;
        }
        let args: Vec<Val> = f.args.iter().map(|a| self.ev(a, b, d)).collect();
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Unknown);
        match name {
            "jsonencode" | "yamlencode" | "tolist" | "toset" | "tomap" | "sensitive"
            | "nonsensitive" => arg(0),
            "tostring" => match arg(0) {
                Val::Num(n) => Val::Str(num_text(n)),
                Val::Bool(x) => Val::Str(x.to_string()),
                other => other,
            },
            "tonumber" => arg(0).as_num().map(Val::Num).unwrap_or(Val::Unknown),
            "tobool" => arg(0).as_bool().map(Val::Bool).unwrap_or(Val::Unknown),
            "jsondecode" => match arg(0) {
                Val::Str(s) => serde_json::from_str::<serde_json::Value>(&s)
                    .map(|j| Val::from_json(&j))
                    .unwrap_or(Val::Unknown),
                _ => Val::Unknown,
            },
            "lower" | "upper" | "trimspace" => match arg(0) {
                Val::Str(s) => Val::Str(match name {
                    "lower" => s.to_lowercase(),
                    "upper" => s.to_uppercase(),
                    _ => s.trim().to_string(),
                }),
                _ => Val::Unknown,
            },
            "concat" => {
                let mut out = Vec::new();
                for a in args {
                    match a {
                        Val::List(l) => out.extend(l),
                        _ => return Val::Unknown,
                    }
                }
                Val::List(out)
            }
            "flatten" => match arg(0) {
                Val::List(l) => {
                    let mut out = Vec::new();
                    for x in l {
                        match x {
                            Val::List(inner) => out.extend(inner),
                            Val::Unknown => return Val::Unknown,
                            other => out.push(other),
                        }
                    }
                    Val::List(out)
                }
                _ => Val::Unknown,
            },
            "compact" => match arg(0) {
                Val::List(l) => Val::List(
                    l.into_iter()
                        .filter(|x| !matches!(x, Val::Null) && x.as_str() != Some(""))
                        .collect(),
                ),
                _ => Val::Unknown,
            },
            "distinct" => match arg(0) {
                Val::List(l) => {
                    let mut out: Vec<Val> = Vec::new();
                    for x in l {
                        if !out.contains(&x) {
                            out.push(x);
                        }
                    }
                    Val::List(out)
                }
                _ => Val::Unknown,
            },
            "merge" => {
                let mut out: Vec<(String, Val)> = Vec::new();
                for a in args {
                    match a {
                        Val::Map(m) => {
                            for (k, v) in m {
                                if let Some(slot) = out.iter_mut().find(|(ok, _)| *ok == k) {
                                    slot.1 = v;
                                } else {
                                    out.push((k, v));
                                }
                            }
                        }
                        Val::Null => {}
                        _ => return Val::Unknown,
                    }
                }
                Val::Map(out)
            }
            "lookup" => match (arg(0), arg(1)) {
                (m @ Val::Map(_), Val::Str(k)) => m
                    .get(&k)
                    .cloned()
                    .or_else(|| args.get(2).cloned())
                    .unwrap_or(Val::Unknown),
                _ => Val::Unknown,
            },
            "element" => match (arg(0), arg(1).as_num()) {
                (Val::List(l), Some(i)) if !l.is_empty() && i >= 0.0 => l
                    .get((i as usize) % l.len())
                    .cloned()
                    .unwrap_or(Val::Unknown),
                _ => Val::Unknown,
            },
            "join" => match (arg(0), arg(1)) {
                (Val::Str(sep), Val::List(l)) => {
                    let mut parts = Vec::new();
                    for x in &l {
                        match x {
                            Val::Str(s) => parts.push(s.clone()),
                            Val::Num(n) => parts.push(num_text(*n)),
                            _ => return Val::Unknown,
                        }
                    }
                    Val::Str(parts.join(&sep))
                }
                _ => Val::Unknown,
            },
            "format" => format_fn(&args),
            "length" => match arg(0) {
                Val::List(l) => Val::Num(l.len() as f64),
                Val::Map(m) => Val::Num(m.len() as f64),
                Val::Str(s) => Val::Num(s.chars().count() as f64),
                _ => Val::Unknown,
            },
            "contains" => match (arg(0), arg(1)) {
                (Val::List(l), x) if x.is_known() && l.iter().all(Val::is_known) => {
                    Val::Bool(l.contains(&x))
                }
                _ => Val::Unknown,
            },
            "max" | "min" => {
                let nums: Option<Vec<f64>> = args.iter().map(Val::as_num).collect();
                match nums {
                    Some(n) if !n.is_empty() => Val::Num(n.into_iter().fold(
                        if name == "max" {
                            f64::NEG_INFINITY
                        } else {
                            f64::INFINITY
                        },
                        |a, x| if name == "max" { a.max(x) } else { a.min(x) },
                    )),
                    _ => Val::Unknown,
                }
            }
            _ => Val::Unknown,
        }
    }

    /// `data "aws_iam_policy_document"` as the JSON document it renders.
    fn aws_policy_document(&self, body: &Body, d: u32) -> Val {
        let root = Node {
            body,
            bind: Vec::new(),
            path: Vec::new(),
        };
        let mut statements = Vec::new();
        for key in ["source_policy_documents", "override_policy_documents"] {
            if let Some(e) = attr_expr(body, key) {
                for doc in self.ev(e, &[], d).items() {
                    if let Some(Val::List(s)) = parse_policy(doc).and_then(|p| {
                        p.get_ci("Statement")
                            .map(|s| Val::List(s.items().into_iter().cloned().collect()))
                    }) {
                        statements.extend(s);
                    }
                }
            }
        }
        for st in self.blocks(&root, "statement") {
            let mut m: Vec<(String, Val)> = Vec::new();
            let effect = self.attr(&st, "effect").unwrap_or(Val::Str("Allow".into()));
            m.push(("Effect".into(), effect));
            for (k, jk) in [
                ("actions", "Action"),
                ("not_actions", "NotAction"),
                ("resources", "Resource"),
                ("not_resources", "NotResource"),
            ] {
                if let Some(v) = self.attr(&st, k) {
                    m.push((jk.into(), v));
                }
            }
            for (k, jk) in [
                ("principals", "Principal"),
                ("not_principals", "NotPrincipal"),
            ] {
                let ps = self.blocks(&st, k);
                if ps.is_empty() {
                    continue;
                }
                let mut pm: Vec<(String, Val)> = Vec::new();
                let mut star = false;
                for p in ps {
                    let ty = self.attr(&p, "type").unwrap_or(Val::Unknown);
                    let ids = self.attr(&p, "identifiers").unwrap_or(Val::Unknown);
                    if ty.as_str() == Some("*") {
                        star = true;
                    }
                    let key = ty.as_str().unwrap_or(UNKNOWN_PART).to_string();
                    pm.push((key, ids));
                }
                let v = if star && pm.len() == 1 {
                    Val::Str("*".into())
                } else {
                    Val::Map(pm)
                };
                m.push((jk.into(), v));
            }
            let conds = self.blocks(&st, "condition");
            if !conds.is_empty() {
                let c: Vec<(String, Val)> = conds
                    .iter()
                    .map(|c| {
                        let test = self
                            .attr(c, "test")
                            .and_then(|t| t.as_str().map(str::to_string))
                            .unwrap_or_else(|| UNKNOWN_PART.into());
                        (test, Val::Unknown)
                    })
                    .collect();
                m.push(("Condition".into(), Val::Map(c)));
            }
            statements.push(Val::Map(m));
        }
        Val::Map(vec![
            ("Version".into(), Val::Str("2012-10-17".into())),
            ("Statement".into(), Val::List(statements)),
        ])
    }

    /// `data "google_iam_policy"` as `{bindings = [{role, members}]}`.
    fn google_policy(&self, body: &Body, _d: u32) -> Val {
        let root = Node {
            body,
            bind: Vec::new(),
            path: Vec::new(),
        };
        let bindings = self
            .blocks(&root, "binding")
            .iter()
            .map(|bn| {
                Val::Map(vec![
                    ("role".into(), self.attr(bn, "role").unwrap_or(Val::Unknown)),
                    (
                        "members".into(),
                        self.attr(bn, "members").unwrap_or(Val::Unknown),
                    ),
                ])
            })
            .collect();
        Val::Map(vec![("bindings".into(), Val::List(bindings))])
    }
}

fn lookup<'a>(b: &'a [(String, Val)], name: &str) -> Option<&'a Val> {
    b.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn ref_attrs(ops: &[TraversalOperator]) -> Vec<String> {
    ops.iter()
        .filter_map(|o| match o {
            TraversalOperator::GetAttr(id) => Some(id.as_str().to_string()),
            _ => None,
        })
        .collect()
}

fn has_ref(v: &Val) -> bool {
    match v {
        Val::Ref(_) => true,
        Val::List(l) => l.iter().any(has_ref),
        Val::Map(m) => m.iter().any(|(_, x)| has_ref(x)),
        _ => false,
    }
}

fn index(v: Val, i: &Val) -> Val {
    match v {
        Val::List(l) => match i.as_num() {
            Some(n) if n >= 0.0 => l.into_iter().nth(n as usize).unwrap_or(Val::Unknown),
            _ => Val::Unknown,
        },
        Val::Map(_) => match i {
            Val::Str(k) => v.get(k).cloned().unwrap_or(Val::Unknown),
            _ => Val::Unknown,
        },
        r @ Val::Ref(_) => r,
        _ => Val::Unknown,
    }
}

/// A value as JSON text; unknown parts become the string `"${?}"` (second: all known).
fn json_text(v: &Val) -> (String, bool) {
    match v {
        Val::Null => ("null".into(), true),
        Val::Bool(b) => (b.to_string(), true),
        Val::Num(n) => (num_text(*n), true),
        Val::Str(s) => (serde_json::Value::String(s.clone()).to_string(), true),
        Val::Partial(s) => (serde_json::Value::String(s.clone()).to_string(), false),
        Val::Ref(p) => (format!("\"${{{}}}\"", p.join(".")), false),
        Val::Unknown => (format!("\"{UNKNOWN_PART}\""), false),
        Val::List(l) => {
            let mut complete = true;
            let parts: Vec<String> = l
                .iter()
                .map(|x| {
                    let (t, c) = json_text(x);
                    complete &= c;
                    t
                })
                .collect();
            (format!("[{}]", parts.join(",")), complete)
        }
        Val::Map(m) => {
            let mut complete = true;
            let parts: Vec<String> = m
                .iter()
                .map(|(k, x)| {
                    let (t, c) = json_text(x);
                    complete &= c;
                    format!("{}:{t}", serde_json::Value::String(k.clone()))
                })
                .collect();
            (format!("{{{}}}", parts.join(",")), complete)
        }
    }
}

fn format_fn(args: &[Val]) -> Val {
    let Some(Val::Str(fmt)) = args.first() else {
        return Val::Unknown;
    };
    let mut out = String::new();
    let mut rest = args.iter().skip(1);
    let mut chars = fmt.chars().peekable();
    let mut partial = false;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v' | 'q') => match rest.next() {
                Some(Val::Str(s)) => out.push_str(s),
                Some(Val::Num(n)) => out.push_str(&num_text(*n)),
                Some(Val::Bool(x)) => out.push_str(if *x { "true" } else { "false" }),
                _ => {
                    out.push_str(UNKNOWN_PART);
                    partial = true;
                }
            },
            _ => return Val::Unknown,
        }
    }
    if partial {
        Val::Partial(out)
    } else {
        Val::Str(out)
    }
}

/// A policy as an object: already an object (`jsonencode({...})`, a policy document data
/// source), or a JSON string (heredoc). Unknown parts inside strings keep the rest usable.
pub(crate) fn parse_policy(v: &Val) -> Option<Val> {
    match v {
        Val::Map(_) => Some(v.clone()),
        Val::Str(s) | Val::Partial(s) => serde_json::from_str::<serde_json::Value>(s.trim())
            .ok()
            .map(|j| Val::from_json(&j)),
        _ => None,
    }
}

pub(crate) fn attr_expr<'a>(body: &'a Body, key: &str) -> Option<&'a Expression> {
    body.attributes().find(|a| a.key() == key).map(|a| a.expr())
}

/// Every reference (`type.name...` or `data.type.name...`) in an expression, templates included.
pub(crate) fn collect_refs(e: &Expression, out: &mut Vec<Vec<String>>, depth: u32) {
    if depth > MAX_DEPTH {
        return;
    }
    let d = depth + 1;
    match e {
        Expression::Array(a) => a.iter().for_each(|x| collect_refs(x, out, d)),
        Expression::Object(o) => o.iter().for_each(|(_, v)| collect_refs(v, out, d)),
        Expression::Traversal(t) => {
            if let Expression::Variable(v) = &t.expr {
                let mut p = vec![v.as_str().to_string()];
                p.extend(ref_attrs(&t.operators));
                out.push(p);
            } else {
                collect_refs(&t.expr, out, d);
            }
        }
        Expression::FuncCall(f) => f.args.iter().for_each(|x| collect_refs(x, out, d)),
        Expression::Parenthesis(x) => collect_refs(x, out, d),
        Expression::Conditional(c) => {
            collect_refs(&c.cond_expr, out, d);
            collect_refs(&c.true_expr, out, d);
            collect_refs(&c.false_expr, out, d);
        }
        Expression::TemplateExpr(t) => {
            if let Ok(tpl) = Template::from_expr(t) {
                for el in tpl.elements() {
                    if let Element::Interpolation(i) = el {
                        collect_refs(&i.expr, out, d);
                    }
                }
            }
        }
        Expression::Operation(op) => match op.as_ref() {
            Operation::Unary(u) => collect_refs(&u.expr, out, d),
            Operation::Binary(bo) => {
                collect_refs(&bo.lhs_expr, out, d);
                collect_refs(&bo.rhs_expr, out, d);
            }
        },
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Lines

/// Per-line brace depth of a file (strings, comments and heredocs skipped), to find blocks and
/// attributes in the text.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    /// Byte offset of each line start.
    starts: Vec<usize>,
    /// Brace depth at the start of each line.
    depth: Vec<u32>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Code,
    Str,
    /// `${ ... }` inside a string, with its own brace count.
    Interp(u32),
}

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0usize];
        let mut depth_at = vec![0u32];
        let mut depth: u32 = 0;
        let mut stack: Vec<Mode> = vec![Mode::Code];
        let mut heredoc: Option<String> = None;
        let mut heredoc_open = usize::MAX;
        let mut i = 0usize;
        let n = bytes.len();
        let mut line_start = 0usize;
        while i < n {
            let c = bytes.get(i).copied().unwrap_or(b'\n');
            if c == b'\n' {
                // A heredoc ends at a line holding only its delimiter.
                if let Some(delim) = &heredoc {
                    let line = text.get(line_start..i).unwrap_or("");
                    if line.trim() == delim && line_start != heredoc_open {
                        heredoc = None;
                    }
                }
                i += 1;
                line_start = i;
                starts.push(i);
                depth_at.push(depth);
                if stack.last() == Some(&Mode::Str) {
                    // Quoted strings cannot span lines: recover.
                    stack.pop();
                }
                continue;
            }
            if heredoc.is_some() {
                // Last line of the file may be the delimiter without a newline.
                i += 1;
                if i == n {
                    break;
                }
                continue;
            }
            let mode = stack.last().copied().unwrap_or(Mode::Code);
            match mode {
                Mode::Str => match c {
                    b'\\' if bytes.get(i + 1) != Some(&b'\n') => i += 2,
                    b'"' => {
                        stack.pop();
                        i += 1;
                    }
                    b'$' if bytes.get(i + 1) == Some(&b'{') => {
                        stack.push(Mode::Interp(1));
                        i += 2;
                    }
                    _ => i += 1,
                },
                Mode::Code | Mode::Interp(_) => match c {
                    b'"' => {
                        stack.push(Mode::Str);
                        i += 1;
                    }
                    b'#' => i = skip_to_eol(bytes, i),
                    b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_to_eol(bytes, i),
                    b'/' if bytes.get(i + 1) == Some(&b'*') => {
                        // Block comment: newlines inside still count as lines.
                        i += 2;
                        while i < n {
                            if bytes.get(i) == Some(&b'*') && bytes.get(i + 1) == Some(&b'/') {
                                i += 2;
                                break;
                            }
                            if bytes.get(i) == Some(&b'\n') {
                                starts.push(i + 1);
                                depth_at.push(depth);
                                line_start = i + 1;
                            }
                            i += 1;
                        }
                    }
                    b'<' if bytes.get(i + 1) == Some(&b'<') && mode == Mode::Code => {
                        let mut j = i + 2;
                        if bytes.get(j) == Some(&b'-') {
                            j += 1;
                        }
                        let id_start = j;
                        while bytes
                            .get(j)
                            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                        {
                            j += 1;
                        }
                        if j > id_start {
                            let id = text.get(id_start..j).unwrap_or("").to_string();
                            // The heredoc starts on the next line.
                            i = skip_to_eol(bytes, j);
                            heredoc = Some(id);
                            heredoc_open = line_start;
                        } else {
                            i += 2;
                        }
                    }
                    b'{' => {
                        match stack.last_mut() {
                            Some(Mode::Interp(k)) => *k += 1,
                            _ => depth += 1,
                        }
                        i += 1;
                    }
                    b'}' => {
                        match stack.last_mut() {
                            Some(Mode::Interp(k)) => {
                                *k -= 1;
                                if *k == 0 {
                                    stack.pop();
                                }
                            }
                            _ => depth = depth.saturating_sub(1),
                        }
                        i += 1;
                    }
                    _ => i += 1,
                },
            }
        }
        Lines {
            starts,
            depth: depth_at,
        }
    }

    pub(crate) fn count(&self) -> usize {
        self.starts.len()
    }

    /// Text of a 1-based line.
    pub(crate) fn text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&s) = line.checked_sub(1).and_then(|i| self.starts.get(i)) else {
            return "";
        };
        let e = self.starts.get(line).copied().unwrap_or(text.len());
        text.get(s..e).unwrap_or("").trim_end_matches(['\n', '\r'])
    }

    /// Brace depth at the start of a 1-based line.
    pub(crate) fn depth(&self, line: usize) -> u32 {
        line.checked_sub(1)
            .and_then(|i| self.depth.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The line of a key (attribute or block, `path` from the block at `from` down), searched
    /// between `from` and `end` (1-based, inclusive) at the matching brace depths. Returns the
    /// deepest line found (at least `from`).
    pub(crate) fn find(
        &self,
        text: &str,
        from: usize,
        end: usize,
        path: &[(String, usize)],
        leaf: Option<&str>,
    ) -> usize {
        let base = self.depth(from);
        let mut found = from;
        let mut cur = from;
        let mut want_depth = base + 1;
        let segs = path
            .iter()
            .map(|(n, k)| (n.as_str(), *k, true))
            .chain(leaf.map(|l| (l, 0usize, false)));
        for (name, nth, is_block) in segs {
            let mut seen = 0usize;
            let mut hit = None;
            let mut l = cur + 1;
            while l <= end && l <= self.count() {
                let d = self.depth(l);
                if d < want_depth {
                    break;
                }
                if d == want_depth && key_matches(self.text(text, l), name, is_block) {
                    if seen == nth {
                        hit = Some(l);
                        break;
                    }
                    seen += 1;
                }
                l += 1;
            }
            match hit {
                Some(h) => {
                    found = h;
                    cur = h;
                    want_depth += 1;
                }
                None => return found,
            }
        }
        found
    }
}

fn skip_to_eol(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
        i += 1;
    }
    i
}

fn key_matches(line: &str, name: &str, is_block: bool) -> bool {
    let t = line.trim_start();
    let rest = if let Some(r) = t.strip_prefix(name) {
        r
    } else if let Some(r) = t.strip_prefix('"').and_then(|r| r.strip_prefix(name)) {
        match r.strip_prefix('"') {
            Some(r) => r,
            None => return false,
        }
    } else if is_block {
        match t
            .strip_prefix("dynamic")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('"'))
            .and_then(|r| r.strip_prefix(name))
            .and_then(|r| r.strip_prefix('"'))
        {
            Some(r) => r,
            None => return false,
        }
    } else {
        return false;
    };
    let r = rest.trim_start();
    r.starts_with('=') && !r.starts_with("==") || r.starts_with('{') || r.starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_depths_skip_strings_comments_and_heredocs() {
        let text = "a {\n  s = \"{ not a brace ${lookup(m, \"}\")}\"\n  # { comment\n  h = <<EOF\n{ \"json\": {\nEOF\n  b {\n    c = 1 /* { */\n  }\n}\nz = 1\n";
        let l = Lines::new(text);
        let depths: Vec<u32> = (1..=l.count()).map(|i| l.depth(i)).collect();
        assert_eq!(depths, vec![0, 1, 1, 1, 1, 1, 1, 2, 2, 1, 0, 0]);
        assert_eq!(l.text(text, 11), "z = 1");
        let path = vec![("b".to_string(), 0)];
        assert_eq!(l.find(text, 1, 10, &path, Some("c")), 8);
        assert_eq!(l.find(text, 1, 10, &[], Some("h")), 4);
        // Missing: the deepest line found.
        assert_eq!(l.find(text, 1, 10, &path, Some("nope")), 7);
    }

    #[test]
    fn key_matching() {
        assert!(key_matches("  acl = \"x\"", "acl", false));
        assert!(!key_matches("  acl_x = 1", "acl", false));
        assert!(!key_matches("  acl == 1", "acl", false));
        assert!(key_matches("  dynamic \"ingress\" {", "ingress", true));
        assert!(key_matches("  \"Principal\": \"*\"", "Principal", false));
    }

    #[test]
    fn templates_and_functions() {
        let env = Env::default();
        let ev = |s: &str| env.eval(&s.parse::<Expression>().expect("expr"));
        assert_eq!(ev("\"a-${1 + 2}\""), Val::Str("a-3".into()));
        assert_eq!(
            ev("\"${aws_s3_bucket.b.id}\""),
            Val::Ref(vec!["aws_s3_bucket".into(), "b".into(), "id".into()])
        );
        assert_eq!(
            ev("\"x/${aws_s3_bucket.b.arn}\""),
            Val::Partial("x/${aws_s3_bucket.b.arn}".into())
        );
        assert_eq!(ev("format(\"%s:%d\", \"a\", 5)"), Val::Str("a:5".into()));
        assert_eq!(
            ev("lower(join(\"-\", [\"A\", \"B\"]))"),
            Val::Str("a-b".into())
        );
        assert_eq!(ev("merge({a = 1}, {a = 2, b = 3}).a"), Val::Num(2.0));
        assert_eq!(
            ev("try(var.nope, \"fallback\")"),
            Val::Str("fallback".into())
        );
        assert_eq!(ev("length(concat([1], [2, 3]))"), Val::Num(3.0));
        assert_eq!(ev("!true || false"), Val::Bool(false));
        assert_eq!(ev("var.nope ? 1 : 1"), Val::Num(1.0));
        assert_eq!(ev("var.nope ? 1 : 2"), Val::Unknown);
        assert_eq!(
            ev("jsondecode(\"{\\\"a\\\": [true]}\").a[0]"),
            Val::Bool(true)
        );
        assert_eq!(ev("[for x in [1] : x]"), Val::Unknown);
    }
}
