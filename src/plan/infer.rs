//! Which generator each column gets: foreign keys, keys, explicit
//! generators, CHECK bounds, and otherwise a default inferred from the
//! column's name and type (`email` → e-mail, `created_at` → a timestamp...).

use serde_json::Value;

use crate::error::Problem;
use crate::generate::choice::Choice;
use crate::generate::distribution::{Dist, Number, Sequence};
use crate::generate::kinds::{Misc, MiscKind, Text, TextKind};
use crate::generate::reference::{LocalSequence, Pick, Reference};
use crate::generate::structured::{Array, Composite};
use crate::generate::temporal::{After, Instant, DAY, SECOND};
use crate::generate::{rng, ColumnGen, PerParent, ValueGen};
use crate::pgtext::datetime;
use crate::schema::check::{CmpOp, Condition, Literal};
use crate::schema::types::{BaseType, PgType, TypeRef};
use crate::schema::{Check, Column, Domain, Schema, Table, UserTypeKind};
use crate::source_map::child;
use crate::value::{ColumnBuf, ColumnData, ValueFormat};

use super::bounds::{self, Bound, Temporal};
use super::keys::{self, mentions, unique_keys, UniqueKey};
use super::numbers;
use super::sequences::{self, SequenceUse};

type Count = (u64, Option<PerParent>);

/// What the checks and keys of a table require of one column.
#[derive(Debug, Default, Clone)]
pub(super) struct Rules {
    /// Lower bounds (`>`, `>=`), as written; what they mean depends on the
    /// column's type (see `bounds`).
    pub(super) lower: Vec<Bound>,
    /// Upper bounds (`<`, `<=`).
    pub(super) upper: Vec<Bound>,
    pub(super) allowed: Option<Vec<Literal>>,
    max_len: Option<u64>,
    /// (other column, strict): this column must be greater than the other.
    after: Option<(usize, bool)>,
    pub(super) unique: bool,
    /// When only a unique index makes the column unique: its pointer, and
    /// whether it is partial (for messages).
    unique_index: Option<(String, bool)>,
    not_null: bool,
}

impl Rules {
    pub(super) fn has_bounds(&self) -> bool {
        !self.lower.is_empty() || !self.upper.is_empty()
    }
}

/// Compiles the generators of table `ti`.
pub(super) fn columns(
    schema: &Schema,
    ti: usize,
    table_key: u64,
    counts: &[Count],
    per_parent: Option<&PerParent>,
    uses: &mut SequenceUse,
    problems: &mut Vec<Problem>,
) -> Vec<ColumnGen> {
    let table = &schema.tables[ti];
    let rows = counts[ti].0;
    let mut rules = vec![Rules::default(); table.columns.len()];
    collect_rules(schema, table, &mut rules, problems);
    let mut out = Vec::with_capacity(table.columns.len());
    for (ci, col) in table.columns.iter().enumerate() {
        let key = rng::derive(table_key, &col.name);
        let format = format_of(schema, &col.ty);
        let gen = column_gen(
            schema, ti, ci, table_key, rows, counts, per_parent, &rules, uses, problems,
        );
        let null_ratio = if !col.nullable || rules[ci].not_null || col.generated.is_some() {
            0.0
        } else {
            col.null_ratio.unwrap_or(schema.null_ratio)
        };
        out.push(ColumnGen {
            name: col.name.clone(),
            gen,
            format,
            null_ratio,
            key,
        });
    }
    out
}

fn is_key(table: &Table, ci: usize) -> bool {
    table
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns.contains(&ci))
}

/// The text form a column's values take.
pub(super) fn format_of(schema: &Schema, ty: &PgType) -> ValueFormat {
    if ty.array_dims > 0 {
        return ValueFormat::Text;
    }
    match &ty.elem {
        TypeRef::Base(b) => match b {
            BaseType::SmallInt | BaseType::Integer | BaseType::BigInt | BaseType::Oid => {
                ValueFormat::Int
            }
            BaseType::Real => ValueFormat::Float4,
            BaseType::Double => ValueFormat::Float8,
            BaseType::Numeric(Some((_, s))) => ValueFormat::Numeric { scale: *s },
            BaseType::Numeric(None) => ValueFormat::Numeric { scale: 2 },
            BaseType::Boolean => ValueFormat::Bool,
            BaseType::Date => ValueFormat::Date,
            BaseType::Timestamp(_) => ValueFormat::Timestamp,
            BaseType::TimestampTz(_) => ValueFormat::TimestampTz,
            BaseType::Time(_) => ValueFormat::Time,
            BaseType::Uuid => ValueFormat::Uuid,
            BaseType::Bit(_) | BaseType::VarBit(_) => ValueFormat::Bits,
            _ => ValueFormat::Text,
        },
        TypeRef::Named(name) => match schema
            .types
            .iter()
            .find(|t| &t.name == name)
            .map(|t| &t.kind)
        {
            Some(UserTypeKind::Domain(d)) => format_of(schema, &d.base),
            _ => ValueFormat::Text,
        },
    }
}

fn collect_rules(schema: &Schema, table: &Table, rules: &mut [Rules], problems: &mut Vec<Problem>) {
    let mut make_unique = |c: usize, key: &UniqueKey<'_>| {
        let r = &mut rules[c];
        match key.index {
            Some(index) if !r.unique || r.unique_index.is_some() => {
                r.unique_index = Some((index.pointer.clone(), index.predicate.is_some()));
            }
            Some(_) => {}
            None => r.unique_index = None,
        }
        r.unique = true;
    };
    for key in unique_keys(table) {
        if key.columns.len() == 1 {
            make_unique(key.columns[0], &key);
            continue;
        }
        // A composite key is unique when one of its columns is. Columns made only of
        // foreign keys are spread over parent combinations instead (see `joint_key`).
        let fk_cols: Vec<usize> = table
            .foreign_keys
            .iter()
            .flat_map(|f| f.columns.iter().copied())
            .collect();
        if let Some(&c) = key.columns.iter().find(|c| !fk_cols.contains(c)) {
            let line_number =
                !matches!(table.rows, crate::schema::RowCount::Exact(_)) && key.primary;
            if !line_number {
                make_unique(c, &key);
            }
        }
    }
    keys::unsupported_unique_indexes(table, problems);
    for check in &table.checks {
        let Some(parsed) = &check.parsed else {
            // Unknown form: acceptable only when a column it mentions has an explicit generator.
            let mentioned: Vec<&Column> = table
                .columns
                .iter()
                .filter(|c| mentions(&check.expr, &c.name))
                .collect();
            if !mentioned.iter().any(|c| c.generator.is_some()) {
                problems.push(
                    Problem::new(&check.pointer, format!("pgmock cannot satisfy check `{}` ({}) by itself", check.name, check.expr))
                        .hint("supported forms: `col > n`, `col BETWEEN a AND b`, `col IN (...)`, `a < b`, `length(col) <= n`; otherwise give the column an explicit `generator` whose values satisfy it"),
                );
            }
            continue;
        };
        for cond in &parsed.conditions {
            apply_condition(Scope::Table(table), cond, rules, &check.pointer, problems);
        }
    }
    // Rows of a partitioned table must land in a partition: without a DEFAULT
    // partition, the key takes listed values or stays within the range bounds.
    if let Some(pb) = &table.partition_by {
        let bounds: Vec<&crate::schema::PartitionBound> = table
            .partitions
            .iter()
            .filter_map(|&p| schema.tables[p].partition_of.as_ref().map(|(_, b)| b))
            .collect();
        let has_default = bounds
            .iter()
            .any(|b| matches!(b, crate::schema::PartitionBound::Default));
        if !has_default && pb.columns.len() == 1 {
            let c = pb.columns[0];
            let mut values = Vec::new();
            // Outer bounds; `Some(None)` is MINVALUE / MAXVALUE, no bound at all.
            let (mut lo, mut hi): (Option<Option<&str>>, Option<Option<&str>>) = (None, None);
            for b in &bounds {
                match b {
                    crate::schema::PartitionBound::List(v) => {
                        values.extend(v.iter().map(|x| Literal::Text(x.clone())));
                    }
                    crate::schema::PartitionBound::Range { from, to } => {
                        // Partitions are usually contiguous: take the outer bounds.
                        let (f, t) = (range_bound(&from[0]), range_bound(&to[0]));
                        lo = Some(match (lo, f) {
                            (None, f) => f,
                            (Some(None), _) | (_, None) => None,
                            (Some(Some(l)), Some(f)) => Some(outer(l, f, std::cmp::Ordering::Less)),
                        });
                        hi = Some(match (hi, t) {
                            (None, t) => t,
                            (Some(None), _) | (_, None) => None,
                            (Some(Some(h)), Some(t)) => {
                                Some(outer(h, t, std::cmp::Ordering::Greater))
                            }
                        });
                    }
                    crate::schema::PartitionBound::Hash { .. }
                    | crate::schema::PartitionBound::Default => {}
                }
            }
            if !values.is_empty() {
                restrict_allowed(&mut rules[c], values);
            }
            let ptr = format!("{}/partitions", table.pointer);
            let limits = [(CmpOp::Ge, lo.flatten()), (CmpOp::Lt, hi.flatten())];
            for (op, v) in limits
                .into_iter()
                .filter_map(|(op, v)| Some((op, v?.to_owned())))
            {
                let value = if v.parse::<f64>().is_ok() {
                    Literal::Number(v)
                } else {
                    Literal::Text(v)
                };
                apply_condition(
                    Scope::Table(table),
                    &Condition::Compare {
                        column: table.columns[c].name.clone(),
                        op,
                        value,
                    },
                    rules,
                    &ptr,
                    problems,
                );
            }
        }
    }
    // Domain checks constrain every column of the domain type (and of the domains under
    // it). Checks of a domain used as an array element apply per element instead: the
    // array's element generator gets them (see `nested_gen`).
    for (ci, col) in table.columns.iter().enumerate() {
        if let Some(d) = domain(schema, &col.ty.elem) {
            rules[ci].not_null |= d.not_null;
        }
        if col.ty.array_dims > 0 {
            continue;
        }
        for (name, d) in domain_chain(schema, &col.ty) {
            rules[ci].not_null |= d.not_null;
            for check in &d.checks {
                match &check.parsed {
                    Some(parsed) => {
                        for cond in &parsed.conditions {
                            let renamed = rename_value(cond, &col.name);
                            apply_condition(
                                Scope::Table(table),
                                &renamed,
                                rules,
                                &check.pointer,
                                problems,
                            );
                        }
                    }
                    None if col.generator.is_none() => {
                        problems.push(unsatisfiable_domain_check(col, name, check, false));
                    }
                    None => {}
                }
            }
        }
    }
}

