//! A target ready for sessions: where it is, what it runs, and how fresh
//! accounts are had there.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::accounts::{AccountLease, AccountPool, LEASE_WAIT, read_accounts};
use super::catalog::{Catalog, TargetDef};
use super::container::{self, DOMAIN, RunningContainer};
use super::error::TargetError;
use super::external::{AccountSupply, ExternalTarget};
use super::images;
use super::premade::{PremadeAccount, PremadeLease, PremadePool};
use crate::session::{Account, Endpoint, SaslChoice, TlsMode, register};

/// What a report says about a target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TargetInfo {
    /// The target's name (`prosody-13`, or an external server's own name).
    pub name: String,
    /// The server product, when known.
    pub server: String,
    /// The server version, when known.
    pub version: String,
    /// The image it runs from, for container targets.
    pub image: Option<String>,
}

enum AccountSource {
    Register,
    Pool(AccountPool),
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
    /// The services it runs beside the domain, by kind (`pubsub`, `muc`).
    pub services: BTreeMap<String, String>,
    accounts: AccountSource,
    premade: PremadePool,
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
            services: def.services.clone(),
            accounts: AccountSource::Register,
            premade: PremadePool::new(def.accounts.clone(), LEASE_WAIT),
            _container: Some(running),
        })
    }

    /// An external server, under its own name; checks that it answers a
    /// stream header (run [`super::preflight`] first for messages a user
    /// can act on).
    pub async fn external(server: &ExternalTarget) -> Result<LiveTarget, TargetError> {
        let accounts = match &server.accounts {
            Some(AccountSupply::File(path)) => {
                AccountSource::Pool(AccountPool::new(read_accounts(path)?, LEASE_WAIT))
            }
            Some(AccountSupply::Register) => AccountSource::Register,
            None => {
                return Err(TargetError::Catalog(format!(
                    "{}: an external target needs --register or --accounts FILE",
                    server.name
                )));
            }
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        container::wait_until_ready(&server.address, &server.domain, deadline)
            .await
            .map_err(|reason| TargetError::NotReady {
                target: server.name.clone(),
                reason,
            })?;
        Ok(LiveTarget {
            info: TargetInfo {
                name: server.name.clone(),
                server: format!("server at {}", server.address),
                version: "unknown".into(),
                image: None,
            },
            endpoint: server.endpoint(),
            ready_after: None,
            concurrency: server.concurrency,
            services: server.services.clone(),
            accounts,
            premade: PremadePool::new(server.premade.clone(), LEASE_WAIT),
            _container: None,
        })
    }

    /// A target no session will reach (`domain` at a closed address), for
    /// tests of what is computed before anything connects.
    #[cfg(test)]
    pub(crate) fn unreachable(domain: &str) -> LiveTarget {
        LiveTarget {
            info: TargetInfo {
                name: "offline".into(),
                server: "none".into(),
                version: "unknown".into(),
                image: None,
            },
            endpoint: Endpoint {
                address: "127.0.0.1:9".into(),
                domain: domain.into(),
                tls: TlsMode::None,
                insecure: true,
                sasl: SaslChoice::Plain,
            },
            ready_after: None,
            concurrency: None,
            services: BTreeMap::new(),
            accounts: AccountSource::Register,
            premade: PremadePool::new(Vec::new(), LEASE_WAIT),
            _container: None,
        }
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

    /// A fresh account no other case uses, made with in-band registration
    /// (targets whose accounts come from a file lease them instead, see
    /// [`LiveTarget::lease_accounts`]).
    pub async fn fresh_account(&self) -> Result<Account, TargetError> {
        match &self.accounts {
            AccountSource::Register => self.register_one().await,
            AccountSource::Pool(_) => Err(TargetError::Account {
                target: self.info.name.clone(),
                reason: "accounts from a file are leased per case (lease_accounts)".into(),
            }),
        }
    }

    /// `n` accounts for one case: registered now, or leased from the
    /// accounts file's pool (waiting while too few are free) and given back
    /// when the lease is dropped.
    pub async fn lease_accounts(&self, n: usize) -> Result<AccountLease, TargetError> {
        match &self.accounts {
            AccountSource::Register => {
                let made = futures::future::join_all((0..n).map(|_| self.register_one())).await;
                let accounts = made.into_iter().collect::<Result<Vec<_>, _>>()?;
                Ok(AccountLease::fresh(accounts))
            }
            AccountSource::Pool(pool) => {
                pool.lease(n).await.map_err(|reason| TargetError::Account {
                    target: self.info.name.clone(),
                    reason,
                })
            }
        }
    }

    /// The accounts the target has from the start, with their roles.
    pub fn premade_accounts(&self) -> &[PremadeAccount] {
        self.premade.accounts()
    }

    /// One pre-made account for each of `roles`, held by this case alone
    /// until the lease is dropped (waiting while other cases hold them).
    pub async fn lease_roles(&self, roles: &[&str]) -> Result<PremadeLease, TargetError> {
        if roles.is_empty() {
            return Ok(PremadeLease::none());
        }
        self.premade
            .lease(roles)
            .await
            .map_err(|reason| TargetError::Account {
                target: self.info.name.clone(),
                reason,
            })
    }

    async fn register_one(&self) -> Result<Account, TargetError> {
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
}
