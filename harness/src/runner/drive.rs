//! Following a plan: every target starts at once, each target's cells run
//! concurrently up to that target's own limit (the plan's `jobs`, or less)
//! and all of them within the plan's `in_flight`, the long poles' cells
//! queued first, and every step is told
//! as an event. A target that cannot start gives `error` cells naming the
//! cause; the others still run.

use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use futures::future::{BoxFuture, FutureExt, Shared};
use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::events::{EVENTS_VERSION, Event};
use super::plan::{Plan, TargetChoice};
use crate::engine::run_case;
use crate::judge::{Judge, Judgement, TargetJudge};
use crate::matrix::{CaseInfo, Cell};
use crate::server::{Catalog, LiveTarget};
use crate::verdict::{Grade, Verdict};

/// Where the runner sends its events.
pub(super) type Events = UnboundedSender<Event>;

fn tell(events: &Events, event: Event) {
    // The receiver lives as long as the run; a closed channel only means
    // nobody listens any more.
    let _ = events.send(event);
}

/// Runs `plan`, sending every event to `events`; when `stop` is cancelled,
/// cells not yet finished are dropped (their sessions closed, containers
/// removed) and the run ends interrupted.
pub(super) async fn drive(
    plan: &Plan,
    catalog: &Catalog,
    judge: &Judge,
    stop: &CancellationToken,
    events: &Events,
) {
    let started = Instant::now();
    tell(
        events,
        Event::RunStarted {
            events_version: EVENTS_VERSION,
            xepspec_version: env!("CARGO_PKG_VERSION").to_owned(),
            shard: plan.shard.map(|s| s.to_string()),
            targets: plan
                .targets
                .iter()
                .map(TargetChoice::planned_info)
                .collect(),
            cases: plan.cases.iter().map(CaseInfo::of).collect(),
            cells: plan.cells.len(),
        },
    );
    // Every target starts before any cell, up to `plan.starting` at once:
    // the slowest start (ejabberd's, seconds) overlaps with everything else.
    // Each target's cells run as soon as it is ready, whatever the other
    // targets are doing.
    let starting = Semaphore::new(plan.starting.max(1));
    let targets: Vec<SharedTarget<'_>> = plan
        .targets
        .iter()
        .map(|choice| {
            start_target(choice, catalog, judge, plan.secure, &starting, stop, events)
                .boxed()
                .shared()
        })
        .collect();
    let starts = futures::future::join_all(targets.iter().cloned());
    futures::future::join(starts, run_cells(plan, &targets, stop, events)).await;
    // Targets (and their containers) go after every cell.
    drop(targets);
    if stop.is_cancelled() {
        tell(
            events,
            Event::RunInterrupted {
                reason: "interrupted (Ctrl-C or SIGTERM)".into(),
            },
        );
    }
    tell(
        events,
        Event::RunFinished {
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        },
    );
}

/// A started target and the judge of its cells.
type Started<'a> = (Arc<LiveTarget>, Arc<TargetJudge<'a>>);

/// A target's start, awaited by each of its cells; started once.
type SharedTarget<'a> = Shared<BoxFuture<'a, Result<Started<'a>, String>>>;

/// Starts (or reaches) one target, telling whether it is ready or failed,
/// and prepares the judge of its cells once.
async fn start_target<'a>(
    choice: &'a TargetChoice,
    catalog: &'a Catalog,
    judge: &'a Judge,
    secure: bool,
    starting: &'a Semaphore,
    stop: &'a CancellationToken,
    events: &'a Events,
) -> Result<Started<'a>, String> {
    let started = tokio::select! {
        started = async {
            // Never closed, so a permit always comes.
            let _permit = starting.acquire().await;
            tell(
                events,
                Event::TargetStarting {
                    target: choice.name(),
                },
            );
            start(choice, catalog, secure).await
        } => started,
        _ = stop.cancelled() => Err("interrupted while starting".to_owned()),
    };
    match &started {
        Ok(target) => tell(
            events,
            Event::TargetReady {
                target: target.info.clone(),
                ready_after_ms: target.ready_after.map(|d| d.as_secs_f64() * 1000.0),
            },
        ),
        Err(reason) => tell(
            events,
            Event::TargetFailed {
                target: choice.name(),
                reason: reason.clone(),
            },
        ),
    }
    started.map(|target| {
        let judge = Arc::new(judge.for_target(&target.info));
        (Arc::new(target), judge)
    })
}

