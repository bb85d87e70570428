//! The scratch folder the `project` and `template` targets share: a folder
//! of its own holding `pgmock.json`, rewritten for every input, and template
//! options without installed packs (what the user has in their data folder
//! must not change what a target explores).

use std::path::PathBuf;
use std::sync::OnceLock;

use pgmock::template::Options;

/// The folder, the project file in it, and the template options.
pub struct Scratch {
    _dir: tempfile::TempDir,
    /// `pgmock.json` in the folder.
    pub config: PathBuf,
    /// Template options without installed packs.
    pub options: Options,
}

/// The one scratch folder of this process.
pub fn scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp folder");
        let config = dir.path().join("pgmock.json");
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
