//! The schema script: user types in dependency order, index keys quoted as
//! pg_dump quotes them, interval modifiers, and the errors around them
//! (unknown index columns, `-n` and `--rows` naming nothing).

use crate::formats::fingerprint;
use crate::support::{require_pg, TestProject};

/// A chain of user types whose alphabetical order is the wrong way round:
/// enum ← domain ← composite ← composite ← composite in another schema ←
/// composite naming it schema-qualified, and a table using them, arrays included.
const TYPE_CHAIN: &str = r#"{"database": {"name": "chain"},
  "types": {
    "zz_status": {"enum": ["new", "open", "closed"]},
    "yy_code": {"domain": "zz_status"},
    "xx_pair": {"composite": {"code": "yy_code", "label": "text"}},
    "aa_outer": {"composite": {"pair": "xx_pair", "n": "integer", "s": "zz_status"}},
    "bb_wrap": {"schema": "app", "composite": {"o": "aa_outer"}},
    "cc_top": {"composite": {"w": "app.bb_wrap", "d": "public.yy_code"}},
    "mm_free": {"enum": ["x", "y"]}
  },
  "tables": {"items": {"rows": 60, "columns": {
    "id": {"type": "integer", "primary_key": true},
    "o": "aa_outer", "w": "bb_wrap", "top": "cc_top", "c": "yy_code", "f": "mm_free",
    "statuses": "zz_status[]", "outers": "aa_outer[]"}}}
}"#;

#[test]
fn dependent_types_load_from_plain_and_parallel_restore() {
    let pg = require_pg!();
    let project = TestProject::new().file("pgmock.json", TYPE_CHAIN);
    project.run_with(["generate", "-f", "out.sql"]).success();
    let script = project.read("out.sql");
    let created: Vec<&str> = script
        .lines()
        .filter(|l| l.starts_with("CREATE TYPE") || l.starts_with("CREATE DOMAIN"))
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(
        created,
        [
            "public.zz_status",
            "public.yy_code",
            "public.xx_pair",
            "public.aa_outer",
            "app.bb_wrap",
            "public.cc_top",
            "public.mm_free"
        ]
    );
    let plain = pg.fresh_db();
    plain
        .psql_file(project.path("out.sql"))
        .expect("the plain dump loads");
    assert_eq!(
        plain.query("SELECT count(*) FROM public.items WHERE ((o).pair).code IS NOT NULL"),
        "60"
    );
    let expected = fingerprint(&plain);

    project
        .run_with(["generate", "-F", "c", "-f", "out.dump"])
        .success();
    let dump = project.path("out.dump");
    let dump = dump.to_str().unwrap();
    let db = pg.fresh_db();
    db.pg_restore(&["--exit-on-error", "-j", "2", dump])
        .expect("pg_restore -j 2 restores");
    assert_eq!(fingerprint(&db), expected);

    // The listing pg_restore -l prints, fed back with -L, restores the same.
    let list = pg
        .command("pg_restore")
        .args(["-l", dump])
        .output()
        .unwrap();
    assert!(list.status.success());
    let list_file = project.path("list.txt");
    std::fs::write(&list_file, &list.stdout).unwrap();
    let db = pg.fresh_db();
    db.pg_restore(&[
        "--exit-on-error",
        "-j",
        "2",
        "-L",
        list_file.to_str().unwrap(),
        dump,
    ])
    .expect("pg_restore -L restores");
    assert_eq!(fingerprint(&db), expected);
}

#[test]
fn types_built_on_themselves_are_reported() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"types": {"a": {"composite": {"b": "b"}}, "b": {"composite": {"list": "a[]"}}},
            "tables": {"t": {"columns": {"id": "integer", "a": "a"}}}}"#,
    );
    let out = project.run_with(["validate"]).failure(2);
    assert!(
        out.stderr
            .contains("error: type `a` is built on itself: a → b → a"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("type `b`"), "one report per cycle");
}

#[test]
fn index_columns_are_quoted_as_pg_dump_quotes_them() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"rows": 30, "columns": {
              "id": {"type": "integer", "primary_key": true},
              "CamelCol": "text", "user": "text", "select": "integer", "first name": "text"},
            "indexes": [
              {"columns": ["CamelCol"]},
              {"columns": ["user"]},
              {"columns": ["select DESC", "\"user\" nulls first"]},
              {"columns": ["first name desc nulls last", "CamelCol text_pattern_ops ASC"]},
              {"columns": ["CamelCol COLLATE \"C\" DESC NULLS FIRST"], "name": "t_collated"},
              {"columns": ["(lower(\"user\"))"]}
            ]}}}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("the dump loads");
    let script = project.read("out.sql");
    // Each index as the server describes it: the script wrote the same text.
    let described = db.query(
        "SELECT string_agg(pg_get_indexdef(indexrelid), E'\\n' ORDER BY 1) FROM pg_index \
         WHERE indrelid = 'public.t'::regclass AND NOT indisprimary",
    );
    assert_eq!(described.lines().count(), 6, "{described}");
    // Expressions are written as given, so only column keys are compared.
    for line in described.lines().filter(|l| !l.contains("lower")) {
        assert!(script.contains(&format!("{line};")), "{line}\n{script}");
    }
    assert!(
        script.contains("USING btree ((lower(\"user\")));"),
        "{script}"
    );
    assert!(
        script.contains("CREATE INDEX \"t_CamelCol_idx\" ON public.t USING btree (\"CamelCol\");"),
        "{script}"
    );
    assert!(
        script.contains("CREATE INDEX t_user_idx ON public.t USING btree (\"user\");"),
        "{script}"
    );
}

