//! An independent XEP-0115 verification string, written from the spec's
//! text (§5.1 Generation Method, §5.4 Processing Method) and working on the
//! raw disco#info element, so that it shares nothing with xmpp-parsers.
//!
//! [`Rules::SPEC`] follows the spec. [`Rules::XMPP_PARSERS`] models the known
//! deviations of xmpp-parsers 0.23 (see `fuzz::deviations`), so that a
//! property can tell "differs for a known reason" from "differs".

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use minidom::Element;
use sha1::{Digest, Sha1};

use crate::ns::{self, DATA_FORMS, DISCO_INFO};

/// Why a disco#info result has no verification string (§5.4 step 3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapsError {
    /// The element is not a disco#info `<query/>`.
    #[error("not a disco#info query: <{0}/>")]
    NotDiscoInfo(String),
    /// An identity lacks its category or type.
    #[error("an identity lacks its category or type")]
    IncompleteIdentity,
    /// Two identities share category/type/lang/name.
    #[error("duplicate identity {0}")]
    DuplicateIdentity(String),
    /// Two features share their text.
    #[error("duplicate feature {0}")]
    DuplicateFeature(String),
    /// Two forms share a FORM_TYPE, or a FORM_TYPE has differing values.
    #[error("ill-formed FORM_TYPE {0}")]
    FormType(String),
}

/// How the sorts are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Sort each list by its encoded items, `<` terminator included, rather
    /// than by the keys §5.1 names.
    pub sort_encoded: bool,
    /// Keep a form's fields in document order instead of sorting by `var`.
    pub fields_in_document_order: bool,
}

impl Rules {
    /// XEP-0115 §5.1 as written.
    pub const SPEC: Rules = Rules {
        sort_encoded: false,
        fields_in_document_order: false,
    };
    /// What xmpp-parsers 0.23's `caps::compute_disco` does.
    pub const XMPP_PARSERS: Rules = Rules {
        sort_encoded: true,
        fields_in_document_order: true,
    };
}

/// The string S of §5.1 for `query`, or why the response is ill-formed.
pub fn verification_string(query: &Element, rules: Rules) -> Result<Vec<u8>, CapsError> {
    if query.name() != "query" || query.ns() != DISCO_INFO {
        return Err(CapsError::NotDiscoInfo(query.name().to_owned()));
    }
    let mut s = Vec::new();
    // Steps 2-3: identities by category, type, xml:lang.
    let mut identities = Vec::new();
    for id in query.children().filter(|c| c.is("identity", DISCO_INFO)) {
        let (Some(category), Some(kind)) = (id.attr("category"), id.attr("type")) else {
            return Err(CapsError::IncompleteIdentity);
        };
        let lang = id.attr_ns(ns::XML, "lang").unwrap_or("");
        let name = id.attr("name").unwrap_or("");
        let text = format!("{category}/{kind}/{lang}/{name}");
        if identities.iter().any(|(_, t)| *t == text) {
            return Err(CapsError::DuplicateIdentity(text));
        }
        identities.push(((category, kind, lang), text));
    }
    if rules.sort_encoded {
        identities.sort_by_key(|a| terminated(&a.1));
    } else {
        identities.sort_by(|a, b| a.0.cmp(&b.0));
    }
    for (_, text) in identities {
        append(&mut s, &text);
    }
    // Steps 4-5: features.
    let mut features: Vec<&str> = Vec::new();
    for f in query.children().filter(|c| c.is("feature", DISCO_INFO)) {
        let var = f.attr("var").unwrap_or("");
        if features.contains(&var) {
            return Err(CapsError::DuplicateFeature(var.to_owned()));
        }
        features.push(var);
    }
    sort_strings(&mut features, rules);
    for f in features {
        append(&mut s, f);
    }
    // Steps 6-7: forms with a hidden FORM_TYPE, sorted by it.
    let mut forms = Vec::new();
    for form in query.children().filter(|c| c.is("x", DATA_FORMS)) {
        if let Some(form_type) = form_type(form)? {
            if forms.iter().any(|(t, _)| *t == form_type) {
                return Err(CapsError::FormType(form_type));
            }
            let encoded = encode_form(form, &form_type, rules);
            forms.push((form_type, encoded));
        }
    }
    if rules.sort_encoded {
        forms.sort_by(|a, b| a.1.cmp(&b.1));
    } else {
        forms.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    }
    for (_, encoded) in forms {
        s.extend(encoded);
    }
    Ok(s)
}

/// The `ver` attribute for S with SHA-1: Base64 of the binary digest.
pub fn ver_sha1(s: &[u8]) -> String {
    STANDARD.encode(Sha1::digest(s))
}

