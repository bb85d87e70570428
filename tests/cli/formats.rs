//! The archive formats (`-F c|d|t`) restore with real pg_restore into the same
//! database the plain script makes, selectively too, and stay reproducible.

use std::path::Path;
use std::process::Command;

use crate::support::{require_pg, require_pg_version, Cluster, Database, TestProject};

/// Formats as `-F` spells them, the output name, and how pg_restore loads them.
const ARCHIVES: [(&str, &str, bool); 3] = [
    ("c", "out.dump", true),
    ("d", "out.dir", true),
    // The tar format cannot be restored in parallel.
    ("t", "out.tar", false),
];

fn example(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("read example")
}

/// A schema with range, list and hash partitions, keys and an index on them.
pub(crate) const PARTITIONED: &str = r#"{"database": {"name": "parts"}, "tables": {
  "devices": {"rows": 20, "columns": {"id": {"type": "integer", "primary_key": true}, "name": "text"}},
  "measurements": {"rows": 500, "columns": {"id": {"type": "bigint", "nullable": false}, "device_id": {"type": "integer", "references": "devices", "nullable": false}, "logdate": {"type": "date", "nullable": false}, "v": "integer"},
    "primary_key": ["id", "logdate"],
    "indexes": [{"columns": ["device_id"]}],
    "partition_by": {"strategy": "range", "columns": ["logdate"]},
    "partitions": {"m2023": {"from": ["2023-01-01"], "to": ["2024-01-01"]}, "m2024": {"from": ["2024-01-01"], "to": ["2025-01-01"]}}},
  "regions": {"rows": 100, "columns": {"id": "integer", "code": {"type": "text", "nullable": false}},
    "partition_by": {"strategy": "list", "columns": ["code"]},
    "partitions": {"eu": {"in": ["de", "fr"]}, "us": {"in": ["us"]}}},
  "hashed": {"rows": 300, "columns": {"id": {"type": "bigint", "primary_key": true}, "label": "text"},
    "partition_by": {"strategy": "hash", "columns": ["id"]},
    "partitions": {"h0": {"modulus": 3, "remainder": 0}, "h1": {"modulus": 3, "remainder": 1}, "h2": {"modulus": 3, "remainder": 2}}},
  "people": {"rows": 400, "columns": {"id": "integer", "last_name": {"type": "text", "nullable": false}},
    "partition_by": {"strategy": "range", "columns": ["last_name"]},
    "partitions": {"people_a_m": {"from": ["MINVALUE"], "to": ["M"]}, "people_m_z": {"from": ["M"], "to": ["MAXVALUE"]}}},
  "gauges": {"rows": 400, "columns": {"k": {"type": "real", "nullable": false}, "v": "integer"},
    "partition_by": {"strategy": "hash", "columns": ["k"]},
    "partitions": {"g0": {"modulus": 3, "remainder": 0}, "g1": {"modulus": 3, "remainder": 1}, "g2": {"modulus": 3, "remainder": 2}}},
  "levels": {"rows": 400, "columns": {"x": {"type": "real", "nullable": false, "generator": {"kind": "uniform", "min": 0, "max": 1}}},
    "partition_by": {"strategy": "range", "columns": ["x"]},
    "partitions": {"low": {"from": ["0"], "to": ["0.3"]}, "high": {"from": ["0.3"], "to": ["1.5"]}}}
}}"#;

