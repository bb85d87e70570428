//! The generate stage: values for rows, chunk by chunk.
//!
//! Input: a [`Dataset`] (built by `plan`): per table, one compiled generator
//! per column, the column fill order and the row count. Output: [`Chunk`]s of
//! typed column buffers for any set of row indices.
//!
//! Invariants: a value depends only on (seed, table, column, row) and on
//! values of the same row that its generator declares as inputs; so any
//! subset of rows, in any chunking, on any thread, gives the same values.
//! Generators never do I/O and never format SQL; that is `encode`.

pub mod choice;
pub mod custom;
pub mod derived;
pub mod distribution;
pub mod kinds;
pub mod lookup;
pub mod pattern;
pub mod per_parent;
pub mod reference;
pub mod rng;
pub mod structured;
pub mod temporal;
pub mod timeseries;

use std::fmt;

use crate::value::{ColumnBuf, ValueFormat};
pub use per_parent::PerParent;

/// Everything a generator may read while filling one column of a chunk.
pub struct FillCtx<'a> {
    /// All tables (foreign keys recompute parent values from them).
    pub dataset: &'a Dataset,
    /// Index of the table being filled.
    pub table: usize,
    /// Row indices of the chunk, in output order.
    pub rows: &'a [u64],
    /// Columns of this chunk; those listed in the generator's `inputs` are filled.
    pub columns: &'a [ColumnBuf],
    /// This column's key (seed, table and column hashed).
    pub key: u64,
    /// The table's key (seed and table hashed): what a row's person, place and company derive from.
    pub table_key: u64,
    /// For per-parent tables: (parent row, index within parent, the parent's
    /// number of children) of each row.
    pub parents: Option<&'a [(u64, u64, u64)]>,
}

/// A value generator for one column: fills the column for a whole chunk, so
/// dynamic dispatch happens once per column per chunk, not per value.
pub trait ValueGen: Send + Sync + fmt::Debug {
    /// Appends one value per `ctx.rows` entry to `out` (which matches the column's format).
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf);

    /// Columns of the same row this generator reads (they are filled first).
    fn inputs(&self) -> Vec<usize> {
        Vec::new()
    }

    /// `Some((start, step))` when value = start + row × step, so foreign keys
    /// into this column can compute parent keys without filling a chunk.
    fn linear(&self) -> Option<(i64, i64)> {
        None
    }

    /// Whether no two rows get the same value (before NULLs are applied).
    fn is_unique(&self) -> bool {
        false
    }

    /// The foreign key pick, for generators that copy a parent's key: rules
    /// that read other columns of the same parent row use it.
    fn reference(&self) -> Option<reference::Reference> {
        None
    }

    /// Columns of other tables this generator reads, as (table, column):
    /// a parent's creation time, a parent's price, a child's amounts.
    fn reads(&self) -> Vec<(usize, usize)> {
        Vec::new()
    }

    /// The time series this generator draws from, if it is one: a rule
    /// that puts the value after another can then keep its rhythm.
    fn time_series(&self) -> Option<&timeseries::TimeSeries> {
        None
    }
}

/// Values applications get wrong (`--edge-cases`), mixed into a column at a
/// given rate; every one of them fits the column's type and constraints.
#[derive(Debug, Clone)]
pub struct Edges {
    /// The edge values.
    pub items: ColumnBuf,
    /// Whether NULL is one of them.
    pub null: bool,
    /// Share of rows that take one.
    pub ratio: f64,
}

/// One column of a table ready to generate.
#[derive(Debug)]
pub struct ColumnGen {
    /// Column name.
    pub name: String,
    /// Why it got this generator (the rule that decided), for `pgmock explain`.
    pub why: String,
    /// The generator.
    pub gen: Box<dyn ValueGen>,
    /// How values are printed.
    pub format: ValueFormat,
    /// Share of NULLs (0 for NOT NULL columns).
    pub null_ratio: f64,
    /// The column key.
    pub key: u64,
    /// Edge values mixed in with `--edge-cases`.
    pub edges: Option<Edges>,
    /// Every row's value, computed on first use, for small tables whose
    /// columns other tables read (a product's price for each order line);
    /// `None` when the values would take more than [`MEMO_BYTES`].
    pub memo: std::sync::OnceLock<Option<ColumnBuf>>,
}

