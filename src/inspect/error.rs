//! Errors that stop an archive's header or TOC from being read.
//!
//! Everything that breaks the byte layout is a [`FormatProblem`] located by
//! [`InspectError::Format`] at a file and byte offset; the variants carry
//! data, and their `Display` is the only drawing.

use std::io;
use std::path::PathBuf;

/// Why an archive could not be read; every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    /// A file or directory could not be opened or read.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// The path is none of: a directory with `toc.dat`, a custom archive, a tar archive.
    #[error("{path}: not a pg_dump archive ({reason})", path = .path.display())]
    NotAnArchive {
        /// The path that was given.
        path: PathBuf,
        /// What was looked for and not found.
        reason: &'static str,
    },
    /// The file is a plain SQL script, which only psql reads.
    #[error("{path}: is a plain-text SQL dump; restore it with psql", path = .path.display())]
    PlainText {
        /// The script's path.
        path: PathBuf,
    },
    /// The bytes at `offset` break the archive format.
    #[error("{path}: at byte {offset}: {problem}", path = .path.display())]
    Format {
        /// The file holding the bad bytes (`toc.dat` for the directory format).
        path: PathBuf,
        /// Absolute byte offset in that file where the bad item starts.
        offset: u64,
        /// What is wrong there.
        problem: FormatProblem,
    },
}

/// One way the archive's bytes can be wrong, independent of where it happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatProblem {
    /// The data ended in the middle of an item.
    #[error("unexpected end of data in {field}: needs {needed} bytes, {available} left")]
    Truncated {
        /// The item being read (`tag`, `chunk length`, …).
        field: &'static str,
        /// Bytes the item needs.
        needed: u64,
        /// Bytes that were left.
        available: u64,
    },
    /// An Int whose magnitude does not fit the reader's 32-bit `int`.
    #[error("{field} does not fit in a 32-bit integer")]
    IntOutOfRange {
        /// The item being read.
        field: &'static str,
    },
    /// A String whose length runs past the end of the data.
    #[error("{field} claims {length} bytes but only {available} are left")]
    LengthPastEnd {
        /// The item being read.
        field: &'static str,
        /// The length stored in the archive.
        length: u64,
        /// Bytes that were left.
        available: u64,
    },
    /// A length that must not be negative, such as a chunk length.
    #[error("{field} has negative length {length}")]
    NegativeLength {
        /// The item being read.
        field: &'static str,
        /// The length stored in the archive.
        length: i32,
    },
    /// An Offset whose flag is not 1 (not set), 2 (set) or 3 (no data).
    #[error("unexpected data offset flag {flag} (expected 1, 2 or 3)")]
    BadOffsetFlag {
        /// The flag byte found.
        flag: u8,
    },
    /// An Offset with non-zero bytes beyond the 8 a 64-bit reader keeps.
    #[error("data offset does not fit in 64 bits")]
    OffsetTooLarge,
    /// The first five bytes are not `PGDMP`.
    #[error("missing `PGDMP` magic")]
    BadMagic,
    /// An archive version outside 1.12 to 1.16.
    #[error(
        "unsupported archive version {major}.{minor}.{rev} (this reader handles 1.12 to 1.16)"
    )]
    UnsupportedVersion {
        /// Major version byte.
        major: u8,
        /// Minor version byte.
        minor: u8,
        /// Revision byte.
        rev: u8,
    },
    /// An integer size of 0 or above 32 bytes.
    #[error("unsupported integer size {size}")]
    BadIntSize {
        /// The intSize byte.
        size: u8,
    },
    /// The header's format byte does not match the container it was found in.
    #[error("format byte is {found}, but this archive type needs {expected}")]
    FormatMismatch {
        /// What the container requires (1 custom, 3 directory and tar).
        expected: u8,
        /// What the header says.
        found: u8,
    },
    /// A negative TOC entry count.
    #[error("TOC entry count {count} is negative")]
    BadEntryCount {
        /// The count read.
        count: i32,
    },
    /// A dumpId of zero or less.
    #[error("entry ID {id} out of range -- perhaps a corrupt TOC")]
    BadDumpId {
        /// The dumpId read.
        id: i32,
    },
    /// NULL in a field pg_restore dereferences without checking.
    #[error("{field} is NULL, which pg_restore cannot handle")]
    NullField {
        /// The field.
        field: &'static str,
    },
    /// A dependency that is not a decimal dumpId.
    #[error("dependency {text:?} is not a dump ID")]
    BadDependency {
        /// The dependency text (lossy UTF-8).
        text: String,
    },
    /// A custom-format data block whose type byte is neither 1 (data) nor 3 (large objects).
    #[error("unknown data block type {block_type}")]
    UnknownBlockType {
        /// The type byte found.
        block_type: u8,
    },
    /// A tar header block with a wrong checksum or magic.
    #[error("invalid tar header ({reason})")]
    BadTarHeader {
        /// Which check failed.
        reason: &'static str,
    },
    /// A tar member whose data runs past the end of the file.
    #[error("tar member `{name}` needs {size} bytes but only {available} are left")]
    TarMemberTruncated {
        /// The member's name.
        name: String,
        /// Its declared size.
        size: u64,
        /// Bytes left in the file.
        available: u64,
    },
    /// A tar archive without a `toc.dat` member.
    #[error("no `toc.dat` member in the tar archive")]
    NoTocMember,
}
