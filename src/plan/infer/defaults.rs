//! The generator a column gets from its name and type when nothing else
//! decides (`email` → e-mail addresses, `created_at` → timestamps, ...).

use super::*;

/// Numeric defaults by column name: (distribution, min, max).
pub(in crate::plan) fn numeric_by_name(name: &str) -> (Dist, f64, f64) {
    let n = name.to_ascii_lowercase();
    let has = |w: &[&str]| w.iter().any(|x| n.contains(x));
    if has(&[
        "price", "amount", "total", "cost", "balance", "salary", "fee", "revenue", "subtotal",
        "tax",
    ]) {
        (
            Dist::LogNormal {
                mu: 3.5,
                sigma: 1.0,
            },
            0.01,
            99_999_999.99,
        )
    } else if has(&["quantity", "qty", "stock", "count", "units"]) {
        (Dist::Uniform, 1.0, 20.0)
    } else if has(&["age"]) {
        (Dist::Uniform, 18.0, 90.0)
    } else if has(&["rating", "stars", "score"]) {
        (Dist::Uniform, 1.0, 5.0)
    } else if has(&["latitude"]) || n == "lat" {
        (Dist::Uniform, -90.0, 90.0)
    } else if has(&["longitude"]) || n == "lng" || n == "lon" {
        (Dist::Uniform, -180.0, 180.0)
    } else if has(&["year"]) {
        (Dist::Uniform, 1990.0, 2025.0)
    } else if has(&["percent", "discount", "pct"]) {
        (Dist::Uniform, 0.0, 100.0)
    } else if has(&["weight"]) {
        (
            Dist::LogNormal {
                mu: 1.0,
                sigma: 0.8,
            },
            0.01,
            1000.0,
        )
    } else {
        (Dist::Uniform, 1.0, 1000.0)
    }
}

pub(in crate::plan) fn text_by_name(table: &str, name: &str) -> TextKind {
    let n = name.to_ascii_lowercase();
    let t = table.to_ascii_lowercase();
    let has = |w: &[&str]| w.iter().any(|x| n.contains(x));
    if has(&["email", "e_mail"]) {
        TextKind::Email {
            first: None,
            last: None,
            id: None,
        }
    } else if has(&["first_name", "firstname", "given_name", "forename"]) {
        TextKind::FirstName
    } else if has(&["last_name", "lastname", "surname", "family_name"]) {
        TextKind::LastName
    } else if has(&["username", "user_name", "login", "handle", "nickname"]) {
        TextKind::Username
    } else if has(&["phone", "mobile", "fax", "tel"]) {
        TextKind::Phone
    } else if has(&["city", "town"]) {
        TextKind::City
    } else if has(&["country_code", "iso2"]) {
        TextKind::CountryCode
    } else if has(&["country", "nation"]) {
        TextKind::Country
    } else if has(&["state", "province", "region"]) && !has(&["status"]) {
        TextKind::State
    } else if has(&["zip", "postal", "postcode"]) {
        TextKind::Zip
    } else if has(&["address", "street", "line1", "line_1"]) {
        TextKind::Street
    } else if has(&[
        "company",
        "organization",
        "organisation",
        "employer",
        "vendor",
        "supplier",
    ]) {
        TextKind::Company
    } else if has(&["job", "position", "occupation"]) {
        TextKind::JobTitle
    } else if has(&["url", "website", "homepage", "link"]) {
        TextKind::Url
    } else if has(&["currency"]) {
        TextKind::Currency
    } else if has(&["sku", "code", "reference", "ref_no", "number"]) {
        TextKind::Code
    } else if has(&[
        "description",
        "notes",
        "note",
        "comment",
        "bio",
        "body",
        "content",
        "message",
        "summary",
        "text",
    ]) {
        TextKind::Paragraph
    } else if has(&["tag", "keyword", "label", "slug"]) {
        TextKind::Word
    } else if has(&["title", "subject", "headline"]) {
        TextKind::Sentence
    } else if n == "name" || has(&["full_name", "fullname", "display_name", "_name", "contact"]) {
        if ["product", "item", "sku", "article"]
            .iter()
            .any(|w| t.contains(w))
        {
            TextKind::Product
        } else if [
            "compan",
            "organi",
            "vendor",
            "supplier",
            "customer_org",
            "account",
            "tenant",
            "team",
            "brand",
        ]
        .iter()
        .any(|w| t.contains(w))
        {
            TextKind::Company
        } else if [
            "categor",
            "tag",
            "genre",
            "department",
            "role",
            "plan",
            "type",
            "kind",
            "label",
        ]
        .iter()
        .any(|w| t.contains(w))
        {
            TextKind::Word
        } else {
            TextKind::FullName
        }
    } else {
        TextKind::Sentence
    }
}

