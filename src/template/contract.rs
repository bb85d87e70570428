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
    let mut contract = Contract::default();
    let Some(top) = doc.as_object() else {
        problems.push(Problem::new(
            "",
            "a contract is an object with `invariants` and `targets`",
        ));
        return contract;
    };
    for (key, value) in top {
        let ptr = child("", key);
        match key.as_str() {
            "description" if value.is_string() => {}
            "description" => problems.push(Problem::new(ptr, "`description` is a string")),
            "invariants" | "targets" => {
                let Some(items) = value.as_array() else {
                    problems.push(Problem::new(ptr, format!("`{key}` is a list of checks")));
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    let at = child(&ptr, &i.to_string());
                    if key == "invariants" {
                        if let Some((name, sql, _, _)) = check(item, &at, false, problems) {
                            contract.invariants.push(Invariant { name, sql });
                        }
                    } else if let Some((name, sql, min, max)) = check(item, &at, true, problems) {
                        contract.targets.push(Target {
                            name,
                            sql,
                            min,
                            max,
                        });
                    }
                }
            }
            other => {
                let hint = crate::diagnostic::did_you_mean(
                    other,
                    ["description", "invariants", "targets"],
                );
                let mut p = Problem::new(ptr, format!("unknown key `{other}`")).at_key();
                if let Some(s) = hint {
                    p = p.hint(format!("did you mean `{s}`?"));
                }
                problems.push(p);
            }
        }
    }
    if contract.invariants.is_empty() && contract.targets.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            "",
            "the contract has no invariants and no targets",
        ));
    }
    contract
}

/// One check: (name, sql, min, max).
type Check = (String, String, Option<f64>, Option<f64>);

fn check(item: &Value, at: &str, target: bool, problems: &mut Vec<Problem>) -> Option<Check> {
    let Some(obj) = item.as_object() else {
        problems.push(Problem::new(
            at,
            "a check is an object with `name` and `sql`",
        ));
        return None;
    };
    let before = problems.len();
    let allowed: &[&str] = if target {
        &["name", "sql", "min", "max", "why"]
    } else {
        &["name", "sql", "why"]
    };
    let text = |key: &str, problems: &mut Vec<Problem>| match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(_) => {
            problems.push(Problem::new(
                child(at, key),
                format!("`{key}` is a non-empty string"),
            ));
            None
        }
        None => {
            problems.push(Problem::new(at, format!("the check has no `{key}`")));
            None
        }
    };
    let name = text("name", problems);
    let sql = text("sql", problems);
    let bound = |key: &str, problems: &mut Vec<Problem>| match obj.get(key) {
        None => None,
        Some(v) => {
            let n = v.as_f64();
            if n.is_none() {
                problems.push(Problem::new(child(at, key), format!("`{key}` is a number")));
            }
            n
        }
    };
    let (min, max) = (bound("min", problems), bound("max", problems));
    for key in obj.keys().filter(|k| !allowed.contains(&k.as_str())) {
        let mut p = Problem::new(child(at, key), format!("unknown key `{key}`")).at_key();
        if let Some(s) = crate::diagnostic::did_you_mean(key, allowed.iter().copied()) {
            p = p.hint(format!("did you mean `{s}`?"));
        }
        problems.push(p);
    }
    if target && min.is_none() && max.is_none() && problems.len() == before {
        problems.push(
            Problem::new(at, "a target needs `min`, `max` or both")
                .hint("a query that must return no rows belongs in `invariants`"),
        );
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            problems.push(Problem::new(
                child(at, "min"),
                format!("`min` {lo} is above `max` {hi}"),
            ));
        }
    }
    (problems.len() == before)
        .then(|| (name.unwrap_or_default(), sql.unwrap_or_default(), min, max))
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
            at.contains(&("/invariant", "unknown key `invariant`")),
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
