//! npm and PyPI lockfile / manifest parsers against hand-written fixtures in
//! `tests/fixtures/lockfiles/{npm,pypi}`: a JSON snapshot of every parse plus targeted checks
//! (groups, lines, aliases, includes), the error path of each format family, and robustness
//! against truncated, garbage and non-UTF-8 input.

use insta::assert_json_snapshot;
use secops_deps::lockfile::{self, Input, Parsed};
use secops_deps::{DepGroup, DepsError, Ecosystem, Package};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The fixture root; `rel_path`s below are relative to it.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles")
}

/// Parse `bytes` as the file `rel` under the fixture root, with the parser its name selects.
fn parse_bytes(rel: &str, bytes: &[u8]) -> Result<Parsed, DepsError> {
    let root = root();
    let path = root.join(rel);
    let name = rel.rsplit('/').next().expect("file name");
    let parser = lockfile::parser_for(name).unwrap_or_else(|| panic!("no parser for {name}"));
    parser.parse(&Input {
        root: &root,
        path: &path,
        rel_path: rel,
        bytes,
    })
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Parse a fixture that must parse.
fn ok(rel: &str) -> Parsed {
    parse_bytes(rel, &read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The parse error line of a fixture that must fail.
fn err_line(rel: &str, bytes: &[u8]) -> Option<usize> {
    match parse_bytes(rel, bytes) {
        Err(DepsError::Parse { path, line, .. }) => {
            assert_eq!(path, rel);
            line
        }
        other => panic!("{rel}: expected a parse error, got {other:?}"),
    }
}

/// Packages and warnings as JSON, for snapshots.
fn view(p: &Parsed) -> Value {
    let warnings: Vec<Value> = p
        .warnings
        .iter()
        .map(|w| json!({"file": w.file, "line": w.line, "message": w.message}))
        .collect();
    json!({"packages": p.packages, "warnings": warnings})
}

/// The one package with this name and version.
fn pkg<'a>(p: &'a Parsed, name: &str, version: &str) -> &'a Package {
    let found: Vec<&Package> = p
        .packages
        .iter()
        .filter(|x| x.name == name && x.version == version)
        .collect();
    assert_eq!(found.len(), 1, "{name}@{version} in {:#?}", p.packages);
    found[0]
}

fn has(p: &Parsed, name: &str) -> bool {
    p.packages.iter().any(|x| x.name == name)
}

fn group(p: &Parsed, name: &str, version: &str) -> DepGroup {
    pkg(p, name, version).group
}

/// 1-based line of the first occurrence of `needle` in a fixture.
fn line_in(rel: &str, needle: &str) -> usize {
    let text = String::from_utf8(read(rel)).expect("utf-8");
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {rel}"));
    text[..at].matches('\n').count() + 1
}

fn warned(p: &Parsed, fragment: &str) -> bool {
    p.warnings.iter().any(|w| w.message.contains(fragment))
}

// ---------------------------------------------------------------- npm: package-lock.json

#[test]
fn npm_lock_v1_nested_tree() {
    let rel = "npm/npm-v1/package-lock.json";
    let p = ok(rel);
    assert_json_snapshot!("npm_v1", view(&p));
    assert!(p
        .packages
        .iter()
        .all(|x| x.ecosystem == Ecosystem::Npm && x.pinned));
    assert_eq!(group(&p, "@babel/code-frame", "7.22.13"), DepGroup::Dev);
    assert_eq!(group(&p, "fsevents", "2.3.3"), DepGroup::Optional);
    assert_eq!(group(&p, "lodash", "4.17.21"), DepGroup::Prod);
    // the alias resolves to the real package
    assert_eq!(
        pkg(&p, "left-pad", "1.3.0").line,
        line_in(rel, "\"left-pad-legacy\"")
    );
    assert!(!has(&p, "left-pad-legacy"));
    // nested twice (under body-parser and express), reported once at the first place
    assert_eq!(
        pkg(&p, "debug", "2.6.9").line,
        line_in(rel, "\"debug\": {\n          \"version\": \"2.6.9\"")
    );
    assert_eq!(
        pkg(&p, "debug", "4.3.4").line,
        line_in(rel, "\"debug\": {\n      \"version\": \"4.3.4\"")
    );
    assert!(!has(&p, "storefront-utils"), "file: entries are skipped");
    assert!(!has(&p, "gitdep"));
    assert!(warned(&p, "gitdep: not a registry version"));
}

#[test]
fn npm_lock_v2_reads_packages_map() {
    let rel = "npm/npm-v2/package-lock.json";
    let p = ok(rel);
    assert_json_snapshot!("npm_v2", view(&p));
    // `packages` wins over the legacy `dependencies` section
    assert!(!has(&p, "old-only-in-legacy-section"));
    assert!(!has(&p, "dashboard"), "the root entry is skipped");
    // alias via the `name` field
    let c = pkg(&p, "classnames", "2.2.6");
    assert_eq!(c.line, line_in(rel, "\"node_modules/classnames-old\""));
    assert!(!has(&p, "classnames-old"));
    assert_eq!(group(&p, "@types/react", "18.2.15"), DepGroup::Dev);
    assert_eq!(group(&p, "fsevents", "2.3.2"), DepGroup::Optional);
    assert_eq!(group(&p, "react-dom", "18.2.0"), DepGroup::Prod);
    assert_eq!(p.packages.len(), 11);
    assert!(p.warnings.is_empty());
}

#[test]
fn npm_lock_v3_workspaces_links_and_flags() {
    let rel = "npm/npm-v3/package-lock.json";
    let p = ok(rel);
    assert_json_snapshot!("npm_v3", view(&p));
    assert!(!has(&p, "@acme/ui"), "link and workspace folder skipped");
    assert!(!has(&p, "local-tarball"), "file: resolution skipped");
    assert_eq!(
        group(&p, "chokidar", "3.5.3"),
        DepGroup::Optional,
        "devOptional"
    );
    assert_eq!(group(&p, "react", "18.2.0"), DepGroup::Peer);
    assert_eq!(group(&p, "eslint", "8.45.0"), DepGroup::Dev);
    // the same name at two versions, one nested under a dependency, one under a workspace
    assert_eq!(
        pkg(&p, "@eslint/js", "8.44.0").line,
        line_in(rel, "\"node_modules/eslint/node_modules/@eslint/js\"")
    );
    assert_eq!(
        pkg(&p, "semver", "6.3.1").line,
        line_in(rel, "\"packages/ui/node_modules/semver\"")
    );
    assert_eq!(group(&p, "semver", "7.5.4"), DepGroup::Prod);
}

#[test]
fn npm_shrinkwrap() {
    let rel = "npm/npm-shrinkwrap/npm-shrinkwrap.json";
    let p = ok(rel);
    assert_json_snapshot!("npm_shrinkwrap", view(&p));
    assert_eq!(p.packages.len(), 2);
    assert_eq!(pkg(&p, "minimist", "1.2.8").file, rel);
}

#[test]
fn npm_lock_broken_is_a_parse_error_with_line() {
    let rel = "npm/npm-broken/package-lock.json";
    assert_eq!(err_line(rel, &read(rel)), Some(line_in(rel, "<<<<<<<")));
}

// ---------------------------------------------------------------- npm: yarn.lock

#[test]
fn yarn_v1_with_package_json_groups() {
    let rel = "npm/yarn-v1/yarn.lock";
    let p = ok(rel);
    assert_json_snapshot!("yarn_v1", view(&p));
    // quoted key with several specifiers, alias resolved to the real name
    let sw = pkg(&p, "string-width", "4.2.3");
    assert_eq!(
        sw.line,
        line_in(rel, "\"string-width-cjs@npm:string-width@^4.2.0\"")
    );
    assert_eq!(sw.group, DepGroup::Prod);
    assert_eq!(
        pkg(&p, "hoist-non-react-statics", "3.3.2").line,
        line_in(rel, "hoist-non-react-statics@^3.3.1, ")
    );
    assert_eq!(
        pkg(&p, "@emotion/react", "11.11.1").line,
        line_in(rel, "\"@emotion/react@")
    );
    // groups from package.json reachability
    assert_eq!(group(&p, "jest", "29.6.1"), DepGroup::Dev);
    assert_eq!(group(&p, "jest-cli", "29.6.1"), DepGroup::Dev);
    assert_eq!(
        group(&p, "hoist-non-react-statics", "3.3.2"),
        DepGroup::Prod,
        "prod and dev → prod"
    );
    assert_eq!(group(&p, "asynckit", "0.4.0"), DepGroup::Prod);
    assert_eq!(group(&p, "fsevents", "2.3.2"), DepGroup::Optional);
    assert!(!has(&p, "local-helpers"), "file: specifier skipped");
}

#[test]
fn yarn_without_package_json_is_all_prod() {
    let bytes = read("npm/yarn-v1/yarn.lock");
    // same content, in a directory that has no package.json
    let p = parse_bytes("npm/no-such-dir/yarn.lock", &bytes).expect("parses");
    assert_eq!(p.packages.len(), 12);
    assert!(p.packages.iter().all(|x| x.group == DepGroup::Prod));
}

#[test]
fn yarn_berry() {
    let rel = "npm/yarn-berry/yarn.lock";
    let p = ok(rel);
    assert_json_snapshot!("yarn_berry", view(&p));
    assert!(!has(&p, "inventory-api"), "workspace skipped");
    assert!(!has(&p, "shared-config"), "link skipped");
    // the patch: entry unwraps to resolve 1.22.4 and merges with the plain one
    assert_eq!(
        pkg(&p, "resolve", "1.22.4").line,
        line_in(rel, "\"resolve@npm:^1.22.1\":")
    );
    // alias → real name from `resolution`
    assert_eq!(
        pkg(&p, "vitest", "0.34.1").line,
        line_in(rel, "\"vitest-alias@npm:vitest@0.34.1\"")
    );
    assert_eq!(group(&p, "vitest", "0.34.1"), DepGroup::Dev);
    assert_eq!(group(&p, "tinypool", "0.7.0"), DepGroup::Dev);
    assert_eq!(group(&p, "@types/node", "20.4.5"), DepGroup::Dev);
    assert_eq!(group(&p, "semver", "7.5.4"), DepGroup::Prod);
    assert_eq!(group(&p, "resolve", "1.22.4"), DepGroup::Prod);
    assert_eq!(p.packages.len(), 7);
}

#[test]
fn yarn_broken_is_a_parse_error_with_line() {
    let rel = "npm/yarn-broken/yarn.lock";
    assert_eq!(err_line(rel, &read(rel)), Some(line_in(rel, "<<<<<<<")));
}

// ---------------------------------------------------------------- npm: pnpm-lock.yaml

#[test]
fn pnpm_v5_slash_keys_and_peer_suffixes() {
    let rel = "npm/pnpm-v5/pnpm-lock.yaml";
    let p = ok(rel);
    assert_json_snapshot!("pnpm_v5", view(&p));
    assert_eq!(
        pkg(&p, "react-dom", "18.2.0").line,
        line_in(rel, "  /react-dom/18.2.0_react@18.2.0:")
    );
    assert_eq!(
        pkg(&p, "@tanstack/react-query", "4.32.0").line,
        line_in(rel, "  /@tanstack/react-query/4.32.0_")
    );
    assert_eq!(group(&p, "prettier", "3.0.0"), DepGroup::Dev);
    assert_eq!(group(&p, "fsevents", "2.3.2"), DepGroup::Optional);
    assert_eq!(group(&p, "react", "18.2.0"), DepGroup::Prod);
    assert_eq!(
        pkg(&p, "tiny-helper", "0.2.1").group,
        DepGroup::Prod,
        "name/version fields"
    );
    assert!(has(&p, "left-pad"));
}

#[test]
fn pnpm_v6_at_keys() {
    let rel = "npm/pnpm-v6/pnpm-lock.yaml";
    let p = ok(rel);
    assert_json_snapshot!("pnpm_v6", view(&p));
    assert_eq!(
        pkg(&p, "@trpc/client", "10.37.1").line,
        line_in(rel, "  /@trpc/client@10.37.1(@trpc/server@10.37.1):")
    );
    assert_eq!(group(&p, "vitest", "0.34.1"), DepGroup::Dev);
    assert_eq!(group(&p, "zod", "3.21.4"), DepGroup::Prod);
    assert!(has(&p, "legacy-widget"));
    assert!(warned(&p, "unnamed-fork"));
}

#[test]
fn pnpm_v9_groups_from_importers_and_snapshots() {
    let rel = "npm/pnpm-v9/pnpm-lock.yaml";
    let p = ok(rel);
    assert_json_snapshot!("pnpm_v9", view(&p));
    // lines are those of the `packages` entries, not of `snapshots`
    assert_eq!(
        pkg(&p, "@headlessui/react", "1.7.16").line,
        line_in(rel, "  '@headlessui/react@1.7.16':")
    );
    assert_eq!(
        pkg(&p, "scheduler", "0.23.0").line,
        line_in(rel, "  scheduler@0.23.0:")
    );
    assert_eq!(
        group(&p, "client-only", "0.0.1"),
        DepGroup::Prod,
        "transitive prod"
    );
    assert_eq!(
        group(&p, "js-tokens", "4.0.0"),
        DepGroup::Prod,
        "prod and dev → prod"
    );
    assert_eq!(group(&p, "eslint", "8.45.0"), DepGroup::Dev);
    assert_eq!(group(&p, "eslint-plugin-react", "7.33.0"), DepGroup::Dev);
    assert_eq!(group(&p, "@types/react", "18.2.15"), DepGroup::Dev);
    assert_eq!(group(&p, "fsevents", "2.3.3"), DepGroup::Optional);
    assert_eq!(
        group(&p, "string-width", "4.2.3"),
        DepGroup::Prod,
        "alias root"
    );
    assert!(!has(&p, "ui-kit"), "file: directory skipped");
    assert_eq!(p.packages.len(), 12);
}

#[test]
fn pnpm_multi_document_reads_every_document() {
    let rel = "npm/pnpm-v11-multidoc/pnpm-lock.yaml";
    let p = ok(rel);
    assert_json_snapshot!("pnpm_v11_multidoc", view(&p));
    assert_eq!(p.packages.len(), 5);
    assert_eq!(group(&p, "pnpm", "11.0.4"), DepGroup::Dev);
    assert_eq!(
        group(&p, "@acme/pnpm-plugin-policy", "1.2.0"),
        DepGroup::Dev
    );
    assert_eq!(group(&p, "nanoid", "5.0.7"), DepGroup::Prod);
    assert_eq!(group(&p, "typescript", "5.4.5"), DepGroup::Dev);
    assert_eq!(pkg(&p, "ms", "2.1.3").line, line_in(rel, "  ms@2.1.3:"));
}

#[test]
fn pnpm_multi_document_errors_are_never_silent() {
    let rel = "npm/pnpm-v11-multidoc/pnpm-lock.yaml";
    let good = String::from_utf8(read(rel)).expect("utf-8");
    // a second document that is not a lockfile
    let scalar = good.replacen(
        "---\nlockfileVersion: '9.0'\n\nsettings:",
        "--- just text\n---\nsettings:",
        1,
    );
    assert!(parse_bytes(rel, scalar.as_bytes()).is_err());
    // a YAML error in the second document is reported at its line in the whole file
    let bad = good.replace(
        "  nanoid@5.0.7:\n    resolution",
        "  nanoid@5.0.7:\n   resolution",
    );
    let line = good
        .find("  nanoid@5.0.7:\n    resolution")
        .map(|at| good[..at].matches('\n').count() + 2);
    let got = err_line(rel, bad.as_bytes()).expect("a line");
    assert!(
        got >= line.expect("found") && got <= line.expect("found") + 2,
        "{got} vs {line:?}"
    );
}

#[test]
fn pnpm_broken_is_a_parse_error_with_line() {
    let rel = "npm/pnpm-broken/pnpm-lock.yaml";
    let line = err_line(rel, &read(rel)).expect("a line");
    let bad = line_in(rel, "   engines");
    assert!(line == bad || line == bad - 1, "{line} vs {bad}");
}

// ---------------------------------------------------------------- npm: bun.lock

#[test]
fn bun_lock_jsonc() {
    let rel = "npm/bun/bun.lock";
    let p = ok(rel);
    assert_json_snapshot!("bun", view(&p));
    assert!(!has(&p, "@chat/protocol"), "workspace skipped");
    assert_eq!(
        pkg(&p, "zod", "3.21.4").line,
        line_in(rel, "\"zod-old\": [")
    );
    assert_eq!(
        pkg(&p, "hono", "3.12.0").line,
        line_in(rel, "\"@chat/protocol/hono\"")
    );
    assert_eq!(
        group(&p, "hono", "3.12.0"),
        DepGroup::Prod,
        "workspace dependency"
    );
    assert_eq!(group(&p, "hono", "4.0.5"), DepGroup::Prod);
    assert_eq!(group(&p, "@types/bun", "1.0.8"), DepGroup::Dev);
    assert_eq!(
        group(&p, "@types/node", "20.11.24"),
        DepGroup::Dev,
        "transitive dev"
    );
    assert_eq!(group(&p, "node-gyp-build", "4.8.0"), DepGroup::Optional);
    assert!(!has(&p, "tiny-emitter"));
    assert!(warned(&p, "tiny-emitter: not a registry version"));
}

#[test]
fn bun_broken_is_a_parse_error_with_line() {
    let rel = "npm/bun-broken/bun.lock";
    let line = err_line(rel, &read(rel)).expect("a line");
    assert_eq!(line, line_in(rel, "\"zod\""));
}

// ---------------------------------------------------------------- PyPI: requirements.txt

#[test]
fn requirements_with_includes_constraints_and_ranges() {
    let rel = "pypi/requirements/requirements.txt";
    let p = ok(rel);
    assert_json_snapshot!("requirements", view(&p));
    assert!(p
        .packages
        .iter()
        .all(|x| x.ecosystem == Ecosystem::PyPI && x.group == DepGroup::Prod));
    // continuation lines: the package keeps its first line; hashes are ignored
    let django = pkg(&p, "Django", "4.2.4");
    assert!(django.pinned);
    assert_eq!(django.line, line_in(rel, "Django=="));
    assert!(pkg(&p, "psycopg2-binary", "2.9.7").pinned, "=== pin");
    // ranges: lowest allowed version, unpinned, with a warning
    let r = pkg(&p, "requests", "2.31.0");
    assert!(!r.pinned);
    assert_eq!(pkg(&p, "celery", "5.3.1").line, line_in(rel, "celery"));
    assert!(!pkg(&p, "urllib3", "1.26").pinned);
    assert!(!pkg(&p, "certifi", "0").pinned);
    assert!(warned(&p, "unpinned requirement requests (>=2.31.0,<3)"));
    assert!(warned(&p, "unpinned requirement certifi (any version)"));
    // constraints pin what is required; constraint-only packages are not reported
    assert!(pkg(&p, "numpy", "1.25.2").pinned);
    assert!(pkg(&p, "idna", "3.4").pinned);
    assert!(!has(&p, "boto3"));
    // includes, relative to the including file, with their own path
    let attrs = pkg(&p, "attrs", "23.1.0");
    assert_eq!(attrs.file, "pypi/requirements/common/pins.txt");
    assert_eq!(attrs.line, 1);
    assert_eq!(
        pkg(&p, "six", "1.16.0").file,
        "pypi/requirements/common/base.txt"
    );
    assert_eq!(pkg(&p, "PyYAML", "6.0.1").line, 3);
    // skipped lines
    assert!(warned(&p, "editable requirement skipped"));
    assert!(warned(&p, "./vendor/pdfgen"));
    assert!(warned(&p, "internal-sdk @"));
    assert!(!has(&p, "internal-sdk"));
    let missing = p
        .warnings
        .iter()
        .find(|w| w.message.contains("missing-extras.txt"))
        .expect("missing include warned");
    assert_eq!(
        (missing.file.as_str(), missing.line),
        (rel, line_in(rel, "-r missing-extras.txt"))
    );
}

#[test]
fn requirements_including_another_top_level_file() {
    let p = ok("pypi/requirements/requirements-dev.txt");
    assert_json_snapshot!("requirements_dev", view(&p));
    assert_eq!(
        pkg(&p, "pytest", "7.4.0").file,
        "pypi/requirements/requirements-dev.txt"
    );
    assert_eq!(
        pkg(&p, "Django", "4.2.4").file,
        "pypi/requirements/requirements.txt"
    );
    assert!(!pkg(&p, "black", "23.7").pinned);
}

#[test]
fn requirements_include_cycle_is_a_warning() {
    let p = ok("pypi/requirements-cycle/requirements.txt");
    assert_json_snapshot!("requirements_cycle", view(&p));
    assert_eq!(p.packages.len(), 2);
    assert_eq!(
        pkg(&p, "itsdangerous", "2.1.2").file,
        "pypi/requirements-cycle/requirements-extra.txt"
    );
    assert!(warned(
        &p,
        "circular include of pypi/requirements-cycle/requirements.txt"
    ));
}

#[test]
fn requirements_broken_is_a_parse_error_with_line() {
    let rel = "pypi/requirements-broken/requirements.txt";
    assert_eq!(err_line(rel, &read(rel)), Some(2));
}

// ---------------------------------------------------------------- PyPI: lockfiles

#[test]
fn poetry_lock_v1_categories() {
    let rel = "pypi/poetry-v1/poetry.lock";
    let p = ok(rel);
    assert_json_snapshot!("poetry_v1", view(&p));
    assert_eq!(group(&p, "pytest", "7.4.0"), DepGroup::Dev);
    assert_eq!(group(&p, "colorama", "0.4.6"), DepGroup::Dev);
    assert_eq!(group(&p, "PySocks", "1.7.1"), DepGroup::Optional);
    assert_eq!(group(&p, "requests", "2.31.0"), DepGroup::Prod);
    assert_eq!(pkg(&p, "certifi", "2023.7.22").line, 2);
    assert_eq!(
        pkg(&p, "requests", "2.31.0").line,
        line_in(rel, "name = \"requests\"")
    );
    assert!(!has(&p, "my-lib"));
    assert!(warned(&p, "my-lib: local package"));
}

#[test]
fn poetry_lock_v2_groups() {
    let p = ok("pypi/poetry-v2/poetry.lock");
    assert_json_snapshot!("poetry_v2", view(&p));
    assert_eq!(group(&p, "anyio", "4.9.0"), DepGroup::Prod);
    assert_eq!(
        group(&p, "idna", "3.10"),
        DepGroup::Prod,
        "main and dev → prod"
    );
    assert_eq!(group(&p, "mypy", "1.15.0"), DepGroup::Dev);
    assert_eq!(group(&p, "sphinx", "8.2.3"), DepGroup::Dev);
    assert_eq!(group(&p, "uvloop", "0.21.0"), DepGroup::Optional);
    assert!(has(&p, "internal-tools"), "git sources keep their version");
}

#[test]
fn pipfile_lock_sections() {
    let rel = "pypi/pipfile/Pipfile.lock";
    let p = ok(rel);
    assert_json_snapshot!("pipfile", view(&p));
    let flask = pkg(&p, "flask", "2.3.2");
    assert_eq!(
        (flask.group, flask.line),
        (DepGroup::Prod, line_in(rel, "\"flask\""))
    );
    assert_eq!(group(&p, "pytest", "7.4.0"), DepGroup::Dev);
    assert_eq!(
        group(&p, "click", "8.1.6"),
        DepGroup::Prod,
        "default and develop → prod"
    );
    assert_eq!(
        group(&p, "mkdocs", "1.5.2"),
        DepGroup::Dev,
        "custom category"
    );
    assert!(has(&p, "zope.interface"));
    assert!(!has(&p, "payments-client") && !has(&p, "auditlog"));
    assert_eq!(p.warnings.len(), 2);
}

#[test]
fn pipfile_broken_is_a_parse_error_with_line() {
    let rel = "pypi/pipfile-broken/Pipfile.lock";
    assert_eq!(err_line(rel, &read(rel)), Some(line_in(rel, "\"click\" {")));
}

#[test]
fn uv_lock_skips_projects_and_derives_groups() {
    let rel = "pypi/uv/uv.lock";
    let p = ok(rel);
    assert_json_snapshot!("uv", view(&p));
    assert!(!has(&p, "weather-app") && !has(&p, "weather-core"));
    assert_eq!(group(&p, "httpx", "0.28.1"), DepGroup::Prod);
    assert_eq!(
        group(&p, "socksio", "1.0.0"),
        DepGroup::Prod,
        "extra asked by a prod dependency"
    );
    assert_eq!(
        group(&p, "idna", "3.10"),
        DepGroup::Prod,
        "from a workspace member"
    );
    assert_eq!(group(&p, "rich", "14.0.0"), DepGroup::Optional);
    assert_eq!(group(&p, "markdown-it-py", "3.0.0"), DepGroup::Optional);
    assert_eq!(group(&p, "pytest", "8.3.5"), DepGroup::Dev);
    assert_eq!(group(&p, "iniconfig", "2.1.0"), DepGroup::Dev);
    // two versions of one name, each at its own line
    assert_eq!(
        pkg(&p, "numpy", "2.2.6").line,
        line_in(rel, "name = \"numpy\"\nversion = \"2.2.6\"")
    );
    assert_eq!(
        pkg(&p, "numpy", "1.26.4").line,
        line_in(rel, "name = \"numpy\"\nversion = \"1.26.4\"")
    );
    assert_eq!(p.packages.len(), 11);
}

#[test]
fn pdm_lock_groups() {
    let rel = "pypi/pdm/pdm.lock";
    let p = ok(rel);
    assert_json_snapshot!("pdm", view(&p));
    assert_eq!(group(&p, "click", "8.1.7"), DepGroup::Prod);
    assert_eq!(group(&p, "colorama", "0.4.6"), DepGroup::Prod);
    assert_eq!(group(&p, "ruff", "0.6.1"), DepGroup::Dev);
    assert_eq!(group(&p, "pytest", "8.3.2"), DepGroup::Dev);
    assert_eq!(
        pkg(&p, "ruff", "0.6.1").line,
        line_in(rel, "name = \"ruff\"")
    );
    assert!(!has(&p, "job-runner"), "editable local package skipped");
}

#[test]
fn pylock_toml() {
    let rel = "pypi/pylock/pylock.toml";
    let p = ok(rel);
    assert_json_snapshot!("pylock", view(&p));
    assert_eq!(group(&p, "attrs", "25.3.0"), DepGroup::Prod);
    assert_eq!(group(&p, "cryptography", "45.0.4"), DepGroup::Optional);
    assert_eq!(group(&p, "pytest", "8.4.1"), DepGroup::Dev);
    assert_eq!(
        pkg(&p, "cffi", "1.17.1").line,
        line_in(rel, "name = \"cffi\"")
    );
    assert!(warned(&p, "ledger-core: no version"));
    assert!(warned(&p, "fx-rates: no version"));
    assert_eq!(p.packages.len(), 5);
}

#[test]
fn toml_broken_is_a_parse_error_with_line_for_every_toml_format() {
    let bytes = read("pypi/toml-broken/poetry.lock");
    let bad = line_in("pypi/toml-broken/poetry.lock", "version = \"3.4");
    for name in [
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "pylock.toml",
        "pyproject.toml",
    ] {
        let rel = format!("pypi/toml-broken/{name}");
        assert_eq!(err_line(&rel, &bytes), Some(bad), "{name}");
    }
}

// ---------------------------------------------------------------- PyPI: pyproject.toml

#[test]
fn pyproject_pep621_and_pep735() {
    let rel = "pypi/pyproject-pep621/pyproject.toml";
    let p = ok(rel);
    assert_json_snapshot!("pyproject_pep621", view(&p));
    let fastapi = pkg(&p, "fastapi", "0.100.0");
    assert_eq!((fastapi.pinned, fastapi.group), (false, DepGroup::Prod));
    assert_eq!(fastapi.line, line_in(rel, "\"fastapi"));
    assert!(pkg(&p, "pydantic", "2.1.1").pinned);
    assert_eq!(
        pkg(&p, "SQLAlchemy", "2.0.19").line,
        line_in(rel, "\"SQLAlchemy")
    );
    assert_eq!(group(&p, "shapely", "0"), DepGroup::Prod);
    assert_eq!(group(&p, "redis", "4.6"), DepGroup::Optional);
    assert_eq!(group(&p, "mkdocs", "1.5.2"), DepGroup::Optional);
    assert_eq!(group(&p, "pytest", "7.4"), DepGroup::Dev);
    assert_eq!(group(&p, "ruff", "0.0.282"), DepGroup::Dev);
    assert!(!has(&p, "internal-geo"));
    assert!(
        !has(&p, "hatchling"),
        "build requirements are not dependencies"
    );
    assert!(warned(&p, "unpinned requirement fastapi (>=0.100.0)"));
}

#[test]
fn pyproject_poetry() {
    let rel = "pypi/pyproject-poetry/pyproject.toml";
    let p = ok(rel);
    assert_json_snapshot!("pyproject_poetry", view(&p));
    assert!(!has(&p, "python"));
    let celery = pkg(&p, "celery", "5.3.1");
    assert_eq!(
        (celery.pinned, celery.line),
        (false, line_in(rel, "celery ="))
    );
    assert!(pkg(&p, "boto3", "1.28.15").pinned, "poetry exact version");
    assert!(pkg(&p, "ruamel.yaml", "0.17.32").pinned);
    assert!(!pkg(&p, "redis", "4.6").pinned, "tilde range");
    assert_eq!(group(&p, "sentry-sdk", "1.29"), DepGroup::Optional);
    assert_eq!(group(&p, "pytest", "7.4.0"), DepGroup::Dev);
    assert_eq!(group(&p, "mypy", "0.991"), DepGroup::Dev);
    assert_eq!(group(&p, "sphinx", "7.1.2"), DepGroup::Dev);
    assert_eq!(group(&p, "black", "23.7"), DepGroup::Dev);
    assert_eq!(group(&p, "anything", "0"), DepGroup::Prod);
    assert!(has(&p, "numpy") && pkg(&p, "numpy", "1.24").line == pkg(&p, "numpy", "1.26").line);
    assert!(warned(&p, "internal-lib: not a registry dependency"));
}

// ---------------------------------------------------------------- robustness

/// The formats of this file (the parsers under test).
const FILE_NAMES: [&str; 12] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "requirements.txt",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "pylock.toml",
    "pyproject.toml",
];