/// The domain named by `elem`, if it names one.
fn domain<'s>(schema: &'s Schema, elem: &TypeRef) -> Option<&'s Domain> {
    let TypeRef::Named(name) = elem else {
        return None;
    };
    match schema
        .types
        .iter()
        .find(|t| &t.name == name)
        .map(|t| &t.kind)
    {
        Some(UserTypeKind::Domain(d)) => Some(d),
        _ => None,
    }
}

/// The domains a scalar value of `ty` passes through, outermost first, with their
/// names: a domain over a domain must satisfy the checks of both. Stops at an array
/// (a domain over `int[]` checks the array; its elements have no domain).
fn domain_chain<'s>(schema: &'s Schema, ty: &PgType) -> Vec<(&'s str, &'s Domain)> {
    let mut chain = Vec::new();
    let mut ty = ty;
    // The schema rejects cyclic types; the bound only keeps a bug from looping forever.
    while ty.array_dims == 0 && chain.len() < 64 {
        let TypeRef::Named(name) = &ty.elem else {
            break;
        };
        let Some(t) = schema.types.iter().find(|t| &t.name == name) else {
            break;
        };
        let UserTypeKind::Domain(d) = &t.kind else {
            break;
        };
        chain.push((t.name.as_str(), d));
        ty = &d.base;
    }
    chain
}

/// A domain check pgmock cannot read, on column `col` or (`nested`) on the array
/// elements or composite fields inside it.
fn unsatisfiable_domain_check(col: &Column, domain: &str, check: &Check, nested: bool) -> Problem {
    let place = if nested {
        format!(", used inside column `{}`,", col.name)
    } else {
        String::new()
    };
    Problem::new(
        &col.pointer,
        format!(
            "pgmock cannot satisfy check `{}` of domain `{domain}` ({}){place} by itself",
            check.name, check.expr
        ),
    )
    .hint(
        "supported forms: `VALUE > n`, `VALUE BETWEEN a AND b`, `VALUE IN (...)`, `length(VALUE) <= n`; \
         otherwise give the column an explicit `generator` whose values satisfy it",
    )
}

/// The columns a CHECK condition can name.
#[derive(Clone, Copy)]
enum Scope<'a> {
    /// The columns of a table; rules are indexed like them.
    Table(&'a Table),
    /// The one value of an array element or composite field inside `column`: a domain's
    /// `VALUE`, whose rules are `rules[0]`.
    Value {
        /// The column holding the value, for messages.
        column: &'a Column,
    },
}

impl Scope<'_> {
    fn column(self, name: &str) -> Option<usize> {
        match self {
            Self::Table(table) => table.column(name),
            Self::Value { .. } => name.eq_ignore_ascii_case("value").then_some(0),
        }
    }

    /// The column `c` names (the holding column for a nested value).
    fn column_def(&self, c: usize) -> &Column {
        match self {
            Self::Table(table) => &table.columns[c],
            Self::Value { column } => column,
        }
    }
}

fn rename_value(cond: &Condition, col: &str) -> Condition {
    let fix = |c: &String| {
        if c.eq_ignore_ascii_case("value") {
            col.to_owned()
        } else {
            c.clone()
        }
    };
    match cond {
        Condition::Compare { column, op, value } => Condition::Compare {
            column: fix(column),
            op: *op,
            value: value.clone(),
        },
        Condition::In { column, values } => Condition::In {
            column: fix(column),
            values: values.clone(),
        },
        Condition::Length { column, op, n } => Condition::Length {
            column: fix(column),
            op: *op,
            n: *n,
        },
        Condition::NotNull { column } => Condition::NotNull {
            column: fix(column),
        },
        Condition::Columns { left, op, right } => Condition::Columns {
            left: fix(left),
            op: *op,
            right: fix(right),
        },
    }
}

fn apply_condition(
    scope: Scope<'_>,
    cond: &Condition,
    rules: &mut [Rules],
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let col = |name: &str| scope.column(name);
    match cond {
        Condition::Compare { column, op, value } => {
            let Some(c) = col(column) else { return };
            let r = &mut rules[c];
            // Numbers, or dates and timestamps compared with string literals.
            let readable =
                value.as_f64().is_some() || bounds::temporal_literal(value.text()).is_some();
            match op {
                CmpOp::Gt | CmpOp::Ge if readable => {
                    r.lower.push((value.clone(), *op == CmpOp::Gt));
                }
                CmpOp::Lt | CmpOp::Le if readable => {
                    r.upper.push((value.clone(), *op == CmpOp::Lt));
                }
                CmpOp::Eq => restrict_allowed(r, vec![value.clone()]),
                _ => unsupported(scope, c, cond, pointer, problems),
            }
        }
        Condition::In { column, values } => {
            if let Some(c) = col(column) {
                restrict_allowed(&mut rules[c], values.clone());
            }
        }
        Condition::Length { column, op, n } => {
            if let Some(c) = col(column) {
                let max = match op {
                    CmpOp::Le | CmpOp::Eq => Some(*n),
                    CmpOp::Lt => Some(n.saturating_sub(1)),
                    _ => None,
                };
                match max {
                    Some(m) => rules[c].max_len = Some(rules[c].max_len.map_or(m, |x| x.min(m))),
                    None => unsupported(scope, c, cond, pointer, problems),
                }
            }
        }
        Condition::NotNull { column } => {
            if let Some(c) = col(column) {
                rules[c].not_null = true;
            }
        }
        Condition::Columns { left, op, right } => {
            let (Some(l), Some(r)) = (col(left), col(right)) else {
                return;
            };
            if let Scope::Value { .. } = scope {
                // `VALUE < VALUE` compares a value with itself: nothing to generate from.
                unsupported(scope, l, cond, pointer, problems);
                return;
            }
            match op {
                CmpOp::Lt => rules[r].after = Some((l, true)),
                CmpOp::Le => rules[r].after = Some((l, false)),
                CmpOp::Gt => rules[l].after = Some((r, true)),
                CmpOp::Ge => rules[l].after = Some((r, false)),
                _ => unsupported(scope, l, cond, pointer, problems),
            }
        }
    }
}

/// Narrows a column's allowed values: every `IN` list and `=` that applies
/// to it (a domain's, the column's, a list partition's) must hold at once.
/// Values compare by their text, so `1` and `'1'` are the same value.
fn restrict_allowed(rule: &mut Rules, values: Vec<Literal>) {
    rule.allowed = Some(match rule.allowed.take() {
        None => values,
        Some(old) => old
            .into_iter()
            .filter(|v| values.iter().any(|w| w.text() == v.text()))
            .collect(),
    });
}

