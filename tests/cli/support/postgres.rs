//! Throwaway PostgreSQL clusters, each started once per test binary, and a fresh database per
//! test.
//!
//! [`cluster`] is the default one: the system's PostgreSQL (see [`find_bindir`]).
//! [`cluster_of`] starts one per requested major version, found by [`find_bindir_of`], so that a
//! test can restore with, say, PostgreSQL 18 while the rest use the system's 15;
//! `scripts/fetch-postgres.sh` downloads those versions.
//!
//! Each cluster lives in a new `pgmock-pg<major>-*` folder under the system temp dir: data in
//! `data/`, the Unix socket (no TCP) and `server.log` beside it. So a cluster left by an earlier
//! run is never reused and cannot block a new one: every socket is in a folder of its own.
//!
//! How it is stopped: Rust never drops statics, and a test process may die from a signal, so
//! nothing inside it can be trusted to clean up. Before `initdb`, a small `sh` watchdog is
//! spawned that blocks reading a pipe from this process. The kernel closes the pipe when this
//! process exits, however it exits (end of tests, panic, Ctrl-C, SIGKILL); the watchdog then runs
//! `pg_ctl stop -m immediate` and deletes the folder. `PGMOCK_KEEP_CLUSTER=1` skips the watchdog
//! and keeps the cluster for inspection.
//!
//! Databases are never dropped: `DROP DATABASE` forces a checkpoint, and they all go with the
//! cluster anyway.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Programs the harness needs from one PostgreSQL installation.
const TOOLS: [&str; 5] = ["initdb", "pg_ctl", "postgres", "psql", "pg_restore"];

/// Port of the default cluster. Any port works because the socket folder is unique; a
/// non-default one makes a client that forgot `PGHOST` fail instead of silently reaching the
/// system's cluster on 5432.
const DEFAULT_PORT: u16 = 54329;

/// A cluster of a requested version listens on this plus its major (54318 for 18), so that
/// the port alone tells which server a log line or a `ps` entry belongs to.
const VERSIONED_PORT_BASE: u16 = 54300;

/// Where `scripts/fetch-postgres.sh` puts its builds unless `PGMOCK_PG_CACHE` says otherwise.
const DEFAULT_CACHE: &str = "/var/cache/pgmock/postgres";

/// A cluster once started, or why it could not be; the outcome is kept for every later test.
type Slot = OnceLock<Result<Cluster, String>>;

/// What a lookup of a shared cluster gives: the cluster, or why there is none.
type Started = Result<&'static Cluster, &'static str>;

/// The default cluster shared by all tests of this binary, or `None` when PostgreSQL is
/// unavailable.
///
/// # Panics
/// When PostgreSQL is unavailable and `CI` is `true`: a CI run must not skip these tests.
pub(crate) fn cluster() -> Option<&'static Cluster> {
    fail_in_ci(default_cluster()).ok()
}

/// Like [`cluster`], but prints `SKIPPED: <test>: <reason>` to stderr when there is none.
pub(crate) fn require_cluster() -> Option<&'static Cluster> {
    skip_unless(fail_in_ci(default_cluster()))
}

/// The cluster of PostgreSQL `major` (e.g. 18) shared by all tests of this binary, or `None`
/// when that version is unavailable.
///
/// # Panics
/// When that version is unavailable and `CI` is `true`.
pub(crate) fn cluster_of(major: u32) -> Option<&'static Cluster> {
    fail_in_ci(versioned_cluster(major)).ok()
}

/// Like [`cluster_of`], but prints `SKIPPED: <test>: <reason>` to stderr when there is none.
pub(crate) fn require_cluster_of(major: u32) -> Option<&'static Cluster> {
    skip_unless(fail_in_ci(versioned_cluster(major)))
}

/// Evaluates to the shared default `&Cluster`, or prints `SKIPPED: ...` and returns from the
/// test.
macro_rules! require_pg {
    () => {
        match $crate::support::postgres::require_cluster() {
            Some(cluster) => cluster,
            None => return,
        }
    };
}
pub(crate) use require_pg;

