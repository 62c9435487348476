//! Following a plan: targets start in parallel, cells run concurrently up to
//! the plan's job limit and each target's own limit, and every step is told
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
    // Each target starts when its first cell asks for it (all at once, as
    // every cell is polled at the start), and its cells run as soon as it
    // is ready, whatever the other targets are doing.
    let targets: Vec<SharedTarget<'_>> = plan
        .targets
        .iter()
        .map(|choice| {
            start_target(choice, catalog, judge, plan.secure, stop, events)
                .boxed()
                .shared()
        })
        .collect();
    run_cells(plan, &targets, stop, events).await;
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
    stop: &'a CancellationToken,
    events: &'a Events,
) -> Result<Started<'a>, String> {
    tell(
        events,
        Event::TargetStarting {
            target: choice.name(),
        },
    );
    let started = tokio::select! {
        started = start(choice, catalog, secure) => started,
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
    let jobs = plan.jobs.max(1);
    let limit = Semaphore::new(jobs);
    let per_target: Vec<Semaphore> = plan
        .targets
        .iter()
        .map(|t| Semaphore::new(t.concurrency().unwrap_or(jobs).clamp(1, jobs)))
        .collect();
    let names: Vec<String> = plan.targets.iter().map(TargetChoice::name).collect();
    let mut work = futures::stream::FuturesUnordered::new();
    for &(ci, ti) in &plan.cells {
        let case = &plan.cases[ci];
        let (limit, own_limit) = (&limit, &per_target[ti]);
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
                        // The target's own limit first, so a case waiting
                        // for it holds no place another target could use.
                        let _own = own_limit.acquire().await;
                        let _permit = limit.acquire().await;
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
