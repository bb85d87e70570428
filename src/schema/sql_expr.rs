//! A lexical look at the SQL expressions a project writes as text (CHECKs,
//! defaults, generated columns, index expressions and predicates), so that
//! what the server would refuse is refused before any row is written.
//!
//! pgmock does not parse SQL expressions fully; it splits them into tokens,
//! which is enough to find unbalanced parentheses and quotes, a `;` or a `--`
//! comment that would break the statement pgmock writes the expression into,
//! nesting deeper than PostgreSQL's parser takes, names that are not columns,
//! and calls of functions that neither PostgreSQL nor a declared extension
//! provides. Anything it cannot judge (qualified names, unknown extensions)
//! it lets through: a false alarm would refuse a valid project.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Deepest nesting of parentheses and brackets accepted. PostgreSQL's parser
/// gives up ("memory exhausted") somewhere past a few thousand levels inside
/// a statement; no real expression comes near this.
pub const MAX_DEPTH: usize = 200;

/// Most operators (and `AND`/`OR`) in one expression: a chain of a few
/// thousand makes the server run out of stack ("stack depth limit exceeded").
pub const MAX_OPERATORS: usize = 1000;

/// PostgreSQL's keywords (releases 15 to 18, from `pg_get_keywords()` and
/// `kwlist.h`), with their category: `U` unreserved and `C` may also name
/// columns; `T` and `R` never do.
static KEYWORDS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    lines(include_str!("pg_names/keywords.txt"))
        .filter_map(|l| l.split_once(' '))
        .collect()
});

/// Functions whose first argument must be text (or a type with an implicit
/// cast to it): `lower(age)` on a number is refused by the server.
const TEXT_FUNCTIONS: &[&str] = &[
    "lower",
    "upper",
    "initcap",
    "btrim",
    "ltrim",
    "rtrim",
    "left",
    "right",
    "substr",
    "replace",
    "split_part",
    "regexp_replace",
    "regexp_match",
    "regexp_matches",
    "regexp_like",
    "regexp_count",
    "regexp_substr",
    "strpos",
    "starts_with",
    "lpad",
    "rpad",
    "reverse",
    "ascii",
    "char_length",
    "character_length",
    "length",
    "md5",
    "translate",
    "concat_ws",
];

/// Names of the functions in `pg_catalog` of PostgreSQL 15 to 18.
static FUNCTIONS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lines(include_str!("pg_names/functions.txt")).collect());

/// Functions of `pg_catalog` none of whose forms is IMMUTABLE (`now`,
/// `random`, `to_char`): an index or a generated column cannot use them.
static NOT_IMMUTABLE: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lines(include_str!("pg_names/not_immutable_functions.txt")).collect());

/// Keywords that read the clock or the session, so are not immutable either.
const NOT_IMMUTABLE_KEYWORDS: &[&str] = &[
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "current_user",
    "session_user",
    "user",
    "current_role",
    "current_schema",
    "current_catalog",
    "system_user",
];

/// Functions of the extensions shipped with PostgreSQL (contrib), by extension.
static EXTENSION_FUNCTIONS: LazyLock<HashMap<&'static str, Vec<&'static str>>> =
    LazyLock::new(|| {
        let mut by_ext: HashMap<&str, Vec<&str>> = HashMap::new();
        for line in lines(include_str!("pg_names/extension_functions.txt")) {
            if let Some((ext, f)) = line.split_once(' ') {
                by_ext.entry(ext).or_default().push(f);
            }
        }
        by_ext
    });

fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A column an expression may name.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// Its name, exactly.
    pub name: &'a str,
    /// Whether it holds text (`text`, `varchar`, `char`, `citext`, or a
    /// domain over them), which string functions and `~`/`LIKE` need.
    pub text: bool,
}

