//! The `pgmock` binary: parse arguments, hand them to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    pgmock::cli::run(pgmock::cli::Cli::parse())
}
