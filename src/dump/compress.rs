//! How table data is stored compressed, in pieces that worker threads
//! compress independently and the writer joins in order
//! (pg-dump-format.md §3.3, §12):
//!
//! * custom format: one zlib stream per table. Each piece is raw deflate
//!   ending in a full flush (byte-aligned, not final), the last one ends with
//!   the final block; the writer puts the zlib header in front and the
//!   Adler-32 of the whole text, combined from the pieces', at the end.
//!   pg_restore rejects two zlib streams in one block, hence this shape.
//! * directory format: each piece is a whole gzip member; gzip readers,
//!   pg_restore's included, read concatenated members as one file.
//! * lz4 and zstd (archive version 1.15, pg_restore 16 and newer): each
//!   piece is a whole frame. pg_restore's zstd reader stops reading a chunk
//!   at the end of a frame, so in the custom format every frame must end a
//!   chunk: the joiner flushes the writer after each piece to cut one there.
//!
//! Piece boundaries never depend on the number of threads, so the bytes do not either.

use std::io::{self, Write};

use flate2::{Compress, FlushCompress, Status};

/// How a table's data stream is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// Stored as is.
    None,
    /// One zlib stream per table (custom format), at this level (1..=9).
    Zlib(u32),
    /// Concatenated gzip members (directory format, plain), at this level.
    Gzip(u32),
    /// Concatenated LZ4 frames.
    Lz4,
    /// Concatenated Zstandard frames, at this level.
    Zstd(i32),
}

impl Codec {
    /// The codec for an archive header compression value (0 none, −1 default, 1..=9).
    #[must_use]
    pub fn zlib_for(header_value: i32) -> Self {
        match header_value {
            0 => Self::None,
            l => Self::Zlib(
                u32::try_from(l)
                    .ok()
                    .filter(|l| (1..=9).contains(l))
                    .unwrap_or(6),
            ),
        }
    }

    /// The same level as gzip members.
    #[must_use]
    pub fn as_gzip(self) -> Self {
        match self {
            Self::Zlib(l) => Self::Gzip(l),
            other => other,
        }
    }

    /// The algorithm byte of archive version 1.15 headers (0 none, 1 gzip, 2 lz4, 3 zstd).
    #[must_use]
    pub fn algorithm(self) -> u8 {
        match self {
            Self::None => 0,
            Self::Zlib(_) | Self::Gzip(_) => 1,
            Self::Lz4 => 2,
            Self::Zstd(_) => 3,
        }
    }

    /// The suffix pg_restore looks for on a directory-format data file.
    #[must_use]
    pub fn file_suffix(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Zlib(_) | Self::Gzip(_) => ".gz",
            Self::Lz4 => ".lz4",
            Self::Zstd(_) => ".zst",
        }
    }
}

/// One compressed piece of a data stream.
#[derive(Debug, Default)]
pub struct Piece {
    /// The stored bytes.
    pub bytes: Vec<u8>,
    /// Adler-32 of the uncompressed text (zlib only).
    pub adler: u32,
    /// Length of the uncompressed text.
    pub len: u64,
}

/// Compresses one piece of text; `last` marks the end of the stream.
pub fn piece(codec: Codec, text: Vec<u8>, last: bool) -> io::Result<Piece> {
    let len = text.len() as u64;
    match codec {
        Codec::None => Ok(Piece {
            bytes: text,
            adler: 1,
            len,
        }),
        Codec::Gzip(level) => {
            let mut z = flate2::write::GzEncoder::new(
                Vec::with_capacity(text.len() / 3 + 64),
                flate2::Compression::new(level),
            );
            z.write_all(&text)?;
            Ok(Piece {
                bytes: z.finish()?,
                adler: 1,
                len,
            })
        }
        Codec::Zlib(level) => Ok(Piece {
            bytes: raw_deflate(level, &text, last)?,
            adler: zlib_rs::adler32::adler32(1, &text),
            len,
        }),
        Codec::Lz4 => {
            let mut z = lz4_flex::frame::FrameEncoder::new(Vec::with_capacity(text.len() / 2));
            z.write_all(&text)?;
            Ok(Piece {
                bytes: z.finish().map_err(io::Error::other)?,
                adler: 1,
                len,
            })
        }
        Codec::Zstd(level) => Ok(Piece {
            bytes: zstd::bulk::compress(&text, level)?,
            adler: 1,
            len,
        }),
    }
}

/// Raw deflate of `input`, ending in a full flush, or in the final block when `last`.
fn raw_deflate(level: u32, input: &[u8], last: bool) -> io::Result<Vec<u8>> {
    let mut c = Compress::new(flate2::Compression::new(level), false);
    let mut out = Vec::with_capacity(input.len() / 3 + 1024);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Full
    };
    loop {
        let consumed = usize::try_from(c.total_in()).unwrap_or(input.len());
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity().max(4096));
        }
        let status = c
            .compress_vec(&input[consumed.min(input.len())..], &mut out, flush)
            .map_err(io::Error::other)?;
        let all_in = c.total_in() == input.len() as u64;
        // A flush is complete when all input is in and the output had room to spare.
        let done = match status {
            Status::StreamEnd => true,
            _ => !last && all_in && out.len() < out.capacity(),
        };
        if done {
            return Ok(out);
        }
    }
}

