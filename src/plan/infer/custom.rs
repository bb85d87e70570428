//! Named generators (`generators` in a project or template): checked once
//! for the whole run, then compiled for each column that uses one, by name or
//! because the column is called like it.

use std::sync::Arc;

use super::*;
use crate::generate::custom::{CustomText, Piece, Weighted};
use crate::generate::kinds::registry;
use crate::generate::pattern::Pattern;
use crate::schema::{CustomBody, CustomGenerator};

/// Checks every named generator (patterns parse, `format` and `one_of`
/// name generators that exist, no generator is made of itself), whether a
/// column uses it or not.
pub(in crate::plan) fn check_generators(schema: &Schema) -> Vec<Problem> {
    let mut cycles: Vec<std::collections::BTreeSet<String>> = Vec::new();
    let mut out = Vec::new();
    for g in &schema.generators {
        let mut stack = Vec::new();
        if let Err(p) = piece(schema, None, g, &mut stack) {
            // A cycle is found from each of its members; report it once.
            if let Some(members) = p.message.contains("is made of itself").then(|| {
                p.message
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_owned)
                    .collect::<std::collections::BTreeSet<_>>()
            }) {
                if cycles.contains(&members) {
                    continue;
                }
                cycles.push(members);
            }
            out.push(p);
        }
    }
    out
}

/// The named generator a column is called like, if any.
pub(in crate::plan) fn named_like<'s>(
    schema: &'s Schema,
    col: &Column,
) -> Option<&'s CustomGenerator> {
    schema
        .generators
        .iter()
        .find(|g| g.name.eq_ignore_ascii_case(&col.name))
}

/// The generator a column gets from named generator `g`.
pub(in crate::plan) fn custom(
    schema: &Schema,
    table: &Table,
    col: &Column,
    g: &CustomGenerator,
    rule: &Rules,
    rows: u64,
    at: &str,
) -> Result<Box<dyn ValueGen>, Option<Problem>> {
    let format = format_of(schema, &col.ty);
    if let CustomBody::Values(values) = &g.body {
        // A plain list fills any column type its values fit.
        let mut items = ColumnBuf::for_format(format);
        let mut weights = Vec::with_capacity(values.len());
        let mut seen = std::collections::HashSet::new();
        for (i, (v, w)) in values.iter().enumerate() {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            // A unique column takes each value once, however often the list repeats it.
            if rule.unique && !seen.insert(text) {
                continue;
            }
            push_literal(&mut items, format, v)
                .and_then(|()| fits_column(schema, col, v))
                .and_then(|()| super::explicit::obeys_rules(rule, col, format, v))
                .map_err(|e| {
                    Some(Problem::new(
                        at,
                        format!(
                            "value `{}` (number {} of generator `{}`) does not fit column `{}`: {e}",
                            match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            },
                            i + 1,
                            g.name,
                            col.name
                        ),
                    ))
                })?;
            weights.push(*w);
        }
        if rule.unique && rows > items.len() as u64 {
            return Err(Some(impossible_unique(col, rule, rows, items.len() as u64)));
        }
        return Ok(Box::new(Choice::new(items, &weights, rule.unique)));
    }
    if format != ValueFormat::Text
        || col.ty.array_dims > 0
        || matches!(&col.ty.elem, TypeRef::Named(t) if t == "hstore" || t == "ltree")
    {
        return Err(Some(
            Problem::new(
                at,
                format!(
                    "generator `{}` makes text, but `{}` is not a text column",
                    g.name, col.name
                ),
            )
            .hint("a generator made of `values` fills columns of any type the values fit"),
        ));
    }
    let (max_len, pad_to) = match &col.ty.elem {
        TypeRef::Base(BaseType::Varchar(Some(n))) => (Some(*n as usize), None),
        TypeRef::Base(BaseType::Char(n)) => (Some(*n as usize), Some(*n as usize)),
        _ => (None, None),
    };
    // Problems inside the generator were reported once by `check_generators`.
    let body = piece(schema, Some((table, col)), g, &mut Vec::new()).map_err(|_| None)?;
    let mut unique = None;
    if let Piece::Pattern(p) = &body {
        if let Some(max) = max_len {
            if p.max_chars() > max as u64 {
                return Err(Some(Problem::new(
                    at,
                    format!(
                        "the pattern of generator `{}` makes values of up to {} characters, but `{}` holds {max}",
                        g.name,
                        p.max_chars(),
                        col.name
                    ),
                ).hint("shorten the pattern or widen the column")));
            }
        }
        if rule.unique {
            let Some(n) = p.distinct() else {
                return Err(Some(unique_problem(
                    col,
                    rule,
                    format!(
                        "pgmock can make `{}` unique with generator `{}` only if its pattern has a fixed shape",
                        col.name, g.name
                    ),
                    Some("use fixed counts (`{6}`, not `+`, `*`, `?` or `{2,4}`) and alternatives of one length (`(CA|NY)`), so every value is told apart"),
                )));
            };
            if rows > n {
                return Err(Some(impossible_unique(col, rule, rows, n)));
            }
            unique = Some((Arc::clone(p), n));
        }
    } else if rule.unique {
        return Err(Some(unique_problem(
            col,
            rule,
            format!(
                "pgmock cannot make `{}` unique with generator `{}`",
                col.name, g.name
            ),
            Some("a unique column needs a named generator made of a `pattern` of fixed shape or of `values`"),
        )));
    }
    Ok(Box::new(CustomText {
        body,
        max_len,
        pad_to,
        unique,
    }))
}

