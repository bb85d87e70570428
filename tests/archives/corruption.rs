//! Damaged copies of the fixtures: `read` fails with a located error or
//! `verify` reports the damaged entry, and nothing ever panics.

use pgmock::inspect::{self, Archive, DataLocation, Entry, InspectError, OffsetFlag};

use crate::support::{bytes, data, listing, Scratch};

fn data_entry<'a>(archive: &'a Archive, tag: &str) -> &'a Entry {
    archive
        .entries
        .iter()
        .find(|e| e.had_dumper && e.tag == tag)
        .unwrap()
}

/// Where the custom-format block of `entry` starts.
fn block_position(entry: &Entry) -> usize {
    match entry.data {
        DataLocation::Block {
            flag: OffsetFlag::PosSet,
            position,
        } => usize::try_from(position).unwrap(),
        ref other => panic!("no offset: {other:?}"),
    }
}

#[test]
fn flipped_byte_in_a_compressed_block() {
    let archive = inspect::read(&data("typ.dump")).unwrap();
    let users = data_entry(&archive, "users");
    // type byte + dumpId Int + chunk length Int, then zlib data.
    let payload = block_position(users) + 1 + 5 + 5;
    let mut damaged = bytes("typ.dump");
    damaged[payload + 20] ^= 0x55;
    let scratch = Scratch::new("flip");
    let path = scratch.write("typ.dump", &damaged);
    let problems = inspect::verify(&path, &inspect::read(&path).unwrap());
    assert!(!problems.is_empty());
    assert!(
        problems.iter().all(|p| p.dump_id == users.dump_id),
        "{problems:#?}"
    );
    assert_eq!(problems[0].tag, "users");
    assert!(problems[0].offset.is_some());
}

#[test]
fn truncated_inside_the_last_block() {
    let mut damaged = bytes("typ.dump");
    damaged.truncate(damaged.len() - 12);
    let scratch = Scratch::new("trunc-block");
    let path = scratch.write("typ.dump", &damaged);
    let archive = inspect::read(&path).unwrap();
    let problems = inspect::verify(&path, &archive);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].tag, "plain");
    assert!(
        problems[0].message.contains("left"),
        "{}",
        problems[0].message
    );
}

#[test]
fn truncated_inside_the_toc() {
    let damaged = &bytes("typ.dump")[..3000];
    let scratch = Scratch::new("trunc-toc");
    let path = scratch.write("short.dump", damaged);
    let err = inspect::read(&path).unwrap_err();
    let InspectError::Format { offset, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(*offset < 3000);
    let text = err.to_string();
    assert!(text.contains("short.dump: at byte "), "{text}");
}

#[test]
fn block_with_the_wrong_dump_id() {
    let archive = inspect::read(&data("typ_z0.dump")).unwrap();
    let orders = data_entry(&archive, "orders");
    let mut damaged = bytes("typ_z0.dump");
    // The dumpId Int's low byte, right after the block type.
    damaged[block_position(orders) + 2] ^= 0x01;
    let scratch = Scratch::new("dumpid");
    let path = scratch.write("typ.dump", &damaged);
    let problems = inspect::verify(&path, &inspect::read(&path).unwrap());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].dump_id, orders.dump_id);
    assert!(problems[0].message.contains("belongs to dumpId"));
}

#[test]
fn data_offset_past_the_end_of_the_file() {
    let archive = inspect::read(&data("typ.dump")).unwrap();
    let index = archive.entries.iter().position(|e| e.had_dumper).unwrap();
    // The Offset trailer is the last 9 bytes before the next entry.
    let trailer = usize::try_from(archive.entries[index + 1].toc_offset).unwrap() - 9;
    let mut damaged = bytes("typ.dump");
    damaged[trailer + 1..trailer + 9].copy_from_slice(&u64::MAX.to_le_bytes());
    let scratch = Scratch::new("offset");
    let path = scratch.write("typ.dump", &damaged);
    let problems = inspect::verify(&path, &inspect::read(&path).unwrap());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].message.contains("past the end of the file"));
}

