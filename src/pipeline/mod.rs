//! The one module that knows every stage: read → load → plan → TOC → filter → write.

use std::io;
use std::path::PathBuf;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

mod ordered;
pub mod source;
pub mod verify;

use source::Generated;
pub use source::{NoProgress, Progress, TableProgress, CHUNK_ROWS, SEGMENT_ROWS};

use crate::dump::archive::{self, Header};
use crate::dump::compress::Codec;
use crate::dump::directory::Staging;
use crate::dump::filter::{self, Selection};
use crate::dump::output::AtomicOutput;
use crate::dump::plain::{self, PlainOptions};
use crate::dump::{custom, ddl, directory, tar, DataSource, Toc, TocEntry};
use crate::encode::InsertStyle;
use crate::error::{Error, Result};
use crate::plan::{Plan, PlanOptions};
use crate::schema::Schema;
use crate::template::{self, lock::LockMode};
use crate::{project, schema};

/// The number of the signal that asked the run to stop (SIGINT, SIGTERM,
/// SIGHUP), 0 while none did. Set by the CLI's signal thread and checked
/// between chunks, so a stopped run ends cleanly and removes its temporary
/// output.
pub static STOP_SIGNAL: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Whether a signal asked the run to stop.
pub(crate) fn stopping() -> bool {
    STOP_SIGNAL.load(Ordering::Relaxed) != 0
}

/// Everything `pgmock generate` needs, resolved from flags and the project file.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Project file.
    pub config: PathBuf,
    /// Output file (`None` = stdout).
    pub output: Option<PathBuf>,
    /// Seed override (`--seed`); the project's seed otherwise.
    pub seed: Option<schema::Seed>,
    /// `--scale`.
    pub scale: Option<f64>,
    /// `--rows TABLE=N`.
    pub rows: Vec<(String, u64)>,
    /// Entry selection.
    pub selection: Selection,
    /// Plain-text options.
    pub plain: PlainOptions,
    /// `Some` for `--inserts` / `--column-inserts`.
    pub inserts: Option<InsertStyle>,
    /// Fixed `\restrict` key (`--restrict-key`); derived from the seed otherwise.
    pub restrict_key: Option<String>,
    /// Write no `\restrict` lines (`--no-restrict-key`), for psql older than Aug 2025.
    pub no_restrict: bool,
    /// Output format (`-F`).
    pub format: Format,
    /// Compression (`-Z`); `None` = the format's default.
    pub compression: Option<Compression>,
    /// Worker threads (`-j`).
    pub jobs: usize,
    /// Flush the output to disk before renaming it into place (off with `--no-sync`).
    pub sync: bool,
    /// `--shard K/N` as (K−1, N): write only the K-th of N row slices of every table.
    pub shard: Option<(u64, u64)>,
    /// Where templates come from and what to do with `pgmock.lock`.
    pub templates: template::Options,
    /// Share of values replaced by edge cases (`--edge-cases RATIO`).
    pub edge_cases: f64,
    /// Write PII labels into column comments (`--pii-comments`).
    pub pii_comments: bool,
}

impl GenerateOptions {
    /// What `pgmock generate CONFIG -f OUTPUT` does with no other flags.
    #[must_use]
    pub fn defaults(config: PathBuf, output: Option<PathBuf>) -> Self {
        Self {
            config,
            output,
            seed: None,
            scale: None,
            rows: Vec::new(),
            selection: Selection::default(),
            plain: PlainOptions {
                target_version: 15,
                restrict_key: None,
                clean: false,
                if_exists: false,
                create: false,
                no_owner: false,
                no_comments: false,
                version_text: format!("15.0 (pgmock {})", env!("CARGO_PKG_VERSION")),
            },
            inserts: None,
            restrict_key: None,
            no_restrict: false,
            format: Format::Plain,
            compression: None,
            jobs: 1,
            sync: false,
            shard: None,
            templates: template::Options::default(),
            edge_cases: 0.0,
            pii_comments: false,
        }
    }
}

