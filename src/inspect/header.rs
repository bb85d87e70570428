//! The archive header (pg-dump-format.md §3.1): magic, version, sizes, format,
//! compression, creation time and the three display strings.

use std::fmt;
use std::io::Read;

use super::error::FormatProblem;
use super::primitives::{ByteReader, PgString, ReadFailure, MAX_INT_SIZE};

/// An archive format version `major.minor.rev`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major version (always 1).
    pub major: u8,
    /// Minor version (12 to 16 are readable).
    pub minor: u8,
    /// Revision (pg_dump always writes 0).
    pub rev: u8,
}

impl Version {
    /// A version from its three bytes.
    #[must_use]
    pub const fn new(major: u8, minor: u8, rev: u8) -> Self {
        Self { major, minor, rev }
    }

    /// The oldest version this reader accepts (pg_dump 9.0).
    pub const OLDEST: Self = Self::new(1, 12, 0);
    /// Adds the per-entry tableam String.
    pub const V1_14: Self = Self::new(1, 14, 0);
    /// Replaces the compression Int with an algorithm Byte.
    pub const V1_15: Self = Self::new(1, 15, 0);
    /// Adds the per-entry relkind Int.
    pub const V1_16: Self = Self::new(1, 16, 0);
    /// The newest version this reader accepts (any revision of 1.16).
    pub const NEWEST: Self = Self::new(1, 16, u8::MAX);
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.rev)
    }
}

/// The compression field as the header stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Archive 1.14 and older: a zlib level (0 none, −1 default, 1 to 9).
    Level(i32),
    /// Archive 1.15 and newer: an algorithm byte (0 none, 1 gzip, 2 lz4, 3 zstd).
    Algorithm(u8),
}

/// What a compression field means for the data, when it means anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompressionMethod {
    /// Data is stored as is.
    None,
    /// zlib streams in custom blocks, gzip files in the directory format.
    Gzip,
    /// LZ4 (1.15+ only).
    Lz4,
    /// Zstandard (1.15+ only).
    Zstd,
}

impl fmt::Display for CompressionMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "none",
            Self::Gzip => "gzip",
            Self::Lz4 => "lz4",
            Self::Zstd => "zstd",
        })
    }
}

impl Compression {
    /// The method the field selects, or `None` for a value pg_restore rejects.
    #[must_use]
    pub fn method(self) -> Option<CompressionMethod> {
        match self {
            Self::Level(0) | Self::Algorithm(0) => Some(CompressionMethod::None),
            Self::Level(-1 | 1..=9) | Self::Algorithm(1) => Some(CompressionMethod::Gzip),
            Self::Algorithm(2) => Some(CompressionMethod::Lz4),
            Self::Algorithm(3) => Some(CompressionMethod::Zstd),
            Self::Level(_) | Self::Algorithm(_) => None,
        }
    }
}

impl fmt::Display for Compression {
    /// Formats the way the pg_restore that writes this version prints it:
    /// the level number up to 1.14, the algorithm name from 1.15.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Level(level) => write!(f, "{level}"),
            Self::Algorithm(0) => f.write_str("none"),
            Self::Algorithm(1) => f.write_str("gzip"),
            Self::Algorithm(2) => f.write_str("lz4"),
            Self::Algorithm(3) => f.write_str("zstd"),
            Self::Algorithm(_) => f.write_str("???"),
        }
    }
}

/// The creation time as stored: a C `struct tm` of the dumping machine's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CreationTime {
    /// Seconds (0–60).
    pub sec: i32,
    /// Minutes (0–59).
    pub min: i32,
    /// Hours (0–23).
    pub hour: i32,
    /// Day of the month (1–31).
    pub mday: i32,
    /// Month, 0 = January.
    pub mon: i32,
    /// Years since 1900.
    pub year: i32,
    /// Daylight saving flag.
    pub isdst: i32,
}

impl fmt::Display for CreationTime {
    /// `YYYY-MM-DD HH:MM:SS` of the stored wall-clock fields.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // i64: a corrupt year near i32::MAX must not overflow when 1900 is added.
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            i64::from(self.year) + 1900,
            i64::from(self.mon) + 1,
            self.mday,
            self.hour,
            self.min,
            self.sec
        )
    }
}

/// A parsed archive header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Archive format version.
    pub version: Version,
    /// Bytes in an Int's magnitude (4 in practice).
    pub int_size: u8,
    /// Bytes in an Offset's position (8 in practice).
    pub off_size: u8,
    /// Format byte: 1 custom, 3 directory and tar.
    pub format_byte: u8,
    /// Compression of the data.
    pub compression: Compression,
    /// When the dump was made.
    pub created: CreationTime,
    /// Database name (display only).
    pub dbname: Option<PgString>,
    /// "Dumped from database version" (display only).
    pub server_version: Option<PgString>,
    /// "Dumped by pg_dump version" (display only).
    pub dump_version: Option<PgString>,
}

/// Reads a header, requiring format byte `expected_format`.
pub(crate) fn read_header<R: Read>(
    r: &mut ByteReader<R>,
    expected_format: u8,
) -> Result<Header, ReadFailure> {
    let start = r.position();
    let mut magic = [0u8; 5];
    r.exact(&mut magic, "magic")?;
    if &magic != b"PGDMP" {
        return Err(ByteReader::<R>::fail(start, FormatProblem::BadMagic));
    }
    let version = read_version(r)?;
    let at = r.position();
    let int_size = r.byte("intSize")?;
    if int_size == 0 || int_size > MAX_INT_SIZE {
        return Err(ByteReader::<R>::fail(
            at,
            FormatProblem::BadIntSize { size: int_size },
        ));
    }
    let off_size = r.byte("offSize")?;
    r.set_sizes(int_size, off_size);
    let at = r.position();
    let format_byte = r.byte("format")?;
    if format_byte != expected_format {
        return Err(ByteReader::<R>::fail(
            at,
            FormatProblem::FormatMismatch {
                expected: expected_format,
                found: format_byte,
            },
        ));
    }
    let compression = if version >= Version::V1_15 {
        Compression::Algorithm(r.byte("compression")?)
    } else {
        Compression::Level(r.int("compression")?)
    };
    Ok(Header {
        version,
        int_size,
        off_size,
        format_byte,
        compression,
        created: read_time(r)?,
        dbname: r.string("database name")?,
        server_version: r.string("server version")?,
        dump_version: r.string("pg_dump version")?,
    })
}

fn read_version<R: Read>(r: &mut ByteReader<R>) -> Result<Version, ReadFailure> {
    let at = r.position();
    let mut bytes = [0u8; 3];
    r.exact(&mut bytes, "version")?;
    let [major, minor, rev] = bytes;
    let version = Version::new(major, minor, rev);
    if version < Version::OLDEST || version > Version::NEWEST {
        return Err(ByteReader::<R>::fail(
            at,
            FormatProblem::UnsupportedVersion { major, minor, rev },
        ));
    }
    Ok(version)
}

fn read_time<R: Read>(r: &mut ByteReader<R>) -> Result<CreationTime, ReadFailure> {
    Ok(CreationTime {
        sec: r.int("creation time")?,
        min: r.int("creation time")?,
        hour: r.int("creation time")?,
        mday: r.int("creation time")?,
        mon: r.int("creation time")?,
        year: r.int("creation time")?,
        isdst: r.int("creation time")?,
    })
}
