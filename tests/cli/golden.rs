//! Stable output across releases: the SHA-256 of each example's output in
//! every format, for its fixed seed, is recorded in `tests/golden/outputs.txt`.
//! Users check dumps in as fixtures; a change of these bytes must be on
//! purpose. Changing a hash means raising the file's `revision` and adding a
//! CHANGELOG entry that says "golden output revision N" and why.

use sha2::{Digest, Sha256};

use crate::support::TestProject;

const EXAMPLES: &[&str] = &["shop.json", "saas.json", "store-with-billing/pgmock.json"];
const FORMATS: &[&str] = &["p", "c", "d", "t"];

fn digest_of(path: &std::path::Path) -> String {
    let mut h = Sha256::new();
    if path.is_dir() {
        // A directory archive: every file, by name, in name order.
        let mut names: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        for n in names {
            h.update(n.to_string_lossy().as_bytes());
            h.update([0]);
            h.update(std::fs::read(path.join(&n)).unwrap());
        }
    } else {
        h.update(std::fs::read(path).unwrap());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Each example in each format hashes to its recorded value.
#[test]
fn example_outputs_match_their_golden_hashes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let golden = std::fs::read_to_string(format!("{root}/tests/golden/outputs.txt")).unwrap();
    let revision = golden
        .lines()
        .find_map(|l| l.strip_prefix("revision: "))
        .expect("a `revision:` line");
    let changelog = std::fs::read_to_string(format!("{root}/CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!("golden output revision {revision}")),
        "CHANGELOG.md must say why the output changed (\"golden output revision {revision}\")"
    );
    let mut actual = Vec::new();
    for example in EXAMPLES {
        let path = std::path::Path::new(root).join("examples").join(example);
        let dir = path.parent().unwrap();
        let mut project = TestProject::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.path().is_file() {
                project = project.file(entry.file_name(), std::fs::read(entry.path()).unwrap());
            }
        }
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for format in FORMATS {
            let out = format!("out.{format}");
            project
                .run_with(["generate", file.as_str(), "-F", format, "-f", out.as_str()])
                .success();
            actual.push(format!(
                "{example} -F {format} {}",
                digest_of(&project.path(&out))
            ));
        }
    }
    let expected: Vec<&str> = golden
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("revision: ") && !l.trim().is_empty())
        .collect();
    assert_eq!(
        actual.iter().map(String::as_str).collect::<Vec<_>>(),
        expected,
        "the output of the examples changed: if on purpose, write the new lines into \
         tests/golden/outputs.txt, raise its revision and say why in CHANGELOG.md"
    );
}
