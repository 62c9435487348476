//! A verdict's transcript as snapshot text: canonical XML, run-specific
//! values replaced by stable names, harness-made traffic and teardown left
//! out, and each actor's stanzas in an order that does not depend on how
//! the server interleaved deliveries to different sessions.

use std::fmt::Write;
use std::str::FromStr;

use minidom::Element;

use super::volatile::key;
use crate::stanza::canonical::{canonical, canonical_pretty};
use crate::stanza::normalise::{
    IdNumbering, mask_opaque, replace_values, sort_unordered, without_id, without_ids,
};
use crate::verdict::{ActorEntry, Direction, Verdict};

/// One stanza of a snapshot, before ids are numbered.
struct Block {
    actor: String,
    direction: Direction,
    /// Received, and not the answer to a request the actor made.
    unsolicited: bool,
    stanza: Result<Element, String>,
}

/// The snapshot text of `verdict`, actors in the order of `actors` (any
/// actor missing from it comes after, by name), leaving out received
/// stanzas whose [`key`] is in `volatile`.
pub fn snapshot_text(verdict: &Verdict, actors: &[String], volatile: &[String]) -> String {
    let entries: Vec<&ActorEntry> = verdict
        .transcript
        .iter()
        .filter(|e| !e.automatic)
        .filter(|e| verdict.steps_ended_ms <= 0.0 || e.at_ms < verdict.steps_ended_ms)
        .collect();
    let mut order: Vec<String> = actors.to_vec();
    let mut others: Vec<String> = entries
        .iter()
        .map(|e| e.actor.clone())
        .filter(|a| !actors.contains(a))
        .collect();
    others.sort();
    others.dedup();
    order.extend(others);

    let mut blocks = Vec::new();
    for actor in &order {
        let own: Vec<Block> = entries
            .iter()
            .filter(|e| &e.actor == actor)
            .map(|e| Block {
                actor: actor.clone(),
                direction: e.direction,
                unsolicited: e.direction == Direction::In,
                stanza: Element::from_str(&e.xml)
                    .map(|el| normalise(&el, verdict))
                    .map_err(|_| e.xml.clone()),
            })
            .collect();
        let own = requests_then_pushes(own);
        blocks.extend(own.into_iter().filter(|b| {
            !(b.unsolicited
                && b.stanza
                    .as_ref()
                    .is_ok_and(|el| volatile.contains(&key(el))))
        }));
    }

    let sent: Vec<&Element> = blocks
        .iter()
        .filter(|b| b.direction == Direction::Out)
        .filter_map(|b| b.stanza.as_ref().ok())
        .collect();
    let mut numbering = IdNumbering::new(sent);
    let mut out = String::new();
    for block in &blocks {
        let text = match &block.stanza {
            // What the server sent on its own has an id nothing refers to,
            // and numbering it would depend on arrival order.
            Ok(el) if block.unsolicited => canonical_pretty(&numbering.apply(&without_id(el))),
            Ok(el) => canonical_pretty(&numbering.apply(el)),
            Err(raw) => format!("(not XML) {raw}"),
        };
        let _ = writeln!(out, "{} {}\n{text}\n", block.actor, block.direction.arrow());
    }
    if out.is_empty() {
        out.push_str("(no stanzas)\n");
    }
    out
}

/// Everything but ids made stable: run-specific values, opaque tokens, and
/// the order of set-like children.
fn normalise(stanza: &Element, verdict: &Verdict) -> Element {
    let stanza = replace_values(stanza, &verdict.aliases);
    sort_unordered(&mask_opaque(&stanza))
}

/// One actor's stanzas in an order reruns agree on: what it sent, in order,
/// each followed by the server's answer to it; then everything else it
/// received (notifications, presence, pushes), sorted by content, each
/// distinct one once. When such a stanza arrives relative to the actor's own
/// traffic, and how many copies of housekeeping pushes a server sends around
/// a login (Prosody's empty legacy bookmarks), depends on how it interleaves
/// sessions, so position and copies are left out of snapshots; which
/// stanzas arrived is kept. Verdicts still count copies where a case asks.
fn requests_then_pushes(own: Vec<Block>) -> Vec<Block> {
    let (sent, mut received): (Vec<Block>, Vec<Block>) =
        own.into_iter().partition(|b| b.direction == Direction::Out);
    let mut out = Vec::with_capacity(sent.len() + received.len());
    for request in sent {
        let answer = request_id(&request).and_then(|id| {
            received
                .iter()
                .position(|b| answers(b, &id))
                .map(|i| received.remove(i))
        });
        out.push(request);
        out.extend(answer.map(|a| Block {
            unsolicited: false,
            ..a
        }));
    }
    received.sort_by_cached_key(sort_key);
    received.dedup_by_key(|b| sort_key(b));
    out.extend(received);
    out
}

