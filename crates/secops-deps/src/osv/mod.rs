//! The OSV database: record model, on-disk store (`<dir>/<Ecosystem>/all.zip`, osv.dev's export
//! layout) with a compact index, matching, and downloads.

pub mod fetch;
pub mod index;
pub mod matcher;
pub mod model;
pub mod store;
