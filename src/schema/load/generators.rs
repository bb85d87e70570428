//! `generators`: named generators a project or template declares, checked
//! for shape here; their files are read by [`crate::schema::values_file`] and
//! their references resolved when the plan compiles them.

use serde_json::Value;

use super::super::model::{CustomBody, CustomGenerator};
use super::super::reader::{describe, kind, Obj, Problems};
use crate::error::Problem;
use crate::source_map::child;

const GENERATOR_KEYS: &[&str] = &[
    "description",
    "pattern",
    "values",
    "weights",
    "values_file",
    "column",
    "weight_column",
    "format",
    "one_of",
];

/// The ways a generator can make values; each definition uses exactly one.
const BODIES: &[&str] = &["pattern", "values", "values_file", "format", "one_of"];

/// Generator kinds that take options; a named generator may not take their names.
pub(crate) const RESERVED: &[&str] = &[
    "sequence",
    "uniform",
    "normal",
    "lognormal",
    "log_normal",
    "exponential",
    "timeseries",
    "time_series",
    "poisson",
    "zipf",
    "pareto",
    "geometric",
    "weighted",
    "choice",
    "constant",
    "null",
    "bool",
    "boolean",
    "uuid",
];

pub(super) fn generators(v: &Value, p: &mut Problems) -> Vec<CustomGenerator> {
    let Value::Object(map) = v else {
        p.at(
            "/generators",
            format!(
                "`generators` must be an object keyed by generator name, found {}",
                kind(v)
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, def) in map {
        let ptr = child("/generators", name);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            p.push(
                Problem::new(
                    &ptr,
                    format!("generator name `{name}` must use only letters, digits, `_` and `-`"),
                )
                .at_key(),
            );
            continue;
        }
        if RESERVED.contains(&name.as_str()) {
            p.push(
                Problem::new(
                    &ptr,
                    format!("`{name}` is a built-in generator that takes options; a named generator cannot replace it"),
                )
                .at_key()
                .hint("choose another name"),
            );
            continue;
        }
        let what = format!("generator `{name}`");
        let Some(o) = Obj::new(def, &ptr, GENERATOR_KEYS, &what, p) else {
            continue;
        };
        let given: Vec<&str> = BODIES
            .iter()
            .copied()
            .filter(|k| o.get(k).is_some())
            .collect();
        if given.len() != 1 {
            let message = if given.is_empty() {
                format!("generator `{name}` says nothing about its values")
            } else {
                format!(
                    "generator `{name}` gives {}; it needs exactly one",
                    given
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                )
            };
            p.push(Problem::new(&ptr, message).hint(
                "use one of `pattern` (`\"POL-[A-Z]{3}-[0-9]{6}\"`), `values` (a list, or value → weight), `values_file` (a CSV or text file), `format` (`\"{a}-{b}\"`) or `one_of` (generator → weight)",
            ));
            continue;
        }
        for k in ["weights", "column", "weight_column"] {
            let belongs = match k {
                "weights" => "values",
                _ => "values_file",
            };
            if o.get(k).is_some() && given[0] != belongs {
                p.push(
                    Problem::new(
                        o.ptr(k),
                        format!("`{k}` goes with `{belongs}`, not `{}`", given[0]),
                    )
                    .at_key(),
                );
            }
        }
        let _ = o.string("description", p);
        let body = match given[0] {
            "pattern" => o.string("pattern", p).map(CustomBody::Pattern),
            "format" => o.string("format", p).map(CustomBody::Format),
            "values_file" => o.string("values_file", p).map(|path| CustomBody::File {
                path,
                column: o.string("column", p),
                weight_column: o.string("weight_column", p),
            }),
            "values" => values(&o, p).map(CustomBody::Values),
            _ => weights_by_key(&o, "one_of", p).map(CustomBody::OneOf),
        };
        if let Some(body) = body {
            out.push(CustomGenerator {
                name: name.clone(),
                body,
                pointer: ptr,
            });
        }
    }
    out
}

/// `values` as a list (with optional `weights`) or as value → weight.
fn values(o: &Obj<'_>, p: &mut Problems) -> Option<Vec<(Value, f64)>> {
    let list = match o.get("values")? {
        Value::Object(_) => {
            return weights_by_key(o, "values", p)
                .map(|w| w.into_iter().map(|(k, w)| (Value::String(k), w)).collect());
        }
        Value::Array(items) => items,
        other => {
            p.at(
                &o.ptr("values"),
                format!(
                    "`values` must be a list, or an object of value → weight, found {}",
                    kind(other)
                ),
            );
            return None;
        }
    };
    if list.is_empty() {
        p.at(&o.ptr("values"), "`values` is empty");
        return None;
    }
    for (i, v) in list.iter().enumerate() {
        if !matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
            p.at(
                &child(&o.ptr("values"), &i.to_string()),
                format!(
                    "values must be strings, numbers or booleans, found {}",
                    describe(v)
                ),
            );
            return None;
        }
    }
    let weights = match o.get("weights") {
        None => vec![1.0; list.len()],
        Some(Value::Array(ws)) if ws.len() == list.len() => {
            let mut out = Vec::with_capacity(ws.len());
            for (i, w) in ws.iter().enumerate() {
                match w.as_f64() {
                    Some(x) if x.is_finite() && x >= 0.0 => out.push(x),
                    _ => {
                        p.at(
                            &child(&o.ptr("weights"), &i.to_string()),
                            format!("weights must be numbers ≥ 0, found {}", describe(w)),
                        );
                        return None;
                    }
                }
            }
            out
        }
        Some(Value::Array(ws)) => {
            p.at(
                &o.ptr("weights"),
                format!("{} weights for {} values", ws.len(), list.len()),
            );
            return None;
        }
        Some(other) => {
            p.at(
                &o.ptr("weights"),
                format!("`weights` must be a list of numbers, found {}", kind(other)),
            );
            return None;
        }
    };
    if weights.iter().all(|w| *w == 0.0) {
        p.at(&o.ptr("weights"), "the weights are all 0");
        return None;
    }
    Some(list.iter().cloned().zip(weights).collect())
}

