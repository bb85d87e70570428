//! `pgmock new`: a project folder that `pgmock generate` turns into a dump at
//! once: `pgmock.json` naming the templates with every parameter visible,
//! `pgmock.lock`, and a short README.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::catalog::Candidate;
use super::lock::LockMode;
use super::params::{parse_cli_value, Decls};
use super::reference::TemplateRef;
use super::{describe_params, Options};
use crate::diagnostic::did_you_mean;
use crate::error::{Error, Result};
use crate::project;

/// Where `pgmock new` puts the project file's JSON Schema, relative to the project
/// (editors that read `$schema` then complete and check `pgmock.json`).
pub const SCHEMA_PATH: &str = ".pgmock/pgmock.schema.json";
/// The JSON Schema of a project file.
pub const PROJECT_SCHEMA: &str = include_str!("../../schema/pgmock.schema.json");

/// What `pgmock new` is asked to do.
#[derive(Debug, Clone)]
pub struct NewProject {
    /// The folder to write into (created if missing).
    pub dir: PathBuf,
    /// Template references as typed (`ecommerce@^1`).
    pub templates: Vec<String>,
    /// `NAME=VALUE` or `TEMPLATE.NAME=VALUE`, as typed.
    pub params: Vec<String>,
    /// The project's seed.
    pub seed: crate::schema::Seed,
    /// Extra template folders.
    pub template_paths: Vec<PathBuf>,
}

/// The files `pgmock new` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    /// Paths written, in order.
    pub files: Vec<PathBuf>,
    /// The templates chosen, `name@version`.
    pub templates: Vec<String>,
}