/// What two restores of the same dump must agree on: per table its row count
/// and a hash of its rows; constraints and indexes by kind and definition;
/// sequence values.
pub(crate) fn fingerprint(db: &Database<'_>) -> String {
    let tables = db.query_rows(
        "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    );
    let mut out = String::new();
    for t in tables {
        let t = &t[0];
        out += &format!(
            "{t}: {}\n",
            db.query(&format!(
                "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '-') FROM {t} x"
            ))
        );
    }
    out += &db.query(
        "SELECT string_agg(d, E'\\n' ORDER BY d) FROM (SELECT format('%s %s %s %s', conrelid::regclass, contype, conname, pg_get_constraintdef(c.oid)) d \
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')) s",
    );
    out += "\n";
    out += &db.query(
        "SELECT string_agg(d, E'\\n' ORDER BY d) FROM (SELECT pg_get_indexdef(i.indexrelid) d FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')) s",
    );
    out += "\n";
    out += &db.query(
        "SELECT coalesce(string_agg(d, E'\\n' ORDER BY d), '') FROM (SELECT format('%s.%s %s', schemaname, sequencename, last_value) d FROM pg_sequences) s",
    );
    out
}

fn pg_restore(pg: &Cluster, args: &[&str]) -> String {
    let out = pg
        .command("pg_restore")
        .args(args)
        .output()
        .expect("run pg_restore");
    assert!(
        out.status.success(),
        "pg_restore {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `schema` in all four formats, restores each into a fresh database
/// (psql for plain, `pg_restore -j 2` for custom and directory, serial for
/// tar) and checks that every database equals the plain one.
fn restores_alike(pg: &'static Cluster, schema: &str) -> String {
    let project = TestProject::new().file("pgmock.json", schema);
    project.run_with(["generate", "-f", "out.sql"]).success();
    let plain = pg.fresh_db();
    plain
        .psql_file(project.path("out.sql"))
        .expect("the plain dump loads");
    let expected = fingerprint(&plain);
    assert!(expected.contains(": "), "some tables: {expected}");
    for (format, file, parallel) in ARCHIVES {
        project
            .run_with(["generate", "-F", format, "-f", file])
            .success();
        let db = pg.fresh_db();
        let path = project.path(file);
        let path = path.to_str().expect("utf-8 path");
        let mut args = vec!["--exit-on-error", path];
        if parallel {
            args.extend(["-j", "2"]);
        }
        db.pg_restore(&args)
            .unwrap_or_else(|e| panic!("-F {format} restores: {e}"));
        assert_eq!(
            fingerprint(&db),
            expected,
            "-F {format} restores the same database"
        );
    }
    expected
}

#[test]
fn shop_example_restores_alike_in_every_format() {
    let pg = require_pg!();
    restores_alike(pg, &example("shop"));
}

#[test]
fn saas_example_restores_alike_in_every_format() {
    let pg = require_pg!();
    restores_alike(pg, &example("saas"));
}

#[test]
fn partitioned_tables_restore_alike_in_every_format() {
    let pg = require_pg!();
    let fp = restores_alike(pg, PARTITIONED);
    assert!(fp.contains("public.h2: "), "{fp}");
    // A text range key's order is the collation's, so pgmock lets the
    // server route those rows: loaded through the partitioned table, which
    // pg_restore -j accepts too.
    for table in ["people_a_m", "people_m_z"] {
        assert!(fp.contains(&format!("public.{table}: ")), "{table}: {fp}");
    }
}

/// Hash partitions of an enum key depend on the enum's OIDs, which differ in
/// every database, so (as pg_dump does) their rows load through the
/// partitioned table: each partition's entry holds a slice of the rows,
/// marked `-- load via partition root`, and pg_restore -j must not
/// `TRUNCATE ONLY` the parent before loading it.
#[test]
fn unrouted_partitions_load_via_the_root_with_pg_restore_j() {
    let pg = require_pg!();
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"types": {"mood": {"enum": ["sad", "ok", "happy"]}}, "tables": {
          "feelings": {"rows": 3000, "columns": {"id": "integer", "m": {"type": "mood", "nullable": false}},
            "partition_by": {"strategy": "hash", "columns": ["m"]},
            "partitions": {"f0": {"modulus": 2, "remainder": 0}, "f1": {"modulus": 2, "remainder": 1}}}}}"#,
    );
    project.run_with(["generate", "-f", "out.sql"]).success();
    let script = std::fs::read_to_string(project.path("out.sql")).unwrap();
    assert!(
        script.contains(
            "-- Data for Name: f1; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n\
             -- load via partition root public.feelings\n\n\
             COPY public.feelings (id, m) FROM stdin;\n"
        ),
        "{script}"
    );
    project
        .run_with(["generate", "-F", "c", "-f", "out.dump"])
        .success();
    let db = pg.fresh_db();
    db.pg_restore(&[
        "--exit-on-error",
        "-j",
        "2",
        project.path("out.dump").to_str().unwrap(),
    ])
    .expect("pg_restore -j 2 loads partitions via their root");
    let counts = db.query_rows(
        "SELECT (SELECT count(*) FROM feelings), (SELECT count(*) FROM ONLY f0) + (SELECT count(*) FROM ONLY f1)",
    );
    assert_eq!(counts, vec![vec!["3000".to_owned(), "3000".to_owned()]]);
}

/// The newest pg_restore, into a server of its own version (pg_restore 18
/// sends `SET transaction_timeout`, which servers before 17 reject).
#[test]
fn every_format_restores_alike_with_pg_restore_18() {
    let pg = require_pg_version!(18);
    for schema in [example("shop"), example("saas"), PARTITIONED.to_owned()] {
        restores_alike(pg, &schema);
    }
    selective_restores(pg);
}

#[test]
fn selective_restores_work_on_custom_archives() {
    let pg = require_pg!();
    selective_restores(pg);
}

/// `-t`, `--section`, `-L` and a pipe behave as with an archive pg_dump wrote.
fn selective_restores(pg: &'static Cluster) {
    let project = TestProject::new().file("pgmock.json", example("shop"));
    project
        .run_with(["generate", "-F", "c", "-f", "shop.dump"])
        .success();
    let dump = project.path("shop.dump");
    let dump = dump.to_str().expect("utf-8 path");

    // -t: the table and its data only, no keys, no other tables.
    let db = pg.fresh_db();
    db.pg_restore(&["--exit-on-error", "-t", "customers", dump])
        .expect("-t customers restores");
    assert_eq!(db.query("SELECT count(*) FROM public.customers"), "1000");
    assert_eq!(
        db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
        "1"
    );

    // --section one at a time, in order, equals the whole.
    let whole = pg.fresh_db();
    whole
        .pg_restore(&["--exit-on-error", dump])
        .expect("restores");
    let parts = pg.fresh_db();
    for section in ["pre-data", "data", "post-data"] {
        parts
            .pg_restore(&["--exit-on-error", "--section", section, dump])
            .unwrap_or_else(|e| panic!("--section {section}: {e}"));
    }
    assert_eq!(fingerprint(&parts), fingerprint(&whole));

    // -L: a list with one TABLE DATA entry commented out restores all but that data.
    let list = pg_restore(pg, &["-l", dump]);
    let edited: String = list
        .lines()
        .map(|l| {
            if l.contains("TABLE DATA public products") {
                format!(";{l}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_ne!(edited, list, "the list names the products data");
    let list_file = project.path("list.txt");
    std::fs::write(&list_file, edited).expect("write list");
    let db = pg.fresh_db();
    // Foreign keys into products now fail, so only the data is restored.
    db.pg_restore(&[
        "--exit-on-error",
        "--section",
        "pre-data",
        "--section",
        "data",
        "-L",
        list_file.to_str().expect("utf-8"),
        dump,
    ])
    .expect("-L restores");
    assert_eq!(db.query("SELECT count(*) FROM public.products"), "0");
    assert_eq!(db.query("SELECT count(*) FROM public.customers"), "1000");

    // From a pipe (no seeking): the same script as from the file.
    let piped = Command::new(pg.bindir().join("pg_restore"))
        .args(["-f", "-"])
        .stdin(std::fs::File::open(dump).expect("open dump"))
        .output()
        .expect("run pg_restore");
    assert!(piped.status.success());
    let from_file = pg_restore(pg, &["-f", "-", dump]);
    assert_eq!(
        without_restrict(&String::from_utf8_lossy(&piped.stdout)),
        without_restrict(&from_file)
    );
}

/// pg_restore invents a fresh `\restrict` key each run; everything else is compared.
fn without_restrict(script: &str) -> String {
    script
        .lines()
        .filter(|l| !l.starts_with("\\restrict ") && !l.starts_with("\\unrestrict "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `pg_restore -f -` of each archive prints the script `-F p` writes, apart
/// from the `\restrict` key, which pg_restore chooses itself.
#[test]
fn pg_restore_scripts_equal_the_plain_output() {
    let pg = require_pg!();
    scripts_equal_plain(pg);
}

/// pg_restore 18 prints what `--target-version 18` writes.
#[test]
fn pg_restore_18_scripts_equal_the_plain_output() {
    let pg = require_pg_version!(18);
    scripts_equal_plain(pg);
}

fn scripts_equal_plain(pg: &'static Cluster) {
    let target = pg.major().to_string();
    for schema in [example("shop"), PARTITIONED.to_owned()] {
        let project = TestProject::new().file("pgmock.json", schema);
        let plain = project
            .run_with(["generate", "-F", "p", "--target-version", &target])
            .success()
            .stdout;
        for (format, file, _) in ARCHIVES {
            project
                .run_with([
                    "generate",
                    "-F",
                    format,
                    "-f",
                    file,
                    "--target-version",
                    &target,
                ])
                .success();
            let path = project.path(file);
            let script = pg_restore(pg, &["-f", "-", path.to_str().expect("utf-8")]);
            assert_eq!(
                without_restrict(&script),
                without_restrict(&plain),
                "-F {format} through pg_restore -f -"
            );
        }
    }
}

pub(crate) fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("dir entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read file"),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn archives_are_byte_identical_across_runs_and_jobs() {
    let project = TestProject::new().file("pgmock.json", example("shop"));
    for (format, file, _) in ARCHIVES {
        let a = format!("a-{file}");
        let b = format!("b-{file}");
        project
            .run_with(["generate", "-F", format, "-j", "1", "-f", &a])
            .success();
        project
            .run_with(["generate", "-F", format, "-j", "2", "-f", &b])
            .success();
        if format == "d" {
            let (fa, fb) = (files(&project.path(&a)), files(&project.path(&b)));
            assert!(fa.iter().any(|(n, _)| n == "toc.dat"));
            assert!(fa.iter().filter(|(n, _)| n.ends_with(".dat.gz")).count() >= 5);
            assert!(fa == fb, "-F d: same files with -j 1 and -j 2");
        } else {
            assert!(
                std::fs::read(project.path(&a)).ok() == std::fs::read(project.path(&b)).ok(),
                "-F {format}: same bytes"
            );
        }
    }
    // Another SOURCE_DATE_EPOCH changes only the header time.
    let other = TestProject::new()
        .file("pgmock.json", example("shop"))
        .env("SOURCE_DATE_EPOCH", "1700000000");
    other
        .run_with(["generate", "-F", "c", "-f", "c-out.dump"])
        .success();
    let (a, c) = (
        std::fs::read(project.path("a-out.dump")).expect("read"),
        std::fs::read(other.path("c-out.dump")).expect("read"),
    );
    assert_eq!(a.len(), c.len());
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != c[i]).collect();
    assert!(
        differing.iter().all(|&i| (16..51).contains(&i)),
        "only the creation time differs: {differing:?}"
    );
}

#[test]
fn compression_levels_and_stdout_archives_restore() {
    let pg = require_pg!();
    let project = TestProject::new().file("pgmock.json", example("shop"));
    project.run_with(["generate", "-f", "out.sql"]).success();
    let plain = pg.fresh_db();
    plain.psql_file(project.path("out.sql")).expect("loads");
    let expected = fingerprint(&plain);
    let sizes: Vec<u64> = ["0", "1", "9"]
        .iter()
        .map(|level| {
            let file = format!("z{level}.dump");
            project
                .run_with(["generate", "-F", "c", "-Z", level, "-f", &file])
                .success();
            let db = pg.fresh_db();
            let path = project.path(&file);
            db.pg_restore(&["--exit-on-error", "-j", "2", path.to_str().expect("utf-8")])
                .unwrap_or_else(|e| panic!("-Z {level}: {e}"));
            assert_eq!(fingerprint(&db), expected, "-Z {level}");
            std::fs::metadata(path).expect("stat").len()
        })
        .collect();
    assert!(
        sizes[0] > sizes[1],
        "-Z 0 stores, -Z 1 compresses: {sizes:?}"
    );
    assert!(
        sizes[1] > sizes[2],
        "-Z 9 compresses better than -Z 1: {sizes:?}"
    );

    // Written to stdout, a custom archive has no data offsets but restores serially.
    let out = project
        .run_with(["generate", "-F", "c", "-Z", "gzip:1"])
        .success();
    std::fs::write(project.path("stdout.dump"), &out.stdout_bytes).expect("write");
    let db = pg.fresh_db();
    db.pg_restore(&[
        "--exit-on-error",
        project.path("stdout.dump").to_str().expect("utf-8"),
    ])
    .expect("restores serially");
    assert_eq!(fingerprint(&db), expected);

    // Plain output with -Z is a gzip file of the script.
    project
        .run_with(["generate", "-Z", "6", "-f", "out.sql.gz"])
        .success();
    let gz = std::fs::read(project.path("out.sql.gz")).expect("read");
    assert_eq!(&gz[..2], [0x1f, 0x8b], "gzip magic");
}

#[test]
fn archive_flag_errors_are_clear() {
    let project = TestProject::new().file("pgmock.json", example("shop"));
    let out = project.run_with(["generate", "-F", "d"]).failure(2);
    assert!(out.stderr.contains("folder"), "{}", out.stderr);
    let out = project
        .run_with(["generate", "-F", "t", "-Z", "6", "-f", "x.tar"])
        .failure(2);
    assert!(out.stderr.contains("tar"), "{}", out.stderr);
    assert!(!project.exists("x.tar"));
    let out = project.run_with(["generate", "-F", "x"]).failure(2);
    assert!(out.stderr.contains("custom"), "{}", out.stderr);
    let out = project.run_with(["generate", "-Z", "gzip:12"]).failure(2);
    assert!(out.stderr.contains("0 to 9"), "{}", out.stderr);
    std::fs::create_dir(project.path("full")).expect("mkdir");
    std::fs::write(project.path("full/keep.txt"), "x").expect("write");
    let out = project
        .run_with(["generate", "-F", "d", "-f", "full"])
        .failure(2);
    assert!(out.stderr.contains("empty"), "{}", out.stderr);
    assert_eq!(files(&project.path("full")).len(), 1, "left untouched");
    // An existing empty folder is accepted, as by pg_dump.
    std::fs::create_dir(project.path("empty")).expect("mkdir");
    project
        .run_with(["generate", "-F", "d", "-f", "empty"])
        .success();
    assert!(project.exists("empty/toc.dat"));
    let leftovers: Vec<_> = std::fs::read_dir(project.dir())
        .expect("read dir")
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with(".pgmock-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");
}

/// More pg_restore options on a custom archive of the saas example (schema
/// `app`): `-n`, `-s` then `-a`, `--no-owner`, `--clean --if-exists` over an
/// existing restore, and `-C` from the DATABASE entry.
#[test]
fn pg_restore_options_behave_as_with_pg_dump_archives() {
    let pg = require_pg!();
    // A database name of its own, so -C cannot clash with other tests.
    let mut project_json: serde_json::Value = serde_json::from_str(&example("saas")).expect("json");
    project_json["database"]["name"] = "pgmock_restore_c".into();
    project_json["database"]["owner"] = "pgmock_no_such_role".into();
    let project = TestProject::new().file("pgmock.json", project_json.to_string());
    project
        .run_with(["generate", "-F", "c", "-f", "saas.dump"])
        .success();
    let dump = project.path("saas.dump");
    let dump = dump.to_str().expect("utf-8");
    let full = pg.fresh_db();
    // The owner role does not exist: --no-owner is what makes the restore work.
    assert!(full.pg_restore(&["--exit-on-error", dump]).is_err());
    let full = pg.fresh_db();
    full.pg_restore(&["--exit-on-error", "--no-owner", dump])
        .expect("restores without ownership");
    let expected = fingerprint(&full);

    let two_steps = pg.fresh_db();
    for part in ["-s", "-a"] {
        two_steps
            .pg_restore(&["--exit-on-error", "--no-owner", part, dump])
            .unwrap_or_else(|e| panic!("{part}: {e}"));
    }
    assert_eq!(fingerprint(&two_steps), expected, "-s then -a");

    // --clean --if-exists restores over the existing objects.
    full.pg_restore(&[
        "--exit-on-error",
        "--no-owner",
        "--clean",
        "--if-exists",
        dump,
    ])
    .expect("--clean --if-exists over itself");
    assert_eq!(fingerprint(&full), expected);

    // -n app: only objects of that schema (not the schema itself, nor the extension).
    let only_app = pg.fresh_db();
    only_app.query("CREATE SCHEMA app; CREATE EXTENSION citext");
    only_app
        .pg_restore(&["--no-owner", "-n", "app", dump])
        .expect("-n app");
    let schemas = only_app.query(
        "SELECT string_agg(DISTINCT schemaname, ',') FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    assert_eq!(schemas, "app");

    // -C creates the database the DATABASE entry names and restores into it.
    let admin = pg.fresh_db();
    admin
        .pg_restore(&["--exit-on-error", "--no-owner", "-C", dump])
        .expect("-C");
    let created =
        admin.query("SELECT count(*) FROM pg_database WHERE datname = 'pgmock_restore_c'");
    assert_eq!(created, "1");
}

/// Entry lines (those not starting with `;`) of a `-l` listing.
fn entry_lines(listing: &str) -> Vec<&str> {
    listing.lines().filter(|l| !l.starts_with(';')).collect()
}

/// `pgmock inspect` prints what `pg_restore -l` prints, for every format.
#[test]
fn inspect_lists_like_pg_restore() {
    let pg = require_pg!();
    inspect_matches(pg);
}

#[test]
fn inspect_lists_like_pg_restore_18() {
    let pg = require_pg_version!(18);
    inspect_matches(pg);
}

fn inspect_matches(pg: &'static Cluster) {
    for schema in [example("saas"), PARTITIONED.to_owned()] {
        let project = TestProject::new().file("pgmock.json", schema);
        for (format, file, _) in ARCHIVES {
            project
                .run_with(["generate", "-F", format, "-f", file])
                .success();
            let ours = project.run_with(["inspect", file]).success().stdout;
            let path = project.path(file);
            let theirs = pg_restore(pg, &["-l", path.to_str().expect("utf-8")]);
            assert!(entry_lines(&ours).len() > 20, "{ours}");
            assert_eq!(entry_lines(&ours), entry_lines(&theirs), "-F {format}");
        }
    }
}

/// Every data entry of a custom archive written to a file points at its own
/// block; written to stdout, none has a position.
#[test]
fn custom_archives_carry_data_offsets() {
    use pgmock::inspect::{self, DataLocation, OffsetFlag};
    let project = TestProject::new().file("pgmock.json", example("shop"));
    project
        .run_with(["generate", "-F", "c", "-f", "shop.dump"])
        .success();
    let path = project.path("shop.dump");
    let bytes = std::fs::read(&path).expect("read");
    let archive = inspect::read(&path).expect("parse");
    let mut blocks = 0;
    for e in archive.entries.iter().filter(|e| e.had_dumper) {
        let DataLocation::Block { flag, position } = e.data else {
            panic!("custom format")
        };
        assert_eq!(flag, OffsetFlag::PosSet);
        let at = usize::try_from(position).expect("offset");
        // Block type 1 (data), then the entry's dump id as an Int.
        assert_eq!(bytes[at], 1);
        assert_eq!(bytes[at + 1], 0, "positive dump id");
        let id = u32::from_le_bytes(bytes[at + 2..at + 6].try_into().expect("4 bytes"));
        assert_eq!(i64::from(id), i64::from(e.dump_id));
        blocks += 1;
    }
    assert_eq!(blocks, 5);
    let piped = project.run_with(["generate", "-F", "c"]).success();
    std::fs::write(project.path("piped.dump"), piped.stdout_bytes).expect("write");
    let archive = inspect::read(&project.path("piped.dump")).expect("parse");
    assert!(archive
        .entries
        .iter()
        .filter(|e| e.had_dumper)
        .all(|e| matches!(
            e.data,
            DataLocation::Block {
                flag: OffsetFlag::PosNotSet,
                ..
            }
        )));
    project
        .run_with(["inspect", "--verify", "piped.dump"])
        .success();
}

/// `--verify` passes sound archives and names the entry and byte offset of damage.
#[test]
fn inspect_verify_reports_damaged_data() {
    let project = TestProject::new().file("pgmock.json", example("shop"));
    for (format, file, _) in ARCHIVES {
        project
            .run_with(["generate", "-F", format, "-f", file])
            .success();
        let out = project.run_with(["inspect", "--verify", file]).success();
        assert!(
            out.stderr.contains("5 data entries verified, no problems"),
            "{}",
            out.stderr
        );
    }
    // Flip a byte in the middle of the orders data block (zlib-compressed).
    let path = project.path("out.dump");
    let archive = pgmock::inspect::read(&path).expect("parse");
    let orders = archive
        .entries
        .iter()
        .find(|e| e.had_dumper && e.tag.to_string_lossy() == "orders")
        .expect("orders data");
    let pgmock::inspect::DataLocation::Block { position, .. } = orders.data else {
        panic!("custom format")
    };
    let mut bytes = std::fs::read(&path).expect("read");
    let at = usize::try_from(position).expect("offset") + 2000;
    bytes[at] ^= 0x55;
    std::fs::write(project.path("bad.dump"), &bytes).expect("write");
    let out = project
        .run_with(["inspect", "--verify", "bad.dump"])
        .failure(2);
    let needle = format!("entry {} (orders)", orders.dump_id);
    assert!(out.stderr.contains(&needle), "{}", out.stderr);
    assert!(out.stderr.contains("byte"), "{}", out.stderr);
    // A truncated archive cannot even be listed past its end.
    std::fs::write(project.path("short.dump"), &bytes[..200]).expect("write");
    let out = project.run_with(["inspect", "short.dump"]).failure(2);
    assert!(out.stderr.contains("short.dump: at byte"), "{}", out.stderr);
    // Directory format: a data file cut short.
    let gz = project
        .path("out.dir")
        .join(format!("{}.dat.gz", orders.dump_id));
    let data = std::fs::read(&gz).expect("read");
    std::fs::write(&gz, &data[..data.len() / 2]).expect("write");
    let out = project
        .run_with(["inspect", "--verify", "out.dir"])
        .failure(2);
    assert!(out.stderr.contains(&needle), "{}", out.stderr);
    // Not an archive at all; a missing file.
    project.run_with(["inspect", "pgmock.json"]).failure(2);
    project.run_with(["inspect", "missing.dump"]).failure(1);
}

/// A foreign key to a partitioned table needs every partition's index
/// attached to the referenced key first: as pg_dump does, its entry depends
/// on the INDEX ATTACH entries, so `pg_restore -j` waits for them.
#[test]
fn foreign_keys_to_partitioned_tables_restore_with_pg_restore_j() {
    let pg = require_pg!();
    let schema = r#"{"tables": {
          "events": {"rows": 100,
            "columns": {"id": {"type": "bigint", "generator": "sequence"}, "day": {"type": "date", "nullable": false}, "code": {"type": "integer", "generator": "sequence"}},
            "primary_key": ["id", "day"],
            "unique": [{"columns": ["code", "day"]}],
            "partition_by": {"strategy": "range", "columns": ["day"]},
            "partitions": {"e1": {"from": "2020-01-01", "to": "2023-01-01"}, "e2": {"from": "2023-01-01", "to": "2025-01-02"}}},
          "refs": {"rows": 100,
            "columns": {"id": {"type": "integer", "primary_key": true}, "event_id": "bigint", "event_day": "date"},
            "foreign_keys": [{"columns": ["event_id", "event_day"], "references": "events"}]},
          "coded": {"rows": 100,
            "columns": {"id": {"type": "integer", "primary_key": true}, "event_code": "integer", "event_day": "date"},
            "foreign_keys": [{"columns": ["event_code", "event_day"], "references": {"table": "events", "columns": ["code", "day"]}}]}}}"#;
    // Custom and directory archives restore with `pg_restore -j 2` into the
    // plain dump's database, foreign keys included.
    let fp = restores_alike(pg, schema);
    for fk in [
        "refs f refs_event_id_event_day_fkey FOREIGN KEY (event_id, event_day) REFERENCES events(id, day)",
        "coded f coded_event_code_event_day_fkey FOREIGN KEY (event_code, event_day) REFERENCES events(code, day)",
    ] {
        assert!(fp.contains(fk), "{fk} in {fp}");
    }
    assert!(
        fp.contains("public.refs: 100 ") && fp.contains("public.coded: 100 "),
        "{fp}"
    );
}
