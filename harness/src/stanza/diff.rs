//! Explaining a failed expectation: which received stanza came closest to
//! the template, and how it differs.

use minidom::Element;
use minidom::rxml::Namespace;

use super::matching::{Bindings, collapse, is_one_of, match_value, matches_with};
use super::template::{absent_names, one_of_alternatives, stanza_attrs, strictness};

/// How far `stanza` is from matching `template`: the differences, in reading
/// order, each with the element path it concerns. Empty when it matches.
pub fn differences(
    template: &Element,
    stanza: &Element,
    strict: bool,
    bound: &Bindings,
) -> Vec<String> {
    let mut out = Vec::new();
    if matches_with(template, stanza, strict, bound).is_none() {
        walk(template, stanza, strict, bound, template.name(), &mut out);
        if out.is_empty() {
            out.push("a capture conflicts with a value bound earlier".into());
        }
    }
    out
}

fn walk(
    t: &Element,
    s: &Element,
    inherited: bool,
    bound: &Bindings,
    path: &str,
    out: &mut Vec<String>,
) {
    let strict = strictness(t, inherited);
    if t.name() != s.name() || t.ns() != s.ns() {
        out.push(format!(
            "{path}: expected <{} xmlns='{}'>, got <{} xmlns='{}'>",
            t.name(),
            t.ns(),
            s.name(),
            s.ns()
        ));
        return;
    }
    for (ns, name, pattern) in stanza_attrs(t) {
        match s.attrs().get(ns, name) {
            None => out.push(format!(
                "{path}: attribute {name} missing (expected {})",
                describe(pattern)
            )),
            Some(value) if match_value(pattern, value, bound).is_none() => out.push(format!(
                "{path}: attribute {name} is '{value}', expected {}",
                describe(pattern)
            )),
            Some(_) => {}
        }
    }
    for name in absent_names(t) {
        if let Some(value) = s.attrs().get(&Namespace::NONE, name) {
            out.push(format!("{path}: attribute {name}='{value}' must be absent"));
        }
    }
    if strict {
        for ((ns, name), value) in s.attrs() {
            if t.attrs().get(ns, name).is_none() {
                out.push(format!("{path}: unexpected attribute {name}='{value}'"));
            }
        }
    }
    let (t_text, s_text) = (collapse(&t.text()), collapse(&s.text()));
    if (!t_text.is_empty() || strict) && match_value(&t_text, &s_text, bound).is_none() {
        out.push(format!(
            "{path}: text is '{s_text}', expected {}",
            describe(&t_text)
        ));
    }
    let mut used = vec![false; s.children().count()];
    for tc in t.children() {
        let child_path = format!("{path}/{}", tc.name());
        let exact = s
            .children()
            .enumerate()
            .find(|(i, sc)| !used[*i] && matches_with(tc, sc, strict, bound).is_some());
        if let Some((i, _)) = exact {
            used[i] = true;
            continue;
        }
        let same_kind = s
            .children()
            .enumerate()
            .filter(|(i, sc)| !used[*i] && sc.name() == tc.name() && sc.ns() == tc.ns())
            .max_by_key(|(_, sc)| similarity(tc, sc, bound));
        match same_kind {
            Some((i, sc)) => {
                used[i] = true;
                walk(tc, sc, strict, bound, &child_path, out);
            }
            None if is_one_of(tc) => {
                let names: Vec<String> = tc
                    .children()
                    .map(|a| format!("<{} xmlns='{}'>", a.name(), a.ns()))
                    .collect();
                out.push(format!(
                    "{path}: missing child, one of {}",
                    names.join(", ")
                ));
            }
            None => out.push(format!(
                "{path}: missing child <{} xmlns='{}'>",
                tc.name(),
                tc.ns()
            )),
        }
    }
    if strict {
        for (i, sc) in s.children().enumerate() {
            if !used[i] && t.children().count() < s.children().count() {
                out.push(format!(
                    "{path}: unexpected child <{} xmlns='{}'>",
                    sc.name(),
                    sc.ns()
                ));
            }
        }
    }
}

/// A pattern as a difference names it: `'value'`, or the alternatives of a
/// `{one-of:…}`.
fn describe(pattern: &str) -> String {
    match one_of_alternatives(pattern) {
        Some(alternatives) => {
            let quoted: Vec<String> = alternatives.iter().map(|a| format!("'{a}'")).collect();
            format!("one of {}", quoted.join(", "))
        }
        None => format!("'{pattern}'"),
    }
}

