//! Liveness before blame: an unmet expectation is the server's failure only
//! if the session that waited still answers a ping, and no verdict rests on
//! a session that died before it was given.

use std::time::{Duration, Instant};

use super::case_run::{CaseRun, Stop};
use crate::session::SessionError;

/// How long a session may take to answer a ping that proves it alive.
pub const LIVENESS_WAIT: Duration = Duration::from_secs(2);

/// No settling pass starts after this long.
const SETTLE_PASSES: Duration = Duration::from_secs(2);

impl CaseRun<'_> {
    /// Checks that actor `index`'s session still works, by a round trip
    /// bounded by [`LIVENESS_WAIT`], after an expectation went unmet
    /// `waited` ("after waiting 2000 ms for <iq>"): a verdict against the
    /// server needs a live session, so a stalled or broken one stops the
    /// case as an error.
    pub async fn alive(&mut self, index: usize, waited: &str) -> Result<(), Stop> {
        let name = self.actor(index).name.clone();
        let session = self.session(index)?;
        match session.round_trip(Instant::now() + LIVENESS_WAIT).await {
            Ok(()) => Ok(()),
            Err(SessionError::Timeout(_)) => Err(Stop::Error(format!(
                "{name}: connection stalled: no answer to a ping {waited}"
            ))),
            Err(e) => Err(Stop::Error(format!("{name}: {e} {waited}"))),
        }
    }

    /// Waits until the server has gone quiet: round trips on every open
    /// session, concurrently, repeated until a pass brings no new stanza (at
    /// most five passes, each bounded by [`LIVENESS_WAIT`], none started
    /// after the first two seconds). What one session's steps cause at
    /// another session can take the server more than one round trip to
    /// deliver (presence subscriptions, roster pushes, last-item delivery
    /// after a caps query).
    ///
    /// Every open session must answer: a stream that ended, or a round trip
    /// that failed, means the verdict would rest on a dead session, and is
    /// returned as an error naming the session. Sessions the scenario closed
    /// itself are no longer open and are not asked.
    pub async fn settle(&mut self) -> Result<(), Stop> {
        let started = Instant::now();
        for _ in 0..5 {
            let before = self.stanzas_seen();
            let deadline = Instant::now() + LIVENESS_WAIT;
            let names: Vec<String> = (0..self.sessions.len())
                .map(|i| self.actor(i).name.clone())
                .collect();
            let trips = self
                .sessions
                .iter_mut()
                .zip(names)
                .filter_map(|(s, name)| Some((s.as_mut()?, name)))
                .map(|(s, name)| async move { (name, s.round_trip(deadline).await) });
            let failed: Vec<String> = futures::future::join_all(trips)
                .await
                .into_iter()
                .filter_map(|(name, trip)| trip.err().map(|e| format!("{name}: {e}")))
                .collect();
            if !failed.is_empty() {
                return Err(Stop::Error(format!(
                    "a session did not answer after the last step: {}",
                    failed.join("; ")
                )));
            }
            if self.stanzas_seen() == before || started.elapsed() >= SETTLE_PASSES {
                break;
            }
        }
        Ok(())
    }

    /// How many stanzas the open sessions have sent or received, leaving out
    /// the harness's own traffic.
    fn stanzas_seen(&self) -> usize {
        self.sessions
            .iter()
            .flatten()
            .map(|s| s.transcript().count(|e| !e.automatic))
            .sum()
    }
}
