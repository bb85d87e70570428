//! `-t/-T/-n/-N`, `--exclude-table-data`, `-s/-a` and `--section` as filters
//! over one TOC, so every output format selects the same entries.

use super::toc::{Section, Toc, TocEntry};

/// Which entries to keep.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `-t` patterns (empty = all tables).
    pub tables: Vec<String>,
    /// `-T` patterns.
    pub exclude_tables: Vec<String>,
    /// `-n` patterns.
    pub schemas: Vec<String>,
    /// `-N` patterns.
    pub exclude_schemas: Vec<String>,
    /// `--exclude-table-data` patterns.
    pub exclude_table_data: Vec<String>,
    /// Sections to keep (`--section`, `-s`, `-a`); empty = all.
    pub sections: Vec<Section>,
}

/// pg_dump-style pattern match: `*` and `?` wildcards, optional `schema.`
/// prefix, unquoted parts fold to lower case, `"..."` keeps case.
#[must_use]
pub fn matches(pattern: &str, schema: &str, name: &str) -> bool {
    let (sp, tp) = split_pattern(pattern);
    sp.is_none_or(|s| glob(&s, schema)) && glob(&tp, name)
}

fn split_pattern(pattern: &str) -> (Option<String>, String) {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            c if quoted => cur.push(c),
            c => cur.extend(c.to_lowercase()),
        }
    }
    parts.push(cur);
    let name = parts.pop().unwrap_or_default();
    (parts.pop(), name)
}

fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// pg_dump-style match of a schema pattern (`-n`, `-N`): like [`matches`],
/// where a qualified pattern's last part names the schema.
#[must_use]
pub fn matches_schema(pattern: &str, schema: &str) -> bool {
    glob(&split_pattern(pattern).1, schema)
}

/// Table names per index, for matching: (schema, name).
pub type TableNames = Vec<(String, String)>;

/// Patterns that matched nothing; pg_dump refuses to run with them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unmatched {
    /// `-n` patterns that match no schema.
    pub schemas: Vec<String>,
    /// `-t` patterns that match no table.
    pub tables: Vec<String>,
    /// What the kept entries need that the selection leaves out (a type,
    /// an extension, a schema, a referenced table), one sentence each: the
    /// dump then loads only into a database that already has them.
    pub left_out: Vec<String>,
}

/// Schemas every database has, which `-n` may name without an error.
const BUILTIN_SCHEMAS: [&str; 4] = ["public", "pg_catalog", "information_schema", "pg_toast"];

