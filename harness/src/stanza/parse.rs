//! Parsing the XML of one stanza as a scenario or XEP writes it: the default
//! namespace is `jabber:client`, and errors carry a byte offset into the text.

use std::io::{self, BufRead, Read};
use std::str::FromStr;

use minidom::Element;

/// Where and why a text is not one well-formed stanza.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// Byte offset into the text where the parser gave up.
    pub offset: usize,
    /// The parser's message.
    pub message: String,
}

const OPEN: &str = "<xepspec-wrapper xmlns='jabber:client'>";
const CLOSE: &str = "</xepspec-wrapper>";

/// Parses `text` as exactly one element in the `jabber:client` namespace
/// (unless it declares its own).
pub fn parse_stanza(text: &str) -> Result<Element, XmlError> {
    let elements = parse_stanzas(text)?;
    match elements.len() {
        1 => Ok(elements.into_iter().next().expect("one element")),
        0 => Err(XmlError {
            offset: 0,
            message: "no element found".into(),
        }),
        n => Err(XmlError {
            offset: 0,
            message: format!("{n} elements found where one stanza was expected"),
        }),
    }
}

/// Parses `text` as a sequence of top-level elements (whitespace between
/// them allowed), each defaulting to the `jabber:client` namespace.
pub fn parse_stanzas(text: &str) -> Result<Vec<Element>, XmlError> {
    parse_stanzas_in(text, &[])
}

/// Like [`parse_stanzas`], with `prefixes` (prefix, namespace) bound around
/// the text, as a stream header binds `stream:` around the stanzas in it.
pub fn parse_stanzas_in(text: &str, prefixes: &[(&str, &str)]) -> Result<Vec<Element>, XmlError> {
    let mut open = OPEN.trim_end_matches('>').to_owned();
    for (prefix, namespace) in prefixes {
        open.push_str(&format!(" xmlns:{prefix}='{namespace}'"));
    }
    open.push('>');
    let wrapped = format!("{open}{text}{CLOSE}");
    let wrapper = match Element::from_str(&wrapped) {
        Ok(el) => el,
        Err(e) => return Err(locate(&wrapped, open.len(), e.to_string())),
    };
    if let Some(stray) = wrapper.texts().find(|t| !t.trim().is_empty()) {
        let offset = text.find(stray.trim()).unwrap_or(0);
        return Err(XmlError {
            offset,
            message: format!("text outside any element: {:?}", stray.trim()),
        });
    }
    Ok(wrapper.children().cloned().collect())
}

/// Finds the byte where an XML parser first fails on `wrapped` by feeding it
/// one byte at a time (only done on the error path).
fn locate(wrapped: &str, open_len: usize, fallback: String) -> XmlError {
    let mut source = OneByte {
        bytes: wrapped.as_bytes(),
        pos: 0,
    };
    let mut reader = minidom::rxml::Reader::new(&mut source);
    let message = loop {
        match reader.read() {
            Ok(Some(_)) => continue,
            Ok(None) => break fallback,
            Err(e) => break e.to_string(),
        }
    };
    let consumed = source.pos.saturating_sub(1);
    XmlError {
        offset: consumed
            .saturating_sub(open_len)
            .min(wrapped.len() - open_len - CLOSE.len()),
        message,
    }
}

/// A reader that hands out one byte per `fill_buf`, so the parser's position
/// at an error is exact.
struct OneByte<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for OneByte<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let end = (self.pos + 1).min(self.bytes.len());
        Ok(&self.bytes[self.pos..end])
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt;
    }
}

/// Line and column (both 1-based, column in characters) of a byte offset;
/// an offset inside a character counts as that character's start.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_jabber_client() {
        let el = parse_stanza("<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>").unwrap();
        assert_eq!(el.ns(), "jabber:client");
        assert!(el.get_child("ping", "urn:xmpp:ping").is_some());
    }

    #[test]
    fn reports_where_it_breaks() {
        let text = "<iq type='get'>\n  <query xmlns='x'>\n</iq>";
        let err = parse_stanza(text).unwrap_err();
        let (line, _) = line_column(text, err.offset);
        assert_eq!(line, 3, "{err:?}");
    }

    #[test]
    fn refuses_two_stanzas_and_stray_text() {
        assert!(parse_stanza("<a/><b/>").is_err());
        assert!(parse_stanza("<a/> hello").is_err());
        assert_eq!(parse_stanzas(" <a/>\n<b/> ").unwrap().len(), 2);
    }

    #[test]
    fn binds_the_given_prefixes() {
        assert!(parse_stanzas("<stream:features/>").is_err());
        let streams = "http://etherx.jabber.org/streams";
        let els = parse_stanzas_in("<stream:features/>", &[("stream", streams)]).unwrap();
        assert_eq!(els[0].ns(), streams);
        let err = parse_stanzas_in("<a>\n<b></a>", &[("stream", streams)]).unwrap_err();
        assert_eq!(line_column("<a>\n<b></a>", err.offset).0, 2, "{err:?}");
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
    }

    /// Found by `xepspec fuzz` (scenario loader): the parser's error offset
    /// can fall inside a multi-byte character.
    #[test]
    fn line_column_inside_a_character_does_not_panic() {
        assert_eq!(line_column("a\nਖ਼b", 4), (2, 1));
    }
}
