//! Realistic text: names, e-mails, phones, addresses, companies, codes; prose
//! (titles, reviews, comments, tags ...) is written by `prose`.
//!
//! Lists come from `fake`'s English locale constants; values are assembled
//! straight into the chunk's text buffer.

use fake::locales::{Data, EN};
use rand::RngExt;

use super::super::rng::{self, CellRng};
use super::super::{FillCtx, ValueGen};
use super::locale::{self, Person};
use super::prose::Prose;
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
    /// `first.last.N@provider`: the row's person, the row's id (or number);
    /// at the row's company's domain for `work` addresses.
    Email {
        /// Integer id column (else the row number is used).
        id: Option<usize>,
        /// An address at the row's company (`jane.doe@hartmann.io`).
        work: bool,
    },
    /// A user name like `jane.doe42`.
    Username,
    /// A landline number of the row's place.
    Phone,
    /// A mobile number in the row's country.
    MobilePhone,
    /// The row's region code (`NY`, `BE`).
    StateCode,
    /// The row's IANA time zone.
    Timezone,
    /// The row's gender.
    Gender,
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
    /// English prose of one kind: a title, a review, a comment, a tag ...
    Prose(Prose),
    /// A fixed shape: `#` digit, `^` digit 1–9, `@` capital letter, `?` small
    /// letter, `*` capital letter or digit, `%` hex digit; anything else as is.
    Pattern(&'static str),
    /// One of a list, all equally likely.
    List(&'static [&'static str]),
    /// One of a list, by weight.
    Weighted(super::lists::Weighted),
    /// A middle name (a first name).
    MiddleName,
    /// Two capital letters (`J.D.`).
    Initials,
    /// An EAN-13 barcode with its check digit.
    Ean13,
    /// An ISBN-13 (978/979 prefix) with its check digit.
    Isbn13,
    /// An IBAN whose check digits are valid (ISO 13616, mod 97).
    Iban,
    /// A card number that passes the Luhn check (Visa, Mastercard or Amex shaped).
    CardNumber,
    /// Card expiry as `MM/YY`.
    CardExpiry,
    /// An IPv4 address (public ranges).
    Ipv4,
    /// An IPv6 address (documentation-free global unicast shape).
    Ipv6,
    /// A MAC address (`3c:22:fb:...`).
    MacAddress,
    /// A colour as `#rrggbb`.
    HexColor,
    /// A domain name (`hartmann.io`).
    Domain,
    /// A URL slug (`sleek-steel-chair`).
    Slug,
    /// A bcrypt-shaped password hash (`$2b$12$` and 53 characters).
    PasswordHash,
    /// An API token (`pk_live_` and 32 letters and digits).
    ApiToken,
    /// A UUID (version 4) written as text.
    UuidText,
    /// A company slogan.
    CatchPhrase,
    /// A short review title (`Great value for money`).
    ReviewTitle,
    /// A hashtag (`#travel`).
    Hashtag,
    /// A file name (`report_2024.pdf`).
    FileName,
    /// An avatar image URL.
    AvatarUrl,
}

/// Text generator with optional maximum length (`varchar(n)`) and uniqueness.
#[derive(Debug, Clone)]
pub struct Text {
    /// Kind of text.
    pub kind: TextKind,
    /// Maximum length in characters.
    pub max_len: Option<usize>,
    /// Append the row number to make values distinct (unless the kind is unique by itself).
    pub unique: bool,
    /// Pad to exactly this many characters (`char(n)`), as the server would.
    pub pad_to: Option<usize>,
    /// Whose person, place or company this is: 0 for the row's own; another
    /// value for a second one (`emergency_contact_name`).
    pub who: u64,
    /// The locales the row's people and places come from.
    pub locales: locale::Mix,
    /// A rating column of the row (`rating`, `stars`) whose value sets a review's mood.
    pub rating: Option<usize>,
}

