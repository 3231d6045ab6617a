//! Small helpers shared by the parsers.

use crate::error::DepsError;

/// Byte offsets of line starts, for turning an offset into a 1-based line.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        Lines { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// 1-based line of the first occurrence of `needle` at or after byte `from`, with its offset.
pub fn find_line(text: &str, lines: &Lines, needle: &str, from: usize) -> Option<(usize, usize)> {
    let hay = text.get(from..)?;
    let at = memchr::memmem::find(hay.as_bytes(), needle.as_bytes())? + from;
    Some((lines.line_of(at), at))
}

/// The file as UTF-8 (a leading BOM dropped), or a parse error naming the file.
pub fn utf8<'a>(rel_path: &str, bytes: &'a [u8]) -> Result<&'a str, DepsError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        DepsError::Parse {
            path: rel_path.to_string(),
            line: Some(line),
            message: "not valid UTF-8".into(),
        }
    })
}

/// A parse error at a line.
pub fn parse_error(rel_path: &str, line: Option<usize>, message: impl Into<String>) -> DepsError {
    DepsError::Parse {
        path: rel_path.to_string(),
        line,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_find() {
        let t = "a\nbb\nccc\n";
        let l = Lines::new(t.as_bytes());
        assert_eq!(l.line_of(0), 1);
        assert_eq!(l.line_of(2), 2);
        assert_eq!(l.line_of(5), 3);
        assert_eq!(find_line(t, &l, "cc", 0), Some((3, 5)));
        assert_eq!(find_line(t, &l, "zz", 0), None);
        assert!(utf8("x", b"\xff").is_err());
        assert_eq!(utf8("x", b"\xEF\xBB\xBFok").ok(), Some("ok"));
    }
}
