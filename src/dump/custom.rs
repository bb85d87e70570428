//! The custom format (`-Fc`, pg-dump-format.md §3): header, TOC, then one
//! data block per TABLE DATA entry in TOC order. On seekable output the TOC is
//! written twice: first with placeholder offsets, then, after the data, in
//! place with the real positions, so pg_restore can jump to a table (`-j`,
//! `-t`, `-L`). On a pipe the placeholders stay, as with pg_dump.

use std::io::{self, Seek, SeekFrom, Write};

use super::archive::{self, Header, Trailer, BLOCK_DATA, NO_DATA, POS_NOT_SET, POS_SET};
use super::toc::{Toc, TocEntry};
use super::DataSource;

/// Payload bytes per data chunk: large enough that framing costs nothing,
/// small enough that pg_restore's per-chunk buffer stays modest.
const CHUNK: usize = 128 * 1024;

/// Output the custom writer can patch when it is seekable.
pub trait Sink: Write + Seek {
    /// Whether seeking works (false for stdout and pipes).
    fn seekable(&self) -> bool;
}

/// Writes a custom-format archive of `toc` to `out`.
///
/// `header.compression` (0 for uncompressed blocks, −1 or 1..=9 for zlib)
/// must describe how `data` stores its streams.
pub fn write(
    out: &mut dyn Sink,
    toc: &Toc,
    data: &dyn DataSource,
    header: &Header,
) -> io::Result<()> {
    let entries: Vec<&TocEntry> = toc.entries.iter().collect();
    archive::write_header(out, header)?;
    let seekable = out.seekable();
    let toc_start = if seekable {
        Some(out.stream_position()?)
    } else {
        None
    };
    archive::write_toc(out, &entries, placeholder)?;
    let mut positions: Vec<u64> = Vec::new();
    for e in entries.iter().filter(|e| e.has_data()) {
        if seekable {
            positions.push(out.stream_position()?);
        }
        write_block(out, e, data)?;
    }
    if let Some(start) = toc_start {
        let end = out.stream_position()?;
        out.seek(SeekFrom::Start(start))?;
        let mut next = positions.into_iter();
        archive::write_toc(out, &entries, |e| {
            if e.has_data() {
                Trailer::Offset {
                    flag: POS_SET,
                    pos: next.next().unwrap_or(0),
                }
            } else {
                placeholder(e)
            }
        })?;
        out.seek(SeekFrom::Start(end))?;
    }
    Ok(())
}

fn placeholder(e: &TocEntry) -> Trailer<'_> {
    Trailer::Offset {
        flag: if e.has_data() { POS_NOT_SET } else { NO_DATA },
        pos: 0,
    }
}

/// One data block: type byte, dump id, chunks, and the zero-length end marker.
/// The source stores the data compressed as the header says: then the chunks
/// together are exactly one zlib stream (§3.3).
fn write_block(out: &mut dyn Write, e: &TocEntry, data: &dyn DataSource) -> io::Result<()> {
    out.write_all(&[BLOCK_DATA])?;
    archive::write_int(out, archive::len_i32(e.dump_id as usize)?)?;
    let mut chunks = Chunks::new(out);
    data.write_data(e, &mut chunks)?;
    chunks.finish()
}

/// Frames a byte stream as `Int length` + payload chunks.
struct Chunks<'a> {
    out: &'a mut dyn Write,
    buf: Vec<u8>,
}

impl<'a> Chunks<'a> {
    fn new(out: &'a mut dyn Write) -> Self {
        Self {
            out,
            buf: Vec::with_capacity(CHUNK),
        }
    }

    fn emit(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            archive::write_int(self.out, archive::len_i32(self.buf.len())?)?;
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.emit()?;
        archive::write_int(self.out, 0)
    }
}

impl Write for Chunks<'_> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let n = data.len();
        while !data.is_empty() {
            let room = CHUNK - self.buf.len();
            let take = room.min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() == CHUNK {
                self.emit()?;
            }
        }
        Ok(n)
    }

    /// Ends the current chunk: the source flushes where a chunk must end (§3.3).
    fn flush(&mut self) -> io::Result<()> {
        self.emit()
    }
}
