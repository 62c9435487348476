//! Where things are in a well-formed example: every start tag and
//! attribute with its offset, so that findings point into the example, and
//! the elements in the same document order.

use minidom::Element;
use quick_xml::Reader;
use quick_xml::events::Event;

/// A start tag in an example's text.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Offset of its `<`.
    pub offset: usize,
    /// Its attributes as written (`xmlns` declarations included).
    pub attributes: Vec<Attribute>,
}

/// One attribute of a start tag.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// The name as written (`xmlns:stream`, `var`).
    pub name: String,
    /// The value, with references resolved.
    pub value: String,
    /// Offset of the value's first character.
    pub offset: usize,
    /// Length of the value as written (references unresolved).
    pub raw_len: usize,
    /// Offset of the attribute's name.
    pub start: usize,
}

impl Tag {
    /// The attribute `name`, if present.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// The start tags of well-formed text, in document order, and the span of
/// each top-level element.
pub(super) fn start_tags(text: &str) -> (Vec<Tag>, Vec<std::ops::Range<usize>>) {
    let mut reader = Reader::from_str(text);
    let mut tags = Vec::new();
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut root_start = 0;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event();
        let end = reader.buffer_position() as usize;
        match event {
            Ok(Event::Start(_) | Event::Empty(_)) => {
                tags.push(Tag {
                    offset: before,
                    attributes: attributes(text, before, end),
                });
                if depth == 0 {
                    root_start = before;
                }
                if matches!(event, Ok(Event::Start(_))) {
                    depth += 1;
                } else if depth == 0 {
                    spans.push(before..end);
                }
            }
            Ok(Event::End(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    spans.push(root_start..end);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    (tags, spans)
}

/// The attributes of the start tag at `text[start..end]` with the offsets
/// of their values (the text is known to be well-formed).
fn attributes(text: &str, start: usize, end: usize) -> Vec<Attribute> {
    let tag = &text[start..end];
    let is_space = |c: char| c.is_ascii_whitespace();
    let mut out = Vec::new();
    let mut i = tag.find(is_space).unwrap_or(tag.len());
    while i < tag.len() {
        let rest = &tag[i..];
        let skipped = rest.len() - rest.trim_start().len();
        i += skipped;
        let rest = &tag[i..];
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim_end().to_owned();
        let after = &rest[eq + 1..];
        let value_start = i + eq + 1 + (after.len() - after.trim_start().len());
        let Some(quote) = tag[value_start..].chars().next() else {
            break;
        };
        let Some(close) = tag[value_start + 1..].find(quote) else {
            break;
        };
        let raw = &tag[value_start + 1..value_start + 1 + close];
        let value = quick_xml::escape::unescape(raw)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| raw.to_owned());
        out.push(Attribute {
            name,
            value,
            offset: start + value_start + 1,
            raw_len: raw.len(),
            start: start + i,
        });
        i = value_start + 2 + close;
    }
    out
}

/// The elements of `roots` in document order, each with its parent's index.
pub fn walk(roots: &[Element]) -> Vec<(&Element, Option<usize>)> {
    fn visit<'a>(
        el: &'a Element,
        parent: Option<usize>,
        out: &mut Vec<(&'a Element, Option<usize>)>,
    ) {
        let me = out.len();
        out.push((el, parent));
        for child in el.children() {
            visit(child, Some(me), out);
        }
    }
    let mut out = Vec::new();
    for root in roots {
        visit(root, None, &mut out);
    }
    out
}