/// Tables of at most this many rows keep the text columns other tables read
/// (values are pure functions, so this only saves recomputing them).
pub const MEMO_ROWS: u64 = 1 << 16;
/// The same for columns of fixed-width values (numbers, times): at most 16 MB each.
pub const MEMO_ROWS_FIXED: u64 = 1 << 20;
/// A memo holds at most this many bytes: a column of long texts is recomputed
/// instead (a 10 MB value in each of 65,536 rows would be 640 GB).
pub const MEMO_BYTES: usize = 16 << 20;

/// One table ready to generate.
#[derive(Debug)]
pub struct TableGen {
    /// Qualified display name, for messages.
    pub name: String,
    /// The table's key (seed and table hashed).
    pub key: u64,
    /// Number of rows.
    pub rows: u64,
    /// Columns, in table order.
    pub columns: Vec<ColumnGen>,
    /// Column indices in the order they must be filled (inputs first).
    pub fill_order: Vec<usize>,
    /// Row → parent mapping for per-parent row counts.
    pub per_parent: Option<PerParent>,
}

/// All tables of a run.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Tables, indexed like the schema's tables.
    pub tables: Vec<TableGen>,
}

/// Generated values of some rows of one table.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// Row indices.
    pub rows: Vec<u64>,
    /// One buffer per column (columns not requested stay empty).
    pub columns: Vec<ColumnBuf>,
}

/// Salt that separates the NULL decision from the value draw of a cell.
const NULL_SALT: u64 = 0x6E75_6C6C_5F72_6174;
/// Salt of the edge-case decision of a cell.
const EDGE_SALT: u64 = 0x6564_6765_5F63_6173;

/// Replaces a share of the chunk's values with edge values.
fn mix_in_edges(edges: &Edges, key: u64, rows: &[u64], out: &mut ColumnBuf) {
    let key = key ^ EDGE_SALT;
    let picks: Vec<Option<u64>> = rows
        .iter()
        .map(|&row| {
            let x = rng::mix(key ^ rng::mix(row));
            (rng::unit(x) < edges.ratio).then(|| rng::mix(x ^ 0x9E37_79B9_7F4A_7C15))
        })
        .collect();
    let choices = edges.items.len() as u64 + u64::from(edges.null);
    if choices == 0 || picks.iter().all(Option::is_none) {
        return;
    }
    let mut mixed = out.empty_like();
    for (i, pick) in picks.into_iter().enumerate() {
        match pick {
            None => mixed.push_from(out, i),
            Some(y) => {
                #[allow(clippy::cast_possible_truncation)]
                let k = rng::below(y, choices) as usize;
                if k < edges.items.len() {
                    mixed.push_from(&edges.items, k);
                } else {
                    mixed.push_null();
                }
            }
        }
    }
    *out = mixed;
}

impl Dataset {
    /// An empty chunk for `table`, with buffers of the right kinds.
    #[must_use]
    pub fn new_chunk(&self, table: usize) -> Chunk {
        Chunk {
            rows: Vec::new(),
            columns: self.tables[table]
                .columns
                .iter()
                .map(|c| ColumnBuf::for_format(c.format))
                .collect(),
        }
    }

    /// Fills `chunk` for the contiguous rows `start..end` of `table`.
    pub fn fill_range(&self, table: usize, start: u64, end: u64, chunk: &mut Chunk) {
        chunk.rows.clear();
        chunk.rows.extend(start..end);
        self.fill_rows(table, chunk, None);
    }

