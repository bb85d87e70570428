//! Named generators (`generators`): patterns, value lists and files,
//! compositions, used by name or by column name, from a project or a
//! template, loaded into PostgreSQL with constraints that check their shape.

use crate::support::{require_pg, TestProject};

const ICD10: &str = "code,title,frequency\n\
J45.909,\"Unspecified asthma, uncomplicated\",30\n\
E11.9,Type 2 diabetes mellitus without complications,50\n\
I10,Essential (primary) hypertension,80\n\
M54.5,Low back pain,40\n\
F41.1,Generalized anxiety disorder,0\n";

const PROJECT: &str = r#"{
  "seed": 7,
  "generators": {
    "policy_number": {"pattern": "POL-[A-Z]{3}-[0-9]{6}"},
    "icd10": {"values_file": "data/icd10.csv", "weight_column": "frequency"},
    "icd10_title": {"values_file": "data/icd10.csv", "column": "title"},
    "insurer": {"values_file": "data/insurers.txt"},
    "tier": {"values": {"basic": 70, "plus": 25, "premium": 5}},
    "handle": {"format": "{first_name}.{last_name}/{policy_number}"},
    "contact": {"one_of": {"email": 3, "state_code": 1}},
    "priority": {"values": [1, 2, 3], "weights": [5, 3, 1]}
  },
  "tables": {
    "claims": {
      "rows": 20000,
      "columns": {
        "id": "serial",
        "policy_number": {"type": "char(14)", "unique": true, "nullable": false, "generator": "policy_number"},
        "diagnosis": {"type": "text", "generator": "icd10"},
        "diagnosis_title": {"type": "text", "generator": "icd10_title"},
        "insurer": "text",
        "tier": {"type": "text", "generator": "tier"},
        "first_name": "text",
        "last_name": "text",
        "handle": {"type": "varchar(40)", "generator": "handle"},
        "contact": {"type": "text", "generator": "contact"},
        "priority": {"type": "smallint", "generator": "priority"}
      },
      "checks": ["policy_number ~ '^POL-[A-Z]{3}-[0-9]{6}$'", "priority BETWEEN 1 AND 3"]
    }
  }
}"#;

fn project() -> TestProject {
    TestProject::new()
        .file("pgmock.json", PROJECT)
        .file("data/icd10.csv", ICD10)
        .file(
            "data/insurers.txt",
            "Acme Mutual\n\nNorthwind Assurance\nBlue Harbor Insurance\n",
        )
}

#[test]
fn named_generators_fill_columns_by_name_and_load() {
    let pg = require_pg!();
    let p = project();
    p.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql"))
        .expect("loads with its unique key and checks");
    let q = |sql: &str| db.query(sql);
    // The unique pattern column: 20,000 distinct values of the pattern (the CHECK holds).
    assert_eq!(
        q("SELECT count(DISTINCT policy_number) FROM claims"),
        "20000"
    );
    // CSV values by weight: a weight of 0 never shows; shares follow the weights.
    assert_eq!(
        q("SELECT count(*) FROM claims WHERE diagnosis NOT IN ('J45.909','E11.9','I10','M54.5')"),
        "0"
    );
    let share = |code: &str| -> f64 {
        q(&format!(
            "SELECT count(*) FILTER (WHERE diagnosis = '{code}')::float8 / count(*) FROM claims"
        ))
        .parse()
        .unwrap()
    };
    for (code, expected) in [
        ("I10", 0.40),
        ("E11.9", 0.25),
        ("M54.5", 0.20),
        ("J45.909", 0.15),
    ] {
        assert!(
            (share(code) - expected).abs() < 0.02,
            "{code}: {}",
            share(code)
        );
    }
    // Another column of the same file; quoted commas stay in the value.
    assert_eq!(q("SELECT count(DISTINCT diagnosis_title) FROM claims"), "5");
    assert_ne!(
        q("SELECT count(*) FROM claims WHERE diagnosis_title = 'Unspecified asthma, uncomplicated'"),
        "0"
    );
    // A text file (blank lines skipped), picked up because the column is called like the generator.
    assert_eq!(
        q("SELECT string_agg(DISTINCT insurer, '|' ORDER BY insurer) FROM claims"),
        "Acme Mutual|Blue Harbor Insurance|Northwind Assurance"
    );
    let premium: f64 =
        q("SELECT count(*) FILTER (WHERE tier = 'premium')::float8 / count(*) FROM claims")
            .parse()
            .unwrap();
    assert!((premium - 0.05).abs() < 0.01, "premium share {premium}");
    // A composition: the row's own person, then a pattern; cut to varchar(40).
    assert_eq!(
        q("SELECT count(*) FROM claims WHERE handle NOT LIKE left(first_name || '.' || last_name || '/POL-', 40) || '%' OR length(handle) > 40"),
        "0"
    );
    assert_eq!(q("SELECT count(*) FROM claims WHERE length(handle) < 40 AND handle !~ '/POL-[A-Z]{3}-[0-9]{6}$'"), "0");
    // one_of by weight: e-mail addresses about three times as often as state codes.
    let mails: f64 =
        q("SELECT count(*) FILTER (WHERE contact LIKE '%@%')::float8 / count(*) FROM claims")
            .parse()
            .unwrap();
    assert!((mails - 0.75).abs() < 0.02, "e-mail share {mails}");
    // Typed values in a smallint column.
    assert_eq!(
        q("SELECT string_agg(DISTINCT priority::text, ',') FROM claims"),
        "1,2,3"
    );
    // explain names the generator and why the column got it.
    let explain = p.run_with(["explain"]).success().stdout;
    assert!(
        explain.contains("name matches named generator `insurer`"),
        "{explain}"
    );
    assert!(explain.contains("named generator `icd10`"), "{explain}");
}

