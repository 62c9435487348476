//! The mutants of `containers/mutants/mutants.toml`: servers that each
//! break one statement on purpose, the statements no mutant can break, and
//! how a mutant becomes a target built from its parent's image.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::catalog::TargetDef;

/// A server with one requirement broken on purpose, listed in
/// `containers/mutants/mutants.toml`; it becomes the target `<from>-<name>`,
/// built from `mutants/<recipe of from>` with the build argument
/// `MUTANT=<name>`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutant {
    /// Short name (`no-autocreate`); the module or patch it loads is named
    /// after it.
    pub name: String,
    /// The target whose image it starts from.
    pub from: String,
    /// The statements it breaks: a case quoting one of them must fail on it.
    pub breaks: Vec<BrokenStatement>,
    /// What the server does instead, in one sentence.
    pub does: String,
}

/// A statement a mutant breaks: a XEP and a section of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenStatement {
    /// The XEP's number.
    pub xep: u32,
    /// The section, as the cases' `[spec] section` gives it (`7.1.5`).
    pub section: String,
}

impl BrokenStatement {
    /// Whether a case quoting `xep` § `section` tests this statement.
    pub fn names(&self, xep: u32, section: &str) -> bool {
        self.xep == xep && self.section == section
    }
}

/// A statement with cases that no mutant of a default target can break so
/// that a case goes from pass to fail, and why (`[[unbreakable]]` in
/// `mutants/mutants.toml`; the traceability table shows the reason).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unbreakable {
    /// The XEP's number.
    pub xep: u32,
    /// Only this section, as the traceability table gives it (default:
    /// every section).
    #[serde(default)]
    pub section: Option<String>,
    /// Only this version of the XEP (default: every version traced).
    #[serde(default)]
    pub version: Option<String>,
    /// Only the statements containing this text, whitespace and case aside
    /// (default: every statement of the section).
    #[serde(default)]
    pub statement: Option<String>,
    /// Why no mutant can prove the cases able to fail.
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MutantsFile {
    #[serde(default)]
    pub(super) mutant: Vec<Mutant>,
    #[serde(default)]
    pub(super) unbreakable: Vec<Unbreakable>,
}

/// Where the mutants are listed, under the recipes folder.
pub(super) const MUTANTS_FILE: &str = "mutants/mutants.toml";

/// The target of `mutant`: its parent's server, suite, version command,
/// concurrency, services and pre-made accounts, built from
/// `mutants/<parent's recipe>` with `MUTANT=<name>`.
pub(super) fn mutant_target(targets: &[TargetDef], mutant: Mutant) -> Result<TargetDef, String> {
    let parent = targets
        .iter()
        .find(|t| t.name == mutant.from)
        .ok_or_else(|| {
            format!(
                "{}: from = {:?}, an unknown target",
                mutant.name, mutant.from
            )
        })?;
    if mutant.breaks.is_empty() {
        return Err(format!("{}: breaks names no statement", mutant.name));
    }
    Ok(TargetDef {
        name: format!("{}-{}", parent.name, mutant.name),
        server: parent.server.clone(),
        suite: parent.suite.clone(),
        recipe: format!("mutants/{}", parent.recipe),
        version_command: parent.version_command.clone(),
        concurrency: parent.concurrency,
        default: false,
        from: Some(parent.name.clone()),
        build_args: BTreeMap::from([("MUTANT".to_owned(), mutant.name.clone())]),
        services: parent.services.clone(),
        accounts: parent.accounts.clone(),
        mutant: Some(mutant),
    })
}
