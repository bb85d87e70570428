//! Rules declared on a column, which take the place of the ones its name
//! would get: `when` (a value only for some statuses), `from` (the parent
//! row's value) and `after` (a time after the row's or the parent's).
//! Each is checked against the table: the columns it reads exist, it forms
//! no cycle, and no CHECK or NOT NULL of the column contradicts it.

use super::rules::{status_values, Lookups};
use super::*;
use crate::generate::lookup::{AfterParent, Before, BoundFrom, FromParent, WhenStatus};
use crate::generate::reference::Reference;

/// Whether column `ci` declares a rule, so the implicit ones leave it alone.
pub(super) fn declares(col: &Column) -> (bool, bool) {
    (
        col.from.is_some() || col.after.is_some() || col.before.is_some(),
        col.when.is_some(),
    )
}

/// Applies the declared rules of table `ti`.
pub(super) fn apply(
    schema: &Schema,
    ti: usize,
    rules: &[Rules],
    out: &mut [ColumnGen],
    lookups: &mut Lookups,
    problems: &mut Vec<Problem>,
) {
    let table = &schema.tables[ti];
    for (ci, col) in table.columns.iter().enumerate() {
        if let Some(decl) = col.from.as_deref() {
            if let Err(p) = from(schema, ti, ci, decl, &rules[ci], out, lookups) {
                problems.push(p);
            }
        }
        if let Some(rule) = &col.after {
            if let Err(p) = after(schema, ti, ci, rule, &rules[ci], out, lookups) {
                problems.push(p);
            }
        }
        if let Some(rule) = &col.before {
            if let Err(p) = before(schema, ti, ci, rule, &rules[ci], out, lookups) {
                problems.push(p);
            }
        }
        if let Some(w) = &col.when {
            if let Err(p) = when(schema, table, ci, w, rules, out) {
                problems.push(p);
            }
        }
    }
}

/// Whatever already fixes a column's values and would fight a copied or
/// ordered value: a CHECK bound or list, a key, a computation.
fn contradiction(table: &Table, ci: usize, rule: &Rules, what: &str) -> Option<String> {
    let col = &table.columns[ci];
    let name = &col.name;
    if rule.has_bounds() || rule.allowed.is_some() || rule.after.is_some() {
        return Some(format!(
            "`{name}` is {what}, but a CHECK also bounds it: pgmock cannot keep both"
        ));
    }
    if rule.unique {
        return Some(format!(
            "`{name}` is {what}, but it must also be unique: copied and ordered values repeat"
        ));
    }
    if col.generated.is_some()
        || col.derive.is_some()
        || col.template.is_some()
        || col.aggregate.is_some()
    {
        return Some(format!(
            "`{name}` is {what}, and computed by another rule too"
        ));
    }
    None
}

/// `fk_column.parent_column`: the foreign key, its pick and the parent's column.
fn via_parent(
    schema: &Schema,
    ti: usize,
    text: &str,
    out: &[ColumnGen],
) -> Result<Option<(usize, Reference, usize)>, String> {
    let table = &schema.tables[ti];
    let Some((fk_col, parent_col)) = text.split_once('.') else {
        return Ok(None);
    };
    let Some(fci) = table.column(fk_col) else {
        let hint =
            crate::diagnostic::did_you_mean(fk_col, table.columns.iter().map(|c| c.name.as_str()))
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        return Err(format!(
            "`{fk_col}` is not a column of `{}`{hint}",
            table.name
        ));
    };
    let Some(fk) = table.foreign_keys.iter().find(|fk| fk.columns == [fci]) else {
        return Err(format!(
            "`{fk_col}` is not a one-column foreign key, so it leads to no parent row (write `FOREIGN_KEY_COLUMN.PARENT_COLUMN`)"
        ));
    };
    let parent = &schema.tables[fk.ref_table];
    let Some(pci) = parent.column(parent_col) else {
        let hint = crate::diagnostic::did_you_mean(
            parent_col,
            parent.columns.iter().map(|c| c.name.as_str()),
        )
        .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        return Err(format!(
            "`{parent_col}` is not a column of `{}`{hint}",
            parent.name
        ));
    };
    let Some(via) = out[fci].gen.reference() else {
        return Err(format!(
            "`{fk_col}` has an explicit generator, so pgmock does not know its parent rows"
        ));
    };
    Ok(Some((fci, via, pci)))
}

