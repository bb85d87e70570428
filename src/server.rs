//! A throwaway PostgreSQL server for checks that need a real one (the
//! realism contracts of `pgmock templates verify` and `pgmock pack verify`).
//!
//! pgmock writes dumps without a server; only these checks start one, from
//! the PostgreSQL programs installed on the machine. The cluster lives in a
//! new temporary folder, listens only on a Unix socket inside it, runs
//! without fsync, and is stopped and deleted when the [`Server`] is dropped.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The programs a contract check needs from one PostgreSQL installation.
const TOOLS: [&str; 5] = ["initdb", "pg_ctl", "postgres", "psql", "pg_restore"];

/// The socket's port number: only its file name, since nothing else listens in the folder.
const PORT: u16 = 5432;

/// Where the server programs are: `PGMOCK_PG_BINDIR`, else `pg_config
/// --bindir`, else the newest `/usr/lib/postgresql/*/bin` that has them all.
///
/// # Errors
/// Says what was looked for, when nothing has every program.
pub fn find_bindir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("PGMOCK_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        return if is_complete(&dir) {
            Ok(dir)
        } else {
            Err(format!(
                "PGMOCK_PG_BINDIR={} lacks one of {}",
                dir.display(),
                TOOLS.join(", ")
            ))
        };
    }
    let from_pg_config = run(Command::new("pg_config").arg("--bindir"))
        .ok()
        .map(|out| PathBuf::from(out.trim()));
    let mut installed: Vec<(u32, PathBuf)> = fs_err::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse().ok()?;
            Some((major, entry.path().join("bin")))
        })
        .collect();
    installed.sort_by_key(|(major, _)| std::cmp::Reverse(*major));
    from_pg_config
        .into_iter()
        .chain(installed.into_iter().map(|(_, dir)| dir))
        .find(|dir| is_complete(dir))
        .ok_or_else(|| {
            format!(
                "no PostgreSQL server programs ({}) found; install PostgreSQL or set PGMOCK_PG_BINDIR",
                TOOLS.join(", ")
            )
        })
}

fn is_complete(dir: &Path) -> bool {
    TOOLS.iter().all(|tool| dir.join(tool).is_file())
}

/// A running throwaway server.
#[derive(Debug)]
pub struct Server {
    bindir: PathBuf,
    dir: tempfile::TempDir,
    /// Server programs refuse to run as root; then they run as `postgres`.
    as_postgres: bool,
    /// What `postgres --version` printed.
    version: String,
}

