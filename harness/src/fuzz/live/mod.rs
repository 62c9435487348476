//! Live properties: what a server does with generated payloads and with
//! equivalent lexical forms, checked over two sessions of one account kept
//! open across cases (a round trip is the only barrier; nothing sleeps).

use minidom::Element;

use super::deviations::{FORM_BOOLEAN_WHITESPACE, RAW_WHITESPACE_IN_ATTRIBUTE};
use super::live_stanzas::{
    BOOKMARKS2_NODE, FUZZ_NODE, config_value, configure, items, items_in, literal, outcome_of,
    private_options, publish,
};
use super::properties::{Checked, Outcome};
use super::strategies::{BooleanForm, Conference};
use crate::ns::{self, PUBSUB};
use crate::stanza::build::replace_attr;
use crate::stanza::canonical::canonical;
use crate::stanza::parse::parse_stanza;

mod bench;

pub use bench::Bench;
use bench::notified;

fn compare(what: &str, sent: &str, got: Option<&Element>) -> Result<(), String> {
    match got {
        Some(got) if canonical(got) == sent => Ok(()),
        Some(got) => Err(format!(
            "{what} differs from the payload published:\nsent: {sent}\ngot:  {}",
            canonical(got)
        )),
        None => Err(format!("{what}: no payload came back")),
    }
}

/// Whether `text` has whitespace other than the space.
fn other_whitespace(text: &str) -> bool {
    text.contains(['\t', '\n', '\r'])
}

/// Whether `element` or a descendant has an attribute holding a tab, LF or
/// CR.
fn whitespace_in_attribute(element: &Element) -> bool {
    element
        .attrs()
        .into_iter()
        .any(|(_, v)| other_whitespace(v))
        || element.children().any(whitespace_in_attribute)
}

/// A failure of a case whose payload has a tab, LF or CR in an attribute is
/// the known raw-whitespace deviation; any other failure stands.
fn unless_raw_whitespace(sent: &Element, checked: Result<(), String>) -> Checked {
    match checked {
        Ok(()) => Ok(Outcome::Holds),
        Err(_) if whitespace_in_attribute(sent) => Ok(Outcome::Known(&RAW_WHITESPACE_IN_ATTRIBUTE)),
        Err(e) => Err(e),
    }
}

/// Payload preservation: `payload` (XML text) published with XEP-0223's
/// publish-options comes back canonically equal in the notification to
/// both `+notify` resources and in an items retrieval.
pub async fn payload_preserved(bench: &mut Bench, payload: &str) -> Checked {
    let sent = parse_stanza(payload).map_err(|e| format!("generated payload: {}", e.message))?;
    let checked = preserved(bench, payload).await;
    bench.forget();
    unless_raw_whitespace(&sent, checked)
}

async fn preserved(bench: &mut Bench, payload: &str) -> Result<(), String> {
    let item = format!("c{}", bench.next());
    let text = publish(
        FUZZ_NODE,
        &item,
        &literal(payload),
        &private_options("true", &[]),
    );
    let (iq, answer) = bench.ask(&text).await?;
    let sent = iq
        .get_child("pubsub", PUBSUB)
        .and_then(|p| p.get_child("publish", PUBSUB))
        .and_then(|p| p.get_child("item", PUBSUB))
        .and_then(|i| i.children().next())
        .map(canonical)
        .ok_or("the generated publish has no payload")?;
    if outcome_of(&answer) != "result" {
        return Err(format!("the publish was refused: {}", canonical(&answer)));
    }
    let at_publisher = notified(&mut bench.publisher, FUZZ_NODE, &item).await?;
    compare(
        "the notification to the publishing resource",
        &sent,
        at_publisher.as_ref(),
    )?;
    let at_watcher = notified(&mut bench.watcher, FUZZ_NODE, &item).await?;
    compare(
        "the notification to the other resource",
        &sent,
        at_watcher.as_ref(),
    )?;
    let (_, stored) = bench.ask(&items(FUZZ_NODE, Some(&item))).await?;
    let found = items_in(&stored, FUZZ_NODE)
        .into_iter()
        .find(|(i, _)| *i == item)
        .and_then(|(_, p)| p);
    compare("the item retrieved", &sent, found.as_ref())
}

