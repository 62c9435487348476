//! `xepspec bench`: runs the matrix a few times and prints what it cost:
//! wall time, each target's critical path (start to ready, its cases, the
//! time its cells waited out timeouts), xepspec's own CPU time, and the
//! ratio against the floor measured in the same run. It prints figures and
//! asserts nothing; images must be built (`xepspec images build`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::bench_figures::{Timeline, TimelineSubscriber, changes, floor, per_target};
use super::policies;
use crate::judge::Judge;
use crate::matrix::Matrix;
use crate::runner::{self, Plan, Subscriber, TargetChoice};
use crate::scenario::{ScenarioSource, plan};
use crate::server::Catalog;

/// What `xepspec bench` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchOptions {
    /// Targets (default: every built-in target; repeatable, or several
    /// separated by commas).
    #[arg(long = "target", value_name = "NAME", value_delimiter = ',')]
    pub targets: Vec<String>,
    /// Keep cases whose id contains this.
    #[arg(long)]
    pub filter: Option<String>,
    /// Cases running at once on each target.
    #[arg(long, default_value_t = 16)]
    pub jobs: usize,
    /// How many runs in a row (the summary gives their median).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
}

/// One run's figures.
struct RunFigures {
    wall: Duration,
    cpu: Duration,
    matrix: Matrix,
    timeline: Timeline,
}

/// Runs the matrix `options.runs` times and prints the figures; exit 1 when
/// a grade changed between runs or a cell was `error`.
pub async fn bench(
    catalog: &Catalog,
    source: &ScenarioSource,
    options: &BenchOptions,
) -> Result<u8, String> {
    let scenarios = source.load().map_err(|e| e.to_string())?;
    let cases = plan(&scenarios, options.filter.as_deref());
    let defs = catalog
        .select(&options.targets)
        .map_err(|e| e.to_string())?;
    let targets = defs.into_iter().map(TargetChoice::Default).collect();
    let mut the_plan = Plan::new(cases, targets);
    the_plan.jobs = options.jobs;
    let known = policies::known_failures(source, &[], &the_plan)?;
    let judge = Judge::new(known, &the_plan.cases);
    let mut walls = Vec::new();
    let mut previous: Option<Matrix> = None;
    let mut unstable = false;
    for run in 1..=options.runs.max(1) {
        let figures = run_once(&the_plan, catalog, &judge).await;
        let (changed, errors) = changes(previous.as_ref(), &figures.matrix);
        print_run(run, &figures, &changed, errors);
        unstable |= !changed.is_empty() || errors > 0;
        walls.push(figures.wall);
        previous = Some(figures.matrix);
    }
    walls.sort();
    println!(
        "median wall of {} runs: {:.2} s (runs: {})",
        walls.len(),
        walls[walls.len() / 2].as_secs_f64(),
        walls
            .iter()
            .map(|w| format!("{:.2}", w.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(u8::from(unstable))
}

async fn run_once(plan: &Plan, catalog: &Catalog, judge: &Judge) -> RunFigures {
    let timeline = Arc::new(Mutex::new(Timeline::default()));
    let origin = Instant::now();
    let cpu_before = own_cpu();
    let subscribers: Vec<Box<dyn Subscriber>> = vec![Box::new(TimelineSubscriber {
        origin,
        timeline: timeline.clone(),
    })];
    let result = runner::run(plan, catalog, judge, &CancellationToken::new(), subscribers).await;
    let wall = origin.elapsed();
    let cpu = own_cpu().saturating_sub(cpu_before);
    let timeline = timeline.lock().map(|t| t.clone()).unwrap_or_default();
    RunFigures {
        wall,
        cpu,
        matrix: result.matrix,
        timeline,
    }
}

fn print_run(run: usize, figures: &RunFigures, changed: &[String], errors: usize) {
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let targets = per_target(&figures.timeline, &figures.matrix);
    println!(
        "run {run}: {} cells, wall {}, xepspec CPU {} (user + system)",
        figures.matrix.cells.len(),
        ms(figures.wall),
        ms(figures.cpu)
    );
    println!(
        "  {:18} {:>14} {:>10} {:>12} {:>10}",
        "target", "start→ready", "cases", "timeouts", "done at"
    );
    for t in &targets {
        println!(
            "  {:18} {:>14} {:>10} {:>12} {:>10}",
            t.name,
            ms(t.start_to_ready),
            ms(t.cases),
            ms(t.timeouts),
            ms(t.done_at)
        );
    }
    if let Some(f) = floor(&targets, &figures.matrix) {
        println!(
            "  floor: {} ready {} + fresh session {} + round trip {:.2} ms = {}; wall / floor = {:.2}",
            f.target,
            ms(f.ready),
            ms(f.session),
            f.round_trip.as_secs_f64() * 1000.0,
            ms(f.total()),
            figures.wall.as_secs_f64() / f.total().as_secs_f64().max(1e-3)
        );
    }
    println!(
        "  changed grades against the previous run: {}; error cells: {errors}",
        changed.len()
    );
    for c in changed {
        println!("    {c}");
    }
    let error_cells = figures
        .matrix
        .cells
        .iter()
        .filter(|c| c.verdict.grade == crate::verdict::Grade::Error);
    for cell in error_cells {
        let reason = cell.verdict.reason.as_deref().unwrap_or("");
        let reason: String = reason.chars().take(160).collect();
        println!("    error: {} on {}: {reason}", cell.case, cell.target);
    }
}

/// xepspec's own CPU time so far (user + system, every thread), from
/// getrusage(2).
fn own_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is
    // given, which points at one; RUSAGE_SELF is always valid.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return Duration::ZERO;
        }
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
