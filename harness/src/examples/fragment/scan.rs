//! A forgiving pass over an example's text that finds every
//! well-formedness error, not just the first: after an error it recovers at
//! the next tag, and it says which top-level elements were clean, so the
//! other checks can still run on them.
//!
//! It knows the mistakes editors make (tags that do not match, elements
//! never closed, attributes without quotes, spaces or values, duplicate
//! attributes, a bare `&`, text between stanzas); the stanza parser remains
//! the judge of everything else.

use std::collections::HashSet;
use std::ops::Range;

use crate::stanza::parse::XmlError;

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every error, in text order.
    pub errors: Vec<XmlError>,
    /// Each top-level element's byte range and whether it had no error.
    pub roots: Vec<(Range<usize>, bool)>,
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    stack: Vec<(String, usize)>,
    errors: Vec<XmlError>,
    roots: Vec<(Range<usize>, bool)>,
    root: Option<(usize, bool)>,
}

/// Scans `text` (comments, declarations and elisions already blanked).
pub fn scan(text: &str) -> Scan {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
        stack: Vec::new(),
        errors: Vec::new(),
        roots: Vec::new(),
        root: None,
    };
    s.run();
    Scan {
        errors: s.errors,
        roots: s.roots,
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':') || b >= 0x80
}

impl Scanner<'_> {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        if let Some((_, clean)) = &mut self.root {
            *clean = false;
        }
        self.errors.push(XmlError {
            offset,
            message: message.into(),
        });
    }

    fn skip_to(&mut self, end: &str) {
        match self.text[self.at..].find(end) {
            Some(i) => self.at += i + end.len(),
            None => self.at = self.text.len(),
        }
    }

    fn run(&mut self) {
        while self.at < self.bytes.len() {
            let rest = &self.text[self.at..];
            if rest.starts_with("<!--") {
                self.skip_to("-->");
            } else if rest.starts_with("<![CDATA[") {
                self.skip_to("]]>");
            } else if rest.starts_with("<?") {
                self.skip_to("?>");
            } else if rest.starts_with("<!") {
                self.skip_to(">");
            } else if rest.starts_with("</") {
                self.end_tag();
            } else if rest.starts_with('<') {
                self.start_tag();
            } else {
                self.text_run();
            }
        }
        while let Some((name, offset)) = self.stack.pop() {
            self.error(offset, format!("<{name}> is never closed"));
        }
        self.close_root();
    }

    fn close_root(&mut self) {
        if self.stack.is_empty()
            && let Some((start, clean)) = self.root.take()
        {
            self.roots.push((start..self.at, clean));
        }
    }

    fn name(&mut self) -> String {
        let start = self.at;
        while self.at < self.bytes.len() && is_name_byte(self.bytes[self.at]) {
            self.at += 1;
        }
        self.text[start..self.at].to_owned()
    }

    fn skip_space(&mut self) -> bool {
        let start = self.at;
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
        self.at > start
    }

    fn end_tag(&mut self) {
        let start = self.at;
        self.at += 2;
        let name = self.name();
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b'>') {
            self.at += 1;
        } else {
            self.error(self.at, format!("end tag </{name}> is not closed with '>'"));
        }
        match self.stack.iter().rposition(|(n, _)| *n == name) {
            Some(i) if i + 1 == self.stack.len() => {
                self.stack.pop();
            }
            Some(_) if self.text[self.at..].contains(&format!("</{name}>")) => {
                // `</name>` comes again later: this one is a misnamed end
                // of the innermost element, and closes only that.
                let (open, _) = self.stack.pop().unwrap_or_default();
                let message = format!("end tag </{name}> does not match start tag <{open}>");
                self.error(start, message);
            }
            Some(i) => {
                let unclosed: Vec<String> =
                    self.stack.drain(i + 1..).map(|(n, _)| n).rev().collect();
                self.stack.pop();
                for open in unclosed {
                    self.error(start, format!("<{open}> is not closed before </{name}>"));
                }
            }
            None => match self.stack.last().cloned() {
                Some((open, _)) => {
                    // A misnamed end of the innermost element closes it,
                    // unless its own end tag comes later (then this one is
                    // stray).
                    if !self.text[self.at..].contains(&format!("</{open}>")) {
                        self.stack.pop();
                    }
                    let message = format!("end tag </{name}> does not match start tag <{open}>");
                    self.error(start, message);
                }
                None => self.error(start, format!("end tag </{name}> has no start tag")),
            },
        }
        self.close_root();
    }

    fn start_tag(&mut self) {
        let start = self.at;
        self.at += 1;
        let name = self.name();
        if self.stack.is_empty() {
            self.root = Some((start, true));
        }
        if name.is_empty() {
            self.error(start, "'<' does not start a tag (write &lt;)");
            return;
        }
        let mut seen = HashSet::new();
        let mut spaced = true;
        let mut errors = self.errors.len();
        loop {
            if self.errors.len() > errors {
                self.finish_broken_tag(name, start);
                return;
            }
            spaced |= self.skip_space();
            let Some(&b) = self.bytes.get(self.at) else {
                self.error(start, format!("start tag <{name}> is not closed with '>'"));
                return;
            };
            match b {
                b'>' => {
                    self.at += 1;
                    self.stack.push((name, start));
                    return;
                }
                b'/' if self.bytes.get(self.at + 1) == Some(&b'>') => {
                    self.at += 2;
                    self.close_root();
                    return;
                }
                b'<' => {
                    self.error(
                        self.at,
                        format!("start tag <{name}> is not closed with '>'"),
                    );
                    self.stack.push((name, start));
                    return;
                }
                b if is_name_byte(b) => {
                    let at = self.at;
                    if !spaced {
                        self.error(at, "no space before this attribute");
                        errors = self.errors.len();
                    }
                    let attribute = self.name();
                    if !seen.insert(attribute.clone()) {
                        self.error(at, format!("attribute '{attribute}' appears twice"));
                    }
                    self.value(&attribute);
                    spaced = false;
                }
                _ => {
                    self.error(
                        self.at,
                        format!("unexpected '{}' in start tag <{name}>", b as char),
                    );
                    self.at += self.text[self.at..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                }
            }
        }
    }

    /// Recovers from an error inside a start tag at its `>` (or the next
    /// tag), so that one mistake is reported once.
    fn finish_broken_tag(&mut self, name: String, start: usize) {
        let stop = self.text[self.at..].find(['>', '<']).map(|i| self.at + i);
        match stop {
            Some(i) if self.bytes[i] == b'>' => {
                self.at = i + 1;
                if self.bytes[i - 1] == b'/' {
                    self.close_root();
                    return;
                }
            }
            Some(i) => self.at = i,
            None => self.at = self.text.len(),
        }
        self.stack.push((name, start));
    }

    /// An attribute's `= 'value'`, after its name.
    fn value(&mut self, attribute: &str) {
        self.skip_space();
        if self.bytes.get(self.at) != Some(&b'=') {
            self.error(self.at, format!("attribute '{attribute}' has no value"));
            return;
        }
        self.at += 1;
        self.skip_space();
        let quote = match self.bytes.get(self.at) {
            Some(&q @ (b'\'' | b'"')) => q,
            _ => {
                self.error(
                    self.at,
                    format!("the value of attribute '{attribute}' is not quoted"),
                );
                while self.at < self.bytes.len()
                    && !self.bytes[self.at].is_ascii_whitespace()
                    && !matches!(self.bytes[self.at], b'>' | b'/' | b'<')
                {
                    self.at += 1;
                }
                return;
            }
        };
        let open = self.at;
        self.at += 1;
        let close = self.text[self.at..]
            .find(quote as char)
            .map(|i| self.at + i);
        let lt = self.text[self.at..].find('<').map(|i| self.at + i);
        match (close, lt) {
            (Some(c), lt) if lt.is_none_or(|l| c < l) => self.at = c + 1,
            _ => {
                self.error(
                    open,
                    format!("the value of attribute '{attribute}' has no closing quote"),
                );
                let stop = self.text[self.at..]
                    .find(['>', '<'])
                    .map_or(self.text.len(), |i| self.at + i);
                self.at = stop;
            }
        }
    }

    fn text_run(&mut self) {
        let start = self.at;
        let end = self.text[start..]
            .find('<')
            .map_or(self.text.len(), |i| start + i);
        let run = &self.text[start..end];
        if self.stack.is_empty() && !run.trim().is_empty() {
            let first = start + (run.len() - run.trim_start().len());
            self.error(first, format!("text outside any element: {:?}", run.trim()));
        }
        let mut from = 0;
        while let Some(i) = run[from..].find('&') {
            let amp = from + i;
            if !is_reference(&run[amp..]) {
                self.error(start + amp, "a bare '&' (write &amp;)");
            }
            from = amp + 1;
        }
        self.at = end;
    }
}

