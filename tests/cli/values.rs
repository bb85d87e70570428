//! Values nested in other values (array elements, composite fields, domains over
//! domains) and the extension types `hstore`, `ltree` and `citext`: every dump loads
//! into the real server with `ON_ERROR_STOP`, and reads back as pgmock wrote it.

use std::io::Write as _;

use crate::support::{require_pg, Database, TestProject};

/// Generates `schema` as a plain dump, loads it into a fresh database and returns the
/// project and the database, with the server's error in the panic message if it refuses.
fn load<'c>(pg: &'c crate::support::Cluster, schema: &str) -> (TestProject, Database<'c>) {
    let project = TestProject::new()
        .file("pgmock.json", schema)
        .args(["generate", "-f", "out.sql"]);
    project.run().success();
    let db = pg.fresh_db();
    if let Err(err) = db.psql_file(project.path("out.sql")) {
        panic!("the server rejects the dump:\n{err}");
    }
    (project, db)
}

/// Asserts that the server prints table `t` (ordered by `id`) exactly as the dump's COPY
/// block has it, so every nested value was written in PostgreSQL's own text form.
fn assert_reads_back(project: &TestProject, db: &Database<'_>) {
    let sql = project.read("out.sql");
    let start = sql.find("COPY public.t (").expect("a COPY block for t");
    let body = &sql[start..];
    let first = body.find('\n').unwrap() + 1;
    let ours = &body[first..body.find("\\.\n").unwrap()];
    let theirs = db.copy_out("(SELECT * FROM public.t ORDER BY id)");
    // Rows differ only where a value does: compare line by line for a readable failure.
    for (row, (a, b)) in ours.lines().zip(theirs.lines()).enumerate() {
        assert_eq!(a, b, "row {row} reads back differently");
    }
    assert_eq!(ours.lines().count(), theirs.lines().count());
}

/// Whether the server offers every extension in `names`. When it does not, prints
/// `SKIPPED: <test>: ...` to the real stderr (libtest hides a passing test's output), or
/// fails when `CI` is `true`: CI has the Debian package, which ships them in contrib.
fn has_extensions(db: &Database<'_>, names: &[&str]) -> bool {
    let list = names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let available = db.query(&format!(
        "SELECT string_agg(name, ',' ORDER BY name) FROM pg_available_extensions WHERE name IN ({list})"
    ));
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !available.split(',').any(|a| a == *n))
        .collect();
    if missing.is_empty() {
        return true;
    }
    let reason = format!(
        "the PostgreSQL server lacks the extension(s) {} (install the postgresql-contrib package)",
        missing.join(", ")
    );
    let ci = std::env::var("CI").is_ok_and(|ci| ci.eq_ignore_ascii_case("true") || ci == "1");
    assert!(!ci, "{reason}, which CI must have");
    let test = std::thread::current().name().unwrap_or("test").to_owned();
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {reason}");
    false
}

/// Regression test: a composite field of an array type crashed `generate` (`int[]`,
/// `date[]`), wrote `("")` (`boolean[]`) or a bare word (`text[]`, "malformed array
/// literal"). Fields of every array type, nested composites and arrays of composites
/// holding arrays now load and read back.
#[test]
fn composite_fields_of_every_array_type_load_and_read_back() {
    let pg = require_pg!();
    let schema = r#"{
  "types": {
    "mood": {"enum": ["sad", "ok", "happy"]},
    "posint": {"domain": "integer", "check": "VALUE > 0"},
    "pair": {"composite": {"n": "int", "tags": "text[]"}},
    "row_of_arrays": {"composite": {
      "i": "int[]", "t": "text[]", "d": "date[]", "b": "boolean[]", "n": "numeric[]",
      "n2": "numeric(8,2)[]", "v": "varchar(5)[]", "u": "uuid[]", "ts": "timestamptz[]",
      "j": "jsonb[]", "bx": "box[]", "m": "mood[]", "grid": "int[][]", "p": "posint[]",
      "r": "int4range[]", "f": "real[]", "iv": "interval[]", "ip": "inet[]",
      "by": "bytea[]", "pt": "point[]"
    }},
    "wrapper": {"composite": {"one": "pair", "many": "pair[]", "m": "mood", "s": "text"}}
  },
  "tables": {"t": {"rows": 200, "columns": {
    "id": {"type": "integer", "primary_key": true},
    "a": "row_of_arrays",
    "a_list": "row_of_arrays[]",
    "w": "wrapper",
    "w_list": "wrapper[]"
  }}}
}"#;
    let (project, db) = load(pg, schema);
    assert_reads_back(&project, &db);
    // The arrays are real arrays with elements, not empty text that happened to parse.
    let filled = db.query(
        "SELECT count(*) FILTER (WHERE cardinality((a).i) > 0), \
                count(*) FILTER (WHERE cardinality((a).t) > 0), \
                count(*) FILTER (WHERE cardinality((a).b) > 0), \
                count(*) FILTER (WHERE cardinality(((w).one).tags) > 0) FROM public.t",
    );
    for n in filled.split('|') {
        assert!(n.parse::<u32>().unwrap() > 100, "{filled}");
    }
}

