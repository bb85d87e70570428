//! Realistic text: names, e-mails, phones, addresses, companies, words.
//!
//! Lists come from `fake`'s English locale constants; values are assembled
//! straight into the chunk's text buffer.

use fake::locales::{Data, EN};
use rand::RngExt;

use super::super::rng::{self, CellRng};
use super::super::{FillCtx, ValueGen};
use crate::value::{ColumnBuf, ColumnData};

/// What kind of text to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A first name.
    FirstName,
    /// A last name.
    LastName,
    /// "First Last".
    FullName,
    /// `first.last.N@provider`, with names and id taken from sibling columns when present.
    Email {
        /// First-name column of the same table.
        first: Option<usize>,
        /// Last-name column.
        last: Option<usize>,
        /// Integer id column (else the row number is used).
        id: Option<usize>,
    },
    /// A user name like `jane.doe42`.
    Username,
    /// A formatted phone number.
    Phone,
    /// A city name.
    City,
    /// A country name.
    Country,
    /// An ISO country code.
    CountryCode,
    /// A US state name.
    State,
    /// A ZIP / postal code.
    Zip,
    /// A street address (`123 Main Street`).
    Street,
    /// A company name.
    Company,
    /// A job title.
    JobTitle,
    /// A web URL.
    Url,
    /// A currency code.
    Currency,
    /// A product-like name (`Ergonomic Granite Chair`).
    Product,
    /// A SKU / code (`SKU-00042`).
    Code,
    /// A single lorem word.
    Word,
    /// A sentence of lorem words.
    Sentence,
    /// A few sentences.
    Paragraph,
}

/// Text generator with optional maximum length (`varchar(n)`) and uniqueness.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    /// Kind of text.
    pub kind: TextKind,
    /// Maximum length in characters.
    pub max_len: Option<usize>,
    /// Append the row number to make values distinct (unless the kind is unique by itself).
    pub unique: bool,
    /// Pad to exactly this many characters (`char(n)`), as the server would.
    pub pad_to: Option<usize>,
}

const ADJECTIVES: &[&str] = &[
    "Ergonomic",
    "Rustic",
    "Sleek",
    "Intelligent",
    "Gorgeous",
    "Incredible",
    "Practical",
    "Handmade",
    "Small",
    "Refined",
    "Licensed",
    "Fantastic",
    "Modern",
    "Classic",
    "Compact",
    "Durable",
];
const MATERIALS: &[&str] = &[
    "Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite", "Rubber", "Leather", "Silk",
    "Bronze", "Frozen", "Fresh",
];
const PRODUCTS: &[&str] = &[
    "Chair", "Car", "Computer", "Keyboard", "Mouse", "Bike", "Ball", "Gloves", "Pants", "Shirt",
    "Table", "Shoes", "Hat", "Towels", "Soap", "Tuna", "Chicken", "Fish", "Cheese", "Bacon",
    "Pizza", "Salad", "Sausages", "Chips", "Lamp", "Watch",
];
const STREETS: &[&str] = &[
    "Main",
    "Oak",
    "Pine",
    "Maple",
    "Cedar",
    "Elm",
    "Washington",
    "Lake",
    "Hill",
    "Park",
    "Sunset",
    "Lincoln",
    "Church",
    "Highland",
    "Meadow",
    "River",
    "Forest",
    "Spring",
    "Ridge",
    "Walnut",
];

fn pick<'a>(r: &mut CellRng, list: &[&'a str]) -> &'a str {
    list[r.random_range(0..list.len())]
}

fn push_lower(out: &mut Vec<u8>, s: &str) {
    out.extend(
        s.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase()),
    );
}

fn push_number(out: &mut Vec<u8>, n: u64) {
    let mut b = itoa::Buffer::new();
    out.extend_from_slice(b.format(n).as_bytes());
}

fn digits(out: &mut Vec<u8>, r: &mut CellRng, pattern: &str) {
    for c in pattern.bytes() {
        match c {
            b'#' => out.push(b'0' + r.random_range(0..10u8)),
            b'^' => out.push(b'1' + r.random_range(0..9u8)),
            _ => out.push(c),
        }
    }
}