/// Where an expression is used: what its bare names may refer to.
#[derive(Debug, Clone, Copy)]
pub enum Context<'a> {
    /// A CHECK, generated column or index of a table: names are its columns.
    Columns(&'a [Column<'a>]),
    /// An index expression or predicate, or a generated column: names are
    /// the table's columns, and every function must be IMMUTABLE.
    Immutable(&'a [Column<'a>]),
    /// A DEFAULT (of a column or a domain): no column may be read.
    Default(&'a [Column<'a>]),
    /// A domain CHECK: only `VALUE` (a keyword).
    Domain,
}

/// What is wrong with an expression, with a hint where one is obvious.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flaw {
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// A suggestion.
    pub hint: Option<String>,
}

impl Flaw {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// An unquoted name, lowercased as the server folds it.
    Word(String),
    /// A double-quoted name, exactly.
    Quoted(String),
    /// A string constant (any quoting).
    Str,
    /// A number.
    Num,
    /// `(`, `)`, `[`, `]`, `,`, `.`, `::`.
    Punct(&'static str),
    /// Any other operator.
    Op(String),
    /// `$1` and the like.
    Param,
}

fn tokenize(text: &str) -> Result<Vec<Tok>, Flaw> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => {
                return Err(Flaw::new("the expression holds a `--` comment")
                    .hint("pgmock writes the expression inside a statement, where the comment would swallow the rest of the line: remove it (or use `/* ... */`)"));
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest in PostgreSQL.
                let mut depth = 0usize;
                loop {
                    if i + 1 >= b.len() {
                        return Err(Flaw::new("a `/*` comment is not closed"));
                    }
                    if b[i] == b'/' && b[i + 1] == b'*' {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b[i + 1] == b'/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b';' => {
                return Err(Flaw::new("the expression holds a `;`")
                    .hint("write one expression, without `;`"));
            }
            b'\'' => {
                i = string_end(b, i, false)?;
                out.push(Tok::Str);
            }
            b'"' => {
                let start = i + 1;
                let mut name = Vec::new();
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(Flaw::new("a double-quoted name is not closed")),
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => {
                            name.push(b'"');
                            i += 2;
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(&x) => {
                            name.push(x);
                            i += 1;
                        }
                    }
                }
                let _ = start;
                out.push(Tok::Quoted(String::from_utf8_lossy(&name).into_owned()));
            }
            b'$' => {
                // `$1` parameter, or a dollar-quoted string `$tag$...$tag$`.
                let mut j = i + 1;
                if b.get(j).is_some_and(u8::is_ascii_digit) {
                    while b.get(j).is_some_and(u8::is_ascii_digit) {
                        j += 1;
                    }
                    out.push(Tok::Param);
                    i = j;
                    continue;
                }
                while b
                    .get(j)
                    .is_some_and(|x| x.is_ascii_alphanumeric() || *x == b'_' || *x >= 0x80)
                {
                    j += 1;
                }
                if b.get(j) != Some(&b'$') {
                    return Err(Flaw::new("a stray `$` in the expression"));
                }
                let tag = &b[i..=j];
                let body = j + 1;
                let Some(end) = b[body..].windows(tag.len()).position(|w| w == tag) else {
                    return Err(Flaw::new("a dollar-quoted string is not closed"));
                };
                i = body + end + tag.len();
                out.push(Tok::Str);
            }
            b'0'..=b'9' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.')
                {
                    // `1e-5`: the sign belongs to the exponent.
                    if (b[i] == b'e' || b[i] == b'E') && matches!(b.get(i + 1), Some(b'+' | b'-')) {
                        i += 1;
                    }
                    // `1..2` is not a number: stop before a second dot pair.
                    if b[i] == b'.' && b.get(i + 1) == Some(&b'.') {
                        break;
                    }
                    i += 1;
                }
                out.push(Tok::Num);
            }
            b'.' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.push(Tok::Num);
            }
            b'(' | b')' | b'[' | b']' | b',' | b'.' => {
                out.push(Tok::Punct(match c {
                    b'(' => "(",
                    b')' => ")",
                    b'[' => "[",
                    b']' => "]",
                    b',' => ",",
                    _ => ".",
                }));
                i += 1;
            }
            b':' if b.get(i + 1) == Some(&b':') => {
                out.push(Tok::Punct("::"));
                i += 2;
            }
            x if x.is_ascii_alphabetic() || x == b'_' || x >= 0x80 => {
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &text[start..i];
                // String constants with a prefix: E'..', B'..', X'..', N'..', U&'..'.
                let lower = word.to_ascii_lowercase();
                if b.get(i) == Some(&b'\'') && matches!(lower.as_str(), "e" | "b" | "x" | "n") {
                    i = string_end(b, i, lower == "e")?;
                    out.push(Tok::Str);
                    continue;
                }
                if lower == "u" && b.get(i) == Some(&b'&') && b.get(i + 1) == Some(&b'\'') {
                    i = string_end(b, i + 1, false)?;
                    out.push(Tok::Str);
                    continue;
                }
                out.push(Tok::Word(lower));
            }
            _ => {
                // Operators: a run of operator characters is one operator.
                let start = i;
                while i < b.len() && b"+-*/<>=~!@#%^&|`?:".contains(&b[i]) {
                    if b[i] == b'-' && b.get(i + 1) == Some(&b'-') && i > start {
                        break;
                    }
                    i += 1;
                }
                if i == start {
                    // A character of no meaning in SQL; let the server judge it.
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                }
                out.push(Tok::Op(text[start..i].to_owned()));
            }
        }
    }
    Ok(out)
}

