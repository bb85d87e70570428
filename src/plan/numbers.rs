//! Default values for integer, `numeric` and floating-point columns: the
//! range their name suggests (`price`, `age`, `year`...), narrowed by CHECK
//! bounds and by what the type can hold, and unique values within them.

use crate::error::Problem;
use crate::generate::distribution::{Dist, Number, Sequence};
use crate::generate::ValueGen;
use crate::schema::check::Literal;
use crate::schema::types::BaseType;
use crate::schema::Column;

use super::bounds;
use super::infer::{impossible_unique, null_gen, numeric_by_name, numeric_limit, Rules};

/// Integers and `numeric`: the name-based default range, narrowed by CHECK
/// bounds and by what the type holds. Worked out exactly, in units of the
/// column's last digit, so that bounds near the limits of `bigint` hold.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss
)]
pub(super) fn fixed_point(
    base: BaseType,
    name: &str,
    rule: &Rules,
    rows: u64,
    col: &Column,
    problems: &mut Vec<Problem>,
) -> Box<dyn ValueGen> {
    let scale = match base {
        BaseType::Numeric(Some((_, s))) => s,
        BaseType::Numeric(None) => 2,
        _ => 0,
    };
    let factor = 10i128.checked_pow(scale).unwrap_or(i128::MAX);
    let f = factor as f64;
    let (dist, name_lo, name_hi) = numeric_by_name(name);
    let limit = numeric_limit(base);
    let (name_lo, name_hi) = (name_lo.max(-limit), name_hi.min(limit));
    // The name's range in the same units, rounded inwards the way `Number` does.
    let (name_lo_s, name_hi_s) = ((name_lo * f).ceil() as i128, (name_hi * f).floor() as i128);
    let (check_lo, check_hi) = bounds::fixed(&rule.lower, &rule.upper, scale);
    let (type_lo, type_hi) = bounds::fixed_type_range(Some(base), scale);
    let mut lo = check_lo.unwrap_or(name_lo_s);
    let mut hi = check_hi.unwrap_or(name_hi_s);
    let widen = factor.saturating_mul(1000);
    if check_hi.is_none() && hi < lo {
        hi = lo.saturating_add(widen);
    }
    if check_lo.is_none() && lo > hi {
        lo = hi.saturating_sub(widen);
    }
    lo = lo.max(type_lo);
    hi = hi.min(type_hi);
    if lo > hi {
        let checks_alone = matches!((check_lo, check_hi), (Some(a), Some(b)) if a > b);
        let by_type = (!checks_alone).then_some((base, Some((type_lo, type_hi))));
        problems.push(no_value_left(name, rule, col, by_type, scale));
        hi = lo;
    }
    // A unique integer that no check caps gets room for its rows: the
    // name's default range (say 1–1000) is only a default.
    let needed = i128::from(rows).saturating_mul(2);
    if rule.unique
        && check_hi.is_none()
        && !matches!(base, BaseType::Numeric(_))
        && hi.saturating_sub(lo).saturating_add(1) < i128::from(rows)
    {
        hi = lo.saturating_add(needed - 1).min(type_hi);
    }
    // Keep the name's own f64 bounds where they still apply, so the draws stay as they were.
    let min = if lo == name_lo_s {
        name_lo
    } else {
        lo as f64 / f
    };
    let max = if hi == name_hi_s {
        name_hi
    } else {
        hi as f64 / f
    };
    let rows_i = i128::from(rows);
    if rule.unique {
        if matches!(base, BaseType::Numeric(_)) {
            // Unique decimals count up in steps of the last digit (from the
            // digit 1, as they always have, when the bounds allow it).
            let hard_lo = check_lo.map_or(type_lo, |c| c.max(type_lo));
            let hard_hi = check_hi.map_or(type_hi, |c| c.min(type_hi));
            if hard_hi.saturating_sub(hard_lo).saturating_add(1) < rows_i {
                let span = hard_hi.saturating_sub(hard_lo).saturating_add(1).max(0);
                problems.push(impossible_unique(col, rule, rows, span));
                return null_gen();
            }
            let start = (min.max(1.0) as i128)
                .max(hard_lo)
                .min(hard_hi - (rows_i - 1).max(0));
            // The last value must fit too, or the counter would wrap.
            let last = start.saturating_add((rows_i - 1).max(0));
            return match (i64::try_from(start), i64::try_from(last)) {
                (Ok(start), Ok(_)) => Box::new(Sequence { start, step: 1 }),
                _ => {
                    problems.push(
                        Problem::new(
                            &col.pointer,
                            format!("pgmock cannot make unique values of `{name}` this large"),
                        )
                        .hint("give the column an explicit generator"),
                    );
                    null_gen()
                }
            };
        }
        let span = hi.saturating_sub(lo).saturating_add(1);
        if span < rows_i {
            problems.push(impossible_unique(col, rule, rows, span));
        }
    }
    // Log-normal defaults outside the bounds would pile up at a clamp; use uniform then.
    let dist = if rule.has_bounds() && min < 0.01 {
        Dist::Uniform
    } else {
        dist
    };
    Box::new(Number {
        rounding: None,
        dist,
        min,
        max,
        // In the units `exact` is in (integer columns do not use it).
        scale,
        unique: rule.unique,
        rows,
        exact: Some((lo, hi)),
    })
}

