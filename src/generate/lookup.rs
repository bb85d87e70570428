//! Values that depend on other values: a child's timestamp after its parent
//! row's, and columns that are NULL unless the row's status says otherwise.
//! Both stay pure functions of (seed, table, column, row): the parent row is
//! recomputed from the foreign key's pick, and the parent's value from the
//! parent's generators (design.md §2), never held in memory.

use super::reference::Reference;
use super::rng;
use super::{FillCtx, ValueGen};
use crate::value::{ColumnBuf, ColumnData};

/// A date or timestamp a random delay after a column of the row's parent
/// (`orders.ordered_at` after its customer's `created_at`).
#[derive(Debug)]
pub struct AfterParent {
    /// How the parent row is found (the foreign key's own pick).
    pub via: Reference,
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
}

impl ValueGen for AfterParent {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let prows: Vec<u64> = ctx
            .rows
            .iter()
            .enumerate()
            .map(|(i, &r)| self.via.parent_row(ctx, i, r))
            .collect();
        let parent = ctx
            .dataset
            .column_values(self.via.parent, self.column, &prows);
        let mut fallback = out.empty_like();
        self.fallback.fill(ctx, &mut fallback);
        let unit = self.unit.max(1);
        let span = u64::try_from((self.max_delta - self.min_delta) / unit).unwrap_or(0) + 1;
        for (i, &row) in ctx.rows.iter().enumerate() {
            // Skewed towards short delays: most orders follow sign-up soon, some years later.
            let u = rng::unit(rng::mix(ctx.key ^ rng::mix(row)));
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
}

/// The value of a column of the row's parent (an order item's `unit_price`
/// is its product's `price`; an order's `currency` its customer's).
#[derive(Debug)]
pub struct FromParent {
    /// How the parent row is found (the foreign key's own pick).
    pub via: Reference,
    /// The parent's column to copy.
    pub column: usize,
}

impl ValueGen for FromParent {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let prows: Vec<u64> = ctx
            .rows
            .iter()
            .enumerate()
            .map(|(i, &r)| self.via.parent_row(ctx, i, r))
            .collect();
        let parent = ctx
            .dataset
            .column_values(self.via.parent, self.column, &prows);
        for i in 0..prows.len() {
            out.push_from(&parent, i);
        }
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
        for i in 0..ctx.rows.len() {
            let keep = match &status.data {
                ColumnData::Text(t) if !status.nulls[i] => {
                    let v = t.get(i);
                    self.allowed.iter().any(|a| a.as_slice() == v)
                }
                _ => false,
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
}
