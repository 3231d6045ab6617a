//! Go, crates.io, Maven, RubyGems, Packagist and NuGet parsers against hand-written fixtures in
//! tests/fixtures/lockfiles/{go,cargo,maven,rubygems,packagist,nuget}.

// Helpers outside #[test] functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use secops_deps::lockfile::{
    cargo_lock::CargoLock, composer::ComposerLock, csproj::Csproj, gemfile_lock::GemfileLock,
    go_mod::GoMod, go_sum::GoSum, gradle_lock::GradleLock, nuget_lock::NuGetLock,
    packages_config::PackagesConfig, parser_for, pom::Pom, Input, Parsed, Parser,
};
use secops_deps::{DepGroup, DepsError, Ecosystem, Package};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The root the fixtures are scanned from.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles")
}

/// Parse bytes as the file `rel` under the fixture root with a given parser.
fn parse_bytes(parser: &dyn Parser, rel: &str, bytes: &[u8]) -> Result<Parsed, DepsError> {
    let root = root();
    let path = root.join(rel);
    parser.parse(&Input {
        root: &root,
        path: &path,
        rel_path: rel,
        bytes,
    })
}

/// Parse a fixture with the parser the registry picks for its file name.
fn try_parse(rel: &str) -> Result<Parsed, DepsError> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let parser = parser_for(name).unwrap_or_else(|| panic!("no parser for {name}"));
    let bytes = std::fs::read(root().join(rel)).unwrap();
    parse_bytes(parser, rel, &bytes)
}

fn parse(rel: &str) -> Parsed {
    try_parse(rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The parse result as JSON for snapshots.
fn snap(p: &Parsed) -> Value {
    json!({
        "packages": p.packages,
        "warnings": p.warnings.iter().map(|w| json!({
            "file": w.file, "line": w.line, "message": w.message,
        })).collect::<Vec<_>>(),
    })
}

/// The only package of this name (panics when missing or repeated).
fn pkg<'a>(p: &'a Parsed, name: &str) -> &'a Package {
    let found: Vec<&Package> = p.packages.iter().filter(|x| x.name == name).collect();
    assert_eq!(found.len(), 1, "{name}: {found:?}");
    found[0]
}

fn has(p: &Parsed, name: &str) -> bool {
    p.packages.iter().any(|x| x.name == name)
}

/// The line of a parse error.
fn error_line(rel: &str) -> Option<usize> {
    match try_parse(rel) {
        Err(DepsError::Parse { path, line, .. }) => {
            assert_eq!(path, rel);
            line
        }
        other => panic!("{rel}: expected a parse error, got {other:?}"),
    }
}

fn warned(p: &Parsed, needle: &str) -> bool {
    p.warnings.iter().any(|w| w.message.contains(needle))
}

// ---------------------------------------------------------------- Go

#[test]
fn go_mod_with_replace_exclude_and_indirect() {
    let p = parse("go/service/go.mod");
    insta::assert_json_snapshot!("go_mod_service", snap(&p));
    assert!(p.packages.iter().all(|x| x.ecosystem == Ecosystem::Go
        && x.group == DepGroup::Prod
        && x.file == "go/service/go.mod"));
    let gin = pkg(&p, "github.com/gin-gonic/gin");
    assert_eq!((gin.version.as_str(), gin.line), ("v1.9.1", 8));
    assert_eq!(pkg(&p, "github.com/google/uuid").line, 17);
    // Indirect requirements are kept.
    assert_eq!(pkg(&p, "golang.org/x/crypto").version, "v0.14.0");
    // `a => b v`: every version of logrus goes to the fork, at the replace line.
    assert!(!has(&p, "github.com/sirupsen/logrus"));
    let fork = pkg(&p, "github.com/acme-forks/logrus");
    assert_eq!((fork.version.as_str(), fork.line), ("v1.9.3-patched.1", 25));
    // `a v1 => b v2`.
    let net = pkg(&p, "golang.org/x/net");
    assert_eq!(net.version, "v0.17.1-0.20231010000000-abcdef123456");
    assert_eq!(net.line, 28);
    // Local replacement skipped with a warning; excluded version unpinned.
    assert!(!has(&p, "example.com/acme/shared"));
    assert!(warned(&p, "local directory ../shared"));
    assert!(!pkg(&p, "github.com/pkg/errors").pinned);
    // No stdlib package from `go`/`toolchain`, and go.sum is not consulted for go >= 1.17.
    assert!(!has(&p, "stdlib") && !has(&p, "toolchain"));
    assert!(!has(&p, "github.com/only-in-sum/helper"));
    assert_eq!(p.packages.len(), 9);
}

