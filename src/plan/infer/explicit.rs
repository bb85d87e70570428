//! Explicit generators (`"generator": {"kind": ...}`): options checked
//! against the column's type and bounds.

use super::*;
use crate::generate::kinds::registry;

pub(in crate::plan) fn explicit(
    schema: &Schema,
    table: &Table,
    col: &Column,
    spec: &crate::schema::GeneratorSpec,
    rule: &Rules,
    rows: u64,
) -> Result<Box<dyn ValueGen>, Problem> {
    let format = format_of(schema, &col.ty);
    let ptr = &spec.pointer;
    let opt = |k: &str| spec.options.get(k);
    let allowed: &[&str] = match spec.kind.as_str() {
        "sequence" => &["start", "step", "jitter"],
        "uniform" => &["min", "max", "round_to", "round_share"],
        "normal" => &["mean", "std_dev", "min", "max", "round_to", "round_share"],
        "lognormal" | "log_normal" => &["mu", "sigma", "min", "max", "round_to", "round_share"],
        "exponential" => &["mean", "min", "max", "round_to", "round_share"],
        "timeseries" | "time_series" => &[
            "start",
            "end",
            "trend",
            "hours",
            "weekdays",
            "months",
            "days_of_month",
            "month_end",
            "business_hours",
            "bursts",
        ],
        "poisson" => &["mean", "min", "max"],
        "zipf" => &["n", "exponent", "min", "max"],
        "pareto" => &["scale", "shape", "min", "max", "round_to", "round_share"],
        "geometric" => &["p", "min", "max"],
        "weighted" | "choice" => &["values", "weights", "choices"],
        "constant" => &["value"],
        "bool" | "boolean" => &["probability"],
        _ => &[],
    };
    for k in spec.options.keys() {
        if !allowed.contains(&k.as_str()) {
            let mut p = Problem::new(
                child(ptr, k),
                format!("unknown option `{k}` for generator `{}`", spec.kind),
            )
            .at_key();
            if let Some(s) = crate::diagnostic::did_you_mean(k, allowed.iter().copied()) {
                p = p.hint(format!("did you mean `{s}`?"));
            } else if !allowed.is_empty() {
                p = p.hint(format!(
                    "options of `{}`: {}",
                    spec.kind,
                    allowed.join(", ")
                ));
            }
            return Err(p);
        }
    }
    let num = |k: &str| -> Result<Option<f64>, Problem> {
        match opt(k) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| Problem::new(child(ptr, k), format!("`{k}` must be a number"))),
        }
    };
    // Spreads and probabilities outside their range would be clamped or
    // misread silently; say so instead.
    for (k, lo, hi) in [
        ("std_dev", 0.0, f64::MAX),
        ("sigma", 0.0, f64::MAX),
        ("probability", 0.0, 1.0),
    ] {
        if let Some(v) = num(k)?.filter(|v| !(lo..=hi).contains(v)) {
            let expected = if hi == 1.0 {
                "between 0 and 1"
            } else {
                "0 or more"
            };
            return Err(Problem::new(
                child(ptr, k),
                format!("`{k}` must be {expected}, found {v}"),
            ));
        }
    }
    let temporal = matches!(
        format,
        ValueFormat::Date | ValueFormat::Timestamp | ValueFormat::TimestampTz | ValueFormat::Time
    );
    let bound = |k: &str| -> Result<Option<i64>, Problem> {
        let Some(v) = opt(k) else { return Ok(None) };
        let s = v.as_str().ok_or_else(|| {
            Problem::new(
                child(ptr, k),
                format!("`{k}` must be a date or timestamp string"),
            )
        })?;
        let parsed = match format {
            ValueFormat::Date => datetime::parse_date(s).map(i64::from),
            ValueFormat::Time => datetime::parse_time(s),
            _ => datetime::parse_timestamp(s),
        };
        parsed.map(Some).ok_or_else(|| {
            Problem::new(
                child(ptr, k),
                format!(
                    "cannot read `{s}` as a {}",
                    if format == ValueFormat::Date {
                        "date (YYYY-MM-DD)"
                    } else {
                        "timestamp (YYYY-MM-DD HH:MM:SS)"
                    }
                ),
            )
        })
    };
    let scale = if let ValueFormat::Numeric { scale } = format {
        scale
    } else {
        2
    };
    let numeric_ok = format.is_numeric();
    let need_numeric = || {
        Problem::new(
            ptr,
            format!(
                "generator `{}` makes numbers, but `{}` is not a numeric column",
                spec.kind, col.name
            ),
        )
    };
    Ok(match spec.kind.as_str() {
        "sequence"
            if matches!(
                format,
                ValueFormat::Date | ValueFormat::Timestamp | ValueFormat::TimestampTz
            ) =>
        {
            temporal_sequence(spec, format, rule, rows, &bound)?
        }
        "sequence" => {
            if !numeric_ok {
                return Err(need_numeric());
            }
            let start = num("start")?.unwrap_or(1.0);
            let step = num("step")?.unwrap_or(1.0);
            let jitter = num("jitter")?.unwrap_or(0.0);
            if !(jitter.is_finite() && jitter >= 0.0) {
                return Err(Problem::new(
                    child(ptr, "jitter"),
                    format!("`jitter` must be 0 or more, found {jitter}"),
                ));
            }
            if rule.unique && jitter * 2.0 >= step.abs() {
                return Err(unique_problem(
                    col,
                    rule,
                    format!(
                        "a `jitter` of {jitter} on a step of {step} lets values of `{}` repeat",
                        col.name
                    ),
                    Some("keep `jitter` under half the step, so values stay in order and distinct"),
                ));
            }
            let base = numeric_base(schema, &col.ty);
            let (tlo, thi) = type_range(base);
            let last = start + step * rows.saturating_sub(1) as f64;
            if [start, last].iter().any(|v| !(tlo..=thi).contains(v)) {
                return Err(Problem::new(
                    ptr,
                    format!(
                        "the sequence runs from {start} to {last} over {rows} rows, outside what `{}` can hold ({tlo} to {thi})",
                        base.map_or_else(|| col.name.clone(), |b| b.to_string())
                    ),
                )
                .hint("lower `start` or `step`, or widen the column's type"));
            }
            // Numeric columns hold units of their last digit.
            let (start, step) = match format {
                ValueFormat::Numeric { scale } => {
                    let unit = 10f64.powi(i32::try_from(scale).unwrap_or(0));
                    ((start * unit).round(), (step * unit).round())
                }
                _ => (start, step),
            };
            if jitter > 0.0 {
                let jitter = match format {
                    ValueFormat::Numeric { scale } => {
                        (jitter * 10f64.powi(i32::try_from(scale).unwrap_or(0))).round()
                    }
                    _ => jitter.round(),
                };
                let (tlo, thi) = type_range(numeric_base(schema, &col.ty));
                if [start - jitter, last + jitter]
                    .iter()
                    .any(|v| !(tlo..=thi).contains(v))
                {
                    return Err(Problem::new(child(ptr, "jitter"), format!("with a `jitter` of {jitter} the sequence leaves what `{}` can hold ({tlo} to {thi})", col.name)));
                }
                Box::new(Jittered {
                    start: start as i64,
                    step: step as i64,
                    jitter: jitter as i64,
                    unit: 1,
                })
            } else {
                Box::new(Sequence {
                    start: start as i64,
                    step: step as i64,
                })
            }
        }
        "timeseries" | "time_series" => {
            if rule.unique {
                return Err(Problem::new(ptr, format!("a time series draws each instant on its own, so it cannot keep `{}` unique", col.name)).hint("use `uniform`, which permutes instants for unique columns"));
            }
            if !matches!(
                format,
                ValueFormat::Date | ValueFormat::Timestamp | ValueFormat::TimestampTz
            ) {
                return Err(Problem::new(ptr, format!("generator `{}` makes dates and timestamps, but `{}` is not a date or timestamp column", spec.kind, col.name)));
            }
            let day_of = |k: &str, default: i64| -> Result<i64, Problem> {
                match opt(k) {
                    None => Ok(default),
                    Some(v) => v
                        .as_str()
                        .and_then(|t| datetime::parse_date(t.get(..10).unwrap_or(t)))
                        .map(i64::from)
                        .ok_or_else(|| {
                            Problem::new(
                                child(ptr, k),
                                format!("`{k}` must be a date as \"YYYY-MM-DD\""),
                            )
                        }),
                }
            };
            let start_day = day_of("start", i64::from(datetime::days_from_civil(2020, 1, 1)))?;
            let end_day = day_of("end", i64::from(datetime::days_from_civil(2024, 12, 31)))?;
            if end_day < start_day {
                return Err(Problem::new(ptr, "`end` is before `start`"));
            }
            let weights = |k: &str, n: usize| -> Result<Option<Vec<f64>>, Problem> {
                let Some(v) = opt(k) else { return Ok(None) };
                let list: Option<Vec<f64>> = v.as_array().map(|a| {
                    a.iter()
                        .filter_map(Value::as_f64)
                        .filter(|w| *w >= 0.0)
                        .collect()
                });
                match list {
                    Some(l) if l.len() == n && v.as_array().is_some_and(|a| a.len() == n) => {
                        Ok(Some(l))
                    }
                    _ => Err(Problem::new(
                        child(ptr, k),
                        format!("`{k}` must be a list of {n} weights ≥ 0"),
                    )),
                }
            };
            let business = opt("business_hours")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let mut hours = if business {
                crate::generate::timeseries::BUSINESS_HOURS
            } else {
                [1.0; 24]
            };
            if let Some(h) = weights("hours", 24)? {
                hours.copy_from_slice(&h);
            }
            let mut weekdays = if business {
                [1.0, 1.0, 1.0, 1.0, 1.0, 0.1, 0.05]
            } else {
                [1.0; 7]
            };
            if let Some(w) = weights("weekdays", 7)? {
                weekdays.copy_from_slice(&w);
            }
            let mut months = [1.0; 12];
            if let Some(m) = weights("months", 12)? {
                months.copy_from_slice(&m);
            }
            let mut month_days = [1.0; 31];
            if let Some(d) = weights("days_of_month", 31)? {
                month_days.copy_from_slice(&d);
            }
            let month_end = num("month_end")?.unwrap_or(1.0);
            if month_end < 0.0 {
                return Err(Problem::new(
                    child(ptr, "month_end"),
                    "`month_end` is a factor for the last day of each month and must be ≥ 0",
                ));
            }
            let trend = num("trend")?.unwrap_or(0.0);
            if trend <= -1.0 {
                return Err(Problem::new(
                    child(ptr, "trend"),
                    "`trend` is the growth per year and must be above -1 (−0.5 halves each year)",
                ));
            }
            let mut bursts = Vec::new();
            if let Some(list) = opt("bursts") {
                for (i, b) in list
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    let bp = child(&child(ptr, "bursts"), &i.to_string());
                    let at = b
                        .get("at")
                        .and_then(Value::as_str)
                        .and_then(datetime::parse_date);
                    let factor = b
                        .get("factor")
                        .and_then(Value::as_f64)
                        .filter(|f| *f >= 0.0);
                    match (at, factor) {
                        (Some(at), Some(factor)) => bursts.push((
                            i64::from(at),
                            b.get("days").and_then(Value::as_i64).unwrap_or(1).max(1),
                            factor,
                        )),
                        _ => return Err(Problem::new(
                            bp,
                            "a burst is `{ \"at\": \"YYYY-MM-DD\", \"days\": 3, \"factor\": 5 }`",
                        )),
                    }
                }
                if !list.is_array() {
                    return Err(Problem::new(
                        child(ptr, "bursts"),
                        "`bursts` must be a list",
                    ));
                }
            }
            let shape = crate::generate::timeseries::Shape {
                start_day,
                end_day,
                trend,
                hours,
                weekdays,
                months,
                month_days,
                month_end,
                bursts,
            };
            Box::new(crate::generate::timeseries::TimeSeries::new(
                &shape,
                format == ValueFormat::Date,
            ))
        }
        "uniform" if temporal => {
            let min = bound("min")?.unwrap_or(0);
            let max = bound("max")?.unwrap_or(min + 365 * DAY);
            if min > max {
                return Err(Problem::new(ptr, "`min` is after `max`"));
            }
            let granularity = if format == ValueFormat::Date {
                1
            } else {
                SECOND
            };
            Box::new(Instant {
                min,
                max,
                granularity,
                unique: rule.unique,
            })
        }
        "uniform" | "normal" | "lognormal" | "log_normal" | "exponential" | "poisson" | "zipf"
        | "pareto" | "geometric" => {
            if !numeric_ok {
                return Err(need_numeric());
            }
            let positive = |k: &str, default: f64| -> Result<f64, Problem> {
                match num(k)? {
                    Some(v) if v > 0.0 && v.is_finite() => Ok(v),
                    Some(v) => Err(Problem::new(
                        child(ptr, k),
                        format!("`{k}` must be a number above 0, found {v}"),
                    )),
                    None => Ok(default),
                }
            };
            let dist = match spec.kind.as_str() {
                "uniform" => Dist::Uniform,
                "normal" => Dist::Normal {
                    mean: num("mean")?.unwrap_or(0.0),
                    std_dev: num("std_dev")?.unwrap_or(1.0),
                },
                "exponential" => Dist::Exponential {
                    mean: positive("mean", 1.0)?,
                },
                "poisson" => Dist::Poisson {
                    mean: positive("mean", 1.0)?,
                },
                "zipf" => Dist::Zipf {
                    n: positive("n", 100.0)?,
                    exponent: positive("exponent", 1.0)?,
                },
                "pareto" => Dist::Pareto {
                    scale: positive("scale", 1.0)?,
                    shape: positive("shape", 1.16)?,
                },
                "geometric" => {
                    let p = positive("p", 0.5)?;
                    if p > 1.0 {
                        return Err(Problem::new(
                            child(ptr, "p"),
                            format!("`p` must be between 0 and 1, found {p}"),
                        ));
                    }
                    Dist::Geometric { p }
                }
                _ => Dist::LogNormal {
                    mu: num("mu")?.unwrap_or(0.0),
                    sigma: num("sigma")?.unwrap_or(1.0),
                },
            };
            // Without `min`/`max`, CHECK bounds apply (exact for integers and numeric).
            let fixed_scale = match format {
                ValueFormat::Int => Some(0),
                ValueFormat::Numeric { scale } => Some(scale),
                _ => None,
            };
            let factor = 10f64.powi(i32::try_from(fixed_scale.unwrap_or(0)).unwrap_or(0));
            let (check_lo, check_hi) = match fixed_scale {
                Some(scale) => bounds::fixed(&rule.lower, &rule.upper, scale),
                None => (None, None),
            };
            let (float_lo, float_hi) = match fixed_scale {
                Some(_) => (
                    check_lo.map(|v| v as f64 / factor),
                    check_hi.map(|v| v as f64 / factor),
                ),
                None => bounds::float(&rule.lower, &rule.upper, format == ValueFormat::Float4),
            };
            let (opt_min, opt_max) = (num("min")?, num("max")?);
            let min = opt_min
                .or(float_lo)
                .unwrap_or(if matches!(dist, Dist::Uniform) {
                    0.0
                } else {
                    f64::MIN / 4.0
                });
            let max = opt_max
                .or(float_hi)
                .unwrap_or(if matches!(dist, Dist::Uniform) {
                    100.0
                } else {
                    f64::MAX / 4.0
                });
            if min > max {
                return Err(Problem::new(
                    ptr,
                    format!("`min` ({min}) is larger than `max` ({max})"),
                ));
            }
            // Values outside the type would make the server reject the rows.
            let base = numeric_base(schema, &col.ty);
            let (tlo, thi) = type_range(base);
            let ty_name = base.map_or_else(|| col.name.clone(), |b| b.to_string());
            for (k, v) in [("min", num("min")?), ("max", num("max")?)] {
                if let Some(v) = v.filter(|v| !(tlo..=thi).contains(v)) {
                    return Err(Problem::new(
                        child(ptr, k),
                        format!("`{k}` ({v}) is outside what `{ty_name}` can hold"),
                    )
                    .hint(format!(
                        "keep `{k}` between {tlo} and {thi}, or widen the column's type"
                    )));
                }
            }
            let (min, max) = (min.max(tlo), max.min(thi));
            // The bounds `Number` keeps to, exactly where a CHECK gave them.
            let exact = fixed_scale.map(|scale| {
                let (type_lo, type_hi) = bounds::fixed_type_range(base, scale);
                let lo = match (opt_min, check_lo) {
                    (None, Some(c)) => c,
                    _ => (min * factor).ceil() as i128,
                };
                let hi = match (opt_max, check_hi) {
                    (None, Some(c)) => c,
                    _ => (max * factor).floor() as i128,
                };
                (lo.max(type_lo), hi.min(type_hi))
            });
            if !holds_a_value(format, min, max) || exact.is_some_and(|(lo, hi)| lo > hi) {
                return Err(Problem::new(
                    ptr,
                    format!("no value of `{ty_name}` lies between `min` ({min}) and `max` ({max})"),
                )
                .hint("widen the range to include at least one value the column can store"));
            }
            let rounding = round_numbers(opt("round_to"), opt("round_share"), rule.unique, ptr)?;
            Box::new(Number {
                dist,
                min,
                max,
                scale,
                unique: rule.unique && format == ValueFormat::Int,
                rows,
                exact,
                rounding,
            })
        }
        "weighted" | "choice" => {
            let mut items = ColumnBuf::for_format(format);
            let mut weights = Vec::new();
            if let Some(Value::Object(choices)) = opt("choices") {
                for (k, w) in choices {
                    push_literal(&mut items, format, &Value::String(k.clone()))
                        .and_then(|()| fits_column(schema, col, &Value::String(k.clone())))
                        .and_then(|()| obeys_rules(rule, col, format, &Value::String(k.clone())))
                        .map_err(|e| Problem::new(child(&child(ptr, "choices"), k), e))?;
                    weights.push(w.as_f64().ok_or_else(|| {
                        Problem::new(child(&child(ptr, "choices"), k), "weights must be numbers")
                    })?);
                }
            } else if let Some(Value::Array(values)) = opt("values") {
                for (i, v) in values.iter().enumerate() {
                    push_literal(&mut items, format, v)
                        .and_then(|()| fits_column(schema, col, v))
                        .and_then(|()| obeys_rules(rule, col, format, v))
                        .map_err(|e| {
                            Problem::new(child(&child(ptr, "values"), &i.to_string()), e)
                        })?;
                }
                if let Some(Value::Array(ws)) = opt("weights") {
                    if ws.len() != values.len() {
                        return Err(Problem::new(
                            child(ptr, "weights"),
                            format!("{} weights for {} values", ws.len(), values.len()),
                        ));
                    }
                    for w in ws {
                        weights.push(w.as_f64().ok_or_else(|| {
                            Problem::new(child(ptr, "weights"), "weights must be numbers")
                        })?);
                    }
                }
            } else {
                return Err(Problem::new(
                    ptr,
                    format!(
                        "generator `{}` needs `values` (a list) or `choices` (value → weight)",
                        spec.kind
                    ),
                ));
            }
            if items.is_empty() {
                return Err(Problem::new(ptr, "no values to choose from"));
            }
            if weights.iter().any(|w| !(w.is_finite() && *w >= 0.0))
                || (!weights.is_empty() && weights.iter().all(|w| *w == 0.0))
            {
                return Err(Problem::new(
                    ptr,
                    "weights must be numbers ≥ 0, and not all 0",
                ));
            }
            if rule.unique && rows > items.len() as u64 {
                return Err(impossible_unique(col, rule, rows, items.len() as u64));
            }
            Box::new(Choice::new(items, &weights, rule.unique))
        }
        "constant" => {
            let mut items = ColumnBuf::for_format(format);
            let value = opt("value").unwrap_or(&Value::Null);
            push_literal(&mut items, format, value)
                .and_then(|()| fits_column(schema, col, value))
                .and_then(|()| obeys_rules(rule, col, format, value))
                .map_err(|e| Problem::new(child(ptr, "value"), e))?;
            if rule.unique && rows > 1 {
                return Err(impossible_unique(col, rule, rows, 1u8));
            }
            Box::new(Choice::new(items, &[], false))
        }
        "null" => {
            if !col.nullable {
                return Err(Problem::new(
                    ptr,
                    format!("generator `null` on NOT NULL column `{}`", col.name),
                ));
            }
            Box::new(Misc {
                kind: MiscKind::Null,
            })
        }
        "bool" | "boolean" | "uuid" => {
            let (kind, makes, own) = if spec.kind == "uuid" {
                (MiscKind::Uuid, "uuids", ValueFormat::Uuid)
            } else {
                let p = num("probability")?.unwrap_or(0.5);
                (MiscKind::Bool(p), "booleans", ValueFormat::Bool)
            };
            // Into text they go as text; an enum or another type cannot take them.
            if !(format == own || schema.is_text(&col.ty)) || col.ty.array_dims > 0 {
                return Err(Problem::new(
                    ptr,
                    format!(
                        "generator `{}` makes {makes}, which column `{}` cannot hold",
                        spec.kind, col.name
                    ),
                )
                .hint("choose a generator that makes values of the column's type"));
            }
            Box::new(Misc { kind })
        }
        other => {
            // Old spellings of text kinds, kept so existing projects still load.
            let name = match other {
                "zip" => "postal_code",
                "street" | "address" => "street_address",
                "product" => "product_name",
                "sentence" => "title",
                "paragraph" => "description",
                n => n,
            };
            let kind = match registry::by_name(name)
                .filter(|k| k.class == Class::Text)
                .map(|k| k.make)
            {
                Some(Make::Text(t)) => t,
                Some(Make::Email) => email_from_siblings(schema, table),
                Some(Make::EntityName) | None if name == "name" || name == "full_name" => {
                    TextKind::FullName
                }
                _ => {
                    let known = generator_kinds();
                    let mut p = Problem::new(
                        child(ptr, "kind"),
                        format!("unknown generator kind `{other}`"),
                    );
                    let hint = match registry::by_name(name) {
                        Some(k) => format!("`{}` is a kind of {} values: columns named like it get it by themselves, and `pgmock kinds` lists the kinds an explicit generator can name", k.name, match k.class { Class::Number => "number", Class::Time => "date/time", Class::Bool => "boolean", Class::Text => "text" }),
                        None => match crate::diagnostic::did_you_mean(other, known.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "`pgmock kinds` lists them".to_owned(),
                        },
                    };
                    p = p.hint(hint);
                    return Err(p);
                }
            };
            // An enum takes only its labels.
            if let TypeRef::Named(ty) = &col.ty.elem {
                let is_enum = matches!(
                    schema.type_kind(ty),
                    Some(crate::schema::UserTypeKind::Enum(_))
                );
                if is_enum {
                    return Err(Problem::new(
                        ptr,
                        format!("generator `{other}` makes text, but `{}` is of enum `{ty}`, which takes only its labels", col.name),
                    )
                    .hint("remove the `generator` (pgmock picks labels), or use `weighted` over the labels"));
                }
            }
            // hstore and ltree values have a syntax that words and sentences do not follow.
            if let TypeRef::Named(ty) = &col.ty.elem {
                if col.ty.array_dims == 0 && (ty == "hstore" || ty == "ltree") {
                    return Err(Problem::new(
                        ptr,
                        format!(
                            "generator `{other}` makes text, but `{}` is an `{ty}` column",
                            col.name
                        ),
                    )
                    .hint(format!(
                        "remove the `generator`: pgmock makes valid `{ty}` values by itself"
                    )));
                }
            }
            if format != ValueFormat::Text || col.ty.array_dims > 0 {
                return Err(Problem::new(
                    ptr,
                    format!(
                        "generator `{other}` makes text, but `{}` is not a text column",
                        col.name
                    ),
                ));
            }
            let max_len = match &col.ty.elem {
                TypeRef::Base(BaseType::Varchar(Some(n)) | BaseType::Char(n)) => Some(*n as usize),
                _ => None,
            };
            Box::new(text_gen(schema, table, col, kind, max_len, rule, None))
        }
    })
}

