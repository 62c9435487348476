//! A target ready for sessions: where it is, what it runs, and how fresh
//! accounts are had there.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::catalog::{Catalog, TargetDef};
use super::container::{self, DOMAIN, RunningContainer};
use super::error::TargetError;
use super::images;
use crate::session::{Account, Endpoint, SaslChoice, TlsMode, register};

/// What a report says about a target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TargetInfo {
    /// The target's name (`prosody-13`, or `external`).
    pub name: String,
    /// The server product, when known.
    pub server: String,
    /// The server version, when known.
    pub version: String,
    /// The image it runs from, for container targets.
    pub image: Option<String>,
}

/// A server the user runs, as given on the command line.
#[derive(Debug, Clone, Args)]
pub struct ExternalServer {
    /// `HOST:PORT` of an external server's client port.
    #[arg(long = "server", value_name = "HOST:PORT")]
    pub address: Option<String>,
    /// The XMPP domain it serves.
    #[arg(long, default_value = DOMAIN)]
    pub domain: String,
    /// How to secure the connection.
    #[arg(long, value_enum, default_value = "starttls")]
    pub tls: TlsMode,
    /// Accept a self-signed certificate.
    #[arg(long)]
    pub insecure: bool,
    /// Make accounts with in-band registration (XEP-0077).
    #[arg(long, conflicts_with = "accounts")]
    pub register: bool,
    /// A TOML file of pre-made accounts (`[[account]] username, password`).
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
}

enum AccountSource {
    Register,
    Pool(Mutex<VecDeque<Account>>),
}

/// A target whose server answers, with a way to get fresh accounts.
pub struct LiveTarget {
    /// Name, server and version.
    pub info: TargetInfo,
    /// How sessions reach it.
    pub endpoint: Endpoint,
    /// From asking for the container until the server answered (containers).
    pub ready_after: Option<Duration>,
    /// Cases this target takes at once, when limited.
    pub concurrency: Option<usize>,
    accounts: AccountSource,
    _container: Option<RunningContainer>,
}

impl LiveTarget {
    /// Starts a default target's container (its image must be built).
    pub async fn start(catalog: &Catalog, def: &TargetDef) -> Result<LiveTarget, TargetError> {
        let status = images::status(catalog, def).await?;
        if !status.built {
            return Err(TargetError::NotBuilt {
                target: def.name.clone(),
                image: status.image,
            });
        }
        let running = container::start(def).await?;
        Ok(LiveTarget {
            info: TargetInfo {
                name: def.name.clone(),
                server: def.server.clone(),
                version: status.version.unwrap_or_else(|| "unknown".into()),
                image: Some(status.image),
            },
            // Cases log in fast (plain TCP on loopback, PLAIN); see `secured`.
            endpoint: Endpoint {
                address: running.address.clone(),
                domain: DOMAIN.into(),
                tls: TlsMode::None,
                insecure: true,
                sasl: SaslChoice::Plain,
            },
            ready_after: Some(running.ready_after),
            concurrency: def.concurrency,
            accounts: AccountSource::Register,
            _container: Some(running),
        })
    }

    /// An external server; checks that it answers a stream header.
    pub async fn external(server: &ExternalServer) -> Result<LiveTarget, TargetError> {
        let address = server.address.clone().ok_or_else(|| {
            TargetError::Catalog("an external target needs --server HOST:PORT".into())
        })?;
        let accounts = match (&server.accounts, server.register) {
            (Some(path), _) => AccountSource::Pool(Mutex::new(read_accounts(path)?)),
            (None, true) => AccountSource::Register,
            (None, false) => {
                return Err(TargetError::Catalog(
                    "an external target needs --register or --accounts FILE".into(),
                ));
            }
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        container::wait_until_ready(&address, &server.domain, deadline)
            .await
            .map_err(|reason| TargetError::NotReady {
                target: "external".into(),
                reason,
            })?;
        Ok(LiveTarget {
            info: TargetInfo {
                name: "external".into(),
                server: format!("server at {address}"),
                version: "unknown".into(),
                image: None,
            },
            endpoint: Endpoint {
                address,
                domain: server.domain.clone(),
                tls: server.tls,
                insecure: server.insecure,
                sasl: SaslChoice::Strongest,
            },
            ready_after: None,
            concurrency: None,
            accounts,
            _container: None,
        })
    }

    /// The same target, logged in to as a careful client would: STARTTLS
    /// and the strongest SASL mechanism (container targets default to plain
    /// TCP and PLAIN on loopback, which is faster and changes no XEP's rules).
    pub fn secured(mut self) -> Self {
        if self.endpoint.tls == TlsMode::None {
            self.endpoint.tls = TlsMode::Starttls;
        }
        self.endpoint.sasl = SaslChoice::Strongest;
        self
    }

    /// A fresh account no other case uses: registered now, or taken from the
    /// pre-made pool.
    pub async fn fresh_account(&self) -> Result<Account, TargetError> {
        match &self.accounts {
            AccountSource::Register => {
                let account = Account {
                    username: format!("xs-{:012x}", rand::random::<u64>() & 0xffff_ffff_ffff),
                    password: format!("{:032x}", rand::random::<u128>()),
                };
                register(&self.endpoint, &account)
                    .await
                    .map_err(|e| TargetError::Account {
                        target: self.info.name.clone(),
                        reason: e.to_string(),
                    })?;
                Ok(account)
            }
            AccountSource::Pool(pool) => {
                pool.lock()
                    .await
                    .pop_front()
                    .ok_or_else(|| TargetError::Account {
                        target: self.info.name.clone(),
                        reason: "the accounts file has no unused account left".into(),
                    })
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    account: Vec<AccountEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountEntry {
    username: String,
    password: String,
}

fn read_accounts(path: &PathBuf) -> Result<VecDeque<Account>, TargetError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| TargetError::Catalog(format!("{}: {e}", path.display())))?;
    let file: AccountsFile = toml::from_str(&text)
        .map_err(|e| TargetError::Catalog(format!("{}: {e}", path.display())))?;
    Ok(file
        .account
        .into_iter()
        .map(|a| Account {
            username: a.username,
            password: a.password,
        })
        .collect())
}
