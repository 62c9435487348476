//! The run: a plan is followed once, and everything else listens. The
//! runner emits events (target starting, ready or failed, cell started,
//! cell finished with its verdict and judgement, run interrupted, run
//! finished); subscribers (progress, terminal, reports, the event log, the
//! libtest trials) only read them. `xepspec run`, the scenario trials and
//! the example replay all call [`run`], each with its own subscribers.

mod collect;
mod drive;
pub mod event_log;
mod events;
mod plan;
mod progress;
mod reports;

pub use collect::Collector;
pub use event_log::EventLog;
pub use events::{EVENTS_VERSION, Event, Subscriber};
pub use plan::{Plan, TargetChoice};
pub use progress::Progress;
pub use reports::{Reports, Terminal};

use tokio_util::sync::CancellationToken;

use crate::judge::Judge;
use crate::matrix::Matrix;
use crate::server::Catalog;

/// What a run came to: its matrix, and the problems subscribers met (a
/// report that could not be written), which do not change any cell.
#[derive(Debug)]
pub struct RunResult {
    /// Every finished cell.
    pub matrix: Matrix,
    /// What subscribers could not do.
    pub problems: Vec<String>,
}

/// The subscribers of one run, in the order they hear each event, and the
/// collector that hears it last and makes the run's matrix.
struct Listeners<'a> {
    subscribers: Vec<Box<dyn Subscriber + 'a>>,
    collector: Collector,
}

impl<'a> Listeners<'a> {
    fn new(subscribers: Vec<Box<dyn Subscriber + 'a>>) -> Listeners<'a> {
        Listeners {
            subscribers,
            collector: Collector::new(),
        }
    }

    fn tell(&mut self, event: &Event) {
        for subscriber in self.subscribers.iter_mut() {
            subscriber.on_event(event);
        }
        self.collector.on_event(event);
    }

    fn finish(mut self) -> RunResult {
        let problems = self
            .subscribers
            .iter_mut()
            .filter_map(|s| s.finish().err())
            .collect();
        RunResult {
            matrix: self.collector.matrix(),
            problems,
        }
    }
}

/// Follows `plan` on its targets, judging each cell with `judge` when it
/// finishes, and tells every event to `subscribers` in their order (then
/// to the collector that makes the returned matrix).
pub async fn run(
    plan: &Plan,
    catalog: &Catalog,
    judge: &Judge,
    stop: &CancellationToken,
    subscribers: Vec<Box<dyn Subscriber + '_>>,
) -> RunResult {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let mut listeners = Listeners::new(subscribers);
    let running = async {
        drive::drive(plan, catalog, judge, stop, &sender).await;
        drop(sender);
    };
    let listening = async {
        while let Some(event) = receiver.recv().await {
            listeners.tell(&event);
        }
    };
    // `running` drops its sender when done, which ends `listening`.
    futures::future::join(Box::pin(running), listening).await;
    listeners.finish()
}

/// Tells the events of a recorded run to `subscribers` (and a collector),
/// as if it ran now: the same code renders a live run and a replayed one.
/// A log cut short (the run was killed) ends as an interrupted run, so
/// subscribers that act at the end still do; its matrix says interrupted.
pub fn replay(events: &[Event], subscribers: Vec<Box<dyn Subscriber + '_>>) -> RunResult {
    let mut listeners = Listeners::new(subscribers);
    for event in events {
        listeners.tell(event);
    }
    if !events
        .iter()
        .any(|e| matches!(e, Event::RunFinished { .. }))
    {
        listeners.tell(&Event::RunInterrupted {
            reason: "the event log ends before the run finished".into(),
        });
        listeners.tell(&Event::RunFinished { elapsed_ms: 0.0 });
    }
    listeners.finish()
}

#[cfg(test)]
mod tests;
