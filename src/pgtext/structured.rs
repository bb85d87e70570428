//! Container types whose text embeds other values: arrays, composites (records), ranges,
//! multiranges, `tsvector`/`tsquery`, JSON string literals and `hstore`.
//!
//! Each container has its own quoting rule (PostgreSQL's `array_out`, `record_out`,
//! `range_bound_escape`, `tsvectorout`, `escape_json`, hstore's `hstore_out`). Element text passed in is the
//! element's own output text (e.g. from [`super::datetime::date`]), *not* COPY-escaped;
//! the whole container text is COPY-escaped afterwards by the caller.

/// PostgreSQL's `array_isspace` and C-locale `isspace`: space, TAB, LF, VT, FF, CR.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Writes `"..."` with each `"` and `\` preceded by `escape_with`.
fn push_quoted(out: &mut Vec<u8>, v: &[u8], escape_with: u8) {
    out.push(b'"');
    for &b in v {
        if b == b'"' || b == b'\\' {
            out.push(escape_with);
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Writes one element of an array literal: `NULL` for SQL NULL, bare text when safe,
/// otherwise double-quoted with `"` and `\` backslash-escaped.
pub fn array_element(out: &mut Vec<u8>, v: Option<&[u8]>) {
    let Some(v) = v else {
        out.extend_from_slice(b"NULL");
        return;
    };
    // The literal word NULL (any case) would read back as SQL NULL, so it is quoted.
    let needs = v.is_empty()
        || v.eq_ignore_ascii_case(b"null")
        || v.iter()
            .any(|&b| matches!(b, b'"' | b'\\' | b'{' | b'}' | b',') || is_space(b));
    if needs {
        // Inside array quotes a backslash escapes the next character.
        push_quoted(out, v, b'\\');
    } else {
        out.extend_from_slice(v);
    }
}

/// Writes a one-dimensional array `{a,"b c",NULL}` (`{}` when empty) with default lower
/// bound 1.
///
/// Multi-dimensional arrays are built by the caller: write `{`, the sub-arrays (each from
/// this function) separated by `,`, then `}`; all sub-arrays must have equal length.
/// Non-default lower bounds need a `[lo:hi]=` prefix, also written by the caller.
pub fn array<'a>(out: &mut Vec<u8>, elems: impl Iterator<Item = Option<&'a [u8]>>) {
    out.push(b'{');
    for (i, e) in elems.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        array_element(out, e);
    }
    out.push(b'}');
}

/// Record and range bounds share one rule; ranges additionally quote `[` and `]`.
fn push_record_like(out: &mut Vec<u8>, v: &[u8], brackets: bool) {
    let needs = v.is_empty()
        || v.iter().any(|&b| {
            matches!(b, b'"' | b'\\' | b'(' | b')' | b',')
                || (brackets && matches!(b, b'[' | b']'))
                || is_space(b)
        });
    if needs {
        // Records and ranges escape by doubling, not by backslash.
        out.push(b'"');
        for &b in v {
            if b == b'"' || b == b'\\' {
                out.push(b);
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(v);
    }
}

/// Writes one field of a composite value: nothing for NULL, bare text when safe, otherwise
/// double-quoted with `"` and `\` doubled. The caller writes `(`, `,` and `)`.
pub fn composite_field(out: &mut Vec<u8>, v: Option<&[u8]>) {
    if let Some(v) = v {
        push_record_like(out, v, false);
    }
}

/// Writes a non-empty range: `[1,10)`, `(,5)`, `["a b",c]`.
///
/// A missing (infinite) bound prints nothing and is always exclusive, as PostgreSQL
/// normalises `[,5)` to `(,5)`. Discrete ranges (int4/int8/date) must be passed in the
/// canonical `[lo,hi)` form by the caller; `lower < upper` is also the caller's contract.
pub fn range(
    out: &mut Vec<u8>,
    lower: Option<&[u8]>,
    upper: Option<&[u8]>,
    lower_inc: bool,
    upper_inc: bool,
) {
    out.push(if lower_inc && lower.is_some() {
        b'['
    } else {
        b'('
    });
    if let Some(l) = lower {
        push_record_like(out, l, true);
    }
    out.push(b',');
    if let Some(u) = upper {
        push_record_like(out, u, true);
    }
    out.push(if upper_inc && upper.is_some() {
        b']'
    } else {
        b')'
    });
}

/// Writes the empty range: `empty`.
pub fn empty_range(out: &mut Vec<u8>) {
    out.extend_from_slice(b"empty");
}

/// Writes a multirange `{[1,3),[5,7)}` from already formatted ranges (`{}` when empty).
///
/// Caller's contract: ranges are non-empty, sorted and non-overlapping/non-adjacent, as
/// PostgreSQL would otherwise merge them and print something different.
pub fn multirange(out: &mut Vec<u8>, ranges: &[Vec<u8>]) {
    out.push(b'{');
    for (i, r) in ranges.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(r);
    }
    out.push(b'}');
}

/// Writes one `'lexeme'` with `'` and `\` doubled, as `tsvectorout`/`tsqueryout` do.
fn push_lexeme(out: &mut Vec<u8>, lex: &str) {
    out.push(b'\'');
    for &b in lex.as_bytes() {
        if b == b'\'' || b == b'\\' {
            out.push(b);
        }
        out.push(b);
    }
    out.push(b'\'');
}

/// Writes a `tsvector` (without positions) in canonical form: lexemes sorted by bytes
/// (a prefix sorts first), duplicates removed, each quoted: `'a' 'ab' 'b' 'it''s'`.
///
/// Empty lexemes are skipped because PostgreSQL rejects `''` in a tsvector. Allocates a
/// small vector of references to sort; tsvector columns are not a hot path.
pub fn tsvector(out: &mut Vec<u8>, lexemes: &[&str]) {
    let mut sorted: Vec<&str> = lexemes.iter().copied().filter(|l| !l.is_empty()).collect();
    // str ordering is byte-wise memcmp with shorter-prefix-first, which is exactly
    // PostgreSQL's tsCompareString.
    sorted.sort_unstable();
    sorted.dedup();
    for (i, lex) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        push_lexeme(out, lex);
    }
}

/// Writes a `tsquery` that ANDs the terms in the given order: `'cat' & 'dog'`.
///
/// PostgreSQL keeps operand order and duplicates here. No terms gives the empty query
/// (empty text). Caller's contract: terms are non-empty.
pub fn tsquery_and(out: &mut Vec<u8>, terms: &[&str]) {
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b" & ");
        }
        push_lexeme(out, t);
    }
}

