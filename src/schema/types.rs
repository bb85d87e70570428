//! PostgreSQL column types: parsing what users write (`varchar(80)`, `int[]`,
//! `timestamp(3) with time zone`, `bigserial`) and printing the canonical name
//! pg_dump uses (`character varying(80)`, `integer[]`, ...).

use std::fmt;

/// The six built-in range types (each also has a multirange).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangeKind {
    /// `int4range`.
    Int4,
    /// `int8range`.
    Int8,
    /// `numrange`.
    Num,
    /// `tsrange`.
    Ts,
    /// `tstzrange`.
    TsTz,
    /// `daterange`.
    Date,
}

impl RangeKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::Int4 => "int4",
            Self::Int8 => "int8",
            Self::Num => "num",
            Self::Ts => "ts",
            Self::TsTz => "tstz",
            Self::Date => "date",
        }
    }
}

/// A built-in scalar type with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // variant names are the SQL type names
pub enum BaseType {
    SmallInt,
    Integer,
    BigInt,
    /// `numeric(precision, scale)`, or unconstrained.
    Numeric(Option<(u32, u32)>),
    Real,
    Double,
    Money,
    Text,
    Varchar(Option<u32>),
    Char(u32),
    Bytea,
    Boolean,
    Date,
    Time(Option<u8>),
    TimeTz(Option<u8>),
    Timestamp(Option<u8>),
    TimestampTz(Option<u8>),
    /// `interval`, `interval(3)`, `interval day to second(3)`.
    Interval {
        /// The fields it keeps.
        fields: IntervalFields,
        /// Fractional digits of seconds (0..=6), or the default.
        precision: Option<u8>,
    },
    Uuid,
    Json,
    Jsonb,
    Xml,
    Inet,
    Cidr,
    MacAddr,
    MacAddr8,
    Bit(u32),
    VarBit(Option<u32>),
    TsVector,
    TsQuery,
    Point,
    Line,
    Lseg,
    Box,
    Path,
    Polygon,
    Circle,
    Range(RangeKind),
    MultiRange(RangeKind),
    Oid,
}

/// Which fields an `interval` keeps (`interval year to month`): PostgreSQL
/// sets the others to zero when it stores a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // variant names are the SQL spellings
pub enum IntervalFields {
    /// No restriction.
    All,
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    YearToMonth,
    DayToHour,
    DayToMinute,
    DayToSecond,
    HourToMinute,
    HourToSecond,
    MinuteToSecond,
}

impl IntervalFields {
    const ALL: [(Self, &'static str); 13] = [
        (Self::Year, "year"),
        (Self::Month, "month"),
        (Self::Day, "day"),
        (Self::Hour, "hour"),
        (Self::Minute, "minute"),
        (Self::Second, "second"),
        (Self::YearToMonth, "year to month"),
        (Self::DayToHour, "day to hour"),
        (Self::DayToMinute, "day to minute"),
        (Self::DayToSecond, "day to second"),
        (Self::HourToMinute, "hour to minute"),
        (Self::HourToSecond, "hour to second"),
        (Self::MinuteToSecond, "minute to second"),
    ];

    /// The SQL spelling (`day to second`), empty for [`Self::All`].
    #[must_use]
    pub fn sql(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("", |(_, name)| name)
    }

    /// Whether the fields end with seconds, the only ones that take a precision.
    #[must_use]
    pub fn has_seconds(self) -> bool {
        matches!(
            self,
            Self::All
                | Self::Second
                | Self::DayToSecond
                | Self::HourToSecond
                | Self::MinuteToSecond
        )
    }

    /// Months, days and microseconds as PostgreSQL stores them in a column
    /// with these fields (`AdjustIntervalForTypmod`): the fields it does not
    /// keep become zero, the time part is cut to whole hours or minutes.
    #[must_use]
    pub fn truncate(self, months: i32, days: i32, micros: i64) -> (i32, i32, i64) {
        const HOUR: i64 = 3_600_000_000;
        const MINUTE: i64 = 60_000_000;
        match self {
            Self::Year => ((months / 12) * 12, 0, 0),
            Self::Month | Self::YearToMonth => (months, 0, 0),
            Self::Day => (months, days, 0),
            Self::Hour | Self::DayToHour => (months, days, (micros / HOUR) * HOUR),
            Self::Minute | Self::DayToMinute | Self::HourToMinute => {
                (months, days, (micros / MINUTE) * MINUTE)
            }
            Self::All
            | Self::Second
            | Self::DayToSecond
            | Self::HourToSecond
            | Self::MinuteToSecond => (months, days, micros),
        }
    }
}

/// The element type of a column: built-in, or a user type (enum, domain,
/// composite, extension type) resolved by name during validation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A built-in type.
    Base(BaseType),
    /// A user-defined or extension type, by (schema-less) name.
    Named(String),
}

