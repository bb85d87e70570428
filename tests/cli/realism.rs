//! Data that looks real: coherent people, places and companies in several
//! locales, checked by SQL against the shipped reference lists.

use crate::support::{require_pg, Database, TestProject};

const LOCALES: &[&str] = &[
    "en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "it_IT", "pt_BR", "ja_JP", "zh_CN",
];

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Loads the shipped places and names into `ref_places` and `ref_names`.
fn load_reference(db: &Database<'_>) {
    let mut places = Vec::new();
    let mut names = Vec::new();
    for locale in LOCALES {
        let path = format!(
            "{}/src/generate/kinds/data/locales/{locale}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let doc: serde_json::Value =
            serde_json::from_str(&fs_err::read_to_string(path).unwrap()).unwrap();
        let cc = doc["country_code"].as_str().unwrap();
        let dial = doc["phone_country_code"].as_str().unwrap();
        for p in doc["places"].as_array().unwrap() {
            places.push(format!(
                "({}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                sql_text(cc),
                sql_text(dial),
                sql_text(p["city"].as_str().unwrap()),
                sql_text(p["region"].as_str().unwrap()),
                sql_text(p["region_code"].as_str().unwrap()),
                sql_text(p["postal_prefix"].as_str().unwrap()),
                sql_text(p["area_code"].as_str().unwrap()),
                sql_text(p["timezone"].as_str().unwrap()),
                p["lat"],
                p["lon"]
            ));
        }
        for (gender, list) in doc["first_names"].as_object().unwrap() {
            for n in list.as_array().unwrap() {
                names.push(format!(
                    "({}, {}, {})",
                    sql_text(cc),
                    sql_text(gender),
                    sql_text(n.as_str().unwrap())
                ));
            }
        }
    }
    db.query(&format!(
        "CREATE TABLE ref_places (cc text, dial text, city text, region text, region_code text, postal_prefix text, area_code text, tz text, lat float8, lon float8); INSERT INTO ref_places VALUES {}",
        places.join(",")
    ));
    db.query(&format!(
        "CREATE TABLE ref_names (cc text, gender text, name text); INSERT INTO ref_names VALUES {}",
        names.join(",")
    ));
}

/// Every person column of a row is one person, every place column one place of one country.
#[test]
fn people_and_places_are_coherent_in_every_locale() {
    let pg = require_pg!();
    let mix: Vec<String> = LOCALES.iter().map(|l| format!("\"{l}\": 10")).collect();
    let project = TestProject::new().file(
        "pgmock.json",
        format!(
            r#"{{"seed": 11, "locale": {{ {} }}, "tables": {{"people": {{"rows": 3000, "columns": {{
                "id": {{"type": "bigint", "primary_key": true}},
                "first_name": "text", "last_name": "text", "gender": "text", "email": {{"type": "text", "unique": true}},
                "street": "text", "city": "text", "state": "text", "state_code": "text", "postal_code": "text",
                "country": "text", "country_code": "char(2)", "phone": "text", "timezone": "text",
                "latitude": "double precision", "longitude": "numeric(9,6)"}}}},
              "companies": {{"rows": 300, "columns": {{"id": "serial", "name": "text", "domain": "text", "website": "text", "contact_email": "text"}}}}}}}}"#,
            mix.join(", ")
        ),
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    load_reference(&db);
    let zero = |what: &str, sql: &str| assert_eq!(db.query(sql), "0", "{what}: {sql}");
    // Every country shows up.
    assert_eq!(
        db.query("SELECT count(DISTINCT country_code) FROM people"),
        "9"
    );
    zero(
        "city, region, code, time zone and postal code are one real place of the row's country",
        "SELECT count(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM ref_places r WHERE r.cc = p.country_code AND r.city = p.city AND r.region = p.state AND r.region_code = p.state_code AND r.tz = p.timezone AND p.postal_code LIKE r.postal_prefix || '%')",
    );
    zero(
        "the phone has the country's code and the city's area code",
        "SELECT count(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM ref_places r WHERE r.cc = p.country_code AND r.city = p.city AND p.phone LIKE '+' || r.dial || ' ' || r.area_code || ' %')",
    );
    zero(
        "landlines have their country's national length (GB 10 digits after +44, whatever the area code's length)",
        "SELECT count(*) FROM people p JOIN ref_places r ON r.cc = p.country_code AND r.city = p.city WHERE length(regexp_replace(p.phone, '[^0-9]', '', 'g')) - length(r.dial) <> CASE p.country_code WHEN 'US' THEN 10 WHEN 'GB' THEN 10 WHEN 'FR' THEN 9 WHEN 'ES' THEN 9 WHEN 'JP' THEN 9 WHEN 'IT' THEN 10 WHEN 'DE' THEN 10 ELSE length(regexp_replace(p.phone, '[^0-9]', '', 'g')) - length(r.dial) END",
    );
    zero(
        "coordinates lie near the city",
        "SELECT count(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM ref_places r WHERE r.cc = p.country_code AND r.city = p.city AND abs(r.lat - p.latitude) < 0.1 AND abs(r.lon - p.longitude::float8) < 0.1)",
    );
    zero(
        "the first name is one of the country's names for the row's gender",
        "SELECT count(*) FROM people p WHERE p.gender IN ('female', 'male') AND NOT EXISTS (SELECT 1 FROM ref_names n WHERE n.cc = p.country_code AND n.gender = p.gender AND n.name = p.first_name)",
    );
    zero(
        "the e-mail is built from the row's name and id (Latin-script countries)",
        "SELECT count(*) FROM people WHERE country_code IN ('US', 'GB') AND split_part(email, '@', 1) <> lower(regexp_replace(first_name, '[^A-Za-z0-9]', '', 'g')) || '.' || lower(regexp_replace(last_name, '[^A-Za-z0-9]', '', 'g')) || '.' || id",
    );
    zero(
        "e-mail addresses are ASCII",
        "SELECT count(*) FROM people WHERE email !~ '^[a-z0-9.]+@[a-z0-9.-]+$'",
    );
    zero(
        "a company's website and contact e-mail are at its domain",
        "SELECT count(*) FROM companies WHERE website <> 'https://www.' || domain OR split_part(contact_email, '@', 2) <> domain",
    );
}

