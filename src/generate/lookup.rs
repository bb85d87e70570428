//! Values that depend on other values: a child's timestamp after its parent
//! row's, and columns that are NULL unless the row's status says otherwise.
//! Both stay pure functions of (seed, table, column, row): the parent row is
//! recomputed from the foreign key's pick, and the parent's value from the
//! parent's generators (design.md §2), never held in memory.

use super::reference::Reference;
use super::rng;
use super::{FillCtx, ValueGen};
use crate::value::{ColumnBuf, ColumnData, ValueFormat};

/// The parent row of each row of the chunk: read back from the foreign key
/// column's value when the parent's key counts linearly (`id` = start +
/// row × step, as serial keys do), else recomputed from the key's pick.
fn parent_rows(ctx: &FillCtx<'_>, via: &Reference, fk: Option<usize>) -> Vec<u64> {
    let key = &ctx.dataset.tables[via.parent].columns[via.parent_column];
    let linear = key.gen.linear().filter(|_| key.null_ratio == 0.0);
    ctx.rows
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            if let (Some(c), Some((start, step))) = (fk, linear) {
                if let Some(v) = ctx
                    .columns
                    .get(c)
                    .and_then(|b| b.int(i))
                    .filter(|_| step != 0)
                {
                    if let Ok(row) = u64::try_from((v - start) / step) {
                        return row;
                    }
                }
            }
            via.parent_row(ctx, i, r)
        })
        .collect()
}

/// A date or timestamp a random delay after a column of the row's parent
/// (`orders.ordered_at` after its customer's `created_at`).
#[derive(Debug)]
pub struct AfterParent {
    /// How the parent row is found (the foreign key's own pick).
    pub via: Reference,
    /// The foreign key column, whose value gives the parent row back when
    /// the parent's key counts linearly.
    pub fk: Option<usize>,
    /// The parent's column to follow.
    pub column: usize,
    /// Smallest delay, in the column's units (days for dates, µs otherwise).
    pub min_delta: i64,
    /// Largest delay.
    pub max_delta: i64,
    /// Delays are whole multiples of this (1 day, 1 s).
    pub unit: i64,
    /// Where the value goes when the parent has no value: drawn by this generator.
    pub fallback: Box<dyn ValueGen>,
    /// When the column's own generator is a time series: values are drawn
    /// from it after the parent's, instead of a delay (orders keep their
    /// seasons and still follow the customer's sign-up).
    pub series: Option<crate::generate::timeseries::TimeSeries>,
}

impl ValueGen for AfterParent {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let prows = parent_rows(ctx, &self.via, self.fk);
        let parent = ctx
            .dataset
            .column_values(self.via.parent, self.column, &prows);
        let mut fallback = out.empty_like();
        self.fallback.fill(ctx, &mut fallback);
        let unit = self.unit.max(1);
        let span = u64::try_from((self.max_delta - self.min_delta) / unit).unwrap_or(0) + 1;
        // Children counted per this parent come in time order: child k of n
        // takes a random point of the k-th of n equal slices.
        let siblings = ctx
            .parents
            .zip(ctx.dataset.tables[ctx.table].per_parent.as_ref())
            .filter(|(_, pp)| pp.parent == self.via.parent)
            .map(|(located, _)| located);
        for (i, &row) in ctx.rows.iter().enumerate() {
            let mut u = rng::unit(rng::mix(ctx.key ^ rng::mix(row)));
            if let Some(located) = siblings {
                let (_, k, n) = located[i];
                #[allow(clippy::cast_precision_loss)]
                let n = n.max(k + 1) as f64;
                #[allow(clippy::cast_precision_loss)]
                let slot = k as f64;
                u = (slot + u) / n;
            }
            let x = rng::mix(ctx.key ^ rng::mix(row) ^ 0x7153);
            let drawn = match (&self.series, &parent.data) {
                (Some(series), ColumnData::Micros(p) | ColumnData::Int(p)) if !parent.nulls[i] => {
                    series.after(p[i], u, x)
                }
                (Some(series), ColumnData::Date(p)) if !parent.nulls[i] => {
                    series.after(i64::from(p[i]), u, x)
                }
                _ => None,
            };
            if let Some(v) = drawn {
                match &mut out.data {
                    ColumnData::Micros(o) => o.push(v),
                    ColumnData::Date(o) => o.push(i32::try_from(v).unwrap_or(i32::MAX)),
                    _ => {}
                }
                out.nulls.push(false);
                continue;
            }
            // Skewed towards short delays: most orders follow sign-up soon, some years later.
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_precision_loss,
                clippy::cast_sign_loss
            )]
            let delta = self.min_delta + (u * u * span as f64) as i64 * unit;
            match (&parent.data, &mut out.data) {
                (ColumnData::Micros(p), ColumnData::Micros(v)) if !parent.nulls[i] => {
                    v.push(p[i].saturating_add(delta));
                    out.nulls.push(false);
                }
                (ColumnData::Date(p), ColumnData::Date(v)) if !parent.nulls[i] => {
                    v.push(p[i].saturating_add(i32::try_from(delta).unwrap_or(i32::MAX)));
                    out.nulls.push(false);
                }
                _ => out.push_from(&fallback, i),
            }
        }
    }

    fn inputs(&self) -> Vec<usize> {
        self.fk.into_iter().collect()
    }

    fn reads(&self) -> Vec<(usize, usize)> {
        let mut out = vec![(self.via.parent, self.column)];
        out.extend(self.fallback.reads());
        out
    }
}

