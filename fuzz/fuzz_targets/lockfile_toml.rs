//! TOML lockfiles and manifests: Cargo.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml,
//! pyproject.toml.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    secops_deps_fuzz::parse_with_all(
        &[
            "Cargo.lock",
            "poetry.lock",
            "uv.lock",
            "pdm.lock",
            "pylock.toml",
            "pyproject.toml",
        ],
        data,
    );
});
