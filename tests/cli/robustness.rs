//! No panic anywhere: every subcommand with a closed pipe, a full disk or a
//! closed descriptor on stdout or stderr, and project files that are not UTF-8.
//! Issue 11, item 2.

use std::fs::File;
use std::process::{Command, Stdio};

use crate::support::TestProject;

const PROJECT: &str =
    r#"{"tables": {"t": {"rows": 20, "columns": {"id": "bigserial", "name": "text"}}}}"#;

/// Command lines that cover every subcommand which writes something.
const COMMANDS: &[&[&str]] = &[
    &["validate"],
    &["validate", "broken.json"],
    &["resolve"],
    &["explain"],
    &["kinds"],
    &["templates", "list"],
    &["templates", "show", "ecommerce"],
    &["generate"],
    &["generate", "-f", "out.sql", "--seed", "random", "-v"],
    &["inspect", "--verify", "dump.custom"],
    &["new", "fresh", "--template", "saas"],
    &["lock"],
    &["pack", "list"],
    &["--help"],
    &["--version"],
];

/// A project with a valid and a broken file and a custom archive to inspect.
fn project() -> TestProject {
    let project = TestProject::new()
        .file("pgmock.json", PROJECT)
        .file("broken.json", "{\"tables\": {\"t\": 1}}");
    project
        .run_with(["generate", "-F", "c", "-f", "dump.custom"])
        .success();
    let home = project.path("home");
    project.env("PGMOCK_HOME", home)
}