/// What `pgmock explain` reports of one column.
#[derive(Debug, Clone)]
pub struct ColumnExplanation {
    /// Column name.
    pub name: String,
    /// Its SQL type.
    pub type_sql: String,
    /// Which rule gave it its generator.
    pub why: String,
    /// Share of NULLs.
    pub null_ratio: f64,
    /// The values of the first rows (`NULL` for NULL).
    pub samples: Vec<String>,
}

/// What `pgmock explain` reports of one table.
#[derive(Debug, Clone)]
pub struct TableExplanation {
    /// `schema.table`.
    pub name: String,
    /// Rows it gets.
    pub rows: u64,
    /// Its columns.
    pub columns: Vec<ColumnExplanation>,
}

/// `pgmock explain`: per column of the selected tables (all when `tables` is
/// empty; `-t` patterns as in `generate`), the generator's reason and two sample values.
pub fn explain(
    config: &std::path::Path,
    templates: &template::Options,
    tables: &[String],
) -> Result<Vec<TableExplanation>> {
    let (schema, plan) = validate(config, templates)?;
    check_table_patterns(&schema, tables)?;
    let mut out = Vec::new();
    for (ti, table) in schema.tables.iter().enumerate() {
        if !selected(tables, table) {
            continue;
        }
        let gen = &plan.dataset.tables[ti];
        let mut chunk = plan.dataset.new_chunk(ti);
        let shown = gen.rows.min(2);
        if shown > 0 {
            plan.dataset.fill_range(ti, 0, shown, &mut chunk);
        }
        let columns = table
            .columns
            .iter()
            .zip(&gen.columns)
            .enumerate()
            .map(|(ci, (col, cg))| {
                let samples = (0..chunk.rows.len())
                    .map(|i| {
                        if col.generated.is_some() {
                            return "(computed by the server)".to_owned();
                        }
                        let buf = &chunk.columns[ci];
                        if buf.nulls.get(i).copied().unwrap_or(true) {
                            return "NULL".to_owned();
                        }
                        let mut text = Vec::new();
                        buf.write_text(cg.format, i, &mut text);
                        String::from_utf8_lossy(&text).into_owned()
                    })
                    .collect();
                ColumnExplanation {
                    name: col.name.clone(),
                    type_sql: ddl::type_sql(&schema, &col.ty),
                    why: cg.why.clone(),
                    null_ratio: cg.null_ratio,
                    samples,
                }
            })
            .collect();
        out.push(TableExplanation {
            name: format!("{}.{}", table.schema, table.name),
            rows: gen.rows,
            columns,
        });
    }
    Ok(out)
}

/// One column in `pgmock explain --pii`.
#[derive(Debug, Clone)]
pub struct PiiColumn {
    /// `schema.table`.
    pub table: String,
    /// Column name.
    pub column: String,
    /// Which rule gave it its generator, as `pgmock explain` says it.
    pub generator: String,
}

/// What `pgmock explain --pii` reports.
#[derive(Debug, Clone, Default)]
pub struct PiiReport {
    /// Columns with a `pii` label, and the label.
    pub labelled: Vec<(PiiColumn, schema::Pii)>,
    /// Columns without one whose name or generator looks like direct PII.
    pub unlabelled: Vec<(PiiColumn, crate::plan::PiiLook)>,
}

/// `pgmock explain --pii`: the labelled columns of the selected tables, and
/// the unlabelled ones that look like direct PII. Partitions are left out:
/// their columns are their parent's.
pub fn explain_pii(
    config: &std::path::Path,
    templates: &template::Options,
    tables: &[String],
) -> Result<PiiReport> {
    let (schema, plan) = validate(config, templates)?;
    check_table_patterns(&schema, tables)?;
    let mut report = PiiReport::default();
    for (ti, table) in schema.tables.iter().enumerate() {
        if table.partition_of.is_some() || !selected(tables, table) {
            continue;
        }
        for (ci, (col, gen)) in table
            .columns
            .iter()
            .zip(&plan.dataset.tables[ti].columns)
            .enumerate()
        {
            let row = || PiiColumn {
                table: format!("{}.{}", table.schema, table.name),
                column: col.name.clone(),
                generator: gen.why.clone(),
            };
            if let Some(label) = col.pii {
                report.labelled.push((row(), label));
            } else if let Some(look) = crate::plan::pii_look(&schema, ti, ci) {
                report.unlabelled.push((row(), look));
            }
        }
    }
    Ok(report)
}

