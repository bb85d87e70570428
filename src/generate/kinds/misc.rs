//! A valid (and plausible) value for every remaining built-in type.

use rand::RngExt;

use super::super::rng::{self, CellRng, Permutation};
use super::super::{FillCtx, ValueGen};
use crate::pgtext::{datetime, geometric, network, scalar, structured};
use crate::schema::types::{IntervalFields, RangeKind};
use crate::value::{ColumnBuf, ColumnData};

/// Which type to produce.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MiscKind {
    /// boolean, true with this probability.
    Bool(f64),
    /// uuid (version 4 layout, unique by construction).
    Uuid,
    /// json/jsonb object.
    Json,
    /// bytea.
    Bytea,
    /// xml fragment.
    Xml,
    /// inet address.
    Inet,
    /// cidr network.
    Cidr,
    /// macaddr.
    MacAddr,
    /// macaddr8.
    MacAddr8,
    /// bit(n).
    Bit(u32),
    /// bit varying(n).
    VarBit(u32),
    /// tsvector.
    TsVector,
    /// tsquery.
    TsQuery,
    /// point.
    Point,
    /// line.
    Line,
    /// lseg.
    Lseg,
    /// box.
    Box,
    /// path.
    Path,
    /// polygon.
    Polygon,
    /// circle.
    Circle,
    /// A range type.
    Range(RangeKind),
    /// A multirange type.
    MultiRange(RangeKind),
    /// interval, with the fields its column keeps.
    Interval(IntervalFields),
    /// time with time zone.
    TimeTz,
    /// money (as a plain decimal, which every locale accepts).
    Money,
    /// hstore (extension): 1 to 4 product attributes, `"color"=>"red", "size"=>"L"`.
    Hstore,
    /// ltree (extension): a topic path of 1 to 4 labels, `Top.Science.Astronomy`.
    Ltree {
        /// Append `_<row>` to the last label, so that no two rows share a path.
        unique: bool,
    },
    /// Always NULL (stored generated columns, the `null` generator).
    Null,
}

/// Generator for [`MiscKind`] values.
#[derive(Debug, Clone, Copy)]
pub struct Misc {
    /// The kind.
    pub kind: MiscKind,
}

/// hstore keys, each with the values it takes.
const ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "color",
        &["red", "blue", "green", "black", "white", "silver"],
    ),
    ("size", &["XS", "S", "M", "L", "XL"]),
    (
        "material",
        &["cotton", "wool", "leather", "steel", "oak", "glass"],
    ),
    ("brand", &["Acme", "Globex", "Initech", "Umbrella", "Hooli"]),
    ("origin", &["USA", "Germany", "Japan", "Italy", "Mexico"]),
    ("style", &["modern", "classic", "rustic", "minimal"]),
    ("finish", &["matte", "glossy", "satin", "brushed"]),
    ("season", &["spring", "summer", "autumn", "winter"]),
    ("warranty", &["none", "1 year", "2 years", "5 years"]),
    ("weight", &["350 g", "1.2 kg", "4.5 kg", "12 kg"]),
];

/// First labels of ltree paths.
const LTREE_ROOTS: &[&str] = &["Top", "Top", "Top", "Archive", "Catalog"];
/// Second labels of ltree paths.
const LTREE_AREAS: &[&str] = &[
    "Science",
    "Arts",
    "Business",
    "Sports",
    "Health",
    "Technology",
    "Society",
    "Recreation",
];
/// Deeper labels of ltree paths (letters, digits and `_` only, as ltree requires).
const LTREE_TOPICS: &[&str] = &[
    "Astronomy",
    "Biology",
    "Chemistry",
    "Physics",
    "Music",
    "Painting",
    "Film",
    "Finance",
    "Marketing",
    "Football",
    "Tennis",
    "Nutrition",
    "Fitness",
    "Software",
    "Hardware",
    "History",
    "Travel",
    "Cooking",
    "Galaxies",
    "Genetics",
    "Open_Source",
    "Web_2_0",
];

fn coord(r: &mut CellRng) -> f64 {
    f64::from(r.random_range(-18000..18000i32)) / 100.0
}

