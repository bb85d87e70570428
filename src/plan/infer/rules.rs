//! Rules the column names make obvious, applied without any declaration:
//! a child's creation time follows its parent row's (`orders.ordered_at`
//! after its customer's `created_at`), and a lifecycle timestamp is NULL for
//! the statuses that do not have it (`shipped_at` only for shipped and
//! delivered orders).

use super::*;
use crate::generate::lookup::{AfterParent, Aggregate, FromParent, OverChildren, WhenStatus};

/// Tables whose rows read another table's rows, as (reader, read) pairs:
/// a new lookup that would close a cycle is not made, so filling a row
/// never waits for itself.
#[derive(Debug, Default)]
pub(in crate::plan) struct Lookups(Vec<(usize, usize)>);

impl Lookups {
    fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = vec![from];
        let mut stack = vec![from];
        while let Some(t) = stack.pop() {
            if t == to {
                return true;
            }
            for &(a, b) in &self.0 {
                if a == t && !seen.contains(&b) {
                    seen.push(b);
                    stack.push(b);
                }
            }
        }
        false
    }

    pub(super) fn add(&mut self, reader: usize, read: usize) -> bool {
        if reader == read || self.reaches(read, reader) {
            return false;
        }
        self.0.push((reader, read));
        true
    }

    /// Records that a declared rule reads `read`'s rows, even where tables
    /// read each other both ways: whether the columns do is checked once
    /// every table is planned (`plan::cycles`); implicit rules still stay
    /// out of both directions.
    pub(super) fn note(&mut self, reader: usize, read: usize) {
        if !self.0.contains(&(reader, read)) {
            self.0.push((reader, read));
        }
    }
}

/// Whether a column is a row's creation time by its name (`created_at`, `ordered_at`, `signup_date`).
fn is_creation(name: &str) -> bool {
    names::infer(name, Class::Time).is_some_and(|(k, _)| k.name == "created_at")
}

/// Applies the implicit rules to the generators of table `ti`.
pub(super) fn apply(
    schema: &Schema,
    ti: usize,
    rules: &[Rules],
    out: &mut [ColumnGen],
    lookups: &mut Lookups,
    problems: &mut Vec<Problem>,
) {
    let table = &schema.tables[ti];
    for ci in 0..table.columns.len() {
        let col = &table.columns[ci];
        if col.generated.is_some() {
            continue;
        }
        // A declared rule takes the place of the one the name would give.
        let (declares_values, declares_when) = super::declared::declares(col);
        // An explicit generator says what the values are; whether there is
        // one at all still follows the row's status.
        if col.generator.is_none() && !declares_values {
            after_parent(schema, ti, ci, rules, out, lookups);
            copy_from_parent(schema, ti, ci, rules, out, lookups);
        }
        if !declares_when {
            when_status(schema, table, ci, rules, out);
        }
    }
    super::declared::apply(schema, ti, rules, out, lookups, problems);
}

/// Whether nothing but the column's name decides its values: no key,
/// CHECK, ordering or array shape that copying another value could break.
fn free(table: &Table, ci: usize, rule: &Rules) -> bool {
    !(rule.unique
        || rule.has_bounds()
        || rule.after.is_some()
        || rule.allowed.is_some()
        || table.columns[ci].ty.array_dims > 0
        || table.foreign_keys.iter().any(|fk| fk.columns.contains(&ci)))
}

/// The first single-column foreign key of table `ti` whose parent has a
/// column `choose` accepts and whose rows this table may read (no lookup
/// cycle): the key, its pick, and the parent column.
fn parent_column<'s>(
    schema: &'s Schema,
    ti: usize,
    out: &[ColumnGen],
    lookups: &mut Lookups,
    choose: impl Fn(&Table) -> Option<usize>,
) -> Option<(
    &'s crate::schema::ForeignKey,
    crate::generate::reference::Reference,
    usize,
)> {
    let table = &schema.tables[ti];
    for fk in table
        .foreign_keys
        .iter()
        .filter(|fk| fk.columns.len() == 1 && fk.ref_table != ti)
    {
        let Some(via) = out[fk.columns[0]].gen.reference() else {
            continue;
        };
        let Some(pc) = choose(&schema.tables[fk.ref_table]) else {
            continue;
        };
        if lookups.add(ti, fk.ref_table) {
            return Some((fk, via, pc));
        }
    }
    None
}

