//! The shape of a script's stanza text: where each start tag is, whether
//! it declares its own namespace, and its `scansion:strict` attribute. The
//! text is left as written; [`super::stanza_text`] edits it by these
//! offsets, so a converted stanza keeps the script's layout.

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::Event;
use regex::Regex;

/// One start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    /// Offset of its `<`.
    pub start: usize,
    /// Offset just before its `>` or `/>`: where an attribute may be added.
    pub close: usize,
    /// How many elements enclose it (0 for the stanza itself).
    pub depth: usize,
    /// It has an `xmlns` attribute.
    pub own_namespace: bool,
    /// Its `scansion:strict` attribute: the span of the whole attribute
    /// (with the space before it) and its value.
    pub strict: Option<(Range<usize>, String)>,
}

/// One stanza: its span in the text and its start tags in document order.
pub type StanzaShape = (Range<usize>, Vec<StartTag>);

/// Where the text is not well-formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// Offset into the text.
    pub offset: usize,
    /// Why.
    pub message: String,
}

/// The top-level elements of `text` (each a stanza), with their start tags
/// in document order.
pub fn stanzas(text: &str) -> Result<Vec<StanzaShape>, ShapeError> {
    let strict_attribute =
        Regex::new(r#"\s+scansion:strict\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid regex");
    let namespace_attribute = Regex::new(r"\sxmlns\s*=").expect("valid regex");
    let mut reader = Reader::from_str(text);
    let mut out: Vec<StanzaShape> = Vec::new();
    let mut depth = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| ShapeError {
            offset: reader.error_position() as usize,
            message: e.to_string(),
        })?;
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if let Some(Err(bad)) = e.attributes().find(Result::is_err) {
                    return Err(ShapeError {
                        offset: before,
                        message: bad.to_string(),
                    });
                }
                let empty = matches!(event, Event::Empty(_));
                let start = before + text[before..end].find('<').unwrap_or(0);
                let close = if empty { end - 2 } else { end - 1 };
                let tag = &text[start..close];
                let strict = strict_attribute.captures(tag).map(|c| {
                    let whole = c.get(0).expect("group 0");
                    let value = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
                    (start + whole.start()..start + whole.end(), value.to_owned())
                });
                let start_tag = StartTag {
                    start,
                    close,
                    depth,
                    own_namespace: namespace_attribute.is_match(tag),
                    strict,
                };
                if depth == 0 {
                    out.push((start..end, Vec::new()));
                }
                if let Some((span, tags)) = out.last_mut() {
                    tags.push(start_tag);
                    span.end = end;
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some((span, _)) = out.last_mut() {
                    span.end = end;
                }
            }
            Event::Text(_) if depth == 0 && !text[before..end].trim().is_empty() => {
                return Err(ShapeError {
                    offset: before,
                    message: "text outside a stanza".into(),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 {
        return Err(ShapeError {
            offset: text.len(),
            message: "an element is never closed".into(),
        });
    }
    if out.is_empty() {
        return Err(ShapeError {
            offset: 0,
            message: "no stanza".into(),
        });
    }
    Ok(out)
}