/// Pairs of (parent value, this column's value), as text bytes.
pub type Translation = Vec<(Vec<u8>, Vec<u8>)>;

/// The value of a column of the row's parent (an order item's `unit_price`
/// is its product's `price`; an order's `currency` its customer's).
#[derive(Debug)]
pub struct FromParent {
    /// How the parent row is found (the foreign key's own pick).
    pub via: Reference,
    /// The foreign key column, whose value gives the parent row back when
    /// the parent's key counts linearly.
    pub fk: Option<usize>,
    /// The parent's column to copy.
    pub column: usize,
    /// Parent value → this column's value, compared in the parent column's
    /// text form (its format given); `None` copies the value as it is.
    pub map: Option<(ValueFormat, Translation)>,
}

impl ValueGen for FromParent {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let prows = parent_rows(ctx, &self.via, self.fk);
        let parent = ctx
            .dataset
            .column_values(self.via.parent, self.column, &prows);
        let Some((format, map)) = &self.map else {
            for i in 0..prows.len() {
                out.push_from(&parent, i);
            }
            return;
        };
        let mut text = Vec::new();
        for i in 0..prows.len() {
            text.clear();
            let to = (!parent.nulls[i])
                .then(|| {
                    parent.write_text(*format, i, &mut text);
                    map.iter().find(|(k, _)| *k == text).map(|(_, v)| v)
                })
                .flatten();
            match (to, &mut out.data) {
                (Some(v), ColumnData::Text(t)) => {
                    t.push(v);
                    out.nulls.push(false);
                }
                _ => out.push_null(),
            }
        }
    }

    fn inputs(&self) -> Vec<usize> {
        self.fk.into_iter().collect()
    }

    fn reads(&self) -> Vec<(usize, usize)> {
        vec![(self.via.parent, self.column)]
    }
}

/// Another generator's values, NULL where the row's status column holds none
/// of `allowed` (`shipped_at` only for shipped and delivered orders).
#[derive(Debug)]
pub struct WhenStatus {
    /// The status column.
    pub status: usize,
    /// Status values whose rows keep a value.
    pub allowed: Vec<Vec<u8>>,
    /// The values.
    pub inner: Box<dyn ValueGen>,
}

