//! Per-parent row counts (`"rows": {"per": "customers", "min": 0, "max": 10}`)
//! without holding a count per parent: the count of parent `p` is a pure
//! function of (key, p), and a cumulative total is kept only every
//! [`STRIDE`] parents (more for over a billion parents), so memory stays at
//! parents / 1024 words and never above 2^20 words.
//!
//! Up to [`WALK_UP_TO`] parents, each count is drawn on its own and the
//! totals come from one walk over the parents. Beyond that a walk would make
//! planning (and `validate`) take time in proportion to the parents (24 s
//! for 4·10^9), so each block of parents between two checkpoints gets a
//! total that is known without visiting its parents:
//! - min–max counts pair the parents of a block (through a keyed
//!   permutation): one of a pair gets `min + x`, the other `max − x`, so each
//!   count is still uniform and a pair always sums to `min + max`;
//! - Poisson counts draw the block's total from Poisson(parents × mean),
//!   then split it between the halves of the block, and the halves of those,
//!   binomially (the law of independent Poisson counts given their sum), so a
//!   parent's count is found in a dozen draws without the others.

use rand_distr::{Binomial, Distribution, Hypergeometric, Poisson};

use super::rng;

/// Parents between two stored cumulative totals, at least.
pub const STRIDE: u64 = 1024;

/// The most cumulative totals kept (8 MiB).
const MAX_CHECKPOINTS: u64 = 1 << 20;

/// The most parents whose counts are drawn one by one and summed by a walk
/// (about 0.4 s); more use block totals known in advance.
pub const WALK_UP_TO: u64 = 1 << 26;

/// How a parent's count is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// Independently per parent; block totals by walking the parents.
    Walk,
    /// Uniform counts in antithetic pairs within a block.
    Pairs,
    /// A Poisson block total split binomially down to each parent.
    Split,
}

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
    /// The Poisson mean, when counts follow one.
    mean: Option<f64>,
    scheme: Scheme,
    key: u64,
    /// Parents between two checkpoints.
    stride: u64,
    /// `checkpoints[k]` = number of children of parents `0..k*stride`.
    checkpoints: Vec<u64>,
    /// Total children.
    pub total: u64,
}

impl PerParent {
    /// Builds the mapping: one pass over the parents up to [`WALK_UP_TO`],
    /// one step per block of parents beyond.
    #[must_use]
    pub fn new(parent: usize, parent_rows: u64, counts: (u64, u64, Option<f64>), key: u64) -> Self {
        Self::with_walk_limit(parent, parent_rows, counts, key, WALK_UP_TO)
    }

    /// [`PerParent::new`], walking at most `walk_up_to` parents.
    fn with_walk_limit(
        parent: usize,
        parent_rows: u64,
        (min, max, mean): (u64, u64, Option<f64>),
        key: u64,
        walk_up_to: u64,
    ) -> Self {
        let law = mean.and_then(|m| poisson_cdf(m, max));
        let scheme = match (parent_rows > walk_up_to, &law) {
            (false, _) => Scheme::Walk,
            (true, Some(_)) => Scheme::Split,
            (true, None) => Scheme::Pairs,
        };
        let mut me = Self {
            parent,
            parent_rows,
            min,
            max: max.max(min),
            law,
            mean: mean.filter(|_| scheme == Scheme::Split),
            scheme,
            key,
            stride: STRIDE.max(parent_rows.div_ceil(MAX_CHECKPOINTS)),
            checkpoints: Vec::new(),
            total: 0,
        };
        // Saturates rather than wraps: the plan refuses totals this large.
        let mut sum = 0u64;
        let blocks = parent_rows.div_ceil(me.stride);
        me.checkpoints
            .reserve_exact(usize::try_from(blocks).unwrap_or(0));
        for b in 0..blocks {
            me.checkpoints.push(sum);
            sum = sum.saturating_add(me.block_total(b));
        }
        me.total = sum;
        me
    }

    /// Children of parent `p`.
    #[must_use]
    pub fn count(&self, p: u64) -> u64 {
        match self.scheme {
            Scheme::Walk => self.drawn(p),
            Scheme::Pairs => self.paired(p),
            Scheme::Split => {
                let (b, j) = (p / self.stride, p % self.stride);
                self.descend(b, Find::Parent(j)).2
            }
        }
    }

    /// A count drawn for parent `p` alone.
    fn drawn(&self, p: u64) -> u64 {
        if let Some(cdf) = &self.law {
            let u = rng::unit(rng::mix(self.key ^ rng::mix(p)));
            let n = cdf.partition_point(|&c| c <= u) as u64;
            return n.clamp(self.min, self.max);
        }
        let span = (self.max - self.min).saturating_add(1);
        self.min + rng::below(rng::mix(self.key ^ rng::mix(p)), span)
    }

