//! JSON lockfiles: package-lock.json (and shrinkwrap), bun.lock (JSONC), composer.lock,
//! packages.lock.json (NuGet), Pipfile.lock.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    secops_deps_fuzz::parse_with_all(
        &[
            "package-lock.json",
            "bun.lock",
            "composer.lock",
            "packages.lock.json",
            "Pipfile.lock",
        ],
        data,
    );
});