#[allow(
    clippy::too_many_arguments,
    clippy::too_many_lines,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]
pub(in crate::plan) fn default_gen(
    schema: &Schema,
    table: &Table,
    ty: &PgType,
    name: &str,
    rule: &Rules,
    rows: u64,
    col: &Column,
    problems: &mut Vec<Problem>,
) -> Box<dyn ValueGen> {
    let lname = name.to_ascii_lowercase();
    let base = match &ty.elem {
        TypeRef::Base(b) => *b,
        TypeRef::Named(tn) => {
            let user = schema.types.iter().find(|t| &t.name == tn);
            return match user.map(|t| &t.kind) {
                Some(UserTypeKind::Enum(labels)) => {
                    let mut items = ColumnBuf::for_format(ValueFormat::Text);
                    for l in labels {
                        items.nulls.push(false);
                        if let ColumnData::Text(t) = &mut items.data {
                            t.push(l.as_bytes());
                        }
                    }
                    if rule.unique && rows > labels.len() as u64 {
                        problems.push(impossible_unique(col, rule, rows, labels.len() as u64));
                    }
                    Box::new(Choice::new(items, &[], rule.unique))
                }
                // A domain over an array holds an array; the domain's own checks are on
                // the whole array (in `rule` when pgmock understands them).
                Some(UserTypeKind::Domain(d)) if d.base.array_dims > 0 => {
                    array_gen(schema, table, &d.base, name, col, problems)
                }
                Some(UserTypeKind::Domain(d)) => {
                    default_gen(schema, table, &d.base, name, rule, rows, col, problems)
                }
                Some(UserTypeKind::Composite(fields)) => Box::new(Composite {
                    fields: fields
                        .iter()
                        .map(|f| {
                            (
                                nested_gen(schema, table, &f.ty, &f.name, col, problems),
                                format_of(schema, &f.ty),
                            )
                        })
                        .collect(),
                }),
                // Extension types: hstore and ltree have a syntax of their own; citext
                // takes text.
                None if tn == "hstore" => {
                    if rule.unique {
                        problems.push(cannot_make_unique(col, rule, name, tn));
                    }
                    Box::new(Misc {
                        kind: MiscKind::Hstore,
                    })
                }
                None if tn == "ltree" => Box::new(Misc {
                    kind: MiscKind::Ltree {
                        unique: rule.unique,
                    },
                }),
                None => Box::new(Text {
                    kind: text_by_name(&table.name, name),
                    max_len: rule.max_len.map(|n| n as usize),
                    unique: rule.unique,
                    pad_to: None,
                }),
            };
        }
    };
    match base {
        BaseType::SmallInt
        | BaseType::Integer
        | BaseType::BigInt
        | BaseType::Oid
        | BaseType::Numeric(_) => numbers::fixed_point(base, name, rule, rows, col, problems),
        BaseType::Real | BaseType::Double => {
            numbers::floating(base, name, rule, rows, col, problems)
        }
        BaseType::Money => Box::new(Misc {
            kind: MiscKind::Money,
        }),
        BaseType::Text | BaseType::Varchar(_) | BaseType::Char(_) => {
            let limit = match base {
                BaseType::Varchar(Some(n)) | BaseType::Char(n) => Some(u64::from(n)),
                _ => None,
            };
            let max_len = match (limit, rule.max_len) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let mut kind = text_by_name(&table.name, name);
            if let TextKind::Email { .. } = kind {
                kind = email_from_siblings(schema, table);
            }
            if lname == "status" && !rule.unique {
                let mut items = ColumnBuf::for_format(ValueFormat::Text);
                for s in ["active", "inactive", "pending", "suspended"] {
                    items.nulls.push(false);
                    if let ColumnData::Text(t) = &mut items.data {
                        t.push(s.as_bytes());
                    }
                }
                return Box::new(Choice::new(items, &[70.0, 15.0, 10.0, 5.0], false));
            }
            let pad_to = if let BaseType::Char(n) = base {
                Some(n as usize)
            } else {
                None
            };
            Box::new(Text {
                kind,
                max_len: max_len.map(|n| n as usize),
                unique: rule.unique,
                pad_to,
            })
        }
        BaseType::Date | BaseType::Timestamp(_) | BaseType::TimestampTz(_) | BaseType::Time(_) => {
            let is_date = base == BaseType::Date;
            let is_time = matches!(base, BaseType::Time(_));
            let (from, to) = if lname.contains("birth") || lname == "dob" {
                ((1950, 1, 1), (2005, 12, 31))
            } else {
                ((2020, 1, 1), (2025, 1, 1))
            };
            let day0 = i64::from(datetime::days_from_civil(from.0, from.1, from.2));
            let day1 = i64::from(datetime::days_from_civil(to.0, to.1, to.2));
            let (mut min, mut max, granularity) = if is_date {
                (day0, day1, 1)
            } else if is_time {
                (0, DAY - SECOND, SECOND)
            } else {
                (day0 * DAY, day1 * DAY, SECOND)
            };
            let kind = match base {
                BaseType::Date => Temporal::Date,
                BaseType::TimestampTz(_) => Temporal::TimestampTz,
                _ => Temporal::Timestamp,
            };
            let (check_lo, check_hi) = if is_time {
                if rule.has_bounds() {
                    problems.push(
                        Problem::new(&col.pointer, format!("pgmock cannot satisfy the bounds checks put on time column `{name}` by itself"))
                            .hint("give the column an explicit `generator` whose values satisfy them"),
                    );
                }
                (None, None)
            } else {
                bounds::temporal(&rule.lower, &rule.upper, kind)
            };
            let year = 365 * if is_date { 1 } else { DAY };
            if let Some(m) = check_lo {
                min = m;
                if check_hi.is_none() {
                    max = max.max(min.saturating_add(year));
                }
            }
            if let Some(m) = check_hi {
                max = m;
                if check_lo.is_none() {
                    min = min.min(max.saturating_sub(year));
                }
            }
            if min > max {
                let mut p = Problem::new(
                    &col.pointer,
                    format!(
                        "checks on `{name}` leave no possible value ({})",
                        numbers::describe_bounds(name, rule)
                    ),
                );
                if kind == Temporal::TimestampTz {
                    p = p.hint("a `timestamptz` bound without a UTC offset names a different instant in each server time zone, and pgmock keeps to what holds in all of them (UTC-12 to UTC+14): write the bounds with an offset, e.g. '2024-01-01 00:00:00+00'");
                }
                problems.push(p);
                max = min;
            }
            let steps = (max - min) / granularity + 1;
            if rule.unique && u64::try_from(steps).unwrap_or(0) < rows {
                problems.push(impossible_unique(col, rule, rows, steps));
            }
            // `updated_at` follows `created_at` when both exist (and nothing bounds it).
            if !rule.unique
                && !rule.has_bounds()
                && (lname.starts_with("updated") || lname.starts_with("modified"))
            {
                if let Some(created) = table
                    .columns
                    .iter()
                    .position(|c| c.name.to_ascii_lowercase().starts_with("created") && c.ty == *ty)
                {
                    return Box::new(After {
                        base: created,
                        min_delta: 0,
                        max_delta: if is_date { 90 } else { 90 * DAY },
                        unit: granularity,
                        nullable: col.nullable && !rule.not_null,
                    });
                }
            }
            Box::new(Instant {
                min,
                max,
                granularity,
                unique: rule.unique,
            })
        }
        BaseType::Boolean => {
            if rule.unique && rows > 2 {
                problems.push(impossible_unique(col, rule, rows, 2u8));
            }
            let p = if [
                "active",
                "enabled",
                "verified",
                "visible",
                "available",
                "published",
            ]
            .iter()
            .any(|w| lname.contains(w))
            {
                0.85
            } else if ["deleted", "archived", "blocked", "banned", "suspended"]
                .iter()
                .any(|w| lname.contains(w))
            {
                0.05
            } else {
                0.5
            };
            Box::new(Misc {
                kind: MiscKind::Bool(p),
            })
        }
        BaseType::Uuid => Box::new(Misc {
            kind: MiscKind::Uuid,
        }),
        other => {
            let kind = match other {
                BaseType::Json | BaseType::Jsonb => MiscKind::Json,
                BaseType::Bytea => MiscKind::Bytea,
                BaseType::Xml => MiscKind::Xml,
                BaseType::Inet => MiscKind::Inet,
                BaseType::Cidr => MiscKind::Cidr,
                BaseType::MacAddr => MiscKind::MacAddr,
                BaseType::MacAddr8 => MiscKind::MacAddr8,
                BaseType::Bit(n) => MiscKind::Bit(n),
                BaseType::VarBit(n) => MiscKind::VarBit(n.unwrap_or(16)),
                BaseType::TsVector => MiscKind::TsVector,
                BaseType::TsQuery => MiscKind::TsQuery,
                BaseType::Point => MiscKind::Point,
                BaseType::Line => MiscKind::Line,
                BaseType::Lseg => MiscKind::Lseg,
                BaseType::Box => MiscKind::Box,
                BaseType::Path => MiscKind::Path,
                BaseType::Polygon => MiscKind::Polygon,
                BaseType::Circle => MiscKind::Circle,
                BaseType::Range(k) => MiscKind::Range(k),
                BaseType::MultiRange(k) => MiscKind::MultiRange(k),
                BaseType::Interval { fields, .. } => MiscKind::Interval(fields),
                BaseType::TimeTz(_) => MiscKind::TimeTz,
                _ => MiscKind::Null,
            };
            if rule.unique {
                problems.push(cannot_make_unique(col, rule, name, other));
            }
            Box::new(Misc { kind })
        }
    }
}

