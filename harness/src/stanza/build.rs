//! Building elements in code with plain string attribute names.

use minidom::rxml::NcName;
use minidom::{Element, ElementBuilder, IntoAttributeValue};

/// `ElementBuilder::attr` with a `&str` name.
pub trait WithAttr {
    /// Adds attribute `name` (a valid XML name, normally a literal) = `value`.
    fn with(self, name: &str, value: impl IntoAttributeValue) -> Self;
}

impl WithAttr for ElementBuilder {
    fn with(self, name: &str, value: impl IntoAttributeValue) -> Self {
        match NcName::try_from(name) {
            Ok(name) => self.attr(name, value),
            // Only literals reach this; an invalid one is a programming error
            // that the unit tests of every caller would show at once.
            Err(e) => panic!("invalid attribute name {name:?}: {e}"),
        }
    }
}

/// Replaces the value of `element`'s attribute `name` (no namespace), if it
/// has one.
pub fn replace_attr(element: &mut Element, name: &str, value: &str) {
    for ((ns, attr), current) in element.attrs_mut().iter_mut() {
        if ns.is_none() && attr.as_str() == name {
            *current = value.to_owned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minidom::Element;

    #[test]
    fn sets_plain_attributes() {
        let el = Element::builder("iq", "jabber:client")
            .with("type", "get")
            .with("id", "a1")
            .build();
        assert_eq!(el.attr("type"), Some("get"));
        assert_eq!(el.attr("id"), Some("a1"));
    }

    #[test]
    fn replaces_only_an_existing_plain_attribute() {
        let mut el = Element::builder("iq", "jabber:client")
            .with("id", "a1")
            .build();
        replace_attr(&mut el, "id", "b2");
        replace_attr(&mut el, "type", "get");
        assert_eq!(el.attr("id"), Some("b2"));
        assert_eq!(el.attr("type"), None);
    }
}
