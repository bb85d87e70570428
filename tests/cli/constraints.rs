//! What `validate` accepts, the server accepts: unique indexes, CHECK bounds on
//! every supported type, counters within their type, and columns that draw from a
//! sequence. Keys, indexes and constraints come after the data in the dump, and
//! CHECKs are part of CREATE TABLE, so loading a dump makes the server check every row.

use crate::support::{require_pg, Database, TestProject};

/// Generates `pgmock.json` of `project` and loads it into a fresh database, with the
/// session's `TimeZone` set first when `time_zone` is given.
fn load<'c>(
    pg: &'c crate::support::Cluster,
    project: &TestProject,
    time_zone: Option<&str>,
) -> Database<'c> {
    project.run_with(["generate", "-f", "dump.sql"]).success();
    let mut sql = project.read("dump.sql");
    if let Some(tz) = time_zone {
        sql = format!("SET timezone = '{tz}';\n{sql}");
    }
    fs_err::write(project.path("load.sql"), sql).unwrap();
    let db = pg.fresh_db();
    db.psql_file(project.path("load.sql"))
        .unwrap_or_else(|e| panic!("the dump does not load (TimeZone {time_zone:?}): {e}"));
    db
}

/// Runs `validate` on `json` and returns its stderr, asserting exit code 2.
fn rejected(json: &str) -> String {
    let project = TestProject::new().file("pgmock.json", json);
    let out = project.run_with(["validate"]).failure(2);
    // `generate` refuses it the same way.
    project.run_with(["generate", "-f", "out.sql"]).failure(2);
    out.stderr
}

/// A unique index makes its columns unique, like a UNIQUE constraint
/// (`"indexes": [{"columns": ["city"], "unique": true}]` used to give duplicates).
#[test]
fn unique_indexes_hold_like_unique_constraints() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{ "tables": {
          "users": { "rows": 50,
            "columns": { "id": {"type": "integer", "primary_key": true}, "email": "text",
                         "nick": "varchar(30)", "n": "integer", "deleted_at": "timestamptz" },
            "indexes": [ { "columns": ["email"], "unique": true },
                         { "columns": ["\"nick\" DESC NULLS LAST", "n"], "unique": true },
                         { "columns": ["n"], "unique": true, "where": "deleted_at IS NULL" } ] },
          "addresses": { "rows": 500,
            "columns": { "id": {"type": "integer", "primary_key": true},
                         "user_id": {"type": "integer", "references": "users"},
                         "is_primary": {"type": "boolean", "generator": {"kind": "constant", "value": false}},
                         "city": "text" },
            "indexes": [ { "columns": ["user_id"], "unique": true, "where": "is_primary" },
                         { "columns": ["city"], "unique": true } ] },
          "tags": { "rows": 30,
            "columns": { "id": {"type": "integer", "primary_key": true},
                         "address_id": {"type": "integer", "references": "addresses"},
                         "user_id": {"type": "integer", "references": "users"},
                         "code": {"type": "text", "unique": true, "generator": "code"} },
            "indexes": [ { "columns": ["address_id", "user_id"], "unique": true },
                         { "columns": ["(lower(code))"], "unique": true } ] }
        } }"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(
        db.query("SELECT count(*), count(DISTINCT city) FROM public.addresses"),
        "500|500"
    );
    // The partial index's `where` column has an explicit generator: pgmock trusts it
    // and leaves `user_id` free to repeat.
    assert_ne!(
        db.query("SELECT count(DISTINCT user_id) FROM public.addresses"),
        "500"
    );
    assert_eq!(
        db.query(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE 'CREATE UNIQUE%' \
             AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%key'"
        ),
        "7"
    );
}