/// An object of name → weight (`{"a": 3, "b": 1}`), or a list of names (weight 1 each).
fn weights_by_key(o: &Obj<'_>, key: &str, p: &mut Problems) -> Option<Vec<(String, f64)>> {
    let ptr = o.ptr(key);
    let out: Vec<(String, f64)> = match o.get(key)? {
        Value::Object(map) => {
            let mut out = Vec::with_capacity(map.len());
            for (k, w) in map {
                match w.as_f64() {
                    Some(x) if x.is_finite() && x >= 0.0 => out.push((k.clone(), x)),
                    _ => {
                        p.at(
                            &child(&ptr, k),
                            format!("weights must be numbers ≥ 0, found {}", describe(w)),
                        );
                        return None;
                    }
                }
            }
            out
        }
        Value::Array(items) if key == "one_of" => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let Value::String(s) = item else {
                    p.at(
                        &child(&ptr, &i.to_string()),
                        format!("`one_of` lists generator names, found {}", describe(item)),
                    );
                    return None;
                };
                out.push((s.clone(), 1.0));
            }
            out
        }
        other => {
            p.at(
                &ptr,
                format!(
                    "`{key}` must be an object of {} → weight, found {}",
                    if key == "one_of" {
                        "generator"
                    } else {
                        "value"
                    },
                    kind(other)
                ),
            );
            return None;
        }
    };
    if out.is_empty() {
        p.at(&ptr, format!("`{key}` is empty"));
        return None;
    }
    if out.iter().all(|(_, w)| *w == 0.0) {
        p.at(&ptr, "the weights are all 0");
        return None;
    }
    Some(out)
}
