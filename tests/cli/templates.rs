//! Templates: the built-in library, mixing, placement, overrides and patches,
//! version choice, `extends`, `include`, the lock, and `pgmock new`.

use std::path::Path;

use crate::support::{require_pg, Database, TestProject};

const BUILTINS: &[&str] = &["ecommerce", "saas", "healthcare", "finance"];
/// The versions of a built-in template, read from `template-library/`.
fn versions(name: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("template-library")
        .join(name);
    // Version folders only: a template's README.md sits beside them.
    let mut out: Vec<String> = fs_err::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    assert!(out.len() >= 2, "{name}: {out:?}");
    out
}

fn constraints_valid(db: &Database<'_>) {
    assert_eq!(db.query("SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname NOT IN ('pg_catalog','information_schema') AND NOT c.convalidated"), "0");
    assert_eq!(
        db.query("SELECT count(*) FROM pg_index WHERE NOT indisvalid"),
        "0"
    );
}

/// `schema.table rows` for every user table, one per line.
fn row_counts(db: &Database<'_>) -> String {
    let tables =
        db.query_rows("SELECT schemaname || '.' || relname FROM pg_stat_user_tables ORDER BY 1");
    tables
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                t[0],
                db.query(&format!("SELECT count(*) FROM {}", t[0]))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every built-in template, every version: resolves to a reviewed document,
/// generates, and loads as a plain script and as a custom archive with every
/// constraint valid and the same rows.
#[test]
fn every_builtin_template_resolves_generates_and_loads() {
    let pg = require_pg!();
    for name in BUILTINS {
        for version in versions(name) {
            let project = TestProject::new().file(
                "pgmock.json",
                format!("{{\"templates\": [\"{name}@={version}\"]}}"),
            );
            let resolved = project.run_with(["resolve"]).success();
            insta::assert_snapshot!(format!("resolved_{name}_{version}"), resolved.stdout);

            project.run_with(["generate", "-f", "out.sql"]).success();
            let plain = pg.fresh_db();
            plain
                .psql_file(project.path("out.sql"))
                .unwrap_or_else(|e| panic!("{name}@{version} loads: {e}"));
            constraints_valid(&plain);
            let counts = row_counts(&plain);
            let tables = counts.lines().count();
            assert!(
                tables >= 10,
                "{name}@{version} has {tables} tables:\n{counts}"
            );
            assert!(
                counts.lines().all(|l| !l.ends_with(" 0")),
                "{name}@{version}: every table has rows at the defaults:\n{counts}"
            );
            let fks = plain.query("SELECT count(*) FROM pg_constraint WHERE contype = 'f'");
            assert!(
                fks.parse::<u32>().unwrap() >= 9,
                "{name}@{version}: {fks} foreign keys"
            );

            project
                .run_with(["generate", "-F", "c", "-f", "out.dump"])
                .success();
            let custom = pg.fresh_db();
            let dump = project.path("out.dump");
            custom
                .pg_restore(&["--exit-on-error", dump.to_str().unwrap()])
                .unwrap_or_else(|e| panic!("{name}@{version} restores: {e}"));
            constraints_valid(&custom);
            assert_eq!(
                row_counts(&custom),
                counts,
                "{name}@{version}: custom = plain"
            );
        }
    }
}

/// 1.1.0 adds to 1.0.0, so the version a range picks shows in the schema.
#[test]
fn builtin_versions_differ_and_ranges_pick_the_highest() {
    for name in BUILTINS {
        let tables = |range: &str| {
            let out = TestProject::new()
                .file(
                    "pgmock.json",
                    format!("{{\"templates\": [\"{name}@{range}\"]}}"),
                )
                .args(["resolve"])
                .run()
                .success();
            let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
            doc["tables"].as_object().unwrap().len()
        };
        let old = tables("=1.0.0");
        assert!(
            tables("~1.0") == old && tables("^1") > old,
            "{name}: 1.1.0 adds tables"
        );
    }
}

/// The bundled mixed example: two scenarios, a prefix, an override that links them.
#[test]
fn store_with_billing_example_links_the_two_scenarios() {
    let pg = require_pg!();
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/store-with-billing/pgmock.json");
    let project = TestProject::new().file("pgmock.json", fs_err::read_to_string(example).unwrap());
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("the mix loads");
    constraints_valid(&db);
    assert_eq!(
        db.query("SELECT count(*) FROM public.billing_organizations"),
        "300"
    );
    assert_eq!(
        db.query("SELECT count(DISTINCT o.customer_id) FROM public.billing_organizations o JOIN public.customers c ON c.id = o.customer_id"),
        "300"
    );
    // The patch removed a table; the override's foreign key exists.
    assert_eq!(
        db.query("SELECT to_regclass('public.billing_feature_flag_overrides') IS NULL"),
        "t"
    );
    assert_eq!(db.query("SELECT count(*) FROM pg_constraint WHERE conname = 'billing_organizations_customer_id_fkey'"), "1");
    // Both scenarios' own tables are there, under their own names.
    assert_eq!(db.query("SELECT count(*) FROM public.customers"), "2000");
    assert_eq!(
        db.query("SELECT count(*) FROM public.billing_memberships WHERE organization_id IS NULL"),
        "0"
    );
}

/// Generating from `pgmock resolve`'s output gives the same bytes as from the project.
#[test]
fn resolved_document_generates_the_same_dump() {
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/store-with-billing/pgmock.json");
    let project = TestProject::new().file("pgmock.json", fs_err::read_to_string(example).unwrap());
    project
        .run_with(["resolve", "-o", "resolved.json"])
        .success();
    let resolved = project.read("resolved.json");
    for key in [
        "\"templates\"",
        "\"overrides\"",
        "\"patches\"",
        "\"include\"",
    ] {
        assert!(!resolved.contains(key), "no template keys left: {key}");
    }
    project.run_with(["generate", "-f", "a.sql"]).success();
    project
        .run_with(["generate", "resolved.json", "-f", "b.sql"])
        .success();
    assert!(project.read("a.sql") == project.read("b.sql"), "same dump");

    // A template's value files travel in the resolved document, wherever it is saved.
    let project = TestProject::new()
        .file("pgmock.json", r#"{"templates": ["healthcare@=1.2.0"]}"#)
        .file("elsewhere/README", "the resolved document goes here");
    project
        .run_with(["resolve", "-o", "elsewhere/resolved.json"])
        .success();
    let resolved = project.read("elsewhere/resolved.json");
    assert!(!resolved.contains("values_file") && resolved.contains("\"Geisinger Health Plan\""));
    project.run_with(["generate", "-f", "a.sql"]).success();
    project
        .run_with(["generate", "elsewhere/resolved.json", "-f", "b.sql"])
        .success();
    assert!(project.read("a.sql") == project.read("b.sql"), "same dump");
}

/// The same template twice: once with a prefix, once in a schema; both load.
#[test]
fn prefix_and_schema_placement_mix_a_template_with_itself() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"templates": [
            {"name": "saas", "params": {"organizations": 20}},
            {"name": "saas", "params": {"organizations": 30}, "prefix": "old_"},
            {"name": "saas", "params": {"organizations": 40}, "schema": "billing"}
        ]}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(project.path("out.sql"))
        .expect("three copies load");
    constraints_valid(&db);
    assert_eq!(db.query("SELECT count(*) FROM public.organizations"), "20");
    assert_eq!(
        db.query("SELECT count(*) FROM public.old_organizations"),
        "30"
    );
    assert_eq!(db.query("SELECT count(*) FROM billing.organizations"), "40");
    // Each copy's foreign keys stay within the copy.
    assert_eq!(
        db.query("SELECT count(*) FROM billing.memberships m LEFT JOIN billing.organizations o ON o.id = m.organization_id WHERE o.id IS NULL"),
        "0"
    );
    assert_eq!(
        db.query("SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'old_memberships_organization_id_fkey'"),
        "old_organizations"
    );
}