/// A second identity where the names say so: shipping and billing addresses are two places.
#[test]
fn prefixed_columns_describe_a_second_place() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 2, "tables": {"orders": {"rows": 400, "columns": {"id": "serial",
            "billing_city": "text", "billing_postal_code": "text", "shipping_city": "text", "shipping_postal_code": "text"}}}}"#,
    );
    let out = project.run_with(["generate", "-a", "--inserts"]).success();
    let rows: Vec<Vec<String>> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("INSERT"))
        .map(|l| l.split("', '").map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 400);
    // `INSERT ... VALUES (1, 'Chicago` / `606..` / `Houston` / `770..');`
    let same = rows
        .iter()
        .filter(|r| r[0].ends_with(&format!("'{}", r[2])))
        .count();
    assert!(
        same < 100,
        "billing and shipping are two places ({same} of 400 rows share the city)"
    );
}

/// Rules the names make obvious: lifecycle timestamps follow the status and
/// each other, and a child's creation time follows its parent's.
#[test]
fn lifecycle_timestamps_follow_status_and_parents() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 4, "types": {"order_status": {"enum": ["pending", "paid", "shipped", "delivered", "cancelled"]}},
          "tables": {
            "customers": {"rows": 300, "columns": {"id": "bigserial", "email": "text", "created_at": "timestamptz"}, "primary_key": ["id"]},
            "orders": {"rows": {"per": "customers", "min": 0, "max": 6}, "primary_key": ["id"], "columns": {
               "id": "bigserial", "customer_id": {"type": "bigint", "references": "customers"},
               "status": "order_status", "ordered_at": "timestamptz", "paid_at": "timestamptz", "shipped_at": "timestamptz",
               "delivered_at": "timestamptz", "cancelled_at": "timestamptz"}},
            "tickets": {"rows": 500, "columns": {"id": "serial", "customer_id": {"type": "bigint", "references": "customers"},
               "status": {"type": "text", "check": "status IN ('open', 'resolved', 'closed')"},
               "created_at": "date", "resolved_at": "date", "closed_at": "date"}},
            "shipments": {"rows": 400, "columns": {"id": "serial",
               "status": {"type": "text", "check": "status IN ('pending', 'shipped', 'delivered', 'returned')"},
               "created_at": "timestamptz", "shipped_at": "timestamptz", "delivered_at": "timestamptz", "returned_at": "timestamptz"}}
          }}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    let zero = |what: &str, sql: &str| assert_eq!(db.query(sql), "0", "{what}: {sql}");
    zero("no cancelled or unpaid order was shipped", "SELECT count(*) FROM orders WHERE shipped_at IS NOT NULL AND status NOT IN ('shipped', 'delivered')");
    zero("every shipped order has its times", "SELECT count(*) FROM orders WHERE status IN ('shipped', 'delivered') AND (shipped_at IS NULL OR paid_at IS NULL)");
    zero(
        "only cancelled orders are cancelled",
        "SELECT count(*) FROM orders WHERE (cancelled_at IS NOT NULL) <> (status = 'cancelled')",
    );
    zero("steps come in order", "SELECT count(*) FROM orders WHERE paid_at < ordered_at OR shipped_at < paid_at OR delivered_at < shipped_at");
    zero(
        "every order comes after its customer signed up",
        "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.ordered_at <= c.created_at",
    );
    zero(
        "a date column follows a timestamp parent only when types match; tickets follow customers by date",
        "SELECT count(*) FROM tickets WHERE (resolved_at IS NOT NULL) <> (status IN ('resolved', 'closed')) OR (closed_at IS NOT NULL) <> (status = 'closed')",
    );
    zero(
        "a returned parcel was delivered first",
        "SELECT count(*) FROM shipments WHERE status = 'returned' AND (delivered_at IS NULL OR returned_at IS NULL OR shipped_at IS NULL)",
    );
    // Statuses are all used.
    assert_eq!(db.query("SELECT count(DISTINCT status) FROM orders"), "5");
}

