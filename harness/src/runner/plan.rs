//! The plan of a run: which cases run on which targets, with the limits the
//! runner keeps. Made before anything starts; the runner only follows it.

use crate::scenario::{Case, Shard};
use crate::server::{ExternalTarget, TargetDef, TargetInfo};

/// A target to run on.
#[derive(Debug, Clone)]
pub enum TargetChoice {
    /// A default target, started from its image.
    Default(TargetDef),
    /// A server the user runs.
    External(ExternalTarget),
}

impl TargetChoice {
    /// The target's name in reports.
    pub fn name(&self) -> String {
        match self {
            TargetChoice::Default(def) => def.name.clone(),
            TargetChoice::External(target) => target.name.clone(),
        }
    }

    /// The cases it takes at once, when its catalogue entry limits them.
    pub fn concurrency(&self) -> Option<usize> {
        match self {
            TargetChoice::Default(def) => def.concurrency,
            TargetChoice::External(target) => target.concurrency,
        }
    }

    /// What is known of the target before it starts.
    pub fn planned_info(&self) -> TargetInfo {
        match self {
            TargetChoice::Default(def) => TargetInfo {
                name: def.name.clone(),
                server: def.server.clone(),
                version: "unknown".into(),
                image: Some(def.image()),
            },
            TargetChoice::External(target) => TargetInfo {
                name: self.name(),
                server: format!("server at {}", target.address),
                version: "unknown".into(),
                image: None,
            },
        }
    }
}

/// Cases × targets, and how to run them.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The cases, in plan order.
    pub cases: Vec<Case>,
    /// The targets, in the order asked for.
    pub targets: Vec<TargetChoice>,
    /// The cells to run, as (case, target) indices, in case then target
    /// order (every pair, unless a front door asked for fewer).
    pub cells: Vec<(usize, usize)>,
    /// Cases running at once on each target (a target's own `concurrency`
    /// can lower it).
    pub jobs: usize,
    /// Cases running at once over all targets: many targets at `jobs` each
    /// would otherwise starve the machine (29 mutant targets × 16 cases on
    /// two cores time out logins), so the sum is bounded too.
    pub in_flight: usize,
    /// Container targets starting at once: the first ones start together
    /// (the default matrix's eight all do), later ones as earlier ones are
    /// ready. Thirty-five Prosody containers booting together on two cores
    /// starve the first target's cases, whose sessions then stall for
    /// seconds.
    pub starting: usize,
    /// Log in to container targets with STARTTLS and SCRAM.
    pub secure: bool,
    /// The slice of the cases this run covers, when sharded.
    pub shard: Option<Shard>,
}

impl Plan {
    /// Every case on every target.
    pub fn new(cases: Vec<Case>, targets: Vec<TargetChoice>) -> Plan {
        let cells = (0..cases.len())
            .flat_map(|c| (0..targets.len()).map(move |t| (c, t)))
            .collect();
        Plan {
            cases,
            targets,
            cells,
            jobs: 16,
            in_flight: default_in_flight(),
            starting: default_starting(),
            secure: false,
            shard: None,
        }
    }

    /// Only the cells `keep` accepts, given the case id and target name.
    pub fn only(mut self, keep: impl Fn(&str, &str) -> bool) -> Plan {
        let names: Vec<String> = self.targets.iter().map(TargetChoice::name).collect();
        let cases = &self.cases;
        self.cells.retain(|&(c, t)| keep(&cases[c].id, &names[t]));
        self
    }
}

/// Four container starts per core at once, at least eight: every default
/// target on this project's two-core machines.
pub fn default_starting() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (4 * cores).max(8)
}

/// Sixteen cases per core at once over all targets, at least sixteen:
/// enough for the default matrix (three Prosody targets at 16 and three
/// ejabberd targets one at a time) on two cores, and a bound for runs of
/// many targets.
pub fn default_in_flight() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (16 * cores).max(16)
}