#[test]
fn go_mod_before_1_17_adds_go_sum_only_modules() {
    let p = parse("go/legacy/go.mod");
    insta::assert_json_snapshot!("go_mod_legacy", snap(&p));
    assert_eq!(pkg(&p, "github.com/gorilla/mux").file, "go/legacy/go.mod");
    let perks = pkg(&p, "github.com/beorn7/perks");
    assert_eq!(
        (perks.file.as_str(), perks.line, perks.group),
        ("go/legacy/go.sum", 1, DepGroup::Prod)
    );
    // The highest version with a full hash wins; /go.mod-only modules were never built.
    let pb = pkg(&p, "github.com/golang/protobuf");
    assert_eq!((pb.version.as_str(), pb.line), ("v1.5.0", 6));
    assert!(!has(&p, "github.com/prometheus/client_model"));
    assert_eq!(pkg(&p, "github.com/prometheus/client_golang").line, 7);
    assert_eq!(p.packages.len(), 5);
}

#[test]
fn go_sum_alone() {
    let p = parse("go/sum-only/go.sum");
    insta::assert_json_snapshot!("go_sum_only", snap(&p));
    assert_eq!(p.packages.len(), 5);
    let testify = pkg(&p, "github.com/stretchr/testify");
    assert_eq!((testify.version.as_str(), testify.line), ("v1.8.4", 7));
    // Only the go.mod hash is listed: still reported, at its own line.
    assert_eq!(pkg(&p, "cloud.google.com/go").line, 1);
    assert_eq!(pkg(&p, "github.com/davecgh/go-spew").line, 2);
}

#[test]
fn go_broken_files() {
    assert_eq!(error_line("go/broken/go.mod"), Some(5));
    assert_eq!(error_line("go/broken-sum/go.sum"), Some(2));
}

// ---------------------------------------------------------------- crates.io

#[test]
fn cargo_lock_v1() {
    let p = parse("cargo/v1/Cargo.lock");
    insta::assert_json_snapshot!("cargo_v1", snap(&p));
    assert!(!has(&p, "legacy-tool"), "the root crate has no source");
    assert_eq!(p.packages.len(), 4);
    let log = pkg(&p, "log");
    assert_eq!((log.version.as_str(), log.line), ("0.4.8", 20));
    assert_eq!(pkg(&p, "cfg-if").line, 2);
    assert!(p.warnings.is_empty());
}

#[test]
fn cargo_lock_v2() {
    let p = parse("cargo/v2/Cargo.lock");
    insta::assert_json_snapshot!("cargo_v2", snap(&p));
    let smallvec: Vec<&str> = p
        .packages
        .iter()
        .filter(|x| x.name == "smallvec")
        .map(|x| x.version.as_str())
        .collect();
    assert_eq!(smallvec, ["0.6.14", "1.6.1"]);
    assert!(!has(&p, "server"));
    assert_eq!(pkg(&p, "tokio").line, 40);
    assert_eq!(pkg(&p, "bytes").line, 4);
}

#[test]
fn cargo_lock_v3() {
    let p = parse("cargo/v3/Cargo.lock");
    insta::assert_json_snapshot!("cargo_v3", snap(&p));
    assert_eq!(pkg(&p, "regex").line, 30);
    // Git sources are kept; workspace/path crates are not.
    let toolkit = pkg(&p, "toolkit");
    assert_eq!((toolkit.version.as_str(), toolkit.line), ("0.9.0", 40));
    assert!(!has(&p, "cli") && !has(&p, "utils"));
    assert_eq!(p.packages.len(), 4);
}

#[test]
fn cargo_lock_v4() {
    let p = parse("cargo/v4/Cargo.lock");
    insta::assert_json_snapshot!("cargo_v4", snap(&p));
    assert_eq!(pkg(&p, "internal-proto").version, "2.1.0");
    assert_eq!(pkg(&p, "openssl").line, 18);
    assert!(!has(&p, "web"));
    assert_eq!(p.packages.len(), 5);
    assert!(p
        .packages
        .iter()
        .all(|x| x.pinned && x.ecosystem == Ecosystem::CratesIo));
}