/// A column type: an element type and how many array dimensions it has.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PgType {
    /// The element type.
    pub elem: TypeRef,
    /// 0 for scalars, 1 for `int[]`, 2 for `text[][]`.
    pub array_dims: u8,
}

/// `serial` pseudo-types: an integer column fed by an owned sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerialKind {
    /// `smallserial`.
    Small,
    /// `serial`.
    Regular,
    /// `bigserial`.
    Big,
}

/// A parsed type name: the type and whether it was written as a serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedType {
    /// The column type.
    pub ty: PgType,
    /// Set when written as `serial`, `bigserial`, `smallserial`.
    pub serial: Option<SerialKind>,
}

/// Why a type name could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeError {
    /// The name is not a known built-in type and not a plausible user type name.
    Unknown(String),
    /// Modifiers that the type does not take or that are out of range.
    BadModifier(String),
}

/// Every built-in name users may write, for "did you mean" suggestions.
pub const KNOWN_NAMES: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "int",
    "int2",
    "int4",
    "int8",
    "smallserial",
    "serial",
    "bigserial",
    "serial2",
    "serial4",
    "serial8",
    "numeric",
    "decimal",
    "real",
    "float4",
    "double precision",
    "float8",
    "float",
    "money",
    "text",
    "varchar",
    "character varying",
    "char",
    "character",
    "bpchar",
    "bytea",
    "boolean",
    "bool",
    "date",
    "time",
    "timetz",
    "time with time zone",
    "time without time zone",
    "timestamp",
    "timestamptz",
    "timestamp with time zone",
    "timestamp without time zone",
    "interval",
    "uuid",
    "json",
    "jsonb",
    "xml",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "bit",
    "bit varying",
    "varbit",
    "tsvector",
    "tsquery",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
    "int4multirange",
    "int8multirange",
    "nummultirange",
    "tsmultirange",
    "tstzmultirange",
    "datemultirange",
    "oid",
];

impl PgType {
    /// A scalar built-in type.
    #[must_use]
    pub fn base(base: BaseType) -> Self {
        Self {
            elem: TypeRef::Base(base),
            array_dims: 0,
        }
    }

    /// The built-in element type, if it is one.
    #[must_use]
    pub fn base_elem(&self) -> Option<BaseType> {
        match &self.elem {
            TypeRef::Base(b) => Some(*b),
            TypeRef::Named(_) => None,
        }
    }

    /// The same type without array dimensions.
    #[must_use]
    pub fn element(&self) -> Self {
        Self {
            elem: self.elem.clone(),
            array_dims: 0,
        }
    }

