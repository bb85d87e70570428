//! Numbers: sequences, uniform/normal/log-normal draws clamped to bounds,
//! and unique integers by permutation. One generator writes integers,
//! floats or scaled numerics, depending on the column.

use rand::RngExt;
use rand_distr::{Distribution, Exp, Geometric, LogNormal, Normal, Pareto, Poisson, Zipf};

use super::rng::{self, Permutation};
use super::{FillCtx, ValueGen};
use crate::value::{ColumnBuf, ColumnData};

/// The shape of a random number.
#[derive(Debug, Clone, Copy)]
pub enum Dist {
    /// Uniform between the bounds.
    Uniform,
    /// Normal with this mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        std_dev: f64,
    },
    /// Log-normal: `exp(N(mu, sigma))`.
    LogNormal {
        /// Mean of the underlying normal.
        mu: f64,
        /// Standard deviation of the underlying normal.
        sigma: f64,
    },
    /// Exponential with this mean (waiting times, session lengths), shifted by `min`.
    Exponential {
        /// Mean of the draws above `min`.
        mean: f64,
    },
    /// Poisson with this mean (counts of events).
    Poisson {
        /// Mean.
        mean: f64,
    },
    /// Zipf over the ranks `1..=n` with this exponent (a few values take most rows).
    Zipf {
        /// Number of ranks.
        n: f64,
        /// Exponent (1 is classic Zipf; larger is more skewed).
        exponent: f64,
    },
    /// Pareto (power law) with this scale and shape: incomes, file sizes.
    Pareto {
        /// Smallest value.
        scale: f64,
        /// Shape α (smaller is heavier-tailed).
        shape: f64,
    },
    /// Geometric: trials until the first success with probability `p`, from 0.
    Geometric {
        /// Success probability.
        p: f64,
    },
}

/// `start + row × step`: ids and other sequences.
#[derive(Debug, Clone, Copy)]
pub struct Sequence {
    /// First value.
    pub start: i64,
    /// Increment.
    pub step: i64,
}

impl ValueGen for Sequence {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        #[allow(clippy::cast_possible_wrap)]
        let value = |r: u64| self.start.wrapping_add((r as i64).wrapping_mul(self.step));
        match &mut out.data {
            ColumnData::Int(v) => v.extend(ctx.rows.iter().map(|&r| value(r))),
            ColumnData::Numeric(v) => v.extend(ctx.rows.iter().map(|&r| i128::from(value(r)))),
            #[allow(clippy::cast_precision_loss)]
            ColumnData::Float(v) => v.extend(ctx.rows.iter().map(|&r| value(r) as f64)),
            _ => {}
        }
        out.nulls.resize(out.nulls.len() + ctx.rows.len(), false);
    }

    fn linear(&self) -> Option<(i64, i64)> {
        Some((self.start, self.step))
    }

    fn is_unique(&self) -> bool {
        self.step != 0
    }
}

/// `start + row × step`, moved by up to `jitter` either way: readings that
/// arrive about every five minutes, invoice numbers with gaps. Values stay in
/// row order (and distinct) when `jitter` is under half the step.
#[derive(Debug, Clone)]
pub struct Jittered {
    /// First value, in the column's units (scaled integers, days or µs).
    pub start: i64,
    /// Increment per row, in `unit`s.
    pub step: i64,
    /// Largest move either way, in `unit`s.
    pub jitter: i64,
    /// Column units per step unit (1 s = 1,000,000 µs keeps timestamps on whole seconds).
    pub unit: i64,
}

impl Jittered {
    #[allow(clippy::cast_possible_wrap)]
    fn value(&self, key: u64, row: u64) -> i64 {
        let mut offset = (row as i64).saturating_mul(self.step);
        if self.jitter != 0 {
            let span = self
                .jitter
                .unsigned_abs()
                .saturating_mul(2)
                .saturating_add(1);
            offset = offset.saturating_add(
                rng::below(rng::mix(key ^ rng::mix(row)), span) as i64 - self.jitter.abs(),
            );
        }
        self.start.saturating_add(offset.saturating_mul(self.unit))
    }
}

