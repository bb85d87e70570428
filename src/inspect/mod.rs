//! The inspect stage: reads a pg_dump archive back, prints its table of
//! contents exactly as `pg_restore -l` does, and re-reads every data block.
//!
//! Input: a path to a custom (`-Fc`) file, a directory (`-Fd`) or a tar
//! (`-Ft`) file, archive versions 1.12 to 1.16. Output: an [`Archive`]
//! (header and TOC, no data), then text from [`list`] or [`Problem`]s from
//! [`verify`].
//!
//! Corrupt input is expected here: every length is checked against the
//! bytes that are left before anything is allocated, and nothing panics.
//! [`read`] stops at the first broken byte of the header or TOC; [`verify`]
//! keeps going and reports every broken data block it finds.

mod error;
mod header;
mod list;
mod primitives;
mod tar;
mod toc;
mod verify;

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

pub use error::{FormatProblem, InspectError};
pub use header::{Compression, CompressionMethod, CreationTime, Header, Version};
pub use list::list;
pub use primitives::{OffsetFlag, PgString};
pub use toc::{DataLocation, Entry, Section};
pub use verify::{verify, Problem};

use primitives::{ByteReader, ReadFailure};
use toc::Trailer;

/// Archive format detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    /// One file: header, TOC, then data blocks (`-Fc`).
    Custom,
    /// A directory with `toc.dat` and one file per data entry (`-Fd`).
    Directory,
    /// A ustar file with a `toc.dat` member and one member per data entry (`-Ft`).
    Tar,
}

impl ArchiveFormat {
    /// The format byte the header must carry in this container.
    fn format_byte(self) -> u8 {
        match self {
            Self::Custom => 1,
            Self::Directory | Self::Tar => 3,
        }
    }
}

/// A parsed archive header + TOC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    /// Which container the archive is in.
    pub format: ArchiveFormat,
    /// The header.
    pub header: Header,
    /// The TOC entries in archive order.
    pub entries: Vec<Entry>,
    /// Absolute offset just past the TOC: where a custom archive's first data
    /// block starts (the end of `toc.dat` or its tar member otherwise).
    pub toc_end: u64,
}

/// What pg_dump puts at the top of a plain script; pg_restore refuses such files.
const PLAIN_HEADERS: [&[u8]; 2] = [
    b"--\n-- PostgreSQL database dump\n--\n\n",
    b"--\n-- PostgreSQL database cluster dump\n--\n\n",
];

/// Reads the header and TOC of the archive at `path`, detecting its format
/// as pg_restore does: a directory holding `toc.dat`, a file starting with
/// `PGDMP`, or a file starting with a valid tar header.
///
/// # Errors
/// [`InspectError`] when the path cannot be read, is not an archive, or its
/// header or TOC is damaged; format errors give the file and byte offset.
pub fn read(path: &Path) -> Result<Archive, InspectError> {
    let meta = fs::metadata(path).map_err(io_error(path))?;
    if meta.is_dir() {
        return read_directory(path);
    }
    let mut file = File::open(path).map_err(io_error(path))?;
    let len = file.metadata().map_err(io_error(path))?.len();
    let mut start = Vec::with_capacity(tar::BLOCK);
    (&mut file)
        .take(tar::BLOCK as u64)
        .read_to_end(&mut start)
        .map_err(io_error(path))?;
    if start.starts_with(b"PGDMP") {
        file.seek(SeekFrom::Start(0)).map_err(io_error(path))?;
        return read_single(path, ArchiveFormat::Custom, file, 0, len, Trailer::Offset);
    }
    if PLAIN_HEADERS.iter().any(|h| start.starts_with(h)) {
        return Err(InspectError::PlainText {
            path: path.to_path_buf(),
        });
    }
    let first_block = <&[u8; tar::BLOCK]>::try_from(start.as_slice());
    if first_block
        .is_ok_and(|b| matches!(tar::parse_header(b), Ok(tar::HeaderBlock::Member { .. })))
    {
        return read_tar(path, file, len);
    }
    Err(InspectError::NotAnArchive {
        path: path.to_path_buf(),
        reason: "neither `PGDMP` magic nor a tar header",
    })
}

fn read_directory(dir: &Path) -> Result<Archive, InspectError> {
    let toc_path = dir.join("toc.dat");
    let file = match File::open(&toc_path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(InspectError::NotAnArchive {
                path: dir.to_path_buf(),
                reason: "directory has no `toc.dat`",
            })
        }
        Err(e) => return Err(io_error(&toc_path)(e)),
    };
    let len = file.metadata().map_err(io_error(&toc_path))?.len();
    read_single(
        &toc_path,
        ArchiveFormat::Directory,
        file,
        0,
        len,
        Trailer::FileName,
    )
}

fn read_tar(path: &Path, mut file: File, len: u64) -> Result<Archive, InspectError> {
    // pg_restore finds toc.dat by scanning forward, so it need not be first.
    let mut members = tar::Members::new(&file, len);
    let toc = loop {
        match members.next() {
            Some(Ok(member)) if member.name == b"toc.dat" => break member,
            Some(Ok(_)) => {}
            Some(Err(failure)) => return Err(located(path)(failure)),
            None => {
                return Err(InspectError::Format {
                    path: path.to_path_buf(),
                    offset: 0,
                    problem: FormatProblem::NoTocMember,
                })
            }
        }
    };
    file.seek(SeekFrom::Start(toc.data_offset))
        .map_err(io_error(path))?;
    let end = toc.data_offset + toc.size;
    read_single(
        path,
        ArchiveFormat::Tar,
        file,
        toc.data_offset,
        end,
        Trailer::FileName,
    )
}

/// Reads header and TOC from `file`, positioned at `start`, bounded by `end`.
fn read_single(
    path: &Path,
    format: ArchiveFormat,
    file: File,
    start: u64,
    end: u64,
    trailer: Trailer,
) -> Result<Archive, InspectError> {
    let mut r = ByteReader::new(BufReader::new(file), start, end);
    let parsed = header::read_header(&mut r, format.format_byte()).and_then(|header| {
        let entries = toc::read_toc(&mut r, header.version, trailer)?;
        Ok((header, entries))
    });
    let (header, entries) = parsed.map_err(located(path))?;
    Ok(Archive {
        format,
        header,
        entries,
        toc_end: r.position(),
    })
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> InspectError + '_ {
    move |source| InspectError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn located(path: &Path) -> impl Fn(ReadFailure) -> InspectError + '_ {
    move |failure| match failure {
        ReadFailure::Io(source) => InspectError::Io {
            path: PathBuf::from(path),
            source,
        },
        ReadFailure::Format { offset, problem } => InspectError::Format {
            path: PathBuf::from(path),
            offset,
            problem,
        },
    }
}