/// Every `-t` pattern of `explain` must match a table, as in `generate`.
fn check_table_patterns(schema: &Schema, tables: &[String]) -> Result<()> {
    for pattern in tables {
        if !schema
            .tables
            .iter()
            .any(|t| filter::matches(pattern, &t.schema, &t.name))
        {
            return Err(Error::NoMatch {
                pattern: pattern.clone(),
            });
        }
    }
    Ok(())
}

/// Whether `-t` patterns select `table` (all tables without patterns).
fn selected(tables: &[String], table: &schema::Table) -> bool {
    tables.is_empty()
        || tables
            .iter()
            .any(|p| filter::matches(p, &table.schema, &table.name))
}

/// Refuses, before any work, an output that cannot take the dump: a
/// folder for a one-file format, a closed standard output, binary data for a
/// terminal, standard output for the directory format.
fn check_output(opts: &GenerateOptions) -> Result<()> {
    let target = opts.output.as_deref().filter(|p| p.as_os_str() != "-");
    let compressed = !matches!(opts.compression, None | Some(Compression::None));
    let (writes, binary) = match opts.format {
        Format::Directory if target.is_none() => {
            return Err(Error::InvalidArgument {
                flag: "-f/--file".into(),
                value: "(standard output)".into(),
                expected: "a folder name: directory format (-F d) writes one file per table".into(),
            })
        }
        Format::Directory => {
            return target.map_or(Ok(()), crate::dump::directory::check_target);
        }
        Format::Plain if compressed => ("a compressed SQL script", true),
        Format::Plain => ("a plain SQL script", false),
        Format::Custom => ("a custom-format archive", true),
        Format::Tar => ("a tar archive", true),
    };
    crate::dump::output::check(target, writes, binary)
}

/// Output formats, as `pg_dump -F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A SQL script for psql.
    Plain,
    /// One archive file for pg_restore.
    Custom,
    /// A folder with `toc.dat` and one file per table.
    Directory,
    /// A tar archive.
    Tar,
}

/// Compression of the data, as `pg_dump -Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Uncompressed.
    None,
    /// gzip/zlib at a level (1..=9), or zlib's default (6) for `None`.
    Gzip(Option<u32>),
    /// LZ4 frames (archive version 1.15: pg_restore 16 and newer).
    Lz4,
    /// Zstandard frames at a level (1..=22, default 3; archive version 1.15).
    Zstd(Option<i32>),
}

impl Compression {
    /// The value the 1.14 archive header stores: 0 none, −1 default, else the level.
    #[must_use]
    pub fn header_value(self) -> i32 {
        match self {
            Self::None | Self::Lz4 | Self::Zstd(_) => 0,
            Self::Gzip(None) => -1,
            Self::Gzip(Some(level)) => i32::try_from(level).unwrap_or(-1),
        }
    }

    /// How a custom archive's blocks are stored (directory files use gzip members instead of zlib).
    #[must_use]
    pub fn codec(self) -> Codec {
        match self {
            Self::None => Codec::None,
            Self::Gzip(level) => Codec::Zlib(level.unwrap_or(6)),
            Self::Lz4 => Codec::Lz4,
            Self::Zstd(level) => Codec::Zstd(level.unwrap_or(3)),
        }
    }

    /// Whether the archive needs version 1.15, whose header names the algorithm.
    #[must_use]
    pub fn needs_1_15(self) -> bool {
        matches!(self, Self::Lz4 | Self::Zstd(_))
    }
}

