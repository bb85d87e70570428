//! Locale reference lists (`data/locales/*.json`, embedded) and the people
//! and places drawn from them.
//!
//! A row's person and place are pure functions of (table key, row, role):
//! every person column of the row (first and last name, full name, e-mail,
//! user name, gender) derives from one person, and every place column (street,
//! city, region, postal code, country, phone, time zone, coordinates) from
//! one place of one country, whatever order the columns are filled in and
//! whichever of them a table has.

use std::sync::LazyLock;

use rand::RngExt;
use serde::Deserialize;

use crate::generate::rng::{self, CellRng};

/// The locales pgmock ships, by name.
pub const LOCALE_NAMES: &[&str] = &[
    "en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "it_IT", "pt_BR", "ja_JP", "zh_CN",
];

const SOURCES: &[(&str, &str)] = &[
    ("en_US", include_str!("data/locales/en_US.json")),
    ("en_GB", include_str!("data/locales/en_GB.json")),
    ("fr_FR", include_str!("data/locales/fr_FR.json")),
    ("de_DE", include_str!("data/locales/de_DE.json")),
    ("es_ES", include_str!("data/locales/es_ES.json")),
    ("it_IT", include_str!("data/locales/it_IT.json")),
    ("pt_BR", include_str!("data/locales/pt_BR.json")),
    ("ja_JP", include_str!("data/locales/ja_JP.json")),
    ("zh_CN", include_str!("data/locales/zh_CN.json")),
];

/// First names by gender.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Names {
    /// Women's names.
    pub female: Vec<String>,
    /// Men's names.
    pub male: Vec<String>,
}

/// One city or town.
#[derive(Debug, Clone, Deserialize)]
pub struct Place {
    /// City name.
    pub city: String,
    /// State, province, region or prefecture.
    pub region: String,
    /// Its code (`NY`, `BE`).
    pub region_code: String,
    /// The leading characters of the city's postal codes.
    pub postal_prefix: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// IANA time zone.
    pub timezone: String,
    /// Telephone area code (no trunk prefix).
    pub area_code: String,
    /// Inhabitants, used as the place's weight.
    pub population: f64,
}

/// One locale's lists.
#[derive(Debug, Clone, Deserialize)]
pub struct Locale {
    /// `de_DE`.
    pub locale: String,
    /// English country name.
    pub country: String,
    /// ISO 3166-1 alpha-2.
    pub country_code: String,
    /// ISO 4217.
    pub currency: String,
    /// `+49 {area} {local}`.
    pub phone_format: String,
    /// Digits after the area code (after a mobile prefix; after an area code too unless `national_digits` is set).
    pub local_digits: usize,
    /// Digits of a landline number without the country code, where area codes
    /// differ in length and the local part takes the rest (`20 7946 0000`, `161 496 0000`).
    #[serde(default)]
    pub national_digits: Option<usize>,
    /// Mobile prefixes used instead of an area code.
    #[serde(default)]
    pub mobile_prefixes: Vec<String>,
    /// `#####`; `#` a digit, `@` a capital letter.
    pub postal_code_format: String,
    /// `{street} {number}`.
    pub address_format: String,
    /// Given names.
    pub first_names: Names,
    /// Given names in Latin letters (Japanese and Chinese), same order.
    #[serde(default)]
    pub first_names_latin: Option<Names>,
    /// Family names.
    pub last_names: Vec<String>,
    /// Family names in Latin letters, same order.
    #[serde(default)]
    pub last_names_latin: Option<Vec<String>>,
    /// `given_family` or `family_given`.
    pub name_order: String,
    /// Street names as written locally.
    pub street_names: Vec<String>,
    /// Free-mail providers with weights.
    pub email_domains: Vec<(String, u32)>,
    /// `GmbH`, `Inc.` ...
    pub company_suffixes: Vec<String>,
    /// Words for company names.
    pub company_words: Vec<String>,
    /// Cities and towns.
    pub places: Vec<Place>,
    /// Running sum of place populations, for weighted picks.
    #[serde(skip)]
    cumulative: Vec<f64>,
}