/// Applies the selection; returns the `-n` and `-t` patterns that matched nothing.
pub fn apply(toc: &mut Toc, sel: &Selection, tables: &TableNames) -> Unmatched {
    let any = |pats: &[String], (s, n): &(String, String)| pats.iter().any(|p| matches(p, s, n));
    let schema_names: Vec<&str> = toc
        .entries
        .iter()
        .filter_map(|e| {
            if e.desc == "SCHEMA" {
                Some(e.tag.as_str())
            } else {
                e.namespace.as_deref()
            }
        })
        .chain(BUILTIN_SCHEMAS)
        .collect();
    let mut unmatched = Unmatched {
        schemas: sel
            .schemas
            .iter()
            .filter(|p| !schema_names.iter().any(|s| matches_schema(p, s)))
            .cloned()
            .collect(),
        tables: sel
            .tables
            .iter()
            .filter(|p| !tables.iter().any(|(s, n)| matches(p, s, n)))
            .cloned()
            .collect(),
        left_out: Vec::new(),
    };
    let schema_ok = |ns: Option<&str>| -> bool {
        let Some(ns) = ns else {
            return sel.schemas.is_empty();
        };
        (sel.schemas.is_empty() || sel.schemas.iter().any(|p| matches_schema(p, ns)))
            && !sel.exclude_schemas.iter().any(|p| matches_schema(p, ns))
    };
    let keep = |e: &TocEntry| -> bool {
        if !sel.sections.is_empty()
            && !matches!(
                e.desc,
                "ENCODING" | "STDSTRINGS" | "SEARCHPATH" | "DATABASE"
            )
        {
            let section = if e.section == Section::None {
                Section::PreData
            } else {
                e.section
            };
            if !sel.sections.contains(&section) {
                return false;
            }
        }
        if let Some(t) = e.table {
            if e.has_data() && any(&sel.exclude_table_data, &tables[t]) {
                return false;
            }
        }
        keep_by_name(e, sel, tables, &schema_ok)
    };
    // Dependencies are judged by the name filters alone: `-a` or `--section`
    // leave out definitions on purpose, and pg_restore expects that.
    let kept_by_name: std::collections::HashSet<_> = toc
        .entries
        .iter()
        .filter(|e| keep_by_name(e, sel, tables, &schema_ok))
        .map(|e| e.dump_id)
        .collect();
    if kept_by_name.len() < toc.entries.len() {
        let entry_of: std::collections::HashMap<_, &TocEntry> =
            toc.entries.iter().map(|e| (e.dump_id, e)).collect();
        for e in toc.entries.iter().filter(|e| keep(e)) {
            for dep in &e.deps {
                let Some(d) = entry_of
                    .get(dep)
                    .filter(|d| !kept_by_name.contains(&d.dump_id))
                else {
                    continue;
                };
                let what = match d.desc {
                    "EXTENSION" => format!("extension `{}`", d.tag),
                    "SCHEMA" => format!("schema `{}`", d.tag),
                    "TABLE" => {
                        format!("table `{}.{}`", d.namespace.as_deref().unwrap_or(""), d.tag)
                    }
                    "TYPE" | "DOMAIN" => {
                        format!("type `{}.{}`", d.namespace.as_deref().unwrap_or(""), d.tag)
                    }
                    _ => continue,
                };
                let user = match (&e.namespace, e.tag.split_once(' ')) {
                    (Some(ns), Some((table, fk))) if e.desc == "FK CONSTRAINT" => {
                        format!("foreign key `{fk}` of `{ns}.{table}`")
                    }
                    _ => match &e.namespace {
                        Some(ns) => format!("{} `{ns}.{}`", e.desc.to_lowercase(), e.tag),
                        None => format!("{} `{}`", e.desc.to_lowercase(), e.tag),
                    },
                };
                let line = format!(
                    "{user} needs {what}, which the selection leaves out: the dump loads only into a database that already has it"
                );
                if !unmatched.left_out.contains(&line) {
                    unmatched.left_out.push(line);
                }
            }
        }
    }
    toc.entries.retain(keep);
    unmatched
}

/// Whether the name filters (`-t`, `-T`, `-n`, `-N`) keep `e`.
fn keep_by_name(
    e: &TocEntry,
    sel: &Selection,
    tables: &TableNames,
    schema_ok: &dyn Fn(Option<&str>) -> bool,
) -> bool {
    let any = |pats: &[String], (s, n): &(String, String)| pats.iter().any(|p| matches(p, s, n));
    if matches!(
        e.desc,
        "ENCODING" | "STDSTRINGS" | "SEARCHPATH" | "DATABASE"
    ) {
        return true;
    }
    if !sel.tables.is_empty() {
        let Some(t) = e.table else { return false };
        if !any(&sel.tables, &tables[t]) {
            return false;
        }
    }
    if let Some(t) = e.table {
        if any(&sel.exclude_tables, &tables[t]) {
            return false;
        }
    }
    if e.desc == "SCHEMA" {
        return schema_ok(Some(&e.tag));
    }
    if e.desc == "EXTENSION" {
        return sel.schemas.is_empty();
    }
    schema_ok(e.namespace.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_like_pg_dump() {
        assert!(matches("orders", "public", "orders"));
        assert!(matches("ORDERS", "public", "orders"));
        assert!(!matches("\"ORDERS\"", "public", "orders"));
        assert!(matches("public.ord*", "public", "orders"));
        assert!(!matches("app.orders", "public", "orders"));
        assert!(matches("order_?tems", "x", "order_items"));
        assert!(matches("\"Order Items\"", "public", "Order Items"));
        assert!(matches_schema("APP", "app"));
        assert!(matches_schema("\"App\"", "App"));
        assert!(!matches_schema("\"App\"", "app"));
        assert!(matches_schema("mydb.ap?", "app"));
    }
}