impl Text {
    /// Text of `kind` in the default locale, for the row's own person and place.
    #[must_use]
    pub fn new(kind: TextKind, max_len: Option<usize>, unique: bool) -> Self {
        Self {
            kind,
            max_len,
            unique,
            pad_to: None,
            who: 0,
            locales: locale::default_mix(),
            rating: None,
        }
    }
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

fn pick_weighted(r: &mut CellRng, list: super::lists::Weighted) -> &'static str {
    let total: u32 = list.iter().map(|(_, w)| *w).sum();
    let mut x = r.random_range(0..total.max(1));
    for (value, weight) in list {
        if x < *weight {
            return value;
        }
        x -= weight;
    }
    list.last().map_or("", |(v, _)| v)
}

const BASE62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

fn random_chars(out: &mut Vec<u8>, r: &mut CellRng, alphabet: &[u8], n: usize) {
    for _ in 0..n {
        out.push(alphabet[r.random_range(0..alphabet.len())]);
    }
}

/// The GS1 check digit of `digits` (EAN-13, ISBN-13): weights 1, 3, 1, 3... from the left.
fn gs1_check(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    b'0' + u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

/// The Luhn check digit that completes `digits`.
fn luhn_check(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d - b'0');
            if i % 2 == 0 {
                let double = v * 2;
                if double > 9 {
                    double - 9
                } else {
                    double
                }
            } else {
                v
            }
        })
        .sum();
    b'0' + u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

/// IBAN check digits for a country and BBAN (ISO 13616: mod 97 of BBAN + country + "00").
fn iban_check(country: &str, bban: &[u8]) -> u32 {
    let mut rem: u32 = 0;
    let mut feed = |c: u8| {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    };
    for &c in bban.iter().chain(country.as_bytes()).chain(b"00") {
        feed(c);
    }
    98 - rem
}

fn pick<'a>(r: &mut CellRng, list: &[&'a str]) -> &'a str {
    list[r.random_range(0..list.len())]
}

/// The row's company name: a family name or two trade words, and a legal suffix.
fn company_name(ctx: &FillCtx<'_>, text: &Text, row: u64, out: &mut Vec<u8>) {
    let l = text.locale(ctx, row);
    let mut r = locale::company_rng(ctx.table_key, row, text.who);
    let (stem, _) = company_stem(l, &mut r);
    out.extend_from_slice(stem.as_bytes());
    if let Some(word) = l
        .company_words
        .get(r.random_range(0..l.company_words.len().max(1)))
        .filter(|_| r.random_bool(0.5))
    {
        out.push(b' ');
        out.extend_from_slice(word.as_bytes());
    }
    if let Some(suffix) = l
        .company_suffixes
        .get(r.random_range(0..l.company_suffixes.len().max(1)))
    {
        out.push(b' ');
        out.extend_from_slice(suffix.as_bytes());
    }
}

/// The first word of the row's company name and its Latin spelling (for domains).
fn company_stem<'l>(l: &'l locale::Locale, r: &mut CellRng) -> (&'l str, &'l str) {
    let i = r.random_range(0..l.last_names.len().max(1));
    let native = l.last_names.get(i).map_or("Acme", String::as_str);
    let latin = l
        .last_names_latin
        .as_ref()
        .and_then(|v| v.get(i))
        .map_or(native, String::as_str);
    (native, latin)
}

/// The row's company's domain: its name in Latin letters and a top-level domain.
fn company_domain(ctx: &FillCtx<'_>, text: &Text, row: u64, out: &mut Vec<u8>) {
    let l = text.locale(ctx, row);
    let mut r = locale::company_rng(ctx.table_key, row, text.who);
    let (_, latin) = company_stem(l, &mut r);
    push_ascii_lower(out, latin);
    out.push(b'.');
    let mut tr = locale::company_rng(ctx.table_key, row, text.who ^ 0x0074_6c64);
    let tld = if tr.random_bool(0.6) {
        pick_weighted(&mut tr, super::lists::TLDS)
    } else {
        &l.country_code
    };
    out.extend(tld.bytes().map(|b| b.to_ascii_lowercase()));
}

