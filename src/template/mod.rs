//! The template stage: project file + templates → one effective project document.
//!
//! Input: a [`ProjectFile`] and [`Options`] (where else to look for templates,
//! what to do with the lock). Output: [`Resolved`], the effective document
//! that `schema::load` reads, with [`Sources`] that map every value back to
//! the file it was written in, and the templates used (for `pgmock.lock`).
//!
//! Precedence, lowest first, each applied over the one before:
//! 1. templates a template `extends` (merge patch, child over parent);
//! 2. the project's `templates`, in listed order, side by side (the same
//!    table defined differently by two of them is a conflict);
//! 3. `include`d project files, in listed order (merge patch);
//! 4. the project's own keys (`tables`, `types`, ...; merge patch);
//! 5. `overrides` (merge patch, RFC 7396);
//! 6. `patches` (JSON patch, RFC 6902).
//!
//! This stage never reads a table's columns for meaning: it only moves JSON.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

pub mod catalog;
pub mod contract;
pub mod describe;
pub mod layer;
pub mod lock;
pub mod pack;
pub mod packs;
pub mod params;
pub mod reference;
pub mod rename;
pub mod scaffold;

pub(crate) mod builtin;

use catalog::{Candidate, Catalog};
use layer::Layer;
use lock::{Entry, Lock, LockMode};
use params::Decls;
use reference::TemplateRef;
use rename::Placement;

use crate::diagnostic::did_you_mean;
use crate::error::{Error, Problem, Result, Source};
use crate::project::{self, ProjectFile};
use crate::provenance::{FileId, Origin, Sources};
use crate::source_map::child;

/// How deep `extends` and `include` may nest.
pub const MAX_DEPTH: usize = 8;

/// The keys of an effective project document, in the order `pgmock resolve` prints them.
pub const DOCUMENT_KEYS: &[&str] = &[
    "$schema",
    "database",
    "seed",
    "null_ratio",
    "locale",
    "naming",
    "generators",
    "types",
    "sequences",
    "tables",
];

/// Keys of a project file that this stage consumes.
pub const COMPOSITION_KEYS: &[&str] = &["templates", "include", "overrides", "patches"];
/// Keys of `template.json` that describe the template rather than the database.
pub const METADATA_KEYS: &[&str] = &[
    "$schema",
    "name",
    "version",
    "description",
    "tags",
    "pgmock",
    "extends",
    "params",
    "changelog",
    "patches",
];
/// Keys a template body may set (the rest of a project file is the project's own business).
const BODY_KEYS: &[&str] = &[
    "database",
    "naming",
    "null_ratio",
    "generators",
    "types",
    "sequences",
    "tables",
];
const ENTRY_KEYS: &[&str] = &["name", "version", "params", "prefix", "schema"];

/// Where templates are looked for and what to do with the lock.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Extra template folders or pack folders (`--template-path`, then `PGMOCK_TEMPLATE_PATH`).
    pub template_paths: Vec<PathBuf>,
    /// Folders of installed packs; `None` for the defaults (the project's
    /// `.pgmock/packs`, then `PGMOCK_HOME/packs` or the platform's data folder).
    pub pack_dirs: Option<Vec<PathBuf>>,
    /// What to do with `pgmock.lock`.
    pub lock: LockMode,
}

/// One template a resolution used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Used {
    /// The template.
    pub candidate_id: String,
    /// Its lock entry.
    pub entry: Entry,
}

/// The effective document and where it came from.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// A plain project document: no template keys.
    pub document: Value,
    /// Its files and the origin of every value.
    pub sources: Sources,
    /// The lock that describes the templates used (empty when none were).
    pub lock: Lock,
    /// Whether the lock differs from the one on disk (`--update` writes it).
    pub lock_changed: bool,
    /// The lock file's path.
    pub lock_path: PathBuf,
}

/// The user's pack folder: `PGMOCK_HOME/packs`, else the platform's data folder.
#[must_use]
pub fn user_packs_dir() -> Option<PathBuf> {
    match std::env::var_os(crate::env::PGMOCK_HOME) {
        Some(home) if !home.is_empty() => Some(PathBuf::from(home).join("packs")),
        _ => dirs::data_dir().map(|d| d.join("pgmock").join("packs")),
    }
}

