//! Rules declared in the project file (`when`, `from`, `after`), loaded into
//! PostgreSQL and checked with SQL; and children of one parent in time order.

use crate::support::{require_pg, TestProject};

#[test]
fn declared_rules_hold_in_the_loaded_data() {
    let pg = require_pg!();
    let p = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 21, "tables": {
          "customers": {"rows": 400, "primary_key": ["id"], "columns": {"id": "bigserial", "joined": "timestamptz",
             "is_vip": "boolean", "vip_since": {"type": "date", "when": {"is_vip": true}},
             "tier": {"type": "smallint", "check": "tier BETWEEN 1 AND 3"},
             "perk": {"type": "text", "when": {"tier": [2, 3]}}}},
          "products": {"rows": 60, "primary_key": ["id"], "columns": {"id": "bigserial", "list_amount": {"type": "numeric(10,2)", "nullable": false}}},
          "orders": {"rows": {"per": "customers", "min": 0, "max": 8}, "primary_key": ["id"], "columns": {
             "id": "bigserial", "customer_id": {"type": "bigint", "references": "customers"},
             "state": {"type": "text", "check": "state IN ('new', 'packed', 'sent', 'void')"},
             "placed": {"type": "timestamptz", "nullable": false, "generator": {"kind": "uniform", "min": "2015-01-01", "max": "2016-01-01"},
                        "after": "customer_id.joined"},
             "confirmed": {"type": "timestamptz", "after": {"column": "placed", "within_days": 2}},
             "dispatched_on": {"type": "date", "when": {"state": ["sent"]}}}},
          "order_lines": {"rows": {"per": "orders", "min": 1, "max": 3}, "primary_key": ["order_id", "n"], "columns": {
             "order_id": {"type": "bigint", "references": "orders"}, "n": "integer",
             "product_id": {"type": "bigint", "references": "products"},
             "charged": {"type": "numeric(10,2)", "from": "product_id.list_amount"}}}
        }}"#,
    );
    let explain = p.run_with(["explain", "-t", "orders"]).success().stdout;
    assert!(
        explain.contains("declared: after its `customers` row's `joined`"),
        "{explain}"
    );
    assert!(
        explain.contains("declared: NULL unless `state` is `sent`"),
        "{explain}"
    );
    p.run_with(["generate", "-f", "out.sql", "-j", "2"])
        .success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql")).expect("loads");
    let zero = |what: &str, sql: &str| assert_eq!(db.query(sql), "0", "{what}: {sql}");
    zero(
        "a date only for VIPs",
        "SELECT count(*) FROM customers WHERE (vip_since IS NOT NULL) <> is_vip",
    );
    zero(
        "a perk only for tiers 2 and 3",
        "SELECT count(*) FROM customers WHERE (perk IS NOT NULL) <> (tier IN (2, 3))",
    );
    zero(
        "the declared rule wins over the explicit generator's range: every order after its customer joined",
        "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.placed <= c.joined",
    );
    zero("confirmed within two days of placing", "SELECT count(*) FROM orders WHERE confirmed <= placed OR confirmed > placed + interval '2 days'");
    zero(
        "dispatched only when sent",
        "SELECT count(*) FROM orders WHERE (dispatched_on IS NOT NULL) <> (state = 'sent')",
    );
    zero("lines charge their product's amount", "SELECT count(*) FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.charged <> p.list_amount");
    zero(
        "a customer's orders come in time order",
        "SELECT count(*) FROM orders a JOIN orders b ON a.customer_id = b.customer_id AND a.id < b.id WHERE a.placed > b.placed",
    );
    assert_eq!(db.query("SELECT count(DISTINCT state) FROM orders"), "4");
    assert_eq!(
        db.query("SELECT bool_or(is_vip) AND NOT bool_and(is_vip) FROM customers"),
        "t"
    );
}