#[test]
fn row_with_a_missing_field() {
    let mut damaged = bytes("typ_z0.dump");
    // The `plain` table's rows are `1\tx` and `2\ty`.
    let at = damaged.windows(4).rposition(|w| w == b"2\ty\n").unwrap();
    damaged[at + 1] = b' ';
    let scratch = Scratch::new("field");
    let path = scratch.write("typ.dump", &damaged);
    let problems = inspect::verify(&path, &inspect::read(&path).unwrap());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].tag, "plain");
    assert!(problems[0]
        .message
        .starts_with("row 2 has 1 field, expected 2"));
}

#[test]
fn truncated_archive_without_offsets() {
    let mut damaged = bytes("typ_nopos.dump");
    damaged.truncate(damaged.len() - 200);
    let scratch = Scratch::new("nopos");
    let path = scratch.write("typ.dump", &damaged);
    let problems = inspect::verify(&path, &inspect::read(&path).unwrap());
    assert!(problems.len() >= 2, "{problems:#?}");
    assert!(problems
        .iter()
        .any(|p| p.message.starts_with("data block not found")));
}

#[test]
fn garbage_is_not_an_archive() {
    let scratch = Scratch::new("garbage");
    let mut seed = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..4000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed.to_le_bytes()[0]
        })
        .collect();
    let err = inspect::read(&scratch.write("noise.bin", &noise)).unwrap_err();
    assert!(matches!(err, InspectError::NotAnArchive { .. }), "{err:?}");
    let err = inspect::read(&scratch.write("empty.bin", b"")).unwrap_err();
    assert!(matches!(err, InspectError::NotAnArchive { .. }), "{err:?}");
    let mut fake = b"PGDMP".to_vec();
    fake.extend_from_slice(&noise);
    let err = inspect::read(&scratch.write("fake.dump", &fake)).unwrap_err();
    assert!(matches!(err, InspectError::Format { .. }), "{err:?}");
}

#[test]
fn plain_script_is_refused() {
    let scratch = Scratch::new("plain");
    let path = scratch.write(
        "x.sql",
        b"--\n-- PostgreSQL database dump\n--\n\nSET x = 1;\n",
    );
    let err = inspect::read(&path).unwrap_err();
    assert!(matches!(err, InspectError::PlainText { .. }), "{err:?}");
}

#[test]
fn unsupported_versions_are_refused() {
    let scratch = Scratch::new("version");
    for minor in [11, 17] {
        let mut damaged = bytes("typ.dump");
        damaged[6] = minor;
        let err = inspect::read(&scratch.write("v.dump", &damaged)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("unsupported archive version 1.{minor}.0")),
            "{text}"
        );
    }
}

#[test]
fn directory_with_damaged_and_missing_files() {
    let scratch = Scratch::new("dir");
    let dir = scratch.copy_dir("typ.dir");
    let archive = inspect::read(&dir).unwrap();
    let users = data_entry(&archive, "users");
    let empty = data_entry(&archive, "empty_t");
    let mut gz = std::fs::read(dir.join(format!("{}.dat.gz", users.dump_id))).unwrap();
    let middle = gz.len() / 2;
    gz[middle] ^= 0xff;
    std::fs::write(dir.join(format!("{}.dat.gz", users.dump_id)), gz).unwrap();
    std::fs::remove_file(dir.join(format!("{}.dat.gz", empty.dump_id))).unwrap();
    let problems = inspect::verify(&dir, &archive);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].dump_id, users.dump_id);
    assert_eq!(problems[1].dump_id, empty.dump_id);
    assert!(problems[1].message.contains("is missing"));
}

#[test]
fn directory_without_toc() {
    let scratch = Scratch::new("notoc");
    let dir = scratch.copy_dir("typ.dir");
    std::fs::remove_file(dir.join("toc.dat")).unwrap();
    let err = inspect::read(&dir).unwrap_err();
    assert!(matches!(err, InspectError::NotAnArchive { .. }), "{err:?}");
}

