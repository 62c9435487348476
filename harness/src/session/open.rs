//! Opening sessions: in-band registration of a fresh account, and login with
//! tokio-xmpp's SASL layer followed by binding the resource we ask for.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use minidom::Element;

use crate::ns;
use crate::stanza::build::WithAttr;
use sasl::common::Credentials;
use tokio::sync::mpsc;
use tokio_xmpp::connect::ServerConnector;
use tokio_xmpp::jid::{BareJid, FullJid, Jid};
use tokio_xmpp::xmlstream::{FallibleStreamElement, ReadError, StreamHeader, Timeouts, XmlStream};

use super::answer::Answers;
use super::caps::ClientCaps;
use super::connect::{Endpoint, SaslChoice, SessionIo, TappedConnector};
use super::error::SessionError;
use super::task::{CapsAnswers, StreamTask};
use super::transcript::{Transcript, TranscriptEntry};
use super::wire::{Direction, SharedWireLog};
use super::{DEFAULT_WAIT, Session};

/// An account's credentials on a target's domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The localpart.
    pub username: String,
    /// The password (never logged).
    pub password: String,
}

impl Account {
    /// The account's bare JID on `domain`.
    pub fn jid(&self, domain: &str) -> Result<BareJid, SessionError> {
        BareJid::new(&format!("{}@{domain}", self.username))
            .map_err(|e| SessionError::Connect(format!("invalid JID: {e}")))
    }
}

fn timeouts() -> Timeouts {
    Timeouts {
        read_timeout: Duration::from_secs(60),
        response_timeout: Duration::from_secs(30),
    }
}

/// Sends `request` (an IQ with the id `id`) on a connection of its own,
/// before any login, and returns the server's answer: how XEP-0077's
/// registration and its form are asked for.
async fn before_login(
    endpoint: &Endpoint,
    request: Element,
    id: &str,
) -> Result<Element, SessionError> {
    let connector = TappedConnector::new(endpoint.clone(), Default::default(), Instant::now());
    let domain = Jid::new(&endpoint.domain)
        .map_err(|e| SessionError::Connect(format!("invalid domain: {e}")))?;
    let (pending, _) = connector
        .connect(&domain, ns::JABBER_CLIENT, timeouts())
        .await
        .map_err(SessionError::from_login)?;
    let (_, mut stream) = pending
        .recv_features::<Element>()
        .await
        .map_err(|e| SessionError::Connect(e.to_string()))?;
    stream
        .send(&request)
        .await
        .map_err(|e| SessionError::Register(e.to_string()))?;
    let answer = next_with_id(&mut stream, id, |_| ())
        .await
        .map_err(SessionError::Register)?;
    let _ = stream.shutdown().await;
    Ok(answer)
}

/// Creates `account` on the endpoint's server with XEP-0077 in-band
/// registration, on a connection of its own.
pub async fn register(endpoint: &Endpoint, account: &Account) -> Result<(), SessionError> {
    let iq = Element::builder("iq", ns::JABBER_CLIENT)
        .with("type", "set")
        .with("id", "register-1")
        .append(
            Element::builder("query", ns::REGISTER)
                .append(
                    Element::builder("username", ns::REGISTER).append(account.username.as_str()),
                )
                .append(
                    Element::builder("password", ns::REGISTER).append(account.password.as_str()),
                ),
        )
        .build();
    let answer = tokio::time::timeout(DEFAULT_WAIT, before_login(endpoint, iq, "register-1"))
        .await
        .unwrap_or_else(|_| Err(SessionError::Timeout("in-band registration".into())))?;
    match answer.attr("type") {
        Some("result") => Ok(()),
        _ => Err(SessionError::Register(format!(
            "server answered: {}",
            String::from(&answer)
        ))),
    }
}

/// Asks the endpoint's server for its XEP-0077 registration form, on a
/// connection of its own, without registering: `Ok(None)` when it offers
/// one, `Ok(Some(answer))` with the error it answered instead (registration
/// closed), `Err` when it could not be asked.
pub async fn registration_refusal(endpoint: &Endpoint) -> Result<Option<String>, SessionError> {
    let iq = Element::builder("iq", ns::JABBER_CLIENT)
        .with("type", "get")
        .with("id", "register-form")
        .append(Element::builder("query", ns::REGISTER))
        .build();
    let answer = tokio::time::timeout(DEFAULT_WAIT, before_login(endpoint, iq, "register-form"))
        .await
        .unwrap_or_else(|_| Err(SessionError::Timeout("the registration form".into())))?;
    Ok(match answer.attr("type") {
        Some("result") => None,
        _ => Some(String::from(&answer)),
    })
}

/// What to open a session with.
#[derive(Debug, Clone)]
pub struct SessionSpec {
    /// Where the server is.
    pub endpoint: Endpoint,
    /// Whose session it is.
    pub account: Account,
    /// The resource to ask for (the server may assign another).
    pub resource: String,
    /// What the client advertises in caps and answers in disco#info.
    pub caps: Option<ClientCaps>,
    /// Where transcript and wire-log timestamps count from.
    pub origin: Instant,
}

