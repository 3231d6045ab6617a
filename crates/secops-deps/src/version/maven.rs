//! Maven `ComparableVersion` ordering.
//!
//! Parsing follows ComparableVersion as of Maven 3.8/3.9 (checked against
//! `maven-artifact` 3.8.7): the text is split into items on `.`, on `-` and on digit/non-digit
//! transitions; a `-` and every transition open a nested sub-list that holds the rest of the
//! version, and a qualifier that ends the version or is followed by a digit starts a sub-list
//! of its own (`1.0.alpha == 1-alpha`, `1.0.SP1 == 1.0-SP1`). Numbers compare numerically;
//! qualifiers (case-insensitive) rank `alpha` (`a`) < `beta` (`b`) < `milestone` (`m`) <
//! `rc` = `cr` < `snapshot` < `""` = `ga` = `final` = `release` < `sp` < unknown qualifiers
//! (lexically); the one-letter forms only count when a digit follows. Trailing "null" items
//! (`0`, release qualifiers, empty sub-lists) are trimmed from every list, so
//! `1.0 == 1.0.0 == 1-ga`. At one position a number is above a sub-list, which is above a
//! qualifier (`1-1 < 1.1`, `1-sp < 1-1`), and a missing item compares like null
//! (`1-rc < 1 < 1-sp`, `1 < 1-1`).
//!
//! Because the nested lists always end their parent, they are stored flattened: a
//! [`Tok::Sub`] marker means "the rest of the tokens form a nested list".
//!
//! ComparableVersion is not a total order on odd inputs: a qualifier in the middle of a list
//! sorts below any sub-list, so it has `1.sp.1 < 1-alpha` while `1-alpha < 1 < 1.sp.1`. To
//! stay transitive this module ranks the items at one position in a single chain that agrees
//! with ComparableVersion whenever ComparableVersion is itself consistent: pre-release
//! qualifiers < sub-lists below null < null (missing, `0` or release qualifier) < `sp`/unknown
//! qualifiers < sub-lists above null < numbers. A `0` that is not trimmed counts as a number
//! when the rest of its list is above null (`1.0.1 > 1-sp`) and as null otherwise.

use super::common::{cmp_ignore_ascii_case, Num, Span};
use std::cmp::Ordering;

/// Rank of the release qualifier (`""`, `ga`, `final`, `release`).
const RELEASE: u8 = 5;
/// Rank of unknown qualifiers (ordered lexically among themselves).
const UNKNOWN: u8 = 7;

/// One flattened item.
#[derive(Debug, Clone)]
enum Tok {
    /// A number (including a `0` whose list continues above null).
    Int(Num),
    /// A qualifier other than the release one: rank (0..=4 below release, 6 = `sp`,
    /// 7 = unknown) and, for unknown ones, its text.
    Qual(u8, Span),
    /// An item equal to null that is not trimmed (a `0` or release qualifier mid-list).
    Null,
    /// The rest of the tokens form a nested list; `Ordering` is that list compared with an
    /// empty one (never `Equal` after normalisation).
    Sub(Ordering),
    /// Removed during normalisation (never present in a parsed version).
    Dead,
}

/// A parsed Maven version.
#[derive(Debug, Clone)]
pub(crate) struct Maven {
    toks: Box<[Tok]>,
}

/// Parse `text` (already trimmed). Every non-empty text without whitespace or control
/// characters is a Maven version.
pub(crate) fn parse(text: &str) -> Option<Maven> {
    if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let mut toks = tokenize(text);
    normalize(&mut toks);
    classify(&mut toks);
    Some(Maven {
        toks: toks.into_boxed_slice(),
    })
}

/// Split `text` into items the way ComparableVersion (Maven 3.8/3.9) does, with [`Tok::Sub`]
/// markers where it opens a nested list: at `-`, at each digit/letter transition, and before a
/// qualifier that is followed by a digit or ends the version when its list already has items
/// (so `1.0.alpha == 1-alpha`). Zeros and release qualifiers are kept as `Int(0)` / `Null`
/// here; normalisation trims them.
fn tokenize(text: &str) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut toks = Vec::with_capacity(8);
    // Number of items in the list being filled.
    let mut list_len = 0usize;
    fn open_list(toks: &mut Vec<Tok>, list_len: &mut usize) {
        toks.push(Tok::Sub(Ordering::Equal));
        *list_len = 0;
    }
    let mut is_digit = false;
    let mut start = 0usize;
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'.' | b'-' => {
                if i == start {
                    toks.push(Tok::Int(Num::ZERO));
                } else {
                    toks.push(item(text, start, i, is_digit, false));
                }
                list_len += 1;
                start = i + 1;
                if c == b'-' {
                    open_list(&mut toks, &mut list_len);
                }
            }
            _ if c.is_ascii_digit() => {
                if !is_digit && i > start {
                    if list_len > 0 {
                        open_list(&mut toks, &mut list_len);
                    }
                    toks.push(item(text, start, i, false, true));
                    open_list(&mut toks, &mut list_len);
                    start = i;
                }
                is_digit = true;
            }
            _ => {
                if is_digit && i > start {
                    toks.push(item(text, start, i, true, false));
                    open_list(&mut toks, &mut list_len);
                    start = i;
                }
                is_digit = false;
            }
        }
    }
    if bytes.len() > start {
        if !is_digit && list_len > 0 {
            open_list(&mut toks, &mut list_len);
        }
        toks.push(item(text, start, bytes.len(), is_digit, false));
    }
    toks
}

