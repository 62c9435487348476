//! What an actor's caps and the new placeholders come to before anything
//! connects: `{caps:actor}`, `{unique}`, captures in a sent stanza, and the
//! stable names snapshots give a ver made from `{unique}`.

use std::path::Path;
use std::sync::Arc;

use super::actors::notify_caps;
use super::case_run::CaseRun;
use crate::scenario::{Case, load_str};
use crate::server::LiveTarget;
use crate::session::{Account, ClientCaps};

const SCENARIO: &str = r#"
title = "t"
[spec]
xep = 115
versions = ["1.6.0"]
section = "6.2"
quote = "q"
level = "MUST"

[[actor]]
name = "juliet/balcony"
caps_node = "https://example.org/client"
features = ["urn:xmpp:tmp:xepspec:{unique}"]
notify = ["http://jabber.org/protocol/tune"]
answers = "scenario"

[[actor]]
name = "juliet/chamber"
notify = ["http://jabber.org/protocol/tune"]

[[step]]
expect = "juliet/balcony"
xml = "<iq type='get' id='{=query}'/>"

[[step]]
send = "juliet/balcony"
xml = "<iq type='result' id='{query}'><query xmlns='http://jabber.org/protocol/disco#info' node='{caps:juliet/balcony}'/></iq>"
"#;

fn case() -> Case {
    let scenario = load_str(SCENARIO, Path::new("x.toml"), "x").unwrap_or_else(|e| panic!("{e}"));
    Case {
        id: "x".into(),
        scenario: Arc::new(scenario),
        params: Default::default(),
    }
}

fn with_account(run: &mut CaseRun<'_>) {
    run.accounts.insert(
        "juliet".into(),
        Account {
            username: "u1".into(),
            password: "p".into(),
        },
    );
}

#[test]
fn an_actor_without_caps_of_its_own_advertises_what_it_always_did() {
    let (case, target) = (case(), LiveTarget::unreachable("capulet.lit"));
    let run = CaseRun::new(&case, &target);
    let caps = run
        .actor_caps(1, None, None)
        .unwrap_or_else(|_| panic!("caps"));
    let before = notify_caps(&["http://jabber.org/protocol/tune".to_owned()]);
    assert_eq!(
        caps.node_ver(),
        before.node_ver(),
        "snapshots keep their ver"
    );
}

#[test]
fn own_node_and_unique_feature_make_the_caps() {
    let (case, target) = (case(), LiveTarget::unreachable("capulet.lit"));
    let run = CaseRun::new(&case, &target);
    let caps = run
        .actor_caps(0, None, None)
        .unwrap_or_else(|_| panic!("caps"));
    let feature = format!("urn:xmpp:tmp:xepspec:{}", run.unique);
    let expected = ClientCaps::with_node(
        "https://example.org/client",
        ["http://jabber.org/protocol/tune+notify", feature.as_str()],
    );
    assert_eq!(caps.node_ver(), expected.node_ver());
    assert!(caps.has_feature(&feature));
    let other_run = CaseRun::new(&case, &target);
    let other = other_run
        .actor_caps(0, None, None)
        .unwrap_or_else(|_| panic!("caps"));
    assert_ne!(caps.ver(), other.ver(), "a fresh ver for every case run");
}

#[test]
fn a_presence_step_replaces_interests_and_features() {
    let (case, target) = (case(), LiveTarget::unreachable("capulet.lit"));
    let run = CaseRun::new(&case, &target);
    let none: Vec<String> = Vec::new();
    let caps = run
        .actor_caps(0, Some(&none), Some(&["urn:example".to_owned()]))
        .unwrap_or_else(|_| panic!("caps"));
    assert!(!caps.has_feature("http://jabber.org/protocol/tune+notify"));
    assert!(caps.has_feature("urn:example"));
    assert!(caps.node_ver().starts_with("https://example.org/client#"));
}

#[test]
fn caps_placeholder_and_captures_fill_a_sent_stanza() {
    let (case, target) = (case(), LiveTarget::unreachable("capulet.lit"));
    let mut run = CaseRun::new(&case, &target);
    with_account(&mut run);
    run.captures.insert("query".into(), "disco".into());
    let crate::scenario::StepKind::Send { xml, .. } = &case.scenario.steps[1].kind else {
        panic!("a send");
    };
    let stanza = run
        .stanza(&xml.text, Some("xs1"))
        .unwrap_or_else(|_| panic!("fills"));
    assert_eq!(
        stanza.attr("id"),
        Some("disco"),
        "the capture answers the request"
    );
    let node = stanza.children().next().and_then(|q| q.attr("node"));
    let expected = run.caps_node_ver("juliet/balcony");
    assert_eq!(node, expected.as_deref());
    assert!(
        node.is_some_and(|n| n.starts_with("https://example.org/client#")),
        "{node:?}"
    );
}

#[test]
fn a_ver_made_from_unique_gets_a_stable_name() {
    let (case, target) = (case(), LiveTarget::unreachable("capulet.lit"));
    let mut run = CaseRun::new(&case, &target);
    with_account(&mut run);
    let own = run
        .actor_caps(0, None, None)
        .unwrap_or_else(|_| panic!("caps"));
    let plain = run
        .actor_caps(1, None, None)
        .unwrap_or_else(|_| panic!("caps"));
    run.advertised(0, own.clone());
    run.advertised(1, plain.clone());
    let aliases = run.aliases();
    let named = |value: &str| {
        aliases
            .iter()
            .find(|a| a.value == value)
            .map(|a| a.name.clone())
    };
    assert_eq!(named(own.ver()).as_deref(), Some("{ver:juliet/balcony}"));
    assert_eq!(named(plain.ver()), None, "a fixed ver is written as it is");
    assert_eq!(named(&run.unique).as_deref(), Some("{unique}"));
    assert_eq!(run.caps_node_ver("juliet/balcony"), Some(own.node_ver()));
}
