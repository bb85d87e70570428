//! Limits of PostgreSQL that JSON does not have: no string may hold a NUL
//! character (`text` cannot store one, and the dump's SQL would be cut at it),
//! and names and enum labels hold at most 63 bytes (longer names are silently
//! truncated by the server, so two long names can become one; longer enum
//! labels are refused).

use serde_json::Value;

use super::Problems;
use crate::error::Problem;
use crate::schema::naming::MAX_IDENT_BYTES;
use crate::schema::{Schema, UserTypeKind};
use crate::source_map::child;

/// Reports every string, object key included, that holds a NUL character.
pub(super) fn no_nul(doc: &Value, p: &mut Problems) {
    fn walk(v: &Value, pointer: &mut String, p: &mut Problems) {
        match v {
            Value::String(s) if s.contains('\0') => p.push(
                Problem::new(pointer.clone(), "a string holds the character U+0000 (NUL)")
                    .hint("PostgreSQL text cannot hold it: remove the `\\u0000`"),
            ),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    crate::source_map::push_token(pointer, &i.to_string());
                    walk(item, pointer, p);
                    pointer.truncate(len);
                }
            }
            Value::Object(members) => {
                for (key, item) in members {
                    let len = pointer.len();
                    crate::source_map::push_token(pointer, key);
                    if key.contains('\0') {
                        p.push(
                            Problem::new(
                                pointer.clone(),
                                format!(
                                    "the name `{}` holds the character U+0000 (NUL)",
                                    key.escape_debug()
                                ),
                            )
                            .hint("PostgreSQL names cannot hold it: remove the `\\u0000`")
                            .at_key(),
                        );
                    }
                    walk(item, pointer, p);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    walk(doc, &mut String::new(), p);
}

/// Reports names (and enum labels) longer than PostgreSQL's 63 bytes.
pub(super) fn name_lengths(schema: &Schema, p: &mut Problems) {
    let long = |p: &mut Problems, name: &str, what: &str, pointer: String, key: bool| {
        if name.len() <= MAX_IDENT_BYTES {
            return;
        }
        let cut = crate::schema::naming::truncate(name);
        let mut problem = Problem::new(
            pointer,
            format!(
                "{what} `{name}` is {} bytes long; PostgreSQL keeps at most {MAX_IDENT_BYTES}",
                name.len()
            ),
        )
        .hint(format!(
            "the server would cut it to `{cut}`; choose a name of at most {MAX_IDENT_BYTES} bytes"
        ));
        if key {
            problem = problem.at_key();
        }
        p.push(problem);
    };
    for t in &schema.tables {
        long(p, &t.name, "the table name", t.pointer.clone(), true);
        long(p, &t.schema, "the schema name", t.pointer.clone(), false);
        for c in &t.columns {
            long(p, &c.name, "the column name", c.pointer.clone(), true);
        }
        for k in t.primary_key.iter().chain(&t.uniques) {
            long(p, &k.name, "the constraint name", k.pointer.clone(), false);
        }
        for c in &t.checks {
            long(p, &c.name, "the constraint name", c.pointer.clone(), false);
        }
        for f in &t.foreign_keys {
            long(p, &f.name, "the constraint name", f.pointer.clone(), false);
        }
        for i in &t.indexes {
            long(p, &i.name, "the index name", i.pointer.clone(), false);
        }
    }
    for ty in &schema.types {
        long(p, &ty.name, "the type name", ty.pointer.clone(), true);
        match &ty.kind {
            UserTypeKind::Enum(labels) => {
                for (i, label) in labels.iter().enumerate() {
                    if label.len() > MAX_IDENT_BYTES {
                        p.push(
                            Problem::new(
                                child(&child(&ty.pointer, "enum"), &i.to_string()),
                                format!(
                                    "the enum label `{label}` is {} bytes long; PostgreSQL takes at most {MAX_IDENT_BYTES}",
                                    label.len()
                                ),
                            )
                            .hint("shorten the label"),
                        );
                    }
                }
            }
            UserTypeKind::Composite(fields) => {
                for f in fields {
                    long(
                        p,
                        &f.name,
                        "the field name",
                        child(&child(&ty.pointer, "composite"), &f.name),
                        true,
                    );
                }
            }
            UserTypeKind::Domain(d) => {
                for c in &d.checks {
                    long(p, &c.name, "the constraint name", c.pointer.clone(), false);
                }
            }
        }
    }
    for s in &schema.sequences {
        long(
            p,
            &s.name,
            "the sequence name",
            "/sequences".to_owned(),
            false,
        );
    }
}
