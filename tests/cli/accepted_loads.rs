//! What `validate` accepts, the server loads: the fixed corpus of mutated
//! projects in `tests/fuzz-corpus/` (written by `scripts/mutate-corpus.py`),
//! keys over two foreign keys, and the warnings of `-n`/`-t` selections.

use crate::support::{require_pg, TestProject};

/// Every case is refused with exit 2 or generates a dump PostgreSQL loads:
/// the count of "validate OK, server rejects" is 0.
#[test]
fn every_accepted_corpus_case_loads() {
    let pg = require_pg!();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-corpus");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 100, "the corpus has {} cases", paths.len());
    let (mut accepted, mut rejected) = (0, Vec::new());
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let project = TestProject::new().file("pgmock.json", std::fs::read(path).unwrap());
        let out = project.run_with(["validate"]);
        match out.status_code {
            2 => continue,
            0 => {}
            other => panic!("{name}: validate exited with {other}\n{out}"),
        }
        accepted += 1;
        project
            .run_with(["generate", "-f", "out.sql", "-j", "2"])
            .success();
        let db = pg.fresh_db();
        if let Err(e) = db.psql_file(project.path("out.sql")) {
            rejected.push(format!(
                "{name}: {}",
                e.lines().find(|l| l.contains("ERROR")).unwrap_or(&e)
            ));
        }
    }
    // A corpus refused whole would prove nothing.
    assert!(accepted >= 25, "only {accepted} cases were accepted");
    assert!(
        rejected.is_empty(),
        "validate accepted {} cases the server rejects:\n{}",
        rejected.len(),
        rejected.join("\n")
    );
}

/// A per-parent table keyed by two foreign keys (`post_tags` per post with
/// key `(post_id, tag_id)`) takes distinct tags within each post; a composite
/// foreign key with a unique column keeps both columns on one parent row.
#[test]
fn keys_over_two_foreign_keys_load() {
    let pg = require_pg!();
    let p = TestProject::new().file(
        "pgmock.json",
        r#"{"seed": 3, "tables": {
          "posts": {"rows": 300, "columns": {"id": {"type": "int", "primary_key": true}}},
          "tags": {"rows": 6, "columns": {"id": {"type": "int", "primary_key": true}}},
          "post_tags": {"rows": {"per": "posts", "min": 0, "max": 6}, "primary_key": ["post_id", "tag_id"],
             "columns": {"post_id": {"type": "int", "references": "posts"}, "tag_id": {"type": "int", "references": "tags"}}},
          "pairs": {"rows": 40, "primary_key": ["a", "b"], "columns": {"a": "int", "b": "int"}},
          "links": {"rows": 40, "columns": {"id": {"type": "int", "primary_key": true},
             "pa": {"type": "int", "unique": true}, "pb": "int"},
             "foreign_keys": [{"columns": ["pa", "pb"], "references": "pairs"}]}
        }}"#,
    );
    p.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(p.path("out.sql")).expect("loads");
    // Posts with all six tags exist, so the distinct picks were put to the test.
    assert_ne!(
        db.query("SELECT count(*) FROM (SELECT post_id FROM post_tags GROUP BY post_id HAVING count(*) = 6) s"),
        "0"
    );
    assert_eq!(db.query("SELECT count(*) FROM links"), "40");
    // Too many children per post for the tags is refused up front.
    let tight = TestProject::new().file(
        "pgmock.json",
        p.read("pgmock.json").replace("\"max\": 6", "\"max\": 7"),
    );
    let err = tight.run_with(["validate"]).failure(2).stderr;
    assert!(err.contains("allows only 6"), "{err}");
}

/// `-t` and `-n` keep pg_dump's choice of entries, and say what the kept
/// tables need that the dump then lacks.
#[test]
fn selections_warn_about_what_they_leave_out() {
    let shop = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.json"))
        .unwrap();
    let p = TestProject::new().file("pgmock.json", shop);
    let err = p
        .run_with(["generate", "-t", "orders", "-f", "out.sql"])
        .success()
        .stderr;
    assert!(err.contains("needs type `public.order_status`"), "{err}");
    assert!(err.contains("needs table `public.customers`"), "{err}");
    let err = p.run_with([
        "generate",
        "-t",
        "orders",
        "-t",
        "customers",
        "-f",
        "out.sql",
    ]);
    let err = err.success().stderr;
    assert!(!err.contains("needs table `public.customers`"), "{err}");
    let quiet = p.run_with(["generate", "-f", "out.sql"]).success().stderr;
    assert!(!quiet.contains("leaves out"), "{quiet}");
    let saas = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/saas.json"))
        .unwrap();
    let p = TestProject::new().file("pgmock.json", saas);
    let err = p
        .run_with(["generate", "-n", "app", "--inserts", "-f", "out.sql"])
        .success()
        .stderr;
    assert!(err.contains("needs extension `citext`"), "{err}");
}
