//! What a reused account holds between cases, and wiping it: PEP nodes
//! (XEP-0163, found with disco#items on the bare JID), private XML storage
//! (XEP-0049, which also holds XEP-0048 bookmarks) and roster items with
//! their subscriptions (RFC 6121). Each runs on a session of its own, which
//! sends no presence and appears in no transcript.

use std::time::{Duration, Instant};

use minidom::Element;

use crate::ns;
use crate::session::{Account, Claim, Endpoint, Session, SessionError, SessionSpec};
use crate::stanza::build::WithAttr;
use crate::stanza::parse::parse_stanza;
use crate::stanza::placeholder::render;

/// How long the whole check or cleanup of one account may take.
const BUDGET: Duration = Duration::from_secs(15);

/// One private XML storage slot: the element name and its namespace
/// (`storage` in `storage:bookmarks`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PrivateSlot {
    /// The element's local name.
    pub name: String,
    /// The element's namespace.
    pub ns: String,
}

impl PrivateSlot {
    /// The slots that XEP-0048's bookmarks use, checked on every reused
    /// account (XEP-0402 servers mirror PEP bookmarks into them).
    pub fn bookmarks() -> PrivateSlot {
        PrivateSlot {
            name: "storage".into(),
            ns: ns::BOOKMARKS.into(),
        }
    }

    /// The slots that `stanzas` (templates whose placeholders are filled
    /// with dummies) store into or read from, plus [`PrivateSlot::bookmarks`];
    /// sorted, once each. A template that does not parse is skipped.
    pub fn used_by<'a>(stanzas: impl IntoIterator<Item = &'a str>) -> Vec<PrivateSlot> {
        let mut slots = vec![PrivateSlot::bookmarks()];
        for text in stanzas {
            let Ok(filled) = render(text, false, |_| Some("x".into())) else {
                continue;
            };
            let Ok(stanza) = parse_stanza(&filled) else {
                continue;
            };
            let queries = stanza.children().filter(|c| c.is("query", ns::PRIVATE));
            for child in queries.flat_map(|q| q.children()) {
                slots.push(PrivateSlot {
                    name: child.name().to_owned(),
                    ns: child.ns(),
                });
            }
        }
        slots.sort();
        slots.dedup();
        slots
    }
}

/// What `account` holds that a fresh account would not: PEP nodes with
/// items, roster items, and content in the given private XML slots, one
/// line each. An empty node is not counted: it cannot be told from one the
/// server makes at every login (Prosody 13 makes `storage:bookmarks` at
/// resource bind), which a fresh account gets as well.
pub async fn leftovers(
    endpoint: &Endpoint,
    account: &Account,
    slots: &[PrivateSlot],
) -> Result<Vec<String>, SessionError> {
    let mut session = open(endpoint, account).await?;
    let deadline = Instant::now() + BUDGET;
    let mut found = Vec::new();
    for node in pep_nodes(&mut session, deadline).await? {
        let items = item_count(&mut session, &node, deadline).await?;
        if items > 0 {
            found.push(format!("PEP node {node} ({items} items)"));
        }
    }
    for (jid, subscription) in roster(&mut session, deadline).await? {
        found.push(format!("roster item {jid} (subscription {subscription})"));
    }
    for slot in slots {
        if holds(&mut session, slot, deadline).await? {
            found.push(format!("private XML <{} xmlns='{}'>", slot.name, slot.ns));
        }
    }
    session.close(deadline).await;
    Ok(found)
}

/// Empties `account`: the given private XML slots, then every roster item
/// (which ends its subscriptions), then every PEP node.
pub async fn clean(
    endpoint: &Endpoint,
    account: &Account,
    slots: &[PrivateSlot],
) -> Result<(), SessionError> {
    let mut session = open(endpoint, account).await?;
    let deadline = Instant::now() + BUDGET;
    // Only slots that hold something are emptied: on a server that mirrors
    // XEP-0048 bookmarks into PEP, storing even empty ones makes a node.
    for slot in slots {
        if holds(&mut session, slot, deadline).await? {
            request(&mut session, "set", None, private_query(slot), deadline).await?;
        }
    }
    for (jid, _) in roster(&mut session, deadline).await? {
        let item = Element::builder("item", ns::ROSTER)
            .with("jid", jid.as_str())
            .with("subscription", "remove");
        let query = Element::builder("query", ns::ROSTER).append(item).build();
        request(&mut session, "set", None, query, deadline).await?;
    }
    delete_pep_nodes(&mut session, deadline).await?;
    session.close(deadline).await;
    Ok(())
}

/// Deletes every PEP node; a server may make a node when another goes
/// (bookmarks mirrored between their PEP forms), so the nodes are listed
/// again until none is left (three rounds at most).
async fn delete_pep_nodes(session: &mut Session, deadline: Instant) -> Result<(), SessionError> {
    let bare = session.jid().to_bare().to_string();
    for _ in 0..3 {
        let nodes = pep_nodes(session, deadline).await?;
        if nodes.is_empty() {
            break;
        }
        for node in nodes {
            let delete = Element::builder("delete", ns::PUBSUB_OWNER).with("node", node.as_str());
            let pubsub = Element::builder("pubsub", ns::PUBSUB_OWNER)
                .append(delete)
                .build();
            request(session, "set", Some(&bare), pubsub, deadline).await?;
        }
    }
    Ok(())
}

