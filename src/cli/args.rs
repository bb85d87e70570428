//! Command-line syntax (clap derive only). Flags that mean what pg_dump's
//! mean are spelled like pg_dump's.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Realistic, reproducible PostgreSQL dumps from declarative JSON schemas.
#[derive(Debug, Parser)]
#[command(name = "pgmock", version, about, long_about = None, after_help = "Examples:\n  pgmock generate examples/shop.json -f shop.sql\n  pgmock generate --seed 7 --scale 0.1 -f small.sql\n  pgmock generate -t orders --inserts\n  pgmock validate examples/shop.json\n  pgmock generate -F c -f shop.dump && pgmock inspect shop.dump\n\nExit codes: 0 ok, 1 the run failed (I/O), 2 invalid input or usage,\n130 Ctrl-C, 143 SIGTERM, 129 SIGHUP (128 + the signal).")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a dump from a schema file.
    #[command(
        after_help = "Examples:\n  pgmock generate examples/shop.json -f shop.sql\n  pgmock generate -s -f schema.sql && pgmock generate -a -f data.sql\n  pgmock generate --rows orders=100000 --seed random -f big.sql"
    )]
    Generate(Box<GenerateArgs>),
    /// Check a schema file without writing anything (exit 0 valid, 2 invalid, 1 unreadable).
    #[command(
        after_help = "Examples:\n  pgmock validate\n  pgmock validate examples/shop.json\n  pgmock validate project.json && pgmock generate project.json -F c -f db.dump\n\nEvery problem is reported at once, with its file position and JSON path."
    )]
    Validate(ValidateArgs),
    /// Print an archive's table of contents as `pg_restore -l` does (custom, directory or tar).
    #[command(
        after_help = "Examples:\n  pgmock inspect shop.dump\n  pgmock inspect --verify shop.dir\n  pgmock inspect shop.dump | grep -v 'TABLE DATA public orders' > list\n  pg_restore -L list -d db shop.dump\n\nExit codes: 0 ok, 1 cannot read the archive, 2 not a valid archive or (with --verify) damaged data."
    )]
    Inspect(InspectArgs),
    /// Start a project from templates: writes pgmock.json (and a README) that `pgmock generate` turns into a dump.
    #[command(
        after_help = "Examples:\n  pgmock new shop --template ecommerce\n  pgmock new --template ecommerce@^1 --template saas --param customers=5000\n  pgmock new demo -t healthcare -p healthcare.patients=200\n\n`pgmock templates list` shows the templates there are."
    )]
    New(NewArgs),
    /// Print the effective project: templates, includes, overrides and patches applied.
    #[command(
        after_help = "Examples:\n  pgmock resolve\n  pgmock resolve shop/pgmock.json > resolved.json\n  pgmock resolve --lock\n\nGenerating from the printed document gives the same dump as generating from the project."
    )]
    Resolve(ResolveArgs),
    /// Write pgmock.lock: the exact version, source and sha256 of every template the project uses.
    Lock(LockArgs),
    /// List and show templates.
    Templates(TemplatesArgs),
    /// Show, per column, the generator it gets and why, with two sample values.
    #[command(
        after_help = "Examples:\n  pgmock explain\n  pgmock explain -t orders -t customers\n  pgmock explain examples/shop.json -t 'public.order*'\n  pgmock explain --pii"
    )]
    Explain(ExplainArgs),
    /// List the semantic kinds pgmock infers from column names (`--markdown` for the README table).
    Kinds(KindsArgs),
    /// Make, check, install and remove template packs.
    #[command(
        after_help = "Examples:\n  pgmock pack init acme-templates --name acme\n  pgmock pack verify acme-templates\n  pgmock pack build acme-templates -o dist\n  pgmock pack install dist/acme-0.1.0.tar.gz\n  pgmock pack list\n\nProjects use a pack's templates as `PACK/NAME@RANGE` (`acme/claims@^2`)."
    )]
    Pack(PackArgs),
}

/// `pgmock pack`.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PackCommand,
}