#[test]
fn tar_row_with_an_extra_field() {
    let mut damaged = bytes("typ.tar");
    let at = damaged
        .windows(8)
        .position(|w| w == b"1\tx\n2\ty\n")
        .unwrap();
    damaged[at + 2] = b'\t';
    let scratch = Scratch::new("tar-field");
    let path = scratch.write("typ.tar", &damaged);
    let problems = inspect::verify(&path, &inspect::read(&path).unwrap());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].tag, "plain");
    assert!(problems[0]
        .message
        .contains("row 1 has 3 fields, expected 2"));
}

#[test]
fn tar_with_a_broken_member_header() {
    let mut damaged = bytes("typ.tar");
    let toc_size = usize::try_from(inspect::read(&data("typ.tar")).unwrap().toc_end - 512).unwrap();
    let second_header = 512 + toc_size.div_ceil(512) * 512;
    damaged[second_header + 3] ^= 0x20;
    let scratch = Scratch::new("tar-header");
    let path = scratch.write("typ.tar", &damaged);
    let problems = inspect::verify(&path, &inspect::read(&path).unwrap());
    assert_eq!(problems[0].dump_id, 0);
    assert_eq!(problems[0].offset, Some(second_header as u64));
    assert!(problems[0].message.contains("invalid tar header"));
    assert!(problems[1..]
        .iter()
        .all(|p| p.message.contains("no member")));
}

/// Reads, lists and verifies `bytes`, whatever they hold; only a panic fails.
fn survive(scratch: &Scratch, name: &str, bytes: &[u8]) {
    let path = scratch.write(name, bytes);
    if let Ok(archive) = inspect::read(&path) {
        let _ = listing(&archive);
        let _ = inspect::verify(&path, &archive);
    }
}

/// Every truncation length and a flip of every byte (in steps) in each format.
fn never_panics(fixture: &str, step: usize) {
    let original = bytes(fixture);
    let scratch = Scratch::new(&format!("fuzz-{fixture}"));
    for len in (0..original.len()).step_by(step) {
        survive(&scratch, fixture, &original[..len]);
    }
    for (i, flip) in (0..original.len())
        .step_by(step)
        .zip([0x01u8, 0x80, 0xff].into_iter().cycle())
    {
        let mut damaged = original.clone();
        damaged[i] ^= flip;
        survive(&scratch, fixture, &damaged);
    }
}

#[test]
fn custom_zlib_never_panics() {
    never_panics("typ.dump", 3);
}

#[test]
fn custom_uncompressed_never_panics() {
    never_panics("typ_z0.dump", 3);
}

#[test]
fn custom_without_offsets_never_panics() {
    never_panics("typ_nopos.dump", 3);
}

#[test]
fn custom_1_16_never_panics() {
    never_panics("typ18_z0.dump", 5);
}

#[test]
fn tar_never_panics() {
    never_panics("typ.tar", 5);
}

#[test]
fn directory_with_a_missing_large_object() {
    let scratch = Scratch::new("blob");
    let dir = scratch.copy_dir("edge.dir");
    let archive = inspect::read(&dir).unwrap();
    std::fs::remove_file(dir.join("blob_16605.dat.gz")).unwrap();
    let problems = inspect::verify(&dir, &archive);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].tag, "BLOBS");
    assert!(problems[0].message.contains("blob_16605.dat"));
}

#[test]
fn custom_large_object_block_damaged() {
    let archive = inspect::read(&data("edge.dump")).unwrap();
    let blobs = data_entry(&archive, "BLOBS");
    let mut damaged = bytes("edge.dump");
    // type, dumpId, first OID, first chunk length, then the zlib header.
    let zlib = block_position(blobs) + 1 + 5 + 5 + 5;
    damaged[zlib] ^= 0xff;
    let scratch = Scratch::new("lo-block");
    let path = scratch.write("edge.dump", &damaged);
    let problems = inspect::verify(&path, &inspect::read(&path).unwrap());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].dump_id, blobs.dump_id);
    assert!(problems[0].message.starts_with("large object 16604: zlib"));
}
