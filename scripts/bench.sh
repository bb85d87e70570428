#!/usr/bin/env bash
# Builds pgmock in release mode and prints, for the reference workloads W1
# (benches/w1.json, 4 million rows) and W2 (benches/w2.json, about 5 million
# rows in 8 tables), in plain, custom and directory format: wall time, rows/s,
# MB/s of output, peak resident memory, and how the time scales from 1 to N
# jobs. Then the hot-path micro benchmarks (cargo bench).
#
#   scripts/bench.sh            # everything (about 90 s on 2 cores)
#   QUICK=1 scripts/bench.sh    # W1 only, no 10x run, no micro benchmarks
#   BENCH_DIR=/fast/disk scripts/bench.sh   # where outputs go (default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/pgmock
jobs=$(nproc)
out_dir=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$out_dir"
trap '[[ -z "${BENCH_DIR:-}" ]] && rm -rf "$out_dir"' EXIT

# run LABEL ROWS OUTPUT -- pgmock arguments...: one timed run, one result line.
# "text MB/s" is the workload's COPY text (its plain dump size, $text_bytes) per
# second, comparable across formats; "out MB" is what was written.
text_bytes=0
last_secs=0
run() {
    local label=$1 rows=$2 output=$3
    shift 4
    rm -rf "$output"
    local stats
    stats=$( { /usr/bin/time -f '%e %M' "$bin" "$@" >/dev/null; } 2>&1 | tail -1)
    local secs=${stats% *} rss_kb=${stats#* }
    local bytes=0
    if [[ -d $output ]]; then
        bytes=$(du -sb "$output" | cut -f1)
    elif [[ -f $output ]]; then
        bytes=$(stat -c %s "$output")
    fi
    if [[ $text_bytes == 0 ]]; then text_bytes=$bytes; fi
    last_secs=$secs
    awk -v l="$label" -v s="$secs" -v r="$rows" -v t="$text_bytes" -v b="$bytes" -v m="$rss_kb" 'BEGIN {
        printf "%-40s %6.2f s %10.0f rows/s %7.1f text MB/s %7.1f out MB %6.1f MB RSS\n", l, s, r / s, t / s / 1e6, b / 1e6, m / 1024 }'
    rm -rf "$output"
}

# speedup LABEL SLOW FAST: how much faster the second run was.
speedup() {
    awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN { printf "  %-38s %5.2fx faster with %s jobs than with 1\n", l, a / b, '"$jobs"' }'
}

rows_of() { "$bin" validate "$1" | sed -E 's/.*, ([0-9]+) rows\)/\1/'; }

echo "pgmock $("$bin" --version | cut -d' ' -f2), $jobs cores ($(nproc --all) online), $(uname -m)"
echo
w1_rows=$(rows_of benches/w1.json)
echo "== W1: $w1_rows rows (benches/w1.json)"
declare -A took=()
for j in 1 "$jobs"; do
    run "W1 plain -j $j --no-sync" "$w1_rows" "$out_dir/w1.sql" -- generate benches/w1.json -j "$j" --no-sync -f "$out_dir/w1.sql"
    took[plain$j]=$last_secs
done
run "W1 plain -j $jobs (synced)" "$w1_rows" "$out_dir/w1.sql" -- generate benches/w1.json -j "$jobs" -f "$out_dir/w1.sql"
for z in gzip gzip:1 zstd lz4; do
    for j in 1 "$jobs"; do
        run "W1 custom -Z $z -j $j --no-sync" "$w1_rows" "$out_dir/w1.dump" -- generate benches/w1.json -F c -Z "$z" -j "$j" --no-sync -f "$out_dir/w1.dump"
        took[$z$j]=$last_secs
    done
done
run "W1 directory -j $jobs --no-sync" "$w1_rows" "$out_dir/w1.dir" -- generate benches/w1.json -F d -j "$jobs" --no-sync -f "$out_dir/w1.dir"
run "W1 directory -Z zstd -j $jobs --no-sync" "$w1_rows" "$out_dir/w1.dir" -- generate benches/w1.json -F d -Z zstd -j "$jobs" --no-sync -f "$out_dir/w1.dir"
echo "Scaling (W1):"
w1_mbps=$(awk -v t="$text_bytes" -v s="${took[plain$jobs]}" 'BEGIN { printf "%.1f", t / s / 1e6 }')
speedup "plain" "${took[plain1]}" "${took[plain$jobs]}"
for z in gzip gzip:1 zstd lz4; do
    speedup "custom -Z $z" "${took[${z}1]}" "${took[$z$jobs]}"
