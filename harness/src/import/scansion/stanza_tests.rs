//! The scansion importer's stanza rewriting, without a server: variables,
//! JIDs and services as placeholders, wildcards and captures, strictness.

use super::stanza_text::{Rewriter, Use};
use super::tests::{TWO_CLIENTS, cast_of, payload};
use super::*;

fn rewrite(text: &str, used: Use) -> (Vec<String>, Vec<Note>) {
    let (cast, _) = cast_of(TWO_CLIENTS);
    let mut rewriter = Rewriter::new(&cast);
    let mut notes = Vec::new();
    let out = rewriter
        .stanzas(&payload(text), used, &mut notes)
        .unwrap_or_default();
    (out, notes)
}

#[test]
fn variables_and_jids_become_placeholders() {
    let (out, notes) = rewrite(
        "<message to=\"${Juliet's phone's full JID}\" from=\"${Romeo's JID}\">\n\t<body>juliet@localhost and romeo@localhost/orchard, nurse@localhost, localhost</body>\n</message>",
        Use::Send,
    );
    assert_eq!(
        out,
        [
            "<message to=\"{juliet/mobile}\" from=\"{romeo}\">\n  <body>{juliet} and {romeo/orchard}, nurse@{domain}, {domain}</body>\n</message>"
        ]
    );
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn names_that_only_contain_the_domain_are_left_alone() {
    let (out, _) = rewrite(
        "<x a='notlocalhost' b='localhost2' c='a.b.localhost'/>",
        Use::Send,
    );
    assert_eq!(
        out,
        ["<x a='notlocalhost' b='localhost2' c='a.b.localhost'/>"]
    );
}

#[test]
fn services_become_service_placeholders() {
    let (cast, _) = cast_of(TWO_CLIENTS);
    let mut rewriter = Rewriter::new(&cast);
    let mut notes = Vec::new();
    let out = rewriter.stanzas(
        &payload("<presence to='room@conference.localhost/Romeo'><x a='pubsub.localhost' b='upload.localhost' c='upload.localhost'/></presence>"),
        Use::Send,
        &mut notes,
    );
    assert_eq!(
        out.unwrap(),
        [
            "<presence to='room@{service:muc}/Romeo'><x a='{service:pubsub}' b='upload.{domain}' c='upload.{domain}'/></presence>"
        ]
    );
    assert_eq!(
        rewriter.services.iter().collect::<Vec<_>>(),
        ["muc", "pubsub"]
    );
    assert_eq!(notes.len(), 1, "one note per unknown host: {notes:?}");
}

#[test]
fn wildcards_captures_and_braces() {
    let (cast, _) = cast_of(TWO_CLIENTS);
    let mut rewriter = Rewriter::new(&cast);
    let mut notes = Vec::new();
    let mut run = |text: &str, used| {
        rewriter
            .stanzas(&payload(text), used, &mut notes)
            .unwrap()
            .remove(0)
    };
    assert_eq!(
        run("<iq type='result' id='{scansion:any}'/>", Use::Send),
        "<iq type='result' id='{{scansion:any}}'/>"
    );
    assert_eq!(
        run(
            "<iq id='{scansion:capture:q}'><x a='{scansion:any}'>{text}</x></iq>",
            Use::Expect
        ),
        "<iq id='{=q}'><x a='{any}'>{{text}}</x></iq>"
    );
    assert_eq!(
        run("<iq type='result' id='{scansion:capture:q}'/>", Use::Send),
        "<iq type='result' id='{q}'/>"
    );
    assert_eq!(
        run("<iq id='{scansion:capture:juliet}'/>", Use::Expect),
        "<iq id='{=captured-juliet}'/>",
        "a capture may not shadow an account"
    );
    assert_eq!(
        run(
            "<iq id=\"${Nobody's JID}\" to=\"${Romeo's resource}\"/>",
            Use::Send
        ),
        "<iq id=\"${{Nobody's JID}}\" to=\"${{Romeo's resource}}\"/>"
    );
    let messages: Vec<&str> = notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("sent as it is written"));
    assert!(messages[1].contains("names no client"));
    assert!(messages[2].contains("not a variable"));
}

#[test]
fn a_capture_sent_before_it_is_bound_is_noted() {
    let (out, notes) = rewrite("<iq id='{scansion:capture:q}'/>", Use::Send);
    assert_eq!(out, ["<iq id='{{scansion:capture:q}}'/>"]);
    assert!(
        notes[0]
            .message
            .contains("before a received stanza captured it")
    );
}

#[test]
fn strictness_follows_scansion_namespaces_and_overrides() {
    let (out, notes) = rewrite(
        "<iq type='result'>\n\t<query xmlns='jabber:iq:version'>\n\t\t<name>Prosody</name>\n\t\t<version scansion:strict='false'/>\n\t</query>\n\t<x xmlns='urn:a' scansion:strict=\"false\"><y xmlns='urn:b'/></x>\n\t<error><gone xmlns='urn:c'><z/></gone></error>\n</iq>",
        Use::Expect,
    );
    assert_eq!(
        out,
        [
            "<iq type='result' xmlns:t='urn:xepspec:template'>\n  <query xmlns='jabber:iq:version' t:strict='true'>\n    <name>Prosody</name>\n    <version t:strict='false'/>\n  </query>\n  <x xmlns='urn:a' t:strict='false'><y xmlns='urn:b' t:strict='true'/></x>\n  <error><gone xmlns='urn:c' t:strict='true'><z/></gone></error>\n</iq>"
        ]
    );
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn a_stanza_without_strictness_declares_no_template_prefix() {
    let (out, _) = rewrite("<presence from='localhost'/>", Use::Expect);
    assert_eq!(out, ["<presence from='{domain}'/>"]);
}

#[test]
fn strictness_in_a_sent_stanza_is_dropped_with_a_note() {
    let (out, notes) = rewrite(
        "<iq><query xmlns='urn:a' scansion:strict='true'/></iq>",
        Use::Send,
    );
    assert_eq!(out, ["<iq><query xmlns='urn:a'/></iq>"]);
    assert!(notes[0].message.contains("means nothing"));
}

#[test]
fn a_payload_may_hold_several_stanzas() {
    let (out, _) = rewrite("<presence/>\n<message><body/></message>", Use::Send);
    assert_eq!(out, ["<presence/>", "<message><body/></message>"]);
}

#[test]
fn xml_that_is_not_well_formed_is_noted_at_its_line() {
    let (out, notes) = rewrite("<iq>\n\t<query>\n</iq>", Use::Expect);
    assert!(out.is_empty());
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].line, 12);
    assert!(notes[0].message.contains("not well-formed"));
}

#[test]
fn an_attribute_that_is_not_well_formed_is_noted() {
    let (out, notes) = rewrite("<iq id='${Romeo's JID}'/>", Use::Send);
    assert!(out.is_empty());
    assert!(notes[0].message.contains("not well-formed"), "{notes:?}");
}
