//! What the three archive formats share (pg-dump-format.md §1–4): the four
//! primitives, the header and the TOC entry layout of archive version 1.14.
//! The custom, directory and tar writers differ only in the per-entry trailer
//! and where the data goes.

use std::io::{self, Write};

use super::toc::{Section, TocEntry};

/// Archive version 1.14: the newest one every pg_restore from 12 to 18 reads.
pub const VERSION: [u8; 3] = [1, 14, 0];
/// Archive version 1.15, the first with lz4 and zstd (pg_restore 16 and newer).
pub const VERSION_1_15: [u8; 3] = [1, 15, 0];
/// Bytes of a C `int` in the archive (what pg_dump writes on 64-bit platforms).
pub const INT_SIZE: u8 = 4;
/// Bytes of a file offset in the archive.
pub const OFF_SIZE: u8 = 8;
/// Header format byte of a custom archive.
pub const FORMAT_CUSTOM: u8 = 1;
/// Header format byte of the `toc.dat` of directory and tar archives.
pub const FORMAT_TAR: u8 = 3;
/// Data block type of table data.
pub const BLOCK_DATA: u8 = 1;
/// Offset flag: the entry has data but its position is unknown (non-seekable output).
pub const POS_NOT_SET: u8 = 1;
/// Offset flag: the entry's data block starts at the given position.
pub const POS_SET: u8 = 2;
/// Offset flag: the entry has no data block.
pub const NO_DATA: u8 = 3;

/// Writes an Int: a sign byte, then the magnitude in [`INT_SIZE`] little-endian bytes.
pub fn write_int(out: &mut dyn Write, value: i32) -> io::Result<()> {
    let sign = u8::from(value < 0);
    let mut bytes = [0u8; 1 + INT_SIZE as usize];
    bytes[0] = sign;
    bytes[1..].copy_from_slice(&value.unsigned_abs().to_le_bytes());
    out.write_all(&bytes)
}

/// Writes a String: its length as an Int and its bytes; `None` is the Int −1.
pub fn write_str(out: &mut dyn Write, value: Option<&str>) -> io::Result<()> {
    match value {
        None => write_int(out, -1),
        Some(s) => {
            write_int(out, len_i32(s.len())?)?;
            out.write_all(s.as_bytes())
        }
    }
}

/// Writes an Offset: a flag byte and the position in [`OFF_SIZE`] little-endian bytes.
pub fn write_offset(out: &mut dyn Write, flag: u8, pos: u64) -> io::Result<()> {
    let mut bytes = [0u8; 1 + OFF_SIZE as usize];
    bytes[0] = flag;
    bytes[1..].copy_from_slice(&pos.to_le_bytes());
    out.write_all(&bytes)
}

/// A length as the reader's C `int`; anything larger is refused rather than wrapped.
pub fn len_i32(len: usize) -> io::Result<i32> {
    i32::try_from(len).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{len} bytes do not fit one archive string or chunk"),
        )
    })
}

/// The header fields that vary between archives.
#[derive(Debug, Clone)]
pub struct Header {
    /// [`FORMAT_CUSTOM`] or [`FORMAT_TAR`].
    pub format: u8,
    /// 0 = none, −1 = zlib default level, 1..=9 = zlib level (version 1.14).
    pub compression: i32,
    /// `Some(algorithm byte)` writes version 1.15, whose header names the
    /// algorithm (0 none, 1 gzip, 2 lz4, 3 zstd) instead of a zlib level.
    pub algorithm: Option<u8>,
    /// Creation time, seconds since the Unix epoch (from `SOURCE_DATE_EPOCH` or fixed).
    pub created: i64,
    /// Database name.
    pub database: String,
    /// "Dumped from database version" text.
    pub server_version: String,
    /// "Dumped by pg_dump version" text.
    pub dump_version: String,
}

/// The creation time archives carry when `SOURCE_DATE_EPOCH` is not set:
/// 2000-01-01 00:00:00 UTC, a fixed value so that archives are reproducible.
pub const DEFAULT_CREATED: i64 = 946_684_800;

/// `SOURCE_DATE_EPOCH` when set, else [`DEFAULT_CREATED`]; `Err` carries a
/// value that is not whole seconds between 1970 and 9999 (the
/// reproducible-builds convention is to fail then, not to guess).
pub fn creation_time() -> Result<i64, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(_) => Ok(DEFAULT_CREATED),
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|&t| (0..=253_402_300_799).contains(&t))
            .ok_or(s),
    }
}

