//! Version ordering per ecosystem: table-driven pairs for every scheme, ordered lists whose
//! every pair is checked, and a generated-input consistency check.

use secops_deps::version::{compare, Version};
use secops_deps::Ecosystem;
use std::cmp::Ordering::{self, Equal, Greater, Less};

type Case = (&'static str, Ordering, &'static str);

/// Check every case both ways, through `compare` and through parsed `Version`s.
fn check_cases(eco: Ecosystem, cases: &[Case]) {
    let mut failures = Vec::new();
    for &(a, want, b) in cases {
        let got = compare(eco, a, b);
        let back = compare(eco, b, a);
        let (va, vb) = (Version::parse(eco, a), Version::parse(eco, b));
        if got != want
            || back != want.reverse()
            || va.cmp(&vb) != want
            || (va == vb) != (want == Equal)
        {
            failures.push(format!(
                "{eco}: {a:?} vs {b:?}: want {want:?}, got {got:?} (reverse {back:?})"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Check a list of groups given in ascending order (versions within a group are equal): every
/// pair of versions must compare as their groups do, and sorting a shuffled copy must give
/// back the group order. This checks antisymmetry and transitivity on the list.
fn check_order(eco: Ecosystem, groups: &[&[&str]]) {
    let mut all: Vec<(usize, Version)> = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for s in group.iter() {
            all.push((g, Version::parse(eco, s)));
        }
    }
    let mut failures = Vec::new();
    for (gi, x) in &all {
        for (gj, y) in &all {
            let want = gi.cmp(gj);
            if x.cmp(y) != want || compare(eco, x.as_str(), y.as_str()) != want {
                failures.push(format!(
                    "{eco}: {:?} vs {:?}: want {want:?}, got {:?}",
                    x.as_str(),
                    y.as_str(),
                    x.cmp(y)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Deterministic shuffle (odd positions reversed after even ones), then sort.
    let (mut even, odd): (Vec<_>, Vec<_>) =
        all.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    even.extend(odd.into_iter().rev());
    let mut shuffled: Vec<(usize, Version)> = even.into_iter().map(|(_, v)| v).collect();
    shuffled.sort_by(|a, b| a.1.cmp(&b.1));
    let order: Vec<usize> = shuffled.iter().map(|(g, _)| *g).collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "{eco}: sorted groups {order:?}"
    );
}

/// SemVer-like cases, valid for npm, crates.io and Go alike.
const SEMVER: &[Case] = &[
    ("1.0.0-alpha", Less, "1.0.0"),
    ("1.0.0-alpha", Less, "1.0.0-alpha.1"),
    ("1.0.0-alpha.1", Less, "1.0.0-alpha.beta"),
    ("1.0.0-alpha.beta", Less, "1.0.0-beta"),
    ("1.0.0-beta", Less, "1.0.0-beta.2"),
    ("1.0.0-beta.2", Less, "1.0.0-beta.11"),
    ("1.0.0-beta.11", Less, "1.0.0-rc.1"),
    ("1.0.0-rc.1", Less, "1.0.0"),
    ("1.0.0-1", Less, "1.0.0-a"),
    ("1.0.0-alpha-1", Less, "1.0.0-alpha-2"),
    ("1.0.0-Beta", Less, "1.0.0-beta"),
    ("1.0.0-0123", Equal, "1.0.0-123"),
    ("1.0.0", Equal, "v1.0.0"),
    ("=1.0.0", Equal, "1.0.0"),
    ("=v1.0.0", Equal, "V1.0.0"),
    ("  1.0.0\n", Equal, "1.0.0"),
    ("1", Equal, "1.0.0"),
    ("1.2", Equal, "1.2.0"),
    ("1.0.0+build.1", Equal, "1.0.0+build.2"),
    ("1.0.0-rc.1+a", Equal, "1.0.0-rc.1"),
    ("1.0.0rc1", Equal, "1.0.0-rc1"),
    ("1.9.0", Less, "1.10.0"),
    ("2.0.0", Greater, "1.99.99"),
    ("0.0.1", Greater, "0.0.0"),
    (
        "1.0.99999999999999999999999",
        Greater,
        "1.0.18446744073709551615",
    ),
    (
        "100000000000000000000.0.0",
        Greater,
        "99999999999999999999.0.0",
    ),
    (
        "18446744073709551616.0.0",
        Greater,
        "18446744073709551615.0.0",
    ),
    (
        "0018446744073709551616.0.0",
        Equal,
        "18446744073709551616.0.0",
    ),
    (
        "1.0.0-99999999999999999999999",
        Greater,
        "1.0.0-18446744073709551616",
    ),
    ("1.0.0-99999999999999999999999", Less, "1.0.0-a"),
    ("1.2.3.4", Less, "1.2.3"),
    ("1.2.3.4", Equal, "1.2.3-4"),
    ("1.2.3.4", Greater, "1.2.3-1"),
    ("1.2.3.4", Less, "1.2.3-alpha"),
    ("1.2.3.4-beta", Equal, "1.2.3-4.beta"),
    ("not-a-version", Greater, "999.0.0"),
    ("abc", Less, "abd"),
    ("", Greater, "0.0.0"),
    ("1.0.0-", Greater, "2.0.0"),
    ("1.0.0+", Greater, "2.0.0"),
    ("1.0.0-a..b", Greater, "2.0.0"),
    ("1..0", Greater, "2.0.0"),
    ("1.0.x", Greater, "2.0.0"),
    ("v", Greater, "2.0.0"),
];

/// Go specifics: pseudo-versions and `+incompatible`.
const GO: &[Case] = &[
    (
        "v0.0.0-20190101000000-abcdef123456",
        Less,
        "v0.0.0-20200101000000-000000000000",
    ),
    ("v0.0.0-20190101000000-abcdef123456", Less, "v0.0.1"),
    ("v0.0.0-20190101000000-abcdef123456", Greater, "v0.0.0-1"),
    ("v1.2.4-0.20190101000000-abcdef123456", Greater, "v1.2.3"),
    ("v1.2.4-0.20190101000000-abcdef123456", Less, "v1.2.4-rc.1"),
    ("v1.2.4-0.20190101000000-abcdef123456", Less, "v1.2.4"),
    (
        "v1.2.3-pre.0.20200101000000-abcdef123456",
        Greater,
        "v1.2.3-pre",
    ),
    (
        "v1.2.3-pre.0.20200101000000-abcdef123456",
        Less,
        "v1.2.3-pre.1",
    ),
    ("v2.0.0+incompatible", Equal, "v2.0.0"),
    ("v2.0.0+incompatible", Greater, "v1.9.9"),
    ("v2.0.1+incompatible", Greater, "v2.0.0+incompatible"),
    ("v1.21.0", Greater, "1.20.99"),
];

#[test]
fn semver_like_cases() {
    for eco in [Ecosystem::Npm, Ecosystem::CratesIo, Ecosystem::Go] {
        check_cases(eco, SEMVER);
    }
    check_cases(Ecosystem::Go, GO);
}

#[test]
fn semver_like_order() {
    let groups: &[&[&str]] = &[
        &["0.0.0-0"],
        &["0.0.0-alpha"],
        &["0.0.0", "0", "v0.0"],
        &["0.0.1"],
        &["0.1.0-rc.1"],
        &["0.1.0"],
        &["1.0.0-0"],
        &["1.0.0-1", "1.0.0-01"],
        &["1.0.0-2"],
        &["1.0.0-10"],
        &["1.0.0-99999999999999999999"],
        &["1.0.0-a"],
        &["1.0.0-alpha"],
        &["1.0.0-alpha.1"],
        &["1.0.0-alpha.1.1"],
        &["1.0.0-alpha.2"],
        &["1.0.0-alpha.beta"],
        &["1.0.0-beta"],
        &["1.0.0-beta.2"],
        &["1.0.0-beta.11"],
        &["1.0.0-rc.1", "v1.0.0-rc.1", "1.0.0-rc.1+build"],
        &["1.0.0", "1", "1.0", "v1.0.0", "=1.0.0", "1.0.0+build.5"],
        &["1.0.1-alpha"],
        &["1.0.1"],
        &["1.0.2"],
        &["1.0.10"],
        &["1.1.0"],
        &["1.2.3-1"],
        &["1.2.3.4", "1.2.3-4"],
        &["1.2.3-alpha"],
        &["1.2.3"],
        &["2.0.0-0.20200101000000-abcdef123456"],
        &["2.0.0", "v2.0.0+incompatible"],
        &["10.0.0"],
        &["18446744073709551615.0.0"],
        &["18446744073709551616.0.0"],
        &["99999999999999999999999.0.0"],
        &[""],
        &["1.0.0-"],
        &["abc"],
        &["latest"],
    ];
    for eco in [Ecosystem::Npm, Ecosystem::CratesIo, Ecosystem::Go] {
        check_order(eco, groups);
    }
}

const PYPI: &[Case] = &[
    ("1.0", Equal, "1.0.0"),
    ("1.0.0.0.0", Equal, "1"),
    ("1.0.dev0", Less, "1.0a0"),
    ("1.0a1", Less, "1.0a2"),
    ("1.0a2", Less, "1.0a10"),
    ("1.0a2", Less, "1.0b1"),
    ("1.0b1", Less, "1.0rc1"),
    ("1.0rc1", Less, "1.0"),
    ("1.0", Less, "1.0.post1"),
    ("1.0.post1.dev1", Greater, "1.0"),
    ("1.0.post1.dev1", Less, "1.0.post1"),
    ("1.0a1.dev1", Less, "1.0a1"),
    ("1.0a1.dev1", Greater, "1.0.dev1"),
    ("1.0b2.post345.dev456", Less, "1.0b2.post345"),
    ("1.0b2.post345", Greater, "1.0b2"),
    ("1.0b2.post345", Less, "1.0rc1"),
    ("1.0.post1", Less, "1.1.dev1"),
    ("1.0-alpha-1", Equal, "1.0a1"),
    ("1.0alpha", Equal, "1.0a0"),
    ("1.0.beta.2", Equal, "1.0b2"),
    ("1.0c1", Equal, "1.0rc1"),
    ("1.0pre1", Equal, "1.0rc1"),
    ("1.0-preview_1", Equal, "1.0rc1"),
    ("1.0-1", Equal, "1.0.post1"),
    ("1.0rev1", Equal, "1.0.post1"),
    ("1.0r", Equal, "1.0.post0"),
    ("1.0_post_2", Equal, "1.0.post2"),
    ("1.0b2-346", Equal, "1.0b2.post346"),
    ("1.0.DEV", Equal, "1.0.dev0"),
    ("1.0.0.dev0", Equal, "1.0.dev0"),
    ("V1.0RC1", Equal, "1.0rc1"),
    (" v2.0 ", Equal, "2.0"),
    ("1!0.1", Greater, "2.0"),
    ("0!2.0", Equal, "2.0"),
    ("1.0+local", Greater, "1.0"),
    ("1.0.post1", Greater, "1.0+local"),
    ("1.0+abc.1", Less, "1.0+abc.2"),
    ("1.0+abc", Less, "1.0+abc.1"),
    ("1.0+1", Greater, "1.0+abc"),
    ("1.0+abc.1", Greater, "1.0+abc.z"),
    ("1.0+10", Greater, "1.0+9"),
    ("1.0+010", Equal, "1.0+10"),
    ("1.0+ubuntu-1", Equal, "1.0+ubuntu.1"),
    ("1.0+ABC", Equal, "1.0+abc"),
    ("1.1", Greater, "1.0.99999999999999999999999999"),
    (
        "1.0.99999999999999999999999999",
        Greater,
        "1.0.18446744073709551616",
    ),
    (
        "1.0a99999999999999999999",
        Greater,
        "1.0a18446744073709551615",
    ),
    ("1.0-foo", Greater, "9999"),
    ("1.0a1b1", Greater, "9999"),
    ("1.0+", Greater, "9999"),
    ("1.0+a..b", Greater, "9999"),
    ("1.0_1", Greater, "9999"),
    ("", Greater, "0"),
    ("not a version", Greater, "1.0"),
    ("alpha", Less, "beta"),
];

#[test]
fn pypi_cases() {
    check_cases(Ecosystem::PyPI, PYPI);
}

#[test]
fn pypi_order() {
    check_order(
        Ecosystem::PyPI,
        &[
            &["0.9"],
            &["1.0.dev0", "1.0.dev", "1.0-dev0"],
            &["1.0.dev1"],
            &["1.0.dev10"],
            &["1.0a0.dev0"],
            &["1.0a0", "1.0a", "1.0alpha"],
            &["1.0a1.dev1"],
            &["1.0a1"],
            &["1.0a1.post1.dev1"],
            &["1.0a1.post1"],
            &["1.0a2"],
            &["1.0b1"],
            &["1.0b2"],
            &["1.0rc1.dev2"],
            &["1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0-RC-1"],
            &["1.0rc2"],
            &["1.0", "1.0.0", "1", "v1.0", "0!1.0"],
            &["1.0+abc"],
            &["1.0+abc.1", "1.0+ABC-1"],
            &["1.0+abc.2"],
            &["1.0+1"],
            &["1.0+2.abc"],
            &["1.0.post0.dev0"],
            &["1.0.post0", "1.0.post", "1.0-r"],
            &["1.0.post1.dev1"],
            &["1.0.post1", "1.0-1", "1.0rev1"],
            &["1.0.post1+local"],
            &["1.0.post2"],
            &["1.0.0.1.dev0"],
            &["1.0.0.1"],
            &["1.1.dev0"],
            &["1.1"],
            &["1.10"],
            &["2.0"],
            &["18446744073709551616.0"],
            &["1!0.0"],
            &["1!1.0"],
            &["2!0.0.dev0"],
            &[""],
            &["1.0-foo"],
            &["latest"],
        ],
    );
}

const MAVEN: &[Case] = &[
    ("1.0", Equal, "1.0.0"),
    ("1", Equal, "1.0.0"),
    ("1-ga", Equal, "1.0"),
    ("1.0.FINAL", Equal, "1"),
    ("1.0-release", Equal, "1"),
    ("1.2.3.Final", Equal, "1.2.3"),
    ("1.0.0-SNAPSHOT", Equal, "1-snapshot"),
    ("1-alpha", Less, "1-beta"),
    ("1-beta", Less, "1-milestone"),
    ("1-milestone", Less, "1-rc"),
    ("1-rc", Equal, "1-cr"),
    ("1-rc", Less, "1-snapshot"),
    ("1-snapshot", Less, "1"),
    ("1", Less, "1-sp"),
    ("1-sp", Less, "1-foo"),
    ("1-abc", Less, "1-abd"),
    ("1-ABC", Equal, "1-abc"),
    ("1-a1", Equal, "1-alpha-1"),
    ("1-b2", Equal, "1-beta-2"),
    ("1-m3", Equal, "1-milestone-3"),
    ("1.0alpha1", Equal, "1.0-alpha-1"),
    ("1.0-RC1", Equal, "1.0-cr-1"),
    ("1-a", Greater, "1"),
    ("1-1", Less, "1.1"),
    ("1-1", Greater, "1"),
    ("1-sp", Less, "1-1"),
    ("1.0-alpha", Less, "1.0"),
    ("1.0.alpha", Less, "1"),
    ("1.0.alpha", Equal, "1-alpha"),
    ("1.sp", Greater, "1"),
    ("1.foo", Equal, "1-foo"),
    ("1.0.SP1", Equal, "1.0-SP1"),
    ("1-0.1", Greater, "1"),
    ("1-1-1", Less, "1-1.1"),
    ("1.sp.1", Greater, "1-alpha"),
    ("1.0-SNAPSHOT", Greater, "1.0-RC1"),
    ("1.0-SNAPSHOT", Less, "1.0.1-SNAPSHOT"),
    ("1.0.1", Greater, "1.0-sp1"),
    ("2.0-SP1", Greater, "2.0"),
    ("1.10", Greater, "1.9"),
    ("1-foo2", Less, "1-foo10"),
    ("1.2.3-beta-1", Less, "1.2.3-beta-2"),
    ("5.1.0.GA", Less, "5.1.1.Beta1"),
    ("3.2.1.SP1", Greater, "3.2.1.Final"),
    ("31.1-android", Less, "31.1-jre"),
    ("32.0.0-jre", Greater, "31.1-jre"),
    ("1.0.0.0.0.0.1", Greater, "1"),
    (
        "1.99999999999999999999999",
        Greater,
        "1.18446744073709551616",
    ),
    ("1.0099", Equal, "1.99"),
    ("", Greater, "1"),
    ("1 0", Greater, "99"),
    ("a b", Less, "b a"),
];

#[test]
fn maven_cases() {
    check_cases(Ecosystem::Maven, MAVEN);
}

#[test]
fn maven_order() {
    check_order(
        Ecosystem::Maven,
        &[
            &["0.9"],
            &["1-alpha", "1.0-ALPHA", "1.0.alpha", "1.alpha"],
            &["1-alpha-1", "1-a1", "1.0alpha1"],
            &["1-alpha-2"],
            &["1-alpha-10"],
            &["1-beta-1", "1-b1"],
            &["1-milestone-1", "1-m1"],
            &["1-rc-1", "1-RC1", "1-cr1"],
            &["1-rc-2"],
            &["1-snapshot", "1.0-SNAPSHOT", "1.0.0-snapshot"],
            &[
                "1",
                "1.0",
                "1.0.0",
                "1-ga",
                "1.GA",
                "1.0.final",
                "1-release",
                "1-",
                "1.",
            ],
            &["1-sp", "1.0-sp", "1.sp", "1.0.SP"],
            &["1-sp-1", "1.0.sp1", "1.0-SP1"],
            &["1-sp.1"],
            &["1-abc"],
            &["1-foo"],
            &["1-foo2"],
            &["1-foo10"],
            &["1-0.1"],
            &["1-1", "1-01"],
            &["1-1.1"],
            &["1-2"],
            &["1.0.0.1-SNAPSHOT"],
            &["1.0.0.1"],
            &["1.0.1-alpha"],
            &["1.0.1-SNAPSHOT"],
            &["1.0.1"],
            &["1.1-beta"],
            &["1.1"],
            &["1.1.1"],
            &["1.9"],
            &["1.10"],
            &["2"],
            &["18446744073709551616"],
            &["99999999999999999999999"],
            &[""],
            &["1 0"],
        ],
    );
}

const RUBYGEMS: &[Case] = &[
    ("1.0", Equal, "1"),
    ("1.0.0", Equal, "1"),
    ("0.0.0", Equal, "0"),
    ("1.0.a", Less, "1.0"),
    ("1.0.0.rc1", Less, "1.0.0"),
    ("1.0.0.rc1", Greater, "1.0.0.beta2"),
    ("1.0.a", Equal, "1.a"),
    ("1.0.0a", Equal, "1.0.0.a"),
    ("1.0.0.rc.1", Equal, "1.0.0.rc1"),
    ("1.0.0.a.0", Equal, "1.0.0.a"),
    ("1.0.0-rc1", Less, "1.0.0"),
    ("1.0.0-rc1", Less, "1.0.0.rc1"),
    ("1.0.0-rc1", Equal, "1.0.0.pre.rc1"),
    ("1.10", Greater, "1.9"),
    ("2", Greater, "1.99.99"),
    ("1.a.1", Less, "1.a.2"),
    ("1.a", Less, "1.b"),
    ("1.A", Less, "1.a"),
    ("1.0.0.beta.10", Greater, "1.0.0.beta.9"),
    ("1.0.0.a10", Greater, "1.0.0.a9"),
    ("1.a", Less, "1.0.1"),
    ("1.0.1.a", Greater, "1.0.0"),
    ("1.0.0.a1", Less, "1.0.0.a1.1"),
    (
        "1.99999999999999999999999",
        Greater,
        "1.18446744073709551616",
    ),
    ("1.0099", Equal, "1.99"),
    (" 1.0 ", Equal, "1"),
    ("v1.0", Greater, "99"),
    ("", Greater, "0"),
    ("1..0", Greater, "99"),
    ("1.0-", Greater, "99"),
    ("1_0", Greater, "99"),
    ("a.1", Greater, "99"),
];

#[test]
fn rubygems_cases() {
    check_cases(Ecosystem::RubyGems, RUBYGEMS);
}

#[test]
fn rubygems_order() {
    check_order(
        Ecosystem::RubyGems,
        &[
            &["0.1"],
            &["0.9.9"],
            &["1.0.0.a", "1.a", "1.0a"],
            &["1.0.0.a1"],
            &["1.0.0.a1.1"],
            &["1.0.0.a2"],
            &["1.0.0.a10"],
            &["1.0.0.alpha"],
            &["1.0.0.b"],
            &["1.0.0.beta"],
            &["1.0.0.beta.1", "1.0.0.beta1"],
            &["1.0.0.beta.2"],
            &["1.0.0-pre"],
            &["1.0.0-rc1", "1.0.0.pre.rc1"],
            &["1.0.0.pre"],
            &["1.0.0.rc1", "1.0.0.rc.1"],
            &["1.0.0.rc2"],
            &["1", "1.0", "1.0.0", "1.0.0.0"],
            &["1.0.0.1.a"],
            &["1.0.0.1"],
            &["1.0.1.pre"],
            &["1.0.1"],
            &["1.0.2"],
            &["1.0.10"],
            &["1.1.a"],
            &["1.1"],
            &["1.9"],
            &["1.10"],
            &["2.0.0.b"],
            &["2"],
            &["2.0.1"],
            &["10"],
            &["18446744073709551615"],
            &["18446744073709551616"],
            &["99999999999999999999999"],
            &[""],
            &["1_0"],
            &["v1.0"],
        ],
    );
}

const NUGET: &[Case] = &[
    ("1.0", Equal, "1.0.0.0"),
    ("1", Equal, "1.0.0"),
    ("v1.0", Equal, "1.0"),
    ("1.0.0.1", Greater, "1.0.0"),
    ("1.2.3.4", Less, "1.2.3.5"),
    ("1.2.3.4-beta", Less, "1.2.3.4"),
    ("10.0.0", Greater, "9.0.0.9"),
    ("1.0.0-RC1", Equal, "1.0.0-rc1"),
    ("1.0.0-Beta", Equal, "1.0.0-beta"),
    ("1.0.0-alpha", Less, "1.0.0-Beta"),
    ("1.0.0-ALPHA.2", Less, "1.0.0-alpha.10"),
    ("1.0.0-alpha", Less, "1.0.0"),
    ("1.0.0-beta", Less, "1.0.0-beta.1"),
    ("1.0.0-1", Less, "1.0.0-a"),
    ("1.0.0-2", Less, "1.0.0-10"),
    ("1.0.0-rc.1", Greater, "1.0.0-beta.11"),
    ("1.0.0+meta", Equal, "1.0.0"),
    ("1.0.0-beta+meta", Equal, "1.0.0-BETA"),
    ("1.0.0.0-beta", Equal, "1.0-beta"),
    (
        "1.0.99999999999999999999999",
        Greater,
        "1.0.18446744073709551616",
    ),
    (
        "1.0.0-99999999999999999999999",
        Greater,
        "1.0.0-18446744073709551616",
    ),
    ("1.0.0.0.0", Greater, "9.9.9.9"),
    ("1.0.0-", Greater, "9.9.9.9"),
    ("1.0.0-a_b", Greater, "9.9.9.9"),
    ("1.0.0+", Greater, "9.9.9.9"),
    ("", Greater, "0"),
    ("1.0-beta..1", Greater, "9.9"),
    ("x.y", Less, "y.x"),
];

#[test]
fn nuget_cases() {
    check_cases(Ecosystem::NuGet, NUGET);
}

#[test]
fn nuget_order() {
    check_order(
        Ecosystem::NuGet,
        &[
            &["0.0.0.1"],
            &["0.1"],
            &["1.0.0-0"],
            &["1.0.0-1"],
            &["1.0.0-2"],
            &["1.0.0-10"],
            &["1.0.0-a"],
            &["1.0.0-alpha", "1.0.0-ALPHA", "1.0-alpha+build"],
            &["1.0.0-alpha.1"],
            &["1.0.0-alpha.1.1"],
            &["1.0.0-Alpha.2"],
            &["1.0.0-alpha.beta"],
            &["1.0.0-Beta"],
            &["1.0.0-beta.2"],
            &["1.0.0-BETA.11"],
            &["1.0.0-pre-release"],
            &["1.0.0-rc.1", "1.0.0-RC.1"],
            &["1.0.0-rc1"],
            &["1.0.0", "1", "1.0", "1.0.0.0", "v1.0.0", "1.0.0+abc"],
            &["1.0.0.1-beta"],
            &["1.0.0.1"],
            &["1.0.0.2"],
            &["1.0.0.10"],
            &["1.0.1"],
            &["1.1"],
            &["1.1.0.1"],
            &["1.10"],
            &["2.0.0-preview1"],
            &["2.0.0"],
            &["10.0"],
            &["18446744073709551615.0"],
            &["18446744073709551616.0"],
            &["99999999999999999999999"],
            &[""],
            &["1.0.0-a_b"],
            &["1.0.0.0.0"],
            &["latest"],
        ],
    );
}

const PACKAGIST: &[Case] = &[
    ("1.0", Equal, "1.0.0.0"),
    ("v1.0.0", Equal, "1.0.0"),
    ("1.0.0-dev", Less, "1.0.0-alpha1"),
    ("1.0.0-dev", Less, "1.0.0-alpha"),
    ("1.0.0-alpha1", Less, "1.0.0-beta1"),
    ("1.0.0-beta1", Less, "1.0.0-RC1"),
    ("1.0.0-RC1", Less, "1.0.0"),
    ("1.0.0", Less, "1.0.0-patch1"),
    ("1.0.0-pl1", Equal, "1.0.0-patch1"),
    ("1.0.0-p1", Equal, "1.0.0-patch1"),
    ("1.0.0-a1", Equal, "1.0.0-alpha1"),
    ("1.0.0-alpha", Equal, "1.0.0-a"),
    ("1.0.0-b2", Equal, "1.0.0-beta.2"),
    ("1.0.0-rc1", Equal, "1.0.0-RC1"),
    ("1.0.0beta1", Equal, "1.0.0-beta1"),
    ("1.0.0.beta1", Equal, "1.0.0_beta1"),
    ("1.0.0-beta2", Greater, "1.0.0-beta"),
    ("1.0.0-beta2-dev", Less, "1.0.0-beta2"),
    ("1.0.0-beta2-dev", Greater, "1.0.0-beta1"),
    ("1.0.0-beta.1.2", Greater, "1.0.0-beta.1"),
    ("1.0.0-RC10", Greater, "1.0.0-RC9"),
    ("1.0.0-stable", Equal, "1.0.0"),
    ("1.0.0-patch1", Less, "1.0.1-dev"),
    ("1.0-dev", Equal, "1.0.0.0-dev"),
    ("1.0.0+build", Equal, "1.0.0"),
    ("1.10.0", Greater, "1.9.9"),
    ("dev-master", Less, "0.0.1"),
    ("dev-feature", Less, "dev-master"),
    ("master", Equal, "dev-master"),
    ("1.x-dev", Greater, "1.99.0"),
    ("1.x-dev", Less, "2.0.0-dev"),
    (
        "1.0.0.99999999999999999999",
        Greater,
        "1.0.0.18446744073709551616",
    ),
    (
        "1.0.0-beta99999999999999999999",
        Greater,
        "1.0.0-beta18446744073709551616",
    ),
    ("1.0.0-foo", Greater, "99"),
    ("1.0.x", Greater, "99"),
    ("1.0.0-1", Greater, "99"),
    ("", Greater, "0"),
    ("dev-", Greater, "99"),
];

#[test]
fn packagist_cases() {
    check_cases(Ecosystem::Packagist, PACKAGIST);
}

#[test]
fn packagist_order() {
    check_order(
        Ecosystem::Packagist,
        &[
            &["dev-bugfix"],
            &["dev-main"],
            &["dev-master", "master"],
            &["0.1"],
            &["1.0.0-dev", "1.0-dev", "v1.0.0.0-dev"],
            &["1.0.0-alpha", "1.0.0-a"],
            &["1.0.0-alpha1-dev"],
            &["1.0.0-alpha1", "1.0.0-a1", "1.0.0alpha1"],
            &["1.0.0-alpha2"],
            &["1.0.0-beta"],
            &["1.0.0-beta1-dev"],
            &["1.0.0-beta1", "1.0.0-BETA.1"],
            &["1.0.0-beta1.1"],
            &["1.0.0-beta2"],
            &["1.0.0-beta10"],
            &["1.0.0-RC1", "1.0.0-rc1", "1.0.0.RC.1"],
            &["1.0.0-RC2"],
            &[
                "1.0.0",
                "1.0",
                "1",
                "v1.0.0",
                "1.0.0.0",
                "1.0.0-stable",
                "1.0.0+build.7",
            ],
            &["1.0.0-patch1", "1.0.0-pl1", "1.0.0-p1"],
            &["1.0.0-patch2"],
            &["1.0.0.1"],
            &["1.0.1-dev"],
            &["1.0.1"],
            &["1.0.10"],
            &["1.1.0-beta"],
            &["1.1"],
            &["1.10"],
            &["1.x-dev", "1.x.x.x-dev", "1.*-dev"],
            &["2.0.0-dev"],
            &["2.0.0"],
            &["20230101"],
            &["18446744073709551616"],
            &["99999999999999999999999"],
            &[""],
            &["1.0.0-foo"],
            &["1.0.x"],
            &["latest"],
        ],
    );
}

/// Texts built from version-like pieces: every ecosystem must order them consistently (no
/// panics, antisymmetric, transitive), whatever they parse to.
#[test]
fn generated_inputs_are_ordered_consistently() {
    const PIECES: [&str; 30] = [
        "0",
        "1",
        "2",
        "10",
        "00",
        "99999999999999999999",
        ".",
        ".",
        "-",
        "-",
        "+",
        "_",
        "a",
        "b",
        "m",
        "rc",
        "sp",
        "ga",
        "alpha",
        "snapshot",
        "final",
        "dev",
        "post",
        "pre",
        "pl",
        "x",
        "v",
        "!",
        "RC",
        "é",
    ];
    // A small linear congruential generator: deterministic and dependency-free.
    let mut state: u64 = 0x5eed;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    };
    let texts: Vec<String> = (0..300)
        .map(|_| {
            let len = 1 + next(7);
            (0..len).map(|_| PIECES[next(PIECES.len())]).collect()
        })
        .collect();
    for eco in Ecosystem::ALL {
        let mut vs: Vec<Version> = texts.iter().map(|t| Version::parse(eco, t)).collect();
        vs.sort();
        // Rank of each sorted version: bumps whenever a neighbour is strictly larger.
        let mut rank = vec![0usize; vs.len()];
        for i in 1..vs.len() {
            rank[i] = rank[i - 1] + usize::from(vs[i - 1] < vs[i]);
        }
        for i in 0..vs.len() {
            for j in 0..vs.len() {
                assert_eq!(
                    vs[i].cmp(&vs[j]),
                    rank[i].cmp(&rank[j]),
                    "{eco}: {:?} vs {:?}",
                    vs[i].as_str(),
                    vs[j].as_str()
                );
            }
        }
        assert!(
            vs.iter().any(Version::is_valid),
            "{eco}: no valid generated version"
        );
    }
}

#[test]
fn validity_text_and_display() {
    let v = Version::parse(Ecosystem::PyPI, " 1.0rc1 ");
    assert!(v.is_valid());
    assert_eq!(v.as_str(), " 1.0rc1 ");
    assert_eq!(v.to_string(), " 1.0rc1 ");
    assert!(!Version::parse(Ecosystem::Npm, "").is_valid());
    assert!(!Version::parse(Ecosystem::Maven, "   ").is_valid());
    assert!(!Version::parse(Ecosystem::NuGet, "1.0.0.0.0").is_valid());
    assert!(Version::parse(Ecosystem::Go, "v0.0.0-20190101000000-abcdef123456").is_valid());
    assert!(Version::parse(Ecosystem::Packagist, "dev-main").is_valid());
    let long = "1.".repeat(3000) + "1";
    assert!(!Version::parse(Ecosystem::Maven, &long).is_valid());
    let binary = String::from_utf8_lossy(&[0xff, 0x00, 0x31, 0x2e, 0x30]).into_owned();
    for eco in Ecosystem::ALL {
        assert!(!Version::parse(eco, &binary).is_valid(), "{eco}");
        assert_eq!(compare(eco, &binary, "1.0"), Greater, "{eco}");
    }
}

#[test]
fn deeply_nested_maven_version_does_not_overflow() {
    // Every letter/digit transition opens a nested list in Maven's scheme.
    let deep = "a1".repeat(2000);
    let v = Version::parse(Ecosystem::Maven, &deep);
    assert!(v.is_valid());
    assert_eq!(v.cmp(&v.clone()), Equal);
    // The longer one ends with an extra `-alpha-1` sub-list, which is below "nothing".
    assert_eq!(compare(Ecosystem::Maven, &deep, &"a1".repeat(1999)), Less);
    assert_eq!(compare(Ecosystem::Maven, &deep, &format!("{deep}.1")), Less);
}
