//! End-to-end tests of the `pgmock` binary: run it as a user would, load its
//! output into a real PostgreSQL server, and ask the server.

// Test code may unwrap and panic: a failure is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

// Shared helpers: the `TestProject` builder and the throwaway PostgreSQL cluster.
mod support;
// Bundled examples and cookbook recipes generate and load, with every constraint checked by the server.
mod examples;
// One column of every supported type (and an array of each) round-trips through the server.
mod types;
// Nested values (array elements, composite fields, domains) and hstore/ltree/citext load and read back.
mod values;
// Same seed → same bytes; `-t` and `-a`/`-s` agree with the full run.
mod determinism;
// Bad input: clear errors, exit code 2, no output file.
mod errors;
// pg_dump flags that change the script: --inserts, -c, -C, --section, filters.
mod options;
// Property tests: arbitrary Unicode through COPY escaping and SQL quoting reads back exactly.
mod escaping;
// Custom, directory and tar archives restore with pg_restore like the plain script.
mod formats;
// -j: segments on several threads give the same bytes and restore.
mod parallel;
// Issue 11: huge values stay within the memory budget; big projects validate in linear time.
mod scale;
// Reviewed snapshots of the plain output for small schemas.
mod snapshots;
// The schema script: user types in dependency order, quoted index keys, interval modifiers.
mod ddl;
// Unique indexes, CHECK bounds, type ranges and sequence defaults: what validates, loads.
mod constraints;
// Clusters of several PostgreSQL major versions (fetched by scripts/fetch-postgres.sh).
mod versions;
// Templates: the built-in library, mixing, overrides, patches, versions, includes, lock, `new`.
mod templates;
// Template packs: build, verify, install, use; hostile packs refused.
mod packs;
// `pgmock explain` and `pgmock kinds`: what each column gets and why; the README's kind table.
mod explain;
// PII labels: `explain --pii`, `--pii-comments` in every format, labels through templates.
mod pii;
// Realistic data: coherent people, places and companies across locales.
mod realism;
// Named generators: patterns, value files, compositions, from projects and templates.
mod generators;
// --edge-cases: awkward values that still load with every constraint and rule.
mod edge_cases;
// Declared rules (`when`, `from`, `after`) and children in time order, checked with SQL.
mod rules;
// What validate accepts, the server loads: the mutated corpus, keys over foreign keys, selections.
mod accepted_loads;
// Golden hashes of each example's output in every format: changes need a CHANGELOG entry.
mod golden;
// No panic anywhere: closed pipes, full disks and closed descriptors on stdout and stderr; files that are not UTF-8.
mod robustness;
// Output files as pg_dump's: links written through, modes kept, read-only files, folders and terminals refused.
mod output_files;
