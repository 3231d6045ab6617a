//! Where object keys sit in JSON text, for line numbers.
//!
//! serde_json does not keep positions, so the JSON lockfile parsers deserialise first and then
//! look entries up in a [`KeyIndex`]: one linear scan of the (already validated) text that
//! records the offset of every object key down to a given depth, by its path.

use std::collections::HashMap;

/// One open container during the scan.
#[derive(Debug)]
struct Frame {
    is_object: bool,
    /// Object: the key being read or last read. Array: unused.
    key: String,
    /// Array: index of the current element.
    index: usize,
}

impl Frame {
    /// The path segment this container contributes (`key` or `[index]`).
    fn segment(&self) -> String {
        if self.is_object {
            self.key.clone()
        } else {
            format!("[{}]", self.index)
        }
    }
}

/// Offsets of object keys by path; array elements are written `[i]` in paths.
#[derive(Debug, Default)]
pub struct KeyIndex {
    offsets: HashMap<Vec<String>, usize>,
}

impl KeyIndex {
    /// Scan `text` and index every key at most `max_depth` levels deep (a top-level key has
    /// depth 1). The first occurrence of a path wins. Malformed text gives a partial index.
    pub fn new(text: &str, max_depth: usize) -> KeyIndex {
        let bytes = text.as_bytes();
        let mut offsets = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    let start = i;
                    i += 1;
                    while let Some(&c) = bytes.get(i) {
                        match c {
                            b'\\' => i += 2,
                            b'"' => break,
                            _ => i += 1,
                        }
                    }
                    let end = i.min(bytes.len());
                    let after = skip_ws(bytes, end + 1);
                    let in_object = stack.last().is_some_and(|f| f.is_object);
                    if in_object && bytes.get(after) == Some(&b':') {
                        let key = decode(text.get(start..=end).unwrap_or(""));
                        if stack.len() <= max_depth {
                            let mut path: Vec<String> = stack
                                .iter()
                                .take(stack.len().saturating_sub(1))
                                .map(Frame::segment)
                                .collect();
                            path.push(key.clone());
                            offsets.entry(path).or_insert(start);
                        }
                        if let Some(top) = stack.last_mut() {
                            top.key = key;
                        }
                    }
                }
                b'{' | b'[' => stack.push(Frame {
                    is_object: b == b'{',
                    key: String::new(),
                    index: 0,
                }),
                b'}' | b']' => {
                    stack.pop();
                }
                b',' => {
                    if let Some(top) = stack.last_mut().filter(|f| !f.is_object) {
                        top.index += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        KeyIndex { offsets }
    }

    /// The offset of the key at this path (`&["dependencies", "net8.0", "Serilog"]`).
    pub fn get(&self, path: &[&str]) -> Option<usize> {
        let path: Vec<String> = path.iter().map(|s| (*s).to_string()).collect();
        self.offsets.get(&path).copied()
    }
}

/// The offset just past JSON whitespace from `at`.
fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// The value of a JSON string literal (quotes included); the raw inside on a decoding error.
fn decode(literal: &str) -> String {
    let inner = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal);
    if !inner.contains('\\') {
        return inner.to_string();
    }
    serde_json::from_str(literal).unwrap_or_else(|_| inner.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_offsets() {
        let t = r#"{"a": {"x\/y": "1", "b": [ {"name": "p"}, {"name": "q"} ]}, "s": "k:"}"#;
        let ix = KeyIndex::new(t, 3);
        assert_eq!(ix.get(&["a"]), t.find(r#""a""#));
        assert_eq!(ix.get(&["a", "x/y"]), t.find(r#""x\/y""#));
        assert_eq!(ix.get(&["a", "b", "[1]", "name"]), None, "deeper than 3");
        let ix = KeyIndex::new(t, 4);
        assert_eq!(ix.get(&["a", "b", "[1]", "name"]), t.rfind(r#""name""#));
        assert_eq!(ix.get(&["k"]), None);
        // Truncated or garbage text does not panic.
        for cut in 0..t.len() {
            let _ = KeyIndex::new(t.get(..cut).unwrap_or(""), 4);
        }
        let _ = KeyIndex::new("\"\\", 3);
    }
}
