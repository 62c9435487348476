//! The figures `xepspec bench` prints, computed from one run's timeline (when
//! each target started, was ready, ran its first and last cell) and its
//! matrix (cell reasons, transcripts). Pure functions: no clocks here.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::matrix::Matrix;
use crate::runner::{Event, Subscriber};
use crate::verdict::{Direction, Grade};

/// When things happened in one run, counted from the run's start.
#[derive(Debug, Default, Clone)]
pub struct Timeline {
    /// When each target was asked for.
    pub starting: BTreeMap<String, Duration>,
    /// When each target answered.
    pub ready: BTreeMap<String, Duration>,
    /// When each target's first cell started.
    pub first_cell: BTreeMap<String, Duration>,
    /// When each target's last cell finished.
    pub last_cell: BTreeMap<String, Duration>,
}

impl Timeline {
    /// Notes `event`, which happened `at` after the run started.
    pub fn note(&mut self, event: &Event, at: Duration) {
        match event {
            Event::TargetStarting { target } => {
                self.starting.insert(target.clone(), at);
            }
            Event::TargetReady { target, .. } => {
                self.ready.insert(target.name.clone(), at);
            }
            Event::CellStarted { target, .. } => {
                self.first_cell.entry(target.clone()).or_insert(at);
            }
            Event::CellFinished { cell } => {
                self.last_cell.insert(cell.target.clone(), at);
            }
            _ => {}
        }
    }
}

/// A subscriber that fills a shared [`Timeline`] as events arrive.
pub struct TimelineSubscriber {
    /// Where times count from.
    pub origin: std::time::Instant,
    /// The timeline, read after the run.
    pub timeline: std::sync::Arc<std::sync::Mutex<Timeline>>,
}

impl Subscriber for TimelineSubscriber {
    fn on_event(&mut self, event: &Event) {
        if let Ok(mut timeline) = self.timeline.lock() {
            timeline.note(event, self.origin.elapsed());
        }
    }
}

/// One target's critical path.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetFigures {
    /// The target.
    pub name: String,
    /// From asking for it to its answer.
    pub start_to_ready: Duration,
    /// From its first cell's start to its last cell's end.
    pub cases: Duration,
    /// Time its cells spent waiting out expectation timeouts (read from
    /// the reasons of cells that failed that way).
    pub timeouts: Duration,
    /// When its last cell finished, from the run's start.
    pub done_at: Duration,
}

/// Every target's critical path, slowest first.
pub fn per_target(timeline: &Timeline, matrix: &Matrix) -> Vec<TargetFigures> {
    let mut figures: Vec<TargetFigures> = matrix
        .targets
        .iter()
        .map(|t| {
            let at = |m: &BTreeMap<String, Duration>| m.get(&t.name).copied().unwrap_or_default();
            let timeouts = matrix
                .cells
                .iter()
                .filter(|c| c.target == t.name)
                .filter_map(|c| c.verdict.reason.as_deref().and_then(timeout_waited))
                .sum();
            TargetFigures {
                name: t.name.clone(),
                start_to_ready: at(&timeline.ready).saturating_sub(at(&timeline.starting)),
                cases: at(&timeline.last_cell).saturating_sub(at(&timeline.first_cell)),
                timeouts,
                done_at: at(&timeline.last_cell),
            }
        })
        .collect();
    figures.sort_by_key(|f| std::cmp::Reverse(f.done_at));
    figures
}

/// How long a cell waited out a timeout, from its reason ("... within 2000
/// ms", "... after the step's 2000 ms timeout").
pub fn timeout_waited(reason: &str) -> Option<Duration> {
    let number_before = |marker: &str| -> Option<u64> {
        let at = reason.find(marker)?;
        reason[..at].split_whitespace().last()?.parse().ok()
    };
    if let Some(rest) = reason.split("arrived within ").nth(1) {
        let ms = rest.split_whitespace().next()?.parse().ok()?;
        return Some(Duration::from_millis(ms));
    }
    number_before(" ms timeout").map(Duration::from_millis)
}

