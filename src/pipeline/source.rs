//! The data source the writers pull table data from: each table's rows are
//! cut into segments that worker threads generate, encode and compress; the
//! pieces reach the writer in row order.
//!
//! Memory is bounded by measured bytes, not by a guess: a worker generates
//! a chunk of rows sized by the bytes its previous chunk took, and cuts its
//! segment's text into pieces of [`PIECE_BYTES`] as it goes, handing each
//! over as soon as it is made; the pieces waiting for the writer stay within
//! a budget of [`WINDOW_PER_JOB`] pieces per worker. Segment boundaries
//! depend only on the table, and piece boundaries only on the bytes of the
//! segment's text, never on the thread count or on timing, so every `-j`
//! gives the same bytes.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::ordered::{self, Weigh};
use super::stopping;
use crate::dump::compress::{self, Codec, Joiner, Piece};
use crate::dump::{DataSource, TocEntry};
use crate::encode::{self, InsertEncoder, InsertStyle, OutColumn};
use crate::generate::{Chunk, Dataset};
use crate::pgtext::escape::quoted_ident;
use crate::plan::partition::Router;
use crate::schema::{Identity, Schema, Table};

/// Rows generated per chunk at most: large enough to amortise dispatch, small enough to stay in cache.
pub const CHUNK_ROWS: u64 = 4096;

/// About how much text a chunk makes: chunks of wide rows get fewer rows,
/// down to one, so a chunk's values and text stay near this size.
const CHUNK_BYTES: u64 = 1 << 20;

/// A segment's text is handed to the writer in pieces of exactly this many
/// bytes (the last one shorter), whatever the rows hold: one 10 MB value is
/// three pieces. A segment of narrow rows is one piece.
pub const PIECE_BYTES: usize = 4 << 20;

/// Rows per segment, the unit of parallel work and of compression pieces,
/// for tables of narrow rows; wide rows get fewer (see [`SEGMENT_BYTES`]).
pub const SEGMENT_ROWS: u64 = 8 * CHUNK_ROWS;

/// About how much COPY text a segment is meant to hold, so that wide tables
/// still spread over the workers. Memory does not rest on it (pieces bound
/// that), so an estimate from the first rows is good enough.
const SEGMENT_BYTES: u64 = 4 << 20;

/// Rows sampled from the start of a table to estimate its row width.
const SAMPLE_ROWS: u64 = 256;

/// Segments a worker may start ahead of the writer, and pieces of
/// [`PIECE_BYTES`] that may wait for the writer, per worker thread.
const WINDOW_PER_JOB: usize = 2;

impl Weigh for Piece {
    fn weight(&self) -> usize {
        self.bytes.len()
    }
}

/// Where a run reports how far each table has come (progress bars live at the CLI edge).
pub trait Progress: Sync {
    /// A table's data starts; `rows` rows of the table will be generated.
    fn table(&self, name: &str, rows: u64) -> Box<dyn TableProgress + '_>;
}

/// Progress of one table; dropping it means the table is done.
pub trait TableProgress {
    /// `rows` more rows are written.
    fn advance(&self, rows: u64);
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn table(&self, _name: &str, _rows: u64) -> Box<dyn TableProgress + '_> {
        Box::new(NoProgress)
    }
}

impl TableProgress for NoProgress {
    fn advance(&self, _rows: u64) {}
}

/// Generates, encodes and compresses table data on demand for the writers.
pub struct Generated<'a> {
    /// The schema (names, generated columns, identity).
    pub schema: &'a Schema,
    /// Compiled generators.
    pub dataset: &'a Dataset,
    /// `Some` for INSERT output.
    pub inserts: Option<InsertStyle>,
    /// Partition routers per table.
    pub routers: &'a [Option<Router>],
    /// How streams are stored (must match the archive header).
    pub codec: Codec,
    /// Worker threads (`-j`).
    pub jobs: usize,
    /// Only row slice `k` of `n` of every table (`--shard k/n`, 0-based `k`).
    pub shard: Option<(u64, u64)>,
    /// Where progress goes.
    pub progress: &'a dyn Progress,
    /// Rows written so far.
    pub rows: AtomicU64,
    /// Tables written so far.
    pub tables: AtomicUsize,
}

