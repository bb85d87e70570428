//! A column's DEFAULT must be of a type the column takes: the server
//! refuses `DEFAULT 'abc'` on an integer, `DEFAULT gen_random_uuid()` on a
//! timestamp, or a label an enum does not have, when it creates the table.
//! Literals and the common argument-less functions are checked here; other
//! expressions are left to the server.

use super::explicit::literal_fits;
use super::format_of;
use crate::error::Problem;
use crate::schema::{Column, Schema};
use crate::source_map::child;
use crate::value::ValueFormat;
use serde_json::Value;

/// What a default's value is, as far as can be told without the server.
enum Shape {
    /// `'text'`, possibly with a cast (`'x'::text`).
    Text(String),
    /// A number, `-1.5`.
    Number(String),
    /// `true` or `false`.
    Bool,
    /// A point in time (`now()`, `CURRENT_TIMESTAMP`).
    Instant,
    /// A uuid (`gen_random_uuid()`).
    Uuid,
}

fn shape(text: &str) -> Option<Shape> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let call = lower.trim_end_matches("()");
    match call {
        "now"
        | "current_timestamp"
        | "localtimestamp"
        | "current_date"
        | "clock_timestamp"
        | "statement_timestamp"
        | "transaction_timestamp" => return Some(Shape::Instant),
        "gen_random_uuid" | "uuidv4" | "uuidv7" => return Some(Shape::Uuid),
        "true" | "false" => return Some(Shape::Bool),
        _ => {}
    }
    if let Some(body) = t.strip_prefix('\'') {
        // A plain string literal, maybe with one cast to a simple name.
        let end = body.find('\'')?;
        let (inner, rest) = (&body[..end], &body[end + 1..]);
        if inner.contains('\\') || rest.starts_with('\'') {
            return None;
        }
        let rest = rest.trim();
        if rest.is_empty() || rest.strip_prefix("::").is_some_and(is_simple_name) {
            return Some(Shape::Text(inner.to_owned()));
        }
        return None;
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.parse::<f64>().is_ok()
    {
        return Some(Shape::Number(t.to_owned()));
    }
    None
}

fn is_simple_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Reports a default the server would refuse for `col`.
pub(super) fn check(schema: &Schema, col: &Column, problems: &mut Vec<Problem>) {
    let Some(default) = &col.default else {
        return;
    };
    let Some(shape) = shape(default) else {
        return;
    };
    let format = format_of(schema, &col.ty);
    let ty = match &col.ty.elem {
        crate::schema::types::TypeRef::Base(b) => b.to_string(),
        crate::schema::types::TypeRef::Named(n) => n.clone(),
    } + &"[]".repeat(usize::from(col.ty.array_dims));
    let at = child(&col.pointer, "default");
    // Any value goes into text by assignment; not into json, enums and the like.
    let text_column = schema.is_text(&col.ty);
    let refused = match shape {
        Shape::Text(inner) => {
            let json = matches!(
                col.ty.elem,
                crate::schema::types::TypeRef::Base(
                    crate::schema::types::BaseType::Json | crate::schema::types::BaseType::Jsonb
                )
            );
            if col.ty.array_dims > 0 {
                None
            } else if json {
                serde_json::from_str::<Value>(&inner)
                    .err()
                    .map(|e| format!("'{inner}' is not JSON ({e})"))
            } else {
                literal_fits(schema, col, format, &inner).err()
            }
        }
        Shape::Number(n) => match format {
            ValueFormat::Int
            | ValueFormat::Float4
            | ValueFormat::Float8
            | ValueFormat::Numeric { .. } => literal_fits(schema, col, format, &n).err(),
            _ if text_column => None,
            _ => Some(format!("a number cannot be the default of a `{ty}` column")),
        },
        Shape::Bool => (!(format == ValueFormat::Bool || text_column))
            .then(|| format!("a boolean cannot be the default of a `{ty}` column")),
        Shape::Instant => (!(matches!(
            format,
            ValueFormat::Date
                | ValueFormat::Timestamp
                | ValueFormat::TimestampTz
                | ValueFormat::Time
        ) || text_column))
            .then(|| format!("`{default}` is a point in time, which a `{ty}` column cannot take")),
        Shape::Uuid => (!(format == ValueFormat::Uuid || text_column))
            .then(|| format!("`{default}` is a uuid, which a `{ty}` column cannot take")),
    };
    if let Some(message) = refused {
        problems.push(
            Problem::new(at, format!("the default of `{}`: {message}", col.name))
                .hint(format!("give a default of type `{ty}`, or drop it")),
        );
    }
}
