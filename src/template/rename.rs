//! Moving a template's objects out of the way of another's: `prefix` renames
//! every table, partition, type, sequence and explicitly named constraint or
//! index, and every reference to them; `schema` puts every object in a
//! PostgreSQL schema and qualifies the references, so two templates that both
//! define `users` can be mixed.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::layer::Layer;
use crate::source_map::child;

/// How one template's names are moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// Put before every name.
    pub prefix: Option<String>,
    /// The PostgreSQL schema for every object.
    pub schema: Option<String>,
}

struct Names {
    tables: HashSet<String>,
    types: HashSet<String>,
    sequences: HashSet<String>,
    prefix: String,
    schema: Option<String>,
}

impl Names {
    /// The document key of a table (or type, sequence) named `name`.
    fn key(&self, name: &str) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}{name}", self.prefix),
            None => format!("{}{name}", self.prefix),
        }
    }

    fn name(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A table named by `rows.per` (`t` or `schema.t`).
    fn table_ref(&self, text: &str) -> Option<String> {
        let table = text.rsplit('.').next().unwrap_or(text);
        self.tables.contains(table).then(|| self.key(table))
    }

    /// A type as a column writes it (`order_status`, `public.order_status[]`).
    fn type_ref(&self, text: &str) -> Option<String> {
        let trimmed = text.trim();
        let base = trimmed.trim_end_matches("[]").trim_end();
        let suffix = &trimmed[base.len()..];
        let bare = base.rsplit('.').next().unwrap_or(base);
        if !self.types.contains(bare) {
            return None;
        }
        Some(format!("{}{suffix}", self.key(bare)))
    }
}

/// Applies `placement` to a template's document, keeping its origins in step.
pub fn place(layer: &mut Layer, placement: &Placement) {
    if placement.prefix.is_none() && placement.schema.is_none() {
        return;
    }
    let keys = |section: &str| -> HashSet<String> {
        let mut out: HashSet<String> = layer
            .doc
            .get(section)
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        if section == "tables" {
            if let Some(tables) = layer.doc.get("tables").and_then(Value::as_object) {
                for t in tables.values() {
                    if let Some(parts) = t.get("partitions").and_then(Value::as_object) {
                        out.extend(parts.keys().cloned());
                    }
                }
            }
        }
        out
    };
    let names = Names {
        tables: keys("tables"),
        types: keys("types"),
        sequences: keys("sequences"),
        prefix: placement.prefix.clone().unwrap_or_default(),
        schema: placement.schema.clone(),
    };
    for section in ["tables", "types", "sequences"] {
        let Some(Value::Object(map)) = layer.doc.get_mut(section) else {
            continue;
        };
        let old = std::mem::take(map);
        for (key, mut value) in old {
            let new_key = names.key(&key);
            if let Value::Object(obj) = &mut value {
                if let Some(s) = &names.schema {
                    obj.insert("schema".into(), Value::String(s.clone()));
                }
                if names.schema.is_some() {
                    // The SQL name, now that the key carries the schema too.
                    obj.insert("name".into(), Value::String(names.name(&key)));
                }
                match section {
                    "tables" => table(obj, &names),
                    "types" => user_type(obj, &names),
                    _ => {}
                }
            }
            layer.sources.rename(
                &child(&child("", section), &key),
                &child(&child("", section), &new_key),
            );
            map.insert(new_key, value);
        }
    }
}

fn table(obj: &mut Map<String, Value>, names: &Names) {
    if let Some(Value::Object(rows)) = obj.get_mut("rows") {
        if let Some(Value::String(per)) = rows.get_mut("per") {
            if let Some(new) = names.table_ref(per) {
                *per = new;
            }
        }
    }
    if let Some(Value::Object(cols)) = obj.get_mut("columns") {
        for col in cols.values_mut() {
            match col {
                Value::String(ty) => {
                    if let Some(new) = names.type_ref(ty) {
                        *ty = new;
                    }
                }
                Value::Object(c) => column(c, names),
                _ => {}
            }
        }
    }
    for list in ["unique", "checks", "foreign_keys", "indexes"] {
        if let Some(Value::Array(items)) = obj.get_mut(list) {
            for item in items {
                if let Value::Object(o) = item {
                    rename_name(o, names);
                    if let Some(r) = o.get_mut("references") {
                        reference(r, names);
                    }
                }
            }
        }
    }
    if let Some(Value::Object(pk)) = obj.get_mut("primary_key") {
        rename_name(pk, names);
    }
    if let Some(Value::Object(parts)) = obj.get_mut("partitions") {
        let old = std::mem::take(parts);
        for (k, v) in old {
            parts.insert(names.name(&k), v);
        }
    }
}

fn rename_name(obj: &mut Map<String, Value>, names: &Names) {
    if let Some(Value::String(n)) = obj.get_mut("name") {
        *n = names.name(n);
    }
}

fn column(c: &mut Map<String, Value>, names: &Names) {
    if let Some(Value::String(ty)) = c.get_mut("type") {
        if let Some(new) = names.type_ref(ty) {
            *ty = new;
        }
    }
    if let Some(r) = c.get_mut("references") {
        reference(r, names);
    }
    if let Some(Value::String(default)) = c.get_mut("default") {
        *default = rename_in_expression(default, names);
    }
}

