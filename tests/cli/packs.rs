//! Template packs: init → verify → build → install → use → lock, and hostile packs refused.

use std::io::Write as _;

use crate::support::TestProject;

/// A project whose user pack folder is inside it (PGMOCK_HOME), so tests never touch the real one.
fn project() -> TestProject {
    let p = TestProject::new();
    let home = p.path("home");
    p.env("PGMOCK_HOME", home)
}

/// Issue 12: a pack's contracts run in a real server; one broken on purpose
/// fails `verify`, naming the check, and without server programs they are
/// skipped, saying so.
#[test]
fn pack_verify_checks_contracts_in_a_real_server() {
    let cluster = crate::support::postgres::require_pg!();
    let p = project().env("PGMOCK_PG_BINDIR", cluster.bindir());
    p.run_with(["pack", "init", "acme", "--name", "acme"])
        .success();
    let out = p
        .run_with([
            "pack", "verify", "acme", "--seed", "1", "--seed", "2", "-F", "p", "-F", "c",
        ])
        .success();
    for setting in [
        "seed 1, plain",
        "seed 1, custom",
        "seed 2, plain",
        "seed 2, custom",
    ] {
        assert!(
            out.stdout.contains(&format!(
                "ok      acme/example@1.0.0 (scale 0.05, {setting})"
            )),
            "{}",
            out.stdout
        );
    }
    assert_eq!(
        out.stdout.matches("contract: 3 of 3 checks pass").count(),
        4,
        "{}",
        out.stdout
    );

    // Broken on purpose: notes must predate nothing, and there are far too few.
    let contract = p.path("acme/templates/example/1.0.0/contract.json");
    let broken = r#"{"invariants": [
        {"name": "every note belongs to an account", "sql": "SELECT id FROM notes WHERE account_id IS NULL"},
        {"name": "no account has notes", "sql": "SELECT account_id FROM notes"}],
      "targets": [{"name": "hardly any notes", "sql": "SELECT count(*) FROM notes", "max": 1},
        {"name": "a typo", "sql": "SELECT count(*) FROM note", "min": 0}]}"#;
    fs_err::write(&contract, broken).unwrap();
    let out = p.run_with(["pack", "verify", "acme"]).failure(2);
    assert!(
        out.stdout.contains("FAILED  acme/example@1.0.0"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("contract: 1 of 4 checks pass"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("BROKEN  invariant `no account has notes`: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("MISSED  target `hardly any notes`: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("ERROR   target `a typo`: ERROR:  relation \"note\" does not exist"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("acme: 1 of 1 trial(s) failed"),
        "{}",
        out.stderr
    );

    // A malformed contract is an error that points into it.
    fs_err::write(
        &contract,
        r#"{"invariants": [{"name": "x", "sql": "SELECT 1", "expect": 0}]}"#,
    )
    .unwrap();
    let out = p.run_with(["pack", "verify", "acme"]).failure(2);
    assert!(out.stderr.contains("contract.json"), "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown key `expect`"),
        "{}",
        out.stderr
    );

    // Without server programs the contract is skipped, plainly.
    fs_err::write(&contract, broken).unwrap();
    let nowhere = p.path("nowhere");
    let p = p.env("PGMOCK_PG_BINDIR", nowhere);
    let out = p.run_with(["pack", "verify", "acme"]).success();
    assert!(
        out.stdout.contains("ok      acme/example@1.0.0"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("contract not checked: PGMOCK_PG_BINDIR="),
        "{}",
        out.stdout
    );
    let out = p
        .run_with(["pack", "verify", "acme", "--no-contracts"])
        .success();
    assert!(
        out.stdout
            .contains("contracts not checked (--no-contracts)"),
        "{}",
        out.stdout
    );
}

#[test]
fn pack_lifecycle_from_init_to_a_locked_project() {
    let p = project();
    p.run_with(["pack", "init", "acme-templates", "--name", "acme"])
        .success();
    let out = p.run_with(["pack", "verify", "acme-templates"]).success();
    assert!(
        out.stdout
            .contains("ok      acme/example@1.0.0 (scale 0.05, seed 1, plain)"),
        "{}",
        out.stdout
    );
    let out = p
        .run_with(["pack", "build", "acme-templates", "-o", "dist"])
        .success();
    assert!(
        out.stderr.contains("dist/acme-0.1.0.tar.gz (sha256 "),
        "{}",
        out.stderr
    );
    // Building twice gives the same bytes (a pack's checksum means something).
    let first = fs_err::read(p.path("dist/acme-0.1.0.tar.gz")).unwrap();
    p.run_with(["pack", "build", "acme-templates", "-o", "dist"])
        .success();
    assert!(first == fs_err::read(p.path("dist/acme-0.1.0.tar.gz")).unwrap());
    p.run_with(["pack", "verify", "dist/acme-0.1.0.tar.gz"])
        .success();

    p.run_with(["pack", "install", "dist/acme-0.1.0.tar.gz"])
        .success();
    assert!(p.exists("home/packs/acme/0.1.0/templates/example/1.0.0/template.json"));
    let out = p
        .run_with(["pack", "install", "dist/acme-0.1.0.tar.gz"])
        .success();
    assert!(out.stderr.contains("already installed"), "{}", out.stderr);
    let out = p.run_with(["pack", "list"]).success();
    assert!(out.stdout.contains("acme@0.1.0  user"), "{}", out.stdout);

    let p = p.file(
        "proj/pgmock.json",
        r#"{"templates": [{"name": "acme/example", "version": "^1", "params": {"accounts": 7}}]}"#,
    );
    p.run_with(["lock", "proj/pgmock.json"]).success();
    assert!(p
        .read("proj/pgmock.lock")
        .contains("\"source\": \"pack:acme@0.1.0\""));
    p.run_with(["generate", "proj/pgmock.json", "--locked", "-f", "a.sql"])
        .success();
    assert!(p.read("a.sql").contains("COPY public.accounts"));

    // Republishing 0.1.0 with other content is refused, and nothing changes.
    let changed = p
        .read("acme-templates/templates/example/1.0.0/template.json")
        .replace("\"default\": 100", "\"default\": 150");
    let p = p.file(
        "acme-templates/templates/example/1.0.0/template.json",
        changed,
    );
    p.run_with(["pack", "build", "acme-templates", "-o", "dist2"])
        .success();
    let out = p
        .run_with(["pack", "install", "dist2/acme-0.1.0.tar.gz"])
        .failure(2);
    assert!(
        out.stderr
            .contains("installed already with different content"),
        "{}",
        out.stderr
    );

    // An installed pack changed underneath: its checksums no longer match.
    let installed = p.path("home/packs/acme/0.1.0/templates/example/1.0.0/template.json");
    let mut file = fs_err::OpenOptions::new()
        .append(true)
        .open(&installed)
        .unwrap();
    file.write_all(b"\n").unwrap();
    let out = p
        .run_with(["generate", "proj/pgmock.json", "-f", "b.sql"])
        .failure(2);
    assert!(
        out.stderr.contains("does not match the pack's SHA256SUMS"),
        "{}",
        out.stderr
    );
    assert!(!p.exists("b.sql"));

    p.run_with(["pack", "remove", "acme@0.1.0"]).success();
    assert!(!p.exists("home/packs/acme"));
    let out = p
        .run_with(["generate", "proj/pgmock.json", "--update", "-f", "c.sql"])
        .failure(2);
    assert!(
        out.stderr
            .contains("there is no template named `acme/example`"),
        "{}",
        out.stderr
    );
}

/// A pack used straight from its folder with --template-path, and installed into a project.
#[test]
fn pack_folder_on_the_template_path_and_project_installs() {
    let p = project();
    p.run_with(["pack", "init", "acme", "--name", "acme"])
        .success();
    let p = p.file("pgmock.json", r#"{"templates": ["acme/example"]}"#);
    p.run_with(["validate"]).failure(2);
    p.run_with(["validate", "--template-path", "acme"])
        .success();
    p.run_with(["pack", "install", "acme", "--project"])
        .success();
    assert!(p.exists(".pgmock/packs/acme/0.1.0/SHA256SUMS"));
    p.run_with(["validate"]).success();
}

/// A `.tar.gz` whose single member has the raw name `name` (bypassing the tar crate's checks).
fn archive_with_member(name: &[u8], kind: tar::EntryType, body: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_size(body.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(kind);
    if kind == tar::EntryType::Symlink {
        header.set_link_name("/etc/passwd").unwrap();
        header.set_size(0);
    }
    header.set_cksum();
    let mut raw = Vec::new();
    raw.extend_from_slice(header.as_bytes());
    if kind != tar::EntryType::Symlink {
        raw.extend_from_slice(body);
        raw.resize(raw.len().div_ceil(512) * 512, 0);
    }
    raw.extend_from_slice(&[0; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw).unwrap();
    gz.finish().unwrap()
}

#[test]
fn hostile_packs_are_refused_and_nothing_is_installed() {
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "dotdot",
            archive_with_member(
                b"acme-0.1.0/../../evil.json",
                tar::EntryType::Regular,
                b"{}",
            ),
            "leads out of the pack",
        ),
        (
            "absolute",
            archive_with_member(b"/tmp/evil.json", tar::EntryType::Regular, b"{}"),
            "absolute path",
        ),
        (
            "symlink",
            archive_with_member(
                b"acme-0.1.0/templates/x/1.0.0/template.json",
                tar::EntryType::Symlink,
                b"",
            ),
            "link or special file",
        ),
        (
            "unsigned",
            archive_with_member(
                b"acme-0.1.0/pgmock-pack.json",
                tar::EntryType::Regular,
                br#"{"name": "acme", "version": "0.1.0"}"#,
            ),
            "no `SHA256SUMS`",
        ),
    ];
    for (name, bytes, expected) in cases {
        let p = project().file(format!("{name}.tar.gz"), bytes);
        let out = p
            .run_with(["pack", "install", &format!("{name}.tar.gz")])
            .failure(2);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
        assert!(!p.exists("home/packs"), "{name}: nothing installed");
        assert!(
            !p.path("../evil.json").exists() && !std::path::Path::new("/tmp/evil.json").exists()
        );
    }

    // A folder with a symbolic link that leaves it, and a manifest that lies about its templates.
    let p = project();
    p.run_with(["pack", "init", "acme", "--name", "acme"])
        .success();
    std::os::unix::fs::symlink(
        "/etc/hostname",
        p.path("acme/templates/example/1.0.0/data.csv"),
    )
    .unwrap();
    let out = p
        .run_with(["pack", "build", "acme", "-o", "dist"])
        .failure(2);
    assert!(
        out.stderr
            .contains("symbolic link that leads out of the folder"),
        "{}",
        out.stderr
    );
    p.run_with(["pack", "install", "acme"]).failure(2);
    let p = p.file("pgmock.json", r#"{"templates": ["acme/example"]}"#);
    let out = p
        .run_with(["validate", "--template-path", "acme"])
        .failure(2);
    assert!(
        out.stderr.contains("leads out of the folder"),
        "{}",
        out.stderr
    );
    fs_err::remove_file(p.path("acme/templates/example/1.0.0/data.csv")).unwrap();
    let manifest = p
        .read("acme/pgmock-pack.json")
        .replace("example@1.0.0", "example@2.0.0");
    let p = p.file("acme/pgmock-pack.json", manifest);
    let out = p
        .run_with(["pack", "build", "acme", "-o", "dist"])
        .failure(2);
    assert!(
        out.stderr
            .contains("lists templates [example@2.0.0] but the pack holds [example@1.0.0]"),
        "{}",
        out.stderr
    );
    assert!(!p.exists("dist/acme-0.1.0.tar.gz"));
}
