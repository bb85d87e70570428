//! Counters: serial, identity and key columns counting 1, 2, 3..., and
//! columns whose default draws from a stand-alone sequence
//! (`"default": "nextval('public.ticket_no'::regclass)"`), which get the
//! values that sequence would have handed out: `start`, `start + increment`,
//! ..., continuing from one column to the next in table order when several
//! share it. The plan remembers the last value given, so that the dump's
//! `setval` makes the next `nextval` follow the data instead of repeating it.
//! Every counter must stay within its column's type and CHECK bounds.

use crate::error::Problem;
use crate::generate::distribution;
use crate::generate::ValueGen;
use crate::schema::{Column, Schema, Sequence};
use crate::value::ValueFormat;

use super::bounds;
use super::infer::{format_of, null_gen, numeric_base, Rules};

/// The stand-alone sequence a column's default calls `nextval` on, as an
/// index into `Schema::sequences`.
pub(super) fn default_sequence(schema: &Schema, col: &Column) -> Option<usize> {
    let (schema_name, name) = nextval_target(col.default.as_deref()?)?;
    let mut found =
        schema.sequences.iter().enumerate().filter(|(_, s)| {
            s.name == name && schema_name.as_ref().is_none_or(|sn| *sn == s.schema)
        });
    let (i, _) = found.next()?;
    // A bare name that more than one schema has is ambiguous: leave it alone.
    found.next().is_none().then_some(i)
}

/// The values taken from each stand-alone sequence so far.
#[derive(Debug)]
pub(super) struct SequenceUse {
    taken: Vec<u64>,
}

impl SequenceUse {
    /// No values taken yet.
    pub(super) fn new(schema: &Schema) -> Self {
        Self {
            taken: vec![0; schema.sequences.len()],
        }
    }

    /// Takes `rows` values of sequence `seq`; returns how many came before.
    pub(super) fn take(&mut self, seq: usize, rows: u64) -> u64 {
        let before = self.taken[seq];
        self.taken[seq] = before.saturating_add(rows);
        before
    }

    /// Per sequence of the schema: the last value the data took from it,
    /// when it took any.
    pub(super) fn last_values(&self, schema: &Schema) -> Vec<Option<i64>> {
        schema
            .sequences
            .iter()
            .zip(&self.taken)
            .map(|(s, &n)| {
                let last = nth(s, n.checked_sub(1)?);
                i64::try_from(last).ok()
            })
            .collect()
    }
}

/// The `n`-th value (from 0) sequence `s` gives.
pub(super) fn nth(s: &Sequence, n: u64) -> i128 {
    i128::from(s.start) + i128::from(s.increment) * i128::from(n)
}

/// The lowest and highest values sequence `s` may give (PostgreSQL's
/// defaults for an ascending or descending `bigint` sequence).
pub(super) fn limits(s: &Sequence) -> (i64, i64) {
    let ascending = s.increment > 0;
    (
        s.min.unwrap_or(if ascending { 1 } else { i64::MIN }),
        s.max.unwrap_or(if ascending { i64::MAX } else { -1 }),
    )
}

/// What keeps a column from counting `first..=last` over `rows` rows: the
/// range of its type, or its CHECK bounds.
pub(super) fn counter_problem(
    schema: &Schema,
    col: &Column,
    rule: &Rules,
    (first, last): (i128, i128),
    rows: u64,
    per_parent: bool,
) -> Option<Problem> {
    if rows == 0 {
        return None;
    }
    let base = numeric_base(schema, &col.ty)?;
    let scale = match format_of(schema, &col.ty) {
        ValueFormat::Numeric { scale } => scale,
        _ => 0,
    };
    let factor = 10i128.checked_pow(scale).unwrap_or(i128::MAX);
    let (lo, hi) = (first.min(last), first.max(last));
    let (lo_s, hi_s) = (lo.saturating_mul(factor), hi.saturating_mul(factor));
    let counts = if per_parent {
        format!(
            "`{}` counts from {first} to {last} within a parent row",
            col.name
        )
    } else {
        format!(
            "`{}` counts from {first} to {last} over {rows} rows",
            col.name
        )
    };
    let (type_lo, type_hi) = bounds::fixed_type_range(Some(base), scale);
    if lo_s < type_lo || hi_s > type_hi {
        #[allow(clippy::cast_precision_loss)]
        let limit = if hi_s > type_hi {
            format!("up to {}", type_hi as f64 / factor as f64)
        } else {
            format!("down to {}", type_lo as f64 / factor as f64)
        };
        return Some(
            Problem::new(
                &col.pointer,
                format!("{counts}, beyond what `{base}` can hold ({limit})"),
            )
            .hint("lower the row count, or widen the column's type (`integer`, `bigint`)"),
        );
    }
    let (check_lo, check_hi) = bounds::fixed(&rule.lower, &rule.upper, scale);
    if check_lo.is_some_and(|c| lo_s < c) || check_hi.is_some_and(|c| hi_s > c) {
        return Some(
            Problem::new(
                &col.pointer,
                format!("{counts}, which its checks do not allow"),
            )
            .hint("lower the row count, or change the check"),
        );
    }
    None
}

