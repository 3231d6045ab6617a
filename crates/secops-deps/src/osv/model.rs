//! OSV schema records (https://ossf.github.io/osv-schema/). PLACEHOLDER.
