//! A XEP's examples read as a story: which stanzas a client sends, which a
//! server sends back, who the people are, and which request each server
//! stanza answers. `skeleton` turns the story into scenarios.
//!
//! Direction is read from the stanza: an `iq` get/set is a client's unless
//! it is addressed to a person by someone else (a push); an `iq`
//! result/error is the server's, unless a person's full JID sends it to a
//! domain (the client answering its server); a message or presence is the
//! server's when addressed to a full JID from someone else, a client's
//! when a person's full JID sends it.

use std::collections::BTreeMap;

use minidom::Element;

use super::fragment::{self, Fragment, Tag};
use super::source::{Example, XepSource};
use crate::ns::{DISCO_INFO, JABBER_CLIENT, PUBSUB, PUBSUB_EVENT};

/// Who sends a stanza of an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A client sends it to its server.
    Send,
    /// The server delivers it to a client.
    Receive,
    /// A client answers its server's request (disco#info, say): the
    /// session does that itself.
    ClientAnswer,
}

/// One stanza of one example.
#[derive(Debug, Clone)]
pub struct Stanza<'a> {
    /// The example it is in.
    pub example: &'a Example,
    /// The stanza.
    pub element: Element,
    /// Its text as the example prints it (comments and elisions blanked).
    pub text: String,
    /// Its start tags, offsets relative to `text`.
    pub tags: Vec<Tag>,
    /// Who sends it.
    pub direction: Direction,
}

/// A JID split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Jid {
    /// Local part (empty for a domain).
    pub local: String,
    /// Domain part.
    pub domain: String,
    /// Resource part.
    pub resource: Option<String>,
}

impl Jid {
    /// Splits a JID; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Jid> {
        let (bare, resource) = match text.split_once('/') {
            Some((b, r)) => (b, Some(r.to_owned())),
            None => (text, None),
        };
        let (local, domain) = bare.split_once('@').unwrap_or(("", bare));
        if domain.is_empty() || domain.contains(char::is_whitespace) {
            return None;
        }
        Some(Jid {
            local: local.to_owned(),
            domain: domain.to_owned(),
            resource,
        })
    }

    /// Whether it names a person's resource.
    pub fn is_full(&self) -> bool {
        !self.local.is_empty() && self.resource.is_some()
    }
}

/// The stanzas of a XEP's examples, in order, and the people in them.
#[derive(Debug)]
pub struct Story<'a> {
    /// Every stanza (`iq`, `message`, `presence`) of every XML example.
    pub stanzas: Vec<Stanza<'a>>,
    /// The people (local parts that send or receive stanzas) with the
    /// resources they use, in order of appearance.
    pub people: BTreeMap<String, Vec<String>>,
    /// The domains of the people.
    pub domains: Vec<String>,
    /// Notification interests (`ns` of `ns+notify`) a person's resource
    /// advertises in a disco#info answer, by `local/resource`.
    pub notify: BTreeMap<String, Vec<String>>,
    /// Examples that are not stanzas, with why.
    pub skipped: Vec<(usize, String)>,
}

impl<'a> Story<'a> {
    /// Reads the story of `source`.
    pub fn read(source: &'a XepSource) -> Self {
        let mut story = Story {
            stanzas: Vec::new(),
            people: BTreeMap::new(),
            domains: Vec::new(),
            notify: BTreeMap::new(),
            skipped: Vec::new(),
        };
        for example in &source.examples {
            story.add_example(example);
        }
        story.classify();
        story
    }

    fn add_example(&mut self, example: &'a Example) {
        let parsed = match fragment::parse(&example.text) {
            Fragment::Parsed(p) => p,
            Fragment::NotXml => return self.skip(example, "not XML"),
            Fragment::Broken(_) => return self.skip(example, "not well-formed"),
        };
        let before = self.stanzas.len();
        let mut tag_index = 0;
        for (root, span) in parsed.roots.iter().zip(&parsed.spans) {
            let count = fragment::walk(std::slice::from_ref(root)).len();
            let tags = parsed.tags[tag_index..(tag_index + count).min(parsed.tags.len())]
                .iter()
                .map(|t| rebase(t, span.start))
                .collect();
            tag_index += count;
            let is_stanza =
                root.ns() == JABBER_CLIENT && matches!(root.name(), "iq" | "message" | "presence");
            if is_stanza {
                self.stanzas.push(Stanza {
                    example,
                    element: root.clone(),
                    text: parsed.prepared[span.clone()].to_owned(),
                    tags,
                    direction: Direction::Send,
                });
            }
        }
        if self.stanzas.len() == before {
            self.skip(
                example,
                "holds no stanza (a payload or stream-level element)",
            );
        }
    }

    fn skip(&mut self, example: &Example, why: &str) {
        self.skipped.push((example.number, why.to_owned()));
    }

