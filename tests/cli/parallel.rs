//! `-j` splits tables into row segments generated, encoded and compressed on
//! several threads: the output is byte-identical for every `-j`, and the
//! joined compression pieces restore with real pg_restore.

use crate::formats::{files, fingerprint};
use crate::support::{require_pg, require_pg_version, Cluster, TestProject};

/// Tables of more than one segment (32,768 rows), one of them partitioned.
const BIG: &str = r#"{"database": {"name": "big"}, "tables": {
  "users": {"rows": 1000, "columns": {"id": {"type": "integer", "primary_key": true}, "email": "text", "created_at": "timestamptz"}},
  "events": {"rows": 70000, "columns": {"id": {"type": "bigint", "primary_key": true}, "user_id": {"type": "integer", "references": "users"},
      "kind": {"type": "text", "generator": {"kind": "weighted", "choices": {"view": 80, "click": 15, "buy": 5}}},
      "amount": {"type": "numeric(10,2)", "null_ratio": 0.2}, "at": "timestamptz", "note": "text"}},
  "readings": {"rows": 70000, "columns": {"id": {"type": "bigint", "nullable": false}, "sensor": {"type": "integer", "nullable": false}, "v": "double precision"},
      "partition_by": {"strategy": "hash", "columns": ["sensor"]},
      "partitions": {"r0": {"modulus": 2, "remainder": 0}, "r1": {"modulus": 2, "remainder": 1}}}
}}"#;

const FORMATS: [(&str, &str); 4] = [
    ("p", "out.sql"),
    ("c", "out.dump"),
    ("d", "out.dir"),
    ("t", "out.tar"),
];

fn same_output(project: &TestProject, format: &str, a: &str, b: &str) -> bool {
    if format == "d" {
        files(&project.path(a)) == files(&project.path(b))
    } else {
        std::fs::read(project.path(a)).ok() == std::fs::read(project.path(b)).ok()
    }
}

#[test]
fn every_format_is_byte_identical_for_any_jobs() {
    let project = TestProject::new().file("pgmock.json", BIG);
    let compressed = [
        ("c", "gzip:1"),
        ("c", "zstd"),
        ("c", "lz4"),
        ("c", "0"),
        ("d", "zstd"),
        ("d", "lz4"),
        ("p", "gzip"),
    ];
    let runs = FORMATS
        .iter()
        .map(|&(format, _)| (format, None))
        .chain(compressed.iter().map(|&(format, z)| (format, Some(z))));
    for (n, (format, z)) in runs.enumerate() {
        let (a, b) = (format!("j1-{n}"), format!("j3-{n}"));
        for (jobs, file) in [("1", &a), ("3", &b)] {
            let mut args = vec!["generate", "-F", format, "-j", jobs, "-f", file];
            args.extend(z.iter().flat_map(|z| ["-Z", *z]));
            project.run_with(args).success();
        }
        assert!(
            same_output(&project, format, &a, &b),
            "-F {format} -Z {z:?}"
        );
    }
    for (jobs, file) in [("1", "i1.sql"), ("3", "i3.sql")] {
        project
            .run_with(["generate", "--rows-per-insert", "7", "-j", jobs, "-f", file])
            .success();
    }
    assert!(
        same_output(&project, "p", "i1.sql", "i3.sql"),
        "--rows-per-insert"
    );
    // A routed partition's statements group its own rows from its first
    // one, across segment boundaries: 7 rows each, except the last.
    let script = std::fs::read_to_string(project.path("i3.sql")).unwrap();
    for table in ["events", "r0", "r1"] {
        let head = format!("INSERT INTO public.{table} VALUES\n");
        let sizes: Vec<usize> = script
            .split(head.as_str())
            .skip(1)
            .map(|s| s.split(";\n").next().unwrap().lines().count())
            .collect();
        let (last, full) = sizes.split_last().expect("statements");
        assert!(full.len() > 1000, "{table}: {} statements", sizes.len());
        assert!(full.iter().all(|&n| n == 7), "{table}: {sizes:?}");
        assert!((1..=7).contains(last), "{table}: last has {last}");
    }
}

/// Compression pieces joined into one zlib stream (custom) or several gzip
/// members (directory) restore, in parallel, to the plain dump's database.
fn joined_pieces_restore(pg: &'static Cluster) {
    let project = TestProject::new().file("pgmock.json", BIG);
    project
        .run_with(["generate", "-j", "2", "-f", "out.sql"])
        .success();
    let plain = pg.fresh_db();
    plain.psql_file(project.path("out.sql")).expect("loads");
    let expected = fingerprint(&plain);
    assert!(expected.contains("public.events: 70000 "), "{expected}");
    restore_each(
        pg,
        &project,
        &expected,
        &[
            ("c", "out.dump", "6"),
            ("c", "z1.dump", "1"),
            ("d", "out.dir", "6"),
        ],
    );
    // INSERTs batched across segment boundaries load too.
    project
        .run_with([
            "generate",
            "--rows-per-insert",
            "1000",
            "-j",
            "2",
            "-f",
            "ins.sql",
        ])
        .success();
    let db = pg.fresh_db();
    db.psql_file(project.path("ins.sql")).expect("loads");
    assert_eq!(fingerprint(&db), expected, "--rows-per-insert 1000");
}

