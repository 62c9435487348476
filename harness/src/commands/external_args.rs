//! The command-line flags that name an external server (`--server`,
//! `--targets-file`, …), and turning them into the library's
//! [`ExternalTarget`]s.

use std::path::PathBuf;

use clap::Args;

use crate::server::container::DOMAIN;
use crate::server::{
    AccountSupply, Catalog, ChosenTarget, ExternalTarget, TargetsFile, load_targets_file,
    resolve_target, resolve_targets,
};
use crate::session::TlsMode;

/// `--tls` values: how the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TlsArg {
    /// Plain TCP, no TLS at all (test servers only).
    None,
    /// RFC 6120 STARTTLS on the c2s port.
    Starttls,
    /// TLS from the first byte (XEP-0368 direct TLS).
    Direct,
}

impl From<TlsArg> for TlsMode {
    fn from(arg: TlsArg) -> TlsMode {
        match arg {
            TlsArg::None => TlsMode::None,
            TlsArg::Starttls => TlsMode::Starttls,
            TlsArg::Direct => TlsMode::Direct,
        }
    }
}

/// A server the user runs: a one-off `--server HOST:PORT`, or targets named
/// with `--target` in a targets file.
#[derive(Debug, Clone, Args)]
pub struct ExternalArgs {
    /// `HOST:PORT` of an external server's client port (a one-off target
    /// named `external`, or `--name`).
    #[arg(long = "server", value_name = "HOST:PORT")]
    pub address: Option<String>,
    /// The name a `--server` target goes by in reports.
    #[arg(long, value_name = "NAME", requires = "address")]
    pub name: Option<String>,
    /// The XMPP domain it serves.
    #[arg(long, default_value = DOMAIN)]
    pub domain: String,
    /// How to secure the connection.
    #[arg(long, value_enum, default_value = "starttls")]
    pub tls: TlsArg,
    /// Accept a self-signed certificate.
    #[arg(long)]
    pub insecure: bool,
    /// Make accounts with in-band registration (XEP-0077).
    #[arg(long, conflicts_with = "accounts")]
    pub register: bool,
    /// A TOML file of pre-made accounts (`[[account]] username, password`),
    /// reused from case to case and cleaned after each.
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
    /// The file of named targets (default: `xepspec.toml` here, if there).
    #[arg(long, value_name = "FILE")]
    pub targets_file: Option<PathBuf>,
}

impl ExternalArgs {
    /// The `--server` target, if one was given.
    pub fn one_off(&self) -> Option<ExternalTarget> {
        let address = self.address.as_ref()?;
        let mut target = ExternalTarget::one_off(address, &self.domain);
        if let Some(name) = &self.name {
            target.name = name.clone();
        }
        target.tls = self.tls.into();
        Some(self.applied_to(target))
    }

    /// `target` with the account source and `--insecure` given on the
    /// command line, which win over the targets file's.
    pub fn applied_to(&self, mut target: ExternalTarget) -> ExternalTarget {
        target.insecure |= self.insecure;
        if self.register {
            target.accounts = Some(AccountSupply::Register);
        }
        if let Some(file) = &self.accounts {
            target.accounts = Some(AccountSupply::File(file.clone()));
        }
        target
    }

    /// The targets file: `--targets-file`, else `xepspec.toml` here.
    pub fn targets_file(&self) -> Result<Option<TargetsFile>, String> {
        load_targets_file(self.targets_file.as_deref()).map_err(|e| e.to_string())
    }

    /// The targets `names` mean (see [`resolve_targets`]), or the one-off
    /// `--server` target; command-line account flags apply to own targets.
    pub fn chosen(&self, names: &[String], catalog: &Catalog) -> Result<Vec<ChosenTarget>, String> {
        if let Some(target) = self.one_off() {
            return Ok(vec![ChosenTarget::Own(target)]);
        }
        let own = self.targets_file()?;
        let chosen = resolve_targets(names, own.as_ref(), catalog).map_err(|e| e.to_string())?;
        Ok(chosen.into_iter().map(|c| self.with_flags(c)).collect())
    }

    /// The one target `name` means, or the one-off `--server` target.
    pub fn chosen_one(
        &self,
        name: Option<&str>,
        catalog: &Catalog,
    ) -> Result<ChosenTarget, String> {
        match (name, self.one_off()) {
            (None, Some(target)) => Ok(ChosenTarget::Own(target)),
            (Some(name), _) => {
                let own = self.targets_file()?;
                let chosen =
                    resolve_target(name, own.as_ref(), catalog).map_err(|e| e.to_string())?;
                Ok(self.with_flags(chosen))
            }
            (None, None) => Err("name a target with --target NAME or --server HOST:PORT".into()),
        }
    }

    /// Whether `names` (with these flags) choose only servers the user
    /// runs: then no container, and no Docker Engine, is needed.
    pub fn only_own_servers(&self, names: &[String]) -> bool {
        if self.address.is_some() {
            return true;
        }
        let Ok(Some(own)) = self.targets_file() else {
            return false;
        };
        !names.is_empty() && names.iter().all(|n| own.get(n).is_some())
    }

    fn with_flags(&self, chosen: ChosenTarget) -> ChosenTarget {
        match chosen {
            ChosenTarget::Own(target) => ChosenTarget::Own(self.applied_to(target)),
            built_in => built_in,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        external: ExternalArgs,
    }

    fn parse(args: &[&str]) -> ExternalArgs {
        Cli::try_parse_from(std::iter::once("xepspec").chain(args.iter().copied()))
            .unwrap()
            .external
    }

    #[test]
    fn a_one_off_server_is_named_external_unless_named() {
        let args = parse(&["--server", "127.0.0.1:5222", "--register", "--insecure"]);
        let target = args.one_off().unwrap();
        assert_eq!(target.name, "external");
        assert_eq!(target.accounts, Some(AccountSupply::Register));
        assert!(target.insecure);
        let args = parse(&["--server", "h:1", "--name", "home", "--tls", "none"]);
        let target = args.one_off().unwrap();
        assert_eq!((target.name.as_str(), target.tls), ("home", TlsMode::None));
        assert_eq!(target.accounts, None, "left to the preflight");
    }

    #[test]
    fn a_name_needs_a_server() {
        assert!(Cli::try_parse_from(["xepspec", "--name", "home"]).is_err());
    }
}
