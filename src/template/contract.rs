//! A template's realism contract, `contract.json` beside its
//! `template.json`: what "realistic" means for that scenario, as SQL the
//! generated database must satisfy.
//!
//! ```json
//! {
//!   "invariants": [
//!     { "name": "an order's total adds up", "sql": "SELECT id FROM orders WHERE total <> subtotal + tax_total" }
//!   ],
//!   "targets": [
//!     { "name": "Q4 holds 25-35 % of orders", "sql": "SELECT avg((extract(quarter FROM placed_at) = 4)::int) FROM orders", "min": 0.25, "max": 0.35 }
//!   ]
//! }
//! ```
//!
//! An invariant's query returns the rows that break it: it holds when there
//! are none. A target's query returns one number, which must lie within
//! `min` and `max`.

use std::path::PathBuf;

use serde_json::Value;

use crate::error::{Error, Problem, Result};
use crate::provenance::Sources;
use crate::schema::reader::{Obj, Problems};
use crate::server::Server;
use crate::source_map::child;

/// The file name of a contract, in a template's folder.
pub const FILE: &str = "contract.json";

/// Rows of a broken invariant shown in a report.
const SAMPLE_ROWS: usize = 3;

/// A parsed contract.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contract {
    /// Queries that must return no rows.
    pub invariants: Vec<Invariant>,
    /// Queries whose one number must lie in a range.
    pub targets: Vec<Target>,
}

/// A rule every row obeys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invariant {
    /// What it says, in words.
    pub name: String,
    /// A query returning the rows that break it.
    pub sql: String,
}

/// A statistical property of the data as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// What it says, in words.
    pub name: String,
    /// A query returning one number.
    pub sql: String,
    /// Lowest accepted value.
    pub min: Option<f64>,
    /// Highest accepted value.
    pub max: Option<f64>,
}

/// How one check of a contract came out.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The invariant holds, or the target is met (with its value).
    Passed(Option<f64>),
    /// So many rows break the invariant; a few of them, fields joined by `|`.
    Broken {
        /// How many rows break it.
        rows: u64,
        /// The first few.
        sample: Vec<String>,
    },
    /// The target's value lies outside its range.
    Missed(f64),
    /// The query failed (or gave no number): the contract itself is wrong.
    Failed(String),
}

/// One check's name and outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// `invariant` or `target`.
    pub what: &'static str,
    /// The check's name.
    pub name: String,
    /// The accepted range of a target, as text (`0.25–0.35`).
    pub range: Option<String>,
    /// What happened.
    pub outcome: Outcome,
}

impl Finding {
    /// Whether the check passed.
    #[must_use]
    pub fn passed(&self) -> bool {
        matches!(self.outcome, Outcome::Passed(_))
    }
}

/// Reads a contract from the bytes of `path` (`label` names the template in messages).
///
/// # Errors
/// Invalid JSON, or every problem with its shape, by file position and JSON path.
pub fn parse(bytes: Vec<u8>, path: PathBuf, label: Option<String>) -> Result<Contract> {
    let file = crate::project::parse_bytes(bytes, path, label)?;
    let mut problems = Vec::new();
    let contract = read(&file.document, &mut problems);
    if problems.is_empty() {
        Ok(contract)
    } else {
        Err(Error::Invalid {
            sources: Box::new(Sources::single(file.source)),
            problems,
        })
    }
}

fn read(doc: &Value, problems: &mut Vec<Problem>) -> Contract {
    let mut p = Problems(Vec::new());
    let mut contract = Contract::default();
    if let Some(top) = Obj::new(
        doc,
        "",
        &["description", "invariants", "targets"],
        "a contract",
        &mut p,
    ) {
        if top.get("description").is_some() {
            top.string("description", &mut p);
        }
        for (key, target) in [("invariants", false), ("targets", true)] {
            let Some(value) = top.get(key) else { continue };
            let Some(items) = value.as_array() else {
                p.at(&top.ptr(key), format!("`{key}` is a list of checks"));
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                let at = child(&top.ptr(key), &i.to_string());
                match check(item, &at, target, &mut p) {
                    Some((name, sql, _, _)) if !target => {
                        contract.invariants.push(Invariant { name, sql })
                    }
                    Some((name, sql, min, max)) => contract.targets.push(Target {
                        name,
                        sql,
                        min,
                        max,
                    }),
                    None => {}
                }
            }
        }
        if contract.invariants.is_empty() && contract.targets.is_empty() && p.0.is_empty() {
            p.at("", "the contract has no invariants and no targets");
        }
    }
    problems.extend(p.0);
    contract
}

