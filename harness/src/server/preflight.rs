//! Checks made once, before any case runs on an external server, so that a
//! run that cannot work stops with one message the user can act on instead
//! of an `error` cell per case: where accounts come from and whether there
//! are enough, whether the server answers, whether its certificate is
//! accepted, and (with an accounts file) whether its first account logs in.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use minidom::Element;
use thiserror::Error;
use tokio::net::TcpStream;
use tokio_xmpp::connect::ServerConnector;
use tokio_xmpp::jid::Jid;
use tokio_xmpp::xmlstream::Timeouts;

use super::accounts::read_accounts;
use super::container::stream_features;
use super::external::{AccountSupply, ExternalTarget};
use crate::session::{
    Session, SessionError, SessionSpec, TappedConnector, TlsMode, registration_refusal,
};

/// How long each network stage of the preflight may take.
#[derive(Debug, Clone, Copy)]
pub struct PreflightLimits {
    /// The TCP connection.
    pub connect: Duration,
    /// Each answer after it (stream features, TLS, login).
    pub answer: Duration,
}

impl Default for PreflightLimits {
    fn default() -> Self {
        PreflightLimits {
            connect: Duration::from_secs(5),
            answer: Duration::from_secs(10),
        }
    }
}

/// Why a run on an external server cannot start; the message says what to
/// change.
#[derive(Debug, Error)]
pub enum PreflightError {
    /// Neither registration nor an accounts file was asked for.
    #[error(
        "{target}: no way to get accounts: pass --register (in-band registration, XEP-0077) \
         or --accounts FILE (pre-made accounts), or set `register = true` or \
         `accounts = \"FILE\"` on the target in the targets file"
    )]
    NoAccounts {
        /// The target.
        target: String,
    },
    /// The accounts file cannot be read.
    #[error("{target}: {reason}")]
    AccountsFile {
        /// The target.
        target: String,
        /// Why, naming the file.
        reason: String,
    },
    /// The accounts file has fewer accounts than the run uses at once.
    #[error(
        "{target}: this run needs {needed} accounts, the file has {have} ({}); add accounts \
         to it, or run fewer cases at once (--jobs N, or `concurrency` on the target in the \
         targets file)",
        file.display()
    )]
    ShortAccounts {
        /// The target.
        target: String,
        /// The accounts file.
        file: PathBuf,
        /// Accounts the run uses at once.
        needed: usize,
        /// Accounts in the file.
        have: usize,
    },
    /// TLS failed because the client does not accept the certificate.
    #[error(
        "{target}: the certificate of the server at {address} is not accepted ({reason}); \
         for a test server with a self-signed certificate pass --insecure, or set \
         `insecure = true` on the target in the targets file"
    )]
    Certificate {
        /// The target.
        target: String,
        /// Where it was reached.
        address: String,
        /// The TLS library's words.
        reason: String,
    },
    /// The server could not be reached or did not speak XMPP.
    #[error("{target}: cannot reach {address}: {tried}")]
    Unreachable {
        /// The target.
        target: String,
        /// Where it was tried.
        address: String,
        /// What was tried and how far it got.
        tried: String,
    },
    /// In-band registration was asked for, but the server refuses it.
    #[error(
        "{target}: the server at {address} does not let clients register accounts (it \
         answered the XEP-0077 form request with {answer}); make accounts on it and pass \
         --accounts FILE, or set `accounts = \"FILE\"` on the target in the targets file"
    )]
    RegistrationClosed {
        /// The target.
        target: String,
        /// Where it was asked.
        address: String,
        /// The server's answer.
        answer: String,
    },
    /// The first account of the file does not log in.
    #[error("{target}: logging in as {jid} failed: {reason}; check the accounts file")]
    Login {
        /// The target.
        target: String,
        /// The account tried.
        jid: String,
        /// Why.
        reason: String,
    },
}

/// Checks `target` before a run that uses `needed` accounts at once (see
/// `scenario::accounts_needed`): account source, server reachable, TLS
/// accepted, and a login when accounts come from a file, or the
/// registration form offered when they are registered.
pub async fn preflight(
    target: &ExternalTarget,
    needed: usize,
    limits: &PreflightLimits,
) -> Result<(), PreflightError> {
    let first = check_accounts(target, needed)?;
    let mut check = Check { target, limits };
    check.stream_answers().await?;
    if target.tls != TlsMode::None {
        check.tls_accepted().await?;
    }
    match first {
        Some(account) => check.login(account).await,
        None => check.registration_open().await,
    }
}

/// The account source, offline: returns the file's first account, if any.
fn check_accounts(
    target: &ExternalTarget,
    needed: usize,
) -> Result<Option<crate::session::Account>, PreflightError> {
    let path = match &target.accounts {
        None => {
            return Err(PreflightError::NoAccounts {
                target: target.name.clone(),
            });
        }
        Some(AccountSupply::Register) => return Ok(None),
        Some(AccountSupply::File(path)) => path,
    };
    let accounts = read_accounts(path).map_err(|e| PreflightError::AccountsFile {
        target: target.name.clone(),
        reason: e.to_string(),
    })?;
    if accounts.len() < needed.max(1) {
        return Err(PreflightError::ShortAccounts {
            target: target.name.clone(),
            file: path.clone(),
            needed: needed.max(1),
            have: accounts.len(),
        });
    }
    Ok(accounts.into_iter().next())
}

