//! The one error type of the library and the exit code each kind maps to.
//!
//! Variants carry data (paths, JSON pointers, what was expected); all drawing
//! happens in `diagnostic`, so tests can match on the data and users get one
//! consistent layout.

use std::path::PathBuf;

use crate::provenance::{FileId, Sources};
use crate::source_map::SourceMap;

/// One problem found in a user document, located by JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// RFC 6901 pointer into the document (`/tables/orders/columns/total/type`).
    pub pointer: String,
    /// What is wrong, lowercase, with names in backticks, no trailing period.
    pub message: String,
    /// An optional suggestion (`did you mean \`timestamp\`?`).
    pub hint: Option<String>,
    /// Whether the problem points at an object key rather than a value.
    pub at_key: bool,
    /// The file `pointer` points into; `None` for the effective document,
    /// whose pointers [`Sources`] maps back to the file they came from.
    pub file: Option<FileId>,
    /// Other places that explain the problem (where a conflicting table was first defined).
    pub notes: Vec<Note>,
}

/// A secondary place shown under a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What the place is (`first defined here`).
    pub message: String,
    /// The file.
    pub file: FileId,
    /// Pointer into that file.
    pub pointer: String,
}

impl Problem {
    /// A problem at a value.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
            hint: None,
            at_key: false,
            file: None,
            notes: Vec::new(),
        }
    }

    /// Points the problem into one file directly rather than into the effective document.
    #[must_use]
    pub fn in_file(mut self, file: FileId) -> Self {
        self.file = Some(file);
        self
    }

    /// Adds a secondary place.
    #[must_use]
    pub fn note(
        mut self,
        message: impl Into<String>,
        file: FileId,
        pointer: impl Into<String>,
    ) -> Self {
        self.notes.push(Note {
            message: message.into(),
            file,
            pointer: pointer.into(),
        });
        self
    }

    /// Adds a hint.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks the problem as located at the member key.
    #[must_use]
    pub fn at_key(mut self) -> Self {
        self.at_key = true;
        self
    }
}

/// A source document a problem list refers to: its path, text and positions.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// Display path of the file (`pgmock.json`).
    pub path: PathBuf,
    /// What the file is, shown before its path (`ecommerce@1.1.0`), for template files.
    pub label: Option<String>,
    /// The full text, for snippets.
    pub text: String,
    /// Pointer → line and column, built from `text` the first time a
    /// diagnostic asks: a valid project never needs it, and on a project of
    /// a million values it took a quarter of `validate`.
    map: std::sync::OnceLock<SourceMap>,
}

impl Source {
    /// A source document; its positions are found when first asked for.
    #[must_use]
    pub fn new(path: PathBuf, label: Option<String>, text: String) -> Self {
        Self {
            path,
            label,
            text,
            map: std::sync::OnceLock::new(),
        }
    }

    /// Pointer → line and column of this document.
    #[must_use]
    pub fn map(&self) -> &SourceMap {
        self.map.get_or_init(|| SourceMap::build(&self.text))
    }
}

/// Every way a pgmock run can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The input file does not exist.
    #[error("cannot find `{}`", .path.display())]
    MissingInput {
        /// The path that was looked for.
        path: PathBuf,
        /// A hint, e.g. where a project file would usually be.
        hint: Option<String>,
    },
    /// The input is not valid JSON.
    #[error("invalid JSON: {message}")]
    Json {
        /// The document.
        source_doc: Box<Source>,
        /// serde_json's description.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The document is valid JSON but not a valid project; every problem is listed.
    #[error("{} problem(s) in `{}`", .problems.len(), .sources.files.first().map(|f| f.path.display().to_string()).unwrap_or_default())]
    Invalid {
        /// The files the problems point into.
        sources: Box<Sources>,
        /// All problems found.
        problems: Vec<Problem>,
    },
    /// A command-line value is malformed.
    #[error("invalid value `{value}` for `{flag}`: {expected}")]
    InvalidArgument {
        /// The flag, as typed (`--rows`).
        flag: String,
        /// The offending value.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// A table pattern (`-t`, `-T`) matched nothing where pg_dump would refuse too.
    #[error("no matching tables were found for pattern `{pattern}`")]
    NoMatch {
        /// The pattern.
        pattern: String,
    },
    /// A schema pattern (`-n`) matched nothing, which pg_dump refuses too.
    #[error("no matching schemas were found for pattern `{pattern}`")]
    NoMatchingSchema {
        /// The pattern.
        pattern: String,
    },
    /// An archive given to `pgmock inspect` cannot be read.
    #[error(transparent)]
    Archive(#[from] crate::inspect::InspectError),
    /// `pgmock inspect --verify` found damaged data.
    #[error("{}: {problems} problem(s) in the data", .path.display())]
    Damaged {
        /// The archive.
        path: PathBuf,
        /// How many problems were reported.
        problems: usize,
    },
    /// `pgmock.lock` cannot be read as a lock file.
    #[error("{}: not a valid lock file: {message}", .path.display())]
    BadLock {
        /// The lock file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// The lock no longer describes the project, or `--locked` found no lock.
    #[error("{message}")]
    LockMismatch {
        /// The lock file.
        path: PathBuf,
        /// What differs.
        message: String,
        /// What to run.
        hint: String,
    },
    /// A template pack is malformed, unsafe or conflicts with an installed one.
    #[error("{}: {message}", .path.display())]
    Pack {
        /// The pack folder or archive.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },
    /// `pgmock pack verify` or `templates verify` found templates that do
    /// not work, or whose data breaks their contract.
    #[error("{}: {failed} of {total} trial(s) failed", .path.display())]
    PackVerify {
        /// The pack.
        path: PathBuf,
        /// How many failed.
        failed: usize,
        /// How many there are.
        total: usize,
    },
    /// The output (`-f FILE`, or standard output) cannot take what the run writes.
    #[error("{}: {problem}", .path.display())]
    Output {
        /// The file named, or `<stdout>`.
        path: PathBuf,
        /// What is wrong with it.
        problem: crate::dump::output::OutputProblem,
    },
    /// A signal stopped the run (SIGINT from Ctrl-C, SIGTERM, SIGHUP).
    #[error("{}", stop_reason(*.signal))]
    Interrupted {
        /// The signal's number.
        signal: i32,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// Adds a hint to a pack error (other errors carry their hints elsewhere).
    #[must_use]
    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        if let Self::Pack { hint, .. } = &mut self {
            *hint = Some(text.into());
        }
        self
    }

    /// The process exit code: 1 run failed, 2 invalid input or usage, 130 interrupted.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Output { problem, .. } => problem.exit_code(),
            Self::Io { .. }
            | Self::MissingInput { .. }
            | Self::Archive(crate::inspect::InspectError::Io { .. }) => 1,
            Self::Archive(_)
            | Self::Damaged { .. }
            | Self::Json { .. }
            | Self::Invalid { .. }
            | Self::InvalidArgument { .. }
            | Self::NoMatch { .. }
            | Self::NoMatchingSchema { .. }
            | Self::BadLock { .. }
            | Self::LockMismatch { .. }
            | Self::Pack { .. }
            | Self::PackVerify { .. } => 2,
            // As a shell reports a process a signal ended: 128 + its number.
            Self::Interrupted { signal } => u8::try_from(128 + signal).unwrap_or(130),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How a stop by signal number `signal` is reported.
fn stop_reason(signal: i32) -> &'static str {
    match signal {
        1 => "hangup: the terminal went away",
        15 => "terminated",
        _ => "interrupted",
    }
}
