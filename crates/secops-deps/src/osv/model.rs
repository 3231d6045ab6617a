//! OSV schema records (<https://ossf.github.io/osv-schema/>).
//!
//! Only the fields secops uses are modelled. Deserialisation is lenient: unknown fields are
//! ignored, missing optional fields take their default, and `null` where a list or string is
//! expected reads as empty. A field of the wrong JSON type is still an error.

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default (OSV producers sometimes write `"aliases": null`).
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One OSV advisory (`<ID>.json`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Vulnerability {
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub modified: String,
    pub published: Option<String>,
    /// When set, the advisory was retracted and must not be matched.
    pub withdrawn: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub aliases: Vec<String>,
    #[serde(deserialize_with = "null_default")]
    pub related: Vec<String>,
    #[serde(deserialize_with = "null_default")]
    pub summary: String,
    #[serde(deserialize_with = "null_default")]
    pub details: String,
    #[serde(deserialize_with = "null_default")]
    pub severity: Vec<SeverityEntry>,
    #[serde(deserialize_with = "null_default")]
    pub affected: Vec<Affected>,
    /// Free-form; GHSA-style records carry a `severity` label here.
    pub database_specific: Option<serde_json::Value>,
}

/// A `severity[]` entry: `type` is `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, ...
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SeverityEntry {
    #[serde(rename = "type", deserialize_with = "null_default")]
    pub kind: String,
    /// A CVSS vector for the `CVSS_*` types, a label for `Ubuntu`.
    #[serde(deserialize_with = "null_default")]
    pub score: String,
}

/// One `affected[]` entry: a package and the versions of it that are affected.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Affected {
    pub package: Option<AffectedPackage>,
    #[serde(deserialize_with = "null_default")]
    pub severity: Vec<SeverityEntry>,
    #[serde(deserialize_with = "null_default")]
    pub ranges: Vec<Range>,
    #[serde(deserialize_with = "null_default")]
    pub versions: Vec<String>,
    pub ecosystem_specific: Option<serde_json::Value>,
    pub database_specific: Option<serde_json::Value>,
}

/// `affected[].package`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AffectedPackage {
    /// OSV ecosystem, possibly with a `:suffix` (`Debian:11`).
    #[serde(deserialize_with = "null_default")]
    pub ecosystem: String,
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    pub purl: Option<String>,
}

/// `affected[].ranges[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type", deserialize_with = "null_default")]
    pub kind: String,
    pub repo: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub events: Vec<Event>,
}

/// One range event; exactly one field is set in a well-formed record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Event {
    pub introduced: Option<String>,
    pub fixed: Option<String>,
    pub last_affected: Option<String>,
    pub limit: Option<String>,
}

/// The `severity` string of a free-form `*_specific` object, when there is one.
fn specific_label(v: Option<&serde_json::Value>) -> Option<&str> {
    v?.get("severity")?.as_str()
}

impl Vulnerability {
    /// Parse one record from JSON bytes; a record without an `id` is an error.
    pub fn from_json(bytes: &[u8]) -> Result<Vulnerability, serde_json::Error> {
        let v: Vulnerability = serde_json::from_slice(bytes)?;
        if v.id.trim().is_empty() {
            return Err(serde::de::Error::custom("record has no id"));
        }
        Ok(v)
    }

    /// True when the record was withdrawn (retracted).
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }

    /// The advisory-wide severity label (`database_specific.severity`, e.g. `MODERATE`).
    pub fn label(&self) -> Option<&str> {
        specific_label(self.database_specific.as_ref())
    }
}

impl Affected {
    /// The entry's own severity label: `ecosystem_specific.severity`, else
    /// `database_specific.severity`.
    pub fn label(&self) -> Option<&str> {
        specific_label(self.ecosystem_specific.as_ref())
            .or_else(|| specific_label(self.database_specific.as_ref()))
    }

    /// Package ecosystem string (empty when the entry names no package).
    pub fn ecosystem(&self) -> &str {
        self.package.as_ref().map_or("", |p| p.ecosystem.as_str())
    }

    /// Package name (empty when the entry names no package).
    pub fn name(&self) -> &str {
        self.package.as_ref().map_or("", |p| p.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_record_and_ignores_unknown_fields() {
        let json = br#"{
            "schema_version": "1.6.0",
            "id": "TEST-0001", "modified": "2024-01-01T00:00:00Z",
            "aliases": ["CVE-0000-0001"], "summary": "s", "details": "d",
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "affected": [{
                "package": {"ecosystem": "PyPI", "name": "Demo_Pkg", "purl": "pkg:pypi/demo-pkg"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]}],
                "versions": ["1.0", "1.1"],
                "ecosystem_specific": {"severity": "HIGH"},
                "extra": 1
            }],
            "database_specific": {"severity": "MODERATE"}
        }"#;
        let v = Vulnerability::from_json(json).unwrap();
        assert_eq!(v.id, "TEST-0001");
        assert_eq!(v.aliases, ["CVE-0000-0001"]);
        assert_eq!(v.severity[0].kind, "CVSS_V3");
        assert_eq!(v.label(), Some("MODERATE"));
        let a = &v.affected[0];
        assert_eq!(a.name(), "Demo_Pkg");
        assert_eq!(a.ecosystem(), "PyPI");
        assert_eq!(a.label(), Some("HIGH"));
        assert_eq!(a.ranges[0].events[1].fixed.as_deref(), Some("1.2"));
        assert_eq!(a.versions.len(), 2);
        assert!(!v.is_withdrawn());
    }

    #[test]
    fn missing_and_null_fields_default() {
        let v = Vulnerability::from_json(
            br#"{"id": "X", "aliases": null, "affected": [{"ranges": null}], "withdrawn": "2020-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert!(v.aliases.is_empty());
        assert!(v.affected[0].ranges.is_empty());
        assert_eq!(v.affected[0].name(), "");
        assert!(v.is_withdrawn());
        assert_eq!(v.label(), None);
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        assert!(Vulnerability::from_json(br#"{"id": 5}"#).is_err());
        assert!(Vulnerability::from_json(b"\xff\xfe").is_err());
        assert!(Vulnerability::from_json(b"[]").is_err());
        assert!(Vulnerability::from_json(br#"{"summary": "no id"}"#).is_err());
    }
}
