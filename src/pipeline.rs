//! The one module that knows every stage: read → load → plan → TOC → filter → write.

use std::io::{self, Write};
use std::path::PathBuf;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::dump::archive::{self, Header};
use crate::dump::directory::Staging;
use crate::dump::filter::{self, Selection};
use crate::dump::output::AtomicOutput;
use crate::dump::plain::{self, PlainOptions};
use crate::dump::{custom, ddl, directory, tar, DataSource, Toc, TocEntry};
use crate::encode::{self, InsertEncoder, InsertStyle, OutColumn};
use crate::error::{Error, Result};
use crate::generate::Dataset;
use crate::pgtext::escape::quoted_ident;
use crate::plan::partition::Router;
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
    /// Output format (`-F`).
    pub format: Format,
    /// Compression (`-Z`); `None` = the format's default.
    pub compression: Option<Compression>,
    /// Worker threads (`-j`).
    pub jobs: usize,
    /// Flush the output to disk before renaming it into place (off with `--no-sync`).
    pub sync: bool,
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
}

impl Compression {
    /// The value the 1.14 archive header stores: 0 none, −1 default, else the level.
    #[must_use]
    pub fn header_value(self) -> i32 {
        match self {
            Self::None => 0,
            Self::Gzip(None) => -1,
            Self::Gzip(Some(level)) => i32::try_from(level).unwrap_or(-1),
        }
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
            routed: &plan.routers.iter().map(Option::is_some).collect::<Vec<_>>(),
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
    let source = Generated {
        schema: &schema,
        dataset: &plan.dataset,
        inserts: opts.inserts.clone(),
        routers: &plan.routers,
        rows: AtomicU64::new(0),
        tables: AtomicUsize::new(0),
    };
    let bytes = write_output(opts, &toc, &source, &plain_opts)?;
    Ok(Summary {
        tables: source.tables.into_inner(),
        rows: source.rows.into_inner(),
        bytes,
        seed,
        warnings: plan.warnings,
    })
}

/// Renders the TOC in the chosen format; returns the bytes written.
fn write_output(
    opts: &GenerateOptions,
    toc: &Toc,
    source: &Generated<'_>,
    plain_opts: &PlainOptions,
) -> Result<u64> {
    let compression = opts.compression.unwrap_or(match opts.format {
        Format::Custom | Format::Directory => Compression::Gzip(None),
        Format::Plain | Format::Tar => Compression::None,
    });
    let header = |format| Header {
        format,
        compression: compression.header_value(),
        created: archive::creation_time(),
        database: toc.database.clone(),
        server_version: plain_opts.version_text.clone(),
        dump_version: plain_opts.version_text.clone(),
    };
    let fail = |path: &std::path::Path, e: io::Error| {
        if INTERRUPTED.load(Ordering::Relaxed) {
            Error::Interrupted
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
        let bytes = directory::write(staging.path(), toc, source, &header, opts.jobs)
            .map_err(|e| fail(target, e))?;
        staging.commit(opts.sync)?;
        return Ok(bytes);
    }
    let mut out = AtomicOutput::create(opts.output.as_deref())?;
    let path = out.display_path();
    match opts.format {
        Format::Plain => match compression {
            Compression::None => plain::write(&mut out, toc, source, plain_opts),
            Compression::Gzip(_) => {
                let level = custom::zlib_level(compression.header_value());
                let mut z = flate2::write::GzEncoder::new(&mut out, level);
                plain::write(&mut z, toc, source, plain_opts).and_then(|()| z.try_finish())
            }
        },
        Format::Custom => custom::write(&mut out, toc, source, &header(archive::FORMAT_CUSTOM)),
        Format::Tar => {
            let spool = out.spool_dir();
            tar::write(
                &mut out,
                toc,
                source,
                &header(archive::FORMAT_TAR),
                plain_opts,
                &spool,
            )
        }
        Format::Directory => Ok(()),
    }
    .map_err(|e| fail(&path, e))?;
    let bytes = out.len();
    out.commit(opts.sync)?;
    Ok(bytes)
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

/// Generates and encodes table data on demand for the writers.
struct Generated<'a> {
    schema: &'a Schema,
    dataset: &'a Dataset,
    inserts: Option<InsertStyle>,
    routers: &'a [Option<Router>],
    rows: AtomicU64,
    tables: AtomicUsize,
}

impl DataSource for Generated<'_> {
    fn write_data(&self, entry: &TocEntry, out: &mut dyn Write) -> io::Result<()> {
        let Some(ti) = entry.data_table else {
            return Ok(());
        };
        let table = &self.schema.tables[ti];
        // A routed partition's rows are the rows of its partitioned table that
        // route to it; they are generated as that table's rows.
        let (src, router) = match &table.partition_of {
            Some((parent, _)) => match &self.routers[*parent] {
                Some(r) => (*parent, Some(r)),
                None => (ti, None),
            },
            None => (ti, None),
        };
        let gen = &self.dataset.tables[src];
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
        let mut chunk = self.dataset.new_chunk(src);
        let mut buf = Vec::with_capacity(1 << 20);
        let mut start = 0;
        let mut written = 0;
        while start < gen.rows {
            if INTERRUPTED.load(Ordering::Relaxed) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
            }
            let end = (start + CHUNK_ROWS).min(gen.rows);
            match router {
                None => self.dataset.fill_range(src, start, end, &mut chunk),
                Some(router) => {
                    // Keys first, then whole rows only for those routed here.
                    chunk.rows.clear();
                    chunk.rows.extend(start..end);
                    self.dataset
                        .fill_rows(src, &mut chunk, Some(&router.key_columns));
                    let mine: Vec<u64> = (0..chunk.rows.len())
                        .filter(|&i| router.route(&chunk.columns, i) == Some(ti))
                        .map(|i| chunk.rows[i])
                        .collect();
                    chunk.rows = mine;
                    self.dataset.fill_rows(src, &mut chunk, None);
                }
            }
            written += chunk.rows.len() as u64;
            start = end;
            if chunk.rows.is_empty() {
                continue;
            }
            buf.clear();
            match &mut inserter {
                Some((enc, names)) => enc.rows(&chunk, &columns, *names, &mut buf),
                None => encode::copy_rows(&chunk, &columns, &mut buf),
            }
            out.write_all(&buf)?;
        }
        match &mut inserter {
            Some((enc, _)) => {
                buf.clear();
                enc.finish(&mut buf);
                out.write_all(&buf)?;
            }
            None => out.write_all(encode::COPY_END)?,
        }
        self.rows.fetch_add(written, Ordering::Relaxed);
        self.tables.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}
