//! `pgmock templates verify` and `pgmock pack verify`: each template is
//! resolved, validated and generated for every scale, seed and format asked
//! for, and, when it ships a realism contract and PostgreSQL's programs are
//! installed, loaded into a throwaway server where its contract is checked.

use std::path::{Path, PathBuf};

use super::{generate, Format, GenerateOptions, NoProgress, Summary};
use crate::error::{Error, Result};
use crate::server::{self, Server};
use crate::template::catalog::{self, Candidate, Catalog};
use crate::template::contract::{self, Contract, Finding};
use crate::template::{self, lock::LockMode};

/// What to try each template with.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Row-count scales.
    pub scales: Vec<f64>,
    /// Seeds.
    pub seeds: Vec<u64>,
    /// Output formats (plain and custom can be loaded to check a contract).
    pub formats: Vec<Format>,
    /// Whether to check contracts at all.
    pub contracts: bool,
}

/// One generation of one template, and its contract's findings.
#[derive(Debug)]
pub struct Trial {
    /// `NAME@VERSION` (`PACK/NAME@VERSION` for a pack's).
    pub id: String,
    /// The scale, seed and format, as a report shows them.
    pub setting: String,
    /// Rows generated, or why it failed.
    pub outcome: Result<Summary>,
    /// What became of the contract.
    pub contract: ContractRun,
}

impl Trial {
    /// Whether generation worked and no contract check failed.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.outcome.is_ok()
            && match &self.contract {
                ContractRun::Checked(findings) => findings.iter().all(Finding::passed),
                ContractRun::NotLoaded(_) => false,
                ContractRun::None | ContractRun::Skipped(_) => true,
            }
    }
}

/// What became of a template's contract in one trial.
#[derive(Debug)]
pub enum ContractRun {
    /// The template has none (or generation failed first).
    None,
    /// It was not checked, and why (no server programs, `--no-contracts`).
    Skipped(String),
    /// The dump did not load into the server: the message.
    NotLoaded(String),
    /// Every check's outcome.
    Checked(Vec<Finding>),
}

/// `pgmock templates verify`: the templates `references` (`NAME[@RANGE]`;
/// the newest version of every template when empty) found from `project`.
///
/// # Errors
/// A reference that is malformed or names no template; a contract file
/// that cannot be read.
pub fn templates(
    references: &[String],
    project: &Path,
    template_paths: &[PathBuf],
    options: &VerifyOptions,
) -> Result<Vec<Trial>> {
    let search = template::Options {
        template_paths: template_paths.to_vec(),
        pack_dirs: None,
        lock: LockMode::Update,
    };
    let catalog = template::catalog(Some(project), &search);
    let picked = pick(&catalog, references)?;
    let search = template::Options {
        template_paths: std::iter::once(project.join("templates"))
            .chain(template_paths.iter().cloned())
            .collect(),
        ..search
    };
    run_all(&picked, &search, options)
}

fn pick(catalog: &Catalog, references: &[String]) -> Result<Vec<Candidate>> {
    if references.is_empty() {
        return Ok(catalog
            .names()
            .into_iter()
            .filter_map(|name| {
                catalog.pick(&template::reference::TemplateRef {
                    name,
                    req: semver::VersionReq::STAR,
                })
            })
            .collect());
    }
    references
        .iter()
        .map(|text| catalog.pick_text(text))
        .collect()
}