/// How many items PEP node `node` of the session's account holds.
async fn item_count(
    session: &mut Session,
    node: &str,
    deadline: Instant,
) -> Result<usize, SessionError> {
    let bare = session.jid().to_bare().to_string();
    let items = Element::builder("items", ns::PUBSUB).with("node", node);
    let pubsub = Element::builder("pubsub", ns::PUBSUB).append(items).build();
    let answer = answer(session, "get", Some(&bare), pubsub, deadline).await?;
    // Prosody answers for the XEP-0048 node it made itself at login from its
    // XEP-0402 store, and says item-not-found while that store is empty.
    if answer.attr("type") == Some("error") && is_item_not_found(&answer) {
        return Ok(0);
    }
    let answer = as_result(answer, "get pubsub items")?;
    Ok(answer
        .get_child("pubsub", ns::PUBSUB)
        .and_then(|p| p.get_child("items", ns::PUBSUB))
        .map_or(0, |i| i.children().count()))
}

/// Whether private XML `slot` holds anything.
async fn holds(
    session: &mut Session,
    slot: &PrivateSlot,
    deadline: Instant,
) -> Result<bool, SessionError> {
    let answer = request(session, "get", None, private_query(slot), deadline).await?;
    let stored = answer
        .get_child("query", ns::PRIVATE)
        .and_then(|q| q.get_child(&slot.name, slot.ns.as_str()));
    Ok(stored.is_some_and(|s| s.children().next().is_some() || !s.text().trim().is_empty()))
}

async fn open(endpoint: &Endpoint, account: &Account) -> Result<Session, SessionError> {
    Session::open(SessionSpec {
        endpoint: endpoint.clone(),
        account: account.clone(),
        resource: format!("xepspec-cleanup-{:08x}", rand::random::<u32>()),
        caps: None,
        origin: Instant::now(),
    })
    .await
}

/// The nodes disco#items lists on the account's bare JID.
async fn pep_nodes(session: &mut Session, deadline: Instant) -> Result<Vec<String>, SessionError> {
    let bare = session.jid().to_bare().to_string();
    let query = Element::builder("query", ns::DISCO_ITEMS).build();
    let answer = request(session, "get", Some(&bare), query, deadline).await?;
    Ok(answer
        .get_child("query", ns::DISCO_ITEMS)
        .map(|q| {
            q.children()
                .filter_map(|item| item.attr("node").map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// The roster's items as (JID, subscription).
async fn roster(
    session: &mut Session,
    deadline: Instant,
) -> Result<Vec<(String, String)>, SessionError> {
    let query = Element::builder("query", ns::ROSTER).build();
    let answer = request(session, "get", None, query, deadline).await?;
    Ok(answer
        .get_child("query", ns::ROSTER)
        .map(|q| {
            q.children()
                .filter_map(|item| {
                    let jid = item.attr("jid")?.to_owned();
                    let subscription = item.attr("subscription").unwrap_or("none").to_owned();
                    Some((jid, subscription))
                })
                .collect()
        })
        .unwrap_or_default())
}

/// `<query xmlns='jabber:iq:private'>` holding the slot's empty element: a
/// get of the slot, or a set that empties it.
fn private_query(slot: &PrivateSlot) -> Element {
    let empty = Element::builder(slot.name.as_str(), slot.ns.as_str()).build();
    Element::builder("query", ns::PRIVATE).append(empty).build()
}

/// Sends an IQ of type `kind` carrying `payload` and returns its `result`;
/// an `error` answer, or none in time, is an error naming the request.
async fn request(
    session: &mut Session,
    kind: &str,
    to: Option<&str>,
    payload: Element,
    deadline: Instant,
) -> Result<Element, SessionError> {
    let what = format!("{kind} {} {}", payload.name(), payload.ns());
    as_result(answer(session, kind, to, payload, deadline).await?, &what)
}

/// `answer` when it is a `result`, else an error naming the request.
fn as_result(answer: Element, what: &str) -> Result<Element, SessionError> {
    if answer.attr("type") == Some("result") {
        Ok(answer)
    } else {
        Err(SessionError::Unexpected(format!(
            "{what}: {}",
            String::from(&answer)
        )))
    }
}

/// Whether an IQ error carries the item-not-found condition.
fn is_item_not_found(answer: &Element) -> bool {
    answer
        .get_child("error", ns::JABBER_CLIENT)
        .is_some_and(|e| e.has_child("item-not-found", ns::XMPP_STANZAS))
}

/// Sends an IQ of type `kind` carrying `payload` and returns the answer,
/// `result` or `error`; none in time is an error.
async fn answer(
    session: &mut Session,
    kind: &str,
    to: Option<&str>,
    payload: Element,
    deadline: Instant,
) -> Result<Element, SessionError> {
    let id = session.fresh_id("cleanup");
    let what = format!("{kind} {} {}", payload.name(), payload.ns());
    let mut builder = Element::builder("iq", ns::JABBER_CLIENT)
        .with("type", kind)
        .with("id", id.as_str());
    if let Some(to) = to {
        builder = builder.with("to", to);
    }
    session.send(builder.append(payload).build()).await?;
    session
        .claim(deadline, |el| {
            Claim::take_if(el.name() == "iq" && el.attr("id") == Some(id.as_str()))
        })
        .await?
        .ok_or_else(|| SessionError::Timeout(format!("the answer to {what}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_read_from_private_queries_with_placeholders() {
        let set = "<iq type='set' id='{id}'><query xmlns='jabber:iq:private'>\
                   <subscriptions xmlns='storage:pubsubs'><s user='{juliet}'/></subscriptions>\
                   </query></iq>";
        let other = "<iq type='get' id='{id}'><query xmlns='jabber:iq:roster'/></iq>";
        let slots = PrivateSlot::used_by([set, other, "<not xml"]);
        let names: Vec<String> = slots
            .iter()
            .map(|s| format!("{}:{}", s.ns, s.name))
            .collect();
        assert_eq!(
            names,
            ["storage:bookmarks:storage", "storage:pubsubs:subscriptions"]
        );
    }
}
