//! `pgmock explain` and `pgmock kinds`: what each column gets and why.

use crate::support::TestProject;

/// README's kind table is the registry's, so the docs cannot drift from the code.
#[test]
fn readme_kind_table_matches_the_registry() {
    let out = TestProject::new()
        .args(["kinds", "--markdown"])
        .run()
        .success();
    let readme = fs_err::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- kinds:start -->\n").expect("start marker")
        + "<!-- kinds:start -->\n".len();
    let end = readme.find("<!-- kinds:end -->").expect("end marker");
    assert!(
        readme[start..end] == out.stdout,
        "README's kind table is out of date: replace it with `pgmock kinds --markdown`"
    );
    assert!(out.stdout.lines().count() >= 122, "at least 120 kinds");
}

/// Natural column names with no generator hints: the reviewed explanation of each.
#[test]
fn explain_shows_kind_reason_and_samples() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 3, "tables": {
            "customers": {"rows": 50, "columns": {
                "id": {"type": "bigint", "primary_key": true},
                "first_name": "text", "last_name": "text", "billing_email": "text",
                "customerPhoneNumber": "text", "shipping_city": "varchar(80)", "zip": "varchar(10)",
                "bank_statement": "text", "icd10_code": "varchar(7)", "page_views": "integer",
                "iban": "varchar(34)", "created_at": "timestamptz", "deleted_at": "timestamptz",
                "is_active": "boolean"}},
            "hotels": {"rows": 5, "columns": {"id": "serial", "hotel_name": "text", "owner_id": {"type": "bigint", "references": "customers"}}}
        }}"#,
    );
    let out = project.run_with(["explain"]).success();
    insta::assert_snapshot!(out.stdout);
    let one = project.run_with(["explain", "-t", "hotels"]).success();
    assert!(
        one.stdout.starts_with("public.hotels (5 rows)") && !one.stdout.contains("customers ("),
        "{}",
        one.stdout
    );
    let none = project.run_with(["explain", "-t", "nope"]).failure(2);
    assert!(
        none.stderr.contains("no matching tables"),
        "{}",
        none.stderr
    );
}