/// `real` and `double precision`: the name-based default range, narrowed by
/// CHECK bounds and by what the type holds.
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
pub(super) fn floating(
    base: BaseType,
    name: &str,
    rule: &Rules,
    rows: u64,
    col: &Column,
    problems: &mut Vec<Problem>,
) -> Box<dyn ValueGen> {
    let real = base == BaseType::Real;
    let (dist, mut lo, mut hi) = numeric_by_name(name);
    let limit = numeric_limit(base);
    hi = hi.min(limit);
    lo = lo.max(-limit);
    let (check_lo, check_hi) = bounds::float(&rule.lower, &rule.upper, real);
    if let Some(m) = check_lo {
        lo = m;
        if check_hi.is_none() && hi < lo {
            hi = lo + 1000.0;
        }
    }
    if let Some(m) = check_hi {
        hi = m;
        if check_lo.is_none() && lo > hi {
            lo = hi - 1000.0;
        }
    }
    let type_max = if real { f64::from(f32::MAX) } else { f64::MAX };
    lo = lo.max(-type_max);
    hi = hi.min(type_max);
    if lo > hi || lo.is_nan() || hi.is_nan() {
        let checks_alone = matches!((check_lo, check_hi), (Some(a), Some(b)) if a > b);
        let by_type = (!checks_alone).then_some((base, None));
        problems.push(no_value_left(name, rule, col, by_type, 0));
        hi = lo;
    }
    if rule.unique {
        // Unique floats are whole numbers counting up from 1, moved inside the bounds.
        let hard_lo = check_lo.unwrap_or(-type_max).ceil();
        let hard_hi = check_hi.unwrap_or(type_max).floor();
        let last_start = hard_hi - (rows.saturating_sub(1)) as f64;
        let start = 1f64.max(hard_lo).min(last_start);
        // Counted in i64, so the whole run must fit there as well.
        let fits_i64 = start >= -9.0e18 && start + rows as f64 <= 9.0e18;
        if start < hard_lo || !fits_i64 || rows as f64 > 2f64.powi(if real { 24 } else { 53 }) {
            problems.push(
                Problem::new(
                    &col.pointer,
                    format!(
                        "pgmock makes unique `{base}` values as whole numbers, and the checks on `{name}` leave too few of them for {rows} rows"
                    ),
                )
                .hint("lower the row count, widen the check, or give the column an explicit generator"),
            );
            return null_gen();
        }
        return Box::new(Sequence {
            start: start as i64,
            step: 1,
        });
    }
    let dist = if rule.has_bounds() && lo < 0.01 {
        Dist::Uniform
    } else {
        dist
    };
    Box::new(Number {
        rounding: None,
        dist,
        min: lo,
        max: hi,
        scale: 2,
        unique: false,
        rows,
        exact: None,
    })
}

/// CHECK bounds that leave no value (`by_type`: none the column's type can
/// hold, within `holds`, in units of 10^-`scale`).
#[allow(clippy::cast_precision_loss)]
fn no_value_left(
    name: &str,
    rule: &Rules,
    col: &Column,
    by_type: Option<(BaseType, Option<(i128, i128)>)>,
    scale: u32,
) -> Problem {
    let lo = rule
        .lower
        .iter()
        .filter_map(|(l, _)| l.as_f64())
        .reduce(f64::max);
    let hi = rule
        .upper
        .iter()
        .filter_map(|(l, _)| l.as_f64())
        .reduce(f64::min);
    let asked = match (lo, hi) {
        (Some(lo), Some(hi)) => format!("between {lo} and {hi}"),
        _ => describe_bounds(name, rule),
    };
    let Some((base, holds)) = by_type else {
        return Problem::new(
            &col.pointer,
            format!("checks on `{name}` leave no possible value ({asked})"),
        );
    };
    let holds = holds.map_or_else(String::new, |(lo, hi)| {
        let factor = 10f64.powi(i32::try_from(scale).unwrap_or(0));
        format!(" ({} to {})", lo as f64 / factor, hi as f64 / factor)
    });
    Problem::new(
        &col.pointer,
        format!(
            "checks on `{name}` ({}) leave no value that `{base}` can hold{holds}",
            describe_bounds(name, rule)
        ),
    )
    .hint("change the check, or widen the column's type")
}

/// The bounds of a column as conditions: `d >= '2024-01-01' AND d < '2024-02-01'`.
pub(super) fn describe_bounds(name: &str, rule: &Rules) -> String {
    let lower = rule
        .lower
        .iter()
        .map(|(l, strict)| (l, if *strict { ">" } else { ">=" }));
    let upper = rule
        .upper
        .iter()
        .map(|(l, strict)| (l, if *strict { "<" } else { "<=" }));
    lower
        .chain(upper)
        .map(|(l, op)| match l {
            Literal::Number(n) => format!("{name} {op} {n}"),
            Literal::Text(t) => format!("{name} {op} '{}'", t.replace('\'', "''")),
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}
