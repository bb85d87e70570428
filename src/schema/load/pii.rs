//! A column's `pii` label: `"direct"`, `"quasi"`, or `{"level": ..., "category": ...}`.

use serde_json::Value;

use super::super::pii::{Pii, PiiCategory, PiiLevel};
use super::super::reader::{describe, Obj, Problems};
use crate::diagnostic::did_you_mean;
use crate::error::Problem;

const PII_KEYS: &[&str] = &["level", "category"];

/// Reads the label at `ptr`, recording a problem for anything that is not one.
pub(super) fn pii(v: &Value, ptr: &str, p: &mut Problems) -> Option<Pii> {
    match v {
        Value::String(level) => Some(Pii {
            level: level_named(level, ptr, p)?,
            category: None,
        }),
        Value::Object(_) => {
            let o = Obj::new(v, ptr, PII_KEYS, "`pii`", p)?;
            // Both are read before returning, so a bad level and a bad category are reported together.
            let level = match o.get("level") {
                Some(Value::String(l)) => level_named(l, &o.ptr("level"), p),
                Some(other) => {
                    p.at(
                        &o.ptr("level"),
                        format!(
                            "`level` must be `\"direct\"` or `\"quasi\"`, found {}",
                            describe(other)
                        ),
                    );
                    None
                }
                None => {
                    p.push(Problem::new(ptr, "`pii` needs a `level`").hint(
                        "e.g. `\"pii\": {\"level\": \"direct\", \"category\": \"contact\"}`",
                    ));
                    None
                }
            };
            let category = o
                .string("category", p)
                .map(|c| category_named(&c, &o.ptr("category"), p));
            Some(Pii {
                level: level?,
                category: match category {
                    Some(c) => Some(c?),
                    None => None,
                },
            })
        }
        other => {
            p.push(
                Problem::new(
                    ptr,
                    format!("`pii` must be a level or an object with `level` and `category`, found {}", describe(other)),
                )
                .hint("e.g. `\"pii\": \"direct\"` or `\"pii\": {\"level\": \"quasi\", \"category\": \"location\"}`"),
            );
            None
        }
    }
}

fn level_named(name: &str, ptr: &str, p: &mut Problems) -> Option<PiiLevel> {
    if let Some(level) = PiiLevel::from_name(name) {
        return Some(level);
    }
    let mut problem = Problem::new(ptr, format!("unknown PII level `{name}`"));
    let names = PiiLevel::ALL.map(PiiLevel::name);
    problem = if let Some(category) = PiiCategory::from_name(name) {
        // `"pii": "contact"` says what the data is, but not how directly it identifies someone.
        let c = category.name();
        problem.hint(format!(
            "`{c}` is a category, not a level: write `{{\"level\": \"direct\", \"category\": \"{c}\"}}`, or `\"quasi\"` when it identifies a person only together with other values"
        ))
    } else if let Some(s) = did_you_mean(name, names) {
        problem.hint(format!("did you mean `{s}`?"))
    } else {
        problem.hint("the levels are `direct` (identifies a person on its own) and `quasi` (together with other values)")
    };
    p.push(problem);
    None
}

fn category_named(name: &str, ptr: &str, p: &mut Problems) -> Option<PiiCategory> {
    if let Some(category) = PiiCategory::from_name(name) {
        return Some(category);
    }
    let names = PiiCategory::ALL.map(PiiCategory::name);
    let hint = match did_you_mean(name, names) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "the categories are {}",
            names.map(|n| format!("`{n}`")).join(", ")
        ),
    };
    p.push(Problem::new(ptr, format!("unknown PII category `{name}`")).hint(hint));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: &Value) -> (Option<Pii>, Vec<String>) {
        let mut p = Problems::default();
        let pii = pii(v, "/tables/t/columns/c/pii", &mut p);
        let messages =
            p.0.iter()
                .map(|problem| {
                    let hint = problem.hint.as_deref().unwrap_or("");
                    format!("{} at {}; {hint}", problem.message, problem.pointer)
                })
                .collect();
        (pii, messages)
    }

    #[test]
    fn shorthand_and_object_forms() {
        let direct = read(&json!("direct"));
        assert_eq!(
            direct.0,
            Some(Pii {
                level: PiiLevel::Direct,
                category: None
            })
        );
        assert!(direct.1.is_empty());
        let full = read(&json!({"level": "quasi", "category": "national_id"}));
        assert_eq!(
            full.0,
            Some(Pii {
                level: PiiLevel::Quasi,
                category: Some(PiiCategory::NationalId)
            })
        );
        assert!(full.1.is_empty());
        let no_category = read(&json!({"level": "direct"}));
        assert_eq!(no_category.0.map(|p| p.category), Some(None));
    }

    #[test]
    fn mistakes_are_problems_with_hints() {
        let typo = read(&json!("drect"));
        assert_eq!(typo.0, None);
        assert!(
            typo.1[0].contains("unknown PII level `drect`"),
            "{:?}",
            typo.1
        );
        assert!(typo.1[0].contains("did you mean `direct`?"), "{:?}", typo.1);

        let category_as_level = read(&json!("contact"));
        assert!(category_as_level.1[0].contains("`contact` is a category, not a level"));

        let bad_category = read(&json!({"level": "direct", "category": "adress"}));
        assert_eq!(bad_category.0, None);
        assert!(bad_category.1[0].contains("unknown PII category `adress`"));
        assert!(bad_category.1[0].contains("/tables/t/columns/c/pii/category"));

        let unknown = read(&json!({"level": "direct", "category": "zzz"}));
        assert!(
            unknown.1[0].contains("`name`, `contact`"),
            "{:?}",
            unknown.1
        );

        let both = read(&json!({"level": "x", "category": "y"}));
        assert_eq!(both.1.len(), 2, "both mistakes at once: {:?}", both.1);

        let no_level = read(&json!({"category": "name"}));
        assert!(no_level.1[0].contains("`pii` needs a `level`"));

        let extra_key = read(&json!({"level": "direct", "kind": "name"}));
        assert!(extra_key.1[0].contains("unknown key `kind`"));

        let boolean = read(&json!(true));
        assert!(boolean.1[0].contains("found a boolean"), "{:?}", boolean.1);
    }
}
