//! A small reader over `serde_json` objects that records every problem with
//! its JSON pointer instead of stopping at the first one, so a user sees all
//! mistakes of a file in one run.

use serde_json::{Map, Value};

use crate::diagnostic::did_you_mean;
use crate::error::Problem;
use crate::source_map::child;

/// Collected problems of one document.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub(crate) Vec<Problem>);

impl Problems {
    pub(crate) fn push(&mut self, p: Problem) {
        self.0.push(p);
    }

    pub(crate) fn at(&mut self, pointer: &str, message: impl Into<String>) {
        self.0.push(Problem::new(pointer, message));
    }
}

/// Name of a JSON value's type, for "expected X, found Y" messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the members of one JSON object, tracking which keys were used.
pub(crate) struct Obj<'a> {
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) pointer: String,
    allowed: &'static [&'static str],
}

impl<'a> Obj<'a> {
    /// Wraps `value` if it is an object; records a problem otherwise.
    pub(crate) fn new(
        value: &'a Value,
        pointer: &str,
        allowed: &'static [&'static str],
        what: &str,
        problems: &mut Problems,
    ) -> Option<Self> {
        if let Value::Object(map) = value {
            let obj = Self {
                map,
                pointer: pointer.to_owned(),
                allowed,
            };
            obj.check_keys(problems, what);
            Some(obj)
        } else {
            problems.at(
                pointer,
                format!("expected {what} (an object), found {}", kind(value)),
            );
            None
        }
    }

    fn check_keys(&self, problems: &mut Problems, what: &str) {
        for key in self.map.keys() {
            if !self.allowed.contains(&key.as_str()) {
                let mut p = Problem::new(
                    child(&self.pointer, key),
                    format!("unknown key `{key}` in {what}"),
                )
                .at_key();
                if let Some(s) = did_you_mean(key, self.allowed.iter().copied()) {
                    p = p.hint(format!("did you mean `{s}`?"));
                } else {
                    p = p.hint(format!(
                        "valid keys here: {}",
                        self.allowed
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                problems.push(p);
            }
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    pub(crate) fn ptr(&self, key: &str) -> String {
        child(&self.pointer, key)
    }

    pub(crate) fn string(&self, key: &str, problems: &mut Problems) -> Option<String> {
        match self.map.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                problems.at(
                    &self.ptr(key),
                    format!("`{key}` must be a string, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// A string that may also be given as JSON null (meaning "not set").
    pub(crate) fn opt_string(&self, key: &str, problems: &mut Problems) -> Option<String> {
        match self.map.get(key)? {
            Value::Null => None,
            _ => self.string(key, problems),
        }
    }

    pub(crate) fn bool(&self, key: &str, problems: &mut Problems) -> Option<bool> {
        match self.map.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                problems.at(
                    &self.ptr(key),
                    format!("`{key}` must be true or false, found {}", kind(other)),
                );
                None
            }
        }
    }

    pub(crate) fn u64(&self, key: &str, problems: &mut Problems) -> Option<u64> {
        let v = self.map.get(key)?;
        match v.as_u64() {
            Some(n) => Some(n),
            None => {
                problems.at(
                    &self.ptr(key),
                    format!("`{key}` must be a whole number ≥ 0, found {}", describe(v)),
                );
                None
            }
        }
    }

    pub(crate) fn i64(&self, key: &str, problems: &mut Problems) -> Option<i64> {
        let v = self.map.get(key)?;
        match v.as_i64() {
            Some(n) => Some(n),
            None => {
                problems.at(
                    &self.ptr(key),
                    format!("`{key}` must be a whole number, found {}", describe(v)),
                );
                None
            }
        }
    }

    /// `"de_DE"` or a weighted mix `{"en_US": 70, "de_DE": 30}`.
    pub(crate) fn locale(
        &self,
        key: &str,
        problems: &mut Problems,
    ) -> Option<crate::schema::model::LocaleSpec> {
        let v = self.map.get(key)?;
        let pointer = self.ptr(key);
        let mix = match v {
            Value::String(s) => vec![(s.clone(), 1)],
            Value::Object(m) if !m.is_empty() => {
                let mut mix = Vec::new();
                for (name, w) in m {
                    match w
                        .as_u64()
                        .and_then(|w| u32::try_from(w).ok())
                        .filter(|w| *w > 0)
                    {
                        Some(w) => mix.push((name.clone(), w)),
                        None => {
                            problems.at(
                                &crate::source_map::child(&pointer, name),
                                format!("the weight of locale `{name}` must be a whole number above 0, found {}", describe(w)),
                            );
                            return None;
                        }
                    }
                }
                mix
            }
            other => {
                problems.at(
                    &pointer,
                    format!("`{key}` must be a locale (`\"de_DE\"`) or a weighted mix (`{{\"en_US\": 70, \"de_DE\": 30}}`), found {}", describe(other)),
                );
                return None;
            }
        };
        Some(crate::schema::model::LocaleSpec { mix, pointer })
    }

    pub(crate) fn ratio(&self, key: &str, problems: &mut Problems) -> Option<f64> {
        let v = self.map.get(key)?;
        match v.as_f64() {
            Some(r) if (0.0..=1.0).contains(&r) => Some(r),
            _ => {
                problems.at(
                    &self.ptr(key),
                    format!(
                        "`{key}` must be a number between 0 and 1, found {}",
                        describe(v)
                    ),
                );
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a one-element list.
    pub(crate) fn strings(&self, key: &str, problems: &mut Problems) -> Option<Vec<String>> {
        let v = self.map.get(key)?;
        strings_at(v, &self.ptr(key), key, problems)
    }
}

pub(crate) fn strings_at(
    v: &Value,
    pointer: &str,
    key: &str,
    problems: &mut Problems,
) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => out.push(s.clone()),
                    other => problems.at(
                        &child(pointer, &i.to_string()),
                        format!("`{key}` items must be strings, found {}", kind(other)),
                    ),
                }
            }
            Some(out)
        }
        other => {
            problems.at(
                pointer,
                format!("`{key}` must be a list of strings, found {}", kind(other)),
            );
            None
        }
    }
}

/// A short rendering of a JSON value for messages.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Number(n) => n.to_string(),
        other => kind(other).to_owned(),
    }
}
