//! Running a plan on several targets: containers start in parallel, cases
//! run concurrently (fresh accounts keep them apart) up to a job limit.

use std::sync::Arc;

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use super::{CaseInfo, Cell, Matrix};
use crate::engine::run_case;
use crate::scenario::Case;
use crate::server::{Catalog, ExternalTarget, LiveTarget, TargetDef, TargetInfo};
use crate::verdict::{Grade, Verdict};

/// A target to run on.
#[derive(Debug, Clone)]
pub enum TargetChoice {
    /// A default target, started from its image.
    Default(TargetDef),
    /// A server the user runs.
    External(ExternalTarget),
}

impl TargetChoice {
    fn info(&self) -> TargetInfo {
        match self {
            TargetChoice::Default(def) => TargetInfo {
                name: def.name.clone(),
                server: def.server.clone(),
                version: "unknown".into(),
                image: Some(def.image()),
            },
            TargetChoice::External(server) => TargetInfo {
                name: server.name.clone(),
                server: "external".into(),
                version: "unknown".into(),
                image: None,
            },
        }
    }

    async fn start(&self, catalog: &Catalog, secure: bool) -> Result<LiveTarget, String> {
        match self {
            TargetChoice::Default(def) if secure => LiveTarget::start(catalog, def)
                .await
                .map(LiveTarget::secured),
            TargetChoice::Default(def) => LiveTarget::start(catalog, def).await,
            TargetChoice::External(server) => LiveTarget::external(server).await,
        }
        .map_err(|e| e.to_string())
    }
}

/// Runs every case on every target, `jobs` cases at once; a target that
/// cannot start gives `error` cells naming the cause, and the others still
/// run. `secure` makes sessions to container targets use STARTTLS and SCRAM.
/// When `stop` is cancelled (Ctrl-C), cases not yet finished are dropped,
/// their sessions closed and containers removed, and the matrix holds the
/// cells that finished, marked `interrupted`.
pub async fn run_matrix(
    catalog: &Catalog,
    choices: &[TargetChoice],
    cases: &[Case],
    jobs: usize,
    secure: bool,
    stop: &CancellationToken,
) -> Matrix {
    let starts = choices.iter().map(|c| async {
        tokio::select! {
            started = c.start(catalog, secure) => started,
            _ = stop.cancelled() => Err("interrupted while starting".to_owned()),
        }
    });
    let started = futures::future::join_all(starts).await;
    let mut targets = Vec::new();
    let mut live: Vec<Result<Arc<LiveTarget>, String>> = Vec::new();
    for (choice, result) in choices.iter().zip(started) {
        match result {
            Ok(target) => {
                targets.push(target.info.clone());
                live.push(Ok(Arc::new(target)));
            }
            Err(e) => {
                eprintln!("error: {e}");
                targets.push(choice.info());
                live.push(Err(e));
            }
        }
    }
    let total = (cases.len() * live.len()) as u64;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} cases {msg}").expect("valid template"),
    );
    let limit = Arc::new(Semaphore::new(jobs.max(1)));
    let per_target: Vec<Arc<Semaphore>> = live
        .iter()
        .map(|t| {
            let n = t.as_ref().ok().and_then(|t| t.concurrency).unwrap_or(jobs);
            Arc::new(Semaphore::new(n.clamp(1, jobs.max(1))))
        })
        .collect();
    let mut work = futures::stream::FuturesUnordered::new();
    for (ci, case) in cases.iter().enumerate() {
        for (ti, target) in live.iter().enumerate() {
            let limit = limit.clone();
            let own_limit = per_target[ti].clone();
            let target = target.clone();
            let bar = bar.clone();
            work.push(async move {
                let verdict = match target {
                    Ok(target) => {
                        let run = async {
                            // The target's own limit first, so a case waiting
                            // for it holds no place another target could use.
                            let _own = own_limit.acquire().await;
                            let _permit = limit.acquire().await;
                            run_case(case, &target).await
                        };
                        tokio::select! {
                            verdict = run => Some(verdict),
                            _ = stop.cancelled() => None,
                        }
                    }
                    Err(reason) => Some(Verdict::without_evidence(Grade::Error, Some(reason))),
                };
                bar.inc(1);
                (ci, ti, verdict)
            });
        }
    }
    let mut results = Vec::with_capacity(total as usize);
    while let Some(result) = work.next().await {
        results.push(result);
    }
    bar.finish_and_clear();
    results.sort_by_key(|(ci, ti, _)| (*ci, *ti));
    let cells = results
        .into_iter()
        .filter_map(|(ci, ti, verdict)| verdict.map(|v| (ci, ti, v)))
        .map(|(ci, ti, verdict)| Cell {
            case: cases[ci].id.clone(),
            target: targets[ti].name.clone(),
            verdict,
            stale_expectation: None,
            snapshot: None,
        })
        .collect();
    // Targets (and their containers) are dropped here, after every case.
    drop(live);
    let mut matrix = Matrix::new(targets, cases.iter().map(CaseInfo::of).collect(), cells);
    matrix.interrupted = stop.is_cancelled();
    matrix
}
