//! Template packs: a folder with a `pgmock-pack.json` manifest and its
//! templates under `templates/NAME/VERSION/`, installed into a packs folder as
//! `PACKS/NAME/VERSION/`. Reading any template folder goes through
//! [`read_tree`], which refuses paths that lead out of the folder.

use std::path::{Component, Path, PathBuf};

use semver::Version;

use super::catalog::FileProblem;

/// The manifest's file name.
pub const MANIFEST: &str = "pgmock-pack.json";

/// An installed pack.
#[derive(Debug, Clone)]
pub struct Installed {
    /// Pack name.
    pub name: String,
    /// Pack version.
    pub version: Version,
    /// Its folder.
    pub dir: PathBuf,
}

/// The `name` of the pack whose folder is `dir`, if `dir` holds a manifest.
#[must_use]
pub fn manifest_name(dir: &Path) -> Option<String> {
    let text = fs_err::read_to_string(dir.join(MANIFEST)).ok()?;
    let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
    doc.get("name")?.as_str().map(str::to_owned)
}

/// The packs installed in `packs` (`PACKS/NAME/VERSION/`), newest version of each name first.
#[must_use]
pub fn installed(packs: &Path) -> Vec<Installed> {
    let mut out = Vec::new();
    let Ok(names) = fs_err::read_dir(packs) else {
        return out;
    };
    for name in names.filter_map(Result::ok) {
        let pack = name.file_name().to_string_lossy().into_owned();
        let Ok(versions) = fs_err::read_dir(name.path()) else {
            continue;
        };
        for v in versions.filter_map(Result::ok) {
            let Ok(version) = Version::parse(&v.file_name().to_string_lossy()) else {
                continue;
            };
            if v.path().join(MANIFEST).is_file() {
                out.push(Installed {
                    name: pack.clone(),
                    version,
                    dir: v.path(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(b.version.cmp(&a.version)));
    out
}

/// Every plain file under `root` (path relative to it with `/`, bytes), sorted.
/// A symbolic link is followed only when it stays inside `root`; devices,
/// sockets and paths that are not plain names are refused.
pub fn read_tree(root: &Path) -> Result<Vec<(String, Vec<u8>)>, FileProblem> {
    let problem = |path: &Path, message: &str| FileProblem {
        path: path.to_owned(),
        message: message.to_owned(),
    };
    let base = fs_err::canonicalize(root).map_err(|e| problem(root, &e.to_string()))?;
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| problem(root, &e.to_string()))?;
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .map_err(|_| problem(path, "is outside the folder"))?;
        if rel.as_os_str().is_empty() {
            continue;
        }
        let rel_text = relative_text(rel)
            .ok_or_else(|| problem(path, "has a name that is not plain UTF-8"))?;
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            let target = fs_err::canonicalize(path)
                .map_err(|_| problem(path, "is a symbolic link to nothing"))?;
            if !target.starts_with(&base) {
                return Err(problem(
                    path,
                    &format!(
                        "is a symbolic link that leads out of the folder (to `{}`)",
                        target.display()
                    ),
                ));
            }
            if target.is_file() {
                let bytes = fs_err::read(&target).map_err(|e| problem(path, &e.to_string()))?;
                out.push((rel_text, bytes));
            }
            continue;
        }
        if file_type.is_dir() {
            continue;
        }
        if !file_type.is_file() {
            return Err(problem(path, "is not a plain file"));
        }
        let bytes = fs_err::read(path).map_err(|e| problem(path, &e.to_string()))?;
        out.push((rel_text, bytes));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// `a/b/c` for a relative path of plain components, else `None`.
#[must_use]
pub fn relative_text(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?.to_owned()),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}
