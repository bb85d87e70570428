//! Regex-like patterns for custom generators (`"pattern": "POL-[A-Z]{3}-[0-9]{6}"`).
//!
//! `regex-syntax` parses the pattern; this module turns the parsed tree into
//! a generator. A pattern is drawn at random per cell, or, for a unique
//! column, the row's index (through a keyed permutation) is decoded as a
//! mixed-radix number over the pattern's choices, so values are distinct by
//! construction when the pattern has a fixed shape.

use rand::RngExt;
use regex_syntax::hir::{Class, Hir, HirKind};

use super::rng::CellRng;

/// How far past its minimum an open repetition (`*`, `+`, `{n,}`) may go.
const OPEN_REPEAT: u32 = 8;

/// A class with more members than this that also holds printable ASCII
/// (`\w`, `\d`, `.` in Unicode mode) is drawn from its ASCII part only:
/// users writing `\d` mean `0-9`, not every script's digits.
const WIDE_CLASS: u32 = 256;

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    root: Node,
}

#[derive(Debug, Clone)]
enum Node {
    Literal(Box<str>),
    /// Code point ranges and the running count of members before each range.
    Class {
        ranges: Vec<(u32, u32)>,
        before: Vec<u64>,
        size: u64,
    },
    Repeat {
        sub: Box<Node>,
        min: u32,
        max: u32,
    },
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
}

impl Pattern {
    /// Parses `text`; the error says what is wrong, for the user.
    pub fn parse(text: &str) -> Result<Self, String> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(text)
            .map_err(|e| one_line(&e.to_string()))?;
        Ok(Self { root: node(&hir)? })
    }

    /// Writes one value drawn with `r`.
    pub fn sample(&self, r: &mut CellRng, out: &mut Vec<u8>) {
        sample(&self.root, r, out);
    }

    /// How many distinct values the pattern enumerates, when its shape is
    /// fixed enough for each index to give a different value; `None` when
    /// values of different choices could coincide (`a|a`, `x{1,2}x{0,1}`),
    /// or there are more than `u64::MAX`.
    #[must_use]
    pub fn distinct(&self) -> Option<u64> {
        count(&self.root).and_then(|n| u64::try_from(n).ok())
    }

    /// Writes the `i`-th value (`i` < [`Self::distinct`]).
    pub fn nth(&self, i: u64, out: &mut Vec<u8>) {
        nth(&self.root, u128::from(i), out);
    }

    /// The most characters a value can have.
    #[must_use]
    pub fn max_chars(&self) -> u64 {
        max_chars(&self.root)
    }
}

/// `regex-syntax` errors span several lines with a caret under the pattern; keep the message.
fn one_line(e: &str) -> String {
    e.lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .map_or_else(
            || e.replace('\n', " "),
            |l| l["error:".len()..].trim().to_owned(),
        )
}

fn node(hir: &Hir) -> Result<Node, String> {
    Ok(match hir.kind() {
        // Anchors and word boundaries hold of any generated value.
        HirKind::Empty | HirKind::Look(_) => Node::Literal("".into()),
        HirKind::Literal(lit) => Node::Literal(
            std::str::from_utf8(&lit.0)
                .map_err(|_| "the pattern has bytes that are not UTF-8".to_owned())?
                .into(),
        ),
        HirKind::Class(Class::Unicode(c)) => class(
            c.ranges()
                .iter()
                .map(|r| (u32::from(r.start()), u32::from(r.end())))
                .collect(),
        )?,
        HirKind::Class(Class::Bytes(c)) => class(
            c.ranges()
                .iter()
                .map(|r| (u32::from(r.start()), u32::from(r.end())))
                .collect(),
        )?,
        HirKind::Repetition(rep) => Node::Repeat {
            sub: Box::new(node(&rep.sub)?),
            min: rep.min,
            max: rep
                .max
                .unwrap_or_else(|| rep.min.saturating_add(OPEN_REPEAT)),
        },
        HirKind::Capture(c) => node(&c.sub)?,
        HirKind::Concat(parts) => Node::Concat(parts.iter().map(node).collect::<Result<_, _>>()?),
        HirKind::Alternation(parts) => {
            Node::Alternation(parts.iter().map(node).collect::<Result<_, _>>()?)
        }
    })
}

