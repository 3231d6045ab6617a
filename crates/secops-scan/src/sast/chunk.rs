//! Lexical pre-pass: which top-level units of a file (functions, classes, methods) can matter
//! to the analysis, so that tree-sitter only parses those (included ranges).
//!
//! A unit is dropped only when it is a definition (function, method, class) that:
//! - contains no trigger word (no source, no call-pattern word: see [`Triggers`]),
//! - is not named in a kept unit (callees and constants of kept code stay: downward closure),
//! - does not name a unit that holds a trigger or was kept for naming one (callers of code that
//!   may return tainted data stay: upward closure).
//!
//! Everything that is not a definition (imports, module statements, route registrations,
//! fields, class headers) is always kept. The lexer knows strings, comments, template literals
//! and brackets; when it is unsure (unbalanced brackets or an open string at the end) the
//! whole file is parsed. Positions are unchanged: included ranges keep their byte offsets.

use super::Language;
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

/// One top-level (or class-member) unit.
#[derive(Debug)]
struct Unit {
    range: Range<usize>,
    /// A function/method/class definition that may be left out.
    droppable: bool,
    /// Names it defines (function, class, method, variable).
    names: Vec<Range<usize>>,
}

/// Byte ranges worth parsing, sorted and disjoint; `None` when the whole file should be parsed
/// (nothing to leave out, or the lexer is unsure).
pub fn plan(lang: Language, src: &[u8], seeds: &Seeds) -> Option<Vec<Range<usize>>> {
    // Small files: the pre-pass would not pay for itself.
    if src.len() < 4096 {
        return None;
    }
    let lines = line_starts(src);
    let info = match lang {
        Language::Python => lex_python(src, &lines)?,
        _ => lex_braces(lang, src, &lines)?,
    };
    let units = match lang {
        Language::Python => python_units(src, &lines, &info),
        _ => brace_units(lang, src, &lines, &info),
    };
    if units.len() < 2 || !units.iter().any(|u| u.droppable) {
        return None;
    }
    let keep = closure(src, &units, seeds);
    if keep.iter().all(|k| *k) {
        return None;
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for (u, k) in units.iter().zip(&keep) {
        if !*k {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.end == u.range.start => last.end = u.range.end,
            _ => out.push(u.range.clone()),
        }
    }
    Some(out)
}

fn line_starts(src: &[u8]) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(memchr::memchr_iter(b'\n', src).map(|i| i + 1));
    v
}

/// Per line: bracket depth and whether the line starts inside a string or comment.
struct LineInfo {
    depth: Vec<i32>,
    in_literal: Vec<bool>,
}

fn is_word(b: u8) -> bool {
    WORD_BYTE[b as usize]
}