#[test]
fn cargo_lock_unknown_version_warns() {
    let text =
        "version = 9\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\n";
    let p = parse_bytes(&CargoLock, "Cargo.lock", text.as_bytes()).unwrap();
    assert_eq!(p.packages.len(), 1);
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].line, 1);
}

#[test]
fn cargo_broken() {
    assert!(error_line("cargo/broken/Cargo.lock").is_some_and(|l| l >= 9));
}

// ---------------------------------------------------------------- Maven

#[test]
fn pom_with_local_parent() {
    let p = parse("maven/multi/app/pom.xml");
    insta::assert_json_snapshot!("pom_app_with_parent", snap(&p));
    let app = "maven/multi/app/pom.xml";
    let parent = "maven/multi/pom.xml";
    // Managed in the parent, with the child's override of the property.
    let databind = pkg(&p, "com.fasterxml.jackson.core:jackson-databind");
    assert_eq!(
        (
            databind.version.as_str(),
            databind.file.as_str(),
            databind.line
        ),
        ("2.13.4", parent, 26)
    );
    let log4j = pkg(&p, "org.apache.logging.log4j:log4j-core");
    assert_eq!(
        (log4j.version.as_str(), log4j.file.as_str()),
        ("2.14.1", parent)
    );
    // Inherited dependency, declared in the parent.
    let slf4j = pkg(&p, "org.slf4j:slf4j-api");
    assert_eq!((slf4j.file.as_str(), slf4j.line), (parent, 54));
    // Own property, project.version / groupId / parent.version inherited from the parent.
    let guava = pkg(&p, "com.google.guava:guava");
    assert_eq!(
        (guava.version.as_str(), guava.file.as_str(), guava.line),
        ("31.1-jre", app, 29)
    );
    assert_eq!(pkg(&p, "com.acme:acme-common").version, "2.4.0");
    let testkit = pkg(&p, "com.acme:acme-testkit");
    assert_eq!(
        (testkit.version.as_str(), testkit.group),
        ("2.4.0", DepGroup::Dev)
    );
    // Scopes and optional.
    assert_eq!(
        pkg(&p, "org.junit.jupiter:junit-jupiter").group,
        DepGroup::Dev
    );
    assert_eq!(pkg(&p, "org.mockito:mockito-core").group, DepGroup::Dev);
    assert_eq!(
        pkg(&p, "javax.servlet:javax.servlet-api").group,
        DepGroup::Prod
    );
    assert_eq!(pkg(&p, "com.h2database:h2").group, DepGroup::Optional);
    // Range: lower bound, unpinned.
    let pg = pkg(&p, "org.postgresql:postgresql");
    assert_eq!(
        (pg.version.as_str(), pg.pinned, pg.line),
        ("42.2.0", false, 61)
    );
    assert!(warned(&p, "version range [42.2.0,42.3.0)"));
    // Unresolvable property and missing version: empty and unpinned, with warnings.
    let yaml = pkg(&p, "org.yaml:snakeyaml");
    assert_eq!((yaml.version.as_str(), yaml.pinned), ("", false));
    assert!(warned(&p, "snakeyaml.version"));
    assert!(!pkg(&p, "org.apache.commons:commons-text").pinned);
    // BOM imports and build plugins are not dependencies.
    assert!(!has(&p, "io.netty:netty-bom"));
    assert!(!has(&p, "org.apache.maven.plugins:maven-surefire-plugin"));
    assert_eq!(p.packages.len(), 13);
}

#[test]
fn pom_parent_alone() {
    let p = parse("maven/multi/pom.xml");
    assert_eq!(p.packages.len(), 1, "managed entries are not dependencies");
    let slf4j = pkg(&p, "org.slf4j:slf4j-api");
    assert_eq!((slf4j.version.as_str(), slf4j.line), ("1.7.36", 54));
    assert!(p.warnings.is_empty());
}

#[test]
fn pom_with_remote_parent_ignores_unrelated_local_file() {
    let p = parse("maven/multi/tools/pom.xml");
    insta::assert_json_snapshot!("pom_tools_remote_parent", snap(&p));
    assert!(warned(&p, "not the declared parent"));
    assert!(
        !has(&p, "org.slf4j:slf4j-api"),
        "../pom.xml must not be used"
    );
    let web = pkg(&p, "org.springframework.boot:spring-boot-starter-web");
    assert_eq!((web.version.as_str(), web.pinned), ("", false));
    assert_eq!(pkg(&p, "commons-io:commons-io").version, "2.11.0");
}