impl Server {
    /// Creates and starts a cluster with the programs of `bindir`.
    ///
    /// # Errors
    /// The failing step, with its output (and the server log's end).
    pub fn start(bindir: &Path) -> Result<Self, String> {
        let version = run(Command::new(bindir.join("postgres")).arg("--version"))?
            .trim()
            .to_owned();
        let dir = tempfile::Builder::new()
            .prefix("pgmock-server-")
            .tempdir()
            .map_err(|e| format!("cannot create a folder for the server: {e}"))?;
        let as_postgres = run(Command::new("id").arg("-u"))?.trim() == "0";
        let server = Self {
            bindir: bindir.to_owned(),
            dir,
            as_postgres,
            version,
        };
        if as_postgres {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(server.dir.path()))
            .map_err(|e| format!("running as root, the server runs as user `postgres`: {e}"))?;
        }
        let data = server.dir.path().join("data");
        run(server
            .as_server_user("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync"]))?;
        // Settings go into the file: `pg_ctl -o` re-splits its string in a shell.
        let socket = server.dir.path().to_string_lossy().replace('\'', "''");
        let settings = format!(
            "\n# pgmock throwaway server\nlisten_addresses = ''\nunix_socket_directories = '{socket}'\n\
             port = {PORT}\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        );
        let conf = data.join("postgresql.conf");
        let mut text = fs_err::read_to_string(&conf).map_err(|e| e.to_string())?;
        text.push_str(&settings);
        fs_err::write(&conf, text).map_err(|e| e.to_string())?;
        run(server
            .as_server_user("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(server.dir.path().join("server.log"))
            .args(["-w", "start"]))
        .map_err(|e| format!("{e}\n{}", server.log_tail()))?;
        Ok(server)
    }

    /// What `postgres --version` printed (`postgres (PostgreSQL) 15.18`).
    #[must_use]
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Creates an empty database.
    ///
    /// # Errors
    /// psql's message.
    pub fn create_database(&self, name: &str) -> Result<(), String> {
        let quoted = name.replace('"', "\"\"");
        self.query("postgres", &format!("CREATE DATABASE \"{quoted}\""))
            .map(drop)
    }

    /// Loads a dump into database `db`: a plain script with psql, an archive
    /// with pg_restore, stopping at the first error either way.
    ///
    /// # Errors
    /// The client's message.
    pub fn load(&self, db: &str, dump: &Path, plain: bool) -> Result<(), String> {
        let mut cmd = if plain {
            let mut psql = self.client("psql");
            psql.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f"])
                .arg(dump);
            psql
        } else {
            let mut restore = self.client("pg_restore");
            restore.args(["--exit-on-error", "-d", db]).arg(dump);
            restore
        };
        run(&mut cmd).map(drop).map_err(|e| e.client_message())
    }

    /// The rows of one SQL statement run in `db`, split into fields (NULL
    /// reads as an empty string).
    ///
    /// # Errors
    /// psql's message.
    pub fn query(&self, db: &str, sql: &str) -> Result<Vec<Vec<String>>, String> {
        // The ASCII unit and record separators, so that tabs and newlines in values survive.
        let out = run(self
            .client("psql")
            .args(["-X", "-A", "-t", "-F", "\x1f", "-R", "\x1e"])
            .args(["-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql]))
        .map_err(|e| e.client_message())?;
        let out = out.strip_suffix('\n').unwrap_or(&out);
        Ok(out
            .split('\x1e')
            .filter(|_| !out.is_empty())
            .map(|row| row.split('\x1f').map(str::to_owned).collect())
            .collect())
    }

    /// A client program of the installation, set to reach this server only.
    fn client(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bindir.join(program));
        // The user's own settings must not redirect or alter the connection.
        for var in ["PGDATABASE", "PGSERVICE", "PGOPTIONS", "PGPASSWORD"] {
            cmd.env_remove(var);
        }
        cmd.env("PGHOST", self.dir.path())
            .env("PGPORT", PORT.to_string())
            .env("PGUSER", "postgres")
            .stdin(Stdio::null());
        cmd
    }

    /// A server program, run as user `postgres` when we are root, from the
    /// cluster folder (initdb refuses a working folder that user cannot read).
    fn as_server_user(&self, program: &str) -> Command {
        let program = self.bindir.join(program);
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        cmd.current_dir(self.dir.path()).stdin(Stdio::null());
        cmd
    }

    fn log_tail(&self) -> String {
        let log = fs_err::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(10)..].join("\n");
        format!("end of the server log:\n{tail}")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Immediate: the data is thrown away, so nothing needs writing first.
        let _ = run(self
            .as_server_user("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"]));
    }
}

/// A command that could not run or failed.
#[derive(Debug)]
struct Failure {
    /// The command line.
    shown: String,
    /// Its exit status, or why it did not start.
    status: String,
    /// What it wrote to stderr.
    stderr: String,
}

impl Failure {
    /// What a client (psql, pg_restore) said: its stderr alone, which names
    /// the SQL error, since the command line only repeats the query.
    fn client_message(self) -> String {
        if self.stderr.is_empty() {
            format!("`{}` failed ({})", self.shown, self.status)
        } else {
            self.stderr
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` failed ({}): {}",
            self.shown, self.status, self.stderr
        )
    }
}

impl From<Failure> for String {
    fn from(f: Failure) -> Self {
        f.to_string()
    }
}

/// Runs a command to completion: its stdout, or what failed.
fn run(cmd: &mut Command) -> Result<String, Failure> {
    let shown = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ");
    let out = cmd.output().map_err(|e| Failure {
        shown: shown.clone(),
        status: format!("cannot run it: {e}"),
        stderr: String::new(),
    })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(Failure {
            shown,
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim_end().to_owned(),
        })
    }
}
