//! The XMPP namespaces the code uses, in one place: most re-exported from
//! `xmpp_parsers::ns` (each documented there with its RFC or XEP), the few
//! it lacks defined here.
//!
//! Architecture Invariant: the bottom of the layering; imports nothing from
//! the crate.

pub use xmpp_parsers::ns::{
    BIND, BOOKMARKS, BOOKMARKS2, CAPS, DATA_FORMS, DISCO_INFO, DISCO_ITEMS, JABBER_CLIENT, PING,
    PRIVATE, PUBSUB, PUBSUB_EVENT, PUBSUB_OWNER, REGISTER, ROSTER, SASL, STREAM, TLS, WEBSOCKET,
    XMPP_STANZAS, XMPP_STREAMS,
};

/// RFC 6120: the default namespace of server-to-server streams.
pub const JABBER_SERVER: &str = "jabber:server";

/// XEP-0220: Server Dialback, bound to `db:` on server-to-server streams.
pub const DIALBACK: &str = "jabber:server:dialback";

/// RFC 6121: the stream feature for roster versioning.
pub const ROSTERVER: &str = "urn:xmpp:features:rosterver";

/// RFC 6121: the stream feature for subscription pre-approval.
pub const PRE_APPROVAL: &str = "urn:xmpp:features:pre-approval";

/// RFC 3921: session establishment (dropped by RFC 6121).
pub const XMPP_SESSION: &str = "urn:ietf:params:xml:ns:xmpp-session";

/// RFC 3923: end-to-end signing and object encryption.
pub const XMPP_E2E: &str = "urn:ietf:params:xml:ns:xmpp-e2e";

/// Namespaces in XML 1.0: the `xml:` prefix (`xml:lang`, as RFC 6120
/// uses it).
pub const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// XEP-0402: PEP Native Bookmarks, the namespace of its versions before
/// 0.3 ([`BOOKMARKS2`] is the current one).
pub const BOOKMARKS2_0: &str = "urn:xmpp:bookmarks:0";

/// XEP-0060 §7.1.5 and XEP-0223: the `FORM_TYPE` of publish-options.
pub const PUBSUB_PUBLISH_OPTIONS: &str = "http://jabber.org/protocol/pubsub#publish-options";

/// XEP-0173: Pubsub Subscription Storage, `<subscriptions/>` in private
/// XML storage.
pub const PUBSUBS: &str = "storage:pubsubs";

/// XEP-0050: Ad-Hoc Commands (XEP-0133's administration commands use it).
pub const COMMANDS: &str = "http://jabber.org/protocol/commands";
