//! Prose that reads like the column it fills: titles, product descriptions,
//! reviews, comments, bios, notes, delivery instructions, reasons and tags.
//!
//! Each kind is a small grammar in a file of its own: sentence templates
//! whose slots are filled from phrase lists, all written for pgmock. A value
//! is a pure function of the cell's RNG, and is written straight into the
//! caller's buffer: no `String` and no `format!` per value.
//!
//! Template syntax, read by [`Writer::expand`]:
//!
//! - `$x` writes a phrase from the slot list keyed `x` (a phrase may hold slots itself);
//! - `$X` (the capital) picks from the same list once per value and repeats
//!   that pick, so a review keeps talking about the same thing;
//! - `@` writes "a" or "an", whichever suits the word after it;
//! - `^` writes a digit 1–9, `#` a digit 0–9, and `$$` a dollar sign.
//!
//! The first letter of every sentence is capitalized.

use rand::RngExt;

use super::super::rng::CellRng;

mod bios;
mod comments;
mod descriptions;
mod instructions;
mod notes;
mod products;
mod reasons;
mod reviews;
mod tags;
mod titles;

/// Which kind of prose to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prose {
    /// An article or post headline (`How we cut our cloud bill by 30%`).
    Title,
    /// A ticket, issue or task title (`Cannot reset password after update`).
    TicketTitle,
    /// A generic description of a thing, course, plan or project: one to three sentences.
    Description,
    /// A product description: two to four sentences about one product.
    ProductDescription,
    /// A customer review of one to four sentences, of one mood.
    Review,
    /// A comment or chat message.
    Comment,
    /// A short profile text (`Product designer based in Lisbon.`).
    Bio,
    /// An internal note: one or two sentences.
    Note,
    /// Delivery or order instructions (`Leave the parcel at the back door.`).
    Instructions,
    /// A short reason (`Item arrived damaged`).
    Reason,
    /// A tag word (`summer`, `eco-friendly`).
    Tag,
    /// A short phrase, for text columns no kind matches (`Weekly stock check`).
    Phrase,
    /// A short plain sentence, for long text columns no kind matches.
    Remark,
}

impl Prose {
    /// Writes one value of this kind to `out`. Kinds of several sentences
    /// stop before a sentence that would take the value past `budget`
    /// characters (the column's `varchar(n)`), so cuts are rare; the first
    /// sentence is always written, and `Text::fill` cuts what is still too long.
    pub fn write(self, r: &mut CellRng, out: &mut Vec<u8>, budget: Option<usize>) {
        self.write_in(r, out, budget, None);
    }

    /// Like [`Self::write`], in a given mood for kinds that have one
    /// (reviews: 0 happy, 1 mixed, 2 unhappy), as the row's rating says.
    pub fn write_in(
        self,
        r: &mut CellRng,
        out: &mut Vec<u8>,
        budget: Option<usize>,
        mood: Option<usize>,
    ) {
        let mut w = Writer::new(r, out, budget);
        match self {
            Self::Review => reviews::review(&mut w, mood),
            Self::Title => titles::headline(&mut w),
            Self::TicketTitle => titles::ticket(&mut w),
            Self::Description => descriptions::description(&mut w),
            Self::ProductDescription => products::description(&mut w),
            Self::Comment => comments::comment(&mut w),
            Self::Bio => bios::bio(&mut w),
            Self::Note => notes::note(&mut w),
            Self::Instructions => instructions::instructions(&mut w),
            Self::Reason => reasons::reason(&mut w),
            Self::Tag => tags::tag(&mut w),
            Self::Phrase => descriptions::phrase(&mut w),
            Self::Remark => descriptions::remark(&mut w),
        }
    }
}

/// Slot lists of one kind: `(key, phrases)`.
pub(super) type Slots = &'static [(u8, &'static [&'static str])];

/// Colours products come in, for product descriptions and reviews alike.
pub(super) const COLOURS: &[&str] = &[
    "navy",
    "olive",
    "sand",
    "charcoal",
    "forest green",
    "terracotta",
    "sky blue",
    "cream",
    "black",
    "stone gray",
    "rust",
    "white",
    "burgundy",
];

/// How many `$X` picks one value remembers.
const MEMO: usize = 4;

/// Writes templates into the value being built.
pub(super) struct Writer<'a> {
    r: &'a mut CellRng,
    out: &'a mut Vec<u8>,
    /// Where the value starts in `out`.
    start: usize,
    budget: Option<usize>,
    /// `$X` picks made so far: (key, index).
    memo: [(u8, u16); MEMO],
    memo_len: usize,
}

impl<'a> Writer<'a> {
    fn new(r: &'a mut CellRng, out: &'a mut Vec<u8>, budget: Option<usize>) -> Self {
        let start = out.len();
        Self {
            r,
            out,
            start,
            budget,
            memo: [(0, 0); MEMO],
            memo_len: 0,
        }
    }