/// Writes a new project. Nothing is written when any file exists already or
/// when the project would not resolve.
pub fn create(request: &NewProject) -> Result<Created> {
    let project_json = request.dir.join("pgmock.json");
    let readme = request.dir.join("README.md");
    let lock_path = request.dir.join(super::lock::LOCK_FILE);
    let schema_path = request.dir.join(SCHEMA_PATH);
    for path in [&project_json, &readme, &lock_path, &schema_path] {
        if path.exists() {
            return Err(Error::InvalidArgument {
                flag: "DIR".into(),
                value: request.dir.display().to_string(),
                expected: format!(
                    "a folder without `{}`: pgmock new never overwrites files",
                    path.file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                ),
            });
        }
    }
    let options = Options {
        template_paths: request.template_paths.clone(),
        pack_dirs: None,
        lock: LockMode::Update,
    };
    let probe_dir = if request.dir.is_dir() {
        request.dir.clone()
    } else {
        PathBuf::from(".")
    };
    let cat = super::catalog(Some(&probe_dir), &options);
    let mut chosen: Vec<(TemplateRef, Candidate, Decls)> = Vec::new();
    for text in &request.templates {
        let reference = TemplateRef::parse(text).map_err(|e| bad_template(text, &e))?;
        let Some(candidate) = cat.pick(&reference) else {
            return Err(Error::InvalidArgument {
                flag: "--template".into(),
                value: text.clone(),
                expected: cat.missing(&reference),
            });
        };
        let decls = describe_params(&candidate, &cat)?;
        chosen.push((reference, candidate, decls));
    }
    let mut values: Vec<Map<String, Value>> = chosen
        .iter()
        .map(|(_, _, decls)| {
            decls
                .iter()
                .filter_map(|(n, d)| d.default.clone().map(|v| (n.clone(), v)))
                .collect()
        })
        .collect();
    for assignment in &request.params {
        assign(assignment, &chosen, &mut values)?;
    }
    let entries: Vec<Value> = chosen
        .iter()
        .zip(&values)
        .map(|((reference, candidate, _), params)| {
            let version = if reference.req == semver::VersionReq::STAR {
                format!("^{}", candidate.version)
            } else {
                reference.req.to_string()
            };
            let mut entry = Map::new();
            entry.insert("name".into(), json!(candidate.name));
            entry.insert("version".into(), json!(version));
            if !params.is_empty() {
                entry.insert("params".into(), Value::Object(params.clone()));
            }
            Value::Object(entry)
        })
        .collect();
    let document = json!({
        "$schema": SCHEMA_PATH,
        "seed": match &request.seed {
            crate::schema::Seed::Number(n) => json!(n),
            crate::schema::Seed::Text(t) => json!(t),
        },
        "templates": entries,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');

    // Resolve before writing anything, so a project that would not work is never written.
    let parsed = project::parse(text.clone(), project_json.clone(), None)?;
    let resolved = super::resolve(&probe_dir.join("pgmock.json"), parsed, &options)?;
    crate::schema::load(&resolved.document).map_err(|problems| Error::Invalid {
        sources: Box::new(resolved.sources.clone()),
        problems,
    })?;

    if let Some(dir) = schema_path.parent() {
        fs_err::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let names: Vec<String> = chosen.iter().map(|(_, c, _)| c.id()).collect();
    let readme_text = readme_text(&request.dir, &chosen);
    let mut written = Vec::new();
    for (path, content) in [
        (&project_json, text),
        (&lock_path, resolved.lock.to_text()),
        (&readme, readme_text),
        (&schema_path, PROJECT_SCHEMA.to_owned()),
    ] {
        if let Err(e) = write_new(path, &content) {
            for done in &written {
                let _ = fs_err::remove_file(done);
            }
            return Err(e);
        }
        written.push(path.clone());
    }
    Ok(Created {
        files: written,
        templates: names,
    })
}

/// Creates `path` with `content`, refusing to replace a file that appeared meanwhile.
fn write_new(path: &Path, content: &str) -> Result<()> {
    use std::io::Write as _;
    let mut file = fs_err::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(content.as_bytes())
        .map_err(|e| Error::io(path, e))
}

fn bad_template(text: &str, message: &str) -> Error {
    Error::InvalidArgument {
        flag: "--template".into(),
        value: text.to_owned(),
        expected: message.to_owned(),
    }
}

/// Applies one `--param`: to the template named before a `.`, else to the one template that declares it.
fn assign(
    assignment: &str,
    chosen: &[(TemplateRef, Candidate, Decls)],
    values: &mut [Map<String, Value>],
) -> Result<()> {
    let bad = |expected: String| Error::InvalidArgument {
        flag: "--param".into(),
        value: assignment.to_owned(),
        expected,
    };
    let Some((key, raw)) = assignment.split_once('=') else {
        return Err(bad("NAME=VALUE (or TEMPLATE.NAME=VALUE)".into()));
    };
    let (template, name) = match key.split_once('.') {
        Some((t, n)) => (Some(t), n),
        None => (None, key),
    };
    let owners: Vec<usize> = chosen
        .iter()
        .enumerate()
        .filter(|(_, (_, c, decls))| {
            template.is_none_or(|t| c.name == t) && decls.iter().any(|(n, _)| n == name)
        })
        .map(|(i, _)| i)
        .collect();
    match owners.as_slice() {
        [i] => {
            let Some((_, decl)) = chosen[*i].2.iter().find(|(n, _)| n == name) else {
                return Err(bad(format!("a parameter of `{}`", chosen[*i].1.name)));
            };
            let value = parse_cli_value(decl, raw)
                .and_then(|v| super::params::check_value(name, decl, &v))
                .map_err(|e| bad(format!("a value of `{name}` ({}): {e}", decl.ty.name())))?;
            values[*i].insert(name.to_owned(), value);
            Ok(())
        }
        [] => {
            let all: Vec<&str> = chosen
                .iter()
                .flat_map(|(_, _, d)| d.iter().map(|(n, _)| n.as_str()))
                .collect();
            let hint = did_you_mean(name, all.iter().copied()).map_or_else(
                || {
                    format!(
                        "one of {}",
                        all.iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                |s| format!("a parameter name (did you mean `{s}`?)"),
            );
            Err(bad(hint))
        }
        many => Err(bad(format!(
            "TEMPLATE.NAME=VALUE: `{name}` is a parameter of {}",
            many.iter()
                .map(|i| format!("`{}`", chosen[*i].1.name))
                .collect::<Vec<_>>()
                .join(" and ")
        ))),
    }
}

fn readme_text(dir: &Path, chosen: &[(TemplateRef, Candidate, Decls)]) -> String {
    let title = fs_err::canonicalize(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "pgmock project".into());
    let list: Vec<String> = chosen
        .iter()
        .map(|(_, c, _)| format!("- `{}`", c.id()))
        .collect();
    format!(
        "# {title}\n\nA pgmock project built from these templates:\n\n{}\n\n\
         ```sh\npgmock generate -f dump.sql          # plain SQL for psql\npgmock generate -F c -f dump.dump    # custom archive for pg_restore\npgmock resolve                       # the effective schema, templates applied\n```\n\n\
         Change row counts and other settings under `params` in `pgmock.json`\n(`pgmock templates show NAME` describes each parameter), add your own\n`tables`, or adjust the templates' tables with `overrides` (JSON merge patch)\nand `patches` (JSON patch). `pgmock.lock` pins the exact template versions:\nafter changing `templates`, run `pgmock lock`.\n",
        list.join("\n")
    )
}