fn unsupported(
    scope: Scope<'_>,
    c: usize,
    cond: &Condition,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let column = scope.column_def(c);
    if column.generator.is_none() {
        problems.push(
            Problem::new(
                pointer,
                format!(
                    "pgmock cannot satisfy the condition `{}` on column `{}` by itself",
                    describe_condition(cond),
                    column.name
                ),
            )
            .hint("give the column an explicit `generator` whose values satisfy it"),
        );
    }
}

/// A condition as SQL text, for messages.
fn describe_condition(cond: &Condition) -> String {
    let op = |op: &CmpOp| match op {
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
    };
    let lit = |l: &Literal| match l {
        Literal::Number(n) => n.clone(),
        Literal::Text(t) => format!("'{}'", t.replace('\'', "''")),
    };
    match cond {
        Condition::Compare {
            column,
            op: o,
            value,
        } => format!("{column} {} {}", op(o), lit(value)),
        Condition::In { column, values } => format!(
            "{column} IN ({})",
            values.iter().map(lit).collect::<Vec<_>>().join(", ")
        ),
        Condition::Columns { left, op: o, right } => format!("{left} {} {right}", op(o)),
        Condition::Length { column, op: o, n } => format!("length({column}) {} {n}", op(o)),
        Condition::NotNull { column } => format!("{column} IS NOT NULL"),
    }
}

#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
fn column_gen(
    schema: &Schema,
    ti: usize,
    ci: usize,
    table_key: u64,
    rows: u64,
    counts: &[Count],
    per_parent: Option<&PerParent>,
    rules: &[Rules],
    uses: &mut SequenceUse,
    problems: &mut Vec<Problem>,
) -> Box<dyn ValueGen> {
    let table = &schema.tables[ti];
    let col = &table.columns[ci];
    let rule = &rules[ci];
    if col.generated.is_some() {
        return Box::new(Misc {
            kind: MiscKind::Null,
        });
    }
    // Foreign keys first: their values must exist in the parent.
    if let Some(fk) = table.foreign_keys.iter().find(|f| f.columns.contains(&ci)) {
        let comp = fk.columns.iter().position(|&c| c == ci).unwrap_or(0);
        let parent_rows = counts[fk.ref_table].0;
        // Keyed by the foreign key, not the column: every column of a composite
        // foreign key must pick the same parent row.
        let fk_key = rng::derive(rng::derive(table_key, "#fk"), &fk.name);
        let pick = if per_parent.is_some_and(|pp| pp.parent == fk.ref_table) {
            Pick::PerParent
        } else if fk.ref_table == ti {
            Pick::Earlier { key: fk_key }
        } else if let Some(joint) = joint_key(table, table_key, fk, counts) {
            joint
        } else {
            Pick::Random { key: fk_key }
        };
        if parent_rows == 0 && rows > 0 && !col.nullable {
            problems.push(
                Problem::new(
                    &fk.pointer,
                    format!(
                        "`{}` needs rows in `{}`, which has none",
                        col.name, schema.tables[fk.ref_table].name
                    ),
                )
                .hint("give the referenced table rows, or make the column nullable"),
            );
        }
        if (rule.has_bounds() || rule.allowed.is_some()) && col.generator.is_none() {
            // Its values are the parent's keys; a bound here would need the
            // parent's rows filtered, which pgmock does not do.
            problems.push(
                Problem::new(
                    &col.pointer,
                    format!(
                        "`{}` is a foreign key to `{}`: pgmock takes its values from there and cannot also keep them within its CHECK",
                        col.name, schema.tables[fk.ref_table].name
                    ),
                )
                .hint("put the bound on the referenced key instead, or drop the CHECK on the foreign key column"),
            );
        }
        if rule.unique && !matches!(pick, Pick::Joint { .. }) && parent_rows < rows {
            let message = format!("unique column `{}` references `{}`, which has only {parent_rows} rows for {rows} rows here", col.name, schema.tables[fk.ref_table].name);
            problems.push(unique_problem(col, rule, message, None));
        }
        let mut r = Reference {
            parent: fk.ref_table,
            parent_column: fk.ref_columns[comp],
            parent_rows,
            pick,
        };
        if rule.unique && matches!(pick, Pick::Random { .. }) {
            // One-to-one: a permutation of the parent rows.
            r.pick = Pick::Joint {
                key: fk_key,
                combinations: parent_rows.max(1),
                divisor: 1,
            };
        }
        return Box::new(r);
    }
    // Line numbers within a parent: the non-FK integer column of a per-parent table's composite key.
    if let (Some(_), Some(pk)) = (per_parent, &table.primary_key) {
        if pk.columns.len() > 1
            && pk.columns.contains(&ci)
            && format_of(schema, &col.ty) == ValueFormat::Int
            && col.generator.is_none()
        {
            if let crate::schema::RowCount::PerParent { max, .. } = table.rows {
                let last = i128::from(max.clamp(1, super::MAX_ROWS));
                if let Some(p) =
                    sequences::counter_problem(schema, col, rule, (1, last), rows, true)
                {
                    problems.push(p);
                }
            }
            return Box::new(LocalSequence { start: 1 });
        }
    }
    if let Some(spec) = &col.generator {
        return match explicit(schema, table, col, spec, rule, rows) {
            Ok(g) => g,
            Err(p) => {
                problems.push(p);
                Box::new(Misc {
                    kind: MiscKind::Null,
                })
            }
        };
    }
    let format = format_of(schema, &col.ty);
    if let Some(seq) = sequences::default_sequence(schema, col) {
        if col.ty.array_dims == 0
            && matches!(format, ValueFormat::Int | ValueFormat::Numeric { .. })
            && rule.allowed.is_none()
            && rule.after.is_none()
        {
            return sequences::from_sequence(schema, col, rule, seq, rows, uses, problems);
        }
    }
    let counter = col.identity.is_some() || col.serial.is_some();
    let key_counter = rule.unique
        && is_key(table, ci)
        && format == ValueFormat::Int
        && table
            .primary_key
            .as_ref()
            .is_some_and(|k| k.columns.len() == 1);
    if counter || key_counter {
        match sequences::counter_problem(schema, col, rule, (1, i128::from(rows)), rows, false) {
            None => return Box::new(Sequence { start: 1, step: 1 }),
            // A plain key that cannot count 1, 2, 3... within its checks takes
            // unique values within them instead (below).
            Some(p) if counter || !rule.has_bounds() => {
                problems.push(p);
                return null_gen();
            }
            Some(_) => {}
        }
    }
    if let Some(allowed) = &rule.allowed {
        let mut items = ColumnBuf::for_format(format);
        let allowed = storable(schema, col, rule, allowed);
        if rule.allowed.as_ref().is_some_and(Vec::is_empty) {
            problems.push(
                Problem::new(
                    &col.pointer,
                    format!(
                        "the checks on `{}` allow no common value: their `IN` lists or `=` values do not overlap",
                        col.name
                    ),
                )
                .hint("make the column's, its domain's and its list partitions' values agree"),
            );
            return null_gen();
        }
        if allowed.is_empty() {
            let listed: Vec<&str> = rule.allowed.iter().flatten().map(Literal::text).collect();
            problems.push(
                Problem::new(
                    &col.pointer,
                    format!(
                        "none of the values the checks on `{}` allow ({}) can be stored in it unchanged",
                        col.name,
                        listed.join(", ")
                    ),
                )
                .hint("list values within the column type's range and scale, and within the check's bounds"),
            );
            return null_gen();
        }
        for lit in allowed {
            if let Err(why) =
                push_literal(&mut items, format, &Value::String(lit.text().to_owned()))
            {
                problems.push(Problem::new(
                    &col.pointer,
                    format!(
                        "check value `{}` does not fit column `{}`: {why}",
                        lit.text(),
                        col.name
                    ),
                ));
                return Box::new(Misc {
                    kind: MiscKind::Null,
                });
            }
        }
        if rule.unique && rows > items.len() as u64 {
            problems.push(impossible_unique(col, rule, rows, items.len() as u64));
        }
        return Box::new(Choice::new(items, &[], rule.unique));
    }
    if let Some((base, strict)) = rule.after {
        if rule.has_bounds() {
            // The value follows the earlier column by up to a month (or 100
            // units), which its own bounds could cut off: say so rather than
            // write rows the server rejects.
            problems.push(
                Problem::new(
                    &col.pointer,
                    format!(
                        "pgmock cannot keep `{}` both after `{}` and within `{}`",
                        col.name,
                        table.columns[base].name,
                        numbers::describe_bounds(&col.name, rule),
                    ),
                )
                .hint(
                    "bound the earlier column instead, or give this column an explicit `generator`",
                ),
            );
        }
        let unit = match format {
            ValueFormat::Timestamp | ValueFormat::TimestampTz | ValueFormat::Time => SECOND,
            ValueFormat::Numeric { scale } => 10i64.pow(scale.min(18)),
            _ => 1,
        };
        let span = match format {
            ValueFormat::Timestamp | ValueFormat::TimestampTz => 30 * DAY,
            ValueFormat::Date => 30,
            _ => 100 * unit,
        };
        return Box::new(After {
            base,
            min_delta: if strict { unit } else { 0 },
            max_delta: span,
            unit,
        });
    }
    // Only numbers, dates and timestamps are generated within bounds (money
    // stays between 0 and 100,000).
    let bounded = format.is_numeric()
        || matches!(
            format,
            ValueFormat::Date
                | ValueFormat::Timestamp
                | ValueFormat::TimestampTz
                | ValueFormat::Time
        )
        || numeric_base(schema, &col.ty) == Some(BaseType::Money);
    if rule.has_bounds() && (col.ty.array_dims > 0 || !bounded) {
        problems.push(
            Problem::new(
                &col.pointer,
                format!(
                    "pgmock cannot satisfy the condition `{}` on column `{}` by itself",
                    numbers::describe_bounds(&col.name, rule),
                    col.name
                ),
            )
            .hint("give the column an explicit `generator` whose values satisfy it"),
        );
    }
    if col.ty.array_dims > 0 {
        return array_gen(schema, table, &col.ty, &col.name, col, problems);
    }
    default_gen(schema, table, &col.ty, &col.name, rule, rows, col, problems)
}