/// A class without control characters (they would only garble output), and
/// narrowed to ASCII when it is one of the wide Unicode classes.
fn class(ranges: Vec<(u32, u32)>) -> Result<Node, String> {
    let printable = |(a, b): (u32, u32)| -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let mut push = |lo: u32, hi: u32| {
            let (lo, hi) = (lo.max(a), hi.min(b));
            if lo <= hi {
                out.push((lo, hi));
            }
        };
        push(0x20, 0x7E);
        push(0xA0, 0x10_FFFF);
        out
    };
    let mut kept: Vec<(u32, u32)> = ranges.into_iter().flat_map(printable).collect();
    let size = |rs: &[(u32, u32)]| rs.iter().map(|(a, b)| u64::from(b - a + 1)).sum::<u64>();
    let ascii: Vec<(u32, u32)> = kept
        .iter()
        .filter(|(a, _)| *a < 0x80)
        .map(|&(a, b)| (a, b.min(0x7E)))
        .collect();
    if size(&kept) > u64::from(WIDE_CLASS) && !ascii.is_empty() {
        kept = ascii;
    }
    if kept.is_empty() {
        return Err("a character class in the pattern matches no printable character".into());
    }
    let mut before = Vec::with_capacity(kept.len());
    let mut total = 0u64;
    for &(a, b) in &kept {
        before.push(total);
        total += u64::from(b - a + 1);
    }
    Ok(Node::Class {
        ranges: kept,
        before,
        size: total,
    })
}

