//! `packages.config` (NuGet, the pre-PackageReference format).
//!
//! `<packages><package id="…" version="…" developmentDependency="true"? /></packages>`: every
//! entry is an exact pin; `developmentDependency="true"` marks Dev. An entry without an id or a
//! version is skipped with a warning.

use super::util::{parse_error, utf8};
use super::xml_common::parse_document;
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::{DepGroup, Package};

pub struct PackagesConfig;

impl Parser for PackagesConfig {
    fn format(&self) -> &'static str {
        "packages.config"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::NuGet
    }

    fn kind(&self) -> FileKind {
        FileKind::Manifest
    }

    fn matches(&self, n: &str) -> bool {
        n == "packages.config"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let root = parse_document(input.rel_path, text)?;
        if root.name != "packages" {
            return Err(parse_error(
                input.rel_path,
                Some(root.line),
                format!("root element is <{}>, expected <packages>", root.name),
            ));
        }
        let mut out = Parsed::default();
        for p in root.children_named("package") {
            let id = p.attr_ci("id").filter(|s| !s.is_empty());
            let version = p.attr_ci("version").filter(|s| !s.is_empty());
            let (Some(id), Some(version)) = (id, version) else {
                out.warnings.push(Warning {
                    file: input.rel_path.to_string(),
                    line: p.line,
                    message: "<package> without an id or a version; not scanned".into(),
                });
                continue;
            };
            let dev = p
                .attr_ci("developmentDependency")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            out.packages.push(Package {
                ecosystem: Ecosystem::NuGet,
                name: id.to_string(),
                version: version.to_string(),
                pinned: true,
                group: if dev { DepGroup::Dev } else { DepGroup::Prod },
                file: input.rel_path.to_string(),
                line: p.line,
            });
        }
        Ok(out)
    }
}