/// Overrides are merge patches (null deletes, arrays replace); patches are JSON patch ops.
#[test]
fn overrides_and_patches_change_the_composed_document() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"templates": ["ecommerce@=1.0.0"],
            "tables": {"gift_cards": {"rows": 10, "columns": {"id": "bigserial", "code": {"type": "text", "unique": true}}}},
            "overrides": {"tables": {"customers": {"rows": 50, "columns": {"phone": null}}, "reviews": null}},
            "patches": [
                {"op": "add", "path": "/tables/products/columns/barcode", "value": "text"},
                {"op": "replace", "path": "/tables/orders/comment", "value": "Checkouts"},
                {"op": "move", "from": "/tables/coupons/comment", "path": "/tables/carts/comment"}
            ]}"#,
    );
    let out = project.run_with(["resolve"]).success();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let t = &doc["tables"];
    assert_eq!(t["customers"]["rows"], 50);
    assert!(
        t["customers"]["columns"].get("phone").is_none(),
        "null deletes"
    );
    assert!(
        t["customers"]["columns"].get("email").is_some(),
        "objects merge"
    );
    assert!(t.get("reviews").is_none());
    assert_eq!(t["products"]["columns"]["barcode"], "text");
    assert_eq!(t["orders"]["comment"], "Checkouts");
    assert!(t["coupons"].get("comment").is_none() && t["carts"]["comment"].is_string());
    assert!(
        t.get("gift_cards").is_some(),
        "the project's own tables join in"
    );
    project.run_with(["validate"]).success();
}

