//! Proptest strategies for the payloads the specifications define, one
//! function per payload kind. They are written from the XEPs' grammar (and
//! XML Schema's for `xs:boolean`), not from any implementation, and each
//! value knows both its XML text and what that text means, so properties can
//! check a parser's reading against it.

use minidom::Element;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;

use super::xml::{WithAttrs, escape_attr, escape_text, serialise};

/// Namespaces a XEP-0402 conference element has had: `:0` (before 0.3) and
/// `:1` (current).
pub const BOOKMARKS2_NAMESPACES: [&str; 2] = ["urn:xmpp:bookmarks:0", "urn:xmpp:bookmarks:1"];

/// A lexical form of `xs:boolean` and the value it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BooleanForm {
    /// The text as written.
    pub text: String,
    /// What XML Schema says it means.
    pub value: bool,
}

impl BooleanForm {
    /// Whether the text carries whitespace that `whiteSpace=collapse`
    /// removes (XML Schema Part 2 §3.2.2.1 and §4.3.6).
    pub fn is_padded(&self) -> bool {
        self.text.trim_matches(XML_SPACE) != self.text
    }
}

const XML_SPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// Every valid lexical form of `xs:boolean`: `true`, `false`, `1`, `0`, with
/// any leading and trailing XML whitespace (the type's facet is
/// `whiteSpace=collapse`).
pub fn boolean_form() -> impl Strategy<Value = BooleanForm> {
    let core = prop_oneof![
        Just(("true", true)),
        Just(("false", false)),
        Just(("1", true)),
        Just(("0", false)),
    ];
    let pad = "[ \t\n\r]{0,3}";
    (pad, core, pad).prop_map(|(before, (word, value), after)| BooleanForm {
        text: format!("{before}{word}{after}"),
        value,
    })
}

/// An unpadded lexical form: what every implementation should accept.
pub fn plain_boolean_form() -> impl Strategy<Value = BooleanForm> {
    boolean_form().prop_filter("unpadded", |b| !b.is_padded())
}

/// Texts that are not `xs:boolean` lexical forms: other case, other words,
/// inner whitespace, empty.
pub fn invalid_boolean_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("TRUE".to_owned()),
        Just("True".to_owned()),
        Just("yes".to_owned()),
        Just("no".to_owned()),
        Just("t r u e".to_owned()),
        Just("01".to_owned()),
        "[ \t\n\r]{1,3}",
        "\\PC{0,6}",
    ]
    .prop_filter("not a boolean form", |t| {
        !matches!(t.trim_matches(XML_SPACE), "true" | "false" | "1" | "0")
    })
}

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

/// A XEP-0402 `<conference/>` in either namespace.
#[derive(Debug, Clone)]
pub struct Conference {
    /// `urn:xmpp:bookmarks:0` or `:1`.
    pub ns: &'static str,
    /// The `autojoin` attribute, when present.
    pub autojoin: Option<BooleanForm>,
    /// The `name` attribute.
    pub name: Option<String>,
    /// The `<nick/>` child.
    pub nick: Option<String>,
    /// The `<password/>` child.
    pub password: Option<String>,
    /// The `<extensions/>` child's payloads, when present.
    pub extensions: Option<Vec<Element>>,
}

impl Conference {
    /// The element as a client would write it.
    pub fn xml(&self) -> String {
        let mut out = format!("<conference xmlns='{}'", self.ns);
        if let Some(a) = &self.autojoin {
            out += &format!(" autojoin='{}'", escape_attr(&a.text));
        }
        if let Some(name) = &self.name {
            out += &format!(" name='{}'", escape_attr(name));
        }
        out.push('>');
        if let Some(nick) = &self.nick {
            out += &format!("<nick>{}</nick>", escape_text(nick));
        }
        if let Some(password) = &self.password {
            out += &format!("<password>{}</password>", escape_text(password));
        }
        if let Some(payloads) = &self.extensions {
            out += "<extensions>";
            for p in payloads {
                out += &serialise(p);
            }
            out += "</extensions>";
        }
        out + "</conference>"
    }
}

/// A nickname that is a valid resourcepart and stable under PRECIS
/// OpaqueString (RFC 7622 §3.4): no spaces at the ends, NFC letters.
pub fn nickname() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9éüßж日本][a-zA-Z0-9éüßж日本 ._-]{0,8}[a-zA-Z0-9éüßж日本]"
}

