//! Any bytes as an archive given to `pgmock inspect`: detect the format
//! (custom or tar), read header and TOC, print the list as `pg_restore -l`
//! does, and re-read every data block as `--verify` does. Corrupt archives
//! must give errors or problems, never a panic or a huge allocation.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pgmock::inspect;

/// The reader works on paths (it seeks, and the directory format needs
/// one), so each input is written to the same scratch file first.
struct Scratch {
    _dir: tempfile::TempDir,
    archive: PathBuf,
}

fn scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp folder");
        let archive = dir.path().join("archive.dump");
        Scratch { _dir: dir, archive }
    })
}

fuzz_target!(|data: &[u8]| {
    let scratch = scratch();
    std::fs::write(&scratch.archive, data).expect("the scratch file is writable");
    let Ok(archive) = inspect::read(&scratch.archive) else {
        return;
    };
    let mut listing = Vec::new();
    inspect::list(&archive, &mut listing).expect("writing to a Vec cannot fail");
    let _ = inspect::verify(&scratch.archive, &archive);
});