/// `pgmock pack` subcommands.
#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Create a pack folder: manifest, one example template, README.
    Init {
        /// The folder (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The pack's name (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Write NAME-VERSION.tar.gz with a SHA256SUMS of every file.
    Build {
        /// The pack folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Folder for the archive.
        #[arg(short = 'o', long = "output", value_name = "DIR", default_value = ".")]
        output: PathBuf,
    },
    /// Resolve, validate and generate every template of a pack (folder or archive) at a small
    /// scale, and check each template's realism contract in a throwaway PostgreSQL server.
    #[command(
        after_help = "Examples:\n  pgmock pack verify acme-templates\n  pgmock pack verify dist/acme-0.1.0.tar.gz --scale 0.05 --scale 1 --seed 1 --seed 2 -F p -F c\n\nA template's contract is the `contract.json` beside its `template.json`. Contracts need\nPostgreSQL's server programs (initdb, pg_ctl, postgres, psql, pg_restore: from `pg_config\n--bindir`, /usr/lib/postgresql/*/bin or PGMOCK_PG_BINDIR); without them they are skipped, and\nthe report says so."
    )]
    Verify {
        /// The pack folder or archive.
        #[arg(default_value = ".")]
        source: PathBuf,
        /// What to try each template with.
        #[command(flatten)]
        trials: TrialArgs,
    },
    /// Install a pack (archive or folder) for every project of this user, or with --project for one project.
    Install {
        /// The pack archive or folder.
        source: PathBuf,
        /// Install into this project's `.pgmock/packs` instead of the user's pack folder.
        #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".")]
        project: Option<PathBuf>,
    },
    /// List installed packs.
    List {
        /// Also list the packs of this project (default: the current folder).
        #[arg(long, value_name = "DIR", default_value = ".")]
        project: PathBuf,
    },
    /// Remove an installed pack, `NAME` (every version) or `NAME@VERSION`.
    Remove {
        /// `NAME` or `NAME@VERSION`.
        pack: String,
        /// Remove it from this project's `.pgmock/packs` instead of the user's pack folder.
        #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".")]
        project: Option<PathBuf>,
    },
}

/// `pgmock inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A custom-format file, a directory-format folder or a tar file.
    pub archive: PathBuf,
    /// Also re-read every data block: decompress it and check each COPY row's column count.
    #[arg(long)]
    pub verify: bool,
}

/// `pgmock validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Project file.
    #[arg(default_value = "pgmock.json")]
    pub config: PathBuf,
    /// Where templates come from and what to do with `pgmock.lock`.
    #[command(flatten)]
    pub templates: TemplateArgs,
}

/// `pgmock resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Project file.
    #[arg(default_value = "pgmock.json")]
    pub config: PathBuf,
    /// Write the document to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write `pgmock.lock` with the exact templates used.
    #[arg(long = "lock")]
    pub lock: bool,
    /// Where templates come from and what to do with `pgmock.lock`.
    #[command(flatten)]
    pub templates: TemplateArgs,
}

/// `pgmock explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Project file.
    #[arg(default_value = "pgmock.json")]
    pub config: PathBuf,
    /// Only tables matching PATTERN (as `pg_dump -t`); repeatable.
    #[arg(short = 't', long = "table", value_name = "PATTERN")]
    pub table: Vec<String>,
    /// List the columns labelled `pii`, and the unlabelled ones that look like PII.
    #[arg(long = "pii")]
    pub pii: bool,
    /// Where templates come from and what to do with `pgmock.lock`.
    #[command(flatten)]
    pub templates: TemplateArgs,
}

/// `pgmock kinds`.
#[derive(Debug, Args)]
pub struct KindsArgs {
    /// Print the README's Markdown table.
    #[arg(long)]
    pub markdown: bool,
}

/// `pgmock lock`.
#[derive(Debug, Args)]
pub struct LockArgs {
    /// Project file.
    #[arg(default_value = "pgmock.json")]
    pub config: PathBuf,
    /// Also look for templates in DIR; repeatable.
    #[arg(long = "template-path", value_name = "DIR")]
    pub template_path: Vec<PathBuf>,
    /// Only check that `pgmock.lock` is up to date; write nothing (exit 2 if not).
    #[arg(long = "check")]
    pub check: bool,
}

/// `pgmock new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Folder for the new project (created if missing; default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// A template to start from, `NAME[@RANGE]`; repeat to mix several.
    #[arg(
        short = 't',
        long = "template",
        value_name = "NAME[@RANGE]",
        required = true
    )]
    pub template: Vec<String>,
    /// A parameter value, `NAME=VALUE` or `TEMPLATE.NAME=VALUE`; parsed by the parameter's declared type.
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub param: Vec<String>,
    /// The project's seed: a whole number, or any text (`alice@school.edu`), hashed (default 1).
    #[arg(long = "seed", default_value = "1")]
    pub seed: String,
    /// Also look for templates in DIR; repeatable.
    #[arg(long = "template-path", value_name = "DIR")]
    pub template_path: Vec<PathBuf>,
}

/// `pgmock templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: TemplatesCommand,
}

