//! Reading one item of an index's `columns`: a column name (exactly as the
//! table declares it, or in double quotes) optionally followed by
//! `COLLATE name`, an operator class, `ASC`/`DESC` and `NULLS FIRST`/`LAST`;
//! or an expression, which is kept as written.
//!
//! Column names are resolved here so that the DDL stage can quote them as
//! pg_dump does (`"CamelCol"`, `"user"`), and the options are written in the
//! canonical form `pg_get_indexdef` prints (no `ASC`, no default `NULLS`).

use super::model::{IndexKey, Table};
use crate::diagnostic::did_you_mean;
use crate::error::Problem;

const EXPRESSION_HINT: &str = "expressions go in parentheses: `(lower(email))`";
const SYNTAX_HINT: &str = "write a column name, then optionally `COLLATE name`, an operator class, `ASC` or `DESC`, and `NULLS FIRST` or `NULLS LAST`; expressions go in parentheses: `(lower(email))`";

/// Parses `raw`, an item of `indexes[].columns` at `pointer`, for an index
/// of `table` using access method `method`.
pub(crate) fn parse(
    table: &Table,
    raw: &str,
    method: &str,
    pointer: &str,
) -> Result<IndexKey, Problem> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Problem::new(pointer, "an index key must not be empty"));
    }
    let first_word = text.split_whitespace().next().unwrap_or("");
    if !text.starts_with('"') && first_word.contains('(') {
        return Ok(IndexKey::Expression(text.to_owned()));
    }
    let orderable = method == "btree";
    let (name, rest) = if let Some(quoted) = text.strip_prefix('"') {
        let Some((name, rest)) = quoted_identifier(quoted) else {
            return Err(Problem::new(
                pointer,
                format!("index key `{raw}` has an unterminated quoted name"),
            ));
        };
        (name, rest)
    } else if let Some(column) = table.column(text) {
        // The whole text is a column name, even one with spaces or one named `desc`.
        return Ok(IndexKey::Column {
            column,
            options: String::new(),
        });
    } else {
        // The longest prefix of whole words that names a column and leaves valid options.
        let prefix = word_ends(text).rev().find(|&end| {
            table.column(&text[..end]).is_some() && options(&text[end..], orderable).is_ok()
        });
        let end = prefix.unwrap_or(first_word.len());
        (text[..end].to_owned(), &text[end..])
    };
    let Some(column) = table.column(&name) else {
        let mut problem = Problem::new(
            pointer,
            format!("index column `{name}` is not a column of `{}`", table.name),
        );
        problem = match did_you_mean(&name, table.columns.iter().map(|c| c.name.as_str())) {
            Some(s) => problem.hint(format!("did you mean `{s}`? ({EXPRESSION_HINT})")),
            None => problem.hint(EXPRESSION_HINT),
        };
        return Err(problem);
    };
    match options(rest, orderable) {
        Ok(options) => Ok(IndexKey::Column { column, options }),
        Err(OptionError::Unexpected(word)) => Err(Problem::new(
            pointer,
            format!("index key `{raw}`: unexpected `{word}` after the column name"),
        )
        .hint(SYNTAX_HINT)),
        Err(OptionError::Incomplete(word)) => Err(Problem::new(
            pointer,
            format!("index key `{raw}`: `{word}` needs a value after it"),
        )
        .hint(SYNTAX_HINT)),
        Err(OptionError::Unordered) => Err(Problem::new(
            pointer,
            format!("index key `{raw}`: `{method}` indexes do not support `ASC`/`DESC` or `NULLS FIRST`/`LAST`"),
        )
        .hint("only btree indexes are ordered; drop the ordering or use `\"method\": \"btree\"`")),
    }
}

/// The text after an opening `"`: the identifier up to the closing quote
/// (`""` stands for one quote) and what follows it.
fn quoted_identifier(text: &str) -> Option<(String, &str)> {
    let mut name = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            name.push(c);
        } else if chars.peek().is_some_and(|&(_, next)| next == '"') {
            chars.next();
            name.push('"');
        } else {
            return Some((name, &text[i + 1..]));
        }
    }
    None
}

/// Byte offsets where the words of `text` end, in order.
fn word_ends(text: &str) -> impl DoubleEndedIterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    (1..=bytes.len()).filter(move |&end| {
        !bytes[end - 1].is_ascii_whitespace() && bytes.get(end).is_none_or(u8::is_ascii_whitespace)
    })
}