/// The piece generator `g` compiles to; for a column when one is given (its
/// person and place coherence, its locale), else just to check it.
fn piece(
    schema: &Schema,
    column: Option<(&Table, &Column)>,
    g: &CustomGenerator,
    stack: &mut Vec<String>,
) -> Result<Piece, Problem> {
    stack.push(g.name.clone());
    let out = match &g.body {
        CustomBody::Pattern(text) => Pattern::parse(text)
            .map(|p| Piece::Pattern(Arc::new(p)))
            .map_err(|e| {
                Problem::new(
                    child(&g.pointer, "pattern"),
                    format!("cannot read the pattern of generator `{}`: {e}", g.name),
                )
            }),
        CustomBody::Values(values) => {
            let (items, weights): (Vec<Box<str>>, Vec<f64>) = values
                .iter()
                .map(|(v, w)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (text.into_boxed_str(), *w)
                })
                .unzip();
            Ok(Piece::Values(Arc::new(Weighted::new(items, &weights))))
        }
        // Read by `values_file::read` before planning; nothing left to do.
        CustomBody::File { .. } => Ok(Piece::Literal("".into())),
        CustomBody::Format(text) => {
            let ptr = child(&g.pointer, "format");
            parse_format(text)
                .map_err(|e| {
                    Problem::new(
                        &ptr,
                        format!("in the `format` of generator `{}`: {e}", g.name),
                    )
                })
                .and_then(|parts| {
                    parts
                        .into_iter()
                        .map(|part| match part {
                            FormatPart::Text(t) => Ok(Piece::Literal(t.into())),
                            FormatPart::Name(n) => by_name(schema, column, g, &n, &ptr, stack),
                        })
                        .collect::<Result<Vec<_>, _>>()
                        .map(Piece::Format)
                })
        }
        CustomBody::OneOf(choices) => {
            let ptr = child(&g.pointer, "one_of");
            choices
                .iter()
                .map(|(n, _)| by_name(schema, column, g, n, &child(&ptr, n), stack))
                .collect::<Result<Vec<_>, _>>()
                .map(|items| {
                    let weights: Vec<f64> = choices.iter().map(|(_, w)| *w).collect();
                    Piece::OneOf(Arc::new(Weighted::new(items, &weights)))
                })
        }
    };
    stack.pop();
    out
}

