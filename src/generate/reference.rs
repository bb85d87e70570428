//! Foreign keys: pick a parent row index, then recompute the parent's key
//! value for that index (design.md §2), so parents never sit in memory.

use super::rng::{self, Permutation};
use super::{FillCtx, ValueGen};
use crate::value::ColumnBuf;

/// How the parent row of each child row is chosen.
#[derive(Debug, Clone)]
pub enum Pick {
    /// Uniformly among all parent rows (`key` is shared by all columns of the key).
    Random {
        /// Shared key for composite foreign keys.
        key: u64,
    },
    /// Zipf-skewed: a few parents take most children (`key` also shuffles
    /// which parents are the popular ones).
    Zipf {
        /// Shared key.
        key: u64,
        /// Walker's alias table over the parents: (threshold, parent,
        /// alias parent). A draw is one lookup, not the rejection sampling
        /// (and `pow` calls) of a Zipf sampler, for every child row.
        table: std::sync::Arc<[(f64, u32, u32)]>,
    },
    /// The parent this row was generated for (per-parent row counts).
    PerParent,
    /// A row before this one in the same table (self references; row 0 → itself).
    Earlier {
        /// Shared key.
        key: u64,
    },
    /// In a per-parent table whose unique key is (the parent, this foreign
    /// key): child k of a parent takes parent row k of a permutation keyed by
    /// that parent, so no parent repeats within one parent's children.
    Distinct {
        /// Permutation key (mixed with the parent row).
        key: u64,
    },
    /// Component of a joint composite key: (row's position in a permutation of
    /// all combinations) / `divisor` % `parent_rows`.
    Joint {
        /// Permutation key.
        key: u64,
        /// Number of combinations.
        combinations: u64,
        /// Product of the sizes of later components.
        divisor: u64,
    },
}

/// A foreign key column: the value of `parent_column` at the chosen parent row.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Parent table.
    pub parent: usize,
    /// Parent column whose value is copied.
    pub parent_column: usize,
    /// Rows in the parent table.
    pub parent_rows: u64,
    /// How to choose the parent row.
    pub pick: Pick,
}

/// Walker's alias table for Zipf weights `1/k^exponent` over ranks `1..=n`,
/// with rank `k` played by parent row `perm(k − 1)` (so which parents are
/// popular is shuffled by `key`).
#[must_use]
pub fn zipf_alias(n: u64, exponent: f64, key: u64) -> std::sync::Arc<[(f64, u32, u32)]> {
    let n = usize::try_from(n.max(1)).unwrap_or(1);
    #[allow(clippy::cast_precision_loss)]
    let weights: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-exponent)).collect();
    let total: f64 = weights.iter().sum();
    #[allow(clippy::cast_precision_loss)]
    let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
    let mut alias = vec![0usize; n];
    let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| scaled[i] < 1.0);
    while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
        alias[s] = l;
        scaled[l] -= 1.0 - scaled[s];
        if scaled[l] < 1.0 {
            large.pop();
            small.push(l);
        }
    }
    for i in large.into_iter().chain(small) {
        scaled[i] = 1.0;
    }
    let perm = Permutation::new(n as u64, key);
    let row = |k: usize| u32::try_from(perm.apply(k as u64)).unwrap_or(0);
    (0..n).map(|i| (scaled[i], row(i), row(alias[i]))).collect()
}

impl Reference {
    /// The parent row chosen for `row` (the i-th row of the chunk).
    #[must_use]
    pub fn parent_row(&self, ctx: &FillCtx<'_>, i: usize, row: u64) -> u64 {
        let n = self.parent_rows.max(1);
        match self.pick {
            Pick::Random { key } => rng::below(rng::mix(key ^ rng::mix(row)), n),
            Pick::Zipf { key, ref table } => {
                let x = rng::mix(key ^ rng::mix(row));
                let len = table.len().max(1) as u64;
                let i = usize::try_from(rng::below(x, len)).unwrap_or(0);
                let (threshold, parent, alias) = table.get(i).copied().unwrap_or((1.0, 0, 0));
                u64::from(if rng::unit(rng::mix(x)) < threshold {
                    parent
                } else {
                    alias
                })
            }
            Pick::PerParent => ctx.parents.map_or(0, |p| p[i].0),
            Pick::Distinct { key } => {
                let (p, k) = ctx.parents.map_or((0, row), |ps| (ps[i].0, ps[i].1));
                Permutation::new(n, key ^ rng::mix(p)).apply(k % n)
            }
            Pick::Earlier { key } => {
                if row == 0 {
                    0
                } else {
                    rng::below(rng::mix(key ^ rng::mix(row)), row.min(n))
                }
            }
            Pick::Joint {
                key,
                combinations,
                divisor,
            } => {
                let j = Permutation::new(combinations.max(1), key).apply(row % combinations.max(1));
                (j / divisor.max(1)) % n
            }
        }
    }
}

impl ValueGen for Reference {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        if self.parent_rows == 0 {
            for _ in ctx.rows {
                out.push_null();
            }
            return;
        }
        let prows: Vec<u64> = ctx
            .rows
            .iter()
            .enumerate()
            .map(|(i, &r)| self.parent_row(ctx, i, r))
            .collect();
        let values = ctx
            .dataset
            .column_values(self.parent, self.parent_column, &prows);
        for i in 0..prows.len() {
            out.push_from(&values, i);
        }
    }

    fn reference(&self) -> Option<Reference> {
        Some(self.clone())
    }
}

/// The row's position within its parent, plus `start` (line numbers 1, 2, 3...).
#[derive(Debug, Clone, Copy)]
pub struct LocalSequence {
    /// First value.
    pub start: i64,
}

impl ValueGen for LocalSequence {
    #[allow(clippy::cast_possible_wrap)]
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        if let crate::value::ColumnData::Int(v) = &mut out.data {
            v.extend(
                (0..ctx.rows.len()).map(|i| self.start + ctx.parents.map_or(0, |p| p[i].1 as i64)),
            );
        }
        out.nulls.resize(out.nulls.len() + ctx.rows.len(), false);
    }
}
