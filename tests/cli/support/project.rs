//! `TestProject`: a temporary project folder and the command line of a `pgmock` run in it.

use std::ffi::OsString;
use std::fmt;
use std::io::Write as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;

/// A temporary project folder (deleted on drop) plus the arguments, environment and stdin of the
/// next `pgmock` run, like just's `Test`.
#[must_use]
pub(crate) struct TestProject {
    dir: tempfile::TempDir,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    stdin: Option<Vec<u8>>,
}

impl TestProject {
    /// An empty project in a fresh folder under the system temp dir.
    pub(crate) fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("pgmock-test-").tempdir();
        let dir = dir.expect("create the project's temp dir");
        Self {
            dir,
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
        }
    }

    /// Writes `contents` to `rel` in the project, creating parent folders.
    pub(crate) fn file(self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> Self {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent).expect("create the file's folder");
        }
        fs_err::write(&path, contents).expect("write a project file");
        self
    }

    /// Sets the arguments of the following runs, replacing earlier ones.
    pub(crate) fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Sets an environment variable for the runs (this also wins over the defaults of `run`).
    pub(crate) fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Feeds `bytes` to the runs' stdin (otherwise stdin is empty).
    pub(crate) fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs `pgmock` in the project folder with `NO_COLOR=1`, and without `SOURCE_DATE_EPOCH`,
    /// `PGMOCK_*` or colour-forcing variables from the caller's environment.
    ///
    /// # Panics
    /// When the binary cannot be started.
    pub(crate) fn run(&self) -> Output {
        self.run_args(&self.args)
    }

    /// Runs `pgmock` with `args` instead of the builder's, keeping the same project folder.
    pub(crate) fn run_with<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        self.run_args(&args)
    }

    /// The `pgmock` command with `args`, in the project folder and with the environment of
    /// `run`, for tests that set up standard input and output themselves.
    pub(crate) fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new(super::pgmock_bin());
        cmd.args(args).current_dir(self.dir());
        // The developer's shell must not change what a test sees.
        let inherited = std::env::vars_os().map(|(key, _)| key);
        let pgmock_vars = inherited.filter(|key| key.to_string_lossy().starts_with("PGMOCK_"));
        let other_vars = ["SOURCE_DATE_EPOCH", "CLICOLOR_FORCE", "FORCE_COLOR"].map(OsString::from);
        for key in pgmock_vars.chain(other_vars) {
            cmd.env_remove(key);
        }
        cmd.env("NO_COLOR", "1")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    fn run_args(&self, arg_list: &[OsString]) -> Output {
        let mut cmd = self.command(arg_list);
        let stdin = self
            .stdin
            .as_ref()
            .map_or_else(Stdio::null, |_| Stdio::piped());
        cmd.stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start the pgmock binary");
        // Written from a thread: a child that prints a lot before reading would deadlock us.
        let feeder = child.stdin.take().zip(self.stdin.clone());
        let feeder = feeder.map(|(mut pipe, bytes)| thread::spawn(move || pipe.write_all(&bytes)));
        let out = child.wait_with_output().expect("wait for pgmock");
        // A child may exit without reading all its input; that broken pipe is not our failure.
        drop(feeder.map(thread::JoinHandle::join));
        // Killed by a signal: report it the way a shell does.
        let signal = out.status.signal().map(|signal| 128 + signal);
        let args: Vec<_> = arg_list.iter().map(|arg| arg.to_string_lossy()).collect();
        Output {
            status_code: out.status.code().or(signal).unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            stdout_bytes: out.stdout,
            command: args.join(" "),
        }
    }

    /// Absolute path of `rel` inside the project.
    pub(crate) fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir().join(rel)
    }

    /// Contents of the UTF-8 file `rel` inside the project.
    ///
    /// # Panics
    /// When the file cannot be read.
    pub(crate) fn read(&self, rel: impl AsRef<Path>) -> String {
        fs_err::read_to_string(self.path(rel)).expect("read a project file")
    }

    /// Whether `rel` exists inside the project.
    pub(crate) fn exists(&self, rel: impl AsRef<Path>) -> bool {
        self.path(rel).exists()
    }

    /// The project folder, which is also the working directory of every run.
    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// What one `pgmock` run printed, and how it exited.
#[derive(Debug)]
pub(crate) struct Output {
    /// Exit code; 128 + the signal number if the process was killed.
    pub(crate) status_code: i32,
    /// Stdout as text (invalid UTF-8 replaced).
    pub(crate) stdout: String,
    /// Stderr as text (invalid UTF-8 replaced).
    pub(crate) stderr: String,
    /// Stdout as bytes, for binary archives written to stdout.
    pub(crate) stdout_bytes: Vec<u8>,
    command: String,
}

impl Output {
    /// Asserts exit code 0, showing stdout and stderr otherwise.
    ///
    /// # Panics
    /// When the exit code is not 0.
    pub(crate) fn success(self) -> Self {
        self.failure(0)
    }

    /// Asserts exactly this exit code, showing stdout and stderr otherwise.
    ///
    /// # Panics
    /// When the exit code differs.
    pub(crate) fn failure(self, code: i32) -> Self {
        assert!(
            self.status_code == code,
            "expected exit code {code}\n{self}"
        );
        self
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "`pgmock {}` exited with {}",
            self.command, self.status_code
        )?;
        writeln!(f, "--- stdout ---\n{}", self.stdout)?;
        write!(f, "--- stderr ---\n{}", self.stderr)
    }
}
