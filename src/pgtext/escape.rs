//! COPY text-format escaping, SQL string literals and identifier quoting.

/// COPY text representation of SQL NULL (a complete field).
pub const COPY_NULL: &[u8] = b"\\N";

/// The escape sequence for a byte in COPY text, or `None` if it is copied verbatim.
#[inline]
fn copy_escape(b: u8) -> Option<u8> {
    match b {
        b'\\' => Some(b'\\'),
        b'\n' => Some(b'n'),
        b'\r' => Some(b'r'),
        b'\t' => Some(b't'),
        0x08 => Some(b'b'),
        0x0c => Some(b'f'),
        0x0b => Some(b'v'),
        _ => None,
    }
}

/// Appends one COPY text field: `\`, LF, CR, TAB, BS, FF and VT become two-character
/// escapes; every other byte (other controls, UTF-8) is copied unchanged.
///
/// Because every backslash is doubled, no value can produce `\N` or `\.`. NUL bytes are
/// the caller's contract (PostgreSQL text cannot hold them).
pub fn copy_text(out: &mut Vec<u8>, value: &[u8]) {
    // Almost all generated values contain nothing to escape: reserve once and copy
    // clean runs with a single extend each.
    out.reserve(value.len());
    let mut start = 0;
    for (i, &b) in value.iter().enumerate() {
        // Every byte that needs escaping is <= b'\\'; the cheap comparison keeps the
        // common path (letters, UTF-8 continuation bytes) out of the match.
        if b > b'\r' && b != b'\\' {
            continue;
        }
        if let Some(e) = copy_escape(b) {
            out.extend_from_slice(&value[start..i]);
            out.push(b'\\');
            out.push(e);
            start = i + 1;
        }
    }
    out.extend_from_slice(&value[start..]);
}

/// Appends an SQL string literal `'...'` with `'` doubled (standard_conforming_strings
/// on, so backslashes are ordinary characters).
pub fn sql_literal(out: &mut Vec<u8>, value: &[u8]) {
    out.reserve(value.len() + 2);
    out.push(b'\'');
    let mut start = 0;
    for (i, &b) in value.iter().enumerate() {
        if b == b'\'' {
            // Include the quote in the run, then write it once more.
            out.extend_from_slice(&value[start..=i]);
            out.push(b'\'');
            start = i + 1;
        }
    }
    out.extend_from_slice(&value[start..]);
    out.push(b'\'');
}

/// Keywords that force quoting: the union of reserved, column-name and
/// type/function-name keywords of PostgreSQL 13–18 (sorted for binary search).
const KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// Whether `name` must be double-quoted to survive as an identifier (pg_dump's rule).
#[must_use]
pub fn needs_quoting(name: &str) -> bool {
    let b = name.as_bytes();
    // An empty name is quoted too (`""`), like PostgreSQL's quote_identifier.
    let Some(&first) = b.first() else {
        return true;
    };
    if !(first.is_ascii_lowercase() || first == b'_') {
        return true;
    }
    if !b
        .iter()
        .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    {
        return true;
    }
    KEYWORDS.binary_search(&name).is_ok()
}

/// Appends `name` as an SQL identifier: bare when safe, otherwise `"..."` with `"` doubled.
pub fn quote_ident(out: &mut Vec<u8>, name: &str) {
    if !needs_quoting(name) {
        out.extend_from_slice(name.as_bytes());
        return;
    }
    out.push(b'"');
    for &b in name.as_bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Returns `name` quoted as by [`quote_ident`] (for building SQL text, not hot paths).
#[must_use]
pub fn quoted_ident(name: &str) -> String {
    let mut v = Vec::with_capacity(name.len() + 2);
    quote_ident(&mut v, name);
    // Only ASCII quotes were inserted into valid UTF-8, so this cannot fail; the
    // fallback keeps the function panic-free anyway.
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(v: &[u8]) -> Vec<u8> {
        let mut o = Vec::new();
        copy_text(&mut o, v);
        o
    }

    #[test]
    fn copy_escaping() {
        assert_eq!(copy(b"plain text"), b"plain text");
        assert_eq!(copy(b""), b"");
        assert_eq!(copy(b"a\\b"), b"a\\\\b");
        assert_eq!(copy(b"\\."), b"\\\\.");
        assert_eq!(copy(b"\\N"), b"\\\\N");
        assert_eq!(
            copy(b"\n\r\t\x08\x0c\x0b"),
            b"\\n\\r\\t\\b\\f\\v".as_slice()
        );
        // Other control bytes, DEL and UTF-8 pass through.
        assert_eq!(copy(b"\x01\x7f\x1b"), b"\x01\x7f\x1b");
        assert_eq!(copy("ä€😀".as_bytes()), "ä€😀".as_bytes());
        assert_eq!(copy(b"x\"y'z{}"), b"x\"y'z{}");
        assert_eq!(copy(b"\\xdeadbeef"), b"\\\\xdeadbeef");
        assert_eq!(copy(b"a\tb\nc\\"), b"a\\tb\\nc\\\\");
        // Every byte value: only the seven special ones change.
        for b in 0u8..=255 {
            let e = copy(&[b]);
            if matches!(b, b'\\' | b'\n' | b'\r' | b'\t' | 8 | 11 | 12) {
                assert_eq!(e.len(), 2, "{b}");
            } else {
                assert_eq!(e, [b], "{b}");
            }
        }
        assert_eq!(COPY_NULL, b"\\N");
    }

    #[test]
    fn literals() {
        let lit = |v: &[u8]| {
            let mut o = Vec::new();
            sql_literal(&mut o, v);
            String::from_utf8(o).unwrap()
        };
        assert_eq!(lit(b"it's"), "'it''s'");
        assert_eq!(lit(b""), "''");
        assert_eq!(lit(b"''"), "''''''");
        assert_eq!(lit(b"back\\slash"), "'back\\slash'");
        assert_eq!(lit(b"public.\"My Seq\""), "'public.\"My Seq\"'");
    }

    #[test]
    fn keywords_sorted() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn identifiers() {
        assert_eq!(quoted_ident("users"), "users");
        assert_eq!(quoted_ident("Order Items"), "\"Order Items\"");
        assert_eq!(quoted_ident("user"), "\"user\"");
        assert_eq!(quoted_ident("Id"), "\"Id\"");
        assert_eq!(quoted_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quoted_ident(""), "\"\"");
        assert_eq!(quoted_ident("_x1"), "_x1");
        assert_eq!(quoted_ident("1x"), "\"1x\"");
        assert_eq!(quoted_ident("a$"), "\"a$\"");
        assert_eq!(quoted_ident("café"), "\"café\"");
        assert_eq!(quoted_ident("json_table"), "\"json_table\"");
        // Unreserved keywords stay bare, as in pg_dump.
        assert_eq!(quoted_ident("name"), "name");
        assert_eq!(quoted_ident("text"), "text");
        assert!(needs_quoting("select"));
        assert!(needs_quoting("xmltable"));
        assert!(!needs_quoting("xmltables"));
    }
}