impl ValueGen for Jittered {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let value = |r: u64| self.value(ctx.key, r);
        match &mut out.data {
            ColumnData::Int(v) | ColumnData::Micros(v) => {
                v.extend(ctx.rows.iter().map(|&r| value(r)))
            }
            ColumnData::Numeric(v) => v.extend(ctx.rows.iter().map(|&r| i128::from(value(r)))),
            #[allow(clippy::cast_precision_loss)]
            ColumnData::Float(v) => v.extend(ctx.rows.iter().map(|&r| value(r) as f64)),
            #[allow(clippy::cast_possible_truncation)]
            ColumnData::Date(v) => {
                v.extend(ctx.rows.iter().map(|&r| {
                    value(r).clamp(i64::from(i32::MIN) + 1, i64::from(i32::MAX) - 1) as i32
                }))
            }
            _ => {}
        }
        out.nulls.resize(out.nulls.len() + ctx.rows.len(), false);
    }

    fn is_unique(&self) -> bool {
        self.step != 0 && self.jitter.unsigned_abs().saturating_mul(2) < self.step.unsigned_abs()
    }
}

/// A random number in `[min, max]`, rounded to the column's scale.
#[derive(Debug, Clone)]
pub struct Number {
    /// The distribution.
    pub dist: Dist,
    /// Lower bound (inclusive; draws below are clamped).
    pub min: f64,
    /// Upper bound (inclusive).
    pub max: f64,
    /// Fraction digits for numeric columns (ignored for floats and ints).
    pub scale: u32,
    /// Distinct integer values by permutation of the row index (ints only).
    pub unique: bool,
    /// Rows in the table (domain of the permutation).
    pub rows: u64,
    /// Exact inclusive bounds for integer and numeric columns, in units of
    /// the last digit; `min`/`max` as `f64` cannot hold every `bigint`.
    /// `None`: `min` and `max` rounded inwards.
    pub exact: Option<(i128, i128)>,
    /// Round-number bias: (multiples, share of values rounded to one of them),
    /// as people pay 20.00 and withdraw 100.
    pub rounding: Option<Box<(Vec<f64>, f64)>>,
}

impl Number {
    fn draw(&self, key: u64, row: u64) -> f64 {
        let x = self.drawn(key, row);
        let Some((steps, share)) = self.rounding.as_deref() else {
            return x;
        };
        let h = rng::mix(key ^ rng::mix(row) ^ 0x0000_0520_0000);
        if steps.is_empty() || rng::unit(h) >= *share {
            return x;
        }
        let step = steps[usize::try_from(rng::below(rng::mix(h), steps.len() as u64)).unwrap_or(0)];
        let rounded = (x / step).round() * step;
        // A multiple outside the range gives way to the one inside it.
        let rounded = if rounded < self.min {
            rounded + step
        } else if rounded > self.max {
            rounded - step
        } else {
            rounded
        };
        rounded.max(self.min).min(self.max)
    }