/// Evaluates to the shared `&Cluster` of the given major version (`require_pg_version!(18)`),
/// or prints `SKIPPED: ...` and returns from the test.
macro_rules! require_pg_version {
    ($major:expr) => {
        match $crate::support::postgres::require_cluster_of($major) {
            Some(cluster) => cluster,
            None => return,
        }
    };
}
pub(crate) use require_pg_version;

fn default_cluster() -> Started {
    static CLUSTER: Slot = OnceLock::new();
    let started = CLUSTER.get_or_init(|| Cluster::start(find_bindir()?, DEFAULT_PORT));
    started.as_ref().map_err(String::as_str)
}

fn versioned_cluster(major: u32) -> Started {
    // Slots are leaked to be `'static` like the default one. The map stays locked only while
    // the slot is looked up, so that clusters of two versions can start at the same time.
    static SLOTS: Mutex<BTreeMap<u32, &'static Slot>> = Mutex::new(BTreeMap::new());
    let slot: &'static Slot = {
        let mut slots = SLOTS.lock().unwrap_or_else(PoisonError::into_inner);
        slots
            .entry(major)
            .or_insert_with(|| Box::leak(Box::default()))
    };
    let started = slot.get_or_init(|| {
        let port = u16::try_from(major).ok();
        let port = port.and_then(|major| VERSIONED_PORT_BASE.checked_add(major));
        let port = port.ok_or_else(|| format!("no port for PostgreSQL {major}"))?;
        Cluster::start(find_bindir_of(major)?, port)
    });
    started.as_ref().map_err(String::as_str)
}

/// Passes `started` through, except that a missing cluster is a failure when `CI` is `true`.
fn fail_in_ci(started: Started) -> Started {
    match started {
        Err(reason) if is_ci() => panic!("PostgreSQL is required when CI=true, but {reason}"),
        started => started,
    }
}

/// The cluster, or `None` after printing `SKIPPED: <test>: <reason>`.
fn skip_unless(started: Started) -> Option<&'static Cluster> {
    if let Err(reason) = started {
        let thread = std::thread::current();
        let test = thread.name().unwrap_or("test");
        // The real stderr: libtest would hide `eprintln!` output of a passing test.
        let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {reason}");
    }
    started.ok()
}

/// A running PostgreSQL server reached through a Unix socket in its own temp folder.
pub(crate) struct Cluster {
    bindir: PathBuf,
    dir: PathBuf,
    major: u32,
    port: u16,
    /// Server programs refuse to run as root; then they run as `postgres` via `runuser`.
    as_postgres: bool,
    next_db: AtomicU32,
    /// Held only so that the watchdog's pipe stays open until the process exits.
    _watchdog: Option<ChildStdin>,
}

impl Cluster {
    fn start(bindir: PathBuf, port: u16) -> Result<Self, String> {
        let (version, major) = server_version(&bindir)?;
        let dir = tempfile::Builder::new()
            .prefix(&format!("pgmock-pg{major}-"))
            .tempdir();
        let dir = dir.map_err(|err| format!("cannot create the cluster's temp dir: {err}"))?;
        let as_postgres = run(Command::new("id").arg("-u"))?.trim() == "0";
        let keep = std::env::var_os("PGMOCK_KEEP_CLUSTER").is_some();
        let mut cluster = Self {
            bindir,
            dir: dir.keep(),
            major,
            port,
            as_postgres,
            next_db: AtomicU32::new(0),
            _watchdog: None,
        };
        if !keep {
            let watchdog = cluster.spawn_watchdog()?;
            cluster = Self {
                _watchdog: Some(watchdog),
                ..cluster
            };
        }
        cluster.init_and_start()?;
        let bindir = cluster.bindir.display();
        let user = if as_postgres { " as user postgres" } else { "" };
        let kept = if keep { ", kept after the tests" } else { "" };
        let [(_, host), (_, port), _] = cluster.env();
        let _ = writeln!(
            std::io::stderr(),
            "pgmock tests: {version} from {bindir}{user}; PGHOST={host} PGPORT={port}{kept}"
        );
        Ok(cluster)
    }

