//! Known failures: cells a server is known to fail, each with the reason,
//! what kind of failure it is and, where there is one, the server's ticket.
//! A listed cell that fails is judged `xfail`; a listed cell that passes is
//! flagged as stale, so the file stays honest.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::version::VersionRange;

/// What a known failure is, so reports can tell a bug from a choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The server breaks the requirement by mistake.
    #[default]
    Bug,
    /// The server breaks it on purpose (a documented choice).
    Deliberate,
    /// The specification contradicts itself or another one.
    SpecConflict,
    /// The specification can be read more than one way.
    SpecAmbiguous,
}

impl FailureKind {
    /// The kind as files and reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Bug => "bug",
            FailureKind::Deliberate => "deliberate",
            FailureKind::SpecConflict => "spec-conflict",
            FailureKind::SpecAmbiguous => "spec-ambiguous",
        }
    }
}

/// One known failure.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KnownFailure {
    /// The target name it holds for; or leave it out and name `server`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The server product it holds for (`ejabberd`), on any target running
    /// it, within `versions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The server versions it holds for (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<VersionRange>,
    /// The case id, or a scenario id or folder to cover all its cases.
    pub case: String,
    /// Why it fails, in a sentence.
    pub reason: String,
    /// A bug, a deliberate choice, or a problem of the specification.
    #[serde(default)]
    pub kind: FailureKind,
    /// The server's ticket or other reference, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Where there is no link: what was searched and not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_link: Option<String>,
}

impl KnownFailure {
    /// Whether this entry names `case` on a target called `target` that
    /// runs `server` at `version`: the case itself, its scenario (all
    /// parameter values), or a folder of scenarios.
    pub fn covers(&self, case: &str, target: &str, server: &str, version: &str) -> bool {
        let rest = case.strip_prefix(self.case.as_str());
        let case_matches =
            rest.is_some_and(|r| r.is_empty() || r.starts_with('[') || r.starts_with('/'));
        let target_matches = self.target.as_deref().is_none_or(|t| t == target);
        let server_matches = self
            .server
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case(server));
        let version_matches = self.versions.as_ref().is_none_or(|r| r.contains(version));
        case_matches && target_matches && server_matches && version_matches
    }

    /// The entry as a report quotes it: reason, kind, versions and link.
    pub fn describe(&self) -> String {
        let mut text = format!("{} [{}", self.reason, self.kind.as_str());
        if let Some(range) = &self.versions {
            text.push_str(&format!("; versions {}", range.describe()));
        }
        text.push(']');
        if let Some(link) = self.link.as_ref().or(self.no_link.as_ref()) {
            text.push_str(&format!(" ({link})"));
        }
        text
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "known")]
    known: Vec<KnownFailure>,
}

/// Reads a known-failures file (`[[known]]` tables); an entry naming
/// neither a target nor a server is refused, so no entry covers everything
/// by accident.
pub fn load(path: &Path) -> Result<Vec<KnownFailure>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the text of a known-failures file.
pub fn parse(text: &str) -> Result<Vec<KnownFailure>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    if let Some(k) = file
        .known
        .iter()
        .find(|k| k.target.is_none() && k.server.is_none())
    {
        return Err(format!(
            "the known failure of {} names neither `target` nor `server`",
            k.case
        ));
    }
    Ok(file.known)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(target: Option<&str>, server: Option<&str>, case: &str) -> KnownFailure {
        KnownFailure {
            target: target.map(str::to_owned),
            server: server.map(str::to_owned),
            versions: None,
            case: case.into(),
            reason: "r".into(),
            kind: FailureKind::Bug,
            link: None,
            no_link: None,
        }
    }

    #[test]
    fn a_scenario_id_covers_its_parameterised_cases() {
        let k = entry(Some("t"), None, "xep-0402/x");
        assert!(k.covers("xep-0402/x", "t", "s", "1"));
        assert!(k.covers("xep-0402/x[autojoin=1]", "t", "s", "1"));
        assert!(!k.covers("xep-0402/xy", "t", "s", "1"));
        assert!(k.covers("xep-0402/x/3.1-retrieving", "t", "s", "1"));
        assert!(!k.covers("xep-0402/x", "u", "s", "1"));
    }

    #[test]
    fn a_server_entry_holds_within_its_versions_on_any_target() {
        let mut k = entry(None, Some("ejabberd"), "xep-0060/7.2-retract-notify");
        k.versions = Some(VersionRange {
            from: None,
            before: Some("24.12".into()),
        });
        let case = "xep-0060/7.2-retract-notify";
        assert!(k.covers(case, "mine", "ejabberd", "23.01-1"));
        assert!(!k.covers(case, "mine", "ejabberd", "24.12-3"));
        assert!(!k.covers(case, "mine", "Prosody", "23.01-1"));
    }

    #[test]
    fn every_entry_of_the_project_says_its_kind_and_its_ticket_or_none() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/known-failures.toml");
        let text = std::fs::read_to_string(&path).expect("the project's known failures");
        let raw: toml::Table = text.parse().expect("TOML");
        let entries = raw["known"].as_array().expect("[[known]] entries");
        for entry in entries {
            let entry = entry.as_table().expect("a table");
            let case = entry["case"].as_str().unwrap_or_default();
            assert!(entry.contains_key("kind"), "{case}: no kind written");
            assert!(
                entry.contains_key("link") != entry.contains_key("no_link"),
                "{case}: give a link, or no_link saying what was searched"
            );
        }
        assert_eq!(parse(&text).expect("parses").len(), entries.len());
    }

    #[test]
    fn an_entry_naming_neither_target_nor_server_is_refused() {
        let text = "[[known]]\ncase = \"x\"\nreason = \"r\"\n";
        assert!(parse(text).unwrap_err().contains("neither"));
        let text = "[[known]]\nserver = \"Prosody\"\ncase = \"x\"\nreason = \"r\"\nkind = \"deliberate\"\nversions = { from = \"0.12\" }\n";
        let known = parse(text).expect("parses");
        assert_eq!(known[0].kind, FailureKind::Deliberate);
        assert!(known[0].describe().contains("deliberate; versions >= 0.12"));
    }
}
