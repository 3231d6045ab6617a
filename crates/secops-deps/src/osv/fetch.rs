//! Downloads from osv.dev. PLACEHOLDER.
