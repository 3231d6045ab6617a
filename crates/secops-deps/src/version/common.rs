//! Building blocks shared by the version schemes: numbers of any size, spans of the version
//! text, a byte cursor for the hand-written parsers and the SemVer prerelease comparison.

use std::cmp::Ordering;

/// Numbers with at most this many significant digits fit in a `u64` (10^19 - 1 < 2^64).
const SMALL_DIGITS: usize = 19;

/// A non-negative integer of any size, parsed from a run of ASCII digits.
///
/// Numbers of up to 19 significant digits are kept inline; longer ones keep their digits
/// (without leading zeros). The representation is canonical, so structural equality is
/// numeric equality, and every `Big` is larger than every `Small`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Num {
    Small(u64),
    Big(Box<str>),
}

impl Num {
    pub(crate) const ZERO: Num = Num::Small(0);

    /// Parse a run of ASCII digits (leading zeros allowed). Other bytes are never passed by
    /// the parsers; if they were, the text is kept as a big number instead of panicking.
    pub(crate) fn from_digits(digits: &str) -> Num {
        let sig = digits.trim_start_matches('0');
        if sig.len() <= SMALL_DIGITS {
            let value = sig.bytes().try_fold(0u64, |acc, b| {
                if !b.is_ascii_digit() {
                    return None;
                }
                acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
            });
            if let Some(v) = value {
                return Num::Small(v);
            }
        }
        Num::Big(sig.into())
    }

    /// Whether this number is zero.
    pub(crate) fn is_zero(&self) -> bool {
        matches!(self, Num::Small(0))
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Num::Small(a), Num::Small(b)) => a.cmp(b),
            (Num::Small(_), Num::Big(_)) => Ordering::Less,
            (Num::Big(_), Num::Small(_)) => Ordering::Greater,
            (Num::Big(a), Num::Big(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compare two runs of ASCII digits numerically without converting them: leading zeros are
/// stripped, then the longer run is larger, then the runs are compared lexically.
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Whether `s` is a non-empty run of ASCII digits.
pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Compare two strings byte-wise after ASCII lower-casing.
pub(crate) fn cmp_ignore_ascii_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

/// A byte range of the (trimmed) version text. Versions are limited to
/// [`super::MAX_LEN`] bytes, so `u32` offsets always suffice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// The range `start..end`; offsets beyond `u32::MAX` saturate (never happens for
    /// texts accepted by [`super::Version::parse`]).
    pub(crate) fn new(start: usize, end: usize) -> Span {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// Whether the range is empty.
    pub(crate) fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text of this range in `s` (empty if out of range).
    pub(crate) fn of(self, s: &str) -> &str {
        s.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

/// A forward-only cursor over the bytes of a version text, for the hand-written parsers.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Cursor { text, pos: 0 }
    }

    /// Current byte offset.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Move back to an offset saved with [`Cursor::pos`].
    pub(crate) fn reset(&mut self, pos: usize) {
        self.pos = pos.min(self.text.len());
    }

    /// The byte `k` positions ahead, if any.
    pub(crate) fn peek_at(&self, k: usize) -> Option<u8> {
        self.text.as_bytes().get(self.pos.checked_add(k)?).copied()
    }

    /// The current byte, if any.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.peek_at(0)
    }

    /// Whether the whole text has been consumed.
    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// Consume `b` if it is the current byte.
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        self.eat_if(|c| c == b).is_some()
    }

    /// Consume the current byte if `pred` accepts it.
    pub(crate) fn eat_if(&mut self, pred: impl Fn(u8) -> bool) -> Option<u8> {
        let c = self.peek().filter(|&c| pred(c))?;
        self.pos += 1;
        Some(c)
    }

    /// Consume `word` (ASCII, matched case-insensitively) if the text continues with it.
    pub(crate) fn eat_word(&mut self, word: &str) -> bool {
        let rest = self.text.as_bytes().get(self.pos..).unwrap_or(&[]);
        let matches = rest
            .get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()));
        if matches {
            self.pos += word.len();
        }
        matches
    }

    /// Consume the first of `words` that matches; returns its index in `words`.
    pub(crate) fn eat_any_word(&mut self, words: &[&str]) -> Option<usize> {
        words.iter().position(|w| self.eat_word(w))
    }

    /// Consume a non-empty run of ASCII digits.
    pub(crate) fn digits(&mut self) -> Option<Span> {
        self.run(|b| b.is_ascii_digit())
    }

    /// Consume a non-empty run of bytes accepted by `pred`.
    pub(crate) fn run(&mut self, pred: impl Fn(u8) -> bool) -> Option<Span> {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        (self.pos > start).then(|| Span::new(start, self.pos))
    }

    /// The text of `span`.
    pub(crate) fn text(&self, span: Span) -> &'a str {
        span.of(self.text)
    }
}

/// SemVer 2.0 precedence of two prerelease identifier lists (each empty when the version has
/// no prerelease): a release sorts after any prerelease; identifiers are compared pairwise,
/// numeric ones numerically and below alphanumeric ones, alphanumeric ones lexically
/// (ASCII case-insensitively when `ignore_case`); when one list is a prefix of the other, the
/// longer one is larger.
pub(crate) fn cmp_prerelease<'a>(
    mut a: impl Iterator<Item = &'a str>,
    mut b: impl Iterator<Item = &'a str>,
    ignore_case: bool,
) -> Ordering {
    let (mut x, mut y) = (a.next(), b.next());
    match (x, y) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Greater,
        (Some(_), None) => return Ordering::Less,
        _ => {}
    }
    loop {
        let (p, q) = match (x, y) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => (p, q),
        };
        let ord = match (is_digits(p), is_digits(q)) {
            (true, true) => cmp_digits(p, q),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) if ignore_case => cmp_ignore_ascii_case(p, q),
            (false, false) => p.cmp(q),
        };
        if ord != Ordering::Equal {
            return ord;
        }
        x = a.next();
        y = b.next();
    }
}

/// Whether `s` is a dot-separated list of non-empty SemVer identifiers (`[0-9A-Za-z-]+`).
pub(crate) fn is_identifier_list(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// The non-empty dot-separated identifiers of `s`.
pub(crate) fn identifiers(s: &str) -> impl Iterator<Item = &str> {
    s.split('.').filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_any_size_compare_numerically() {
        let n = Num::from_digits;
        assert_eq!(n("007"), Num::Small(7));
        assert_eq!(n(""), Num::ZERO);
        assert!(n("9999999999999999999") < n("10000000000000000000"));
        assert!(n("18446744073709551616") > n("18446744073709551615"));
        assert_eq!(n("000123456789012345678901"), n("123456789012345678901"));
        assert_eq!(cmp_digits("0010", "9"), Ordering::Greater);
        assert_eq!(cmp_digits("0", "000"), Ordering::Equal);
    }

    #[test]
    fn cursor_words_are_case_insensitive() {
        let mut c = Cursor::new("RC1");
        assert_eq!(c.eat_any_word(&["rev", "rc"]), Some(1));
        let d = c.digits().map(|s| c.text(s));
        assert_eq!(d, Some("1"));
        assert!(c.at_end());
    }
}
