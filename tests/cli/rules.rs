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

/// Issue 12: the rules business data needs, checked in PostgreSQL: a child's
/// status translated from its parent's (`from` with `map`), amounts that vary
/// by row (`random` in `derive`), and orders that keep their time series'
/// seasons while following the customer's sign-up (`after` over `timeseries`).
#[test]
fn translated_statuses_random_shares_and_seasonal_orders_after_sign_up() {
    let pg = require_pg!();
    let p = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 5, "tables": {
          "customers": {"rows": 1500, "columns": {"id": {"type": "bigint", "primary_key": true},
             "created_at": {"type": "timestamptz", "nullable": false,
                            "generator": {"kind": "uniform", "min": "2022-01-01", "max": "2023-01-01"}}}},
          "orders": {"rows": {"per": "customers", "min": 1, "max": 5}, "columns": {
             "id": {"type": "bigint", "primary_key": true},
             "customer_id": {"type": "bigint", "nullable": false, "references": "customers"},
             "status": {"type": "text", "nullable": false, "check": "status IN ('pending', 'paid', 'cancelled')",
                        "generator": {"kind": "weighted", "values": ["pending", "paid", "cancelled"], "weights": [1, 8, 1]}},
             "subtotal": {"type": "numeric(10,2)", "nullable": false, "generator": {"kind": "uniform", "min": 10, "max": 500}},
             "discount": {"type": "numeric(10,2)", "nullable": false, "derive": "round(subtotal * (0.05 + 0.1 * random) * 100) / 100"},
             "placed_at": {"type": "timestamptz", "nullable": false, "after": "customer_id.created_at",
                           "generator": {"kind": "timeseries", "start": "2023-01-01", "end": "2024-12-31",
                                         "weekdays": [1, 1, 1, 1, 1, 4, 4], "months": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]}}}},
          "payments": {"rows": {"per": "orders", "min": 1, "max": 1}, "columns": {
             "id": {"type": "bigint", "primary_key": true},
             "order_id": {"type": "bigint", "nullable": false, "references": "orders"},
             "status": {"type": "text", "nullable": false, "check": "status IN ('open', 'captured', 'voided')",
                        "from": {"column": "order_id.status", "map": {"pending": "open", "paid": "captured", "cancelled": "voided"}}}}}
        }}"#,
    );
    let explain = p
        .run_with(["explain", "-t", "payments", "-t", "orders"])
        .success()
        .stdout;
    assert!(
        explain.contains("its `orders` row's `status`, translated (`from`)"),
        "{explain}"
    );
    assert!(
        explain.contains("its time series, after its `customers` row's `created_at`"),
        "{explain}"
    );
    p.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql")).expect("loads");
    let q = |sql: &str| db.query(sql);
    assert_eq!(
        q("SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id
           WHERE (o.status, p.status) NOT IN (('pending', 'open'), ('paid', 'captured'), ('cancelled', 'voided'))"),
        "0"
    );
    // Every share between 5 % and 15 %, and not one share for all rows.
    assert_eq!(q("SELECT count(*) FROM orders WHERE discount < round(subtotal * 0.05, 2) - 0.01 OR discount > round(subtotal * 0.15, 2) + 0.01"), "0");
    let distinct: u32 = q("SELECT count(DISTINCT round(discount / subtotal, 2)) FROM orders")
        .parse()
        .unwrap();
    assert!(distinct >= 10, "{distinct} distinct shares");
    assert_eq!(q("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.placed_at <= c.created_at"), "0");
    // The series' shape survives: weekends weigh 4 times a weekday, December 3 times a month.
    let weekend: f64 = q("SELECT avg((extract(isodow FROM placed_at) >= 6)::int) FROM orders")
        .parse()
        .unwrap();
    assert!((0.55..0.75).contains(&weekend), "weekend share {weekend}");
    let december: f64 = q("SELECT avg((extract(month FROM placed_at) = 12)::int) FROM orders")
        .parse()
        .unwrap();
    assert!((0.15..0.3).contains(&december), "December share {december}");
    // The same seed gives the same bytes.
    p.run_with(["generate", "-f", "again.sql"]).success();
    assert!(p.read("out.sql") == p.read("again.sql"));
}

