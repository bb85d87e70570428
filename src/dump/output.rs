//! Where a dump goes: stdout (or a device or named pipe, written in place),
//! or a temporary file beside the target that is
//! renamed into place only when the dump is complete. A run that fails or is
//! interrupted drops the temporary file, so it never leaves a partial dump
//! nor clobbers an existing one (the opposite of finishing on drop, on purpose).
//!
//! Otherwise a target behaves as `pg_dump`'s `fopen(path, "w")` would: a
//! symbolic link is written through (the file it points to gets the dump),
//! an existing file keeps its permissions, and a read-only file is refused.

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
        /// Where the file goes: the named path with its links followed.
        target: PathBuf,
        /// The path as named, for messages.
        shown: PathBuf,
    },
}

/// Why an output cannot take a dump; checked before any work where possible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputProblem {
    /// The path is an existing folder, and the output is one file.
    #[error("this is a folder, but {} is a single file", .writes.unwrap_or("the output"))]
    Folder {
        /// What is written (`a custom archive`), if it is a dump.
        writes: Option<&'static str>,
    },
    /// A folder on the way to the file is a file.
    #[error("`{}` is a file, not a folder", .file.display())]
    NotAFolder {
        /// The file that stands where a folder should be.
        file: PathBuf,
    },
    /// The file exists and is read-only.
    #[error("the file is read-only, so pgmock does not replace it")]
    ReadOnly,
    /// Standard output is closed (`>&-`): what is written would vanish.
    #[error("standard output is closed, so what pgmock writes there would be lost")]
    StdoutClosed,
    /// Binary data would land on a terminal.
    #[error("refusing to write {writes} to a terminal")]
    BinaryToTerminal {
        /// What is written (`a custom archive`).
        writes: &'static str,
    },
}

impl OutputProblem {
    /// The exit code: 2 for a request that cannot make sense, 1 for the environment.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Folder { .. } | Self::BinaryToTerminal { .. } => 2,
            Self::NotAFolder { .. } | Self::ReadOnly | Self::StdoutClosed => 1,
        }
    }

    /// What to do about it, for an output at `path`.
    #[must_use]
    pub fn hint(&self, path: &Path) -> Option<String> {
        match self {
            Self::Folder { writes: Some(_) } => Some(format!(
                "name a file in it (`{}`), or use `-F d` to write a directory-format archive into an empty folder",
                path.join("dump").display()
            )),
            Self::Folder { writes: None } => Some("name a file, not a folder".into()),
            Self::NotAFolder { .. } => None,
            Self::ReadOnly => Some(format!(
                "make it writable (`chmod u+w {}`) or choose another file name",
                path.display()
            )),
            Self::StdoutClosed => Some(
                "redirect standard output to a file (`> FILE`, or `> /dev/null` to discard it), or give `generate` a file with `-f FILE`".into(),
            ),
            Self::BinaryToTerminal { .. } => Some(
                "write it to a file with `-f FILE`, or redirect standard output (`> FILE`)".into(),
            ),
        }
    }
}

/// What standard output is, for the checks of a dump written to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdoutKind {
    /// Closed when the process started (`>&-`).
    Closed,
    /// A terminal.
    Terminal,
    /// A file, pipe or device.
    Other,
}

impl StdoutKind {
    /// What this process's standard output is.
    #[must_use]
    pub fn current() -> Self {
        if stdout_closed() {
            Self::Closed
        } else if io::IsTerminal::is_terminal(&io::stdout()) {
            Self::Terminal
        } else {
            Self::Other
        }
    }
}

