//! One XMPP client session on tokio-xmpp's lower layers: connect, SASL, bind,
//! presence with caps, automatic answers to pings and disco, and a transcript
//! of every element in and out. Nothing the server sends is dropped.

mod answer;
mod caps;
mod connect;
mod disco;
mod error;
mod open;
mod task;
mod tls;
mod transcript;
mod wire;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use minidom::Element;

use crate::ns;
use crate::stanza::build::WithAttr;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_xmpp::jid::FullJid;

pub use caps::{CAPS_NODE, ClientCaps};
pub use connect::{Endpoint, SaslChoice, TappedConnector};
pub use disco::{DiscoInfo, Identity, disco_info};
pub use error::SessionError;
pub use open::{Account, SessionSpec, register, registration_refusal};
pub use tls::TlsMode;
pub use transcript::{Transcript, TranscriptEntry};
pub use wire::{Direction, SharedWireLog, WireChunk, WireLog};

pub use answer::Answers;
use task::{Command, Inbound};

/// The default bound on any single wait of a session.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// What [`Session::claim`] does with a received element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Take it: it is what was waited for.
    Take,
    /// Leave it unclaimed and go on waiting.
    Keep,
    /// Leave it unclaimed and stop waiting: it settles that nothing will be
    /// taken (e.g. the one answer an IQ can have arrived, and differs).
    Stop,
}

impl Claim {
    /// `Take` when `wanted`, else `Keep`.
    pub fn take_if(wanted: bool) -> Claim {
        if wanted { Claim::Take } else { Claim::Keep }
    }
}

/// A logged-in, bound client session.
pub struct Session {
    jid: FullJid,
    commands: mpsc::Sender<Command>,
    inbox: mpsc::UnboundedReceiver<Inbound>,
    unclaimed: VecDeque<Element>,
    closed: Option<String>,
    transcript: Transcript,
    wire: SharedWireLog,
    caps_answers: task::CapsAnswers,
    answers: Answers,
    task: JoinHandle<()>,
    next_id: u64,
}

impl Session {
    /// The full JID the server bound.
    pub fn jid(&self) -> &FullJid {
        &self.jid
    }

    /// Every element sent and received so far.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// The raw bytes after authentication.
    pub fn wire(&self) -> &SharedWireLog {
        &self.wire
    }

    /// Why the stream ended, if the server closed it or it broke.
    pub fn closed(&self) -> Option<&str> {
        self.closed.as_deref()
    }

    /// Sends `element` exactly as given.
    pub async fn send(&mut self, element: Element) -> Result<(), SessionError> {
        self.command(element, false).await
    }