/// Each distribution's mean and spread, and the Zipf skew of parent picks, within stated tolerances.
#[test]
fn distributions_have_their_stated_shape() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 9, "tables": {
            "customers": {"rows": 1000, "columns": {"id": "bigserial"}, "primary_key": ["id"]},
            "visits": {"rows": {"per": "customers", "distribution": "poisson", "mean": 3}, "columns": {"customer_id": {"type": "bigint", "references": "customers"}}},
            "events": {"rows": 20000, "columns": {
                "id": "bigserial",
                "customer_id": {"type": "bigint", "references": "customers", "distribution": {"kind": "zipf", "exponent": 1.0}},
                "wait": {"type": "double precision", "generator": {"kind": "exponential", "mean": 30, "min": 0}},
                "hits": {"type": "integer", "generator": {"kind": "poisson", "mean": 4}},
                "rank": {"type": "integer", "generator": {"kind": "zipf", "n": 100, "exponent": 1.2}},
                "income": {"type": "double precision", "generator": {"kind": "pareto", "scale": 20000, "shape": 3}},
                "tries": {"type": "integer", "generator": {"kind": "geometric", "p": 0.25}}
            }}}}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    let within = |sql: &str, lo: f64, hi: f64| {
        let v: f64 = db.query(sql).parse().unwrap();
        assert!((lo..=hi).contains(&v), "{sql} = {v}, expected {lo}..{hi}");
    };
    // Poisson(3) visits per customer, counting the customers with none.
    within("SELECT count(*)::float8 / 1000 FROM visits", 2.85, 3.15);
    within(
        "SELECT variance(coalesce(n, 0)) FROM customers c LEFT JOIN (SELECT customer_id, count(*) n FROM visits GROUP BY 1) v ON v.customer_id = c.id",
        2.6,
        3.4,
    );
    // Exponential(mean 30): mean 30, standard deviation 30.
    within("SELECT avg(wait) FROM events", 28.5, 31.5);
    within("SELECT stddev(wait) FROM events", 27.0, 33.0);
    // Poisson(4): mean and variance 4.
    within("SELECT avg(hits) FROM events", 3.9, 4.1);
    within("SELECT variance(hits) FROM events", 3.7, 4.3);
    // Zipf(100, 1.2): rank 1 takes 1/H(100,1.2) ≈ 26 % of rows.
    within("SELECT avg((rank = 1)::int) FROM events", 0.23, 0.29);
    // Pareto(20000, 3): median 20000·2^(1/3) ≈ 25198.
    within(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY income) FROM events",
        24300.0,
        26100.0,
    );
    // Geometric(0.25), failures before the first success: mean (1-p)/p = 3.
    within("SELECT avg(tries) FROM events", 2.85, 3.15);
    // Zipf parents: the top 1 % of customers (10) place about H(10)/H(1000) ≈ 39 % of events.
    within(
        "SELECT sum(n)::float8 / 20000 FROM (SELECT count(*) n FROM events GROUP BY customer_id ORDER BY n DESC LIMIT 10) s",
        0.33,
        0.45,
    );
}

