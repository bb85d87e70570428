//! The plan stage: everything decided before the first row.
//!
//! Input: a [`Schema`] and [`PlanOptions`] (seed, scale, row overrides).
//! Output: a [`Plan`]: final row counts, the order table data is written in
//! (parents first), and a compiled generator for every column
//! ([`Dataset`]). Every check that can fail early fails here (impossible
//! uniqueness, CHECKs pgmock cannot satisfy), with the JSON path of the cause.

mod bounds;
mod cycles;
mod infer;
mod keys;
mod numbers;
pub mod partition;
pub mod pghash;
mod sequences;

use std::collections::HashMap;

use crate::error::Problem;
use crate::generate::{rng, Dataset, PerParent, TableGen};
use crate::schema::{RowCount, Schema};

pub use infer::pii::PiiLook;

/// How column `ci` of table `ti` looks, when its name or generator makes it
/// look like direct PII (an e-mail address, a person's name, an IBAN).
#[must_use]
pub fn pii_look(schema: &Schema, ti: usize, ci: usize) -> Option<PiiLook> {
    let table = &schema.tables[ti];
    infer::pii::look(schema, table, &table.columns[ci])
}

/// Options that shape the data but not the schema.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Run seed (from `--seed` or the project).
    pub seed: u64,
    /// Global row-count factor (`--scale`); 1.0 when not given.
    pub scale: Option<f64>,
    /// Exact row counts by table name (`--rows TABLE=N`).
    pub rows: HashMap<String, u64>,
    /// Share of values replaced by edge cases (`--edge-cases`), 0 for none.
    pub edge_cases: f64,
}

/// The compiled run.
#[derive(Debug)]
pub struct Plan {
    /// Per-table generators and row counts (indexed like `Schema::tables`).
    pub dataset: Dataset,
    /// Table indices in data order: referenced tables before referencing ones.
    pub data_order: Vec<usize>,
    /// Non-fatal notes for the user (e.g. a foreign key cycle in a data-only dump).
    pub warnings: Vec<String>,
    /// Per table: for a partitioned table whose rows pgmock can route itself,
    /// the router (then each partition gets its own TABLE DATA entry).
    pub routers: Vec<Option<partition::Router>>,
    /// Per stand-alone sequence (indexed like `Schema::sequences`): the last
    /// value column defaults took from it (`nextval(...)`), if they took any.
    pub sequence_values: Vec<Option<i64>>,
}

impl Plan {
    /// Compiles `schema`; returns every problem found.
    pub fn build(schema: &Schema, options: &PlanOptions) -> Result<Self, Vec<Problem>> {
        let mut problems = infer::check_locales(schema);
        problems.extend(infer::custom::check_generators(schema));
        for name in options.rows.keys() {
            if !schema
                .tables
                .iter()
                .any(|t| &t.name == name || format!("{}.{}", t.schema, t.name) == *name)
            {
                problems.push(Problem::new(
                    "",
                    format!("`--rows` names unknown table `{name}`"),
                ));
            }
        }
        let counts = row_counts(schema, options, &mut problems);
        let mut across = infer::Across {
            uses: sequences::SequenceUse::new(schema),
            lookups: infer::rules::Lookups::default(),
        };
        let mut tables = Vec::with_capacity(schema.tables.len());
        for (ti, table) in schema.tables.iter().enumerate() {
            let key = rng::table_key(options.seed, &table.schema, &table.name);
            let (rows, per_parent) = counts[ti].clone();
            let ctx = infer::TableCtx {
                schema,
                ti,
                table_key: key,
                counts: &counts,
                per_parent: per_parent.as_ref(),
                edge_cases: options.edge_cases,
            };
            let columns = infer::columns(&ctx, &mut across, &mut problems);
            let fill_order = fill_order(&columns);
            tables.push(TableGen {
                name: format!("{}.{}", table.schema, table.name),
                key,
                rows,
                columns,
                fill_order,
                per_parent,
            });
        }
        if problems.is_empty() {
            problems.extend(cycles::check(schema, &tables));
        }
        infer::edges::drop_read(&mut tables);
        sequence_starts(schema, &mut problems);
        narrow_references(schema, &tables, &mut problems);
        let sequence_values = across.uses.last_values(schema);
        let (data_order, cyclic) = data_order(schema);
        let mut warnings = Vec::new();
        if cyclic {
            warnings.push("foreign keys form a cycle: a data-only dump (-a) cannot be loaded in one pass with the constraints in place".to_owned());
        }
        let routers = (0..schema.tables.len())
            .map(|ti| {
                let formats: Vec<_> = tables[ti].columns.iter().map(|c| c.format).collect();
                partition::Router::build(schema, ti, &formats)
            })
            .collect();
        if problems.is_empty() {
            Ok(Self {
                dataset: Dataset { tables },
                data_order,
                warnings,
                routers,
                sequence_values,
            })
        } else {
            Err(problems)
        }
    }
}