/// Everything one table's segments need, shared by the workers.
struct TableJob<'a> {
    dataset: &'a Dataset,
    /// The table the rows are generated as (the partitioned parent for a routed partition).
    src: usize,
    /// The table the entry writes.
    target: usize,
    router: Option<&'a Router>,
    columns: Vec<OutColumn>,
    inserts: Option<(InsertEncoder, bool)>,
    codec: Codec,
    /// First and one-past-last row of this run's slice of `src`.
    rows: (u64, u64),
    /// Rows per segment: a pure function of the table, never of `-j` or the
    /// slice, since piece boundaries show in the compressed bytes.
    segment_rows: u64,
    /// Rows of a segment's first chunk (later ones follow the measured bytes).
    chunk_rows: u64,
    segments: u64,
    /// For multi-row INSERTs of a routed partition: its rows before each segment.
    routed_before: Vec<u64>,
}

/// How many rows a finished segment covered (its bytes went ahead in pieces).
struct Segment {
    /// Rows of the source table looked at (progress).
    scanned: u64,
    /// Rows written (fewer than scanned for a routed partition).
    written: u64,
}

impl DataSource for Generated<'_> {
    fn write_data(&self, entry: &TocEntry, out: &mut dyn Write) -> io::Result<()> {
        let Some(target) = entry.data_table else {
            return Ok(());
        };
        let job = self.job(target);
        let count = usize::try_from(job.segments).unwrap_or(usize::MAX);
        self.deliver(entry, &job, out, |consume, end| {
            ordered::run(
                count,
                self.jobs,
                self.window(),
                |i, emit| job.segment(i as u64, emit),
                consume,
                end,
            )
        })
    }
}

impl<'a> Generated<'a> {
    /// Segments started ahead of the writer, and bytes of pieces waiting for it.
    fn window(&self) -> (usize, usize) {
        let pieces = self.jobs.max(1) * WINDOW_PER_JOB;
        (pieces, pieces * PIECE_BYTES)
    }

    /// Joins one table's pieces, handed over in order by `segments` (with
    /// each segment's counts after its pieces), into its stored stream in
    /// `out`, and counts them.
    fn deliver(
        &self,
        entry: &TocEntry,
        job: &TableJob<'_>,
        out: &mut dyn Write,
        segments: impl FnOnce(
            &mut dyn FnMut(Piece) -> io::Result<()>,
            &mut dyn FnMut(Segment) -> io::Result<()>,
        ) -> io::Result<()>,
    ) -> io::Result<()> {
        let bar = self.progress.table(&entry.tag, job.rows.1 - job.rows.0);
        let mut joiner = Joiner::new(job.codec);
        let mut written = 0;
        segments(
            &mut |piece: Piece| joiner.push(&piece, out),
            &mut |s: Segment| {
                bar.advance(s.scanned);
                written += s.written;
                Ok(())
            },
        )?;
        joiner.finish(out)?;
        self.rows.fetch_add(written, Ordering::Relaxed);
        self.tables.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// A source that generates the data of `entries`, in that order, on
    /// worker threads that run ahead across table boundaries, so a writer
    /// that takes one table at a time keeps every core busy even when the
    /// tables are small. Start the workers with [`Stream::work`].
    #[must_use]
    pub fn stream<'s>(&'s self, entries: &[&TocEntry]) -> Stream<'s, 'a> {
        let mut tables = Vec::new();
        let mut tasks = Vec::new();
        for e in entries {
            let Some(target) = e.data_table else { continue };
            let job = self.job(target);
            let first = tasks.len();
            tasks.extend((0..job.segments).map(|seg| (tables.len(), seg)));
            tables.push(Streamed {
                dump_id: e.dump_id,
                job,
                first,
                count: tasks.len() - first,
            });
        }
        let (window, budget) = self.window();
        let queue = ordered::Queue::new(tasks.len(), window, budget);
        Stream {
            source: self,
            tables,
            tasks,
            queue,
            cursor: AtomicUsize::new(0),
        }
    }

