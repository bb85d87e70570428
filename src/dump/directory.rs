//! The directory format (`-Fd`, pg-dump-format.md §12): `toc.dat` plus one
//! file of COPY text per TABLE DATA entry, gzip-compressed as `<id>.dat.gz`
//! unless compression is off. Files are written one after another; the
//! data source's workers generate several tables at once.
//!
//! The folder is built under a temporary name beside the target and renamed
//! into place when complete, so a failed run leaves nothing behind.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::archive::{self, Header};
use super::toc::{Toc, TocEntry};
use super::DataSource;
use crate::error::{Error, Result};

pub use super::archive::data_file;

/// A directory being built; renamed to its target by [`Staging::commit`].
pub struct Staging {
    tmp: tempfile::TempDir,
    target: PathBuf,
}

/// Refuses a target that is a file or a folder with files in it (checked
/// before any work, and again when the folder is built).
pub fn check_target(target: &Path) -> Result<()> {
    if target.exists() {
        let empty = target.is_dir()
            && std::fs::read_dir(target)
                .map_err(|e| Error::io(target, e))?
                .next()
                .is_none();
        if !empty {
            return Err(Error::InvalidArgument {
                flag: "-f/--file".into(),
                value: target.display().to_string(),
                expected: "a folder that does not exist yet or is empty (directory format writes one file per table)".into(),
            });
        }
    }
    Ok(())
}

impl Staging {
    /// Checks the target (absent, or an empty folder, as pg_dump accepts) and
    /// creates the temporary folder beside it.
    pub fn create(target: &Path) -> Result<Self> {
        // A link to a folder is written through, as pg_dump writes into it:
        // the folder is built beside the link's target and renamed over it.
        let resolved;
        let target = if target.is_symlink() && target.is_dir() {
            resolved = std::fs::canonicalize(target).map_err(|e| Error::io(target, e))?;
            resolved.as_path()
        } else {
            target
        };
        check_target(target)?;
        let parent = super::output::folder_of(target);
        let tmp = tempfile::Builder::new()
            .prefix(".pgmock-")
            .suffix(".tmp")
            .tempdir_in(parent)
            .map_err(|e| super::output::temp_error(target, parent, &e))?;
        Ok(Self {
            tmp,
            target: target.to_owned(),
        })
    }

    /// The folder files are written to until commit.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Syncs every file and the folder, then renames it into place.
    pub fn commit(self, sync: bool) -> Result<()> {
        let target = self.target;
        if sync {
            for entry in std::fs::read_dir(self.tmp.path()).map_err(|e| Error::io(&target, e))? {
                let path = entry.map_err(|e| Error::io(&target, e))?.path();
                File::open(&path)
                    .and_then(|f| f.sync_all())
                    .map_err(|e| Error::io(&path, e))?;
            }
        }
        // rename(2) replaces an existing empty folder by itself. On failure
        // `self.tmp` is dropped, which removes the temporary folder.
        std::fs::rename(self.tmp.path(), &target).map_err(|e| Error::io(&target, e))?;
        let _renamed = self.tmp.keep();
        if sync {
            File::open(&target)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(&target, e))?;
            super::output::sync_folder_of(&target)?;
        }
        Ok(())
    }
}

/// Writes `toc.dat` and the data files into `dir`, in TOC order. Returns
/// the bytes written. `suffix` (`.gz`, `.lz4`, `.zst` or empty) names how
/// the source stores data.
pub fn write(
    dir: &Path,
    toc: &Toc,
    data: &dyn DataSource,
    header: &Header,
    suffix: &str,
) -> io::Result<u64> {
    let entries: Vec<&TocEntry> = toc.entries.iter().collect();
    let toc_bytes = archive::toc_dat(&entries, header)?;
    std::fs::write(dir.join("toc.dat"), &toc_bytes)?;
    let mut bytes = toc_bytes.len() as u64;
    for e in entries.into_iter().filter(|e| e.has_data()) {
        bytes += write_file(dir, e, data, suffix)?;
    }
    Ok(bytes)
}

/// The data file of `e`, `<id>.dat` plus the compression's suffix.
fn write_file(dir: &Path, e: &TocEntry, data: &dyn DataSource, suffix: &str) -> io::Result<u64> {
    let path = dir.join(format!("{}{suffix}", data_file(e)));
    let mut w = Counted::new(BufWriter::with_capacity(1 << 16, File::create(&path)?));
    data.write_data(e, &mut w)?;
    w.inner.flush()?;
    Ok(w.bytes)
}

/// Counts the bytes that reach the file.
struct Counted<W: Write> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Counted<W> {
    fn new(inner: W) -> Self {
        Self { inner, bytes: 0 }
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
