//! What `pgmock templates list` and `show` print: a template's metadata, its
//! parameters, and the tables it makes at its default parameters.

use std::path::{Path, PathBuf};

use semver::Version;
use serde_json::Value;

use super::catalog::{Candidate, Catalog, Origin};
use super::params::Decls;
use super::{lock::LockMode, Options};
use crate::error::Result;
use crate::project;

/// One template version, described.
#[derive(Debug, Clone)]
pub struct Description {
    /// The candidate.
    pub candidate: Candidate,
    /// `description`.
    pub description: String,
    /// `tags`.
    pub tags: Vec<String>,
    /// `changelog`: what this version changed.
    pub changelog: String,
    /// `extends`, as written.
    pub extends: Vec<String>,
    /// Every parameter (inherited ones too).
    pub params: Decls,
    /// Tables at the default parameters: name and row count as a person reads it.
    pub tables: Vec<(String, String)>,
}

/// Describes one candidate by resolving it alone at its default parameters.
/// `project_dir` is the folder whose `templates/` and packs the catalog includes.
pub fn describe(
    candidate: &Candidate,
    catalog: &Catalog,
    options: &Options,
    project_dir: &Path,
) -> Result<Description> {
    let doc = super::read_document(candidate).unwrap_or(Value::Null);
    let text_of = |key: &str| {
        doc.get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let list_of = |key: &str| -> Vec<String> {
        doc.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .or_else(|| v.get("name").and_then(Value::as_str).map(str::to_owned))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let params = super::describe_params(candidate, catalog)?;
    let resolved = resolve_alone(candidate, options, project_dir)?;
    let tables = resolved
        .get("tables")
        .and_then(Value::as_object)
        .map(|t| {
            t.iter()
                .map(|(name, def)| (name.clone(), rows_text(def.get("rows"))))
                .collect()
        })
        .unwrap_or_default();
    Ok(Description {
        candidate: candidate.clone(),
        description: text_of("description"),
        tags: list_of("tags"),
        changelog: text_of("changelog"),
        extends: list_of("extends"),
        params,
        tables,
    })
}

/// The effective document of one template version alone, at its defaults.
pub fn resolve_alone(
    candidate: &Candidate,
    options: &Options,
    project_dir: &Path,
) -> Result<Value> {
    let exact = format!("{}@={}", candidate.name, candidate.version);
    let text = serde_json::json!({ "templates": [exact] }).to_string();
    let dir = scratch_dir(candidate, project_dir);
    let config = dir.join("pgmock.json");
    let file = project::parse(text, PathBuf::from("<templates show>"), None)?;
    let options = Options {
        lock: LockMode::Update,
        ..options.clone()
    };
    Ok(super::resolve(&config, file, &options)?.document)
}

/// A folder whose catalog finds `candidate` first: the project it came from, or the current one.
fn scratch_dir(candidate: &Candidate, project_dir: &Path) -> PathBuf {
    match (&candidate.origin, &candidate.dir) {
        (Origin::Project, Some(dir)) => dir
            .ancestors()
            .nth(3)
            .map_or_else(|| PathBuf::from("."), Path::to_owned),
        _ => project_dir.to_owned(),
    }
}

/// `1000`, `1–5 per orders`.
fn rows_text(rows: Option<&Value>) -> String {
    match rows {
        None => "100".into(),
        Some(Value::Object(o)) => {
            let per = o.get("per").and_then(Value::as_str).unwrap_or("?");
            if let Some(mean) = o.get("mean").and_then(Value::as_f64) {
                return format!("Poisson, mean {mean}, per {per}");
            }
            let min = o.get("min").and_then(Value::as_u64).unwrap_or(1);
            let max = o.get("max").and_then(Value::as_u64).unwrap_or(min.max(1));
            format!("{min}–{max} per {per}")
        }
        Some(v) => v.to_string(),
    }
}

/// Every (name, versions newest first, first source) in the catalog, sorted by name.
#[must_use]
pub fn names(catalog: &Catalog) -> Vec<(String, Vec<Version>, Origin)> {
    let mut out: Vec<(String, Vec<Version>, Origin)> = Vec::new();
    for c in catalog.all() {
        match out.iter_mut().find(|(n, _, _)| n == &c.name) {
            Some((_, versions, _)) => {
                if !versions.contains(&c.version) {
                    versions.push(c.version.clone());
                }
            }
            None => out.push((c.name.clone(), vec![c.version.clone()], c.origin.clone())),
        }
    }
    for (_, versions, _) in &mut out {
        versions.sort_by(|a, b| b.cmp(a));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
