use crate::support::{require_pg, TestProject};

fn shop() -> String {
    std::fs::read_to_string(format!("{}/examples/shop.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn data_lines(sql: &str, table: &str) -> Vec<String> {
    let start = sql
        .find(&format!("COPY public.{table} ("))
        .expect("COPY block");
    sql[start..]
        .lines()
        .skip(1)
        .take_while(|l| *l != "\\.")
        .map(str::to_owned)
        .collect()
}

#[test]
fn same_seed_gives_identical_bytes_and_another_seed_other_data() {
    let project = TestProject::new().file("pgmock.json", shop());
    project.run_with(["generate", "-f", "a.sql"]).success();
    project.run_with(["generate", "-f", "b.sql"]).success();
    project
        .run_with(["generate", "-f", "c.sql", "--seed", "7"])
        .success();
    let (a, b, c) = (
        project.read("a.sql"),
        project.read("b.sql"),
        project.read("c.sql"),
    );
    assert_eq!(a, b);
    assert_ne!(data_lines(&a, "customers"), data_lines(&c, "customers"));
    // The schema part does not depend on the seed.
    assert_eq!(
        a[..a.find("COPY").unwrap()]
            .lines()
            .filter(|l| !l.starts_with("\\restrict"))
            .collect::<Vec<_>>(),
        c[..c.find("COPY").unwrap()]
            .lines()
            .filter(|l| !l.starts_with("\\restrict"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn table_subset_has_exactly_the_rows_of_the_full_run() {
    let project = TestProject::new().file("pgmock.json", shop());
    project.run_with(["generate", "-f", "full.sql"]).success();
    project
        .run_with([
            "generate",
            "-t",
            "orders",
            "-t",
            "order_items",
            "-f",
            "part.sql",
        ])
        .success();
    let (full, part) = (project.read("full.sql"), project.read("part.sql"));
    for table in ["orders", "order_items"] {
        assert_eq!(
            data_lines(&full, table),
            data_lines(&part, table),
            "{table}"
        );
    }
    assert!(!part.contains("COPY public.customers"));
    assert!(!part.contains("CREATE TABLE public.customers"));
}

#[test]
fn changing_one_generator_leaves_other_columns_alone() {
    let base = shop();
    let edited = base.replace("\"mu\": 3.5", "\"mu\": 5.5");
    let project = TestProject::new()
        .file("a.json", base)
        .file("b.json", edited);
    project
        .run_with(["generate", "a.json", "-f", "a.sql"])
        .success();
    project
        .run_with(["generate", "b.json", "-f", "b.sql"])
        .success();
    let (a, b) = (
        data_lines(&project.read("a.sql"), "orders"),
        data_lines(&project.read("b.sql"), "orders"),
    );
    assert_eq!(a.len(), b.len());
    let mut changed = 0;
    for (x, y) in a.iter().zip(&b) {
        let (x, y): (Vec<&str>, Vec<&str>) = (x.split('\t').collect(), y.split('\t').collect());
        for col in [0, 1, 2, 4, 5] {
            assert_eq!(x[col], y[col]);
        }
        changed += usize::from(x[3] != y[3]);
    }
    assert!(changed > a.len() / 2, "the edited column changed");
}

#[test]
fn data_only_file_loads_into_schema_only_file() {
    let pg = require_pg!();
    let project = TestProject::new().file("pgmock.json", shop());
    project
        .run_with(["generate", "-s", "-f", "schema.sql"])
        .success();
    project
        .run_with(["generate", "-a", "-f", "data.sql"])
        .success();
    let schema = project.read("schema.sql");
    assert!(!schema.contains("COPY "));
    assert!(
        project
            .read("data.sql")
            .find("COPY public.customers")
            .unwrap()
            < project.read("data.sql").find("COPY public.orders").unwrap(),
        "parents first"
    );
    // The whole schema first, so the data goes in with every constraint
    // already in place, as it would after migrations.
    let db = pg.fresh_db();
    db.psql_file(project.path("schema.sql"))
        .expect("schema loads");
    db.psql_file(project.path("data.sql"))
        .expect("data loads into the existing schema");
    assert_eq!(db.query("SELECT count(*) FROM public.customers"), "1000");
}

/// Issue 12: `--seed` takes any text, so each person can get a dataset of
/// their own. The same text gives the same bytes, another text other data,
/// and the project's `seed` takes text with the same meaning.
#[test]
fn text_seeds_give_one_dataset_per_text() {
    let project = TestProject::new().file("pgmock.json", shop()).file(
        "alice.json",
        shop().replace("\"seed\": 42", "\"seed\": \"alice@school.edu\""),
    );
    let run = |args: &[&str]| project.run_with(args).success();
    run(&["generate", "--seed", "alice@school.edu", "-f", "a1.sql"]);
    run(&["generate", "--seed", "alice@school.edu", "-f", "a2.sql"]);
    run(&["generate", "--seed", "bob@school.edu", "-f", "b.sql"]);
    run(&["generate", "alice.json", "-f", "a3.sql"]);
    let (a1, a2, a3, b) = (
        project.read("a1.sql"),
        project.read("a2.sql"),
        project.read("a3.sql"),
        project.read("b.sql"),
    );
    assert!(a1 == a2, "the same text gives the same bytes");
    assert!(
        a1 == a3,
        "a text `seed` in the project means what `--seed` means"
    );
    assert_ne!(data_lines(&a1, "customers"), data_lines(&b, "customers"));
    assert_ne!(data_lines(&a1, "orders"), data_lines(&b, "orders"));
    // The summary shows the text, ready to be given again.
    let out = run(&[
        "generate",
        "-v",
        "--seed",
        "alice@school.edu",
        "-f",
        "a4.sql",
    ]);
    assert!(
        out.stderr.contains("(seed \"alice@school.edu\")"),
        "{}",
        out.stderr
    );
    // Blank text is a mistake (an unset shell variable), not a seed.
    for blank in ["", "  "] {
        let out = project
            .run_with(["generate", "--seed", blank, "-f", "x.sql"])
            .failure(2);
        assert!(out.stderr.contains("`--seed`"), "{}", out.stderr);
    }
    assert!(!project.exists("x.sql"));
}

/// A number keeps meaning that number, however it is written: `--seed 42`
/// and `"seed": "42"` give exactly the recorded golden output of the shop
/// example (whose own seed is 42), as before text seeds existed.
#[test]
fn numbers_given_as_text_are_those_numbers() {
    use sha2::{Digest, Sha256};
    let golden = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/outputs.txt"
    ))
    .unwrap();
    let recorded = golden
        .lines()
        .find_map(|l| l.strip_prefix("shop.json -F p "))
        .expect("the shop example's plain hash");
    let project = TestProject::new()
        .file("other.json", shop().replace("\"seed\": 42", "\"seed\": 5"))
        .file(
            "text.json",
            shop().replace("\"seed\": 42", "\"seed\": \"42\""),
        );
    project
        .run_with(["generate", "other.json", "--seed", "42", "-f", "flag.sql"])
        .success();
    project
        .run_with(["generate", "text.json", "-f", "text.sql"])
        .success();
    for file in ["flag.sql", "text.sql"] {
        let digest: String = Sha256::digest(std::fs::read(project.path(file)).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(digest, recorded, "{file}");
    }
}