/// The index just past the string constant starting at `b[start]` (a `'`).
fn string_end(b: &[u8], start: usize, backslashes: bool) -> Result<usize, Flaw> {
    let mut i = start + 1;
    loop {
        match b.get(i) {
            None => {
                return Err(Flaw::new("a quoted string is not closed")
                    .hint("write a quote inside a string twice: 'it''s'"));
            }
            Some(b'\\') if backslashes => i += 2,
            Some(b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
            Some(b'\'') => return Ok(i + 1),
            Some(_) => i += 1,
        }
    }
}

/// Checks one expression in its context; `extensions` are the declared ones.
///
/// # Errors
/// The first flaw found.
pub fn check(text: &str, context: Context<'_>, extensions: &[&str]) -> Result<(), Flaw> {
    check_with_types(text, context, extensions, &[])
}

/// [`check`], also knowing the project's own types and the extensions'
/// (`(name, schema)`): a cast to one of them must name its schema, because the
/// dump runs with an empty `search_path`.
///
/// # Errors
/// The first flaw found.
pub fn check_with_types(
    text: &str,
    context: Context<'_>,
    extensions: &[&str],
    types: &[(&str, &str)],
) -> Result<(), Flaw> {
    let toks = tokenize(text)?;
    if toks.is_empty() {
        return Err(Flaw::new("the expression is empty"));
    }
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut stack: Vec<&str> = Vec::new();
    for t in &toks {
        match t {
            Tok::Punct(open @ ("(" | "[")) => {
                stack.push(open);
                depth = depth.max(stack.len());
            }
            Tok::Punct(close @ (")" | "]")) => {
                let want = if *close == ")" { "(" } else { "[" };
                if stack.pop() != Some(want) {
                    return Err(Flaw::new(format!(
                        "a `{close}` has no matching opening one"
                    )));
                }
            }
            Tok::Op(_) => operators += 1,
            Tok::Word(w) if w == "and" || w == "or" => operators += 1,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(Flaw::new(format!("a `{open}` is not closed")));
    }
    if depth > MAX_DEPTH {
        return Err(Flaw::new(format!(
            "the expression is nested {depth} levels deep; PostgreSQL's parser fails on very deep nesting (pgmock takes at most {MAX_DEPTH})"
        ))
        .hint("simplify the expression"));
    }
    if operators > MAX_OPERATORS {
        return Err(Flaw::new(format!(
            "the expression chains {operators} operators; the server runs out of stack on long chains (pgmock takes at most {MAX_OPERATORS})"
        ))
        .hint("simplify the expression, e.g. `x IN (...)` for a long chain of `OR`"));
    }
    for (i, t) in toks.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| &toks[j]);
        let next = toks.get(i + 1);
        let (name, quoted) = match t {
            Tok::Word(w) => (w.as_str(), false),
            Tok::Quoted(q) => (q.as_str(), true),
            _ => continue,
        };
        // Qualified names (`schema.f(...)`, `t.col`), type names after `::`,
        // `AS` or `COLLATE`, and typed literals (`uuid '...'`) are not judged.
        let after_qualifier = matches!(prev, Some(Tok::Punct(".")));
        let before_qualifier = matches!(next, Some(Tok::Punct(".")));
        let type_position = matches!(prev, Some(Tok::Punct("::")))
            || matches!(prev, Some(Tok::Word(w)) if w == "as" || w == "collate");
        // Named arguments (`make_interval(months => 3)`) are not names either.
        let argument_name = matches!(next, Some(Tok::Op(o)) if o == "=>" || o == ":=");
        if type_position && !before_qualifier {
            if let Some((_, schema)) = types.iter().find(|(t, _)| *t == name) {
                return Err(Flaw::new(format!("the type `{name}` is named without its schema"))
                    .hint(format!(
                        "the dump runs with an empty search_path, as pg_dump's does: write `{schema}.{name}`"
                    )));
            }
        }
        if after_qualifier || type_position || argument_name || matches!(next, Some(Tok::Str)) {
            continue;
        }
        if before_qualifier {
            // `customers.id`: a column of some table, which a default cannot read.
            let call = matches!(toks.get(i + 3), Some(Tok::Punct("(")));
            if let (Context::Default(_), false) = (context, call) {
                if let Some(Tok::Word(field) | Tok::Quoted(field)) = toks.get(i + 2) {
                    return Err(Flaw::new(format!(
                        "a DEFAULT cannot read columns (`{name}.{field}`)"
                    ))
                    .hint("a default is a constant or a function call; use a foreign key or `from` to copy a parent's value"));
                }
            }
            if let (Some(Tok::Word(schema)), Some(Tok::Word(f)), Some(Tok::Punct("("))) =
                (Some(t), toks.get(i + 2), toks.get(i + 3))
            {
                if schema == "pg_catalog" && !FUNCTIONS.contains(f.as_str()) {
                    return Err(unknown_function(f, extensions));
                }
            }
            continue;
        }
        if let Context::Immutable(_) = context {
            let clock = !quoted && NOT_IMMUTABLE_KEYWORDS.contains(&name);
            let call = matches!(next, Some(Tok::Punct("("))) && NOT_IMMUTABLE.contains(name);
            if clock || call {
                return Err(Flaw::new(format!(
                    "`{name}` is not IMMUTABLE (its result changes with time, the session or the call), so an index or a generated column cannot use it"
                ))
                .hint("index or generate from the columns themselves, or take the value as a plain column"));
            }
        }
        if matches!(next, Some(Tok::Punct("("))) {
            // `varchar(2)` outside a cast is a syntax error (unless a typed
            // literal follows: `timestamp(3) '2024-01-31'`).
            if !quoted && TYPE_KEYWORDS.contains(&name) && !typed_literal(&toks[i + 1..]) {
                return Err(
                    Flaw::new(format!("`{name}(...)` is a type, not a function"))
                        .hint(format!("to convert a value, cast it: `value::{name}(...)`")),
                );
            }
            if !quoted && KEYWORDS.contains_key(name) {
                continue;
            }
            if FUNCTIONS.contains(name) {
                if let Some(flaw) = text_argument(name, &toks[i + 2..], context) {
                    return Err(flaw);
                }
                continue;
            }
            if let Some(ext) = extension_of(name) {
                if extensions.contains(&ext) {
                    return Err(Flaw::new(format!(
                        "`{name}` of extension `{ext}` is called without its schema"
                    ))
                    .hint(format!(
                        "the dump runs with an empty search_path, as pg_dump's does: write `public.{name}(...)` (the extension's schema)"
                    )));
                }
                return Err(unknown_function(name, extensions));
            }
            // An extension pgmock has no list for may provide it.
            if extensions
                .iter()
                .any(|e| !EXTENSION_FUNCTIONS.contains_key(e))
            {
                continue;
            }
            return Err(unknown_function(name, extensions));
        }
        let columns: &[Column<'_>] = match context {
            Context::Columns(c) | Context::Immutable(c) | Context::Default(c) => c,
            Context::Domain => &[],
        };
        let column = columns.iter().find(|c| c.name == name);
        // Unreserved keywords may name columns (`label`, `year`); reserved ones never do.
        if let (false, Some(category)) = (quoted, KEYWORDS.get(name)) {
            if column.is_none() || matches!(*category, "R" | "T") {
                continue;
            }
        }
        if let (Some(c), Context::Columns(_) | Context::Immutable(_)) = (column, context) {
            if !c.text && is_text_operator(next, toks.get(i + 2)) {
                return Err(Flaw::new(format!(
                    "`{name}` is not text, and pattern matching (`~`, `LIKE`) needs text"
                ))
                .hint(format!("cast it: `{name}::text`")));
            }
            continue;
        }
        match context {
            Context::Columns(_) | Context::Immutable(_) => {
                let names = columns.iter().map(|c| c.name);
                let hint = crate::diagnostic::did_you_mean(name, names)
                    .map(|s| format!("did you mean `{s}`?"));
                let mut flaw = Flaw::new(format!("`{name}` is not a column of the table"));
                if let Some(c) = columns
                    .iter()
                    .find(|c| !quoted && c.name.to_lowercase() == name)
                {
                    flaw = flaw.hint(format!(
                        "unquoted names are folded to lower case: write `\"{}\"` in double quotes",
                        c.name
                    ));
                } else if let Some(h) = hint {
                    flaw = flaw.hint(h);
                }
                return Err(flaw);
            }
            Context::Default(_) => {
                return Err(if column.is_some() {
                    Flaw::new(format!("a DEFAULT cannot read column `{name}`")).hint(
                        "use `generated` (or `derive`) for a value computed from other columns",
                    )
                } else {
                    Flaw::new(format!(
                        "`{name}` is not a name PostgreSQL knows in a DEFAULT"
                    ))
                    .hint("write text in single quotes: 'like this'")
                });
            }
            Context::Domain => {
                return Err(Flaw::new(format!(
                    "a domain CHECK reads only `VALUE`, not `{name}`"
                )));
            }
        }
    }
    Ok(())
}

