//! Dates, timestamps and times: uniform between two instants, and "after
//! another column" for `a < b` checks such as `starts_at < ends_at`.

use super::rng::{self, Permutation};
use super::{FillCtx, ValueGen};
use crate::value::{ColumnBuf, ColumnData};

/// Microseconds per second.
pub const SECOND: i64 = 1_000_000;
/// Microseconds per day.
pub const DAY: i64 = 86_400 * SECOND;

/// A uniform instant in `[min, max]`, in steps of `granularity`.
/// Units: days for date columns, µs otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Instant {
    /// Lower bound.
    pub min: i64,
    /// Upper bound.
    pub max: i64,
    /// Step between possible values (1 day, 1 s, 1 µs...).
    pub granularity: i64,
    /// Distinct values by permutation (needs enough steps).
    pub unique: bool,
}

impl Instant {
    fn steps(&self) -> u64 {
        ((self.max - self.min) / self.granularity.max(1)).unsigned_abs() + 1
    }

    #[allow(clippy::cast_possible_wrap)]
    fn value(&self, key: u64, row: u64, perm: Option<&Permutation>) -> i64 {
        let step = match perm {
            Some(p) => p.apply(row),
            None => rng::below(rng::mix(key ^ rng::mix(row)), self.steps()),
        };
        self.min + step as i64 * self.granularity.max(1)
    }
}

impl ValueGen for Instant {
    #[allow(clippy::cast_possible_truncation)]
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let perm = self.unique.then(|| Permutation::new(self.steps(), ctx.key));
        match &mut out.data {
            ColumnData::Date(v) => v.extend(
                ctx.rows
                    .iter()
                    .map(|&r| self.value(ctx.key, r, perm.as_ref()) as i32),
            ),
            ColumnData::Micros(v) => v.extend(
                ctx.rows
                    .iter()
                    .map(|&r| self.value(ctx.key, r, perm.as_ref())),
            ),
            _ => {}
        }
        out.nulls.resize(out.nulls.len() + ctx.rows.len(), false);
    }

    fn is_unique(&self) -> bool {
        self.unique
    }
}

/// Another column of the same row plus a random positive offset, so that
/// `base < this` holds (`base <= this` when `min_delta` is 0).
#[derive(Debug, Clone, Copy)]
pub struct After {
    /// The column this one follows.
    pub base: usize,
    /// Smallest offset (in the column's unit).
    pub min_delta: i64,
    /// Largest offset.
    pub max_delta: i64,
    /// Offsets are whole multiples of this (1 s for timestamps).
    pub unit: i64,
    /// Whether the column may be NULL: then a NULL earlier value gives NULL
    /// rather than an offset from the epoch.
    pub nullable: bool,
}

impl ValueGen for After {
    #[allow(
        clippy::cast_possible_wrap,
        clippy::cast_possible_truncation,
        clippy::cast_precision_loss
    )]
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let base = &ctx.columns[self.base];
        let unit = self.unit.max(1);
        let span = ((self.max_delta - self.min_delta) / unit).unsigned_abs() + 1;
        for (i, &r) in ctx.rows.iter().enumerate() {
            let delta =
                self.min_delta + rng::below(rng::mix(ctx.key ^ rng::mix(r)), span) as i64 * unit;
            // A NULL base gives nothing to follow; any value satisfies the check then.
            let b = if base.nulls.get(i).copied().unwrap_or(true) {
                None
            } else {
                Some(i)
            };
            match (&mut out.data, &base.data) {
                (ColumnData::Micros(v), ColumnData::Micros(bv))
                | (ColumnData::Int(v), ColumnData::Int(bv)) => {
                    v.push(
                        b.and_then(|i| bv.get(i).copied())
                            .unwrap_or(0)
                            .saturating_add(delta),
                    );
                }
                (ColumnData::Date(v), ColumnData::Date(bv)) => v.push(
                    b.and_then(|i| bv.get(i).copied())
                        .unwrap_or(0)
                        .saturating_add(delta as i32),
                ),
                (ColumnData::Numeric(v), ColumnData::Numeric(bv)) => {
                    v.push(b.and_then(|i| bv.get(i).copied()).unwrap_or(0) + i128::from(delta))
                }
                (ColumnData::Float(v), ColumnData::Float(bv)) => {
                    v.push(b.map_or(0.0, |i| bv[i]) + delta as f64)
                }
                _ => {}
            }
            out.nulls.push(b.is_none() && self.nullable);
        }
    }

    fn inputs(&self) -> Vec<usize> {
        vec![self.base]
    }
}