    /// A fresh id for a stanza the harness makes up.
    pub fn fresh_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-{}", self.next_id)
    }

    /// Waits until `deadline` for a received element that `judge` takes,
    /// first among those received earlier and not yet claimed. Returns `None`
    /// when the deadline passes, or as soon as `judge` says no element can be
    /// taken any more. Elements not taken stay unclaimed, in arrival order.
    pub async fn claim(
        &mut self,
        deadline: Instant,
        mut judge: impl FnMut(&Element) -> Claim,
    ) -> Result<Option<Element>, SessionError> {
        let mut stop = false;
        for (i, element) in self.unclaimed.iter().enumerate() {
            match judge(element) {
                Claim::Take => return Ok(self.unclaimed.remove(i)),
                Claim::Stop => stop = true,
                Claim::Keep => {}
            }
        }
        while !stop {
            let Some(element) = self.receive(deadline).await? else {
                break;
            };
            match judge(&element) {
                Claim::Take => return Ok(Some(element)),
                Claim::Stop => stop = true,
                Claim::Keep => {}
            }
            self.unclaimed.push_back(element);
        }
        Ok(None)
    }

    /// Received elements that no expectation has claimed yet.
    pub fn unclaimed(&self) -> impl Iterator<Item = &Element> {
        self.unclaimed.iter()
    }

    /// Forgets the unclaimed elements (e.g. presence broadcasts after login),
    /// except the server's requests the session left to the scenario to
    /// answer (`Answers::Scenario`): those still await their answer.
    pub fn discard_unclaimed(&mut self) {
        let answers = self.answers;
        self.unclaimed.retain(|el| answers.leaves_to_scenario(el));
    }

    /// From now on, the server's requests are answered as `answers` says.
    pub async fn set_answers(&mut self, answers: Answers) -> Result<(), SessionError> {
        self.answers = answers;
        self.order(Command::Answer(answers)).await
    }

    /// From now on, `caps` are what the session advertises and answers
    /// disco#info for (the caps advertised before are still answered for).
    /// Send it before the presence that carries them.
    pub async fn advertise(&mut self, caps: ClientCaps) -> Result<(), SessionError> {
        self.order(Command::Advertise(caps)).await
    }

    async fn order(&mut self, command: Command) -> Result<(), SessionError> {
        if let Some(reason) = &self.closed {
            return Err(SessionError::Closed(reason.clone()));
        }
        if self.commands.send(command).await.is_err() {
            return Err(SessionError::Closed(self.end_reason()));
        }
        Ok(())
    }

    /// Pings the server and waits for its answer: once it arrives, the server
    /// has handled everything this session sent before, and whatever it sent
    /// to this session before the answer has been received.
    pub async fn round_trip(&mut self, deadline: Instant) -> Result<(), SessionError> {
        let id = self.fresh_id("barrier");
        let ping = Element::builder("iq", ns::JABBER_CLIENT)
            .with("type", "get")
            .with("id", &id)
            .with("to", self.jid.domain().as_str())
            .append(Element::builder("ping", ns::PING).build())
            .build();
        self.command(ping, true).await?;
        let answer = self
            .claim(deadline, |el| {
                Claim::take_if(
                    el.name() == "iq"
                        && el.attr("id") == Some(id.as_str())
                        && matches!(el.attr("type"), Some("result") | Some("error")),
                )
            })
            .await?;
        match answer {
            Some(_) => Ok(()),
            None => Err(SessionError::Timeout(
                "the server's answer to a ping".into(),
            )),
        }
    }

    /// Sends available presence carrying `caps`, then waits until the server
    /// has had every caps query it asked answered, so that its view of this
    /// resource's `+notify` interests is settled.
    pub async fn send_presence(
        &mut self,
        caps: Option<&ClientCaps>,
        deadline: Instant,
    ) -> Result<(), SessionError> {
        let mut presence = Element::builder("presence", ns::JABBER_CLIENT);
        if let Some(caps) = caps {
            presence = presence.append(caps.element());
        }
        self.send_presence_stanza(presence.build(), deadline).await
    }

    /// Sends `presence` as given, then waits as [`Session::send_presence`]
    /// does: a round trip, and one more when the session answered a caps
    /// query meanwhile. (A session whose scenario answers does not answer
    /// caps queries, so the one round trip is all it waits.)
    pub async fn send_presence_stanza(
        &mut self,
        presence: Element,
        deadline: Instant,
    ) -> Result<(), SessionError> {
        let answered = self.caps_answers.count();
        self.send(presence).await?;
        self.round_trip(deadline).await?;
        // A caps query answered meanwhile was answered after our ping left,
        // so one more round trip makes sure the server has read that answer.
        if self.caps_answers.count() != answered {
            self.round_trip(deadline).await?;
        }
        Ok(())
    }

    /// Closes the stream politely and waits (bounded) for the server's end.
    pub async fn close(self, deadline: Instant) {
        let (done, finished) = oneshot::channel();
        if self.commands.send(Command::Close(done)).await.is_ok() {
            let _ = tokio::time::timeout_at(deadline.into(), finished).await;
        }
        self.task.abort();
    }

    async fn command(&mut self, element: Element, automatic: bool) -> Result<(), SessionError> {
        if let Some(reason) = &self.closed {
            return Err(SessionError::Closed(reason.clone()));
        }
        let (ack, sent) = oneshot::channel();
        let command = Command::Send {
            element,
            automatic,
            ack,
        };
        if self.commands.send(command).await.is_err() {
            return Err(SessionError::Closed(self.end_reason()));
        }
        match tokio::time::timeout(DEFAULT_WAIT, sent).await {
            Ok(Ok(result)) => result.map_err(SessionError::Closed),
            Ok(Err(_)) => Err(SessionError::Closed(self.end_reason())),
            Err(_) => Err(SessionError::Timeout("writing to the server".into())),
        }
    }

    /// Why the task ended, once it has: the elements it handed on before
    /// become unclaimed, and the stream's end is recorded as `closed`.
    fn end_reason(&mut self) -> String {
        while self.closed.is_none() {
            match self.inbox.try_recv() {
                Ok(Inbound::Element(element)) => self.unclaimed.push_back(element),
                Ok(Inbound::Closed(reason)) => self.closed = Some(reason),
                Err(_) => self.closed = Some("session task ended".to_owned()),
            }
        }
        self.closed.clone().unwrap_or_default()
    }

    async fn receive(&mut self, deadline: Instant) -> Result<Option<Element>, SessionError> {
        if let Some(reason) = &self.closed {
            return Err(SessionError::Closed(reason.clone()));
        }
        match tokio::time::timeout_at(deadline.into(), self.inbox.recv()).await {
            Err(_) => Ok(None),
            Ok(Some(Inbound::Element(element))) => Ok(Some(element)),
            Ok(Some(Inbound::Closed(reason))) => {
                self.closed = Some(reason.clone());
                Err(SessionError::Closed(reason))
            }
            Ok(None) => {
                let reason = "session task ended".to_owned();
                self.closed = Some(reason.clone());
                Err(SessionError::Closed(reason))
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.task.abort();
    }
}