/// The id of an IQ request.
fn request_id(block: &Block) -> Option<String> {
    let el = block.stanza.as_ref().ok()?;
    let is_request = el.name() == "iq" && matches!(el.attr("type"), Some("get") | Some("set"));
    is_request
        .then(|| el.attr("id").map(str::to_owned))
        .flatten()
}

/// Whether `block` is an IQ result or error with id `id`.
fn answers(block: &Block, id: &str) -> bool {
    block.stanza.as_ref().is_ok_and(|el| {
        el.name() == "iq"
            && matches!(el.attr("type"), Some("result") | Some("error"))
            && el.attr("id") == Some(id)
    })
}

fn sort_key(block: &Block) -> String {
    match &block.stanza {
        Ok(el) => canonical(&without_ids(el)),
        Err(raw) => raw.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::normalise::Alias;
    use crate::verdict::Grade;
    use std::time::Duration;

    fn entry(
        actor: &str,
        at_ms: f64,
        direction: Direction,
        xml: &str,
        automatic: bool,
    ) -> ActorEntry {
        ActorEntry {
            actor: actor.into(),
            at_ms,
            direction,
            xml: xml.into(),
            automatic,
        }
    }

    fn verdict(transcript: Vec<ActorEntry>) -> Verdict {
        Verdict {
            grade: Grade::Pass,
            reason: None,
            step_line: None,
            mismatch: None,
            setup_step: None,
            not_advertised: None,
            duration: Duration::ZERO,
            transcript,
            unclaimed: Vec::new(),
            aliases: vec![
                Alias::new("localhost", "{domain}"),
                Alias::new("u1@localhost", "{juliet}"),
                Alias::new("u1@localhost/balcony", "{juliet/balcony}"),
                Alias::new("u1@localhost/chamber", "{juliet/chamber}"),
            ],
            steps_ended_ms: 100.0,
        }
    }

    const PUSH_A: &str = "<message xmlns='jabber:client' from='u1@localhost' id='n1'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='a'/></event></message>";
    const PUSH_B: &str = "<message xmlns='jabber:client' from='u1@localhost' id='n2'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='b'/></event></message>";

    #[test]
    fn interleaving_between_actors_and_within_a_burst_does_not_matter() {
        let publish = "<iq xmlns='jabber:client' type='set' id='xs1'><pubsub xmlns='http://jabber.org/protocol/pubsub'/></iq>";
        let result = "<iq xmlns='jabber:client' type='result' id='xs1' to='u1@localhost/balcony'/>";
        let one = verdict(vec![
            entry("juliet/balcony", 1.0, Direction::Out, publish, false),
            entry("juliet/chamber", 2.0, Direction::In, PUSH_A, false),
            entry("juliet/balcony", 3.0, Direction::In, result, false),
            entry("juliet/balcony", 4.0, Direction::In, PUSH_B, false),
        ]);
        let two = verdict(vec![
            entry("juliet/balcony", 1.0, Direction::Out, publish, false),
            entry("juliet/balcony", 2.0, Direction::In, PUSH_B, false),
            entry("juliet/balcony", 3.0, Direction::In, result, false),
            entry("juliet/chamber", 4.0, Direction::In, PUSH_A, false),
        ]);
        let actors = ["juliet/balcony".to_owned(), "juliet/chamber".to_owned()];
        let text = snapshot_text(&one, &actors, &[]);
        assert_eq!(text, snapshot_text(&two, &actors, &[]));
        assert!(
            text.starts_with("juliet/balcony →\n<iq id='{id:1}' type='set'>"),
            "{text}"
        );
        assert!(text.contains("to='{juliet/balcony}'"), "{text}");
        assert!(
            text.contains("juliet/chamber ←\n<message from='{juliet}'"),
            "{text}"
        );
    }

    #[test]
    fn automatic_traffic_and_teardown_are_left_out() {
        let v = verdict(vec![
            entry(
                "juliet/balcony",
                1.0,
                Direction::Out,
                "<iq xmlns='jabber:client' type='get' id='barrier-1'/>",
                true,
            ),
            entry("juliet/balcony", 2.0, Direction::In, PUSH_A, false),
            entry("juliet/balcony", 150.0, Direction::In, PUSH_B, false),
        ]);
        let text = snapshot_text(&v, &["juliet/balcony".to_owned()], &[]);
        assert!(!text.contains("barrier"), "{text}");
        assert!(text.contains("node='a'"), "{text}");
        assert!(!text.contains("node='b'"), "{text}");
    }

    #[test]
    fn an_empty_transcript_says_so() {
        assert_eq!(
            snapshot_text(&verdict(Vec::new()), &[], &[]),
            "(no stanzas)\n"
        );
    }
}