    /// Parses a type as users write it.
    pub fn parse(input: &str) -> Result<ParsedType, TypeError> {
        let mut text = input.trim().to_ascii_lowercase();
        text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut dims = 0u8;
        loop {
            let trimmed = text.trim_end();
            if let Some(open) = trimmed.strip_suffix(']').and_then(|t| t.rfind('[')) {
                let inner = &trimmed[open + 1..trimmed.len() - 1];
                if !inner.chars().all(|c| c.is_ascii_digit()) {
                    return Err(TypeError::BadModifier(format!(
                        "`[{inner}]` is not an array bound"
                    )));
                }
                dims = dims.saturating_add(1);
                text = trimmed[..open].trim_end().to_owned();
            } else if let Some(rest) = trimmed.strip_suffix(" array") {
                dims = dims.saturating_add(1);
                text = rest.to_owned();
            } else {
                break;
            }
        }
        if dims > 6 {
            return Err(TypeError::BadModifier(
                "arrays have at most 6 dimensions".into(),
            ));
        }
        let (base, serial) = parse_scalar(&text, input.trim())?;
        if serial.is_some() && dims > 0 {
            return Err(TypeError::BadModifier(
                "serial types cannot be arrays".into(),
            ));
        }
        Ok(ParsedType {
            ty: PgType {
                elem: base,
                array_dims: dims,
            },
            serial,
        })
    }
}