/// A child's price and currency are its parent row's.
#[test]
fn children_read_prices_and_currencies_from_their_parents() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 6, "locale": {"en_US": 50, "de_DE": 50}, "tables": {
            "customers": {"rows": 200, "columns": {"id": "bigserial", "currency": {"type": "char(3)", "nullable": false}}, "primary_key": ["id"]},
            "products": {"rows": 100, "columns": {"id": "bigserial", "name": "text", "price": {"type": "numeric(10,2)", "nullable": false}}, "primary_key": ["id"]},
            "orders": {"rows": 500, "columns": {"id": "bigserial", "customer_id": {"type": "bigint", "references": "customers"}, "currency": "char(3)"}, "primary_key": ["id"]},
            "order_items": {"rows": {"per": "orders", "min": 1, "max": 4}, "columns": {
                "order_id": {"type": "bigint", "references": "orders"}, "line_no": "integer",
                "product_id": {"type": "bigint", "references": "products", "distribution": {"kind": "zipf"}},
                "quantity": "integer", "unit_price": "numeric(10,2)"}, "primary_key": ["order_id", "line_no"]}
        }}"#,
    );
    let explain = project.run_with(["explain", "-t", "order_items"]).success();
    assert!(
        explain.stdout.contains("its `products` row's `price`"),
        "{}",
        explain.stdout
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    assert_eq!(db.query("SELECT count(*) FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.unit_price <> p.price"), "0");
    assert_eq!(db.query("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.currency IS DISTINCT FROM c.currency"), "0");
    assert_eq!(
        db.query("SELECT count(DISTINCT currency) > 1 FROM customers"),
        "t"
    );
}

/// Declared rules over the row: arithmetic `derive` and Tera `template`.
#[test]
fn derived_and_templated_columns() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 8, "tables": {"order_items": {"rows": 300, "columns": {
            "id": "serial", "first_name": "text", "last_name": "text",
            "quantity": {"type": "integer", "check": "quantity BETWEEN 1 AND 9"},
            "unit_price": "numeric(10,2)",
            "line_total": {"type": "numeric(12,2)", "derive": "quantity * unit_price"},
            "with_tax": {"type": "numeric(12,2)", "derive": "round(line_total * 1.2 * 100) / 100"},
            "login": {"type": "text", "template": "{{ first_name | lower }}.{{ last_name | lower }}@example.com"}}}}}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    assert_eq!(
        db.query("SELECT count(*) FROM order_items WHERE line_total <> quantity * unit_price"),
        "0"
    );
    assert_eq!(
        db.query("SELECT count(*) FROM order_items WHERE abs(with_tax - line_total * 1.2) > 0.01"),
        "0"
    );
    assert_eq!(db.query("SELECT count(*) FROM order_items WHERE login <> lower(first_name) || '.' || lower(last_name) || '@example.com'"), "0");

    let bad = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"columns": {"a": {"type": "integer", "derive": "b + 1"}, "b": {"type": "integer", "derive": "a * 2"}, "c": {"type": "integer", "derive": "qty * 2"}, "d": {"type": "integer", "aggregate": "sum(t.a)"}}}}}"#,
    );
    let out = bad.run_with(["validate"]).failure(2);
    assert!(
        out.stderr.contains("`a` depends on itself"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`qty` is not a column of `t`"),
        "{}",
        out.stderr
    );
}

