//! PII labels: `explain --pii` lists them and the columns that look unlabelled,
//! `generate --pii-comments` writes them into every format, and they change no data.

use crate::support::{require_pg, TestProject};

/// A clinic: labelled names, contact and health columns, a comment that the
/// label joins, and two direct identifiers (`phone`, `ssn`) left unlabelled.
const CLINIC: &str = r#"{"seed": 3, "tables": {
  "patients": {"rows": 20, "columns": {
    "id": {"type": "bigint", "primary_key": true},
    "first_name": {"type": "text", "pii": {"level": "direct", "category": "name"}},
    "last_name": {"type": "text", "pii": {"level": "direct", "category": "name"}},
    "email": {"type": "text", "comment": "Where reminders go.", "pii": {"level": "direct", "category": "contact"}},
    "phone": "text",
    "ssn": "char(11)",
    "birth_date": {"type": "date", "pii": {"level": "quasi", "category": "demographic"}},
    "zip": {"type": "varchar(10)", "pii": "quasi"},
    "created_at": "timestamptz"}},
  "visits": {"rows": 40, "columns": {
    "id": "bigserial",
    "patient_id": {"type": "bigint", "references": "patients"},
    "diagnosis": {"type": "text", "comment": "ICD-10 text.", "pii": {"level": "quasi", "category": "health"}},
    "notes": "text"}}
}}"#;

#[test]
fn explain_pii_lists_labels_and_unlabelled_lookalikes() {
    let project = TestProject::new().file("pgmock.json", CLINIC);
    let out = project.run_with(["explain", "--pii"]).success();
    insta::assert_snapshot!(out.stdout, @r"
    columns labelled PII (6)
      table            column      level   category     generator
      public.patients  first_name  direct  name         name matches `first_name` (kind `first_name`)
      public.patients  last_name   direct  name         name matches `last_name` (kind `last_name`)
      public.patients  email       direct  contact      name matches `email` (kind `email`)
      public.patients  birth_date  quasi   demographic  name matches `birth_date` (kind `birth_date`)
      public.patients  zip         quasi   -            name matches `zip` (kind `postal_code`)
      public.visits    diagnosis   quasi   health       no kind matches the name; short sentences

    unlabelled columns that look like PII (2)
      table            column  looks like  category     generator
      public.patients  phone   phone       contact      name matches `phone` (kind `phone`)
      public.patients  ssn     ssn         national_id  name matches `ssn` (kind `ssn`)
    ");
    let visits = project
        .run_with(["explain", "--pii", "-t", "visits"])
        .success();
    insta::assert_snapshot!(visits.stdout, @r"
    columns labelled PII (1)
      table          column     level  category  generator
      public.visits  diagnosis  quasi  health    no kind matches the name; short sentences

    no unlabelled column looks like PII
    ");
    let none = project
        .run_with(["explain", "--pii", "-t", "nope"])
        .failure(2);
    assert!(
        none.stderr.contains("no matching tables"),
        "{}",
        none.stderr
    );
}

/// With no label at all, `explain --pii` says so, and still points at the
/// columns whose names say they hold personal data (a person's `name` too,
/// but not a company's).
#[test]
fn explain_pii_without_labels_says_so() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {
            "customers": {"rows": 5, "columns": {"id": "bigserial", "name": "text", "iban": "varchar(34)"}},
            "vendors": {"rows": 5, "columns": {"id": "bigserial", "name": "text"}}
        }}"#,
    );
    let out = project.run_with(["explain", "--pii"]).success();
    insta::assert_snapshot!(out.stdout, @r"
    no column is labelled PII

    unlabelled columns that look like PII (2)
      table             column  looks like  category   generator
      public.customers  name    name        name       name matches `name` (kind `name`), names a person (table `customers`)
      public.customers  iban    iban        financial  name matches `iban` (kind `iban`)
    ");
}

