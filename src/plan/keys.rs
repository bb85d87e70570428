//! Which sets of columns must hold distinct values: the primary key, UNIQUE
//! constraints, and UNIQUE indexes. A unique index is satisfied the way a
//! UNIQUE constraint is; the server checks both alike when it builds them
//! after the data.

use crate::error::Problem;
use crate::schema::{Index, Table};

/// One set of columns whose values must be distinct across rows.
#[derive(Debug)]
pub(super) struct UniqueKey<'a> {
    /// Constraint or index name (composite keys made of foreign keys derive
    /// their permutation from it).
    pub(super) name: &'a str,
    /// Column indexes, in key order.
    pub(super) columns: Vec<usize>,
    /// The unique index it comes from, if it is one (for messages).
    pub(super) index: Option<&'a Index>,
}

/// The unique keys of `table`: primary key, UNIQUE constraints, then the
/// unique indexes over plain columns pgmock makes unique.
///
/// A partial unique index (`where`) is satisfied by making its columns
/// unique in every row, which is stronger than it needs, unless a column
/// that only its `where` mentions has an explicit generator: the user then
/// controls which rows the index covers, and pgmock trusts that generator.
pub(super) fn unique_keys(table: &Table) -> Vec<UniqueKey<'_>> {
    let mut out: Vec<UniqueKey<'_>> = table
        .primary_key
        .iter()
        .chain(&table.uniques)
        .map(|k| UniqueKey {
            name: &k.name,
            columns: k.columns.clone(),
            index: None,
        })
        .collect();
    for index in table.indexes.iter().filter(|i| i.unique) {
        let Some(columns) = plain_columns(table, index) else {
            continue;
        };
        if predicate_is_generated(table, index, &columns) {
            continue;
        }
        out.push(UniqueKey {
            name: &index.name,
            columns,
            index: Some(index),
        });
    }
    out
}

/// Problems with unique indexes pgmock cannot make hold by construction:
/// those on expressions (`(lower(email))`). Like CHECKs outside the
/// supported forms, they are accepted when a column they use has an
/// explicit generator, which pgmock then trusts.
pub(super) fn unsupported_unique_indexes(table: &Table, problems: &mut Vec<Problem>) {
    for index in table.indexes.iter().filter(|i| i.unique) {
        if plain_columns(table, index).is_some() {
            continue;
        }
        let trusted = table.columns.iter().any(|c| {
            c.generator.is_some()
                && (index.keys.iter().any(|k| mentions(k, &c.name))
                    || index
                        .predicate
                        .as_deref()
                        .is_some_and(|p| mentions(p, &c.name)))
        });
        if !trusted {
            problems.push(
                Problem::new(
                    &index.pointer,
                    format!(
                        "pgmock cannot make unique index `{}` on ({}) hold by itself",
                        index.name,
                        index
                            .keys
                            .iter()
                            .map(|k| k
                                .trim()
                                .strip_prefix('(')
                                .and_then(|k| k.strip_suffix(')'))
                                .unwrap_or(k))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .hint("unique indexes on expressions need an explicit `generator` on a column they use, whose values keep the index unique"),
            );
        }
    }
}

/// The columns of an index whose keys are all plain column names (with
/// options such as `DESC`, `NULLS LAST`, `COLLATE` or an operator class,
/// none of which changes which values are equal); `None` when a key is an
/// expression.
fn plain_columns(table: &Table, index: &Index) -> Option<Vec<usize>> {
    index
        .keys
        .iter()
        .map(|k| column_name(k).and_then(|name| table.column(&name)))
        .collect()
}

/// The column a key item names: a bare word or a double-quoted identifier
/// at its start; `None` for an expression.
fn column_name(key: &str) -> Option<String> {
    let key = key.trim();
    if let Some(rest) = key.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    name.push('"');
                } else {
                    return Some(name);
                }
            } else {
                name.push(c);
            }
        }
        return None;
    }
    let word = key.split_whitespace().next()?;
    (!word.contains(['(', ')', ':', '"'])).then(|| word.to_owned())
}

/// Whether a partial index's `where` uses a column outside its key that has
/// an explicit generator.
fn predicate_is_generated(table: &Table, index: &Index, key: &[usize]) -> bool {
    let Some(predicate) = &index.predicate else {
        return false;
    };
    table
        .columns
        .iter()
        .enumerate()
        .any(|(ci, c)| c.generator.is_some() && !key.contains(&ci) && mentions(predicate, &c.name))
}

/// Whether SQL text uses `name` as a word (case-insensitively).
pub(super) fn mentions(expr: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    expr.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == name)
}

#[cfg(test)]
mod tests {
    use super::column_name;

    #[test]
    fn key_items_name_columns_or_expressions() {
        assert_eq!(column_name("city").as_deref(), Some("city"));
        assert_eq!(column_name("city DESC NULLS LAST").as_deref(), Some("city"));
        assert_eq!(
            column_name("city text_pattern_ops").as_deref(),
            Some("city")
        );
        assert_eq!(
            column_name("\"Big \"\"City\"\"\" DESC").as_deref(),
            Some("Big \"City\"")
        );
        assert_eq!(column_name("(lower(email))"), None);
        assert_eq!(column_name("lower(email)"), None);
        assert_eq!(column_name("\"open"), None);
    }
}
