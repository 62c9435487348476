//! Running one step: one arm per step kind, like a spec-test driver.

use std::collections::BTreeMap;
use std::time::Instant;

use minidom::Element;

use super::barrier::is_request;
use super::case_run::{CaseRun, Stop};
use super::silence::silence;
use crate::scenario::{Expectation, Step, StepKind};
use crate::session::{Claim, Session};
use crate::stanza::diff::closest;
use crate::stanza::matching::{Bindings, matches_with};
use crate::verdict::Mismatch;

/// A step either held, or did not, with the reason and evidence.
pub enum Outcome {
    /// The step held.
    Held,
    /// The step did not hold.
    Failed {
        /// Why.
        reason: String,
        /// The unmet expectation, if it was one.
        mismatch: Option<Mismatch>,
        /// The server's answer to the request the expectation waited on (an
        /// IQ result or error with its id), when one arrived.
        answer: Option<String>,
    },
}

/// Runs `step`.
pub async fn run_step(run: &mut CaseRun<'_>, step: &Step) -> Result<Outcome, Stop> {
    match &step.kind {
        StepKind::Send { actor, xml } => {
            let fresh = run.fresh_id();
            let stanza = run.stanza(&xml.text, Some(&fresh))?;
            // `{id}` in what follows is the id this stanza carries, made
            // fresh or written literally.
            let id = stanza.attr("id").map(str::to_owned);
            run.last_request = id
                .clone()
                .filter(|_| is_request(&stanza))
                .map(|id| (*actor, id));
            run.last_id = id;
            let name = run.actor(*actor).name.clone();
            run.session(*actor)?
                .send(stanza)
                .await
                .map_err(|e| Stop::Error(format!("{name}: {e}")))?;
            Ok(Outcome::Held)
        }
        StepKind::Expect(expectation) => {
            let deadline = Instant::now() + expectation.timeout;
            Ok(expect(run, expectation, deadline, 0).await?.0)
        }
        StepKind::AnyOrder(group) => expect_all(run, group, false).await,
        StepKind::InOrder(group) => expect_all(run, group, true).await,
        StepKind::Silence { actor, timeout } => {
            silence(run, *actor, Instant::now() + *timeout).await
        }
        StepKind::ExpectNone(expectation) => expect_none(run, expectation).await,
        StepKind::Connect(actor) => {
            run.last_request = None;
            run.connect(&[*actor]).await?;
            Ok(Outcome::Held)
        }
        StepKind::Disconnect(actor) => {
            run.last_request = None;
            run.disconnect(*actor).await;
            Ok(Outcome::Held)
        }
        StepKind::Presence(presence) => {
            run.presence(presence).await?;
            Ok(Outcome::Held)
        }
    }
}

/// Waits for every expectation of `group` within its longest timeout;
/// `ordered`: each actor's stanzas must arrive in the order listed (order
/// between actors is not observable). The first unmet one decides.
async fn expect_all(
    run: &mut CaseRun<'_>,
    group: &[Expectation],
    ordered: bool,
) -> Result<Outcome, Stop> {
    let deadline = Instant::now() + group.iter().map(|e| e.timeout).max().unwrap_or_default();
    // Per actor, how many of its unclaimed stanzas arrived before the one
    // its previous expectation took: in order, the next must come later.
    let mut floors: BTreeMap<usize, usize> = BTreeMap::new();
    for expectation in group {
        let floor = floors.get(&expectation.actor).copied().unwrap_or(0);
        let (outcome, taken_at) = expect(run, expectation, deadline, floor).await?;
        if let Outcome::Failed { .. } = outcome {
            return Ok(outcome);
        }
        if ordered {
            floors.insert(expectation.actor, taken_at);
        }
    }
    Ok(Outcome::Held)
}