/// `pgmock templates` subcommands.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List every template: name, versions, source, description, tables.
    List(TemplateSearchArgs),
    /// Show one template: parameters, tables with row counts, and what each version changed.
    Show(TemplateShowArgs),
    /// Generate templates and check their realism contracts in a throwaway PostgreSQL server.
    #[command(
        after_help = "Examples:\n  pgmock templates verify\n  pgmock templates verify ecommerce@2 --scale 0.2 --scale 1 --seed 1 --seed 2\n  pgmock templates verify claims --template-path ./templates -F p -F c\n\nWithout TEMPLATE, the newest version of every template found is verified. Contracts need\nPostgreSQL's server programs (see `pgmock pack verify --help`)."
    )]
    Verify(TemplateVerifyArgs),
}

/// `pgmock templates verify`.
#[derive(Debug, Args)]
pub struct TemplateVerifyArgs {
    /// `NAME[@RANGE]`, repeatable (default: the newest version of every template).
    pub templates: Vec<String>,
    /// What to try each template with.
    #[command(flatten)]
    pub trials: TrialArgs,
    /// Where to look.
    #[command(flatten)]
    pub search: TemplateSearchArgs,
}

/// The scales, seeds and formats a template is verified with.
#[derive(Debug, Args)]
pub struct TrialArgs {
    /// Row-count scale; repeatable, each one is tried.
    #[arg(long = "scale", value_name = "FACTOR", default_values_t = [0.05])]
    pub scales: Vec<f64>,
    /// Seed; repeatable, each one is tried.
    #[arg(long = "seed", value_name = "N", default_values_t = [1])]
    pub seeds: Vec<u64>,
    /// Format of the trial dump, `p`/`plain` or `c`/`custom`; repeatable.
    #[arg(short = 'F', long = "format", value_name = "FORMAT", default_values_t = ["plain".to_owned()])]
    pub formats: Vec<String>,
    /// Only generate; do not check contracts.
    #[arg(long = "no-contracts")]
    pub no_contracts: bool,
}

/// Where to look, for `templates list`.
#[derive(Debug, Args)]
pub struct TemplateSearchArgs {
    /// Also look for templates in DIR; repeatable.
    #[arg(long = "template-path", value_name = "DIR")]
    pub template_path: Vec<PathBuf>,
    /// Project folder whose `templates/` and `.pgmock/packs` count too (default: the current folder).
    #[arg(long = "project", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
}

/// `pgmock templates show`.
#[derive(Debug, Args)]
pub struct TemplateShowArgs {
    /// `NAME[@RANGE]`.
    pub template: String,
    /// Where to look.
    #[command(flatten)]
    pub search: TemplateSearchArgs,
}

/// Sections, as `pg_dump --section`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SectionArg {
    /// Types, tables, sequences.
    PreData,
    /// Table data and sequence values.
    Data,
    /// Keys, indexes, foreign keys.
    PostData,
}