/// One check: (name, sql, min, max).
type Check = (String, String, Option<f64>, Option<f64>);

fn check(item: &Value, at: &str, target: bool, p: &mut Problems) -> Option<Check> {
    let allowed: &'static [&'static str] = if target {
        &["name", "sql", "min", "max", "why"]
    } else {
        &["name", "sql", "why"]
    };
    let before = p.0.len();
    let obj = Obj::new(item, at, allowed, "a check", p)?;
    let text = |key: &str, p: &mut Problems| match obj.get(key) {
        None => {
            p.at(at, format!("the check has no `{key}`"));
            None
        }
        Some(_) => obj
            .string(key, p)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .or_else(|| {
                p.at(&obj.ptr(key), format!("`{key}` is a non-empty string"));
                None
            }),
    };
    let name = text("name", p);
    let sql = text("sql", p);
    let bound = |key: &str, p: &mut Problems| {
        let v = obj.get(key)?;
        let n = v.as_f64();
        if n.is_none() {
            p.at(&obj.ptr(key), format!("`{key}` is a number"));
        }
        n
    };
    let (min, max) = (bound("min", p), bound("max", p));
    if target && min.is_none() && max.is_none() && p.0.len() == before {
        p.push(
            Problem::new(at, "a target needs `min`, `max` or both")
                .hint("a query that must return no rows belongs in `invariants`"),
        );
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            p.at(&obj.ptr("min"), format!("`min` {lo} is above `max` {hi}"));
        }
    }
    (p.0.len() == before).then(|| (name.unwrap_or_default(), sql.unwrap_or_default(), min, max))
}

/// Runs every check of `contract` in database `db` of `server`.
#[must_use]
pub fn run(contract: &Contract, server: &Server, db: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for inv in &contract.invariants {
        let sql = inv.sql.trim_end_matches([';', ' ', '\n', '\t']);
        let count = server
            .query(db, &format!("SELECT count(*) FROM ({sql}) AS broken"))
            .and_then(|rows| number(&rows).map(|n| n as u64));
        let outcome = match count {
            Err(e) => Outcome::Failed(e),
            Ok(0) => Outcome::Passed(None),
            Ok(rows) => {
                let sample = server
                    .query(
                        db,
                        &format!("SELECT * FROM ({sql}) AS broken LIMIT {SAMPLE_ROWS}"),
                    )
                    .map(|rows| rows.into_iter().map(|r| r.join(" | ")).collect())
                    .unwrap_or_default();
                Outcome::Broken { rows, sample }
            }
        };
        out.push(Finding {
            what: "invariant",
            name: inv.name.clone(),
            range: None,
            outcome,
        });
    }
    for target in &contract.targets {
        let sql = target.sql.trim_end_matches([';', ' ', '\n', '\t']);
        let value = server
            .query(db, &format!("SELECT ({sql})::double precision"))
            .and_then(|rows| number(&rows));
        let outcome = match value {
            Err(e) => Outcome::Failed(e),
            Ok(v) if target.min.is_some_and(|lo| v < lo) || target.max.is_some_and(|hi| v > hi) => {
                Outcome::Missed(v)
            }
            Ok(v) => Outcome::Passed(Some(v)),
        };
        let range = match (target.min, target.max) {
            (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
            (Some(lo), None) => format!("≥ {lo}"),
            (None, Some(hi)) => format!("≤ {hi}"),
            (None, None) => String::new(),
        };
        out.push(Finding {
            what: "target",
            name: target.name.clone(),
            range: Some(range),
            outcome,
        });
    }
    out
}

/// The one number a query returned.
fn number(rows: &[Vec<String>]) -> std::result::Result<f64, String> {
    match rows {
        [row] if row.len() == 1 => row[0]
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                if row[0].is_empty() {
                    "the query gave NULL, not a number".to_owned()
                } else {
                    format!("the query gave `{}`, not a number", row[0])
                }
            }),
        _ => Err(format!(
            "the query gave {} rows, not one number",
            rows.len()
        )),
    }
}