#[test]
fn index_keys_that_name_no_column_are_reported() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"columns": {"id": "integer", "CamelCol": "text", "tags": "text[]"},
            "indexes": [
              {"columns": ["id", "camelcol DESC"]},
              {"columns": ["id DESC LAST"]},
              {"columns": ["tags DESC"], "method": "gin"}
            ]}}}"#,
    );
    let out = project.run_with(["validate"]).failure(2);
    let expected = [
        "error: index column `camelcol` is not a column of `t`",
        "(at /tables/t/indexes/0/columns/1)",
        "hint: did you mean `CamelCol`?",
        "error: index key `id DESC LAST`: unexpected `LAST` after the column name",
        "(at /tables/t/indexes/1/columns/0)",
        "error: index key `tags DESC`: `gin` indexes do not support `ASC`/`DESC`",
        "error: 3 problems",
    ];
    for text in expected {
        assert!(out.stderr.contains(text), "{text}\n{}", out.stderr);
    }
}

#[test]
fn interval_modifiers_load_and_values_fit() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"iv": {"rows": 200, "columns": {
              "id": {"type": "integer", "primary_key": true},
              "a": "interval(1)", "b": "INTERVAL (0)", "c": "interval year", "d": "interval month",
              "e": "interval day", "f": "interval hour", "g": "interval minute",
              "h": "interval second(2)", "i": "interval year to month", "j": "interval day to hour",
              "k": "interval day to minute", "l": "interval day to second(3)",
              "m": "interval hour to minute", "n": "interval hour to second",
              "o": "interval minute to second(6)", "p": "interval(6)[]", "q": "interval"}}}}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let script = project.read("out.sql");
    for column in [
        "a interval(1),",
        "b interval(0),",
        "c interval year,",
        "l interval day to second(3),",
        "p interval(6)[],",
        "q interval\n",
    ] {
        assert!(script.contains(column), "{column}\n{script}");
    }
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("the dump loads");
    // Stored unchanged: every value already fits its column's fields and precision.
    let written: String = script
        .lines()
        .skip_while(|l| !l.starts_with("COPY public.iv"))
        .skip(1)
        .take_while(|l| *l != "\\.")
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(db.copy_out("public.iv"), written);
    assert_ne!(
        db.query("SELECT count(DISTINCT i) FROM public.iv"),
        "1",
        "year to month keeps months"
    );
}

#[test]
fn interval_modifiers_postgres_rejects_are_reported() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"columns": {"a": "interval(7)", "b": "interval year(2)", "c": "interval day to month"}}}}"#,
    );
    let out = project.run_with(["validate"]).failure(2);
    for text in [
        "invalid type `interval(7)`: precision 7 must be between 0 and 6",
        "invalid type `interval year(2)`: `interval year` takes no precision",
        "invalid type `interval day to month`: unknown interval fields `day to month`",
    ] {
        assert!(out.stderr.contains(text), "{text}\n{}", out.stderr);
    }
}

#[test]
fn schema_patterns_that_match_nothing_are_errors() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"rows": 2, "columns": {"id": "integer"}},
            "u": {"schema": "App", "rows": 2, "columns": {"id": "integer"}}}}"#,
    );
    let out = project
        .run_with(["generate", "-n", "nosuch", "-f", "out.sql"])
        .failure(2);
    assert!(
        out.stderr
            .contains("no matching schemas were found for pattern `nosuch`"),
        "{}",
        out.stderr
    );
    assert!(!project.exists("out.sql"));
    // A pattern that matches keeps working; quoting keeps case, as in pg_dump.
    project
        .run_with(["generate", "-n", "public", "-n", "nosuch*", "-f", "-"])
        .failure(2);
    let out = project
        .run_with(["generate", "-n", "\"App\"", "-f", "-"])
        .success();
    assert!(
        out.stdout.contains("CREATE TABLE \"App\".u"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("CREATE TABLE public.t"),
        "{}",
        out.stdout
    );
    project
        .run_with(["generate", "-n", "App", "-f", "-"])
        .failure(2);
    project
        .run_with(["generate", "-n", "pub*", "-N", "public", "-f", "-"])
        .success();
}

#[test]
fn rows_for_an_unknown_table_is_a_usage_error() {
    let project = TestProject::new().file(
        "shop.json",
        r#"{"tables": {"orders": {"rows": 2, "columns": {"id": "integer"}}}}"#,
    );
    let out = project
        .run_with([
            "generate",
            "shop.json",
            "--rows",
            "order=5",
            "-f",
            "out.sql",
        ])
        .failure(2);
    assert_eq!(
        out.stderr,
        "error: invalid value `order=5` for `--rows`: `order` is not a table of the project; did you mean `orders`?\n"
    );
    assert!(!out.stderr.contains("shop.json:"), "{}", out.stderr);
    project
        .run_with([
            "generate",
            "shop.json",
            "--rows",
            "public.orders=5",
            "-f",
            "out.sql",
        ])
        .success();
    assert!(project.read("out.sql").contains("COPY public.orders"));
}
