//! Data kept as whole files: the directory format's `<id>.dat[.gz]` files
//! (pg-dump-format.md §12) and the tar format's members (§13). Neither has chunk
//! framing; each file is the COPY text, gzip-compressed in a directory
//! archive when its name ends in `.gz`.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::content::ContentCheck;
use super::{content_check, database_is_utf8, Report};
use crate::inspect::header::CompressionMethod;
use crate::inspect::primitives::{PgString, ReadFailure};
use crate::inspect::tar::{Member, Members};
use crate::inspect::toc::{DataLocation, Entry};
use crate::inspect::Archive;

/// Read buffer size.
const PIECE: usize = 64 * 1024;

/// Verifies every data file of a directory archive.
pub(super) fn verify_directory(dir: &Path, archive: &Archive, report: &mut Report) {
    let utf8 = database_is_utf8(archive);
    for entry in archive.entries.iter().filter(|e| e.had_dumper) {
        let Some(name) = data_file_name(entry, report) else {
            continue;
        };
        if entry.is("BLOBS") {
            directory_blobs(dir, entry, &name, report);
        } else {
            let content = content_check(entry, utf8, report);
            if let Some(file) = open_data_file(dir, entry, &name, report) {
                stream_file(file, entry, content, report);
            }
        }
    }
}

/// The entry's data file name, when it is present and stays inside the archive.
fn data_file_name(entry: &Entry, report: &mut Report) -> Option<String> {
    let at = Some(entry.toc_offset);
    let DataLocation::File(Some(name)) = &entry.data else {
        report.entry(
            entry,
            at,
            "entry has data (hadDumper 1) but toc.dat names no data file",
        );
        return None;
    };
    let safe = safe_name(name);
    if safe.is_none() {
        report.entry(
            entry,
            at,
            format!("data file name {name:?} is not a plain file name"),
        );
    }
    safe
}

/// Rejects names that would leave the archive directory (or cannot name a file).
fn safe_name(name: &PgString) -> Option<String> {
    let name = std::str::from_utf8(name.as_bytes()).ok()?;
    let plain =
        !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0']);
    plain.then(|| name.to_owned())
}

/// A data file opened the way pg_restore looks for it: `name`, then `name.gz`.
struct DataFile {
    shown: String,
    reader: Box<dyn Read>,
}

fn open_data_file(dir: &Path, entry: &Entry, name: &str, report: &mut Report) -> Option<DataFile> {
    match File::open(dir.join(name)) {
        Ok(f) => {
            return Some(DataFile {
                shown: name.to_owned(),
                reader: Box::new(BufReader::new(f)),
            })
        }
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            report.entry(entry, None, format!("{name}: {e}"));
            return None;
        }
        Err(_) => {}
    }
    let gz = format!("{name}.gz");
    match File::open(dir.join(&gz)) {
        Ok(f) => {
            return Some(DataFile {
                shown: gz,
                reader: Box::new(MultiGzDecoder::new(BufReader::new(f))),
            })
        }
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            report.entry(entry, None, format!("{gz}: {e}"));
            return None;
        }
        Err(_) => {}
    }
    for (ext, method) in [
        (".lz4", CompressionMethod::Lz4),
        (".zst", CompressionMethod::Zstd),
    ] {
        let shown = format!("{name}{ext}");
        match File::open(dir.join(&shown)) {
            Ok(f) => match super::frames::reader(method, BufReader::new(f)) {
                Ok(reader) => return Some(DataFile { shown, reader }),
                Err(e) => {
                    report.entry(entry, None, format!("{shown}: {e}"));
                    return None;
                }
            },
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                report.entry(entry, None, format!("{shown}: {e}"));
                return None;
            }
            Err(_) => {}
        }
    }
    report.entry(
        entry,
        None,
        format!("data file `{name}` (or `{name}.gz`, `.lz4`, `.zst`) is missing"),
    );
    None
}

/// Reads a data file to its end through the content check.
fn stream_file(mut file: DataFile, entry: &Entry, mut content: ContentCheck, report: &mut Report) {
    match pump(&mut file.reader, |piece| content.feed(piece)) {
        Ok(()) => {
            for message in content.finish() {
                report.entry(entry, None, format!("{}: {message}", file.shown));
            }
        }
        Err(e) => report.entry(entry, None, format!("{}: {e}", file.shown)),
    }
}

