//! What one case on one target came to, with the evidence behind it: the
//! engine writes a verdict once and nothing rewrites it; policies (known
//! failures, snapshots) are judged beside it, never in it.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::scenario::Level;
use crate::stanza::normalise::Alias;

/// The grade of a cell, after Autobahn|Testsuite's: more than pass and fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grade {
    /// Every step held.
    Pass,
    /// A MUST-level step did not hold.
    Fail,
    /// A SHOULD-level step did not hold.
    NonStrict,
    /// A required feature is not advertised, or a MAY-level step did not hold.
    Unsupported,
    /// The harness or the infrastructure failed.
    Error,
}

impl Grade {
    /// The grade a failed step of `level` gives.
    pub fn for_failure(level: Level) -> Grade {
        match level {
            Level::Must => Grade::Fail,
            Level::Should => Grade::NonStrict,
            Level::May => Grade::Unsupported,
        }
    }

    /// The grade's name as reports print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Pass => "pass",
            Grade::Fail => "fail",
            Grade::NonStrict => "non-strict",
            Grade::Unsupported => "unsupported",
            Grade::Error => "error",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way an element went, seen from the harness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the server to the harness.
    In,
    /// From the harness to the server.
    Out,
}

impl Direction {
    /// The arrow used in wire logs: `←` for received, `→` for sent.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::In => "←",
            Direction::Out => "→",
        }
    }
}

/// An expectation that was not met: what was wanted, and what came closest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Mismatch {
    /// The actor the expectation was about.
    pub actor: String,
    /// The template, placeholders filled in.
    pub template: String,
    /// The received stanza most like the template, if any arrived.
    pub closest: Option<String>,
    /// How the closest stanza differs from the template.
    pub differences: Vec<String>,
}

/// A failed step that only set the stage for the case's own requirement:
/// the case is blocked by it rather than failed, and the cases named here
/// test that step's requirement themselves.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SetupStep {
    /// The ids of the cases (or scenarios) that test this step's own
    /// requirement.
    pub tested_by: Vec<String>,
    /// The stanza the server answered the step with, if any.
    pub answer: Option<String>,
}

/// One element of a case's transcript, labelled with its actor.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ActorEntry {
    /// `account/resource` as the scenario names the actor.
    pub actor: String,
    /// Milliseconds since the case started.
    pub at_ms: f64,
    /// Received (`in`) or sent (`out`).
    pub direction: Direction,
    /// The element as XML.
    pub xml: String,
    /// Sent or answered by the session on its own (ping, caps, barrier, bind).
    pub automatic: bool,
}

/// The verdict of one case on one target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verdict {
    /// The grade.
    pub grade: Grade,
    /// Why, when not `pass`.
    pub reason: Option<String>,
    /// The line of the step that decided a non-pass grade.
    pub step_line: Option<usize>,
    /// The unmet expectation, when that is what failed.
    pub mismatch: Option<Mismatch>,
    /// Set when the step that decided a non-pass grade only set the stage
    /// for the case's requirement (a `setup` step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_step: Option<SetupStep>,
    /// The required features the server does not advertise (`not
    /// advertised: …`); the steps ran anyway, so the grade says whether
    /// the behaviour is there: `pass` works without the advertisement,
    /// `unsupported` is absent as well.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_advertised: Option<String>,
    /// How long the case took.
    pub duration: Duration,
    /// Every element every actor sent and received, in time order.
    pub transcript: Vec<ActorEntry>,
    /// Received stanzas no expectation claimed, as `(actor, xml)`.
    pub unclaimed: Vec<(String, String)>,
    /// This run's account names, bound JIDs and domain with the stable names
    /// that stand for them in snapshots.
    #[serde(default)]
    pub aliases: Vec<Alias>,
    /// When the steps (and the round trips that settle them) were over and
    /// the sessions began to close, in ms since the case started; what came
    /// later is teardown.
    #[serde(default)]
    pub steps_ended_ms: f64,
}

impl Verdict {
    /// A verdict with no evidence behind it: no step ran, no stanza was
    /// exchanged (e.g. the target never started).
    pub fn without_evidence(grade: Grade, reason: Option<String>) -> Verdict {
        Verdict {
            grade,
            reason,
            step_line: None,
            mismatch: None,
            setup_step: None,
            not_advertised: None,
            duration: Duration::ZERO,
            transcript: Vec::new(),
            unclaimed: Vec::new(),
            aliases: Vec::new(),
            steps_ended_ms: 0.0,
        }
    }
}