/// The listed values (`IN`, `=`) an integer or numeric column can store
/// unchanged and that its bounds allow; other columns keep the whole list.
fn storable<'a>(
    schema: &Schema,
    col: &Column,
    rule: &Rules,
    allowed: &'a [Literal],
) -> Vec<&'a Literal> {
    let scale = match format_of(schema, &col.ty) {
        ValueFormat::Int => 0,
        ValueFormat::Numeric { scale } => scale,
        _ => return allowed.iter().collect(),
    };
    let (type_lo, type_hi) = bounds::fixed_type_range(numeric_base(schema, &col.ty), scale);
    let (check_lo, check_hi) = bounds::fixed(&rule.lower, &rule.upper, scale);
    let lo = check_lo.map_or(type_lo, |c| c.max(type_lo));
    let hi = check_hi.map_or(type_hi, |c| c.min(type_hi));
    allowed
        .iter()
        .filter(|lit| match bounds::scaled(lit.text(), scale) {
            Some((floor, ceil)) => floor == ceil && (lo..=hi).contains(&floor),
            // Not a number: `push_literal` reports it.
            None => true,
        })
        .collect()
}

/// An array of `ty`'s element type, each element from [`nested_gen`].
fn array_gen(
    schema: &Schema,
    table: &Table,
    ty: &PgType,
    name: &str,
    col: &Column,
    problems: &mut Vec<Problem>,
) -> Box<dyn ValueGen> {
    let elem_ty = ty.element();
    Box::new(Array {
        elem: nested_gen(schema, table, &elem_ty, name, col, problems),
        format: format_of(schema, &elem_ty),
        dims: ty.array_dims,
        max_len: 4,
        delimiter: delimiter_of(schema, &elem_ty),
    })
}

/// The generator of a value nested in column `col`: an array element or a composite
/// field. It follows the same rules as a column of type `ty`, except that only the
/// checks of `ty`'s domains apply (a nested value has no constraints of its own), and
/// that arrays and composites nest to any depth.
fn nested_gen(
    schema: &Schema,
    table: &Table,
    ty: &PgType,
    name: &str,
    col: &Column,
    problems: &mut Vec<Problem>,
) -> Box<dyn ValueGen> {
    if ty.array_dims > 0 {
        return array_gen(schema, table, ty, name, col, problems);
    }
    let mut rules = [Rules::default()];
    for (domain_name, d) in domain_chain(schema, ty) {
        for check in &d.checks {
            match &check.parsed {
                Some(parsed) => {
                    for cond in &parsed.conditions {
                        let scope = Scope::Value { column: col };
                        apply_condition(scope, cond, &mut rules, &check.pointer, problems);
                    }
                }
                None => problems.push(unsatisfiable_domain_check(col, domain_name, check, true)),
            }
        }
    }
    let [rule] = rules;
    if let Some(allowed) = &rule.allowed {
        let format = format_of(schema, ty);
        let mut items = ColumnBuf::for_format(format);
        for lit in allowed {
            if let Err(why) =
                push_literal(&mut items, format, &Value::String(lit.text().to_owned()))
            {
                problems.push(Problem::new(
                    &col.pointer,
                    format!(
                        "check value `{}` does not fit the elements or fields of column `{}`: {why}",
                        lit.text(),
                        col.name
                    ),
                ));
                return Box::new(Misc {
                    kind: MiscKind::Null,
                });
            }
        }
        return Box::new(Choice::new(items, &[], false));
    }
    default_gen(schema, table, ty, name, &rule, 1000, col, problems)
}

/// The element separator of arrays of `ty`: `;` for `box` (and domains over it, which
/// inherit its delimiter), `,` for every other type.
fn delimiter_of(schema: &Schema, ty: &PgType) -> u8 {
    let base = domain_chain(schema, ty).last().map_or(ty, |(_, d)| &d.base);
    if base.array_dims == 0 && base.base_elem() == Some(BaseType::Box) {
        b';'
    } else {
        b','
    }
}

/// For a foreign key column inside a composite unique key made only of
/// foreign key columns, spread rows over all parent combinations.
fn joint_key(
    table: &Table,
    table_key: u64,
    fk: &crate::schema::ForeignKey,
    counts: &[Count],
) -> Option<Pick> {
    let key = unique_keys(table)
        .into_iter()
        .find(|k| k.columns.len() > 1 && fk.columns.iter().all(|c| k.columns.contains(c)))?;
    let fks: Vec<&crate::schema::ForeignKey> = table
        .foreign_keys
        .iter()
        .filter(|f| f.columns.iter().all(|c| key.columns.contains(c)))
        .collect();
    let covered: usize = fks.iter().map(|f| f.columns.len()).sum();
    if covered != key.columns.len() || fks.len() < 2 {
        return None;
    }
    let sizes: Vec<u64> = fks.iter().map(|f| counts[f.ref_table].0.max(1)).collect();
    let combinations = sizes.iter().try_fold(1u64, |a, &b| a.checked_mul(b))?;
    let pos = fks.iter().position(|f| f.name == fk.name)?;
    let divisor = sizes[pos + 1..].iter().product();
    Some(Pick::Joint {
        key: rng::derive(rng::derive(table_key, "#joint"), key.name),
        combinations,
        divisor,
    })
}

/// The built-in numeric type under `ty` (through domains), for its range.
pub(super) fn numeric_base(schema: &Schema, ty: &PgType) -> Option<BaseType> {
    if ty.array_dims > 0 {
        return None;
    }
    match &ty.elem {
        TypeRef::Base(b) => Some(*b),
        TypeRef::Named(name) => match schema
            .types
            .iter()
            .find(|t| &t.name == name)
            .map(|t| &t.kind)
        {
            Some(UserTypeKind::Domain(d)) => numeric_base(schema, &d.base),
            _ => None,
        },
    }
}

/// A range partition bound: `None` for MINVALUE / MAXVALUE.
fn range_bound(v: &str) -> Option<&str> {
    let unbounded = v.eq_ignore_ascii_case("minvalue") || v.eq_ignore_ascii_case("maxvalue");
    (!unbounded).then_some(v)
}

/// Of two bound literals, the one further in direction `dir`: numbers compare
/// as numbers, anything else (dates, timestamps in ISO form) as text.
fn outer<'a>(a: &'a str, b: &'a str, dir: std::cmp::Ordering) -> &'a str {
    let order = match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal),
        _ => b.cmp(a),
    };
    if order == dir {
        b
    } else {
        a
    }
}

/// The range an explicit generator's numbers must stay in for the type.
fn type_range(base: Option<BaseType>) -> (f64, f64) {
    match base {
        Some(BaseType::Real) => (-f64::from(f32::MAX), f64::from(f32::MAX)),
        Some(b @ (BaseType::SmallInt | BaseType::Integer | BaseType::BigInt)) => int_range(b),
        Some(b @ BaseType::Numeric(Some(_))) => (-numeric_limit(b), numeric_limit(b)),
        _ => (f64::MIN / 4.0, f64::MAX / 4.0),
    }
}