/// The catalog a project in `project_dir` sees with `options`.
#[must_use]
pub fn catalog(project_dir: Option<&Path>, options: &Options) -> Catalog {
    let pack_dirs = options.pack_dirs.clone().unwrap_or_else(|| {
        let mut dirs = Vec::new();
        if let Some(p) = project_dir {
            dirs.push(p.join(".pgmock").join("packs"));
        }
        dirs.extend(user_packs_dir());
        dirs
    });
    let mut paths = options.template_paths.clone();
    if let Some(env) = std::env::var_os(crate::env::PGMOCK_TEMPLATE_PATH) {
        paths.extend(std::env::split_paths(&env).filter(|p| !p.as_os_str().is_empty()));
    }
    Catalog::new(project_dir, &paths, &pack_dirs)
}

/// The folder a project file lives in (`.` for a bare file name).
#[must_use]
pub fn project_dir(config: &Path) -> PathBuf {
    match config.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Whether a project document uses composition at all.
#[must_use]
pub fn composes(doc: &Value) -> bool {
    COMPOSITION_KEYS.iter().any(|k| doc.get(k).is_some())
}

/// Resolves a project read from `config` into its effective document.
pub fn resolve(config: &Path, file: ProjectFile, options: &Options) -> Result<Resolved> {
    let dir = project_dir(config);
    let lock_path = dir.join(lock::LOCK_FILE);
    if !composes(&file.document) {
        return Ok(Resolved {
            document: file.document,
            sources: Sources::single(file.source),
            lock: Lock::new(Vec::new()),
            lock_changed: false,
            lock_path,
        });
    }
    let existing = match options.lock {
        LockMode::Update => None,
        LockMode::Use | LockMode::Locked => Lock::read(&lock_path)?,
    };
    if options.lock == LockMode::Locked && existing.is_none() {
        return Err(Error::LockMismatch {
            path: lock_path,
            message: "`--locked` needs a lock file, and there is none".into(),
            hint: "run `pgmock lock` and commit `pgmock.lock`".into(),
        });
    }
    let root = fs_err::canonicalize(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut resolver = Resolver {
        catalog: catalog(Some(&dir), options),
        files: Vec::new(),
        loaded: HashMap::new(),
        used: Vec::new(),
        problems: Vec::new(),
        lock: existing.clone(),
        root,
    };
    let doc = file.document;
    resolver.files.push(file.source);
    let canonical = fs_err::canonicalize(config).unwrap_or_else(|_| config.to_owned());
    let mut layer = resolver.project(&doc, 0, &dir, &mut vec![canonical]);
    let mut sources = layer.sources.clone();
    sources.files = std::mem::take(&mut resolver.files);
    if !resolver.problems.is_empty() {
        // Every problem of this stage names its file; origins are for the effective document.
        return Err(Error::Invalid {
            sources: Box::new(sources),
            problems: resolver.problems,
        });
    }
    layer.doc = canonical_order(layer.doc);
    let lock = Lock::new(resolver.used.iter().map(|u| u.entry.clone()).collect());
    let lock_changed = existing.as_ref() != Some(&lock);
    if lock_changed && options.lock != LockMode::Update {
        if let Some(old) = &existing {
            return Err(lock_difference(&lock_path, old, &lock));
        }
    }
    Ok(Resolved {
        document: layer.doc,
        sources,
        lock,
        lock_changed,
        lock_path,
    })
}

/// The error for a lock that no longer describes the templates the project uses.
fn lock_difference(path: &Path, old: &Lock, new: &Lock) -> Error {
    let gone: Vec<String> = old
        .templates
        .iter()
        .filter(|e| {
            !new.templates
                .iter()
                .any(|n| n.name == e.name && n.version == e.version && n.source == e.source)
        })
        .map(|e| format!("`{}@{}`", e.name, e.version))
        .collect();
    let added: Vec<String> = new
        .templates
        .iter()
        .filter(|e| {
            !old.templates
                .iter()
                .any(|o| o.name == e.name && o.version == e.version && o.source == e.source)
        })
        .map(|e| format!("`{}@{}`", e.name, e.version))
        .collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("the project now uses {}", added.join(", ")));
    }
    if !gone.is_empty() {
        parts.push(format!("it no longer uses {}", gone.join(", ")));
    }
    Error::LockMismatch {
        path: path.to_owned(),
        message: format!(
            "the lock no longer matches the project: {}",
            parts.join("; ")
        ),
        hint: "run `pgmock lock` (or add `--update`) to write a new lock".into(),
    }
}

/// Top-level keys in a fixed order, so `pgmock resolve` output diffs well.
fn canonical_order(doc: Value) -> Value {
    let Value::Object(mut map) = doc else {
        return doc;
    };
    let mut out = Map::new();
    for &key in DOCUMENT_KEYS {
        if let Some(v) = map.remove(key) {
            out.insert(key.to_owned(), v);
        }
    }
    out.extend(map);
    Value::Object(out)
}

