//! Every write of the commands to standard output and standard error.
//!
//! `println!` and `eprintln!` panic when the write fails (a closed pipe, a
//! full disk), so the commands write through here instead and get an
//! [`Error`] naming `<stdout>` or `<stderr>`; [`super::run`] then ends a
//! closed pipe quietly and anything else with exit code 1.

use std::io::Write as _;

use crate::dump::output::{self, OutputProblem};
use crate::error::{Error, Result};

/// Writes `text` to standard output.
pub(crate) fn out(text: &str) -> Result<()> {
    out_bytes(text.as_bytes())
}

/// Writes `bytes` to standard output as they are (an archive's names may not be UTF-8).
pub(crate) fn out_bytes(bytes: &[u8]) -> Result<()> {
    // std turns a closed stdout into /dev/null before `main`, so the write
    // below would succeed and the text would vanish without a word.
    if output::stdout_closed() {
        return Err(Error::Output {
            path: "<stdout>".into(),
            problem: OutputProblem::StdoutClosed,
        });
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::io("<stdout>", e))
}

/// Writes `text` and a newline to standard error.
pub(crate) fn err(text: &str) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.write_all(b"\n"))
        .and_then(|()| stderr.flush())
        .map_err(|e| Error::io("<stderr>", e))
}

/// Draws `error` on standard error, as the last thing a failed run does.
pub(crate) fn report(error: &Error) {
    // If standard error itself fails there is nowhere left to say so; the
    // exit code still tells the run failed.
    let _ = std::io::stderr().write_all(crate::diagnostic::render(error).as_bytes());
}