/// The FORM_TYPE of `form` when it has a hidden one (§5.4 step 3.6: other
/// forms are ignored); an error when its values disagree.
fn form_type(form: &Element) -> Result<Option<String>, CapsError> {
    let Some(field) = form
        .children()
        .find(|f| f.is("field", DATA_FORMS) && f.attr("var") == Some("FORM_TYPE"))
    else {
        return Ok(None);
    };
    if field.attr("type") != Some("hidden") {
        return Ok(None);
    }
    let values = values(field);
    match values.split_first() {
        Some((first, rest)) if rest.iter().all(|v| v == first) => Ok(Some(first.clone())),
        _ => Err(CapsError::FormType(values.join(", "))),
    }
}

fn encode_form(form: &Element, form_type: &str, rules: Rules) -> Vec<u8> {
    let mut out = Vec::new();
    append(&mut out, form_type);
    let mut fields: Vec<&Element> = form
        .children()
        .filter(|f| f.is("field", DATA_FORMS) && f.attr("var") != Some("FORM_TYPE"))
        .collect();
    if !rules.fields_in_document_order {
        fields.sort_by(|a, b| {
            let (a, b) = (a.attr("var").unwrap_or(""), b.attr("var").unwrap_or(""));
            a.as_bytes().cmp(b.as_bytes())
        });
    }
    for field in fields {
        append(&mut out, field.attr("var").unwrap_or(""));
        let values = values(field);
        let mut values: Vec<&str> = values.iter().map(String::as_str).collect();
        sort_strings(&mut values, rules);
        for v in values {
            append(&mut out, v);
        }
    }
    out
}

fn values(field: &Element) -> Vec<String> {
    field
        .children()
        .filter(|v| v.is("value", DATA_FORMS))
        .map(Element::text)
        .collect()
}

fn sort_strings(items: &mut [&str], rules: Rules) {
    if rules.sort_encoded {
        items.sort_by_key(|a| terminated(a));
    } else {
        // i;octet (RFC 4790 §9.3): compare the UTF-8 bytes.
        items.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    }
}

fn terminated(text: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(b'<');
    bytes
}

fn append(s: &mut Vec<u8>, item: &str) {
    s.extend_from_slice(item.as_bytes());
    s.push(b'<');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::parse::parse_stanza;

    fn query(text: &str) -> Element {
        parse_stanza(text).expect("test XML parses")
    }

    /// XEP-0115 §5.2, the simple example.
    #[test]
    fn simple_example_of_the_spec() {
        let q = query(
            "<query xmlns='http://jabber.org/protocol/disco#info'>\
             <identity category='client' name='Exodus 0.9.1' type='pc'/>\
             <feature var='http://jabber.org/protocol/muc'/>\
             <feature var='http://jabber.org/protocol/caps'/>\
             <feature var='http://jabber.org/protocol/disco#info'/>\
             <feature var='http://jabber.org/protocol/disco#items'/></query>",
        );
        let s = verification_string(&q, Rules::SPEC).unwrap();
        assert_eq!(
            String::from_utf8(s.clone()).unwrap(),
            "client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<\
             http://jabber.org/protocol/disco#info<\
             http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<"
        );
        assert_eq!(ver_sha1(&s), "QgayPKawpkPSDYmwT/WM94uAlu0=");
    }

    /// XEP-0115 §5.3, the complex example (two identities with languages,
    /// an extended form with fields out of order).
    #[test]
    fn complex_example_of_the_spec() {
        let q = query(
            "<query xmlns='http://jabber.org/protocol/disco#info'>\
             <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>\
             <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>\
             <feature var='http://jabber.org/protocol/disco#items'/>\
             <feature var='http://jabber.org/protocol/disco#info'/>\
             <feature var='http://jabber.org/protocol/muc'/>\
             <feature var='http://jabber.org/protocol/caps'/>\
             <x xmlns='jabber:x:data' type='result'>\
             <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>\
             <field var='ip_version'><value>ipv4</value><value>ipv6</value></field>\
             <field var='os'><value>Mac</value></field>\
             <field var='os_version'><value>10.5.1</value></field>\
             <field var='software'><value>Psi</value></field>\
             <field var='software_version'><value>0.11</value></field>\
             </x></query>",
        );
        let s = verification_string(&q, Rules::SPEC).unwrap();
        assert_eq!(ver_sha1(&s), "q07IKJEyjvHSyhy//CH0CxmKi8w=");
    }

    #[test]
    fn duplicates_are_ill_formed() {
        let q = query(
            "<query xmlns='http://jabber.org/protocol/disco#info'>\
             <feature var='a'/><feature var='a'/></query>",
        );
        assert_eq!(
            verification_string(&q, Rules::SPEC),
            Err(CapsError::DuplicateFeature("a".into()))
        );
    }

    #[test]
    fn forms_without_hidden_form_type_are_ignored() {
        let with = query(
            "<query xmlns='http://jabber.org/protocol/disco#info'><feature var='a'/>\
             <x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE'><value>t</value></field></x></query>",
        );
        assert_eq!(verification_string(&with, Rules::SPEC).unwrap(), b"a<");
    }
}
