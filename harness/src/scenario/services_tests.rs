//! Loading tests for services and pre-made accounts: `{service:KIND}` needs
//! `[requires] services`, `{unique}` is reserved, and an actor's `account`
//! role is a name its account's actors agree on.

use std::path::Path;

use super::*;

const HEAD: &str = r#"
title = "t"
[spec]
xep = 60
versions = ["1.30.0"]
section = "8.1.2"
quote = "q"
level = "MUST"
"#;

fn load(text: &str) -> Result<Scenario, LoadErrors> {
    load_str(&format!("{HEAD}{text}"), Path::new("x.toml"), "x")
}

fn messages(text: &str) -> Vec<String> {
    load(text)
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| format!("{}:{}: {}", e.line, e.column, e.message))
        .collect()
}

const SEND: &str = r#"
[[step]]
send = "juliet/balcony"
xml = "<iq type='set' to='{service:pubsub}' id='{id}'><create node='n-{unique}'/></iq>"
"#;

#[test]
fn a_required_service_and_unique_fill_a_stanza() {
    let s = load(&format!(
        "[requires]\nservices = [\"pubsub\"]\n[[actor]]\nname = \"juliet/balcony\"\n{SEND}"
    ))
    .unwrap();
    assert_eq!(s.requires.services, ["pubsub"]);
    assert!(s.roles().is_empty());
}

#[test]
fn a_service_not_required_is_refused_at_the_placeholder() {
    let found = messages(&format!("[[actor]]\nname = \"juliet/balcony\"\n{SEND}"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`{service:pubsub}` names a service the scenario does not require")
            && found[0].contains("services = [\"pubsub\"]"),
        "{found:?}"
    );
    assert!(found[0].starts_with("14:"), "{found:?}");
}

#[test]
fn an_actor_with_a_role_uses_a_premade_account() {
    let s = load(&format!(
        "[requires]\nservices = [\"pubsub\"]\n\
         [[actor]]\nname = \"bard/globe\"\naccount = \"admin\"\n\
         [[actor]]\nname = \"bard/stage\"\naccount = \"admin\"\n\
         [[actor]]\nname = \"juliet/balcony\"\n{SEND}"
    ))
    .unwrap();
    assert_eq!(s.roles(), ["admin"]);
    assert_eq!(s.role_of("bard"), Some("admin"));
    assert_eq!(s.role_of("juliet"), None);
    assert_eq!(s.accounts(), ["bard", "juliet"]);
}

#[test]
fn roles_must_be_names_and_agree_per_account() {
    let found = messages(&format!(
        "[requires]\nservices = [\"pubsub\"]\n\
         [[actor]]\nname = \"bard/globe\"\naccount = \"the admin\"\n\
         [[actor]]\nname = \"juliet/balcony\"\naccount = \"admin\"\n\
         [[actor]]\nname = \"juliet/chamber\"\n{SEND}"
    ));
    let all = found.join("\n");
    assert!(
        all.contains("account \"the admin\": a role is letters"),
        "{all}"
    );
    assert!(
        all.contains("actors of account \"juliet\" disagree on its role"),
        "{all}"
    );
}

#[test]
fn a_bad_service_kind_is_refused() {
    let found = messages(
        "[requires]\nservices = [\"pub sub\"]\n[[actor]]\nname = \"juliet/balcony\"\n\
         [[step]]\nconnect = \"juliet/balcony\"\n",
    );
    assert!(
        found.iter().any(|m| m.contains("service \"pub sub\"")),
        "{found:?}"
    );
}