/// Waits for `expectation` among the actor's stanzas from position `floor`
/// of its unclaimed ones on (those before it arrived before the stanza an
/// earlier `in_order` expectation took); returns the outcome and the
/// position the stanza was taken from.
async fn expect(
    run: &mut CaseRun<'_>,
    expectation: &Expectation,
    deadline: Instant,
    floor: usize,
) -> Result<(Outcome, usize), Stop> {
    let last_id = run.last_id.clone();
    let template = run.stanza(&expectation.xml.text, last_id.as_deref())?;
    let strict = expectation.strict;
    let bound = run.captures.clone();
    let name = run.actor(expectation.actor).name.clone();
    let answer_id = iq_answer_id(&template);
    let wanted = Wanted {
        template: &template,
        strict,
        bound: &bound,
        answer_id: answer_id.as_deref(),
        floor,
    };
    // Not an IQ answer, but the request that should cause it was answered:
    // a barrier settles it (or proves nothing, and the timeout decides).
    let mut proven_absent = false;
    if answer_id.is_none() && run.request_answered() {
        let session = run.session(expectation.actor)?;
        if let Some((bindings, at)) = wanted.take(session, Instant::now(), &name).await? {
            run.captures = bindings;
            return Ok((Outcome::Held, at));
        }
        proven_absent = run.barrier(deadline).await.is_ok();
    }
    let deadline = if proven_absent {
        Instant::now()
    } else {
        deadline
    };
    let session = run.session(expectation.actor)?;
    if let Some((bindings, at)) = wanted.take(session, deadline, &name).await? {
        run.captures = bindings;
        return Ok((Outcome::Held, at));
    }
    let answered = answer_id.as_deref().is_some_and(|id| {
        run.sessions[expectation.actor]
            .as_ref()
            .is_some_and(|s| s.unclaimed().any(|el| is_iq_answer(el, Some(id))))
    });
    let missed = Missed {
        template: &template,
        answer_id,
        bound: &bound,
        floor,
    };
    if proven_absent {
        return Ok((missed.outcome(run, expectation, true), floor));
    }
    if !answered {
        // Silence is only the server's failure if the session still works.
        let waited = format!(
            "after waiting {} ms for <{}>",
            expectation.timeout.as_millis(),
            template.name()
        );
        run.alive(expectation.actor, &waited).await?;
        let late = run
            .session(expectation.actor)?
            .unclaimed()
            .skip(floor)
            .any(|el| matches_with(&template, el, strict, &bound).is_some());
        if late {
            return Err(Stop::Error(format!(
                "{name}: the expected <{}> arrived only after the step's {} ms timeout \
                 (a slow link or a paused server)",
                template.name(),
                expectation.timeout.as_millis()
            )));
        }
    }
    Ok((missed.outcome(run, expectation, false), floor))
}

/// What an expectation waits for.
struct Wanted<'t> {
    template: &'t Element,
    strict: bool,
    bound: &'t Bindings,
    /// The id of the IQ answer waited for, if it is one.
    answer_id: Option<&'t str>,
    /// Unclaimed stanzas before this position are passed over (`in_order`).
    floor: usize,
}

impl Wanted<'_> {
    /// Claims a matching stanza at `session` until `deadline` (or until the
    /// one answer the request can have arrived and differs), returning the
    /// bindings it captured and the position it was taken from among the
    /// unclaimed stanzas.
    async fn take(
        &self,
        session: &mut Session,
        deadline: Instant,
        name: &str,
    ) -> Result<Option<(Bindings, usize)>, Stop> {
        let mut captured = None;
        // `claim` shows the unclaimed stanzas in arrival order, then each new
        // one, so counting them gives each one's position.
        let mut position = 0;
        session
            .claim(deadline, |el| {
                let at = position;
                position += 1;
                let answer = self.answer_id.is_some() && is_iq_answer(el, self.answer_id);
                if at < self.floor {
                    return if answer { Claim::Stop } else { Claim::Keep };
                }
                match matches_with(self.template, el, self.strict, self.bound) {
                    Some(b) => {
                        captured = Some((b, at));
                        Claim::Take
                    }
                    None if answer => Claim::Stop,
                    None => Claim::Keep,
                }
            })
            .await
            .map_err(|e| Stop::Error(format!("{name}: {e}")))?;
        Ok(captured)
    }
}

