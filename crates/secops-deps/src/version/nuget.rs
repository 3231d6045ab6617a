//! NuGet version ordering.
//!
//! Accepted: an optional leading `v`, one to four dot-separated numeric components of any size
//! (missing ones are 0, so `1.0 == 1.0.0.0`), an optional SemVer prerelease after `-` and
//! optional build metadata after `+` (ignored). Prerelease labels follow SemVer 2.0 precedence
//! but alphanumeric labels compare case-insensitively (`1.0.0-RC1 == 1.0.0-rc1`).

use super::common::{cmp_prerelease, identifiers, is_identifier_list, Cursor, Num, Span};
use std::cmp::Ordering;

/// A parsed NuGet version; `pre` is a span of the version text (empty = release).
#[derive(Debug, Clone)]
pub(crate) struct NuGet {
    nums: [Num; 4],
    pre: Span,
}

/// Parse `text` (already trimmed); `None` when it is not a NuGet version.
pub(crate) fn parse(text: &str) -> Option<NuGet> {
    let mut c = Cursor::new(text);
    c.eat_if(|b| b == b'v' || b == b'V');
    let mut nums = [Num::ZERO, Num::ZERO, Num::ZERO, Num::ZERO];
    for (i, slot) in nums.iter_mut().enumerate() {
        if i > 0 && !c.eat(b'.') {
            break;
        }
        let d = c.digits()?;
        *slot = Num::from_digits(c.text(d));
    }
    let pre = if c.eat(b'-') {
        let span = c.run(|b| b != b'+')?;
        if !is_identifier_list(c.text(span)) {
            return None;
        }
        span
    } else {
        Span::default()
    };
    if c.eat(b'+') {
        let build = c.run(|_| true)?;
        if !is_identifier_list(c.text(build)) {
            return None;
        }
    }
    c.at_end().then_some(NuGet { nums, pre })
}

/// Compare two versions parsed from `at` and `bt` respectively.
pub(crate) fn cmp(a: &NuGet, at: &str, b: &NuGet, bt: &str) -> Ordering {
    a.nums
        .cmp(&b.nums)
        .then_with(|| cmp_prerelease(identifiers(a.pre.of(at)), identifiers(b.pre.of(bt)), true))
}
