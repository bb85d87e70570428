//! What CHECK bounds mean for one column type, and what each type can hold.
//!
//! Integer and `numeric` bounds are worked out exactly, in units of the
//! column's last digit (`i128`), because `f64` cannot hold every `bigint`:
//! `b >= 9223372036854775000` read as a float is a smaller number. Float
//! bounds keep to what `real` stores, and date and timestamp bounds to what
//! the server will compare them with (see [`temporal`]).

use crate::generate::temporal::{DAY, SECOND};
use crate::pgtext::datetime;
use crate::schema::check::Literal;
use crate::schema::types::BaseType;

/// A bound from a CHECK, as written: the literal and whether it is strict
/// (`>` or `<`).
pub(super) type Bound = (Literal, bool);

/// Floor and ceiling of a decimal literal × 10^`scale` (`"2.345"`, scale 2 →
/// (234, 235)), exactly; values beyond `i128` saturate. `None` when the text
/// is not a decimal number.
/// An exponent, saturated to the range of `i32` (`1e99999999999` is simply
/// beyond every type rather than unreadable).
fn exponent(text: &str) -> Option<i32> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.parse::<i32>().unwrap_or(if text.starts_with('-') {
        i32::MIN
    } else {
        i32::MAX
    }))
}

pub(super) fn scaled(text: &str, scale: u32) -> Option<(i128, i128)> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], exponent(&t[i + 1..])?),
        None => (t, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // value = digits × 10^power
    let digits = format!("{whole}{fraction}");
    let digits = digits.trim_start_matches('0');
    let fraction_len = i32::try_from(fraction.len()).ok()?;
    let scale = i32::try_from(scale).ok()?;
    let power = exponent.saturating_sub(fraction_len).saturating_add(scale);
    let (floor, ceil) = if digits.is_empty() {
        (0, 0)
    } else if power < 0 {
        // Digits past the scale only decide whether to round up: drop them
        // before parsing, so a long literal keeps its meaning.
        let drop = usize::try_from(power.unsigned_abs())
            .unwrap_or(usize::MAX)
            .min(digits.len());
        let (kept, dropped) = digits.split_at(digits.len() - drop);
        let up = i128::from(dropped.bytes().any(|b| b != b'0'));
        if kept.is_empty() {
            (0, up)
        } else if kept.len() > 38 {
            (i128::MAX, i128::MAX)
        } else {
            let n: i128 = kept.parse().ok()?;
            (n, n.saturating_add(up))
        }
    } else if digits.len() > 38 {
        (i128::MAX, i128::MAX)
    } else {
        let n: i128 = digits.parse().ok()?;
        let v = u32::try_from(power)
            .ok()
            .and_then(|p| 10i128.checked_pow(p))
            .and_then(|f| n.checked_mul(f))
            .unwrap_or(i128::MAX);
        (v, v)
    };
    Some(if negative {
        (ceil.saturating_neg(), floor.saturating_neg())
    } else {
        (floor, ceil)
    })
}

/// The tightest inclusive bounds that `lower` and `upper` leave for an
/// integer or `numeric` column, in units of 10^-`scale`.
pub(super) fn fixed(lower: &[Bound], upper: &[Bound], scale: u32) -> (Option<i128>, Option<i128>) {
    let lo = lower
        .iter()
        .filter_map(|(lit, strict)| {
            let (floor, ceil) = scaled(lit.text(), scale)?;
            Some(if *strict {
                floor.saturating_add(1)
            } else {
                ceil
            })
        })
        .max();
    let hi = upper
        .iter()
        .filter_map(|(lit, strict)| {
            let (floor, ceil) = scaled(lit.text(), scale)?;
            Some(if *strict {
                ceil.saturating_sub(1)
            } else {
                floor
            })
        })
        .min();
    (lo, hi)
}

/// What an integer or `numeric` type can hold, in units of 10^-`scale`;
/// `numeric` without a precision is kept to ±10^15 (pgmock's range for it).
pub(super) fn fixed_type_range(base: Option<BaseType>, scale: u32) -> (i128, i128) {
    let digits = |d: u32| {
        10i128
            .checked_pow(d)
            .map_or(i128::MAX, |v| v.saturating_sub(1))
    };
    match base {
        Some(BaseType::SmallInt) => (i16::MIN.into(), i16::MAX.into()),
        Some(BaseType::Integer) => (i32::MIN.into(), i32::MAX.into()),
        Some(BaseType::Oid) => (0, u32::MAX.into()),
        Some(BaseType::Numeric(Some((p, _)))) => (-digits(p), digits(p)),
        Some(BaseType::Numeric(None)) => (-digits(15 + scale), digits(15 + scale)),
        _ => (i64::MIN.into(), i64::MAX.into()),
    }
}

