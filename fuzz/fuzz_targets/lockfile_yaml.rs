//! YAML lockfiles: pnpm-lock.yaml (v5, v6, v9, multi-document).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    secops_deps_fuzz::parse_with_all(&["pnpm-lock.yaml"], data);
});
