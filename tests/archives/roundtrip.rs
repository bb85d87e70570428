//! pgmock's archive writer encodes an entry with exactly the bytes pg_dump
//! wrote: each entry of a real pg_dump 15 archive, read back and re-written
//! through `pgmock::dump::archive`, gives the original bytes.

use pgmock::dump::archive::{self, Trailer};
use pgmock::dump::{Section, TocEntry};
use pgmock::inspect::{self, DataLocation, Entry, OffsetFlag, PgString};

use crate::support::data as fixture;

fn text(s: &Option<PgString>) -> Option<String> {
    s.as_ref().map(|s| s.to_string_lossy().into_owned())
}

/// The writer's model of an entry holding the same fields.
fn model(e: &Entry) -> TocEntry {
    TocEntry {
        dump_id: u32::try_from(e.dump_id).expect("positive id"),
        desc: Box::leak(e.desc.to_string_lossy().into_owned().into_boxed_str()),
        section: match e.section {
            inspect::Section::None => Section::None,
            inspect::Section::PreData => Section::PreData,
            inspect::Section::Data => Section::Data,
            _ => Section::PostData,
        },
        namespace: text(&e.namespace),
        tag: e.tag.to_string_lossy().into_owned(),
        owner: text(&e.owner),
        defn: text(&e.defn).unwrap_or_default(),
        drop_stmt: text(&e.drop_stmt).unwrap_or_default(),
        copy_stmt: text(&e.copy_stmt),
        deps: e
            .deps
            .iter()
            .map(|&d| u32::try_from(d).expect("id"))
            .collect(),
        tablespace: text(&e.tablespace),
        tableam: text(&e.tableam),
        data_table: e.had_dumper.then_some(0),
        table: None,
        owner_target: None,
    }
}

#[test]
fn entries_of_a_real_archive_re_encode_byte_for_byte() {
    let path = fixture("typ_z0.dump");
    let bytes = std::fs::read(&path).expect("read fixture");
    let archive = inspect::read(&path).expect("parse fixture");
    let ends: Vec<u64> = archive
        .entries
        .iter()
        .skip(1)
        .map(|e| e.toc_offset)
        .chain([archive.toc_end])
        .collect();
    let mut checked = 0;
    for (e, end) in archive.entries.iter().zip(ends) {
        let ids = (
            e.tableoid.to_string_lossy().parse().expect("tableoid"),
            e.oid.to_string_lossy().parse().expect("oid"),
        );
        let mut out = Vec::new();
        archive::write_entry(&mut out, &model(e), ids).expect("encode");
        let trailer = match &e.data {
            DataLocation::Block { flag, position } => Trailer::Offset {
                flag: match flag {
                    OffsetFlag::PosSet => archive::POS_SET,
                    OffsetFlag::PosNotSet => archive::POS_NOT_SET,
                    _ => archive::NO_DATA,
                },
                pos: *position,
            },
            DataLocation::File(_) => unreachable!("custom archive"),
        };
        if let Trailer::Offset { flag, pos } = trailer {
            archive::write_offset(&mut out, flag, pos).expect("encode");
        }
        let original = &bytes
            [usize::try_from(e.toc_offset).expect("offset")..usize::try_from(end).expect("end")];
        assert_eq!(
            out,
            original,
            "entry {} {}",
            e.dump_id,
            e.desc.to_string_lossy()
        );
        checked += 1;
    }
    assert_eq!(checked, archive.entries.len(), "every entry compared");
}

#[test]
fn the_header_of_real_archives_re_encodes_byte_for_byte() {
    for (name, format) in [
        ("typ_z0.dump", archive::FORMAT_CUSTOM),
        ("typ.dump", archive::FORMAT_CUSTOM),
        ("typ.dir/toc.dat", archive::FORMAT_TAR),
    ] {
        let path = fixture(name);
        let bytes = std::fs::read(&path).expect("read fixture");
        let dir_or_file = if name.ends_with("toc.dat") {
            fixture("typ.dir")
        } else {
            path.clone()
        };
        let parsed = inspect::read(&dir_or_file).expect("parse fixture");
        let h = &parsed.header;
        let inspect::Compression::Level(compression) = h.compression else {
            panic!("1.14 archive")
        };
        let t = &h.created;
        let days = i64::from(pgmock::pgtext::datetime::days_from_civil(
            t.year + 1900,
            u32::try_from(t.mon + 1).expect("month"),
            u32::try_from(t.mday).expect("day"),
        ));
        let created = days * 86_400 + i64::from(t.hour * 3600 + t.min * 60 + t.sec);
        let header = archive::Header {
            format,
            compression,
            algorithm: None,
            created,
            database: text(&h.dbname).expect("dbname"),
            server_version: text(&h.server_version).expect("version"),
            dump_version: text(&h.dump_version).expect("version"),
        };
        let mut out = Vec::new();
        archive::write_header(&mut out, &header).expect("encode");
        // The TOC's entry count follows the header.
        let header_end = usize::try_from(parsed.entries[0].toc_offset).expect("offset") - 5;
        assert_eq!(out, bytes[..header_end], "{name}");
    }
}
