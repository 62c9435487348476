//! A scenario after loading: validated, with actors and steps resolved to
//! indices and every XML text tied to its line in the file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::model::{Answers, Level, Requirements, SpecRef};

/// A loaded, valid scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Stable identifier (`xep-0060/7.1.5-precondition-not-met`).
    pub id: String,
    /// One line saying what is checked.
    pub title: String,
    /// The requirement checked.
    pub spec: SpecRef,
    /// Which reading the scenario takes, where there is a choice.
    pub comment: Option<String>,
    /// Features that must be advertised.
    pub requires: Requirements,
    /// Parameter value lists.
    pub parameters: BTreeMap<String, Vec<String>>,
    /// Classes of equivalent values, per parameter.
    pub equivalent: BTreeMap<String, Vec<Vec<String>>>,
    /// The clients.
    pub actors: Vec<Actor>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The file it came from.
    pub file: PathBuf,
}

/// A client of the scenario: one resource of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `account/resource`.
    pub name: String,
    /// The account alias (`juliet`).
    pub account: String,
    /// The resource asked for (`balcony`).
    pub resource: String,
    /// Sends initial presence after login.
    pub presence: bool,
    /// Namespaces it asks notifications for (`+notify`).
    pub notify: Vec<String>,
    /// Connected before the first step.
    pub connected: bool,
    /// The role of the pre-made account it uses (`admin`), if not a fresh
    /// one.
    pub role: Option<String>,
    /// The caps node it advertises; `None`: the harness's own.
    pub caps_node: Option<String>,
    /// Features it advertises besides the `+notify` ones (may hold
    /// placeholders such as `{unique}`, filled when the case runs).
    pub features: Vec<String>,
    /// Who answers the server's requests to it.
    pub answers: Answers,
}

/// XML text with placeholders, and the line where it starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xml {
    /// The text as written.
    pub text: String,
    /// 1-based line of its first character.
    pub line: usize,
}

/// Something that must (or must not) arrive at an actor.
#[derive(Debug, Clone)]
pub struct Expectation {
    /// Index into [`Scenario::actors`].
    pub actor: usize,
    /// The template.
    pub xml: Xml,
    /// Extra attributes and children fail the match.
    pub strict: bool,
    /// How long to wait.
    pub timeout: Duration,
}

/// What a step does.
#[derive(Debug, Clone)]
pub enum StepKind {
    /// An actor sends a stanza.
    Send {
        /// Index into [`Scenario::actors`].
        actor: usize,
        /// The stanza.
        xml: Xml,
    },
    /// A matching stanza must arrive.
    Expect(Expectation),
    /// No matching stanza may arrive (checked after a round trip).
    ExpectNone(Expectation),
    /// All of these must arrive, in any order.
    AnyOrder(Vec<Expectation>),
    /// All of these must arrive, each actor's in the order listed.
    InOrder(Vec<Expectation>),
    /// Nothing may have arrived at this actor (index into
    /// [`Scenario::actors`]) that no expectation claimed, the session's own
    /// automatic traffic aside.
    Silence {
        /// Index into [`Scenario::actors`].
        actor: usize,
        /// How long the round trips that prove it may take.
        timeout: Duration,
    },
    /// An actor's session is opened (again).
    Connect(usize),
    /// An actor's session is closed.
    Disconnect(usize),
    /// An actor sends presence now.
    Presence(PresenceStep),
}

/// A presence sent mid-case: available with the actor's caps (new ones when
/// the step gives `notify` or `features`), or the stanza in `xml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceStep {
    /// Index into [`Scenario::actors`].
    pub actor: usize,
    /// The `+notify` namespaces from now on, when the step changes them.
    pub notify: Option<Vec<String>>,
    /// The other features from now on, when the step changes them.
    pub features: Option<Vec<String>>,
    /// The presence stanza to send instead of a plain available one; an
    /// available presence without `<c/>` gets the actor's caps added.
    pub xml: Option<Xml>,
}

/// One step and where it is written.
#[derive(Debug, Clone)]
pub struct Step {
    /// 1-based line of the step's table in the file.
    pub line: usize,
    /// What it does.
    pub kind: StepKind,
    /// Its own level, when different from the scenario's.
    pub level: Option<Level>,
    /// What it checks, in words.
    pub note: Option<String>,
    /// Set when the step only sets the stage for the scenario's requirement.
    pub setup: Option<Setup>,
}

/// A `setup` step's own requirement: the scenarios or cases that test it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// Ids of scenarios or cases, as written.
    pub tested_by: Vec<String>,
    /// 1-based line of the `setup` value in the file.
    pub line: usize,
    /// 1-based column of the `setup` value in the file.
    pub column: usize,
}

impl Scenario {
    /// The level a failure of `step` is graded at.
    pub fn level_of(&self, step: &Step) -> Level {
        step.level.unwrap_or(self.spec.level)
    }

    /// The roles of pre-made accounts the case needs, one per account alias
    /// that names one, in order of first appearance.
    pub fn roles(&self) -> Vec<&str> {
        let mut aliases: Vec<&str> = Vec::new();
        let mut roles = Vec::new();
        for a in &self.actors {
            if let Some(role) = &a.role
                && !aliases.contains(&a.account.as_str())
            {
                aliases.push(&a.account);
                roles.push(role.as_str());
            }
        }
        roles
    }

    /// The role the account alias `alias` stands for, if it is pre-made.
    pub fn role_of(&self, alias: &str) -> Option<&str> {
        self.actors
            .iter()
            .find(|a| a.account == alias)
            .and_then(|a| a.role.as_deref())
    }

    /// The account aliases, in order of first appearance.
    pub fn accounts(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for a in &self.actors {
            if !seen.contains(&a.account.as_str()) {
                seen.push(&a.account);
            }
        }
        seen
    }
}
