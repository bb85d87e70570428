//! Typed column buffers: how generated values travel from `generate` to
//! `encode`. A [`ColumnBuf`] holds one column for a chunk of rows in the
//! cheapest representation for its type (integers as `i64`, timestamps as
//! microseconds, text as one byte buffer with end offsets), so the hot path
//! never allocates per value. [`ValueFormat`] says how to print it.

use crate::pgtext;

/// How a column's values are printed in PostgreSQL's text form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    /// smallint, integer, bigint, oid.
    Int,
    /// real (shortest float4 digits).
    Float4,
    /// double precision.
    Float8,
    /// numeric with a fixed number of fraction digits (also money).
    Numeric {
        /// Fraction digits.
        scale: u32,
    },
    /// boolean.
    Bool,
    /// date (days since 1970-01-01).
    Date,
    /// timestamp without time zone (µs since 1970-01-01).
    Timestamp,
    /// timestamp with time zone, printed in UTC.
    TimestampTz,
    /// time without time zone (µs since midnight).
    Time,
    /// uuid.
    Uuid,
    /// Any other type: the buffer already holds its text form.
    Text,
    /// bit and bit varying: text of `0`/`1`, written as `B'...'` in INSERTs.
    Bits,
}

impl ValueFormat {
    /// Dates, timestamps and times.
    #[must_use]
    pub fn is_temporal(self) -> bool {
        matches!(
            self,
            Self::Date | Self::Timestamp | Self::TimestampTz | Self::Time
        )
    }
    /// Whether SQL INSERT literals of this format are written bare (numbers).
    #[must_use]
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Self::Int | Self::Float4 | Self::Float8 | Self::Numeric { .. }
        )
    }
}

/// Values of one column for a chunk of rows.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Integers.
    Int(Vec<i64>),
    /// Floating point numbers.
    Float(Vec<f64>),
    /// Scaled integers (value = n / 10^scale, scale from the format).
    Numeric(Vec<i128>),
    /// Booleans.
    Bool(Vec<bool>),
    /// Days since 1970-01-01.
    Date(Vec<i32>),
    /// Microseconds (since the epoch, or since midnight for `time`).
    Micros(Vec<i64>),
    /// UUIDs.
    Uuid(Vec<u128>),
    /// Text forms, concatenated.
    Text(TextBuf),
}

/// Many strings in one allocation: `bytes[ends[i-1]..ends[i]]` is value `i`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextBuf {
    /// All values' bytes.
    pub bytes: Vec<u8>,
    /// End offset of each value.
    pub ends: Vec<usize>,
}

impl TextBuf {
    /// Value `i`.
    #[must_use]
    pub fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// Cuts the value being written (from `start`) to at most `max` characters.
    pub fn cut_value(&mut self, start: usize, max: usize) {
        let cut = std::str::from_utf8(&self.bytes[start..])
            .ok()
            .and_then(|s| s.char_indices().nth(max).map(|(b, _)| b));
        if let Some(cut) = cut {
            self.bytes.truncate(start + cut);
        }
    }

    /// Pads the value being written (from `start`) with spaces to `n`
    /// characters, as the server pads `char(n)`.
    pub fn pad_value(&mut self, start: usize, n: usize) {
        let chars = std::str::from_utf8(&self.bytes[start..]).map_or(0, |s| s.chars().count());
        self.bytes
            .resize(self.bytes.len() + n.saturating_sub(chars), b' ');
    }

    /// Ends the value being written at the end of `bytes`.
    pub fn finish_value(&mut self) {
        self.ends.push(self.bytes.len());
    }

    /// Appends a whole value.
    pub fn push(&mut self, value: &[u8]) {
        self.bytes.extend_from_slice(value);
        self.finish_value();
    }

    /// Number of values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no values.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Forgets all values, keeping the allocations.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }
}

/// One column's values and NULL flags for a chunk of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnBuf {
    /// `true` where the value is NULL (the data slot then holds a placeholder).
    pub nulls: Vec<bool>,
    /// The values.
    pub data: ColumnData,
}

impl ColumnBuf {
    /// An empty buffer whose data variant suits `format`.
    #[must_use]
    pub fn for_format(format: ValueFormat) -> Self {
        let data = match format {
            ValueFormat::Int => ColumnData::Int(Vec::new()),
            ValueFormat::Float4 | ValueFormat::Float8 => ColumnData::Float(Vec::new()),
            ValueFormat::Numeric { .. } => ColumnData::Numeric(Vec::new()),
            ValueFormat::Bool => ColumnData::Bool(Vec::new()),
            ValueFormat::Date => ColumnData::Date(Vec::new()),
            ValueFormat::Timestamp | ValueFormat::TimestampTz | ValueFormat::Time => {
                ColumnData::Micros(Vec::new())
            }
            ValueFormat::Uuid => ColumnData::Uuid(Vec::new()),
            ValueFormat::Text | ValueFormat::Bits => ColumnData::Text(TextBuf::default()),
        };
        Self {
            nulls: Vec::new(),
            data,
        }
    }

