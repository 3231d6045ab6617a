//! Line-based formats: requirements.txt, yarn.lock (v1 and berry), go.mod, go.sum,
//! Gemfile.lock, gradle.lockfile.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    secops_deps_fuzz::parse_with_all(
        &[
            "requirements.txt",
            "yarn.lock",
            "go.mod",
            "go.sum",
            "Gemfile.lock",
            "gradle.lockfile",
        ],
        data,
    );
});
