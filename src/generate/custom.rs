//! Named generators declared in a project or template (`generators`):
//! patterns, value lists, `format` compositions and weighted `one_of`
//! choices, compiled by the plan into a tree of [`Piece`]s.

use std::sync::Arc;

use super::kinds::text::Text;
use super::pattern::Pattern;
use super::rng::{self, Permutation};
use super::{FillCtx, ValueGen};
use crate::value::{ColumnBuf, ColumnData};

/// One part of a named generator's value.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Text as written.
    Literal(Box<str>),
    /// A regex-like pattern.
    Pattern(Arc<Pattern>),
    /// One of a list of values, by cumulative weight.
    Values(Arc<Weighted<Box<str>>>),
    /// A built-in text kind (the row's person, place or company where it is one).
    Kind(Box<Text>),
    /// The parts one after another.
    Format(Vec<Piece>),
    /// One of several pieces, by cumulative weight.
    OneOf(Arc<Weighted<Piece>>),
}

/// Items with cumulative weights.
#[derive(Debug, Clone)]
pub struct Weighted<T> {
    /// The items.
    pub items: Vec<T>,
    /// Running totals of their weights (the last is the total).
    pub cumulative: Vec<f64>,
}

impl<T> Weighted<T> {
    /// Items with these weights (≥ 0, not all 0).
    #[must_use]
    pub fn new(items: Vec<T>, weights: &[f64]) -> Self {
        Self {
            items,
            cumulative: super::choice::cumulative(weights),
        }
    }

    fn pick(&self, x: u64) -> &T {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng::unit(x) * total;
        let k = self
            .cumulative
            .partition_point(|&c| c <= target)
            .min(self.items.len().saturating_sub(1));
        &self.items[k]
    }
}

impl Piece {
    fn write(&self, ctx: &FillCtx<'_>, i: usize, row: u64, key: u64, out: &mut Vec<u8>) {
        match self {
            Self::Literal(s) => out.extend_from_slice(s.as_bytes()),
            Self::Pattern(p) => p.sample(&mut rng::cell(key, row), out),
            Self::Values(v) => {
                out.extend_from_slice(v.pick(rng::mix(key ^ rng::mix(row))).as_bytes());
            }
            Self::Kind(text) => {
                // Each part draws from its own key; the row's person and place
                // come from the table key, so parts about one person agree.
                let part = FillCtx {
                    dataset: ctx.dataset,
                    table: ctx.table,
                    rows: ctx.rows,
                    columns: ctx.columns,
                    key,
                    table_key: ctx.table_key,
                    parents: ctx.parents,
                };
                text.write(&part, i, row, out);
            }
            Self::Format(parts) => {
                for (j, p) in parts.iter().enumerate() {
                    p.write(ctx, i, row, rng::mix(key ^ (j as u64 + 1)), out);
                }
            }
            Self::OneOf(choices) => {
                let p = choices.pick(rng::mix(key ^ rng::mix(row) ^ 0x6f6e_655f_6f66));
                p.write(ctx, i, row, rng::mix(key ^ 0x6368_6f73_656e), out);
            }
        }
    }
}

/// A column filled by a named generator that makes text.
#[derive(Debug, Clone)]
pub struct CustomText {
    /// What makes the value.
    pub body: Piece,
    /// `varchar(n)`: values are cut to `n` characters.
    pub max_len: Option<usize>,
    /// `char(n)`: values are padded to `n` characters, as the server would.
    pub pad_to: Option<usize>,
    /// For unique columns: the pattern whose `i`-th value row `i` takes (through a permutation).
    pub unique: Option<(Arc<Pattern>, u64)>,
}

impl ValueGen for CustomText {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let ColumnData::Text(buf) = &mut out.data else {
            return;
        };
        let perm = self
            .unique
            .as_ref()
            .map(|(p, n)| (p, Permutation::new(*n, ctx.key)));
        for (i, &row) in ctx.rows.iter().enumerate() {
            let start = buf.bytes.len();
            match &perm {
                Some((p, perm)) => p.nth(perm.apply(row), &mut buf.bytes),
                None => self.body.write(ctx, i, row, ctx.key, &mut buf.bytes),
            }
            if let Some(max) = self.max_len {
                buf.cut_value(start, max);
            }
            if let Some(n) = self.pad_to {
                buf.pad_value(start, n);
            }
            buf.finish_value();
            out.nulls.push(false);
        }
    }

    fn inputs(&self) -> Vec<usize> {
        let mut out = Vec::new();
        collect_inputs(&self.body, &mut out);
        out
    }

    fn is_unique(&self) -> bool {
        self.unique.is_some()
    }
}

fn collect_inputs(p: &Piece, out: &mut Vec<usize>) {
    match p {
        Piece::Kind(t) => out.extend(t.inputs()),
        Piece::Format(parts) => parts.iter().for_each(|q| collect_inputs(q, out)),
        Piece::OneOf(w) => w.items.iter().for_each(|q| collect_inputs(q, out)),
        _ => {}
    }
}
