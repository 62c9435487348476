//! Normalisation: replaces what varies from run to run (account names,
//! bound resources, stanza ids, server-made item ids, timestamps) with
//! stable names, so that two runs of the same case against the same server
//! give the same text.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use minidom::Element;
use regex::Regex;

use super::build::replace_attr;
use super::canonical::canonical;
use crate::ns;

/// A run-specific value and the stable name that stands for it in
/// normalised output, e.g. `u7f3a@localhost/balcony` → `{juliet/balcony}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Alias {
    /// The value as it appeared on the wire.
    pub value: String,
    /// What stands for it, braces included.
    pub name: String,
}

impl Alias {
    /// `value` is to be written as `name`.
    pub fn new(value: impl Into<String>, name: impl Into<String>) -> Alias {
        Alias {
            value: value.into(),
            name: name.into(),
        }
    }
}

static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
        .expect("valid timestamp pattern")
});

/// Rewrites values that vary between runs; text, attributes and every
/// descendant are visited. Aliases are applied longest value first, so a full
/// JID wins over its bare JID.
pub fn replace_values(element: &Element, aliases: &[Alias]) -> Element {
    let mut sorted: Vec<&Alias> = aliases.iter().filter(|a| !a.value.is_empty()).collect();
    sorted.sort_by(|a, b| {
        b.value
            .len()
            .cmp(&a.value.len())
            .then(a.value.cmp(&b.value))
    });
    let mut out = element.clone();
    rewrite(&mut out, &|text| substitute(text, &sorted));
    out
}

fn substitute(text: &str, aliases: &[&Alias]) -> String {
    let mut text = TIMESTAMP.replace_all(text, "{timestamp}").into_owned();
    for alias in aliases {
        if text.contains(&alias.value) {
            text = text.replace(&alias.value, &alias.name);
        }
    }
    text
}

fn rewrite(el: &mut Element, f: &dyn Fn(&str) -> String) {
    for (_, value) in el.attrs_mut().iter_mut() {
        let new = f(value.as_str());
        if new != *value {
            *value = new;
        }
    }
    for text in el.texts_mut() {
        let new = f(text);
        if new != *text {
            *text = new;
        }
    }
    for child in el.children_mut() {
        rewrite(child, f);
    }
}

/// Attributes whose values are opaque tokens a server makes up afresh each
/// run, by the element's namespace, name and attribute: roster versions,
/// ad-hoc command sessions (XEP-0050), pubsub subscription ids (XEP-0060).
const OPAQUE: [(&str, &str, &str); 3] = [
    (ns::ROSTER, "query", "ver"),
    (ns::COMMANDS, "command", "sessionid"),
    (ns::PUBSUB, "subscription", "subid"),
];

/// `element` with every opaque token (see [`OPAQUE`]) replaced by
/// `{attribute}`.
pub fn mask_opaque(element: &Element) -> Element {
    let mut out = element.clone();
    mask_opaque_in_place(&mut out);
    out
}

fn mask_opaque_in_place(el: &mut Element) {
    let ns = el.ns();
    for (n, name, attr) in OPAQUE {
        if n == ns && name == el.name() && el.attr(attr).is_some() {
            replace_attr(el, attr, &format!("{{{attr}}}"));
        }
    }
    for child in el.children_mut() {
        mask_opaque_in_place(child);
    }
}

/// Children whose order carries no meaning, by the parent's namespace and
/// name: disco#info identities and features, disco#items items, an ad-hoc
/// command's actions, form and notes (XEP-0050; Prosody 13.0 writes them in
/// an order that varies from run to run).
const UNORDERED: [(&str, &str); 3] = [
    (ns::DISCO_INFO, "query"),
    (ns::DISCO_ITEMS, "query"),
    (ns::COMMANDS, "command"),
];

/// `element` with the children of every set-like element (see
/// [`UNORDERED`]) sorted by their canonical text, identities first.
pub fn sort_unordered(element: &Element) -> Element {
    let mut out = element.clone();
    sort_in_place(&mut out);
    out
}

fn sort_in_place(el: &mut Element) {
    for child in el.children_mut() {
        sort_in_place(child);
    }
    let ns = el.ns();
    if !UNORDERED
        .iter()
        .any(|(n, name)| *n == ns && *name == el.name())
    {
        return;
    }
    let mut children: Vec<Element> = el.children().cloned().collect();
    if children.len() < 2 {
        return;
    }
    children.sort_by_cached_key(|c| (c.name() != "identity", canonical(c)));
    // Take the children out and put them back in order, so the element
    // keeps every attribute (xml:lang included) as it was.
    while let Some((name, child_ns)) = el.children().next().map(|c| (c.name().to_owned(), c.ns())) {
        el.remove_child(name.as_str(), child_ns.as_str());
    }
    for child in children {
        el.append_child(child);
    }
}

