//! How a test sets up one session, the one way both the engine's actors and
//! the live fuzzing's bench do it: a resource of an account logs in
//! advertising its `+notify` interests in caps, then, when it is to be
//! present, sends available presence with those caps and waits until the
//! server has had its caps queries answered, so that the server's view of
//! its interests is settled before anything else is sent.

use std::fmt;
use std::time::Instant;

use crate::server::LiveTarget;
use crate::session::{
    Account, Answers, ClientCaps, DEFAULT_WAIT, Session, SessionError, SessionSpec,
};

/// One resource of an account about to log in.
pub struct Login<'a> {
    /// The account it logs in as.
    pub account: &'a Account,
    /// The resource it binds.
    pub resource: &'a str,
    /// The namespaces it wants notifications of (`+notify` in its caps).
    pub notify: &'a [String],
    /// Whether it sends available presence once bound.
    pub presence: bool,
    /// Transcript times count from here.
    pub origin: Instant,
}

/// How long the round trips that settle the logins' traffic may take,
/// before a case that checks silence starts its steps.
pub const LOGIN_SETTLE: std::time::Duration = std::time::Duration::from_secs(5);

/// Why a login did not end with a (present) session.
pub enum LoginError {
    /// The session did not open: connecting, TLS, authentication or bind.
    Open(SessionError),
    /// The session opened but its presence failed; the session is kept
    /// for its transcript.
    Presence(Session, SessionError),
}

impl LoginError {
    /// The session, when it opened before the failure.
    pub fn into_session(self) -> Option<Session> {
        match self {
            LoginError::Open(_) => None,
            LoginError::Presence(session, _) => Some(session),
        }
    }
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginError::Open(e) => write!(f, "{e}"),
            LoginError::Presence(_, e) => write!(f, "presence: {e}"),
        }
    }
}

/// What a session advertises: `+notify` for each namespace in `notify`.
pub fn notify_caps(notify: &[String]) -> ClientCaps {
    let features: Vec<String> = notify.iter().map(|ns| format!("{ns}+notify")).collect();
    ClientCaps::new(features.iter().map(String::as_str))
}

/// Opens `login`'s session on `target` and, when it is to be present,
/// sends its presence with caps (each wait bounded by [`DEFAULT_WAIT`]).
pub async fn log_in(target: &LiveTarget, login: Login<'_>) -> Result<Session, LoginError> {
    let caps = notify_caps(login.notify);
    log_in_with(target, login, caps, Answers::Auto).await
}

/// Like [`log_in`], advertising `caps` (instead of the ones `login.notify`
/// makes) and answering the server's requests as `answers` says. With
/// [`Answers::Scenario`] nothing waits for a caps query: the presence's
/// round trip is all, and the query is left for the steps.
pub async fn log_in_with(
    target: &LiveTarget,
    login: Login<'_>,
    caps: ClientCaps,
    answers: Answers,
) -> Result<Session, LoginError> {
    let spec = SessionSpec {
        endpoint: target.endpoint.clone(),
        account: login.account.clone(),
        resource: login.resource.to_owned(),
        caps: Some(caps.clone()),
        origin: login.origin,
    };
    let mut session = Session::open(spec).await.map_err(LoginError::Open)?;
    if answers != Answers::Auto
        && let Err(e) = session.set_answers(answers).await
    {
        return Err(LoginError::Presence(session, e));
    }
    if login.presence {
        let deadline = Instant::now() + DEFAULT_WAIT;
        if let Err(e) = session.send_presence(Some(&caps), deadline).await {
            return Err(LoginError::Presence(session, e));
        }
    }
    Ok(session)
}
