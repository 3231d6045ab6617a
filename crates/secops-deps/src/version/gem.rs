//! RubyGems `Gem::Version` ordering.
//!
//! Accepted: `N(.[0-9A-Za-z]+)*` optionally followed by `-[0-9A-Za-z-]+(.[0-9A-Za-z-]+)*`.
//! Every `-` stands for `.pre.`. Segments are the runs of digits and of letters; a version with
//! any letter is a prerelease. The canonical segments drop the trailing zeros of the numeric
//! part (up to the first letter segment) and of the rest, so `1.0 == 1` and `1.0.a == 1.a`.
//! Segments compare pairwise, missing ones as 0; numbers numerically, strings byte-wise, and a
//! string is below any number, so `1.a < 1` and `1.0.a1 < 1.0.0`.

use super::common::{Cursor, Num, Span};
use std::cmp::Ordering;

/// One canonical segment.
#[derive(Debug, Clone)]
enum Seg {
    Num(Num),
    /// A run of letters of the version text.
    Str(Span),
    /// The `pre` that a `-` stands for.
    Pre,
}

/// A parsed RubyGems version: its canonical segments.
#[derive(Debug, Clone)]
pub(crate) struct Gem {
    segs: Box<[Seg]>,
}

/// Parse `text` (already trimmed); `None` when it is not a RubyGems version.
pub(crate) fn parse(text: &str) -> Option<Gem> {
    if !is_valid(text) {
        return None;
    }
    let mut segs = Vec::with_capacity(4);
    let mut c = Cursor::new(text);
    while let Some(b) = c.peek() {
        if b.is_ascii_digit() {
            let d = c.digits()?;
            segs.push(Seg::Num(Num::from_digits(c.text(d))));
        } else if b.is_ascii_alphabetic() {
            let s = c.run(|b| b.is_ascii_alphabetic())?;
            segs.push(Seg::Str(s));
        } else {
            if b == b'-' {
                segs.push(Seg::Pre);
            }
            c.eat(b);
        }
    }
    let string_start = segs
        .iter()
        .position(|s| !matches!(s, Seg::Num(_)))
        .unwrap_or(segs.len());
    let mut strings = segs.split_off(string_start);
    trim_zeros(&mut segs);
    trim_zeros(&mut strings);
    segs.append(&mut strings);
    Some(Gem {
        segs: segs.into_boxed_slice(),
    })
}

/// Whether `text` matches Gem::Version's pattern (empty text excluded).
fn is_valid(text: &str) -> bool {
    let mut c = Cursor::new(text);
    if c.digits().is_none() {
        return false;
    }
    while c.peek() == Some(b'.') {
        c.eat(b'.');
        if c.run(|b| b.is_ascii_alphanumeric()).is_none() {
            return false;
        }
    }
    if c.eat(b'-') {
        let part = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
        if c.run(part).is_none() {
            return false;
        }
        while c.eat(b'.') {
            if c.run(part).is_none() {
                return false;
            }
        }
    }
    c.at_end()
}

/// Drop trailing zero segments.
fn trim_zeros(segs: &mut Vec<Seg>) {
    while matches!(segs.last(), Some(Seg::Num(n)) if n.is_zero()) {
        segs.pop();
    }
}

/// The text of a string segment.
fn seg_text<'a>(seg: &Seg, text: &'a str) -> &'a str {
    match seg {
        Seg::Str(span) => span.of(text),
        Seg::Pre => "pre",
        Seg::Num(_) => "",
    }
}

/// Compare two versions parsed from `at` and `bt` respectively.
pub(crate) fn cmp(a: &Gem, at: &str, b: &Gem, bt: &str) -> Ordering {
    let zero = Seg::Num(Num::ZERO);
    let len = a.segs.len().max(b.segs.len());
    for i in 0..len {
        let x = a.segs.get(i).unwrap_or(&zero);
        let y = b.segs.get(i).unwrap_or(&zero);
        let ord = match (x, y) {
            (Seg::Num(p), Seg::Num(q)) => p.cmp(q),
            (Seg::Num(_), _) => Ordering::Greater,
            (_, Seg::Num(_)) => Ordering::Less,
            _ => seg_text(x, at).cmp(seg_text(y, bt)),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}
