//! Re-reads every data block of an archive and reports what is wrong with it.
//!
//! Input: the archive's path and its [`Archive`] from [`read`](super::read).
//! Output: a list of [`Problem`]s, empty when every block is sound. Checks
//! per data entry: the block or file exists where the TOC says; its framing
//! (block type, dumpId, chunk lengths) is intact; it decompresses as exactly
//! one stream; and COPY data has the copyStmt's field count in every row and
//! ends with the `\.` line. Verification never stops at the first problem.

mod content;
mod custom;
mod files;
mod frames;
mod inflate;

use std::fmt;
use std::path::Path;

use super::header::{Compression, CompressionMethod};
use super::toc::Entry;
use super::{Archive, ArchiveFormat};
use content::{ContentCheck, Expect};

/// One thing wrong with an archive's data, located as closely as known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The entry whose data is wrong; 0 for the archive as a whole.
    pub dump_id: i32,
    /// That entry's tag (lossy UTF-8); empty for the archive as a whole.
    pub tag: String,
    /// Absolute byte offset in the archive file (custom, tar) or the data file (directory).
    pub offset: Option<u64>,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dump_id == 0 {
            f.write_str("archive")?;
        } else {
            // Tags may hold line breaks; keep the message on one line as pg_restore -l does.
            let tag = self.tag.replace(['\n', '\r'], " ");
            write!(f, "entry {} ({tag})", self.dump_id)?;
        }
        if let Some(offset) = self.offset {
            write!(f, ": at byte {offset}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Re-reads every data block of the archive at `path` (the one `archive` was read from).
#[must_use]
pub fn verify(path: &Path, archive: &Archive) -> Vec<Problem> {
    let mut report = Report::default();
    check_toc(archive, &mut report);
    match archive.format {
        ArchiveFormat::Custom => custom::verify(path, archive, &mut report),
        ArchiveFormat::Directory => files::verify_directory(path, archive, &mut report),
        ArchiveFormat::Tar => files::verify_tar(path, archive, &mut report),
    }
    report.problems
}

/// Collects problems in the order they are found.
#[derive(Debug, Default)]
pub(crate) struct Report {
    problems: Vec<Problem>,
    /// Compression methods already reported as not decodable.
    undecodable: Vec<CompressionMethod>,
}

impl Report {
    /// A problem with `entry`'s data.
    pub(crate) fn entry(&mut self, entry: &Entry, offset: Option<u64>, message: impl Into<String>) {
        self.problems.push(Problem {
            dump_id: entry.dump_id,
            tag: entry.tag.to_string_lossy().into_owned(),
            offset,
            message: message.into(),
        });
    }

    /// A problem with the archive as a whole.
    pub(crate) fn archive(&mut self, offset: Option<u64>, message: impl Into<String>) {
        self.problems.push(Problem {
            dump_id: 0,
            tag: String::new(),
            offset,
            message: message.into(),
        });
    }

    /// Reports an invalid or undecodable compression field of the header.
    pub(crate) fn note_compression(&mut self, compression: Compression) {
        match compression.method() {
            Some(method) => self.note_method(method),
            None => self.archive(
                None,
                format!("invalid compression {compression} in the header; data not decompressed"),
            ),
        }
    }

    /// Reports, once per method, compression this tool cannot decode: the
    /// framing of such data is still checked, its content is not.
    pub(crate) fn note_method(&mut self, method: CompressionMethod) {
        let decodable = matches!(
            method,
            CompressionMethod::None
                | CompressionMethod::Gzip
                | CompressionMethod::Lz4
                | CompressionMethod::Zstd
        );
        if decodable || self.undecodable.contains(&method) {
            return;
        }
        self.undecodable.push(method);
        self.archive(
            None,
            format!(
                "{method} data cannot be decompressed by this tool; its content was not checked"
            ),
        );
    }
}

/// TOC facts that make pg_restore fail before it reads any data.
fn check_toc(archive: &Archive, report: &mut Report) {
    let max_id = archive.entries.iter().map(|e| e.dump_id).max().unwrap_or(0);
    let mut seen = std::collections::HashSet::new();
    for entry in &archive.entries {
        if !seen.insert(entry.dump_id) {
            report.entry(
                entry,
                Some(entry.toc_offset),
                "dumpId is used by an earlier entry too",
            );
        }
        if entry.is("TABLE DATA") && entry.deps.first().is_some_and(|&d| d > max_id) {
            report.entry(
                entry,
                Some(entry.toc_offset),
                "first dependency is larger than every dumpId (pg_restore: bad table dumpId for TABLE DATA item)",
            );
        }
    }
}

/// The content check an entry's data needs; a copyStmt that cannot be parsed is reported.
pub(crate) fn content_check(entry: &Entry, utf8: bool, report: &mut Report) -> ContentCheck {
    let expect = if entry.is("BLOBS") {
        Expect::Binary
    } else {
        match entry.copy_stmt.as_ref().filter(|s| !s.is_empty()) {
            None => Expect::Statements,
            Some(stmt) => match content::copy_columns(stmt.as_bytes()) {
                Ok(n) => Expect::Copy { columns: Some(n) },
                Err(why) => {
                    report.entry(
                        entry,
                        Some(entry.toc_offset),
                        format!("cannot count the columns of copyStmt {stmt:?}: {why}"),
                    );
                    Expect::Copy { columns: None }
                }
            },
        }
    };
    ContentCheck::new(expect, utf8)
}

/// Whether the ENCODING entry names UTF-8, so data can be checked as UTF-8.
pub(crate) fn database_is_utf8(archive: &Archive) -> bool {
    let Some(defn) = archive
        .entries
        .iter()
        .find(|e| e.is("ENCODING"))
        .and_then(|e| e.defn.as_ref())
    else {
        return false;
    };
    // pg_restore takes the text between the first two quotes.
    let mut quoted = defn.as_bytes().split(|&b| b == b'\'');
    let name: Vec<u8> = quoted
        .nth(1)
        .unwrap_or_default()
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    name == b"utf8"
}