pub(in crate::plan) fn int_range(b: BaseType) -> (f64, f64) {
    match b {
        BaseType::SmallInt => (-32768.0, 32767.0),
        BaseType::Integer => (-2_147_483_648.0, 2_147_483_647.0),
        _ => (-9.2e18, 9.2e18),
    }
}

#[allow(clippy::cast_precision_loss)]
pub(in crate::plan) fn numeric_limit(b: BaseType) -> f64 {
    match b {
        BaseType::Numeric(Some((p, s))) => 10f64.powi((p - s) as i32) - 10f64.powi(-(s as i32)),
        BaseType::SmallInt | BaseType::Integer | BaseType::BigInt => int_range(b).1,
        _ => 1e15,
    }
}

/// The range an explicit generator's numbers must stay in for the type.
pub(in crate::plan) fn type_range(base: Option<BaseType>) -> (f64, f64) {
    match base {
        Some(BaseType::Real) => (-f64::from(f32::MAX), f64::from(f32::MAX)),
        Some(b @ (BaseType::SmallInt | BaseType::Integer | BaseType::BigInt)) => int_range(b),
        Some(b @ BaseType::Numeric(Some(_))) => (-numeric_limit(b), numeric_limit(b)),
        _ => (f64::MIN / 4.0, f64::MAX / 4.0),
    }
}

