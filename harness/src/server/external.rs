//! A server the user runs: its name, where it listens, how to reach it and
//! where its accounts come from. Declared in a targets file (see
//! [`super::targets_file`]) or given once with `--server HOST:PORT`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::premade::PremadeAccount;

use crate::session::{Endpoint, SaslChoice, TlsMode};

/// The name of a server given with `--server` and no `--name`.
pub const ONE_OFF_NAME: &str = "external";

/// Where the accounts of a run on an external server come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountSupply {
    /// In-band registration (XEP-0077): fresh accounts for every case.
    Register,
    /// A TOML file of pre-made accounts (`[[account]] username, password`),
    /// leased to cases and cleaned after each.
    File(PathBuf),
}

/// An external server, as a targets file or the command line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalTarget {
    /// The name used in reports, known failures and snapshots.
    pub name: String,
    /// `host:port` of its client (c2s) port.
    pub address: String,
    /// The XMPP domain it serves.
    pub domain: String,
    /// How the connection is secured.
    pub tls: TlsMode,
    /// Accept a certificate that does not verify (self-signed test servers).
    pub insecure: bool,
    /// Where accounts come from; `None` when nothing said (a preflight error).
    pub accounts: Option<AccountSupply>,
    /// This target's known failures (the targets file's `known_failures`).
    pub known_failures: Option<PathBuf>,
    /// This target's snapshot folder (the targets file's `snapshots`).
    pub snapshots: Option<PathBuf>,
    /// At most this many cases at once on this target.
    pub concurrency: Option<usize>,
    /// Where it was declared (`FILE:LINE`), for messages; `None` for
    /// `--server`.
    pub declared_at: Option<String>,
    /// The services it runs beside the domain, by kind (`pubsub`, `muc`).
    pub services: BTreeMap<String, String>,
    /// Its pre-made accounts with roles (`[[target.account]]`).
    pub premade: Vec<PremadeAccount>,
}

impl ExternalTarget {
    /// A one-off server at `address` serving `domain`, named `external`,
    /// over STARTTLS, with no account source yet.
    pub fn one_off(address: &str, domain: &str) -> ExternalTarget {
        ExternalTarget {
            name: ONE_OFF_NAME.into(),
            address: address.into(),
            domain: domain.into(),
            tls: TlsMode::Starttls,
            insecure: false,
            accounts: None,
            known_failures: None,
            snapshots: None,
            concurrency: None,
            declared_at: None,
            services: BTreeMap::new(),
            premade: Vec::new(),
        }
    }

    /// How sessions reach it: as a careful client, with the strongest SASL
    /// mechanism both sides have.
    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            address: self.address.clone(),
            domain: self.domain.clone(),
            tls: self.tls,
            insecure: self.insecure,
            sasl: SaslChoice::Strongest,
        }
    }

    /// Whether accounts come from a file (and so are reused and cleaned).
    pub fn accounts_file(&self) -> Option<&PathBuf> {
        match &self.accounts {
            Some(AccountSupply::File(path)) => Some(path),
            _ => None,
        }
    }
}
