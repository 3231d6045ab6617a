//! `Pipfile.lock` (PyPI).
//!
//! Packages of the `default` section are Prod, those of `develop` and of any other (custom
//! category) section are Dev; `_meta` is ignored. Versions are `==x` (or `===x`); entries
//! without a version (git, path, editable) are skipped with a warning. Lines are those of the
//! package keys.

use super::js_common::{self, PackageSet};
use super::util::{parse_error, utf8};
use super::{FileKind, Input, Parsed, Parser, Warning};
use crate::ecosystem::Ecosystem;
use crate::error::DepsError;
use crate::package::DepGroup;

pub struct PipfileLock;

impl Parser for PipfileLock {
    fn format(&self) -> &'static str {
        "Pipfile.lock"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }

    fn kind(&self) -> FileKind {
        FileKind::Lockfile
    }

    fn matches(&self, n: &str) -> bool {
        n == "Pipfile.lock"
    }

    fn parse(&self, input: &Input<'_>) -> Result<Parsed, DepsError> {
        let text = utf8(input.rel_path, input.bytes)?;
        let doc = js_common::parse_json(input.rel_path, text)?;
        if !doc.is_object() {
            return Err(parse_error(
                input.rel_path,
                Some(doc.line),
                "expected a JSON object",
            ));
        }
        let mut set = PackageSet::new();
        let mut warnings = Vec::new();
        for section in doc.members() {
            if section.key.starts_with('_') || !section.value.is_object() {
                continue;
            }
            let group = if section.key == "default" {
                DepGroup::Prod
            } else {
                DepGroup::Dev
            };
            for m in section.value.members() {
                let version = m.value.str_of("version").map(|v| {
                    v.trim()
                        .trim_start_matches("===")
                        .trim_start_matches("==")
                        .trim()
                });
                match version.filter(|v| !v.is_empty()) {
                    Some(v) => set.add(js_common::locked(
                        Ecosystem::PyPI,
                        &m.key,
                        v,
                        group,
                        input.rel_path,
                        m.line,
                    )),
                    None => warnings.push(Warning {
                        file: input.rel_path.to_string(),
                        line: m.line,
                        message: format!("{}: no version (git, path or editable), skipped", m.key),
                    }),
                }
            }
        }
        Ok(Parsed {
            packages: set.into_vec(),
            warnings,
        })
    }
}