fn from(
    schema: &Schema,
    ti: usize,
    ci: usize,
    decl: &crate::schema::FromRule,
    rule: &Rules,
    out: &mut [ColumnGen],
    lookups: &mut Lookups,
) -> Result<(), Problem> {
    let table = &schema.tables[ti];
    let col = &table.columns[ci];
    let (text, ptr) = (decl.column.as_str(), decl.pointer.as_str());
    let fail = |m: String| Problem::new(ptr, m);
    let Some((fci, via, pci)) = via_parent(schema, ti, text, out).map_err(fail)? else {
        return Err(fail(format!(
            "`from` names a column of the parent row as `FOREIGN_KEY_COLUMN.PARENT_COLUMN`, found `{text}`"
        ))
        .hint("e.g. `\"from\": \"product_id.price\"`"));
    };
    if col.generator.is_some() {
        return Err(fail(format!(
            "`{}` has both `from` and a `generator`; keep one",
            col.name
        )));
    }
    let parent = &schema.tables[via.parent];
    let pcol = &parent.columns[pci];
    let map = match &decl.map {
        Some(map) => Some(translation(
            schema,
            via.parent,
            pci,
            ci,
            table,
            map,
            rule,
            ptr,
            out[ci].format,
        )?),
        None => None,
    };
    // A translated value is checked against the column's CHECK list above, so only bounds fight it.
    let unchecked;
    let rule = if map.is_some() {
        unchecked = Rules {
            allowed: None,
            ..rule.clone()
        };
        &unchecked
    } else {
        rule
    };
    if let Some(m) = contradiction(table, ci, rule, &format!("copied from `{text}`")) {
        return Err(fail(m).hint("remove the CHECK or key on this column, or drop `from`"));
    }
    if map.is_none()
        && (format_of(schema, &pcol.ty) != out[ci].format
            || pcol.ty.array_dims != col.ty.array_dims
            || type_limit(schema, &col.ty) < type_limit(schema, &pcol.ty))
    {
        return Err(fail(format!(
            "`{}` ({}) cannot hold every value of `{}.{}` ({})",
            col.name,
            ty(schema, &col.ty),
            parent.name,
            pcol.name,
            ty(schema, &pcol.ty)
        ))
        .hint("give both columns the same type"));
    }
    if !col.nullable && pcol.nullable {
        return Err(fail(format!(
            "`{}` is NOT NULL, but `{}.{}` may be NULL",
            col.name, parent.name, pcol.name
        ))
        .hint(format!("make `{}.{}` NOT NULL", parent.name, pcol.name)));
    }
    lookups.note(ti, via.parent);
    let why = format!(
        "declared: its `{}` row's `{}`{} (`from`)",
        parent.name,
        pcol.name,
        if map.is_some() { ", translated" } else { "" }
    );
    out[ci].gen = Box::new(FromParent {
        via,
        fk: Some(fci),
        column: pci,
        map: map.map(|m| (format_of(schema, &pcol.ty), m)),
    });
    out[ci].null_ratio = 0.0;
    out[ci].why = why;
    Ok(())
}

