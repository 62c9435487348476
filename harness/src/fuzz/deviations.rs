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

/// Every known deviation, for the README and the command's report.
pub const ALL: [Deviation; 3] = [BOOLEAN_WHITESPACE, CAPS_SORT_KEY, CAPS_FIELD_ORDER];
