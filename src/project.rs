//! Reading a project file (`pgmock.json`): text → JSON document with its
//! source map, keys kept in file order (serde_json `preserve_order`), so a
//! later merge patch can address one column of one table.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result, Source};
use crate::source_map::SourceMap;

/// A loaded project document.
#[derive(Debug, Clone)]
pub struct ProjectFile {
    /// The parsed document.
    pub document: Value,
    /// Its source, for diagnostics.
    pub source: Source,
}

/// Reads and parses `path`.
pub fn read(path: &Path) -> Result<ProjectFile> {
    let text = match fs_err::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let hint = if path.file_name().is_some_and(|n| n == "pgmock.json") {
                Some("run `pgmock generate FILE` with a schema file, or create `pgmock.json` here (see `examples/`)".to_owned())
            } else {
                None
            };
            return Err(Error::MissingInput {
                path: path.to_owned(),
                hint,
            });
        }
        Err(e) => return Err(Error::io(PathBuf::from(path), e)),
    };
    let display = PathBuf::from(path);
    match serde_json::from_str::<Value>(&text) {
        Ok(document) => {
            let map = SourceMap::build(&text);
            Ok(ProjectFile {
                document,
                source: Source {
                    path: display,
                    text,
                    map,
                },
            })
        }
        Err(e) => Err(Error::Json {
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or("")
                .to_owned(),
            line: e.line(),
            column: e.column(),
            source_doc: Box::new(Source {
                path: display,
                text,
                map: SourceMap::default(),
            }),
        }),
    }
}