/// Writes the header (§3.1). The time is stored as a C `struct tm` in UTC;
/// pg_restore rebuilds it in its own zone, which only changes what `-l` prints.
pub fn write_header(out: &mut dyn Write, h: &Header) -> io::Result<()> {
    out.write_all(b"PGDMP")?;
    match h.algorithm {
        None => {
            out.write_all(&VERSION)?;
            out.write_all(&[INT_SIZE, OFF_SIZE, h.format])?;
            write_int(out, h.compression)?;
        }
        Some(algorithm) => {
            out.write_all(&VERSION_1_15)?;
            out.write_all(&[INT_SIZE, OFF_SIZE, h.format, algorithm])?;
        }
    }
    let days = h.created.div_euclid(86_400);
    let secs = h.created.rem_euclid(86_400);
    let days = i32::try_from(days).unwrap_or(0);
    let (year, month, day) = crate::pgtext::datetime::civil_from_days(days);
    let tm = [
        secs % 60,
        secs / 60 % 60,
        secs / 3600,
        i64::from(day),
        i64::from(month) - 1,
        i64::from(year) - 1900,
        0,
    ];
    for field in tm {
        write_int(out, i32::try_from(field).unwrap_or(0))?;
    }
    write_str(out, Some(&h.database))?;
    write_str(out, Some(&h.server_version))?;
    write_str(out, Some(&h.dump_version))
}

/// The system catalog an entry's object lives in, shown by `pg_restore -l`
/// as the first number (pg_dump's `tableoid`).
fn catalog(desc: &str) -> u32 {
    match desc {
        "DATABASE" => 1262,
        "SCHEMA" => 2615,
        "EXTENSION" => 3079,
        "TYPE" | "DOMAIN" => 1247,
        "TABLE" | "SEQUENCE" | "INDEX" => 1259,
        "DEFAULT" => 2604,
        "CONSTRAINT" | "FK CONSTRAINT" | "CHECK CONSTRAINT" => 2606,
        _ => 0,
    }
}

/// The object id shown beside the catalog: invented, but stable and unique
/// per entry, in the range user objects get (from 16384).
fn object_oid(e: &TocEntry) -> u32 {
    if catalog(e.desc) == 0 && e.desc != "TABLE DATA" {
        0
    } else {
        16_384 + e.dump_id
    }
}

/// The per-entry trailer, which is where the formats differ.
#[derive(Debug, Clone, Copy)]
pub enum Trailer<'a> {
    /// Custom format: an Offset.
    Offset {
        /// [`POS_NOT_SET`], [`POS_SET`] or [`NO_DATA`].
        flag: u8,
        /// Position of the data block (when `flag` is [`POS_SET`]).
        pos: u64,
    },
    /// Directory and tar formats: the data file name, `""` for entries without data.
    File(&'a str),
}

/// Writes the entry count and every entry, each followed by its trailer.
pub fn write_toc<'a>(
    out: &mut dyn Write,
    entries: &[&'a TocEntry],
    mut trailer: impl FnMut(&'a TocEntry) -> Trailer<'a>,
) -> io::Result<()> {
    write_int(out, len_i32(entries.len())?)?;
    for e in entries {
        write_entry(out, e, (catalog(e.desc), object_oid(e)))?;
        match trailer(e) {
            Trailer::Offset { flag, pos } => write_offset(out, flag, pos)?,
            Trailer::File(name) => write_str(out, Some(name))?,
        }
    }
    Ok(())
}

/// The `toc.dat` of the directory and tar formats: the header, then the TOC
/// whose entries name their data file (`<id>.dat`, `""` for entries without data).
pub fn toc_dat(entries: &[&TocEntry], header: &Header) -> io::Result<Vec<u8>> {
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            if e.has_data() {
                data_file(e)
            } else {
                String::new()
            }
        })
        .collect();
    let mut out = Vec::new();
    write_header(&mut out, header)?;
    let mut next = names.iter();
    write_toc(&mut out, entries, |_| {
        Trailer::File(next.next().map_or("", String::as_str))
    })?;
    Ok(out)
}