/// Whether `[min, max]` holds a value the column can store: a whole number
/// for integers, a multiple of the scale's step for `numeric(p,s)`.
#[allow(clippy::cast_possible_wrap)]
pub(in crate::plan) fn holds_a_value(format: ValueFormat, min: f64, max: f64) -> bool {
    match format {
        ValueFormat::Int => min.ceil() <= max.floor(),
        ValueFormat::Numeric { scale } => {
            let factor = 10f64.powi(scale as i32);
            (min * factor).ceil() <= (max * factor).floor()
        }
        _ => min <= max,
    }
}

/// The listed values (`IN`, `=`) an integer or numeric column can store
/// unchanged and that its bounds allow; other columns keep the whole list.
pub(in crate::plan) fn storable<'a>(
    schema: &Schema,
    col: &Column,
    rule: &Rules,
    allowed: &'a [Literal],
) -> Vec<&'a Literal> {
    let scale = match format_of(schema, &col.ty) {
        ValueFormat::Int => 0,
        ValueFormat::Numeric { scale } => scale,
        _ => return allowed.iter().collect(),
    };
    let (type_lo, type_hi) = bounds::fixed_type_range(numeric_base(schema, &col.ty), scale);
    let (check_lo, check_hi) = bounds::fixed(&rule.lower, &rule.upper, scale);
    let lo = check_lo.map_or(type_lo, |c| c.max(type_lo));
    let hi = check_hi.map_or(type_hi, |c| c.min(type_hi));
    allowed
        .iter()
        .filter(|lit| match bounds::scaled(lit.text(), scale) {
            Some((floor, ceil)) => floor == ceil && (lo..=hi).contains(&floor),
            // Not a number: `push_literal` reports it.
            None => true,
        })
        .collect()
}

/// Compiles an explicit `generator` of a column.
#[allow(
    clippy::too_many_lines,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]
/// An e-mail generator that builds `first.last.id@domain` from the row's own
/// name columns and single-column integer key, when the table has them.
pub(in crate::plan) fn email_from_siblings(schema: &Schema, table: &Table) -> TextKind {
    let find = |pred: &dyn Fn(&str) -> bool| {
        table.columns.iter().position(|c| {
            pred(&c.name.to_ascii_lowercase())
                && format_of(schema, &c.ty) == ValueFormat::Text
                && c.ty.array_dims == 0
        })
    };
    let first = find(&|n| n.contains("first_name") || n == "firstname");
    let last = find(&|n| n.contains("last_name") || n == "lastname" || n == "surname");
    let id = table
        .primary_key
        .as_ref()
        .filter(|k| k.columns.len() == 1)
        .map(|k| k.columns[0])
        .filter(|&c| format_of(schema, &table.columns[c].ty) == ValueFormat::Int);
    TextKind::Email { first, last, id }
}