/// The floor of a run: the slowest container start among the ejabberd
/// targets (the slowest of all when there is none), plus the median fresh
/// session and the median round trip seen in that target's cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    /// The target whose start sets the floor.
    pub target: String,
    /// Its start to ready.
    pub ready: Duration,
    /// Median time from a case's start to its first session bound.
    pub session: Duration,
    /// Median ping to answer (the harness's barriers).
    pub round_trip: Duration,
}

impl Floor {
    /// The sum: no run of these targets can be faster.
    pub fn total(&self) -> Duration {
        self.ready + self.session + self.round_trip
    }
}

/// The floor measured in this run, if any target got ready.
pub fn floor(figures: &[TargetFigures], matrix: &Matrix) -> Option<Floor> {
    let ejabberd: Vec<&str> = matrix
        .targets
        .iter()
        .filter(|t| t.server == "ejabberd")
        .map(|t| t.name.as_str())
        .collect();
    let slowest = figures
        .iter()
        .filter(|f| ejabberd.is_empty() || ejabberd.contains(&f.name.as_str()))
        .max_by_key(|f| f.start_to_ready)?;
    let mut sessions = Vec::new();
    let mut trips = Vec::new();
    for cell in matrix.cells.iter().filter(|c| c.target == slowest.name) {
        let t = &cell.verdict.transcript;
        if let Some(bound) = t
            .iter()
            .find(|e| e.direction == Direction::In && e.xml.contains("id='bind-1'"))
        {
            sessions.push(bound.at_ms);
        }
        for sent in t
            .iter()
            .filter(|e| e.direction == Direction::Out && e.xml.contains("id='barrier-"))
        {
            let id = sent
                .xml
                .split("id='")
                .nth(1)
                .and_then(|r| r.split('\'').next());
            let answer = id.and_then(|id| {
                t.iter().find(|e| {
                    e.direction == Direction::In
                        && e.actor == sent.actor
                        && e.xml.contains(&format!("id='{id}'"))
                })
            });
            if let Some(answer) = answer {
                trips.push(answer.at_ms - sent.at_ms);
            }
        }
    }
    Some(Floor {
        target: slowest.name.clone(),
        ready: slowest.start_to_ready,
        session: median_ms(sessions),
        round_trip: median_ms(trips),
    })
}

fn median_ms(mut v: Vec<f64>) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort_by(f64::total_cmp);
    Duration::from_secs_f64(v[v.len() / 2].max(0.0) / 1000.0)
}

/// Cells whose grade differs from `previous`'s, and `error` cells.
pub fn changes(previous: Option<&Matrix>, matrix: &Matrix) -> (Vec<String>, usize) {
    let errors = matrix
        .cells
        .iter()
        .filter(|c| c.verdict.grade == Grade::Error)
        .count();
    let Some(previous) = previous else {
        return (Vec::new(), errors);
    };
    let before: BTreeMap<(&str, &str), Grade> = previous
        .cells
        .iter()
        .map(|c| ((c.case.as_str(), c.target.as_str()), c.verdict.grade))
        .collect();
    let changed = matrix
        .cells
        .iter()
        .filter_map(|c| {
            let old = before.get(&(c.case.as_str(), c.target.as_str()))?;
            (*old != c.verdict.grade).then(|| {
                format!(
                    "{} on {}: {:?} → {:?}",
                    c.case, c.target, old, c.verdict.grade
                )
            })
        })
        .collect();
    (changed, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_is_read_from_either_wording() {
        assert_eq!(
            timeout_waited("x did not receive <message>: nothing matching arrived within 2000 ms"),
            Some(Duration::from_millis(2000))
        );
        assert_eq!(
            timeout_waited("arrived only after the step's 500 ms timeout (a slow link)"),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            timeout_waited("the request was answered, and round trips came back without it"),
            None
        );
    }

    #[test]
    fn the_median_of_nothing_is_zero() {
        assert_eq!(median_ms(vec![]), Duration::ZERO);
        assert_eq!(median_ms(vec![3.0, 1.0, 2.0]), Duration::from_millis(2));
    }
}