fn range_bounds(r: &mut CellRng, kind: RangeKind, out: &mut Vec<u8>) {
    let mut lo = Vec::new();
    let mut hi = Vec::new();
    match kind {
        RangeKind::Int4 | RangeKind::Int8 => {
            let a = r.random_range(0..1000i64);
            let b = a + r.random_range(1..100i64);
            lo.extend_from_slice(itoa::Buffer::new().format(a).as_bytes());
            hi.extend_from_slice(itoa::Buffer::new().format(b).as_bytes());
            structured::range(out, Some(&lo), Some(&hi), true, false);
        }
        RangeKind::Num => {
            let a = r.random_range(0..100_000i64);
            let b = a + r.random_range(1..10_000i64);
            crate::pgtext::numeric::numeric(&mut lo, i128::from(a), 2);
            crate::pgtext::numeric::numeric(&mut hi, i128::from(b), 2);
            structured::range(out, Some(&lo), Some(&hi), true, false);
        }
        RangeKind::Date => {
            let a = datetime::days_from_civil(2020, 1, 1) + r.random_range(0..1800i32);
            let b = a + r.random_range(1..60i32);
            datetime::date(&mut lo, a);
            datetime::date(&mut hi, b);
            structured::range(out, Some(&lo), Some(&hi), true, false);
        }
        RangeKind::Ts | RangeKind::TsTz => {
            let base = i64::from(datetime::days_from_civil(2020, 1, 1)) * 86_400;
            let a = (base + r.random_range(0..157_680_000i64)) * 1_000_000;
            let b = a + r.random_range(1..604_800i64) * 1_000_000;
            if kind == RangeKind::Ts {
                datetime::timestamp(&mut lo, a);
                datetime::timestamp(&mut hi, b);
            } else {
                datetime::timestamptz_utc(&mut lo, a);
                datetime::timestamptz_utc(&mut hi, b);
            }
            structured::range(out, Some(&lo), Some(&hi), true, false);
        }
    }
}

impl Misc {
    #[allow(clippy::too_many_lines, clippy::cast_possible_truncation)]
    fn write_text(&self, r: &mut CellRng, out: &mut Vec<u8>) {
        match self.kind {
            MiscKind::Json => {
                out.extend_from_slice(b"{\"id\": ");
                out.extend_from_slice(
                    itoa::Buffer::new()
                        .format(r.random_range(1..100_000u32))
                        .as_bytes(),
                );
                out.extend_from_slice(b", \"tag\": ");
                structured::json_string(out, lorem(r));
                out.extend_from_slice(b", \"active\": ");
                out.extend_from_slice(if r.random_bool(0.5) {
                    b"true"
                } else {
                    b"false"
                });
                out.push(b'}');
            }
            MiscKind::Bytea => {
                let n = r.random_range(1..16usize);
                let mut bytes = [0u8; 15];
                bytes[..n].iter_mut().for_each(|b| *b = r.random::<u8>());
                scalar::bytea_hex(out, &bytes[..n]);
            }
            MiscKind::Xml => {
                out.extend_from_slice(b"<item id=\"");
                out.extend_from_slice(
                    itoa::Buffer::new()
                        .format(r.random_range(1..10_000u32))
                        .as_bytes(),
                );
                out.extend_from_slice(b"\">");
                out.extend_from_slice(lorem(r).as_bytes());
                out.extend_from_slice(b"</item>");
            }
            MiscKind::Inet => {
                if r.random_bool(0.8) {
                    network::inet_v4(out, r.random::<u32>(), 32);
                } else {
                    network::inet_v6(
                        out,
                        (0x2001_0db8u128 << 96) | u128::from(r.random::<u64>()),
                        128,
                    );
                }
            }
            MiscKind::Cidr => {
                let prefix = r.random_range(8..=30u8);
                network::cidr_v4(out, network::mask_v4(r.random::<u32>(), prefix), prefix);
            }
            MiscKind::MacAddr => network::macaddr(out, r.random::<[u8; 6]>()),
            MiscKind::MacAddr8 => network::macaddr8(out, r.random::<[u8; 8]>()),
            MiscKind::Bit(n) => scalar::bits(out, (0..n).map(|_| r.random_bool(0.5))),
            MiscKind::VarBit(n) => {
                let len = r.random_range(1..=n.clamp(1, 64));
                scalar::bits(out, (0..len).map(|_| r.random_bool(0.5)));
            }
            MiscKind::TsVector => {
                let n = r.random_range(1..6usize);
                let mut words = [""; 5];
                words[..n].iter_mut().for_each(|w| *w = lorem(r));
                structured::tsvector(out, &words[..n]);
            }
            MiscKind::TsQuery => {
                let n = r.random_range(1..3usize);
                let mut words = [""; 2];
                words[..n].iter_mut().for_each(|w| *w = lorem(r));
                structured::tsquery_and(out, &words[..n]);
            }
            MiscKind::Point => geometric::point(out, coord(r), coord(r)),
            MiscKind::Line => geometric::line(
                out,
                f64::from(r.random_range(1..100i32)),
                f64::from(r.random_range(-100..100i32)),
                coord(r),
            ),
            MiscKind::Lseg => geometric::lseg(out, (coord(r), coord(r)), (coord(r), coord(r))),
            MiscKind::Box => geometric::box_(out, (coord(r), coord(r)), (coord(r), coord(r))),
            MiscKind::Path => {
                // i32 draws, as before, so the values stay the same.
                let n = r.random_range(2..5i32) as usize;
                let mut pts = [(0.0, 0.0); 4];
                pts[..n].iter_mut().for_each(|p| *p = (coord(r), coord(r)));
                geometric::path(out, &pts[..n], r.random_bool(0.5));
            }
            MiscKind::Polygon => {
                let n = r.random_range(3..6i32) as usize;
                let mut pts = [(0.0, 0.0); 5];
                pts[..n].iter_mut().for_each(|p| *p = (coord(r), coord(r)));
                geometric::polygon(out, &pts[..n]);
            }
            MiscKind::Circle => geometric::circle(
                out,
                (coord(r), coord(r)),
                f64::from(r.random_range(1..1000i32)) / 10.0,
            ),
            MiscKind::Range(kind) => {
                if r.random_bool(0.05) {
                    structured::empty_range(out);
                } else {
                    range_bounds(r, kind, out);
                }
            }
            MiscKind::MultiRange(kind) => {
                // One range: a valid multirange whose ranges never overlap or touch.
                out.push(b'{');
                range_bounds(r, kind, out);
                out.push(b'}');
            }
            MiscKind::Interval(fields) => {
                let months = r.random_range(0..24i32);
                let days = r.random_range(0..30i32);
                let micros = r.random_range(0..86_400i64) * 1_000_000;
                // Whole seconds fit any precision; the fields the column drops are zero.
                let (months, days, micros) = fields.truncate(months, days, micros);
                datetime::interval(out, months, days, micros);
            }
            MiscKind::TimeTz => {
                let micros = r.random_range(0..86_400i64) * 1_000_000;
                let offset = r.random_range(-12..=14i32) * 3600;
                datetime::timetz(out, micros, offset);
            }
            MiscKind::Money => crate::pgtext::numeric::money(out, r.random_range(0..10_000_000i64)),
            MiscKind::Hstore => {
                // Distinct keys: the first `n` of a partial shuffle of the attribute list.
                let mut order: [usize; ATTRIBUTES.len()] = std::array::from_fn(|i| i);
                let n = r.random_range(1..=4usize);
                let mut pairs = [("", ""); 4];
                for (i, pair) in pairs[..n].iter_mut().enumerate() {
                    order.swap(i, r.random_range(i..ATTRIBUTES.len()));
                    let (key, values) = ATTRIBUTES[order[i]];
                    *pair = (key, values[r.random_range(0..values.len())]);
                }
                structured::hstore(out, &mut pairs[..n]);
            }
            MiscKind::Ltree { .. } => {
                let depth = r.random_range(1..=4usize);
                out.extend_from_slice(LTREE_ROOTS[r.random_range(0..LTREE_ROOTS.len())].as_bytes());
                for level in 1..depth {
                    let labels = if level == 1 {
                        LTREE_AREAS
                    } else {
                        LTREE_TOPICS
                    };
                    out.push(b'.');
                    out.extend_from_slice(labels[r.random_range(0..labels.len())].as_bytes());
                }
            }
            MiscKind::Bool(_) | MiscKind::Uuid | MiscKind::Null => {}
        }
    }
}

