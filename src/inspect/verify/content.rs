//! What decompressed table data must look like (pg-dump-format.md §10): COPY rows
//! with as many fields as the copyStmt has columns, then the `\.` line.
//!
//! The check is a byte-at-a-time state machine, so rows, escapes and the
//! terminator may be split anywhere between the pieces it is fed.

use std::fmt::Write as _;

/// Row problems reported in full per data stream; the rest are counted.
const MAX_ROW_MESSAGES: u64 = 5;

/// What kind of text a data stream holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// COPY text; `columns` is `None` when the copyStmt could not be parsed.
    Copy {
        /// Fields every row must have.
        columns: Option<usize>,
    },
    /// SQL statements (`--inserts`), whose text is not checked beyond encoding.
    Statements,
    /// Large object bytes, which may hold anything.
    Binary,
}

/// Checks one decompressed data stream fed in arbitrary pieces.
pub(crate) struct ContentCheck {
    expect: Expect,
    utf8: Option<Utf8State>,
    /// Bytes seen so far.
    pos: u64,
    /// Rows completed.
    rows: u64,
    line: LineState,
    /// The `\.` line has been seen.
    ended: bool,
    trailing_reported: bool,
    utf8_reported: bool,
    bad_rows: u64,
    messages: Vec<String>,
}

/// What is known about the row being read.
#[derive(Debug, Clone, Copy)]
struct LineState {
    start: u64,
    len: u64,
    /// Unescaped TABs + 1.
    fields: usize,
    /// The previous byte was an unescaped backslash.
    escaped: bool,
    /// The bytes so far are a prefix of `\.`.
    marker_prefix: bool,
    /// A `\.` sequence appeared somewhere in the line.
    has_dot_escape: bool,
    /// This row already has a reported problem.
    flagged: bool,
}

impl LineState {
    fn at(start: u64) -> Self {
        Self {
            start,
            len: 0,
            fields: 1,
            escaped: false,
            marker_prefix: true,
            has_dot_escape: false,
            flagged: false,
        }
    }
}

impl ContentCheck {
    /// A check for one stream; `utf8` when the database encoding is UTF-8.
    pub(crate) fn new(expect: Expect, utf8: bool) -> Self {
        Self {
            expect,
            utf8: utf8.then(Utf8State::default),
            pos: 0,
            rows: 0,
            line: LineState::at(0),
            ended: false,
            trailing_reported: false,
            utf8_reported: false,
            bad_rows: 0,
            messages: Vec::new(),
        }
    }

