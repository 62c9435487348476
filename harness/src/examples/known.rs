//! Names the XEP corpus does not define but examples rightly use.
//!
//! Three kinds, kept apart from the corpus-derived sets:
//! - namespaces the XMPP RFCs define (RFC 6120, 6121, 7395, 3921, 3923),
//!   which the XEPs use without defining: known, so a near miss of one is
//!   reported with a suggestion;
//! - names under another body's authority (IETF URNs, W3C, purl.org,
//!   OASIS, …): not the XSF's to check, so they are only reported when they
//!   are a near miss of a known name;
//! - placeholders: names on example domains (RFC 2606 `example.com`,
//!   `.example`, the `.lit` domains XEP examples use), names with an
//!   `example` or `stub` segment (`urn:example:…`): never reported.

use crate::ns;

/// Namespaces the XMPP RFCs define, with the RFC.
pub const RFC_NAMESPACES: &[(&str, &str)] = &[
    (ns::JABBER_CLIENT, "RFC 6120"),
    (ns::JABBER_SERVER, "RFC 6120"),
    (ns::STREAM, "RFC 6120"),
    (ns::XMPP_STREAMS, "RFC 6120"),
    (ns::XMPP_STANZAS, "RFC 6120"),
    (ns::SASL, "RFC 6120"),
    (ns::TLS, "RFC 6120"),
    (ns::BIND, "RFC 6120"),
    (ns::XML, "RFC 6120 (xml:lang)"),
    (ns::ROSTER, "RFC 6121"),
    (ns::ROSTERVER, "RFC 6121"),
    (ns::PRE_APPROVAL, "RFC 6121"),
    (ns::XMPP_SESSION, "RFC 3921"),
    (ns::XMPP_E2E, "RFC 3923"),
    (ns::WEBSOCKET, "RFC 7395"),
];

/// Prefixes of names under another standards body's authority.
pub const FOREIGN_AUTHORITIES: &[&str] = &[
    "urn:ietf:",
    "http://www.w3.org/",
    "https://www.w3.org/",
    "http://purl.org/",
    "https://purl.org/",
    "urn:oasis:",
    "http://docs.oasis-open.org/",
    "http://schemas.xmlsoap.org/",
    "http://www.opengis.net/",
    "urn:oma:",
    "urn:3gpp:",
    "urn:ogc:",
    "urn:mpeg:",
    "urn:iso:",
];

/// The RFC that defines `namespace`, if one does.
pub fn rfc_namespace(namespace: &str) -> Option<&'static str> {
    RFC_NAMESPACES
        .iter()
        .find(|(ns, _)| *ns == namespace)
        .map(|(_, rfc)| *rfc)
}

/// Whether `name` is under another body's authority.
pub fn is_foreign(name: &str) -> bool {
    FOREIGN_AUTHORITIES.iter().any(|p| name.starts_with(p)) || is_other_host(name)
}

/// The hosts whose `http(s)://` namespaces are the XSF's.
const XSF_HOSTS: &[&str] = &["jabber.org", "xmpp.org", "jabber.com"];

/// Whether `name` is an `http(s)://` URI on a host other than the XSF's
/// (`http://isode.com/protocol/fmuc`, `http://www.incident.com/cap/1.0`):
/// a company's or another body's namespace, not the XSF's to define.
fn is_other_host(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix("http://")
        .or_else(|| name.strip_prefix("https://"))
    else {
        return false;
    };
    let host = rest.split(['/', ':', '#', '?']).next().unwrap_or("");
    !XSF_HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

/// Whether `name` is a placeholder: a URL on an example domain, or a name
/// with an `example` or `stub` segment (`urn:example:foo`,
/// `urn:xmpp:bloop:example`, Jingle's `urn:xmpp:jingle:apps:stub:0`).
pub fn is_placeholder(name: &str) -> bool {
    if name.contains("...") || name.contains('…') || name.starts_with('[') {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    if lower
        .split([':', '/', '#', '.'])
        .any(|segment| matches!(segment, "example" | "stub"))
    {
        return true;
    }
    let Some((_, rest)) = lower.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', ':', '#', '?']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    let second = labels.len().checked_sub(2).map_or("", |i| labels[i]);
    matches!(tld, "example" | "test" | "invalid" | "localhost" | "lit")
        || (second == "example" && matches!(tld, "com" | "net" | "org"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "http://example.com/ns",
            "https://www.example.org/x#y",
            "urn:example:foo",
            "http://shakespeare.lit/ns/play",
            "http://user@host.example/",
            "urn:xmpp:bloop42:example",
            "urn:xmpp:jingle:apps:stub:0",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in [
            "urn:xmpp:bookmarks:1",
            "http://jabber.org/protocol/pubsub",
            "http://examples.com/",
        ] {
            assert!(!is_placeholder(p), "{p}");
        }
    }

    #[test]
    fn rfc_and_foreign() {
        assert_eq!(rfc_namespace("jabber:client"), Some("RFC 6120"));
        assert_eq!(rfc_namespace("urn:xmpp:mam:2"), None);
        assert!(is_foreign("urn:ietf:params:xml:ns:vcard-4.0"));
        assert!(is_foreign("http://www.w3.org/1999/xhtml"));
        assert!(!is_foreign("http://jabber.org/protocol/disco#info"));
    }
}
