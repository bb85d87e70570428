//! Which generator each column gets: foreign keys, keys, explicit
//! generators, CHECK bounds, and otherwise a default inferred from the
//! column's name and type (`email` → e-mail, `created_at` → a timestamp...).

use serde_json::Value;

use crate::error::Problem;
use crate::generate::choice::Choice;
use crate::generate::distribution::{Dist, Jittered, Number, Sequence};
use crate::generate::kinds::registry::{Class, Make};
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
use crate::template::params::{nesting, MAX_NESTING};
use crate::value::{ColumnBuf, ColumnData, ValueFormat};

use super::bounds::{self, Bound, Temporal};
use super::keys::{self, mentions, unique_keys, UniqueKey};
use super::numbers;
use super::sequences::{self, SequenceUse};

// One file per way a generator is decided; `columns` below ties them together.
mod column_default;
mod conditions;
pub(in crate::plan) mod custom;
mod declared;
mod defaults;
pub(in crate::plan) mod edges;
mod explicit;
pub(in crate::plan) mod names;
pub(in crate::plan) mod pii;
pub(in crate::plan) mod rules;
mod unique;

pub(super) use self::{conditions::*, defaults::*, explicit::*, unique::*};

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
    pub(super) max_len: Option<u64>,
    /// (other column, strict): this column must be greater than the other.
    after: Option<(usize, bool)>,
    pub(super) unique: bool,
    /// When only a unique index makes the column unique: its pointer, and
    /// whether it is partial (for messages).
    unique_index: Option<(String, bool)>,
    pub(super) not_null: bool,
    /// Whose identity the column describes ([`names::whos`]), when known
    /// for its table; worked out per column otherwise.
    who: Option<u64>,
}

impl Rules {
    pub(super) fn has_bounds(&self) -> bool {
        !self.lower.is_empty() || !self.upper.is_empty()
    }
}

/// What planning one table needs to know of the whole run.
pub(super) struct TableCtx<'a> {
    /// The schema.
    pub(super) schema: &'a Schema,
    /// The table's index.
    pub(super) ti: usize,
    /// The table's key (seed and table hashed).
    pub(super) table_key: u64,
    /// Every table's row count and per-parent mapping.
    pub(super) counts: &'a [Count],
    /// This table's per-parent mapping.
    pub(super) per_parent: Option<&'a PerParent>,
    /// Share of edge values (`--edge-cases`), 0 for none.
    pub(super) edge_cases: f64,
}

/// State planning carries from table to table.
pub(super) struct Across {
    /// Values taken from stand-alone sequences so far.
    pub(super) uses: SequenceUse,
    /// Which tables read which others' rows.
    pub(super) lookups: rules::Lookups,
}

