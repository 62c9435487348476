//! Proving absence without waiting out a timeout. Once the request that
//! should cause a stanza has been answered, round trips through the open
//! sessions (the receiving actor's among them) sent after that answer show
//! whether the server delivered it: a server writes what it routes to a
//! session before it handles a ping that session sends later. Where that
//! holds and where it does not is written in scenarios/README.md (Steps).

use std::time::{Duration, Instant};

use minidom::Element;

use super::case_run::{CaseRun, Stop};
use crate::session::Direction;

/// How long one barrier pass may take before the expectation falls back to
/// waiting out its timeout.
const PASS_WAIT: Duration = Duration::from_secs(2);

/// At least this many passes: one for what the request's handler routed
/// directly, one more for a single further hop inside the server (a caps
/// query the session answered, a stanza relayed through the pubsub service).
const MIN_PASSES: usize = 2;

/// At most this many passes, however busy the sessions stay.
const MAX_PASSES: usize = 5;

impl CaseRun<'_> {
    /// Whether the last stanza sent was an IQ request and its answer has
    /// reached the session that sent it: the point after which a barrier can
    /// prove that something the request should have caused did not happen.
    pub fn request_answered(&self) -> bool {
        let Some((actor, id)) = &self.last_request else {
            return false;
        };
        self.sessions[*actor].as_ref().is_some_and(|s| {
            s.transcript()
                .count(|e| e.direction == Direction::In && is_answer(&e.element, id))
                > 0
        })
    }

    /// Round trips on every open session, concurrently, repeated until at
    /// least [`MIN_PASSES`] are done and a pass brings no new stanza (at most
    /// [`MAX_PASSES`]). An error (a session closed, a ping unanswered) means
    /// the barrier proves nothing; the caller then waits out its timeout.
    ///
    /// No pass waits past `until` (the expectation's own deadline), so a
    /// stalled session costs no more than it did before barriers.
    pub async fn barrier(&mut self, until: Instant) -> Result<(), Stop> {
        for pass in 1..=MAX_PASSES {
            let before = self.received();
            let deadline = (Instant::now() + PASS_WAIT).min(until);
            let trips = self
                .sessions
                .iter_mut()
                .flatten()
                .map(|s| s.round_trip(deadline));
            for trip in futures::future::join_all(trips).await {
                trip.map_err(|e| Stop::Error(format!("barrier: {e}")))?;
            }
            if pass >= MIN_PASSES && self.received() == before {
                break;
            }
        }
        Ok(())
    }

    /// How many stanzas the open sessions have sent or received, the
    /// barriers' own pings and their answers left out (a caps query the
    /// session answered on its own counts: it can lead to more).
    fn received(&self) -> usize {
        self.sessions
            .iter()
            .flatten()
            .map(|s| s.transcript().count(|e| !is_barrier(&e.element)))
            .sum()
    }
}

/// Whether `el` is a barrier's ping or its answer.
fn is_barrier(el: &Element) -> bool {
    el.name() == "iq" && el.attr("id").is_some_and(|id| id.starts_with("barrier-"))
}

/// Whether `el` is the answer (`result` or `error`) to the IQ with `id`.
fn is_answer(el: &Element, id: &str) -> bool {
    el.name() == "iq"
        && el.attr("id") == Some(id)
        && matches!(el.attr("type"), Some("result") | Some("error"))
}

/// Whether `el` is an IQ request (`get` or `set`), which the server must
/// answer.
pub fn is_request(el: &Element) -> bool {
    el.name() == "iq" && matches!(el.attr("type"), Some("get") | Some("set"))
}
