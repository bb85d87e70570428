//! Which columns look like direct PII, judged by the kind their generator or
//! their name points to, for `explain --pii` to show the columns a reviewer
//! may have forgotten to label.
//!
//! This reads the name rather than the generator the column ends up with: a
//! column called `ssn` holds social security numbers in the real database
//! even when the project fills it from a pattern.

use crate::generate::kinds::registry::{self, Kind, Make};
use crate::generate::kinds::TextKind;
use crate::schema::{Column, PiiCategory, Schema, Table};

use super::{class_of, defaults::entity_name, names};

/// A column that looks like direct PII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiiLook {
    /// The kind that says so (`email`, `ssn`, or `name` for a person's name).
    pub kind: &'static str,
    /// The kind's category.
    pub category: PiiCategory,
}

/// How `col` of `table` looks, when it looks like direct PII.
pub(in crate::plan) fn look(schema: &Schema, table: &Table, col: &Column) -> Option<PiiLook> {
    let explicit = col.generator.as_ref().and_then(|g| {
        // `"generator": "name"` always makes a person's name (the explicit spelling of `full_name`).
        if g.kind == "name" {
            return Some(PiiLook {
                kind: "name",
                category: PiiCategory::Name,
            });
        }
        registry::by_name(&g.kind).and_then(flagged)
    });
    if explicit.is_some() {
        return explicit;
    }
    let mut elem = col.ty.clone();
    elem.array_dims = 0;
    let (kind, _) = names::infer(&col.name, class_of(schema, &elem)?)?;
    if matches!(kind.make, Make::EntityName) {
        // A bare `name` names what the row is: a person in `customers`, a company in `vendors`.
        let (text, _) = entity_name(&table.name, &col.name);
        return matches!(text, TextKind::FullName).then_some(PiiLook {
            kind: kind.name,
            category: PiiCategory::Name,
        });
    }
    flagged(kind)
}

fn flagged(kind: &'static Kind) -> Option<PiiLook> {
    kind.pii.map(|category| PiiLook {
        kind: kind.name,
        category,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(doc: &serde_json::Value) -> Schema {
        crate::schema::load(doc).expect("a valid project")
    }

    fn looks(schema: &Schema, table: &str) -> Vec<(String, Option<&'static str>)> {
        let t = &schema.tables[schema.table_named(table).expect("the table")];
        t.columns
            .iter()
            .map(|c| (c.name.clone(), look(schema, t, c).map(|l| l.kind)))
            .collect()
    }

    #[test]
    fn names_and_explicit_kinds_are_judged() {
        let s = schema(&serde_json::json!({"tables": {
            "customers": {"columns": {
                "id": "bigserial", "name": "text", "billing_email": "text",
                "emails": "text[]", "ssn": {"type": "text", "generator": {"kind": "pattern", "pattern": "[0-9]{9}"}},
                "handle": {"type": "text", "generator": "username"}, "phone": "bigint",
                "city": "text", "created_at": "timestamptz"}},
            "vendors": {"columns": {"id": "bigserial", "name": "text", "contact": {"type": "text", "generator": "name"}}}
        }}));
        assert_eq!(
            looks(&s, "customers"),
            [
                ("id".to_owned(), None),
                ("name".to_owned(), Some("name")),
                ("billing_email".to_owned(), Some("email")),
                ("emails".to_owned(), Some("email")),
                ("ssn".to_owned(), Some("ssn")),
                ("handle".to_owned(), Some("username")),
                // A number column takes no text kind, so `phone` is not judged as a phone number.
                ("phone".to_owned(), None),
                ("city".to_owned(), None),
                ("created_at".to_owned(), None),
            ]
        );
        assert_eq!(
            looks(&s, "vendors"),
            [
                ("id".to_owned(), None),
                ("name".to_owned(), None),
                ("contact".to_owned(), Some("name")),
            ]
        );
    }
}
