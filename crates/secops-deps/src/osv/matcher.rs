//! Matching packages against OSV records. PLACEHOLDER.
