//! What a table's checks, keys, domains and partitions ask of each column,
//! gathered into [`Rules`] before any generator is chosen.

use super::*;

pub(in crate::plan) fn collect_rules(
    schema: &Schema,
    table: &Table,
    rules: &mut [Rules],
    problems: &mut Vec<Problem>,
) {
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
    let keys = unique_keys(table);
    let mut unique_alone = vec![false; table.columns.len()];
    for key in keys.iter().filter(|k| k.columns.len() == 1) {
        make_unique(key.columns[0], key);
        unique_alone[key.columns[0]] = true;
    }
    // A composite key is unique when one of its columns is. Columns made only of
    // foreign keys are spread over parent combinations instead (see `joint_key`).
    let fk_cols: Vec<usize> = table
        .foreign_keys
        .iter()
        .flat_map(|f| f.columns.iter().copied())
        .collect();
    for key in keys.iter().filter(|k| k.columns.len() > 1) {
        if key.columns.iter().any(|&c| unique_alone[c]) {
            continue;
        }
        // Line numbers (see `column_gen`) keep primary and unique constraints, not indexes.
        let line_number = key.index.is_none() && keyed_by_parent(table, &key.columns);
        // The column with the most room: one no check narrows, of a type
        // with many values, whatever order the key lists them in.
        let best = key
            .columns
            .iter()
            .copied()
            .filter(|c| !fk_cols.contains(c))
            .min_by_key(|&c| uniqueness_cost(schema, table, c));
        if let Some(c) = best.filter(|_| !line_number) {
            make_unique(c, key);
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
            if let Err((message, hint)) = literals_fit(schema, table, cond) {
                problems.push(Problem::new(&check.pointer, message).hint(hint));
                continue;
            }
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
        if !has_default && pb.strategy != crate::schema::PartitionStrategy::Hash {
            // NULL keys fit only a default partition (or a list naming NULL).
            let lists_null = bounds.iter().any(|b| {
                matches!(b, crate::schema::PartitionBound::List(v)
                    if v.iter().any(|x| x.eq_ignore_ascii_case("null")))
            });
            if !lists_null {
                for &c in &pb.columns {
                    rules[c].not_null = true;
                }
            }
            if pb.columns.len() == 1 {
                range_gaps(table, &bounds, problems);
            }
        }
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
pub(in crate::plan) fn domain<'s>(schema: &'s Schema, elem: &TypeRef) -> Option<&'s Domain> {
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
pub(in crate::plan) fn domain_chain<'s>(
    schema: &'s Schema,
    ty: &PgType,
) -> Vec<(&'s str, &'s Domain)> {
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
pub(in crate::plan) fn unsatisfiable_domain_check(
    col: &Column,
    domain: &str,
    check: &Check,
    nested: bool,
) -> Problem {
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
pub(in crate::plan) enum Scope<'a> {
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

pub(in crate::plan) fn rename_value(cond: &Condition, col: &str) -> Condition {
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

pub(in crate::plan) fn apply_condition(
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
                if *op == CmpOp::Lt && *n == 0 {
                    problems.push(
                        Problem::new(pointer, format!("no text has a length below 0: `length({column}) < 0` admits only NULL"))
                            .hint("fix the bound (e.g. `length(col) <= 40`), or drop the check"),
                    );
                    return;
                }
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
            let (later, earlier, strict) = match op {
                CmpOp::Lt => (r, l, true),
                CmpOp::Le => (r, l, false),
                CmpOp::Gt => (l, r, true),
                CmpOp::Ge => (l, r, false),
                _ => return unsupported(scope, l, cond, pointer, problems),
            };
            // Other checks may already order the two the other way round
            // (`a < b` and `b < a`): no row can satisfy both.
            let mut at = Some(earlier);
            let mut steps = 0;
            while let Some(c) = at.filter(|_| steps <= rules.len()) {
                if c == later {
                    problems.push(
                        Problem::new(
                            pointer,
                            format!(
                                "this check contradicts the others: `{left} {op} {right}` cannot hold where they already require `{left}` to be the {}",
                                if later == l { "smaller" } else { "larger" }
                            ),
                        )
                        .hint("no row can satisfy all of these checks: remove or reverse one"),
                    );
                    return;
                }
                at = rules[c].after.map(|(base, _)| base);
                steps += 1;
            }
            rules[later].after = Some((earlier, strict));
        }
    }
}

/// Narrows a column's allowed values: every `IN` list and `=` that applies
/// to it (a domain's, the column's, a list partition's) must hold at once.
/// Values compare by their text, so `1` and `'1'` are the same value.
pub(in crate::plan) fn restrict_allowed(rule: &mut Rules, values: Vec<Literal>) {
    rule.allowed = Some(match rule.allowed.take() {
        None => values,
        Some(old) => old
            .into_iter()
            .filter(|v| values.iter().any(|w| w.text() == v.text()))
            .collect(),
    });
}

pub(in crate::plan) fn unsupported(
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
pub(in crate::plan) fn describe_condition(cond: &Condition) -> String {
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

/// A range partition bound: `None` for MINVALUE / MAXVALUE.
pub(in crate::plan) fn range_bound(v: &str) -> Option<&str> {
    let unbounded = v.eq_ignore_ascii_case("minvalue") || v.eq_ignore_ascii_case("maxvalue");
    (!unbounded).then_some(v)
}

/// Of two bound literals, the one further in direction `dir`: numbers compare
/// as numbers, anything else (dates, timestamps in ISO form) as text.
pub(in crate::plan) fn outer<'a>(a: &'a str, b: &'a str, dir: std::cmp::Ordering) -> &'a str {
    if compare_bound(b, a) == dir {
        b
    } else {
        a
    }
}

/// The order of two range bound literals: MINVALUE first and MAXVALUE last,
/// numbers as numbers, anything else (dates, timestamps in ISO form) as text.
fn compare_bound(a: &str, b: &str) -> std::cmp::Ordering {
    let rank = |v: &str| {
        if v.eq_ignore_ascii_case("minvalue") {
            0
        } else if v.eq_ignore_ascii_case("maxvalue") {
            2
        } else {
            1
        }
    };
    rank(a).cmp(&rank(b)).then_with(
        || match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            _ => a.cmp(b),
        },
    )
}

/// Reports the holes between a single-column key's range partitions when no
/// default partition takes the rows that fall there.
fn range_gaps(
    table: &Table,
    bounds: &[&crate::schema::PartitionBound],
    problems: &mut Vec<Problem>,
) {
    let mut ranges: Vec<(&str, &str)> = bounds
        .iter()
        .filter_map(|b| match b {
            crate::schema::PartitionBound::Range { from, to } => {
                Some((from.first()?.as_str(), to.first()?.as_str()))
            }
            _ => None,
        })
        .collect();
    ranges.sort_by(|a, b| compare_bound(a.0, b.0));
    for pair in ranges.windows(2) {
        let (to, from) = (pair[0].1, pair[1].0);
        if compare_bound(to, from) != std::cmp::Ordering::Equal {
            problems.push(
                Problem::new(
                    format!("{}/partitions", table.pointer),
                    format!(
                        "rows of `{}` with a key from {to} up to {from} would fit no partition",
                        table.name
                    ),
                )
                .hint("close the gap between the range partitions, or add one with `\"default\": true`"),
            );
        }
    }
}

/// How poor a choice column `c` is to carry a composite key's uniqueness
/// (lower is better): narrowed by a check, then few values by type.
fn uniqueness_cost(schema: &Schema, table: &Table, c: usize) -> (bool, u8) {
    let col = &table.columns[c];
    let checked = table.checks.iter().any(|k| mentions(&k.expr, &col.name))
        || domain(schema, &col.ty.elem).is_some();
    let room = if col.ty.array_dims > 0 {
        1
    } else {
        match &col.ty.elem {
            TypeRef::Base(BaseType::Boolean) => 3,
            TypeRef::Base(BaseType::SmallInt) => 1,
            TypeRef::Base(_) => 0,
            TypeRef::Named(_) => 2,
        }
    };
    (checked || col.generator.is_some(), room)
}

/// Whether the literals of a check's condition are of its column's type:
/// the server refuses `created_at > 0` (no operator), `id = 'new'` on a
/// number (bad input) and `length(n)` on a number (no function).
fn literals_fit(schema: &Schema, table: &Table, cond: &Condition) -> Result<(), (String, String)> {
    let same_type = || {
        "compare a column with a literal of its own type (quote dates: `'2024-01-31'`)".to_owned()
    };
    let (column, literals): (&str, Vec<&Literal>) = match cond {
        Condition::Compare { column, value, .. } => (column, vec![value]),
        Condition::In { column, values } => (column, values.iter().collect()),
        Condition::Length { column, .. } => {
            let Some(c) = table.column(column) else {
                return Ok(());
            };
            let col = &table.columns[c];
            let bytes =
                matches!(col.ty.elem, TypeRef::Base(BaseType::Bytea)) && col.ty.array_dims == 0;
            if schema.is_text(&col.ty) || bytes {
                return Ok(());
            }
            return Err((
                format!("`length({column})`: `{column}` is not text, and `length` takes text"),
                format!("cast it: `length({column}::text)`"),
            ));
        }
        _ => return Ok(()),
    };
    let Some(c) = table.column(column) else {
        return Ok(());
    };
    let col = &table.columns[c];
    if col.ty.array_dims > 0 {
        return Ok(());
    }
    let format = format_of(schema, &col.ty);
    let numeric = matches!(
        format,
        ValueFormat::Int | ValueFormat::Float4 | ValueFormat::Float8 | ValueFormat::Numeric { .. }
    );
    for lit in literals {
        match lit {
            Literal::Number(n) if !numeric => {
                return Err((
                    format!(
                        "the check compares `{column}`, which is not a number, with the number {n}"
                    ),
                    same_type(),
                ));
            }
            Literal::Number(_) => {}
            // PostgreSQL reads dates and times in more ways than pgmock
            // (`'today'`, `'Jan 5 2020'`, a time after a date): left to it.
            Literal::Text(_)
                if matches!(
                    format,
                    ValueFormat::Date
                        | ValueFormat::Timestamp
                        | ValueFormat::TimestampTz
                        | ValueFormat::Time
                ) => {}
            Literal::Text(t) => {
                super::explicit::literal_fits(schema, col, format, t).map_err(|e| {
                    (
                        format!("the check compares `{column}` with '{t}': {e}"),
                        same_type(),
                    )
                })?;
            }
        }
    }
    Ok(())
}