/// Whether `text` starts with a character or entity reference.
fn is_reference(text: &str) -> bool {
    let Some(end) = text.find(';') else {
        return false;
    };
    let name = &text[1..end];
    if let Some(number) = name.strip_prefix('#') {
        return match number.strip_prefix('x') {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        };
    }
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        scan(text).errors.into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn every_error_is_found_and_clean_roots_are_kept() {
        let text = "<a><b></a>\n<c x='1'y='2' x='3'/>\n<d e=f/>\n<ok/>\n<g>";
        let scan = scan(text);
        let found: Vec<&str> = scan.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            found,
            [
                "<b> is not closed before </a>",
                "no space before this attribute",
                "attribute 'x' appears twice",
                "the value of attribute 'e' is not quoted",
                "<g> is never closed",
            ]
        );
        let clean: Vec<bool> = scan.roots.iter().map(|r| r.1).collect();
        assert_eq!(clean, [false, false, false, true, false]);
        assert_eq!(&text[scan.roots[3].0.clone()], "<ok/>");
    }

    #[test]
    fn mismatches_quotes_and_ampersands() {
        assert_eq!(
            messages("<a from='x to='y'><b/></c></a>"),
            [
                "no space before this attribute",
                "attribute 'y' has no value",
                "end tag </c> does not match start tag <a>",
            ]
        );
        assert_eq!(
            messages("<a>x &amp; y &#x41; &foo; & z</a>"),
            ["a bare '&' (write &amp;)"]
        );
        assert!(messages("<a b='1 > 0'>\n<![CDATA[<x>]]><!-- <y> --></a>").is_empty());
        assert_eq!(messages("</a>"), ["end tag </a> has no start tag"]);
    }
}