/// What a run produced, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Tables with data written.
    pub tables: usize,
    /// Rows written.
    pub rows: u64,
    /// Bytes written.
    pub bytes: u64,
    /// The seed used, as the user gave it.
    pub seed: schema::Seed,
    /// Warnings from planning.
    pub warnings: Vec<String>,
    /// What the kept entries need that `-n`/`-t`/`-N`/`-T` left out (always shown).
    pub left_out: Vec<String>,
}

/// Loads and validates a project: templates, schema and plan.
pub fn load(
    config: &std::path::Path,
    templates: &template::Options,
    plan_options: impl FnOnce(&Schema) -> PlanOptions,
) -> Result<(Schema, Plan)> {
    load_with(config, templates, |s| Ok(plan_options(s)))
}

/// Reads a project file and resolves its templates into the effective document
/// (writing `pgmock.lock` when asked to update it).
pub fn resolve(
    config: &std::path::Path,
    templates: &template::Options,
) -> Result<template::Resolved> {
    let file = project::read(config)?;
    let resolved = template::resolve(config, file, templates)?;
    write_lock(&resolved, templates)?;
    Ok(resolved)
}

/// Writes the lock of a resolution when `--update` (or `pgmock lock`) asked for it and it changed.
fn write_lock(resolved: &template::Resolved, templates: &template::Options) -> Result<()> {
    if templates.lock != LockMode::Update
        || !resolved.lock_changed
        || resolved.lock.templates.is_empty()
    {
        return Ok(());
    }
    let mut out = AtomicOutput::create(Some(&resolved.lock_path))?;
    io::Write::write_all(&mut out, resolved.lock.to_text().as_bytes())
        .map_err(|e| Error::io(&resolved.lock_path, e))?;
    out.commit(true)
}

/// [`load`], where choosing the plan options may fail (a bad flag).
fn load_with(
    config: &std::path::Path,
    templates: &template::Options,
    plan_options: impl FnOnce(&Schema) -> Result<PlanOptions>,
) -> Result<(Schema, Plan)> {
    let resolved = resolve(config, templates)?;
    let template::Resolved {
        document, sources, ..
    } = resolved;
    let invalid = |problems| Error::Invalid {
        sources: Box::new(sources.clone()),
        problems,
    };
    let mut schema = schema::load(&document).map_err(invalid)?;
    // The schema owns what it needs; the plan's allocations reuse the
    // document's memory (600,000 columns: 400 MB fewer fresh pages).
    drop(document);
    schema::values_file::read(&mut schema, &sources).map_err(invalid)?;
    let options = plan_options(&schema)?;
    let plan = Plan::build(&schema, &options).map_err(invalid)?;
    Ok((schema, plan))
}

/// `pgmock validate`: loads and plans without writing anything.
pub fn validate(config: &std::path::Path, templates: &template::Options) -> Result<(Schema, Plan)> {
    load(config, templates, |s| PlanOptions {
        seed: crate::generate::rng::run_seed(&s.seed),
        ..PlanOptions::default()
    })
}

/// `--rows` names tables of the project; a name that is not one is a usage
/// error about the flag (there is no place in the file to point at).
fn check_row_overrides(schema: &Schema, rows: &[(String, u64)]) -> Result<()> {
    for (name, count) in rows {
        if schema.table_named(name).is_some() {
            continue;
        }
        let names = schema.tables.iter().map(|t| t.name.as_str());
        let hint = crate::diagnostic::did_you_mean(name, names)
            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        return Err(Error::InvalidArgument {
            flag: "--rows".into(),
            value: format!("{name}={count}"),
            expected: format!("`{name}` is not a table of the project{hint}"),
        });
    }
    Ok(())
}

