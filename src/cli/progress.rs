//! Progress bars on a terminal: one per table, with rows per second and the
//! time left, drawn by `indicatif` on stderr.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::pipeline::{Progress, TableProgress};

/// Bars for the tables of one run.
pub struct Bars {
    multi: MultiProgress,
    style: ProgressStyle,
}

impl Bars {
    /// Bars drawn on stderr.
    #[must_use]
    pub fn new() -> Self {
        let style = ProgressStyle::with_template(
            "{prefix:>24} [{bar:30}] {human_pos}/{human_len} rows  {rate:>13}  ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} rows/s", state.per_sec());
            },
        )
        .progress_chars("=> ");
        Self {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            style,
        }
    }
}

impl Default for Bars {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for Bars {
    fn table(&self, name: &str, rows: u64) -> Box<dyn TableProgress + '_> {
        let bar = self.multi.add(ProgressBar::new(rows));
        bar.set_style(self.style.clone());
        bar.set_prefix(name.to_owned());
        Box::new(Bar(bar))
    }
}

struct Bar(ProgressBar);

impl TableProgress for Bar {
    fn advance(&self, rows: u64) {
        self.0.inc(rows);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish();
    }
}