async fn start(
    choice: &TargetChoice,
    catalog: &Catalog,
    secure: bool,
) -> Result<LiveTarget, String> {
    match choice {
        TargetChoice::Default(def) if secure => LiveTarget::start(catalog, def)
            .await
            .map(LiveTarget::secured),
        TargetChoice::Default(def) => LiveTarget::start(catalog, def).await,
        TargetChoice::External(server) => LiveTarget::external(server).await,
    }
    .map_err(|e| e.to_string())
}

/// Runs the plan's cells; each finished cell is judged at once and told.
async fn run_cells(
    plan: &Plan,
    targets: &[SharedTarget<'_>],
    stop: &CancellationToken,
    events: &Events,
) {
    let limits: Vec<usize> = plan.targets.iter().map(|t| limit(plan, t)).collect();
    let per_target: Vec<Semaphore> = limits.iter().map(|&n| Semaphore::new(n)).collect();
    let all_targets = Semaphore::new(plan.in_flight.max(1));
    let names: Vec<String> = plan.targets.iter().map(TargetChoice::name).collect();
    let mut work = futures::stream::FuturesUnordered::new();
    for (ci, ti) in long_pole_first(plan, &limits) {
        let case = &plan.cases[ci];
        let own_limit = &per_target[ti];
        let all_targets = &all_targets;
        let target = targets[ti].clone();
        let name = &names[ti];
        work.push(async move {
            let target = tokio::select! {
                target = target => target,
                _ = stop.cancelled() => return,
            };
            let verdict = match &target {
                Ok((target, _)) => {
                    let run = async {
                        // Each target has its own limit: a target's cases
                        // never wait for another target's.
                        let _own = own_limit.acquire().await;
                        // And all targets together stay within the
                        // machine's bound.
                        let _any = all_targets.acquire().await;
                        tell(
                            events,
                            Event::CellStarted {
                                case: case.id.clone(),
                                target: name.clone(),
                            },
                        );
                        run_case(case, target).await
                    };
                    tokio::select! {
                        verdict = run => verdict,
                        _ = stop.cancelled() => return,
                    }
                }
                Err(reason) => Verdict::without_evidence(Grade::Error, Some(reason.clone())),
            };
            let judgement = match &target {
                Ok((_, judge)) => judge.judge(case, &verdict),
                Err(_) => Judgement::plain(verdict.grade),
            };
            let cell = Cell {
                case: case.id.clone(),
                target: name.clone(),
                verdict,
                judgement,
            };
            tell(
                events,
                Event::CellFinished {
                    cell: Box::new(cell),
                },
            );
        });
    }
    while work.next().await.is_some() {}
}

/// How many of `target`'s cases run at once: its own `concurrency`, at most
/// the plan's `jobs`.
fn limit(plan: &Plan, target: &TargetChoice) -> usize {
    let jobs = plan.jobs.max(1);
    target.concurrency().unwrap_or(jobs).clamp(1, jobs)
}

/// The plan's cells in the order they queue for their target's limit (a
/// fair semaphore: first come, first served). The targets that run fewest
/// cases at once come first, as their cells make the longest chain; within
/// a target, the cases with the most steps and actors first, so that the
/// longest cells do not start last.
fn long_pole_first(plan: &Plan, limits: &[usize]) -> Vec<(usize, usize)> {
    let mut cells = plan.cells.clone();
    cells.sort_by_key(|&(ci, ti)| {
        let scenario = &plan.cases[ci].scenario;
        let weight = scenario.steps.len() * scenario.actors.len();
        (limits[ti], std::cmp::Reverse(weight))
    });
    cells
}
