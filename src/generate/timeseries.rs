//! Timestamps that follow a time series: a trend over the years, seasons by
//! month, weekly and daily rhythms, bursts on chosen days. A row's instant is
//! drawn by inverting the cumulative weight of the days, then of the hours,
//! so it stays a pure function of (key, row).

use super::rng;
use super::temporal::{DAY, SECOND};
use super::{FillCtx, ValueGen};
use crate::pgtext::datetime;
use crate::value::{ColumnBuf, ColumnData};

/// The shape of a time series, as the project file states it.
#[derive(Debug, Clone)]
pub struct Shape {
    /// First day (days since 1970-01-01), inclusive.
    pub start_day: i64,
    /// Last day, inclusive.
    pub end_day: i64,
    /// Growth per year: 0.5 means each year has 1.5 times the previous one's rows.
    pub trend: f64,
    /// Weights of the 24 hours of the day.
    pub hours: [f64; 24],
    /// Weights of the weekdays, Monday first.
    pub weekdays: [f64; 7],
    /// Weights of the months, January first.
    pub months: [f64; 12],
    /// Weights of the days of the month, the 1st first (paydays on the 1st and 15th).
    pub month_days: [f64; 31],
    /// Factor of the last day of each month, whatever its number (month-end peaks).
    pub month_end: f64,
    /// Days with more (factor > 1) or fewer rows: (first day, number of days, factor).
    pub bursts: Vec<(i64, i64, f64)>,
}

/// Instants drawn from a [`Shape`].
#[derive(Debug, Clone)]
pub struct TimeSeries {
    start_day: i64,
    /// Running total of the day weights.
    days: Vec<f64>,
    /// Running total of the hour weights.
    hours: [f64; 24],
    /// Write dates (days) rather than timestamps (µs).
    date: bool,
}

impl TimeSeries {
    /// Precomputes the cumulative weights (one entry per day of the range).
    #[must_use]
    pub fn new(shape: &Shape, date: bool) -> Self {
        let n = (shape.end_day - shape.start_day + 1).clamp(1, 200 * 366);
        let mut days = Vec::with_capacity(usize::try_from(n).unwrap_or(1));
        let mut total = 0.0;
        for i in 0..n {
            let day = shape.start_day + i;
            let (_, month, dom) = datetime::civil_from_days(i32::try_from(day).unwrap_or(0));
            let (_, _, next_dom) = datetime::civil_from_days(i32::try_from(day + 1).unwrap_or(0));
            // 1970-01-01 was a Thursday: with Monday as 0, Thursday is 3.
            let weekday = usize::try_from((day + 3).rem_euclid(7)).unwrap_or(0);
            #[allow(clippy::cast_precision_loss)]
            let years = i as f64 / 365.25;
            let mut w = (1.0 + shape.trend).max(0.0).powf(years)
                * shape.weekdays[weekday]
                * shape.months[usize::try_from(month.saturating_sub(1))
                    .unwrap_or(0)
                    .min(11)];
            w *= shape.month_days[usize::try_from(dom.saturating_sub(1)).unwrap_or(0).min(30)];
            if next_dom == 1 {
                w *= shape.month_end;
            }
            for &(first, len, factor) in &shape.bursts {
                if day >= first && day < first + len {
                    w *= factor;
                }
            }
            total += w.max(0.0);
            days.push(total);
        }
        let mut hours = [0.0; 24];
        let mut h_total = 0.0;
        for (h, w) in shape.hours.iter().enumerate() {
            h_total += w.max(0.0);
            hours[h] = h_total;
        }
        Self {
            start_day: shape.start_day,
            days,
            hours,
            date,
        }
    }

    fn value(&self, key: u64, row: u64) -> i64 {
        let x = rng::mix(key ^ rng::mix(row));
        let total = self.days.last().copied().unwrap_or(0.0);
        let day = if total > 0.0 {
            self.days.partition_point(|&c| c <= rng::unit(x) * total)
        } else {
            0
        };
        let day =
            self.start_day + i64::try_from(day.min(self.days.len().saturating_sub(1))).unwrap_or(0);
        if self.date {
            return day;
        }
        day * DAY + self.time_of_day(x)
    }
}

impl TimeSeries {
    /// An instant of the series after `lower` (days for dates, µs
    /// otherwise), drawn with `u` in [0, 1) and `x` for the time of day:
    /// the series restricted to what follows `lower`, so a row after its
    /// parent keeps the seasons and rhythms. `None` when the series ends
    /// before `lower`.
    #[must_use]
    pub fn after(&self, lower: i64, u: f64, x: u64) -> Option<i64> {
        let lower_day = if self.date {
            lower
        } else {
            lower.div_euclid(DAY)
        };
        let first = usize::try_from(lower_day - self.start_day).unwrap_or(0);
        if first >= self.days.len() {
            return None;
        }
        let before = if first == 0 {
            0.0
        } else {
            self.days[first - 1]
        };
        let total = self.days.last().copied().unwrap_or(0.0);
        if total - before <= 0.0 {
            return None;
        }
        let target = before + u * (total - before);
        let day = self
            .days
            .partition_point(|&c| c <= target)
            .clamp(first, self.days.len() - 1);
        let day = self.start_day + i64::try_from(day).unwrap_or(0);
        if self.date {
            // A date after a date: the next day at the earliest.
            return Some(day.max(lower + 1));
        }
        let at = day * DAY + self.time_of_day(x);
        // On the lower bound's own day the drawn hour may come first.
        Some(if at > lower {
            at
        } else {
            lower + (1 + i64::try_from(rng::below(x, 3600)).unwrap_or(0)) * SECOND
        })
    }

    /// A time of day (µs) by the hour weights, from one random word.
    fn time_of_day(&self, x: u64) -> i64 {
        let y = rng::mix(x);
        let h_total = self.hours[23];
        let hour = if h_total > 0.0 {
            self.hours
                .partition_point(|&c| c <= rng::unit(y) * h_total)
                .min(23)
        } else {
            0
        };
        let second = i64::try_from(rng::below(rng::mix(y), 3600)).unwrap_or(0);
        i64::try_from(hour).unwrap_or(0) * 3600 * SECOND + second * SECOND
    }
}

impl ValueGen for TimeSeries {
    fn time_series(&self) -> Option<&TimeSeries> {
        Some(self)
    }

    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        match &mut out.data {
            ColumnData::Date(v) => v.extend(
                ctx.rows
                    .iter()
                    .map(|&r| i32::try_from(self.value(ctx.key, r)).unwrap_or(0)),
            ),
            ColumnData::Micros(v) => v.extend(ctx.rows.iter().map(|&r| self.value(ctx.key, r))),
            _ => {}
        }
        out.nulls.resize(out.nulls.len() + ctx.rows.len(), false);
    }
}

/// A day's activity in most online services: low at night, a morning rise,
/// an afternoon plateau and an evening peak.
pub const DIURNAL: [f64; 24] = [
    0.6, 0.4, 0.3, 0.25, 0.25, 0.35, 0.6, 1.0, 1.5, 1.8, 1.9, 1.9, 2.0, 1.9, 1.8, 1.8, 1.8, 1.9,
    2.1, 2.3, 2.3, 2.0, 1.5, 1.0,
];
/// Office hours: 9 to 18 on weekdays carry almost everything.
pub const BUSINESS_HOURS: [f64; 24] = [
    0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.05, 0.2, 0.8, 1.0, 1.0, 1.0, 0.8, 1.0, 1.0, 1.0, 1.0,
    0.8, 0.3, 0.1, 0.05, 0.05, 0.02, 0.02,
];
