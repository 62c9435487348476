//! The stanzas the live properties send, written as scenario text with
//! `{id}` and `{juliet}` placeholders: the live run fills and sends exactly
//! this text, and a counterexample is printed as a scenario made of it.

use minidom::Element;

use super::strategies::{FormField, form_xml};
use super::xml::escape_attr;
use crate::ns::{self, DATA_FORMS, PUBSUB, PUBSUB_EVENT, PUBSUB_OWNER};

/// The node the payload property publishes to; both resources advertise
/// `+notify` for it.
pub const FUZZ_NODE: &str = "urn:xmpp:xepspec:fuzz";
/// XEP-0402's node.
pub const BOOKMARKS2_NODE: &str = ns::BOOKMARKS2;

/// `text` with its braces doubled, so the placeholder renderer keeps them.
pub fn literal(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// The publish-options form of XEP-0223 §3 (`persist_items` in the lexical
/// form given) with `extra` fields after it.
pub fn private_options(persist_items: &str, extra: &[(&str, &str)]) -> Vec<FormField> {
    let mut fields = vec![
        FormField {
            var: "FORM_TYPE".into(),
            kind: Some("hidden"),
            values: vec![ns::PUBSUB_PUBLISH_OPTIONS.into()],
        },
        FormField {
            var: "pubsub#persist_items".into(),
            kind: None,
            values: vec![persist_items.into()],
        },
        FormField {
            var: "pubsub#access_model".into(),
            kind: None,
            values: vec!["whitelist".into()],
        },
    ];
    fields.extend(extra.iter().map(|(var, value)| FormField {
        var: (*var).into(),
        kind: None,
        values: vec![(*value).into()],
    }));
    fields
}

/// A publish of `payload` (XML text, braces already doubled) as item
/// `item` of `node`, with `options` as publish-options.
pub fn publish(node: &str, item: &str, payload: &str, options: &[FormField]) -> String {
    format!(
        "<iq type='set' id='{{id}}'>\n  <pubsub xmlns='{PUBSUB}'>\n    \
         <publish node='{}'><item id='{}'>{payload}</item></publish>\n    \
         <publish-options>{}</publish-options>\n  </pubsub>\n</iq>",
        literal(&escape_attr(node)),
        literal(&escape_attr(item)),
        literal(&form_xml("submit", options)),
    )
}

/// The answer a successful publish gets.
pub fn publish_result() -> String {
    "<iq type='result' id='{id}'/>".into()
}

/// The notification of item `item` of `node` with `payload`.
pub fn notification(node: &str, item: &str, payload: &str) -> String {
    format!(
        "<message>\n  <event xmlns='{PUBSUB_EVENT}'>\n    <items node='{}'><item id='{}'>{payload}</item></items>\n  </event>\n</message>",
        literal(&escape_attr(node)),
        literal(&escape_attr(item)),
    )
}

/// A retrieval of item `item` (or of every item, when `None`) of `node`
/// from the account's own PEP service.
pub fn items(node: &str, item: Option<&str>) -> String {
    let wanted = match item {
        Some(id) => format!("<item id='{}'/>", literal(&escape_attr(id))),
        None => String::new(),
    };
    format!(
        "<iq type='get' to='{{juliet}}' id='{{id}}'>\n  <pubsub xmlns='{PUBSUB}'>\
         <items node='{}'>{wanted}</items></pubsub>\n</iq>",
        literal(&escape_attr(node)),
    )
}

/// The answer to an items retrieval that holds `payload` as item `item`.
pub fn items_result(node: &str, item: &str, payload: &str) -> String {
    format!(
        "<iq type='result' id='{{id}}'>\n  <pubsub xmlns='{PUBSUB}'>\
         <items node='{}'><item id='{}'>{payload}</item></items></pubsub>\n</iq>",
        literal(&escape_attr(node)),
        literal(&escape_attr(item)),
    )
}

/// A request for `node`'s configuration form (XEP-0060 §8.2).
pub fn configure(node: &str) -> String {
    format!(
        "<iq type='get' to='{{juliet}}' id='{{id}}'>\n  <pubsub xmlns='{PUBSUB_OWNER}'>\
         <configure node='{}'/></pubsub>\n</iq>",
        literal(&escape_attr(node)),
    )
}

/// The `<item/>` children's first elements of the `<items/>` of `node` in a
/// notification or an items result, by item id.
pub fn items_in(stanza: &Element, node: &str) -> Vec<(String, Option<Element>)> {
    let items = stanza
        .children()
        .filter(|c| c.is("pubsub", PUBSUB) || c.is("event", PUBSUB_EVENT))
        .flat_map(|c| c.children())
        .filter(|c| c.name() == "items" && c.attr("node") == Some(node));
    items
        .flat_map(|i| i.children())
        .filter(|c| c.name() == "item")
        .map(|item| {
            let id = item.attr("id").unwrap_or_default().to_owned();
            (id, item.children().next().cloned())
        })
        .collect()
}

/// An error's condition as `type/condition[/application-condition]`, or
/// `result`.
pub fn outcome_of(iq: &Element) -> String {
    if iq.attr("type") != Some("error") {
        return iq.attr("type").unwrap_or("?").to_owned();
    }
    let Some(error) = iq.children().find(|c| c.name() == "error") else {
        return "error".into();
    };
    let mut parts = vec![format!("error {}", error.attr("type").unwrap_or("?"))];
    parts.extend(
        error
            .children()
            .filter(|c| c.name() != "text")
            .map(|c| c.name().to_owned()),
    );
    parts.join("/")
}

/// The value of `var` in the data form of a configure result.
pub fn config_value(iq: &Element, var: &str) -> Option<String> {
    let form = iq
        .get_child("pubsub", PUBSUB_OWNER)?
        .get_child("configure", PUBSUB_OWNER)?
        .get_child("x", DATA_FORMS)?;
    let field = form.children().find(|f| f.attr("var") == Some(var))?;
    Some(field.children().find(|v| v.name() == "value")?.text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::parse::parse_stanza;
    use crate::stanza::placeholder::render;

    fn filled(text: &str) -> Element {
        let text = render(text, false, |name| match name {
            "id" => Some("x1".into()),
            "juliet" => Some("j@localhost".into()),
            _ => None,
        })
        .expect("placeholders");
        parse_stanza(&text).expect("parses")
    }

    #[test]
    fn a_publish_carries_payload_braces_and_options() {
        let payload = literal("<a xmlns='urn:fuzz:a'>{x}</a>");
        let iq = filled(&publish(
            FUZZ_NODE,
            "c1",
            &payload,
            &private_options("1", &[]),
        ));
        let got = items_in(&filled(&items_result(FUZZ_NODE, "c1", &payload)), FUZZ_NODE);
        assert_eq!(got.len(), 1);
        let child = got[0].1.clone().expect("payload");
        assert_eq!(child.text(), "{x}");
        let options = iq
            .get_child("pubsub", PUBSUB)
            .and_then(|p| p.get_child("publish-options", PUBSUB))
            .expect("options");
        assert!(String::from(options).contains("whitelist"));
    }

    #[test]
    fn outcomes_name_the_conditions() {
        let error = parse_stanza(
            "<iq type='error' id='a'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
             <precondition-not-met xmlns='http://jabber.org/protocol/pubsub#errors'/></error></iq>",
        )
        .expect("parses");
        assert_eq!(
            outcome_of(&error),
            "error cancel/conflict/precondition-not-met"
        );
        assert_eq!(outcome_of(&filled(&publish_result())), "result");
    }
}