/// Lowercase letters and digits of `s`, accents folded (`Müller` → `mueller`), for addresses and domains.
fn push_ascii_lower(out: &mut Vec<u8>, s: &str) {
    let start = out.len();
    for c in s.chars() {
        let folded: &str = match c {
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' => "ss",
            'à' | 'á' | 'â' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' => "a",
            'ç' | 'Ç' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'Í' => "i",
            'ñ' | 'Ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'Ó' | 'Ô' => "o",
            'ù' | 'ú' | 'û' | 'Ú' => "u",
            _ => "",
        };
        if !folded.is_empty() {
            out.extend_from_slice(folded.as_bytes());
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase() as u8);
        }
    }
    if out.len() == start {
        out.extend_from_slice(b"user");
    }
}

/// Fits `first.last.N@domain` (ASCII) into `max` characters by shortening
/// the name, keeping the number that makes it unique; a short stand-in domain
/// when even that is not enough. Leaves it alone when nothing fits.
fn shorten_email(buf: &mut Vec<u8>, start: usize, max: usize) {
    let value = &buf[start..];
    if value.len() <= max {
        return;
    }
    let Some(at) = value.iter().rposition(|&b| b == b'@') else {
        return;
    };
    let local = &value[..at];
    let Some(dot) = local.iter().rposition(|&b| b == b'.') else {
        return;
    };
    let (name, number) = local.split_at(dot);
    let domain = &value[at + 1..];
    let fits = |domain: &[u8]| {
        max.checked_sub(number.len() + 1 + domain.len())
            .filter(|&room| room >= 1)
    };
    let (room, domain): (usize, &[u8]) = match fits(domain) {
        Some(room) => (room, domain),
        None => match fits(b"x.io") {
            Some(room) => (room, b"x.io"),
            None => return,
        },
    };
    let mut name = &name[..room.min(name.len())];
    while name.len() > 1 && name.last() == Some(&b'.') {
        name = &name[..name.len() - 1];
    }
    let mut shortened = Vec::with_capacity(max);
    shortened.extend_from_slice(name);
    shortened.extend_from_slice(number);
    shortened.push(b'@');
    shortened.extend_from_slice(domain);
    buf.truncate(start);
    buf.extend_from_slice(&shortened);
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

fn pattern(out: &mut Vec<u8>, r: &mut CellRng, shape: &str) {
    for c in shape.bytes() {
        match c {
            b'#' => out.push(b'0' + r.random_range(0..10u8)),
            b'^' => out.push(b'1' + r.random_range(0..9u8)),
            b'@' => out.push(b'A' + r.random_range(0..26u8)),
            b'?' => out.push(b'a' + r.random_range(0..26u8)),
            b'*' => out.push(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[r.random_range(0..36usize)]),
            b'%' => out.push(HEX[r.random_range(0..16usize)]),
            _ => out.push(c),
        }
    }
}

impl Text {
    /// The mood the row's rating gives a review: 0 happy (4–5 of 5), 1 mixed
    /// (3), 2 unhappy (1–2); ratings out of 10 or 100 are read the same way.
    fn mood(&self, ctx: &FillCtx<'_>, i: usize) -> Option<usize> {
        let c = self.rating?;
        let buf = ctx.columns.get(c)?;
        let format = ctx.dataset.tables[ctx.table].columns[c].format;
        let v = buf.number(format, i)?;
        let top = if v <= 5.0 {
            5.0
        } else if v <= 10.0 {
            10.0
        } else {
            100.0
        };
        let share = v / top;
        Some(if share > 0.7 {
            0
        } else if share > 0.5 {
            1
        } else {
            2
        })
    }

    fn locale(&self, ctx: &FillCtx<'_>, row: u64) -> &'static locale::Locale {
        locale::locale_of(ctx.table_key, row, &self.locales)
    }

    fn person(&self, ctx: &FillCtx<'_>, row: u64) -> (&'static locale::Locale, Person) {
        let l = self.locale(ctx, row);
        (l, Person::of(ctx.table_key, row, self.who, l))
    }

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
    pub(crate) fn write(&self, ctx: &FillCtx<'_>, i: usize, row: u64, out: &mut Vec<u8>) {
        let mut r = rng::cell(ctx.key, row);
        match self.kind {
            TextKind::FirstName => {
                let (l, p) = self.person(ctx, row);
                out.extend_from_slice(p.first(l, false).as_bytes());
            }
            TextKind::LastName => {
                let (l, p) = self.person(ctx, row);
                out.extend_from_slice(p.last(l, false).as_bytes());
            }
            TextKind::FullName => {
                let (l, p) = self.person(ctx, row);
                p.full(l, out);
            }
            TextKind::MiddleName => {
                let (l, p) = self.person(ctx, row);
                out.extend_from_slice(p.middle(l, false).as_bytes());
            }
            TextKind::Gender => {
                let (_, p) = self.person(ctx, row);
                out.extend_from_slice(
                    ["female", "male", "non-binary"][usize::from(p.gender.min(2))].as_bytes(),
                );
            }
            TextKind::Email { id, work } => {
                let (l, p) = self.person(ctx, row);
                push_ascii_lower(out, p.first(l, true));
                out.push(b'.');
                push_ascii_lower(out, p.last(l, true));
                if !work {
                    out.push(b'.');
                    let n = id
                        .and_then(|c| ctx.columns[c].int(i))
                        .map_or(row + 1, i64::unsigned_abs);
                    push_number(out, n);
                }
                out.push(b'@');
                if work {
                    company_domain(ctx, self, row, out);
                } else {
                    out.extend_from_slice(locale::email_domain(l, &mut r).as_bytes());
                }
            }
            TextKind::Username => {
                let (l, p) = self.person(ctx, row);
                push_ascii_lower(out, p.first(l, true));
                out.push(b'_');
                push_ascii_lower(out, p.last(l, true));
                push_number(out, row + 1);
            }
            TextKind::Phone | TextKind::MobilePhone => {
                let l = self.locale(ctx, row);
                let place = locale::place_of(ctx.table_key, row, self.who, l);
                let mut pr = locale::place_rng(ctx.table_key, row, self.who, "#phone");
                locale::phone(l, place, self.kind == TextKind::MobilePhone, &mut pr, out);
            }
            TextKind::City => {
                let l = self.locale(ctx, row);
                out.extend_from_slice(
                    locale::place_of(ctx.table_key, row, self.who, l)
                        .city
                        .as_bytes(),
                );
            }
            TextKind::Country => out.extend_from_slice(self.locale(ctx, row).country.as_bytes()),
            TextKind::CountryCode => {
                out.extend_from_slice(self.locale(ctx, row).country_code.as_bytes());
            }
            TextKind::State => {
                let l = self.locale(ctx, row);
                out.extend_from_slice(
                    locale::place_of(ctx.table_key, row, self.who, l)
                        .region
                        .as_bytes(),
                );
            }
            TextKind::StateCode => {
                let l = self.locale(ctx, row);
                out.extend_from_slice(
                    locale::place_of(ctx.table_key, row, self.who, l)
                        .region_code
                        .as_bytes(),
                );
            }
            TextKind::Timezone => {
                let l = self.locale(ctx, row);
                out.extend_from_slice(
                    locale::place_of(ctx.table_key, row, self.who, l)
                        .timezone
                        .as_bytes(),
                );
            }
            TextKind::Zip => {
                let l = self.locale(ctx, row);
                let place = locale::place_of(ctx.table_key, row, self.who, l);
                let mut pr = locale::place_rng(ctx.table_key, row, self.who, "#postal");
                locale::postal_code(l, place, &mut pr, out);
            }
            TextKind::Street => {
                let l = self.locale(ctx, row);
                let mut pr = locale::place_rng(ctx.table_key, row, self.who, "#street");
                locale::street(l, &mut pr, out);
            }
            TextKind::Company => company_name(ctx, self, row, out),
            TextKind::JobTitle => {
                out.extend_from_slice(pick(&mut r, EN::JOB_SENIORITY).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, EN::JOB_FIELD).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, EN::JOB_POSITION).as_bytes());
            }
            TextKind::Url => {
                out.extend_from_slice(b"https://www.");
                company_domain(ctx, self, row, out);
            }
            TextKind::Currency => {
                // Mostly the row's own country's currency.
                if r.random_bool(0.85) {
                    out.extend_from_slice(self.locale(ctx, row).currency.as_bytes());
                } else {
                    out.extend_from_slice(pick(&mut r, EN::CURRENCY_CODE).as_bytes());
                }
            }
            TextKind::Product => {
                out.extend_from_slice(pick(&mut r, ADJECTIVES).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, MATERIALS).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, PRODUCTS).as_bytes());
            }
            TextKind::Code if self.max_len.is_some_and(|m| m < 10) => {
                // Too short for `SKU-000042`: two letters and the row number in
                // base 36, as long as the column allows, so values stay distinct.
                let m = self.max_len.unwrap_or(9).max(1);
                let letters = if m >= 5 { 2 } else { 0 };
                for _ in 0..letters {
                    out.push(b'A' + r.random_range(0..26u8));
                }
                let mut n = row + 1;
                let mut digits36 = Vec::new();
                while n > 0 {
                    digits36.push(
                        b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            [usize::try_from(n % 36).unwrap_or(0)],
                    );
                    n /= 36;
                }
                for _ in digits36.len()..m - letters {
                    out.push(b'0');
                }
                out.extend(digits36.iter().rev());
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
            TextKind::Prose(prose) => {
                prose.write_in(&mut r, out, self.max_len, self.mood(ctx, i));
            }
            TextKind::Pattern(p) => pattern(out, &mut r, p),
            TextKind::List(list) => out.extend_from_slice(pick(&mut r, list).as_bytes()),
            TextKind::Weighted(list) => {
                out.extend_from_slice(pick_weighted(&mut r, list).as_bytes())
            }
            TextKind::Initials => {
                for _ in 0..2 {
                    out.push(b'A' + r.random_range(0..26u8));
                    out.push(b'.');
                }
            }
            TextKind::Ean13 | TextKind::Isbn13 => {
                let start = out.len();
                match self.kind {
                    TextKind::Isbn13 => {
                        out.extend_from_slice(if r.random_bool(0.9) { b"978" } else { b"979" })
                    }
                    _ => digits(out, &mut r, "^#"),
                }
                while out.len() - start < 12 {
                    out.push(b'0' + r.random_range(0..10u8));
                }
                let check = gs1_check(&out[start..]);
                out.push(check);
            }
            TextKind::Iban => {
                // Country, BBAN shape (letters and digits as each country writes them).
                let (country, bban) = *[
                    ("DE", "##################"),
                    ("FR", "##########***********##"),
                    ("GB", "@@@@##############"),
                    ("ES", "####################"),
                    ("IT", "@######################"),
                    ("NL", "@@@@##########"),
                ]
                .get(r.random_range(0..6usize))
                .unwrap_or(&("DE", "##################"));
                let mut body = Vec::new();
                pattern(&mut body, &mut r, bban);
                let check = iban_check(country, &body);
                out.extend_from_slice(country.as_bytes());
                out.push(b'0' + u8::try_from(check / 10).unwrap_or(0));
                out.push(b'0' + u8::try_from(check % 10).unwrap_or(0));
                out.extend_from_slice(&body);
            }
            TextKind::CardNumber => {
                let start = out.len();
                let (prefix, len) = match r.random_range(0..10u8) {
                    0..=5 => ("4", 16),
                    6..=8 => ("5#", 16),
                    _ => ("37", 15),
                };
                pattern(out, &mut r, prefix);
                if out[start..].starts_with(b"5") {
                    // Mastercard's 51–55.
                    out[start + 1] = b'1' + r.random_range(0..5u8);
                }
                while out.len() - start < len - 1 {
                    out.push(b'0' + r.random_range(0..10u8));
                }
                let check = luhn_check(&out[start..]);
                out.push(check);
            }
            TextKind::CardExpiry => {
                let month = r.random_range(1..=12u64);
                if month < 10 {
                    out.push(b'0');
                }
                push_number(out, month);
                out.push(b'/');
                push_number(out, r.random_range(26..=31u64));
            }
            TextKind::Ipv4 => {
                // First octets of public unicast space, skipping private and reserved blocks.
                let first = *[
                    23u64, 31, 45, 52, 64, 77, 81, 93, 104, 142, 151, 185, 203, 212,
                ]
                .get(r.random_range(0..14usize))
                .unwrap_or(&23);
                push_number(out, first);
                for _ in 0..3 {
                    out.push(b'.');
                    push_number(out, r.random_range(1..255u64));
                }
            }
            TextKind::Ipv6 => {
                out.extend_from_slice(b"2a0");
                random_chars(out, &mut r, HEX, 1);
                for _ in 0..7 {
                    out.push(b':');
                    random_chars(out, &mut r, HEX, 4);
                }
            }
            TextKind::MacAddress => {
                for i in 0..6 {
                    if i > 0 {
                        out.push(b':');
                    }
                    random_chars(out, &mut r, HEX, 2);
                }
            }
            TextKind::HexColor => {
                out.push(b'#');
                random_chars(out, &mut r, HEX, 6);
            }
            TextKind::Domain => company_domain(ctx, self, row, out),
            TextKind::Slug => {
                push_lower(out, pick(&mut r, ADJECTIVES));
                out.push(b'-');
                push_lower(out, pick(&mut r, MATERIALS));
                out.push(b'-');
                push_lower(out, pick(&mut r, PRODUCTS));
            }
            TextKind::PasswordHash => {
                out.extend_from_slice(b"$2b$12$");
                random_chars(
                    out,
                    &mut r,
                    b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                    53,
                );
            }
            TextKind::ApiToken => {
                out.extend_from_slice(if r.random_bool(0.8) {
                    b"pk_live_"
                } else {
                    b"pk_test_"
                });
                random_chars(out, &mut r, BASE62, 32);
            }
            TextKind::UuidText => {
                for (i, n) in [8usize, 4, 4, 4, 12].iter().enumerate() {
                    if i > 0 {
                        out.push(b'-');
                    }
                    match i {
                        2 => {
                            out.push(b'4');
                            random_chars(out, &mut r, HEX, 3);
                        }
                        3 => {
                            out.push(b"89ab"[r.random_range(0..4usize)]);
                            random_chars(out, &mut r, HEX, 3);
                        }
                        _ => random_chars(out, &mut r, HEX, *n),
                    }
                }
            }
            TextKind::CatchPhrase => {
                out.extend_from_slice(pick(&mut r, super::lists::SLOGAN_VERBS).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, super::lists::SLOGAN_OBJECTS).as_bytes());
            }
            TextKind::ReviewTitle => {
                let openings = match self.mood(ctx, i) {
                    Some(0) => super::lists::REVIEW_OPENINGS_HAPPY,
                    Some(1) => super::lists::REVIEW_OPENINGS_MIXED,
                    Some(_) => super::lists::REVIEW_OPENINGS_UNHAPPY,
                    None => super::lists::REVIEW_OPENINGS,
                };
                out.extend_from_slice(pick(&mut r, openings).as_bytes());
                out.push(b' ');
                out.extend_from_slice(pick(&mut r, super::lists::REVIEW_SUBJECTS).as_bytes());
            }
            TextKind::Hashtag => {
                out.push(b'#');
                out.extend_from_slice(pick(&mut r, super::lists::HASHTAG_WORDS).as_bytes());
            }
            TextKind::FileName => {
                out.extend_from_slice(
                    pick(
                        &mut r,
                        &[
                            "report",
                            "invoice",
                            "photo",
                            "scan",
                            "contract",
                            "export",
                            "notes",
                            "summary",
                            "receipt",
                            "statement",
                        ],
                    )
                    .as_bytes(),
                );
                out.push(b'_');
                push_number(out, r.random_range(2015..2026u64));
                out.push(b'_');
                push_number(out, r.random_range(1..1000u64));
                out.push(b'.');
                out.extend_from_slice(pick(&mut r, super::lists::FILE_EXTENSIONS).as_bytes());
            }
            TextKind::AvatarUrl => {
                out.extend_from_slice(b"https://cdn.example.com/avatars/");
                random_chars(out, &mut r, HEX, 16);
                out.extend_from_slice(b".jpg");
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
            if let (TextKind::Email { work: false, .. }, Some(max)) = (self.kind, self.max_len) {
                shorten_email(&mut buf.bytes, start, max);
            }
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
                buf.pad_value(start, n);
            }
            buf.finish_value();
            out.nulls.push(false);
        }
    }

    fn inputs(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self.rating.into_iter().collect();
        if let TextKind::Email { id: Some(id), .. } = self.kind {
            out.push(id);
        }
        out
    }

    fn is_unique(&self) -> bool {
        self.unique || self.unique_by_itself()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_email_columns_keep_an_address_shape() {
        let mut buf = b"xx".to_vec();
        buf.extend_from_slice(b"jane.doe.123456@gmail.com");
        shorten_email(&mut buf, 2, 20);
        assert_eq!(&buf[2..], b"jan.123456@gmail.com");
        let mut buf = b"christopher.montgomery.77@hotmail.com".to_vec();
        shorten_email(&mut buf, 0, 12);
        assert_eq!(buf, b"chri.77@x.io");
        let mut buf = b"a.b.1@c.de".to_vec();
        shorten_email(&mut buf, 0, 40);
        assert_eq!(buf, b"a.b.1@c.de");
    }

    #[test]
    fn check_digits_match_published_examples() {
        // GS1's example EAN-13 4006381333931, the Luhn example 79927398713,
        // and the IBAN GB82 WEST 1234 5698 7654 32 from ISO 13616's documentation.
        assert_eq!(gs1_check(b"400638133393"), b'1');
        assert_eq!(luhn_check(b"7992739871"), b'3');
        assert_eq!(iban_check("GB", b"WEST12345698765432"), 82);
    }

    fn fill(text: &Text, rows: u64) -> Vec<String> {
        let dataset = crate::generate::Dataset { tables: Vec::new() };
        let rows: Vec<u64> = (0..rows).collect();
        let ctx = FillCtx {
            dataset: &dataset,
            table: 0,
            rows: &rows,
            columns: &[],
            key: 42,
            table_key: 7,
            parents: None,
        };
        let mut out = ColumnBuf::for_format(crate::value::ValueFormat::Text);
        text.fill(&ctx, &mut out);
        let ColumnData::Text(buf) = &out.data else {
            unreachable!("a text column")
        };
        (0..buf.len())
            .map(|i| String::from_utf8(buf.get(i).to_vec()).unwrap())
            .collect()
    }

    /// Every prose kind of the registry fills a `varchar(n)` column: no value
    /// is longer than `n`, `unique` still makes them distinct, and reasons
    /// and tags fit a short column whole.
    #[test]
    fn prose_kinds_fit_short_and_unique_columns() {
        use super::super::registry::{Make, KINDS};
        let prose = KINDS.iter().filter_map(|k| match k.make {
            Make::Text(kind @ TextKind::Prose(p)) => Some((k.name, kind, p)),
            _ => None,
        });
        for (name, kind, p) in prose {
            let values = fill(&Text::new(kind, Some(60), true), 2_000);
            let distinct: std::collections::HashSet<&String> = values.iter().collect();
            assert_eq!(distinct.len(), values.len(), "{name}: unique values");
            assert!(values.iter().all(|v| v.chars().count() <= 60), "{name}");
            if matches!(p, Prose::Reason | Prose::Tag) {
                let whole = fill(&Text::new(kind, Some(50), false), 2_000);
                assert!(
                    whole.iter().all(|v| !v.ends_with(' ') && v.len() <= 50),
                    "{name}"
                );
            }
        }
    }
}
