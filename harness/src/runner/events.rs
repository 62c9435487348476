//! What a run tells its subscribers, in the order it happens. Every
//! consumer (progress bar, terminal, reports, the JSON Lines event log, the
//! libtest trials) reads only these; a run's whole result can be rebuilt
//! from them (`xepspec report --from-events`).

use serde::{Deserialize, Serialize};

use crate::matrix::{CaseInfo, Cell};
use crate::server::TargetInfo;

/// The layout version of the event log; raised when an event changes
/// meaning or goes away.
pub const EVENTS_VERSION: u32 = 1;

/// One thing that happened in a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// The plan, before anything starts.
    RunStarted {
        /// [`EVENTS_VERSION`].
        events_version: u32,
        /// The xepspec version running it.
        xepspec_version: String,
        /// The slice of the cases, `I/N`, when sharded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shard: Option<String>,
        /// The targets as known before they start.
        targets: Vec<TargetInfo>,
        /// The cases, in plan order.
        cases: Vec<CaseInfo>,
        /// How many cells will run.
        cells: usize,
    },
    /// A target is being started (or reached).
    TargetStarting {
        /// Its name.
        target: String,
    },
    /// A target answers; its real version is known.
    TargetReady {
        /// Name, server and version.
        target: TargetInfo,
        /// From asking for it until it answered, in ms (containers).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ready_after_ms: Option<f64>,
    },
    /// A target could not be started; its cells end as `error`.
    TargetFailed {
        /// Its name.
        target: String,
        /// Why.
        reason: String,
    },
    /// A cell began to run.
    CellStarted {
        /// The case id.
        case: String,
        /// The target name.
        target: String,
    },
    /// A cell finished: its verdict and judgement, final.
    CellFinished {
        /// The cell.
        cell: Box<Cell>,
    },
    /// The run was stopped before every cell finished (Ctrl-C, SIGTERM).
    RunInterrupted {
        /// Why.
        reason: String,
    },
    /// The run is over; nothing follows.
    RunFinished {
        /// Wall time of the whole run, in ms.
        elapsed_ms: f64,
    },
}

/// A consumer of a run's events. Subscribers are called one after another,
/// in a fixed order, on one task; they must not block for long.
pub trait Subscriber: Send {
    /// Takes one event.
    fn on_event(&mut self, event: &Event);

    /// Called once after the last event: problems the subscriber met (a
    /// report it could not write), to be reported by the front door.
    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}
