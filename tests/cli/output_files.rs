//! Output files behave as pg_dump's: `-f` through a symbolic link, modes
//! kept, read-only files, folders and impossible paths refused with a clear
//! message, closed stdout and binary data for a terminal refused.
//! Issue 11, item 5.

use std::os::unix::fs::PermissionsExt as _;
use std::process::Command;

use crate::support::TestProject;

const PROJECT: &str =
    r#"{"tables": {"t": {"rows": 20, "columns": {"id": "bigserial", "name": "text"}}}}"#;

fn project() -> TestProject {
    TestProject::new().file("pgmock.json", PROJECT)
}

/// Names in the project folder that start like pgmock's temporary files.
fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pgmock-"))
        .collect()
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `-f LINK` writes the file the link points to, in that file's folder;
/// the link stays a link, in every one-file format.
#[test]
fn a_symlink_is_written_through() {
    let project = project();
    std::fs::create_dir(project.path("real")).unwrap();
    for format in ["p", "c", "t"] {
        std::fs::write(project.path("real/dump"), "old").unwrap();
        let _ = std::fs::remove_file(project.path("link"));
        std::os::unix::fs::symlink("real/dump", project.path("link")).unwrap();
        project
            .run_with(["generate", "-F", format, "-f", "link"])
            .success();
        let link = std::fs::symlink_metadata(project.path("link")).unwrap();
        assert!(link.file_type().is_symlink(), "-F {format}: still a link");
        let written = std::fs::read(project.path("real/dump")).unwrap();
        assert_ne!(written, b"old", "-F {format}: the target got the dump");
        let to_stdout = project.run_with(["generate", "-F", format]).success();
        if format == "p" {
            assert_eq!(written, to_stdout.stdout_bytes, "the same dump");
        }
        assert!(leftovers(project.dir()).is_empty());
        assert!(leftovers(&project.path("real")).is_empty());
    }
    // A link to a file that does not exist yet creates it, as fopen does.
    std::os::unix::fs::symlink("real/new.sql", project.path("dangling")).unwrap();
    project.run_with(["generate", "-f", "dangling"]).success();
    assert!(project.read("real/new.sql").contains("COPY public.t"));
    assert!(std::fs::symlink_metadata(project.path("dangling"))
        .unwrap()
        .file_type()
        .is_symlink());
    // A chain of links is followed to its end.
    std::os::unix::fs::symlink("link", project.path("link2")).unwrap();
    project.run_with(["generate", "-f", "link2"]).success();
    assert!(project.read("real/dump").contains("COPY public.t"));
}

/// Replacing an existing file keeps its permissions, as writing into it would.
#[test]
fn an_existing_file_keeps_its_mode() {
    let project = project();
    for wanted in [0o600, 0o640, 0o755] {
        let path = project.path("dump.sql");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(wanted)).unwrap();
        project.run_with(["generate", "-f", "dump.sql"]).success();
        assert_eq!(mode(&path), wanted, "mode {wanted:o} kept");
        assert!(project.read("dump.sql").contains("COPY public.t"));
    }
    // Through a link, the target's mode is the one kept.
    std::fs::set_permissions(
        project.path("dump.sql"),
        std::fs::Permissions::from_mode(0o604),
    )
    .unwrap();
    std::os::unix::fs::symlink("dump.sql", project.path("link")).unwrap();
    project.run_with(["generate", "-f", "link"]).success();
    assert_eq!(mode(&project.path("dump.sql")), 0o604);
}

/// A read-only file is refused before any work, and left as it was.
#[test]
fn a_read_only_target_is_refused() {
    let project = project();
    let path = project.path("dump.sql");
    std::fs::write(&path, "keep me").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    for format in ["p", "c", "t"] {
        let out = project
            .run_with(["generate", "-F", format, "-f", "dump.sql"])
            .failure(1);
        assert!(
            out.stderr.starts_with(
                "error: the file is read-only, so pgmock does not replace it\n --> dump.sql\n"
            ),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("hint: make it writable"),
            "{}",
            out.stderr
        );
        assert_eq!(project.read("dump.sql"), "keep me");
        assert_eq!(mode(&path), 0o444);
        assert!(leftovers(project.dir()).is_empty());
    }
    // `resolve -o` writes files the same way.
    project.run_with(["resolve", "-o", "dump.sql"]).failure(1);
    assert_eq!(project.read("dump.sql"), "keep me");
}

