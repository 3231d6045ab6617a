//! A small XML element tree over quick-xml, shared by the Maven and NuGet parsers.
//!
//! Elements keep their local name (namespace prefixes dropped), attributes, trimmed text and the
//! 1-based line of their start tag. Nesting is capped at [`MAX_DEPTH`] so a hostile file can
//! neither overflow the stack while the tree is used or dropped, nor blow up memory unnoticed.

use super::util::{parse_error, Lines};
use crate::error::DepsError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Deepest element nesting accepted; real POMs and project files stay far below it.
pub const MAX_DEPTH: usize = 256;

/// One XML element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Local name (`project`, `PackageReference`), without a namespace prefix.
    pub name: String,
    /// Attributes by local name, values unescaped, in document order.
    pub attrs: Vec<(String, String)>,
    /// The element's own text (text, CDATA and entity references), trimmed.
    pub text: String,
    pub children: Vec<Element>,
    /// 1-based line of the start tag.
    pub line: usize,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child with this name, if present and non-empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// An attribute value by exact local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An attribute value by local name, ignoring ASCII case (MSBuild is case-insensitive).
    pub fn attr_ci(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed text of the first child whose name matches ignoring ASCII case.
    pub fn child_text_ci(&self, name: &str) -> Option<&str> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }
}

/// Parse a whole document and return its root element. Malformed XML, a document without a
/// root element, unclosed elements and nesting deeper than [`MAX_DEPTH`] are parse errors
/// naming `rel_path` and the line.
pub fn parse_document(rel_path: &str, text: &str) -> Result<Element, DepsError> {
    let lines = Lines::new(text.as_bytes());
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let before = pos(reader.buffer_position());
        let event = reader.read_event().map_err(|e| {
            let at = pos(reader.error_position());
            parse_error(
                rel_path,
                Some(lines.line_of(at)),
                format!("invalid XML: {e}"),
            )
        })?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(parse_error(
                        rel_path,
                        Some(lines.line_of(before)),
                        format!("XML nested deeper than {MAX_DEPTH} elements"),
                    ));
                }
                let el = open(rel_path, &lines, &start, before)?;
                stack.push(el);
            }
            Event::Empty(start) => {
                let el = open(rel_path, &lines, &start, before)?;
                attach(rel_path, &lines, &mut stack, &mut root, el, before)?;
            }
            Event::End(_) => {
                if let Some(mut el) = stack.pop() {
                    el.text = el.text.trim().to_string();
                    attach(rel_path, &lines, &mut stack, &mut root, el, before)?;
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = r.xml10_content();
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_string(),
                            None => format!("&{name};"),
                        }
                    }
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(parse_error(
            rel_path,
            Some(open.line),
            format!("unexpected end of file: <{}> is not closed", open.name),
        ));
    }
    root.ok_or_else(|| parse_error(rel_path, None, "no XML root element"))
}

/// A byte offset from quick-xml as `usize` (saturating on exotic targets).
fn pos(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

/// Build an element (name, attributes, line) from a start tag.
fn open(
    rel_path: &str,
    lines: &Lines,
    start: &BytesStart<'_>,
    at: usize,
) -> Result<Element, DepsError> {
    let line = lines.line_of(at);
    let name = start.local_name().into_inner().to_string();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| {
            parse_error(rel_path, Some(line), format!("invalid XML attribute: {e}"))
        })?;
        let key = attr.key.local_name().into_inner().to_string();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| {
                parse_error(rel_path, Some(line), format!("invalid XML attribute: {e}"))
            })?;
        attrs.push((key, value.trim().to_string()));
    }
    Ok(Element {
        name,
        attrs,
        line,
        ..Element::default()
    })
}

/// Attach a finished element to its parent, or make it the root.
fn attach(
    rel_path: &str,
    lines: &Lines,
    stack: &mut [Element],
    root: &mut Option<Element>,
    el: Element,
    at: usize,
) -> Result<(), DepsError> {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(el);
        return Ok(());
    }
    if root.is_some() {
        return Err(parse_error(
            rel_path,
            Some(lines.line_of(at)),
            "more than one XML root element",
        ));
    }
    *root = Some(el);
    Ok(())
}

/// Append text to the innermost open element (text outside the root is ignored).
fn push_text(stack: &mut [Element], s: &str) {
    if let Some(el) = stack.last_mut() {
        el.text.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_text_attrs_and_lines() {
        let doc = "<?xml version=\"1.0\"?>\n<p:root xmlns:p=\"u\" a=\"x &amp; y\">\n  <b>  t&lt;1&#65; </b>\n  <c k='v'/>\n</p:root>\n";
        let root = parse_document("f.xml", doc).unwrap();
        assert_eq!(root.name, "root");
        assert_eq!(root.line, 2);
        assert_eq!(root.attr("a"), Some("x & y"));
        assert_eq!(root.child_text("b"), Some("t<1A"));
        let c = root.child("c").unwrap();
        assert_eq!((c.line, c.attr_ci("K")), (4, Some("v")));
    }

    #[test]
    fn errors_have_lines() {
        let err = parse_document("f.xml", "<a>\n<b>\n</a>\n").unwrap_err();
        assert!(
            matches!(err, DepsError::Parse { line: Some(_), .. }),
            "{err}"
        );
        let err = parse_document("f.xml", "<a>\n<b>\n").unwrap_err();
        assert!(
            matches!(err, DepsError::Parse { line: Some(2), .. }),
            "{err}"
        );
        assert!(parse_document("f.xml", "").is_err());
        assert!(parse_document("f.xml", &"<a>".repeat(MAX_DEPTH + 1)).is_err());
    }
}
