//! Property tests: arbitrary Unicode text goes through pgmock's COPY escaping and SQL
//! literal quoting, is loaded by `psql` into a real server and reads back byte for byte.
//!
//! Each generated case is a batch of strings loaded with one COPY and one INSERT, so that a
//! few cases test hundreds of values in a few seconds; on a failure proptest shrinks the batch
//! to the smallest list (and the shortest strings) that still fails.

use std::fmt::Write as _;

use pgmock::pgtext::escape::{copy_text, sql_literal};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::support::{require_pg, Database};

/// Characters the escaping rules treat specially or that tend to break naive quoting:
/// backslash, the six escaped controls, other controls, quotes, `.` and `N` (for `\.` and
/// `\N`), a BOM, a combining mark, non-BMP characters and the last code point.
const AWKWARD: &[char] = &[
    '\\',
    '\t',
    '\n',
    '\r',
    '\u{8}',
    '\u{b}',
    '\u{c}',
    '\u{1}',
    '\u{1b}',
    '\u{7f}',
    '\'',
    '"',
    '.',
    'N',
    '$',
    ';',
    ':',
    '\u{85}',
    '\u{a0}',
    '\u{feff}',
    '\u{301}',
    '\u{2028}',
    '\u{fffd}',
    '\u{ffff}',
    '\u{1f600}',
    '\u{1d11e}',
    '\u{10ffff}',
];

/// Any character PostgreSQL text can hold (all but NUL), awkward ones often.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        2 => any::<char>().prop_filter("PostgreSQL text cannot hold NUL", |c| *c != '\0'),
        1 => prop::sample::select(AWKWARD),
        1 => prop::char::range(' ', '~'),
    ]
}

/// A batch of up to 256 strings of up to 24 characters each.
fn batch() -> impl Strategy<Value = Vec<String>> {
    let text = prop::collection::vec(text_char(), 0..24).prop_map(String::from_iter);
    prop::collection::vec(text, 1..=256)
}

/// A small fixed number of batches: each case costs one `psql` run. Shrinking a failure
/// takes one run per step too, but ends with the few strings that break, not 256.
fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 8,
        max_shrink_iters: 4096,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Runs `script` (after a `SET client_encoding` line) in `db`.
fn load(db: &Database<'_>, script: &[u8]) -> Result<(), TestCaseError> {
    let mut file =
        tempfile::NamedTempFile::new().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut full = b"SET client_encoding = 'UTF8';\n".to_vec();
    full.extend_from_slice(script);
    std::io::Write::write_all(&mut file, &full).map_err(|e| TestCaseError::fail(e.to_string()))?;
    db.psql_file(file.path())
        .map(drop)
        .map_err(|err| TestCaseError::fail(format!("psql refused the script: {err}")))
}

/// The values of `table` in `id` order, each as the hex of its UTF-8 bytes (so that no
/// character can be mangled on the way out), `NULL` for a null.
fn read_back(db: &Database<'_>, table: &str) -> Vec<String> {
    // The leading `x` keeps an empty string from reading as no row at all.
    let sql = format!(
        "SELECT 'x' || coalesce(encode(convert_to(v, 'UTF8'), 'hex'), 'NULL') FROM {table} ORDER BY id"
    );
    db.query_rows(&sql)
        .into_iter()
        .map(|row| {
            row.concat()
                .strip_prefix('x')
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

fn hex(text: &str) -> String {
    text.bytes().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Asserts that `table` holds exactly `values`, naming the first value that differs.
fn assert_round_trip(
    db: &Database<'_>,
    table: &str,
    values: &[String],
) -> Result<(), TestCaseError> {
    let got = read_back(db, table);
    prop_assert_eq!(got.len(), values.len(), "row count of {}", table);
    for (i, (value, got)) in values.iter().zip(&got).enumerate() {
        prop_assert_eq!(got, &hex(value), "row {} of {} was {:?}", i, table, value);
    }
    Ok(())
}

/// COPY text fields written by `copy_text` load as exactly the original strings.
#[test]
fn copy_text_round_trips_arbitrary_unicode() {
    let pg = require_pg!();
    let db = pg.fresh_db();
    runner()
        .run(&batch(), |values| {
            let mut script = b"DROP TABLE IF EXISTS copied;\n\
                CREATE TABLE copied (id integer PRIMARY KEY, v text);\n\
                COPY copied (id, v) FROM stdin;\n"
                .to_vec();
            for (id, value) in values.iter().enumerate() {
                script.extend_from_slice(format!("{id}\t").as_bytes());
                copy_text(&mut script, value.as_bytes());
                script.push(b'\n');
            }
            script.extend_from_slice(b"\\.\n");
            load(&db, &script)?;
            assert_round_trip(&db, "copied", &values)
        })
        .unwrap();
}

/// SQL literals written by `sql_literal` (the `--inserts` quoting) load as exactly the
/// original strings.
#[test]
fn sql_literal_round_trips_arbitrary_unicode() {
    let pg = require_pg!();
    let db = pg.fresh_db();
    runner()
        .run(&batch(), |values| {
            let mut script = b"DROP TABLE IF EXISTS inserted;\n\
                CREATE TABLE inserted (id integer PRIMARY KEY, v text);\n\
                INSERT INTO inserted (id, v) VALUES\n"
                .to_vec();
            for (id, value) in values.iter().enumerate() {
                let sep = if id == 0 { "" } else { ",\n" };
                script.extend_from_slice(format!("{sep}({id}, ").as_bytes());
                sql_literal(&mut script, value.as_bytes());
                script.push(b')');
            }
            script.extend_from_slice(b";\n");
            load(&db, &script)?;
            assert_round_trip(&db, "inserted", &values)
        })
        .unwrap();
}
