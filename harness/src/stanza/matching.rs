//! Matching received stanzas against templates, scansion-style: the
//! template's name, namespace and listed attributes must be there, each listed
//! child must match a distinct child (in any order), text compares after
//! collapsing whitespace, and extras are allowed unless the match is strict.
//! Values may hold `{any}` (anything), `{=name}` (anything, captured) or,
//! as a whole value, `{one-of:a|b}` (one of the literals). Template markup
//! ([`super::template`]) refines the match: `<one-of>` alternatives,
//! `t:strict` on a subtree, `t:absent` attributes.

use std::collections::BTreeMap;

use minidom::Element;
use minidom::rxml::Namespace;

use super::canonical::direct_text_collapsed;
use super::placeholder::{Piece, split};
pub use super::template::{TEMPLATE_NS, is_one_of};
use super::template::{
    absent_names, one_of_alternatives, stanza_attr_count, stanza_attrs, strictness,
};

/// Values captured by `{=name}` while matching.
pub type Bindings = BTreeMap<String, String>;

/// Whether `stanza` matches `template`; the captures when it does.
pub fn matches(template: &Element, stanza: &Element, strict: bool) -> Option<Bindings> {
    match_element(template, stanza, strict, &Bindings::new())
}

/// Like [`matches`], starting from captures made earlier (a capture already
/// bound must match its value again).
pub fn matches_with(
    template: &Element,
    stanza: &Element,
    strict: bool,
    bound: &Bindings,
) -> Option<Bindings> {
    match_element(template, stanza, strict, bound)
}

fn match_element(t: &Element, s: &Element, inherited: bool, bound: &Bindings) -> Option<Bindings> {
    let strict = strictness(t, inherited);
    if is_one_of(t) {
        return t
            .children()
            .find_map(|alternative| match_element(alternative, s, strict, bound));
    }
    if t.name() != s.name() || t.ns() != s.ns() {
        return None;
    }
    let mut bindings = bound.clone();
    for (ns, name, pattern) in stanza_attrs(t) {
        let value = s.attrs().get(ns, name)?;
        bindings = match_value(pattern, value, &bindings)?;
    }
    if absent_names(t)
        .iter()
        .any(|name| s.attrs().get(&Namespace::NONE, *name).is_some())
    {
        return None;
    }
    if strict && stanza_attr_count(t) != s.attrs().len() {
        return None;
    }
    let t_text = collapsed_text(t);
    let s_text = collapsed_text(s);
    if !t_text.is_empty() || strict {
        bindings = match_value(&t_text, &s_text, &bindings)?;
    }
    let t_children: Vec<&Element> = t.children().collect();
    let s_children: Vec<&Element> = s.children().collect();
    if strict && t_children.len() != s_children.len() {
        return None;
    }
    assign_children(
        &t_children,
        &s_children,
        &mut vec![false; s_children.len()],
        strict,
        bindings,
    )
}

/// Finds distinct stanza children for every template child (backtracking:
/// templates are small, and a greedy choice can wrongly take the child a
/// later, more specific template child needs).
fn assign_children(
    templates: &[&Element],
    stanza: &[&Element],
    used: &mut Vec<bool>,
    strict: bool,
    bindings: Bindings,
) -> Option<Bindings> {
    let Some((first, rest)) = templates.split_first() else {
        return Some(bindings);
    };
    for (i, child) in stanza.iter().enumerate() {
        if used[i] {
            continue;
        }
        if let Some(b) = match_element(first, child, strict, &bindings) {
            used[i] = true;
            if let Some(done) = assign_children(rest, stanza, used, strict, b) {
                return Some(done);
            }
            used[i] = false;
        }
    }
    None
}

/// An element's direct text as canonical XML writes it (see
/// [`direct_text_collapsed`]), so that a stanza with mixed content matches
/// its own canonical text.
fn collapsed_text(el: &Element) -> String {
    direct_text_collapsed(el)
}

/// Collapses runs of whitespace to one space and trims the ends.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

enum Segment<'a> {
    Literal(String),
    Any,
    Capture(&'a str),
}

fn segments(pattern: &str) -> Vec<Segment<'_>> {
    let Ok(pieces) = split(pattern) else {
        return vec![Segment::Literal(pattern.to_owned())];
    };
    let mut out: Vec<Segment> = Vec::new();
    for (_, piece) in pieces {
        let literal = match piece {
            Piece::Placeholder("any") => {
                out.push(Segment::Any);
                continue;
            }
            Piece::Placeholder(name) if name.starts_with('=') => {
                out.push(Segment::Capture(&name[1..]));
                continue;
            }
            Piece::Placeholder(name) => format!("{{{name}}}"),
            Piece::Text(t) => t.to_owned(),
            Piece::Brace(c) => c.to_string(),
        };
        match out.last_mut() {
            Some(Segment::Literal(prev)) => prev.push_str(&literal),
            _ => out.push(Segment::Literal(literal)),
        }
    }
    out
}