impl Session {
    /// Connects, authenticates and binds, all within [`DEFAULT_WAIT`].
    pub async fn open(spec: SessionSpec) -> Result<Session, SessionError> {
        tokio::time::timeout(DEFAULT_WAIT, Self::open_unbounded(spec))
            .await
            .unwrap_or_else(|_| Err(SessionError::Timeout("login and resource binding".into())))
    }

    async fn open_unbounded(spec: SessionSpec) -> Result<Session, SessionError> {
        let wire = SharedWireLog::default();
        let connector = TappedConnector::new(spec.endpoint.clone(), wire.clone(), spec.origin);
        let bare = spec.account.jid(&spec.endpoint.domain)?;
        let (pending, binding) = connector
            .connect(&Jid::from(bare.clone()), ns::JABBER_CLIENT, timeouts())
            .await
            .map_err(SessionError::from_login)?;
        let (features, stream) = pending
            .recv_features::<FallibleStreamElement>()
            .await
            .map_err(|e| SessionError::Connect(e.to_string()))?;
        let credentials = Credentials::default()
            .with_username(spec.account.username.clone())
            .with_password(spec.account.password.clone())
            .with_channel_binding(binding);
        let mut mechanisms = features.sasl_mechanisms;
        if spec.endpoint.sasl == SaslChoice::Plain && mechanisms.contains("PLAIN") {
            mechanisms.retain(|m| m == "PLAIN");
        }
        let restarting = tokio_xmpp::client_login(stream, mechanisms, credentials)
            .await
            .map_err(SessionError::from_login)?;
        // From here on nothing secret crosses the wire: record every byte.
        if let Ok(mut log) = wire.lock() {
            log.set_recording(true);
        }
        let header = StreamHeader {
            to: Some(Cow::Owned(spec.endpoint.domain.clone())),
            from: None,
            id: None,
        };
        let (_, mut stream) = restarting
            .send_header(header)
            .await
            .map_err(|e| SessionError::Connect(e.to_string()))?
            .recv_features::<Element>()
            .await
            .map_err(|e| SessionError::Connect(e.to_string()))?;

        let transcript = Transcript::default();
        let jid = bind(&mut stream, &spec.resource, &transcript, spec.origin).await?;
        let (commands, command_rx) = mpsc::channel(16);
        let (inbox_tx, inbox) = mpsc::unbounded_channel();
        let caps_answers = CapsAnswers::default();
        let task = StreamTask {
            stream,
            commands: command_rx,
            inbox: inbox_tx,
            transcript: transcript.clone(),
            origin: spec.origin,
            caps: spec.caps.unwrap_or_else(|| ClientCaps::new([])),
            earlier_caps: Vec::new(),
            answers: Answers::Auto,
            caps_answers: caps_answers.clone(),
            automatic_requests: Default::default(),
        };
        Ok(Session {
            jid,
            commands,
            inbox,
            unclaimed: Default::default(),
            closed: None,
            transcript,
            wire,
            caps_answers,
            answers: Answers::Auto,
            task: tokio::spawn(task.run()),
            next_id: 0,
        })
    }
}

/// RFC 6120 §7 resource binding, recorded in the transcript.
async fn bind(
    stream: &mut XmlStream<SessionIo, Element>,
    resource: &str,
    transcript: &Transcript,
    origin: Instant,
) -> Result<FullJid, SessionError> {
    let request = Element::builder("iq", ns::JABBER_CLIENT)
        .with("type", "set")
        .with("id", "bind-1")
        .append(
            Element::builder("bind", ns::BIND)
                .append(Element::builder("resource", ns::BIND).append(resource)),
        )
        .build();
    let record = |direction, element: &Element| {
        transcript.push(TranscriptEntry {
            at: origin.elapsed(),
            direction,
            element: element.clone(),
            automatic: true,
        })
    };
    record(Direction::Out, &request);
    stream
        .send(&request)
        .await
        .map_err(|e| SessionError::Bind(e.to_string()))?;
    let answer = next_with_id(stream, "bind-1", |el| record(Direction::In, el))
        .await
        .map_err(SessionError::Bind)?;
    let jid = answer
        .get_child("bind", ns::BIND)
        .and_then(|b| b.get_child("jid", ns::BIND))
        .map(|j| j.text())
        .ok_or_else(|| SessionError::Bind(format!("server answered: {}", String::from(&answer))))?;
    FullJid::new(jid.trim()).map_err(|e| SessionError::Bind(format!("bound JID {jid:?}: {e}")))
}

/// Reads until the stanza with `id` arrives; every element read, that one
/// included, is shown to `seen`.
async fn next_with_id(
    stream: &mut XmlStream<SessionIo, Element>,
    id: &str,
    mut seen: impl FnMut(&Element),
) -> Result<Element, String> {
    loop {
        match stream.next().await {
            Some(Ok(el)) => {
                seen(&el);
                if el.attr("id") == Some(id) {
                    return Ok(el);
                }
            }
            Some(Err(ReadError::SoftTimeout)) => continue,
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err("the server closed the stream".into()),
        }
    }
}