    fn drawn(&self, key: u64, row: u64) -> f64 {
        let mut r = rng::cell(key, row);
        let x = match self.dist {
            Dist::Uniform => self.min + r.random::<f64>() * (self.max - self.min),
            Dist::Normal { mean, std_dev } => {
                Normal::new(mean, std_dev.max(0.0)).map_or(mean, |d| d.sample(&mut r))
            }
            Dist::LogNormal { mu, sigma } => {
                LogNormal::new(mu, sigma.max(0.0)).map_or(mu.exp(), |d| d.sample(&mut r))
            }
            Dist::Exponential { mean } => {
                let base = if self.min.is_finite() && self.min > f64::MIN / 8.0 {
                    self.min
                } else {
                    0.0
                };
                base + Exp::new(1.0 / mean.max(f64::MIN_POSITIVE))
                    .map_or(mean, |d| d.sample(&mut r))
            }
            Dist::Poisson { mean } => {
                Poisson::new(mean.max(f64::MIN_POSITIVE)).map_or(mean, |d| d.sample(&mut r))
            }
            Dist::Zipf { n, exponent } => {
                Zipf::new(n.max(1.0), exponent.max(0.0)).map_or(1.0, |d| d.sample(&mut r))
            }
            Dist::Pareto { scale, shape } => {
                Pareto::new(scale.max(f64::MIN_POSITIVE), shape.max(f64::MIN_POSITIVE))
                    .map_or(scale, |d| d.sample(&mut r))
            }
            #[allow(clippy::cast_precision_loss)]
            Dist::Geometric { p } => Geometric::new(p.clamp(f64::MIN_POSITIVE, 1.0))
                .map_or(0.0, |d| d.sample(&mut r) as f64),
        };
        // max/min rather than clamp, which panics on an empty range.
        x.max(self.min).min(self.max)
    }
}

impl ValueGen for Number {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_precision_loss,
        clippy::cast_possible_wrap
    )]
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        match &mut out.data {
            ColumnData::Int(v) => {
                let (lo, hi) = match self.exact {
                    Some((lo, hi)) => (saturate(lo), saturate(hi)),
                    None => (self.min.ceil() as i64, self.max.floor() as i64),
                };
                if self.unique {
                    // The plan checked that the range holds enough values; this
                    // only keeps an extreme range from overflowing.
                    let span = u64::try_from(i128::from(hi) - i128::from(lo) + 1)
                        .unwrap_or(u64::MAX)
                        .max(1);
                    let perm = Permutation::new(span, ctx.key);
                    // Spread the rows over the whole range rather than its start.
                    let stride = (span / self.rows.max(1)).max(1);
                    let perm_rows = Permutation::new(self.rows.max(1), ctx.key ^ 1);
                    v.extend(ctx.rows.iter().map(|&r| {
                        if stride > 1 {
                            lo + (perm_rows.apply(r) * stride
                                + rng::below(rng::mix(ctx.key ^ r), stride))
                                as i64
                        } else {
                            lo + perm.apply(r) as i64
                        }
                    }));
                } else if matches!(self.dist, Dist::Uniform)
                    && !(exact_in_f64(lo) && exact_in_f64(hi))
                {
                    // Beyond 2^53 a float draw would land on a few values only.
                    let span =
                        u64::try_from(i128::from(hi) - i128::from(lo) + 1).unwrap_or(u64::MAX);
                    v.extend(ctx.rows.iter().map(|&r| {
                        lo.saturating_add_unsigned(rng::below(
                            rng::mix(ctx.key ^ rng::mix(r)),
                            span,
                        ))
                    }));
                } else {
                    v.extend(
                        ctx.rows
                            .iter()
                            // max/min, not clamp: they cannot panic, and the plan
                            // makes sure that lo <= hi.
                            .map(|&r| (self.draw(ctx.key, r).round() as i64).max(lo).min(hi)),
                    );
                }
            }
            ColumnData::Float(v) => v.extend(ctx.rows.iter().map(|&r| self.draw(ctx.key, r))),
            ColumnData::Numeric(v) => {
                let factor = 10f64.powi(self.scale as i32);
                let (lo, hi) = self.exact.unwrap_or((
                    (self.min * factor).ceil() as i128,
                    (self.max * factor).floor() as i128,
                ));
                v.extend(ctx.rows.iter().map(|&r| {
                    ((self.draw(ctx.key, r) * factor).round() as i128)
                        .max(lo)
                        .min(hi)
                }));
            }
            _ => {}
        }
        out.nulls.resize(out.nulls.len() + ctx.rows.len(), false);
    }

    fn is_unique(&self) -> bool {
        self.unique
    }
}

fn saturate(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

fn exact_in_f64(v: i64) -> bool {
    v.unsigned_abs() <= 1 << 53
}
