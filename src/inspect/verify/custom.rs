//! Custom-format data blocks (pg-dump-format.md §3.3): a type byte, the dumpId,
//! then chunks up to an Int 0, whose payloads form one zlib stream when the
//! archive is compressed.
//!
//! Blocks are found as pg_restore finds them: by the TOC offset when it is
//! set, otherwise by walking the blocks from the end of the TOC.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Seek, SeekFrom};
use std::path::Path;

use super::inflate::ZlibStream;
use super::{content_check, database_is_utf8, Report};
use crate::inspect::error::FormatProblem;
use crate::inspect::header::{CompressionMethod, Header};
use crate::inspect::primitives::{ByteReader, OffsetFlag, ReadFailure};
use crate::inspect::toc::{DataLocation, Entry};
use crate::inspect::Archive;

/// Bytes read from a chunk at a time, whatever the chunk length says.
const PIECE: usize = 64 * 1024;

type Reader<'f> = ByteReader<BufReader<&'f File>>;

/// Verifies every data entry of a custom archive.
pub(super) fn verify(path: &Path, archive: &Archive, report: &mut Report) {
    let opened = File::open(path).and_then(|f| Ok((f.metadata()?.len(), f)));
    let (len, file) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            report.archive(None, format!("cannot open the archive: {e}"));
            return;
        }
    };
    let blocks = Blocks {
        file: &file,
        len,
        header: &archive.header,
        method: archive.header.compression.method(),
        utf8: database_is_utf8(archive),
    };
    report.note_compression(archive.header.compression);
    let mut scan: Option<Scan> = None;
    for entry in &archive.entries {
        let DataLocation::Block { flag, position } = entry.data else {
            continue;
        };
        let at = Some(entry.toc_offset);
        match (entry.had_dumper, flag) {
            (false, OffsetFlag::NoData) => {}
            (false, _) => report.entry(
                entry,
                at,
                format!("entry has no data (hadDumper 0) but its offset flag is {flag}"),
            ),
            (true, OffsetFlag::NoData) => report.entry(
                entry,
                at,
                "entry has data (hadDumper 1) but its offset flag is 3 (no data), so pg_restore skips it",
            ),
            (true, OffsetFlag::PosSet) => blocks.check(entry, position, report),
            (true, OffsetFlag::PosNotSet) => {
                let scan = scan.get_or_insert_with(|| Scan::run(&blocks, archive.toc_end));
                match scan.found.get(&entry.dump_id) {
                    Some(&pos) => blocks.check(entry, pos, report),
                    None => report.entry(entry, None, scan.missing_message()),
                }
            }
        }
    }
}

/// How a block's chunk payloads ended up.
enum Outcome {
    /// Fully decoded and handed to the sink.
    Decoded,
    /// Decoding failed; the message says how.
    Failed(String),
    /// Not decoded (unsupported compression).
    NotDecoded,
}

/// Turns chunk payloads into the stored text.
enum Decoder {
    Plain,
    Zlib(ZlibStream),
    /// lz4 or zstd frames, gathered with the chunk boundaries and decoded at the end.
    Frames(CompressionMethod, Vec<u8>, Vec<usize>),
    Skip,
}

/// Access to the archive's data blocks.
struct Blocks<'f> {
    file: &'f File,
    len: u64,
    header: &'f Header,
    method: Option<CompressionMethod>,
    utf8: bool,
}

