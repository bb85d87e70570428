#!/bin/sh
# make-dumps.sh ROSTER [PROJECT [PGMOCK_ARGS...]]
#
# Writes one dump per line of ROSTER (an e-mail address or a name per line;
# blank lines and lines starting with `#` are skipped), each generated from
# PROJECT (default: pgmock.json) with the line as its seed, into OUT_DIR
# (default: dumps). Any further arguments go to `pgmock generate` as they are
# (`--scale 0.5`, `--inserts`). The same line always gives the same dump.
#
# Environment: PGMOCK, the pgmock program (default: pgmock on the PATH);
# OUT_DIR, the folder for the dumps.
set -eu

PGMOCK=${PGMOCK:-pgmock}
OUT_DIR=${OUT_DIR:-dumps}

if [ "$#" -lt 1 ]; then
    echo "usage: $0 ROSTER [PROJECT [PGMOCK_ARGS...]]" >&2
    exit 2
fi
roster=$1
project=${2:-pgmock.json}
shift
if [ "$#" -gt 0 ]; then
    shift
fi

if [ ! -r "$roster" ]; then
    echo "$0: cannot read the roster \`$roster\`" >&2
    exit 2
fi
if ! command -v "$PGMOCK" >/dev/null 2>&1; then
    echo "$0: cannot find \`$PGMOCK\`; install pgmock or set PGMOCK=/path/to/pgmock" >&2
    exit 2
fi
mkdir -p "$OUT_DIR"

# File names of this run, space-separated; safe names hold no spaces.
written=" "
count=0
number=0
# `|| [ -n "$line" ]` keeps a last line that has no newline after it.
while IFS= read -r line || [ -n "$line" ]; do
    number=$((number + 1))
    # Files saved on Windows end their lines with a carriage return; the
    # seed must not depend on the editor, so it goes, with outer blanks.
    seed=$(printf '%s' "$line" | tr -d '\r' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    case $seed in
    '' | '#'*) continue ;;
    random)
        echo "$0: line $number: \`random\` would give another dataset on every run; use another line" >&2
        exit 2
        ;;
    esac
    # Letters, digits and . _ @ + - are kept; anything else (spaces, slashes,
    # each byte of a non-ASCII letter) becomes `_`.
    name=$(printf '%s' "$seed" | LC_ALL=C tr -c 'A-Za-z0-9._@+-' '_')
    case $name in
    [.-]*) name="_$name" ;; # no hidden files, nothing that looks like an option
    esac
    case $written in
    *" $name "*)
        echo "$0: line $number: \`$seed\` gives the file name \`$name.sql\`, as an earlier line does; make the lines differ in letters or digits" >&2
        exit 2
        ;;
    esac
    written="$written$name "
    # `--seed=...`: a line starting with `-` is a seed, not an option.
    "$PGMOCK" generate "$project" --seed="$seed" -f "$OUT_DIR/$name.sql" "$@" </dev/null
    echo "$seed -> $OUT_DIR/$name.sql"
    count=$((count + 1))
done <"$roster"

echo "$count dumps in $OUT_DIR"
