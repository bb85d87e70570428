//! The SQL expressions of a project, looked at before any row is written:
//! CHECKs, defaults, generated columns, index expressions and predicates,
//! and domains (see [`crate::schema::sql_expr`]).

use super::Problems;
use crate::error::Problem;
use crate::schema::model::IndexKey;
use crate::schema::sql_expr::{self, Column, Context};
use crate::schema::{Schema, UserTypeKind};
use crate::source_map::child;

/// Reports every expression the server would refuse, at its place in the file.
pub(super) fn check(schema: &Schema, p: &mut Problems) {
    let extensions: Vec<&str> = schema.extensions.iter().map(|e| e.name.as_str()).collect();
    // Types that live in a schema: the project's, and those extensions bring.
    let mut types: Vec<(&str, &str)> = schema
        .types
        .iter()
        .map(|t| (t.name.as_str(), t.schema.as_str()))
        .collect();
    for e in &schema.extensions {
        for (ext, ty) in super::EXTENSION_TYPES {
            if *ext == e.name {
                types.push((ty, e.schema.as_str()));
            }
        }
    }
    let mut judge = |text: &str, context: Context<'_>, pointer: String| {
        if let Err(flaw) = sql_expr::check_with_types(text, context, &extensions, &types) {
            // Long expressions are shown by their start: the pointer says where the rest is.
            let shown = match text.char_indices().nth(60) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text.to_owned(),
            };
            let mut problem = Problem::new(pointer, format!("in `{shown}`: {}", flaw.message));
            if let Some(h) = flaw.hint {
                problem = problem.hint(h);
            }
            p.push(problem);
        }
    };
    for t in &schema.tables {
        let names: Vec<Column<'_>> = t
            .columns
            .iter()
            .map(|c| Column {
                name: &c.name,
                text: schema.is_text(&c.ty),
            })
            .collect();
        for c in &t.columns {
            if let Some(d) = &c.default {
                judge(d, Context::Default(&names), child(&c.pointer, "default"));
            }
            if let Some(g) = &c.generated {
                judge(
                    g,
                    Context::Immutable(&names),
                    child(&c.pointer, "generated"),
                );
            }
        }
        // Checks of the simple forms were read (and their names checked) already.
        for c in t.checks.iter().filter(|c| c.parsed.is_none()) {
            judge(&c.expr, Context::Columns(&names), c.pointer.clone());
        }
        for index in &t.indexes {
            for (i, key) in index.parsed.iter().enumerate() {
                if let IndexKey::Expression(e) = key {
                    // Options after the parenthesised expression (an operator class, DESC) are not names.
                    let expr = e.rfind(')').map_or(e.as_str(), |end| &e[..=end]);
                    judge(
                        expr,
                        Context::Immutable(&names),
                        child(&child(&index.pointer, "columns"), &i.to_string()),
                    );
                }
            }
            if let Some(w) = &index.predicate {
                judge(
                    w,
                    Context::Immutable(&names),
                    child(&index.pointer, "where"),
                );
            }
        }
    }
    for ty in &schema.types {
        if let UserTypeKind::Domain(d) = &ty.kind {
            if let Some(default) = &d.default {
                judge(
                    default,
                    Context::Default(&[]),
                    child(&ty.pointer, "default"),
                );
            }
            for c in &d.checks {
                judge(&c.expr, Context::Domain, c.pointer.clone());
            }
        }
    }
}
