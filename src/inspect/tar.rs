//! Just enough ustar (pg-dump-format.md §13) to find an archive's members: 512-byte
//! headers with octal sizes, accepted the way pg_restore accepts them.

use std::io::{self, Read, Seek, SeekFrom};

use super::error::FormatProblem;
use super::primitives::ReadFailure;

/// The tar block size.
pub(crate) const BLOCK: usize = 512;

/// One member: its name and where its data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    /// The header's name field up to the first NUL (pg_restore ignores the ustar prefix).
    pub(crate) name: Vec<u8>,
    /// Absolute offset of the member's header block.
    pub(crate) header_offset: u64,
    /// Absolute offset of the member's first data byte.
    pub(crate) data_offset: u64,
    /// Data length in bytes.
    pub(crate) size: u64,
}

/// A parsed header block: the end-of-archive marker or a member's name and size.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HeaderBlock {
    /// An all-zero block.
    End,
    /// A member header.
    Member {
        /// Name field up to the first NUL.
        name: Vec<u8>,
        /// Data length.
        size: u64,
    },
}

/// Parses one header block, checking checksum and magic as pg_restore does.
pub(crate) fn parse_header(block: &[u8; BLOCK]) -> Result<HeaderBlock, &'static str> {
    if block.iter().all(|&b| b == 0) {
        return Ok(HeaderBlock::End);
    }
    let (before, rest) = block.split_at(148);
    let (stored_sum, after) = rest.split_at(8);
    // The checksum field itself counts as eight spaces.
    let computed: u64 = before
        .iter()
        .chain(after)
        .map(|&b| u64::from(b))
        .sum::<u64>()
        + 8 * u64::from(b' ');
    if octal(stored_sum) != Some(computed) {
        return Err("checksum mismatch");
    }
    let magic = &block[257..265];
    let posix = &magic[..6] == b"ustar\0" && &magic[6..] == b"00";
    if !(posix || magic == b"ustar  \0" || magic == b"ustar00\0") {
        return Err("no ustar magic");
    }
    let name_field = &block[..100];
    let name_len = name_field.iter().position(|&b| b == 0).unwrap_or(100);
    let size = size_field(&block[124..136]).ok_or("size field out of range")?;
    Ok(HeaderBlock::Member {
        name: name_field[..name_len].to_vec(),
        size,
    })
}

/// Octal digits from the start of `field` up to the first non-digit; `None` on overflow.
fn octal(field: &[u8]) -> Option<u64> {
    field
        .iter()
        .take_while(|b| (b'0'..=b'7').contains(b))
        .try_fold(0u64, |acc, &d| {
            acc.checked_mul(8)?.checked_add(u64::from(d - b'0'))
        })
}

/// The size field: octal, or base-256 big-endian after a 0x80 marker byte (≥ 8 GiB).
fn size_field(field: &[u8]) -> Option<u64> {
    match field.split_first() {
        Some((0x80, digits)) => digits.iter().try_fold(0u64, |acc, &b| {
            acc.checked_mul(256)?.checked_add(u64::from(b))
        }),
        _ => octal(field),
    }
}

/// Walks a tar file's members from the start, stopping at the end marker,
/// the end of the file, or the first broken header.
pub(crate) struct Members<R> {
    reader: R,
    pos: u64,
    len: u64,
    done: bool,
}

impl<R: Read + Seek> Members<R> {
    /// A walk over `reader`, which holds `len` bytes.
    pub(crate) fn new(reader: R, len: u64) -> Self {
        Self {
            reader,
            pos: 0,
            len,
            done: false,
        }
    }

    fn read_block(&mut self) -> io::Result<[u8; BLOCK]> {
        let mut block = [0u8; BLOCK];
        self.reader.seek(SeekFrom::Start(self.pos))?;
        self.reader.read_exact(&mut block)?;
        Ok(block)
    }

    fn next_member(&mut self) -> Result<Option<Member>, ReadFailure> {
        // pg_dump always writes the end marker, but a missing one is harmless.
        if self.len.saturating_sub(self.pos) < BLOCK as u64 {
            return Ok(None);
        }
        let header_offset = self.pos;
        let block = self.read_block().map_err(ReadFailure::Io)?;
        let fail = |problem| ReadFailure::Format {
            offset: header_offset,
            problem,
        };
        let (name, size) = match parse_header(&block) {
            Ok(HeaderBlock::End) => return Ok(None),
            Ok(HeaderBlock::Member { name, size }) => (name, size),
            Err(reason) => return Err(fail(FormatProblem::BadTarHeader { reason })),
        };
        let data_offset = header_offset + BLOCK as u64;
        let available = self.len - data_offset;
        if size > available {
            return Err(fail(FormatProblem::TarMemberTruncated {
                name: String::from_utf8_lossy(&name).into_owned(),
                size,
                available,
            }));
        }
        // Cannot overflow: size fits in the file.
        self.pos = data_offset + size.div_ceil(BLOCK as u64) * BLOCK as u64;
        Ok(Some(Member {
            name,
            header_offset,
            data_offset,
            size,
        }))
    }
}

impl<R: Read + Seek> Iterator for Members<R> {
    type Item = Result<Member, ReadFailure>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.next_member().transpose();
        if !matches!(item, Some(Ok(_))) {
            self.done = true;
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, size: u64) -> [u8; BLOCK] {
        let mut b = [0u8; BLOCK];
        b[..name.len()].copy_from_slice(name.as_bytes());
        b[124..136].copy_from_slice(format!("{size:011o} ").as_bytes());
        b[257..263].copy_from_slice(b"ustar\0");
        b[263..265].copy_from_slice(b"00");
        b[148..156].copy_from_slice(b"        ");
        let sum: u64 = b.iter().map(|&x| u64::from(x)).sum();
        b[148..156].copy_from_slice(format!("{sum:07o} ").as_bytes());
        b
    }

    #[test]
    fn parses_a_member_header() {
        assert_eq!(
            parse_header(&header("toc.dat", 1234)),
            Ok(HeaderBlock::Member {
                name: b"toc.dat".to_vec(),
                size: 1234
            })
        );
        assert_eq!(parse_header(&[0; BLOCK]), Ok(HeaderBlock::End));
    }

    #[test]
    fn rejects_a_bad_checksum() {
        let mut h = header("toc.dat", 1);
        h[0] = b'x';
        assert_eq!(parse_header(&h), Err("checksum mismatch"));
    }

    #[test]
    fn walks_members_and_reports_truncation() {
        let mut file = header("a", 3).to_vec();
        file.extend_from_slice(&[b'x'; BLOCK]);
        file.extend_from_slice(&header("b", 5000));
        let members: Vec<_> = Members::new(io::Cursor::new(&file), file.len() as u64).collect();
        assert_eq!(members.len(), 2);
        assert!(
            matches!(&members[0], Ok(m) if m.name == b"a" && m.data_offset == 512 && m.size == 3)
        );
        assert!(matches!(
            &members[1],
            Err(ReadFailure::Format {
                offset: 1024,
                problem: FormatProblem::TarMemberTruncated { .. }
            })
        ));
    }
}
