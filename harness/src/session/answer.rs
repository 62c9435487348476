//! What a session answers on its own when the server asks it something
//! (an IQ get or set), and what it leaves to the scenario.

use minidom::Element;

use super::caps::ClientCaps;
use crate::ns;
use crate::stanza::build::WithAttr;

/// Who answers the requests (IQ get and set) the server sends a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Answers {
    /// The session, as a well-behaved client: pings, disco#info (its caps
    /// node among them) with a result, everything else with an error.
    #[default]
    Auto,
    /// The scenario: the session answers pings (XEP-0199) only; every other
    /// request is left for an expectation to claim and a send to answer.
    Scenario,
}

impl Answers {
    /// Whether `element` is a request the session leaves to the scenario.
    pub fn leaves_to_scenario(self, element: &Element) -> bool {
        self == Answers::Scenario && is_request(element) && !is_ping(element)
    }
}

/// The answer a session sends on its own to `element`, if any: a result to
/// a ping; when `answers` is [`Answers::Auto`], also a disco#info result
/// for the bare query or for the node#ver of any caps in `known` (the
/// current ones first), `<item-not-found/>` for another node, and
/// `<service-unavailable/>` for any other get or set.
pub fn automatic_reply<'a>(
    element: &Element,
    answers: Answers,
    known: impl IntoIterator<Item = &'a ClientCaps>,
) -> Option<Element> {
    if !is_request(element) || answers.leaves_to_scenario(element) {
        return None;
    }
    let mut reply =
        Element::builder("iq", ns::JABBER_CLIENT).with("id", element.attr("id").unwrap_or(""));
    if let Some(from) = element.attr("from") {
        reply = reply.with("to", from);
    }
    if is_ping(element) {
        return Some(reply.with("type", "result").build());
    }
    let is_get = element.attr("type") == Some("get");
    match element.children().next() {
        Some(p) if is_get && p.is("query", ns::DISCO_INFO) => {
            let node = p.attr("node");
            match known.into_iter().find_map(|caps| caps.disco_info(node)) {
                Some(answer) => Some(reply.with("type", "result").append(answer).build()),
                None => Some(error_reply(reply, "cancel", "item-not-found")),
            }
        }
        _ => Some(error_reply(reply, "cancel", "service-unavailable")),
    }
}

fn is_request(element: &Element) -> bool {
    element.name() == "iq"
        && element.ns() == ns::JABBER_CLIENT
        && matches!(element.attr("type"), Some("get") | Some("set"))
}

fn is_ping(element: &Element) -> bool {
    element.attr("type") == Some("get")
        && element
            .children()
            .next()
            .is_some_and(|p| p.is("ping", ns::PING))
}

fn error_reply(reply: minidom::element::ElementBuilder, kind: &str, condition: &str) -> Element {
    reply
        .with("type", "error")
        .append(
            Element::builder("error", ns::JABBER_CLIENT)
                .with("type", kind)
                .append(Element::builder(condition, ns::XMPP_STANZAS).build())
                .build(),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Element {
        xml.parse().expect("test XML")
    }

    fn caps_query(caps: &ClientCaps) -> Element {
        parse(&format!(
            "<iq xmlns='jabber:client' type='get' id='q1' from='capulet.lit'>\
               <query xmlns='http://jabber.org/protocol/disco#info' node='{}'/></iq>",
            caps.node_ver()
        ))
    }

    const ROSTER_PUSH: &str = "<iq xmlns='jabber:client' type='set' id='push1'>\
        <query xmlns='jabber:iq:roster'><item jid='romeo@montague.lit'/></query></iq>";

    const PING: &str = "<iq xmlns='jabber:client' type='get' id='p1' from='capulet.lit'>\
        <ping xmlns='urn:xmpp:ping'/></iq>";

    #[test]
    fn auto_answers_its_caps_query_a_ping_and_refuses_the_rest() {
        let caps = ClientCaps::new(["urn:example+notify"]);
        let answer = automatic_reply(&caps_query(&caps), Answers::Auto, [&caps]).unwrap();
        assert_eq!(answer.attr("type"), Some("result"));
        assert_eq!(answer.attr("to"), Some("capulet.lit"));
        let query = answer.get_child("query", ns::DISCO_INFO).unwrap();
        assert_eq!(query.attr("node"), Some(caps.node_ver().as_str()));
        let push = automatic_reply(&parse(ROSTER_PUSH), Answers::Auto, [&caps]).unwrap();
        assert_eq!(push.attr("type"), Some("error"));
        let ping = automatic_reply(&parse(PING), Answers::Auto, [&caps]).unwrap();
        assert_eq!(ping.attr("type"), Some("result"));
    }

    #[test]
    fn earlier_caps_are_still_answered_for() {
        let old = ClientCaps::new([]);
        let new = ClientCaps::new(["urn:example+notify"]);
        let answer = automatic_reply(&caps_query(&old), Answers::Auto, [&new, &old]).unwrap();
        assert_eq!(answer.attr("type"), Some("result"));
        let other = ClientCaps::new(["urn:other"]);
        let answer = automatic_reply(&caps_query(&other), Answers::Auto, [&new, &old]).unwrap();
        assert_eq!(
            answer.attr("type"),
            Some("error"),
            "a node never advertised"
        );
    }

    #[test]
    fn the_scenario_answers_everything_but_pings() {
        let caps = ClientCaps::new([]);
        let query = caps_query(&caps);
        assert!(automatic_reply(&query, Answers::Scenario, [&caps]).is_none());
        assert!(Answers::Scenario.leaves_to_scenario(&query));
        let push = parse(ROSTER_PUSH);
        assert!(automatic_reply(&push, Answers::Scenario, [&caps]).is_none());
        assert!(Answers::Scenario.leaves_to_scenario(&push));
        let ping = parse(PING);
        let answer = automatic_reply(&ping, Answers::Scenario, [&caps]).unwrap();
        assert_eq!(answer.attr("type"), Some("result"));
        assert!(!Answers::Scenario.leaves_to_scenario(&ping));
        assert!(!Answers::Auto.leaves_to_scenario(&push));
        let result = parse("<iq xmlns='jabber:client' type='result' id='x'/>");
        assert!(
            !Answers::Scenario.leaves_to_scenario(&result),
            "not a request"
        );
    }
}
