//! Building elements in code with plain string attribute names.

use minidom::rxml::NcName;
use minidom::{ElementBuilder, IntoAttributeValue};

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
}
