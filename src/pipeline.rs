//! The one module that knows every stage: read → load → plan → TOC → filter → write.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::dump::filter::{self, Selection};
use crate::dump::output::AtomicOutput;
use crate::dump::plain::{self, PlainOptions};
use crate::dump::{ddl, DataSource, TocEntry};
use crate::encode::{self, InsertEncoder, InsertStyle, OutColumn};
use crate::error::{Error, Result};
use crate::generate::Dataset;
use crate::pgtext::escape::quoted_ident;
use crate::plan::{Plan, PlanOptions};
use crate::schema::Schema;
use crate::{project, schema};

/// Set by the SIGINT handler; checked between chunks so an interrupted run
/// stops cleanly and its temporary file is removed.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Rows generated per chunk: large enough to amortise dispatch, small enough to stay in cache.
pub const CHUNK_ROWS: u64 = 4096;

/// Everything `pgmock generate` needs, resolved from flags and the project file.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Project file.
    pub config: PathBuf,
    /// Output file (`None` = stdout).
    pub output: Option<PathBuf>,
    /// Seed override (`--seed`); the project's seed otherwise.
    pub seed: Option<u64>,
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
    /// The seed used.
    pub seed: u64,
    /// Warnings from planning.
    pub warnings: Vec<String>,
}

/// Loads and validates a project: schema and plan.
pub fn load(
    config: &std::path::Path,
    plan_options: impl FnOnce(&Schema) -> PlanOptions,
) -> Result<(Schema, Plan)> {
    let file = project::read(config)?;
    let schema = schema::load(&file.document).map_err(|problems| Error::Invalid {
        source_doc: Box::new(file.source.clone()),
        problems,
    })?;
    let options = plan_options(&schema);
    let plan = Plan::build(&schema, &options).map_err(|problems| Error::Invalid {
        source_doc: Box::new(file.source.clone()),
        problems,
    })?;
    Ok((schema, plan))
}

/// `pgmock validate`: loads and plans without writing anything.
pub fn validate(config: &std::path::Path) -> Result<(Schema, Plan)> {
    load(config, |s| PlanOptions {
        seed: s.seed,
        ..PlanOptions::default()
    })
}

/// `pgmock generate`.
pub fn generate(opts: &GenerateOptions) -> Result<Summary> {
    let (schema, plan) = load(&opts.config, |s| PlanOptions {
        seed: opts.seed.unwrap_or(s.seed),
        scale: opts.scale,
        rows: opts.rows.iter().cloned().collect(),
    })?;
    let seed = opts.seed.unwrap_or(schema.seed);
    let rows: Vec<u64> = plan.dataset.tables.iter().map(|t| t.rows).collect();
    let mut toc = ddl::build(
        &schema,
        &ddl::DdlInput {
            rows: &rows,
            data_order: &plan.data_order,
        },
    );
    let names: filter::TableNames = schema
        .tables
        .iter()
        .map(|t| (t.schema.clone(), t.name.clone()))
        .collect();
    let unmatched = filter::apply(&mut toc, &opts.selection, &names);
    if let Some(pattern) = unmatched.into_iter().next() {
        return Err(Error::NoMatch { pattern });
    }
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
                .unwrap_or_else(|| restrict_key(seed)),
        )
    };
    let mut out = AtomicOutput::create(opts.output.as_deref())?;
    let path = out.display_path();
    let mut source = Generated {
        schema: &schema,
        dataset: &plan.dataset,
        inserts: opts.inserts.clone(),
        rows: 0,
        tables: 0,
    };
    let mut counter = CountingWriter {
        inner: &mut out,
        bytes: 0,
    };
    plain::write(&mut counter, &toc, &mut source, &plain_opts).map_err(|e| {
        if INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed) {
            Error::Interrupted
        } else {
            Error::io(&path, e)
        }
    })?;
    let bytes = counter.bytes;
    out.commit()?;
    Ok(Summary {
        tables: source.tables,
        rows: source.rows,
        bytes,
        seed,
        warnings: plan.warnings,
    })
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

struct CountingWriter<'a, W: Write> {
    inner: &'a mut W,
    bytes: u64,
}

impl<W: Write> Write for CountingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Generates and encodes table data on demand for the writers.
struct Generated<'a> {
    schema: &'a Schema,
    dataset: &'a Dataset,
    inserts: Option<InsertStyle>,
    rows: u64,
    tables: usize,
}

impl DataSource for Generated<'_> {
    fn write_data(&mut self, entry: &TocEntry, out: &mut dyn Write) -> io::Result<()> {
        let Some(ti) = entry.data_table else {
            return Ok(());
        };
        let table = &self.schema.tables[ti];
        let gen = &self.dataset.tables[ti];
        let columns: Vec<OutColumn> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| OutColumn {
                index: i,
                format: gen.columns[i].format,
                generated: c.generated.is_some(),
            })
            .collect();
        let mut inserter = self.inserts.as_ref().map(|style| {
            let names: Vec<String> = table
                .columns
                .iter()
                .filter(|c| c.in_copy())
                .map(|c| quoted_ident(&c.name))
                .collect();
            let overriding = table
                .columns
                .iter()
                .any(|c| c.identity == Some(crate::schema::Identity::Always));
            (
                InsertEncoder::new(
                    &format!(
                        "{}.{}",
                        quoted_ident(&table.schema),
                        quoted_ident(&table.name)
                    ),
                    &names,
                    style,
                    overriding,
                ),
                style.column_names,
            )
        });
        let mut chunk = self.dataset.new_chunk(ti);
        let mut buf = Vec::with_capacity(1 << 20);
        let mut start = 0;
        while start < gen.rows {
            if INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
            }
            let end = (start + CHUNK_ROWS).min(gen.rows);
            self.dataset.fill_range(ti, start, end, &mut chunk);
            buf.clear();
            match &mut inserter {
                Some((enc, names)) => enc.rows(&chunk, &columns, *names, &mut buf),
                None => encode::copy_rows(&chunk, &columns, &mut buf),
            }
            out.write_all(&buf)?;
            start = end;
        }
        match &mut inserter {
            Some((enc, _)) => {
                buf.clear();
                enc.finish(&mut buf);
                out.write_all(&buf)?;
            }
            None => out.write_all(encode::COPY_END)?,
        }
        self.rows += gen.rows;
        self.tables += 1;
        Ok(())
    }
}
