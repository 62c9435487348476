//! The sessions the live properties run over: two resources of one fresh
//! account, kept open across cases, and waiting for answers and
//! notifications with a deadline.

use std::sync::Arc;
use std::time::{Duration, Instant};

use minidom::Element;

use crate::engine::actors::{Login, log_in};
use crate::fuzz::live_stanzas::{FUZZ_NODE, items_in};
use crate::server::LiveTarget;
use crate::session::{Claim, Direction, Session, SessionError};
use crate::stanza::canonical::canonical;
use crate::stanza::parse::parse_stanza;
use crate::stanza::placeholder::render;

/// How long one answer or notification may take.
const WAIT: Duration = Duration::from_secs(5);

/// Two resources of one fresh account, both advertising `+notify` for
/// [`FUZZ_NODE`]: the publisher and a second resource that only watches.
pub struct Bench {
    target: Arc<LiveTarget>,
    pub(super) publisher: Session,
    pub(super) watcher: Session,
    owner: String,
    serial: u64,
}

impl Bench {
    /// Makes a fresh account on `target` and logs both resources in, each
    /// with presence and caps.
    pub async fn open(target: Arc<LiveTarget>) -> Result<Bench, String> {
        let account = target
            .fresh_account()
            .await
            .map_err(|e| format!("making an account: {e}"))?;
        let owner = format!("{}@{}", account.username, target.endpoint.domain);
        let notify = [FUZZ_NODE.to_owned()];
        let mut sessions = Vec::new();
        for resource in ["balcony", "chamber"] {
            let login = Login {
                account: &account,
                resource,
                notify: &notify,
                presence: true,
                origin: Instant::now(),
            };
            let session = log_in(&target, login)
                .await
                .map_err(|e| format!("{resource}: {e}"))?;
            sessions.push(session);
        }
        let watcher = sessions.pop().ok_or("no session")?;
        let publisher = sessions.pop().ok_or("no session")?;
        let mut bench = Bench {
            target,
            publisher,
            watcher,
            owner,
            serial: 0,
        };
        // The logins' presence broadcasts are on record; cases start
        // afresh, as the engine's steps do.
        bench.forget();
        Ok(bench)
    }

    /// Closes both sessions.
    pub async fn close(self) {
        let deadline = Instant::now() + Duration::from_secs(2);
        self.publisher.close(deadline).await;
        self.watcher.close(deadline).await;
    }

    /// Opens a new bench in place of this one when the server closed a
    /// session (the case that made it do so is reported by its check), so
    /// that later cases and shrinking run on live sessions.
    pub async fn reopen_if_closed(&mut self) -> Result<(), String> {
        if self.publisher.closed().is_none() && self.watcher.closed().is_none() {
            return Ok(());
        }
        let fresh = Bench::open(self.target.clone()).await?;
        let old = std::mem::replace(self, fresh);
        old.close().await;
        Ok(())
    }

    pub(super) fn next(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// Fills `text`'s placeholders and parses it.
    fn stanza(&self, text: &str, id: &str) -> Result<Element, String> {
        let filled = render(text, false, |name| match name {
            "id" => Some(id.to_owned()),
            "juliet" => Some(self.owner.clone()),
            _ => None,
        })
        .map_err(|e| format!("placeholder: {}", e.message))?;
        parse_stanza(&filled).map_err(|e| format!("generated stanza: {}\n{filled}", e.message))
    }

    /// Sends the IQ `text` from the publisher; the IQ sent and its answer.
    pub(super) async fn ask(&mut self, text: &str) -> Result<(Element, Element), String> {
        let id = self.publisher.fresh_id("fz");
        let iq = self.stanza(text, &id)?;
        self.publisher
            .send(iq.clone())
            .await
            .map_err(|e| broken(&self.publisher, e))?;
        let answer = self
            .publisher
            .claim(Instant::now() + WAIT, |el| {
                Claim::take_if(el.name() == "iq" && el.attr("id") == Some(id.as_str()))
            })
            .await
            .map_err(|e| broken(&self.publisher, e))?;
        match answer {
            Some(answer) => Ok((iq, answer)),
            None => Err(format!("no answer within {WAIT:?} to\n{}", canonical(&iq))),
        }
    }

    /// Forgets what no check claimed (duplicates, other notifications).
    pub(super) fn forget(&mut self) {
        self.publisher.discard_unclaimed();
        self.watcher.discard_unclaimed();
    }
}

/// Waits at `session` for the notification of `item` of `node`; its payload.
pub(super) async fn notified(
    session: &mut Session,
    node: &str,
    item: &str,
) -> Result<Option<Element>, String> {
    let judge = |el: &Element| {
        Claim::take_if(el.name() == "message" && items_in(el, node).iter().any(|(i, _)| i == item))
    };
    let got = session
        .claim(Instant::now() + WAIT, judge)
        .await
        .map_err(|e| broken(session, e))?;
    Ok(got.and_then(|m| items_in(&m, node).into_iter().find(|(i, _)| i == item)?.1))
}

/// `error` with the last bytes the server sent, which show why a stream
/// broke.
fn broken(session: &Session, error: SessionError) -> String {
    let wire = match session.wire().lock() {
        Ok(log) => log
            .chunks()
            .iter()
            .rev()
            .filter(|c| c.direction == Direction::In)
            .take(2)
            .map(|c| c.text.chars().take(800).collect::<String>())
            .collect::<Vec<_>>(),
        Err(_) => Vec::new(),
    };
    let mut wire = wire;
    wire.reverse();
    format!(
        "{} ({error}); last bytes received:\n{}",
        session.jid(),
        wire.join("\n")
    )
}