fn template(name: &str, version: &str, body: &str) -> (String, String) {
    (
        format!("templates/{name}/{version}/template.json"),
        format!("{{\"name\": \"{name}\", \"version\": \"{version}\", {body}}}"),
    )
}

fn with_templates(project: TestProject, templates: &[(String, String)]) -> TestProject {
    templates
        .iter()
        .fold(project, |p, (path, text)| p.file(path, text))
}

const NOTES_BODY: &str = r#""params": {"n": {"type": "integer", "default": 5, "min": 1}, "sku": {"type": "string", "default": "A1"}},
    "tables": {"notes": {"rows": "{{ n * 2 }}", "columns": {"id": "bigserial", "sku": {"type": "text", "generator": {"kind": "constant", "value": "{{ sku }}"}}}}}"#;

/// Highest matching version wins, with semver's pre-release rules; a
/// parameter that sets a number stays a number.
#[test]
fn version_choice_follows_semver() {
    let project = with_templates(
        TestProject::new(),
        &[
            template("notes", "1.0.0", NOTES_BODY),
            template("notes", "1.2.0", NOTES_BODY),
            template("notes", "2.0.0-beta.1", NOTES_BODY),
        ],
    );
    let lock_of = |range: &str| {
        let text = format!("{{\"templates\": [{{\"name\": \"notes\", \"version\": \"{range}\", \"params\": {{\"n\": 7, \"sku\": \"0123\"}}}}]}}");
        fs_err::write(project.path("pgmock.json"), text).unwrap();
        let p = &project;
        // A lock from the previous range would pin the old choice: write a fresh one first.
        p.run_with(["lock"]).success();
        let out = p.run_with(["resolve"]).success();
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(doc["tables"]["notes"]["rows"], 14, "numbers stay numbers");
        assert_eq!(
            doc["tables"]["notes"]["columns"]["sku"]["generator"]["value"], "0123",
            "strings stay strings"
        );
        let lock: serde_json::Value = serde_json::from_str(&p.read("pgmock.lock")).unwrap();
        lock["templates"][0]["version"].as_str().unwrap().to_owned()
    };
    assert_eq!(lock_of("^1"), "1.2.0");
    assert_eq!(lock_of("*"), "1.2.0", "no pre-release without asking");
    assert_eq!(lock_of(">=2.0.0-beta"), "2.0.0-beta.1");
    assert_eq!(lock_of("~1.0"), "1.0.0");
}

