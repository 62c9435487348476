//! Bookmarks: XEP-0402 conference elements (both namespaces) and XEP-0048
//! `storage:bookmarks`.

use minidom::Element;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use super::booleans::{BooleanForm, boolean_form, plain_boolean_form};
use super::foreign::{foreign_element, unicode_text};
use crate::fuzz::xml::{escape_attr, escape_text, serialise};
use crate::ns;

/// Namespaces a XEP-0402 conference element has had: `:0` (before 0.3) and
/// `:1` (current).
pub const BOOKMARKS2_NAMESPACES: [&str; 2] = [ns::BOOKMARKS2_0, ns::BOOKMARKS2];

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
        let mut out = format!("<storage xmlns='{}'>", ns::BOOKMARKS);
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