/// Numbers stanza ids and server-made item ids by first appearance, so that
/// a request and its answer keep sharing one name.
#[derive(Debug, Default)]
pub struct IdNumbering {
    ids: BTreeMap<String, String>,
    items: BTreeMap<String, String>,
    client_values: BTreeSet<String>,
}

impl IdNumbering {
    /// A numbering that leaves alone item ids the client itself chose (every
    /// attribute value of `sent`).
    pub fn new<'a>(sent: impl IntoIterator<Item = &'a Element>) -> IdNumbering {
        let mut client_values = BTreeSet::new();
        for el in sent {
            collect_values(el, &mut client_values);
        }
        IdNumbering {
            client_values,
            ..IdNumbering::default()
        }
    }

    /// `stanza` with its `id` and any server-made `item` ids renamed.
    pub fn apply(&mut self, stanza: &Element) -> Element {
        let mut out = stanza.clone();
        if let Some(id) = out.attr("id").filter(|id| *id != "{id}").map(str::to_owned) {
            let n = self.ids.len() + 1;
            let name = self
                .ids
                .entry(id)
                .or_insert_with(|| format!("{{id:{n}}}"))
                .clone();
            replace_attr(&mut out, "id", &name);
        }
        self.rename_items(&mut out);
        out
    }

    fn rename_items(&mut self, el: &mut Element) {
        for child in el.children_mut() {
            if child.name() == "item"
                && let Some(id) = child.attr("id").map(str::to_owned)
                && !self.client_values.contains(&id)
                && !id.starts_with('{')
            {
                let n = self.items.len() + 1;
                let name = self
                    .items
                    .entry(id)
                    .or_insert_with(|| format!("{{item:{n}}}"))
                    .clone();
                replace_attr(child, "id", &name);
            }
            self.rename_items(child);
        }
    }
}

fn collect_values(el: &Element, into: &mut BTreeSet<String>) {
    for (_, value) in el.attrs() {
        into.insert(value.clone());
    }
    for child in el.children() {
        collect_values(child, into);
    }
}

/// `stanza` with its own `id` masked as `{id}`.
pub fn without_id(stanza: &Element) -> Element {
    let mut out = stanza.clone();
    replace_attr(&mut out, "id", "{id}");
    out
}

/// `stanza` with its ids masked, for ordering stanzas whose ids are not yet
/// numbered.
pub fn without_ids(stanza: &Element) -> Element {
    let mut out = stanza.clone();
    if out.attr("id").is_some() {
        replace_attr(&mut out, "id", "{id}");
    }
    mask_items(&mut out);
    out
}