/// A conference bookmark with `autojoin` in `forms`.
pub fn conference_with(forms: BoxedStrategy<BooleanForm>) -> impl Strategy<Value = Conference> {
    (
        prop::sample::select(&BOOKMARKS2_NAMESPACES[..]),
        option::of(forms),
        option::of(unicode_text(10)),
        option::of(nickname()),
        option::of(unicode_text(10)),
        option::of(vec(foreign_element(), 0..3)),
    )
        .prop_map(
            |(ns, autojoin, name, nick, password, extensions)| Conference {
                ns,
                autojoin,
                name,
                nick,
                password,
                extensions,
            },
        )
}

/// A conference bookmark, `autojoin` in any lexical form.
pub fn conference() -> impl Strategy<Value = Conference> {
    conference_with(boolean_form().boxed())
}

/// A XEP-0048 `<storage xmlns='storage:bookmarks'/>`.
#[derive(Debug, Clone)]
pub struct BookmarkStorage {
    /// `(jid, autojoin, name, nick, password)` of each conference.
    pub conferences: Vec<LegacyConference>,
    /// `(name, url)` of each URL bookmark.
    pub urls: Vec<(Option<String>, String)>,
}

/// One XEP-0048 conference bookmark.
#[derive(Debug, Clone)]
pub struct LegacyConference {
    /// The room's bare JID.
    pub jid: String,
    /// The `autojoin` attribute.
    pub autojoin: Option<BooleanForm>,
    /// The `name` attribute.
    pub name: Option<String>,
    /// The `<nick/>` child.
    pub nick: Option<String>,
    /// The `<password/>` child.
    pub password: Option<String>,
}

impl BookmarkStorage {
    /// The element as a client stores it.
    pub fn xml(&self) -> String {
        let mut out = "<storage xmlns='storage:bookmarks'>".to_owned();
        for c in &self.conferences {
            out += &format!("<conference jid='{}'", escape_attr(&c.jid));
            if let Some(a) = &c.autojoin {
                out += &format!(" autojoin='{}'", escape_attr(&a.text));
            }
            if let Some(name) = &c.name {
                out += &format!(" name='{}'", escape_attr(name));
            }
            out.push('>');
            if let Some(nick) = &c.nick {
                out += &format!("<nick>{}</nick>", escape_text(nick));
            }
            if let Some(password) = &c.password {
                out += &format!("<password>{}</password>", escape_text(password));
            }
            out += "</conference>";
        }
        for (name, url) in &self.urls {
            out += &format!("<url url='{}'", escape_attr(url));
            if let Some(name) = name {
                out += &format!(" name='{}'", escape_attr(name));
            }
            out += "/>";
        }
        out + "</storage>"
    }
}

/// A bare JID of a room: a localpart and a domain in plain ASCII (no `--`
/// in a label: IDNA2008 reserves it, RFC 5891 §4.2.3.1).
pub fn room_jid() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9._-]{0,8}@[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,3})?\\.[a-z]{2,4}"
}

/// XEP-0048 storage with plain `autojoin` forms.
pub fn bookmark_storage() -> impl Strategy<Value = BookmarkStorage> {
    let conference = (
        room_jid(),
        option::of(plain_boolean_form()),
        option::of(unicode_text(10)),
        option::of(nickname()),
        option::of(unicode_text(10)),
    )
        .prop_map(|(jid, autojoin, name, nick, password)| LegacyConference {
            jid,
            autojoin,
            name,
            nick,
            password,
        });
    let url = (
        option::of(unicode_text(8)),
        "https://[a-z]{1,8}\\.example/[a-z0-9/]{0,8}",
    );
    (vec(conference, 0..4), vec(url, 0..3))
        .prop_map(|(conferences, urls)| BookmarkStorage { conferences, urls })
}

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
    let mut out = "<subscriptions xmlns='storage:pubsubs'>".to_owned();
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
                values: vec![PUBLISH_OPTIONS.into()],
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

/// The publish-options `FORM_TYPE`.
pub const PUBLISH_OPTIONS: &str = "http://jabber.org/protocol/pubsub#publish-options";

fn field(var: &str, kind: &'static str, value: String) -> FormField {
    FormField {
        var: var.into(),
        kind: Some(kind),
        values: vec![value],
    }
}

/// A `jabber:x:data` form of `form_type` ("submit", "result"…) as XML.
pub fn form_xml(form_type: &str, fields: &[FormField]) -> String {
    let mut out = format!("<x xmlns='jabber:x:data' type='{form_type}'>");
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

/// A disco#info identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Identity {
    /// `category`.
    pub category: String,
    /// `type`.
    pub kind: String,
    /// `xml:lang`, when present.
    pub lang: Option<String>,
    /// `name`, when present.
    pub name: Option<String>,
}