/// The distribution generators an explicit `generator` may name.
pub(in crate::plan) const DISTRIBUTION_KINDS: &[&str] = &[
    "sequence",
    "uniform",
    "normal",
    "lognormal",
    "weighted",
    "choice",
    "constant",
    "null",
    "bool",
    "uuid",
];

/// Every generator kind a column may name: the distributions and the text kinds of the registry.
pub(in crate::plan) fn generator_kinds() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = DISTRIBUTION_KINDS.to_vec();
    out.extend(registry::KINDS.iter().map(|k| k.name));
    out.extend([
        "zip",
        "street",
        "address",
        "product",
        "sentence",
        "paragraph",
    ]);
    out
}

/// Whether a listed value fits the column's type: integers and
/// `numeric(p,s)` within their range, text within `varchar(n)`/`char(n)`.
pub(super) fn fits_column(schema: &Schema, col: &Column, v: &Value) -> Result<(), String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return Ok(()),
    };
    if let (TypeRef::Named(tn), 0) = (&col.ty.elem, col.ty.array_dims) {
        if let Some(crate::schema::UserTypeKind::Enum(labels)) = schema.type_kind(tn) {
            if !labels.contains(&text) {
                let hint =
                    crate::diagnostic::did_you_mean(&text, labels.iter().map(String::as_str))
                        .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
                return Err(format!(
                    "`{text}` is not a label of enum `{tn}` (its labels: {}){hint}",
                    labels
                        .iter()
                        .map(|l| format!("`{l}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    let Some(base) = numeric_base(schema, &col.ty) else {
        return Ok(());
    };
    match base {
        BaseType::SmallInt | BaseType::Integer | BaseType::BigInt | BaseType::Numeric(Some(_)) => {
            let (lo, hi) = type_range(Some(base));
            match text.trim().parse::<f64>() {
                Ok(x) if !(lo..=hi).contains(&x) => Err(format!(
                    "{text} is outside what `{base}` can hold ({lo} to {hi})"
                )),
                _ => Ok(()),
            }
        }
        BaseType::Varchar(Some(n)) | BaseType::Char(n) => {
            let len = text.chars().count();
            if len > n as usize {
                Err(format!(
                    "`{text}` has {len} characters, more than `{base}` holds"
                ))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

/// Whether text written in the project (a default, a CHECK literal) is a
/// value of the column: its format reads it and it fits the type.
pub(super) fn literal_fits(
    schema: &Schema,
    col: &Column,
    format: ValueFormat,
    text: &str,
) -> Result<(), String> {
    let v = Value::String(text.to_owned());
    push_literal(&mut ColumnBuf::for_format(format), format, &v)
        .and_then(|()| fits_column(schema, col, &v))
}

/// `round_to` (positive multiples) and `round_share` (0-1, default 0.2): the
/// round-number bias of a numeric generator.
#[allow(clippy::type_complexity)]
fn round_numbers(
    to: Option<&Value>,
    share: Option<&Value>,
    unique: bool,
    ptr: &str,
) -> Result<Option<Box<(Vec<f64>, f64)>>, Problem> {
    let Some(to) = to else {
        if share.is_some() {
            return Err(Problem::new(
                child(ptr, "round_share"),
                "`round_share` needs `round_to`, the multiples values are rounded to",
            )
            .hint("e.g. `\"round_to\": [5, 10, 20]`"));
        }
        return Ok(None);
    };
    let steps: Option<Vec<f64>> = to.as_array().filter(|a| !a.is_empty()).and_then(|a| {
        a.iter()
            .map(|v| v.as_f64().filter(|x| x.is_finite() && *x > 0.0))
            .collect()
    });
    let Some(steps) = steps else {
        return Err(Problem::new(
            child(ptr, "round_to"),
            "`round_to` must be a list of numbers above 0 (the multiples, e.g. `[5, 10, 20]`)",
        ));
    };
    let share = match share {
        None => 0.2,
        Some(v) => match v.as_f64().filter(|x| (0.0..=1.0).contains(x)) {
            Some(x) => x,
            None => {
                return Err(Problem::new(
                    child(ptr, "round_share"),
                    "`round_share` must be a number from 0 to 1",
                ))
            }
        },
    };
    if unique {
        return Err(Problem::new(
            child(ptr, "round_to"),
            "rounded values repeat, but the column must be unique",
        )
        .hint("drop `round_to`, or the uniqueness"));
    }
    Ok(Some(Box::new((steps, share))))
}

/// Whether a listed value passes the column's CHECKs that pgmock reads
/// (bounds, `IN` lists, lengths) and its NOT NULL: a value that fails them
/// would make the server reject the row.
pub(super) fn obeys_rules(
    rule: &Rules,
    col: &Column,
    format: ValueFormat,
    v: &Value,
) -> Result<(), String> {
    let text = match v {
        Value::Null if rule.not_null || !col.nullable => {
            return Err(format!(
                "`{}` is NOT NULL, so it cannot take null",
                col.name
            ));
        }
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return Ok(()),
    };
    let numeric = matches!(
        format,
        ValueFormat::Int | ValueFormat::Float4 | ValueFormat::Float8 | ValueFormat::Numeric { .. }
    );
    if let Some(allowed) = &rule.allowed {
        let listed =
            allowed.iter().any(
                |l| match (numeric, l.as_f64(), text.trim().parse::<f64>()) {
                    (true, Some(a), Ok(x)) => a == x,
                    _ => l.text() == text,
                },
            );
        if !listed {
            return Err(format!(
                "`{text}` is not among the values a CHECK allows for `{}` ({})",
                col.name,
                allowed
                    .iter()
                    .map(|l| format!("`{}`", l.text()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if let Some(max) = rule.max_len {
        let len = text.chars().count() as u64;
        if len > max {
            return Err(format!(
                "`{text}` has {len} characters; a CHECK allows `{}` at most {max}",
                col.name
            ));
        }
    }
    if numeric {
        if let Ok(x) = text.trim().parse::<f64>() {
            for (lit, strict) in &rule.lower {
                if let Some(b) = lit
                    .as_f64()
                    .filter(|&b| if *strict { x <= b } else { x < b })
                {
                    let op = if *strict { ">" } else { ">=" };
                    return Err(format!("{text} breaks the CHECK `{} {op} {b}`", col.name));
                }
            }
            for (lit, strict) in &rule.upper {
                if let Some(b) = lit
                    .as_f64()
                    .filter(|&b| if *strict { x >= b } else { x > b })
                {
                    let op = if *strict { "<" } else { "<=" };
                    return Err(format!("{text} breaks the CHECK `{} {op} {b}`", col.name));
                }
            }
        }
    }
    Ok(())
}

/// `sequence` on a date or timestamp column: `start`, then one `step` per
/// row (`"5min"`, `"1h"`, `"1day"`, or a number of seconds; days for dates),
/// each moved by up to `jitter`.
fn temporal_sequence(
    spec: &crate::schema::GeneratorSpec,
    format: ValueFormat,
    rule: &Rules,
    rows: u64,
    bound: &dyn Fn(&str) -> Result<Option<i64>, Problem>,
) -> Result<Box<dyn ValueGen>, Problem> {
    let ptr = &spec.pointer;
    let is_date = format == ValueFormat::Date;
    // Dates count days; timestamps microseconds.
    let per_second: i64 = if is_date { 0 } else { 1_000_000 };
    let span = |key: &str, default: i64| -> Result<i64, Problem> {
        let at = child(ptr, key);
        let seconds: f64 = match spec.options.get(key) {
            None => return Ok(default),
            Some(Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(-1.0);
                if is_date {
                    x * 86_400.0
                } else {
                    x
                }
            }
            Some(Value::String(text)) => humantime::parse_duration(text)
                .map_err(|e| {
                    Problem::new(&at, format!("cannot read `{text}` as a duration: {e}"))
                        .hint("e.g. `\"5min\"`, `\"1h 30m\"`, `\"2days\"`, `\"1week\"`")
                })?
                .as_secs_f64(),
            Some(other) => {
                return Err(Problem::new(
                    &at,
                    format!(
                        "`{key}` must be a duration (`\"5min\"`) or a number of {}, found {other}",
                        if is_date { "days" } else { "seconds" }
                    ),
                ))
            }
        };
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(Problem::new(&at, format!("`{key}` must be 0 or more")));
        }
        #[allow(clippy::cast_possible_truncation)]
        if is_date {
            if seconds % 86_400.0 != 0.0 {
                return Err(Problem::new(
                    &at,
                    format!("a date column moves by whole days; `{key}` is {seconds} seconds"),
                ));
            }
            Ok((seconds / 86_400.0) as i64)
        } else {
            Ok((seconds * per_second as f64).round() as i64)
        }
    };
    let start = bound("start")?.unwrap_or(if is_date {
        i64::from(datetime::days_from_civil(2024, 1, 1))
    } else {
        i64::from(datetime::days_from_civil(2024, 1, 1)) * 86_400 * 1_000_000
    });
    let step = span("step", if is_date { 1 } else { 3_600 * 1_000_000 })?;
    let jitter = span("jitter", 0)?;
    if rule.unique && (step == 0 || jitter.saturating_mul(2) >= step) {
        return Err(Problem::new(
            ptr,
            "on a unique column, `step` must be above 0 and `jitter` under half the step",
        )
        .hint("values then stay in order and distinct"));
    }
    // The last value must stay within what pgmock prints as a date (year 9999).
    let last = i128::from(start)
        + i128::from(step) * i128::from(rows.saturating_sub(1))
        + i128::from(jitter);
    let end_day = i128::from(datetime::days_from_civil(9999, 12, 31));
    let limit = if is_date {
        end_day
    } else {
        end_day * 86_400 * 1_000_000
    };
    if last > limit {
        return Err(Problem::new(
            ptr,
            format!("over {rows} rows the sequence runs past the year 9999"),
        )
        .hint("lower `step` or the row count"));
    }
    // Whole seconds stay whole seconds.
    let unit = if !is_date && step % 1_000_000 == 0 && jitter % 1_000_000 == 0 {
        1_000_000
    } else {
        1
    };
    Ok(Box::new(Jittered {
        start,
        step: step / unit,
        jitter: jitter / unit,
        unit,
    }))
}
