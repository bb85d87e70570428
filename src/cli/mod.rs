//! The command-line edge: parse arguments, turn them into library options,
//! run, print errors and summaries, and map results to exit codes.

pub mod args;
mod console;
pub mod progress;
pub mod settings;
pub mod templates;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use crate::error::Error;
pub use args::Cli;

/// Runs a parsed command line and returns the process exit code.
#[must_use]
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        args::Command::Generate(a) => generate(&a),
        args::Command::Validate(a) => validate(&a),
        args::Command::Inspect(a) => inspect(&a),
        args::Command::New(a) => templates::new(&a),
        args::Command::Resolve(a) => templates::resolve(&a),
        args::Command::Lock(a) => templates::lock(&a),
        args::Command::Templates(a) => match a.command {
            args::TemplatesCommand::List(s) => templates::list(&s),
            args::TemplatesCommand::Show(s) => templates::show(&s),
            args::TemplatesCommand::Verify(v) => templates::verify(&v),
        },
        args::Command::Pack(a) => templates::pack(a.command),
        args::Command::Explain(a) => explain(&a),
        args::Command::Kinds(a) => kinds(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`pgmock generate | head`) is not an error worth reporting.
            if let Error::Io { source, .. } = &e {
                if source.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            console::report(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// A thread that turns SIGINT, SIGTERM and SIGHUP into [`STOP_SIGNAL`], for
/// `generate`: without it, Ctrl-C, `kill` or a closed terminal would end the
/// process before the temporary output is removed; with it, the run stops
/// between chunks and cleans up. A second signal ends the process at once.
///
/// [`STOP_SIGNAL`]: crate::pipeline::STOP_SIGNAL
fn watch_stop_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            let first = crate::pipeline::STOP_SIGNAL
                .compare_exchange(0, signal, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok();
            if !first {
                // Asked twice (the run may be blocked where it cannot look,
                // e.g. opening a named pipe nobody reads): stop at once.
                let _ = signal_hook::low_level::emulate_default_handler(signal);
            }
        }
    });
}

fn generate(a: &args::GenerateArgs) -> Result<(), Error> {
    watch_stop_signals();
    let (options, seed) = settings::generate(a)?;
    let chatty = !a.quiet && (a.verbose || std::io::stderr().is_terminal());
    // A note that cannot be written must not stop the dump; the run still
    // fails at the end, so the failure is not lost either.
    let mut noted = Ok(());
    if let settings::SeedChoice::Random(s) = &seed {
        if !a.quiet {
            noted = console::err(&format!(
                "pgmock: using seed {s} (repeat this run with --seed {s})"
            ));
        }
    }
    let started = std::time::Instant::now();
    // Bars only where someone watches: a terminal, and not with --quiet.
    let summary = if !a.quiet && std::io::stderr().is_terminal() {
        crate::pipeline::generate(&options, &progress::Bars::new())?
    } else {
        crate::pipeline::generate(&options, &crate::pipeline::NoProgress)?
    };
    noted?;
    if !a.quiet && (a.data_only || a.verbose) {
        for w in &summary.warnings {
            console::err(&format!("warning: {w}"))?;
        }
    }
    if !a.quiet {
        for w in &summary.left_out {
            console::err(&format!("warning: {w}"))?;
        }
    }
    if chatty {
        console::err(&format!(
            "pgmock: wrote {} rows in {} tables, {} bytes, in {:.2}s (seed {})",
            summary.rows,
            summary.tables,
            summary.bytes,
            started.elapsed().as_secs_f64(),
            summary.seed
        ))?;
    }
    Ok(())
}

fn validate(a: &args::ValidateArgs) -> Result<(), Error> {
    let (schema, plan) = crate::pipeline::validate(&a.config, &settings::templates(&a.templates))?;
    let rows: u64 = plan.dataset.tables.iter().map(|t| t.rows).sum();
    let tables = schema.tables.len();
    // The process ends right after: freeing a plan of a huge project piece
    // by piece took a third of `validate`'s time, and the OS reclaims it whole.
    std::mem::forget((schema, plan));
    console::out(&format!(
        "{}: valid ({tables} tables, {rows} rows)\n",
        a.config.display(),
    ))
}