/// Whether `[min, max]` holds a value the column can store: a whole number
/// for integers, a multiple of the scale's step for `numeric(p,s)`.
#[allow(clippy::cast_possible_wrap)]
fn holds_a_value(format: ValueFormat, min: f64, max: f64) -> bool {
    match format {
        ValueFormat::Int => min.ceil() <= max.floor(),
        ValueFormat::Numeric { scale } => {
            let factor = 10f64.powi(scale as i32);
            (min * factor).ceil() <= (max * factor).floor()
        }
        _ => min <= max,
    }
}

pub(super) fn impossible_unique(
    col: &Column,
    rule: &Rules,
    rows: u64,
    values: impl Into<i128>,
) -> Problem {
    let values = values.into();
    let message = format!(
        "column `{}` must be unique over {rows} rows but can take only {values} distinct values",
        col.name
    );
    unique_problem(
        col,
        rule,
        message,
        Some("lower the row count, drop the unique constraint, or widen the column's values"),
    )
}

fn cannot_make_unique(
    col: &Column,
    rule: &Rules,
    name: &str,
    ty: impl std::fmt::Display,
) -> Problem {
    let message = format!("pgmock cannot make `{name}` ({ty}) unique by itself");
    unique_problem(
        col,
        rule,
        message,
        Some("give the column an explicit generator"),
    )
}

/// A problem with making a column unique, at the unique index that asks for
/// it when no constraint does.
fn unique_problem(col: &Column, rule: &Rules, message: String, hint: Option<&str>) -> Problem {
    let Some((pointer, partial)) = &rule.unique_index else {
        let p = Problem::new(&col.pointer, message);
        return match hint {
            Some(h) => p.hint(h),
            None => p,
        };
    };
    let mut p = Problem::new(
        pointer,
        format!("{message} (a unique index makes `{}` unique)", col.name),
    );
    if *partial {
        let trust = "pgmock makes the columns of a partial unique index unique in every row, unless a column that only its `where` uses has an explicit `generator`, which pgmock then trusts to keep the index unique";
        p = p.hint(match hint {
            Some(h) => format!("{h}; {trust}"),
            None => trust.to_owned(),
        });
    } else if let Some(h) = hint {
        p = p.hint(h);
    }
    p
}

fn int_range(b: BaseType) -> (f64, f64) {
    match b {
        BaseType::SmallInt => (-32768.0, 32767.0),
        BaseType::Integer => (-2_147_483_648.0, 2_147_483_647.0),
        _ => (-9.2e18, 9.2e18),
    }
}

#[allow(clippy::cast_precision_loss)]
pub(super) fn numeric_limit(b: BaseType) -> f64 {
    match b {
        BaseType::Numeric(Some((p, s))) => 10f64.powi((p - s) as i32) - 10f64.powi(-(s as i32)),
        BaseType::SmallInt | BaseType::Integer | BaseType::BigInt => int_range(b).1,
        _ => 1e15,
    }
}

/// Numeric defaults by column name: (distribution, min, max).
pub(super) fn numeric_by_name(name: &str) -> (Dist, f64, f64) {
    let n = name.to_ascii_lowercase();
    let has = |w: &[&str]| w.iter().any(|x| n.contains(x));
    if has(&[
        "price", "amount", "total", "cost", "balance", "salary", "fee", "revenue", "subtotal",
        "tax",
    ]) {
        (
            Dist::LogNormal {
                mu: 3.5,
                sigma: 1.0,
            },
            0.01,
            99_999_999.99,
        )
    } else if has(&["quantity", "qty", "stock", "count", "units"]) {
        (Dist::Uniform, 1.0, 20.0)
    } else if has(&["age"]) {
        (Dist::Uniform, 18.0, 90.0)
    } else if has(&["rating", "stars", "score"]) {
        (Dist::Uniform, 1.0, 5.0)
    } else if has(&["latitude"]) || n == "lat" {
        (Dist::Uniform, -90.0, 90.0)
    } else if has(&["longitude"]) || n == "lng" || n == "lon" {
        (Dist::Uniform, -180.0, 180.0)
    } else if has(&["year"]) {
        (Dist::Uniform, 1990.0, 2025.0)
    } else if has(&["percent", "discount", "pct"]) {
        (Dist::Uniform, 0.0, 100.0)
    } else if has(&["weight"]) {
        (
            Dist::LogNormal {
                mu: 1.0,
                sigma: 0.8,
            },
            0.01,
            1000.0,
        )
    } else {
        (Dist::Uniform, 1.0, 1000.0)
    }
}

fn text_by_name(table: &str, name: &str) -> TextKind {
    let n = name.to_ascii_lowercase();
    let t = table.to_ascii_lowercase();
    let has = |w: &[&str]| w.iter().any(|x| n.contains(x));
    if has(&["email", "e_mail"]) {
        TextKind::Email {
            first: None,
            last: None,
            id: None,
        }
    } else if has(&["first_name", "firstname", "given_name", "forename"]) {
        TextKind::FirstName
    } else if has(&["last_name", "lastname", "surname", "family_name"]) {
        TextKind::LastName
    } else if has(&["username", "user_name", "login", "handle", "nickname"]) {
        TextKind::Username
    } else if has(&["phone", "mobile", "fax", "tel"]) {
        TextKind::Phone
    } else if has(&["city", "town"]) {
        TextKind::City
    } else if has(&["country_code", "iso2"]) {
        TextKind::CountryCode
    } else if has(&["country", "nation"]) {
        TextKind::Country
    } else if has(&["state", "province", "region"]) && !has(&["status"]) {
        TextKind::State
    } else if has(&["zip", "postal", "postcode"]) {
        TextKind::Zip
    } else if has(&["address", "street", "line1", "line_1"]) {
        TextKind::Street
    } else if has(&[
        "company",
        "organization",
        "organisation",
        "employer",
        "vendor",
        "supplier",
    ]) {
        TextKind::Company
    } else if has(&["job", "position", "occupation"]) {
        TextKind::JobTitle
    } else if has(&["url", "website", "homepage", "link"]) {
        TextKind::Url
    } else if has(&["currency"]) {
        TextKind::Currency
    } else if has(&["sku", "code", "reference", "ref_no", "number"]) {
        TextKind::Code
    } else if has(&[
        "description",
        "notes",
        "note",
        "comment",
        "bio",
        "body",
        "content",
        "message",
        "summary",
        "text",
    ]) {
        TextKind::Paragraph
    } else if has(&["tag", "keyword", "label", "slug"]) {
        TextKind::Word
    } else if has(&["title", "subject", "headline"]) {
        TextKind::Sentence
    } else if n == "name" || has(&["full_name", "fullname", "display_name", "_name", "contact"]) {
        if ["product", "item", "sku", "article"]
            .iter()
            .any(|w| t.contains(w))
        {
            TextKind::Product
        } else if [
            "compan",
            "organi",
            "vendor",
            "supplier",
            "customer_org",
            "account",
            "tenant",
            "team",
            "brand",
        ]
        .iter()
        .any(|w| t.contains(w))
        {
            TextKind::Company
        } else if [
            "categor",
            "tag",
            "genre",
            "department",
            "role",
            "plan",
            "type",
            "kind",
            "label",
        ]
        .iter()
        .any(|w| t.contains(w))
        {
            TextKind::Word
        } else {
            TextKind::FullName
        }
    } else {
        TextKind::Sentence
    }
}

#[allow(
    clippy::too_many_arguments,
    clippy::too_many_lines,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]