/// The value of an `xs:boolean` lexical form (whitespace collapsed), or
/// `None` for any other text.
pub fn xs_boolean(text: &str) -> Option<bool> {
    match text.trim_matches([' ', '\t', '\n', '\r']) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// What a server did with one publish-options publish to a fresh node:
/// the answer, the items stored, and the node's `persist_items` as a value.
async fn persist_outcome(bench: &mut Bench, form: &BooleanForm) -> Result<String, String> {
    let node = format!("{FUZZ_NODE}:p{}", bench.next());
    let payload = format!("<value xmlns='{FUZZ_NODE}'/>");
    let text = publish(
        &node,
        "current",
        &payload,
        &private_options(&form.text, &[]),
    );
    let (_, answer) = bench.ask(&text).await?;
    let published = outcome_of(&answer);
    let (_, stored) = bench.ask(&items(&node, None)).await?;
    let ids: Vec<String> = items_in(&stored, &node)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    if published == "result" && form.value && !ids.iter().any(|i| i == "current") {
        return Err(format!(
            "persist_items={:?} was accepted but the item is not stored (items: {})",
            form.text,
            canonical(&stored)
        ));
    }
    let (_, config) = bench.ask(&configure(&node)).await?;
    let persist = match config_value(&config, "pubsub#persist_items") {
        Some(v) => format!("{:?}", xs_boolean(&v)),
        None => outcome_of(&config),
    };
    Ok(format!(
        "publish: {published}; items: {} {ids:?}; persist_items: {persist}",
        outcome_of(&stored)
    ))
}

/// Boolean equivalence of `pubsub#persist_items`: two lexical forms of the
/// same value, each published to a fresh node, lead to the same answer, the
/// same items stored and the same configured value.
pub async fn persist_items_equivalent(
    bench: &mut Bench,
    forms: &(BooleanForm, BooleanForm),
) -> Checked {
    let a = persist_outcome(bench, &forms.0).await?;
    let b = persist_outcome(bench, &forms.1).await?;
    bench.forget();
    let refused = |o: &str| o.starts_with("publish: error");
    let padded_refused = (forms.0.is_padded() && !forms.1.is_padded() && refused(&a))
        || (forms.1.is_padded() && !forms.0.is_padded() && refused(&b));
    if a == b {
        Ok(Outcome::Holds)
    } else if padded_refused {
        Ok(Outcome::Known(&FORM_BOOLEAN_WHITESPACE))
    } else {
        Err(format!(
            "persist_items {:?} and {:?} differ:\n{a}\n{b}",
            forms.0.text, forms.1.text
        ))
    }
}

/// The stored conference with `autojoin` replaced by its value.
fn autojoin_normalised(conference: &Element) -> String {
    let mut el = conference.clone();
    if let Some(text) = el.attr("autojoin").map(str::to_owned) {
        let value = xs_boolean(&text).map_or(text, |b| b.to_string());
        replace_attr(&mut el, "autojoin", &value);
    }
    canonical(&el)
}

async fn autojoin_outcome(
    bench: &mut Bench,
    conference: &Conference,
    form: &BooleanForm,
) -> Result<String, String> {
    let room = format!("room{}@muc.example", bench.next());
    let mut conference = conference.clone();
    conference.ns = ns::BOOKMARKS2;
    conference.autojoin = Some(form.clone());
    let options = private_options(
        "true",
        &[
            ("pubsub#max_items", "max"),
            ("pubsub#send_last_published_item", "never"),
        ],
    );
    let text = publish(
        BOOKMARKS2_NODE,
        &room,
        &literal(&conference.xml()),
        &options,
    );
    let (_, answer) = bench.ask(&text).await?;
    let (_, stored) = bench.ask(&items(BOOKMARKS2_NODE, Some(&room))).await?;
    let found = items_in(&stored, BOOKMARKS2_NODE)
        .into_iter()
        .find(|(i, _)| *i == room)
        .and_then(|(_, p)| p);
    Ok(format!(
        "publish: {}; stored: {}",
        outcome_of(&answer),
        found.as_ref().map_or("nothing".into(), autojoin_normalised)
    ))
}

/// Boolean equivalence of XEP-0402 `autojoin`: the same conference with
/// `autojoin` in two lexical forms of one value is answered and stored
/// alike (compared with `autojoin` read as a value).
pub async fn autojoin_equivalent(
    bench: &mut Bench,
    case: &(Conference, (BooleanForm, BooleanForm)),
) -> Checked {
    let (conference, (a, b)) = case;
    let checked = autojoin_alike(bench, conference, a, b).await;
    bench.forget();
    match checked {
        Err(_) if other_whitespace(&a.text) || other_whitespace(&b.text) => {
            Ok(Outcome::Known(&RAW_WHITESPACE_IN_ATTRIBUTE))
        }
        Err(e) => Err(e),
        Ok(()) => Ok(Outcome::Holds),
    }
}

async fn autojoin_alike(
    bench: &mut Bench,
    conference: &Conference,
    a: &BooleanForm,
    b: &BooleanForm,
) -> Result<(), String> {
    let first = autojoin_outcome(bench, conference, a).await?;
    let second = autojoin_outcome(bench, conference, b).await?;
    if first == second {
        Ok(())
    } else {
        Err(format!(
            "autojoin {:?} and {:?} differ:\n{first}\n{second}",
            a.text, b.text
        ))
    }
}