/// Matches one attribute value or text against a pattern.
pub fn match_value(pattern: &str, value: &str, bound: &Bindings) -> Option<Bindings> {
    if let Some(alternatives) = one_of_alternatives(pattern) {
        return alternatives
            .iter()
            .any(|a| a == value)
            .then(|| bound.clone());
    }
    match_segments(&segments(pattern), value, bound.clone())
}

fn match_segments(segs: &[Segment], value: &str, mut bindings: Bindings) -> Option<Bindings> {
    let Some((first, rest)) = segs.split_first() else {
        return value.is_empty().then_some(bindings);
    };
    match first {
        Segment::Literal(lit) => {
            let tail = value.strip_prefix(lit.as_str())?;
            match_segments(rest, tail, bindings)
        }
        Segment::Capture(name) if bindings.contains_key(*name) => {
            let known = bindings[*name].clone();
            let tail = value.strip_prefix(known.as_str())?;
            match_segments(rest, tail, bindings)
        }
        Segment::Any | Segment::Capture(_) => {
            // Try the shortest span first; a wildcard at the end takes all.
            let ends: Vec<usize> = value
                .char_indices()
                .map(|(i, _)| i)
                .chain([value.len()])
                .collect();
            for end in ends {
                let mut attempt = bindings.clone();
                if let Segment::Capture(name) = first {
                    attempt.insert((*name).to_owned(), value[..end].to_owned());
                }
                if let Some(done) = match_segments(rest, &value[end..], attempt) {
                    bindings = done;
                    return Some(bindings);
                }
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::parse::parse_stanza;

    fn m(t: &str, s: &str, strict: bool) -> Option<Bindings> {
        matches(&parse_stanza(t).unwrap(), &parse_stanza(s).unwrap(), strict)
    }

    #[test]
    fn one_of_matches_whichever_alternative_is_there() {
        let t = "<iq type='error'><error><one-of xmlns='urn:xepspec:template'>\
                 <not-acceptable xmlns='s'/><bad-format xmlns='s'/></one-of></error></iq>";
        let with = |condition: &str| {
            format!("<iq type='error'><error><{condition} xmlns='s'/></error></iq>")
        };
        assert!(m(t, &with("not-acceptable"), false).is_some());
        assert!(m(t, &with("bad-format"), false).is_some());
        assert!(m(t, &with("bad-request"), false).is_none());
        assert!(m(t, "<iq type='error'><error/></iq>", false).is_none());
        assert!(
            m(t, &with("bad-format"), true).is_some(),
            "one child in strict mode too"
        );
    }

    #[test]
    fn extra_attributes_and_children_are_allowed_unless_strict() {
        let t = "<iq type='result'/>";
        let s = "<iq type='result' id='x' from='a@b'><pubsub xmlns='p'/></iq>";
        assert!(m(t, s, false).is_some());
        assert!(m(t, s, true).is_none());
    }

    #[test]
    fn names_namespaces_and_values_must_agree() {
        assert!(m("<iq type='result'/>", "<iq type='error'/>", false).is_none());
        assert!(m("<iq type='result'/>", "<message type='result'/>", false).is_none());
        assert!(m("<x xmlns='a'/>", "<x xmlns='b'/>", false).is_none());
        assert!(m("<iq type='result'/>", "<iq/>", false).is_none());
    }

    #[test]
    fn children_match_in_any_order_without_reuse() {
        let t = "<error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
                 <precondition-not-met xmlns='http://jabber.org/protocol/pubsub#errors'/></error>";
        let s = "<error type='cancel'><precondition-not-met xmlns='http://jabber.org/protocol/pubsub#errors'/>\
                 <conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>";
        assert!(m(t, s, false).is_some());
        assert!(m("<a><b/><b/></a>", "<a><b/></a>", false).is_none());
    }

    #[test]
    fn backtracks_when_a_greedy_choice_would_fail() {
        let t = "<a><item/><item id='2'/></a>";
        let s = "<a><item id='2'/><item id='1'/></a>";
        assert!(m(t, s, false).is_some());
    }

    #[test]
    fn text_compares_after_collapsing_whitespace() {
        assert!(m("<a>hello   world</a>", "<a>\n  hello world \n</a>", false).is_some());
        assert!(m("<a>hello</a>", "<a>bye</a>", false).is_none());
        assert!(m("<a/>", "<a>text</a>", false).is_some());
        assert!(m("<a/>", "<a>text</a>", true).is_none());
    }

    /// Found by `fuzz::properties::stanza_functions`: mixed content and its
    /// canonical text (each text node collapsed) once differed.
    #[test]
    fn mixed_content_matches_its_canonical_text() {
        assert!(m("<a>x<b/>y</a>", "<a>x <b/>y</a>", true).is_some());
        assert!(m("<a>x<b/>y</a>", "<a>xy<b/></a>", true).is_none());
    }

    #[test]
    fn wildcards_and_captures() {
        let b = m(
            "<item id='{=item}' node='urn:{any}'/>",
            "<item id='5f3' node='urn:xmpp:bookmarks:1'/>",
            false,
        )
        .unwrap();
        assert_eq!(b["item"], "5f3");
        let mut bound = Bindings::new();
        bound.insert("item".into(), "5f3".into());
        let t = parse_stanza("<item id='{=item}'/>").unwrap();
        assert!(
            matches_with(
                &t,
                &parse_stanza("<item id='5f3'/>").unwrap(),
                false,
                &bound
            )
            .is_some()
        );
        assert!(
            matches_with(
                &t,
                &parse_stanza("<item id='other'/>").unwrap(),
                false,
                &bound
            )
            .is_none()
        );
    }

    const T: &str = "xmlns:t='urn:xepspec:template'";

    #[test]
    fn a_strict_subtree_inside_a_lenient_envelope() {
        let t = format!(
            "<iq type='result'><pubsub xmlns='p'><publish node='n'>\
             <item id='{{any}}' {T} t:strict='true'/></publish></pubsub></iq>"
        );
        let envelope_extras = "<iq type='result' id='x' from='a'><pubsub xmlns='p'>\
                               <publish node='n'><item id='5'/></publish><extra/></pubsub></iq>";
        assert!(m(&t, envelope_extras, false).is_some());
        let item_child = "<iq type='result'><pubsub xmlns='p'><publish node='n'>\
                          <item id='5'><entry/></item></publish></pubsub></iq>";
        assert!(m(&t, item_child, false).is_none());
        let item_attr = "<iq type='result'><pubsub xmlns='p'><publish node='n'>\
                         <item id='5' publisher='a'/></publish></pubsub></iq>";
        assert!(m(&t, item_attr, false).is_none());
        let item_text = "<iq type='result'><pubsub xmlns='p'><publish node='n'>\
                         <item id='5'>x</item></publish></pubsub></iq>";
        assert!(m(&t, item_text, false).is_none());
    }

    #[test]
    fn strict_false_relaxes_a_subtree_of_a_strict_step() {
        let t = format!("<a {T}><b t:strict='false'/></a>");
        assert!(m(&t, "<a><b x='1'><c/></b></a>", true).is_some());
        assert!(
            m(&t, "<a y='2'><b/></a>", true).is_none(),
            "the rest stays strict"
        );
    }

    #[test]
    fn absent_attributes_must_not_be_there() {
        let t = format!("<item {T} t:absent='node' name='{{any}}'/>");
        assert!(m(&t, "<item jid='a' name='x'/>", false).is_some());
        assert!(m(&t, "<item jid='a' name='x' node='n'/>", false).is_none());
    }

    #[test]
    fn one_of_values() {
        let t = "<field var='pubsub#persist_items'><value>{one-of:1|true}</value></field>";
        let with =
            |v: &str| format!("<field var='pubsub#persist_items'><value>{v}</value></field>");
        assert!(m(t, &with("1"), false).is_some());
        assert!(m(t, &with(" true\n"), false).is_some());
        assert!(m(t, &with("yes"), false).is_none());
        assert!(m(t, &with("1 true"), false).is_none());
        assert!(m("<a b='{one-of:x|y}'/>", "<a b='y'/>", false).is_some());
        assert!(m("<a b='{one-of:x|y}'/>", "<a b='xy'/>", false).is_none());
    }

    #[test]
    fn value_patterns() {
        let none = Bindings::new();
        assert!(match_value("a{any}c", "abbbc", &none).is_some());
        assert!(match_value("a{any}c", "abbb", &none).is_none());
        assert_eq!(
            match_value("{=x}@{=y}", "me@host", &none).unwrap()["y"],
            "host"
        );
        assert!(match_value("{{literal}}", "{literal}", &none).is_some());
    }
}