impl ValueGen for WhenStatus {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let start = out.nulls.len();
        self.inner.fill(ctx, out);
        let status = &ctx.columns[self.status];
        let format = ctx.dataset.tables[ctx.table].columns[self.status].format;
        let mut text = Vec::new();
        for i in 0..ctx.rows.len() {
            let keep = match &status.data {
                _ if status.nulls[i] => false,
                ColumnData::Text(t) => {
                    let v = t.get(i);
                    self.allowed.iter().any(|a| a.as_slice() == v)
                }
                // Numbers, booleans and dates compare in their text form (`t`, `2.50`).
                _ => {
                    text.clear();
                    status.write_text(format, i, &mut text);
                    self.allowed.contains(&text)
                }
            };
            if !keep {
                out.set_null(start + i);
            }
        }
    }

    fn inputs(&self) -> Vec<usize> {
        let mut v = self.inner.inputs();
        v.push(self.status);
        v
    }

    fn reads(&self) -> Vec<(usize, usize)> {
        self.inner.reads()
    }
}

/// What an aggregate computes over a parent's children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// Sum of the values (0 without children).
    Sum,
    /// Number of children.
    Count,
    /// Smallest value (NULL without children).
    Min,
    /// Largest value (NULL without children).
    Max,
    /// Mean value (NULL without children).
    Avg,
}

/// A parent's column computed over its children (`orders.total =
/// sum(order_items.line_total)`), for children counted per parent: their rows
/// are consecutive, so they are recomputed, never stored.
#[derive(Debug)]
pub struct OverChildren {
    /// What to compute.
    pub aggregate: Aggregate,
    /// The child table (its rows are counted per row of this table).
    pub child: usize,
    /// The child's column (ignored for `count`).
    pub column: usize,
    /// The child column's format.
    pub child_format: crate::value::ValueFormat,
    /// This column's format.
    pub format: crate::value::ValueFormat,
    /// The largest magnitude this column's type holds: results beyond it are
    /// cut to it, so the row still loads.
    pub limit: f64,
}

impl ValueGen for OverChildren {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let Some(pp) = ctx.dataset.tables[self.child].per_parent.as_ref() else {
            for _ in ctx.rows {
                out.push_null();
            }
            return;
        };
        // Each parent's children: (first child row, count); consecutive parents reuse the previous start.
        let mut spans = Vec::with_capacity(ctx.rows.len());
        let mut prev: Option<(u64, u64, u64)> = None;
        for &p in ctx.rows {
            let first = match prev {
                Some((q, first, n)) if q + 1 == p => first + n,
                _ => pp.first_child(p),
            };
            let n = pp.count(p);
            spans.push((first, n));
            prev = Some((p, first, n));
        }
        let child_rows: Vec<u64> = spans.iter().flat_map(|&(f, n)| f..f + n).collect();
        let values = if self.aggregate == Aggregate::Count || child_rows.is_empty() {
            None
        } else {
            Some(
                ctx.dataset
                    .column_values(self.child, self.column, &child_rows),
            )
        };
        let mut at = 0usize;
        for &(_, n) in &spans {
            let n = usize::try_from(n).unwrap_or(0);
            let mut acc: Option<f64> = None;
            let mut seen = 0u32;
            if let Some(v) = &values {
                for i in at..at + n {
                    let Some(x) = v.number(self.child_format, i) else {
                        continue;
                    };
                    seen += 1;
                    acc = Some(match (self.aggregate, acc) {
                        (_, None) => x,
                        (Aggregate::Min, Some(a)) => a.min(x),
                        (Aggregate::Max, Some(a)) => a.max(x),
                        (_, Some(a)) => a + x,
                    });
                }
            }
            at += n;
            #[allow(clippy::cast_precision_loss)]
            let value = match self.aggregate {
                Aggregate::Count => Some(n as f64),
                Aggregate::Sum => Some(acc.unwrap_or(0.0)),
                Aggregate::Avg => acc.map(|a| a / f64::from(seen.max(1))),
                Aggregate::Min | Aggregate::Max => acc,
            };
            out.push_number(self.format, value.map(|v| v.clamp(-self.limit, self.limit)));
        }
    }

    fn reads(&self) -> Vec<(usize, usize)> {
        vec![(self.child, self.column)]
    }
}

/// Where a date or time bound comes from: a column of the row, or of the
/// row's parent (found through the foreign key's own pick).
#[derive(Debug)]
pub enum BoundFrom {
    /// A column of the same row.
    Row(usize),
    /// A column of the parent row.
    Parent {
        /// How the parent row is found.
        via: Reference,
        /// The foreign key column.
        fk: Option<usize>,
        /// The parent's column.
        column: usize,
    },
}

