//! Parsed arguments → plain options for the library. Precedence: command-line
//! flags over the project file (e.g. `--seed` over `"seed"`) over defaults.

use super::args::{GenerateArgs, SectionArg};
use crate::dump::filter::Selection;
use crate::dump::plain::PlainOptions;
use crate::dump::Section;
use crate::encode::InsertStyle;
use crate::error::{Error, Result};
use crate::pipeline::{Compression, Format, GenerateOptions};
use crate::schema::Seed;

/// How a seed was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedChoice {
    /// Use the project's seed.
    Project,
    /// A fixed seed: a number, or text hashed to one.
    Fixed(Seed),
    /// A random seed (to be printed).
    Random(u64),
}

const SEED_EXPECTED: &str =
    "a whole number ≥ 0, `random`, or any other non-blank text (hashed to a seed)";

fn seed(arg: Option<&str>) -> Result<SeedChoice> {
    match arg {
        None => Ok(SeedChoice::Project),
        Some("random") => {
            // Any varying number will do; it is printed so the run can be repeated.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            #[allow(clippy::cast_possible_truncation)]
            Ok(SeedChoice::Random(crate::generate::rng::mix(
                nanos as u64 ^ u64::from(std::process::id()),
            )))
        }
        Some(s) => {
            Seed::from_text(s)
                .map(SeedChoice::Fixed)
                .ok_or_else(|| Error::InvalidArgument {
                    flag: "--seed".into(),
                    value: s.into(),
                    expected: SEED_EXPECTED.into(),
                })
        }
    }
}

/// `--shard K/N` → (K − 1, N), with 1 ≤ K ≤ N.
fn shard(arg: &str) -> Result<(u64, u64)> {
    let parsed = arg.split_once('/').and_then(|(k, n)| {
        let (k, n) = (k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?);
        (1..=n).contains(&k).then_some((k - 1, n))
    });
    parsed.ok_or_else(|| Error::InvalidArgument {
        flag: "--shard".into(),
        value: arg.into(),
        expected: "K/N with 1 ≤ K ≤ N, e.g. `--shard 2/8`".into(),
    })
}

fn format(arg: &str) -> Result<Format> {
    match arg.to_ascii_lowercase().as_str() {
        "p" | "plain" => Ok(Format::Plain),
        "c" | "custom" => Ok(Format::Custom),
        "d" | "directory" => Ok(Format::Directory),
        "t" | "tar" => Ok(Format::Tar),
        _ => Err(Error::InvalidArgument {
            flag: "-F/--format".into(),
            value: arg.into(),
            expected: "one of p/plain, c/custom, d/directory, t/tar".into(),
        }),
    }
}

/// `-Z`: pg_dump's forms, `0`..`9` and (as pg_dump 16+) `METHOD[:LEVEL]`.
fn compression(arg: &str, format: Format) -> Result<Compression> {
    let bad = |expected: &str| Error::InvalidArgument {
        flag: "-Z/--compress".into(),
        value: arg.into(),
        expected: expected.into(),
    };
    let (method, level) = match arg.split_once(':') {
        Some((m, l)) => (m, Some(l)),
        None if arg.chars().all(|c| c.is_ascii_digit()) => ("gzip", Some(arg)),
        None => (arg, None),
    };
    let number = |max: u32| -> Result<Option<u32>> {
        level
            .map(|l| {
                l.parse::<u32>().ok().filter(|l| *l <= max).ok_or_else(|| {
                    bad(&format!(
                        "a level from 0 to {max}, e.g. `-Z 6`, `-Z gzip:1` or `-Z zstd:3`"
                    ))
                })
            })
            .transpose()
    };
    let c = match method.to_ascii_lowercase().as_str() {
        "none" => Compression::None,
        "gzip" => match number(9)? {
            Some(0) => Compression::None,
            l => Compression::Gzip(l),
        },
        // LZ4 frames have no levels worth choosing; the level is accepted and ignored.
        "lz4" => {
            number(12)?;
            Compression::Lz4
        }
        "zstd" => match number(22)? {
            Some(0) | None => Compression::Zstd(None),
            Some(l) => Compression::Zstd(i32::try_from(l).ok()),
        },
        _ => return Err(bad("0-9, `METHOD[:LEVEL]` with gzip, lz4, zstd, or `none`")),
    };
    if format == Format::Tar && c != Compression::None {
        return Err(bad(
            "none: the tar format is never compressed (as with pg_dump); use -F c or -F d",
        ));
    }
    Ok(c)
}