/// Compiles the generators of table `ti`.
pub(super) fn columns(
    t: &TableCtx<'_>,
    across: &mut Across,
    problems: &mut Vec<Problem>,
) -> Vec<ColumnGen> {
    let TableCtx {
        schema,
        ti,
        table_key,
        counts,
        per_parent,
        edge_cases,
    } = *t;
    let uses = &mut across.uses;
    let table = &schema.tables[ti];
    let rows = counts[ti].0;
    let mut rules = vec![Rules::default(); table.columns.len()];
    collect_rules(schema, table, &mut rules, problems);
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    for (rule, who) in rules.iter_mut().zip(names::whos(&names)) {
        rule.who = Some(who);
    }
    let mut out = Vec::with_capacity(table.columns.len());
    for (ci, col) in table.columns.iter().enumerate() {
        let key = rng::derive(table_key, &col.name);
        let format = format_of(schema, &col.ty);
        column_default::check(schema, col, problems);
        let reported = problems.len();
        let mut why = String::new();
        let gen = column_gen(
            schema, ti, ci, table_key, rows, counts, per_parent, &rules, uses, problems, &mut why,
        );
        if let Some((base, _)) = rules[ci].after.filter(|_| problems.len() == reported) {
            // Only the generator that follows the earlier column keeps the
            // order; a key, a foreign key, a counter or a value list would
            // ignore it (an explicit generator is trusted, as with CHECKs).
            if col.generator.is_none() && !gen.inputs().contains(&base) {
                problems.push(
                    Problem::new(
                        &col.pointer,
                        format!(
                            "pgmock cannot keep `{}` after `{}`: its values come from a key, a foreign key or a list of values",
                            col.name, table.columns[base].name
                        ),
                    )
                    .hint("give the column an explicit `generator` whose values satisfy the check, or drop the check"),
                );
            }
        }
        // The child rows of a per-parent table always have their parent.
        let parent_link = per_parent.is_some_and(|pp| {
            table
                .foreign_keys
                .iter()
                .any(|fk| fk.ref_table == pp.parent && fk.columns.contains(&ci))
        });
        let can_be_null = col.nullable
            && !rules[ci].not_null
            && !rules[ci].unique
            && !parent_link
            && col.generated.is_none();
        // A kind may bring NULLs of its own (`deleted_at` is mostly NULL), unless the column says.
        let default_ratio = table.null_ratio.unwrap_or(schema.null_ratio);
        let null_ratio = match col.null_ratio {
            _ if !can_be_null => 0.0,
            Some(r) => r,
            None if col.generator.is_none() => {
                kind_null_ratio(schema, col).map_or(default_ratio, |r| r.max(default_ratio))
            }
            None => default_ratio,
        };
        let edges = edges::for_column(
            schema,
            table,
            ci,
            &rules[ci],
            gen.as_ref(),
            can_be_null,
            edge_cases,
        );
        out.push(ColumnGen {
            name: col.name.clone(),
            why,
            gen,
            format,
            null_ratio,
            key,
            edges,
            memo: std::sync::OnceLock::new(),
        });
    }
    rules::apply(schema, ti, &rules, &mut out, &mut across.lookups, problems);
    rules::aggregates(schema, ti, &mut out, &mut across.lookups, problems);
    for c in cyclic_inputs(&out) {
        let col = &table.columns[c];
        let at = col
            .derive
            .as_deref()
            .or(col.template.as_deref())
            .map_or(col.pointer.as_str(), |(_, p)| p.as_str());
        problems.push(
            Problem::new(
                at,
                format!(
                    "`{}` depends on itself through the columns it is computed from",
                    col.name
                ),
            )
            .hint("break the cycle: one of the columns must get its values another way"),
        );
        out[c].gen = null_gen();
    }
    out
}

fn is_key(table: &Table, ci: usize) -> bool {
    table
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns.contains(&ci))
}

/// Columns whose inputs lead back to themselves (a filled row would read a
/// value not made yet).
fn cyclic_inputs(out: &[ColumnGen]) -> Vec<usize> {
    let mut cyclic = Vec::new();
    for start in 0..out.len() {
        let mut stack = out[start].gen.inputs();
        let mut seen = vec![false; out.len()];
        while let Some(c) = stack.pop() {
            if c == start {
                cyclic.push(start);
                break;
            }
            if c < out.len() && !seen[c] {
                seen[c] = true;
                stack.extend(out[c].gen.inputs());
            }
        }
    }
    cyclic
}