/// A disco#info result as an entity advertising caps would answer.
#[derive(Debug, Clone)]
pub struct DiscoInfo {
    /// Identities, unique by category/type/lang, in the order written.
    pub identities: Vec<Identity>,
    /// Features, unique, in the order written.
    pub features: Vec<String>,
    /// XEP-0128 forms (each with a hidden `FORM_TYPE` first or elsewhere),
    /// unique by `FORM_TYPE`, in the order written.
    pub forms: Vec<Vec<FormField>>,
}

impl DiscoInfo {
    /// The `<query xmlns='http://jabber.org/protocol/disco#info'/>` element.
    pub fn xml(&self) -> String {
        let mut out = "<query xmlns='http://jabber.org/protocol/disco#info'>".to_owned();
        for i in &self.identities {
            out += &format!(
                "<identity category='{}' type='{}'",
                escape_attr(&i.category),
                escape_attr(&i.kind)
            );
            if let Some(lang) = &i.lang {
                out += &format!(" xml:lang='{}'", escape_attr(lang));
            }
            if let Some(name) = &i.name {
                out += &format!(" name='{}'", escape_attr(name));
            }
            out += "/>";
        }
        for f in &self.features {
            out += &format!("<feature var='{}'/>", escape_attr(f));
        }
        for form in &self.forms {
            out += &form_xml("result", form);
        }
        out + "</query>"
    }
}

/// Names in the shape of disco categories, types, features and field vars,
/// drawn from a small alphabet that includes characters sorting before and
/// after `<` and `/` so that prefix and separator orderings get exercised.
fn token() -> impl Strategy<Value = String> {
    "[a-c][a-c#+:/=-]{0,4}"
}

/// An entity-capabilities disco#info result: identities, features and
/// extended forms, each list shuffled.
pub fn disco_info() -> impl Strategy<Value = DiscoInfo> {
    // Categories and types are registry names ([a-z-]); '-' sorts before
    // the '/' that separates them in S.
    let name = "[a-c][a-c-]{0,3}";
    let identities = btree_map(
        (name, name, option::of("[a-z]{2}(-[A-Z]{2})?")),
        option::of(unicode_text(6)),
        1..4,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|((category, kind, lang), name)| Identity {
                category,
                kind,
                lang,
                name,
            })
            .collect::<Vec<_>>()
    });
    let features = proptest::collection::btree_set(token(), 0..6)
        .prop_map(|s| s.into_iter().collect::<Vec<_>>());
    let values = vec(unicode_text(5), 0..3);
    let fields = btree_map(
        token().prop_filter("not FORM_TYPE", |v| v != "FORM_TYPE"),
        values,
        0..4,
    );
    let forms = btree_map(token(), fields, 0..3).prop_map(|forms| {
        forms
            .into_iter()
            .map(|(form_type, fields)| {
                let mut out = vec![FormField {
                    var: "FORM_TYPE".into(),
                    kind: Some("hidden"),
                    values: vec![form_type],
                }];
                out.extend(fields.into_iter().map(|(var, values)| FormField {
                    var,
                    kind: None,
                    values,
                }));
                out
            })
            .collect::<Vec<_>>()
    });
    (identities, features, forms)
        .prop_flat_map(|(identities, features, forms)| {
            let forms = forms
                .into_iter()
                .map(|f| Just(f).prop_shuffle())
                .collect::<Vec<_>>();
            (
                Just(identities).prop_shuffle(),
                Just(features).prop_shuffle(),
                forms.prop_shuffle(),
            )
        })
        .prop_map(|(identities, features, forms)| DiscoInfo {
            identities,
            features,
            forms,
        })
}

/// A real scenario file, the seed that [`scenario_text`] mutates.
const SEED_SCENARIO: &str = include_str!("../../../scenarios/xep-0049/2.1-store-and-retrieve.toml");

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

/// Two lexical forms of one `xs:boolean` value (possibly the same text).
pub fn equivalent_boolean_forms() -> impl Strategy<Value = (BooleanForm, BooleanForm)> {
    let of = |value: bool| boolean_form().prop_filter("of the value", move |b| b.value == value);
    any::<bool>().prop_flat_map(move |value| (of(value), of(value)))
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
