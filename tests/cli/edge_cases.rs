//! `--edge-cases RATIO`: values applications get wrong, mixed in so that
//! every row still loads with all its constraints and every rule still holds.

use crate::support::{require_pg, TestProject};

const PROJECT: &str = r#"{"seed": 5,
  "types": {"order_status": {"enum": ["pending", "paid", "shipped", "delivered", "cancelled"]}},
  "tables": {
    "everything": {"rows": 4000, "columns": {
      "id": "serial", "name": "text", "email": {"type": "varchar(40)", "nullable": false}, "code": "char(5)",
      "nickname": {"type": "varchar(12)", "unique": true},
      "qty": "integer", "small": "smallint", "big": "bigint", "price": "numeric(10,2)", "amount": "numeric", "cash": "money",
      "ratio": "real", "score": "double precision", "ok": "boolean", "born": "date", "seen_at": "timestamp", "paid_at": "timestamptz",
      "opens": "time", "opens_tz": "timetz", "uid": "uuid", "doc": "jsonb", "raw": "json", "blob": "bytea",
      "ip": "inet", "net": "cidr", "mac": "macaddr", "span": "interval", "flags": "bit(4)", "vflags": "varbit(8)",
      "tags": "text[]", "period": "int4range", "tsv": "tsvector",
      "rating": {"type": "integer", "check": "rating BETWEEN 1 AND 5"},
      "short": {"type": "text", "check": "length(short) <= 8"},
      "grade": {"type": "text", "check": "grade IN ('a', 'b', 'c')"}}},
    "customers": {"rows": 300, "primary_key": ["id"], "columns": {"id": "bigserial", "first_name": "text", "email": "text",
      "currency": {"type": "char(3)", "nullable": false}, "created_at": "timestamptz"}},
    "products": {"rows": 80, "primary_key": ["id"], "columns": {"id": "bigserial", "title": "text", "price": {"type": "numeric(10,2)", "nullable": false}}},
    "orders": {"rows": {"per": "customers", "min": 0, "max": 6}, "primary_key": ["id"], "columns": {
      "id": "bigserial", "customer_id": {"type": "bigint", "references": "customers"}, "currency": "char(3)",
      "status": "order_status", "ordered_at": "timestamptz", "paid_at": "timestamptz", "shipped_at": "timestamptz",
      "cancelled_at": "timestamptz", "note": "text",
      "total": {"type": "numeric(14,2)", "aggregate": "sum(order_items.line_total)"}}},
    "order_items": {"rows": {"per": "orders", "min": 1, "max": 4}, "primary_key": ["order_id", "line_no"], "columns": {
      "order_id": {"type": "bigint", "references": "orders"}, "line_no": "integer",
      "product_id": {"type": "bigint", "references": "products"},
      "quantity": {"type": "integer", "check": "quantity BETWEEN 1 AND 5"}, "unit_price": "numeric(10,2)",
      "line_total": {"type": "numeric(12,2)", "derive": "quantity * unit_price"}}}
  }}"#;