    /// Parents in block `b`.
    fn block_len(&self, b: u64) -> u64 {
        self.stride
            .min(self.parent_rows.saturating_sub(b * self.stride))
    }

    /// Children of the parents of block `b`, without visiting them.
    fn block_total(&self, b: u64) -> u64 {
        let n = self.block_len(b);
        match self.scheme {
            Scheme::Walk => (b * self.stride..b * self.stride + n)
                .fold(0u64, |sum, p| sum.saturating_add(self.drawn(p))),
            Scheme::Pairs => {
                let pairs = n / 2;
                let odd = if n % 2 == 1 { self.unpaired(b) } else { 0 };
                pairs
                    .saturating_mul(self.min + self.max)
                    .saturating_add(odd)
            }
            Scheme::Split => {
                let lambda = self.mean.unwrap_or(0.0) * n as f64;
                let mut r = rng::cell(self.key ^ 0x5EED_B10C, b);
                let drawn = Poisson::new(lambda).map_or(0.0, |d| d.sample(&mut r));
                // Counts cut to `min..=max` one by one are cut here as a whole.
                (drawn as u64).clamp(n.saturating_mul(self.min), n.saturating_mul(self.max))
            }
        }
    }

    /// The count of the parent left without a partner in an odd block.
    fn unpaired(&self, b: u64) -> u64 {
        let span = (self.max - self.min).saturating_add(1);
        self.min + rng::below(rng::mix(self.key ^ rng::mix(!b)), span)
    }

    /// [`Scheme::Pairs`]: parent `p`'s partner is the one its block's
    /// permutation puts next to it; the pair shares one uniform draw `x`.
    fn paired(&self, p: u64) -> u64 {
        let (b, j) = (p / self.stride, p % self.stride);
        let n = self.block_len(b);
        let slot = rng::Permutation::new(n, rng::mix(self.key ^ b)).apply(j);
        if slot == n - 1 && n % 2 == 1 {
            return self.unpaired(b);
        }
        let span = (self.max - self.min).saturating_add(1);
        let x = rng::below(
            rng::mix(self.key ^ rng::mix(b * self.stride + slot / 2)),
            span,
        );
        if slot % 2 == 0 {
            self.min + x
        } else {
            self.max - x
        }
    }

