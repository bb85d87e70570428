//! Any bytes as a project file, through `pgmock validate`'s own path: read
//! the file, resolve its templates, load the schema and build the plan.
//! Every outcome but a panic (or a hang) is fine: bad input must become an error.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pgmock::template::Options;

/// A folder of its own holding `pgmock.json`, rewritten for every input, so the
/// file is read exactly as the CLI reads it (UTF-8 checks included).
struct Scratch {
    _dir: tempfile::TempDir,
    config: PathBuf,
    options: Options,
}

fn scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp folder");
        let config = dir.path().join("pgmock.json");
        // No installed packs: what the user has in their data folder must not
        // change what this target explores.
        let options = Options {
            pack_dirs: Some(Vec::new()),
            ..Options::default()
        };
        Scratch {
            _dir: dir,
            config,
            options,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let scratch = scratch();
    std::fs::write(&scratch.config, data).expect("the scratch file is writable");
    let _ = pgmock::pipeline::validate(&scratch.config, &scratch.options);
});
