//! What a session says about itself: its disco#info identity and features,
//! and the XEP-0115 entity capabilities that advertise them in presence.

use std::collections::BTreeSet;

use minidom::Element;
use xmpp_parsers::caps::{Caps, compute_disco, hash_caps};
use xmpp_parsers::disco::{DiscoInfoResult, Identity};
use xmpp_parsers::hashes::{Algo, Hash};

use crate::ns;

/// The caps node URI the harness advertises.
pub const CAPS_NODE: &str = "https://xepspec.invalid/caps";

/// Features every session supports whatever its scenario says.
const BASE_FEATURES: &[&str] = &[ns::CAPS, ns::DISCO_INFO, ns::PING];

/// A client's self-description: identity plus features.
#[derive(Debug, Clone)]
pub struct ClientCaps {
    node: String,
    disco: DiscoInfoResult,
    hash: Hash,
    ver: String,
}

impl ClientCaps {
    /// A client that supports the base features plus `features` (for
    /// instance `urn:xmpp:bookmarks:1+notify`), under the harness's node.
    pub fn new<'a>(features: impl IntoIterator<Item = &'a str>) -> Self {
        Self::with_node(CAPS_NODE, features)
    }

    /// Like [`ClientCaps::new`], advertised under the caps node `node`.
    pub fn with_node<'a>(node: &str, features: impl IntoIterator<Item = &'a str>) -> Self {
        let features: BTreeSet<String> = BASE_FEATURES
            .iter()
            .copied()
            .chain(features)
            .map(str::to_owned)
            .collect();
        let disco = DiscoInfoResult {
            node: None,
            identities: vec![Identity::new("client", "pc", "en", "xepspec")],
            features,
            extensions: vec![],
        };
        let hash = hash_caps(&compute_disco(&disco), Algo::Sha_1)
            .unwrap_or_else(|_| Hash::new(Algo::Sha_1, Vec::new()));
        let ver = hash.to_base64();
        ClientCaps {
            node: node.to_owned(),
            disco,
            hash,
            ver,
        }
    }

    /// The `<c xmlns='http://jabber.org/protocol/caps'/>` element for presence.
    pub fn element(&self) -> Element {
        Caps::new(self.node.as_str(), self.hash.clone()).into()
    }

    /// The `node#ver` string a server asks about.
    pub fn node_ver(&self) -> String {
        format!("{}#{}", self.node, self.ver)
    }

    /// The verification string alone (the `ver` of the `<c/>` element).
    pub fn ver(&self) -> &str {
        &self.ver
    }

    /// The disco#info answer, for the bare query or for `node` (the caps
    /// node#ver), or `None` when asked about a node we do not have.
    pub fn disco_info(&self, node: Option<&str>) -> Option<Element> {
        match node {
            None => Some(self.disco.clone().into()),
            Some(node) if node == self.node_ver() => {
                let mut disco = self.disco.clone();
                disco.node = Some(node.to_owned());
                Some(disco.into())
            }
            Some(_) => None,
        }
    }

    /// The features it advertises, in the order they are hashed.
    pub fn features(&self) -> impl Iterator<Item = &str> {
        self.disco.features.iter().map(String::as_str)
    }

    /// Whether this client advertises `feature`.
    pub fn has_feature(&self, feature: &str) -> bool {
        self.disco.features.contains(feature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_for_its_own_node_only() {
        let caps = ClientCaps::new(["urn:xmpp:bookmarks:1+notify"]);
        assert!(caps.has_feature("urn:xmpp:bookmarks:1+notify"));
        let answer = caps.disco_info(Some(&caps.node_ver())).unwrap();
        assert_eq!(answer.attr("node"), Some(caps.node_ver().as_str()));
        assert!(caps.disco_info(Some("urn:other#x")).is_none());
    }

    #[test]
    fn a_node_of_its_own_is_advertised_and_asked_about() {
        let caps = ClientCaps::with_node("https://example.org/client", ["urn:example"]);
        assert_eq!(
            caps.element().attr("node"),
            Some("https://example.org/client")
        );
        let node_ver = caps.node_ver();
        assert_eq!(
            node_ver,
            format!("https://example.org/client#{}", caps.ver())
        );
        assert!(caps.disco_info(Some(&node_ver)).is_some());
        let same_features = ClientCaps::new(["urn:example"]);
        assert_eq!(caps.ver(), same_features.ver(), "the node is not hashed");
        assert!(caps.disco_info(Some(&same_features.node_ver())).is_none());
    }

    /// XEP-0115 §5.2's simple example: the hash is computed as the XEP says.
    #[test]
    fn the_ver_is_the_xeps_own_for_its_example() {
        let disco = DiscoInfoResult {
            node: None,
            identities: vec![Identity::new("client", "pc", "", "Exodus 0.9.1")],
            features: [
                "http://jabber.org/protocol/caps",
                "http://jabber.org/protocol/disco#info",
                "http://jabber.org/protocol/disco#items",
                "http://jabber.org/protocol/muc",
            ]
            .into_iter()
            .map(str::to_owned)
            .collect(),
            extensions: vec![],
        };
        let hash = hash_caps(&compute_disco(&disco), Algo::Sha_1).unwrap();
        assert_eq!(hash.to_base64(), "QgayPKawpkPSDYmwT/WM94uAlu0=");
    }

    #[test]
    fn ver_changes_with_features() {
        let a = ClientCaps::new(["urn:xmpp:bookmarks:1+notify"]);
        let b = ClientCaps::new([]);
        assert_ne!(a.node_ver(), b.node_ver());
        assert_eq!(
            a.element().attr("ver"),
            Some(&a.node_ver()[CAPS_NODE.len() + 1..])
        );
    }
}