/// `pgmock pack verify`: every template of the pack in `source` (a folder or
/// an archive), writing nothing that stays.
///
/// # Errors
/// A pack that cannot be read; a contract file that cannot be read.
pub fn pack(source: &Path, options: &VerifyOptions) -> Result<Vec<Trial>> {
    let pack = template::packs::read(source)?;
    let scratch = scratch()?;
    // An archive is unpacked (already checked) so the catalog can read it as a folder.
    let pack_dir = if source.is_dir() {
        source.to_owned()
    } else {
        let unpacked = scratch.path().join("pack");
        for (rel, bytes) in &pack.files {
            let target = unpacked.join(rel);
            if let Some(dir) = target.parent() {
                fs_err::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            fs_err::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        }
        unpacked
    };
    let search = template::Options {
        template_paths: vec![pack_dir.clone()],
        pack_dirs: Some(Vec::new()),
        lock: LockMode::Update,
    };
    let catalog = template::catalog(None, &search);
    let mut picked = Vec::new();
    for entry in &pack.manifest.templates {
        let (name, version) = entry.split_once('@').unwrap_or((entry.as_str(), "0.0.0"));
        let full = format!("{}/{name}", pack.manifest.name);
        let found = semver::Version::parse(version)
            .ok()
            .and_then(|v| catalog.versions(&full).into_iter().find(|c| c.version == v));
        // The pack's layout was checked on reading, so each listed template is there.
        if let Some(c) = found {
            picked.push(c);
        }
    }
    run_all(&picked, &search, options)
}

fn scratch() -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("pgmock-verify-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))
}

/// The server, started the first time a contract needs it.
enum Lazy {
    NotYet,
    Running(Server),
    Unavailable(String),
}

fn run_all(
    picked: &[Candidate],
    search: &template::Options,
    options: &VerifyOptions,
) -> Result<Vec<Trial>> {
    let scratch = scratch()?;
    let mut server = if options.contracts {
        Lazy::NotYet
    } else {
        Lazy::Unavailable("contracts not checked (--no-contracts)".into())
    };
    let mut databases = 0u32;
    let mut out = Vec::new();
    for candidate in picked {
        let contract = contract_of(candidate)?;
        let id = candidate.id();
        let project = scratch.path().join(id.replace(['/', '@'], "-"));
        fs_err::create_dir_all(&project).map_err(|e| Error::io(&project, e))?;
        let config = project.join("pgmock.json");
        let text = serde_json::json!({ "templates": [format!("{}@={}", candidate.name, candidate.version)] });
        fs_err::write(&config, text.to_string()).map_err(|e| Error::io(&config, e))?;
        for &scale in &options.scales {
            for &seed in &options.seeds {
                for &format in &options.formats {
                    let plain = format == Format::Plain;
                    let dump = project.join(if plain { "out.sql" } else { "out.dump" });
                    let mut generate_options =
                        GenerateOptions::defaults(config.clone(), Some(dump.clone()));
                    generate_options.scale = Some(scale);
                    generate_options.seed = Some(crate::schema::Seed::Number(seed));
                    generate_options.format = format;
                    generate_options.sync = false;
                    generate_options.templates = search.clone();
                    let outcome = generate(&generate_options, &NoProgress);
                    let run = match (&contract, &outcome) {
                        (Some(c), Ok(_)) => check(c, &mut server, &mut databases, &dump, plain),
                        _ => ContractRun::None,
                    };
                    out.push(Trial {
                        id: id.clone(),
                        setting: format!("scale {scale}, seed {seed}, {}", format_name(format)),
                        outcome,
                        contract: run,
                    });
                }
            }
        }
    }
    Ok(out)
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Plain => "plain",
        Format::Custom => "custom",
        Format::Directory => "directory",
        Format::Tar => "tar",
    }
}

/// The template's contract, if its folder has one.
fn contract_of(candidate: &Candidate) -> Result<Option<Contract>> {
    let files = catalog::files(candidate).map_err(|e| Error::Pack {
        path: e.path,
        message: e.message,
        hint: None,
    })?;
    let Some((_, bytes)) = files.into_iter().find(|(p, _)| p == contract::FILE) else {
        return Ok(None);
    };
    let path = match &candidate.dir {
        Some(dir) => dir.join(contract::FILE),
        None => PathBuf::from(format!(
            "<built-in>/{}/{}/{}",
            candidate.name,
            candidate.version,
            contract::FILE
        )),
    };
    contract::parse(bytes, path, Some(candidate.id())).map(Some)
}

fn check(
    contract: &Contract,
    server: &mut Lazy,
    databases: &mut u32,
    dump: &Path,
    plain: bool,
) -> ContractRun {
    if let Lazy::NotYet = server {
        *server = match server::find_bindir().and_then(|dir| Server::start(&dir)) {
            Ok(s) => Lazy::Running(s),
            Err(e) => Lazy::Unavailable(format!("contract not checked: {e}")),
        };
    }
    let server = match server {
        Lazy::Running(s) => s,
        Lazy::Unavailable(why) => return ContractRun::Skipped(why.clone()),
        Lazy::NotYet => return ContractRun::Skipped("no server".into()),
    };
    *databases += 1;
    let db = format!("verify_{databases}");
    if let Err(e) = server
        .create_database(&db)
        .and_then(|()| server.load(&db, dump, plain))
    {
        return ContractRun::NotLoaded(e);
    }
    ContractRun::Checked(contract::run(contract, server, &db))
}