fn default_gen(
    schema: &Schema,
    table: &Table,
    ty: &PgType,
    name: &str,
    rule: &Rules,
    rows: u64,
    col: &Column,
    problems: &mut Vec<Problem>,
) -> Box<dyn ValueGen> {
    let lname = name.to_ascii_lowercase();
    let base = match &ty.elem {
        TypeRef::Base(b) => *b,
        TypeRef::Named(tn) => {
            let user = schema.types.iter().find(|t| &t.name == tn);
            return match user.map(|t| &t.kind) {
                Some(UserTypeKind::Enum(labels)) => {
                    let mut items = ColumnBuf::for_format(ValueFormat::Text);
                    for l in labels {
                        items.nulls.push(false);
                        if let ColumnData::Text(t) = &mut items.data {
                            t.push(l.as_bytes());
                        }
                    }
                    if rule.unique && rows > labels.len() as u64 {
                        problems.push(impossible_unique(col, rule, rows, labels.len() as u64));
                    }
                    Box::new(Choice::new(items, &[], rule.unique))
                }
                // A domain over an array holds an array; the domain's own checks are on
                // the whole array (in `rule` when pgmock understands them).
                Some(UserTypeKind::Domain(d)) if d.base.array_dims > 0 => {
                    array_gen(schema, table, &d.base, name, col, problems)
                }
                Some(UserTypeKind::Domain(d)) => {
                    default_gen(schema, table, &d.base, name, rule, rows, col, problems)
                }
                Some(UserTypeKind::Composite(fields)) => Box::new(Composite {
                    fields: fields
                        .iter()
                        .map(|f| {
                            (
                                nested_gen(schema, table, &f.ty, &f.name, col, problems),
                                format_of(schema, &f.ty),
                            )
                        })
                        .collect(),
                }),
                // Extension types: hstore and ltree have a syntax of their own; citext
                // takes text.
                None if tn == "hstore" => {
                    if rule.unique {
                        problems.push(cannot_make_unique(col, rule, name, tn));
                    }
                    Box::new(Misc {
                        kind: MiscKind::Hstore,
                    })
                }
                None if tn == "ltree" => Box::new(Misc {
                    kind: MiscKind::Ltree {
                        unique: rule.unique,
                    },
                }),
                None => Box::new(Text {
                    kind: text_by_name(&table.name, name),
                    max_len: rule.max_len.map(|n| n as usize),
                    unique: rule.unique,
                    pad_to: None,
                }),
            };
        }
    };
    match base {
        BaseType::SmallInt
        | BaseType::Integer
        | BaseType::BigInt
        | BaseType::Oid
        | BaseType::Numeric(_) => numbers::fixed_point(base, name, rule, rows, col, problems),
        BaseType::Real | BaseType::Double => {
            numbers::floating(base, name, rule, rows, col, problems)
        }
        BaseType::Money => Box::new(Misc {
            kind: MiscKind::Money,
        }),
        BaseType::Text | BaseType::Varchar(_) | BaseType::Char(_) => {
            let limit = match base {
                BaseType::Varchar(Some(n)) | BaseType::Char(n) => Some(u64::from(n)),
                _ => None,
            };
            let max_len = match (limit, rule.max_len) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let mut kind = text_by_name(&table.name, name);
            if let TextKind::Email { .. } = kind {
                kind = email_from_siblings(schema, table);
            }
            if lname == "status" && !rule.unique {
                let mut items = ColumnBuf::for_format(ValueFormat::Text);
                for s in ["active", "inactive", "pending", "suspended"] {
                    items.nulls.push(false);
                    if let ColumnData::Text(t) = &mut items.data {
                        t.push(s.as_bytes());
                    }
                }
                return Box::new(Choice::new(items, &[70.0, 15.0, 10.0, 5.0], false));
            }
            let pad_to = if let BaseType::Char(n) = base {
                Some(n as usize)
            } else {
                None
            };
            Box::new(Text {
                kind,
                max_len: max_len.map(|n| n as usize),
                unique: rule.unique,
                pad_to,
            })
        }
        BaseType::Date | BaseType::Timestamp(_) | BaseType::TimestampTz(_) | BaseType::Time(_) => {
            let is_date = base == BaseType::Date;
            let is_time = matches!(base, BaseType::Time(_));
            let (from, to) = if lname.contains("birth") || lname == "dob" {
                ((1950, 1, 1), (2005, 12, 31))
            } else {
                ((2020, 1, 1), (2025, 1, 1))
            };
            let day0 = i64::from(datetime::days_from_civil(from.0, from.1, from.2));
            let day1 = i64::from(datetime::days_from_civil(to.0, to.1, to.2));
            let (mut min, mut max, granularity) = if is_date {
                (day0, day1, 1)
            } else if is_time {
                (0, DAY - SECOND, SECOND)
            } else {
                (day0 * DAY, day1 * DAY, SECOND)
            };
            let kind = match base {
                BaseType::Date => Temporal::Date,
                BaseType::TimestampTz(_) => Temporal::TimestampTz,
                _ => Temporal::Timestamp,
            };
            let (check_lo, check_hi) = if is_time {
                if rule.has_bounds() {
                    problems.push(
                        Problem::new(&col.pointer, format!("pgmock cannot satisfy the bounds checks put on time column `{name}` by itself"))
                            .hint("give the column an explicit `generator` whose values satisfy them"),
                    );
                }
                (None, None)
            } else {
                bounds::temporal(&rule.lower, &rule.upper, kind)
            };
            let year = 365 * if is_date { 1 } else { DAY };
            if let Some(m) = check_lo {
                min = m;
                if check_hi.is_none() {
                    max = max.max(min.saturating_add(year));
                }
            }
            if let Some(m) = check_hi {
                max = m;
                if check_lo.is_none() {
                    min = min.min(max.saturating_sub(year));
                }
            }
            if min > max {
                let mut p = Problem::new(
                    &col.pointer,
                    format!(
                        "checks on `{name}` leave no possible value ({})",
                        numbers::describe_bounds(name, rule)
                    ),
                );
                if kind == Temporal::TimestampTz {
                    p = p.hint("a `timestamptz` bound without a UTC offset names a different instant in each server time zone, and pgmock keeps to what holds in all of them (UTC-12 to UTC+14): write the bounds with an offset, e.g. '2024-01-01 00:00:00+00'");
                }
                problems.push(p);
                max = min;
            }
            let steps = (max - min) / granularity + 1;
            if rule.unique && u64::try_from(steps).unwrap_or(0) < rows {
                problems.push(impossible_unique(col, rule, rows, steps));
            }
            // `updated_at` follows `created_at` when both exist (and nothing bounds it).
            if !rule.unique
                && !rule.has_bounds()
                && (lname.starts_with("updated") || lname.starts_with("modified"))
            {
                if let Some(created) = table
                    .columns
                    .iter()
                    .position(|c| c.name.to_ascii_lowercase().starts_with("created") && c.ty == *ty)
                {
                    return Box::new(After {
                        base: created,
                        min_delta: 0,
                        max_delta: if is_date { 90 } else { 90 * DAY },
                        unit: granularity,
                    });
                }
            }
            Box::new(Instant {
                min,
                max,
                granularity,
                unique: rule.unique,
            })
        }
        BaseType::Boolean => {
            if rule.unique && rows > 2 {
                problems.push(impossible_unique(col, rule, rows, 2u8));
            }
            let p = if [
                "active",
                "enabled",
                "verified",
                "visible",
                "available",
                "published",
            ]
            .iter()
            .any(|w| lname.contains(w))
            {
                0.85
            } else if ["deleted", "archived", "blocked", "banned", "suspended"]
                .iter()
                .any(|w| lname.contains(w))
            {
                0.05
            } else {
                0.5
            };
            Box::new(Misc {
                kind: MiscKind::Bool(p),
            })
        }
        BaseType::Uuid => Box::new(Misc {
            kind: MiscKind::Uuid,
        }),
        other => {
            let kind = match other {
                BaseType::Json | BaseType::Jsonb => MiscKind::Json,
                BaseType::Bytea => MiscKind::Bytea,
                BaseType::Xml => MiscKind::Xml,
                BaseType::Inet => MiscKind::Inet,
                BaseType::Cidr => MiscKind::Cidr,
                BaseType::MacAddr => MiscKind::MacAddr,
                BaseType::MacAddr8 => MiscKind::MacAddr8,
                BaseType::Bit(n) => MiscKind::Bit(n),
                BaseType::VarBit(n) => MiscKind::VarBit(n.unwrap_or(16)),
                BaseType::TsVector => MiscKind::TsVector,
                BaseType::TsQuery => MiscKind::TsQuery,
                BaseType::Point => MiscKind::Point,
                BaseType::Line => MiscKind::Line,
                BaseType::Lseg => MiscKind::Lseg,
                BaseType::Box => MiscKind::Box,
                BaseType::Path => MiscKind::Path,
                BaseType::Polygon => MiscKind::Polygon,
                BaseType::Circle => MiscKind::Circle,
                BaseType::Range(k) => MiscKind::Range(k),
                BaseType::MultiRange(k) => MiscKind::MultiRange(k),
                BaseType::Interval { fields, .. } => MiscKind::Interval(fields),
                BaseType::TimeTz(_) => MiscKind::TimeTz,
                _ => MiscKind::Null,
            };
            if rule.unique {
                problems.push(cannot_make_unique(col, rule, name, other));
            }
            Box::new(Misc { kind })
        }
    }
}