fn push_char(out: &mut Vec<u8>, ranges: &[(u32, u32)], before: &[u64], i: u64) {
    let k = before.partition_point(|&b| b <= i).saturating_sub(1);
    let (a, _) = ranges[k];
    let cp = a + u32::try_from(i - before[k]).unwrap_or(0);
    // Surrogates are not in a class of chars, but be safe about the gap.
    let c = char::from_u32(cp).unwrap_or('?');
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

fn sample(n: &Node, r: &mut CellRng, out: &mut Vec<u8>) {
    match n {
        Node::Literal(s) => out.extend_from_slice(s.as_bytes()),
        Node::Class {
            ranges,
            before,
            size,
        } => push_char(out, ranges, before, r.random_range(0..*size)),
        Node::Repeat { sub, min, max } => {
            for _ in 0..r.random_range(*min..=*max) {
                sample(sub, r, out);
            }
        }
        Node::Concat(parts) => {
            for p in parts {
                sample(p, r, out);
            }
        }
        Node::Alternation(parts) => {
            let k = r.random_range(0..parts.len());
            sample(&parts[k], r, out);
        }
    }
}

/// A node's value count and length when every value has the same length in
/// characters and different indices give different values.
fn count(n: &Node) -> Option<u128> {
    match n {
        Node::Literal(_) => Some(1),
        Node::Class { size, .. } => Some(u128::from(*size)),
        Node::Repeat { sub, min, max } if min == max => {
            let c = count(sub)?;
            fixed_len(sub)?;
            let mut total: u128 = 1;
            for _ in 0..*min {
                total = total.checked_mul(c)?;
            }
            Some(total)
        }
        Node::Repeat { .. } => None,
        Node::Concat(parts) => {
            let mut total: u128 = 1;
            for p in parts {
                fixed_len(p)?;
                total = total.checked_mul(count(p)?)?;
            }
            Some(total)
        }
        // Distinct literals of one length (`(CA|NY|TX)`) are told apart;
        // anything richer could overlap.
        Node::Alternation(parts) => {
            let lits: Vec<&str> = parts
                .iter()
                .map(|p| match p {
                    Node::Literal(s) => Some(&**s),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            let len = lits.first()?.chars().count();
            let mut seen = std::collections::HashSet::new();
            if lits
                .iter()
                .all(|l| l.chars().count() == len && seen.insert(*l))
            {
                Some(parts.len() as u128)
            } else {
                None
            }
        }
    }
}

/// The length of every value of `n`, when it is always the same.
fn fixed_len(n: &Node) -> Option<u64> {
    match n {
        Node::Literal(s) => Some(s.chars().count() as u64),
        Node::Class { .. } => Some(1),
        Node::Repeat { sub, min, max } if min == max => Some(fixed_len(sub)? * u64::from(*min)),
        Node::Repeat { .. } => None,
        Node::Concat(parts) => parts.iter().map(fixed_len).sum(),
        Node::Alternation(parts) => {
            let first = fixed_len(parts.first()?)?;
            parts
                .iter()
                .all(|p| fixed_len(p) == Some(first))
                .then_some(first)
        }
    }
}

fn nth(n: &Node, mut i: u128, out: &mut Vec<u8>) {
    match n {
        Node::Literal(s) => out.extend_from_slice(s.as_bytes()),
        Node::Class {
            ranges,
            before,
            size,
        } => push_char(
            out,
            ranges,
            before,
            u64::try_from(i % u128::from(*size)).unwrap_or(0),
        ),
        Node::Repeat { sub, min, .. } => {
            let c = count(sub).unwrap_or(1).max(1);
            for _ in 0..*min {
                nth(sub, i % c, out);
                i /= c;
            }
        }
        Node::Concat(parts) => {
            // The last part varies fastest, like the digits of a number.
            let mut digits = Vec::with_capacity(parts.len());
            for p in parts.iter().rev() {
                let c = count(p).unwrap_or(1).max(1);
                digits.push(i % c);
                i /= c;
            }
            for (p, d) in parts.iter().zip(digits.into_iter().rev()) {
                nth(p, d, out);
            }
        }
        Node::Alternation(parts) => {
            let k = usize::try_from(i % parts.len() as u128).unwrap_or(0);
            nth(&parts[k], 0, out);
        }
    }
}

fn max_chars(n: &Node) -> u64 {
    match n {
        Node::Literal(s) => s.chars().count() as u64,
        Node::Class { .. } => 1,
        Node::Repeat { sub, max, .. } => max_chars(sub).saturating_mul(u64::from(*max)),
        Node::Concat(parts) => parts.iter().map(max_chars).sum(),
        Node::Alternation(parts) => parts.iter().map(max_chars).max().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::rng;

    fn values(p: &str, n: u64) -> Vec<String> {
        let pat = Pattern::parse(p).unwrap_or_else(|e| panic!("{e}"));
        (0..n)
            .map(|row| {
                let mut out = Vec::new();
                pat.sample(&mut rng::cell(7, row), &mut out);
                String::from_utf8(out).unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn samples_match_the_pattern() {
        for v in values("POL-[A-Z]{3}-[0-9]{6}", 500) {
            let b = v.as_bytes();
            assert_eq!(b.len(), 14, "{v}");
            assert!(v.starts_with("POL-") && b[7] == b'-', "{v}");
            assert!(b[4..7].iter().all(u8::is_ascii_uppercase), "{v}");
            assert!(b[8..].iter().all(u8::is_ascii_digit), "{v}");
        }
        // `\d` means 0-9 and `\w` ASCII word characters, not every script's.
        for v in values(r"\d{4}\w{3}", 500) {
            assert!(
                v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                "{v}"
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for v in values("(CA|NY|TX)-[a-c]{1,3}x?", 500) {
            let (state, rest) = v.split_at(2);
            assert!(["CA", "NY", "TX"].contains(&state), "{v}");
            let letters = rest.trim_start_matches('-').trim_end_matches('x');
            assert!((1..=3).contains(&letters.len()), "{v}");
            seen.insert(v);
        }
        assert!(seen.len() > 50, "variety: {}", seen.len());
        // Non-ASCII literals and small classes stay as written.
        assert!(values("[äöü]é", 50)
            .iter()
            .all(|v| v.chars().count() == 2 && v.ends_with('é')));
    }

    #[test]
    fn fixed_shapes_enumerate_distinct_values() {
        let pat = Pattern::parse("(AB|CD)-[0-9]{2}[a-b]").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pat.distinct(), Some(2 * 100 * 2));
        let all: std::collections::HashSet<String> = (0..400)
            .map(|i| {
                let mut out = Vec::new();
                pat.nth(i, &mut out);
                String::from_utf8(out).unwrap_or_default()
            })
            .collect();
        assert_eq!(all.len(), 400);
        assert_eq!(pat.max_chars(), 6);
        // Shapes whose choices could give the same value are not enumerated.
        for p in ["a{1,2}", "(a|aa)", "(x|y)?z", "[0-9]+"] {
            let pat = Pattern::parse(p).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(pat.distinct(), None, "{p}");
        }
    }

    #[test]
    fn bad_patterns_say_why() {
        let e = Pattern::parse("[A-Z").err().unwrap_or_default();
        assert!(e.contains("unclosed"), "{e}");
        assert!(!e.contains('\n'));
        let e = Pattern::parse(r"[\x00-\x1f]").err().unwrap_or_default();
        assert!(e.contains("no printable"), "{e}");
    }
}
