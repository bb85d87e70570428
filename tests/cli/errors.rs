use crate::support::TestProject;

/// Each file of the bad-input corpus (`tests/bad/`) gets exit code 2, a
/// reviewed error message and no output file.
#[test]
fn invalid_inputs_give_clear_errors() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad"),
        "*.json",
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
    // psql compares the key with the rest of its line: letters and digits only.
    project
        .run_with(["generate", "--restrict-key", "bad key!"])
        .failure(2);
    project
        .run_with(["generate", "--no-restrict-key", "--restrict-key", "abc"])
        .failure(2);
    let out = project.run_with(["generate", "-t", "nothere"]).failure(2);
    assert!(out.stderr.contains("no matching tables"), "{}", out.stderr);
    for format in ["p", "d"] {
        let out = project
            .run_with(["generate", "-F", format, "-f", "nodir/out"])
            .failure(1);
        assert_eq!(
            out.stderr, "error: nodir/out: the folder `nodir` does not exist\n",
            "names the missing folder, not a temporary file"
        );
    }
    project.run_with(["validate"]).success();
    // A byte-order mark, as Windows editors write one, is not an error.
    let bom = TestProject::new().file(
        "pgmock.json",
        "\u{feff}{\"tables\": {\"t\": {\"columns\": {\"a\": \"int\"}}}}",
    );
    bom.run_with(["validate"]).success();
}

/// Ctrl-C, `kill` and a closed terminal stop a run cleanly: no temporary
/// file or folder is left, in any format, and the exit code is 128 + the
/// signal's number, as a shell reports it.
#[test]
fn signals_stop_cleanly_and_leave_no_file() {
    let project = TestProject::new().file("pgmock.json", r#"{"tables": {"t": {"rows": 50000000, "columns": {"id": {"type": "bigint", "primary_key": true}, "note": "text"}}}}"#);
    for (signal, code, format, output) in [
        ("INT", 130, "p", "big.sql"),
        ("TERM", 143, "p", "big.sql"),
        ("TERM", 143, "t", "big.tar"),
        ("HUP", 129, "d", "big.dir"),
    ] {
        let child = std::process::Command::new(crate::support::pgmock_bin())
            .args(["generate", "-F", format, "-Z", "0", "-f", output])
            .current_dir(project.dir())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Let it get well into writing data before stopping it.
        std::thread::sleep(std::time::Duration::from_millis(700));
        let status = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "SIG{signal}: {stderr}");
        let files: Vec<String> = std::fs::read_dir(project.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            files,
            vec!["pgmock.json".to_owned()],
            "SIG{signal} -F {format}"
        );
    }
}

/// `-f` naming a device or a named pipe writes into it, as pg_dump does,
/// instead of renaming a temporary file over it (which would replace
/// `/dev/null` with a regular file).
#[test]
fn devices_and_named_pipes_are_written_in_place() {
    use std::os::unix::fs::FileTypeExt as _;
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"rows": 50, "columns": {"id": "bigserial", "name": "text"}}}}"#,
    );
    // A named pipe stands for every such file: a test on /dev/null itself
    // would break the machine if it regressed.
    let fifo = project.path("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    project
        .run_with(["generate", "-F", "c", "-f", "pipe"])
        .success();
    // Checked before joining the reader, which would wait forever on a
    // pipe that was renamed over.
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the pipe is still a pipe"
    );
    let through_pipe = reader.join().unwrap();
    let to_stdout = project.run_with(["generate", "-F", "c"]).success();
    assert_eq!(
        through_pipe, to_stdout.stdout_bytes,
        "a pipe gets the archive stdout gets (no data offsets)"
    );
}

/// `-F d -f LINK`, where LINK points at an empty folder, writes the archive
/// into that folder, as pg_dump does, and leaves no temporary folder.
#[test]
fn directory_format_writes_through_a_link_to_an_empty_folder() {
    let project = TestProject::new().file(
        "pgmock.json",
        r#"{"tables": {"t": {"rows": 5, "columns": {"id": "integer"}}}}"#,
    );
    std::fs::create_dir(project.path("real")).unwrap();
    std::os::unix::fs::symlink("real", project.path("link")).unwrap();
    project
        .run_with(["generate", "-F", "d", "-f", "link"])
        .success();
    assert!(
        project.path("real/toc.dat").exists(),
        "written into the folder"
    );
    assert!(
        std::fs::symlink_metadata(project.path("link"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    let leftovers: Vec<_> = std::fs::read_dir(project.dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pgmock-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// An archive's creation time comes from `SOURCE_DATE_EPOCH`; a value that is
/// not whole seconds since 1970 is refused (the reproducible-builds rule)
/// rather than replaced by a guess. Plain scripts carry no time.
#[test]
fn a_malformed_source_date_epoch_is_refused_for_archives() {
    let project = TestProject::new()
        .file(
            "pgmock.json",
            r#"{"tables": {"t": {"rows": 5, "columns": {"id": "integer"}}}}"#,
        )
        .env("SOURCE_DATE_EPOCH", "abc");
    let out = project
        .run_with(["generate", "-F", "c", "-f", "out.dump"])
        .failure(2);
    assert!(out.stderr.contains("SOURCE_DATE_EPOCH"), "{}", out.stderr);
    assert!(!project.exists("out.dump"));
    project.run_with(["generate", "-f", "out.sql"]).success();
}

/// Deeply nested CHECKs and column templates used to overflow the stack (exit 134); now
/// the check is merely not understood and the template is an error (#11).
#[test]
fn issue_11_deep_nesting_is_not_a_crash() {
    let n = 100_000;
    let check = format!("{}a > 0{}", "(".repeat(n), ")".repeat(n));
    let project = TestProject::new().file(
        "pgmock.json",
        serde_json::json!({"tables": {"t": {"rows": 3, "columns": {"a": "int"}, "checks": [check]}}})
            .to_string(),
    );
    let out = project.run_with(["validate"]);
    assert!(matches!(out.status_code, 0 | 2), "{}", out.stderr);

    let ifs = format!(
        "{}x{}",
        "{% if true %}".repeat(5000),
        "{% endif %}".repeat(5000)
    );
    let project = TestProject::new().file(
        "pgmock.json",
        serde_json::json!({"tables": {"t": {"rows": 3, "columns": {"a": {"type": "text", "template": ifs}}}}})
            .to_string(),
    );
    let out = project.run_with(["validate"]).failure(2);
    assert!(
        out.stderr.contains("the template nests 5000 levels deep"),
        "{}",
        out.stderr
    );
}
