use crate::support::{require_pg, TestProject};

const SCHEMA: &str = r#"{
  "database": {"name": "opts_db"},
  "tables": {
    "accounts": {
      "rows": 25,
      "columns": {
        "id": {"type": "bigint", "identity": "always", "primary_key": true},
        "name": {"type": "text", "nullable": false},
        "note": {"type": "text", "null_ratio": 0.3},
        "double_id": {"type": "bigint", "generated": "id * 2"}
      }
    },
    "events": {
      "rows": 40,
      "columns": {
        "id": {"type": "serial", "primary_key": true},
        "account_id": {"type": "bigint", "references": "accounts", "nullable": false},
        "payload": "jsonb"
      }
    }
  }
}"#;

#[test]
fn insert_styles_load_and_match_copy() {
    let pg = require_pg!();
    let project = TestProject::new().file("pgmock.json", SCHEMA);
    for (i, flags) in [
        vec!["--inserts"],
        vec!["--column-inserts"],
        vec!["--rows-per-insert", "7"],
        vec!["--column-inserts", "--rows-per-insert", "100"],
    ]
    .into_iter()
    .enumerate()
    {
        let file = format!("ins{i}.sql");
        let mut args = vec!["generate", "-f", file.as_str()];
        args.extend(flags.iter().copied());
        project.run_with(&args).success();
        let sql = project.read(&file);
        assert!(!sql.contains("FROM stdin"), "{flags:?}");
        assert!(
            sql.contains("OVERRIDING SYSTEM VALUE"),
            "identity ALWAYS needs OVERRIDING SYSTEM VALUE"
        );
        let db = pg.fresh_db();
        db.psql_file(project.path(&file))
            .unwrap_or_else(|e| panic!("{flags:?}: {e}"));
        assert_eq!(db.query("SELECT count(*) FROM public.accounts"), "25");
        assert_eq!(db.query("SELECT count(*) FROM public.events"), "40");
        assert_eq!(
            db.query("SELECT count(*) FROM public.accounts WHERE double_id <> id * 2"),
            "0"
        );
    }
    // The same values as the COPY form.
    project.run_with(["generate", "-f", "copy.sql"]).success();
    let (a, b) = (pg.fresh_db(), pg.fresh_db());
    a.psql_file(project.path("copy.sql")).unwrap();
    b.psql_file(project.path("ins1.sql")).unwrap();
    assert_eq!(a.copy_out("public.accounts"), b.copy_out("public.accounts"));
    assert_eq!(a.copy_out("public.events"), b.copy_out("public.events"));
}

#[test]
fn clean_if_exists_reloads_over_itself() {
    let pg = require_pg!();
    let project = TestProject::new().file("pgmock.json", SCHEMA).args([
        "generate",
        "-c",
        "--if-exists",
        "-f",
        "clean.sql",
    ]);
    project.run().success();
    let sql = project.read("clean.sql");
    assert!(sql.contains("DROP TABLE IF EXISTS public.accounts;"));
    assert!(sql.contains("ALTER TABLE IF EXISTS ONLY public.events DROP CONSTRAINT IF EXISTS events_account_id_fkey;"));
    let db = pg.fresh_db();
    db.psql_file(project.path("clean.sql")).expect("first load");
    db.psql_file(project.path("clean.sql"))
        .expect("second load drops and recreates");
    assert_eq!(db.query("SELECT count(*) FROM public.events"), "40");
}

#[test]
fn create_makes_and_connects_to_the_database() {
    let pg = require_pg!();
    let unique = format!("opts_db_{}", std::process::id());
    let project = TestProject::new()
        .file("pgmock.json", SCHEMA.replace("opts_db", &unique))
        .args(["generate", "-C", "-f", "create.sql"]);
    project.run().success();
    let sql = project.read("create.sql");
    assert!(sql.contains(&format!(
        "CREATE DATABASE {unique} WITH TEMPLATE = template0 ENCODING = 'UTF8';"
    )));
    assert!(sql.contains(&format!("\\connect {unique}")));
    let db = pg.fresh_db();
    db.psql_file(project.path("create.sql"))
        .expect("creates the database");
    let mut cmd = pg.command("psql");
    let out = cmd
        .args([
            "-X",
            "-A",
            "-t",
            "-d",
            &unique,
            "-c",
            "SELECT count(*) FROM public.accounts",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "25");
}

#[test]
fn sections_split_the_script() {
    let project = TestProject::new().file("pgmock.json", SCHEMA);
    project
        .run_with(["generate", "--section", "pre-data", "-f", "pre.sql"])
        .success();
    project
        .run_with(["generate", "--section", "data", "-f", "data.sql"])
        .success();
    project
        .run_with(["generate", "--section", "post-data", "-f", "post.sql"])
        .success();
    let (pre, data, post) = (
        project.read("pre.sql"),
        project.read("data.sql"),
        project.read("post.sql"),
    );
    assert!(
        pre.contains("CREATE TABLE public.accounts")
            && !pre.contains("COPY ")
            && !pre.contains("ADD CONSTRAINT")
    );
    assert!(
        data.contains("COPY public.accounts")
            && data.contains("setval")
            && !data.contains("CREATE TABLE")
    );
    assert!(
        post.contains("PRIMARY KEY") && post.contains("FOREIGN KEY") && !post.contains("COPY ")
    );
    let no_data = project
        .run_with(["generate", "--exclude-table-data", "events", "-f", "x.sql"])
        .success();
    assert!(no_data.status_code == 0);
    let x = project.read("x.sql");
    assert!(
        x.contains("COPY public.accounts")
            && !x.contains("COPY public.events")
            && x.contains("CREATE TABLE public.events")
    );
    let t = project
        .run_with(["generate", "-T", "events", "-f", "t.sql"])
        .success();
    assert!(t.status_code == 0);
    assert!(!project.read("t.sql").contains("public.events"));
}

#[test]
fn scale_rows_and_stdout() {
    let project = TestProject::new().file("pgmock.json", SCHEMA);
    let out = project
        .run_with(["generate", "--scale", "0.1", "--rows", "events=3"])
        .success();
    let accounts = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("COPY public.accounts"))
        .skip(1)
        .take_while(|l| *l != "\\.")
        .count();
    let events = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("COPY public.events"))
        .skip(1)
        .take_while(|l| *l != "\\.")
        .count();
    assert_eq!(
        (accounts, events),
        (3, 3),
        "25 × 0.1 rounds to 3; --rows wins"
    );
    let random = project
        .run_with(["generate", "--seed", "random", "-f", "r.sql"])
        .success();
    assert!(random.stderr.contains("using seed"), "{}", random.stderr);
}