    fn job(&self, target: usize) -> TableJob<'a> {
        let table = &self.schema.tables[target];
        // A routed partition's rows are the rows of its partitioned table that
        // route to it; they are generated as that table's rows.
        // A partition without routing loads slice `k` of `n` of its
        // partitioned table's rows through that table (see ddl.rs).
        let (src, router, slice) = match &table.partition_of {
            Some((parent, _)) => match &self.routers[*parent] {
                Some(r) => (*parent, Some(r), None),
                None => {
                    let order = crate::dump::ddl::partitions_in_dump_order(self.schema, *parent);
                    let k = order.iter().position(|&p| p == target).unwrap_or(0);
                    (*parent, None, Some((k as u64, order.len() as u64)))
                }
            },
            None => (target, None, None),
        };
        let gen = &self.dataset.tables[src];
        let columns = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| OutColumn {
                index: i,
                format: gen.columns[i].format,
                generated: c.generated.is_some(),
            })
            .collect();
        let into = if slice.is_some() {
            &self.schema.tables[src]
        } else {
            table
        };
        let inserts = self
            .inserts
            .as_ref()
            .map(|style| (insert_encoder(into, style), style.column_names));
        let whole = match slice {
            Some((k, n)) => (slice_start(gen.rows, k, n), slice_start(gen.rows, k + 1, n)),
            None => (0, gen.rows),
        };
        // A shard takes its slice of what the single run writes here, so the
        // shards of an entry, concatenated, are the single run's entry.
        let len = whole.1 - whole.0;
        let rows = match self.shard {
            Some((k, n)) => (
                whole.0 + slice_start(len, k, n),
                whole.0 + slice_start(len, k + 1, n),
            ),
            None => whole,
        };
        let mut job = TableJob {
            dataset: self.dataset,
            src,
            target,
            router,
            columns,
            inserts,
            codec: self.codec,
            rows,
            segment_rows: SEGMENT_ROWS,
            chunk_rows: CHUNK_ROWS,
            segments: 0,
            routed_before: Vec::new(),
        };
        (job.segment_rows, job.chunk_rows) = job.rows_per_segment_and_chunk();
        job.segments = (rows.1 - rows.0).div_ceil(job.segment_rows).max(1);
        // Multi-row INSERTs of a routed partition group its own rows from its
        // first one, so each segment must know how many rows of the partition
        // come before it: count them from the partition keys alone.
        if router.is_some() && self.inserts.as_ref().is_some_and(|s| s.rows_per_insert > 1) {
            job.routed_before = job.count_routed_before();
        }
        job
    }
}

/// First row of slice `k` of `n` of `rows` rows, ⌊rows·k/n⌋, computed without overflow.
fn slice_start(rows: u64, k: u64, n: u64) -> u64 {
    let at = u128::from(rows) * u128::from(k) / u128::from(n.max(1));
    u64::try_from(at).unwrap_or(rows)
}

fn insert_encoder(table: &Table, style: &InsertStyle) -> InsertEncoder {
    let names: Vec<String> = table
        .columns
        .iter()
        .filter(|c| c.in_copy())
        .map(|c| quoted_ident(&c.name))
        .collect();
    let overriding = table
        .columns
        .iter()
        .any(|c| c.identity == Some(Identity::Always));
    InsertEncoder::new(
        &format!(
            "{}.{}",
            quoted_ident(&table.schema),
            quoted_ident(&table.name)
        ),
        &names,
        style,
        overriding,
    )
}

