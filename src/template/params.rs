//! Template parameters: their declarations (`params` in `template.json`),
//! checking the values a project gives, and rendering the template body with
//! them through Tera.
//!
//! Only JSON strings are templates: a string that is exactly one `{{ expr }}`
//! becomes the typed value of `expr` (so `"rows": "{{ customers }}"` is a
//! number); any other string with `{{`/`{%` renders to a string. Templates get
//! no environment variables and no files: `get_env` is replaced by a function
//! that fails, and the Tera instance holds no other templates to include.

use std::collections::BTreeMap;
use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use crate::diagnostic::did_you_mean;
use crate::error::Problem;
use crate::source_map::child;

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// Text.
    String,
    /// `true` or `false`.
    Boolean,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
}

impl ParamType {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "integer" => Self::Integer,
            "number" => Self::Number,
            "string" => Self::String,
            "boolean" => Self::Boolean,
            "date" => Self::Date,
            _ => return None,
        })
    }

    /// The name used in `template.json`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Integer => "integer",
            Self::Number => "number",
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::Date => "date",
        }
    }
}

/// One declared parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDecl {
    /// Its type.
    pub ty: ParamType,
    /// The value used when the project gives none.
    pub default: Option<Value>,
    /// What it means.
    pub description: Option<String>,
    /// Lowest allowed value (numbers and dates).
    pub min: Option<Value>,
    /// Highest allowed value (numbers and dates).
    pub max: Option<Value>,
    /// The allowed values, if only some are.
    pub allowed: Option<Vec<Value>>,
}

/// Declared parameters by name, in declaration order.
pub type Decls = Vec<(String, ParamDecl)>;

const DECL_KEYS: &[&str] = &["type", "default", "description", "min", "max", "enum"];

/// Reads the `params` object of a template at `pointer`; problems are pushed.
pub fn read_decls(value: Option<&Value>, pointer: &str, problems: &mut Vec<Problem>) -> Decls {
    let mut out = Vec::new();
    let Some(value) = value else {
        return out;
    };
    let Some(map) = value.as_object() else {
        problems.push(Problem::new(
            pointer,
            "`params` must be an object: parameter name → declaration",
        ));
        return out;
    };
    for (name, decl) in map {
        let p = child(pointer, name);
        if !is_identifier(name) {
            problems.push(
                Problem::new(&p, format!("parameter name `{name}` must be letters, digits and `_`, not starting with a digit"))
                    .at_key(),
            );
            continue;
        }
        let Some(obj) = decl.as_object() else {
            problems.push(Problem::new(&p, "a parameter is an object with `type`, `default`, `description`, `min`, `max`, `enum`"));
            continue;
        };
        for key in obj.keys() {
            if !DECL_KEYS.contains(&key.as_str()) {
                let mut problem = Problem::new(
                    child(&p, key),
                    format!("unknown key `{key}` in a parameter"),
                )
                .at_key();
                if let Some(s) = did_you_mean(key, DECL_KEYS.iter().copied()) {
                    problem = problem.hint(format!("did you mean `{s}`?"));
                }
                problems.push(problem);
            }
        }
        let ty = match obj
            .get("type")
            .and_then(Value::as_str)
            .map(|t| (t, ParamType::parse(t)))
        {
            Some((_, Some(ty))) => ty,
            Some((t, None)) => {
                problems.push(
                    Problem::new(child(&p, "type"), format!("unknown parameter type `{t}`"))
                        .hint("use `integer`, `number`, `string`, `boolean` or `date`"),
                );
                continue;
            }
            None => {
                problems.push(
                    Problem::new(&p, format!("parameter `{name}` needs a `type`"))
                        .hint("use `integer`, `number`, `string`, `boolean` or `date`"),
                );
                continue;
            }
        };
        let mut decl = ParamDecl {
            ty,
            default: None,
            description: obj
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            min: obj.get("min").cloned(),
            max: obj.get("max").cloned(),
            allowed: obj.get("enum").and_then(Value::as_array).cloned(),
        };
        for bound in ["min", "max"] {
            if let Some(v) = obj.get(bound) {
                if let Err(e) = check_type(ty, v) {
                    problems.push(Problem::new(
                        child(&p, bound),
                        format!("`{bound}` of `{name}`: {e}"),
                    ));
                }
            }
        }
        if let Some(list) = obj.get("enum") {
            match list.as_array() {
                Some(items) if !items.is_empty() => {
                    for (i, v) in items.iter().enumerate() {
                        if let Err(e) = check_type(ty, v) {
                            problems.push(Problem::new(
                                child(&child(&p, "enum"), &i.to_string()),
                                format!("value of `{name}`: {e}"),
                            ));
                        }
                    }
                }
                _ => problems.push(Problem::new(
                    child(&p, "enum"),
                    "`enum` must be a non-empty list of allowed values",
                )),
            }
        }
        if let Some(v) = obj.get("default") {
            match check_value(name, &decl, v) {
                Ok(v) => decl.default = Some(v),
                Err(e) => problems.push(Problem::new(
                    child(&p, "default"),
                    format!("default of `{name}`: {e}"),
                )),
            }
        }
        out.push((name.clone(), decl));
    }
    out
}

fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Checks that `value` has type `ty` (a date is a `YYYY-MM-DD` string); the error says what was found.
fn check_type(ty: ParamType, value: &Value) -> Result<(), String> {
    let ok = match ty {
        ParamType::Integer => value.as_i64().is_some() || value.as_u64().is_some(),
        ParamType::Number => value.is_number(),
        ParamType::String => value.is_string(),
        ParamType::Boolean => value.is_boolean(),
        ParamType::Date => value
            .as_str()
            .is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
    };
    if ok {
        Ok(())
    } else {
        let expected = match ty {
            ParamType::Integer => "a whole number",
            ParamType::Number => "a number",
            ParamType::String => "a string",
            ParamType::Boolean => "`true` or `false`",
            ParamType::Date => "a date as \"YYYY-MM-DD\"",
        };
        Err(format!("expected {expected}, found {}", show(value)))
    }
}

fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Checks one value against its declaration (type, bounds, allowed values).
pub fn check_value(name: &str, decl: &ParamDecl, value: &Value) -> Result<Value, String> {
    check_type(decl.ty, value).map_err(|e| format!("`{name}`: {e}"))?;
    let below = |a: &Value, b: &Value| match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64().unwrap_or(0.0) < y.as_f64().unwrap_or(0.0)
        }
        (Value::String(x), Value::String(y)) => x < y,
        _ => false,
    };
    if let Some(min) = &decl.min {
        if below(value, min) {
            return Err(format!(
                "`{name}` is {}, below its minimum {}",
                show(value),
                show(min)
            ));
        }
    }
    if let Some(max) = &decl.max {
        if below(max, value) {
            return Err(format!(
                "`{name}` is {}, above its maximum {}",
                show(value),
                show(max)
            ));
        }
    }
    if let Some(allowed) = &decl.allowed {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(show).collect();
            return Err(format!(
                "`{name}` is {}, not one of {}",
                show(value),
                list.join(", ")
            ));
        }
    }
    Ok(value.clone())
}

/// Parses a command-line value (`--param sku=0123`) by the parameter's declared type.
pub fn parse_cli_value(decl: &ParamDecl, text: &str) -> Result<Value, String> {
    let value = match decl.ty {
        ParamType::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("expected a whole number, found `{text}`"))?,
        ParamType::Number => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("expected a number, found `{text}`"))?,
        ParamType::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("expected `true` or `false`, found `{text}`")),
        },
        ParamType::String | ParamType::Date => Value::String(text.to_owned()),
    };
    Ok(value)
}

