//! Known deviations from the specifications found by the properties: each
//! one names the spec text it departs from and its minimal counterexample.
//! A property that meets one reports it instead of failing; the unit tests
//! below check that each still holds, so the suite goes red when a library
//! starts following the spec (then delete the entry).

/// A place where an implementation departs from a specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviation {
    /// A short stable name.
    pub id: &'static str,
    /// Which implementation.
    pub implementation: &'static str,
    /// The spec text it departs from.
    pub spec: &'static str,
    /// What it does instead.
    pub what: &'static str,
    /// The smallest input that shows it.
    pub counterexample: &'static str,
}

/// `xs:boolean` with surrounding whitespace is refused.
pub const BOOLEAN_WHITESPACE: Deviation = Deviation {
    id: "xso-boolean-whitespace",
    implementation: "xso 0.4 (xmpp-parsers 0.23) `bool: FromXmlText`",
    spec: "XML Schema 1.1 Part 2 §3.3.2 boolean: whiteSpace=collapse (fixed), so ' true ' is a lexical form of true",
    what: "only the exact texts true/false/1/0 parse; padded forms are an error, so a XEP-0402 conference with autojoin=' true' is rejected",
    counterexample: "<conference xmlns='urn:xmpp:bookmarks:1' autojoin=' 1'/>",
};

/// Caps lists sorted with the `<` terminator in the sort key.
pub const CAPS_SORT_KEY: Deviation = Deviation {
    id: "caps-sort-with-terminator",
    implementation: "xmpp-parsers 0.23 `caps::compute_disco`",
    spec: "XEP-0115 §5.1 steps 2, 4, 6, 7.3.2: sort identities, features, forms and values (i;octet), then append each followed by '<'",
    what: "sorts `item + '<'`, so an item that is a prefix of another followed by a byte below '<' (such as '+', '#', '-', '/', ':') sorts after it: features a and a+notify give a+notify<a< instead of a<a+notify<",
    counterexample: "<query xmlns='http://jabber.org/protocol/disco#info'><feature var='a'/><feature var='a+'/></query>",
};

/// Caps fields kept in document order.
pub const CAPS_FIELD_ORDER: Deviation = Deviation {
    id: "caps-fields-unsorted",
    implementation: "xmpp-parsers 0.23 `caps::compute_disco`",
    spec: "XEP-0115 §5.1 step 7.2: sort the fields by the value of the var attribute",
    what: "appends a form's fields in the order they were received",
    counterexample: "<query xmlns='http://jabber.org/protocol/disco#info'><x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>a</value></field><field var='b'/><field var='a'/></x></query>",
};

/// Whitespace other than the space in an attribute value written out raw by
/// a server.
pub const RAW_WHITESPACE_IN_ATTRIBUTE: Deviation = Deviation {
    id: "prosody-raw-whitespace-in-attribute",
    implementation: "Prosody 0.12 and 13 (util.stanza serialisation)",
    spec: "XML 1.0 §2.11 and §3.3.3: a tab, LF or CR read from a character reference in an attribute value must be written as one (&#9; &#10; &#13;) to survive attribute-value normalisation",
    what: "writes them raw, so a reader of a notification or stored item sees a space (or, for a CR and rxml, a broken stream), not the character published",
    counterexample: "<conference xmlns='urn:xmpp:bookmarks:0' autojoin='true&#13;'/> published to a PEP node comes back as autojoin='true\r' on the wire",
};

/// A lone CR in an attribute value is refused or dropped by the parser.
pub const RXML_LONE_CR: Deviation = Deviation {
    id: "rxml-lone-cr-in-attribute",
    implementation: "rxml 0.14 (minidom 0.19, tokio-xmpp 6)",
    spec: "XML 1.0 §2.11 (a CR not followed by LF becomes LF) and §3.3.3 (LF in an attribute value becomes a space)",
    what: "a raw CR followed by another character in an attribute value is a fatal error (\"invalid codepoint\"), which closes the stream; a raw CR before the closing quote is dropped instead of becoming a space",
    counterexample: "<c xmlns='urn:x' a='\rfalse'/>",
};

/// Padded `xs:boolean` values refused in a publish-options form.
pub const FORM_BOOLEAN_WHITESPACE: Deviation = Deviation {
    id: "publish-options-boolean-whitespace",
    implementation: "Prosody 0.12 and 13, ejabberd 23.01, 24.12 and 26 (publish-options boolean fields)",
    spec: "XEP-0004 §3.3 boolean: the lexical forms of XML Schema Part 2 §3.2.2.1 xs:boolean, whose whiteSpace facet is collapse",
    what: "a publish-options pubsub#persist_items of ' 1' or 'false\n' is refused with bad-request while '1' and 'false' are accepted",
    counterexample: "<field var='pubsub#persist_items'><value>0 </value></field> in the XEP-0223 publish-options",
};

/// Every known deviation, for the README and the command's report.
pub const ALL: [Deviation; 6] = [
    BOOLEAN_WHITESPACE,
    CAPS_SORT_KEY,
    CAPS_FIELD_ORDER,
    RAW_WHITESPACE_IN_ATTRIBUTE,
    RXML_LONE_CR,
    FORM_BOOLEAN_WHITESPACE,
];
