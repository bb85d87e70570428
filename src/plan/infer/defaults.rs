//! The generator a column gets from its name and type when nothing else
//! decides (`email` → e-mail addresses, `created_at` → timestamps, ...).

use super::*;
use crate::generate::kinds::prose::Prose;
use crate::generate::kinds::registry::{self, Kind};

/// Numeric defaults by column name: (distribution, min, max).
pub(in crate::plan) fn numeric_by_name(name: &str) -> (Dist, f64, f64) {
    match names::infer(name, Class::Number).map(|(k, _)| k.make) {
        Some(Make::Number(dist, min, max)) => (dist, min, max),
        Some(Make::Coordinate(true)) => (Dist::Uniform, -90.0, 90.0),
        Some(Make::Coordinate(false)) => (Dist::Uniform, -180.0, 180.0),
        _ => (Dist::Uniform, 1.0, 1000.0),
    }
}

/// The row's place's latitude or longitude, for a float or `numeric` column
/// with room for it and no bounds or uniqueness of its own.
fn coordinate(
    schema: &Schema,
    table: &Table,
    col: &Column,
    base: BaseType,
    rule: &Rules,
) -> Option<Box<dyn ValueGen>> {
    let Some(Make::Coordinate(latitude)) =
        names::infer(&col.name, Class::Number).map(|(k, _)| k.make)
    else {
        return None;
    };
    let scale = match base {
        BaseType::Real | BaseType::Double => None,
        BaseType::Numeric(None) => Some(6),
        // Room for ±180 with at least two decimals.
        BaseType::Numeric(Some((p, s))) if p >= s + 3 && s >= 2 => Some(s),
        _ => return None,
    };
    if rule.unique || rule.has_bounds() || rule.allowed.is_some() {
        return None;
    }
    Some(Box::new(crate::generate::kinds::place::Coordinate {
        latitude,
        who: who(table, col, rule),
        locales: locale_mix(schema, table, col),
        scale,
    }))
}

/// Words before `name` that say the row names a person, a company or a product.
const PERSON_WORDS: &[&str] = &[
    "customer",
    "user",
    "employee",
    "patient",
    "contact",
    "person",
    "author",
    "owner",
    "member",
    "driver",
    "guest",
    "recipient",
    "sender",
    "buyer",
    "student",
    "teacher",
    "doctor",
    "provider",
    "agent",
    "manager",
    "parent",
    "child",
    "passenger",
    "applicant",
    "candidate",
    "holder",
    "beneficiary",
    "signer",
    "first",
    "last",
    "full",
    "display",
    "nick",
    "real",
    "legal",
];
const COMPANY_WORDS: &[&str] = &[
    "company",
    "organization",
    "organisation",
    "vendor",
    "supplier",
    "merchant",
    "brand",
    "business",
    "bank",
    "store",
    "shop",
    "employer",
    "client",
    "tenant",
    "account",
    "partner",
    "carrier",
    "manufacturer",
    "publisher",
    "insurer",
    "payer",
    "firm",
    "agency",
    "hotel",
    "restaurant",
    "clinic",
    "hospital",
    "school",
    "university",
    "venue",
    "facility",
    "branch",
];
const PRODUCT_WORDS: &[&str] = &[
    "product", "item", "article", "sku", "variant", "good", "listing", "offer",
];
const LABEL_WORDS: &[&str] = &[
    "category",
    "tag",
    "genre",
    "department",
    "role",
    "plan",
    "type",
    "kind",
    "label",
    "group",
    "team",
    "tier",
    "level",
    "stage",
    "segment",
    "topic",
    "skill",
    "permission",
    "feature",
    "flag",
    "event",
    "status",
];

/// Whether table word `w` is one of `list`, in the singular or plural (`categories` is `category`).
fn is_one_of(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| {
        w == *x
            || w.strip_suffix('s') == Some(x)
            || w.strip_suffix("ies")
                .is_some_and(|stem| x.strip_suffix('y') == Some(stem))
    })
}

