//! Writing generated payloads as XML text.

use minidom::rxml::NcName;
use minidom::{Element, ElementBuilder};

/// `text` escaped for character data.
pub fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\r', "&#13;")
}

/// `value` escaped for an attribute in single quotes; whitespace other than
/// the space is written as a character reference so that attribute-value
/// normalisation (XML 1.0 §3.3.3) keeps it.
pub fn escape_attr(value: &str) -> String {
    escape_text(value)
        .replace('\'', "&apos;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

/// `element` as XML text (minidom's writer).
pub fn serialise(element: &Element) -> String {
    let mut out = Vec::new();
    match element.write_to(&mut out) {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(e) => format!("<!-- unwritable: {e} -->"),
    }
}

/// Adding generated attributes whose names are valid NCNames by
/// construction; an invalid one is skipped.
pub trait WithAttrs {
    /// Adds every `(name, value)`.
    fn with_attrs(self, attrs: &[(String, String)]) -> Self;
}

impl WithAttrs for ElementBuilder {
    fn with_attrs(mut self, attrs: &[(String, String)]) -> Self {
        for (name, value) in attrs {
            if let Ok(name) = NcName::try_from(name.as_str()) {
                self = self.attr(name, value.as_str());
            }
        }
        self
    }
}
