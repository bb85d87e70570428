//! Every template pgmock can find, in precedence order: the project folder's
//! `templates/`, `--template-path` and `PGMOCK_TEMPLATE_PATH` folders,
//! installed packs, and the built-in library embedded in the binary.
//!
//! A folder of templates holds `NAME/VERSION/template.json`. A pack folder
//! (one with a `pgmock-pack.json` manifest) holds `templates/NAME/VERSION/`,
//! and its templates are named `PACK/NAME`.

use std::path::{Path, PathBuf};

use semver::Version;
use sha2::{Digest, Sha256};

use super::pack::{self, MANIFEST};
use super::reference::{is_plain_name, TemplateRef};

/// Where a template was found, as written in the lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The project folder's `templates/`.
    Project,
    /// A folder given with `--template-path` or `PGMOCK_TEMPLATE_PATH`.
    Path(PathBuf),
    /// An installed pack, `NAME@VERSION`.
    Pack(String),
    /// The library built into pgmock.
    Builtin,
}

impl Origin {
    /// The lock file's spelling (`built-in`, `project`, `path:DIR`, `pack:acme@1.0.0`).
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Project => "project".into(),
            Self::Path(p) => format!("path:{}", p.display()),
            Self::Pack(p) => format!("pack:{p}"),
            Self::Builtin => "built-in".into(),
        }
    }
}

/// One version of one template.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Full name (`ecommerce`, `acme/claims`).
    pub name: String,
    /// Its version, from the folder name.
    pub version: Version,
    /// Where it was found.
    pub origin: Origin,
    /// Its folder on disk, or `None` for a built-in one.
    pub dir: Option<PathBuf>,
}

impl Candidate {
    /// `name@version`.
    #[must_use]
    pub fn id(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }

    /// How diagnostics name its `template.json`.
    #[must_use]
    pub fn display_path(&self) -> PathBuf {
        match &self.dir {
            Some(dir) => dir.join("template.json"),
            None => PathBuf::from(format!(
                "<built-in>/{}/{}/template.json",
                self.name, self.version
            )),
        }
    }
}

/// A problem reading a template's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The file or folder.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// One place templates are looked for.
#[derive(Debug, Clone)]
struct Root {
    origin: Origin,
    /// `None` for the built-in library.
    dir: Option<PathBuf>,
    /// For a pack folder: the pack's name (its templates are `PACK/NAME`).
    pack: Option<String>,
}

/// All places templates are looked for, highest precedence first.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    roots: Vec<Root>,
}

impl Catalog {
    /// The catalog for a project in `project_dir`, with extra folders
    /// (`--template-path`, then `PGMOCK_TEMPLATE_PATH`) and the pack folders
    /// (the project's `.pgmock/packs`, then the user's).
    #[must_use]
    pub fn new(project_dir: Option<&Path>, extra: &[PathBuf], pack_dirs: &[PathBuf]) -> Self {
        let mut roots = Vec::new();
        if let Some(dir) = project_dir {
            roots.push(Root {
                origin: Origin::Project,
                dir: Some(dir.join("templates")),
                pack: None,
            });
        }
        for dir in extra {
            let pack = pack::manifest_name(dir);
            roots.push(Root {
                origin: Origin::Path(dir.clone()),
                dir: Some(if pack.is_some() {
                    dir.join("templates")
                } else {
                    dir.clone()
                }),
                pack,
            });
        }
        for packs in pack_dirs {
            for installed in pack::installed(packs) {
                roots.push(Root {
                    origin: Origin::Pack(format!("{}@{}", installed.name, installed.version)),
                    dir: Some(installed.dir.join("templates")),
                    pack: Some(installed.name),
                });
            }
        }
        roots.push(Root {
            origin: Origin::Builtin,
            dir: None,
            pack: None,
        });
        Self { roots }
    }

    /// Every template version of every root, in precedence order.
    #[must_use]
    pub fn all(&self) -> Vec<Candidate> {
        self.roots.iter().flat_map(root_candidates).collect()
    }

    /// The versions of `name` in the first root that has any, highest first,
    /// and all versions anywhere (for "there are ..." messages).
    #[must_use]
    pub fn versions(&self, name: &str) -> Vec<Candidate> {
        let mut found: Vec<Candidate> = self.all().into_iter().filter(|c| c.name == name).collect();
        // Stable: within a version, the root listed first stays first.
        found.sort_by(|a, b| b.version.cmp(&a.version));
        found
    }

    /// The template `reference` picks: the highest matching version of the
    /// first root (in precedence order) that has a matching version.
    #[must_use]
    pub fn pick(&self, reference: &TemplateRef) -> Option<Candidate> {
        for root in &self.roots {
            let mut matching: Vec<Candidate> = root_candidates(root)
                .into_iter()
                .filter(|c| c.name == reference.name && reference.req.matches(&c.version))
                .collect();
            matching.sort_by(|a, b| b.version.cmp(&a.version));
            if let Some(best) = matching.into_iter().next() {
                return Some(best);
            }
        }
        None
    }

