use crate::support::TestProject;

/// Plain output of each small schema in `tests/fixtures/valid`, reviewed by hand.
#[test]
fn plain_output_snapshots() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"),
        "valid/*.json",
        |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let out = TestProject::new()
                .file("pgmock.json", text)
                .args(["generate"])
                .run()
                .success();
            insta::assert_snapshot!(out.stdout);
        }
    );
}

/// `xxd`-style lines: offset, 16 bytes in hex, printable ASCII.
fn hexdump(bytes: &[u8], base: usize) -> String {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(i, chunk)| {
            let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            let ascii: String = chunk
                .iter()
                .map(|&b| {
                    if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            format!("{:08x}: {:<47}  {ascii}\n", base + i * 16, hex.join(" "))
        })
        .collect()
}

/// The bytes of a tiny uncompressed custom archive, reviewed against
/// pg-dump-format.md §1–4: the header, one TABLE DATA entry with its data
/// offset, and that entry's data block.
#[test]
fn custom_archive_bytes_snapshot() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/tiny.json"
    ))
    .unwrap();
    let project = TestProject::new().file("pgmock.json", text);
    project
        .run_with(["generate", "-F", "c", "-Z", "0", "-f", "tiny.dump"])
        .success();
    let path = project.path("tiny.dump");
    let bytes = std::fs::read(&path).unwrap();
    let archive = pgmock::inspect::read(&path).unwrap();
    let first = usize::try_from(archive.entries[0].toc_offset).unwrap();
    let at = |i: usize| usize::try_from(archive.entries[i].toc_offset).unwrap();
    let data = archive
        .entries
        .iter()
        .position(|e| e.had_dumper)
        .expect("a TABLE DATA entry");
    let pgmock::inspect::DataLocation::Block { position, .. } = archive.entries[data].data else {
        panic!("custom archive")
    };
    let block = usize::try_from(position).unwrap();
    let block_end = archive
        .entries
        .iter()
        .skip(data + 1)
        .find_map(|e| match e.data {
            pgmock::inspect::DataLocation::Block { position, .. } if e.had_dumper => {
                usize::try_from(position).ok()
            }
            _ => None,
        })
        .unwrap_or(bytes.len());
    let snapshot = format!(
        "header and entry count:\n{}\nentry {} (TABLE DATA):\n{}\ndata block:\n{}",
        hexdump(&bytes[..first], 0),
        archive.entries[data].dump_id,
        hexdump(&bytes[at(data)..at(data + 1)], at(data)),
        hexdump(&bytes[block..block_end], block),
    );
    insta::assert_snapshot!(snapshot);
}