/// The name `toc.dat` gives an entry's data file (never with a compression suffix).
#[must_use]
pub fn data_file(e: &TocEntry) -> String {
    format!("{}.dat", e.dump_id)
}

/// Writes one entry in the 1.14 layout (§4.1), without its trailer; `ids` are
/// the (catalog, object) ids `pg_restore -l` shows.
pub fn write_entry(out: &mut dyn Write, e: &TocEntry, ids: (u32, u32)) -> io::Result<()> {
    let id = i32::try_from(e.dump_id).map_err(|_| io::Error::other("dump id out of range"))?;
    let non_empty = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    write_int(out, id)?;
    write_int(out, i32::from(e.has_data()))?;
    write_str(out, Some(&ids.0.to_string()))?;
    write_str(out, Some(&ids.1.to_string()))?;
    write_str(out, Some(&e.tag))?;
    write_str(out, Some(e.desc))?;
    write_int(out, section_code(e.section))?;
    write_str(out, non_empty(&e.defn).as_deref())?;
    // pg_dump stores an identity sequence's (absent) drop statement as "", not NULL.
    let drop = if e.desc == "SEQUENCE" {
        Some(e.drop_stmt.clone())
    } else {
        non_empty(&e.drop_stmt)
    };
    write_str(out, drop.as_deref())?;
    write_str(out, e.copy_stmt.as_deref())?;
    write_str(out, e.namespace.as_deref())?;
    write_str(out, e.tablespace.as_deref())?;
    write_str(out, e.tableam.as_deref())?;
    write_str(out, e.owner.as_deref())?;
    write_str(out, Some("false"))?;
    for dep in &e.deps {
        write_str(out, Some(&dep.to_string()))?;
    }
    write_str(out, None)
}

fn section_code(s: Section) -> i32 {
    s as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> Vec<u8> {
        let mut v = Vec::new();
        f(&mut v).expect("writing to a Vec");
        v
    }

    #[test]
    fn ints_are_sign_and_magnitude() {
        // The table of pg-dump-format.md §1.2.
        assert_eq!(bytes(|o| write_int(o, 0)), [0, 0, 0, 0, 0]);
        assert_eq!(bytes(|o| write_int(o, 6)), [0, 6, 0, 0, 0]);
        assert_eq!(bytes(|o| write_int(o, 3338)), [0, 0x0a, 0x0d, 0, 0]);
        assert_eq!(bytes(|o| write_int(o, -1)), [1, 1, 0, 0, 0]);
        assert_eq!(
            bytes(|o| write_int(o, i32::MIN)),
            [1, 0, 0, 0, 0x80],
            "the magnitude of i32::MIN fits the unsigned field"
        );
    }

    #[test]
    fn strings_distinguish_null_and_empty() {
        assert_eq!(bytes(|o| write_str(o, None)), [1, 1, 0, 0, 0]);
        assert_eq!(bytes(|o| write_str(o, Some(""))), [0, 0, 0, 0, 0]);
        assert_eq!(
            bytes(|o| write_str(o, Some("heap"))),
            [0, 4, 0, 0, 0, b'h', b'e', b'a', b'p']
        );
    }

    #[test]
    fn offsets_are_flag_and_eight_bytes() {
        assert_eq!(
            bytes(|o| write_offset(o, POS_SET, 0x0102)),
            [2, 2, 1, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(
            bytes(|o| write_offset(o, NO_DATA, 0)),
            [3, 0, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn header_matches_the_documented_layout() {
        let h = Header {
            format: FORMAT_CUSTOM,
            compression: -1,
            algorithm: None,
            // 2024-03-24 10:27:12 UTC, the example of pg-dump-format.md §3.1.
            created: 1_711_276_032,
            database: "db".into(),
            server_version: "15.0".into(),
            dump_version: "15.0".into(),
        };
        let b = bytes(|o| write_header(o, &h));
        assert_eq!(&b[..11], b"PGDMP\x01\x0e\x00\x04\x08\x01");
        assert_eq!(&b[11..16], [1, 1, 0, 0, 0], "zlib, default level");
        let tm: Vec<u8> = b[16..51].chunks(5).map(|c| c[1]).collect();
        assert_eq!(tm, [12, 27, 10, 24, 2, 124, 0]);
    }
}
