//! `pgmock new`, `resolve`, `lock` and `templates`: printing what the
//! template stage finds and composes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use super::args::{
    LockArgs, NewArgs, PackCommand, ResolveArgs, TemplateSearchArgs, TemplateShowArgs,
    TemplateVerifyArgs, TrialArgs,
};
use super::settings;
use crate::error::{Error, Result};
use crate::pipeline::verify::{ContractRun, Trial, VerifyOptions};
use crate::template::lock::LockMode;
use crate::template::reference::TemplateRef;
use crate::template::{self, describe, scaffold, Options};

use super::console::{err as say, out as print};

/// `pgmock new`.
pub fn new(a: &NewArgs) -> Result<()> {
    let seed = crate::schema::Seed::from_text(&a.seed).ok_or_else(|| Error::InvalidArgument {
        flag: "--seed".into(),
        value: a.seed.clone(),
        expected: "a whole number ≥ 0 or any non-blank text".into(),
    })?;
    let created = scaffold::create(&scaffold::NewProject {
        dir: a.dir.clone(),
        templates: a.template.clone(),
        params: a.param.clone(),
        seed,
        template_paths: a.template_path.clone(),
    })?;
    let mut text = format!("created a project from {}:\n", created.templates.join(", "));
    for f in &created.files {
        let _ = writeln!(text, "  {}", f.display());
    }
    let cd = if a.dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", a.dir.display())
    };
    let _ = write!(text, "next: {cd}pgmock generate -f dump.sql");
    say(&text)?;
    Ok(())
}

/// `pgmock resolve`.
pub fn resolve(a: &ResolveArgs) -> Result<()> {
    let mut options = settings::templates(&a.templates);
    if a.lock {
        options.lock = LockMode::Update;
    }
    let mut resolved = crate::pipeline::resolve(&a.config, &options)?;
    // Value files are read relative to the file that names them; the
    // printed document carries their values instead.
    crate::schema::values_file::inline(&mut resolved.document, &resolved.sources).map_err(
        |problems| Error::Invalid {
            sources: Box::new(resolved.sources.clone()),
            problems,
        },
    )?;
    let mut text = serde_json::to_string_pretty(&resolved.document).unwrap_or_default();
    text.push('\n');
    match &a.output {
        Some(path) => {
            let mut out = crate::dump::output::AtomicOutput::create(Some(path))?;
            out.write_all(text.as_bytes())
                .map_err(|e| Error::io(path, e))?;
            out.commit(true)
        }
        None => print(&text),
    }
}

/// `pgmock lock`.
pub fn lock(a: &LockArgs) -> Result<()> {
    let options = Options {
        template_paths: a.template_path.clone(),
        pack_dirs: None,
        lock: if a.check {
            LockMode::Locked
        } else {
            LockMode::Update
        },
    };
    let resolved = crate::pipeline::resolve(&a.config, &options)?;
    let path = resolved.lock_path.display().to_string();
    if resolved.lock.templates.is_empty() {
        say(&format!(
            "{}: uses no templates; nothing to lock",
            a.config.display()
        ))?;
    } else if a.check {
        say(&format!(
            "{path}: up to date ({} templates)",
            resolved.lock.templates.len()
        ))?;
    } else if resolved.lock_changed {
        let list: Vec<String> = resolved
            .lock
            .templates
            .iter()
            .map(|e| format!("{}@{} ({})", e.name, e.version, e.source))
            .collect();
        say(&format!("wrote {path}: {}", list.join(", ")))?;
    } else {
        say(&format!("{path}: already up to date"))?;
    }
    Ok(())
}

fn search_options(s: &TemplateSearchArgs) -> Options {
    Options {
        template_paths: s.template_path.clone(),
        pack_dirs: None,
        lock: LockMode::Update,
    }
}

/// `pgmock templates list`.
pub fn list(s: &TemplateSearchArgs) -> Result<()> {
    let options = search_options(s);
    let catalog = template::catalog(Some(&s.project), &options);
    let mut rows: Vec<[String; 5]> = Vec::new();
    for (name, versions, origin) in describe::names(&catalog) {
        let newest = catalog
            .pick(&TemplateRef {
                name: name.clone(),
                req: semver::VersionReq::STAR,
            })
            .or_else(|| catalog.versions(&name).into_iter().next());
        let (tables, description) = match newest {
            Some(c) => match describe::describe(&c, &catalog, &options, &s.project) {
                Ok(d) => (d.tables.len().to_string(), d.description),
                Err(_) => (
                    "?".into(),
                    "(does not resolve: `pgmock templates show` says why)".into(),
                ),
            },
            None => ("?".into(), String::new()),
        };
        let versions: Vec<String> = versions.iter().map(ToString::to_string).collect();
        rows.push([
            name,
            versions.join(", "),
            origin.describe(),
            tables,
            description,
        ]);
    }
    let mut text = String::new();
    let header = ["NAME", "VERSIONS", "SOURCE", "TABLES", "DESCRIPTION"];
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(header.map(str::to_owned)).chain(rows) {
        for (i, w) in widths.iter().enumerate() {
            let _ = write!(text, "{:<w$}  ", row[i]);
        }
        let _ = writeln!(text, "{}", row[4]);
    }
    print(&text)
}