/// `pgmock generate`.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)]
pub struct GenerateArgs {
    /// Project file.
    #[arg(default_value = "pgmock.json")]
    pub config: PathBuf,
    /// Output file, or folder for directory format (default: standard output).
    #[arg(short = 'f', long = "file")]
    pub file: Option<PathBuf>,
    /// Output format: p/plain (SQL script), c/custom, d/directory, t/tar (for pg_restore).
    #[arg(
        short = 'F',
        long = "format",
        value_name = "FORMAT",
        default_value = "plain"
    )]
    pub format: String,
    /// Compression: 0-9 (gzip level, 0 = none), `gzip[:LEVEL]`, `lz4`, `zstd[:LEVEL]` or `none`.
    /// Default: gzip level 6 for custom and directory format, none for plain; tar is never
    /// compressed. lz4 and zstd archives need pg_restore 16 or newer (archive version 1.15).
    #[arg(short = 'Z', long = "compress", value_name = "METHOD[:LEVEL]")]
    pub compress: Option<String>,
    /// Threads that generate, encode and compress data, in segments of every table (default: all cores). The output is the same for any N.
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Do not wait for the output to be flushed to disk before finishing.
    #[arg(long = "no-sync")]
    pub no_sync: bool,
    /// Write the K-th of N row slices of every table, for N machines that build one dataset
    /// together. Shard 1 also holds the schema; the others hold data only (unless -s/-a/--section say otherwise).
    #[arg(long = "shard", value_name = "K/N")]
    pub shard: Option<String>,
    /// Run seed: a number, `random` (printed to stderr), or any other text, hashed to a seed
    /// (`--seed alice@school.edu`: one dataset per person).
    #[arg(long)]
    pub seed: Option<String>,
    /// Multiply every non-fixed table's row count (at least 1 row stays).
    #[arg(long)]
    pub scale: Option<f64>,
    /// Mix in values applications get wrong, in this share of cells (0-1): empty and
    /// maximum-length strings, Unicode, quotes, type limits, NaN, infinities, leap days,
    /// DST gaps, NULLs; each still fits its column's type and constraints.
    #[arg(long = "edge-cases", value_name = "RATIO")]
    pub edge_cases: Option<f64>,
    /// Exact row count for one table, `TABLE=N` (repeatable).
    #[arg(long = "rows", value_name = "TABLE=N")]
    pub rows: Vec<String>,
    /// Dump only matching tables (pattern, repeatable).
    #[arg(short = 't', long = "table", value_name = "PATTERN")]
    pub table: Vec<String>,
    /// Do not dump matching tables.
    #[arg(short = 'T', long = "exclude-table", value_name = "PATTERN")]
    pub exclude_table: Vec<String>,
    /// Dump only matching schemas.
    #[arg(short = 'n', long = "schema", value_name = "PATTERN")]
    pub schema: Vec<String>,
    /// Do not dump matching schemas.
    #[arg(short = 'N', long = "exclude-schema", value_name = "PATTERN")]
    pub exclude_schema: Vec<String>,
    /// Do not dump data of matching tables.
    #[arg(long = "exclude-table-data", value_name = "PATTERN")]
    pub exclude_table_data: Vec<String>,
    /// Dump only the schema, no data.
    #[arg(short = 's', long = "schema-only", conflicts_with = "data_only")]
    pub schema_only: bool,
    /// Dump only the data, no schema.
    #[arg(short = 'a', long = "data-only")]
    pub data_only: bool,
    /// Dump the named section (repeatable).
    #[arg(long = "section", value_enum)]
    pub section: Vec<SectionArg>,
    /// Drop objects before creating them.
    #[arg(short = 'c', long = "clean")]
    pub clean: bool,
    /// Use IF EXISTS when dropping objects.
    #[arg(long = "if-exists")]
    pub if_exists: bool,
    /// Include commands to create the database.
    #[arg(short = 'C', long = "create")]
    pub create: bool,
    /// Skip ownership commands.
    #[arg(short = 'O', long = "no-owner")]
    pub no_owner: bool,
    /// Do not dump comments.
    #[arg(long = "no-comments")]
    pub no_comments: bool,
    /// Write each column's `pii` label into its comment (`PII: direct (contact)`).
    #[arg(long = "pii-comments", conflicts_with = "no_comments")]
    pub pii_comments: bool,
    /// Dump data as INSERT commands rather than COPY.
    #[arg(long = "inserts")]
    pub inserts: bool,
    /// Dump data as INSERT commands with column names.
    #[arg(long = "column-inserts")]
    pub column_inserts: bool,
    /// Rows per INSERT command (implies --inserts).
    #[arg(long = "rows-per-insert", value_name = "N")]
    pub rows_per_insert: Option<u64>,
    /// Write the text pg_dump of this server version writes (13..18).
    #[arg(long = "target-version", value_name = "VERSION", default_value_t = 15, value_parser = clap::value_parser!(u32).range(13..=18))]
    pub target_version: u32,
    /// Use this key for `\restrict` lines (letters and digits; default: derived from the seed).
    #[arg(long = "restrict-key", value_name = "KEY", value_parser = restrict_key, conflicts_with = "no_restrict_key")]
    pub restrict_key: Option<String>,
    /// Write no `\restrict` lines (for psql older than the August 2025 releases).
    #[arg(long = "no-restrict-key")]
    pub no_restrict_key: bool,
    /// Print progress and a summary to stderr even when it is not a terminal.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// Print nothing but errors.
    #[arg(short = 'q', long = "quiet")]
    pub quiet: bool,
    /// Where templates come from and what to do with `pgmock.lock`.
    #[command(flatten)]
    pub templates: TemplateArgs,
}

/// Template search and lock flags, shared by the commands that resolve a project.
#[derive(Debug, Args, Clone, Default)]
pub struct TemplateArgs {
    /// Also look for templates in DIR (a folder of NAME/VERSION/ folders, or a pack's folder); repeatable, searched in order before installed packs.
    #[arg(long = "template-path", value_name = "DIR")]
    pub template_path: Vec<PathBuf>,
    /// Pick templates afresh and rewrite `pgmock.lock` (accepts changed or new templates).
    #[arg(long = "update", conflicts_with = "locked")]
    pub update: bool,
    /// Fail unless `pgmock.lock` exists and matches the project exactly (for CI).
    #[arg(long = "locked")]
    pub locked: bool,
}

/// A `\restrict` key: letters and digits only, as pg_dump requires (psql
/// reads the key up to the end of the line and compares it exactly).
fn restrict_key(value: &str) -> Result<String, String> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(value.to_owned())
    } else {
        Err("a restrict key is one or more letters and digits".to_owned())
    }
}