/// Every shipped locale, parsed once.
pub static LOCALES: LazyLock<Vec<Locale>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .filter_map(|(_, text)| serde_json::from_str::<Locale>(text).ok())
        .map(|mut l| {
            let mut sum = 0.0;
            l.cumulative = l
                .places
                .iter()
                .map(|p| {
                    sum += p.population.max(1.0);
                    sum
                })
                .collect();
            l
        })
        .collect()
});

/// The index of locale `name` (`de_DE`, also `de-DE`).
#[must_use]
pub fn index_of(name: &str) -> Option<usize> {
    let wanted = name.replace('-', "_");
    LOCALES
        .iter()
        .position(|l| l.locale.eq_ignore_ascii_case(&wanted))
}

/// A weighted mix of locales: (index into [`LOCALES`], weight).
pub type Mix = std::sync::Arc<[(usize, u32)]>;

/// The mix of the default locale alone.
#[must_use]
pub fn default_mix() -> Mix {
    std::sync::Arc::from(vec![(index_of("en_US").unwrap_or(0), 1)])
}

/// Salts that keep a row's locale, person, place and company draws apart
/// (hashed at compile time: these are mixed in for every row).
const LOCALE_SALT: u64 = rng::hash_bytes(b"#locale");
const PERSON_SALT: u64 = rng::hash_bytes(b"#person");
const PLACE_SALT: u64 = rng::hash_bytes(b"#place");
const COMPANY_SALT: u64 = rng::hash_bytes(b"#company");

fn salted(key: u64, salt: u64) -> u64 {
    rng::mix(key ^ salt)
}

/// Which locale row `row` of a table (key `table_key`) is in.
#[must_use]
pub fn locale_of(table_key: u64, row: u64, mix: &[(usize, u32)]) -> &'static Locale {
    let index = match mix {
        [] => 0,
        [(only, _)] => *only,
        _ => {
            let total: u32 = mix.iter().map(|(_, w)| *w).sum();
            // One multiply-shift draw: this runs for every locale-aware cell.
            let draw = rng::below(
                rng::mix(salted(table_key, LOCALE_SALT) ^ rng::mix(row)),
                u64::from(total.max(1)),
            );
            let mut x = u32::try_from(draw).unwrap_or(0);
            let mut chosen = mix[0].0;
            for (i, w) in mix {
                if x < *w {
                    chosen = *i;
                    break;
                }
                x -= w;
            }
            chosen
        }
    };
    &LOCALES[index.min(LOCALES.len().saturating_sub(1))]
}

/// A person: gender and indices into the locale's name lists.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    /// `true` for a woman's name.
    pub female: bool,
    /// Reported gender: 0 female, 1 male, 2 non-binary.
    pub gender: u8,
    /// Index of the given name.
    pub first: usize,
    /// Index of a second given name (middle name).
    pub middle: usize,
    /// Index of the family name.
    pub last: usize,
}

impl Person {
    /// The person of `row` in role `who` (0: the row's own).
    #[must_use]
    pub fn of(table_key: u64, row: u64, who: u64, locale: &Locale) -> Self {
        // One draw per row and role, cut into the person's parts: this runs for
        // every person column of every row.
        let x = rng::mix(salted(table_key, PERSON_SALT) ^ who ^ rng::mix(row));
        let y = rng::mix(x);
        let gender = match x % 100 {
            0..=48 => 0,
            49..=97 => 1,
            _ => 2,
        };
        let female = if gender == 2 {
            (x >> 8) & 1 == 0
        } else {
            gender == 0
        };
        let list = if female {
            &locale.first_names.female
        } else {
            &locale.first_names.male
        };
        let len = |n: usize| u64::try_from(n.max(1)).unwrap_or(1);
        let at = |v: u64, n: usize| usize::try_from(rng::below(v, len(n))).unwrap_or(0);
        Self {
            female,
            gender,
            first: at(x.rotate_left(48), list.len()),
            middle: at(y, list.len()),
            last: at(y.rotate_left(32), locale.last_names.len()),
        }
    }