/// A parent's column computed over its children, recomputed rather than stored.
#[test]
fn order_totals_are_the_sum_of_their_lines() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 12, "tables": {
            "products": {"rows": 50, "columns": {"id": "bigserial", "price": {"type": "numeric(10,2)", "nullable": false}}, "primary_key": ["id"]},
            "orders": {"rows": 2000, "primary_key": ["id"], "columns": {"id": "bigserial",
                "total": {"type": "numeric(14,2)", "aggregate": "sum(order_items.line_total)"},
                "items": {"type": "integer", "aggregate": "count(order_items)"},
                "biggest_line": {"type": "numeric(12,2)", "aggregate": "max(order_items.line_total)"}}},
            "order_items": {"rows": {"per": "orders", "distribution": "poisson", "mean": 2.5, "min": 1}, "primary_key": ["order_id", "line_no"], "columns": {
                "order_id": {"type": "bigint", "references": "orders"}, "line_no": "integer",
                "product_id": {"type": "bigint", "references": "products"},
                "quantity": {"type": "integer", "check": "quantity BETWEEN 1 AND 5"}, "unit_price": "numeric(10,2)",
                "line_total": {"type": "numeric(12,2)", "derive": "quantity * unit_price"}}}
        }}"#,
    );
    project
        .run_with(["generate", "-f", "out.sql", "-j", "2"])
        .success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    let zero = |sql: &str| assert_eq!(db.query(sql), "0", "{sql}");
    zero("SELECT count(*) FROM orders o WHERE o.total <> (SELECT sum(line_total) FROM order_items i WHERE i.order_id = o.id)");
    zero("SELECT count(*) FROM orders o WHERE o.items <> (SELECT count(*) FROM order_items i WHERE i.order_id = o.id)");
    zero("SELECT count(*) FROM orders o WHERE o.biggest_line <> (SELECT max(line_total) FROM order_items i WHERE i.order_id = o.id)");
    zero("SELECT count(*) FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.unit_price <> p.price");
    // `-t orders` alone gives the same totals: children are recomputed, not remembered.
    let alone = project
        .run_with(["generate", "-t", "orders", "-a"])
        .success();
    let full = project.read("out.sql");
    let block = |sql: &str| crate::support::copy_block(sql, "public.orders");
    assert!(
        block(&alone.stdout) == block(&full),
        "-t orders gives the same rows"
    );
}