/// Checks a `from` rule's `map`: it covers every value the parent column
/// takes (when pgmock knows them), names no value it never takes, and
/// translates only into values this column holds. Gives the pairs as bytes.
#[allow(clippy::too_many_arguments)]
fn translation(
    schema: &Schema,
    parent_ti: usize,
    pci: usize,
    ci: usize,
    table: &Table,
    map: &[(String, String)],
    rule: &Rules,
    ptr: &str,
    format: ValueFormat,
) -> Result<crate::generate::lookup::Translation, Problem> {
    let col = &table.columns[ci];
    let parent = &schema.tables[parent_ti];
    let map_ptr = child(ptr, "map");
    if format != ValueFormat::Text {
        return Err(Problem::new(
            map_ptr,
            format!(
                "`map` translates into text, but `{}` ({}) is not a text or enum column",
                col.name,
                ty(schema, &col.ty)
            ),
        ));
    }
    let mut parent_rules = vec![Rules::default(); parent.columns.len()];
    collect_rules(schema, parent, &mut parent_rules, &mut Vec::new());
    if let Some(values) = status_values(schema, &parent.columns[pci], &parent_rules[pci]) {
        if let Some((key, _)) = map.iter().find(|(k, _)| !values.contains(k)) {
            let mut p = Problem::new(
                child(&map_ptr, key),
                format!(
                    "`{}.{}` never holds `{key}`",
                    parent.name, parent.columns[pci].name
                ),
            )
            .at_key();
            if let Some(s) = crate::diagnostic::did_you_mean(key, values.iter().map(String::as_str))
            {
                p = p.hint(format!("did you mean `{s}`?"));
            }
            return Err(p);
        }
        let missing: Vec<&str> = values
            .iter()
            .filter(|v| !map.iter().any(|(k, _)| k == *v))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(Problem::new(
                map_ptr,
                format!(
                    "`map` says nothing of `{}` (values of `{}.{}`)",
                    missing.join("`, `"),
                    parent.name,
                    parent.columns[pci].name
                ),
            )
            .hint("give every value the parent column takes an entry"));
        }
    } else {
        return Err(Problem::new(
            map_ptr,
            format!(
                "pgmock does not know which values `{}.{}` takes, so it cannot check that `map` covers them",
                parent.name, parent.columns[pci].name
            ),
        )
        .hint("give the parent column an enum type, a CHECK (... IN (...)) or a `weighted` generator"));
    }
    let mut out = Vec::with_capacity(map.len());
    for (key, to) in map {
        let at = child(&map_ptr, key);
        literal_fits(schema, col, format, to)
            .and_then(|()| obeys_rules(rule, col, format, &Value::String(to.clone())))
            .map_err(|m| Problem::new(at, m))?;
        out.push((key.as_bytes().to_vec(), to.as_bytes().to_vec()));
    }
    Ok(out)
}

fn after(
    schema: &Schema,
    ti: usize,
    ci: usize,
    decl: &crate::schema::AfterRule,
    rule: &Rules,
    out: &mut [ColumnGen],
    lookups: &mut Lookups,
) -> Result<(), Problem> {
    let table = &schema.tables[ti];
    let col = &table.columns[ci];
    let text = &decl.column;
    let fail = |m: String| Problem::new(&decl.pointer, m);
    let format = out[ci].format;
    temporal(schema, col, format, "after").map_err(fail)?;
    if let Some(m) = contradiction(table, ci, rule, &format!("declared after `{text}`")) {
        return Err(fail(m).hint("remove the CHECK or key on this column, or drop `after`"));
    }
    let (unit, default_days) = match format {
        ValueFormat::Date => (1, 730.0),
        _ => (SECOND, 730.0),
    };
    let within = decl.within_days.unwrap_or(default_days);
    #[allow(clippy::cast_possible_truncation)]
    let max_delta = if format == ValueFormat::Date {
        within.ceil() as i64
    } else {
        (within * 86_400.0).round() as i64 * SECOND
    }
    .max(unit);
    let min_delta = if format == ValueFormat::Date {
        0
    } else {
        SECOND
    };
    match via_parent(schema, ti, text, out).map_err(fail)? {
        Some((fci, via, pci)) => {
            let parent = &schema.tables[via.parent];
            let pcol = &parent.columns[pci];
            if format_of(schema, &pcol.ty) != format || pcol.ty.array_dims > 0 {
                return Err(fail(format!(
                    "`{}` ({}) and `{}.{}` ({}) are not both dates or both timestamps of one kind",
                    col.name,
                    ty(schema, &col.ty),
                    parent.name,
                    pcol.name,
                    ty(schema, &pcol.ty)
                )));
            }
            lookups.note(ti, via.parent);
            // What the column had (an explicit generator, or its name's
            // kind) fills rows whose parent value is NULL.
            let fallback = std::mem::replace(&mut out[ci].gen, null_gen());
            // An explicit time series keeps its shape after the parent's value.
            let series = col
                .generator
                .as_ref()
                .filter(|g| g.kind == "timeseries")
                .and_then(|_| fallback.time_series().cloned());
            out[ci].why = if series.is_some() {
                format!(
                    "declared: its time series, after its `{}` row's `{}` (`after`)",
                    parent.name, pcol.name
                )
            } else {
                format!(
                    "declared: after its `{}` row's `{}`, within {within} days (`after`)",
                    parent.name, pcol.name
                )
            };
            out[ci].gen = Box::new(AfterParent {
                via,
                fk: Some(fci),
                column: pci,
                min_delta,
                max_delta,
                unit,
                fallback,
                series,
            });
        }
        None => {
            let base = row_bound(schema, table, ci, text, "after").map_err(fail)?;
            let nullable = col.nullable && !rule.not_null;
            if !nullable && table.columns[base].nullable {
                return Err(fail(format!(
                    "`{}` is NOT NULL, but `{text}` may be NULL and nothing comes after NULL",
                    col.name
                ))
                .hint(format!("make `{text}` NOT NULL")));
            }
            out[ci].gen = Box::new(After {
                base,
                min_delta,
                max_delta,
                unit,
                nullable,
            });
            out[ci].why = format!("declared: after `{text}`, within {within} days (`after`)");
        }
    }
    Ok(())
}

