//! `--edge-cases RATIO`: the values applications get wrong (empty and
//! maximum-length strings, combining marks, emoji, right-to-left text, quotes
//! and backslashes, type limits, NaN and infinities, leap days, DST gaps),
//! chosen per column so that each still satisfies the column's type and
//! constraints.
//!
//! Columns whose values something else depends on get none: keys, foreign
//! keys, unique columns (except NULL), columns a CHECK, an index expression
//! or a partition bound reads, computed columns, and columns another column
//! or table reads (they are removed after planning, see [`drop_read`]).

use super::*;
use crate::generate::Edges;
use crate::pgtext::datetime::{DATE_INFINITY, DATE_NEG_INFINITY, TS_INFINITY, TS_NEG_INFINITY};

/// Text that breaks naive code: escaping, Unicode, look-alike NULLs.
const TEXT: &[&str] = &[
    "",
    " ",
    "O'Brien",
    "\"double quoted\"",
    "back\\slash \\N \\.",
    "C:\\Users\\test\\file.txt",
    "tab\there",
    "line one\nline two\r\nline three",
    "e\u{301}le\u{300}ve cre\u{300}me bru\u{302}le\u{301}e",
    "Z\u{351}\u{36b}a\u{352}l\u{35b}g\u{35c}o\u{34d}",
    "👩🏽‍💻 🎉 🇯🇵 ❤️",
    "مرحبا بالعالم",
    "שלום עולם 123",
    "\u{202e}txt.exe",
    "日本語のテキスト",
    "Ω≈ç√∫˜µ≤≥÷",
    "Robert'); DROP TABLE students;--",
    "<script>alert('x')</script>",
    "  leading and trailing  ",
    "zero\u{200b}width",
    "NULL",
    "null",
    "N/A",
    "0",
    "-1",
    "1e308",
    "true",
    "%s %d {0} ${x}",
];

/// The edge values of column `ci`, or `None` when it must keep its values.
pub(in crate::plan) fn for_column(
    schema: &Schema,
    table: &Table,
    ci: usize,
    rule: &Rules,
    gen: &dyn ValueGen,
    can_be_null: bool,
    ratio: f64,
) -> Option<Edges> {
    if ratio <= 0.0 {
        return None;
    }
    let col = &table.columns[ci];
    let format = format_of(schema, &col.ty);
    let mut items = ColumnBuf::for_format(format);
    let fixed = col.generated.is_some()
        || col.identity.is_some()
        || col.serial.is_some()
        || col.derive.is_some()
        || col.template.is_some()
        || col.aggregate.is_some()
        || rule.unique
        || gen.linear().is_some()
        || gen.reference().is_some()
        || is_key(table, ci)
        || table.foreign_keys.iter().any(|fk| fk.columns.contains(&ci))
        || rule.has_bounds()
        || rule.allowed.is_some()
        || rule.after.is_some()
        || constrained_elsewhere(schema, table, col);
    if !fixed {
        values(col, format, rule, &mut items);
    }
    if items.is_empty() && !can_be_null {
        return None;
    }
    Some(Edges {
        items,
        null: can_be_null,
        ratio,
    })
}

/// Whether a CHECK, an index expression, a partition key or a domain reads the column.
fn constrained_elsewhere(schema: &Schema, table: &Table, col: &Column) -> bool {
    table.checks.iter().any(|c| mentions(&c.expr, &col.name))
        || table.indexes.iter().any(|i| {
            i.unique
                && (i
                    .predicate
                    .as_deref()
                    .is_some_and(|p| mentions(p, &col.name))
                    || i.keys.iter().any(|k| mentions(k, &col.name)))
        })
        || table.partition_by.is_some()
        || table.partition_of.is_some()
        || matches!(&col.ty.elem, TypeRef::Named(n) if schema.types.iter().any(|t| &t.name == n))
}