/// A column computed from its row: `derive` (arithmetic) or `template` (Tera text).
fn derived(
    schema: &Schema,
    table: &Table,
    col: &Column,
    problems: &mut Vec<Problem>,
    why: &mut String,
) -> Option<Box<dyn ValueGen>> {
    use crate::generate::derived::{Derived, Input, Templated};
    let column_of = |name: &str| table.columns.iter().position(|c| c.name == name);
    let unknown = |pointer: &str, name: &str| {
        let mut p = Problem::new(
            pointer,
            format!("`{name}` is not a column of `{}`", table.name),
        );
        // `random` is a name `derive` knows besides the columns.
        let known = table
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .chain(col.derive.is_some().then_some("random"));
        if let Some(s) = crate::diagnostic::did_you_mean(name, known) {
            p = p.hint(format!("did you mean `{s}`?"));
        }
        p
    };
    let both = |pointer: &str| {
        Problem::new(
            pointer,
            format!("`{}` has both a rule and a `generator`; keep one", col.name),
        )
    };
    if let Some((expr, pointer)) = col.derive.as_deref() {
        if col.generator.is_some() || col.template.is_some() {
            problems.push(both(pointer));
        }
        let parsed = match <exmex::DeepEx<f64> as exmex::Express<f64>>::parse(expr) {
            Ok(p) => p,
            Err(e) => {
                problems.push(Problem::new(pointer, format!("cannot read `{expr}` as an arithmetic expression: {e}")).hint("use column names, numbers, + - * / ^, parentheses and functions such as round, abs, min, max"));
                return Some(null_gen());
            }
        };
        let mut inputs = Vec::new();
        for name in exmex::Express::var_names(&parsed) {
            match column_of(name) {
                Some(c)
                    if c == table
                        .columns
                        .iter()
                        .position(|x| x.name == col.name)
                        .unwrap_or(usize::MAX) =>
                {
                    problems.push(Problem::new(
                        pointer,
                        format!("`{}` cannot be derived from itself", col.name),
                    ));
                }
                Some(c) => inputs.push(Input::Column(c, format_of(schema, &table.columns[c].ty))),
                None if name == "random" => inputs.push(Input::Random),
                None => problems.push(unknown(pointer, name)),
            }
        }
        let format = format_of(schema, &col.ty);
        let instant = matches!(
            format,
            ValueFormat::Date | ValueFormat::Timestamp | ValueFormat::TimestampTz
        );
        if !format.is_numeric() && format != ValueFormat::Text && !instant {
            problems.push(Problem::new(
                pointer,
                format!(
                    "`derive` makes numbers, dates or timestamps, but `{}` is none of them",
                    col.name
                ),
            ));
        }
        *why = format!("derived: `{expr}`");
        return Some(Box::new(Derived {
            limit: type_limit(schema, &col.ty),
            fallback: (!col.nullable).then_some(0.0),
            source: expr.to_owned(),
            inputs,
            format,
        }));
    }
    if let Some((source, pointer)) = col.template.as_deref() {
        if col.generator.is_some() {
            problems.push(both(pointer));
        }
        let depth = nesting(source);
        if depth > MAX_NESTING {
            problems.push(
                Problem::new(
                    pointer,
                    format!("the template nests {depth} levels deep; at most {MAX_NESTING} are supported"),
                )
                .hint("split it into named generators, or nest fewer `{% if %}` blocks and parentheses"),
            );
            return Some(null_gen());
        }
        let mut tera = tera::Tera::default();
        if let Err(e) = tera.add_raw_template("t", source) {
            let detail =
                std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string);
            problems.push(Problem::new(
                pointer,
                format!("cannot read the template: {}", detail.trim()),
            ));
            return Some(null_gen());
        }
        if format_of(schema, &col.ty) != ValueFormat::Text {
            problems.push(Problem::new(
                pointer,
                format!(
                    "`template` makes text, but `{}` is not a text column",
                    col.name
                ),
            ));
        }
        // The columns it names: identifiers inside `{{ }}` and `{% %}`.
        let mut inputs = Vec::new();
        for block in source.split("{{").skip(1).chain(source.split("{%").skip(1)) {
            let inner = block.split(['}', '%']).next().unwrap_or("");
            for word in inner.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if let Some(c) = column_of(word) {
                    if !inputs.iter().any(|(_, x, _)| *x == c) && table.columns[c].name != col.name
                    {
                        inputs.push((word.to_owned(), c, format_of(schema, &table.columns[c].ty)));
                    }
                }
            }
        }
        *why = format!("template: `{source}`");
        let max_len = match numeric_base(schema, &col.ty) {
            Some(BaseType::Varchar(Some(n)) | BaseType::Char(n)) => usize::try_from(n).ok(),
            _ => None,
        };
        return Some(Box::new(Templated {
            source: source.clone(),
            inputs,
            max_len,
            nullable: col.nullable,
        }));
    }
    None
}

/// The most parent rows a Zipf pick tabulates (8 bytes each).
const MAX_ZIPF_PARENTS: u64 = 1 << 21;

