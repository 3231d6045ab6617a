//! A progress indicator on standard error, shown only on a terminal and never with --quiet.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub struct Progress {
    bar: Option<ProgressBar>,
    last: AtomicU64,
}

impl Progress {
    pub fn new(quiet: bool, what: &str) -> Progress {
        let show = !quiet && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template("{spinner} {prefix} {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.set_prefix(what.to_string());
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        Progress {
            bar,
            last: AtomicU64::new(0),
        }
    }

    /// Files and bytes seen so far (cheap: the bar is redrawn at most every 256 files).
    pub fn files(&self, files: u64, bytes: u64) {
        if let Some(b) = &self.bar {
            let prev = self.last.load(Ordering::Relaxed);
            if files >= prev + 256 || files < 256 {
                self.last.store(files, Ordering::Relaxed);
                b.set_message(format!(
                    "{files} files, {}",
                    secops_core::walk::human_bytes(bytes)
                ));
            }
        }
    }

    /// A plain counter (commits, chunks).
    pub fn count(&self, n: u64, unit: &str) {
        if let Some(b) = &self.bar {
            if n % 64 == 0 {
                b.set_message(format!("{n} {unit}"));
            }
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