/// Type names that are keywords: followed by `(`, they take modifiers, not arguments.
const TYPE_KEYWORDS: &[&str] = &[
    "bigint",
    "bit",
    "boolean",
    "char",
    "character",
    "dec",
    "decimal",
    "float",
    "int",
    "integer",
    "interval",
    "nchar",
    "numeric",
    "real",
    "smallint",
    "time",
    "timestamp",
    "varchar",
];

/// Whether `(...)` starting at `toks[0]` is followed by a string constant.
fn typed_literal(toks: &[Tok]) -> bool {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Punct("(") => depth += 1,
            Tok::Punct(")") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return matches!(toks.get(i + 1), Some(Tok::Str));
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether the tokens after a column compare it with a pattern.
fn is_text_operator(next: Option<&Tok>, after: Option<&Tok>) -> bool {
    match next {
        Some(Tok::Op(o)) => matches!(o.as_str(), "~" | "~*" | "!~" | "!~*" | "~~" | "~~*"),
        Some(Tok::Word(w)) if w == "like" || w == "ilike" || w == "similar" => true,
        Some(Tok::Word(w)) if w == "not" => {
            matches!(after, Some(Tok::Word(x)) if x == "like" || x == "ilike" || x == "similar")
        }
        _ => false,
    }
}

/// A string function called on a column that is not text: `lower(age)`.
fn text_argument(function: &str, args: &[Tok], context: Context<'_>) -> Option<Flaw> {
    if !TEXT_FUNCTIONS.contains(&function) {
        return None;
    }
    let (Context::Columns(columns) | Context::Immutable(columns)) = context else {
        return None;
    };
    let (name, quoted) = match args.first()? {
        Tok::Word(w) => (w.as_str(), false),
        Tok::Quoted(q) => (q.as_str(), true),
        _ => return None,
    };
    if !matches!(args.get(1), Some(Tok::Punct(")" | ","))) {
        return None;
    }
    let column = columns.iter().find(|c| c.name == name)?;
    if column.text || (!quoted && KEYWORDS.get(name).is_some_and(|k| matches!(*k, "R" | "T"))) {
        return None;
    }
    Some(
        Flaw::new(format!("`{function}` takes text, and `{name}` is not text"))
            .hint(format!("cast it: `{function}({name}::text)`")),
    )
}

fn extension_of(function: &str) -> Option<&'static str> {
    let mut exts: Vec<&&str> = EXTENSION_FUNCTIONS
        .iter()
        .filter(|(_, fs)| fs.contains(&function))
        .map(|(e, _)| e)
        .collect();
    exts.sort();
    exts.first().map(|e| **e)
}

