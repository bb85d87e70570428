//! Support code for the `cli` integration tests: `TestProject` runs the `pgmock` binary in a
//! temporary project, `postgres` provides a throwaway cluster to load its output into.

// Not every test module uses every helper, and unused ones must not fail `-D warnings`;
// helpers fail a test by panicking with context, which is what `expect` is for.
#![allow(dead_code, unused_imports, clippy::expect_used)]

pub(crate) mod postgres;
pub(crate) mod project;

use std::path::PathBuf;

pub(crate) use postgres::{
    cluster, cluster_of, require_cluster, require_cluster_of, Cluster, Database,
};
pub(crate) use postgres::{require_pg, require_pg_version};
pub(crate) use project::{Output, TestProject};

/// Path of the `pgmock` binary that Cargo built for this test run.
pub(crate) fn pgmock_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pgmock"))
}

/// The COPY block of `table` in a plain script: its `COPY` line and rows, up to `\.`.
pub(crate) fn copy_block(sql: &str, table: &str) -> String {
    let start = sql
        .find(&format!("COPY {table} "))
        .unwrap_or_else(|| panic!("no COPY of {table}"));
    sql[start..].split("\\.\n").next().unwrap_or("").to_owned()
}