    /// Checks the next piece of the stream.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        if self.expect == Expect::Binary {
            self.pos += bytes.len() as u64;
            return;
        }
        for &b in bytes {
            self.check_encoding(b);
            if matches!(self.expect, Expect::Copy { .. }) {
                self.copy_byte(b);
            } else if b == 0 {
                self.once_nul();
            }
            self.pos += 1;
        }
    }

    /// Ends the stream and returns every problem found.
    pub(crate) fn finish(mut self) -> Vec<String> {
        if matches!(self.expect, Expect::Copy { .. }) && !self.ended {
            if self.line.len > 0 {
                self.messages.push(format!(
                    "data ends inside row {} (no final newline)",
                    self.rows + 1
                ));
            }
            self.messages.push(format!(
                "missing end-of-copy marker `\\.` after {} rows",
                self.rows
            ));
        }
        if self.utf8.is_some_and(Utf8State::pending) && !self.utf8_reported {
            self.messages
                .push("data ends inside a UTF-8 character".to_owned());
        }
        if self.bad_rows > MAX_ROW_MESSAGES {
            self.messages.push(format!(
                "… and {} more rows with problems",
                self.bad_rows - MAX_ROW_MESSAGES
            ));
        }
        self.messages
    }

    fn copy_byte(&mut self, b: u8) {
        if self.ended {
            // pg_dump writes two newlines after `\.`; the server ignores the rest.
            if b != b'\n' && !self.trailing_reported {
                self.trailing_reported = true;
                self.messages.push(format!(
                    "data continues after the end-of-copy marker `\\.` (at byte {})",
                    self.pos
                ));
            }
            return;
        }
        if b == b'\n' && !self.line.escaped {
            self.end_line();
            return;
        }
        let index = self.line.len;
        self.line.marker_prefix &= (index == 0 && b == b'\\') || (index == 1 && b == b'.');
        self.line.len += 1;
        if self.line.escaped {
            self.line.escaped = false;
            self.line.has_dot_escape |= b == b'.';
        } else if b == b'\\' {
            self.line.escaped = true;
        } else if b == b'\t' {
            self.line.fields += 1;
        } else if b == b'\r' {
            self.row_problem("contains a raw carriage return (COPY needs `\\r`)");
        }
        if b == 0 {
            self.row_problem("contains a NUL byte");
        }
    }

    fn end_line(&mut self) {
        if self.line.marker_prefix && self.line.len == 2 {
            self.ended = true;
            return;
        }
        if self.line.has_dot_escape {
            self.row_problem("contains `\\.`, which ends the COPY early");
        }
        if let Expect::Copy {
            columns: Some(expected),
        } = self.expect
        {
            // A table without columns has empty rows, which are zero fields.
            let actual = if expected == 0 && self.line.len == 0 {
                0
            } else {
                self.line.fields
            };
            if actual != expected {
                let noun = if actual == 1 { "field" } else { "fields" };
                self.row_problem(&format!("has {actual} {noun}, expected {expected}"));
            }
        }
        self.rows += 1;
        self.line = LineState::at(self.pos + 1);
    }

    fn row_problem(&mut self, what: &str) {
        if self.line.flagged {
            return;
        }
        self.line.flagged = true;
        self.bad_rows += 1;
        if self.bad_rows <= MAX_ROW_MESSAGES {
            let mut msg = format!("row {} {what}", self.rows + 1);
            let _ = write!(msg, " (row starts at byte {} of the data)", self.line.start);
            self.messages.push(msg);
        }
    }

    fn once_nul(&mut self) {
        if !self.line.flagged {
            self.line.flagged = true;
            self.messages
                .push(format!("NUL byte at byte {} of the data", self.pos));
        }
    }

    fn check_encoding(&mut self, b: u8) {
        let Some(state) = self.utf8.as_mut() else {
            return;
        };
        if !state.step(b) && !self.utf8_reported {
            self.utf8_reported = true;
            self.messages.push(format!(
                "invalid UTF-8 at byte {} of the data (row {})",
                self.pos,
                self.rows + 1
            ));
        }
    }
}

/// UTF-8 validation one byte at a time, as strict as PostgreSQL: no
/// overlong forms, no surrogates, nothing above U+10FFFF.
#[derive(Debug, Clone, Copy, Default)]
struct Utf8State {
    /// Continuation bytes still expected.
    need: u8,
    /// Allowed range of the next continuation byte.
    lo: u8,
    hi: u8,
}

impl Utf8State {
    fn pending(self) -> bool {
        self.need > 0
    }

    /// Consumes `b`; false when it cannot appear here (the state resets).
    fn step(&mut self, b: u8) -> bool {
        if self.need > 0 {
            if b < self.lo || b > self.hi {
                *self = Self::default();
                // The offending byte may start a new character; either way this is an error.
                let _ = self.step(b);
                return false;
            }
            self.need -= 1;
            self.lo = 0x80;
            self.hi = 0xbf;
            return true;
        }
        let (need, lo, hi) = match b {
            0x00..=0x7f => return true,
            0xc2..=0xdf => (1, 0x80, 0xbf),
            0xe0 => (2, 0xa0, 0xbf),
            0xed => (2, 0x80, 0x9f),
            0xe1..=0xef => (2, 0x80, 0xbf),
            0xf0 => (3, 0x90, 0xbf),
            0xf1..=0xf3 => (3, 0x80, 0xbf),
            0xf4 => (3, 0x80, 0x8f),
            _ => return false,
        };
        *self = Self { need, lo, hi };
        true
    }
}

/// Counts the columns of `COPY name (a, "b,c") FROM stdin;`; `Err` says why it cannot.
pub(crate) fn copy_columns(stmt: &[u8]) -> Result<usize, &'static str> {
    let rest = stmt
        .strip_prefix(b"COPY ")
        .ok_or("does not start with `COPY `")?;
    let mut p = Cursor { s: rest };
    p.identifier()?;
    while p.eat(b'.') {
        p.identifier()?;
    }
    p.skip_spaces();
    let mut columns = 0;
    if p.eat(b'(') {
        loop {
            p.skip_spaces();
            p.identifier()?;
            columns += 1;
            p.skip_spaces();
            if p.eat(b')') {
                break;
            }
            if !p.eat(b',') {
                return Err("expected `,` or `)` in the column list");
            }
        }
        p.skip_spaces();
    }
    // pg_dump writes no list at all (two spaces) for a table without columns.
    if !p.s.starts_with(b"FROM") {
        return Err("expected `FROM` after the table name and column list");
    }
    Ok(columns)
}

