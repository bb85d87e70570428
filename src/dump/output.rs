//! Where a dump goes: stdout, or a temporary file beside the target that is
//! renamed into place only when the dump is complete. A run that fails or is
//! interrupted drops the temporary file, so it never leaves a partial dump
//! nor clobbers an existing one (the opposite of finishing on drop, on purpose).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// An output stream that becomes visible only on [`AtomicOutput::commit`].
pub enum AtomicOutput {
    /// Standard output (no atomicity possible).
    Stdout(BufWriter<io::Stdout>),
    /// A temp file and the final path.
    File {
        /// Buffered temp file.
        writer: BufWriter<NamedTempFile>,
        /// Final path.
        target: PathBuf,
    },
}

impl AtomicOutput {
    /// Opens `path` (or stdout for `None` / `-`).
    pub fn create(path: Option<&Path>) -> Result<Self> {
        match path {
            None => Ok(Self::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
            Some(p) if p.as_os_str() == "-" => Ok(Self::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
            Some(p) => {
                let dir = p
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or_else(|| Path::new("."));
                let tmp = tempfile::Builder::new()
                    .prefix(".pgmock-")
                    .suffix(".tmp")
                    .tempfile_in(dir)
                    .map_err(|e| Error::io(p, e))?;
                Ok(Self::File {
                    writer: BufWriter::with_capacity(1 << 16, tmp),
                    target: p.to_owned(),
                })
            }
        }
    }

    /// The path errors should name.
    #[must_use]
    pub fn display_path(&self) -> PathBuf {
        match self {
            Self::Stdout(_) => PathBuf::from("<stdout>"),
            Self::File { target, .. } => target.clone(),
        }
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> Result<()> {
        match self {
            Self::Stdout(mut w) => w.flush().map_err(|e| Error::io("<stdout>", e)),
            Self::File { writer, target } => {
                let tmp = writer
                    .into_inner()
                    .map_err(|e| Error::io(&target, e.into_error()))?;
                tmp.as_file()
                    .sync_all()
                    .map_err(|e| Error::io(&target, e))?;
                tmp.persist(&target)
                    .map_err(|e| Error::io(&target, e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Stdout(w) => w.write(buf),
            Self::File { writer, .. } => writer.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Self::Stdout(w) => w.write_all(buf),
            Self::File { writer, .. } => writer.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Stdout(w) => w.flush(),
            Self::File { writer, .. } => writer.flush(),
        }
    }
}
