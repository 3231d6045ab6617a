//! Version ordering per ecosystem.
//!
//! One module per versioning scheme:
//! - `semver_like`: npm, crates.io and Go (lenient SemVer 2.0 with numbers of any size);
//! - `pep440`: PyPI;
//! - `maven`: Maven `ComparableVersion`;
//! - `gem`: RubyGems `Gem::Version`;
//! - `nuget`: NuGet (four numeric components, case-insensitive prerelease labels);
//! - `packagist`: Composer normalisation and PHP `version_compare`.
//!
//! A [`Version`] is parsed once into a compact form (numbers parsed, labels kept as spans of
//! the original text) so that comparing is cheap and allocation-free.

mod common;
mod gem;
mod maven;
mod nuget;
mod packagist;
mod pep440;
mod semver_like;

use crate::ecosystem::Ecosystem;
use std::cmp::Ordering;
use std::fmt;

/// Longest text (in bytes, after trimming whitespace) that is parsed as a version; anything
/// longer is kept as an invalid version.
pub const MAX_LEN: usize = 4096;

/// A version parsed under one ecosystem's rules. Ordering is only meaningful between versions
/// of the same ecosystem. Parsing never fails: text that is not a valid version is kept and
/// ordered after every valid version, lexically among itself.
///
/// Equality is the ordering's: under PyPI `1.0` equals `1.0.0`, under npm `1.0.0+a` equals
/// `1.0.0+b`. Use [`Version::as_str`] to tell such spellings apart.
#[derive(Debug, Clone)]
pub struct Version {
    /// The text as given.
    raw: Box<str>,
    /// Where the whitespace-trimmed text starts and ends in `raw` (spans in `repr` are
    /// relative to it).
    trimmed: (usize, usize),
    repr: Repr,
}

/// The parsed form, one variant per scheme.
#[derive(Debug, Clone)]
enum Repr {
    Semver(semver_like::SemverLike),
    Pep440(pep440::Pep440),
    Maven(maven::Maven),
    Gem(gem::Gem),
    NuGet(nuget::NuGet),
    Packagist(packagist::Packagist),
    Invalid,
}

impl Repr {
    /// Parse the (trimmed) `text` under `eco`'s scheme.
    fn parse(eco: Ecosystem, text: &str) -> Repr {
        if text.is_empty() || text.len() > MAX_LEN {
            return Repr::Invalid;
        }
        let parsed = match eco {
            Ecosystem::Npm | Ecosystem::CratesIo | Ecosystem::Go => {
                semver_like::parse(text).map(Repr::Semver)
            }
            Ecosystem::PyPI => pep440::parse(text).map(Repr::Pep440),
            Ecosystem::Maven => maven::parse(text).map(Repr::Maven),
            Ecosystem::RubyGems => gem::parse(text).map(Repr::Gem),
            Ecosystem::NuGet => nuget::parse(text).map(Repr::NuGet),
            Ecosystem::Packagist => packagist::parse(text).map(Repr::Packagist),
        };
        parsed.unwrap_or(Repr::Invalid)
    }

    /// Position of the variant, to order versions of different schemes (not meaningful, but
    /// keeps the order total).
    fn scheme_index(&self) -> u8 {
        match self {
            Repr::Semver(_) => 0,
            Repr::Pep440(_) => 1,
            Repr::Maven(_) => 2,
            Repr::Gem(_) => 3,
            Repr::NuGet(_) => 4,
            Repr::Packagist(_) => 5,
            Repr::Invalid => 6,
        }
    }
}

/// Compare two parsed forms; `at` / `bt` are the trimmed texts they were parsed from and
/// `araw` / `braw` the original texts (used to order invalid versions).
fn cmp_repr(a: &Repr, at: &str, araw: &str, b: &Repr, bt: &str, braw: &str) -> Ordering {
    match (a, b) {
        (Repr::Invalid, Repr::Invalid) => araw.cmp(braw),
        (Repr::Semver(x), Repr::Semver(y)) => semver_like::cmp(x, at, y, bt),
        (Repr::Pep440(x), Repr::Pep440(y)) => pep440::cmp(x, at, y, bt),
        (Repr::Maven(x), Repr::Maven(y)) => maven::cmp(x, at, y, bt),
        (Repr::Gem(x), Repr::Gem(y)) => gem::cmp(x, at, y, bt),
        (Repr::NuGet(x), Repr::NuGet(y)) => nuget::cmp(x, at, y, bt),
        (Repr::Packagist(x), Repr::Packagist(y)) => packagist::cmp(x, at, y, bt),
        _ => a.scheme_index().cmp(&b.scheme_index()),
    }
}

/// The byte range of `s` without leading and trailing whitespace.
fn trimmed_range(s: &str) -> (usize, usize) {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len().max(start);
    (start, end)
}

impl Version {
    /// Parse `s` under `eco`'s rules. Never fails: surrounding whitespace is ignored, and text
    /// that is not a valid version (including empty text) is kept as an invalid version.
    pub fn parse(eco: Ecosystem, s: &str) -> Version {
        let trimmed = trimmed_range(s);
        let text = s.get(trimmed.0..trimmed.1).unwrap_or("");
        Version {
            repr: Repr::parse(eco, text),
            raw: s.into(),
            trimmed,
        }
    }

    /// Whether the text was a valid version of its ecosystem.
    pub fn is_valid(&self) -> bool {
        !matches!(self.repr, Repr::Invalid)
    }

    /// The text as given to [`Version::parse`].
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The whitespace-trimmed text the parsed form refers to.
    fn text(&self) -> &str {
        self.raw.get(self.trimmed.0..self.trimmed.1).unwrap_or("")
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_repr(
            &self.repr,
            self.text(),
            &self.raw,
            &other.repr,
            other.text(),
            &other.raw,
        )
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

/// Compare two version strings under an ecosystem's rules (same order as [`Version`]'s,
/// without keeping copies of the texts).
pub fn compare(eco: Ecosystem, a: &str, b: &str) -> Ordering {
    let (ra, rb) = (trimmed_range(a), trimmed_range(b));
    let at = a.get(ra.0..ra.1).unwrap_or("");
    let bt = b.get(rb.0..rb.1).unwrap_or("");
    cmp_repr(&Repr::parse(eco, at), at, a, &Repr::parse(eco, bt), bt, b)
}