/// `extends` merges the parent under the child and passes parameters on;
/// a cycle is refused with the chain.
#[test]
fn extends_chains_and_cycles() {
    let base = template("base", "1.0.0", NOTES_BODY);
    let child = template(
        "child",
        "1.0.0",
        r#""extends": ["base@^1"], "params": {"extra": {"type": "integer", "default": 3}},
           "tables": {"notes": {"columns": {"title": "text"}}, "tags": {"rows": "{{ extra + n }}", "columns": {"id": "bigserial"}}}"#,
    );
    let project = with_templates(TestProject::new(), &[base, child]).file(
        "pgmock.json",
        r#"{"templates": [{"name": "child", "params": {"n": 4}}]}"#,
    );
    let out = project.run_with(["resolve"]).success();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        doc["tables"]["notes"]["rows"], 8,
        "the parent got the child's n"
    );
    let cols: Vec<&String> = doc["tables"]["notes"]["columns"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        cols,
        ["id", "sku", "title"],
        "the child adds a column after the parent's"
    );
    assert_eq!(doc["tables"]["tags"]["rows"], 7);

    // A range nobody satisfies names every requirer.
    let needy = template("needy", "1.0.0", r#""extends": ["base@^2"]"#);
    let project = with_templates(
        TestProject::new(),
        &[template("base", "1.0.0", NOTES_BODY), needy],
    )
    .file("pgmock.json", r#"{"templates": ["needy"]}"#);
    let out = project.run_with(["validate"]).failure(2);
    assert!(
        out.stderr.contains("no version of `base` matches `^2`: `needy@1.0.0` requires `base@^2`, required by `pgmock.json`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("templates/needy/1.0.0/template.json")
            && out.stderr.contains("there are 1.0.0"),
        "{}",
        out.stderr
    );

    let a = template("a", "1.0.0", r#""extends": ["b"]"#);
    let b = template("b", "1.0.0", r#""extends": ["a"]"#);
    let project =
        with_templates(TestProject::new(), &[a, b]).file("pgmock.json", r#"{"templates": ["a"]}"#);
    let out = project.run_with(["validate"]).failure(2);
    assert!(
        out.stderr
            .contains("`a@1.0.0` extends itself: pgmock.json → a@1.0.0 → b@1.0.0 → a@1.0.0"),
        "{}",
        out.stderr
    );
}

/// An error inside a template points at the template's own file, line and column.
#[test]
fn errors_inside_a_template_point_into_its_file() {
    let bad = template(
        "bad",
        "1.0.0",
        "\"tables\": {\n  \"t\": {\"columns\": {\"id\": \"bigserial\", \"x\": \"intger\"}}\n}",
    );
    let project = with_templates(TestProject::new(), &[bad]).file(
        "pgmock.json",
        "{\"templates\": [{\"name\": \"bad\", \"prefix\": \"p_\"}]}",
    );
    let out = project.run_with(["generate", "-f", "out.sql"]).failure(2);
    assert!(!project.exists("out.sql"));
    insta::assert_snapshot!(out
        .stderr
        .replace(&project.dir().display().to_string(), "[PROJECT]"));
}

/// Included project files join in after the templates; escapes and cycles are refused.
#[test]
fn includes_merge_and_refuse_escapes_and_cycles() {
    let project = TestProject::new()
        .file("teams/billing.json", r#"{"include": ["shared.json"], "tables": {"invoices": {"rows": 3, "columns": {"id": "bigserial"}}}}"#)
        .file("teams/shared.json", r#"{"null_ratio": 0.1, "tables": {"invoices": {"rows": 4}}}"#)
        .file("pgmock.json", r#"{"include": ["teams/billing.json"], "tables": {"users": {"rows": 2, "columns": {"id": "bigserial"}}}}"#);
    let out = project.run_with(["resolve"]).success();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        doc["tables"]["invoices"]["rows"], 3,
        "an including file wins over what it includes"
    );
    assert_eq!(doc["null_ratio"], 0.1);
    assert!(doc["tables"].get("users").is_some());

    let escape = TestProject::new().file(
        "pgmock.json",
        r#"{"include": ["../outside.json"], "tables": {}}"#,
    );
    let out = escape.run_with(["validate"]).failure(2);
    assert!(
        out.stderr.contains("outside the project folder") || out.stderr.contains("cannot find"),
        "{}",
        out.stderr
    );

    let cycle = TestProject::new()
        .file("a.json", r#"{"include": ["pgmock.json"]}"#)
        .file(
            "pgmock.json",
            r#"{"include": ["a.json"], "tables": {"t": {"columns": {"id": "int"}}}}"#,
        );
    let out = cycle.run_with(["validate"]).failure(2);
    assert!(out.stderr.contains("includes itself"), "{}", out.stderr);
}

/// The lock pins versions and content: same lock, same bytes; a changed
/// template is refused until `--update`; `--locked` needs a lock.
#[test]
fn lock_pins_templates_and_refuses_changes() {
    let project = with_templates(
        TestProject::new(),
        &[template("notes", "1.0.0", NOTES_BODY)],
    )
    .file(
        "pgmock.json",
        r#"{"templates": ["notes@^1", "saas@=1.0.0"]}"#,
    );
    let out = project
        .run_with(["generate", "--locked", "-f", "out.sql"])
        .failure(2);
    assert!(out.stderr.contains("--locked"), "{}", out.stderr);
    project.run_with(["lock"]).success();
    let lock = project.read("pgmock.lock");
    assert!(
        lock.contains("\"source\": \"built-in\"") && lock.contains("\"source\": \"project\""),
        "{lock}"
    );
    project
        .run_with(["generate", "--locked", "-f", "a.sql"])
        .success();
    project.run_with(["generate", "-f", "b.sql"]).success();
    assert!(project.read("a.sql") == project.read("b.sql"));

    // A newer version appears: the lock keeps the old one.
    let (path, text) = template("notes", "1.1.0", &NOTES_BODY.replace("n * 2", "n * 3"));
    let project = project.file(path, text);
    project.run_with(["generate", "-f", "c.sql"]).success();
    assert!(
        project.read("a.sql") == project.read("c.sql"),
        "locked version still used"
    );

    // The locked template's content changes underneath.
    let (path, text) = template("notes", "1.0.0", &NOTES_BODY.replace("n * 2", "n * 4"));
    let project = project.file(path, text);
    let out = project.run_with(["generate", "-f", "d.sql"]).failure(2);
    assert!(
        out.stderr
            .contains("has changed since pgmock.lock was written"),
        "{}",
        out.stderr
    );
    assert!(!project.exists("d.sql"));
    project
        .run_with(["generate", "--locked", "-f", "d.sql"])
        .failure(2);
    project
        .run_with(["generate", "--update", "-f", "d.sql"])
        .success();
    let lock: serde_json::Value = serde_json::from_str(&project.read("pgmock.lock")).unwrap();
    let notes = lock["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "notes")
        .unwrap();
    assert_eq!(notes["version"], "1.1.0", "--update picks afresh");
    project.run_with(["lock", "--check"]).success();

    // The project drops a template: the lock no longer matches.
    fs_err::write(
        project.path("pgmock.json"),
        r#"{"templates": ["notes@^1"]}"#,
    )
    .unwrap();
    let out = project.run_with(["generate", "-f", "e.sql"]).failure(2);
    assert!(
        out.stderr.contains("no longer uses `saas@1.0.0`"),
        "{}",
        out.stderr
    );
}

/// `pgmock new` in an empty folder, from outside the repository, then generate and load.
#[test]
fn new_project_generates_at_once() {
    let pg = require_pg!();
    let project = TestProject::new();
    let out = project
        .run_with([
            "new",
            "shop",
            "--template",
            "ecommerce@^1",
            "--template",
            "saas",
            "--param",
            "customers=300",
            "-p",
            "saas.organizations=40",
        ])
        .success();
    assert!(out.stderr.contains("pgmock generate"), "{}", out.stderr);
    let config = project.read("shop/pgmock.json");
    let doc: serde_json::Value = serde_json::from_str(&config).unwrap();
    assert!(doc["seed"].is_u64());
    // The schema `$schema` names is written beside the project, and the project obeys it.
    let schema_path = doc["$schema"].as_str().unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&project.read(format!("shop/{schema_path}"))).unwrap();
    let allowed = schema["properties"].as_object().unwrap();
    assert!(doc
        .as_object()
        .unwrap()
        .keys()
        .all(|k| allowed.contains_key(k)));
    assert_eq!(doc["templates"][0]["params"]["customers"], 300);
    assert_eq!(
        doc["templates"][0]["params"]["currency"], "USD",
        "defaults are written out"
    );
    assert_eq!(doc["templates"][1]["params"]["organizations"], 40);
    assert!(project.exists("shop/README.md") && project.exists("shop/pgmock.lock"));

    project
        .run_with(["generate", "shop/pgmock.json", "--locked", "-f", "shop.sql"])
        .success();
    let db = pg.fresh_db();
    db.psql_file(project.path("shop.sql"))
        .expect("the new project loads");
    constraints_valid(&db);
    assert_eq!(db.query("SELECT count(*) FROM public.customers"), "300");

    // Never overwrites; bad names and values are usage errors that write nothing.
    let again = project
        .run_with(["new", "shop", "--template", "saas"])
        .failure(2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
    assert!(project.read("shop/pgmock.json") == config);
    let typo = project
        .run_with(["new", "x", "--template", "ecomerce"])
        .failure(2);
    assert!(
        typo.stderr.contains("did you mean `ecommerce`"),
        "{}",
        typo.stderr
    );
    let bad = project
        .run_with(["new", "y", "-t", "saas", "-p", "organizations=lots"])
        .failure(2);
    assert!(bad.stderr.contains("whole number"), "{}", bad.stderr);
    assert!(!project.exists("x") && !project.exists("y/pgmock.json"));
}

/// `templates list` and `show` describe the library.
#[test]
fn templates_list_and_show() {
    let project = TestProject::new();
    let out = project.run_with(["templates", "list"]).success();
    for name in BUILTINS {
        assert!(
            out.stdout.lines().any(|l| l.starts_with(name)
                && l.contains("1.1.0, 1.0.0")
                && l.contains("built-in")),
            "{}",
            out.stdout
        );
    }
    let out = project
        .run_with(["templates", "show", "saas@~1.0"])
        .success();
    assert!(
        out.stdout.starts_with("saas@1.0.0 (built-in)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("organizations") && out.stdout.contains("default 200"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("1.1.0 (built-in): Adds"),
        "{}",
        out.stdout
    );
    project.run_with(["templates", "show", "nope"]).failure(2);
}

/// `schema` placement moves user types too, and the columns that use them follow.
#[test]
fn schema_placement_moves_types_and_their_uses() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"templates": ["healthcare", {"name": "healthcare", "schema": "clinic", "params": {"patients": 100}}]}"#,
    );
    let out = project.run_with(["resolve"]).success();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let moved = &doc["types"]["clinic.appointment_status"];
    assert_eq!(
        (moved["schema"].as_str(), moved["name"].as_str()),
        (Some("clinic"), Some("appointment_status"))
    );
    assert!(
        doc["types"].get("appointment_status").is_some(),
        "the unplaced copy keeps its own"
    );
    let uses = out.stdout.matches("\"clinic.appointment_status\"").count();
    assert!(
        uses >= 2,
        "the moved table's column uses the moved type ({uses})"
    );
    project.run_with(["validate"]).success();
}

/// 1.2.0 of the library uses what 1.x could not: declared rules and named
/// generators with a data file embedded in the binary.
#[test]
fn builtin_templates_use_declared_rules_and_named_generators() {
    let pg = require_pg!();
    let shop = TestProject::new().file("pgmock.json", r#"{"templates": ["ecommerce@=1.2.0"]}"#);
    shop.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(shop.path("out.sql")).expect("loads");
    let zero = |sql: &str| assert_eq!(db.query(sql), "0", "{sql}");
    zero("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.placed_at <= c.created_at");
    zero("SELECT count(*) FROM reviews r JOIN customers c ON c.id = r.customer_id WHERE r.created_at <= c.created_at");
    zero("SELECT count(*) FROM products WHERE sku !~ '^[A-Z]{3}-[0-9]{5}-[A-Z0-9]{2}$'");

    let clinic = TestProject::new().file("pgmock.json", r#"{"templates": ["healthcare@^1"]}"#);
    clinic.run_with(["generate", "-f", "out.sql"]).success();
    let db = pg.fresh_db();
    db.psql_file(clinic.path("out.sql")).expect("loads");
    let payers: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("template-library/healthcare/1.2.0/data/payers.csv"),
    )
    .unwrap()
    .lines()
    .skip(1)
    .map(|l| l.rsplit_once(',').unwrap().0.to_owned())
    .collect();
    for name in db
        .query("SELECT DISTINCT payer_name FROM insurance_plans")
        .lines()
    {
        assert!(
            payers.iter().any(|p| p == name),
            "{name} comes from data/payers.csv"
        );
    }
    assert_eq!(
        db.query("SELECT count(*) = count(DISTINCT payer_claim_id) AND bool_and(payer_claim_id ~ '^2[0-9][A-Z]{2}[0-9]{9}$') FROM insurance_claims"),
        "t"
    );
}

/// Issue 12: every built-in scenario that ships a realism contract keeps it
/// at two scales and two seeds, in plain and custom format, checked by
/// `pgmock templates verify` in a real server.
#[test]
fn builtin_realism_contracts_hold_at_two_scales_and_seeds() {
    let pg = require_pg!();
    let library = Path::new(env!("CARGO_MANIFEST_DIR")).join("template-library");
    let mut checked = 0;
    for name in BUILTINS {
        for version in versions(name) {
            if !library
                .join(name)
                .join(&version)
                .join("contract.json")
                .is_file()
            {
                continue;
            }
            checked += 1;
            let id = format!("{name}@={version}");
            let project = TestProject::new().env("PGMOCK_PG_BINDIR", pg.bindir());
            let out = project
                .run_with([
                    "templates",
                    "verify",
                    &id,
                    "--scale",
                    "0.3",
                    "--scale",
                    "2",
                    "--seed",
                    "1",
                    "--seed",
                    "7",
                    "-F",
                    "p",
                    "-F",
                    "c",
                ])
                .success();
            let passed = out
                .stdout
                .lines()
                .filter(|l| l.starts_with("ok      "))
                .count();
            assert_eq!(passed, 8, "{}", out.stdout);
            assert!(!out.stdout.contains("not checked"), "{}", out.stdout);
            assert!(!out.stdout.contains("FAILED"), "{}", out.stdout);
        }
    }
    assert!(checked >= 1, "no built-in template ships a contract");
}

/// Issue 12: `pgmock new --seed` takes text as `generate --seed` does (one
/// project per student), and writes it into the project as given.
#[test]
fn new_takes_a_text_seed() {
    let p = TestProject::new();
    p.run_with([
        "new",
        "alice",
        "--template",
        "ecommerce@^1",
        "--seed",
        "alice@school.edu",
        "--param",
        "customers=20",
    ])
    .success();
    assert!(p
        .read("alice/pgmock.json")
        .contains(r#""seed": "alice@school.edu""#));
    p.run_with(["generate", "alice/pgmock.json", "-f", "project.sql"])
        .success();
    p.run_with([
        "generate",
        "alice/pgmock.json",
        "--seed",
        "alice@school.edu",
        "-f",
        "flag.sql",
    ])
    .success();
    p.run_with([
        "generate",
        "alice/pgmock.json",
        "--seed",
        "bob@school.edu",
        "-f",
        "bob.sql",
    ])
    .success();
    assert!(p.read("project.sql") == p.read("flag.sql"));
    assert!(p.read("project.sql") != p.read("bob.sql"));
    p.run_with(["new", "blank", "--template", "ecommerce", "--seed", " "])
        .failure(2);
    assert!(!p.exists("blank/pgmock.json"));
}