/// Unique indexes pgmock cannot make hold are reported before any output.
#[test]
fn unique_indexes_pgmock_cannot_satisfy_are_errors() {
    // An expression: only an explicit generator on a column it uses is trusted.
    let stderr = rejected(
        r#"{ "tables": { "t": { "rows": 10,
             "columns": { "id": {"type": "integer", "primary_key": true}, "code": "text" },
             "indexes": [ { "columns": ["(lower(code))"], "unique": true } ] } } }"#,
    );
    assert!(
        stderr.contains(
            "pgmock cannot make unique index `t_lower_idx` on (lower(code)) hold by itself"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("/tables/t/indexes/0"), "{stderr}");
    // Too few values: the same error as for a unique constraint, at the index.
    let stderr = rejected(
        r#"{ "tables": { "t": { "rows": 10,
             "columns": { "id": {"type": "integer", "primary_key": true}, "flag": "boolean" },
             "indexes": [ { "columns": ["flag"], "unique": true } ] } } }"#,
    );
    assert!(
        stderr.contains("column `flag` must be unique over 10 rows but can take only 2 distinct values (a unique index makes `flag` unique)"),
        "{stderr}"
    );
    assert!(stderr.contains("/tables/t/indexes/0"), "{stderr}");
    // A partial index over a foreign key with more rows than the parent.
    let stderr = rejected(
        r#"{ "tables": {
             "p": { "rows": 5, "columns": { "id": {"type": "integer", "primary_key": true} } },
             "c": { "rows": 50,
               "columns": { "id": {"type": "integer", "primary_key": true},
                            "p_id": {"type": "integer", "references": "p"}, "main": "boolean" },
               "indexes": [ { "columns": ["p_id"], "unique": true, "where": "main" } ] } } }"#,
    );
    assert!(
        stderr.contains(
            "unique column `p_id` references `p`, which has only 5 rows for 50 rows here"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("unless a column that only its `where` uses has an explicit `generator`"),
        "{stderr}"
    );
}

/// `d BETWEEN '2023-06-01' AND '2023-06-30'` gave dates before June: the lower
/// bound was moved down a year whenever an upper bound followed.
#[test]
fn date_and_timestamp_checks_keep_both_bounds() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{ "tables": { "t": { "rows": 200, "columns": {
             "id": {"type": "integer", "primary_key": true},
             "d": {"type": "date", "check": "d BETWEEN '2023-06-01' AND '2023-06-30'"},
             "ts": {"type": "timestamp", "check": "ts >= '2024-01-01' AND ts < '2024-02-01'"} } } } }"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(
        db.query("SELECT min(d) >= '2023-06-01', min(ts) >= '2024-01-01', count(DISTINCT d) > 20 FROM public.t"),
        "t|t|t"
    );
}

/// Every supported CHECK form on dates, timestamps, integers, numerics and floats,
/// alone and with two bounds, loads whatever the server's time zone (a
/// `timestamptz` literal without an offset is read in it).
#[test]
fn every_supported_check_form_loads_in_every_time_zone() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{ "types": { "june": { "domain": "date", "check": "VALUE BETWEEN '2023-06-01' AND '2023-06-30'" } },
          "tables": { "forms": { "rows": 300, "columns": {
          "id": {"type": "integer", "primary_key": true},
          "d1": {"type": "date", "check": "d1 BETWEEN '2023-06-01' AND '2023-06-30'"},
          "d2": {"type": "date", "check": "d2 > '2023-06-01' AND d2 < '2023-06-03'"},
          "d3": {"type": "date", "check": "'2023-01-01' <= d3"},
          "d4": {"type": "date", "check": "d4 <= '1999-12-31'"},
          "d5": {"type": "date", "check": "d5 IN ('2024-02-29', '2024-03-01')"},
          "d6": {"type": "date", "check": "d6 = '2024-01-01'"},
          "d7": {"type": "date", "unique": true, "check": "d7 >= '2023-01-01' AND d7 <= '2023-12-31'"},
          "d8": {"type": "june"},
          "ts1": {"type": "timestamp", "check": "ts1 >= '2024-01-01' AND ts1 < '2024-02-01'"},
          "ts2": {"type": "timestamp", "check": "ts2 > '2024-01-01 10:00:00' AND ts2 <= '2024-01-01 10:00:05'"},
          "ts3": {"type": "timestamp", "check": "ts3 BETWEEN '2024-01-01 00:00:00+05' AND '2024-01-02'"},
          "ts4": {"type": "timestamp(0)", "check": "ts4 < '1990-01-01'"},
          "tz1": {"type": "timestamptz", "check": "tz1 >= '2024-01-01' AND tz1 < '2024-02-01'"},
          "tz2": {"type": "timestamptz", "check": "tz2 > '2024-01-01 00:00:00+00' AND tz2 < '2024-01-01 00:00:10+00'"},
          "tz3": {"type": "timestamptz", "check": "tz3 BETWEEN '2024-03-01 12:00:00-05' AND '2024-03-02 12:00:00+02'"},
          "tz4": {"type": "timestamptz", "check": "tz4 <= '2020-06-01'"},
          "tz5": {"type": "timestamptz", "check": "tz5 > '2030-01-01 00:00:00Z'"},
          "i1": {"type": "integer", "check": "i1 > 10 AND i1 < 13"},
          "i2": {"type": "smallint", "check": "i2 >= 32000"},
          "i3": {"type": "smallint", "check": "i3 < -32000"},
          "i4": {"type": "bigint", "check": "i4 BETWEEN 9223372036854775000 AND 9223372036854775807"},
          "i5": {"type": "bigint", "check": "i5 <= -9223372036854775000"},
          "i6": {"type": "integer", "check": "i6 > 2.5 AND i6 <= 3.5"},
          "i7": {"type": "integer", "check": "0 < i7"},
          "i8": {"type": "smallint", "check": "i8 IN (3, 5, 40000)"},
          "i9": {"type": "integer", "unique": true, "check": "i9 BETWEEN 1 AND 300"},
          "i10": {"type": "smallint", "unique": true, "check": "i10 > 32000"},
          "n1": {"type": "numeric(5,2)", "check": "n1 > 999"},
          "n2": {"type": "numeric(6,3)", "check": "n2 BETWEEN 0.0005 AND 0.0015"},
          "n3": {"type": "numeric", "check": "n3 >= 0.1 AND n3 <= 0.1"},
          "n4": {"type": "numeric(10,2)", "unique": true, "check": "n4 BETWEEN 5 AND 10"},
          "n5": {"type": "numeric(4,1)", "check": "n5 IN (1.5, 2.25, 1000)"},
          "n6": {"type": "numeric(12,2)", "check": "n6 < -0.5"},
          "r1": {"type": "real", "check": "r1 > 1000000 AND r1 < 1000000.5"},
          "r2": {"type": "real", "check": "r2 >= 0.1 AND r2 <= 0.2"},
          "f1": {"type": "double precision", "check": "f1 > 0 AND f1 < 1e-9"},
          "f2": {"type": "double precision", "unique": true, "check": "f2 BETWEEN 10 AND 1000"},
          "starts": "timestamp",
          "ends": "timestamp" },
          "checks": ["starts < ends"] } } }"#,
    );
    project.run_with(["validate"]).success();
    for tz in ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"] {
        let db = load(pg, &project, Some(tz));
        assert_eq!(db.query("SELECT count(*) FROM public.forms"), "300", "{tz}");
    }
    let db = load(pg, &project, None);
    // The values spread over their ranges rather than piling up at a bound.
    assert_eq!(
        db.query(
            "SELECT count(DISTINCT d1) > 20, count(DISTINCT i4) > 100, count(DISTINCT i2) > 100 FROM public.forms"
        ),
        "t|t|t"
    );
}