fn reference(r: &mut Value, names: &Names) {
    match r {
        Value::String(text) => {
            let parts: Vec<&str> = text.split('.').collect();
            let (table, column) = match parts.as_slice() {
                [t] => (*t, None),
                [t, c] => (*t, Some(*c)),
                [_, t, c] => (*t, Some(*c)),
                _ => return,
            };
            if !names.tables.contains(table) {
                return;
            }
            match &names.schema {
                // `schema.table` would read as `table.column`: say it with the object form.
                Some(s) => {
                    let mut o = Map::new();
                    o.insert("schema".into(), Value::String(s.clone()));
                    o.insert("table".into(), Value::String(names.name(table)));
                    if let Some(c) = column {
                        o.insert("column".into(), Value::String(c.to_owned()));
                    }
                    *r = Value::Object(o);
                }
                None => {
                    let mut out = names.name(table);
                    if let Some(c) = column {
                        out.push('.');
                        out.push_str(c);
                    }
                    *text = out;
                }
            }
        }
        Value::Object(o) => {
            if let Some(Value::String(t)) = o.get_mut("table") {
                if names.tables.contains(t.as_str()) {
                    *t = names.name(t);
                    if let Some(s) = &names.schema {
                        o.insert("schema".into(), Value::String(s.clone()));
                    }
                }
            }
        }
        _ => {}
    }
}

fn user_type(obj: &mut Map<String, Value>, names: &Names) {
    match obj.get_mut("domain") {
        Some(Value::String(base)) => {
            if let Some(new) = names.type_ref(base) {
                *base = new;
            }
        }
        Some(Value::Object(d)) => {
            if let Some(Value::String(base)) = d.get_mut("type") {
                if let Some(new) = names.type_ref(base) {
                    *base = new;
                }
            }
        }
        _ => {}
    }
    if let Some(Value::Object(fields)) = obj.get_mut("composite") {
        for f in fields.values_mut() {
            match f {
                Value::String(ty) => {
                    if let Some(new) = names.type_ref(ty) {
                        *ty = new;
                    }
                }
                Value::Object(o) => {
                    if let Some(Value::String(ty)) = o.get_mut("type") {
                        if let Some(new) = names.type_ref(ty) {
                            *ty = new;
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Renames the template's sequences inside `nextval('...')` and its types in
/// `::type` casts of a default expression; other text is left as written.
fn rename_in_expression(expr: &str, names: &Names) -> String {
    let mut out = expr.to_owned();
    for seq in &names.sequences {
        for (quoted, schema_part) in [
            (format!("'{seq}'"), String::new()),
            (format!("'public.{seq}'"), "public.".to_owned()),
        ] {
            if out.contains(&quoted) {
                let new = match &names.schema {
                    Some(s) => format!("'{s}.{}'", names.name(seq)),
                    None => format!("'{schema_part}{}'", names.name(seq)),
                };
                out = out.replace(&quoted, &new);
            }
        }
    }
    for ty in &names.types {
        for cast in [format!("::{ty}"), format!("::public.{ty}")] {
            if let Some(pos) = out.find(&cast) {
                let end = pos + cast.len();
                let boundary = out[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                if boundary {
                    let new = match &names.schema {
                        Some(s) => format!("::{s}.{}", names.name(ty)),
                        None => format!("::{}", names.name(ty)),
                    };
                    out.replace_range(pos..end, &new);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provenance::Sources;
    use serde_json::json;

    fn layer(doc: Value) -> Layer {
        Layer::new(doc, Sources::default())
    }

    #[test]
    fn prefix_renames_objects_and_references() {
        let mut l = layer(json!({
            "types": {"status": {"enum": ["a"]}},
            "sequences": {"ticket": {}},
            "tables": {
                "users": {"columns": {"id": "bigserial", "st": "status[]", "no": {"type": "bigint", "default": "nextval('public.ticket'::regclass)"}},
                          "indexes": [{"name": "users_st_idx", "columns": ["st"]}]},
                "posts": {"rows": {"per": "users", "max": 3},
                          "columns": {"user_id": {"type": "bigint", "references": "users.id"}, "other": {"type": "bigint", "references": "customers"}}}
            }
        }));
        place(
            &mut l,
            &Placement {
                prefix: Some("b_".into()),
                schema: None,
            },
        );
        let d = &l.doc;
        assert!(d["tables"].get("b_users").is_some() && d["tables"].get("users").is_none());
        assert_eq!(d["tables"]["b_users"]["columns"]["st"], json!("b_status[]"));
        assert_eq!(
            d["tables"]["b_users"]["columns"]["no"]["default"],
            json!("nextval('public.b_ticket'::regclass)")
        );
        assert_eq!(
            d["tables"]["b_users"]["indexes"][0]["name"],
            json!("b_users_st_idx")
        );
        assert_eq!(d["tables"]["b_posts"]["rows"]["per"], json!("b_users"));
        assert_eq!(
            d["tables"]["b_posts"]["columns"]["user_id"]["references"],
            json!("b_users.id")
        );
        // A table the template does not define is someone else's: left alone.
        assert_eq!(
            d["tables"]["b_posts"]["columns"]["other"]["references"],
            json!("customers")
        );
        assert!(d["types"].get("b_status").is_some() && d["sequences"].get("b_ticket").is_some());
    }

    #[test]
    fn schema_qualifies_keys_and_references() {
        let mut l = layer(json!({"tables": {
            "users": {"columns": {"id": "bigserial"}},
            "posts": {"columns": {"user_id": {"type": "bigint", "references": "users"}}}}}));
        place(
            &mut l,
            &Placement {
                prefix: None,
                schema: Some("billing".into()),
            },
        );
        let users = &l.doc["tables"]["billing.users"];
        assert_eq!(
            (users["schema"].as_str(), users["name"].as_str()),
            (Some("billing"), Some("users"))
        );
        assert_eq!(
            l.doc["tables"]["billing.posts"]["columns"]["user_id"]["references"],
            json!({"schema": "billing", "table": "users"})
        );
    }
}