/// Issue 12: `derive` computes dates and timestamps (days and seconds since
/// 1970), so schedules follow from their start (a loan's due dates and its
/// annuity), and a time series can weigh paydays and month ends.
#[test]
fn derived_schedules_and_month_end_peaks() {
    let pg = require_pg!();
    let p = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 3, "tables": {
          "loans": {"rows": 300, "columns": {"id": {"type": "bigint", "primary_key": true},
             "principal": {"type": "numeric(12,2)", "nullable": false, "generator": {"kind": "uniform", "min": 1000, "max": 50000}},
             "annual_rate": {"type": "numeric(5,4)", "nullable": false, "generator": {"kind": "uniform", "min": 0.03, "max": 0.12}},
             "start_on": {"type": "date", "nullable": false, "generator": {"kind": "uniform", "min": "2023-01-01", "max": "2023-12-31"}},
             "monthly_payment": {"type": "numeric(12,2)", "nullable": false,
                                 "derive": "round(principal * (annual_rate / 12) / (1 - (1 + annual_rate / 12) ^ (-12)) * 100) / 100"},
             "two_months_interest": {"type": "numeric(12,2)", "derive": "round(principal * (annual_rate / 12) * 2)"}}},
          "installments": {"rows": {"per": "loans", "min": 12, "max": 12}, "primary_key": ["loan_id", "n"], "columns": {
             "loan_id": {"type": "bigint", "references": "loans"}, "n": "integer",
             "loan_start": {"type": "date", "nullable": false, "from": "loan_id.start_on"},
             "due_on": {"type": "date", "nullable": false, "derive": "loan_start + 7 * n"},
             "paid_at": {"type": "timestamptz", "nullable": false, "derive": "round((due_on + 0.5) * 86400 + 86400 * 20 * random ^ 8)"}}},
          "card_transactions": {"rows": 20000, "columns": {"id": {"type": "bigint", "primary_key": true},
             "posted_at": {"type": "timestamptz", "nullable": false,
                           "generator": {"kind": "timeseries", "start": "2024-01-01", "end": "2024-12-31", "month_end": 4,
                                         "days_of_month": [3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}}}}
        }}"#,
    );
    p.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql")).expect("loads");
    let q = |sql: &str| db.query(sql);
    assert_eq!(q("SELECT count(*) FROM installments i JOIN loans l ON l.id = i.loan_id WHERE i.due_on <> l.start_on + 7 * i.n"), "0");
    assert_eq!(q("SELECT count(*) FROM installments WHERE paid_at < due_on + time '12:00' OR paid_at > due_on + interval '20 days 12 hours'"), "0");
    // exmex's flat form once applied `round` to `(annual_rate / 12)` alone, giving 0.
    assert_eq!(q("SELECT count(*) FROM loans WHERE two_months_interest <> round(principal * (annual_rate / 12) * 2)"), "0");
    // A 12-month annuity repays the principal with interest: 12 payments a little above principal / 12.
    assert_eq!(q("SELECT count(*) FROM loans WHERE monthly_payment * 12 < principal OR monthly_payment * 12 > principal * 1.07"), "0");
    // Month ends weigh 4 days' worth, the 1st and the 15th 3: together about 10 days of 30.
    let peaks: f64 = q("SELECT avg((posted_at::date = (date_trunc('month', posted_at) + interval '1 month - 1 day')::date OR extract(day FROM posted_at) IN (1, 15))::int) FROM card_transactions").parse().unwrap();
    assert!(
        (0.25..0.4).contains(&peaks),
        "share on paydays and month ends: {peaks}"
    );
}

/// Issue 12: amounts with a round-number bias (`round_to`, `round_share`)
/// keep a log-normal's first digits close to Benford's law.
#[test]
fn round_number_bias_keeps_first_digits_near_benford() {
    let pg = require_pg!();
    let p = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 4, "tables": {"card_transactions": {"rows": 20000, "columns": {"id": {"type": "bigint", "primary_key": true},
          "amount": {"type": "numeric(12,2)", "nullable": false, "generator": {"kind": "lognormal", "mu": 3.2, "sigma": 1.3,
                     "min": 0.5, "max": 20000, "round_to": [1, 5, 10, 20, 50], "round_share": 0.25}}}}}}"#,
    );
    p.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql")).expect("loads");
    let whole: f64 = db
        .query("SELECT avg((amount = round(amount))::int) FROM card_transactions")
        .parse()
        .unwrap();
    assert!(
        (0.23..0.29).contains(&whole),
        "share of whole amounts {whole}"
    );
    let deviation: f64 = db
        .query(
            "WITH d AS (SELECT left(replace(amount::text, '.', ''), 1)::int AS f FROM card_transactions WHERE amount >= 1)
             SELECT avg(abs(share - log(1 + 1.0 / f))) FROM (SELECT f, count(*)::numeric / (SELECT count(*) FROM d) AS share FROM d GROUP BY f) s",
        )
        .parse()
        .unwrap();
    assert!(
        deviation < 0.02,
        "mean absolute deviation from Benford {deviation}"
    );
    assert_eq!(
        db.query("SELECT count(*) FROM card_transactions WHERE amount < 0.5 OR amount > 20000"),
        "0"
    );
}

