//! A progress bar on standard error while cells run.

use indicatif::{ProgressBar, ProgressStyle};

use super::events::{Event, Subscriber};

/// Counts finished cells against the plan's total.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A hidden bar until the run says how many cells it has.
    pub fn new() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

impl Subscriber for Progress {
    fn on_event(&mut self, event: &Event) {
        match event {
            Event::RunStarted { cells, .. } => {
                self.bar = ProgressBar::new(*cells as u64);
                if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} cases {msg}")
                {
                    self.bar.set_style(style);
                }
            }
            Event::TargetFailed { target, reason } => {
                self.bar.println(format!("error: {target}: {reason}"));
            }
            Event::CellFinished { .. } => self.bar.inc(1),
            Event::RunFinished { .. } => self.bar.finish_and_clear(),
            _ => {}
        }
    }
}