pub(super) fn null_gen() -> Box<dyn ValueGen> {
    Box::new(Misc {
        kind: MiscKind::Null,
    })
}

/// Appends a literal (JSON value or text) to a buffer of the given format.
pub(super) fn push_literal(
    buf: &mut ColumnBuf,
    format: ValueFormat,
    v: &Value,
) -> Result<(), String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => {
            buf.push_null();
            return Ok(());
        }
        other => return Err(format!("expected a scalar, found {other}")),
    };
    let t = text.trim();
    #[allow(clippy::cast_possible_truncation)]
    match (&mut buf.data, format) {
        (ColumnData::Int(vs), _) => vs.push(
            t.parse::<i64>()
                .map_err(|_| "expected a whole number".to_owned())?,
        ),
        (ColumnData::Float(vs), _) => vs.push(
            t.parse::<f64>()
                .map_err(|_| "expected a number".to_owned())?,
        ),
        (ColumnData::Numeric(vs), ValueFormat::Numeric { scale }) => {
            let f: f64 = t.parse().map_err(|_| "expected a number".to_owned())?;
            vs.push((f * 10f64.powi(scale as i32)).round() as i128);
        }
        (ColumnData::Bool(vs), _) => vs.push(match t.to_ascii_lowercase().as_str() {
            "true" | "t" | "yes" | "on" | "1" => true,
            "false" | "f" | "no" | "off" | "0" => false,
            _ => return Err("expected true or false".into()),
        }),
        (ColumnData::Date(vs), _) => {
            vs.push(datetime::parse_date(t).ok_or("expected a date like 2024-01-31")?)
        }
        (ColumnData::Micros(vs), ValueFormat::Time) => {
            vs.push(datetime::parse_time(t).ok_or("expected a time like 12:30:00")?)
        }
        (ColumnData::Micros(vs), _) => vs.push(
            datetime::parse_timestamp(t).ok_or("expected a timestamp like 2024-01-31 12:00:00")?,
        ),
        (ColumnData::Text(tb), _) => tb.push(text.as_bytes()),
        _ => return Err("this column type cannot take listed values".into()),
    }
    buf.nulls.push(false);
    Ok(())
}

/// Compiles an explicit `generator` of a column.
#[allow(
    clippy::too_many_lines,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]
/// An e-mail generator that builds `first.last.id@domain` from the row's own
/// name columns and single-column integer key, when the table has them.
fn email_from_siblings(schema: &Schema, table: &Table) -> TextKind {
    let find = |pred: &dyn Fn(&str) -> bool| {
        table.columns.iter().position(|c| {
            pred(&c.name.to_ascii_lowercase())
                && format_of(schema, &c.ty) == ValueFormat::Text
                && c.ty.array_dims == 0
        })
    };
    let first = find(&|n| n.contains("first_name") || n == "firstname");
    let last = find(&|n| n.contains("last_name") || n == "lastname" || n == "surname");
    let id = table
        .primary_key
        .as_ref()
        .filter(|k| k.columns.len() == 1)
        .map(|k| k.columns[0])
        .filter(|&c| format_of(schema, &table.columns[c].ty) == ValueFormat::Int);
    TextKind::Email { first, last, id }
}

