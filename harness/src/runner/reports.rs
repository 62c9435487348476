//! The subscribers that render a run once it is over: the terminal matrix,
//! and the four report files.

use std::io::Write;
use std::path::PathBuf;

use super::collect::Collector;
use super::events::{Event, Subscriber};
use crate::report::{self, terminal};

/// Prints the matrix and the details of every cell that was not a plain
/// pass, when the run finishes.
pub struct Terminal {
    collector: Collector,
    colour: bool,
    out: Box<dyn Write + Send>,
}

impl Terminal {
    /// Prints to standard output, in colour when `colour`.
    pub fn stdout(colour: bool) -> Terminal {
        Terminal {
            collector: Collector::new(),
            colour,
            out: Box::new(std::io::stdout()),
        }
    }
}

impl Subscriber for Terminal {
    fn on_event(&mut self, event: &Event) {
        self.collector.on_event(event);
        if let Event::RunFinished { elapsed_ms } = event {
            let matrix = self.collector.matrix();
            let _ = write!(self.out, "{}", terminal::matrix(&matrix, self.colour));
            let _ = write!(self.out, "{}", terminal::details(&matrix));
            if *elapsed_ms > 0.0 {
                let _ = writeln!(self.out, "took {:.2} s", elapsed_ms / 1000.0);
            }
        }
    }
}

/// Writes `matrix.json`, `junit.xml`, `matrix.md` and `index.html` into a
/// folder when the run finishes, interrupted or not.
pub struct Reports {
    collector: Collector,
    dir: PathBuf,
    strict: bool,
    outcome: Result<(), String>,
}

impl Reports {
    /// Reports into `dir`; `strict` makes `unsupported` fail in JUnit.
    pub fn new(dir: PathBuf, strict: bool) -> Reports {
        Reports {
            collector: Collector::new(),
            dir,
            strict,
            outcome: Ok(()),
        }
    }
}

impl Subscriber for Reports {
    fn on_event(&mut self, event: &Event) {
        self.collector.on_event(event);
        if let Event::RunFinished { .. } = event {
            let matrix = self.collector.matrix();
            self.outcome = report::write_all(&matrix, &self.dir, self.strict).map(|_| ());
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        std::mem::replace(&mut self.outcome, Ok(()))
    }
}