fn values(col: &Column, format: ValueFormat, rule: &Rules, items: &mut ColumnBuf) {
    if col.ty.array_dims > 0 {
        if let ColumnData::Text(t) = &mut items.data {
            t.push(b"{}");
            items.nulls.push(false);
        }
        return;
    }
    let TypeRef::Base(base) = &col.ty.elem else {
        return;
    };
    let mut text = |v: &str| {
        if let ColumnData::Text(t) = &mut items.data {
            t.push(v.as_bytes());
            items.nulls.push(false);
        }
    };
    match base {
        BaseType::Text | BaseType::Varchar(_) | BaseType::Char(_) => {
            let limit = match base {
                BaseType::Varchar(Some(n)) | BaseType::Char(n) => Some(*n as usize),
                _ => None,
            }
            .into_iter()
            .chain(rule.max_len.map(|n| usize::try_from(n).unwrap_or(usize::MAX)))
            .min();
            let cut = |s: &str| -> String {
                match limit {
                    Some(n) => s.chars().take(n).collect(),
                    None => s.to_owned(),
                }
            };
            let mut seen = Vec::new();
            for s in TEXT {
                let v = cut(s);
                if !seen.contains(&v) {
                    seen.push(v);
                }
            }
            // The longest value the column holds, in characters of two bytes.
            let n = limit.unwrap_or(4096);
            seen.push("é".repeat(n));
            seen.push("x".repeat(n));
            for v in &seen {
                text(v);
            }
        }
        BaseType::Bytea => ["\\x", "\\x00", "\\x00ff5c0a27"].iter().for_each(|v| text(v)),
        BaseType::Json | BaseType::Jsonb => [
            "{}",
            "[]",
            "null",
            "\"\"",
            "0",
            r#"{"emoji": "👩🏽‍💻", "rtl": "مرحبا", "quote": "a\"b\\c", "nested": {"list": [1, -2.5e10, null, true, {}]}, "": ""}"#,
        ]
        .iter()
        .for_each(|v| text(v)),
        BaseType::Inet => ["0.0.0.0", "255.255.255.255", "::", "::1", "::ffff:192.0.2.1", "192.168.0.1/24"]
            .iter()
            .for_each(|v| text(v)),
        BaseType::Cidr => ["0.0.0.0/0", "::/0", "10.0.0.0/8", "192.0.2.1/32"]
            .iter()
            .for_each(|v| text(v)),
        BaseType::MacAddr => ["00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"]
            .iter()
            .for_each(|v| text(v)),
        BaseType::Interval { .. } => ["00:00:00", "-1 days", "1 year 2 mons 3 days 04:05:06.789", "-00:00:01"]
            .iter()
            .for_each(|v| text(v)),
        BaseType::Range(_) => text("empty"),
        BaseType::MultiRange(_) => text("{}"),
        BaseType::SmallInt | BaseType::Integer | BaseType::BigInt | BaseType::Oid => {
            let (lo, hi) = match base {
                BaseType::SmallInt => (i64::from(i16::MIN), i64::from(i16::MAX)),
                BaseType::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
                BaseType::Oid => (0, i64::from(u32::MAX)),
                _ => (i64::MIN, i64::MAX),
            };
            if let ColumnData::Int(v) = &mut items.data {
                for x in [lo, hi, 0, -1, 1] {
                    if (lo..=hi).contains(&x) {
                        v.push(x);
                        items.nulls.push(false);
                    }
                }
            }
        }
        BaseType::Real | BaseType::Double => {
            let max = if *base == BaseType::Real {
                f64::from(f32::MAX)
            } else {
                f64::MAX
            };
            let tiny = if *base == BaseType::Real {
                f64::from(f32::from_bits(1))
            } else {
                f64::from_bits(1)
            };
            if let ColumnData::Float(v) = &mut items.data {
                for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, max, -max, tiny] {
                    v.push(x);
                    items.nulls.push(false);
                }
            }
        }
        BaseType::Numeric(_) | BaseType::Money => {
            let ValueFormat::Numeric { scale } = format else {
                return;
            };
            let top: i128 = match base {
                // The money type's limits, in cents.
                BaseType::Money => i128::from(i64::MAX),
                BaseType::Numeric(Some((p, _))) => 10i128.checked_pow(*p).map_or(i128::MAX, |x| x - 1),
                // Unconstrained numeric: 30 digits before the point.
                _ => 10i128
                    .checked_pow(30 + scale)
                    .map_or(i128::MAX / 10, |x| x - 1),
            };
            let bottom = if *base == BaseType::Money {
                i128::from(i64::MIN)
            } else {
                -top
            };
            if let ColumnData::Numeric(v) = &mut items.data {
                for x in [top, bottom, 0, 1, -1] {
                    v.push(x);
                    items.nulls.push(false);
                }
            }
        }
        BaseType::Date => {
            if let ColumnData::Date(v) = &mut items.data {
                for s in ["2024-02-29", "2000-02-29", "1970-01-01", "1900-01-01", "1999-12-31", "2038-01-19", "9999-12-31", "0001-01-01"] {
                    if let Some(d) = datetime::parse_date(s) {
                        v.push(d);
                        items.nulls.push(false);
                    }
                }
                for d in [DATE_INFINITY, DATE_NEG_INFINITY] {
                    v.push(d);
                    items.nulls.push(false);
                }
            }
        }
        BaseType::Timestamp(_) | BaseType::TimestampTz(_) => {
            // Local times that do not exist (the spring DST gaps of the US and
            // the EU) or exist twice (the autumn overlap), for timestamps
            // without time zone; the instants of the switches for timestamptz.
            let local = [
                "2024-03-10 02:30:00",
                "2024-03-31 02:30:00",
                "2024-11-03 01:30:00",
            ];
            let instants = [
                "2024-03-10 07:00:00",
                "2024-03-31 01:00:00",
                "2024-11-03 05:59:59.999999",
            ];
            let common = [
                "2024-02-29 12:00:00",
                "1970-01-01 00:00:00",
                "1999-12-31 23:59:59.999999",
                "2038-01-19 03:14:08",
                "9999-12-31 23:59:59",
                "0001-01-01 00:00:00",
            ];
            let tz = matches!(base, BaseType::TimestampTz(_));
            if let ColumnData::Micros(v) = &mut items.data {
                for s in if tz { instants } else { local }.iter().chain(common.iter()) {
                    if let Some(t) = datetime::parse_timestamp(s) {
                        v.push(t);
                        items.nulls.push(false);
                    }
                }
                for t in [TS_INFINITY, TS_NEG_INFINITY] {
                    v.push(t);
                    items.nulls.push(false);
                }
            }
        }
        BaseType::Time(_) => {
            if let ColumnData::Micros(v) = &mut items.data {
                for s in ["00:00:00", "23:59:59.999999", "12:00:00"] {
                    if let Some(t) = datetime::parse_time(s) {
                        v.push(t);
                        items.nulls.push(false);
                    }
                }
            }
        }
        BaseType::TimeTz(_) => ["00:00:00+00", "23:59:59.999999-12", "12:00:00+14"]
            .iter()
            .for_each(|v| text(v)),
        BaseType::Uuid => {
            if let ColumnData::Uuid(v) = &mut items.data {
                for x in [0, u128::MAX] {
                    v.push(x);
                    items.nulls.push(false);
                }
            }
        }
        BaseType::Bit(n) => {
            let n = *n as usize;
            text(&"0".repeat(n));
            text(&"1".repeat(n));
        }
        BaseType::VarBit(n) => {
            text("");
            text(&"1".repeat(n.map_or(64, |n| n as usize)));
        }
        BaseType::TsVector => text(""),
        _ => {}
    }
}

/// Removes the edge values of columns that other columns or tables read, and
/// of columns computed from others: a rule (a child after its parent's
/// creation time, a total over its lines, a price copied from the product)
/// holds in edge-case runs too.
pub(in crate::plan) fn drop_read(tables: &mut [crate::generate::TableGen]) {
    let mut read: Vec<(usize, usize)> = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        for (ci, c) in t.columns.iter().enumerate() {
            let inputs = c.gen.inputs();
            let reads = c.gen.reads();
            // A column computed from others keeps its rule too.
            if !inputs.is_empty() || !reads.is_empty() {
                read.push((ti, ci));
            }
            read.extend(inputs.into_iter().map(|i| (ti, i)));
            read.extend(reads);
        }
    }
    for (ti, ci) in read {
        if let Some(c) = tables.get_mut(ti).and_then(|t| t.columns.get_mut(ci)) {
            c.edges = None;
        }
    }
}