fn words(out: &mut Vec<u8>, r: &mut CellRng, n: usize, capital: bool) {
    for i in 0..n {
        if i > 0 {
            out.push(b' ');
        }
        let w = pick(r, EN::LOREM_WORD);
        if i == 0 && capital {
            let mut cs = w.chars();
            if let Some(f) = cs.next() {
                let mut buf = [0u8; 4];
                for upper in f.to_uppercase() {
                    out.extend_from_slice(upper.encode_utf8(&mut buf).as_bytes());
                }
                out.extend_from_slice(cs.as_str().as_bytes());
            }
        } else {
            out.extend_from_slice(w.as_bytes());
        }
    }
}

impl Text {
    /// Whether whole values are distinct without a suffix: they embed the
    /// row number, and hold no space, so that a cut value with a ` <row>`
    /// suffix can never equal another row's whole value.
    fn distinct_when_whole(&self) -> bool {
        matches!(
            self.kind,
            TextKind::Email { .. } | TextKind::Username | TextKind::Code
        )
    }

    /// Whether values are distinct without a suffix, whatever their length.
    fn unique_by_itself(&self) -> bool {
        self.max_len.is_none() && self.distinct_when_whole()
    }

    #[allow(clippy::too_many_lines)]
    fn write(&self, ctx: &FillCtx<'_>, i: usize, row: u64, out: &mut Vec<u8>) {
        let mut r = rng::cell(ctx.key, row);
        match self.kind {
            TextKind::FirstName => {
                out.extend_from_slice(pick(&mut r, EN::NAME_FIRST_NAME).as_bytes())
            }
            TextKind::LastName => {
                out.extend_from_slice(pick(&mut r, EN::NAME_LAST_NAME).as_bytes())
            }
            TextKind::FullName => {
                out.extend_from_slice(pick(&mut r, EN::NAME_FIRST_NAME).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, EN::NAME_LAST_NAME).as_bytes());
            }
            TextKind::Email { first, last, id } => {
                let sibling = |c: Option<usize>| -> Option<&[u8]> {
                    let buf = &ctx.columns[c?];
                    match &buf.data {
                        ColumnData::Text(t) if !buf.nulls[i] => Some(t.get(i)),
                        _ => None,
                    }
                };
                match sibling(first) {
                    Some(f) => push_lower(out, std::str::from_utf8(f).unwrap_or("user")),
                    None => push_lower(out, pick(&mut r, EN::NAME_FIRST_NAME)),
                }
                out.push(b'.');
                match sibling(last) {
                    Some(l) => push_lower(out, std::str::from_utf8(l).unwrap_or("user")),
                    None => push_lower(out, pick(&mut r, EN::NAME_LAST_NAME)),
                }
                out.push(b'.');
                let n = id
                    .and_then(|c| ctx.columns[c].int(i))
                    .map_or(row + 1, i64::unsigned_abs);
                push_number(out, n);
                out.push(b'@');
                out.extend_from_slice(pick(&mut r, EN::INTERNET_FREE_EMAIL_PROVIDER).as_bytes());
            }
            TextKind::Username => {
                push_lower(out, pick(&mut r, EN::NAME_FIRST_NAME));
                out.push(b'_');
                push_lower(out, pick(&mut r, EN::NAME_LAST_NAME));
                push_number(out, row + 1);
            }
            TextKind::Phone => {
                let format = pick(&mut r, EN::PHONE_CELL_NUMBER_FORMATS);
                digits(out, &mut r, format);
            }
            TextKind::City => {
                out.extend_from_slice(pick(&mut r, EN::ADDRESS_CITY_PREFIX).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, EN::NAME_LAST_NAME).as_bytes());
                out.extend_from_slice(pick(&mut r, EN::ADDRESS_CITY_SUFFIX).as_bytes());
            }
            TextKind::Country => {
                out.extend_from_slice(pick(&mut r, EN::ADDRESS_COUNTRY).as_bytes())
            }
            TextKind::CountryCode => {
                out.extend_from_slice(pick(&mut r, EN::ADDRESS_COUNTRY_CODE).as_bytes())
            }
            TextKind::State => out.extend_from_slice(pick(&mut r, EN::ADDRESS_STATE).as_bytes()),
            TextKind::Zip => digits(out, &mut r, "#####"),
            TextKind::Street => {
                push_number(out, r.random_range(1..9999u64));
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, STREETS).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, EN::ADDRESS_STREET_SUFFIX).as_bytes());
            }
            TextKind::Company => {
                out.extend_from_slice(pick(&mut r, EN::NAME_LAST_NAME).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, EN::COMPANY_SUFFIX).as_bytes());
            }
            TextKind::JobTitle => {
                out.extend_from_slice(pick(&mut r, EN::JOB_SENIORITY).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, EN::JOB_FIELD).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, EN::JOB_POSITION).as_bytes());
            }
            TextKind::Url => {
                out.extend_from_slice(b"https://www.");
                push_lower(out, pick(&mut r, EN::NAME_LAST_NAME));
                out.push(b'.');
                out.extend_from_slice(pick(&mut r, EN::INTERNET_DOMAIN_SUFFIX).as_bytes());
            }
            TextKind::Currency => out.extend_from_slice(pick(&mut r, EN::CURRENCY_CODE).as_bytes()),
            TextKind::Product => {
                out.extend_from_slice(pick(&mut r, ADJECTIVES).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, MATERIALS).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, PRODUCTS).as_bytes());
            }
            TextKind::Code => {
                out.extend_from_slice(b"SKU-");
                let mut b = itoa::Buffer::new();
                let s = b.format(row + 1);
                for _ in s.len()..6 {
                    out.push(b'0');
                }
                out.extend_from_slice(s.as_bytes());
            }
            TextKind::Word => out.extend_from_slice(pick(&mut r, EN::LOREM_WORD).as_bytes()),
            TextKind::Sentence => {
                let n = r.random_range(4..12usize);
                words(out, &mut r, n, true);
                out.push(b'.');
            }
            TextKind::Paragraph => {
                for s in 0..r.random_range(2..5usize) {
                    if s > 0 {
                        out.push(b' ');
                    }
                    let n = r.random_range(4..12usize);
                    words(out, &mut r, n, true);
                    out.push(b'.');
                }
            }
        }
    }
}

