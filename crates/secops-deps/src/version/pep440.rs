//! PEP 440 ordering, used for PyPI.
//!
//! Accepted (case-insensitively, with an optional leading `v`), in this order:
//! - an epoch `N!` (default 0);
//! - the release `N(.N)*`, compared padded with zeros (`1.0 == 1.0.0`);
//! - a prerelease: `a`/`alpha`, `b`/`beta`, `rc`/`c`/`pre`/`preview`, optionally preceded and
//!   followed by one of `.`/`-`/`_`, with an implicit number 0;
//! - a post release: `-N`, or `post`/`rev`/`r` with the same optional separators and implicit 0;
//! - a dev release: `dev` with the same optional separators and implicit 0;
//! - a local label `+seg(.seg)*` (segments `[a-z0-9]+` separated by `.`/`-`/`_`).
//!
//! Order: epoch, release, then prerelease (a dev release with neither pre nor post sorts before
//! every prerelease of its release; a final or post release after them), post (none first),
//! dev (none last), and local (none first; segment-wise, numeric segments above alphanumeric
//! ones, a longer label above its prefix).

use super::common::{cmp_digits, cmp_ignore_ascii_case, is_digits, Cursor, Num, Span};
use std::cmp::Ordering;

/// The prerelease part of the sort key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum PreKey {
    /// `X.devN` with no pre or post release: before every prerelease of `X`.
    DevOnly,
    /// `aN` (0), `bN` (1), `rcN` (2).
    Pre(u8, Num),
    /// No prerelease.
    Final,
}

/// The dev part of the sort key: a dev release sorts before the same version without one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum DevKey {
    Dev(Num),
    None,
}

/// A parsed PEP 440 version.
#[derive(Debug, Clone)]
pub(crate) struct Pep440 {
    epoch: Num,
    /// Release numbers with trailing zeros removed.
    release: Box<[Num]>,
    pre: PreKey,
    post: Option<Num>,
    dev: DevKey,
    /// The local label after `+`; empty when absent.
    local: Span,
}

/// Prerelease spellings, longest first where one is a prefix of another, and their kind.
const PRE_WORDS: [(&str, u8); 8] = [
    ("preview", 2),
    ("pre", 2),
    ("alpha", 0),
    ("a", 0),
    ("beta", 1),
    ("b", 1),
    ("rc", 2),
    ("c", 2),
];

/// Post release spellings.
const POST_WORDS: [&str; 3] = ["post", "rev", "r"];

/// Whether `b` is one of PEP 440's optional separators.
fn is_sep(b: u8) -> bool {
    matches!(b, b'.' | b'-' | b'_')
}

/// A `[sep]word[sep][N]` part (used for pre, post and dev); returns the index of the matched
/// word and the number (0 when implicit). As in PEP 440's pattern, the separator after the
/// word is taken even when no number follows (`1.0.dev_` is `1.0.dev0`). Consumes nothing when
/// no word matches.
fn labelled_part(c: &mut Cursor<'_>, words: &[&str]) -> Option<(usize, Num)> {
    let save = c.pos();
    c.eat_if(is_sep);
    let Some(i) = c.eat_any_word(words) else {
        c.reset(save);
        return None;
    };
    c.eat_if(is_sep);
    let n = c
        .digits()
        .map_or(Num::ZERO, |d| Num::from_digits(c.text(d)));
    Some((i, n))
}

/// Parse `text` (already trimmed); `None` when it is not a PEP 440 version.
pub(crate) fn parse(text: &str) -> Option<Pep440> {
    let mut c = Cursor::new(text);
    c.eat_if(|b| b == b'v' || b == b'V');

    let start = c.pos();
    let first = c.digits()?;
    let (epoch, first) = if c.eat(b'!') {
        (Num::from_digits(c.text(first)), c.digits()?)
    } else {
        c.reset(start);
        (Num::ZERO, c.digits()?)
    };
    let mut release = vec![Num::from_digits(c.text(first))];
    while c.peek() == Some(b'.') && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        c.eat(b'.');
        let d = c.digits()?;
        release.push(Num::from_digits(c.text(d)));
    }
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }

    let pre_words = PRE_WORDS.map(|(w, _)| w);
    let pre = labelled_part(&mut c, &pre_words).map(|(i, n)| {
        let kind = PRE_WORDS.get(i).map_or(0, |&(_, k)| k);
        (kind, n)
    });

    let post = if c.peek() == Some(b'-') && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        c.eat(b'-');
        c.digits().map(|d| Num::from_digits(c.text(d)))
    } else {
        labelled_part(&mut c, &POST_WORDS).map(|(_, n)| n)
    };

    let dev = labelled_part(&mut c, &["dev"]).map(|(_, n)| n);

    let local = if c.eat(b'+') {
        let span = c.run(|_| true)?;
        if !is_local_label(c.text(span)) {
            return None;
        }
        span
    } else {
        Span::default()
    };
    if !c.at_end() {
        return None;
    }

    let pre = match (pre, &post, &dev) {
        (Some((kind, n)), _, _) => PreKey::Pre(kind, n),
        (None, None, Some(_)) => PreKey::DevOnly,
        (None, _, _) => PreKey::Final,
    };
    let dev = dev.map_or(DevKey::None, DevKey::Dev);
    Some(Pep440 {
        epoch,
        release: release.into_boxed_slice(),
        pre,
        post,
        dev,
        local,
    })
}

/// Whether `s` is a valid local label: `[a-z0-9]+` segments separated by `.`, `-` or `_`.
fn is_local_label(s: &str) -> bool {
    s.split(is_sep_char)
        .all(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// [`is_sep`] for `char`s.
fn is_sep_char(c: char) -> bool {
    matches!(c, '.' | '-' | '_')
}

/// Compare two local labels (empty = none): none first, then segment-wise.
fn cmp_local(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (false, false) => {}
    }
    let mut xs = a.split(is_sep_char);
    let mut ys = b.split(is_sep_char);
    loop {
        let (x, y) = match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => (x, y),
        };
        let ord = match (is_digits(x), is_digits(y)) {
            (true, true) => cmp_digits(x, y),
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => cmp_ignore_ascii_case(x, y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
}

/// Compare two versions parsed from `at` and `bt` respectively.
pub(crate) fn cmp(a: &Pep440, at: &str, b: &Pep440, bt: &str) -> Ordering {
    a.epoch
        .cmp(&b.epoch)
        .then_with(|| a.release.cmp(&b.release))
        .then_with(|| a.pre.cmp(&b.pre))
        .then_with(|| a.post.cmp(&b.post))
        .then_with(|| a.dev.cmp(&b.dev))
        .then_with(|| cmp_local(a.local.of(at), b.local.of(bt)))
}
