//! The control catalog (`controls/<family>.toml`) and its evaluation. PLACEHOLDER.