    fn given<'l>(&self, l: &'l Locale, index: usize, latin: bool) -> &'l str {
        let names = match (&l.first_names_latin, latin) {
            (Some(latin), true) => latin,
            _ => &l.first_names,
        };
        let list = if self.female {
            &names.female
        } else {
            &names.male
        };
        list.get(index).map_or("", String::as_str)
    }

    /// Given name, in the locale's script (`latin`: in Latin letters).
    #[must_use]
    pub fn first<'l>(&self, l: &'l Locale, latin: bool) -> &'l str {
        self.given(l, self.first, latin)
    }

    /// A middle name.
    #[must_use]
    pub fn middle<'l>(&self, l: &'l Locale, latin: bool) -> &'l str {
        self.given(l, self.middle, latin)
    }

    /// Family name.
    #[must_use]
    pub fn last<'l>(&self, l: &'l Locale, latin: bool) -> &'l str {
        let list = match (&l.last_names_latin, latin) {
            (Some(latin), true) => latin,
            _ => &l.last_names,
        };
        list.get(self.last).map_or("", String::as_str)
    }

    /// The full name as the locale writes it (`山田 太郎`, `Jane Doe`).
    pub fn full(&self, l: &Locale, out: &mut Vec<u8>) {
        let (first, last) = (self.first(l, false), self.last(l, false));
        if l.name_order == "family_given" {
            out.extend_from_slice(last.as_bytes());
            if !l.locale.starts_with("zh") {
                out.push(b' ');
            }
            out.extend_from_slice(first.as_bytes());
        } else {
            out.extend_from_slice(first.as_bytes());
            out.push(b' ');
            out.extend_from_slice(last.as_bytes());
        }
    }
}

/// The place of `row` in role `who`.
#[must_use]
pub fn place_of(table_key: u64, row: u64, who: u64, l: &Locale) -> &Place {
    let total = l.cumulative.last().copied().unwrap_or(1.0);
    let x = rng::unit(rng::mix(
        salted(table_key, PLACE_SALT) ^ who ^ rng::mix(row),
    )) * total;
    let i = l.cumulative.partition_point(|c| *c <= x);
    &l.places[i.min(l.places.len().saturating_sub(1))]
}

/// A second RNG for the details of a row's place (postal code digits, street, phone).
#[must_use]
pub fn place_rng(table_key: u64, row: u64, who: u64, salt: &str) -> CellRng {
    rng::cell(rng::derive(salted(table_key, PLACE_SALT) ^ who, salt), row)
}

/// The company of `row` in role `who`: an RNG the name, domain and site all start from.
#[must_use]
pub fn company_rng(table_key: u64, row: u64, who: u64) -> CellRng {
    rng::cell(salted(table_key, COMPANY_SALT) ^ who, row)
}

/// A postal code of `place`: its prefix, then the locale's shape.
pub fn postal_code(l: &Locale, place: &Place, r: &mut CellRng, out: &mut Vec<u8>) {
    let format = l.postal_code_format.as_bytes();
    let prefix = place.postal_prefix.as_bytes();
    if l.locale == "en_GB" {
        // Outward code, then the inward code: a digit and two letters (never C, I, K, M, O, V).
        out.extend_from_slice(prefix);
        out.push(b' ');
        out.push(b'0' + r.random_range(0..10u8));
        for _ in 0..2 {
            out.push(b"ABDEFGHJLNPQRSTUWXYZ"[r.random_range(0..20usize)]);
        }
        return;
    }
    let mut p = prefix.iter().peekable();
    for &c in format {
        let fill = match c {
            b'#' | b'@' => p.next().copied(),
            _ => None,
        };
        match (c, fill) {
            (_, Some(f)) => out.push(f),
            (b'#', None) => out.push(b'0' + r.random_range(0..10u8)),
            (b'@', None) => out.push(b'A' + r.random_range(0..26u8)),
            _ => {
                if p.peek().is_some_and(|&&f| f == c) {
                    p.next();
                }
                out.push(c);
            }
        }
    }
}

