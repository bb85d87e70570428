//! The archive's four primitives (pg-dump-format.md §1): Byte, Int, String and
//! Offset, read from a bounded source that knows its absolute position.
//!
//! Every length is checked against the bytes that are left before anything
//! is allocated, so a corrupt length fails with a located error instead of
//! a huge allocation.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufReader, Read};

use super::error::FormatProblem;

/// A text field exactly as stored: bytes in the dumped database's encoding.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PgString(Vec<u8>);

impl PgString {
    /// Wraps raw bytes.
    #[must_use]
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The raw bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text, with invalid UTF-8 replaced by U+FFFD.
    #[must_use]
    pub fn to_string_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }

    /// Whether the string has no bytes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for PgString {
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

impl PartialEq<str> for PgString {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for PgString {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl fmt::Debug for PgString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string_lossy(), f)
    }
}

impl fmt::Display for PgString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_lossy())
    }
}

/// The flag byte in front of a custom-format data offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetFlag {
    /// 1: the entry has data, but the writer could not seek back to record where.
    PosNotSet,
    /// 2: the entry's data block starts at the recorded offset.
    PosSet,
    /// 3: the entry has no data block.
    NoData,
}

impl OffsetFlag {
    fn from_byte(flag: u8) -> Option<Self> {
        match flag {
            1 => Some(Self::PosNotSet),
            2 => Some(Self::PosSet),
            3 => Some(Self::NoData),
            _ => None,
        }
    }
}

impl fmt::Display for OffsetFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PosNotSet => "1 (position not set)",
            Self::PosSet => "2 (position set)",
            Self::NoData => "3 (no data)",
        })
    }
}

/// Why a read stopped: the OS failed, or the bytes break the format.
#[derive(Debug)]
pub(crate) enum ReadFailure {
    /// An I/O error other than running out of bytes.
    Io(io::Error),
    /// The bytes at `offset` are not what the format allows.
    Format {
        /// Absolute offset of the item that failed.
        offset: u64,
        /// What is wrong.
        problem: FormatProblem,
    },
}

/// The largest intSize pg_restore accepts.
pub(crate) const MAX_INT_SIZE: u8 = 32;

/// Reads primitives from `inner`, which sits at absolute offset `pos` and
/// may be read up to absolute offset `end`.
pub(crate) struct ByteReader<R> {
    inner: R,
    pos: u64,
    end: u64,
    int_size: usize,
    off_size: usize,
}

impl<R: Read> ByteReader<R> {
    /// A reader over `inner`, positioned at absolute `start`, bounded by `end`.
    pub(crate) fn new(inner: R, start: u64, end: u64) -> Self {
        Self {
            inner,
            pos: start,
            end,
            int_size: 4,
            off_size: 8,
        }
    }

    /// Sets the header's intSize and offSize; intSize is clamped to what the header check allows.
    pub(crate) fn set_sizes(&mut self, int_size: u8, off_size: u8) {
        self.int_size = usize::from(int_size.min(MAX_INT_SIZE));
        self.off_size = usize::from(off_size);
    }

    /// The absolute offset of the next byte.
    pub(crate) fn position(&self) -> u64 {
        self.pos
    }

    /// Bytes left before the bound.
    pub(crate) fn remaining(&self) -> u64 {
        self.end.saturating_sub(self.pos)
    }

    /// A format failure at `offset`.
    pub(crate) fn fail(offset: u64, problem: FormatProblem) -> ReadFailure {
        ReadFailure::Format { offset, problem }
    }

    /// Fills `buf` completely, or fails as truncated without consuming anything useful.
    pub(crate) fn exact(&mut self, buf: &mut [u8], field: &'static str) -> Result<(), ReadFailure> {
        let needed = buf.len() as u64;
        let truncated = |available| {
            Self::fail(
                self.pos,
                FormatProblem::Truncated {
                    field,
                    needed,
                    available,
                },
            )
        };
        if needed > self.remaining() {
            return Err(truncated(self.remaining()));
        }
        match self.inner.read_exact(buf) {
            Ok(()) => {
                self.pos += needed;
                Ok(())
            }
            // The file shrank under us, or its length was wrong: still truncation.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(truncated(0)),
            Err(e) => Err(ReadFailure::Io(e)),
        }
    }

    /// One Byte.
    pub(crate) fn byte(&mut self, field: &'static str) -> Result<u8, ReadFailure> {
        let mut b = [0u8; 1];
        self.exact(&mut b, field)?;
        Ok(b[0])
    }

    /// One Int: a sign byte, then intSize bytes of magnitude, least significant first.
    pub(crate) fn int(&mut self, field: &'static str) -> Result<i32, ReadFailure> {
        let at = self.pos;
        let mut buf = [0u8; 1 + MAX_INT_SIZE as usize];
        // `set_sizes` clamps int_size, so the fallback is never taken.
        let used = buf.get_mut(..=self.int_size).unwrap_or_default();
        self.exact(used, field)?;
        let (sign, digits) = used.split_at(1);
        let magnitude = little_endian(digits)
            .and_then(|m| i32::try_from(m).ok())
            .ok_or_else(|| Self::fail(at, FormatProblem::IntOutOfRange { field }))?;
        Ok(if sign == [0] { magnitude } else { -magnitude })
    }

