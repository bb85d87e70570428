//! Reading a project file (`pgmock.json`): text → JSON document with its
//! source map, keys kept in file order (serde_json `preserve_order`), so a
//! later merge patch can address one column of one table.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Problem, Result, Source};
use crate::provenance::Sources;
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
    let bytes = match fs_err::read(path) {
        Ok(b) => b,
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
    parse_bytes(bytes, PathBuf::from(path), None)
}

/// Parses a JSON document read as bytes from `path`: text that is not
/// UTF-8 (which JSON requires) is refused at its first bad byte, rather
/// than read with replacement characters that would end up in the dump.
pub fn parse_bytes(bytes: Vec<u8>, path: PathBuf, label: Option<String>) -> Result<ProjectFile> {
    match String::from_utf8(bytes) {
        Ok(text) => parse(text, path, label),
        Err(e) => {
            let position = crate::source_map::invalid_utf8_position(e.as_bytes(), &e.utf8_error());
            let byte = e
                .as_bytes()
                .get(e.utf8_error().valid_up_to())
                .copied()
                .unwrap_or_default();
            Err(Error::Json {
                message: format!("byte 0x{byte:02X} is not UTF-8 (save the file as UTF-8 text)"),
                line: position.line,
                column: position.column,
                source_doc: Box::new(Source::new(
                    path,
                    label,
                    String::from_utf8_lossy(e.as_bytes()).into_owned(),
                )),
            })
        }
    }
}

/// Parses the text of a JSON document (a project file or a template) that
/// was read from `path`; `label` says what it is in diagnostics.
pub fn parse(text: String, path: PathBuf, label: Option<String>) -> Result<ProjectFile> {
    // Editors on Windows like to start UTF-8 files with a byte-order mark,
    // which JSON does not allow; it carries no meaning, so skip it.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(document) => {
            let source = Source::new(path, label, text);
            if !crate::source_map::has_duplicate_keys(&source.text) {
                Ok(ProjectFile { document, source })
            } else {
                let problems = duplicate_keys(source.map());
                Err(Error::Invalid {
                    sources: Box::new(Sources::single(source)),
                    problems,
                })
            }
        }
        Err(e) => {
            let (line, column) = error_position(&text, e.line(), e.column());
            Err(Error::Json {
                message: e
                    .to_string()
                    .split(" at line")
                    .next()
                    .unwrap_or("")
                    .to_owned(),
                line,
                column,
                source_doc: Box::new(Source::new(path, label, text)),
            })
        }
    }
}

/// One problem per key that an object lists more than once: serde_json
/// keeps the last value, so the others would vanish without a word.
fn duplicate_keys(map: &SourceMap) -> Vec<Problem> {
    map.duplicates()
        .iter()
        .map(|d| {
            let times = if d.count == 2 {
                "twice".to_owned()
            } else {
                format!("{} times", d.count)
            };
            Problem::new(&d.pointer, format!("duplicate key `{}`: this object lists it {times}", d.key))
                .at_key()
                .hint(format!(
                    "the first `{}` is at line {}, column {}; only one would be kept, so merge them or rename one",
                    d.key, d.first.line, d.first.column
                ))
        })
        .collect()
}

/// serde_json's position of a syntax error (1-based line, and column in
/// bytes, 0 right after a newline) as a 1-based line and column in
/// characters that points at something a user can see: an error at the end
/// of the file points just after its last character.
fn error_position(text: &str, line: usize, column: usize) -> (usize, usize) {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if text[offset..].trim().is_empty() {
        offset = text.trim_end().len();
        let end_line = text[..offset].matches('\n').count() + 1;
        let end_line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        return (end_line, text[end_line_start..offset].chars().count() + 1);
    }
    let this_line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[this_line_start..offset].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_positions_are_one_based() {
        // At the end of the file: just after the last character.
        assert_eq!(error_position("{\"a\": 1\n", 2, 0), (1, 8));
        assert_eq!(error_position("{\"a\": 1  \n\n  ", 3, 2), (1, 8));
        assert_eq!(error_position("\n", 2, 0), (1, 1));
        // Elsewhere: the same place, counted in characters.
        assert_eq!(error_position("{\n\"a\" x\n}", 2, 5), (2, 5));
        assert_eq!(error_position("{\n\"é\" x\n}", 2, 6), (2, 5));
        assert_eq!(error_position("{\"a\":\n}", 2, 0), (2, 1));
    }
}