/// A phone number as the locale writes it; `mobile` uses a mobile prefix.
pub fn phone(l: &Locale, place: &Place, mobile: bool, r: &mut CellRng, out: &mut Vec<u8>) {
    let area: &str = if mobile && !l.mobile_prefixes.is_empty() {
        &l.mobile_prefixes[r.random_range(0..l.mobile_prefixes.len())]
    } else {
        &place.area_code
    };
    fill(&l.phone_format, out, |name, out| match name {
        "area" => out.extend_from_slice(area.as_bytes()),
        "local" => {
            let digits = match l.national_digits {
                Some(n) if !mobile => n.saturating_sub(area.len()).max(4),
                _ => l.local_digits,
            };
            // Grouped as written locally: 555-0123, 5550-0123.
            let dash = match digits {
                7 => Some(3),
                8 => Some(4),
                _ => None,
            };
            for i in 0..digits {
                if dash == Some(i) {
                    out.push(b'-');
                }
                // A local number does not start with 0 or 1.
                let lo = if i == 0 { 2 } else { 0 };
                out.push(b'0' + r.random_range(lo..10u8));
            }
        }
        _ => {}
    });
}

/// A street line: the locale's street names and format.
pub fn street(l: &Locale, r: &mut CellRng, out: &mut Vec<u8>) {
    let name = l
        .street_names
        .get(r.random_range(0..l.street_names.len().max(1)))
        .map_or("Main Street", String::as_str);
    let number = r.random_range(1..if l.locale == "en_US" { 9999u32 } else { 180 });
    fill(&l.address_format, out, |field, out| match field {
        "street" => out.extend_from_slice(name.as_bytes()),
        "number" => out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes()),
        _ => {}
    });
}

/// Writes `format` with each `{name}` replaced by what `field` writes; no
/// allocation, as this runs for every row.
fn fill(format: &str, out: &mut Vec<u8>, mut field: impl FnMut(&str, &mut Vec<u8>)) {
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        out.extend_from_slice(&rest.as_bytes()[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                field(&rest[open + 1..open + close], out);
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.extend_from_slice(rest.as_bytes());
}

/// A free-mail domain by the locale's weights.
#[must_use]
pub fn email_domain<'l>(l: &'l Locale, r: &mut CellRng) -> &'l str {
    let total: u32 = l.email_domains.iter().map(|(_, w)| *w).sum();
    let mut x = r.random_range(0..total.max(1));
    for (d, w) in &l.email_domains {
        if x < *w {
            return d;
        }
        x -= w;
    }
    "example.com"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_locale_parses_and_is_complete() {
        assert_eq!(LOCALES.len(), SOURCES.len(), "every locale file parses");
        for l in LOCALES.iter() {
            assert!(
                l.places.len() >= 40 && l.last_names.len() >= 50,
                "{}",
                l.locale
            );
            assert!(
                l.first_names.female.len() >= 40 && l.first_names.male.len() >= 40,
                "{}",
                l.locale
            );
            if let Some(latin) = &l.first_names_latin {
                assert_eq!(
                    latin.female.len(),
                    l.first_names.female.len(),
                    "{}",
                    l.locale
                );
            }
        }
    }

    #[test]
    fn postal_codes_start_with_the_city_prefix() {
        let de = &LOCALES[index_of("de_DE").unwrap()];
        let berlin = de.places.iter().find(|p| p.city == "Berlin").unwrap();
        let mut r = rng::cell(1, 2);
        let mut out = Vec::new();
        postal_code(de, berlin, &mut r, &mut out);
        let code = String::from_utf8(out).unwrap();
        assert!(
            code.len() == 5 && code.starts_with(&berlin.postal_prefix),
            "{code}"
        );
    }
}