/// The share of NULLs a column's inferred kind brings (`deleted_at`: mostly NULL).
fn kind_null_ratio(schema: &Schema, col: &Column) -> Option<f64> {
    names::infer(&col.name, class_of(schema, &col.ty)?).and_then(|(k, _)| k.null_ratio)
}

/// Which kinds of the registry a column of type `ty` can take by its name.
pub(super) fn class_of(schema: &Schema, ty: &PgType) -> Option<Class> {
    Some(match format_of(schema, ty) {
        ValueFormat::Date | ValueFormat::Timestamp | ValueFormat::TimestampTz => Class::Time,
        ValueFormat::Text => Class::Text,
        ValueFormat::Bool => Class::Bool,
        ValueFormat::Int
        | ValueFormat::Numeric { .. }
        | ValueFormat::Float4
        | ValueFormat::Float8 => Class::Number,
        _ => return None,
    })
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
        TypeRef::Named(_) => {
            domain(schema, &ty.elem).map_or(ValueFormat::Text, |d| format_of(schema, &d.base))
        }
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
    why: &mut String,
) -> Box<dyn ValueGen> {
    let table = &schema.tables[ti];
    let col = &table.columns[ci];
    let rule = &rules[ci];
    if col.generated.is_some() {
        *why = "a generated column: the server computes it".into();
        return Box::new(Misc {
            kind: MiscKind::Null,
        });
    }
    // Foreign keys first: their values must exist in the parent.
    if let Some(fk) = table.foreign_keys.iter().find(|f| f.columns.contains(&ci)) {
        let comp = fk.columns.iter().position(|&c| c == ci).unwrap_or(0);
        let parent_rows = counts[fk.ref_table].0;
        // Keyed by the foreign key, not the column: every column of a composite
        // foreign key must pick the same parent row. Foreign keys that share a
        // column (`(id, day)` and `(code, day)` into one table) must all pick the
        // same row too, so they are keyed by the table they reference.
        let shared: Vec<&crate::schema::ForeignKey> = table
            .foreign_keys
            .iter()
            .filter(|f| f.name != fk.name && f.columns.iter().any(|c| fk.columns.contains(c)))
            .collect();
        let fk_key = if shared.is_empty() {
            rng::derive(rng::derive(table_key, "#fk"), &fk.name)
        } else {
            if let Some(other) = shared.iter().find(|f| f.ref_table != fk.ref_table) {
                if col.generator.is_none() {
                    problems.push(
                        Problem::new(
                            &fk.pointer,
                            format!(
                                "foreign keys `{}` and `{}` share a column but reference different tables, so no row can satisfy both",
                                fk.name, other.name
                            ),
                        )
                        .hint("give the shared column an explicit `generator`, or use separate columns"),
                    );
                }
            }
            let parent = &schema.tables[fk.ref_table];
            rng::derive(
                rng::derive(table_key, "#fk-shared"),
                &format!("{}.{}", parent.schema, parent.name),
            )
        };
        // A foreign key unique by itself is one-to-one: keys that contain it are unique already.
        let fk_unique = fk.columns.iter().any(|&c| rules[c].unique);
        let pick = if per_parent.is_some_and(|pp| pp.parent == fk.ref_table) {
            Pick::PerParent
        } else if fk.ref_table == ti && !rule.unique {
            Pick::Earlier { key: fk_key }
        } else if let Some(distinct) =
            distinct_within_parent(table, fk, per_parent, fk_key).filter(|_| !fk_unique)
        {
            if let crate::schema::RowCount::PerParent { max, .. } = table.rows {
                if max > parent_rows {
                    problems.push(
                        Problem::new(
                            &fk.pointer,
                            format!(
                                "each parent row takes up to {max} rows here, but the unique key with `{}` allows only {parent_rows} (the rows of `{}`) per parent",
                                col.name, schema.tables[fk.ref_table].name
                            ),
                        )
                        .hint(format!("set the table's `rows.max` to at most {parent_rows}, or give `{}` more rows", schema.tables[fk.ref_table].name)),
                    );
                }
            }
            distinct
        } else if let Some(joint) = joint_key(table, table_key, fk, counts).filter(|_| !fk_unique) {
            if let Pick::Joint { combinations, .. } = joint {
                // Reported once, by the key's last component (divisor 1).
                let last = matches!(joint, Pick::Joint { divisor: 1, .. });
                if rows > combinations && col.generator.is_none() && last {
                    problems.push(
                        Problem::new(
                            &fk.pointer,
                            format!(
                                "the unique key over foreign keys of `{}` has {combinations} combinations of parent rows, fewer than the table's {rows} rows",
                                table.name
                            ),
                        )
                        .hint(format!("give `{}` at most {combinations} rows, or its parents more", table.name)),
                    );
                }
            }
            joint
        } else if let Some(d) = col
            .distribution
            .as_ref()
            .filter(|d| d.kind == "zipf" && rule.unique)
        {
            problems.push(
                Problem::new(&d.pointer, format!("`{}` is unique, so it takes each parent row once; a Zipf `distribution` cannot apply", col.name))
                    .hint("drop the `distribution`, or the uniqueness"),
            );
            Pick::Random { key: fk_key }
        } else if let Some(d) = col.distribution.as_ref().filter(|d| d.kind == "zipf") {
            let exponent = d
                .options
                .get("exponent")
                .and_then(Value::as_f64)
                .unwrap_or(1.0);
            if !(exponent > 0.0 && exponent.is_finite()) {
                problems.push(Problem::new(
                    child(&d.pointer, "exponent"),
                    format!("`exponent` must be a number above 0, found {exponent}"),
                ));
                Pick::Random { key: fk_key }
            } else if parent_rows > MAX_ZIPF_PARENTS {
                problems.push(
                    Problem::new(&d.pointer, format!("a Zipf pick tabulates its parents, and `{}` has {parent_rows} rows, more than {MAX_ZIPF_PARENTS}", schema.tables[fk.ref_table].name))
                        .hint("drop the `distribution` for parents this large"),
                );
                Pick::Random { key: fk_key }
            } else {
                Pick::Zipf {
                    key: fk_key,
                    table: crate::generate::reference::zipf_alias(parent_rows, exponent, fk_key),
                }
            }
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
        if let Some(spec) = &col.generator {
            // Its values are the parent's keys: a generator would be ignored, and
            // the CHECKs it was trusted with could fail.
            problems.push(
                Problem::new(
                    &spec.pointer,
                    format!(
                        "`{}` is a foreign key to `{}`: its values come from there, so a `generator` cannot apply",
                        col.name, schema.tables[fk.ref_table].name
                    ),
                )
                .hint("drop the `generator`; to choose how parents are picked, use `distribution` (e.g. `{\"kind\": \"zipf\"}`)"),
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
        if rule.unique
            && !matches!(pick, Pick::Joint { .. } | Pick::Distinct { .. })
            && parent_rows < rows
        {
            let message = format!("unique column `{}` references `{}`, which has only {parent_rows} rows for {rows} rows here", col.name, schema.tables[fk.ref_table].name);
            problems.push(unique_problem(col, rule, message, None));
        }
        let parent = &schema.tables[fk.ref_table];
        *why = format!(
            "foreign key `{}` to `{}.{}`: {}",
            fk.name,
            parent.name,
            parent.columns[fk.ref_columns[comp]].name,
            match pick {
                Pick::PerParent => "each row's own parent (rows are counted per parent)",
                Pick::Earlier { .. } => "an earlier row of the same table",
                Pick::Joint { .. } => "parent rows spread so the key stays unique",
                Pick::Distinct { .. } => "a different parent row for each row of the same parent, so the key stays unique",
                Pick::Random { .. } => "a random parent row",
                Pick::Zipf { .. } => "parent rows by a Zipf law (a few parents take most rows)",
            }
        );
        let mut r = Reference {
            parent: fk.ref_table,
            parent_column: fk.ref_columns[comp],
            parent_rows,
            pick,
        };
        // A unique column of a composite foreign key makes the whole key
        // one-to-one: every column of it must take the same permutation.
        if fk_unique && matches!(r.pick, Pick::Random { .. }) {
            // One-to-one: a permutation of the parent rows (of its own rows
            // for a self-reference, which may then form cycles; foreign keys
            // are created after the data, so any order loads).
            r.pick = Pick::Joint {
                key: fk_key,
                combinations: parent_rows.max(1),
                divisor: 1,
            };
        }
        return Box::new(r);
    }
    // Line numbers within a parent: the non-FK integer column of a per-parent
    // table's composite key (its primary key, or a unique key beside a surrogate one).
    // A column unique on its own (a surrogate `id`) is no line number.
    let line_key = !rule.unique
        && table.primary_key.iter().chain(&table.uniques).any(|k| {
            k.columns.len() > 1 && k.columns.contains(&ci) && keyed_by_parent(table, &k.columns)
        });
    if per_parent.is_some()
        && line_key
        && format_of(schema, &col.ty) == ValueFormat::Int
        && col.generator.is_none()
    {
        if let crate::schema::RowCount::PerParent { max, .. } = table.rows {
            let last = i128::from(max.clamp(1, super::MAX_ROWS));
            if let Some(p) = sequences::counter_problem(schema, col, rule, (1, last), rows, true) {
                problems.push(p);
            }
        }
        *why = "line number within its parent (part of a composite key)".into();
        return Box::new(LocalSequence { start: 1 });
    }
    if rule.unique && col.ty.array_dims > 0 && col.generator.is_none() && rows > 1 {
        problems.push(
            Problem::new(
                &col.pointer,
                format!("pgmock cannot make the arrays of `{}` unique", col.name),
            )
            .hint("drop the uniqueness, or give the column an explicit `generator` whose values are unique"),
        );
        return null_gen();
    }
    if let Some((text, _)) = col.aggregate.as_deref() {
        // Filled in by `rules::apply`, which knows which tables read which.
        *why = format!("aggregate: `{text}`");
        return null_gen();
    }
    if let Some(g) = derived(schema, table, col, problems, why) {
        return g;
    }
    if let Some(spec) = &col.generator {
        if let Some(g) = schema.generators.iter().find(|g| g.name == spec.kind) {
            *why = format!("named generator `{}`", g.name);
            if let Some(k) = spec.options.keys().next() {
                problems.push(
                    Problem::new(
                        child(&spec.pointer, k),
                        format!(
                            "unknown option `{k}`: named generator `{}` takes no options",
                            g.name
                        ),
                    )
                    .at_key()
                    .hint(format!(
                        "change the definition at `/generators/{}` instead",
                        g.name
                    )),
                );
                return null_gen();
            }
            return custom::custom(schema, table, col, g, rule, rows, &spec.pointer)
                .unwrap_or_else(|p| {
                    problems.extend(p);
                    null_gen()
                });
        }
        if let Some(g) = named_kind(schema, table, col, spec, rule, rows, problems, why) {
            return g;
        }
        *why = format!("explicit generator `{}`", spec.kind);
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
            *why = "its default takes values from a sequence".into();
            return sequences::from_sequence(schema, col, rule, seq, rows, uses, problems);
        }
    }
    let counter = col.identity.is_some() || col.serial.is_some();
    if counter && rule.allowed.is_some() && rows > 0 {
        problems.push(
            Problem::new(
                &col.pointer,
                format!(
                    "`{}` counts 1, 2, 3, … (serial or identity), so it cannot keep to a list of allowed values",
                    col.name
                ),
            )
            .hint("drop the `IN` (or `=`) check, or make the column a plain integer"),
        );
        return null_gen();
    }
    // A key with a list of allowed values takes them (below), not 1, 2, 3.
    let key_counter = rule.unique
        && rule.allowed.is_none()
        && is_key(table, ci)
        && format == ValueFormat::Int
        && table
            .primary_key
            .as_ref()
            .is_some_and(|k| k.columns.len() == 1);
    if counter || key_counter {
        match sequences::counter_problem(schema, col, rule, (1, i128::from(rows)), rows, false) {
            None => {
                *why = if counter {
                    "serial or identity column: 1, 2, 3, …".into()
                } else {
                    "one-column integer primary key: 1, 2, 3, …".into()
                };
                return Box::new(Sequence { start: 1, step: 1 });
            }
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
        if let Err(p) = push_allowed(&mut items, format, allowed, col, "column") {
            problems.push(p);
            return null_gen();
        }
        if rule.unique && rows > items.len() as u64 {
            problems.push(impossible_unique(col, rule, rows, items.len() as u64));
        }
        *why = "a CHECK lists its values".into();
        return Box::new(Choice::new(items, &[], rule.unique));
    }
    if let Some((base, strict)) = rule.after {
        *why = format!("a CHECK keeps it after `{}`", table.columns[base].name);
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
        let base_format = format_of(schema, &table.columns[base].ty);
        let orderable = matches!(
            format,
            ValueFormat::Int
                | ValueFormat::Numeric { .. }
                | ValueFormat::Float4
                | ValueFormat::Float8
                | ValueFormat::Date
                | ValueFormat::Timestamp
                | ValueFormat::TimestampTz
                | ValueFormat::Time
        );
        if !orderable || base_format != format || col.ty.array_dims > 0 {
            // The value is the earlier one plus a step, in the same units.
            problems.push(
                Problem::new(
                    &col.pointer,
                    format!(
                        "pgmock can keep `{}` after `{}` only when both are numbers or dates/times of the same type",
                        col.name, table.columns[base].name
                    ),
                )
                .hint("give the column an explicit `generator` whose values satisfy the check"),
            );
            return null_gen();
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
            nullable: col.nullable && !rule.not_null,
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
    if let Some(g) = custom::named_like(schema, col) {
        *why = format!("name matches named generator `{}`", g.name);
        return custom::custom(schema, table, col, g, rule, rows, &col.pointer).unwrap_or_else(
            |p| {
                problems.extend(p);
                null_gen()
            },
        );
    }
    if col.ty.array_dims > 0 {
        *why =
            "an array of up to 4 elements, each inferred from the column's name and element type"
                .into();
        return array_gen(schema, table, &col.ty, &col.name, col, problems);
    }
    default_gen(
        schema, table, &col.ty, &col.name, rule, rows, col, problems, why,
    )
}

/// A number, date/time or boolean kind of the registry named as a column's
/// generator (`"generator": "price"`): the column gets what a column called
/// like the kind would, within its own type and checks.
#[allow(clippy::too_many_arguments)]
fn named_kind(
    schema: &Schema,
    table: &Table,
    col: &Column,
    spec: &crate::schema::GeneratorSpec,
    rule: &Rules,
    rows: u64,
    problems: &mut Vec<Problem>,
    why: &mut String,
) -> Option<Box<dyn ValueGen>> {
    let kind = crate::generate::kinds::registry::by_name(&spec.kind)
        .filter(|k| k.class != Class::Text && !DISTRIBUTION_KINDS.contains(&k.name))?;
    let format = format_of(schema, &col.ty);
    let fits = match kind.class {
        Class::Number => format.is_numeric(),
        Class::Time => format.is_temporal(),
        Class::Bool => format == ValueFormat::Bool,
        Class::Text => false,
    };
    let what = match kind.class {
        Class::Number => "numbers",
        Class::Time => "dates and times",
        _ => "booleans",
    };
    if !fits || col.ty.array_dims > 0 {
        problems.push(Problem::new(
            &spec.pointer,
            format!(
                "kind `{}` makes {what}, but `{}` is a `{}`",
                kind.name,
                col.name,
                crate::dump::ddl::type_sql(schema, &col.ty)
            ),
        ));
        return Some(null_gen());
    }
    if let Some(k) = spec.options.keys().next() {
        problems.push(
            Problem::new(child(&spec.pointer, k), format!("unknown option `{k}`: kind `{}` takes no options", kind.name))
                .at_key()
                .hint("for a range of your own, use `uniform`, `normal` or `lognormal` with `min` and `max`"),
        );
        return Some(null_gen());
    }
    // The kind's own name pattern infers the kind back (`"unit price"` → `price`).
    let alias = kind
        .names
        .first()
        .map_or(kind.name.to_owned(), |n| n.replace(' ', "_"));
    let g = default_gen(
        schema, table, &col.ty, &alias, rule, rows, col, problems, why,
    );
    *why = format!("explicit generator `{}`: {why}", kind.name);
    Some(g)
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
        if let Err(p) = push_allowed(
            &mut items,
            format,
            allowed,
            col,
            "the elements or fields of column",
        ) {
            problems.push(p);
            return null_gen();
        }
        return Box::new(Choice::new(items, &[], false));
    }
    let mut why = String::new();
    default_gen(
        schema, table, ty, name, &rule, 1000, col, problems, &mut why,
    )
}

/// Stores the values a check allows as the choices of `col` (or of values
/// nested in it, as `what` says); the first that does not fit is the error.
fn push_allowed<'a>(
    items: &mut ColumnBuf,
    format: ValueFormat,
    allowed: impl IntoIterator<Item = &'a Literal>,
    col: &Column,
    what: &str,
) -> Result<(), Problem> {
    for lit in allowed {
        push_literal(items, format, &Value::String(lit.text().to_owned())).map_err(|why| {
            Problem::new(
                &col.pointer,
                format!(
                    "check value `{}` does not fit {what} `{}`: {why}",
                    lit.text(),
                    col.name
                ),
            )
        })?;
    }
    Ok(())
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

/// Whether `key` holds a column of a foreign key to the parent a per-parent
/// table is counted by (which names the parent row): then a line number 1, 2,
/// 3 per parent keeps the key unique.
pub(super) fn keyed_by_parent(table: &Table, key: &[usize]) -> bool {
    let crate::schema::RowCount::PerParent { parent, .. } = table.rows else {
        return false;
    };
    table
        .foreign_keys
        .iter()
        .any(|f| f.ref_table == parent && f.columns.iter().any(|c| key.contains(c)))
}

/// For a per-parent table whose unique key is its parent's foreign key plus
/// `fk`: rows of one parent take distinct rows of `fk`'s table.
fn distinct_within_parent(
    table: &Table,
    fk: &crate::schema::ForeignKey,
    per_parent: Option<&PerParent>,
    fk_key: u64,
) -> Option<Pick> {
    let pp = per_parent.filter(|pp| pp.parent != fk.ref_table)?;
    let own = table
        .foreign_keys
        .iter()
        .find(|f| f.ref_table == pp.parent)?;
    unique_keys(table).into_iter().find(|k| {
        k.columns.len() == own.columns.len() + fk.columns.len()
            && own
                .columns
                .iter()
                .chain(&fk.columns)
                .all(|c| k.columns.contains(c))
    })?;
    Some(Pick::Distinct { key: fk_key })
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
        TypeRef::Named(_) => domain(schema, &ty.elem).and_then(|d| numeric_base(schema, &d.base)),
    }
}

/// The largest magnitude a number column's type holds (`numeric(5,2)`: 999.99).
pub(super) fn type_limit(schema: &Schema, ty: &PgType) -> f64 {
    match numeric_base(schema, ty) {
        Some(BaseType::Real) => f64::from(f32::MAX),
        Some(
            b @ (BaseType::SmallInt
            | BaseType::Integer
            | BaseType::BigInt
            | BaseType::Numeric(Some(_))),
        ) => numeric_limit(b),
        _ => f64::MAX,
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
            // Exact decimal arithmetic (no trip through f64), rounded half
            // away from zero to the column's scale as the server rounds.
            let (floor, ceil) = bounds::scaled(t, scale + 1)
                .ok_or_else(|| "expected a finite decimal number".to_owned())?;
            if floor == i128::MAX || ceil == i128::MIN || floor.unsigned_abs() > 10u128.pow(38) {
                return Err("expected a number that fits `numeric`".into());
            }
            // Digits past the tenths only decide the rounding when they are
            // the tie; truncating toward zero keeps the tenths digit exact.
            let tenths = if floor < 0 { ceil } else { floor };
            let (q, r) = (tenths / 10, tenths % 10);
            vs.push(if r >= 5 {
                q + 1
            } else if r <= -5 {
                q - 1
            } else {
                q
            });
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
