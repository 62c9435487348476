//! A script's actions as scenario steps.
//!
//! `connects`, `disconnects` and `sends` map one to one. Scansion takes
//! each client's stanzas one by one and fails on the first that is not the
//! one the script expects next, so:
//! - a run of `receives` with no other action between them becomes one
//!   `in_order` step (each actor's stanzas in the script's order), a single
//!   one an `expect`;
//! - `receives: nothing` becomes `silence`;
//! - between two runs of `receives` of one client (in one connection), a
//!   `silence` step checks that nothing else arrived meanwhile, which is
//!   what scansion's "next stanza must match" amounts to. None follows a
//!   client's last run: what arrives after it scansion never reads (a
//!   trailing roster push, a presence), and a check there failed 3 of
//!   Prosody's 50 scripts that pass without it. The price: an unexpected
//!   stanza before a client's first run, or in its only run, goes unseen,
//!   and one a later run expects that arrived early fails the check.

use std::collections::BTreeMap;

use super::super::Note;
use super::cast::Cast;
use super::script::{Action, Verb};
use super::stanza_text::{Rewriter, Use};

/// One step of the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `connect = actor`.
    Connect(String),
    /// `disconnect = actor`.
    Disconnect(String),
    /// `send = actor` with the stanza.
    Send(String, String),
    /// `expect` (one) or `in_order` (several): actor, stanza, the comment
    /// above it in the script.
    Expect(Vec<Expected>),
    /// `silence = actor`; `true` when the script says `receives: nothing`,
    /// `false` when scansion's strict order implies it.
    Silence(String, bool),
}

/// One expected stanza.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The actor receiving it.
    pub actor: String,
    /// The template.
    pub xml: String,
    /// The script's comment above its `receives`.
    pub comment: Vec<String>,
}

/// A step with the script's comment above its action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commented {
    /// The step.
    pub step: Step,
    /// The comment lines.
    pub comment: Vec<String>,
}

/// The steps of `actions`, played by `cast`; what cannot be converted goes
/// to `notes`.
pub fn steps(
    actions: &[Action],
    cast: &Cast,
    rewriter: &mut Rewriter<'_>,
    notes: &mut Vec<Note>,
) -> Vec<Commented> {
    let mut out: Vec<Commented> = Vec::new();
    let mut receiving = false;
    for action in actions {
        let Some(member) = cast.member(&action.character) else {
            // The cast has said why this character is not an actor.
            continue;
        };
        let actor = member.actor();
        let comment = action.comment.clone();
        let stanzas =
            |rewriter: &mut Rewriter<'_>, notes: &mut Vec<Note>, used| match &action.payload {
                Some(payload) => rewriter.stanzas(payload, used, notes),
                None => {
                    notes.push(Note::new(
                        action.line,
                        format!("`{}` has no stanza below it: left out", action.character),
                    ));
                    None
                }
            };
        let step = match &action.verb {
            Verb::Connects => Step::Connect(actor),
            Verb::Disconnects => Step::Disconnect(actor),
            Verb::ReceivesNothing => Step::Silence(actor, true),
            Verb::Sends => {
                let Some(sent) = stanzas(rewriter, notes, Use::Send) else {
                    receiving = false;
                    continue;
                };
                for (i, xml) in sent.into_iter().enumerate() {
                    let comment = if i == 0 { comment.clone() } else { Vec::new() };
                    let step = Step::Send(actor.clone(), xml);
                    out.push(Commented { step, comment });
                }
                receiving = false;
                continue;
            }
            Verb::Receives => {
                let Some(expected) = stanzas(rewriter, notes, Use::Expect) else {
                    continue;
                };
                let mut items: Vec<Expected> = expected
                    .into_iter()
                    .enumerate()
                    .map(|(i, xml)| Expected {
                        actor: actor.clone(),
                        xml,
                        comment: if i == 0 { comment.clone() } else { Vec::new() },
                    })
                    .collect();
                match out.last_mut() {
                    Some(Commented {
                        step: Step::Expect(run),
                        ..
                    }) if receiving => run.append(&mut items),
                    _ => out.push(Commented {
                        step: Step::Expect(items),
                        comment: Vec::new(),
                    }),
                }
                receiving = true;
                continue;
            }
            Verb::Other(verb) => {
                notes.push(Note::new(
                    action.line,
                    format!("`{} {verb}` is not an action this converter knows (connects, disconnects, sends, receives): left out", action.character),
                ));
                receiving = false;
                continue;
            }
        };
        receiving = false;
        out.push(Commented { step, comment });
    }
    with_implied_silence(out)
}

/// `steps` with a `silence` after each run of expectations of an actor that
/// a later run of the same connection follows, unless the script's own
/// `receives: nothing` comes between them.
fn with_implied_silence(steps: Vec<Commented>) -> Vec<Commented> {
    // Per actor, the step holding its last expectation so far in this
    // connection, since its last silence.
    let mut last: BTreeMap<String, usize> = BTreeMap::new();
    let mut after: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (index, commented) in steps.iter().enumerate() {
        match &commented.step {
            Step::Expect(items) => {
                for item in items {
                    if let Some(at) = last.insert(item.actor.clone(), index)
                        && at != index
                    {
                        after.entry(at).or_default().push(item.actor.clone());
                    }
                }
            }
            Step::Silence(actor, _) | Step::Disconnect(actor) => {
                last.remove(actor);
            }
            Step::Connect(_) | Step::Send(..) => {}
        }
    }
    let mut out = Vec::new();
    for (index, commented) in steps.into_iter().enumerate() {
        out.push(commented);
        if let Some(actors) = after.get(&index) {
            let mut actors = actors.clone();
            actors.sort();
            actors.dedup();
            for actor in actors {
                out.push(Commented {
                    step: Step::Silence(actor, false),
                    comment: Vec::new(),
                });
            }
        }
    }
    out
}
