//! Canonical XML: one text per element whatever prefixes, attribute order,
//! quoting or indentation its producer chose, so that two stanzas compare
//! equal as text exactly when they carry the same information.
//!
//! The rules: attributes sorted by name; a namespace declared only on the
//! element where it differs from its parent's (the root declares its own
//! unless it is `jabber:client`, the stream's default); no prefixes;
//! whitespace-only text between elements dropped, other text trimmed and its
//! runs of whitespace collapsed to one space; attribute values in single
//! quotes as the XEPs print them.

use std::fmt::Write;

use minidom::{Element, Node};

const STREAM_DEFAULT: &str = "jabber:client";

/// `element` as one line of canonical XML.
pub fn canonical(element: &Element) -> String {
    let mut out = String::new();
    write_element(&mut out, element, STREAM_DEFAULT, None);
    out
}

/// `element` as canonical XML indented two spaces a level, an element whose
/// only content is text kept on one line.
pub fn canonical_pretty(element: &Element) -> String {
    let mut out = String::new();
    write_element(&mut out, element, STREAM_DEFAULT, Some(0));
    out
}

fn write_element(out: &mut String, el: &Element, parent_ns: &str, indent: Option<usize>) {
    let ns = el.ns();
    let _ = write!(out, "<{}", el.name());
    if ns != parent_ns {
        let _ = write!(out, " xmlns='{}'", escape_attr(&ns));
    }
    let mut attrs: Vec<(String, &str)> = el
        .attrs()
        .into_iter()
        .map(|((attr_ns, name), value)| {
            let name = match attr_ns.as_str() {
                "" => name.to_string(),
                "http://www.w3.org/XML/1998/namespace" => format!("xml:{name}"),
                other => format!("{{{other}}}{name}"),
            };
            (name, value.as_str())
        })
        .collect();
    attrs.sort();
    for (name, value) in attrs {
        let _ = write!(out, " {name}='{}'", escape_attr(value));
    }
    let children: Vec<&Element> = el.children().collect();
    let text = collapse(&direct_text(el));
    if children.is_empty() && text.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    if children.is_empty() {
        out.push_str(&escape_text(&text));
    } else {
        let inner = indent.map(|i| i + 1);
        for node in el.nodes() {
            match node {
                Node::Element(child) => {
                    newline(out, inner);
                    write_element(out, child, &ns, inner);
                }
                Node::Text(t) if !t.trim().is_empty() => {
                    newline(out, inner);
                    out.push_str(&escape_text(&collapse(t)));
                }
                Node::Text(_) => {}
            }
        }
        newline(out, indent);
    }
    let _ = write!(out, "</{}>", el.name());
}

fn newline(out: &mut String, indent: Option<usize>) {
    if let Some(level) = indent {
        out.push('\n');
        out.push_str(&"  ".repeat(level));
    }
}

fn direct_text(el: &Element) -> String {
    el.texts().collect()
}

/// Trims `text` and collapses each run of whitespace to one space.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn escape_attr(value: &str) -> String {
    escape_text(value)
        .replace('\'', "&apos;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
        .replace('\r', "&#13;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stanza::parse::parse_stanza;

    fn canon(text: &str) -> String {
        canonical(&parse_stanza(text).expect("test XML parses"))
    }

    #[test]
    fn attribute_order_quoting_and_prefixes_do_not_matter() {
        let a = canon(
            r#"<iq type="set" id="a1"><p:pubsub xmlns:p="http://jabber.org/protocol/pubsub"><p:publish node="n"/></p:pubsub></iq>"#,
        );
        let b = canon(
            "<iq id='a1' type='set'>\n  <pubsub xmlns='http://jabber.org/protocol/pubsub'>\n    <publish node='n'/>\n  </pubsub>\n</iq>",
        );
        assert_eq!(a, b);
        assert_eq!(
            a,
            "<iq id='a1' type='set'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/></pubsub></iq>"
        );
    }

    #[test]
    fn namespaces_are_declared_only_where_they_change() {
        let text = canon(
            "<message xmlns='jabber:server'><body xmlns='jabber:server'>hi</body><x xmlns='urn:a'><y xmlns='urn:a'/></x></message>",
        );
        assert_eq!(
            text,
            "<message xmlns='jabber:server'><body>hi</body><x xmlns='urn:a'><y/></x></message>"
        );
    }

    #[test]
    fn text_is_collapsed_and_escaped() {
        let text = canon("<body>  a &amp;\n\t b &lt; c  </body>");
        assert_eq!(text, "<body>a &amp; b &lt; c</body>");
        let text = canon("<x xmlns='urn:a' v=\"it's\"/>");
        assert_eq!(text, "<x xmlns='urn:a' v='it&apos;s'/>");
    }

    #[test]
    fn xml_lang_keeps_its_prefix() {
        let text = canon("<body xml:lang='en'>hi</body>");
        assert_eq!(text, "<body xml:lang='en'>hi</body>");
    }

    #[test]
    fn pretty_form_indents_and_keeps_text_inline() {
        let text = canonical_pretty(
            &parse_stanza(
                "<iq type='result'><query xmlns='jabber:iq:private'><v>1</v><e/></query></iq>",
            )
            .expect("parses"),
        );
        assert_eq!(
            text,
            "<iq type='result'>\n  <query xmlns='jabber:iq:private'>\n    <v>1</v>\n    <e/>\n  </query>\n</iq>"
        );
    }

    #[test]
    fn canonical_text_parses_back_to_the_same_canonical_text() {
        let once = canon(
            "<message to='a@b' xml:lang='en'><body>x &gt; y</body><c xmlns='urn:c' v='&apos;'/></message>",
        );
        let twice = canon(&once);
        assert_eq!(once, twice);
    }
}