    /// One String: an Int length (negative = NULL, as pg_restore reads it) and the bytes.
    pub(crate) fn string(&mut self, field: &'static str) -> Result<Option<PgString>, ReadFailure> {
        let at = self.pos;
        let Ok(length) = u64::try_from(self.int(field)?) else {
            return Ok(None);
        };
        if length > self.remaining() {
            return Err(Self::fail(
                at,
                FormatProblem::LengthPastEnd {
                    field,
                    length,
                    available: self.remaining(),
                },
            ));
        }
        // Bounded by the check above, so a corrupt length cannot over-allocate.
        let mut bytes = vec![0u8; usize::try_from(length).unwrap_or(0)];
        self.exact(&mut bytes, field)?;
        Ok(Some(PgString(bytes)))
    }

    /// A String that must not be NULL, because pg_restore dereferences it.
    pub(crate) fn required_string(&mut self, field: &'static str) -> Result<PgString, ReadFailure> {
        let at = self.pos;
        self.string(field)?
            .ok_or_else(|| Self::fail(at, FormatProblem::NullField { field }))
    }

    /// One Offset: a flag byte, then offSize bytes of position, least significant first.
    pub(crate) fn offset(&mut self, field: &'static str) -> Result<(OffsetFlag, u64), ReadFailure> {
        let at = self.pos;
        let raw = self.byte(field)?;
        let flag = OffsetFlag::from_byte(raw)
            .ok_or_else(|| Self::fail(at, FormatProblem::BadOffsetFlag { flag: raw }))?;
        let mut position = 0u64;
        for i in 0..self.off_size {
            let b = self.byte(field)?;
            if i < 8 {
                position |= u64::from(b) << (8 * i);
            } else if b != 0 {
                return Err(Self::fail(at, FormatProblem::OffsetTooLarge));
            }
        }
        Ok((flag, position))
    }
}

impl<R: Read + io::Seek> ByteReader<BufReader<R>> {
    /// Skips `n` bytes without reading them, failing as truncated past the bound.
    pub(crate) fn skip(&mut self, n: u64, field: &'static str) -> Result<(), ReadFailure> {
        if n > self.remaining() {
            return Err(Self::fail(
                self.pos,
                FormatProblem::Truncated {
                    field,
                    needed: n,
                    available: self.remaining(),
                },
            ));
        }
        // `n` fits i64: it is at most the remaining length of a file.
        let step =
            i64::try_from(n).map_err(|_| ReadFailure::Io(io::Error::other("skip too large")))?;
        self.inner.seek_relative(step).map_err(ReadFailure::Io)?;
        self.pos += n;
        Ok(())
    }
}

/// A little-endian magnitude; `None` when a byte beyond the eighth is non-zero.
fn little_endian(bytes: &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        if i < 8 {
            value |= u64::from(b) << (8 * i);
        } else if b != 0 {
            return None;
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: &[u8]) -> ByteReader<&[u8]> {
        ByteReader::new(bytes, 0, bytes.len() as u64)
    }

    #[test]
    fn int_is_sign_and_magnitude() {
        assert_eq!(reader(&[0, 0x0a, 0x0d, 0, 0]).int("x").unwrap(), 3338);
        assert_eq!(reader(&[1, 1, 0, 0, 0]).int("x").unwrap(), -1);
        assert!(matches!(
            reader(&[0, 0xff, 0xff, 0xff, 0xff]).int("x"),
            Err(ReadFailure::Format {
                problem: FormatProblem::IntOutOfRange { .. },
                ..
            })
        ));
    }

    #[test]
    fn string_null_empty_and_text() {
        assert_eq!(reader(&[1, 1, 0, 0, 0]).string("s").unwrap(), None);
        assert_eq!(
            reader(&[0, 0, 0, 0, 0]).string("s").unwrap(),
            Some(PgString::default())
        );
        assert_eq!(
            reader(&[0, 2, 0, 0, 0, b'h', b'i']).string("s").unwrap(),
            Some(PgString::from("hi"))
        );
    }

    #[test]
    fn huge_string_length_is_an_error_not_an_allocation() {
        let err = reader(&[0, 0xff, 0xff, 0xff, 0x7f, b'x'])
            .string("tag")
            .unwrap_err();
        assert!(matches!(
            err,
            ReadFailure::Format {
                offset: 0,
                problem: FormatProblem::LengthPastEnd { available: 1, .. }
            }
        ));
    }

    #[test]
    fn offset_flags() {
        let mut r = reader(&[2, 0xcf, 4, 0, 0, 0, 0, 0, 0, 9]);
        assert_eq!(r.offset("o").unwrap(), (OffsetFlag::PosSet, 0x4cf));
        assert!(matches!(
            r.offset("o"),
            Err(ReadFailure::Format {
                offset: 9,
                problem: FormatProblem::BadOffsetFlag { flag: 9 }
            })
        ));
    }
}