/// Whether standard output was closed when the process started.
///
/// Before `main`, Rust's runtime opens `/dev/null` read-write on any of the
/// standard descriptors that is closed, so writes would succeed and the dump
/// would vanish. A shell's `>/dev/null` opens it write-only, which tells the
/// two apart (only an explicit `1<>/dev/null` looks the same).
#[must_use]
pub fn stdout_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        let is_null =
            std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == Path::new("/dev/null"));
        is_null
            && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                    // O_ACCMODE and O_RDWR, the same on every Linux architecture.
                    .is_some_and(|flags| flags & 0o3 == 0o2)
            })
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// Refuses what must not go to standard output of `kind`: anything when it
/// is closed, and a binary dump (`binary`, described by `writes`) when it
/// is a terminal, where it would only garble the screen.
pub fn check_stdout(kind: StdoutKind, writes: &'static str, binary: bool) -> Result<()> {
    let problem = match kind {
        StdoutKind::Closed => OutputProblem::StdoutClosed,
        StdoutKind::Terminal if binary => OutputProblem::BinaryToTerminal { writes },
        StdoutKind::Terminal | StdoutKind::Other => return Ok(()),
    };
    Err(Error::Output {
        path: PathBuf::from("<stdout>"),
        problem,
    })
}

/// Checks, before any work, that `path` (`None` or `-`: standard output)
/// can take a dump that is one file: `writes` says what it is (`a custom
/// archive`), `binary` whether it is unfit for a terminal.
pub fn check(path: Option<&Path>, writes: &'static str, binary: bool) -> Result<()> {
    match path.filter(|p| p.as_os_str() != "-") {
        None => check_stdout(StdoutKind::current(), writes, binary),
        Some(p) => Target::of(p, Some(writes)).map(drop),
    }
}

/// A file target, with links followed and its checks done.
enum Target {
    /// A device or named pipe, written in place.
    Special(PathBuf),
    /// A regular file to create or replace; `existing` is the file it replaces.
    File {
        path: PathBuf,
        existing: Option<std::fs::Metadata>,
    },
}

impl Target {
    /// Follows `path`'s links and checks what they lead to; `writes`
    /// describes a dump, for the error about a folder.
    fn of(path: &Path, writes: Option<&'static str>) -> Result<Self> {
        let fail = |problem| Error::Output {
            path: path.to_owned(),
            problem,
        };
        let resolved = follow_links(path).map_err(|e| Error::io(path, e))?;
        match std::fs::metadata(&resolved) {
            Ok(m) if m.is_dir() => Err(fail(OutputProblem::Folder { writes })),
            Ok(m) if !m.is_file() => Ok(Self::Special(resolved)),
            Ok(m) => {
                if !writable(&resolved, &m).map_err(|e| Error::io(path, e))? {
                    return Err(fail(OutputProblem::ReadOnly));
                }
                Ok(Self::File {
                    path: resolved,
                    existing: Some(m),
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Self::File {
                path: resolved,
                existing: None,
            }),
            Err(e) => match file_in_the_way(folder_of(&resolved)) {
                Some(file) => Err(fail(OutputProblem::NotAFolder { file })),
                None => Err(Error::io(path, e)),
            },
        }
    }
}

/// The path `path`'s symbolic links lead to, even when the last one points
/// at a file that does not exist yet (as `fopen` would create it).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    // As the kernel's limit on links in one lookup: a loop ends with ELOOP.
    const MAX_LINKS: usize = 40;
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&current)?;
                current = if next.is_absolute() {
                    next
                } else {
                    folder_of(&current).join(next)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
}

/// Whether the existing regular file at `path` may be replaced. A file no
/// one may write is refused even for root (whom the kernel would let
/// write), as the user marked it read-only on purpose; otherwise opening it
/// for writing (nothing is written) asks the kernel with the caller's rights.
fn writable(path: &Path, meta: &std::fs::Metadata) -> io::Result<bool> {
    if meta.permissions().readonly() {
        return Ok(false);
    }
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => Ok(false),
        Err(e) => Err(e),
    }
}

/// The nearest existing ancestor of `dir` (itself included) if it is not a
/// folder: the file that makes `afile/x.sql` impossible.
fn file_in_the_way(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find_map(|a| std::fs::metadata(a).ok().map(|m| (a, m)))
        .filter(|(_, m)| !m.is_dir())
        .map(|(a, _)| a.to_owned())
}