impl TableJob<'_> {
    /// Leaves in `chunk.rows` those of rows `from..to` of the source table
    /// that belong in this partition, judged by their partition keys alone.
    fn keep_routed(&self, router: &Router, chunk: &mut Chunk, from: u64, to: u64) {
        chunk.rows.clear();
        chunk.rows.extend(from..to);
        self.dataset
            .fill_rows(self.src, chunk, Some(&router.key_columns));
        let mut kept = 0;
        for r in 0..chunk.rows.len() {
            if router.route(&chunk.columns, r) == Some(self.target) {
                chunk.rows[kept] = chunk.rows[r];
                kept += 1;
            }
        }
        chunk.rows.truncate(kept);
    }

    /// Rows per segment: [`SEGMENT_ROWS`], or fewer for wide rows so that a
    /// segment's text stays near [`SEGMENT_BYTES`] (in steps of 256 rows,
    /// down to single rows for rows of over 16 kB); and rows of a segment's
    /// first chunk. Estimated from the table's first rows (not the slice's,
    /// so every shard cuts alike), sampled in growing chunks that stop at
    /// [`SEGMENT_BYTES`], so a table of huge values is sampled by one row.
    fn rows_per_segment_and_chunk(&self) -> (u64, u64) {
        let total = self.dataset.tables[self.src].rows;
        let limit = total.min(SAMPLE_ROWS);
        let mut chunk = self.dataset.new_chunk(self.src);
        let mut text = Vec::new();
        let (mut sampled, mut step) = (0, 1);
        while sampled < limit && (text.len() as u64) < SEGMENT_BYTES {
            let to = (sampled + step).min(limit);
            self.dataset.fill_range(self.src, sampled, to, &mut chunk);
            encode::copy_rows(&chunk, &self.columns, &mut text);
            sampled = to;
            step *= 2;
        }
        if sampled == 0 {
            return (SEGMENT_ROWS, CHUNK_ROWS);
        }
        let per_row = (text.len() as u64).div_ceil(sampled).max(1);
        let fit = SEGMENT_BYTES / per_row;
        let segment_rows = if fit < SAMPLE_ROWS {
            fit.max(1)
        } else {
            (fit / SAMPLE_ROWS * SAMPLE_ROWS).min(SEGMENT_ROWS)
        };
        (segment_rows, chunk_rows_for(text.len() as u64, sampled))
    }

    /// How many of this partition's rows come before each segment.
    fn count_routed_before(&self) -> Vec<u64> {
        let Some(router) = self.router else {
            return Vec::new();
        };
        let mut chunk = self.dataset.new_chunk(self.src);
        let mut before = Vec::with_capacity(usize::try_from(self.segments).unwrap_or(0));
        let mut total = 0;
        for i in 0..self.segments {
            before.push(total);
            let start = self.rows.0 + i * self.segment_rows;
            let end = (start + self.segment_rows).min(self.rows.1);
            let mut row = start;
            while row < end {
                let to = (row + CHUNK_ROWS).min(end);
                self.keep_routed(router, &mut chunk, row, to);
                total += chunk.rows.len() as u64;
                row = to;
            }
        }
        before
    }

    /// Generates, encodes and compresses segment `i`, handing its pieces to `emit`.
    fn segment(
        &self,
        i: u64,
        emit: &mut dyn FnMut(Piece) -> io::Result<()>,
    ) -> io::Result<Segment> {
        let last = i + 1 == self.segments;
        let start = self.rows.0 + i * self.segment_rows;
        let end = if last {
            self.rows.1
        } else {
            (start + self.segment_rows).min(self.rows.1)
        };
        let mut inserter = self.inserts.clone();
        if let Some((enc, _)) = &mut inserter {
            // Statements group rows from the start of the table, whatever the segment.
            let before = self.routed_before.get(i as usize).copied();
            enc.resume_after(before.unwrap_or(start - self.rows.0));
        }
        let mut chunk = self.dataset.new_chunk(self.src);
        let mut text = Vec::with_capacity(1 << 20);
        let mut row = start;
        let mut written = 0;
        let mut chunk_rows = self.chunk_rows;
        while row < end {
            if stopping() {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
            }
            let to = (row + chunk_rows).min(end);
            match self.router {
                None => self.dataset.fill_range(self.src, row, to, &mut chunk),
                Some(router) => {
                    // Keys first, then whole rows only for those routed here.
                    self.keep_routed(router, &mut chunk, row, to);
                    self.dataset.fill_rows(self.src, &mut chunk, None);
                }
            }
            written += chunk.rows.len() as u64;
            let before = text.len();
            if !chunk.rows.is_empty() {
                match &mut inserter {
                    Some((enc, names)) => enc.rows(&chunk, &self.columns, *names, &mut text),
                    None => encode::copy_rows(&chunk, &self.columns, &mut text),
                }
            }
            chunk_rows = chunk_rows_for((text.len() - before) as u64, to - row);
            row = to;
            self.emit_full_pieces(&mut text, emit)?;
        }
        if last {
            match &mut inserter {
                Some((enc, _)) => enc.finish(&mut text),
                None => text.extend_from_slice(encode::COPY_END),
            }
            self.emit_full_pieces(&mut text, emit)?;
        }
        // One huge row may have grown the buffer far beyond what is left.
        if text.capacity() > 2 * text.len().max(1 << 20) {
            text.shrink_to_fit();
        }
        emit(compress::piece(self.codec, text, last)?)?;
        Ok(Segment {
            scanned: end - start,
            written,
        })
    }

    /// Hands over the first [`PIECE_BYTES`] of `text` as a piece while there
    /// is more than that: the cut points depend on the text alone.
    fn emit_full_pieces(
        &self,
        text: &mut Vec<u8>,
        emit: &mut dyn FnMut(Piece) -> io::Result<()>,
    ) -> io::Result<()> {
        while text.len() > PIECE_BYTES {
            let head = text[..PIECE_BYTES].to_vec();
            text.drain(..PIECE_BYTES);
            emit(compress::piece(self.codec, head, false)?)?;
        }
        Ok(())
    }
}

