//! A script's clients as scenario actors. Every scansion `[Client]` logs
//! in with a `jid` and a password on a server set up for the script; a
//! scenario's actors get fresh accounts on the target instead, so a client
//! `romeo@localhost` becomes actor `romeo/<resource>` (the account alias is
//! the JID's local part, which only names the fresh account), and the
//! script's domain becomes `{domain}`. The resource is the client's
//! `resource` property, else the one its `jid` names, else one made from the
//! character's name (`Juliet's phone` → `juliets-phone`), so two clients of
//! one account stay two resources.

use std::collections::BTreeMap;

use super::super::Note;
use super::script::Script;

/// One client of the script, as an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The character's name in the script.
    pub character: String,
    /// The JID the script gives it.
    pub jid: String,
    /// The account alias (the JID's local part).
    pub account: String,
    /// The resource.
    pub resource: String,
}

impl Member {
    /// The actor's name, `account/resource`.
    pub fn actor(&self) -> String {
        format!("{}/{}", self.account, self.resource)
    }
}

/// The clients of a script and the domain they log in to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cast {
    /// The clients, in the order the script declares them.
    pub members: Vec<Member>,
    /// The domain of the script's server (`localhost` in Prosody's
    /// scripts): the one most clients' JIDs name.
    pub domain: String,
    /// Account aliases by the local part of their JID (the same unless the
    /// local part has characters an alias may not use).
    pub accounts: BTreeMap<String, String>,
}

impl Cast {
    /// The client called `character`.
    pub fn member(&self, character: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.character == character)
    }
}

/// The cast of `script`; what does not fit goes to `notes`.
pub fn cast(script: &Script, notes: &mut Vec<Note>) -> Cast {
    let mut cast = Cast::default();
    let mut domains: Vec<(String, usize)> = Vec::new();
    let mut parsed = Vec::new();
    for character in &script.characters {
        if character.class != "Client" {
            notes.push(Note::new(
                character.line,
                format!(
                    "[{}] {} is not a client (only [Client] characters become actors): its actions are left out",
                    character.class, character.name
                ),
            ));
            continue;
        }
        for (key, _, line) in &character.properties {
            match key.as_str() {
                "jid" | "password" | "resource" => {}
                "connect_host" | "connect_port" => notes.push(Note::new(
                    *line,
                    format!("`{key}` is left out: the target says where to connect"),
                )),
                other => notes.push(Note::new(
                    *line,
                    format!("unknown client property `{other}`: left out"),
                )),
            }
        }
        let Some(jid) = character.property("jid") else {
            notes.push(Note::new(
                character.line,
                format!(
                    "{} has no `jid`: it cannot become an actor, and its actions are left out",
                    character.name
                ),
            ));
            continue;
        };
        let Some((local, rest)) = jid.split_once('@') else {
            notes.push(Note::new(
                character.line,
                format!(
                    "{}'s jid `{jid}` names no account (no `@`): its actions are left out",
                    character.name
                ),
            ));
            continue;
        };
        let (domain, resource) = match rest.split_once('/') {
            Some((d, r)) => (d, Some(r)),
            None => (rest, None),
        };
        match domains.iter_mut().find(|(d, _)| d == domain) {
            Some((_, n)) => *n += 1,
            None => domains.push((domain.to_owned(), 1)),
        }
        parsed.push((character, jid, local, domain, resource));
    }
    cast.domain = domains
        .iter()
        .fold(None::<&(String, usize)>, |best, d| match best {
            Some(b) if b.1 >= d.1 => Some(b),
            _ => Some(d),
        })
        .map(|(d, _)| d.clone())
        .unwrap_or_default();
    for (character, jid, local, domain, resource) in parsed {
        if domain != cast.domain {
            notes.push(Note::new(
                character.line,
                format!(
                    "{}'s account is on `{domain}`, not `{}`: the target makes every account on its own domain",
                    character.name, cast.domain
                ),
            ));
        }
        let account = alias(local);
        if account != local {
            notes.push(Note::new(
                character.line,
                format!("the account `{local}` is called `{account}` (an alias may use letters, digits, - _ .)"),
            ));
        }
        cast.accounts.insert(local.to_owned(), account.clone());
        let resource = character
            .property("resource")
            .or(resource)
            .map(alias)
            .unwrap_or_else(|| slug(&character.name));
        let mut member = Member {
            character: character.name.clone(),
            jid: jid.to_owned(),
            account,
            resource,
        };
        let base = member.resource.clone();
        let mut n = 1;
        while cast.members.iter().any(|m| m.actor() == member.actor()) {
            n += 1;
            member.resource = format!("{base}-{n}");
        }
        cast.members.push(member);
    }
    cast
}

/// `text` with every character an account or resource alias may not use
/// replaced by `-`.
fn alias(text: &str) -> String {
    let out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if out.is_empty() { "client".into() } else { out }
}

/// A resource made from a character's name: `Juliet's phone` →
/// `juliets-phone`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().filter(|c| *c != '\'' && *c != '’') {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "client".into()
    } else {
        out.to_owned()
    }
}
