//! The harness starts a cluster of each requested PostgreSQL major version, and the plain
//! output written for that version loads into it with that version's `psql`.

use crate::support::{require_pg_version, Cluster, TestProject};

/// Generates the shop example for `pg`'s version, loads it with `pg`'s own `psql` and checks
/// that the rows arrived in a server of that version.
fn shop_example_loads_into(pg: &'static Cluster) {
    let path = format!("{}/examples/shop.json", env!("CARGO_MANIFEST_DIR"));
    let json = fs_err::read_to_string(path).expect("read the shop example");
    let target = pg.major().to_string();
    let project = TestProject::new().file("pgmock.json", json).args([
        "generate",
        "--target-version",
        &target,
        "-f",
        "out.sql",
    ]);
    project.run().success();
    let db = pg.fresh_db();
    let loaded = db.psql_file(project.path("out.sql"));
    loaded.unwrap_or_else(|err| panic!("the dump loads with ON_ERROR_STOP: {err}"));
    // The harness could hand out the wrong installation; the server says which one it is.
    let server = db.query("SELECT current_setting('server_version_num')::int / 10000");
    assert_eq!(server, target);
    assert_eq!(db.query("SELECT count(*) FROM public.customers"), "1000");
}

#[test]
fn shop_example_loads_into_postgres_15() {
    let pg = require_pg_version!(15);
    shop_example_loads_into(pg);
}

#[test]
fn shop_example_loads_into_postgres_18() {
    let pg = require_pg_version!(18);
    shop_example_loads_into(pg);
}

/// Identity columns of a partitioned table belong to the table, not to its
/// partitions: PostgreSQL 17 and newer refuse to attach a partition that has
/// one of its own ("being attached contains an identity column").
fn partitioned_identity_loads_into(pg: &'static Cluster) {
    let target = pg.major().to_string();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"p": {"rows": 40, "columns": {"id": {"type": "bigint", "identity": "always"}, "v": "text"},
            "partition_by": {"strategy": "hash", "columns": ["id"]},
            "partitions": {"p0": {"modulus": 2, "remainder": 0}, "p1": {"modulus": 2, "remainder": 1}}}}}"#,
    );
    for inserts in [false, true] {
        let mut args = vec!["generate", "--target-version", &target, "-f", "out.sql"];
        if inserts {
            args.push("--inserts");
        }
        project.run_with(args).success();
        let db = pg.fresh_db();
        db.psql_file(project.path("out.sql"))
            .unwrap_or_else(|err| panic!("loads (inserts: {inserts}): {err}"));
        assert_eq!(db.query("SELECT count(*) FROM p"), "40");
        // The identity goes on from the rows written.
        db.query("INSERT INTO p (v) VALUES ('new')");
        assert_eq!(db.query("SELECT max(id) FROM p"), "41");
    }
}

#[test]
fn partitioned_identity_loads_into_postgres_15() {
    let pg = require_pg_version!(15);
    partitioned_identity_loads_into(pg);
}

#[test]
fn partitioned_identity_loads_into_postgres_18() {
    let pg = require_pg_version!(18);
    partitioned_identity_loads_into(pg);
}