/// Joins the pieces of one stream, in order, into the stored bytes.
#[derive(Debug)]
pub struct Joiner {
    codec: Codec,
    adler: u32,
    started: bool,
}

impl Joiner {
    /// A joiner for one table's stream.
    #[must_use]
    pub fn new(codec: Codec) -> Self {
        Self {
            codec,
            adler: 1,
            started: false,
        }
    }

    /// Writes the next piece (and, before the first, the zlib header).
    pub fn push(&mut self, piece: &Piece, out: &mut dyn Write) -> io::Result<()> {
        if let Codec::Zlib(level) = self.codec {
            if !self.started {
                out.write_all(&zlib_header(level))?;
            }
            self.adler = zlib_rs::adler32::adler32_combine(self.adler, piece.adler, piece.len);
        }
        self.started = true;
        out.write_all(&piece.bytes)?;
        if matches!(self.codec, Codec::Lz4 | Codec::Zstd(_)) {
            out.flush()?;
        }
        Ok(())
    }

    /// Writes what follows the last piece: the Adler-32 trailer of a zlib stream.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        if let Codec::Zlib(_) = self.codec {
            out.write_all(&self.adler.to_be_bytes())?;
        }
        Ok(())
    }
}

/// The two zlib header bytes zlib itself writes for `level` (RFC 1950: the
/// level hint in FLG, and FCHECK making the pair a multiple of 31).
fn zlib_header(level: u32) -> [u8; 2] {
    let hint: u16 = match level {
        0 | 1 => 0,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    };
    let cmf: u16 = 0x78;
    let mut flg = hint << 6;
    flg += 31 - ((cmf << 8) + flg) % 31;
    #[allow(clippy::cast_possible_truncation)]
    [cmf as u8, flg as u8]
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn text(n: usize) -> Vec<u8> {
        (0..n)
            .flat_map(|i| format!("{i}\trow {}\n", i % 97).into_bytes())
            .collect()
    }

    fn joined(codec: Codec, parts: &[&[u8]]) -> Vec<u8> {
        let mut j = Joiner::new(codec);
        let mut out = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            let piece = piece(codec, p.to_vec(), i + 1 == parts.len()).expect("compress");
            j.push(&piece, &mut out).expect("join");
        }
        j.finish(&mut out).expect("finish");
        out
    }

    #[test]
    fn zlib_pieces_form_one_valid_stream() {
        let all = text(20_000);
        let (a, rest) = all.split_at(70_001);
        let (b, c) = rest.split_at(100);
        let stored = joined(Codec::Zlib(6), &[a, b, c, &[]]);
        assert_eq!(&stored[..2], [0x78, 0x9c], "zlib's own header for level 6");
        // A strict reader: one zlib stream, checksum verified, nothing after it.
        let mut d = flate2::read::ZlibDecoder::new(&stored[..]);
        let mut back = Vec::new();
        d.read_to_end(&mut back).expect("valid zlib stream");
        assert_eq!(back, all);
        assert_eq!(d.total_in(), stored.len() as u64, "no trailing bytes");
    }

    #[test]
    fn gzip_members_read_back_as_one_file() {
        let all = text(5_000);
        let (a, b) = all.split_at(1234);
        let stored = joined(Codec::Gzip(1), &[a, b]);
        let mut back = Vec::new();
        flate2::read::MultiGzDecoder::new(&stored[..])
            .read_to_end(&mut back)
            .expect("valid gzip");
        assert_eq!(back, all);
    }

    #[test]
    fn lz4_and_zstd_frames_read_back_as_one_stream() {
        let all = text(5_000);
        let (a, b) = all.split_at(999);
        let stored = joined(Codec::Zstd(3), &[a, b]);
        let back = zstd::stream::decode_all(&stored[..]).expect("valid zstd");
        assert!(back == all, "zstd frames read back");
        // Two LZ4 frames: lz4_flex's decoder reads one frame at a time.
        let stored = joined(Codec::Lz4, &[a, b]);
        let mut rest = &stored[..];
        let mut back = Vec::new();
        while !rest.is_empty() {
            let mut d = lz4_flex::frame::FrameDecoder::new(rest);
            d.read_to_end(&mut back).expect("valid lz4");
            rest = d.into_inner();
        }
        assert!(back == all, "lz4 frames read back");
    }

    #[test]
    fn zlib_headers_are_valid_for_every_level() {
        for level in 0..=9 {
            let [cmf, flg] = zlib_header(level);
            assert_eq!(
                (u16::from(cmf) * 256 + u16::from(flg)) % 31,
                0,
                "level {level}"
            );
        }
        assert_eq!(zlib_header(1), [0x78, 0x01]);
        assert_eq!(zlib_header(9), [0x78, 0xda]);
    }
}