/// Issue 12: `before` keeps a date or time before a bound of its row or its
/// parent's (no usage after a subscription was cancelled, no visit after a
/// patient died), inside the column's own `after`, and only where the bound
/// is set.
#[test]
fn before_keeps_values_before_a_parents_end() {
    let pg = require_pg!();
    let p = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 2, "tables": {
          "subscriptions": {"rows": 300, "columns": {"id": {"type": "bigint", "primary_key": true},
            "started_at": {"type": "timestamptz", "nullable": false, "generator": {"kind": "uniform", "min": "2023-01-01", "max": "2023-12-31"}},
            "status": {"type": "text", "nullable": false, "check": "status IN ('active', 'canceled')", "generator": {"kind": "weighted", "values": ["active", "canceled"], "weights": [7, 3]}},
            "canceled_at": {"type": "timestamptz", "when": {"status": ["canceled"]}, "after": {"column": "started_at", "within_days": 200}}}},
          "usage_events": {"rows": {"per": "subscriptions", "min": 5, "max": 30}, "columns": {"id": {"type": "bigint", "primary_key": true},
            "subscription_id": {"type": "bigint", "nullable": false, "references": "subscriptions"},
            "occurred_at": {"type": "timestamptz", "nullable": false, "after": "subscription_id.started_at", "before": "subscription_id.canceled_at",
              "generator": {"kind": "timeseries", "start": "2023-01-01", "end": "2024-12-31", "business_hours": true}}}},
          "patients": {"rows": 200, "columns": {"id": {"type": "bigint", "primary_key": true},
            "born_on": {"type": "date", "nullable": false, "generator": {"kind": "uniform", "min": "1930-01-01", "max": "2020-12-31"}},
            "died_on": {"type": "date", "null_ratio": 0.8, "after": {"column": "born_on", "within_days": 36500}}}},
          "visits": {"rows": {"per": "patients", "min": 1, "max": 8}, "columns": {"id": {"type": "bigint", "primary_key": true},
            "patient_id": {"type": "bigint", "nullable": false, "references": "patients"},
            "visited_on": {"type": "date", "nullable": false, "before": "patient_id.died_on",
                           "generator": {"kind": "uniform", "min": "2015-01-01", "max": "2024-12-31"}}}}
        }}"#,
    );
    let explain = p
        .run_with(["explain", "-t", "usage_events"])
        .success()
        .stdout;
    assert!(
        explain.contains("before `subscription_id.canceled_at` (`before`)"),
        "{explain}"
    );
    p.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql")).expect("loads");
    let q = |sql: &str| db.query(sql);
    assert_eq!(q("SELECT count(*) FROM usage_events u JOIN subscriptions s ON s.id = u.subscription_id WHERE u.occurred_at >= s.canceled_at OR u.occurred_at <= s.started_at"), "0");
    assert_eq!(q("SELECT count(*) FROM visits v JOIN patients p ON p.id = v.patient_id WHERE v.visited_on >= p.died_on"), "0");
    // Rows without a bound keep their generator's values: living patients' visits stay in 2015-2024.
    assert_eq!(q("SELECT count(*) FROM visits v JOIN patients p ON p.id = v.patient_id WHERE p.died_on IS NULL AND v.visited_on < '2015-01-01'"), "0");
    // Active subscriptions keep the series' office hours.
    let weekdays: f64 = q("SELECT avg((extract(isodow FROM occurred_at) < 6)::int) FROM usage_events u JOIN subscriptions s ON s.id = u.subscription_id WHERE s.status = 'active'").parse().unwrap();
    assert!(weekdays > 0.9, "{weekdays}");

    let bad = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"rows": 3, "columns": {"id": {"type": "bigint", "primary_key": true},
            "ends": "date", "label": {"type": "text", "before": "ends"}, "starts": {"type": "date", "before": "end"}}}}}"#,
    );
    let err = bad.run_with(["validate"]).failure(2).stderr;
    assert!(
        err.contains("`before` orders dates and timestamps, and `label` is a `text`"),
        "{err}"
    );
    assert!(
        err.contains("`end` is not a column of `t`; did you mean `ends`?"),
        "{err}"
    );
}
