//! Per-parent row counts (`"rows": {"per": "customers", "min": 0, "max": 10}`)
//! without holding a count per parent: the count of parent `p` is a pure
//! function of (key, p), and a cumulative total is kept only every
//! [`STRIDE`] parents (more for over a billion parents), so memory stays at
//! parents / 1024 words and never above 2^20 words.

use super::rng;

/// Parents between two stored cumulative totals, at least.
pub const STRIDE: u64 = 1024;

/// The most cumulative totals kept (8 MiB).
const MAX_CHECKPOINTS: u64 = 1 << 20;

/// Maps child rows to (parent row, index within that parent).
#[derive(Debug, Clone)]
pub struct PerParent {
    /// Parent table index.
    pub parent: usize,
    /// Number of parent rows.
    pub parent_rows: u64,
    min: u64,
    max: u64,
    /// The Poisson law of the counts (uniform between `min` and `max` without
    /// one), as its cumulative probabilities: counts are drawn for every
    /// parent, often many times, and a table lookup is far cheaper than a
    /// Poisson sampler.
    law: Option<Vec<f64>>,
    key: u64,
    /// Parents between two checkpoints.
    stride: u64,
    /// `checkpoints[k]` = number of children of parents `0..k*stride`.
    checkpoints: Vec<u64>,
    /// Total children.
    pub total: u64,
}

impl PerParent {
    /// Builds the mapping (one pass over the parents).
    #[must_use]
    pub fn new(
        parent: usize,
        parent_rows: u64,
        (min, max, mean): (u64, u64, Option<f64>),
        key: u64,
    ) -> Self {
        let mut me = Self {
            parent,
            parent_rows,
            min,
            max,
            law: mean.and_then(|m| poisson_cdf(m, max)),
            key,
            stride: STRIDE.max(parent_rows.div_ceil(MAX_CHECKPOINTS)),
            checkpoints: Vec::new(),
            total: 0,
        };
        let mut sum = 0u64;
        for p in 0..parent_rows {
            if p % me.stride == 0 {
                me.checkpoints.push(sum);
            }
            // Saturates rather than wraps: the plan refuses totals this large.
            sum = sum.saturating_add(me.count(p));
        }
        me.total = sum;
        me
    }

    /// Children of parent `p`.
    #[must_use]
    pub fn count(&self, p: u64) -> u64 {
        if let Some(cdf) = &self.law {
            let u = rng::unit(rng::mix(self.key ^ rng::mix(p)));
            let n = cdf.partition_point(|&c| c <= u) as u64;
            return n.clamp(self.min, self.max);
        }
        let span = (self.max - self.min).saturating_add(1);
        self.min + rng::below(rng::mix(self.key ^ rng::mix(p)), span)
    }

    /// The first child row of parent `p` (children of a parent are consecutive rows).
    #[must_use]
    pub fn first_child(&self, p: u64) -> u64 {
        let k = usize::try_from(p / self.stride)
            .unwrap_or(usize::MAX)
            .min(self.checkpoints.len().saturating_sub(1));
        let mut first = self.checkpoints.get(k).copied().unwrap_or(0);
        for q in (k as u64 * self.stride)..p {
            first += self.count(q);
        }
        first
    }

    /// (parent row, index within parent) of child `row` (`row < total`).
    #[must_use]
    pub fn locate(&self, row: u64) -> (u64, u64) {
        let k = self
            .checkpoints
            .partition_point(|&c| c <= row)
            .saturating_sub(1);
        let mut p = k as u64 * self.stride;
        let mut before = self.checkpoints[k];
        loop {
            let n = self.count(p);
            if row < before + n {
                return (p, row - before);
            }
            before += n;
            p += 1;
        }
    }

    /// `locate` for many rows; ascending runs reuse the previous position.
    #[must_use]
    pub fn locate_all(&self, rows: &[u64]) -> Vec<(u64, u64, u64)> {
        let mut out = Vec::with_capacity(rows.len());
        let mut cur: Option<(u64, u64, u64)> = None; // (parent, first child row, count)
        for &row in rows {
            if let Some((p, first, n)) = cur {
                if row >= first && row < first + n {
                    out.push((p, row - first, n));
                    continue;
                }
                if row >= first + n && p + 1 < self.parent_rows {
                    let n2 = self.count(p + 1);
                    if row < first + n + n2 {
                        cur = Some((p + 1, first + n, n2));
                        out.push((p + 1, row - first - n, n2));
                        continue;
                    }
                }
            }
            let (p, local) = self.locate(row);
            let n = self.count(p);
            cur = Some((p, row - local, n));
            out.push((p, local, n));
        }
        out
    }
}

/// The cumulative probabilities of Poisson(`mean`) for 0, 1, 2, ... until
/// they reach 1 (to double precision) or pass `max`; `None` for a mean too
/// large for a table.
fn poisson_cdf(mean: f64, max: u64) -> Option<Vec<f64>> {
    if !(mean.is_finite() && mean > 0.0 && mean < 100_000.0) {
        return None;
    }
    let mut out = Vec::new();
    // log P(k) step by step: P(k) = P(k-1) × mean / k, from log P(0) = −mean.
    let mut log_p = -mean;
    let mut acc = 0.0;
    let mut k = 0u64;
    while k <= max && out.len() < 1 << 20 {
        acc += log_p.exp();
        out.push(acc.min(1.0));
        if acc >= 1.0 - 1e-15 && f64::from(u32::try_from(k).unwrap_or(u32::MAX)) > mean {
            break;
        }
        k += 1;
        #[allow(clippy::cast_precision_loss)]
        {
            log_p += mean.ln() - (k as f64).ln();
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_matches_a_plain_walk() {
        let pp = PerParent::new(0, 3000, (0, 4, None), 7);
        let mut expected = Vec::new();
        for p in 0..3000 {
            let n = pp.count(p);
            for i in 0..n {
                expected.push((p, i, n));
            }
        }
        assert_eq!(expected.len() as u64, pp.total);
        let rows: Vec<u64> = (0..pp.total).collect();
        assert_eq!(pp.locate_all(&rows), expected);
        let (p, i, _) = *expected.last().unwrap();
        assert_eq!(pp.locate(pp.total - 1), (p, i));
    }

    #[test]
    fn poisson_counts_have_their_mean_and_variance() {
        let pp = PerParent::new(0, 200_000, (0, 1000, Some(3.0)), 11);
        #[allow(clippy::cast_precision_loss)]
        let counts: Vec<f64> = (0..200_000).map(|p| pp.count(p) as f64).collect();
        let mean = counts.iter().sum::<f64>() / counts.len() as f64;
        let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / counts.len() as f64;
        assert!((mean - 3.0).abs() < 0.02, "mean {mean}");
        assert!((var - 3.0).abs() < 0.06, "variance {var}");
        let cdf = poisson_cdf(3.0, 1000).unwrap_or_default();
        assert!((cdf[0] - (-3.0f64).exp()).abs() < 1e-12);
        assert!(cdf.len() < 40 && *cdf.last().unwrap_or(&0.0) >= 1.0 - 1e-15);
    }
}