/// `pgmock generate`.
pub fn generate(opts: &GenerateOptions, progress: &dyn Progress) -> Result<Summary> {
    check_output(opts)?;
    let (schema, plan) = load_with(&opts.config, &opts.templates, |s| {
        check_row_overrides(s, &opts.rows)?;
        Ok(PlanOptions {
            seed: crate::generate::rng::run_seed(opts.seed.as_ref().unwrap_or(&s.seed)),
            scale: opts.scale,
            rows: opts.rows.iter().cloned().collect(),
            edge_cases: opts.edge_cases,
        })
    })?;
    let seed = opts.seed.clone().unwrap_or_else(|| schema.seed.clone());
    let rows: Vec<u64> = plan.dataset.tables.iter().map(|t| t.rows).collect();
    let mut toc = ddl::build(
        &schema,
        &ddl::DdlInput {
            rows: &rows,
            data_order: &plan.data_order,
            routed: &plan.routers.iter().map(Option::is_some).collect::<Vec<_>>(),
            sequence_values: &plan.sequence_values,
            pii_comments: opts.pii_comments,
        },
    );
    let names: filter::TableNames = schema
        .tables
        .iter()
        .map(|t| (t.schema.clone(), t.name.clone()))
        .collect();
    let unmatched = filter::apply(&mut toc, &opts.selection, &names);
    if let Some(pattern) = unmatched.schemas.into_iter().next() {
        return Err(Error::NoMatchingSchema { pattern });
    }
    if let Some(pattern) = unmatched.tables.into_iter().next() {
        return Err(Error::NoMatch { pattern });
    }
    let left_out = unmatched.left_out;
    if opts.inserts.is_some() {
        // INSERT data streams carry SQL, so pg_dump leaves copyStmt empty.
        for e in &mut toc.entries {
            e.copy_stmt = None;
        }
    }
    let mut plain_opts = opts.plain.clone();
    plain_opts.restrict_key = if opts.no_restrict {
        None
    } else {
        Some(
            opts.restrict_key
                .clone()
                .unwrap_or_else(|| restrict_key(crate::generate::rng::run_seed(&seed))),
        )
    };
    let compression = opts.compression.unwrap_or(match opts.format {
        Format::Custom | Format::Directory => Compression::Gzip(None),
        Format::Plain | Format::Tar => Compression::None,
    });
    // Compression happens on the worker threads, in pieces the writer joins.
    let codec = match opts.format {
        Format::Custom => compression.codec(),
        Format::Directory => compression.codec().as_gzip(),
        Format::Plain | Format::Tar => Codec::None,
    };
    let source = Generated {
        schema: &schema,
        dataset: &plan.dataset,
        inserts: opts.inserts.clone(),
        routers: &plan.routers,
        codec,
        jobs: opts.jobs,
        shard: opts.shard,
        progress,
        rows: AtomicU64::new(0),
        tables: AtomicUsize::new(0),
    };
    let bytes = write_output(opts, compression, &toc, &source, &plain_opts)?;
    Ok(Summary {
        tables: source.tables.into_inner(),
        rows: source.rows.into_inner(),
        bytes,
        seed,
        warnings: plan.warnings,
        left_out,
    })
}

/// Renders the TOC in the chosen format; returns the bytes written.
fn write_output(
    opts: &GenerateOptions,
    compression: Compression,
    toc: &Toc,
    source: &Generated<'_>,
    plain_opts: &PlainOptions,
) -> Result<u64> {
    // Only archives carry a creation time; a plain script has none to set.
    let created = match opts.format {
        Format::Plain => archive::DEFAULT_CREATED,
        _ => archive::creation_time().map_err(|value| Error::InvalidArgument {
            flag: "SOURCE_DATE_EPOCH".into(),
            value,
            expected: "whole seconds since 1970-01-01 (up to the year 9999)".into(),
        })?,
    };
    let header = |format| Header {
        format,
        compression: compression.header_value(),
        algorithm: compression
            .needs_1_15()
            .then(|| compression.codec().algorithm()),
        created,
        database: toc.database.clone(),
        server_version: plain_opts.version_text.clone(),
        dump_version: plain_opts.version_text.clone(),
    };
    let fail = |path: &std::path::Path, e: io::Error| {
        if stopping() {
            Error::Interrupted {
                signal: STOP_SIGNAL.load(Ordering::Relaxed),
            }
        } else {
            Error::io(path, e)
        }
    };
    if opts.format == Format::Directory {
        let Some(target) = opts.output.as_deref().filter(|p| p.as_os_str() != "-") else {
            return Err(Error::InvalidArgument {
                flag: "-f/--file".into(),
                value: "(standard output)".into(),
                expected: "a folder name: directory format (-F d) writes one file per table".into(),
            });
        };
        let staging = Staging::create(target)?;
        let header = header(archive::FORMAT_TAR);
        let suffix = source.codec.file_suffix();
        // One file at a time: the workers already generate several tables at once.
        let bytes = with_workers(opts.jobs, toc, source, |data| {
            directory::write(staging.path(), toc, data, &header, suffix)
        })
        .map_err(|e| fail(target, e))?;
        staging.commit(opts.sync)?;
        return Ok(bytes);
    }
    let mut out = AtomicOutput::create(opts.output.as_deref())?;
    let path = out.display_path();
    let spool = out.spool_dir();
    let result = with_workers(opts.jobs, toc, source, |data| match opts.format {
        Format::Plain => write_plain(&mut out, compression, toc, data, plain_opts),
        Format::Custom => custom::write(&mut out, toc, data, &header(archive::FORMAT_CUSTOM)),
        Format::Tar => tar::write(
            &mut out,
            toc,
            data,
            &header(archive::FORMAT_TAR),
            plain_opts,
            &spool,
        ),
        Format::Directory => Ok(()),
    });
    result.map_err(|e| fail(&path, e))?;
    let bytes = out.len();
    out.commit(opts.sync)?;
    Ok(bytes)
}