    /// A number in `0..n`.
    pub(super) fn below(&mut self, n: usize) -> usize {
        self.r.random_range(0..n.max(1))
    }

    /// `true` with probability `p`.
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.r.random_bool(p)
    }

    /// How many characters the value may still take; `usize::MAX` without a limit.
    pub(super) fn budget(&self) -> usize {
        self.budget.unwrap_or(usize::MAX)
    }

    /// Writes one template as a sentence: slots filled, first letter capitalized.
    pub(super) fn sentence(&mut self, templates: &[&str], slots: Slots) {
        let at = self.out.len();
        let template = templates[self.below(templates.len())];
        self.expand(template, slots, 0);
        if let Some(first) = self.out.get_mut(at) {
            first.make_ascii_uppercase();
        }
    }

    /// Writes one template as it is, without capitalizing (tags).
    pub(super) fn phrase(&mut self, templates: &[&str], slots: Slots) {
        let template = templates[self.below(templates.len())];
        self.expand(template, slots, 0);
    }

    /// Adds a sentence after a space, unless it would take the value past
    /// the budget; returns whether it was kept.
    pub(super) fn another(&mut self, templates: &[&str], slots: Slots) -> bool {
        let before = self.out.len();
        self.out.push(b' ');
        self.sentence(templates, slots);
        if self.out.len() - self.start > self.budget() {
            self.out.truncate(before);
            return false;
        }
        true
    }

    /// Writes `template` with its slots filled.
    fn expand(&mut self, template: &str, slots: Slots, depth: u8) {
        let bytes = template.as_bytes();
        // Where an `@` wrote "a ", until the word after it is known.
        let mut article: Option<usize> = None;
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            i += 1;
            match c {
                b'$' if i < bytes.len() && bytes[i] == b'$' => {
                    self.out.push(b'$');
                    i += 1;
                }
                b'$' if i < bytes.len() => {
                    let key = bytes[i];
                    i += 1;
                    self.slot(key, slots, depth);
                }
                b'@' => {
                    article = Some(self.out.len());
                    self.out.extend_from_slice(b"a ");
                    continue;
                }
                b'^' => self.out.push(b'1' + self.r.random_range(0..9u8)),
                b'#' => self.out.push(b'0' + self.r.random_range(0..10u8)),
                _ => self.out.push(c),
            }
            if let Some(at) = article.take() {
                if takes_an(&self.out[at + 2..]) {
                    self.out.insert(at + 1, b'n');
                }
            }
        }
    }

    /// Writes a phrase of slot `key` (a capital key repeats the value's earlier pick).
    fn slot(&mut self, key: u8, slots: Slots, depth: u8) {
        let sticky = key.is_ascii_uppercase();
        let list_key = key.to_ascii_lowercase();
        let Some(&(_, list)) = slots.iter().find(|(k, _)| *k == list_key) else {
            debug_assert!(false, "template names unknown slot `{}`", char::from(key));
            return;
        };
        if list.is_empty() {
            return;
        }
        let remembered = sticky
            .then(|| {
                self.memo[..self.memo_len]
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, i)| usize::from(*i))
            })
            .flatten();
        let index = remembered.unwrap_or_else(|| self.below(list.len()));
        if sticky && remembered.is_none() && self.memo_len < MEMO {
            self.memo[self.memo_len] = (key, u16::try_from(index).unwrap_or(0));
            self.memo_len += 1;
        }
        let phrase = list[index];
        if depth < 3
            && phrase
                .bytes()
                .any(|b| matches!(b, b'$' | b'@' | b'^' | b'#'))
        {
            self.expand(phrase, slots, depth + 1);
        } else {
            self.out.extend_from_slice(phrase.as_bytes());
        }
    }
}

/// Whether the words `next` want "an" rather than "a" before them.
fn takes_an(next: &[u8]) -> bool {
    let lower = |i: usize| next.get(i).map(u8::to_ascii_lowercase);
    match lower(0) {
        Some(b'a' | b'e' | b'i' | b'8') => true,
        // "an eight-week", but "a one-day".
        Some(b'o') => !next[1..].starts_with(b"ne"),
        // "a useful", "a unique", "a utility", but "an update", "an umbrella".
        Some(b'u') => !matches!(lower(1), Some(b's' | b't')) && !next[1..].starts_with(b"ni"),
        Some(b'h') => next[1..].starts_with(b"our") || next[1..].starts_with(b"onest"),
        _ => false,
    }
}

/// One of `options`, each as likely as its weight.
pub(super) fn weighted(w: &mut Writer<'_>, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = u32::try_from(w.below(total as usize)).unwrap_or(0);
    for (i, &weight) in weights.iter().enumerate() {
        if x < weight {
            return i;
        }
        x -= weight;
    }
    weights.len() - 1
}

#[cfg(test)]
mod tests;
