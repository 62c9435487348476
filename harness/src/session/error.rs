//! Why a session could not be opened or used.

use thiserror::Error;

/// A session failure; each names the stage it happened in.
#[derive(Debug, Error)]
pub enum SessionError {
    /// TCP, TLS or the stream negotiation failed.
    #[error("connecting: {0}")]
    Connect(String),
    /// SASL failed (wrong credentials, no common mechanism).
    #[error("authenticating: {0}")]
    Auth(String),
    /// The server did not bind the resource.
    #[error("binding a resource: {0}")]
    Bind(String),
    /// In-band registration was refused.
    #[error("registering an account: {0}")]
    Register(String),
    /// A bounded wait ran out.
    #[error("timed out waiting for {0}")]
    Timeout(String),
    /// The server answered, but not as it should have.
    #[error("unexpected answer: {0}")]
    Unexpected(String),
    /// The stream was closed or broke.
    #[error("stream closed: {0}")]
    Closed(String),
}

impl SessionError {
    /// Classifies a tokio-xmpp error from the login layer.
    pub(crate) fn from_login(e: tokio_xmpp::Error) -> Self {
        match e {
            tokio_xmpp::Error::Auth(e) => SessionError::Auth(e.to_string()),
            other => SessionError::Connect(other.to_string()),
        }
    }
}
