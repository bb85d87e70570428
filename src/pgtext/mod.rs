//! Exact PostgreSQL text output for built-in types, COPY escaping and SQL quoting.
//!
//! pgmock writes dump files without a server, so every value must already be in the
//! spelling PostgreSQL 15 itself prints (`DateStyle=ISO`, `IntervalStyle=postgres`,
//! shortest floats, `bytea_output=hex`, `TimeZone=UTC`). Matching the server byte for
//! byte makes dumps deterministic and lets tests compare a restore/re-dump cycle exactly.
//!
//! Every formatter appends to a caller-owned `Vec<u8>` so that a generator can reuse one
//! buffer per row and never allocate per value. The functions produce the *value text*;
//! the caller then passes it through [`escape::copy_text`] (COPY data) or
//! [`escape::sql_literal`] (SQL text). Container helpers in [`structured`] take element
//! text that is already formatted but not yet COPY-escaped.

// The docs name PostgreSQL and its settings in prose; backticking every mention would
// only hurt readability.
#![allow(clippy::doc_markdown)]

pub mod datetime;
pub mod escape;
pub mod geometric;
pub mod network;
pub mod numeric;
pub mod scalar;
pub mod structured;