    /// [`Scheme::Split`]: walks block `b`'s halving tree down to what `find`
    /// asks for; gives (parent within the block, children of the block's
    /// parents before it, its children).
    fn descend(&self, b: u64, find: Find) -> (u64, u64, u64) {
        let (mut lo, mut hi) = (0, self.block_len(b));
        let mut total = self.block_total(b);
        let mut before = 0;
        let cap = self.max - self.min;
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            // Children above each parent's minimum, to share between the halves.
            let extra = total.saturating_sub((hi - lo).saturating_mul(self.min));
            let mut r = rng::cell(self.key ^ rng::mix(b), lo ^ (hi << 32));
            let left_extra = if extra == 0 {
                0
            } else if extra <= cap {
                Binomial::new(extra, (mid - lo) as f64 / (hi - lo) as f64)
                    .map_or(extra / 2, |d| d.sample(&mut r))
            } else {
                // The cap can bind: draw without replacement from each parent's free places.
                Hypergeometric::new(
                    (hi - lo).saturating_mul(cap),
                    (mid - lo).saturating_mul(cap),
                    extra,
                )
                .map_or(extra / 2, |d| d.sample(&mut r))
            };
            // Each half holds at most its parents' caps, whatever was drawn.
            let left_extra = left_extra
                .max(extra.saturating_sub((hi - mid).saturating_mul(cap)))
                .min((mid - lo).saturating_mul(cap));
            let left = (mid - lo)
                .saturating_mul(self.min)
                .saturating_add(left_extra);
            let go_left = match find {
                Find::Parent(j) => j < mid,
                Find::Row(row) => row < before + left,
            };
            if go_left {
                hi = mid;
                total = left;
            } else {
                lo = mid;
                before += left;
                total -= left;
            }
        }
        (lo, before, total)
    }

    /// The first child row of parent `p` (children of a parent are consecutive rows).
    #[must_use]
    pub fn first_child(&self, p: u64) -> u64 {
        let k = usize::try_from(p / self.stride)
            .unwrap_or(usize::MAX)
            .min(self.checkpoints.len().saturating_sub(1));
        let mut first = self.checkpoints.get(k).copied().unwrap_or(0);
        if self.scheme == Scheme::Split {
            return first
                + self
                    .descend(k as u64, Find::Parent(p - k as u64 * self.stride))
                    .1;
        }
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
        if self.scheme == Scheme::Split {
            let (j, within, _) = self.descend(k as u64, Find::Row(row - before));
            return (p + j, row - before - within);
        }
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

/// What [`PerParent::descend`] looks for in a block.
#[derive(Debug, Clone, Copy)]
enum Find {
    /// The parent at this index of the block.
    Parent(u64),
    /// The parent holding this child of the block (counted from the block's first child).
    Row(u64),
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

    /// Every way to ask (count, first child, locate, total) agrees with a
    /// plain walk over the parents.
    fn agrees_with_a_walk(pp: &PerParent) -> Vec<u64> {
        let mut expected = Vec::new();
        let mut counts = Vec::new();
        for p in 0..pp.parent_rows {
            let n = pp.count(p);
            assert!((pp.min..=pp.max).contains(&n), "count {n} of parent {p}");
            assert_eq!(
                pp.first_child(p),
                expected.len() as u64,
                "first child of {p}"
            );
            counts.push(n);
            for i in 0..n {
                expected.push((p, i, n));
            }
        }
        assert_eq!(expected.len() as u64, pp.total);
        let rows: Vec<u64> = (0..pp.total).collect();
        assert_eq!(pp.locate_all(&rows), expected);
        for (row, &(p, i, _)) in expected.iter().enumerate().step_by(7) {
            assert_eq!(pp.locate(row as u64), (p, i), "row {row}");
        }
        counts
    }

    #[test]
    fn block_totals_agree_with_each_parents_count() {
        // Odd parent counts leave a short last block and an unpaired parent.
        for (parents, counts) in [
            (5_001, (0, 4, None)),
            (4_097, (2, 9, None)),
            (3_000, (3, 3, None)),
            (5_001, (0, 30, Some(2.5))),
            (4_099, (1, 3, Some(2.0))),
            (2_051, (0, 1_000_000, Some(40.0))),
        ] {
            for walk_up_to in [u64::MAX, 1] {
                let pp = PerParent::with_walk_limit(0, parents, counts, 7, walk_up_to);
                let expected_scheme = match (walk_up_to, counts.2) {
                    (u64::MAX, _) => Scheme::Walk,
                    (_, Some(_)) => Scheme::Split,
                    (_, None) => Scheme::Pairs,
                };
                assert_eq!(pp.scheme, expected_scheme);
                agrees_with_a_walk(&pp);
            }
        }
    }

    #[test]
    fn block_counts_keep_their_law() {
        #[allow(clippy::cast_precision_loss)]
        let moments = |c: &[u64]| {
            let n = c.len() as f64;
            let mean = c.iter().sum::<u64>() as f64 / n;
            let var = c.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
            (mean, var)
        };
        let pp = PerParent::with_walk_limit(0, 100_000, (0, 4, None), 3, 1);
        let counts = agrees_with_a_walk(&pp);
        for k in 0..=4 {
            let share = counts.iter().filter(|&&c| c == k).count() as f64 / 100_000.0;
            assert!((share - 0.2).abs() < 0.01, "share of {k}: {share}");
        }
        // Pairs are made across the block, not of neighbours.
        let same_as_next = counts.windows(2).filter(|w| w[0] + w[1] == 4).count() as f64;
        assert!(same_as_next / 100_000.0 < 0.3, "{same_as_next}");
        let pp = PerParent::with_walk_limit(0, 100_000, (0, 1000, Some(3.0)), 3, 1);
        let (mean, var) = moments(&agrees_with_a_walk(&pp));
        assert!((mean - 3.0).abs() < 0.03, "mean {mean}");
        assert!((var - 3.0).abs() < 0.1, "variance {var}");
    }

    #[test]
    fn billions_of_parents_are_planned_without_visiting_them() {
        let pp = PerParent::new(0, 4_000_000_000, (0, 4, None), 1);
        assert_eq!(pp.scheme, Scheme::Pairs);
        // Pairs sum to min + max; only a block's unpaired parent varies.
        assert!(pp.total.abs_diff(8_000_000_000) < 100_000, "{}", pp.total);
        let pp = PerParent::new(0, 4_000_000_000, (0, 40, Some(2.0)), 1);
        assert_eq!(pp.scheme, Scheme::Split);
        assert!(pp.total.abs_diff(8_000_000_000) < 1_000_000, "{}", pp.total);
        let last = pp.total - 1;
        let (p, i) = pp.locate(last);
        assert_eq!(pp.first_child(p) + i, last);
        assert_eq!(i + 1, pp.count(p));
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