/// An expectation that was not met, and what is needed to explain it.
struct Missed<'t> {
    template: &'t Element,
    answer_id: Option<String>,
    bound: &'t Bindings,
    /// Unclaimed stanzas before this position arrived too early to count.
    floor: usize,
}

impl Missed<'_> {
    /// The failed expectation: what was waited for, the closest stanza
    /// received instead (or the match that came too early for `in_order`),
    /// and the request's answer when one arrived.
    fn outcome(&self, run: &CaseRun<'_>, expectation: &Expectation, barrier: bool) -> Outcome {
        let template = self.template;
        let name = run.actor(expectation.actor).name.clone();
        let candidates: Vec<Element> = run.sessions[expectation.actor]
            .as_ref()
            .map(|s| s.unclaimed().cloned().collect())
            .unwrap_or_default();
        let early = candidates
            .iter()
            .take(self.floor)
            .find(|el| matches_with(template, el, expectation.strict, self.bound).is_some());
        let best = match early {
            Some(el) => Some((
                el,
                vec![
                    "arrived before the stanza the previous expectation of \
                                        this actor took (in_order)"
                        .to_owned(),
                ],
            )),
            None => closest(
                template,
                &candidates[self.floor.min(candidates.len())..],
                expectation.strict,
                self.bound,
            ),
        };
        let answer = self.answer_id.as_ref().and_then(|id| {
            candidates
                .iter()
                .find(|el| is_iq_answer(el, Some(id)))
                .map(String::from)
        });
        let waited = match &answer {
            _ if early.is_some() => "it arrived, but before the stanza that met the \
                                     previous expectation of this actor, and in_order \
                                     wants it after"
                .to_owned(),
            Some(_) => "the answer to the request arrived and differs".to_owned(),
            None if barrier => "the request was answered, and round trips through the \
                                sessions sent after that came back without it"
                .to_owned(),
            None => format!(
                "nothing matching arrived within {} ms",
                expectation.timeout.as_millis()
            ),
        };
        let reason = format!(
            "{name} did not receive the expected <{}>: {waited}",
            template.name()
        );
        Outcome::Failed {
            reason,
            mismatch: Some(Mismatch {
                actor: name,
                template: String::from(template),
                closest: best.as_ref().map(|(el, _)| String::from(*el)),
                differences: best.map(|(_, d)| d).unwrap_or_default(),
            }),
            answer,
        }
    }
}

/// The id of an IQ answer the template waits for (`result` or `error` with
/// a literal id): RFC 6120 §8.2.3 allows exactly one answer per request, so
/// once a different one arrives with that id, waiting longer is pointless.
fn iq_answer_id(template: &Element) -> Option<String> {
    let id = template.attr("id")?;
    let answer =
        template.name() == "iq" && matches!(template.attr("type"), Some("result") | Some("error"));
    (answer && !id.contains('{')).then(|| id.to_owned())
}

fn is_iq_answer(el: &Element, id: Option<&str>) -> bool {
    el.name() == "iq"
        && el.attr("id") == id
        && matches!(el.attr("type"), Some("result") | Some("error"))
}

async fn expect_none(run: &mut CaseRun<'_>, expectation: &Expectation) -> Result<Outcome, Stop> {
    let last_id = run.last_id.clone();
    let template = run.stanza(&expectation.xml.text, last_id.as_deref())?;
    let name = run.actor(expectation.actor).name.clone();
    let bound = run.captures.clone();
    let session = run.session(expectation.actor)?;
    session
        .round_trip(Instant::now() + expectation.timeout)
        .await
        .map_err(|e| Stop::Error(format!("{name}: barrier: {e}")))?;
    let unwanted = session
        .unclaimed()
        .find(|el| matches_with(&template, el, expectation.strict, &bound).is_some())
        .map(String::from);
    Ok(match unwanted {
        None => Outcome::Held,
        Some(stanza) => Outcome::Failed {
            reason: format!("{name} received a stanza it must not receive"),
            mismatch: Some(Mismatch {
                actor: name,
                template: String::from(&template),
                closest: Some(stanza),
                differences: vec!["matches a template that must not be matched".into()],
            }),
            answer: None,
        },
    })
}
