//! Every environment variable pgmock reads, in one place.

/// Extra template folders (or pack folders), separated like `PATH`; searched after `--template-path`.
pub const PGMOCK_TEMPLATE_PATH: &str = "PGMOCK_TEMPLATE_PATH";
/// pgmock's own folder; installed packs live in its `packs/`. Default: the platform's data folder.
pub const PGMOCK_HOME: &str = "PGMOCK_HOME";
