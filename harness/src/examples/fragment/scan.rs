//! A forgiving pass over an example's text that finds every
//! well-formedness error, not just the first: after an error it recovers at
//! the next tag, and it says which top-level elements were clean, so the
//! other checks can still run on them.
//!
//! It knows the mistakes editors make (tags that do not match, elements
//! never closed, attributes without quotes, spaces or values, duplicate
//! attributes, a bare `&`, text between stanzas); the stanza parser remains
//! the judge of everything else.
//!
//! For the mistakes whose intent is plain (an end tag misnamed or missing, a
//! start tag missing its `>`, a bare `&` or `<`, a stray end tag) it also
//! records the edit that mends them, so that a top-level element holding
//! only such mistakes can be repaired and checked further.

use std::ops::Range;

use crate::stanza::parse::XmlError;

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every error, in text order.
    pub errors: Vec<XmlError>,
    /// Each top-level element, in text order.
    pub roots: Vec<Root>,
    /// The edits that mend the errors that have one, in text order.
    pub edits: Vec<Edit>,
    /// The insides of the elements a mend closes where their end tag was
    /// missing: where the end belongs is a guess, so what they hold may
    /// not be theirs.
    pub guessed: Vec<Range<usize>>,
}

/// A top-level element of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// Its byte range.
    pub range: Range<usize>,
    /// It had no error.
    pub clean: bool,
    /// Every error it had has an edit that mends it.
    pub mendable: bool,
}

/// Replacing a range of the scanned text (empty for an insertion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// What is replaced.
    pub range: Range<usize>,
    /// What replaces it.
    pub text: String,
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    stack: Vec<(String, usize)>,
    errors: Vec<XmlError>,
    roots: Vec<Root>,
    edits: Vec<Edit>,
    guessed: Vec<Range<usize>>,
    root: Option<Root>,
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
        edits: Vec::new(),
        guessed: Vec::new(),
        root: None,
    };
    s.run();
    s.edits.sort_by_key(|e| e.range.start);
    Scan {
        errors: s.errors,
        roots: s.roots,
        edits: s.edits,
        guessed: s.guessed,
    }
}

mod start;

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':') || b >= 0x80
}

impl Scanner<'_> {
    /// An error no edit mends: its top-level element stays broken.
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.flag(offset, message);
        if let Some(root) = &mut self.root {
            root.mendable = false;
        }
    }

    /// An error mended by replacing `range` with `text`.
    fn mend(&mut self, offset: usize, message: impl Into<String>, range: Range<usize>, text: &str) {
        self.flag(offset, message);
        self.edits.push(Edit {
            range,
            text: text.to_owned(),
        });
    }

    fn flag(&mut self, offset: usize, message: impl Into<String>) {
        if let Some(root) = &mut self.root {
            root.clean = false;
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
        let end = self.text.len();
        while let Some((name, offset)) = self.stack.pop() {
            self.guess(offset, end);
            let close = format!("</{name}>");
            self.mend(
                offset,
                format!("<{name}> is never closed"),
                end..end,
                &close,
            );
        }
        self.close_root();
    }

    /// The element whose start tag is at `start` is closed at `end` by a
    /// guess.
    fn guess(&mut self, start: usize, end: usize) {
        let inside = self.text[start..end]
            .find('>')
            .map_or(end, |i| start + i + 1);
        self.guessed.push(inside..end);
    }

    fn close_root(&mut self) {
        if self.stack.is_empty()
            && let Some(mut root) = self.root.take()
        {
            root.range.end = self.at;
            self.roots.push(root);
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
        let tag = start..self.at;
        match self.stack.iter().rposition(|(n, _)| *n == name) {
            Some(i) if i + 1 == self.stack.len() => {
                self.stack.pop();
            }
            Some(_) if self.text[self.at..].contains(&format!("</{name}>")) => {
                // `</name>` comes again later: this one is a misnamed end
                // of the innermost element, and closes only that.
                let (open, _) = self.stack.pop().unwrap_or_default();
                let message = format!("end tag </{name}> does not match start tag <{open}>");
                self.mend(start, message, tag, &format!("</{open}>"));
            }
            Some(i) => {
                let unclosed: Vec<(String, usize)> = self.stack.drain(i + 1..).rev().collect();
                let unclosed: Vec<String> = unclosed
                    .into_iter()
                    .map(|(n, at)| {
                        self.guess(at, start);
                        n
                    })
                    .collect();
                self.stack.pop();
                let closes: String = unclosed.iter().map(|n| format!("</{n}>")).collect();
                self.edits.push(Edit {
                    range: start..start,
                    text: closes,
                });
                for open in unclosed {
                    self.flag(start, format!("<{open}> is not closed before </{name}>"));
                }
            }
            None => match self.stack.last().cloned() {
                Some((open, _)) => {
                    // A misnamed end of the innermost element closes it,
                    // unless its own end tag comes later (then this one is
                    // stray).
                    let stray = self.text[self.at..].contains(&format!("</{open}>"));
                    let with = if stray {
                        String::new()
                    } else {
                        self.stack.pop();
                        format!("</{open}>")
                    };
                    let message = format!("end tag </{name}> does not match start tag <{open}>");
                    self.mend(start, message, tag, &with);
                }
                None => self.mend(
                    start,
                    format!("end tag </{name}> has no start tag"),
                    tag,
                    "",
                ),
            },
        }
        self.close_root();
    }

    fn text_run(&mut self) {
        let start = self.at;
        let end = self.text[start..]
            .find('<')
            .map_or(self.text.len(), |i| start + i);
        let run = &self.text[start..end];
        if self.stack.is_empty() && super::is_annotation(run) {
            // A labelled note between stanzas (`SQL Syntax: …`), with any
            // `<` of its own, is not part of the example's XML.
            self.at = super::next_tag_line(self.text, end);
            return;
        }
        if self.stack.is_empty() && !run.trim().is_empty() && !super::is_elision(run) {
            let first = start + (run.len() - run.trim_start().len());
            let words = first..first + run.trim().len();
            let message = format!("text outside any element: {:?}", run.trim());
            self.mend(first, message, words, "");
        }
        let mut from = 0;
        while let Some(i) = run[from..].find('&') {
            let amp = from + i;
            if !is_reference(&run[amp..]) {
                let at = start + amp;
                self.mend(at, "a bare '&' (write &amp;)", at..at + 1, "&amp;");
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
        let clean: Vec<bool> = scan.roots.iter().map(|r| r.clean).collect();
        assert_eq!(clean, [false, false, false, true, false]);
        let mendable: Vec<bool> = scan.roots.iter().map(|r| r.mendable).collect();
        assert_eq!(mendable, [true, false, false, true, true]);
        assert_eq!(&text[scan.roots[3].range.clone()], "<ok/>");
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