struct Check<'a> {
    target: &'a ExternalTarget,
    limits: &'a PreflightLimits,
}

impl Check<'_> {
    fn unreachable(&self, tried: String) -> PreflightError {
        PreflightError::Unreachable {
            target: self.target.name.clone(),
            address: self.target.address.clone(),
            tried,
        }
    }

    /// TCP, then (without direct TLS) a stream header answered with
    /// stream features.
    async fn stream_answers(&mut self) -> Result<(), PreflightError> {
        let address = &self.target.address;
        let secs = |d: Duration| d.as_secs_f64();
        let mut tcp =
            match tokio::time::timeout(self.limits.connect, TcpStream::connect(address)).await {
                Ok(Ok(tcp)) => tcp,
                Ok(Err(e)) => return Err(self.unreachable(format!("TCP connect failed: {e}"))),
                Err(_) => {
                    let took = secs(self.limits.connect);
                    return Err(self.unreachable(format!("TCP connect: no answer within {took} s")));
                }
            };
        if self.target.tls == TlsMode::Direct {
            return Ok(());
        }
        let answer = stream_features(&mut tcp, &self.target.domain);
        match tokio::time::timeout(self.limits.answer, answer).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => {
                Err(self.unreachable(format!("TCP connected, stream header sent, then: {e}")))
            }
            Err(_) => Err(self.unreachable(format!(
                "TCP connected, stream header sent, but no stream features within {} s",
                secs(self.limits.answer)
            ))),
        }
    }

    /// STARTTLS or direct TLS as the sessions do it, up to the stream
    /// features after TLS.
    async fn tls_accepted(&mut self) -> Result<(), PreflightError> {
        let endpoint = self.target.endpoint();
        let connector = TappedConnector::new(endpoint, Default::default(), Instant::now());
        let domain = Jid::new(&self.target.domain).map_err(|e| {
            self.unreachable(format!(
                "the domain {:?} is not a JID: {e}",
                self.target.domain
            ))
        })?;
        let timeouts = Timeouts {
            read_timeout: self.limits.answer,
            response_timeout: self.limits.answer,
        };
        let work = async {
            let (pending, _) = connector
                .connect(&domain, crate::ns::JABBER_CLIENT, timeouts)
                .await?;
            pending.recv_features::<Element>().await?;
            Ok::<(), tokio_xmpp::Error>(())
        };
        let stage = match self.target.tls {
            TlsMode::Direct => "direct TLS",
            _ => "STARTTLS",
        };
        match tokio::time::timeout(self.limits.answer * 2, work).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(self.tls_failure(stage, &e.to_string())),
            Err(_) => Err(self.unreachable(format!(
                "{stage}: no stream features within {} s",
                (self.limits.answer * 2).as_secs_f64()
            ))),
        }
    }

    fn tls_failure(&self, stage: &str, reason: &str) -> PreflightError {
        if is_certificate_problem(reason) {
            PreflightError::Certificate {
                target: self.target.name.clone(),
                address: self.target.address.clone(),
                reason: reason.to_owned(),
            }
        } else {
            self.unreachable(format!("TCP connected, {stage} failed: {reason}"))
        }
    }

    /// The server offers the registration form (nothing is registered).
    async fn registration_open(&mut self) -> Result<(), PreflightError> {
        match registration_refusal(&self.target.endpoint()).await {
            Ok(None) => Ok(()),
            Ok(Some(answer)) => Err(PreflightError::RegistrationClosed {
                target: self.target.name.clone(),
                address: self.target.address.clone(),
                answer,
            }),
            Err(e) => Err(self.tls_failure("asking for the registration form", &e.to_string())),
        }
    }

    /// One login with the file's first account.
    async fn login(&mut self, account: crate::session::Account) -> Result<(), PreflightError> {
        let jid = format!("{}@{}", account.username, self.target.domain);
        let spec = SessionSpec {
            endpoint: self.target.endpoint(),
            account,
            resource: "xepspec-preflight".into(),
            caps: None,
            origin: Instant::now(),
        };
        match Session::open(spec).await {
            Ok(session) => {
                session.close(Instant::now() + self.limits.answer).await;
                Ok(())
            }
            Err(SessionError::Auth(reason)) => Err(PreflightError::Login {
                target: self.target.name.clone(),
                jid,
                reason,
            }),
            Err(e) => Err(self.tls_failure("login", &e.to_string())),
        }
    }
}

/// Whether a TLS failure's text says the peer's certificate was refused
/// (rustls: "invalid peer certificate: UnknownIssuer", "…: NotValidForName",
/// "…: Other(OtherError(CaUsedAsEndEntity))", …).
fn is_certificate_problem(reason: &str) -> bool {
    reason.contains("invalid peer certificate") || reason.contains("certificate unknown")
}

#[cfg(test)]
#[path = "preflight_tests.rs"]
mod tests;