/// A finding for a report: `ok`/`BROKEN`/`MISSED`/`ERROR`, the check, and
/// what was seen; then, on lines of their own, rows that break an invariant
/// or the rest of a query's error.
#[must_use]
pub fn describe(f: &Finding) -> String {
    let range = f
        .range
        .as_deref()
        .map_or_else(String::new, |r| format!(" (expected {r})"));
    match &f.outcome {
        Outcome::Passed(None) => format!("ok      {} `{}`", f.what, f.name),
        Outcome::Passed(Some(v)) => {
            format!("ok      {} `{}`: {}{range}", f.what, f.name, shown(*v))
        }
        Outcome::Missed(v) => format!("MISSED  {} `{}`: {}{range}", f.what, f.name, shown(*v)),
        Outcome::Broken { rows, sample } => {
            let mut s = format!("BROKEN  {} `{}`: {rows} row(s) break it", f.what, f.name);
            for row in sample {
                s.push('\n');
                s.push_str(row);
            }
            s
        }
        Outcome::Failed(e) => format!("ERROR   {} `{}`: {}", f.what, f.name, e.trim()),
    }
}

/// A value as a report shows it: four significant decimals at most.
fn shown(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Contract> {
        parse(
            text.as_bytes().to_vec(),
            PathBuf::from("contract.json"),
            None,
        )
    }

    #[test]
    fn reads_invariants_and_targets() {
        let c = parsed(
            r#"{"description": "x", "invariants": [{"name": "a", "sql": "SELECT 1 WHERE false;"}],
                "targets": [{"name": "b", "sql": "SELECT 0.3", "min": 0.25, "max": 0.35, "why": "Q4"}]}"#,
        )
        .unwrap();
        assert_eq!(c.invariants[0].sql, "SELECT 1 WHERE false;");
        assert_eq!(c.targets[0].min, Some(0.25));
        assert_eq!(c.targets[0].max, Some(0.35));
    }

    #[test]
    fn shape_errors_name_the_path() {
        let Err(Error::Invalid { problems, .. }) = parsed(
            r#"{"invariant": [], "targets": [{"name": "b", "sql": "SELECT 1"}, {"name": "", "sql": "SELECT 1", "min": "x"},
                {"name": "c", "sql": "SELECT 1", "min": 2, "max": 1}]}"#,
        ) else {
            panic!("expected problems");
        };
        let at: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.pointer.as_str(), p.message.as_str()))
            .collect();
        assert!(
            at.contains(&("/invariant", "unknown key `invariant` in a contract")),
            "{at:?}"
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `invariants`?")
        );
        assert!(
            at.contains(&("/targets/0", "a target needs `min`, `max` or both")),
            "{at:?}"
        );
        assert!(
            at.contains(&("/targets/1/name", "`name` is a non-empty string")),
            "{at:?}"
        );
        assert!(
            at.contains(&("/targets/1/min", "`min` is a number")),
            "{at:?}"
        );
        assert!(
            at.contains(&("/targets/2/min", "`min` 2 is above `max` 1")),
            "{at:?}"
        );
    }

    #[test]
    fn numbers_come_from_one_field_of_one_row() {
        assert_eq!(number(&[vec!["0.5".into()]]), Ok(0.5));
        assert!(number(&[vec![String::new()]]).unwrap_err().contains("NULL"));
        assert!(number(&[]).unwrap_err().contains("0 rows"));
        assert_eq!(shown(0.25), "0.25");
        assert_eq!(shown(3.0), "3");
        assert_eq!(shown(0.123_456), "0.1235");
    }
}