/// Domain checks hold wherever the domain is used: as an array element, as a composite
/// field, under another domain (whose checks add up), and domains over arrays and over
/// `box` (whose arrays use `;` between elements) generate valid values.
#[test]
fn domains_inside_arrays_and_composites_keep_their_checks() {
    let pg = require_pg!();
    let schema = r#"{
  "types": {
    "band": {"domain": "integer", "check": "VALUE BETWEEN 5000 AND 6000"},
    "band_low": {"domain": "band", "check": "VALUE < 5010"},
    "boxed": {"domain": "box"},
    "color": {"domain": "text", "check": "VALUE IN ('red', 'green')"},
    "int_list": {"domain": "int[]"},
    "mood": {"enum": ["sad", "ok", "happy"]},
    "mood_d": {"domain": "mood"},
    "short_word": {"domain": "varchar(10)", "check": "length(VALUE) <= 3"},
    "with_domains": {"composite": {
      "b": "band", "bl": "band_low", "c": "color", "sw": "short_word",
      "il": "int_list", "bx": "boxed", "md": "mood_d", "bands": "band[]"
    }}
  },
  "tables": {"t": {"rows": 200, "columns": {
    "id": {"type": "integer", "primary_key": true},
    "bands": "band[]",
    "low": "band_low",
    "lows": "band_low[]",
    "colors": "color[]",
    "words": "short_word[]",
    "il": "int_list",
    "ils": "int_list[]",
    "boxes": "boxed[]",
    "moods": "mood_d[]",
    "wd": "with_domains",
    "wds": "with_domains[]"
  }}}
}"#;
    let (project, db) = load(pg, schema);
    assert_reads_back(&project, &db);
    // The server checked every domain on load; make sure the values were not all NULL.
    assert_eq!(
        db.query(
            "SELECT count(*) FROM public.t WHERE low IS NULL OR (wd).b IS NULL \
             OR (wd).bl NOT BETWEEN 5000 AND 5009"
        ),
        "0"
    );
}

/// Regression test: `hstore` and `ltree` columns got sentences, which the server rejects.
/// They now get attribute maps and topic paths, also inside arrays, composites and domains;
/// `citext` takes text, also when unique.
#[test]
fn hstore_ltree_and_citext_load_and_read_back() {
    let pg = require_pg!();
    let probe = pg.fresh_db();
    if !has_extensions(&probe, &["citext", "hstore", "ltree"]) {
        return;
    }
    let schema = r#"{
  "database": {"extensions": ["hstore", "ltree", "citext"]},
  "types": {
    "attrs": {"domain": "hstore"},
    "item": {"composite": {
      "h": "hstore", "l": "ltree", "c": "citext",
      "hs": "hstore[]", "ls": "ltree[]", "cs": "citext[]"
    }}
  },
  "tables": {
    "t": {"rows": 300, "columns": {
      "id": {"type": "integer", "primary_key": true},
      "h": {"type": "hstore", "nullable": false},
      "hs": "hstore[]",
      "l": {"type": "ltree", "nullable": false},
      "ls": "ltree[]",
      "path": {"type": "ltree", "unique": true},
      "email": {"type": "citext", "unique": true},
      "c": "citext",
      "cs": "citext[]",
      "a": "attrs",
      "it": "item",
      "its": "item[]"
    }}
  }
}"#;
    let (project, db) = load(pg, schema);
    assert_reads_back(&project, &db);
    // 1 to 4 pairs and 1 to 4 labels, as documented.
    assert_eq!(
        db.query(
            "SELECT count(*) FROM public.t WHERE array_length(akeys(h), 1) NOT BETWEEN 1 AND 4 \
             OR nlevel(l) NOT BETWEEN 1 AND 4"
        ),
        "0"
    );
    assert_eq!(
        db.query("SELECT count(DISTINCT path) = count(path) FROM public.t"),
        "t"
    );
}

/// Words and sentences are not hstore or ltree values: a text generator on such a column
/// is refused before any output, instead of giving a dump the server rejects.
#[test]
fn text_generators_are_refused_on_hstore_and_ltree_columns() {
    for ty in ["hstore", "ltree"] {
        let schema = format!(
            r#"{{"database": {{"extensions": ["{ty}"]}},
  "tables": {{"t": {{"rows": 3, "columns": {{
    "x": {{"type": "{ty}", "generator": "sentence"}}
  }}}}}}}}"#
        );
        let project = TestProject::new()
            .file("pgmock.json", schema)
            .args(["generate", "-f", "out.sql"]);
        let out = project.run().failure(2);
        assert!(
            out.stderr.contains(&format!(
                "generator `sentence` makes text, but `x` is an `{ty}` column"
            )),
            "{out}"
        );
        assert!(!project.exists("out.sql"));
    }
}