/// Prints each selected table's columns: type, why, samples.
fn explain(a: &args::ExplainArgs) -> Result<(), Error> {
    use std::fmt::Write as _;
    if a.pii {
        return explain_pii(a);
    }
    let tables = crate::pipeline::explain(&a.config, &settings::templates(&a.templates), &a.table)?;
    let mut text = String::new();
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let _ = writeln!(text, "{} ({} rows)", t.name, t.rows);
        let name_w = t
            .columns
            .iter()
            .map(|c| c.name.chars().count())
            .max()
            .unwrap_or(0);
        let type_w = t
            .columns
            .iter()
            .map(|c| c.type_sql.chars().count())
            .max()
            .unwrap_or(0);
        for c in &t.columns {
            let nulls = if c.null_ratio > 0.0 {
                format!(" ({:.0}% NULL)", c.null_ratio * 100.0)
            } else {
                String::new()
            };
            let samples: Vec<String> = c.samples.iter().map(|s| shorten(s, 48)).collect();
            let _ = writeln!(
                text,
                "  {:<name_w$}  {:<type_w$}  {}{nulls}",
                c.name, c.type_sql, c.why
            );
            if !samples.is_empty() {
                let _ = writeln!(
                    text,
                    "  {:<name_w$}  {:<type_w$}    e.g. {}",
                    "",
                    "",
                    samples.join("  |  ")
                );
            }
        }
    }
    console::out(&text)
}

/// Prints the labelled columns, then the unlabelled ones that look like PII,
/// each as an aligned table (or one plain sentence when there are none).
fn explain_pii(a: &args::ExplainArgs) -> Result<(), Error> {
    use std::fmt::Write as _;
    let report =
        crate::pipeline::explain_pii(&a.config, &settings::templates(&a.templates), &a.table)?;
    let mut text = String::new();
    if report.labelled.is_empty() {
        text.push_str("no column is labelled PII\n");
    } else {
        let _ = writeln!(text, "columns labelled PII ({})", report.labelled.len());
        let rows = report.labelled.iter().map(|(c, label)| {
            let category = label.category.map_or("-", crate::schema::PiiCategory::name);
            [
                c.table.as_str(),
                c.column.as_str(),
                label.level.name(),
                category,
                c.generator.as_str(),
            ]
        });
        aligned(
            &mut text,
            ["table", "column", "level", "category", "generator"],
            rows,
        );
    }
    text.push('\n');
    if report.unlabelled.is_empty() {
        text.push_str("no unlabelled column looks like PII\n");
    } else {
        let _ = writeln!(
            text,
            "unlabelled columns that look like PII ({})",
            report.unlabelled.len()
        );
        let rows = report.unlabelled.iter().map(|(c, look)| {
            [
                c.table.as_str(),
                c.column.as_str(),
                look.kind,
                look.category.name(),
                c.generator.as_str(),
            ]
        });
        aligned(
            &mut text,
            ["table", "column", "looks like", "category", "generator"],
            rows,
        );
    }
    console::out(&text)
}

/// Appends a header and rows, two spaces indented, columns padded to their widest cell
/// (the last one is not padded, so lines end without spaces).
fn aligned<'a, const N: usize>(
    text: &mut String,
    header: [&'a str; N],
    rows: impl Iterator<Item = [&'a str; N]>,
) {
    let rows: Vec<[&str; N]> = std::iter::once(header).chain(rows).collect();
    let mut widths = [0; N];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in &rows {
        text.push(' ');
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            text.push(' ');
            text.push_str(cell);
            if i + 1 < N {
                text.extend(std::iter::repeat_n(' ', w - cell.chars().count() + 1));
            }
        }
        text.push('\n');
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() > max {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// Lists the kinds of the registry.
fn kinds(a: &args::KindsArgs) -> Result<(), Error> {
    use crate::generate::kinds::registry::{markdown, KINDS};
    use std::fmt::Write as _;
    if a.markdown {
        return console::out(&markdown());
    }
    let mut text = String::new();
    let w = KINDS.iter().map(|k| k.name.len()).max().unwrap_or(0);
    for k in KINDS {
        let names: Vec<String> = k
            .names
            .iter()
            .take(4)
            .map(|n| n.replace(' ', "_"))
            .collect();
        let _ = writeln!(
            text,
            "{:<w$}  {:<10}  {} (columns like {})",
            k.name,
            k.category,
            k.generates,
            names.join(", ")
        );
    }
    console::out(&text)
}

/// Lists the TOC on stdout; with `--verify`, reports data problems on stderr.
fn inspect(a: &args::InspectArgs) -> Result<(), Error> {
    let archive = crate::inspect::read(&a.archive)?;
    let mut listing = Vec::new();
    crate::inspect::list(&archive, &mut listing).map_err(|e| Error::io("<stdout>", e))?;
    console::out_bytes(&listing)?;
    if a.verify {
        let problems = crate::inspect::verify(&a.archive, &archive);
        for p in &problems {
            console::err(&format!("problem: {p}"))?;
        }
        if !problems.is_empty() {
            return Err(Error::Damaged {
                path: a.archive.clone(),
                problems: problems.len(),
            });
        }
        let data = archive.entries.iter().filter(|e| e.had_dumper).count();
        console::err(&format!(
            "{}: {data} data entries verified, no problems",
            a.archive.display()
        ))?;
    }
    Ok(())
}