/// Head nouns of tables whose rows are tickets, issues or tasks.
const TICKET_WORDS: &[&str] = &["ticket", "issue", "task", "bug", "incident", "todo"];
/// Head nouns of tables whose rows are job openings.
const JOB_WORDS: &[&str] = &["job", "vacancy", "opening", "posting", "position"];
/// Head nouns of tables whose rows are reviews.
const REVIEW_WORDS: &[&str] = &["review", "testimonial", "rating"];

/// Prose kinds that read differently by what the table's rows are, by the
/// table's last word: `products.title` is a product name, `tickets.title` a
/// ticket title, `product_reviews.body` a review and its `title` a review title. (kind, head nouns, kind it
/// becomes, what the rows are).
const IN_TABLE: &[(&str, &[&str], &str, &str)] = &[
    ("title", PRODUCT_WORDS, "product_name", "products"),
    ("title", TICKET_WORDS, "ticket_title", "tickets"),
    ("title", JOB_WORDS, "job_title", "job openings"),
    ("title", REVIEW_WORDS, "review_title", "reviews"),
    (
        "description",
        PRODUCT_WORDS,
        "product_description",
        "products",
    ),
    ("description", REVIEW_WORDS, "review_text", "reviews"),
    ("comment", REVIEW_WORDS, "review_text", "reviews"),
];

/// The kind `kind` becomes in table `table`, and what the table's rows are.
fn in_table(kind: &str, table: &str) -> Option<(&'static Kind, &'static str)> {
    let words = names::tokens(table);
    let head = words.last()?;
    IN_TABLE
        .iter()
        .find(|(k, nouns, _, _)| *k == kind && is_one_of(head, nouns))
        .and_then(|(_, _, becomes, rows)| Some((registry::by_name(becomes)?, *rows)))
}

/// Text for a column named like `name`: what the row (or the word before `name`) is.
pub(super) fn entity_name(table: &str, name: &str) -> (TextKind, String) {
    let col = names::tokens(name);
    let owner: Vec<String> = col
        .iter()
        .take(col.len().saturating_sub(1))
        .cloned()
        .collect();
    let table_tokens = names::tokens(table);
    // `hotel_name` says what it names; a bare `name` is named after its table.
    let words: &[String] = if owner.is_empty() {
        &table_tokens
    } else {
        &owner
    };
    let is = |list: &[&str]| words.iter().any(|w| is_one_of(w, list));
    let whose = if owner.is_empty() {
        format!("table `{table}`")
    } else {
        format!("`{}`", owner.join("_"))
    };
    if is(PERSON_WORDS) {
        (TextKind::FullName, format!("names a person ({whose})"))
    } else if is(PRODUCT_WORDS) {
        (TextKind::Product, format!("names a product ({whose})"))
    } else if words.iter().any(|w| w.starts_with("categor")) {
        (
            TextKind::List(crate::generate::kinds::lists::CATEGORIES),
            format!("names a product category ({whose})"),
        )
    } else if is(LABEL_WORDS) {
        (
            TextKind::Prose(Prose::Tag),
            format!("names a category or label ({whose})"),
        )
    } else if is(COMPANY_WORDS) || !owner.is_empty() {
        (
            TextKind::Company,
            format!("names an organization ({whose})"),
        )
    } else {
        (TextKind::FullName, format!("names a person ({whose})"))
    }
}

/// The text kind a column gets from its name, and why; `None` when no kind matches.
pub(in crate::plan) fn text_by_name(
    schema: &Schema,
    table: &Table,
    name: &str,
) -> Option<(TextKind, String)> {
    let (kind, pattern) = names::infer(name, Class::Text)?;
    let matched = format!(
        "name matches `{}` (kind `{}`)",
        pattern.replace(' ', "_"),
        kind.name
    );
    if let Some((other, rows)) = in_table(kind.name, &table.name) {
        if let Make::Text(t) = other.make {
            return Some((
                t,
                format!(
                    "{matched}; table `{}` holds {rows}, so kind `{}`",
                    table.name, other.name
                ),
            ));
        }
    }
    Some(match kind.make {
        Make::Text(t) => (t, matched),
        Make::Email => (email_from_siblings(schema, table), matched),
        Make::EntityName => {
            let (t, what) = entity_name(&table.name, name);
            (t, format!("{matched}, {what}"))
        }
        _ => return None,
    })
}

