//! pgmock turns a declarative JSON schema into a PostgreSQL dump full of
//! realistic, reproducible mock data, without a running server.
//!
//! ```text
//! pgmock.json ──project──▶ JSON ──schema::load──▶ Schema ──plan──▶ Plan
//!     ──generate──▶ chunks of typed columns ──encode──▶ COPY text / INSERTs
//!     ──dump──▶ TOC ──writer──▶ plain SQL, custom, directory or tar archive
//! ```
//!
//! Every value is a pure function of (seed, table, column, row), so output is
//! byte-identical across runs, and `--table` yields exactly the rows of the
//! full run. `pipeline` is the only module that knows all stages.
#![deny(missing_docs)]

pub mod cli;
pub mod diagnostic;
pub mod dump;
pub mod encode;
pub mod env;
pub mod error;
pub mod generate;
pub mod inspect;
pub mod pgtext;
pub mod pipeline;
pub mod plan;
pub mod project;
pub mod provenance;
pub mod schema;
pub mod server;
pub mod source_map;
pub mod template;
pub mod value;

pub use error::{Error, Result};
