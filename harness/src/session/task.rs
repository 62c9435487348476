//! The task that owns a session's XML stream: it records and forwards every
//! received element, answers what a well-behaved client must answer, and
//! writes what the session asks it to.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use futures::{SinkExt, StreamExt};
use minidom::Element;

use crate::ns;
use tokio::sync::{mpsc, oneshot};
use tokio_xmpp::xmlstream::{ReadError, XmlStream};

use super::answer::{Answers, automatic_reply};
use super::caps::ClientCaps;
use super::connect::SessionIo;
use super::transcript::{Transcript, TranscriptEntry};
use super::wire::Direction;

/// A request to the task.
pub enum Command {
    /// Write an element; `automatic` marks harness-made traffic.
    Send {
        element: Element,
        automatic: bool,
        ack: oneshot::Sender<Result<(), String>>,
    },
    /// Close the stream and wait for the server's end of it.
    Close(oneshot::Sender<()>),
    /// From now on, answer the server's requests this way.
    Answer(Answers),
    /// Advertise these caps from now on (the earlier ones are still
    /// answered for: a server may ask about them late).
    Advertise(ClientCaps),
}

/// What the task hands on.
pub enum Inbound {
    /// A received element, whatever it is.
    Element(Element),
    /// The stream ended; the reason.
    Closed(String),
}

/// How many caps queries the task has answered.
#[derive(Clone, Default)]
pub struct CapsAnswers(Arc<AtomicU64>);

impl CapsAnswers {
    /// The count so far.
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The task's state.
pub struct StreamTask {
    pub stream: XmlStream<SessionIo, Element>,
    pub commands: mpsc::Receiver<Command>,
    pub inbox: mpsc::UnboundedSender<Inbound>,
    pub transcript: Transcript,
    pub origin: Instant,
    pub caps: ClientCaps,
    /// Caps advertised before `caps`, still answered for.
    pub earlier_caps: Vec<ClientCaps>,
    pub answers: Answers,
    pub caps_answers: CapsAnswers,
    /// Ids of IQ requests the harness made on its own (pings, barriers),
    /// whose answers are automatic traffic too.
    pub automatic_requests: HashSet<String>,
}

impl StreamTask {
    /// Runs until the stream ends or the session is dropped.
    pub async fn run(mut self) {
        loop {
            tokio::select! {
                command = self.commands.recv() => match command {
                    Some(Command::Send { element, automatic, ack }) => {
                        let result = self.write(element, automatic).await;
                        let _ = ack.send(result);
                    }
                    Some(Command::Answer(answers)) => self.answers = answers,
                    Some(Command::Advertise(caps)) => {
                        let earlier = std::mem::replace(&mut self.caps, caps);
                        self.earlier_caps.push(earlier);
                    }
                    Some(Command::Close(done)) => {
                        self.close().await;
                        let _ = done.send(());
                        return;
                    }
                    None => return,
                },
                item = self.stream.next() => {
                    if let Some(reason) = self.on_read(item).await {
                        let _ = self.inbox.send(Inbound::Closed(reason));
                        return;
                    }
                }
            }
        }
    }

    async fn write(&mut self, element: Element, automatic: bool) -> Result<(), String> {
        if automatic
            && element.name() == "iq"
            && matches!(element.attr("type"), Some("get") | Some("set"))
            && let Some(id) = element.attr("id")
        {
            self.automatic_requests.insert(id.to_owned());
        }
        self.record(Direction::Out, &element, automatic);
        self.stream
            .send(&element)
            .await
            .map_err(|e| format!("writing: {e}"))
    }

    /// Handles one read; returns the reason when the stream is over.
    async fn on_read(&mut self, item: Option<Result<Element, ReadError>>) -> Option<String> {
        match item {
            Some(Ok(element)) => {
                let answer = self.automatic_answer(&element);
                let automatic = answer.is_some() || self.answers_automatic_request(&element);
                self.record(Direction::In, &element, automatic);
                if let Some(answer) = answer
                    && let Err(e) = self.write(answer, true).await
                {
                    return Some(e);
                }
                let _ = self.inbox.send(Inbound::Element(element));
                None
            }
            Some(Err(ReadError::SoftTimeout)) => None,
            Some(Err(ReadError::ParseError(e))) => Some(format!("unparsable XML: {e}")),
            Some(Err(ReadError::HardError(e))) => Some(format!("I/O error: {e}")),
            Some(Err(ReadError::StreamFooterReceived)) | None => {
                Some("the server closed the stream".into())
            }
        }
    }

    /// Whether `element` answers a request the harness made on its own.
    fn answers_automatic_request(&mut self, element: &Element) -> bool {
        element.name() == "iq"
            && matches!(element.attr("type"), Some("result") | Some("error"))
            && element
                .attr("id")
                .is_some_and(|id| self.automatic_requests.remove(id))
    }

    /// What the session answers on its own (see [`automatic_reply`]),
    /// counting the caps queries answered.
    fn automatic_answer(&self, element: &Element) -> Option<Element> {
        let known = std::iter::once(&self.caps).chain(self.earlier_caps.iter().rev());
        let reply = automatic_reply(element, self.answers, known)?;
        let caps_query = element
            .get_child("query", ns::DISCO_INFO)
            .is_some_and(|q| q.attr("node").is_some());
        if caps_query && reply.attr("type") == Some("result") {
            self.caps_answers.0.fetch_add(1, Ordering::SeqCst);
        }
        Some(reply)
    }

    async fn close(&mut self) {
        let _ = self.stream.shutdown().await;
        while let Some(item) = self.stream.next().await {
            match item {
                Ok(element) => {
                    // Not answered any more, but labelled as if it were, so
                    // that a push arriving just before or just after the
                    // close is recorded the same way.
                    let automatic = self.automatic_answer(&element).is_some()
                        || self.answers_automatic_request(&element);
                    self.record(Direction::In, &element, automatic)
                }
                Err(ReadError::SoftTimeout) => continue,
                Err(_) => break,
            }
        }
    }

    fn record(&self, direction: Direction, element: &Element, automatic: bool) {
        self.transcript.push(TranscriptEntry {
            at: self.origin.elapsed(),
            direction,
            element: element.clone(),
            automatic,
        });
    }
}