/// What a run with the given stdout and stderr ended with: exit code and stderr text.
fn run(project: &TestProject, args: &[&str], stdout: Stdio, stderr: Stdio) -> (i32, String) {
    // `new` refuses a folder that is not empty: each run gets a fresh one.
    let _ = std::fs::remove_dir_all(project.path("fresh"));
    let out = project
        .command(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .output()
        .expect("run pgmock");
    let code = out.status.code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The write end of a pipe whose reader has already gone away, so the first
/// write fails with EPIPE every time (closing a reader after spawning would
/// race with the child's first write).
fn closed_pipe() -> Stdio {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("run `true`");
    let writer = reader.stdin.take().expect("the pipe to `true`");
    reader.wait().expect("wait for `true`");
    Stdio::from(writer)
}

/// `/dev/full`, where every write fails with ENOSPC; `None` where it does not exist.
fn full_disk() -> Option<Stdio> {
    let file = File::options().write(true).open("/dev/full").ok()?;
    Some(Stdio::from(file))
}

fn assert_no_panic(code: i32, stderr: &str, what: &str) {
    assert_ne!(code, 101, "{what}: exit 101 is a panic\n{stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

/// `pgmock … | head -0`: stdout's reader is gone. That ends the run
/// quietly, with the exit code the run would have had anyway.
#[test]
fn a_closed_pipe_on_stdout_ends_quietly() {
    let project = project();
    for args in COMMANDS {
        let what = format!("pgmock {} | (closed)", args.join(" "));
        let (code, stderr) = run(&project, args, closed_pipe(), Stdio::piped());
        assert_no_panic(code, &stderr, &what);
        let expected = if args.contains(&"broken.json") { 2 } else { 0 };
        assert_eq!(code, expected, "{what}\n{stderr}");
        if expected == 0 {
            assert!(
                !stderr.contains("error"),
                "{what}: a closed pipe is no error\n{stderr}"
            );
        }
    }
}

/// `pgmock … 2>&1 | head -0` as far as stderr goes: messages that cannot be
/// delivered do not crash the run.
#[test]
fn a_closed_pipe_on_stderr_does_not_panic() {
    let project = project();
    for args in COMMANDS {
        let what = format!("pgmock {} 2>(closed)", args.join(" "));
        let (code, stderr) = run(&project, args, Stdio::null(), closed_pipe());
        assert_no_panic(code, &stderr, &what);
    }
}

/// `pgmock … >/dev/full`: a failed write to stdout is an error naming
/// `<stdout>` and the reason, with exit code 1.
#[test]
fn a_full_disk_on_stdout_is_an_error() {
    let project = project();
    for args in COMMANDS {
        let Some(full) = full_disk() else {
            eprintln!("skipped: no /dev/full");
            return;
        };
        let what = format!("pgmock {} >/dev/full", args.join(" "));
        let (code, stderr) = run(&project, args, full, Stdio::piped());
        assert_no_panic(code, &stderr, &what);
        let writes_stdout = !matches!(args[0], "new" | "lock" | "pack")
            && !args.contains(&"-f")
            && !args.contains(&"broken.json");
        if writes_stdout && !args[0].starts_with("--") {
            assert_eq!(code, 1, "{what}\n{stderr}");
            assert!(
                stderr.contains("<stdout>") && stderr.contains("No space left on device"),
                "{what}: {stderr}"
            );
        }
    }
}

/// `pgmock … 2>/dev/full`: a message that cannot be written makes the run
/// fail (exit 1 unless it already failed otherwise); there is nowhere to say why.
#[test]
fn a_full_disk_on_stderr_does_not_panic() {
    let project = project();
    for args in COMMANDS {
        let Some(full) = full_disk() else {
            eprintln!("skipped: no /dev/full");
            return;
        };
        let what = format!("pgmock {} 2>/dev/full", args.join(" "));
        let (code, stderr) = run(&project, args, Stdio::null(), full);
        assert_no_panic(code, &stderr, &what);
        match args[0] {
            "new" | "lock" => assert_eq!(code, 1, "{what}: its message was lost"),
            "validate" if args.contains(&"broken.json") => assert_eq!(code, 2, "{what}"),
            "generate" if args.contains(&"-v") => {
                assert_eq!(code, 1, "{what}: the summary was lost");
                assert!(
                    project.exists("out.sql"),
                    "{what}: a lost note does not stop the dump"
                );
            }
            _ => {}
        }
    }
}

/// `pgmock … >&-` (and `2>&-`): a closed descriptor is not a crash, and
/// output that would vanish is an error.
#[test]
fn a_closed_stdout_or_stderr_does_not_panic() {
    let project = project();
    for args in COMMANDS {
        for redirect in [">&-", "2>&-"] {
            let what = format!("pgmock {} {redirect}", args.join(" "));
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("exec \"$0\" \"$@\" {redirect}"))
                .arg(crate::support::pgmock_bin())
                .args(*args)
                .current_dir(project.dir())
                .env("PGMOCK_HOME", project.path("home"))
                .output()
                .expect("run sh");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_no_panic(out.status.code().unwrap_or(-1), &stderr, &what);
        }
    }
}

/// A project file that is not UTF-8 is invalid input (exit 2) and the error
/// points at the first bad byte by line and column.
#[test]
fn a_project_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    let project = TestProject::new().file(
        "pgmock.json",
        b"{\"tables\": {\n  \"t\": {\"rows\": 5, \"columns\": {\n    \"n\xe9\": \"text\"}}}}\n"
            .as_slice(),
    );
    for command in ["validate", "generate", "resolve", "explain"] {
        let out = project.run_with([command]).failure(2);
        assert!(
            out.stderr.contains("pgmock.json:3:7"),
            "{command}: line 3, column 7\n{}",
            out.stderr
        );
        assert!(out.stderr.contains("0xE9"), "{command}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
    assert!(!project.exists("dump.sql"));
}

/// The same for a template file and an included project file: the message
/// names the file and the position.
#[test]
fn templates_and_includes_that_are_not_utf8_are_refused_with_a_position() {
    let template = TestProject::new()
        .file(
            "templates/latin/1.0.0/template.json",
            b"{\"name\": \"latin\", \"version\": \"1.0.0\",\n \"tables\": {\"t\": {\"columns\": {\"caf\xe9\": \"text\"}}}}".as_slice(),
        )
        .file("pgmock.json", r#"{"templates": ["latin"]}"#);
    let out = template.run_with(["validate"]).failure(2);
    assert!(
        out.stderr.contains("latin/1.0.0/template.json")
            && out.stderr.contains("line 2, column 35"),
        "{}",
        out.stderr
    );

    let include = TestProject::new()
        .file("part.json", b"{\"tables\": {\"\xff\": {}}}".as_slice())
        .file("pgmock.json", r#"{"include": ["part.json"]}"#);
    let out = include.run_with(["validate"]).failure(2);
    assert!(
        out.stderr.contains("part.json:1:14") && out.stderr.contains("0xFF"),
        "{}",
        out.stderr
    );
}

/// A values file (CSV or text) that is not UTF-8 names its line and column too.
#[test]
fn a_values_file_that_is_not_utf8_is_refused_with_a_position() {
    let project = TestProject::new()
        .file("names.txt", b"Anna\nBj\xf6rn\n".as_slice())
        .file(
            "pgmock.json",
            r#"{"generators": {"names": {"values_file": "names.txt"}}, "tables": {"t": {"rows": 5, "columns": {"name": {"type": "text", "generator": "names"}}}}}"#,
        );
    let out = project.run_with(["validate"]).failure(2);
    assert!(out.stderr.contains("line 2, column 3"), "{}", out.stderr);
}