/// Regressions found while documenting #3: short unique codes, composite
/// unique keys of plain columns, and sequences used in column defaults.
#[test]
fn issue_3_unique_short_text_composite_keys_and_sequence_defaults_load() {
    let pg = require_pg!();
    let schema = r#"{"sequences": {"ticket_no": {"start": 1000}},
     "tables": {"t": {"rows": 50, "columns": {
       "id": {"type": "integer", "primary_key": true},
       "code": {"type": "varchar(12)", "unique": true, "check": "length(code) <= 6"},
       "a": {"type": "integer", "check": "a BETWEEN 1 AND 100"}, "b": {"type": "integer", "check": "b BETWEEN 1 AND 3"},
       "ticket": {"type": "bigint", "default": "nextval('public.ticket_no'::regclass)"}},
       "unique": [["a", "b"]]}}}"#;
    let project = TestProject::new()
        .file("pgmock.json", schema)
        .args(["generate", "-f", "out.sql"]);
    project.run().success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("loads with every unique constraint");
    assert_eq!(db.query("SELECT count(DISTINCT code) FROM public.t"), "50");
    assert_eq!(db.query("SELECT max(length(code)) <= 6 FROM public.t"), "t");
}

/// Unique codes, user names and e-mails embed the row number already: they
/// get no ` <row>` suffix unless a length limit cuts them, and stay unique
/// either way.
#[test]
fn unique_codes_and_user_names_need_no_suffix_unless_cut() {
    let pg = require_pg!();
    let schema = r#"{"tables": {"t": {"rows": 300, "columns": {
       "id": {"type": "integer", "primary_key": true},
       "sku": {"type": "varchar(20)", "unique": true},
       "username": {"type": "varchar(40)", "unique": true},
       "short_sku": {"type": "varchar(6)", "unique": true, "generator": "code"}}}}}"#;
    let project = TestProject::new()
        .file("pgmock.json", schema)
        .args(["generate", "-f", "out.sql"]);
    project.run().success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("loads with every unique constraint");
    assert_eq!(
        db.query("SELECT count(*) FROM public.t WHERE sku LIKE '% %' OR username LIKE '% %'"),
        "0",
        "whole values carry no suffix"
    );
    assert_eq!(
        db.query("SELECT sku FROM public.t WHERE id = 7"),
        "SKU-000007"
    );
    assert_eq!(
        db.query("SELECT count(DISTINCT short_sku) FROM public.t"),
        "300",
        "cut values stay unique"
    );
}

