//! The encode stage: generated chunks → the bytes of a table's data stream.
//!
//! Input: a [`Chunk`] and the columns to print. Output: COPY text rows
//! (pg-dump-format.md §10) or INSERT statements, appended to a caller's
//! `Vec<u8>`. No I/O and no `dyn Write`: writers get finished bytes.

use crate::generate::Chunk;
use crate::pgtext::escape;
use crate::value::{ColumnBuf, ValueFormat};

/// One output column: its index in the chunk and how to print it.
#[derive(Debug, Clone, Copy)]
pub struct OutColumn {
    /// Column index in the chunk.
    pub index: usize,
    /// Text form.
    pub format: ValueFormat,
    /// Stored generated column: `DEFAULT` in plain INSERTs, absent elsewhere.
    pub generated: bool,
}

/// Appends the chunk as COPY text rows (tab-separated, `\N` for NULL).
pub fn copy_rows(chunk: &Chunk, columns: &[OutColumn], out: &mut Vec<u8>) {
    let mut scratch = Vec::with_capacity(64);
    for i in 0..chunk.rows.len() {
        let mut first = true;
        for c in columns.iter().filter(|c| !c.generated) {
            if !first {
                out.push(b'\t');
            }
            first = false;
            let buf = &chunk.columns[c.index];
            if buf.nulls[i] {
                out.extend_from_slice(escape::COPY_NULL);
            } else if needs_escaping(c.format) {
                scratch.clear();
                buf.write_text(c.format, i, &mut scratch);
                escape::copy_text(out, &scratch);
            } else {
                buf.write_text(c.format, i, out);
            }
        }
        out.push(b'\n');
    }
}

/// Formats whose text can hold bytes COPY must escape (`\`, tabs, newlines).
fn needs_escaping(format: ValueFormat) -> bool {
    matches!(format, ValueFormat::Text)
}

/// The `\.` terminator and the two newlines pg_dump writes after table data.
pub const COPY_END: &[u8] = b"\\.\n\n\n";

/// How INSERT statements are spelled (`--inserts`, `--column-inserts`, `--rows-per-insert`).
#[derive(Debug, Clone)]
pub struct InsertStyle {
    /// `INSERT INTO ns.t (a, b) ...`: name the columns.
    pub column_names: bool,
    /// Rows per statement (1 = one statement per row).
    pub rows_per_insert: u64,
}

/// Writes INSERT statements for a table, batching rows across chunks.
#[derive(Debug, Clone)]
pub struct InsertEncoder {
    prefix: Vec<u8>,
    per: u64,
    in_statement: u64,
}

impl InsertEncoder {
    /// `qualified` is the quoted table name; `overriding` adds `OVERRIDING SYSTEM VALUE`.
    #[must_use]
    pub fn new(qualified: &str, names: &[String], style: &InsertStyle, overriding: bool) -> Self {
        let mut prefix = format!("INSERT INTO {qualified} ");
        if style.column_names {
            prefix.push('(');
            prefix.push_str(&names.join(", "));
            prefix.push_str(") ");
        }
        if overriding {
            prefix.push_str("OVERRIDING SYSTEM VALUE ");
        }
        prefix.push_str("VALUES");
        Self {
            prefix: prefix.into_bytes(),
            per: style.rows_per_insert.max(1),
            in_statement: 0,
        }
    }

    /// Continues a table after its first `rows` rows (written elsewhere), so
    /// that multi-row statements group rows from the start of the table.
    pub fn resume_after(&mut self, rows: u64) {
        self.in_statement = rows % self.per;
    }

    /// Appends statements for the chunk's rows.
    pub fn rows(
        &mut self,
        chunk: &Chunk,
        columns: &[OutColumn],
        column_names: bool,
        out: &mut Vec<u8>,
    ) {
        let mut scratch = Vec::with_capacity(64);
        for i in 0..chunk.rows.len() {
            if self.per == 1 {
                out.extend_from_slice(&self.prefix);
                out.extend_from_slice(b" (");
            } else if self.in_statement == 0 {
                out.extend_from_slice(&self.prefix);
                out.extend_from_slice(b"\n\t(");
            } else {
                out.extend_from_slice(b",\n\t(");
            }
            let mut first = true;
            for c in columns {
                if c.generated && column_names {
                    continue;
                }
                if !first {
                    out.extend_from_slice(b", ");
                }
                first = false;
                if c.generated {
                    out.extend_from_slice(b"DEFAULT");
                } else {
                    literal(&chunk.columns[c.index], c.format, i, &mut scratch, out);
                }
            }
            out.push(b')');
            self.in_statement += 1;
            if self.in_statement == self.per {
                out.extend_from_slice(b";\n");
                self.in_statement = 0;
            }
        }
    }

    /// Closes an open multi-row statement and writes the trailing blank lines.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.in_statement > 0 {
            out.extend_from_slice(b";\n");
            self.in_statement = 0;
        }
        out.extend_from_slice(b"\n\n");
    }
}

/// One SQL literal, as pg_dump writes it in INSERTs.
fn literal(
    buf: &ColumnBuf,
    format: ValueFormat,
    i: usize,
    scratch: &mut Vec<u8>,
    out: &mut Vec<u8>,
) {
    if buf.nulls[i] {
        out.extend_from_slice(b"NULL");
        return;
    }
    scratch.clear();
    buf.write_text(format, i, scratch);
    match format {
        // Special float values are not numeric literals.
        _ if format.is_numeric()
            && scratch
                .iter()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')) =>
        {
            out.extend_from_slice(scratch)
        }
        ValueFormat::Bool => {
            out.extend_from_slice(if scratch == b"t" { b"true" } else { b"false" })
        }
        ValueFormat::Bits => {
            out.extend_from_slice(b"B'");
            out.extend_from_slice(scratch);
            out.push(b'\'');
        }
        _ => escape::sql_literal(out, scratch),
    }
}