/// A `smallint` key over 40,000 rows wrote 32768; a CHECK bound beyond the type
/// (`sm > 32000`) wrote 32939; a `bigint` bound near 2^63 lost precision in `f64`.
#[test]
fn counters_and_check_bounds_stay_within_the_column_type() {
    let pg = require_pg!();
    for column in [
        r#"{"type": "smallint", "primary_key": true}"#,
        r#"{"type": "smallserial", "primary_key": true}"#,
        r#"{"type": "smallint", "identity": "always"}"#,
    ] {
        let stderr = rejected(&format!(
            r#"{{ "tables": {{ "t": {{ "rows": 40000, "columns": {{ "id": {column} }} }} }} }}"#
        ));
        assert!(
            stderr.contains("`id` counts from 1 to 40000 over 40000 rows, beyond what `smallint` can hold (up to 32767)"),
            "{column}: {stderr}"
        );
        assert!(stderr.contains("(at /tables/t/columns/id)"), "{stderr}");
    }
    let stderr = rejected(
        r#"{ "tables": { "t": { "rows": 10, "columns": {
             "sm": {"type": "smallint", "check": "sm > 32767"} } } } }"#,
    );
    assert!(
        stderr.contains(
            "checks on `sm` (sm > 32767) leave no value that `smallint` can hold (-32768 to 32767)"
        ),
        "{stderr}"
    );
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{ "tables": { "t": { "rows": 100, "columns": {
             "id": {"type": "smallint", "primary_key": true},
             "sm": {"type": "smallint", "check": "sm > 32000"},
             "b": {"type": "bigint", "check": "b >= 9223372036854775000"},
             "neg": {"type": "bigint", "check": "neg < -9223372036854775000"} } } } }"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(
        db.query("SELECT max(id), min(sm) > 32000, count(DISTINCT b) > 50 FROM public.t"),
        "100|t|t"
    );
}