/// The tightest bounds for a `real` or `double precision` column. A strict
/// bound moves by 10^-6, or to the next value the type stores when that is
/// further; a `real` bound is a value `real` can store, so that rounding the
/// generated number to `real` cannot cross it.
pub(super) fn float(lower: &[Bound], upper: &[Bound], real: bool) -> (Option<f64>, Option<f64>) {
    let with_step = |step: f64| {
        let lo = lower
            .iter()
            .filter_map(|(lit, strict)| Some(float_bound(lit.as_f64()?, *strict, real, true, step)))
            .reduce(f64::max);
        let hi = upper
            .iter()
            .filter_map(|(lit, strict)| {
                Some(float_bound(lit.as_f64()?, *strict, real, false, step))
            })
            .reduce(f64::min);
        (lo, hi)
    };
    match with_step(1e-6) {
        // Bounds closer than the step (`x > 0 AND x < 1e-9`): the next stored value.
        (Some(lo), Some(hi)) if lo > hi => with_step(0.0),
        bounds => bounds,
    }
}

#[allow(clippy::cast_possible_truncation)]
fn float_bound(v: f64, strict: bool, real: bool, lower: bool, step: f64) -> f64 {
    let sign = if lower { 1.0 } else { -1.0 };
    let mut b = if strict { v + sign * step } else { v };
    if strict && b == v {
        b = next_f64(v, lower);
    }
    if real {
        // The literal may be compared as `real` or as `double precision`:
        // stay on the right side of both.
        let single = f64::from(v as f32);
        let mut f = b as f32;
        let outside = |f: f32| {
            let x = f64::from(f);
            if lower {
                x < b || (strict && (x <= v || x <= single))
            } else {
                x > b || (strict && (x >= v || x >= single))
            }
        };
        while outside(f) && f.is_finite() {
            f = next_f32(f, lower);
        }
        b = f64::from(f);
    }
    b
}

fn next_f64(v: f64, up: bool) -> f64 {
    if v.is_nan() || v.is_infinite() {
        return v;
    }
    if v == 0.0 {
        let tiny = f64::from_bits(1);
        return if up { tiny } else { -tiny };
    }
    let bits = v.to_bits();
    let away = (v > 0.0) == up;
    f64::from_bits(if away { bits + 1 } else { bits - 1 })
}

fn next_f32(v: f32, up: bool) -> f32 {
    if v.is_nan() || v.is_infinite() {
        return v;
    }
    if v == 0.0 {
        let tiny = f32::from_bits(1);
        return if up { tiny } else { -tiny };
    }
    let bits = v.to_bits();
    let away = (v > 0.0) == up;
    f32::from_bits(if away { bits + 1 } else { bits - 1 })
}

/// The kinds of date and time columns CHECK bounds apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Temporal {
    /// `date`, in days.
    Date,
    /// `timestamp`, in µs.
    Timestamp,
    /// `timestamptz`, in µs.
    TimestampTz,
}

/// Bounds are kept within ±2^62 µs of 1970 (about 146,000 years).
const FARTHEST: i64 = 1 << 62;
/// How far east of UTC a server's `TimeZone` may be (`Pacific/Kiritimati`).
const MOST_EAST: i64 = 14 * 3600 * SECOND;
/// How far west of UTC a server's `TimeZone` may be (`Etc/GMT+12`).
const MOST_WEST: i64 = 12 * 3600 * SECOND;

/// The tightest inclusive bounds for a date (days) or timestamp (µs)
/// column, as the server reads the literals:
///
/// - for `date`, a literal is a date (`'2023-06-01 12:00'` is 2023-06-01);
/// - for `timestamp`, a UTC offset in the literal is ignored;
/// - for `timestamptz`, a literal without an offset is read in the
///   server's `TimeZone` when the table is created, which pgmock cannot
///   know: bounds then hold for every time zone (UTC−12 to UTC+14).
///
/// Strict bounds move by a day or a second, the steps values are made in.
pub(super) fn temporal(
    lower: &[Bound],
    upper: &[Bound],
    kind: Temporal,
) -> (Option<i64>, Option<i64>) {
    let bound = |(lit, strict): &Bound, is_lower: bool| -> Option<i64> {
        let (local, offset) = temporal_literal(lit.text())?;
        let sign = if is_lower { 1 } else { -1 };
        let step = sign * i64::from(*strict);
        let bound = match kind {
            Temporal::Date => local.div_euclid(DAY).saturating_add(step),
            Temporal::Timestamp => local.saturating_add(step * SECOND),
            Temporal::TimestampTz => {
                let instant = match offset {
                    Some(utc) => utc,
                    None if is_lower => local.saturating_add(MOST_WEST),
                    None => local.saturating_sub(MOST_EAST),
                };
                instant.saturating_add(step * SECOND)
            }
        };
        // Far enough for any real bound, and near enough that the span between
        // two bounds, in µs, fits an `i64`.
        Some(bound.clamp(-FARTHEST, FARTHEST))
    };
    let lo = lower.iter().filter_map(|b| bound(b, true)).max();
    let hi = upper.iter().filter_map(|b| bound(b, false)).min();
    (lo, hi)
}