#[test]
fn edge_cases_load_with_every_constraint_and_rule() {
    let pg = require_pg!();
    let p = TestProject::new().file("pgmock.json", PROJECT);
    p.run_with(["generate", "-f", "out.sql", "--edge-cases", "0.3"])
        .success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql"))
        .expect("every edge value fits its column's type and constraints");
    let count = |sql: &str| -> u64 { db.query(sql).parse().unwrap() };
    // The values applications get wrong are there.
    for (what, cond) in [
        ("empty strings", "name = ''"),
        ("quotes", "name = 'O''Brien'"),
        ("backslashes", "name LIKE '%\\\\%'"),
        ("line breaks", "name LIKE '%' || chr(10) || '%'"),
        ("combining marks", "name LIKE '%' || chr(769) || '%'"),
        ("emoji", "name LIKE '%👩🏽‍💻%'"),
        ("right-to-left text", "name = 'مرحبا بالعالم'"),
        (
            "the longest varchar(40)",
            "char_length(email) = 40 AND octet_length(email) = 80",
        ),
        ("integer limits", "qty = 2147483647 OR qty = -2147483648"),
        ("smallint limits", "small = 32767"),
        ("numeric(10,2) limits", "price = 99999999.99"),
        ("NaN", "ratio = 'NaN'"),
        ("infinity", "score = '-Infinity'"),
        ("leap days", "born = '2024-02-29'"),
        ("infinite dates", "born = 'infinity'"),
        ("DST-gap local times", "seen_at = '2024-03-10 02:30:00'"),
        ("the epoch", "paid_at = '1970-01-01 00:00:00+00'"),
        (
            "the nil UUID",
            "uid = '00000000-0000-0000-0000-000000000000'",
        ),
        ("empty JSON", "doc = '{}'"),
        ("empty arrays", "tags = '{}'"),
        ("empty ranges", "isempty(period)"),
        ("NULLs in nullable columns", "name IS NULL"),
    ] {
        assert!(
            count(&format!("SELECT count(*) FROM everything WHERE {cond}")) > 0,
            "no {what}"
        );
    }
    // NOT NULL columns stay filled; unique ones unique; checked ones within their checks.
    assert_eq!(
        count("SELECT count(*) FROM everything WHERE email IS NULL"),
        0
    );
    assert_eq!(
        count("SELECT count(*) - count(DISTINCT nickname) - count(*) FILTER (WHERE nickname IS NULL) FROM everything"),
        0
    );
    assert_eq!(
        count("SELECT count(*) FROM everything WHERE rating NOT BETWEEN 1 AND 5 OR grade NOT IN ('a', 'b', 'c')"),
        0
    );
    // Ordinary values stay the majority.
    assert!(count("SELECT count(*) FROM everything WHERE qty BETWEEN -2147483647 AND 2147483646 AND qty NOT IN (-1, 0, 1)") > 2000);
    // Rules hold across tables: edge values never land where a rule reads or writes.
    let zero = |sql: &str| assert_eq!(count(sql), 0, "{sql}");
    zero("SELECT count(*) FROM orders WHERE shipped_at IS NOT NULL AND status NOT IN ('shipped', 'delivered')");
    zero("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.ordered_at <= c.created_at");
    zero("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.currency IS DISTINCT FROM c.currency");
    zero("SELECT count(*) FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.unit_price <> p.price");
    zero("SELECT count(*) FROM orders o WHERE o.total <> (SELECT sum(line_total) FROM order_items i WHERE i.order_id = o.id)");
    // Columns no rule touches get edge values in related tables too.
    assert!(count("SELECT count(*) FROM orders WHERE note = '' OR note IS NULL") > 0);
}

#[test]
fn edge_cases_are_deterministic_for_any_jobs_and_table_selection() {
    let p = TestProject::new().file("pgmock.json", PROJECT);
    p.run_with([
        "generate",
        "-f",
        "one.sql",
        "-j",
        "1",
        "--edge-cases",
        "0.2",
    ])
    .success();
    p.run_with([
        "generate",
        "-f",
        "two.sql",
        "-j",
        "2",
        "--edge-cases",
        "0.2",
    ])
    .success();
    assert_eq!(p.read("one.sql"), p.read("two.sql"));
    let plain = p
        .run_with(["generate", "-a", "-t", "orders"])
        .success()
        .stdout;
    let alone = p
        .run_with(["generate", "-a", "-t", "orders", "--edge-cases", "0.2"])
        .success()
        .stdout;
    assert_ne!(plain, alone, "the ratio changes the data");
    let block = |sql: &str| crate::support::copy_block(sql, "public.orders");
    assert!(
        block(&alone) == block(&p.read("one.sql")),
        "-t orders gives the rows of the full run"
    );
    for bad in ["1.5", "-0.1", "NaN"] {
        let out = p
            .run_with(["generate", "-f", "x.sql", &format!("--edge-cases={bad}")])
            .failure(2);
        assert!(out.stderr.contains("--edge-cases"), "{}", out.stderr);
        assert!(!p.exists("x.sql"));
    }
}
