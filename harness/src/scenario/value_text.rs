//! Where the characters of a TOML string value stand in the file: a
//! literal string holds them as written, a basic string through escapes
//! (`\"`, `\n`, `\u003c`, a line-ending backslash), so an offset into the
//! value must be walked back through them to point at the file.

use std::ops::Range;

/// Where the characters of a TOML string value start, given the span of the
/// whole value (quotes included): multi-line strings drop a newline that
/// directly follows their opening quotes.
pub(super) fn content_start(text: &str, span: Range<usize>) -> usize {
    let raw = &text[span.start.min(text.len())..span.end.min(text.len())];
    let mut offset = span.start;
    if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
        offset += 3;
        let rest = &text[offset.min(text.len())..];
        if rest.starts_with("\r\n") {
            offset += 2;
        } else if rest.starts_with('\n') {
            offset += 1;
        }
    } else if raw.starts_with('\'') || raw.starts_with('"') {
        offset += 1;
    }
    offset
}

/// The file offset of byte `offset` of the value whose span is `span`.
pub(super) fn file_offset(text: &str, span: Range<usize>, offset: usize) -> usize {
    let start = content_start(text, span.clone()).min(text.len());
    let end = span.end.clamp(start, text.len());
    if !text[span.start.min(text.len())..].starts_with('"') {
        return (start + offset).min(end);
    }
    let raw = &text[start..end];
    let mut decoded = 0;
    let mut chars = raw.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        // A line-ending backslash: it and the whitespace after it go.
        if c == '\\' && chars.next_if(|(_, w)| w.is_whitespace()).is_some() {
            while chars.next_if(|(_, w)| w.is_whitespace()).is_some() {}
            continue;
        }
        if decoded >= offset {
            return start + at;
        }
        if c != '\\' {
            decoded += c.len_utf8();
            continue;
        }
        let digits = match chars.next() {
            Some((_, 'u')) => 4,
            Some((_, 'U')) => 8,
            Some((_, 'x')) => 2,
            Some(_) => {
                decoded += 1;
                continue;
            }
            None => break,
        };
        let hex: String = (0..digits)
            .filter_map(|_| chars.next())
            .map(|(_, c)| c)
            .collect();
        decoded += u32::from_str_radix(&hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map_or(1, char::len_utf8);
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, offset: usize) -> &str {
        let span = text.find('=').map_or(0, |e| e + 2)..text.len();
        &text[file_offset(text, span, offset)..]
    }

    #[test]
    fn literal_strings_are_read_as_written() {
        assert_eq!(at("xml = '<a>\\n</b>'", 5), "</b>'");
        assert_eq!(at("xml = '''\n<a>\n</b>'''", 4), "</b>'''");
    }

    #[test]
    fn basic_strings_are_read_through_their_escapes() {
        // decoded: `<a x="1">` then a newline, then `</b>`
        assert_eq!(at(r#"xml = "<a x=\"1\">\n</b>""#, 10), "</b>\"");
        assert_eq!(at(r#"xml = "\u003ca\u003e\u003c/b>""#, 3), "\\u003c/b>\"");
        assert_eq!(at("xml = \"\"\"\n<a> \\\n   </b>\"\"\"", 4), "</b>\"\"\"");
    }
}
