//! Renders an [`Error`] for people: message, file:line:column, JSON path,
//! the offending source line with a caret, and a hint.
//!
//! This is the only place that decides how errors look, so every command
//! prints them the same way.

use std::fmt::Write as _;

use crate::error::{Error, Problem, Source};

/// Renders an error as the text printed to stderr (ends with a newline).
#[must_use]
pub fn render(error: &Error) -> String {
    let mut out = String::new();
    match error {
        Error::Invalid {
            source_doc,
            problems,
        } => {
            for (i, problem) in problems.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                render_problem(&mut out, source_doc, problem);
            }
            if problems.len() > 1 {
                let _ = writeln!(
                    out,
                    "\nerror: {} problems in `{}`",
                    problems.len(),
                    source_doc.path.display()
                );
            }
        }
        Error::Json {
            source_doc,
            message,
            line,
            column,
        } => {
            let _ = writeln!(out, "error: invalid JSON: {message}");
            let _ = writeln!(out, " --> {}:{line}:{column}", source_doc.path.display());
            snippet(&mut out, &source_doc.text, *line, *column);
        }
        Error::MissingInput { path, hint } => {
            let _ = writeln!(out, "error: cannot find `{}`", path.display());
            if let Some(hint) = hint {
                let _ = writeln!(out, "\nhint: {hint}");
            }
        }
        other => {
            let _ = writeln!(out, "error: {other}");
        }
    }
    out
}

fn render_problem(out: &mut String, source: &Source, problem: &Problem) {
    let _ = writeln!(out, "error: {}", problem.message);
    let pos = if problem.at_key {
        source.map.key(&problem.pointer)
    } else {
        source.map.value(&problem.pointer)
    };
    let at = if problem.pointer.is_empty() {
        "/"
    } else {
        problem.pointer.as_str()
    };
    match pos {
        Some(pos) => {
            let _ = writeln!(
                out,
                " --> {}:{}:{} (at {at})",
                source.path.display(),
                pos.line,
                pos.column
            );
            snippet(out, &source.text, pos.line, pos.column);
        }
        None => {
            let _ = writeln!(out, " --> {} (at {at})", source.path.display());
        }
    }
    if let Some(hint) = &problem.hint {
        let _ = writeln!(out, "\nhint: {hint}");
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
    use crate::source_map::SourceMap;

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
        let source = Source {
            path: "pgmock.json".into(),
            map: SourceMap::build(&text),
            text,
        };
        let err = Error::Invalid {
            source_doc: Box::new(source),
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
