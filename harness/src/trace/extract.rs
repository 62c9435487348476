//! Reading a XEP's source: its sections, paragraphs and list items, and from
//! them the normative statements.
//!
//! XEP sources declare their entities (`&xep0060;`) in an external DTD that
//! the parser cannot read, so the DOCTYPE is cut out first and every entity
//! reference is replaced by text: the internal subset's value where it gives
//! one, `XEP-0060` for `&xep0060;`, `RFC 6120` for `&rfc6120;`, else the name.

use std::collections::BTreeMap;

use minidom::{Element, Node};

use super::sentences::{Statement, statements};

/// Elements inside prose whose text is a footnote, not prose.
const FOOTNOTES: &[&str] = &["note"];

/// Blocks beside prose that hold examples or markup, not statements.
const SKIPPED: &[&str] = &["example", "code", "note"];

/// The statements of a complete XEP XML source, in document order.
pub fn from_xml(source: &str) -> Result<Vec<Statement>, String> {
    let root: Element = prepare(source).parse().map_err(|e| format!("{e}"))?;
    let mut out = Vec::new();
    walk_sections(&root, "", 1, &mut out);
    Ok(out)
}

/// Makes a XEP source parseable: no DOCTYPE, no processing instructions, no
/// entity references but the XML ones, and a namespace on the root.
pub fn prepare(source: &str) -> String {
    let (without_doctype, entities) = cut_doctype(source);
    let mut text = without_processing_instructions(&without_doctype)
        .trim_start()
        .to_owned();
    text = replace_entities(&text, &entities, true);
    if let Some(at) = text.find("<xep>") {
        text.replace_range(at..at + 5, "<xep xmlns='urn:xepspec:xep'>");
    }
    text
}

fn cut_doctype(source: &str) -> (String, BTreeMap<String, String>) {
    let mut entities = BTreeMap::new();
    let Some(start) = source.find("<!DOCTYPE") else {
        return (source.to_owned(), entities);
    };
    let rest = &source[start..];
    let end = match (rest.find('['), rest.find('>')) {
        (Some(open), Some(gt)) if open < gt => rest.find("]>").map(|e| e + 2),
        (_, Some(gt)) => Some(gt + 1),
        _ => None,
    }
    .unwrap_or(rest.len());
    for decl in rest[..end].split("<!ENTITY").skip(1) {
        let mut parts = decl.trim_start().splitn(2, char::is_whitespace);
        let (Some(name), Some(value)) = (parts.next(), parts.next()) else {
            continue;
        };
        let value = value.trim_start();
        if let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(close) = value[1..].find(quote)
        {
            entities.insert(name.to_owned(), value[1..1 + close].to_owned());
        }
    }
    let mut out = source[..start].to_owned();
    out.push_str(&rest[end..]);
    (out, entities)
}

fn without_processing_instructions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<?") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("?>")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// Replaces entity references other than the five XML ones and character
/// references by text; `escape` XML-escapes the replacement.
pub fn replace_entities(text: &str, entities: &BTreeMap<String, String>, escape: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '#')))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if name.is_empty() || !after[name_len..].starts_with(';') {
            out.push('&');
            rest = after;
            continue;
        }
        let kept = matches!(name, "lt" | "gt" | "amp" | "quot" | "apos") || name.starts_with('#');
        if kept {
            out.push_str(&rest[amp..amp + name_len + 2]);
        } else {
            let value = entities
                .get(name)
                .cloned()
                .unwrap_or_else(|| entity_text(name));
            out.push_str(&if escape { xml_escape(&value) } else { value });
        }
        rest = &after[name_len + 1..];
    }
    out.push_str(rest);
    out
}

/// The text standing for an external entity: `xep0060` → `XEP-0060`.
pub fn entity_text(name: &str) -> String {
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    if let Some(n) = numbered("xep") {
        format!("XEP-{n}")
    } else if let Some(n) = numbered("rfc") {
        format!("RFC {n}")
    } else {
        name.to_owned()
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn walk_sections(parent: &Element, prefix: &str, depth: usize, out: &mut Vec<Statement>) {
    let tag = format!("section{depth}");
    let mut number = 0;
    for child in parent.children().filter(|c| c.name() == tag) {
        number += 1;
        let section = if prefix.is_empty() {
            number.to_string()
        } else {
            format!("{prefix}.{number}")
        };
        collect_prose(child, &section, out);
        walk_sections(child, &section, depth + 1, out);
    }
}

/// Statements of the `<p>` and `<li>` inside `element`, not descending into
/// subsections. A paragraph ending in `:` takes the list that follows it.
fn collect_prose(element: &Element, section: &str, out: &mut Vec<Statement>) {
    let children: Vec<&Element> = element.children().collect();
    for (i, child) in children.iter().enumerate() {
        match child.name() {
            name if name.starts_with("section") || SKIPPED.contains(&name) => {}
            "p" | "li" => {
                let mut found = statements(section, &prose(child));
                if let (Some(last), Some(list)) = (found.last_mut(), children.get(i + 1))
                    && last.text.ends_with(':')
                    && matches!(list.name(), "ul" | "ol")
                {
                    for item in list.children().filter(|c| c.name() == "li") {
                        last.text.push(' ');
                        last.text.push_str(&prose(item));
                    }
                }
                out.append(&mut found);
            }
            _ => collect_prose(child, section, out),
        }
    }
}

/// The text of an element and its descendants, without footnotes, collapsed.
pub fn prose(element: &Element) -> String {
    fn gather(element: &Element, out: &mut String) {
        for node in element.nodes() {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Element(child) if !FOOTNOTES.contains(&child.name()) => gather(child, out),
                Node::Element(_) => {}
            }
        }
    }
    let mut out = String::new();
    gather(element, &mut out);
    super::sentences::collapse(&out)
}

/// The statements of a source fragment that need not be well-formed: text is
/// cut into blocks at paragraph, list and section tags; other markup tags
/// are dropped and unknown ones (`<subscriptions/>`) kept as text. Section
/// numbers are unknown (`?`).
pub fn from_fragment(source: &str) -> Vec<Statement> {
    const BLOCKS: &[&str] = &[
        "p", "li", "ul", "ol", "remark", "section", "table", "tr", "td",
    ];
    const INLINE: &[&str] = &["em", "strong", "cite", "tt", "link", "span", "note", "code"];
    let text = replace_entities(source, &BTreeMap::new(), false);
    let mut blocks = vec![String::new()];
    let mut rest = text.as_str();
    while let Some(lt) = rest.find('<') {
        push_text(&mut blocks, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            push_text(&mut blocks, &rest[lt..]);
            rest = "";
            break;
        };
        let tag = &rest[lt..lt + gt + 1];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if BLOCKS.contains(&name.as_str()) {
            blocks.push(String::new());
        } else if !INLINE.contains(&name.as_str()) {
            push_text(&mut blocks, tag);
        }
        rest = &rest[lt + gt + 1..];
    }
    push_text(&mut blocks, rest);
    blocks
        .iter()
        .flat_map(|block| statements("?", &unescape(block)))
        .collect()
}

fn push_text(blocks: &mut [String], text: &str) {
    if let Some(last) = blocks.last_mut() {
        last.push_str(text);
    }
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