/// The values of every declared parameter: given ones checked, defaults for the rest.
/// `given` is the project's `params` object at `pointer` in its file.
pub fn bind(
    decls: &Decls,
    given: Option<&Map<String, Value>>,
    pointer: &str,
    template: &str,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Value> {
    let mut values = BTreeMap::new();
    if let Some(given) = given {
        for (name, value) in given {
            let p = child(pointer, name);
            match decls.iter().find(|(n, _)| n == name) {
                None => {
                    let mut problem =
                        Problem::new(&p, format!("`{template}` has no parameter `{name}`"))
                            .at_key();
                    let names = decls.iter().map(|(n, _)| n.as_str());
                    problem = match did_you_mean(name, names) {
                        Some(s) => problem.hint(format!("did you mean `{s}`?")),
                        None => problem.hint(format!(
                            "its parameters are {}",
                            list_or_none(decls.iter().map(|(n, _)| format!("`{n}`")))
                        )),
                    };
                    problems.push(problem);
                }
                Some((_, decl)) => match check_value(name, decl, value) {
                    Ok(v) => {
                        values.insert(name.clone(), v);
                    }
                    Err(e) => problems.push(Problem::new(&p, e)),
                },
            }
        }
    }
    for (name, decl) in decls {
        if values.contains_key(name) {
            continue;
        }
        match &decl.default {
            Some(v) => {
                values.insert(name.clone(), v.clone());
            }
            None => problems.push(
                Problem::new(
                    pointer,
                    format!("`{template}` needs a value for parameter `{name}`"),
                )
                .hint(format!(
                    "add `\"params\": {{ \"{name}\": ... }}` ({})",
                    decl.ty.name()
                )),
            ),
        }
    }
    values
}

fn list_or_none(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// Deepest nesting of a Tera template pgmock renders (a column's `template`,
/// a template file's expressions). Its parser and renderer
/// recurse once per level, and a few thousand levels (`{% if %}` blocks or
/// parentheses) overflow the stack: an abort, not an error.
pub(crate) const MAX_NESTING: usize = 64;

/// How deeply `source` nests: open block tags (`{% if %}` until `{% endif %}`)
/// plus open parentheses and brackets. Brackets in plain text outside tags count
/// too, which overestimates only text that no one writes 64 levels deep.
pub(crate) fn nesting(source: &str) -> usize {
    let bytes = source.as_bytes();
    let (mut blocks, mut parens, mut deepest) = (0usize, 0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'[' => parens += 1,
            b')' | b']' => parens = parens.saturating_sub(1),
            b'{' if bytes.get(i + 1) == Some(&b'%') => {
                // `{` and `%` are ASCII, so `i + 2` is a char boundary.
                let tag = source[i + 2..].trim_start_matches(['-', ' ', '\t', '\r', '\n']);
                let word = tag
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .next()
                    .unwrap_or("");
                if matches!(word, "if" | "for" | "block" | "macro" | "filter" | "raw") {
                    blocks += 1;
                } else if word.starts_with("end") {
                    blocks = blocks.saturating_sub(1);
                }
            }
            _ => {}
        }
        deepest = deepest.max(blocks + parens);
    }
    deepest
}

/// Renders Tera expressions in the strings (and object keys) of `body`.
/// Returns the rendered body and the keys that rendering renamed
/// (pointer before → pointer after), so origins can follow them.
pub fn render(
    body: &Value,
    values: &BTreeMap<String, Value>,
    problems: &mut Vec<Problem>,
) -> (Value, Vec<(String, String)>) {
    let mut renderer = Renderer::new(values);
    let mut renamed = Vec::new();
    let out = renderer.value(body, "", "", &mut renamed, problems);
    (out, renamed)
}

/// Renders one string (an `extends` entry's parameter, say) with the values.
pub fn render_value(
    value: &Value,
    values: &BTreeMap<String, Value>,
    pointer: &str,
    problems: &mut Vec<Problem>,
) -> Value {
    let mut renderer = Renderer::new(values);
    let mut renamed = Vec::new();
    renderer.value(value, pointer, pointer, &mut renamed, problems)
}

struct Renderer {
    tera: tera::Tera,
    context: tera::Context,
    names: Vec<String>,
}

impl Renderer {
    fn new(values: &BTreeMap<String, Value>) -> Self {
        let mut tera = tera::Tera::default();
        // Templates come from other people: they must not read the environment.
        tera.register_function(
            "get_env",
            |_: &HashMap<String, Value>| -> tera::Result<Value> {
                Err(tera::Error::msg(
                    "templates cannot read environment variables",
                ))
            },
        );
        tera.autoescape_on(Vec::new());
        let mut context = tera::Context::new();
        for (k, v) in values {
            context.insert(k.as_str(), v);
        }
        Self {
            tera,
            context,
            names: values.keys().cloned().collect(),
        }
    }

    fn value(
        &mut self,
        v: &Value,
        ptr: &str,
        out_ptr: &str,
        renamed: &mut Vec<(String, String)>,
        problems: &mut Vec<Problem>,
    ) -> Value {
        match v {
            Value::String(s) if is_template(s) => self.string(s, ptr, problems),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        let t = i.to_string();
                        self.value(x, &child(ptr, &t), &child(out_ptr, &t), renamed, problems)
                    })
                    .collect(),
            ),
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, x) in map {
                    let kp = child(ptr, k);
                    let key = if is_template(k) {
                        match self.text(k, &kp, true, problems) {
                            Some(new) => new,
                            None => k.clone(),
                        }
                    } else {
                        k.clone()
                    };
                    let okp = child(out_ptr, &key);
                    if okp != kp {
                        renamed.push((kp.clone(), okp.clone()));
                    }
                    let rendered = self.value(x, &kp, &okp, renamed, problems);
                    out.insert(key, rendered);
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// A whole-string expression keeps the type of its result.
    fn string(&mut self, s: &str, ptr: &str, problems: &mut Vec<Problem>) -> Value {
        let trimmed = s.trim();
        if let Some(inner) = trimmed
            .strip_prefix("{{")
            .and_then(|r| r.strip_suffix("}}"))
        {
            if !inner.contains("{{") && !inner.contains("}}") && !inner.contains("{%") {
                let wrapped = format!(
                    "{{% set pgmock_value = {} %}}{{{{ pgmock_value | json_encode() }}}}",
                    inner.trim()
                );
                if let Some(text) = self.text(&wrapped, ptr, false, problems) {
                    return serde_json::from_str(&text).unwrap_or(Value::String(text));
                }
                return Value::String(s.to_owned());
            }
        }
        match self.text(s, ptr, false, problems) {
            Some(text) => Value::String(text),
            None => Value::String(s.to_owned()),
        }
    }

    fn text(
        &mut self,
        s: &str,
        ptr: &str,
        at_key: bool,
        problems: &mut Vec<Problem>,
    ) -> Option<String> {
        let depth = nesting(s);
        if depth > MAX_NESTING {
            let mut problem = Problem::new(
                ptr,
                format!(
                    "the expression nests {depth} levels deep; at most {MAX_NESTING} are supported"
                ),
            )
            .hint("nest fewer `{% if %}` blocks and parentheses");
            if at_key {
                problem = problem.at_key();
            }
            problems.push(problem);
            return None;
        }
        match self.tera.render_str(s, &self.context) {
            Ok(text) => Some(text),
            Err(e) => {
                let mut message = String::new();
                let mut cause: Option<&dyn std::error::Error> = Some(&e);
                while let Some(c) = cause {
                    let text = c.to_string();
                    // Tera names the one-off template it renders; that name means nothing to a user.
                    let part = text
                        .replace(" while rendering '__tera_one_off'", "")
                        .replace(" in '__tera_one_off'", "");
                    if !part.starts_with("Failed to render") && !part.trim().is_empty() {
                        if !message.is_empty() {
                            message.push_str(": ");
                        }
                        message.push_str(part.trim());
                    }
                    cause = c.source();
                }
                let mut problem = Problem::new(
                    ptr,
                    format!("cannot render the template expression: {message}"),
                );
                if at_key {
                    problem = problem.at_key();
                }
                let unknown = message
                    .split('`')
                    .nth(1)
                    .filter(|_| message.contains("not found in context"))
                    .map(str::to_owned);
                problem = match unknown {
                    Some(var) => match did_you_mean(&var, self.names.iter().map(String::as_str)) {
                        Some(s) => problem.hint(format!("did you mean `{s}`?")),
                        None => problem.hint(format!(
                            "the parameters are {}",
                            list_or_none(self.names.iter().map(|n| format!("`{n}`")))
                        )),
                    },
                    None => problem,
                };
                problems.push(problem);
                None
            }
        }
    }
}

