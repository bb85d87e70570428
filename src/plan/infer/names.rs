//! Column name → semantic kind, by name tokens rather than substrings:
//! `billing_email` and `customerEmail` are e-mails, `hotel_name` is not a
//! phone number (`tel`), `bank_statement` is not a state and `page_views`
//! is not an age.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use crate::generate::kinds::registry::{Class, Kind, KINDS};

/// Every kind's name patterns, split into tokens once: inferring a column's
/// kind compares token lists instead of re-splitting hundreds of patterns
/// for every column of a project.
static PATTERNS: LazyLock<Vec<(&'static Kind, &'static str, Vec<String>)>> = LazyLock::new(|| {
    KINDS
        .iter()
        .flat_map(|kind| kind.names.iter().map(move |&p| (kind, p, split(p))))
        .collect()
});

/// Indices into [`PATTERNS`] by the pattern's first token: a pattern can
/// only match a name that has its first token, so a name looks at a few
/// patterns instead of all of them.
static BY_FIRST_TOKEN: LazyLock<HashMap<&'static str, Vec<usize>>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, Vec<usize>> = HashMap::new();
    for (i, (_, _, p)) in PATTERNS.iter().enumerate() {
        if let Some(first) = p.first() {
            map.entry(first.as_str()).or_default().push(i);
        }
    }
    map
});