/// Runs `write` with a data source whose `jobs` worker threads generate
/// the tables' segments in TOC order, running ahead across table boundaries
/// while the writer takes one table at a time, so many small tables keep
/// every core busy as one big table does.
fn with_workers<T>(
    jobs: usize,
    toc: &Toc,
    source: &Generated<'_>,
    write: impl FnOnce(&dyn DataSource) -> io::Result<T>,
) -> io::Result<T> {
    if jobs <= 1 {
        return write(source);
    }
    let entries: Vec<&TocEntry> = toc.entries.iter().filter(|e| e.has_data()).collect();
    let stream = source.stream(&entries);
    /// Releases the workers however the writer ends, a panic included:
    /// the scope below waits for them.
    struct StopOnDrop<'s, 'g>(&'s source::Stream<'s, 'g>);
    impl Drop for StopOnDrop<'_, '_> {
        fn drop(&mut self) {
            self.0.stop();
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..stream.workers() {
            scope.spawn(|| stream.work());
        }
        let _stop = StopOnDrop(&stream);
        write(&stream)
    })
}

/// A plain script, compressed as a whole when `-Z` asks (as `pg_dump -Fp -Z` does).
fn write_plain(
    out: &mut AtomicOutput,
    compression: Compression,
    toc: &Toc,
    source: &dyn DataSource,
    plain_opts: &PlainOptions,
) -> io::Result<()> {
    match compression {
        Compression::None => plain::write(out, toc, source, plain_opts),
        Compression::Gzip(level) => {
            let level = flate2::Compression::new(level.unwrap_or(6));
            let mut z = flate2::write::GzEncoder::new(out, level);
            plain::write(&mut z, toc, source, plain_opts)?;
            z.try_finish()
        }
        Compression::Lz4 => {
            let mut z = lz4_flex::frame::FrameEncoder::new(out);
            plain::write(&mut z, toc, source, plain_opts)?;
            z.finish().map(drop).map_err(io::Error::other)
        }
        Compression::Zstd(level) => {
            let mut z = zstd::stream::write::Encoder::new(out, level.unwrap_or(3))?;
            plain::write(&mut z, toc, source, plain_opts)?;
            z.finish().map(drop)
        }
    }
}

/// The `\restrict` key: 63 characters from `[A-Za-z0-9]`, a pure function of the seed.
#[must_use]
pub fn restrict_key(seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let key = crate::generate::rng::derive(seed, "#restrict");
    (0..63u64)
        .map(|i| {
            char::from(
                ALPHABET
                    [crate::generate::rng::below(crate::generate::rng::mix(key ^ i), 62) as usize],
            )
        })
        .collect()
}