    /// Clears values, keeping allocations.
    pub fn clear(&mut self) {
        self.nulls.clear();
        match &mut self.data {
            ColumnData::Int(v) | ColumnData::Micros(v) => v.clear(),
            ColumnData::Float(v) => v.clear(),
            ColumnData::Numeric(v) => v.clear(),
            ColumnData::Bool(v) => v.clear(),
            ColumnData::Date(v) => v.clear(),
            ColumnData::Uuid(v) => v.clear(),
            ColumnData::Text(t) => t.clear(),
        }
    }

    /// Number of rows held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nulls.len()
    }

    /// Whether no rows are held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nulls.is_empty()
    }

    /// About how many bytes the values take in memory.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        let n = self.nulls.len();
        n + match &self.data {
            ColumnData::Int(_) | ColumnData::Micros(_) | ColumnData::Float(_) => 8 * n,
            ColumnData::Numeric(_) | ColumnData::Uuid(_) => 16 * n,
            ColumnData::Bool(_) => n,
            ColumnData::Date(_) => 4 * n,
            ColumnData::Text(t) => t.bytes.len() + 8 * n,
        }
    }

    /// Appends value `i` of `other` (same variant) to this buffer.
    pub fn push_from(&mut self, other: &Self, i: usize) {
        self.nulls.push(other.nulls[i]);
        match (&mut self.data, &other.data) {
            (ColumnData::Int(a), ColumnData::Int(b))
            | (ColumnData::Micros(a), ColumnData::Micros(b)) => a.push(b[i]),
            (ColumnData::Float(a), ColumnData::Float(b)) => a.push(b[i]),
            (ColumnData::Numeric(a), ColumnData::Numeric(b)) => a.push(b[i]),
            (ColumnData::Bool(a), ColumnData::Bool(b)) => a.push(b[i]),
            (ColumnData::Date(a), ColumnData::Date(b)) => a.push(b[i]),
            (ColumnData::Uuid(a), ColumnData::Uuid(b)) => a.push(b[i]),
            (ColumnData::Text(a), ColumnData::Text(b)) => a.push(b.get(i)),
            // Mismatched variants are a plan bug; keep row counts aligned regardless.
            (data, _) => push_placeholder(data),
        }
    }

    /// Appends values `rows` of `other` (the same kind of values), matching
    /// the kind once rather than once per value.
    pub fn gather(&mut self, other: &Self, rows: &[u64]) {
        #[allow(clippy::cast_possible_truncation)]
        let at = |r: &u64| *r as usize;
        self.nulls.extend(rows.iter().map(|r| other.nulls[at(r)]));
        match (&mut self.data, &other.data) {
            (ColumnData::Int(a), ColumnData::Int(b))
            | (ColumnData::Micros(a), ColumnData::Micros(b)) => {
                a.extend(rows.iter().map(|r| b[at(r)]))
            }
            (ColumnData::Float(a), ColumnData::Float(b)) => a.extend(rows.iter().map(|r| b[at(r)])),
            (ColumnData::Numeric(a), ColumnData::Numeric(b)) => {
                a.extend(rows.iter().map(|r| b[at(r)]))
            }
            (ColumnData::Bool(a), ColumnData::Bool(b)) => a.extend(rows.iter().map(|r| b[at(r)])),
            (ColumnData::Date(a), ColumnData::Date(b)) => a.extend(rows.iter().map(|r| b[at(r)])),
            (ColumnData::Uuid(a), ColumnData::Uuid(b)) => a.extend(rows.iter().map(|r| b[at(r)])),
            (ColumnData::Text(a), ColumnData::Text(b)) => {
                a.ends.reserve(rows.len());
                for r in rows {
                    a.push(b.get(at(r)));
                }
            }
            (data, _) => {
                for _ in rows {
                    push_placeholder(data);
                }
            }
        }
    }

    /// Appends a NULL.
    pub fn push_null(&mut self) {
        self.nulls.push(true);
        push_placeholder(&mut self.data);
    }

    /// An empty buffer holding the same kind of values.
    #[must_use]
    pub fn empty_like(&self) -> Self {
        let data = match &self.data {
            ColumnData::Int(_) => ColumnData::Int(Vec::new()),
            ColumnData::Float(_) => ColumnData::Float(Vec::new()),
            ColumnData::Numeric(_) => ColumnData::Numeric(Vec::new()),
            ColumnData::Bool(_) => ColumnData::Bool(Vec::new()),
            ColumnData::Date(_) => ColumnData::Date(Vec::new()),
            ColumnData::Micros(_) => ColumnData::Micros(Vec::new()),
            ColumnData::Uuid(_) => ColumnData::Uuid(Vec::new()),
            ColumnData::Text(_) => ColumnData::Text(TextBuf::default()),
        };
        Self {
            nulls: Vec::new(),
            data,
        }
    }

    /// The number at row `i` as `f64` (`numeric` unscaled by `format`'s
    /// scale, booleans as 0/1); `None` for NULL and non-numbers.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn number(&self, format: ValueFormat, i: usize) -> Option<f64> {
        if self.nulls.get(i).copied().unwrap_or(true) {
            return None;
        }
        match (&self.data, format) {
            (ColumnData::Int(v), _) => Some(v[i] as f64),
            (ColumnData::Float(v), _) => Some(v[i]),
            (ColumnData::Numeric(v), ValueFormat::Numeric { scale }) => {
                Some(v[i] as f64 / 10f64.powi(i32::try_from(scale).unwrap_or(0)))
            }
            (ColumnData::Bool(v), _) => Some(f64::from(u8::from(v[i]))),
            _ => None,
        }
    }

    /// A date as days and a timestamp as seconds since 1970-01-01, so that
    /// arithmetic over them (`derive`) reads in days and seconds; other
    /// values as [`ColumnBuf::number`] gives them.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn number_or_instant(&self, format: ValueFormat, i: usize) -> Option<f64> {
        if self.nulls.get(i).copied().unwrap_or(true) {
            return None;
        }
        match (&self.data, format) {
            (ColumnData::Date(v), ValueFormat::Date) => Some(f64::from(v[i])),
            (ColumnData::Micros(v), ValueFormat::Timestamp | ValueFormat::TimestampTz) => {
                Some(v[i] as f64 / 1e6)
            }
            _ => self.number(format, i),
        }
    }

    /// Appends a computed number (rounded to the column's units), or NULL for
    /// `None`; for dates and timestamps, days and seconds since 1970-01-01
    /// (see [`ColumnBuf::number_or_instant`]).
    #[allow(clippy::cast_possible_truncation)]
    pub fn push_number(&mut self, format: ValueFormat, value: Option<f64>) {
        let Some(v) = value else {
            self.push_null();
            return;
        };
        match &mut self.data {
            ColumnData::Int(o) => o.push(v.round() as i64),
            ColumnData::Float(o) => o.push(v),
            ColumnData::Numeric(o) => {
                let scale = match format {
                    ValueFormat::Numeric { scale } => scale,
                    _ => 0,
                };
                o.push((v * 10f64.powi(i32::try_from(scale).unwrap_or(0))).round() as i128);
            }
            ColumnData::Text(t) => {
                t.bytes.extend_from_slice(v.to_string().as_bytes());
                t.finish_value();
            }
            // Days within PostgreSQL's dates (4713 BC on), seconds within its timestamps.
            ColumnData::Date(o) if (-2_400_000.0..2_000_000_000.0).contains(&v) => {
                o.push(v.floor() as i32);
            }
            ColumnData::Micros(o) if (-2.0e11..9.0e12).contains(&v) => {
                o.push((v * 1e6).round() as i64);
            }
            _ => {
                self.push_null();
                return;
            }
        }
        self.nulls.push(false);
    }

    /// Marks row `i` as NULL.
    pub fn set_null(&mut self, i: usize) {
        self.nulls[i] = true;
    }

    /// The integer at row `i`, if this column holds integers.
    #[must_use]
    pub fn int(&self, i: usize) -> Option<i64> {
        match &self.data {
            ColumnData::Int(v) => v.get(i).copied(),
            _ => None,
        }
    }

    /// Writes value `i` (not NULL) in PostgreSQL text form, unescaped.
    pub fn write_text(&self, format: ValueFormat, i: usize, out: &mut Vec<u8>) {
        match &self.data {
            ColumnData::Int(v) => {
                let mut b = itoa::Buffer::new();
                out.extend_from_slice(b.format(v[i]).as_bytes());
            }
            #[allow(clippy::cast_possible_truncation)]
            ColumnData::Float(v) => match format {
                ValueFormat::Float4 => pgtext::numeric::float4(out, v[i] as f32),
                _ => pgtext::numeric::float8(out, v[i]),
            },
            ColumnData::Numeric(v) => {
                let scale = if let ValueFormat::Numeric { scale } = format {
                    scale
                } else {
                    0
                };
                pgtext::numeric::numeric(out, v[i], scale);
            }
            ColumnData::Bool(v) => pgtext::scalar::boolean(out, v[i]),
            ColumnData::Date(v) => pgtext::datetime::date(out, v[i]),
            ColumnData::Micros(v) => match format {
                ValueFormat::Time => pgtext::datetime::time(out, v[i]),
                ValueFormat::Timestamp => pgtext::datetime::timestamp(out, v[i]),
                _ => pgtext::datetime::timestamptz_utc(out, v[i]),
            },
            ColumnData::Uuid(v) => pgtext::scalar::uuid(out, v[i]),
            ColumnData::Text(t) => out.extend_from_slice(t.get(i)),
        }
    }
}

fn push_placeholder(data: &mut ColumnData) {
    match data {
        ColumnData::Int(v) | ColumnData::Micros(v) => v.push(0),
        ColumnData::Float(v) => v.push(0.0),
        ColumnData::Numeric(v) => v.push(0),
        ColumnData::Bool(v) => v.push(false),
        ColumnData::Date(v) => v.push(0),
        ColumnData::Uuid(v) => v.push(0),
        ColumnData::Text(t) => t.finish_value(),
    }
}