/// A forward-only view of the bytes still to parse.
struct Cursor<'a> {
    s: &'a [u8],
}

impl Cursor<'_> {
    fn eat(&mut self, byte: u8) -> bool {
        match self.s.split_first() {
            Some((&b, rest)) if b == byte => {
                self.s = rest;
                true
            }
            _ => false,
        }
    }

    fn skip_spaces(&mut self) {
        while self.eat(b' ') {}
    }

    /// A bare identifier or a double-quoted one with `""` for a quote.
    fn identifier(&mut self) -> Result<(), &'static str> {
        if self.eat(b'"') {
            loop {
                let close = self
                    .s
                    .iter()
                    .position(|&b| b == b'"')
                    .ok_or("unterminated quoted identifier")?;
                self.s = &self.s[close + 1..];
                if !self.eat(b'"') {
                    return Ok(());
                }
            }
        }
        let len = self
            .s
            .iter()
            .position(|b| b" \t\n.,()\";".contains(b))
            .unwrap_or(self.s.len());
        if len == 0 {
            return Err("expected an identifier");
        }
        self.s = &self.s[len..];
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(columns: usize, pieces: &[&[u8]]) -> Vec<String> {
        let mut c = ContentCheck::new(
            Expect::Copy {
                columns: Some(columns),
            },
            true,
        );
        for p in pieces {
            c.feed(p);
        }
        c.finish()
    }

    #[test]
    fn counts_columns_with_quoted_names() {
        assert_eq!(
            copy_columns(b"COPY public.t (id, name) FROM stdin;\n"),
            Ok(2)
        );
        assert_eq!(
            copy_columns(
                b"COPY \"we,ird\".\"Tab, \"\"x\"\"\" (\"a,b\", \"c)d\", plain) FROM stdin;\n"
            ),
            Ok(3)
        );
        assert_eq!(copy_columns(b"COPY public.nocols  FROM stdin;\n"), Ok(0));
        assert!(copy_columns(b"COPY public.t (\"open FROM stdin;\n").is_err());
        assert!(copy_columns(b"INSERT INTO t").is_err());
    }

    #[test]
    fn accepts_good_copy_text_split_anywhere() {
        let text: &[u8] = b"1\ta\\tb\n2\t\\N\n\\.\n\n\n";
        for split in 0..text.len() {
            let (a, b) = text.split_at(split);
            assert_eq!(check(2, &[a, b]), Vec::<String>::new(), "split at {split}");
        }
    }

    #[test]
    fn reports_field_count_and_missing_marker() {
        let msgs = check(2, &[b"1\t2\t3\n"]);
        assert_eq!(msgs.len(), 2);
        assert!(msgs[0].starts_with("row 1 has 3 fields, expected 2"));
        assert!(msgs[1].contains("missing end-of-copy marker"));
    }

    #[test]
    fn escaped_tab_and_escaped_backslash() {
        assert!(check(2, &[b"a\\\tb\tc\n\\.\n"]).is_empty());
        assert!(check(2, &[b"a\\\\\tc\n\\.\n"]).is_empty());
        // `\\.` is a value `\.`, not the terminator.
        assert_eq!(check(1, &[b"\\\\.\n"]).len(), 1);
    }

    #[test]
    fn zero_column_rows_are_empty_lines() {
        assert!(check(0, &[b"\n\n\\.\n\n\n"]).is_empty());
        assert_eq!(check(0, &[b"x\n\\.\n"]).len(), 1);
    }

    #[test]
    fn data_after_marker_and_bad_utf8() {
        assert_eq!(check(1, &[b"a\n\\.\nmore\n"]).len(), 1);
        let msgs = check(1, &[b"caf\xc3", b"\xa9\n\xff\n\\.\n"]);
        assert_eq!(msgs.len(), 1);
        assert!(msgs[0].contains("invalid UTF-8 at byte 6"));
    }

    #[test]
    fn utf8_rejects_overlong_and_surrogates() {
        for bad in [&b"\xc0\xaf"[..], b"\xed\xa0\x80", b"\xf4\x90\x80\x80"] {
            let mut s = Utf8State::default();
            assert!(!bad.iter().all(|&b| s.step(b)), "{bad:?}");
        }
    }
}