/// Every fixture file, relative to the root.
fn all_fixtures() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("fixture dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let root = root();
    let mut files = Vec::new();
    walk(&root.join("npm"), &mut files);
    walk(&root.join("pypi"), &mut files);
    let mut rels: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(&root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    rels.sort();
    rels
}

#[test]
fn parsers_never_panic_on_bad_input() {
    let mut inputs: Vec<Vec<u8>> =
        vec![
        Vec::new(),
        b"\xff\xfe\x00garbage\x80".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        vec![0u8; 4096],
        "[".repeat(50_000).into_bytes(),
        "{\"a\":".repeat(20_000).into_bytes(),
        "- ".repeat(20_000).into_bytes(),
        "a:\n  ".repeat(5_000).into_bytes(),
        "x".repeat(200_000).into_bytes(),
        format!("a = {}", "[".repeat(50_000)).into_bytes(),
        format!("[[package]]\nname = \"x\"\nversion = {}", "{v=".repeat(20_000)).into_bytes(),
        format!("lockfileVersion: 5\npackages: {}", "{a: ".repeat(20_000)).into_bytes(),
        b"[[package]]\nname = 1\n[[packages]]\nname = \"x\"\nversion = [1]\n".to_vec(),
        b"lockfileVersion: '9.0'\npackages:\n  ? [a]\n  : b\nimporters: 3\n".to_vec(),
        b"{\"packages\": {\"node_modules/x\": {\"version\": 3}, \"\": 1}, \"dependencies\": []}"
            .to_vec(),
        b"-r\n-c\n-r ../../../../../../../../etc/does-not-exist\n\\".to_vec(),
        b"a@1:\n  version\n    dependencies:\n      x\n".to_vec(),
    ];
    // a deterministic pseudo-random byte soup
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut soup = Vec::with_capacity(8192);
    for _ in 0..8192 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let alphabet = b"{}[]\":,\n -=@/#\\'abc019\xff";
        soup.push(alphabet[(seed % alphabet.len() as u64) as usize]);
    }
    inputs.push(soup);
    // every fixture: whole, truncated at many points, with a byte made invalid UTF-8
    for rel in all_fixtures() {
        let bytes = read(&rel);
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            inputs.push(bytes[..cut].to_vec());
        }
        let mut broken = bytes.clone();
        if let Some(b) = broken.get_mut(bytes.len() / 2) {
            *b = 0xC3;
        }
        inputs.push(broken);
        inputs.push(bytes);
    }
    for name in FILE_NAMES {
        let rel = format!("npm/robustness/{name}");
        for bytes in &inputs {
            let result = std::panic::catch_unwind(|| parse_bytes(&rel, bytes));
            assert!(
                result.is_ok(),
                "{name} panicked on {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(80)])
            );
        }
    }
}

#[test]
fn invalid_utf8_is_a_parse_error_with_line() {
    for name in FILE_NAMES {
        let rel = format!("npm/robustness/{name}");
        assert_eq!(err_line(&rel, b"{\n\n\xff"), Some(3), "{name}");
    }
}
