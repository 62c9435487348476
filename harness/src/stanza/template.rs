//! Template-only markup, in the namespace `urn:xepspec:template`: what a
//! template may say beyond the stanza it describes, and the checks that
//! keep it well formed. A template declares a prefix for it where it is
//! used (`xmlns:t='urn:xepspec:template'`):
//!
//! - `t:strict='true'` on an element: it and its subtree match strictly (no
//!   extra attributes, children or text); `t:strict='false'` relaxes a
//!   subtree of a strict step.
//! - `t:absent='a b'` on an element: the matching element must not carry
//!   these (unprefixed) attributes.
//! - `<one-of>` around alternatives: whichever of its children matches.
//! - `{one-of:1|true}` as a whole attribute value or a whole text: the
//!   received value must be one of the `|`-separated literals.
//!
//! None of it is ever sent.

use minidom::Element;

/// The namespace of template-only elements and attributes.
pub const TEMPLATE_NS: &str = "urn:xepspec:template";

/// `t:strict`: this element and its subtree match strictly, or not.
pub const STRICT: &str = "strict";

/// `t:absent`: attributes the matching element must not carry.
pub const ABSENT: &str = "absent";

/// The prefix of a placeholder listing a value's alternatives.
pub const ONE_OF_PREFIX: &str = "one-of:";

/// Whether `el` is a `<one-of/>` of alternatives.
pub fn is_one_of(el: &Element) -> bool {
    el.name() == "one-of" && el.ns() == TEMPLATE_NS
}

/// Whether an attribute in namespace `ns` is template markup.
pub fn is_template_attr(ns: &str) -> bool {
    ns == TEMPLATE_NS
}

/// How strictly `el` matches: its own `t:strict` when it has one, else
/// what its parent (or the step) said.
pub fn strictness(el: &Element, inherited: bool) -> bool {
    match el.attrs().get(TEMPLATE_NS, STRICT).map(String::as_str) {
        Some("true") => true,
        Some("false") => false,
        _ => inherited,
    }
}

/// The attribute names `el`'s `t:absent` forbids (none without one).
pub fn absent_names(el: &Element) -> Vec<&str> {
    el.attrs()
        .get(TEMPLATE_NS, ABSENT)
        .map(|names| names.split_whitespace().collect())
        .unwrap_or_default()
}

/// The attributes of `el` that describe the stanza (template markup left
/// out), as (namespace, name, value).
pub fn stanza_attrs(el: &Element) -> impl Iterator<Item = (&str, &str, &str)> {
    el.attrs()
        .into_iter()
        .filter(|((ns, _), _)| !is_template_attr(ns.as_str()))
        .map(|((ns, name), value)| (ns.as_str(), name.as_str(), value.as_str()))
}

/// How many attributes of `el` describe the stanza.
pub fn stanza_attr_count(el: &Element) -> usize {
    stanza_attrs(el).count()
}

/// The alternatives of a `{one-of:a|b}` value, each with its whitespace
/// collapsed, when `pattern` is exactly one such placeholder.
pub fn one_of_alternatives(pattern: &str) -> Option<Vec<String>> {
    let inner = pattern
        .strip_prefix('{')?
        .strip_suffix('}')?
        .strip_prefix(ONE_OF_PREFIX)?;
    if inner.contains(['{', '}']) {
        return None;
    }
    Some(
        inner
            .split('|')
            .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect(),
    )
}

/// What is wrong with the template markup of `el` and its subtree, in
/// document order, each with the text to look for to point at it. For a
/// stanza that is sent (`template` false) any template markup is wrong.
pub fn markup_problems(el: &Element, template: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    visit(el, template, &mut out);
    out
}

/// One misuse of template markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// The text to search for in the XML to point at it (an attribute's or
    /// element's local name as written after its prefix).
    pub near: String,
}

fn visit(el: &Element, template: bool, out: &mut Vec<Problem>) {
    let in_template_ns = el.ns() == TEMPLATE_NS;
    if in_template_ns && !template {
        out.push(Problem {
            message: format!(
                "<{}> is template markup ({TEMPLATE_NS}): it belongs in expectations, \
                 never in a stanza that is sent",
                el.name()
            ),
            near: el.name().to_owned(),
        });
    } else if in_template_ns && !is_one_of(el) {
        out.push(Problem {
            message: format!(
                "unknown template element <{}> ({TEMPLATE_NS} has <one-of>)",
                el.name()
            ),
            near: el.name().to_owned(),
        });
    } else if is_one_of(el) && el.children().next().is_none() {
        out.push(Problem {
            message: "<one-of> needs at least one alternative child".into(),
            near: "one-of".into(),
        });
    }
    for ((ns, name), value) in el.attrs() {
        if !is_template_attr(ns.as_str()) {
            continue;
        }
        let name = name.as_str();
        let near = name.to_owned();
        let message = if !template {
            Some(format!(
                "t:{name} is template markup ({TEMPLATE_NS}): it belongs in expectations, \
                 never in a stanza that is sent"
            ))
        } else {
            attr_problem(el, name, value)
        };
        if let Some(message) = message {
            out.push(Problem { message, near });
        }
    }
    for child in el.children() {
        visit(child, template, out);
    }
}