impl ValueGen for Misc {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        match (&self.kind, &mut out.data) {
            (MiscKind::Null, _) => {
                for _ in ctx.rows {
                    out.push_null();
                }
                return;
            }
            (MiscKind::Bool(p), ColumnData::Bool(v)) => {
                v.extend(
                    ctx.rows
                        .iter()
                        .map(|&r| rng::unit(rng::mix(ctx.key ^ rng::mix(r))) < *p),
                );
            }
            (MiscKind::Uuid, ColumnData::Uuid(v)) => {
                let perm = Permutation::new(1 << 62, ctx.key);
                v.extend(ctx.rows.iter().map(|&r| {
                    let hi = (rng::mix(ctx.key ^ rng::mix(r)) & !0xF000) | 0x4000;
                    let lo = perm.apply(r) | (0b10 << 62);
                    (u128::from(hi) << 64) | u128::from(lo)
                }));
            }
            (_, ColumnData::Text(buf)) => {
                for &r in ctx.rows {
                    let mut cell = rng::cell(ctx.key, r);
                    self.write_text(&mut cell, &mut buf.bytes);
                    if let MiscKind::Ltree { unique: true } = self.kind {
                        buf.bytes.push(b'_');
                        buf.bytes
                            .extend_from_slice(itoa::Buffer::new().format(r).as_bytes());
                    }
                    buf.finish_value();
                }
            }
            // A kind the column cannot hold is refused by the plan; keep row counts aligned anyway.
            _ => {
                for _ in ctx.rows {
                    out.push_null();
                }
                return;
            }
        }
        out.nulls.resize(out.nulls.len() + ctx.rows.len(), false);
    }

    fn is_unique(&self) -> bool {
        matches!(self.kind, MiscKind::Uuid | MiscKind::Ltree { unique: true })
    }
}

fn lorem(r: &mut CellRng) -> &'static str {
    use fake::locales::{Data, EN};
    EN::LOREM_WORD[r.random_range(0..EN::LOREM_WORD.len())]
}
