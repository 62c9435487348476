//! `silence`: nothing has arrived at an actor that no expectation claimed.
//! Proven, not waited for: round trips through every open session (the
//! barrier of `barrier.rs`) make sure that whatever the server was going to
//! send for the traffic so far has arrived, and then the actor's unclaimed
//! stanzas are looked at. The session's own automatic traffic (the
//! requests it answered on its own, the answers to its own pings) is not
//! counted: it is the client's housekeeping, not the scenario's.

use std::time::Instant;

use minidom::Element;

use super::case_run::{CaseRun, Stop};
use super::steps::Outcome;
use crate::session::Direction;
use crate::verdict::Mismatch;

/// Checks that actor `index` has nothing unclaimed but automatic traffic,
/// once round trips bounded by `deadline` have settled what is on its way.
pub async fn silence(
    run: &mut CaseRun<'_>,
    index: usize,
    deadline: Instant,
) -> Result<Outcome, Stop> {
    let name = run.actor(index).name.clone();
    run.session(index)?;
    run.barrier(deadline).await.map_err(|Stop::Error(e)| {
        Stop::Error(format!("{name}: silence could not be proven: {e}"))
    })?;
    let session = run.session(index)?;
    let automatic: Vec<Element> = session
        .transcript()
        .entries()
        .into_iter()
        .filter(|e| e.direction == Direction::In && e.automatic)
        .map(|e| e.element)
        .collect();
    let unexpected: Vec<String> = unexpected(session.unclaimed(), &automatic)
        .map(String::from)
        .collect();
    if unexpected.is_empty() {
        return Ok(Outcome::Held);
    }
    let kinds: Vec<String> = unexpected.iter().map(|s| first_tag(s)).collect();
    Ok(Outcome::Failed {
        reason: format!(
            "{name} received {} stanza(s) that no expectation claimed ({}), where silence was \
             expected",
            unexpected.len(),
            kinds.join(", ")
        ),
        mismatch: Some(Mismatch {
            actor: name,
            template: "silence: nothing that no expectation claimed".into(),
            closest: unexpected.first().cloned(),
            differences: unexpected
                .iter()
                .map(|s| format!("unclaimed: {s}"))
                .collect(),
        }),
        answer: None,
    })
}

/// The stanzas of `unclaimed` that are not automatic traffic (an element
/// equal to one the transcript marks automatic).
fn unexpected<'a>(
    unclaimed: impl Iterator<Item = &'a Element>,
    automatic: &'a [Element],
) -> impl Iterator<Item = &'a Element> {
    unclaimed.filter(move |el| !automatic.contains(el))
}

/// `<name …` of a stanza's text, for a short list in the reason.
fn first_tag(xml: &str) -> String {
    let end = xml
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(xml.len());
    format!("{}>", &xml[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::parse::parse_stanza;

    #[test]
    fn automatic_traffic_is_not_unexpected() {
        let ping =
            parse_stanza("<iq type='get' id='s1'><ping xmlns='urn:xmpp:ping'/></iq>").unwrap();
        let message = parse_stanza("<message><body>hi</body></message>").unwrap();
        let unclaimed = [ping.clone(), message.clone()];
        let automatic = [ping];
        let left: Vec<&Element> = unexpected(unclaimed.iter(), &automatic).collect();
        assert_eq!(left, vec![&message]);
    }

    #[test]
    fn the_reason_names_each_stanza_by_its_tag() {
        assert_eq!(first_tag("<message xmlns='jabber:client'/>"), "<message>");
        assert_eq!(first_tag("<iq/>"), "<iq>");
    }
}
