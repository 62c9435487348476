//! An example's text as XML: one element or a sequence of them, parsed with
//! the stanza parser, plus the position of every start tag and attribute so
//! that findings point into the example.
//!
//! Examples are pieces of a stream, so two things a stream would provide are
//! provided here, and documented in the README: the `stream:` prefix is
//! bound (the stream header binds it), and stream framing is balanced: an
//! opening `<stream:stream …>` without its close is closed after the text, a
//! lone `</stream:stream>` and any XML declaration are blanked out (replaced
//! by spaces, so offsets do not move). Comments, which XMPP's restricted XML
//! forbids on the wire but examples use to elide, are blanked out too.

use minidom::Element;
use quick_xml::Reader;
use quick_xml::events::Event;

use crate::ns;
use crate::stanza::parse::{XmlError, parse_stanzas_in};

/// The prefixes a stream header binds, bound around every example:
/// `stream:` (RFC 6120) and `db:` (server dialback, XEP-0220).
pub const STREAM_PREFIXES: &[(&str, &str)] = &[("stream", ns::STREAM), ("db", ns::DIALBACK)];

const STREAM_OPEN: &str = "<stream:stream";
const STREAM_CLOSE: &str = "</stream:stream>";

/// What an example's text turned out to be.
#[derive(Debug)]
pub enum Fragment {
    /// Not XML at all (prose, a DNS record, JSON, a URI): not checked.
    NotXml,
    /// XML that is not well-formed.
    Broken(Broken),
    /// Well-formed elements.
    Parsed(Parsed),
}

/// An example that is not well-formed: every error found, and what is
/// left when the top-level elements holding them are taken out.
#[derive(Debug)]
pub struct Broken {
    /// The errors, in text order (none when the example only leaves
    /// elements open where it ends in an elision).
    pub errors: Vec<XmlError>,
    /// The clean top-level elements, parsed, if there are any.
    pub rest: Option<Parsed>,
    /// The broken top-level elements the scan could mend, parsed after
    /// mending, if there are any. Their tags' offsets are the example's;
    /// `prepared` and `spans` are those of the mended text.
    pub mended: Option<Parsed>,
    /// The example's ranges whose elements may sit in the wrong parent in
    /// `mended`: the insides of elements whose missing end tag a mend had
    /// to place.
    pub guessed: Vec<std::ops::Range<usize>>,
}

/// A well-formed example.
#[derive(Debug)]
pub struct Parsed {
    /// The text as parsed: comments, elisions and stray stream framing
    /// blanked, unclosed streams closed (offsets are those of the example).
    pub prepared: String,
    /// The byte range of each top-level element in `prepared`.
    pub spans: Vec<std::ops::Range<usize>>,
    /// The top-level elements.
    pub roots: Vec<Element>,
    /// Every element's start tag, in document order (the order of a
    /// depth-first walk of `roots`).
    pub tags: Vec<Tag>,
}

mod labels;
mod mend;
mod recover;
mod scan;
mod tags;

use tags::start_tags;
pub use tags::{Attribute, Tag, walk};

/// Parses an example's text.
pub fn parse(text: &str) -> Fragment {
    parse_after(text, &[])
}

/// Parses an example's text where the prefixes `bound` (prefix,
/// namespace) are already bound: the example continues an earlier one
/// that declared them (a stream header, a form shown whole before).
pub fn parse_after(text: &str, bound: &[(String, String)]) -> Fragment {
    let mut prefixes: Vec<(&str, &str)> = STREAM_PREFIXES.to_vec();
    prefixes.extend(bound.iter().map(|(p, n)| (p.as_str(), n.as_str())));
    let prefixes = prefixes.as_slice();
    let mut unlabelled = labels::blank_narration(&labels::blank_uris(&labels::blank_labels(text)));
    let head = unlabelled.trim_start();
    // A DTD may follow an XML declaration (`<?xml …?>` then `<!ELEMENT`).
    let after = after_declaration(head);
    if !head.starts_with('<') || DTD.iter().any(|d| after.starts_with(d)) {
        return Fragment::NotXml;
    }
    blank_elided_attributes(&mut unlabelled);
    let declarations = bad_declarations(&unlabelled);
    let mut balanced = balance_stream(&unlabelled);
    blank_elisions(&mut balanced);
    match parse_stanzas_in(&balanced, prefixes) {
        Err(error) => {
            let first = explain(&balanced[..text.len()], error);
            let trailing = unlabelled.trim_end();
            let elided_end = trailing.ends_with("...") || trailing.ends_with('…');
            let mut broken = recover::recover(&balanced, first, text.len(), elided_end, prefixes);
            broken.errors.splice(0..0, declarations);
            Fragment::Broken(broken)
        }
        Ok(roots) if declarations.is_empty() => Fragment::Parsed(parsed(balanced, roots)),
        Ok(roots) => Fragment::Broken(Broken {
            errors: declarations,
            rest: Some(parsed(balanced, roots)),
            mended: None,
            guessed: Vec::new(),
        }),
    }
}