fn mask_items(el: &mut Element) {
    for child in el.children_mut() {
        if child.name() == "item" && child.attr("id").is_some() {
            replace_attr(child, "id", "{item}");
        }
        mask_items(child);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::parse::parse_stanza;

    fn el(text: &str) -> Element {
        parse_stanza(text).expect("test XML parses")
    }

    #[test]
    fn full_jids_win_over_bare_jids_and_domains() {
        let aliases = [
            Alias::new("localhost", "{domain}"),
            Alias::new("u1@localhost", "{juliet}"),
            Alias::new("u1@localhost/balcony", "{juliet/balcony}"),
        ];
        let out = replace_values(
            &el(
                "<message from='u1@localhost' to='u1@localhost/balcony'><body>u1@localhost at localhost</body></message>",
            ),
            &aliases,
        );
        assert_eq!(
            canonical(&out),
            "<message from='{juliet}' to='{juliet/balcony}'><body>{juliet} at {domain}</body></message>"
        );
    }

    #[test]
    fn timestamps_become_a_placeholder() {
        let out = replace_values(
            &el(
                "<message><delay xmlns='urn:xmpp:delay' stamp='2026-11-21T10:00:03.123Z'/></message>",
            ),
            &[],
        );
        assert_eq!(
            canonical(&out),
            "<message><delay xmlns='urn:xmpp:delay' stamp='{timestamp}'/></message>"
        );
    }

    #[test]
    fn ids_are_numbered_by_first_appearance_and_shared_by_answers() {
        let sent = el(
            "<iq id='abc' type='set'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item id='mine'/></publish></pubsub></iq>",
        );
        let answer = el("<iq id='abc' type='result'/>");
        let push = el(
            "<message id='r4nd0m'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='n'><item id='5f2e'/><item id='mine'/></items></event></message>",
        );
        let mut numbering = IdNumbering::new([&sent]);
        let renamed: Vec<String> = [&sent, &answer, &push]
            .iter()
            .map(|s| canonical(&numbering.apply(s)))
            .collect();
        assert!(renamed[0].starts_with("<iq id='{id:1}'"), "{}", renamed[0]);
        assert!(renamed[0].contains("<item id='mine'/>"), "{}", renamed[0]);
        assert!(renamed[1].starts_with("<iq id='{id:1}'"), "{}", renamed[1]);
        assert!(
            renamed[2].starts_with("<message id='{id:2}'"),
            "{}",
            renamed[2]
        );
        assert!(
            renamed[2].contains("<item id='{item:1}'/><item id='mine'/>"),
            "{}",
            renamed[2]
        );
    }

    #[test]
    fn disco_features_and_identities_are_sorted() {
        let a = el(
            "<iq><query xmlns='http://jabber.org/protocol/disco#info' node='n'><feature var='b'/><identity category='pubsub' type='pep'/><feature var='a'/><identity category='account' type='registered'/></query></iq>",
        );
        let b = el(
            "<iq><query xmlns='http://jabber.org/protocol/disco#info' node='n'><identity category='account' type='registered'/><feature var='a'/><identity category='pubsub' type='pep'/><feature var='b'/></query></iq>",
        );
        assert_eq!(
            canonical(&sort_unordered(&a)),
            canonical(&sort_unordered(&b))
        );
        let with_lang = el(
            "<iq><query xmlns='http://jabber.org/protocol/disco#info' xml:lang='en'><feature var='b'/><feature var='a'/></query></iq>",
        );
        assert_eq!(
            canonical(&sort_unordered(&with_lang)),
            "<iq><query xmlns='http://jabber.org/protocol/disco#info' xml:lang='en'><feature var='a'/><feature var='b'/></query></iq>"
        );
        assert_eq!(
            canonical(&sort_unordered(&a)),
            "<iq><query xmlns='http://jabber.org/protocol/disco#info' node='n'><identity category='account' type='registered'/><identity category='pubsub' type='pep'/><feature var='a'/><feature var='b'/></query></iq>"
        );
    }

    #[test]
    fn roster_versions_are_masked() {
        let push = el(
            "<iq type='set'><query xmlns='jabber:iq:roster' ver='ab12'><item jid='a@b'/></query></iq>",
        );
        assert_eq!(
            canonical(&mask_opaque(&push)),
            "<iq type='set'><query xmlns='jabber:iq:roster' ver='{ver}'><item jid='a@b'/></query></iq>"
        );
    }

    #[test]
    fn command_sessions_and_subscription_ids_are_masked_and_command_children_sorted() {
        let a = el(
            "<iq><command xmlns='http://jabber.org/protocol/commands' sessionid='s1'><x xmlns='jabber:x:data'><field var='b'/><field var='a'/></x><actions/></command></iq>",
        );
        let b = el(
            "<iq><command xmlns='http://jabber.org/protocol/commands' sessionid='s2'><actions/><x xmlns='jabber:x:data'><field var='b'/><field var='a'/></x></command></iq>",
        );
        let stable = |e: &Element| canonical(&sort_unordered(&mask_opaque(e)));
        assert_eq!(stable(&a), stable(&b));
        assert!(
            stable(&a).contains("sessionid='{sessionid}'")
                && stable(&a).contains("<field var='b'/><field var='a'/>"),
            "{}",
            stable(&a)
        );
        let sub = el(
            "<iq><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscription node='n' subid='7A' subscription='subscribed'/></pubsub></iq>",
        );
        assert!(canonical(&mask_opaque(&sub)).contains("subid='{subid}'"));
    }

    #[test]
    fn other_children_keep_their_order() {
        let a = el("<message><body>2</body><x xmlns='urn:a'/><body>1</body></message>");
        assert_eq!(canonical(&sort_unordered(&a)), canonical(&a));
    }

    #[test]
    fn masking_ids_makes_stanzas_that_differ_only_in_ids_equal() {
        let a = without_ids(&el(
            "<message id='1'><x xmlns='urn:a'><item id='p'/></x></message>",
        ));
        let b = without_ids(&el(
            "<message id='2'><x xmlns='urn:a'><item id='q'/></x></message>",
        ));
        assert_eq!(canonical(&a), canonical(&b));
    }
}
