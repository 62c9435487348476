//! Start tags and their attributes: the part of the scan where editors'
//! mistakes are most varied (see [`super`]).

use std::collections::HashSet;

use super::{Root, Scanner, is_name_byte};

impl Scanner<'_> {
    pub(super) fn start_tag(&mut self) {
        let start = self.at;
        self.at += 1;
        let name = self.name();
        if self.stack.is_empty() {
            self.root = Some(Root {
                range: start..start,
                clean: true,
                mendable: true,
            });
        }
        if name.is_empty() {
            let message = "'<' does not start a tag (write &lt;)";
            self.mend(start, message, start..start + 1, "&lt;");
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
                    if seen.is_empty() && self.ends_innermost(&name, start) {
                        let message =
                            format!("start tag <{name}> where its end tag </{name}> belongs");
                        self.mend(start, message, start..self.at, &format!("</{name}>"));
                        self.stack.pop();
                        self.close_root();
                    } else {
                        self.stack.push((name, start));
                    }
                    return;
                }
                b'/' if self.bytes.get(self.at + 1) == Some(&b'>') => {
                    self.at += 2;
                    self.close_root();
                    return;
                }
                b'<' => {
                    let at = self.at;
                    let message = format!("start tag <{name}> is not closed with '>'");
                    self.mend(at, message, at..at, ">");
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

    /// Whether a bare start tag `<name>` at `start` is a mistyped end of the
    /// innermost element: that element has the same name, holds only text
    /// so far or nothing follows, and the end tags `</name>` still to come
    /// are too few for both.
    fn ends_innermost(&self, name: &str, start: usize) -> bool {
        let Some((open, opened)) = self.stack.last() else {
            return false;
        };
        let body = &self.text[*opened..start];
        let only_text = body.find('>').is_some_and(|i| !body[i..].contains('<'))
            || self.text[self.at..].trim().is_empty();
        let close = format!("</{name}>");
        let needed = self.stack.iter().filter(|(n, _)| n == name).count() + 1;
        open == name && only_text && self.text[self.at..].matches(&close).count() < needed
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
}