impl<'f> Blocks<'f> {
    fn reader_at(&self, pos: u64) -> io::Result<Reader<'f>> {
        let mut file = self.file;
        file.seek(SeekFrom::Start(pos))?;
        let mut r = ByteReader::new(BufReader::new(file), pos, self.len);
        r.set_sizes(self.header.int_size, self.header.off_size);
        Ok(r)
    }

    /// Checks the block of `entry` that starts at `pos`.
    fn check(&self, entry: &Entry, pos: u64, report: &mut Report) {
        if pos >= self.len {
            report.entry(
                entry,
                Some(pos),
                format!(
                    "data offset {pos} is past the end of the file ({} bytes)",
                    self.len
                ),
            );
            return;
        }
        let result = self
            .reader_at(pos)
            .map_err(ReadFailure::Io)
            .and_then(|mut r| self.read_block(&mut r, entry, pos, report));
        if let Err(failure) = result {
            report_failure(report, entry, failure);
        }
    }

    fn read_block(
        &self,
        r: &mut Reader<'_>,
        entry: &Entry,
        pos: u64,
        report: &mut Report,
    ) -> Result<(), ReadFailure> {
        let block_type = r.byte("block type")?;
        let expected = if entry.is("BLOBS") { 3 } else { 1 };
        if block_type != expected {
            report.entry(
                entry,
                Some(pos),
                format!("found block type {block_type}, expected {expected}"),
            );
            return Ok(());
        }
        let id = r.int("block dumpId")?;
        if id != entry.dump_id {
            report.entry(
                entry,
                Some(pos),
                format!(
                    "the block here belongs to dumpId {id}, not {}",
                    entry.dump_id
                ),
            );
            return Ok(());
        }
        if block_type == 3 {
            self.read_blobs(r, entry, report)
        } else {
            self.read_table_data(r, entry, pos, report)
        }
    }

    fn read_table_data(
        &self,
        r: &mut Reader<'_>,
        entry: &Entry,
        pos: u64,
        report: &mut Report,
    ) -> Result<(), ReadFailure> {
        let mut content = content_check(entry, self.utf8, report);
        match self.read_stream(r, &mut |piece| content.feed(piece))? {
            Outcome::Decoded => {
                for message in content.finish() {
                    report.entry(entry, Some(pos), message);
                }
            }
            Outcome::Failed(message) => report.entry(entry, Some(pos), message),
            Outcome::NotDecoded => {}
        }
        Ok(())
    }

    /// Large objects: `Int oid`, a chunk stream per object, until oid 0.
    fn read_blobs(
        &self,
        r: &mut Reader<'_>,
        entry: &Entry,
        report: &mut Report,
    ) -> Result<(), ReadFailure> {
        loop {
            let at = r.position();
            let oid = r.int("large object OID")?;
            if oid == 0 {
                return Ok(());
            }
            if let Outcome::Failed(message) = self.read_stream(r, &mut |_| {})? {
                report.entry(entry, Some(at), format!("large object {oid}: {message}"));
            }
        }
    }

    /// Reads chunks up to the Int 0, decoding them into `sink`. Framing
    /// errors are returned; decoding errors become `Outcome::Failed` and the
    /// framing is still walked to its end.
    fn read_stream<F: FnMut(&[u8])>(
        &self,
        r: &mut Reader<'_>,
        sink: &mut F,
    ) -> Result<Outcome, ReadFailure> {
        let mut decoder = match self.method {
            Some(CompressionMethod::None) => Decoder::Plain,
            Some(CompressionMethod::Gzip) => Decoder::Zlib(ZlibStream::new()),
            Some(m @ (CompressionMethod::Lz4 | CompressionMethod::Zstd)) => {
                Decoder::Frames(m, Vec::new(), Vec::new())
            }
            None => Decoder::Skip,
        };
        let mut failed = None;
        let mut chunks = 0u64;
        let mut buf = vec![0u8; PIECE];
        while let Some(len) = next_chunk(r)? {
            chunks += 1;
            let mut left = len;
            while left > 0 {
                let n = usize::try_from(left).map_or(PIECE, |l| l.min(PIECE));
                let piece = &mut buf[..n];
                r.exact(piece, "chunk data")?;
                left -= n as u64;
                if failed.is_some() {
                    continue;
                }
                match &mut decoder {
                    Decoder::Plain => sink(piece),
                    Decoder::Zlib(z) => failed = z.feed(piece, sink).err(),
                    Decoder::Frames(_, data, _) => data.extend_from_slice(piece),
                    Decoder::Skip => {}
                }
            }
            if let Decoder::Frames(_, data, ends) = &mut decoder {
                ends.push(data.len());
            }
        }
        Ok(match (decoder, failed) {
            (Decoder::Skip, _) => Outcome::NotDecoded,
            (_, Some(message)) => Outcome::Failed(message),
            (Decoder::Plain, None) => Outcome::Decoded,
            (Decoder::Zlib(_), None) if chunks == 0 => Outcome::Failed(
                "compressed block has no chunks (pg_restore: could not uncompress data)".to_owned(),
            ),
            (Decoder::Zlib(z), None) => match z.finish(sink) {
                Ok(()) => Outcome::Decoded,
                Err(message) => Outcome::Failed(message),
            },
            (Decoder::Frames(method, data, ends), None) => {
                match super::frames::decode(method, &data, Some(&ends), sink) {
                    Ok(()) => Outcome::Decoded,
                    Err(message) => Outcome::Failed(message),
                }
            }
        })
    }
}

