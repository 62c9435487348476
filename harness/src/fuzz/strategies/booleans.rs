//! Lexical forms of `xs:boolean`, valid and invalid.

use proptest::prelude::*;

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

/// Two lexical forms of one `xs:boolean` value (possibly the same text).
pub fn equivalent_boolean_forms() -> impl Strategy<Value = (BooleanForm, BooleanForm)> {
    let of = |value: bool| boolean_form().prop_filter("of the value", move |b| b.value == value);
    any::<bool>().prop_flat_map(move |value| (of(value), of(value)))
}