/// An operator class or collation name: an identifier, quoted or not,
/// optionally schema-qualified.
fn is_name(word: &str) -> bool {
    word.split('.').all(|part| {
        let quoted = part.len() >= 2 && part.starts_with('"') && part.ends_with('"');
        let mut chars = part.chars();
        quoted
            || (chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$'))
    })
}

#[derive(Debug, PartialEq, Eq)]
enum OptionError {
    /// A word that does not fit where it stands.
    Unexpected(String),
    /// `COLLATE` or `NULLS` at the end.
    Incomplete(String),
    /// Ordering options on an access method without order.
    Unordered,
}

/// Reads `[COLLATE name] [opclass] [ASC | DESC] [NULLS { FIRST | LAST }]`
/// and writes it as `pg_get_indexdef` does.
fn options(text: &str, orderable: bool) -> Result<String, OptionError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let is = |i: usize, keyword: &str| {
        words
            .get(i)
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    };
    let keyword = |w: &str| {
        ["COLLATE", "ASC", "DESC", "NULLS", "FIRST", "LAST"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
    };
    let mut out = String::new();
    let mut i = 0;
    if is(i, "COLLATE") {
        let collation = words
            .get(i + 1)
            .ok_or_else(|| OptionError::Incomplete(words[i].to_owned()))?;
        if !is_name(collation) {
            return Err(OptionError::Unexpected((*collation).to_owned()));
        }
        out.push_str(" COLLATE ");
        out.push_str(collation);
        i += 2;
    }
    if let Some(opclass) = words.get(i).filter(|w| !keyword(w)) {
        if !is_name(opclass) {
            return Err(OptionError::Unexpected((*opclass).to_owned()));
        }
        out.push(' ');
        out.push_str(opclass);
        i += 1;
    }
    let mut descending = None;
    if is(i, "ASC") || is(i, "DESC") {
        descending = Some(is(i, "DESC"));
        i += 1;
    }
    let mut nulls_first = None;
    if is(i, "NULLS") {
        nulls_first = match words.get(i + 1) {
            Some(w) if w.eq_ignore_ascii_case("FIRST") => Some(true),
            Some(w) if w.eq_ignore_ascii_case("LAST") => Some(false),
            Some(w) => return Err(OptionError::Unexpected((*w).to_owned())),
            None => return Err(OptionError::Incomplete(words[i].to_owned())),
        };
        i += 2;
    }
    if let Some(w) = words.get(i) {
        return Err(OptionError::Unexpected((*w).to_owned()));
    }
    if (descending.is_some() || nulls_first.is_some()) && !orderable {
        return Err(OptionError::Unordered);
    }
    let descending = descending.unwrap_or(false);
    if descending {
        out.push_str(" DESC");
    }
    // NULLS FIRST is the default of DESC, NULLS LAST that of ASC.
    match nulls_first {
        Some(false) if descending => out.push_str(" NULLS LAST"),
        Some(true) if !descending => out.push_str(" NULLS FIRST"),
        _ => {}
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_in_pg_get_indexdef_form() {
        assert_eq!(options("", true), Ok(String::new()));
        assert_eq!(options(" desc", true), Ok(" DESC".into()));
        assert_eq!(options("ASC", true), Ok(String::new()));
        assert_eq!(options("DESC NULLS FIRST", true), Ok(" DESC".into()));
        assert_eq!(
            options("DESC NULLS LAST", true),
            Ok(" DESC NULLS LAST".into())
        );
        assert_eq!(options("nulls first", true), Ok(" NULLS FIRST".into()));
        assert_eq!(
            options("COLLATE \"C\" text_pattern_ops DESC", true),
            Ok(" COLLATE \"C\" text_pattern_ops DESC".into())
        );
        assert_eq!(options("gin_trgm_ops", false), Ok(" gin_trgm_ops".into()));
        assert_eq!(options("DESC", false), Err(OptionError::Unordered));
        assert_eq!(
            options("DESC LAST", true),
            Err(OptionError::Unexpected("LAST".into()))
        );
        assert_eq!(
            options("NULLS", true),
            Err(OptionError::Incomplete("NULLS".into()))
        );
        assert_eq!(
            options("|| b", true),
            Err(OptionError::Unexpected("||".into()))
        );
        assert_eq!(
            options("public.gin_trgm_ops", false),
            Ok(" public.gin_trgm_ops".into())
        );
    }

    #[test]
    fn quoted_names_and_word_ends() {
        assert_eq!(
            quoted_identifier("A\"\"b\" DESC"),
            Some(("A\"b".to_owned(), " DESC"))
        );
        assert_eq!(quoted_identifier("open"), None);
        assert_eq!(word_ends("ab  c d").collect::<Vec<_>>(), vec![2, 5, 7]);
    }
}
