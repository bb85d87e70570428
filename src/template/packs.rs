//! `pgmock pack`: making, checking, installing and removing template packs.
//!
//! A pack folder holds `pgmock-pack.json` (name, version, description,
//! license, templates) and `templates/NAME/VERSION/`. `build` writes
//! `NAME-VERSION.tar.gz` with a `SHA256SUMS` file listing every other file;
//! `install` checks those sums, refuses entries that would land outside the
//! pack (absolute paths, `..`, links, devices) and never replaces an
//! installed `name@version` by different content.

use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use semver::Version;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::catalog::hex;
use super::pack::{read_tree, MANIFEST};
use super::reference::is_plain_name;
use crate::error::{Error, Result};

/// The checksum file inside a built pack.
pub const SUMS: &str = "SHA256SUMS";
/// Largest archive member or folder file a pack may hold (templates are text).
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// A pack's manifest, `pgmock-pack.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Pack name: what its templates are prefixed with (`acme/claims`).
    pub name: String,
    /// Pack version (semver).
    pub version: String,
    /// One sentence.
    #[serde(default)]
    pub description: String,
    /// SPDX license expression.
    #[serde(default)]
    pub license: String,
    /// Its templates, `NAME@VERSION`, exactly as in `templates/`.
    #[serde(default)]
    pub templates: Vec<String>,
}

/// Files by path relative to the pack, with their bytes.
type Files = Vec<(String, Vec<u8>)>;

/// A pack's files in memory: relative path → bytes, sorted, with its manifest.
#[derive(Debug, Clone)]
pub struct PackFiles {
    /// The manifest.
    pub manifest: Manifest,
    /// Every file but `SHA256SUMS`.
    pub files: Vec<(String, Vec<u8>)>,
}

fn refuse(path: &Path, message: impl Into<String>) -> Error {
    Error::Pack {
        path: path.to_owned(),
        message: message.into(),
        hint: None,
    }
}

/// Checks a relative path from an archive or folder: plain names only.
fn safe_relative(path: &Path, raw: &str) -> Result<String> {
    let p = Path::new(raw);
    if p.is_absolute() || raw.starts_with('/') || raw.contains('\\') {
        return Err(refuse(
            path,
            format!("`{raw}` is an absolute path; a pack's paths stay inside it"),
        ));
    }
    let mut parts = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => parts.push(
                s.to_str()
                    .ok_or_else(|| refuse(path, format!("`{raw}` is not UTF-8")))?
                    .to_owned(),
            ),
            Component::CurDir => {}
            _ => {
                return Err(refuse(
                    path,
                    format!("`{raw}` leads out of the pack (`..`)"),
                ))
            }
        }
    }
    if parts.is_empty() {
        return Err(refuse(path, "an empty path"));
    }
    Ok(parts.join("/"))
}

/// Reads a pack from a folder or a `.tar.gz` built by `pack build`.
pub fn read(source: &Path) -> Result<PackFiles> {
    let meta = fs_err::metadata(source).map_err(|e| Error::io(source, e))?;
    let (files, sums) = if meta.is_dir() {
        let files = read_tree(source).map_err(|e| refuse(&e.path, e.message))?;
        split_sums(files)
    } else {
        read_archive(source)?
    };
    match sums {
        Some(text) => check_sums(source, &files, &text)?,
        None if !meta.is_dir() => {
            return Err(refuse(
                source,
                format!("the archive has no `{SUMS}`: build packs with `pgmock pack build`"),
            ))
        }
        None => {}
    }
    let manifest = manifest_of(source, &files)?;
    check_layout(source, &manifest, &files)?;
    Ok(PackFiles { manifest, files })
}

fn split_sums(files: Files) -> (Files, Option<String>) {
    let mut sums = None;
    let mut rest = Vec::new();
    for (p, bytes) in files {
        if p == SUMS {
            sums = Some(String::from_utf8_lossy(&bytes).into_owned());
        } else {
            rest.push((p, bytes));
        }
    }
    (rest, sums)
}