#[test]
fn named_generators_are_deterministic_across_jobs_and_tables() {
    let p = project();
    p.run_with(["generate", "-f", "one.sql", "-j", "1"])
        .success();
    p.run_with(["generate", "-f", "two.sql", "-j", "2"])
        .success();
    assert_eq!(p.read("one.sql"), p.read("two.sql"));
}

#[test]
fn a_template_brings_its_generators_and_their_files() {
    let template = r#"{
      "name": "claims", "version": "1.0.0", "description": "Claims with policy numbers",
      "generators": {
        "insurer": {"values_file": "data/insurers.txt"},
        "policy_number": {"pattern": "[A-Z]{2}[0-9]{4}"}
      },
      "tables": {"claims": {"rows": 300, "columns": {
        "id": "serial", "insurer": "text", "policy_number": {"type": "text", "unique": true}}}}
    }"#;
    let p = TestProject::new()
        .file(
            "pgmock.json",
            r#"{"templates": ["claims@^1"], "generators": {"policy_number": {"pattern": "Z[0-9]{5}"}}}"#,
        )
        .file("templates/claims/1.0.0/template.json", template)
        .file("templates/claims/1.0.0/data/insurers.txt", "Gamma Re\nDelta Life\n");
    let out = p.run_with(["generate", "-a", "--inserts"]).success().stdout;
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("INSERT")).collect();
    assert_eq!(rows.len(), 300);
    for r in &rows {
        assert!(
            r.contains("'Gamma Re'") || r.contains("'Delta Life'"),
            "{r}"
        );
    }
    // The project's definition of a generator wins over the template's.
    assert!(rows.iter().all(|r| r.contains(", 'Z")), "{}", rows[0]);

    // A template may not read files outside its folder.
    let p = TestProject::new()
        .file("pgmock.json", r#"{"templates": ["claims@^1"]}"#)
        .file(
            "templates/claims/1.0.0/template.json",
            template.replace("data/insurers.txt", "../../../secret.txt"),
        )
        .file("secret.txt", "x\n");
    let err = p.run_with(["validate"]).failure(2).stderr;
    assert!(
        err.contains("must stay inside the template's folder"),
        "{err}"
    );
    assert!(
        err.contains("template.json"),
        "the error points into the template: {err}"
    );
}

/// Number, date and boolean kinds of the kinds table work as explicit generators too.
#[test]
fn built_in_kinds_of_every_class_are_nameable() {
    let pg = require_pg!();
    let p = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"rows": 2000, "columns": {"id": "serial",
            "a": {"type": "integer", "generator": "age"},
            "b": {"type": "date", "generator": "birth_date"},
            "c": {"type": "boolean", "generator": "is_active"}}}}}"#,
    );
    let explain = p.run_with(["explain"]).success().stdout;
    assert!(explain.contains("explicit generator `age`"), "{explain}");
    p.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql")).expect("loads");
    assert_eq!(
        db.query("SELECT min(a) >= 18 AND max(a) <= 90 AND count(DISTINCT a) > 50 FROM t"),
        "t"
    );
    assert_eq!(
        db.query("SELECT min(b) >= '1940-01-01' AND max(b) <= '2006-12-31' FROM t"),
        "t"
    );
    let active: f64 = db.query("SELECT avg(c::int) FROM t").parse().unwrap();
    assert!((active - 0.85).abs() < 0.04, "{active}");
    let bad = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"columns": {"e": {"type": "text", "generator": "age"}, "f": {"type": "integer", "generator": {"kind": "age", "max": 3}}}}}}"#,
    );
    let err = bad.run_with(["validate"]).failure(2).stderr;
    assert!(
        err.contains("kind `age` makes numbers, but `e` is a `text`"),
        "{err}"
    );
    assert!(err.contains("kind `age` takes no options"), "{err}");
}
