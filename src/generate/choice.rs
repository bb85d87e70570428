//! Weighted choice from a fixed list of values (enum labels, `status`
//! values, `IN (...)` checks). The items are kept as a typed column buffer, so
//! a choice works for any column type.

use super::rng::{self, Permutation};
use super::{FillCtx, ValueGen};
use crate::value::ColumnBuf;

/// Running totals of `weights` (negative ones count as 0): the last is the total.
#[must_use]
pub fn cumulative(weights: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w.max(0.0);
            acc
        })
        .collect()
}

/// Picks one of `items` per row, by weight; or, when unique, each item at most once.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The values to choose from.
    pub items: ColumnBuf,
    /// Cumulative weights (last = total); empty means uniform.
    pub cumulative: Vec<f64>,
    /// Each row takes a different item (needs rows ≤ items).
    pub unique: bool,
}

impl Choice {
    /// A choice with the given weights (uniform when `weights` is empty).
    #[must_use]
    pub fn new(items: ColumnBuf, weights: &[f64], unique: bool) -> Self {
        Self {
            items,
            cumulative: cumulative(weights),
            unique,
        }
    }

    fn pick(&self, key: u64, row: u64) -> usize {
        let x = rng::mix(key ^ rng::mix(row));
        let n = self.items.len() as u64;
        match self.cumulative.last() {
            Some(&total) if total > 0.0 => {
                let target = rng::unit(x) * total;
                self.cumulative
                    .partition_point(|&c| c <= target)
                    .min(self.items.len() - 1)
            }
            #[allow(clippy::cast_possible_truncation)]
            _ => rng::below(x, n) as usize,
        }
    }
}

impl ValueGen for Choice {
    #[allow(clippy::cast_possible_truncation)]
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        if self.items.is_empty() {
            for _ in ctx.rows {
                out.push_null();
            }
            return;
        }
        let perm = self
            .unique
            .then(|| Permutation::new(self.items.len() as u64, ctx.key));
        for &r in ctx.rows {
            let k = match &perm {
                Some(p) => p.apply(r % self.items.len() as u64) as usize,
                None => self.pick(ctx.key, r),
            };
            out.push_from(&self.items, k);
        }
    }

    fn is_unique(&self) -> bool {
        self.unique
    }
}