/// Rows of the next chunk when `rows` rows made `bytes` bytes of text: as
/// many as fit [`CHUNK_BYTES`], from 1 to [`CHUNK_ROWS`].
fn chunk_rows_for(bytes: u64, rows: u64) -> u64 {
    let per_row = bytes.div_ceil(rows.max(1)).max(1);
    (CHUNK_BYTES / per_row).clamp(1, CHUNK_ROWS)
}

/// One table of a [`Stream`]: its segments are tasks `first..first + count`.
struct Streamed<'a> {
    dump_id: crate::dump::toc::DumpId,
    job: TableJob<'a>,
    first: usize,
    count: usize,
}

/// Table data generated ahead of the writer; see [`Generated::stream`].
pub struct Stream<'s, 'a> {
    source: &'s Generated<'a>,
    /// The tables in the order the writer is expected to ask for them.
    tables: Vec<Streamed<'a>>,
    /// Every segment of every table, in that order, as (table, segment).
    tasks: Vec<(usize, u64)>,
    queue: ordered::Queue<Piece, Segment>,
    /// The table the writer should ask for next.
    cursor: AtomicUsize,
}

impl Stream<'_, '_> {
    /// A worker thread's loop; returns when all is generated or [`Stream::stop`] was called.
    pub fn work(&self) {
        self.queue.work(|i, emit| {
            let (table, segment) = self.tasks[i];
            self.tables[table].job.segment(segment, emit)
        });
    }

    /// Workers wanted: more than the segments would idle.
    #[must_use]
    pub fn workers(&self) -> usize {
        self.source.jobs.min(self.tasks.len())
    }

    /// Releases the workers; call it when the writer is done, whether it succeeded or not.
    pub fn stop(&self) {
        self.queue.stop();
    }
}

