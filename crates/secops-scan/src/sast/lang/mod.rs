//! Language front-ends: tree-sitter syntax tree → [`Module`](super::ir::Module).
//!
//! Each front-end is one module with `fn lower(tree: &Tree, src: &[u8]) -> Module`. Parsing
//! (with a time budget) and syntax-error counting are shared here.

pub mod go;
pub mod java;
pub mod javascript;
pub mod python;

use super::ir::{Module, Span};
use super::Language;
use std::time::{Duration, Instant};
use tree_sitter::{Node, Parser, Tree};

/// Per-file parse time budget.
pub const PARSE_BUDGET: Duration = Duration::from_secs(3);

/// A lowered file.
pub struct Lowered {
    pub module: Module,
    /// ERROR / MISSING nodes in the tree (the rest was still analysed).
    pub syntax_errors: usize,
}

/// Parse `src` as `language` and lower it. With `ranges`, only those byte ranges are parsed
/// (positions unchanged); if that yields syntax errors the whole file is parsed instead, so a
/// misjudged range never costs a finding.
pub fn lower(
    language: Language,
    src: &[u8],
    ranges: Option<&[std::ops::Range<usize>]>,
) -> Result<Lowered, String> {
    lower_dialect(language, false, src, ranges)
}

/// [`lower`] for a file: TypeScript files ending in `.tsx` are parsed with the TSX grammar,
/// the others with the plain TypeScript one (which, unlike TSX, reads `<T>expr` assertions).
pub fn lower_path(
    path: &str,
    language: Language,
    src: &[u8],
    ranges: Option<&[std::ops::Range<usize>]>,
) -> Result<Lowered, String> {
    let tsx = path
        .rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("tsx"));
    lower_dialect(language, tsx, src, ranges)
}

fn lower_dialect(
    language: Language,
    tsx: bool,
    src: &[u8],
    ranges: Option<&[std::ops::Range<usize>]>,
) -> Result<Lowered, String> {
    let ts_lang: tree_sitter::Language = match language {
        Language::Python => tree_sitter_python::LANGUAGE.into(),
        Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Language::TypeScript if tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Language::Java => tree_sitter_java::LANGUAGE.into(),
        Language::Go => tree_sitter_go::LANGUAGE.into(),
    };
    let mut tree = parse(&ts_lang, src, ranges)?;
    if let Some(ranges) = ranges {
        if tree.root_node().has_error() && errors_near_cuts(tree.root_node(), src, ranges) {
            tree = parse(&ts_lang, src, None)?;
        }
    }
    let syntax_errors = count_errors(tree.root_node());
    let module = match language {
        Language::Python => python::lower(&tree, src),
        Language::JavaScript | Language::TypeScript => javascript::lower(&tree, src),
        Language::Java => java::lower(&tree, src),
        Language::Go => go::lower(&tree, src),
    };
    Ok(Lowered {
        module,
        syntax_errors,
    })
}

fn parse(
    lang: &tree_sitter::Language,
    src: &[u8],
    ranges: Option<&[std::ops::Range<usize>]>,
) -> Result<Tree, String> {
    let mut parser = Parser::new();
    parser
        .set_language(lang)
        .map_err(|e| format!("grammar version mismatch: {e}"))?;
    if let Some(ranges) = ranges {
        let ts_ranges = ts_ranges(src, ranges);
        parser
            .set_included_ranges(&ts_ranges)
            .map_err(|e| format!("invalid parse ranges: {e:?}"))?;
    }
    let started = Instant::now();
    let mut progress = |_: &tree_sitter::ParseState| started.elapsed() > PARSE_BUDGET;
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let len = src.len();
    parser
        .parse_with_options(
            &mut |i, _| if i < len { &src[i..] } else { &[] },
            None,
            Some(options),
        )
        .ok_or_else(|| {
            format!(
                "parse budget of {}s exceeded; not analysed",
                PARSE_BUDGET.as_secs()
            )
        })
}

/// tree-sitter ranges (byte offsets plus row/column points) for sorted byte ranges.
fn ts_ranges(src: &[u8], ranges: &[std::ops::Range<usize>]) -> Vec<tree_sitter::Range> {
    // Walk the file once: row and line start at each requested offset.
    let mut row = 0usize;
    let mut line_start = 0usize;
    let mut pos = 0usize;
    let mut point = |at: usize| {
        let at = at.min(src.len());
        if at >= pos {
            for i in memchr::memchr_iter(b'\n', &src[pos..at]) {
                row += 1;
                line_start = pos + i + 1;
            }
            pos = at;
        }
        tree_sitter::Point::new(row, at - line_start)
    };
    let mut out = Vec::with_capacity(ranges.len());
    for r in ranges {
        let start_point = point(r.start);
        let end_point = point(r.end);
        out.push(tree_sitter::Range {
            start_byte: r.start,
            end_byte: r.end,
            start_point,
            end_point,
        });
    }
    out
}

