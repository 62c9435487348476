//! The libtest front door of the run: a subscriber that posts each finished
//! cell on a board, where the trial asking for it waits. The run itself is
//! the library's one pipeline (`xepspec::runner::run`), started once in the
//! background for every cell the selected trials need.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use xepspec::matrix::Cell;
use xepspec::runner::{Event, Subscriber};

/// Cells by (case id, target name), and whether the run is over.
#[derive(Default)]
struct Posted {
    cells: HashMap<(String, String), Cell>,
    over: bool,
}

/// Where finished cells wait for their trials.
#[derive(Default)]
pub struct Board {
    posted: Mutex<Posted>,
    changed: Condvar,
}

/// How long a trial waits for its cell at most: the run's own bounds end
/// every case well before this.
const LONGEST_WAIT: Duration = Duration::from_secs(900);

impl Board {
    /// An empty board.
    pub fn new() -> Arc<Board> {
        Arc::new(Board::default())
    }

    /// The cell of `case` on `target`, once it finished; an error when the
    /// run ended without it or the wait ran out.
    pub fn cell(&self, case: &str, target: &str) -> Result<Cell, String> {
        let key = (case.to_owned(), target.to_owned());
        let deadline = Instant::now() + LONGEST_WAIT;
        let mut posted = self.posted.lock().map_err(|e| e.to_string())?;
        loop {
            if let Some(cell) = posted.cells.get(&key) {
                return Ok(cell.clone());
            }
            if posted.over {
                return Err(format!("the run ended without {case} on {target}"));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!(
                    "no verdict for {case} on {target} after {LONGEST_WAIT:?}"
                ));
            }
            posted = self
                .changed
                .wait_timeout(posted, left)
                .map_err(|e| e.to_string())?
                .0;
        }
    }

    /// Marks the run over (also when it could not start), waking every
    /// trial still waiting.
    pub fn close(&self) {
        if let Ok(mut posted) = self.posted.lock() {
            posted.over = true;
        }
        self.changed.notify_all();
    }
}

/// The subscriber that fills a [`Board`].
pub struct OnBoard(pub Arc<Board>);

impl Subscriber for OnBoard {
    fn on_event(&mut self, event: &Event) {
        match event {
            Event::CellFinished { cell } => {
                if let Ok(mut posted) = self.0.posted.lock() {
                    posted
                        .cells
                        .insert((cell.case.clone(), cell.target.clone()), (**cell).clone());
                }
                self.0.changed.notify_all();
            }
            Event::RunFinished { .. } => self.0.close(),
            _ => {}
        }
    }
}