impl DataSource for Stream<'_, '_> {
    fn write_data(&self, entry: &TocEntry, out: &mut dyn Write) -> io::Result<()> {
        let t = self.cursor.load(Ordering::Relaxed);
        let Some(table) = self.tables.get(t).filter(|s| s.dump_id == entry.dump_id) else {
            // Not the table the workers are on: generate it directly, which
            // costs speed but never correctness.
            return self.source.write_data(entry, out);
        };
        self.cursor.store(t + 1, Ordering::Relaxed);
        self.source.deliver(entry, &table.job, out, |consume, end| {
            (table.first..table.first + table.count)
                .try_for_each(|i| end(self.queue.take(i, &mut *consume)?))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The segments of table 0 of `project`, each as the sizes of its pieces.
    fn pieces(project: &str, codec: Codec) -> Vec<Vec<usize>> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("pgmock.json");
        fs_err::write(&path, project).expect("write project");
        let (schema, plan) = crate::pipeline::validate(&path, &crate::template::Options::default())
            .expect("valid project");
        let source = Generated {
            schema: &schema,
            dataset: &plan.dataset,
            inserts: None,
            routers: &plan.routers,
            codec,
            jobs: 2,
            shard: None,
            progress: &NoProgress,
            rows: AtomicU64::new(0),
            tables: AtomicUsize::new(0),
        };
        let job = source.job(0);
        (0..job.segments)
            .map(|i| {
                let mut sizes = Vec::new();
                job.segment(i, &mut |p: Piece| {
                    sizes.push(usize::try_from(p.len).expect("small"));
                    Ok(())
                })
                .expect("segment");
                sizes
            })
            .collect()
    }

    fn huge_values(rows: u64, value_bytes: usize) -> String {
        format!(
            r#"{{ "tables": {{ "blobs": {{ "rows": {rows}, "columns": {{
                "id": {{ "type": "bigint", "primary_key": true }},
                "body": {{ "type": "text", "nullable": false,
                           "generator": {{ "kind": "constant", "value": "{}" }} }} }} }} }} }}"#,
            "x".repeat(value_bytes)
        )
    }

    #[test]
    fn issue_11_segments_of_huge_values_are_cut_by_bytes() {
        // Rows of 5 MB: whatever the row count guess, no piece of text passes
        // the budget, and the text is all there.
        let value = 5 << 20;
        let segments = pieces(&huge_values(6, value), Codec::None);
        let all: Vec<usize> = segments.iter().flatten().copied().collect();
        assert!(all.iter().all(|&n| n <= PIECE_BYTES), "{all:?}");
        assert!(all.len() >= 6 * 2, "every row spans pieces: {all:?}");
        let total: usize = all.iter().sum();
        assert!(total > 6 * value && total < 6 * (value + 64), "{total}");
    }

    #[test]
    fn issue_11_cut_points_depend_on_the_text_alone() {
        // Compressed pieces show their boundaries: the same table must cut
        // alike however often it is generated (and on whichever thread).
        let project = huge_values(5, 3 << 20);
        let once = pieces(&project, Codec::Zlib(1));
        assert_eq!(once, pieces(&project, Codec::Zlib(1)));
        let plain = pieces(&project, Codec::None);
        assert!(plain.iter().flatten().all(|&n| n <= PIECE_BYTES));
    }

    #[test]
    fn narrow_rows_keep_one_piece_per_segment() {
        // The cut must not change the output of ordinary tables.
        let project = r#"{ "tables": { "t": { "rows": 70000, "columns": {
            "id": { "type": "bigint", "primary_key": true },
            "name": { "type": "text", "generator": "first_name" } } } } }"#;
        let segments = pieces(project, Codec::None);
        assert_eq!(segments.len(), 3, "32,768 rows a segment");
        assert!(segments.iter().all(|s| s.len() == 1), "{segments:?}");
    }

    #[test]
    fn chunks_shrink_for_wide_rows() {
        assert_eq!(chunk_rows_for(4096 * 10, 4096), CHUNK_ROWS);
        assert_eq!(chunk_rows_for(10 << 20, 1), 1);
        assert_eq!(chunk_rows_for(0, 0), CHUNK_ROWS);
        assert_eq!(chunk_rows_for(100 << 10, 10), 102);
    }
}