/// Text for a column no kind matches, shaped by how long its values may be:
/// codes for short columns, short phrases for medium ones, short plain
/// sentences otherwise.
fn unmatched_text(max_len: Option<u64>) -> (TextKind, String) {
    match max_len {
        Some(n) if n <= 12 => (
            TextKind::Pattern("@@@-####"),
            format!("no kind matches the name; codes fit `{n}` characters"),
        ),
        Some(n) if n <= 40 => (
            TextKind::Prose(Prose::Phrase),
            format!("no kind matches the name; short phrases fit `{n}` characters"),
        ),
        _ => (
            TextKind::Prose(Prose::Remark),
            "no kind matches the name; short sentences".to_owned(),
        ),
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
    why: &mut String,
) -> Box<dyn ValueGen> {
    let base = match &ty.elem {
        TypeRef::Base(b) => *b,
        TypeRef::Named(tn) => {
            let user = schema.types.iter().find(|t| &t.name == tn);
            return match user.map(|t| &t.kind) {
                Some(UserTypeKind::Enum(labels)) => {
                    *why = format!("enum `{tn}`: one of its {} labels", labels.len());
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
                    default_gen(schema, table, &d.base, name, rule, rows, col, problems, why)
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
                None => {
                    let (kind, reason) = text_by_name(schema, table, name)
                        .unwrap_or_else(|| unmatched_text(rule.max_len));
                    *why = reason;
                    Box::new(text_gen(
                        schema,
                        table,
                        col,
                        kind,
                        rule.max_len.map(|n| n as usize),
                        rule,
                        None,
                    ))
                }
            };
        }
    };
    match base {
        BaseType::SmallInt
        | BaseType::Integer
        | BaseType::BigInt
        | BaseType::Oid
        | BaseType::Numeric(_) => {
            *why = reason_for(name, Class::Number);
            if let Some(g) = coordinate(schema, table, col, base, rule) {
                return g;
            }
            numbers::fixed_point(base, name, rule, rows, col, problems)
        }
        BaseType::Real | BaseType::Double => {
            *why = reason_for(name, Class::Number);
            if let Some(g) = coordinate(schema, table, col, base, rule) {
                return g;
            }
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
            let (kind, reason) =
                text_by_name(schema, table, name).unwrap_or_else(|| unmatched_text(max_len));
            *why = reason;
            let pad_to = if let BaseType::Char(n) = base {
                Some(n as usize)
            } else {
                None
            };
            Box::new(text_gen(
                schema,
                table,
                col,
                kind,
                max_len.map(|n| n as usize),
                rule,
                pad_to,
            ))
        }
        BaseType::Date | BaseType::Timestamp(_) | BaseType::TimestampTz(_) | BaseType::Time(_) => {
            let is_date = base == BaseType::Date;
            let is_time = matches!(base, BaseType::Time(_));
            let inferred = names::infer(name, Class::Time);
            *why = reason_for(name, Class::Time);
            let (from, to) = match inferred.map(|(k, _)| k.make) {
                Some(Make::Years(a, b)) if a < 2000 => ((a, 1, 1), (b, 12, 31)),
                Some(Make::Years(a, b)) => ((a, 1, 1), (b, 1, 1)),
                _ => ((2020, 1, 1), (2025, 1, 1)),
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
            // `updated_at`, `expires_at`, ... follow `created_at` when both exist (and nothing bounds it).
            if let Some(Make::AfterCreated(lo, hi)) = inferred.map(|(k, _)| k.make) {
                let kind_of = |c: &Column| names::infer(&c.name, Class::Time).map(|(k, _)| k.name);
                let me = table
                    .columns
                    .iter()
                    .position(|c| c.name == name)
                    .unwrap_or(usize::MAX);
                // A lifecycle step (`shipped_at`) follows the step before it
                // (`paid_at`); other columns follow the row's creation time.
                let lifecycle = inferred.is_some_and(|(k, _)| k.name == "completed_at");
                let previous = lifecycle
                    .then(|| {
                        (0..me.min(table.columns.len())).rev().find(|&c| {
                            table.columns[c].ty == *ty
                                && matches!(
                                    kind_of(&table.columns[c]),
                                    Some("created_at" | "completed_at")
                                )
                        })
                    })
                    .flatten();
                let created = previous.or_else(|| {
                    table.columns.iter().position(|c| {
                        c.ty == *ty && c.name != name && kind_of(c) == Some("created_at")
                    })
                });
                if let (Some(created), false, false) = (created, rule.unique, rule.has_bounds()) {
                    *why = format!("{why}, after `{}`", table.columns[created].name);
                    let day = if is_date { 1 } else { DAY };
                    return Box::new(After {
                        base: created,
                        min_delta: lo * day,
                        max_delta: hi * day,
                        unit: granularity,
                        nullable: col.nullable && !rule.not_null,
                    });
                }
            }
            // Creation times of timestamps follow a day's rhythm and grow over the years.
            let creation = inferred.is_some_and(|(k, _)| k.name == "created_at");
            if creation && !is_date && !is_time && !rule.unique && !rule.has_bounds() {
                *why = format!("{why}; a time series: busier by day than by night, on weekdays, and growing 30 % a year");
                let shape = crate::generate::timeseries::Shape {
                    start_day: min.div_euclid(DAY),
                    end_day: max.div_euclid(DAY) - 1,
                    trend: 0.3,
                    hours: crate::generate::timeseries::DIURNAL,
                    weekdays: [1.0, 1.05, 1.05, 1.05, 1.0, 0.8, 0.75],
                    months: [
                        1.0, 0.95, 1.0, 1.0, 1.0, 0.95, 0.9, 0.9, 1.0, 1.05, 1.15, 1.3,
                    ],
                    month_days: [1.0; 31],
                    month_end: 1.0,
                    bursts: Vec::new(),
                };
                return Box::new(crate::generate::timeseries::TimeSeries::new(&shape, false));
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
            *why = reason_for(name, Class::Bool);
            let p = match names::infer(name, Class::Bool).map(|(k, _)| k.make) {
                Some(Make::Bool(p)) => p,
                _ => 0.5,
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
/// Why a column of `class` named `name` got its values (for `pgmock explain`).
pub(in crate::plan) fn reason_for(name: &str, class: Class) -> String {
    match names::infer(name, class) {
        Some((kind, pattern)) => format!(
            "name matches `{}` (kind `{}`)",
            pattern.replace(' ', "_"),
            kind.name
        ),
        None => "no kind matches the name; the type's default".to_owned(),
    }
}

/// An e-mail address of the row's person: `first.last.id@provider` with the
/// row's single-column integer key, or `first.last@company` in tables whose
/// rows are organizations, so a company's contact e-mail is at its domain.
pub(in crate::plan) fn email_from_siblings(schema: &Schema, table: &Table) -> TextKind {
    let id = table
        .primary_key
        .as_ref()
        .filter(|k| k.columns.len() == 1)
        .map(|k| k.columns[0])
        .filter(|&c| format_of(schema, &table.columns[c].ty) == ValueFormat::Int);
    let table_words = names::tokens(&table.name);
    let work = table_words.iter().any(|w| is_one_of(w, COMPANY_WORDS));
    TextKind::Email { id, work }
}

/// The locales a column's people and places come from: the column's, else
/// the table's, else the project's, else `en_US`. Unknown names are reported
/// once, by `check_locales`.
pub(in crate::plan) fn locale_mix(
    schema: &Schema,
    table: &Table,
    col: &Column,
) -> crate::generate::kinds::locale::Mix {
    use crate::generate::kinds::locale;
    let spec = col
        .locale
        .as_deref()
        .or(table.locale.as_ref())
        .or(schema.locale.as_ref());
    let mix: Vec<(usize, u32)> = spec
        .map(|s| {
            s.mix
                .iter()
                .filter_map(|(n, w)| locale::index_of(n).map(|i| (i, *w)))
                .collect()
        })
        .unwrap_or_default();
    if mix.is_empty() {
        locale::default_mix()
    } else {
        std::sync::Arc::from(mix)
    }
}

/// Every `locale` of the project, its tables and columns, checked against the shipped locales.
pub(in crate::plan) fn check_locales(schema: &Schema) -> Vec<Problem> {
    use crate::generate::kinds::locale::{index_of, LOCALE_NAMES};
    let specs = schema
        .locale
        .iter()
        .chain(schema.tables.iter().filter_map(|t| t.locale.as_ref()))
        .chain(
            schema
                .tables
                .iter()
                .flat_map(|t| t.columns.iter().filter_map(|c| c.locale.as_deref())),
        );
    let mut out = Vec::new();
    for spec in specs {
        for (name, _) in &spec.mix {
            if index_of(name).is_none() {
                let pointer = if spec.mix.len() == 1 {
                    spec.pointer.clone()
                } else {
                    crate::source_map::child(&spec.pointer, name)
                };
                let mut p = Problem::new(pointer, format!("unknown locale `{name}`"));
                p = match crate::diagnostic::did_you_mean(name, LOCALE_NAMES.iter().copied()) {
                    Some(s) => p.hint(format!("did you mean `{s}`?")),
                    None => p.hint(format!("the locales are {}", LOCALE_NAMES.join(", "))),
                };
                if spec.mix.len() > 1 {
                    p = p.at_key();
                }
                out.push(p);
            }
        }
    }
    out
}

/// A text generator for a column: the kind, plus the column's locales and whose identity it describes.
pub(in crate::plan) fn text_gen(
    schema: &Schema,
    table: &Table,
    col: &Column,
    kind: TextKind,
    max_len: Option<usize>,
    rule: &Rules,
    pad_to: Option<usize>,
) -> Text {
    Text {
        kind,
        max_len,
        unique: rule.unique,
        pad_to,
        who: who(table, col, rule),
        locales: locale_mix(schema, table, col),
        rating: matches!(kind, TextKind::Prose(Prose::Review) | TextKind::ReviewTitle)
            .then(|| rating_column(schema, table))
            .flatten(),
    }
}

/// Whose identity `col` describes (see [`names::who`]): worked out for the
/// whole table at once when its rules were collected.
fn who(table: &Table, col: &Column, rule: &Rules) -> u64 {
    rule.who.unwrap_or_else(|| {
        let siblings: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        names::who(&col.name, &siblings)
    })
}

/// The row's rating column (`rating`, `stars`, `review_score`), a number, that a review's mood follows.
fn rating_column(schema: &Schema, table: &Table) -> Option<usize> {
    table.columns.iter().position(|c| {
        c.ty.array_dims == 0
            && format_of(schema, &c.ty).is_numeric()
            && names::infer(&c.name, Class::Number).is_some_and(|(k, _)| k.name == "rating")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a column of a generic prose kind becomes, by its table's head noun.
    #[test]
    fn prose_reads_like_its_table() {
        let becomes = |kind, table| in_table(kind, table).map(|(k, _)| k.name);
        assert_eq!(becomes("title", "products"), Some("product_name"));
        assert_eq!(becomes("title", "order_items"), Some("product_name"));
        assert_eq!(becomes("title", "support_tickets"), Some("ticket_title"));
        assert_eq!(becomes("title", "issues"), Some("ticket_title"));
        assert_eq!(becomes("title", "job_postings"), Some("job_title"));
        assert_eq!(becomes("title", "vacancies"), Some("job_title"));
        assert_eq!(becomes("title", "posts"), None);
        assert_eq!(becomes("title", "reviews"), Some("review_title"));
        assert_eq!(
            becomes("description", "products"),
            Some("product_description")
        );
        assert_eq!(
            becomes("description", "product_reviews"),
            Some("review_text")
        );
        assert_eq!(becomes("comment", "reviews"), Some("review_text"));
        assert_eq!(becomes("description", "projects"), None);
        assert_eq!(becomes("note", "products"), None);
        // The head noun decides: a product's categories are not products.
        assert_eq!(becomes("description", "product_categories"), None);
    }
}
