//! Minimal upgrade that fixes every advisory of a package. PLACEHOLDER.