/// A template's columns take `pii` like a project's, and the label survives
/// `resolve` and merge patches.
#[test]
fn labels_apply_through_templates() {
    let template = r#"{"name": "people", "version": "1.0.0", "tables": {"people": {"rows": 10, "columns": {
        "id": "bigserial",
        "email": {"type": "text", "pii": {"level": "direct", "category": "contact"}},
        "city": "text"}}}}"#;
    let project = TestProject::new()
        .file("templates/people/1.0.0/template.json", template)
        .file(
            "pgmock.json",
            r#"{"templates": ["people@^1"],
                "overrides": {"tables": {"people": {"columns": {"city": {"type": "text", "pii": {"level": "quasi", "category": "location"}}}}}}}"#,
        );
    let resolved = project.run_with(["resolve"]).success();
    let doc: serde_json::Value = serde_json::from_str(&resolved.stdout).unwrap();
    assert_eq!(
        doc["tables"]["people"]["columns"]["email"]["pii"]["category"],
        "contact"
    );
    let out = project.run_with(["explain", "--pii"]).success();
    insta::assert_snapshot!(out.stdout, @r"
    columns labelled PII (2)
      table          column  level   category  generator
      public.people  email   direct  contact   name matches `email` (kind `email`)
      public.people  city    quasi   location  name matches `city` (kind `city`)

    no unlabelled column looks like PII
    ");
    // A bad label inside the template points into the template's file.
    let bad = project.file(
        "templates/people/1.0.0/template.json",
        template.replace("\"contact\"", "\"contakt\""),
    );
    let err = bad.run_with(["validate", "--update"]).failure(2);
    assert!(
        err.stderr.contains("unknown PII category `contakt`")
            && err.stderr.contains("templates/people/1.0.0/template.json")
            && err.stderr.contains("did you mean `contact`?"),
        "{}",
        err.stderr
    );
}

/// Labels change no data and no schema text: without `--pii-comments` the
/// dump is byte-identical to the dump of the same project without labels.
#[test]
fn labels_alone_leave_the_dump_unchanged() {
    let unlabelled = CLINIC
        .replace(r#", "pii": {"level": "direct", "category": "name"}"#, "")
        .replace(r#", "pii": {"level": "direct", "category": "contact"}"#, "")
        .replace(
            r#", "pii": {"level": "quasi", "category": "demographic"}"#,
            "",
        )
        .replace(r#", "pii": "quasi""#, "")
        .replace(r#", "pii": {"level": "quasi", "category": "health"}"#, "");
    assert!(!unlabelled.contains("pii"), "{unlabelled}");
    let project = TestProject::new()
        .file("labelled.json", CLINIC)
        .file("unlabelled.json", unlabelled);
    for format in ["p", "c"] {
        project
            .run_with(["generate", "labelled.json", "-F", format, "-f", "a"])
            .success();
        project
            .run_with(["generate", "unlabelled.json", "-F", format, "-f", "b"])
            .success();
        let (a, b) = (
            fs_err::read(project.path("a")).unwrap(),
            fs_err::read(project.path("b")).unwrap(),
        );
        assert!(a == b, "-F {format}: labels alone changed the dump");
    }
}

/// `--pii-comments` labels reach the server in every format: read back with
/// `col_description`, after the column's own comment where it has one.
#[test]
fn pii_comments_load_in_every_format() {
    let pg = require_pg!();
    let project = TestProject::new().file("pgmock.json", CLINIC);
    let expected = [
        ["patients", "birth_date", "PII: quasi (demographic)"],
        [
            "patients",
            "email",
            "Where reminders go.\nPII: direct (contact)",
        ],
        ["patients", "first_name", "PII: direct (name)"],
        ["patients", "last_name", "PII: direct (name)"],
        ["patients", "zip", "PII: quasi"],
        ["visits", "diagnosis", "ICD-10 text.\nPII: quasi (health)"],
    ]
    .map(|row| row.map(str::to_owned).to_vec())
    .to_vec();
    let comments = "SELECT c.relname, a.attname, col_description(c.oid, a.attnum) \
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 \
        AND col_description(c.oid, a.attnum) IS NOT NULL ORDER BY 1, 2";
    for (format, file) in [
        ("p", "out.sql"),
        ("c", "out.dump"),
        ("d", "out.dir"),
        ("t", "out.tar"),
    ] {
        project
            .run_with(["generate", "--pii-comments", "-F", format, "-f", file])
            .success();
        let db = pg.fresh_db();
        let path = project.path(file);
        if format == "p" {
            db.psql_file(&path).expect("the plain dump loads");
        } else {
            let path = path.to_str().expect("a UTF-8 path");
            db.pg_restore(&["--exit-on-error", path])
                .unwrap_or_else(|e| panic!("-F {format} restores: {e}"));
        }
        assert_eq!(db.query_rows(comments), expected, "-F {format}");
        assert_eq!(db.query("SELECT count(*) FROM public.visits"), "40");
    }
    // Without the flag, only the columns' own comments.
    project.run_with(["generate", "-f", "plain.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("plain.sql")).expect("loads");
    let own: Vec<String> = db
        .query_rows(comments)
        .into_iter()
        .map(|row| row[2].clone())
        .collect();
    assert_eq!(own, ["Where reminders go.", "ICD-10 text."]);
    // pg_dump's --no-comments and --pii-comments contradict each other.
    project
        .run_with(["generate", "--pii-comments", "--no-comments"])
        .failure(2);
}
