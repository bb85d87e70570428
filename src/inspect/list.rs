//! `pg_restore -l`: the `;` summary block, then one line per entry that a
//! restore with default options would process.

use std::io::{self, Write};

use super::header::Header;
use super::primitives::PgString;
use super::toc::{Entry, Section};
use super::{Archive, ArchiveFormat};

/// Writes the TOC exactly as `pg_restore -l` prints it.
///
/// # Errors
/// Only those of `out`.
///
/// Every line not starting with `;` is byte-identical to pg_restore 15's.
/// The `Archive created at` line prints the stored wall-clock time with
/// `UTC`, which equals pg_restore's line only when both machines run in UTC.
pub fn list(archive: &Archive, out: &mut dyn Write) -> io::Result<()> {
    write_summary(archive, out)?;
    // NONE-section entries (comments, ACLs) inherit the last real section.
    let mut current = Section::PreData;
    let mut line = Vec::new();
    for entry in &archive.entries {
        if entry.section != Section::None {
            current = entry.section;
        }
        if is_listed(entry, current) {
            line.clear();
            entry_line(entry, &mut line);
            out.write_all(&line)?;
        }
    }
    Ok(())
}

fn write_summary(archive: &Archive, out: &mut dyn Write) -> io::Result<()> {
    let h: &Header = &archive.header;
    let format = match archive.format {
        ArchiveFormat::Custom => "CUSTOM",
        ArchiveFormat::Directory => "DIRECTORY",
        ArchiveFormat::Tar => "TAR",
    };
    let mut text = Vec::new();
    text.extend_from_slice(format!(";\n; Archive created at {} UTC\n", h.created).as_bytes());
    text.extend_from_slice(b";     dbname: ");
    sanitize(h.dbname.as_ref(), "", &mut text);
    text.extend_from_slice(
        format!(
            "\n;     TOC Entries: {}\n;     Compression: {}\n;     Dump Version: {}.{}-{}\n",
            archive.entries.len(),
            h.compression,
            h.version.major,
            h.version.minor,
            h.version.rev
        )
        .as_bytes(),
    );
    text.extend_from_slice(
        format!(
            ";     Format: {format}\n;     Integer: {} bytes\n;     Offset: {} bytes\n",
            h.int_size, h.off_size
        )
        .as_bytes(),
    );
    if let Some(v) = &h.server_version {
        text.extend_from_slice(b";     Dumped from database version: ");
        text.extend_from_slice(c_str(v));
        text.push(b'\n');
    }
    if let Some(v) = &h.dump_version {
        text.extend_from_slice(b";     Dumped by pg_dump version: ");
        text.extend_from_slice(c_str(v));
        text.push(b'\n');
    }
    text.extend_from_slice(b";\n;\n; Selected TOC Entries:\n;\n");
    out.write_all(&text)
}

/// Whether a default `pg_restore` (no `-C`, no filters) processes the entry,
/// given the section in force; this is what decides which lines `-l` prints.
fn is_listed(entry: &Entry, current: Section) -> bool {
    let desc = c_str(&entry.desc);
    let tag = c_str(&entry.tag);
    // Read while loading the TOC, never restored as entries.
    if matches!(desc, b"ENCODING" | b"STDSTRINGS" | b"SEARCHPATH") {
        return false;
    }
    // Only restored with -C.
    if matches!(desc, b"DATABASE" | b"DATABASE PROPERTIES") {
        return false;
    }
    if !matches!(
        current,
        Section::PreData | Section::Data | Section::PostData
    ) {
        return false;
    }
    let is_decoration = matches!(desc, b"ACL" | b"COMMENT" | b"SECURITY LABEL");
    // Comments and ACLs on the database itself also follow -C.
    if is_decoration && tag.starts_with(b"DATABASE ") {
        return false;
    }
    if desc == b"<Init>" && tag == b"Max OID" {
        return false;
    }
    // An entry restores data if it has a dumper or is one of the data-like
    // kinds; otherwise it restores schema, which needs a definition.
    let data_like = desc == b"SEQUENCE SET"
        || desc == b"BLOB"
        || desc == b"BLOB METADATA"
        || (is_decoration && tag.starts_with(b"LARGE OBJECT"));
    entry.had_dumper || data_like || entry.defn.as_ref().is_some_and(|d| !c_str(d).is_empty())
}

/// `dumpId; tableoid oid desc namespace tag owner`.
fn entry_line(entry: &Entry, line: &mut Vec<u8>) {
    line.extend_from_slice(
        format!(
            "{}; {} {} ",
            entry.dump_id,
            scan_oid(&entry.tableoid),
            scan_oid(&entry.oid)
        )
        .as_bytes(),
    );
    line.extend_from_slice(c_str(&entry.desc));
    line.push(b' ');
    sanitize(entry.namespace.as_ref(), "-", line);
    line.push(b' ');
    sanitize(Some(&entry.tag), "", line);
    line.push(b' ');
    sanitize(entry.owner.as_ref(), "", line);
    line.push(b'\n');
}

/// pg_restore's `sanitize_line`: NULL becomes `null_text`, CR and LF become spaces.
fn sanitize(value: Option<&PgString>, null_text: &str, out: &mut Vec<u8>) {
    match value {
        None => out.extend_from_slice(null_text.as_bytes()),
        Some(v) => out.extend(
            c_str(v)
                .iter()
                .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b }),
        ),
    }
}

/// The bytes a C reader sees: everything before the first NUL.
fn c_str(value: &PgString) -> &[u8] {
    value
        .as_bytes()
        .split(|&b| b == 0)
        .next()
        .unwrap_or_default()
}

/// An OID the way pg_restore reads it with `sscanf("%u")`: leading blanks,
/// an optional sign, decimal digits; 0 when there are none.
fn scan_oid(value: &PgString) -> u32 {
    let text = c_str(value);
    let blanks = text
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let rest = text.get(blanks..).unwrap_or_default();
    let (negative, digits) = match rest.split_first() {
        Some((b'-', tail)) => (true, tail),
        Some((b'+', tail)) => (false, tail),
        _ => (false, rest),
    };
    let magnitude = digits
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .try_fold(0u64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
        .unwrap_or(u64::MAX); // strtoul saturates on overflow
    let value = if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    };
    // scanf stores the unsigned long into an unsigned int: keep the low bits.
    #[allow(clippy::cast_possible_truncation)]
    let oid = value as u32;
    oid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_parse_like_scanf() {
        assert_eq!(scan_oid(&"16390".into()), 16390);
        assert_eq!(scan_oid(&"0".into()), 0);
        assert_eq!(scan_oid(&"".into()), 0);
        assert_eq!(scan_oid(&" 12x".into()), 12);
        assert_eq!(scan_oid(&"-1".into()), u32::MAX);
        assert_eq!(scan_oid(&"99999999999999999999".into()), u32::MAX);
    }

    #[test]
    fn sanitize_replaces_line_breaks_and_stops_at_nul() {
        let mut out = Vec::new();
        sanitize(Some(&"a\nb\rc\0d".into()), "-", &mut out);
        assert_eq!(out, b"a b c");
        out.clear();
        sanitize(None, "-", &mut out);
        assert_eq!(out, b"-");
    }
}