    fn spawn_watchdog(&self) -> Result<ChildStdin, String> {
        // `read` returns at EOF, once this process has exited. A process group of its own and
        // ignored terminal signals keep Ctrl-C, or CI killing the whole group on cancel, from
        // stopping the watchdog before it has cleaned up.
        let script = r#"trap '' INT HUP TERM; read -r _; dir=$1; shift; "$@"; rm -rf "$dir""#;
        let mut stop = self.as_server_user(self.bindir.join("pg_ctl"));
        stop.arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"]);
        let mut watchdog = Command::new("sh")
            .args(["-c", script, "pgmock-pg-watchdog"])
            .arg(&self.dir)
            .arg(stop.get_program())
            .args(stop.get_args())
            .current_dir(&self.dir)
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("cannot spawn the watchdog: {err}"))?;
        // Rust opens pipes close-on-exec, so no other child (postgres, psql) keeps it open.
        watchdog
            .stdin
            .take()
            .ok_or_else(|| "the watchdog has no stdin".into())
    }

    fn init_and_start(&self) -> Result<(), String> {
        let data = self.dir.join("data");
        if self.as_postgres {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(&self.dir))?;
            run(self.as_server_user("test").arg("-w").arg(&self.dir)).map_err(|err| {
                format!("user postgres cannot write the cluster folder; set TMPDIR? {err}")
            })?;
            // A build kept in a folder closed to others (such as /root) would otherwise fail
            // inside initdb with a less obvious message.
            let postgres = self.bindir.join("postgres");
            run(self.as_server_user(&postgres).arg("--version")).map_err(|err| {
                let bindir = self.bindir.display();
                format!("user postgres cannot run the programs in {bindir}: {err}")
            })?;
        }
        // No fsync anywhere: the data is thrown away.
        let initdb = "-U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync".split(' ');
        run(self
            .as_server_user(self.bindir.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(initdb))?;
        // Settings go into the file rather than `pg_ctl -o`, whose string a shell re-splits.
        let socket_dir = self.dir.to_string_lossy().replace('\'', "''");
        let port = self.port;
        let settings = format!(
            "\n# pgmock test harness\nlisten_addresses = ''\nunix_socket_directories = '{socket_dir}'\n\
             port = {port}\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        );
        let conf = fs_err::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"));
        let appended = conf.and_then(|mut conf| conf.write_all(settings.as_bytes()));
        appended.map_err(|err| err.to_string())?;
        let mut pg_ctl = self.as_server_user(self.bindir.join("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(self.dir.join("server.log"));
        let started = run(pg_ctl.args(["-w", "start"]));
        started
            .map(drop)
            .map_err(|err| format!("{err}\n{}", self.log_tail()))
    }

    /// `program`, run as user `postgres` when we are root, in the cluster folder (initdb
    /// complains about a working directory that user cannot read, such as /root).
    fn as_server_user(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        cmd.current_dir(&self.dir);
        cmd
    }

    /// Folder holding the PostgreSQL programs in use.
    pub(crate) fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// Major version of the server, e.g. `15`.
    pub(crate) fn major(&self) -> u32 {
        self.major
    }

    /// Same as [`Cluster::major`], the name it had first.
    pub(crate) fn version_major(&self) -> u32 {
        self.major
    }

    /// `PGHOST`, `PGPORT` and `PGUSER` values that reach this cluster.
    pub(crate) fn env(&self) -> [(&'static str, String); 3] {
        let host = self.dir.to_string_lossy().into_owned();
        [
            ("PGHOST", host),
            ("PGPORT", self.port.to_string()),
            ("PGUSER", "postgres".into()),
        ]
    }

    /// A client program from `bindir`, such as `pg_restore`, set up to reach this cluster.
    pub(crate) fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(self.bindir.join(program.as_ref()));
        // The developer's own settings must not redirect or alter the connection.
        for var in ["PGDATABASE", "PGSERVICE", "PGOPTIONS"] {
            cmd.env_remove(var);
        }
        cmd.envs(self.env()).stdin(Stdio::null());
        cmd
    }

    /// The last lines of the server log, for failure messages.
    pub(crate) fn log_tail(&self) -> String {
        let log = fs_err::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("--- end of the server log ---\n{tail}")
    }

    /// Creates an empty database with a unique name that includes the calling test's name.
    ///
    /// # Panics
    /// When `CREATE DATABASE` fails.
    pub(crate) fn fresh_db(&self) -> Database<'_> {
        // libtest names each test's thread after the test, which helps when reading the log.
        let test = std::thread::current().name().unwrap_or("").to_owned();
        let test = test.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        let mut name = format!("t{}_{test}", self.next_db.fetch_add(1, Ordering::Relaxed));
        name.truncate(63); // NAMEDATALEN - 1; the name is ASCII, so no char is cut
        let postgres = Database {
            cluster: self,
            name: "postgres".into(),
        };
        postgres.query(&format!("CREATE DATABASE \"{name}\""));
        Database {
            cluster: self,
            name,
        }
    }
}

/// One database in the shared cluster; it is never dropped (see the module docs).
pub(crate) struct Database<'c> {
    cluster: &'c Cluster,
    name: String,
}

