use crate::support::TestProject;

/// Each bad input gets exit code 2, a reviewed error message and no output file.
#[test]
fn invalid_inputs_give_clear_errors() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"),
        "invalid/*.json",
        |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let project = TestProject::new()
                .file("pgmock.json", text)
                .args(["generate", "-f", "out.sql"]);
            let out = project.run().failure(2);
            assert!(
                !project.exists("out.sql"),
                "no output file after a failed run"
            );
            let leftovers: Vec<_> = std::fs::read_dir(project.dir())
                .unwrap()
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
                .collect();
            assert!(leftovers.is_empty(), "no temp files left behind");
            insta::assert_snapshot!(out.stderr);
            // `validate` agrees, with the same exit code.
            project.run_with(["validate"]).failure(2);
        }
    );
}

#[test]
fn existing_output_is_not_clobbered_by_a_failed_run() {
    let project = TestProject::new()
        .file("out.sql", "precious")
        .file(
            "pgmock.json",
            "{\"tables\": {\"t\": {\"columns\": {\"a\": \"nosuchtype\"}}}}",
        )
        .args(["generate", "-f", "out.sql"]);
    project.run().failure(2);
    assert_eq!(project.read("out.sql"), "precious");
}

#[test]
fn missing_input_exits_1_and_bad_flags_exit_2() {
    let out = TestProject::new().args(["validate"]).run().failure(1);
    assert!(
        out.stderr.contains("cannot find `pgmock.json`"),
        "{}",
        out.stderr
    );
    let project = TestProject::new().file(
        "pgmock.json",
        "{\"tables\": {\"t\": {\"columns\": {\"a\": \"int\"}}}}",
    );
    let out = project.run_with(["generate", "--rows", "t:5"]).failure(2);
    assert!(out.stderr.contains("TABLE=N"), "{}", out.stderr);
    project.run_with(["generate", "--no-such-flag"]).failure(2);
    let out = project.run_with(["generate", "-t", "nothere"]).failure(2);
    assert!(out.stderr.contains("no matching tables"), "{}", out.stderr);
    project.run_with(["validate"]).success();
}