/// Reads a chunk length: `None` at the end marker; a length that is
/// negative or runs past the end of the file is an error.
fn next_chunk(r: &mut Reader<'_>) -> Result<Option<u64>, ReadFailure> {
    let at = r.position();
    let raw = r.int("chunk length")?;
    let len = u64::try_from(raw).map_err(|_| {
        Reader::fail(
            at,
            FormatProblem::NegativeLength {
                field: "chunk length",
                length: raw,
            },
        )
    })?;
    if len > r.remaining() {
        return Err(Reader::fail(
            at,
            FormatProblem::LengthPastEnd {
                field: "chunk",
                length: len,
                available: r.remaining(),
            },
        ));
    }
    Ok((len > 0).then_some(len))
}

fn report_failure(report: &mut Report, entry: &Entry, failure: ReadFailure) {
    match failure {
        ReadFailure::Io(e) => report.entry(entry, None, format!("read error: {e}")),
        ReadFailure::Format { offset, problem } => {
            report.entry(entry, Some(offset), problem.to_string());
        }
    }
}

/// Block positions found by walking the blocks in file order, the way
/// pg_restore finds data when the TOC has no offsets.
struct Scan {
    found: HashMap<i32, u64>,
    /// Where and why the walk stopped before the end of the file.
    stop: Option<(u64, String)>,
}

impl Scan {
    fn run(blocks: &Blocks<'_>, start: u64) -> Self {
        let mut scan = Self {
            found: HashMap::new(),
            stop: None,
        };
        let walked = blocks
            .reader_at(start)
            .map_err(ReadFailure::Io)
            .and_then(|mut r| scan.walk(&mut r));
        scan.stop = match walked {
            Ok(()) => None,
            Err(ReadFailure::Io(e)) => Some((start, format!("read error: {e}"))),
            Err(ReadFailure::Format { offset, problem }) => Some((offset, problem.to_string())),
        };
        scan
    }

    fn walk(&mut self, r: &mut Reader<'_>) -> Result<(), ReadFailure> {
        while r.remaining() > 0 {
            let at = r.position();
            let block_type = r.byte("block type")?;
            let id = r.int("block dumpId")?;
            self.found.entry(id).or_insert(at);
            match block_type {
                1 => skip_chunks(r)?,
                3 => {
                    while r.int("large object OID")? != 0 {
                        skip_chunks(r)?;
                    }
                }
                other => {
                    return Err(Reader::fail(
                        at,
                        FormatProblem::UnknownBlockType { block_type: other },
                    ))
                }
            }
        }
        Ok(())
    }

    fn missing_message(&self) -> String {
        match &self.stop {
            Some((offset, why)) => format!(
                "data block not found: the TOC has no offset for it, and walking the blocks stopped at byte {offset}: {why}"
            ),
            None => "data block not found: the TOC has no offset for it, and no block in the file carries its dumpId".to_owned(),
        }
    }
}

fn skip_chunks(r: &mut Reader<'_>) -> Result<(), ReadFailure> {
    while let Some(len) = next_chunk(r)? {
        r.skip(len, "chunk data")?;
    }
    Ok(())
}