fn unknown_function(name: &str, extensions: &[&str]) -> Flaw {
    if let Some(ext) = extension_of(name) {
        return Flaw::new(format!(
            "function `{name}` comes with extension `{ext}`, which the project does not declare"
        ))
        .hint(format!(
            "add `\"{ext}\"` to `database.extensions`, and call it as `public.{name}(...)`"
        ));
    }
    let mut candidates: Vec<&str> = FUNCTIONS.iter().copied().collect();
    for e in extensions {
        if let Some(fs) = EXTENSION_FUNCTIONS.get(e) {
            candidates.extend(fs.iter().copied());
        }
    }
    candidates.sort_unstable();
    let flaw = Flaw::new(format!(
        "no function `{name}` in PostgreSQL (15 to 18) or in the declared extensions"
    ));
    match crate::diagnostic::did_you_mean(name, candidates) {
        Some(s) => flaw.hint(format!("did you mean `{s}`?")),
        None => flaw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn col(name: &'static str, text: bool) -> Column<'static> {
        Column { name, text }
    }

    const COLS: Context<'static> = Context::Columns(&[
        col("price", false),
        col("status", true),
        col("Mixed", false),
        col("email", true),
        col("label", true),
    ]);

    fn ok(text: &str) {
        assert_eq!(check(text, COLS, &[]), Ok(()), "{text}");
    }

    fn flaw(text: &str, context: Context<'_>, extensions: &[&str]) -> String {
        match check(text, context, extensions) {
            Ok(()) => panic!("`{text}` passed"),
            Err(f) => format!("{} / {}", f.message, f.hint.unwrap_or_default()),
        }
    }

    #[test]
    fn ordinary_expressions_pass() {
        ok("price > 0");
        ok("status IN ('new', 'paid')");
        ok("lower(email) LIKE '%@%'");
        ok("\"Mixed\" IS NOT NULL AND price BETWEEN 1 AND 2");
        ok("CASE WHEN price > 1 THEN 'x' ELSE NULL END = 'x'");
        ok("(price * 1.5e-3)::numeric(10,2) > 0");
        ok("extract(year FROM now()) > 2000 AND trim(BOTH '-' FROM status) <> ''");
        ok("email ~* '^[a-z]+@' AND length(email) <= 60");
        ok("pg_catalog.lower(email) = E'it\\'s' AND status = $$a;b$$");
        ok("price > 0 /* comment; ok */");
        ok("status::text COLLATE \"C\" > 'a' AND CAST(price AS integer) > 0");
        ok("date '2020-01-01' < now() AND interval '1 day' > interval '1 hour'");
        ok("ARRAY[1, 2] @> ARRAY[1]");
        ok("make_interval(months => price::int) IS NOT NULL");
        ok("timestamp(3) '2024-01-31' < now() AND price::numeric(6, 2) > 0");
        ok("label <> '' AND lower(label) = label AND length(price::text) < 9");
    }

    #[test]
    fn broken_expressions_are_named() {
        assert!(flaw("nosuch > 0", COLS, &[]).contains("`nosuch` is not a column"));
        assert!(flaw("prices > 0", COLS, &[]).contains("did you mean `price`"));
        assert!(flaw("mixed > 0", COLS, &[]).contains("double quotes"));
        assert!(flaw("nosuchfn(price) > 0", COLS, &[]).contains("no function `nosuchfn`"));
        assert!(flaw("lowr(email) = ''", COLS, &[]).contains("did you mean `lower`"));
        assert!(flaw("(price > 0", COLS, &[]).contains("not closed"));
        assert!(flaw("lower(price) = ''", COLS, &[]).contains("takes text"));
        assert!(flaw("varchar(2)", COLS, &[]).contains("is a type"));
        assert!(flaw("price ~ '^1'", COLS, &[]).contains("pattern matching"));
        assert!(flaw("price NOT LIKE '1%'", COLS, &[]).contains("pattern matching"));
        let index = Context::Immutable(&[col("price", false), col("email", true)]);
        assert!(flaw("now()", index, &[]).contains("IMMUTABLE"));
        assert!(flaw("email || CURRENT_DATE", index, &[]).contains("IMMUTABLE"));
        assert_eq!(check("lower(email)", index, &[]), Ok(()));
        assert_eq!(check("now()", COLS, &[]), Ok(()));
        assert!(flaw("price > 0)", COLS, &[]).contains("no matching"));
        assert!(flaw("status = 'a", COLS, &[]).contains("not closed"));
        assert!(flaw("price > 0; DROP TABLE x", COLS, &[]).contains("`;`"));
        assert!(flaw("price > 0 -- positive", COLS, &[]).contains("comment"));
        let deep = format!(
            "{}price > 0{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert!(flaw(&deep, COLS, &[]).contains("nested"));
        let long = vec!["price"; MAX_OPERATORS + 2].join(" + ");
        assert!(flaw(&format!("{long} > 0"), COLS, &[]).contains("operators"));
    }

    #[test]
    fn defaults_read_no_columns_and_call_known_functions() {
        let d = Context::Default(&[col("price", false), col("label", true)]);
        assert_eq!(check("now()", d, &[]), Ok(()));
        assert_eq!(check("CURRENT_TIMESTAMP", d, &[]), Ok(()));
        assert_eq!(check("nextval('public.s'::regclass)", d, &[]), Ok(()));
        assert_eq!(check("gen_random_uuid()", d, &[]), Ok(()));
        assert!(flaw("price", d, &[]).contains("cannot read column"));
        assert!(flaw("customers.id", d, &[]).contains("cannot read columns"));
        // `label` is an unreserved keyword, and here a column.
        assert!(flaw("label", d, &[]).contains("cannot read column"));
        assert!(flaw("hello", d, &[]).contains("single quotes"));
        assert!(flaw("uuid_generate_v4()", d, &[]).contains("add `\"uuid-ossp\"`"));
        assert!(flaw("uuid_generate_v4()", d, &["uuid-ossp"]).contains("public.uuid_generate_v4"));
        assert_eq!(
            check("public.uuid_generate_v4()", d, &["uuid-ossp"]),
            Ok(())
        );
        // An extension pgmock knows nothing of may provide any function.
        assert_eq!(check("st_makepoint(1, 2)", d, &["postgis"]), Ok(()));
        let types = [("status", "public")];
        assert!(check_with_types("'new'::status", d, &[], &types).is_err());
        assert_eq!(
            check_with_types("'new'::public.status", d, &[], &types),
            Ok(())
        );
        assert_eq!(check_with_types("'new'::text", d, &[], &types), Ok(()));
    }
}