/// A generator a `format` or `one_of` names: another named generator, or a built-in text kind.
fn by_name(
    schema: &Schema,
    column: Option<(&Table, &Column)>,
    from: &CustomGenerator,
    name: &str,
    ptr: &str,
    stack: &mut Vec<String>,
) -> Result<Piece, Problem> {
    if let Some(g) = schema.generators.iter().find(|g| g.name == name) {
        if stack.iter().any(|s| s == name) {
            let mut chain = stack.clone();
            chain.push(name.to_owned());
            return Err(Problem::new(
                ptr,
                format!(
                    "generator `{}` is made of itself: {}",
                    from.name,
                    chain
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
            ));
        }
        return piece(schema, column, g, stack);
    }
    let kind = registry::by_name(name).filter(|k| k.class == Class::Text);
    let text_kind = match kind.map(|k| k.make) {
        Some(Make::Text(t)) => Some(t),
        Some(Make::Email) => Some(match column {
            Some((table, _)) => email_from_siblings(schema, table),
            None => TextKind::Email {
                id: None,
                work: false,
            },
        }),
        Some(Make::EntityName) => Some(TextKind::FullName),
        _ => None,
    };
    let Some(t) = text_kind else {
        let mut known: Vec<&str> = schema.generators.iter().map(|g| g.name.as_str()).collect();
        known.extend(
            registry::KINDS
                .iter()
                .filter(|k| k.class == Class::Text)
                .map(|k| k.name),
        );
        let hint = crate::diagnostic::did_you_mean(name, known.iter().copied()).map_or_else(
            || "name a generator of `generators` or a text kind `pgmock kinds` lists".to_owned(),
            |s| format!("did you mean `{s}`?"),
        );
        return Err(Problem::new(
            ptr,
            format!(
                "generator `{}` uses `{name}`, which is no generator",
                from.name
            ),
        )
        .hint(hint));
    };
    Ok(Piece::Kind(Box::new(match column {
        Some((table, col)) => text_gen(schema, table, col, t, None, &Rules::default(), None),
        None => Text::new(t, None, false),
    })))
}

#[derive(Debug, PartialEq)]
enum FormatPart {
    Text(String),
    Name(String),
}

/// `"{a}-{b}"` → parts; `{{` and `}}` stand for braces.
fn parse_format(text: &str) -> Result<Vec<FormatPart>, String> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {
                            name.push(c)
                        }
                        Some(c) => {
                            return Err(format!(
                            "`{c}` cannot be part of a generator name (write `{{{{` for a brace)"
                        ))
                        }
                        None => return Err(format!("`{{{name}` is not closed with `}}`")),
                    }
                }
                if name.is_empty() {
                    return Err("`{}` names no generator".into());
                }
                if !lit.is_empty() {
                    parts.push(FormatPart::Text(std::mem::take(&mut lit)));
                }
                parts.push(FormatPart::Name(name));
            }
            '}' => return Err("a `}` closes nothing (write `}}` for a brace)".into()),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(FormatPart::Text(lit));
    }
    if !parts.iter().any(|p| matches!(p, FormatPart::Name(_))) {
        return Err("it names no generator (`{name}`)".into());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_split_into_text_and_names() {
        assert_eq!(
            parse_format("{{{a}}}-{b_2}x"),
            Ok(vec![
                FormatPart::Text("{".into()),
                FormatPart::Name("a".into()),
                FormatPart::Text("}-".into()),
                FormatPart::Name("b_2".into()),
                FormatPart::Text("x".into()),
            ])
        );
        assert!(parse_format("{a").is_err_and(|e| e.contains("not closed")));
        assert!(parse_format("a}").is_err());
        assert!(parse_format("{a b}").is_err());
        assert!(parse_format("plain").is_err_and(|e| e.contains("names no generator")));
    }
}