#[test]
fn joined_compression_pieces_restore() {
    let pg = require_pg!();
    joined_pieces_restore(pg);
}

#[test]
fn joined_compression_pieces_restore_with_pg_restore_18() {
    let pg = require_pg_version!(18);
    joined_pieces_restore(pg);
}

/// The rows of every COPY block, by table.
fn copy_rows(script: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut tables = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in script.lines() {
        if let Some(rest) = line.strip_prefix("COPY ") {
            let name = rest.split(' ').next().unwrap_or_default().to_owned();
            tables.entry(name.clone()).or_insert_with(Vec::new);
            current = Some(name);
        } else if line == "\\." {
            current = None;
        } else if let Some(t) = &current {
            tables.get_mut(t).expect("table seen").push(line.to_owned());
        }
    }
    tables
}

fn example(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("read example")
}

/// `--shard K/N` slices, concatenated in order, are exactly the single run's
/// rows, for plain tables, per-parent tables and partitions alike.
#[test]
fn shards_concatenated_equal_the_single_run() {
    for schema in [example("shop"), BIG.to_owned()] {
        let project = TestProject::new().file("pgmock.json", schema);
        let full = copy_rows(&project.run_with(["generate", "-a"]).success().stdout);
        let mut joined: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for k in 1..=3 {
            let shard = format!("{k}/3");
            let out = project
                .run_with(["generate", "--shard", &shard, "-a", "-j", "2"])
                .success();
            for (table, rows) in copy_rows(&out.stdout) {
                joined.entry(table).or_default().extend(rows);
            }
        }
        assert!(full.values().map(Vec::len).sum::<usize>() > 1000);
        assert_eq!(joined, full);
    }
    let project = TestProject::new().file("pgmock.json", BIG);
    let err = project.run_with(["generate", "--shard", "4/3"]).failure(2);
    assert!(err.stderr.contains("K/N"), "{}", err.stderr);
}

/// The documented recipe: shard 1 holds the schema, every shard its rows;
/// pre-data once, all data, then post-data gives the single run's database.
#[test]
fn shards_load_into_the_single_run_database() {
    let pg = require_pg!();
    let project = TestProject::new().file("pgmock.json", example("shop"));
    project.run_with(["generate", "-f", "full.sql"]).success();
    let full = pg.fresh_db();
    full.psql_file(project.path("full.sql")).expect("loads");
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let file = format!("shard{k}.dump");
        project
            .run_with(["generate", "-F", "c", "--shard", &shard, "-f", &file])
            .success();
    }
    let db = pg.fresh_db();
    let path = |k: u32| {
        project
            .path(format!("shard{k}.dump"))
            .to_string_lossy()
            .into_owned()
    };
    db.pg_restore(&["--exit-on-error", "--section", "pre-data", &path(1)])
        .expect("schema from shard 1");
    for k in 1..=3 {
        db.pg_restore(&["--exit-on-error", "--section", "data", &path(k)])
            .unwrap_or_else(|e| panic!("data of shard {k}: {e}"));
    }
    db.pg_restore(&["--exit-on-error", "--section", "post-data", &path(1)])
        .expect("keys from shard 1");
    assert_eq!(fingerprint(&db), fingerprint(&full));
}

/// lz4 and zstd archives (version 1.15) of multi-segment tables restore with
/// pg_restore 16 and 18: each piece is a frame, and in the custom format
/// every frame ends a chunk, as pg_restore's zstd reader needs.
fn lz4_and_zstd_restore(pg: &'static Cluster) {
    let project = TestProject::new().file("pgmock.json", BIG);
    project.run_with(["generate", "-f", "out.sql"]).success();
    let plain = pg.fresh_db();
    plain.psql_file(project.path("out.sql")).expect("loads");
    let expected = fingerprint(&plain);
    restore_each(
        pg,
        &project,
        &expected,
        &[
            ("c", "zstd.dump", "zstd"),
            ("c", "lz4.dump", "lz4"),
            ("d", "zstd.dir", "zstd:5"),
            ("d", "lz4.dir", "lz4"),
        ],
    );
}

/// Writes each (format, file, -Z) with `-j 2`, restores it with `pg_restore -j 2`,
/// compares the database with `expected` and verifies the archive.
fn restore_each(
    pg: &'static Cluster,
    project: &TestProject,
    expected: &str,
    runs: &[(&str, &str, &str)],
) {
    for &(format, file, z) in runs {
        project
            .run_with(["generate", "-F", format, "-Z", z, "-j", "2", "-f", file])
            .success();
        let db = pg.fresh_db();
        let path = project.path(file);
        db.pg_restore(&["--exit-on-error", "-j", "2", path.to_str().expect("utf-8")])
            .unwrap_or_else(|e| panic!("-F {format} -Z {z}: {e}"));
        assert_eq!(fingerprint(&db), expected, "-F {format} -Z {z}");
        project.run_with(["inspect", "--verify", file]).success();
    }
}

#[test]
fn lz4_and_zstd_archives_restore_with_pg_restore_16() {
    let pg = require_pg_version!(16);
    lz4_and_zstd_restore(pg);
}

#[test]
fn lz4_and_zstd_archives_restore_with_pg_restore_18() {
    let pg = require_pg_version!(18);
    lz4_and_zstd_restore(pg);
}