#[test]
fn pom_parent_cycle_terminates() {
    let p = parse("maven/cycle/a/pom.xml");
    insta::assert_json_snapshot!("pom_cycle", snap(&p));
    assert_eq!(pkg(&p, "org.apache.commons:commons-text").version, "1.10.0");
    let cc = pkg(&p, "commons-collections:commons-collections");
    assert_eq!(cc.file, "maven/cycle/b/pom.xml");
    assert_eq!(p.packages.len(), 2);
}

#[test]
fn gradle_lockfiles() {
    let p = parse("maven/gradle/gradle.lockfile");
    insta::assert_json_snapshot!("gradle_lockfile", snap(&p));
    assert_eq!(p.packages.len(), 8);
    let junit = pkg(&p, "junit:junit");
    assert_eq!((junit.group, junit.line), (DepGroup::Dev, 8));
    let jsr = pkg(&p, "com.google.code.findbugs:jsr305");
    assert_eq!((jsr.group, jsr.line), (DepGroup::Prod, 7));
    assert_eq!(pkg(&p, "org.mockito:mockito-core").group, DepGroup::Dev);
    assert_eq!(
        pkg(&p, "org.apache.logging.log4j:log4j-core").group,
        DepGroup::Prod
    );

    let b = parse("maven/gradle/buildscript-gradle.lockfile");
    insta::assert_json_snapshot!("gradle_buildscript_lockfile", snap(&b));
    assert_eq!(b.packages.len(), 3);
    let shadow = pkg(&b, "com.github.johnrengelman:shadow");
    assert_eq!((shadow.version.as_str(), shadow.line), ("8.1.1", 4));
}

#[test]
fn maven_broken_files() {
    assert_eq!(error_line("maven/broken/pom.xml"), Some(12));
    assert_eq!(error_line("maven/broken-gradle/gradle.lockfile"), Some(3));
}

// ---------------------------------------------------------------- RubyGems

#[test]
fn gemfile_lock_sections() {
    let p = parse("rubygems/rails-app/Gemfile.lock");
    insta::assert_json_snapshot!("gemfile_lock_rails", snap(&p));
    let noko = pkg(&p, "nokogiri");
    assert_eq!((noko.version.as_str(), noko.line), ("1.15.4", 34));
    let two_factor = pkg(&p, "devise-two-factor");
    assert_eq!((two_factor.version.as_str(), two_factor.line), ("5.0.0", 6));
    assert_eq!(pkg(&p, "rack").line, 39);
    assert!(!has(&p, "billing"), "PATH gems are local code");
    assert!(!has(&p, "ruby") && !has(&p, "bundler"));
    assert_eq!(p.packages.len(), 13);
}

#[test]
fn gems_locked() {
    let p = parse("rubygems/gems-locked/gems.locked");
    insta::assert_json_snapshot!("gems_locked", snap(&p));
    assert_eq!(p.packages.len(), 7);
    assert_eq!(pkg(&p, "rack").version, "3.0.8");
}

#[test]
fn gemfile_lock_broken() {
    assert_eq!(error_line("rubygems/broken/Gemfile.lock"), Some(5));
}

// ---------------------------------------------------------------- Packagist

#[test]
fn composer_lock() {
    let p = parse("packagist/app/composer.lock");
    insta::assert_json_snapshot!("composer_lock", snap(&p));
    // The entry's own line, not guzzle's `require` mention of it.
    assert_eq!(pkg(&p, "guzzlehttp/psr7").line, 47);
    let console = pkg(&p, "symfony/console");
    assert_eq!((console.version.as_str(), console.line), ("5.4.28", 66));
    let phpunit = pkg(&p, "phpunit/phpunit");
    assert_eq!((phpunit.group, phpunit.line), (DepGroup::Dev, 83));
    assert_eq!(pkg(&p, "guzzlehttp/guzzle").group, DepGroup::Prod);
    assert!(!has(&p, "acme/internal-sdk") && !has(&p, "acme/coding-standard"));
    assert_eq!(p.warnings.len(), 2);
    assert_eq!(p.packages.len(), 9);
}

#[test]
fn composer_broken() {
    assert_eq!(error_line("packagist/broken/composer.lock"), Some(9));
}

