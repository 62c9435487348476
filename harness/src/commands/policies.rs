//! The run's policies as the command line sets them: which known-failures
//! files apply, and which targets' snapshots are checked where.

use std::path::PathBuf;

use crate::judge::{Judge, KnownFailure, SnapshotPolicy, known};
use crate::runner::{Plan, TargetChoice};
use crate::scenario::ScenarioSource;
use crate::scenario::load::KNOWN_FAILURES;
use crate::snapshot::{UpdateMode, accepted_snapshots_dir};

/// The snapshot flags of `run`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SnapshotOptions {
    /// Check every target's snapshots against this folder, and write new or
    /// changed ones there (default: only targets with accepted snapshots in
    /// xepspec's own `snapshots/`, found from the current folder or
    /// `XEPSPEC_SNAPSHOTS`; other targets run without snapshot checks).
    #[arg(
        long = "snapshots",
        value_name = "DIR",
        conflicts_with = "no_snapshots"
    )]
    pub dir: Option<PathBuf>,
    /// Don't compare the cells' stanzas with accepted snapshots.
    #[arg(long)]
    pub no_snapshots: bool,
    /// What to do with new or changed snapshots: `new` writes `.snap.new`
    /// files for review, `always` accepts them, `no` writes nothing
    /// (default: from INSTA_UPDATE, else `new`, or `no` in CI).
    #[arg(long = "update-snapshots", value_enum, value_name = "MODE")]
    pub update: Option<UpdateArg>,
}

/// `--update-snapshots` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UpdateArg {
    /// Write `<case>.snap.new` beside the accepted file, for review.
    New,
    /// Overwrite the accepted file (accept without review).
    Always,
    /// Write nothing.
    No,
}

impl From<UpdateArg> for UpdateMode {
    fn from(arg: UpdateArg) -> UpdateMode {
        match arg {
            UpdateArg::New => UpdateMode::New,
            UpdateArg::Always => UpdateMode::Always,
            UpdateArg::No => UpdateMode::No,
        }
    }
}

/// The known failures of a run: the files given (your own list), else the
/// scenarios' own `known-failures.toml` when there is one; and the
/// `known_failures` file of every external target that names one.
pub fn known_failures(
    source: &ScenarioSource,
    files: &[PathBuf],
    plan: &Plan,
) -> Result<Vec<KnownFailure>, String> {
    let mut all = Vec::new();
    if files.is_empty()
        && let Some(text) = source.read(KNOWN_FAILURES)?
    {
        all.extend(known::parse(&text).map_err(|e| format!("{KNOWN_FAILURES}: {e}"))?);
    }
    let mut paths: Vec<PathBuf> = files.to_vec();
    for choice in &plan.targets {
        if let TargetChoice::External(target) = choice
            && let Some(path) = &target.known_failures
            && !paths.contains(path)
        {
            paths.push(path.clone());
        }
    }
    for path in &paths {
        all.extend(known::load(path)?);
    }
    Ok(all)
}

/// `judge` with the snapshot folders the options choose for `plan`'s
/// targets. A target with no accepted snapshots is run without snapshot
/// checks, and a line says so, unless `--snapshots DIR` opts it in.
pub fn snapshots(
    mut judge: Judge,
    plan: &Plan,
    options: &SnapshotOptions,
) -> Result<Judge, String> {
    if options.no_snapshots {
        return Ok(judge);
    }
    let mode = options
        .update
        .map_or_else(UpdateMode::from_env, UpdateMode::from);
    let names: Vec<String> = plan.targets.iter().map(|t| t.name()).collect();
    // A targets file's `snapshots` key opts its target in, into that folder.
    for choice in &plan.targets {
        if let TargetChoice::External(target) = choice
            && let Some(dir) = target.snapshots.as_ref().filter(|_| options.dir.is_none())
        {
            let policy = SnapshotPolicy::open(dir.clone(), mode)?;
            judge = judge.with_snapshots(&target.name, policy);
        }
    }
    if let Some(dir) = &options.dir {
        let policy = SnapshotPolicy::open(dir.clone(), mode)?;
        for name in &names {
            judge = judge.with_snapshots(name, policy.clone());
        }
        return Ok(judge);
    }
    let policy = match accepted_snapshots_dir() {
        Some(dir) => Some(SnapshotPolicy::open(dir, mode)?),
        None => None,
    };
    let own_folder = |name: &str| {
        plan.targets.iter().any(|t| {
            matches!(t, TargetChoice::External(target) if target.name == name && target.snapshots.is_some())
        })
    };
    for name in names.iter().filter(|n| !own_folder(n)) {
        match &policy {
            Some(policy) if policy.has_accepted(name) => {
                judge = judge.with_snapshots(name, policy.clone());
            }
            _ => eprintln!(
                "snapshots: not checked on {name}: no accepted snapshots for it \
                 (--snapshots DIR checks them there and keeps new ones)"
            ),
        }
    }
    Ok(judge)
}