/// Time series: business hours, weekdays, a December peak, growth and a burst show in the histograms.
#[test]
fn time_series_shape_shows_in_histograms() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 13, "tables": {"events": {"rows": 30000, "columns": {
            "id": "bigserial",
            "at": {"type": "timestamptz", "generator": {"kind": "timeseries", "start": "2021-01-01", "end": "2024-12-31",
                   "business_hours": true, "trend": 1.0, "months": [1,1,1,1,1,1,1,1,1,1,1,3],
                   "bursts": [{"at": "2024-11-29", "days": 1, "factor": 40}]}},
            "created_at": "timestamp"}}}}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    let share = |cond: &str| -> f64 {
        db.query(&format!("SELECT avg(({cond})::int) FROM events"))
            .parse()
            .unwrap()
    };
    let hour = "extract(hour FROM at AT TIME ZONE 'UTC')";
    assert!(
        share(&format!("{hour} BETWEEN 8 AND 17")) > 0.85,
        "business hours"
    );
    assert!(
        share("extract(isodow FROM at AT TIME ZONE 'UTC') >= 6") < 0.05,
        "quiet weekends"
    );
    let dec = share("extract(month FROM at AT TIME ZONE 'UTC') = 12");
    assert!(
        (0.17..0.26).contains(&dec),
        "December three times as busy: {dec}"
    );
    let y = |year: i32| -> f64 {
        db.query(&format!(
            "SELECT count(*) FROM events WHERE extract(year FROM at AT TIME ZONE 'UTC') = {year}"
        ))
        .parse()
        .unwrap()
    };
    assert!(
        y(2024) / y(2021) > 5.0,
        "doubling every year: {} vs {}",
        y(2024),
        y(2021)
    );
    let burst: f64 = db
        .query("SELECT count(*) FROM events WHERE (at AT TIME ZONE 'UTC')::date = '2024-11-29'")
        .parse()
        .unwrap();
    let normal: f64 = db
        .query("SELECT count(*) FROM events WHERE (at AT TIME ZONE 'UTC')::date = '2024-11-28'")
        .parse()
        .unwrap();
    assert!(
        burst > 10.0 * normal.max(1.0),
        "Black Friday burst: {burst} vs {normal}"
    );
    // An inferred creation time is busier in the evening than at night.
    let evening = share("extract(hour FROM created_at) BETWEEN 18 AND 21");
    let night = share("extract(hour FROM created_at) BETWEEN 2 AND 5");
    assert!(
        evening > 4.0 * night,
        "diurnal rhythm: {evening} vs {night}"
    );
}

/// What `validate` accepts loads: derived, aggregated, templated and copied
/// values are kept within narrow column types, and NOT NULL holds.
#[test]
fn computed_columns_fit_narrow_types() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 5, "tables": {
            "products": {"rows": 50, "columns": {"id": "bigserial", "price": {"type": "numeric(10,2)", "nullable": false}}, "primary_key": ["id"]},
            "orders": {"rows": 100, "primary_key": ["id"], "columns": {"id": "bigserial", "total": {"type": "numeric(6,2)", "aggregate": "sum(items.line_total)"}}},
            "items": {"rows": {"per": "orders", "min": 1, "max": 5}, "primary_key": ["order_id", "n"], "columns": {
                "order_id": {"type": "bigint", "references": "orders"}, "n": "integer",
                "product_id": {"type": "bigint", "references": "products"}, "unit_price": "numeric(5,2)",
                "qty": {"type": "smallint", "check": "qty BETWEEN 0 AND 5"},
                "line_total": {"type": "numeric(5,2)", "derive": "qty * unit_price"},
                "per_unit": {"type": "numeric(8,2)", "nullable": false, "derive": "line_total / qty"},
                "label": {"type": "varchar(6)", "nullable": false, "template": "item {{ n }} of order {{ order_id }}"}}}
        }}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("what validate accepts loads");
    assert_eq!(
        db.query("SELECT max(length(label)) <= 6 AND bool_and(per_unit IS NOT NULL) FROM items"),
        "t"
    );
    assert_eq!(
        db.query("SELECT count(*) > 0 FROM items WHERE qty = 0 AND per_unit = 0"),
        "t",
        "division by zero gives 0 in a NOT NULL column"
    );
    assert_eq!(db.query("SELECT max(line_total) <= 999.99 AND (SELECT max(total) FROM orders) <= 9999.99 FROM items"), "t");
}