/// The XML declarations (`<?xml version='1.0'?>`) of `text` whose
/// pseudo-attributes are not `name='value'` pairs (they are blanked
/// before parsing, so the parser never sees them).
fn bad_declarations(text: &str) -> Vec<XmlError> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = text[at..].find("<?xml").map(|s| s + at) {
        let end = text[start..].find("?>").map_or(text.len(), |e| start + e);
        let body = &text[start + 5..end];
        let mut rest = body.trim_start();
        while !rest.is_empty() {
            let offset = end - rest.len();
            let Some((name, after)) = rest.split_once('=') else {
                out.push(XmlError {
                    offset,
                    message: "the XML declaration has a name without a value".into(),
                });
                break;
            };
            let after = after.trim_start();
            let quote = after.chars().next().filter(|q| *q == '\'' || *q == '"');
            let closed = quote.and_then(|q| after[1..].find(q).map(|i| &after[i + 2..]));
            match closed {
                Some(next) if !name.trim().is_empty() => rest = next.trim_start(),
                _ => {
                    out.push(XmlError {
                        offset,
                        message: format!(
                            "the XML declaration's '{}' is not a quoted value",
                            name.trim()
                        ),
                    });
                    break;
                }
            }
        }
        at = end;
    }
    out
}

fn parsed(prepared: String, roots: Vec<Element>) -> Parsed {
    let (tags, spans) = start_tags(&prepared);
    Parsed {
        prepared,
        spans,
        tags,
        roots,
    }
}

/// `text` (trimmed at its start) after a leading XML declaration
/// (`<?xml version='1.0'?>`), if it has one.
pub fn after_declaration(text: &str) -> &str {
    match text.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or("", |(_, r)| r).trim_start(),
        None => text,
    }
}

/// Declarations that make an example a DTD, not XML to check.
const DTD: &[&str] = &["<!ELEMENT", "<!ATTLIST", "<!ENTITY", "<!DOCTYPE"];

/// Blanks an elision standing for attributes left out (`<c ver='…' .../>`).
fn blank_elided_attributes(text: &mut String) {
    for dots in [" ... />", " .../>", " ...>", " … />", " …/>", " …>"] {
        while let Some(at) = text.find(dots) {
            let len = dots.trim_end_matches("/>").trim_end_matches('>').len();
            text.replace_range(at..at + len, &" ".repeat(len));
        }
    }
}

/// Blanks XML declarations, comments and unmatched stream closes, and
/// closes unclosed stream openings at the end.
fn balance_stream(text: &str) -> String {
    let mut out = text.to_owned();
    let mut at = 0;
    while let Some(start) = out[at..].find("<?xml").map(|s| s + at) {
        let end = out[start..].find("?>").map_or(out.len(), |e| start + e + 2);
        out.replace_range(start..end, &" ".repeat(end - start));
        at = end;
    }
    let mut at = 0;
    while let Some(start) = out[at..].find("<!--").map(|s| s + at) {
        let Some(end) = out[start + 4..].find("-->").map(|e| start + 4 + e + 3) else {
            break;
        };
        out.replace_range(start..end, &blank(&out[start..end]));
        at = end;
    }
    let mut open = 0usize;
    let mut at = 0;
    loop {
        let next_open = out[at..].find(STREAM_OPEN).map(|s| s + at);
        let next_close = out[at..].find(STREAM_CLOSE).map(|s| s + at);
        match (next_open, next_close) {
            (Some(o), c) if c.is_none_or(|c| o < c) => {
                open += 1;
                at = o + STREAM_OPEN.len();
            }
            (_, Some(c)) => {
                if open == 0 {
                    out.replace_range(c..c + STREAM_CLOSE.len(), &" ".repeat(STREAM_CLOSE.len()));
                } else {
                    open -= 1;
                }
                at = c + STREAM_CLOSE.len();
            }
            _ => break,
        }
    }
    for _ in 0..open {
        out.push_str(STREAM_CLOSE);
    }
    out
}