fn attr_problem(el: &Element, name: &str, value: &str) -> Option<String> {
    match name {
        STRICT if value != "true" && value != "false" => {
            Some(format!("t:strict is 'true' or 'false', not '{value}'"))
        }
        STRICT => None,
        ABSENT => {
            let names: Vec<&str> = value.split_whitespace().collect();
            if names.is_empty() {
                return Some(
                    "t:absent needs the names of the attributes that must be absent".into(),
                );
            }
            if let Some(bad) = names.iter().find(|n| n.contains(':')) {
                return Some(format!(
                    "t:absent names unprefixed attributes; '{bad}' has a prefix"
                ));
            }
            let listed: Vec<&str> = stanza_attrs(el)
                .filter(|(ns, _, _)| ns.is_empty())
                .map(|(_, n, _)| n)
                .collect();
            names
                .iter()
                .find(|n| listed.contains(n))
                .map(|both| format!("t:absent names '{both}', which the template also requires"))
        }
        other => Some(format!(
            "unknown template attribute t:{other} (known: t:strict, t:absent)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::parse::parse_stanza;

    const T: &str = "xmlns:t='urn:xepspec:template'";

    fn el(text: &str) -> Element {
        parse_stanza(text).expect("test XML parses")
    }

    #[test]
    fn strictness_is_inherited_unless_the_element_says() {
        let e = el(&format!(
            "<a {T} t:strict='true'><b t:strict='false'/><c/></a>"
        ));
        assert!(strictness(&e, false));
        let b = e.children().next().unwrap();
        assert!(!strictness(b, true));
        let c = e.children().nth(1).unwrap();
        assert!(strictness(c, true) && !strictness(c, false));
    }

    #[test]
    fn template_attributes_are_not_stanza_attributes() {
        let e = el(&format!("<a {T} x='1' t:absent='y z'/>"));
        assert_eq!(stanza_attr_count(&e), 1);
        assert_eq!(absent_names(&e), ["y", "z"]);
    }

    #[test]
    fn one_of_values_list_their_alternatives() {
        assert_eq!(
            one_of_alternatives("{one-of:1|true}"),
            Some(vec!["1".to_owned(), "true".to_owned()])
        );
        assert_eq!(one_of_alternatives("x{one-of:1|true}"), None);
        assert_eq!(one_of_alternatives("{any}"), None);
    }

    #[test]
    fn misuse_is_named() {
        let problems = |text: &str, template| {
            markup_problems(&el(text), template)
                .into_iter()
                .map(|p| (p.message, p.near))
                .collect::<Vec<_>>()
        };
        let bad = problems(&format!("<a {T} t:strikt='true'/>"), true);
        assert_eq!(bad.len(), 1);
        assert!(
            bad[0].0.contains("unknown template attribute t:strikt"),
            "{bad:?}"
        );
        assert_eq!(bad[0].1, "strikt");
        assert!(
            problems(&format!("<a {T} t:strict='yes'/>"), true)[0]
                .0
                .contains("'yes'")
        );
        assert!(
            problems(&format!("<a {T} t:absent=' '/>"), true)[0]
                .0
                .contains("needs")
        );
        assert!(
            problems(&format!("<a {T} x='1' t:absent='x'/>"), true)[0]
                .0
                .contains("also requires")
        );
        let sent = problems(&format!("<a {T}><b t:strict='true'/></a>"), false);
        assert!(
            sent[0].0.contains("never in a stanza that is sent"),
            "{sent:?}"
        );
        let one_of = problems(&format!("<a><t:one-of {T}/></a>"), true);
        assert!(
            one_of[0].0.contains("at least one alternative"),
            "{one_of:?}"
        );
        let other = problems(&format!("<a><t:oneof {T}/></a>"), true);
        assert!(
            other[0].0.contains("unknown template element <oneof>"),
            "{other:?}"
        );
        assert!(problems(&format!("<a {T} t:strict='false' t:absent='y'/>"), true).is_empty());
    }
}