type Count = (u64, Option<PerParent>);

/// A foreign key column of a narrower integer type than the key it
/// references cannot hold the parent's larger values (a `smallint` column
/// referencing a counter that passes 32767).
fn narrow_references(schema: &Schema, tables: &[TableGen], problems: &mut Vec<Problem>) {
    for (ti, table) in schema.tables.iter().enumerate() {
        if tables[ti].rows == 0 {
            continue;
        }
        for fk in &table.foreign_keys {
            let parent = &tables[fk.ref_table];
            for (&c, &pc) in fk.columns.iter().zip(&fk.ref_columns) {
                let col = &table.columns[c];
                let Some((start, step)) = parent.columns[pc].gen.linear() else {
                    continue;
                };
                if parent.rows == 0
                    || tables[ti].columns[c].format != crate::value::ValueFormat::Int
                {
                    continue;
                }
                let last = i128::from(start) + i128::from(step) * i128::from(parent.rows - 1);
                let (lo, hi) = (i128::from(start).min(last), i128::from(start).max(last));
                let base = infer::numeric_base(schema, &col.ty);
                let (type_lo, type_hi) = bounds::fixed_type_range(base, 0);
                if lo < type_lo || hi > type_hi {
                    let parent_table = &schema.tables[fk.ref_table];
                    let ty = base.map_or_else(|| col.name.clone(), |b| b.to_string());
                    problems.push(
                        Problem::new(
                            &fk.pointer,
                            format!(
                                "`{}` ({ty}) references `{}.{}`, whose values run from {lo} to {hi}, beyond what `{ty}` can hold",
                                col.name, parent_table.name, parent_table.columns[pc].name
                            ),
                        )
                        .hint("give the column the type of the key it references"),
                    );
                }
            }
        }
    }
}

/// A sequence whose `start` lies outside its `min`/`max` cannot be created.
fn sequence_starts(schema: &Schema, problems: &mut Vec<Problem>) {
    for s in &schema.sequences {
        let (min, max) = sequences::limits(s);
        if !(min..=max).contains(&s.start) {
            problems.push(
                Problem::new(
                    crate::source_map::child(&crate::source_map::child("/sequences", &s.name), "start"),
                    format!(
                        "sequence `{}` starts at {}, outside its limits ({min} to {max})",
                        s.name, s.start
                    ),
                )
                .hint("set `start` between `min` and `max` (a descending sequence needs a negative `start` unless `max` is given)"),
            );
        }
    }
}

/// The most rows a table may have: ten billion, a dump of a terabyte or
/// more, and far from where row arithmetic could overflow or the one pass
/// over a parent's rows for per-parent counts would take long.
pub const MAX_ROWS: u64 = 10_000_000_000;

