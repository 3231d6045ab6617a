//! XML manifests: pom.xml, packages.config, *.csproj.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    secops_deps_fuzz::parse_with_all(&["pom.xml", "packages.config", "App.csproj"], data);
});
