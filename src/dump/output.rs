//! Where a dump goes: stdout (or a device or named pipe, written in place),
//! or a temporary file beside the target that is
//! renamed into place only when the dump is complete. A run that fails or is
//! interrupted drops the temporary file, so it never leaves a partial dump
//! nor clobbers an existing one (the opposite of finishing on drop, on purpose).

use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// An output stream that becomes visible only on [`AtomicOutput::commit`].
pub struct AtomicOutput {
    sink: Sink,
    /// Current position, to report the size without asking the file system.
    pos: u64,
    /// Bytes in the output so far (a seek back and rewrite does not grow it).
    len: u64,
}

enum Sink {
    /// Standard output, or an existing file that is not a regular file (a
    /// device such as `/dev/null`, a named pipe): written in place as a
    /// stream, since renaming over it would replace the device itself.
    Stream {
        writer: BufWriter<Box<dyn Write>>,
        name: PathBuf,
    },
    File {
        writer: BufWriter<NamedTempFile>,
        target: PathBuf,
    },
}

/// The folder `path` is in (`.` for a bare file name): where its temporary twin goes.
pub(crate) fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

/// The error for a temporary file or folder that could not be made beside
/// `target` in `dir`: about the folder, not the temporary name the user
/// never asked for.
pub(crate) fn temp_error(target: &Path, dir: &Path, e: &io::Error) -> Error {
    let why = if dir.is_dir() {
        format!("cannot create a file in `{}`: {}", dir.display(), e.kind())
    } else {
        format!("the folder `{}` does not exist", dir.display())
    };
    Error::io(target, io::Error::new(e.kind(), why))
}

/// Makes a rename into `path`'s folder durable: the new name lives in the
/// folder's own data, which a crash could otherwise lose with the file synced.
pub(crate) fn sync_folder_of(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let folder = folder_of(path);
        std::fs::File::open(folder)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(folder, e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Whether `path` exists and is something other than a file or folder.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

impl AtomicOutput {
    /// Opens `path` (or stdout for `None` / `-`).
    pub fn create(path: Option<&Path>) -> Result<Self> {
        let stream = |writer: Box<dyn Write>, name: &Path| Sink::Stream {
            writer: BufWriter::with_capacity(1 << 16, writer),
            name: name.to_owned(),
        };
        let sink = match path {
            Some(p) if p.as_os_str() != "-" && is_special(p) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .map_err(|e| Error::io(p, e))?;
                stream(Box::new(file), p)
            }
            Some(p) if p.as_os_str() != "-" => {
                let dir = folder_of(p);
                let mut builder = tempfile::Builder::new();
                builder.prefix(".pgmock-").suffix(".tmp");
                // As pg_dump's fopen: 0666 less the umask, not tempfile's 0600.
                #[cfg(unix)]
                builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
                let tmp = builder
                    .tempfile_in(dir)
                    .map_err(|e| temp_error(p, dir, &e))?;
                Sink::File {
                    writer: BufWriter::with_capacity(1 << 16, tmp),
                    target: p.to_owned(),
                }
            }
            _ => stream(Box::new(io::stdout()), Path::new("<stdout>")),
        };
        Ok(Self {
            sink,
            pos: 0,
            len: 0,
        })
    }

    /// The path errors should name.
    #[must_use]
    pub fn display_path(&self) -> PathBuf {
        match &self.sink {
            Sink::Stream { name, .. } => name.clone(),
            Sink::File { target, .. } => target.clone(),
        }
    }

    /// Bytes written so far.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing has been written.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A folder for spooling temporary data: beside the target, else the system's.
    #[must_use]
    pub fn spool_dir(&self) -> PathBuf {
        match &self.sink {
            Sink::File { target, .. } => folder_of(target).to_owned(),
            Sink::Stream { .. } => std::env::temp_dir(),
        }
    }

    /// Flushes, syncs (unless `sync` is false) and renames the file into place.
    pub fn commit(self, sync: bool) -> Result<()> {
        match self.sink {
            Sink::Stream { mut writer, name } => writer.flush().map_err(|e| Error::io(name, e)),
            Sink::File { writer, target } => {
                let tmp = writer
                    .into_inner()
                    .map_err(|e| Error::io(&target, e.into_error()))?;
                if sync {
                    tmp.as_file()
                        .sync_all()
                        .map_err(|e| Error::io(&target, e))?;
                }
                tmp.persist(&target)
                    .map_err(|e| Error::io(&target, e.error))?;
                if sync {
                    sync_folder_of(&target)?;
                }
                Ok(())
            }
        }
    }

    fn advance(&mut self, n: usize) {
        self.pos += n as u64;
        self.len = self.len.max(self.pos);
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match &mut self.sink {
            Sink::Stream { writer, .. } => writer.write(buf)?,
            Sink::File { writer, .. } => writer.write(buf)?,
        };
        self.advance(n);
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stream { writer, .. } => writer.write_all(buf)?,
            Sink::File { writer, .. } => writer.write_all(buf)?,
        }
        self.advance(buf.len());
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stream { writer, .. } => writer.flush(),
            Sink::File { writer, .. } => writer.flush(),
        }
    }
}

impl Seek for AtomicOutput {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match &mut self.sink {
            Sink::Stream { .. } => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the output is a stream and cannot seek",
            )),
            Sink::File { writer, .. } => {
                self.pos = writer.seek(pos)?;
                Ok(self.pos)
            }
        }
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.pos)
    }
}

impl super::custom::Sink for AtomicOutput {
    fn seekable(&self) -> bool {
        matches!(self.sink, Sink::File { .. })
    }
}
