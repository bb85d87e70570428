//! Decoders for data as the archive stores it: one zlib stream per custom
//! block, fed chunk by chunk so memory stays flat whatever the table size.

use flate2::{Decompress, FlushDecompress, Status};

/// Output buffer size; large enough that zlib rarely has to stop.
const OUT_SIZE: usize = 64 * 1024;

/// One zlib (RFC 1950) stream, fed in pieces.
pub(crate) struct ZlibStream {
    z: Decompress,
    out: Vec<u8>,
    ended: bool,
    trailing: u64,
}

impl ZlibStream {
    /// A decoder expecting a zlib header.
    pub(crate) fn new() -> Self {
        Self {
            z: Decompress::new(true),
            out: vec![0; OUT_SIZE],
            ended: false,
            trailing: 0,
        }
    }

    /// Decompresses `input`, handing every decompressed piece to `sink`.
    pub(crate) fn feed<F: FnMut(&[u8])>(
        &mut self,
        mut input: &[u8],
        sink: &mut F,
    ) -> Result<(), String> {
        loop {
            if self.ended {
                // Counted, not decoded: pg_restore cannot read a second stream.
                self.trailing += input.len() as u64;
                return Ok(());
            }
            let (consumed, produced, status) = self.step(input, FlushDecompress::None)?;
            sink(&self.out[..produced]);
            input = &input[consumed..];
            if status == Status::StreamEnd {
                self.ended = true;
                continue;
            }
            // Done once the input is used up and zlib did not fill the buffer
            // (a full buffer may mean more output is pending).
            if input.is_empty() && produced < self.out.len() {
                return Ok(());
            }
            if consumed == 0 && produced == 0 {
                return Err("zlib stream stopped making progress".to_owned());
            }
        }
    }

    /// Drains pending output and checks that the stream ended exactly at the end of the data.
    pub(crate) fn finish<F: FnMut(&[u8])>(mut self, sink: &mut F) -> Result<(), String> {
        while !self.ended {
            let (_, produced, status) = self.step(&[], FlushDecompress::Finish)?;
            sink(&self.out[..produced]);
            if status == Status::StreamEnd {
                self.ended = true;
            } else if produced == 0 {
                return Err(format!(
                    "compressed data ends before the zlib stream does (after {} decompressed bytes)",
                    self.z.total_out()
                ));
            }
        }
        if self.trailing > 0 {
            return Err(format!(
                "{} bytes follow the end of the zlib stream",
                self.trailing
            ));
        }
        Ok(())
    }

    fn step(
        &mut self,
        input: &[u8],
        flush: FlushDecompress,
    ) -> Result<(usize, usize, Status), String> {
        let (in_before, out_before) = (self.z.total_in(), self.z.total_out());
        let status = self
            .z
            .decompress(input, &mut self.out, flush)
            .map_err(|e| {
                format!(
                    "zlib data is corrupt after {} compressed bytes: {e}",
                    in_before
                )
            })?;
        // Both deltas are bounded by the slice lengths passed in.
        let consumed = usize::try_from(self.z.total_in() - in_before).unwrap_or(input.len());
        let produced = usize::try_from(self.z.total_out() - out_before).unwrap_or(0);
        Ok((
            consumed.min(input.len()),
            produced.min(self.out.len()),
            status,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::ZlibEncoder;
    use std::io::Write;

    fn compress(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn inflate_in_pieces(stream: &[u8], piece: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut z = ZlibStream::new();
        for p in stream.chunks(piece) {
            z.feed(p, &mut |b: &[u8]| out.extend_from_slice(b))?;
        }
        z.finish(&mut |b: &[u8]| out.extend_from_slice(b))?;
        Ok(out)
    }

    #[test]
    fn round_trips_in_any_piece_size() {
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| i.to_string().into_bytes())
            .collect();
        let z = compress(&text);
        for piece in [1, 7, 4096, z.len()] {
            assert_eq!(inflate_in_pieces(&z, piece).unwrap(), text);
        }
    }

    #[test]
    fn truncated_and_trailing_streams_fail() {
        let z = compress(b"hello world\n\\.\n\n\n");
        assert!(inflate_in_pieces(&z[..z.len() - 3], 4).is_err());
        let mut twice = z.clone();
        twice.extend_from_slice(&z);
        assert!(inflate_in_pieces(&twice, 5)
            .unwrap_err()
            .contains("follow the end"));
    }
}
