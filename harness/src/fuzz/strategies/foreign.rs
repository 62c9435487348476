//! Arbitrary well-formed foreign payloads, Unicode text, and stanza and
//! scenario texts for the never-panic properties.

use minidom::Element;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

use super::bookmarks::{bookmark_storage, conference};
use super::pubsub::{pubsub_subscriptions, pubsub_subscriptions_xml};
use crate::fuzz::xml::{WithAttrs, serialise};

/// Unicode text without control characters (all allowed in XML 1.0).
pub fn unicode_text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("\\PC{{0,{max}}}")).expect("valid text pattern")
}

/// A well-formed element in a namespace of its own, with attributes, Unicode
/// text and nested children. Namespaces come from a small pool, so a child
/// often shares its parent's.
pub fn foreign_element() -> impl Strategy<Value = Element> {
    let leaf = element_parts().prop_map(|(name, ns, attrs, text)| {
        let mut el = Element::builder(name, ns).with_attrs(&attrs).build();
        if !text.is_empty() {
            el.append_text_node(text);
        }
        el
    });
    leaf.prop_recursive(3, 16, 3, |inner| {
        (element_parts(), vec(inner, 1..4)).prop_map(|((name, ns, attrs, text), children)| {
            let mut el = Element::builder(name, ns).with_attrs(&attrs).build();
            for child in children {
                el.append_child(child);
                if !text.is_empty() {
                    el.append_text_node(text.clone());
                }
            }
            el
        })
    })
}

type Parts = (String, String, Vec<(String, String)>, String);

fn element_parts() -> impl Strategy<Value = Parts> {
    (
        "[a-z][a-z0-9-]{0,5}",
        "urn:fuzz:[ab]{1,2}",
        btree_map("[a-z]{1,4}", unicode_text(6), 0..3).prop_map(|m| m.into_iter().collect()),
        unicode_text(8),
    )
}

/// A real scenario file, the seed that [`scenario_text`] mutates.
const SEED_SCENARIO: &str =
    include_str!("../../../../scenarios/xep-0049/2.1-store-and-retrieve.toml");

/// Scenario-file text: arbitrary Unicode, or a real scenario file with a
/// span deleted and arbitrary text inserted (so most of it stays valid TOML
/// and the loader's later checks are reached).
pub fn scenario_text() -> impl Strategy<Value = String> {
    let mutated = (any::<prop::sample::Index>(), 0usize..40, "\\PC{0,12}").prop_map(
        |(at, delete, insert)| {
            let chars: Vec<char> = SEED_SCENARIO.chars().collect();
            let start = at.index(chars.len().max(1)).min(chars.len());
            let end = (start + delete).min(chars.len());
            let mut text: String = chars[..start].iter().collect();
            text += &insert;
            text.extend(&chars[end..]);
            text
        },
    );
    prop_oneof![unicode_text(64), mutated]
}

/// Stanza-like text: fragments of XML syntax and Unicode glued together.
pub fn stanza_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("</".to_owned()),
        Just("/>".to_owned()),
        Just("<a>".to_owned()),
        Just("</a>".to_owned()),
        Just(" xmlns='urn:x'".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#".to_owned()),
        Just("'".to_owned()),
        unicode_text(4),
    ];
    vec(piece, 0..10).prop_map(|p| p.concat())
}

/// A payload to publish, as XML text: a foreign element, a XEP-0402
/// conference, XEP-0048 storage or XEP-0173 subscriptions.
pub fn payload_text() -> impl Strategy<Value = String> {
    prop_oneof![
        foreign_element().prop_map(|e| serialise(&e)),
        conference().prop_map(|c| c.xml()),
        bookmark_storage().prop_map(|s| s.xml()),
        pubsub_subscriptions().prop_map(|s| pubsub_subscriptions_xml(&s)),
    ]
}
