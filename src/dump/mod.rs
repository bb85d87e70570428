//! The dump stage: the archive model (TOC) and its writers.
//!
//! Input: a [`Toc`] and a [`DataSource`] that yields each data entry's
//! encoded bytes. Output: a dump file. This stage never calls a generator;
//! it sees only finished bytes, so writers can be tested with fixed data.

pub mod archive;
pub mod compress;
pub mod custom;
pub mod ddl;
pub mod directory;
pub mod filter;
pub mod output;
pub mod plain;
pub mod tar;
pub mod toc;

use std::io::{self, Write};

pub use toc::{Section, Toc, TocEntry};

/// Produces the data stream of TABLE DATA entries; shared by the threads of
/// writers that produce several tables at once.
pub trait DataSource: Sync {
    /// Writes the complete data stream of `entry` (COPY rows and the `\.`
    /// terminator, or INSERT statements) to `out`, stored as the archive
    /// stores it: compressed with the [`compress::Codec`] the source was
    /// made with, which must match the archive header.
    fn write_data(&self, entry: &TocEntry, out: &mut dyn Write) -> io::Result<()>;
}

/// Writes no data: for renderings that only refer to data stored elsewhere.
pub struct NoData;

impl DataSource for NoData {
    fn write_data(&self, _entry: &TocEntry, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}