/// Brace-language lexer (JavaScript/TypeScript, Java, Go).
fn lex_braces(lang: Language, src: &[u8], lines: &[usize]) -> Option<LineInfo> {
    let js = matches!(lang, Language::JavaScript | Language::TypeScript);
    let mut depth_at = Vec::with_capacity(lines.len());
    let mut lit_at = Vec::with_capacity(lines.len());
    let mut depth: i32 = 0;
    // Template-literal nesting: the depth at which each open `${` returns to the template.
    let mut templates: Vec<i32> = Vec::new();
    let mut in_template = false;
    let mut in_block_comment = false;
    let mut in_raw: Option<u8> = None; // Go raw string / Java text block marker
    let mut prev_sig: u8 = b'\n';
    let mut line = 0usize;
    let mut i = 0usize;
    let n = src.len();
    let mut next_line_start = lines.get(1).copied().unwrap_or(usize::MAX);
    depth_at.push(0);
    lit_at.push(false);
    while i < n {
        if i >= next_line_start {
            line += 1;
            next_line_start = lines.get(line + 1).copied().unwrap_or(usize::MAX);
            depth_at.push(depth);
            lit_at.push(in_block_comment || in_template || in_raw.is_some());
        }
        let b = src[i];
        if in_block_comment {
            if b == b'*' && src.get(i + 1) == Some(&b'/') {
                in_block_comment = false;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        if let Some(q) = in_raw {
            if q == b'"' {
                // Java text block `"""`.
                if src[i..].starts_with(b"\"\"\"") {
                    in_raw = None;
                    i += 3;
                    continue;
                }
                if b == b'\\' {
                    i += 2;
                    continue;
                }
            } else if b == q {
                in_raw = None;
            }
            i += 1;
            continue;
        }
        if in_template {
            match b {
                b'\\' => i += 2,
                b'`' => {
                    in_template = false;
                    prev_sig = b'`';
                    i += 1;
                }
                b'$' if src.get(i + 1) == Some(&b'{') => {
                    templates.push(depth);
                    depth += 1;
                    in_template = false;
                    prev_sig = b'{';
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match b {
            b'/' if src.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &src[i..]).map_or(n, |k| i + k);
            }
            b'/' if src.get(i + 1) == Some(&b'*') => {
                in_block_comment = true;
                i += 2;
            }
            b'/' if js && regex_can_start(prev_sig, src, i) => {
                i = skip_regex(src, i);
                prev_sig = b'/';
            }
            b'"' if lang == Language::Java && src[i..].starts_with(b"\"\"\"") => {
                in_raw = Some(b'"');
                i += 3;
            }
            b'`' if lang == Language::Go => {
                in_raw = Some(b'`');
                i += 1;
            }
            b'`' => {
                in_template = true;
                i += 1;
            }
            b'"' | b'\'' => {
                i = skip_quoted(src, i, b);
                prev_sig = b'"';
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                prev_sig = b;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
                if b == b'}' && templates.last() == Some(&depth) {
                    templates.pop();
                    in_template = true;
                }
                prev_sig = b;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => {
                prev_sig = b;
                i += 1;
            }
        }
    }
    if depth != 0 || in_block_comment || in_template || in_raw.is_some() || !templates.is_empty() {
        return None;
    }
    // Lines after the last byte (a trailing newline leaves one empty line).
    depth_at.resize(lines.len(), 0);
    lit_at.resize(lines.len(), false);
    Some(LineInfo {
        depth: depth_at,
        in_literal: lit_at,
    })
}

/// A quoted string ends at its quote or (unterminated) at the end of the line.
fn skip_quoted(src: &[u8], start: usize, q: u8) -> usize {
    let mut i = start + 1;
    while i < src.len() {
        match src[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            c if c == q => return i + 1,
            _ => i += 1,
        }
    }
    src.len()
}

/// Whether a `/` starts a regular expression literal (after an operator, an opening bracket,
/// or a keyword such as `return`).
fn regex_can_start(prev: u8, src: &[u8], i: usize) -> bool {
    if matches!(
        prev,
        b'(' | b','
            | b'='
            | b':'
            | b'['
            | b'!'
            | b'&'
            | b'|'
            | b'?'
            | b'{'
            | b'}'
            | b';'
            | b'+'
            | b'-'
            | b'*'
            | b'%'
            | b'<'
            | b'>'
            | b'~'
            | b'^'
            | b'\n'
    ) {
        return true;
    }
    // A keyword right before: `return /x/`, `typeof /x/`.
    let mut j = i;
    while j > 0 && matches!(src[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    let end = j;
    while j > 0 && is_word(src[j - 1]) {
        j -= 1;
    }
    matches!(
        &src[j..end],
        b"return" | b"typeof" | b"case" | b"do" | b"else" | b"in" | b"of" | b"void" | b"yield"
    )
}

/// Skip a regex literal (with classes `[...]`); an unterminated one ends at the line's end.
fn skip_regex(src: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    let mut in_class = false;
    while i < src.len() {
        match src[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b'[' => {
                in_class = true;
                i += 1;
            }
            b']' => {
                in_class = false;
                i += 1;
            }
            b'/' if !in_class => {
                i += 1;
                while i < src.len() && src[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return i;
            }
            _ => i += 1,
        }
    }
    src.len()
}

/// Python lexer: strings (incl. triple-quoted), comments, brackets.
fn lex_python(src: &[u8], lines: &[usize]) -> Option<LineInfo> {
    let mut depth_at = Vec::with_capacity(lines.len());
    let mut lit_at = Vec::with_capacity(lines.len());
    let mut depth: i32 = 0;
    let mut triple: Option<u8> = None;
    let mut line = 0usize;
    let mut next_line_start = lines.get(1).copied().unwrap_or(usize::MAX);
    depth_at.push(0);
    lit_at.push(false);
    let n = src.len();
    let mut i = 0usize;
    while i < n {
        if i >= next_line_start {
            line += 1;
            next_line_start = lines.get(line + 1).copied().unwrap_or(usize::MAX);
            depth_at.push(depth);
            lit_at.push(triple.is_some());
        }
        let b = src[i];
        if let Some(q) = triple {
            if b == b'\\' {
                i += 2;
            } else if b == q && src.get(i + 1) == Some(&q) && src.get(i + 2) == Some(&q) {
                triple = None;
                i += 3;
            } else {
                i += 1;
            }
            continue;
        }
        match b {
            b'#' => i = memchr::memchr(b'\n', &src[i..]).map_or(n, |k| i + k),
            b'"' | b'\'' => {
                if src.get(i + 1) == Some(&b) && src.get(i + 2) == Some(&b) {
                    triple = Some(b);
                    i += 3;
                } else {
                    i = skip_quoted(src, i, b);
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if depth != 0 || triple.is_some() {
        return None;
    }
    depth_at.resize(lines.len(), 0);
    lit_at.resize(lines.len(), false);
    Some(LineInfo {
        depth: depth_at,
        in_literal: lit_at,
    })
}

/// The text of line `l` (without the newline).
fn line_text<'a>(src: &'a [u8], lines: &[usize], l: usize) -> &'a [u8] {
    let s = lines[l];
    let e = lines.get(l + 1).map_or(src.len(), |e| e - 1).max(s);
    &src[s..e]
}

/// The first word of a trimmed line.
fn first_word(t: &[u8]) -> &[u8] {
    let t = trim_start(t);
    let e = t.iter().position(|b| !is_word(*b)).unwrap_or(t.len());
    &t[..e]
}

fn trim_start(t: &[u8]) -> &[u8] {
    let s = t
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(t.len());
    &t[s..]
}

fn indent(t: &[u8]) -> usize {
    t.iter().take_while(|b| **b == b' ' || **b == b'\t').count()
}

/// Python: statement starts at indentation `ind` within `span` (lines at bracket depth 0,
/// outside strings); decorators join the definition below them and `else`/`elif`/`except`/
/// `finally` join the statement above.
fn python_starts(
    src: &[u8],
    lines: &[usize],
    info: &LineInfo,
    ind: usize,
    span: Range<usize>,
) -> Vec<usize> {
    let mut starts: Vec<usize> = Vec::new();
    let mut decorator_pending = false;
    for l in span {
        let t = line_text(src, lines, l);
        if info.depth[l] != 0 || info.in_literal[l] || t.len() <= ind || indent(t) != ind {
            continue;
        }
        let c = t[ind];
        if c == b'#' || c == b'\r' {
            continue;
        }
        // A backslash continuation line is not a statement start.
        if l > 0 && line_text(src, lines, l - 1).ends_with(b"\\") {
            continue;
        }
        let w = first_word(t);
        if matches!(w, b"else" | b"elif" | b"except" | b"finally") {
            continue;
        }
        if !decorator_pending {
            starts.push(l);
        }
        decorator_pending = c == b'@';
    }
    starts
}

/// The head of a Python statement starting at line `l`: the line after its decorators, the
/// keyword (`def`, `class`, `async` resolved) and the name after `def`/`class`.
fn python_head(
    src: &[u8],
    lines: &[usize],
    l: usize,
    end: usize,
) -> (usize, &'static str, Option<Range<usize>>) {
    let mut def_line = l;
    while def_line < lines.len()
        && trim_start(line_text(src, lines, def_line)).first() == Some(&b'@')
    {
        def_line += 1;
    }
    if def_line >= lines.len() || lines[def_line] >= end {
        return (def_line, "", None);
    }
    let head = line_text(src, lines, def_line);
    let ws = head.len() - trim_start(head).len();
    let mut w = first_word(head);
    let mut rest_at = lines[def_line] + ws + w.len();
    if w == b"async" {
        let after = &head[ws + w.len()..];
        let skip = after.len() - trim_start(after).len();
        w = first_word(after);
        rest_at += skip + w.len();
    }
    let kw = match w {
        b"def" => "def",
        b"class" => "class",
        b"import" | b"from" => "import",
        b"if" | b"for" | b"while" | b"try" | b"with" | b"async" | b"match" | b"case"
        | b"global" | b"nonlocal" => "compound",
        _ => "",
    };
    let name = matches!(kw, "def" | "class")
        .then(|| word_after(src, rest_at, end))
        .flatten();
    (def_line, kw, name)
}

/// Python: units start at column-0 statements. Functions are droppable; classes are split
/// into a header (with their first member, so the body is never empty) and members, methods
/// being droppable; plain statements (assignments, calls) are droppable and named by what
/// they assign; imports and compound statements are kept.
fn python_units(src: &[u8], lines: &[usize], info: &LineInfo) -> Vec<Unit> {
    let starts = python_starts(src, lines, info, 0, 0..lines.len());
    let mut units = Vec::new();
    for (k, &l) in starts.iter().enumerate() {
        let start = if k == 0 { 0 } else { lines[l] };
        let end_line = starts.get(k + 1).copied().unwrap_or(lines.len());
        let end = lines.get(end_line).copied().unwrap_or(src.len());
        let (def_line, kw, name) = python_head(src, lines, l, end);
        match kw {
            "def" => units.push(Unit {
                range: start..end,
                droppable: true,
                names: name.into_iter().collect(),
            }),
            "class" => split_python_class(
                src,
                lines,
                info,
                def_line,
                end_line,
                start..end,
                name,
                &mut units,
            ),
            "import" | "compound" => units.push(Unit {
                range: start..end,
                droppable: false,
                names: Vec::new(),
            }),
            _ => units.push(statement_unit(Language::Python, src, start..end)),
        }
    }
    units
}

/// A Python class: header with the first member, then one unit per member. When the body
/// cannot be split (one-line class, a single member), the class is one droppable unit named
/// by the class and its methods.
#[allow(clippy::too_many_arguments)]
fn split_python_class(
    src: &[u8],
    lines: &[usize],
    info: &LineInfo,
    def_line: usize,
    end_line: usize,
    range: Range<usize>,
    name: Option<Range<usize>>,
    units: &mut Vec<Unit>,
) {
    let whole = |units: &mut Vec<Unit>| {
        let mut names: Vec<Range<usize>> = name.clone().into_iter().collect();
        let mut at = range.start;
        while let Some(p) = memchr::memmem::find(&src[at..range.end], b"def ") {
            let p = at + p;
            if p == range.start || !is_word(src[p - 1]) {
                if let Some(r) = word_after(src, p + 3, range.end) {
                    names.push(r);
                }
            }
            at = p + 4;
        }
        units.push(Unit {
            range: range.clone(),
            droppable: true,
            names,
        });
    };
    let first = (def_line + 1..end_line).find(|&b| {
        let t = trim_start(line_text(src, lines, b));
        info.depth[b] == 0 && !info.in_literal[b] && !t.is_empty() && t[0] != b'#'
    });
    let Some(first) = first else {
        return whole(units);
    };
    let ind = indent(line_text(src, lines, first));
    if ind == 0 {
        return whole(units);
    }
    let members = python_starts(src, lines, info, ind, first..end_line);
    if members.first() != Some(&first) || members.len() < 2 {
        return whole(units);
    }
    let member_end = |k: usize| members.get(k + 1).map_or(range.end, |&m| lines[m]);
    let mut header_names: Vec<Range<usize>> = name.clone().into_iter().collect();
    let (_, _, first_name) = python_head(src, lines, members[0], member_end(0));
    header_names.extend(first_name);
    units.push(Unit {
        range: range.start..member_end(0),
        droppable: false,
        names: header_names,
    });
    for k in 1..members.len() {
        let s = lines[members[k]];
        let e = member_end(k);
        let (_, kw, mname) = python_head(src, lines, members[k], e);
        units.push(match kw {
            "def" => Unit {
                range: s..e,
                droppable: true,
                names: mname.into_iter().collect(),
            },
            // Class attributes: named by what they assign (read as `self.x`, `cls.x`).
            "" => statement_unit(Language::Python, src, s..e),
            _ => Unit {
                range: s..e,
                droppable: false,
                names: mname.into_iter().collect(),
            },
        });
    }
}

/// The identifier after position `at` (skipping blanks), within `end`.
fn word_after(src: &[u8], at: usize, end: usize) -> Option<Range<usize>> {
    let mut i = at;
    while i < end && (src[i] == b' ' || src[i] == b'\t' || src[i] == b'*') {
        i += 1;
    }
    let s = i;
    while i < end && is_word(src[i]) {
        i += 1;
    }
    (i > s).then_some(s..i)
}

/// Words that never name a definition (keywords, modifiers, builtin types).
const NOT_NAMES: &[&[u8]] = &[
    b"const",
    b"let",
    b"var",
    b"export",
    b"default",
    b"declare",
    b"readonly",
    b"static",
    b"public",
    b"private",
    b"protected",
    b"final",
    b"abstract",
    b"transient",
    b"volatile",
    b"type",
    b"new",
    b"this",
    b"self",
    b"typeof",
    b"keyof",
    b"as",
    b"in",
    b"of",
    b"void",
    b"null",
    b"undefined",
    b"true",
    b"false",
    b"None",
    b"True",
    b"False",
    b"int",
    b"long",
    b"double",
    b"float",
    b"char",
    b"byte",
    b"short",
    b"boolean",
    b"string",
    b"number",
    b"any",
    b"unknown",
    b"never",
    b"bool",
    b"str",
    b"String",
    b"Object",
    b"async",
    b"await",
];

/// Where the depth-0 assignments of a statement are: `(statement start, '=' position)`
/// pairs (compound `+=` included; `==`, `!=`, `<=`, `>=`, `=>` not), outside strings,
/// comments, regex literals and brackets. `None` when the brackets do not balance (the
/// statement is then not understood and must be kept).
fn assignments(lang: Language, t: &[u8]) -> Option<Vec<(usize, usize)>> {
    let py = lang == Language::Python;
    let js = matches!(lang, Language::JavaScript | Language::TypeScript);
    let mut out = Vec::new();
    let mut d = 0i32;
    let mut stmt = 0usize;
    let mut prev_sig = b'\n';
    let mut i = 0usize;
    let n = t.len();
    while i < n {
        let b = t[i];
        match b {
            b'#' if py => {
                i = memchr::memchr(b'\n', &t[i..]).map_or(n, |k| i + k);
                continue;
            }
            b'/' if !py && t.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &t[i..]).map_or(n, |k| i + k);
                continue;
            }
            b'/' if !py && t.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&t[i + 2..], b"*/").map_or(n, |k| i + 2 + k + 2);
                continue;
            }
            b'/' if js && regex_can_start(prev_sig, t, i) => {
                i = skip_regex(t, i);
                prev_sig = b'/';
                continue;
            }
            b'"' | b'\'' if py && t.get(i + 1) == Some(&b) && t.get(i + 2) == Some(&b) => {
                let q = [b, b, b];
                i = memchr::memmem::find(&t[i + 3..], &q).map_or(n, |k| i + 3 + k + 3);
                prev_sig = b'"';
                continue;
            }
            b'"' if lang == Language::Java && t[i..].starts_with(b"\"\"\"") => {
                i = memchr::memmem::find(&t[i + 3..], b"\"\"\"").map_or(n, |k| i + 3 + k + 3);
                prev_sig = b'"';
                continue;
            }
            b'"' | b'\'' => {
                i = skip_quoted(t, i, b);
                prev_sig = b'"';
                continue;
            }
            b'`' if !py => {
                // Template literal or Go raw string: to the closing backtick.
                let mut j = i + 1;
                while j < n && t[j] != b'`' {
                    j += if t[j] == b'\\' && lang != Language::Go {
                        2
                    } else {
                        1
                    };
                }
                i = j + 1;
                prev_sig = b'"';
                continue;
            }
            b'(' | b'[' | b'{' => d += 1,
            b')' | b']' | b'}' => {
                d -= 1;
                if d < 0 {
                    return None;
                }
            }
            b';' if d == 0 => stmt = i + 1,
            b'\n' if d == 0 && py && (i == 0 || t[i - 1] != b'\\') => stmt = i + 1,
            b'=' if d == 0 => {
                let next = t.get(i + 1).copied().unwrap_or(b' ');
                if next == b'=' || next == b'>' {
                    prev_sig = b'=';
                    i += 2;
                    continue;
                }
                let prev = if i > 0 { t[i - 1] } else { b' ' };
                if !matches!(prev, b'=' | b'!' | b'<' | b'>') {
                    out.push((stmt, i));
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            prev_sig = b;
        }
        i += 1;
    }
    (d == 0).then_some(out)
}

/// Identifier ranges in `t[r]` (offset by `base`), `NOT_NAMES` left out.
fn words_in(t: &[u8], r: Range<usize>, base: usize, out: &mut Vec<Range<usize>>) {
    let mut i = r.start;
    while i < r.end {
        if is_word(t[i]) {
            let s = i;
            while i < r.end && is_word(t[i]) {
                i += 1;
            }
            if !t[s].is_ascii_digit() && !NOT_NAMES.contains(&&t[s..i]) {
                out.push(base + s..base + i);
            }
        } else {
            i += 1;
        }
    }
}

/// Declared identifiers of a declaration head (`a`, `{ a, b: c }`, `[x, y]`, `a: Type<A, B>`):
/// type annotations after a depth-0 `:` are left out.
fn head_names(t: &[u8], r: Range<usize>, base: usize, out: &mut Vec<Range<usize>>) {
    let mut d = 0i32;
    let mut in_type = false;
    let mut i = r.start;
    while i < r.end {
        let b = t[i];
        if is_word(b) {
            let s = i;
            while i < r.end && is_word(t[i]) {
                i += 1;
            }
            if !in_type {
                words_in(t, s..i, base, out);
            }
            continue;
        }
        match b {
            b'(' | b'[' | b'{' | b'<' => d += 1,
            b')' | b']' | b'}' | b'>' => d -= 1,
            b':' if d == 0 => in_type = true,
            b',' if d == 0 => in_type = false,
            _ => {}
        }
        i += 1;
    }
}

/// The last word before `at` outside brackets: `a.b` → `b`, `a[k]` → `a`, `f().x` → `x`.
fn target_word(t: &[u8], from: usize, at: usize) -> Option<Range<usize>> {
    let mut j = at;
    loop {
        while j > from && t[j - 1].is_ascii_whitespace() {
            j -= 1;
        }
        if j > from && matches!(t[j - 1], b']' | b')') {
            let mut d = 0i32;
            while j > from {
                j -= 1;
                match t[j] {
                    b']' | b')' => d += 1,
                    b'[' | b'(' => {
                        d -= 1;
                        if d == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            continue;
        }
        // Compound operators (`+=`, `||=`, `??=`).
        if j > from
            && matches!(
                t[j - 1],
                b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'?'
            )
        {
            j -= 1;
            continue;
        }
        break;
    }
    let end = j;
    while j > from && is_word(t[j - 1]) {
        j -= 1;
    }
    (end > j).then_some(j..end)
}

/// A statement that defines nothing callable (assignment, declaration, call): droppable and
/// named by what it assigns. Kept (not droppable) when it cannot be read with confidence.
fn statement_unit(lang: Language, src: &[u8], range: Range<usize>) -> Unit {
    let t = &src[range.clone()];
    let base = range.start;
    let keep = |range: Range<usize>| Unit {
        range,
        droppable: false,
        names: Vec::new(),
    };
    let Some(eqs) = assignments(lang, t) else {
        return keep(range);
    };
    let mut names = Vec::new();
    match lang {
        Language::Python => {
            // Every word of every target list: `a, b = ...`, `x.y = ...`, `a = b = 0`.
            for &(s, e) in &eqs {
                words_in(t, s..e, base, &mut names);
            }
        }
        Language::Go => {
            // `var a, b T = ...`, `const (...)`, `type T struct{...}`: identifiers of every
            // declaration line (the first words, comma-separated).
            let mut at = 0;
            for line in t.split(|&b| b == b'\n') {
                let l = trim_start(line);
                let off = at + (line.len() - l.len());
                at += line.len() + 1;
                let mut i = 0;
                loop {
                    let s = i;
                    while i < l.len() && is_word(l[i]) {
                        i += 1;
                    }
                    if i == s {
                        break;
                    }
                    if !matches!(&l[s..i], b"var" | b"const" | b"type") {
                        words_in(l, s..i, base + off, &mut names);
                        while i < l.len() && l[i] == b' ' {
                            i += 1;
                        }
                        if l.get(i) != Some(&b',') {
                            break;
                        }
                        i += 1;
                    }
                    while i < l.len() && l[i] == b' ' {
                        i += 1;
                    }
                }
            }
        }
        _ => {
            // JavaScript/TypeScript. Declarations: the declared identifiers of each
            // declarator; other statements: the target of each assignment, and the operand
            // of `++`/`--`.
            let head = trim_start(t);
            let hoff = t.len() - head.len();
            let mut i = 0;
            loop {
                let w = first_word(&head[i..]);
                if w.is_empty() || !MODIFIERS.contains(&w) {
                    break;
                }
                i += w.len();
                i += head[i..].len() - trim_start(&head[i..]).len();
            }
            let kw = first_word(&head[i..]);
            if matches!(kw, b"const" | b"let" | b"var" | b"type" | b"using") {
                let decl_start = hoff + i + kw.len();
                let first_end = eqs.first().map(|&(_, e)| e).unwrap_or_else(|| {
                    memchr::memchr2(b';', b'\n', &t[decl_start..])
                        .map_or(t.len(), |k| decl_start + k)
                });
                head_names(t, decl_start..first_end.max(decl_start), base, &mut names);
                // Later declarators: `let a = 1, b = 2`.
                for &(_, e) in eqs.iter().skip(1) {
                    let from = t[..e].iter().rposition(|&b| b == b',').map_or(e, |c| c + 1);
                    head_names(t, from..e, base, &mut names);
                }
            } else {
                for &(s, e) in &eqs {
                    if let Some(r) = target_word(t, s, e) {
                        names.push(base + r.start..base + r.end);
                    }
                }
            }
            for p in memchr::memmem::find_iter(t, b"++").chain(memchr::memmem::find_iter(t, b"--"))
            {
                if let Some(r) = target_word(t, 0, p) {
                    names.push(base + r.start..base + r.end);
                }
                if let Some(r) = word_after(t, p + 2, t.len()) {
                    names.push(base + r.start..base + r.end);
                }
            }
        }
    }
    Unit {
        range,
        droppable: true,
        names,
    }
}

/// Brace languages: units start at column-0 statements at depth 0; class bodies are split
/// into member units at their members' indentation.
fn brace_units(lang: Language, src: &[u8], lines: &[usize], info: &LineInfo) -> Vec<Unit> {
    let starts = unit_starts(src, lines, info, 0, 0, 0..lines.len());
    let mut units = Vec::new();
    for (k, &l) in starts.iter().enumerate() {
        let last_line = starts.get(k + 1).map_or(lines.len(), |&x| x);
        let start = if k == 0 { 0 } else { lines[l] };
        let end = lines.get(last_line).copied().unwrap_or(src.len());
        let (kind, name) = classify(lang, src, start, end);
        match kind {
            Kind::Class { is_enum } => split_class(
                lang,
                src,
                lines,
                info,
                l..last_line,
                start..end,
                is_enum,
                &mut units,
            ),
            Kind::Def => units.push(Unit {
                range: start..end,
                droppable: true,
                names: name.into_iter().collect(),
            }),
            Kind::Stmt => units.push(statement_unit(lang, src, start..end)),
            Kind::Other => units.push(Unit {
                range: start..end,
                droppable: false,
                names: name.into_iter().collect(),
            }),
        }
    }
    units
}

/// Lines (within `span`) that start a unit at bracket depth `depth` and indentation `ind`.
fn unit_starts(
    src: &[u8],
    lines: &[usize],
    info: &LineInfo,
    depth: i32,
    ind: usize,
    span: Range<usize>,
) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut annotation_pending = false;
    for l in span {
        let t = line_text(src, lines, l);
        if info.depth[l] != depth || info.in_literal[l] {
            continue;
        }
        if indent(t) != ind || t.len() <= ind {
            continue;
        }
        let c = t[ind];
        if !(is_word(c) || c == b'@' || c == b'#') {
            continue;
        }
        let w = first_word(t);
        if matches!(
            w,
            b"else" | b"catch" | b"finally" | b"while" | b"extends" | b"implements" | b"throws"
        ) {
            continue;
        }
        if !annotation_pending {
            starts.push(l);
        }
        // Annotations/decorators on their own line join the declaration below.
        annotation_pending = c == b'@' && !t.contains(&b'{') && !t.ends_with(b";");
    }
    starts
}

enum Kind {
    /// A class-like body, split into members.
    Class { is_enum: bool },
    /// A function definition.
    Def,
    /// A statement that defines no function (declaration, assignment, call): droppable,
    /// named by what it assigns (see [`statement_unit`]).
    Stmt,
    /// Kept as is (imports, control flow, anything not understood).
    Other,
}

const MODIFIERS: &[&[u8]] = &[
    b"export",
    b"default",
    b"async",
    b"declare",
    b"public",
    b"private",
    b"protected",
    b"static",
    b"final",
    b"abstract",
    b"synchronized",
    b"native",
    b"readonly",
    b"override",
];

/// What a unit is, from its first words, and the name it defines.
fn classify(lang: Language, src: &[u8], start: usize, end: usize) -> (Kind, Option<Range<usize>>) {
    if is_import(&src[start..end]) {
        return (Kind::Other, None);
    }
    let mut i = start;
    // Skip leading comments, annotations and modifiers.
    loop {
        while i < end && src[i].is_ascii_whitespace() {
            i += 1;
        }
        if src[i..end].starts_with(b"//") {
            i = memchr::memchr(b'\n', &src[i..end]).map_or(end, |k| i + k);
            continue;
        }
        if src[i..end].starts_with(b"/*") {
            i = memchr::memmem::find(&src[i..end], b"*/").map_or(end, |k| i + k + 2);
            continue;
        }
        if i < end && src[i] == b'@' {
            // `@Name` or `@Name(...)`.
            i += 1;
            while i < end && (is_word(src[i]) || src[i] == b'.') {
                i += 1;
            }
            if i < end && src[i] == b'(' {
                let mut d = 0i32;
                while i < end {
                    match src[i] {
                        b'(' => d += 1,
                        b')' => {
                            d -= 1;
                            if d == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            continue;
        }
        let w = word_after(src, i, end);
        match w {
            Some(r) if MODIFIERS.contains(&&src[r.clone()]) => i = r.end,
            _ => break,
        }
    }
    let Some(w) = word_after(src, i, end) else {
        return (Kind::Other, None);
    };
    let js = matches!(lang, Language::JavaScript | Language::TypeScript);
    let word = &src[w.clone()];
    match word {
        b"class" | b"interface" | b"record" => {
            (Kind::Class { is_enum: false }, word_after(src, w.end, end))
        }
        b"enum" => (Kind::Class { is_enum: true }, word_after(src, w.end, end)),
        b"function" => (Kind::Def, word_after(src, w.end, end)),
        b"func" => {
            // Go: `func (r *T) Name(`: skip the receiver.
            let mut j = w.end;
            while j < end && src[j] == b' ' {
                j += 1;
            }
            if j < end && src[j] == b'(' {
                j = memchr::memchr(b')', &src[j..end]).map_or(end, |k| j + k + 1);
            }
            (Kind::Def, word_after(src, j, end))
        }
        b"const" | b"let" | b"var" if js => {
            let name = word_after(src, w.end, end);
            if name.as_ref().is_some_and(|r| &src[r.clone()] == b"enum") {
                // TypeScript `const enum E { ... }`.
                return (Kind::Other, None);
            }
            // `const f = (..) =>` / `= function` / `= async (..) =>` define functions.
            let head_end = memchr::memchr(b'\n', &src[w.end..end]).map_or(end, |k| w.end + k);
            let head = &src[w.end..head_end];
            let is_fn = memchr::memmem::find(head, b"=>").is_some()
                || memchr::memmem::find(head, b"= function").is_some()
                || memchr::memmem::find(head, b"= async function").is_some();
            (if is_fn { Kind::Def } else { Kind::Stmt }, name)
        }
        b"var" | b"const" | b"type" if lang == Language::Go => (Kind::Stmt, None),
        // Control flow and blocks may declare anything: kept.
        b"if" | b"for" | b"while" | b"do" | b"try" | b"switch" | b"with" | b"else" | b"catch"
        | b"finally" | b"label" | b"return" | b"throw" | b"break" | b"continue" | b"yield"
        | b"await" | b"new" | b"delete" | b"void" | b"typeof" => (Kind::Other, None),
        // TypeScript `namespace N {`, `declare module 'm' {`, `declare global {`: blocks.
        b"namespace" | b"module" | b"global"
            if src
                .get(w.end)
                .is_some_and(|c| c.is_ascii_whitespace() || *c == b'{') =>
        {
            (Kind::Other, None)
        }
        // TypeScript `type T = ...`, other expression statements.
        _ if js => (Kind::Stmt, None),
        _ => (Kind::Other, None),
    }
}

/// Split a class unit (lines `span`, bytes `range`) into header, members and footer; methods
/// and (outside enums) fields may be dropped, everything else is kept.
#[allow(clippy::too_many_arguments)]
fn split_class(
    lang: Language,
    src: &[u8],
    lines: &[usize],
    info: &LineInfo,
    span: Range<usize>,
    range: Range<usize>,
    is_enum: bool,
    units: &mut Vec<Unit>,
) {
    let (first_line, last_line) = (span.start, span.end);
    let (start, end) = (range.start, range.end);
    let whole = |units: &mut Vec<Unit>| {
        units.push(Unit {
            range: start..end,
            droppable: false,
            names: Vec::new(),
        })
    };
    // The first member: the first body line (depth 1 relative to the class) that starts with
    // a word or an annotation; comments before it go with the header.
    let first_member = (first_line + 1..last_line).find(|&l| {
        if info.depth[l] != 1 || info.in_literal[l] {
            return false;
        }
        let t = trim_start(line_text(src, lines, l));
        t.first()
            .is_some_and(|&c| is_word(c) || c == b'@' || c == b'#')
    });
    let Some(first_member) = first_member else {
        return whole(units);
    };
    let ind = indent(line_text(src, lines, first_member));
    // The footer starts after the last member at depth 1 (the closing brace at depth 1
    // going to 0).
    let footer_line = (first_member..last_line).rev().find(|&l| {
        info.depth[l] == 1 && trim_start(line_text(src, lines, l)).first() == Some(&b'}')
    });
    let Some(footer_line) = footer_line else {
        return whole(units);
    };
    if ind == 0 {
        return whole(units);
    }
    let starts = unit_starts(src, lines, info, 1, ind, first_member..footer_line);
    if starts.first() != Some(&first_member) {
        return whole(units);
    }
    units.push(Unit {
        range: start..lines[first_member],
        droppable: false,
        names: Vec::new(),
    });
    for (k, &l) in starts.iter().enumerate() {
        let s = lines[l];
        let e = lines[starts.get(k + 1).copied().unwrap_or(footer_line)];
        units.push(member_unit(lang, src, s..e, is_enum));
    }
    units.push(Unit {
        range: lines[footer_line]..end,
        droppable: false,
        names: Vec::new(),
    });
}

/// A class member: a method (droppable, named by the word before its `(`), a field
/// (droppable outside enums, named by its declared identifiers) or anything else (nested
/// class, initializer block, enum constants: kept).
fn member_unit(lang: Language, src: &[u8], range: Range<usize>, is_enum: bool) -> Unit {
    let (s, e) = (range.start, range.end);
    let (kind, name) = classify(lang, src, s, e);
    let kept = |names: Vec<Range<usize>>| Unit {
        range: s..e,
        droppable: false,
        names,
    };
    if matches!(kind, Kind::Class { .. }) {
        return kept(name.into_iter().collect());
    }
    let text = &src[s..e];
    let brace = memchr::memchr(b'{', text);
    let paren = memchr::memchr(b'(', text);
    let eq = memchr::memchr(b'=', text);
    let method = match (paren, brace) {
        (Some(p), Some(b)) => p < b && eq.is_none_or(|q| q > p),
        (Some(p), None) => eq.is_none_or(|q| q > p),
        _ => false,
    };
    let name_before = |at: usize| -> Option<Range<usize>> {
        let mut j = s + at;
        while j > s && src[j - 1] == b' ' {
            j -= 1;
        }
        let end = j;
        while j > s && is_word(src[j - 1]) {
            j -= 1;
        }
        (end > j).then_some(j..end)
    };
    if method {
        return Unit {
            range: s..e,
            droppable: true,
            names: paren.and_then(name_before).into_iter().collect(),
        };
    }
    // A field: a declaration head ending at `=` or `;`, with no block before it.
    let semi = memchr::memchr(b';', text);
    let head_end = match (eq, semi) {
        (Some(q), Some(c)) => q.min(c),
        (Some(q), None) => q,
        (None, Some(c)) => c,
        (None, None) => return kept(Vec::new()),
    };
    if is_enum || brace.is_some_and(|b| b < head_end) || paren.is_some_and(|p| p < head_end) {
        return kept(Vec::new());
    }
    let Some(eqs) = assignments(lang, text) else {
        return kept(Vec::new());
    };
    let mut names = Vec::new();
    // Heads: the first one, then each later declarator (`int a = 1, b = 2;`).
    let mut heads: Vec<Range<usize>> = Vec::with_capacity(eqs.len().max(1));
    heads.push(0..head_end);
    for &(_, q) in eqs.iter().skip(1) {
        let from = text[..q]
            .iter()
            .rposition(|&b| b == b',')
            .map_or(q, |c| c + 1);
        heads.push(from..q);
    }
    if lang == Language::Java {
        for h in heads {
            field_names_java(text, h, s, &mut names);
        }
    } else {
        for h in heads {
            head_names(text, h, s, &mut names);
        }
    }
    Unit {
        range: s..e,
        droppable: true,
        names,
    }
}

/// Java field names: the words of a declaration head at generic depth 0 that are followed by
/// `,`, `[` or the end of the head (`Map<K, V> cache`, `int a, b`).
fn field_names_java(t: &[u8], r: Range<usize>, base: usize, out: &mut Vec<Range<usize>>) {
    let mut d = 0i32;
    let mut i = r.start;
    while i < r.end {
        let b = t[i];
        if is_word(b) {
            let s = i;
            while i < r.end && is_word(t[i]) {
                i += 1;
            }
            let mut j = i;
            while j < r.end && t[j].is_ascii_whitespace() {
                j += 1;
            }
            if d == 0 && (j == r.end || matches!(t[j], b',' | b'[')) {
                words_in(t, s..i, base, out);
            }
            continue;
        }
        match b {
            b'<' | b'(' => d += 1,
            b'>' | b')' => d -= 1,
            _ => {}
        }
        i += 1;
    }
}

/// What makes a unit a seed: the words of source and call-pattern paths, and the parameter
/// annotations, types and function names that mark sources.
#[derive(Debug, Default)]
pub struct Seeds {
    /// Path segments (wildcards removed) by last segment.
    paths: HashMap<String, Vec<Vec<String>>>,
    words: std::collections::HashSet<String>,
    /// Every word of `paths` and `words`: the only words, besides the names a file defines,
    /// that the planner looks at.
    vocab: rustc_hash::FxHashSet<Vec<u8>>,
    /// A quick filter over `vocab` (see [`filter_bit`]).
    filter: Vec<u64>,
}

/// A 16-bit key of a word (length, first and last byte) for a 64K-bit filter: most
/// identifiers of a file are neither defined names nor rule words, and are skipped without
/// hashing.
fn filter_bit(w: &[u8]) -> usize {
    let first = w.first().copied().unwrap_or(0) as usize;
    let last = w.last().copied().unwrap_or(0) as usize;
    ((w.len() & 31) << 11) | ((first & 63) << 5) | (last & 31)
}

const FILTER_WORDS: usize = (1 << 16) / 64;

fn filter_set(f: &mut [u64], w: &[u8]) {
    let b = filter_bit(w);
    f[b / 64] |= 1 << (b % 64);
}

fn filter_has(f: &[u64], w: &[u8]) -> bool {
    let b = filter_bit(w);
    f[b / 64] & (1 << (b % 64)) != 0
}

/// Identifier bytes (`$` for JavaScript).
const WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
        i += 1;
    }
    t
};

impl Seeds {
    pub fn build<'a>(
        rules_name: &str,
        paths: impl Iterator<Item = &'a str>,
        words: impl Iterator<Item = &'a str>,
    ) -> Seeds {
        let mut s = Seeds::default();
        for p in paths {
            // Segments as words: `math/rand.Intn` → `math`, `rand`, `Intn` (the last one is
            // the attribute or method).
            let segs: Vec<String> = p
                .split('.')
                .filter(|x| !x.contains('*') && *x != "?")
                .flat_map(|x| {
                    x.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                })
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect();
            if let Some(last) = segs.last().cloned() {
                s.paths.entry(last).or_default().push(segs);
            }
        }
        s.words = words.map(str::to_string).collect();
        s.add_synthesized(rules_name);
        s.filter = vec![0; FILTER_WORDS];
        let all = s.words.iter().chain(s.paths.values().flatten().flatten());
        for w in all {
            filter_set(&mut s.filter, w.as_bytes());
            s.vocab.insert(w.as_bytes().to_vec());
        }
        s
    }

    /// Sources the front-ends make from other code, as the code paths that produce them.
    /// JavaScript `MessageEvent`: the first parameter of a `message` listener or of
    /// `onmessage`. Python route parameters (`route`): also handlers under the FastAPI/Flask
    /// method decorators the front-end knows; FastAPI parameter markers (`Query`, `Path`...)
    /// count only in files that import FastAPI, not as bare words.
    fn add_synthesized(&mut self, rules_name: &str) {
        let mut extra: Vec<String> = Vec::new();
        match rules_name {
            "javascript" => {
                let named = self
                    .paths
                    .values()
                    .flatten()
                    .any(|segs| segs.first().is_some_and(|f| f == "MessageEvent"));
                if named {
                    extra.extend(["message.addEventListener".into(), "onmessage".into()]);
                }
            }
            "python" => {
                if self.words.contains("route") {
                    for m in super::lang::python::HTTP_METHODS {
                        extra.push(format!("fastapi.{m}"));
                        extra.push(format!("flask.{m}"));
                    }
                }
                for m in super::lang::python::FASTAPI_MARKERS {
                    if self.words.remove(*m) {
                        extra.push(format!("fastapi.{m}"));
                    }
                }
            }
            _ => {}
        }
        for p in extra {
            let segs: Vec<String> = p.split('.').map(str::to_string).collect();
            if let Some(last) = segs.last().cloned() {
                self.paths.entry(last).or_default().push(segs);
            }
        }
    }

    /// Which units of a file are seeds. A path seeds a unit when its last segment (the
    /// attribute or method, literal at the use site) is in the unit and every other segment
    /// is in the unit, in the file's imports (where modules and their aliases are named), or
    /// is a type name used somewhere in the file (typed receivers and fields resolve through
    /// declarations, which the upward closure follows).
    fn seed_units(&self, w: &Words<'_>, import_word: &[bool]) -> Vec<bool> {
        let nwords = w.text.len();
        let mut seed_word = vec![false; nwords];
        for x in &self.words {
            if let Some(&id) = w.ids.get(x.as_bytes()) {
                seed_word[id as usize] = true;
            }
        }
        // Paths whose last segment occurs in the file, with their other segments resolved
        // (a segment absent from the file cannot be satisfied).
        let mut paths: HashMap<u32, Vec<Vec<(u32, bool)>>> = HashMap::default();
        for (last, ps) in &self.paths {
            let Some(&lid) = w.ids.get(last.as_bytes()) else {
                continue;
            };
            for segs in ps {
                let rest = &segs[..segs.len().saturating_sub(1)];
                let resolved: Option<Vec<(u32, bool)>> = rest
                    .iter()
                    .map(|s| {
                        w.ids
                            .get(s.as_bytes())
                            .map(|&id| (id, s.starts_with(|c: char| c.is_ascii_uppercase())))
                    })
                    .collect();
                if let Some(r) = resolved {
                    paths.entry(lid).or_default().push(r);
                }
            }
        }
        w.units
            .iter()
            .map(|unit| {
                unit.iter().any(|&id| {
                    seed_word[id as usize]
                        || paths.get(&id).is_some_and(|ps| {
                            ps.iter().any(|segs| {
                                segs.iter().all(|&(sid, upper)| {
                                    upper
                                        || import_word[sid as usize]
                                        || unit.binary_search(&sid).is_ok()
                                })
                            })
                        })
                })
            })
            .collect()
    }
}

/// The identifiers of a file that matter to the planner (the names its units define and the
/// rule words), interned, and each unit's distinct ones (sorted ids).
struct Words<'a> {
    ids: HashMap<&'a [u8], u32>,
    text: Vec<&'a [u8]>,
    units: Vec<Vec<u32>>,
}

impl<'a> Words<'a> {
    fn new(src: &'a [u8], units: &[Unit], seeds: &Seeds) -> Words<'a> {
        let mut w = Words {
            ids: HashMap::default(),
            text: Vec::new(),
            units: Vec::with_capacity(units.len()),
        };
        let mut filter = seeds.filter.clone();
        if filter.len() != FILTER_WORDS {
            filter = vec![u64::MAX; FILTER_WORDS];
        }
        for u in units {
            for r in &u.names {
                let word = &src[r.clone()];
                filter_set(&mut filter, word);
                w.intern(word);
            }
        }
        for u in units {
            let t = &src[u.range.clone()];
            let mut v: Vec<u32> = Vec::new();
            let mut i = 0;
            let n = t.len();
            while i < n {
                if !WORD_BYTE[t[i] as usize] {
                    i += 1;
                    continue;
                }
                let s = i;
                while i < n && WORD_BYTE[t[i] as usize] {
                    i += 1;
                }
                if t[s].is_ascii_digit() {
                    continue;
                }
                let word = &t[s..i];
                if !filter_has(&filter, word) {
                    continue;
                }
                match w.ids.get(word) {
                    Some(&id) => v.push(id),
                    None if seeds.vocab.contains(word) => v.push(w.intern(word)),
                    None => {}
                }
            }
            v.sort_unstable();
            v.dedup();
            w.units.push(v);
        }
        w
    }

    fn intern(&mut self, word: &'a [u8]) -> u32 {
        let next = self.text.len() as u32;
        let id = *self.ids.entry(word).or_insert(next);
        if id == next {
            self.text.push(word);
        }
        id
    }
}

/// Which units to keep: non-definitions, seeds, and the closure.
fn closure(src: &[u8], units: &[Unit], seeds: &Seeds) -> Vec<bool> {
    // Every word counts, strings and comments included: more words only keep more.
    let words = Words::new(src, units, seeds);
    let nwords = words.text.len();
    // Words of import statements: where module roots and their aliases are declared.
    let mut import_word = vec![false; nwords];
    for (u, w) in units.iter().zip(&words.units) {
        if !u.droppable && is_import(&src[u.range.clone()]) {
            for &id in w {
                import_word[id as usize] = true;
            }
        }
    }
    let has_trigger = seeds.seed_units(&words, &import_word);
    let mut defined: HashMap<u32, Vec<usize>> = HashMap::default();
    for (i, u) in units.iter().enumerate() {
        for r in &u.names {
            if let Some(&id) = words.ids.get(&src[r.clone()]) {
                defined.entry(id).or_default().push(i);
            }
        }
    }
    // Units naming a defined name (for the upward closure).
    let mut users: HashMap<u32, Vec<usize>> = HashMap::default();
    for (i, _) in units.iter().enumerate() {
        for id in &words.units[i] {
            if defined.contains_key(id) {
                users.entry(*id).or_default().push(i);
            }
        }
    }
    let mut keep: Vec<bool> = units
        .iter()
        .zip(&has_trigger)
        .map(|(u, t)| !u.droppable || *t)
        .collect();
    // Callees and definitions are followed from code that may hold taint (seeds and their
    // callers), not from kept code without a trigger: taint cannot start there.
    let mut down: Vec<usize> = (0..units.len()).filter(|&i| has_trigger[i]).collect();
    let mut up: Vec<usize> = down.clone();
    let mut down_seen = has_trigger.clone();
    let mut up_seen = has_trigger.clone();
    while !down.is_empty() || !up.is_empty() {
        while let Some(i) = down.pop() {
            for id in &words.units[i] {
                if let Some(ds) = defined.get(id) {
                    for &j in ds {
                        keep[j] = true;
                        if !down_seen[j] {
                            down_seen[j] = true;
                            down.push(j);
                        }
                    }
                }
            }
        }
        while let Some(i) = up.pop() {
            for r in &units[i].names {
                let Some(id) = words.ids.get(&src[r.clone()]) else {
                    continue;
                };
                if let Some(us) = users.get(id) {
                    for &j in us {
                        keep[j] = true;
                        if !up_seen[j] {
                            up_seen[j] = true;
                            up.push(j);
                        }
                        if !down_seen[j] {
                            down_seen[j] = true;
                            down.push(j);
                        }
                    }
                }
            }
        }
    }
    keep
}

/// An import-like statement (`import`, `from ... import`, `package`, `using`, `require(...)`).
fn is_import(text: &[u8]) -> bool {
    let mut t = trim_start(text);
    // Leading comment lines.
    while t.starts_with(b"//") || t.starts_with(b"#") {
        t = trim_start(memchr::memchr(b'\n', t).map_or(&[][..], |i| &t[i..]));
    }
    matches!(
        first_word(t),
        b"import" | b"from" | b"package" | b"using" | b"use" | b"require"
    ) || memchr::memmem::find(t, b"require(").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sast::SastEngine;

    fn plan_for(lang: Language, src: &str) -> Option<Vec<String>> {
        let engine = SastEngine::builtin(crate::sast::SastOptions::default()).expect("rules");
        let seeds = &engine.lang(lang.rules_name()).expect("language").seeds;
        plan(lang, src.as_bytes(), seeds)
            .map(|rs| rs.into_iter().map(|r| src[r].to_string()).collect())
    }

    fn filler_js(n: usize) -> String {
        (0..n)
            .map(|i| format!("function helper{i}(a) {{\n  return a.map((x) => x * {i});\n}}\n\n"))
            .collect()
    }

    /// Top-level Python functions.
    fn filler_py(n: usize) -> String {
        (0..n)
            .map(|i| format!("def util{i}(x):\n    return x + {i}\n\n"))
            .collect()
    }

    /// Java methods (inside a class), with or without a Javadoc comment each.
    fn filler_java(n: usize, doc: bool) -> String {
        (0..n)
            .map(|i| {
                let doc = if doc {
                    format!("    /** Doc {i}. */\n")
                } else {
                    String::new()
                };
                format!(
                    "{doc}    public int calc{i}(int a) {{\n        return a * {i};\n    }}\n\n"
                )
            })
            .collect()
    }

    #[test]
    fn js_drops_unrelated_functions_and_keeps_callees_and_callers() {
        let src = format!(
            "const express = require('express');\nconst app = express();\n\n{}\
function build(q) {{\n  return 'SELECT * FROM t WHERE a = ' + q;\n}}\n\n\
function input(r) {{\n  return r.query.name;\n}}\n\n\
function handler(req, res) {{\n  db.query(build(input(req)));\n}}\n\n\
app.get('/x', handler);\n",
            filler_js(200)
        );
        let kept = plan_for(Language::JavaScript, &src)
            .expect("a plan")
            .join("");
        assert!(kept.contains("require('express')"));
        assert!(kept.contains("function build"), "callee of a kept unit");
        assert!(kept.contains("function input"), "holds a trigger");
        assert!(kept.contains("function handler"));
        assert!(kept.contains("app.get('/x', handler)"));
        assert!(
            !kept.contains("function helper7("),
            "unrelated helper dropped"
        );
    }

    #[test]
    fn python_keeps_decorators_with_their_function() {
        let mut src = String::from("from flask import request, Flask\napp = Flask(__name__)\n\n");
        src.push_str(&filler_py(300));
        src.push_str("@app.route('/a')\ndef view():\n    return run(request.args['q'])\n\n");
        src.push_str("def run(cmd):\n    import os\n    os.system(cmd)\n\nif True:\n    pass\nelse:\n    pass\n");
        let kept = plan_for(Language::Python, &src).expect("a plan").join("");
        assert!(kept.contains("@app.route('/a')\ndef view():"));
        assert!(kept.contains("def run(cmd)"));
        assert!(kept.contains("else:\n    pass"));
        assert!(!kept.contains("def util3("));
    }

    #[test]
    fn java_members_split_and_fields_kept() {
        let mut src = String::from(
            "package a;\n\nimport javax.servlet.http.*;\n\npublic class C extends HttpServlet {\n    private Db db;\n\n",
        );
        src.push_str(&filler_java(200, false));
        src.push_str("    @Override\n    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {\n        db.run(req.getParameter(\"q\"));\n    }\n}\n");
        let kept = plan_for(Language::Java, &src).expect("a plan").join("");
        assert!(kept.contains("private Db db;"));
        assert!(kept.contains("    @Override\n    protected void doGet"));
        assert!(kept.trim_end().ends_with('}'));
        assert!(!kept.contains("calc5("));
    }

    #[test]
    fn unsure_lexing_parses_everything() {
        let mut src = filler_js(80);
        src.push_str("function broken() {\n  return `unterminated ${x\n");
        assert_eq!(plan_for(Language::JavaScript, &src), None);
        let mut py = String::new();
        for i in 0..100 {
            py.push_str(&format!("def f{i}():\n    return {i}\n"));
        }
        py.push_str("x = '''never closed\n");
        assert_eq!(plan_for(Language::Python, &py), None);
    }

    #[test]
    fn java_class_with_javadoc_members_is_split() {
        let mut src = String::from(
            "package a;\n\n/** A class. */\npublic class C {\n    /** The first member. */\n    private static final String QUERY = \"SELECT 1\";\n    private int unused, other;\n\n",
        );
        src.push_str(&filler_java(200, true));
        src.push_str("    void run(javax.servlet.http.HttpServletRequest req) {\n        db.run(QUERY + req.getParameter(\"q\"));\n    }\n}\n");
        let kept = plan_for(Language::Java, &src).expect("a plan").join("");
        assert!(kept.contains("void run("));
        assert!(
            kept.contains("String QUERY = "),
            "a field the kept code reads"
        );
        assert!(
            !kept.contains("private int unused"),
            "an unread field is dropped"
        );
        assert!(!kept.contains("calc5("));
    }

    #[test]
    fn js_statements_are_kept_only_when_they_matter() {
        let src = format!(
            "const express = require('express');\nconst app = express();\n{}\
export const TABLE = 'users';\nexport const unrelated = compute(1, 2);\nmodule.exports.other = 3;\n\
describe('x', () => {{ expect(1).toBe(1); }});\n\
let counter = 0;\ncounter++;\n\
app.get('/u', (req, res) => {{ db.query('SELECT * FROM ' + TABLE + req.query.id + counter); }});\n",
            filler_js(200)
        );
        let kept = plan_for(Language::JavaScript, &src)
            .expect("a plan")
            .join("");
        assert!(kept.contains("require('express')"), "imports stay");
        assert!(kept.contains("app.get('/u'"), "a statement with a source");
        assert!(kept.contains("const app = express()"), "named by kept code");
        assert!(kept.contains("export const TABLE"), "named by kept code");
        assert!(kept.contains("counter++"), "updates a name kept code reads");
        assert!(!kept.contains("export const unrelated"));
        assert!(!kept.contains("module.exports.other"));
        assert!(!kept.contains("describe('x'"));
    }

    #[test]
    fn python_classes_are_split_into_methods() {
        let mut src = String::from("from flask import request\nimport os\n\n\nclass Big:\n    label = 'big'\n    unused_attr = 1\n\n");
        for i in 0..150 {
            src.push_str(&format!(
                "    def util{i}(self, x):\n        return x + {i}\n\n"
            ));
        }
        src.push_str("    def view(self):\n        return self.helper(request.args['q'])\n\n    def helper(self, cmd):\n        os.system(self.label + cmd)\n");
        let kept = plan_for(Language::Python, &src).expect("a plan").join("");
        assert!(
            kept.contains("class Big:\n    label = 'big'\n"),
            "the header keeps its first member"
        );
        assert!(kept.contains("def view(self)"));
        assert!(kept.contains("def helper(self, cmd)"), "callee of a seed");
        assert!(!kept.contains("unused_attr"), "an attribute nothing reads");
        assert!(!kept.contains("def util7("));
    }

    #[test]
    fn callers_are_kept_through_units_already_kept_as_callees() {
        // `middle` is both a callee of the seed `other` (kept going down) and a caller of the
        // seed `source` (so its callers must be kept going up).
        let mut src = String::from("from flask import request\nimport os\n\n");
        src.push_str(&filler_py(150));
        src.push_str("def other():\n    return middle() + request.form['a']\n\n");
        src.push_str("def middle():\n    return source()\n\n");
        src.push_str("def source():\n    return request.args['q']\n\n");
        src.push_str("def top():\n    os.system(middle())\n");
        let kept = plan_for(Language::Python, &src).expect("a plan").join("");
        assert!(kept.contains("def top()"), "caller of a caller of a seed");
        assert!(!kept.contains("def util3("));
    }

    #[test]
    fn synthesized_sources_keep_their_code() {
        let mut js = filler_js(200);
        js.push_str("window.addEventListener('message', (e) => {\n  document.body.innerHTML = e.data;\n});\n");
        let kept = plan_for(Language::JavaScript, &js)
            .expect("a plan")
            .join("");
        assert!(kept.contains("addEventListener('message'"));
        let mut py = String::from("from fastapi import APIRouter\nrouter = APIRouter()\n\n");
        py.push_str(&filler_py(150));
        py.push_str("@router.get('/items/{item_id}')\ndef read_item(item_id: str):\n    db.execute('SELECT ' + item_id)\n");
        let kept = plan_for(Language::Python, &py).expect("a plan").join("");
        assert!(
            kept.contains("def read_item("),
            "a FastAPI route under a router"
        );
        // FastAPI parameter markers only count where FastAPI is imported.
        let mut plain = String::from("from pathlib import Path\n\n");
        for i in 0..150 {
            plain.push_str(&format!("def util{i}(x):\n    return Path(x) / '{i}'\n\n"));
        }
        assert_eq!(
            plan_for(Language::Python, &plain).map(|k| k.join("").contains("util3")),
            Some(false)
        );
    }
}