impl Database<'_> {
    /// The database name, as passed to `psql -d`.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Runs a SQL script with `psql -f`, stopping at the first error; `Err` holds psql's exit
    /// status and stderr.
    pub(crate) fn psql_file(&self, path: impl AsRef<Path>) -> Result<String, String> {
        run(self.psql().arg("-q").arg("-f").arg(path.as_ref()))
    }

    /// The output of one SQL command, unaligned and without headers (`psql -A -t`).
    ///
    /// # Panics
    /// When the command fails; the message has psql's stderr and the server log.
    pub(crate) fn query(&self, sql: &str) -> String {
        self.run_query(&[], sql)
    }

    /// The rows of a query, split into fields (NULL reads as an empty string).
    ///
    /// # Panics
    /// When the query fails.
    pub(crate) fn query_rows(&self, sql: &str) -> Vec<Vec<String>> {
        // The ASCII unit and record separators, so that tabs and newlines in values survive.
        let out = self.run_query(&["-F", "\x1f", "-R", "\x1e"], sql);
        let rows = out.split('\x1e').filter(|_| !out.is_empty());
        rows.map(|row| row.split('\x1f').map(str::to_owned).collect())
            .collect()
    }

    /// The text that `COPY <table> TO STDOUT` prints; `table` may be schema-qualified.
    ///
    /// # Panics
    /// When the copy fails.
    pub(crate) fn copy_out(&self, table: &str) -> String {
        let copied = run(self.psql().args(["-c", &format!("COPY {table} TO STDOUT")]));
        copied.unwrap_or_else(|err| panic!("{err}\n{}", self.cluster.log_tail()))
    }

    /// Runs the cluster's `pg_restore` with `args` and `-d <this database>`.
    pub(crate) fn pg_restore(&self, args: &[&str]) -> Result<String, String> {
        let mut pg_restore = self.cluster.command("pg_restore");
        run(pg_restore.args(args).args(["-d", &self.name]))
    }

    fn run_query(&self, options: &[&str], sql: &str) -> String {
        let out = run(self
            .psql()
            .args(["-A", "-t"])
            .args(options)
            .args(["-c", sql]));
        let out = out.unwrap_or_else(|err| panic!("{err}\n{}", self.cluster.log_tail()));
        out.strip_suffix('\n').unwrap_or(&out).to_owned()
    }

    fn psql(&self) -> Command {
        let mut psql = self.cluster.command("psql");
        psql.args(["-X", "-v", "ON_ERROR_STOP=1", "-d", &self.name]);
        psql
    }
}

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|ci| ci.eq_ignore_ascii_case("true") || ci == "1")
}

