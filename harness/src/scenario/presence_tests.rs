//! Loading tests for a client's own caps, answers and `presence` steps:
//! what loads, and each misuse refused at its line and column.

use std::path::Path;

use super::*;

/// A scenario that uses every construct: its own caps node and features,
/// answers of its own to the server's caps query, a capture used in a
/// send, and presence steps.
const CAPS: &str = r#"
title = "The server asks about the caps node"
[spec]
xep = 115
versions = ["1.6.0"]
section = "6.2"
quote = "The disco 'node' attribute MUST be included"
level = "MUST"

[[actor]]
name = "juliet/balcony"
caps_node = "https://example.org/client"
features = ["urn:xmpp:tmp:xepspec:{unique}"]
notify = ["http://jabber.org/protocol/tune"]
answers = "scenario"

[[step]]
expect = "juliet/balcony"
xml = '''
<iq type='get' id='{=q}'>
  <query xmlns='http://jabber.org/protocol/disco#info' node='{caps:juliet/balcony}'/>
</iq>'''

[[step]]
send = "juliet/balcony"
xml = '''<iq type='result' id='{q}'><query xmlns='http://jabber.org/protocol/disco#info' node='{caps:juliet/balcony}'/></iq>'''

[[step]]
presence = "juliet/balcony"
notify = []
features = ["urn:example"]

[[step]]
presence = "juliet/balcony"
xml = '''<presence type='unavailable'/>'''
"#;

fn load(text: &str) -> Result<Scenario, LoadErrors> {
    load_str(text, Path::new("x.toml"), "x")
}

fn first_error(text: &str) -> LoadError {
    load(text).unwrap_err().0.remove(0)
}

#[test]
fn an_actor_with_caps_and_answers_of_its_own_loads() {
    let s = load(CAPS).unwrap_or_else(|e| panic!("{e}"));
    let actor = &s.actors[0];
    assert_eq!(
        actor.caps_node.as_deref(),
        Some("https://example.org/client")
    );
    assert_eq!(actor.features, ["urn:xmpp:tmp:xepspec:{unique}"]);
    assert_eq!(actor.answers, Answers::Scenario);
    match &s.steps[2].kind {
        StepKind::Presence(p) => {
            assert_eq!(p.notify.as_deref(), Some(&[][..]));
            assert_eq!(p.features.as_deref(), Some(&["urn:example".to_owned()][..]));
            assert!(p.xml.is_none());
        }
        other => panic!("{other:?}"),
    }
    match &s.steps[3].kind {
        StepKind::Presence(p) => {
            assert!(p.notify.is_none() && p.features.is_none());
            assert_eq!(p.xml.as_ref().map(|x| x.line), Some(35));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_defaults_are_the_harness_caps_and_automatic_answers() {
    let text = CAPS
        .replace("caps_node = \"https://example.org/client\"\n", "")
        .replace("features = [\"urn:xmpp:tmp:xepspec:{unique}\"]\n", "")
        .replace("answers = \"scenario\"\n", "");
    let s = load(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.actors[0].caps_node, None);
    assert!(s.actors[0].features.is_empty());
    assert_eq!(s.actors[0].answers, Answers::Auto);
}

#[test]
fn an_unknown_answers_value_is_refused_where_it_stands() {
    let e = first_error(&CAPS.replace("answers = \"scenario\"", "answers = \"sometimes\""));
    assert_eq!(e.line, 15, "{e}");
    assert!(e.message.contains("sometimes"), "{e}");
}

#[test]
fn caps_of_an_undeclared_actor_are_refused() {
    let text = CAPS.replacen(
        "node='{caps:juliet/balcony}'",
        "node='{caps:romeo/orchard}'",
        1,
    );
    let e = first_error(&text);
    assert!(e.message.contains("romeo/orchard"), "{e}");
    assert!(e.message.contains("not declared"), "{e}");
    assert_eq!((e.line, e.column), (21, 62));
}

#[test]
fn a_caps_node_with_a_hash_sign_is_refused() {
    let e = first_error(&CAPS.replace(
        "\"https://example.org/client\"",
        "\"https://example.org/client#1\"",
    ));
    assert!(e.message.contains("without `#`"), "{e}");
    assert_eq!((e.line, e.column), (12, 13));
}

#[test]
fn notify_interest_written_as_a_feature_is_refused() {
    let e = first_error(&CAPS.replace(
        "\"urn:xmpp:tmp:xepspec:{unique}\"",
        "\"http://jabber.org/protocol/tune+notify\"",
    ));
    assert!(e.message.contains("in `notify`"), "{e}");
    assert_eq!(e.line, 13);
}

#[test]
fn a_feature_may_not_use_the_bound_jid_or_caps() {
    let e = first_error(&CAPS.replace("{unique}\"]", "{juliet/balcony}\"]"));
    assert!(e.message.contains("cannot be used here"), "{e}");
    assert_eq!(e.line, 13);
    let e = first_error(&CAPS.replace("{unique}\"]", "{caps:juliet/balcony}\"]"));
    assert!(e.message.contains("cannot be used here"), "{e}");
}

#[test]
fn a_capture_answers_a_request_in_a_send() {
    let s = load(CAPS).unwrap_or_else(|e| panic!("{e}"));
    match &s.steps[1].kind {
        StepKind::Send { xml, .. } => assert!(xml.text.contains("id='{q}'")),
        other => panic!("{other:?}"),
    }
    // The same send before the request's id was captured is refused.
    let swapped = CAPS.replacen("id='{=q}'", "id='caps1'", 1);
    let e = first_error(&swapped);
    assert!(e.message.contains("undefined placeholder `{q}`"), "{e}");
    assert_eq!(e.line, 26);
}

#[test]
fn a_presence_step_sends_only_presence() {
    let e = first_error(&CAPS.replace("<presence type='unavailable'/>", "<message type='chat'/>"));
    assert!(e.message.contains("not <message>"), "{e}");
    assert_eq!((e.line, e.column), (35, 7));
}

#[test]
fn notify_and_features_belong_on_presence_steps() {
    let text = CAPS.replace(
        "send = \"juliet/balcony\"\n",
        "send = \"juliet/balcony\"\nnotify = [\"urn:example\"]\n",
    );
    let e = first_error(&text);
    assert!(e.message.contains("belongs on a `presence` step"), "{e}");
    assert_eq!((e.line, e.column), (26, 10));
}

#[test]
fn a_presence_step_checks_nothing_so_it_is_not_setup() {
    let text = CAPS.replace("notify = []\n", "notify = []\nsetup = [\"x\"]\n");
    let e = first_error(&text);
    assert!(e.message.contains("checks nothing"), "{e}");
}

#[test]
fn a_presence_step_with_two_kinds_is_refused() {
    let text = CAPS.replace(
        "presence = \"juliet/balcony\"\nnotify",
        "presence = \"juliet/balcony\"\nconnect = \"juliet/balcony\"\nnotify",
    );
    let e = first_error(&text);
    assert!(e.message.contains("exactly one of"), "{e}");
    assert!(e.message.contains("presence"), "{e}");
}
