#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ for a bounded time each and prints one line per
# target. libFuzzer's instrumentation needs the nightly toolchain (`rustup toolchain install
# nightly`); cargo-fuzz is installed when it is missing.
#
#   scripts/fuzz.sh                          # every target, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh archive # one target, ten minutes
#   FUZZ_SANITIZER=address scripts/fuzz.sh   # with AddressSanitizer (about half the speed)
#
# Seeds are committed in fuzz/corpus/<target>/. What a run discovers goes to
# fuzz/work/<target>/ (ignored by git), so the next run starts from there. A crash, hang or
# huge allocation leaves its input in fuzz/artifacts/<target>/; replay it with
#   cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>
# and turn it into a unit test beside the code it broke.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(project template archive check_expr)
seconds=${FUZZ_SECONDS:-60}
# pgmock forbids unsafe code, so a sanitizer mostly checks C dependencies that are fuzzed
# upstream; without one, the same minutes run about twice as many inputs.
sanitizer=${FUZZ_SANITIZER:-none}

targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=("${all_targets[@]}")
fi
for target in "${targets[@]}"; do
    if [[ ! -f fuzz/fuzz_targets/$target.rs ]]; then
        echo "no fuzz target \`$target\`; the targets are: ${all_targets[*]}" >&2
        exit 2
    fi
done

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "cargo fuzz needs the nightly toolchain: rustup toolchain install nightly" >&2
    exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "+ cargo install cargo-fuzz --locked"
    cargo install cargo-fuzz --locked
fi

# Debug assertions make an arithmetic overflow a crash instead of a silently wrong length.
build=(--sanitizer "$sanitizer" --debug-assertions)
# One build of every target (they share all their dependencies); a compile error stops here.
echo "+ cargo +nightly fuzz build ${build[*]}"
cargo +nightly fuzz build "${build[@]}"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

summary=()
failed=0
for target in "${targets[@]}"; do
    work=fuzz/work/$target
    mkdir -p "$work" "fuzz/artifacts/$target"
    echo "+ fuzzing $target for ${seconds} s"
    log=$logs/$target.log
    # -timeout: an input that takes 10 s is a hang worth a report, not a slow machine.
    # The work corpus comes first: libFuzzer adds what it finds to the first folder only.
    status=0
    cargo +nightly fuzz run "${build[@]}" "$target" "$PWD/$work" "$PWD/fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
    corpus=$(find "$work" -type f | wc -l)
    if ((status == 0)); then
        summary+=("$(printf '%-11s ok     %9s inputs  %-10s %6s in fuzz/work/%s' \
            "$target" "${runs:-?}" "${cov:-cov: ?}" "$corpus" "$target")")
    else
        failed=1
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        summary+=("$(printf '%-11s FAILED after %s inputs: %s' "$target" "${runs:-?}" \
            "${artifact:-see the log below}")")
        # The panic message and the stack above the artifact line say what broke.
        grep -v '^#[0-9]' "$log" | tail -n 40 >&2
    fi
done

echo
echo "fuzzing summary (${seconds} s per target):"
printf '  %s\n' "${summary[@]}"
exit "$failed"
