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

/// Parse `src` as `language` and lower it.
pub fn lower(language: Language, src: &[u8]) -> Result<Lowered, String> {
    let ts_lang: tree_sitter::Language = match language {
        Language::Python => tree_sitter_python::LANGUAGE.into(),
        Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Language::TypeScript => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Language::Java => tree_sitter_java::LANGUAGE.into(),
        Language::Go => tree_sitter_go::LANGUAGE.into(),
    };
    let tree = parse(&ts_lang, src)?;
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

fn parse(lang: &tree_sitter::Language, src: &[u8]) -> Result<Tree, String> {
    let mut parser = Parser::new();
    parser
        .set_language(lang)
        .map_err(|e| format!("grammar version mismatch: {e}"))?;
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

/// The 1-based span of a node.
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
