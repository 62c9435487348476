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

use crate::ns;

const STREAM_DEFAULT: &str = ns::JABBER_CLIENT;

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
                ns::XML => format!("xml:{name}"),
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
        for part in content(el) {
            match part {
                Content::Element(child) => {
                    newline(out, inner);
                    write_element(out, child, &ns, inner);
                }
                Content::Text(text) => {
                    newline(out, inner);
                    out.push_str(&escape_text(&text));
                }
            }
        }
        newline(out, indent);
    }
    let _ = write!(out, "</{}>", el.name());
}

/// One piece of an element's content: a child, or a run of adjacent text
/// nodes (a parser may split one text at entity references) collapsed.
pub enum Content<'a> {
    /// A child element.
    Element(&'a Element),
    /// Collapsed, non-empty text.
    Text(String),
}

/// `el`'s content in order, adjacent text nodes joined before collapsing,
/// whitespace-only runs dropped.
pub fn content(el: &Element) -> Vec<Content<'_>> {
    let mut parts = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, parts: &mut Vec<Content<'_>>| {
        let text = collapse(run);
        if !text.is_empty() {
            parts.push(Content::Text(text));
        }
        run.clear();
    };
    for node in el.nodes() {
        match node {
            Node::Text(t) => run.push_str(t),
            Node::Element(child) => {
                flush(&mut run, &mut parts);
                parts.push(Content::Element(child));
            }
        }
    }
    flush(&mut run, &mut parts);
    parts
}

/// `el`'s direct text as canonical XML has it: each run of text between
/// children collapsed, the runs joined by one space.
pub fn direct_text_collapsed(el: &Element) -> String {
    content(el)
        .into_iter()
        .filter_map(|part| match part {
            Content::Text(text) => Some(text),
            Content::Element(_) => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
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
    fn text_split_at_entities_stays_one_text() {
        let el = parse_stanza("<a>x &apos;y&apos; &amp; z<b/>w</a>").expect("parses");
        assert_eq!(direct_text_collapsed(&el), "x 'y' & z w");
        assert_eq!(
            canonical(&el),
            "<a>x &apos;y&apos; &amp; z<b/>w</a>".replace("&apos;", "'")
        );
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