fn when(
    schema: &Schema,
    table: &Table,
    ci: usize,
    w: &crate::schema::When,
    rules: &[Rules],
    out: &mut [ColumnGen],
) -> Result<(), Problem> {
    let col = &table.columns[ci];
    let at = child(&w.pointer, &w.column);
    let Some(si) = table.column(&w.column) else {
        let mut p = Problem::new(
            &at,
            format!("`{}` is not a column of `{}`", w.column, table.name),
        )
        .at_key();
        if let Some(s) = crate::diagnostic::did_you_mean(
            &w.column,
            table.columns.iter().map(|c| c.name.as_str()),
        ) {
            p = p.hint(format!("did you mean `{s}`?"));
        }
        return Err(p);
    };
    if si == ci {
        return Err(Problem::new(&at, format!("`{}` cannot depend on itself", col.name)).at_key());
    }
    if !col.nullable || rules[ci].not_null {
        return Err(Problem::new(
            &w.pointer,
            format!(
                "`when` makes `{}` NULL where `{}` is not {}, but `{}` is NOT NULL",
                col.name,
                w.column,
                w.values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                col.name
            ),
        )
        .hint("make the column nullable, or drop `when`"));
    }
    if let Some(known) = status_values(schema, &table.columns[si], &rules[si]) {
        for (i, v) in w.values.iter().enumerate() {
            if !known.contains(v) {
                let mut p = Problem::new(
                    child(&at, &i.to_string()),
                    format!(
                        "`{}` never takes `{v}`: its values are {}",
                        w.column,
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                if let Some(s) =
                    crate::diagnostic::did_you_mean(v, known.iter().map(String::as_str))
                {
                    p = p.hint(format!("did you mean `{s}`?"));
                }
                return Err(p);
            }
        }
    }
    // Values of a number, boolean or date column compare in the form pgmock writes (`t`, `2.50`).
    let format = out[si].format;
    let mut allowed = Vec::with_capacity(w.values.len());
    for (i, v) in w.values.iter().enumerate() {
        let mut buf = ColumnBuf::for_format(format);
        let value = match (format, v.as_str()) {
            (ValueFormat::Bool, "true") => "t",
            (ValueFormat::Bool, "false") => "f",
            (_, v) => v,
        };
        push_literal(&mut buf, format, &Value::String(value.to_owned())).map_err(|e| {
            Problem::new(
                child(&at, &i.to_string()),
                format!("`{}` cannot hold `{v}`: {e}", w.column),
            )
        })?;
        let mut text = Vec::new();
        buf.write_text(format, 0, &mut text);
        allowed.push(text);
    }
    let inner = std::mem::replace(&mut out[ci].gen, null_gen());
    out[ci].gen = Box::new(WhenStatus {
        status: si,
        allowed,
        inner,
    });
    out[ci].null_ratio = 0.0;
    out[ci].why = format!(
        "{}; declared: NULL unless `{}` is {} (`when`)",
        out[ci].why,
        w.column,
        w.values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

fn ty(schema: &Schema, t: &PgType) -> String {
    crate::dump::ddl::type_sql(schema, t)
}

/// Where `text` (a column of the row, or `fk_column.parent_column`) bounds
/// column `ci` of table `ti`, checked to be a date or time like it.
fn bound_from(
    schema: &Schema,
    ti: usize,
    ci: usize,
    text: &str,
    out: &[ColumnGen],
    lookups: &mut Lookups,
) -> Result<BoundFrom, String> {
    let table = &schema.tables[ti];
    let (bound_ty, source) = match via_parent(schema, ti, text, out)? {
        Some((fci, via, pci)) => {
            let parent = via.parent;
            lookups.note(ti, parent);
            (
                &schema.tables[parent].columns[pci].ty,
                BoundFrom::Parent {
                    via,
                    fk: Some(fci),
                    column: pci,
                },
            )
        }
        None => {
            let base = row_bound(schema, table, ci, text, "before")?;
            return Ok(BoundFrom::Row(base));
        }
    };
    same_kind(schema, table, ci, text, bound_ty)?;
    Ok(source)
}

/// `before`: values at or after the bound move before it (after the
/// column's own `after`, when it has one).
fn before(
    schema: &Schema,
    ti: usize,
    ci: usize,
    decl: &crate::schema::AfterRule,
    rule: &Rules,
    out: &mut [ColumnGen],
    lookups: &mut Lookups,
) -> Result<(), Problem> {
    let table = &schema.tables[ti];
    let col = &table.columns[ci];
    let fail = |m: String| Problem::new(&decl.pointer, m);
    let format = out[ci].format;
    temporal(schema, col, format, "before").map_err(fail)?;
    if let Some(m) = contradiction(
        table,
        ci,
        rule,
        &format!("declared before `{}`", decl.column),
    ) {
        return Err(fail(m).hint("remove the CHECK or key on this column, or drop `before`"));
    }
    let upper = bound_from(schema, ti, ci, &decl.column, out, lookups).map_err(fail)?;
    // The column's `after` was checked on its own; here it only narrows the span.
    let lower = col
        .after
        .as_ref()
        .and_then(|a| bound_from(schema, ti, ci, &a.column, out, lookups).ok());
    let (unit, span) = match format {
        ValueFormat::Date => (1, 30),
        _ => (SECOND, 30 * 86_400),
    };
    let inner = std::mem::replace(&mut out[ci].gen, null_gen());
    out[ci].gen = Box::new(Before {
        inner,
        upper,
        lower,
        unit,
        span,
    });
    out[ci].why = format!("{}; before `{}` (`before`)", out[ci].why, decl.column);
    Ok(())
}

/// `after` and `before` (`rule`) order dates and timestamps only.
fn temporal(schema: &Schema, col: &Column, format: ValueFormat, rule: &str) -> Result<(), String> {
    if matches!(
        format,
        ValueFormat::Date | ValueFormat::Timestamp | ValueFormat::TimestampTz
    ) && col.ty.array_dims == 0
    {
        Ok(())
    } else {
        Err(format!(
            "`{rule}` orders dates and timestamps, and `{}` is a `{}`",
            col.name,
            ty(schema, &col.ty)
        ))
    }
}

/// The column of the row named `text` that column `ci` comes `rule`
/// (after, before): it exists, is another column, and is the same kind of
/// date or time.
fn row_bound(
    schema: &Schema,
    table: &Table,
    ci: usize,
    text: &str,
    rule: &str,
) -> Result<usize, String> {
    let Some(base) = table.column(text) else {
        let hint =
            crate::diagnostic::did_you_mean(text, table.columns.iter().map(|c| c.name.as_str()))
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        return Err(format!(
            "`{text}` is not a column of `{}`{hint} (a parent's column is written `FOREIGN_KEY_COLUMN.COLUMN`)",
            table.name
        ));
    };
    if base == ci {
        return Err(format!(
            "`{}` cannot come {rule} itself",
            table.columns[ci].name
        ));
    }
    same_kind(schema, table, ci, text, &table.columns[base].ty)?;
    Ok(base)
}

/// Column `ci` and its bound `text` (of type `bound`) are both dates or
/// both timestamps of one kind.
fn same_kind(
    schema: &Schema,
    table: &Table,
    ci: usize,
    text: &str,
    bound: &crate::schema::types::PgType,
) -> Result<(), String> {
    let col = &table.columns[ci];
    if format_of(schema, bound) == format_of(schema, &col.ty) {
        return Ok(());
    }
    Err(format!(
        "`{}` ({}) and `{text}` ({}) are not both dates or both timestamps of one kind",
        col.name,
        ty(schema, &col.ty),
        ty(schema, bound)
    ))
}
