//! Renders an [`Error`] for people: message, file:line:column, JSON path,
//! the offending source line with a caret, and a hint.
//!
//! This is the only place that decides how errors look, so every command
//! prints them the same way.

use std::fmt::Write as _;

use crate::error::{Error, Problem, Source};
use crate::provenance::Sources;

/// Renders an error as the text printed to stderr (ends with a newline).
#[must_use]
pub fn render(error: &Error) -> String {
    let mut out = String::new();
    match error {
        Error::Invalid { sources, problems } => {
            for (i, problem) in problems.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                render_problem(&mut out, sources, problem);
            }
            if problems.len() > 1 {
                let files = problem_files(sources, problems);
                let _ = writeln!(out, "\nerror: {} problems in {files}", problems.len());
            }
        }
        Error::Json {
            source_doc,
            message,
            line,
            column,
        } => {
            let _ = writeln!(out, "error: invalid JSON: {message}");
            let _ = writeln!(out, " --> {}:{line}:{column}", shown_path(source_doc));
            snippet(&mut out, &source_doc.text, *line, *column);
        }
        Error::MissingInput { path, hint } => {
            let _ = writeln!(out, "error: cannot find `{}`", path.display());
            if let Some(hint) = hint {
                let _ = writeln!(out, "\nhint: {hint}");
            }
        }
        Error::Pack {
            path,
            message,
            hint,
        } => located(&mut out, message, path, hint.as_deref()),
        Error::Output { path, problem } => {
            let hint = problem.hint(path);
            located(&mut out, &problem.to_string(), path, hint.as_deref());
        }
        Error::LockMismatch {
            path,
            message,
            hint,
        } => located(&mut out, message, path, Some(hint)),
        other => {
            let _ = writeln!(out, "error: {other}");
        }
    }
    out
}

/// An error about a whole file or folder: message, path, hint.
fn located(out: &mut String, message: &str, path: &std::path::Path, hint: Option<&str>) {
    let _ = writeln!(out, "error: {message}");
    let _ = writeln!(out, " --> {}", path.display());
    if let Some(hint) = hint {
        let _ = writeln!(out, "\nhint: {hint}");
    }
}

/// How a file is named in a diagnostic: its path, after its label if it has one
/// (`ecommerce@1.1.0 <built-in>/ecommerce/1.1.0/template.json`).
fn shown_path(source: &Source) -> String {
    match &source.label {
        Some(label) => format!("{label} {}", source.path.display()),
        None => source.path.display().to_string(),
    }
}

/// The files a list of problems points into, for the closing count line.
fn problem_files(sources: &Sources, problems: &[Problem]) -> String {
    let mut names: Vec<String> = Vec::new();
    for problem in problems {
        let file = problem
            .file
            .unwrap_or_else(|| sources.origin(&problem.pointer).file);
        if let Some(source) = sources.files.get(file) {
            let name = format!("`{}`", shown_path(source));
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.join(" and ")
}

fn render_problem(out: &mut String, sources: &Sources, problem: &Problem) {
    let _ = writeln!(out, "error: {}", problem.message);
    let (file, pointer) = match problem.file {
        Some(file) => (file, problem.pointer.clone()),
        None => {
            let origin = sources.origin(&problem.pointer);
            (origin.file, origin.pointer)
        }
    };
    let resolved_as = (problem.file.is_none() && pointer != problem.pointer)
        .then(|| format!(", `{}` once resolved", show_pointer(&problem.pointer)));
    locate(
        out,
        sources,
        file,
        &pointer,
        problem.at_key,
        resolved_as.as_deref().unwrap_or(""),
    );
    for note in &problem.notes {
        let _ = writeln!(out, "note: {}", note.message);
        // Notes point at definitions: the key shows which one.
        locate(out, sources, note.file, &note.pointer, true, "");
    }
    if let Some(hint) = &problem.hint {
        let _ = writeln!(out, "\nhint: {hint}");
    }
}

/// The pointer as shown: control characters in keys (a NUL, a line break)
/// are escaped so the message stays one readable line.
fn show_pointer(pointer: &str) -> std::borrow::Cow<'_, str> {
    if pointer.is_empty() {
        "/".into()
    } else if pointer.chars().any(char::is_control) {
        pointer
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        pointer.into()
    }
}

/// The ` --> file:line:col (at pointer)` line and the source snippet.
fn locate(
    out: &mut String,
    sources: &Sources,
    file: usize,
    pointer: &str,
    at_key: bool,
    extra: &str,
) {
    let at = show_pointer(pointer);
    let Some(source) = sources.files.get(file) else {
        let _ = writeln!(out, " --> (at {at}{extra})");
        return;
    };
    let pos = if at_key {
        source.map().key(pointer)
    } else {
        source.map().value(pointer)
    };
    match pos {
        Some(pos) => {
            let _ = writeln!(
                out,
                " --> {}:{}:{} (at {at}{extra})",
                shown_path(source),
                pos.line,
                pos.column
            );
            snippet(out, &source.text, pos.line, pos.column);
        }
        None => {
            let _ = writeln!(out, " --> {} (at {at}{extra})", shown_path(source));
        }
    }
}

fn snippet(out: &mut String, text: &str, line: usize, column: usize) {
    let Some(src) = text.lines().nth(line.saturating_sub(1)) else {
        return;
    };
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let shown: String = src.chars().take(160).collect();
    let caret_pad: String = shown
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{number} | {shown}");
    let _ = writeln!(out, "{pad} | {caret_pad}^");
}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
#[must_use]
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_for_typo() {
        assert_eq!(
            did_you_mean("timestmp", ["timestamp", "time", "text"]),
            Some("timestamp")
        );
        assert_eq!(did_you_mean("zzz", ["timestamp", "time"]), None);
    }

    #[test]
    fn renders_location_snippet_and_hint() {
        let text = "{\n  \"tables\": {\"t\": {\"rowz\": 1}}\n}\n".to_owned();
        let source = Source::new("pgmock.json".into(), None, text);
        let err = Error::Invalid {
            sources: Box::new(Sources::single(source)),
            problems: vec![Problem::new("/tables/t/rowz", "unknown key `rowz`")
                .hint("did you mean `rows`?")
                .at_key()],
        };
        let shown = render(&err);
        assert!(shown.contains("error: unknown key `rowz`"), "{shown}");
        assert!(
            shown.contains("pgmock.json:2:20 (at /tables/t/rowz)"),
            "{shown}"
        );
        assert!(shown.contains("hint: did you mean `rows`?"), "{shown}");
        assert!(shown.contains("  |                    ^"), "{shown}");
    }
}