/// Whether a syntax error touches a place where text was left out (on the first or last line
/// of a kept unit, or across units): then the cut, not the file, may be the cause, and the
/// file is parsed whole.
/// Errors well inside a kept unit are the file's own.
fn errors_near_cuts(root: Node<'_>, src: &[u8], ranges: &[std::ops::Range<usize>]) -> bool {
    let mut cuts: Vec<usize> = Vec::new();
    for r in ranges {
        if r.start > 0 {
            cuts.push(r.start);
        }
        if r.end < src.len() {
            cuts.push(r.end);
        }
    }
    let line_start =
        |at: usize| memchr::memrchr(b'\n', &src[..at.min(src.len())]).map_or(0, |i| i + 1);
    let line_end = |at: usize| {
        memchr::memchr(b'\n', &src[at.min(src.len())..]).map_or(src.len(), |i| at + i + 1)
    };
    let near = |a: usize, b: usize| {
        // The error's whole lines: a cut there (the first line of a kept unit, its last line,
        // or a span across units) may be the cause.
        let s = line_start(a);
        let e = line_end(b);
        cuts.iter().any(|&c| c >= s && c <= e)
    };
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            if near(node.start_byte(), node.end_byte()) {
                return true;
            }
            continue;
        }
        if node.has_error() {
            for c in node.children(&mut cursor) {
                stack.push(c);
            }
        }
    }
    false
}

fn count_errors(root: Node<'_>) -> usize {
    if !root.has_error() {
        return 0;
    }
    let mut n = 0;
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            n += 1;
            continue;
        }
        if node.has_error() {
            for c in node.children(&mut cursor) {
                stack.push(c);
            }
        }
    }
    n
}

/// `child_by_field_name` with the field id looked up once per language and name (tree-sitter
/// otherwise compares the name with every field name of the grammar on each call).
pub trait FieldExt<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>>;
}

thread_local! {
    static FIELD_IDS: std::cell::RefCell<
        rustc_hash::FxHashMap<(usize, usize), Option<std::num::NonZeroU16>>,
    > = std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

impl<'t> FieldExt<'t> for Node<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>> {
        use std::hash::{Hash, Hasher};
        let lang = self.language();
        // `Language` hashes its grammar pointer: Fx hashing of one word is injective, so
        // this identifies the grammar.
        let mut h = rustc_hash::FxHasher::default();
        (*lang).hash(&mut h);
        let lang_key = h.finish() as usize;
        let key = (lang_key, name.as_ptr() as usize);
        let id = FIELD_IDS.with(|m| {
            if let Some(id) = m.borrow().get(&key) {
                return *id;
            }
            let id = lang.field_id_for_name(name);
            m.borrow_mut().insert(key, id);
            id
        });
        id.and_then(|id| self.child_by_field_id(id.get()))
    }
}

/// The 1-based span of a node.
/// Named children without comments (and other extras such as Python's line continuations).
pub fn named_children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.named_children(&mut c).filter(|x| !x.is_extra()).collect()
}

/// Every child, anonymous tokens included.
pub fn all_children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.children(&mut c).collect()
}

pub fn span(node: Node<'_>) -> Span {
    let s = node.start_position();
    let e = node.end_position();
    Span {
        line: s.row + 1,
        col: s.column + 1,
        end_line: e.row + 1,
        end_col: e.column + 1,
    }
}

/// The source text of a node.
pub fn text<'a>(node: Node<'_>, src: &'a [u8]) -> &'a str {
    std::str::from_utf8(&src[node.byte_range()]).unwrap_or("")
}

#[cfg(test)]
mod field_tests {
    use super::FieldExt;

    #[test]
    fn cached_field_lookup_is_per_language() {
        let langs: [(tree_sitter::Language, &str, &str); 4] = [
            (
                tree_sitter_python::LANGUAGE.into(),
                "def f(a):\n    return a\n",
                "name",
            ),
            (
                tree_sitter_javascript::LANGUAGE.into(),
                "function g(b) { return b; }\n",
                "name",
            ),
            (
                tree_sitter_java::LANGUAGE.into(),
                "class C { void h() {} }\n",
                "name",
            ),
            (
                tree_sitter_go::LANGUAGE.into(),
                "package p\nfunc k() {}\n",
                "name",
            ),
        ];
        let mut keys = std::collections::HashSet::new();
        for (lang, src, field) in langs {
            keys.insert(format!("{lang:?}"));
            let tree = super::parse(&lang, src.as_bytes(), None).expect("parse");
            // The first named declaration's `name` field, found through the cache, twice.
            let mut stack = vec![tree.root_node()];
            let mut found = None;
            while let Some(n) = stack.pop() {
                if let Some(x) = n.field(field) {
                    found = Some((n, x));
                    break;
                }
                let mut c = n.walk();
                stack.extend(n.named_children(&mut c));
            }
            let (n, x) = found.expect("a node with a name field");
            assert_eq!(Some(x), n.child_by_field_name(field));
            assert_eq!(n.field(field), n.child_by_field_name(field));
        }
        assert_eq!(keys.len(), 4, "four distinct grammars");
    }
}
