use crate::support::TestProject;

/// Plain output of each small schema in `tests/fixtures/valid`, reviewed by hand.
#[test]
fn plain_output_snapshots() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"),
        "valid/*.json",
        |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let out = TestProject::new()
                .file("pgmock.json", text)
                .args(["generate"])
                .run()
                .success();
            insta::assert_snapshot!(out.stdout);
        }
    );
}
