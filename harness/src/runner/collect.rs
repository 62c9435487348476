//! The matrix, collected from a run's events: the same code whether the
//! events come live from the runner or are read back from an event log.

use super::events::{Event, Subscriber};
use crate::matrix::Matrix;

/// Builds the [`Matrix`] of a run from its events.
#[derive(Debug, Default)]
pub struct Collector {
    matrix: Matrix,
    finished: bool,
}

impl Collector {
    /// Nothing collected yet.
    pub fn new() -> Collector {
        Collector::default()
    }

    /// The matrix so far: cells in plan order (case, then target), the
    /// equivalence checked over the cells that finished. A run whose log
    /// ends before `run-finished` (killed) counts as interrupted.
    pub fn matrix(&self) -> Matrix {
        let mut matrix = self.matrix.clone();
        let case_order = |id: &str| matrix.cases.iter().position(|c| c.id == id);
        let target_order = |name: &str| matrix.targets.iter().position(|t| t.name == name);
        let mut cells = std::mem::take(&mut matrix.cells);
        cells.sort_by_key(|c| (case_order(&c.case), target_order(&c.target)));
        matrix.cells = cells;
        matrix.check_equivalence();
        matrix.interrupted |= !self.finished;
        matrix
    }
}

impl Subscriber for Collector {
    fn on_event(&mut self, event: &Event) {
        match event {
            Event::RunStarted {
                shard,
                targets,
                cases,
                xepspec_version,
                ..
            } => {
                self.matrix = Matrix::new(targets.clone(), cases.clone(), Vec::new());
                self.matrix.xepspec_version = xepspec_version.clone();
                self.matrix.shard = shard.clone();
            }
            Event::TargetReady { target, .. } => {
                if let Some(t) = self
                    .matrix
                    .targets
                    .iter_mut()
                    .find(|t| t.name == target.name)
                {
                    *t = target.clone();
                }
            }
            Event::CellFinished { cell } => self.matrix.cells.push((**cell).clone()),
            Event::RunInterrupted { .. } => self.matrix.interrupted = true,
            Event::RunFinished { .. } => self.finished = true,
            Event::TargetStarting { .. }
            | Event::TargetFailed { .. }
            | Event::CellStarted { .. } => {}
        }
    }
}