/// One item of `text[start..end]`: a number, or a qualifier (one-letter aliases apply when a
/// digit follows).
fn item(text: &str, start: usize, end: usize, is_digit: bool, followed_by_digit: bool) -> Tok {
    let span = Span::new(start, end);
    let s = span.of(text);
    if is_digit {
        return Tok::Int(Num::from_digits(s));
    }
    let lower = |w: &str| s.eq_ignore_ascii_case(w);
    let rank = if followed_by_digit && s.len() == 1 && (lower("a") || lower("b") || lower("m")) {
        if lower("a") {
            0
        } else if lower("b") {
            1
        } else {
            2
        }
    } else if lower("alpha") {
        0
    } else if lower("beta") {
        1
    } else if lower("milestone") {
        2
    } else if lower("rc") || lower("cr") {
        3
    } else if lower("snapshot") {
        4
    } else if s.is_empty() || lower("ga") || lower("final") || lower("release") {
        RELEASE
    } else if lower("sp") {
        6
    } else {
        UNKNOWN
    };
    match rank {
        RELEASE => Tok::Null,
        UNKNOWN => Tok::Qual(UNKNOWN, span),
        r => Tok::Qual(r, Span::default()),
    }
}

/// Whether a raw token is a "null" item that normalisation trims.
fn is_null(t: &Tok) -> bool {
    match t {
        Tok::Int(n) => n.is_zero(),
        Tok::Null | Tok::Dead => true,
        Tok::Qual(..) | Tok::Sub(_) => false,
    }
}

/// ComparableVersion's normalisation, innermost list first: remove the trailing null items of
/// each list (walking back past its nested list, if that is not empty), and drop nested lists
/// that end up empty.
fn normalize(toks: &mut Vec<Tok>) {
    let mut level_end = toks.len();
    let mut child_present = false;
    loop {
        let opener = toks
            .get(..level_end)
            .and_then(|head| head.iter().rposition(|t| matches!(t, Tok::Sub(_))));
        let level_start = opener.map_or(0, |o| o + 1);
        let mut kept = false;
        for t in toks
            .get_mut(level_start..level_end)
            .unwrap_or(&mut [])
            .iter_mut()
            .rev()
        {
            if is_null(t) {
                *t = Tok::Dead;
            } else {
                kept = true;
                break;
            }
        }
        // Trimming stops at the first non-null item, so the list is empty iff none was kept
        // and it has no (non-empty) nested list.
        let empty = !kept && !child_present;
        match opener {
            Some(o) => {
                if empty {
                    if let Some(t) = toks.get_mut(o) {
                        *t = Tok::Dead;
                    }
                }
                child_present = !empty;
                level_end = o;
            }
            None => break,
        }
    }
    toks.retain(|t| !matches!(t, Tok::Dead));
}

/// One backward pass: record for each nested list how it compares with an empty list, and turn
/// every remaining `0` into a number (rest of its list above null) or a null item.
fn classify(toks: &mut [Tok]) {
    // How the tokens after the current one (within its list) compare with an empty list.
    let mut rest = Ordering::Equal;
    for t in toks.iter_mut().rev() {
        match t {
            Tok::Int(n) if n.is_zero() => {
                if rest == Ordering::Greater {
                    // stays a number; the list from here on is above null
                } else {
                    *t = Tok::Null;
                }
            }
            Tok::Int(_) => rest = Ordering::Greater,
            Tok::Qual(rank, _) => rest = (*rank).cmp(&RELEASE),
            Tok::Null | Tok::Dead => {}
            Tok::Sub(sign) => *sign = rest,
        }
    }
}

/// The rank of an item's class at one position (`None` = missing item).
fn class(t: Option<&Tok>) -> u8 {
    match t {
        Some(Tok::Qual(rank, _)) if *rank < RELEASE => 0,
        Some(Tok::Sub(Ordering::Less)) => 1,
        None | Some(Tok::Null | Tok::Dead | Tok::Sub(Ordering::Equal)) => 2,
        Some(Tok::Qual(..)) => 3,
        Some(Tok::Sub(Ordering::Greater)) => 4,
        Some(Tok::Int(_)) => 5,
    }
}

/// Compare two items of the same class that are not both nested lists.
fn cmp_same_class(x: Option<&Tok>, at: &str, y: Option<&Tok>, bt: &str) -> Ordering {
    match (x, y) {
        (Some(Tok::Int(a)), Some(Tok::Int(b))) => a.cmp(b),
        (Some(Tok::Qual(ra, sa)), Some(Tok::Qual(rb, sb))) => ra
            .cmp(rb)
            .then_with(|| cmp_ignore_ascii_case(sa.of(at), sb.of(bt))),
        _ => Ordering::Equal,
    }
}

/// Compare two versions parsed from `at` and `bt` respectively.
pub(crate) fn cmp(a: &Maven, at: &str, b: &Maven, bt: &str) -> Ordering {
    let (mut xs, mut ys): (&[Tok], &[Tok]) = (&a.toks, &b.toks);
    loop {
        let (x, y) = (xs.first(), ys.first());
        if x.is_none() && y.is_none() {
            return Ordering::Equal;
        }
        // Two nested lists at one position: compare their contents, which are the rest.
        let both_sub = matches!(x, Some(Tok::Sub(_))) && matches!(y, Some(Tok::Sub(_)));
        if !both_sub {
            let ord = class(x)
                .cmp(&class(y))
                .then_with(|| cmp_same_class(x, at, y, bt));
            if ord != Ordering::Equal {
                return ord;
            }
        }
        xs = xs.get(1..).unwrap_or(&[]);
        ys = ys.get(1..).unwrap_or(&[]);
    }
}
