//! The package ecosystems secops understands, named as OSV names them.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ecosystem {
    #[serde(rename = "npm")]
    Npm,
    #[serde(rename = "PyPI")]
    PyPI,
    #[serde(rename = "Go")]
    Go,
    #[serde(rename = "crates.io")]
    CratesIo,
    #[serde(rename = "Maven")]
    Maven,
    #[serde(rename = "RubyGems")]
    RubyGems,
    #[serde(rename = "Packagist")]
    Packagist,
    #[serde(rename = "NuGet")]
    NuGet,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 8] = [
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::CratesIo,
        Ecosystem::Maven,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::NuGet,
    ];

    /// The ecosystem name used by OSV records and by osv.dev's export folders.
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::NuGet => "NuGet",
        }
    }

    /// Parse an OSV ecosystem string; a `:suffix` (e.g. `Debian:11`) is ignored.
    pub fn from_osv_name(s: &str) -> Option<Ecosystem> {
        let base = s.split(':').next().unwrap_or(s);
        Ecosystem::ALL.into_iter().find(|e| e.osv_name() == base)
    }

    /// The name under which two spellings of one package compare equal: PEP 503 for PyPI
    /// (`[-_.]+` → `-`, lower case), lower case for the case-insensitive registries (NuGet,
    /// Packagist), unchanged elsewhere.
    pub fn normalize_name(self, name: &str) -> Cow<'_, str> {
        match self {
            Ecosystem::PyPI => {
                let needs = name
                    .bytes()
                    .any(|b| b.is_ascii_uppercase() || b == b'_' || b == b'.')
                    || name.contains("--");
                if !needs {
                    return Cow::Borrowed(name);
                }
                let mut out = String::with_capacity(name.len());
                let mut prev_sep = false;
                for c in name.chars() {
                    if matches!(c, '-' | '_' | '.') {
                        if !prev_sep {
                            out.push('-');
                        }
                        prev_sep = true;
                    } else {
                        out.push(c.to_ascii_lowercase());
                        prev_sep = false;
                    }
                }
                Cow::Owned(out)
            }
            Ecosystem::NuGet | Ecosystem::Packagist => {
                if name.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(name.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(name)
                }
            }
            _ => Cow::Borrowed(name),
        }
    }
}

impl std::fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.osv_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_names_round_trip() {
        for e in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv_name(e.osv_name()), Some(e));
        }
        assert_eq!(Ecosystem::from_osv_name("npm:extra"), Some(Ecosystem::Npm));
        assert_eq!(Ecosystem::from_osv_name("Debian:11"), None);
    }

    #[test]
    fn pep503_normalisation() {
        let n = |s: &'static str| Ecosystem::PyPI.normalize_name(s).into_owned();
        assert_eq!(n("Django"), "django");
        assert_eq!(n("zope.interface"), "zope-interface");
        assert_eq!(n("Foo__Bar-.baz"), "foo-bar-baz");
        assert_eq!(n("requests"), "requests");
        assert_eq!(
            Ecosystem::NuGet.normalize_name("Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(Ecosystem::Npm.normalize_name("React"), "React");
    }
}