/// A rough count of the template's constraints that `stanza` satisfies, to
/// rank candidates.
pub fn similarity(t: &Element, s: &Element, bound: &Bindings) -> usize {
    if t.name() != s.name() || t.ns() != s.ns() {
        return 0;
    }
    let attrs = stanza_attrs(t)
        .filter(|(ns, name, pattern)| {
            s.attrs()
                .get(*ns, *name)
                .is_some_and(|v| match_value(pattern, v, bound).is_some())
        })
        .count();
    let children: usize = t
        .children()
        .map(|tc| {
            s.children()
                .map(|sc| similarity(tc, sc, bound))
                .max()
                .unwrap_or(0)
        })
        .sum();
    1 + attrs + children
}

/// The candidate most like `template`, with its differences.
pub fn closest<'a>(
    template: &Element,
    candidates: impl IntoIterator<Item = &'a Element>,
    strict: bool,
    bound: &Bindings,
) -> Option<(&'a Element, Vec<String>)> {
    candidates
        .into_iter()
        .map(|c| (similarity(template, c, bound), c))
        .filter(|(score, _)| *score > 0)
        .max_by_key(|(score, _)| *score)
        .map(|(_, c)| (c, differences(template, c, strict, bound)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::parse::parse_stanza;

    fn diff(t: &str, s: &str) -> Vec<String> {
        differences(
            &parse_stanza(t).unwrap(),
            &parse_stanza(s).unwrap(),
            false,
            &Bindings::new(),
        )
    }

    #[test]
    fn names_the_attribute_that_differs() {
        let d = diff("<iq type='result' id='a'/>", "<iq type='error' id='a'/>");
        assert_eq!(d, vec!["iq: attribute type is 'error', expected 'result'"]);
    }

    #[test]
    fn names_missing_children_with_their_path() {
        let d = diff(
            "<iq><pubsub xmlns='p'><publish node='n'><item/></publish></pubsub></iq>",
            "<iq><pubsub xmlns='p'><publish node='n'/></pubsub></iq>",
        );
        assert_eq!(d, vec!["iq/pubsub/publish: missing child <item xmlns='p'>"]);
    }

    #[test]
    fn a_missing_alternative_names_every_choice() {
        let d = diff(
            "<iq><error><one-of xmlns='urn:xepspec:template'><a xmlns='s'/><b xmlns='s'/></one-of></error></iq>",
            "<iq><error><c xmlns='s'/></error></iq>",
        );
        assert_eq!(
            d,
            vec!["iq/error: missing child, one of <a xmlns='s'>, <b xmlns='s'>"]
        );
    }

    #[test]
    fn names_an_attribute_that_must_be_absent() {
        let d = diff(
            "<query xmlns='d'><item xmlns:t='urn:xepspec:template' t:absent='node' name='a'/></query>",
            "<query xmlns='d'><item name='a' node='n'/></query>",
        );
        assert_eq!(d, vec!["query/item: attribute node='n' must be absent"]);
    }

    #[test]
    fn names_the_alternatives_of_a_value() {
        let d = diff(
            "<field var='f'><value>{one-of:1|true}</value></field>",
            "<field var='f'><value>yes</value></field>",
        );
        assert_eq!(
            d,
            vec!["field/value: text is 'yes', expected one of '1', 'true'"]
        );
        let d = diff("<a b='{one-of:x|y}'/>", "<a b='z'/>");
        assert_eq!(d, vec!["a: attribute b is 'z', expected one of 'x', 'y'"]);
    }

    #[test]
    fn names_what_a_strict_subtree_does_not_allow() {
        let d = diff(
            "<iq><publish xmlns='p'><item xmlns:t='urn:xepspec:template' t:strict='true' id='{any}'/></publish></iq>",
            "<iq id='x'><publish xmlns='p' node='n'><item id='5' publisher='a'><entry/></item></publish></iq>",
        );
        assert_eq!(
            d,
            vec![
                "iq/publish/item: unexpected attribute publisher='a'",
                "iq/publish/item: unexpected child <entry xmlns='p'>",
            ]
        );
    }

    #[test]
    fn no_differences_when_it_matches() {
        assert!(diff("<iq type='result'/>", "<iq type='result' id='x'/>").is_empty());
    }

    #[test]
    fn closest_prefers_the_most_similar() {
        let t = parse_stanza("<iq type='result' id='pub1'/>").unwrap();
        let a = parse_stanza("<message id='pub1'/>").unwrap();
        let b = parse_stanza("<iq type='error' id='pub1'/>").unwrap();
        let (best, d) = closest(&t, [&a, &b], false, &Bindings::new()).unwrap();
        assert_eq!(best.attr("type"), Some("error"));
        assert_eq!(d.len(), 1);
    }
}
