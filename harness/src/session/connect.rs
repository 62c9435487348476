//! Reaching a server: TCP, then no TLS, STARTTLS or direct TLS, through a
//! [`Tap`] so every byte after authentication is on record. Implements
//! tokio-xmpp's [`ServerConnector`], so its login layer runs on top.

use std::borrow::Cow;
use std::fmt;
use std::time::Instant;

use futures::{SinkExt, StreamExt};
use minidom::Element;
use sasl::common::ChannelBinding;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, BufStream};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_xmpp::connect::ServerConnector;
use tokio_xmpp::jid::Jid;
use tokio_xmpp::rustls::RootCertStore;
use tokio_xmpp::rustls::pki_types::ServerName;
use tokio_xmpp::xmlstream::{
    PendingFeaturesRecv, ReadError, StreamHeader, Timeouts, initiate_stream,
};

use super::tls::{TlsMode, client_config};
use super::wire::{SharedWireLog, Tap};
use crate::ns;

/// Any byte stream a session can run on (TCP, or TLS over TCP).
pub trait ByteStream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> ByteStream for T {}

/// The I/O object under every XML stream of a session.
pub type SessionIo = BufStream<Tap<Box<dyn ByteStream>>>;

/// Where a server's client port is and how to talk to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// `host:port` of the c2s listener.
    pub address: String,
    /// The XMPP domain served there (`capulet.lit`).
    pub domain: String,
    /// How the connection is secured.
    pub tls: TlsMode,
    /// Accept any certificate (self-signed test servers).
    pub insecure: bool,
    /// Which SASL mechanisms the login may use.
    pub sasl: SaslChoice,
}

/// Which SASL mechanisms a session may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SaslChoice {
    /// The strongest both sides have (SCRAM-SHA-256, SCRAM-SHA-1, PLAIN).
    Strongest,
    /// PLAIN when the server offers it: on loopback to a test server it
    /// saves the PBKDF2 rounds of SCRAM on every login.
    Plain,
}

/// A tokio-xmpp connector for one [`Endpoint`], recording into a wire log.
#[derive(Clone)]
pub struct TappedConnector {
    endpoint: Endpoint,
    log: SharedWireLog,
    origin: Instant,
}

impl fmt::Debug for TappedConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TappedConnector")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl TappedConnector {
    /// A connector for `endpoint` whose bytes go to `log`, timed from `origin`.
    pub fn new(endpoint: Endpoint, log: SharedWireLog, origin: Instant) -> Self {
        TappedConnector {
            endpoint,
            log,
            origin,
        }
    }

    fn tap(&self, stream: Box<dyn ByteStream>) -> SessionIo {
        BufStream::new(Tap::new(stream, self.log.clone(), self.origin))
    }

    async fn tls_handshake(
        &self,
        stream: Box<dyn ByteStream>,
    ) -> Result<Box<dyn ByteStream>, tokio_xmpp::Error> {
        let roots = if self.endpoint.insecure {
            RootCertStore::empty()
        } else {
            native_roots()
        };
        let config = client_config(self.endpoint.insecure, roots);
        let name = ServerName::try_from(self.endpoint.domain.clone())
            .map_err(|e| io_error(format!("domain is not a valid TLS server name: {e}")))?;
        let tls = TlsConnector::from(config).connect(name, stream).await?;
        Ok(Box::new(tls))
    }

    async fn starttls(
        &self,
        stream: Box<dyn ByteStream>,
        header: StreamHeader<'_>,
        timeouts: Timeouts,
    ) -> Result<Box<dyn ByteStream>, tokio_xmpp::Error> {
        let pending =
            initiate_stream(self.tap(stream), ns::JABBER_CLIENT, header, timeouts).await?;
        let (features, mut xml) = pending.recv_features::<Element>().await?;
        if !features.can_starttls() {
            return Err(tokio_xmpp::Error::Protocol(
                tokio_xmpp::error::ProtocolError::NoTls,
            ));
        }
        xml.send(&Element::builder("starttls", ns::TLS).build())
            .await?;
        loop {
            match xml.next().await {
                Some(Ok(el)) if el.is("proceed", ns::TLS) => break,
                Some(Ok(el)) if el.is("failure", ns::TLS) => {
                    return Err(io_error("server refused STARTTLS".into()));
                }
                Some(Ok(_)) | Some(Err(ReadError::SoftTimeout)) => continue,
                Some(Err(e)) => return Err(io_error(format!("during STARTTLS: {e}"))),
                None => return Err(tokio_xmpp::Error::Disconnected),
            }
        }
        let plain = xml.into_inner().into_inner().into_inner();
        self.tls_handshake(plain).await
    }
}

impl ServerConnector for TappedConnector {
    type Stream = SessionIo;

    async fn connect(
        &self,
        jid: &Jid,
        ns: &'static str,
        timeouts: Timeouts,
    ) -> Result<(PendingFeaturesRecv<SessionIo>, ChannelBinding), tokio_xmpp::Error> {
        let tcp = TcpStream::connect(&self.endpoint.address).await?;
        tcp.set_nodelay(true)?;
        let tcp: Box<dyn ByteStream> = Box::new(tcp);
        let header = || StreamHeader {
            to: Some(Cow::Owned(jid.domain().to_string())),
            from: None,
            id: None,
        };
        let stream = match self.endpoint.tls {
            TlsMode::None => tcp,
            TlsMode::Direct => self.tls_handshake(tcp).await?,
            TlsMode::Starttls => self.starttls(tcp, header(), timeouts).await?,
        };
        let pending = initiate_stream(self.tap(stream), ns, header(), timeouts).await?;
        Ok((pending, ChannelBinding::None))
    }
}

fn native_roots() -> RootCertStore {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    roots
}

fn io_error(message: String) -> tokio_xmpp::Error {
    tokio_xmpp::Error::Io(std::io::Error::other(message))
}