/// Blanks text between top-level elements that only marks an elision
/// (`...`, `…`, `[ ... ]`, `... and so on`): an editorial device, not XML.
fn blank_elisions(text: &mut String) {
    let mut reader = Reader::from_str(text);
    let mut depth = 0usize;
    let mut elisions = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Text(t)) if depth == 0 => {
                let raw = t.into_inner();
                let raw_text: &str = &raw;
                if is_annotation(raw_text) {
                    // A note runs on to the next line that starts a tag,
                    // past any `<` of its own (`a_float < 200.00` in SQL).
                    let end = next_tag_line(text, before + raw.len());
                    elisions.push(before..end);
                    if end > before + raw.len() {
                        break;
                    }
                } else if is_elision(raw_text) {
                    elisions.push(before..before + raw.len());
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    for range in elisions {
        let blanked = blank(&text[range.clone()]);
        text.replace_range(range, &blanked);
    }
}

/// Whether `text` only marks something left out: `...`, `…`, `[ ... ]`,
/// `... and so on`, dots on lines of their own.
pub fn is_elision(text: &str) -> bool {
    let one = |line: &str| {
        let trimmed = line.trim();
        trimmed.starts_with("...")
            || trimmed.starts_with('…')
            || (trimmed.starts_with('[') && trimmed.ends_with(']'))
            || (!trimmed.is_empty() && trimmed.chars().all(|c| c == '.' || c.is_whitespace()))
    };
    one(text) || {
        // Several lines, each an elision (`.`, `[49 more requests]`, `.`).
        let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
        lines.peek().is_some() && lines.all(one)
    }
}

/// Where the first line after `from` that starts with a tag begins (the
/// end of `text` if none does).
pub(super) fn next_tag_line(text: &str, from: usize) -> usize {
    let mut at = from;
    for line in text[from..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let tag = trimmed.starts_with('<')
            && trimmed[1..]
                .starts_with(|c: char| c.is_alphabetic() || matches!(c, '/' | '!' | '?'));
        if tag {
            return at;
        }
        at += line.len();
    }
    text.len()
}

/// Whether text between stanzas is a labelled note (`SQL Syntax: delete
/// from …`): a short capitalised label and a colon, and no markup.
pub(super) fn is_annotation(text: &str) -> bool {
    let trimmed = text.trim();
    let Some((label, _)) = trimmed.split_once(':') else {
        return false;
    };
    !trimmed.contains(['<', '>'])
        && label.len() <= 30
        && label.starts_with(|c: char| c.is_ascii_uppercase())
        && label.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
}

/// A copy of `roots` with elision text inside elements replaced by a space,
/// as if the omitted content were not there.
pub fn without_elisions(roots: &[Element]) -> Vec<Element> {
    fn clean(el: &mut Element) {
        for text in el.texts_mut() {
            if is_elision(text) {
                *text = " ".to_owned();
            }
        }
        for child in el.children_mut() {
            clean(child);
        }
    }
    let mut out = roots.to_vec();
    out.iter_mut().for_each(clean);
    out
}

/// Makes the parser's message say what is wrong where it is terse: an
/// undeclared prefix is named, and located at its tag; a mismatched end
/// tag is located at its `</`.
fn explain(text: &str, mut error: XmlError) -> XmlError {
    error.offset = error.offset.min(text.len());
    if error.message.contains("end tag do not match") {
        if let Some(start) = text[..error.offset].rfind("</") {
            error.offset = start;
        }
        return error;
    }
    if !error.message.contains("undeclared namespace prefix") {
        return error;
    }
    let Some(start) = text[..error.offset.min(text.len())].rfind('<') else {
        return error;
    };
    let tag = &text[start..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let prefix = tag
        .split(|c: char| c.is_whitespace() || c == '<' || c == '/' || c == '=')
        .filter_map(|word| word.split_once(':').map(|(p, _)| p))
        .find(|p| !p.is_empty() && *p != "xmlns" && *p != "xml");
    if let Some(prefix) = prefix {
        error.message = format!("namespace prefix '{prefix}' is not declared");
        error.offset = start;
    }
    error
}

/// Spaces for every byte of `text`, newlines kept.
fn blank(text: &str) -> String {
    text.bytes()
        .map(|b| if b == b'\n' { '\n' } else { ' ' })
        .collect()
}

#[cfg(test)]
mod tests;