/// Copies `reader` to `sink` in pieces.
fn pump<F: FnMut(&[u8])>(reader: &mut dyn Read, mut sink: F) -> io::Result<()> {
    let mut buf = vec![0u8; PIECE];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => sink(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Large objects in a directory archive: a list file of `<oid> <file>` lines.
fn directory_blobs(dir: &Path, entry: &Entry, list_name: &str, report: &mut Report) {
    let list = match std::fs::read(dir.join(list_name)) {
        Ok(list) => list,
        Err(e) => {
            report.entry(entry, None, format!("{list_name}: {e}"));
            return;
        }
    };
    for (number, line) in list.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let Some(file_name) = blob_line(line) else {
            report.entry(
                entry,
                None,
                format!("{list_name}: line {} is not `<oid> <file>`", number + 1),
            );
            continue;
        };
        if let Some(mut file) = open_data_file(dir, entry, &file_name, report) {
            if let Err(e) = pump(&mut file.reader, |_| {}) {
                report.entry(entry, None, format!("{}: {e}", file.shown));
            }
        }
    }
}

/// The file name of a `<oid> <file>` line, when the line has that shape.
fn blob_line(line: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(line).ok()?;
    let (oid, file) = text.split_once(' ')?;
    oid.parse::<u32>().ok()?;
    safe_name(&PgString::from(file))
}

/// Verifies every data member of a tar archive.
pub(super) fn verify_tar(path: &Path, archive: &Archive, report: &mut Report) {
    let compression = archive.header.compression;
    if compression.method() != Some(CompressionMethod::None) {
        report.archive(
            None,
            format!("the header says compression {compression}, but pg_restore reads no compressed tar data"),
        );
    }
    let (file, len) = match File::open(path).and_then(|f| Ok((f.metadata()?.len(), f))) {
        Ok((len, f)) => (f, len),
        Err(e) => {
            report.archive(None, format!("cannot open the archive: {e}"));
            return;
        }
    };
    let members = list_members(&file, len, report);
    let toc_index = members
        .iter()
        .position(|m| m.name == b"toc.dat")
        .unwrap_or(0);
    let utf8 = database_is_utf8(archive);
    let mut last = toc_index;
    for entry in archive.entries.iter().filter(|e| e.had_dumper) {
        let Some(name) = data_file_name(entry, report) else {
            continue;
        };
        if entry.is("BLOBS") {
            tar_blobs(&file, &members, entry, report);
            continue;
        }
        let found = members
            .iter()
            .enumerate()
            .find(|(_, m)| m.name == name.as_bytes());
        let Some((index, member)) = found else {
            report.entry(
                entry,
                None,
                format!("no member `{name}` in the tar archive"),
            );
            continue;
        };
        if index < last {
            report.entry(
                entry,
                Some(member.header_offset),
                format!("member `{name}` comes before the data of earlier TOC entries; pg_restore reads members strictly forward and fails"),
            );
        }
        last = last.max(index);
        let mut content = content_check(entry, utf8, report);
        match read_member(&file, member, |piece| content.feed(piece)) {
            Ok(()) => {
                for message in content.finish() {
                    report.entry(
                        entry,
                        Some(member.data_offset),
                        format!("{name}: {message}"),
                    );
                }
            }
            Err(e) => report.entry(entry, Some(member.data_offset), format!("{name}: {e}")),
        }
    }
}

/// Every member up to the end marker; a broken header is reported and ends the list.
fn list_members(file: &File, len: u64, report: &mut Report) -> Vec<Member> {
    let mut members = Vec::new();
    for item in Members::new(file, len) {
        match item {
            Ok(member) => members.push(member),
            Err(ReadFailure::Io(e)) => report.archive(None, format!("read error: {e}")),
            Err(ReadFailure::Format { offset, problem }) => {
                report.archive(Some(offset), problem.to_string());
            }
        }
    }
    members
}

fn read_member<F: FnMut(&[u8])>(mut file: &File, member: &Member, sink: F) -> io::Result<()> {
    file.seek(SeekFrom::Start(member.data_offset))?;
    let mut data = BufReader::new(file).take(member.size);
    pump(&mut data, sink)
}

/// Large objects in a tar archive: a `blobs.toc` member (`blobs_<id>.toc`
/// from pg_dump 17) listing `<oid> <member>` lines; each member must exist.
fn tar_blobs(file: &File, members: &[Member], entry: &Entry, report: &mut Report) {
    let per_entry = format!("blobs_{}.toc", entry.dump_id);
    let Some(list) = members
        .iter()
        .find(|m| m.name == per_entry.as_bytes() || m.name == b"blobs.toc")
    else {
        report.entry(entry, None, "no `blobs.toc` member for the large objects");
        return;
    };
    let mut text = Vec::new();
    if let Err(e) = read_member(file, list, |piece| text.extend_from_slice(piece)) {
        report.entry(entry, Some(list.data_offset), format!("blobs.toc: {e}"));
        return;
    }
    for (number, line) in text.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        match blob_line(line) {
            None => report.entry(
                entry,
                Some(list.data_offset),
                format!("blobs.toc: line {} is not `<oid> <file>`", number + 1),
            ),
            Some(name) if !members.iter().any(|m| m.name == name.as_bytes()) => {
                report.entry(
                    entry,
                    None,
                    format!("no member `{name}` for a large object"),
                );
            }
            Some(_) => {}
        }
    }
}