done

# W3: realistic data with every rule on (coherent people and places in three
# locales, Zipf customers, lifecycle timestamps after sign-up, price lookups,
# derived line totals, order totals over their items). Target: at least half
# of W1's text MB/s, under 100 MB of memory.
echo
w3_rows=$(rows_of benches/w3.json)
saved_text=$text_bytes
text_bytes=0
echo "== W3: $w3_rows rows (benches/w3.json)"
run "W3 plain -j $jobs --no-sync" "$w3_rows" "$out_dir/w3.sql" -- generate benches/w3.json -j "$jobs" --no-sync -f "$out_dir/w3.sql"
w3_text=$text_bytes
text_bytes=$saved_text
# One run of each on a shared 2-core machine varies by 20 %: compare the best
# of three runs of W1 and W3, taken in turn, so both see the same machine.
best_w1=999; best_w3=999
for _ in 1 2 3; do
    for w in w1 w3; do
        s=$( { /usr/bin/time -f '%e' "$bin" generate "benches/$w.json" -j "$jobs" --no-sync -f "$out_dir/$w.sql" >/dev/null; } 2>&1 | tail -1)
        rm -f "$out_dir/$w.sql"
        if [[ $w == w1 ]]; then best_w1=$(awk -v a="$best_w1" -v b="$s" 'BEGIN { print (b < a) ? b : a }'); else best_w3=$(awk -v a="$best_w3" -v b="$s" 'BEGIN { print (b < a) ? b : a }'); fi
    done
done
awk -v t1="$text_bytes" -v s1="$best_w1" -v t3="$w3_text" -v s3="$best_w3" 'BEGIN { a = t1 / s1 / 1e6; b = t3 / s3 / 1e6; printf "  best of 3, in turn: W1 %.2f s (%.1f MB/s), W3 %.2f s (%.1f MB/s): W3 = %.2fx of W1 (target 0.5x)\n", s1, a, s3, b, b / a }'

if [[ -z ${QUICK:-} ]]; then
    echo
    echo "== Memory: 10x W1 ($((w1_rows * 10)) rows) to stdout"
    saved=$text_bytes
    text_bytes=$((saved * 10))
    run "W1 x10 plain -j $jobs (stdout)" $((w1_rows * 10)) /nonexistent -- generate benches/w1.json --scale 10 -j "$jobs"
    text_bytes=$saved

    echo
    w2_rows=$(rows_of benches/w2.json)
    text_bytes=0
    echo "== W2: $w2_rows rows (benches/w2.json)"
    for j in 1 "$jobs"; do
        run "W2 plain -j $j --no-sync" "$w2_rows" "$out_dir/w2.sql" -- generate benches/w2.json -j "$j" --no-sync -f "$out_dir/w2.sql"
        took[w2plain$j]=$last_secs
        run "W2 custom -j $j --no-sync" "$w2_rows" "$out_dir/w2.dump" -- generate benches/w2.json -F c -j "$j" --no-sync -f "$out_dir/w2.dump"
        took[w2custom$j]=$last_secs
        run "W2 directory -j $j --no-sync" "$w2_rows" "$out_dir/w2.dir" -- generate benches/w2.json -F d -j "$j" --no-sync -f "$out_dir/w2.dir"
        took[w2dir$j]=$last_secs
    done
    echo "Scaling (W2):"
    speedup "plain" "${took[w2plain1]}" "${took[w2plain$jobs]}"
    speedup "custom" "${took[w2custom1]}" "${took[w2custom$jobs]}"
    speedup "directory" "${took[w2dir1]}" "${took[w2dir$jobs]}"
fi

echo
# dbgen, the fastest peer, on the same machine in the same run: W1's value
# rules as dbgen templates (benches/peers/), written as CSV on all cores.
dbgen=${DBGEN:-$(command -v dbgen || true)}
if [[ -n $dbgen && -x $dbgen ]]; then
    echo "== Peer: $("$dbgen" --version 2>&1 | head -1), W1 as CSV, -j $jobs"
    peer_dir="$out_dir/dbgen"
    start=$(date +%s%N)
    for t in customers:1000000 orders:3000000; do
        rm -rf "$peer_dir"
        "$dbgen" -q -i "benches/peers/dbgen-w1-${t%%:*}.sql" -o "$peer_dir" -f csv \
            -N "${t##*:}" -R 250000 -j "$jobs" --time-zone UTC
    done
    rm -rf "$peer_dir"
    peer_secs=$(awk -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "%.2f", ns / 1e9 }')
    awk -v p="$peer_secs" -v m="${took[plain$jobs]}" -v j="$jobs" 'BEGIN {
        printf "dbgen W1 CSV -j %d: %.2f s; pgmock W1 plain -j %d: %.2f s, %.1fx faster\n", j, p, j, m, p / m }'