fn parse_scalar(text: &str, original: &str) -> Result<(TypeRef, Option<SerialKind>), TypeError> {
    // Split "name(args) suffix" into its parts; the suffix carries "with time zone".
    let (name, args, suffix) = match text.find('(') {
        Some(open) => {
            let close = text[open..]
                .find(')')
                .map(|c| c + open)
                .ok_or_else(|| TypeError::BadModifier("missing `)`".into()))?;
            (
                text[..open].trim(),
                Some(&text[open + 1..close]),
                text[close + 1..].trim(),
            )
        }
        None => (text, None, ""),
    };
    let mods: Vec<u32> = match args {
        Some(a) => a
            .split(',')
            .map(|p| {
                p.trim()
                    .parse::<u32>()
                    .map_err(|_| TypeError::BadModifier(format!("`{}` is not a number", p.trim())))
            })
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let full = if suffix.is_empty() {
        name.to_owned()
    } else {
        format!("{name} {suffix}")
    };
    let no_mods = |b: BaseType| -> Result<BaseType, TypeError> {
        if mods.is_empty() {
            Ok(b)
        } else {
            Err(TypeError::BadModifier(format!(
                "type `{name}` takes no modifiers"
            )))
        }
    };
    let one_mod = |max: u32| -> Result<Option<u32>, TypeError> {
        match mods.as_slice() {
            [] => Ok(None),
            [n] if *n >= 1 && *n <= max => Ok(Some(*n)),
            [n] => Err(TypeError::BadModifier(format!(
                "length {n} for `{name}` must be between 1 and {max}"
            ))),
            _ => Err(TypeError::BadModifier(format!(
                "type `{name}` takes one modifier"
            ))),
        }
    };
    let precision = || -> Result<Option<u8>, TypeError> {
        match mods.as_slice() {
            [] => Ok(None),
            [p] if *p <= 6 => Ok(u8::try_from(*p).ok()),
            [p] => Err(TypeError::BadModifier(format!(
                "precision {p} must be between 0 and 6"
            ))),
            _ => Err(TypeError::BadModifier(
                "time types take one precision".into(),
            )),
        }
    };
    let serial = |k: SerialKind, b: BaseType| Ok((TypeRef::Base(no_mods(b)?), Some(k)));
    let base = match full.as_str() {
        "smallint" | "int2" => no_mods(BaseType::SmallInt)?,
        "integer" | "int" | "int4" => no_mods(BaseType::Integer)?,
        "bigint" | "int8" => no_mods(BaseType::BigInt)?,
        "smallserial" | "serial2" => return serial(SerialKind::Small, BaseType::SmallInt),
        "serial" | "serial4" => return serial(SerialKind::Regular, BaseType::Integer),
        "bigserial" | "serial8" => return serial(SerialKind::Big, BaseType::BigInt),
        "numeric" | "decimal" => BaseType::Numeric(match mods.as_slice() {
            [] => None,
            [p] if (1..=1000).contains(p) => Some((*p, 0)),
            [p, s] if (1..=1000).contains(p) && s <= p => Some((*p, *s)),
            _ => {
                return Err(TypeError::BadModifier(
                    "numeric takes (precision 1..1000, scale 0..precision)".into(),
                ))
            }
        }),
        "real" | "float4" => no_mods(BaseType::Real)?,
        "double precision" | "float8" => no_mods(BaseType::Double)?,
        "float" => match mods.as_slice() {
            [] => BaseType::Double,
            [p] if (1..=24).contains(p) => BaseType::Real,
            [p] if (25..=53).contains(p) => BaseType::Double,
            _ => {
                return Err(TypeError::BadModifier(
                    "float precision must be between 1 and 53".into(),
                ))
            }
        },
        "money" => no_mods(BaseType::Money)?,
        "text" => no_mods(BaseType::Text)?,
        "varchar" | "character varying" => BaseType::Varchar(one_mod(10_485_760)?),
        "char" | "character" | "bpchar" => BaseType::Char(one_mod(10_485_760)?.unwrap_or(1)),
        "bytea" => no_mods(BaseType::Bytea)?,
        "boolean" | "bool" => no_mods(BaseType::Boolean)?,
        "date" => no_mods(BaseType::Date)?,
        "time" | "time without time zone" => BaseType::Time(precision()?),
        "timetz" | "time with time zone" => BaseType::TimeTz(precision()?),
        "timestamp" | "timestamp without time zone" => BaseType::Timestamp(precision()?),
        "timestamptz" | "timestamp with time zone" => BaseType::TimestampTz(precision()?),
        interval if interval == "interval" || interval.starts_with("interval ") => {
            if !suffix.is_empty() {
                return Err(TypeError::BadModifier(
                    "the precision goes after the fields: `interval day to second(3)`".into(),
                ));
            }
            let words = name["interval".len()..].trim();
            let fields = if words.is_empty() {
                IntervalFields::All
            } else {
                IntervalFields::ALL
                    .iter()
                    .find(|(_, sql)| *sql == words)
                    .map(|(f, _)| *f)
                    .ok_or_else(|| {
                        TypeError::BadModifier(format!(
                            "unknown interval fields `{words}`: use year, month, day, hour, minute, second, year to month, day to hour, day to minute, day to second, hour to minute, hour to second or minute to second"
                        ))
                    })?
            };
            let precision = precision()?;
            if precision.is_some() && !fields.has_seconds() {
                return Err(TypeError::BadModifier(format!(
                    "`interval {words}` takes no precision: only intervals that end with seconds do"
                )));
            }
            BaseType::Interval { fields, precision }
        }
        "uuid" => no_mods(BaseType::Uuid)?,
        "json" => no_mods(BaseType::Json)?,
        "jsonb" => no_mods(BaseType::Jsonb)?,
        "xml" => no_mods(BaseType::Xml)?,
        "inet" => no_mods(BaseType::Inet)?,
        "cidr" => no_mods(BaseType::Cidr)?,
        "macaddr" => no_mods(BaseType::MacAddr)?,
        "macaddr8" => no_mods(BaseType::MacAddr8)?,
        "bit" => BaseType::Bit(one_mod(83_886_080)?.unwrap_or(1)),
        "bit varying" | "varbit" => BaseType::VarBit(one_mod(83_886_080)?),
        "tsvector" => no_mods(BaseType::TsVector)?,
        "tsquery" => no_mods(BaseType::TsQuery)?,
        "point" => no_mods(BaseType::Point)?,
        "line" => no_mods(BaseType::Line)?,
        "lseg" => no_mods(BaseType::Lseg)?,
        "box" => no_mods(BaseType::Box)?,
        "path" => no_mods(BaseType::Path)?,
        "polygon" => no_mods(BaseType::Polygon)?,
        "circle" => no_mods(BaseType::Circle)?,
        "oid" => no_mods(BaseType::Oid)?,
        other => {
            let range = [
                RangeKind::Int4,
                RangeKind::Int8,
                RangeKind::Num,
                RangeKind::Ts,
                RangeKind::TsTz,
                RangeKind::Date,
            ]
            .into_iter()
            .find_map(|k| {
                let rest = other.strip_prefix(k.prefix())?;
                match rest {
                    "range" => Some(BaseType::Range(k)),
                    "multirange" => Some(BaseType::MultiRange(k)),
                    _ => None,
                }
            });
            match range {
                Some(b) => no_mods(b)?,
                None if args.is_none() && suffix.is_empty() && is_plain_name(other) => {
                    // Keep the user's spelling: user types are matched case-sensitively later.
                    return Ok((
                        TypeRef::Named(original.trim_end_matches("[]").trim().to_owned()),
                        None,
                    ));
                }
                None => return Err(TypeError::Unknown(original.to_owned())),
            }
        }
    };
    Ok((TypeRef::Base(base), None))
}

/// An identifier, or a schema-qualified one (`app.mood`).
fn is_plain_name(name: &str) -> bool {
    match name.split_once('.') {
        Some((schema, bare)) => is_identifier(schema) && is_identifier(bare),
        None => is_identifier(name),
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for BaseType {
    /// The canonical name pg_dump prints (`format_type`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let precision = |f: &mut fmt::Formatter<'_>, name: &str, p: &Option<u8>, tz: &str| match p {
            Some(p) => write!(f, "{name}({p}) {tz}"),
            None => write!(f, "{name} {tz}"),
        };
        match self {
            Self::SmallInt => f.write_str("smallint"),
            Self::Integer => f.write_str("integer"),
            Self::BigInt => f.write_str("bigint"),
            Self::Numeric(None) => f.write_str("numeric"),
            Self::Numeric(Some((p, s))) => write!(f, "numeric({p},{s})"),
            Self::Real => f.write_str("real"),
            Self::Double => f.write_str("double precision"),
            Self::Money => f.write_str("money"),
            Self::Text => f.write_str("text"),
            Self::Varchar(None) => f.write_str("character varying"),
            Self::Varchar(Some(n)) => write!(f, "character varying({n})"),
            Self::Char(n) => write!(f, "character({n})"),
            Self::Bytea => f.write_str("bytea"),
            Self::Boolean => f.write_str("boolean"),
            Self::Date => f.write_str("date"),
            Self::Time(p) => precision(f, "time", p, "without time zone"),
            Self::TimeTz(p) => precision(f, "time", p, "with time zone"),
            Self::Timestamp(p) => precision(f, "timestamp", p, "without time zone"),
            Self::TimestampTz(p) => precision(f, "timestamp", p, "with time zone"),
            Self::Interval { fields, precision } => {
                f.write_str("interval")?;
                if *fields != IntervalFields::All {
                    write!(f, " {}", fields.sql())?;
                }
                match precision {
                    Some(p) => write!(f, "({p})"),
                    None => Ok(()),
                }
            }
            Self::Uuid => f.write_str("uuid"),
            Self::Json => f.write_str("json"),
            Self::Jsonb => f.write_str("jsonb"),
            Self::Xml => f.write_str("xml"),
            Self::Inet => f.write_str("inet"),
            Self::Cidr => f.write_str("cidr"),
            Self::MacAddr => f.write_str("macaddr"),
            Self::MacAddr8 => f.write_str("macaddr8"),
            Self::Bit(n) => write!(f, "bit({n})"),
            Self::VarBit(None) => f.write_str("bit varying"),
            Self::VarBit(Some(n)) => write!(f, "bit varying({n})"),
            Self::TsVector => f.write_str("tsvector"),
            Self::TsQuery => f.write_str("tsquery"),
            Self::Point => f.write_str("point"),
            Self::Line => f.write_str("line"),
            Self::Lseg => f.write_str("lseg"),
            Self::Box => f.write_str("box"),
            Self::Path => f.write_str("path"),
            Self::Polygon => f.write_str("polygon"),
            Self::Circle => f.write_str("circle"),
            Self::Range(k) => write!(f, "{}range", k.prefix()),
            Self::MultiRange(k) => write!(f, "{}multirange", k.prefix()),
            Self::Oid => f.write_str("oid"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(input: &str) -> String {
        let parsed = PgType::parse(input).unwrap();
        let mut s = match parsed.ty.elem {
            TypeRef::Base(b) => b.to_string(),
            TypeRef::Named(n) => n,
        };
        for _ in 0..parsed.ty.array_dims.min(1) {
            s.push_str("[]");
        }
        s
    }

    #[test]
    fn canonical_names_match_pg_dump() {
        assert_eq!(canon("varchar(80)"), "character varying(80)");
        assert_eq!(
            canon("timestamp(3) with time zone"),
            "timestamp(3) with time zone"
        );
        assert_eq!(canon("TIMESTAMPTZ"), "timestamp with time zone");
        assert_eq!(canon("int[]"), "integer[]");
        assert_eq!(canon("text[][]"), "text[]");
        assert_eq!(canon("numeric(10, 2)"), "numeric(10,2)");
        assert_eq!(canon("char"), "character(1)");
        assert_eq!(canon("float(10)"), "real");
        assert_eq!(canon("time"), "time without time zone");
        assert_eq!(canon("tstzmultirange"), "tstzmultirange");
        assert_eq!(canon("bit varying(5)"), "bit varying(5)");
        assert_eq!(canon("mood"), "mood");
        assert_eq!(canon("interval"), "interval");
        assert_eq!(canon("INTERVAL (1)"), "interval(1)");
        assert_eq!(canon("interval(0)[]"), "interval(0)[]");
        assert_eq!(canon("interval year"), "interval year");
        assert_eq!(
            canon("interval  Day To Second( 3 )"),
            "interval day to second(3)"
        );
        assert_eq!(
            canon("interval minute to second"),
            "interval minute to second"
        );
    }

    #[test]
    fn interval_modifiers_postgres_rejects() {
        for bad in [
            "interval(7)",
            "interval(1,2)",
            "interval year(2)",
            "interval day to month",
            "interval(3) day to second",
        ] {
            assert!(PgType::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn interval_fields_truncate_as_postgres_stores() {
        let v = (25, 17, 37_230_000_000); // 2 years 1 month 17 days 10:20:30
        assert_eq!(IntervalFields::All.truncate(v.0, v.1, v.2), v);
        assert_eq!(IntervalFields::Year.truncate(v.0, v.1, v.2), (24, 0, 0));
        assert_eq!(
            IntervalFields::YearToMonth.truncate(v.0, v.1, v.2),
            (25, 0, 0)
        );
        assert_eq!(IntervalFields::Day.truncate(v.0, v.1, v.2), (25, 17, 0));
        assert_eq!(
            IntervalFields::DayToHour.truncate(v.0, v.1, v.2),
            (25, 17, 36_000_000_000)
        );
        assert_eq!(
            IntervalFields::HourToMinute.truncate(v.0, v.1, v.2),
            (25, 17, 37_200_000_000)
        );
    }

    #[test]
    fn serials_and_errors() {
        assert_eq!(
            PgType::parse("bigserial").unwrap().serial,
            Some(SerialKind::Big)
        );
        assert!(matches!(
            PgType::parse("timestamp with zone"),
            Err(TypeError::Unknown(_))
        ));
        assert!(matches!(
            PgType::parse("numeric(2,5)"),
            Err(TypeError::BadModifier(_))
        ));
        assert!(matches!(
            PgType::parse("text(5)"),
            Err(TypeError::BadModifier(_))
        ));
        assert_eq!(PgType::parse("int[][]").unwrap().ty.array_dims, 2);
    }
}