/// A column whose default is `nextval` of a stand-alone sequence gets the values
/// that sequence would give (it used to get 1..1000 whatever the sequence's
/// MINVALUE), and the dump sets the sequence after them.
#[test]
fn nextval_defaults_follow_their_sequence() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{ "sequences": {
               "ticket_no": { "start": 1000, "increment": 5, "min": 1000, "max": 999999 },
               "unused": { "start": 7 } },
             "tables": {
               "a": { "rows": 20, "columns": { "id": {"type": "integer", "primary_key": true},
                 "ticket": {"type": "bigint", "nullable": false, "unique": true,
                            "default": "nextval('public.ticket_no'::regclass)"} } },
               "b": { "rows": 5, "columns": { "id": {"type": "integer", "primary_key": true},
                 "ticket": {"type": "numeric(12,2)", "default": "nextval('public.ticket_no'::regclass)"} } } } }"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(
        db.query("SELECT min(ticket), max(ticket), count(DISTINCT ticket) FROM public.a"),
        "1000|1095|20"
    );
    // The second column continues where the first stopped.
    assert_eq!(
        db.query("SELECT min(ticket), max(ticket) FROM public.b"),
        "1100.00|1120.00"
    );
    // New rows continue after the data instead of colliding with it.
    db.query("INSERT INTO public.a (id) VALUES (21)");
    assert_eq!(
        db.query("SELECT ticket FROM public.a WHERE id = 21"),
        "1125"
    );
    assert_eq!(db.query("SELECT nextval('public.unused')"), "7");

    let stderr = rejected(
        r#"{ "sequences": { "ticket_no": { "start": 1000, "increment": 5, "min": 1000, "max": 1050 } },
             "tables": { "t": { "rows": 20, "columns": {
               "ticket": {"type": "bigint", "default": "nextval('public.ticket_no'::regclass)"} } } } }"#,
    );
    assert!(
        stderr.contains("`ticket` takes its values from sequence `ticket_no` (its default), which would run from 1000 to 1095 over 20 rows, outside its limits (1000 to 1050)"),
        "{stderr}"
    );
}

/// Found in review: `numeric(p,0)` columns were scaled as if they had two
/// decimals (every value clamped to the top, unique ones all equal); a
/// domain's `IN` list replaced the column's instead of meeting it; a bound
/// written with more than 38 digits, or an exponent past `i32`, was ignored.
#[test]
fn whole_numerics_value_lists_and_long_literals_hold() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"types": {"grade": {"domain": "text", "check": "VALUE IN ('a', 'b', 'c', 'd')"}},
          "tables": {"t": {"rows": 200, "columns": {
            "id": {"type": "integer", "primary_key": true},
            "code": {"type": "numeric(12,0)", "unique": true},
            "amount": {"type": "numeric(10,0)"},
            "g": {"type": "grade", "check": "g IN ('a', 'b')"},
            "r": {"type": "numeric(6,2)", "check": "r >= -1.000000000000000000000000000000000000000001 AND r <= 5"}}}}}"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(
        db.query("SELECT count(DISTINCT amount) > 50 FROM t"),
        "t",
        "whole numbers spread over their range"
    );
    assert_eq!(db.query("SELECT string_agg(DISTINCT g, ',') FROM t"), "a,b");
    let err = rejected(
        r#"{"tables": {"t": {"columns": {"n": {"type": "bigint", "check": "n > 1e99999999999"}}}}}"#,
    );
    assert!(err.contains("leave no value"), "{err}");
}

/// Found by a user-level audit: a unique self-reference pointed several rows
/// at row 1; `null_ratio` put NULLs in unique columns and in the parent link
/// of per-parent rows; NULL keys of a list or range partitioned table without
/// a default partition were dropped from the dump.
#[test]
fn unique_self_references_null_ratios_and_partition_keys_hold() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"null_ratio": 0.5, "tables": {
          "users": {"rows": 40, "columns": {"id": {"type": "integer", "primary_key": true},
            "mentor_id": {"type": "integer", "references": "users", "unique": true},
            "handle": {"type": "text", "unique": true}}},
          "orders": {"rows": 30, "columns": {"id": {"type": "integer", "primary_key": true}}},
          "items": {"rows": {"per": "orders", "min": 1, "max": 3}, "columns": {
            "order_id": {"type": "integer", "references": "orders"}, "qty": "integer"}},
          "kinds": {"rows": 100, "columns": {"k": "smallint", "id": "serial"},
            "partition_by": {"strategy": "list", "columns": ["k"]},
            "partitions": {"k1": {"in": [1, 2, 3]}, "k4": {"in": [4]}}},
          "days": {"rows": 100, "columns": {"d": "date", "id": "serial"},
            "partition_by": {"strategy": "range", "columns": ["d"]},
            "partitions": {"r1": {"from": "2020-01-01", "to": "2030-01-01"}}}}}"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(
        db.query("SELECT count(*) FROM users WHERE handle IS NULL"),
        "0"
    );
    assert_eq!(
        db.query("SELECT count(*) FROM items WHERE order_id IS NULL"),
        "0"
    );
    assert_eq!(
        db.query("SELECT (SELECT count(*) FROM kinds), (SELECT count(*) FROM days)"),
        "100|100",
        "every row is in the dump"
    );
}