#[test]
fn partitioned_tables_route_every_row_to_a_partition() {
    let pg = require_pg!();
    let schema = r#"{"tables": {
      "measurements": {"rows": 500, "columns": {"id": "bigint", "logdate": {"type": "date", "nullable": false}, "v": "integer"},
        "partition_by": {"strategy": "range", "columns": ["logdate"]},
        "partitions": {"m2023": {"from": ["2023-01-01"], "to": ["2024-01-01"]}, "m2024": {"from": ["2024-01-01"], "to": ["2025-01-01"]}}},
      "regions": {"rows": 100, "columns": {"id": "integer", "code": {"type": "text", "nullable": false}},
        "partition_by": {"strategy": "list", "columns": ["code"]},
        "partitions": {"eu": {"in": ["de", "fr"]}, "us": {"in": ["us"]}}},
      "hashed": {"rows": 100, "columns": {"id": {"type": "integer", "primary_key": true}},
        "partition_by": {"strategy": "hash", "columns": ["id"]},
        "partitions": {"h0": {"modulus": 2, "remainder": 0}, "h1": {"modulus": 2, "remainder": 1}}}
    }}"#;
    let project = TestProject::new()
        .file("pgmock.json", schema)
        .args(["generate", "-f", "out.sql"]);
    project.run().success();
    let sql = project.read("out.sql");
    assert!(sql.contains("PARTITION BY RANGE (logdate);"));
    assert!(sql.contains("ALTER TABLE ONLY public.measurements ATTACH PARTITION public.m2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');"));
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("every row fits a partition");
    assert_eq!(
        db.query(
            "SELECT (SELECT count(*) FROM public.m2023) + (SELECT count(*) FROM public.m2024)"
        ),
        "500"
    );
    assert_eq!(db.query("SELECT count(*) FROM public.regions"), "100");
    assert_eq!(db.query("SELECT count(*) > 0 FROM public.h0"), "t");
    assert_eq!(db.query("SELECT count(*) FROM public.hashed"), "100");
}

/// Every column of a composite foreign key must come from the same parent row,
/// and composite keys made of foreign keys stay unique.
#[test]
fn composite_foreign_keys_point_at_one_parent_row() {
    let pg = require_pg!();
    let schema = r#"{"tables": {
      "warehouses": {"rows": 7, "columns": {"region": {"type": "text", "nullable": false}, "code": {"type": "integer", "nullable": false}, "city": "text"},
        "primary_key": ["region", "code"]},
      "products": {"rows": 30, "columns": {"id": {"type": "integer", "primary_key": true}, "name": "text"}},
      "stock": {"rows": 150, "columns": {"region": "text", "code": "integer", "product_id": "integer", "qty": "integer"},
        "foreign_keys": [{"columns": ["region", "code"], "references": {"table": "warehouses", "columns": ["region", "code"]}}],
        "unique": [["region", "code", "product_id"]]},
      "pairs": {"rows": 200, "columns": {"product_id": "integer", "other_id": "integer"},
        "foreign_keys": [{"columns": ["product_id"], "references": "products"}, {"columns": ["other_id"], "references": "products"}],
        "primary_key": ["product_id", "other_id"]}
    }}"#;
    let project = TestProject::new()
        .file("pgmock.json", schema)
        .args(["generate", "-f", "out.sql"]);
    project.run().success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("composite keys and foreign keys hold");
    assert_eq!(
        db.query(
            "SELECT count(*) FROM public.stock s JOIN public.warehouses w USING (region, code)"
        ),
        "150"
    );
    assert_eq!(
        db.query("SELECT count(DISTINCT (product_id, other_id)) FROM public.pairs"),
        "200"
    );
}

/// Column types may name user types with their schema, and built-ins with `pg_catalog`.
#[test]
fn schema_qualified_type_names_resolve() {
    let pg = require_pg!();
    let schema = r#"{"database": {"schemas": ["app"]},
      "types": {"mood": {"schema": "app", "enum": ["calm", "busy"]}},
      "tables": {"t": {"rows": 5, "columns": {"id": "pg_catalog.int4", "m": {"type": "app.mood", "nullable": false}, "ms": "app.mood[]"}}}}"#;
    let project = TestProject::new()
        .file("pgmock.json", schema)
        .args(["generate", "-f", "out.sql"]);
    project.run().success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql")).expect("loads");
    assert_eq!(
        db.query("SELECT count(*) FROM public.t WHERE m IN ('calm', 'busy') AND pg_typeof(id) = 'integer'::regtype"),
        "5"
    );
    let wrong = TestProject::new()
        .file(
            "pgmock.json",
            schema.replace("\"app.mood\",", "\"public.mood\","),
        )
        .args(["validate"]);
    let out = wrong.run().failure(2);
    assert!(out.stderr.contains("write `app.mood`"), "{}", out.stderr);
}

/// On a terminal, each table gets a progress bar and a summary line follows;
/// `--quiet` silences both; without a terminal nothing is drawn.
#[test]
fn progress_bars_only_on_a_terminal() {
    let project = TestProject::new().file("pgmock.json", SCHEMA);
    let on_tty = |extra: &str| {
        // `script` gives the command a pseudo-terminal and copies what it draws.
        let cmd = format!(
            "{} generate -f out.sql {extra}",
            crate::support::pgmock_bin().display()
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(project.dir())
            .output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let Ok(drawn) = on_tty("") else {
        // No `script` (util-linux) here: nothing to observe.
        return;
    };
    assert!(drawn.contains("rows/s"), "a bar per table: {drawn}");
    assert!(drawn.contains("events"), "{drawn}");
    assert!(
        drawn.contains("pgmock: wrote 65 rows in 2 tables"),
        "{drawn}"
    );
    let quiet = on_tty("--quiet").expect("script ran before");
    assert!(
        !quiet.contains("rows/s") && !quiet.contains("pgmock:"),
        "{quiet}"
    );
    let piped = project.run_with(["generate", "-f", "out.sql"]).success();
    assert_eq!(piped.stderr, "", "nothing drawn without a terminal");
}
