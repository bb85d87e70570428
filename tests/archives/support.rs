use std::fs;
use std::path::{Path, PathBuf};

use pgmock::inspect::{self, Archive};

/// A fixture in `tests/fixtures/archives`.
pub(crate) fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/archives")
        .join(name)
}

/// The fixture's bytes.
pub(crate) fn bytes(name: &str) -> Vec<u8> {
    fs::read(data(name)).unwrap()
}

/// `inspect::list` output.
pub(crate) fn listing(archive: &Archive) -> Vec<u8> {
    let mut out = Vec::new();
    inspect::list(archive, &mut out).unwrap();
    out
}

/// Lines of `text` for which `keep` holds, each with its newline.
pub(crate) fn lines_where(text: &[u8], keep: impl Fn(&[u8]) -> bool) -> Vec<Vec<u8>> {
    text.split_inclusive(|&b| b == b'\n')
        .filter(|l| keep(l))
        .map(<[u8]>::to_vec)
        .collect()
}

/// A directory of its own under the system temp dir, removed on drop.
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    pub(crate) fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("inspect-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Writes `bytes` to `name` inside the scratch dir.
    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    /// Copies the fixture directory `name` into the scratch dir.
    pub(crate) fn copy_dir(&self, name: &str) -> PathBuf {
        let target = self.0.join(name);
        fs::create_dir_all(&target).unwrap();
        for file in fs::read_dir(data(name)).unwrap() {
            let file = file.unwrap();
            fs::copy(file.path(), target.join(file.file_name())).unwrap();
        }
        target
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