/// A composite key is made unique through its roomiest column, whatever
/// order the key lists them in: `["tenant", "id"]` with `tenant BETWEEN 1
/// AND 4` used to pick `tenant` and refuse; and a unique integer no check
/// caps gets room for its rows beyond the default 1–1000.
#[test]
fn composite_keys_pick_the_column_with_room() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"nodes": {"rows": 4000, "columns": {
            "tenant": {"type": "integer", "check": "tenant BETWEEN 1 AND 4"},
            "id": "integer", "label": "text"},
          "primary_key": ["tenant", "id"]}}}"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(db.query("SELECT count(*) FROM nodes"), "4000");
}

/// Two composite foreign keys into one table that share a column
/// (`(event_id, event_day)` and `(event_code, event_day)`) take all their
/// columns from one parent row, so both hold.
#[test]
fn foreign_keys_sharing_a_column_pick_one_parent_row() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {
          "events": {"rows": 50, "columns": {"id": "bigint", "day": {"type": "date", "nullable": false},
              "code": {"type": "text", "nullable": false}},
            "primary_key": ["id", "day"], "unique": [["code", "day"]]},
          "refs": {"rows": 200, "columns": {"id": {"type": "integer", "primary_key": true},
              "event_id": "bigint", "event_day": "date", "event_code": "text"},
            "foreign_keys": [
              {"columns": ["event_id", "event_day"], "references": "events"},
              {"columns": ["event_code", "event_day"], "references": {"table": "events", "columns": ["code", "day"]}}]}}}"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(db.query("SELECT count(*) FROM refs"), "200");
    let err = rejected(
        r#"{"tables": {"a": {"columns": {"id": "integer", "k": "integer"}, "primary_key": ["id", "k"]},
            "b": {"columns": {"id": "integer", "k": "integer"}, "primary_key": ["id", "k"]},
            "c": {"columns": {"x": "integer", "y": "integer", "k": "integer"},
              "foreign_keys": [{"columns": ["x", "k"], "references": "a"}, {"columns": ["y", "k"], "references": "b"}]}}}"#,
    );
    assert!(
        err.contains("share a column but reference different tables"),
        "{err}"
    );
}

/// `created_at < updated_at` with a NULL `created_at`: `updated_at` is NULL
/// too (any value satisfies the check), not an offset from the epoch.
#[test]
fn a_later_column_after_a_null_is_null() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"rows": 200, "columns": {"id": {"type": "integer", "primary_key": true},
            "created_at": {"type": "timestamptz", "null_ratio": 0.5}, "updated_at": "timestamptz"},
          "checks": ["created_at < updated_at"]}}}"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(
        db.query("SELECT count(*) FROM t WHERE created_at IS NULL AND updated_at IS NOT NULL"),
        "0"
    );
    assert_ne!(
        db.query("SELECT count(*) FROM t WHERE created_at IS NULL"),
        "0"
    );
}

/// Listed `numeric` values are read exactly and rounded as the server rounds
/// them; NaN and Infinity, which pgmock cannot write, are reported.
#[test]
fn listed_numeric_values_are_exact() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"rows": 60, "columns": {"id": {"type": "integer", "primary_key": true},
            "c": {"type": "numeric(12,2)", "generator": {"kind": "choice",
              "values": ["1.234567", "-1.235", "2.5e1", "1234567890.125"]}}}}}}"#,
    );
    let db = load(pg, &project, None);
    assert_eq!(
        db.query("SELECT string_agg(DISTINCT c::text, ' ' ORDER BY c::text) FROM t"),
        "-1.24 1.23 1234567890.13 25.00"
    );
    let err = rejected(
        r#"{"tables": {"t": {"columns": {"a": {"type": "numeric", "generator": {"kind": "constant", "value": "NaN"}}}}}}"#,
    );
    assert!(err.contains("expected a finite decimal number"), "{err}");
}
