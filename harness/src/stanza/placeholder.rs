//! `{placeholders}` in scenario XML: finding them, and replacing them with
//! XML-escaped values. `{{` and `}}` stand for literal braces.

/// A piece of template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Literal text.
    Text(&'a str),
    /// A placeholder's name, without braces.
    Placeholder(&'a str),
    /// A literal `{` or `}` written doubled.
    Brace(char),
}

/// An unclosed or empty placeholder, at a byte offset in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceholderError {
    /// Byte offset of the opening brace.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Splits `text` into literal pieces and placeholders, with each
/// placeholder's byte offset.
pub fn split(text: &str) -> Result<Vec<(usize, Piece<'_>)>, PlaceholderError> {
    let mut pieces = Vec::new();
    let bytes = text.as_bytes();
    let (mut i, mut start) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => {
                if start < i {
                    pieces.push((start, Piece::Text(&text[start..i])));
                }
                pieces.push((i, Piece::Brace(bytes[i] as char)));
                i += 2;
                start = i;
            }
            b'{' => {
                let close = text[i..].find('}').map(|n| i + n);
                let Some(close) =
                    close.filter(|&c| !text[i + 1..c].contains(['{', '<', '>', '\n']))
                else {
                    return Err(PlaceholderError {
                        offset: i,
                        message: "`{` opens a placeholder that is never closed (write `{{` for a literal brace)".into(),
                    });
                };
                let name = &text[i + 1..close];
                if name.trim().is_empty() || name.trim() != name {
                    return Err(PlaceholderError {
                        offset: i,
                        message: format!("`{{{name}}}` is not a placeholder name"),
                    });
                }
                if start < i {
                    pieces.push((start, Piece::Text(&text[start..i])));
                }
                pieces.push((i, Piece::Placeholder(name)));
                i = close + 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        pieces.push((start, Piece::Text(&text[start..])));
    }
    Ok(pieces)
}

/// Replaces every placeholder with what `value` gives (XML-escaped), or keeps
/// it as written when `value` returns `None`. Doubled braces stay doubled
/// when kept for a later stage (`keep_braces`), else become single.
pub fn render(
    text: &str,
    keep_braces: bool,
    mut value: impl FnMut(&str) -> Option<String>,
) -> Result<String, PlaceholderError> {
    let mut out = String::with_capacity(text.len());
    for (_, piece) in split(text)? {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Brace(c) if keep_braces => {
                out.push(c);
                out.push(c);
            }
            Piece::Brace(c) => out.push(c),
            Piece::Placeholder(name) => match value(name) {
                Some(v) => out.push_str(&escape(&v)),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    Ok(out)
}

/// Escapes text for use in XML attribute values and character data.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_and_literal_braces() {
        let pieces: Vec<_> = split("<a id='{id}'>{{x}}</a>")
            .unwrap()
            .into_iter()
            .map(|p| p.1)
            .collect();
        assert_eq!(
            pieces,
            vec![
                Piece::Text("<a id='"),
                Piece::Placeholder("id"),
                Piece::Text("'>"),
                Piece::Brace('{'),
                Piece::Text("x"),
                Piece::Brace('}'),
                Piece::Text("</a>"),
            ]
        );
    }

    #[test]
    fn unclosed_placeholder_is_an_error_with_its_offset() {
        let err = split("<a id='{id'/>").unwrap_err();
        assert_eq!(err.offset, 7);
    }

    #[test]
    fn renders_escaped_values_and_keeps_unknown_ones() {
        let out = render("<a b='{v}' c='{any}'/>", false, |n| {
            (n == "v").then(|| "x'<y".to_owned())
        })
        .unwrap();
        assert_eq!(out, "<a b='x&apos;&lt;y' c='{any}'/>");
    }
}
