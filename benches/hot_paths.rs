//! Throughput of the hot paths on W1's tables, one thread each: generating
//! chunks, encoding them as COPY text, and compressing segments with every
//! codec. `cargo bench` prints one line per path; `scripts/bench.sh` runs
//! the whole program end to end.

// A benchmark prints its figures and stops at the first surprise.
#![allow(clippy::print_stdout, clippy::panic, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use pgmock::dump::compress::{self, Codec};
use pgmock::encode::{self, OutColumn};
use pgmock::pipeline::{self, CHUNK_ROWS, SEGMENT_ROWS};
use pgmock::plan::PlanOptions;

/// Runs `f` repeatedly for about `budget` and returns the best time of one call.
fn best_of(budget: Duration, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut best = Duration::MAX;
    while start.elapsed() < budget || best == Duration::MAX {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
    }
    best
}

fn report(name: &str, rows: u64, bytes: u64, took: Duration) {
    let secs = took.as_secs_f64();
    #[allow(clippy::cast_precision_loss)]
    let (rows_s, mb_s) = (rows as f64 / secs, bytes as f64 / secs / 1e6);
    println!("{name:<40} {rows_s:>14.0} rows/s {mb_s:>10.1} MB/s");
}

fn main() {
    let w1 = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/w1.json");
    let (_, plan) = pipeline::load(&w1, &pgmock::template::Options::default(), |s| {
        PlanOptions {
            seed: pgmock::generate::rng::run_seed(&s.seed),
            ..PlanOptions::default()
        }
    })
    .unwrap_or_else(|e| panic!("benches/w1.json: {e}"));
    let budget = Duration::from_millis(700);
    let mut text = Vec::new();
    for (ti, table) in plan.dataset.tables.iter().enumerate() {
        let columns: Vec<OutColumn> = table
            .columns
            .iter()
            .enumerate()
            .map(|(index, c)| OutColumn {
                index,
                format: c.format,
                generated: false,
            })
            .collect();
        let mut chunk = plan.dataset.new_chunk(ti);
        let took = best_of(budget, || {
            plan.dataset.fill_range(ti, 0, CHUNK_ROWS, &mut chunk);
            black_box(&chunk);
        });
        report(&format!("generate {}", table.name), CHUNK_ROWS, 0, took);
        let mut out = Vec::with_capacity(1 << 20);
        let took = best_of(budget, || {
            out.clear();
            encode::copy_rows(&chunk, &columns, &mut out);
            black_box(&out);
        });
        report(
            &format!("encode COPY {}", table.name),
            CHUNK_ROWS,
            out.len() as u64,
            took,
        );
        // One segment of text for the compression benchmarks.
        text.clear();
        let mut start = 0;
        while start < SEGMENT_ROWS {
            plan.dataset
                .fill_range(ti, start, start + CHUNK_ROWS, &mut chunk);
            encode::copy_rows(&chunk, &columns, &mut text);
            start += CHUNK_ROWS;
        }
        for (name, codec) in [
            ("zlib 6", Codec::Zlib(6)),
            ("zlib 1", Codec::Zlib(1)),
            ("gzip 6", Codec::Gzip(6)),
            ("lz4", Codec::Lz4),
            ("zstd 3", Codec::Zstd(3)),
        ] {
            let took = best_of(budget, || {
                let piece = compress::piece(codec, text.clone(), false).expect("compress");
                black_box(piece);
            });
            report(
                &format!("compress {name} {}", table.name),
                SEGMENT_ROWS,
                text.len() as u64,
                took,
            );
        }
    }
}