fn read_archive(path: &Path) -> Result<(Files, Option<String>)> {
    let file = fs_err::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let entries = archive
        .entries()
        .map_err(|e| refuse(path, format!("not a pack archive: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| refuse(path, format!("not a pack archive: {e}")))?;
        let raw = entry
            .path()
            .map_err(|e| refuse(path, e.to_string()))?
            .to_string_lossy()
            .into_owned();
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            safe_relative(path, &raw)?;
            continue;
        }
        if !kind.is_file() {
            return Err(refuse(
                path,
                format!("`{raw}` is a link or special file; packs hold plain files only"),
            ));
        }
        let rel = safe_relative(path, &raw)?;
        // Archives from `pack build` put everything under `NAME-VERSION/`.
        let Some((_, inner)) = rel.split_once('/') else {
            return Err(refuse(
                path,
                format!("`{rel}` is not inside the pack's top folder"),
            ));
        };
        if entry.size() > MAX_FILE {
            return Err(refuse(
                path,
                format!("`{rel}` is larger than a template file should be"),
            ));
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(path, e.to_string()))?;
        files.push((inner.to_owned(), bytes));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(split_sums(files))
}

/// `SHA256SUMS` text for files: `hash  path` lines, sorted by path.
#[must_use]
pub fn sums_text(files: &[(String, Vec<u8>)]) -> String {
    files
        .iter()
        .map(|(p, bytes)| format!("{}  {p}\n", hex(&Sha256::digest(bytes))))
        .collect()
}

fn check_sums(source: &Path, files: &[(String, Vec<u8>)], text: &str) -> Result<()> {
    let expected = sums_text(files);
    if expected == text {
        return Ok(());
    }
    let listed: Vec<(&str, &str)> = text.lines().filter_map(|l| l.split_once("  ")).collect();
    for (p, bytes) in files {
        match listed.iter().find(|(_, lp)| lp == p) {
            None => return Err(refuse(source, format!("`{p}` is not listed in {SUMS}"))),
            Some((hash, _)) if *hash != hex(&Sha256::digest(bytes)) => {
                return Err(refuse(source, format!("`{p}` does not match its checksum in {SUMS}: the pack was changed after it was built")));
            }
            Some(_) => {}
        }
    }
    for (_, lp) in &listed {
        if !files.iter().any(|(p, _)| p == lp) {
            return Err(refuse(
                source,
                format!("`{lp}` is listed in {SUMS} but missing"),
            ));
        }
    }
    Err(refuse(source, format!("{SUMS} is malformed")))
}

fn manifest_of(source: &Path, files: &[(String, Vec<u8>)]) -> Result<Manifest> {
    let Some((_, bytes)) = files.iter().find(|(p, _)| p == MANIFEST) else {
        return Err(refuse(
            source,
            format!("no `{MANIFEST}`: `pgmock pack init` makes a pack folder"),
        ));
    };
    let manifest: Manifest =
        serde_json::from_slice(bytes).map_err(|e| refuse(source, format!("{MANIFEST}: {e}")))?;
    if !is_plain_name(&manifest.name) {
        return Err(refuse(
            source,
            format!(
                "{MANIFEST}: pack name `{}` must be lowercase letters, digits, `-` and `_`",
                manifest.name
            ),
        ));
    }
    if Version::parse(&manifest.version).is_err() {
        return Err(refuse(
            source,
            format!(
                "{MANIFEST}: version `{}` is not a semver version like 1.0.0",
                manifest.version
            ),
        ));
    }
    Ok(manifest)
}

/// The templates under `templates/` must be exactly those the manifest lists.
fn check_layout(source: &Path, manifest: &Manifest, files: &[(String, Vec<u8>)]) -> Result<()> {
    let mut found: Vec<String> = Vec::new();
    for (p, _) in files {
        if p == MANIFEST || p == "README.md" || p == "LICENSE" {
            continue;
        }
        let parts: Vec<&str> = p.split('/').collect();
        match parts.as_slice() {
            ["templates", name, version, _, ..]
                if is_plain_name(name) && Version::parse(version).is_ok() =>
            {
                let id = format!("{name}@{version}");
                if !found.contains(&id) {
                    found.push(id);
                }
            }
            _ => {
                return Err(refuse(
                    source,
                    format!("`{p}` is not part of a pack (files go in templates/NAME/VERSION/)"),
                ))
            }
        }
    }
    for id in &found {
        let (name, version) = id.split_once('@').unwrap_or((id, ""));
        if !files
            .iter()
            .any(|(p, _)| p == &format!("templates/{name}/{version}/template.json"))
        {
            return Err(refuse(
                source,
                format!("`templates/{name}/{version}/` has no template.json"),
            ));
        }
    }
    let mut listed = manifest.templates.clone();
    listed.sort();
    found.sort();
    if listed != found {
        return Err(refuse(
            source,
            format!(
                "{MANIFEST} lists templates [{}] but the pack holds [{}]",
                listed.join(", "),
                found.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Writes `NAME-VERSION.tar.gz` of the pack in `dir` into `out_dir`; returns its path and sha256.
pub fn build(dir: &Path, out_dir: &Path) -> Result<(PathBuf, String)> {
    let files = read_tree(dir).map_err(|e| refuse(&e.path, e.message))?;
    let (files, _) = split_sums(files);
    let manifest = manifest_of(dir, &files)?;
    check_layout(dir, &manifest, &files)?;
    let top = format!("{}-{}", manifest.name, manifest.version);
    fs_err::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
    let path = out_dir.join(format!("{top}.tar.gz"));
    let mut all = files;
    all.push((SUMS.to_owned(), sums_text(&all).into_bytes()));
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let mut bytes = Vec::new();
    {
        let gz = flate2::write::GzEncoder::new(&mut bytes, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        tar.mode(tar::HeaderMode::Deterministic);
        for (rel, data) in &all {
            let mut header = tar::Header::new_ustar();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_entry_type(tar::EntryType::Regular);
            tar.append_data(&mut header, format!("{top}/{rel}"), data.as_slice())
                .map_err(|e| Error::io(&path, e))?;
        }
        let gz = tar.into_inner().map_err(|e| Error::io(&path, e))?;
        gz.finish().map_err(|e| Error::io(&path, e))?;
    }
    let mut out = crate::dump::output::AtomicOutput::create(Some(&path))?;
    std::io::Write::write_all(&mut out, &bytes).map_err(|e| Error::io(&path, e))?;
    out.commit(true)?;
    Ok((path, hex(&Sha256::digest(&bytes))))
}

/// What `install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// Newly installed at this folder.
    New(PathBuf),
    /// The same content was installed already.
    Already(PathBuf),
}

/// Installs a pack (folder or archive) into `packs/NAME/VERSION/`.
pub fn install(source: &Path, packs: &Path) -> Result<(Manifest, Installed)> {
    let pack = read(source)?;
    let dest = packs.join(&pack.manifest.name).join(&pack.manifest.version);
    if dest.exists() {
        let existing = read_tree(&dest).map_err(|e| refuse(&e.path, e.message))?;
        let (existing, _) = split_sums(existing);
        if existing == pack.files {
            return Ok((pack.manifest, Installed::Already(dest)));
        }
        return Err(refuse(
            source,
            format!(
                "`{}@{}` is installed already with different content; a published version never changes",
                pack.manifest.name, pack.manifest.version
            ),
        )
        .with_hint(format!("publish it as a new version, or remove the installed one first (`pgmock pack remove {}@{}`)", pack.manifest.name, pack.manifest.version)));
    }
    let parent = packs.join(&pack.manifest.name);
    fs_err::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    // Staged beside the destination and renamed into place: a failed install leaves nothing.
    let staging = tempfile::Builder::new()
        .prefix(".installing-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    let mut all = pack.files.clone();
    all.push((SUMS.to_owned(), sums_text(&pack.files).into_bytes()));
    for (rel, bytes) in &all {
        let target = staging.path().join(rel);
        if let Some(dir) = target.parent() {
            fs_err::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        fs_err::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
    }
    let staged = staging.keep();
    fs_err::rename(&staged, &dest).map_err(|e| Error::io(&dest, e))?;
    Ok((pack.manifest, Installed::New(dest)))
}

/// Removes installed `name` (every version, or one); returns the folders removed.
pub fn remove(packs: &Path, name: &str, version: Option<&str>) -> Result<Vec<PathBuf>> {
    if !is_plain_name(name) || version.is_some_and(|v| Version::parse(v).is_err()) {
        return Err(refuse(
            packs,
            format!("`{name}` is not an installed pack name"),
        ));
    }
    let base = packs.join(name);
    let targets: Vec<PathBuf> = match version {
        Some(v) => vec![base.join(v)],
        None => super::pack::installed(packs)
            .into_iter()
            .filter(|p| p.name == name)
            .map(|p| p.dir)
            .collect(),
    };
    let targets: Vec<PathBuf> = targets.into_iter().filter(|t| t.is_dir()).collect();
    if targets.is_empty() {
        return Err(refuse(
            packs,
            format!(
                "no pack `{name}{}` is installed here",
                version.map(|v| format!("@{v}")).unwrap_or_default()
            ),
        ));
    }
    for t in &targets {
        fs_err::remove_dir_all(t).map_err(|e| Error::io(t, e))?;
    }
    if fs_err::read_dir(&base)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
    {
        let _ = fs_err::remove_dir(&base);
    }
    Ok(targets)
}

/// Files under `templates/NAME/VERSION/` of an installed pack match its `SHA256SUMS`.
pub fn check_installed(
    pack_dir: &Path,
    template_dir: &Path,
    files: &[(String, Vec<u8>)],
) -> Result<(), String> {
    let Ok(text) = fs_err::read_to_string(pack_dir.join(SUMS)) else {
        return Err(format!("has no {SUMS}; reinstall the pack"));
    };
    let prefix = template_dir
        .strip_prefix(pack_dir)
        .ok()
        .and_then(super::pack::relative_text)
        .unwrap_or_default();
    for (rel, bytes) in files {
        let full = format!("{prefix}/{rel}");
        let hash = hex(&Sha256::digest(bytes));
        if !text
            .lines()
            .any(|l| l.split_once("  ") == Some((hash.as_str(), full.as_str())))
        {
            return Err(format!(
                "`{full}` does not match the pack's {SUMS}: the installed pack was changed"
            ));
        }
    }
    Ok(())
}

/// A new pack folder with a manifest, one example template and a README.
pub fn init(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    if !is_plain_name(name) {
        return Err(refuse(
            dir,
            format!("pack name `{name}` must be lowercase letters, digits, `-` and `_`"),
        ));
    }
    let manifest_path = dir.join(MANIFEST);
    if manifest_path.exists() || dir.join("templates").exists() {
        return Err(refuse(
            dir,
            "already holds a pack; `pgmock pack init` never overwrites files",
        ));
    }
    let manifest = Manifest {
        name: name.to_owned(),
        version: "0.1.0".into(),
        description: format!("{name}'s pgmock templates"),
        license: "MIT".into(),
        templates: vec!["example@1.0.0".into()],
    };
    let template = serde_json::json!({
        "name": "example",
        "version": "1.0.0",
        "description": "A starting point: accounts and their notes.",
        "tags": ["example"],
        "pgmock": format!(">={}", env!("CARGO_PKG_VERSION")),
        "changelog": "First version.",
        "params": {
            "accounts": { "type": "integer", "default": 100, "min": 1, "description": "Number of accounts" }
        },
        "tables": {
            "accounts": {
                "rows": "{{ accounts }}",
                "comment": "Customer accounts",
                "columns": {
                    "id": { "type": "bigserial", "primary_key": true },
                    "name": { "type": "text", "nullable": false },
                    "email": { "type": "text", "unique": true },
                    "created_at": { "type": "timestamptz", "nullable": false }
                }
            },
            "notes": {
                "rows": { "per": "accounts", "min": 0, "max": 5 },
                "columns": {
                    "id": { "type": "bigserial", "primary_key": true },
                    "account_id": { "type": "bigint", "nullable": false, "references": "accounts" },
                    "body": "text"
                },
                "indexes": [{ "columns": ["account_id"] }]
            }
        }
    });
    let contract = serde_json::json!({
        "description": "What every database made from this template satisfies; `pgmock pack verify` checks it in a throwaway PostgreSQL server.",
        "invariants": [
            { "name": "every note belongs to an account", "sql": "SELECT n.id FROM notes n LEFT JOIN accounts a ON a.id = n.account_id WHERE a.id IS NULL" },
            { "name": "e-mails are unique ignoring case", "sql": "SELECT lower(email) FROM accounts GROUP BY 1 HAVING count(*) > 1" }
        ],
        "targets": [
            { "name": "accounts have about 2.5 notes each (0 to 5)", "sql": "SELECT count(*)::float8 / (SELECT count(*) FROM accounts) FROM notes", "min": 1.5, "max": 3.5 }
        ]
    });
    let readme = format!(
        "# {name}\n\nA pgmock template pack. Use it from a project as `{name}/example@^1`.\n\n\
         ```sh\npgmock pack verify            # every template resolves, validates and generates; contracts are checked\npgmock pack build -o dist     # dist/{name}-0.1.0.tar.gz with a SHA256SUMS inside\npgmock pack install dist/{name}-0.1.0.tar.gz\n```\n\n\
         Add templates as `templates/NAME/VERSION/template.json` and list them in\n`pgmock-pack.json`. A published version never changes: bump `version` instead.\n\n\
         Beside a `template.json`, `contract.json` states what realistic data of that template\nlooks like: `invariants` are queries that must return no rows, `targets` queries whose\none number must lie between `min` and `max`.\n"
    );
    let files = [
        (
            manifest_path,
            serde_json::to_string_pretty(&manifest).unwrap_or_default(),
        ),
        (
            dir.join("templates/example/1.0.0/template.json"),
            serde_json::to_string_pretty(&template).unwrap_or_default(),
        ),
        (
            dir.join("templates/example/1.0.0/contract.json"),
            serde_json::to_string_pretty(&contract).unwrap_or_default(),
        ),
        (dir.join("README.md"), readme),
    ];
    let mut written = Vec::new();
    for (path, mut text) in files {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs_err::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