fn explicit(
    schema: &Schema,
    table: &Table,
    col: &Column,
    spec: &crate::schema::GeneratorSpec,
    rule: &Rules,
    rows: u64,
) -> Result<Box<dyn ValueGen>, Problem> {
    let format = format_of(schema, &col.ty);
    let ptr = &spec.pointer;
    let opt = |k: &str| spec.options.get(k);
    let allowed: &[&str] = match spec.kind.as_str() {
        "sequence" => &["start", "step"],
        "uniform" => &["min", "max"],
        "normal" => &["mean", "std_dev", "min", "max"],
        "lognormal" | "log_normal" => &["mu", "sigma", "min", "max"],
        "weighted" | "choice" => &["values", "weights", "choices"],
        "constant" => &["value"],
        "bool" | "boolean" => &["probability"],
        _ => &[],
    };
    for k in spec.options.keys() {
        if !allowed.contains(&k.as_str()) {
            let mut p = Problem::new(
                child(ptr, k),
                format!("unknown option `{k}` for generator `{}`", spec.kind),
            )
            .at_key();
            if let Some(s) = crate::diagnostic::did_you_mean(k, allowed.iter().copied()) {
                p = p.hint(format!("did you mean `{s}`?"));
            } else if !allowed.is_empty() {
                p = p.hint(format!(
                    "options of `{}`: {}",
                    spec.kind,
                    allowed.join(", ")
                ));
            }
            return Err(p);
        }
    }
    let num = |k: &str| -> Result<Option<f64>, Problem> {
        match opt(k) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| Problem::new(child(ptr, k), format!("`{k}` must be a number"))),
        }
    };
    let temporal = matches!(
        format,
        ValueFormat::Date | ValueFormat::Timestamp | ValueFormat::TimestampTz | ValueFormat::Time
    );
    let bound = |k: &str| -> Result<Option<i64>, Problem> {
        let Some(v) = opt(k) else { return Ok(None) };
        let s = v.as_str().ok_or_else(|| {
            Problem::new(
                child(ptr, k),
                format!("`{k}` must be a date or timestamp string"),
            )
        })?;
        let parsed = match format {
            ValueFormat::Date => datetime::parse_date(s).map(i64::from),
            ValueFormat::Time => datetime::parse_time(s),
            _ => datetime::parse_timestamp(s),
        };
        parsed.map(Some).ok_or_else(|| {
            Problem::new(
                child(ptr, k),
                format!(
                    "cannot read `{s}` as a {}",
                    if format == ValueFormat::Date {
                        "date (YYYY-MM-DD)"
                    } else {
                        "timestamp (YYYY-MM-DD HH:MM:SS)"
                    }
                ),
            )
        })
    };
    let scale = if let ValueFormat::Numeric { scale } = format {
        scale
    } else {
        2
    };
    let numeric_ok = format.is_numeric();
    let need_numeric = || {
        Problem::new(
            ptr,
            format!(
                "generator `{}` makes numbers, but `{}` is not a numeric column",
                spec.kind, col.name
            ),
        )
    };
    Ok(match spec.kind.as_str() {
        "sequence" => {
            if !numeric_ok {
                return Err(need_numeric());
            }
            let start = num("start")?.unwrap_or(1.0);
            let step = num("step")?.unwrap_or(1.0);
            let base = numeric_base(schema, &col.ty);
            let (tlo, thi) = type_range(base);
            let last = start + step * rows.saturating_sub(1) as f64;
            if [start, last].iter().any(|v| !(tlo..=thi).contains(v)) {
                return Err(Problem::new(
                    ptr,
                    format!(
                        "the sequence runs from {start} to {last} over {rows} rows, outside what `{}` can hold ({tlo} to {thi})",
                        base.map_or_else(|| col.name.clone(), |b| b.to_string())
                    ),
                )
                .hint("lower `start` or `step`, or widen the column's type"));
            }
            // Numeric columns hold units of their last digit.
            let (start, step) = match format {
                ValueFormat::Numeric { scale } => {
                    let unit = 10f64.powi(i32::try_from(scale).unwrap_or(0));
                    ((start * unit).round(), (step * unit).round())
                }
                _ => (start, step),
            };
            Box::new(Sequence {
                start: start as i64,
                step: step as i64,
            })
        }
        "uniform" if temporal => {
            let min = bound("min")?.unwrap_or(0);
            let max = bound("max")?.unwrap_or(min + 365 * DAY);
            if min > max {
                return Err(Problem::new(ptr, "`min` is after `max`"));
            }
            let granularity = if format == ValueFormat::Date {
                1
            } else {
                SECOND
            };
            Box::new(Instant {
                min,
                max,
                granularity,
                unique: rule.unique,
            })
        }
        "uniform" | "normal" | "lognormal" | "log_normal" => {
            if !numeric_ok {
                return Err(need_numeric());
            }
            let dist = match spec.kind.as_str() {
                "uniform" => Dist::Uniform,
                "normal" => Dist::Normal {
                    mean: num("mean")?.unwrap_or(0.0),
                    std_dev: num("std_dev")?.unwrap_or(1.0),
                },
                _ => Dist::LogNormal {
                    mu: num("mu")?.unwrap_or(0.0),
                    sigma: num("sigma")?.unwrap_or(1.0),
                },
            };
            // Without `min`/`max`, CHECK bounds apply (exact for integers and numeric).
            let fixed_scale = match format {
                ValueFormat::Int => Some(0),
                ValueFormat::Numeric { scale } => Some(scale),
                _ => None,
            };
            let factor = 10f64.powi(i32::try_from(fixed_scale.unwrap_or(0)).unwrap_or(0));
            let (check_lo, check_hi) = match fixed_scale {
                Some(scale) => bounds::fixed(&rule.lower, &rule.upper, scale),
                None => (None, None),
            };
            let (float_lo, float_hi) = match fixed_scale {
                Some(_) => (
                    check_lo.map(|v| v as f64 / factor),
                    check_hi.map(|v| v as f64 / factor),
                ),
                None => bounds::float(&rule.lower, &rule.upper, format == ValueFormat::Float4),
            };
            let (opt_min, opt_max) = (num("min")?, num("max")?);
            let min = opt_min
                .or(float_lo)
                .unwrap_or(if matches!(dist, Dist::Uniform) {
                    0.0
                } else {
                    f64::MIN / 4.0
                });
            let max = opt_max
                .or(float_hi)
                .unwrap_or(if matches!(dist, Dist::Uniform) {
                    100.0
                } else {
                    f64::MAX / 4.0
                });
            if min > max {
                return Err(Problem::new(
                    ptr,
                    format!("`min` ({min}) is larger than `max` ({max})"),
                ));
            }
            // Values outside the type would make the server reject the rows.
            let base = numeric_base(schema, &col.ty);
            let (tlo, thi) = type_range(base);
            let ty_name = base.map_or_else(|| col.name.clone(), |b| b.to_string());
            for (k, v) in [("min", num("min")?), ("max", num("max")?)] {
                if let Some(v) = v.filter(|v| !(tlo..=thi).contains(v)) {
                    return Err(Problem::new(
                        child(ptr, k),
                        format!("`{k}` ({v}) is outside what `{ty_name}` can hold"),
                    )
                    .hint(format!(
                        "keep `{k}` between {tlo} and {thi}, or widen the column's type"
                    )));
                }
            }
            let (min, max) = (min.max(tlo), max.min(thi));
            // The bounds `Number` keeps to, exactly where a CHECK gave them.
            let exact = fixed_scale.map(|scale| {
                let (type_lo, type_hi) = bounds::fixed_type_range(base, scale);
                let lo = match (opt_min, check_lo) {
                    (None, Some(c)) => c,
                    _ => (min * factor).ceil() as i128,
                };
                let hi = match (opt_max, check_hi) {
                    (None, Some(c)) => c,
                    _ => (max * factor).floor() as i128,
                };
                (lo.max(type_lo), hi.min(type_hi))
            });
            if !holds_a_value(format, min, max) || exact.is_some_and(|(lo, hi)| lo > hi) {
                return Err(Problem::new(
                    ptr,
                    format!("no value of `{ty_name}` lies between `min` ({min}) and `max` ({max})"),
                )
                .hint("widen the range to include at least one value the column can store"));
            }
            Box::new(Number {
                dist,
                min,
                max,
                scale,
                unique: rule.unique && format == ValueFormat::Int,
                rows,
                exact,
            })
        }
        "weighted" | "choice" => {
            let mut items = ColumnBuf::for_format(format);
            let mut weights = Vec::new();
            if let Some(Value::Object(choices)) = opt("choices") {
                for (k, w) in choices {
                    push_literal(&mut items, format, &Value::String(k.clone()))
                        .map_err(|e| Problem::new(child(&child(ptr, "choices"), k), e))?;
                    weights.push(w.as_f64().ok_or_else(|| {
                        Problem::new(child(&child(ptr, "choices"), k), "weights must be numbers")
                    })?);
                }
            } else if let Some(Value::Array(values)) = opt("values") {
                for (i, v) in values.iter().enumerate() {
                    push_literal(&mut items, format, v).map_err(|e| {
                        Problem::new(child(&child(ptr, "values"), &i.to_string()), e)
                    })?;
                }
                if let Some(Value::Array(ws)) = opt("weights") {
                    if ws.len() != values.len() {
                        return Err(Problem::new(
                            child(ptr, "weights"),
                            format!("{} weights for {} values", ws.len(), values.len()),
                        ));
                    }
                    for w in ws {
                        weights.push(w.as_f64().ok_or_else(|| {
                            Problem::new(child(ptr, "weights"), "weights must be numbers")
                        })?);
                    }
                }
            } else {
                return Err(Problem::new(
                    ptr,
                    format!(
                        "generator `{}` needs `values` (a list) or `choices` (value → weight)",
                        spec.kind
                    ),
                ));
            }
            if items.is_empty() {
                return Err(Problem::new(ptr, "no values to choose from"));
            }
            if rule.unique && rows > items.len() as u64 {
                return Err(impossible_unique(col, rule, rows, items.len() as u64));
            }
            Box::new(Choice::new(items, &weights, rule.unique))
        }
        "constant" => {
            let mut items = ColumnBuf::for_format(format);
            push_literal(&mut items, format, opt("value").unwrap_or(&Value::Null))
                .map_err(|e| Problem::new(child(ptr, "value"), e))?;
            Box::new(Choice::new(items, &[], false))
        }
        "null" => {
            if !col.nullable {
                return Err(Problem::new(
                    ptr,
                    format!("generator `null` on NOT NULL column `{}`", col.name),
                ));
            }
            Box::new(Misc {
                kind: MiscKind::Null,
            })
        }
        "bool" | "boolean" => Box::new(Misc {
            kind: MiscKind::Bool(num("probability")?.unwrap_or(0.5)),
        }),
        "uuid" => Box::new(Misc {
            kind: MiscKind::Uuid,
        }),
        other => {
            let kind = match other {
                "first_name" => TextKind::FirstName,
                "last_name" => TextKind::LastName,
                "name" | "full_name" => TextKind::FullName,
                "email" => email_from_siblings(schema, table),
                "username" => TextKind::Username,
                "phone" => TextKind::Phone,
                "city" => TextKind::City,
                "country" => TextKind::Country,
                "country_code" => TextKind::CountryCode,
                "state" => TextKind::State,
                "zip" | "postal_code" => TextKind::Zip,
                "street" | "address" => TextKind::Street,
                "company" => TextKind::Company,
                "job_title" => TextKind::JobTitle,
                "url" => TextKind::Url,
                "currency" => TextKind::Currency,
                "product" => TextKind::Product,
                "code" | "sku" => TextKind::Code,
                "word" => TextKind::Word,
                "sentence" => TextKind::Sentence,
                "paragraph" => TextKind::Paragraph,
                _ => {
                    let mut p = Problem::new(
                        child(ptr, "kind"),
                        format!("unknown generator kind `{other}`"),
                    );
                    if let Some(s) =
                        crate::diagnostic::did_you_mean(other, GENERATOR_KINDS.iter().copied())
                    {
                        p = p.hint(format!("did you mean `{s}`?"));
                    } else {
                        p = p.hint(format!("known kinds: {}", GENERATOR_KINDS.join(", ")));
                    }
                    return Err(p);
                }
            };
            // hstore and ltree values have a syntax that words and sentences do not follow.
            if let TypeRef::Named(ty) = &col.ty.elem {
                if col.ty.array_dims == 0 && (ty == "hstore" || ty == "ltree") {
                    return Err(Problem::new(
                        ptr,
                        format!(
                            "generator `{other}` makes text, but `{}` is an `{ty}` column",
                            col.name
                        ),
                    )
                    .hint(format!(
                        "remove the `generator`: pgmock makes valid `{ty}` values by itself"
                    )));
                }
            }
            if format != ValueFormat::Text || col.ty.array_dims > 0 {
                return Err(Problem::new(
                    ptr,
                    format!(
                        "generator `{other}` makes text, but `{}` is not a text column",
                        col.name
                    ),
                ));
            }
            let max_len = match &col.ty.elem {
                TypeRef::Base(BaseType::Varchar(Some(n)) | BaseType::Char(n)) => Some(*n as usize),
                _ => None,
            };
            Box::new(Text {
                kind,
                max_len,
                unique: rule.unique,
                pad_to: None,
            })
        }
    })
}

/// Every generator kind a column may name.
pub(crate) const GENERATOR_KINDS: &[&str] = &[
    "sequence",
    "uniform",
    "normal",
    "lognormal",
    "weighted",
    "choice",
    "constant",
    "null",
    "bool",
    "uuid",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "username",
    "phone",
    "city",
    "country",
    "country_code",
    "state",
    "zip",
    "street",
    "company",
    "job_title",
    "url",
    "currency",
    "product",
    "code",
    "word",
    "sentence",
    "paragraph",
];
