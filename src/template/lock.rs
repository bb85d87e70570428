//! `pgmock.lock`: the exact version, source and content hash of every
//! template a project used, so the same project builds the same document on
//! every machine until someone accepts a change with `--update`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The lock file's name, beside the project file.
pub const LOCK_FILE: &str = "pgmock.lock";

/// What `generate` does with the lock file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockMode {
    /// Use the lock when there is one; a template that changed, or a lock that
    /// no longer matches the project, is an error.
    #[default]
    Use,
    /// Pick templates afresh and write a new lock (`--update`, `pgmock lock`).
    Update,
    /// Like `Use`, but a missing lock is an error too (`--locked`, for CI).
    Locked,
}

/// One locked template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Full name (`ecommerce`, `acme/claims`).
    pub name: String,
    /// Exact version.
    pub version: String,
    /// Where it came from (`built-in`, `project`, `path:DIR`, `pack:acme@1.0.0`).
    pub source: String,
    /// sha256 of its files, hex.
    pub sha256: String,
}

/// The whole lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Format version, 1.
    pub version: u32,
    /// Every template used, sorted by name and version.
    pub templates: Vec<Entry>,
}

impl Lock {
    /// A lock of these entries, in a stable order.
    #[must_use]
    pub fn new(mut templates: Vec<Entry>) -> Self {
        templates.sort_by(|a, b| {
            (&a.name, &a.version, &a.source).cmp(&(&b.name, &b.version, &b.source))
        });
        templates.dedup();
        Self {
            version: 1,
            templates,
        }
    }

    /// Reads `path`; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> Result<Option<Self>> {
        // Bytes, not text: serde_json places a byte that is not UTF-8 by line and column.
        let bytes = match fs_err::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| Error::BadLock {
                path: path.to_owned(),
                message: e.to_string(),
            })
    }

    /// The file's text: pretty JSON with a final newline, stable for diffs.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}