// ---------------------------------------------------------------- NuGet

#[test]
fn nuget_lock_frameworks() {
    let p = parse("nuget/lock/packages.lock.json");
    insta::assert_json_snapshot!("nuget_lock", snap(&p));
    // Same version under two frameworks: once, at its first place.
    let nj = pkg(&p, "Newtonsoft.Json");
    assert_eq!((nj.version.as_str(), nj.line), ("13.0.1", 5));
    let serilog: Vec<(&str, usize)> = p
        .packages
        .iter()
        .filter(|x| x.name == "Serilog")
        .map(|x| (x.version.as_str(), x.line))
        .collect();
    assert_eq!(serilog, [("3.1.1", 11), ("2.12.0", 50)]);
    assert!(
        !has(&p, "Acme.Orders.Core"),
        "project references are skipped"
    );
    assert_eq!(pkg(&p, "System.Text.Encodings.Web").version, "8.0.0");
    assert!(has(&p, "runtime.linux-x64.Microsoft.DotNet.ILCompiler"));
    assert_eq!(p.packages.len(), 8);
}

#[test]
fn packages_config() {
    let p = parse("nuget/config/packages.config");
    insta::assert_json_snapshot!("packages_config", snap(&p));
    assert_eq!(pkg(&p, "StyleCop.Analyzers").group, DepGroup::Dev);
    let antlr = pkg(&p, "Antlr");
    assert_eq!(
        (antlr.version.as_str(), antlr.group, antlr.line),
        ("3.5.0.2", DepGroup::Prod, 3)
    );
    assert_eq!(pkg(&p, "NUnit").line, 7);
    assert!(!has(&p, "Acme.Legacy.Reporting"));
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.packages.len(), 6);
}

#[test]
fn csproj_without_central_versions() {
    let p = parse("nuget/plain/Api.csproj");
    insta::assert_json_snapshot!("csproj_plain", snap(&p));
    assert_eq!(pkg(&p, "Serilog.AspNetCore").version, "8.0.0");
    let swash = pkg(&p, "Swashbuckle.AspNetCore");
    assert_eq!((swash.version.as_str(), swash.line), ("6.5.0", 12));
    let stj = pkg(&p, "System.Text.Json");
    assert_eq!((stj.version.as_str(), stj.pinned), ("6.0.0", false));
    let dapper = pkg(&p, "Dapper");
    assert_eq!((dapper.version.as_str(), dapper.pinned), ("2.1", false));
    assert_eq!(pkg(&p, "Polly").version, "");
    assert!(warned(&p, "AutoMapper has no version"));
    assert_eq!(pkg(&p, "StyleCop.Analyzers").group, DepGroup::Dev);
    assert_eq!(pkg(&p, "Microsoft.SourceLink.GitHub").group, DepGroup::Dev);
    assert_eq!(pkg(&p, "Newtonsoft.Json").line, 10);
    assert_eq!(p.packages.len(), 10);
}

#[test]
fn csproj_with_central_package_management() {
    let p = parse("nuget/cpm/src/Orders.Api/Orders.Api.csproj");
    insta::assert_json_snapshot!("csproj_cpm", snap(&p));
    let props = "nuget/cpm/Directory.Packages.props";
    let jwt = pkg(&p, "Microsoft.AspNetCore.Authentication.JwtBearer");
    assert_eq!(
        (jwt.version.as_str(), jwt.file.as_str(), jwt.line),
        ("8.0.0", props, 7)
    );
    // VersionOverride beats the central 13.0.3; the name is matched case-insensitively.
    let nj = pkg(&p, "newtonsoft.json");
    assert_eq!(
        (nj.version.as_str(), nj.file.as_str(), nj.line),
        ("13.0.1", "nuget/cpm/src/Orders.Api/Orders.Api.csproj", 7)
    );
    let azure = pkg(&p, "Azure.Identity");
    assert_eq!((azure.version.as_str(), azure.pinned), ("1.10.0", false));
    assert!(warned(&p, "Serilog has no version here nor in"));
    let xunit = pkg(&p, "xunit");
    assert_eq!((xunit.group, xunit.file.as_str()), (DepGroup::Dev, props));
    let nbgv = pkg(&p, "Nerdbank.GitVersioning");
    assert_eq!((nbgv.group, nbgv.line), (DepGroup::Dev, 13));
    assert_eq!(p.packages.len(), 6);
}

