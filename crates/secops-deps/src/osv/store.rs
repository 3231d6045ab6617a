//! The database folder: default location, status, import. PLACEHOLDER.