/// Gives the new file the owner and permissions of the file it replaces,
/// which writing into that file (as pg_dump does) would have kept.
fn keep_owner_and_mode(file: &std::fs::File, old: &std::fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        let new = file.metadata()?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
            // Only root may give a file away, and only a member may pick a
            // group; for anyone else the new file stays theirs, which is as
            // far as the rename allows, so a refusal is not an error.
            if std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).is_err() {
                let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
            }
        }
        // Set after the owner: a change of owner may clear mode bits.
        file.set_permissions(std::fs::Permissions::from_mode(old.mode() & 0o777))?;
    }
    #[cfg(not(unix))]
    let _ = (file, old);
    Ok(())
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
    if let Some(file) = file_in_the_way(dir) {
        return Error::Output {
            path: target.to_owned(),
            problem: OutputProblem::NotAFolder { file },
        };
    }
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

impl AtomicOutput {
    /// Opens `path` (or stdout for `None` / `-`).
    pub fn create(path: Option<&Path>) -> Result<Self> {
        let stream = |writer: Box<dyn Write>, name: &Path| Sink::Stream {
            writer: BufWriter::with_capacity(1 << 16, writer),
            name: name.to_owned(),
        };
        let sink = match path.filter(|p| p.as_os_str() != "-") {
            None => {
                check_stdout(StdoutKind::current(), "", false)?;
                stream(Box::new(io::stdout()), Path::new("<stdout>"))
            }
            Some(p) => match Target::of(p, None)? {
                Target::Special(device) => {
                    let file = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&device)
                        .map_err(|e| Error::io(p, e))?;
                    stream(Box::new(file), p)
                }
                Target::File {
                    path: real,
                    existing,
                } => {
                    let dir = folder_of(&real);
                    let mut builder = tempfile::Builder::new();
                    builder.prefix(".pgmock-").suffix(".tmp");
                    // As pg_dump's fopen: 0666 less the umask, not tempfile's 0600.
                    #[cfg(unix)]
                    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
                    let tmp = builder
                        .tempfile_in(dir)
                        .map_err(|e| temp_error(p, dir, &e))?;
                    if let Some(old) = &existing {
                        keep_owner_and_mode(tmp.as_file(), old).map_err(|e| Error::io(p, e))?;
                    }
                    Sink::File {
                        writer: BufWriter::with_capacity(1 << 16, tmp),
                        target: real,
                        shown: p.to_owned(),
                    }
                }
            },
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
            Sink::File { shown, .. } => shown.clone(),
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
            Sink::File {
                writer,
                target,
                shown,
            } => {
                let tmp = writer
                    .into_inner()
                    .map_err(|e| Error::io(&shown, e.into_error()))?;
                if sync {
                    tmp.as_file().sync_all().map_err(|e| Error::io(&shown, e))?;
                }
                tmp.persist(&target)
                    .map_err(|e| Error::io(&shown, e.error))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(result: Result<()>) -> Option<OutputProblem> {
        match result {
            Ok(()) => None,
            Err(Error::Output { problem, .. }) => Some(problem),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn binary_dumps_are_refused_on_a_terminal_only() {
        let custom = "a custom-format archive";
        assert_eq!(
            problem(check_stdout(StdoutKind::Terminal, custom, true)),
            Some(OutputProblem::BinaryToTerminal { writes: custom })
        );
        assert_eq!(
            problem(check_stdout(
                StdoutKind::Terminal,
                "a plain SQL script",
                false
            )),
            None
        );
        assert_eq!(problem(check_stdout(StdoutKind::Other, custom, true)), None);
    }

    #[test]
    fn a_closed_stdout_is_refused_for_any_output() {
        for binary in [false, true] {
            assert_eq!(
                problem(check_stdout(StdoutKind::Closed, "x", binary)),
                Some(OutputProblem::StdoutClosed)
            );
        }
    }

    #[test]
    fn the_file_in_the_way_is_the_nearest_existing_ancestor() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("afile");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(file_in_the_way(&file.join("a/b")), Some(file.clone()));
        assert_eq!(file_in_the_way(&file), Some(file));
        assert_eq!(file_in_the_way(&dir.path().join("missing/deeper")), None);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_a_file_that_may_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink("sub/new.sql", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("b")).unwrap();
        assert_eq!(
            follow_links(&dir.path().join("b")).unwrap(),
            dir.path().join("sub/new.sql")
        );
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        assert!(follow_links(&dir.path().join("loop")).is_err());
    }
}