#[test]
fn nuget_broken_files() {
    assert_eq!(error_line("nuget/broken/packages.lock.json"), Some(8));
    assert_eq!(error_line("nuget/broken-config/packages.config"), Some(5));
    assert!(error_line("nuget/broken-csproj/Worker.csproj").is_some_and(|l| l >= 7));
}

// ---------------------------------------------------------------- robustness

/// Every parser of this family.
fn parsers() -> [&'static dyn Parser; 10] {
    [
        &GoMod,
        &GoSum,
        &CargoLock,
        &Pom,
        &GradleLock,
        &GemfileLock,
        &ComposerLock,
        &NuGetLock,
        &PackagesConfig,
        &Csproj,
    ]
}

/// Every fixture file, relative to the root.
fn fixture_files() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    for eco in ["go", "cargo", "maven", "rubygems", "packagist", "nuget"] {
        walk(&root().join(eco), &root(), &mut out);
    }
    out.sort();
    out
}

/// A result that is fine for hostile input: parsed, or a parse/IO error naming the file.
fn check(parser: &dyn Parser, rel: &str, bytes: &[u8]) {
    match parse_bytes(parser, rel, bytes) {
        Ok(_) | Err(DepsError::Io { .. }) => {}
        Err(DepsError::Parse { path, .. }) => assert_eq!(path, rel),
        Err(e) => panic!("{}: unexpected error {e}", parser.format()),
    }
}

#[test]
fn hostile_input_never_panics() {
    let files = fixture_files();
    assert!(files.len() >= 30, "{files:?}");
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as u8
    };
    for rel in &files {
        let bytes = std::fs::read(root().join(rel)).unwrap();
        for parser in parsers() {
            // Truncations (every few bytes for the file's own parser), as this very file.
            let own = parser.matches(rel.rsplit('/').next().unwrap());
            let step = if own { 3 } else { (bytes.len() / 40).max(1) };
            for cut in (0..bytes.len()).step_by(step) {
                check(parser, rel, &bytes[..cut]);
            }
            // Invalid UTF-8 in the middle is a parse error with a line.
            let mut bad = bytes.clone();
            bad.insert(bad.len() / 2, 0xff);
            match parse_bytes(parser, rel, &bad) {
                Err(DepsError::Parse { line: Some(_), .. }) => {}
                other => panic!("{} on {rel}: {other:?}", parser.format()),
            }
            // Random byte flips.
            for _ in 0..8 {
                let mut flipped = bytes.clone();
                for _ in 0..4 {
                    if !flipped.is_empty() {
                        let at = (usize::from(next()) * 257 + usize::from(next())) % flipped.len();
                        flipped[at] = next();
                    }
                }
                check(parser, rel, &flipped);
            }
        }
    }
    let deep_xml = "<project>".repeat(100_000);
    let deep_json = "[".repeat(100_000);
    let deep_toml = format!("a = {}", "[".repeat(100_000));
    let garbage: Vec<u8> = (0..20_000).map(|_| next()).collect();
    let samples: [&[u8]; 9] = [
        b"",
        b"\xEF\xBB\xBF",
        b"\0\0\0\0",
        deep_xml.as_bytes(),
        deep_json.as_bytes(),
        deep_toml.as_bytes(),
        &garbage,
        b"require (\n)\n)\n(",
        b"GEM\n  specs:\n    (\n    a ()\n",
    ];
    for parser in parsers() {
        for s in samples {
            check(parser, "x/hostile", s);
        }
    }
}

#[test]
fn registry_routes_these_file_names() {
    let cases = [
        ("go.mod", "go.mod"),
        ("go.sum", "go.sum"),
        ("Cargo.lock", "Cargo.lock"),
        ("pom.xml", "pom.xml"),
        ("gradle.lockfile", "gradle.lockfile"),
        ("buildscript-gradle.lockfile", "gradle.lockfile"),
        ("Gemfile.lock", "Gemfile.lock"),
        ("gems.locked", "Gemfile.lock"),
        ("composer.lock", "composer.lock"),
        ("packages.lock.json", "packages.lock.json"),
        ("packages.config", "packages.config"),
        ("Orders.Api.csproj", "*.csproj"),
    ];
    for (name, format) in cases {
        assert_eq!(parser_for(name).map(|p| p.format()), Some(format), "{name}");
    }
}
