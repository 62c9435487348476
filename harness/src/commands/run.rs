//! `xepspec run`: plan, judge, run with the subscribers the options ask
//! for, and exit 0 when nothing failed that was not expected, 1 otherwise
//! (130 when interrupted).

use std::io::IsTerminal;
use std::path::PathBuf;

use tokio_util::sync::CancellationToken;

use super::external_args::ExternalArgs;
use super::policies::{self, SnapshotOptions};
use super::signals::{Signals, cancel_on_signal};
use crate::runner::{self, EventLog, Plan, Progress, Reports, Subscriber, TargetChoice, Terminal};
use crate::scenario::{ScenarioSource, Shard, accounts_needed, plan};
use crate::server::{Catalog, ChosenTarget, PreflightLimits, images, preflight};

/// What `xepspec run` is asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct RunOptions {
    /// Targets to run on: names from the targets file or built-in ones
    /// (`all`, the default, means every built-in target; repeatable, or
    /// several separated by commas).
    #[arg(
        long = "target",
        value_name = "NAME",
        value_delimiter = ',',
        conflicts_with = "address"
    )]
    pub targets: Vec<String>,
    #[command(flatten)]
    pub external: ExternalArgs,
    /// Keep cases whose id contains this.
    #[arg(long)]
    pub filter: Option<String>,
    /// Cases running at once on each target (a target's `concurrency` can
    /// lower it).
    #[arg(long, default_value_t = 16)]
    pub jobs: usize,
    /// `unsupported` cells fail the run too.
    #[arg(long)]
    pub strict: bool,
    /// Also write the matrix, transcripts included, as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write matrix.json, junit.xml, matrix.md and index.html into this
    /// folder (also when the run fails part-way or is interrupted).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Write every event of the run to this JSON Lines file as it happens;
    /// `xepspec report --from-events FILE` rebuilds the reports from it,
    /// even from a run that was killed.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Run only slice I of N of the cases (e.g. 2/4); join the slices'
    /// matrix.json files with `xepspec merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    #[command(flatten)]
    pub snapshots: SnapshotOptions,
    /// Known failures, kept in your own repository (repeatable; replaces
    /// the scenario folder's `known-failures.toml`; a targets file's
    /// `known_failures` keys apply as well).
    #[arg(
        long = "known-failures",
        visible_alias = "expectations",
        value_name = "FILE"
    )]
    pub known_failures: Vec<PathBuf>,
    /// Don't build missing or outdated images first.
    #[arg(long)]
    pub no_build: bool,
    /// Log in to container targets with STARTTLS and SCRAM (default: plain
    /// TCP and PLAIN on loopback, which is faster).
    #[arg(long)]
    pub secure: bool,
}

/// Runs and reports; returns the exit code, or a usage/scenario error.
pub async fn run(
    catalog: &Catalog,
    source: &ScenarioSource,
    options: RunOptions,
) -> Result<u8, String> {
    let scenarios = source.load().map_err(|e| e.to_string())?;
    // Signals are caught from here on, before images are built or
    // containers started, so an early Ctrl-C also ends in a report.
    let stop = CancellationToken::new();
    let watcher = tokio::spawn(cancel_on_signal(stop.clone(), Signals::catch()?));
    let plan = make_plan(catalog, &scenarios, &options)?;
    preflight_external(&plan).await?;
    let known = policies::known_failures(source, &options.known_failures, &plan)?;
    let judge = policies::snapshots(
        crate::judge::Judge::new(known, &plan.cases),
        &plan,
        &options.snapshots,
    )?;
    if !options.no_build {
        let defs: Vec<_> = plan
            .targets
            .iter()
            .filter_map(|c| match c {
                TargetChoice::Default(def) => Some(def.clone()),
                TargetChoice::External(_) => None,
            })
            .collect();
        // A failed build is reported here and becomes error cells below.
        images::build(catalog, &defs, images::BaseSource::Debootstrap, false, 3).await;
    }
    let result = runner::run(&plan, catalog, &judge, &stop, subscribers(&options)?).await;
    watcher.abort();
    let mut problems = result.problems;
    if let Some(path) = &options.json {
        let written = serde_json::to_string_pretty(&result.matrix)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
            });
        problems.extend(written.err());
    }
    if let Some(dir) = options.report.as_ref().filter(|_| problems.is_empty()) {
        println!("reports: {}", dir.display());
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(if result.matrix.interrupted {
        eprintln!("interrupted: the reports hold the cells that finished");
        130
    } else {
        u8::from(result.matrix.failed(options.strict))
    })
}

/// The cases after filter and shard, on the chosen targets.
fn make_plan(
    catalog: &Catalog,
    scenarios: &[crate::scenario::Scenario],
    options: &RunOptions,
) -> Result<Plan, String> {
    let mut cases = plan(scenarios, options.filter.as_deref());
    if let Some(shard) = options.shard {
        cases = shard.select(cases);
    }
    if cases.is_empty() {
        return Err("no case matches the filter".into());
    }
    let targets: Vec<TargetChoice> = options
        .external
        .chosen(&options.targets, catalog)?
        .into_iter()
        .map(|chosen| match chosen {
            ChosenTarget::Own(target) => TargetChoice::External(target),
            ChosenTarget::BuiltIn(def) => TargetChoice::Default(def),
        })
        .collect();
    let mut plan = Plan::new(cases, targets);
    plan.jobs = options.jobs;
    plan.secure = options.secure;
    plan.shard = options.shard;
    Ok(plan)
}

/// Checks every external server once, before anything starts: reachable,
/// a certificate the client accepts, and accounts enough for the plan.
async fn preflight_external(plan: &Plan) -> Result<(), String> {
    for choice in &plan.targets {
        if let TargetChoice::External(target) = choice {
            let at_once = target.concurrency.unwrap_or(plan.jobs).min(plan.jobs);
            let needed = accounts_needed(&plan.cases, at_once);
            preflight(target, needed, &PreflightLimits::default())
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The subscribers of a command-line run, in the order they hear events.
fn subscribers(options: &RunOptions) -> Result<Vec<Box<dyn Subscriber>>, String> {
    let mut subscribers: Vec<Box<dyn Subscriber>> = vec![Box::new(Progress::new())];
    if let Some(path) = &options.events {
        subscribers.push(Box::new(EventLog::create(path)?));
    }
    subscribers.push(Box::new(Terminal::stdout(std::io::stdout().is_terminal())));
    if let Some(dir) = &options.report {
        subscribers.push(Box::new(Reports::new(dir.clone(), options.strict)));
    }
    Ok(subscribers)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::RunOptions;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunOptions,
    }

    #[test]
    fn targets_may_be_repeated_or_separated_by_commas() {
        let cli = Cli::try_parse_from([
            "xepspec",
            "--target",
            "prosody-13,ejabberd-26",
            "--target",
            "prosody-0.11",
        ])
        .unwrap();
        assert_eq!(
            cli.run.targets,
            ["prosody-13", "ejabberd-26", "prosody-0.11"]
        );
    }
}
