//! Version ordering per ecosystem.
//!
//! PLACEHOLDER (being replaced): numeric dot-separated comparison only.

use crate::ecosystem::Ecosystem;
use std::cmp::Ordering;

/// A version parsed under one ecosystem's rules. Ordering is only meaningful between versions
/// of the same ecosystem. Parsing never fails: text that is not a valid version is kept and
/// ordered after every valid version, lexically among itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    parts: Vec<u64>,
    raw: String,
}

impl Version {
    pub fn parse(_eco: Ecosystem, s: &str) -> Version {
        let parts = s
            .trim_start_matches('v')
            .split(['.', '-', '+'])
            .map_while(|p| p.parse::<u64>().ok())
            .collect();
        Version {
            parts,
            raw: s.to_string(),
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts
            .cmp(&other.parts)
            .then_with(|| self.raw.cmp(&other.raw))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compare two version strings under an ecosystem's rules.
pub fn compare(eco: Ecosystem, a: &str, b: &str) -> Ordering {
    Version::parse(eco, a).cmp(&Version::parse(eco, b))
}
