//! The targets file a user keeps beside their CI (`xepspec.toml` by
//! default): named external servers, each with its address, domain, TLS,
//! account source, known failures and snapshots. Every error names the
//! file, line and column.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_spanned::Spanned;
use thiserror::Error;

use super::external::{AccountSupply, ExternalTarget};
use super::premade::PremadeAccount;
use crate::session::TlsMode;
use crate::stanza::parse::line_column;

/// The targets file read from the current folder when none is named.
pub const DEFAULT_TARGETS_FILE: &str = "xepspec.toml";

/// A loaded targets file: its targets, paths made relative to the file.
#[derive(Debug, Clone)]
pub struct TargetsFile {
    /// The file read.
    pub path: PathBuf,
    /// Its targets, in file order.
    pub targets: Vec<ExternalTarget>,
}

/// One problem at one place of a targets file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetsFileProblem {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TargetsFileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        write!(f, "{file}:{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Why a targets file could not be used.
#[derive(Debug, Clone, Error)]
pub enum TargetsFileError {
    /// The file could not be read.
    #[error("{}: {reason}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file was read but is not a valid targets file.
    #[error("{}", list(.0))]
    Invalid(Vec<TargetsFileProblem>),
}

fn list(problems: &[TargetsFileProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileModel {
    #[serde(default)]
    target: Vec<Spanned<TargetModel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetModel {
    name: Spanned<String>,
    address: Spanned<String>,
    domain: String,
    #[serde(default)]
    tls: Option<TlsMode>,
    #[serde(default)]
    insecure: bool,
    #[serde(default)]
    register: Option<Spanned<bool>>,
    #[serde(default)]
    accounts: Option<Spanned<String>>,
    #[serde(default)]
    known_failures: Option<String>,
    #[serde(default)]
    snapshots: Option<String>,
    #[serde(default)]
    concurrency: Option<Spanned<usize>>,
    #[serde(default)]
    services: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    account: Vec<Spanned<PremadeAccount>>,
}

/// Reads the targets file named with `--targets-file` (it must exist), or
/// else `xepspec.toml` in the current folder when there is one.
pub fn load_targets_file(named: Option<&Path>) -> Result<Option<TargetsFile>, TargetsFileError> {
    match named {
        Some(path) => TargetsFile::load(path).map(Some),
        None if Path::new(DEFAULT_TARGETS_FILE).is_file() => {
            TargetsFile::load(Path::new(DEFAULT_TARGETS_FILE)).map(Some)
        }
        None => Ok(None),
    }
}

impl TargetsFile {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> Result<TargetsFile, TargetsFileError> {
        let text = std::fs::read_to_string(path).map_err(|e| TargetsFileError::Read {
            file: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        TargetsFile::parse(&text, path)
    }

    /// Checks `text` as the contents of the file at `path` (relative paths
    /// in it are taken from `path`'s folder).
    pub fn parse(text: &str, path: &Path) -> Result<TargetsFile, TargetsFileError> {
        let mut checker = Checker {
            text,
            file: path,
            problems: Vec::new(),
        };
        let model: FileModel = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            checker.problem(at, e.message().trim().to_owned());
            TargetsFileError::Invalid(checker.problems.clone())
        })?;
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut targets: Vec<ExternalTarget> = Vec::new();
        for entry in model.target {
            let line = line_column(text, entry.span().start).0;
            let name_at = entry.get_ref().name.span().start;
            let target = checker.target(entry.into_inner(), &base, line);
            if let Some(target) = target {
                if targets.iter().any(|t| t.name == target.name) {
                    checker.problem(
                        name_at,
                        format!("target {:?} is declared twice", target.name),
                    );
                }
                targets.push(target);
            }
        }
        if checker.problems.is_empty() {
            Ok(TargetsFile {
                path: path.to_path_buf(),
                targets,
            })
        } else {
            Err(TargetsFileError::Invalid(checker.problems))
        }
    }

    /// The target called `name`, if the file declares one.
    pub fn get(&self, name: &str) -> Option<&ExternalTarget> {
        self.targets.iter().find(|t| t.name == name)
    }

    /// The names it declares, in file order.
    pub fn names(&self) -> Vec<String> {
        self.targets.iter().map(|t| t.name.clone()).collect()
    }
}

struct Checker<'a> {
    text: &'a str,
    file: &'a Path,
    problems: Vec<TargetsFileProblem>,
}

impl Checker<'_> {
    fn problem(&mut self, offset: usize, message: String) {
        let (line, column) = line_column(self.text, offset);
        self.problems.push(TargetsFileProblem {
            file: self.file.to_path_buf(),
            line,
            column,
            message,
        });
    }

    fn target(&mut self, m: TargetModel, base: &Path, line: usize) -> Option<ExternalTarget> {
        let before = self.problems.len();
        let name = m.name.get_ref().trim();
        if name.is_empty() || name == "all" || name.contains(char::is_whitespace) {
            let message = format!("{name:?} cannot name a target (empty, `all` or spaces)");
            self.problem(m.name.span().start, message);
        }
        if let Err(why) = check_address(m.address.get_ref()) {
            self.problem(m.address.span().start, why);
        }
        if let Some(c) = &m.concurrency
            && *c.get_ref() == 0
        {
            self.problem(c.span().start, "concurrency must be at least 1".into());
        }
        let accounts = self.accounts(&m, base);
        self.check_services(&m);
        self.check_premade(&m);
        if self.problems.len() > before {
            return None;
        }
        Some(ExternalTarget {
            name: name.to_owned(),
            address: m.address.into_inner(),
            domain: m.domain,
            tls: m.tls.unwrap_or(TlsMode::Starttls),
            insecure: m.insecure,
            accounts,
            known_failures: m.known_failures.map(|p| base.join(p)),
            snapshots: m.snapshots.map(|p| base.join(p)),
            concurrency: m.concurrency.map(Spanned::into_inner),
            declared_at: Some(format!("{}:{line}", self.file.display())),
            services: m
                .services
                .into_iter()
                .map(|(kind, jid)| (kind, jid.into_inner()))
                .collect(),
            premade: m.account.into_iter().map(Spanned::into_inner).collect(),
        })
    }

    /// Each service is a kind and a bare domain JID (`pubsub.example.org`).
    fn check_services(&mut self, m: &TargetModel) {
        for (kind, jid) in &m.services {
            if !is_name(kind) {
                let message = format!("service kind {kind:?}: letters, digits, - and _ only");
                self.problem(jid.span().start, message);
            }
            let domain = jid.get_ref();
            if domain.is_empty() || domain.contains(['@', '/', ' ']) {
                let message = format!(
                    "service {kind}: {domain:?} is not a domain (e.g. \"pubsub.example.org\")"
                );
                self.problem(jid.span().start, message);
            }
        }
    }

    /// Each pre-made account has a username, a password, roles that are
    /// names, and is declared once.
    fn check_premade(&mut self, m: &TargetModel) {
        let mut seen: Vec<&str> = Vec::new();
        for entry in &m.account {
            let account = entry.get_ref();
            let at = entry.span().start;
            if account.name.is_empty() || account.name.contains(['@', '/', ' ']) {
                let message = format!("account name {:?} is not a username", account.name);
                self.problem(at, message);
            }
            if account.password.is_empty() {
                self.problem(
                    at,
                    format!("account {}: the password is empty", account.name),
                );
            }
            if let Some(role) = account.roles.iter().find(|r| !is_name(r)) {
                let message = format!(
                    "account {}: role {role:?}: letters, digits, - and _ only",
                    account.name
                );
                self.problem(at, message);
            }
            if seen.contains(&account.name.as_str()) {
                self.problem(at, format!("account {} is declared twice", account.name));
            }
            seen.push(&account.name);
        }
    }

    fn accounts(&mut self, m: &TargetModel, base: &Path) -> Option<AccountSupply> {
        let register = m.register.as_ref().is_some_and(|r| *r.get_ref());
        match &m.accounts {
            Some(file) if register => {
                let message = "`register = true` and `accounts` both given: choose one".into();
                self.problem(file.span().start, message);
                None
            }
            Some(file) => Some(AccountSupply::File(base.join(file.get_ref()))),
            None if register => Some(AccountSupply::Register),
            None => None,
        }
    }
}

/// Whether `s` is a service kind or role name: letters, digits, `-`, `_`.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
}

/// `Ok` when `address` is `host:port` with a port number.
fn check_address(address: &str) -> Result<(), String> {
    let bad = || format!("address {address:?} is not HOST:PORT (e.g. \"127.0.0.1:5222\")");
    let (host, port) = address.rsplit_once(':').ok_or_else(bad)?;
    if host.is_empty() || port.parse::<u16>().is_err() {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
#[path = "targets_file_tests.rs"]
mod tests;