/// `-f FOLDER` for a format that writes one file is refused before any work
/// (an invalid project is not even read), with a hint about `-F d`.
#[test]
fn a_folder_is_refused_for_one_file_formats() {
    let project = project().file("broken.json", "{\"tables\": {\"t\": 1}}");
    std::fs::create_dir(project.path("out")).unwrap();
    for (format, writes) in [
        ("p", "a plain SQL script"),
        ("c", "a custom-format archive"),
        ("t", "a tar archive"),
    ] {
        for config in ["pgmock.json", "broken.json"] {
            let out = project
                .run_with(["generate", config, "-F", format, "-f", "out"])
                .failure(2);
            assert_eq!(
                out.stderr,
                format!(
                    "error: this is a folder, but {writes} is a single file\n --> out\n\nhint: name a file in it (`out/dump`), or use `-F d` to write a directory-format archive into an empty folder\n"
                ),
            );
        }
    }
    assert!(std::fs::read_dir(project.path("out"))
        .unwrap()
        .next()
        .is_none());
    // A link to a folder is a folder too.
    std::os::unix::fs::symlink("out", project.path("link")).unwrap();
    let out = project.run_with(["generate", "-f", "link"]).failure(2);
    assert!(out.stderr.contains("is a folder"), "{}", out.stderr);
    // The directory format wants exactly that.
    project
        .run_with(["generate", "-F", "d", "-f", "out"])
        .success();
    // Now that it holds files, or where a file stands, the directory format
    // is refused before any work (the broken project is not even read).
    for target in ["out", "broken.json"] {
        let out = project
            .run_with(["generate", "broken.json", "-F", "d", "-f", target])
            .failure(2);
        assert!(
            out.stderr
                .contains("a folder that does not exist yet or is empty"),
            "{}",
            out.stderr
        );
    }
}

/// `-f afile/x.sql`, where `afile` is a file, says that `afile` is a file.
#[test]
fn a_file_where_a_folder_should_be_is_named() {
    let project = project().file("afile", "not a folder");
    for format in ["p", "c", "t", "d"] {
        let out = project
            .run_with(["generate", "-F", format, "-f", "afile/x.sql"])
            .failure(1);
        assert_eq!(
            out.stderr, "error: `afile` is a file, not a folder\n --> afile/x.sql\n",
            "-F {format}"
        );
        let out = project
            .run_with(["generate", "-F", format, "-f", "afile/deeper/x.sql"])
            .failure(1);
        assert!(
            out.stderr
                .starts_with("error: `afile` is a file, not a folder\n"),
            "-F {format}: {}",
            out.stderr
        );
    }
    assert_eq!(project.read("afile"), "not a folder");
}

/// `pgmock generate >&-`: with stdout closed the dump would vanish, so it
/// is an error (exit 1), not a silent success; `>/dev/null` is still fine.
#[test]
fn a_closed_stdout_is_an_error() {
    let project = project();
    for (redirect, code) in [(">&-", 1), (">/dev/null", 0)] {
        for format in ["p", "c"] {
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("exec \"$0\" generate -F {format} {redirect}"))
                .arg(crate::support::pgmock_bin())
                .current_dir(project.dir())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(code), "{redirect}: {stderr}");
            if code == 1 {
                assert!(
                    stderr.starts_with("error: standard output is closed"),
                    "{stderr}"
                );
                assert!(stderr.contains("-f FILE"), "{stderr}");
            }
        }
    }
    // The same holds for the commands that print their result.
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" validate >&-")
        .arg(crate::support::pgmock_bin())
        .current_dir(project.dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// Binary formats are refused on a terminal, with a hint to use `-f`; a
/// plain script still prints. The terminal comes from `script`
/// (util-linux); without it the decision is covered by the unit tests of
/// `dump::output`.
#[test]
fn binary_formats_are_refused_on_a_terminal() {
    let project = project();
    let on_terminal = |args: &str| {
        Command::new("script")
            .args(["-q", "-e", "-c"])
            .arg(format!("{} {args}", crate::support::pgmock_bin().display()))
            .arg("/dev/null")
            .current_dir(project.dir())
            .stdin(std::process::Stdio::null())
            .output()
    };
    let Ok(probe) = on_terminal("kinds") else {
        eprintln!("skipped: no `script` command");
        return;
    };
    if !probe.status.success() {
        eprintln!("skipped: `script` cannot open a terminal here");
        return;
    }
    for (format, writes) in [
        ("c", "a custom-format archive"),
        ("t", "a tar archive"),
        ("p -Z 1", "a compressed SQL script"),
    ] {
        let out = on_terminal(&format!("generate -F {format}")).unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "-F {format}: {text}");
        assert!(
            text.contains(&format!("error: refusing to write {writes} to a terminal")),
            "{text}"
        );
        assert!(
            text.contains("hint: write it to a file with `-f FILE`"),
            "{text}"
        );
    }
    let out = on_terminal("generate -F p").unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("COPY public.t"));
}
