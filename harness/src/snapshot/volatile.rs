//! Stanzas left out of snapshots because a server sends them, or not,
//! depending on timing no client can control (`snapshots/volatile.toml`).
//! Each rule names the servers it applies to and says why; the stanza is
//! compared without its `id`, `from`, `to` and item ids.

use std::path::Path;

use minidom::Element;
use serde::Deserialize;

use crate::stanza::canonical::canonical;
use crate::stanza::normalise::without_ids;
use crate::stanza::parse::parse_stanza;

/// The file's name in the snapshot folder.
pub const VOLATILE: &str = "volatile.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    stanza: Vec<RuleText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleText {
    servers: Vec<String>,
    reason: String,
    xml: String,
}

/// One kind of stanza some servers send at unpredictable times (why is in
/// the file, for its readers).
#[derive(Debug, Clone)]
struct VolatileRule {
    /// Server names (`prosody`, `ejabberd`) it applies to.
    servers: Vec<String>,
    key: String,
}

/// The rules of a snapshot folder.
#[derive(Debug, Clone, Default)]
pub struct Volatile {
    rules: Vec<VolatileRule>,
}

impl Volatile {
    /// Reads `volatile.toml` in `dir`; no file means no rules.
    pub fn load(dir: &Path) -> Result<Volatile, String> {
        let path = dir.join(VOLATILE);
        if !path.exists() {
            return Ok(Volatile::default());
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        let file: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut rules = Vec::new();
        for rule in file.stanza {
            // Leaving stanzas out of snapshots needs a stated reason.
            if rule.reason.trim().is_empty() {
                return Err(format!("{}: a rule has an empty reason", path.display()));
            }
            let stanza = parse_stanza(&rule.xml)
                .map_err(|e| format!("{}: a rule's xml: {}", path.display(), e.message))?;
            rules.push(VolatileRule {
                servers: rule.servers,
                key: key(&stanza),
            });
        }
        Ok(Volatile { rules })
    }

    /// The keys of the stanzas to leave out for `server`.
    pub fn keys_for(&self, server: &str) -> Vec<String> {
        self.rules
            .iter()
            .filter(|r| r.servers.iter().any(|s| s.eq_ignore_ascii_case(server)))
            .map(|r| r.key.clone())
            .collect()
    }
}

/// What a rule compares: the stanza without `id`, `from`, `to` and item ids,
/// as canonical XML.
pub fn key(stanza: &Element) -> String {
    let mut bare = without_ids(stanza);
    bare.attrs_mut()
        .retain(|ns, name, _| !(ns.is_none() && ["id", "from", "to"].contains(&name.as_str())));
    for child in bare.children_mut() {
        mask_item_ids(child);
    }
    canonical(&bare)
}

fn mask_item_ids(el: &mut Element) {
    if el.name() == "item" {
        el.attrs_mut()
            .retain(|ns, name, _| !(ns.is_none() && name.as_str() == "id"));
    }
    for child in el.children_mut() {
        mask_item_ids(child);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_matches_whatever_the_addresses_and_ids() {
        let dir = std::env::temp_dir().join(format!("xepspec-volatile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(
            dir.join(VOLATILE),
            "[[stanza]]\nservers = ['prosody']\nreason = 'timing'\nxml = '''<message><x xmlns='urn:a'><item><e/></item></x></message>'''\n",
        )
        .expect("writes");
        let volatile = Volatile::load(&dir).expect("loads");
        let seen = parse_stanza(
            "<message from='a@b' to='a@b/c' id='r1'><x xmlns='urn:a'><item id='77'><e/></item></x></message>",
        )
        .expect("parses");
        assert_eq!(volatile.keys_for("prosody"), vec![key(&seen)]);
        assert!(volatile.keys_for("ejabberd").is_empty());
        let other = parse_stanza(
            "<message><x xmlns='urn:a'><item id='77'><e>text</e></item></x></message>",
        )
        .expect("parses");
        assert_ne!(volatile.keys_for("prosody"), vec![key(&other)]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
