//! Lenient SemVer ordering, used for npm, crates.io and Go.
//!
//! Accepted: an optional leading `=` and/or `v`, one to any number of dot-separated numeric
//! components of any size (missing minor/patch are 0), then an optional prerelease (after `-`,
//! or directly after the numbers when it starts with a letter, as in `1.0.0rc1`) and optional
//! build metadata after `+`. Only the first three numeric components are the version core;
//! further ones become leading prerelease identifiers (`1.2.3.4` orders like `1.2.3-4`).
//! Build metadata is ignored, so Go's `+incompatible` does not affect the order, and Go
//! pseudo-versions (`v0.0.0-20190101000000-abcdef123456`) are ordinary prereleases.

use super::common::{cmp_prerelease, identifiers, is_identifier_list, Cursor, Num, Span};
use std::cmp::Ordering;

/// A parsed SemVer-like version; `extra` and `pre` are spans of the version text.
#[derive(Debug, Clone)]
pub(crate) struct SemverLike {
    core: [Num; 3],
    /// Numeric components after the third (dot-separated), part of the prerelease.
    extra: Span,
    /// The prerelease proper (dot-separated identifiers).
    pre: Span,
}

/// Parse `text` (already trimmed); `None` when it is not a SemVer-like version.
pub(crate) fn parse(text: &str) -> Option<SemverLike> {
    let mut c = Cursor::new(text);
    c.eat(b'=');
    c.eat_if(|b| b == b'v' || b == b'V');
    let mut core = [Num::ZERO, Num::ZERO, Num::ZERO];
    let mut count = 0usize;
    let mut extra_start = None;
    let mut extra = Span::default();
    loop {
        let start = c.pos();
        let digits = c.digits()?;
        match core.get_mut(count) {
            Some(slot) => *slot = Num::from_digits(c.text(digits)),
            None => extra = Span::new(*extra_start.get_or_insert(start), c.pos()),
        }
        count += 1;
        if c.peek() == Some(b'.') && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            c.eat(b'.');
        } else {
            break;
        }
    }
    let pre = match c.peek() {
        Some(b'-') => {
            c.eat(b'-');
            c.run(|b| b != b'+')?
        }
        Some(b) if b.is_ascii_alphabetic() => c.run(|b| b != b'+')?,
        _ => Span::default(),
    };
    if !pre.is_empty() && !is_identifier_list(c.text(pre)) {
        return None;
    }
    if c.eat(b'+') {
        let build = c.run(|_| true)?;
        if !is_identifier_list(c.text(build)) {
            return None;
        }
    }
    c.at_end().then_some(SemverLike { core, extra, pre })
}

/// Compare two versions parsed from `at` and `bt` respectively.
pub(crate) fn cmp(a: &SemverLike, at: &str, b: &SemverLike, bt: &str) -> Ordering {
    a.core.cmp(&b.core).then_with(|| {
        let ids_a = identifiers(a.extra.of(at)).chain(identifiers(a.pre.of(at)));
        let ids_b = identifiers(b.extra.of(bt)).chain(identifiers(b.pre.of(bt)));
        cmp_prerelease(ids_a, ids_b, false)
    })
}