/// Writes a JSON string literal (`"..."`) escaped exactly as PostgreSQL's `escape_json`
/// (so jsonb output of the value is identical): `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, other control characters as `\u00XX`; everything else, `/` included, verbatim.
pub fn json_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        // Copy the clean run before this byte in one go.
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(esc);
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Writes an `hstore` in the order `hstore_out` prints it: `"a"=>"1", "bb"=>"2"`, with
/// keys sorted by length, then bytewise (hstore's storage order), every key and value
/// double-quoted with `"` and `\` backslash-escaped (empty text for no pairs).
///
/// Caller's contract: keys are distinct (PostgreSQL would keep only one of equal keys).
/// Sorts `pairs` in place.
pub fn hstore(out: &mut Vec<u8>, pairs: &mut [(&str, &str)]) {
    pairs.sort_unstable_by(|a, b| {
        a.0.len()
            .cmp(&b.0.len())
            .then_with(|| a.0.as_bytes().cmp(b.0.as_bytes()))
    });
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        push_quoted(out, key.as_bytes(), b'\\');
        out.extend_from_slice(b"=>");
        push_quoted(out, value.as_bytes(), b'\\');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn arrays() {
        // PostgreSQL 15: array['a','b c','"q"',null,'back\slash','','NULL','nUll','{x}',E'\t']
        let elems: [Option<&[u8]>; 10] = [
            Some(b"a"),
            Some(b"b c"),
            Some(b"\"q\""),
            None,
            Some(b"back\\slash"),
            Some(b""),
            Some(b"NULL"),
            Some(b"nUll"),
            Some(b"{x}"),
            Some(b"\t"),
        ];
        assert_eq!(
            s(|o| array(o, elems.into_iter())),
            "{a,\"b c\",\"\\\"q\\\"\",NULL,\"back\\\\slash\",\"\",\"NULL\",\"nUll\",\"{x}\",\"\t\"}"
        );
        assert_eq!(s(|o| array(o, std::iter::empty())), "{}");
        assert_eq!(s(|o| array(o, [None].into_iter())), "{NULL}");
        assert_eq!(s(|o| array_element(o, Some(b"nullx"))), "nullx");
        assert_eq!(s(|o| array_element(o, Some(b"a,b"))), "\"a,b\"");
        assert_eq!(s(|o| array_element(o, Some(b"(x)"))), "(x)");
        assert_eq!(s(|o| array_element(o, Some("ä".as_bytes()))), "ä");
        assert_eq!(s(|o| array_element(o, Some(b"a\x0bb"))), "\"a\x0bb\"");
    }

    #[test]
    fn composites() {
        // PostgreSQL 15: row('a b', null, '', 'x"y\z', '(') = ("a b",,"","x""y\\z","(")
        let mut o = vec![b'('];
        let fields: [Option<&[u8]>; 5] =
            [Some(b"a b"), None, Some(b""), Some(b"x\"y\\z"), Some(b"(")];
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            composite_field(&mut o, f);
        }
        o.push(b')');
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "(\"a b\",,\"\",\"x\"\"y\\\\z\",\"(\")"
        );
        assert_eq!(s(|o| composite_field(o, Some(b"{a}"))), "{a}");
        assert_eq!(s(|o| composite_field(o, Some(b"[a]"))), "[a]");
    }

    #[test]
    fn ranges() {
        assert_eq!(
            s(|o| range(o, Some(b"1"), Some(b"10"), true, false)),
            "[1,10)"
        );
        assert_eq!(s(|o| range(o, None, Some(b"5"), true, false)), "(,5)");
        assert_eq!(s(|o| range(o, None, None, true, true)), "(,)");
        assert_eq!(
            s(|o| range(o, Some(b"1.5"), Some(b"2.5"), true, true)),
            "[1.5,2.5]"
        );
        assert_eq!(
            s(|o| range(o, Some(b"a b"), Some(b"c"), true, false)),
            "[\"a b\",c)"
        );
        assert_eq!(
            s(|o| range(o, Some(b"(x)"), Some(b","), true, false)),
            "[\"(x)\",\",\")"
        );
        assert_eq!(
            s(|o| range(o, Some(b""), Some(b"a"), true, true)),
            "[\"\",a]"
        );
        assert_eq!(
            s(|o| range(o, Some(b"[x"), Some(b"y\"\\"), false, false)),
            "(\"[x\",\"y\"\"\\\\\")"
        );
        assert_eq!(
            s(|o| range(
                o,
                Some(b"2024-01-01 00:00:00+00"),
                Some(b"2024-02-01 00:00:00+00"),
                true,
                false
            )),
            "[\"2024-01-01 00:00:00+00\",\"2024-02-01 00:00:00+00\")"
        );
        assert_eq!(s(empty_range), "empty");
        assert_eq!(
            s(|o| multirange(o, &[b"[\"a b\",c)".to_vec(), b"[d,e]".to_vec()])),
            "{[\"a b\",c),[d,e]}"
        );
        assert_eq!(s(|o| multirange(o, &[])), "{}");
    }

    #[test]
    fn text_search() {
        // PostgreSQL 15: 'dog cat aardvark b ab ba a cat'::tsvector
        assert_eq!(
            s(|o| tsvector(o, &["dog", "cat", "aardvark", "b", "ab", "ba", "a", "cat"])),
            "'a' 'aardvark' 'ab' 'b' 'ba' 'cat' 'dog'"
        );
        assert_eq!(
            s(|o| tsvector(o, &["a\\b", "a'b", "a b", "ä", "z", "ab", ""])),
            "'a b' 'a''b' 'a\\\\b' 'ab' 'z' 'ä'"
        );
        assert_eq!(s(|o| tsvector(o, &["B", "A"])), "'A' 'B'");
        assert_eq!(s(|o| tsvector(o, &[])), "");
        assert_eq!(
            s(|o| tsquery_and(o, &["cat", "dog", "bird"])),
            "'cat' & 'dog' & 'bird'"
        );
        assert_eq!(
            s(|o| tsquery_and(o, &["it's", "a\\b"])),
            "'it''s' & 'a\\\\b'"
        );
        assert_eq!(s(|o| tsquery_and(o, &["a", "b", "a"])), "'a' & 'b' & 'a'");
        assert_eq!(s(|o| tsquery_and(o, &["cat"])), "'cat'");
        assert_eq!(s(|o| tsquery_and(o, &[])), "");
    }

    #[test]
    fn hstores() {
        // PostgreSQL 15: 'size=>L, color=>red, a=>"x\"y", bb=>"", b=>" "'::hstore
        let mut pairs = [
            ("size", "L"),
            ("color", "red"),
            ("a", "x\"y"),
            ("bb", ""),
            ("b", " "),
        ];
        assert_eq!(
            s(|o| hstore(o, &mut pairs)),
            r#""a"=>"x\"y", "b"=>" ", "bb"=>"", "size"=>"L", "color"=>"red""#
        );
        assert_eq!(s(|o| hstore(o, &mut [("k\\", "v")])), r#""k\\"=>"v""#);
        assert_eq!(s(|o| hstore(o, &mut [])), "");
    }

    #[test]
    fn json() {
        // PostgreSQL 15: to_json(E'a\u0001\u007f"\\/\b\f\n\r\t'::text)::jsonb
        assert_eq!(
            s(|o| json_string(o, "a\u{1}\u{7f}\"\\/\u{8}\u{c}\n\r\t")),
            "\"a\\u0001\u{7f}\\\"\\\\/\\b\\f\\n\\r\\t\""
        );
        assert_eq!(s(|o| json_string(o, "")), "\"\"");
        assert_eq!(s(|o| json_string(o, "plain ä")), "\"plain ä\"");
        assert_eq!(s(|o| json_string(o, "\u{1f}x")), "\"\\u001fx\"");
    }
}
