//! Which partition each generated row of a partitioned table belongs to, so
//! that every partition gets a TABLE DATA entry of its own as pg_dump writes
//! it (and `pg_restore -j` can load partitions in parallel).
//!
//! A [`Router`] is built only when pgmock can decide the partition exactly as
//! the server would: range bounds on numbers, dates, times and UUIDs; list
//! bounds on those and on text; hash partitions on the types `pghash`
//! reproduces. Anything else (text ranges, whose order depends on the
//! collation; enum ranges; numeric hashes) gets no router, and the rows are
//! loaded through the partitioned table instead, where the server routes them.

use std::cmp::Ordering;

use super::pghash::{self, HashValue};
use crate::schema::types::{BaseType, TypeRef};
use crate::schema::{PartitionBound, PartitionStrategy, Schema};
use crate::value::{ColumnBuf, ColumnData, ValueFormat};

/// Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01.
const PG_EPOCH_DAYS: i32 = 10_957;
/// Microseconds from 1970-01-01 to 2000-01-01.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// One key value, comparable within its column's type.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Int(i64),
    Float(f64),
    Numeric(i128),
    Bool(bool),
    Date(i32),
    Micros(i64),
    Uuid(u128),
    Text(Vec<u8>),
}

impl Key {
    fn compare(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Self::Int(a), Self::Int(b)) | (Self::Micros(a), Self::Micros(b)) => Some(a.cmp(b)),
            (Self::Float(a), Self::Float(b)) => a.partial_cmp(b),
            (Self::Numeric(a), Self::Numeric(b)) => Some(a.cmp(b)),
            (Self::Bool(a), Self::Bool(b)) => Some(a.cmp(b)),
            (Self::Date(a), Self::Date(b)) => Some(a.cmp(b)),
            (Self::Uuid(a), Self::Uuid(b)) => Some(a.cmp(b)),
            (Self::Text(a), Self::Text(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

/// A range bound datum.
#[derive(Debug, Clone)]
enum Datum {
    Min,
    Max,
    Value(Key),
}

#[derive(Debug, Clone)]
enum Rule {
    Range { from: Vec<Datum>, to: Vec<Datum> },
    List { values: Vec<Key>, null: bool },
    Hash { modulus: u64, remainder: u64 },
}

/// How a key column is read for hashing.
#[derive(Debug, Clone, Copy)]
enum HashKind {
    Int,
    Bool,
    Text,
    BpChar,
    Uuid,
    Date,
    Timestamp,
    Float,
}

/// Routes rows of one partitioned table to its leaf partitions.
#[derive(Debug, Clone)]
pub struct Router {
    /// Key column indices of the partitioned table.
    pub key_columns: Vec<usize>,
    formats: Vec<ValueFormat>,
    hash_kinds: Vec<HashKind>,
    leaves: Vec<(usize, Rule)>,
    default: Option<usize>,
}

impl Router {
    /// The router of partitioned table `parent`, or `None` when pgmock cannot
    /// decide partitions exactly (see the module comment).
    #[must_use]
    pub fn build(schema: &Schema, parent: usize, formats: &[ValueFormat]) -> Option<Self> {
        let table = &schema.tables[parent];
        let by = table.partition_by.as_ref()?;
        let key_formats: Vec<ValueFormat> = by.columns.iter().map(|&c| formats[c]).collect();
        let types: Vec<&TypeRef> = by
            .columns
            .iter()
            .map(|&c| &table.columns[c].ty.elem)
            .collect();
        if by
            .columns
            .iter()
            .any(|&c| table.columns[c].ty.array_dims > 0)
        {
            return None;
        }
        let mut hash_kinds = Vec::new();
        if by.strategy == PartitionStrategy::Hash {
            for (ty, f) in types.iter().zip(&key_formats) {
                hash_kinds.push(hash_kind(ty, *f)?);
            }
        }
        if by.strategy == PartitionStrategy::Range
            && types
                .iter()
                .zip(&key_formats)
                .any(|(ty, f)| *f == ValueFormat::Text || !matches!(ty, TypeRef::Base(_)))
        {
            return None;
        }
        let mut leaves = Vec::new();
        let mut default = None;
        for &leaf in &table.partitions {
            let Some((_, bound)) = &schema.tables[leaf].partition_of else {
                continue;
            };
            let rule = match bound {
                PartitionBound::Default => {
                    default = Some(leaf);
                    continue;
                }
                PartitionBound::Range { from, to } => Rule::Range {
                    from: datums(from, &key_formats)?,
                    to: datums(to, &key_formats)?,
                },
                PartitionBound::List(values) => {
                    let f = *key_formats.first()?;
                    let null = values.iter().any(|v| v.eq_ignore_ascii_case("null"));
                    let values = values
                        .iter()
                        .filter(|v| !v.eq_ignore_ascii_case("null"))
                        .map(|v| parse_key(v, f))
                        .collect::<Option<Vec<_>>>()?;
                    Rule::List { values, null }
                }
                PartitionBound::Hash { modulus, remainder } => Rule::Hash {
                    modulus: u64::from(*modulus),
                    remainder: u64::from(*remainder),
                },
            };
            leaves.push((leaf, rule));
        }
        Some(Self {
            key_columns: by.columns.clone(),
            formats: key_formats,
            hash_kinds,
            leaves,
            default,
        })
    }

    /// The leaf partition (table index) of row `i`, whose key columns are
    /// filled in `columns`; `None` when no partition accepts it.
    #[must_use]
    pub fn route(&self, columns: &[ColumnBuf], i: usize) -> Option<usize> {
        let keys: Vec<Option<Key>> = self
            .key_columns
            .iter()
            .zip(&self.formats)
            .map(|(&c, &f)| read_key(&columns[c], f, i))
            .collect();
        let hash = if self.hash_kinds.is_empty() {
            0
        } else {
            let values: Vec<Option<HashValue<'_>>> = keys
                .iter()
                .zip(&self.hash_kinds)
                .map(|(k, kind)| k.as_ref().and_then(|k| hash_value(k, *kind)))
                .collect();
            pghash::row_hash(&values)
        };
        self.leaves
            .iter()
            .find(|(_, rule)| match rule {
                Rule::Range { from, to } => in_range(&keys, from, to),
                Rule::List { values, null } => match keys.first() {
                    Some(Some(k)) => values.iter().any(|v| v == k),
                    _ => *null,
                },
                Rule::Hash { modulus, remainder } => *modulus != 0 && hash % *modulus == *remainder,
            })
            .map(|(leaf, _)| *leaf)
            .or(self.default)
    }
}

/// `from <= keys < to`, comparing column by column as PostgreSQL does: an
/// unbounded datum decides the comparison and ends it.
fn in_range(keys: &[Option<Key>], from: &[Datum], to: &[Datum]) -> bool {
    // Rows with a NULL in a range key belong only in the default partition.
    let Some(keys) = keys
        .iter()
        .map(Option::as_ref)
        .collect::<Option<Vec<&Key>>>()
    else {
        return false;
    };
    let lower = compare(&keys, from);
    let upper = compare(&keys, to);
    matches!(lower, Some(Ordering::Greater | Ordering::Equal))
        && matches!(upper, Some(Ordering::Less))
}

/// The order of a key tuple relative to a bound tuple.
fn compare(keys: &[&Key], bound: &[Datum]) -> Option<Ordering> {
    for (k, d) in keys.iter().zip(bound) {
        match d {
            Datum::Min => return Some(Ordering::Greater),
            Datum::Max => return Some(Ordering::Less),
            Datum::Value(v) => match k.compare(v)? {
                Ordering::Equal => {}
                other => return Some(other),
            },
        }
    }
    Some(Ordering::Equal)
}

fn datums(values: &[String], formats: &[ValueFormat]) -> Option<Vec<Datum>> {
    if values.len() != formats.len() {
        return None;
    }
    values
        .iter()
        .zip(formats)
        .map(|(v, f)| match v.to_ascii_uppercase().as_str() {
            "MINVALUE" => Some(Datum::Min),
            "MAXVALUE" => Some(Datum::Max),
            _ => parse_key(v, *f).map(Datum::Value),
        })
        .collect()
}

/// A bound literal in the key column's representation.
fn parse_key(s: &str, format: ValueFormat) -> Option<Key> {
    use crate::pgtext::datetime::{parse_date, parse_time, parse_timestamp};
    let s = s.trim();
    Some(match format {
        ValueFormat::Int => Key::Int(s.parse().ok()?),
        // The server reads a `real` bound as float4, and hashes and compares
        // float4 values widened to float8.
        ValueFormat::Float4 => Key::Float(f64::from(s.parse::<f32>().ok()?)),
        ValueFormat::Float8 => Key::Float(s.parse().ok()?),
        ValueFormat::Numeric { scale } => Key::Numeric(parse_scaled(s, scale)?),
        ValueFormat::Bool => Key::Bool(match s.to_ascii_lowercase().as_str() {
            "true" | "t" | "yes" | "y" | "on" | "1" => true,
            "false" | "f" | "no" | "n" | "off" | "0" => false,
            _ => return None,
        }),
        ValueFormat::Date => Key::Date(parse_date(s)?),
        ValueFormat::Timestamp | ValueFormat::TimestampTz => Key::Micros(parse_timestamp(s)?),
        ValueFormat::Time => Key::Micros(parse_time(s)?),
        ValueFormat::Uuid => {
            let hex: String = s.chars().filter(|c| *c != '-').collect();
            if hex.len() != 32 {
                return None;
            }
            Key::Uuid(u128::from_str_radix(&hex, 16).ok()?)
        }
        ValueFormat::Text | ValueFormat::Bits => Key::Text(s.as_bytes().to_vec()),
    })
}

/// `12.5` at scale 2 → 1250; more fraction digits than the scale → `None`
/// (the server would round the bound, which pgmock does not guess).
fn parse_scaled(s: &str, scale: u32) -> Option<i128> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > scale as usize
        || int.is_empty() && frac.is_empty()
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let padded = format!("{int}{frac:0<width$}", width = scale as usize);
    let v: i128 = padded.parse().ok()?;
    Some(if neg { -v } else { v })
}

fn read_key(buf: &ColumnBuf, format: ValueFormat, i: usize) -> Option<Key> {
    if *buf.nulls.get(i)? {
        return None;
    }
    Some(match &buf.data {
        ColumnData::Int(v) => Key::Int(*v.get(i)?),
        // A `real` column stores the f32 nearest to the generated f64.
        #[allow(clippy::cast_possible_truncation)]
        ColumnData::Float(v) if format == ValueFormat::Float4 => {
            Key::Float(f64::from(*v.get(i)? as f32))
        }
        ColumnData::Float(v) => Key::Float(*v.get(i)?),
        ColumnData::Numeric(v) => Key::Numeric(*v.get(i)?),
        ColumnData::Bool(v) => Key::Bool(*v.get(i)?),
        ColumnData::Date(v) => Key::Date(*v.get(i)?),
        ColumnData::Micros(v) => Key::Micros(*v.get(i)?),
        ColumnData::Uuid(v) => Key::Uuid(*v.get(i)?),
        ColumnData::Text(t) => Key::Text(t.get(i).to_vec()),
    })
}

fn hash_kind(ty: &TypeRef, format: ValueFormat) -> Option<HashKind> {
    let TypeRef::Base(b) = ty else { return None };
    Some(match (b, format) {
        (BaseType::SmallInt | BaseType::Integer | BaseType::BigInt, _) => HashKind::Int,
        (BaseType::Boolean, _) => HashKind::Bool,
        (BaseType::Text | BaseType::Varchar(_), ValueFormat::Text) => HashKind::Text,
        (BaseType::Char(_), ValueFormat::Text) => HashKind::BpChar,
        (BaseType::Uuid, ValueFormat::Uuid) => HashKind::Uuid,
        (BaseType::Date, ValueFormat::Date) => HashKind::Date,
        (BaseType::Timestamp(_) | BaseType::TimestampTz(_), _) => HashKind::Timestamp,
        (BaseType::Real | BaseType::Double, _) => HashKind::Float,
        _ => return None,
    })
}

fn hash_value(k: &Key, kind: HashKind) -> Option<HashValue<'_>> {
    Some(match (k, kind) {
        (Key::Int(v), HashKind::Int) => HashValue::Int8(*v),
        (Key::Bool(v), HashKind::Bool) => HashValue::Bool(*v),
        (Key::Text(t), HashKind::Text) => HashValue::Text(t),
        (Key::Text(t), HashKind::BpChar) => HashValue::BpChar(t),
        (Key::Uuid(u), HashKind::Uuid) => HashValue::Uuid(u.to_be_bytes()),
        (Key::Date(d), HashKind::Date) => HashValue::Date(d.checked_sub(PG_EPOCH_DAYS)?),
        (Key::Micros(m), HashKind::Timestamp) => {
            HashValue::Timestamp(m.checked_sub(PG_EPOCH_MICROS)?)
        }
        (Key::Float(f), HashKind::Float) => HashValue::Float8(*f),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_bounds_compare_column_by_column() {
        let k = |v: i64| Key::Int(v);
        let from = [Datum::Value(k(10)), Datum::Min];
        let to = [Datum::Value(k(20)), Datum::Value(k(5))];
        assert!(in_range(&[Some(k(10)), Some(k(-100))], &from, &to));
        assert!(in_range(&[Some(k(20)), Some(k(4))], &from, &to));
        assert!(
            !in_range(&[Some(k(20)), Some(k(5))], &from, &to),
            "upper bound is exclusive"
        );
        assert!(!in_range(&[Some(k(9)), Some(k(0))], &from, &to));
        assert!(
            !in_range(&[None, Some(k(0))], &from, &to),
            "NULL keys only go to DEFAULT"
        );
    }

    #[test]
    fn bound_literals_parse_in_the_key_type() {
        assert_eq!(parse_scaled("12.5", 2), Some(1250));
        assert_eq!(parse_scaled("-3", 2), Some(-300));
        assert_eq!(parse_scaled("1.005", 2), None);
        assert_eq!(
            parse_key("2024-01-01", ValueFormat::Date),
            Some(Key::Date(19_723))
        );
        assert_eq!(
            parse_key("00000000-0000-0000-0000-00000000000a", ValueFormat::Uuid),
            Some(Key::Uuid(10))
        );
    }
}
