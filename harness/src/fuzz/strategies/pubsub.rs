//! XEP-0173 `storage:pubsubs` subscriptions and data forms with the
//! publish-options fields.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use super::bookmarks::room_jid;
use super::booleans::boolean_form;
use super::foreign::unicode_text;
use crate::fuzz::xml::{escape_attr, escape_text};
use crate::ns;

/// One XEP-0173 `<subscription/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PubsubSubscription {
    /// The pubsub service.
    pub jid: String,
    /// The node.
    pub node: String,
    /// `none`, `pending`, `unconfigured` or `subscribed`.
    pub subscription: String,
    /// The subscribed resource, when not the bare JID.
    pub resource: Option<String>,
    /// The owner of the data.
    pub user: Option<String>,
    /// The namespace of the data.
    pub targetns: Option<String>,
}

/// XEP-0173 `<subscriptions xmlns='storage:pubsubs'/>`: zero or more
/// subscriptions with the three required and three optional attributes.
pub fn pubsub_subscriptions() -> impl Strategy<Value = Vec<PubsubSubscription>> {
    const STATES: [&str; 4] = ["none", "pending", "unconfigured", "subscribed"];
    let one = (
        "pubsub\\.[a-z]{1,8}\\.[a-z]{2,3}",
        unicode_text(12).prop_filter("a node is not empty", |n| !n.trim().is_empty()),
        prop::sample::select(&STATES[..]),
        option::of("[a-zA-Z0-9]{1,8}"),
        option::of(room_jid()),
        option::of("(urn:xmpp|http://jabber\\.org/protocol)/[a-z]{1,8}"),
    )
        .prop_map(
            |(jid, node, subscription, resource, user, targetns)| PubsubSubscription {
                jid,
                node,
                subscription: subscription.to_owned(),
                resource,
                user,
                targetns,
            },
        );
    vec(one, 0..4)
}

/// `subscriptions` as the XEP-0173 element.
pub fn pubsub_subscriptions_xml(subscriptions: &[PubsubSubscription]) -> String {
    let mut out = format!("<subscriptions xmlns='{}'>", ns::PUBSUBS);
    for s in subscriptions {
        out += &format!(
            "<subscription jid='{}' node='{}' subscription='{}'",
            escape_attr(&s.jid),
            escape_attr(&s.node),
            s.subscription
        );
        for (name, value) in [
            ("resource", &s.resource),
            ("user", &s.user),
            ("targetns", &s.targetns),
        ] {
            if let Some(v) = value {
                out += &format!(" {name}='{}'", escape_attr(v));
            }
        }
        out += "/>";
    }
    out + "</subscriptions>"
}

/// One data-form field: `var`, `type` (when written) and values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// The `var` attribute.
    pub var: String,
    /// The `type` attribute, when written.
    pub kind: Option<&'static str>,
    /// The `<value/>` children's text.
    pub values: Vec<String>,
}

/// The XEP-0223 / XEP-0060 §7.1.5 publish-options form
/// (`FORM_TYPE` `http://jabber.org/protocol/pubsub#publish-options`) with
/// node configuration fields, booleans in any lexical form.
pub fn publish_options() -> impl Strategy<Value = Vec<FormField>> {
    let access =
        prop::sample::select(&["open", "presence", "roster", "authorize", "whitelist"][..]);
    (
        option::of(boolean_form()),
        option::of(access),
        option::of(prop_oneof![Just("max".to_owned()), "[1-9][0-9]{0,3}"]),
        option::of(prop::sample::select(
            &["never", "on_sub", "on_sub_and_presence"][..],
        )),
    )
        .prop_map(|(persist, access, max, send_last)| {
            let mut fields = vec![FormField {
                var: "FORM_TYPE".into(),
                kind: Some("hidden"),
                values: vec![ns::PUBSUB_PUBLISH_OPTIONS.into()],
            }];
            if let Some(b) = persist {
                fields.push(field("pubsub#persist_items", "boolean", b.text));
            }
            if let Some(a) = access {
                fields.push(field("pubsub#access_model", "list-single", a.to_owned()));
            }
            if let Some(m) = max {
                fields.push(field("pubsub#max_items", "text-single", m));
            }
            if let Some(s) = send_last {
                fields.push(field(
                    "pubsub#send_last_published_item",
                    "list-single",
                    s.to_owned(),
                ));
            }
            fields
        })
}

fn field(var: &str, kind: &'static str, value: String) -> FormField {
    FormField {
        var: var.into(),
        kind: Some(kind),
        values: vec![value],
    }
}

/// A `jabber:x:data` form of `form_type` ("submit", "result"…) as XML.
pub fn form_xml(form_type: &str, fields: &[FormField]) -> String {
    let mut out = format!("<x xmlns='{}' type='{form_type}'>", ns::DATA_FORMS);
    for f in fields {
        out += &format!("<field var='{}'", escape_attr(&f.var));
        if let Some(kind) = f.kind {
            out += &format!(" type='{kind}'");
        }
        out.push('>');
        for v in &f.values {
            out += &format!("<value>{}</value>", escape_text(v));
        }
        out += "</field>";
    }
    out + "</x>"
}