    /// The template a command-line `NAME[@RANGE]` names.
    ///
    /// # Errors
    /// A malformed reference, or one no template matches (saying which versions there are).
    pub fn pick_text(&self, text: &str) -> crate::error::Result<Candidate> {
        let invalid = |expected: String| crate::error::Error::InvalidArgument {
            flag: "TEMPLATE".into(),
            value: text.to_owned(),
            expected,
        };
        let reference = TemplateRef::parse(text).map_err(invalid)?;
        self.pick(&reference)
            .ok_or_else(|| invalid(self.missing(&reference)))
    }

    /// The candidate `name@version` from `origin`, as a lock file names it.
    #[must_use]
    pub fn exact(&self, name: &str, version: &Version, origin: &str) -> Option<Candidate> {
        self.all()
            .into_iter()
            .find(|c| c.name == name && &c.version == version && c.origin.describe() == origin)
    }

    /// What to tell a user whose `reference` matches nothing: the name is
    /// unknown (with a suggestion), or these are the versions there are.
    #[must_use]
    pub fn missing(&self, reference: &TemplateRef) -> String {
        let mut versions: Vec<String> = self
            .versions(&reference.name)
            .iter()
            .map(|c| c.version.to_string())
            .collect();
        versions.dedup();
        if !versions.is_empty() {
            return format!(
                "a range some version matches; there are {}",
                versions.join(", ")
            );
        }
        let names = self.names();
        match crate::diagnostic::did_you_mean(&reference.name, names.iter().map(String::as_str)) {
            Some(n) => format!(
                "a template name; there is no `{}` (did you mean `{n}`?)",
                reference.name
            ),
            None => format!(
                "one of {} (`pgmock templates list`)",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// Every template name known, for "did you mean".
    #[must_use]
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.all().into_iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        names
    }
}

fn root_candidates(root: &Root) -> Vec<Candidate> {
    let qualify = |name: &str| match &root.pack {
        Some(p) => format!("{p}/{name}"),
        None => name.to_owned(),
    };
    let mut out = Vec::new();
    match &root.dir {
        None => {
            for (path, _) in super::builtin::FILES {
                let parts: Vec<&str> = path.split('/').collect();
                if let [name, version, "template.json"] = parts.as_slice() {
                    if let Ok(v) = Version::parse(version) {
                        out.push(Candidate {
                            name: (*name).to_owned(),
                            version: v,
                            origin: root.origin.clone(),
                            dir: None,
                        });
                    }
                }
            }
        }
        Some(dir) => {
            let Ok(names) = fs_err::read_dir(dir) else {
                return out;
            };
            let mut names: Vec<_> = names.filter_map(Result::ok).collect();
            names.sort_by_key(fs_err::DirEntry::file_name);
            for entry in names {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !is_plain_name(&name) || !entry.path().is_dir() {
                    continue;
                }
                let Ok(versions) = fs_err::read_dir(entry.path()) else {
                    continue;
                };
                for v in versions.filter_map(Result::ok) {
                    let vname = v.file_name().to_string_lossy().into_owned();
                    let Ok(version) = Version::parse(&vname) else {
                        continue;
                    };
                    if v.path().join("template.json").is_file() {
                        out.push(Candidate {
                            name: qualify(&name),
                            version,
                            origin: root.origin.clone(),
                            dir: Some(v.path()),
                        });
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(b.version.cmp(&a.version)));
    out
}

/// Every file of a template (path relative to its folder, bytes), sorted by path.
/// Symbolic links that lead out of the folder, and anything that is not a
/// plain file or folder, are refused.
pub fn files(candidate: &Candidate) -> Result<Vec<(String, Vec<u8>)>, FileProblem> {
    match &candidate.dir {
        None => {
            let prefix = format!("{}/{}/", candidate.name, candidate.version);
            Ok(super::builtin::FILES
                .iter()
                .filter_map(|(p, bytes)| {
                    p.strip_prefix(&prefix)
                        .map(|rel| (rel.to_owned(), bytes.to_vec()))
                })
                .collect())
        }
        Some(dir) => pack::read_tree(dir),
    }
}

/// The sha256 of a template's files (paths and contents), as hex.
#[must_use]
pub fn content_hash(files: &[(String, Vec<u8>)]) -> String {
    let mut hasher = Sha256::new();
    for (path, bytes) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hex(&hasher.finalize())
}

/// Lowercase hex of bytes.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The file name a pack's manifest has, re-exported for callers of the catalog.
pub const PACK_MANIFEST: &str = MANIFEST;