impl ValueGen for Text {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let ColumnData::Text(buf) = &mut out.data else {
            return;
        };
        let mut suffix = Vec::new();
        for (i, &row) in ctx.rows.iter().enumerate() {
            let start = buf.bytes.len();
            self.write(ctx, i, row, &mut buf.bytes);
            suffix.clear();
            // Values that embed the row number need the suffix only when
            // `varchar(n)` or a length CHECK cuts them.
            let fits = || {
                self.max_len.is_none_or(|max| {
                    std::str::from_utf8(&buf.bytes[start..]).is_ok_and(|v| v.chars().count() <= max)
                })
            };
            if self.unique && !(self.distinct_when_whole() && fits()) {
                suffix.push(b' ');
                push_number(&mut suffix, row + 1);
            }
            if let Some(max) = self.max_len {
                // Cut on a character boundary, keeping room for the uniqueness suffix.
                let room = max.saturating_sub(suffix.len());
                let value = &buf.bytes[start..];
                let cut = std::str::from_utf8(value)
                    .ok()
                    .and_then(|s| s.char_indices().nth(room).map(|(b, _)| b));
                if let Some(cut) = cut {
                    buf.bytes.truncate(start + cut);
                    while buf.bytes.len() > start && buf.bytes.last() == Some(&b' ') {
                        buf.bytes.pop();
                    }
                }
                if suffix.len() > max {
                    suffix.drain(..suffix.len() - max);
                    if suffix.first() == Some(&b' ') {
                        suffix.remove(0);
                    }
                }
            }
            buf.bytes.extend_from_slice(&suffix);
            if let Some(n) = self.pad_to {
                let chars =
                    std::str::from_utf8(&buf.bytes[start..]).map_or(0, |s| s.chars().count());
                buf.bytes
                    .resize(buf.bytes.len() + n.saturating_sub(chars), b' ');
            }
            buf.finish_value();
            out.nulls.push(false);
        }
    }

    fn inputs(&self) -> Vec<usize> {
        match self.kind {
            TextKind::Email { first, last, id } => {
                [first, last, id].into_iter().flatten().collect()
            }
            _ => Vec::new(),
        }
    }

    fn is_unique(&self) -> bool {
        self.unique || self.unique_by_itself()
    }
}