    /// Fills `chunk` for `chunk.rows`; only `wanted` columns (and their inputs) when given.
    pub fn fill_rows(&self, table: usize, chunk: &mut Chunk, wanted: Option<&[usize]>) {
        let t = &self.tables[table];
        let parents: Option<Vec<(u64, u64, u64)>> =
            t.per_parent.as_ref().map(|pp| pp.locate_all(&chunk.rows));
        let needed = wanted.map(|w| self.closure(table, w));
        for col in &mut chunk.columns {
            col.clear();
        }
        for &c in &t.fill_order {
            if needed.as_ref().is_some_and(|n| !n[c]) {
                continue;
            }
            let column = &t.columns[c];
            let mut out =
                std::mem::replace(&mut chunk.columns[c], ColumnBuf::for_format(column.format));
            out.clear();
            {
                let ctx = FillCtx {
                    dataset: self,
                    table,
                    rows: &chunk.rows,
                    columns: &chunk.columns,
                    key: column.key,
                    table_key: t.key,
                    parents: parents.as_deref(),
                };
                column.gen.fill(&ctx, &mut out);
            }
            if column.null_ratio > 0.0 {
                let null_key = column.key ^ NULL_SALT;
                for (i, &row) in chunk.rows.iter().enumerate() {
                    if rng::unit(rng::mix(null_key ^ rng::mix(row))) < column.null_ratio {
                        out.set_null(i);
                    }
                }
            }
            if let Some(edges) = &column.edges {
                mix_in_edges(edges, column.key, &chunk.rows, &mut out);
            }
            chunk.columns[c] = out;
        }
    }

    /// Which columns must be filled to produce `wanted`.
    fn closure(&self, table: usize, wanted: &[usize]) -> Vec<bool> {
        let t = &self.tables[table];
        let mut need = vec![false; t.columns.len()];
        let mut stack: Vec<usize> = wanted.to_vec();
        while let Some(c) = stack.pop() {
            if !need[c] {
                need[c] = true;
                stack.extend(t.columns[c].gen.inputs());
            }
        }
        need
    }

    /// Values of one column of `table` at arbitrary `rows` (used for foreign keys).
    #[must_use]
    pub fn column_values(&self, table: usize, column: usize, rows: &[u64]) -> ColumnBuf {
        let t = &self.tables[table];
        if let Some((start, step)) = t.columns[column].gen.linear() {
            if t.columns[column].null_ratio == 0.0 {
                let mut buf = ColumnBuf::for_format(t.columns[column].format);
                if let crate::value::ColumnData::Int(v) = &mut buf.data {
                    #[allow(clippy::cast_possible_wrap)]
                    v.extend(
                        rows.iter()
                            .map(|&r| start.wrapping_add((r as i64).wrapping_mul(step))),
                    );
                    buf.nulls.resize(rows.len(), false);
                    return buf;
                }
            }
        }
        let limit = match t.columns[column].format {
            ValueFormat::Text | ValueFormat::Bits => MEMO_ROWS,
            _ => MEMO_ROWS_FIXED,
        };
        if t.rows <= limit && rows.iter().all(|&r| r < t.rows) {
            let memo = t.columns[column]
                .memo
                .get_or_init(|| self.memo_column(table, column));
            if let Some(all) = memo {
                let mut buf = ColumnBuf::for_format(t.columns[column].format);
                buf.gather(all, rows);
                return buf;
            }
        }
        self.fill_column(table, column, rows)
    }

    /// Every value of a column, or `None` once they pass [`MEMO_BYTES`]:
    /// filled in chunks that start at one row and grow, so that finding a
    /// column of huge values out costs about one value.
    fn memo_column(&self, table: usize, column: usize) -> Option<ColumnBuf> {
        let t = &self.tables[table];
        let mut all = ColumnBuf::for_format(t.columns[column].format);
        let (mut start, mut step) = (0, 1);
        while start < t.rows {
            let end = (start + step).min(t.rows);
            let rows: Vec<u64> = (start..end).collect();
            let part = self.fill_column(table, column, &rows);
            all.gather(&part, &(0..end - start).collect::<Vec<u64>>());
            if all.heap_bytes() > MEMO_BYTES {
                return None;
            }
            start = end;
            step = (step * 2).min(1 << 16);
        }
        Some(all)
    }

    fn fill_column(&self, table: usize, column: usize, rows: &[u64]) -> ColumnBuf {
        let mut chunk = self.new_chunk(table);
        chunk.rows.extend_from_slice(rows);
        self.fill_rows(table, &mut chunk, Some(&[column]));
        std::mem::replace(
            &mut chunk.columns[column],
            ColumnBuf::for_format(self.tables[table].columns[column].format),
        )
    }
}
