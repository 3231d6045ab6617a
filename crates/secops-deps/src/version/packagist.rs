//! Packagist (Composer) ordering: Composer's version normalisation, then PHP's
//! `version_compare` on the result.
//!
//! Accepted (case-insensitively):
//! - `dev-<name>` branches, and the bare branch names `master`, `trunk` and `default`: they
//!   sort below every numbered version, by name among themselves;
//! - `[v]N(.N)*` (compared padded with zeros, so `1.0 == 1.0.0.0`), then an optional stability
//!   suffix `[._-]?(stable|alpha|a|beta|b|RC|patch|pl|p)` with optional numbers `([.-]?N)*`,
//!   then an optional `[.-]?dev`; `stable` means a plain release;
//! - branch versions such as `1.x-dev` / `2.1.*-dev` (`x`/`*` components count as 9999999,
//!   missing ones too, as Composer normalises them);
//! - build metadata after `+`, which is ignored.
//!
//! The suffix is compared the way `version_compare` does: items pairwise, with the special
//! forms ordered `dev < alpha < beta < RC < (number / end of version) < patch`, so
//! `1.0-dev < 1.0-alpha1 < 1.0-beta < 1.0-beta2-dev < 1.0-beta2 < 1.0-RC1 < 1.0 < 1.0-patch1`.

use super::common::{cmp_digits, Cursor, Num, Span};
use std::cmp::Ordering;

/// `version_compare`'s ranks of the special forms.
const DEV: u8 = 0;
const ALPHA: u8 = 1;
const BETA: u8 = 2;
const RC: u8 = 3;
/// The rank a number (or the end of a version, `#`) has among the special forms.
const NUMBER: u8 = 4;
const PATCH: u8 = 5;

/// Composer's stability words, in the order its pattern tries them, with their rank
/// (`None` = `stable`).
const STABILITIES: [(&str, Option<u8>); 9] = [
    ("stable", None),
    ("beta", Some(BETA)),
    ("b", Some(BETA)),
    ("rc", Some(RC)),
    ("alpha", Some(ALPHA)),
    ("a", Some(ALPHA)),
    ("patch", Some(PATCH)),
    ("pl", Some(PATCH)),
    ("p", Some(PATCH)),
];

/// Composer's placeholder for `x` / `*` / missing components of a branch version.
const BRANCH_NUMBER: u64 = 9_999_999;

/// A parsed Packagist version.
#[derive(Debug, Clone)]
pub(crate) enum Packagist {
    /// A named branch (`dev-main`): the span is the branch name.
    Branch(Span),
    Release {
        /// Numeric components with trailing zeros removed.
        nums: Box<[Num]>,
        /// Rank of the stability suffix, if any.
        stability: Option<u8>,
        /// The numbers after the stability word (digit runs).
        stability_nums: Span,
        /// A trailing `dev`.
        dev: bool,
    },
}

/// Parse `text` (already trimmed); `None` when Composer would reject it.
pub(crate) fn parse(text: &str) -> Option<Packagist> {
    let mut c = Cursor::new(text);
    if c.eat_word("dev-") {
        let name = c.run(|_| true)?;
        return Some(Packagist::Branch(name));
    }
    if ["master", "trunk", "default"]
        .iter()
        .any(|w| text.eq_ignore_ascii_case(w))
    {
        return Some(Packagist::Branch(Span::new(0, text.len())));
    }
    // Build metadata is dropped; the version proper is a prefix of `text`, so spans into it
    // are spans into `text` too.
    let main = match text.split_once('+') {
        Some((main, build)) => {
            if main.is_empty() || build.is_empty() {
                return None;
            }
            main
        }
        None => text,
    };
    let mut c = Cursor::new(main);
    c.eat_if(|b| b == b'v' || b == b'V');

    let (mut nums, wildcard) = numbers(&mut c)?;

    let save = c.pos();
    c.eat_if(|b| matches!(b, b'.' | b'_' | b'-'));
    let words = STABILITIES.map(|(w, _)| w);
    let (stability, stability_nums) = match c.eat_any_word(&words) {
        Some(i) => {
            let start = c.pos();
            while (matches!(c.peek(), Some(b'.' | b'-'))
                && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()))
                || c.peek().is_some_and(|b| b.is_ascii_digit())
            {
                c.eat_if(|b| b == b'.' || b == b'-');
                c.digits();
            }
            let rank = STABILITIES.get(i).and_then(|&(_, r)| r);
            (Some(rank), Span::new(start, c.pos()))
        }
        None => {
            c.reset(save);
            (None, Span::default())
        }
    };

    let save = c.pos();
    c.eat_if(|b| b == b'.' || b == b'-');
    let dev = c.eat_word("dev");
    if !dev {
        c.reset(save);
    }
    if !c.at_end() || (wildcard && (!dev || stability.is_some())) {
        return None;
    }
    if wildcard {
        nums.resize(4, Num::Small(BRANCH_NUMBER));
    }
    while nums.last().is_some_and(Num::is_zero) {
        nums.pop();
    }
    Some(match stability {
        // `stable` is a plain release; Composer drops anything after it.
        Some(None) => Packagist::Release {
            nums: nums.into_boxed_slice(),
            stability: None,
            stability_nums: Span::default(),
            dev: false,
        },
        Some(Some(rank)) => Packagist::Release {
            nums: nums.into_boxed_slice(),
            stability: Some(rank),
            stability_nums,
            dev,
        },
        None => Packagist::Release {
            nums: nums.into_boxed_slice(),
            stability: None,
            stability_nums: Span::default(),
            dev,
        },
    })
}

