//! Project risk score 0-100. PLACEHOLDER.