/// `PGMOCK_PG_BINDIR` if set (then it must be complete), else the first folder that has all
/// [`TOOLS`] of: `pg_config --bindir`, then `/usr/lib/postgresql/*/bin`, newest first.
fn find_bindir() -> Result<PathBuf, String> {
    if let Some(dir) = explicit_bindir("PGMOCK_PG_BINDIR") {
        return dir;
    }
    let pg_config = run(Command::new("pg_config").arg("--bindir"));
    let pg_config = pg_config.map(|out| PathBuf::from(out.trim()));
    let installed = fs_err::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten();
    let mut installed: Vec<(u32, PathBuf)> = installed
        .filter_map(|dir| {
            Some((
                dir.file_name().to_str()?.parse().ok()?,
                dir.path().join("bin"),
            ))
        })
        .collect();
    installed.sort_by_key(|(major, _)| std::cmp::Reverse(*major));
    let mut candidates = pg_config
        .into_iter()
        .chain(installed.into_iter().map(|(_, dir)| dir));
    candidates.find(|dir| is_complete(dir)).ok_or_else(|| {
        format!("no PostgreSQL with {TOOLS:?} found; install it or set PGMOCK_PG_BINDIR")
    })
}

/// The programs of PostgreSQL `major`: `PGMOCK_PG<major>_BINDIR` if set (then it must be
/// complete), else the first folder that has all [`TOOLS`] of `$PGMOCK_PG_CACHE/<major>/bin`
/// (where `scripts/fetch-postgres.sh` puts them) and `/usr/lib/postgresql/<major>/bin`.
fn find_bindir_of(major: u32) -> Result<PathBuf, String> {
    let var = format!("PGMOCK_PG{major}_BINDIR");
    let bindir = explicit_bindir(&var).unwrap_or_else(|| {
        let cache = std::env::var_os("PGMOCK_PG_CACHE");
        let cache = cache.map_or_else(|| PathBuf::from(DEFAULT_CACHE), PathBuf::from);
        let system = PathBuf::from(format!("/usr/lib/postgresql/{major}/bin"));
        let mut candidates = [cache.join(major.to_string()).join("bin"), system].into_iter();
        candidates
            .find(|dir| is_complete(dir))
            .ok_or_else(|| format!("PostgreSQL {major} not found (run scripts/fetch-postgres.sh)"))
    })?;
    // Testing "against 18" with a 17 that sits in the wrong folder would prove nothing.
    let (version, found) = server_version(&bindir)?;
    if found != major {
        let bindir = bindir.display();
        return Err(format!(
            "{bindir} was to hold PostgreSQL {major}, but has {version}"
        ));
    }
    Ok(bindir)
}

/// The folder named by the environment variable `var`, if set; `Err` when it lacks one of
/// [`TOOLS`], because a wrong explicit choice must not quietly test another installation.
fn explicit_bindir(var: &str) -> Option<Result<PathBuf, String>> {
    let dir = PathBuf::from(std::env::var_os(var)?);
    let lacks = format!("{var}={} lacks one of {TOOLS:?}", dir.display());
    Some(Some(dir).filter(|dir| is_complete(dir)).ok_or(lacks))
}

/// Whether `dir` holds every one of [`TOOLS`].
fn is_complete(dir: &Path) -> bool {
    TOOLS.iter().all(|tool| dir.join(tool).is_file())
}

/// The server's version line, e.g. `postgres (PostgreSQL) 18.6`, and its major version.
fn server_version(bindir: &Path) -> Result<(String, u32), String> {
    let version = run(Command::new(bindir.join("postgres")).arg("--version"))?;
    let version = version.trim().to_owned();
    // "postgres (PostgreSQL) 15.14 (Debian ...)" or "... 17beta1": the leading digits.
    let major = version.split_whitespace().nth(2).unwrap_or("");
    let major = major.split(|c: char| !c.is_ascii_digit()).next();
    let major = major.and_then(|major| major.parse().ok());
    let major = major.ok_or_else(|| format!("no major version in `{version}`"))?;
    Ok((version, major))
}

/// Runs a command to completion: `Ok(stdout)` on success, else `Err` naming the command, its
/// exit status and its stderr.
fn run(cmd: &mut Command) -> Result<String, String> {
    let shown = std::iter::once(cmd.get_program()).chain(cmd.get_args());
    let shown = shown
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ");
    let out = cmd
        .output()
        .map_err(|err| format!("cannot run `{shown}`: {err}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "`{shown}` failed ({}):\n{}",
            out.status,
            stderr.trim_end()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