fn after_parent(
    schema: &Schema,
    ti: usize,
    ci: usize,
    rules: &[Rules],
    out: &mut [ColumnGen],
    lookups: &mut Lookups,
) {
    let table = &schema.tables[ti];
    let format = out[ci].format;
    if !matches!(
        format,
        ValueFormat::Date | ValueFormat::Timestamp | ValueFormat::TimestampTz
    ) || !is_creation(&table.columns[ci].name)
        || !free(table, ci, &rules[ci])
    {
        return;
    }
    let Some((fk, via, pc)) = parent_column(schema, ti, out, lookups, |parent| {
        parent.columns.iter().position(|c| {
            is_creation(&c.name) && format_of(schema, &c.ty) == format && c.ty.array_dims == 0
        })
    }) else {
        return;
    };
    let (min_delta, max_delta, unit) = if format == ValueFormat::Date {
        (0, 730, 1)
    } else {
        (60 * SECOND, 730 * DAY, SECOND)
    };
    let fallback = std::mem::replace(&mut out[ci].gen, null_gen());
    out[ci].gen = Box::new(AfterParent {
        via,
        fk: Some(fk.columns[0]),
        column: pc,
        min_delta,
        max_delta,
        unit,
        fallback,
        series: None,
    });
    let parent = &schema.tables[fk.ref_table];
    out[ci].why = format!(
        "{}; after its `{}` row's `{}` (foreign key `{}`)",
        out[ci].why, parent.name, parent.columns[pc].name, fk.name
    );
}

/// The words that make a child's column its parent's: an order item's
/// `unit_price` is its product's `price`, an order's `currency` its customer's.
fn inherited(name: &str) -> Option<&'static str> {
    match names::tokens(name).last().map(String::as_str) {
        Some("price") => Some("price"),
        Some("currency") => Some("currency"),
        _ => None,
    }
}

fn copy_from_parent(
    schema: &Schema,
    ti: usize,
    ci: usize,
    rules: &[Rules],
    out: &mut [ColumnGen],
    lookups: &mut Lookups,
) {
    let table = &schema.tables[ti];
    let col = &table.columns[ci];
    let rule = &rules[ci];
    let Some(word) = inherited(&col.name) else {
        return;
    };
    if !free(table, ci, rule) {
        return;
    }
    let format = out[ci].format;
    // A NULL parent value would break a NOT NULL child.
    let child_not_null = !col.nullable || rule.not_null;
    let Some((fk, via, pc)) = parent_column(schema, ti, out, lookups, |parent| {
        // The parent's own column of that name (`price`), else one ending in it (`list_price`).
        let pc = parent
            .columns
            .iter()
            .position(|c| c.name == word)
            .or_else(|| {
                parent
                    .columns
                    .iter()
                    .position(|c| names::tokens(&c.name).last().is_some_and(|t| t == word))
            })?;
        let pcol = &parent.columns[pc];
        // Every parent value must fit the child's type (`numeric(5,2)` does not hold a `numeric(10,2)` price).
        let length = |ty: &crate::schema::types::PgType| match numeric_base(schema, ty) {
            Some(BaseType::Varchar(Some(n)) | BaseType::Char(n)) => Some(n),
            _ => None,
        };
        let fits = type_limit(schema, &col.ty) >= type_limit(schema, &pcol.ty)
            && match (length(&col.ty), length(&pcol.ty)) {
                (Some(c), Some(p)) => c >= p,
                (Some(_), None) => false,
                (None, _) => true,
            };
        (format_of(schema, &pcol.ty) == format
            && fits
            && pcol.ty.array_dims == 0
            && !(child_not_null && pcol.nullable))
            .then_some(pc)
    }) else {
        return;
    };
    out[ci].gen = Box::new(FromParent {
        via,
        fk: Some(fk.columns[0]),
        column: pc,
        map: None,
    });
    out[ci].null_ratio = 0.0;
    let parent = &schema.tables[fk.ref_table];
    out[ci].why = format!(
        "its `{}` row's `{}` (foreign key `{}`)",
        parent.name, parent.columns[pc].name, fk.name
    );
}

/// Statuses that end a lifecycle before its later steps (`cancelled` orders
/// are not shipped). Returned, refunded or disputed rows went through the
/// earlier steps first, so they keep those timestamps.
const NEGATIVE: &[&str] = &[
    "cancelled",
    "canceled",
    "failed",
    "rejected",
    "declined",
    "expired",
    "voided",
    "void",
    "abandoned",
    "lost",
];

fn same_word(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace("canceled", "cancelled");
    norm(a) == norm(b)
}

/// The values a status column takes, in their declared (lifecycle) order.
pub(super) fn status_values(schema: &Schema, col: &Column, rule: &Rules) -> Option<Vec<String>> {
    if let Some(allowed) = &rule.allowed {
        return Some(allowed.iter().map(|l| l.text().to_owned()).collect());
    }
    if let TypeRef::Named(tn) = &col.ty.elem {
        if let Some(UserTypeKind::Enum(labels)) = schema.type_kind(tn) {
            return Some(labels.clone());
        }
    }
    if let Some(spec) = &col.generator {
        if let Some(Value::Array(values)) = spec.options.get("values") {
            return Some(
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            );
        }
        if let Some(Value::Object(choices)) = spec.options.get("choices") {
            return Some(choices.keys().cloned().collect());
        }
        return None;
    }
    None
}