/// Sequential values with jitter stay in order around their step; a table's `null_ratio` applies to its nullable columns.
#[test]
fn sequences_with_jitter_and_table_null_ratios() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 3, "null_ratio": 0.0, "tables": {"readings": {"rows": 6000, "null_ratio": 0.25, "columns": {"id": "serial",
            "read_at": {"type": "timestamptz", "nullable": false, "unique": true, "generator": {"kind": "sequence", "start": "2024-03-01 00:00:00", "step": "5min", "jitter": "90s"}},
            "day": {"type": "date", "nullable": false, "generator": {"kind": "sequence", "start": "2024-01-01", "step": 1, "jitter": "2days"}},
            "invoice_no": {"type": "bigint", "nullable": false, "unique": true, "generator": {"kind": "sequence", "start": 10000, "step": 10, "jitter": 4}},
            "note": "text", "value": {"type": "numeric(8,2)", "null_ratio": 0}}}}}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    let row = db.query_rows(
        "SELECT min(g), max(g), avg(g) FROM (SELECT extract(epoch FROM lead(read_at) OVER (ORDER BY id) - read_at)::float8 AS g FROM readings) x",
    );
    let (min, max, mean): (f64, f64, f64) = (
        row[0][0].parse().unwrap(),
        row[0][1].parse().unwrap(),
        row[0][2].parse().unwrap(),
    );
    assert!(
        min >= 120.0 && max <= 480.0,
        "gaps of 5 min ± 2 × 90 s: {min}..{max}"
    );
    assert!((mean - 300.0).abs() < 1.0, "mean gap {mean}");
    assert!(max - min > 300.0, "jitter shows: {min}..{max}");
    assert_eq!(db.query("SELECT count(*) FROM readings WHERE extract(microseconds FROM read_at)::bigint % 1000000 <> 0"), "0", "whole seconds");
    assert_eq!(
        db.query("SELECT count(*) FROM readings WHERE abs(day - (date '2024-01-01' + (id - 1)::int)) > 2 OR abs(invoice_no - (10000 + 10 * (id - 1))) > 4"),
        "0"
    );
    let nulls: f64 = db
        .query("SELECT avg((note IS NULL)::int) FROM readings")
        .parse()
        .unwrap();
    assert!((nulls - 0.25).abs() < 0.03, "table null_ratio: {nulls}");
    assert_eq!(
        db.query("SELECT count(*) FROM readings WHERE value IS NULL"),
        "0",
        "a column's own null_ratio wins"
    );
}

/// A review reads as its row's rating: unhappy words only with low ratings, praise only with high ones.
#[test]
fn reviews_follow_their_rating() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 9, "tables": {"reviews": {"rows": 3000, "columns": {"id": "serial",
            "rating": {"type": "smallint", "check": "rating BETWEEN 1 AND 5"},
            "review_title": "varchar(60)", "review": "text"}}}}"#,
    );
    let explain = project.run_with(["explain"]).success().stdout;
    assert!(!explain.contains("lorem"), "{explain}");
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    let unhappy = "review ~ '^(Stopped working|Very disappointed|Not worth the money|Arrived with a|Smaller than it looks|Returned it|The .* is much worse|Would not recommend|Poor .* for the price|Do not buy)'";
    let happy = "review ~ '^(Really happy with|Exactly as described|Love it|Best .* I have owned|Five stars|Great .* and fast shipping)'";
    assert_eq!(
        db.query(&format!(
            "SELECT count(*) FROM reviews WHERE {unhappy} AND rating > 2"
        )),
        "0"
    );
    assert_eq!(
        db.query(&format!(
            "SELECT count(*) FROM reviews WHERE {happy} AND rating < 4"
        )),
        "0"
    );
    assert_eq!(db.query("SELECT count(*) FROM reviews WHERE review_title ~ '^(Terrible|Poor|Awful|Disappointing)' AND rating > 2"), "0");
    assert_eq!(db.query("SELECT count(*) FROM reviews WHERE review_title ~ '^(Excellent|Fantastic|Superb)' AND rating < 4"), "0");
    // Both kinds of review are there.
    assert_eq!(
        db.query(&format!(
            "SELECT count(*) > 100 FROM reviews WHERE {unhappy}"
        )),
        "t"
    );
    assert_eq!(
        db.query(&format!("SELECT count(*) > 100 FROM reviews WHERE {happy}")),
        "t"
    );
}