/// A date or timestamp literal: its wall-clock time in µs, and the instant
/// it names when it carries a UTC offset (`Z`, `+02`, `-05:30`).
pub(super) fn temporal_literal(text: &str) -> Option<(i64, Option<i64>)> {
    let text = text.trim();
    let time_at = text.find([' ', 'T']).map_or(text.len(), |i| i + 1);
    let offset_at = text[time_at..]
        .find(['+', '-', 'Z'])
        .map(|i| time_at + i)
        .filter(|_| !text.ends_with(" BC"));
    match offset_at {
        Some(i) => {
            let local = datetime::parse_timestamp(text[..i].trim_end())?;
            Some((local, Some(datetime::parse_timestamp(text)?)))
        }
        None => Some((datetime::parse_timestamp(text)?, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Literal {
        Literal::Number(s.into())
    }

    #[test]
    fn decimals_scale_exactly() {
        assert_eq!(scaled("2.345", 2), Some((234, 235)));
        assert_eq!(scaled("-2.345", 2), Some((-235, -234)));
        assert_eq!(scaled("0.1", 2), Some((10, 10)));
        assert_eq!(scaled("1e3", 0), Some((1000, 1000)));
        assert_eq!(scaled("1.5E-1", 1), Some((1, 2)));
        assert_eq!(
            scaled("9223372036854775000", 0),
            Some((9_223_372_036_854_775_000, 9_223_372_036_854_775_000))
        );
        assert_eq!(scaled(".5", 0), Some((0, 1)));
        assert_eq!(scaled("abc", 0), None);
        assert_eq!(scaled("1e400", 0), Some((i128::MAX, i128::MAX)));
    }

    #[test]
    fn integer_bounds_round_inwards() {
        let (lo, hi) = fixed(&[(lit("3.5"), false)], &[(lit("7"), true)], 0);
        assert_eq!((lo, hi), (Some(4), Some(6)));
        let (lo, hi) = fixed(
            &[(lit("3"), true), (lit("1"), false)],
            &[(lit("7.5"), false)],
            0,
        );
        assert_eq!((lo, hi), (Some(4), Some(7)));
    }

    #[test]
    fn real_bounds_survive_rounding_to_real() {
        let (lo, hi) = float(&[(lit("1000000"), true)], &[(lit("0.1"), false)], true);
        let (lo, hi) = (lo.unwrap(), hi.unwrap());
        assert!(f64::from(lo as f32) > 1_000_000.0 && f64::from(lo as f32) == lo);
        assert!(hi <= 0.1 && f64::from(hi as f32) == hi);
    }

    #[test]
    fn timestamptz_bounds_hold_in_every_time_zone() {
        let text = |s: &str| (Literal::Text(s.into()), false);
        let day = |s: &str| datetime::parse_timestamp(s).unwrap();
        let (lo, hi) = temporal(
            &[text("2024-01-01")],
            &[text("2024-02-01 00:00:00+00")],
            Temporal::TimestampTz,
        );
        assert_eq!(lo, Some(day("2024-01-01 12:00:00")));
        assert_eq!(hi, Some(day("2024-02-01")));
        let (lo, _) = temporal(&[text("2024-01-01 23:00+02")], &[], Temporal::Timestamp);
        assert_eq!(lo, Some(day("2024-01-01 23:00:00")));
        let (lo, hi) = temporal(
            &[text("2023-06-01")],
            &[(Literal::Text("2023-06-30".into()), true)],
            Temporal::Date,
        );
        assert_eq!(lo, Some(day("2023-06-01") / DAY));
        assert_eq!(hi, Some(day("2023-06-29") / DAY));
    }
}