    /// Finds the people, then each stanza's direction and the notification
    /// interests of disco answers.
    fn classify(&mut self) {
        for stanza in &self.stanzas {
            for attr in ["from", "to"] {
                let Some(jid) = stanza.element.attr(attr).and_then(Jid::parse) else {
                    continue;
                };
                if jid.local.is_empty() {
                    continue;
                }
                let resources = self.people.entry(jid.local.clone()).or_default();
                if let Some(r) = jid.resource.filter(|r| !resources.contains(r)) {
                    resources.push(r);
                }
                if !self.domains.contains(&jid.domain) {
                    self.domains.push(jid.domain);
                }
            }
        }
        for i in 0..self.stanzas.len() {
            let direction = direction(&self.stanzas[i]);
            self.stanzas[i].direction = direction;
            if direction == Direction::ClientAnswer {
                self.note_interests(i);
            }
        }
    }

    fn note_interests(&mut self, index: usize) {
        let stanza = &self.stanzas[index];
        let Some(from) = stanza.element.attr("from").and_then(Jid::parse) else {
            return;
        };
        let Some(query) = stanza.element.get_child("query", DISCO_INFO) else {
            return;
        };
        let actor = format!("{}/{}", from.local, from.resource.unwrap_or_default());
        let interests: Vec<String> = query
            .children()
            .filter_map(|f| f.attr("var"))
            .filter_map(|v| v.strip_suffix("+notify"))
            .map(str::to_owned)
            .collect();
        self.notify.entry(actor).or_default().extend(interests);
    }

    /// The stanza a client sends that makes the server send `index`: the
    /// request with the same id for an `iq` answer; the publish or
    /// retraction of the same item for a pubsub notification (the publish
    /// with the same payload, else the first).
    pub fn trigger(&self, index: usize) -> Option<usize> {
        let stanza = &self.stanzas[index];
        let sends =
            || (0..self.stanzas.len()).filter(|&i| self.stanzas[i].direction == Direction::Send);
        if stanza.element.name() == "iq" {
            let id = stanza.element.attr("id")?;
            return sends().rfind(|&i| i < index && self.stanzas[i].element.attr("id") == Some(id));
        }
        let items = stanza
            .element
            .get_child("event", PUBSUB_EVENT)?
            .get_child("items", PUBSUB_EVENT)?;
        if let Some(item) = items.get_child("item", PUBSUB_EVENT) {
            let id = item.attr("id")?;
            let publishes: Vec<usize> = sends()
                .filter(|&i| pubsub_item(&self.stanzas[i].element, "publish", id).is_some())
                .collect();
            let same = publishes.iter().copied().find(|&i| {
                pubsub_item(&self.stanzas[i].element, "publish", id)
                    .is_some_and(|p| same_payload(p, item))
            });
            return same.or(publishes.first().copied());
        }
        let retracted = items.get_child("retract", PUBSUB_EVENT)?.attr("id")?;
        sends().find(|&i| pubsub_item(&self.stanzas[i].element, "retract", retracted).is_some())
    }
}

fn rebase(tag: &Tag, start: usize) -> Tag {
    let mut tag = tag.clone();
    tag.offset -= start;
    for attr in &mut tag.attributes {
        attr.offset -= start;
        attr.start -= start;
    }
    tag
}

fn direction(stanza: &Stanza<'_>) -> Direction {
    let el = &stanza.element;
    let from = el.attr("from").and_then(Jid::parse);
    let to = el.attr("to").and_then(Jid::parse);
    let from_full = from.as_ref().is_some_and(Jid::is_full);
    let to_person_from_other = to.as_ref().is_some_and(|t| {
        t.is_full()
            && from
                .as_ref()
                .is_none_or(|f| f.local != t.local || !from_full)
    });
    match (el.name(), el.attr("type").unwrap_or("")) {
        ("iq", "result" | "error") => {
            let to_server = to.as_ref().is_none_or(|t| t.local.is_empty());
            if from_full && to_server {
                Direction::ClientAnswer
            } else {
                Direction::Receive
            }
        }
        ("iq", _) if to_person_from_other && from.is_some() => Direction::Receive,
        ("iq", _) => Direction::Send,
        _ if to_person_from_other => Direction::Receive,
        _ if from_full || from.is_none() => Direction::Send,
        _ => Direction::Receive,
    }
}

/// The `<item id>` of a pubsub `publish` or `retract` in `stanza`.
fn pubsub_item<'e>(stanza: &'e Element, operation: &str, id: &str) -> Option<&'e Element> {
    stanza
        .get_child("pubsub", PUBSUB)?
        .get_child(operation, PUBSUB)?
        .children()
        .find(|i| i.is("item", PUBSUB) && i.attr("id") == Some(id))
}

fn same_payload(a: &Element, b: &Element) -> bool {
    let payload = |e: &Element| {
        e.children().next().map(|c| {
            let mut out = Vec::new();
            // Writing to memory cannot fail short of running out of it.
            let _ = c.write_to(&mut out);
            String::from_utf8_lossy(&out).into_owned()
        })
    };
    payload(a).is_some() && payload(a).map(|s| collapse(&s)) == payload(b).map(|s| collapse(&s))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