/// A kind matched by name, with its pattern's tokens.
type Match = (&'static Kind, &'static str, &'static [String]);

/// Names already split and matched on this thread. Column names repeat
/// across a project's tables (`id`, `name`, `created_at`; thousands of times
/// in a generated one) and planning asks about each name several times, so
/// each distinct name is split once and matched once per class.
#[derive(Default)]
struct Memo {
    tokens: HashMap<Box<str>, Rc<[String]>>,
    matches: HashMap<Box<str>, [Option<Option<Match>>; 4]>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

/// Lowercase tokens of an identifier: split at `_`, `-`, spaces, camelCase
/// humps and letter/digit boundaries; common abbreviations spelled out.
#[must_use]
pub(in crate::plan) fn tokens(name: &str) -> Rc<[String]> {
    if let Some(known) = MEMO.with_borrow(|m| m.tokens.get(name).cloned()) {
        return known;
    }
    let split: Rc<[String]> = split(name).into();
    MEMO.with_borrow_mut(|m| m.tokens.insert(name.into(), Rc::clone(&split)));
    split
}

/// [`tokens`], worked out.
fn split(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    for c in name.chars() {
        let boundary = match prev {
            None => false,
            Some(p) => {
                !c.is_alphanumeric()
                    || (p.is_lowercase() && c.is_uppercase())
                    || (p.is_alphabetic() && c.is_ascii_digit())
                    || (p.is_ascii_digit() && c.is_alphabetic())
            }
        };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        }
        prev = Some(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter().map(|t| expand(&t).to_owned()).collect()
}

/// Abbreviations that mean one of the words the kinds are named with.
fn expand(token: &str) -> &str {
    match token {
        "no" | "num" | "nbr" | "nr" => "number",
        "amt" => "amount",
        "cnt" => "count",
        "dt" => "date",
        "descr" => "description",
        "msg" => "message",
        "img" => "image",
        "pic" => "picture",
        "org" => "organization",
        "cust" => "customer",
        "acct" => "account",
        "txn" | "trx" => "transaction",
        "pct" => "percent",
        "addr" => "address",
        "qty" => "quantity",
        other => other,
    }
}

/// Whether name token `n` is pattern token `p`, allowing a plural `n`.
fn same(p: &str, n: &str) -> bool {
    n == p || (p.len() > 2 && (n.strip_suffix('s') == Some(p) || n.strip_suffix("es") == Some(p)))
}

/// The kind a column named `name` of class `class` gets, with the pattern that matched.
#[must_use]
pub(in crate::plan) fn infer(name: &str, class: Class) -> Option<(&'static Kind, &'static str)> {
    matched(name, class).map(|(k, p, _)| (k, p))
}

/// [`infer`], also giving the pattern's tokens; remembered per name and class.
fn matched(name: &str, class: Class) -> Option<Match> {
    let slot = class as usize;
    if let Some(known) = MEMO.with_borrow(|m| m.matches.get(name).and_then(|c| c[slot])) {
        return known;
    }
    let found = infer_tokens(&tokens(name), class);
    MEMO.with_borrow_mut(|m| m.matches.entry(name.into()).or_default()[slot] = Some(found));
    found
}

/// [`infer`] for a name already split into tokens.
fn infer_tokens(name_tokens: &[String], class: Class) -> Option<Match> {
    // Candidates in pattern order, so that ties go as they would in a full scan.
    let mut candidates: Vec<usize> = name_tokens
        .iter()
        .flat_map(|n| [Some(n.as_str()), n.strip_suffix('s'), n.strip_suffix("es")])
        .flatten()
        .filter_map(|first| BY_FIRST_TOKEN.get(first))
        .flatten()
        .copied()
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut best: Option<(i32, &'static Kind, &'static str, &'static [String])> = None;
    for (kind, pattern, p) in candidates
        .into_iter()
        .map(|i| &PATTERNS[i])
        .filter(|(k, _, _)| k.class == class)
    {
        let Some(score) = score(p, name_tokens) else {
            continue;
        };
        if best.is_none_or(|(s, ..)| score > s) {
            best = Some((score, kind, pattern, p));
        }
    }
    best.map(|(_, k, p, t)| (k, p, t))
}

/// Which identity of the row a kind describes: its person, its place or its company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(in crate::plan) enum Group {
    /// Names, e-mail, user name, gender.
    Person,
    /// Street, city, region, postal code, country, phone, time zone, coordinates.
    Place,
    /// Company name, domain, website.
    Company,
}

/// The identity group of a kind, if it has one.
#[must_use]
pub(in crate::plan) fn group(kind: &str) -> Option<Group> {
    Some(match kind {
        "first_name" | "last_name" | "middle_name" | "full_name" | "email" | "username"
        | "gender" | "initials" => Group::Person,
        "street_address" | "address_line_2" | "building_number" | "city" | "state"
        | "state_code" | "postal_code" | "country" | "country_code" | "timezone" | "latitude"
        | "longitude" | "phone" | "mobile_phone" => Group::Place,
        "company" | "domain" | "url" => Group::Company,
        _ => return None,
    })
}

/// The words of `name` before the part its kind matched (`shipping` in
/// `shipping_city`), with the kind, for any class.
#[must_use]
pub(in crate::plan) fn prefix_and_kind(name: &str) -> Option<(Vec<String>, &'static Kind)> {
    let n = tokens(name);
    [Class::Text, Class::Number, Class::Time, Class::Bool]
        .into_iter()
        .find_map(|class| matched(name, class))
        .map(|(kind, _, p)| {
            let start = (0..=n.len().saturating_sub(p.len()))
                .rev()
                .find(|&s| p.iter().zip(&n[s..]).all(|(a, b)| same(a, b)))
                .unwrap_or(0);
            (n[..start].to_vec(), kind)
        })
}

/// Whose identity a column describes: 0 for the row's own person, place or
/// company; the hash of its prefix when another column of the same group
/// shares that prefix (`shipping_street` + `shipping_city` describe a second
/// place, `emergency_contact_first_name` + `emergency_contact_phone` a second
/// person).
#[must_use]
pub(in crate::plan) fn who(name: &str, siblings: &[&str]) -> u64 {
    let Some((prefix, g)) = prefix_and_group(name) else {
        return 0;
    };
    let shared = siblings
        .iter()
        .filter(|s| **s != name)
        .any(|s| prefix_and_group(s).is_some_and(|(p, h)| p == prefix && h == g));
    if shared {
        crate::generate::rng::hash_bytes(prefix.join("_").as_bytes())
    } else {
        0
    }
}

/// [`who`] for every column of a table at once, in one pass over its
/// columns rather than one per column.
#[must_use]
pub(in crate::plan) fn whos(names: &[&str]) -> Vec<u64> {
    let keys: Vec<Option<(Vec<String>, Group)>> =
        names.iter().map(|n| prefix_and_group(n)).collect();
    let mut columns: HashMap<(&[String], Group), usize> = HashMap::new();
    for (prefix, g) in keys.iter().flatten() {
        *columns.entry((prefix.as_slice(), *g)).or_default() += 1;
    }
    keys.iter()
        .map(|key| match key {
            Some((prefix, g))
                if columns
                    .get(&(prefix.as_slice(), *g))
                    .is_some_and(|&n| n > 1) =>
            {
                crate::generate::rng::hash_bytes(prefix.join("_").as_bytes())
            }
            _ => 0,
        })
        .collect()
}

/// A column's name prefix and identity group, when it has both.
fn prefix_and_group(name: &str) -> Option<(Vec<String>, Group)> {
    let (prefix, kind) = prefix_and_kind(name)?;
    let g = group(kind.name)?;
    (!prefix.is_empty()).then_some((prefix, g))
}

/// How well pattern tokens `p` describe name tokens `n`: longer patterns,
/// and matches at the end (the head noun: `shipping_city`), score higher.
fn score(p: &[String], n: &[String]) -> Option<i32> {
    if p.is_empty() || p.len() > n.len() {
        return None;
    }
    let mut best = None;
    for start in 0..=n.len() - p.len() {
        if p.iter().zip(&n[start..]).all(|(a, b)| same(a, b)) {
            let end = start + p.len();
            let len = i32::try_from(p.len()).unwrap_or(9);
            let after = i32::try_from(n.len() - end).unwrap_or(9);
            let mut s = 10 * len - 3 * after;
            if end == n.len() {
                s += 6;
            }
            if start == 0 && end == n.len() {
                s += 3;
            }
            best = best.max(Some(s));
        }
    }
    // Trailing words that only say "when" (`shipped_at`, `created_on`) do not weaken a match.
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, class: Class) -> Option<&'static str> {
        infer(name, class).map(|(k, _)| k.name)
    }

    #[test]
    fn prefixes_make_a_second_identity_only_in_groups() {
        let cols = [
            "first_name",
            "billing_email",
            "shipping_street",
            "shipping_city",
            "city",
        ];
        assert_eq!(who("billing_email", &cols), 0, "the customer's own e-mail");
        assert_eq!(who("city", &cols), 0);
        assert_ne!(who("shipping_city", &cols), 0);
        assert_eq!(who("shipping_city", &cols), who("shipping_street", &cols));
    }

    #[test]
    fn tokens_split_case_separators_and_digits() {
        assert_eq!(
            *tokens("customerPhoneNumber"),
            ["customer", "phone", "number"]
        );
        assert_eq!(*tokens("address_line1"), ["address", "line", "1"]);
        assert_eq!(*tokens("ORDER-NO"), ["order", "number"]);
        assert_eq!(*tokens("icd10_code"), ["icd", "10", "code"]);
        // Remembered: a second call gives the same split.
        assert_eq!(*tokens("ORDER-NO"), ["order", "number"]);
    }

    /// Column names → kinds, including the ones substring matching got wrong.
    #[test]
    fn indexed_inference_matches_a_full_scan() {
        let mut names: Vec<String> = PATTERNS
            .iter()
            .flat_map(|(_, p, _)| [p.replace(' ', "_"), format!("{}s", p.replace(' ', "_"))])
            .collect();
        names.extend(
            [
                "shipping_cities",
                "billing_addresses",
                "statuses",
                "col_1",
                "x",
                "ORDER-NO",
            ]
            .map(String::from),
        );
        for name in &names {
            let n = tokens(name);
            for class in [Class::Text, Class::Number, Class::Time, Class::Bool] {
                let mut full: Option<(i32, &str, &str)> = None;
                for (kind, pattern, p) in PATTERNS.iter().filter(|(k, _, _)| k.class == class) {
                    if let Some(score) = score(p, &n) {
                        if full.is_none_or(|(s, ..)| score > s) {
                            full = Some((score, kind.name, pattern));
                        }
                    }
                }
                assert_eq!(
                    infer(name, class).map(|(k, p)| (k.name, p)),
                    full.map(|(_, k, p)| (k, p)),
                    "{name} {class:?}"
                );
            }
        }
    }

    #[test]
    fn identities_of_a_whole_table_match_one_column_at_a_time() {
        let cols = [
            "first_name",
            "billing_email",
            "shipping_street",
            "shipping_city",
            "city",
            "emergency_contact_first_name",
            "emergency_contact_phone",
            "work_phone",
        ];
        let each: Vec<u64> = cols.iter().map(|c| who(c, &cols)).collect();
        assert_eq!(whos(&cols), each);
        assert_eq!(each.iter().filter(|&&w| w != 0).count(), 2, "{each:?}");
    }

    #[test]
    fn inference_table() {
        use Class::{Bool, Number, Text, Time};
        let cases: &[(&str, Class, Option<&str>)] = &[
            ("email", Text, Some("email")),
            ("published_at", Time, Some("completed_at")),
            ("submitted_at", Time, Some("completed_at")),
            ("view_count", Number, Some("counter")),
            ("followers_count", Number, Some("counter")),
            ("billing_email", Text, Some("email")),
            ("customerEmail", Text, Some("email")),
            ("first_name", Text, Some("first_name")),
            ("shipping_city", Text, Some("city")),
            ("customer_phone_number", Text, Some("phone")),
            ("hotel_name", Text, Some("name")),
            ("bank_statement", Text, None),
            ("statement", Text, None),
            ("icd10_code", Text, Some("code")),
            ("zip", Text, Some("postal_code")),
            ("postcode", Text, Some("postal_code")),
            ("address_line2", Text, Some("address_line_2")),
            ("address_line_1", Text, Some("street_address")),
            ("iban", Text, Some("iban")),
            ("card_number", Text, Some("card_number")),
            ("password_hash", Text, Some("password_hash")),
            ("user_agent", Text, Some("user_agent")),
            ("payment_method", Text, Some("payment_method")),
            ("http_method", Text, Some("http_method")),
            // Prose: each column reads like what is written in it (#10).
            ("notes", Text, Some("note")),
            ("internal_notes", Text, Some("note")),
            ("remarks", Text, Some("note")),
            ("description", Text, Some("description")),
            ("short_description", Text, Some("description")),
            ("product_description", Text, Some("product_description")),
            ("itemDescription", Text, Some("product_description")),
            ("review", Text, Some("review_text")),
            ("review_text", Text, Some("review_text")),
            ("review_body", Text, Some("review_text")),
            ("customer_feedback", Text, Some("review_text")),
            ("review_title", Text, Some("review_title")),
            ("comment", Text, Some("comment")),
            ("comments", Text, Some("comment")),
            ("message", Text, Some("comment")),
            ("msg_body", Text, Some("comment")),
            ("body", Text, Some("comment")),
            ("content", Text, Some("comment")),
            ("content_type", Text, Some("mime_type")),
            ("bio", Text, Some("bio")),
            ("author_bio", Text, Some("bio")),
            ("about_me", Text, Some("bio")),
            ("profile", Text, Some("bio")),
            ("profile_image", Text, Some("avatar_url")),
            ("instructions", Text, Some("instructions")),
            ("delivery_instructions", Text, Some("instructions")),
            ("delivery_notes", Text, Some("instructions")),
            ("reason", Text, Some("reason")),
            ("cancel_reason", Text, Some("reason")),
            ("refund_reason", Text, Some("reason")),
            ("cancellationReason", Text, Some("reason")),
            ("reason_code", Text, Some("code")),
            ("title", Text, Some("title")),
            ("post_title", Text, Some("title")),
            ("subject", Text, Some("title")),
            ("issue_title", Text, Some("ticket_title")),
            ("task_name", Text, Some("ticket_title")),
            ("job_title", Text, Some("job_title")),
            ("product_title", Text, Some("product_name")),
            ("tag", Text, Some("word")),
            ("keywords", Text, Some("word")),
            ("status", Text, Some("status")),
            ("page_views", Number, Some("counter")),
            ("mileage", Number, Some("counter")),
            ("age", Number, Some("age")),
            ("unit_price", Number, Some("price")),
            ("total_amount", Number, Some("price")),
            ("latitude", Number, Some("latitude")),
            ("stage", Number, None),
            ("birth_date", Time, Some("birth_date")),
            ("dob", Time, Some("birth_date")),
            ("deleted_at", Time, Some("deleted_at")),
            ("expires_at", Time, Some("expires_at")),
            ("shipped_at", Time, Some("completed_at")),
            ("updated_at", Time, Some("updated_at")),
            ("is_active", Bool, Some("is_active")),
            ("email_verified", Bool, Some("is_active")),
            ("is_deleted", Bool, Some("is_deleted")),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(n, c, want)| kind(n, *c) != *want)
            .map(|(n, c, want)| format!("{n} ({c:?}): got {:?}, want {want:?}", kind(n, *c)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
