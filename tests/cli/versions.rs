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