/// A template file read once and reused (a template extended by two others).
#[derive(Debug, Clone)]
struct Loaded {
    file: FileId,
    doc: Value,
    decls: Decls,
    hash: String,
}

struct Resolver {
    catalog: Catalog,
    files: Vec<Source>,
    loaded: HashMap<String, Loaded>,
    used: Vec<Used>,
    problems: Vec<Problem>,
    lock: Option<Lock>,
    root: PathBuf,
}

/// Who asked for a template, for messages about chains (`required by pgmock.json`).
#[derive(Debug, Clone)]
struct Requirer {
    /// The file and pointer of the reference.
    file: FileId,
    pointer: String,
    /// `pgmock.json` or `saas@1.1.0`, outermost first.
    chain: Vec<String>,
}

impl Resolver {
    fn label(&self, file: FileId) -> String {
        self.files.get(file).map_or_else(String::new, |f| {
            f.label.clone().unwrap_or_else(|| {
                f.path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            })
        })
    }

    fn problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// A project document (the project file or an included one) as a layer.
    fn project(
        &mut self,
        doc: &Value,
        file: FileId,
        dir: &Path,
        stack: &mut Vec<PathBuf>,
    ) -> Layer {
        let mut acc = Layer::default();
        let Some(top) = doc.as_object() else {
            return acc;
        };
        if let Some(list) = top.get("templates") {
            match list.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let p = child("/templates", &i.to_string());
                        let requirer = Requirer {
                            file,
                            pointer: p.clone(),
                            chain: vec![self.label(file)],
                        };
                        if let Some((layer, id)) = self.entry(item, &requirer) {
                            let name = id.split('@').next().unwrap_or(&id).to_owned();
                            let problems = acc.add_beside(&layer, &id, &name);
                            self.problems.extend(problems);
                        }
                    }
                }
                None => self.problem(
                    Problem::new("/templates", "`templates` must be a list of template references")
                        .in_file(file)
                        .hint("for example `\"templates\": [\"ecommerce@^1\", { \"name\": \"saas\", \"prefix\": \"billing_\" }]`"),
                ),
            }
        }
        if let Some(list) = top.get("include") {
            match list.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let p = child("/include", &i.to_string());
                        if let Some(layer) = self.include(item, file, &p, dir, stack) {
                            acc.merge_patch(&layer);
                        }
                    }
                }
                None => self.problem(
                    Problem::new("/include", "`include` must be a list of project file paths")
                        .in_file(file)
                        .hint("for example `\"include\": [\"teams/billing.json\"]`"),
                ),
            }
        }
        let mut own = Map::new();
        for (k, v) in top {
            // An included file's `$schema` is about that file, not the project.
            let included_schema = file != 0 && k == "$schema";
            if !COMPOSITION_KEYS.contains(&k.as_str()) && !included_schema {
                own.insert(k.clone(), v.clone());
            }
        }
        let mut own_sources = Sources::default();
        own_sources.set(
            "",
            Origin {
                file,
                pointer: String::new(),
            },
        );
        acc.merge_patch(&Layer::new(Value::Object(own), own_sources));
        if let Some(overrides) = top.get("overrides") {
            if overrides.is_object() {
                let mut s = Sources::default();
                s.set(
                    "/overrides",
                    Origin {
                        file,
                        pointer: "/overrides".into(),
                    },
                );
                acc.merge_patch_at(overrides, &s, "/overrides");
            } else {
                self.problem(
                    Problem::new("/overrides", "`overrides` must be an object: a JSON merge patch (RFC 7396) over the composed document")
                        .in_file(file)
                        .hint("for example `\"overrides\": { \"tables\": { \"orders\": { \"rows\": 500 } } }`"),
                );
            }
        }
        if let Some(patches) = top.get("patches") {
            let problems = acc.apply_patches(patches, file, "/patches");
            self.problems.extend(problems);
        }
        acc
    }

    /// One `include` entry: another project file, resolved on its own, then merged.
    fn include(
        &mut self,
        item: &Value,
        file: FileId,
        p: &str,
        dir: &Path,
        stack: &mut Vec<PathBuf>,
    ) -> Option<Layer> {
        let Some(rel) = item.as_str() else {
            self.problem(
                Problem::new(p, "an `include` entry is a path to a project file").in_file(file),
            );
            return None;
        };
        let rel_path = Path::new(rel);
        if rel_path.is_absolute() || rel.is_empty() {
            self.problem(
                Problem::new(p, format!("`{rel}` is not a relative path"))
                    .in_file(file)
                    .hint("include files by a path relative to the including file, inside the project folder"),
            );
            return None;
        }
        let path = dir.join(rel_path);
        let canonical = match fs_err::canonicalize(&path) {
            Ok(c) => c,
            Err(_) => {
                self.problem(
                    Problem::new(p, format!("cannot find `{}`", path.display())).in_file(file),
                );
                return None;
            }
        };
        if !canonical.starts_with(&self.root) {
            self.problem(
                Problem::new(p, format!("`{rel}` is outside the project folder"))
                    .in_file(file)
                    .hint("included files must live in the project's folder or below it"),
            );
            return None;
        }
        if let Some(pos) = stack.iter().position(|s| s == &canonical) {
            let mut chain: Vec<String> = stack[pos..]
                .iter()
                .map(|s| s.display().to_string())
                .collect();
            chain.push(canonical.display().to_string());
            self.problem(
                Problem::new(p, format!("`{rel}` includes itself: {}", chain.join(" → ")))
                    .in_file(file)
                    .hint("remove one of the `include` entries of the cycle"),
            );
            return None;
        }
        if stack.len() > MAX_DEPTH {
            self.problem(
                Problem::new(p, format!("includes nest more than {MAX_DEPTH} deep")).in_file(file),
            );
            return None;
        }
        let included = match project::read(&path) {
            Ok(f) => f,
            Err(Error::Invalid { sources, problems }) => {
                let base = self.files.len();
                self.files.extend(sources.files);
                self.problems.extend(problems.into_iter().map(|pr| {
                    let f = pr.file.unwrap_or(0) + base;
                    pr.in_file(f)
                }));
                return None;
            }
            Err(other) => {
                self.problem(
                    Problem::new(
                        p,
                        format!(
                            "cannot read `{}`: {}",
                            path.display(),
                            crate::diagnostic::render(&other).trim()
                        ),
                    )
                    .in_file(file),
                );
                return None;
            }
        };
        let id = self.files.len();
        let doc = included.document;
        self.files.push(included.source);
        stack.push(canonical);
        let inc_dir = project_dir(&path);
        let layer = self.project(&doc, id, &inc_dir, stack);
        stack.pop();
        Some(layer)
    }

    /// One entry of a project's `templates`: reference, parameters, placement.
    fn entry(&mut self, item: &Value, requirer: &Requirer) -> Option<(Layer, String)> {
        let file = requirer.file;
        let p = requirer.pointer.as_str();
        let (text, params, placement, name_ptr) = match item {
            Value::String(s) => (s.clone(), None, Placement::default(), p.to_owned()),
            Value::Object(o) => {
                for key in o.keys() {
                    if !ENTRY_KEYS.contains(&key.as_str()) {
                        let mut problem = Problem::new(
                            child(p, key),
                            format!("unknown key `{key}` in a template reference"),
                        )
                        .in_file(file)
                        .at_key();
                        problem = match did_you_mean(key, ENTRY_KEYS.iter().copied()) {
                            Some(s) => problem.hint(format!("did you mean `{s}`?")),
                            None => problem.hint("a reference has `name`, `version`, `params`, `prefix` and `schema`"),
                        };
                        self.problem(problem);
                    }
                }
                let Some(name) = o.get("name").and_then(Value::as_str) else {
                    self.problem(
                        Problem::new(p, "a template reference needs a `name`").in_file(file),
                    );
                    return None;
                };
                let text = match o.get("version") {
                    None => name.to_owned(),
                    Some(Value::String(v)) => format!("{name}@{v}"),
                    Some(_) => {
                        self.problem(
                            Problem::new(
                                child(p, "version"),
                                "`version` is a version range as a string, like \"^1.1\"",
                            )
                            .in_file(file),
                        );
                        return None;
                    }
                };
                let params = match o.get("params") {
                    None => None,
                    Some(Value::Object(m)) => Some(m.clone()),
                    Some(_) => {
                        self.problem(
                            Problem::new(
                                child(p, "params"),
                                "`params` must be an object: parameter name → value",
                            )
                            .in_file(file),
                        );
                        return None;
                    }
                };
                let mut placement = Placement::default();
                for (key, slot) in [
                    ("prefix", &mut placement.prefix),
                    ("schema", &mut placement.schema),
                ] {
                    match o.get(key) {
                        None => {}
                        Some(Value::String(s)) if valid_placement(key, s) => {
                            *slot = Some(s.clone())
                        }
                        Some(_) => {
                            self.problem(
                                Problem::new(child(p, key), format!("`{key}` must be a name of lowercase letters, digits and `_`{}", if key == "prefix" { " (`billing_`)" } else { " (`billing`)" }))
                                    .in_file(file),
                            );
                            return None;
                        }
                    }
                }
                let name_ptr = child(
                    p,
                    if o.contains_key("version") {
                        "version"
                    } else {
                        "name"
                    },
                );
                (text, params, placement, name_ptr)
            }
            _ => {
                self.problem(
                    Problem::new(
                        p,
                        "a template reference is `\"NAME@RANGE\"` or an object with `name`",
                    )
                    .in_file(file),
                );
                return None;
            }
        };
        let reference = match TemplateRef::parse(&text) {
            Ok(r) => r,
            Err(e) => {
                self.problem(Problem::new(&name_ptr, e).in_file(file));
                return None;
            }
        };
        let requirer = Requirer {
            pointer: name_ptr,
            ..requirer.clone()
        };
        let params_ptr = child(p, "params");
        let (mut layer, id) = self.instantiate(
            &reference,
            params.as_ref(),
            (file, &params_ptr),
            &requirer,
            0,
        )?;
        rename::place(&mut layer, &placement);
        Some((layer, id))
    }

    /// Picks the candidate a reference means, honouring the lock.
    fn pick(&mut self, reference: &TemplateRef, requirer: &Requirer) -> Option<Candidate> {
        if let Some(lock) = &self.lock {
            let locked = lock
                .templates
                .iter()
                .filter(|e| e.name == reference.name)
                .filter_map(|e| semver::Version::parse(&e.version).ok().map(|v| (v, e)))
                .filter(|(v, _)| reference.req.matches(v))
                .max_by(|a, b| a.0.cmp(&b.0));
            if let Some((version, entry)) = locked {
                if let Some(c) = self.catalog.exact(&reference.name, &version, &entry.source) {
                    return Some(c);
                }
                let source = entry.source.clone();
                self.problem(
                    Problem::new(&requirer.pointer, format!("pgmock.lock pins `{}@{version}` from `{source}`, which is no longer there", reference.name))
                        .in_file(requirer.file)
                        .hint("run `pgmock lock` (or add `--update`) to pick the templates afresh"),
                );
                return None;
            }
        }
        if let Some(c) = self.catalog.pick(reference) {
            return Some(c);
        }
        let versions = self.catalog.versions(&reference.name);
        // Innermost first: `child@1.0.0` requires it, required by pgmock.json.
        let mut who: Vec<String> = requirer
            .chain
            .iter()
            .rev()
            .map(|c| format!("`{c}`"))
            .collect();
        let first = who.remove(0);
        let chain = if who.is_empty() {
            format!("required by {first}")
        } else {
            format!(
                "{first} requires `{reference}`, required by {}",
                who.join(", required by ")
            )
        };
        let problem = if versions.is_empty() {
            let names = self.catalog.names();
            let mut problem = Problem::new(
                &requirer.pointer,
                format!("there is no template named `{}`", reference.name),
            )
            .in_file(requirer.file);
            problem = match did_you_mean(&reference.name, names.iter().map(String::as_str)) {
                Some(s) => problem.hint(format!("did you mean `{s}`? (`pgmock templates list` shows them all)")),
                None => problem.hint(format!(
                    "the templates are {} (`pgmock templates list`); a pack's templates are named `PACK/NAME`",
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                )),
            };
            problem
        } else {
            let mut shown: Vec<String> = versions.iter().map(|c| c.version.to_string()).collect();
            shown.dedup();
            Problem::new(
                &requirer.pointer,
                format!(
                    "no version of `{}` matches `{}`: {chain}",
                    reference.name, reference.req
                ),
            )
            .in_file(requirer.file)
            .hint(format!("there are {}", shown.join(", ")))
        };
        self.problem(problem);
        None
    }

    /// Reads a candidate's `template.json` (once), checks its metadata and reads its parameters.
    fn load(&mut self, candidate: &Candidate, requirer: &Requirer) -> Option<Loaded> {
        let id = candidate.id();
        let key = format!("{id} {}", candidate.origin.describe());
        if let Some(l) = self.loaded.get(&key) {
            return Some(l.clone());
        }
        let files = match catalog::files(candidate) {
            Ok(f) => f,
            Err(e) => {
                self.problem(
                    Problem::new(
                        &requirer.pointer,
                        format!("cannot use `{id}`: `{}` {}", e.path.display(), e.message),
                    )
                    .in_file(requirer.file),
                );
                return None;
            }
        };
        if let (catalog::Origin::Pack(pack), Some(dir)) = (&candidate.origin, &candidate.dir) {
            let pack_root = dir.ancestors().nth(3).unwrap_or(dir);
            if let Err(message) = packs::check_installed(pack_root, dir, &files) {
                self.problem(
                    Problem::new(
                        &requirer.pointer,
                        format!("cannot use `{id}` from pack `{pack}`: {message}"),
                    )
                    .in_file(requirer.file)
                    .hint("reinstall the pack with `pgmock pack install`"),
                );
                return None;
            }
        }
        let hash = catalog::content_hash(&files);
        let Some((_, bytes)) = files.iter().find(|(p, _)| p == "template.json") else {
            self.problem(
                Problem::new(&requirer.pointer, format!("`{id}` has no template.json"))
                    .in_file(requirer.file),
            );
            return None;
        };
        let parsed =
            project::parse_bytes(bytes.clone(), candidate.display_path(), Some(id.clone()));
        let file = self.files.len();
        let doc = match parsed {
            Ok(f) => {
                self.files.push(f.source);
                f.document
            }
            Err(Error::Invalid { sources, problems }) => {
                self.files.extend(sources.files);
                self.problems
                    .extend(problems.into_iter().map(|p| p.in_file(file)));
                return None;
            }
            Err(Error::Json {
                source_doc,
                message,
                line,
                column,
            }) => {
                self.files.push(*source_doc);
                self.problem(
                    Problem::new(
                        "",
                        format!(
                            "invalid JSON in `{id}`: {message} at line {line}, column {column}"
                        ),
                    )
                    .in_file(file),
                );
                return None;
            }
            Err(_) => return None,
        };
        let before = self.problems.len();
        self.check_metadata(&doc, candidate, file);
        let mut problems = Vec::new();
        let decls = params::read_decls(doc.get("params"), "/params", &mut problems);
        self.problems
            .extend(problems.into_iter().map(|p| p.in_file(file)));
        if self.problems.len() > before {
            return None;
        }
        let loaded = Loaded {
            file,
            doc,
            decls,
            hash,
        };
        self.loaded.insert(key, loaded.clone());
        Some(loaded)
    }

    fn check_metadata(&mut self, doc: &Value, candidate: &Candidate, file: FileId) {
        let Some(top) = doc.as_object() else {
            self.problem(Problem::new("", "a template is a JSON object").in_file(file));
            return;
        };
        for key in top.keys() {
            if !METADATA_KEYS.contains(&key.as_str()) && !BODY_KEYS.contains(&key.as_str()) {
                let all = METADATA_KEYS.iter().chain(BODY_KEYS).copied();
                let mut problem =
                    Problem::new(child("", key), format!("unknown key `{key}` in a template"))
                        .in_file(file)
                        .at_key();
                problem = match did_you_mean(key, all) {
                    Some(s) => problem.hint(format!("did you mean `{s}`?")),
                    None if COMPOSITION_KEYS.contains(&key.as_str()) || key == "seed" => {
                        problem.hint("templates describe a database; `seed`, `templates`, `include` and `overrides` belong in a project file (use `extends` to build on another template)")
                    }
                    None => problem,
                };
                self.problem(problem);
            }
        }
        let bare = candidate.name.rsplit('/').next().unwrap_or(&candidate.name);
        match top.get("name").and_then(Value::as_str) {
            Some(n) if n == bare => {}
            Some(n) => self.problem(
                Problem::new(
                    "/name",
                    format!("the template says its name is `{n}`, but its folder says `{bare}`"),
                )
                .in_file(file),
            ),
            None => self.problem(
                Problem::new("", format!("a template needs `\"name\": \"{bare}\"`")).in_file(file),
            ),
        }
        match top.get("version").and_then(Value::as_str) {
            Some(v) if semver::Version::parse(v).ok().as_ref() == Some(&candidate.version) => {}
            Some(v) => self.problem(
                Problem::new(
                    "/version",
                    format!(
                        "the template says its version is `{v}`, but its folder says `{}`",
                        candidate.version
                    ),
                )
                .in_file(file),
            ),
            None => self.problem(
                Problem::new(
                    "",
                    format!("a template needs `\"version\": \"{}\"`", candidate.version),
                )
                .in_file(file),
            ),
        }
        if let Some(req) = top.get("pgmock") {
            let ours = semver::Version::parse(env!("CARGO_PKG_VERSION")).ok();
            match (req.as_str().map(reference::parse_req), ours) {
                (Some(Ok(r)), Some(v)) if !r.matches(&v) => self.problem(
                    Problem::new(
                        "/pgmock",
                        format!(
                            "`{}` needs pgmock `{r}`, and this is pgmock {v}",
                            candidate.id()
                        ),
                    )
                    .in_file(file)
                    .hint("upgrade pgmock, or pin an older version of the template"),
                ),
                (Some(Err(e)), _) => self.problem(Problem::new("/pgmock", e).in_file(file)),
                (None, _) => self.problem(
                    Problem::new(
                        "/pgmock",
                        "`pgmock` is a version range as a string, like \">=0.1\"",
                    )
                    .in_file(file),
                ),
                _ => {}
            }
        }
    }

    /// Every parameter a template takes: its own and those of the templates it extends.
    fn all_decls(&mut self, loaded: &Loaded, requirer: &Requirer, depth: usize) -> Decls {
        let mut out: Decls = Vec::new();
        if depth <= MAX_DEPTH {
            for (reference, _, _) in extends_of(&loaded.doc) {
                let Ok(r) = TemplateRef::parse(&reference) else {
                    continue;
                };
                let Some(c) = self.catalog.pick(&r) else {
                    continue;
                };
                let Some(parent) = self.load(&c, requirer) else {
                    continue;
                };
                for (name, decl) in self.all_decls(&parent, requirer, depth + 1) {
                    out.retain(|(n, _)| n != &name);
                    out.push((name, decl));
                }
            }
        }
        for (name, decl) in &loaded.decls {
            out.retain(|(n, _)| n != name);
            out.push((name.clone(), decl.clone()));
        }
        out
    }

    /// A template with parameter values: its `extends` chain merged, its body rendered.
    fn instantiate(
        &mut self,
        reference: &TemplateRef,
        given: Option<&Map<String, Value>>,
        (given_file, given_ptr): (FileId, &str),
        requirer: &Requirer,
        depth: usize,
    ) -> Option<(Layer, String)> {
        let candidate = self.pick(reference, requirer)?;
        let id = candidate.id();
        if requirer.chain.iter().any(|c| c == &id) {
            let mut chain = requirer.chain.clone();
            chain.push(id.clone());
            self.problem(
                Problem::new(
                    &requirer.pointer,
                    format!("`{id}` extends itself: {}", chain.join(" → ")),
                )
                .in_file(requirer.file),
            );
            return None;
        }
        if depth > MAX_DEPTH {
            self.problem(
                Problem::new(
                    &requirer.pointer,
                    format!("`extends` nests more than {MAX_DEPTH} deep at `{id}`"),
                )
                .in_file(requirer.file),
            );
            return None;
        }
        let loaded = self.load(&candidate, requirer)?;
        let decls = self.all_decls(&loaded, requirer, 0);
        let mut problems = Vec::new();
        let values = params::bind(&decls, given, given_ptr, &id, &mut problems);
        self.problems
            .extend(problems.into_iter().map(|p| p.in_file(given_file)));

        let mut layer = Layer::default();
        for (text, j, entry_params) in extends_of(&loaded.doc) {
            let ptr = child("/extends", &j.to_string());
            let parent_ref = match TemplateRef::parse(&text) {
                Ok(r) => r,
                Err(e) => {
                    self.problem(Problem::new(&ptr, e).in_file(loaded.file));
                    continue;
                }
            };
            let mut chain = requirer.chain.clone();
            chain.push(id.clone());
            let parent_requirer = Requirer {
                file: loaded.file,
                pointer: ptr.clone(),
                chain,
            };
            let Some(parent) = self
                .catalog
                .pick(&parent_ref)
                .and_then(|c| self.load(&c, &parent_requirer))
            else {
                // `instantiate` reports why.
                let _ = self.instantiate(
                    &parent_ref,
                    None,
                    (loaded.file, &ptr),
                    &parent_requirer,
                    depth + 1,
                );
                continue;
            };
            let parent_decls = self.all_decls(&parent, &parent_requirer, 0);
            let mut passed = Map::new();
            for (name, _) in &parent_decls {
                if let Some(v) = values.get(name) {
                    passed.insert(name.clone(), v.clone());
                }
            }
            let mut problems = Vec::new();
            if let Some(Value::Object(extra)) = &entry_params {
                for (k, v) in extra {
                    let rendered = params::render_value(
                        v,
                        &values,
                        &child(&child(&ptr, "params"), k),
                        &mut problems,
                    );
                    passed.insert(k.clone(), rendered);
                }
            }
            self.problems
                .extend(problems.into_iter().map(|p| p.in_file(loaded.file)));
            let params_ptr = child(&ptr, "params");
            if let Some((parent_layer, _)) = self.instantiate(
                &parent_ref,
                Some(&passed),
                (loaded.file, &params_ptr),
                &parent_requirer,
                depth + 1,
            ) {
                layer.merge_patch(&parent_layer);
            }
        }

        let mut body = Map::new();
        if let Some(top) = loaded.doc.as_object() {
            for (k, v) in top {
                if BODY_KEYS.contains(&k.as_str()) {
                    body.insert(k.clone(), v.clone());
                }
            }
        }
        let mut problems = Vec::new();
        let (rendered, renamed) = params::render(&Value::Object(body), &values, &mut problems);
        self.problems
            .extend(problems.into_iter().map(|p| p.in_file(loaded.file)));
        let mut own_sources = Sources::default();
        own_sources.set(
            "",
            Origin {
                file: loaded.file,
                pointer: String::new(),
            },
        );
        for (before, after) in renamed {
            own_sources.set(
                &after,
                Origin {
                    file: loaded.file,
                    pointer: before,
                },
            );
        }
        layer.merge_patch(&Layer::new(rendered, own_sources));
        if let Some(patches) = loaded.doc.get("patches") {
            let problems = layer.apply_patches(patches, loaded.file, "/patches");
            self.problems.extend(problems);
        }
        let entry = Entry {
            name: candidate.name.clone(),
            version: candidate.version.to_string(),
            source: candidate.origin.describe(),
            sha256: loaded.hash.clone(),
        };
        if let Some(lock) = &self.lock {
            if let Some(old) = lock.templates.iter().find(|e| {
                e.name == entry.name && e.version == entry.version && e.source == entry.source
            }) {
                if old.sha256 != entry.sha256 {
                    let (was, now) = (old.sha256.clone(), entry.sha256.clone());
                    self.problem(
                        Problem::new(&requirer.pointer, format!(
                            "`{id}` ({}) has changed since pgmock.lock was written: sha256 {}… locked, {}… now",
                            entry.source,
                            &was[..12.min(was.len())],
                            &now[..12.min(now.len())]
                        ))
                        .in_file(requirer.file)
                        .hint("review the change, then run `pgmock lock` (or add `--update`) to accept it"),
                    );
                }
            }
        }
        if !self.used.iter().any(|u| u.entry == entry) {
            self.used.push(Used {
                candidate_id: id.clone(),
                entry,
            });
        }
        Some((layer, id))
    }
}