fn when_status(schema: &Schema, table: &Table, ci: usize, rules: &[Rules], out: &mut [ColumnGen]) {
    let col = &table.columns[ci];
    if !col.nullable || rules[ci].not_null || rules[ci].unique || !out[ci].format.is_temporal() {
        return;
    }
    let words = names::tokens(&col.name);
    let verb = match &words[..] {
        [verb, tail] if matches!(tail.as_str(), "at" | "on" | "date" | "time" | "ts") => verb,
        _ => return,
    };
    let Some((si, values)) = table.columns.iter().enumerate().find_map(|(si, c)| {
        let t = names::tokens(&c.name);
        (t.last().is_some_and(|w| w == "status") && si != ci)
            .then(|| status_values(schema, c, &rules[si]).map(|v| (si, v)))
            .flatten()
    }) else {
        return;
    };
    let Some(at) = values.iter().position(|v| same_word(v, verb)) else {
        return;
    };
    let negative = |v: &str| NEGATIVE.iter().any(|n| same_word(n, v));
    let allowed: Vec<String> = if negative(&values[at]) {
        vec![values[at].clone()]
    } else {
        values[at..]
            .iter()
            .filter(|v| !negative(v))
            .cloned()
            .collect()
    };
    let inner = std::mem::replace(&mut out[ci].gen, null_gen());
    out[ci].gen = Box::new(WhenStatus {
        status: si,
        allowed: allowed.iter().map(|v| v.as_bytes().to_vec()).collect(),
        inner,
    });
    // The status decides which rows are NULL.
    out[ci].null_ratio = 0.0;
    out[ci].why = format!(
        "{}; NULL unless `{}` is {}",
        out[ci].why,
        table.columns[si].name,
        allowed
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// Columns declared as aggregates over their children (`"aggregate": "sum(order_items.line_total)"`).
pub(super) fn aggregates(
    schema: &Schema,
    ti: usize,
    out: &mut [ColumnGen],
    lookups: &mut Lookups,
    problems: &mut Vec<Problem>,
) {
    let table = &schema.tables[ti];
    for (ci, col) in table.columns.iter().enumerate() {
        let Some((text, pointer)) = col.aggregate.as_deref() else {
            continue;
        };
        match aggregate(schema, ti, col, text, lookups) {
            Ok(gen) => out[ci].gen = Box::new(gen),
            Err(message) => problems.push(
                Problem::new(pointer, message)
                    .hint("write `sum(CHILD.COLUMN)`, `count(CHILD)`, `min`, `max` or `avg`, where CHILD's `rows` are counted `per` this table"),
            ),
        }
        out[ci].null_ratio = 0.0;
    }
}

fn aggregate(
    schema: &Schema,
    ti: usize,
    col: &Column,
    text: &str,
    lookups: &mut Lookups,
) -> Result<OverChildren, String> {
    let table = &schema.tables[ti];
    let (func, arg) = text
        .trim()
        .strip_suffix(')')
        .and_then(|t| t.split_once('('))
        .ok_or_else(|| format!("cannot read `{text}` as an aggregate"))?;
    let aggregate = match func.trim().to_ascii_lowercase().as_str() {
        "sum" => Aggregate::Sum,
        "count" => Aggregate::Count,
        "min" => Aggregate::Min,
        "max" => Aggregate::Max,
        "avg" => Aggregate::Avg,
        other => return Err(format!("unknown aggregate `{other}`")),
    };
    let arg = arg.trim();
    let (child_name, column_name) = match arg.rsplit_once('.') {
        Some((t, c)) if aggregate != Aggregate::Count || schema.table_named(arg).is_none() => {
            (t, Some(c))
        }
        _ => (arg, None),
    };
    let child = schema
        .table_named(child_name)
        .ok_or_else(|| format!("`{child_name}` is not a table"))?;
    let per_this = matches!(schema.tables[child].rows, crate::schema::RowCount::PerParent { parent, .. } if parent == ti);
    if !per_this {
        return Err(format!(
            "`{child_name}` must count its rows per row of `{}` (`\"rows\": {{\"per\": \"{}\", ...}}`) for `{}` to be computed over its rows",
            table.name, table.name, col.name
        ));
    }
    let column = match column_name {
        Some(c) => schema.tables[child]
            .columns
            .iter()
            .position(|x| x.name == c)
            .ok_or_else(|| format!("`{c}` is not a column of `{child_name}`"))?,
        None if aggregate == Aggregate::Count => 0,
        None => {
            return Err(format!(
                "`{func}` needs a column: `{func}({child_name}.COLUMN)`"
            ))
        }
    };
    let child_format = format_of(schema, &schema.tables[child].columns[column].ty);
    let format = format_of(schema, &col.ty);
    if !format.is_numeric() || (aggregate != Aggregate::Count && !child_format.is_numeric()) {
        return Err(format!(
            "`{text}` computes a number: both `{}` and the child column must be numbers",
            col.name
        ));
    }
    lookups.note(ti, child);
    Ok(OverChildren {
        limit: type_limit(schema, &col.ty),
        aggregate,
        child,
        column,
        child_format,
        format,
    })
}
