//! A live property's counterexample as a scenario file (the format of
//! `scenarios/README.md`), so that it can be saved and run by `xepspec run`.

use super::live_stanzas::{
    BOOKMARKS2_NODE, FUZZ_NODE, items, items_result, literal, notification, private_options,
    publish, publish_result,
};
use super::strategies::{BooleanForm, Conference};
use crate::ns;

/// `text` as a TOML string: a multi-line literal when it can be one.
fn toml_text(text: &str) -> String {
    let literal_ok = !text.contains("'''")
        && !text.ends_with('\'')
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t');
    if literal_ok {
        format!("'''\n{text}'''")
    } else {
        toml::Value::String(text.to_owned()).to_string()
    }
}

/// The spec a counterexample checks: XEP number, version, section, quote.
type Spec<'a> = (u32, &'a str, &'a str, &'a str);

fn header(title: &str, (xep, version, section, quote): Spec, notify: bool) -> String {
    let notify = if notify {
        format!("\nnotify = [{}]", toml::Value::String(FUZZ_NODE.into()))
    } else {
        String::new()
    };
    format!(
        "title = {}\ncomment = \"Found by xepspec fuzz (a live property's minimal counterexample).\"\n\n\
         [spec]\nxep = {xep}\nversions = [\"{version}\"]\nsection = \"{section}\"\nquote = {}\nlevel = \"MUST\"\n\n\
         [[actor]]\nname = \"juliet/balcony\"{notify}\n\n[[actor]]\nname = \"juliet/chamber\"{notify}\n",
        toml::Value::String(title.into()),
        toml::Value::String(quote.into()),
    )
}

fn send(xml: &str) -> String {
    format!(
        "\n[[step]]\nsend = \"juliet/balcony\"\nxml = {}\n",
        toml_text(xml)
    )
}

fn expect(actor: &str, note: &str, xml: &str) -> String {
    format!(
        "\n[[step]]\nexpect = \"juliet/{actor}\"\nnote = \"{note}\"\nxml = {}\n",
        toml_text(xml)
    )
}

/// The payload-preservation case for `payload` (XML text).
pub fn payload_scenario(payload: &str) -> String {
    let p = literal(payload);
    let mut out = header(
        "A published payload comes back unchanged in notifications and items",
        (
            60,
            "1.30.0",
            "7.1.2",
            "the pubsub service MUST ... include the payload in the notification",
        ),
        true,
    );
    out += &send(&publish(FUZZ_NODE, "c1", &p, &private_options("true", &[])));
    out += &expect("balcony", "the publish succeeds", &publish_result());
    for actor in ["balcony", "chamber"] {
        out += &expect(
            actor,
            "the notification carries the payload",
            &notification(FUZZ_NODE, "c1", &p),
        );
    }
    out += &send(&items(FUZZ_NODE, Some("c1")));
    out += &expect(
        "balcony",
        "the stored item carries the payload",
        &items_result(FUZZ_NODE, "c1", &p),
    );
    out
}

fn parameter(name: &str, forms: &(BooleanForm, BooleanForm)) -> String {
    let values: Vec<String> = [&forms.0, &forms.1]
        .iter()
        .map(|f| toml::Value::String(f.text.clone()).to_string())
        .collect();
    format!("\n[parameters]\n{name} = [{}]\n", values.join(", "))
}

/// The persist_items equivalence case: the two forms as the values of
/// parameter `persist`.
pub fn persist_items_scenario(forms: &(BooleanForm, BooleanForm)) -> String {
    let node = format!("{FUZZ_NODE}:p1");
    let payload = format!("<value xmlns='{FUZZ_NODE}'/>");
    let mut out = header(
        "Equivalent lexical forms of persist_items in publish-options behave alike",
        (223, "1.1.1", "2", "Set pubsub#persist_items to true"),
        false,
    );
    out += &parameter("persist", forms);
    // The form's text is escaped as a literal; the parameter is not.
    let text = publish(
        &node,
        "current",
        &payload,
        &private_options("{persist}", &[]),
    );
    out += &send(&text.replace("{{persist}}", "{persist}"));
    out += &expect("balcony", "the publish succeeds", &publish_result());
    out += &send(&items(&node, None));
    out += &expect(
        "balcony",
        "the item is stored",
        &items_result(&node, "current", &payload),
    );
    out
}

/// The autojoin equivalence case: `conference` with its `autojoin` as
/// parameter `autojoin`, one value per form.
pub fn autojoin_scenario(case: &(Conference, (BooleanForm, BooleanForm))) -> String {
    let (conference, forms) = case;
    let mut conference = conference.clone();
    conference.ns = ns::BOOKMARKS2;
    conference.autojoin = None;
    let xml = literal(&conference.xml()).replacen(
        "<conference ",
        "<conference autojoin='{autojoin}' ",
        1,
    );
    let room = "room1@muc.example";
    let mut out = header(
        "Equivalent lexical forms of autojoin are stored alike",
        (
            402,
            "1.2.0",
            "3",
            "autojoin: Whether the client should automatically join the conference room on login",
        ),
        false,
    );
    out += &parameter("autojoin", forms);
    let options = private_options(
        "true",
        &[
            ("pubsub#max_items", "max"),
            ("pubsub#send_last_published_item", "never"),
        ],
    );
    out += &send(&publish(BOOKMARKS2_NODE, room, &xml, &options));
    out += &expect("balcony", "the publish succeeds", &publish_result());
    out += &send(&items(BOOKMARKS2_NODE, Some(room)));
    out += &expect(
        "balcony",
        "the bookmark is stored",
        &items_result(BOOKMARKS2_NODE, room, &xml),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;
    use std::path::Path;

    fn form(text: &str, value: bool) -> BooleanForm {
        BooleanForm {
            text: text.into(),
            value,
        }
    }

    fn loads(text: &str) {
        if let Err(e) = load_str(text, Path::new("fuzz.toml"), "fuzz/counterexample") {
            panic!("{e:?}\n{text}");
        }
    }

    #[test]
    fn counterexamples_are_scenario_files() {
        loads(&payload_scenario(
            "<a xmlns='urn:fuzz:a' b='&apos;'>{x} '''</a>",
        ));
        loads(&persist_items_scenario(&(
            form(" 1\n", true),
            form("true", true),
        )));
        let conference = Conference {
            ns: "urn:xmpp:bookmarks:0",
            autojoin: None,
            name: Some("n'".into()),
            nick: Some("nick".into()),
            password: None,
            extensions: None,
        };
        loads(&autojoin_scenario(&(
            conference,
            (form("0", false), form("\tfalse", false)),
        )));
    }
}