/// `pgmock templates show`.
pub fn show(s: &TemplateShowArgs) -> Result<()> {
    let options = search_options(&s.search);
    let catalog = template::catalog(Some(&s.search.project), &options);
    let candidate = catalog.pick_text(&s.template)?;
    let d = describe::describe(&candidate, &catalog, &options, &s.search.project)?;
    let mut text = String::new();
    let _ = writeln!(text, "{} ({})", candidate.id(), candidate.origin.describe());
    if !d.description.is_empty() {
        let _ = writeln!(text, "{}", d.description);
    }
    if !d.tags.is_empty() {
        let _ = writeln!(text, "tags: {}", d.tags.join(", "));
    }
    if !d.extends.is_empty() {
        let _ = writeln!(text, "extends: {}", d.extends.join(", "));
    }
    let _ = writeln!(text, "\nparameters:");
    if d.params.is_empty() {
        let _ = writeln!(text, "  (none)");
    }
    let width = d.params.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, decl) in &d.params {
        let default = decl
            .default
            .as_ref()
            .map_or_else(|| "required".to_owned(), |v| format!("default {v}"));
        let mut limits = Vec::new();
        if let Some(v) = &decl.min {
            limits.push(format!("min {v}"));
        }
        if let Some(v) = &decl.max {
            limits.push(format!("max {v}"));
        }
        if let Some(list) = &decl.allowed {
            limits.push(format!(
                "one of {}",
                list.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let limits = if limits.is_empty() {
            String::new()
        } else {
            format!(", {}", limits.join(", "))
        };
        let _ = writeln!(
            text,
            "  {name:<width$}  {} ({default}{limits}){}",
            decl.ty.name(),
            decl.description
                .as_ref()
                .map_or_else(String::new, |t| format!(": {t}"))
        );
    }
    let _ = writeln!(text, "\ntables (rows at the default parameters):");
    let width = d.tables.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, rows) in &d.tables {
        let _ = writeln!(text, "  {name:<width$}  {rows}");
    }
    let _ = writeln!(text, "\nversions:");
    for c in catalog.versions(&candidate.name) {
        let changelog = template::read_document(&c)
            .and_then(|doc| {
                doc.get("changelog")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        let mark = if c.version == candidate.version && c.origin == candidate.origin {
            "*"
        } else {
            " "
        };
        let _ = writeln!(
            text,
            " {mark}{} ({}){}",
            c.version,
            c.origin.describe(),
            if changelog.is_empty() {
                String::new()
            } else {
                format!(": {changelog}")
            }
        );
    }
    print(&text)
}

/// The packs folder `--project` points at, or the user's.
fn packs_dir(project: Option<&Path>) -> Result<std::path::PathBuf> {
    match project {
        Some(p) => Ok(p.join(".pgmock").join("packs")),
        None => template::user_packs_dir().ok_or_else(|| Error::InvalidArgument {
            flag: "PGMOCK_HOME".into(),
            value: String::new(),
            expected: "a folder for installed packs: set PGMOCK_HOME (no data folder is known for this user)".into(),
        }),
    }
}

/// `pgmock pack ...`.
pub fn pack(command: PackCommand) -> Result<()> {
    use crate::template::packs;
    match command {
        PackCommand::Init { dir, name } => {
            let name = name.unwrap_or_else(|| {
                fs_err::canonicalize(&dir)
                    .ok()
                    .or_else(|| Some(dir.clone()))
                    .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_lowercase()))
                    .unwrap_or_default()
            });
            let written = packs::init(&dir, &name)?;
            let list: Vec<String> = written
                .iter()
                .map(|p| format!("  {}", p.display()))
                .collect();
            say(&format!(
                "created pack `{name}`:\n{}\nnext: pgmock pack verify {}",
                list.join("\n"),
                dir.display()
            ))?;
            Ok(())
        }
        PackCommand::Build { dir, output } => {
            let (path, sha) = packs::build(&dir, &output)?;
            say(&format!("wrote {} (sha256 {sha})", path.display()))?;
            Ok(())
        }
        PackCommand::Verify { source, trials } => {
            let options = trial_options(&trials)?;
            let results = crate::pipeline::verify::pack(&source, &options)?;
            report(&source, &results)
        }
        PackCommand::Install { source, project } => {
            let packs_dir = packs_dir(project.as_deref())?;
            let (manifest, outcome) = packs::install(&source, &packs_dir)?;
            match outcome {
                packs::Installed::New(dir) => say(&format!(
                    "installed {}@{} ({}) into {}",
                    manifest.name,
                    manifest.version,
                    manifest.templates.join(", "),
                    dir.display()
                ))?,
                packs::Installed::Already(dir) => say(&format!(
                    "{}@{} is already installed, with the same content, in {}",
                    manifest.name,
                    manifest.version,
                    dir.display()
                ))?,
            }
            Ok(())
        }
        PackCommand::List { project } => {
            let mut text = String::new();
            let mut places = vec![("project", project.join(".pgmock").join("packs"))];
            if let Some(user) = template::user_packs_dir() {
                places.push(("user", user));
            }
            for (label, dir) in places {
                for installed in template::pack::installed(&dir) {
                    let templates =
                        fs_err::read_to_string(installed.dir.join(template::pack::MANIFEST))
                            .ok()
                            .and_then(|t| {
                                serde_json::from_str::<template::packs::Manifest>(&t).ok()
                            })
                            .map(|m| m.templates.join(", "))
                            .unwrap_or_default();
                    let _ = writeln!(
                        text,
                        "{}@{}  {label}  {}  {templates}",
                        installed.name,
                        installed.version,
                        installed.dir.display()
                    );
                }
            }
            if text.is_empty() {
                say("no packs installed")?;
                return Ok(());
            }
            print(&text)
        }
        PackCommand::Remove { pack, project } => {
            let packs_dir = packs_dir(project.as_deref())?;
            let (name, version) = match pack.split_once('@') {
                Some((n, v)) => (n, Some(v)),
                None => (pack.as_str(), None),
            };
            for removed in packs::remove(&packs_dir, name, version)? {
                say(&format!("removed {}", removed.display()))?;
            }
            Ok(())
        }
    }
}

/// `pgmock templates verify`.
pub fn verify(a: &TemplateVerifyArgs) -> Result<()> {
    let options = trial_options(&a.trials)?;
    let results = crate::pipeline::verify::templates(
        &a.templates,
        &a.search.project,
        &a.search.template_path,
        &options,
    )?;
    report(Path::new("templates"), &results)
}

fn trial_options(t: &TrialArgs) -> Result<VerifyOptions> {
    for &scale in &t.scales {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(Error::InvalidArgument {
                flag: "--scale".into(),
                value: scale.to_string(),
                expected: "a number greater than 0".into(),
            });
        }
    }
    let formats = t
        .formats
        .iter()
        .map(|f| match f.as_str() {
            "p" | "plain" => Ok(crate::pipeline::Format::Plain),
            "c" | "custom" => Ok(crate::pipeline::Format::Custom),
            _ => Err(Error::InvalidArgument {
                flag: "-F/--format".into(),
                value: f.clone(),
                expected: "`p`/`plain` or `c`/`custom` (the formats a contract check loads)".into(),
            }),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(VerifyOptions {
        scales: t.scales.clone(),
        seeds: t.seeds.clone(),
        formats,
        contracts: !t.no_contracts,
    })
}

/// Prints one block per trial on stdout; fails when any trial failed.
fn report(source: &Path, results: &[Trial]) -> Result<()> {
    let mut text = String::new();
    for t in results {
        let status = if t.passed() { "ok    " } else { "FAILED" };
        match &t.outcome {
            Ok(summary) => {
                let _ = writeln!(
                    text,
                    "{status}  {} ({}): {} rows in {} tables",
                    t.id, t.setting, summary.rows, summary.tables
                );
            }
            Err(e) => {
                let _ = writeln!(
                    text,
                    "{status}  {} ({})\n{}",
                    t.id,
                    t.setting,
                    crate::diagnostic::render(e).trim_end()
                );
            }
        }
        match &t.contract {
            ContractRun::None => {}
            ContractRun::Skipped(why) => {
                let _ = writeln!(text, "        {why}");
            }
            ContractRun::NotLoaded(why) => {
                let _ = writeln!(text, "        the dump did not load: {}", why.trim());
            }
            ContractRun::Checked(findings) => {
                let passed = findings.iter().filter(|f| f.passed()).count();
                let _ = writeln!(
                    text,
                    "        contract: {passed} of {} checks pass",
                    findings.len()
                );
                for f in findings {
                    for (i, line) in template::contract::describe(f).lines().enumerate() {
                        let indent = if i == 0 { 10 } else { 18 };
                        let _ = writeln!(text, "{:indent$}{line}", "");
                    }
                }
            }
        }
    }
    print(&text)?;
    let failed = results.iter().filter(|t| !t.passed()).count();
    if failed > 0 {
        return Err(Error::PackVerify {
            path: source.to_owned(),
            failed,
            total: results.len(),
        });
    }
    say(&format!(
        "{}: {} trial(s) passed",
        source.display(),
        results.len()
    ))
}
