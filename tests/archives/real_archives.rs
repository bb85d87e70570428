//! Each fixture `X` in `tests/fixtures/archives` has `X.list.txt`, captured from the
//! pg_restore of the pg_dump that wrote it (`pg_restore -l X`).

use pgmock::inspect::{self, ArchiveFormat, Version};

use crate::support::{data, lines_where, listing};

/// Reads `name`, checks `list` against pg_restore's listing and that `verify` finds nothing.
fn check(name: &str, format: ArchiveFormat, version: Version) {
    let path = data(name);
    let archive = inspect::read(&path).unwrap();
    assert_eq!(archive.format, format);
    assert_eq!(archive.header.version, version);

    let ours = listing(&archive);
    let theirs = std::fs::read(data(&format!("{name}.list.txt"))).unwrap();
    let entries = |l: &[u8]| !l.starts_with(b";");
    assert_eq!(lines_where(&ours, entries), lines_where(&theirs, entries));
    assert!(lines_where(&ours, entries).len() > 10);
    // The summary matches too, except the local-time creation line.
    let summary = |l: &[u8]| l.starts_with(b";") && !l.starts_with(b"; Archive created at");
    assert_eq!(lines_where(&ours, summary), lines_where(&theirs, summary));

    let problems = inspect::verify(&path, &archive);
    assert!(problems.is_empty(), "{problems:#?}");
}

const V12: Version = Version::new(1, 12, 0);
const V13: Version = Version::new(1, 13, 0);
const V14: Version = Version::new(1, 14, 0);
const V15: Version = Version::new(1, 15, 0);
const V16: Version = Version::new(1, 16, 0);

#[test]
fn pg15_custom_zlib() {
    check("typ.dump", ArchiveFormat::Custom, V14);
}

#[test]
fn pg15_custom_uncompressed() {
    check("typ_z0.dump", ArchiveFormat::Custom, V14);
}

#[test]
fn pg15_custom_through_a_pipe_has_no_offsets() {
    check("typ_nopos.dump", ArchiveFormat::Custom, V14);
    let archive = inspect::read(&data("typ_nopos.dump")).unwrap();
    assert!(archive.entries.iter().any(|e| matches!(
        e.data,
        inspect::DataLocation::Block {
            flag: inspect::OffsetFlag::PosNotSet,
            ..
        }
    )));
}

#[test]
fn pg15_directory_gzip() {
    check("typ.dir", ArchiveFormat::Directory, V14);
}

#[test]
fn pg15_directory_uncompressed() {
    check("typ_z0.dir", ArchiveFormat::Directory, V14);
}

#[test]
fn pg15_tar() {
    check("typ.tar", ArchiveFormat::Tar, V14);
}

// `edge` has quoted names with commas and newlines, a table without
// columns, an owner with a newline, large objects, database comments and
// properties (hidden without -C), views, triggers, policies, publications.

#[test]
fn pg15_edge_custom() {
    check("edge.dump", ArchiveFormat::Custom, V14);
}

#[test]
fn pg15_edge_custom_without_offsets() {
    check("edge_nopos.dump", ArchiveFormat::Custom, V14);
}

#[test]
fn pg15_edge_custom_inserts() {
    check("edge_inserts.dump", ArchiveFormat::Custom, V14);
}

#[test]
fn pg15_edge_directory_with_large_objects() {
    check("edge.dir", ArchiveFormat::Directory, V14);
}

#[test]
fn pg15_edge_tar_with_large_objects() {
    check("edge.tar", ArchiveFormat::Tar, V14);
}

#[test]
fn pg16_custom_is_version_1_15() {
    check("edge16.dump", ArchiveFormat::Custom, V15);
}

#[test]
fn pg16_directory_is_version_1_15() {
    check("typ16.dir", ArchiveFormat::Directory, V15);
}

#[test]
fn pg18_custom_is_version_1_16() {
    check("edge18.dump", ArchiveFormat::Custom, V16);
    let archive = inspect::read(&data("edge18.dump")).unwrap();
    let table = archive.entries.iter().find(|e| e.is("TABLE")).unwrap();
    assert_eq!(table.relkind, Some(i32::from(b'r')));
}

#[test]
fn pg18_custom_uncompressed() {
    check("typ18_z0.dump", ArchiveFormat::Custom, V16);
}

#[test]
fn pg18_custom_without_offsets() {
    check("edge18_nopos.dump", ArchiveFormat::Custom, V16);
}

#[test]
fn pg18_directory() {
    check("edge18.dir", ArchiveFormat::Directory, V16);
}

#[test]
fn pg18_tar() {
    check("edge18.tar", ArchiveFormat::Tar, V16);
}

// 1.12 and 1.13 archives are pg_dump 15 archives rewritten by
// `tests/fixtures/archives/tools/downgrade.py` (no tableam); pg_restore 15 lists and restores them.

#[test]
fn version_1_13_custom() {
    check("typ_v113.dump", ArchiveFormat::Custom, V13);
}

#[test]
fn version_1_12_custom() {
    check("edge_v112.dump", ArchiveFormat::Custom, V12);
    let archive = inspect::read(&data("edge_v112.dump")).unwrap();
    assert!(archive.entries.iter().all(|e| e.tableam.is_none()));
}

#[test]
fn header_fields_of_a_pg15_dump() {
    let archive = inspect::read(&data("typ.dump")).unwrap();
    let h = &archive.header;
    assert_eq!((h.int_size, h.off_size, h.format_byte), (4, 8, 1));
    assert_eq!(h.compression, inspect::Compression::Level(-1));
    assert_eq!(h.dbname.as_ref().unwrap(), "typical");
    let users = archive
        .entries
        .iter()
        .find(|e| e.is("TABLE DATA") && e.tag == "users")
        .unwrap();
    assert_eq!(users.namespace.as_ref().unwrap(), "app");
    assert!(users.had_dumper);
    assert!(users
        .copy_stmt
        .as_ref()
        .unwrap()
        .to_string_lossy()
        .starts_with("COPY app.users (id, email,"));
}
