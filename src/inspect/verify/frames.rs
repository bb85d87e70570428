//! lz4 and zstd data (archive version 1.15 and later): readers for
//! directory-format files, and a whole-block decode for custom-format blocks
//! that also checks what pg_restore's zstd reader needs: a frame may end only
//! where a chunk ends, because that reader drops the rest of a chunk after
//! the end of a frame.

use std::io::{self, BufRead, Read};

use crate::inspect::header::CompressionMethod;

/// Output pieces handed to the content check.
const PIECE: usize = 64 * 1024;

/// A reader that decompresses `method` frames, one after another.
pub(super) fn reader<'a>(
    method: CompressionMethod,
    input: impl BufRead + 'a,
) -> io::Result<Box<dyn Read + 'a>> {
    Ok(match method {
        CompressionMethod::Lz4 => Box::new(Lz4Frames {
            current: Some(lz4_flex::frame::FrameDecoder::new(input)),
        }),
        CompressionMethod::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(input)?),
        CompressionMethod::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        CompressionMethod::None => Box::new(input),
    })
}

/// Reads LZ4 frames one after another: lz4_flex's decoder stops at the end
/// of its frame, while pg_restore's reads on into the next one.
struct Lz4Frames<R: BufRead> {
    current: Option<lz4_flex::frame::FrameDecoder<R>>,
}

impl<R: BufRead> Read for Lz4Frames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(decoder) = self.current.as_mut() else {
                return Ok(0);
            };
            let n = decoder.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            let mut input = self
                .current
                .take()
                .map(lz4_flex::frame::FrameDecoder::into_inner);
            if let Some(mut rest) = input.take() {
                if !rest.fill_buf()?.is_empty() {
                    self.current = Some(lz4_flex::frame::FrameDecoder::new(rest));
                }
            }
        }
    }
}

/// Decodes a block's frames into `sink`; `chunk_ends` are the offsets in
/// `data` where the archive's chunks ended.
pub(super) fn decode<F: FnMut(&[u8])>(
    method: CompressionMethod,
    data: &[u8],
    chunk_ends: Option<&[usize]>,
    sink: &mut F,
) -> Result<(), String> {
    if data.is_empty() {
        return Err(format!("{method} block has no data"));
    }
    if let (CompressionMethod::Zstd, Some(ends)) = (method, chunk_ends) {
        let mut at = 0;
        while at < data.len() {
            let size =
                zstd::zstd_safe::find_frame_compressed_size(&data[at..]).map_err(|code| {
                    format!(
                        "invalid zstd frame at data byte {at}: {}",
                        zstd::zstd_safe::get_error_name(code)
                    )
                })?;
            at += size;
            if !ends.contains(&at) {
                return Err(format!(
                    "a zstd frame ends inside a chunk (data byte {at}); pg_restore would drop the rest of that chunk"
                ));
            }
        }
    }
    let mut r = reader(method, data).map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; PIECE];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => sink(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("could not decompress {method} data: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn lz4_frame(text: &[u8]) -> Vec<u8> {
        let mut z = lz4_flex::frame::FrameEncoder::new(Vec::new());
        z.write_all(text).expect("compress");
        z.finish().expect("compress")
    }

    #[test]
    fn zstd_frames_must_end_chunks() {
        let a = zstd::bulk::compress(b"1\tone\n", 3).expect("compress");
        let b = zstd::bulk::compress(b"\\.\n\n\n", 3).expect("compress");
        let data = [a.clone(), b].concat();
        let mut out = Vec::new();
        decode(
            CompressionMethod::Zstd,
            &data,
            Some(&[a.len(), data.len()]),
            &mut |p| out.extend_from_slice(p),
        )
        .expect("frames end chunks");
        assert_eq!(out, b"1\tone\n\\.\n\n\n");
        let frames = [
            lz4_frame(b"1\tone\n"),
            lz4_frame(b"2\ttwo\n"),
            lz4_frame(b"\\.\n\n\n"),
        ]
        .concat();
        let mut out = Vec::new();
        decode(CompressionMethod::Lz4, &frames, None, &mut |p| {
            out.extend_from_slice(p)
        })
        .expect("lz4 frames");
        assert!(
            out == b"1\tone\n2\ttwo\n\\.\n\n\n",
            "every lz4 frame is read"
        );
        let err = decode(
            CompressionMethod::Zstd,
            &data,
            Some(&[data.len()]),
            &mut |_| {},
        )
        .expect_err("the first frame ends inside the only chunk");
        assert!(err.contains("inside a chunk"), "{err}");
    }
}