/// The dot-separated numeric components (the first one a number, later ones possibly the
/// wildcards `x`/`X`/`*`); returns them and whether a wildcard was seen.
fn numbers(c: &mut Cursor<'_>) -> Option<(Vec<Num>, bool)> {
    let first = c.digits()?;
    let mut nums = vec![Num::from_digits(c.text(first))];
    let mut wildcard = false;
    loop {
        let next = c.peek_at(1);
        if c.peek() != Some(b'.') {
            break;
        }
        if next.is_some_and(|b| b.is_ascii_digit()) {
            c.eat(b'.');
            let d = c.digits()?;
            nums.push(Num::from_digits(c.text(d)));
        } else if matches!(next, Some(b'x' | b'X' | b'*')) {
            c.eat(b'.');
            c.eat_if(|b| matches!(b, b'x' | b'X' | b'*'));
            nums.push(Num::Small(BRANCH_NUMBER));
            wildcard = true;
        } else {
            break;
        }
    }
    Some((nums, wildcard))
}

/// One item of the suffix as `version_compare` sees it.
#[derive(Debug, Clone, Copy)]
enum Item<'a> {
    Special(u8),
    Number(&'a str),
}

impl Item<'_> {
    /// The rank of this item among the special forms.
    fn rank(self) -> u8 {
        match self {
            Item::Special(r) => r,
            Item::Number(_) => NUMBER,
        }
    }
}

/// The suffix items of a release: the stability, its numbers and `dev`.
fn suffix<'a>(
    stability: Option<u8>,
    nums: Span,
    dev: bool,
    text: &'a str,
) -> impl Iterator<Item = Item<'a>> {
    let numbers = nums
        .of(text)
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(Item::Number);
    stability
        .map(Item::Special)
        .into_iter()
        .chain(numbers)
        .chain(dev.then_some(Item::Special(DEV)))
}

/// `version_compare` on two suffixes: pairwise, then the longer one's next item against the
/// end of the other (a number wins; a special form by its rank against `#`).
fn cmp_suffix<'a>(
    mut a: impl Iterator<Item = Item<'a>>,
    mut b: impl Iterator<Item = Item<'a>>,
) -> Ordering {
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (Some(x), None) => return x.rank().cmp(&NUMBER).then(Ordering::Greater),
            (None, Some(y)) => return NUMBER.cmp(&y.rank()).then(Ordering::Less),
            (Some(Item::Number(p)), Some(Item::Number(q))) => match cmp_digits(p, q) {
                Ordering::Equal => {}
                ord => return ord,
            },
            (Some(x), Some(y)) => match x.rank().cmp(&y.rank()) {
                Ordering::Equal => {}
                ord => return ord,
            },
        }
    }
}

/// Compare two versions parsed from `at` and `bt` respectively.
pub(crate) fn cmp(a: &Packagist, at: &str, b: &Packagist, bt: &str) -> Ordering {
    match (a, b) {
        (Packagist::Branch(x), Packagist::Branch(y)) => x.of(at).cmp(y.of(bt)),
        (Packagist::Branch(_), Packagist::Release { .. }) => Ordering::Less,
        (Packagist::Release { .. }, Packagist::Branch(_)) => Ordering::Greater,
        (
            Packagist::Release {
                nums: na,
                stability: sa,
                stability_nums: ma,
                dev: da,
            },
            Packagist::Release {
                nums: nb,
                stability: sb,
                stability_nums: mb,
                dev: db,
            },
        ) => na
            .cmp(nb)
            .then_with(|| cmp_suffix(suffix(*sa, *ma, *da, at), suffix(*sb, *mb, *db, bt))),
    }
}