impl BoundFrom {
    /// The bound's values for the chunk: the row's column as it is, or the
    /// parents' recomputed.
    fn load<'a>(&self, ctx: &'a FillCtx<'_>) -> std::borrow::Cow<'a, ColumnBuf> {
        match self {
            Self::Row(c) => std::borrow::Cow::Borrowed(&ctx.columns[*c]),
            Self::Parent { via, fk, column } => {
                let prows = parent_rows(ctx, via, *fk);
                std::borrow::Cow::Owned(ctx.dataset.column_values(via.parent, *column, &prows))
            }
        }
    }

    fn inputs(&self) -> Vec<usize> {
        match self {
            Self::Row(c) => vec![*c],
            Self::Parent { fk, .. } => fk.iter().copied().collect(),
        }
    }

    fn reads(&self) -> Vec<(usize, usize)> {
        match self {
            Self::Row(_) => Vec::new(),
            Self::Parent { via, column, .. } => vec![(via.parent, *column)],
        }
    }
}

/// A date or timestamp (days or µs) at `i`, if there is one.
fn instant(buf: &ColumnBuf, i: usize) -> Option<i64> {
    if buf.nulls.get(i).copied().unwrap_or(true) {
        return None;
    }
    match &buf.data {
        ColumnData::Micros(v) => v.get(i).copied(),
        ColumnData::Date(v) => v.get(i).map(|&d| i64::from(d)),
        _ => None,
    }
}

/// Another generator's dates or times, moved before an upper bound where
/// they are not (usage before the subscription was cancelled, a visit
/// before the patient died): into the span after the column's lower bound
/// when it has one, else into the `span` units before the bound.
#[derive(Debug)]
pub struct Before {
    /// The values.
    pub inner: Box<dyn ValueGen>,
    /// What every value must come before.
    pub upper: BoundFrom,
    /// What every value comes after (the column's `after`), if anything.
    pub lower: Option<BoundFrom>,
    /// 1 (days) or one second in µs.
    pub unit: i64,
    /// How many units before the bound a value goes without a lower bound.
    pub span: u64,
}

impl ValueGen for Before {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let start = out.nulls.len();
        self.inner.fill(ctx, out);
        let upper = self.upper.load(ctx);
        let lower = self.lower.as_ref().map(|l| l.load(ctx));
        for (i, &row) in ctx.rows.iter().enumerate() {
            let (Some(v), Some(u)) = (instant(out, start + i), instant(&upper, i)) else {
                continue;
            };
            if v < u {
                continue;
            }
            let h = rng::mix(ctx.key ^ rng::mix(row) ^ 0xBEF0);
            let unit = self.unit.max(1);
            let lo = lower.as_ref().and_then(|l| instant(l, i));
            let moved = match lo {
                // Strictly between the two bounds, when there is room.
                Some(l) if u - l > unit => {
                    let room = u64::try_from((u - l) / unit - 1).unwrap_or(0);
                    l + unit * (1 + i64::try_from(rng::below(h, room.max(1))).unwrap_or(0))
                }
                _ => u - unit * (1 + i64::try_from(rng::below(h, self.span.max(1))).unwrap_or(0)),
            };
            let moved = moved.min(u - unit);
            match &mut out.data {
                ColumnData::Micros(o) => o[start + i] = moved,
                ColumnData::Date(o) => o[start + i] = i32::try_from(moved).unwrap_or(i32::MIN),
                _ => {}
            }
        }
    }

    fn inputs(&self) -> Vec<usize> {
        let mut v = self.inner.inputs();
        v.extend(self.upper.inputs());
        v.extend(self.lower.iter().flat_map(BoundFrom::inputs));
        v
    }

    fn reads(&self) -> Vec<(usize, usize)> {
        let mut v = self.inner.reads();
        v.extend(self.upper.reads());
        v.extend(self.lower.iter().flat_map(BoundFrom::reads));
        v
    }
}
