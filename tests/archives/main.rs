//! Integration tests of `inspect` against real pg_dump archives in `tests/fixtures/archives`.

// Test code may unwrap and panic: a failure is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

// Listing and verifying archives made by pg_dump 15, 16 and 18, compared with pg_restore -l.
mod real_archives;
// Damaged archives: every damage is reported, nothing panics.
mod corruption;
// pgmock's writer re-encodes the entries of a real archive to the same bytes.
mod roundtrip;
// Paths to the fixtures and throwaway copies of them.
mod support;