/// A column whose default is `nextval` of stand-alone sequence `seq`: the
/// values the sequence would give, after those earlier columns took.
pub(super) fn from_sequence(
    schema: &Schema,
    col: &Column,
    rule: &Rules,
    seq: usize,
    rows: u64,
    uses: &mut SequenceUse,
    problems: &mut Vec<Problem>,
) -> Box<dyn ValueGen> {
    let s = &schema.sequences[seq];
    let before = uses.take(seq, rows);
    let first = nth(s, before);
    let last = nth(s, before.saturating_add(rows.saturating_sub(1)));
    let (min, max) = limits(s);
    if rows > 0 && (first.min(last) < i128::from(min) || first.max(last) > i128::from(max)) {
        let shared = if before > 0 {
            format!(" (after the {before} values earlier columns took)")
        } else {
            String::new()
        };
        problems.push(
            Problem::new(
                &col.pointer,
                format!(
                    "`{}` takes its values from sequence `{}` (its default), which would run from {first} to {last} over {rows} rows{shared}, outside its limits ({min} to {max})",
                    col.name, s.name
                ),
            )
            .hint("lower the row count, widen the sequence's `min`/`max`, or give the column an explicit generator"),
        );
        return null_gen();
    }
    if let Some(p) = counter_problem(schema, col, rule, (first, last), rows, false) {
        problems.push(p);
        return null_gen();
    }
    // Numeric columns hold units of their last digit.
    let factor = match format_of(schema, &col.ty) {
        ValueFormat::Numeric { scale } => 10i128.checked_pow(scale).unwrap_or(i128::MAX),
        _ => 1,
    };
    let start = i64::try_from(first.saturating_mul(factor));
    let step = i64::try_from(i128::from(s.increment).saturating_mul(factor));
    match (start, step) {
        (Ok(start), Ok(step)) => Box::new(distribution::Sequence { start, step }),
        _ => {
            problems.push(
                Problem::new(
                    &col.pointer,
                    format!(
                        "pgmock cannot write the values of sequence `{}` into `{}`",
                        s.name, col.name
                    ),
                )
                .hint("give the column an explicit generator"),
            );
            null_gen()
        }
    }
}

/// `(schema, name)` of `nextval('[schema.]name'[::regclass])`, with
/// unquoted parts folded to lower case as the server folds them.
fn nextval_target(default: &str) -> Option<(Option<String>, String)> {
    let d = default.trim();
    let head = d.get(..8)?;
    if !head.eq_ignore_ascii_case("nextval(") {
        return None;
    }
    let inner = d[8..].strip_suffix(')')?.trim();
    let inner = match inner.len().checked_sub(10) {
        Some(i) if inner.get(i..)?.eq_ignore_ascii_case("::regclass") => inner[..i].trim_end(),
        _ => inner,
    };
    let text = inner
        .strip_prefix('\'')?
        .strip_suffix('\'')?
        .replace("''", "'");
    let mut parts = identifiers(&text)?;
    match parts.len() {
        1 => Some((None, parts.pop()?)),
        2 => {
            let name = parts.pop()?;
            Some((parts.pop(), name))
        }
        _ => None,
    }
}

/// Splits `a."B".c` into its identifiers.
fn identifiers(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.extend(c.to_lowercase());
                chars.next();
            }
            if part.is_empty() || part.contains(|c: char| c.is_whitespace() || c == '"') {
                return None;
            }
        }
        out.push(part);
        match chars.next() {
            None => return Some(out),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::nextval_target;

    #[test]
    fn nextval_defaults_name_their_sequence() {
        let t = |s: &str| nextval_target(s);
        assert_eq!(
            t("nextval('public.ticket_no'::regclass)"),
            Some((Some("public".into()), "ticket_no".into()))
        );
        assert_eq!(t("NEXTVAL('Ticket_No')"), Some((None, "ticket_no".into())));
        assert_eq!(
            t("nextval('\"App\".\"Ticket\"'::REGCLASS)"),
            Some((Some("App".into()), "Ticket".into()))
        );
        assert_eq!(t("nextval('a.b.c')"), None);
        assert_eq!(t("now()"), None);
        assert_eq!(t("'T-' || nextval('x')"), None);
    }
}