/// `extends` entries of a template: (reference text, index, params).
fn extends_of(doc: &Value) -> Vec<(String, usize, Option<Value>)> {
    let Some(list) = doc.get("extends").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            Value::String(s) => Some((s.clone(), i, None)),
            Value::Object(o) => {
                let name = o.get("name")?.as_str()?;
                let text = match o.get("version").and_then(Value::as_str) {
                    Some(v) => format!("{name}@{v}"),
                    None => name.to_owned(),
                };
                Some((text, i, o.get("params").cloned()))
            }
            _ => None,
        })
        .collect()
}

fn valid_placement(key: &str, s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && (key == "prefix" || !s.starts_with("pg_"))
}

/// The parameters a template takes, with their values as `pgmock new` writes them.
pub fn describe_params(candidate: &Candidate, catalog_: &Catalog) -> Result<Decls> {
    let mut resolver = Resolver {
        catalog: catalog_.clone(),
        files: Vec::new(),
        loaded: HashMap::new(),
        used: Vec::new(),
        problems: Vec::new(),
        lock: None,
        root: PathBuf::new(),
    };
    let requirer = Requirer {
        file: 0,
        pointer: String::new(),
        chain: Vec::new(),
    };
    let loaded = resolver.load(candidate, &requirer);
    let decls = loaded
        .map(|l| resolver.all_decls(&l, &requirer, 0))
        .unwrap_or_default();
    if resolver.problems.is_empty() {
        Ok(decls)
    } else {
        let mut sources = Sources::default();
        sources.files = resolver.files;
        Err(Error::Invalid {
            sources: Box::new(sources),
            problems: resolver.problems,
        })
    }
}

/// The parsed metadata document of a candidate (for `templates show`).
pub fn read_document(candidate: &Candidate) -> Option<Value> {
    let files = catalog::files(candidate).ok()?;
    let (_, bytes) = files.iter().find(|(p, _)| p == "template.json")?;
    serde_json::from_slice(bytes).ok()
}

/// The values of parameters for display, in declaration order.
#[must_use]
pub fn defaults(decls: &Decls) -> BTreeMap<String, Value> {
    decls
        .iter()
        .filter_map(|(n, d)| d.default.clone().map(|v| (n.clone(), v)))
        .collect()
}