/// Builds [`GenerateOptions`]; also returns how the seed was chosen.
pub fn generate(args: &GenerateArgs) -> Result<(GenerateOptions, SeedChoice)> {
    let seed_choice = seed(args.seed.as_deref())?;
    if let Some(s) = args.scale {
        if !(s.is_finite() && s > 0.0) {
            return Err(Error::InvalidArgument {
                flag: "--scale".into(),
                value: s.to_string(),
                expected: "a number greater than 0".into(),
            });
        }
    }
    if let Some(r) = args.edge_cases {
        if !(0.0..=1.0).contains(&r) {
            return Err(Error::InvalidArgument {
                flag: "--edge-cases".into(),
                value: r.to_string(),
                expected: "a share between 0 and 1 (0.05 = one cell in twenty)".into(),
            });
        }
    }
    let mut rows = Vec::new();
    for r in &args.rows {
        let parsed = r
            .split_once('=')
            .and_then(|(t, n)| Some((t.trim().to_owned(), n.trim().parse::<u64>().ok()?)));
        match parsed {
            Some((t, n)) if !t.is_empty() => rows.push((t, n)),
            _ => {
                return Err(Error::InvalidArgument {
                    flag: "--rows".into(),
                    value: r.clone(),
                    expected: "TABLE=N, e.g. `orders=1000`".into(),
                })
            }
        }
    }
    let mut sections: Vec<Section> = args
        .section
        .iter()
        .map(|s| match s {
            SectionArg::PreData => Section::PreData,
            SectionArg::Data => Section::Data,
            SectionArg::PostData => Section::PostData,
        })
        .collect();
    let shard = args.shard.as_deref().map(shard).transpose()?;
    if shard.is_some_and(|(k, _)| k > 0) && sections.is_empty() && !args.schema_only {
        // Only the first shard carries the schema; the others add their rows.
        sections = vec![Section::Data];
    }
    if args.schema_only {
        sections = vec![Section::PreData, Section::PostData];
    }
    if args.data_only {
        sections = vec![Section::Data];
    }
    if args.if_exists && !args.clean {
        return Err(Error::InvalidArgument {
            flag: "--if-exists".into(),
            value: "true".into(),
            expected: "to be used together with -c/--clean".into(),
        });
    }
    if args.clean && args.data_only {
        return Err(Error::InvalidArgument {
            flag: "-c/--clean".into(),
            value: "true".into(),
            expected: "not to be combined with -a/--data-only".into(),
        });
    }
    let inserts = if args.inserts || args.column_inserts || args.rows_per_insert.is_some() {
        if args.rows_per_insert == Some(0) {
            return Err(Error::InvalidArgument {
                flag: "--rows-per-insert".into(),
                value: "0".into(),
                expected: "a number of rows ≥ 1".into(),
            });
        }
        Some(InsertStyle {
            column_names: args.column_inserts,
            rows_per_insert: args.rows_per_insert.unwrap_or(1),
        })
    } else {
        None
    };
    let seed = match &seed_choice {
        SeedChoice::Project => None,
        SeedChoice::Fixed(s) => Some(s.clone()),
        SeedChoice::Random(n) => Some(Seed::Number(*n)),
    };
    let format = format(&args.format)?;
    let compression = args
        .compress
        .as_deref()
        .map(|c| compression(c, format))
        .transpose()?;
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        |j| j as usize,
    );
    let options = GenerateOptions {
        config: args.config.clone(),
        output: args.file.clone(),
        seed,
        scale: args.scale,
        edge_cases: args.edge_cases.unwrap_or(0.0),
        rows,
        selection: Selection {
            tables: args.table.clone(),
            exclude_tables: args.exclude_table.clone(),
            schemas: args.schema.clone(),
            exclude_schemas: args.exclude_schema.clone(),
            exclude_table_data: args.exclude_table_data.clone(),
            sections,
        },
        plain: PlainOptions {
            target_version: args.target_version,
            restrict_key: None,
            clean: args.clean,
            if_exists: args.if_exists,
            create: args.create,
            no_owner: args.no_owner,
            no_comments: args.no_comments,
            version_text: format!(
                "{}.0 (pgmock {})",
                args.target_version,
                env!("CARGO_PKG_VERSION")
            ),
        },
        inserts,
        restrict_key: args.restrict_key.clone(),
        no_restrict: args.no_restrict_key,
        format,
        compression,
        jobs,
        sync: !args.no_sync,
        shard,
        templates: templates(&args.templates),
        pii_comments: args.pii_comments,
    };
    Ok((options, seed_choice))
}

/// Template flags → the template stage's options.
#[must_use]
pub fn templates(args: &super::args::TemplateArgs) -> crate::template::Options {
    use crate::template::lock::LockMode;
    crate::template::Options {
        template_paths: args.template_path.clone(),
        pack_dirs: None,
        lock: if args.update {
            LockMode::Update
        } else if args.locked {
            LockMode::Locked
        } else {
            LockMode::Use
        },
    }
}