fn is_template(s: &str) -> bool {
    s.contains("{{") || s.contains("{%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values() -> BTreeMap<String, Value> {
        let mut v = BTreeMap::new();
        v.insert("customers".into(), json!(500));
        v.insert("currency".into(), json!("EUR"));
        v.insert("sku".into(), json!("0123"));
        v
    }

    #[test]
    fn whole_expressions_keep_their_type() {
        let mut problems = Vec::new();
        let body = json!({"tables": {"t": {"rows": "{{ customers * 3 }}", "c": "{{ currency }}", "k": "{{ sku }}",
            "check": "x < {{ customers }}"}}});
        let (out, _) = render(&body, &values(), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(out["tables"]["t"]["rows"], json!(1500));
        assert_eq!(out["tables"]["t"]["c"], json!("EUR"));
        assert_eq!(out["tables"]["t"]["k"], json!("0123"));
        assert_eq!(out["tables"]["t"]["check"], json!("x < 500"));
    }

    /// Two thousand nested `{% if %}` blocks (or ten thousand parentheses) in a
    /// column `template` overflowed the stack of `pgmock validate` inside Tera
    /// (found while probing the `project` fuzz target with deep input; #11).
    #[test]
    fn issue_11_nesting_counts_blocks_and_parentheses() {
        assert_eq!(nesting("{{ first_name | lower }}.{{ last_name }}"), 0);
        assert_eq!(nesting("{% if a %}{{ (b + 1) * 2 }}{% endif %}"), 2);
        assert_eq!(nesting("{%- for x in [1, 2] -%}{{ x }}{%- endfor %}"), 2);
        let ifs = format!(
            "{}x{}",
            "{% if true %}".repeat(2000),
            "{% endif %}".repeat(2000)
        );
        assert_eq!(nesting(&ifs), 2000);
        let parens = format!("{{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(nesting(&parens) > MAX_NESTING);
    }

    #[test]
    fn issue_11_deep_expressions_in_template_files_are_errors() {
        let mut problems = Vec::new();
        let deep = format!("{{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000));
        let body = json!({"tables": {"t": {"rows": deep}}});
        let (out, _) = render(&body, &values(), &mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].pointer, "/tables/t/rows");
        assert!(problems[0].message.contains("nests"), "{problems:?}");
        assert_eq!(out["tables"]["t"]["rows"], json!(deep));
    }

    #[test]
    fn environment_is_out_of_reach() {
        let mut problems = Vec::new();
        let body = json!({"x": "{{ get_env(name='HOME') }}"});
        let _ = render(&body, &values(), &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("environment"), "{problems:?}");
    }

    #[test]
    fn unknown_variable_suggests_a_parameter() {
        let mut problems = Vec::new();
        let body = json!({"rows": "{{ custmers }}"});
        let _ = render(&body, &values(), &mut problems);
        assert_eq!(problems[0].pointer, "/rows");
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `customers`?"),
            "{problems:?}"
        );
    }

    #[test]
    fn cli_values_follow_the_declared_type() {
        let decl = |ty| ParamDecl {
            ty,
            default: None,
            description: None,
            min: None,
            max: None,
            allowed: None,
        };
        assert_eq!(
            parse_cli_value(&decl(ParamType::String), "0123").unwrap(),
            json!("0123")
        );
        assert_eq!(
            parse_cli_value(&decl(ParamType::Integer), "0123").unwrap(),
            json!(123)
        );
        assert!(parse_cli_value(&decl(ParamType::Integer), "1.5").is_err());
    }
}
