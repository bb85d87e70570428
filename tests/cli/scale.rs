//! Issue 11: memory bounded by construction and validation linear in the
//! size of the project. Timings live in `scripts/bench.sh`; these tests
//! check the behaviour that makes them possible, without timing anything.

use crate::support::TestProject;

/// A project of `tables` tables of `columns` columns: a chain of foreign
/// keys, every third table counted per parent, and columns whose names share
/// prefixes (`ship_city`, `ship_street`) the way identity inference groups them.
fn many_tables(tables: usize, columns: usize) -> String {
    let mut out = String::from(r#"{"tables": {"#);
    for t in 0..tables {
        if t > 0 {
            out.push(',');
        }
        let rows = if t > 0 && t % 3 == 0 {
            format!(r#"{{"per": "t{}", "min": 0, "max": 2}}"#, t - 1)
        } else {
            "3".to_owned()
        };
        out.push_str(&format!(r#""t{t}": {{"rows": {rows}, "columns": {{"id": {{"type": "bigint", "primary_key": true}}"#));
        if t > 0 {
            out.push_str(&format!(
                r#", "parent_id": {{"type": "bigint", "references": "t{}"}}"#,
                t - 1
            ));
        }
        for c in 0..columns {
            let name = ["city", "street", "email", "amount", "created_at", "note"][c % 6];
            out.push_str(&format!(r#", "p{}_{name}": "text""#, c / 6));
        }
        out.push_str("}}");
    }
    out.push_str("}}");
    out
}

#[test]
fn issue_11_validating_thousands_of_tables_finishes() {
    // Quadratic checks (per-column scans of the table's columns, passes over
    // every table per per-parent level) made this take minutes.
    let project = TestProject::new().file("pgmock.json", many_tables(1000, 30));
    let out = project.run_with(["validate", "pgmock.json"]).success();
    assert!(out.stdout.contains("1000 tables"), "{}", out.stdout);
}

#[test]
fn issue_11_a_table_of_thousands_of_columns_validates() {
    let project = TestProject::new().file("pgmock.json", many_tables(1, 3000));
    project.run_with(["validate", "pgmock.json"]).success();
}

#[test]
fn issue_11_huge_values_give_the_same_bytes_for_any_jobs() {
    // Rows of 3 MB are cut into pieces by their bytes; the cuts, and so the
    // compressed archive, must not depend on the number of threads.
    let value = "y".repeat(3 << 20);
    let json = format!(
        r#"{{"tables": {{"blobs": {{"rows": 7, "columns": {{"id": {{"type": "bigint", "primary_key": true}},
            "body": {{"type": "text", "generator": {{"kind": "constant", "value": "{value}"}}}}}}}}}}}}"#
    );
    let project = TestProject::new().file("pgmock.json", json);
    for (format, z, file) in [("p", "0", "out.sql"), ("c", "gzip:1", "out.dump")] {
        let mut outputs = Vec::new();
        for jobs in ["1", "2", "3"] {
            let name = format!("{jobs}-{file}");
            project
                .run_with([
                    "generate",
                    "pgmock.json",
                    "-F",
                    format,
                    "-Z",
                    z,
                    "-j",
                    jobs,
                    "-f",
                    &name,
                ])
                .success();
            outputs.push(std::fs::read(project.path(&name)).unwrap());
        }
        assert!(outputs.windows(2).all(|w| w[0] == w[1]), "-F {format}");
    }
    let sql = project.read("1-out.sql");
    assert_eq!(sql.matches(&value).count(), 7);
}

#[test]
fn issue_11_billions_of_parents_are_counted_without_walking_them() {
    // Children of 4·10^9 customers: their total used to take one step per
    // customer (about 24 s); block totals make it a step per 4,000.
    for rows in [
        r#"{"per": "customers", "min": 0, "max": 4}"#,
        r#"{"per": "customers", "distribution": "poisson", "mean": 2}"#,
    ] {
        let json = format!(
            r#"{{"tables": {{
                "customers": {{"rows": 4000000000, "columns": {{"id": {{"type": "bigint", "primary_key": true}}}}}},
                "orders": {{"rows": {rows}, "columns": {{"id": {{"type": "bigint", "primary_key": true}},
                    "customer_id": {{"type": "bigint", "references": "customers"}}}}}}}}}}"#
        );
        let project = TestProject::new().file("pgmock.json", json);
        let out = project.run_with(["validate", "pgmock.json"]).success();
        // About 4·10^9 customers and 8·10^9 orders.
        let total: u64 = out
            .stdout
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .find(|&n| n > 1_000_000_000)
            .unwrap_or_else(|| panic!("no row total in {}", out.stdout));
        assert!(
            total.abs_diff(12_000_000_000) < 10_000_000,
            "{}",
            out.stdout
        );
    }
}