else
    echo "Peers, as measured on this kind of machine for issue 5 (W1, 4M rows):"
    echo "  dbgen (2 threads, CSV) 4.7 s; faker-js 16 s; mimesis 49 s; Python Faker 200 s;"
    echo "  pg_dump -Fp from a live server 2.3 s; pg_dump -Fc 11.4 s."
    echo "  (set DBGEN=/path/to/dbgen to measure dbgen in this run)"
fi

# Issue 11: huge values stay within the memory budget (peak RSS at most
# 200 MB) and big projects validate in linear time (target: under 2 s for
# 10,000 tables of 60 columns). The projects come from scripts/bench_projects.py.
echo
echo "== Memory with huge values (budget: 200 MB peak RSS)"
python3 scripts/bench_projects.py huge-constant 200 10 >"$out_dir/huge.json"
python3 scripts/bench_projects.py wide 1500 5000 >"$out_dir/wide.json"
# peak LABEL -- pgmock arguments...: peak RSS and time of one run whose stdout
# goes through a pipe (a 10 MB × 200 rows dump is 2 GB).
peak() {
    local label=$1
    shift 2
    local stats
    stats=$( { /usr/bin/time -f '%e %M' "$bin" "$@" | wc -c >/dev/null; } 2>&1 | tail -1)
    awk -v l="$label" -v s="${stats% *}" -v m="${stats#* }" 'BEGIN { printf "%-40s %6.2f s %6.1f MB RSS\n", l, s, m / 1024 }'
}
for j in 2 "$jobs"; do
    peak "10 MB x 200 rows plain -j $j" -- generate "$out_dir/huge.json" -j "$j"
    peak "10 MB x 200 rows custom -j $j" -- generate "$out_dir/huge.json" -F c -j "$j"
    peak "1,500 columns x 5,000 rows plain -j $j" -- generate "$out_dir/wide.json" -j "$j"
    peak "1,500 columns x 5,000 rows custom -j $j" -- generate "$out_dir/wide.json" -F c -j "$j"
done
text_bytes=0
run "10 MB x 200 rows directory -j $jobs" 200 "$out_dir/huge.dir" -- generate "$out_dir/huge.json" -F d -j "$jobs" --no-sync -f "$out_dir/huge.dir"
text_bytes=0
run "1,500 columns x 5,000 directory -j $jobs" 5000 "$out_dir/wide.dir" -- generate "$out_dir/wide.json" -F d -j "$jobs" --no-sync -f "$out_dir/wide.dir"

echo
echo "== Validation of big projects (target: 10,000 tables in under 2 s)"
for t in 1000 10000; do
    python3 scripts/bench_projects.py many-tables "$t" 60 >"$out_dir/many.json"
    stats=$( { /usr/bin/time -f '%e %M' "$bin" validate "$out_dir/many.json" >/dev/null; } 2>&1 | tail -1)
    awk -v t="$t" -v s="${stats% *}" -v m="${stats#* }" 'BEGIN { printf "validate %5d tables x 60 columns: %6.2f s %6.1f MB RSS\n", t, s, m / 1024 }'
done
for parents in 60000000 2000000000; do
    python3 scripts/bench_projects.py huge-parents "$parents" >"$out_dir/parents.json"
    stats=$( { /usr/bin/time -f '%e %M' "$bin" validate "$out_dir/parents.json" >/dev/null; } 2>&1 | tail -1)
    awk -v p="$parents" -v s="${stats% *}" -v m="${stats#* }" 'BEGIN { printf "validate %10d customers, orders, items: %6.2f s %6.1f MB RSS\n", p, s, m / 1024 }'
done
rm -f "$out_dir/huge.json" "$out_dir/wide.json" "$out_dir/many.json" "$out_dir/parents.json"

echo
echo "== Startup: tiny schema, best of 20"
best=999
for _ in $(seq 20); do
    start=$(date +%s%N)
    "$bin" generate tests/fixtures/valid/tiny.json >/dev/null
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    (( ms < best )) && best=$ms
done
echo "tiny schema to stdout: ${best} ms"

if [[ -z ${QUICK:-} ]]; then
    echo
    echo "== Hot paths, one thread (cargo bench)"
    cargo bench --quiet --bench hot_paths 2>/dev/null | grep -E 'rows/s'
fi