fn row_counts(schema: &Schema, options: &PlanOptions, problems: &mut Vec<Problem>) -> Vec<Count> {
    let n = schema.tables.len();
    let mut out: Vec<Option<Count>> = vec![None; n];
    // Per-parent counts need their parent's count first: each table is
    // resolved after the chain of parents above it, so every table is
    // looked at a bounded number of times (passes over all tables until
    // nothing changed took quadratic time on long chains).
    let parent_of = |i: usize| match &schema.tables[i].rows {
        RowCount::PerParent { parent, .. } if schema.tables[i].partition_of.is_none() => {
            Some(*parent)
        }
        _ => None,
    };
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    let mut in_chain = vec![false; n];
    for start in 0..n {
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| !placed[i] && !in_chain[i]) {
            in_chain[i] = true;
            chain.push(i);
            at = parent_of(i);
        }
        for &i in chain.iter().rev() {
            placed[i] = true;
            order.push(i);
        }
    }
    let mut resolve = |i: usize, out: &mut Vec<Option<Count>>| {
        let t = &schema.tables[i];
        let overridden = options
            .rows
            .get(&t.name)
            .or_else(|| options.rows.get(&format!("{}.{}", t.schema, t.name)));
        out[i] = match (&t.rows, overridden) {
            _ if t.partition_of.is_some() => Some((0, None)),
            (_, Some(&rows)) => Some((rows, None)),
            (RowCount::Exact(rows), None) => Some((scaled(*rows, t.fixed, options.scale), None)),
            (
                RowCount::PerParent {
                    parent,
                    min,
                    max,
                    mean,
                },
                None,
            ) => out[*parent].as_ref().map(|(prows, _)| {
                let key = rng::derive(
                    rng::table_key(options.seed, &t.schema, &t.name),
                    "#per-parent",
                );
                let (min, max) = ((*min).min(MAX_ROWS), (*max).min(MAX_ROWS));
                let pp = PerParent::new(*parent, *prows, (min, max, *mean), key);
                (pp.total, Some(pp))
            }),
        };
        if let Some((rows, _)) = &out[i] {
            if *rows > MAX_ROWS {
                problems.push(
                    Problem::new(
                        format!("{}/rows", t.pointer),
                        format!("table `{}` would have {rows} rows, more than pgmock can write ({MAX_ROWS})", t.name),
                    )
                    .hint("lower `rows`, `--rows` or `--scale`"),
                );
                out[i] = Some((0, None));
            }
        }
    };
    for &i in &order {
        resolve(i, &mut out);
    }
    // Only a `--rows` override inside a cycle of per-parent counts leaves
    // tables that a further pass resolves.
    while order.iter().any(|&i| out[i].is_none()) {
        let unresolved: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| out[i].is_none())
            .collect();
        for &i in &unresolved {
            resolve(i, &mut out);
        }
        if unresolved.iter().all(|&i| out[i].is_none()) {
            break;
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, c)| {
            c.unwrap_or_else(|| {
                problems.push(Problem::new(
                    format!("{}/rows/per", schema.tables[i].pointer),
                    "per-parent row counts form a cycle",
                ));
                (0, None)
            })
        })
        .collect()
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn scaled(rows: u64, fixed: bool, scale: Option<f64>) -> u64 {
    match scale {
        Some(s) if !fixed && rows > 0 => ((rows as f64 * s).round() as u64).max(1),
        _ => rows,
    }
}

fn fill_order(columns: &[crate::generate::ColumnGen]) -> Vec<usize> {
    let mut order = Vec::new();
    let mut state = vec![0u8; columns.len()];
    fn visit(
        c: usize,
        columns: &[crate::generate::ColumnGen],
        state: &mut [u8],
        order: &mut Vec<usize>,
    ) {
        if state[c] != 0 {
            return;
        }
        state[c] = 1;
        for d in columns[c].gen.inputs() {
            if d < columns.len() && state[d] == 0 {
                visit(d, columns, state, order);
            }
        }
        state[c] = 2;
        order.push(c);
    }
    for c in 0..columns.len() {
        visit(c, columns, &mut state, &mut order);
    }
    order
}

/// Tables sorted so that referenced tables come first (ties by schema and
/// name, as pg_dump sorts); returns whether a cycle had to be broken.
fn data_order(schema: &Schema) -> (Vec<usize>, bool) {
    let n = schema.tables.len();
    let deps: Vec<Vec<usize>> = schema
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut d: Vec<usize> = t
                .foreign_keys
                .iter()
                .map(|f| f.ref_table)
                .filter(|&r| r != i)
                .collect();
            if let Some((p, _)) = &t.partition_of {
                d.push(*p);
            }
            d
        })
        .collect();
    let mut by_name: Vec<usize> = (0..n).collect();
    by_name.sort_by(|&a, &b| {
        (&schema.tables[a].schema, &schema.tables[a].name)
            .cmp(&(&schema.tables[b].schema, &schema.tables[b].name))
    });
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut cyclic = false;
    while order.len() < n {
        let next = by_name
            .iter()
            .copied()
            .find(|&i| !done[i] && deps[i].iter().all(|&d| done[d]));
        let pick = next.unwrap_or_else(|| {
            cyclic = true;
            by_name.iter().copied().find(|&i| !done[i]).unwrap_or(0)
        });
        done[pick] = true;
        order.push(pick);
    }
    (order, cyclic)
}
